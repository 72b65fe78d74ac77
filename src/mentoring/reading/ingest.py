"""Member files (CSV or Excel, as paths, uploads or file-likes) into raw tables of text.

Nothing here interprets a value: every cell comes back as the ``str`` the coordinator typed, so
``"007"`` keeps its zeros and a person called ``"None"`` keeps their name. What cannot be read at
all raises :class:`~mentoring.model.errors.LoadError` with a message saying which file, what is wrong
and what to do; everything else (odd encodings, ragged rows, blank rows, a sheet chosen for the
user) comes back as an :class:`~mentoring.model.errors.Issue`.

>>> tables, issues = read_tables([("members.csv", b"Name;Email\\nAda;ada@example.org\\n")])
>>> tables[0].delimiter, tables[0].frame.to_dict("records")
(';', [{'Name': 'Ada', 'Email': 'ada@example.org'}])
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import os
import re
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

from mentoring.model.errors import Issue, LoadError
from mentoring.reading.encoding import Decoded, decode, legacy_name
from mentoring.reading.sheets import _member_sheets
from mentoring.reading.tables import (
    RawTable,
    _ranges,
    _to_table,
)
from mentoring.reading.values import _shown
from mentoring.reading.workbook import SheetRead, open_book, read_sheet

__all__ = ["RawTable", "Source", "list_sheets", "read_tables"]

Source = str | os.PathLike[str] | tuple[str, bytes] | BinaryIO
"""A path, a ``(file name, bytes)`` pair as an upload arrives, or a binary file-like."""


_ZIP_MAGIC = b"PK\x03\x04"


_EMPTY_ZIP_MAGIC = b"PK\x05\x06"


_OLE2_MAGIC = b"\xd0\xcf\x11\xe0"


_OTHER_FORMATS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
)


_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xltx", ".xltm")


_DELIMITERS = (",", ";", "\t", "|")


_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


_SEP_LINE = re.compile(r'^\s*"?sep=(.)"?\s*$', re.IGNORECASE)


# A workbook is a zip of XML; real member lists unpack to a few MB. Far beyond that is a zip
# bomb, refused from the declared sizes before anything is decompressed.
_UNZIPPED_PER_INPUT_BYTE = 10


_MIN_UNZIPPED_LIMIT = 200_000_000


_SNIFF_LINES = 50


_LIST_SHEETS_MAX_BYTES = 20_000_000


# A file may hold as many members as the row limit allows with a few free-text answers each: a
# 50,000-row Google Forms export with two such questions is about 30 MB. (The app's own upload
# limit, in .streamlit/config.toml, is lower.)
MAX_FILE_BYTES = 100_000_000


def read_tables(
    sources: Source | Sequence[Source],
    *,
    sheet: str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    max_rows: int = 50_000,
    every_member_sheet: bool = False,
    header: bool = True,
) -> tuple[list[RawTable], list[Issue]]:
    """Read member files into tables of text, one per file (or per member sheet).

    Parameters
    ----------
    sources
        A path, a ``(name, bytes)`` pair, a binary file-like with ``.name``, or a list of those.
    sheet
        Sheet to read from workbooks; default: the first visible sheet that has data and is
        not instructions or drop-down lists (hidden sheets are passed over).
    max_bytes
        Refuse files larger than this.
    max_rows
        Refuse files with more member rows than this.
    every_member_sheet
        When no ``sheet`` is named, read every sheet of a workbook that holds members of the
        same programme (the same headers, or sheets named after a side such as "Mentors" and
        "Mentees"), one table each.
    header
        ``False`` when the files have no header row: every row is a member, and the columns
        are called "Column A", "Column B", ... (a file whose first row looks like a member
        gets a ``header_is_member`` warning otherwise).

    Returns
    -------
    tables, issues
        One :class:`RawTable` per file, and every problem that did not stop the reading.

    Raises
    ------
    LoadError
        When a file cannot be used at all (empty, damaged, password-protected, too large,
        no member rows, duplicate headers); the message says what to do.

    Examples
    --------
    >>> data = "sep=;\\nName;Role\\n'=Ada;Mentor\\n".encode("cp1252")
    >>> tables, issues = read_tables(("m.csv", data))
    >>> tables[0].frame.iloc[0].tolist(), tables[0].row_numbers
    (['=Ada', 'Mentor'], (2,))
    """
    items = _as_list(sources)
    if not items:
        raise LoadError("No member file was given. Choose at least one CSV or Excel file.")
    # A CSV field can legitimately be large (a pasted biography); the csv module's default
    # limit of 128 KiB would stop the whole file, so allow anything up to the file size limit.
    if csv.field_size_limit() < max_bytes + 1:
        csv.field_size_limit(max_bytes + 1)
    tables: list[RawTable] = []
    issues: list[Issue] = []
    seen: dict[str, int] = {}
    for origin, item in enumerate(items):
        name, data = _read_source(item, max_bytes)
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name = f"{name} ({seen[name]})"
        found_tables, found = _read_one(
            name,
            data,
            sheet=sheet,
            max_bytes=max_bytes,
            max_rows=max_rows,
            every_member_sheet=every_member_sheet,
            header=header,
        )
        tables.extend(replace(t, origin=origin) for t in found_tables)
        issues.extend(found)
    return tables, issues


def list_sheets(source: Source) -> list[str]:
    """Names of the sheets of a workbook, in workbook order (``[]`` for a CSV file).

    Parameters
    ----------
    source
        A path, a ``(name, bytes)`` pair or a binary file-like.

    Returns
    -------
    list of str
        Sheet names; empty when the file is not a workbook.

    Examples
    --------
    >>> list_sheets(("members.csv", b"Name\\nAda\\n"))
    []
    """
    name, data = _read_source(source, _LIST_SHEETS_MAX_BYTES)
    if not data.startswith(_ZIP_MAGIC):
        if data.startswith(_OLE2_MAGIC):
            raise LoadError(_ole2_message(name))
        return []
    _check_archive(name, data, _LIST_SHEETS_MAX_BYTES)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = open_book(name, data)
        book.archive.close()
        return book.names


def _as_list(sources: Any) -> list[Any]:
    if isinstance(sources, str | os.PathLike) or _is_pair(sources) or hasattr(sources, "read"):
        return [sources]
    if isinstance(sources, list | tuple):
        return list(sources)
    raise TypeError(
        "expected a path, a (name, bytes) pair, a binary file-like or a list of them, "
        f"got {type(sources).__name__}"
    )


def _is_pair(value: Any) -> bool:
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], str)
        and isinstance(value[1], bytes | bytearray | memoryview)
    )


def _too_big(name: str, size: int, max_bytes: int) -> LoadError:
    return LoadError(
        f"{name}: the file is {size / 1e6:.1f} MB, more than the limit of {max_bytes / 1e6:.1f} MB. "
        "Remove unused columns or sheets, or split the members into several files."
    )


def _read_source(item: Any, max_bytes: int) -> tuple[str, bytes]:
    if _is_pair(item):
        name, data = item[0], bytes(item[1])
    elif isinstance(item, str | os.PathLike):
        path = Path(item)
        name = path.name or str(path)
        try:
            size = path.stat().st_size
            if size > max_bytes:
                raise _too_big(name, size, max_bytes)
            data = path.read_bytes()
        except LoadError:
            # A LoadError is a ValueError too: the one below is for unusable file names.
            raise
        except FileNotFoundError as exc:
            raise LoadError(f"{path}: no such file. Check the name and the folder.") from exc
        except IsADirectoryError as exc:
            raise LoadError(f"{path}: this is a folder; choose a CSV or Excel file.") from exc
        except OSError as exc:
            raise LoadError(f"{path}: the file cannot be opened ({exc.strerror}).") from exc
        except ValueError as exc:
            raise LoadError(f"{str(path)[:80]!r} is not a usable file name ({exc}).") from exc
    elif hasattr(item, "read"):
        name = Path(str(getattr(item, "name", "") or "upload")).name
        # An upload may already have been read once (to list its sheets, say): read it whole
        # from the start, not from wherever the last reader left it.
        if callable(getattr(item, "getvalue", None)):
            raw = item.getvalue()
        else:
            if callable(getattr(item, "seekable", None)) and item.seekable():
                item.seek(0)
            raw = item.read(max_bytes + 1)
        data = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
    else:
        raise TypeError(
            f"expected a path, a (name, bytes) pair or a binary file-like, got {type(item).__name__}"
        )
    if len(data) > max_bytes:
        raise _too_big(name, len(data), max_bytes)
    return name, data


def _ole2_message(name: str) -> str:
    return (
        f"{name}: this is a password-protected workbook or an old Excel 97-2003 (.xls) file, "
        "which cannot be read. Open it in Excel, remove the password (File > Info > Protect "
        "Workbook), and save it as an Excel Workbook (.xlsx) or CSV UTF-8."
    )


def _read_one(
    name: str,
    data: bytes,
    *,
    sheet: str | None,
    max_bytes: int,
    max_rows: int,
    every_member_sheet: bool = False,
    header: bool = True,
) -> tuple[list[RawTable], list[Issue]]:
    if data.startswith(_OLE2_MAGIC):
        raise LoadError(_ole2_message(name))
    if data.startswith(_ZIP_MAGIC) or data.startswith(_EMPTY_ZIP_MAGIC):
        # openpyxl warns about workbook features it skips (data validation, odd relationships);
        # the cell values are still read and a coordinator can do nothing about the warning.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _read_workbook(
                name,
                data,
                sheet=sheet,
                max_bytes=max_bytes,
                max_rows=max_rows,
                every_member_sheet=every_member_sheet,
                header=header,
            )
    for magic, kind in _OTHER_FORMATS:
        if data.startswith(magic):
            raise LoadError(
                f"{name}: this is {kind}, not a spreadsheet. Export the member list as CSV "
                "UTF-8 or Excel (.xlsx) and load that file."
            )
    issues: list[Issue] = []
    if name.lower().endswith(_WORKBOOK_SUFFIXES) and data.strip():
        issues.append(
            Issue(
                name,
                None,
                None,
                "csv_renamed",
                "the file is named like an Excel workbook but holds plain text; it was read as CSV.",
                "info",
                hint="Nothing to do, unless the columns look wrong: then export it again.",
            )
        )
    decoded = decode(name, data)
    text = decoded.text
    issues.extend(decoded.issues)
    if re.match(r"\s*<(!doctype html|html)\b", text[:500], re.IGNORECASE):
        raise LoadError(
            f"{name}: this is a web page (HTML), not a spreadsheet; perhaps a sign-in page was "
            "saved instead of the file. Download the sheet itself (File > Download > CSV) and "
            "load that file."
        )
    if _is_json(text):
        raise LoadError(
            f"{name}: this is a JSON file, not a spreadsheet. Export the member list as CSV "
            "UTF-8 or Excel (.xlsx) and load that file."
        )
    table, found = _read_csv_text(name, decoded, max_rows, header=header)
    issues.extend(found)
    return [table], issues


def _is_json(text: str) -> bool:
    if text.lstrip()[:1] not in ("{", "["):
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _sniff(lines: list[str]) -> str:
    best, best_score = ",", (-1.0, 0)
    for delimiter in _DELIMITERS:
        rows = [r for r in csv.reader(lines, delimiter=delimiter) if any(c.strip() for c in r)]
        # A title line above the header has no delimiter; judge by the rows that split.
        wide = [r for r in rows if len(r) >= 2]
        if not wide:
            continue
        width = len(wide[0])
        body = wide[1:] or wide
        consistent = sum(len(r) == width for r in body) / len(body)
        score = (consistent * len(wide) / len(rows), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv_text(
    name: str, decoded: Decoded, max_rows: int, *, header: bool = True
) -> tuple[RawTable, list[Issue]]:
    issues: list[Issue] = []
    lines = io.StringIO(decoded.text, newline="").readlines()
    delimiter = None
    skipped = 0
    if lines and (m := _SEP_LINE.match(lines[0])):
        delimiter = m.group(1)
        lines = lines[1:]
        skipped = 1
    if not any(line.strip() for line in lines):
        raise LoadError(
            f"{name}: the file is empty. Export the member list again with its header row and "
            "at least one member."
        )
    if delimiter is None:
        delimiter = _sniff(lines[:_SNIFF_LINES])
    starts: list[int] = []
    records = _parse_records(name, lines, delimiter, issues, starts)
    if decoded.fallback is not None:
        odd = [line - skipped for line in decoded.odd_lines if line >= skipped]
        rows = sorted({records[bisect.bisect_right(starts, line) - 1][0] for line in odd})
        issues.append(_legacy_rows(name, decoded, rows, records))
    table = _to_table(
        name, None, records, decoded.encoding, delimiter, max_rows, issues, header=header
    )
    return table, issues


def _legacy_rows(
    name: str, decoded: Decoded, rows: list[int], records: list[tuple[int, list[str]]]
) -> Issue:
    """Rows read in a legacy encoding: name them, and show the first as it was read."""
    fallback = legacy_name(decoded.fallback or "")
    cells = dict(records).get(rows[0], []) if rows else []
    sample = next((c for c in cells if not c.isascii()), "")
    shown = f" (row {rows[0]} reads {_shown(sample)})" if sample else ""
    where = _ranges(rows) if rows else "some rows"
    if decoded.encoding == "utf-8":
        message = (
            f"{where} {'is' if len(rows) == 1 else 'are'} not valid UTF-8 like the rest of the "
            f"file; {'it was' if len(rows) == 1 else 'they were'} read as {fallback}{shown}."
        )
        code = "encoding_mixed"
    else:
        message = (
            f"the file is not UTF-8; it looks like {fallback} (as old Mac spreadsheet programs "
            f"save CSV) and was read so. Accented letters are in {where}{shown}."
        )
        code = "encoding_guessed"
    return Issue(
        name,
        rows[0] if len(rows) == 1 else None,
        None,
        code,
        message,
        "warning",
        hint="Check that the names in these rows look right; to be sure, save the file as "
        "CSV UTF-8 and load it again.",
    )


def _parse_records(
    name: str,
    lines: list[str],
    delimiter: str,
    issues: list[Issue],
    starts: list[int] | None = None,
) -> list[tuple[int, list[str]]]:
    """Records with their spreadsheet row; a quote that is never closed only spoils its line.

    ``starts`` (when given) receives the index of each record's first line in ``lines``.
    """
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(iter(lines), delimiter=delimiter)
    starts = [] if starts is None else starts
    while True:
        start = reader.line_num
        try:
            record = next(reader)
        except StopIteration:
            break
        starts.append(start)
        records.append((len(records) + 1, record))
    if records and _ends_inside_quotes(lines[starts[-1] :], delimiter):
        row, _ = records.pop()
        rest = lines[starts[-1] :]
        issues.append(
            Issue(
                name,
                row,
                None,
                "unclosed_quote",
                'a quotation mark (") opened in this row is never closed, so the rest of the '
                "file would have been read as one cell; each remaining line was read as its "
                "own row instead.",
                "warning",
                hint='Check this row for a stray " and remove it or close it.',
            )
        )
        first = starts.pop()
        for offset, line in enumerate(rest):
            fields = next(csv.reader([line], delimiter=delimiter, quoting=csv.QUOTE_NONE), [])
            records.append((row + offset, fields))
            starts.append(first + offset)
    return records


def _ends_inside_quotes(lines: list[str], delimiter: str) -> bool:
    try:
        list(csv.reader(iter(lines), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _check_archive(name: str, data: bytes, max_bytes: int) -> None:
    """Refuse damaged zips, zip bombs and zips that are not workbooks, before parsing any XML."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    # zipfile raises NotImplementedError for zip features newer than it knows, found by fuzzing.
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise LoadError(
            f"{name}: the workbook is incomplete or damaged (perhaps cut off during download). "
            "Download or export it again, or save it from Excel as CSV UTF-8."
        ) from exc
    limit = max(_MIN_UNZIPPED_LIMIT, _UNZIPPED_PER_INPUT_BYTE * max_bytes)
    unpacked = sum(max(info.file_size, 0) for info in infos)
    if unpacked > limit:
        raise LoadError(
            f"{name}: the workbook would unpack to {unpacked / 1e6:.0f} MB, more than the "
            f"{limit / 1e6:.0f} MB allowed; it is not an ordinary member list. Export the "
            "members as CSV UTF-8 instead."
        )
    members = {info.filename for info in infos}
    if "xl/workbook.xml" not in members:
        kind = (
            "a Word document"
            if "word/document.xml" in members
            else "an OpenDocument file"
            if "content.xml" in members
            else "a zip archive"
        )
        raise LoadError(
            f"{name}: this is {kind}, not an Excel workbook. Save the member list as an Excel "
            "workbook (.xlsx) or CSV UTF-8 and load that file."
        )


