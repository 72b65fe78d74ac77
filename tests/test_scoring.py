"""Scoring: the vectorised block scorer against a slow per-pair reference written from the spec."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentoring.engine.scoring import build_features, score_block, score_pairs, tag_matrix
from mentoring.model.config import COMPONENTS, MatchConfig, Weights
from mentoring.model.people import prepare_people
from mentoring.reading.synthetic import random_people

STAGE_YEARS = {"student": 0, "new professional": 2, "mid-career": 10, "senior": 20, "retired": 25}


def _overlap(a, b) -> float:
    return len(set(a) & set(b)) / len(set(a)) if a else 0.0


def reference_components(people: pd.DataFrame, mentee: dict, mentor: dict) -> dict[str, float]:
    """Each component for one pair, computed the slow, obvious way."""
    tags_e, tags_r = set(mentee["interests"]), set(mentor["interests"])
    everyone = list(people["interests"])
    n_docs = 2 * len(everyone)  # IDF counts each side of the cohort once per role it plays
    del n_docs
    mentees = people[people.role.isin(["mentee", "both"])]
    mentors = people[people.role.isin(["mentor", "both"])]
    documents = len(mentees) + len(mentors)

    def idf(tag: str) -> float:
        frequency = sum(tag in t for t in mentees["interests"]) + sum(
            tag in t for t in mentors["interests"]
        )
        return math.log((1 + documents) / (1 + frequency)) + 1

    norm_e = math.sqrt(sum(idf(t) ** 2 for t in tags_e)) or 1.0
    norm_r = math.sqrt(sum(idf(t) ** 2 for t in tags_r)) or 1.0
    interests = sum(idf(t) ** 2 for t in tags_e & tags_r) / (norm_e * norm_r)

    goals = _overlap(mentee["seeks"], mentor["offers"])

    parts = 0.0
    got = 0.0
    if mentee["library_type"]:
        parts += 1
        got += mentee["library_type"].casefold() == mentor["library_type"].casefold()
    if mentee["divisions"]:
        parts += 1
        got += _overlap(mentee["divisions"], mentor["divisions"])
    if mentee["chapter"]:
        parts += 1
        got += mentee["chapter"].casefold() == mentor["chapter"].casefold()
    community = got / parts if parts else 0.0

    diversity = _overlap(mentee["identity_preference"], mentor["identities"])

    logistics_parts = []
    if not math.isnan(mentee["timezone"]):
        if math.isnan(mentor["timezone"]):
            logistics_parts.append(0.5)
        else:
            logistics_parts.append(1 - min(abs(mentee["timezone"] - mentor["timezone"]), 12) / 12)
    modes = {"in person": 0, "online": 1, "either": 2}
    if mentee["meeting_mode"] in modes:
        if mentor["meeting_mode"] not in modes:
            logistics_parts.append(0.5)
        else:
            a, b = mentee["meeting_mode"], mentor["meeting_mode"]
            logistics_parts.append(float(a == b or "either" in (a, b)))
    if mentee["languages"]:
        if not mentor["languages"]:
            logistics_parts.append(0.5)
        else:
            logistics_parts.append(float(bool(set(mentee["languages"]) & set(mentor["languages"]))))
    logistics = sum(logistics_parts) / len(logistics_parts) if logistics_parts else 0.0

    def seniority(member):
        y = member["years_experience"]
        return y if not math.isnan(y) else STAGE_YEARS.get(member["career_stage"], math.nan)

    gap = seniority(mentor) - seniority(mentee)
    experience = 0.5 if math.isnan(gap) else min(max(0.5 + gap / 10, 0.0), 1.0)

    chosen = [m for m in mentee["preferred_mentors"] if m in set(mentors["member_id"])]
    chosen = list(dict.fromkeys(chosen))
    preference = 0.0
    if mentor["member_id"] in chosen:
        preference = [1.0, 0.75, 0.5, 0.25][min(chosen.index(mentor["member_id"]), 3)]

    present = {
        "interests": bool(tags_e),
        "goals": bool(mentee["seeks"]),
        "community": parts > 0,
        "diversity": bool(mentee["identity_preference"]),
        "logistics": bool(logistics_parts),
        "experience": not math.isnan(seniority(mentee)),
        "preference": bool(chosen),
    }
    values = {
        "interests": interests,
        "goals": goals,
        "community": community,
        "diversity": diversity,
        "logistics": logistics,
        "experience": experience,
        "preference": preference,
    }
    return values, present


def _with_gaps(people: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Blank out answers at random, as real forms do, and add named choices."""
    rng = np.random.default_rng(seed)
    people = people.copy()
    for column, blank in [
        ("interests", ()),
        ("seeks", ()),
        ("divisions", ()),
        ("languages", ()),
        ("library_type", ""),
        ("chapter", ""),
        ("meeting_mode", ""),
        ("career_stage", ""),
    ]:
        mask = rng.random(len(people)) < 0.25
        people.loc[mask, column] = pd.Series(
            [blank] * int(mask.sum()), index=people.index[mask], dtype=object
        )
    for column in ("timezone", "years_experience"):
        people.loc[rng.random(len(people)) < 0.25, column] = np.nan
    mentors = list(people.loc[people.role != "mentee", "member_id"])
    people["preferred_mentors"] = [
        tuple(rng.choice(mentors, size=rng.integers(0, 3), replace=False)) if r != "mentor" else ()
        for r in people.role
    ]
    return prepare_people(people)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_vectorised_components_equal_per_pair_reference(seed):
    people = _with_gaps(random_people(12, 9, n_both=4, seed=seed, n_tags=20), seed)
    config = MatchConfig()
    features = build_features(people, config)
    block = score_block(features)
    records = people.set_index("member_id", drop=False).to_dict("index")
    weights = config.weights.normalised()
    for i, mentee_id in enumerate(features.mentee_ids):
        for j, mentor_id in enumerate(features.mentor_ids):
            values, present = reference_components(people, records[mentee_id], records[mentor_id])
            for name in COMPONENTS:
                assert block[name][i, j] == pytest.approx(values[name], abs=1e-6), (name, i, j)
            used = {k: weights[k] for k in COMPONENTS if present[k]}
            expected = (
                sum(values[k] * w for k, w in used.items()) / sum(used.values()) if used else 0
            )
            assert block["score"][i, j] == pytest.approx(expected, abs=1e-6)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    weights=st.lists(st.floats(0, 10), min_size=7, max_size=7).filter(lambda w: sum(w) > 0.01),
)
def test_every_component_and_total_in_unit_interval(seed, weights):
    people = _with_gaps(random_people(8, 6, n_both=2, seed=seed, n_tags=15), seed)
    config = MatchConfig(weights=Weights(**dict(zip(COMPONENTS, weights, strict=True))))
    block = score_block(build_features(people, config))
    for name in (*COMPONENTS, "score"):
        assert np.all(block[name] >= 0) and np.all(block[name] <= 1 + 1e-12), name


