"""Counterfactual reasons: every loss equals an independent brute-force re-solve."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from strategies import score_instances

from mentoring.engine.assign import solve
from mentoring.engine.cohort import score_people
from mentoring.engine.goals import solve_with_goals
from mentoring.engine.rules import exclusion_reasons
from mentoring.model.config import MatchConfig
from mentoring.model.goals import IdentityShare, PriorityCovered
from mentoring.model.people import empty_people
from mentoring.outputs.counterfactual import COUNTERFACTUAL_COLUMNS, counterfactuals, forced_losses
from mentoring.pipeline import match
from mentoring.reading.synthetic import random_people


def matrix_cohort(scores, capacity, priority, locked=()):
    n, m = scores.shape
    return SimpleNamespace(
        scores=scores,
        capacity=capacity,
        priority=priority,
        locked=tuple(locked),
        mentee_ids=tuple(f"e{i}" for i in range(n)),
        mentor_ids=tuple(f"r{j}" for j in range(m)),
    )


def brute_optimum(scores, capacity, priority, coverage, fixed=None):
    """(total, matched) of the best assignment by enumeration, some rows fixed to a column."""
    n, m = scores.shape
    fixed = fixed or {}
    options = [
        [fixed[i]] if i in fixed else [-1, *[j for j in range(m) if np.isfinite(scores[i, j])]]
        for i in range(n)
    ]
    best = None
    for choice in itertools.product(*options):
        a = np.array(choice, dtype=np.int64)
        if np.any(np.bincount(a[a >= 0], minlength=m) > capacity):
            continue
        rows = np.flatnonzero(a >= 0)
        total = float(np.where(np.isfinite(scores), scores, 0.0)[rows, a[rows]].sum())
        key = (
            (int(priority[rows].sum()), len(rows), round(total, 9))
            if coverage
            else (round(total, 9),)
        )
        if best is None or key > best[0]:
            best = (key, total, len(rows))
    return best[1], best[2]


@pytest.mark.parametrize("coverage", [True, False])
@settings(max_examples=80, deadline=None)
@given(instance=score_instances(max_rows=4, max_cols=3, max_capacity=2))
def test_counterfactual_losses_equal_brute_force_re_solves(coverage, instance):
    scores, capacity, priority = instance
    cohort = matrix_cohort(scores, capacity, priority)
    pairs = [
        (cohort.mentee_ids[i], cohort.mentor_ids[j])
        for i, j in zip(*np.nonzero(np.isfinite(scores)), strict=True)
        if capacity[j] > 0
    ]
    table = forced_losses(cohort, pairs, coverage=coverage)
    base_total, base_matched = brute_optimum(scores, capacity, priority, coverage)
    for row in table.itertuples():
        i, j = int(row.mentee_id[1:]), int(row.mentor_id[1:])
        total, matched = brute_optimum(scores, capacity, priority, coverage, {i: j})
        assert row.loss == pytest.approx(base_total - total, abs=1e-9)
        # Under quality alone, zero-score pairs are optional, so only coverage fixes counts.
        if coverage:
            assert row.unmatched_added == base_matched - matched


def test_losses_reported_per_alternative_match_forced_losses():
    rng = np.random.default_rng(7)
    scores = rng.random((6, 4))
    scores[rng.random((6, 4)) < 0.2] = -np.inf
    cohort = matrix_cohort(scores, np.array([2, 1, 1, 2]), np.zeros(6, bool))
    a = solve(scores, cohort.capacity)
    table = counterfactuals(cohort, a, max_alternatives=2)
    assert table.columns.tolist() == list(COUNTERFACTUAL_COLUMNS)
    for row in table.itertuples():
        assert len(row.alternatives) == len(row.losses) <= 2
        again = forced_losses(cohort, [(row.mentee_id, r) for r in row.alternatives])
        assert again["loss"].tolist() == pytest.approx(list(row.losses))
        # At the optimum no forced alternative that keeps everyone matched can gain.
        for loss, unmatched in zip(row.losses, row.unmatched_added, strict=True):
            if unmatched == 0:
                assert loss >= -1e-9


def people(rows):
    return pd.concat([empty_people(), pd.DataFrame(rows)], ignore_index=True)


def test_forbidden_best_mentor_quotes_the_rule():
    members = people(
        {
            "member_id": ["e", "r", "q"],
            "name": ["Eve", "Rui", "Quinn"],
            "role": ["mentee", "mentor", "mentor"],
            "interests": [("archives", "outreach"), ("archives", "outreach"), ("archives",)],
            "institution": ["Tulane", "Tulane", "Bayview"],
        }
    )
    cohort = score_people(members, MatchConfig())
    a = solve(cohort.scores, cohort.capacity)
    row = counterfactuals(cohort, a).iloc[0]
    assert row["best_mentor_id"] == "r"
    assert row["why_not"] == "forbidden: " + " ".join(
        exclusion_reasons(members, MatchConfig(), "e", "r")
    )
    assert "same institution" in row["why_not"]
    assert row["runner_up_id"] == "q"
    assert row["alternatives"] == ()


def test_capacity_taken_names_the_mentees_holding_the_places():
    members = people(
        {
            "member_id": ["a", "b", "r", "q"],
            "name": ["Ann", "Ben", "Rui", "Quinn"],
            "role": ["mentee", "mentee", "mentor", "mentor"],
            "interests": [("archives",), ("archives",), ("archives",), ("outreach",)],
            "priority": [False, True, False, False],
        }
    )
    cohort = score_people(members, MatchConfig())
    a = solve(cohort.scores, cohort.capacity, priority=cohort.priority)
    table = counterfactuals(cohort, a).set_index("mentee_id")
    holder = table.loc["a", "why_not"] if a[0] != 0 else table.loc["b", "why_not"]
    assert holder.startswith("capacity taken by ")


def test_locked_pair_is_the_reason():
    scores = np.array([[0.9, 0.1], [0.2, 0.3]])
    cohort = matrix_cohort(scores, np.array([1, 1]), np.zeros(2, bool), locked=[(0, 1)])
    cohort.people = pd.DataFrame({"member_id": ["e0", "e1", "r0", "r1"], "name": list("ABCD")})
    table = counterfactuals(cohort, np.array([1, 0]))
    assert table.loc[0, "why_not"] == "the coordinator locked A with D."


def test_a_goal_is_named_when_it_moved_the_pair():
    scores = np.array([[0.5, 0.5]])
    cohort = matrix_cohort(scores, np.array([1, 1]), np.zeros(1, bool))
    cohort.people = pd.DataFrame(
        {
            "member_id": ["e0", "r0", "r1"],
            "name": ["Eve", "Rui", "Quinn"],
            "identity_preference": [("black",), (), ()],
            "identities": [(), (), ("black",)],
        }
    )
    cohort.config = MatchConfig(goals=(PriorityCovered(), IdentityShare(1.0)))
    a = solve_with_goals(cohort, cohort.config.goals).assignment
    assert a.tolist() == [1]
    row = counterfactuals(cohort, a).iloc[0]
    assert row["best_mentor_id"] == "r0"
    # Only the identity goal is named: the priority goal does not care which mentor.
    assert row["why_not"] == "a goal needed a different pair: " + IdentityShare(1.0).describe()


def test_every_mentee_of_a_synthetic_cohort_gets_a_sentence():
    cohort = score_people(random_people(20, 8, seed=11), MatchConfig(min_score=0.15))
    a = solve(cohort.scores, cohort.capacity, priority=cohort.priority)
    table = counterfactuals(cohort, a, mentees=cohort.mentee_ids[:8])
    assert len(table) == 8
    assert table["why_not"].str.len().gt(0).all()
    assigned = table["why_not"] == "assigned"
    assert (
        table.loc[assigned, "assigned_mentor_id"] == table.loc[assigned, "best_mentor_id"]
    ).all()


def test_bad_arguments_say_what_was_expected():
    cohort = matrix_cohort(np.zeros((1, 1)), np.array([1]), np.zeros(1, bool))
    with pytest.raises(ValueError, match="expected mentee ids of this cohort, got \\['x'\\]"):
        counterfactuals(cohort, np.array([0]), mentees=["x"])
    with pytest.raises(ValueError, match="expected an assignment of 1"):
        counterfactuals(cohort, np.array([0, 0]))
    with pytest.raises(ValueError, match="pairs of this cohort"):
        forced_losses(cohort, [("e0", "zz")])


def test_match_result_pairs_can_be_explained_directly():
    members = random_people(15, 6, seed=3)
    config = MatchConfig(min_score=0.1)
    result = match(members, config)
    cohort = score_people(members, config)
    table = counterfactuals(cohort, result.pairs)
    assigned = dict(zip(result.pairs["mentee_id"], result.pairs["mentor_id"], strict=True))
    assert len(table) == len(cohort.mentee_ids)
    for row in table.itertuples():
        assert row.assigned_mentor_id == assigned.get(row.mentee_id, "")