def _read_workbook(
    name: str,
    data: bytes,
    *,
    sheet: str | None,
    max_bytes: int,
    max_rows: int,
    every_member_sheet: bool = False,
    header: bool = True,
) -> tuple[list[RawTable], list[Issue]]:
    _check_archive(name, data, max_bytes)
    book = open_book(name, data)
    names = book.names
    reads: dict[str, SheetRead] = {}

    def read(title: str) -> list[tuple[int, list[str]]]:
        reads[title] = read_sheet(name, book, title, max_rows)
        return reads[title].records

    try:
        if sheet is not None and sheet not in names:
            raise LoadError(
                f"{name}: there is no sheet called {sheet!r}; the sheets are "
                f"{', '.join(repr(n) for n in names)}. Choose one of those."
            )
        if sheet is not None:
            records = read(sheet)
            if not records:
                others = [n for n in names if n != sheet]
                also = f" Other sheets: {', '.join(repr(n) for n in others)}." if others else ""
                raise LoadError(
                    f"{name}: no members found; sheet {sheet!r} is empty.{also} Choose the sheet "
                    "that holds the member list."
                )
            chosen: list[tuple[str, list[tuple[int, list[str]]]]] = [(sheet, records)]
            skipped: list[tuple[str, str]] = []
        else:
            states = [(title, book.state(title)) for title in names]
            chosen, skipped = _member_sheets(name, states, read, every_member_sheet)
    finally:
        book.archive.close()
    issues: list[Issue] = []
    if sheet is None and len(names) > 1:
        issues.append(_sheet_chosen(name, names, chosen, skipped, book.state(chosen[0][0])))
    tables: list[RawTable] = []
    for position, (title, records) in enumerate(chosen):
        found = _sheet_notes(name, title, reads[title])
        try:
            tables.append(
                _to_table(
                    name,
                    title,
                    records,
                    None,
                    None,
                    max_rows,
                    found,
                    more=reads[title].more_rows,
                    header=header,
                )
            )
        except LoadError:
            # A second member sheet that turns out to hold no members is skipped, not fatal.
            if position == 0:
                raise
            continue
        issues.extend(found)
    return tables, issues


