"""Normalising member rows: value parsers, required fields, duplicates, merges, references."""

from __future__ import annotations

import csv
import io
import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentoring.model.errors import ConfigError, LoadError
from mentoring.model.people import PEOPLE_COLUMNS, empty_people
from mentoring.reading.loader import LoadReport, load_members
from mentoring.reading.values import (
    parse_bool,
    parse_capacity,
    parse_career_stage,
    parse_meeting_mode,
    parse_role,
    parse_timezone,
    parse_years,
)


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def load(rows: list[list[str]], name: str = "m.csv", **kwargs) -> LoadReport:
    report = load_members((name, csv_bytes(rows)), **kwargs)
    assert report.rows_read == report.rows_kept + report.rows_dropped
    return report


def by_code(report: LoadReport, code: str) -> list:
    return [i for i in report.issues if i.code == code]


def person(report: LoadReport, member_id: str) -> dict:
    frame = report.people.set_index("member_id")
    return frame.loc[member_id].to_dict()


# Value parsers


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2", 2),
        (" 1", 1),
        ("two", 2),
        ("Two", 2),
        ("One mentee only, please!", 1),
        ("2 mentees", 2),
        ("2-3", 2),
        ("up to 3", 3),
        ("two, maybe three", 2),
        ("a couple", 2),
        ("0", 0),
        ("none", 0),
        ("", None),
        ("N/A", None),
    ],
)
def test_parse_capacity(text, value):
    assert parse_capacity(text) == value


@pytest.mark.parametrize("text", ["depends on my schedule this fall", "lots", "-1"])
def test_parse_capacity_refuses_what_it_cannot_read(text):
    with pytest.raises(ValueError, match=repr(text.strip())):
        parse_capacity(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5-10", 7.5),
        ("10+", 10.0),
        ("20+", 20.0),
        ("about 6", 6.0),
        ("less than 1", 0.5),
        ("6 months", 0.5),
        ("five", 5.0),
        ("3 to 5 years", 4.0),
        ("2,5", 2.5),
        ("", None),
    ],
)
def test_parse_years(text, value):
    assert parse_years(text) == value


@pytest.mark.parametrize("text", ["a while", "200"])
def test_parse_years_refuses_what_it_cannot_read(text):
    with pytest.raises(ValueError):
        parse_years(text)


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("Early career (0-5 years)", "new professional"),
        ("Student/LIS student", "student"),
        ("Student (MLIS/MLS in progress)", "student"),
        ("New professional (under 5 years)", "new professional"),
        ("Mid-career (5-15 years)", "mid-career"),
        ("Senior (15+ years)", "senior"),
        ("Retired", "retired"),
        ("mid-career", "mid-career"),
        ("HEO", "mid-career"),
        ("AA", "new professional"),
        ("SCS3", "senior"),
        ("12 years", "mid-career"),
        ("", None),
    ],
)
def test_parse_career_stage(text, stage):
    assert parse_career_stage(text) == stage


@pytest.mark.parametrize("text", ["astronaut", "Renewing my certification", "Translator"])
def test_parse_career_stage_refuses_unknown_wording(text):
    # "new" and "late" inside other words once read as new professional and senior.
    with pytest.raises(ValueError, match="career stage"):
        parse_career_stage(text)


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("UTC-5", -5.0),
        ("GMT+1", 1.0),
        ("-5", -5.0),
        ("+5:30", 5.5),
        ("UTC+05:45", 5.75),
        ("Eastern", -5.0),
        ("EST", -5.0),
        ("Pacific Time (PT)", -8.0),
        ("Eastern Time (UTC-5)", -5.0),
        ("Other: Atlantic (UTC-4), Puerto Rico", -4.0),
        ("Central European Time", 1.0),
        ("America/Chicago", -6.0),
        ("Australia/Sydney", 10.0),
        ("Etc/GMT+5", -5.0),
        ("UTC", 0.0),
        ("", None),
    ],
)
def test_parse_timezone(text, hours):
    assert parse_timezone(text) == hours


