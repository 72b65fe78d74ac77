"""Generate the sample cohort: a fictional ALA-style mentoring sign-up, as Google Forms exports it.

Run ``python sample_data/generate.py`` (or ``make sample``) to rewrite ``members.csv`` and
``template.csv`` next to this file; ``--out DIR`` writes them elsewhere. The output depends only
on :data:`SEED`, so two runs give byte-identical files and the sample can be checked into git.

Every person is fictional: names come from fixed lists, emails are at ``example.org``.
The file is deliberately messy in the ways real exports are (see ``README.md``).
"""

from __future__ import annotations

import argparse
import csv
import io
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

__all__ = [
    "HEADERS",
    "N_PEOPLE",
    "ROLE_COUNTS",
    "SEED",
    "TEMPLATE_HEADERS",
    "members_csv",
    "template_csv",
    "write_all",
]

SEED = 20260301
N_PEOPLE = 320
ROLE_COUNTS = {"mentee": 128, "mentor": 128, "both": 64}
"""Distinct people per role; the file has one extra row, a duplicate submission."""

HEADERS: tuple[str, ...] = (
    "Timestamp",
    "Email Address",
    "Full name",
    "ALA member ID",
    "Would you like to mentor, be mentored, or both?",
    "What type of library do you work in?",
    "Job title",
    "Institution / employer",
    "How many years have you worked in libraries?",
    "Which career stage best describes you?",
    "Which ALA divisions and round tables are you a member of?",
    "State chapter",
    "What time zone are you in?",
    "How would you prefer to meet?",
    "Which languages can you mentor or be mentored in?",
    "What are your areas of interest?",
    "What do you hope to gain from a mentor? (mentees)",
    "What can you offer as a mentor? (mentors)",
    "How many mentees can you take on? (mentors)",
    "Race or ethnicity (optional)",
    "Gender identity (optional)",
    "Do you identify as LGBTQ+? (optional)",
    "Do you identify as a person with a disability? (optional)",
    "Are you a first-generation professional? (optional)",
    "Would you like a mentor who shares part of your identity?",
    "Spectrum Scholar or other priority program?",
    "Are you open to peer mentoring with another member?",
    "Who have you been paired with before? (names or emails)",
    "My first choice mentor is:",
    "My second choice mentor is:",
    "Anything else we should know?",
)

FIRST_NAMES = (
    "Aurelia",
    "Bartholomew",
    "Calliope",
    "Desmond",
    "Elowen",
    "Fitzgerald",
    "Guinevere",
    "Hollis",
    "Ignatius",
    "Juniper",
    "Kestrel",
    "Lysander",
    "Marisol",
    "Nico",
    "Octavia",
    "Percival",
    "Quilla",
    "Rosalind",
    "Soren",
    "Thessaly",
    "Ulysses",
    "Veda",
    "Wendell",
    "Xiomara",
    "Yusuf",
    "Zinnia",
    "Amaru",
    "Bao",
    "Chidera",
    "Dagny",
    "Esperanza",
    "Farrin",
    "Haruki",
    "Inés",
    "Jae-won",
    "Kalani",
    "Leilani",
    "Mireille",
    "Nkechi",
    "Oisín",
)
LAST_NAMES = (
    "Applewhite",
    "Bookbinder",
    "Clearwater",
    "Dustjacket",
    "Evergreen",
    "Foxglove",
    "Gatekeeper",
    "Hollowell",
    "Inkwell",
    "Juniperberry",
    "Kettlewell",
    "Lanternfield",
    "Marginalia",
    "Nightingale",
    "Oakenshield",
    "Papyrus",
    "Quartermaine",
    "Riverstone",
    "Stacksworth",
    "Thistlewood",
    "Underhill",
    "Vellum",
    "Whitlock",
    "Yarrow",
    "Zephyrine",
    "Castellanos-Vega",
    "Ng-Hartley",
    "O'Shaughnessy",
    "Park-Dewey",
    "Ruiz-Colophon",
)

