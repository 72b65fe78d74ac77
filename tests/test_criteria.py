"""Criteria from the form's own questions: exact values per kind, drop-out, rules, audit, reasons."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentoring.checks.audit import audit_result
from mentoring.engine import fused
from mentoring.engine.cohort import _masked_scores
from mentoring.engine.criteria import criterion_key
from mentoring.engine.rules import exclusion_reasons, rule_blocks
from mentoring.engine.scoring import build_features, score_block, score_pairs
from mentoring.model.config import COMPONENTS, MatchConfig, Weights
from mentoring.model.people import prepare_people
from mentoring.model.questions import Criterion, encode_acceptability
from mentoring.outputs.explain import pair_reasons
from mentoring.pipeline import match

GRADES = ("AA", "AO", "EO", "HEO", "SEO", "Grade 7", "Grade 6")


def cohort(mentees: dict, mentors: dict) -> pd.DataFrame:
    """A people table: ``mentees``/``mentors`` map a ``q:`` column to one answer per member."""
    n = len(next(iter(mentees.values())))
    m = len(next(iter(mentors.values())))
    frame = pd.DataFrame(
        {
            "member_id": [f"e{k}" for k in range(n)] + [f"r{k}" for k in range(m)],
            "name": [f"Mentee {k}" for k in range(n)] + [f"Mentor {k}" for k in range(m)],
            "role": ["mentee"] * n + ["mentor"] * m,
        }
    )
    for column in sorted(set(mentees) | set(mentors)):
        blank = "" if column not in mentees or isinstance(mentees[column][0], str) else None
        left = mentees.get(column, [blank] * n)
        right = mentors.get(column, [blank] * m)
        frame[column] = pd.Series([*left, *right], dtype=object)
    return prepare_people(frame)


def block_of(people: pd.DataFrame, *criteria: Criterion, **weights: float) -> dict:
    config = MatchConfig(criteria=criteria, weights=Weights(**weights) if weights else Weights())
    return score_block(build_features(people, config))


def only(component: str) -> dict[str, float]:
    return {c: (1.0 if c == component else 0.0) for c in COMPONENTS}


# ----------------------------------------------------------------------------- exact values


def test_overlap_is_the_idf_weighted_cosine():
    people = cohort({"q:a": [("x", "y")]}, {"q:a": [("x",), ("x", "y"), ()]})
    block = block_of(people, Criterion("a", "overlap", "q:a", "q:a"))
    # 4 documents: x in 3 (idf ln(5/4)+1), y in 2 (idf ln(5/3)+1)
    ix, iy = math.log(5 / 4) + 1, math.log(5 / 3) + 1
    expected = ix / math.hypot(ix, iy)
    np.testing.assert_allclose(block["interests"][0], [expected, 1.0, 0.0])
    np.testing.assert_allclose(block["score"][0], [expected, 1.0, 0.0])


def test_seeks_offers_is_the_idf_weighted_share_offered():
    people = cohort(
        {"q:want": [("grants", "speaking")], "q:give": [()]},
        {"q:want": [(), ()], "q:give": [("grants",), ("speaking", "grants")]},
    )
    c = Criterion("skills", "seeks_offers", "q:want", "q:give")
    block = block_of(people, c)
    # 3 documents: grants in 3 (idf ln(4/4)+1 = 1), speaking in 2 (ln(4/3)+1)
    ig, isp = 1.0, math.log(4 / 3) + 1
    np.testing.assert_allclose(block["goals"][0], [ig / (ig + isp), 1.0])


def test_same_and_availability():
    people = cohort(
        {"q:site": ["Millbrook"], "q:slots": [("mon am", "tue pm", "wed pm")]},
        {"q:site": ["millbrook ", "Oakdale", ""], "q:slots": [("tue pm",), ("mon am", "x"), ()]},
    )
    site = Criterion("site", "same", "q:site", "q:site")
    slots = Criterion("slots", "availability", "q:slots", "q:slots")
    np.testing.assert_allclose(block_of(people, site)["community"][0], [1.0, 0.0, 0.0])
    # shared / min(size): 1/1, 1/2, and a mentor with no slots is neutral
    np.testing.assert_allclose(block_of(people, slots)["logistics"][0], [1.0, 0.5, 0.5])


@pytest.mark.parametrize(
    ("direction", "expected"),
    [
        # mentee at HEO (3); mentors at EO, HEO, SEO, Grade 7, Grade 6, blank
        ("mentor_above", [0.0, 0.5, 1.0, 1.0, 0.75, 0.5]),
        ("closer", [1 - 1 / 6, 1.0, 1 - 1 / 6, 1 - 2 / 6, 1 - 3 / 6, 0.5]),
    ],
)
def test_ordinal_by_direction(direction, expected):
    people = cohort({"q:grade": [3.0]}, {"q:grade": [2.0, 3.0, 4.0, 5.0, 6.0, np.nan]})
    c = Criterion("grade", "ordinal", "q:grade", "q:grade", levels=GRADES, direction=direction)
    np.testing.assert_allclose(block_of(people, c)["experience"][0], expected)


def test_ordinal_bounds_are_a_hard_rule_with_the_forms_words():
    people = cohort({"q:grade": [3.0]}, {"q:grade": [2.0, 3.0, 4.0, 6.0, np.nan]})
    c = Criterion("grade", "ordinal", "q:grade", "q:grade", levels=GRADES, min_above=1, max_above=2)
    config = MatchConfig(criteria=(c,))
    features = build_features(people, config)
    blocks = rule_blocks(features, config, np.array([0]))
    assert blocks["levels"].tolist() == [[True, True, False, True, False]]
    assert exclusion_reasons(people, config, "e0", "r0") == [
        "Mentor 0 is not above Mentee 0's grade (HEO \u2192 EO)."
    ]
    assert exclusion_reasons(people, config, "e0", "r3") == [
        "Mentor 3 is more than 2 levels above Mentee 0's grade (HEO \u2192 Grade 6)."
    ]


def test_acceptability_levels_and_the_no_rule():
    grid = encode_acceptability({"Fort Washington": 0, "Bethesda": 1, "Rockville": 2})
    people = cohort(
        {"q:sites": [grid, ()], "q:site": ["", ""]},
        {"q:sites": [()] * 4, "q:site": ["Fort Washington", "Bethesda", "Rockville", "Elsewhere"]},
    )
    c = Criterion(
        "site",
        "acceptability",
        "q:sites",
        "q:site",
        middle_score=0.4,
        headers=("Which sites could you travel to? [Fort Washington]",),
    )
    config = MatchConfig(criteria=(c,))
    block = score_block(build_features(people, config))
    np.testing.assert_allclose(block["logistics"][0], [0.0, 0.4, 1.0, 0.5])
    # the second mentee left the grid blank: the part drops out, and so does the component
    assert block["score"][1].tolist() == [0.0] * 4
    features = build_features(people, config)
    assert rule_blocks(features, config, np.array([0, 1]))["acceptability"].tolist() == [
        [True, False, False, False],
        [False, False, False, False],
    ]
    assert exclusion_reasons(people, config, "e0", "r0") == [
        "Mentee 0 answered No to Fort Washington for 'Which sites could you travel to?'."
    ]


def test_joint_grid_scores_the_best_option_both_accept():
    g = encode_acceptability
    people = cohort(
        {"q:sites": [g({"a": 2, "b": 1, "c": 0})]},
        {"q:sites": [g({"a": 2}), g({"a": 1, "b": 2}), g({"c": 2, "a": 0}), ()]},
    )
    c = Criterion("sites", "acceptability", "q:sites", "q:sites", joint=True)
    config = MatchConfig(criteria=(c,))
    features = build_features(people, config)
    np.testing.assert_allclose(score_block(features)["logistics"][0], [1.0, 0.5, 0.0, 0.5])
    assert rule_blocks(features, config, np.array([0]))["acceptability"].tolist() == [
        [False, False, True, False]
    ]


def test_reverse_grid_is_the_mentors_about_the_mentee():
    people = cohort(
        {"q:gender": ["Woman", "Man"], "q:ok": [(), ()]},
        {"q:gender": [""], "q:ok": [encode_acceptability({"woman": 2, "man": 0})]},
    )
    c = Criterion("gender", "acceptability", "q:gender", "q:ok", reverse=True)
    config = MatchConfig(criteria=(c,))
    features = build_features(people, config)
    assert rule_blocks(features, config, np.array([0, 1]))["acceptability"].tolist() == [
        [False],
        [True],
    ]
    assert exclusion_reasons(people, config, "e1", "r0") == [
        "Mentor 0 answered No to Man for 'gender'."
    ]


def test_shared_identity_only_for_a_yes_wish():
    people = cohort(
        {"q:gender": ["woman", "woman", ""], "q:same_gender": ["Yes", "no preference", "yes"]},
        {"q:gender": ["Woman", "man"], "q:same_gender": ["", ""]},
    )
    c = Criterion("gender", "shared_identity", "q:gender", "q:gender", wish_column="q:same_gender")
    features = build_features(people, MatchConfig(criteria=(c,)))
    block = score_block(features)
    np.testing.assert_allclose(block["diversity"][0], [1.0, 0.0])
    assert features.present["diversity"].tolist() == [True, False, False]


def test_free_text_uses_embeddings_and_drops_out_when_blank():
    people = cohort(
        {"q:text": ["I need help putting together my first grant application.", ""]},
        {
            "q:text": [
                "I have written dozens of funding proposals.",
                "I coach toddlers in swimming.",
                "",
            ]
        },
    )
    c = Criterion("text", "free_text", "q:text", "q:text")
    features = build_features(people, MatchConfig(criteria=(c,)))
    goals = score_block(features)["goals"]
    assert goals[0, 0] > goals[0, 1] >= 0 and goals[0, 2] == 0.0
    assert features.present["goals"].tolist() == [True, False]


def test_a_component_is_the_weighted_mean_of_the_parts_answered():
    people = cohort(
        {"q:a": [("x",), ("x",)], "q:b": [("y",), ()]},
        {"q:a": [("x",)], "q:b": [("z",)]},
    )
    a = Criterion("a", "overlap", "q:a", "q:a", weight=3.0)
    b = Criterion("b", "overlap", "q:b", "q:b", weight=1.0)
    block = block_of(people, a, b)
    # mentee 0 answered both: (3 * 1 + 1 * 0) / 4; mentee 1 only a: 1
    np.testing.assert_allclose(block["interests"][:, 0], [0.75, 1.0])


def test_the_library_part_counts_with_weight_one():
    people = cohort({"q:a": [("x",)]}, {"q:a": [("x",)]})
    people.loc[0, "interests"] = ("cats",)
    people.loc[1, "interests"] = ("dogs",)
    block = block_of(people, Criterion("a", "overlap", "q:a", "q:a", weight=2.0))
    np.testing.assert_allclose(block["interests"][0, 0], 2.0 / 3.0)


def test_criteria_in_people_attrs_are_used_when_the_config_has_none():
    people = cohort({"q:a": [("x",)]}, {"q:a": [("x",), ()]})
    people.attrs["criteria"] = [Criterion("a", "overlap", "q:a", "q:a").to_dict()]
    np.testing.assert_allclose(
        score_block(build_features(people, MatchConfig()))["score"], [[1, 0]]
    )


# ----------------------------------------------------------------------------- properties

KINDS = [
    Criterion("areas", "overlap", "q:areas", "q:areas"),
    Criterion("skills", "seeks_offers", "q:want", "q:give", weight=2.0),
    Criterion("site", "same", "q:site", "q:site", weight=0.5),
    Criterion("grade", "ordinal", "q:grade", "q:grade", levels=GRADES, min_above=0),
    Criterion("near", "ordinal", "q:grade", "q:grade", direction="closer", component="community"),
    Criterion("slots", "availability", "q:slots", "q:slots"),
    Criterion("sites", "acceptability", "q:sites", "q:site"),
    Criterion("both_sites", "acceptability", "q:joint", "q:joint", joint=True),
    Criterion("gender", "shared_identity", "q:gender", "q:gender", wish_column="q:wish"),
    Criterion("text", "free_text", "q:text", "q:text"),
]

TAGS = st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=3).map(lambda t: tuple(sorted(t)))
SITES = ["", "north", "south", "east"]
TEXTS = ["", "grant writing and funding", "public speaking", "data analysis in python"]


@st.composite
def members(draw, n: int) -> dict:
    grid = st.dictionaries(st.sampled_from(SITES[1:]), st.integers(0, 2), max_size=3).map(
        encode_acceptability
    )
    return {
        "q:areas": draw(st.lists(TAGS, min_size=n, max_size=n)),
        "q:want": draw(st.lists(TAGS, min_size=n, max_size=n)),
        "q:give": draw(st.lists(TAGS, min_size=n, max_size=n)),
        "q:site": draw(st.lists(st.sampled_from(SITES), min_size=n, max_size=n)),
        "q:grade": draw(
            st.lists(st.sampled_from([np.nan, 0.0, 1.0, 2.0, 3.0]), min_size=n, max_size=n)
        ),
        "q:slots": draw(st.lists(TAGS, min_size=n, max_size=n)),
        "q:sites": draw(st.lists(grid, min_size=n, max_size=n)),
        "q:joint": draw(st.lists(grid, min_size=n, max_size=n)),
        "q:gender": draw(st.lists(st.sampled_from(["", "w", "m"]), min_size=n, max_size=n)),
        "q:wish": draw(st.lists(st.sampled_from(["", "yes", "no"]), min_size=n, max_size=n)),
        "q:text": draw(st.lists(st.sampled_from(TEXTS), min_size=n, max_size=n)),
    }


@settings(max_examples=25, deadline=None)
@given(e=members(5), r=members(4), seed=st.integers(0, 1000))
def test_scores_in_unit_interval_pairs_equal_blocks_and_rules_agree_with_the_audit(e, r, seed):
    people = cohort(e, r)
    config = MatchConfig(criteria=tuple(KINDS), forbid_same_institution=False)
    features = build_features(people, config)
    block = score_block(features)
    for name in (*COMPONENTS, "score"):
        assert np.all((block[name] >= 0) & (block[name] <= 1 + 1e-12)), name
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, 5, size=40)
    cols = rng.integers(0, 4, size=40)
    pairs = score_pairs(features, rows, cols, chunk=7)
    for name in (*COMPONENTS, "score"):
        np.testing.assert_allclose(pairs[name], block[name][rows, cols], atol=1e-6, err_msg=name)
    # each criterion's own value: NaN exactly where the mentee did not answer
    for part in features.criteria:
        own = pairs[criterion_key(part.criterion.name)]
        assert np.array_equal(np.isnan(own), ~part.present[rows])
    excluded = np.zeros(features.shape, dtype=bool)
    for mask in rule_blocks(features, config, np.arange(5)).values():
        excluded |= mask
    template = SimpleNamespace(pairs=None)
    for i in range(5):
        for j in range(4):
            single = pd.DataFrame(
                {"mentee_id": [f"e{i}"], "mentor_id": [f"r{j}"], "score": [1.0], "locked": [False]}
            )
            template.pairs = single
            assert audit_result(people, config, template).ok == (not excluded[i, j])
            assert (
                bool(exclusion_reasons(people, config, f"e{i}", f"r{j}", features=features))
                == (excluded[i, j])
            )


@settings(max_examples=25, deadline=None)
@given(
    e=members(5),
    r=members(4),
    weights=st.lists(st.sampled_from([0.0, 0.5, 1.0, 3.0]), min_size=7, max_size=7),
    budget=st.sampled_from([0, 10, 10**9]),
    tile=st.sampled_from([1, 2, 8192]),
)
def test_the_solvers_one_product_total_equals_the_weighted_mean_of_components(
    e, r, weights, budget, tile
):
    # The solver's passes read the total from one stacked product (mentoring.engine.fused);
    # explanations read every component: both must give the same score, whatever the weights
    # and whether a table fits the product (budget) or is gathered block by block.
    people = cohort(e, r)
    if not any(weights):
        weights = [1.0] * 7
    config = MatchConfig(
        criteria=tuple(KINDS), weights=Weights(**dict(zip(COMPONENTS, weights, strict=True)))
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fused, "_DENSE_BUDGET", budget)
        # The estimate's product tile by tile (mentors 2 at a time, or 1) or in one piece.
        patch.setattr(fused, "_TILE_MENTORS", tile)
        features = build_features(people, config)
        full = score_block(features)["score"]
        rows = np.array([4, 0, 2])
        block = fused.total_block(features, rows)
        np.testing.assert_allclose(block, full[rows], atol=1e-6)
        total = score_block(features, total_only=True)["score"]
        # The first pass ranks a float32 estimate, which must stay within its stated error,
        # and scores the pairs it keeps one by one, as the block does.
        found = fused.estimate_block(features, rows)
        plan = fused._estimate_plan(features)
        if plan.tiles:
            whole = np.asarray(plan.left[rows] @ np.hstack(plan.tiles), dtype=np.float32)
            assert np.array_equal(plan.product(rows, 4), whole)
        error = found.error
        assert found.block.dtype == np.float32
        assert np.all(np.abs(found.block - block) <= error[:, None]) and np.all(error < 1e-5)
        # The estimate's own pairs are scored from the block's terms: exactly its cells.
        pair_cols = np.tile(np.arange(4), 3)
        local = np.repeat(np.arange(3), 4)
        assert np.array_equal(found.exact(local, pair_cols), block.ravel())
        # Made from a run's products prepared at once (free text's), the estimate is the same.
        ahead = fused.prepare_estimate(features, np.arange(5))
        run = np.arange(1, 4)
        alone, sliced = (
            fused.estimate_block(features, run),
            fused.estimate_block(features, run, ahead),
        )
        assert np.array_equal(sliced.block, alone.block)
        assert np.array_equal(sliced.exact(local, pair_cols), alone.exact(local, pair_cols))
        with pytest.raises(ValueError, match="run of the rows"):
            fused.estimate_block(features, rows, ahead)
    np.testing.assert_allclose(total, full, atol=1e-6)


def test_a_pairs_total_stays_the_same_once_the_estimate_is_built():
    # The stacked product's rows held their terms unsorted, and scipy sorted them in place the
    # first time an operation wanted them sorted: the same pair then summed in another order,
    # a last-bit change between total_block before and after the first estimate (hypothesis
    # found it as the estimate's exact totals differing from the block's).
    blank = {"q:site": "", "q:grade": math.nan, "q:slots": (), "q:sites": (), "q:joint": ()}
    blank |= {"q:gender": "", "q:wish": "", "q:text": ""}
    e = {
        "q:areas": [(), (), (), (), ("a", "b")],
        "q:want": [(), (), (), ("a",), ("a", "b")],
        "q:give": [()] * 5,
        **{k: [v] * 5 for k, v in blank.items()},
    }
    r = {
        "q:areas": [(), (), ("a",), ()],
        "q:want": [()] * 4,
        "q:give": [(), (), ("a", "b"), ()],
        **{k: [v] * 4 for k, v in blank.items()},
    }
    features = build_features(cohort(e, r), MatchConfig(criteria=tuple(KINDS)))
    rows = np.array([4, 0, 2])
    before = fused.total_block(features, rows)
    found = fused.estimate_block(features, rows)
    local, pair_cols = np.repeat(np.arange(3), 4), np.tile(np.arange(4), 3)
    assert np.array_equal(found.exact(local, pair_cols), before.ravel())
    assert np.array_equal(fused.total_block(features, rows), before)


@settings(max_examples=25, deadline=None)
@given(
    e=members(5),
    r=members(4),
    picks=st.lists(st.integers(0, 3), min_size=0, max_size=6),
    min_score=st.sampled_from([0.0, 0.2, 0.45]),
    budget=st.sampled_from([0, 10**9]),
)
def test_the_masked_scores_of_some_mentors_are_those_columns_of_the_block(
    e, r, picks, min_score, budget
):
    # The certificate scores only the mentors priced low enough to matter
    # (solve_certified(score_cells=...)); each value must be the one the whole row gets.
    people = cohort(e, r)
    config = MatchConfig(criteria=tuple(KINDS), min_score=min_score)
    cols = np.array(picks, dtype=np.int64)
    rows = np.array([3, 0, 4])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fused, "_DENSE_BUDGET", budget)
        features = build_features(people, config)
        every = _masked_scores(features, config, rows)[:, cols]
        some = _masked_scores(features, config, rows, cols=cols)
    assert np.array_equal(np.isneginf(some), np.isneginf(every))
    finite = np.isfinite(every)
    # Free text is a float32 product, whose sums may round differently on fewer columns.
    np.testing.assert_allclose(some[finite], every[finite], rtol=0, atol=1e-6)


@settings(max_examples=25, deadline=None)
@given(e=members(4), r=members(3))
def test_a_blank_answer_drops_out_and_costs_nothing(e, r):
    people = cohort(e, r)
    weights = {c: 1.0 for c in COMPONENTS}
    area = Criterion("areas", "overlap", "q:areas", "q:areas")
    site = Criterion("site", "same", "q:site", "q:site", component="interests")
    features = build_features(
        people, MatchConfig(criteria=(area, site), weights=Weights(**weights))
    )
    block = score_block(features)
    answered_area = np.array([bool(t) for t in e["q:areas"]])
    answered_site = np.array([bool(s) for s in e["q:site"]])
    assert features.present["interests"].tolist() == (answered_area | answered_site).tolist()
    only_area = answered_area & ~answered_site
    alone = score_block(build_features(people, MatchConfig(criteria=(area,))))
    np.testing.assert_allclose(block["interests"][only_area], alone["interests"][only_area])


@settings(max_examples=25, deadline=None)
@given(e=members(4), r=members(4))
def test_the_no_pairs_are_exactly_the_excluded_ones(e, r):
    people = cohort(e, r)
    c = Criterion("sites", "acceptability", "q:sites", "q:site")
    config = MatchConfig(criteria=(c,))
    features = build_features(people, config)
    got = rule_blocks(features, config, np.arange(4)).get("acceptability", np.zeros((4, 4), bool))
    from mentoring.model.questions import decode_acceptability

    expected = np.array(
        [
            [bool(site) and decode_acceptability(grid).get(site) == 0 for site in r["q:site"]]
            for grid in e["q:sites"]
        ]
    )
    assert np.array_equal(got, expected)


# ----------------------------------------------------------------------------- through match()


def test_match_never_pairs_against_a_no_or_below_the_grade():
    rng = np.random.default_rng(3)
    n, m = 30, 15
    sites = ["north", "south", "east"]
    grids = [encode_acceptability({s: int(rng.integers(0, 3)) for s in sites}) for _ in range(n)]
    people = cohort(
        {
            "q:sites": grids,
            "q:site": [""] * n,
            "q:grade": list(rng.integers(0, 4).astype(float) for _ in range(n)),
        },
        {
            "q:sites": [()] * m,
            "q:site": list(rng.choice(sites, m)),
            "q:grade": list(rng.integers(0, 7, m).astype(float)),
        },
    )
    people.loc[people["role"] == "mentor", "capacity"] = 3
    criteria = (
        Criterion("site", "acceptability", "q:sites", "q:site"),
        Criterion("grade", "ordinal", "q:grade", "q:grade", levels=GRADES, min_above=1),
    )
    result = match(people, MatchConfig(criteria=criteria))
    assert result.audit.ok, result.audit.problems
    assert "no answered No on the form" in result.audit.checked
    by_id = people.set_index("member_id")
    for e_id, r_id in zip(result.pairs["mentee_id"], result.pairs["mentor_id"], strict=True):
        from mentoring.model.questions import decode_acceptability

        grid = decode_acceptability(by_id.loc[e_id, "q:sites"])
        assert grid.get(by_id.loc[r_id, "q:site"]) != 0
        assert by_id.loc[r_id, "q:grade"] - by_id.loc[e_id, "q:grade"] >= 1


# ----------------------------------------------------------------------------- reasons


def test_reasons_in_the_forms_words():
    grade = Criterion("grade", "ordinal", "q:grade", "q:grade", levels=GRADES)
    areas = Criterion("areas", "overlap", "q:areas", "q:areas")
    site = Criterion("site", "same", "q:site", "q:site")
    ok = Criterion(
        "site_ok",
        "acceptability",
        "q:sites",
        "q:site",
        label="site",
        levels=("No", "Not my first preference, but I'd make it work", "Definitely yes"),
    )
    text = Criterion("goals", "free_text", "q:hopes", "q:offer")
    mentee = {
        "q:grade": 3.0,
        "q:areas": ("computer vision", "nlp"),
        "q:site": "Millbrook",
        "q:sites": encode_acceptability({"Millbrook": 2}),
        "q:hopes": "I live in Leeds. I need help with my first grant application.",
    }
    mentor = {
        "q:grade": 5.0,
        "q:areas": ("computer vision",),
        "q:site": "millbrook",
        "q:offer": "I love hiking. I have secured multi-year awards from funding agencies.",
    }
    reasons = pair_reasons(mentee, mentor, {}, criteria=[areas, grade, site, ok, text])
    assert reasons == (
        "both chose Computer Vision; mentor is two grades above (HEO \u2192 Grade 7); "
        "both at Millbrook; fits the mentee's site preference (Definitely yes); "
        'the mentee wrote "I need help with my first grant application."; the mentor wrote '
        '"I have secured multi-year awards from funding agencies."'
    )
    # a criterion the pair did not score on (value 0, or NaN: not answered) says nothing
    values = {"areas": 0.0, "grade": math.nan, "site": 1.0, "site_ok": 1.0, "goals": 0.0}
    assert pair_reasons(
        mentee, mentor, {}, criteria=[areas, grade, site, ok, text], values=values
    ) == ("both at Millbrook; fits the mentee's site preference (Definitely yes)")


def test_no_library_words_without_library_fields():
    e = {"career_stage": "senior", "library_type": ""}
    r = {"career_stage": "mid-career", "library_type": ""}
    assert pair_reasons(r | {}, e, {}) == "a senior member mentoring a mid-career member"
    library = {"library_type": "academic"}
    assert pair_reasons(r | library, e | library, {}).endswith(
        "senior librarian mentoring a mid-career librarian"
    )
