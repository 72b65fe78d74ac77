"""What the coordinator's review app needs beyond matching: presets, run summaries, the
difference between two runs, applying review decisions, and the sign-in gate.

Everything here is plain Python over plain data, so the app stays a thin layer of widgets and
every rule it follows is tested here. The functions that take a :class:`~mentoring.store.Store`
are the app's user actions: each is one call, and each leaves the store consistent if it fails.

>>> RunDiff.between(pd.DataFrame({"mentee_id": ["e1"], "mentor_id": ["m1"], "score": [0.5]}),
...                 pd.DataFrame({"mentee_id": ["e1"], "mentor_id": ["m2"], "score": [0.7]})).changed
1
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from mentoring.model import (
    COMPONENTS,
    AuditReport,
    Issue,
    MatchConfig,
    MatchResult,
    MentoringError,
    Weights,
)

if TYPE_CHECKING:
    from mentoring.history import HistoryPlan
    from mentoring.store import Run, Store

__all__ = [
    "DIFF_COLUMNS",
    "FORCED_COLUMNS",
    "GOAL_HELP",
    "MAPPING_COLUMNS",
    "PRESETS",
    "REVIEW_VIEW_COLUMNS",
    "WEIGHT_HELP",
    "Access",
    "Headline",
    "WhyNot",
    "ReSolve",
    "RunDiff",
    "access_decision",
    "allowed_emails",
    "apply_past_matches",
    "apply_preset",
    "blocking_issues",
    "find_matches",
    "goal_price_sentence",
    "headline",
    "mapping_from_table",
    "mapping_used",
    "mapping_table",
    "matching_ready",
    "members_by_role",
    "preset_name",
    "reassign",
    "restore_result",
    "review_view",
    "why_not_best",
    "with_decisions",
    "with_goal",
    "without_goal",
]

WEIGHT_HELP: dict[str, tuple[str, str]] = {
    "interests": (
        "Shared interests",
        "Pairs who list the same areas of interest score higher.",
    ),
    "goals": (
        "Mentee goals met",
        "What the mentee hopes to gain matches what the mentor offers.",
    ),
    "community": (
        "Same community",
        "Same library type, division or state chapter.",
    ),
    "diversity": (
        "Identity match when asked for",
        "Honours mentees who asked for a mentor who shares part of their identity.",
    ),
    "logistics": (
        "Practical fit",
        "Close time zones, a shared language and a meeting mode both accept.",
    ),
    "experience": (
        "Experience gap",
        "The mentor is a career stage or more ahead of the mentee.",
    ),
    "preference": (
        "Mentee's chosen mentors",
        "Mentees who named a mentor get them when possible, first choice most.",
    ),
}
"""Plain-language label and one-line explanation of each score component's weight."""

PRESETS: dict[str, Weights] = {
    "Balanced": Weights(),
    "Interests first": Weights(
        interests=6.0,
        goals=4.0,
        community=1.0,
        diversity=0.5,
        logistics=1.0,
        experience=0.5,
        preference=1.0,
    ),
    "Diversity goals first": Weights(
        interests=2.0,
        goals=2.0,
        community=1.0,
        diversity=5.0,
        logistics=1.0,
        experience=1.0,
        preference=2.0,
    ),
}
"""Named weightings offered on the Settings page; "Balanced" is the library's default."""

GOAL_HELP: dict[str, tuple[str, str]] = {
    "priority_covered": (
        "Every priority mentee matched",
        "Mentees in a priority program are matched first, as many as any set of pairs allows.",
    ),
    "identity_share": (
        "Identity match for those who asked",
        "At least this share of the mentees who asked for a mentor sharing part of their "
        "identity get one.",
    ),
    "group_coverage": (
        "Every group gets mentors",
        "At least this share of the mentees in each group (for example each library type) "
        "are matched.",
    ),
    "group_score_parity": (
        "Equally good pairs in every group",
        "Each group's mean pair score stays within this distance of the overall mean, so no "
        "group is left with the weaker pairs.",
    ),
}
"""Plain-language label and one-line explanation of each diversity goal kind, by ``kind``."""

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

