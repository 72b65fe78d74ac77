"""The scan's summaries: each mentee's best mentors for the alternatives."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import score_instances

from mentoring.engine.certify import Candidates
from mentoring.engine.scan import Scan, top_columns


@settings(max_examples=150, deadline=None)
@given(
    score_instances(max_rows=6, max_cols=7, allow_negative=True),
    st.integers(1, 4),
    st.randoms(use_true_random=False),
    st.booleans(),
)
def test_best_from_candidates_ranks_as_top_columns_does_on_the_same_pairs(
    instance, top, random, shuffled
):
    # The alternatives come from the candidates without sorting them: every row's best few,
    # best first, ties to the lower column, exactly as top_columns ranks a block.
    scores, _, _ = instance
    n, m = scores.shape
    rows, cols = np.nonzero(scores > -np.inf)
    keep = np.array([random.random() < 0.7 for _ in rows], dtype=bool)
    rows, cols = rows[keep], cols[keep]
    if shuffled:
        order = np.array(random.sample(range(rows.size), rows.size), dtype=np.int64)
        rows, cols = rows[order], cols[order]
    scan = Scan(n, m, top)
    scan.feasible_per_row[:] = m
    found = Candidates(rows, cols, scores[rows, cols], np.zeros(n), 0.0, 1.0)
    again = scan.best_from_candidates(found)
    if m == 0:
        return
    only = np.full((n, m), -np.inf)
    only[rows, cols] = scores[rows, cols]
    want = top_columns(only, scan.top)
    want = np.where(np.take_along_axis(only, want, axis=1) > -np.inf, want, -1)
    assert scan.top_cols.tolist() == want.tolist()
    held = (want >= 0).sum(axis=1)
    assert again.tolist() == np.flatnonzero(held < min(m, scan.top)).tolist()
