"""A program through the year: newcomers matched into free places, re-matching after a check-in.

Both flows are :func:`mentoring.pipeline.match` with decisions turned into locked and forbidden
pairs, so every answer is exact, certified and audited like any other:

- :func:`match_newcomers`: every approved or locked pair of an earlier run stays as it is; new
  members (and anyone still unmatched) are matched into the places left. With
  ``suggest_changes=True`` it also solves without those locks and lists the existing pairs it
  would change if allowed, and what that would gain.
- :func:`rematch_after_checkin`: pairs a check-in ended (or whose mentee wants a change) become
  forbidden; only their mentees are matched again, everyone else keeps their pairs; the table
  ``changes`` says who changed and why, and ``history`` records the ended pairs (see
  :func:`mentoring.reading.history.checkin_history`) so that next year does not repeat them.

>>> from mentoring.model.people import empty_people
>>> people = pd.concat([empty_people(), pd.DataFrame({
...     "member_id": ["e1", "e2", "r1", "r2"], "name": ["Eve", "Eli", "Rui", "Ria"],
...     "role": ["mentee", "mentee", "mentor", "mentor"],
...     "interests": [("archives",), ("archives",), ("archives",), ("outreach",)]})])
>>> before = pd.DataFrame({"mentee_id": ["e1"], "mentor_id": ["r1"]})
>>> found = match_newcomers(people, before)
>>> found.added[["mentee_id", "mentor_id"]].values.tolist()
[['e2', 'r2']]
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from mentoring.model.config import MatchConfig
from mentoring.model.errors import LoadError
from mentoring.model.people import prepare_people
from mentoring.model.results import MatchResult
from mentoring.pipeline import Progress, match

__all__ = [
    "CHANGE_COLUMNS",
    "SUGGESTION_COLUMNS",
    "NewcomerMatch",
    "Rematch",
    "match_newcomers",
    "rematch_after_checkin",
]


CHANGE_COLUMNS: tuple[str, ...] = (
    "mentee_id",
    "mentee_name",
    "old_mentor_id",
    "old_mentor_name",
    "new_mentor_id",
    "new_mentor_name",
    "score",
    "why",
    "reasons",
)
"""Columns of :attr:`Rematch.changes`: one row per mentee whose mentors changed."""


SUGGESTION_COLUMNS: tuple[str, ...] = (
    "mentee_id",
    "mentee_name",
    "mentor_now",
    "mentor_if_changed",
    "score_now",
    "score_if_changed",
)
"""Columns of :attr:`NewcomerMatch.would_change`."""


@dataclass(frozen=True)
class NewcomerMatch:
    """What :func:`match_newcomers` found.

    Attributes
    ----------
    result : MatchResult
        The whole match: kept pairs (``locked``) and new ones, audited.
    kept : pandas.DataFrame
        The earlier pairs kept (mentee_id, mentor_id).
    added : pandas.DataFrame
        The rows of ``result.pairs`` that are new.
    would_change : pandas.DataFrame
        With ``suggest_changes``: the kept pairs a free re-match would change
        (:data:`SUGGESTION_COLUMNS`); else empty.
    summary : str
        One sentence for the coordinator.
    """

    result: MatchResult
    kept: pd.DataFrame
    added: pd.DataFrame
    would_change: pd.DataFrame = field(default_factory=pd.DataFrame)
    summary: str = ""


@dataclass(frozen=True)
class Rematch:
    """What :func:`rematch_after_checkin` found.

    Attributes
    ----------
    result : MatchResult
        The whole match after the check-in, audited.
    ended : pandas.DataFrame
        The pairs the check-in ended (mentee_id, mentor_id, status, note).
    changes : pandas.DataFrame
        :data:`CHANGE_COLUMNS`: each re-matched mentee's old and new mentor, and why.
    history : pandas.DataFrame
        The ended pairs as history rows (``mentoring.reading.history.HISTORY_COLUMNS``).
    summary : str
        One sentence for the coordinator.
    """

    result: MatchResult
    ended: pd.DataFrame
    changes: pd.DataFrame
    history: pd.DataFrame
    summary: str = ""


def _pairs_frame(pairs: Any) -> pd.DataFrame:
    """Pairs as a table of mentee_id, mentor_id, decision (read from a file if need be)."""
    from mentoring.reading.history import read_pairs

    return read_pairs(pairs)


def _as_pairs(frame: pd.DataFrame) -> tuple[tuple[str, str], ...]:
    return tuple(zip(frame["mentee_id"].astype(str), frame["mentor_id"].astype(str), strict=True))


def match_newcomers(
    people: pd.DataFrame,
    previous: Any,
    config: MatchConfig | None = None,
    *,
    suggest_changes: bool = False,
    keep_pending: bool = False,
    progress: Progress | None = None,
) -> NewcomerMatch:
    """Match new members into the places left, keeping every approved or locked pair.

    Parameters
    ----------
    people : pandas.DataFrame
        Everyone in the program now, newcomers included.
    previous : DataFrame, path or upload
        The earlier pairs (our matches export, or any table with mentee_id and mentor_id; see
        :func:`mentoring.reading.history.read_pairs`). ``approved`` and ``locked`` pairs (all of
        them without a ``decision`` column) are kept, ``rejected`` ones never proposed again,
        ``pending`` ones free.
    config : MatchConfig, optional
        Its own locked and forbidden pairs are kept too.
    suggest_changes : bool
        Also solve without keeping the earlier pairs, and list those it would change.
    keep_pending : bool
        Keep ``pending`` pairs too (pairs announced from a file nobody reviewed in the app).
    progress : callable, optional
        As for :func:`mentoring.pipeline.match`.

    Returns
    -------
    NewcomerMatch

    Examples
    --------
    >>> from mentoring.reading.synthetic import random_people
    >>> people = random_people(30, 12, seed=2)
    >>> first = match(people.iloc[:35])
    >>> later = match_newcomers(people, first.pairs)
    >>> later.result.audit.ok, set(later.kept.mentee_id) <= set(later.result.pairs.mentee_id)
    (True, True)
    """
    config = config or MatchConfig()
    people = prepare_people(people)
    earlier = _pairs_frame(previous)
    keep = ["approved", "locked", "pending"] if keep_pending else ["approved", "locked"]
    kept = earlier[earlier["decision"].isin(keep)].reset_index(drop=True)
    rejected = earlier[earlier["decision"] == "rejected"]
    fixed = config.with_(
        locked_pairs=config.locked_pairs + _as_pairs(kept),
        forbidden_pairs=config.forbidden_pairs + _as_pairs(rejected),
    )
    result = match(people, fixed, progress=progress)
    before = set(_as_pairs(kept))
    added = result.pairs[[p not in before for p in _as_pairs(result.pairs)]].reset_index(drop=True)
    would_change = pd.DataFrame(columns=list(SUGGESTION_COLUMNS))
    note = ""
    if suggest_changes:
        free = match(people, config.with_(forbidden_pairs=fixed.forbidden_pairs))
        would_change = _suggestions(result.pairs, free.pairs, before)
        gain = free.stats.total_score - result.stats.total_score
        more = free.stats.n_matched - result.stats.n_matched
        note = (
            f" Changing {len(would_change)} kept pair(s) would match {more} more mentee(s) and "
            f"add {gain:.3f} to the total score."
            if len(would_change)
            else " No kept pair would change even if allowed."
        )
    summary = (
        f"{len(kept)} earlier pair(s) kept, {len(added)} new pair(s); "
        f"{result.stats.n_matched} of {result.stats.n_mentees} mentees now have a mentor." + note
    )
    return NewcomerMatch(result, kept[["mentee_id", "mentor_id"]], added, would_change, summary)


def _suggestions(now: pd.DataFrame, free: pd.DataFrame, kept: set[tuple[str, str]]) -> pd.DataFrame:
    """The kept pairs whose mentee would have other mentors in the free answer."""
    mentors_now = now.groupby("mentee_id")["mentor_id"].apply(lambda s: sorted(map(str, s)))
    mentors_free = free.groupby("mentee_id")["mentor_id"].apply(lambda s: sorted(map(str, s)))
    names = dict(zip(now["mentee_id"], now["mentee_name"], strict=True))
    mentor_names = {
        **dict(zip(now["mentor_id"], now["mentor_name"], strict=True)),
        **dict(zip(free["mentor_id"], free["mentor_name"], strict=True)),
    }
    score_now = now.groupby("mentee_id")["score"].sum()
    score_free = free.groupby("mentee_id")["score"].sum()
    rows = []
    for mentee in sorted({e for e, _ in kept}):
        a, b = mentors_now.get(mentee, []), mentors_free.get(mentee, [])
        if a == b:
            continue
        rows.append(
            {
                "mentee_id": mentee,
                "mentee_name": names.get(mentee, mentee),
                "mentor_now": ", ".join(mentor_names.get(r, r) for r in a),
                "mentor_if_changed": ", ".join(mentor_names.get(r, r) for r in b) or "(none)",
                "score_now": float(score_now.get(mentee, 0.0)),
                "score_if_changed": float(score_free.get(mentee, 0.0)),
            }
        )
    return pd.DataFrame(rows, columns=list(SUGGESTION_COLUMNS))


def _resolve(people: pd.DataFrame, checkin: pd.DataFrame) -> pd.DataFrame:
    """Check-in rows with member ids (a member may be named by id or by email)."""
    ids = set(people["member_id"].astype(str))
    by_email = {
        str(e).strip().casefold(): str(i)
        for i, e in zip(people["member_id"], people["email"], strict=True)
        if str(e).strip()
    }

    def member(value: str, where: str) -> str:
        text = str(value).strip()
        if text in ids:
            return text
        if text.casefold() in by_email:
            return by_email[text.casefold()]
        raise LoadError(
            f"{where}: {text!r} is neither a member id nor the email of a member. "
            "Check the spelling, or add the member first."
        )

    out = checkin.copy()
    where = [f"{s}, row {r}" for s, r in zip(out["source"], out["row"], strict=True)]
    out["mentee_id"] = [member(v, w) for v, w in zip(out["mentee"], where, strict=True)]
    out["mentor_id"] = [member(v, w) for v, w in zip(out["mentor"], where, strict=True)]
    return out


def rematch_after_checkin(
    people: pd.DataFrame,
    pairs: Any,
    checkin: Any,
    config: MatchConfig | None = None,
    *,
    year: int | None = None,
    progress: Progress | None = None,
) -> Rematch:
    """New mentors for the mentees whose pairs ended at a check-in; everyone else untouched.

    Parameters
    ----------
    people : pandas.DataFrame
        Everyone in the program now.
    pairs : DataFrame, path or upload
        The current pairs (as for :func:`match_newcomers`; rejected ones are left out).
    checkin : DataFrame, path or upload
        Check-in results (see :func:`mentoring.reading.history.read_checkin`): ``ended`` and
        ``change`` end a pair, ``continuing`` (and any pair not mentioned) keeps it.
    config : MatchConfig, optional
        Weights and rules; its own locked and forbidden pairs are kept.
    year : int, optional
        The program year recorded in ``history`` (default: this year).
    progress : callable, optional
        As for :func:`mentoring.pipeline.match`.

    Returns
    -------
    Rematch

    Examples
    --------
    >>> from mentoring.model.people import empty_people
    >>> people = pd.concat([empty_people(), pd.DataFrame({
    ...     "member_id": ["e1", "e2", "r1", "r2", "r3"], "name": ["Eve", "Eli", "Rui", "Ria", "Roy"],
    ...     "role": ["mentee", "mentee", "mentor", "mentor", "mentor"]})])
    >>> now = pd.DataFrame({"mentee_id": ["e1", "e2"], "mentor_id": ["r1", "r2"]})
    >>> said = pd.DataFrame({"mentee": ["e1"], "mentor": ["r1"], "status": ["ended"]})
    >>> found = rematch_after_checkin(people, now, said, year=2026)
    >>> found.changes[["mentee_id", "old_mentor_id", "new_mentor_id", "why"]].values.tolist()
    [['e1', 'r1', 'r3', 'the pair ended at the check-in']]
    """
    from mentoring.reading.history import checkin_history, read_checkin

    config = config or MatchConfig()
    people = prepare_people(people)
    current = _pairs_frame(pairs)
    current = current[current["decision"] != "rejected"]
    said = _resolve(people, checkin if _is_checkin(checkin) else read_checkin(checkin))
    stop = said[said["status"].isin(["ended", "change"])]
    ended = set(_as_pairs(stop))
    kept = [p for p in _as_pairs(current) if p not in ended]
    targets = {e for e, _ in ended}
    # Only the mentees whose pair ended may gain a mentor: everyone else takes exactly the
    # pairs they keep.
    keeps = pd.Series([e for e, _ in kept]).value_counts()
    side = people["role"].isin(["mentee", "both"]) & ~people["member_id"].isin(targets)
    people = people.copy()
    people.loc[side, "mentee_capacity"] = [
        int(keeps.get(m, 0)) for m in people.loc[side, "member_id"]
    ]
    fixed = config.with_(
        locked_pairs=config.locked_pairs + tuple(kept),
        forbidden_pairs=config.forbidden_pairs + tuple(sorted(ended)),
    )
    result = match(people, fixed, progress=progress)
    names = dict(zip(people["member_id"].astype(str), people["name"].astype(str), strict=True))
    changes = _changes(result, stop, set(kept), names)
    history = checkin_history(stop, year or datetime.date.today().year)
    summary = (
        f"{len(ended)} pair(s) ended at the check-in; {int((changes['new_mentor_id'] != '').sum())} "
        f"of {len(targets)} mentee(s) have a new mentor; every other pair is unchanged."
    )
    return Rematch(
        result,
        stop[["mentee_id", "mentor_id", "status", "note"]].reset_index(drop=True),
        changes,
        history,
        summary,
    )


def _is_checkin(value: Any) -> bool:
    """Whether ``value`` is already what :func:`mentoring.reading.history.read_checkin` returns."""
    return isinstance(value, pd.DataFrame) and {
        "mentee",
        "mentor",
        "status",
        "source",
        "row",
    } <= set(value.columns)


def _changes(
    result: MatchResult, stop: pd.DataFrame, kept: set[tuple[str, str]], names: dict[str, str]
) -> pd.DataFrame:
    """One row per ended pair: the mentee's new mentor (if any) and why they changed."""
    pairs = result.pairs
    new = pairs[[p not in kept for p in _as_pairs(pairs)]]
    unmatched = dict(zip(result.unmatched["member_id"], result.unmatched["reason"], strict=True))
    used: set[int] = set()
    rows = []
    for record in stop.itertuples(index=False):
        mentee, mentor = str(record.mentee_id), str(record.mentor_id)
        mine = [k for k in new.index[new["mentee_id"] == mentee] if k not in used]
        why = (
            "the mentee asked for a change at the check-in"
            if record.status == "change"
            else "the pair ended at the check-in"
        )
        row: dict[str, Any] = {"mentee_id": mentee, "old_mentor_id": mentor, "why": why}
        if mine:
            used.add(mine[0])
            pick = new.loc[mine[0]]
            row.update(
                new_mentor_id=str(pick["mentor_id"]),
                new_mentor_name=str(pick["mentor_name"]),
                score=float(pick["score"]),
                reasons=str(pick["reasons"]),
            )
        else:
            row.update(
                new_mentor_id="",
                new_mentor_name="",
                score=float("nan"),
                reasons=unmatched.get(mentee, "no free mentor fits"),
            )
        rows.append(row)
    out = pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))
    out["mentee_name"] = [names.get(e, e) for e in out["mentee_id"]]
    out["old_mentor_name"] = [names.get(r, r) for r in out["old_mentor_id"]]
    return out
