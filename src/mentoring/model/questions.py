"""A programme's own form, as data: how each column was read, and the criteria built from it.

Reading profiles every column of every file from its header and its values into a
:class:`ColumnProfile`: a **use** (who the member is, role, capacity, a matching question, an
availability or acceptability grid, ignored, ...), the finer **field**, a **confidence** and the
**evidence** in words. Matching questions asked of mentees and of mentors about the same thing
are paired into a :class:`Criterion` of a **kind**, which the engine scores and the outputs
explain in the form's own words. The library association's questions are one preset among these:
its fields (``interests``, ``library_type``, ...) keep their own columns of the people table;
every other question gets a column named ``q:<key>``.

Values of a question column in the people table, by kind:

- ``overlap``, ``seeks_offers``, ``availability``: a sorted tuple of normalised tags;
- ``same``, ``shared_identity`` (the attribute): a normalised ``str`` (``""`` when blank);
- ``ordinal``: a ``float`` (the level's position in ``levels``, or the number typed), NaN blank;
- ``free_text``: the ``str`` as typed (``""`` when blank);
- ``acceptability`` (the grid side): a tuple of ``"level:option"`` strings, level 0 = "No",
  1 = a middle answer, 2 = a yes (see :func:`encode_acceptability`); the other side holds the
  attribute as a ``same``-style ``str``, or its own grid when ``joint``;
- ``shared_identity`` (the wish): ``"yes"``, ``"no"`` or ``""``.

>>> c = Criterion("skills", "seeks_offers", "q:skills_sought", "q:skills_offered",
...               label="skills")
>>> c.component
'goals'
>>> decode_acceptability(encode_acceptability({"Bethesda": 0, "Fort Washington": 2}))
{'bethesda': 0, 'fort washington': 2}
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from mentoring.model.components import COMPONENTS
from mentoring.model.errors import ConfigError

__all__ = [
    "CONFIDENT",
    "KINDS",
    "QUESTION_PREFIX",
    "USES",
    "ColumnProfile",
    "Criterion",
    "criterion_from_dict",
    "decode_acceptability",
    "encode_acceptability",
    "question_overrides",
    "questions_from_toml",
]

QUESTION_SETTINGS: frozenset[str] = frozenset(
    {
        "use",
        "field",
        "kind",
        "pairs_with",
        "weight",
        "levels",
        "direction",
        "min_above",
        "max_above",
        "middle_score",
        "component",
    }
)
"""What a coordinator may say about one column (``[questions."Header"]`` in the config)."""

USES: tuple[str, ...] = (
    "id",
    "name",
    "first_name",
    "last_name",
    "email",
    "role",
    "capacity",
    "choices",
    "organisation",
    "identity",
    "wants_shared_identity",
    "priority",
    "question",
    "availability",
    "acceptability",
    "history",
    "ignored",
    "other",
)
"""What a column is for; the finer meaning goes in :attr:`ColumnProfile.field`."""

KINDS: tuple[str, ...] = (
    "overlap",
    "seeks_offers",
    "same",
    "ordinal",
    "availability",
    "free_text",
    "acceptability",
    "shared_identity",
)
"""How a criterion compares a mentee's answer with a mentor's."""

QUESTION_PREFIX = "q:"
"""People-table columns holding a form's own questions start with this."""

CONFIDENT = 0.6
"""A guess below this confidence is flagged for the coordinator and not used until confirmed."""

Direction = Literal["mentor_above", "closer", "any"]

# A criterion counts inside one of the score components the coordinator weighs.
_DEFAULT_COMPONENT: dict[str, str] = {
    "overlap": "interests",
    "seeks_offers": "goals",
    "free_text": "goals",
    "same": "community",
    "ordinal": "experience",
    "availability": "logistics",
    "acceptability": "logistics",
    "shared_identity": "diversity",
}


