"""Each page's logic through Streamlit's AppTest: inject state, click by key, read tables."""

from __future__ import annotations

import pandas as pd
from app_support import ROOT, TIMEOUT, db, page, private_db, seeded  # noqa: F401
from streamlit.testing.v1 import AppTest

from mentoring.model.config import MatchConfig
from mentoring.reading.synthetic import random_people
from mentoring.services.settings import default_settings
from mentoring.store.db import Store
from mentoring.store.schema import default_db_path

SAMPLE = ROOT / "sample_data" / "members.csv"


def table(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page that has this column."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with a {column!r} column")


def texts(elements) -> str:
    """The elements' text as the coordinator reads it (markdown escapes removed)."""
    return " ".join(str(e.value) for e in elements).replace("\\", "")


def test_app_opens_on_the_program_page_with_a_default_program():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.title[0].value == "Program"
    assert at.selectbox(key="program_pick").value == Store(default_db_path()).list_programs()[0].id
    assert "Upload" in texts(at.info)


def test_pages_are_named_and_ordered_as_the_issue_says():
    from ui import PAGES

    titles = [title for title, *_ in PAGES]
    assert titles == [
        "Program", "Upload", "Map and fix", "Settings", "Review", "Insights", "Export"
    ]  # fmt: skip


def test_make_run_sample_flag_opens_the_app_on_the_sample(monkeypatch):
    monkeypatch.setenv("MENTORING_SAMPLE", "1")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    store, program_id = db()
    assert len(store.load_members(program_id)[0]) > 300
    # Issue 12 finding 10: the sample is ready to match (a repeated submission keeps the
    # latest response instead of blocking), so Load sample data -> Find matches just works.
    assert "block" not in texts(at.warning)
    assert "Members are ready" in texts(at.info)


def test_reload_reopens_the_program_named_in_the_address():
    store, _ = db()
    second = store.create_program("Second")
    store.create_program("Third")
    at = page("program")
    at.query_params["program"] = str(second.id)
    at.run()
    assert at.selectbox(key="program_pick").value == second.id
    assert at.query_params["program"] == str(second.id)


def test_workbook_with_several_sheets_asks_which_to_read():
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["Read me"])
    members_sheet = book.create_sheet("Members")
    for row in (["id", "name", "role"], ["m1", "Ana", "mentor"], ["e1", "Cy", "mentee"]):
        members_sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    at = page("upload").run()
    at.file_uploader(key="upload_files_widget").set_value(
        ("form.xlsx", data.getvalue(), "application/octet-stream")
    )
    at.run()
    assert at.selectbox(key="upload_sheet").options == ["Members", "Notes"]
    at.selectbox(key="upload_sheet").select("Members")
    at.button(key="load_files").click().run()
    assert not at.exception
    store, program_id = db()
    assert sorted(store.load_members(program_id)[0]["member_id"]) == ["e1", "m1"]


def test_create_program_switches_to_it():
    at = page("program").run()
    at.text_input(key="new_program_name").input("NMRT 2027 cohort")
    at.button(key="create_program").click().run()
    assert not at.exception
    names = [p.name for p in Store(default_db_path()).list_programs()]
    assert "NMRT 2027 cohort" in names
    assert at.selectbox(key="program_pick").format_func(at.selectbox(key="program_pick").value)


def test_duplicate_program_name_is_a_sentence_not_a_traceback():
    Store(default_db_path()).create_program("Spring")
    at = page("program").run()
    at.text_input(key="new_program_name").input("spring")
    at.button(key="create_program").click().run()
    assert not at.exception
    assert "already exists" in texts(at.error)


def test_removing_a_member_forgets_them_in_members_and_runs():
    store, program_id = seeded()
    _find(page("review").run())
    gone = store.latest_run(program_id).pairs.loc[0, "mentee_id"]
    at = page("program").run()
    at.selectbox(key="forget_member").select(gone).run()
    at.checkbox(key="forget_sure").check().run()
    at.button(key="forget_button").click().run()
    assert not at.exception
    assert gone not in set(store.load_members(program_id)[0]["member_id"])
    assert gone not in set(store.latest_run(program_id).pairs["mentee_id"])


