"""``solve_certified``: the certificate catches what top-k pruning gets wrong, and repairs it."""

from __future__ import annotations

import dataclasses
import importlib
import sys
import threading
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import score_instances

from mentoring.checks.audit import audit_assignment
from mentoring.engine import blocks
from mentoring.engine.assign import greedy, solve, total_score
from mentoring.engine.certify import solve_certified

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from cohort import make_cohort

# The package exports the function solve under the same name as its module.
solve_module = importlib.import_module("mentoring.engine.certify")


@pytest.fixture(autouse=True)
def flow_kernel_at_every_size(monkeypatch):
    """Small graphs normally go to scipy's matcher; here the flow kernel and its check run too."""
    monkeypatch.setattr(solve_module, "_FLOW_MIN_PAIRS", 0)


def value(scores, priority, assignment, coverage):
    matched = assignment >= 0
    total = round(total_score(scores, assignment), 9)
    if not coverage:
        return (total,)
    return (int((matched & priority).sum()), int(matched.sum()), total)


def certified(scores, capacity, **kwargs):
    n, m = scores.shape
    sol = solve_certified(lambda rows: scores[rows], n, m, capacity, **kwargs)
    assert audit_assignment(scores, capacity, sol.assignment).ok
    assert sol.assignment.dtype == np.int64
    assert sol.total == pytest.approx(total_score(scores, sol.assignment), abs=1e-9)
    return sol


def flow_solve_sizes(monkeypatch):
    """The number of pairs each later flow solve is given, in order."""
    sizes = []
    real_flow = solve_module._assign_flow

    def counted_flow(*args):
        sizes.append(args[2].size)
        return real_flow(*args)

    monkeypatch.setattr(solve_module, "_assign_flow", counted_flow)
    return sizes


def top_k_only(scores, k):
    """The candidate graph of each row's k best columns, nothing else."""
    n, m = scores.shape
    idx = np.argpartition(scores, m - k, axis=1)[:, m - k :]
    rows = np.repeat(np.arange(n), k)
    vals = scores[rows, idx.ravel()]
    keep = np.isfinite(vals)
    return sp.csr_array((vals[keep], (rows[keep], idx.ravel()[keep])), shape=(n, m))


@pytest.mark.parametrize("coverage", [True, False])
def test_certificate_repairs_what_top_k_pruning_gets_wrong(coverage):
    # Popular mentors with one or two places: many mentees share the same top two.
    cohort = make_cohort(200, 100, seed=7)
    scores = cohort.dense().astype(np.float64)
    capacity = np.random.default_rng(1).integers(1, 3, 100)
    best = solve(scores, capacity, coverage=coverage)
    pruned = solve(top_k_only(scores, 2), capacity, coverage=coverage)
    assert total_score(scores, pruned) < total_score(scores, best) - 1.0
    sol = certified(scores, capacity, k=2, coverage=coverage)
    assert sol.certified
    assert sol.rounds > 1
    no_priority = np.zeros(200, dtype=bool)
    assert value(scores, no_priority, sol.assignment, coverage) == value(
        scores, no_priority, best, coverage
    )
    assert sol.bound == pytest.approx(sol.total, abs=1e-6)


def test_ties_everywhere():
    scores = np.full((12, 5), 0.5)
    capacity = np.array([1, 2, 0, 3, 1])
    sol = certified(scores, capacity, k=1, chunk_rows=5)
    assert sol.certified
    assert (sol.assignment >= 0).sum() == 7
    assert sol.total == pytest.approx(3.5)
    assert sol.bound == pytest.approx(3.5)


def test_row_with_every_candidate_forbidden():
    scores = np.array(
        [
            [-np.inf, -np.inf, -np.inf],
            [0.2, np.nan, -np.inf],
            [0.9, 0.8, 0.7],
        ]
    )
    sol = certified(scores, [1, 1, 1], k=2)
    assert sol.certified
    assert sol.assignment.tolist() == [-1, 0, 1]


def test_forbidden_best_pairs_fall_back_to_pruned_ones():
    # Everyone's best mentor is the same one: with k=1 the other places come from the check.
    scores = np.array([[1.0, 0.9, 0.1, -np.inf], [1.0, 0.9, -np.inf, -np.inf], [1.0, 0.9, 0, 0]])
    sol = certified(scores, [1, 1, 1, 1], k=1, chunk_rows=1)
    assert sol.certified
    assert value(scores, np.zeros(3, bool), sol.assignment, True) == value(
        scores, np.zeros(3, bool), solve(scores, [1, 1, 1, 1]), True
    )


def test_float32_blocks_and_priority():
    rng = np.random.default_rng(5)
    scores = rng.random((60, 20)).astype(np.float32)
    scores[rng.random((60, 20)) < 0.4] = -np.inf
    capacity = rng.integers(0, 3, 20)
    priority = rng.random(60) < 0.3
    sol = certified(scores, capacity, k=3, priority=priority)
    want = solve(scores.astype(np.float64), capacity, priority=priority)
    assert sol.certified
    assert value(scores, priority, sol.assignment, True) == value(scores, priority, want, True)


