"""The people table: its columns, dtypes and the boundary check every entry point runs.

``load_people`` returns a :class:`pandas.DataFrame` with exactly :data:`PEOPLE_COLUMNS`, one row
per member, ``member_id`` unique. Multi-valued fields hold tuples of normalised tags (lower
case, single spaces, sorted, no duplicates); text fields hold ``str`` (``""`` when blank);
``timezone`` and ``years_experience`` hold ``float`` (NaN when unknown); ``capacity`` and
``mentee_capacity`` hold a nullable ``Int64`` (``<NA>``: use the configured default); ``priority`` a ``bool``;
``preferred_mentors`` a tuple of ``member_id`` values in the mentee's order of choice.

>>> PEOPLE_COLUMNS[:3]
('member_id', 'name', 'email')
>>> empty_people().shape
(0, 28)
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any, Literal

import numpy as np
import pandas as pd

from mentoring.model.errors import LoadError
from mentoring.model.frames import require_columns
from mentoring.model.questions import QUESTION_PREFIX

__all__ = [
    "CAREER_STAGES",
    "DEMOGRAPHIC_COLUMNS",
    "MEETING_MODES",
    "MULTI_VALUED_COLUMNS",
    "PEOPLE_COLUMNS",
    "PEOPLE_SCHEMA",
    "ROLES",
    "empty_people",
    "prepare_people",
]

PEOPLE_COLUMNS: tuple[str, ...] = (
    "member_id",
    "name",
    "email",
    "role",
    "interests",
    "offers",
    "seeks",
    "library_type",
    "divisions",
    "chapter",
    "career_stage",
    "years_experience",
    "timezone",
    "languages",
    "meeting_mode",
    "capacity",
    "institution",
    "identities",
    "identity_preference",
    "priority",
    "past_partners",
    "preferred_mentors",
    "job_title",
    "open_to_peer",
    "notes",
    "mentee_capacity",
    "tracks_offered",
    "tracks_wanted",
)
"""Canonical columns of the people table, in order.

``mentee_capacity`` is how many mentors a mentee takes (``<NA>``: one per track they want,
else ``MatchConfig.default_mentee_capacity``); ``tracks_offered`` the kinds of mentoring a
mentor offers (none: every kind) and ``tracks_wanted`` those a mentee wants, one mentor each."""


MULTI_VALUED_COLUMNS: frozenset[str] = frozenset(
    {
        "interests",
        "offers",
        "seeks",
        "divisions",
        "languages",
        "identities",
        "identity_preference",
        "past_partners",
        "preferred_mentors",
        "tracks_offered",
        "tracks_wanted",
    }
)
"""Columns whose cells are tuples of tags or ids."""


DEMOGRAPHIC_COLUMNS: frozenset[str] = frozenset({"identities", "identity_preference"})
"""Self-identified, special-category data: never exported or reported unless asked for."""


ROLES: tuple[str, ...] = ("mentor", "mentee", "both")


CAREER_STAGES: tuple[str, ...] = ("student", "new professional", "mid-career", "senior", "retired")
"""Ordered career stages; ``career_stage`` holds one of these or ``""``."""


MEETING_MODES: tuple[str, ...] = ("in person", "online", "either")

ColumnKind = Literal["text", "tags", "ids", "float", "count", "flag"]

PEOPLE_SCHEMA: dict[str, ColumnKind] = {
    column: (
        "ids"
        if column in ("past_partners", "preferred_mentors")
        else "tags"
        if column in MULTI_VALUED_COLUMNS
        else "float"
        if column in ("timezone", "years_experience")
        else "count"
        if column in ("capacity", "mentee_capacity")
        else "flag"
        if column in ("priority", "open_to_peer")
        else "text"
    )
    for column in PEOPLE_COLUMNS
}
"""Each people column's kind, the one schema both :func:`empty_people` and
:func:`prepare_people` follow: ``text`` is ``str`` (``""`` when blank); ``tags`` a sorted tuple
of normalised tags; ``ids`` a tuple of member ids in the member's order; ``float`` a float (NaN
when unknown); ``count`` a nullable ``Int64``; ``flag`` a ``bool``."""

_DTYPES: dict[ColumnKind, str] = {
    "text": "object",
    "tags": "object",
    "ids": "object",
    "float": "float64",
    "count": "Int64",
    "flag": "bool",
}


def empty_people() -> pd.DataFrame:
    """An empty people table with the canonical columns and dtypes.

    Examples
    --------
    >>> empty_people().dtypes["capacity"]
    Int64Dtype()
    """
    return pd.DataFrame(
        {column: pd.Series(dtype=_DTYPES[kind]) for column, kind in PEOPLE_SCHEMA.items()}
    )


def _fold(tag: str) -> str:
    return " ".join(tag.casefold().split())


def _as_tags(value: Any, fold: Callable[[str], str] = _fold) -> tuple[str, ...]:
    if isinstance(value, tuple | list | set | frozenset | np.ndarray):
        folded = {fold(str(v)) for v in value}
    elif value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ()
    else:
        folded = {fold(p) for p in re.split(r"[;|\n]", str(value))}
    return tuple(sorted(folded - {""}))


def _as_ids(value: Any) -> tuple[str, ...]:
    if isinstance(value, tuple | list):
        return tuple(str(v) for v in value)
    return _as_tags(value)


def _as_kind(cells: pd.Series, kind: ColumnKind) -> pd.Series | pd.api.extensions.ExtensionArray:
    """One column brought to its kind in :data:`PEOPLE_SCHEMA`; blanks become the kind's blank."""
    if kind == "tags":
        # A national cohort repeats the same few hundred answers and the same few dozen tags:
        # each answer is read once, and each tag of a tuple of text once.
        read: dict[str | tuple, tuple[str, ...]] = {}
        folded: dict[str, str] = {}

        def fold(tag: str) -> str:
            found = folded.get(tag)
            if found is None:
                found = folded[tag] = _fold(tag)
            return found

        def tags_of(cell: Any) -> tuple[str, ...]:
            if not isinstance(cell, str | tuple):
                return _as_tags(cell, fold)
            found = read.get(cell)
            if found is None:
                found = read[cell] = _as_tags(cell, fold)
            return found

        return pd.Series([tags_of(cell) for cell in cells], dtype=object)
    if kind == "ids":
        return pd.Series([_as_ids(cell) for cell in cells], dtype=object)
    if kind == "float":
        return pd.to_numeric(cells, errors="coerce").astype(float)
    if kind == "count":
        return pd.to_numeric(cells, errors="coerce").astype("Int64")
    if kind == "flag":
        return cells.astype(object).where(cells.notna(), False).astype(bool)
    return cells.astype(object).where(cells.notna(), "").astype(str)