MAPPING_COLUMNS: tuple[str, ...] = ("file", "column", "field")
"""Columns of :func:`mapping_table`; ``field`` is ``""`` for a column left out."""

FORCED_COLUMNS: tuple[str, ...] = ("mentor", "score", "total_score_lost", "mentees_unmatched")
"""Columns of :attr:`WhyNot.options`: what giving the mentee each other mentor would cost."""

Access = Literal["open", "sign_in", "denied", "allowed"]


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
                    "mentee_name": (now or was)["mentee_name"],
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
        As returned by ``match`` or saved in a :class:`~mentoring.store.Run`.
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
        :meth:`mentoring.store.Store.review_table`.

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


def blocking_issues(issues: Iterable[Issue]) -> list[Issue]:
    """The issues that block matching until resolved: those of severity ``error``.

    Parameters
    ----------
    issues : iterable of Issue

    Returns
    -------
    list of Issue

    Examples
    --------
    >>> blocking_issues([Issue("a.csv", 2, "Role", "role_missing", "no role", "error"),
    ...                  Issue("a.csv", 3, "Tz", "tz", "odd zone", "warning")])[0].code
    'role_missing'
    """
    return [i for i in issues if i.severity == "error"]


def members_by_role(people: pd.DataFrame) -> dict[str, int]:
    """How many members of each role were read: mentors, mentees, both.

    Parameters
    ----------
    people : pandas.DataFrame
        The people table.

    Returns
    -------
    dict
        ``{"mentor": n, "mentee": n, "both": n}``.

    Examples
    --------
    >>> members_by_role(pd.DataFrame({"role": ["mentor", "mentee", "mentee"]}))
    {'mentor': 1, 'mentee': 2, 'both': 0}
    """
    counts = people["role"].value_counts() if "role" in people.columns else pd.Series()
    return {role: int(counts.get(role, 0)) for role in ("mentor", "mentee", "both")}


def matching_ready(people: pd.DataFrame, issues: Iterable[Issue]) -> str | None:
    """Why matching cannot start yet, as a sentence, or ``None`` when it can.

    Parameters
    ----------
    people : pandas.DataFrame
    issues : iterable of Issue

    Returns
    -------
    str or None

    Examples
    --------
    >>> matching_ready(pd.DataFrame({"role": []}), [])
    'No members yet. Go to Upload and load a member file or the sample data.'
    >>> matching_ready(pd.DataFrame({"role": ["mentor", "mentee"]}), []) is None
    True
    """
    counts = members_by_role(people)
    if not len(people):
        return "No members yet. Go to Upload and load a member file or the sample data."
    errors = blocking_issues(issues)
    if errors:
        return (
            f"{len(errors)} problem(s) in the member files block matching. Go to Map and fix, "
            "correct them (or fix the file and upload it again), then come back."
        )
    if counts["mentee"] + counts["both"] == 0:
        return "No mentees were read. Check the role column on Map and fix."
    if counts["mentor"] + counts["both"] == 0:
        return "No mentors were read. Check the role column on Map and fix."
    return None


def apply_preset(config: MatchConfig, name: str) -> MatchConfig:
    """The configuration with the weights of a named preset (rules and objective unchanged).

    Parameters
    ----------
    config : MatchConfig
    name : str
        One of :data:`PRESETS`.

    Returns
    -------
    MatchConfig

    Examples
    --------
    >>> apply_preset(MatchConfig(min_score=0.2), "Interests first").weights.interests
    6.0
    >>> apply_preset(MatchConfig(), "Fast")
    Traceback (most recent call last):
    ...
    ValueError: expected a preset among Balanced, Interests first, Diversity goals first, got 'Fast'
    """
    if name not in PRESETS:
        raise ValueError(f"expected a preset among {', '.join(PRESETS)}, got {name!r}")
    return config.with_(weights=PRESETS[name])


