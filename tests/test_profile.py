"""Column profiling on small hand-made tables: one test per rule of evidence.

Each table is a few rows a coordinator could plausibly export; each test says which column
should be read how, and why (the evidence must be in words, and unsure guesses are flagged).
"""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentoring.model.errors import ConfigError
from mentoring.model.questions import CONFIDENT, decode_acceptability
from mentoring.reading.columns import learn_labels, split_options
from mentoring.reading.ingest import read_tables
from mentoring.reading.levels import order_levels
from mentoring.reading.loader import load_members
from mentoring.reading.pairing import check_overrides, pair_questions
from mentoring.reading.profile import profile_table


def table(rows: list[list[str]], name: str = "f.csv"):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    tables, _ = read_tables((name, out.getvalue().encode()), every_member_sheet=True)
    return tables[0]


def uses(rows: list[list[str]]) -> dict[str, tuple[str, str]]:
    return {p.header: (p.use, p.field) for p in profile_table(table(rows))}


PEOPLE = [
    ["Ada Li", "ada@x.org", "Mentor"],
    ["Bo Ng", "bo@x.org", "Mentee"],
    ["Cy Oh", "cy@x.org", "Mentee"],
    ["Di Vo", "di@x.org", "Mentor"],
    ["Ed Wu", "ed@x.org", "Mentee"],
]


def with_column(header: str, values: list[str]) -> list[list[str]]:
    rows = [["Name", "Email", "Role", header]]
    rows += [[*p, v] for p, v in zip(PEOPLE, values, strict=True)]
    return rows


def profile_of(header: str, values: list[str]):
    return next(p for p in profile_table(table(with_column(header, values))) if p.header == header)


def test_timestamps_and_response_machinery_are_ignored():
    rows = [["Timestamp", "Respondent ID", "IP Address", "Name", "Role"]]
    rows += [
        [f"2026-01-0{i} 10:0{i}:00", f"1144{i}", f"192.0.2.{i}", n, r]
        for i, (n, _, r) in enumerate(PEOPLE, 1)
    ]
    found = uses(rows)
    assert found["Timestamp"] == ("ignored", "timestamp")
    assert found["Respondent ID"] == ("ignored", "response_id")
    assert found["IP Address"] == ("ignored", "ip")


def test_dates_without_a_telling_header_are_still_timestamps():
    assert profile_of("When", [f"0{i}/02/2026 1{i}:30" for i in range(1, 6)]).field == "timestamp"


def test_constant_confirmation_is_ignored_not_a_meeting_mode():
    p = profile_of("Please confirm you can meet monthly", ["yes"] * 5)
    assert (p.use, p.field) == ("ignored", "confirmation")
    assert "yes" in p.evidence


def test_an_exporter_identical_on_every_row_is_a_submitter_not_the_member():
    rows = [["ID", "Start time", "Email", "Name", "WWID", "Full name", "Role"]]
    rows += [
        [str(i), f"2026-01-0{i} 09:00", "anonymous", "anonymous", f"8{i}01234{i}", n, r]
        for i, (n, _, r) in enumerate(PEOPLE, 1)
    ]
    found = uses(rows)
    assert found["ID"] == ("ignored", "response_id")
    assert found["Email"] == ("ignored", "submitter")
    assert found["Name"] == ("ignored", "submitter")
    assert found["WWID"] == ("id", "member_id")
    assert found["Full name"] == ("name", "name")


def test_links_phones_and_orcids_are_ignored_with_what_they_are():
    assert (
        profile_of(
            "Google Scholar profile",
            [f"https://scholar.google.com/citations?user=A{i}" for i in range(5)],
        ).field
        == "url"
    )
    assert profile_of("Phone", [f"+1 555 010{i}" for i in range(5)]).field == "phone"
    assert profile_of("ORCID iD", [f"0000-0002-1825-009{i}" for i in range(5)]).field == "orcid"
    assert (
        profile_of(
            "Upload your CV", [f"https://drive.google.com/open?id=abc{i}" for i in range(5)]
        ).field
        == "file_upload"
    )


def test_a_priority_header_with_urls_is_not_a_priority_flag():
    p = profile_of("Scholar profile", [f"https://example.org/p{i}" for i in range(5)])
    assert p.use == "ignored"


