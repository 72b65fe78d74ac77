"""Cohort-level diversity goals, solved exactly as a mixed integer program.

A goal is a promise about the cohort as a whole, not about one pair: "every priority mentee
matched if at all possible", "at least 60% of mentees who asked for a mentor sharing an identity
get one", "each library type's mean score within 0.05 of the overall mean", "at least 80% of
each chapter matched". :func:`solve_with_goals` turns the candidate graph into a mixed integer
program for :func:`scipy.optimize.milp` (one binary per allowed pair; at most one mentor per
mentee; mentor capacities; locked pairs fixed at 1) and adds one linear constraint per goal. The
objective's lexicographic order is kept by solving in stages, each stage fixing the optimum of
the one before. The result says whether each goal was met, what the goals cost in total score
against the same objective without them (the price of the goals), and, when goals cannot be met,
which one and why, in a sentence, together with the best assignment without it.

:func:`verify_goals` checks an assignment against goals from the people table alone, without the
program's matrices: it is the audit of goals.

>>> goal_from_dict({"kind": "identity_share", "min_fraction": 0.6}).describe()
'At least 60% of the mentees who asked for a mentor sharing an identity get one.'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from mentoring.engine.assign import solve
from mentoring.engine.cohort import ScoredCohort
from mentoring.engine.objectives import pair_value, split_locked
from mentoring.model.config import OBJECTIVES
from mentoring.model.goals import (
    GroupCoverage,
    GroupScoreParity,
    IdentityShare,
    PriorityCovered,
    _label,
    goal_from_dict,
)

__all__ = ["REPORT_COLUMNS", "GoalSolution", "solve_with_goals", "verify_goals"]

REPORT_COLUMNS: tuple[str, ...] = ("goal", "met", "target", "achieved", "explanation")
"""Columns of a goal report: one row per goal."""


_EPS = 1e-9


@dataclass(frozen=True)
class GoalSolution:
    """The outcome of :func:`solve_with_goals`.

    ``assignment`` is the mentor column per mentee row (-1 unassigned); ``report`` has
    :data:`REPORT_COLUMNS`; ``price`` is the total score of the best assignment without goals
    minus the total with them (same objective); ``feasible`` is False when some goal could not
    be met, in which case ``explanation`` says which and why, and ``assignment`` is the best one
    without the goal(s) named. ``gap`` is 0 when every stage was proven optimal; otherwise the
    largest relative gap left when a stage reached its time limit (the explanation says so).
    """

    assignment: np.ndarray
    report: pd.DataFrame
    price: float
    feasible: bool
    total: float = 0.0
    unconstrained_total: float = 0.0
    matched: int = 0
    unconstrained_matched: int = 0
    dropped: tuple[Any, ...] = ()
    explanation: str = ""
    gap: float = 0.0


def _lookup(cohort: ScoredCohort, ids: Sequence[str], column: str) -> list[Any]:
    table = cohort.people.drop_duplicates("member_id").set_index("member_id")
    if column not in table.columns:
        return [None] * len(ids)
    return table[column].reindex(list(ids)).tolist()


def _tags(value: Any) -> tuple[str, ...]:
    if isinstance(value, tuple | list | set | frozenset):
        return tuple(sorted({str(v) for v in value if str(v)}))
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ()
    return (str(value),) if str(value) else ()


def _groups(cohort: ScoredCohort, column: str, min_members: int) -> dict[str, np.ndarray]:
    members: dict[str, list[int]] = {}
    for i, value in enumerate(_lookup(cohort, cohort.mentee_ids, column)):
        for tag in _tags(value):
            members.setdefault(tag, []).append(i)
    return {g: np.array(rows) for g, rows in sorted(members.items()) if len(rows) >= min_members}


def _identity(cohort: ScoredCohort) -> tuple[np.ndarray, list[set[str]], list[set[str]]]:
    wishes = [set(_tags(v)) for v in _lookup(cohort, cohort.mentee_ids, "identity_preference")]
    identities = [set(_tags(v)) for v in _lookup(cohort, cohort.mentor_ids, "identities")]
    asked = np.array([bool(w) for w in wishes], dtype=bool)
    return asked, wishes, identities


def _ceil(fraction: float, count: int) -> int:
    return math.ceil(fraction * count - _EPS)


def _max_priority(cohort: ScoredCohort) -> int:
    s, cap, fixed = split_locked(cohort.scores, cohort.capacity, cohort.locked)
    priority = np.asarray(cohort.priority, dtype=bool)
    free = solve(s, cap, priority=priority)
    a = np.where(fixed >= 0, fixed, free)
    return int(np.sum(priority & (a >= 0)))


def verify_goals(cohort: ScoredCohort, goals: Iterable[Any], assignment: Any) -> pd.DataFrame:
    """Check an assignment against goals, independently of how it was found.

    Parameters
    ----------
    cohort : mentoring.engine.cohort.ScoredCohort
        Uses ``people``, ``mentee_ids``, ``mentor_ids``, ``scores``, ``capacity``,
        ``priority`` and ``locked``.
    goals : iterable of goals
        Goal objects or their dictionaries.
    assignment : array_like of int
        Mentor column per mentee row, -1 for unassigned.

    Returns
    -------
    pandas.DataFrame
        :data:`REPORT_COLUMNS`. ``target`` and ``achieved`` are fractions for coverage-like
        goals (for :class:`PriorityCovered` the target is the largest share any assignment can
        reach) and the largest gap from the overall mean for :class:`GroupScoreParity`.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> people = pd.DataFrame({"member_id": ["a", "b", "r"], "identity_preference":
    ...     [("black",), ("latina",), ()], "identities": [(), (), ("black",)]})
    >>> cohort = SimpleNamespace(people=people, mentee_ids=("a", "b"), mentor_ids=("r",),
    ...     scores=np.array([[0.5], [0.9]]), capacity=np.array([1]),
    ...     priority=np.array([False, False]), locked=())
    >>> verify_goals(cohort, [IdentityShare(0.5)], np.array([0, -1]))[["met", "achieved"]]
        met  achieved
    0  True       0.5
    """
    a = np.asarray(assignment, dtype=np.int64)
    value = pair_value(cohort)
    matched = a >= 0
    rows = []
    for goal in (goal_from_dict(g) for g in goals):
        if isinstance(goal, PriorityCovered):
            priority = np.asarray(cohort.priority, dtype=bool)
            n_priority = int(priority.sum())
            got = int(np.sum(priority & matched))
            best = _max_priority(cohort)
            target = best / n_priority if n_priority else 1.0
            achieved = got / n_priority if n_priority else 1.0
            met = got >= best
            note = (
                "No mentee is marked priority."
                if not n_priority
                else f"{got} of {n_priority} priority mentees matched; at most {best} can be."
            )
        elif isinstance(goal, IdentityShare):
            asked, wishes, identities = _identity(cohort)
            n_asked = int(asked.sum())
            got = sum(1 for i in np.flatnonzero(asked & matched) if wishes[i] & identities[a[i]])
            need = _ceil(goal.min_fraction, n_asked)
            target, achieved = goal.min_fraction, (got / n_asked if n_asked else 1.0)
            met = got >= need
            note = (
                "Nobody asked for a mentor sharing an identity."
                if not n_asked
                else f"{got} of the {n_asked} mentees who asked got a mentor sharing an "
                f"identity ({need} needed)."
            )
        elif isinstance(goal, GroupCoverage):
            groups = _groups(cohort, goal.field, goal.min_members)
            shares = {g: float(matched[r].mean()) for g, r in groups.items()}
            short = [
                g for g, r in groups.items() if matched[r].sum() < _ceil(goal.min_fraction, len(r))
            ]
            target = goal.min_fraction
            achieved = min(shares.values()) if shares else 1.0
            met = not short
            note = (
                f"Every {_label(goal.field)} group reached {goal.min_fraction:.0%}."
                if met
                else f"Short of {goal.min_fraction:.0%}: "
                + ", ".join(f"{g} ({shares[g]:.0%})" for g in short)
                + "."
            )
        else:
            groups = _groups(cohort, goal.field, goal.min_members)
            if matched.any():
                overall = float(value[np.flatnonzero(matched), a[matched]].mean())
            else:
                overall = math.nan
            gaps = {}
            for g, r in groups.items():
                r = r[matched[r]]
                if len(r):
                    gaps[g] = float(value[r, a[r]].mean()) - overall
            target = goal.tolerance
            achieved = max((abs(v) for v in gaps.values()), default=0.0)
            met = achieved <= goal.tolerance + 1e-7
            worst = max(gaps, key=lambda g: (abs(gaps[g]), g)) if gaps else None
            note = (
                f"No {_label(goal.field)} group of {goal.min_members} or more has a matched mentee."
                if worst is None
                else f"Largest gap: {worst} at {gaps[worst]:+.3f} from the overall mean "
                f"{overall:.3f}."
            )
        rows.append(
            {
                "goal": goal.describe(),
                "met": bool(met),
                "target": float(target),
                "achieved": float(achieved),
                "explanation": note,
            }
        )
    return pd.DataFrame(rows, columns=list(REPORT_COLUMNS))


@dataclass
class _Program:
    """Variables: one binary per allowed pair (edge), then continuous helpers."""

    rows: np.ndarray
    cols: np.ndarray
    value: np.ndarray
    locked: np.ndarray
    n_rows: int
    n_cols: int
    capacity: np.ndarray
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[int] = field(default_factory=list)
    constraints: list[tuple[np.ndarray, np.ndarray, float, float]] = field(default_factory=list)
    # Relative gaps of stages stopped by the time limit with an answer in hand; shared with
    # copies, so the whole solve reports the worst one (empty: every stage proven optimal).
    gaps: list[float] = field(default_factory=list)

    @property
    def n_edges(self) -> int:
        return len(self.rows)

    def add_variables(self, count: int, low: float, high: float, integer: int = 0) -> int:
        start = len(self.lower)
        self.lower += [low] * count
        self.upper += [high] * count
        self.integer += [integer] * count
        return start

    def add(self, index: Any, coef: Any, low: float, high: float) -> None:
        index = np.asarray(index, dtype=np.int64)
        coef = np.broadcast_to(np.asarray(coef, dtype=np.float64), index.shape)
        self.constraints.append((index, coef.copy(), low, high))

    def copy(self) -> _Program:
        return _Program(
            self.rows,
            self.cols,
            self.value,
            self.locked,
            self.n_rows,
            self.n_cols,
            self.capacity,
            list(self.lower),
            list(self.upper),
            list(self.integer),
            list(self.constraints),
            self.gaps,
        )

    def maximise(self, objective: np.ndarray, time_limit: float) -> np.ndarray | None:
        # One extra variable fixed at 0 keeps the program well formed with no allowed pair.
        n = len(self.lower) + 1
        c = np.zeros(n)
        c[: len(objective)] = -np.asarray(objective, dtype=np.float64)
        if self.constraints:
            data = np.concatenate([k[1] for k in self.constraints])
            cols = np.concatenate([k[0] for k in self.constraints])
            lens = [len(k[0]) for k in self.constraints]
            rows = np.repeat(np.arange(len(self.constraints)), lens)
            matrix = sp.csr_array((data, (rows, cols)), shape=(len(self.constraints), n))
            lo = np.array([k[2] for k in self.constraints])
            hi = np.array([k[3] for k in self.constraints])
            constraints = [LinearConstraint(matrix, lo, hi)]
        else:
            constraints = []
        result = milp(
            c,
            integrality=np.array([*self.integer, 0]),
            bounds=Bounds(np.array([*self.lower, 0.0]), np.array([*self.upper, 0.0])),
            constraints=constraints,
            options={"mip_rel_gap": 0.0, "time_limit": time_limit, "presolve": False},
        )
        if result.x is None:
            if result.status == 1:
                raise TimeoutError(
                    f"the goal program did not finish within {time_limit:g} seconds; "
                    "try fewer goals or a smaller cohort"
                )
            return None
        if result.status != 0:
            # Stopped by the time limit with a feasible answer: keep it, but never call it
            # optimal; the gap says how far from the proven bound it may be.
            self.gaps.append(float(getattr(result, "mip_gap", np.nan)))
        return np.asarray(result.x)[:-1]


def _program(cohort: ScoredCohort) -> _Program:
    s = np.asarray(cohort.scores, dtype=np.float64)
    free_scores, free_cap, fixed = split_locked(s, cohort.capacity, cohort.locked)
    value = pair_value(cohort)
    r, c = np.nonzero(np.isfinite(free_scores) & (free_cap[None, :] > 0))
    lr = np.flatnonzero(fixed >= 0)
    rows = np.concatenate([r, lr]).astype(np.int64)
    cols = np.concatenate([c, fixed[lr]]).astype(np.int64)
    locked = np.concatenate([np.zeros(len(r), bool), np.ones(len(lr), bool)])
    cap = np.asarray(cohort.capacity, dtype=np.int64)
    prog = _Program(rows, cols, value[rows, cols], locked, s.shape[0], s.shape[1], cap)
    prog.add_variables(len(rows), 0.0, 1.0, 1)
    for k in np.flatnonzero(locked):
        prog.lower[k] = 1.0
    edge = np.arange(len(rows))
    for i in np.unique(rows):
        prog.add(edge[rows == i], 1.0, -np.inf, 1.0)
    for j in np.unique(cols):
        # A locked pair may exceed a mentor's stated capacity: the coordinator decided.
        here = edge[cols == j]
        prog.add(here, 1.0, -np.inf, max(int(cap[j]), int(locked[here].sum())))
    # A member open to both roles may not mentor the person who mentors them.
    edge_of = {(int(i), int(j)): e for e, (i, j) in enumerate(zip(rows, cols, strict=True))}
    row_of = {m: i for i, m in enumerate(cohort.mentee_ids)}
    col_of = {m: j for j, m in enumerate(cohort.mentor_ids)}
    for (i, j), e in edge_of.items():
        back = edge_of.get(
            (row_of.get(cohort.mentor_ids[j], -1), col_of.get(cohort.mentee_ids[i], -1))
        )
        if back is not None and e < back:
            prog.add([e, back], 1.0, -np.inf, 1.0)
    return prog


def _stability(prog: _Program, cohort: ScoredCohort) -> None:
    """Baiou-Balinski constraints: every free pair is not blocking under tie-broken ranks."""
    free_scores, free_cap, _ = split_locked(cohort.scores, cohort.capacity, cohort.locked)
    mentee_rank = np.argsort(np.argsort(-free_scores, axis=1, kind="stable"), axis=1)
    mentor_rank = np.argsort(np.argsort(-free_scores, axis=0, kind="stable"), axis=0)
    free = np.flatnonzero(~prog.locked)
    r, c = prog.rows[free], prog.cols[free]
    for e in range(len(free)):
        i, j = r[e], c[e]
        cap = float(free_cap[j])
        own = free[(r == i) & (mentee_rank[i, c] <= mentee_rank[i, j])]
        better = free[(c == j) & (mentor_rank[r, j] < mentor_rank[i, j])]
        prog.add(
            np.concatenate([own, better]),
            np.concatenate([np.full(len(own), cap), np.ones(len(better))]),
            cap,
            np.inf,
        )


def _add_goal(
    prog: _Program, cohort: ScoredCohort, goal: Any, *, all_matched: bool = False
) -> None:
    """Add one goal's constraints; ``all_matched`` when the program matches every mentee."""
    edge = np.arange(prog.n_edges)
    if isinstance(goal, PriorityCovered):
        priority = np.asarray(cohort.priority, dtype=bool)
        best = _max_priority(cohort)
        if best:
            prog.add(edge[priority[prog.rows]], 1.0, best, np.inf)
    elif isinstance(goal, IdentityShare):
        asked, wishes, identities = _identity(cohort)
        need = _ceil(goal.min_fraction, int(asked.sum()))
        share = np.array(
            [
                bool(asked[i] and wishes[i] & identities[j])
                for i, j in zip(prog.rows, prog.cols, strict=True)
            ],
            dtype=bool,
        )
        if need:
            prog.add(edge[share], 1.0, need, np.inf)
    elif isinstance(goal, GroupCoverage):
        for members in _groups(cohort, goal.field, goal.min_members).values():
            need = _ceil(goal.min_fraction, len(members))
            if need:
                prog.add(edge[np.isin(prog.rows, members)], 1.0, need, np.inf)
    else:
        groups = _groups(cohort, goal.field, goal.min_members)
        if not groups:
            return
        if all_matched:
            _add_parity_all_matched(prog, goal, groups)
            return
        # mean = S / N is a ratio. With mu the overall mean and w_i = mu * y_i for each mentee
        # (y_i = 1 when matched; exact for binary y by McCormick), "mean_g within tol of mu"
        # is linear: |S_g - sum_g w| <= tol * N_g, and S = sum w defines mu. One w per
        # mentee, not per pair, keeps the program small.
        rows = np.unique(prog.rows)
        mu = prog.add_variables(1, 0.0, 1.0)
        w = prog.add_variables(len(rows), 0.0, 1.0)
        v = np.clip(prog.value, 0.0, 1.0)
        w_of = {int(i): w + k for k, i in enumerate(rows)}
        for i in rows:
            mine = edge[prog.rows == i]
            prog.add([w_of[int(i)], mu], [1.0, -1.0], -np.inf, 0.0)
            prog.add(
                np.concatenate([[w_of[int(i)]], mine]), [1.0, *[-1.0] * len(mine)], -np.inf, 0.0
            )
            prog.add(
                np.concatenate([[w_of[int(i)], mu], mine]),
                [1.0, -1.0, *[-1.0] * len(mine)],
                -1.0,
                np.inf,
            )
        all_w = np.array([w_of[int(i)] for i in rows], dtype=np.int64)
        prog.add(np.concatenate([edge, all_w]), np.concatenate([v, -np.ones(len(all_w))]), 0, 0)
        for members in groups.values():
            g = edge[np.isin(prog.rows, members)]
            gw = np.array([w_of[int(i)] for i in members if int(i) in w_of], dtype=np.int64)
            idx = np.concatenate([g, gw, g])
            for sign, low, high in ((-1.0, -np.inf, 0.0), (1.0, 0.0, np.inf)):
                prog.add(
                    idx,
                    np.concatenate(
                        [v[g], -np.ones(len(gw)), np.full(len(g), sign * goal.tolerance)]
                    ),
                    low,
                    high,
                )


