"""Optimal mentee-to-mentor assignment with mentor capacities, plus a baseline and an oracle.

Rows are mentees and columns mentors. A score matrix says how good each pair is; a forbidden pair
is ``NaN`` or ``-inf`` in a dense matrix, or simply absent from a scipy sparse one (a *stored*
``0.0`` is an allowed pair whose score is zero). ``capacity`` gives each mentor's number of places.

:func:`solve` is exact. With ``coverage=True`` it maximises, in this order, the number of priority
rows matched, the number of rows matched, and the total score; with ``coverage=False`` only the
total score. Both are reduced to one assignment problem over capacity "slots" (each mentor column
repeated once per place) in which leaving a row unassigned is always possible, so every instance
is feasible; the lexicographic tiers become bonuses on the weights (see ``_weights``). Answers are
deterministic: the same input always gives the same assignment. Among several optimal assignments
the one returned is the kernel's, not a canonical one.

:func:`solve_certified` reaches the same optimum without ever holding the full score matrix and
proves it with LP dual prices; :func:`greedy` is the baseline coordinators use by hand, and
:func:`min_cost_flow_oracle` an independent method for tests.

>>> import numpy as np
>>> solve(np.array([[0.9, 0.8], [0.7, -np.inf]]))
array([1, 0])
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

__all__ = [
    "Candidates",
    "CertifiedSolution",
    "greedy",
    "min_cost_flow_oracle",
    "solve",
    "solve_certified",
    "total_score",
]

# linear_sum_assignment beats the sparse matcher only when most (row, slot) cells are allowed
# pairs (measured here from 200 x 100 to 2,000 x 1,000), and up to a matrix that fits easily.
_DENSE_FILL = 0.3
_DENSE_CELLS = 25_000_000


# ---------------------------------------------------------------------------------------------
# Validation: turn any accepted input into allowed edges (rows, cols, scores).


def _edges(scores: Any) -> tuple[int, int, np.ndarray, np.ndarray, np.ndarray]:
    """Shape and the allowed pairs of a dense or sparse score matrix, validated."""
    if sp.issparse(scores):
        if scores.ndim != 2:
            raise ValueError(f"expected a 2-D score matrix, got a sparse array of {scores.ndim} D")
        n, m = scores.shape
        if scores.format == "csr" and scores.has_canonical_format:
            # Already sorted and free of duplicates: skip the conversion's sort.
            r = np.repeat(np.arange(n, dtype=np.int64), np.diff(scores.indptr))
            c = np.asarray(scores.indices, dtype=np.int64)
            s = np.asarray(scores.data, dtype=np.float64)
        else:
            coo = sp.coo_array(scores)
            coo.sum_duplicates()
            r = np.asarray(coo.row, dtype=np.int64)
            c = np.asarray(coo.col, dtype=np.int64)
            s = np.asarray(coo.data, dtype=np.float64)
    else:
        arr = np.asarray(scores, dtype=np.float64)
        if arr.ndim != 2:
            raise ValueError(f"expected a 2-D score matrix, got an array of shape {arr.shape}")
        n, m = arr.shape
        r, c = np.nonzero(~np.isnan(arr) & (arr != -np.inf))
        r = r.astype(np.int64)
        c = c.astype(np.int64)
        s = arr[r, c]
    if np.any(s == np.inf):
        raise ValueError("expected finite scores (NaN or -inf for forbidden pairs), got +inf")
    keep = np.isfinite(s)
    return int(n), int(m), r[keep], c[keep], s[keep]


def _capacity(capacity: Any, n_cols: int) -> np.ndarray:
    if capacity is None:
        return np.ones(n_cols, dtype=np.int64)
    cap = np.asarray(capacity)
    if cap.ndim != 1 or cap.shape[0] != n_cols:
        raise ValueError(
            f"expected capacity with one entry per column ({n_cols}), got shape {cap.shape}"
        )
    if cap.dtype == bool or not np.issubdtype(cap.dtype, np.number):
        raise ValueError(f"expected whole-number capacities, got dtype {cap.dtype}")
    capf = cap.astype(np.float64)
    if np.any(np.isnan(capf)):
        raise ValueError("expected whole-number capacities, got NaN")
    if np.any(capf < 0):
        raise ValueError(f"expected capacities >= 0, got {capf.min():g}")
    if np.any(capf != np.round(capf)) or np.any(np.isinf(capf)):
        raise ValueError("expected whole-number capacities, got a fraction or infinity")
    return capf.astype(np.int64)


def _priority(priority: Any, n_rows: int) -> np.ndarray | None:
    if priority is None:
        return None
    pri = np.asarray(priority)
    if pri.ndim != 1 or pri.shape[0] != n_rows:
        raise ValueError(
            f"expected priority with one entry per row ({n_rows}), got shape {pri.shape}"
        )
    if pri.dtype != bool:
        raise ValueError(f"expected a boolean priority array, got dtype {pri.dtype}")
    return pri if pri.any() else None


# ---------------------------------------------------------------------------------------------
# The weights that make the lexicographic objective a single sum.


def _weights(
    n_rows: int,
    r: np.ndarray,
    s: np.ndarray,
    priority: np.ndarray | None,
    coverage: bool,
) -> tuple[np.ndarray, np.ndarray, float]:
    """Positive weights per edge, which edges to keep, and a ceiling above every weight.

    With coverage, scores are rescaled to [0, 1] (shifting by a constant per matched row changes
    nothing once the number of matched rows is fixed, which the bonus guarantees), then every real
    pair gets a bonus B = rows + 1, larger than any possible total score difference. Priority rows
    get a second B, not B squared: swapping one assignment for another is a union of alternating
    paths, each changing the matched status of at most two rows, so one extra priority row is
    never traded against more than one other row; this keeps every weight below 3B and so keeps
    float64 exact enough for 10^6 rows.
    """
    if coverage:
        lo = s.min() if s.size else 0.0
        span = (s.max() - lo) if s.size else 0.0
        w = (s - lo) / span if span > 0 else np.zeros_like(s)
        bonus = float(n_rows + 1)
        w = w + bonus
        if priority is not None:
            w = w + bonus * priority[r]
        return w, np.ones(s.shape, dtype=bool), 3.0 * bonus + 1.0
    # A pair of score <= 0 can never beat leaving the row unassigned, so it is never needed.
    keep = s > 0
    top = s[keep].max() if keep.any() else 1.0
    return s / top, keep, 2.0


# ---------------------------------------------------------------------------------------------
# The kernel: an assignment problem over capacity slots in which a row may stay unassigned.


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``starts[i], starts[i] + 1, ..., starts[i] + lengths[i] - 1`` for every i, concatenated."""
    ends = np.cumsum(lengths)
    total = int(ends[-1]) if ends.size else 0
    return np.arange(total) + np.repeat(np.asarray(starts) - ends + lengths, lengths)