def test_capacity_read_from_a_question_not_named_capacity():
    p = profile_of(
        "How many applicants would you be willing to work with this cycle?",
        ["3", "", "", "two", ""],
    )
    assert p.use == "capacity"


def test_a_yes_no_about_another_mentee_is_not_capacity_nor_interests():
    p = profile_of("Would you be willing to take an additional mentee?", ["No", "", "", "Yes", ""])
    assert p.use == "other"


def test_a_diversity_statement_is_kept_to_show_not_matched():
    texts = [f"I care about inclusive mentoring because of reason number {i}." for i in range(5)]
    p = profile_of("Diversity statement", texts)
    assert p.use == "other"


def test_long_varied_answers_to_a_goal_question_are_free_text():
    texts = [
        "I want to learn how to run a digitisation project from start to end.",
        "Moving from cataloguing into management, and learning to lead a team.",
        "Getting published in a peer reviewed journal for the first time.",
        "Understanding budgets and how to argue for funding.",
        "Building confidence to present at conferences.",
    ]
    p = profile_of("What do you hope to get out of the programme?", texts)
    assert (p.use, p.kind) == ("question", "free_text")


def test_multi_select_with_commas_inside_options_learns_the_labels():
    values = [
        "Policy, Digital, Data and Technology",
        "Digital, Data and Technology",
        "Finance, Policy",
        "Digital, Data and Technology, Finance",
        "Policy",
    ]
    labels = learn_labels(values)
    assert "digital, data and technology" in labels
    assert split_options(values[0], labels) == ("Policy", "Digital, Data and Technology")
    assert profile_of("Professions you work with", values).kind == "overlap"


def test_single_select_with_commas_is_a_category():
    values = [
        "Digital, Data and Technology",
        "Policy",
        "Policy",
        "Digital, Data and Technology",
        "HR",
    ]
    assert profile_of("Your profession", values).kind == "same"


def test_ordered_levels_from_known_scales_and_numbers():
    assert order_levels(["SCS1", "AA", "Grade 7", "HEO", "Grade 6"])[0] == (
        "AA", "HEO", "Grade 7", "Grade 6", "SCS1"
    )  # fmt: skip
    assert order_levels(["Professor", "PhD student", "Postdoctoral researcher"])[0] == (
        "PhD student", "Postdoctoral researcher", "Professor"
    )  # fmt: skip
    assert order_levels(["Strongly agree", "Disagree", "Neutral"])[0] == (
        "Disagree", "Neutral", "Strongly agree"
    )  # fmt: skip
    levels, confidence, _ = order_levels(["Red", "Blue", "Green"])
    assert confidence == 0 and set(levels) == {"Red", "Blue", "Green"}


def test_grades_are_an_ordinal_question_not_three_career_stages():
    p = profile_of("Grade", ["AA", "HEO", "SEO", "Grade 7", "EO"])
    assert (p.use, p.kind, p.field) == ("question", "ordinal", "")
    assert p.levels == ("AA", "EO", "HEO", "SEO", "Grade 7")


def test_google_grid_of_sites_is_an_acceptability_grid():
    header = ["Name", "Email", "Role", "Sites [North]", "Sites [South]"]
    answers = [["Definitely yes", "No"], ["No", "Definitely yes"], ["Maybe, if needed", "No"],
               ["Definitely yes", "Definitely yes"], ["No", "Maybe, if needed"]]  # fmt: skip
    rows = [header, *[[*p, *a] for p, a in zip(PEOPLE, answers, strict=True)]]
    found = {p.header: p for p in profile_table(table(rows))}
    grid = found["Sites [North]"]
    assert (grid.use, grid.kind, grid.group, grid.option) == (
        "acceptability", "acceptability", "Sites", "North"
    )  # fmt: skip
    report = load_members(("f.csv", csv_bytes(rows)))
    (criterion,) = [c for c in report.criteria if c.kind == "acceptability"]
    assert criterion.joint
    bo = report.people.set_index("member_id").loc["bo@x.org", criterion.mentee_column]
    assert decode_acceptability(bo) == {"north": 0, "south": 2}


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def test_day_and_time_grid_is_availability_with_slot_tags():
    header = ["Name", "Email", "Role", "Monday [Morning]", "Monday [Evening]", "Friday [Morning]"]
    answers = [["Available", "", ""], ["", "Available", ""], ["Available", "", "Available"],
               ["", "", "Available"], ["Available", "Available", ""]]  # fmt: skip
    rows = [header, *[[*p, *a] for p, a in zip(PEOPLE, answers, strict=True)]]
    report = load_members(("f.csv", csv_bytes(rows)))
    (slots,) = [c for c in report.criteria if c.kind == "availability"]
    people = report.people.set_index("member_id")
    assert people.loc["cy@x.org", slots.mentee_column] == ("friday morning", "monday morning")