def test_deleting_a_program_opens_another():
    store, program_id = seeded()
    other = store.create_program("Other")
    at = page("program")
    at.session_state["program_id"] = other.id
    at.run()
    at.checkbox(key=f"purge_sure_{other.id}").check().run()
    at.button(key="purge_button").click().run()
    assert not at.exception
    assert [p.id for p in store.list_programs()] == [program_id]
    assert at.selectbox(key="program_pick").value == program_id


def test_load_sample_data_button_saves_the_sample():
    at = page("upload").run()
    assert at.button(key="load_sample").label == "Load sample data"
    at.button(key="load_sample").click().run()
    assert not at.exception
    store, program_id = db()
    people, issues, saved = store.load_members(program_id)
    assert len(people) > 300 and issues
    assert saved["mapping"]["Full name"] == "name"
    assert "Map and fix" in texts(at.success)


def test_upload_with_a_role_per_file():
    mentors = b"id,name,email\nm1,Ana,ana@example.org\nm2,Bo,bo@example.org\n"
    mentees = b"id,name,email\ne1,Cy,cy@example.org\n"
    at = page("upload").run()
    at.file_uploader(key="upload_files_widget").set_value(
        [("mentors.csv", mentors, "text/csv"), ("mentees.csv", mentees, "text/csv")]
    )
    at.run()
    at.selectbox(key="upload_role_0").select("mentor")
    at.selectbox(key="upload_role_1").select("mentee")
    at.button(key="load_files").click().run()
    assert not at.exception, at.exception
    store, program_id = db()
    people = store.load_members(program_id)[0]
    assert dict(zip(people["member_id"], people["role"], strict=True)) == {
        "m1": "mentor", "m2": "mentor", "e1": "mentee"
    }  # fmt: skip


def test_unusable_file_shows_the_loader_sentence():
    at = page("upload").run()
    at.file_uploader(key="upload_files_widget").set_value(("empty.csv", b"", "text/csv"))
    at.run()
    at.button(key="load_files").click().run()
    assert not at.exception
    assert "empty.csv" in texts(at.error)


def test_row_cap_refuses_a_huge_file_with_a_clear_message():
    rows = "\n".join(f"{i},Member {i},mentee" for i in range(50_001))
    data = f"id,name,role\n{rows}\n".encode()
    at = page("upload").run()
    at.file_uploader(key="upload_files_widget").set_value(("huge.csv", data, "text/csv"))
    at.run()
    at.button(key="load_files").click().run()
    assert not at.exception
    message = texts(at.error)
    assert "huge.csv" in message and "50" in message
    assert not len(db()[0].load_members(db()[1])[0])


def test_map_and_fix_errors_block_until_duplicates_are_resolved():
    at = page("upload").run()
    at.button(key="load_sample").click().run()
    at = page("mapping")
    at.session_state["upload_files"] = [(SAMPLE.name, SAMPLE.read_bytes())]
    at.run()
    at.radio(key="duplicates_choice").set_value("report")
    at.button(key="confirm_mapping").click().run()
    assert not page("review").run().button  # blocked: no Find matches while an error stands
    assert "block matching" in texts(at.error)
    issues = table(at, "what_to_do")
    assert {"file", "row", "column", "problem", "what_to_do"} <= set(issues.columns)
    assert int(at.metric[1].value) > 0
    at.radio(key="duplicates_choice").set_value("keep_first")
    at.button(key="confirm_mapping").click().run()
    assert not at.exception
    assert not at.error
    store, program_id = db()
    issues = store.load_members(program_id)[1]
    assert not [i for i in issues if i.severity == "error"]
    assert page("review").run().button(key="find_matches").label == "Find matches"