LIBRARY_TYPES = (
    ("Academic library", 30),
    ("Public library", 32),
    ("School library (K-12)", 14),
    ("Special library (law, medical, corporate)", 7),
    ("Government library", 4),
    ("Archive or museum", 4),
    ("LIS student / not currently employed", 6),
    ("Other: Tribal college library", 1),
    ("Other: library vendor", 1),
    ("Other: consortium", 1),
)
INSTITUTIONS = {
    "Academic library": (
        "Lakeshore State University Libraries",
        "Mesa Verde Community College Library",
        "Northfield College Library",
        "University of Prairie Hills Libraries",
        "Ridgeway Technical Institute Library",
        "Bayview University Library",
        "Cedar Falls State University",
        "Hawthorne College",
    ),
    "Public library": (
        "Riverside County Library",
        "Maple Grove Public Library",
        "Harbor City Public Library",
        "Pine Bluff Regional Library System",
        "Sunnyvale Free Library",
        "Elm Street Branch, Metro Public Library",
        "Tri-County Library District",
        "Oak Hollow Public Library",
    ),
    "School library (K-12)": (
        "Lincoln Middle School",
        "Westbrook Unified School District",
        "Cedar Ridge High School",
        "Sunrise Elementary",
    ),
    "Special library (law, medical, corporate)": (
        "St. Agnes Medical Center Library",
        "Hartwell & Finch LLP Law Library",
        "Northwind Pharmaceuticals Research Library",
    ),
    "Government library": ("State Library of Example", "County Law Library"),
    "Archive or museum": ("Prairie Hills Historical Society", "Museum of Maps Archive"),
    "LIS student / not currently employed": (
        "Lakeshore State University iSchool",
        "University of Prairie Hills, MLIS program",
        "",
    ),
}
JOB_TITLES = {
    "student": ("MLIS student", "Library school student", "Graduate assistant", "Library page"),
    "new professional": (
        "Reference librarian",
        "Children's librarian",
        "Cataloging librarian",
        "Instruction librarian",
        "Teen services librarian",
        "Library associate",
        "School librarian",
        "Resident librarian",
    ),
    "mid-career": (
        "Head of technical services",
        "Branch manager",
        "Subject librarian",
        "Digital initiatives librarian",
        "Systems librarian",
        "Youth services coordinator",
        "Archivist",
        "Assessment librarian",
    ),
    "senior": (
        "Library director",
        "Associate dean of libraries",
        "Deputy director",
        "Head of special collections",
        "District library coordinator",
        "University librarian",
    ),
    "retired": ("Retired", "Retired library director", "Retired, formerly head of cataloging"),
}
CAREER_LABELS = {
    "student": "Student (MLIS/MLS in progress)",
    "new professional": "New professional (under 5 years)",
    "mid-career": "Mid-career (5-15 years)",
    "senior": "Senior (15+ years)",
    "retired": "Retired",
}
YEARS_RANGE = {
    "student": (0, 2),
    "new professional": (1, 4),
    "mid-career": (5, 15),
    "senior": (16, 35),
    "retired": (25, 45),
}
STAGE_WEIGHTS = {
    "mentee": {"student": 45, "new professional": 45, "mid-career": 10},
    "mentor": {"new professional": 3, "mid-career": 42, "senior": 45, "retired": 10},
    "both": {"new professional": 35, "mid-career": 55, "senior": 10},
}
DIVISIONS = (
    ("ACRL", 20),
    ("PLA", 20),
    ("ALSC", 10),
    ("YALSA", 9),
    ("AASL", 9),
    ("Core", 11),
    ("RUSA", 8),
    ("United for Libraries", 3),
    ("NMRT", 16),
    ("GNCRT", 4),
    ("EMIERT", 4),
    ("GLBTRT (Rainbow Round Table)", 4),
    ("IFRT", 4),
    ("SRRT", 3),
    ("LIRT", 3),
    ("LHRT", 2),
    ("RMRT", 2),
    ("SustainRT", 2),
)
DIVISION_FOR_TYPE = {
    "Academic library": "ACRL",
    "Public library": "PLA",
    "School library (K-12)": "AASL",
}
CHAPTERS = (
    "California Library Association",
    "New York Library Association",
    "Texas Library Association",
    "Illinois Library Association",
    "Florida Library Association",
    "Pennsylvania Library Association",
    "Ohio Library Council",
    "Washington Library Association",
    "Colorado Association of Libraries",
    "Georgia Library Association",
    "Michigan Library Association",
    "Massachusetts Library Association",
    "Arizona Library Association",
    "Minnesota Library Association",
    "Alaska Library Association",
    "Hawaii Library Association",
    "REFORMA (affiliate)",
    "APALA (affiliate)",
)
CHAPTER_ZONE = {
    "California Library Association": "Pacific",
    "Washington Library Association": "Pacific",
    "Colorado Association of Libraries": "Mountain",
    "Arizona Library Association": "Mountain",
    "Texas Library Association": "Central",
    "Illinois Library Association": "Central",
    "Minnesota Library Association": "Central",
    "Alaska Library Association": "Alaska",
    "Hawaii Library Association": "Hawaii",
}
ZONES = {
    "Eastern": "Eastern Time (UTC-5)",
    "Central": "Central Time (UTC-6)",
    "Mountain": "Mountain Time (UTC-7)",
    "Pacific": "Pacific Time (UTC-8)",
    "Alaska": "Alaska Time (UTC-9)",
    "Hawaii": "Hawaii Time (UTC-10)",
}
OTHER_ZONES = ("Other: UTC+1 (Berlin)", "Other: Atlantic (UTC-4), Puerto Rico", "Other: UTC+9")
MEETING = (
    ("Online (Zoom, Teams or phone)", 50),
    ("In person (e.g. at Annual Conference or LibLearnX)", 12),
    ("Either / no preference", 38),
)
LANGUAGES = (
    ("Spanish", 12),
    ("Chinese (Mandarin)", 4),
    ("Korean", 2),
    ("Vietnamese", 2),
    ("French", 3),
    ("Tagalog", 2),
    ("American Sign Language (ASL)", 2),
    ("Arabic", 1),
    ("Cantonese", 1),
)
INTERESTS = (
    "Cataloging and metadata",
    "Youth services",
    "Instruction",
    "Outreach",
    "Digital collections",
    "Intellectual freedom",
    "Leadership and management",
    "Diversity, equity and inclusion",
    "Advocacy",
    "Grant writing",
    "Archives",
    "Systems and technology",
    "Collection development",
    "Accessibility",
    "Research and assessment",
)
OTHER_INTERESTS = (
    "Other: comics and graphic novels",
    "Other: makerspaces",
    "Other: prison libraries",
    "Other: library marketing, social media",
)
INTEREST_FOR_TYPE = {
    "Academic library": ("Instruction", "Research and assessment", "Digital collections"),
    "Public library": ("Outreach", "Youth services", "Advocacy"),
    "School library (K-12)": ("Youth services", "Instruction", "Intellectual freedom"),
    "Archive or museum": ("Archives", "Digital collections", "Cataloging and metadata"),
}
GOALS = (
    "Career advice and planning",
    "Job search, resumes and interviewing",
    "Leadership development",
    "Getting involved in ALA committees and service",
    "Publishing, presenting and research",
    "Tenure and promotion",
    "Managing people and budgets",
    "Navigating workplace challenges",
    "Skills in my interest areas",
    "Networking",
    "Work-life balance",
)
RACES = (
    ("White", 45),
    ("Black or African American", 12),
    ("Hispanic or Latino/a/x", 12),
    ("Asian", 11),
    ("American Indian or Alaska Native", 3),
    ("Native Hawaiian or Pacific Islander", 2),
    ("Middle Eastern or North African", 3),
    ("Prefer not to say", 4),
)
GENDERS = (
    ("Woman", 70),
    ("Man", 18),
    ("Non-binary", 6),
    ("Prefer not to say", 3),
    ("Other: genderqueer", 1),
    ("Other: Two-Spirit", 1),
)
YES_NO_OPTIONAL = (("No", 70), ("Yes", 16), ("Prefer not to say", 6))
IDENTITY_TOPICS = (
    "Race or ethnicity",
    "Gender identity",
    "LGBTQ+",
    "Disability",
    "First-generation professional",
)
CAPACITY_WORDS = {
    1: ("1", "1", "1", "one", "One mentee only, please!", " 1"),
    2: ("2", "2", "two", "Two", "2 mentees"),
    3: ("3", "3", "three", "two, maybe three"),
    4: ("4", "up to 4"),
}
UNPARSEABLE_CAPACITY = "depends on my schedule this fall"
UNPARSEABLE_YEARS = "a while"
NOTES = (
    "I will be at Annual in June and would love to meet in person.",
    "Please, no one from my own library system.",
    "Available evenings only (after 6 pm).",
    '"Flexible" is my middle name, happy with anyone.',
    "- Prefer a mentor outside academia\n- Interested in management tracks",
    "I'm a Spectrum Scholar from the 2025 cohort.",
    "Mentored twice before through NMRT; it was great.",
    "Going on parental leave in March, back in May.",
    "=) thank you for organizing this!",
    "Hablo español; happy to mentor in Spanish.",
    "+1 to doing this again next year",
    "@ me on the ALA Connect forum any time",
)