@settings(max_examples=120, deadline=None)
@given(
    score_instances(max_rows=8, max_cols=6),
    st.booleans(),
    st.integers(1, 4),
    st.integers(1, 5),
)
def test_random_instances_match_dense_solve(instance, coverage, k, chunk_rows):
    scores, capacity, priority = instance
    sol = certified(
        scores, capacity, priority=priority, coverage=coverage, k=k, chunk_rows=chunk_rows
    )
    want = solve(scores, capacity, priority=priority, coverage=coverage)
    assert sol.certified
    assert value(scores, priority, sol.assignment, coverage) == value(
        scores, priority, want, coverage
    )
    assert sol.bound == pytest.approx(sol.total, abs=1e-6)


@pytest.mark.parametrize("seed", range(4))
def test_medium_random_cohorts_match_dense_solve(seed):
    rng = np.random.default_rng(seed)
    scores = np.round(rng.random((300, 120)), 2)
    scores[rng.random(scores.shape) < 0.5] = -np.inf
    capacity = rng.integers(0, 4, 120)
    priority = rng.random(300) < 0.1
    for coverage in (True, False):
        sol = certified(scores, capacity, priority=priority, coverage=coverage, k=4, chunk_rows=64)
        want = solve(scores, capacity, priority=priority, coverage=coverage)
        assert sol.certified
        assert value(scores, priority, sol.assignment, coverage) == value(
            scores, priority, want, coverage
        )


def test_reads_blocks_only_and_rescans_few_rows():
    cohort = make_cohort(3000, 1500)
    asked = []

    def score_rows(rows):
        asked.append(rows.size)
        return cohort.score_rows(rows)

    sol = solve_certified(score_rows, 3000, 1500, cohort.capacity, chunk_rows=500)
    assert sol.certified
    assert max(asked) <= 500
    # The candidate pass reads every row once; the certificate re-reads only rows near their price.
    assert sum(asked) < 2 * 3000
    assert set(sol.seconds) == {"candidates", "solve", "certify"}
    assert sol.n_candidates >= 3000


def test_quality_mode_bound_is_an_upper_bound_on_any_assignment():
    rng = np.random.default_rng(2)
    scores = rng.random((40, 10)) - 0.3
    capacity = rng.integers(1, 3, 10)
    sol = certified(scores, capacity, coverage=False, k=2)
    assert sol.certified
    assert total_score(scores, solve(scores, capacity, coverage=False)) <= sol.bound + 1e-9
    assert np.all(
        scores[np.flatnonzero(sol.assignment >= 0), sol.assignment[sol.assignment >= 0]] > 0
    )


@pytest.mark.parametrize("shape", [(0, 0), (3, 0), (0, 4)])
def test_degenerate_shapes(shape):
    sol = solve_certified(lambda rows: np.zeros((rows.size, shape[1])), *shape, [1] * shape[1])
    assert sol.assignment.tolist() == [-1] * shape[0]
    assert sol.certified


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"score_rows": lambda rows: np.zeros((rows.size, 2))}, r"expected score_rows to return"),
        ({"score_rows": lambda rows: np.full((rows.size, 3), np.inf)}, "got \\+inf"),
        ({"n_rows": -1}, "expected n_rows to be a whole number >= 0, got -1"),
        ({"k": 0}, "expected k to be a whole number >= 1, got 0"),
        ({"chunk_rows": 0}, "expected chunk_rows to be a whole number >= 1"),
        ({"workers": 0}, "expected workers to be a whole number >= 1, got 0"),
        ({"capacity": [1, 1]}, r"expected capacity with one entry per column \(3\)"),
    ],
)
def test_invalid_arguments_are_named(kwargs, message):
    args = {
        "score_rows": lambda rows: np.ones((rows.size, 3)),
        "n_rows": 2,
        "capacity": [1, 1, 1],
    } | kwargs
    extra = {key: args[key] for key in ("k", "chunk_rows", "workers") if key in args}
    with pytest.raises(ValueError, match=message):
        solve_certified(args["score_rows"], args["n_rows"], 3, args["capacity"], **extra)


def test_regression_every_pair_forbidden_gives_an_empty_candidate_set():
    # Once crashed while removing duplicate candidates from an empty list.
    scores = np.full((4, 3), -np.inf)
    sol = certified(scores, [1, 1, 1], k=1, chunk_rows=2)
    assert sol.assignment.tolist() == [-1] * 4
    assert sol.certified
    assert sol.n_candidates == 0


