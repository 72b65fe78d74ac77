"""Column headers to fields, and multi-select answers to tags.

Sign-up forms ask questions ("What are your areas of interest?") where a tidy file has short
names (``interests``); :func:`guess_mapping` reads both. Checkbox answers arrive joined with
``;`` or ``", "`` and sometimes with commas inside an option ("Diversity, equity and
inclusion"); :func:`split_multi` and :func:`normalise_tag` turn them into comparable tags.

>>> guess_mapping(["Email Address", "What are your areas of interest?", "Timestamp"])
{'Email Address': 'email', 'What are your areas of interest?': 'interests'}
>>> [normalise_tag(t) for t in split_multi("Cataloguing; DEI; Other: zines")]
['cataloging', 'diversity, equity and inclusion', 'zines']
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

from mentoring.model.people import MULTI_VALUED_COLUMNS, PEOPLE_COLUMNS

__all__ = [
    "IGNORE",
    "MAPPABLE_FIELDS",
    "PSEUDO_FIELDS",
    "guess_field",
    "guess_mapping",
    "normalise_header",
    "normalise_tag",
    "split_multi",
]

PSEUDO_FIELDS: tuple[str, ...] = (
    "first_name",
    "last_name",
    "both_flag",
    "identity_wants_match",
)
"""Fields that are not columns of the people table but feed one: first and last name join into
``name``; a yes ``both_flag`` makes the row's role ``both``; a yes/no ``identity_wants_match``
turns the member's own identities into their ``identity_preference``."""


IGNORE = "ignore"
"""Map a header to this (or to ``""``) in an explicit mapping to leave the column out."""


MAPPABLE_FIELDS: tuple[str, ...] = (*PEOPLE_COLUMNS, *PSEUDO_FIELDS)
"""Every field a header may be mapped to."""


# Fields that may take several columns: their answers are merged (or, for ranked choices,
# ordered by the ordinal in the header).
_MANY = MULTI_VALUED_COLUMNS | {"notes"}


