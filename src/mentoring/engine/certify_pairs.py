"""Large cohorts with several mentors per mentee, or tracks: candidates, exact flow, certificate.

The same scheme as :func:`mentoring.engine.certify.solve_certified`, on the flow network of
:func:`mentoring.engine.transport.solve_pairs`: each row keeps its best columns as candidates
(the first pass of ``certify`` is reused as is), the candidate network is solved exactly, and
the node potentials of that answer price every pair left out. A pruned pair (i, j) of rescaled
gain ``w`` could improve the answer only if ``w - p(i, j) - d(j) > 0`` with ``p`` the row's (or
the least shared track's) potential and ``d`` the mentor's (both <= 0); rows whose best pruned
gain cannot clear that are not read again. Pairs that violate are added and the network solved
again, until none is left: the answer is then optimal for the whole matrix.

>>> import numpy as np
>>> scores = np.array([[0.9, 0.8, 0.1], [0.9, 0.2, 0.1], [0.3, 0.2, 0.1]])
>>> sol = solve_pairs_certified(lambda rows: scores[rows], 3, 3, [1, 1, 2], [2, 1, 1], k=1)
>>> list(zip(sol.pairs.rows.tolist(), sol.pairs.cols.tolist())), sol.certified
([(0, 1), (0, 2), (1, 0), (2, 2)], True)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

import numpy as np

from mentoring.engine.blocks import _block, _first_pass, _in_blocks, _Problem, _problem
from mentoring.engine.certify import _ACTIVE_SLACK, _ADD_PER_ROW, _MAX_ROUNDS
from mentoring.engine.transport import PairSolution, _row_capacity, _solve_network, _tracks

__all__ = ["CertifiedPairs", "solve_pairs_certified"]


@dataclass(frozen=True)
class CertifiedPairs:
    """The answer of :func:`solve_pairs_certified` and the evidence that it is optimal.

    ``pairs`` holds the chosen pairs (locked ones included) with their tracks; ``scores`` the
    score of each; ``certified`` is True when no pair of the full matrix could improve the
    answer; ``total`` the sum of the scores; ``n_candidates`` the pairs the last solve used,
    ``rounds`` the solves made and ``seconds`` the time per phase.
    """

    pairs: PairSolution
    scores: np.ndarray
    certified: bool
    total: float
    n_candidates: int
    rounds: int
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class _Setup:
    """Everything a round needs besides the candidates: problem, capacities, tracks, locks."""

    problem: _Problem
    row_cap: np.ndarray
    tracks: tuple[np.ndarray, np.ndarray]
    lock_r: np.ndarray
    lock_c: np.ndarray
    lock_s: np.ndarray


def _masked_rows(
    score_rows: Callable[[np.ndarray], Any],
    tracks: tuple[np.ndarray, np.ndarray],
    locked: dict[int, np.ndarray],
) -> Callable[[np.ndarray], Any]:
    """``score_rows`` with pairs sharing no track and locked pairs forbidden (``-inf``)."""
    rt, ct = tracks
    tracked = np.asarray(rt.any(axis=1) if rt.shape[1] else np.zeros(rt.shape[0], dtype=bool))
    if not tracked.any() and not locked:
        return score_rows

    def read(rows: np.ndarray) -> Any:
        block = np.array(score_rows(rows))
        if block.dtype not in (np.float32, np.float64):
            block = block.astype(np.float64)
        if tracked[rows].any():
            common = (rt[rows].astype(np.float32) @ ct.T.astype(np.float32)) > 0
            block[tracked[rows][:, None] & ~common] = -np.inf
        for k, i in enumerate(rows.tolist()):
            cols = locked.get(i)
            if cols is not None:
                block[k, cols] = -np.inf
        return block

    return read


def _gains(s: np.ndarray, lo: float, hi: float, coverage: bool) -> tuple[float, float]:
    """(offset, span) so that ``(s - offset) / span`` is the gain of :func:`solve_pairs`."""
    if coverage:
        return lo, (hi - lo if hi > lo else 1.0)
    return 0.0, (hi if hi > 0 else 1.0)


def _row_floor(pairs: PairSolution, tracks: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """The least potential among each row's tails (the row, or its tracks when it has any)."""
    rt = tracks[0]
    floor = pairs.row_price.copy()
    if rt.shape[1]:
        tracked = rt.any(axis=1)
        floor[tracked] = pairs.track_price[tracked].min(axis=1)
    return floor


