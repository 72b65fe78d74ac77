"""Hard rules, cross-checked pair by pair against the independent audit (two implementations)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentoring.checks.audit import audit_result
from mentoring.engine.rules import allowed_block, exclusion_reasons, forbidden_cells, rule_blocks
from mentoring.engine.scoring import build_features, score_block
from mentoring.model.config import MatchConfig
from mentoring.model.people import prepare_people
from mentoring.pipeline import match
from mentoring.reading.synthetic import random_people


def _messy(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    people = random_people(7, 5, n_both=3, seed=seed, n_institutions=4, n_tags=12)
    ids = list(people.member_id)
    people["past_partners"] = [
        tuple(rng.choice(ids, size=rng.integers(0, 2), replace=False)) for _ in ids
    ]
    people["languages"] = [
        tuple(rng.choice(["english", "spanish", "korean"], size=rng.integers(0, 2), replace=False))
        for _ in ids
    ]
    people.loc[rng.random(len(ids)) < 0.2, "timezone"] = np.nan
    return prepare_people(people)


def _with_forbidden(seed: int, config: MatchConfig, forbid: int) -> tuple:
    """The messy cohort's features under ``config`` with its first ``forbid`` pairs ruled out."""
    people = _messy(seed)
    features = build_features(people, config)
    forbidden = [(features.mentee_ids[k], features.mentor_ids[k]) for k in range(forbid)]
    config = replace(config, forbidden_pairs=tuple(forbidden))
    return build_features(people, config), config


configs = st.builds(
    MatchConfig,
    forbid_same_institution=st.booleans(),
    forbid_repeat_pairs=st.booleans(),
    require_shared_language=st.booleans(),
    require_compatible_meeting_mode=st.booleans(),
    max_timezone_difference=st.one_of(st.none(), st.sampled_from([0.0, 1.0, 2.0])),
    min_score=st.sampled_from([0.0, 0.3, 0.5]),
)


# A cohort (its seed), the rules, how many pairs the coordinator rules out, and some positions.
given_rule_cases = given(
    seed=st.integers(0, 500),
    config=configs,
    forbid=st.integers(0, 3),
    picks=st.lists(st.integers(0, 9), min_size=0, max_size=6),
)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 500), config=configs, forbid=st.integers(0, 3))
def test_rules_agree_with_the_independent_audit_on_every_pair(seed, config, forbid):
    people = _messy(seed)
    features, config = _with_forbidden(seed, config, forbid)
    rows = np.arange(features.shape[0])
    scores = score_block(features, rows)["score"]
    allowed = allowed_block(features, config, rows, scores)
    template = match(people, config)
    for i, mentee_id in enumerate(features.mentee_ids):
        for j, mentor_id in enumerate(features.mentor_ids):
            single = pd.DataFrame(
                {
                    "mentee_id": [mentee_id],
                    "mentor_id": [mentor_id],
                    "score": [scores[i, j]],
                    "locked": [False],
                }
            )
            verdict = audit_result(people, config, replace(template, pairs=single))
            assert verdict.ok == bool(allowed[i, j]), (mentee_id, mentor_id, verdict.problems)
            assert bool(
                exclusion_reasons(people, config, mentee_id, mentor_id, features=features)
            ) == (not allowed[i, j])


def test_rules_switched_off_exclude_nothing_but_self():
    people = _messy(3)
    config = MatchConfig(forbid_same_institution=False, forbid_repeat_pairs=False)
    features = build_features(people, config)
    blocks = rule_blocks(features, config, np.arange(features.shape[0]))
    assert set(blocks) <= {"self"}


@pytest.mark.parametrize(
    ("field", "config", "expected"),
    [
        ("institution", MatchConfig(), "works at the same institution as Eve"),
        ("languages", MatchConfig(require_shared_language=True), "shares no language"),
        ("timezone", MatchConfig(max_timezone_difference=2), "more than 2 hours"),
        ("meeting_mode", MatchConfig(require_compatible_meeting_mode=True), "different meeting"),
        ("past_partners", MatchConfig(), "paired before"),
    ],
)
def test_each_rule_explains_itself(field, config, expected):
    values = {
        "institution": (["Tulane", "tulane "]),
        "languages": ([("english",), ("korean",)]),
        "timezone": ([-5.0, 3.0]),
        "meeting_mode": (["in person", "online"]),
        "past_partners": ([(), ("e",)]),
    }
    people = prepare_people(
        pd.DataFrame(
            {
                "member_id": ["e", "r"],
                "name": ["Eve", "Rui"],
                "role": ["mentee", "mentor"],
                field: values[field],
            }
        )
    )
    reasons = exclusion_reasons(people, config, "e", "r")
    assert len(reasons) == 1 and expected in reasons[0]


@settings(max_examples=30, deadline=None)
@given_rule_cases
def test_the_rules_of_some_mentors_are_those_columns_of_every_mentors_rules(
    seed, config, forbid, picks
):
    # The certificate reads only the mentors priced low enough to matter; any rule that read
    # the wrong column there would let a forbidden pair into a proof.
    features, config = _with_forbidden(seed, config, forbid)
    rows = np.arange(features.shape[0])[::-1]
    cols = np.array([p % features.shape[1] for p in picks], dtype=np.int64)
    every = rule_blocks(features, config, rows)
    some = rule_blocks(features, config, rows, cols)
    for code, mask in every.items():
        assert np.array_equal(some.get(code, np.zeros((rows.size, cols.size), bool)), mask[:, cols])
    for code, mask in some.items():
        assert code in every or not mask.any()


@settings(max_examples=40, deadline=None)
@given_rule_cases
def test_the_listed_forbidden_pairs_are_every_pair_the_rule_blocks_mark(
    seed, config, forbid, picks
):
    # The large path marks and counts forbidden pairs from this list instead of the blocks: a
    # pair missing from it would be proposed, and one too many would hide a mentor.
    features, config = _with_forbidden(seed, config, forbid)
    rows = np.array([p % features.shape[0] for p in picks], dtype=np.int64)
    listed = forbidden_cells(features, config, rows)
    dense = config.require_shared_language or config.require_compatible_meeting_mode
    if dense or config.max_timezone_difference is not None:
        assert listed is None
        return
    assert listed is not None
    marked = np.zeros((rows.size, features.shape[1]), dtype=bool)
    for mask in rule_blocks(features, config, rows).values():
        marked |= mask
    local, cols = listed
    assert np.array_equal(np.flatnonzero(marked), local * features.shape[1] + cols)
