"""One typed answer into one value: capacities, years, career stages, time zones, meeting modes,
roles and yes/no answers. Each parser returns ``None`` for what it cannot read, never raises.

>>> parse_capacity("two, maybe three")
2
>>> parse_bool("Yes please")
True
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable
from datetime import datetime
from typing import Any

from mentoring.model.people import CAREER_STAGES

__all__ = [
    "parse_bool",
    "parse_capacity",
    "parse_career_stage",
    "parse_meeting_mode",
    "parse_role",
    "parse_timezone",
    "parse_years",
]

_BLANK_WORDS = frozenset({"n/a", "na", "-", "--", "\u2014", "not applicable", "none given"})
_BLANK_LONGEST = max(map(len, _BLANK_WORDS))


_NUMBER_WORDS = {
    "zero": 0,
    "none": 0,
    "one": 1,
    "a single": 1,
    "single": 1,
    "two": 2,
    "a couple of": 2,
    "a couple": 2,
    "couple": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
}


_NUMBER_WORDS_RE = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True)) + r")\b"
)


_NUMBER = r"\d+(?:\.\d+)?"


_DASH = "[-\u2010-\u2015\u2212]"


def _shown(text: str, limit: int = 60) -> str:
    """An answer quoted for a message, cut short so a pasted essay does not flood the report."""
    text = " ".join(str(text).split())
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def _words_to_digits(text: str) -> str:
    return _NUMBER_WORDS_RE.sub(lambda m: str(_NUMBER_WORDS[m.group(1)]), text.casefold())


def _is_blank(text: str) -> bool:
    plain = text.strip()
    # Case folding never shortens a text, so a longer one cannot fold into a blank word.
    return not plain or (len(plain) <= _BLANK_LONGEST and plain.casefold() in _BLANK_WORDS)


MAX_CAPACITY = 100
"""More mentees than this for one mentor is not a capacity but a typing slip (or a date)."""


_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"


_DATE_LIKE = re.compile(
    rf"^\s*(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}(?:[ t]\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?"
    rf"|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}"
    rf"|\d{{1,2}}[-/ ]{_MONTHS}(?:[-/ ]\d{{2,4}})?"
    rf"|{_MONTHS}[-/ ]\d{{1,4}})\s*$",
    re.IGNORECASE,
)
"""What a spreadsheet makes of a typed range such as "1-2": "2026-01-02", "2-Jan", "1/2/2026"."""


_THOUSANDS = re.compile(r"\b\d{1,3}(?:,\d{3})+\b")


def parse_capacity(text: str) -> int | None:
    """How many mentees a mentor can take, from digits or words.

    The first number counts ("2-3" is 2, "two, maybe three" is 2), so nobody gets more mentees
    than they surely agreed to. A date (what a spreadsheet makes of a typed "1-2") and a number
    above :data:`MAX_CAPACITY` ("1,000", "1000000") are not read, never guessed at.

    Parameters
    ----------
    text
        The answer as written.

    Returns
    -------
    int or None
        The number, or ``None`` when the answer is blank (the default capacity applies).

    Raises
    ------
    ValueError
        When no number can be read, or the answer is a date or an implausible number; the
        message quotes the answer.

    Examples
    --------
    >>> [parse_capacity(t) for t in ["2", "two", "One mentee only, please!", "2-3", "up to 3", ""]]
    [2, 2, 1, 2, 3, None]
    >>> for t in ["2026-01-02", "2-Jan", "1,000", "99999999999999999999"]:
    ...     try:
    ...         parse_capacity(t)
    ...     except ValueError as exc:
    ...         print(str(exc).split(";")[0])
    '2026-01-02' looks like a date, not a number of mentees
    '2-Jan' looks like a date, not a number of mentees
    '1,000' is not a plausible number of mentees for one mentor (more than 100)
    '99999999999999999999' is not a plausible number of mentees for one mentor (more than 100)
    """
    if _is_blank(text):
        return None
    if _DATE_LIKE.match(text):
        raise ValueError(
            f"{_shown(text)} looks like a date, not a number of mentees; a spreadsheet turns a "
            "range typed as 1-2 into a date"
        )
    words = _THOUSANDS.sub(lambda m: m.group(0).replace(",", ""), _words_to_digits(text))
    if re.match(rf"\s*{_DASH}\s*\d", words):
        raise ValueError(f"a number of mentees cannot be negative, got {_shown(text)}")
    numbers = re.findall(_NUMBER, words)
    if numbers:
        value = float(numbers[0])
        if not value <= MAX_CAPACITY:
            raise ValueError(
                f"{_shown(text)} is not a plausible number of mentees for one mentor (more "
                f"than {MAX_CAPACITY})"
            )
        return int(value)
    if re.match(r"\s*(no|nil|nobody)\b", words):
        return 0
    raise ValueError(f"could not read a number of mentees from {_shown(text)}")


def parse_years(text: str) -> float | None:
    """Years of experience from a number, a range (its middle) or "10+".

    Parameters
    ----------
    text
        The answer as written.

    Returns
    -------
    float or None
        Years, or ``None`` for a blank answer.

    Raises
    ------
    ValueError
        When no number of years can be read.

    Examples
    --------
    >>> [parse_years(t) for t in ["5-10", "10+", "about 6", "less than 1", "six months", ""]]
    [7.5, 10.0, 6.0, 0.5, 0.5, None]
    >>> [parse_years(t) for t in ["12,75", "2,5", "1,5-3"]]
    [12.75, 2.5, 2.25]
    """
    if _is_blank(text):
        return None
    # "2,5" is two and a half years where a comma is the decimal mark.
    words = re.sub(r"(\d),(\d+)\b", r"\1.\2", _words_to_digits(text))
    span = re.search(rf"({_NUMBER})\s*(?:{_DASH}|to)\s*({_NUMBER})", words)
    fewer = re.search(rf"(?:less than|fewer than|under|below|<)\s*({_NUMBER})", words)
    numbers = re.findall(_NUMBER, words)
    if span:
        value = (float(span.group(1)) + float(span.group(2))) / 2
    elif fewer:
        value = float(fewer.group(1)) / 2
    elif numbers:
        value = float(numbers[0])
    elif re.search(r"(less than|under) an? year|just started|brand new", words):
        value = 0.5
    else:
        raise ValueError(f"could not read a number of years from {_shown(text)}")
    if re.search(r"\bmonths?\b", words) and not re.search(r"\byears?\b", words):
        value /= 12 if not fewer else 1
    if not 0 <= value <= 80:
        raise ValueError(f"{_shown(text)} is not a plausible number of years")
    return value


_GRADES = {
    "aa": "new professional",
    "ao": "new professional",
    "eo": "new professional",
    "heo": "mid-career",
    "seo": "mid-career",
    "grade 7": "senior",
    "grade 6": "senior",
    "g7": "senior",
    "g6": "senior",
    "scs": "senior",
    "scs1": "senior",
    "scs2": "senior",
    "scs3": "senior",
    "scs4": "senior",
}
"""UK Civil Service grades (the jonodrew/mentor-match sample) as career stages."""


_STAGE_WORDS: tuple[tuple[str, str], ...] = (
    ("retired", r"\bretir|\bemerit"),
    ("student", r"student|\bmlis\b|\bmls\b|\blis\b|in school|grad(uate)? school|\bintern\b"),
    ("new professional", r"\bearly|\bnew\b|\bentry|\bbeginn|\bjunior|first job|\bstarting"),
    ("mid-career", r"\bmid|\bmiddle"),
    ("senior", r"\bsenior|\blate\b|\bexperienced|\bexecutive|\bleader|\bdirector|\bveteran"),
)


def parse_career_stage(text: str) -> str | None:
    """A career stage of :data:`mentoring.model.people.CAREER_STAGES` from how a form words it.

    Parameters
    ----------
    text
        The answer as written ("Early career (0-5 years)", "Student/LIS student", "SEO", ...).

    Returns
    -------
    str or None
        The stage, or ``None`` for a blank answer.

    Raises
    ------
    ValueError
        When the wording matches no stage.

    Examples
    --------
    >>> [parse_career_stage(t) for t in ["Early career (0-5 years)", "Student/LIS student",
    ...                                  "Mid-career (5-15 years)", "Grade 7", "Retired"]]
    ['new professional', 'student', 'mid-career', 'senior', 'retired']
    """
    if _is_blank(text):
        return None
    key = " ".join(text.casefold().split())
    if key in CAREER_STAGES:
        return key
    if key in _GRADES:
        return _GRADES[key]
    for stage, pattern in _STAGE_WORDS:
        if re.search(pattern, key):
            return stage
    try:
        years = parse_years(key)
    except ValueError:
        years = None
    if years is not None:
        return "new professional" if years < 5 else "mid-career" if years < 15 else "senior"
    raise ValueError(
        f"could not tell the career stage from {_shown(text)}; expected one of "
        f"{', '.join(CAREER_STAGES)}"
    )


_ZONE_PHRASES = {
    "central europe": 1.0,
    "eastern europe": 2.0,
    "western europe": 0.0,
    "australian eastern": 10.0,
    "new zealand": 12.0,
    "puerto rico": -4.0,
}


_ZONE_WORDS = {
    "eastern": -5.0,
    "est": -5.0,
    "edt": -5.0,
    "et": -5.0,
    "central": -6.0,
    "cst": -6.0,
    "cdt": -6.0,
    "ct": -6.0,
    "mountain": -7.0,
    "arizona": -7.0,
    "mst": -7.0,
    "mdt": -7.0,
    "mt": -7.0,
    "pacific": -8.0,
    "pst": -8.0,
    "pdt": -8.0,
    "pt": -8.0,
    "alaska": -9.0,
    "akst": -9.0,
    "akdt": -9.0,
    "hawaii": -10.0,
    "hst": -10.0,
    "atlantic": -4.0,
    "ast": -4.0,
    "adt": -4.0,
    "newfoundland": -3.5,
    "nst": -3.5,
    "utc": 0.0,
    "gmt": 0.0,
    "z": 0.0,
    "bst": 0.0,
    "uk": 0.0,
    "london": 0.0,
    "wet": 0.0,
    "cet": 1.0,
    "cest": 1.0,
    "eet": 2.0,
    "ist": 5.5,
    "india": 5.5,
    "jst": 9.0,
    "japan": 9.0,
    "kst": 9.0,
    "korea": 9.0,
    "sgt": 8.0,
    "singapore": 8.0,
    "hkt": 8.0,
    "hong kong": 8.0,
    "awst": 8.0,
    "pht": 8.0,
    "china": 8.0,
    "ict": 7.0,
    "wib": 7.0,
    "pkt": 5.0,
    "gst": 4.0,
    "dubai": 4.0,
    "msk": 3.0,
    "eat": 3.0,
    "sast": 2.0,
    "cat": 2.0,
    "wat": 1.0,
    "acst": 9.5,
    "aedt": 10.0,
    "sydney": 10.0,
    "nzst": 12.0,
    "nzdt": 12.0,
    "new zealand": 12.0,
    "brt": -3.0,
    "art": -3.0,
    "aest": 10.0,
    "chamorro": 10.0,
    "guam": 10.0,
    "samoa": -11.0,
}
"""Standard (winter) offsets; daylight-saving names map to the same zone's standard offset."""


