"""Plain-language reasons: why a pair fits, and why someone was left unmatched.

Reasons are built from the same answers the score components read, so a coordinator can
repeat them to members. Self-identified demographics are never named in a reason: a reason
says only that the mentee's identity preference is honoured.

With the form's own questions (``criteria``), each criterion a pair scored on adds a short
clause in the form's words: "both chose Computer Vision", "mentor is two grades above (HEO \u2192
Grade 7)", "both at Millbrook", "fits the site preference (Definitely yes)", and for free text
the nearest sentences of the two answers. Library words appear only when the pair's answers
have library fields (``library_type``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from mentoring.engine.criteria import criterion_key, level_names, normalise, ordinal_value
from mentoring.model.questions import Criterion, decode_acceptability

__all__ = [
    "certainty",
    "join_words",
    "mentee_unmatched_reason",
    "mentor_unmatched_reason",
    "pair_reasons",
    "prepare_reasons",
]

FREE_TEXT_REASON = 0.25
"""A free-text answer is quoted as a reason only when its nearest sentences score at least this
(on the scale of :func:`mentoring.engine.freetext.rescale`)."""

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


def prepare_reasons(records: Iterable[Mapping], criteria: Iterable[Criterion]) -> None:
    """Make :func:`pair_reasons` fast for many pairs: embed every free-text answer's sentences
    in one batch (optional; without it each answer is embedded on first use).

    Examples
    --------
    >>> text = Criterion("goals", "free_text", "q:hopes", "q:offer")
    >>> prepare_reasons([{"q:hopes": "I need help with grants."}, {"q:offer": ""}], [text])
    """
    columns = {
        column
        for c in criteria
        if c.kind == "free_text"
        for column in (c.mentee_column, c.mentor_column)
    }
    if not columns:
        return
    from mentoring.engine.freetext import prepare_sentences

    prepare_sentences([r.get(column) for r in records for column in columns])


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
    mentee: Mapping,
    mentor: Mapping,
    components: Mapping[str, float],
    preference_rank: int = 0,
    *,
    criteria: Iterable[Criterion] = (),
    values: Mapping[str, float] | None = None,
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
    criteria : iterable of Criterion
        The form's criteria (see :mod:`mentoring.model.questions`); each adds a clause when the
        pair scored on it.
    values : Mapping, optional
        Criterion name -> its value for this pair (NaN when the mentee left it blank); when
        absent, read from ``components`` under ``mentoring.engine.criteria.criterion_key(name)``
        as :func:`mentoring.engine.scoring.score_pairs` returns them, else judged from the
        answers alone.

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
    >>> grade = Criterion("grade", "ordinal", "q:grade", "q:grade",
    ...                   levels=("EO", "HEO", "SEO", "Grade 7"))
    >>> areas = Criterion("areas", "overlap", "q:areas", "q:areas")
    >>> pair_reasons({"q:grade": 1.0, "q:areas": ("computer vision", "nlp")},
    ...              {"q:grade": 3.0, "q:areas": ("computer vision",)}, {},
    ...              criteria=[areas, grade])
    'both chose Computer Vision; mentor is two grades above (HEO \u2192 Grade 7)'
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
    if components.get("diversity", 0.0) > 0 and _tags(mentee, "identity_preference"):
        parts.append("honours the mentee's wish for a mentor who shares part of their identity")
    for criterion in criteria:
        value = _criterion_value(criterion, components, values)
        clause = _criterion_clause(criterion, mentee, mentor, value)
        if clause:
            parts.append(clause)
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
        library = bool(_text(mentee, "library_type") or _text(mentor, "library_type"))
        nouns = _STAGE_NOUNS if library else _NEUTRAL_STAGE_NOUNS
        noun_r, noun_e = nouns.get(stage_r, stage_r), nouns.get(stage_e, stage_e)
        article = "an" if noun_r[:1] in "aeiou" else "a"
        return (
            f"{article} {noun_r} mentoring a {noun_e}"
            if not library
            else (f"{noun_r} mentoring a {noun_e}")
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


# The same stages on a form that never mentions libraries.
_NEUTRAL_STAGE_NOUNS = {
    "student": "student",
    "new professional": "new professional",
    "mid-career": "mid-career member",
    "senior": "senior member",
    "retired": "retired member",
}

_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

_SMALL_WORDS = frozenset(["a", "an", "and", "at", "for", "in", "of", "on", "or", "the", "to"])

_PLACE_WORDS = ("site", "location", "office", "campus", "branch", "city", "region", "town")


def _shown(value: Any) -> str:
    """An answer as a member would write it: stored answers folded to lower case get capitals.

    >>> _shown("computer vision"), _shown("history of art"), _shown("NLP")
    ('Computer Vision', 'History of Art', 'NLP')
    """
    text = " ".join(str(value).split())
    if text != text.casefold():
        return text
    words = text.split(" ")
    return " ".join(
        w if (k and w in _SMALL_WORDS) else w[:1].upper() + w[1:] for k, w in enumerate(words)
    )


def _answer_tags(value: Any) -> list[str]:
    if isinstance(value, tuple | list | set | frozenset):
        return [normalise(v) for v in value if normalise(v)]
    return []


def _criterion_value(
    criterion: Criterion, components: Mapping[str, float], values: Mapping[str, float] | None
) -> float | None:
    """The pair's value on a criterion, None when not given (judged from the answers)."""
    raw: Any = None
    if values is not None:
        raw = values.get(criterion.name)
    if raw is None:
        raw = components.get(criterion_key(criterion.name))
    if raw is None:
        return None
    try:
        return float(raw)
    except (TypeError, ValueError):
        return None


