"""Issue 13, the reading half: each test is named after what broke, and failed before the fix.

Big files are generated here, never committed: an XFD-padded workbook, a workbook of
1,048,576 rows. ``minimal_workbook`` writes the few parts of an .xlsx by hand, so a sheet's XML
is exactly what the test says (an 18-digit number stored as text digits, a million rows in a
few seconds).
"""

from __future__ import annotations

import contextlib
import io
import time
import tracemalloc
import unicodedata
import zipfile
from collections.abc import Iterable
from datetime import datetime

import openpyxl
import pandas as pd
import pytest
from openpyxl.styles import Font

from mentoring.cli import main
from mentoring.model.errors import ConfigError, LoadError
from mentoring.reading.ingest import read_tables
from mentoring.reading.loader import load_members
from mentoring.reading.values import parse_capacity, parse_timezone, parse_years

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def minimal_workbook(sheet_xml: Iterable[bytes], *, styles: bytes | None = None) -> bytes:
    """An .xlsx of one sheet "Members" whose XML is the given chunks, as they are."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org'
            '/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            f'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
            f'{_CT}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{_CT}.worksheet+xml"/>'
            + (
                f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
                if styles
                else ""
            )
            + "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets><sheet name="Members" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/worksheet" '
            'Target="worksheets/sheet1.xml"/>'
            + (
                f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
                if styles
                else ""
            )
            + "</Relationships>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        if styles:
            archive.writestr("xl/styles.xml", styles)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            for chunk in sheet_xml:
                sheet.write(chunk)
    return out.getvalue()


def _sheet(rows: Iterable[bytes]) -> Iterable[bytes]:
    yield f'<worksheet xmlns="{_MAIN}"><sheetData>'.encode()
    yield from rows
    yield b"</sheetData></worksheet>"


def _text_row(number: int, cells: list[str]) -> bytes:
    inner = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{c}</t></is></c>'
        for i, c in enumerate(cells)
    )
    return f'<row r="{number}">{inner}</row>'.encode()


def book(sheets: dict[str, list[list[object]]], states: dict[str, str] | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        sheet.sheet_state = (states or {}).get(title, "visible")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


pd_na = pd.NA


def codes(report) -> set[str]:
    return {i.code for i in report.issues}


def issue(report, code: str):
    (found,) = [i for i in report.issues if i.code == code]
    return found


# 1. Unbounded cost: an XFD-padded workbook -------------------------------------------------


def xfd_padded(rows: int, far_value: str) -> bytes:
    """Members whose rows each hold one more, formatted, cell in column XFD (16,384)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Members"
    sheet.append(["Name", "Email", "Role", "Capacity"])
    bold = Font(bold=True)
    for i in range(rows):
        sheet.append([f"Member {i}", f"m{i}@example.org", "Mentor" if i % 2 else "Mentee", 1])
        far = sheet.cell(row=i + 2, column=16_384)
        far.font = bold
        far.value = far_value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_xfd_padded_workbook_costs_what_its_values_cost_not_16384_cells_a_row():
    # 45 KB: before, 40-76 s and 4-4.5 GB (a set of every blank cell); 108 KB: MemoryError.
    data = xfd_padded(1_700, " ")
    assert len(data) < 60_000
    tracemalloc.start()
    started = time.perf_counter()
    try:
        report = load_members(("padded.xlsx", data))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 10
    assert peak < 300_000_000, f"peak {peak / 1e6:.0f} MB"
    assert report.rows_read == report.rows_kept == 1_700


def test_xfd_values_past_the_cell_budget_are_refused_with_the_numbers():
    data = xfd_padded(1_700, "x")
    started = time.perf_counter()
    with pytest.raises(LoadError) as caught:
        load_members(("padded.xlsx", data))
    assert time.perf_counter() - started < 10
    message = str(caught.value)
    assert message.startswith("padded.xlsx: the sheet 'Members' spans more than 5,000,000 cells")
    assert "reaches column XFD" in message and "CSV" in message


# 2. A 1,048,576-row workbook ----------------------------------------------------------------


def test_million_row_workbook_is_refused_in_seconds_as_more_than_the_limit_not_50001_rows():
    def rows() -> Iterable[bytes]:
        yield _text_row(1, ["Name", "Role"])
        chunk = []
        for r in range(2, 1_048_577):
            chunk.append(
                b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d" t="inlineStr"><is><t>Mentee'
                b"</t></is></c></row>" % (r, r, r, r)
            )
            if len(chunk) == 20_000:
                yield b"".join(chunk)
                chunk = []
        yield b"".join(chunk)

    data = minimal_workbook(_sheet(rows()))
    started = time.perf_counter()
    with pytest.raises(LoadError) as caught:
        load_members(("tall.xlsx", data))
    # Before: 49.5-63 s, then "50001 member rows".
    assert time.perf_counter() - started < 15
    message = str(caught.value)
    assert "more than the limit of 50000 member rows" in message
    assert "50001" not in message