def _add_parity_all_matched(prog: _Program, goal: Any, groups: dict) -> None:
    """Score parity when every mentee is matched: each group's size is then a constant.

    With N mentees and group sizes N_g all fixed, "mean_g within tol of the overall mean" is
    |S_g / N_g - S / N| <= tol, one linear row per group, with none of the product terms the
    general form needs; the solver proves it in a fraction of the time.
    """
    v = np.clip(prog.value, 0.0, 1.0)
    edge = np.arange(prog.n_edges)
    for members in groups.values():
        size = len(members)
        share = size / prog.n_rows
        inside = np.isin(prog.rows, members)
        prog.add(
            edge,
            np.where(inside, v * (1.0 - share), -v * share),
            -goal.tolerance * size,
            goal.tolerance * size,
        )


def _stages(
    prog: _Program, cohort: ScoredCohort, objective: str, time_limit: float
) -> np.ndarray | None:
    """Solve the objective's lexicographic order, one stage at a time."""
    if objective == "stable":
        _stability(prog, cohort)
    n = prog.n_edges
    ones = np.ones(n)
    edge = np.arange(n)
    stages: list[np.ndarray] = []
    if objective in ("coverage", "egalitarian"):
        priority = np.asarray(cohort.priority, dtype=bool)[prog.rows]
        if priority.any():
            stages.append(priority.astype(float))
        stages.append(ones)
    x = None
    for weights in stages:
        x = prog.maximise(weights, time_limit)
        if x is None:
            return None
        # Counts are whole numbers, so fixing them to within a half is exact.
        prog.add(edge[weights > 0], 1.0, float(weights @ x[:n]) - 0.5, np.inf)
    if objective == "egalitarian":
        # The best worst score: the highest threshold at which the counts fixed above are
        # still reachable with every free pair below it removed, by binary search.
        free = edge[~prog.locked]
        thresholds = np.unique(prog.value[free])
        lo, hi = 0, len(thresholds) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            trial = prog.copy()
            for e in free[prog.value[free] < thresholds[mid]]:
                trial.upper[e] = 0.0
            if trial.maximise(np.zeros(n), time_limit) is None:
                hi = mid - 1
            else:
                lo = mid
        if len(thresholds):
            for e in free[prog.value[free] < thresholds[lo]]:
                prog.upper[e] = 0.0
    x = prog.maximise(prog.value, time_limit)
    return None if x is None else x[:n]


