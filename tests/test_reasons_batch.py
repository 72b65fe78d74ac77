"""reasons_for_pairs: for many pairs at once, exactly the lines pair_reasons gives pair by pair."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentoring.engine.criteria import criterion_key
from mentoring.engine.scoring import build_features, score_pairs
from mentoring.model.config import COMPONENTS, MatchConfig
from mentoring.model.people import prepare_people
from mentoring.model.questions import Criterion, encode_acceptability
from mentoring.outputs.explain import pair_reasons, reasons_for_pairs
from mentoring.pipeline import match
from mentoring.reading.synthetic import random_people

GRADES = ("AA", "AO", "EO", "HEO", "SEO", "Grade 7", "Grade 6")
SITES = ("north", "South", "east side")
SITE_WORDS = ("No", "Not my first preference, but I'd make it work", "Definitely yes")

# Every kind, and the variants that word themselves differently: a place label, levels or none,
# a grid on either side or on both.
CRITERIA = (
    Criterion("areas", "overlap", "q:areas", "q:areas"),
    Criterion("skills", "seeks_offers", "q:want", "q:give"),
    Criterion("site", "same", "q:site", "q:site"),
    Criterion("team", "same", "q:team", "q:team"),
    Criterion("grade", "ordinal", "q:grade", "q:grade", levels=GRADES),
    Criterion("near", "ordinal", "q:grade", "q:grade", direction="closer", component="community"),
    Criterion("slots", "availability", "q:slots", "q:slots"),
    Criterion("site_ok", "acceptability", "q:sites", "q:site", label="site", levels=SITE_WORDS),
    Criterion("gender_ok", "acceptability", "q:gender", "q:genders_ok", reverse=True),
    Criterion("both_sites", "acceptability", "q:joint", "q:joint", joint=True),
    Criterion("gender", "shared_identity", "q:gender", "q:gender", wish_column="q:wish"),
    Criterion("goals", "free_text", "q:text", "q:text"),
)

TEXTS = (
    "",
    "I need help with grant writing. I live in Ohio.",
    "I have written many funding proposals. I enjoy hiking.",
    "Public speaking and presenting at conferences.",
)


def one_by_one(
    mentees: Sequence[dict],
    mentors: Sequence[dict],
    components: dict[str, np.ndarray],
    ranks: Sequence[int],
    criteria: Sequence[Criterion],
    values: dict[str, np.ndarray | None] | None,
) -> list[str]:
    """The reference: pair_reasons on each pair, given what that pair alone knows."""
    out = []
    for k, (e, r) in enumerate(zip(mentees, mentors, strict=True)):
        own = None
        if values is not None:
            own = {n: float(v[k]) if v is not None else math.nan for n, v in values.items()}
        parts = {c: float(a[k]) for c, a in components.items()}
        out.append(pair_reasons(e, r, parts, ranks[k], criteria=criteria, values=own))
    return out


# ----------------------------------------------------------------------------- any answers

TAG = st.sampled_from(
    ["archives", "Outreach", "outreach", " data  science", "acrl", "nmrt", "english", "spanish"]
)
TAGS = st.one_of(
    st.lists(TAG, max_size=4).map(tuple), st.lists(TAG, max_size=3), st.none(), st.just("x")
)
WORD = st.one_of(
    st.sampled_from(
        ["", "academic", " Academic ", "public", "ohio", "in person", "online", "either"]
        + ["student", "new professional", "mid-career", "senior", "retired", "North", "north"]
    ),
    st.none(),
    st.just(math.nan),
    st.integers(0, 2),
)
NUMBER = st.sampled_from([math.nan, None, 0.0, -0.0, 1.0, 2.5, -5.0, -6.0, 30.0, "7", "x"])
GRID = st.one_of(
    st.dictionaries(st.sampled_from(SITES), st.integers(0, 2), max_size=3).map(
        encode_acceptability
    ),
    st.lists(st.sampled_from(["2:north", "1:south", "0:east side", "north", "x:y"]), max_size=3),
    st.none(),
)

MEMBER = st.fixed_dictionaries(
    {},
    optional={
        "interests": TAGS,
        "seeks": TAGS,
        "offers": TAGS,
        "divisions": TAGS,
        "languages": TAGS,
        "identity_preference": TAGS,
        "library_type": WORD,
        "chapter": WORD,
        "meeting_mode": WORD,
        "career_stage": WORD,
        "timezone": NUMBER,
        "years_experience": NUMBER,
        "q:areas": TAGS,
        "q:want": TAGS,
        "q:give": TAGS,
        "q:slots": TAGS,
        "q:site": WORD,
        "q:team": WORD,
        "q:grade": NUMBER,
        "q:sites": GRID,
        "q:joint": GRID,
        "q:genders_ok": GRID,
        "q:gender": st.sampled_from(["", "w", "m", "North"]),
        "q:wish": st.sampled_from(["", "yes", "Yes ", "no"]),
        "q:text": st.sampled_from(TEXTS),
    },
)

VALUE = st.sampled_from([math.nan, 0.0, -1.0, 0.3, 1.0])


@st.composite
def batches(draw: st.DrawFn) -> dict:
    """A few members in many pairs (so each recurs), with per-pair components and values."""
    mentees = draw(st.lists(MEMBER, min_size=1, max_size=4))
    mentors = draw(st.lists(MEMBER, min_size=1, max_size=4))
    n = draw(st.integers(1, 12))
    rows = draw(st.lists(st.integers(0, len(mentees) - 1), min_size=n, max_size=n))
    cols = draw(st.lists(st.integers(0, len(mentors) - 1), min_size=n, max_size=n))
    criteria = draw(st.lists(st.sampled_from(CRITERIA), max_size=5, unique_by=lambda c: c.name))

    def column() -> np.ndarray:
        return np.array(draw(st.lists(VALUE, min_size=n, max_size=n)))

    components = {c: column() for c in draw(st.sets(st.sampled_from(COMPONENTS)))}
    values: dict[str, np.ndarray | None] | None = None
    if draw(st.booleans()):
        values = {}
        for c in criteria:
            # given, blank on every pair, or left to the components or to the answers
            how = draw(st.sampled_from(["array", "none", "absent"]))
            if how != "absent":
                values[c.name] = column() if how == "array" else None
    for c in criteria:
        if draw(st.booleans()):
            components[criterion_key(c.name)] = column()
    return {
        "mentees": [mentees[i] for i in rows],
        "mentors": [mentors[j] for j in cols],
        "components": components,
        "ranks": draw(st.lists(st.integers(0, 7), min_size=n, max_size=n)),
        "criteria": criteria,
        "values": values,
    }


@settings(max_examples=150, deadline=None)
@given(batch=batches())
def test_a_batch_says_exactly_what_each_pair_says_alone(batch):
    expected = one_by_one(**batch)
    assert reasons_for_pairs(**batch) == expected


def test_records_made_on_the_fly_are_not_confused():
    # A sequence that makes a new dict on every read: an id freed by one record can be reused by
    # the next, which must not be taken for the same member.
    class Fresh(Sequence):
        def __init__(self, records: list[dict]) -> None:
            self.records = records

        def __len__(self) -> int:
            return len(self.records)

        def __getitem__(self, k):
            return dict(self.records[k])

    mentees = [{"interests": (f"topic {k}",), "timezone": float(k)} for k in range(50)]
    mentors = [{"interests": (f"topic {k}",), "timezone": 0.0} for k in range(50)]
    ranks = [0] * 50
    expected = one_by_one(mentees, mentors, {}, ranks, (), None)
    assert reasons_for_pairs(Fresh(mentees), Fresh(mentors), {}, ranks) == expected
    assert expected[3] == "shares topic 3; 3 hours apart"


def test_one_entry_per_pair_is_required():
    e, r = {"interests": ("a",)}, {"interests": ("a",)}
    with pytest.raises(ValueError, match="one entry per pair"):
        reasons_for_pairs([e, e], [r], {}, [0, 0])
    with pytest.raises(ValueError, match="diversity"):
        reasons_for_pairs([e], [r], {"diversity": np.zeros(2)}, [0])
    with pytest.raises(ValueError, match="areas"):
        reasons_for_pairs([e], [r], {}, [0], criteria=CRITERIA[:1], values={"areas": np.ones(3)})
    assert reasons_for_pairs([], [], {}, []) == []


# ----------------------------------------------------------------------------- a real cohort


def cohort(seed: int) -> tuple:
    """A matched synthetic cohort with the form's own questions: people, config and result."""
    rng = np.random.default_rng(seed)
    people = random_people(300, 150, seed=seed)
    n = len(people)
    areas = ["python", "grants", "nlp", "computer vision", "outreach", "policy"]

    def tags(most: int) -> list[tuple[str, ...]]:
        return [
            tuple(sorted({str(t) for t in rng.choice(areas, size=rng.integers(0, most + 1))}))
            for _ in range(n)
        ]

    def pick(options: Sequence[str]) -> list[str]:
        return [str(x) for x in rng.choice(list(options), size=n)]

    def grids(rated: Sequence[str], lowest: int) -> list[tuple[str, ...]]:
        return [
            encode_acceptability(
                {s: int(rng.integers(lowest, 3)) for s in rated if rng.random() < 0.7}
            )
            for _ in range(n)
        ]

    people["q:areas"] = tags(3)
    people["q:want"] = tags(2)
    people["q:give"] = tags(2)
    people["q:slots"] = tags(2)
    people["q:site"] = pick([*SITES, ""])
    people["q:team"] = pick(["red", "Blue", ""])
    people["q:grade"] = rng.choice([np.nan, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0], size=n)
    # grids mostly without a "No", so that most pairs stay allowed
    people["q:sites"] = grids(SITES, 1)
    people["q:joint"] = grids(SITES, 0)
    people["q:genders_ok"] = grids(["w", "m"], 1)
    people["q:gender"] = pick(["", "w", "m"])
    people["q:wish"] = pick(["", "yes", "no"])
    people["q:text"] = pick(TEXTS)
    mentor_ids = people.loc[people["role"] == "mentor", "member_id"].tolist()
    people["preferred_mentors"] = [
        tuple(rng.choice(mentor_ids, size=rng.integers(0, 4)).tolist()) if role == "mentee" else ()
        for role in people["role"]
    ]
    config = MatchConfig(criteria=CRITERIA, forbid_same_institution=False)
    return prepare_people(people), config, match(people, config)


