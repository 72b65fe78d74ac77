"""The two kernels the certificate rests on: OR-Tools' min-cost flow on a candidate graph, and
the LP dual prices that check any answer against the exact scores.

The flow kernel works on integer costs (scores rounded to a grid of about 1e-12 of their
range), so its answer is only trusted once :func:`_dual_prices` confirms it.

>>> import numpy as np
>>> rows, cols = np.array([0, 0, 1]), np.array([0, 1, 0])
>>> _assign_flow(2, 2, rows, cols, np.array([0.9, 0.8, 0.7]), np.array([1, 1]), None, True).tolist()
[1, 0]
"""

from __future__ import annotations

import numpy as np

from mentoring.engine.assign import _ranges

__all__: list[str] = []


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


# Prices from an optimal answer settled within a few hundred passes in every measurement here,
# even in tight markets; a positive cycle (an answer that is not optimal) never settles.
_MAX_RELAX_PASSES = 10_000


def _dual_prices(
    n_rows: int,
    n_cols: int,
    r: np.ndarray,
    c: np.ndarray,
    w: np.ndarray,
    assignment: np.ndarray,
    w_assigned: np.ndarray,
    max_passes: int = _MAX_RELAX_PASSES,
) -> tuple[np.ndarray, np.ndarray, bool, int]:
    """Row and column prices (u, v) feasible for every candidate pair, from an optimal answer,
    whether they settled, and the passes they took.

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
    passes = 0
    while frontier.size and passes < max_passes:
        passes += 1
        edge = _ranges(starts[frontier], starts[frontier + 1] - starts[frontier])
        best = v.copy()
        np.maximum.at(best, dst[edge], v[src[edge]] + gain[edge])
        raised = best > v + 1e-13 * np.maximum(1.0, np.abs(best))
        frontier = np.flatnonzero(raised)
        v[frontier] = best[frontier]
    converged = frontier.size == 0
    u = np.zeros(n_rows)
    rows = np.flatnonzero(matched)
    u[rows] = np.maximum(0.0, w_assigned[rows] - v[assignment[rows]])
    return u, v, converged, passes
