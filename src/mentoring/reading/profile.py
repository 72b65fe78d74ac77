"""Every column of a member table read from its header *and* its answers, with the evidence.

A form's headers say what it asked; its answers say what people wrote. :func:`profile_table`
weighs both into a :class:`~mentoring.model.questions.ColumnProfile` per column: its **use**
(who the member is, role, capacity, a matching question, an availability or acceptability
grid, form machinery to ignore...), the finer **field**, a **confidence** and the **evidence**
in words. The library association's header rules (:func:`mentoring.reading.mapping.guess_field`)
are one piece of evidence; the answers can overrule them ("Google Scholar profile" is not a
priority flag when every answer is a web address).

>>> from mentoring.reading.ingest import read_tables
>>> tables, _ = read_tables(("f.csv", b"Timestamp,Email,Name,Role,Topics\\n"
...     b"2026-01-02 10:00,a@x.org,Ada Li,Mentor,Maps; Data\\n"
...     b"2026-01-03 11:00,b@x.org,Bo Ng,Mentee,Data\\n"))
>>> [(p.header, p.use, p.field) for p in profile_table(tables[0])]  # doctest: +NORMALIZE_WHITESPACE
[('Timestamp', 'ignored', 'timestamp'), ('Email', 'email', 'email'), ('Name', 'name', 'name'),
 ('Role', 'role', 'role'), ('Topics', 'question', 'interests')]
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Any

import pandas as pd

from mentoring.model.questions import QUESTION_PREFIX, ColumnProfile
from mentoring.reading.columns import (
    _EMAIL,
    _ID_SHAPED,
    _IP,
    _NUMBER,
    _ORCID,
    _URL,
    Column,
    Guess,
    _is_date,
    _is_phone,
    _is_yes_no,
    _looks_like_names,
    _multi_stats,
    _n,
    _parses,
    _sequential,
    _surely_few,
    _words,
)
from mentoring.reading.grids import find_groups
from mentoring.reading.ingest import RawTable
from mentoring.reading.levels import order_levels
from mentoring.reading.mapping import guess_field
from mentoring.reading.values import (
    _role_named,
    parse_capacity,
    parse_career_stage,
    parse_meeting_mode,
    parse_role,
    parse_timezone,
    parse_years,
)

__all__ = ["PRESET_QUESTIONS", "profile_columns", "profile_table", "rule_header"]

PRESET_QUESTIONS: frozenset[str] = frozenset(
    {
        "interests",
        "offers",
        "seeks",
        "divisions",
        "languages",
        "library_type",
        "chapter",
        "career_stage",
        "years_experience",
        "timezone",
        "meeting_mode",
    }
)
"""Library-association fields that are matching questions with a people column of their own."""


# Form machinery recognised by its header alone (exports write these exact names).
_META_HEADERS: tuple[tuple[str, str], ...] = (
    (
        "timestamp",
        r"timestamp|horodateur|marca temporal|submitted|submitted at|submission (date|time)|"
        r"start ?(time|date)( utc)?|end ?date( utc)?|completion time|completed( at)?|"
        r"last modified time|recorded ?date|submit date( utc)?|date submitted|created( at)?|"
        r"date created|last updated|updated at",
    ),
    ("response_id", r"response ?id|respondent ?id|submission id|responseid|entry id|record id|#"),
    ("collector", r"collector ?id"),
    ("ip", r"ip ?address|submission ip|ipaddress|ip"),
    ("status", r"status|response type|finished|progress"),
    ("duration", r"duration( in seconds)?|time taken"),
    ("geo", r"location (latitude|longitude)|latitude|longitude"),
    ("channel", r"distribution ?channel|user ?language|referr?er|user agent|source"),
    ("network_id", r"network ?id"),
    ("tags", r"tags"),
)
_META = tuple((name, re.compile(f"^({pattern})$")) for name, pattern in _META_HEADERS)

_CONFIRM = re.compile(
    r"^(i )?(confirm|agree|certify|understand|acknowledge|consent)|please confirm|i have read"
)
_CAPACITY = re.compile(
    r"how many (applicants|people|students|mentees|members|individuals|persons)|"
    r"number of (mentees|people|applicants)|max(imum)? (number of )?mentees|max mentees|"
    r"mentees (can|could) you|could you (mentor|support|take)|can you (take|support|mentor)|"
    r"willing to work with|combien|cuantos|cuantas"
)
_OTHER_TEXT = re.compile(
    r"anything|comments?\b|\bnotes?\b|statement|additional (info|information)|"
    r"other information|feedback|questions? for us|^job title$|\btitle\b|\bposition\b"
)
_FREE_TEXT_QUESTION = re.compile(
    r"goal|hope|get out of|get from|gain|experience|bio|about (you|yourself)|describe|"
    r"research|focus|interest|expertise|background|share|why|what do you want|looking for|"
    r"attend|projects?|work on|tell us"
)
_LIKERT_HEADER = re.compile(
    r"how (important|comfortable|likely|satisfied|confident|much do you)|\brate\b|rating|"
    r"\b1 ?(-|to) ?(5|7|10)\b|on a scale"
)
_WISH = re.compile(
    r"(similar|same|shares?|sharing|match(ed|ing)?( with)?|in common).{0,60}"
    r"(gender|identit|characteristic|background|ethnic|race|disabilit|religio|sexual|lgbt|"
    r"culture|nationality|age\b|faith)|"
    r"(gender|identit|characteristic|background|ethnic|race).{0,30}(match|similar|same|share)"
)
_ATTRIBUTE_WORDS = (
    "gender",
    "race",
    "ethnic",
    "disabilit",
    "religio",
    "faith",
    "sexual",
    "lgbt",
    "nationality",
    "culture",
    "age",
)
_NAME_HEADER = re.compile(r"\bname\b|\bnom\b|\bnombre\b")
_ROLE_HINT = re.compile(r"\bmentors?\b.*\bonly\b|\(mentors?\)|^mentor section|\bif mentoring\b")
_MENTEE_HINT = re.compile(r"\bmentees?\b.*\bonly\b|\(mentees?\)|^mentee section")


def meta_field(col: Column) -> str | None:
    """The kind of form machinery a header names exactly (``Timestamp``, ``Respondent ID``)."""
    for name, pattern in _META:
        if pattern.match(col.key) or (name == "response_id" and col.header.strip() == "#"):
            return name
    return None


def _role_share(col: Column, preset: str | None) -> float:
    """The share of answers that name a role; a yes/no counts only under a role question."""

    def named(text: str) -> bool:
        if preset != "role":
            # "No preference" reads as both in a role column, but alone it names no role.
            low = text.casefold()
            return (
                _role_named(text) is not None
                and re.search(r"ment|prot|both|either", low) is not None
            )
        try:
            return parse_role(text, col.header) is not None
        except ValueError:
            return False

    return col.share(named)


def _email_like(text: str) -> bool:
    return bool(_EMAIL.match(text.strip()))


def _id_like(text: str) -> bool:
    return bool(_ID_SHAPED.match(text.strip()))


def _ip_like(text: str) -> bool:
    return bool(_IP.match(text.strip()))


def _orcid_like(text: str) -> bool:
    return bool(_ORCID.match(text.strip()))


def _url_like(text: str) -> bool:
    return bool(_URL.match(text.strip()))


def _identity_guess(col: Column, preset: str | None) -> Guess | None:
    """A column about who the member is: id, email, names, role."""
    unique = col.distinct == col.answered >= 1
    if col.at_least(_email_like, 0.8):
        return Guess("email", "email", 0.95, f"{_n(col)} look like email addresses")
    if re.search(r"first.*last|full name|nom complet", col.key) and _looks_like_names(col):
        return Guess("name", "name", 0.9, "the header asks for the whole name")
    if preset in ("first_name", "last_name") and col.at_least(lambda v: "@" not in v, 0.9):
        return Guess(preset, preset, 0.9, f"the header says {preset.replace('_', ' ')}")
    if (preset == "name" or _NAME_HEADER.search(col.key)) and _looks_like_names(col):
        return Guess("name", "name", 0.9, "the header says name and the answers look like names")
    # Roles are a handful of answers: a column of many is not read for them at all.
    if col.distinct <= 12 and preset not in ("both_flag",):
        role_share = _role_share(col, preset)
        if role_share >= 0.8:
            confidence = 0.95 if preset == "role" else 0.8
            return Guess("role", "role", confidence, f"{_n(col, role_share)} name a role")
    if (
        unique
        and col.at_least(_id_like, 0.9)
        and preset in ("member_id", None, "identities")
        and not _sequential(col)
    ):
        word = "the header says id" if preset == "member_id" else "id-shaped"
        return Guess(
            "id",
            "member_id",
            0.9 if preset == "member_id" else 0.7,
            f"every answer is different and {word}",
        )
    if preset == "member_id" and unique:
        return Guess("id", "member_id", 0.8, "the header says id and every answer is different")
    return None


def _machinery(col: Column, preset: str | None) -> Guess | None:
    """Form machinery and contact details: ignored, with what it is."""
    if not col.answered:
        return Guess("ignored", "empty", 0.95, "nobody answered it")
    meta = meta_field(col)
    if meta == "response_id" and col.header.strip() != "#" and col.key != "response id":
        meta = "response_id"
    if meta is not None:
        return Guess("ignored", meta, 0.95, f"{col.header!r} is a form tool's own column")
    if col.at_least(_ip_like, 0.8):
        return Guess("ignored", "ip", 0.95, f"{_n(col)} are IP addresses")
    if "orcid" in col.key or col.at_least(_orcid_like, 0.6):
        return Guess("ignored", "orcid", 0.9, f"{_n(col, col.share(_orcid_like))} are ORCID iDs")
    if col.at_least(_url_like, 0.6):
        upload = "upload" in col.key or col.share(lambda v: "drive.google" in v or "open?id" in v)
        kind = "file_upload" if upload and "linkedin" not in col.key else "url"
        return Guess("ignored", kind, 0.9, f"{_n(col, col.share(_url_like))} are web links")
    if re.search(r"\bphone|mobile|telephone", col.key) or col.at_least(_is_phone, 0.7):
        return Guess("ignored", "phone", 0.9, f"{_n(col, col.share(_is_phone))} are phone numbers")
    if preset not in ("years_experience",) and col.at_least(_is_date, 0.8):
        return Guess("ignored", "timestamp", 0.9, f"{_n(col, col.share(_is_date))} are dates")
    return None


def _constant(col: Column, preset: str | None) -> Guess | None:
    """One answer on (nearly) every row: the exporter, or a box everyone had to tick."""
    if col.answered < 3 or col.distinct > 1:
        return None
    if col.answered < 0.6 * col.n:
        return None
    value = next(iter(col.tally))
    identity = preset in ("email", "name") or "@" in value
    confirms = _CONFIRM.search(col.key) is not None or _is_yes_no(value)
    # Everyone a mentee, everyone able to take two: one answer that still means something.
    if not identity and not confirms and (preset is not None or _role_share(col, None) >= 0.8):
        return None
    if identity or _NAME_HEADER.search(col.key) or col.key in ("email", "e mail"):
        return Guess(
            "ignored",
            "submitter",
            0.9,
            f"every row says {value.strip()!r}: the person or account that exported the form",
        )
    if preset in ("role", "both_flag", "capacity", "priority") and not _CONFIRM.search(col.key):
        return None
    field_name = "confirmation" if confirms else "constant"
    return Guess(
        "ignored",
        field_name,
        0.85,
        f"every answer is {value.strip()!r}, so it cannot tell members apart",
    )


def profile_columns(table: RawTable) -> list[Column]:
    """The table's columns with their answers, for :func:`profile_table` and the loader."""
    frame = table.frame
    raws = table.raw_headers or tuple((str(h),) for h in frame.columns)
    columns = []
    for j, h in enumerate(frame.columns):
        values, counts, exact = _stripped(frame.iloc[:, j].to_numpy())
        raw = tuple(raws[j]) if j < len(raws) else (str(h),)
        columns.append(Column(j, str(h), raw, values, everything=counts, exact=exact))
    return columns