@pytest.mark.parametrize("text", ["Mars/Olympus", "somewhere nice", "UTC+20"])
def test_parse_timezone_refuses_unknown_zones(text):
    with pytest.raises(ValueError):
        parse_timezone(text)


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("Online (Zoom, Teams or phone)", "online"),
        ("In person (e.g. at Annual Conference or LibLearnX)", "in person"),
        ("Either / no preference", "either"),
        ("virtual", "online"),
        ("Face to face or video", "either"),
        ("", None),
    ],
)
def test_parse_meeting_mode(text, mode):
    assert parse_meeting_mode(text) == mode


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Mentor", "mentor"),
        ("MENTEE", "mentee"),
        ("mentor ", "mentor"),
        ("I'd like to be mentored", "mentee"),
        ("I want to find a mentor", "mentee"),
        ("Both", "both"),
        ("Either / open to both", "both"),
        ("Mentor and mentee", "both"),
        ("I'd like to mentor others", "mentor"),
        ("", None),
    ],
)
def test_parse_role(text, role):
    assert parse_role(text) == role


@pytest.mark.parametrize(
    ("text", "question", "role"),
    [
        ("Yes", "Do you want to sign up as a mentor?", "mentor"),
        ("no", "Do you want to sign up as a mentor?", "mentee"),
        ("Yes", "Would you like to be mentored?", "mentee"),
        ("Mentee", "Do you want to sign up as a mentor?", "mentee"),
    ],
)
def test_parse_role_reads_yes_and_no_through_the_question(text, question, role):
    assert parse_role(text, question) == role


def test_parse_role_yes_to_a_plain_role_column_is_not_a_role():
    # "Yes" under "Role" once silently meant mentor.
    with pytest.raises(ValueError, match="mentor, mentee or both"):
        parse_role("Yes", "Role")


def test_parse_role_refuses_other_words():
    with pytest.raises(ValueError, match="mentor, mentee or both"):
        parse_role("volunteer")


@pytest.mark.parametrize(
    ("text", "value"),
    [("yes", True), ("Y", True), ("TRUE", True), ("1", True), ("x", True), ("No", False),
     ("false", False), ("Prefer not to say", False), ("", None)],
)  # fmt: skip
def test_parse_bool(text, value):
    assert parse_bool(text) is value


def test_parse_bool_strict_and_lenient():
    with pytest.raises(ValueError):
        parse_bool("sometimes")
    assert parse_bool("sometimes", strict=False) is None


# Loading


def test_people_table_has_exactly_the_canonical_columns_and_dtypes():
    report = load([["Name", "Email", "Role"], ["Ada", "ada@x.org", "Mentor"]])
    assert tuple(report.people.columns) == PEOPLE_COLUMNS
    people_columns = report.people[list(empty_people().columns)]
    assert people_columns.dtypes.to_dict() == empty_people().dtypes.to_dict()
    row = person(report, "ada@x.org")
    assert row["interests"] == () and pd.isna(row["capacity"]) and math.isnan(row["timezone"])


def test_empty_result_still_has_canonical_dtypes():
    report = load([["Name", "Role"], ["", "Mentor"]])
    assert report.people.empty
    people_columns = report.people[list(empty_people().columns)]
    assert people_columns.dtypes.to_dict() == empty_people().dtypes.to_dict()


def test_member_id_from_id_column_keeps_leading_zeros():
    report = load([["Member ID", "Name", "Role"], ["0070", "Ada", "Mentor"]])
    assert report.people["member_id"].tolist() == ["0070"]


def test_member_id_from_email_is_trimmed_and_lower_cased():
    report = load([["Name", "Email", "Role"], ["Ada", " Ada@X.org ", "Mentor"]])
    assert report.people["member_id"].tolist() == ["ada@x.org"]
    assert report.people["email"].tolist() == ["Ada@X.org"]


def test_member_id_from_name_is_a_slug_with_a_warning():
    report = load([["Name", "Role"], ["José  Núñez", "Mentee"]])
    assert report.people["member_id"].tolist() == ["jose-nunez"]
    (issue,) = by_code(report, "member_id_from_name")
    assert issue.row == 2 and issue.severity == "warning"