def parse_timezone(text: str) -> float | None:
    """A time zone as its standard offset from UTC in hours.

    Reads "UTC-5", "GMT+1", "-5", "+5:30", US zone names and abbreviations ("Eastern", "EST",
    "Pacific Time (PT)") and IANA names ("America/Chicago", at its standard offset).

    Parameters
    ----------
    text
        The answer as written.

    Returns
    -------
    float or None
        Hours east of UTC, or ``None`` for a blank answer.

    Raises
    ------
    ValueError
        When no time zone can be recognised.

    Examples
    --------
    >>> [parse_timezone(t) for t in ["UTC-5", "GMT+1", "-5", "Eastern", "Pacific Time (PT)",
    ...                              "America/Chicago", "+05:30"]]
    [-5.0, 1.0, -5.0, -5.0, -8.0, -6.0, 5.5]
    >>> [parse_timezone(t) for t in ["UTC+5,5", "UTC+5.5", "+0545", "GMT+5.45", "UTC+9,5"]]
    [5.5, 5.5, 5.75, 5.75, 9.5]
    """
    if _is_blank(text):
        return None
    low = text.casefold().replace("\u2212", "-").replace("\u2013", "-")
    # Hours, then minutes after ":" (or two bare digits), or a decimal part after "." or ",".
    sign = r"([+-])\s*(\d{1,2})(?::(\d{2})|([.,])(\d{1,2})|(\d{2}))?(?!\d)"
    match = re.search(rf"\b(?:utc|gmt)\s*{sign}", low) or re.fullmatch(
        rf"\s*{sign}\s*(?:h|hrs?|hours?)?\s*", low
    )
    # IANA names come first: "Etc/GMT+5" is five hours *behind* UTC, POSIX style.
    zone = _iana_offset(text.strip())
    if zone is not None:
        value = zone
    elif match:
        hours = int(match.group(2)) + _offset_part(text, match)
        value = -hours if match.group(1) == "-" else hours
    else:
        value = _named_zone(text.strip(), low)
    if not -12 <= value <= 14:
        raise ValueError(f"{_shown(text)} is not a UTC offset between -12 and +14")
    return value