@dataclass
class Person:
    """One fictional member as the generator sees them before writing the form answers."""

    index: int
    role: str
    name: str
    email: str
    member_id: str
    stage: str
    library_type: str
    institution: str
    chapter: str
    zone_label: str
    identity: dict[str, str] = field(default_factory=dict)
    priority: str = "No"


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    labels = [o[0] for o in options]
    weights = [o[1] for o in options]
    return rng.choices(labels, weights=weights, k=1)[0]


def _join(rng: random.Random, values: list[str]) -> str:
    # Google Forms joins checkbox answers with ", "; sheets merged by hand often use ";".
    separator = ", " if rng.random() < 0.85 else ";"
    return separator.join(values)


def _misspell(rng: random.Random, name: str) -> str:
    first, _, last = name.partition(" ")
    variant = rng.randrange(4)
    if variant == 0 and len(last) > 4:
        i = rng.randrange(1, len(last) - 2)
        last = last[:i] + last[i + 1] + last[i] + last[i + 2 :]
    elif variant == 1 and len(last) > 4:
        i = rng.randrange(1, len(last) - 1)
        last = last[:i] + last[i + 1 :]
    elif variant == 2:
        return f"{first} {last}".lower()
    else:
        return last
    return f"{first} {last}"


def _people(rng: random.Random) -> list[Person]:
    all_names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    names = rng.sample(all_names, N_PEOPLE)
    roles = [r for r, n in ROLE_COUNTS.items() for _ in range(n)]
    rng.shuffle(roles)
    used_ids: set[str] = set()
    people = []
    for i, (name, role) in enumerate(zip(names, roles, strict=True)):
        stage_weights = STAGE_WEIGHTS[role]
        stage = rng.choices(list(stage_weights), weights=list(stage_weights.values()), k=1)[0]
        library_type = _weighted(rng, LIBRARY_TYPES)
        if stage == "student" and rng.random() < 0.5:
            library_type = "LIS student / not currently employed"
        base_type = library_type if library_type in INSTITUTIONS else "Academic library"
        institution = rng.choice(INSTITUTIONS[base_type])
        chapter = rng.choice(CHAPTERS)
        zone = CHAPTER_ZONE.get(chapter, "Eastern")
        zone_label = ZONES[zone] if rng.random() > 0.03 else rng.choice(OTHER_ZONES)
        while True:
            # Seven digits with leading zeros: a spreadsheet that reads them as numbers loses them.
            member_id = f"{rng.randrange(10**7):07d}"
            if member_id not in used_ids:
                used_ids.add(member_id)
                break
        first, _, last = name.partition(" ")
        local = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
        local = local.replace("í", "i").replace("é", "e")
        people.append(
            Person(
                index=i,
                role=role,
                name=name,
                email=f"{local}@example.org",
                member_id=member_id,
                stage=stage,
                library_type=library_type,
                institution=institution,
                chapter=chapter,
                zone_label=zone_label,
            )
        )
    return people


