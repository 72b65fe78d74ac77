"""Mentees with more than one mentor, and tracks: the transportation form of :func:`solve`.

A mentee (row) may take up to ``row_capacity[i]`` mentors and a mentor (column) up to
``capacity[j]`` mentees; a pair is used at most once. With tracks, a mentor offers some kinds of
mentoring (career, identity, research...), a mentee wants some, a pair counts under one track
both share, and a mentee gets at most one mentor per track. A mentee who names no track has no
per-track limit; a mentor who names none offers every track. A mentee who names tracks but
shares none with a mentor cannot be paired with them.

:func:`solve_pairs` maximises, in this order: the priority rows with at least one mentor, the
rows with at least one mentor, the number of pairs, then the total score (``coverage=True``);
or the total score only (``coverage=False``). It is one min-cost flow::

    source -> mentee i        first mentor: capacity 1, gain 2B (3B for a priority row)
    source -> mentee i        further mentors: capacity row_capacity - 1, gain B
    mentee i -> (i, track t)  capacity 1, one per track the mentee wants (with tracks only)
    (i, t) -> pair node p_ij  capacity 1, when the pair shares two tracks or more
    tail -> mentor j          capacity 1, gain = the pair's score rescaled to [0, 1]
    mentor j -> sink          capacity[j]
    source -> sink            leaving places empty, gain 0

The pair node makes a pair usable once whichever track it counts under. Why one B per tier is
enough (B = columns + 1): the difference of two flows is a sum of simple cycles; each passes the
source at most once, so it moves one unit from one source arc to another, and the tiers of the
source arcs (priority first, first, further, none) are nested, so the change of every tier
count has one sign; the score change of a simple cycle is below the number of mentors it visits,
which is below B. So no cycle trades a tier for score, and the weighted optimum is the
lexicographic one.

OR-Tools solves the flow on integer costs (scores rounded to a grid far finer than any real
score difference). Exactness does not rest on that rounding: node potentials computed by
Bellman-Ford on the residual graph with the exact float gains prove the flow optimal; when they
do not settle, a negative cycle is cancelled in exact arithmetic and the check runs again.
Locked pairs are kept as arcs with a lower bound of one.

>>> import numpy as np
>>> found = solve_pairs(np.array([[0.9, 0.8], [0.7, -np.inf]]), [2, 1], [2, 1])
>>> list(zip(found.rows.tolist(), found.cols.tolist()))
[(0, 0), (0, 1), (1, 0)]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from mentoring.engine.assign import _capacity, _edges, _priority, _ranges

__all__ = ["PairSolution", "solve_pairs", "track_matrices"]


# Costs times (nodes + 1) must stay below about 2**60 in OR-Tools' cost scaling; see flow.py.
_FLOW_COST_LIMIT = 2**58


# Cycles cancelled in exact arithmetic after the rounded flow; each one strictly improves the
# answer, and the rounded answer is at most a few rounding steps from the optimum.
_MAX_CANCELLED = 10_000


@dataclass(frozen=True, eq=False)
class PairSolution:
    """The pairs :func:`solve_pairs` chose and the prices that prove them optimal.

    ``rows``, ``cols`` and ``tracks`` (the track a pair counts under, -1 without tracks) are
    sorted by row then column, locked pairs included. ``optimal`` is True when the prices
    settled (no improving exchange exists). ``row_price`` (per row), ``track_price`` (per row
    and track, ``inf`` where the row does not want it) and ``col_price`` (per column) are the
    Bellman-Ford potentials of the mentee, mentee-track and mentor nodes: an unused pair (i, j)
    of rescaled score w could improve the answer only if ``w > p - col_price[j]`` where ``p``
    is ``row_price[i]`` for a row without tracks, else the least ``track_price[i, t]`` over the
    tracks they share. ``unit`` maps a score to that rescaled gain: ``(s - unit[0]) / unit[1]``.
    """

    rows: np.ndarray
    cols: np.ndarray
    tracks: np.ndarray
    optimal: bool
    row_price: np.ndarray
    track_price: np.ndarray
    col_price: np.ndarray
    unit: tuple[float, float] = (0.0, 1.0)

    def count(self, n_rows: int) -> np.ndarray:
        """The number of mentors of each of ``n_rows`` rows."""
        return np.bincount(self.rows, minlength=n_rows)


def track_matrices(
    wanted: Any, offered: Any, names: Any = None
) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """Boolean track matrices from the tracks each row wants and each column offers.

    Parameters
    ----------
    wanted, offered : sequence of iterables of str
        Per row (mentee) the tracks wanted; per column (mentor) the tracks offered.
    names : iterable of str, optional
        The track names, in column order (default: every name used, sorted).

    Returns
    -------
    (row_tracks, col_tracks, names)
        ``row_tracks[i, t]`` is True when row i wants track t; likewise ``col_tracks``.

    Examples
    --------
    >>> rows, cols, names = track_matrices([("career",), ()], [("career", "identity")])
    >>> rows.tolist(), cols.tolist(), names
    ([[True, False], [False, False]], [[True, True]], ('career', 'identity'))
    """
    wanted = [tuple(x) for x in wanted]
    offered = [tuple(x) for x in offered]
    if names is None:
        names = sorted({t for ts in (*wanted, *offered) for t in ts})
    names = tuple(names)
    index = {t: k for k, t in enumerate(names)}
    rows = np.zeros((len(wanted), len(names)), dtype=bool)
    cols = np.zeros((len(offered), len(names)), dtype=bool)
    for out, lists in ((rows, wanted), (cols, offered)):
        for i, ts in enumerate(lists):
            for t in ts:
                if t in index:
                    out[i, index[t]] = True
    return rows, cols, names


def _row_capacity(row_capacity: Any, n_rows: int) -> np.ndarray:
    if row_capacity is None:
        return np.ones(n_rows, dtype=np.int64)
    try:
        return _capacity(row_capacity, n_rows)
    except ValueError as exc:
        raise ValueError(
            str(exc).replace("column", "row").replace("capacit", "row capacit")
        ) from exc


def _tracks(row_tracks: Any, col_tracks: Any, n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Tracks checked, with a column that names none offering every track."""
    if row_tracks is None and col_tracks is None:
        return np.zeros((n, 0), dtype=bool), np.zeros((m, 0), dtype=bool)
    rt = np.asarray(row_tracks if row_tracks is not None else np.zeros((n, 0)), dtype=bool)
    ct = np.asarray(
        col_tracks if col_tracks is not None else np.zeros((m, rt.shape[1])), dtype=bool
    )
    if rt.ndim != 2 or ct.ndim != 2 or rt.shape[0] != n or ct.shape[0] != m:
        raise ValueError(
            f"expected row_tracks ({n}, T) and col_tracks ({m}, T), got {rt.shape} and {ct.shape}"
        )
    if rt.shape[1] != ct.shape[1]:
        raise ValueError(
            f"expected the same tracks on both sides, got {rt.shape[1]} and {ct.shape[1]}"
        )
    ct = ct.copy()
    ct[~ct.any(axis=1)] = True
    return rt, ct