def preset_name(weights: Weights) -> str | None:
    """The preset whose weights these are, or ``None`` for a custom weighting.

    Parameters
    ----------
    weights : Weights

    Returns
    -------
    str or None

    Examples
    --------
    >>> preset_name(Weights()), preset_name(Weights(interests=9))
    ('Balanced', None)
    """
    for name, preset in PRESETS.items():
        if preset == weights:
            return name
    return None


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
        From :meth:`mentoring.store.Store.kept_and_forbidden`.

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
) -> ReSolve:
    """Match (or re-solve) a program: keep approved and locked pairs, never repeat a rejected
    one, re-optimise the rest exactly, and save the run in one transaction.

    Parameters
    ----------
    store : mentoring.store.Store
    program_id : int
    people : pandas.DataFrame
        The program's members.
    config : MatchConfig
        The program's settings (without the review decisions; they are read from the store).
    progress : callable, optional
        ``progress(fraction, message)``, for a progress bar.

    Returns
    -------
    ReSolve
        ``diff`` compares with the previous run, ``None`` on the first.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from mentoring.store import Store
    >>> from mentoring.synthetic import random_people
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

    previous = store.latest_run(program_id)
    kept, forbidden = store.kept_and_forbidden(program_id)
    result = match(people, with_decisions(config, kept, forbidden), progress=progress)
    run = store.save_run(program_id, result.pairs, result.unmatched, result.stats, result.config)
    diff = None if previous is None else RunDiff.between(previous.pairs, result.pairs)
    return ReSolve(result=result, run_id=run.id, diff=diff)


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
    store : mentoring.store.Store
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
    >>> from mentoring.store import Store
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
    """Rebuild a saved run's full result (alternatives, graph, audit) after a restart.

    Matching is deterministic, so running it again with the run's own settings gives the same
    pairs; when the members changed since, the saved pairs are kept and a result is built
    around them (no alternatives, the graph of the saved pairs only).

    Parameters
    ----------
    people : pandas.DataFrame
        The program's members.
    run : mentoring.store.Run

    Returns
    -------
    MatchResult

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from mentoring.store import Store
    >>> from mentoring.synthetic import random_people
    >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
    >>> program = store.create_program("A")
    >>> people = random_people(4, 3, seed=1)
    >>> first = find_matches(store, program.id, people, MatchConfig())
    >>> again = restore_result(people, store.latest_run(program.id))
    >>> again.pairs[["mentee_id", "mentor_id"]].equals(first.result.pairs[["mentee_id", "mentor_id"]])
    True
    """
    from mentoring.graph import candidate_graph
    from mentoring.model import ALTERNATIVE_COLUMNS, MatchStats
    from mentoring.pipeline import match

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


def _same_pairs(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    def key(frame: pd.DataFrame) -> set[tuple[str, str]]:
        return set(zip(frame["mentee_id"].astype(str), frame["mentor_id"].astype(str), strict=True))

    return key(a) == key(b)


def allowed_emails(secrets: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The coordinator allow-list from the app's secrets, or ``None`` when sign-in is off.

    Sign-in is on only when ``secrets`` has an ``[auth]`` section (Streamlit's OIDC settings)
    and ``[mentoring] allowed_emails``; with no secrets at all the app is open, for local use.

    Parameters
    ----------
    secrets : mapping
        ``st.secrets`` or a plain dict read from ``secrets.toml``.

    Returns
    -------
    tuple of str or None
        Lower-cased, stripped, sorted addresses.

    Raises
    ------
    ValueError
        When only one of the two sections is present, or the list is not a list of addresses:
        a half-configured gate must not silently leave the app open.

    Examples
    --------
    >>> allowed_emails({}) is None
    True
    >>> allowed_emails({"auth": {"redirect_uri": "x"},
    ...                 "mentoring": {"allowed_emails": [" Kim@ALA.org "]}})
    ('kim@ala.org',)
    """
    section = secrets.get("mentoring") or {}
    listed = section.get("allowed_emails") if isinstance(section, Mapping) else None
    has_auth = bool(secrets.get("auth"))
    if listed is None and not has_auth:
        return None
    if listed is None:
        raise ValueError(
            "secrets.toml has an [auth] section but no [mentoring] allowed_emails list; add "
            'allowed_emails = ["coordinator@example.org"] so that only coordinators get in.'
        )
    if not has_auth:
        raise ValueError(
            "secrets.toml lists [mentoring] allowed_emails but has no [auth] section; add the "
            "OIDC settings described in docs/deployment.md, or remove the list for local use."
        )
    if isinstance(listed, str) or not all(isinstance(e, str) and "@" in e for e in listed):
        raise ValueError(
            f"expected [mentoring] allowed_emails as a list of email addresses, got {listed!r}"
        )
    return tuple(sorted({e.strip().lower() for e in listed}))


