"""Reading a score matrix in row blocks, and the first pass that keeps each row's best pairs.

:func:`mentoring.engine.certify.solve_certified` and
:func:`mentoring.engine.certify_pairs.solve_pairs_certified` never hold the whole matrix: a
callback returns blocks of rows (``_block`` validates them), threads read several at once
(``_in_blocks``), and the first pass (``_first_pass``) keeps each row's ``k`` best columns and
each column's best rows as the candidates the solvers start from.

>>> import numpy as np
>>> scores = np.array([[0.9, 0.8, 0.1], [0.2, 0.7, 0.3]])
>>> first, _ = _first_pass(_problem(lambda r: scores[r], 2, 3, [1, 1, 1], None, True, 1, None, 1))
>>> first.rows.tolist(), first.cols.tolist()
([0, 0, 1, 1], [0, 1, 1, 2])
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from mentoring.engine.assign import _capacity, _padded, _priority


@dataclass(frozen=True, eq=False)
class FirstPass:
    """What the first pass kept: pairs (``rows``, ``cols``, ``scores``, sorted by row then
    column), per row a bound on every score not kept, and the smallest and largest allowed
    scores."""

    rows: np.ndarray
    cols: np.ndarray
    scores: np.ndarray
    bound: np.ndarray
    lo: float
    hi: float


# Below this many places per row, rows reach deep into their candidates: the first pass keeps
# twice as many, the first solve starts from all of them, and the flow kernel solves them.
_TIGHT_MARKET = 1.2


# Candidate rows kept per column, so a mentor nobody ranks in their top k can still be used.
_PER_COLUMN = 4


# A row's threshold is estimated on about this many times m / k evenly spaced columns, so that
# the sample ranks about eight columns above it.
_SAMPLE_FACTOR = 6.4


# Each block is passed over several times; blocks of about this many cells stay in the cache
# (measured here: 2 million cells beat 8 million by about 10%).
_BLOCK_CELLS = 2_000_000


# Free text's product reads every mentor's embedding once per block, however few its rows:
# with 75,800 mentors, blocks of 52 rows took 14.7 ns a pair where blocks of 26 took 17.0
# (two threads, medians of three).
_MIN_BLOCK_ROWS = 52


# Rows whose dense products ``prepare_rows`` makes at once: BLAS reads and repacks a product's
# wide side at every call, so blocks small enough for the cache share one call. With 75,800
# mentors and free text's 256 dimensions, the first pass's core took 7.7-8.6 ns a pair (two
# threads) with 52 rows per call and 6.7-7.5 with 208 or 416.
_RUN_ROWS = 256


@dataclass(frozen=True, eq=False)
class _Block:
    """One validated block of scores: ``-inf`` marks every forbidden pair.

    ``lo`` and ``hi`` are the smallest and largest allowed scores, ``top`` each column's largest
    score, and ``n_allowed`` each row's number of allowed columns.
    """

    scores: np.ndarray
    lo: float
    hi: float
    top: np.ndarray
    n_allowed: np.ndarray


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
    place. Each pass over a block costs as much as a tenth of scoring it, so the check reads the
    block twice, by column: the column maxima show any NaN or +inf and the minima show which
    few columns hold a forbidden pair; only those are read again.
    """
    raw = np.asarray(score_rows(rows))
    if raw.shape != (rows.size, n_cols):
        raise ValueError(
            f"expected score_rows to return a {(rows.size, n_cols)} block, got {raw.shape}"
        )
    block = raw if raw.dtype in (np.float32, np.float64) else raw.astype(np.float64)
    if block.size == 0:
        return _Block(block, np.inf, -np.inf, np.full(n_cols, -np.inf), np.zeros(rows.size, int))

    def own() -> np.ndarray:
        return block if block is not raw or writable else block.copy()

    if not usable.all():
        block = own()
        block[:, ~usable] = -np.inf
    top = block.max(axis=0)
    if np.isnan(top).any():
        if np.any(block == np.inf):
            raise ValueError(
                "expected finite scores from score_rows (-inf for forbidden), got +inf"
            )
        block = own()
        block[np.isnan(block)] = -np.inf
        top = block.max(axis=0)
    if np.any(top == np.inf):
        raise ValueError("expected finite scores from score_rows (-inf for forbidden), got +inf")
    low = block.min(axis=0)
    if positive_only and low.min() <= 0:
        block = own()
        np.copyto(block, -np.inf, where=block <= 0)
        top = np.where(top > 0, top, -np.inf)
        low = block.min(axis=0)
    marked = np.flatnonzero(low == -np.inf)
    clear = low[low > -np.inf]
    lo = float(clear.min()) if clear.size else np.inf
    n_allowed = np.full(rows.size, n_cols)
    if marked.size:
        sub = block[:, marked]
        allowed = sub > -np.inf
        lo = min(lo, float(np.min(sub, where=allowed, initial=np.inf)))
        n_allowed -= marked.size - np.count_nonzero(allowed, axis=1)
    return _Block(block, lo, float(top.max()), top, n_allowed)