@dataclass(frozen=True, eq=False)
class _Network:
    """A min-cost-flow network: arcs (``tail``, ``head``, ``cap``, ``gain``), node supplies.

    ``score_arc[k]`` is the arc carrying the score of pair k (-1 when the pair shares no track),
    ``forced`` the locked pairs' arcs (capacity 0, their unit moved into the supplies),
    ``track_of_arc`` the track an arc into a pair's tail or pair node stands for (-1 else).
    """

    n_nodes: int
    tail: np.ndarray
    head: np.ndarray
    cap: np.ndarray
    gain: np.ndarray
    tier: np.ndarray
    supply: np.ndarray
    score_arc: np.ndarray
    pair_tail: np.ndarray
    track_node: np.ndarray
    track_of_tail: np.ndarray
    pair_node_in: tuple[np.ndarray, np.ndarray, np.ndarray]
    into_pair: int
    bonus: float


def _network(
    n: int,
    m: int,
    r: np.ndarray,
    c: np.ndarray,
    w: np.ndarray,
    forced: np.ndarray,
    cap: np.ndarray,
    row_cap: np.ndarray,
    pri: np.ndarray | None,
    coverage: bool,
    tracks: tuple[np.ndarray, np.ndarray],
) -> _Network:
    """The flow network of the module docstring for pairs (``r``, ``c``) of gains ``w``."""
    rt, ct = tracks
    n_tracks = rt.shape[1]
    source, sink = 0, 1
    mentee = 2 + np.arange(n, dtype=np.int64)
    mentor = 2 + n + np.arange(m, dtype=np.int64)
    tracked = np.asarray(rt.any(axis=1) if n_tracks else np.zeros(n, dtype=bool))
    ti, tt = np.nonzero(rt & tracked[:, None])
    track_node = np.full((n, n_tracks), -1, dtype=np.int64)
    track_node[ti, tt] = 2 + n + m + np.arange(ti.size)
    next_node = 2 + n + m + ti.size

    # Each pair's tail: the mentee (no tracks), its one shared track node, or a new pair node.
    shared = rt[r] & ct[c] if n_tracks else np.zeros((r.size, 0), dtype=bool)
    n_shared = shared.sum(axis=1)
    row_tracked = tracked[r]
    usable = ~row_tracked | (n_shared > 0)
    pair_tail = np.where(row_tracked, -1, mentee[r])
    track_of_tail = np.full(r.size, -1, dtype=np.int64)
    one = row_tracked & (n_shared == 1)
    if one.any():
        t1 = np.argmax(shared[one], axis=1)
        pair_tail[one] = track_node[r[one], t1]
        track_of_tail[one] = t1
    many = np.flatnonzero(row_tracked & (n_shared > 1))
    pair_tail[many] = next_node + np.arange(many.size)
    next_node += many.size
    pk, pt = np.nonzero(shared[many]) if many.size else (np.zeros(0, np.int64),) * 2
    pair_node_in = (many[pk], pt, track_node[r[many[pk]], pt])

    bonus = float(m + 1) if coverage else 0.0
    arcs: list[tuple[np.ndarray, ...]] = []

    def add(tail: Any, head: Any, capacity: Any, gain: Any, tier: Any = 0) -> int:
        """Add arcs; returns the index of the first."""
        size = np.broadcast(tail, head).size
        arcs.append(tuple(np.broadcast_to(x, (size,)) for x in (tail, head, capacity, gain, tier)))
        return sum(a[0].size for a in arcs) - size

    if coverage:
        first_tier = 2 + (pri.astype(np.int64) if pri is not None else np.zeros(n, np.int64))
        add(source, mentee, np.minimum(row_cap, 1), first_tier * bonus, first_tier)
        add(source, mentee, np.maximum(row_cap - 1, 0), bonus, 1)
    else:
        add(source, mentee, row_cap, 0.0)
    total = int(max(min(row_cap.sum(), cap.sum()), forced.sum()))
    add(source, sink, total, 0.0)
    add(mentee[ti], track_node[ti, tt], 1, 0.0)
    into_pair = add(pair_node_in[2], pair_tail[pair_node_in[0]], 1, 0.0)
    keep = np.flatnonzero(usable)
    first_pair_arc = add(pair_tail[keep], mentor[c[keep]], np.where(forced[keep], 0, 1), w[keep])
    add(mentor, sink, cap, 0.0)
    tail, head, capacity, gain, tier = (np.concatenate([a[k] for a in arcs]) for k in range(5))
    score_arc = np.full(r.size, -1, dtype=np.int64)
    score_arc[keep] = first_pair_arc + np.arange(keep.size)
    supply = np.zeros(next_node, dtype=np.int64)
    supply[source], supply[sink] = total, -total
    lock = keep[forced[keep]]
    np.add.at(supply, pair_tail[lock], -1)
    np.add.at(supply, mentor[c[lock]], 1)
    return _Network(
        n_nodes=next_node,
        tail=tail.astype(np.int64),
        head=head.astype(np.int64),
        cap=capacity.astype(np.int64),
        gain=gain.astype(np.float64),
        tier=tier.astype(np.int64),
        supply=supply,
        score_arc=score_arc,
        pair_tail=pair_tail,
        track_node=track_node,
        track_of_tail=track_of_tail,
        pair_node_in=pair_node_in,
        into_pair=into_pair,
        bonus=bonus,
    )


