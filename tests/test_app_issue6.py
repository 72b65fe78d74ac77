"""Issue 6 in the app: diversity goals, history across cohorts, peer pairs and circles.

Pages through Streamlit's AppTest (inject state, click by key, read tables), and the helpers
added to ``mentoring.services`` for them.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from app_support import ROOT, TIMEOUT, db, page, private_db, seeded  # noqa: F401
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from mentoring.engine.goals import REPORT_COLUMNS
from mentoring.model.config import MatchConfig
from mentoring.model.errors import ConfigError, LoadError
from mentoring.model.goals import GroupCoverage, GroupScoreParity, IdentityShare, PriorityCovered
from mentoring.reading.history import CHANGE_COLUMNS
from mentoring.reading.synthetic import random_people
from mentoring.services.members import apply_past_matches
from mentoring.services.settings import GOAL_HELP, goal_price_sentence, with_goal, without_goal

REALWORLD = Path(__file__).resolve().parent / "data" / "realworld"


def table(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first table on the page whose columns start with these (AppTest keeps no table key)."""
    for frame in at.dataframe:
        if tuple(frame.value.columns[: len(columns)]) == columns:
            return frame.value
    raise AssertionError(f"no table with columns {columns!r}")


def has_table(at: AppTest, *columns: str) -> bool:
    return any(tuple(f.value.columns[: len(columns)]) == columns for f in at.dataframe)


def texts(elements) -> str:
    """The elements' text as the coordinator reads it (markdown escapes removed)."""
    return " ".join(str(e.value) for e in elements).replace("\\", "")


def find(at: AppTest) -> AppTest:
    at.button(key="find_matches").click().run()
    assert not at.exception, at.exception
    return at


# ------------------------------------------------------------------ review.py helpers


def test_with_goal_replaces_the_same_promise_and_keeps_the_others():
    config = with_goal(MatchConfig(), PriorityCovered())
    config = with_goal(config, {"kind": "group_coverage", "field": "chapter", "min_fraction": 0.5})
    config = with_goal(config, GroupCoverage("library_type", 0.8))
    config = with_goal(config, GroupCoverage("chapter", 0.9))
    assert config.goals == (
        PriorityCovered(),
        GroupCoverage("library_type", 0.8),
        GroupCoverage("chapter", 0.9),
    )


def test_with_goal_refuses_an_unknown_kind_with_the_known_ones():
    with pytest.raises(ConfigError, match="known: group_coverage"):
        with_goal(MatchConfig(), {"kind": "fairness"})


def test_without_goal_outside_the_list_says_which_positions_exist():
    config = MatchConfig(goals=(PriorityCovered(),))
    with pytest.raises(ValueError, match="from 0 to 0, got 3"):
        without_goal(config, 3)
    assert without_goal(config, 0).goals == ()


_GOALS = st.one_of(
    st.just(PriorityCovered()),
    st.builds(IdentityShare, st.floats(0, 1)),
    st.builds(
        GroupCoverage, st.sampled_from(["library_type", "chapter", "career_stage"]), st.floats(0, 1)
    ),
    st.builds(GroupScoreParity, st.sampled_from(["library_type", "chapter"]), st.floats(0, 1)),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_GOALS, max_size=8))
def test_added_goals_are_distinct_promises_and_the_last_setting_wins(goals):
    config = MatchConfig()
    for goal in goals:
        config = with_goal(config, goal)
    keys = [(g.to_dict()["kind"], g.to_dict().get("field")) for g in config.goals]
    assert len(keys) == len(set(keys))
    last = {(g.to_dict()["kind"], g.to_dict().get("field")): g for g in goals}
    assert set(config.goals) == set(last.values())
    assert MatchConfig.from_dict(config.to_dict()) == config


def test_goal_price_sentence_says_nothing_without_goals_and_the_cost_with_them():
    assert goal_price_sentence(None) == ""
    assert "nothing" in goal_price_sentence(-1e-12)
    assert "0.123" in goal_price_sentence(0.1234)


def test_every_goal_kind_has_a_label_and_an_explanation():
    from mentoring.model.goals import GOAL_KINDS

    assert set(GOAL_HELP) == set(GOAL_KINDS)
    assert all(label and explanation.endswith(".") for label, explanation in GOAL_HELP.values())


def test_no_past_files_leave_the_members_as_they_are():
    people = random_people(3, 2, seed=1)
    plan = apply_past_matches(people, [], MatchConfig())
    assert plan.people is people and plan.changes.columns.tolist() == list(CHANGE_COLUMNS)
    assert plan.changes.empty


