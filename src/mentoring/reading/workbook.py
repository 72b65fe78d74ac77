"""Excel workbooks into records of text, at a cost bounded by the cells that hold values.

openpyxl reads the parts around the sheets (the sheet list with each sheet's visibility, the
shared strings, the number formats); each sheet is then streamed here element by element, so a
formatted but empty cell in column XFD costs one element, not the 16,384 cells openpyxl's
read-only rows would pad it to. Every sheet read has three budgets, each refused with its
numbers: :data:`MAX_CELLS` cells spanned by the rows that hold values, :data:`MAX_ELEMENTS` cell
elements of any kind, and the caller's row limit (reading stops just past it, so a sheet of a
million rows is refused in a second, as "more than" the limit).

Numbers are read as Excel shows them: a number in a ``00000`` format keeps its zeros, an integer
keeps every digit the file holds, and a fraction is rounded to Excel's 15 significant digits.

>>> _number_text("123", "00000"), _number_text("0.30000000000000004", "General")
('00123', '0.3')
>>> _number_text("1.234567890123457E+17", "General")
'123456789012345700'
"""

from __future__ import annotations

import decimal
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from mentoring.model.errors import LoadError

__all__ = ["MAX_CELLS", "MAX_ELEMENTS", "Book", "SheetRead", "open_book", "read_sheet"]

MAX_CELLS = 5_000_000
"""Cells a sheet's rows may span (each row up to its last value) before the sheet is refused."""


MAX_ELEMENTS = 10_000_000
"""Cell elements a sheet may hold, empty formatted ones included, before it is refused."""


_EXCEL_COLUMNS = 16_384


_HEADER_SLACK = 10
"""Rows read past the row limit: title and header rows are not members."""


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _FORMULA, _INLINE = (f"{_NS}{t}" for t in ("row", "c", "v", "f", "is"))
_SHEET_DATA = f"{_NS}sheetData"


_ZERO_PADDED = re.compile(r"0{2,}")


_GENERAL = decimal.Context(prec=15)
"""Excel keeps 15 significant digits of a number."""


@dataclass
class Book:
    """An opened workbook: its sheets (title, visibility, part) and what their cells refer to."""

    archive: zipfile.ZipFile
    sheets: list[tuple[str, str, str]]
    strings: list[str]
    formats: list[str]
    dates: frozenset[int]
    durations: frozenset[int]
    epoch: datetime

    @property
    def names(self) -> list[str]:
        """Sheet titles in workbook order."""
        return [title for title, _, _ in self.sheets]

    def state(self, title: str) -> str:
        """``"visible"``, ``"hidden"`` or ``"veryHidden"``."""
        return next(state for t, state, _ in self.sheets if t == title)


@dataclass
class SheetRead:
    """One sheet's rows that hold values, and what was noticed on the way.

    ``records`` are ``(spreadsheet row, cells)``, each row cut after its last value (rows with
    no value are left out: their numbers are the gaps). ``more_rows`` says reading stopped at
    the row limit; ``formulas`` are cells holding a formula with no saved result (read as blank),
    ``rounded`` cells holding an integer longer than the 15 digits Excel keeps.
    """

    records: list[tuple[int, list[str]]] = field(default_factory=list)
    more_rows: bool = False
    formulas: list[str] = field(default_factory=list)
    rounded: list[str] = field(default_factory=list)