def test_blank_optional_answer_costs_nothing():
    people = prepare_people(
        pd.DataFrame(
            {
                "member_id": ["e1", "e2", "r"],
                "name": ["A", "B", "R"],
                "role": ["mentee", "mentee", "mentor"],
                "interests": [("archives",), (), ("archives",)],
                "seeks": [("leadership",), ("leadership",), ()],
                "offers": [(), (), ("leadership",)],
            }
        )
    )
    block = score_block(build_features(people, MatchConfig()))
    # e2 left interests blank: the interests component drops out rather than scoring 0.
    assert block["score"][1, 0] == pytest.approx(1.0)
    assert block["score"][0, 0] == pytest.approx(1.0)


def test_blocks_equal_whole_matrix():
    people = random_people(40, 25, n_both=10, seed=4)
    features = build_features(people, MatchConfig())
    whole = score_block(features)["score"]
    parts = np.vstack(
        [score_block(features, np.arange(s, min(s + 7, 50)))["score"] for s in range(0, 50, 7)]
    )
    np.testing.assert_allclose(parts, whole)


def test_zero_weight_turns_component_off():
    people = random_people(10, 8, seed=5)
    base = MatchConfig(
        weights=Weights(
            interests=1, goals=0, community=0, diversity=0, logistics=0, experience=0, preference=0
        )
    )
    block = score_block(build_features(people, base))
    np.testing.assert_allclose(block["score"], block["interests"])