def _rounded_flow(net: _Network) -> np.ndarray | None:
    """OR-Tools' optimal flow for the gains rounded to integers; None if it refuses."""
    from ortools.graph.python import min_cost_flow

    limit = _FLOW_COST_LIMIT // (net.n_nodes + 1)
    unit = max(1, limit // int(3 * max(net.bonus, 1.0) + 2))
    bonus_units = np.rint(net.bonus).astype(np.int64) * unit
    is_score = np.zeros(net.tail.size, dtype=bool)
    is_score[net.score_arc[net.score_arc >= 0]] = True
    cost = np.where(
        is_score,
        -np.rint(net.gain * unit).astype(np.int64),
        -(net.tier * bonus_units),
    )
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(net.tail, net.head, net.cap, cost)
    flow.set_nodes_supplies(np.arange(net.n_nodes, dtype=np.int64), net.supply)
    if flow.solve() != flow.OPTIMAL:
        return None
    return np.asarray(flow.flows(np.arange(net.tail.size, dtype=np.int64)), dtype=np.int64)


def _residual(net: _Network, flow: np.ndarray) -> tuple[np.ndarray, ...]:
    """Residual arcs: (tail, head, cost, original arc, direction +1 forward / -1 backward)."""
    fwd = np.flatnonzero(flow < net.cap)
    bwd = np.flatnonzero(flow > 0)
    return (
        np.concatenate((net.tail[fwd], net.head[bwd])),
        np.concatenate((net.head[fwd], net.tail[bwd])),
        np.concatenate((-net.gain[fwd], net.gain[bwd])),
        np.concatenate((fwd, bwd)),
        np.concatenate((np.ones(fwd.size, np.int64), -np.ones(bwd.size, np.int64))),
    )


def _potentials(
    n_nodes: int, tail: np.ndarray, head: np.ndarray, cost: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bellman-Ford from a root joined to every node at cost 0, only re-relaxing moved nodes.

    Returns the distances, each node's last relaxing arc (-1 if none) and the nodes still moving
    after ``n_nodes + 1`` passes (empty when they settled: then no negative cycle exists and
    every residual arc has reduced cost ``cost + d[tail] - d[head] >= 0`` up to rounding).
    """
    order = np.argsort(tail, kind="stable")
    starts = np.searchsorted(tail[order], np.arange(n_nodes + 1))
    d = np.zeros(n_nodes)
    parent = np.full(n_nodes, -1, dtype=np.int64)
    frontier = np.unique(tail)
    for _ in range(n_nodes + 1):
        if frontier.size == 0:
            break
        arc = order[_ranges(starts[frontier], starts[frontier + 1] - starts[frontier])]
        cand = d[tail[arc]] + cost[arc]
        best = d.copy()
        np.minimum.at(best, head[arc], cand)
        lowered = best < d - 1e-13 * np.maximum(1.0, np.abs(best))
        hit = lowered[head[arc]] & (cand == best[head[arc]])
        parent[head[arc[hit]]] = arc[hit]
        frontier = np.flatnonzero(lowered)
        d[frontier] = best[frontier]
    return d, parent, frontier


def _negative_cycle(
    tail: np.ndarray, cost: np.ndarray, parent: np.ndarray, moving: np.ndarray
) -> list[int]:
    """A cycle of residual arcs of negative cost among the last relaxations, or []."""
    n_nodes = parent.size
    for start in moving.tolist()[:16]:
        v = start
        for _ in range(n_nodes):
            if parent[v] < 0:
                break
            v = int(tail[parent[v]])
        if parent[v] < 0:
            continue
        cycle, x = [], v
        while True:
            a = int(parent[x])
            cycle.append(a)
            x = int(tail[a])
            if x == v or len(cycle) > n_nodes:
                break
        if x == v and float(cost[cycle].sum()) < 0:
            return cycle
    return []


def _optimal_flow(net: _Network, flow: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
    """The flow made exactly optimal (negative cycles cancelled), its potentials, and success."""
    for _ in range(_MAX_CANCELLED):
        tail, head, cost, arc, direction = _residual(net, flow)
        d, parent, moving = _potentials(net.n_nodes, tail, head, cost)
        if moving.size == 0:
            return flow, d, True
        cycle = _negative_cycle(tail, cost, parent, moving)
        if not cycle:
            return flow, d, False
        flow = flow.copy()
        np.add.at(flow, arc[cycle], direction[cycle])
    return flow, d, False


def _solve_network(
    n: int,
    m: int,
    r: np.ndarray,
    c: np.ndarray,
    w: np.ndarray,
    forced: np.ndarray,
    cap: np.ndarray,
    row_cap: np.ndarray,
    pri: np.ndarray | None,
    coverage: bool,
    tracks: tuple[np.ndarray, np.ndarray],
) -> PairSolution:
    """The optimal pairs among (``r``, ``c``) with gains ``w`` in [0, 1], and their prices."""
    net = _network(n, m, r, c, w, forced, cap, row_cap, pri, coverage, tracks)
    flow = _rounded_flow(net)
    if flow is None:
        raise ValueError(
            "expected locked pairs within both sides' capacities and tracks, got an infeasible set"
        )
    flow, d, optimal = _optimal_flow(net, flow)
    arc = net.score_arc
    used = np.flatnonzero((arc >= 0) & (forced | (flow[np.maximum(arc, 0)] > 0)))
    track = np.full(r.size, -1, dtype=np.int64)
    track[used] = net.track_of_tail[used]
    pair_k, pair_t, _ = net.pair_node_in
    # A pair shared by several tracks counts under the one whose arc into its node is used.
    carried = flow[net.into_pair + np.arange(pair_k.size)] > 0
    track[pair_k[carried]] = pair_t[carried]
    track = track[used]
    order = np.lexsort((c[used], r[used]))
    n_tracks = tracks[0].shape[1]
    track_price = np.full((n, n_tracks), np.inf)
    has = net.track_node >= 0
    track_price[has] = d[net.track_node[has]]
    return PairSolution(
        rows=r[used][order],
        cols=c[used][order],
        tracks=track[order] if n_tracks else np.full(used.size, -1, dtype=np.int64),
        optimal=optimal,
        row_price=d[2 : 2 + n].copy(),
        track_price=track_price,
        col_price=d[2 + n : 2 + n + m].copy(),
    )


def _unit_gains(
    s: np.ndarray, coverage: bool
) -> tuple[np.ndarray, np.ndarray, tuple[float, float]]:
    """Scores as gains in [0, 1], which pairs are worth keeping, and (offset, span)."""
    if coverage:
        lo = float(s.min()) if s.size else 0.0
        span = float(s.max() - lo) if s.size else 0.0
        span = span if span > 0 else 1.0
        return (s - lo) / span, np.ones(s.shape, dtype=bool), (lo, span)
    keep = s > 0
    top = float(s[keep].max()) if keep.any() else 1.0
    return s / top, keep, (0.0, top)


def solve_pairs(
    scores: Any,
    capacity: Any = None,
    row_capacity: Any = None,
    *,
    row_tracks: Any = None,
    col_tracks: Any = None,
    priority: Any = None,
    coverage: bool = True,
    locked: Any = None,
) -> PairSolution:
    """Best set of pairs with capacities on both sides and optional tracks, exactly.

    Parameters
    ----------
    scores : array_like or scipy sparse matrix/array, shape (n_rows, n_cols)
        As for :func:`mentoring.engine.assign.solve`: dense ``NaN``/``-inf`` or a missing sparse
        entry is a forbidden pair.
    capacity : array_like of int, shape (n_cols,), optional
        Mentees per column (default 1 each).
    row_capacity : array_like of int, shape (n_rows,), optional
        Mentors per row (default 1 each); 0 means the row takes nobody.
    row_tracks, col_tracks : array_like of bool, shapes (n_rows, T) and (n_cols, T), optional
        Tracks wanted and offered (see :func:`track_matrices`); a row with none has no
        per-track limit, a column with none offers every track.
    priority : array_like of bool, shape (n_rows,), optional
        Rows to give a first mentor before all others (only with ``coverage=True``).
    coverage : bool
        True: most priority rows with a mentor, then most rows with a mentor, then most pairs,
        then the highest total score. False: the highest total score (pairs of score <= 0 are
        never used).
    locked : array_like of int, shape (k, 2), optional
        (row, column) pairs to keep whatever their score; they count towards both capacities.

    Returns
    -------
    PairSolution
        ``rows``, ``cols`` and ``tracks`` of the chosen pairs, and the prices that prove them
        optimal (``optimal``).

    Raises
    ------
    ValueError
        On a bad matrix, capacity, priority or track array, or locked pairs that cannot all be
        kept together.

    See Also
    --------
    mentoring.engine.assign.solve : one mentor per mentee, no tracks (the fast default).
    mentoring.engine.certify_pairs.solve_pairs_certified : the same without the full matrix.

    Examples
    --------
    >>> import numpy as np
    >>> scores = np.array([[0.9, 0.8, 0.7], [0.6, 0.5, -np.inf]])
    >>> found = solve_pairs(scores, [1, 1, 1], [2, 1])
    >>> list(zip(found.rows.tolist(), found.cols.tolist())), found.optimal
    ([(0, 1), (0, 2), (1, 0)], True)
    >>> wants = np.array([[True, True], [True, False]])
    >>> offers = np.array([[True, False], [True, False], [False, True]])
    >>> found = solve_pairs(scores, [1, 1, 1], [2, 1], row_tracks=wants, col_tracks=offers)
    >>> list(zip(found.rows.tolist(), found.cols.tolist(), found.tracks.tolist()))
    [(0, 1, 0), (0, 2, 1), (1, 0, 0)]
    """
    n, m, r, c, s = _edges(scores)
    cap = _capacity(capacity, m)
    row_cap = _row_capacity(row_capacity, n)
    pri = _priority(priority, n) if coverage else None
    tracks = _tracks(row_tracks, col_tracks, n, m)
    lock = np.asarray(locked if locked is not None else np.zeros((0, 2)), dtype=np.int64)
    lock = lock.reshape(-1, 2)
    forced = np.zeros(r.size, dtype=bool)
    if lock.size:
        key = r * max(m, 1) + c
        lock_key = lock[:, 0] * max(m, 1) + lock[:, 1]
        missing = ~np.isin(lock_key, key)
        if missing.any():
            raise ValueError("expected every locked pair to be an allowed pair of the matrix")
        forced = np.isin(key, lock_key)
    w, keep, unit = _unit_gains(s, coverage)
    keep |= forced
    solution = _solve_network(
        n, m, r[keep], c[keep], w[keep], forced[keep], cap, row_cap, pri, coverage, tracks
    )
    return PairSolution(**{**solution.__dict__, "unit": unit})