def _assign(
    n_rows: int,
    n_cols: int,
    r: np.ndarray,
    c: np.ndarray,
    w: np.ndarray,
    cap: np.ndarray,
    force: str | None = None,
) -> np.ndarray:
    """Maximum-weight assignment (weights in (0, ceiling)) respecting capacities; -1 = none."""
    out = np.full(n_rows, -1, dtype=np.int64)
    if n_rows == 0 or r.size == 0:
        return out
    # No column needs more slots than it has candidate rows.
    degree = np.bincount(c, minlength=n_cols)
    slots = np.minimum(cap, degree)
    keep = slots[c] > 0
    r, c, w = r[keep], c[keep], w[keep]
    if r.size == 0:
        return out
    start = np.concatenate(([0], np.cumsum(slots)))
    n_slots = int(start[-1])
    slot_col = np.repeat(np.arange(n_cols, dtype=np.int64), slots)
    reps = slots[c]
    edge = np.repeat(np.arange(r.size), reps)
    er = r[edge]
    ec = _ranges(start[c], reps)
    top = float(w.max()) + 1.0
    # Costs stay >= 1 so the sparse matcher never sees a stored zero (it would drop the edge).
    ecost = top - w[edge]
    cells = n_rows * n_slots
    fill = er.size / max(cells, 1)
    dense = fill >= _DENSE_FILL and cells <= _DENSE_CELLS
    if force is not None:
        dense = force == "dense"
    if dense:
        # No private columns needed here: a missing pair costs the same as leaving the row
        # unassigned, and the rectangular solver matches min(rows, slots), so a row "assigned"
        # through a missing pair is simply unassigned and takes a slot nobody else needed.
        cost = np.full((n_rows, n_slots), top)
        cost[er, ec] = ecost
        rows, cols = linear_sum_assignment(cost)
        real = cost[rows, cols] < top
        out[rows[real]] = slot_col[cols[real]]
        return out
    dummy = np.arange(n_rows, dtype=np.int64)
    graph = sp.csr_array(
        (
            np.concatenate((ecost, np.full(n_rows, top))),
            (np.concatenate((er, dummy)), np.concatenate((ec, n_slots + dummy))),
        ),
        shape=(n_rows, n_slots + n_rows),
    )
    rows, cols = min_weight_full_bipartite_matching(graph)
    real = cols < n_slots
    out[rows[real]] = slot_col[cols[real]]
    return out


# Costs times (nodes + 1) must stay below about 2**60 in OR-Tools' cost scaling (measured here:
# 2**60.2 is refused); 2**58 leaves room.
_FLOW_COST_LIMIT = 2**58


def _assign_flow(
    n_rows: int,
    n_cols: int,
    r: np.ndarray,
    c: np.ndarray,
    unit_scores: np.ndarray,
    cap: np.ndarray,
    priority: np.ndarray | None,
    coverage: bool,
) -> np.ndarray | None:
    """The objective of :func:`solve` by OR-Tools' min-cost flow, on scores rounded to integers.

    ``unit_scores`` are the edge scores rescaled to [0, 1]. Coverage is a maximum flow of minimum
    cost (every maximum flow matches as many rows as possible, and among them one matching the
    most priority rows exists, because the sets of rows that can be matched together form a
    matroid); without coverage each row also has a free arc to the sink. Scores are rounded to
    the finest integer grid the cost range allows, so the answer is optimal for the rounded
    scores only: the caller must check it. Returns None when OR-Tools refuses the instance.
    """
    from ortools.graph.python import min_cost_flow

    out = np.full(n_rows, -1, dtype=np.int64)
    if n_rows == 0 or r.size == 0:
        return out
    nodes = n_rows + n_cols + 2
    source, sink = nodes - 2, nodes - 1
    limit = _FLOW_COST_LIMIT // (nodes + 1)
    unit = limit // (n_rows + 2) if priority is not None else limit
    cost = -np.rint(unit_scores * unit).astype(np.int64)
    if priority is not None:
        cost -= (n_rows + 1) * unit * priority[r].astype(np.int64)
    row_ids = np.arange(n_rows, dtype=np.int64)
    col_ids = n_rows + np.arange(n_cols, dtype=np.int64)
    tails = [np.full(n_rows, source), r, col_ids]
    heads = [row_ids, n_rows + c, np.full(n_cols, sink)]
    caps = [np.ones(n_rows, np.int64), np.ones(r.size, np.int64), cap.astype(np.int64)]
    costs = [np.zeros(n_rows, np.int64), cost, np.zeros(n_cols, np.int64)]
    if not coverage:
        tails.append(row_ids)
        heads.append(np.full(n_rows, sink))
        caps.append(np.ones(n_rows, np.int64))
        costs.append(np.zeros(n_rows, np.int64))
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails), np.concatenate(heads), np.concatenate(caps), np.concatenate(costs)
    )
    flow.set_node_supply(source, n_rows)
    flow.set_node_supply(sink, -n_rows)
    status = flow.solve_max_flow_with_min_cost() if coverage else flow.solve()
    if status != flow.OPTIMAL:
        return None
    used = flow.flows(np.arange(n_rows, n_rows + r.size, dtype=np.int64)) > 0
    out[r[used]] = c[used]
    return out