def _offset_part(text: str, match: re.Match[str]) -> float:
    """The part of an offset after its hours: minutes, or a decimal comma or point.

    "5,5" and "5.5" are five and a half hours; "5.30" and "5.45" are minutes, since no zone is
    0.3 or 0.45 of an hour past the hour.
    """
    minutes = match.group(3) or match.group(6)
    if minutes:
        return int(minutes) / 60
    decimals = match.group(5)
    if not decimals:
        return 0.0
    fraction = int(decimals) / 10 ** len(decimals)
    if (fraction * 4).is_integer():
        return fraction
    if len(decimals) == 2 and int(decimals) in (15, 30, 45):
        return int(decimals) / 60
    raise ValueError(
        f"{_shown(text)} is not a time zone offset: zones are whole, half or quarter hours from UTC"
    )


def _iana_offset(text: str) -> float | None:
    if "/" not in text or " " in text:
        return None
    try:
        zone = zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None
    offsets = [datetime(2025, month, 1, tzinfo=zone).utcoffset() for month in (1, 7)]
    return min(o.total_seconds() for o in offsets if o is not None) / 3600


def _named_zone(text: str, low: str) -> float:
    for phrase, value in _ZONE_PHRASES.items():
        if phrase in low:
            return value
    for word in re.findall(r"[a-z]+", low):
        if word in _ZONE_WORDS:
            return _ZONE_WORDS[word]
    raise ValueError(
        f"could not recognise the time zone {_shown(text)}; write it as an offset such as UTC-5"
    )