def test_first_and_last_name_are_joined():
    report = load(
        [["First name", "Last name", "Email", "Role"], ["Ada", "Lovelace", "a@x.org", "mentor"]]
    )
    assert report.people["name"].tolist() == ["Ada Lovelace"]


def test_names_that_look_missing_are_names():
    report = load(
        [["Name", "Email", "Role"], ["None", "n@x.org", "Mentor"], ["NA", "na@x.org", "Mentee"]]
    )
    assert report.people["name"].tolist() == ["None", "NA"]


@pytest.mark.parametrize(
    ("row", "code"),
    [
        (["", "", "Mentor"], "id_missing"),
        (["", "a@x.org", "Mentor"], "name_missing"),
        (["Ada", "a@x.org", ""], "role_missing"),
        (["Ada", "a@x.org", "Volunteer"], "role_unknown"),
    ],
)
def test_rows_missing_what_cannot_be_derived_are_dropped_with_an_error_naming_the_row(row, code):
    report = load([["Name", "Email", "Role"], ["Bo", "b@x.org", "Mentee"], row])
    assert report.rows_read == 2 and report.rows_kept == 1 and report.rows_dropped == 1
    (issue,) = by_code(report, code)
    assert (issue.row, issue.severity, issue.file) == (3, "error", "m.csv")
    assert report.has_errors


def test_file_without_a_role_column_drops_every_row_with_one_error():
    report = load([["Name", "Email"], ["Ada", "a@x.org"], ["Bo", "b@x.org"]])
    assert (report.rows_read, report.rows_kept, report.rows_dropped) == (2, 0, 2)
    (issue,) = by_code(report, "role_column_missing")
    assert "rows 2-3" in issue.message and "separate files" in issue.hint


def test_file_without_names_drops_every_row_with_one_error():
    report = load([["Email", "Role"], ["a@x.org", "Mentor"]])
    assert report.rows_dropped == 1
    assert by_code(report, "name_column_missing")


def test_invalid_email_is_a_warning_and_the_row_is_kept():
    report = load([["Name", "Email", "Role"], ["Ada", "ada at x", "Mentor"]])
    (issue,) = by_code(report, "email_invalid")
    assert issue.column == "Email" and issue.severity == "warning"
    assert report.rows_kept == 1


def test_capacity_in_words_and_unparseable_capacity():
    report = load(
        [
            ["Name", "Email", "Role", "How many mentees can you take on?"],
            ["Ada", "a@x.org", "Mentor", "two, maybe three"],
            ["Bo", "b@x.org", "Mentor", "depends"],
        ]
    )
    assert report.people["capacity"].tolist() == [2, pd.NA]
    (issue,) = by_code(report, "capacity_unparsed")
    assert (issue.row, issue.column, issue.member_id) == (
        3,
        "How many mentees can you take on?",
        "b@x.org",
    )


def test_values_are_normalised():
    report = load(
        [
            ["Name", "Email", "Role", "Years", "Career stage", "Time zone", "Meeting", "Interests",
             "Languages", "Priority", "Open to peer mentoring?", "Library type"],
            ["Ada", "a@x.org", "Mentee", "5-10", "Early career (0-5 years)", "America/Chicago",
             "Zoom", "Outreach, DEI;Archives", "Spanish; English", "Yes - Spectrum Scholar",
             "Maybe", "Academic library"],
        ]
    )  # fmt: skip
    row = person(report, "a@x.org")
    assert row["years_experience"] == 7.5
    assert row["career_stage"] == "new professional"
    assert row["timezone"] == -6.0
    assert row["meeting_mode"] == "online"
    assert row["interests"] == ("archives", "diversity, equity and inclusion", "outreach")
    assert row["languages"] == ("english", "spanish")
    assert row["priority"] is True or row["priority"] == True  # noqa: E712
    assert row["open_to_peer"]
    assert row["library_type"] == "academic"


