"""Peer matching and circles: the quality bound holds against brute force on tiny instances."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentoring.engine.circles import (
    circle_bound,
    circles_from_scores,
    form_circles,
    peer_pairs,
    peer_scores,
)
from mentoring.model.config import MatchConfig
from mentoring.model.people import empty_people
from mentoring.reading.synthetic import random_people


def partitions(items, min_size, max_size):
    """Every split of ``items`` into circles whose sizes lie in [min_size, max_size]."""
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for size in range(min_size, max_size + 1):
        for mates in itertools.combinations(rest, size - 1):
            left = [x for x in rest if x not in mates]
            for tail in partitions(left, min_size, max_size):
                yield [(first, *mates), *tail]


def quality(values, circles):
    per_member = []
    for circle in circles:
        for a in circle:
            per_member.append(sum(values[a, b] for b in circle if b != a) / (len(circle) - 1))
    return float(np.mean(per_member))


@st.composite
def peer_matrices(draw):
    n = draw(st.integers(2, 7))
    cells = draw(
        st.lists(
            st.sampled_from([0.0, 0.2, 0.5, 0.7, 1.0, -np.inf]),
            min_size=n * n,
            max_size=n * n,
        )
    )
    w = np.array(cells).reshape(n, n)
    w = np.triu(w, 1)
    w = w + w.T
    np.fill_diagonal(w, -np.inf)
    min_size = draw(st.integers(2, 3))
    max_size = draw(st.integers(min_size, 4))
    return w, min_size, max_size


@settings(max_examples=80, deadline=None)
@given(peer_matrices())
def test_bound_is_valid_against_brute_force(instance):
    w, min_size, max_size = instance
    n = w.shape[0]
    labels, got, bound = circles_from_scores(w, min_size=min_size, max_size=max_size, restarts=2)
    values = np.where(np.isfinite(w), w, 0.0)
    placed = int(np.sum(labels >= 0))
    best = 0.0
    for members in itertools.combinations(range(n), placed):
        for circles in partitions(list(members), min_size, max_size):
            if circles:
                best = max(best, quality(values, circles))
    assert got <= best + 1e-9
    assert best <= bound + 1e-9
    assert bound == pytest.approx(circle_bound(w, min_size, placed))
    sizes = np.bincount(labels[labels >= 0])
    assert np.all((sizes >= min_size) & (sizes <= max_size))


def test_circles_reach_the_optimum_on_two_clear_cliques():
    w = np.full((8, 8), 0.1)
    w[:4, :4] = 0.9
    w[4:, 4:] = 0.9
    labels, got, bound = circles_from_scores(w, min_size=4, max_size=4, seed=3)
    assert labels.tolist() == [0, 0, 0, 0, 1, 1, 1, 1]
    assert got == pytest.approx(0.9)
    assert bound == pytest.approx(0.9)


def test_diversity_mix_spreads_the_groups():
    w = np.full((8, 8), 0.5)
    groups = ["public"] * 4 + ["school"] * 4
    labels, _, _ = circles_from_scores(w, min_size=4, max_size=4, groups=groups, seed=1)
    for c in (0, 1):
        assert {groups[a] for a in np.flatnonzero(labels == c)} == {"public", "school"}


def test_forbidden_pairs_are_kept_apart():
    w = np.full((6, 6), 0.5)
    w[0, 1] = w[1, 0] = -np.inf
    w[2, 3] = w[3, 2] = -np.inf
    labels, _, _ = circles_from_scores(w, min_size=3, max_size=3)
    assert labels[0] != labels[1]
    assert labels[2] != labels[3]


def test_same_seed_same_circles():
    rng = np.random.default_rng(4)
    w = rng.random((15, 15))
    w = (w + w.T) / 2
    first = circles_from_scores(w, min_size=4, max_size=6, seed=9)
    again = circles_from_scores(w, min_size=4, max_size=6, seed=9)
    assert first[0].tolist() == again[0].tolist()
    assert first[1] <= first[2]


def test_bad_sizes_say_what_was_expected():
    with pytest.raises(ValueError, match="2 <= min_size <= max_size, got 5-4"):
        circles_from_scores(np.zeros((3, 3)), min_size=5, max_size=4)
    with pytest.raises(ValueError, match="square"):
        circles_from_scores(np.zeros((3, 2)), min_size=2, max_size=2)


def peers(n, seed=0):
    people = random_people(n, 0, seed=seed)
    people["open_to_peer"] = True
    # One institution each, so that only the rules a test sets up forbid a pair.
    people["institution"] = [f"Library {k}" for k in range(len(people))]
    return people


def test_peer_pairs_equal_brute_force_matching():
    people = peers(6, seed=8)
    people.loc[people.index[:2], "institution"] = "Same Library"
    ids, w = peer_scores(people, MatchConfig())
    assert np.allclose(w[np.isfinite(w)], w.T[np.isfinite(w)])
    assert np.isneginf(w[0, 1])
    pairs = peer_pairs(people, MatchConfig())
    best = (0, 0.0)
    n = len(ids)
    edges = [(a, b) for a, b in itertools.combinations(range(n), 2) if np.isfinite(w[a, b])]
    for k in range(n // 2, -1, -1):
        for chosen in itertools.combinations(edges, k):
            used = [x for e in chosen for x in e]
            if len(used) == len(set(used)):
                best = max(best, (k, sum(w[a, b] for a, b in chosen)))
    assert len(pairs) == best[0]
    assert pairs["score"].sum() == pytest.approx(best[1], abs=1e-5)
    assert not ((pairs["member_id"] == ids[0]) & (pairs["partner_id"] == ids[1])).any()


def test_only_members_open_to_peer_mentoring_take_part():
    people = peers(6, seed=1)
    people.loc[people.index[:2], "open_to_peer"] = False
    pairs = peer_pairs(people, MatchConfig())
    used = set(pairs["member_id"]) | set(pairs["partner_id"])
    assert used <= set(people["member_id"][2:])
    assert len(pairs) == 2


def test_form_circles_reports_quality_bound_and_unplaced():
    people = peers(7, seed=5)
    result = form_circles(
        people, MatchConfig(), min_size=4, max_size=6, diversity_field="library_type"
    )
    assert result.summary["size"].tolist() == [6]
    assert len(result.unplaced) == 1
    assert "cannot hold all 7 members" in result.unplaced.loc[0, "reason"]
    assert 0 < result.quality <= result.bound
    assert result.ratio == pytest.approx(result.quality / result.bound)
    assert result.circles.columns.tolist() == ["circle", "member_id", "name"]
    assert set(result.circles["member_id"]).isdisjoint(result.unplaced["member_id"])


def test_too_few_peers_get_a_plain_reason():
    people = pd.concat(
        [
            empty_people(),
            pd.DataFrame(
                {
                    "member_id": ["a", "b"],
                    "name": ["A", "B"],
                    "role": ["mentee", "mentor"],
                    "open_to_peer": [True, True],
                }
            ),
        ],
        ignore_index=True,
    )
    result = form_circles(people, MatchConfig())
    assert result.circles.empty
    assert (
        result.unplaced["reason"].tolist()
        == ["Only 2 members are open to peer mentoring; a circle needs at least 4."] * 2
    )
