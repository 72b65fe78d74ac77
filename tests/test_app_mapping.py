"""Map and fix shows how every column of a form was read, and the coordinator's word changes it.

Issue 11, item 6 ("the coordinator stays in charge") in the app: the reading table (use, field,
kind, pairing, weight, level order, confidence, evidence, a few answers; unsure guesses first),
edits applied through one service call and saved with the members, the criteria the score
compares in plain words, the edits as a ``[questions]`` TOML snippet, and the form's criteria
surviving the store so the app matches on what the form asked.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd
import pytest
from app_support import ROOT, db, page, private_db  # noqa: F401
from streamlit.testing.v1 import AppTest

from mentoring.model.config import MatchConfig
from mentoring.model.questions import KINDS, USES, ColumnProfile, question_overrides
from mentoring.outputs.questions_toml import questions_toml
from mentoring.pipeline import load_people, match
from mentoring.services.members import load_member_files
from mentoring.services.questions import (
    KIND_LABELS,
    NOT_COMPARED,
    READING_COLUMNS,
    UNSURE,
    USE_LABELS,
    criteria_table,
    questions_from_edits,
    reading_table,
    reading_tables,
)

FORMS = ROOT / "tests" / "data" / "forms"
HEALTH = FORMS / "google_forms_health_sciences.csv"
SITE = "Which library or site do you work at most of the time?"
HOPES = "What would you most like to get from the programme?"
MOTTOS = (
    "carpe diem always now",
    "never give up ever",
    "slow and steady wins",
    "knowledge is real power",
    "stay curious every day",
    "less is more mostly",
)


def table(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page that has this column."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with a {column!r} column")


def texts(elements) -> str:
    return " ".join(str(e.value) for e in elements).replace("\\", "")


def upload(path: Path) -> AppTest:
    """The Upload page after loading one file into the (empty) default program."""
    at = page("upload").run()
    at.file_uploader(key="upload_files_widget").set_value(
        (path.name, path.read_bytes(), "text/csv")
    )
    at.run()
    at.button(key="load_files").click().run()
    assert not at.exception, at.exception
    return at


def mapping_page(path: Path) -> AppTest:
    """Map and fix with the file loaded and still in the session."""
    upload(path)
    at = page("mapping")
    at.session_state["upload_files"] = [(path.name, path.read_bytes())]
    at.run()
    assert not at.exception, at.exception
    return at


def edit(at: AppTest, header: str, **changes) -> AppTest:
    """Change one row of the first reading table, as the coordinator does in the editor."""
    shown = at.data_editor[0].value
    row = int(shown.index[shown["column"] == header][0])
    at.session_state["reading_editor_0"] = {
        "edited_rows": {row: changes}, "added_rows": [], "deleted_rows": []
    }  # fmt: skip
    at.run()
    assert "changed and not applied yet" in texts(at.info)
    at.button(key="confirm_mapping").click().run()
    assert not at.exception, at.exception
    return at


# ------------------------------------------------------------------ the store and matching


def test_criteria_lost_in_the_store_made_the_app_match_differently_from_the_library():
    # Before: people.attrs["criteria"] was dropped by the store, so the app matched a form on
    # the library fields alone while `match(load_people(file))` used the form's questions.
    path = FORMS / "university_research_mentoring.csv"
    upload(path)
    store, program_id = db()
    store.save_settings(program_id, MatchConfig())
    people = store.load_members(program_id)[0]
    assert [c["name"] for c in people.attrs["criteria"]] == [
        c.name for c in load_people(path)[0].attrs["criteria"]
    ]
    review = page("review").run()
    review.button(key="find_matches").click().run()
    assert not review.exception, review.exception
    got = store.latest_run(program_id).pairs
    expected = match(load_people(path)[0], MatchConfig()).pairs
    key = ["mentee_id", "mentor_id"]
    assert sorted(map(tuple, got[key].values.tolist())) == sorted(
        map(tuple, expected[key].values.tolist())
    )
    assert got["score"].sum() == pytest.approx(expected["score"].sum())


# ------------------------------------------------------------------ the page


def test_the_table_lists_every_column_of_a_corpus_form_with_its_evidence():
    at = mapping_page(HEALTH)
    shown = at.data_editor[0].value
    assert list(shown.columns) == list(READING_COLUMNS)
    headers = pd.read_csv(HEALTH, nrows=0).columns.tolist()
    assert sorted(shown["column"]) == sorted(headers)
    assert shown["evidence"].str.len().gt(0).all()
    assert set(shown["use"]) <= set(USES) and set(shown["kind"]) <= {NOT_COMPARED, *KINDS}
    assert shown.set_index("column").loc["Timestamp", "field"] == "(not used)"
    assert shown.set_index("column").loc["Full name", "sample"] != ""
    assert shown["confidence"].between(0, 100).all()
    assert "File: google_forms_health_sciences.csv" in texts(at.text)
    criteria = table(at, "compares")
    assert SITE in set(criteria["mentee_question"])
    assert set(criteria["how"]) <= set(KIND_LABELS.values())


def test_ignoring_a_column_removes_it_from_the_criteria():
    at = mapping_page(HEALTH)
    assert HOPES in set(table(at, "compares")["mentee_question"])
    edit(at, HOPES, use="ignored")
    criteria = table(at, "compares")
    assert HOPES not in set(criteria["mentee_question"])
    store, program_id = db()
    people, _, saved = store.load_members(program_id)
    assert saved["questions"] == {HOPES: {"use": "ignored"}}
    assert "programme" not in {c["name"] for c in people.attrs["criteria"]}
    shown = at.data_editor[0].value.set_index("column")
    assert shown.loc[HOPES, "use"] == "ignored"
    assert shown.loc[HOPES, "evidence"] == "set by the coordinator"
    assert "Mapping confirmed" in texts(at.success)


def test_changing_a_kind_changes_what_the_score_compares():
    at = mapping_page(HEALTH)
    before = table(at, "compares").set_index("mentee_question")
    assert before.loc[SITE, "how"] == KIND_LABELS["same"]
    edit(at, SITE, kind="overlap", weight=2.5)
    after = table(at, "compares").set_index("mentee_question")
    assert after.loc[SITE, "how"] == KIND_LABELS["overlap"]
    assert after.loc[SITE, "weight"] == 2.5
    store, program_id = db()
    saved = store.load_members(program_id)[2]
    assert saved["questions"] == {SITE: {"kind": "overlap", "weight": 2.5}}
    # A second change keeps the first.
    edit(at, HOPES, use="ignored")
    saved = store.load_members(program_id)[2]
    assert saved["questions"][SITE] == {"kind": "overlap", "weight": 2.5}
    assert saved["questions"][HOPES] == {"use": "ignored"}
    assert at.download_button(key="questions_toml").label.startswith("Download")


def test_an_unsure_column_is_listed_first_and_marked(tmp_path):
    rows = ["id,name,role,Colour,Motto"] + [
        f"{i},P{i},{'mentor' if i % 2 else 'mentee'},{['red', 'blue'][i % 2]},{motto}"
        for i, motto in enumerate(MOTTOS)
    ]
    path = tmp_path / "club.csv"
    path.write_text("\n".join(rows) + "\n")
    at = mapping_page(path)
    shown = at.data_editor[0].value
    assert shown.iloc[0]["column"] == "Motto" and shown.iloc[0]["check"] == UNSURE
    assert (shown.iloc[1:]["check"] == "").all()
    assert "listed first" in texts(at.warning)
    edit(at, "Motto", use="ignored")
    assert (at.data_editor[0].value["check"] == "").all()


def test_pairing_with_a_header_the_files_lack_is_refused_and_nothing_changes():
    at = mapping_page(HEALTH)
    store, program_id = db()
    before = store.load_members(program_id)[2]
    shown = at.data_editor[0].value
    row = int(shown.index[shown["column"] == "Job title"][0])
    at.session_state["reading_editor_0"] = {
        "edited_rows": {row: {"paired_with": "What is your job?"}}, "added_rows": [],
        "deleted_rows": [],
    }  # fmt: skip
    at.run()
    at.button(key="confirm_mapping").click().run()
    assert not at.exception
    assert "not a column of the files" in texts(at.error)
    assert store.load_members(program_id)[2] == before


def test_headers_and_answers_are_shown_as_data_never_as_markup(tmp_path):
    header = "**Bold** [link](http://x.test) <b>tag</b>"
    path = tmp_path / "odd.csv"
    path.write_text(
        f'id,name,role,"{header}"\n1,Ana,mentor,_a_\n2,Bo,mentee,_a_\n3,Cy,mentee,*b*\n'
    )
    at = mapping_page(path)
    assert header in set(at.data_editor[0].value["column"])
    markup = " ".join(str(m.value) for m in [*at.markdown, *at.caption, *at.info, *at.warning])
    assert "**Bold**" not in markup and "<b>tag</b>" not in markup


def test_after_a_restart_the_saved_reading_is_shown_read_only():
    upload(HEALTH)
    at = page("mapping").run()
    assert not at.exception, at.exception
    assert not at.data_editor and not at.button
    saved = table(at, "evidence")
    assert SITE in set(saved["column"])
    assert set(saved["use"]) <= set(USE_LABELS.values())
    assert "sample" not in saved.columns
    assert "upload the files again" in texts(at.caption)
    assert SITE in set(table(at, "compares")["mentee_question"])


def test_confirm_without_changes_keeps_the_members_and_the_reading():
    at = mapping_page(HEALTH)
    store, program_id = db()
    before = store.load_members(program_id)[0]
    at.button(key="confirm_mapping").click().run()
    assert not at.exception
    after, _, saved = store.load_members(program_id)
    assert after.equals(before) and saved["questions"] == {}


# ------------------------------------------------------------------ services and outputs


def test_edits_become_overrides_that_the_reader_applies():
    files = [(HEALTH.name, HEALTH.read_bytes())]
    report = load_member_files(files)
    ((_, shown),) = reading_tables(report.profiles, report.criteria)
    edited = shown.copy()
    edited.loc[edited["column"] == SITE, "kind"] = "overlap"
    edited.loc[edited["column"] == HOPES, "use"] = "ignored"
    questions = questions_from_edits(shown, edited)
    assert questions == {SITE: {"kind": "overlap"}, HOPES: {"use": "ignored"}}
    again = load_member_files(files, questions=questions)
    kinds = {c.name: c.kind for c in again.criteria}
    assert kinds["library_site_work"] == "overlap" and "programme" not in kinds
    assert "q:programme" not in again.people.columns
    compared = criteria_table(again.criteria, again.profiles)
    assert HOPES not in set(compared["mentee_question"])


def test_a_cleared_cell_leaves_the_reading_as_it_was():
    profile = ColumnProfile("a.csv", None, "Grade", 0, "question", "q:grade", kind="ordinal",
                            levels=("EO", "HEO"))  # fmt: skip
    shown = reading_table([profile])
    edited = shown.copy()
    edited.loc[0, ["levels", "paired_with", "kind"]] = [None, None, None]
    edited["weight"] = float("nan")
    assert questions_from_edits(shown, edited) == {}
    edited.loc[0, "levels"] = "AA < EO < HEO"
    assert questions_from_edits(shown, edited) == {"Grade": {"levels": ["AA", "EO", "HEO"]}}


@pytest.mark.parametrize(
    "header",
    ["Plain", 'Say "hi"', "back\\slash", "new\nline", "tab\there", "Café – ¿qué?", "a.b = [c]"],
)
def test_the_questions_snippet_reads_back_as_the_same_overrides(header):
    questions = {
        header: {"use": "question", "kind": "ordinal", "levels": ["AA", 'E"O', "HEO\\"]},
        "Skills sought": {"pairs_with": [header, "Other"], "weight": 2.0},
        "Weight one": {"weight": 1},
    }
    snippet = questions_toml(questions)
    assert question_overrides(tomllib.loads(snippet)["questions"]) == question_overrides(questions)


def test_the_snippet_of_the_page_edits_reads_back():
    at = mapping_page(HEALTH)
    edit(at, SITE, kind="overlap", levels="x < y")
    store, program_id = db()
    saved = store.load_members(program_id)[2]["questions"]
    snippet = questions_toml(saved)
    assert question_overrides(tomllib.loads(snippet)["questions"]) == question_overrides(saved)


def test_members_saved_before_readings_were_kept_show_the_old_mapping():
    from mentoring.reading.synthetic import random_people

    store, program_id = db()
    store.save_members(program_id, random_people(2, 2), [], {"mapping": {"Full name": "name"}})
    at = page("mapping").run()
    assert not at.exception, at.exception
    saved = table(at, "field")
    assert saved.values.tolist() == [["Full name", "Full name"]]
    assert "upload the files again" in texts(at.caption)