def test_shared_gender_wish_becomes_a_criterion_on_the_gender_column():
    header = [
        "Name",
        "Email",
        "Role",
        "Gender",
        "Would you like to be matched with someone of similar gender?",
    ]
    answers = [["Woman", "Yes"], ["Man", "No preference"], ["Woman", "Yes"], ["Man", "No"],
               ["Non-binary", ""]]  # fmt: skip
    rows = [header, *[[*p, *a] for p, a in zip(PEOPLE, answers, strict=True)]]
    report = load_members(("f.csv", csv_bytes(rows)))
    (wish,) = [c for c in report.criteria if c.kind == "shared_identity"]
    people = report.people.set_index("member_id")
    assert wish.mentee_column == wish.mentor_column == "q:gender"
    assert people.loc["ada@x.org", "q:gender"] == "woman"
    assert [people.loc[m, wish.wish_column] for m in ("ada@x.org", "bo@x.org", "di@x.org")] == [
        "yes", "", "no"
    ]  # fmt: skip
    # The wish does not also turn into the preset's identity preference (counted twice).
    assert people["identity_preference"].map(len).sum() == 0


def test_one_column_per_option_with_option_sub_headers():
    data = (
        b"Respondent ID,Name,Email,Role,Topics (select all),,\n"
        b",,,Response,Maps,Data,Other (please specify)\n"
        b"11,Ada Li,ada@x.org,Mentor,Maps,,\n"
        b"12,Bo Ng,bo@x.org,Mentee,Maps,Data,\n"
        b"13,Cy Oh,cy@x.org,Mentee,,Data,zines\n"
    )
    report = load_members(("survey.csv", data))
    found = {p.header: p for p in report.profiles}
    assert found["Topics (select all) - Maps"].option == "Maps"
    assert found["Topics (select all) - Maps"].group == "Topics (select all)"
    people = report.people.set_index("member_id")
    assert people.loc["bo@x.org", "interests"] == ("data", "maps")
    assert people.loc["cy@x.org", "interests"] == ("data", "zines")


def test_sheet_and_file_names_give_the_side_when_no_column_does():
    mentors = csv_bytes([["Name", "Email"], ["Ada Li", "ada@x.org"], ["Di Vo", "di@x.org"]])
    report = load_members([("mentors.csv", mentors)])
    assert report.counts["mentor"] == 2
    assert any(i.code == "role_from_name" for i in report.issues)


def test_questions_paired_across_two_files_by_header_and_vocabulary():
    mentees = csv_bytes([["Name", "Email", "Skills you want to be mentored in"],
                         ["Bo Ng", "bo@x.org", "Skill: Public Speaking, Skill: Budgets"],
                         ["Cy Oh", "cy@x.org", "Skill: Leadership"],
                         ["Ed Wu", "ed@x.org", "Skill: Budgets, Skill: Leadership"]])  # fmt: skip
    mentors = csv_bytes([["Name", "Email", "Skills you want to help mentees improve"],
                         ["Ada Li", "ada@x.org", "Public Speaking, Leadership"],
                         ["Di Vo", "di@x.org", "Budgets"],
                         ["Fi Xu", "fi@x.org", "Leadership, Budgets"]])  # fmt: skip
    report = load_members(
        [("a.csv", mentees), ("b.csv", mentors)], roles={"a.csv": "mentee", "b.csv": "mentor"}
    )
    (skills,) = report.criteria
    assert skills.kind == "seeks_offers"
    people = report.people.set_index("member_id")
    assert people.loc["bo@x.org", skills.mentee_column] == ("budgets", "public speaking")
    assert people.loc["ada@x.org", skills.mentor_column] == ("leadership", "public speaking")


