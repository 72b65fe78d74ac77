"""Matches as files coordinators can open safely: CSV and XLSX bytes, and mail-merge lists.

Nothing here writes to disk: every function returns bytes for the caller to save or offer as a
download.

Safety
------
A cell that starts with ``=``, ``+``, ``-``, ``@``, tab, CR, LF or NUL is a formula to a
spreadsheet program, and member answers are typed by anyone. In CSV such a text cell gets a
leading apostrophe (:func:`safe_cell`); :func:`restore_cell` undoes it exactly, so export then
import gives back every value. In XLSX every text cell is a string cell (never a formula) marked
with Excel's quote prefix, so the value is kept as typed and stays text when edited (text that
already starts with apostrophes and then a formula character gets one more apostrophe, as in
CSV, so one rule undoes both). XLSX cannot
hold control characters other than tab and line breaks: they are dropped there, and every line
break (CR, CRLF or LF) is written as LF, as Excel does.

CSV files are UTF-8 with a byte-order mark, so Excel reads accents correctly, and every field is
quoted, so a carriage return inside an answer cannot split a row.

Privacy
-------
Demographic columns (:data:`mentoring.model.people.DEMOGRAPHIC_COLUMNS`) appear only when the caller
passes ``include_demographics=True`` for that export.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from mentoring.model.people import DEMOGRAPHIC_COLUMNS
from mentoring.model.results import UNMATCHED_COLUMNS, MatchResult
from mentoring.outputs.report import mentor_load
from mentoring.outputs.standing import member_standing

__all__ = [
    "FORMULA_TRIGGERS",
    "PAIRS_TABLE_COLUMNS",
    "export_bytes",
    "mail_merge",
    "matches_csv",
    "matches_xlsx",
    "pairs_table",
    "restore_cell",
    "safe_cell",
    "safe_frame_csv",
]

FORMULA_TRIGGERS = "=+-@\t\r\n\x00"
"""First characters that make a spreadsheet program treat a cell as a formula."""


PAIRS_TABLE_COLUMNS: tuple[str, ...] = (
    "mentee_id",
    "mentee_name",
    "mentee_email",
    "mentor_id",
    "mentor_name",
    "mentor_email",
    "score",
    "reasons",
    "status",
    "locked",
)
"""Columns of :func:`pairs_table` without demographics. ``status`` is the coordinator's review
(pending, approved, locked); ``locked`` is true only for a pair the coordinator locked (an
approved pair is kept on re-solve too, but it is not a lock)."""


# An apostrophe run followed by a trigger is escaped as well: otherwise a value that already
# starts with "'=" would lose its apostrophe on the way back.
_NEEDS_PREFIX = re.compile(r"'*[" + re.escape(FORMULA_TRIGGERS) + "]")


_HAS_PREFIX = re.compile(r"'+[" + re.escape(FORMULA_TRIGGERS) + "]")


_PREFIX_STARTS = frozenset(FORMULA_TRIGGERS + "'")


_JOIN = "; "


_DEMOGRAPHICS = tuple(sorted(DEMOGRAPHIC_COLUMNS))


def safe_cell(value: Any) -> Any:
    """A value a spreadsheet program will not run: formula-like text gets a leading ``'``.

    Text that starts with one of :data:`FORMULA_TRIGGERS` (possibly after apostrophes) gets one
    more apostrophe in front; numbers, booleans and other text are returned unchanged.

    Parameters
    ----------
    value : object
        One cell.

    Returns
    -------
    object
        The value, prefixed when it is formula-like text.

    Examples
    --------
    >>> safe_cell("=HYPERLINK(\\"http://example.org\\")")
    '\\'=HYPERLINK("http://example.org")'
    >>> safe_cell(-3), safe_cell("-3"), safe_cell("Ada")
    (-3, "'-3", 'Ada')
    """
    # Most cells start with a letter or a digit: one set lookup instead of a pattern match.
    if isinstance(value, str) and value[:1] in _PREFIX_STARTS and _NEEDS_PREFIX.match(value):
        return "'" + value
    return value


def restore_cell(text: str) -> str:
    """Undo :func:`safe_cell` on text read back from an exported CSV.

    Drops one leading apostrophe when apostrophes are followed by a formula trigger; any other
    text is returned as it is.

    Parameters
    ----------
    text : str
        One cell as read from the file.

    Returns
    -------
    str
        The original value.

    Examples
    --------
    >>> restore_cell("'=1+1"), restore_cell("''=x"), restore_cell("'tis")
    ('=1+1', "'=x", "'tis")
    """
    if _HAS_PREFIX.match(text):
        return text[1:]
    return text


def _check(result: object, people: object) -> tuple[MatchResult, pd.DataFrame]:
    if not isinstance(result, MatchResult):
        raise TypeError(f"expected a MatchResult, got {type(result).__name__}")
    if not isinstance(people, pd.DataFrame):
        raise TypeError(f"expected the people table (a DataFrame), got {type(people).__name__}")
    if "member_id" not in people.columns:
        raise ValueError(f"expected a people table with member_id, got {list(people.columns)}")
    return result, people


def _plain(value: Any) -> Any:
    """One cell as str, int, float or bool: tuples joined, missing values as ``""``."""
    kind = type(value)
    # Nearly every cell is already plain: a table of 130,000 pairs has over a million.
    if kind is str or kind is int or kind is bool:
        return value
    if kind is float:
        return "" if math.isnan(value) else value
    if isinstance(value, tuple | list | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return _JOIN.join(str(_plain(v)) for v in items)
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _plain_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {c: [_plain(v) for v in frame[c].tolist()] for c in frame.columns}, columns=frame.columns
    ).astype(object)


def _people_lookup(people: pd.DataFrame, column: str) -> dict[str, Any]:
    if column not in people.columns:
        return {}
    ids = people["member_id"].astype(str).tolist()
    return dict(zip(ids, people[column].tolist(), strict=True))


def _pair_column(
    pairs: pd.DataFrame, name: str, fallback: Mapping[str, Any], ids: pd.Series
) -> list[Any]:
    if name in pairs.columns:
        values = pairs[name].tolist()
        return [
            v if _plain(v) != "" else fallback.get(i, "")
            for v, i in zip(values, ids.tolist(), strict=True)
        ]
    return [fallback.get(i, "") for i in ids.tolist()]


Statuses = Mapping[tuple[str, str], str]


def pairs_table(
    result: MatchResult,
    people: pd.DataFrame,
    *,
    include_demographics: bool = False,
    statuses: Statuses | None = None,
) -> pd.DataFrame:
    """The matched pairs as plain cells: who with whom, how good, and why.

    Parameters
    ----------
    result : MatchResult
        The match; ``result.pairs`` has :data:`mentoring.model.results.PAIR_COLUMNS`.
    people : pandas.DataFrame
        The people table, used for names and emails missing from the pairs and for
        demographics.
    include_demographics : bool
        Add ``mentee_<column>`` and ``mentor_<column>`` for every demographic column. Off by
        default: special-category data leaves the tool only when the coordinator asks.
    statuses : mapping, optional
        ``{(mentee_id, mentor_id): status}`` from the review; a pair not in it is
        ``"pending"``. Without it (the command line) a pair the configuration locked reads
        ``"locked"`` and every other ``"pending"``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PAIRS_TABLE_COLUMNS` (then ``track`` when any pair counts under a track,
        then the demographic ones if asked), object dtype,
        one row per pair in the order of ``result.pairs``. Multi-valued cells are joined with
        ``"; "``; scores are rounded to 3 decimals; a missing value is ``""``.

    Examples
    --------
    >>> from mentoring.outputs.export import _example
    >>> result, people = _example()
    >>> pairs_table(result, people).loc[0, ["mentee_name", "mentor_name", "reasons"]].tolist()
    ['=Ada Quill', 'Bo Inkwell', 'shared interests: archives; same time zone']
    >>> "mentee_identities" in pairs_table(result, people).columns
    False
    """
    result, people = _check(result, people)
    pairs = result.pairs
    mentee_ids = pairs["mentee_id"].astype(str)
    mentor_ids = pairs["mentor_id"].astype(str)
    table = pd.DataFrame({"mentee_id": mentee_ids.tolist(), "mentor_id": mentor_ids.tolist()})
    for side, ids in (("mentee", mentee_ids), ("mentor", mentor_ids)):
        for what in ("name", "email"):
            table[f"{side}_{what}"] = _pair_column(
                pairs, f"{side}_{what}", _people_lookup(people, what), ids
            )
    scores = pairs["score"].astype(float) if "score" in pairs else pd.Series(np.nan, pairs.index)
    table["score"] = scores.round(3).tolist()
    table["reasons"] = pairs["reasons"].tolist() if "reasons" in pairs else ""
    if statuses is None:
        locked = pairs["locked"].tolist() if "locked" in pairs else [False] * len(pairs)
        table["status"] = ["locked" if bool(v) else "pending" for v in locked]
    else:
        table["status"] = [
            statuses.get((e, r), "pending") for e, r in zip(mentee_ids, mentor_ids, strict=True)
        ]
    table["locked"] = (table["status"] == "locked").tolist()
    columns = list(PAIRS_TABLE_COLUMNS)
    # Tracks (one mentor per kind of mentoring) only when the program uses them.
    if "track" in pairs and pairs["track"].astype(object).fillna("").astype(str).ne("").any():
        table["track"] = pairs["track"].fillna("").astype(str).tolist()
        columns.append("track")
    if include_demographics:
        for side, ids in (("mentee", mentee_ids), ("mentor", mentor_ids)):
            for column in _DEMOGRAPHICS:
                lookup = _people_lookup(people, column)
                table[f"{side}_{column}"] = [lookup.get(i, ()) for i in ids]
                columns.append(f"{side}_{column}")
    return _plain_frame(table[columns])


def _rows_as_csv(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO(newline="")
    # QUOTE_ALL: before CPython 3.11.9 a bare "\r" inside a field was written unquoted.
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([safe_cell(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        writer.writerow([safe_cell(_plain(v)) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def safe_frame_csv(frame: pd.DataFrame) -> bytes:
    """Any table (a report, a list of circles) as a CSV file safe to open in a spreadsheet.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; the index is not written. Tuples and lists are joined with ``"; "``,
        missing values written as empty cells.

    Returns
    -------
    bytes
        UTF-8 with byte-order mark, CRLF line ends, every field quoted, formula-like text
        prefixed with ``'``, as :func:`matches_csv`.

    Examples
    --------
    >>> frame = pd.DataFrame({"circle": [1], "members": [("=Ada", "Bo")]})
    >>> safe_frame_csv(frame).decode("utf-8-sig").splitlines()
    ['"circle","members"', '"1","\\'=Ada; Bo"']
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a DataFrame, got {type(frame).__name__}")
    return _rows_as_csv(frame)


def matches_csv(
    result: MatchResult,
    people: pd.DataFrame,
    *,
    include_demographics: bool = False,
    statuses: Statuses | None = None,
) -> bytes:
    """The pairs of :func:`pairs_table` as a CSV file Excel opens correctly and safely.

    Parameters
    ----------
    result : MatchResult
        The match.
    people : pandas.DataFrame
        The people table.
    include_demographics : bool
        Add the demographic columns (off by default).
    statuses : mapping, optional
        The review status of each pair (see :func:`pairs_table`).

    Returns
    -------
    bytes
        UTF-8 with byte-order mark, CRLF line ends, every field quoted, formula-like text
        prefixed with ``'``.

    Examples
    --------
    >>> from mentoring.outputs.export import _example
    >>> result, people = _example()
    >>> matches_csv(result, people).decode("utf-8-sig").splitlines()[1][:41]
    '"p1","\\'=Ada Quill","ada@example.org","p2"'
    """
    return _rows_as_csv(
        pairs_table(result, people, include_demographics=include_demographics, statuses=statuses)
    )


def _mentors_sheet(result: MatchResult, people: pd.DataFrame) -> pd.DataFrame:
    load = mentor_load(result, people, default_capacity=result.config.default_capacity)
    names = _people_lookup(people, "name")
    emails = _people_lookup(people, "email")
    table = pairs_table(result, people)
    for _, pair in table.iterrows():
        # A mentor missing from the people table is still listed under the name the pair gives.
        names.setdefault(pair["mentor_id"], pair["mentor_name"])
        emails.setdefault(pair["mentor_id"], pair["mentor_email"])
    mentees = {m: group for m, group in table.groupby("mentor_id", sort=True)}
    empty = table.iloc[:0]
    frame = pd.DataFrame(
        [
            {
                "mentor_id": mentor_id,
                "mentor_name": _plain(names.get(mentor_id, "")),
                "mentor_email": _plain(emails.get(mentor_id, "")),
                "load": n,
                "capacity": capacity,
                "mentee_names": _JOIN.join(map(str, mentees.get(mentor_id, empty)["mentee_name"])),
                "mentee_emails": _JOIN.join(
                    map(str, mentees.get(mentor_id, empty)["mentee_email"])
                ),
            }
            for mentor_id, n, capacity in load.itertuples(index=False, name=None)
        ],
        columns=[
            "mentor_id",
            "mentor_name",
            "mentor_email",
            "load",
            "capacity",
            "mentee_names",
            "mentee_emails",
        ],
    )
    # Coordinators look mentors up by name.
    frame = frame.sort_values(["mentor_name", "mentor_id"], kind="stable", key=_casefold)
    return _plain_frame(frame.reset_index(drop=True))


def _casefold(column: pd.Series) -> pd.Series:
    return column.astype(str).str.casefold()


def _unmatched_sheet(result: MatchResult) -> pd.DataFrame:
    unmatched = result.unmatched
    if "member_id" in unmatched.columns and len(unmatched):
        alone, _ = member_standing(result.pairs, unmatched)
        emails = dict(
            zip(
                unmatched["member_id"].astype(str),
                unmatched.get("email", pd.Series("", index=unmatched.index)),
                strict=True,
            )
        )
        unmatched = alone.assign(email=[emails.get(m, "") for m in alone["member_id"]])
    present = [c for c in UNMATCHED_COLUMNS if c in unmatched.columns]
    return _plain_frame(unmatched.reindex(columns=present))


def _xlsx_text(value: str) -> str:
    # XML turns a stored CR into LF on reading, so write the line break Excel itself uses.
    return ILLEGAL_CHARACTERS_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _write_sheet(workbook: Workbook, title: str, frame: pd.DataFrame) -> None:
    sheet = workbook.create_sheet(title)
    header_font = Font(bold=True)
    widths = []
    for j, column in enumerate(frame.columns, start=1):
        cell = sheet.cell(row=1, column=j)
        cell.value = _xlsx_text(str(column))
        cell.data_type = "s"
        cell.font = header_font
        widths.append(len(str(column)))
    for i, row in enumerate(frame.itertuples(index=False, name=None), start=2):
        for j, value in enumerate(row, start=1):
            value = _plain(value)
            cell = sheet.cell(row=i, column=j)
            if isinstance(value, str):
                text = _xlsx_text(value)
                if _HAS_PREFIX.match(text):
                    # Typed with its own apostrophe: add one, as in CSV, so that a loader that
                    # drops one apostrophe before a formula character gives the value back.
                    text = "'" + text
                cell.value = text
                # openpyxl makes any "=..." string a formula; force a string cell, and mark
                # formula-like text so Excel keeps it text when someone edits the cell.
                cell.data_type = "s"
                if text[:1] and text[0] in FORMULA_TRIGGERS:
                    cell.quotePrefix = True
                longest = max((len(line) for line in text.splitlines()), default=0)
            else:
                cell.value = value
                longest = len(str(value))
            widths[j - 1] = max(widths[j - 1], longest)
    for j, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"


def matches_xlsx(
    result: MatchResult,
    people: pd.DataFrame,
    *,
    include_demographics: bool = False,
    statuses: Statuses | None = None,
) -> bytes:
    """A workbook for the coordinator: sheets "Pairs", "Mentors" and "Unmatched".

    "Pairs" is :func:`pairs_table`; "Mentors" has one row per mentor with their mentees, load
    and capacity (blank capacities at the run's default); "Unmatched" lists everyone with no
    partner at all, with the reason (a member open to both roles who is matched on one side is
    not unmatched). Every text cell is a string cell, never a formula; the header row is
    frozen.

    Parameters
    ----------
    result : MatchResult
        The match.
    people : pandas.DataFrame
        The people table.
    include_demographics : bool
        Add the demographic columns to "Pairs" (off by default).
    statuses : mapping, optional
        The review status of each pair (see :func:`pairs_table`).

    Returns
    -------
    bytes
        An ``.xlsx`` file.

    Examples
    --------
    >>> import io, openpyxl
    >>> from mentoring.outputs.export import _example
    >>> result, people = _example()
    >>> book = openpyxl.load_workbook(io.BytesIO(matches_xlsx(result, people)))
    >>> book.sheetnames, book["Pairs"]["B2"].value, book["Pairs"]["B2"].data_type
    (['Pairs', 'Mentors', 'Unmatched'], '=Ada Quill', 's')
    """
    result, people = _check(result, people)
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets = (
        (
            "Pairs",
            pairs_table(
                result, people, include_demographics=include_demographics, statuses=statuses
            ),
        ),
        ("Mentors", _mentors_sheet(result, people)),
        ("Unmatched", _unmatched_sheet(result)),
    )
    for title, frame in sheets:
        _write_sheet(workbook, title, frame)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _first_name(name: str) -> str:
    return name.split()[0] if name.split() else ""


def mail_merge(
    result: MatchResult, people: pd.DataFrame, who: Literal["mentor", "mentee"]
) -> bytes:
    """A CSV for a mail merge: one row per matched mentor, or per matched mentee.

    Parameters
    ----------
    result : MatchResult
        The match.
    people : pandas.DataFrame
        The people table.
    who : {"mentor", "mentee"}
        ``"mentor"``: ``mentor_name, first_name, mentor_email, mentee_count, mentee_names,
        mentee_emails`` (mentees joined with ``"; "``). ``"mentee"``: ``mentee_name,
        first_name, mentee_email, mentor_name, mentor_email, reasons``.

    Returns
    -------
    bytes
        CSV in the format of :func:`matches_csv`, sorted by name (ignoring case) then id.
        Demographics are never included.

    Examples
    --------
    >>> from mentoring.outputs.export import _example
    >>> result, people = _example()
    >>> mail_merge(result, people, "mentor").decode("utf-8-sig").splitlines()[1]
    '"Bo Inkwell","Bo","bo@example.org","1","\\'=Ada Quill","ada@example.org"'
    """
    if who not in ("mentor", "mentee"):
        raise ValueError(f"expected who='mentor' or who='mentee', got {who!r}")
    table = pairs_table(result, people)
    if who == "mentee":
        out = table.sort_values(["mentee_name", "mentee_id"], kind="stable", key=_casefold)
        out = out.assign(first_name=[_first_name(str(n)) for n in out["mentee_name"]])
        columns = [
            "mentee_name",
            "first_name",
            "mentee_email",
            "mentor_name",
            "mentor_email",
            "reasons",
        ]
        return _rows_as_csv(out[columns])
    rows = []
    for mentor_id, group in table.groupby("mentor_id", sort=True):
        group = group.sort_values(["mentee_name", "mentee_id"], kind="stable", key=_casefold)
        name = group["mentor_name"].iloc[0]
        rows.append(
            {
                "mentor_id": mentor_id,
                "mentor_name": name,
                "first_name": _first_name(str(name)),
                "mentor_email": group["mentor_email"].iloc[0],
                "mentee_count": len(group),
                "mentee_names": _JOIN.join(str(n) for n in group["mentee_name"]),
                "mentee_emails": _JOIN.join(str(e) for e in group["mentee_email"]),
            }
        )
    columns = [
        "mentor_name",
        "first_name",
        "mentor_email",
        "mentee_count",
        "mentee_names",
        "mentee_emails",
    ]
    frame = pd.DataFrame(rows, columns=["mentor_id", *columns])
    frame = frame.sort_values(["mentor_name", "mentor_id"], kind="stable", key=_casefold)
    return _rows_as_csv(frame[columns])


def export_bytes(
    result: MatchResult, people: pd.DataFrame, fmt: Literal["csv", "xlsx"], **kw: Any
) -> bytes:
    """The matches as ``"csv"`` (:func:`matches_csv`) or ``"xlsx"`` (:func:`matches_xlsx`).

    Parameters
    ----------
    result : MatchResult
        The match.
    people : pandas.DataFrame
        The people table.
    fmt : {"csv", "xlsx"}
        File format, as the extension of the file to save.
    **kw
        Passed on (``include_demographics``).

    Returns
    -------
    bytes
        The file.

    Examples
    --------
    >>> from mentoring.outputs.export import _example
    >>> result, people = _example()
    >>> export_bytes(result, people, "xlsx")[:2], export_bytes(result, people, "csv")[:3]
    (b'PK', b'\\xef\\xbb\\xbf')
    """
    fmt_key = str(fmt).lower().lstrip(".")
    if fmt_key == "csv":
        return matches_csv(result, people, **kw)
    if fmt_key == "xlsx":
        return matches_xlsx(result, people, **kw)
    raise ValueError(f"expected fmt 'csv' or 'xlsx', got {fmt!r}")


def _example() -> tuple[MatchResult, pd.DataFrame]:
    """Two members and one pair for the doctests; the mentee's name is formula-like on purpose."""
    from mentoring.model.config import MatchConfig
    from mentoring.model.people import empty_people
    from mentoring.model.results import PAIR_COLUMNS, AuditReport, MatchStats

    people = pd.concat(
        [
            empty_people(),
            pd.DataFrame(
                {
                    "member_id": ["p1", "p2"],
                    "name": ["=Ada Quill", "Bo Inkwell"],
                    "email": ["ada@example.org", "bo@example.org"],
                    "role": ["mentee", "mentor"],
                    "identities": [("woman",), ()],
                    "identity_preference": [("woman",), ()],
                }
            ),
        ],
        ignore_index=True,
    )
    pairs = pd.DataFrame(
        {
            "mentee_id": ["p1"],
            "mentee_name": ["=Ada Quill"],
            "mentee_email": ["ada@example.org"],
            "mentor_id": ["p2"],
            "mentor_name": ["Bo Inkwell"],
            "mentor_email": ["bo@example.org"],
            "score": [0.8125],
            "reasons": [("shared interests: archives", "same time zone")],
            "locked": [False],
        }
    ).reindex(columns=list(PAIR_COLUMNS))
    unmatched = pd.DataFrame(columns=list(UNMATCHED_COLUMNS))
    stats = MatchStats(1, 1, 1, 0, 0, 0.8125, 0.8125, 0.8125, 1, 1, 1, 0.0, True, 0.8125)
    result = MatchResult(
        pairs=pairs,
        unmatched=unmatched,
        alternatives=pd.DataFrame(),
        stats=stats,
        config=MatchConfig(),
        audit=AuditReport(ok=True),
    )
    return result, people