def _solve(
    cohort: ScoredCohort, goals: Sequence[Any], objective: str, time_limit: float
) -> _Found | None:
    if objective in ("coverage", "egalitarian") and any(
        isinstance(g, GroupScoreParity) for g in goals
    ):
        # These objectives match as many mentees as possible first, so when the goals can be
        # met with every mentee matched, the optimum is among such assignments: solve that
        # (linear) program first, and the general one only when it has no answer.
        found = _solve_program(cohort, goals, objective, time_limit, all_matched=True)
        if found is not None:
            return found
    return _solve_program(cohort, goals, objective, time_limit, all_matched=False)


def _solve_program(
    cohort: ScoredCohort,
    goals: Sequence[Any],
    objective: str,
    time_limit: float,
    *,
    all_matched: bool,
) -> _Found | None:
    prog = _program(cohort)
    if all_matched:
        edge = np.arange(prog.n_edges)
        for i in range(prog.n_rows):
            mine = edge[prog.rows == i]
            if not len(mine):
                return None
            prog.add(mine, 1.0, 1.0, 1.0)
    for goal in goals:
        _add_goal(prog, cohort, goal, all_matched=all_matched)
    x = _stages(prog, cohort, objective, time_limit)
    if x is None:
        return None
    a = np.full(prog.n_rows, -1, dtype=np.int64)
    chosen = x > 0.5
    a[prog.rows[chosen]] = prog.cols[chosen]
    return _Found(a, max(prog.gaps, default=0.0))


