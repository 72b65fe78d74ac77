"""Plain-language reasons: why a pair fits, and why someone was left unmatched.

Reasons are built from the same answers the score components read, so a coordinator can
repeat them to members. Self-identified demographics are never named in a reason: a reason
says only that the mentee's identity preference is honoured.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

__all__ = ["join_words", "mentee_unmatched_reason", "mentor_unmatched_reason", "pair_reasons"]

_ORDINALS = ("first", "second", "third", "fourth", "fifth")


def join_words(words: list[str], limit: int = 3) -> str:
    """``a``, ``a and b``, ``a, b and c``, ``a, b, c and 2 more``.

    Examples
    --------
    >>> join_words(["cataloging", "outreach"])
    'cataloging and outreach'
    >>> join_words(["a", "b", "c", "d", "e"])
    'a, b, c and 2 more'
    """
    if len(words) > limit:
        return ", ".join(words[:limit]) + f" and {len(words) - limit} more"
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


_ACRONYMS = frozenset(
    [
        "aasl",
        "acrl",
        "alsc",
        "alcts",
        "lita",
        "llama",
        "pla",
        "rusa",
        "yalsa",
        "nmrt",
        "gncrt",
        "emiert",
        "srrt",
        "glbtrt",
        "rrt",
        "irrt",
        "lirt",
        "lhrt",
        "ftrt",
        "ssrt",
        "ncrt",
        "gamert",
        "lssirt",
        "apala",
        "bcala",
        "reforma",
        "aila",
        "cala",
        "jcla",
        "ala",
    ]
)


def _label(tag: str) -> str:
    # Members write division and round-table names as acronyms (ACRL, NMRT); tags are stored
    # folded to lower case, so restore the ones we know.
    return tag.upper() if tag in _ACRONYMS else tag


def _tags(member: Mapping, field: str) -> tuple[str, ...]:
    value = member.get(field, ())
    return tuple(value) if isinstance(value, tuple | list) else ()


def _text(member: Mapping, field: str) -> str:
    value = member.get(field, "")
    return " ".join(str(value).split()) if isinstance(value, str) else ""


def _number(member: Mapping, field: str) -> float:
    try:
        value = float(member.get(field, math.nan))
    except (TypeError, ValueError):
        return math.nan
    return value


def pair_reasons(
    mentee: Mapping, mentor: Mapping, components: Mapping[str, float], preference_rank: int = 0
) -> str:
    """Why this mentor suits this mentee, in one line a coordinator can repeat.

    Parameters
    ----------
    mentee, mentor : Mapping
        Rows of the people table (for example ``row.to_dict()``).
    components : Mapping
        The pair's score components.
    preference_rank : int
        1 when the mentee named this mentor as first choice, 2 second, ...; 0 when not named.

    Returns
    -------
    str

    Examples
    --------
    >>> e = {"interests": ("cataloging", "outreach"), "seeks": ("leadership",),
    ...      "divisions": ("acrl",), "timezone": -5.0}
    >>> r = {"interests": ("cataloging", "outreach", "archives"), "offers": ("leadership",),
    ...      "divisions": ("acrl", "core"), "timezone": -6.0}
    >>> pair_reasons(e, r, {"diversity": 0.0})
    'shares cataloging and outreach; offers leadership, which the mentee seeks; both in ACRL; 1 hour apart'
    """
    parts: list[str] = []
    shared = sorted(set(_tags(mentee, "interests")) & set(_tags(mentor, "interests")))
    if shared:
        parts.append("shares " + join_words(shared))
    offered = sorted(set(_tags(mentee, "seeks")) & set(_tags(mentor, "offers")))
    if offered:
        parts.append("offers " + join_words(offered) + ", which the mentee seeks")
    divisions = sorted(set(_tags(mentee, "divisions")) & set(_tags(mentor, "divisions")))
    if divisions:
        parts.append("both in " + join_words([_label(d) for d in divisions]))
    library_type = _text(mentee, "library_type")
    if library_type and library_type.casefold() == _text(mentor, "library_type").casefold():
        parts.append(f"both work in {library_type.casefold()} libraries")
    chapter = _text(mentee, "chapter")
    if chapter and chapter.casefold() == _text(mentor, "chapter").casefold():
        parts.append(f"same chapter ({chapter})")
    if components.get("diversity", 0.0) > 0:
        parts.append("honours the mentee's wish for a mentor who shares part of their identity")
    parts.extend(_logistics(mentee, mentor))
    experience = _experience(mentee, mentor)
    if experience:
        parts.append(experience)
    if preference_rank > 0:
        ordinal = _ORDINALS[min(preference_rank, len(_ORDINALS)) - 1]
        parts.append(f"the mentee's {ordinal} choice")
    return "; ".join(parts) if parts else "the best available fit within the rules"


def _logistics(mentee: Mapping, mentor: Mapping) -> list[str]:
    parts = []
    gap = abs(_number(mentee, "timezone") - _number(mentor, "timezone"))
    if not math.isnan(gap):
        if gap < 0.5:
            parts.append("same time zone")
        else:
            hours = f"{gap:g}"
            parts.append(f"{hours} hour{'s' if hours != '1' else ''} apart")
    languages = sorted(
        (set(_tags(mentee, "languages")) & set(_tags(mentor, "languages"))) - {"english"}
    )
    if languages:
        parts.append("both speak " + join_words([lang.title() for lang in languages]))
    mode_e, mode_r = _text(mentee, "meeting_mode"), _text(mentor, "meeting_mode")
    if mode_e and mode_e == mode_r and mode_e != "either":
        parts.append(f"both prefer meeting {mode_e}")
    return parts


def _experience(mentee: Mapping, mentor: Mapping) -> str:
    gap = _number(mentor, "years_experience") - _number(mentee, "years_experience")
    if not math.isnan(gap) and gap >= 1:
        return f"{gap:g} more years of experience"
    stage_e, stage_r = _text(mentee, "career_stage"), _text(mentor, "career_stage")
    if stage_e and stage_r and stage_e != stage_r and stage_r in _SENIOR_STAGES:
        return (
            f"{_STAGE_NOUNS.get(stage_r, stage_r)} mentoring a {_STAGE_NOUNS.get(stage_e, stage_e)}"
        )
    return ""


_SENIOR_STAGES = ("mid-career", "senior", "retired")


_STAGE_NOUNS = {
    "student": "student",
    "new professional": "new professional",
    "mid-career": "mid-career librarian",
    "senior": "senior librarian",
    "retired": "retired librarian",
}


def mentee_unmatched_reason(
    n_mentors: int,
    excluded_by_rule: Mapping[str, int],
    n_feasible: int,
    n_below_min_score: int,
    min_score: float,
    n_open: int,
) -> str:
    """Why a mentee got no mentor, from counts gathered while scoring.

    Parameters
    ----------
    n_mentors : int
        Mentors in the cohort.
    excluded_by_rule : Mapping
        Rule sentence fragment -> how many mentors that rule excluded for this mentee.
    n_feasible : int
        Mentors allowed by every rule and at or above ``min_score``.
    n_below_min_score : int
        Mentors allowed by every rule but scoring below ``min_score``.
    min_score : float
    n_open : int
        Mentors with places left after the assignment (among all mentors).

    Examples
    --------
    >>> mentee_unmatched_reason(5, {"same institution": 5}, 0, 0, 0.0, 2)
    'No mentor is allowed: 5 of 5 mentors excluded (same institution: 5).'
    >>> mentee_unmatched_reason(5, {}, 3, 0, 0.0, 0)
    'All 3 mentors who fit were needed for other mentees (every place is taken).'
    """
    if n_mentors == 0:
        return "There are no mentors in this cohort."
    if n_feasible == 0:
        details = ", ".join(f"{rule}: {n}" for rule, n in excluded_by_rule.items() if n)
        if n_below_min_score:
            below = (
                f"{n_below_min_score} allowed mentor{'s' if n_below_min_score != 1 else ''} "
                f"score below the minimum score {min_score:.2f}"
            )
            details = f"{details}; {below}" if details else below
        excluded = n_mentors - n_below_min_score
        return f"No mentor is allowed: {excluded} of {n_mentors} mentors excluded" + (
            f" ({details})." if details else "."
        )
    plural = "s" if n_feasible != 1 else ""
    who = (
        f"All {n_feasible} mentor{plural} who fit" if n_feasible > 1 else "The one mentor who fits"
    )
    verb = "were" if n_feasible > 1 else "was"
    if n_open == 0:
        return f"{who} {verb} needed for other mentees (every place is taken)."
    return (
        f"{who} {verb} at capacity with mentees who had fewer options or higher-scoring pairs; "
        f"{n_open} mentor{'s' if n_open != 1 else ''} with free places cannot take this mentee."
    )


def mentor_unmatched_reason(capacity: int, n_feasible: int) -> str:
    """Why a mentor got no mentee.

    Examples
    --------
    >>> mentor_unmatched_reason(0, 4)
    'Their capacity is 0 mentees.'
    >>> mentor_unmatched_reason(2, 0)
    'No mentee is allowed with them under the rules and the minimum score.'
    >>> mentor_unmatched_reason(2, 7)
    'The 7 mentees they could take were better matched with other mentors.'
    """
    if capacity <= 0:
        return "Their capacity is 0 mentees."
    if n_feasible == 0:
        return "No mentee is allowed with them under the rules and the minimum score."
    noun = (
        "mentee they could take was"
        if n_feasible == 1
        else f"{n_feasible} mentees they could take were"
    )
    return f"The {noun} better matched with other mentors."
