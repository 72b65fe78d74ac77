"""A program through the year: newcomers into free places, re-matching after a check-in."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mentoring import (
    MatchConfig,
    apply_history,
    checkin_history,
    match,
    match_newcomers,
    read_checkin,
    read_pairs,
    rematch_after_checkin,
)
from mentoring.model.errors import LoadError
from mentoring.pipeline import load_people

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "members.csv"


@pytest.fixture(scope="module")
def sample():
    people, _ = load_people(SAMPLE, duplicates="keep_first")
    mentees = people.index[people["role"] == "mentee"]
    mentors = people.index[people["role"] == "mentor"]
    # The last 15 mentees and 5 mentors sign up late.
    late = list(mentees[-15:]) + list(mentors[-5:])
    return people, people.drop(index=late).reset_index(drop=True)


def pairs_of(frame):
    return set(zip(frame["mentee_id"].astype(str), frame["mentor_id"].astype(str), strict=True))


def test_newcomers_fill_free_places_and_no_approved_pair_changes(sample):
    everyone, first_people = sample
    first = match(first_people)
    approved = first.pairs.assign(decision="approved")
    later = match_newcomers(everyone, approved)
    assert later.result.audit.ok
    assert pairs_of(approved) <= pairs_of(later.result.pairs)
    assert pairs_of(later.kept) == pairs_of(approved)
    newcomers = set(everyone["member_id"]) - set(first_people["member_id"])
    assert any(e in newcomers for e in later.added["mentee_id"])
    assert pairs_of(later.added) == pairs_of(later.result.pairs) - pairs_of(approved)
    assert later.would_change.empty
    assert (
        later.result.pairs.set_index(["mentee_id", "mentor_id"])
        .loc[list(pairs_of(approved)), "locked"]
        .all()
    )


def test_pending_and_rejected_pairs_are_not_kept(sample):
    everyone, first_people = sample
    first = match(first_people)
    decided = first.pairs.assign(decision="pending")
    decided.loc[0, "decision"] = "rejected"
    rejected = (str(decided.loc[0, "mentee_id"]), str(decided.loc[0, "mentor_id"]))
    later = match_newcomers(everyone, decided)
    assert later.kept.empty
    assert rejected not in pairs_of(later.result.pairs)
    assert len(match_newcomers(everyone, decided, keep_pending=True).kept) == len(decided) - 1


def test_suggested_changes_are_listed_but_not_made(sample):
    everyone, first_people = sample
    first = match(first_people)
    later = match_newcomers(everyone, first.pairs, suggest_changes=True)
    free = match(everyone)
    assert pairs_of(first.pairs) <= pairs_of(later.result.pairs)
    changed = {
        e
        for e in first.pairs["mentee_id"]
        if set(free.pairs.loc[free.pairs["mentee_id"] == e, "mentor_id"])
        != set(later.result.pairs.loc[later.result.pairs["mentee_id"] == e, "mentor_id"])
    }
    assert set(later.would_change["mentee_id"]) == changed
    assert "would" in later.summary


def test_rematch_after_checkin_changes_only_the_ended_pairs(sample):
    everyone, _ = sample
    now = match(everyone)
    ended = now.pairs.iloc[:10]
    checkin = pd.DataFrame(
        {
            "Mentee email": ended["mentee_email"],
            "Mentor ID": ended["mentor_id"],
            "Status": ["Ended"] * 5 + ["wants a change"] * 5,
        }
    )
    found = rematch_after_checkin(everyone, now.pairs, checkin, year=2026)
    after = found.result.pairs
    assert found.result.audit.ok
    before_by_mentee = now.pairs.groupby("mentee_id")["mentor_id"].apply(set)
    after_by_mentee = after.groupby("mentee_id")["mentor_id"].apply(set)
    changed = {
        e
        for e in set(before_by_mentee.index) | set(after_by_mentee.index)
        if before_by_mentee.get(e, set()) != after_by_mentee.get(e, set())
    }
    assert changed <= set(ended["mentee_id"])
    assert not pairs_of(ended) & pairs_of(after)
    assert set(found.changes["mentee_id"]) == set(ended["mentee_id"])
    assert set(found.changes["why"]) == {
        "the pair ended at the check-in",
        "the mentee asked for a change at the check-in",
    }
    assert (found.changes["new_mentor_id"] != found.changes["old_mentor_id"]).all()
    assert pairs_of(found.history) == pairs_of(ended)
    assert found.history["ended"].all()


def test_ended_pairs_are_not_repeated_next_year(sample):
    everyone, _ = sample
    ended = pd.DataFrame({"mentee_id": ["m1"], "mentor_id": ["r1"]})
    history = checkin_history(ended, 2026)
    # Even a later file saying both want to continue does not bring an ended pair back.
    history = pd.concat(
        [
            history,
            pd.DataFrame(
                {
                    "year": pd.array([2026], dtype="Int64"),
                    "mentee_id": ["m1"],
                    "mentor_id": ["r1"],
                    "continue_mentee": [True],
                    "continue_mentor": [True],
                    "source": ["matches_2026.csv"],
                    "ended": [False],
                }
            ),
        ]
    )
    people = pd.DataFrame(
        {"member_id": ["m1", "r1"], "name": ["M", "R"], "role": ["mentee", "mentor"]}
    )
    new_people, _ = apply_history(people, history, MatchConfig())
    assert new_people.set_index("member_id").loc["m1", "past_partners"] == ("r1",)
    assert new_people.set_index("member_id").loc["m1", "preferred_mentors"] == ()


def test_read_checkin_by_id_or_email_and_every_status():
    table = pd.DataFrame(
        {
            "Mentee": ["e1", "eve@x.org", "e3", ""],
            "Mentor email": ["r1@x.org", "r2", "r3", ""],
            "Status": ["Ended", "Continuing", "wants a change", ""],
        }
    )
    read = read_checkin(table)
    assert read["status"].tolist() == ["ended", "continuing", "change"]
    with pytest.raises(LoadError, match="check-in status"):
        read_checkin(table.assign(Status=["maybe", "ended", "ended", ""]))
    with pytest.raises(LoadError, match="no status column"):
        read_checkin(table.drop(columns="Status"))
    mapped = read_checkin(
        table.rename(columns={"Status": "How is it going"}), mapping={"How is it going": "status"}
    )
    assert len(mapped) == 3


def test_unknown_member_in_a_checkin_is_named():
    people = pd.DataFrame(
        {"member_id": ["e1", "r1"], "name": ["E", "R"], "role": ["mentee", "mentor"]}
    )
    checkin = pd.DataFrame({"mentee": ["nobody@x.org"], "mentor": ["r1"], "status": ["ended"]})
    with pytest.raises(LoadError, match="nobody@x.org"):
        rematch_after_checkin(
            people, pd.DataFrame({"mentee_id": ["e1"], "mentor_id": ["r1"]}), checkin
        )


def test_read_pairs_decisions():
    table = pd.DataFrame(
        {
            "mentee_id": ["a", "b", "c"],
            "mentor_id": ["x", "y", "z"],
            "status": ["approved", "Locked", "pending"],
        }
    )
    assert read_pairs(table)["decision"].tolist() == ["approved", "locked", "pending"]
    with pytest.raises(LoadError, match="decision"):
        read_pairs(table.assign(status=["perhaps", "", ""]))
