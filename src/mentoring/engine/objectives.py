"""The four objectives side by side: coverage, quality, egalitarian and stable.

Every function here works on a score matrix (rows are mentees, columns mentors, ``-inf`` or
``NaN`` for a forbidden pair) and mentor capacities, except :func:`compare_objectives` and
:func:`pair_scores`, which start from the people table so that a coordinator can audit any
objective from the same numbers.

- ``coverage``: most priority mentees matched, then most mentees, then the highest total score.
- ``quality``: the highest total score alone.
- ``egalitarian``: as many mentees as ``coverage``, then the best possible worst matched score,
  then the highest total (see :func:`egalitarian`).
- ``stable``: mentee-proposing deferred acceptance; no mentee and mentor would both rather be
  together than with whom they got (see :func:`stable` and :func:`blocking_pairs`).

Locked pairs sit outside the market: each locked mentee keeps their mentor, that mentor's
capacity is reduced by one, and the objective is applied to everyone else.

>>> import numpy as np
>>> scores = np.array([[0.9, 0.2], [0.8, 0.7]])
>>> stable(scores, [1, 1]), egalitarian(scores, [1, 1])
(array([0, 1]), array([0, 1]))
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from mentoring.engine.assign import solve
from mentoring.engine.cohort import ScoredCohort
from mentoring.model.config import OBJECTIVES, MatchConfig

__all__ = [
    "assign",
    "blocking_pairs",
    "egalitarian",
    "group_gap",
    "pair_scores",
    "pair_value",
    "split_locked",
    "stable",
]


# Groups smaller than this are left out of gaps, as reports suppress counts of 1-4.
MIN_GROUP = 5


def _scores(scores: Any) -> np.ndarray:
    arr = np.array(scores, dtype=np.float64)
    if arr.ndim != 2:
        raise ValueError(f"expected a 2-D score matrix, got an array of shape {arr.shape}")
    if np.any(arr == np.inf):
        raise ValueError("expected finite scores (NaN or -inf for forbidden pairs), got +inf")
    arr[np.isnan(arr)] = -np.inf
    return arr


def _capacity(capacity: Any, n_cols: int) -> np.ndarray:
    if capacity is None:
        return np.ones(n_cols, dtype=np.int64)
    cap = np.asarray(capacity)
    if cap.shape != (n_cols,):
        raise ValueError(f"expected {n_cols} capacities (one per column), got shape {cap.shape}")
    if cap.size and (np.any(cap < 0) or np.any(cap != np.round(cap))):
        raise ValueError(f"expected whole-number capacities >= 0, got {cap.tolist()}")
    return cap.astype(np.int64)


def _key(assignment: np.ndarray, priority: np.ndarray | None) -> tuple[int, int]:
    matched = assignment >= 0
    n_priority = int(np.sum(matched & priority)) if priority is not None else 0
    return n_priority, int(matched.sum())


def split_locked(
    scores: Any, capacity: Any, locked: Any = ()
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Take locked pairs out of the market.

    Parameters
    ----------
    scores : array_like, shape (n_rows, n_cols)
        Pair scores, ``-inf`` or ``NaN`` for a forbidden pair.
    capacity : array_like of int, shape (n_cols,), or None
        Places per column (default 1 each).
    locked : iterable of (row, col)
        Pairs the coordinator fixed; they are kept whatever their score.

    Returns
    -------
    scores : numpy.ndarray
        A copy where every locked row is forbidden everywhere.
    capacity : numpy.ndarray
        Capacities less the places locked pairs take (never below 0).
    fixed : numpy.ndarray of int
        The locked column of each row, -1 elsewhere.

    Examples
    --------
    >>> s, cap, fixed = split_locked(np.array([[0.5, 0.1], [0.4, 0.3]]), [1, 1], [(1, 0)])
    >>> s[1].tolist(), cap.tolist(), fixed.tolist()
    ([-inf, -inf], [0, 1], [-1, 0])
    """
    s = _scores(scores)
    cap = _capacity(capacity, s.shape[1]).copy()
    fixed = np.full(s.shape[0], -1, dtype=np.int64)
    for row, col in locked:
        fixed[row] = col
        s[row, :] = -np.inf
        cap[col] = max(cap[col] - 1, 0)
    return s, cap, fixed


