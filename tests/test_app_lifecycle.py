"""Issue 14, the app part: late joiners and check-in re-matching through the services and the
"Through the year" page (AppTest). The browser tests are in test_browser_lifecycle.py."""

from __future__ import annotations

import pandas as pd
import pytest
from app_support import ROOT, db, page, private_db  # noqa: F401
from lifecycle_support import checkin_csv, newcomer_ids, newcomers_csv

from mentoring.model.errors import LoadError, MentoringError
from mentoring.services import lifecycle
from mentoring.services.members import load_member_files
from mentoring.services.run_view import freshness
from mentoring.services.runs import find_matches
from mentoring.services.settings import default_settings

SAMPLE = ROOT / "sample_data" / "members.csv"


def texts(elements) -> str:
    return " ".join(str(e.value) for e in elements).replace("\\", "")


def pairs_of(frame: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(frame["mentee_id"].astype(str), frame["mentor_id"].astype(str), strict=True))


def matched_sample(*, approve: bool = True):
    """The sample loaded and matched, every pair approved (as "approve all" leaves it)."""
    store, program_id = db()
    report = load_member_files([(SAMPLE.name, SAMPLE.read_bytes())])
    store.save_members(program_id, report.people, report.issues)
    first = find_matches(store, program_id, report.people, default_settings())
    if approve:
        store.set_decisions(
            program_id, [(e, r, "approved") for e, r in pairs_of(first.result.pairs)]
        )
    return store, program_id, first.result.pairs


def test_newcomers_get_free_places_and_no_approved_pair_changes():
    store, program_id, before = matched_sample()
    data = newcomers_csv()
    ids = newcomer_ids(data)
    found = lifecycle.match_newcomers(store, program_id, [("late.csv", data)])
    after = found.result.pairs
    assert pairs_of(before) <= pairs_of(after)
    assert found.result.audit.ok, found.result.audit.problems
    new_mentees = [m for m in ids[:15]]
    assert set(new_mentees) <= set(after["mentee_id"])
    assert set(found.newcomers) == set(ids)
    # The difference is exactly the newcomers, each said to be new.
    assert sorted(found.differences["mentee_id"]) == sorted(new_mentees)
    assert set(found.differences["change"]) == {"added"}
    assert set(found.differences["why"]) == {"a new member, matched into a free place"}
    # Suggestions are off by default.
    assert found.would_change.empty
    # Saved: the members now include the newcomers, and the run is the program's latest and
    # describes them (Review does not call it stale); approved decisions are still approved.
    people = store.load_members(program_id)[0]
    assert set(ids) <= set(people["member_id"])
    run = store.latest_run(program_id)
    assert run.id == found.run_id
    assert not freshness(run, store.members_digest(program_id), default_settings()).stale
    review = store.review_table(program_id).set_index(["mentee_id", "mentor_id"])["status"]
    assert all(review[p] == "approved" for p in pairs_of(before))


def test_newcomers_suggestions_are_listed_only_when_asked_and_change_nothing():
    store, program_id, before = matched_sample()
    found = lifecycle.match_newcomers(
        store, program_id, [("late.csv", newcomers_csv())], suggest_changes=True
    )
    assert pairs_of(before) <= pairs_of(found.result.pairs)
    assert list(found.would_change.columns)[:2] == ["mentee_id", "mentee_name"]
    assert set(found.would_change["mentee_id"]) <= {e for e, _ in pairs_of(before)}
    assert "would" in found.summary


def test_newcomers_refused_before_a_run_and_when_already_members():
    store, program_id = db()
    with pytest.raises(MentoringError, match="Find matches"):
        lifecycle.match_newcomers(store, program_id, [("late.csv", newcomers_csv())])
    store, program_id, _ = matched_sample(approve=False)
    runs = len(store.list_runs(program_id))
    with pytest.raises(LoadError, match="already in the program"):
        lifecycle.match_newcomers(store, program_id, [(SAMPLE.name, SAMPLE.read_bytes())])
    with pytest.raises(LoadError, match="Choose the file"):
        lifecycle.match_newcomers(store, program_id, [])
    assert len(store.list_runs(program_id)) == runs