def _stripped(cells: Any) -> tuple[list[str], Counter[str], bool]:
    """Each cell as text without surrounding spaces, the count of each, and whether none changed.

    Each distinct cell is stripped once; a column of text whose cells need no stripping (the
    usual case) is not copied cell by cell at all.
    """
    if pd.api.types.infer_dtype(cells, skipna=False) == "string":
        texts: list[str] = cells.tolist()
    else:
        texts = list(map(str, cells.tolist()))
    counts = Counter(texts)
    stripped = {text: text.strip() for text in counts}
    if all(text == plain for text, plain in stripped.items()):
        return texts, counts, True
    merged: Counter[str] = Counter()
    for text, count in counts.items():
        merged[stripped[text]] += count
    return [stripped[text] for text in texts], merged, False


def _answers_guess(col: Column, preset: str | None) -> Guess:
    """A matching question (or other answers) from the shape of its answers."""
    key = col.key

    def yes_no(share: float) -> bool:
        return col.at_least(_is_yes_no, share)

    if preset == "capacity" or _CAPACITY.search(key):
        readable = col.share(lambda v: _parses(parse_capacity, v))
        if readable >= 0.7 and not yes_no(0.5):
            return Guess("capacity", "capacity", 0.9, f"{_n(col, readable)} are numbers of people")
    if preset == "both_flag" and yes_no(0.8):
        return Guess("role", "both_flag", 0.85, "yes/no to being both a mentor and a mentee")
    if _WISH.search(key) and yes_no(0.7):
        return Guess(
            "wants_shared_identity",
            "identity_wants_match",
            0.85,
            "a yes/no wish to share an identity",
            kind="shared_identity",
        )
    if preset in ("identity_wants_match", "identity_preference") and yes_no(0.7):
        return Guess(
            "wants_shared_identity",
            "identity_wants_match",
            0.8,
            "a yes/no wish to share an identity",
            kind="shared_identity",
        )
    if preset == "identity_preference":
        return Guess("identity", "identity_preference", 0.75, "which identity to share")
    if preset == "priority" and yes_no(0.7):
        return Guess("priority", "priority", 0.85, "yes/no to a priority group")
    if preset == "past_partners":
        return Guess("history", "past_partners", 0.85, "the header asks for past partners")
    if preset == "preferred_mentors":
        return Guess("choices", "preferred_mentors", 0.85, "the header asks for chosen mentors")
    if preset == "identities" and col.share(lambda v: _words(v) <= 8) >= 0.8:
        word = next((w for w in _ATTRIBUTE_WORDS if w in key), "identity")
        return Guess("identity", "identities", 0.8, f"the header asks about {word}")
    workplace = preset == "institution" or (
        preset is None
        and re.search(
            r"\bteam\b|business unit|\bunit\b|\bschool\b|faculty|department|employer", key
        )
    )
    if workplace and col.share(lambda v: _words(v) <= 8) >= 0.9 and not yes_no(0.5):
        return _workplace_guess(col)
    if yes_no(0.8):
        return Guess("other", "yes_no", 0.7, f"{_n(col, col.share(_is_yes_no))} are yes or no")
    return _question_guess(col, preset)