def test_unknown_values_become_warnings_not_crashes():
    report = load(
        [
            ["Name", "Email", "Role", "Time zone", "Meeting", "Career stage", "Years"],
            ["Ada", "a@x.org", "Mentee", "Narnia", "telepathy", "astronaut", "a while"],
        ]
    )
    found = {i.code for i in report.issues}
    assert {
        "timezone_unknown",
        "meeting_mode_unknown",
        "career_stage_unknown",
        "years_unparsed",
    } <= found
    row = person(report, "a@x.org")
    assert math.isnan(row["timezone"]) and row["meeting_mode"] == "" and row["career_stage"] == ""


def test_mentor_and_mentee_rows_in_separate_files_become_one_member_with_role_both():
    mentors = csv_bytes(
        [["Name", "Email", "Interests", "Capacity"], ["Ada", "a@x.org", "Archives", "2"]]
    )
    mentees = csv_bytes([["Name", "Email", "Interests"], ["Ada L", " A@X.ORG", "Outreach"]])
    report = load_members(
        [("mentors.csv", mentors), ("mentees.csv", mentees)],
        roles={"mentors.csv": "mentor", "mentees.csv": "mentee"},
    )
    assert (report.rows_read, report.rows_kept, report.rows_dropped) == (2, 2, 0)
    assert report.counts == {"mentor": 0, "mentee": 0, "both": 1}
    row = person(report, "a@x.org")
    assert row["role"] == "both" and row["name"] == "Ada"
    assert row["interests"] == ("archives", "outreach") and row["capacity"] == 2
    (issue,) = by_code(report, "roles_merged")
    assert issue.file == "mentees.csv" and "mentors.csv row 2" in issue.message


@pytest.mark.parametrize(("mode", "severity"), [("report", "error"), ("keep_first", "warning")])
def test_same_member_twice_keeps_the_first_and_lists_both_rows(mode, severity):
    report = load(
        [
            ["Name", "Email", "Role", "Notes"],
            ["Ada", "a@x.org", "Mentee", "first"],
            ["Bo", "b@x.org", "Mentor", ""],
            ["Ada", " A@x.org", "Mentee", "second"],
        ],
        duplicates=mode,
    )
    assert (report.rows_read, report.rows_kept, report.rows_dropped) == (3, 2, 1)
    assert person(report, "a@x.org")["notes"] == "first"
    (issue,) = by_code(report, "duplicate_member")
    assert issue.row == 4 and "m.csv row 2" in issue.message and issue.severity == severity
    assert report.has_errors is (mode == "report")


def test_same_member_id_with_different_emails_is_a_duplicate():
    report = load(
        [
            ["ID", "Name", "Email", "Role"],
            ["7", "Ada", "a@x.org", "Mentor"],
            ["7", "Bo", "b@x.org", "Mentor"],
        ]
    )
    (issue,) = by_code(report, "duplicate_member")
    assert "same member ID" in issue.message


def test_both_flag_keeps_a_side_file_row_on_its_side_and_says_so():
    # The file's side is authoritative (issue 11): "both" only adds the other role for a
    # member who is also on the other side's file.
    data = csv_bytes([["first name", "last name", "email address", "both mentor and mentee"],
                      ["A", "B", "a@x.org", "yes"], ["C", "D", "c@x.org", "no"]])  # fmt: skip
    report = load_members(("mentors.csv", data), roles={"mentors.csv": "mentor"})
    assert report.people["role"].tolist() == ["mentor", "mentor"]
    (issue,) = by_code(report, "both_not_on_other_side")
    assert issue.row == 2 and issue.member_id == "a@x.org" and "mentees' file" in issue.message


