"""Records of text cells into a :class:`RawTable`: headers found, rows checked, limits kept.

:func:`_to_table` is shared by CSV files and workbook sheets. It skips title rows above the
header, joins the several header rows some survey tools write, names answered columns that
have no header, flags rows with extra or missing fields, counts blank rows, and refuses a table
far larger than any member list, with its numbers.

>>> records = [(1, ["Name", "", "Role"]), (2, ["Ada", "x", "Mentor"]), (4, ["Bo", "", "Mentee"])]
>>> t = _to_table("m.csv", None, records, None, ",", 10, [])
>>> list(t.frame.columns), t.row_numbers
(['Name', 'Column B', 'Role'], (2, 4))
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from mentoring.model.errors import Issue, LoadError
from mentoring.reading.values import _shown

__all__ = ["RawTable"]


# Our exporter puts one apostrophe before a formula trigger, or before a run of apostrophes that
# ends in one (so a value already starting with "'=" survives); drop exactly that one.
_ESCAPED_FORMULA = re.compile(r"^'(?='*[=+\-@\t\r\n\x00])")


@dataclass(frozen=True)
class RawTable:
    """One sheet or CSV file as text, before any column is interpreted.

    ``frame`` holds only ``str`` cells under the original header text (already checked for
    duplicate headers; fully blank rows removed). ``row_numbers[i]`` is the spreadsheet row of
    ``frame.iloc[i]``, the header being row 1 unless blank rows precede it.

    ``raw_headers[j]`` holds the header cells of column ``j``, top row first: one cell for an
    ordinary file, two or three for exports that write several header rows (SurveyMonkey's
    option row, Qualtrics' export codes and ImportId row); the presented header in ``frame``
    is built from them as ``tests/data/forms/README.md`` describes. ``first_row_member`` says
    the header row looks like a member's answers (the file may have no header row);
    ``origin`` is the position of the source it came from among those given to ``read_tables``.

    >>> from mentoring.reading.ingest import read_tables
    >>> t = read_tables([("a.csv", b"Name\\nAda\\n")])[0][0]
    >>> t.source, t.sheet, t.encoding, t.row_numbers, t.raw_headers
    ('a.csv', None, 'utf-8', (2,), (('Name',),))
    """

    source: str
    sheet: str | None
    frame: pd.DataFrame
    encoding: str | None
    delimiter: str | None
    row_numbers: tuple[int, ...]
    raw_headers: tuple[tuple[str, ...], ...] = ()
    first_row_member: bool = False
    origin: int = 0


def _excel_column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _clean(cell: str) -> str:
    return _ESCAPED_FORMULA.sub("", cell)


def _to_table(
    name: str,
    sheet: str | None,
    records: list[tuple[int, list[str]]],
    encoding: str | None,
    delimiter: str | None,
    max_rows: int,
    issues: list[Issue],
    *,
    more: bool = False,
    header: bool = True,
) -> RawTable:
    """Records into a table of text: headers found, member rows checked, blank rows counted.

    ``more`` says the records stop at the row limit (a workbook read no further); ``header``
    ``False`` reads every row as a member, under columns called "Column A", "Column B"...
    """
    where = f"{name}, sheet {sheet!r}" if sheet is not None else name
    # Blank is judged on what the cell says, so our own escaped "'\r" is as blank as "\r"
    # (only a cell that starts with a quote can be escaped).
    nonblank = [
        (row, cells)
        for row, cells in records
        if any(c.strip() and (c[:1] != "'" or _clean(c).strip()) for c in cells)
    ]
    if not nonblank:
        raise LoadError(
            f"{where}: no members found; it holds only blank rows. Check that you exported the "
            "right sheet or form, with its answers."
        )
    if header:
        names_row, raw, header_row, body = _find_header(name, nonblank, issues)
    else:
        width = max(len(cells) for _, cells in nonblank)
        names_row = [f"Column {_excel_column(i)}" for i in range(width)]
        raw, header_row, body = [(h,) for h in names_row], 0, nonblank
    if not body:
        blanks = len(records) - 1
        below = f" and {blanks} blank row(s)" if blanks else ""
        raise LoadError(
            f"{where}: no members found; the file has a header row{below} but no member rows. "
            "Export it again after people have answered, or check you chose the right file."
        )
    if len(body) > max_rows or more:
        count = (
            f"more than the limit of {max_rows} member rows (reading stopped there)"
            if more
            else f"{len(body)} member rows, more than the limit of {max_rows}"
        )
        raise LoadError(f"{where}: {count}. Split the members into several files.")
    width = max((i + 1 for i, h in enumerate(names_row) if h), default=0)
    # Each column is looked at only until its first answer.
    columns = set(range(max(len(cells) for _, cells in body)))
    unanswered = set(columns)
    for _, cells in body:
        if not unanswered:
            break
        size = len(cells)
        unanswered -= {i for i in unanswered if i < size and cells[i].strip()}
    answered = columns - unanswered
    keep: list[int] = []
    names: list[str] = []
    for i in range(width):
        if names_row[i]:
            keep.append(i)
            names.append(names_row[i])
        elif i in answered:
            label = f"Column {_excel_column(i)}"
            keep.append(i)
            names.append(label)
            issues.append(
                Issue(
                    name,
                    header_row,
                    label,
                    "blank_header",
                    f'column {_excel_column(i)} has answers but no header; it is called "{label}".',
                    "info",
                    hint="Give the column a header so it can be matched to a field.",
                )
            )
    _check_size(where, len(body), len(keep))
    _check_duplicate_headers(where, names, keep)
    if header and (looks := _member_like(names_row)):
        issues.append(_header_is_member(name, header_row, looks))
    rows, numbers = _body_rows(name, body, width, keep, delimiter, issues)
    last = max(row for row, _ in records)
    blank_count, blank_text = _gaps(header_row, numbers, last)
    if blank_count:
        issues.append(
            Issue(
                name,
                None,
                None,
                "blank_rows",
                f"{blank_count} blank row(s) were ignored ({blank_text}).",
                "info",
            )
        )
    frame = pd.DataFrame(rows, columns=names, dtype=object)
    raw_kept = tuple(
        raw[i] if i < len(raw) and any(raw[i]) else (names[k],) for k, i in enumerate(keep)
    )
    return RawTable(
        name,
        sheet,
        frame,
        encoding,
        delimiter,
        tuple(numbers),
        raw_kept,
        first_row_member=bool(header and looks),
    )


_MAX_TABLE_CELLS = 5_000_000


_MAX_COLUMNS = 16_384


def _check_size(where: str, rows: int, columns: int) -> None:
    """Refuse a table far larger than any member list before anything is built from it."""
    if columns > _MAX_COLUMNS or rows * columns > _MAX_TABLE_CELLS:
        raise LoadError(
            f"{where}: {rows} member rows by {columns} columns is more than the "
            f"{_MAX_TABLE_CELLS:,} cells (or {_MAX_COLUMNS:,} columns) a member list may have. "
            "Delete the columns the matching does not need, or split the members into "
            "several files."
        )


def _find_header(
    name: str, nonblank: list[tuple[int, list[str]]], issues: list[Issue]
) -> tuple[list[str], list[tuple[str, ...]], int, list[tuple[int, list[str]]]]:
    """The header cells, each column's raw header cells, the header's row, and the body."""
    start = _header_index(nonblank)
    if start:
        title = " / ".join(c.strip() for _, cells in nonblank[:start] for c in cells if c.strip())
        issues.append(
            Issue(
                name,
                nonblank[0][0],
                None,
                "title_rows_skipped",
                f"{_ranges([row for row, _ in nonblank[:start]])} ({title[:80]!r}) look like a "
                f"title, not column headers; the headers were read from row {nonblank[start][0]}.",
                "info",
                hint="Nothing to do if the columns look right.",
            )
        )
    header_row, _ = nonblank[start]
    header, raw, n_extra, tool = _header_block([cells for _, cells in nonblank[start : start + 3]])
    if n_extra:
        header_row = nonblank[start + n_extra][0]
        issues.append(
            Issue(
                name,
                nonblank[start][0],
                None,
                "header_rows",
                f"{_ranges([row for row, _ in nonblank[start : start + n_extra + 1]])} are all "
                f"headers, as {tool} writes them; the members start on row "
                f"{nonblank[start + n_extra + 1][0] if len(nonblank) > start + n_extra + 1 else '-'}.",
                "info",
                hint="Nothing to do if the columns look right.",
            )
        )
    return header, raw, header_row, nonblank[start + 1 + n_extra :]


_EMAIL_CELL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


_NUMBER_CELL = re.compile(r"^[+-]?\d+([.,]\d+)?$")


def _member_like(header: list[str]) -> str:
    """A header cell that is an answer (an email address, or numbers), quoted; else ``""``.

    >>> _member_like(["Ada", "ada@x.org", "Mentor"]), _member_like(["Name", "rank", "0", "1", "2"])
    ("'ada@x.org'", '')
    >>> _member_like(["Ada", "2", "5.5"])
    "'2', '5.5'"
    """
    cells = [" ".join(c.split()) for c in header if c.strip()]
    email = next((c for c in cells if _EMAIL_CELL.match(c)), "")
    if email:
        return _shown(email)
    numbers = [c for c in cells if _NUMBER_CELL.match(c)]
    if len(numbers) < 2:
        return ""
    # Columns numbered 0, 1, 2, ... (ranked choices) are headers; other numbers are answers.
    if all(c.isdigit() for c in numbers):
        values = [int(c) for c in numbers]
        if values == list(range(values[0], values[0] + len(values))):
            return ""
    return ", ".join(_shown(c) for c in numbers[:2])


def _header_is_member(name: str, row: int, looks: str) -> Issue:
    return Issue(
        name,
        row,
        None,
        "header_is_member",
        f"row {row} holds {looks}, which is an answer, not a column header: the file seems to "
        "have no header row, so this member was read as the headers and is not among the "
        "members.",
        "warning",
        hint="Add a header row (such as Name, Email, Role) above the first member, or load "
        "the file with 'the first row is a member' (header=False), which calls the columns "
        "Column A, Column B, ... for you to map.",
    )


def _body_rows(
    name: str,
    body: list[tuple[int, list[str]]],
    width: int,
    keep: list[int],
    delimiter: str | None,
    issues: list[Issue],
) -> tuple[list[list[str]], list[int]]:
    """Each member row's kept cells; extra and missing fields reported on their row."""
    rows: list[list[str]] = []
    numbers: list[int] = []
    every = keep == list(range(width))
    for row, cells in body:
        extra = [c for c in cells[width:] if c.strip()]
        if extra:
            shown = ", ".join(repr(c[:40]) for c in extra[:3])
            issues.append(
                Issue(
                    name,
                    row,
                    None,
                    "row_extra_fields",
                    f"this row has {len(cells)} values but the header has {width} columns; the "
                    f"extra value(s) {shown} were not read.",
                    "warning",
                    hint="Look for an unquoted comma or separator inside an answer in this row.",
                )
            )
        # Workbooks store no trailing empty cells, so only a short CSV row means something.
        elif delimiter is not None and len(cells) < width:
            issues.append(
                Issue(
                    name,
                    row,
                    None,
                    "row_short",
                    f"this row has only {len(cells)} of the {width} columns; the missing ones "
                    "were read as blank.",
                    "warning",
                    hint="Check that the row was not cut or split over two lines.",
                )
            )
        size = len(cells)
        kept = cells if every and size == width else [cells[i] if i < size else "" for i in keep]
        # Only a cell that starts with a quote can be an escaped formula; one search of the row
        # finds any such cell (a cell holding NUL only costs a needless cleaning).
        if "\x00'" in "\x00" + "\x00".join(kept):
            kept = [_clean(c) for c in kept]
        rows.append(kept)
        numbers.append(row)
    return rows, numbers


def _gaps(after: int, numbers: list[int], last: int) -> tuple[int, str]:
    """Rows after ``after`` up to ``last`` that are not in ``numbers``: how many, and which."""
    spans: list[tuple[int, int]] = []
    previous = after
    for n in [*numbers, last + 1]:
        if n > previous + 1:
            spans.append((previous + 1, n - 1))
        previous = max(previous, n)
    count = sum(b - a + 1 for a, b in spans)
    parts = [f"row {a}" if a == b else f"rows {a}-{b}" for a, b in spans[:5]]
    return count, ", ".join(parts) + (", ..." if len(spans) > 5 else "")


_SUBHEADER_LABELS = frozenset({"response", "open-ended response"})


_IMPORT_ID = re.compile(r'^\s*\{\s*"ImportId"\s*:')


def _header_block(top: list[list[str]]) -> tuple[list[str], list[tuple[str, ...]], int, str]:
    """The presented headers, each column's header cells, how many extra header rows, the tool.

    Qualtrics writes export codes, question text and an ImportId JSON row (the question text is
    presented); SurveyMonkey writes each question once over its options and a second row with
    the option labels ("Response" for a one-answer question), presented as ``Question - Option``.
    """
    rows = [[_clean(c.replace("\ufeff", "").strip()) for c in cells] for cells in top]
    first = rows[0]
    width = max(len(r) for r in rows)

    def cell(row: list[str], i: int) -> str:
        return row[i] if i < len(row) else ""

    def is_import_row(row: list[str]) -> bool:
        filled = [c for c in row if c]
        return bool(filled) and sum(bool(_IMPORT_ID.match(c)) for c in filled) >= 0.8 * len(filled)

    for extra in (2, 1):
        if len(rows) > extra and is_import_row(rows[extra]):
            shown = rows[1] if extra == 2 else first
            header = [cell(shown, i) or cell(first, i) for i in range(width)]
            raw = [tuple(cell(r, i) for r in rows[: extra + 1]) for i in range(width)]
            return header, raw, extra, "Qualtrics"
    if len(rows) > 1:
        second = rows[1]
        labels = sum(c.casefold() in _SUBHEADER_LABELS for c in second)
        under_blank = sum(1 for i in range(width) if not cell(first, i) and cell(second, i))
        # One "Response" over a blank first cell is as likely a member's answer as a
        # SurveyMonkey label row: a real one labels several questions or sits under a question
        # that spans its options.
        if labels and (under_blank or labels >= 2):
            header, raw, question = [], [], ""
            for i in range(width):
                top_cell, label = cell(first, i), cell(second, i)
                question = top_cell or question
                keep_label = label and label.casefold() not in _SUBHEADER_LABELS
                header.append(
                    f"{question} - {label}" if keep_label and question else question or label
                )
                raw.append((top_cell, label))
            return header, raw, 1, "SurveyMonkey"
    return first, [(c,) for c in first], 0, ""


def _header_index(nonblank: list[tuple[int, list[str]]]) -> int:
    """Skip title lines (one filled cell) above a header that has several filled cells."""
    filled = [sum(1 for c in cells if c.strip()) for _, cells in nonblank[:6]]
    if filled[0] != 1:
        return 0
    return next((i for i, count in enumerate(filled) if count >= 2), 0)


def _ranges(rows: Sequence[int]) -> str:
    parts: list[str] = []
    start = prev = rows[0]
    for r in [*rows[1:], None]:
        if r is not None and r == prev + 1:
            prev = r
            continue
        parts.append(f"row {start}" if start == prev else f"rows {start}-{prev}")
        if r is not None:
            start = prev = r
    return ", ".join(parts[:5]) + (", ..." if len(parts) > 5 else "")


def _check_duplicate_headers(where: str, names: list[str], positions: list[int]) -> None:
    seen: dict[str, int] = {}
    for header, pos in zip(names, positions, strict=True):
        key = " ".join(header.casefold().split())
        if key in seen:
            raise LoadError(
                f'{where}: the header "{header}" appears twice (columns '
                f"{_excel_column(seen[key])} and {_excel_column(pos)}), so it is unclear which "
                "one to use. Rename or delete one of them and load the file again."
            )
        seen[key] = pos