def _workplace_guess(col: Column) -> Guess:
    """Where the member works: the institution, or a part of one (not used by the rule)."""
    units = col.share(lambda v: bool(_SUB_UNIT_VALUE.search(v.casefold())))
    if _SUB_UNIT.search(col.key) and not _EMPLOYER.search(col.key) and units >= 0.5:
        # A department or team inside one employer is not an institution: forbidding pairs
        # within it would forbid the very colleagues who share a mentee's field.
        return Guess(
            "organisation",
            f"{QUESTION_PREFIX}department",
            0.75,
            "a part of the organisation (department, school, team): shown, not used for "
            "the same-institution rule",
        )
    return Guess("organisation", "institution", 0.8, "where the member works")


_SUB_UNIT = re.compile(r"\bteam\b|business unit|\bunit\b|\bschool\b|faculty|department")
# Answers that name a part of an organisation ("School of Law", "Finance team"), not a workplace
# that happens to be called a school ("Lincoln Elementary School").
_SUB_UNIT_VALUE = re.compile(
    r"^(school|faculty|department|dept\.?|division|college|institute|centre|center) of\b"
    r"|\b(department|dept|team|unit|faculty)\b"
)
_EMPLOYER = re.compile(
    r"institution|organi[sz]ation|employer|company|agency|workplace|library name|where do you work"
)


