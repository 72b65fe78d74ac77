"""Write the malformed-input corpus: member files a coordinator could really produce.

Run ``python tests/corpus/make_corpus.py`` to (re)write every file next to this script, or
``--out DIR`` to write them elsewhere. Output depends on nothing but this file: workbooks get
fixed timestamps and zip entry dates, random bytes come from a seeded generator, so two runs
give byte-identical files (``tests/test_corpus.py`` checks this). The expected outcome of each
file lives in ``tests/test_corpus.py``.
"""

from __future__ import annotations

import argparse
import codecs
import io
import random
import re
import struct
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

__all__ = ["TEXT_CASES", "build_all", "write_all"]

SEED = 20261128
FIXED_TIME = datetime(2026, 1, 1, 12, 0, 0)
HEADER = "Name,Email,Role,Interests,Capacity\r\n"


def _members(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(f"{r}\r\n" for r in rows)).encode("utf-8")


CLEAN = (
    "Ada Lovelace,ada@example.org,Mentor,Archives;Outreach,2",
    "Bo Chen,bo@example.org,Mentee,Outreach,",
    "Cy Diaz,cy@example.org,Both,Instruction,1",
)

TEXT_CASES: dict[str, bytes] = {
    "clean_utf8.csv": _members(*CLEAN),
    "utf8_bom.csv": codecs.BOM_UTF8 + _members(*CLEAN[:2]),
    "cp1252_accents.csv": (
        "Name,Email,Role\r\nRenée “Rae” Núñez,renee@example.org,Mentor\r\n"
        "François Ægir,francois@example.org,Mentee\r\n"
    ).encode("cp1252"),
    "utf16_le_bom_tab.txt": codecs.BOM_UTF16_LE
    + "Name\tEmail\tRole\r\nZoë Ng\tzoe@example.org\tMentor\r\nİlkay\tilkay@example.org\tMentee\r\n".encode(
        "utf-16-le"
    ),
    "utf16_be_bom.csv": codecs.BOM_UTF16_BE
    + "Name,Email,Role\r\nZoë Ng,zoe@example.org,Mentor\r\nBo,bo@example.org,Mentee\r\n".encode(
        "utf-16-be"
    ),
    "utf16_no_bom.csv": "Name,Email,Role\r\nZoë Ng,zoe@example.org,Mentor\r\nBo,bo@example.org,Mentee\r\n".encode(
        "utf-16-le"
    ),
    "semicolon_european.csv": (
        b"Name;Email;Role;Years\r\nAda;ada@example.org;Mentor;2,5\r\nBo;bo@example.org;Mentee;1\r\n"
    ),
    "tab_separated.tsv": b"Name\tEmail\tRole\nAda\tada@example.org\tMentor\nBo\tbo@example.org\tMentee\n",
    "pipe_separated.txt": b"Name|Email|Role\nAda|ada@example.org|Mentor\nBo|bo@example.org|Mentee\n",
    "excel_sep_line.csv": b"sep=;\r\nName;Email;Role\r\nAda;ada@example.org;Mentor\r\nBo;bo@example.org;Mentee\r\n",
    "duplicate_headers.csv": b"Name,Email,Role,Email\r\nAda,ada@example.org,Mentor,ada@work.org\r\n",
    "duplicate_headers_case.csv": b"Name,email,Role,EMAIL \r\nAda,ada@example.org,Mentor,x@y.org\r\n",
    "ragged_extra_fields.csv": _members(
        "Ada Lovelace,ada@example.org,Mentor,Archives,2",
        "Bo Chen,bo@example.org,Mentee,Outreach,,Smith, Jones and Co",
        "Cy Diaz,cy@example.org,Both,Instruction,1",
    ),
    "ragged_short_rows.csv": _members(
        "Ada Lovelace,ada@example.org,Mentor,Archives,2", "Bo Chen,bo@example.org,Mentee"
    ),
    "unclosed_quote.csv": _members(
        "Ada Lovelace,ada@example.org,Mentor,Archives,2",
        'Bo Chen,bo@example.org,Mentee,"Outreach,',
        "Cy Diaz,cy@example.org,Both,Instruction,1",
        "Di Eze,di@example.org,Mentor,Archives,3",
    ),
    "nul_bytes.csv": _members(*CLEAN).replace(b"Bo Chen", b"Bo\x00 Chen\x00"),
    "google_forms_blank_rows.csv": _members(*CLEAN, *([",,,,"] * 40)),
    "header_only.csv": HEADER.encode(),
    "blank_rows_only.csv": _members(*([",,,,"] * 48)),
    "empty.csv": b"",
    "whitespace_only.csv": b"  \r\n\r\n\t\r\n",
    "duplicate_members_same_email.csv": _members(
        "Ada Lovelace,ada@example.org,Mentee,Archives,",
        "Bo Chen,bo@example.org,Mentor,Outreach,1",
        "Ada Lovelace, ADA@Example.org ,Mentee,Archives;Advocacy,",
    ),
    "duplicate_members_same_id.csv": (
        b"Member ID,Name,Email,Role\r\n0042,Ada,ada@example.org,Mentor\r\n"
        b"0042,Ada L.,ada.l@example.org,Mentor\r\n0043,Bo,bo@example.org,Mentee\r\n"
    ),
    "na_like_names.csv": (
        b"Name,Email,Role\r\nNone,none@example.org,Mentor\r\nNA,na@example.org,Mentee\r\n"
        b"Null,null@example.org,Mentee\r\nNaN,nan@example.org,Mentor\r\nN/A,n.a@example.org,Both\r\n"
    ),
    "leading_zero_ids.csv": (
        b"ALA member ID,Name,Role\r\n007,Ada,Mentor\r\n0042,Bo,Mentee\r\n00000,Cy,Mentee\r\n"
    ),
    "capacity_words.csv": _members(
        "Ada,ada@example.org,Mentor,,two",
        "Bo,bo@example.org,Mentor,,One mentee only please!",
        "Cy,cy@example.org,Mentor,,up to 3",
        "Di,di@example.org,Mentor,,lots if I have time",
        "Ed,ed@example.org,Mentor,,2-3",
    ),
    "multiline_answers.csv": (
        b'Name,Email,Role,Notes\r\nAda,ada@example.org,Mentor,"- likes archives\r\n- and outreach"\r\n'
        b'Bo,bo@example.org,Mentee,"line one\nline two\nline three"\r\nCy,cy@example.org,Both,plain\r\n'
    ),
    "mac_classic_cr.csv": b"Name,Email,Role\rAda,ada@example.org,Mentor\rBo,bo@example.org,Mentee\r",
    "no_role_column.csv": b"Name,Email\r\nAda,ada@example.org\r\nBo,bo@example.org\r\n",
    "no_name_column.csv": b"Email,Role\r\nada@example.org,Mentor\r\nbo@example.org,Mentee\r\n",
    "missing_required_values.csv": _members(
        "Ada,ada@example.org,Mentor,,1",
        ",nobody@example.org,Mentee,,",
        "Bo,bo@example.org,,,",
        "Cy,cy@example.org,Volunteer,,",
        ",,,Archives,",
    ),
    "formula_injection_text.csv": (
        b'Name,Email,Role,Notes\r\n"=HYPERLINK(""http://evil.example"",""x"")",h@example.org,Mentor,+1 thanks\r\n'
        b"'=1+1,q@example.org,Mentee,@me on Slack\r\n"
    ),
    "google_forms_questions.csv": (
        b'Timestamp,Email Address,Full name,"Would you like to mentor, be mentored, or both?",'
        b"What are your areas of interest?,How many mentees can you take on? (mentors),"
        b"What time zone are you in?,How would you prefer to meet?,My first choice mentor is:\r\n"
        b'2/2/2026 10:24:27,ada@example.org,Ada Lovelace,Mentor,"Outreach, Diversity, equity and '
        b'inclusion, Other: zines, comics",two,Eastern Time (UTC-5),Either / no preference,\r\n'
        b"2/2/2026 11:00:00,bo@example.org,Bo Chen,I'd like to be mentored,Archives,,"
        b"Pacific Time (PT),Online (Zoom),ada lovelace\r\n"
    ),
    "microsoft_forms_export.csv": (
        b"ID,Start time,Completion time,Email,Name,Role,Time zone\r\n"
        b"1,1/5/26 9:00:01,1/5/26 9:04:00,anonymous,Ada,Mentor,UTC+1\r\n"
        b"2,1/5/26 9:10:00,1/5/26 9:12:30,anonymous,Bo,Mentee,GMT\r\n"
    ),
    "role_words.csv": (
        b"Name,Email,Role\r\nAda,ada@example.org,I'd like to be mentored\r\n"
        b"Bo,bo@example.org,Either / open to both\r\nCy,cy@example.org,MENTOR \r\n"
        b"Di,di@example.org,mentee\r\n"
    ),
    "timezones_mixed.csv": (
        b"Name,Email,Role,Time zone\r\nA,a@example.org,Mentor,UTC-5\r\nB,b@example.org,Mentor,EST\r\n"
        b"C,c@example.org,Mentee,America/Chicago\r\nD,d@example.org,Mentee,-8\r\n"
        b"E,e@example.org,Mentee,wherever I am\r\n"
    ),
    "bad_emails.csv": (
        b"Name,Email,Role\r\nAda,ada@example.org,Mentor\r\nBo,bo at example dot org,Mentee\r\n"
        b"Cy,cy@localhost,Mentee\r\n"
    ),
    "preferred_mentor_names.csv": (
        b"Name,Email,Role,First choice,Second choice\r\n"
        b"Aurelia Inkwell,aurelia@example.org,Mentor,,\r\nKim Park,kim1@example.org,Mentor,,\r\n"
        b"Kim Park,kim2@example.org,Mentor,,\r\nMo,mo@example.org,Mentee,Aurelia Inkwlel,Kim Park\r\n"
        b"Lu,lu@example.org,Mentee,Zebedee Quux,\r\n"
    ),
    "json_not_csv.json": b'{"members": [{"name": "Ada", "role": "mentor"}]}\n',
    "html_sign_in_page.csv": (
        b"<!DOCTYPE html>\n<html><head><title>Sign in - Google Accounts</title></head>"
        b"<body><form>Email or phone</form></body></html>\n"
    ),
    "pdf_not_csv.csv": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog>> endobj\n",
    "trailing_delimiters.csv": (
        b"Name,Email,Role,,,\r\nAda,ada@example.org,Mentor,,,\r\nBo,bo@example.org,Mentee,,,\r\n"
    ),
    "leading_blank_lines.csv": b"\r\n\r\nName,Email,Role\r\nAda,ada@example.org,Mentor\r\n",
    "blank_header_column.csv": b"Name,,Email,Role\r\nAda,see note,ada@example.org,Mentor\r\n",
    "title_row_above_header.csv": (
        b"ALA Mentoring Program - sign-ups 2026;;\r\n;;\r\nName;Email;Role\r\n"
        b"Ada;ada@example.org;Mentor\r\nBo;bo@example.org;Mentee\r\n"
    ),
    # Issue 13: what members typed, changed silently before.
    "capacity_dates_and_thousands.csv": _members(
        "Ada Lovelace,ada@example.org,Mentor,Archives,2-Jan",
        'Bo Chen,bo@example.org,Mentor,Outreach,"1,000"',
        "Cy Diaz,cy@example.org,Mentor,Instruction,2",
        "Di Eze,di@example.org,Mentor,Archives,1",
        "Ed Fox,ed@example.org,Mentor,Outreach,3",
        "Fa Gil,fa@example.org,Mentee,Archives,",
        "Gus Ho,gus@example.org,Mentee,Outreach,",
    ),
    "capacity_overflow.csv": _members(
        "Ada Lovelace,ada@example.org,Mentor,Archives,99999999999999999999",
        "Cy Diaz,cy@example.org,Mentor,Instruction,2",
        "Di Eze,di@example.org,Mentor,Archives,1",
        "Bo Chen,bo@example.org,Mentee,Outreach,",
    ),
    "capacity_above_cohort.csv": _members(
        "Ada Lovelace,ada@example.org,Mentor,Archives,12",
        "Bo Chen,bo@example.org,Mentee,Outreach,",
        "Cy Diaz,cy@example.org,Mentee,Instruction,",
    ),
    "utf8_stray_cp1252_byte.csv": (
        "Name,Email,Role\r\nZoë Ñúñez,zoe@example.org,Mentor\r\nBo Chen,bo@example.org,Mentee\r\n"
    ).encode()
    + "Renée Roy,renee@example.org,Mentee\r\n".encode("cp1252"),
    "mac_roman.csv": (
        "Name,Email,Role\rRenée Núñez,renee@example.org,Mentor\rZoë Ng,zoe@example.org,Mentee\r"
        "Bo Chen,bo@example.org,Mentee\r"
    ).encode("mac_roman"),
    "no_header_row.csv": (
        b"Ada Lovelace,ada@example.org,Mentor\r\nBo Chen,bo@example.org,Mentee\r\n"
        b"Cy Diaz,cy@example.org,Mentee\r\n"
    ),
    "semicolon_decimal_commas.csv": (
        b"Name;Email;Role;Years of experience;Time zone\r\n"
        b"Ada;ada@example.org;Mentor;12,75;UTC+5,5\r\nBo;bo@example.org;Mentee;1,5;UTC-3,5\r\n"
    ),
    "email_nfc_and_nfd.csv": (
        "Name,Email,Role\r\nZoë Ng,zo\u00eb@example.org,Mentor\r\n"
        "Zoe Ng,ZOE\u0308@example.org,Mentor\r\nBo Chen,bo@example.org,Mentee\r\n"
    ).encode(),
    "mentors_then_mentees_same_person.csv": (
        b"Name,Email,Role\r\nAda,ada@example.org,Mentor\r\nAda,ada@example.org,Mentee\r\n"
    ),
}
"""Text files, spelled out byte for byte (line ends and encodings matter)."""


