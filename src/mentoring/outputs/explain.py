"""Plain-language reasons: why a pair fits, and why someone was left unmatched.

Reasons are built from the same answers the score components read, so a coordinator can
repeat them to members. Self-identified demographics are never named in a reason: a reason
says only that the mentee's identity preference is honoured.

With the form's own questions (``criteria``), each criterion a pair scored on adds a short
clause in the form's words: "both chose Computer Vision", "mentor is two grades above (HEO \u2192
Grade 7)", "both at Millbrook", "fits the site preference (Definitely yes)", and for free text
the nearest sentences of the two answers. Library words appear only when the pair's answers
have library fields (``library_type``).

:func:`pair_reasons` explains one pair; :func:`reasons_for_pairs` explains many with the same
words, reading each member's answers once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

import numpy as np

from mentoring.engine.criteria import criterion_key, level_names, normalise, ordinal_value
from mentoring.model.questions import Criterion, decode_acceptability

__all__ = [
    "certainty",
    "join_words",
    "mentee_unmatched_reason",
    "mentor_unmatched_reason",
    "pair_reasons",
    "prepare_reasons",
    "reasons_for_pairs",
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


def prepare_reasons(
    mentees: Iterable[Mapping], mentors: Iterable[Mapping], criteria: Iterable[Criterion]
) -> None:
    """Make :func:`pair_reasons` and :func:`reasons_for_pairs` fast for many pairs: embed the
    sentences of these mentees' and mentors' free-text answers in one batch (optional; without
    it each answer is embedded on first use). Only the side each criterion reads is embedded: a
    mentee's answer to the mentors' question is never quoted.

    Examples
    --------
    >>> text = Criterion("goals", "free_text", "q:hopes", "q:offer")
    >>> prepare_reasons([{"q:hopes": "I need help with grants."}], [{"q:offer": ""}], [text])
    """
    free = [c for c in criteria if c.kind == "free_text"]
    if not free:
        return
    from mentoring.engine.freetext import prepare_sentences

    prepare_sentences(
        [r.get(c.mentee_column) for r in mentees for c in free]
        + [r.get(c.mentor_column) for r in mentors for c in free]
    )


_TAG_KINDS = (tuple, list)
_FOLDED_KINDS = (tuple, list, set, frozenset)


def _clean(value: Any) -> str:
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

    For many pairs, :func:`reasons_for_pairs` gives the same lines much faster.

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
    plans = [_plan(c) for c in criteria]
    own = [[_criterion_value(plan.criterion, components, values)] for plan in plans]
    diversity = [components.get("diversity", 0.0)]
    return _reasons([mentee], [mentor], diversity, [preference_rank], plans, own)[0]


def reasons_for_pairs(
    mentees: Sequence[Mapping],
    mentors: Sequence[Mapping],
    components: Mapping[str, np.ndarray],
    ranks: Sequence[int],
    *,
    criteria: Iterable[Criterion] = (),
    values: Mapping[str, np.ndarray | None] | None = None,
) -> list[str]:
    """:func:`pair_reasons` for many pairs at once: the same lines, several times faster.

    Each member's answers are read once however many pairs they are in, and the words for a
    set of shared tags, a gap or a level are made once and reused across pairs.

    Parameters
    ----------
    mentees, mentors : sequence of Mapping
        Pair ``k`` is ``(mentees[k], mentors[k])``. Pass the same record object for every pair
        a member is in: it is then read once.
    components : Mapping
        Component name -> one value per pair, as :func:`mentoring.engine.scoring.score_pairs`
        returns them; ``"diversity"`` and criterion keys are read.
    ranks : sequence of int
        Each pair's preference rank (0 when the mentee did not name the mentor).
    criteria : iterable of Criterion
        The form's criteria.
    values : Mapping, optional
        Criterion name -> one value per pair, or None for NaN on every pair.

    Returns
    -------
    list of str
        For every ``k``, exactly ``pair_reasons(mentees[k], mentors[k], {c: float(a[k]) for c,
        a in components.items()}, ranks[k], criteria=criteria, values={n: float(v[k]) if v is
        not None else nan for n, v in values.items()})`` (``values=None`` when it is None).

    Raises
    ------
    ValueError
        When the sequences and arrays do not all have one entry per pair.

    Examples
    --------
    >>> e = {"interests": ("outreach",), "timezone": -5.0}
    >>> near = {"interests": ("outreach", "archives"), "timezone": -5.0}
    >>> far = {"interests": ("archives",), "timezone": -8.0}
    >>> for line in reasons_for_pairs([e, e], [near, far], {"diversity": np.zeros(2)}, [1, 0]):
    ...     print(line)
    shares outreach; same time zone; the mentee's first choice
    3 hours apart
    """
    n = len(mentees)
    if len(mentors) != n or len(ranks) != n:
        raise ValueError(
            f"one entry per pair needed: {n} mentees, {len(mentors)} mentors, {len(ranks)} ranks"
        )
    plans = [_plan(c) for c in criteria]
    columns = [_value_column(plan.criterion, components, values, n) for plan in plans]
    diversity = (
        _floats(components["diversity"], n, "diversity") if "diversity" in components else [0.0] * n
    )
    return _reasons(mentees, mentors, diversity, ranks, plans, columns)


def _floats(column: Any, n: int, name: str) -> list[float]:
    out = np.asarray(column, dtype=float)
    if out.shape != (n,):
        raise ValueError(f"{name!r} has shape {out.shape}, expected one value per pair ({n})")
    # Python floats read exactly as float(column[k]), without numpy's cost per element.
    return out.tolist()


def _value_column(
    criterion: Criterion,
    components: Mapping[str, np.ndarray],
    values: Mapping[str, np.ndarray | None] | None,
    n: int,
) -> Sequence[float | None]:
    """Every pair's value on a criterion, as :func:`_criterion_value` finds it for one pair."""
    if values is not None and criterion.name in values:
        column = values[criterion.name]
        return [math.nan] * n if column is None else _floats(column, n, criterion.name)
    key = criterion_key(criterion.name)
    return [None] * n if components.get(key) is None else _floats(components[key], n, key)