def _free_text_guess(key: str, mean_words: float) -> Guess:
    return Guess(
        "question",
        "free_text",
        0.8 if _FREE_TEXT_QUESTION.search(key) else 0.6,
        f"long answers ({mean_words:.0f} words on average), mostly different",
        kind="free_text",
    )


def _question_guess(col: Column, preset: str | None) -> Guess:
    key = col.key
    mean_words = col.total(_words) / max(1, col.answered)
    long_text = mean_words >= 6 or col.total(len) / max(1, col.answered) >= 45
    numeric = col.share(lambda v: bool(_NUMBER.match(v.strip())))
    if _LIKERT_HEADER.search(key) and (numeric >= 0.8 or col.distinct <= 7):
        return Guess("other", "likert", 0.7, "a rating scale about how to weigh the match")
    biography = re.search(r"\bbio\b|biography|about yourself|profile", key) is not None
    if preset == "job_title" or (preset == "notes" and not biography) or _OTHER_TEXT.search(key):
        label = preset if preset in ("job_title", "notes") else "free_text"
        return Guess("other", label, 0.75, "comments or titles, kept for display")
    written = long_text or (mean_words >= 3 and _FREE_TEXT_QUESTION.search(key) is not None)
    varied = col.distinct >= 0.3 * col.answered
    # Most sentences have no separator at all, and then nothing needs splitting to tell.
    if written and varied and _surely_few(col, 0.5):
        return _free_text_guess(key, mean_words)
    several, distinct, _labels = _multi_stats(col)
    # Sentences have commas too; what tells them from options is that their pieces never repeat.
    if written and (several < 0.5 or distinct > 0.6) and varied:
        return _free_text_guess(key, mean_words)
    levels, confidence, why = order_levels(list(col.tally))
    # A few labelled ranges ("0-2", "3-5", "More than 10") are levels; many numbers are numbers.
    if confidence and 3 <= len(levels) <= 12 and several < 0.2 and numeric < 0.5:
        target = preset if preset in ("career_stage", "years_experience") else ""
        if target == "career_stage" and why != "the answers are career stages":
            target = ""
        return Guess("question", target, confidence, why, kind="ordinal", levels=levels)
    if preset in ("years_experience",) or (numeric >= 0.8 and col.distinct >= 3):
        readable = col.share(lambda v: _parses(parse_years, v))
        if readable >= 0.7:
            target = "years_experience" if preset == "years_experience" else ""
            return Guess(
                "question", target, 0.85, f"{_n(col, readable)} are numbers", kind="ordinal"
            )
    if confidence and len(levels) >= 3 and several < 0.2:
        target = preset if preset in ("career_stage", "years_experience") else ""
        if target == "career_stage" and why != "the answers are career stages":
            target = ""
        return Guess("question", target, confidence, why, kind="ordinal", levels=levels)
    if preset == "timezone" and col.share(lambda v: _parses(parse_timezone, v)) >= 0.8:
        return Guess("question", "timezone", 0.85, "the answers are time zones", kind="same")
    if preset == "meeting_mode" and col.share(lambda v: _parses(parse_meeting_mode, v)) >= 0.8:
        return Guess("question", "meeting_mode", 0.85, "how to meet", kind="same")
    if several >= 0.15 and distinct <= 0.6:
        target = (
            preset if preset in ("interests", "offers", "seeks", "divisions", "languages") else ""
        )
        return Guess(
            "question",
            target,
            0.85 if target else 0.75,
            f"several options per answer ({several:.0%} of answers), from a shared list",
            kind="overlap",
        )
    repeated = col.counts.most_common(1)[0][1] > 1 if col.counts else False
    if repeated and col.distinct <= max(3, 0.6 * col.answered) and mean_words <= 6:
        target = (
            preset
            if preset
            in ("library_type", "chapter", "languages", "interests", "divisions", "timezone")
            else ""
        )
        return Guess(
            "question",
            target,
            0.8 if target else 0.7,
            f"{col.distinct} different short answers",
            kind="same",
        )
    if long_text or mean_words >= 3:
        return Guess("question", "free_text", 0.55, "varied written answers", kind="free_text")
    return Guess("other", "", 0.6, "no rule recognised these answers; kept to show, not scored")