def access_decision(allowed: Sequence[str] | None, logged_in: bool, email: str | None) -> Access:
    """Whether to show the app: ``open`` (no sign-in configured), ``sign_in``, ``denied`` or
    ``allowed``.

    Parameters
    ----------
    allowed : sequence of str or None
        From :func:`allowed_emails`.
    logged_in : bool
        ``st.user.is_logged_in``.
    email : str or None
        ``st.user.email``; compared without case.

    Returns
    -------
    {"open", "sign_in", "denied", "allowed"}

    Examples
    --------
    >>> access_decision(None, False, None)
    'open'
    >>> access_decision(("kim@ala.org",), False, None)
    'sign_in'
    >>> access_decision(("kim@ala.org",), True, "KIM@ala.org"), access_decision(
    ...     ("kim@ala.org",), True, "eve@evil.example")
    ('allowed', 'denied')
    """
    if allowed is None:
        return "open"
    if not logged_in:
        return "sign_in"
    if email and email.strip().lower() in set(allowed):
        return "allowed"
    return "denied"


def mapping_table(
    headers: Mapping[str, Sequence[str]], chosen: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The column mapping as an editable table: one row per file and column.

    Parameters
    ----------
    headers : mapping
        ``{file name: [header, ...]}`` in file order.
    chosen : mapping, optional
        ``{header: field}`` the coordinator set before; overrides the guess (``""`` or
        ``"ignore"`` leaves the column out).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`MAPPING_COLUMNS`.

    Examples
    --------
    >>> mapping_table({"a.csv": ["Full name", "Colour"]}, {"Colour": "notes"}).values.tolist()
    [['a.csv', 'Full name', 'name'], ['a.csv', 'Colour', 'notes']]
    """
    from mentoring.mapping import IGNORE, guess_mapping

    chosen = dict(chosen or {})
    rows = []
    for file, names in headers.items():
        guessed = guess_mapping(list(names))
        for header in names:
            field = chosen.get(header, guessed.get(header, ""))
            rows.append({"file": file, "column": header, "field": "" if field == IGNORE else field})
    return pd.DataFrame(rows, columns=list(MAPPING_COLUMNS), dtype=object)


def mapping_from_table(table: pd.DataFrame) -> dict[str, str]:
    """The explicit ``{header: field}`` mapping the loader takes, from an edited table.

    A blank field becomes ``"ignore"``, so a column the coordinator cleared stays out.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns :data:`MAPPING_COLUMNS`.

    Returns
    -------
    dict

    Examples
    --------
    >>> mapping_from_table(pd.DataFrame({"file": ["a", "a"], "column": ["Name", "X"],
    ...                                  "field": ["name", None]}))
    {'Name': 'name', 'X': 'ignore'}
    """
    from mentoring.mapping import IGNORE

    missing = set(MAPPING_COLUMNS) - set(table.columns)
    if missing:
        raise ValueError(
            f"expected columns {', '.join(MAPPING_COLUMNS)}, got {list(table.columns)}"
        )
    out = {}
    for header, field in zip(table["column"], table["field"], strict=True):
        text = "" if field is None or (isinstance(field, float) and math.isnan(field)) else field
        out[str(header)] = str(text).strip() or IGNORE
    return out


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


def why_not_best(people: pd.DataFrame, result: MatchResult, mentee_id: str) -> WhyNot:
    """The counterfactual for one mentee of a result: their best mentor, why not, the costs.

    Only this mentee is explained (each forced alternative is an exact re-solve), so it stays
    fast enough to run when the coordinator selects a pair.

    Parameters
    ----------
    people : pandas.DataFrame
        The members the result was made from.
    result : MatchResult
    mentee_id : str

    Returns
    -------
    WhyNot

    Examples
    --------
    >>> from mentoring.pipeline import match
    >>> from mentoring.synthetic import random_people
    >>> people = random_people(5, 3, seed=1)
    >>> result = match(people, MatchConfig())
    >>> answer = why_not_best(people, result, result.pairs.loc[0, "mentee_id"])
    >>> list(answer.options.columns)
    ['mentor', 'score', 'total_score_lost', 'mentees_unmatched']
    """
    import numpy as np

    from mentoring.counterfactual import counterfactuals
    from mentoring.pipeline import score_people

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
        },
        columns=list(FORCED_COLUMNS),
    )
    best = found["best_mentor_id"]
    has_best = isinstance(best, str) and best != ""
    return WhyNot(
        mentee_id=mentee_id,
        best=names.get(best, best) if has_best else "",
        best_score=float(found["best_score"]) if has_best else math.nan,
        reason=str(found["why_not"]),
        options=options,
    )


def mapping_used(
    mappings: Mapping[str, Mapping[str, str]], unmapped: Mapping[str, Sequence[str]]
) -> dict[str, str]:
    """One ``{header: field}`` mapping from what the loader used per file, left-out columns
    as ``"ignore"``: what the app saves and offers for editing.

    Parameters
    ----------
    mappings : mapping
        ``LoadReport.mappings``: ``{file: {header: field}}``.
    unmapped : mapping
        ``LoadReport.unmapped``: ``{file: (header, ...)}``.

    Returns
    -------
    dict
        The first file that maps a header decides its field.

    Examples
    --------
    >>> mapping_used({"a.csv": {"Name": "name"}, "b.csv": {"Name": "name", "Mail": "email"}},
    ...              {"a.csv": ("Colour",)})
    {'Name': 'name', 'Mail': 'email', 'Colour': 'ignore'}
    """
    from mentoring.mapping import IGNORE

    used: dict[str, str] = {}
    for per_file in mappings.values():
        for header, field in per_file.items():
            used.setdefault(header, field)
    for headers in unmapped.values():
        for header in headers:
            used.setdefault(header, IGNORE)
    return used


def _goal_key(goal: Any) -> tuple[str, str]:
    data = goal.to_dict()
    return data["kind"], str(data.get("field", ""))


def with_goal(config: MatchConfig, goal: Any) -> MatchConfig:
    """The configuration with one more diversity goal; a goal of the same kind (and field)
    is replaced, so two thresholds for the same promise never stand side by side.

    Parameters
    ----------
    config : MatchConfig
    goal : goal or mapping
        A goal from :mod:`mentoring.goals`, or its dictionary (``{"kind": ..., ...}``).

    Returns
    -------
    MatchConfig
        The other goals keep their order; the new one comes last.

    Raises
    ------
    ConfigError
        When the goal's kind or a setting is unknown or out of range.

    Examples
    --------
    >>> config = with_goal(MatchConfig(), {"kind": "identity_share", "min_fraction": 0.5})
    >>> config = with_goal(config, {"kind": "identity_share", "min_fraction": 0.7})
    >>> [g.describe() for g in config.goals]
    ['At least 70% of the mentees who asked for a mentor sharing an identity get one.']
    """
    from mentoring.goals import goal_from_dict

    new = goal_from_dict(goal)
    kept = [g for g in config.goals if _goal_key(g) != _goal_key(new)]
    return config.with_(goals=(*kept, new))


def without_goal(config: MatchConfig, position: int) -> MatchConfig:
    """The configuration without the goal at ``position`` (counting from 0).

    Parameters
    ----------
    config : MatchConfig
    position : int
        Index into ``config.goals``.

    Returns
    -------
    MatchConfig

    Raises
    ------
    ValueError
        When there is no goal at that position.

    Examples
    --------
    >>> from mentoring.goals import IdentityShare, PriorityCovered
    >>> config = MatchConfig(goals=(PriorityCovered(), IdentityShare(0.5)))
    >>> without_goal(config, 0).goals
    (IdentityShare(min_fraction=0.5),)
    """
    if isinstance(position, bool) or not isinstance(position, int):
        raise ValueError(f"expected a goal position as a whole number, got {position!r}")
    if not 0 <= position < len(config.goals):
        raise ValueError(
            f"expected a goal position from 0 to {len(config.goals) - 1}, got {position}"
        )
    return config.with_(goals=config.goals[:position] + config.goals[position + 1 :])


def goal_price_sentence(price: float | None) -> str:
    """What the diversity goals cost, in a sentence a coordinator can weigh.

    Parameters
    ----------
    price : float or None
        ``MatchResult.goal_price``: the total score of the best pairs without the goals minus
        the total with them; ``None`` when the run had no goals.

    Returns
    -------
    str
        ``""`` without goals.

    Examples
    --------
    >>> goal_price_sentence(0.8)
    'Meeting the goals costs 0.800 in total score, compared with the best pairs without them.'
    >>> goal_price_sentence(0.0)
    'Meeting the goals costs nothing: the best pairs without them already meet them.'
    """
    if price is None:
        return ""
    # Solver round-off can leave a price of -1e-12 for goals that cost nothing.
    if price <= 1e-9:
        return "Meeting the goals costs nothing: the best pairs without them already meet them."
    return (
        f"Meeting the goals costs {price:.3f} in total score, compared with the best pairs "
        "without them."
    )


def apply_past_matches(
    people: pd.DataFrame, past_files: Sequence[tuple[str, bytes]], config: MatchConfig
) -> HistoryPlan:
    """This year's members and settings with earlier years' matches applied.

    Past pairs are kept apart this year unless both asked to continue, continuing pairs are
    preferred, and mentors who carried a heavy load get one place fewer (see
    :func:`mentoring.history.plan_history`).

    Parameters
    ----------
    people : pandas.DataFrame
        This year's people table.
    past_files : sequence of (name, bytes)
        Earlier match files (our own matches export, CSV or XLSX), the year in the name or in
        a ``year`` column; none gives the members back unchanged.
    config : MatchConfig
        This year's settings.

    Returns
    -------
    mentoring.history.HistoryPlan
        ``people`` and ``config`` to save, and ``changes`` (member_id, field, action, detail).

    Raises
    ------
    LoadError
        When a past file lacks the id columns or a year; the message names the file.

    Examples
    --------
    >>> people = pd.DataFrame({"member_id": ["e", "r"], "name": ["E", "R"],
    ...     "role": ["mentee", "mentor"]})
    >>> past = [("matches_2025.csv", b"mentee_id,mentor_id\\ne,r\\n")]
    >>> plan = apply_past_matches(people, past, MatchConfig())
    >>> plan.changes[["member_id", "action"]].values.tolist()
    [['e', 'repeat forbidden']]
    """
    from mentoring.history import CHANGE_COLUMNS, HistoryPlan, plan_history, read_history

    if not past_files:
        return HistoryPlan(
            people=people, config=config, changes=pd.DataFrame(columns=list(CHANGE_COLUMNS))
        )
    return plan_history(people, read_history(list(past_files)), config)
