"""Objectives side by side: stable has no blocking pair, egalitarian meets a brute-force bound."""

from __future__ import annotations

import itertools
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from strategies import score_instances

from mentoring.engine.assign import solve
from mentoring.engine.objectives import (
    assign,
    blocking_pairs,
    egalitarian,
    pair_scores,
    split_locked,
    stable,
)
from mentoring.model.config import OBJECTIVES, MatchConfig
from mentoring.model.goals import IdentityShare
from mentoring.pipeline import COMPARISON_COLUMNS, compare_objectives, load_people, match
from mentoring.reading.synthetic import random_people


def all_assignments(scores: np.ndarray, capacity: np.ndarray):
    """Every assignment that respects capacities and forbidden pairs, by enumeration."""
    n, m = scores.shape
    options = [[-1, *[j for j in range(m) if np.isfinite(scores[i, j])]] for i in range(n)]
    for choice in itertools.product(*options):
        a = np.array(choice, dtype=np.int64)
        load = np.bincount(a[a >= 0], minlength=m)
        if np.all(load <= capacity):
            yield a


def check_valid(scores: np.ndarray, capacity: np.ndarray, a: np.ndarray) -> None:
    rows = np.flatnonzero(a >= 0)
    assert np.all(np.isfinite(scores[rows, a[rows]]))
    assert np.all(np.bincount(a[rows], minlength=scores.shape[1]) <= capacity)


def brute_blocking(scores, capacity, a):
    """Blocking pairs by the definition, one pair at a time."""
    out = []
    n, m = scores.shape
    for i in range(n):
        for j in range(m):
            if not np.isfinite(scores[i, j]) or a[i] == j or capacity[j] == 0:
                continue
            mentee_wants = a[i] < 0 or scores[i, j] > scores[i, a[i]]
            held = [k for k in range(n) if a[k] == j]
            mentor_wants = len(held) < capacity[j] or any(scores[k, j] < scores[i, j] for k in held)
            if mentee_wants and mentor_wants:
                out.append([i, j])
    return out


@settings(max_examples=150, deadline=None)
@given(score_instances(max_rows=6, max_cols=4))
def test_stable_has_no_blocking_pairs_on_random_instances(instance):
    scores, capacity, _ = instance
    a = stable(scores, capacity)
    check_valid(scores, capacity, a)
    assert blocking_pairs(scores, capacity, a).tolist() == []


@settings(max_examples=150, deadline=None)
@given(score_instances(max_rows=5, max_cols=4))
def test_blocking_pairs_agree_with_the_definition(instance):
    scores, capacity, _ = instance
    for a in (solve(scores, capacity), solve(scores, capacity, coverage=False)):
        assert blocking_pairs(scores, capacity, a).tolist() == brute_blocking(scores, capacity, a)


@settings(max_examples=120, deadline=None)
@given(score_instances(max_rows=4, max_cols=3, max_capacity=2))
def test_egalitarian_worst_score_equals_brute_force_bound(instance):
    scores, capacity, priority = instance
    a = egalitarian(scores, capacity, priority)
    check_valid(scores, capacity, a)

    def key(x):
        rows = np.flatnonzero(x >= 0)
        vals = scores[rows, x[rows]]
        worst = vals.min() if len(vals) else np.inf
        return (int(np.sum(priority[rows])), len(rows), worst, float(vals.sum()))

    best = max((key(x) for x in all_assignments(scores, capacity)), key=lambda k: k[:3])
    got = key(a)
    assert got[:3] == best[:3]
    totals = [key(x)[3] for x in all_assignments(scores, capacity) if key(x)[:3] == best[:3]]
    assert got[3] == pytest.approx(max(totals))