def ranks_of(records: dict[str, dict], mentee_ids: list[str], mentor_ids: list[str]) -> list[int]:
    """1 for the mentee's first named mentor, 2 the second, ... (capped at 4), else 0."""
    out = []
    for e, r in zip(mentee_ids, mentor_ids, strict=True):
        named = [m for m in dict.fromkeys(records[e]["preferred_mentors"]) if m in records]
        out.append(min(named.index(r) + 1, 4) if r in named else 0)
    return out


@pytest.mark.parametrize("seed", [3, 17])
def test_a_matched_cohort_reads_the_same_in_one_batch(seed):
    people, config, result = cohort(seed)
    columns = list(people.columns)
    records = {
        row[0]: dict(zip(columns, row, strict=True))
        for row in zip(*(people[c].tolist() for c in columns), strict=True)
    }
    features = build_features(people, config)
    row_of = {m: i for i, m in enumerate(features.mentee_ids)}
    col_of = {m: j for j, m in enumerate(features.mentor_ids)}
    without_text = tuple(c for c in CRITERIA if c.kind != "free_text")
    for table, criteria in ((result.pairs, CRITERIA), (result.alternatives, without_text)):
        assert len(table) > 100
        mentee_ids, mentor_ids = table["mentee_id"].tolist(), table["mentor_id"].tolist()
        rows = np.array([row_of[m] for m in mentee_ids])
        cols = np.array([col_of[m] for m in mentor_ids])
        scored = score_pairs(features, rows, cols)
        batch: dict[str, Any] = {
            "mentees": [records[m] for m in mentee_ids],
            "mentors": [records[m] for m in mentor_ids],
            "components": {c: scored[c] for c in COMPONENTS},
            "ranks": ranks_of(records, mentee_ids, mentor_ids),
            "criteria": criteria,
            "values": {c.name: scored.get(criterion_key(c.name)) for c in criteria},
        }
        reasons = reasons_for_pairs(**batch)
        assert reasons == one_by_one(**batch)
        # the lines the match itself wrote for these pairs
        assert reasons == table["reasons"].tolist()
        said = " ".join(reasons)
        for words in ("both chose", "mentor is", "fits the mentee's", "both accept", "choice"):
            assert words in said, words
