"""The two-way rule: nobody is mentor and mentee of the same person at once.

Members open to both roles are a row (as a mentee) and a column (as a mentor) of the same
problem, so a solve may pair A with B both ways. That is not a bipartite constraint and no
assignment kernel can see it. :func:`solve_without_two_way` solves without it (an upper bound),
then repairs the answer and, when the conflicts are few, proves the best one by branching.

>>> import numpy as np
>>> mirror = Mirror.of(("a", "b"), ("a", "b"))
>>> mirror.conflicts(np.array([1, 0]))
[(0, 1)]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from mentoring.engine.assign import solve

__all__ = ["Mirror", "TwoWay", "objective_key", "repair_locally", "solve_without_two_way"]

BRANCH_LIMIT = 64
"""Most solves the branch search may spend before its answer is reported as not certified."""

REPAIR_ROUNDS = 6

NEIGHBOURS = 16
"""Best candidate columns per freed row whose holders a local repair seats again with it."""

EXACT_CONFLICTS = 5
"""Up to this many conflicts the branch search (two ways each) fits its limit of solves."""

Solver = Callable[[list[tuple[int, int]]], np.ndarray]
# Scores of pairs (rows, columns), one call for many: each call reads the scores afresh.
PairScores = Callable[[np.ndarray, np.ndarray], np.ndarray]
RowCandidates = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]


@dataclass(frozen=True, eq=False)
class Mirror:
    """Where each member sits on the other side.

    ``col_of_row[i]`` is the column of row i's member as a mentor, ``row_of_col[j]`` the row of
    column j's member as a mentee; -1 where the member has only the one role.
    """

    col_of_row: np.ndarray
    row_of_col: np.ndarray

    @classmethod
    def of(cls, mentee_ids: Sequence[str], mentor_ids: Sequence[str]) -> Mirror:
        """The mirror of a problem whose rows and columns are these member ids.

        Examples
        --------
        >>> Mirror.of(("a", "b"), ("b", "c")).col_of_row.tolist()
        [-1, 0]
        """
        col_of = {member: j for j, member in enumerate(mentor_ids)}
        row_of = {member: i for i, member in enumerate(mentee_ids)}
        return cls(
            np.array([col_of.get(member, -1) for member in mentee_ids], dtype=np.int64),
            np.array([row_of.get(member, -1) for member in mentor_ids], dtype=np.int64),
        )

    def reverse(self, i: int, j: int) -> tuple[int, int]:
        """The (row, column) of the pair the other way round: j's member mentored by i's.

        Examples
        --------
        >>> Mirror.of(("a", "b"), ("a", "b")).reverse(0, 1)
        (1, 0)
        """
        return int(self.row_of_col[j]), int(self.col_of_row[i])

    def closes_loop(self, assignment: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Whether assigning each (row, column) pair would pair two members both ways.

        Examples
        --------
        >>> import numpy as np
        >>> Mirror.of(("a", "b"), ("a", "b")).closes_loop(
        ...     np.array([-1, 0]), np.array([0, 0]), np.array([1, 0])).tolist()
        [True, False]
        """
        back_row, back_col = self.row_of_col[cols], self.col_of_row[rows]
        both = (back_row >= 0) & (back_col >= 0)
        out = np.zeros(rows.shape, dtype=bool)
        out[both] = assignment[back_row[both]] == back_col[both]
        return out

    def conflicts(self, assignment: np.ndarray) -> list[tuple[int, int]]:
        """(row, column) pairs whose reverse pair is also assigned, each loop named once.

        Examples
        --------
        >>> import numpy as np
        >>> Mirror.of(("a", "b", "c"), ("a", "b")).conflicts(np.array([1, 0, 0]))
        [(0, 1)]
        """
        rows = np.flatnonzero(assignment >= 0)
        cols = assignment[rows]
        loop = self.closes_loop(assignment, rows, cols) & (rows < self.row_of_col[cols])
        return list(zip(rows[loop].tolist(), cols[loop].tolist(), strict=True))


def objective_key(
    assignment: np.ndarray,
    scores_of: Callable[[np.ndarray], np.ndarray],
    priority: np.ndarray,
    coverage: bool,
) -> tuple:
    """What the solver maximises, in its order: with coverage, priority rows matched, rows
    matched, then the total score; else the total score alone.

    Examples
    --------
    >>> import numpy as np
    >>> objective_key(np.array([0, -1]), lambda a: np.array([0.5]), np.array([True, False]), True)
    (1, 1, 0.5)
    """
    matched = assignment >= 0
    total = float(scores_of(assignment).sum())
    if coverage:
        return (int((matched & priority).sum()), int(matched.sum()), round(total, 9))
    return (round(total, 9),)