def solve(
    scores: Any,
    capacity: Any = None,
    *,
    priority: Any = None,
    coverage: bool = True,
) -> np.ndarray:
    """Best assignment of rows (mentees) to columns (mentors) with column capacities, exactly.

    Parameters
    ----------
    scores : array_like or scipy sparse matrix/array, shape (n_rows, n_cols)
        Dense: ``NaN`` or ``-inf`` marks a forbidden pair. Sparse: a missing entry is forbidden
        and a stored ``0.0`` is an allowed pair of score zero.
    capacity : array_like of int, shape (n_cols,), optional
        Places per column (default 1 each); 0 means the column takes nobody.
    priority : array_like of bool, shape (n_rows,), optional
        Rows to match before all others (only with ``coverage=True``).
    coverage : bool
        True: maximise the number of matched priority rows, then of matched rows, then the total
        score. False: maximise the total score only (pairs of score <= 0 are then never used).

    Returns
    -------
    numpy.ndarray of int64, shape (n_rows,)
        The column assigned to each row, or -1 for an unassigned row.

    Raises
    ------
    ValueError
        On a score matrix that is not 2-D or holds +inf, or on a capacity or priority array of the
        wrong length, with NaN, negative or fractional entries.

    Examples
    --------
    >>> import numpy as np
    >>> scores = np.array([[0.9, 0.5], [0.8, np.nan], [0.7, 0.1]])
    >>> solve(scores, [2, 1]).tolist()
    [1, 0, 0]
    >>> solve(scores, [1, 1], coverage=False).tolist()
    [1, 0, -1]
    >>> solve(scores, [1, 1], priority=np.array([False, False, True])).tolist()
    [1, -1, 0]
    """
    n, m, r, c, s = _edges(scores)
    cap = _capacity(capacity, m)
    pri = _priority(priority, n)
    w, keep, _ = _weights(n, r, s, pri, coverage)
    return _assign(n, m, r[keep], c[keep], w[keep], cap)


def total_score(scores: Any, assignment: Any) -> float:
    """Sum of the scores of the assigned pairs.

    Parameters
    ----------
    scores : array_like or scipy sparse matrix/array, shape (n_rows, n_cols)
        The scores the assignment was made on.
    assignment : array_like of int, shape (n_rows,)
        Column per row, -1 for unassigned.

    Returns
    -------
    float
        The total; a forbidden pair used counts as ``-inf`` (dense) or 0 (missing sparse entry).

    Examples
    --------
    >>> import numpy as np
    >>> total_score(np.array([[0.5, 0.25], [0.75, 0.0]]), np.array([1, 0]))
    1.0
    """
    a = np.asarray(assignment, dtype=np.int64)
    rows = np.flatnonzero(a >= 0)
    if sp.issparse(scores):
        csr = sp.csr_array(scores)
        return float(np.asarray(csr[rows, a[rows]]).sum())
    arr = np.asarray(scores, dtype=np.float64)
    vals = arr[rows, a[rows]]
    return float(np.where(np.isnan(vals), -np.inf, vals).sum())


def greedy(scores: Any, capacity: Any = None) -> np.ndarray:
    """Best pairs first: the way coordinators often match by hand, as a baseline.

    Pairs are taken in order of decreasing score (ties: lowest column, then lowest row) while the
    row is free and the column has room. Not optimal in general.

    Parameters
    ----------
    scores : array_like or scipy sparse matrix/array, shape (n_rows, n_cols)
        As for :func:`solve`.
    capacity : array_like of int, shape (n_cols,), optional
        Places per column (default 1 each).

    Returns
    -------
    numpy.ndarray of int64, shape (n_rows,)
        Column per row, -1 for unassigned.

    Examples
    --------
    >>> import numpy as np
    >>> greedy(np.array([[0.9, 0.8], [0.85, 0.1]]))
    array([0, 1])
    """
    n, m, r, c, s = _edges(scores)
    cap = _capacity(capacity, m).copy()
    out = np.full(n, -1, dtype=np.int64)
    order = np.lexsort((r, c, -s))
    left = int(min(n, cap.sum()))
    for i, j in zip(r[order].tolist(), c[order].tolist(), strict=True):
        if left == 0:
            break
        if out[i] < 0 and cap[j] > 0:
            out[i] = j
            cap[j] -= 1
            left -= 1
    return out


def min_cost_flow_oracle(
    scores: Any,
    capacity: Any = None,
    *,
    priority: Any = None,
    coverage: bool = True,
    scale: int = 10**6,
) -> np.ndarray:
    """The same objective as :func:`solve`, by networkx min-cost flow on integer weights.

    An independent method for tests: slow, and exact only up to scores rounded to ``1/scale``.
    The lexicographic tiers use exact integer bonuses (Python integers do not overflow).

    Parameters
    ----------
    scores, capacity, priority, coverage
        As for :func:`solve`.
    scale : int
        Scores are multiplied by this and rounded to integers, as networkx requires.

    Returns
    -------
    numpy.ndarray of int64, shape (n_rows,)
        Column per row, -1 for unassigned.

    Examples
    --------
    >>> import numpy as np
    >>> min_cost_flow_oracle(np.array([[0.9, 0.8], [0.7, -np.inf]]))
    array([1, 0])
    """
    import networkx as nx

    n, m, r, c, s = _edges(scores)
    cap = _capacity(capacity, m)
    pri = _priority(priority, n)
    out = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return out
    iw = np.round(s * scale).astype(np.int64)
    if coverage:
        iw = iw - (iw.min() if iw.size else 0)
        bonus = int(n + 1) * (int(iw.max()) + 1 if iw.size else 1)
        weights = [int(x) + bonus for x in iw]
        if pri is not None:
            weights = [wt + bonus * (n + 1) * int(pri[i]) for wt, i in zip(weights, r, strict=True)]
    else:
        weights = [int(x) for x in iw]
    g = nx.DiGraph()
    g.add_node("s", demand=-n)
    g.add_node("t", demand=n)
    for i in range(n):
        g.add_edge("s", ("r", i), capacity=1, weight=0)
        g.add_edge(("r", i), "t", capacity=1, weight=0)
    for j in range(m):
        if cap[j] > 0:
            g.add_edge(("c", j), "t", capacity=int(cap[j]), weight=0)
    for i, j, wt in zip(r.tolist(), c.tolist(), weights, strict=True):
        if cap[j] > 0 and wt > 0:
            g.add_edge(("r", i), ("c", j), capacity=1, weight=-wt)
    flow = nx.min_cost_flow(g)
    for i in range(n):
        for node, f in flow[("r", i)].items():
            if f > 0 and node != "t":
                out[i] = node[1]
    return out


