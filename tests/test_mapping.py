"""Headers to fields, multi-select answers to tags."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentoring.model.people import PEOPLE_COLUMNS
from mentoring.reading.mapping import (
    MAPPABLE_FIELDS,
    guess_mapping,
    normalise_header,
    normalise_tag,
    split_multi,
)

REALWORLD = Path(__file__).resolve().parent / "data" / "realworld"
SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


def headers_of(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle))


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("What are your areas of interest?", "interests"),
        ("How many mentees can you take on?", "capacity"),
        ("How many applicants would you be willing to work with this cycle?", "capacity"),
        ("How many people could you mentor at once?", "capacity"),
        ("I'm happy to be both a mentor and a mentee", "both_flag"),
        ("Mentor you'd most like to work with (optional)", "preferred_mentors"),
        ("Chapter affiliation", "chapter"),
        ("Would you like to mentor, be mentored, or both?", "role"),
        ("My first choice mentor is:", "preferred_mentors"),
        ("Email Address", "email"),
        ("Mentor name", "preferred_mentors"),
        ("Name of a mentor you would like to work with", "preferred_mentors"),
        ("Preferred meeting format", "meeting_mode"),
        ("Statement of interest", "interests"),
        ("Membership type", None),
        ("Phone number", None),
        ("E-mail", "email"),
        ("Your Civil Service email address", "email"),
        ("Which languages can you mentor or be mentored in?", "languages"),
        ("Your job title or role", "job_title"),
        ("Role", "role"),
        ("ALA member ID", "member_id"),
        ("Membership number", "member_id"),
        ("First name", "first_name"),
        ("Surname", "last_name"),
        ("Full name", "name"),
        ("Are you a first-generation professional? (optional)", "identities"),
        ("Would you like a mentor who shares part of your identity?", "identity_preference"),
        ("match with similar identity", "identity_wants_match"),
        ("both mentor and mentee", "both_flag"),
        ("What time zone are you in?", "timezone"),
        ("Time-zone", "timezone"),
        ("How would you prefer to meet?", "meeting_mode"),
        ("What type of library do you work in?", "library_type"),
        ("Which ALA divisions and round tables are you a member of?", "divisions"),
        ("Are you open to peer mentoring with another member?", "open_to_peer"),
        ("Who have you been paired with before? (names or emails)", "past_partners"),
        ("What do you hope to gain from a mentor? (mentees)", "seeks"),
        ("What can you offer as a mentor? (mentors)", "offers"),
        ("Spectrum Scholar or other priority program?", "priority"),
        ("Anything else we should know?", "notes"),
        ("years_experience", "years_experience"),
        ("identity_preference", "identity_preference"),
    ],
)
def test_question_text_and_short_names_map(header, field):
    assert guess_mapping([header]) == ({header: field} if field else {})


@pytest.mark.parametrize(
    "header", ["Timestamp", "Completion time", "Do you agree to us using the information?", ""]
)
def test_form_bookkeeping_columns_are_left_out(header):
    assert guess_mapping([header]) == {}


def test_a_single_valued_field_goes_to_the_first_header_only():
    assert guess_mapping(["Name", "Preferred name", "Email", "Work email"]) == {
        "Name": "name",
        "Email": "email",
    }


def test_several_identity_and_choice_columns_all_map():
    headers = ["Race or ethnicity", "Gender identity", "First choice", "Second choice"]
    assert guess_mapping(headers) == {
        "Race or ethnicity": "identities",
        "Gender identity": "identities",
        "First choice": "preferred_mentors",
        "Second choice": "preferred_mentors",
    }


def test_canonical_template_headers_map_to_themselves():
    headers = list(PEOPLE_COLUMNS)
    assert guess_mapping(headers) == {h: h for h in headers}


def test_jonodrew_headers_map_the_same_vocabulary_on_both_sides():
    mentees = guess_mapping(headers_of(REALWORLD / "jonodrew_mentor_match" / "small_mentees.csv"))
    mentors = guess_mapping(headers_of(REALWORLD / "jonodrew_mentor_match" / "small_mentors.csv"))
    assert mentees["identity to match"] == "identity_preference"
    assert mentees["match with similar identity"] == "identity_wants_match"
    assert mentors["characteristics"] == "identities"
    for side in (mentees, mentors):
        assert side["first name"] == "first_name"
        assert side["last name"] == "last_name"
        assert side["email address"] == "email"
        assert side["both mentor and mentee"] == "both_flag"
        assert side["grade"] == "career_stage"
        assert side["organisation"] == "institution"


def test_jonodrew_real_form_headings_map():
    found = guess_mapping(
        headers_of(REALWORLD / "jonodrew_mentor_match" / "form-output-headings.csv")
    )
    assert found["Do you want to sign up as a mentor?"] == "role"
    assert found["Your Civil Service email address"] == "email"
    assert found["Your first name"] == "first_name"
    assert "Timestamp" not in found


def test_every_sample_form_header_but_the_timestamp_maps():
    headers = headers_of(SAMPLE / "members.csv")
    found = guess_mapping(headers)
    assert set(headers) - set(found) == {"Timestamp"}
    assert set(found.values()) <= set(MAPPABLE_FIELDS)


def test_normalise_header_drops_accents_punctuation_and_form_suffixes():
    assert normalise_header("Année d’expérience (optional)") == "annee d experience"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Outreach;Archives;", ("Outreach", "Archives")),
        ("Outreach | Archives\nAdvocacy", ("Outreach", "Archives", "Advocacy")),
        (
            "Instruction, Diversity, equity and inclusion",
            ("Instruction", "Diversity, equity and inclusion"),
        ),
        (
            "Diversity, Equity, and Inclusion, Archives",
            ("Diversity, Equity, and Inclusion", "Archives"),
        ),
        (
            "Career advice and planning, Job search, resumes and interviewing",
            ("Career advice and planning", "Job search, resumes and interviewing"),
        ),
        (
            "Special library (law, medical, corporate)",
            ("Special library (law, medical, corporate)",),
        ),
        (
            "Outreach, Other: library marketing, social media",
            ("Outreach", "library marketing, social media"),
        ),
        ("Other (please specify): zines", ("zines",)),
        ("Other", ()),
        ("Archives, archives;ARCHIVES", ("Archives",)),
        (" ; , ;", ()),
        ("", ()),
        ("cataloging,outreach", ("cataloging,outreach",)),
        ("outreach, research and assessment", ("outreach", "research and assessment")),
    ],
)
def test_split_multi(text, expected):
    assert split_multi(text) == expected


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("DEI", "diversity, equity and inclusion"),
        ("Diversity, Equity & Inclusion", "diversity, equity and inclusion"),
        ("cataloguing", "cataloging"),
        ("Online catalogue", "online catalog"),
        ("Cataloguing and  Metadata.", "cataloging and metadata"),
        ("IT", "systems and technology"),
        ("  Youth   Services ", "youth services"),
        ("Children’s services", "youth services"),
        ("Spanish", "spanish"),
    ],
)
def test_normalise_tag(text, tag):
    assert normalise_tag(text) == tag


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_split_multi_never_yields_blanks_repeats_or_separators(text):
    pieces = split_multi(text)
    assert all(p and p == p.strip() for p in pieces)
    assert len({p.casefold() for p in pieces}) == len(pieces)
    assert not any(sep in p for p in pieces for sep in ";|\n\r")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_normalise_tag_is_idempotent(text):
    once = normalise_tag(text)
    assert normalise_tag(once) == once


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.text(st.characters(whitelist_categories=("L", "N")), min_size=1, max_size=10),
        max_size=5,
        unique_by=str.casefold,
    )
)
def test_semicolon_joined_options_come_back(options):
    assert split_multi(";".join(options)) == tuple(o for o in options if o.casefold() != "other")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=12))
def test_guess_mapping_gives_known_fields_and_single_fields_once(headers):
    found = guess_mapping(headers)
    assert set(found) <= set(headers)
    assert set(found.values()) <= set(MAPPABLE_FIELDS)
    many = {"interests", "offers", "seeks", "divisions", "languages", "identities",
            "identity_preference", "past_partners", "preferred_mentors", "notes"}  # fmt: skip
    single = [f for f in found.values() if f not in many]
    assert len(single) == len(set(single))
