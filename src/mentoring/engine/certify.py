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

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np

from mentoring.engine.assign import _assign, _capacity, _priority, _ranges
from mentoring.engine.flow import _assign_flow, _dual_prices

__all__ = ["Candidates", "CertifiedSolution", "solve_certified"]


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
    ``reach`` is what the run's certificate learned of the pairs not among them (see
    ``_Reach``): a run started from these candidates reads again only the rows it cannot rule
    out at its own prices, not every row whose k-th best score is above its price.
    """

    rows: np.ndarray
    cols: np.ndarray
    scores: np.ndarray
    bound: np.ndarray
    lo: float
    hi: float
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


@dataclass(frozen=True, eq=False)
class _Block:
    """One validated block of scores: ``-inf`` marks every forbidden pair, and ``allowed`` the
    others (``None`` when every pair is allowed)."""

    scores: np.ndarray
    lo: float
    hi: float
    allowed: np.ndarray | None


def _block(
    score_rows: Callable[[np.ndarray], Any],
    rows: np.ndarray,
    n_cols: int,
    usable: np.ndarray,
    positive_only: bool,
    writable: bool = False,
) -> _Block:
    """The block of ``rows``, validated, with forbidden, unusable (and non-positive) pairs -inf.

    A float32 block stays float32: choosing candidates only compares scores, which float32 does
    exactly, at half the memory traffic. A block with nothing to mark is neither copied nor
    written to, and a ``writable`` one (new at each call, held by nobody else) is marked in
    place: each pass over a block costs as much as a tenth of scoring it. ``lo`` and ``hi`` are
    the smallest and largest allowed scores.
    """
    raw = np.asarray(score_rows(rows))
    if raw.shape != (rows.size, n_cols):
        raise ValueError(
            f"expected score_rows to return a {(rows.size, n_cols)} block, got {raw.shape}"
        )
    block = raw if raw.dtype in (np.float32, np.float64) else raw.astype(np.float64)
    if block.size == 0:
        return _Block(block, np.inf, -np.inf, None)
    lo, hi = float(block.min()), float(block.max())
    # NaN makes both NaN and an infinity makes one of them infinite, so this is the whole check.
    if np.isfinite(lo) and np.isfinite(hi) and usable.all() and not (positive_only and lo <= 0):
        return _Block(block, lo, hi, None)
    if block is raw and not writable:
        block = block.copy()
    if np.isnan(lo) or np.isnan(hi):
        if np.any(block == np.inf):
            raise ValueError(
                "expected finite scores from score_rows (-inf for forbidden), got +inf"
            )
        block[np.isnan(block)] = -np.inf
        hi = float(block.max())
    elif hi == np.inf:
        raise ValueError("expected finite scores from score_rows (-inf for forbidden), got +inf")
    if not usable.all():
        block[:, ~usable] = -np.inf
        hi = float(block.max())
    allowed = block > -np.inf
    lo = float(np.min(block, where=allowed, initial=np.inf))
    if positive_only:
        allowed = block > 0
        np.copyto(block, -np.inf, where=~allowed)
    return _Block(block, lo, hi, None if allowed.all() else allowed)


def _top_candidates(
    block: np.ndarray, allowed: np.ndarray | None, k: int, sample: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """About ``k`` best allowed columns per row of a block, and a bound on the others.

    Returns local row and column indices of the kept pairs, and per row an upper bound on every
    allowed score not kept (-inf when every allowed column is kept). With ``sample``, a row keeps
    the columns at or above a threshold estimated on the sampled columns (one comparison pass
    instead of a selection over every column); rows where the estimate keeps far too many or too
    few columns fall back to an exact selection.
    """
    n_b, m = block.shape
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
    from threadpoolctl import threadpool_limits

    # The threads share the cores: a product that also spread over every core (BLAS's own
    # threads, as free text's is) would run workers x cores threads on the cores.
    with ThreadPoolExecutor(workers - 1) as pool, threadpool_limits(limits=1, user_api="blas"):
        for first in range(0, len(blocks), workers):
            group = blocks[first : first + workers]
            others = [pool.submit(work, block) for block in group[:-1]]
            mine = work(group[-1])
            for future in others:
                yield future.result()
            yield mine


@dataclass(frozen=True, eq=False)
class _Problem:
    """The checked inputs of one :func:`solve_certified` run, read by each of its phases.

    ``kk`` is the candidates kept per row (``k``, at most ``m``), ``step`` the rows per block,
    ``usable`` the columns with places, ``size`` the places each column can fill (its capacity, at
    most ``n``) and ``places`` their sum. ``writable``: ``score_rows`` returns a new block each
    call, which may be marked in place.
    """

    score_rows: Callable[[np.ndarray], Any]
    n: int
    m: int
    cap: np.ndarray
    pri: np.ndarray | None
    coverage: bool
    kk: int
    step: int
    workers: int
    usable: np.ndarray
    size: np.ndarray
    places: int
    writable: bool = False


def _problem(
    score_rows: Callable[[np.ndarray], Any],
    n_rows: int,
    n_cols: int,
    capacity: Any,
    priority: Any,
    coverage: bool,
    k: int | None,
    chunk_rows: int | None,
    workers: int,
    writable: bool = False,
) -> _Problem:
    """The arguments of :func:`solve_certified`, checked, with defaults for ``k`` and chunk rows."""
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
    size = np.minimum(cap, n)
    places = int(size.sum())
    if k is None:
        k = 100 if places < 1.2 * n else 50
    if not isinstance(k, int | np.integer) or k < 1:
        raise ValueError(f"expected k to be a whole number >= 1, got {k!r}")
    if chunk_rows is None:
        chunk_rows = max(1, _BLOCK_CELLS // max(m, 1))
    if not isinstance(chunk_rows, int | np.integer) or chunk_rows < 1:
        raise ValueError(f"expected chunk_rows to be a whole number >= 1, got {chunk_rows!r}")
    return _Problem(
        score_rows=score_rows,
        n=n,
        m=m,
        cap=cap,
        pri=pri,
        coverage=coverage,
        kk=min(int(k), m),
        step=int(chunk_rows),
        workers=int(workers),
        usable=cap > 0,
        size=size,
        places=places,
        writable=writable,
    )


@dataclass(frozen=True, eq=False)
class _BlockCandidates:
    """What one block of ``rows`` adds to the first candidate pass.

    The block's kept pairs (``cand_r``, ``cand_c``, ``cand_s``), per row a bound on its pruned
    scores, the block's allowed score range, and the columns whose best row here beats the worst
    row kept for them so far (``better``, with that row's score and index).
    """

    rows: np.ndarray
    cand_r: np.ndarray
    cand_c: np.ndarray
    cand_s: np.ndarray
    bound: np.ndarray
    lo: float
    hi: float
    better: np.ndarray
    better_s: np.ndarray
    better_r: np.ndarray


def _sample_columns(m: int, kk: int) -> np.ndarray | None:
    """The evenly spaced columns row thresholds are estimated on, or None for an exact selection."""
    if kk <= 2 * _SAMPLE_FACTOR:
        return None
    q = int(np.ceil(_SAMPLE_FACTOR * m / kk))
    return np.unique(np.linspace(0, m - 1, q).round().astype(np.int64))


def _block_candidates(
    problem: _Problem, sample: np.ndarray | None, col_floor: np.ndarray, rows: np.ndarray
) -> _BlockCandidates:
    """The candidates of one block of ``rows``; ``col_floor`` is each column's worst kept row."""
    blk = _block(
        problem.score_rows,
        rows,
        problem.m,
        problem.usable,
        not problem.coverage,
        problem.writable,
    )
    local, cols, bound = _top_candidates(blk.scores, blk.allowed, problem.kk, sample)
    best_s = blk.scores.max(axis=0)
    better = np.flatnonzero(best_s > col_floor)
    # Past a quarter of the columns, one pass over the whole block beats gathering them first.
    if better.size > problem.m // 4:
        best_r = blk.scores.argmax(axis=0)[better]
    else:
        best_r = np.argmax(blk.scores[:, better], axis=0)
    return _BlockCandidates(
        rows=rows,
        cand_r=rows[local].astype(np.int32),
        cand_c=cols.astype(np.int32),
        cand_s=blk.scores[local, cols].astype(np.float64),
        bound=bound,
        lo=blk.lo,
        hi=blk.hi,
        better=better,
        better_s=best_s[better].astype(np.float64),
        better_r=rows[best_r],
    )


def _keep_column_best(
    col_s: np.ndarray, col_r: np.ndarray, col_floor: np.ndarray, found: _BlockCandidates
) -> None:
    """Put a block's best row of a column in place of the column's worst kept row, if better."""
    better = found.better
    if better.size == 0:
        return
    worst = np.argmin(col_s[:, better], axis=0)
    gain = found.better_s > col_s[worst, better]
    col_s[worst[gain], better[gain]] = found.better_s[gain]
    col_r[worst[gain], better[gain]] = found.better_r[gain]
    col_floor[better] = col_s[:, better].min(axis=0)


def _sorted_unique(
    r: np.ndarray, c: np.ndarray, s: np.ndarray, m: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The pairs sorted by key (row * ``m`` + column), each once, and their keys.

    A pair can be kept both for its row and for its column; the stable sort keeps the first.
    """
    key = r.astype(np.int64) * m + c
    order = np.argsort(key, kind="stable")
    key = key[order]
    first_seen = np.ones(key.size, dtype=bool)
    first_seen[1:] = key[1:] != key[:-1]
    order = order[first_seen]
    key = key[first_seen]
    return r[order], c[order], s[order], key


def _first_pass(problem: _Problem) -> tuple[Candidates, np.ndarray]:
    """Each row's ``kk`` best allowed columns and each column's best rows, read in row blocks.

    Returns the candidates (sorted by row then column, each pair once) and their keys.
    """
    n, m = problem.n, problem.m
    per_col = min(_PER_COLUMN, n)
    col_s = np.full((per_col, m), -np.inf)
    col_r = np.zeros((per_col, m), dtype=np.int64)
    # The worst score among each column's kept rows; read by the workers without a lock, which
    # is safe because it only rises and a stale value only costs a little extra work.
    col_floor = np.full(m, -np.inf)
    read = partial(_block_candidates, problem, _sample_columns(m, problem.kk), col_floor)
    kth = np.full(n, -np.inf)
    lo, hi = np.inf, -np.inf
    parts_r, parts_c, parts_s = [], [], []
    all_rows = np.arange(n, dtype=np.int64)
    for found in _in_blocks(read, all_rows, problem.step, problem.workers):
        kth[found.rows] = found.bound
        parts_r.append(found.cand_r)
        parts_c.append(found.cand_c)
        parts_s.append(found.cand_s)
        lo, hi = min(lo, found.lo), max(hi, found.hi)
        _keep_column_best(col_s, col_r, col_floor, found)
    has = col_s > -np.inf
    parts_r.append(col_r[has].astype(np.int32))
    parts_c.append(np.broadcast_to(np.arange(m), col_s.shape)[has].astype(np.int32))
    parts_s.append(col_s[has])
    r = np.concatenate(parts_r)
    c = np.concatenate(parts_c)
    s = np.concatenate(parts_s)
    # The blocks' copies would otherwise stay alive through the sort, the pass's memory peak.
    del parts_r, parts_c, parts_s
    r, c, s, key = _sorted_unique(r, c, s, m)
    return Candidates(r, c, s, kth, lo, hi), key


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

    def confirm(self, tol: float, n: int) -> bool:
        """Whether the prices prove the answer optimal on the candidates they were set on."""
        return self.converged and self.gap <= tol * max(1, n)


def _prices(problem: _Problem, graph: _Graph, assignment: np.ndarray, w: np.ndarray) -> _Prices:
    """The prices of ``assignment`` on the active candidates, whose weights are ``w``."""
    n, m = problem.n, problem.m
    w_assigned = np.zeros(n)
    matched = np.flatnonzero(assignment >= 0)
    pos = np.searchsorted(graph.key, matched.astype(np.int64) * m + assignment[matched])
    w_assigned[matched] = w[pos]
    active = graph.active
    u, v, converged = _dual_prices(
        n, m, graph.r[active], graph.c[active], w[active], assignment, w_assigned
    )
    # Complementary slackness: zero when the answer is optimal on the candidate graph.
    gap = float(
        np.sum((problem.size - np.bincount(assignment[matched], minlength=m)) * v)
        + np.sum(u[matched] - (w_assigned[matched] - v[assignment[matched]]))
    )
    return _Prices(u, v, matched, converged, gap)


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
    if ar.size >= _FLOW_MIN_PAIRS or problem.places < _LOOSE_MARKET * problem.n:
        unit_scores = graph.s[graph.active] * weights.scale + weights.base
        flow = _assign_flow(
            problem.n, problem.m, ar, ac, unit_scores, problem.cap, problem.pri, problem.coverage
        )
        if flow is not None:
            return flow, True
    return _assign(problem.n, problem.m, ar, ac, w[graph.active], problem.cap), False


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
        assignment = _assign(problem.n, problem.m, ar, ac, w[graph.active], problem.cap)
        times["solve"] += time.perf_counter() - started
        started = time.perf_counter()
        prices = _prices(problem, graph, assignment, w)
    times["certify"] += time.perf_counter() - started
    return assignment, w, prices


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
    from it solves first only the candidates near them.
    """

    bound: np.ndarray
    scanned: np.ndarray
    prices: list[np.ndarray]
    weights: _Weights | None = None
    last: tuple[np.ndarray, np.ndarray] | None = None

    def copy(self) -> _Reach:
        """A reach another run can update without changing this one."""
        return _Reach(
            self.bound.copy(), self.scanned.copy(), list(self.prices), self.weights, self.last
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
        return cls(kth_w, np.zeros(kth.size, dtype=np.int64), [np.zeros(m)], weights)


def _violations_of(
    problem: _Problem,
    weights: _Weights,
    u: np.ndarray,
    v: np.ndarray,
    key: np.ndarray,
    rows: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``rows``, their pruned pairs that violate the prices (rows, columns, scores), and per row
    max(weight - v) over its pruned pairs, which bounds what the row can gain under later prices.
    """
    m, scale = problem.m, weights.scale
    # slack = weight - u - v > tol, rearranged so that the block needs two passes, not six.
    blk = _block(
        problem.score_rows, rows, m, problem.usable, not problem.coverage, problem.writable
    )
    over = np.subtract(blk.scores, np.where(problem.usable, v, np.inf) / scale, dtype=np.float64)
    over -= ((u[rows] + weights.tol - weights.base - weights.row_offset[rows]) / scale)[:, None]
    first = np.searchsorted(key, rows * m)
    lengths = np.searchsorted(key, (rows + 1) * m) - first
    pos = _ranges(first, lengths)
    local = np.repeat(np.arange(rows.size), lengths)
    over[local, key[pos] - rows[local] * m] = -np.inf
    best = over.max(axis=1)
    reach = np.where(best > -np.inf, best * scale + u[rows] + weights.tol, -np.inf)
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


def _scan_pruned(
    problem: _Problem, weights: _Weights, key: np.ndarray, prices: _Prices, reach: _Reach
) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    """The pruned pairs that violate ``prices`` (rows, columns, scores, in parts).

    Reads only the rows ``reach`` cannot rule out, and updates it.
    """
    fall = np.array(
        [np.max(old - prices.v, where=problem.usable, initial=0.0) for old in reach.prices]
    )
    scan = np.flatnonzero(reach.bound + fall[reach.scanned] > prices.u + weights.tol)
    add_r, add_c, add_s = [], [], []
    look = partial(_violations_of, problem, weights, prices.u, prices.v, key)
    for rows, found_r, found_c, found_s, row_reach in _in_blocks(
        look, scan, problem.step, problem.workers
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
    """Solve, price and grow the candidate graph until no pruned pair violates the prices."""
    assignment = np.full(problem.n, -1, dtype=np.int64)
    prices = _Prices(np.zeros(problem.n), np.zeros(problem.m), np.zeros(0, np.int64), False, 0.0)
    rounds = 0
    while rounds < _MAX_ROUNDS:
        assignment, w, prices = _solve_and_price(problem, weights, graph, times)
        rounds += 1
        started = time.perf_counter()
        slack = w - prices.u[graph.r] - prices.v[graph.c]
        if _wake(graph, slack, weights.tol):
            times["certify"] += time.perf_counter() - started
            continue
        add_r, add_c, add_s = _scan_pruned(problem, weights, graph.key, prices, reach)
        times["certify"] += time.perf_counter() - started
        if not _add_pairs(problem.m, graph, add_r, add_c, add_s, slack):
            return _Answer(assignment, prices, prices.confirm(weights.tol, problem.n), rounds)
    return _Answer(assignment, prices, False, rounds)


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
            _Reach(
                reach.bound.copy(), reach.scanned.copy(), list(reach.prices), reach.weights, (u, v)
            ),
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
    writable_blocks : bool
        Whether ``score_rows`` returns a new array at each call that nobody else holds: it is
        then marked in place instead of copied, one pass fewer over every block.

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
    )
    empty = np.full(problem.n, -1, dtype=np.int64)
    if problem.n == 0 or problem.m == 0 or problem.places == 0:
        return CertifiedSolution(empty, True, 0.0, 0.0, 0, 0, times)

    started = time.perf_counter()
    if start is not None:
        found, key = start, _start_keys(start, problem.n, problem.m)
    else:
        found, key = _first_pass(problem)
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
    answer = _rounds(problem, weights, graph, reach, times)
    return _solution(problem, weights, graph, found, answer, times, reach)