def test_a_csv_over_the_row_limit_gives_its_real_count():
    data = "Name,Role\n" + "".join(f"M{i},Mentee\n" for i in range(60_000))
    with pytest.raises(LoadError, match="60000 member rows, more than the limit of 50000"):
        load_members(("tall.csv", data.encode()))


# 5. Dates and absurd capacities -------------------------------------------------------------


def test_capacity_typed_1_2_that_excel_made_a_date_is_an_issue_not_capacity_2026():
    data = book(
        {
            "Members": [
                ["Name", "Email", "Role", "Capacity"],
                ["Ada", "ada@x.org", "Mentor", datetime(2026, 1, 2)],
                ["Cy", "cy@x.org", "Mentor", 2],
                ["Di", "di@x.org", "Mentor", 1],
                ["Bo", "bo@x.org", "Mentee", None],
            ]
        }
    )
    report = load_members(("dates.xlsx", data))
    found = issue(report, "capacity_unparsed")
    assert (found.row, found.column) == (2, "Capacity")
    assert "'2026-01-02' looks like a date" in found.message
    assert report.people["capacity"].tolist()[:3] == [pd_na, 2, 1]


@pytest.mark.parametrize(
    "typed", ["2-Jan", "02-Jan", "Jan-02", "1/2/2026", "2026-01-02", "1,000", "1000000"]
)
def test_dates_and_absurd_capacities_are_issues_on_their_row(typed):
    data = f'Name,Email,Role,Capacity\nAda,ada@x.org,Mentor,"{typed}"\nCy,cy@x.org,Mentor,2\n'
    data += "Di,di@x.org,Mentor,1\nBo,bo@x.org,Mentee,\n"
    report = load_members(("m.csv", data.encode()))
    found = issue(report, "capacity_unparsed")
    assert (found.file, found.row, found.column) == ("m.csv", 2, "Capacity")
    assert report.people["capacity"].tolist()[:3] == [pd_na, 2, 1]


def test_a_capacity_above_the_cohort_size_is_an_error_that_blocks_matching():
    data = b"Name,Email,Role,Capacity\nAda,ada@x.org,Mentor,12\nBo,bo@x.org,Mentee,\n"
    report = load_members(("m.csv", data))
    found = issue(report, "capacity_above_cohort")
    assert (found.severity, found.row, found.column) == ("error", 2, "Capacity")
    assert "12" in found.message and "2 members" in found.message
    assert report.has_errors and report.rows_kept == 2


# 6. Nothing a member typed may raise --------------------------------------------------------


HUGE = ["99999999999999999999", "9" * 400, "1e400", "-99999999999999999999", "1" + "0" * 30]


@pytest.mark.parametrize("typed", HUGE)
def test_a_huge_number_in_any_answer_raises_nothing(typed):
    header = "Name,Email,Role,Capacity,Years of experience,Time zone,Preferred mentor"
    data = f"{header}\nAda,ada@x.org,Mentor,{typed},{typed},UTC+{typed},{typed}\n"
    data += f"Bo,bo@x.org,Mentee,{typed},{typed},{typed},{typed}\n"
    report = load_members(("m.csv", data.encode()))  # before: OverflowError
    assert report.rows_read == report.rows_kept == 2
    if typed.lstrip("-").isdigit():
        assert "capacity_unparsed" in codes(report)
    for parse in (parse_capacity, parse_years, parse_timezone):
        with contextlib.suppress(ValueError):
            parse(typed)


# 7. Encodings -------------------------------------------------------------------------------


def test_one_stray_cp1252_byte_spoils_only_its_row_and_is_named():
    data = (
        "Name,Email,Role\nZoë Ñúñez,zoe@x.org,Mentor\nBo,bo@x.org,Mentee\n".encode()
        + "Renée,renee@x.org,Mentee\n".encode("cp1252")
    )
    report = load_members(("m.csv", data))
    assert report.people["name"].tolist() == ["Zoë Ñúñez", "Bo", "Renée"]  # not "ZoÃ« Ã‘ÃºÃ±ez"
    found = issue(report, "encoding_mixed")
    assert found.severity == "warning" and found.row == 4
    assert "row 4" in found.message and "Windows-1252" in found.message
    assert report.encodings["m.csv"] == "utf-8"


