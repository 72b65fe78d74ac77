"""Shared hypothesis strategies for matching instances.

``score_instances()`` draws small (scores, capacity, priority) triples with the awkward features
that break solvers: forbidden pairs (``-inf``), ties, zero and negative scores, zero capacities,
empty shapes and priority rows.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

__all__ = ["score_instances"]


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