class _Memo(dict[Any, Any]):
    """Words made once per key: ``memo[key]`` is ``make(key)``, computed on first use.

    The same few sets of shared tags, gaps, levels and answers recur across thousands of pairs.
    """

    __slots__ = ("make",)

    def __init__(self, make: Callable[[Any], Any]) -> None:
        # No dict.__init__: the memo starts empty.
        self.make = make

    def __missing__(self, key: Any) -> Any:
        words = self[key] = self.make(key)
        return words

    def __call__(self, answer: Any) -> Any:
        # Text only: equal answers of other types can read differently (1 and 1.0).
        return self[answer] if type(answer) is str else self.make(answer)


class _Tags(dict[int, str]):
    """Tag sets as bit masks, so that a pair's shared tags are one ``&`` of two ints, and the
    words for each set of shared tags: ``tags[mask]`` is ``say(sorted tags)``, made once.

    ``fold`` turns a raw answer into its tag (``""``: none), as criteria compare answers
    case-folded; without it the raw tags are compared as they are.
    """

    __slots__ = ("say", "bits", "tags", "fold", "known")

    def __init__(
        self, say: Callable[[list[Any]], str], fold: Callable[[Any], str] | None = None
    ) -> None:
        self.say = say
        self.bits: dict[Any, int] = {}
        self.tags: list[Any] = []
        self.fold = fold
        self.known: dict[tuple, int] = {}

    def __missing__(self, mask: int) -> str:
        words = self[mask] = self.say(sorted(self.unpack(mask)))
        return words

    def bit(self, tag: Any) -> int:
        bit = self.bits.get(tag)
        if bit is None:
            bit = self.bits[tag] = 1 << len(self.tags)
            self.tags.append(tag)
        return bit

    def mask(self, value: Any) -> int:
        """The mask of an answer: a list or tuple of tags (a set too when folding)."""
        if self.fold is not None:
            return self._folded_mask(value) if isinstance(value, _FOLDED_KINDS) else 0
        return self.raw_mask(value)

    def raw_mask(self, value: Any) -> int:
        """The mask of a list or tuple of tags compared as they are."""
        if not isinstance(value, _TAG_KINDS):
            return 0
        bits = self.bits
        mask = 0
        for tag in value:
            bit = bits.get(tag)
            mask |= self.bit(tag) if bit is None else bit
        return mask

    def _folded_mask(self, value: Iterable) -> int:
        assert self.fold is not None
        key = value if type(value) is tuple else None
        if key is not None:
            try:
                known = self.known.get(key)
            except TypeError:  # a tag that cannot be hashed: fold this answer afresh
                key = known = None
            if known is not None:
                return known
        mask = 0
        for raw in value:
            tag = self.fold(raw)
            if tag:
                mask |= self.bit(tag)
        # Only answers of text are kept whole: equal answers of other types can fold
        # differently (1 and 1.0).
        if key is not None and all(type(raw) is str for raw in key):
            self.known[key] = mask
        return mask

    def unpack(self, mask: int) -> list[Any]:
        out = []
        while mask:
            low = mask & -mask
            out.append(self.tags[low.bit_length() - 1])
            mask ^= low
        return out


