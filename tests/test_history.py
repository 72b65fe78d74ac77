"""History across cohorts: our own exports read back, repeats, continuations, load, reuse."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mentoring.engine.cohort import score_people
from mentoring.engine.rules import exclusion_reasons
from mentoring.model.config import MatchConfig
from mentoring.model.errors import LoadError
from mentoring.model.people import empty_people
from mentoring.outputs.export import matches_csv, matches_xlsx
from mentoring.pipeline import match
from mentoring.reading.history import (
    CHANGE_COLUMNS,
    HISTORY_COLUMNS,
    apply_history,
    plan_history,
    read_history,
)
from mentoring.reading.synthetic import random_people


def people(rows):
    return pd.concat([empty_people(), pd.DataFrame(rows)], ignore_index=True)


def cohort_people():
    return people(
        {
            "member_id": ["e1", "e2", "r1", "r2"],
            "name": ["Eve", "Eli", "Rui", "Ria"],
            "email": ["eve@x.org", "eli@x.org", "rui@x.org", "ria@x.org"],
            "role": ["mentee", "mentee", "mentor", "mentor"],
            "interests": [("archives",), ("outreach",), ("archives",), ("outreach",)],
            "capacity": pd.array([pd.NA, pd.NA, 3, 1], dtype="Int64"),
        }
    )


def history_of(rows):
    frame = pd.DataFrame(rows, columns=list(HISTORY_COLUMNS[:5]))
    frame["year"] = frame["year"].astype("Int64")
    return frame


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_our_own_export_reads_back_as_history(kind):
    members = random_people(12, 6, seed=2)
    result = match(members, MatchConfig())
    data = (matches_csv if kind == "csv" else matches_xlsx)(result, members)
    history = read_history([(f"matches_2025.{kind}", data)])
    assert history.columns.tolist() == list(HISTORY_COLUMNS)
    expected = sorted(zip(result.pairs["mentee_id"], result.pairs["mentor_id"], strict=True))
    assert sorted(zip(history["mentee_id"], history["mentor_id"], strict=True)) == expected
    assert set(history["year"]) == {2025}
    assert not history["continue_mentee"].any()


def test_continue_flags_and_year_column():
    csv = (
        b"Year,Mentee ID,Mentor ID,Continue mentee,Continue mentor\n"
        b"2023,e1,r1,yes,no\n2024,e1,r1,Yes,YES\n"
    )
    history = read_history(("past.csv", csv))
    assert history["year"].tolist() == [2023, 2024]
    assert history["continue_mentee"].tolist() == [True, True]
    assert history["continue_mentor"].tolist() == [False, True]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("past.csv", "mentee_id,mentor_id\ne1,r1\n", "past.csv: no year found"),
        ("m_2024.csv", "mentee,mentor\ne1,r1\n", "no mentee_id or mentor_id column"),
        (
            "m_2024.csv",
            "mentee_id,mentor_id,continue\ne1,r1,maybe\n",
            "m_2024.csv, row 2, column \"continue\": could not read 'maybe' as yes or no",
        ),
        ("m.csv", "mentee_id,mentor_id,year\ne1,r1,last year\n", "expected a year such as 2024"),
        ("m_2024.csv", "mentee_id,mentor_id\ne1,\n", "row 2: the mentee_id or mentor_id is blank"),
    ],
)
def test_unusable_history_says_where_and_what_to_do(name, text, message):
    with pytest.raises(LoadError, match=message):
        read_history((name, text.encode()))


def test_past_pair_is_forbidden_by_the_repeat_rule():
    history = history_of([(2025, "e1", "r1", False, False)])
    new, config = apply_history(cohort_people(), history, MatchConfig())
    cohort = score_people(new, config)
    i, j = cohort.mentee_ids.index("e1"), cohort.mentor_ids.index("r1")
    assert np.isneginf(cohort.scores[i, j])
    assert exclusion_reasons(new, config, "e1", "r1") == ["Rui and Eve were paired before."]


def test_pair_that_both_want_to_continue_is_allowed_and_preferred():
    members = cohort_people()
    # The form also lists the old partner: continuing must still keep the pair allowed.
    members["past_partners"] = [("r1",), (), ("e1",), ()]
    history = history_of([(2025, "e1", "r1", True, True), (2025, "e2", "r2", True, False)])
    plan = plan_history(members, history, MatchConfig())
    new = plan.people.set_index("member_id")
    assert new.loc["e1", "preferred_mentors"][0] == "r1"
    assert new.loc["e1", "past_partners"] == ()
    assert new.loc["e2", "past_partners"] == ("r2",)
    cohort = score_people(plan.people, plan.config)
    i, j = cohort.mentee_ids.index("e1"), cohort.mentor_ids.index("r1")
    assert np.isfinite(cohort.scores[i, j])
    assert cohort.components["preference"][i, j] == 1.0
    assert plan.changes.columns.tolist() == list(CHANGE_COLUMNS)
    assert sorted(plan.changes["action"]) == ["continuing pair preferred", "repeat forbidden"]


def test_mentor_load_reduces_capacity_within_the_window_only():
    history = history_of(
        [
            (2021, "a", "r2", False, False),
            (2021, "b", "r2", False, False),
            (2021, "c", "r2", False, False),
            (2023, "a", "r1", False, False),
            (2024, "b", "r1", False, False),
            (2025, "c", "r1", False, False),
        ]
    )
    members = cohort_people()
    members.loc[members["member_id"] == "r2", "capacity"] = 2
    plan = plan_history(members, history, MatchConfig(), window=3, load_threshold=3)
    capacity = plan.people.set_index("member_id")["capacity"]
    assert capacity["r1"] == 2  # three mentees in 2023-2025
    assert capacity["r2"] == 2  # 2021 is outside the last three program years
    detail = plan.changes.loc[plan.changes["action"] == "capacity reduced", "detail"].tolist()
    assert detail == [
        "Mentored 3 mentees in 2023-2025 (threshold 3); capacity 3 -> 2 to spread the load."
    ]


def test_capacity_is_never_reduced_below_one():
    history = history_of([(2025, x, "r2", False, False) for x in "abc"])
    plan = plan_history(cohort_people(), history, MatchConfig())
    assert plan.people.set_index("member_id").loc["r2", "capacity"] == 1
    assert "capacity reduced" not in set(plan.changes["action"])


def test_returning_members_blank_answers_come_from_their_latest_record():
    members = cohort_people()
    members.loc[0, "interests"] = ()
    members.loc[0, "identities"] = ()
    old = cohort_people().assign(
        interests=[("cataloging",), (), (), ()], identities=[("lgbtq",), (), (), ()]
    )
    older = cohort_people().assign(interests=[("grant writing",), (), (), ()])
    # A new member id, same email: still the same person.
    old.loc[0, "member_id"] = "old-id"
    plan = plan_history(
        members, history_of([]), MatchConfig(), past_people={2023: older, 2024: old}
    )
    new = plan.people.set_index("member_id")
    assert new.loc["e1", "interests"] == ("cataloging",)
    assert new.loc["e1", "identities"] == ()
    reused = plan.changes[plan.changes["action"] == "answer reused"]
    assert reused[["member_id", "field"]].values.tolist() == [["e1", "interests"]]
    assert "the 2024 program" in reused["detail"].iloc[0]
    assert "cataloging" not in reused["detail"].iloc[0]
    with_ids = plan_history(
        members, history_of([]), MatchConfig(), past_people=[old], reuse_demographics=True
    )
    assert with_ids.people.set_index("member_id").loc["e1", "identities"] == ("lgbtq",)


def test_members_not_in_this_year_are_ignored():
    history = history_of([(2025, "gone", "r1", False, False)])
    plan = plan_history(cohort_people(), history, MatchConfig())
    assert plan.changes.empty
    assert plan.people["past_partners"].map(len).sum() == 0


def test_regression_one_upload_pair_is_one_file_not_two():
    # A (name, bytes) upload is a tuple too; it was once read as two separate sources.
    history = read_history(("matches_2024.csv", b"mentee_id,mentor_id\ne1,r1\n"))
    assert history[["year", "mentee_id", "mentor_id"]].values.tolist() == [[2024, "e1", "r1"]]


def test_a_capacity_eased_for_load_is_not_replaced_by_a_past_answer():
    # The load rule runs before answers are reused: once it set a capacity, that is not blank.
    members = cohort_people()
    members["capacity"] = pd.array([pd.NA] * 4, dtype="Int64")
    old = cohort_people().assign(capacity=pd.array([pd.NA, pd.NA, 5, 5], dtype="Int64"))
    history = history_of([(2025, x, "r1", False, False) for x in "abc"])
    config = MatchConfig(default_capacity=3)
    plan = plan_history(members, history, config, past_people=[old])
    capacity = plan.people.set_index("member_id")["capacity"]
    assert capacity["r1"] == config.default_capacity - 1
    assert capacity["r2"] == 5
    reused = plan.changes[plan.changes["action"] == "answer reused"]
    assert ["r1", "capacity"] not in reused[["member_id", "field"]].values.tolist()
    assert ["r2", "capacity"] in reused[["member_id", "field"]].values.tolist()