@dataclass(frozen=True)
class ColumnProfile:
    """How one column of one file was read, and why.

    Attributes
    ----------
    file, sheet : str, str or None
        Where the column is (``sheet`` is None for CSV).
    header : str
        The header as shown to the coordinator (several header rows joined with " - ").
    position : int
        0-based position of the column in its table.
    use : str
        One of :data:`USES`.
    field : str
        The finer meaning: a people column (``"interests"``, ``"timezone"``), a question column
        (``"q:skills_sought"``), or a word for an ignored column (``"timestamp"``,
        ``"submitter"``, ``"response_id"``, ``"url"``, ``"constant"``...).
    confidence : float
        In [0, 1]; below :data:`CONFIDENT` the guess is flagged, not used.
    evidence : str
        Why, in words a coordinator can check ("every value is an email address; 40 of 40
        are different").
    kind : str or None
        For questions and grids, one of :data:`KINDS`.
    pairs_with : tuple of str
        Headers of the other side's columns asking the same thing.
    group, option : str or None
        For grid and one-column-per-option exports: the question and this column's row/option.
    side : str
        Who answered it: ``"mentee"``, ``"mentor"`` or ``"both"``.
    sample : tuple of str
        A few distinct answers, for the coordinator to look at.
    levels : tuple of str
        For ordered answers, the levels lowest first.
    """

    file: str
    sheet: str | None
    header: str
    position: int
    use: str
    field: str = ""
    confidence: float = 1.0
    evidence: str = ""
    kind: str | None = None
    pairs_with: tuple[str, ...] = ()
    group: str | None = None
    option: str | None = None
    side: str = "both"
    sample: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.use not in USES:
            raise ConfigError(f"unknown column use {self.use!r}; known: {', '.join(USES)}")
        if self.kind is not None and self.kind not in KINDS:
            raise ConfigError(f"unknown question kind {self.kind!r}; known: {', '.join(KINDS)}")

    @property
    def flagged(self) -> bool:
        """True when the guess is too unsure to use without the coordinator's word."""
        return self.confidence < CONFIDENT

    def to_dict(self) -> dict[str, Any]:
        """Plain values, as ``mentoring validate --json`` prints them."""
        out = asdict(self)
        out["pairs_with"] = list(self.pairs_with)
        out["sample"] = list(self.sample)
        out["levels"] = list(self.levels)
        out["flagged"] = self.flagged
        return out


@dataclass(frozen=True)
class Criterion:
    """One thing to compare between a mentee and a mentor, built from the form's questions.

    Attributes
    ----------
    name : str
        A short key, unique among the criteria.
    kind : str
        One of :data:`KINDS`.
    mentee_column, mentor_column : str
        People-table columns read on each side (the same column when one question was asked of
        everybody). For ``acceptability`` the mentee column is the grid and the mentor column the
        attribute it is about; a grid answered by mentors about mentees is a second criterion
        with ``reverse=True``. For ``shared_identity`` both are the attribute.
    label : str
        The form's words for it, used in reasons ("skills", "site", "grade").
    component : str
        The score component it counts in (one of ``COMPONENTS``); from the kind by default.
    weight : float
        Its weight inside that component (only ratios matter).
    levels : tuple of str
        ``ordinal``: the levels lowest first, as the form words them.
    direction : str
        ``ordinal``: ``"mentor_above"`` (more is better, up to ``max_above``), ``"closer"``
        (nearer is better) or ``"any"``.
    min_above, max_above : int or None
        ``ordinal`` hard rule: the mentor at least ``min_above`` and at most ``max_above`` levels
        above the mentee (None: no bound).
    wish_column : str
        ``shared_identity``: the mentee's yes/no wish column.
    reverse : bool
        ``acceptability``: the grid is on the mentor side, about the mentee's attribute.
    joint : bool
        ``acceptability``: both sides answered the same grid about places or options they share
        (sites they could travel to): the mentor column is the mentor's grid, a pair needs an
        option neither answered "No" to, and scores by the best such option.
    middle_score : float
        ``acceptability``: the score of a middle answer ("I'd make it work"); "No" forbids the
        pair, a yes scores 1.
    headers : tuple of str
        The form's headers this criterion was built from, for the coordinator.
    """

    name: str
    kind: str
    mentee_column: str
    mentor_column: str
    label: str = ""
    component: str = ""
    weight: float = 1.0
    levels: tuple[str, ...] = ()
    direction: Direction = "mentor_above"
    min_above: int | None = None
    max_above: int | None = None
    wish_column: str = ""
    reverse: bool = False
    joint: bool = False
    middle_score: float = 0.5
    headers: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ConfigError(f"unknown question kind {self.kind!r}; known: {', '.join(KINDS)}")
        if not self.component:
            object.__setattr__(self, "component", _DEFAULT_COMPONENT[self.kind])
        if self.component not in COMPONENTS:
            raise ConfigError(
                f"criterion {self.name!r}: component must be one of {', '.join(COMPONENTS)}, "
                f"got {self.component!r}"
            )
        if not self.label:
            object.__setattr__(self, "label", self.name.replace("_", " "))
        if not (self.weight >= 0):
            raise ConfigError(f"criterion {self.name!r}: weight must be >= 0, got {self.weight}")
        if self.direction not in ("mentor_above", "closer", "any"):
            raise ConfigError(
                f"criterion {self.name!r}: direction must be mentor_above, closer or any, "
                f"got {self.direction!r}"
            )
        if not 0 <= self.middle_score <= 1:
            raise ConfigError(f"criterion {self.name!r}: middle_score must be in [0, 1]")
        if self.kind == "shared_identity" and not self.wish_column:
            raise ConfigError(f"criterion {self.name!r}: a shared_identity needs wish_column")
        object.__setattr__(self, "levels", tuple(self.levels))
        object.__setattr__(self, "headers", tuple(self.headers))

    @property
    def columns(self) -> tuple[str, ...]:
        """Every people column this criterion reads."""
        out = [self.mentee_column, self.mentor_column, self.wish_column]
        return tuple(dict.fromkeys(c for c in out if c))

    def to_dict(self) -> dict[str, Any]:
        """Plain values, for TOML, JSON and the store."""
        out = asdict(self)
        out["levels"] = list(self.levels)
        out["headers"] = list(self.headers)
        return out