def _criterion_clause(
    criterion: Criterion, mentee: Mapping, mentor: Mapping, value: float | None
) -> str:
    """One clause in the form's words for a criterion the pair scored on; "" when none fits."""
    if value is not None and (math.isnan(value) or value <= 0):
        return ""
    answer_e = mentee.get(criterion.mentee_column)
    answer_r = mentor.get(criterion.mentor_column)
    return _CLAUSES[criterion.kind](criterion, answer_e, answer_r, mentee)


def _overlap_clause(c: Criterion, a: Any, b: Any, mentee: Mapping) -> str:
    shared = sorted(set(_answer_tags(a)) & set(_answer_tags(b)))
    return "both chose " + join_words([_shown(t) for t in shared]) if shared else ""


def _seeks_clause(c: Criterion, a: Any, b: Any, mentee: Mapping) -> str:
    shared = sorted(set(_answer_tags(a)) & set(_answer_tags(b)))
    if not shared:
        return ""
    return f"asked for help with {join_words([_shown(t) for t in shared])}, which the mentor offers"


def _availability_clause(c: Criterion, a: Any, b: Any, mentee: Mapping) -> str:
    shared = sorted(set(_answer_tags(a)) & set(_answer_tags(b)))
    return "both available " + join_words([_shown(t) for t in shared]) if shared else ""


def _same_clause(c: Criterion, a: Any, b: Any, mentee: Mapping) -> str:
    if not normalise(a) or normalise(a) != normalise(b):
        return ""
    if any(word in c.label.casefold() for word in _PLACE_WORDS):
        return f"both at {_shown(a)}"
    return f"same {c.label} ({_shown(a)})"


def _ordinal_clause(c: Criterion, a: Any, b: Any, mentee: Mapping) -> str:
    low, high = ordinal_value(a), ordinal_value(b)
    if math.isnan(low) or math.isnan(high):
        return ""
    levels = f"({level_names(c, low)} \u2192 {level_names(c, high)})"
    gap = high - low
    if abs(gap) < 1e-9:
        return f"same {c.label} ({level_names(c, low)})"
    size = abs(gap)
    count = _NUMBER_WORDS[int(size)] if size.is_integer() and size < 10 else f"{size:g}"
    unit = c.label if size == 1 else c.label + "s"
    return f"mentor is {count} {unit} {'above' if gap > 0 else 'below'} {levels}"


def _free_text_clause(c: Criterion, a: Any, b: Any, mentee: Mapping) -> str:
    from mentoring.engine.freetext import nearest_sentences

    left, right, score = nearest_sentences(a, b)
    if not left or not score >= FREE_TEXT_REASON:
        return ""
    return f'the mentee wrote "{_clip(left)}"; the mentor wrote "{_clip(right)}"'


def _clip(sentence: str, limit: int = 120) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "\u2026"


def _answer_word(c: Criterion, level: int) -> str:
    """The grid's own word for a level when the criterion lists them (lowest first)."""
    if len(c.levels) >= 3:
        return str(c.levels[min(level, len(c.levels) - 1)])
    return "yes" if level >= 2 else "acceptable"


def _acceptability_clause(c: Criterion, a: Any, b: Any, mentee: Mapping) -> str:
    grid_e = decode_acceptability(a) if isinstance(a, tuple | list) else {}
    if c.joint:
        grid_r = decode_acceptability(b) if isinstance(b, tuple | list) else {}
        both = {o: min(v, grid_r.get(o, 0)) for o, v in grid_e.items() if grid_r.get(o, 0) >= 1}
        if not both:
            return ""
        best = max(both.values())
        options = sorted(o for o, v in both.items() if v == best)
        return f"both accept {join_words([_shown(o) for o in options])} ({c.label})"
    grid, about = (
        (grid_e, b)
        if not c.reverse
        else (
            decode_acceptability(b) if isinstance(b, tuple | list) else {},
            a,
        )
    )
    level = grid.get(normalise(about))
    if level is None or level < 1:
        return ""
    whose = "the mentee's" if not c.reverse else "the mentor's"
    return f"fits {whose} {c.label} preference ({_answer_word(c, level)})"


def _shared_identity_clause(c: Criterion, a: Any, b: Any, mentee: Mapping) -> str:
    if normalise(mentee.get(c.wish_column)) != "yes" or not normalise(a):
        return ""
    if normalise(a) != normalise(b):
        return ""
    return f"honours the mentee's wish for a mentor of the same {c.label}"


_CLAUSES = {
    "overlap": _overlap_clause,
    "seeks_offers": _seeks_clause,
    "availability": _availability_clause,
    "same": _same_clause,
    "ordinal": _ordinal_clause,
    "free_text": _free_text_clause,
    "acceptability": _acceptability_clause,
    "shared_identity": _shared_identity_clause,
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


def certainty(stats: Any) -> str:
    """Whether a run's answer is proven the best, and if not, by how much it may be off.

    Parameters
    ----------
    stats : MatchStats
        Or anything with ``certified``, ``bound`` and ``total_score``.

    Returns
    -------
    str

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> certainty(SimpleNamespace(certified=True, bound=10.0, total_score=10.0))
    'optimal (certified)'
    >>> certainty(SimpleNamespace(certified=False, bound=100.0, total_score=99.5))
    'NOT certified: at most 0.500 (0.50%) below the best possible total score'
    """
    if stats.certified:
        return "optimal (certified)"
    gap = max(float(stats.bound) - float(stats.total_score), 0.0)
    share = gap / float(stats.bound) if stats.bound else 0.0
    return f"NOT certified: at most {gap:.3f} ({share:.2%}) below the best possible total score"