def parse_meeting_mode(text: str) -> str | None:
    """A meeting mode of :data:`mentoring.model.people.MEETING_MODES` from how a form words it.

    Parameters
    ----------
    text
        The answer as written.

    Returns
    -------
    str or None
        ``"in person"``, ``"online"`` or ``"either"``; ``None`` for a blank answer.

    Raises
    ------
    ValueError
        When the wording matches no mode.

    Examples
    --------
    >>> [parse_meeting_mode(t) for t in ["Online (Zoom, Teams or phone)", "In-person",
    ...                                  "Either / no preference", "Virtual or face to face"]]
    ['online', 'in person', 'either', 'either']
    """
    if _is_blank(text):
        return None
    low = text.casefold()
    either = re.search(
        r"\beither\b|no preference|\bboth\b|\bany\b|hybrid|flexible|does ?n[o']t matter", low
    )
    in_person = re.search(r"in[- ]?person|face[- ]to[- ]face|\bf2f\b|conference|on[- ]?site", low)
    online = re.search(r"online|virtual|video|zoom|teams|remote|phone|e-?mail|skype|\bweb", low)
    if either or (in_person and online):
        return "either"
    if in_person:
        return "in person"
    if online:
        return "online"
    raise ValueError(
        f"could not tell the meeting mode from {_shown(text)}; expected in person, online or either"
    )


_MENTEE_WORDS = re.compile(
    r"mentee|be mentored|mentored|prot[eé]g[eé]|(find|get|have|need|want|seeking|looking for|"
    r"like|love) an? mentor|receive mentoring|\blearner\b|mentor[ée]\(?[ae]?\)?|mentorad[oa]"
)