class _Found(NamedTuple):
    """An assignment and the relative optimality gap it was proven to (0: optimal)."""

    assignment: np.ndarray
    gap: float


_STABLE_CONFLICT = (
    "It could be met on its own, but not by a stable assignment (one where no mentee and "
    "mentor would both rather be together): choose another objective to meet it."
)


def _why(cohort: ScoredCohort, goal: Any, objective: str) -> str:
    """A sentence saying why one goal cannot be met on its own."""
    free_scores, free_cap, fixed = split_locked(cohort.scores, cohort.capacity, cohort.locked)
    allowed = np.isfinite(free_scores) & (free_cap[None, :] > 0)
    if isinstance(goal, IdentityShare):
        asked, wishes, identities = _identity(cohort)
        n_asked = int(asked.sum())
        need = _ceil(goal.min_fraction, n_asked)
        share = np.array(
            [
                [bool(wishes[i] & identities[j]) for j in range(allowed.shape[1])]
                for i in range(allowed.shape[0])
            ],
            dtype=bool,
        ).reshape(allowed.shape)
        locked_ok = {
            int(i)
            for i in np.flatnonzero(fixed >= 0)
            if asked[i] and wishes[i] & identities[fixed[i]]
        }
        sub = np.where(allowed & share & asked[:, None], free_scores, -np.inf)
        reachable = int(np.sum((allowed & share & asked[:, None]).any(axis=1))) + len(locked_ok)
        best = int(np.sum(solve(sub, free_cap) >= 0)) + len(locked_ok)
        if reachable < need:
            return (
                f"Only {reachable} of the {n_asked} mentees who asked for a mentor sharing an "
                f"identity have any feasible mentor who does; at most {reachable / n_asked:.0%} "
                f"can get one, short of the {goal.min_fraction:.0%} asked for."
            )
        if best >= need and objective == "stable":
            return _STABLE_CONFLICT
        return (
            f"Mentors who share an identity with the mentees who asked have too few places: at "
            f"most {best} of the {n_asked} ({best / n_asked:.0%}) can get one at the same time, "
            f"short of the {need} needed for {goal.min_fraction:.0%}."
        )
    if isinstance(goal, GroupCoverage):
        parts = []
        for g, members in _groups(cohort, goal.field, goal.min_members).items():
            need = _ceil(goal.min_fraction, len(members))
            sub = np.full_like(free_scores, -np.inf)
            sub[members] = free_scores[members]
            locked_in = int(np.sum(fixed[members] >= 0))
            best = int(np.sum(solve(sub, free_cap) >= 0)) + locked_in
            if best < need:
                parts.append(
                    f"in {_label(goal.field)} group '{g}' at most {best} of {len(members)} "
                    f"mentees ({best / len(members):.0%}) can be matched, because the others "
                    "have no feasible mentor with a free place"
                )
        if parts:
            return (
                "Not every group can reach " + f"{goal.min_fraction:.0%}: " + "; ".join(parts) + "."
            )
        if objective == "stable":
            return _STABLE_CONFLICT
        return "The groups cannot all reach this share at the same time."
    if objective == "stable":
        return _STABLE_CONFLICT
    if isinstance(goal, GroupScoreParity):
        return (
            f"The locked pairs alone put some {_label(goal.field)} group's mean score more than "
            f"{goal.tolerance:g} from the overall mean, whatever else is matched."
        )
    return "The priority mentees cannot all be matched together with the other goals."