def test_both_flag_with_the_member_on_both_files_makes_them_both():
    mentors = csv_bytes([["name", "email", "both mentor and mentee"],
                         ["Al Bo", "a@x.org", "yes"], ["Cy Do", "c@x.org", "no"]])  # fmt: skip
    mentees = csv_bytes([["name", "email"], ["Al Bo", "A@x.org"], ["Ed Fu", "e@x.org"]])
    report = load_members(
        [("mentors.csv", mentors), ("mentees.csv", mentees)],
        roles={"mentors.csv": "mentor", "mentees.csv": "mentee"},
    )
    roles = dict(zip(report.people["member_id"], report.people["role"], strict=True))
    assert roles == {"a@x.org": "both", "c@x.org": "mentor", "e@x.org": "mentee"}
    assert not by_code(report, "both_not_on_other_side")


def test_explicit_mapping_overrides_the_guess_and_can_ignore():
    report = load(
        [["Code", "Name", "Role", "Email"], ["p1", "Project one", "Mentor", "x@x.org"]],
        mapping={"Code": "member_id", "Email": "ignore"},
    )
    assert report.people["member_id"].tolist() == ["p1"]
    assert report.people["email"].tolist() == [""]
    assert report.mappings["m.csv"] == {"Code": "member_id", "Name": "name", "Role": "role"}
    assert report.unmapped["m.csv"] == ("Email",)


def test_explicit_mapping_takes_a_single_field_from_the_guessed_header():
    report = load(
        [["Name", "Display", "Role"], ["Ada Lovelace", "Countess", "Mentor"]],
        mapping={"Display": "name"},
    )
    assert report.people["name"].tolist() == ["Countess"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"mapping": {"Name": "nickname"}},
        {"roles": {"m.csv": "boss"}},
        {"roles": {"other.csv": "mentor"}},
        {"duplicates": "merge"},
    ],
)
def test_bad_options_are_config_errors(kwargs):
    with pytest.raises(ConfigError, match="got|not loaded|not a field"):
        load([["Name", "Role"], ["Ada", "Mentor"]], **kwargs)


def test_identity_topics_and_preferences():
    report = load(
        [
            ["Name", "Email", "Role", "Race or ethnicity", "Do you identify as LGBTQ+?",
             "Would you like a mentor who shares part of your identity?"],
            ["Ada", "a@x.org", "Mentee", "Black or African American", "Yes", "Race or ethnicity"],
            ["Bo", "b@x.org", "Mentee", "Asian", "Prefer not to say", "Yes"],
            ["Cy", "c@x.org", "Mentee", "White", "No", "No preference"],
        ]
    )  # fmt: skip
    assert person(report, "a@x.org")["identities"] == ("black or african american", "lgbtq+")
    assert person(report, "a@x.org")["identity_preference"] == ("black or african american",)
    assert person(report, "b@x.org")["identities"] == ("asian",)
    assert person(report, "b@x.org")["identity_preference"] == ("asian",)
    assert person(report, "c@x.org")["identity_preference"] == ()


def test_yes_no_shared_identity_question_gates_the_named_identities():
    report = load(
        [
            ["Name", "Email", "Role", "match with similar identity", "identity to match"],
            ["Ada", "a@x.org", "Mentee", "yes", "Gay"],
            ["Bo", "b@x.org", "Mentee", "no", "Transgender"],
        ]
    )
    assert person(report, "a@x.org")["identity_preference"] == ("gay",)
    assert person(report, "b@x.org")["identity_preference"] == ()


MENTORS = [
    ["Name", "Email", "Member ID", "Role", "First choice", "Second choice", "Past mentors"],
    ["Aurelia Inkwell", "aurelia@x.org", "m1", "Mentor", "", "", ""],
    ["José Núñez", "jose@x.org", "m2", "Mentor", "", "", ""],
    ["Kim Park", "kim1@x.org", "m3", "Mentor", "", "", ""],
    ["Kim Park", "kim2@x.org", "m4", "Both", "", "", ""],
]


def choices(first: str, second: str = "", past: str = "") -> LoadReport:
    return load([*MENTORS, ["Mo", "mo@x.org", "e1", "Mentee", first, second, past]])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("m2", ("m2",)),
        ("JOSE@x.org", ("m2",)),
        ("jose nunez", ("m2",)),
        ("  José   Núñez ", ("m2",)),
        ("Aurelia Inkwlel", ("m1",)),
        ("Inkwell", ("m1",)),
    ],
)
def test_preferred_mentor_resolved_by_id_email_or_name(text, expected):
    assert person(choices(text), "e1")["preferred_mentors"] == expected