_SECTION = re.compile(
    r"^\s*(for )?(mentors?|mentees?)( section| only| questions?| part)?\s*[:\-\u2013]\s*",
    re.IGNORECASE,
)


def rule_header(header: str) -> str:
    """The header without a "Mentor section:" prefix, which says who answers, not what."""
    return _SECTION.sub("", header)


def guess_column(col: Column) -> Guess:
    """The use of one column from its header and its answers, before table-level choices."""
    preset = guess_field(rule_header(col.header))
    if preset == "ignore" and not _CONFIRM.search(col.key):
        preset = None if meta_field(col) is None else preset
    for rule in (_machinery, _constant):
        found = rule(col, preset)
        if found is not None:
            return found
    if preset == "ignore":
        return Guess("ignored", "confirmation", 0.8, "a consent or confirmation statement")
    if _WISH.search(col.key) and col.at_least(_is_yes_no, 0.7):
        return Guess(
            "wants_shared_identity",
            "identity_wants_match",
            0.85,
            "a yes/no wish to share an identity",
            kind="shared_identity",
        )
    # Answers that are plainly email addresses or whole names outweigh a header's words
    # ("Company email address" names a company, but holds addresses).
    strong = (
        col.answered >= 3
        and col.at_least(_email_like, 0.8)
        or (re.search(r"first.*last|full name|nom complet", col.key) and _looks_like_names(col))
    )
    found = _preset_guess(col, preset) if preset and not strong else None
    if found is None:
        found = _identity_guess(col, preset)
    if found is not None:
        return found
    return _answers_guess(col, preset)