def test_after_a_restart_the_saved_mapping_is_shown_read_only():
    page("upload").run().button(key="load_sample").click().run()
    at = page("mapping").run()
    assert not at.exception
    saved = table(at, "field")
    assert dict(zip(saved["column"], saved["field"], strict=True))["Full name"] == "Full name"
    assert not at.button
    assert "upload the files again" in texts(at.caption)


def test_edited_mapping_is_applied():
    # Map and fix shows how each column was read; making "Colour" a question to match on
    # re-reads the file with that word and saves a criterion the score compares.
    data = b"id,name,role,Colour\nm1,Ana,mentor,blue\ne1,Cy,mentee,red\n"
    store, program_id = db()
    at = page("mapping")
    at.session_state["upload_files"] = [("m.csv", data)]
    store.save_members(program_id, random_people(1, 1))
    at.run()
    shown = at.data_editor[0].value
    assert shown[["column", "use"]].values.tolist() == [
        ["id", "id"], ["name", "name"], ["role", "role"], ["Colour", "other"],
    ]  # fmt: skip
    at.session_state["reading_editor_0"] = {
        "edited_rows": {3: {"use": "question", "kind": "same"}}, "added_rows": [],
        "deleted_rows": [],
    }  # fmt: skip
    at.run()
    at.button(key="confirm_mapping").click().run()
    assert not at.exception
    people, _, saved = store.load_members(program_id)
    assert sorted(people["member_id"]) == ["e1", "m1"]
    assert saved["questions"] == {"Colour": {"use": "question", "kind": "same"}}
    assert sorted(people["q:colour"]) == ["blue", "red"]
    assert [c["name"] for c in people.attrs["criteria"]] == ["colour"]
    assert table(at, "compares")["compares"].tolist() == ["colour"]


def test_settings_preset_reset_and_changes_saved_as_they_happen():
    store, program_id = seeded()
    at = page("settings").run()
    at.selectbox(key="preset_0").select("Interests first")
    at.button(key="apply_preset").click().run()
    assert store.load_settings(program_id).weights.interests == 6.0
    at.button(key="reset_settings").click().run()
    at.button(key="reset_confirm").click().run()
    assert store.load_settings(program_id) == default_settings()
    at.slider(key="weight_goals_2").set_value(7.5)
    at.radio(key="objective_2").set_value("quality")
    at.toggle(key="rule_language_2").set_value(True)
    at.run()
    assert not at.exception
    saved = store.load_settings(program_id)
    assert (saved.weights.goals, saved.objective, saved.require_shared_language) == (
        7.5, "quality", True
    )  # fmt: skip
    at.toggle(key="rule_tz_on_2").set_value(True).run()
    assert store.load_settings(program_id).max_timezone_difference == 3.0
    assert page("settings").run().slider(key="weight_goals_0").value == 7.5


def test_all_weights_zero_is_refused_with_a_sentence():
    store, program_id = seeded()
    at = page("settings").run()
    for slider in at.slider:
        if slider.key.startswith("weight_"):
            slider.set_value(0.0)
    at.run()
    assert not at.exception
    assert "at least one weight" in texts(at.error)
    assert store.load_settings(program_id) is None


def test_review_empty_state_says_what_to_do():
    at = page("review").run()
    assert "Upload" in texts(at.info)


def pick(row) -> str:
    """The "Pair to review" value of a review-table row."""
    return f"{row['mentee_id']}\t{row['mentor_id']}"


def _find(at: AppTest) -> AppTest:
    at.button(key="find_matches").click().run()
    assert not at.exception, at.exception
    return at


def test_find_matches_shows_figures_pairs_and_timing():
    seeded()
    at = _find(page("review").run())
    labels = [m.label for m in at.metric]
    assert labels[:4] == [
        "Mentees matched",
        "Mean score",
        "Mentors at capacity",
        "Unmatched mentees",
    ]
    pairs = table(at, "mentee")
    assert list(pairs.columns) == ["mentee", "mentor", "score", "status", "flag", "reasons"]
    assert (pairs["status"] == "Pending").all() and len(pairs) == 12
    assert "Matching took" in texts(at.caption)