def test_flow_answer_the_prices_reject_is_redone_by_the_exact_kernel(monkeypatch):
    # The flow kernel rounds scores to integers; should its answer ever not be optimal for the
    # exact scores, the prices must notice and the exact kernel take over.
    cohort = make_cohort(200, 100, seed=7)
    scores = cohort.dense().astype(np.float64)
    capacity = np.random.default_rng(1).integers(1, 3, 100)
    exact_calls = []
    real_assign = solve_module._assign

    def worse_flow(n, m, r, c, unit, cap, priority, coverage):
        return greedy(sp.csr_array((unit + 1.0, (r, c)), shape=(n, m)), cap)

    def counted_assign(*args, **kwargs):
        exact_calls.append(1)
        return real_assign(*args, **kwargs)

    monkeypatch.setattr(solve_module, "_assign_flow", worse_flow)
    monkeypatch.setattr(solve_module, "_assign", counted_assign)
    sol = certified(scores, capacity, k=3)
    assert sol.certified
    assert exact_calls
    best = solve(scores, capacity)
    no_priority = np.zeros(200, dtype=bool)
    assert value(scores, no_priority, sol.assignment, True) == value(
        scores, no_priority, best, True
    )


def test_flow_kernel_refusing_the_instance_falls_back_to_the_exact_kernel(monkeypatch):
    monkeypatch.setattr(solve_module, "_assign_flow", lambda *args: None)
    cohort = make_cohort(150, 60, seed=3)
    scores = cohort.dense().astype(np.float64)
    sol = certified(scores, cohort.capacity, k=4)
    assert sol.certified
    assert sol.total == pytest.approx(total_score(scores, solve(scores, cohort.capacity)))


def test_two_workers_read_blocks_in_parallel_and_give_the_same_answer():
    cohort = make_cohort(3000, 1500)
    threads = set()

    def score_rows(rows):
        threads.add(threading.get_ident())
        return cohort.score_rows(rows)

    one = solve_certified(cohort.score_rows, 3000, 1500, cohort.capacity, chunk_rows=100)
    two = solve_certified(score_rows, 3000, 1500, cohort.capacity, chunk_rows=100, workers=2)
    assert len(threads) == 2
    assert one.certified and two.certified
    assert two.assignment.tolist() == one.assignment.tolist()
    assert two.total == one.total


@pytest.mark.parametrize("coverage", [True, False])
def test_regression_blocks_that_are_views_of_the_callers_array_are_not_written_to(coverage):
    # Skipping the copy of a clean block must not turn into writing -inf into a dirty one.
    rng = np.random.default_rng(4)
    scores = rng.random((30, 8)) - 0.2
    scores[rng.random((30, 8)) < 0.2] = np.nan
    before = scores.copy()

    def score_rows(rows):
        if np.array_equal(rows, np.arange(rows[0], rows[0] + rows.size)):
            return scores[rows[0] : rows[0] + rows.size]
        return scores[rows]

    sol = solve_certified(
        score_rows,
        30,
        8,
        [2, 0, 1, 3, 1, 2, 1, 1],
        coverage=coverage,
        k=2,
        chunk_rows=7,
    )
    assert sol.certified
    np.testing.assert_array_equal(scores, before)


@pytest.mark.parametrize("active_slack", [1e-9, 0.05, 10.0])
@pytest.mark.parametrize("coverage", [True, False])
def test_solving_again_on_the_pairs_near_their_prices_keeps_the_optimum(
    monkeypatch, active_slack, coverage
):
    # With a tiny margin almost every candidate sits out the later solves and has to be woken
    # up by the price check; with a huge one every candidate stays in. Both must be exact.
    monkeypatch.setattr(solve_module, "_ACTIVE_SLACK", active_slack)
    cohort = make_cohort(200, 100, seed=7)
    scores = cohort.dense().astype(np.float64)
    capacity = np.random.default_rng(1).integers(1, 3, 100)
    solves = flow_solve_sizes(monkeypatch)
    sol = certified(scores, capacity, k=2, coverage=coverage)
    assert sol.certified
    assert len(solves) > 1
    if active_slack < 1:
        assert solves[-1] < sol.n_candidates, "the last solve used only part of the graph"
    else:
        # Every candidate stays in: each solve takes the whole graph, which only grows.
        assert solves == sorted(solves)
    best = solve(scores, capacity, coverage=coverage)
    no_priority = np.zeros(200, dtype=bool)
    assert value(scores, no_priority, sol.assignment, coverage) == value(
        scores, no_priority, best, coverage
    )