def test_stable_mentee_optimal_on_textbook_instance():
    # Two mentees both prefer mentor 0, who prefers mentee 1: mentee 0 must move on.
    scores = np.array([[0.9, 0.5], [0.95, 0.4]])
    assert stable(scores, [1, 1]).tolist() == [1, 0]
    assert stable(scores, [2, 0]).tolist() == [0, 0]
    assert stable(scores, [1, 0]).tolist() == [-1, 0]


def test_stable_ties_go_to_the_lower_index():
    scores = np.full((3, 2), 0.5)
    assert stable(scores, [1, 1]).tolist() == [0, 1, -1]


def test_egalitarian_prefers_coverage_over_a_better_worst_pair():
    # Matching both mentees forces a 0.1 pair; egalitarian still matches both.
    scores = np.array([[0.9, -np.inf], [0.8, 0.1]])
    assert egalitarian(scores, [1, 1]).tolist() == [0, 1]


def test_split_locked_keeps_the_pair_and_frees_the_rest():
    cohort = SimpleNamespace(
        scores=np.array([[0.9, 0.1], [0.8, 0.7], [0.2, 0.6]]),
        capacity=np.array([1, 2]),
        priority=np.zeros(3, dtype=bool),
        locked=((0, 1),),
    )
    for objective in ("coverage", "quality", "egalitarian", "stable"):
        a = assign(cohort, objective)
        assert a[0] == 1
        assert np.all(np.bincount(a[a >= 0], minlength=2) <= [1, 2])
    s, cap, fixed = split_locked(cohort.scores, cohort.capacity, cohort.locked)
    assert cap.tolist() == [1, 1]
    assert fixed.tolist() == [1, -1, -1]


def test_unknown_objective_is_named():
    cohort = SimpleNamespace(scores=np.zeros((1, 1)), capacity=[1], priority=[False], locked=())
    with pytest.raises(ValueError, match="got 'fairest'"):
        assign(cohort, "fairest")


@pytest.mark.parametrize("shape", [(0, 0), (0, 3), (3, 0)])
def test_empty_shapes(shape):
    scores = np.zeros(shape)
    cap = np.ones(shape[1], dtype=int)
    assert stable(scores, cap).shape == (shape[0],)
    assert egalitarian(scores, cap).tolist() == [-1] * shape[0]
    assert blocking_pairs(scores, cap, np.full(shape[0], -1)).shape[1] == 2


def test_bad_inputs_say_what_was_expected():
    with pytest.raises(ValueError, match="expected a 2-D score matrix"):
        stable(np.zeros(3))
    with pytest.raises(ValueError, match="expected 2 capacities"):
        stable(np.zeros((2, 2)), [1])


def test_compare_objectives_on_a_synthetic_cohort():
    people = random_people(24, 12, n_both=4, seed=3)
    people["capacity"] = pd.array([2] * len(people), dtype="Int64")
    table = compare_objectives(people, MatchConfig(), group_field="library_type")
    assert table["objective"].tolist() == list(OBJECTIVES)
    assert table.columns.tolist() == list(COMPARISON_COLUMNS)
    row = table.set_index("objective")
    assert row.loc["stable", "blocking_pairs"] == 0
    assert row.loc["coverage", "mentees_matched"] == row["mentees_matched"].max()
    assert row.loc["quality", "total_score"] == pytest.approx(row["total_score"].max())
    assert row.loc["egalitarian", "mentees_matched"] == row.loc["coverage", "mentees_matched"]
    assert row.loc["egalitarian", "worst_score"] >= row.loc["coverage", "worst_score"] - 1e-12
    gaps = row["group_gap"].dropna()
    assert (gaps >= 0).all()