def test_past_file_without_a_year_names_the_file():
    people = random_people(3, 2, seed=1)
    with pytest.raises(LoadError, match="old.csv: no year found"):
        apply_past_matches(people, [("old.csv", b"mentee_id,mentor_id\na,b\n")], MatchConfig())


# ------------------------------------------------------------------ 1. goals on Settings


def test_goals_are_added_saved_with_the_settings_and_removed():
    store, program_id = seeded()
    at = page("settings").run()
    at.selectbox(key="goal_kind").select("priority_covered").run()
    at.button(key="add_goal").click().run()
    at.selectbox(key="goal_kind").select("identity_share").run()
    at.slider(key="goal_identity_share").set_value(70).run()
    at.button(key="add_goal").click().run()
    at.selectbox(key="goal_kind").select("group_coverage").run()
    assert "Library type" in at.selectbox(key="goal_field").options
    at.selectbox(key="goal_field").select("chapter")
    at.slider(key="goal_group_share").set_value(90).run()
    at.button(key="add_goal").click().run()
    at.selectbox(key="goal_kind").select("group_score_parity").run()
    at.selectbox(key="goal_field").select("library_type")
    at.number_input(key="goal_tolerance").set_value(0.1).run()
    at.button(key="add_goal").click().run()
    assert not at.exception, at.exception
    expected = (
        PriorityCovered(),
        IdentityShare(0.7),
        GroupCoverage("chapter", 0.9),
        GroupScoreParity("library_type", 0.1),
    )
    assert store.load_settings(program_id).goals == expected
    again = page("settings").run()
    shown = texts(again.text)
    assert all(goal.describe() in shown for goal in expected)
    again.button(key="remove_goal_1").click().run()
    assert not again.exception
    assert store.load_settings(program_id).goals == tuple(g for g in expected if g != expected[1])


def test_weight_changes_keep_the_goals():
    store, program_id = seeded()
    store.save_settings(program_id, MatchConfig(goals=(PriorityCovered(),)))
    at = page("settings").run()
    at.slider(key="weight_goals_0").set_value(7.5).run()
    assert not at.exception
    saved = store.load_settings(program_id)
    assert saved.weights.goals == 7.5 and saved.goals == (PriorityCovered(),)


def test_group_goals_before_any_upload_say_to_load_members_first():
    at = page("settings").run()
    at.selectbox(key="goal_kind").select("group_coverage").run()
    assert not at.exception
    assert "Upload" in texts(at.info)
    assert at.button(key="add_goal").disabled


# ------------------------------------------------------------------ 2. goal report on Review


def test_goal_report_and_price_after_find_matches():
    store, program_id = seeded(random_people(12, 8, seed=3))
    goals = (PriorityCovered(), IdentityShare(0.9), GroupCoverage("library_type", 1.0))
    store.save_settings(program_id, MatchConfig(goals=goals))
    at = find(page("review").run())
    report = table(at, *REPORT_COLUMNS)
    assert report.columns.tolist() == list(REPORT_COLUMNS)
    assert report["goal"].tolist() == [g.describe() for g in goals]
    assert report["met"].all()
    assert "Every goal was met" in texts(at.success)
    assert "Meeting the goals costs" in texts(at.caption)


def test_goal_that_cannot_be_met_shows_its_explanation_not_an_empty_report():
    people = random_people(6, 3, seed=4)
    people["identities"] = [()] * len(people)
    people.loc[people["role"] != "mentor", "identity_preference"] = [("black",)] * int(
        (people["role"] != "mentor").sum()
    )
    store, program_id = seeded(people)
    store.save_settings(program_id, MatchConfig(goals=(IdentityShare(1.0),)))
    at = find(page("review").run())
    report = table(at, *REPORT_COLUMNS)
    assert len(report) == 1 and not report["met"].iloc[0]
    assert report["explanation"].iloc[0].startswith("Cannot be met:")
    assert "any feasible mentor who does" in texts(at.warning)
    assert len(table(at, "mentee", "mentor")) > 0


def test_goals_set_after_the_run_ask_to_find_matches_again():
    store, program_id = seeded()
    find(page("review").run())
    store.save_settings(program_id, MatchConfig(goals=(PriorityCovered(),)))
    at = page("review").run()
    assert not at.exception
    assert "Press Re-solve to apply them" in texts(at.info)
    assert not has_table(at, *REPORT_COLUMNS)


def test_goal_run_whose_members_changed_asks_to_match_again():
    store, program_id = seeded()
    store.save_settings(program_id, MatchConfig(goals=(PriorityCovered(),)))
    find(page("review").run())
    people = store.load_members(program_id)[0]
    store.save_members(program_id, people.iloc[1:].reset_index(drop=True))
    at = page("review").run()
    assert not at.exception
    # The run's own goal report still describes the run; the page says it is out of date.
    assert "The members changed since this run" in texts(at.warning)
    assert "Re-solve" in texts(at.warning)