# ---------------------------------------------------------------------------------------------
# The large-cohort path: candidates, exact solve on them, and an LP-dual optimality certificate.


@dataclass(frozen=True)
class CertifiedSolution:
    """The answer of :func:`solve_certified` and the evidence that it is optimal.

    ``assignment`` is a column per row (-1 unassigned). ``certified`` is True when no pair of the
    full problem, pruned or not, could improve the answer (checked against LP dual prices).
    ``total`` is the plain sum of the assigned scores. ``bound`` is the dual objective expressed in
    score units: no assignment that matches as many rows (and priority rows) as this one, or with
    ``coverage=False`` no assignment at all, has a total score above it; when certified it equals
    ``total`` up to rounding. ``n_candidates`` counts the pairs the last solve used; ``rounds`` the
    solves made; ``seconds`` the time spent generating candidates, solving and certifying.
    """

    assignment: np.ndarray
    certified: bool
    bound: float
    total: float
    n_candidates: int
    rounds: int
    seconds: dict[str, float] = field(default_factory=dict)
    candidates: Candidates | None = None


@dataclass(frozen=True, eq=False)
class Candidates:
    """The candidate graph a :func:`solve_certified` run ended with, to start another run.

    Pairs (``rows``, ``cols``, ``scores``, sorted by row then column) and, per row, an upper
    bound on the score of every pair not among them; ``lo`` and ``hi`` bound every allowed
    score. Forbidding pairs only lowers scores, so all of it stays valid once they are removed.
    """

    rows: np.ndarray
    cols: np.ndarray
    scores: np.ndarray
    bound: np.ndarray
    lo: float
    hi: float

    def without(self, pairs: Any) -> Candidates:
        """These candidates less the given (row, column) pairs.

        Examples
        --------
        >>> import numpy as np
        >>> found = Candidates(np.array([0, 0]), np.array([0, 1]), np.array([0.5, 0.25]),
        ...                    np.array([0.1]), 0.0, 1.0)
        >>> found.without([(0, 1)]).cols.tolist()
        [0]
        """
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        n_cols = int(max(self.cols.max(initial=0), pairs[:, 1].max(initial=0))) + 1
        gone = np.isin(
            self.rows.astype(np.int64) * n_cols + self.cols, pairs[:, 0] * n_cols + pairs[:, 1]
        )
        keep = ~gone
        return Candidates(
            self.rows[keep], self.cols[keep], self.scores[keep], self.bound, self.lo, self.hi
        )


# Candidate rows kept per column, so a mentor nobody ranks in their top k can still be used.
_PER_COLUMN = 4
# Violating pairs added per row and round: members with identical answers tie, and taking
# only a few of the tied pairs per round took twelve rounds on a form export full of them.
_ADD_PER_ROW = 32
# scipy's exact matcher is as fast as the flow kernel or faster on small graphs in a loose
# market (0.1 s against 0.8 s on a 6,000 x 6,000 form export full of ties, places twice the
# mentees); when places barely exceed rows it is slower by up to a hundredfold at any size
# (50 s against 1 s on 350,000 pairs at 50,000 x 20,000), so the flow kernel takes the rest.
_FLOW_MIN_PAIRS = 1_000_000
_LOOSE_MARKET = 1.5
_MAX_ROUNDS = 50
# After the first solve, the graph solved again holds only candidates within this much (in
# units of the score range) of their LP prices: a fraction of the graph, and the others are
# checked against the new prices and brought back if they violate them.
_ACTIVE_SLACK = 0.05
# A row's threshold is estimated on about this many times m / k evenly spaced columns, so that
# the sample ranks about eight columns above it.
_SAMPLE_FACTOR = 6.4
# Each block is passed over several times; blocks of about this many cells stay in the cache
# (measured here: 2 million cells beat 8 million by about 10%).
_BLOCK_CELLS = 2_000_000
# Prices from an optimal answer settled within a few hundred passes in every measurement here,
# even in tight markets; a positive cycle (an answer that is not optimal) never settles.
_MAX_RELAX_PASSES = 10_000


@dataclass(frozen=True, eq=False)
class _Block:
    """One validated block of scores: ``-inf`` marks every forbidden pair."""

    scores: np.ndarray
    lo: float
    hi: float
    all_allowed: bool