def criterion_from_dict(data: Mapping[str, Any] | Criterion) -> Criterion:
    """A criterion from plain values (a ``[questions.NAME]`` table, JSON, the store).

    Examples
    --------
    >>> criterion_from_dict({"name": "grade", "kind": "ordinal", "mentee_column": "q:grade",
    ...     "mentor_column": "q:grade", "levels": ["EO", "HEO"], "min_above": 1}).max_above
    >>> criterion_from_dict({"name": "x", "kind": "vibes", "mentee_column": "a",
    ...     "mentor_column": "b"})
    Traceback (most recent call last):
    ...
    mentoring.model.errors.ConfigError: unknown question kind 'vibes'; known: overlap, seeks_offers, same, ordinal, availability, free_text, acceptability, shared_identity
    """
    if isinstance(data, Criterion):
        return data
    if not isinstance(data, Mapping):
        raise ConfigError(f"a question must be a table, got {data!r}")
    known = set(Criterion.__dataclass_fields__)
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(
            f"unknown setting(s) {', '.join(unknown)} for question {data.get('name')!r}; "
            f"known: {', '.join(sorted(known))}"
        )
    missing = [k for k in ("name", "kind", "mentee_column", "mentor_column") if k not in data]
    if missing:
        raise ConfigError(f"question {data.get('name')!r} lacks {', '.join(missing)}")
    return Criterion(**dict(data))


def encode_acceptability(levels: Mapping[str, int]) -> tuple[str, ...]:
    """A grid answer ``{option: level}`` as the people table stores it (sorted, normalised)."""
    return tuple(
        sorted(
            f"{int(level)}:{' '.join(str(option).casefold().split())}"
            for option, level in levels.items()
        )
    )


def decode_acceptability(cells: Iterable[str]) -> dict[str, int]:
    """The ``{option: level}`` a stored grid answer holds; malformed parts are skipped."""
    out: dict[str, int] = {}
    for cell in cells:
        level, _, option = str(cell).partition(":")
        if level.isdigit() and option:
            out[option] = int(level)
    return dict(sorted(out.items()))


def question_overrides(data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Check the coordinator's word on columns: header -> settings, as ``[questions]`` holds it.

    Examples
    --------
    >>> question_overrides({"Grade": {"kind": "ordinal", "levels": ["EO", "HEO", "SEO"]},
    ...                     "Skills": {"pairs_with": "What can you teach?"}})["Skills"]
    {'pairs_with': ['What can you teach?']}
    >>> question_overrides({"Grade": {"kind": "vibes"}})
    Traceback (most recent call last):
    ...
    mentoring.model.errors.ConfigError: [questions."Grade"]: unknown kind 'vibes'; known: overlap, seeks_offers, same, ordinal, availability, free_text, acceptability, shared_identity
    """
    if not isinstance(data, Mapping):
        raise ConfigError(f"[questions] must be a table of column headers, got {data!r}")
    out: dict[str, dict[str, Any]] = {}
    for header, settings in data.items():
        where = f'[questions."{header}"]'
        if not isinstance(settings, Mapping):
            raise ConfigError(f'{where} must be a table such as {{ use = "question" }}')
        unknown = sorted(set(settings) - QUESTION_SETTINGS)
        if unknown:
            raise ConfigError(
                f"{where}: unknown setting(s) {', '.join(unknown)}; "
                f"known: {', '.join(sorted(QUESTION_SETTINGS))}"
            )
        values = dict(settings)
        if "use" in values and values["use"] not in USES:
            raise ConfigError(f"{where}: unknown use {values['use']!r}; known: {', '.join(USES)}")
        if "kind" in values and values["kind"] not in KINDS:
            raise ConfigError(
                f"{where}: unknown kind {values['kind']!r}; known: {', '.join(KINDS)}"
            )
        for key in ("pairs_with", "levels"):
            if key in values:
                value = values[key]
                values[key] = [value] if isinstance(value, str) else [str(v) for v in value]
        if "weight" in values and not (
            isinstance(values["weight"], int | float) and values["weight"] >= 0
        ):
            raise ConfigError(f"{where}: weight must be a number >= 0, got {values['weight']!r}")
        out[str(header)] = values
    return out


def questions_from_toml(path: str | Path) -> dict[str, dict[str, Any]]:
    """The ``[questions]`` table of a TOML config file, checked (empty when there is none)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc}).") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}).") from exc
    try:
        return question_overrides(data.get("questions", {}))
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