def test_checkin_rematches_only_the_ended_mentees_never_with_their_old_mentor():
    store, program_id, before = matched_sample()
    people = store.load_members(program_id)[0]
    emails = dict(zip(people["member_id"], people["email"], strict=True))
    ended = before.iloc[:10].assign(status=["ended"] * 5 + ["change"] * 5)
    continuing = before.iloc[10:13].assign(status="continuing")
    data = checkin_csv(pd.concat([ended, continuing]), emails)
    found = lifecycle.rematch_after_checkin(store, program_id, [("checkin.csv", data)], year=2026)
    after = found.result.pairs
    old = dict(zip(ended["mentee_id"], ended["mentor_id"], strict=True))
    changed = sorted(found.differences["mentee_id"])
    assert changed == sorted(old)
    new = dict(zip(after["mentee_id"], after["mentor_id"], strict=True))
    assert all(new.get(e) not in ("", None, old[e]) for e in old)
    assert pairs_of(before) - pairs_of(ended) <= pairs_of(after)
    assert found.result.audit.ok, found.result.audit.problems
    whys = dict(zip(found.differences["mentee_id"], found.differences["why"], strict=True))
    assert whys[ended["mentee_id"].iloc[0]] == "the pair ended at the check-in"
    assert whys[ended["mentee_id"].iloc[9]] == "the mentee asked for a change at the check-in"
    # History records the ended pairs (with the run, and as a download for next year).
    assert pairs_of(found.history) == pairs_of(ended)
    assert bool(found.history["ended"].all()) and set(found.history["year"]) == {2026}
    run = store.latest_run(program_id)
    assert pairs_of(run.extras["checkin_history"]) == pairs_of(ended)
    # Ended pairs are rejected, so a later re-solve never proposes them again.
    assert {store.get_decision(program_id, e, r).status for e, r in pairs_of(ended)} == {"rejected"}
    _, forbidden = store.kept_and_forbidden(program_id)
    assert pairs_of(ended) <= set(forbidden)


def test_checkin_that_ends_nothing_or_names_a_stranger_saves_nothing():
    store, program_id, before = matched_sample(approve=False)
    runs = len(store.list_runs(program_id))
    calm = checkin_csv(before.iloc[:3].assign(status="continuing"))
    with pytest.raises(LoadError, match="ends no pair"):
        lifecycle.rematch_after_checkin(store, program_id, [("c.csv", calm)])
    stranger = before.iloc[:1].assign(status="ended", mentee_id="nobody@example.org")
    with pytest.raises(LoadError, match="neither a member id nor the email"):
        lifecycle.rematch_after_checkin(store, program_id, [("c.csv", checkin_csv(stranger))])
    mentor = before["mentor_id"].iloc[1]
    wrong = before.iloc[:1].assign(status="ended", mentor_id=mentor)
    if (wrong["mentee_id"].iloc[0], mentor) not in pairs_of(before):
        with pytest.raises(LoadError, match="not in the latest run"):
            lifecycle.rematch_after_checkin(store, program_id, [("c.csv", checkin_csv(wrong))])
    assert len(store.list_runs(program_id)) == runs


def test_page_asks_for_a_run_first():
    at = page("lifecycle").run()
    assert not at.exception
    assert at.title[0].value == "Through the year"
    assert "Match the program first" in at.info[0].value


def test_page_matches_newcomers_and_rematches_a_checkin():
    store, program_id, before = matched_sample()
    at = page("lifecycle").run()
    assert not at.exception
    assert at.button(key="match_newcomers").disabled
    at.file_uploader(key="newcomers_widget").set_value(("late.csv", newcomers_csv(), "text/csv"))
    at.run()
    at.button(key="match_newcomers").click().run()
    assert not at.exception, at.exception
    assert "15 new pair(s)" in texts(at.success)
    shown = at.dataframe[0].value
    assert len(shown) == 15 and set(shown["Change"]) == {"added"}
    latest = store.latest_run(program_id)
    assert pairs_of(before) <= pairs_of(latest.pairs)

    ended = before.iloc[:4].assign(status="ended")
    at.file_uploader(key="checkin_widget").set_value(
        ("checkin.csv", checkin_csv(ended), "text/csv")
    )
    at.run()
    at.button(key="rematch_checkin").click().run()
    assert not at.exception, at.exception
    assert "4 pair(s) ended at the check-in" in texts(at.success)
    shown = at.dataframe[-1].value
    assert sorted(shown["Mentee"]) == sorted(ended["mentee_name"])
    assert set(shown["Why"]) == {"the pair ended at the check-in"}