def solve_with_goals(
    cohort: ScoredCohort,
    goals: Iterable[Any],
    objective: str | None = None,
    *,
    time_limit: float = 60.0,
) -> GoalSolution:
    """The best assignment under an objective that meets every goal, with the price of goals.

    The program has one binary per allowed pair, at most one mentor per mentee, mentor
    capacities, locked pairs fixed, and one linear constraint per goal (per group for group
    goals). The objective is solved in stages: ``coverage`` and ``egalitarian`` first maximise
    the priority mentees matched, then all mentees matched; ``egalitarian`` then maximises the
    worst matched score; every objective finishes by maximising the total score. ``stable``
    adds Baiou-Balinski constraints (no blocking pair under score preferences, ties broken by
    lower index) and maximises the total among stable assignments. The price is measured
    against the same program without goals.

    Parameters
    ----------
    cohort : mentoring.engine.cohort.ScoredCohort
        Scores, capacities, priority, locked pairs and the people table.
    goals : iterable of goals
        Goal objects or their dictionaries.
    objective : str, optional
        One of :data:`mentoring.model.config.OBJECTIVES`; default ``cohort.config.objective``.
    time_limit : float
        Seconds allowed per stage of the program.

    Returns
    -------
    GoalSolution
        When a goal cannot be met, ``feasible`` is False, ``explanation`` names the goal and
        says why, and ``assignment`` is the best one with that goal left out.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> people = pd.DataFrame({"member_id": ["a", "b", "r", "q"],
    ...     "identity_preference": [("black",), (), (), ()],
    ...     "identities": [(), (), ("black",), ()]})
    >>> cohort = SimpleNamespace(people=people, mentee_ids=("a", "b"), mentor_ids=("r", "q"),
    ...     scores=np.array([[0.5, 0.9], [0.9, 0.5]]), capacity=np.array([1, 1]),
    ...     priority=np.array([False, False]), locked=())
    >>> result = solve_with_goals(cohort, [IdentityShare(1.0)], "coverage")
    >>> result.assignment.tolist(), round(result.price, 2), result.feasible
    ([0, 1], 0.8, True)
    """
    goals = [goal_from_dict(g) for g in goals]
    if objective is None:
        objective = cohort.config.objective
    if objective not in OBJECTIVES:
        raise ValueError(f"expected an objective in {OBJECTIVES}, got {objective!r}")
    base = _solve(cohort, [], objective, time_limit)
    if base is None:
        raise ValueError(
            "the locked pairs and capacities admit no assignment at all; check the locked pairs"
        )
    found = _solve(cohort, goals, objective, time_limit)
    dropped: list[Any] = []
    reasons: dict[int, str] = {}
    if found is None:
        alone = [
            k for k, g in enumerate(goals) if _solve(cohort, [g], objective, time_limit) is None
        ]
        for k in alone:
            reasons[k] = _why(cohort, goals[k], objective)
        if not alone:
            for k in range(len(goals) - 1, -1, -1):
                rest = goals[:k] + goals[k + 1 :]
                if _solve(cohort, rest, objective, time_limit) is not None:
                    alone = [k]
                    others = "; ".join(g.describe() for g in rest) or "none"
                    reasons[k] = (
                        "This goal can be met on its own, but not together with the others "
                        f"({others}); without it they can."
                    )
                    break
            else:
                alone = list(range(len(goals)))
                for k in alone:
                    reasons[k] = "These goals cannot be met together."
        dropped = [goals[k] for k in alone]
        kept = [g for k, g in enumerate(goals) if k not in alone]
        found = _solve(cohort, kept, objective, time_limit) or base
    assert found is not None
    gap = max(found.gap, base.gap)
    return _goal_solution(
        cohort, goals, base.assignment, found.assignment, reasons, dropped, gap, time_limit
    )