# Order matters: the first rule that matches a header wins, so the specific questions come
# before the general words they contain ("Which languages can you mentor or be mentored in?"
# is about languages, not roles; "Your job title or role" is a job title).
_RULES: tuple[tuple[str, str], ...] = (
    (
        IGNORE,
        r"^(timestamp|submitted at|submission (date|time)|start time|completion time|"
        r"last modified time|response id)$|consent|\bagree\b|privacy|gdpr",
    ),
    (
        "preferred_mentors",
        r"\bchoice\b|preferred mentors?\b|mentor preference|requested mentor|which mentors? would|"
        r"^mentor( ?s)? names?$|name of (your |a )?(preferred |requested )?mentor|mentor you would like|"
        r"mentor you d( most)? like|mentor you would( most)? like|who would you like (as|to be) your",
    ),
    (
        "past_partners",
        r"paired with before|(past|previous|former) (mentors?|mentees?|partners?)|"
        r"mentored before|worked with before|past partners",
    ),
    ("identity_wants_match", r"similar identit|^do you want .*identit"),
    (
        "identity_preference",
        r"(share|shares|sharing|match|matching).*identit|identit.*(match|share)|"
        r"identity preference",
    ),
    (
        "both_flag",
        r"both (a )?mentor and (a )?mentee|also (be|like to be|want to be) an? (mentor|mentee)|"
        r"open to being both",
    ),
    (
        "capacity",
        r"capacity|how many mentees|number of mentees|max(imum)? (number of )?mentees|"
        r"mentees can you|how many people can you|how many can you|how many applicants|"
        r"how many people could you|mentees could you",
    ),
    ("languages", r"language"),
    (
        "seeks",
        r"hope to gain|hoping to gain|want to gain|\bgoals?\b|\bseek|looking for|"
        r"(want|like) to learn|like help with|get out of|development needs|support with|"
        r"need help|areas? (for|of) growth|want from",
    ),
    (
        "offers",
        r"\boffer|can you help|could help|expertise|skills? (to|you can) share|can share|"
        r"strengths|areas you can mentor",
    ),
    ("priority", r"priority|spectrum|scholar"),
    ("open_to_peer", r"\bpeer\b"),
    (
        "identities",
        r"identit|characteristic|demographic|\brace\b|ethnic|gender|lgbt|sexual orientation|"
        r"disabilit|first gen",
    ),
    (
        "career_stage",
        r"career stage|stage of (your )?career|career level|where are you in your career|"
        r"^(your )?grade$|seniority|career phase",
    ),
    ("years_experience", r"\byears\b|how long have you|^experience$"),
    ("timezone", r"time ?zone|\btz\b"),
    ("meeting_mode", r"\bmeet|meeting|in person or online|online or in person|format|\bmode\b"),
    ("library_type", r"library type|type of library|kind of library|library setting|\bsector\b"),
    ("divisions", r"division|round ?tables?|\bsections?\b|\bprofession\b|(?<!chapter )affiliation"),
    ("chapter", r"chapter|\bstate\b|\bregion\b|\bcountry\b"),
    ("job_title", r"job title|\btitle\b|\bposition\b|job role|your job"),
    (
        "institution",
        r"institution|organi[sz]ation|employer|department or agency|workplace|library name|"
        r"where do you work|company|\bagency\b|\bdepartment\b",
    ),
    (
        "role",
        r"^(your )?role$|mentoring role|program role|mentor or (a )?mentee|mentee or (a )?mentor|"
        r"be mentored|sign up as|signing up as|participate as|join as|mentor mentee|"
        r"mentee mentor|role in (the )?program|^participant type$|are you a mentor",
    ),
    ("email", r"e ?mail"),
    ("member_id", r"^(member )?id$|member(ship)? (id|number|no)\b|\bid$|^id\b|\bid number"),
    ("first_name", r"first name|given name|forename|^first$"),
    ("last_name", r"last name|surname|family name|^last$"),
    ("name", r"\bname\b"),
    ("interests", r"interest|\btopics?\b|specialt|focus areas?"),
    ("notes", r"\bnotes?\b|comments?|anything else|biography|\bbio\b|about (you|yourself)|tell us"),
)


_COMPILED = tuple((field, re.compile(pattern)) for field, pattern in _RULES)


_SYNONYMS: dict[str, str] = {
    "dei": "diversity, equity and inclusion",
    "edi": "diversity, equity and inclusion",
    "deia": "diversity, equity and inclusion",
    "jedi": "diversity, equity and inclusion",
    "diversity equity and inclusion": "diversity, equity and inclusion",
    "diversity, equity, and inclusion": "diversity, equity and inclusion",
    "diversity, equity, inclusion": "diversity, equity and inclusion",
    "equity, diversity and inclusion": "diversity, equity and inclusion",
    "equity, diversity, and inclusion": "diversity, equity and inclusion",
    "diversity and inclusion": "diversity, equity and inclusion",
    "it": "systems and technology",
    "information technology": "systems and technology",
    "library technology": "systems and technology",
    "technology": "systems and technology",
    "systems": "systems and technology",
    "library systems": "systems and technology",
    "metadata": "cataloging and metadata",
    "leadership": "leadership and management",
    "management": "leadership and management",
    "youth": "youth services",
    "children's services": "youth services",
    "teen services": "youth services",
    "archive": "archives",
    "assessment": "research and assessment",
    "grants": "grant writing",
    "a11y": "accessibility",
    "intellectual freedom and censorship": "intellectual freedom",
}
"""Spelling variants and abbreviations of topics (interests, offers, seeks), one tag each."""


_LANGUAGE_SYNONYMS: dict[str, str] = {
    "asl": "american sign language (asl)",
    "american sign language": "american sign language (asl)",
    "mandarin": "chinese (mandarin)",
}
"""The same for languages, kept apart so that "IT" (Italian) is not read as a topic."""


_SYNONYMS_BY_KIND = {"topic": _SYNONYMS, "language": _LANGUAGE_SYNONYMS, "plain": {}}


