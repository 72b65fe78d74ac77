"""Large cohorts without the full score matrix: candidates, an exact solve, and a certificate.

:func:`solve_certified` asks a callback for blocks of scores, keeps each row's best candidates,
solves that graph exactly (OR-Tools' min-cost flow or scipy's matcher), then proves the answer
optimal for the *whole* problem with LP dual prices, adding any pruned pair that could improve it.

>>> import numpy as np
>>> scores = np.array([[0.9, 0.8], [0.7, 0.1]])
>>> solve_certified(lambda rows: scores[rows], 2, 2, np.array([1, 1])).assignment.tolist()
[1, 0]
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mentoring.engine.assign import _assign, _padded, _ranges
from mentoring.engine.blocks import (
    _BLOCK_CELLS,
    _TIGHT_MARKET,
    FirstPass,
    _block,
    _first_pass,
    _in_blocks,
    _Problem,
    _problem,
)
from mentoring.engine.flow import _MAX_RELAX_PASSES, _assign_flow, _dual_prices

__all__ = ["Candidates", "CertifiedSolution", "solve_certified"]


@dataclass(frozen=True)
class CertifiedSolution:
    """The answer of :func:`solve_certified` and the evidence that it is optimal.

    ``assignment`` is a column per row (-1 unassigned). ``certified`` is True when no pair of the
    full problem, pruned or not, could improve the answer (checked against LP dual prices).
    ``total`` is the plain sum of the assigned scores. ``bound`` is the dual objective expressed in
    score units: no assignment that matches as many rows (and priority rows) as this one, or with
    ``coverage=False`` no assignment at all, has a total score above it; when certified it equals
    ``total`` up to rounding. ``n_candidates`` counts the candidate pairs at the end; ``rounds`` the
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
class Candidates(FirstPass):
    """The candidate graph a :func:`solve_certified` run ended with, to start another run.

    Pairs (``rows``, ``cols``, ``scores``, sorted by row then column) and, per row, an upper
    bound on the score of every pair not among them; ``lo`` and ``hi`` bound every allowed
    score. Forbidding pairs only lowers scores, so all of it stays valid once they are removed.
    ``reach`` is what the run's certificate learned of the pairs not among them (see
    ``_Reach``): a run started from these candidates reads again only the rows it cannot rule
    out at its own prices, not every row whose k-th best score is above its price.
    """

    reach: _Reach | None = None

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
            self.rows[keep],
            self.cols[keep],
            self.scores[keep],
            self.bound,
            self.lo,
            self.hi,
            self.reach,
        )


# Violating pairs added per row and round: members with identical answers tie, and taking
# only a few of the tied pairs per round took twelve rounds on a form export full of them.
_ADD_PER_ROW = 32


# scipy's exact matcher is as fast as the flow kernel or faster on small graphs outside tight
# markets (0.1 s against 0.8 s on a 6,000 x 6,000 form export full of ties, places twice the
# mentees; 0.24-0.43 s against 0.46-0.9 s at 10,000 x 5,000 with 1.26 places per mentee); below
# 1.2 places per row it slows sharply (0.75 s against 0.56 s at 1.02, 3.2 s against 0.7 s at
# 0.98, 14 s against 0.5 s on 76,000 pairs at 50,000 members), so the flow kernel takes those.
_FLOW_MIN_PAIRS = 1_000_000


_MAX_ROUNDS = 50


# After the first solve, the graph solved again holds only candidates within this much (in
# units of the score range) of their LP prices: a fraction of the graph, and the others are
# checked against the new prices and brought back if they violate them. At 50,000 members,
# 0.01 took one round more than 0.05 but solved a quarter of the pairs each time: solve and
# certificate 7.7 s against 10.1 s (medians of three, same answer); at 10,000 x 5,000 and below
# the two were within noise.
_ACTIVE_SLACK = 0.01