def egalitarian(scores: Any, capacity: Any = None, priority: Any = None) -> np.ndarray:
    """Match as many as possible, then make the worst matched pair as good as possible.

    The order is lexicographic: (1) the most priority mentees matched, (2) the most mentees
    matched, (3) the highest worst score among matched pairs, (4) the highest total score among
    assignments that reach (1)-(3). Coverage comes first because a coordinator's first promise
    is a mentor for everyone who can have one; raising the worst pair by leaving someone
    unmatched would trade a person for a number. The worst score is found by binary search
    over the distinct scores: pairs below a threshold are forbidden and :func:`solve` tells
    whether (1)-(2) are still reachable, which is monotone in the threshold.

    Parameters
    ----------
    scores : array_like, shape (n_rows, n_cols)
        Pair scores, ``-inf`` or ``NaN`` for a forbidden pair.
    capacity : array_like of int, shape (n_cols,), optional
        Places per column (default 1 each).
    priority : array_like of bool, shape (n_rows,), optional
        Rows to match before all others.

    Returns
    -------
    numpy.ndarray of int64
        The column of each row, -1 when unassigned.

    Examples
    --------
    >>> scores = np.array([[1.0, 0.5], [0.5, 0.05]])
    >>> egalitarian(scores, [1, 1])
    array([1, 0])
    >>> solve(scores, [1, 1])
    array([0, 1])
    """
    s = _scores(scores)
    cap = _capacity(capacity, s.shape[1])
    pri = None if priority is None else np.asarray(priority, dtype=bool)
    best = solve(s, cap, priority=pri, coverage=True)
    target = _key(best, pri)
    if target[1] == 0:
        return best
    thresholds = np.unique(s[np.isfinite(s)])
    lo, hi = 0, len(thresholds) - 1
    found = best
    # Invariant: the threshold at ``lo`` keeps the target reachable.
    while lo < hi:
        mid = (lo + hi + 1) // 2
        trial = solve(np.where(s >= thresholds[mid], s, -np.inf), cap, priority=pri)
        if _key(trial, pri) == target:
            lo, found = mid, trial
        else:
            hi = mid - 1
    return found


def stable(scores: Any, capacity: Any = None) -> np.ndarray:
    """Mentee-proposing deferred acceptance with mentor capacities.

    Each mentee ranks mentors by score (ties: lower column first) and each mentor ranks mentees
    by the same scores (ties: lower row first); forbidden pairs are unacceptable to both. Free
    mentees all propose at once to their next choice, each mentor keeps the best proposals up
    to capacity, and the rest propose again. The result is the mentee-optimal stable matching
    for these tie-broken preferences, so no pair would both strictly rather be together.

    Parameters
    ----------
    scores : array_like, shape (n_rows, n_cols)
        Pair scores, ``-inf`` or ``NaN`` for a forbidden pair.
    capacity : array_like of int, shape (n_cols,), optional
        Places per column (default 1 each).

    Returns
    -------
    numpy.ndarray of int64
        The column of each row, -1 when unassigned.

    Examples
    --------
    >>> stable(np.array([[0.9, 0.8], [0.95, 0.1], [0.2, -np.inf]]), [1, 1]).tolist()
    [1, 0, -1]
    """
    s = _scores(scores)
    n, m = s.shape
    cap = _capacity(capacity, m)
    held = np.full(n, -1, dtype=np.int64)
    if n == 0 or m == 0:
        return held
    order = np.argsort(-s, axis=1, kind="stable")
    n_acceptable = np.isfinite(s).sum(axis=1)
    next_choice = np.zeros(n, dtype=np.int64)
    free = np.flatnonzero(n_acceptable > 0)
    while free.size:
        cols = order[free, next_choice[free]]
        next_choice[free] += 1
        # Only mentors who receive a proposal this round can change whom they hold.
        holding = np.flatnonzero(np.isin(held, cols))
        rows = np.concatenate([holding, free])
        targets = np.concatenate([held[holding], cols])
        held[holding] = -1
        ranked = np.lexsort((rows, -s[rows, targets], targets))
        rows, targets = rows[ranked], targets[ranked]
        rank = np.arange(len(rows)) - np.searchsorted(targets, targets, side="left")
        keep = rank < cap[targets]
        held[rows[keep]] = targets[keep]
        rejected = rows[~keep]
        free = rejected[next_choice[rejected] < n_acceptable[rejected]]
    return held