def test_fuzzy_choice_is_reported_so_it_can_be_checked():
    report = choices("Aurelia Inkwlel")
    (issue,) = by_code(report, "preferred_fuzzy")
    assert "Aurelia Inkwell (m1)" in issue.message and issue.row == 6


def test_ambiguous_choice_names_the_candidates():
    report = choices("Kim Park")
    assert person(report, "e1")["preferred_mentors"] == ()
    (issue,) = by_code(report, "preferred_ambiguous")
    assert "Kim Park (m3), Kim Park (m4)" in issue.message and issue.severity == "warning"


def test_unknown_choice_is_a_warning():
    report = choices("Zebedee Quux")
    (issue,) = by_code(report, "preferred_unknown")
    assert "'Zebedee Quux'" in issue.message


def test_choices_keep_rank_order_from_the_headers_not_the_columns():
    rows = [["Name", "Email", "Role", "Second choice", "First choice"],
            ["Ada", "a@x.org", "Mentor", "", ""], ["Bo", "b@x.org", "Mentor", "", ""],
            ["Mo", "mo@x.org", "Mentee", "Bo", "Ada"]]  # fmt: skip
    assert person(load(rows), "mo@x.org")["preferred_mentors"] == ("a@x.org", "b@x.org")


def test_choosing_yourself_or_a_mentee_is_left_out():
    rows = [["Name", "Email", "Role", "First choice", "Second choice"],
            ["Bo", "b@x.org", "Both", "Bo", ""], ["Mo", "mo@x.org", "Mentee", "Cy", "Bo"],
            ["Cy", "c@x.org", "Mentee", "", ""]]  # fmt: skip
    report = load(rows)
    assert person(report, "b@x.org")["preferred_mentors"] == ()
    assert person(report, "mo@x.org")["preferred_mentors"] == ("b@x.org",)
    assert by_code(report, "preferred_self")


def test_past_partners_resolved_and_unresolved_reported_as_info():
    report = choices("", "", "aurelia@x.org and José Núñez; Someone Else")
    assert person(report, "e1")["past_partners"] == ("m1", "m2")
    (issue,) = by_code(report, "past_partner_unresolved")
    assert issue.severity == "info" and "'Someone Else'" in issue.message


def test_repeated_choices_keep_the_first_rank():
    rows = [["name", "role", "0", "1", "2"], ["A0", "Mentor", "", "", ""],
            ["B1", "Mentor", "", "", ""], ["s1", "Mentee", "B1", "A0", "B1"]]  # fmt: skip
    report = load(
        rows, mapping={"0": "preferred_mentors", "1": "preferred_mentors", "2": "preferred_mentors"}
    )
    assert person(report, "s1")["preferred_mentors"] == ("b1", "a0")


def test_counts_per_role():
    report = load(
        [["Name", "Role"], ["A", "Mentor"], ["B", "Mentee"], ["C", "Mentee"], ["D", "Both"]]
    )
    assert report.counts == {"mentor": 1, "mentee": 2, "both": 1}


def test_encodings_are_reported_per_file():
    report = load_members(("w.csv", "Name,Role\nRenée,Mentor\n".encode("cp1252")))
    assert report.encodings == {"w.csv": "cp1252"}
    assert report.people["name"].tolist() == ["Renée"]


def test_unusable_file_is_a_load_error():
    with pytest.raises(LoadError, match="no members found"):
        load_members(("m.csv", b"Name,Role\n,\n"))


# Properties


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_arbitrary_bytes_raise_only_load_error_and_lose_no_row(data):
    try:
        report = load_members(("m.csv", data))
    except LoadError:
        return
    assert report.rows_read == report.rows_kept + report.rows_dropped
    assert report.people["member_id"].is_unique