def _sheet_chosen(
    name: str,
    names: list[str],
    chosen: list[tuple[str, list[tuple[int, list[str]]]]],
    skipped: list[tuple[str, str]],
    state: str,
) -> Issue:
    read = " and ".join(repr(n) for n, _ in chosen)
    why = "; ".join(f"{n!r} {reason}" for n, reason in skipped)
    first = (
        " (the first with data)"
        if state == "visible"
        else " (a hidden sheet: no visible sheet holds data)"
    )
    return Issue(
        name,
        None,
        None,
        "sheet_chosen",
        f"the workbook has {len(names)} sheets; sheet{'s' if len(chosen) > 1 else ''} "
        f"{read} {'were' if len(chosen) > 1 else 'was'} read"
        f"{first if len(chosen) == 1 else ''}"
        f"{'; not read: ' + why if why else ''}.",
        "info",
        hint="Choose another sheet if the members are elsewhere.",
    )


def _sheet_notes(name: str, title: str, read: SheetRead) -> list[Issue]:
    """Formulas without a saved result (read as blank) and numbers Excel rounded."""
    found: list[Issue] = []
    if read.formulas:
        cells = read.formulas
        found.append(
            Issue(
                name,
                None,
                None,
                "formula_without_value",
                f"{len(cells)} cell(s) hold a formula with no saved result ({', '.join(cells[:5])}"
                f"{', ...' if len(cells) > 5 else ''}) and were read as blank.",
                "warning",
                hint="Open the workbook in Excel, let it calculate, save it, and load it again.",
            )
        )
    if read.rounded:
        cells = read.rounded
        found.append(
            Issue(
                name,
                None,
                None,
                "number_rounded",
                f"sheet {title!r}: {len(cells)} cell(s) ({', '.join(cells[:5])}"
                f"{', ...' if len(cells) > 5 else ''}) hold numbers longer than the 15 digits "
                "Excel keeps, so their last digits may have been rounded.",
                "warning",
                hint="If these are IDs, format the column as Text in Excel and type them again, "
                "or export the members as CSV from the system they come from.",
            )
        )
    return found