def _contradicted(col: Column, parse: object, share: float = 0.5) -> bool:
    """The answers say the header's field is wrong: enough of them, and most unreadable."""
    return col.answered >= 3 and col.share(lambda v: _parses(parse, v)) < share


def _written(col: Column, words: float = 3) -> bool:
    """Sentences, mostly different, one per answer: written text, not options."""
    if col.answered < 3:
        return False
    mean_words = col.total(_words) / col.answered
    return (
        mean_words >= words
        and col.distinct >= 0.3 * col.answered
        and (_surely_few(col, 0.15) or _multi_stats(col)[0] < 0.15)
    )


_PRESET_USES: dict[str, tuple[str, str | None]] = {
    "member_id": ("id", None),
    "name": ("name", None),
    "first_name": ("first_name", None),
    "last_name": ("last_name", None),
    "email": ("email", None),
    "role": ("role", None),
    "both_flag": ("role", None),
    "capacity": ("capacity", None),
    "institution": ("organisation", None),
    "priority": ("priority", None),
    "past_partners": ("history", None),
    "preferred_mentors": ("choices", None),
    "identities": ("identity", None),
    "identity_preference": ("wants_shared_identity", "shared_identity"),
    "identity_wants_match": ("wants_shared_identity", "shared_identity"),
    "job_title": ("other", None),
    "notes": ("other", None),
    "open_to_peer": ("other", None),
    "years_experience": ("question", "ordinal"),
    "career_stage": ("question", "ordinal"),
    "timezone": ("question", "same"),
    "meeting_mode": ("question", "same"),
    "library_type": ("question", "same"),
    "chapter": ("question", "same"),
}


