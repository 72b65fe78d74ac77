"""Reviewing hundreds of pairs: the review table (run pairs and every decision, rejected pairs
included), weak-pair flags, filters, "next pending", bulk approval, and a pair side by side.

>>> flag_pair({"score": 0.3, "logistics": 1.0, "interests": 0.0}, Weights())
'Low score'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import pandas as pd

from mentoring.model.config import COMPONENTS, Weights

if TYPE_CHECKING:
    from mentoring.services.run_view import RunView
    from mentoring.store.db import Store

__all__ = [
    "REVIEW_ROW_COLUMNS",
    "SORTS",
    "STATUS_LABELS",
    "WEAK_SCORE",
    "approve_above",
    "contributions",
    "filter_rows",
    "flag_pair",
    "next_pending",
    "review_rows",
    "side_by_side",
    "status_counts",
]

STATUS_LABELS: dict[str, str] = {
    "pending": "Pending",
    "approved": "Approved",
    "rejected": "Rejected",
    "locked": "Locked",
}
"""The review states as the coordinator reads them."""

REVIEW_ROW_COLUMNS: tuple[str, ...] = (
    "mentee",
    "mentor",
    "score",
    "status",
    "flag",
    "reasons",
    "in_run",
    "mentee_id",
    "mentor_id",
    "version",
)
"""Columns of :func:`review_rows`."""

WEAK_SCORE = 0.5
"""Pairs scoring below this are flagged for a second look."""

SORTS: tuple[str, ...] = ("Mentee", "Score, lowest first", "Score, highest first", "Status")
"""How the review table can be sorted."""


def flag_pair(pair: Mapping[str, Any], weights: Weights) -> str:
    """Why a pair deserves a second look, or ``""``: a low score, or only practical fit.

    Parameters
    ----------
    pair : mapping
        A row of the pairs (``score`` and the score components).
    weights : Weights
        The run's weights.

    Returns
    -------
    str

    Examples
    --------
    >>> flag_pair({"score": 0.8, "logistics": 1.0, "interests": 0.0, "goals": 0.0}, Weights())
    'Only practical fit (time zone, language, meeting)'
    >>> flag_pair({"score": 0.8, "logistics": 1.0, "interests": 1.0}, Weights())
    ''
    """
    score = float(pair.get("score", math.nan))
    if not score >= WEAK_SCORE:
        return "Low score"
    weights_of = asdict(weights)
    parts = {c: weights_of[c] * float(pair.get(c, 0.0) or 0.0) for c in COMPONENTS}
    total = sum(parts.values())
    if total <= 0 or parts["logistics"] >= 0.9 * total:
        return "Only practical fit (time zone, language, meeting)"
    return ""


def review_rows(view: RunView, decisions: pd.DataFrame) -> pd.DataFrame:
    """The review table: the run's pairs with their status and flag, then every decided pair
    that is not in the run (a rejected pair stays visible and can be undone; an approved or
    locked one waits for Re-solve).

    Parameters
    ----------
    view : mentoring.services.run_view.RunView
    decisions : pandas.DataFrame
        :meth:`~mentoring.store.db.Store.decisions`.

    Returns
    -------
    pandas.DataFrame
        :data:`REVIEW_ROW_COLUMNS`; run pairs first in the run's order.
    """
    pairs = view.run.pairs
    names = dict(
        zip(view.people["member_id"].astype(str), view.people["name"].astype(str), strict=True)
    )
    decided = {
        (str(r.mentee_id), str(r.mentor_id)): (str(r.status), int(r.version))
        for r in decisions.itertuples()
    }
    weights = view.run.config.weights
    rows = []
    seen = set()
    for pair in pairs.to_dict("records"):
        key = (str(pair["mentee_id"]), str(pair["mentor_id"]))
        seen.add(key)
        status, version = decided.get(key, ("pending", 0))
        rows.append(
            {
                "mentee": str(pair.get("mentee_name", key[0])),
                "mentor": str(pair.get("mentor_name", key[1])),
                "score": round(float(pair.get("score", math.nan)), 2),
                "status": status,
                "flag": flag_pair(pair, weights),
                "reasons": _reasons(pair.get("reasons", "")),
                "in_run": True,
                "mentee_id": key[0],
                "mentor_id": key[1],
                "version": version,
            }
        )
    for (mentee, mentor), (status, version) in sorted(decided.items()):
        if (mentee, mentor) in seen or status == "pending":
            continue
        if mentee not in names or mentor not in names:
            continue
        rows.append(
            {
                "mentee": names[mentee],
                "mentor": names[mentor],
                "score": math.nan,
                "status": status,
                "flag": "",
                "reasons": "Not in this run: never proposed again."
                if status == "rejected"
                else "Not in this run yet: kept on the next Re-solve.",
                "in_run": False,
                "mentee_id": mentee,
                "mentor_id": mentor,
                "version": version,
            }
        )
    frame = pd.DataFrame(rows, columns=list(REVIEW_ROW_COLUMNS))
    return frame.astype({"score": float, "version": "int64", "in_run": bool})


def _reasons(value: Any) -> str:
    if isinstance(value, tuple | list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def status_counts(rows: pd.DataFrame) -> str:
    """The counts line: "Pending: N · Approved: N · Rejected: N · Locked: N".

    Examples
    --------
    >>> status_counts(pd.DataFrame({"status": ["pending", "rejected", "pending"]}))
    'Pending: 2 \u00b7 Approved: 0 \u00b7 Rejected: 1 \u00b7 Locked: 0'
    """
    counts = rows["status"].value_counts() if len(rows) else pd.Series(dtype=int)
    return " \u00b7 ".join(
        f"{label}: {int(counts.get(s, 0))}" for s, label in STATUS_LABELS.items()
    )


def filter_rows(
    rows: pd.DataFrame,
    statuses: Iterable[str] | None = None,
    band: tuple[float, float] = (0.0, 1.0),
    flagged_only: bool = False,
    sort: str = "Mentee",
) -> pd.DataFrame:
    """The review table filtered by status, score band and flag, then sorted.

    Pairs not in the run (no score) pass any score band.

    Examples
    --------
    >>> rows = pd.DataFrame({"mentee": ["b", "a"], "score": [0.4, 0.9], "status": ["pending"] * 2,
    ...                      "flag": ["Low score", ""]})
    >>> filter_rows(rows, sort="Score, lowest first")["mentee"].tolist()
    ['b', 'a']
    >>> filter_rows(rows, flagged_only=True)["mentee"].tolist()
    ['b']
    """
    if sort not in SORTS:
        raise ValueError(f"expected sort as one of {', '.join(SORTS)}, got {sort!r}")
    keep = pd.Series(True, index=rows.index)
    if statuses is not None:
        keep &= rows["status"].isin(list(statuses))
    low, high = band
    scored = rows["score"].notna()
    keep &= ~scored | ((rows["score"] >= low - 1e-9) & (rows["score"] <= high + 1e-9))
    if flagged_only:
        keep &= rows["flag"] != ""
    out = rows.loc[keep]
    if sort == "Mentee":
        out = out.sort_values("mentee", key=lambda c: c.str.casefold(), kind="stable")
    elif sort == "Status":
        order = {s: i for i, s in enumerate(STATUS_LABELS)}
        out = out.sort_values("status", key=lambda c: c.map(order), kind="stable")
    else:
        out = out.sort_values(
            "score", ascending=sort == "Score, lowest first", kind="stable", na_position="last"
        )
    return out.reset_index(drop=True)


def next_pending(rows: pd.DataFrame, after: str | None) -> str | None:
    """The mentee of the next pending pair in the run after ``after`` (wrapping round).

    Examples
    --------
    >>> rows = pd.DataFrame({"mentee_id": ["a", "b", "c"], "status": ["pending", "approved",
    ...                      "pending"], "in_run": [True, True, True]})
    >>> next_pending(rows, "a"), next_pending(rows, "c"), next_pending(rows.iloc[1:2], None)
    ('c', 'a', None)
    """
    pending = rows.loc[(rows["status"] == "pending") & rows["in_run"], "mentee_id"].tolist()
    if not pending:
        return None
    order = rows["mentee_id"].tolist()
    start = order.index(after) if after in order else -1
    for mentee in order[start + 1 :] + order[: start + 1]:
        if mentee in pending and mentee != after:
            return str(mentee)
    return None if after in pending and len(pending) == 1 else str(pending[0])


def approve_above(
    store: Store, program_id: int, rows: pd.DataFrame, threshold: float, by: str = ""
) -> int:
    """Approve every pending, unflagged pair of the run scoring ``threshold`` or more, at once.

    Parameters
    ----------
    store : mentoring.store.db.Store
    program_id : int
    rows : pandas.DataFrame
        :func:`review_rows` as the coordinator saw it (its versions guard against overwriting
        a decision another coordinator made meanwhile: then nothing is written).
    threshold : float
    by : str

    Returns
    -------
    int
        How many pairs were approved.
    """
    chosen = rows.loc[
        (rows["status"] == "pending")
        & rows["in_run"]
        & (rows["flag"] == "")
        & (rows["score"] >= float(threshold) - 1e-9)
    ]
    if chosen.empty:
        return 0
    changes = [
        (str(r.mentee_id), str(r.mentor_id), "approved", int(r.version))
        for r in chosen.itertuples()
    ]
    note = f"Approved every unflagged pending pair scoring {float(threshold):.2f} or more"
    store.set_decisions(program_id, changes, by=by, note=note)
    return len(changes)


def _text(value: Any) -> str:
    if isinstance(value, tuple | list | set | frozenset):
        return ", ".join(str(v) for v in value) or "\u2014"
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "\u2014"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or "\u2014"


_SIDE_FIELDS: tuple[str, ...] = (
    "role",
    "library_type",
    "career_stage",
    "years_experience",
    "job_title",
    "institution",
    "chapter",
    "divisions",
    "timezone",
    "languages",
    "meeting_mode",
    "interests",
    "seeks",
    "offers",
    "capacity",
    "preferred_mentors",
    "identity_preference",
    "notes",
)


def side_by_side(people: pd.DataFrame, mentee_id: str, mentor_id: str) -> pd.DataFrame:
    """Both members' answers, question by question, as plain text (``question, mentee, mentor``).

    Self-described identity is shown only when the mentee asked for a mentor sharing it.

    Examples
    --------
    >>> people = pd.DataFrame({"member_id": ["e", "r"], "name": ["E", "R"],
    ...     "role": ["mentee", "mentor"], "languages": [("English",), ("English", "Spanish")]})
    >>> side_by_side(people, "e", "r").values.tolist()
    [['Mentor, mentee or both', 'mentee', 'mentor'], ['Languages', 'English', 'English, Spanish']]
    """
    from mentoring.services.members import FIELD_LABELS

    by_id = people.set_index(people["member_id"].astype(str))
    mentee, mentor = by_id.loc[mentee_id], by_id.loc[mentor_id]
    names = dict(zip(by_id.index, people["name"].astype(str), strict=True))
    fields = [f for f in _SIDE_FIELDS if f in people.columns]
    wants = mentee.get("identity_preference", ())
    if isinstance(wants, tuple) and wants and "identities" in people.columns:
        fields.append("identities")
    rows = []
    for field in fields:
        left, right = mentee[field], mentor[field]
        if field == "preferred_mentors":
            left = tuple(names.get(m, m) for m in (left or ()))
            right = tuple(names.get(m, m) for m in (right or ()))
        if field == "timezone":
            left, right = (_utc(v) for v in (left, right))
        pair = (_text(left), _text(right))
        if pair == ("\u2014", "\u2014"):
            continue
        rows.append((FIELD_LABELS.get(field, field), *pair))
    return pd.DataFrame(rows, columns=["question", "mentee", "mentor"])


def _utc(value: Any) -> Any:
    try:
        hours = float(value)
    except (TypeError, ValueError):
        return value
    if math.isnan(hours):
        return None
    return f"UTC{hours:+g}"


def contributions(pair: Mapping[str, Any], weights: Weights) -> pd.DataFrame:
    """What each criterion added to a pair's score (``criterion, match, points``).

    ``match`` is the criterion's own score from 0 to 1; ``points`` its share of the pair's
    score (they add up to the score).

    Examples
    --------
    >>> pair = {"score": 0.6, "interests": 1.0, "goals": 0.5, "community": 0.0,
    ...         "diversity": 0.0, "logistics": 1.0, "experience": 0.0, "preference": 0.0}
    >>> table = contributions(pair, Weights())
    >>> round(float(table["points"].sum()), 6)
    0.6
    """
    from mentoring.services.settings import WEIGHT_HELP

    weights_of = asdict(weights)
    parts = {c: weights_of[c] * float(pair.get(c, 0.0) or 0.0) for c in COMPONENTS}
    total = sum(parts.values())
    score = float(pair.get("score", 0.0))
    rows = [
        (
            WEIGHT_HELP[c][0],
            float(pair.get(c, 0.0) or 0.0),
            parts[c] * score / total if total > 0 else 0.0,
        )
        for c in COMPONENTS
    ]
    return pd.DataFrame(rows, columns=["criterion", "match", "points"])
