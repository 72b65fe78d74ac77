"""Counterfactual reasons: why a mentee did not get their best mentor, and what it would cost.

For each mentee, :func:`counterfactuals` names the best mentor overall (the highest score before
any rule, among mentors with places), says why they did not get them in a sentence a coordinator
can repeat (a rule, whose mentees hold that mentor's places, a goal, a locked pair), names the
runner-up, and, for each alternative mentor, the exact cost of forcing that pair: the optimal
total minus the optimal total with the pair forced, each re-solved with
:func:`mentoring.engine.assign.solve` (:func:`forced_losses`).

>>> from types import SimpleNamespace
>>> import numpy as np, pandas as pd
>>> cohort = SimpleNamespace(scores=np.array([[0.9, 0.5], [0.8, 0.1]]),
...     capacity=np.array([1, 1]), priority=np.array([False, False]), locked=(),
...     mentee_ids=("a", "b"), mentor_ids=("r", "q"),
...     people=pd.DataFrame({"member_id": ["a", "b", "r", "q"], "name": ["A", "B", "R", "Q"]}))
>>> forced_losses(cohort, [("a", "q")])["loss"].round(3).tolist()
[0.0]
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from mentoring.engine.assign import solve
from mentoring.engine.cohort import ScoredCohort
from mentoring.engine.objectives import pair_value, split_locked

__all__ = [
    "COUNTERFACTUAL_COLUMNS",
    "LOSS_COLUMNS",
    "assignment_from_pairs",
    "counterfactuals",
    "forced_losses",
]

COUNTERFACTUAL_COLUMNS: tuple[str, ...] = (
    "mentee_id",
    "assigned_mentor_id",
    "assigned_score",
    "best_mentor_id",
    "best_score",
    "why_not",
    "runner_up_id",
    "runner_up_score",
    "alternatives",
    "losses",
    "unmatched_added",
)
"""Columns of :func:`counterfactuals`; ``alternatives``, ``losses`` and ``unmatched_added`` hold
tuples of the same length, best alternative first."""


LOSS_COLUMNS: tuple[str, ...] = ("mentee_id", "mentor_id", "score", "loss", "unmatched_added")
"""Columns of :func:`forced_losses`."""


_TIE = 1e-9


def _coverage(cohort: ScoredCohort, coverage: bool | None) -> bool:
    if coverage is not None:
        return coverage
    config = getattr(cohort, "config", None)
    return getattr(config, "objective", "coverage") != "quality"


def _optimum(cohort: ScoredCohort, locked: Iterable[tuple[int, int]], coverage: bool) -> np.ndarray:
    s, cap, fixed = split_locked(cohort.scores, cohort.capacity, locked)
    priority = np.asarray(cohort.priority, dtype=bool) if coverage else None
    free = solve(s, cap, priority=priority, coverage=coverage)
    return np.where(fixed >= 0, fixed, free)


def _measure(value: np.ndarray, a: np.ndarray) -> tuple[float, int]:
    rows = np.flatnonzero(a >= 0)
    return float(value[rows, a[rows]].sum()), len(rows)


def _losses(
    cohort: ScoredCohort, pairs: list[tuple[int, int]], coverage: bool
) -> list[tuple[float, int]]:
    value = pair_value(cohort)
    locked = [(int(i), int(j)) for i, j in cohort.locked]
    base_total, base_matched = _measure(value, _optimum(cohort, locked, coverage))
    out = []
    for i, j in pairs:
        # Forcing a pair replaces any lock the coordinator put on that mentee.
        forced = [p for p in locked if p[0] != i] + [(i, j)]
        total, matched = _measure(value, _optimum(cohort, forced, coverage))
        out.append((base_total - total, base_matched - matched))
    return out


def forced_losses(
    cohort: ScoredCohort, pairs: Iterable[tuple[str, str]], *, coverage: bool | None = None
) -> pd.DataFrame:
    """What forcing each (mentee, mentor) pair would cost, each re-solved exactly.

    The optimum is the one :func:`mentoring.engine.assign.solve` finds with locked pairs kept
    (``coverage``: most priority mentees, most mentees, then total score; otherwise total
    score alone). Forcing a pair locks it in and re-solves everyone else.

    Parameters
    ----------
    cohort : mentoring.engine.cohort.ScoredCohort
        Uses ``scores``, ``capacity``, ``priority``, ``locked``, ``mentee_ids``, ``mentor_ids``.
    pairs : iterable of (mentee_id, mentor_id)
        The pairs to force, one at a time.
    coverage : bool, optional
        Default: True unless ``cohort.config.objective`` is ``"quality"``.

    Returns
    -------
    pandas.DataFrame
        :data:`LOSS_COLUMNS`: ``loss`` is the optimal total minus the optimal total with the
        pair forced; ``unmatched_added`` how many more mentees go unmatched.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> cohort = SimpleNamespace(scores=np.array([[0.9, 0.5], [0.8, -np.inf]]),
    ...     capacity=np.array([1, 1]), priority=np.array([False, False]), locked=(),
    ...     mentee_ids=("a", "b"), mentor_ids=("r", "q"))
    >>> forced_losses(cohort, [("a", "r")])[["loss", "unmatched_added"]].round(3).values.tolist()
    [[0.4, 1.0]]
    """
    row_of = {m: i for i, m in enumerate(cohort.mentee_ids)}
    col_of = {m: j for j, m in enumerate(cohort.mentor_ids)}
    pairs = list(pairs)
    unknown = [p for p in pairs if p[0] not in row_of or p[1] not in col_of]
    if unknown:
        raise ValueError(f"expected (mentee_id, mentor_id) pairs of this cohort, got {unknown}")
    positions = [(row_of[e], col_of[r]) for e, r in pairs]
    losses = _losses(cohort, positions, _coverage(cohort, coverage))
    value = np.asarray(cohort.scores, dtype=np.float64)
    return pd.DataFrame(
        [
            {
                "mentee_id": e,
                "mentor_id": r,
                "score": float(value[i, j]),
                "loss": loss,
                "unmatched_added": unmatched,
            }
            for (e, r), (i, j), (loss, unmatched) in zip(pairs, positions, losses, strict=True)
        ],
        columns=list(LOSS_COLUMNS),
    )


def assignment_from_pairs(cohort: ScoredCohort, pairs: pd.DataFrame) -> np.ndarray:
    """Mentor column per mentee row from a table of pairs, such as ``MatchResult.pairs``.

    Parameters
    ----------
    cohort : mentoring.engine.cohort.ScoredCohort
        Uses ``mentee_ids`` and ``mentor_ids``.
    pairs : pandas.DataFrame
        With ``mentee_id`` and ``mentor_id`` columns.

    Returns
    -------
    numpy.ndarray of int64
        -1 for a mentee without a pair.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> cohort = SimpleNamespace(mentee_ids=("a", "b"), mentor_ids=("r", "q"))
    >>> assignment_from_pairs(cohort, pd.DataFrame({"mentee_id": ["b"], "mentor_id": ["q"]}))
    array([-1,  1])
    """
    row_of = {m: i for i, m in enumerate(cohort.mentee_ids)}
    col_of = {m: j for j, m in enumerate(cohort.mentor_ids)}
    out = np.full(len(row_of), -1, dtype=np.int64)
    for mentee, mentor in zip(pairs["mentee_id"], pairs["mentor_id"], strict=True):
        if str(mentee) not in row_of or str(mentor) not in col_of:
            raise ValueError(
                f"expected pairs of this cohort's members, got ({mentee!r}, {mentor!r})"
            )
        out[row_of[str(mentee)]] = col_of[str(mentor)]
    return out


def _raw_scores(cohort: ScoredCohort) -> np.ndarray:
    """Scores before any rule, so that a forbidden best mentor can still be named."""
    features = getattr(cohort, "features", None)
    if features is None:
        return np.asarray(cohort.scores, dtype=np.float64)
    from mentoring.engine.scoring import score_block

    raw = score_block(features)["score"]
    rows = [features.mentee_ids.index(m) for m in cohort.mentee_ids]
    cols = [features.mentor_ids.index(m) for m in cohort.mentor_ids]
    return np.asarray(raw, dtype=np.float64)[np.ix_(rows, cols)]


def _names(cohort: ScoredCohort) -> dict[str, str]:
    people = getattr(cohort, "people", None)
    if people is None or "name" not in people.columns:
        return {}
    return dict(zip(people["member_id"].astype(str), people["name"].astype(str), strict=True))


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _forbidden(cohort: ScoredCohort, mentee: str, mentor: str) -> str:
    config = getattr(cohort, "config", None)
    if config is None or getattr(cohort, "people", None) is None:
        return "forbidden by a rule."
    from mentoring.engine.rules import exclusion_reasons

    reasons = exclusion_reasons(
        cohort.people, config, mentee, mentor, features=getattr(cohort, "features", None)
    )
    return "forbidden: " + (" ".join(reasons) if reasons else "a rule rules this pair out.")


def _goals_against(cohort: ScoredCohort, row: int, col: int, goals: tuple[Any, ...]) -> list[Any]:
    """The goals that forcing (row, col) would break or make dearer, each re-solved alone."""
    from mentoring.engine.goals import solve_with_goals

    # A shallow copy with other locks: the cohort may be a frozen ScoredCohort or any object
    # with its fields (the doctests pass a SimpleNamespace).
    forced = copy.copy(cohort)
    object.__setattr__(
        forced, "locked", tuple(p for p in cohort.locked if p[0] != row) + ((row, col),)
    )
    out = []
    for goal in goals:
        free = solve_with_goals(cohort, [goal])
        pinned = solve_with_goals(forced, [goal])
        if not pinned.feasible or pinned.total < free.total - _TIE:
            out.append(goal)
    return out


def counterfactuals(
    cohort: ScoredCohort,
    assignment: Any,
    *,
    mentees: Iterable[str] | None = None,
    max_alternatives: int = 3,
    coverage: bool | None = None,
) -> pd.DataFrame:
    """Per mentee: the best mentor overall, why not them, the runner-up, the cost of each option.

    Parameters
    ----------
    cohort : mentoring.engine.cohort.ScoredCohort
        The scored cohort the assignment was made on.
    assignment : array_like of int, or pandas.DataFrame
        Mentor column per mentee row (-1 for unassigned), or pairs with ``mentee_id`` and
        ``mentor_id`` columns such as ``MatchResult.pairs``.
    mentees : iterable of str, optional
        Mentee ids to explain (default: every mentee, in cohort order).
    max_alternatives : int
        How many allowed mentors other than the assigned one to cost, best score first.
    coverage : bool, optional
        The objective losses are measured in, as for :func:`forced_losses`.

    Returns
    -------
    pandas.DataFrame
        :data:`COUNTERFACTUAL_COLUMNS`, one row per mentee. ``why_not`` is ``"assigned"`` when
        the mentee got their best mentor; otherwise one sentence: ``"forbidden: ..."`` with the
        rules' own words, ``"capacity taken by ..."``, ``"a goal needed ..."``, a locked pair, or
        what the objective gained.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> cohort = SimpleNamespace(scores=np.array([[0.9, 0.5], [0.8, 0.1]]),
    ...     capacity=np.array([1, 1]), priority=np.array([False, False]), locked=(),
    ...     mentee_ids=("a", "b"), mentor_ids=("r", "q"),
    ...     people=pd.DataFrame({"member_id": ["a", "b", "r", "q"],
    ...                          "name": ["Ann", "Ben", "Rui", "Quinn"]}))
    >>> out = counterfactuals(cohort, np.array([1, 0]))
    >>> out.loc[0, "why_not"]
    'capacity taken by Ben, whose next best options cost more: giving Rui to Ann would lose 0.300 in total score.'
    """
    if not isinstance(max_alternatives, int) or max_alternatives < 0:
        raise ValueError(f"expected max_alternatives >= 0, got {max_alternatives!r}")
    if isinstance(assignment, pd.DataFrame):
        assignment = assignment_from_pairs(cohort, assignment)
    a = np.asarray(assignment, dtype=np.int64)
    scores = np.asarray(cohort.scores, dtype=np.float64)
    n, m = scores.shape
    if a.shape != (n,):
        raise ValueError(f"expected an assignment of {n} mentor columns, got shape {a.shape}")
    cover = _coverage(cohort, coverage)
    row_of = {e: i for i, e in enumerate(cohort.mentee_ids)}
    wanted = list(cohort.mentee_ids) if mentees is None else list(mentees)
    unknown = [e for e in wanted if e not in row_of]
    if unknown:
        raise ValueError(f"expected mentee ids of this cohort, got {unknown}")
    names = _names(cohort)
    name = names.get
    raw = _raw_scores(cohort)
    cap = np.asarray(cohort.capacity, dtype=np.int64)
    load = np.bincount(a[a >= 0], minlength=m)
    locked = dict(cohort.locked)
    goals = tuple(getattr(getattr(cohort, "config", None), "goals", ()) or ())
    mentor_ids = np.asarray(cohort.mentor_ids, dtype=object)
    rows = []
    for mentee in wanted:
        i = row_of[mentee]
        usable = (cap > 0) & (mentor_ids != mentee) & np.isfinite(raw[i])
        order = sorted(
            (int(j) for j in np.flatnonzero(usable)), key=lambda j: (-raw[i, j], mentor_ids[j])
        )
        best = order[0] if order else -1
        runner = order[1] if len(order) > 1 else -1
        allowed = [int(j) for j in np.flatnonzero(np.isfinite(scores[i]) & (cap > 0)) if j != a[i]]
        allowed = sorted(allowed, key=lambda j: (-scores[i, j], mentor_ids[j]))[:max_alternatives]
        to_cost = list(allowed)
        if best >= 0 and best != a[i] and np.isfinite(scores[i, best]) and best not in to_cost:
            to_cost.append(best)
        costs = dict(zip(to_cost, _losses(cohort, [(i, j) for j in to_cost], cover), strict=True))
        why = ""
        if best < 0:
            why = "no mentor with a free place exists for this mentee."
        elif best == a[i]:
            why = "assigned"
        elif not np.isfinite(scores[i, best]):
            why = _forbidden(cohort, mentee, mentor_ids[best])
        elif i in locked:
            why = (
                f"the coordinator locked {name(mentee, mentee)} with "
                f"{name(mentor_ids[locked[i]], mentor_ids[locked[i]])}."
            )
        else:
            loss, unmatched = costs[best]
            mentor = name(mentor_ids[best], mentor_ids[best])
            cost = f"giving {mentor} to {name(mentee, mentee)} would lose {loss:.3f} in total score"
            if unmatched > 0:
                cost += (
                    f" and leave {unmatched} more mentee{'s' if unmatched > 1 else ''} unmatched"
                )
            if load[best] >= cap[best]:
                holders = sorted(
                    name(e, e) for e in np.asarray(cohort.mentee_ids)[np.flatnonzero(a == best)]
                )
                if loss > _TIE or unmatched > 0:
                    why = f"capacity taken by {_join(holders)}, whose next best options cost more: {cost}."
                else:
                    why = (
                        f"capacity taken by {_join(holders)}; an equally good assignment gives "
                        f"{mentor} to {name(mentee, mentee)} (a tie broken by member order)."
                    )
            elif goals and loss <= _TIE and unmatched <= 0:
                needed = _goals_against(cohort, i, best, goals) or list(goals)
                why = "a goal needed a different pair: " + " ".join(g.describe() for g in needed)
            elif loss > _TIE or unmatched > 0:
                why = f"the objective did better without this pair: {cost}."
            else:
                why = "a tie broken by member order: forcing this pair costs nothing."
        rows.append(
            {
                "mentee_id": mentee,
                "assigned_mentor_id": mentor_ids[a[i]] if a[i] >= 0 else "",
                "assigned_score": float(scores[i, a[i]]) if a[i] >= 0 else np.nan,
                "best_mentor_id": mentor_ids[best] if best >= 0 else "",
                "best_score": float(raw[i, best]) if best >= 0 else np.nan,
                "why_not": why,
                "runner_up_id": mentor_ids[runner] if runner >= 0 else "",
                "runner_up_score": float(raw[i, runner]) if runner >= 0 else np.nan,
                "alternatives": tuple(str(mentor_ids[j]) for j in allowed),
                "losses": tuple(float(costs[j][0]) for j in allowed),
                "unmatched_added": tuple(int(costs[j][1]) for j in allowed),
            }
        )
    return pd.DataFrame(rows, columns=list(COUNTERFACTUAL_COLUMNS))