class _Words:
    """The words of one call, shared by its pairs: tag sets by field, answers, gaps, stages."""

    def __init__(self) -> None:
        self.interests = _Tags(lambda tags: "shares " + join_words(tags))
        self.wanted = _Tags(lambda tags: "offers " + join_words(tags) + ", which the mentee seeks")
        self.divisions = _Tags(lambda tags: "both in " + join_words([_label(d) for d in tags]))
        self.languages = _Tags(lambda tags: "both speak " + join_words([t.title() for t in tags]))
        self.texts = _Memo(_text_words)
        self.apart = _Memo(_say_apart)
        self.more_years = _Memo("{:g} more years of experience".format)
        self.stages = _Memo(_say_stages)


_Side = tuple[int, int, int, int, bool, float, float, tuple[str, ...]]


def _sides(members: Sequence[Mapping], words: _Words, *, mentor: bool) -> list[_Side]:
    """Each member's answers as the reasons read them, derived once however many pairs they
    are in: the masks of interests, wanted tags (a mentee's ``seeks``, a mentor's ``offers``),
    divisions and languages (a mentee's without English, never a reason); the identity wish;
    time zone; years of experience; the words of :func:`_text_words`.

    Plain tuples, unpacked by :func:`_reasons`: the cheapest to build and to read.
    """
    interests, wanted = words.interests.raw_mask, words.wanted.raw_mask
    divisions, languages, texts = words.divisions.raw_mask, words.languages.raw_mask, words.texts
    english = 0 if mentor else words.languages.bit("english")
    wanted_field = "offers" if mentor else "seeks"
    out = []
    for member in members:
        get = member.get
        key = (
            get("library_type", ""),
            get("chapter", ""),
            get("meeting_mode", ""),
            get("career_stage", ""),
        )
        try:
            said = texts[key]
        except TypeError:  # an answer that cannot be hashed (it reads as blank)
            said = _text_words(key)
        wish = () if mentor else get("identity_preference", ())
        out.append(
            (
                interests(get("interests", ())),
                wanted(get(wanted_field, ())),
                divisions(get("divisions", ())),
                languages(get("languages", ())) & ~english,
                isinstance(wish, _TAG_KINDS) and len(wish) > 0,
                _number(member, "timezone"),
                _number(member, "years_experience"),
                said,
            )
        )
    return out


def _text_words(answers: tuple[Any, Any, Any, Any]) -> tuple[str, ...]:
    """From a member's library type, chapter, meeting mode and career stage: the library type
    as written, folded and the clause it makes when both share it; the chapter folded and its
    clause; the meeting mode and its clause; the career stage.

    Any answer that is not text reads as blank, so equal answers always read the same.
    """
    library_type, chapter, mode, stage = map(_clean, answers)
    return (
        library_type,
        library_type.casefold(),
        f"both work in {library_type.casefold()} libraries" if library_type else "",
        chapter.casefold(),
        f"same chapter ({chapter})" if chapter else "",
        mode,
        f"both prefer meeting {mode}" if mode and mode != "either" else "",
        stage,
    )


def _distinct(records: Sequence[Mapping]) -> tuple[list[Mapping], list[int]]:
    """The distinct records (by identity) and each pair's position among them.

    Keeping the records in the list keeps them alive, so that an id cannot pass to another
    record meanwhile (a sequence may make its records on the fly).
    """
    seen: dict[int, int] = {}
    distinct: list[Mapping] = []
    index = []
    for record in records:
        position = seen.get(id(record))
        if position is None:
            position = seen[id(record)] = len(distinct)
            distinct.append(record)
        index.append(position)
    return distinct, index


_IDENTITY_WISH = "honours the mentee's wish for a mentor who shares part of their identity"

_CHOICES = tuple(f"the mentee's {ordinal} choice" for ordinal in _ORDINALS)