def blocking_pairs(scores: Any, capacity: Any, assignment: Any) -> np.ndarray:
    """Pairs who would both strictly rather be together than with whom they were given.

    Mentee ``i`` and mentor ``j`` block when the pair is allowed, ``i`` is unassigned or scores
    ``j`` above their own mentor, and ``j`` has a free place or holds a mentee scoring below
    ``i``. Preferences come from the scores, so equal scores never block.

    Parameters
    ----------
    scores : array_like, shape (n_rows, n_cols)
        Pair scores, ``-inf`` or ``NaN`` for a forbidden pair.
    capacity : array_like of int, shape (n_cols,), or None
        Places per column (default 1 each).
    assignment : array_like of int, shape (n_rows,)
        Column per row, -1 for unassigned.

    Returns
    -------
    numpy.ndarray of int64, shape (k, 2)
        (row, col) of each blocking pair, sorted.

    Examples
    --------
    >>> scores = np.array([[0.9, 0.8], [0.95, 0.1]])
    >>> blocking_pairs(scores, [1, 1], np.array([0, 1])).tolist()
    [[1, 0]]
    >>> blocking_pairs(scores, [1, 1], stable(scores, [1, 1])).tolist()
    []
    """
    s = _scores(scores)
    n, m = s.shape
    cap = _capacity(capacity, m)
    a = np.asarray(assignment, dtype=np.int64)
    if a.shape != (n,):
        raise ValueError(f"expected an assignment of {n} columns (one per row), got {a.shape}")
    matched = np.flatnonzero(a >= 0)
    own = np.full(n, -np.inf)
    own[matched] = s[matched, a[matched]]
    load = np.bincount(a[matched], minlength=m)
    worst_held = np.full(m, np.inf)
    np.minimum.at(worst_held, a[matched], own[matched])
    # A mentor with room accepts anyone allowed; a full one only someone better than its worst.
    bar = np.where(load < cap, -np.inf, worst_held)
    bar[cap == 0] = np.inf
    block = np.isfinite(s) & (s > own[:, None]) & (s > bar[None, :])
    block[matched, a[matched]] = False
    return np.argwhere(block).astype(np.int64).reshape(-1, 2)