def test_pair_scores_let_anyone_recompute_the_quality_optimum():
    people = random_people(15, 8, seed=5)
    people["capacity"] = pd.array([1] * len(people), dtype="Int64")
    config = MatchConfig(min_score=0.2)
    pairs = pair_scores(people, config)
    assert pairs.columns.tolist() == ["mentee_id", "mentor_id", "score"]
    assert (pairs["score"] >= 0.2 - 1e-12).all()
    assert pairs.equals(pairs.sort_values(["mentee_id", "mentor_id"], ignore_index=True))
    # Rebuild the matrix from the table alone and solve it independently.
    mentees = sorted(people.loc[people["role"] != "mentor", "member_id"])
    mentors = sorted(people.loc[people["role"] != "mentee", "member_id"])
    matrix = np.full((len(mentees), len(mentors)), -np.inf)
    matrix[
        pairs["mentee_id"].map(mentees.index).to_numpy(),
        pairs["mentor_id"].map(mentors.index).to_numpy(),
    ] = pairs["score"].to_numpy()
    a = solve(matrix, np.ones(len(mentors), dtype=int), coverage=False)
    table = compare_objectives(people, config).set_index("objective")
    rows = np.flatnonzero(a >= 0)
    assert matrix[rows, a[rows]].sum() == pytest.approx(table.loc["quality", "total_score"])


def test_compare_objectives_names_a_bad_group_field():
    with pytest.raises(ValueError, match="got 'colour'"):
        compare_objectives(random_people(2, 2), MatchConfig(), group_field="colour")


def test_stable_equals_the_matching_library_resident_optimal_answer():
    from matching.games import HospitalResident

    rng = np.random.default_rng(12)
    n, m = 25, 8
    scores = np.round(rng.random((n, m)), 6)
    scores[rng.random((n, m)) < 0.3] = -np.inf
    capacity = rng.integers(1, 4, size=m)
    acceptable = np.isfinite(scores)
    resident_prefs = {
        f"e{i}": [f"r{j}" for j in np.argsort(-scores[i], kind="stable") if acceptable[i, j]]
        for i in range(n)
    }
    hospital_prefs = {
        f"r{j}": [f"e{i}" for i in np.argsort(-scores[:, j], kind="stable") if acceptable[i, j]]
        for j in range(m)
    }
    game = HospitalResident.create_from_dictionaries(
        resident_prefs, hospital_prefs, {f"r{j}": int(capacity[j]) for j in range(m)}
    )
    theirs = np.full(n, -1)
    for hospital, residents in game.solve(optimal="resident").items():
        for resident in residents:
            theirs[int(resident.name[1:])] = int(hospital.name[1:])
    assert stable(scores, capacity).tolist() == theirs.tolist()


SHARED = Path(__file__).resolve().parent / "data"


def real_people():
    folder = SHARED / "realworld" / "jonodrew_mentor_match"
    people, issues = load_people(
        [folder / "small_mentees.csv", folder / "small_mentors.csv"],
        roles={"small_mentees.csv": "mentee", "small_mentors.csv": "mentor"},
    )
    assert not [i for i in issues if i.severity == "error"]
    return people


def test_objectives_on_the_real_civil_service_network_files():
    table = compare_objectives(real_people(), MatchConfig(), group_field="career_stage")
    row = table.set_index("objective")
    assert row.loc["stable", "blocking_pairs"] == 0
    assert row.loc["coverage", "blocking_pairs"] > 0
    assert row.loc["egalitarian", "worst_score"] >= row.loc["coverage", "worst_score"]
    assert row.loc["egalitarian", "mentees_matched"] == row.loc["coverage", "mentees_matched"]
    assert row.loc["quality", "total_score"] >= row["total_score"].max() - 1e-9


def test_comparison_rows_are_what_match_gives_goals_included():
    people = random_people(20, 10, n_both=6, seed=9)
    config = MatchConfig(min_score=0.1, goals=(IdentityShare(0.5),))
    table = compare_objectives(people, config).set_index("objective")
    for objective in OBJECTIVES:
        result = match(people, config.with_(objective=objective))
        assert table.loc[objective, "mentees_matched"] == len(result.pairs)
        assert table.loc[objective, "total_score"] == pytest.approx(result.pairs["score"].sum())
    assert table.loc["stable", "blocking_pairs"] == 0