def _reasons(
    mentees: Sequence[Mapping],
    mentors: Sequence[Mapping],
    diversity: Sequence[float],
    ranks: Sequence[int],
    plans: Sequence[_Plan],
    values: Sequence[Sequence[float | None]],
) -> list[str]:
    """The reasons of every pair; ``values[n][k]`` is pair ``k``'s value on ``plans[n]``."""
    words = _Words()
    distinct_e, index_e = _distinct(mentees)
    distinct_r, index_r = _distinct(mentors)
    sides_e = _sides(distinct_e, words, mentor=False)
    sides_r = _sides(distinct_r, words, mentor=True)
    criteria = [
        _criterion_clauses(plan, distinct_e, distinct_r, index_e, index_r, column)
        for plan, column in zip(plans, values, strict=True)
    ]
    # Every pair's criterion clauses in a row; the loop below is the hot path, so the memos it
    # reads are local names.
    by_pair = zip(*criteria, strict=True) if criteria else repeat((), len(index_e))
    interests, wanted, divisions = words.interests, words.wanted, words.divisions
    languages, apart = words.languages, words.apart
    more_years, stages, choices = words.more_years, words.stages, _CHOICES
    out = []
    for i, j, diverse, rank, clauses in zip(
        index_e, index_r, diversity, ranks, by_pair, strict=True
    ):
        interests_e, wanted_e, divisions_e, languages_e, wish, tz_e, years_e, said_e = sides_e[i]
        interests_r, wanted_r, divisions_r, languages_r, _, tz_r, years_r, said_r = sides_r[j]
        lib_e, lib_key_e, lib_says, chapter_key_e, chapter_says, mode_e, mode_says, stage_e = said_e
        lib_r, lib_key_r, _, chapter_key_r, _, mode_r, _, stage_r = said_r
        parts: list[str] = []
        shared = interests_e & interests_r
        if shared:
            parts.append(interests[shared])
        shared = wanted_e & wanted_r
        if shared:
            parts.append(wanted[shared])
        shared = divisions_e & divisions_r
        if shared:
            parts.append(divisions[shared])
        if lib_says and lib_key_e == lib_key_r:
            parts.append(lib_says)
        if chapter_says and chapter_key_e == chapter_key_r:
            parts.append(chapter_says)
        if diverse > 0 and wish:
            parts.append(_IDENTITY_WISH)
        if clauses:
            parts.extend(filter(None, clauses))
        # gap == gap: not NaN (a time zone or years left blank), without a call per pair.
        gap = abs(tz_e - tz_r)
        if gap == gap:
            parts.append(apart[gap])
        shared = languages_e & languages_r
        if shared:
            parts.append(languages[shared])
        if mode_says and mode_e == mode_r:
            parts.append(mode_says)
        gap = years_r - years_e
        if gap == gap and gap >= 1:
            parts.append(more_years[gap])
        else:
            stage = stages[stage_e, stage_r, bool(lib_e or lib_r)]
            if stage:
                parts.append(stage)
        if rank > 0:
            parts.append(choices[min(rank, len(choices)) - 1])
        out.append("; ".join(parts) if parts else "the best available fit within the rules")
    return out


def _say_apart(gap: float) -> str:
    if gap < 0.5:
        return "same time zone"
    hours = f"{gap:g}"
    return f"{hours} hour{'s' if hours != '1' else ''} apart"


def _say_stages(stages: tuple[str, str, bool]) -> str:
    stage_e, stage_r, library = stages
    if not (stage_e and stage_r and stage_e != stage_r and stage_r in _SENIOR_STAGES):
        return ""
    nouns = _STAGE_NOUNS if library else _NEUTRAL_STAGE_NOUNS
    noun_r, noun_e = nouns.get(stage_r, stage_r), nouns.get(stage_e, stage_e)
    if library:
        return f"{noun_r} mentoring a {noun_e}"
    return f"{'an' if noun_r[:1] in 'aeiou' else 'a'} {noun_r} mentoring a {noun_e}"


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