@settings(max_examples=40, deadline=None)
@given(
    instance=score_instances(max_rows=12, max_cols=12),
    coverage=st.booleans(),
    k=st.integers(1, 4),
    noise=st.sampled_from([0.0, 1e-3, 0.2]),
    seed=st.integers(0, 1000),
    hide_best=st.booleans(),
)
def test_a_first_pass_on_an_estimate_within_its_error_reaches_the_optimum(
    instance, coverage, k, noise, seed, hide_best
):
    # The first pass ranks the estimate and keeps pairs by it: with noise as large as the
    # scores' spread, the pairs kept are far from each row's best, and only a bound widened by
    # the error still covers the pairs left out. Hiding each row's best pair (estimated low,
    # the others exactly) leaves it out whenever k is 1.
    scores, capacity, priority = instance
    n, m = scores.shape
    rng = np.random.default_rng(seed)
    allowed = np.isfinite(scores)
    shift = rng.uniform(-noise, noise, scores.shape)
    if hide_best and m:
        shift[:] = 0.0
        shift[np.arange(n), np.argmax(scores, axis=1)] = -noise
    shifted = np.where(allowed, scores + shift, -np.inf)
    estimate = shifted.astype(np.float32)
    gap = np.zeros(scores.shape)
    gap[allowed] = estimate[allowed] - scores[allowed]
    error = np.abs(gap).max(axis=1, initial=0.0)

    def estimate_rows(rows):
        def exact(local, cols):
            assert np.isfinite(scores[rows[local], cols]).all(), "only allowed pairs are scored"
            return scores[rows[local], cols]

        return estimate[rows].copy(), error[rows], exact

    sol = solve_certified(
        lambda rows: scores[rows],
        n,
        m,
        capacity,
        priority=priority,
        coverage=coverage,
        k=k,
        estimate_rows=estimate_rows,
    )
    want = solve(scores, capacity, priority=priority, coverage=coverage)
    assert sol.certified
    assert value(scores, priority, sol.assignment, coverage) == value(
        scores, priority, want, coverage
    )
    assert audit_assignment(scores, capacity, sol.assignment).ok
    assert sol.total == pytest.approx(total_score(scores, sol.assignment), abs=1e-9)


@pytest.mark.parametrize("coverage", [True, False])
@pytest.mark.parametrize("seed", range(4))
def test_an_estimate_that_hides_each_rows_best_pair_still_reaches_the_optimum(coverage, seed):
    # Each row's best pair is estimated 0.6 low, every other exactly: the first pass keeps the
    # next best, whose scores and estimates agree, and only a bound widened by the error
    # sends the certificate back to the best ones.
    rng = np.random.default_rng(seed)
    scores = rng.random((60, 40))
    estimate = scores.copy()
    estimate[np.arange(60), np.argmax(scores, axis=1)] -= 0.6
    capacity = np.full(40, 2)
    sol = solve_certified(
        lambda rows: scores[rows],
        60,
        40,
        capacity,
        coverage=coverage,
        k=2,
        estimate_rows=lambda rows: (
            estimate[rows].astype(np.float32),
            np.full(rows.size, 0.6),
            lambda local, cols: scores[rows[local], cols],
        ),
    )
    want = solve(scores, capacity, coverage=coverage)
    no_priority = np.zeros(60, dtype=bool)
    assert sol.certified
    assert value(scores, no_priority, sol.assignment, coverage) == value(
        scores, no_priority, want, coverage
    )


def test_the_first_pass_scores_the_pairs_it_keeps_from_an_estimate():
    scores = np.array([[0.9, 0.8, 0.1], [0.9, 0.2, 0.1], [0.3, 0.2, 0.1]])
    asked = []

    def estimate_rows(rows):
        def exact(local, cols):
            asked.extend(zip(rows[local].tolist(), cols.tolist(), strict=True))
            return scores[rows[local], cols]

        return scores[rows].astype(np.float32), np.full(rows.size, 1e-7), exact

    sol = solve_certified(
        lambda rows: scores[rows], 3, 3, [1, 1, 1], k=1, estimate_rows=estimate_rows
    )
    assert sol.certified and sol.assignment.tolist() == [1, 0, 2]
    assert {(0, 0), (1, 0), (2, 0)} <= set(asked)


@pytest.mark.parametrize("workers", [1, 2])
def test_each_block_is_estimated_with_what_was_prepared_for_its_run(monkeypatch, workers):
    monkeypatch.setattr(blocks, "_RUN_ROWS", 9)
    rng = np.random.default_rng(3)
    scores = rng.random((40, 25))
    prepared_runs, asked = [], []

    def prepare_rows(run):
        prepared_runs.append(run.tolist())
        return (run.copy(), threading.get_ident())

    def estimate_rows(rows, prepared):
        run, thread = prepared
        asked.append(rows.tolist())
        assert set(rows.tolist()) <= set(run.tolist()) and thread == threading.get_ident()
        return (
            scores[rows].astype(np.float32),
            np.full(rows.size, 1e-7),
            (lambda local, cols: scores[rows[local], cols]),
        )

    sol = solve_certified(
        lambda rows: scores[rows],
        40,
        25,
        np.full(25, 2),
        k=3,
        chunk_rows=3,
        workers=workers,
        estimate_rows=estimate_rows,
        prepare_rows=prepare_rows,
    )
    # Runs of three blocks of three rows, the last ones cut short by the rows left.
    assert prepared_runs[0] == list(range(9)) and len(prepared_runs) == 5
    assert sorted(r for run in prepared_runs for r in run) == list(range(40))
    assert sorted(r for rows in asked for r in rows) == list(range(40))
    assert all(len(rows) <= 3 for rows in asked)
    want = solve(scores, np.full(25, 2))
    assert sol.certified
    assert value(scores, np.zeros(40, bool), sol.assignment, True) == value(
        scores, np.zeros(40, bool), want, True
    )


