"""Exactness of ``solve``: brute force on tiny instances, networkx min-cost flow on small ones."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import score_instances

from mentoring.checks.audit import audit_assignment
from mentoring.engine.assign import (
    _assign,
    _edges,
    _weights,
    greedy,
    min_cost_flow_oracle,
    solve,
    total_score,
)
from mentoring.engine.certify import _assign_flow


def objective(scores, priority, assignment, coverage):
    """The lexicographic value solve maximises, as a tuple (exact counts, rounded score)."""
    a = np.asarray(assignment)
    matched = a >= 0
    total = round(total_score(scores, a), 9)
    if not coverage:
        return (total,)
    return (int((matched & priority).sum()), int(matched.sum()), total)


def brute_force(scores, capacity, priority, coverage):
    """Best objective over every assignment (each row: unassigned or an allowed column)."""
    n, m = scores.shape
    options = [[-1] + [j for j in range(m) if np.isfinite(scores[i, j])] for i in range(n)]
    best = None
    for choice in itertools.product(*options):
        load = np.bincount([j for j in choice if j >= 0], minlength=m)
        if np.any(load > capacity):
            continue
        value = objective(scores, priority, np.array(choice, dtype=np.int64), coverage)
        if best is None or value > best:
            best = value
    return best


def check(scores, capacity, assignment):
    report = audit_assignment(scores, capacity, assignment)
    assert report.ok, report.problems
    assert assignment.dtype == np.int64
    assert assignment.shape == (scores.shape[0],)


@settings(max_examples=250, deadline=None)
@given(score_instances(), st.booleans(), st.booleans())
def test_solve_matches_brute_force(instance, coverage, use_priority):
    scores, capacity, priority = instance
    if not use_priority:
        priority = np.zeros(scores.shape[0], dtype=bool)
    a = solve(scores, capacity, priority=priority, coverage=coverage)
    check(scores, capacity, a)
    assert objective(scores, priority, a, coverage) == brute_force(
        scores, capacity, priority, coverage
    )


@settings(max_examples=60, deadline=None)
@given(score_instances(), st.booleans())
def test_dense_and_sparse_kernels_agree_on_value(instance, coverage):
    scores, capacity, priority = instance
    n, m, r, c, s = _edges(scores)
    w, keep, _ = _weights(n, r, s, priority if priority.any() else None, coverage)
    dense = _assign(n, m, r[keep], c[keep], w[keep], capacity, force="dense")
    sparse = _assign(n, m, r[keep], c[keep], w[keep], capacity, force="sparse", coverage=coverage)
    check(scores, capacity, dense)
    check(scores, capacity, sparse)
    assert objective(scores, priority, dense, coverage) == objective(
        scores, priority, sparse, coverage
    )


@pytest.mark.parametrize(
    ("scores", "full"),
    [
        # Rows 0 and 1 both need column 0 (one place): nobody can seat every row.
        (np.array([[0.9, -np.inf, -np.inf], [0.8, -np.inf, -np.inf], [0.1, 0.7, 0.6]]), False),
        (np.array([[0.9, 0.2, -np.inf], [0.8, -np.inf, 0.3], [0.1, 0.7, 0.6]]), True),
    ],
)
def test_the_sparse_kernel_seats_everyone_without_private_columns_when_it_can(
    monkeypatch, scores, full
):
    import mentoring.engine.assign as assign_module

    shapes = []
    real = assign_module.min_weight_full_bipartite_matching

    def recorded(graph):
        shapes.append(graph.shape)
        return real(graph)

    monkeypatch.setattr(assign_module, "min_weight_full_bipartite_matching", recorded)
    capacity = np.array([1, 2, 2])
    n, m, r, c, s = _edges(scores)
    w, keep, _ = _weights(n, r, s, None, True)
    got = _assign(n, m, r[keep], c[keep], w[keep], capacity, force="sparse", coverage=True)
    check(scores, capacity, got)
    no_priority = np.zeros(3, dtype=bool)
    assert objective(scores, no_priority, got, True) == brute_force(
        scores, capacity, no_priority, True
    )
    places = int(np.minimum(capacity, np.isfinite(scores).sum(axis=0)).sum())
    first_try = [(3, places)]
    assert shapes == (first_try if full else [*first_try, (3, places + 3)])


def random_instance(rng, n, m, forbid=0.3, max_cap=3):
    scores = np.round(rng.random((n, m)), 3)
    scores[rng.random((n, m)) < forbid] = -np.inf
    capacity = rng.integers(0, max_cap + 1, m)
    priority = rng.random(n) < 0.2
    return scores, capacity, priority


def to_sparse(scores):
    allowed = np.isfinite(scores)
    r, c = np.nonzero(allowed)
    return sp.csr_array((scores[r, c], (r, c)), shape=scores.shape)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("coverage", [True, False])
def test_solve_matches_networkx_min_cost_flow(seed, coverage):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(5, 41)), int(rng.integers(3, 31))
    scores, capacity, priority = random_instance(rng, n, m, forbid=0.5)
    oracle = min_cost_flow_oracle(scores, capacity, priority=priority, coverage=coverage)
    check(scores, capacity, oracle)
    want = objective(scores, priority, oracle, coverage)
    for form in (scores, to_sparse(scores)):
        a = solve(form, capacity, priority=priority, coverage=coverage)
        check(scores, capacity, a)
        check(form, capacity, a)
        got = objective(scores, priority, a, coverage)
        assert got[:-1] == want[:-1]
        assert got[-1] == pytest.approx(want[-1], abs=1e-9)


def test_stored_zero_in_sparse_input_is_an_allowed_pair():
    # scipy's sparse matcher drops stored zeros; the only way to cover row 1 is its 0.0 pair.
    scores = sp.csr_array((np.array([1.0, 0.0]), (np.array([0, 1]), np.array([0, 1]))), (2, 2))
    assert scores.nnz == 2
    a = solve(scores)
    assert a.tolist() == [0, 1]
    check(scores, None, a)


def test_stored_zero_survives_the_sparse_kernel_at_scale():
    # Large enough that the sparse kernel runs; every pair has score zero and must still be used.
    n = 2500
    rows = np.arange(n)
    scores = sp.coo_array((np.zeros(n), (rows, rows)), shape=(n, n))
    a = solve(scores)
    assert np.array_equal(a, rows)
    check(scores, None, a)


def test_missing_sparse_entry_is_forbidden():
    scores = sp.csr_array(np.array([[0.0, 0.5]]))
    assert scores.nnz == 1
    a = solve(scores)
    check(scores, None, a)
    assert a.tolist() == [1]
    assert solve(sp.csr_array((1, 3))).tolist() == [-1]


def test_coverage_beats_score():
    scores = np.array([[1.0, 0.3], [0.5, -np.inf]])
    for coverage, want in ((True, [1, 0]), (False, [0, -1])):
        a = solve(scores, coverage=coverage)
        check(scores, None, a)
        assert a.tolist() == want


def test_priority_row_wins_a_contested_mentor():
    # Mentor 0 can take either the priority row 2 or rows 0 and 1 (via the only places left).
    scores = np.array([[1.0, -np.inf], [-np.inf, 1.0], [0.1, 0.1]])
    capacity = np.array([1, 1])
    priority = np.array([False, False, True])
    a = solve(scores, capacity, priority=priority)
    check(scores, capacity, a)
    assert a[2] >= 0
    assert (a >= 0).sum() == 2


def test_quality_mode_leaves_zero_and_negative_pairs_unused():
    scores = np.array([[0.0, -0.5], [-0.2, 0.3]])
    a = solve(scores, coverage=False)
    check(scores, None, a)
    assert a.tolist() == [-1, 1]
    a = solve(scores)
    check(scores, None, a)
    assert a.tolist() == [0, 1]


def test_capacity_zero_and_capacity_above_rows():
    scores = np.array([[0.9, 0.1], [0.8, 0.2], [0.7, 0.3]])
    for capacity, want in (([0, 5], [1, 1, 1]), ([5, 0], [0, 0, 0])):
        a = solve(scores, capacity)
        check(scores, capacity, a)
        assert a.tolist() == want


@pytest.mark.parametrize("shape", [(0, 0), (2, 0), (0, 3)])
def test_degenerate_shapes(shape):
    scores = np.zeros(shape)
    a = solve(scores, np.ones(shape[1], dtype=int))
    check(scores, np.ones(shape[1], dtype=int), a)
    assert a.tolist() == [-1] * shape[0]
    assert greedy(scores).tolist() == [-1] * shape[0]
    assert min_cost_flow_oracle(scores).tolist() == [-1] * shape[0]


def test_is_deterministic():
    rng = np.random.default_rng(3)
    scores, capacity, priority = random_instance(rng, 60, 40)
    scores = np.round(scores, 1)
    first = solve(scores, capacity, priority=priority)
    check(scores, capacity, first)
    for _ in range(3):
        assert np.array_equal(solve(scores, capacity, priority=priority), first)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scores": np.zeros(3)}, "expected a 2-D score matrix, got an array of shape"),
        ({"scores": np.zeros((2, 2, 2))}, "expected a 2-D score matrix"),
        ({"scores": np.full((1, 1), np.inf)}, "expected finite scores"),
        ({"capacity": [1]}, r"expected capacity with one entry per column \(2\)"),
        ({"capacity": [1.0, np.nan]}, "got NaN"),
        ({"capacity": [1, -1]}, "expected capacities >= 0, got -1"),
        ({"capacity": [1, 0.5]}, "got a fraction"),
        ({"capacity": ["a", "b"]}, "expected whole-number capacities"),
        ({"priority": [True]}, r"expected priority with one entry per row \(2\)"),
        ({"priority": [1, 0]}, "expected a boolean priority array"),
    ],
)
def test_invalid_arguments_are_named(kwargs, message):
    args = {"scores": np.ones((2, 2)), "capacity": None, "priority": None} | kwargs
    with pytest.raises(ValueError, match=message):
        solve(args["scores"], args["capacity"], priority=args["priority"])


def test_solve_never_scores_below_greedy():
    rng = np.random.default_rng(11)
    for _ in range(5):
        scores, capacity, _ = random_instance(rng, 80, 30, forbid=0.2, max_cap=4)
        g = greedy(scores, capacity)
        a = solve(scores, capacity, coverage=False)
        check(scores, capacity, g)
        check(scores, capacity, a)
        assert total_score(scores, a) >= total_score(scores, g) - 1e-9


def test_greedy_takes_best_pairs_first_with_ties_by_lowest_column():
    scores = np.array([[0.5, 0.5], [0.5, 0.4]])
    assert greedy(scores).tolist() == [0, 1]
    assert greedy(sp.csr_array(scores)).tolist() == [0, 1]


def test_total_score_dense_and_sparse():
    scores = np.array([[0.5, -np.inf], [0.0, 0.25]])
    a = np.array([0, 1])
    assert total_score(scores, a) == 0.75
    assert total_score(to_sparse(scores), a) == 0.75
    assert total_score(scores, np.array([-1, -1])) == 0.0


def test_non_canonical_sparse_input_with_duplicates_is_summed():
    # COO input may repeat a pair; scipy's convention is that duplicates add up.
    scores = sp.coo_array(
        (np.array([0.25, 0.5, 0.5]), (np.array([0, 0, 1]), np.array([1, 1, 0]))), shape=(2, 2)
    )
    a = solve(scores, coverage=False)
    check(scores, None, a)
    assert a.tolist() == [1, 0]
    assert total_score(scores, a) == 1.25


def flow_kernel(scores, capacity, priority, coverage):
    """``_assign_flow`` on the unit scores ``solve_certified`` gives it."""
    n, m, r, c, s = _edges(scores)
    pri = priority if coverage and priority.any() else None
    if coverage:
        span = s.max() - s.min() if s.size and s.max() > s.min() else 1.0
        unit = (s - (s.min() if s.size else 0.0)) / span
    else:
        keep = s > 0
        r, c, s = r[keep], c[keep], s[keep]
        unit = s / s.max() if s.size else s
    return _assign_flow(n, m, r, c, unit, capacity, pri, coverage)


@settings(max_examples=150, deadline=None)
@given(score_instances(), st.booleans(), st.booleans())
def test_flow_kernel_matches_brute_force(instance, coverage, use_priority):
    scores, capacity, priority = instance
    if not use_priority:
        priority = np.zeros(scores.shape[0], dtype=bool)
    a = flow_kernel(scores, capacity, priority, coverage)
    check(scores, capacity, a)
    assert objective(scores, priority, a, coverage) == brute_force(
        scores, capacity, priority, coverage
    )


@pytest.mark.parametrize("seed", range(4))
def test_flow_kernel_agrees_with_scipy_kernel_on_larger_instances(seed):
    rng = np.random.default_rng(seed)
    scores, capacity, priority = random_instance(rng, 300, 80, forbid=0.6, max_cap=2)
    for coverage in (True, False):
        a = flow_kernel(scores, capacity, priority, coverage)
        check(scores, capacity, a)
        want = solve(scores, capacity, priority=priority, coverage=coverage)
        assert objective(scores, priority, a, coverage) == objective(
            scores, priority, want, coverage
        )