@pytest.mark.parametrize("seed", [0, 1])
def test_score_pairs_equals_the_block_entries(seed):
    people = _with_gaps(random_people(30, 20, n_both=5, seed=seed, n_tags=25), seed)
    features = build_features(people, MatchConfig())
    block = score_block(features)
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, features.shape[0], size=200)
    cols = rng.integers(0, features.shape[1], size=200)
    pairs = score_pairs(features, rows, cols, chunk=37)
    for name in (*COMPONENTS, "score"):
        np.testing.assert_allclose(pairs[name], block[name][rows, cols], atol=1e-6, err_msg=name)


def test_total_only_gives_the_same_total_and_skips_unweighted_components():
    people = _with_gaps(random_people(20, 10, n_both=3, seed=9, n_tags=20), 9)
    for weights in (
        Weights(),
        Weights(
            interests=1, goals=0, community=0, diversity=0, logistics=0, experience=0, preference=0
        ),
    ):
        features = build_features(people, MatchConfig(weights=weights))
        full = score_block(features)
        fast = score_block(features, total_only=True)
        assert list(fast) == ["score"]
        np.testing.assert_allclose(fast["score"], full["score"])


_TAG_CELLS = st.lists(st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=5), max_size=6)


@settings(max_examples=60, deadline=None)
@given(_TAG_CELLS, _TAG_CELLS, st.booleans())
def test_tag_matrix_marks_each_tag_of_a_cell_once(left, right, idf):
    a, b, vocabulary = tag_matrix(
        pd.Series([tuple(c) for c in left], dtype=object),
        pd.Series([tuple(c) for c in right], dtype=object),
        idf=idf,
    )
    assert vocabulary == sorted({t for cell in left + right for t in cell})
    for cells, matrix in ((left, a), (right, b)):
        has = [[tag in cell for tag in vocabulary] for cell in cells]
        assert (matrix.toarray() > 0).tolist() == has
        if not idf:
            assert set(np.unique(matrix.data).tolist()) <= {1.0}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_member_open_to_both_roles_is_read_once_with_the_features_of_two_members(seed):
    # The shared questions (interests, community, languages, institution) are read once per
    # member, not once per role: the features must be those of the same member entered twice,
    # once per role.
    people = random_people(15, 10, n_both=12, seed=seed, n_tags=12)
    both = people["role"] == "both"
    as_mentees = people[both].assign(role="mentee")
    as_mentors = people[both].assign(
        role="mentor", member_id=people.loc[both, "member_id"].astype(str) + "~mentor"
    )
    apart = pd.concat([people[~both], as_mentees, as_mentors], ignore_index=True)
    once, twice = (
        build_features(prepare_people(p), MatchConfig()) for p in (people, apart.sample(frac=1))
    )
    # The same members on each side, in the order each table lists them.
    order_e = [twice.mentee_ids.index(m) for m in once.mentee_ids]
    order_r = [
        twice.mentor_ids.index(m if m in twice.mentor_ids else m + "~mentor")
        for m in once.mentor_ids
    ]
    for name in ("interests_e", "community_e", "languages_e", "seeks_e"):
        assert np.array_equal(
            getattr(once, name).toarray(), getattr(twice, name)[order_e].toarray()
        ), name
    for name in ("interests_r_t", "community_r_t", "languages_r_t", "offers_r_t"):
        assert np.array_equal(getattr(once, name), getattr(twice, name)[:, order_r]), name
    assert np.array_equal(once.institution_e, twice.institution_e[order_e])
    assert np.array_equal(once.institution_r, twice.institution_r[order_r])