@dataclass(frozen=True)
class TwoWay:
    """The answer of :func:`solve_without_two_way`: whether it is proven best, and the answer
    without the rule (its total and rows matched), which bounds every answer with it."""

    assignment: np.ndarray
    finished: bool
    relaxed_total: float
    relaxed_matched: int


@dataclass(frozen=True)
class Reassign:
    """What :func:`repair_locally` needs to seat the rows a repair took out: each row's
    candidate pairs with their scores, and every column's places."""

    candidates_of: RowCandidates
    capacity: np.ndarray


def _weaker_directions(
    mirror: Mirror, pair_scores: PairScores, conflicts: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The weaker direction of each loop (the named one on a tie), all scored in one call."""
    rows, cols = np.array(conflicts, dtype=np.int64).reshape(-1, 2).T
    back_rows, back_cols = mirror.row_of_col[cols], mirror.col_of_row[rows]
    scores = pair_scores(np.concatenate((rows, back_rows)), np.concatenate((cols, back_cols)))
    named = scores[: rows.size] <= scores[rows.size :]
    weaker_rows = np.where(named, rows, back_rows).tolist()
    weaker_cols = np.where(named, cols, back_cols).tolist()
    return list(zip(weaker_rows, weaker_cols, strict=True))


def repair_locally(
    mirror: Mirror,
    assignment: np.ndarray,
    pair_scores: PairScores,
    reassign: Reassign,
    priority: np.ndarray,
    coverage: bool,
) -> np.ndarray:
    """Take the weaker direction of every loop out, then seat the rows it freed again in the
    places left, without closing a loop; a few rounds, then whatever loop is left loses a row.

    Everyone else keeps their pair, so this costs one small solve per round, not a whole one; it
    is a good answer, not a proven one (the caller reports how far from the bound it may be).

    Examples
    --------
    >>> import numpy as np
    >>> scores = np.array([[0.0, 0.9, 0.5], [0.8, 0.0, 0.1]])
    >>> def candidates_of(rows):
    ...     r, c = np.nonzero(scores[rows] > 0)
    ...     return rows[r], c, scores[rows[r], c]
    >>> repair_locally(Mirror.of(("a", "b"), ("a", "b", "c")), np.array([1, 0]),
    ...                lambda r, c: scores[r, c], Reassign(candidates_of, np.ones(3, int)),
    ...                np.zeros(2, dtype=bool), coverage=True).tolist()
    [1, 2]
    """
    out = assignment.copy()
    m = reassign.capacity.size
    forbidden: list[int] = []
    freed: list[int] = []
    conflicts = mirror.conflicts(out)
    for _ in range(REPAIR_ROUNDS):
        if not conflicts:
            return out
        for row, col in _weaker_directions(mirror, pair_scores, conflicts):
            forbidden.append(row * m + col)
            freed.append(row)
        rows = _neighbourhood(out, np.unique(np.array(freed, dtype=np.int64)), reassign)
        out[rows] = -1
        r, c, s = reassign.candidates_of(rows)
        left = reassign.capacity - np.bincount(out[out >= 0], minlength=m)
        keep = (
            (left[c] > 0)
            & ~np.isin(r * m + c, np.array(forbidden, dtype=np.int64))
            & ~mirror.closes_loop(out, r, c)
        )
        local = np.searchsorted(rows, r[keep])
        sub = sp.csr_array((s[keep], (local, c[keep])), shape=(rows.size, m))
        out[rows] = solve(sub, np.maximum(left, 0), priority=priority[rows], coverage=coverage)
        conflicts = mirror.conflicts(out)
    for i, _ in conflicts:
        out[i] = -1
    return out


def _neighbourhood(assignment: np.ndarray, freed: np.ndarray, reassign: Reassign) -> np.ndarray:
    """The freed rows and the rows holding their best candidate columns, sorted: seated again
    together, a freed row can take a place another row gives up for one nearly as good."""
    r, c, s = reassign.candidates_of(freed)
    order = np.lexsort((-s, r))
    rank = np.arange(r.size) - np.searchsorted(r[order], r[order])
    wanted = np.zeros(reassign.capacity.size, dtype=bool)
    wanted[c[order][rank < NEIGHBOURS]] = True
    holders = np.flatnonzero((assignment >= 0) & wanted[np.maximum(assignment, 0)])
    return np.union1d(freed, holders)


def _repair_by_solving(
    mirror: Mirror, solve_with: Solver, pair_scores: PairScores, assignment: np.ndarray
) -> np.ndarray:
    """A good answer without loops: forbid the weaker direction of every loop and solve again,
    a few rounds; whatever loop is left loses one direction outright."""
    extra: list[tuple[int, int]] = []
    for _ in range(REPAIR_ROUNDS):
        conflicts = mirror.conflicts(assignment)
        if not conflicts:
            return assignment
        extra.extend(_weaker_directions(mirror, pair_scores, conflicts))
        assignment = solve_with(extra)
    out = assignment.copy()
    for i, _ in mirror.conflicts(out):
        out[i] = -1
    return out


def _remembered(solve_with: Solver) -> Solver:
    """``solve_with`` that solves each set of forbidden pairs once: the repair's last solve is
    one of the branch search's first two."""
    seen: dict[frozenset[tuple[int, int]], np.ndarray] = {}

    def solve_once(extra: list[tuple[int, int]]) -> np.ndarray:
        key = frozenset(extra)
        if key not in seen:
            seen[key] = solve_with(extra)
        return seen[key].copy()

    return solve_once


def solve_without_two_way(
    mirror: Mirror,
    solve_with: Solver,
    scores_of: Callable[[np.ndarray], np.ndarray],
    pair_scores: PairScores,
    priority: np.ndarray,
    coverage: bool,
    reassign: Reassign | None = None,
) -> TwoWay:
    """Solve, then make sure nobody is mentor and mentee of the same person at once.

    ``solve_with(extra)`` is an optimal answer with the pairs ``extra`` forbidden as well. The
    answer without the rule is an upper bound; a repair gives a good answer fast, and a branch
    search seeded with it proves the best one when the conflicts are few. With many conflicts,
    or when the search is cut short, the repaired answer is kept and reported as not finished,
    with the bound, so the caller can say by how much it may be off. With ``reassign`` many
    conflicts are repaired locally (:func:`repair_locally`) instead of by whole solves.

    Examples
    --------
    >>> import numpy as np
    >>> scores = np.array([[0.0, 0.9], [0.8, 0.0]])
    >>> def solve_with(extra):
    ...     s = scores.copy()
    ...     for i, j in extra:
    ...         s[i, j] = 0.0
    ...     return solve(s, coverage=False)
    >>> found = solve_without_two_way(
    ...     Mirror.of(("a", "b"), ("a", "b")), solve_with,
    ...     lambda a: scores[np.flatnonzero(a >= 0), a[a >= 0]],
    ...     lambda r, c: scores[r, c], np.zeros(2, dtype=bool), coverage=False)
    >>> found.assignment.tolist(), found.finished
    ([1, -1], True)
    """
    solve_with = _remembered(solve_with)
    relaxed = solve_with([])
    relaxed_key = objective_key(relaxed, scores_of, priority, coverage)
    relaxed_total = float(scores_of(relaxed).sum())
    relaxed_matched = int((relaxed >= 0).sum())
    conflicts = mirror.conflicts(relaxed)
    if not conflicts:
        return TwoWay(relaxed, True, relaxed_total, relaxed_matched)
    many = len(conflicts) > EXACT_CONFLICTS
    if many and reassign is not None:
        incumbent = repair_locally(mirror, relaxed, pair_scores, reassign, priority, coverage)
    else:
        incumbent = _repair_by_solving(mirror, solve_with, pair_scores, relaxed)
    best = (objective_key(incumbent, scores_of, priority, coverage), incumbent)
    if best[0] >= relaxed_key:
        return TwoWay(incumbent, True, relaxed_total, relaxed_matched)
    if many:
        # A search over that many conflicts cannot finish within its limit: keep the repaired
        # answer, reported as not finished with the bound it is measured against.
        return TwoWay(incumbent, False, relaxed_total, relaxed_matched)
    stack: list[list[tuple[int, int]]] = [[]]
    solves = 0
    while stack and solves < BRANCH_LIMIT:
        extra = stack.pop()
        assignment = solve_with(extra) if extra else relaxed
        solves += bool(extra)
        key = objective_key(assignment, scores_of, priority, coverage)
        # Each node's answer is optimal for its own relaxation: nothing below it beats it.
        if key <= best[0]:
            continue
        found = mirror.conflicts(assignment)
        if not found:
            best = (key, assignment)
            continue
        i, j = found[0]
        stack.append([*extra, mirror.reverse(i, j)])
        stack.append([*extra, (i, j)])
    return TwoWay(best[1], not stack, relaxed_total, relaxed_matched)