def parse_role(text: str, question: str = "") -> str | None:
    """A role (``mentor``, ``mentee`` or ``both``) from the words a form would use.

    A yes/no answer is read through its question: yes to "Do you want to sign up as a
    mentor?" is a mentor and no a mentee; yes to "Would you like to be mentored?" the reverse.

    Parameters
    ----------
    text
        The answer as written ("Mentor", "I'd like to be mentored", "Either / open to both").
    question
        The column header, needed only for yes/no answers.

    Returns
    -------
    str or None
        The role, or ``None`` for a blank answer.

    Raises
    ------
    ValueError
        When the answer names no role (or is yes/no to a question that names none).

    Examples
    --------
    >>> [parse_role(t) for t in ["MENTOR ", "I'd like to be mentored", "Either / open to both",
    ...                          "Mentor and mentee"]]
    ['mentor', 'mentee', 'both', 'both']
    >>> parse_role("No", "Do you want to sign up as a mentor?")
    'mentee'
    """
    if _is_blank(text):
        return None
    named = _role_named(text)
    if named is not None:
        return named
    flag = parse_bool(text, strict=False)
    asked = _role_named(question) if question.strip() else None
    if flag is not None and asked in ("mentor", "mentee"):
        other = "mentee" if asked == "mentor" else "mentor"
        return asked if flag else other
    raise ValueError(f"could not tell whether {_shown(text)} means mentor, mentee or both")


def _role_named(text: str) -> str | None:
    low = " ".join(text.casefold().split())
    if re.search(r"\bboth\b|\beither\b|no preference", low):
        return "both"
    rest = _MENTEE_WORDS.sub(" ", low)
    mentee = rest != low
    mentor = re.search(r"\bmentor(s|ing)?\b", rest) is not None
    if mentee and mentor:
        return "both"
    if mentee:
        return "mentee"
    if mentor:
        return "mentor"
    return None


_YES = re.compile(r"^(yes|y|true|t|1|x|\u2713|\u2714|checked|on|si|s\u00ed|oui|absolutely)\b")


_NO = re.compile(r"^(no|n|false|f|0|none|not|prefer not|unchecked|off|nope)\b")


def parse_bool(text: str, *, strict: bool = True) -> bool | None:
    """A yes/no answer ("Yes - Spectrum Scholar" is yes; "Prefer not to say" is no).

    Parameters
    ----------
    text
        The answer as written.
    strict
        Raise on an answer that is neither yes nor no; otherwise return ``None`` for it.

    Returns
    -------
    bool or None
        ``None`` for a blank answer.

    Raises
    ------
    ValueError
        When ``strict`` and the answer is neither yes nor no.

    Examples
    --------
    >>> [parse_bool(t) for t in ["Yes - Spectrum Scholar", "x", "No", "Prefer not to say", ""]]
    [True, True, False, False, None]
    """
    if _is_blank(text):
        return None
    low = " ".join(text.casefold().split())
    if _YES.match(low):
        return True
    if _NO.match(low):
        return False
    if strict:
        raise ValueError(f"could not read {_shown(text)} as yes or no")
    return None


class _Memo:
    """What each distinct answer reads as, kept for one load: answers repeat from row to row.

    A column of 50,000 answers to a drop-down holds a handful of distinct strings, so each is
    parsed once. The functions must be pure and return values nobody changes afterwards.

    >>> memo = _Memo()
    >>> memo.read(parse_bool, "Yes"), memo.read(parse_bool, "Maybe")
    ((True, None), (None, "could not read 'Maybe' as yes or no"))
    >>> memo.value(len, "abc")
    3
    """

    def __init__(self) -> None:
        self.read_found: dict[tuple[Any, ...], tuple[Any, str | None]] = {}
        self.value_found: dict[tuple[Any, ...], Any] = {}

    def read(self, parse: Callable[..., Any], *args: Any) -> tuple[Any, str | None]:
        """``(parse(*args), None)``, or ``(None, message)`` when ``parse`` raised ValueError."""
        key = (parse, *args)
        found = self.read_found.get(key)
        if found is None:
            try:
                found = (parse(*args), None)
            except ValueError as exc:
                found = (None, str(exc))
            self.read_found[key] = found
        return found

    def value(self, fn: Callable[..., Any], *args: Any) -> Any:
        """``fn(*args)``, computed once per distinct ``args``."""
        key = (fn, *args)
        try:
            return self.value_found[key]
        except KeyError:
            found = self.value_found[key] = fn(*args)
            return found