# Outside tight markets, a fresh start first solves only each row's best 24 candidates, and the
# rounds wake the others that the prices say could gain. Measured (solve and certificate, medians
# of five): 10,000 x 5,000 0.59 s -> 0.33 s, 10,000 open to both roles 0.66 s -> 0.44 s; in a tight
# market (50,000 members) it took 7 rounds instead of 4 and was slower, so there all start.
_FIRST_ACTIVE = 24


# Most price passes tried on a grown graph before solving it again (settled prices took 90 to
# 150 at 50,000 members; a try that does not settle cost 1.5-1.9 s at 300 passes at 200,000).
_REPRICE_PASSES = 300

# Rows with more candidates than this are ranked one by one (see _best_of_each_row).
_PADDED_WIDTH = 512


# A row whose cheap columns are at most this share of the usable ones is read column by column.
_CHEAP_SHARE = 8


def _start_keys(start: Candidates, n: int, m: int) -> np.ndarray:
    """The keys of an earlier run's candidates, once checked to belong to an ``n`` x ``m`` problem."""
    if start.bound.shape != (n,) or start.rows.size and int(start.cols.max()) >= m:
        raise ValueError(f"expected start candidates of a {n} x {m} problem")
    return start.rows.astype(np.int64) * m + start.cols


@dataclass(frozen=True, eq=False)
class _Weights:
    """Scores as the weights of :func:`solve`: ``score * scale + base + row_offset[row]``.

    Kept in float64 so that the certificate is exact to rounding. ``span`` is the score range
    the scale divides by, ``bonus`` the coverage weight of a matched row (0 without coverage),
    and ``tol`` the slack below which a pair counts as priced.
    """

    scale: float
    base: float
    row_offset: np.ndarray
    span: float
    bonus: float
    tol: float

    def of(self, rows: np.ndarray, scores: np.ndarray) -> np.ndarray:
        """The weights of the pairs (``rows``, columns) with these ``scores``."""
        return scores * self.scale + self.base + self.row_offset[rows]


def _weights(problem: _Problem, lo: float, hi: float) -> _Weights:
    """The weights of :func:`solve` for allowed scores in [``lo``, ``hi``]."""
    n = problem.n
    if problem.coverage:
        span = hi - lo if hi > lo else 1.0
        bonus = float(n + 1)
        row_offset = bonus * (1.0 + (problem.pri if problem.pri is not None else np.zeros(n, bool)))
        scale, base = 1.0 / span, -lo / span
    else:
        span = hi if hi > 0 else 1.0
        bonus = 0.0
        row_offset = np.zeros(n)
        scale, base = 1.0 / span, 0.0
    w_top = float(hi * scale + base + row_offset[0] + row_offset.max() - row_offset[0])
    tol = float(1e4 * np.finfo(np.float64).eps * max(1.0, abs(w_top)))
    return _Weights(scale, base, row_offset, span, bonus, tol)


@dataclass(eq=False)
class _Graph:
    """The candidate graph as the rounds grow it: pairs sorted by ``key`` (row * m + column).

    ``active`` marks the pairs the next solve uses.
    """

    r: np.ndarray
    c: np.ndarray
    s: np.ndarray
    key: np.ndarray
    active: np.ndarray


@dataclass(frozen=True, eq=False)
class _Prices:
    """LP dual prices of an answer: ``u`` per row, ``v`` per column.

    ``matched`` lists the assigned rows; ``gap`` is the complementary slackness gap.
    """

    u: np.ndarray
    v: np.ndarray
    matched: np.ndarray
    converged: bool
    gap: float
    passes: int = 0

    def confirm(self, tol: float, n: int) -> bool:
        """Whether the prices prove the answer optimal on the candidates they were set on."""
        return self.converged and self.gap <= tol * max(1, n)