def test_run_without_goals_shows_no_goal_section():
    seeded()
    at = find(page("review").run())
    assert "Diversity goals" not in [s.value for s in at.subheader]


# ------------------------------------------------------------------ 3. history on Upload

MEMBERS = (
    b"id,name,role,capacity\ne1,Eve,mentee,\ne2,Eli,mentee,\nr1,Ria,mentor,3\nr2,Rob,mentor,1\n"
)


def _upload(at: AppTest, past: list[tuple[str, bytes]]) -> AppTest:
    at.file_uploader(key="upload_files_widget").set_value(("members.csv", MEMBERS, "text/csv"))
    at.toggle(key="history_on").set_value(True).run()
    at.file_uploader(key="history_files_widget").set_value(
        [(name, data, "text/csv") for name, data in past]
    )
    at.run()
    at.button(key="load_files").click().run()
    assert not at.exception, at.exception
    return at


def test_past_matches_forbid_repeats_prefer_continuing_pairs_and_show_the_changes():
    past = [
        ("matches_2024.csv", b"mentee_id,mentor_id\ne1,r1\nx1,r1\nx2,r1\n"),
        ("matches_2025.csv", b"mentee_id,mentor_id,continue\ne2,r2,yes\n"),
    ]
    at = _upload(page("upload").run(), past)
    store, program_id = db()
    people = store.load_members(program_id)[0].set_index("member_id")
    assert people.loc["e1", "past_partners"] == ("r1",)
    assert people.loc["e2", "preferred_mentors"][0] == "r2"
    assert int(people.loc["r1", "capacity"]) == 2
    changes = table(at, *CHANGE_COLUMNS)
    assert changes.columns.tolist() == list(CHANGE_COLUMNS)
    assert sorted(changes["action"]) == [
        "capacity reduced", "continuing pair preferred", "repeat forbidden"
    ]  # fmt: skip


def test_unusable_past_file_names_the_file_and_saves_nothing():
    at = _upload(page("upload").run(), [("matches_2025.csv", b"mentee,mentor\ne1,r1\n")])
    assert "matches_2025.csv" in texts(at.error) and "mentor_id" in texts(at.error)
    store, program_id = db()
    assert not len(store.load_members(program_id)[0])


def test_past_files_naming_nobody_of_this_year_say_so():
    at = _upload(page("upload").run(), [("matches_2025.csv", b"mentee_id,mentor_id\nz1,z2\n")])
    assert "nothing changed" in texts(at.info)


def test_upload_page_has_one_drop_zone_until_past_matches_are_asked_for():
    at = page("upload").run()
    assert [u.key for u in at.get("file_uploader")] == ["upload_files_widget"]
    at.toggle(key="history_on").set_value(True).run()
    assert [u.key for u in at.get("file_uploader")] == [
        "upload_files_widget", "history_files_widget"
    ]  # fmt: skip


def test_turning_past_matches_off_loads_without_them():
    at = page("upload").run()
    at.file_uploader(key="upload_files_widget").set_value(("members.csv", MEMBERS, "text/csv"))
    at.toggle(key="history_on").set_value(True).run()
    at.file_uploader(key="history_files_widget").set_value(
        ("matches_2025.csv", b"mentee_id,mentor_id\ne1,r1\n", "text/csv")
    )
    at.run()
    at.toggle(key="history_on").set_value(False).run()
    at.button(key="load_files").click().run()
    assert not at.exception, at.exception
    store, program_id = db()
    people = store.load_members(program_id)[0].set_index("member_id")
    assert people.loc["e1", "past_partners"] == ()
    assert not has_table(at, *CHANGE_COLUMNS)


def test_confirming_the_mapping_again_keeps_the_history_applied():
    _upload(page("upload").run(), [("matches_2025.csv", b"mentee_id,mentor_id\ne1,r1\n")])
    at = page("mapping")
    at.session_state["upload_files"] = [("members.csv", MEMBERS)]
    at.session_state["history_files"] = [("matches_2025.csv", b"mentee_id,mentor_id\ne1,r1\n")]
    at.run()
    at.button(key="confirm_mapping").click().run()
    assert not at.exception, at.exception
    store, program_id = db()
    people = store.load_members(program_id)[0].set_index("member_id")
    assert people.loc["e1", "past_partners"] == ("r1",)