def _identity(rng: random.Random, person: Person) -> dict[str, str]:
    if rng.random() < 0.3:
        return {}
    race = [_weighted(rng, RACES)]
    if race[0] not in ("White", "Prefer not to say") and rng.random() < 0.12:
        race.append(rng.choice(["White", "Black or African American", "Asian"]))
    answers = {
        "race": _join(rng, sorted(set(race))),
        "gender": _weighted(rng, GENDERS),
        "lgbtq": _weighted(rng, YES_NO_OPTIONAL),
        "disability": _weighted(rng, YES_NO_OPTIONAL),
        "firstgen": _weighted(rng, YES_NO_OPTIONAL),
    }
    for key in list(answers):
        if rng.random() < 0.12:
            answers[key] = ""
    return answers


def _row(rng: random.Random, person: Person, mentors: list[Person], when: datetime) -> list[str]:
    role_label = {"mentor": "Mentor", "mentee": "Mentee", "both": "Both"}[person.role]
    if rng.random() < 0.06:
        role_label = rng.choice([role_label.lower(), role_label.upper(), f"{role_label} "])
    low, high = YEARS_RANGE[person.stage]
    years_value = rng.randint(low, high)
    years = rng.choice([str(years_value), str(years_value), f"about {years_value}"])
    if years_value == 0:
        years = "less than 1"
    elif person.stage == "senior" and rng.random() < 0.15:
        years = "20+"

    divisions = set()
    if person.library_type in DIVISION_FOR_TYPE and rng.random() < 0.8:
        divisions.add(DIVISION_FOR_TYPE[person.library_type])
    if person.stage in ("student", "new professional") and rng.random() < 0.5:
        divisions.add("NMRT")
    for _ in range(rng.choice([0, 1, 1, 2])):
        divisions.add(_weighted(rng, DIVISIONS))

    interests = set(rng.sample(INTERESTS, rng.randint(1, 4)))
    for tag in INTEREST_FOR_TYPE.get(person.library_type, ()):
        if rng.random() < 0.35:
            interests.add(tag)
    interest_list = sorted(interests, key=INTERESTS.index)
    if rng.random() < 0.05:
        interest_list.append(rng.choice(OTHER_INTERESTS))

    languages = ["English"]
    if rng.random() < 0.2:
        languages.append(_weighted(rng, LANGUAGES))
    if rng.random() < 0.02:
        languages = [_weighted(rng, LANGUAGES)]
    if len(languages) > 1 and rng.random() < 0.3:
        languages.reverse()

    is_mentee = person.role in ("mentee", "both")
    is_mentor = person.role in ("mentor", "both")
    seeks = _join(rng, rng.sample(GOALS, rng.randint(1, 3))) if is_mentee else ""
    offers = _join(rng, rng.sample(GOALS, rng.randint(2, 5))) if is_mentor else ""
    capacity = ""
    if is_mentor:
        count = rng.choices([1, 2, 3, 4], weights=[45, 35, 15, 5], k=1)[0]
        capacity = rng.choice(CAPACITY_WORDS[count])
        if rng.random() < 0.05:
            capacity = ""

    identity = person.identity
    wants_shared = ""
    if is_mentee:
        if identity and rng.random() < 0.35:
            wants_shared = _join(rng, sorted(rng.sample(IDENTITY_TOPICS, rng.randint(1, 2))))
        else:
            wants_shared = rng.choice(["No preference", "No preference", ""])

    peer = rng.choices(["Yes", "No", "Maybe", ""], weights=[40, 30, 20, 10], k=1)[0]

    past = ""
    if rng.random() < 0.1:
        others = rng.sample(mentors, rng.randint(1, 2))
        past = rng.choice(["; ", ", ", " and "]).join(
            o.email if rng.random() < 0.4 else o.name for o in others if o is not person
        )

    first_choice = second_choice = ""
    if is_mentee and rng.random() < 0.25:
        picks = [m for m in rng.sample(mentors, 2) if m is not person]
        first_choice = picks[0].name if rng.random() < 0.75 else _misspell(rng, picks[0].name)
        if len(picks) > 1 and rng.random() < 0.5:
            second_choice = picks[1].name

    notes = rng.choice(NOTES) if rng.random() < 0.18 else ""
    timestamp = f"{when.month}/{when.day}/{when.year} {when.hour}:{when:%M:%S}"
    email = person.email
    if rng.random() < 0.05:
        email = email.capitalize()
    if rng.random() < 0.03:
        email = f" {email} "
    return [
        timestamp,
        email,
        person.name if rng.random() > 0.04 else f"{person.name} ",
        person.member_id,
        role_label,
        person.library_type,
        rng.choice(JOB_TITLES[person.stage]),
        person.institution,
        years,
        CAREER_LABELS[person.stage],
        _join(rng, sorted(divisions)),
        person.chapter,
        person.zone_label,
        _weighted(rng, MEETING),
        _join(rng, languages),
        _join(rng, interest_list),
        seeks,
        offers,
        capacity,
        identity.get("race", ""),
        identity.get("gender", ""),
        identity.get("lgbtq", ""),
        identity.get("disability", ""),
        identity.get("firstgen", ""),
        wants_shared,
        person.priority,
        peer,
        past,
        first_choice,
        second_choice,
        notes,
    ]