def _block(
    score_rows: Callable[[np.ndarray], Any],
    rows: np.ndarray,
    n_cols: int,
    usable: np.ndarray,
    positive_only: bool,
) -> _Block:
    """The block of ``rows``, validated, with forbidden, unusable (and non-positive) pairs -inf.

    A float32 block stays float32: choosing candidates only compares scores, which float32 does
    exactly, at half the memory traffic. A block with nothing to mark is neither copied nor
    written to, which saves two passes over it; ``lo`` and ``hi`` are the smallest and largest
    allowed scores.
    """
    raw = np.asarray(score_rows(rows))
    if raw.shape != (rows.size, n_cols):
        raise ValueError(
            f"expected score_rows to return a {(rows.size, n_cols)} block, got {raw.shape}"
        )
    block = raw if raw.dtype in (np.float32, np.float64) else raw.astype(np.float64)
    if block.size == 0:
        return _Block(block, np.inf, -np.inf, True)
    lo, hi = float(block.min()), float(block.max())
    # NaN makes both NaN and an infinity makes one of them infinite, so this is the whole check.
    if np.isfinite(lo) and np.isfinite(hi) and usable.all() and not (positive_only and lo <= 0):
        return _Block(block, lo, hi, True)
    if block is raw:
        block = block.copy()
    if np.any(block == np.inf):
        raise ValueError("expected finite scores from score_rows (-inf for forbidden), got +inf")
    block[np.isnan(block)] = -np.inf
    block[:, ~usable] = -np.inf
    finite = block > -np.inf
    lo = float(np.min(block, where=finite, initial=np.inf))
    hi = float(np.max(block, initial=-np.inf))
    if positive_only:
        block[~(block > 0)] = -np.inf
        finite = block > -np.inf
    return _Block(block, lo, hi, bool(finite.all()))


