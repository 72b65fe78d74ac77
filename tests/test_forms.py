"""The signup-form corpus (tests/data/forms): every file read as its answer key says.

Each ``NAME.key.json`` gives, per column, the use a coordinator would give it, the member key,
the roles, the ordered levels and the pairings of questions across sides
(``tests/data/forms/README.md``). The reader must get every keyed column's use right, count
the roles, order the levels and pair the questions, on every file; nothing here is tuned to
one file.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from mentoring.model.people import prepare_people
from mentoring.model.questions import Criterion, decode_acceptability
from mentoring.reading.loader import LoadReport, load_members

FORMS = Path(__file__).resolve().parent / "data" / "forms"
KEYS = sorted(FORMS.glob("*.key.json"))
CIVIL = ("civil_service_mentees.csv", "civil_service_mentors.csv")


def key_of(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def load(key: dict) -> LoadReport:
    if key["file"] in CIVIL:
        # The civil-service pair is two forms, read together as --mentees and --mentors.
        return load_members(
            [FORMS / CIVIL[0], FORMS / CIVIL[1]],
            roles={CIVIL[0]: "mentee", CIVIL[1]: "mentor"},
        )
    return load_members(FORMS / key["file"])


_REPORTS: dict[str, LoadReport] = {}


def report_for(key: dict) -> LoadReport:
    name = "civil" if key["file"] in CIVIL else key["file"]
    if name not in _REPORTS:
        _REPORTS[name] = load(key)
    return _REPORTS[name]


def profiles_of(key: dict, report: LoadReport) -> dict:
    return {
        (p.sheet if key["format"] == "xlsx" else None, p.position): p
        for p in report.profiles
        if p.file == key["file"]
    }


def normalise_id(text: str, rule: str | None) -> str:
    text = str(text).strip()
    if rule == "strip+lower":
        return text.casefold()
    if rule == "str(int)":
        return str(int(float(text)))
    return text


@pytest.fixture(params=KEYS, ids=[k.name.removesuffix(".key.json") for k in KEYS])
def keyed(request) -> tuple[dict, LoadReport]:
    key = key_of(request.param)
    return key, report_for(key)


def test_the_corpus_has_every_file_and_key():
    assert len(KEYS) == 18
    for path in KEYS:
        assert (FORMS / key_of(path)["file"]).exists()


def test_every_row_is_read_and_kept(keyed):
    key, report = keyed
    mine = [p for p in report.profiles if p.file == key["file"]]
    assert len(mine) == len(key["columns"])
    assert report.rows_read == report.rows_kept + report.rows_dropped
    assert not report.has_errors, [i for i in report.issues if i.severity == "error"]
    if key["file"] not in CIVIL:
        assert report.rows_read == key["member_rows"]


def test_every_keyed_column_gets_its_use(keyed):
    key, report = keyed
    profiles = profiles_of(key, report)
    wrong = []
    for column in key["columns"]:
        profile = profiles[(column["sheet"], column["col"])]
        assert profile.header == column["header"]
        if profile.use != column["use"]:
            wrong.append((column["header"], column["use"], profile.use, profile.evidence))
    assert not wrong


def test_questions_get_the_keyed_kind(keyed):
    key, report = keyed
    profiles = profiles_of(key, report)
    wrong = []
    for column in key["columns"]:
        profile = profiles[(column["sheet"], column["col"])]
        if column.get("kind") and profile.kind != column["kind"]:
            wrong.append((column["header"], column["kind"], profile.kind))
    assert not wrong


def test_roles_are_counted_as_the_key_says(keyed):
    key, report = keyed
    people = report.people
    if key["file"] in CIVIL:
        people = people[people["member_id"].isin(member_ids(key, report))]
    counts = {
        "mentors": int((people["role"] == "mentor").sum()),
        "mentees": int((people["role"] == "mentee").sum()),
        "both": int((people["role"] == "both").sum()),
    }
    assert counts == key["roles"]


def member_ids(key: dict, report: LoadReport) -> set[str]:
    """The member ids of the key's file, from its member-key column."""
    import pandas as pd

    from mentoring.reading.ingest import read_tables

    member_key = key["member_key"]
    tables, _ = read_tables(FORMS / key["file"], every_member_sheet=True)
    out: set[str] = set()
    for table in tables:
        column = table.frame[member_key["header"]]
        out |= {normalise_id(v, member_key.get("normalise")) for v in column if str(v).strip()}
    assert isinstance(report.people, pd.DataFrame)
    return out