def _scan_block(
    setup: _Setup,
    pairs: PairSolution,
    unit: tuple[float, float],
    key: np.ndarray,
    tol: float,
    rows: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``rows``, their pruned pairs that violate the potentials (rows, cols, scores), and per
    row the largest ``gain + d(j)`` over its pruned pairs."""
    problem = setup.problem
    m = problem.m
    blk = _block(problem.score_rows, rows, m, problem.usable, not problem.coverage)
    gain = (blk.scores.astype(np.float64) - unit[0]) / unit[1]
    first = np.searchsorted(key, rows * m)
    ends = np.searchsorted(key, (rows + 1) * m)
    for k in range(rows.size):
        gain[k, key[first[k] : ends[k]] - rows[k] * m] = -np.inf
    reach = gain + np.where(problem.usable, pairs.col_price, -np.inf)
    best = reach.max(axis=1)
    rt = setup.tracks[0]
    if rt.shape[1] and rt[rows].any():
        ct = setup.tracks[1]
        price = np.where(rt[rows].any(axis=1), np.inf, pairs.row_price[rows])[:, None]
        price = np.broadcast_to(price, gain.shape).copy()
        for t in range(rt.shape[1]):
            mine = np.where(rt[rows, t], pairs.track_price[rows, t], np.inf)
            price = np.where(ct[:, t][None, :], np.minimum(price, mine[:, None]), price)
    else:
        price = pairs.row_price[rows][:, None]
    over = reach - price
    bad_r, bad_c = np.nonzero(over > tol)
    if bad_r.size:
        # The worst few per row: members with identical answers tie by the dozen.
        order = np.lexsort((-over[bad_r, bad_c], bad_r))
        bad_r, bad_c = bad_r[order], bad_c[order]
        start = np.searchsorted(bad_r, np.arange(rows.size))
        rank = np.arange(bad_r.size) - start[bad_r]
        keep = rank < _ADD_PER_ROW
        bad_r, bad_c = bad_r[keep], bad_c[keep]
    found_s = blk.scores[bad_r, bad_c].astype(np.float64)
    return rows, rows[bad_r], bad_c.astype(np.int64), found_s, best


@dataclass
class _Graph:
    """The candidate pairs as the rounds grow them, sorted by key (row * m + column)."""

    r: np.ndarray
    c: np.ndarray
    s: np.ndarray
    key: np.ndarray
    active: np.ndarray

    def add(self, r: np.ndarray, c: np.ndarray, s: np.ndarray, m: int, keep: np.ndarray) -> bool:
        """Add the pairs not there yet, active; ``keep`` marks the old pairs kept active.

        Returns False when every pair was there already.
        """
        new = r.astype(np.int64) * m + c
        new, first = np.unique(new, return_index=True)
        pos = np.minimum(np.searchsorted(self.key, new), max(self.key.size - 1, 0))
        fresh = self.key[pos] != new if self.key.size else np.ones(new.size, dtype=bool)
        if not fresh.any():
            return False
        r2 = np.concatenate((self.r.astype(np.int64), (new[fresh] // m)))
        c2 = np.concatenate((self.c.astype(np.int64), (new[fresh] % m)))
        s2 = np.concatenate((self.s, s[first][fresh]))
        active = np.concatenate((keep, np.ones(int(fresh.sum()), dtype=bool)))
        key = r2 * m + c2
        order = np.argsort(key, kind="stable")
        self.r, self.c, self.s, self.key = r2[order], c2[order], s2[order], key[order]
        self.active = active[order]
        return True

    def slack(self, setup: _Setup, pairs: PairSolution, unit: tuple[float, float]) -> np.ndarray:
        """Each candidate's gain less its prices: positive when it could improve the answer."""
        gain = (self.s - unit[0]) / unit[1]
        rt, ct = setup.tracks
        price = pairs.row_price[self.r]
        if rt.shape[1]:
            tracked = rt[self.r].any(axis=1)
            rows = self.r[tracked]
            shared = rt[rows] & ct[self.c[tracked]]
            price[tracked] = np.where(shared, pairs.track_price[rows], np.inf).min(axis=1)
        return gain - price + pairs.col_price[self.c]


def _wake(graph: _Graph, slack: np.ndarray, tol: float) -> bool:
    """Make active again the inactive candidates that violate the prices; True if any did."""
    wake = ~graph.active & (slack > tol)
    if not wake.any():
        return False
    graph.active |= wake
    return True


def _solve_round(
    setup: _Setup, graph: _Graph, unit: tuple[float, float]
) -> tuple[PairSolution, np.ndarray]:
    """The exact answer on the candidates plus the locked pairs, and every chosen pair's score."""
    p = setup.problem
    act = graph.active
    r = np.concatenate((graph.r[act], setup.lock_r))
    c = np.concatenate((graph.c[act], setup.lock_c))
    s = np.concatenate((graph.s[act], setup.lock_s))
    forced = np.zeros(r.size, dtype=bool)
    forced[int(act.sum()) :] = True
    w = np.clip((s - unit[0]) / unit[1], 0.0, 1.0) if p.coverage else np.maximum(s / unit[1], 0)
    keep = forced | (w > 0) | p.coverage
    found = _solve_network(
        p.n,
        p.m,
        r[keep],
        c[keep],
        w[keep],
        forced[keep],
        p.cap,
        setup.row_cap,
        p.pri,
        p.coverage,
        setup.tracks,
    )
    chosen_key = found.rows * p.m + found.cols
    all_key = r[keep] * p.m + c[keep]
    order = np.argsort(all_key, kind="stable")
    pos = order[np.searchsorted(all_key[order], chosen_key)]
    return found, s[keep][pos]


def _setup(
    score_rows: Callable[[np.ndarray], Any],
    n_rows: int,
    n_cols: int,
    capacity: Any,
    row_capacity: Any,
    options: dict[str, Any],
) -> _Setup:
    """The checked inputs: the problem of ``certify`` on masked scores, and the locks."""
    pre = _problem(
        score_rows,
        n_rows,
        n_cols,
        capacity,
        options["priority"],
        options["coverage"],
        1,
        options["chunk_rows"],
        options["workers"],
    )
    row_cap = _row_capacity(row_capacity, pre.n)
    tracks = _tracks(options["row_tracks"], options["col_tracks"], pre.n, pre.m)
    lock = options["locked"]
    lock_r = np.asarray(lock[0] if lock is not None else [], dtype=np.int64)
    lock_c = np.asarray(lock[1] if lock is not None else [], dtype=np.int64)
    lock_s = np.asarray(lock[2] if lock is not None else [], dtype=np.float64)
    by_row: dict[int, list[int]] = {}
    for i, j in zip(lock_r.tolist(), lock_c.tolist(), strict=True):
        by_row.setdefault(i, []).append(j)
    locked = {i: np.array(js) for i, js in by_row.items()}
    demand = int(min(row_cap.sum(), pre.n * pre.m))
    k = options["k"]
    if k is None:
        k = 100 if pre.places < 1.2 * demand and row_cap.max(initial=1) <= 1 else 50
    if not isinstance(k, int | np.integer) or k < 1:
        raise ValueError(f"expected k to be a whole number >= 1, got {k!r}")
    problem = replace(
        pre, score_rows=_masked_rows(score_rows, tracks, locked), kk=min(int(k), pre.m)
    )
    return _Setup(problem, row_cap, tracks, lock_r, lock_c, lock_s)


def solve_pairs_certified(
    score_rows: Callable[[np.ndarray], Any],
    n_rows: int,
    n_cols: int,
    capacity: Any,
    row_capacity: Any = None,
    *,
    row_tracks: Any = None,
    col_tracks: Any = None,
    priority: Any = None,
    coverage: bool = True,
    locked: tuple[Any, Any, Any] | None = None,
    k: int | None = None,
    chunk_rows: int | None = None,
    workers: int = 1,
) -> CertifiedPairs:
    """The optimum of :func:`mentoring.engine.transport.solve_pairs` without the full matrix.

    Parameters
    ----------
    score_rows : callable
        As for :func:`mentoring.engine.certify.solve_certified`: the dense block of the given
        rows (``-inf`` or ``NaN`` forbidden), thread-safe when ``workers > 1``.
    n_rows, n_cols : int
        Shape of the full problem.
    capacity, row_capacity : array_like of int
        Places per column and mentors per row (default 1 each).
    row_tracks, col_tracks, priority, coverage
        As for :func:`mentoring.engine.transport.solve_pairs`.
    locked : (rows, cols, scores), optional
        Pairs to keep, with their scores (a locked pair may be one the scores forbid).
    k : int, optional
        Candidates per row (default 50, 100 when places barely exceed the mentors wanted, times
        the largest row capacity up to 4).
    chunk_rows, workers : int, optional
        Rows per block and threads reading blocks, as for ``solve_certified``.

    Returns
    -------
    CertifiedPairs

    Examples
    --------
    >>> import numpy as np
    >>> scores = np.full((4, 2), 0.5)
    >>> sol = solve_pairs_certified(lambda rows: scores[rows], 4, 2, [2, 2], [2, 2, 1, 1], k=1)
    >>> sol.certified, sol.pairs.count(4).tolist()
    (True, [1, 1, 1, 1])
    """
    times = {"candidates": 0.0, "solve": 0.0, "certify": 0.0}
    options = {
        "row_tracks": row_tracks,
        "col_tracks": col_tracks,
        "priority": priority,
        "coverage": coverage,
        "locked": locked,
        "k": k,
        "chunk_rows": chunk_rows,
        "workers": workers,
    }
    setup = _setup(score_rows, n_rows, n_cols, capacity, row_capacity, options)
    p = setup.problem
    started = time.perf_counter()
    found, key = _first_pass(p)
    times["candidates"] = time.perf_counter() - started
    lo, hi = found.lo, found.hi
    if setup.lock_s.size:
        lo, hi = min(lo, float(setup.lock_s.min())), max(hi, float(setup.lock_s.max()))
    if not np.isfinite(lo):
        lo, hi = 0.0, 1.0
    unit = _gains(found.scores, lo, hi, p.coverage)
    graph = _Graph(
        found.rows.astype(np.int64),
        found.cols.astype(np.int64),
        found.scores,
        key,
        np.ones(found.rows.size, dtype=bool),
    )
    bonus = float(p.m + 1) if p.coverage else 0.0
    tol = float(1e4 * np.finfo(np.float64).eps * max(1.0, 3 * bonus + 1))
    kth = np.where(np.isfinite(found.bound), (found.bound - unit[0]) / unit[1], -np.inf)
    reach, scanned, history = kth, np.zeros(p.n, dtype=np.int64), [np.zeros(p.m)]
    certified, rounds = False, 0
    while rounds < _MAX_ROUNDS:
        started = time.perf_counter()
        pairs, chosen = _solve_round(setup, graph, unit)
        rounds += 1
        times["solve"] += time.perf_counter() - started
        started = time.perf_counter()
        slack = graph.slack(setup, pairs, unit)
        if _wake(graph, slack, tol):
            times["certify"] += time.perf_counter() - started
            continue
        d = np.where(p.usable, pairs.col_price, -np.inf)
        rise = np.array([np.max(d - old, where=p.usable, initial=0.0) for old in history])
        scan = np.flatnonzero(reach + rise[scanned] - _row_floor(pairs, setup.tracks) > tol)
        look = partial(_scan_block, setup, pairs, unit, graph.key, tol)
        add_r, add_c, add_s = [], [], []
        for rows, fr, fc, fs, best in _in_blocks(look, scan, p.step, p.workers):
            reach[rows] = best
            scanned[rows] = len(history)
            add_r.append(fr)
            add_c.append(fc)
            add_s.append(fs)
        history.append(np.where(p.usable, pairs.col_price, 0.0))
        grew = bool(add_r) and graph.add(
            np.concatenate(add_r),
            np.concatenate(add_c),
            np.concatenate(add_s),
            p.m,
            slack > -_ACTIVE_SLACK,
        )
        times["certify"] += time.perf_counter() - started
        if not grew:
            certified = pairs.optimal
            break
    return CertifiedPairs(
        pairs=replace(pairs, unit=unit),
        scores=chosen,
        certified=certified,
        total=float(chosen.sum()),
        n_candidates=int(graph.r.size),
        rounds=rounds,
        seconds=times,
    )