@pytest.mark.parametrize("error", [np.inf, np.nan, -1.0])
def test_an_estimates_error_must_be_a_finite_size(error):
    scores = np.array([[0.5]])
    with pytest.raises(ValueError, match="error"):
        solve_certified(
            lambda rows: scores[rows],
            1,
            1,
            [1],
            estimate_rows=lambda rows: (
                scores[rows],
                np.full(rows.size, error),
                lambda local, cols: scores[rows[local], cols],
            ),
        )


@pytest.mark.parametrize("coverage", [True, False])
def test_a_grown_graph_is_priced_before_it_is_solved_again(monkeypatch, coverage):
    # Woken and added pairs violate the last prices, yet the answer is often still optimal on
    # the grown graph: a pricing proves it, and the solve it replaces was the cost.
    monkeypatch.setattr(solve_module, "_ACTIVE_SLACK", 1e-9)
    cohort = make_cohort(200, 100, seed=10)
    scores = cohort.dense().astype(np.float64)
    capacity = np.random.default_rng(1).integers(1, 3, 100)
    outcomes = []
    real = solve_module._priced_again

    def recorded(*args):
        found = real(*args)
        outcomes.append(found is not None)
        return found

    monkeypatch.setattr(solve_module, "_priced_again", recorded)
    repriced = certified(scores, capacity, k=2, coverage=coverage)
    monkeypatch.setattr(solve_module, "_priced_again", lambda *args: None)
    solved = certified(scores, capacity, k=2, coverage=coverage)
    assert repriced.certified and solved.certified
    assert any(outcomes) and not all(outcomes)
    assert repriced.rounds < solved.rounds
    best = solve(scores, capacity, coverage=coverage)
    no_priority = np.zeros(200, dtype=bool)
    assert value(scores, no_priority, repriced.assignment, coverage) == value(
        scores, no_priority, best, coverage
    )


def test_repricing_does_not_keep_an_answer_a_solve_would_improve_by_less_than_the_summed_tolerance():
    # At 200,000 members a grown graph was priced and the old answer kept although a solve
    # gave 0.0015 more: the certificate allows a gap of its tolerance per row, summed over every
    # row. Here one row is left out though a place is free for it at a weight of 1e-10: within
    # that sum, but a solve would seat it, so the grown graph must be solved again.
    n, m = 1000, 1001
    rows = np.concatenate((np.arange(n - 1), [n - 1]))
    cols = np.concatenate((np.arange(n - 1), [m - 1]))
    scores = np.concatenate((np.full(n - 1, 0.5), [5e-11]))
    problem = blocks._problem(lambda r: None, n, m, np.ones(m, int), None, False, None, None, 1)
    weights = solve_module._weights(problem, 5e-11, 0.5)
    key = rows.astype(np.int64) * m + cols
    graph = solve_module._Graph(rows, cols, scores, key, np.ones(n, dtype=bool))
    assignment = np.concatenate((np.arange(n - 1), [-1]))
    w = weights.of(graph.r, graph.s)
    assert solve_module._prices(problem, graph, assignment, w).confirm(weights.tol, n)
    assert solve_module._priced_again(problem, weights, graph, assignment, w, 300) is None


@pytest.mark.parametrize("extra_places", [200, 60])
def test_small_graphs_outside_a_tight_market_use_the_exact_scipy_kernel(monkeypatch, extra_places):
    monkeypatch.setattr(solve_module, "_FLOW_MIN_PAIRS", 10**9)
    monkeypatch.setattr(solve_module, "_assign_flow", None)
    cohort = make_cohort(200, 100, seed=7)
    scores = cohort.dense().astype(np.float64)
    # 2 and 1.3 places per row: 1.3 was given to the flow kernel until it was measured.
    loose = 2 + (np.arange(100) < extra_places % 100) + 2 * (extra_places >= 100)
    assert loose.sum() == 200 + extra_places
    sol = certified(scores, loose, k=2)
    assert sol.certified
    assert sol.total == pytest.approx(total_score(scores, solve(scores, loose)))


def test_small_graphs_in_a_tight_market_still_use_the_flow_kernel(monkeypatch):
    # scipy's matcher slows down sharply below 1.2 places per row, a hundredfold at 0.95.
    monkeypatch.setattr(solve_module, "_FLOW_MIN_PAIRS", 10**9)
    calls = []
    real_flow = solve_module._assign_flow

    def counted_flow(*args):
        calls.append(1)
        return real_flow(*args)

    monkeypatch.setattr(solve_module, "_assign_flow", counted_flow)
    cohort = make_cohort(200, 100, seed=7)
    scores = cohort.dense().astype(np.float64)
    tight = np.full(100, 2)
    sol = certified(scores, tight, k=2)
    assert calls and sol.certified
    assert sol.total == pytest.approx(total_score(scores, solve(scores, tight)))