_KNOWN_LABELS: tuple[str, ...] = (
    "Diversity, equity and inclusion",
    "Diversity, equity, and inclusion",
    "Diversity, Equity, Inclusion",
    "Equity, diversity and inclusion",
    "Equity, diversity, and inclusion",
    "Job search, resumes and interviewing",
    "Publishing, presenting and research",
    "Managing people, budgets and projects",
    "Research, writing and publishing",
)
"""Checkbox options that contain ", " themselves, so a ", "-joined answer must not split them."""


_LABEL_RE = re.compile(
    "|".join(re.escape(label) for label in sorted(_KNOWN_LABELS, key=len, reverse=True)),
    re.IGNORECASE,
)


_OTHER_RE = re.compile(r"(?:^\s*|,\s+)other(?:\s*\([^)]*\))?\s*[:\-\u2013]\s*", re.IGNORECASE)


_HARD_SEPARATORS = re.compile(r"[;|\n\r]+")


_PLACEHOLDER = "\x00"


_PARENTHESES = re.compile(r"\([^()]*\)")


_JOINED = re.compile(r"(and|or|&) ")


_HIDDEN = re.compile(f"{_PLACEHOLDER}(\\d+){_PLACEHOLDER}")


@functools.lru_cache(maxsize=4096)
def normalise_header(header: str) -> str:
    """A header reduced to lower-case words, for comparing headers written differently.

    Parameters
    ----------
    header
        Header text as it appears in the file.

    Returns
    -------
    str
        Lower-case letters, digits and ``+`` separated by single spaces; accents removed.

    Examples
    --------
    >>> normalise_header("  Your Civil-Service E-mail Address?")
    'your civil service e mail address'
    """
    text = unicodedata.normalize("NFKD", str(header))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"\((optional|required|mentors?|mentees?|please specify)\)", " ", text)
    return " ".join(re.sub(r"[^a-z0-9+]+", " ", text).split())


def guess_mapping(headers: Sequence[str]) -> dict[str, str]:
    """Guess which field each header holds, from short names or the form's question text.

    Headers that match nothing (or are known to carry nothing useful, such as a form's
    ``Timestamp``) are left out. A single-valued field goes to the first header that matches
    it; multi-valued fields (interests, identities, ranked mentor choices, ...) may take several
    headers, whose answers are merged.

    Parameters
    ----------
    headers
        Column headers, as they appear in the file.

    Returns
    -------
    dict
        ``header -> field``, the field one of :data:`MAPPABLE_FIELDS`.

    Examples
    --------
    >>> guess_mapping(["Full name", "Would you like to mentor, be mentored, or both?",
    ...                "How many mentees can you take on?", "My first choice mentor is:",
    ...                "My second choice mentor is:"])  # doctest: +NORMALIZE_WHITESPACE
    {'Full name': 'name', 'Would you like to mentor, be mentored, or both?': 'role',
     'How many mentees can you take on?': 'capacity',
     'My first choice mentor is:': 'preferred_mentors',
     'My second choice mentor is:': 'preferred_mentors'}
    """
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        field = _guess_one(str(header))
        if field is None or field == IGNORE:
            continue
        if field in taken and field not in _MANY:
            continue
        mapping[header] = field
        taken.add(field)
    return mapping


def guess_field(header: str) -> str | None:
    """The library-association field one header asks about, from its words alone.

    This is one piece of evidence for :mod:`mentoring.reading.profile`, which checks it against
    the column's answers; ``"ignore"`` means a form's own machinery (a timestamp, consent).

    Examples
    --------
    >>> guess_field("How many mentees can you take on?"), guess_field("Favourite colour")
    ('capacity', None)
    """
    return _guess_one(str(header))


def _guess_one(header: str) -> str | None:
    text = normalise_header(header)
    if not text:
        return None
    exact = text.replace(" ", "_")
    if exact in MAPPABLE_FIELDS:
        return exact
    for field, pattern in _COMPILED:
        if pattern.search(text):
            return field
    return None


