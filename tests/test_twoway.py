"""The two-way rule (``mentoring.engine.twoway``) against brute force, and the large path's
local repair of many loops."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mentoring.engine.certify as certify
import mentoring.engine.twoway as twoway
import mentoring.pipeline as pipeline
from mentoring.engine.assign import solve
from mentoring.engine.certify import solve_certified
from mentoring.engine.twoway import Mirror, Reassign, objective_key, solve_without_two_way
from mentoring.model.config import MatchConfig
from mentoring.pipeline import match
from mentoring.reading.synthetic import random_people
from tests.strategies import score_instances


def _as_members(scores: np.ndarray, shift: int) -> tuple[np.ndarray, Mirror]:
    """Rows are members 0..n-1 as mentees, columns members shift..shift+m-1 as mentors: the
    members in both ranges are open to both roles. A member never mentors themself."""
    n, m = scores.shape
    scores = scores.copy()
    for i in range(n):
        if 0 <= i - shift < m:
            scores[i, i - shift] = -np.inf
    mirror = Mirror.of([f"p{i}" for i in range(n)], [f"p{j + shift}" for j in range(m)])
    return scores, mirror


def _feasible(a: np.ndarray, scores: np.ndarray, capacity: np.ndarray, mirror: Mirror) -> bool:
    rows = np.flatnonzero(a >= 0)
    return (
        bool(np.isfinite(scores[rows, a[rows]]).all())
        and bool((np.bincount(a[rows], minlength=capacity.size) <= capacity).all())
        and not mirror.conflicts(a)
    )


def _best_by_brute_force(scores, capacity, priority, mirror, coverage):
    n, m = scores.shape
    scores_of = _scores_of(scores)
    best = None
    for choice in itertools.product(range(-1, m), repeat=n):
        a = np.array(choice, dtype=np.int64)
        if _feasible(a, scores, capacity, mirror):
            key = objective_key(a, scores_of, priority, coverage)
            best = key if best is None or key > best else best
    return best


def _scores_of(scores: np.ndarray):
    def scores_of(a: np.ndarray) -> np.ndarray:
        rows = np.flatnonzero(a >= 0)
        return scores[rows, a[rows]]

    return scores_of


def _solver(scores, capacity, priority, coverage, calls):
    def solve_with(extra):
        calls.append(frozenset(extra))
        s = scores.copy()
        for i, j in extra:
            s[i, j] = -np.inf
        return solve(s, capacity, priority=priority, coverage=coverage)

    return solve_with


def _candidates(scores: np.ndarray):
    def candidates_of(rows: np.ndarray):
        r, c = np.nonzero(np.isfinite(scores[rows]))
        return rows[r], c, scores[rows[r], c]

    return candidates_of


@settings(max_examples=150, deadline=None)
@given(
    score_instances(max_rows=4, max_cols=4, max_capacity=2),
    st.integers(0, 2),
    st.booleans(),
    st.booleans(),
)
def test_the_answer_keeps_the_rule_and_is_best_when_called_finished(
    instance, shift, coverage, local
):
    scores, capacity, priority = instance
    scores, mirror = _as_members(scores, shift)
    calls: list = []
    found = solve_without_two_way(
        mirror,
        _solver(scores, capacity, priority, coverage, calls),
        _scores_of(scores),
        lambda r, c: scores[r, c],
        priority,
        coverage,
        Reassign(_candidates(scores), capacity) if local else None,
    )
    assert _feasible(found.assignment, scores, capacity, mirror)
    key = objective_key(found.assignment, _scores_of(scores), priority, coverage)
    best = _best_by_brute_force(scores, capacity, priority, mirror, coverage)
    assert key <= best
    if found.finished:
        assert key == best
    # Each set of forbidden pairs is solved once: the repair's last solve is a branch's first.
    assert len(calls) == len(set(calls))


def test_a_local_repair_solves_nothing_whole_and_keeps_the_others_pairs(monkeypatch):
    monkeypatch.setattr(twoway, "EXACT_CONFLICTS", 0)
    scores = np.array(
        [
            [-np.inf, 0.9, 0.2, 0.1],
            [0.8, -np.inf, 0.3, 0.1],
            [0.1, 0.1, -np.inf, 0.7],
        ]
    )
    mirror = Mirror.of(["a", "b", "c"], ["a", "b", "c", "d"])
    calls: list = []
    capacity = np.ones(4, dtype=np.int64)
    found = solve_without_two_way(
        mirror,
        _solver(scores, capacity, np.zeros(3, bool), True, calls),
        _scores_of(scores),
        lambda r, c: scores[r, c],
        np.zeros(3, dtype=bool),
        True,
        Reassign(_candidates(scores), capacity),
    )
    assert calls == [frozenset()]
    # b -> a is the weaker direction of the loop; b takes the free place that closes none.
    assert found.assignment.tolist() == [1, 2, 3]
    assert not found.finished


def test_everyone_open_to_both_roles_on_the_large_path_is_repaired_without_whole_solves(
    monkeypatch,
):
    # 10,000 such members re-solved the whole candidate graph twice to repair about a hundred
    # loops, a second each; the loops' rows are now seated again among the places left.
    monkeypatch.setattr(pipeline, "DENSE_PAIR_LIMIT", 0)
    monkeypatch.setattr(twoway, "EXACT_CONFLICTS", 0)
    solves = []
    real = certify.solve_certified

    def counted(*args, **kwargs):
        solves.append(kwargs.get("start"))
        return real(*args, **kwargs)

    monkeypatch.setattr(certify, "solve_certified", counted)
    repairs = []
    real_repair = twoway.repair_locally

    def repair(*args, **kwargs):
        repairs.append(len(args[0].conflicts(args[1])))
        return real_repair(*args, **kwargs)

    monkeypatch.setattr(twoway, "repair_locally", repair)
    result = match(random_people(0, 0, n_both=400, seed=11), MatchConfig())
    assert repairs and repairs[0] > 0
    pairs = set(zip(result.pairs["mentee_id"], result.pairs["mentor_id"], strict=True))
    assert not {(b, a) for a, b in pairs} & pairs
    assert result.audit.ok
    stats = result.stats
    assert len(solves) == 1
    assert stats.bound >= stats.total_score - 1e-9
    assert stats.total_score >= 0.99 * stats.bound
    if stats.bound > stats.total_score + 1e-9:
        assert not stats.certified


@pytest.mark.parametrize("writable", [False, True])
def test_the_certificate_writes_into_a_callers_block_only_when_told_it_may(writable):
    rng = np.random.default_rng(4)
    scores = rng.random((60, 30))
    scores[rng.random(scores.shape) < 0.3] = -np.inf
    kept = scores.copy()
    read = (lambda rows: scores[rows].copy()) if writable else (lambda rows: scores[rows])
    found = solve_certified(read, 60, 30, np.full(30, 2), k=3, writable_blocks=writable)
    assert np.array_equal(scores, kept)
    expected = solve(scores, np.full(30, 2))
    rows = np.flatnonzero(expected >= 0)
    assert found.certified
    assert found.total == pytest.approx(scores[rows, expected[rows]].sum())