def test_the_member_key_is_the_member_id(keyed):
    key, report = keyed
    ids = set(report.people["member_id"])
    wanted = member_ids(key, report)
    assert wanted <= ids
    for mentee, mentor in key["planted_pairs"]:
        assert mentee in ids and mentor in ids


def test_ordered_levels_come_out_lowest_first(keyed):
    key, report = keyed
    for header, levels in key.get("ordinal_levels", {}).items():
        profile = next(p for p in report.profiles if p.file == key["file"] and p.header == header)
        assert list(profile.levels) == levels, header
        criteria = [c for c in report.criteria if header in c.headers]
        if criteria:
            assert list(criteria[0].levels) == levels
            assert criteria[0].direction == "mentor_above"


def test_questions_are_paired_across_sides(keyed):
    key, report = keyed
    profiles = profiles_of(key, report)
    for column in key["columns"]:
        wanted = set(column.get("pairs_with") or ())
        if not wanted:
            continue
        profile = profiles[(column["sheet"], column["col"])]
        assert wanted <= set(profile.pairs_with), column["header"]
        if profile.field.startswith("q:") and column["kind"] != "shared_identity":
            both = {column["header"], *wanted}
            found = [c for c in report.criteria if both <= set(c.headers)]
            assert found and found[0].kind == column["kind"], column["header"]


def test_criteria_reach_the_matching_through_the_people_table(keyed):
    _, report = keyed
    prepared = prepare_people(report.people)
    assert prepared.attrs["criteria"] == report.criteria
    for criterion in report.criteria:
        assert isinstance(criterion, Criterion)
        for column in criterion.columns:
            assert column in prepared.columns, (criterion.name, column)


def test_no_grid_answer_of_no_is_lost():
    key = key_of(FORMS / "google_forms_health_sciences.key.json")
    report = report_for(key)
    (grid,) = [c for c in report.criteria if c.kind == "acceptability"]
    assert grid.joint
    people = report.people.set_index("member_id")
    for mentee, mentor in key["forbidden_by_grid"]:
        a = decode_acceptability(people.loc[mentee, grid.mentee_column])
        b = decode_acceptability(people.loc[mentor, grid.mentor_column])
        sites = set(a) | set(b)
        assert all(a.get(s) == 0 or b.get(s) == 0 for s in sites), (mentee, mentor)
    for mentee, mentor in key["planted_pairs"]:
        a = decode_acceptability(people.loc[mentee, grid.mentee_column])
        b = decode_acceptability(people.loc[mentor, grid.mentor_column])
        assert any(a.get(s, 1) > 0 and b.get(s, 1) > 0 for s in set(a) | set(b))


def test_planted_mentors_are_above_their_mentees_on_every_ordered_question(keyed):
    key, report = keyed
    people = report.people.set_index("member_id")
    for criterion in report.criteria:
        if criterion.kind != "ordinal":
            continue
        for mentee, mentor in key["planted_pairs"]:
            low = people.loc[mentee, criterion.mentee_column]
            high = people.loc[mentor, criterion.mentor_column]
            if not (math.isnan(low) or math.isnan(high)):
                assert high > low, (criterion.name, mentee, mentor)


def test_a_file_given_as_one_side_keeps_it_and_says_so_for_both_answers():
    report = report_for(key_of(FORMS / "civil_service_mentees.key.json"))
    said = [i for i in report.issues if i.code == "both_not_on_other_side"]
    assert len(said) == 7 + 2
    assert all(i.row and i.member_id for i in said)


def test_microsoft_forms_every_sheet_and_the_real_ids():
    report = report_for(key_of(FORMS / "microsoft_forms_fabrikam.key.json"))
    assert {p.sheet for p in report.profiles} == {"Mentors", "Mentees"}
    (chosen,) = [i for i in report.issues if i.code == "sheet_chosen"]
    assert "'Mentors' and 'Mentees'" in chosen.message
    submitters = [p for p in report.profiles if p.field == "submitter"]
    assert len(submitters) == 4 and all("export" in p.evidence for p in submitters)


def test_preferred_mentors_written_as_spaced_ids_are_split():
    report = report_for(key_of(FORMS / "corporate_mentoring_northwind.key.json"))
    chose = report.people[report.people["preferred_mentors"].map(len) > 1]
    assert len(chose) >= 1
    assert not [i for i in report.issues if i.code == "preferred_unknown"]


def test_evidence_and_samples_are_given_for_every_column(keyed):
    key, report = keyed
    for profile in report.profiles:
        if profile.file == key["file"]:
            assert profile.evidence
            assert 0 <= profile.confidence <= 1
            assert profile.to_dict()["header"] == profile.header