def _preset_guess(col: Column, preset: str) -> Guess | None:
    """The library-association field the header names, unless the answers contradict it."""
    few = col.answered < 3

    def yes_no(share: float) -> bool:
        return col.at_least(_is_yes_no, share)

    checks = {
        "email": lambda: not few and not col.at_least(lambda v: "@" in v, 0.5),
        "name": lambda: (
            not few and col.at_least(lambda v: "@" in v or _words(v) > 6, 0.5, strict=True)
        ),
        "first_name": lambda: (
            not few and col.at_least(lambda v: "@" in v or _words(v) > 4, 0.5, strict=True)
        ),
        "last_name": lambda: (
            not few and col.at_least(lambda v: "@" in v or _words(v) > 4, 0.5, strict=True)
        ),
        "role": lambda: not few and _role_share(col, "role") < 0.5,
        "both_flag": lambda: not few and not yes_no(0.5),
        "capacity": lambda: _contradicted(col, parse_capacity) or (not few and yes_no(0.5)),
        "years_experience": lambda: _contradicted(col, parse_years),
        "timezone": lambda: _contradicted(col, parse_timezone),
        "meeting_mode": lambda: _contradicted(col, parse_meeting_mode),
        "career_stage": lambda: (
            _contradicted(col, parse_career_stage)
            or order_levels(list(col.tally))[2].startswith("the answers follow the")
        ),
        "priority": lambda: not few and not yes_no(0.5),
        "open_to_peer": lambda: not few and not yes_no(0.5),
        "identity_wants_match": lambda: not few and not yes_no(0.5),
        "institution": lambda: _written(col, 8) or (not few and yes_no(0.5)),
        "identities": lambda: _written(col) and col.share(lambda v: _words(v) > 8) > 0.5,
        "identity_preference": lambda: False,
        "library_type": lambda: _written(col, 8),
        "chapter": lambda: _written(col, 8),
        "past_partners": lambda: False,
        "preferred_mentors": lambda: False,
        "member_id": lambda: False,
        "job_title": lambda: False,
        "notes": lambda: (
            _FREE_TEXT_QUESTION.search(col.key) is not None
            and re.search(r"\bbio\b|biography|about yourself|profile", col.key) is not None
        ),
    }
    if preset in ("interests", "offers", "seeks", "divisions", "languages"):
        if _written(col) or (not few and yes_no(0.5)):
            return None
        several = _multi_stats(col)[0] if col.answered else 0.0
        # One answer each ("Profession", "Preferred language") is a category, not a set.
        kind = "same" if several < 0.15 and col.answered >= 3 else "overlap"
        return Guess(
            "question", preset, 0.85, f"the header asks about {preset.replace('_', ' ')}", kind=kind
        )
    check = checks.get(preset)
    # A header that is the field's own name ("chapter", "capacity") is a tidy file's word.
    exact = col.key.replace(" ", "_") == preset
    if check is None or (check() and not exact):
        return None
    if preset == "institution":
        return _workplace_guess(col)
    use, preset_kind = _PRESET_USES[preset]
    levels: tuple[str, ...] = ()
    if preset_kind == "ordinal":
        found, confidence, _ = order_levels(list(col.tally))
        levels = found if confidence and len(found) <= 12 else ()
    field_name = "identity_wants_match" if preset == "identity_wants_match" else preset
    if preset == "identity_preference" and yes_no(0.7) and not few:
        use, preset_kind = "wants_shared_identity", "shared_identity"
        field_name = "identity_wants_match"
    word = preset.replace("_", " ")
    return Guess(
        use,
        field_name,
        0.85 if not few else 0.75,
        f"the header asks for {word}",
        kind=preset_kind,
        levels=levels,
    )