def _prices(
    problem: _Problem,
    graph: _Graph,
    assignment: np.ndarray,
    w: np.ndarray,
    max_passes: int = _MAX_RELAX_PASSES,
) -> _Prices:
    """The prices of ``assignment`` on the active candidates, whose weights are ``w``; not
    converged when they do not settle within ``max_passes`` passes."""
    n, m = problem.n, problem.m
    w_assigned = np.zeros(n)
    matched = np.flatnonzero(assignment >= 0)
    pos = np.searchsorted(graph.key, matched.astype(np.int64) * m + assignment[matched])
    w_assigned[matched] = w[pos]
    active = graph.active
    u, v, converged, passes = _dual_prices(
        n, m, graph.r[active], graph.c[active], w[active], assignment, w_assigned, max_passes
    )
    # Complementary slackness: zero when the answer is optimal on the candidate graph.
    gap = float(
        np.sum((problem.size - np.bincount(assignment[matched], minlength=m)) * v)
        + np.sum(u[matched] - (w_assigned[matched] - v[assignment[matched]]))
    )
    return _Prices(u, v, matched, converged, gap, passes)


def _kernel_answer(
    problem: _Problem,
    weights: _Weights,
    graph: _Graph,
    ar: np.ndarray,
    ac: np.ndarray,
    w: np.ndarray,
) -> tuple[np.ndarray, bool]:
    """An optimal answer on the active pairs (``ar``, ``ac``), and whether the flow kernel gave it.

    Module globals are looked up at each call, so that tests and the benchmark can swap kernels.
    """
    if ar.size >= _FLOW_MIN_PAIRS or problem.places < _TIGHT_MARKET * problem.n:
        unit_scores = graph.s[graph.active] * weights.scale + weights.base
        flow = _assign_flow(
            problem.n, problem.m, ar, ac, unit_scores, problem.cap, problem.pri, problem.coverage
        )
        if flow is not None:
            return flow, True
    return _assign(
        problem.n, problem.m, ar, ac, w[graph.active], problem.cap, coverage=problem.coverage
    ), False


def _solve_and_price(
    problem: _Problem, weights: _Weights, graph: _Graph, times: dict[str, float]
) -> tuple[np.ndarray, np.ndarray, _Prices]:
    """Solve the active candidates exactly and price the answer, adding the time to ``times``.

    Returns the answer, the weights of every candidate, and the prices. The flow kernel rounds
    scores, so an answer of it the prices do not confirm is solved again by the exact kernel.
    """
    started = time.perf_counter()
    w = weights.of(graph.r, graph.s)
    ar, ac = graph.r[graph.active].astype(np.int64), graph.c[graph.active].astype(np.int64)
    assignment, by_flow = _kernel_answer(problem, weights, graph, ar, ac, w)
    times["solve"] += time.perf_counter() - started
    started = time.perf_counter()
    prices = _prices(problem, graph, assignment, w)
    if by_flow and not prices.confirm(weights.tol, problem.n):
        times["certify"] += time.perf_counter() - started
        started = time.perf_counter()
        assignment = _assign(
            problem.n, problem.m, ar, ac, w[graph.active], problem.cap, coverage=problem.coverage
        )
        times["solve"] += time.perf_counter() - started
        started = time.perf_counter()
        prices = _prices(problem, graph, assignment, w)
    times["certify"] += time.perf_counter() - started
    return assignment, w, prices


def _best_of_each_row(r: np.ndarray, s: np.ndarray, n: int, t: int) -> np.ndarray:
    """Marks each row's ``t`` best pairs (ties at the ``t``-th score included); ``r`` sorted.

    >>> _best_of_each_row(np.array([0, 0, 0, 1]), np.array([0.2, 0.9, 0.5, 0.1]), 2, 2).tolist()
    [False, True, True, True]
    """
    starts = np.searchsorted(r, np.arange(n + 1))
    lengths = np.diff(starts)
    kth = np.full(n, -np.inf)
    # Most rows hold about k candidates and are ranked side by side in one padded array; a row
    # that is many columns' best row can hold thousands, and is ranked on its own.
    some = np.flatnonzero((lengths > t) & (lengths <= _PADDED_WIDTH))
    if some.size:
        padded = _padded(s[_ranges(starts[some], lengths[some])], lengths[some], -np.inf)[0]
        kth[some] = -np.partition(-padded, t - 1, axis=1)[:, t - 1]
    for i in np.flatnonzero(lengths > _PADDED_WIDTH).tolist():
        row = s[starts[i] : starts[i + 1]]
        kth[i] = np.partition(row, row.size - t)[row.size - t]
    return s >= kth[r]


