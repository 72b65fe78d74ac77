"""How the form was read, as the coordinator checks and corrects it on Map and fix.

Every column of every file has a reading (:class:`~mentoring.model.questions.ColumnProfile`):
its use, field, kind, the question it is paired with, the evidence and a few answers. This
module turns those readings into plain tables (:func:`reading_tables`), the coordinator's edits
back into ``[questions]`` overrides (:func:`questions_from_edits`), and the criteria the score
compares into plain words (:func:`criteria_table`). Nothing here draws anything: the app shows
these tables as data, never as markup.

>>> USE_LABELS["ignored"], KIND_LABELS["seeks_offers"]
('Left out', 'What mentees seek and mentors offer')
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from mentoring.model.errors import ConfigError
from mentoring.model.questions import (
    QUESTION_PREFIX,
    ColumnProfile,
    Criterion,
    criterion_from_dict,
    question_overrides,
)
from mentoring.services.members import FIELD_LABELS, NOT_USED

__all__ = [
    "CRITERIA_COLUMNS",
    "EDITABLE_COLUMNS",
    "KIND_LABELS",
    "LEVELS_JOIN",
    "NOT_COMPARED",
    "PAIRS_JOIN",
    "READING_COLUMNS",
    "UNSURE",
    "USE_LABELS",
    "criteria_of",
    "criteria_table",
    "field_words",
    "profiles_from_saved",
    "profiles_to_saved",
    "questions_from_edits",
    "reading_table",
    "reading_tables",
]

USE_LABELS: dict[str, str] = {
    "id": "Member ID",
    "name": "Full name",
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email address",
    "role": "Mentor, mentee or both",
    "capacity": "How many mentees a mentor takes",
    "choices": "Mentors they chose",
    "organisation": "Where they work",
    "identity": "Who they are (identity)",
    "wants_shared_identity": "Wish to share an identity",
    "priority": "Priority member",
    "question": "A question to match on",
    "availability": "When they are free",
    "acceptability": "Yes / no about the other person",
    "history": "Past partners",
    "ignored": "Left out",
    "other": "Kept to show, not matched on",
}
"""A plain label for every column use (:data:`mentoring.model.questions.USES`)."""

NOT_COMPARED = "not_compared"
"""The ``kind`` of a column the score does not compare answer to answer."""

KIND_LABELS: dict[str, str] = {
    NOT_COMPARED: "Not compared",
    "overlap": "Answers in common",
    "seeks_offers": "What mentees seek and mentors offer",
    "same": "The same answer",
    "ordinal": "Levels in order",
    "availability": "Free at the same times",
    "acceptability": "No means never paired",
    "free_text": "Written answers close in meaning",
    "shared_identity": "Wish to share an identity",
}
"""A plain label for every criterion kind (:data:`mentoring.model.questions.KINDS`), and for
:data:`NOT_COMPARED`."""

_COMPONENT_LABELS: dict[str, str] = {
    "interests": "Interests",
    "goals": "Goals",
    "experience": "Experience",
    "community": "Community",
    "logistics": "Practical fit",
    "diversity": "Shared identity",
    "preference": "Mentors they chose",
}

READING_COLUMNS: tuple[str, ...] = (
    "check",
    "column",
    "use",
    "field",
    "kind",
    "paired_with",
    "weight",
    "levels",
    "confidence",
    "evidence",
    "sample",
)
"""Columns of :func:`reading_table`: one row per column of a file, unsure guesses first."""

EDITABLE_COLUMNS: tuple[str, ...] = ("use", "kind", "paired_with", "weight", "levels")
"""What the coordinator may change in :func:`reading_table` (the rest is the evidence)."""

CRITERIA_COLUMNS: tuple[str, ...] = (
    "compares",
    "how",
    "mentee_question",
    "mentor_question",
    "weight",
    "counts_in",
)
"""Columns of :func:`criteria_table`: what the score compares, in plain words."""

UNSURE = "Unsure: please check"
"""How a guess too unsure to use is marked in the ``check`` column."""

PAIRS_JOIN = " | "
"""Between several headers in ``paired_with`` (and between sample answers)."""

LEVELS_JOIN = " < "
"""Between levels, lowest first, in ``levels`` ("AA < AO < EO")."""

_SET_BY_YOU = "set by the coordinator"


def profiles_to_saved(profiles: Iterable[ColumnProfile]) -> list[dict[str, Any]]:
    """The readings as plain values to keep with the upload record, without answers.

    The sample answers are left out: the saved members already hold the answers, and a
    member who is forgotten must leave no copy behind.

    Examples
    --------
    >>> p = ColumnProfile("a.csv", None, "Site", 3, "question", "q:site", 0.7, "5 answers",
    ...                   kind="same", sample=("North", "South"))
    >>> saved = profiles_to_saved([p])
    >>> saved[0]["sample"], profiles_from_saved(saved)[0].header
    ([], 'Site')
    """
    out = []
    for profile in profiles:
        data = profile.to_dict()
        data.pop("flagged", None)
        data["sample"] = []
        out.append(data)
    return out


def profiles_from_saved(data: Iterable[Mapping[str, Any]] | None) -> list[ColumnProfile]:
    """The readings :func:`profiles_to_saved` kept; entries that no longer read are skipped.

    Examples
    --------
    >>> profiles_from_saved([{"file": "a.csv", "sheet": None, "header": "Id", "position": 0,
    ...                       "use": "id", "flagged": False}, {"use": "vibes"}])[0].use
    'id'
    >>> profiles_from_saved(None)
    []
    """
    known = set(ColumnProfile.__dataclass_fields__)
    out = []
    for item in data or ():
        values = {k: v for k, v in dict(item).items() if k in known}
        for key in ("pairs_with", "sample", "levels"):
            values[key] = tuple(values.get(key) or ())
        try:
            out.append(ColumnProfile(**values))
        except (TypeError, ValueError):
            continue
    return out


def criteria_of(data: Iterable[Criterion | Mapping[str, Any]] | None) -> list[Criterion]:
    """Criteria from ``people.attrs["criteria"]`` as the store gives them back (plain dicts).

    Examples
    --------
    >>> criteria_of([{"name": "site", "kind": "same", "mentee_column": "q:site",
    ...               "mentor_column": "q:site"}])[0].label
    'site'
    """
    return [criterion_from_dict(c) for c in data or ()]


def field_words(profile: ColumnProfile, criteria: Sequence[Criterion] = ()) -> str:
    """What a column's field means, in plain words.

    Examples
    --------
    >>> p = ColumnProfile("a.csv", None, "Which site?", 1, "question", "q:site", kind="same")
    >>> field_words(p), field_words(p, [Criterion("site", "same", "q:site", "q:site",
    ...                                          label="site you work at")])
    ('Own question: site', 'Own question: site you work at')
    >>> field_words(ColumnProfile("a.csv", None, "Timestamp", 0, "ignored", "timestamp"))
    '(not used)'
    >>> field_words(ColumnProfile("a.csv", None, "Full name", 0, "name", "name"))
    'Full name'
    """
    if profile.use == "ignored":
        return NOT_USED
    field = profile.field or ""
    if field.startswith(QUESTION_PREFIX):
        label = next(
            (c.label for c in criteria if field in (c.mentee_column, c.mentor_column)),
            field[len(QUESTION_PREFIX) :].replace("_", " "),
        )
        return f"Own question: {label}"
    if not field:
        return USE_LABELS.get(profile.use, profile.use)
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


def reading_tables(
    profiles: Sequence[ColumnProfile], criteria: Sequence[Criterion] = ()
) -> list[tuple[str, pd.DataFrame]]:
    """One :func:`reading_table` per file (per sheet of a workbook), in file order.

    Returns
    -------
    list of (str, pandas.DataFrame)
        The file's name (with its sheet) and its table.

    Examples
    --------
    >>> ps = [ColumnProfile("a.xlsx", "Mentors", "Id", 0, "id", "member_id"),
    ...       ColumnProfile("b.csv", None, "Id", 0, "id", "member_id")]
    >>> [title for title, _ in reading_tables(ps)]
    ['a.xlsx, sheet Mentors', 'b.csv']
    """
    groups: dict[tuple[str, str | None], list[ColumnProfile]] = {}
    for profile in profiles:
        groups.setdefault((profile.file, profile.sheet), []).append(profile)
    return [
        (file if sheet is None else f"{file}, sheet {sheet}", reading_table(group, criteria))
        for (file, sheet), group in groups.items()
    ]


def reading_table(
    profiles: Sequence[ColumnProfile], criteria: Sequence[Criterion] = ()
) -> pd.DataFrame:
    """How each column was read, one row per column, unsure guesses first.

    Parameters
    ----------
    profiles : sequence of ColumnProfile
        The columns of one file (or sheet), in file order.
    criteria : sequence of Criterion
        What the score compares; gives each question's weight and levels.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`READING_COLUMNS`: ``check`` (:data:`UNSURE` or ``""``), ``column`` (the
        header), ``use`` (one of :data:`~mentoring.model.questions.USES`), ``field`` (plain
        words), ``kind`` (one of :data:`~mentoring.model.questions.KINDS`, else
        :data:`NOT_COMPARED`),
        ``paired_with`` (headers joined by :data:`PAIRS_JOIN`), ``weight`` (NaN when the
        column is not compared), ``levels`` (joined by :data:`LEVELS_JOIN`), ``confidence``
        (a whole percentage), ``evidence`` and ``sample`` (a few answers).

    Examples
    --------
    >>> ps = [ColumnProfile("a.csv", None, "Id", 0, "id", "member_id", 0.85, "unique ids"),
    ...       ColumnProfile("a.csv", None, "Motto", 1, "question", "free_text", 0.55,
    ...                     "varied written answers", kind="free_text", sample=("carpe diem",))]
    >>> t = reading_table(ps)
    >>> t[["check", "column", "use", "kind", "confidence"]].values.tolist()
    [['Unsure: please check', 'Motto', 'question', 'free_text', 55], ['', 'Id', 'id', 'not_compared', 85]]
    """
    weights: dict[str, float] = {}
    levels: dict[str, tuple[str, ...]] = {}
    for criterion in criteria:
        for header in criterion.headers:
            weights.setdefault(header, float(criterion.weight))
            if criterion.kind == "ordinal" and criterion.levels:
                levels.setdefault(header, criterion.levels)
    ordered = sorted(profiles, key=lambda p: (not p.flagged, p.position))
    rows = [
        {
            "check": UNSURE if p.flagged else "",
            "column": p.header,
            "use": p.use,
            "field": field_words(p, criteria),
            "kind": p.kind or NOT_COMPARED,
            "paired_with": PAIRS_JOIN.join(p.pairs_with),
            "weight": weights.get(p.header, math.nan),
            "levels": LEVELS_JOIN.join(levels.get(p.header, p.levels)),
            "confidence": int(round(100 * float(p.confidence))),
            "evidence": p.evidence,
            "sample": PAIRS_JOIN.join(p.sample),
        }
        for p in ordered
    ]
    table = pd.DataFrame(rows, columns=list(READING_COLUMNS))
    table["weight"] = table["weight"].astype(float)
    table["confidence"] = table["confidence"].astype("int64")
    return table


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _split(text: Any, joiner: str) -> list[str]:
    return [part.strip() for part in _text(text).split(joiner.strip()) if part.strip()]


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def questions_from_edits(
    before: pd.DataFrame,
    after: pd.DataFrame,
    previous: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    headers: Iterable[str] | None = None,
) -> dict[str, dict[str, Any]]:
    """The coordinator's edits of a :func:`reading_table` as ``[questions]`` overrides.

    Only what changed is written, on top of the overrides applied before: a use, a kind, the
    headers a column is paired with, a weight, a level order (lowest first). A cleared cell
    leaves the reading as it was.

    Parameters
    ----------
    before, after : pandas.DataFrame
        The table as shown and as edited (rows found by the ``column`` header).
    previous : mapping, optional
        The overrides applied so far, ``{header: {setting: value}}``.
    headers : iterable of str, optional
        Every header of the files: a column paired with a header not among them is refused.

    Returns
    -------
    dict
        ``{header: {setting: value}}``, checked by
        :func:`mentoring.model.questions.question_overrides`: what
        :func:`mentoring.services.members.load_member_files` takes as ``questions``.

    Raises
    ------
    mentoring.model.errors.ConfigError
        When an edit holds an unknown use or kind, a negative weight, or pairs a column with
        a header the files do not have.

    Examples
    --------
    >>> ps = [ColumnProfile("a.csv", None, "Grade", 0, "question", "q:grade", kind="same"),
    ...       ColumnProfile("a.csv", None, "Colour", 1, "question", "q:colour", kind="same")]
    >>> shown = reading_table(ps)
    >>> edited = shown.copy()
    >>> edited.loc[edited["column"] == "Grade", ["kind", "levels"]] = ["ordinal", "EO < HEO"]
    >>> edited.loc[edited["column"] == "Colour", "use"] = "ignored"
    >>> questions_from_edits(shown, edited, {"Site": {"weight": 2.0}})
    {'Site': {'weight': 2.0}, 'Grade': {'kind': 'ordinal', 'levels': ['EO', 'HEO']}, 'Colour': {'use': 'ignored'}}
    >>> edited.loc[edited["column"] == "Colour", "paired_with"] = "Favourite colour?"
    >>> questions_from_edits(shown, edited, headers=["Grade", "Colour"])
    Traceback (most recent call last):
    ...
    mentoring.model.errors.ConfigError: 'Colour' is paired with 'Favourite colour?', which is not a column of the files; copy the other question's header exactly.
    """
    out: dict[str, dict[str, Any]] = {str(h): dict(v) for h, v in (previous or {}).items()}
    old_rows = {str(row["column"]): row for row in before.to_dict("records")}
    for row in after.to_dict("records"):
        header = str(row["column"])
        old = old_rows.get(header)
        if old is None:
            continue
        changes: dict[str, Any] = {}
        for key in ("use", "kind"):
            value = _text(row.get(key))
            if value and value != NOT_COMPARED and value != _text(old.get(key)):
                changes[key] = value
        pairs = _split(row.get("paired_with"), PAIRS_JOIN)
        if pairs and pairs != _split(old.get("paired_with"), PAIRS_JOIN):
            _check_pairs(header, pairs, headers)
            changes["pairs_with"] = pairs
        weight, was = _number(row.get("weight")), _number(old.get("weight"))
        if weight is not None and weight != was:
            changes["weight"] = weight
        order = _split(row.get("levels"), LEVELS_JOIN)
        if order and order != _split(old.get("levels"), LEVELS_JOIN):
            changes["levels"] = order
        if changes:
            out[header] = {**out.get(header, {}), **changes}
    return question_overrides(out)


def _check_pairs(header: str, pairs: Sequence[str], headers: Iterable[str] | None) -> None:
    if headers is None:
        return
    known = {" ".join(h.split()).casefold() for h in headers}
    for other in pairs:
        if " ".join(other.split()).casefold() not in known:
            raise ConfigError(
                f"{header!r} is paired with {other!r}, which is not a column of the files; "
                "copy the other question's header exactly."
            )


def _side(headers: Sequence[str], by_header: Mapping[str, ColumnProfile]) -> str:
    shown: list[str] = []
    groups: dict[str, int] = {}
    for header in headers:
        profile = by_header.get(header)
        group = profile.group if profile is not None else None
        if group:
            if group not in groups:
                groups[group] = 0
                shown.append(group)
            groups[group] += 1
        else:
            shown.append(header)
    return PAIRS_JOIN.join(
        f"{text} ({groups[text]} columns)" if groups.get(text, 0) > 1 else text for text in shown
    )


def criteria_table(
    criteria: Iterable[Criterion | Mapping[str, Any]], profiles: Sequence[ColumnProfile] = ()
) -> pd.DataFrame:
    """What the score compares, in plain words: one row per criterion of the form.

    Parameters
    ----------
    criteria : iterable of Criterion or dict
        ``people.attrs["criteria"]`` (the store gives dicts back).
    profiles : sequence of ColumnProfile
        The readings, to tell the mentee's question from the mentor's and to name a grid once.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CRITERIA_COLUMNS`: ``compares`` (the form's words), ``how`` (the kind
        in plain words), ``mentee_question`` and ``mentor_question`` (headers), ``weight`` and
        ``counts_in`` (the score component it counts in).

    Examples
    --------
    >>> ps = [ColumnProfile("a.csv", None, "Hopes (mentees)", 0, "question", "q:hope_mentee",
    ...                     kind="free_text", side="mentee"),
    ...       ColumnProfile("a.csv", None, "Experience (mentors)", 1, "question",
    ...                     "q:hope_mentor", kind="free_text", side="mentor")]
    >>> c = Criterion("hope", "free_text", "q:hope_mentee", "q:hope_mentor",
    ...               headers=("Hopes (mentees)", "Experience (mentors)"))
    >>> criteria_table([c], ps).to_dict("records")[0]  # doctest: +NORMALIZE_WHITESPACE
    {'compares': 'hope', 'how': 'Written answers close in meaning',
     'mentee_question': 'Hopes (mentees)', 'mentor_question': 'Experience (mentors)',
     'weight': 1.0, 'counts_in': 'Goals'}
    """
    by_header: dict[str, ColumnProfile] = {}
    for profile in profiles:
        by_header.setdefault(profile.header, profile)
    rows = []
    for criterion in criteria_of(criteria):
        headers = list(criterion.headers)
        mentee = [
            h for h in headers if getattr(by_header.get(h), "field", "") == criterion.mentee_column
        ]
        mentor = [
            h for h in headers if getattr(by_header.get(h), "field", "") == criterion.mentor_column
        ]
        if criterion.mentee_column == criterion.mentor_column or not (mentee and mentor):
            mentee = mentor = headers
        rows.append(
            {
                "compares": criterion.label,
                "how": KIND_LABELS.get(criterion.kind, criterion.kind),
                "mentee_question": _side(mentee, by_header),
                "mentor_question": _side(mentor, by_header),
                "weight": float(criterion.weight),
                "counts_in": _COMPONENT_LABELS.get(
                    criterion.component, criterion.component.replace("_", " ").capitalize()
                ),
            }
        )
    return pd.DataFrame(rows, columns=list(CRITERIA_COLUMNS))