_ANSWER = st.one_of(
    st.text(
        st.one_of(
            st.characters(blacklist_categories=("Cs", "Cc")), st.sampled_from(list("\n\t,;\"'"))
        ),
        max_size=12,
    ),
    st.sampled_from(["Mentor", "Mentee", "Both", "two", "UTC-5", "None", "NA", "007", "'=1+1", ""]),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(_ANSWER, min_size=6, max_size=6), min_size=1, max_size=8),
    st.sampled_from([",", ";", "\t"]),
)
def test_arbitrary_form_answers_lose_no_row(rows, delimiter):
    header = ["Name", "Email", "Role", "Capacity", "Time zone", "First choice"]
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows([header, *rows])
    try:
        report = load_members(("m.csv", out.getvalue().encode()))
    except LoadError as exc:
        assert "no members found" in str(exc) or "empty" in str(exc)
        return
    assert report.rows_read == report.rows_kept + report.rows_dropped
    # A capacity above the cohort blocks matching on a row that is kept; every other error
    # drops its row.
    errors = [
        i for i in report.issues if i.severity == "error" and i.code != "capacity_above_cohort"
    ]
    if any(i.row is None for i in errors):
        # A missing required column drops the whole file in one issue naming the rows.
        assert report.rows_kept == 0
    else:
        # Every dropped row is named by exactly one error, and no kept row has one.
        assert len({i.row for i in errors}) == len(errors) == report.rows_dropped
    assert report.people["member_id"].is_unique
    assert set(report.people["role"]) <= {"mentor", "mentee", "both"}
    people_columns = report.people[list(empty_people().columns)]
    assert people_columns.dtypes.to_dict() == empty_people().dtypes.to_dict()


def test_placeholder_email_does_not_make_different_people_duplicates():
    # Microsoft Forms writes "anonymous" in the email column of every anonymous response.
    report = load(
        [["Name", "Email", "Role"], ["Ada", "anonymous", "Mentor"], ["Bo", "anonymous", "Mentee"]]
    )
    assert report.rows_kept == 2 and not by_code(report, "duplicate_member")
    assert report.people["member_id"].tolist() == ["ada", "bo"]


def test_large_cohorts_compare_misspelt_names_only_with_names_sharing_a_word(monkeypatch):
    from mentoring.reading import loader as validate

    monkeypatch.setattr(validate._Directory, "FULL_SCAN_LIMIT", 2)
    report = choices("Aurelia Inkwlel", "Jose Nunes")
    assert person(report, "e1")["preferred_mentors"] == ("m1", "m2")
    assert person(choices("Aurelai Inkwlel"), "e1")["preferred_mentors"] == ()


def test_long_answers_are_cut_short_in_messages():
    essay = "It depends on my schedule " * 200
    report = load([["Name", "Email", "Role", "Capacity"], ["Ada", "a@x.org", "Mentor", essay]])
    (issue,) = by_code(report, "capacity_unparsed")
    assert len(issue.message) < 200 and "..." in issue.message


def test_a_mapping_for_a_column_no_file_has_is_a_warning():
    report = load([["Name", "Role"], ["Ada", "Mentor"]], mapping={"Emial": "email", "name": "name"})
    (issue,) = by_code(report, "mapping_unused")
    assert issue.column == "Emial" and issue.severity == "warning" and issue.file == "m.csv"


def test_yes_no_role_question_from_a_real_form_header():
    report = load(
        [
            ["Your first name", "Your last name", "Do you want to sign up as a mentor?"],
            ["Ada", "L", "Yes"],
            ["Bo", "C", "No"],
        ]
    )
    assert report.people["role"].tolist() == ["mentor", "mentee"]


def test_regression_it_in_languages_is_not_a_topic():
    from mentoring.reading.loader import load_members

    csv = b"id,name,role,languages,interests\n1,Ana,mentor,English; IT,IT\n"
    people = load_members([("m.csv", csv)]).people
    assert people.loc[0, "languages"] == ("english", "it")
    assert people.loc[0, "interests"] == ("systems and technology",)
