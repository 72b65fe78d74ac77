"""A program through the year, from the app: late joiners matched into free places, and
re-matching after a check-in. One function per button, each saving a run like
:func:`mentoring.services.runs.find_matches` does.

- :func:`match_newcomers`: the members in ``new_files`` join the program; every approved or
  locked pair stays as it is, newcomers (and anyone still unmatched) take the places left.
- :func:`rematch_after_checkin`: the pairs a check-in file ends are forbidden (and rejected in
  the review, so no later re-solve proposes them); only their mentees get new mentors, every
  other pair is kept; the run carries the ended pairs as history rows.

Both return the difference from the previous run, one row per mentee whose mentor changed,
with why (:data:`DIFFERENCE_COLUMNS`).

>>> differences(pd.DataFrame({"mentee_id": ["e1"], "mentor_id": ["m1"], "score": [0.5]}),
...             pd.DataFrame({"mentee_id": ["e1", "e2"], "mentor_id": ["m1", "m2"],
...                           "score": [0.5, 0.7]}), {"e2": "a new member"})["why"].tolist()
['a new member']
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from mentoring.model.config import MatchConfig
from mentoring.model.errors import LoadError, MentoringError
from mentoring.model.results import MatchResult
from mentoring.services.runs import DIFF_COLUMNS, RunDiff, save_result

if TYPE_CHECKING:
    from mentoring.store.db import Store
    from mentoring.store.records import Run

__all__ = [
    "DIFFERENCE_COLUMNS",
    "CheckinRun",
    "NewcomersRun",
    "differences",
    "match_newcomers",
    "rematch_after_checkin",
]

DIFFERENCE_COLUMNS: tuple[str, ...] = (*DIFF_COLUMNS, "why", "reasons")
"""Columns of the difference tables: :data:`~mentoring.services.runs.DIFF_COLUMNS`, then why
the mentee's mentor changed and the reasons for the new pair."""

Progress = Callable[[float, str], None]


@dataclass(frozen=True, eq=False)
class NewcomersRun:
    """What :func:`match_newcomers` saved.

    ``newcomers`` are the member ids added; ``differences`` has :data:`DIFFERENCE_COLUMNS`;
    ``would_change`` lists the kept pairs a free re-match would change (empty unless asked, see
    :data:`mentoring.lifecycle.SUGGESTION_COLUMNS`).
    """

    run_id: int
    result: MatchResult
    newcomers: tuple[str, ...]
    differences: pd.DataFrame
    would_change: pd.DataFrame
    summary: str


@dataclass(frozen=True, eq=False)
class CheckinRun:
    """What :func:`rematch_after_checkin` saved.

    ``ended`` are the pairs the check-in ended (mentee_id, mentor_id, status, note);
    ``differences`` has :data:`DIFFERENCE_COLUMNS`; ``history`` the ended pairs as history
    rows for next year (:func:`mentoring.reading.history.checkin_history`).
    """

    run_id: int
    result: MatchResult
    ended: pd.DataFrame
    differences: pd.DataFrame
    history: pd.DataFrame
    summary: str
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)