def test_mac_roman_file_is_read_as_such_with_a_warning_not_silent_mojibake():
    data = (
        "Name,Email,Role\nRenée Núñez,r@x.org,Mentor\nZoë,z@x.org,Mentee\nBo,b@x.org,Mentee\n"
    ).encode("mac_roman")
    report = load_members(("m.csv", data))
    assert report.people["name"].tolist() == ["Renée Núñez", "Zoë", "Bo"]  # not "RenŽe Nœ–ez"
    found = issue(report, "encoding_guessed")
    assert found.severity == "warning" and "Mac Roman" in found.message
    assert "rows 2-3" in found.message


def test_a_real_cp1252_file_is_still_cp1252():
    data = "Name,Email,Role\nRenée “Rae” Núñez,r@x.org,Mentor\n".encode("cp1252")
    report = load_members(("m.csv", data))
    assert report.people["name"].tolist() == ["Renée “Rae” Núñez"]
    assert issue(report, "encoding").severity == "info"


# 8. Numbers as Excel shows them -------------------------------------------------------------


def test_ids_with_a_00000_number_format_read_as_excel_shows_them():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Member ID", "Name", "Role"])
    sheet.append([123, "Ada", "Mentor"])
    sheet.append([42, "Bo", "Mentee"])
    sheet.append([0.1 + 0.2, "Cy", "Mentee"])
    for cell in ("A2", "A3"):
        sheet[cell].number_format = "00000"
    out = io.BytesIO()
    workbook.save(out)
    report = load_members(("ids.xlsx", out.getvalue()))
    assert report.people["member_id"].tolist() == ["00123", "00042", "0.3"]  # not "123", "42"


def test_an_18_digit_id_keeps_every_digit_the_file_holds():
    rows = [
        _text_row(1, ["Member ID", "Name", "Role"]),
        b'<row r="2"><c r="A2"><v>123456789012345678</v></c><c r="B2" t="inlineStr"><is><t>Ada'
        b'</t></is></c><c r="C2" t="inlineStr"><is><t>Mentor</t></is></c></row>',
        b'<row r="3"><c r="A3"><v>1.2345678901234568E+17</v></c><c r="B3" t="inlineStr"><is>'
        b'<t>Bo</t></is></c><c r="C3" t="inlineStr"><is><t>Mentee</t></is></c></row>',
    ]
    report = load_members(("ids.xlsx", minimal_workbook(_sheet(rows))))
    # Before: the second read as 123456789012345680 and nothing said Excel had rounded it.
    assert report.people["member_id"].tolist() == ["123456789012345678", "123456789012345680"]
    found = issue(report, "number_rounded")
    assert "A3" in found.message and "A2" not in found.message


# 9. Hidden sheets ---------------------------------------------------------------------------


MEMBERS = [["Name", "Email", "Role"], ["Ada", "ada@x.org", "Mentor"], ["Bo", "bo@x.org", "Mentee"]]
OLD = [["Name", "Email", "Role"], ["Old", "old@x.org", "Mentor"]]


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_first_sheet_is_skipped_unless_asked_and_the_sheet_read_is_named(state):
    data = book({"Last year": OLD, "Sign-ups": MEMBERS}, {"Last year": state})
    report = load_members(("w.xlsx", data))
    assert report.people["name"].tolist() == ["Ada", "Bo"]
    chosen = issue(report, "sheet_chosen")
    assert "'Sign-ups' was read" in chosen.message and "'Last year' is hidden" in chosen.message
    asked = load_members(("w.xlsx", data), sheet="Last year")
    assert asked.people["name"].tolist() == ["Old"]


def test_instructions_on_the_first_sheet_and_members_on_the_second_are_found():
    instructions = [["How to fill this in: one member per row on the next sheet, please."]]
    data = book({"Start here": instructions, "Sheet2": MEMBERS})
    report = load_members(("w.xlsx", data))
    assert report.people["name"].tolist() == ["Ada", "Bo"]
    assert "'Sheet2' was read" in issue(report, "sheet_chosen").message


def test_a_workbook_whose_only_data_is_hidden_says_it_read_a_hidden_sheet():
    data = book({"Members": MEMBERS, "Empty": []}, {"Members": "hidden"})
    report = load_members(("w.xlsx", data))
    assert report.rows_kept == 2
    assert "hidden sheet" in issue(report, "sheet_chosen").message


# 10. A file with no header row ---------------------------------------------------------------

HEADERLESS = b"Ada,ada@x.org,Mentor\nBo,bo@x.org,Mentee\nCy,cy@x.org,Mentee\n"


def test_headerless_file_counts_all_three_rows_and_says_how_to_read_it():
    report = load_members(("m.csv", HEADERLESS))
    missing = issue(report, "name_column_missing")
    assert "none of its 3 member rows" in missing.message  # before: "of its 2"
    assert "header=False" in missing.hint
    first = issue(report, "header_is_member")
    assert first.row == 1 and "'ada@x.org'" in first.message and "header=False" in first.hint