def _goal_solution(
    cohort: ScoredCohort,
    goals: Sequence[Any],
    base: np.ndarray,
    found: np.ndarray,
    reasons: dict[int, str],
    dropped: list[Any],
    gap: float,
    time_limit: float,
) -> GoalSolution:
    value = pair_value(cohort)

    def total(a: np.ndarray) -> float:
        rows = np.flatnonzero(a >= 0)
        return float(value[rows, a[rows]].sum())

    report = verify_goals(cohort, goals, found)
    for k, text in reasons.items():
        report.loc[k, "explanation"] = f"Cannot be met: {text} {report.loc[k, 'explanation']}"
    explanation = " ".join(f"{goals[k].describe()} {reasons[k]}" for k in sorted(reasons))
    if gap > 0:
        explanation = (
            f"{explanation} The goal program reached its time limit of {time_limit:g} s per "
            f"stage: the pairs meet the goals as reported, and their total is within "
            f"{gap:.1e} (relative) of the best possible, but not proven the best."
        ).strip()
    return GoalSolution(
        assignment=found,
        report=report,
        price=total(base) - total(found),
        feasible=not dropped,
        total=total(found),
        unconstrained_total=total(base),
        matched=int(np.sum(found >= 0)),
        unconstrained_matched=int(np.sum(base >= 0)),
        dropped=tuple(dropped),
        explanation=explanation,
        gap=gap,
    )