def assign(cohort: ScoredCohort, objective: str) -> np.ndarray:
    """The assignment of a scored cohort under one objective, locked pairs kept.

    Parameters
    ----------
    cohort : mentoring.engine.cohort.ScoredCohort
        Uses ``scores``, ``capacity``, ``priority`` and ``locked``.
    objective : str
        One of :data:`mentoring.model.config.OBJECTIVES`.

    Returns
    -------
    numpy.ndarray of int64
        The mentor column of each mentee row, -1 when unassigned.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> cohort = SimpleNamespace(scores=np.array([[1.0, 0.5], [0.5, 0.05]]),
    ...     capacity=np.array([1, 1]), priority=np.array([False, False]), locked=())
    >>> [assign(cohort, o).tolist() for o in ("coverage", "egalitarian", "stable")]
    [[0, 1], [1, 0], [0, 1]]
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"expected an objective in {OBJECTIVES}, got {objective!r}")
    s, cap, fixed = split_locked(cohort.scores, cohort.capacity, cohort.locked)
    priority = np.asarray(cohort.priority, dtype=bool)
    if objective == "coverage":
        free = solve(s, cap, priority=priority, coverage=True)
    elif objective == "quality":
        free = solve(s, cap, coverage=False)
    elif objective == "egalitarian":
        free = egalitarian(s, cap, priority)
    else:
        free = stable(s, cap)
    return np.where(fixed >= 0, fixed, free)


def pair_value(cohort: ScoredCohort) -> np.ndarray:
    """Scores with forbidden cells at 0, so that a locked pair the rules forbid still counts.

    Parameters
    ----------
    cohort : mentoring.engine.cohort.ScoredCohort
        Uses ``scores``.

    Returns
    -------
    numpy.ndarray
        The scores, 0.0 where a pair is forbidden.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> pair_value(SimpleNamespace(scores=np.array([[0.5, -np.inf]]))).tolist()
    [[0.5, 0.0]]
    """
    s = np.asarray(cohort.scores, dtype=np.float64)
    return np.where(np.isfinite(s), s, 0.0)


def _group_labels(people: pd.DataFrame, ids: tuple[str, ...], field: str) -> list[tuple[str, ...]]:
    values = people.set_index("member_id")[field].reindex(list(ids))
    out = []
    for value in values:
        if isinstance(value, tuple | list | frozenset | set):
            out.append(tuple(sorted(str(v) for v in value if str(v))))
        elif value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
            out.append(())
        else:
            out.append((str(value),))
    return out


def group_gap(
    cohort: ScoredCohort, assignment: Any, field: str, min_members: int = MIN_GROUP
) -> float:
    """Largest gap in mean matched score between groups of mentees sharing a value of ``field``.

    A multi-valued field puts a mentee in one group per tag; blank values belong to no group.
    Only groups with at least ``min_members`` matched mentees count.

    Parameters
    ----------
    cohort : mentoring.engine.cohort.ScoredCohort
        Uses ``people``, ``mentee_ids`` and ``scores``.
    assignment : array_like of int
        Mentor column per mentee row, -1 for unassigned.
    field : str
        A column of the people table, such as ``"library_type"``.
    min_members : int
        Smallest group that counts.

    Returns
    -------
    float
        Highest group mean minus lowest, NaN with fewer than two groups.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> people = pd.DataFrame({"member_id": ["a", "b"], "library_type": ["public", "school"]})
    >>> cohort = SimpleNamespace(people=people, mentee_ids=("a", "b"),
    ...                          scores=np.array([[0.9], [0.5]]))
    >>> round(group_gap(cohort, np.array([0, 0]), "library_type", min_members=1), 3)
    0.4
    """
    a = np.asarray(assignment, dtype=np.int64)
    value = pair_value(cohort)
    labels = _group_labels(cohort.people, tuple(cohort.mentee_ids), field)
    sums: dict[str, list[float]] = {}
    for i, tags in enumerate(labels):
        if a[i] < 0:
            continue
        for tag in tags:
            sums.setdefault(tag, []).append(float(value[i, a[i]]))
    means = [float(np.mean(v)) for v in sums.values() if len(v) >= min_members]
    return max(means) - min(means) if len(means) >= 2 else math.nan


def pair_scores(people: pd.DataFrame, config: MatchConfig) -> pd.DataFrame:
    """Every allowed pair with its score, so anyone can re-check any objective.

    Parameters
    ----------
    people : pandas.DataFrame
        The people table.
    config : MatchConfig
        Weights and rules.

    Returns
    -------
    pandas.DataFrame
        Columns mentee_id, mentor_id, score; one row per pair the rules allow (``min_score``
        and forbidden pairs included), sorted by mentee_id then mentor_id.

    Examples
    --------
    >>> from mentoring.model.people import empty_people
    >>> people = pd.concat([empty_people(), pd.DataFrame({
    ...     "member_id": ["e", "r", "q"], "name": ["E", "R", "Q"],
    ...     "role": ["mentee", "mentor", "mentor"], "institution": ["X", "X", "Y"]})],
    ...     ignore_index=True)
    >>> pair_scores(people, MatchConfig())[["mentee_id", "mentor_id"]].values.tolist()
    [['e', 'q']]
    """
    from mentoring.engine.cohort import score_people

    cohort = score_people(people, config)
    s = np.asarray(cohort.scores, dtype=np.float64)
    r, c = np.nonzero(np.isfinite(s))
    frame = pd.DataFrame(
        {
            "mentee_id": np.asarray(cohort.mentee_ids, dtype=object)[r],
            "mentor_id": np.asarray(cohort.mentor_ids, dtype=object)[c],
            "score": s[r, c],
        },
        columns=["mentee_id", "mentor_id", "score"],
    )
    return frame.sort_values(["mentee_id", "mentor_id"], ignore_index=True)