def _top_candidates(
    block: np.ndarray, n_allowed: np.ndarray, k: int, sample: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """About ``k`` best allowed (not ``-inf``) columns per row of a block, and a bound on the
    others.

    Returns local row and column indices of the kept pairs, and per row an upper bound on every
    allowed score not kept (-inf when every allowed column is kept). With ``sample``, a row keeps
    the columns at or above a threshold estimated on the sampled columns (one comparison pass
    instead of a selection over every column); rows where the estimate keeps far too many or too
    few columns, or where it is -inf, fall back to an exact selection.
    """
    n_b, m = block.shape
    bound = np.full(n_b, -np.inf)
    if k >= m:
        local, cols = np.divmod(np.flatnonzero(block > -np.inf), m)
        return local, cols, bound
    exact = np.ones(n_b, dtype=bool)
    local = cols = np.zeros(0, dtype=np.int64)
    if sample is not None:
        q = sample.size
        rank = min(q, max(1, round(k * q / m)))
        # np.take gathers columns at a third of the cost of fancy indexing (measured here).
        sampled = np.take(block, sample, axis=1)
        threshold = _rank_largest(sampled, rank)
        # A threshold of -inf would keep forbidden pairs: those rows take the exact selection.
        unknown = threshold == -np.inf
        threshold[unknown] = np.inf
        over = block >= threshold[:, None]
        # One flat search is several times faster than np.nonzero on two dimensions.
        local, cols = np.divmod(np.flatnonzero(over), m)
        count = np.bincount(local, minlength=n_b)
        half_share = np.minimum(k, n_allowed) // 2
        few = np.flatnonzero(~unknown & (count < half_share))
        if few.size:
            local, cols = _twice_as_deep(block, sampled, rank, few, local, cols, threshold)
            count = np.bincount(local, minlength=n_b)
            unknown = threshold == np.inf
        exact = unknown | (count < half_share)
        lossy = ~exact & (count < n_allowed)
        bound[lossy] = threshold[lossy]
        keep = ~exact[local]
        local, cols = local[keep], cols[keep]
        # Rows above threshold in more than k columns keep their k best of those: every extra
        # candidate slows each solve, and the best one left out becomes the row's bound.
        crowded = count > k
        if crowded[local].any():
            local, cols = _k_best_of_crowded(block, local, cols, crowded, k, bound)
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


def _twice_as_deep(
    block: np.ndarray,
    sampled: np.ndarray,
    rank: int,
    few: np.ndarray,
    local: np.ndarray,
    cols: np.ndarray,
    threshold: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The kept pairs (``local``, ``cols``, sorted by row) with the ``few`` rows, whose sampled
    threshold kept too few columns, kept again at a threshold twice as deep in their sample; each
    one's new threshold is written to ``threshold`` (``inf`` where it is ``-inf``).

    ``sampled`` holds the sample with each row's ``rank - 1`` largest values knocked out. About
    one row in twenty falls short; an exact selection over every column cost each of them 75 us
    at 10,000 mentors, a sixth of the whole block's selection.
    """
    m = block.shape[1]
    lower = _rank_largest(sampled[few], rank + 1)
    lower[lower == -np.inf] = np.inf
    threshold[few] = lower
    again_local, again_cols = np.divmod(np.flatnonzero(block[few] >= lower[:, None]), m)
    stay = ~np.isin(local, few)
    local = np.concatenate((local[stay], few[again_local]))
    cols = np.concatenate((cols[stay], again_cols))
    order = np.argsort(local, kind="stable")
    return local[order], cols[order]


# Up to this rank, knocking out each row's largest value is cheaper than a selection.
_KNOCKOUT_RANK = 16


def _rank_largest(values: np.ndarray, rank: int) -> np.ndarray:
    """Each row's ``rank``-th largest value (ties counted); ``values`` is overwritten.

    The sample ranks about six columns above its threshold, and a row's largest value is found
    by a vectorised scan: knocking out the largest five times and taking the largest left cost
    0.20 ms on 200 rows of 1,600 sampled columns, and 0.42 ms on 52 rows of 12,128, where
    ``np.partition`` took 1.8 and 3.9 ms.

    >>> _rank_largest(np.array([[3.0, 9.0, 9.0, 1.0], [2.0, 5.0, 4.0, 8.0]]), 2).tolist()
    [9.0, 5.0]
    """
    q = values.shape[1]
    if rank > _KNOCKOUT_RANK:
        return np.partition(values, q - rank, axis=1)[:, q - rank]
    every_row = np.arange(values.shape[0])
    for _ in range(rank - 1):
        values[every_row, values.argmax(axis=1)] = -np.inf
    return values.max(axis=1)


def _k_best_of_crowded(
    block: np.ndarray,
    local: np.ndarray,
    cols: np.ndarray,
    crowded: np.ndarray,
    k: int,
    bound: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Of the kept pairs (``local``, ``cols``, sorted by row then column), only the ``k`` best
    of each ``crowded`` row (ties to the lower column); the best one dropped becomes the row's
    ``bound``.

    The crowded rows' pairs are ranked in one padded block, each row sorted on its own: a sort
    of every kept pair by row and score cost as much as reading the block twice.
    """
    in_crowd = crowded[local]
    row_of = local[in_crowd]
    rows, counts = np.unique(row_of, return_counts=True)
    padded, owner, pos = _padded(-block[row_of, cols[in_crowd]], counts, np.inf)
    order = np.argsort(padded, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(order.shape[1])[None, :], axis=1)
    bound[rows] = -padded[np.arange(rows.size), order[:, k]]
    keep = np.ones(local.size, dtype=bool)
    keep[np.flatnonzero(in_crowd)] = ranks[owner, pos] < k
    return local[keep], cols[keep]


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
    call, which may be marked in place. ``score_cells(rows, cols)``, when given, is
    ``score_rows(rows)[:, cols]`` without scoring the other columns. ``estimate_rows(rows)``,
    when given, returns a cheaper block (float32, the same pairs -inf), per row a bound on how
    far its cells are from ``score_rows``'s, and ``exact(local, cols)``, the scores of the
    block's pairs (rows by position in the block) that the first pass keeps. With
    ``prepare_rows``, the first pass calls ``prepare_rows(run)`` for runs of consecutive blocks
    and then ``estimate_rows(rows, prepared)`` for each block of the run.
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
    score_cells: Callable[[np.ndarray, np.ndarray], Any] | None = None
    estimate_rows: Callable[..., tuple[Any, np.ndarray, Any]] | None = None
    prepare_rows: Callable[[np.ndarray], Any] | None = None


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
    score_cells: Callable[[np.ndarray, np.ndarray], Any] | None = None,
    estimate_rows: Callable[..., tuple[Any, np.ndarray, Any]] | None = None,
    prepare_rows: Callable[[np.ndarray], Any] | None = None,
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
        k = 100 if places < _TIGHT_MARKET * n else 50
    if not isinstance(k, int | np.integer) or k < 1:
        raise ValueError(f"expected k to be a whole number >= 1, got {k!r}")
    if chunk_rows is None:
        chunk_rows = max(_MIN_BLOCK_ROWS, _BLOCK_CELLS // max(m, 1))
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
        score_cells=score_cells,
        estimate_rows=estimate_rows,
        prepare_rows=prepare_rows,
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
    problem: _Problem,
    sample: np.ndarray | None,
    col_floor: np.ndarray,
    rows: np.ndarray,
    prepared: Any = None,
) -> _BlockCandidates:
    """The candidates of one block of ``rows``; ``col_floor`` is each column's worst kept row;
    ``prepared`` is what ``problem.prepare_rows`` made for the run holding the block.

    From an estimated block, the pairs are chosen on the estimate and scored exactly; every
    bound grows by the row's error, so that it still covers each pair left out.
    """
    error = None
    if problem.estimate_rows is None:
        score_rows = problem.score_rows
    else:
        if problem.prepare_rows is None:
            estimate, error, exact = problem.estimate_rows(rows)
        else:
            estimate, error, exact = problem.estimate_rows(rows, prepared)
        error = np.asarray(error, dtype=np.float64)
        if error.shape != (rows.size,) or not np.all(error >= 0) or not np.isfinite(error).all():
            raise ValueError(
                f"expected estimate_rows to return an error per row, finite and >= 0, got {error!r}"
            )

        def score_rows(_: np.ndarray) -> Any:
            return estimate

    positive_only = not problem.coverage
    blk = _block(score_rows, rows, problem.m, problem.usable, positive_only, problem.writable)
    local, cols, bound = _top_candidates(blk.scores, blk.n_allowed, problem.kk, sample)
    best_s = blk.top
    better = np.flatnonzero(best_s > col_floor)
    # Past a quarter of the columns, one pass over the whole block beats gathering them first.
    if better.size > problem.m // 4:
        best_r = blk.scores.argmax(axis=0)[better]
    else:
        best_r = np.argmax(blk.scores[:, better], axis=0)
    lo, hi = blk.lo, blk.hi
    if error is None:
        cand_s = blk.scores[local, cols].astype(np.float64)
        better_s = best_s[better].astype(np.float64)
    else:
        cand_s = np.asarray(exact(local, cols), dtype=np.float64)
        better_s = np.asarray(exact(best_r, better), dtype=np.float64)
        # Without coverage, a pair estimated at 0 or below was left out as worthless: its
        # exact score is at most the error.
        floor = error if positive_only else np.full(rows.size, -np.inf)
        bound = np.maximum(np.where(bound > -np.inf, bound + error, -np.inf), floor)
        widest = float(error.max(initial=0.0))
        lo, hi = lo - widest, hi + widest
        if positive_only:
            worth = cand_s > 0
            local, cols, cand_s = local[worth], cols[worth], cand_s[worth]
            worth = better_s > 0
            better, better_s, best_r = better[worth], better_s[worth], best_r[worth]
    return _BlockCandidates(
        rows=rows,
        cand_r=rows[local].astype(np.int32),
        cand_c=cols.astype(np.int32),
        cand_s=cand_s,
        bound=bound,
        lo=lo,
        hi=hi,
        better=better,
        better_s=better_s,
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


def _candidate_blocks(
    problem: _Problem, read: Callable[..., _BlockCandidates], rows: np.ndarray
) -> Iterator[_BlockCandidates]:
    """``read`` of each block of ``rows`` in order; with ``problem.prepare_rows``, the blocks go
    in runs of about ``_RUN_ROWS`` rows, each run prepared once by the thread that reads it."""
    step = problem.step
    prepare = problem.prepare_rows
    if prepare is None or problem.estimate_rows is None:
        yield from _in_blocks(read, rows, step, problem.workers)
        return

    def read_run(run: np.ndarray) -> list[_BlockCandidates]:
        prepared = prepare(run)
        return [read(run[first : first + step], prepared) for first in range(0, run.size, step)]

    per_run = max(1, round(_RUN_ROWS / step))
    for found in _in_blocks(read_run, rows, step * per_run, problem.workers):
        yield from found


def _first_pass(problem: _Problem) -> tuple[FirstPass, np.ndarray]:
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
    for found in _candidate_blocks(problem, read, all_rows):
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
    return FirstPass(r, c, s, kth, lo, hi), key