@pytest.mark.parametrize("coverage", [True, False])
def test_restarting_from_earlier_candidates_with_pairs_forbidden_matches_a_fresh_solve(coverage):
    cohort = make_cohort(300, 120, seed=11)
    scores = cohort.dense().astype(np.float64)
    first = certified(scores, cohort.capacity, k=3, coverage=coverage)
    matched = np.flatnonzero(first.assignment >= 0)[:40]
    forbidden = [(int(i), int(first.assignment[i])) for i in matched]
    less = scores.copy()
    for i, j in forbidden:
        less[i, j] = -np.inf
    asked = []

    def score_rows(rows):
        asked.append(rows.size)
        return less[rows]

    again = solve_certified(
        score_rows,
        300,
        120,
        cohort.capacity,
        k=3,
        coverage=coverage,
        start=first.candidates.without(forbidden),
    )
    restarted_reads = sum(asked)
    asked.clear()
    fresh = solve_certified(score_rows, 300, 120, cohort.capacity, k=3, coverage=coverage)
    assert again.certified and fresh.certified
    assert audit_assignment(less, cohort.capacity, again.assignment).ok
    assert again.total == pytest.approx(fresh.total, abs=1e-9)
    assert restarted_reads < sum(asked), "the restart skips the first pass over every row"


def _forbid_first_pairs(assignment, scores, count):
    """The first ``count`` assigned pairs, and the scores with them forbidden."""
    forbidden = [(int(i), int(assignment[i])) for i in np.flatnonzero(assignment >= 0)[:count]]
    less = scores.copy()
    for i, j in forbidden:
        less[i, j] = -np.inf
    return forbidden, less


@pytest.mark.parametrize("coverage", [True, False])
def test_regression_a_restart_rereads_only_rows_its_reach_cannot_rule_out(coverage):
    # A two-way repair at 50,000 members re-solved from the first run's candidates and read
    # again every row whose k-th best score was above its price (25 s), because the restart
    # forgot what the first run's certificate had learned of the pruned pairs.
    cohort = make_cohort(400, 150, seed=5)
    scores = cohort.dense().astype(np.float64)
    first = certified(scores, cohort.capacity, k=3, coverage=coverage)
    forbidden, less = _forbid_first_pairs(first.assignment, scores, 5)
    reads = {}
    answers = {}
    for name, start in (
        ("with reach", first.candidates.without(forbidden)),
        ("forgetful", dataclasses.replace(first.candidates.without(forbidden), reach=None)),
    ):
        asked = []

        def score_rows(rows, asked=asked):
            asked.append(rows.size)
            return less[rows]

        answers[name] = solve_certified(
            score_rows, 400, 150, cohort.capacity, k=3, coverage=coverage, start=start
        )
        reads[name] = sum(asked)
    assert answers["with reach"].certified and answers["forgetful"].certified
    assert answers["with reach"].total == pytest.approx(answers["forgetful"].total, abs=1e-9)
    assert reads["with reach"] < reads["forgetful"]


def test_restart_candidates_of_another_shape_are_refused():
    scores = np.random.default_rng(0).random((5, 4))
    sol = certified(scores, [1, 1, 1, 1], k=2)
    with pytest.raises(ValueError, match="expected start candidates of a 6 x 4 problem"):
        solve_certified(lambda rows: np.ones((rows.size, 4)), 6, 4, [1] * 4, start=sol.candidates)


@pytest.mark.parametrize("coverage", [True, False])
def test_regression_a_restart_first_solves_only_the_candidates_near_the_last_prices(
    coverage, monkeypatch
):
    # Each branch of the two-way search at 50,000 members solved all 3 million candidates again
    # (4 s) where a later round of the first run solved the 300,000 near its prices (0.6 s).
    import mentoring.engine.certify as certify_module

    cohort = make_cohort(400, 150, seed=8)
    scores = cohort.dense().astype(np.float64)
    first = certified(scores, cohort.capacity, k=6, coverage=coverage)
    forbidden, less = _forbid_first_pairs(first.assignment, scores, 3)
    solved = []
    kernel = certify_module._kernel_answer

    def counted(problem, weights, graph, ar, ac, w):
        solved.append((ar.size, graph.r.size))
        return kernel(problem, weights, graph, ar, ac, w)

    monkeypatch.setattr(certify_module, "_kernel_answer", counted)
    again = solve_certified(
        lambda rows: less[rows],
        400,
        150,
        cohort.capacity,
        k=6,
        coverage=coverage,
        start=first.candidates.without(forbidden),
    )
    fresh = solve(less, cohort.capacity, coverage=coverage)
    rows = np.flatnonzero(fresh >= 0)
    assert again.certified
    assert again.total == pytest.approx(less[rows, fresh[rows]].sum(), abs=1e-9)
    first_active, candidates = solved[0]
    assert first_active < candidates / 2