def open_book(name: str, data: bytes) -> Book:
    """The workbook's sheet list, shared strings and number formats; the sheets stay unread.

    Raises
    ------
    LoadError
        When the workbook cannot be opened (openpyxl raises many kinds of errors on damaged
        files; to a coordinator they all mean the same thing).
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.numbers import BUILTIN_FORMATS
    from openpyxl.styles.stylesheet import apply_stylesheet

    try:
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        wb = reader.wb
        sheets = [
            (sheet.name, sheet.state or "visible", rel.target)
            for sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        ]
        custom = list(wb._number_formats)
        formats = []
        for style in wb._cell_styles:
            number = style.numFmtId
            formats.append(
                custom[number - 164]
                if 164 <= number < 164 + len(custom)
                else BUILTIN_FORMATS.get(number, "General")
            )
        return Book(
            reader.archive,
            sheets,
            list(reader.shared_strings),
            formats,
            frozenset(wb._date_formats),
            frozenset(getattr(wb, "_timedelta_formats", ())),
            wb.epoch,
        )
    except Exception as exc:
        raise LoadError(
            f"{name}: the workbook is damaged and cannot be opened ({type(exc).__name__}). "
            "Open it in Excel and save it again, or export the members as CSV UTF-8."
        ) from exc


def read_sheet(name: str, book: Book, title: str, max_rows: int) -> SheetRead:
    """Stream one sheet into the records of the rows that hold values.

    Raises
    ------
    LoadError
        When the sheet is damaged or goes past :data:`MAX_CELLS` or :data:`MAX_ELEMENTS`.
    """
    part = next(p for t, _, p in book.sheets if t == title)
    where = f"{name}: the sheet {title!r}"
    try:
        with book.archive.open(part) as source:
            head = source.read(65_536)
            # Entities are how an XML bomb expands; a worksheet never needs a DTD.
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise ValueError("a DTD in a worksheet")
            return _stream(where, book, _Chained(head, source), max_rows)
    except LoadError:
        raise
    except Exception as exc:
        raise LoadError(
            f"{where} is damaged and cannot be read ({type(exc).__name__}). Open the workbook "
            "in Excel and save it again."
        ) from exc


class _Chained(io.RawIOBase):
    """The bytes already peeked at, then the rest of the stream."""

    def __init__(self, head: bytes, rest: Any) -> None:
        self.head, self.rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n], self.head = self.head[:n], self.head[n:]
            return n
        chunk = self.rest.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _events(source: Any) -> Iterator[tuple[str, Any]]:
    from openpyxl.xml.functions import iterparse

    return iterparse(io.BufferedReader(source, 1 << 16), events=("start", "end"))


def _stream(where: str, book: Book, source: Any, max_rows: int) -> SheetRead:
    out = SheetRead()
    letters: dict[str, int] = {}
    data: Any = None
    row: Any = None
    number = 0
    cells: list[str] = []
    in_row = spanned = elements = filled_rows = 0
    col = -1
    for event, elem in _events(source):
        tag = elem.tag
        if event == "start":
            if tag == _ROW:
                row, cells, in_row, col = elem, [], 0, -1
                number = int(elem.get("r") or number + 1)
            elif tag == _SHEET_DATA:
                data = elem
            continue
        if tag == _CELL:
            elements += 1
            in_row += 1
            if elements > MAX_ELEMENTS or in_row > _EXCEL_COLUMNS:
                raise LoadError(
                    f"{where} holds more than {MAX_ELEMENTS:,} cells, or a row of more than "
                    f"{_EXCEL_COLUMNS:,}; it is not an ordinary member list. Copy the members "
                    "into a new workbook, or export them as CSV UTF-8."
                )
            ref = elem.get("r")
            if ref:
                key = ref.rstrip("0123456789")
                col = letters.get(key, -1)
                if col < 0:
                    col = letters[key] = _column_index(key)
            else:
                col += 1
            if col >= _EXCEL_COLUMNS:
                raise ValueError(f"a cell beyond column XFD: {ref!r}")
            text = _cell(book, elem, ref or f"{_letters(col)}{number}", out)
            if text.strip():
                if col >= len(cells):
                    cells.extend([""] * (col + 1 - len(cells)))
                cells[col] = text
            if row is not None:
                del row[:]
        elif tag == _ROW:
            if cells:
                spanned += len(cells)
                if spanned > MAX_CELLS:
                    raise LoadError(
                        f"{where} spans more than {MAX_CELLS:,} cells (row {number} reaches "
                        f"column {_letters(len(cells) - 1)}); a member list is far smaller. "
                        "Delete the unused rows and columns, or export the members as CSV UTF-8."
                    )
                out.records.append((number, cells))
                filled_rows += 1
                if filled_rows > max_rows + _HEADER_SLACK:
                    out.more_rows = True
                    break
            row = None
            if data is not None:
                del data[:]
    return out


def _cell(book: Book, elem: Any, ref: str, out: SheetRead) -> str:
    kind = elem.get("t", "n")
    raw: str | None = None
    formula = False
    inline = None
    for child in elem:
        if child.tag == _VALUE:
            raw = child.text
        elif child.tag == _FORMULA:
            formula = True
        elif child.tag == _INLINE:
            inline = child
    if kind == "inlineStr":
        return _inline_text(inline) if inline is not None else ""
    if raw is None or raw == "":
        if formula and len(out.formulas) < 1_000:
            out.formulas.append(ref)
        return ""
    if kind == "s":
        return book.strings[int(raw)]
    if kind == "b":
        return "TRUE" if raw.strip() in ("1", "true") else "FALSE"
    if kind in ("str", "e"):
        return raw
    style = int(elem.get("s") or 0)
    if kind == "d":
        return _dated(raw, iso=True)
    if style in book.dates:
        return _dated(raw, epoch=book.epoch, duration=style in book.durations)
    fmt = book.formats[style] if 0 <= style < len(book.formats) else "General"
    text = _number_text(raw, fmt)
    digits = text.lstrip("-")
    # Stored as a float (1.2345678901234568E+17): Excel kept only 15 or so of its digits.
    stored_as_float = not raw.strip().lstrip("-").isdigit()
    if len(digits) > 15 and digits.isdigit() and stored_as_float and len(out.rounded) < 1_000:
        out.rounded.append(ref)
    return text


def _inline_text(node: Any) -> str:
    from openpyxl.cell.text import Text

    return str(Text.from_tree(node).content)


def _number_text(raw: str, fmt: str) -> str:
    """A stored number as Excel shows it: zero-padded formats, whole numbers, 15 digits."""
    try:
        value = decimal.Decimal(raw.strip())
    except decimal.InvalidOperation:
        return raw
    if not value.is_finite() or abs(value.adjusted()) > 30:
        return raw
    integral = value == value.to_integral_value()
    pad = fmt.split(";")[0].strip()
    if integral and value >= 0 and _ZERO_PADDED.fullmatch(pad):
        return f"{int(value):0{len(pad)}d}"
    if integral:
        return str(int(value))
    rounded = _GENERAL.create_decimal(value).normalize()
    return format(rounded, "f")


def _dated(
    raw: str, *, iso: bool = False, epoch: datetime | None = None, duration: bool = False
) -> str:
    from openpyxl.utils.datetime import from_excel, from_ISO8601

    try:
        value = from_ISO8601(raw) if iso else from_excel(float(raw), epoch, timedelta=duration)
    except (OverflowError, ValueError, TypeError):
        return raw
    return cell_text(value)


def cell_text(value: Any) -> str:
    """A value as openpyxl gives it, written as the text a coordinator would read.

    >>> cell_text(datetime(2026, 1, 2)), cell_text(2.0), cell_text(True)
    ('2026-01-02', '2', 'TRUE')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date | time | timedelta):
        return value.isoformat() if not isinstance(value, timedelta) else str(value)
    return str(value)


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            raise ValueError(f"not a cell reference: {letters!r}")
        index = index * 26 + ord(ch) - 64
    return index - 1


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
