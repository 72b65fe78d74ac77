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

import codecs
import csv
import io
import json
import os
import re
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd

from mentoring.model.errors import Issue, LoadError
from mentoring.reading.sheets import _member_sheets

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


# Our exporter puts one apostrophe before a formula trigger, or before a run of apostrophes that
# ends in one (so a value already starting with "'=" survives); drop exactly that one.
_ESCAPED_FORMULA = re.compile(r"^'(?='*[=+\-@\t\r\n\x00])")


# A workbook is a zip of XML; real member lists unpack to a few MB. Far beyond that is a zip
# bomb, refused from the declared sizes before anything is decompressed.
_UNZIPPED_PER_INPUT_BYTE = 10


_MIN_UNZIPPED_LIMIT = 200_000_000


_SNIFF_LINES = 50


_LIST_SHEETS_MAX_BYTES = 20_000_000


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class RawTable:
    """One sheet or CSV file as text, before any column is interpreted.

    ``frame`` holds only ``str`` cells under the original header text (already checked for
    duplicate headers; fully blank rows removed). ``row_numbers[i]`` is the spreadsheet row of
    ``frame.iloc[i]``, the header being row 1 unless blank rows precede it.

    ``raw_headers[j]`` holds the header cells of column ``j``, top row first: one cell for an
    ordinary file, two or three for exports that write several header rows (SurveyMonkey's
    option row, Qualtrics' export codes and ImportId row); the presented header in ``frame``
    is built from them as ``tests/data/forms/README.md`` describes.

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


def read_tables(
    sources: Source | Sequence[Source],
    *,
    sheet: str | None = None,
    max_bytes: int = 20_000_000,
    max_rows: int = 50_000,
    every_member_sheet: bool = False,
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
    for item in items:
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
        )
        tables.extend(found_tables)
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
        workbook = _open_workbook(name, data, data_only=True)
        try:
            return list(workbook.sheetnames)
        finally:
            workbook.close()


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
    text, encoding, found = _decode(name, data)
    issues.extend(found)
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
    table, found = _read_csv_text(name, text, encoding, max_rows)
    issues.extend(found)
    return [table], issues


def _decode(name: str, data: bytes) -> tuple[str, str, list[Issue]]:
    issues: list[Issue] = []
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = _strict(name, data[3:], "utf-8"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = _strict(name, data, "utf-16"), "utf-16"
    else:
        text, encoding = "", ""
        bom_less = _bom_less_utf16(data)
        for candidate in (*bom_less, "utf-8", "cp1252"):
            try:
                text, encoding = data.decode(candidate), candidate
                break
            except UnicodeDecodeError:
                continue
        else:
            raise LoadError(
                f"{name}: the text is in an encoding that cannot be recognised (neither UTF-8, "
                "UTF-16 nor Windows-1252), or the file is not a spreadsheet. Save it from your "
                "spreadsheet program as 'CSV UTF-8' or as an Excel workbook (.xlsx)."
            )
    if encoding not in ("utf-8", "utf-8-sig"):
        issues.append(
            Issue(
                name,
                None,
                None,
                "encoding",
                f"the file was read as {encoding}, not UTF-8.",
                "info",
                hint="Check that accented names look right; if not, save the file as CSV UTF-8.",
            )
        )
    if "\x00" in text:
        count = text.count("\x00")
        text = text.replace("\x00", "")
        issues.append(
            Issue(
                name,
                None,
                None,
                "nul_bytes",
                f"the file contained {count} NUL byte(s), which were removed.",
                "warning",
                hint="The file may be damaged; check the rows look right or export it again.",
            )
        )
    controls = len(_CONTROL.findall(text))
    if controls >= 10 and controls > len(text) // 20:
        raise LoadError(
            f"{name}: this does not look like a spreadsheet (it is full of unreadable "
            "characters). Export the member list as CSV UTF-8 or Excel (.xlsx) and load that file."
        )
    return text, encoding, issues


def _is_json(text: str) -> bool:
    if text.lstrip()[:1] not in ("{", "["):
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _strict(name: str, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise LoadError(
            f"{name}: the file says it is {encoding.upper()} but byte {exc.start} is not valid "
            f"{encoding.upper()}; the file may be damaged. Export it again as CSV UTF-8."
        ) from exc


def _bom_less_utf16(data: bytes) -> tuple[str, ...]:
    # Some exporters write UTF-16 without a byte order mark; mostly-ASCII text then has a NUL
    # in every other byte, which no single-byte encoding would produce.
    sample = data[:4000]
    if len(sample) < 4 or len(sample) % 2:
        return ()
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    if odd.count(0) > 0.4 * half and even.count(0) < 0.05 * half:
        return ("utf-16-le",)
    if even.count(0) > 0.4 * half and odd.count(0) < 0.05 * half:
        return ("utf-16-be",)
    return ()


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


def _excel_column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _clean(cell: str) -> str:
    return _ESCAPED_FORMULA.sub("", cell)


def _read_csv_text(
    name: str, text: str, encoding: str, max_rows: int
) -> tuple[RawTable, list[Issue]]:
    issues: list[Issue] = []
    lines = io.StringIO(text, newline="").readlines()
    delimiter = None
    if lines and (m := _SEP_LINE.match(lines[0])):
        delimiter = m.group(1)
        lines = lines[1:]
    if not any(line.strip() for line in lines):
        raise LoadError(
            f"{name}: the file is empty. Export the member list again with its header row and "
            "at least one member."
        )
    if delimiter is None:
        delimiter = _sniff(lines[:_SNIFF_LINES])
    records = _parse_records(name, lines, delimiter, issues)
    return _to_table(name, None, records, encoding, delimiter, max_rows, issues), issues


def _parse_records(
    name: str, lines: list[str], delimiter: str, issues: list[Issue]
) -> list[tuple[int, list[str]]]:
    """Records with their spreadsheet row; a quote that is never closed only spoils its line."""
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(iter(lines), delimiter=delimiter)
    starts: list[int] = []
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
        for offset, line in enumerate(rest):
            fields = next(csv.reader([line], delimiter=delimiter, quoting=csv.QUOTE_NONE), [])
            records.append((row + offset, fields))
    return records


def _ends_inside_quotes(lines: list[str], delimiter: str) -> bool:
    try:
        list(csv.reader(iter(lines), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _to_table(
    name: str,
    sheet: str | None,
    records: list[tuple[int, list[str]]],
    encoding: str | None,
    delimiter: str | None,
    max_rows: int,
    issues: list[Issue],
) -> RawTable:
    where = f"{name}, sheet {sheet!r}" if sheet is not None else name
    # Blank is judged on what the cell says, so our own escaped "'\r" is as blank as "\r".
    nonblank = [(row, cells) for row, cells in records if any(_clean(c).strip() for c in cells)]
    if not nonblank:
        raise LoadError(
            f"{where}: no members found; it holds only blank rows. Check that you exported the "
            "right sheet or form, with its answers."
        )
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
    body = nonblank[start + 1 + n_extra :]
    if not body:
        blanks = len(records) - 1
        below = f" and {blanks} blank row(s)" if blanks else ""
        raise LoadError(
            f"{where}: no members found; the file has a header row{below} but no member rows. "
            "Export it again after people have answered, or check you chose the right file."
        )
    if len(body) > max_rows:
        raise LoadError(
            f"{where}: {len(body)} member rows, more than the limit of {max_rows}. "
            "Split the members into several files."
        )
    width = max((i + 1 for i, h in enumerate(header) if h), default=0)
    keep: list[int] = []
    names: list[str] = []
    for i in range(width):
        if header[i]:
            keep.append(i)
            names.append(header[i])
        elif any(i < len(cells) and cells[i].strip() for _, cells in body):
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
    _check_duplicate_headers(where, names, keep)
    rows: list[list[str]] = []
    numbers: list[int] = []
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
        padded = cells + [""] * (width - len(cells))
        rows.append([_clean(padded[i]) for i in keep])
        numbers.append(row)
    blank_rows = sorted({row for row, _ in records if row > header_row} - set(numbers))
    if blank_rows:
        issues.append(
            Issue(
                name,
                None,
                None,
                "blank_rows",
                f"{len(blank_rows)} blank row(s) were ignored ({_ranges(blank_rows)}).",
                "info",
            )
        )
    frame = pd.DataFrame(rows, columns=names, dtype=object)
    raw_kept = tuple(
        raw[i] if i < len(raw) and any(raw[i]) else (names[k],) for k, i in enumerate(keep)
    )
    return RawTable(name, sheet, frame, encoding, delimiter, tuple(numbers), raw_kept)


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
        if labels and (under_blank or not cell(second, 0)):
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


def _open_workbook(name: str, data: bytes, *, data_only: bool) -> Any:
    import openpyxl

    # openpyxl raises many kinds of errors (KeyError, XML, zlib) on damaged files; to a
    # coordinator they all mean the same thing.
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception as exc:
        raise LoadError(
            f"{name}: the workbook is damaged and cannot be opened ({type(exc).__name__}). "
            "Open it in Excel and save it again, or export the members as CSV UTF-8."
        ) from exc


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
) -> tuple[list[RawTable], list[Issue]]:
    _check_archive(name, data, max_bytes)
    workbook = _open_workbook(name, data, data_only=True)
    issues: list[Issue] = []
    try:
        names = list(workbook.sheetnames)
        if sheet is not None and sheet not in names:
            raise LoadError(
                f"{name}: there is no sheet called {sheet!r}; the sheets are "
                f"{', '.join(repr(n) for n in names)}. Choose one of those."
            )
        if sheet is not None:
            records = _sheet_records(name, workbook[sheet], max_rows)
            if not any(any(c.strip() for c in cells) for _, cells in records):
                others = [n for n in names if n != sheet]
                also = f" Other sheets: {', '.join(repr(n) for n in others)}." if others else ""
                raise LoadError(
                    f"{name}: no members found; sheet {sheet!r} is empty.{also} Choose the sheet "
                    "that holds the member list."
                )
            chosen: list[tuple[str, list[tuple[int, list[str]]]]] = [(sheet, records)]
            skipped: list[tuple[str, str]] = []
        else:
            chosen, skipped = _member_sheets(
                name,
                workbook,
                names,
                lambda worksheet: _sheet_records(name, worksheet, max_rows),
                every_member_sheet,
            )
    finally:
        workbook.close()
    if sheet is None and len(names) > 1:
        read = " and ".join(repr(n) for n, _ in chosen)
        why = "; ".join(f"{n!r} {reason}" for n, reason in skipped)
        issues.append(
            Issue(
                name,
                None,
                None,
                "sheet_chosen",
                f"the workbook has {len(names)} sheets; sheet{'s' if len(chosen) > 1 else ''} "
                f"{read} {'were' if len(chosen) > 1 else 'was'} read"
                f"{' (the first with data)' if len(chosen) == 1 else ''}"
                f"{'; not read: ' + why if why else ''}.",
                "info",
                hint="Choose another sheet if the members are elsewhere.",
            )
        )
    tables: list[RawTable] = []
    for position, (title, records) in enumerate(chosen):
        found: list[Issue] = []
        found.extend(_unsaved_formulas(name, data, title, records))
        try:
            tables.append(_to_table(name, title, records, None, None, max_rows, found))
        except LoadError:
            # A second member sheet that turns out to hold no members is skipped, not fatal.
            if position == 0:
                raise
            continue
        issues.extend(found)
    return tables, issues


def _sheet_records(name: str, worksheet: Any, max_rows: int) -> list[tuple[int, list[str]]]:
    records: list[tuple[int, list[str]]] = []
    try:
        # Read-only sheets stop at the size the writing program declared; some programs declare
        # it wrong, which would silently lose the rows below.
        worksheet.reset_dimensions()
        for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), 1):
            cells = [_cell_text(v) for v in values]
            while cells and not cells[-1]:
                cells.pop()
            records.append((number, cells))
            if len(records) > max_rows + 1 and any(c.strip() for c in cells):
                break
    except LoadError:
        raise
    except Exception as exc:
        raise LoadError(
            f"{name}: the sheet {worksheet.title!r} is damaged and cannot be read "
            f"({type(exc).__name__}). Open the workbook in Excel and save it again."
        ) from exc
    return records


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _unsaved_formulas(
    name: str, data: bytes, sheet: str | None, records: Iterable[tuple[int, list[str]]]
) -> list[Issue]:
    """Formulas whose result was never saved read as blank; say where, so nobody is lost."""
    if sheet is None:
        return []
    widths = {row: len(cells) for row, cells in records}
    blanks = {(row, col) for row, cells in records for col, c in enumerate(cells) if not c}
    workbook = _open_workbook(name, data, data_only=False)
    found: list[str] = []
    try:
        worksheet = workbook[sheet]
        worksheet.reset_dimensions()
        for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), 1):
            for col, value in enumerate(values):
                unsaved = (number, col) in blanks or col >= widths.get(number, 0)
                if unsaved and isinstance(value, str) and value.startswith("="):
                    found.append(f"{_excel_column(col)}{number}")
    except Exception:
        return []
    finally:
        workbook.close()
    if not found:
        return []
    return [
        Issue(
            name,
            None,
            None,
            "formula_without_value",
            f"{len(found)} cell(s) hold a formula with no saved result ({', '.join(found[:5])}"
            f"{', ...' if len(found) > 5 else ''}) and were read as blank.",
            "warning",
            hint="Open the workbook in Excel, let it calculate, save it, and load it again.",
        )
    ]