@dataclass(slots=True, eq=False)
class _Plan:
    """How one criterion is worded in one call: what each side's answer becomes, once per
    member, and the clause of a pair of them (``""`` when none fits).

    ``tags`` holds the words of shared tags, ``memo`` those of levels and of pairs of grids,
    ``options`` those of options both accept; ``grid_list`` the decoded grid answers
    (``grids``: where each distinct one is).
    """

    criterion: Criterion
    mentee_side: _Reader
    mentor_side: _Reader
    clause: _Clause
    folded: _Memo
    tags: _Tags
    memo: dict[Any, Any] = field(default_factory=dict)
    grids: dict[tuple, int] = field(default_factory=dict)
    grid_list: list[dict[str, int]] = field(default_factory=list)
    options: dict[tuple[str, ...], str] = field(default_factory=dict)


_Reader = Callable[[_Plan, Mapping, str], Any]
_Clause = Callable[[_Plan, Any, Any], str]


_TAG_WORDS = {
    "overlap": ("both chose ", ""),
    "seeks_offers": ("asked for help with ", ", which the mentor offers"),
    "availability": ("both available ", ""),
}


def _plan(criterion: Criterion) -> _Plan:
    before, after = _TAG_WORDS.get(criterion.kind, ("", ""))
    folded = _Memo(normalise)
    tags = _Tags(lambda shared: before + join_words([_shown(t) for t in shared]) + after, folded)
    sides: tuple[_Reader, _Reader, _Clause]
    if criterion.kind == "acceptability":
        if criterion.joint:
            sides = (_grid_code, _grid_code, _joint_clause)
        elif criterion.reverse:
            sides = (_folded, _grid, _reverse_acceptability_clause)
        else:
            sides = (_grid, _folded, _acceptability_clause)
    else:
        sides = _KIND_PLANS[criterion.kind]
    mentee_side, mentor_side, clause = sides
    return _Plan(criterion, mentee_side, mentor_side, clause, folded, tags)


def _criterion_clauses(
    plan: _Plan,
    mentees: Sequence[Mapping],
    mentors: Sequence[Mapping],
    index_e: Sequence[int],
    index_r: Sequence[int],
    values: Sequence[float | None],
) -> list[str]:
    """Every pair's clause for ``plan``: ``""`` when the pair did not score on it (a value of 0,
    or NaN: the mentee left it blank) or no clause fits. Pair ``k`` is ``mentees[index_e[k]]``
    with ``mentors[index_r[k]]``; each member's answer is read once."""
    read_e, column_e = plan.mentee_side, plan.criterion.mentee_column
    read_r, column_r = plan.mentor_side, plan.criterion.mentor_column
    answers_e = [read_e(plan, member, column_e) for member in mentees]
    answers_r = [read_r(plan, member, column_r) for member in mentors]
    clause = plan.clause
    return [
        clause(plan, answers_e[i], answers_r[j]) if value is None or value > 0 else ""
        for i, j, value in zip(index_e, index_r, values, strict=True)
    ]


def _answer(plan: _Plan, member: Mapping, column: str) -> Any:
    return member.get(column)


def _tag_mask(plan: _Plan, member: Mapping, column: str) -> int:
    return plan.tags.mask(member.get(column))


def _folded(plan: _Plan, member: Mapping, column: str) -> str:
    return plan.folded(member.get(column))


def _ordinal(plan: _Plan, member: Mapping, column: str) -> float:
    return ordinal_value(member.get(column))


def _grid(plan: _Plan, member: Mapping, column: str) -> dict[str, int]:
    return plan.grid_list[_grid_code(plan, member, column)]


def _grid_code(plan: _Plan, member: Mapping, column: str) -> int:
    """The position in ``plan.grid_list`` of a grid answer, decoded; equal grids share one."""
    value = member.get(column)
    key = tuple(value) if isinstance(value, _TAG_KINDS) else ()
    try:
        code = plan.grids.get(key)
    except TypeError:  # a cell that cannot be hashed: decode this answer afresh
        code = None
    if code is None:
        code = len(plan.grid_list)
        plan.grid_list.append(decode_acceptability(key))
        # Only grids of text are shared: decoding reads str() of each cell.
        if all(type(cell) is str for cell in key):
            plan.grids[key] = code
    return code


def _same_answer(plan: _Plan, member: Mapping, column: str) -> tuple[str, str]:
    """The mentee's answer folded, and the clause it makes when the mentor's matches."""
    answer = member.get(column)
    if type(answer) is not str:
        return _same_words(plan.criterion, answer)
    known = plan.memo.get(answer)
    if known is None:
        known = plan.memo[answer] = _same_words(plan.criterion, answer)
    return known