@pytest.mark.parametrize("coverage", [True, False])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_regression_when_places_are_short_the_certificate_reads_only_the_cheap_columns(
    coverage, seed
):
    # With fewer places than mentees (50,000 members), every price held the coverage bonus and
    # the first certificate scan read every row whole again: 7.5 s of 47. A pruned pair can
    # only gain in a column priced below its row's k-th best weight less the row's price: a
    # few dozen of 19,000 columns.
    rng = np.random.default_rng(seed)
    scores = rng.random((400, 150))
    scores[rng.random(scores.shape) < 0.2] = -np.inf
    capacity = np.full(150, 2)
    read = {"rows": 0, "cells": 0}

    def score_rows(rows):
        read["rows"] += rows.size
        return scores[rows]

    def score_cells(rows, cols):
        read["cells"] += rows.size * cols.size
        return scores[np.ix_(rows, cols)]

    by_cells = solve_certified(
        score_rows, 400, 150, capacity, k=3, coverage=coverage, score_cells=score_cells
    )
    cells_read = (read["rows"] - 400) * 150 + read["cells"]
    read["rows"] = 0
    whole = solve_certified(score_rows, 400, 150, capacity, k=3, coverage=coverage)
    whole_read = (read["rows"] - 400) * 150
    expected = solve(scores, capacity, coverage=coverage)
    rows = np.flatnonzero(expected >= 0)
    assert by_cells.certified and whole.certified
    assert by_cells.total == pytest.approx(scores[rows, expected[rows]].sum(), abs=1e-9)
    assert (by_cells.assignment >= 0).sum() == rows.size
    if coverage:
        assert cells_read < whole_read / 2, (cells_read, whole_read)


