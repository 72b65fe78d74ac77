"""Members as the coordinator sees them: counts by role, whether matching can start, the column
mapping as an editable table, and past match files applied to the cohort.

>>> import pandas as pd
>>> members_by_role(pd.DataFrame({"role": ["mentor", "mentee", "both"]}))
{'mentor': 1, 'mentee': 1, 'both': 1}
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from mentoring.model.config import MatchConfig
from mentoring.model.errors import Issue

if TYPE_CHECKING:
    from mentoring.reading.history import HistoryPlan
    from mentoring.reading.loader import LoadReport

__all__ = [
    "DUPLICATE_CHOICES",
    "FIELD_LABELS",
    "MAPPING_COLUMNS",
    "NOT_USED",
    "apply_past_matches",
    "blocking_issues",
    "field_label",
    "load_member_files",
    "mapping_from_table",
    "mapping_table",
    "mapping_used",
    "matching_ready",
    "members_by_role",
    "repeated_submissions",
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


DUPLICATE_CHOICES: dict[str, str] = {
    "keep_latest": "Keep their latest response",
    "keep_first": "Keep their first response",
    "report": "Treat it as an error I will fix in the file",
}
"""What to do when a member submitted the form twice, as offered to the coordinator."""


_DUPLICATE_AT = re.compile(r"as (?P<file>.+) row (?P<row>\d+);")


def load_member_files(
    files: Sequence[tuple[str, bytes]],
    *,
    roles: Mapping[str, str] | None = None,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
    duplicates: str = "keep_latest",
    questions: Mapping[str, Mapping[str, Any]] | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> LoadReport:
    """Read member files; a member who submitted twice keeps their latest response by default.

    Parameters
    ----------
    files : sequence of (name, bytes)
    roles, sheet, mapping
        As for :func:`mentoring.reading.loader.load_members`.
    questions : mapping, optional
        The coordinator's word on columns, ``{header: {setting: value}}`` (the shape of a TOML
        ``[questions."Header"]`` table; see :func:`mentoring.model.questions.question_overrides`):
        what Map and fix applies when a column's use, kind, pairing, weight or levels change.
    duplicates : {"keep_latest", "keep_first", "report"}
        ``"keep_latest"`` (the default): a repeated submission is a warning and the later row
        is used; ``"keep_first"``: a warning, the first row used; ``"report"``: an error that
        blocks matching until the file is fixed.
    progress : callable, optional
        ``progress(fraction, message)`` while reading (a repeat that must be read again
        reports its second reading too).

    Returns
    -------
    mentoring.reading.loader.LoadReport
        With ``"keep_latest"``, each repeated submission is one ``duplicate_member`` warning
        naming both rows. When a repeat cannot be rewritten safely (it lies in a workbook or
        across files), the first row is used and the warning says so.

    Examples
    --------
    >>> data = b"id,name,role,interests\\n1,Ana,mentor,archives\\n2,Bo,mentee,x\\n2,Bo,mentee,y\\n"
    >>> report = load_member_files([("m.csv", data)])
    >>> report.people.set_index("member_id").loc["2", "interests"], report.has_errors
    (('y',), False)
    >>> [i.severity for i in report.issues if i.code == "duplicate_member"]
    ['warning']
    >>> form = b"id,name,role,Site\\n1,Ana,mentor,North\\n2,Bo,mentee,North\\n3,Cy,mentee,South\\n"
    >>> [c.name for c in load_member_files([("f.csv", form)]).criteria]
    ['site']
    >>> load_member_files([("f.csv", form)], questions={"Site": {"use": "ignored"}}).criteria
    ()
    """
    from mentoring.reading.loader import load_members

    if duplicates not in DUPLICATE_CHOICES:
        raise ValueError(f"expected duplicates as one of {', '.join(DUPLICATE_CHOICES)}")
    options: dict[str, Any] = {
        "mapping": mapping,
        "roles": roles or None,
        "sheet": sheet,
        "questions": questions or None,
        "progress": progress,
    }
    if duplicates != "keep_latest":
        return load_members(list(files), duplicates=duplicates, **options)
    first = load_members(list(files), duplicates="keep_first", **options)
    repeats = [i for i in first.issues if i.code == "duplicate_member"]
    if not repeats:
        return first
    rewritten = _without_earlier_rows(files, repeats, sheet)
    if rewritten is None:
        return _relabelled(first, repeats, latest=False)
    sources, blanked = rewritten
    second = load_members(sources, duplicates="keep_first", **options)
    if any(i.code == "duplicate_member" for i in second.issues):
        return _relabelled(first, repeats, latest=False)
    kept = [i for i in second.issues if i.code != "blank_rows"]
    kept += [i for i in first.issues if i.code == "blank_rows"]
    return dataclasses.replace(
        second,
        issues=tuple(kept) + tuple(_latest_issue(i, blanked) for i in repeats),
        rows_read=first.rows_read,
        rows_kept=first.rows_kept,
        rows_dropped=first.rows_dropped,
        encodings=first.encodings,
    )


def repeated_submissions(issues: Iterable[Issue]) -> int:
    """How many repeated submissions the issues report.

    Examples
    --------
    >>> repeated_submissions([Issue("a.csv", 3, None, "duplicate_member", "same", "warning")])
    1
    """
    return sum(1 for i in issues if i.code == "duplicate_member")


def _earlier_row(issue: Issue) -> tuple[str, int] | None:
    found = _DUPLICATE_AT.search(issue.message)
    return None if found is None else (found["file"], int(found["row"]))


def _without_earlier_rows(
    files: Sequence[tuple[str, bytes]], repeats: Sequence[Issue], sheet: str | None
) -> tuple[list[tuple[str, bytes]], dict[tuple[str, int], int]] | None:
    """The files with each repeated member's earlier rows blanked (row numbers unchanged), or
    ``None`` when that cannot be done safely; also ``{(file, earlier row): latest row}``."""
    from mentoring.reading.ingest import read_tables

    latest: dict[tuple[str, int], int] = {}
    for issue in repeats:
        earlier = _earlier_row(issue)
        if earlier is None or earlier[0] != issue.file or issue.row is None:
            return None
        latest[earlier] = max(latest.get(earlier, 0), int(issue.row))
    # A member repeated three times: blank every row but the last.
    later_rows = {(i.file, int(i.row or 0)) for i in repeats}
    blank: dict[str, set[int]] = {}
    for (file, row), last in latest.items():
        blank.setdefault(file, set()).add(row)
        blank[file] |= {r for f, r in later_rows if f == file and row < r < last}
    tables = {t.source: t for t in read_tables(list(files), sheet=sheet)[0]}
    out = []
    for name, data in files:
        if name not in blank:
            out.append((name, data))
            continue
        table = tables.get(name)
        if table is None or table.encoding is None:
            return None
        text = _csv_with_blank_rows(table, blank[name])
        check = read_tables([(name, text)])[0]
        if len(check) != 1 or list(check[0].row_numbers) != [
            r for r in table.row_numbers if r not in blank[name]
        ]:
            return None
        out.append((name, text))
    return out, latest


def _csv_with_blank_rows(table: Any, rows: set[int]) -> bytes:
    import csv
    import io

    width = len(table.frame.columns)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    header_row = (table.row_numbers[0] if table.row_numbers else 2) - 1
    line = 1
    while line < header_row:
        writer.writerow([""] * width)
        line += 1
    writer.writerow([str(c) for c in table.frame.columns])
    for number, values in zip(
        table.row_numbers, table.frame.itertuples(index=False, name=None), strict=True
    ):
        while line + 1 < number:
            writer.writerow([""] * width)
            line += 1
        writer.writerow([""] * width if number in rows else list(values))
        line += 1
    return buffer.getvalue().encode("utf-8")


def _latest_issue(issue: Issue, blanked: Mapping[tuple[str, int], int]) -> Issue:
    earlier = _earlier_row(issue)
    last = blanked.get(earlier) if earlier else None
    return dataclasses.replace(
        issue,
        severity="warning",
        message=(
            f"Submitted more than once: {issue.file} rows {earlier[1] if earlier else '?'} and "
            f"{issue.row}; the latest response (row {last or issue.row}) is used."
        ),
        hint="Nothing to do if the latest response is right; otherwise choose to keep the "
        "first response.",
    )


def _relabelled(report: LoadReport, repeats: Sequence[Issue], *, latest: bool) -> LoadReport:
    notes = tuple(
        dataclasses.replace(
            i,
            severity="warning",
            hint="The latest response could not be picked automatically here (the rows are "
            "in a workbook or in different files); delete the row you do not want and load "
            "again if the first one is wrong.",
        )
        for i in repeats
    )
    others = tuple(i for i in report.issues if i.code != "duplicate_member")
    return dataclasses.replace(report, issues=others + notes)


FIELD_LABELS: dict[str, str] = {
    "member_id": "Member ID",
    "name": "Full name",
    "email": "Email address",
    "role": "Mentor, mentee or both",
    "interests": "Areas of interest",
    "offers": "What they can offer (mentors)",
    "seeks": "What they hope to gain (mentees)",
    "library_type": "Library type",
    "divisions": "Divisions and round tables",
    "chapter": "State chapter",
    "career_stage": "Career stage",
    "years_experience": "Years in libraries",
    "timezone": "Time zone",
    "languages": "Languages",
    "meeting_mode": "How they prefer to meet",
    "capacity": "Mentees they can take",
    "institution": "Institution or employer",
    "identities": "Self-described identity",
    "identity_preference": "Wants a mentor sharing their identity",
    "priority": "Priority program",
    "past_partners": "Past partners",
    "preferred_mentors": "Chosen mentors",
    "job_title": "Job title",
    "open_to_peer": "Open to peer mentoring",
    "notes": "Notes",
    "first_name": "First name",
    "last_name": "Last name",
    "both_flag": "Willing to do both (yes/no)",
    "identity_wants_match": "Wants an identity match (yes/no)",
}
"""A plain label for every field a column can be mapped to (what Map and fix offers)."""

NOT_USED = "(not used)"
"""How a column left out of the mapping is shown, in the editor and in the saved view alike."""


def field_label(field: str) -> str:
    """The plain label of a mapping field; a column left out reads :data:`NOT_USED`.

    Examples
    --------
    >>> field_label("both_flag"), field_label("ignore"), field_label("")
    ('Willing to do both (yes/no)', '(not used)', '(not used)')
    """
    if field in ("", "ignore", None):
        return NOT_USED
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())
