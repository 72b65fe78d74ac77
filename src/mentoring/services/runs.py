"""What the coordinator's review app needs beyond matching: presets, run summaries, the
difference between two runs, applying review decisions, and the sign-in gate.

Everything here is plain Python over plain data, so the app stays a thin layer of widgets and
every rule it follows is tested here. The functions that take a :class:`~mentoring.store.db.Store`
are the app's user actions: each is one call, and each leaves the store consistent if it fails.

>>> RunDiff.between(pd.DataFrame({"mentee_id": ["e1"], "mentor_id": ["m1"], "score": [0.5]}),
...                 pd.DataFrame({"mentee_id": ["e1"], "mentor_id": ["m2"], "score": [0.7]})).changed
1
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from mentoring.model.config import COMPONENTS, MatchConfig
from mentoring.model.errors import MentoringError
from mentoring.model.results import AuditReport, MatchResult

if TYPE_CHECKING:
    from mentoring.store.db import Store
    from mentoring.store.records import Run

__all__ = [
    "DIFF_COLUMNS",
    "FORCED_COLUMNS",
    "REVIEW_VIEW_COLUMNS",
    "Headline",
    "ReSolve",
    "RunDiff",
    "WhyNot",
    "OTHER_MENTOR_COLUMNS",
    "RESOLVE_ATTEMPTS",
    "find_matches",
    "headline",
    "other_mentors",
    "reassign",
    "restore_result",
    "result_extras",
    "save_result",
    "review_view",
    "why_not_best",
    "with_decisions",
]

REVIEW_VIEW_COLUMNS: tuple[str, ...] = (
    "mentee",
    "mentor",
    "score",
    "reasons",
    "status",
    "mentee_id",
    "mentor_id",
    "version",
)
"""Columns of :func:`review_view`: what the review table shows, ids and version last."""


DIFF_COLUMNS: tuple[str, ...] = (
    "change",
    "mentee_id",
    "mentee_name",
    "mentor_before",
    "mentor_after",
    "score_before",
    "score_after",
)
"""Columns of :attr:`RunDiff.table`: one row per mentee whose mentor changed."""


FORCED_COLUMNS: tuple[str, ...] = ("mentor", "score", "total_score_lost", "mentees_unmatched")
"""Columns of :attr:`WhyNot.options`: what giving the mentee each other mentor would cost."""


@dataclass(frozen=True, eq=False)
class RunDiff:
    """What changed between two runs, mentee by mentee.

    ``added``: mentees matched now but not before; ``removed``: matched before, not now;
    ``changed``: matched both times to different mentors. ``table`` has :data:`DIFF_COLUMNS`.
    """

    added: int
    removed: int
    changed: int
    total_before: float
    total_after: float
    table: pd.DataFrame

    @classmethod
    def between(cls, before: pd.DataFrame, after: pd.DataFrame) -> RunDiff:
        """Compare two pairs tables (columns ``mentee_id``, ``mentor_id``, ``score``).

        Parameters
        ----------
        before, after : pandas.DataFrame
            The earlier and the later run's pairs; ``mentee_name`` and ``mentor_name`` are used
            when present.

        Returns
        -------
        RunDiff

        Examples
        --------
        >>> old = pd.DataFrame({"mentee_id": ["a", "b"], "mentor_id": ["x", "y"],
        ...                     "score": [0.5, 0.25]})
        >>> new = pd.DataFrame({"mentee_id": ["a", "c"], "mentor_id": ["x", "y"],
        ...                     "score": [0.5, 0.75]})
        >>> diff = RunDiff.between(old, new)
        >>> diff.added, diff.removed, diff.changed, diff.total_before, diff.total_after
        (1, 1, 0, 0.75, 1.25)
        >>> diff.table["change"].tolist()
        ['removed', 'added']
        """
        for name, frame in (("before", before), ("after", after)):
            if not isinstance(frame, pd.DataFrame):
                raise TypeError(f"expected {name} as a DataFrame, got {type(frame).__name__}")
            missing = {"mentee_id", "mentor_id", "score"} - set(frame.columns)
            if missing:
                raise ValueError(
                    f"expected {name} with mentee_id, mentor_id and score, "
                    f"got {list(frame.columns)}"
                )
        old, new = _by_mentee(before), _by_mentee(after)
        rows = []
        for mentee_id in sorted(set(old) | set(new)):
            was, now = old.get(mentee_id), new.get(mentee_id)
            if was is not None and now is not None and was["mentor_id"] == now["mentor_id"]:
                continue
            change = "added" if was is None else "removed" if now is None else "changed"
            rows.append(
                {
                    "change": change,
                    "mentee_id": mentee_id,
                    "mentee_name": (now if now is not None else was or {})["mentee_name"],
                    "mentor_before": "" if was is None else was["mentor_name"],
                    "mentor_after": "" if now is None else now["mentor_name"],
                    "score_before": math.nan if was is None else was["score"],
                    "score_after": math.nan if now is None else now["score"],
                }
            )
        table = pd.DataFrame(rows, columns=list(DIFF_COLUMNS))
        table["score_before"] = table["score_before"].astype(float)
        table["score_after"] = table["score_after"].astype(float)
        counts = table["change"].value_counts()
        return cls(
            added=int(counts.get("added", 0)),
            removed=int(counts.get("removed", 0)),
            changed=int(counts.get("changed", 0)),
            total_before=float(before["score"].astype(float).sum()),
            total_after=float(after["score"].astype(float).sum()),
            table=table,
        )


def _by_mentee(pairs: pd.DataFrame) -> dict[str, dict[str, Any]]:
    out = {}
    for row in pairs.to_dict("records"):
        out[str(row["mentee_id"])] = {
            "mentor_id": str(row["mentor_id"]),
            "mentee_name": str(row.get("mentee_name", row["mentee_id"])),
            "mentor_name": str(row.get("mentor_name", row["mentor_id"])),
            "score": float(row["score"]),
        }
    return out


@dataclass(frozen=True)
class Headline:
    """The four figures at the top of the Review page."""

    mentees_matched: int
    mentees: int
    mean_score: float
    mentors_at_capacity: int
    mentors: int
    unmatched_mentees: int
    unmatched_mentors: int
    seconds: float


def headline(stats: Mapping[str, Any] | Any, unmatched: pd.DataFrame) -> Headline:
    """Headline figures of a run from its stats (a ``MatchStats`` or its dict) and unmatched.

    Parameters
    ----------
    stats : MatchStats or dict
        As returned by ``match`` or saved in a :class:`~mentoring.store.records.Run`.
    unmatched : pandas.DataFrame
        The run's unmatched members (column ``role``).

    Returns
    -------
    Headline

    Examples
    --------
    >>> h = headline({"n_matched": 9, "n_mentees": 10, "mean_score": 0.61,
    ...               "mentors_at_capacity": 3, "n_mentors": 5, "seconds": 0.2},
    ...              pd.DataFrame({"role": ["mentee", "mentor"]}))
    >>> h.mentees_matched, h.unmatched_mentees, h.unmatched_mentors
    (9, 1, 1)
    """
    if not isinstance(stats, Mapping):
        stats = asdict(stats)
    roles = unmatched["role"].tolist() if "role" in unmatched.columns else []
    return Headline(
        mentees_matched=int(stats["n_matched"]),
        mentees=int(stats["n_mentees"]),
        mean_score=float(stats["mean_score"]),
        mentors_at_capacity=int(stats["mentors_at_capacity"]),
        mentors=int(stats["n_mentors"]),
        unmatched_mentees=sum(r == "mentee" for r in roles),
        unmatched_mentors=sum(r == "mentor" for r in roles),
        seconds=float(stats.get("seconds", 0.0)),
    )


def review_view(review_table: pd.DataFrame) -> pd.DataFrame:
    """The store's review table reduced to what the coordinator reads, in :data:`REVIEW_VIEW_COLUMNS`.

    Parameters
    ----------
    review_table : pandas.DataFrame
        :meth:`mentoring.store.db.Store.review_table`.

    Returns
    -------
    pandas.DataFrame
        Names as ``mentee``/``mentor``, the score rounded to two decimals, the status, and the
        ids and version the action buttons need; rows in the run's order.

    Examples
    --------
    >>> table = pd.DataFrame({"mentee_id": ["e1"], "mentee_name": ["Eve"], "mentor_id": ["m1"],
    ...     "mentor_name": ["Max"], "score": [0.6666], "reasons": ["shares archives"],
    ...     "status": ["approved"], "version": [1]})
    >>> review_view(table).to_dict("records")[0]["score"]
    0.67
    """
    if review_table.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in REVIEW_VIEW_COLUMNS})
    view = pd.DataFrame(
        {
            "mentee": review_table.get("mentee_name", review_table["mentee_id"]).astype(str),
            "mentor": review_table.get("mentor_name", review_table["mentor_id"]).astype(str),
            "score": review_table["score"].astype(float).round(2),
            "reasons": review_table.get("reasons", pd.Series("", index=review_table.index)),
            "status": review_table["status"].astype(str),
            "mentee_id": review_table["mentee_id"].astype(str),
            "mentor_id": review_table["mentor_id"].astype(str),
            "version": review_table["version"].astype("int64"),
        }
    )
    return view.reset_index(drop=True)


def with_decisions(
    config: MatchConfig,
    kept: Sequence[tuple[str, str]],
    forbidden: Sequence[tuple[str, str]],
) -> MatchConfig:
    """The configuration a re-solve uses: kept pairs locked, rejected pairs forbidden.

    Pairs the coordinator locked or forbade in the settings themselves are kept as well.

    Parameters
    ----------
    config : MatchConfig
    kept, forbidden : sequence of (mentee_id, mentor_id)
        From :meth:`mentoring.store.db.Store.kept_and_forbidden`.

    Returns
    -------
    MatchConfig

    Examples
    --------
    >>> c = with_decisions(MatchConfig(), [("e1", "m1")], [("e2", "m1")])
    >>> c.locked_pairs, c.forbidden_pairs
    ((('e1', 'm1'),), (('e2', 'm1'),))
    """
    return config.with_(
        locked_pairs=(*config.locked_pairs, *kept),
        forbidden_pairs=(*config.forbidden_pairs, *forbidden),
    )


RESOLVE_ATTEMPTS = 3
"""How many times :func:`find_matches` solves again when decisions change while it solves."""


@dataclass(frozen=True, eq=False)
class ReSolve:
    """The outcome of :func:`find_matches`: the result, the saved run, and what changed."""

    result: MatchResult
    run_id: int
    diff: RunDiff | None


def find_matches(
    store: Store,
    program_id: int,
    people: pd.DataFrame,
    config: MatchConfig,
    progress: Callable[[float, str], None] | None = None,
    by: str = "",
) -> ReSolve:
    """Match (or re-solve) a program: keep approved and locked pairs, never repeat a rejected
    one, re-optimise the rest exactly, and save the run in one transaction.

    Solving takes a while, and another coordinator may approve, lock or reject a pair
    meanwhile. The run is saved only if the decisions are still those it was solved with
    (checked inside the saving transaction); otherwise it is solved again with the new ones,
    up to :data:`RESOLVE_ATTEMPTS` times. So a saved run never holds a pair rejected before it
    was saved.

    Parameters
    ----------
    store : mentoring.store.db.Store
    program_id : int
    people : pandas.DataFrame
        The program's members.
    config : MatchConfig
        The program's settings (without the review decisions; they are read from the store).
    progress : callable, optional
        ``progress(fraction, message)``, for a progress bar.
    by : str
        Who pressed the button (for the decision log).

    Returns
    -------
    ReSolve
        ``diff`` compares with the previous run, ``None`` on the first.

    Raises
    ------
    mentoring.store.decisions.DecisionsChangedError
        When the decisions changed during every attempt; nothing was saved.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from mentoring.store.db import Store
    >>> from mentoring.reading.synthetic import random_people
    >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
    >>> program = store.create_program("A")
    >>> people = random_people(4, 3, seed=1)
    >>> first = find_matches(store, program.id, people, MatchConfig())
    >>> mentee, mentor = first.result.pairs.loc[0, ["mentee_id", "mentor_id"]]
    >>> _ = store.set_decision(program.id, mentee, mentor, "rejected")
    >>> second = find_matches(store, program.id, people, MatchConfig())
    >>> ((second.result.pairs["mentee_id"] == mentee) & (second.result.pairs["mentor_id"] == mentor)).any()
    np.False_
    >>> second.diff is not None
    True
    """
    from mentoring.pipeline import match
    from mentoring.store.decisions import DecisionsChangedError

    previous = store.latest_run(program_id)
    for attempt in range(1, RESOLVE_ATTEMPTS + 1):
        kept, forbidden = store.kept_and_forbidden(program_id)
        result = match(people, with_decisions(config, kept, forbidden), progress=progress)
        try:
            # Saved only if the decisions are still those the solve honoured, checked inside
            # the saving transaction: a pair rejected meanwhile never reaches the run (#16).
            with store.decisions_unchanged(program_id, kept, forbidden):
                run = save_result(store, program_id, result, people, config, by=by)
        except DecisionsChangedError as exc:
            if attempt == RESOLVE_ATTEMPTS:
                raise DecisionsChangedError(
                    f"Review decisions kept changing while matching ({attempt} tries), so no "
                    "run was saved. Press Find matches again once the other coordinators have "
                    "finished reviewing."
                ) from exc
            if progress is not None:
                progress(0.0, "a coordinator changed a decision meanwhile; matching again")
            continue
        diff = None if previous is None else RunDiff.between(previous.pairs, result.pairs)
        return ReSolve(result=result, run_id=run.id, diff=diff)
    raise AssertionError("unreachable")  # pragma: no cover


def result_extras(result: MatchResult) -> dict[str, Any]:
    """What a saved run needs besides its pairs to be reopened exactly: alternatives, goal
    report, audit, issues, goal price and explanation (plain values and tables).

    Parameters
    ----------
    result : MatchResult

    Returns
    -------
    dict

    Examples
    --------
    >>> from mentoring.pipeline import match
    >>> from mentoring.reading.synthetic import random_people
    >>> sorted(result_extras(match(random_people(3, 2, seed=1))))
    ['alternatives', 'audit', 'goal_explanation', 'goal_price', 'goal_report', 'issues']
    """
    return {
        "alternatives": result.alternatives,
        "goal_report": result.goal_report,
        "audit": {
            "ok": bool(result.audit.ok),
            "problems": list(result.audit.problems),
            "checked": list(result.audit.checked),
        },
        "issues": [asdict(issue) for issue in result.issues],
        "goal_price": None if result.goal_price is None else float(result.goal_price),
        "goal_explanation": str(result.goal_explanation),
    }


def save_result(
    store: Store,
    program_id: int,
    result: MatchResult,
    people: pd.DataFrame,
    settings: MatchConfig,
    *,
    extras: Mapping[str, Any] | None = None,
    by: str = "",
) -> Run:
    """Save a match as the program's new run, with all it needs to be reopened exactly.

    Parameters
    ----------
    store : Store
    program_id : int
    result : MatchResult
    people : pandas.DataFrame
        The members the run was made from.
    settings : MatchConfig
        The program's settings as the coordinator left them (the run's own config, with review
        decisions applied, is ``result.config``).
    extras : mapping, optional
        More plain values or tables to keep with the run, besides :func:`result_extras`.
    by : str
        Who made it, for the decision log.

    Returns
    -------
    mentoring.store.records.Run

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from mentoring.pipeline import match
    >>> from mentoring.reading.synthetic import random_people
    >>> from mentoring.store.db import Store
    >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
    >>> program = store.create_program("A")
    >>> people = random_people(3, 2, seed=1)
    >>> run = save_result(store, program.id, match(people), people, MatchConfig())
    >>> len(store.latest_run(program.id).pairs) == len(run.pairs)
    True
    """
    return store.save_run(
        program_id,
        result.pairs,
        result.unmatched,
        result.stats,
        result.config,
        people=people,
        settings=settings,
        extras={**result_extras(result), **(extras or {})},
        by=by,
    )


def reassign(
    store: Store,
    program_id: int,
    mentee_id: str,
    current_mentor_id: str | None,
    new_mentor_id: str,
    by: str = "",
) -> None:
    """Give a mentee another mentor: the new pair is locked, the current one rejected.

    The next :func:`find_matches` then keeps the new pair and re-optimises everyone else.

    Parameters
    ----------
    store : mentoring.store.db.Store
    program_id : int
    mentee_id : str
    current_mentor_id : str or None
        ``None`` when the mentee is unmatched.
    new_mentor_id : str
    by : str
        Who decided.

    Returns
    -------
    None

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from mentoring.store.db import Store
    >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
    >>> program = store.create_program("A")
    >>> reassign(store, program.id, "e1", "m1", "m2")
    >>> store.kept_and_forbidden(program.id)
    ((('e1', 'm2'),), (('e1', 'm1'),))
    """
    if current_mentor_id == new_mentor_id:
        raise ValueError(f"expected a different mentor than {current_mentor_id!r}")
    changes = [(mentee_id, new_mentor_id, "locked")]
    if current_mentor_id is not None:
        changes.append((mentee_id, current_mentor_id, "rejected"))
    # One transaction: a reassignment is never left half done (new pair locked, old one kept).
    store.set_decisions(program_id, changes, by=by)


def restore_result(people: pd.DataFrame, run: Run) -> MatchResult:
    """Reopen a saved run's full result (alternatives, goal report, audit) after a restart.

    A run saved by :func:`find_matches` carries its finished result, which is returned as it
    was (``graph`` is ``None``; nothing is matched again). For older runs matching is run again
    with the run's own settings (deterministic, so the same pairs); when the members changed
    since, the saved pairs are kept and a result is built around them (no alternatives).

    Parameters
    ----------
    people : pandas.DataFrame
        The program's members.
    run : mentoring.store.records.Run

    Returns
    -------
    MatchResult

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from mentoring.store.db import Store
    >>> from mentoring.reading.synthetic import random_people
    >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
    >>> program = store.create_program("A")
    >>> people = random_people(4, 3, seed=1)
    >>> first = find_matches(store, program.id, people, MatchConfig())
    >>> again = restore_result(people, store.latest_run(program.id))
    >>> again.pairs[["mentee_id", "mentor_id"]].equals(first.result.pairs[["mentee_id", "mentor_id"]])
    True
    """
    from mentoring.model.results import ALTERNATIVE_COLUMNS, MatchStats
    from mentoring.outputs.graph import candidate_graph
    from mentoring.pipeline import match

    if run.extras.get("alternatives") is not None:
        return _stored_result(run)
    try:
        result = match(people, run.config)
    except MentoringError:
        result = None
    if result is not None and _same_pairs(result.pairs, run.pairs):
        return result
    edges = run.pairs[["mentee_id", "mentor_id", "score", *COMPONENTS]].assign(matched=True)
    known = {f for f in MatchStats.__dataclass_fields__}
    return MatchResult(
        pairs=run.pairs,
        unmatched=run.unmatched,
        alternatives=pd.DataFrame(columns=list(ALTERNATIVE_COLUMNS)),
        stats=MatchStats(**{k: v for k, v in run.stats.items() if k in known}),
        config=run.config,
        audit=AuditReport(ok=False, problems=("the members changed since this run",)),
        graph=candidate_graph(people, edges),
    )


def _stored_result(run: Run) -> MatchResult:
    """The finished result saved with the run, without matching again (a restart is quick)."""
    from mentoring.model.errors import Issue
    from mentoring.model.results import MatchStats

    known = set(MatchStats.__dataclass_fields__)
    audit = run.extras.get("audit") or {}
    report = run.extras.get("goal_report")
    return MatchResult(
        pairs=run.pairs,
        unmatched=run.unmatched,
        alternatives=run.extras["alternatives"],
        stats=MatchStats(**{k: v for k, v in run.stats.items() if k in known}),
        config=run.config,
        audit=AuditReport(
            ok=bool(audit.get("ok", False)),
            problems=tuple(audit.get("problems", ())),
            checked=tuple(audit.get("checked", ())),
        ),
        graph=None,
        goal_report=report if isinstance(report, pd.DataFrame) else pd.DataFrame(),
        issues=tuple(Issue(**data) for data in run.extras.get("issues", ())),
        goal_price=run.extras.get("goal_price"),
        goal_explanation=str(run.extras.get("goal_explanation", "")),
    )


def _same_pairs(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    def key(frame: pd.DataFrame) -> set[tuple[str, str]]:
        return set(zip(frame["mentee_id"].astype(str), frame["mentor_id"].astype(str), strict=True))

    return key(a) == key(b)


@dataclass(frozen=True, eq=False)
class WhyNot:
    """Why a mentee did not get their best mentor, and what each other option would cost.

    ``best`` is the best mentor's name (``""`` when the mentee has no allowed mentor with
    places); ``reason`` is ``"assigned"`` when they got them, else one sentence; ``options``
    has :data:`FORCED_COLUMNS`, best score first.
    """

    mentee_id: str
    best: str
    best_score: float
    reason: str
    options: pd.DataFrame


def why_not_best(
    people: pd.DataFrame, result: MatchResult, mentee_id: str, status: str = "pending"
) -> WhyNot:
    """The counterfactual for one mentee of a result: their best mentor, why not, the costs.

    Only this mentee is explained (each forced alternative is an exact re-solve), so it stays
    fast enough to run when the coordinator selects a pair.

    Parameters
    ----------
    people : pandas.DataFrame
        The members the result was made from.
    result : MatchResult
    mentee_id : str
    status : str
        The review status of the mentee's pair: an approved pair is described as approved,
        never as locked.

    Returns
    -------
    WhyNot
        ``reason`` is a sentence starting with a capital; ``options`` carries the mentor ids
        too (column ``mentor_id``), in the same order as :func:`other_mentors`.

    Examples
    --------
    >>> from mentoring.pipeline import match
    >>> from mentoring.reading.synthetic import random_people
    >>> people = random_people(5, 3, seed=1)
    >>> result = match(people, MatchConfig())
    >>> answer = why_not_best(people, result, result.pairs.loc[0, "mentee_id"])
    >>> list(answer.options.columns)
    ['mentor', 'score', 'total_score_lost', 'mentees_unmatched', 'mentor_id']
    """
    import numpy as np

    from mentoring.engine.cohort import score_people
    from mentoring.outputs.counterfactual import counterfactuals

    cohort = score_people(people, result.config)
    if mentee_id not in cohort.mentee_ids:
        raise ValueError(f"expected the id of a mentee of this cohort, got {mentee_id!r}")
    column = {m: j for j, m in enumerate(cohort.mentor_ids)}
    row = {m: i for i, m in enumerate(cohort.mentee_ids)}
    assignment = np.full(len(cohort.mentee_ids), -1, dtype=np.int64)
    for mentee, mentor in zip(result.pairs["mentee_id"], result.pairs["mentor_id"], strict=True):
        if mentee in row and mentor in column:
            assignment[row[mentee]] = column[mentor]
    found = counterfactuals(cohort, assignment, mentees=[mentee_id]).iloc[0]
    names = dict(zip(people["member_id"].astype(str), people["name"].astype(str), strict=True))
    raw = np.asarray(cohort.scores)[row[mentee_id]]
    options = pd.DataFrame(
        {
            "mentor": [names.get(m, m) for m in found["alternatives"]],
            "score": [float(raw[column[m]]) for m in found["alternatives"]],
            "total_score_lost": [float(x) for x in found["losses"]],
            "mentees_unmatched": [int(x) for x in found["unmatched_added"]],
            "mentor_id": [str(m) for m in found["alternatives"]],
        },
        columns=[*FORCED_COLUMNS, "mentor_id"],
    )
    best = found["best_mentor_id"]
    has_best = isinstance(best, str) and best != ""
    reason = str(found["why_not"])
    if status == "approved" and reason.startswith("the coordinator locked"):
        # Approving keeps a pair on re-solve as a lock does, but it is the coordinator's
        # approval of a proposed pair, not a pair they imposed.
        reason = "you approved this pair, so every re-solve keeps it."
    if reason != "assigned":
        reason = reason[:1].upper() + reason[1:]
    return WhyNot(
        mentee_id=mentee_id,
        best=names.get(best, best) if has_best else "",
        best_score=float(found["best_score"]) if has_best else math.nan,
        reason=reason,
        options=options,
    )


OTHER_MENTOR_COLUMNS: tuple[str, ...] = (
    "mentor_id",
    "mentor",
    "score",
    *COMPONENTS,
    "total_score_lost",
    "mentees_unmatched",
    "reasons",
)
"""Columns of :func:`other_mentors`."""


def other_mentors(result: MatchResult, mentee_id: str, answer: WhyNot | None) -> pd.DataFrame:
    """A mentee's other possible mentors in one table, best score first, ties by mentor id:
    the score broken down, and (with ``answer``) what giving them that mentor would cost.

    The same order is used for the "Reassign to" choices, so the two never disagree on ties.

    Parameters
    ----------
    result : MatchResult
    mentee_id : str
    answer : WhyNot or None
        From :func:`why_not_best`; ``None`` when it could not be computed.

    Returns
    -------
    pandas.DataFrame
        :data:`OTHER_MENTOR_COLUMNS`.

    Examples
    --------
    >>> from mentoring.pipeline import match
    >>> from mentoring.reading.synthetic import random_people
    >>> people = random_people(5, 3, seed=1)
    >>> result = match(people, MatchConfig())
    >>> mentee = result.pairs.loc[0, "mentee_id"]
    >>> table = other_mentors(result, mentee, why_not_best(people, result, mentee))
    >>> table["score"].is_monotonic_decreasing
    True
    """
    alternatives = result.alternatives
    if len(alternatives):
        alternatives = alternatives.loc[alternatives["mentee_id"] == mentee_id]
    by_mentor = {str(r["mentor_id"]): r for r in alternatives.to_dict("records")}
    rows = []
    if answer is not None and len(answer.options):
        for option in answer.options.to_dict("records"):
            known = by_mentor.get(str(option["mentor_id"]), {})
            rows.append(
                {
                    "mentor_id": str(option["mentor_id"]),
                    "mentor": str(option["mentor"]),
                    "score": float(option["score"]),
                    **{c: float(known.get(c, math.nan)) for c in COMPONENTS},
                    "total_score_lost": float(option["total_score_lost"]),
                    "mentees_unmatched": int(option["mentees_unmatched"]),
                    "reasons": _joined(known.get("reasons", "")),
                }
            )
    else:
        for mentor_id, known in by_mentor.items():
            rows.append(
                {
                    "mentor_id": mentor_id,
                    "mentor": str(known.get("mentor_name", mentor_id)),
                    "score": float(known["score"]),
                    **{c: float(known.get(c, math.nan)) for c in COMPONENTS},
                    "total_score_lost": math.nan,
                    "mentees_unmatched": 0,
                    "reasons": _joined(known.get("reasons", "")),
                }
            )
    table = pd.DataFrame(rows, columns=list(OTHER_MENTOR_COLUMNS))
    order = sorted(
        range(len(table)), key=lambda k: (-table["score"].iloc[k], table["mentor_id"].iloc[k])
    )
    return table.iloc[order].reset_index(drop=True)


def _joined(value: Any) -> str:
    if isinstance(value, tuple | list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)