def split_multi(text: str) -> tuple[str, ...]:
    """Split a multi-select answer into its options, keeping commas inside known options.

    Splits on ``;``, ``|``, line breaks and ``", "`` (comma and space). Commas inside
    parentheses, inside known option labels ("Diversity, equity and inclusion") and before a
    lower-case continuation with "and"/"or" ("Job search, resumes and interviewing") are kept.
    "Other: ..." keeps the free text after it as one option.

    Parameters
    ----------
    text
        The answer as written.

    Returns
    -------
    tuple of str
        The options, trimmed, in order, without blanks or repeats.

    Examples
    --------
    >>> split_multi("Outreach, Diversity, equity and inclusion;Archives;")
    ('Outreach', 'Diversity, equity and inclusion', 'Archives')
    >>> split_multi("Advocacy, Getting involved (committees, service), Other: zines, comics")
    ('Advocacy', 'Getting involved (committees, service)', 'zines, comics')
    """
    out: list[str] = []
    for chunk in _HARD_SEPARATORS.split(str(text).replace(_PLACEHOLDER, "")):
        other = ""
        match = _OTHER_RE.search(chunk)
        if match:
            chunk, other = chunk[: match.start()], chunk[match.end() :]
        out.extend(_split_commas(chunk))
        if other.strip():
            out.append(other.strip())
    seen: set[str] = set()
    result = []
    for piece in out:
        piece = " ".join(piece.split()).strip(" ,")
        key = piece.casefold()
        if piece and key not in seen and key != "other":
            seen.add(key)
            result.append(piece)
    return tuple(result)


def _split_commas(chunk: str) -> list[str]:
    if ", " not in chunk:
        # Hiding labels and parentheses never makes a ", ", so nothing would split: the chunk
        # comes back as it was (most written answers and single options).
        return [chunk]
    protected: list[str] = []

    def hide(match: re.Match[str]) -> str:
        protected.append(match.group(0))
        return f"{_PLACEHOLDER}{len(protected) - 1}{_PLACEHOLDER}"

    chunk = _LABEL_RE.sub(hide, chunk)
    chunk = _PARENTHESES.sub(hide, chunk)
    pieces: list[str] = []
    for piece in chunk.split(", "):
        # Forms capitalise each option, so "Job search, resumes and interviewing" is one label;
        # in an answer typed all in lower case a comma always separates.
        continuation = (
            pieces
            and pieces[-1][:1].isupper()
            and piece[:1].islower()
            and (" and " in piece or _JOINED.match(piece) is not None)
        )
        if continuation:
            pieces[-1] = f"{pieces[-1]}, {piece}"
        else:
            pieces.append(piece)
    if not protected:
        return pieces

    def show(text: str) -> str:
        return _HIDDEN.sub(lambda m: protected[int(m.group(1))], text)

    # Parentheses were hidden after labels, so a label inside them needs a second pass.
    return [show(show(piece)) for piece in pieces]


def normalise_tag(text: str, kind: str = "topic") -> str:
    """One option as a comparable tag: lower case, single spaces, common synonyms merged.

    Parameters
    ----------
    text
        One option, as :func:`split_multi` returns it.
    kind : {"topic", "language", "plain"}
        Which synonyms apply: topics (interests, offers, seeks), languages, or none
        (divisions, identities).

    Returns
    -------
    str
        The tag (``""`` for a blank option).

    Examples
    --------
    >>> normalise_tag("  Diversity,  Equity & Inclusion ")
    'diversity, equity and inclusion'
    >>> normalise_tag("IT"), normalise_tag("Cataloguing and Metadata")
    ('systems and technology', 'cataloging and metadata')
    >>> normalise_tag("IT", kind="language"), normalise_tag("Mandarin", kind="language")
    ('it', 'chinese (mandarin)')
    """
    tag = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", str(text)).casefold())
    tag = re.sub(r"\s*&\s*", " and ", tag.replace("\u2019", "'"))
    tag = " ".join(tag.split()).strip(" .;,")
    tag = re.sub(
        r"\bcatalogu(e|ing)\b", lambda m: "catalog" + ("ing" if m.group(1) == "ing" else ""), tag
    )
    return _SYNONYMS_BY_KIND[kind].get(tag, tag)