def _top_candidates(
    block: np.ndarray, all_allowed: bool, k: int, sample: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """About ``k`` best allowed columns per row of a block, and a bound on the others.

    Returns local row and column indices of the kept pairs, and per row an upper bound on every
    allowed score not kept (-inf when every allowed column is kept). With ``sample``, a row keeps
    the columns at or above a threshold estimated on the sampled columns (one comparison pass
    instead of a selection over every column); rows where the estimate keeps far too many or too
    few columns fall back to an exact selection.
    """
    n_b, m = block.shape
    allowed = None if all_allowed else block > -np.inf
    n_allowed = np.full(n_b, m) if allowed is None else np.count_nonzero(allowed, axis=1)
    bound = np.full(n_b, -np.inf)
    if k >= m:
        flat = np.arange(block.size) if allowed is None else np.flatnonzero(allowed)
        local, cols = np.divmod(flat, m)
        return local, cols, bound
    exact = np.ones(n_b, dtype=bool)
    local = cols = np.zeros(0, dtype=np.int64)
    if sample is not None:
        q = sample.size
        rank = min(q, max(1, round(k * q / m)))
        threshold = np.partition(block[:, sample], q - rank, axis=1)[:, q - rank]
        over = block >= threshold[:, None]
        if allowed is not None:
            over &= allowed
        # One flat search is several times faster than np.nonzero on two dimensions.
        local, cols = np.divmod(np.flatnonzero(over), m)
        count = np.bincount(local, minlength=n_b)
        exact = count < np.minimum(k, n_allowed) // 2
        lossy = ~exact & (count < n_allowed)
        bound[lossy] = threshold[lossy]
        keep = ~exact[local]
        local, cols = local[keep], cols[keep]
        # Rows above threshold in more than k columns keep their k best of those: every extra
        # candidate slows each solve, and the best one left out becomes the row's bound.
        crowded = count > k
        if crowded[local].any():
            vals = block[local, cols]
            order = np.lexsort((-vals, local))
            local, cols, vals = local[order], cols[order], vals[order]
            first = np.searchsorted(local, np.arange(n_b))
            rank = np.arange(local.size) - first[local]
            dropped = crowded[local] & (rank == k)
            bound[local[dropped]] = vals[dropped]
            keep = rank < k
            local, cols = local[keep], cols[keep]
    redo = np.flatnonzero(exact)
    if redo.size:
        sub = block[redo]
        top = np.argpartition(sub, m - k, axis=1)[:, m - k :]
        top_s = np.take_along_axis(sub, top, axis=1)
        pruned = n_allowed[redo] > k
        bound[redo[pruned]] = top_s[pruned].min(axis=1)
        keep = top_s > -np.inf
        local = np.concatenate((local, np.broadcast_to(redo[:, None], top.shape)[keep]))
        cols = np.concatenate((cols, top[keep]))
    return local, cols, bound


def _in_blocks(
    work: Callable[[np.ndarray], Any], rows: np.ndarray, step: int, workers: int
) -> Iterator[Any]:
    """``work`` on consecutive blocks of ``rows``, results in order, on ``workers`` threads.

    numpy and scipy release the interpreter lock in their inner loops, so two threads nearly
    halve the time of a score pass on two cores. The calling thread takes every ``workers``-th
    block itself, so a callback that reports progress to a user interface still runs there
    regularly; at most ``workers`` blocks are in flight, so memory stays that of a few blocks.
    """
    blocks = [rows[first : first + step] for first in range(0, rows.size, step)]
    if workers <= 1:
        yield from map(work, blocks)
        return
    with ThreadPoolExecutor(workers - 1) as pool:
        for first in range(0, len(blocks), workers):
            group = blocks[first : first + workers]
            others = [pool.submit(work, block) for block in group[:-1]]
            mine = work(group[-1])
            for future in others:
                yield future.result()
            yield mine


def _dual_prices(
    n_rows: int,
    n_cols: int,
    r: np.ndarray,
    c: np.ndarray,
    w: np.ndarray,
    assignment: np.ndarray,
    w_assigned: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Row and column prices (u, v) feasible for every candidate pair, from an optimal answer.

    Complementary slackness fixes u from v (u_i = w(i, a_i) - v(a_i), 0 when unassigned) and asks
    v = 0 wherever a column has room; the smallest v meeting ``u_i + v_j >= w_ij`` on every
    candidate is a longest-path problem over columns, solved by Bellman-Ford passes. It converges
    because the answer is optimal: a positive cycle would be an improving exchange.
    """
    matched = assignment >= 0
    v = np.zeros(n_cols)
    free = ~matched[r]
    if free.any():
        np.maximum.at(v, c[free], w[free])
    m_edges = ~free & (c != assignment[r])
    src = assignment[r[m_edges]]
    gain = w[m_edges] - w_assigned[r[m_edges]]
    dst = c[m_edges]
    order = np.argsort(src, kind="stable")
    src, gain, dst = src[order], gain[order], dst[order]
    starts = np.searchsorted(src, np.arange(n_cols + 1))
    # Only columns raised in the last pass can raise others: in tight markets prices take
    # hundreds of passes to settle, but each pass touches fewer and fewer edges.
    frontier = np.unique(src)
    converged = False
    for _ in range(_MAX_RELAX_PASSES):
        if frontier.size == 0:
            converged = True
            break
        edge = _ranges(starts[frontier], starts[frontier + 1] - starts[frontier])
        best = v.copy()
        np.maximum.at(best, dst[edge], v[src[edge]] + gain[edge])
        raised = best > v + 1e-13 * np.maximum(1.0, np.abs(best))
        frontier = np.flatnonzero(raised)
        v[frontier] = best[frontier]
    u = np.zeros(n_rows)
    rows = np.flatnonzero(matched)
    u[rows] = np.maximum(0.0, w_assigned[rows] - v[assignment[rows]])
    return u, v, converged


def solve_certified(
    score_rows: Callable[[np.ndarray], Any],
    n_rows: int,
    n_cols: int,
    capacity: Any,
    *,
    priority: Any = None,
    coverage: bool = True,
    k: int | None = None,
    chunk_rows: int | None = None,
    workers: int = 1,
    start: Candidates | None = None,
) -> CertifiedSolution:
    """The same optimum as :func:`solve`, for cohorts too large for a full score matrix.

    Scores are read in row blocks and never held whole. Each row keeps its ``k`` best columns
    (and each column its few best rows) as candidates; the candidate graph is solved exactly; LP
    dual prices are derived from that answer; then every pruned pair is checked against the
    prices, and pairs that could improve the answer are added and the graph solved again, until
    none is left. The answer is then optimal for the full problem, and ``certified`` says so.
    Rows whose ``k``-th best score is already below their price cannot gain from a pruned pair
    and are not re-read.

    The candidate graph is solved by OR-Tools' min-cost flow, which stays fast when places barely
    exceed rows (where scipy's matcher slows down a hundredfold), on scores rounded to a grid of
    about 1e-12 of their range; the prices then check that answer against the exact scores, and
    an answer they do not confirm is solved again by the exact scipy kernel.

    Parameters
    ----------
    score_rows : callable
        ``score_rows(rows)`` gets an int array of row indices and returns the dense score block
        ``len(rows) x n_cols`` (``-inf`` or ``NaN`` = forbidden; float32 is fine). It must return
        the same values every time it is asked, and must be safe to call from several threads
        at once when ``workers > 1``.
    n_rows, n_cols : int
        Shape of the full problem.
    capacity : array_like of int, shape (n_cols,)
        Places per column.
    priority : array_like of bool, shape (n_rows,), optional
        As for :func:`solve`.
    coverage : bool
        As for :func:`solve`.
    k : int, optional
        Candidates per row (default 50, 100 when places barely exceed rows).
    chunk_rows : int, optional
        Rows per block (default: about 2 million cells per block).
    workers : int
        Threads reading score blocks at once (default 1).
    start : Candidates, optional
        The ``candidates`` of an earlier solve of the same scores, with any pair forbidden since
        removed (:meth:`Candidates.without`): the first pass over every row is skipped, and only
        rows that could gain are read again.

    Returns
    -------
    CertifiedSolution

    Raises
    ------
    ValueError
        On invalid sizes, capacities, priority, ``k``, ``chunk_rows`` or ``workers``, or a block
        of the wrong shape or holding +inf.

    Examples
    --------
    >>> import numpy as np
    >>> scores = np.array([[0.9, 0.8, 0.1], [0.9, 0.2, 0.1], [0.3, 0.2, 0.1]])
    >>> sol = solve_certified(lambda rows: scores[rows], 3, 3, [1, 1, 1], k=1)
    >>> sol.assignment.tolist(), sol.certified, round(sol.total, 6), round(sol.bound, 6)
    ([1, 0, 2], True, 1.8, 1.8)
    """
    times = {"candidates": 0.0, "solve": 0.0, "certify": 0.0}
    for name, value, least in (
        ("n_rows", n_rows, 0),
        ("n_cols", n_cols, 0),
        ("workers", workers, 1),
    ):
        if not isinstance(value, int | np.integer) or value < least:
            raise ValueError(f"expected {name} to be a whole number >= {least}, got {value!r}")
    n, m = int(n_rows), int(n_cols)
    cap = _capacity(capacity, m)
    pri = _priority(priority, n) if coverage else None
    places = int(np.minimum(cap, n).sum())
    if k is None:
        k = 100 if places < 1.2 * n else 50
    if not isinstance(k, int | np.integer) or k < 1:
        raise ValueError(f"expected k to be a whole number >= 1, got {k!r}")
    if chunk_rows is None:
        chunk_rows = max(1, _BLOCK_CELLS // max(m, 1))
    if not isinstance(chunk_rows, int | np.integer) or chunk_rows < 1:
        raise ValueError(f"expected chunk_rows to be a whole number >= 1, got {chunk_rows!r}")
    empty = np.full(n, -1, dtype=np.int64)
    if n == 0 or m == 0 or places == 0:
        return CertifiedSolution(empty, True, 0.0, 0.0, 0, 0, times)
    kk = min(int(k), m)
    step = int(chunk_rows)
    usable = cap > 0

    # 1. Candidates: each row's kk best allowed columns, each column's best rows, in row blocks;
    # or those of an earlier solve of the same scores, less the pairs forbidden since.
    started = time.perf_counter()
    if start is not None:
        if start.bound.shape != (n,) or start.rows.size and int(start.cols.max()) >= m:
            raise ValueError(f"expected start candidates of a {n} x {m} problem")
        r, c, s = start.rows, start.cols, start.scores
        kth, lo, hi = start.bound, start.lo, start.hi
        key = r.astype(np.int64) * m + c
    else:
        parts_r, parts_c, parts_s = [], [], []
        kth = np.full(n, -np.inf)
        lo, hi = np.inf, -np.inf
        per_col = min(_PER_COLUMN, n)
        col_s = np.full((per_col, m), -np.inf)
        col_r = np.zeros((per_col, m), dtype=np.int64)
        # The worst score among each column's kept rows; read by the workers without a lock, which
        # is safe because it only rises and a stale value only costs a little extra work.
        col_floor = np.full(m, -np.inf)
        sample = None
        if kk > 2 * _SAMPLE_FACTOR:
            q = int(np.ceil(_SAMPLE_FACTOR * m / kk))
            sample = np.unique(np.linspace(0, m - 1, q).round().astype(np.int64))

        def candidates_of(rows: np.ndarray) -> tuple:
            blk = _block(score_rows, rows, m, usable, positive_only=not coverage)
            local, cols, bound = _top_candidates(blk.scores, blk.all_allowed, kk, sample)
            best_s = blk.scores.max(axis=0)
            better = np.flatnonzero(best_s > col_floor)
            if better.size > m // 4:
                best_r = blk.scores.argmax(axis=0)[better]
            else:
                best_r = np.argmax(blk.scores[:, better], axis=0)
            return (
                rows,
                (rows[local].astype(np.int32), cols.astype(np.int32)),
                blk.scores[local, cols].astype(np.float64),
                bound,
                (blk.lo, blk.hi),
                (better, best_s[better].astype(np.float64), rows[best_r]),
            )

        all_rows = np.arange(n, dtype=np.int64)
        for rows, (cand_r, cand_c), cand_s, bound, span_b, column in _in_blocks(
            candidates_of, all_rows, step, int(workers)
        ):
            kth[rows] = bound
            parts_r.append(cand_r)
            parts_c.append(cand_c)
            parts_s.append(cand_s)
            lo, hi = min(lo, span_b[0]), max(hi, span_b[1])
            better, better_s, better_r = column
            if better.size:
                worst = np.argmin(col_s[:, better], axis=0)
                gain = better_s > col_s[worst, better]
                col_s[worst[gain], better[gain]] = better_s[gain]
                col_r[worst[gain], better[gain]] = better_r[gain]
                col_floor[better] = col_s[:, better].min(axis=0)
        has = col_s > -np.inf
        parts_r.append(col_r[has].astype(np.int32))
        parts_c.append(np.broadcast_to(np.arange(m), col_s.shape)[has].astype(np.int32))
        parts_s.append(col_s[has])
        r = np.concatenate(parts_r)
        c = np.concatenate(parts_c)
        s = np.concatenate(parts_s)
        del parts_r, parts_c, parts_s
        key = r.astype(np.int64) * m + c
        order = np.argsort(key, kind="stable")
        key = key[order]
        first_seen = np.ones(key.size, dtype=bool)
        first_seen[1:] = key[1:] != key[:-1]
        order = order[first_seen]
        key = key[first_seen]
        r, c, s = r[order], c[order], s[order]
        del order, first_seen
    times["candidates"] = time.perf_counter() - started
    if r.size == 0:
        return CertifiedSolution(empty, True, 0.0, 0.0, 0, 0, times)

    # Weights as in solve(); kept in float64 so that the certificate is exact to rounding.
    if coverage:
        span = hi - lo if hi > lo else 1.0
        bonus = float(n + 1)
        row_offset = bonus * (1.0 + (pri if pri is not None else np.zeros(n, dtype=bool)))
        scale, base = 1.0 / span, -lo / span
    else:
        span = hi if hi > 0 else 1.0
        row_offset = np.zeros(n)
        scale, base = 1.0 / span, 0.0

    def weight(rows: np.ndarray, scores: np.ndarray) -> np.ndarray:
        return scores * scale + base + row_offset[rows]

    w_top = float(weight(np.array([0]), np.array([hi]))[0] + row_offset.max() - row_offset[0])
    tol = 1e4 * np.finfo(np.float64).eps * max(1.0, abs(w_top))
    kth_w = np.where(np.isfinite(kth), kth * scale + base + row_offset, -np.inf)
    size = np.minimum(cap, n)

    def prices(
        assignment: np.ndarray, w: np.ndarray, active: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool, float]:
        w_assigned = np.zeros(n)
        matched = np.flatnonzero(assignment >= 0)
        pos = np.searchsorted(key, matched.astype(np.int64) * m + assignment[matched])
        w_assigned[matched] = w[pos]
        u, v, converged = _dual_prices(
            n, m, r[active], c[active], w[active], assignment, w_assigned
        )
        # Complementary slackness: zero when the answer is optimal on the candidate graph.
        gap = float(
            np.sum((size - np.bincount(assignment[matched], minlength=m)) * v)
            + np.sum(u[matched] - (w_assigned[matched] - v[assignment[matched]]))
        )
        return u, v, matched, converged, gap

    def violations_of(
        rows: np.ndarray, u: np.ndarray, v: np.ndarray, key: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``rows``, their pruned pairs that violate the prices, and per row max(weight - v)
        over its pruned pairs, which bounds what the row can gain under later prices."""
        # slack = weight - u - v > tol, rearranged so that the block needs two passes, not six.
        blk = _block(score_rows, rows, m, usable, positive_only=not coverage)
        over = np.subtract(blk.scores, np.where(usable, v, np.inf) / scale, dtype=np.float64)
        over -= ((u[rows] + tol - base - row_offset[rows]) / scale)[:, None]
        first = np.searchsorted(key, rows * m)
        lengths = np.searchsorted(key, (rows + 1) * m) - first
        pos = _ranges(first, lengths)
        local = np.repeat(np.arange(rows.size), lengths)
        over[local, key[pos] - rows[local] * m] = -np.inf
        best = over.max(axis=1)
        reach = np.where(best > -np.inf, best * scale + u[rows] + tol, -np.inf)
        bad = np.flatnonzero(best > 0)
        if bad.size == 0:
            empty_pairs = np.zeros(0, dtype=np.int64)
            return rows, empty_pairs, empty_pairs, np.zeros(0), reach
        sub = over[bad]
        worst = min(_ADD_PER_ROW, m)
        if worst < m:
            idx = np.argpartition(sub, m - worst, axis=1)[:, m - worst :]
        else:
            idx = np.broadcast_to(np.arange(m), sub.shape)
        sel = np.take_along_axis(sub, idx, axis=1) > 0
        hit = np.broadcast_to(bad[:, None], idx.shape)[sel]
        return rows, rows[hit], idx[sel], blk.scores[hit, idx[sel]].astype(np.float64), reach

    assignment = empty
    certified = False
    rounds = 0
    u = np.zeros(n)
    v = np.zeros(m)
    matched = np.zeros(0, dtype=np.int64)
    active = np.ones(r.size, dtype=bool)
    # reach[i] bounds max(weight - v) over row i's pruned pairs at the prices of the scan that
    # set it (scan_prices[scanned[i]]; before any scan, the k-th best weight at prices 0). As
    # prices move, it moves by at most the largest fall of a price since, so rows far from
    # violating are not read again.
    reach = kth_w.copy()
    scanned = np.zeros(n, dtype=np.int64)
    scan_prices = [np.zeros(m)]
    while rounds < _MAX_ROUNDS:
        # 2. Exact solve on the active part of the candidate graph (all of it at first): the
        # flow kernel, checked by the prices below.
        started = time.perf_counter()
        w = weight(r, s)
        ar, ac = r[active].astype(np.int64), c[active].astype(np.int64)
        assignment = None
        if ar.size >= _FLOW_MIN_PAIRS or places < _LOOSE_MARKET * n:
            assignment = _assign_flow(n, m, ar, ac, s[active] * scale + base, cap, pri, coverage)
        by_flow = assignment is not None
        if assignment is None:
            assignment = _assign(n, m, ar, ac, w[active], cap)
        rounds += 1
        times["solve"] += time.perf_counter() - started

        # 3. Prices from the answer, then every pair that could still improve it.
        started = time.perf_counter()
        u, v, matched, converged, gap = prices(assignment, w, active)
        if by_flow and not (converged and gap <= tol * max(1, n)):
            times["certify"] += time.perf_counter() - started
            started = time.perf_counter()
            assignment = _assign(n, m, ar, ac, w[active], cap)
            times["solve"] += time.perf_counter() - started
            started = time.perf_counter()
            u, v, matched, converged, gap = prices(assignment, w, active)
        del ar, ac
        slack = w - u[r] - v[c]
        if not active.all():
            # Inactive candidates are checked against the prices without reading any score.
            wake = ~active & (slack > tol)
            if wake.any():
                active |= wake
                times["certify"] += time.perf_counter() - started
                continue
        fall = np.array([np.max(old - v, where=usable, initial=0.0) for old in scan_prices])
        scan = np.flatnonzero(reach + fall[scanned] > u + tol)
        add_r, add_c, add_s = [], [], []
        look = partial(violations_of, u=u, v=v, key=key)
        for rows, found_r, found_c, found_s, row_reach in _in_blocks(
            look, scan, step, int(workers)
        ):
            reach[rows] = row_reach
            scanned[rows] = len(scan_prices)
            add_r.append(found_r)
            add_c.append(found_c)
            add_s.append(found_s)
        scan_prices.append(v.copy())
        times["certify"] += time.perf_counter() - started
        new_key = (
            np.concatenate(add_r).astype(np.int64) * m + np.concatenate(add_c)
            if add_r
            else np.zeros(0, dtype=np.int64)
        )
        add_s = add_s or [np.zeros(0)]
        pos = np.minimum(np.searchsorted(key, new_key), key.size - 1)
        fresh = key[pos] != new_key
        if not fresh.any():
            certified = converged and gap <= tol * max(1, n)
            break
        # Each later solve needs only the candidates near their prices (matched pairs have
        # slack 0) and the new pairs; any other that comes to violate is woken up above.
        r = np.concatenate((r, (new_key[fresh] // m).astype(np.int32)))
        c = np.concatenate((c, (new_key[fresh] % m).astype(np.int32)))
        s = np.concatenate((s, np.concatenate(add_s)[fresh]))
        active = np.concatenate((slack > -_ACTIVE_SLACK, np.ones(int(fresh.sum()), dtype=bool)))
        order = np.argsort(r.astype(np.int64) * m + c, kind="stable")
        r, c, s, active = r[order], c[order], s[order], active[order]
        key = r.astype(np.int64) * m + c
        # Added pairs may be better than the k-th best: the row's pruned pairs still are not.

    pos = np.searchsorted(key, matched.astype(np.int64) * m + assignment[matched])
    total = float(s[pos].sum())
    dual = float(u.sum() + np.sum(size * np.where(usable, v, 0.0)))
    if coverage:
        n_pri = int(pri[matched].sum()) if pri is not None else 0
        bound = span * (dual - bonus * (matched.size + n_pri)) + lo * matched.size
    else:
        bound = span * dual
    return CertifiedSolution(
        assignment=assignment,
        certified=bool(certified),
        bound=float(bound),
        total=total,
        n_candidates=int(r.size),
        rounds=rounds,
        seconds=times,
        candidates=Candidates(r, c, s, kth, lo, hi),
    )