def _wake(graph: _Graph, slack: np.ndarray, tol: float) -> bool:
    """Make active again the inactive candidates that violate the prices; True if any did.

    They are checked without reading any score, so this comes before the scan of pruned pairs.
    """
    if graph.active.all():
        return False
    wake = ~graph.active & (slack > tol)
    if not wake.any():
        return False
    graph.active |= wake
    return True


@dataclass(eq=False)
class _Reach:
    """Which rows the certificate has to read again.

    ``bound[i]`` bounds max(weight - v) over row i's pruned pairs at the prices of the scan that
    set it (``prices[scanned[i]]``; before any scan, the k-th best weight at prices 0). As prices
    move, it moves by at most the largest fall of a price since, so rows far from violating are
    not read again. ``last`` is the row and column prices of the run's answer: a run started
    from it solves first only the candidates near them. ``ceiling[i]`` bounds the weight of
    every pruned pair of row i at any prices (its k-th best score's weight): a pruned pair can
    violate the prices only in a column priced below ``ceiling[i] - u[i]``.
    """

    bound: np.ndarray
    scanned: np.ndarray
    prices: list[np.ndarray]
    weights: _Weights | None = None
    last: tuple[np.ndarray, np.ndarray] | None = None
    ceiling: np.ndarray | None = None

    def copy(self) -> _Reach:
        """A reach another run can update without changing this one."""
        return _Reach(
            self.bound.copy(),
            self.scanned.copy(),
            list(self.prices),
            self.weights,
            self.last,
            self.ceiling,
        )

    def fits(self, weights: _Weights) -> bool:
        """Whether this reach is in the units of ``weights`` (the same problem's weights)."""
        w = self.weights
        return (
            w is not None
            and (w.scale, w.base, w.bonus) == (weights.scale, weights.base, weights.bonus)
            and np.array_equal(w.row_offset, weights.row_offset)
        )

    @classmethod
    def before_any_scan(cls, kth: np.ndarray, weights: _Weights, m: int) -> _Reach:
        """The reach of rows whose pruned scores are at most ``kth``, at prices 0."""
        kth_w = np.where(
            np.isfinite(kth), kth * weights.scale + weights.base + weights.row_offset, -np.inf
        )
        return cls(
            kth_w.copy(), np.zeros(kth.size, dtype=np.int64), [np.zeros(m)], weights, None, kth_w
        )


