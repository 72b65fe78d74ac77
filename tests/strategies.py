"""Shared hypothesis strategies for matching instances and free-text answers.

``score_instances()`` draws small (scores, capacity, priority) triples with the awkward features
that break solvers: forbidden pairs (``-inf``), ties, zero and negative scores, zero capacities,
empty shapes and priority rows.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

__all__ = ["answers", "pair_instances", "pairs_feasible", "score_instances"]


@st.composite
def score_instances(
    draw: st.DrawFn,
    max_rows: int = 5,
    max_cols: int = 4,
    max_capacity: int = 3,
    allow_negative: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A small instance: scores (``-inf`` = forbidden), integer capacities, boolean priority.

    Scores come from a short list of values so that ties are common.
    """
    n = draw(st.integers(0, max_rows))
    m = draw(st.integers(0, max_cols))
    values = [0.0, 0.25, 0.5, 0.75, 1.0, -np.inf]
    if allow_negative:
        values.append(-0.5)
    cells = draw(st.lists(st.sampled_from(values), min_size=n * m, max_size=n * m))
    scores = np.array(cells, dtype=np.float64).reshape(n, m)
    capacity = np.array(
        draw(st.lists(st.integers(0, max_capacity), min_size=m, max_size=m)), dtype=np.int64
    )
    priority = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    return scores, capacity, priority


@st.composite
def pair_instances(
    draw: st.DrawFn,
    max_rows: int = 3,
    max_cols: int = 3,
    max_capacity: int = 2,
    max_row_capacity: int = 3,
    max_tracks: int = 2,
) -> dict:
    """A small instance with capacities on both sides, optional tracks and locked pairs.

    Returns a dict: ``scores`` (``-inf`` = forbidden), ``capacity``, ``row_capacity``,
    ``priority``, ``row_tracks``/``col_tracks`` (None without tracks) and ``locked`` (a set of
    (row, col) pairs that can be kept together: drawn in order and kept while they fit).
    """
    scores, capacity, priority = draw(
        score_instances(max_rows, max_cols, max_capacity, allow_negative=True)
    )
    n, m = scores.shape
    row_capacity = np.array(
        draw(st.lists(st.integers(0, max_row_capacity), min_size=n, max_size=n)), dtype=np.int64
    )
    n_tracks = draw(st.integers(0, max_tracks))
    row_tracks = col_tracks = None
    if n_tracks:
        row_tracks = np.array(
            draw(st.lists(st.booleans(), min_size=n * n_tracks, max_size=n * n_tracks)), dtype=bool
        ).reshape(n, n_tracks)
        col_tracks = np.array(
            draw(st.lists(st.booleans(), min_size=m * n_tracks, max_size=m * n_tracks)), dtype=bool
        ).reshape(m, n_tracks)
    allowed = [(i, j) for i in range(n) for j in range(m) if np.isfinite(scores[i, j])]
    wanted = draw(st.lists(st.sampled_from(allowed), max_size=3, unique=True)) if allowed else []
    locked: list[tuple[int, int]] = []
    for pair in wanted:
        if pairs_feasible([*locked, pair], capacity, row_capacity, row_tracks, col_tracks):
            locked.append(pair)
    return {
        "scores": scores,
        "capacity": capacity,
        "row_capacity": row_capacity,
        "priority": priority,
        "row_tracks": row_tracks,
        "col_tracks": col_tracks,
        "locked": locked,
    }


def pairs_feasible(pairs, capacity, row_capacity, row_tracks=None, col_tracks=None) -> bool:
    """Whether a list of (row, col) pairs respects both capacities, uniqueness and tracks.

    With tracks, a row that wants some must be able to give each of its pairs a different track
    that both sides share (a mentor who offers none offers every track); checked by trying every
    assignment of tracks, which is fine at the sizes drawn here.
    """
    import itertools
    from collections import Counter

    if len(set(pairs)) != len(pairs):
        return False
    rows = Counter(i for i, _ in pairs)
    cols = Counter(j for _, j in pairs)
    if any(k > row_capacity[i] for i, k in rows.items()):
        return False
    if any(k > capacity[j] for j, k in cols.items()):
        return False
    if row_tracks is None or row_tracks.shape[1] == 0:
        return True
    for i in rows:
        if not row_tracks[i].any():
            continue
        mine = [j for r, j in pairs if r == i]
        options = []
        for j in mine:
            offered = col_tracks[j] if col_tracks[j].any() else np.ones_like(col_tracks[j])
            options.append(
                [t for t in range(row_tracks.shape[1]) if row_tracks[i, t] and offered[t]]
            )
        if not any(len(set(choice)) == len(choice) for choice in itertools.product(*options)):
            return False
    return True


def answers(max_answers: int = 8) -> st.SearchStrategy[list[str]]:
    """Free-text answers as members type them: any characters, spaces and new lines included."""
    return st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=max_answers)