def _rows(seed: int = SEED) -> list[list[str]]:
    rng = random.Random(seed)
    people = _people(rng)
    for person in people:
        person.identity = _identity(rng, person)
        race = person.identity.get("race", "")
        of_colour = race and not race.startswith(("White", "Prefer"))
        if person.role == "mentee" and person.stage == "student" and of_colour:
            # Spectrum is a scholarship for students of colour, so its scholars come from them.
            if rng.random() < 0.45:
                person.priority = rng.choice(
                    ["Yes - Spectrum Scholar", "Yes - Spectrum Scholar (2025 cohort)"]
                )
        elif person.role != "mentor" and rng.random() < 0.03:
            person.priority = "Yes - NMRT Emerging Leader"
        if person.priority == "No" and rng.random() < 0.15:
            person.priority = ""
    mentors = [p for p in people if p.role in ("mentor", "both")]
    start = datetime(2026, 2, 2, 8, 30, 0)
    rows = []
    for person in people:
        start += timedelta(seconds=rng.randint(60, 12000))
        rows.append(_row(rng, person, mentors, start))
    # The same person submitting twice, the second time with a changed answer: the usual case.
    duplicate_of = rng.choice([i for i, p in enumerate(people) if p.role == "mentee"])
    again = list(rows[duplicate_of])
    start += timedelta(days=2, seconds=rng.randint(60, 12000))
    again[0] = f"{start.month}/{start.day}/{start.year} {start.hour}:{start:%M:%S}"
    again[HEADERS.index("Anything else we should know?")] = "Sorry, submitted twice; use this one."
    rows.append(again)
    # Two answers nobody can parse, as real forms always have.
    mentor_rows = [i for i, p in enumerate(people) if p.role == "mentor"]
    rows[mentor_rows[3]][HEADERS.index("How many mentees can you take on? (mentors)")] = (
        UNPARSEABLE_CAPACITY
    )
    rows[mentor_rows[7]][HEADERS.index("How many years have you worked in libraries?")] = (
        UNPARSEABLE_YEARS
    )
    _same_institution_pairs(rng, people, rows)
    return rows