def differences(
    before: pd.DataFrame,
    after: pd.DataFrame,
    why: Mapping[str, str],
    reasons: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Every mentee whose mentor changed between two runs, and why.

    Parameters
    ----------
    before, after : pandas.DataFrame
        Pairs tables (``mentee_id``, ``mentor_id``, ``score``; names used when present).
    why : mapping
        ``{mentee_id: sentence}``; a mentee not named is described by the kind of change.
    reasons : mapping, optional
        ``{mentee_id: reasons for the new pair}``; by default the ``reasons`` of ``after``.

    Returns
    -------
    pandas.DataFrame
        :data:`DIFFERENCE_COLUMNS`, one row per mentee whose mentor changed.

    Examples
    --------
    >>> old = pd.DataFrame({"mentee_id": ["a", "b"], "mentor_id": ["x", "y"], "score": [0.5, 0.2]})
    >>> new = pd.DataFrame({"mentee_id": ["a", "b"], "mentor_id": ["x", "z"], "score": [0.5, 0.4]})
    >>> differences(old, new, {})[["mentee_id", "mentor_before", "mentor_after", "why"]].values.tolist()
    [['b', 'y', 'z', 'the pair was not approved, so it was free to change']]
    """
    table = RunDiff.between(before, after).table.copy()
    if reasons is None:
        reasons = {}
        if "reasons" in after.columns:
            reasons = {
                str(e): _joined(r)
                for e, r in zip(after["mentee_id"], after["reasons"], strict=True)
            }
    default = {
        "added": "matched into a free place",
        "changed": "the pair was not approved, so it was free to change",
        "removed": "no longer matched",
    }
    table["why"] = [
        why.get(str(e), default[c])
        for e, c in zip(table["mentee_id"], table["change"], strict=True)
    ]
    table["reasons"] = [
        reasons.get(str(e), "") if c != "removed" else ""
        for e, c in zip(table["mentee_id"], table["change"], strict=True)
    ]
    return table[list(DIFFERENCE_COLUMNS)].reset_index(drop=True)


def _joined(value: Any) -> str:
    if isinstance(value, tuple | list):
        return "; ".join(str(v) for v in value)
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _latest(store: Store, program_id: int, what: str) -> Run:
    run = store.latest_run(program_id)
    if run is None:
        raise MentoringError(
            f"{what} needs a run to start from: press Find matches on Review first."
        )
    return run


def _settings(store: Store, program_id: int, config: MatchConfig | None) -> MatchConfig:
    from mentoring.services.settings import default_settings

    return config or store.load_settings(program_id) or default_settings()


def _newcomers(
    files: Sequence[tuple[str, bytes]], people: pd.DataFrame
) -> tuple[pd.DataFrame, tuple[Any, ...]]:
    """The members read from ``files``, refused when they are blocked or already members."""
    from mentoring.services.members import blocking_issues, load_member_files

    if not files:
        raise LoadError("Choose the file with the new members first.")
    report = load_member_files(list(files))
    blocking = blocking_issues(report.issues)
    if blocking:
        first = blocking[0]
        where = f"{first.file}, row {first.row}" if first.row is not None else first.file
        raise LoadError(
            f"{where}: {first.message} ({len(blocking)} problem(s) block these members; fix the "
            "file, or load it on Upload to map its columns).",
        )
    new = report.people
    if new.empty:
        raise LoadError("The file has no members in it.")
    known = set(people["member_id"].astype(str))
    clash = sorted(set(new["member_id"].astype(str)) & known)
    if clash:
        raise LoadError(
            f"{len(clash)} member(s) of the file are already in the program ({', '.join(clash[:5])}"
            f"{'...' if len(clash) > 5 else ''}). A late-joiners file adds members; to change "
            "existing ones, load the whole member list on Upload."
        )
    return new, tuple(report.issues)


def match_newcomers(
    store: Store,
    program_id: int,
    new_files: Sequence[tuple[str, bytes]],
    config: MatchConfig | None = None,
    *,
    suggest_changes: bool = False,
    progress: Progress | None = None,
    by: str = "",
) -> NewcomersRun:
    """Add late joiners to a program that has a run and match them into the places left.

    Every approved or locked pair stays exactly as it is and rejected pairs are never
    proposed; pending pairs are free. The new members and the run are saved together, only if
    no decision changed meanwhile.

    Parameters
    ----------
    store : mentoring.store.db.Store
    program_id : int
    new_files : sequence of (name, bytes)
        Member files with the new members only (the same columns as the member list).
    config : MatchConfig, optional
        The program's settings (default: those saved, else a new program's defaults).
    suggest_changes : bool
        Also list the kept pairs a free re-match would change; nothing is changed.
    progress : callable, optional
        ``progress(fraction, message)``.
    by : str
        Who pressed the button.

    Returns
    -------
    NewcomersRun

    Raises
    ------
    mentoring.model.errors.LoadError
        When the file cannot be read, or names members already in the program.
    mentoring.model.errors.MentoringError
        Before the first run.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from mentoring.store.db import Store
    >>> from mentoring.services.runs import find_matches
    >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
    >>> program = store.create_program("A")
    >>> data = "id,name,role,interests,capacity\\n1,Ana,mentor,archives,2\\n2,Bo,mentee,archives,\\n"
    >>> from mentoring.services.members import load_member_files
    >>> store.save_members(program.id, load_member_files([("m.csv", data.encode())]).people)
    >>> first = find_matches(store, program.id, store.load_members(program.id)[0], MatchConfig())
    >>> _ = store.set_decision(program.id, "2", "1", "approved")
    >>> late = b"id,name,role,interests\\n3,Cy,mentee,archives\\n"
    >>> found = match_newcomers(store, program.id, [("late.csv", late)])
    >>> found.newcomers, found.differences[["mentee_id", "mentor_after", "why"]].values.tolist()
    (('3',), [['3', 'Ana', 'a new member, matched into a free place']])
    """
    from mentoring.lifecycle import match_newcomers as newcomers_into_places
    from mentoring.model.people import prepare_people

    before = _latest(store, program_id, "Matching newcomers")
    config = _settings(store, program_id, config)
    people, issues, mappings = store.load_members(program_id)
    new, new_issues = _newcomers(new_files, people)
    extra = [c for c in new.columns if c not in people.columns]
    combined = pd.concat([people, new.drop(columns=extra)], ignore_index=True)
    combined.attrs = dict(people.attrs)
    combined = prepare_people(combined)
    kept, forbidden = store.kept_and_forbidden(program_id)
    previous = pd.DataFrame(
        [(e, r, "approved") for e, r in kept] + [(e, r, "rejected") for e, r in forbidden],
        columns=["mentee_id", "mentor_id", "decision"],
    )
    found = newcomers_into_places(
        combined, previous, config, suggest_changes=suggest_changes, progress=progress
    )
    result = found.result
    with store.decisions_unchanged(program_id, kept, forbidden):
        store.save_members(
            program_id,
            combined,
            (*issues, *new_issues),
            mappings,
            [name for name, _ in new_files],
            by=by,
        )
        run = save_result(
            store,
            program_id,
            result,
            combined,
            config,
            extras={"would_change": found.would_change},
            by=by,
        )
    ids = tuple(str(m) for m in new["member_id"])
    newcomer = set(ids)
    why = {
        e: "a new member, matched into a free place"
        for e in result.pairs["mentee_id"].astype(str)
        if e in newcomer
    }
    table = differences(before.pairs, result.pairs, why)
    summary = f"{len(ids)} new member(s) added. {found.summary}"
    return NewcomersRun(run.id, result, ids, table, found.would_change, summary)


def rematch_after_checkin(
    store: Store,
    program_id: int,
    checkin_files: Sequence[tuple[str, bytes]] | pd.DataFrame,
    config: MatchConfig | None = None,
    *,
    mapping: Mapping[str, str] | None = None,
    year: int | None = None,
    progress: Progress | None = None,
    by: str = "",
) -> CheckinRun:
    """Import a check-in: the pairs it ends are forbidden, only their mentees get new mentors.

    Every other pair of the latest run is kept as it is (pending ones too). The new run keeps
    the ended pairs as history rows (``run.extras["checkin_history"]``), and each ended pair
    is marked rejected in the review, so no later re-solve proposes it again.

    Parameters
    ----------
    store : mentoring.store.db.Store
    program_id : int
    checkin_files : sequence of (name, bytes), or DataFrame
        One row per pair: the mentee and the mentor (member id or email) and a status,
        ``ended``, ``continuing`` or ``change`` (see
        :func:`mentoring.reading.history.read_checkin`).
    config : MatchConfig, optional
        The program's settings (default: those saved, else a new program's defaults).
    mapping : dict, optional
        ``{header: field}`` for headers not recognised (``mentee``, ``mentor``, ``status``,
        ``note``).
    year : int, optional
        The program year recorded in the history rows (default: this year).
    progress : callable, optional
    by : str
        Who pressed the button.

    Returns
    -------
    CheckinRun

    Raises
    ------
    mentoring.model.errors.LoadError
        When the file cannot be read or names someone who is not a member.
    mentoring.model.errors.MentoringError
        Before the first run.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from mentoring.store.db import Store
    >>> from mentoring.services.runs import find_matches
    >>> from mentoring.model.people import empty_people
    >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
    >>> program = store.create_program("A")
    >>> people = pd.concat([empty_people(), pd.DataFrame({
    ...     "member_id": ["e1", "e2", "r1", "r2", "r3"],
    ...     "name": ["Eve", "Eli", "Rui", "Ria", "Roy"],
    ...     "role": ["mentee", "mentee", "mentor", "mentor", "mentor"]})])
    >>> store.save_members(program.id, people)
    >>> first = find_matches(store, program.id, store.load_members(program.id)[0], MatchConfig())
    >>> e1 = first.result.pairs.set_index("mentee_id").loc["e1", "mentor_id"]
    >>> said = pd.DataFrame({"Mentee ID": ["e1"], "Mentor ID": [e1], "Status": ["ended"]})
    >>> found = rematch_after_checkin(store, program.id, said, year=2026)
    >>> found.differences["mentee_id"].tolist(), found.differences["why"].tolist()
    (['e1'], ['the pair ended at the check-in'])
    >>> store.get_decision(program.id, "e1", e1).status
    'rejected'
    """
    from mentoring.lifecycle import rematch_after_checkin as rematch
    from mentoring.reading.history import read_checkin

    before = _latest(store, program_id, "Re-matching after a check-in")
    config = _settings(store, program_id, config)
    people = store.load_members(program_id)[0]
    kept, forbidden = store.kept_and_forbidden(program_id)
    review = store.review_table(program_id)
    pairs = pd.DataFrame(
        {
            "mentee_id": review["mentee_id"].astype(str),
            "mentor_id": review["mentor_id"].astype(str),
            "decision": review["status"].astype(str),
        }
    )
    if isinstance(checkin_files, pd.DataFrame):
        checkin = read_checkin(checkin_files, mapping)
    else:
        if not checkin_files:
            raise LoadError("Choose the check-in file first.")
        checkin = read_checkin(list(checkin_files), mapping)
    stops = checkin["status"].isin(["ended", "change"])
    if not stops.any():
        raise LoadError(
            "The check-in ends no pair (every row says continuing), so nothing needs re-matching."
        )
    found = rematch(
        people,
        pairs,
        checkin,
        config.with_(forbidden_pairs=(*config.forbidden_pairs, *forbidden)),
        year=year or datetime.date.today().year,
        progress=progress,
    )
    in_run = set(zip(pairs["mentee_id"], pairs["mentor_id"], strict=True))
    strangers = [
        f"{e} and {r}"
        for e, r in zip(found.ended["mentee_id"], found.ended["mentor_id"], strict=True)
        if (e, r) not in in_run
    ]
    if strangers:
        raise LoadError(
            f"The check-in ends {len(strangers)} pair(s) that are not in the latest run "
            f"({', '.join(strangers[:3])}). Check the ids or emails, or export the current "
            "matches and fill the check-in from them."
        )
    result = found.result
    with store.decisions_unchanged(program_id, kept, forbidden):
        run = save_result(
            store,
            program_id,
            result,
            people,
            config,
            extras={"checkin_changes": found.changes, "checkin_history": found.history},
            by=by,
        )
    ended = sorted(set(zip(found.ended["mentee_id"], found.ended["mentor_id"], strict=True)))
    store.set_decisions(
        program_id,
        [(e, r, "rejected") for e, r in ended],
        by=by,
        note=f"{len(ended)} pair(s) ended at the check-in",
    )
    changes = found.changes
    why = dict(zip(changes["mentee_id"].astype(str), changes["why"].astype(str), strict=True))
    reasons = {
        str(e): _joined(r) for e, r in zip(changes["mentee_id"], changes["reasons"], strict=True)
    }
    table = differences(before.pairs, result.pairs, why, reasons)
    return CheckinRun(run.id, result, found.ended, table, found.history, found.summary, changes)
