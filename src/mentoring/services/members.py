"""Members as the coordinator sees them: counts by role, whether matching can start, the column
mapping as an editable table, and past match files applied to the cohort.

>>> import pandas as pd
>>> members_by_role(pd.DataFrame({"role": ["mentor", "mentee", "both"]}))
{'mentor': 1, 'mentee': 1, 'both': 1}
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from mentoring.model.config import MatchConfig
from mentoring.model.errors import Issue

if TYPE_CHECKING:
    from mentoring.reading.history import HistoryPlan

__all__ = [
    "MAPPING_COLUMNS",
    "apply_past_matches",
    "blocking_issues",
    "mapping_from_table",
    "mapping_table",
    "mapping_used",
    "matching_ready",
    "members_by_role",
]

MAPPING_COLUMNS: tuple[str, ...] = ("file", "column", "field")
"""Columns of :func:`mapping_table`; ``field`` is ``""`` for a column left out."""


def blocking_issues(issues: Iterable[Issue]) -> list[Issue]:
    """The issues that block matching until resolved: those of severity ``error``.

    Parameters
    ----------
    issues : iterable of Issue

    Returns
    -------
    list of Issue

    Examples
    --------
    >>> blocking_issues([Issue("a.csv", 2, "Role", "role_missing", "no role", "error"),
    ...                  Issue("a.csv", 3, "Tz", "tz", "odd zone", "warning")])[0].code
    'role_missing'
    """
    return [i for i in issues if i.severity == "error"]


def members_by_role(people: pd.DataFrame) -> dict[str, int]:
    """How many members of each role were read: mentors, mentees, both.

    Parameters
    ----------
    people : pandas.DataFrame
        The people table.

    Returns
    -------
    dict
        ``{"mentor": n, "mentee": n, "both": n}``.

    Examples
    --------
    >>> members_by_role(pd.DataFrame({"role": ["mentor", "mentee", "mentee"]}))
    {'mentor': 1, 'mentee': 2, 'both': 0}
    """
    counts = people["role"].value_counts() if "role" in people.columns else pd.Series()
    return {role: int(counts.get(role, 0)) for role in ("mentor", "mentee", "both")}


def matching_ready(people: pd.DataFrame, issues: Iterable[Issue]) -> str | None:
    """Why matching cannot start yet, as a sentence, or ``None`` when it can.

    Parameters
    ----------
    people : pandas.DataFrame
    issues : iterable of Issue

    Returns
    -------
    str or None

    Examples
    --------
    >>> matching_ready(pd.DataFrame({"role": []}), [])
    'No members yet. Go to Upload and load a member file or the sample data.'
    >>> matching_ready(pd.DataFrame({"role": ["mentor", "mentee"]}), []) is None
    True
    """
    counts = members_by_role(people)
    if not len(people):
        return "No members yet. Go to Upload and load a member file or the sample data."
    errors = blocking_issues(issues)
    if errors:
        return (
            f"{len(errors)} problem(s) in the member files block matching. Go to Map and fix, "
            "correct them (or fix the file and upload it again), then come back."
        )
    if counts["mentee"] + counts["both"] == 0:
        return "No mentees were read. Check the role column on Map and fix."
    if counts["mentor"] + counts["both"] == 0:
        return "No mentors were read. Check the role column on Map and fix."
    return None


def mapping_table(
    headers: Mapping[str, Sequence[str]], chosen: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The column mapping as an editable table: one row per file and column.

    Parameters
    ----------
    headers : mapping
        ``{file name: [header, ...]}`` in file order.
    chosen : mapping, optional
        ``{header: field}`` the coordinator set before; overrides the guess (``""`` or
        ``"ignore"`` leaves the column out).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`MAPPING_COLUMNS`.

    Examples
    --------
    >>> mapping_table({"a.csv": ["Full name", "Colour"]}, {"Colour": "notes"}).values.tolist()
    [['a.csv', 'Full name', 'name'], ['a.csv', 'Colour', 'notes']]
    """
    from mentoring.reading.mapping import IGNORE, guess_mapping

    chosen = dict(chosen or {})
    rows = []
    for file, names in headers.items():
        guessed = guess_mapping(list(names))
        for header in names:
            field = chosen.get(header, guessed.get(header, ""))
            rows.append({"file": file, "column": header, "field": "" if field == IGNORE else field})
    return pd.DataFrame(rows, columns=list(MAPPING_COLUMNS), dtype=object)