def test_approve_reject_resolve_keeps_approved_and_drops_rejected():
    store, program_id = seeded()
    at = _find(page("review").run())
    first = store.review_table(program_id).iloc[0]
    at.button(key="decide_approved").click().run()
    second_row = store.review_table(program_id).iloc[1]
    at.selectbox(key="review_mentee").select(pick(second_row)).run()
    at.button(key="decide_rejected").click().run()
    second = store.review_table(program_id).iloc[1]
    assert second["status"] == "rejected" and first["mentee_id"] != second["mentee_id"]
    at.button(key="resolve").click().run()
    assert not at.exception
    pairs = store.latest_run(program_id).pairs
    kept = set(zip(pairs["mentee_id"], pairs["mentor_id"], strict=True))
    assert (first["mentee_id"], first["mentor_id"]) in kept
    assert (second["mentee_id"], second["mentor_id"]) not in kept
    assert [m.label for m in at.metric][4:8] == [
        "Pairs added", "Pairs removed", "Pairs changed", "Total score"
    ]  # fmt: skip
    assert "Approved: 1" in texts(at.caption)


def test_rejecting_the_only_mentor_leaves_the_mentee_unmatched_without_error():
    people = pd.DataFrame(
        {"member_id": ["e1", "e2", "m1"], "name": ["Eve", "Eli", "Max"],
         "role": ["mentee", "mentee", "mentor"], "capacity": [None, None, 2]}
    )  # fmt: skip
    store, program_id = seeded(people)
    # These members answered nothing, so only the library's bare defaults pair them at all.
    store.save_settings(program_id, MatchConfig())
    at = _find(page("review").run())
    at.selectbox(key="review_mentee").select("e2\tm1").run()
    at.button(key="decide_rejected").click().run()
    at.button(key="resolve").click().run()
    assert not at.exception
    shown = table(at, "mentee")
    # The rejected pair stays listed (and can be undone); Eli is unmatched.
    assert shown[["mentee", "status"]].values.tolist() == [["Eli", "Rejected"], ["Eve", "Pending"]]
    assert "Eli" in set(table(at, "name")["name"])
    assert at.selectbox(key="review_mentee").value == "e2\tm1"  # the rejected pair stays open


def test_reassign_locks_the_new_pair_and_rejects_the_old():
    store, program_id = seeded()
    at = _find(page("review").run())
    row = store.review_table(program_id).iloc[0]
    new_mentor = at.selectbox(key="reassign_mentor").value
    at.button(key="reassign").click().run()
    assert not at.exception
    kept, forbidden = store.kept_and_forbidden(program_id)
    assert kept == ((row["mentee_id"], new_mentor),)
    assert forbidden == ((row["mentee_id"], row["mentor_id"]),)
    at.button(key="resolve").click().run()
    pairs = store.latest_run(program_id).pairs
    assert new_mentor in set(pairs.loc[pairs["mentee_id"] == row["mentee_id"], "mentor_id"])


def test_selected_mentee_shows_why_not_their_best_mentor():
    seeded(random_people(12, 6, seed=8))
    at = _find(page("review").run())
    costs = table(at, "total_score_lost")
    assert {"mentor", "score", "total_score_lost", "mentees_unmatched"} <= set(costs.columns)
    assert (costs["total_score_lost"] >= -1e-9).all()
    assert "best mentor" in texts(at.success) + texts(at.info)


def test_objectives_are_compared_and_one_can_be_chosen():
    store, program_id = seeded()
    at = _find(page("review").run())
    at.button(key="compare_objectives").click().run()
    assert not at.exception
    compared = table(at, "blocking_pairs")
    assert compared["objective"].tolist() == ["coverage", "quality", "egalitarian", "stable"]
    at.selectbox(key="review_objective").select("stable").run()
    at.button(key="use_objective").click().run()
    assert store.load_settings(program_id).objective == "stable"
    at.button(key="resolve").click().run()
    assert not at.exception
    assert store.latest_run(program_id).config.objective == "stable"