def test_headerless_file_mapped_as_asked_never_loses_the_first_member_silently():
    mapping = {"Ada": "name", "ada@x.org": "email", "Mentor": "role"}
    report = load_members(("m.csv", HEADERLESS), mapping=mapping)
    assert report.rows_kept == 2
    assert issue(report, "header_is_member").severity == "warning"  # the first member, reported


def test_the_first_row_can_be_read_as_a_member():
    mapping = {"Column A": "name", "Column B": "email", "Column C": "role"}
    report = load_members(("m.csv", HEADERLESS), header=False, mapping=mapping)
    assert report.rows_read == report.rows_kept == 3
    assert report.people["name"].tolist() == ["Ada", "Bo", "Cy"]
    assert not report.issues


# 11. Decimal commas -------------------------------------------------------------------------


def test_decimal_commas_in_a_semicolon_file_are_read_not_cut():
    data = "Name;Email;Role;Years of experience;Time zone\n"
    data += "Ada;ada@x.org;Mentor;12,75;UTC+5,5\nBo;bo@x.org;Mentee;1;UTC+5.5\n"
    people = load_members(("m.csv", data.encode())).people.set_index("name")
    assert people.loc["Ada", "years_experience"] == 12.75  # before: 12.0
    assert people.loc["Ada", "timezone"] == 5.5  # before: 5.0
    assert people.loc["Bo", "timezone"] == 5.5  # before: 5.0


def test_an_offset_with_an_impossible_fraction_is_an_issue():
    data = b"Name,Email,Role,Time zone\nAda,ada@x.org,Mentor,UTC+5.7\n"
    report = load_members(("m.csv", data))
    assert issue(report, "timezone_unknown").row == 2


# 12. The same email in NFC and NFD ----------------------------------------------------------


def test_the_same_email_in_nfc_and_nfd_is_one_member_flagged_as_a_duplicate():
    nfc = unicodedata.normalize("NFC", "zoë@x.org")
    nfd = unicodedata.normalize("NFD", "ZOË@x.org")
    data = f"Name,Email,Role\nZoë,{nfc},Mentor\nZoë N,{nfd},Mentor\n".encode()
    report = load_members(("m.csv", data))
    assert report.rows_kept == 1
    assert issue(report, "duplicate_member").row == 3


# 13. Same file name in two folders ----------------------------------------------------------


def _two_folders(tmp_path):
    (tmp_path / "mentors").mkdir()
    (tmp_path / "mentees").mkdir()
    mentors = tmp_path / "mentors" / "members.csv"
    mentees = tmp_path / "mentees" / "members.csv"
    mentors.write_bytes(b"Name,Email\nAda,ada@x.org\nCy,cy@x.org\n")
    mentees.write_bytes(b"Name,Email\nBo,bo@x.org\n")
    return mentors, mentees


def test_same_file_name_in_two_folders_keeps_each_side_by_path_or_position(tmp_path):
    mentors, mentees = _two_folders(tmp_path)
    for roles in (
        {str(mentors): "mentor", str(mentees): "mentee"},
        {mentors: "mentor", mentees: "mentee"},
        {0: "mentor", 1: "mentee"},
    ):
        report = load_members([mentors, mentees], roles=roles)
        assert report.counts == {"mentor": 2, "mentee": 1, "both": 0}, roles
        assert not report.has_errors


def test_a_file_name_shared_by_two_sources_is_refused_as_ambiguous(tmp_path):
    mentors, mentees = _two_folders(tmp_path)
    with pytest.raises(ConfigError, match="2 files have that name.*path or by its position"):
        load_members([mentors, mentees], roles={"members.csv": "mentor"})


def test_uploads_with_the_same_name_can_be_given_roles_by_position():
    uploads = [("members.csv", b"Name\nAda\n"), ("members.csv", b"Name\nBo\n")]
    report = load_members(uploads, roles={0: "mentor", 1: "mentee"})
    assert report.counts == {"mentor": 1, "mentee": 1, "both": 0}


def test_cli_mentors_and_mentees_with_the_same_file_name_are_both_read(tmp_path):
    mentors, mentees = _two_folders(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["validate", "--json", "--mentors", str(mentors), "--mentees", str(mentees)],
        stdout=out,
        stderr=err,
    )
    assert code in (0, 1), err.getvalue()
    text = out.getvalue()
    assert '"mentors": 2' in text and '"mentees": 1' in text, text


def test_tables_remember_which_source_they_came_from():
    tables, _ = read_tables([("a.csv", b"Name\nAl\n"), ("a.csv", b"Name\nBo\n")])
    assert [(t.source, t.origin) for t in tables] == [("a.csv", 0), ("a.csv (2)", 1)]