def prepare_people(people: pd.DataFrame) -> pd.DataFrame:
    """Check a people table at the boundary and complete it to the canonical columns.

    Missing optional columns are added empty; multi-valued cells given as lists or as
    ``;``-joined text become tuples of tags. Columns of the form's own questions (named
    ``q:...``) and the table's ``attrs`` (where the reader keeps the criteria) are kept. Raises :class:`LoadError` when ``member_id``,
    ``name`` or ``role`` is missing, a role is unknown, or a ``member_id`` repeats.

    Examples
    --------
    >>> prepare_people(pd.DataFrame({"member_id": [1], "name": ["Ana"], "role": ["Mentor"],
    ...                              "interests": ["Archives; outreach"]})).loc[0, "interests"]
    ('archives', 'outreach')
    """
    require_columns(
        people,
        "the people table",
        ("member_id", "name", "role"),
        error=LoadError,
        hint="Every member needs an id, a name and a role (mentor, mentee or both).",
    )
    out = people.reset_index(drop=True).copy()
    out["member_id"] = out["member_id"].astype(str).str.strip()
    out["role"] = out["role"].astype(str).str.strip().str.casefold()
    unknown = sorted(set(out["role"]) - set(ROLES))
    if unknown:
        raise LoadError(
            f"unknown role(s) {', '.join(map(repr, unknown))}; use mentor, mentee or both."
        )
    repeated = sorted(out.loc[out["member_id"].duplicated(), "member_id"].unique())
    if repeated:
        raise LoadError(
            f"member_id must be unique; repeated: {', '.join(repeated[:10])}. "
            "Resolve the duplicates (see `mentoring validate`) before matching."
        )
    for column, kind in PEOPLE_SCHEMA.items():
        cells = out[column] if column in out.columns else pd.Series([None] * len(out))
        out[column] = _as_kind(cells.reset_index(drop=True), kind)
    # A form's own questions (``q:...`` columns, see mentoring.model.questions) travel along
    # unchanged, as do the criteria the reader built from them.
    extra = [c for c in out.columns if isinstance(c, str) and c.startswith(QUESTION_PREFIX)]
    prepared = out[[*PEOPLE_COLUMNS, *extra]]
    prepared.attrs = dict(people.attrs)
    return prepared