def test_the_coordinator_overrides_any_guess():
    rows = with_column("Grade", ["EO", "HEO", "SEO", "EO", "HEO"])
    report = load_members(
        ("f.csv", csv_bytes(rows)),
        questions={"Grade": {"levels": ["SEO", "HEO", "EO"], "direction": "closer", "weight": 2}},
    )
    (grade,) = report.criteria
    assert grade.levels == ("SEO", "HEO", "EO") and grade.direction == "closer"
    assert grade.weight == 2
    assert report.people.set_index("member_id").loc["ada@x.org", "q:grade"] == 2.0
    ignored = load_members(("f.csv", csv_bytes(rows)), questions={"Grade": {"use": "ignored"}})
    assert not ignored.criteria and "q:grade" not in ignored.people.columns
    (profile,) = [p for p in ignored.profiles if p.header == "Grade"]
    assert profile.evidence == "set by the coordinator" and profile.confidence == 1.0


def test_overrides_are_checked():
    with pytest.raises(ConfigError, match="unknown setting"):
        check_overrides({"Grade": {"colour": "red"}})
    with pytest.raises(ConfigError, match="use must be one of"):
        check_overrides({"Grade": {"use": "vibes"}})


def test_unsure_guesses_are_flagged_and_not_used():
    texts = ["blue sky thinking", "a red one", "green", "we will see about it", "purple rain again"]
    report = load_members(("f.csv", csv_bytes(with_column("Misc", texts))))
    (misc,) = [p for p in report.profiles if p.header == "Misc"]
    if misc.confidence < CONFIDENT:
        assert misc.flagged
        assert any(i.code == "column_unsure" and i.column == "Misc" for i in report.issues)
        assert not [c for c in report.criteria if "Misc" in c.headers]


def test_pair_questions_is_usable_on_its_own():
    t = table(with_column("City", ["Leeds", "York", "Leeds", "York", "Leeds"]))
    plan = pair_questions([(t, None, profile_table(t))])
    assert [(c.kind, c.mentee_column) for c in plan.criteria] == [("same", "q:city")]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(["Maps", "Data", "Diversity, equity, and inclusion", "GIS"]),
            min_size=1,
            max_size=3,
            unique=True,
        ),
        min_size=1,
        max_size=8,
    )
)
def test_splitting_against_learned_labels_gives_back_the_chosen_options(chosen):
    answers = [", ".join(options) for options in chosen]
    labels = learn_labels(answers) | {"diversity, equity, and inclusion"}
    for options, answer in zip(chosen, answers, strict=True):
        assert split_options(answer, labels) == tuple(options)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.text(alphabet="ab ,;@1x", max_size=6), min_size=4, max_size=4),
        min_size=1,
        max_size=6,
    )
)
def test_profiling_any_small_table_gives_one_profile_per_column(cells):
    rows = [["Name", "Role", "Q1", "Q2"], *cells]
    try:
        t = table(rows)
    except Exception as exc:  # only our own error type may stop the reading
        assert type(exc).__name__ == "LoadError"
        return
    profiles = profile_table(t)
    assert [p.position for p in profiles] == list(range(len(t.frame.columns)))
    assert all(p.evidence and 0 <= p.confidence <= 1 for p in profiles)


def test_the_coordinator_can_pair_two_questions_the_reader_did_not():
    rows = [["Name", "Email", "Role", "Hopes (mentees)", "Strengths (mentors)"]]
    rows += [
        ["Ada Li", "ada@x.org", "Mentor", "", "Budgets; Grants"],
        ["Bo Ng", "bo@x.org", "Mentee", "Funding; Grants", ""],
        ["Cy Oh", "cy@x.org", "Mentee", "Budgets", ""],
        ["Di Vo", "di@x.org", "Mentor", "", "Funding"],
    ]
    report = load_members(
        ("f.csv", csv_bytes(rows)),
        questions={"Hopes (mentees)": {"pairs_with": "Strengths (mentors)", "weight": 3}},
    )
    (pair,) = [c for c in report.criteria if "Hopes (mentees)" in c.headers]
    assert pair.kind == "seeks_offers" and pair.weight == 3
    assert set(pair.headers) == {"Hopes (mentees)", "Strengths (mentors)"}