def mapping_from_table(table: pd.DataFrame) -> dict[str, str]:
    """The explicit ``{header: field}`` mapping the loader takes, from an edited table.

    A blank field becomes ``"ignore"``, so a column the coordinator cleared stays out.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns :data:`MAPPING_COLUMNS`.

    Returns
    -------
    dict

    Examples
    --------
    >>> mapping_from_table(pd.DataFrame({"file": ["a", "a"], "column": ["Name", "X"],
    ...                                  "field": ["name", None]}))
    {'Name': 'name', 'X': 'ignore'}
    """
    from mentoring.reading.mapping import IGNORE

    missing = set(MAPPING_COLUMNS) - set(table.columns)
    if missing:
        raise ValueError(
            f"expected columns {', '.join(MAPPING_COLUMNS)}, got {list(table.columns)}"
        )
    out = {}
    for header, field in zip(table["column"], table["field"], strict=True):
        text = "" if field is None or (isinstance(field, float) and math.isnan(field)) else field
        out[str(header)] = str(text).strip() or IGNORE
    return out


def mapping_used(
    mappings: Mapping[str, Mapping[str, str]], unmapped: Mapping[str, Sequence[str]]
) -> dict[str, str]:
    """One ``{header: field}`` mapping from what the loader used per file, left-out columns
    as ``"ignore"``: what the app saves and offers for editing.

    Parameters
    ----------
    mappings : mapping
        ``LoadReport.mappings``: ``{file: {header: field}}``.
    unmapped : mapping
        ``LoadReport.unmapped``: ``{file: (header, ...)}``.

    Returns
    -------
    dict
        The first file that maps a header decides its field.

    Examples
    --------
    >>> mapping_used({"a.csv": {"Name": "name"}, "b.csv": {"Name": "name", "Mail": "email"}},
    ...              {"a.csv": ("Colour",)})
    {'Name': 'name', 'Mail': 'email', 'Colour': 'ignore'}
    """
    from mentoring.reading.mapping import IGNORE

    used: dict[str, str] = {}
    for per_file in mappings.values():
        for header, field in per_file.items():
            used.setdefault(header, field)
    for headers in unmapped.values():
        for header in headers:
            used.setdefault(header, IGNORE)
    return used


def apply_past_matches(
    people: pd.DataFrame, past_files: Sequence[tuple[str, bytes]], config: MatchConfig
) -> HistoryPlan:
    """This year's members and settings with earlier years' matches applied.

    Past pairs are kept apart this year unless both asked to continue, continuing pairs are
    preferred, and mentors who carried a heavy load get one place fewer (see
    :func:`mentoring.reading.history.plan_history`).

    Parameters
    ----------
    people : pandas.DataFrame
        This year's people table.
    past_files : sequence of (name, bytes)
        Earlier match files (our own matches export, CSV or XLSX), the year in the name or in
        a ``year`` column; none gives the members back unchanged.
    config : MatchConfig
        This year's settings.

    Returns
    -------
    mentoring.reading.history.HistoryPlan
        ``people`` and ``config`` to save, and ``changes`` (member_id, field, action, detail).

    Raises
    ------
    LoadError
        When a past file lacks the id columns or a year; the message names the file.

    Examples
    --------
    >>> people = pd.DataFrame({"member_id": ["e", "r"], "name": ["E", "R"],
    ...     "role": ["mentee", "mentor"]})
    >>> past = [("matches_2025.csv", b"mentee_id,mentor_id\\ne,r\\n")]
    >>> plan = apply_past_matches(people, past, MatchConfig())
    >>> plan.changes[["member_id", "action"]].values.tolist()
    [['e', 'repeat forbidden']]
    """
    from mentoring.reading.history import CHANGE_COLUMNS, HistoryPlan, plan_history, read_history

    if not past_files:
        return HistoryPlan(
            people=people, config=config, changes=pd.DataFrame(columns=list(CHANGE_COLUMNS))
        )
    return plan_history(people, read_history(list(past_files)), config)