def _same_words(c: Criterion, answer: Any) -> tuple[str, str]:
    key = normalise(answer)
    if not key:
        return "", ""
    if any(word in c.label.casefold() for word in _PLACE_WORDS):
        return key, f"both at {_shown(answer)}"
    return key, f"same {c.label} ({_shown(answer)})"


def _wish(plan: _Plan, member: Mapping, column: str) -> tuple[bool, str]:
    wish = plan.folded(member.get(plan.criterion.wish_column))
    return wish == "yes", plan.folded(member.get(column))


def _tags_clause(plan: _Plan, a: int, b: int) -> str:
    shared = a & b
    return plan.tags[shared] if shared else ""


def _same_clause(plan: _Plan, a: tuple[str, str], b: str) -> str:
    key, clause = a
    return clause if key and key == b else ""


def _ordinal_clause(plan: _Plan, low: float, high: float) -> str:
    if math.isnan(low) or math.isnan(high):
        return ""
    # 0.0 and -0.0 are one key to a dict but print as "0" and "-0".
    key = (low, high) if low and high else (low, high, str(low), str(high))
    clause = plan.memo.get(key)
    if clause is None:
        clause = plan.memo[key] = _ordinal_words(plan.criterion, low, high)
    return clause


def _ordinal_words(c: Criterion, low: float, high: float) -> str:
    levels = f"({level_names(c, low)} \u2192 {level_names(c, high)})"
    gap = high - low
    if abs(gap) < 1e-9:
        return f"same {c.label} ({level_names(c, low)})"
    size = abs(gap)
    count = _NUMBER_WORDS[int(size)] if size.is_integer() and size < 10 else f"{size:g}"
    unit = c.label if size == 1 else c.label + "s"
    return f"mentor is {count} {unit} {'above' if gap > 0 else 'below'} {levels}"


def _free_text_clause(plan: _Plan, a: Any, b: Any) -> str:
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


def _joint_clause(plan: _Plan, code_e: int, code_r: int) -> str:
    # Few distinct grids, so few distinct pairs of them: each pair is worded once.
    row = plan.memo.get(code_e)
    if row is None:
        row = plan.memo[code_e] = {}
    clause = row.get(code_r)
    if clause is None:
        grid_e, grid_r = plan.grid_list[code_e], plan.grid_list[code_r]
        both = {o: min(v, grid_r.get(o, 0)) for o, v in grid_e.items() if grid_r.get(o, 0) >= 1}
        if both:
            best = max(both.values())
            options = tuple(sorted(o for o, v in both.items() if v == best))
            clause = plan.options.get(options)
            if clause is None:
                words = join_words([_shown(o) for o in options])
                clause = plan.options[options] = f"both accept {words} ({plan.criterion.label})"
        row[code_r] = clause = clause or ""
    return clause


def _acceptability_clause(plan: _Plan, grid: dict[str, int], about: str) -> str:
    return _fits(plan, grid.get(about), "the mentee's")


def _reverse_acceptability_clause(plan: _Plan, about: str, grid: dict[str, int]) -> str:
    return _fits(plan, grid.get(about), "the mentor's")


def _fits(plan: _Plan, level: int | None, whose: str) -> str:
    if level is None or level < 1:
        return ""
    clause = plan.memo.get(level)
    if clause is None:
        c = plan.criterion
        clause = plan.memo[level] = f"fits {whose} {c.label} preference ({_answer_word(c, level)})"
    return clause


def _shared_identity_clause(plan: _Plan, a: tuple[bool, str], b: str) -> str:
    wishes, key = a
    if not wishes or not key or key != b:
        return ""
    return f"honours the mentee's wish for a mentor of the same {plan.criterion.label}"


# Every kind but ``acceptability``, whose three forms :func:`_plan` picks between.
_KIND_PLANS: dict[str, tuple[_Reader, _Reader, _Clause]] = {
    "overlap": (_tag_mask, _tag_mask, _tags_clause),
    "seeks_offers": (_tag_mask, _tag_mask, _tags_clause),
    "availability": (_tag_mask, _tag_mask, _tags_clause),
    "same": (_same_answer, _folded, _same_clause),
    "ordinal": (_ordinal, _ordinal, _ordinal_clause),
    "free_text": (_answer, _answer, _free_text_clause),
    "shared_identity": (_wish, _folded, _shared_identity_clause),
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