def test_real_world_forms_with_a_past_match_file():
    folder = REALWORLD / "jonodrew_mentor_match"
    at = page("upload").run()
    at.file_uploader(key="upload_files_widget").set_value(
        [
            (name, (folder / name).read_bytes(), "text/csv")
            for name in ("small_mentees.csv", "small_mentors.csv")
        ]
    )
    past = b"mentee_id,mentor_id\nmentee.02@gov.uk,mentor.02@gov.uk\n"
    at.toggle(key="history_on").set_value(True).run()
    at.file_uploader(key="history_files_widget").set_value([("matches_2025.csv", past, "text/csv")])
    at.run()
    at.selectbox(key="upload_role_0").select("mentee")
    at.selectbox(key="upload_role_1").select("mentor")
    at.button(key="load_files").click().run()
    assert not at.exception, at.exception
    store, program_id = db()
    people = store.load_members(program_id)[0].set_index("member_id")
    assert len(people) == 100
    assert people.loc["mentee.02@gov.uk", "past_partners"] == ("mentor.02@gov.uk",)
    assert table(at, *CHANGE_COLUMNS)["action"].tolist() == ["repeat forbidden"]


# ------------------------------------------------------------------ 4. peer pairs and circles


def _peer_page(people: pd.DataFrame) -> AppTest:
    seeded(people)
    return find(page("review").run())


def test_peer_pairs_are_formed_shown_and_downloaded():
    people = random_people(12, 8, seed=3)
    at = _peer_page(people)
    assert at.expander[-1].label == "Peer-to-peer: pairs and circles"
    at.button(key="peer_run").click().run()
    assert not at.exception, at.exception
    pairs = table(at, "member_id", "name", "partner_id")
    open_ids = set(people.loc[people["open_to_peer"], "member_id"])
    paired = set(pairs["member_id"]) | set(pairs["partner_id"])
    assert paired <= open_ids and len(paired) == 2 * len(pairs) > 0
    assert f"of the {len(open_ids)} members open to peer mentoring" in texts(at.caption)
    button = at.get("download_button")[-1]
    assert button.proto.label == "Download peer pairs (CSV)"


def test_circles_show_quality_bound_ratio_and_the_unplaced_with_reasons():
    people = random_people(12, 8, seed=3)
    open_count = int(people["open_to_peer"].sum())
    at = _peer_page(people)
    at.radio(key="peer_kind").set_value("circles").run()
    at.number_input(key="circle_min").set_value(4).run()
    at.number_input(key="circle_max").set_value(4).run()
    at.selectbox(key="circle_field").select("library_type").run()
    at.button(key="peer_run").click().run()
    assert not at.exception, at.exception
    summary = table(at, "circle", "size")
    assert (summary["size"] == 4).all() and (summary["distinct"] >= 1).all()
    members = table(at, "circle", "member_id", "name")
    unplaced = table(at, "member_id", "name", "reason") if open_count % 4 else pd.DataFrame()
    assert len(members) + len(unplaced) == open_count
    if len(unplaced):
        assert unplaced["reason"].str.contains("Lower the minimum").all()
    labels = [m.label for m in at.metric]
    assert {"Circle quality", "Best possible (at most)", "Quality / best possible"} <= set(labels)
    quality = float(next(m.value for m in at.metric if m.label == "Circle quality"))
    bound = float(next(m.value for m in at.metric if m.label == "Best possible (at most)"))
    assert 0 < quality <= bound + 1e-3
    assert at.get("download_button")[-1].proto.label == "Download circles (CSV)"


def test_peer_download_is_the_safe_csv_of_the_table():
    from mentoring.engine.circles import peer_pairs
    from mentoring.outputs.export import safe_frame_csv

    people = random_people(12, 8, seed=3)
    people.loc[people["open_to_peer"].idxmax(), "name"] = "=HYPERLINK(1)"
    rows = list(
        csv.DictReader(
            io.StringIO(safe_frame_csv(peer_pairs(people, MatchConfig())).decode("utf-8-sig"))
        )
    )
    assert all(not r["name"].startswith("=") for r in rows)
    at = _peer_page(people)
    at.button(key="peer_run").click().run()
    assert not at.exception
    assert len(table(at, "member_id", "name", "partner_id")) == len(rows)


def test_too_few_members_open_to_peer_mentoring_say_what_to_do():
    people = random_people(6, 4, seed=2).assign(open_to_peer=False)
    at = _peer_page(people)
    assert "open to peer mentoring" in texts(at.info)
    assert not [b for b in at.button if b.key == "peer_run"]


def test_members_saved_without_the_peer_column_open_the_review_page():
    people = pd.DataFrame(
        {"member_id": ["e1", "m1"], "name": ["Eve", "Max"], "role": ["mentee", "mentor"]}
    )
    at = _peer_page(people)
    assert "open to peer mentoring" in texts(at.info)
