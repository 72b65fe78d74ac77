"""Loading member files that nobody on this project wrote, as they are, mess included."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from mentoring.model.errors import LoadError
from mentoring.model.people import PEOPLE_COLUMNS
from mentoring.reading.loader import LoadReport, load_members

SHARED = Path(__file__).resolve().parent / "data" / "realworld"
JONODREW = SHARED / "jonodrew_mentor_match"
DAFFIDWILDE = SHARED / "daffidwilde_matching"
SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "members.csv"


def nothing_lost(report: LoadReport) -> None:
    assert report.rows_read == report.rows_kept + report.rows_dropped
    columns = tuple(report.people.columns)
    assert columns[: len(PEOPLE_COLUMNS)] == PEOPLE_COLUMNS
    assert all(c.startswith("q:") for c in columns[len(PEOPLE_COLUMNS) :])
    assert report.people["member_id"].is_unique


@pytest.fixture(scope="module")
def jonodrew() -> LoadReport:
    report = load_members(
        [JONODREW / "small_mentors.csv", JONODREW / "small_mentees.csv"],
        roles={"small_mentors.csv": "mentor", "small_mentees.csv": "mentee"},
    )
    nothing_lost(report)
    return report


@pytest.fixture(scope="module")
def students() -> LoadReport:
    choices = {str(i): "preferred_mentors" for i in range(25)}
    report = load_members(
        [DAFFIDWILDE / "sa_students.csv", DAFFIDWILDE / "sa_projects.csv"],
        roles={"sa_students.csv": "mentee", "sa_projects.csv": "mentor"},
        mapping={**choices, "code": "name", "supervisor": "institution"},
    )
    nothing_lost(report)
    return report


def test_jonodrew_every_row_is_kept_and_the_sides_come_from_the_files(jonodrew):
    assert (jonodrew.rows_read, jonodrew.rows_kept, jonodrew.rows_dropped) == (100, 100, 0)
    # The files given as --mentors and --mentees are authoritative: a "both" answer adds the
    # other side only for someone on both files, and nobody is; each "yes" is reported.
    assert jonodrew.counts == {"mentor": 50, "mentee": 50, "both": 0}
    said = [i for i in jonodrew.issues if i.code == "both_not_on_other_side"]
    assert len(said) == 56 and all(i.severity == "info" and i.row for i in said)
    assert not jonodrew.has_errors
    assert jonodrew.encodings == {"small_mentors.csv": "utf-8", "small_mentees.csv": "utf-8"}


def test_jonodrew_headers_differ_per_side_but_map_to_the_same_fields(jonodrew):
    mentors = jonodrew.mappings["small_mentors.csv"]
    mentees = jonodrew.mappings["small_mentees.csv"]
    assert mentors["characteristics"] == "identities"
    assert mentees["identity to match"] == "identity_preference"
    assert jonodrew.unmapped == {"small_mentors.csv": (), "small_mentees.csv": ()}
    assert mentors["grade"] == mentees["grade"] == "q:grade"


def test_jonodrew_eleven_ordered_grades_with_the_mentor_above(jonodrew):
    (grade,) = [c for c in jonodrew.criteria if c.kind == "ordinal"]
    assert grade.levels == (
        "AA", "AO", "EO", "HEO", "SEO", "Grade 7", "Grade 6", "SCS1", "SCS2", "SCS3", "SCS4"
    )  # fmt: skip
    assert grade.direction == "mentor_above" and grade.mentee_column == grade.mentor_column
    people = jonodrew.people.set_index("member_id")
    assert people.loc["mentor.00@gov.uk", "q:grade"] == 10.0  # SCS4
    assert people.loc["mentee.02@gov.uk", "q:grade"] == grade.levels.index("SCS2")
    assert jonodrew.people.attrs["criteria"] == jonodrew.criteria


def test_jonodrew_known_people(jonodrew):
    people = jonodrew.people.set_index("member_id")
    mentor = people.loc["mentor.11@gov.uk"]
    assert mentor["name"] == "mentor 11"
    assert mentor["identities"] == ("gay", "lesbian", "non-binary")
    # The grade is the form's own ordered question, not a library career stage.
    assert (mentor["role"], mentor["career_stage"], mentor["institution"]) == (
        "mentor",
        "",
        "Department of Virtue",
    )
    assert mentor["divisions"] == ("hr",)
    mentee = people.loc["mentee.00@gov.uk"]
    assert (mentee["role"], mentee["identity_preference"]) == ("mentee", ("bisexual or pansexual",))
    # mentee 04 names an identity but answered "no" to matching on it.
    assert people.loc["mentee.04@gov.uk", "identity_preference"] == ()
    assert people.loc["mentee.02@gov.uk", "career_stage"] == ""


def test_jonodrew_mentors_who_left_demographics_blank_have_none(jonodrew):
    mentors = jonodrew.people[jonodrew.people["member_id"].str.startswith("mentor.")]
    assert (mentors["identities"] == ()).sum() == 29


def test_jonodrew_headings_only_export_is_no_members():
    with pytest.raises(LoadError, match="no members found") as caught:
        load_members(JONODREW / "form-output-headings.csv")
    assert "form-output-headings.csv" in str(caught.value)
    assert "49 blank row" in str(caught.value)


def test_daffidwilde_students_and_projects(students):
    assert (students.rows_read, students.rows_kept, students.rows_dropped) == (170, 170, 0)
    assert students.counts == {"mentor": 70, "mentee": 100, "both": 0}
    # The students' own "rank" is asked of one side only: kept to show, never scored.
    assert students.unmapped == {"sa_students.csv": (), "sa_projects.csv": ()}
    assert not students.criteria
    (rank,) = [p for p in students.profiles if p.header == "rank"]
    assert rank.use == "other"
    codes = Counter(i.code for i in students.issues)
    assert codes["preferred_unknown"] == 0 and codes["preferred_ambiguous"] == 0
    # Neither file has an email or ID column: every ID comes from the name, and says so.
    assert codes["member_id_from_name"] == 170


def test_daffidwilde_repeated_choices_keep_their_first_rank(students):
    people = students.people.set_index("member_id")
    assert people.loc["190000", "preferred_mentors"] == (
        "g2", "p1", "v2", "s0", "a0", "o0", "l0", "d2", "k1", "v1", "r2", "y2", "w0", "k0",
        "x0", "o1",
    )  # fmt: skip
    empty = people[(people["role"] == "mentee") & (people["preferred_mentors"] == ())]
    assert sorted(empty.index) == ["190041", "190082", "190087"]


def test_daffidwilde_project_capacities(students):
    people = students.people.set_index("member_id")
    assert people.loc["a1", "capacity"] == 3
    assert people.loc["c0", "capacity"] == 8
    assert people.loc["a1", "institution"] == "A"
    assert int(people.loc[people["role"] == "mentor", "capacity"].sum()) == 206


def test_daffidwilde_supervisors_as_mentors():
    report = load_members(
        DAFFIDWILDE / "sa_supervisors.csv", roles={"sa_supervisors.csv": "mentor"}
    )
    nothing_lost(report)
    assert report.counts["mentor"] == 26
    assert report.people.set_index("member_id").loc["c", "capacity"] == 8


def test_daffidwilde_json_instance_is_refused_as_not_a_spreadsheet():
    with pytest.raises(LoadError, match="JSON file, not a spreadsheet"):
        load_members(DAFFIDWILDE / "hr_issue_159.json")


def test_sample_google_forms_export():
    report = load_members(SAMPLE)
    nothing_lost(report)
    assert (report.rows_read, report.rows_kept, report.rows_dropped) == (321, 320, 1)
    assert report.counts == {"mentor": 128, "mentee": 128, "both": 64}
    codes = Counter(i.code for i in report.issues)
    assert codes["duplicate_member"] == 1
    assert codes["capacity_unparsed"] == 1 and codes["years_unparsed"] == 1
    assert report.unmapped == {"members.csv": ("Timestamp",)}
    row = report.people.set_index("member_id").loc["4471010"]
    assert row["name"] == "Ulysses Gatekeeper"
    assert row["email"] == "ulysses.gatekeeper@example.org"
    assert row["timezone"] == -5.0 and row["meeting_mode"] == "either"
    assert "publishing, presenting and research" in row["offers"]
    assert "leadership development" in row["offers"] and row["capacity"] == 4