def test_stale_decision_tells_the_coordinator_instead_of_overwriting():
    store, program_id = seeded()
    at = _find(page("review").run())
    row = store.review_table(program_id).iloc[0]
    store.set_decision(program_id, row["mentee_id"], row["mentor_id"], "rejected", by="other")
    at.button(key="decide_approved").click().run()
    assert not at.exception
    assert "now: rejected" in texts(at.error)
    assert store.get_decision(program_id, row["mentee_id"], row["mentor_id"]).status == "rejected"


def test_review_survives_a_new_session():
    store, program_id = seeded()
    at = _find(page("review").run())
    at.button(key="decide_locked").click().run()
    again = page("review").run()
    assert not again.exception
    assert "Locked: 1" in texts(again.caption)
    assert len(table(again, "mentee")) == 12


def test_members_changed_since_the_run_are_flagged():
    store, program_id = seeded()
    _find(page("review").run())
    people = store.load_members(program_id)[0]
    store.save_members(program_id, people.iloc[1:].reset_index(drop=True))
    at = page("review").run()
    assert not at.exception
    assert "members changed since this run" in texts(at.warning)


def test_lock_that_cannot_be_kept_is_reported():
    store, program_id = seeded()
    at = _find(page("review").run())
    people = store.load_members(program_id)[0]
    mentor = store.latest_run(program_id).pairs.loc[0, "mentor_id"]
    mentees = people.loc[people["role"] == "mentee", "member_id"].tolist()
    for mentee in mentees[:2]:
        store.set_decision(program_id, mentee, mentor, "locked")
    people.loc[people["member_id"] == mentor, "capacity"] = 1
    store.save_members(program_id, people)
    at.button(key="resolve").click().run()
    assert not at.exception
    assert "was not kept" in texts(at.warning)


def test_member_markup_is_shown_literally():
    people = random_people(3, 2, seed=5)
    people.loc[0, "name"] = "<b>Bold</b> **Star** <script>alert(1)</script>"
    store, program_id = seeded(people)
    at = _find(page("review").run())
    shown = set(table(at, "mentee")["mentee"]) | set(table(at, "name")["name"])
    assert people.loc[0, "name"] in shown
    assert all("<b>" not in m.value for m in at.markdown)


def test_insights_group_report_and_network():
    seeded(random_people(40, 20, seed=2))
    _find(page("review").run())
    at = page("insights").run()
    assert not at.exception, at.exception
    groups = table(at, "group")
    assert {"group", "mentees", "matched", "coverage", "mean_score"} <= set(groups.columns)
    assert at.selectbox(key="insights_group_field").value == "library_type"
    assert len(at.image) == 1
    at.selectbox(key="insights_group_field").select("career_stage").run()
    assert not at.exception and len(at.image) == 1


def test_insights_and_export_empty_states():
    for module in ("insights", "export"):
        at = page(module).run()
        assert not at.exception
        assert "Find matches" in texts(at.info)


def test_export_offers_the_labelled_downloads():
    seeded()
    _find(page("review").run())
    at = page("export").run()
    assert not at.exception, at.exception
    labels = [b.label for b in at.get("download_button")]
    assert labels[:4] == [
        "Download matches (CSV)",
        "Download matches (XLSX)",
        "Download mentor mail-merge list (CSV)",
        "Download mentee mail-merge list (CSV)",
    ]
    assert at.checkbox(key="export_demographics").value is False


def test_sign_in_gate_asks_to_sign_in_when_configured():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback"}
    at.secrets["mentoring"] = {"allowed_emails": ["kim@ala.org"]}
    at.run()
    assert not at.exception
    assert at.button(key="sign_in").label == "Sign in"
    assert not at.metric and not at.dataframe


def test_half_configured_sign_in_keeps_the_app_closed():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.secrets["mentoring"] = {"allowed_emails": ["kim@ala.org"]}
    at.run()
    assert not at.exception
    assert "half configured" in texts(at.error)
    assert not at.button