def _random_block(
    seed: int, rows: int, width: int, levels: int, forbidden: float, float32: bool
) -> np.ndarray:
    """Uniform scores, on ``levels`` distinct values when given, a share ``forbidden`` -inf."""
    rng = np.random.default_rng(seed)
    scores = rng.random((rows, width))
    if levels:
        scores = np.floor(scores * levels) / levels
    scores[rng.random((rows, width)) < forbidden] = -np.inf
    return scores.astype(np.float32) if float32 else scores


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    rows=st.integers(1, 6),
    width=st.integers(60, 400),
    forbidden=st.sampled_from([0.0, 0.3, 0.9, 0.99, 1.0]),
    k=st.integers(13, 40),
    float32=st.booleans(),
    levels=st.sampled_from([0, 3, 20]),
)
def test_a_blocks_kept_pairs_are_allowed_and_its_bound_covers_every_pair_left_out(
    seed, rows, width, forbidden, k, float32, levels
):
    # The block's check reads columns, not cells, and a sampled threshold of -inf (a row with
    # few allowed columns) takes the exact selection: nothing forbidden may become a candidate,
    # and no allowed pair may escape the row's bound. Few distinct scores (levels): rows above
    # the sampled threshold in more than k columns are cut to their k best among ties.
    scores = _random_block(seed, rows, width, levels, forbidden, float32)
    blk = blocks._block(lambda r: scores[r], np.arange(rows), width, np.ones(width, bool), False)
    allowed = scores > -np.inf
    assert blk.n_allowed.tolist() == allowed.sum(axis=1).tolist()
    assert np.array_equal(blk.top, scores.max(axis=0))
    if allowed.any():
        assert blk.lo == scores[allowed].min() and blk.hi == scores[allowed].max()
    local, cols, bound = blocks._top_candidates(
        blk.scores, blk.n_allowed, k, blocks._sample_columns(width, k)
    )
    kept = np.zeros((rows, width), dtype=bool)
    kept[local, cols] = True
    assert allowed[kept].all()
    left_out = np.where(allowed & ~kept, scores, -np.inf).max(axis=1)
    assert (left_out <= bound).all()
    # Each row keeps at most k pairs, the best ones: none left out beats one kept.
    assert (kept.sum(axis=1) <= k).all()
    worst_kept = np.where(kept, scores, np.inf).min(axis=1)
    assert (left_out <= worst_kept).all()
    # A row whose threshold keeps fewer than half its share is selected exactly.
    assert (kept.sum(axis=1) >= np.minimum(allowed.sum(axis=1), k) // 2).all()


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    rows=st.integers(1, 12),
    width=st.integers(150, 400),
    k=st.integers(13, 40),
    float32=st.booleans(),
)
def test_rows_whose_sampled_threshold_keeps_too_few_are_read_again_deeper_or_exactly(
    seed, rows, width, k, float32
):
    # A row whose best scores all fall on the sampled columns gets a threshold that keeps only
    # those: it is read again at a threshold twice as deep in its sample, and selected over
    # every column only if that still keeps too few. Either way nothing better is left out.
    rng = np.random.default_rng(seed)
    scores = rng.random((rows, width))
    sample = blocks._sample_columns(width, k)
    overshoot = rng.random(rows) < 0.6
    scores[np.ix_(overshoot, sample)] += 1.0
    if float32:
        scores = scores.astype(np.float32)
    n_allowed = np.full(rows, width)
    with mock.patch.object(blocks, "_twice_as_deep", wraps=blocks._twice_as_deep) as deeper:
        local, cols, bound = blocks._top_candidates(scores.copy(), n_allowed, k, sample)
    # An overshooting row keeps its sampled columns over the threshold (rank of them) and no
    # other: fewer than half its share, so it is read again (other rows may be, by chance).
    if overshoot.any() and round(k * sample.size / width) < k // 2:
        again = set(deeper.call_args.args[3].tolist())
        assert again >= set(np.flatnonzero(overshoot).tolist())
    kept = np.zeros((rows, width), dtype=bool)
    kept[local, cols] = True
    left_out = np.where(~kept, scores, -np.inf).max(axis=1)
    assert (left_out <= bound).all()
    assert (kept.sum(axis=1) <= k).all() and (kept.sum(axis=1) >= k // 2).all()
    assert (left_out <= np.where(kept, scores, np.inf).min(axis=1)).all()


@settings(max_examples=100, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    rows=st.integers(0, 12),
    width=st.integers(1, 40),
    levels=st.sampled_from([0, 2, 5]),
    forbidden=st.sampled_from([0.0, 0.5, 1.0]),
    float32=st.booleans(),
    data=st.data(),
)
def test_a_rows_threshold_is_its_rank_th_largest_sampled_score_ties_counted(
    seed, rows, width, levels, forbidden, float32, data
):
    # The threshold knocks out each row's largest value (rank - 1) times; it must be the value a
    # full selection puts at that rank, ties and forbidden pairs (-inf) included.
    values = _random_block(seed, rows, width, levels, forbidden, float32)
    rank = data.draw(st.integers(1, width))
    want = np.sort(values, axis=1)[:, width - rank]
    got = blocks._rank_largest(values.copy(), rank)
    assert got.dtype == values.dtype and np.array_equal(got, want)


@settings(max_examples=80, deadline=None)
@given(score_instances(max_rows=8, max_cols=8), st.booleans(), st.integers(2, 6))
def test_a_first_solve_on_each_rows_best_candidate_only_still_reaches_the_optimum(
    instance, coverage, k
):
    scores, capacity, priority = instance
    with mock.patch.object(solve_module, "_FIRST_ACTIVE", 1):
        sol = certified(scores, capacity, priority=priority, coverage=coverage, k=k)
    want = solve(scores, capacity, priority=priority, coverage=coverage)
    assert sol.certified
    assert value(scores, priority, sol.assignment, coverage) == value(
        scores, priority, want, coverage
    )


@pytest.mark.parametrize("coverage", [True, False])
@pytest.mark.parametrize(("places", "starts_with_all"), [(80, False), (60, True)])
def test_outside_tight_markets_the_first_solve_takes_each_rows_best_candidates(
    monkeypatch, coverage, places, starts_with_all
):
    # Every row ranks the same ten mentors first, so most rows are matched outside their best
    # three: the rounds must wake those pairs up.
    monkeypatch.setattr(solve_module, "_FIRST_ACTIVE", 3)
    rng = np.random.default_rng(5)
    scores = rng.random((60, places)) * 0.5
    scores[:, :10] += 0.5
    capacity = np.ones(places, dtype=np.int64)
    solves = flow_solve_sizes(monkeypatch)
    sol = certified(scores, capacity, k=12, coverage=coverage)
    assert sol.certified
    if starts_with_all:
        assert solves[0] >= 12 * 60, "every row's twelve candidates"
    else:
        assert solves[0] <= 3 * 60 + 10, "a row's best three, ties included"
        assert len(solves) > 1
    best = solve(scores, capacity, coverage=coverage)
    no_priority = np.zeros(60, dtype=bool)
    assert value(scores, no_priority, sol.assignment, coverage) == value(
        scores, no_priority, best, coverage
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0]), max_size=6), max_size=5))
def test_best_of_each_row_marks_each_rows_top_scores_ties_included(rows):
    r = np.repeat(np.arange(len(rows)), [len(x) for x in rows])
    s = np.array([v for x in rows for v in x], dtype=np.float64)
    want = {
        t: [v >= sorted(x, reverse=True)[min(t, len(x)) - 1] for x in rows for v in x]
        for t in (1, 2, 3)
    }
    # A width of 2 ranks every longer row on its own, the default ranks them side by side.
    for width in (2, solve_module._PADDED_WIDTH):
        with mock.patch.object(solve_module, "_PADDED_WIDTH", width):
            for t, wanted in want.items():
                assert solve_module._best_of_each_row(r, s, len(rows), t).tolist() == wanted