def _repack(data: bytes, edit: Callable[[str, bytes], bytes] | None = None) -> bytes:
    """Rewrite a zip with fixed entry dates (and optional edits) so output is reproducible."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if edit is not None:
                body = edit(info.filename, body)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, body)
    return out.getvalue()


def _workbook(
    sheets: dict[str, list[list[object]]], prepare: Callable[[Any], None] | None = None
) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    if prepare is not None:
        prepare(book)
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    book.properties.creator = "mentoring corpus"
    out = io.BytesIO()
    book.save(out)
    return _repack(out.getvalue(), _fixed_core_properties)


def _fixed_core_properties(name: str, body: bytes) -> bytes:
    if name != "docProps/core.xml":
        return body
    # openpyxl stamps "modified" with the time of saving whatever it was told.
    return re.sub(
        rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
        rb"\g<1>2026-01-01T12:00:00Z\g<2>",
        body,
    )


MEMBER_ROWS: list[list[object]] = [
    ["Member ID", "Name", "Email", "Role", "Capacity", "Joined"],
    ["007", "Ada Lovelace", "ada@example.org", "Mentor", 2, datetime(2024, 5, 1)],
    ["0042", "Bo Chen", "bo@example.org", "Mentee", None, datetime(2025, 1, 2, 9, 30)],
    ["43", "Cy Diaz", "cy@example.org", "Both", 1.0, True],
]


def _workbook_formulas() -> bytes:
    rows = [
        ["Name", "Email", "Role", "Capacity", "Notes"],
        ["Ada", "ada@example.org", "Mentor", "=1+1", '=CONCAT("a","b")'],
        ["Bo", "bo@example.org", "Mentor", "=2+1", ""],
    ]
    data = _workbook({"Members": rows})

    def saved_value(name: str, body: bytes) -> bytes:
        # Excel stores the last result next to each formula; give the first one a result, as
        # a workbook saved by Excel would have, and leave the other as openpyxl writes it.
        if name != "xl/worksheets/sheet1.xml":
            return body
        return re.sub(rb"<f>1\+1</f><v\s*/>|<f>1\+1</f><v></v>", b"<f>1+1</f><v>2</v>", body)

    return _repack(data, saved_value)


def _workbook_wrong_dimension() -> bytes:
    def shrink(name: str, body: bytes) -> bytes:
        # Some exporters declare a used range smaller than the data (here: only A1).
        if name != "xl/worksheets/sheet1.xml":
            return body
        return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', body)

    return _repack(_workbook({"Members": MEMBER_ROWS}), shrink)


def _hidden_first(state: str) -> bytes:
    old = [["Name", "Email", "Role"], ["Old Member", "old@example.org", "Mentor"]]

    def hide(book: Any) -> None:
        book["Last year"].sheet_state = state

    return _workbook({"Last year": old, "Sign-ups": MEMBER_ROWS}, hide)


def _zero_padded_ids() -> bytes:
    rows: list[list[object]] = [
        ["Member ID", "Name", "Role"],
        [123, "Ada", "Mentor"],
        [42, "Bo", "Mentee"],
        [7, "Cy", "Mentee"],
    ]

    def pad(book: Any) -> None:
        for cell in ("A2", "A3", "A4"):
            book["Members"][cell].number_format = "00000"

    return _workbook({"Members": rows}, pad)


def _xfd_padded(count: int) -> bytes:
    """Each member row also has a formatted cell in column XFD holding a space."""
    from openpyxl.styles import Font

    rows: list[list[object]] = [["Name", "Email", "Role"]]
    rows += [
        [f"Member {i}", f"m{i}@example.org", "Mentor" if i % 2 else "Mentee"] for i in range(count)
    ]

    def pad(book: Any) -> None:
        for i in range(count):
            cell = book["Members"].cell(row=i + 2, column=16_384)
            cell.font = Font(bold=True)
            cell.value = " "

    return _workbook({"Members": rows}, pad)


def _capacity_date() -> bytes:
    rows: list[list[object]] = [
        ["Name", "Email", "Role", "Capacity"],
        ["Ada", "ada@example.org", "Mentor", datetime(2026, 1, 2)],
        ["Cy", "cy@example.org", "Mentor", 2],
        ["Di", "di@example.org", "Mentor", 1],
        ["Bo", "bo@example.org", "Mentee", None],
    ]
    return _workbook({"Members": rows})


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in entries.items():
            entry = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, body)
    return out.getvalue()


def _zip_bomb() -> bytes:
    data = bytearray(_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"}))
    # A real bomb is a few KB that inflates to GBs; the declared size is what gives it away,
    # so claim 4 GB for each entry in the central directory without shipping the payload.
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        data[start + 24 : start + 28] = struct.pack("<I", 0xFFFFFFF0)
        start += 4
    return bytes(data)


def _zip_newer_version(workbook: bytes) -> bytes:
    data = bytearray(workbook)
    start = data.find(b"PK\x01\x02")
    # "Version needed to extract" 6.8 (found by the fuzzer): zipfile cannot open it at all.
    data[start + 6 : start + 8] = struct.pack("<H", 68)
    return bytes(data)


def _billion_laughs(workbook: bytes) -> bytes:
    entities = b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1)) * 10) for i in range(1, 10)
    )
    prologue = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">' + entities + b"]>"

    def expand(name: str, body: bytes) -> bytes:
        # An XML entity that expands to a billion copies: the parser must refuse, not obey.
        if name != "xl/worksheets/sheet1.xml":
            return body
        body = re.sub(rb"^<\?xml[^>]*\?>", b"", body)
        return prologue + body.replace(b"<v>", b"<v>&lol9;", 1)

    return _repack(workbook, expand)


def _random(size: int, salt: int) -> bytes:
    rng = random.Random(SEED + salt)
    return bytes(rng.randrange(256) for _ in range(size))


def _ole2(size: int) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + _random(size, 7)


def _binary_cases() -> dict[str, bytes]:
    basic = _workbook({"Members": MEMBER_ROWS})
    return {
        "huge_field.csv": _members(
            f'Ada,ada@example.org,Mentor,"{"archives " * 250_000}",2', "Bo,bo@example.org,Mentee,,"
        ),
        "workbook_basic.xlsx": basic,
        "workbook_several_sheets.xlsx": _workbook(
            {"Sheet1": [], "Responses": MEMBER_ROWS, "Summary": [["Total", 3]]}
        ),
        "workbook_formulas.xlsx": _workbook_formulas(),
        "workbook_wrong_dimension.xlsx": _workbook_wrong_dimension(),
        "workbook_blank_rows_and_offset_header.xlsx": _workbook(
            {"Form": [[], [], MEMBER_ROWS[0], MEMBER_ROWS[1], [], [None, None], MEMBER_ROWS[2]]}
        ),
        "workbook_empty.xlsx": _workbook({"Sheet1": [], "Sheet2": [[None]]}),
        "workbook_hidden_first_sheet.xlsx": _hidden_first("hidden"),
        "workbook_very_hidden_first_sheet.xlsx": _hidden_first("veryHidden"),
        "workbook_instructions_first.xlsx": _workbook(
            {
                "Sheet1": [["How to fill this in: one member per row on the next sheet, please."]],
                "Sheet2": MEMBER_ROWS,
            }
        ),
        "workbook_zero_padded_ids.xlsx": _zero_padded_ids(),
        "workbook_long_ids.xlsx": _workbook(
            {
                "Members": [
                    ["Member ID", "Name", "Role"],
                    [123456789012345678, "Ada", "Mentor"],
                    [223456789012345678, "Bo", "Mentee"],
                ]
            }
        ),
        "workbook_xfd_padded.xlsx": _xfd_padded(40),
        "workbook_capacity_date.xlsx": _capacity_date(),
        "workbook_header_only.xlsx": _workbook({"Members": [MEMBER_ROWS[0]]}),
        "workbook_duplicate_headers.xlsx": _workbook(
            {
                "Members": [
                    ["Name", "Email", "Role", "email"],
                    ["Ada", "a@example.org", "Mentor", "x"],
                ]
            }
        ),
        "csv_renamed.xlsx": _members(*CLEAN),
        "truncated.xlsx": basic[: len(basic) // 2],
        "truncated_tail.xlsx": basic[:-30],
        "encrypted.xlsx": _ole2(4096),
        "old_excel.xls": _ole2(2048),
        "zip_bomb.xlsx": _zip_bomb(),
        "billion_laughs.xlsx": _billion_laughs(basic),
        "zip_newer_version.xlsx": _zip_newer_version(basic),
        "not_a_workbook.xlsx": _zip({"readme.txt": b"hello"}),
        "word_document.docx": _zip({"word/document.xml": b"<w:document/>"}),
        "libreoffice.ods": _zip(
            {
                "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                "content.xml": b"<office:document-content/>",
            }
        ),
        "macro_workbook.xlsm": basic,
        "corrupt_workbook_xml.xlsx": _zip(
            {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<not closed"}
        ),
        "random_bytes.bin": _random(3000, 1),
        "random_bytes_named.csv": _random(500, 2),
        "random_bytes_named.xlsx": _random(500, 3),
        "png_renamed.csv": b"\x89PNG\r\n\x1a\n" + _random(300, 4),
    }


def build_all() -> dict[str, bytes]:
    """Every corpus file, name -> bytes."""
    return {**TEXT_CASES, **_binary_cases()}


def write_all(out: Path) -> list[Path]:
    """Write every corpus file into ``out``; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in sorted(build_all().items()):
        path = out / name
        path.write_bytes(data)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)
    paths = write_all(args.out)
    print(f"wrote {len(paths)} files to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