def resolve_identity(cols: list[Column], guesses: list[Guess]) -> None:
    """One id, one email, one name per table: the member's, not the form's or the exporter's."""
    ids = [i for i, g in enumerate(guesses) if g.use == "id"]
    # A sequential "ID" beside a real id, or beside a form tool's start and completion times,
    # is the form's response counter, not the member's id.
    tool = any(guesses[i].field == "timestamp" for i in range(len(cols)))
    for i in list(ids):
        if _sequential(cols[i]) and (len(ids) > 1 or tool):
            guesses[i] = Guess(
                "ignored", "response_id", 0.85, "numbers 1, 2, 3...: the form's response counter"
            )
            ids.remove(i)
    if len(ids) > 1:

        def rank(i: int) -> tuple[float, int]:
            return (guesses[i].confidence, -i)

        best = max(ids, key=rank)
        for i in ids:
            if i != best:
                guesses[i] = Guess(
                    "other", "", 0.6, "unique and id-shaped, but another column is the member id"
                )
    emails = [i for i, g in enumerate(guesses) if g.use == "email"]
    if len(emails) > 1:
        best = max(emails, key=lambda i: (cols[i].distinct, -i))
        for i in emails:
            if i != best:
                guesses[i] = Guess(
                    "other", "second_email", 0.7, "another email column is the member's"
                )
    names = [i for i, g in enumerate(guesses) if g.use == "name"]
    for i in names[1:]:
        guesses[i] = Guess("other", "second_name", 0.6, "another column holds the member's name")
    # "If so, which characteristic?" right after a wish to share one names what to share.
    for i in range(1, len(cols)):
        if (
            guesses[i].use == "identity"
            and guesses[i - 1].use == "wants_shared_identity"
            and re.match(r"(if (so|yes)|which)\b", cols[i].key)
        ):
            guesses[i] = replace(
                guesses[i],
                field="identity_preference",
                evidence="which identity to share, after the wish to share one",
            )
    roles = [i for i, g in enumerate(guesses) if g.use == "role" and g.field == "role"]
    for i in roles[1:]:
        guesses[i] = Guess("other", "", 0.6, "another column holds the role")
    caps = [i for i, g in enumerate(guesses) if g.use == "capacity"]
    for i in caps[1:]:
        guesses[i] = Guess("other", "second_capacity", 0.6, "another column holds the capacity")


def profile_table(
    table: RawTable, role: str | None = None, *, columns: list[Column] | None = None
) -> tuple[ColumnProfile, ...]:
    """How every column of one table was read, and why, in column order.

    Parameters
    ----------
    table
        One table from :func:`mentoring.reading.ingest.read_tables`.
    role
        The side the whole table answers for, when it is known (``"mentor"``, ``"mentee"``);
        every profile's ``side`` is then that side.
    columns
        The table's columns from :func:`profile_columns`, when the caller already has them.

    Returns
    -------
    tuple of ColumnProfile
        One per column; matching questions are not yet paired across sides
        (:func:`mentoring.reading.pairing.pair_questions` does that).

    Examples
    --------
    >>> from mentoring.reading.ingest import read_tables
    >>> t = read_tables(("m.csv", b"ID,Start time,Email,WWID,Name\\n1,2026-01-01 10:00,anon,"
    ...                  b"80012345,Ada Li\\n2,2026-01-02 11:00,anon,80054321,Bo Ng\\n"
    ...                  b"3,2026-01-03 09:00,anon,80099999,Cy Oh\\n"))[0][0]
    >>> [(p.header, p.use, p.field) for p in profile_table(t)]  # doctest: +NORMALIZE_WHITESPACE
    [('ID', 'ignored', 'response_id'), ('Start time', 'ignored', 'timestamp'),
     ('Email', 'ignored', 'submitter'), ('WWID', 'id', 'member_id'), ('Name', 'name', 'name')]
    """
    cols = profile_columns(table) if columns is None else columns
    guesses = [guess_column(col) for col in cols]
    find_groups(cols, guesses)
    resolve_identity(cols, guesses)
    return tuple(
        ColumnProfile(
            file=table.source,
            sheet=table.sheet,
            header=col.header,
            position=col.position,
            use=g.use,
            field=g.field,
            confidence=round(g.confidence, 2),
            evidence=g.evidence,
            kind=g.kind,
            group=g.group,
            option=g.option,
            side=role or "both",
            sample=col.sample(),
            levels=g.levels,
        )
        for col, g in zip(cols, guesses, strict=True)
    )