def _violations_of(
    problem: _Problem,
    weights: _Weights,
    u: np.ndarray,
    v: np.ndarray,
    key: np.ndarray,
    starts: np.ndarray,
    rows: np.ndarray,
    cols: np.ndarray | None = None,
    beyond: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``rows``, their pruned pairs that violate the prices (rows, columns, scores), and per row
    max(weight - v) over its pruned pairs, which bounds what the row can gain under later prices.
    Row i's candidates are ``key[starts[i]:starts[i + 1]]``.

    With ``cols`` only those columns are read (``problem.score_cells``); ``beyond`` then bounds,
    per row, weight - v in every column left out.
    """
    m, scale = problem.m, weights.scale
    if cols is None:
        blk = _block(
            problem.score_rows, rows, m, problem.usable, not problem.coverage, problem.writable
        )
        prices = np.where(problem.usable, v, np.inf)
    else:
        assert problem.score_cells is not None
        score_cells = problem.score_cells
        blk = _block(
            lambda r: score_cells(r, cols),
            rows,
            cols.size,
            problem.usable[cols],
            not problem.coverage,
            problem.writable,
        )
        prices = np.where(problem.usable[cols], v[cols], np.inf)
    width = blk.scores.shape[1]
    # slack = weight - u - v > tol, rearranged so that the block needs two passes, not six.
    over = np.subtract(blk.scores, prices / scale, dtype=np.float64)
    over -= ((u[rows] + weights.tol - weights.base - weights.row_offset[rows]) / scale)[:, None]
    first = starts[rows]
    lengths = starts[rows + 1] - first
    pos = _ranges(first, lengths)
    local = np.repeat(np.arange(rows.size), lengths)
    at = key[pos] - rows[local] * m
    if cols is not None:
        where = np.full(m, -1, dtype=np.int64)
        where[cols] = np.arange(width)
        at = where[at]
        local, at = local[at >= 0], at[at >= 0]
    over[local, at] = -np.inf
    best = over.max(axis=1)
    reach = np.where(best > -np.inf, best * scale + u[rows] + weights.tol, -np.inf)
    if beyond is not None:
        reach = np.maximum(reach, beyond)
    bad = np.flatnonzero(best > 0)
    if bad.size == 0:
        empty_pairs = np.zeros(0, dtype=np.int64)
        return rows, empty_pairs, empty_pairs, np.zeros(0), reach
    sub = over[bad]
    worst = min(_ADD_PER_ROW, width)
    if worst < width:
        idx = np.argpartition(sub, width - worst, axis=1)[:, width - worst :]
    else:
        idx = np.broadcast_to(np.arange(width), sub.shape)
    sel = np.take_along_axis(sub, idx, axis=1) > 0
    hit = np.broadcast_to(bad[:, None], idx.shape)[sel]
    found_c = idx[sel] if cols is None else cols[idx[sel]]
    return rows, rows[hit], found_c, blk.scores[hit, idx[sel]].astype(np.float64), reach


def _cheap_columns(
    problem: _Problem, weights: _Weights, prices: _Prices, reach: _Reach, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The usable columns by price, and per row how many of the cheapest could let a pruned
    pair gain (price below ``ceiling - u``) and a bound on weight - v beyond them."""
    assert reach.ceiling is not None
    usable = np.flatnonzero(problem.usable)
    order = usable[np.argsort(prices.v[usable], kind="stable")]
    sorted_v = prices.v[order]
    ceiling = reach.ceiling[rows]
    counts = np.searchsorted(sorted_v, ceiling - prices.u[rows] - weights.tol, side="left")
    after = np.append(sorted_v, np.inf)
    return order, counts, ceiling - after[counts]


def _scan_pruned(
    problem: _Problem, weights: _Weights, key: np.ndarray, prices: _Prices, reach: _Reach
) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    """The pruned pairs that violate ``prices`` (rows, columns, scores, in parts).

    Reads only the rows ``reach`` cannot rule out, and updates it; with ``score_cells``, of a
    row only the columns cheap enough to matter, when they are few.
    """
    fall = np.array(
        [np.max(old - prices.v, where=problem.usable, initial=0.0) for old in reach.prices]
    )
    scan = np.flatnonzero(reach.bound + fall[reach.scanned] > prices.u + weights.tol)
    add_r, add_c, add_s = [], [], []
    jobs: list[tuple[np.ndarray, np.ndarray | None, np.ndarray | None]] = []
    if problem.score_cells is not None and reach.ceiling is not None and scan.size:
        order, counts, beyond = _cheap_columns(problem, weights, prices, reach, scan)
        few = counts * _CHEAP_SHARE <= order.size
        reach.bound[scan[few & (counts == 0)]] = beyond[few & (counts == 0)]
        reach.scanned[scan[few & (counts == 0)]] = len(reach.prices)
        some = np.flatnonzero(few & (counts > 0))
        some = some[np.argsort(counts[some], kind="stable")]
        start = 0
        while start < some.size:
            # Rows sorted by how many columns they need: a chunk reads the widest one's prefix.
            end = start + 1
            while end < some.size and (end - start + 1) * counts[some[end]] <= _BLOCK_CELLS:
                end += 1
            chunk = some[start:end]
            jobs.append((scan[chunk], order[: counts[chunk[-1]]], beyond[chunk]))
            start = end
        scan = scan[~few]
    jobs.extend((scan[i : i + problem.step], None, None) for i in range(0, scan.size, problem.step))
    # Each row's first candidate, found once: a search of 12 million keys per block row cost
    # 3 ms a block at 200,000 members, mostly cache misses.
    starts = np.searchsorted(key, np.arange(problem.n + 1, dtype=np.int64) * problem.m)

    def look(job: np.ndarray) -> tuple[np.ndarray, ...]:
        rows, cols, bound = jobs[int(job[0])]
        return _violations_of(problem, weights, prices.u, prices.v, key, starts, rows, cols, bound)

    for rows, found_r, found_c, found_s, row_reach in _in_blocks(
        look, np.arange(len(jobs)), 1, problem.workers
    ):
        reach.bound[rows] = row_reach
        reach.scanned[rows] = len(reach.prices)
        add_r.append(found_r)
        add_c.append(found_c)
        add_s.append(found_s)
    reach.prices.append(prices.v.copy())
    return add_r, add_c, add_s


def _add_pairs(
    m: int,
    graph: _Graph,
    add_r: list[np.ndarray],
    add_c: list[np.ndarray],
    add_s: list[np.ndarray],
    slack: np.ndarray,
) -> bool:
    """Add the violating pairs that are not candidates yet; False when there is none.

    Each later solve needs only the candidates near their prices (matched pairs have slack 0)
    and the new pairs; any other that comes to violate is woken up by :func:`_wake`.
    """
    new_key = (
        np.concatenate(add_r).astype(np.int64) * m + np.concatenate(add_c)
        if add_r
        else np.zeros(0, dtype=np.int64)
    )
    add_s = add_s or [np.zeros(0)]
    pos = np.minimum(np.searchsorted(graph.key, new_key), graph.key.size - 1)
    fresh = graph.key[pos] != new_key
    if not fresh.any():
        return False
    # Rebound at once, so that the old arrays are freed before the sort.
    graph.r = np.concatenate((graph.r, (new_key[fresh] // m).astype(np.int32)))
    graph.c = np.concatenate((graph.c, (new_key[fresh] % m).astype(np.int32)))
    graph.s = np.concatenate((graph.s, np.concatenate(add_s)[fresh]))
    active = np.concatenate((slack > -_ACTIVE_SLACK, np.ones(int(fresh.sum()), dtype=bool)))
    order = np.argsort(graph.r.astype(np.int64) * m + graph.c, kind="stable")
    graph.r, graph.c, graph.s = graph.r[order], graph.c[order], graph.s[order]
    graph.active = active[order]
    graph.key = graph.r.astype(np.int64) * m + graph.c
    # Added pairs may be better than the k-th best: the row's pruned pairs still are not.
    return True


@dataclass(frozen=True, eq=False)
class _Answer:
    """The last answer of the rounds, its prices, whether they certify it, and the solves made."""

    assignment: np.ndarray
    prices: _Prices
    certified: bool
    rounds: int


def _rounds(
    problem: _Problem,
    weights: _Weights,
    graph: _Graph,
    reach: _Reach,
    times: dict[str, float],
) -> _Answer:
    """Solve, price and grow the candidate graph until no pruned pair violates the prices.

    Pairs woken or added violate the last prices, but the answer is often still optimal on the
    grown graph, with other prices: those are sought first (a pricing costs a tenth of a solve
    or less), and only when they do not exist is the graph solved again.
    """
    assignment = np.full(problem.n, -1, dtype=np.int64)
    prices = _Prices(np.zeros(problem.n), np.zeros(problem.m), np.zeros(0, np.int64), False, 0.0)
    rounds = steps = 0
    solve = True
    while rounds < _MAX_ROUNDS and steps < 4 * _MAX_ROUNDS:
        steps += 1
        if solve:
            assignment, w, prices = _solve_and_price(problem, weights, graph, times)
            rounds += 1
        started = time.perf_counter()
        slack = w - prices.u[graph.r] - prices.v[graph.c]
        # Prices that exist settle in about as many passes as the last ones took.
        passes = min(_REPRICE_PASSES, 2 * prices.passes + 20)
        if not _wake(graph, slack, weights.tol):
            add_r, add_c, add_s = _scan_pruned(problem, weights, graph.key, prices, reach)
            if not _add_pairs(problem.m, graph, add_r, add_c, add_s, slack):
                times["certify"] += time.perf_counter() - started
                return _Answer(assignment, prices, prices.confirm(weights.tol, problem.n), rounds)
            w = weights.of(graph.r, graph.s)
        again = _priced_again(problem, weights, graph, assignment, w, passes)
        solve = again is None
        if again is not None:
            prices = again
        times["certify"] += time.perf_counter() - started
    return _Answer(assignment, prices, False, rounds)


def _priced_again(
    problem: _Problem,
    weights: _Weights,
    graph: _Graph,
    assignment: np.ndarray,
    w: np.ndarray,
    passes: int,
) -> _Prices | None:
    """Prices that confirm ``assignment`` on the grown active graph, or None (solve again).

    Prices exist exactly when no exchange along the new pairs gains; when one does, the price
    passes never settle, so they are cut off after ``passes``: a cut-off costs one solve, which
    was due anyway. Prices that settle are those a full pricing would give.
    """
    prices = _prices(problem, graph, assignment, w, passes)
    # Stricter than the certificate's own test (a gap of tol per row): an answer kept here must
    # be the one a solve would give, not one within rounding of it summed over every row.
    return prices if prices.converged and prices.gap <= weights.tol else None


def _solution(
    problem: _Problem,
    weights: _Weights,
    graph: _Graph,
    found: Candidates,
    answer: _Answer,
    times: dict[str, float],
    reach: _Reach,
) -> CertifiedSolution:
    """The :func:`solve_certified` result of ``answer``, with its total and its dual bound."""
    matched, u, v = answer.prices.matched, answer.prices.u, answer.prices.v
    assignment = answer.assignment
    pos = np.searchsorted(graph.key, matched.astype(np.int64) * problem.m + assignment[matched])
    total = float(graph.s[pos].sum())
    dual = float(u.sum() + np.sum(problem.size * np.where(problem.usable, v, 0.0)))
    if problem.coverage:
        n_pri = int(problem.pri[matched].sum()) if problem.pri is not None else 0
        bound = (
            weights.span * (dual - weights.bonus * (matched.size + n_pri)) + found.lo * matched.size
        )
    else:
        bound = weights.span * dual
    return CertifiedSolution(
        assignment=assignment,
        certified=answer.certified,
        bound=float(bound),
        total=total,
        n_candidates=int(graph.r.size),
        rounds=answer.rounds,
        seconds=times,
        candidates=Candidates(
            graph.r,
            graph.c,
            graph.s,
            found.bound,
            found.lo,
            found.hi,
            dataclasses.replace(reach.copy(), last=(u, v)),
        ),
    )


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
    writable_blocks: bool = False,
    score_cells: Callable[[np.ndarray, np.ndarray], Any] | None = None,
    estimate_rows: Callable[..., tuple[Any, np.ndarray, Any]] | None = None,
    prepare_rows: Callable[[np.ndarray], Any] | None = None,
) -> CertifiedSolution:
    """The same optimum as :func:`solve`, for cohorts too large for a full score matrix.

    Scores are read in row blocks and never held whole. Each row keeps its ``k`` best columns
    (and each column its few best rows) as candidates; the candidate graph is solved exactly; LP
    dual prices are derived from that answer; then every pruned pair is checked against the
    prices, and pairs that could improve the answer are added and the graph solved again, until
    none is left. The answer is then optimal for the full problem, and ``certified`` says so.
    Rows whose ``k``-th best score is already below their price cannot gain from a pruned pair
    and are not re-read.

    Large candidate graphs, and any graph where places barely exceed rows (where scipy's matcher
    slows down a hundredfold), are solved by OR-Tools' min-cost flow on scores rounded to a grid
    of about 1e-12 of their range; the prices then check that answer against the exact scores,
    and an answer they do not confirm is solved again by the exact scipy kernel, which also
    takes the other graphs.

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
    writable_blocks : bool
        Whether ``score_rows`` returns a new array at each call that nobody else holds: it is
        then marked in place instead of copied, one pass fewer over every block.
    score_cells : callable, optional
        ``score_cells(rows, cols)`` returns ``score_rows(rows)[:, cols]`` without scoring the
        other columns. The certificate then reads, of each row it cannot rule out, only the
        columns priced low enough for a pruned pair to gain there: when places are short every
        price is high, and a row is a few dozen cells instead of every column.
    estimate_rows : callable, optional
        ``estimate_rows(rows)`` returns a block cheaper to make and to read than
        ``score_rows(rows)`` (float32, say), with ``-inf`` exactly where that has them; per row
        a bound on how far its cells are from ``score_rows``'s; and a callable
        ``exact(local, cols)`` giving ``score_rows(rows)[local, cols]`` for a list of allowed
        pairs. The first pass then ranks the estimate and scores exactly only the pairs it
        keeps; the certificate reads ``score_rows``.
    prepare_rows : callable, optional
        With ``estimate_rows``: ``prepare_rows(run)`` gets the rows of several consecutive
        blocks (a few hundred rows), and each block's estimate is then asked as
        ``estimate_rows(rows, prepared)`` with what it returned, by the same thread. Work that
        costs less per row for many rows at once (a dense product with a wide other side) is
        done there once for the run.

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
    problem = _problem(
        score_rows,
        n_rows,
        n_cols,
        capacity,
        priority,
        coverage,
        k,
        chunk_rows,
        workers,
        writable_blocks,
        score_cells,
        estimate_rows,
        prepare_rows,
    )
    empty = np.full(problem.n, -1, dtype=np.int64)
    if problem.n == 0 or problem.m == 0 or problem.places == 0:
        return CertifiedSolution(empty, True, 0.0, 0.0, 0, 0, times)

    started = time.perf_counter()
    if start is not None:
        found, key = start, _start_keys(start, problem.n, problem.m)
    else:
        first, key = _first_pass(problem)
        found = Candidates(first.rows, first.cols, first.scores, first.bound, first.lo, first.hi)
    times["candidates"] = time.perf_counter() - started
    if found.rows.size == 0:
        return CertifiedSolution(empty, True, 0.0, 0.0, 0, 0, times)

    weights = _weights(problem, found.lo, found.hi)
    graph = _Graph(found.rows, found.cols, found.scores, key, np.ones(found.rows.size, dtype=bool))
    if found.reach is not None and found.reach.fits(weights):
        reach = found.reach.copy()
        if reach.last is not None:
            # A restart (a few pairs forbidden since) first solves only the candidates near the
            # last answer's prices, as a later round would; the rounds bring back the others
            # that the new prices say could gain.
            u, v = reach.last
            slack = weights.of(graph.r, graph.s) - u[graph.r] - v[graph.c]
            graph.active = slack > -_ACTIVE_SLACK
    else:
        reach = _Reach.before_any_scan(found.bound, weights, problem.m)
        if problem.places >= _TIGHT_MARKET * problem.n:
            graph.active = _best_of_each_row(graph.r, graph.s, problem.n, _FIRST_ACTIVE)
    answer = _rounds(problem, weights, graph, reach, times)
    return _solution(problem, weights, graph, found, answer, times, reach)