def _same_institution_pairs(
    rng: random.Random, people: list[Person], rows: list[list[str]]
) -> None:
    # Institutions are drawn from short lists, so colleagues already meet; make sure some of them
    # are mentee and mentor of the same library, the case the same-institution rule exists for.
    column = HEADERS.index("Institution / employer")
    mentees = [i for i, p in enumerate(people) if p.role == "mentee"]
    mentors = [i for i, p in enumerate(people) if p.role == "mentor"]
    for mentee, mentor in zip(rng.sample(mentees, 4), rng.sample(mentors, 4), strict=True):
        rows[mentee][column] = rows[mentor][column].upper() if mentee % 2 else rows[mentor][column]
        first_choice = HEADERS.index("My first choice mentor is:")
        rows[mentee][first_choice] = people[mentor].name


def _csv_text(header: tuple[str, ...], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    # Google Sheets' CSV download ends lines with CRLF and quotes only where needed.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def members_csv(seed: int = SEED) -> bytes:
    """The sample cohort as UTF-8 CSV bytes, exactly as written to ``members.csv``.

    Parameters
    ----------
    seed : int
        Seed of the random generator; the default gives the checked-in file.

    Returns
    -------
    bytes
        Header and ``N_PEOPLE + 1`` rows (one duplicate submission), CRLF line ends.

    Examples
    --------
    >>> members_csv().splitlines()[0].startswith(b"Timestamp,Email Address,Full name")
    True
    >>> members_csv() == members_csv()
    True
    """
    return _csv_text(HEADERS, _rows(seed)).encode("utf-8")


TEMPLATE_HEADERS: tuple[str, ...] = (
    "member_id",
    "name",
    "email",
    "role",
    "library_type",
    "job_title",
    "institution",
    "career_stage",
    "years_experience",
    "divisions",
    "chapter",
    "timezone",
    "meeting_mode",
    "languages",
    "interests",
    "seeks",
    "offers",
    "capacity",
    "priority",
    "open_to_peer",
    "past_partners",
    "preferred_mentors",
    "notes",
)
"""Template columns: canonical people-table names, demographics left out (add them only if your
program collects them)."""

TEMPLATE_ROWS = (
    (
        "m001",
        "Aurelia Inkwell",
        "aurelia.inkwell@example.org",
        "mentor",
        "academic",
        "Head of technical services",
        "Lakeshore State University Libraries",
        "senior",
        "18",
        "ACRL; Core",
        "Illinois Library Association",
        "-6",
        "online",
        "English; Spanish",
        "cataloging and metadata; leadership and management",
        "",
        "career advice and planning; leadership development",
        "2",
        "no",
        "yes",
        "",
        "",
        "Happy to meet at Annual.",
    ),
    (
        "m002",
        "Desmond Vellum",
        "desmond.vellum@example.org",
        "mentee",
        "public",
        "Children's librarian",
        "Maple Grove Public Library",
        "new professional",
        "2",
        "ALSC; NMRT",
        "Ohio Library Council",
        "-5",
        "either",
        "English",
        "youth services; outreach",
        "career advice and planning; networking",
        "",
        "",
        "no",
        "no",
        "",
        "m001",
        "",
    ),
    (
        "m003",
        "Marisol Riverstone",
        "marisol.riverstone@example.org",
        "mentee",
        "academic",
        "MLIS student",
        "University of Prairie Hills, MLIS program",
        "student",
        "0",
        "ACRL; NMRT",
        "Texas Library Association",
        "-6",
        "online",
        "English; Spanish",
        "instruction; diversity, equity and inclusion",
        "job search, resumes and interviewing",
        "",
        "",
        "yes",
        "yes",
        "",
        "",
        "Spectrum Scholar",
    ),
    (
        "m004",
        "Haruki Foxglove",
        "haruki.foxglove@example.org",
        "both",
        "special",
        "Systems librarian",
        "St. Agnes Medical Center Library",
        "mid-career",
        "9",
        "Core",
        "California Library Association",
        "-8",
        "online",
        "English; Korean",
        "systems and technology; research and assessment",
        "leadership development",
        "skills in my interest areas",
        "1",
        "no",
        "yes",
        "m001",
        "",
        "",
    ),
)


def template_csv() -> bytes:
    """The tidy template as UTF-8 CSV bytes, exactly as written to ``template.csv``.

    Returns
    -------
    bytes
        :data:`TEMPLATE_HEADERS` and four example rows, multi-values joined with ``"; "``.

    Examples
    --------
    >>> template_csv().splitlines()[0][:26]
    b'member_id,name,email,role,'
    """
    return _csv_text(TEMPLATE_HEADERS, [list(r) for r in TEMPLATE_ROWS]).encode("utf-8")


def write_all(out_dir: Path) -> list[Path]:
    """Write ``members.csv`` and ``template.csv`` into ``out_dir`` (created if missing).

    Parameters
    ----------
    out_dir : pathlib.Path
        Folder to write into; existing files of the same names are replaced.

    Returns
    -------
    list of pathlib.Path
        The files written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in write_all(Path(tmp))]
    ['members.csv', 'template.csv']
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in (("members.csv", members_csv()), ("template.csv", template_csv())):
        path = out_dir / name
        path.write_bytes(data)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python sample_data/generate.py [--out DIR]``; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)
    for path in write_all(args.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
