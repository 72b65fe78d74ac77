"""Reading member files: encodings, delimiters, ragged rows, workbooks and unusable files."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mentoring.model.errors import LoadError
from mentoring.reading.ingest import RawTable, list_sheets, read_tables


def read(data: bytes, name: str = "members.csv", **kwargs) -> tuple[RawTable, list]:
    tables, issues = read_tables([(name, data)], **kwargs)
    assert len(tables) == 1
    return tables[0], issues


def codes(issues) -> list[str]:
    return [i.code for i in issues]


def workbook(sheets: dict[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_every_cell_is_text_and_na_like_names_survive():
    table, _ = read(b"ID,Name,Country\n007,None,NA\n0042,NaN,null\n")
    assert table.frame.to_dict("records") == [
        {"ID": "007", "Name": "None", "Country": "NA"},
        {"ID": "0042", "Name": "NaN", "Country": "null"},
    ]
    assert all(isinstance(v, str) for v in table.frame.to_numpy().ravel())
    assert table.row_numbers == (2, 3)


def test_utf8_bom_is_stripped_from_the_first_header():
    table, issues = read(b"\xef\xbb\xbfName,Email\nZo\xc3\xab,z@x.org\n")
    assert list(table.frame.columns) == ["Name", "Email"]
    assert table.frame.iloc[0, 0] == "Zoë"
    assert table.encoding == "utf-8-sig"
    assert "encoding" not in codes(issues)


def test_utf16_with_bom_and_tabs_is_read_and_reported():
    table, issues = read("Name\tEmail\nJosé\tj@x.org\n".encode("utf-16"))
    assert table.frame.iloc[0].tolist() == ["José", "j@x.org"]
    assert table.delimiter == "\t"
    assert table.encoding == "utf-16"
    assert "encoding" in codes(issues)


def test_utf16_without_bom_is_recognised_by_its_nul_pattern():
    table, issues = read("Name,Email\nAda,a@x.org\n".encode("utf-16-le"))
    assert table.encoding == "utf-16-le"
    assert table.frame.iloc[0].tolist() == ["Ada", "a@x.org"]
    assert "nul_bytes" not in codes(issues)


def test_cp1252_is_used_only_when_utf8_fails_and_is_reported():
    table, issues = read("Name\nRenée “Rae”\n".encode("cp1252"))
    assert table.frame.iloc[0, 0] == "Renée “Rae”"
    assert table.encoding == "cp1252"
    (issue,) = [i for i in issues if i.code == "encoding"]
    assert "cp1252" in issue.message and issue.severity == "info"


def test_bytes_neither_utf8_nor_cp1252_are_refused_rather_than_read_as_latin1():
    with pytest.raises(LoadError, match="encoding"):
        read(b"Name\nA\x81\x8d\x8f\x90\x9d\xff\xfe\n")


def test_excel_sep_line_sets_the_delimiter_and_is_not_a_row():
    table, _ = read(b"sep=;\r\nName;Email\r\nAda;a@x.org\r\n")
    assert table.delimiter == ";"
    assert table.frame.iloc[0].tolist() == ["Ada", "a@x.org"]
    assert table.row_numbers == (2,)


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed(delimiter):
    text = delimiter.join(["Name", "Email", "Role"]) + "\n"
    text += delimiter.join(["Ada, Countess", "a@x.org", "Mentor"]) + "\n"
    if delimiter == ",":
        text = 'Name,Email,Role\n"Ada, Countess",a@x.org,Mentor\n'
    table, _ = read(text.encode())
    assert table.delimiter == delimiter
    assert table.frame.iloc[0].tolist() == ["Ada, Countess", "a@x.org", "Mentor"]


@pytest.mark.parametrize("header", ["email,Name,email", "Email,Name, EMAIL "])
def test_duplicate_headers_are_refused_by_name(header):
    with pytest.raises(LoadError, match=r"appears twice \(columns A and C\)"):
        read(f"{header}\na@x.org,Ada,b@x.org\n".encode())


def test_extra_fields_are_flagged_with_their_row_and_the_row_kept():
    table, issues = read(b"Name,Email\nAda,a@x.org\nBo,b@x.org,oops\nCy,c@x.org,,\n")
    assert len(table.frame) == 3
    extra = [i for i in issues if i.code == "row_extra_fields"]
    assert [(i.row, i.severity) for i in extra] == [(3, "warning")]
    assert "'oops'" in extra[0].message


def test_short_rows_are_flagged_not_padded_silently():
    table, issues = read(b"Name,Email,Role\nAda,a@x.org\n")
    assert table.frame.iloc[0].tolist() == ["Ada", "a@x.org", ""]
    assert [(i.code, i.row) for i in issues] == [("row_short", 2)]


def test_empty_file_header_only_and_blank_rows_only_give_clear_messages():
    with pytest.raises(LoadError, match="the file is empty"):
        read(b"")
    with pytest.raises(LoadError, match="no members found"):
        read(b"Name,Email\r\n")
    with pytest.raises(LoadError, match="no members found.*header row and 3 blank"):
        read(b"Name,Email\n,\n , \n,\n")
    with pytest.raises(LoadError, match="no members found"):
        read(b",,\n,,\n")


def test_blank_rows_between_members_are_counted_and_row_numbers_kept():
    table, issues = read(b"Name\nAda\n\n,\nBo\n")
    assert table.row_numbers == (2, 5)
    (issue,) = [i for i in issues if i.code == "blank_rows"]
    assert "rows 3-4" in issue.message


def test_row_numbers_count_records_not_lines_when_answers_span_lines():
    table, _ = read(b'Name,Notes\nAda,"line one\nline two"\nBo,x\n')
    assert table.frame.iloc[0, 1] == "line one\nline two"
    assert table.row_numbers == (2, 3)


def test_unclosed_quote_does_not_swallow_the_rest_of_the_file():
    table, issues = read(b'Name,Notes\nAda,fine\nBo,"oops\nCy,ok\nDi,ok\n')
    assert table.frame["Name"].tolist() == ["Ada", "Bo", "Cy", "Di"]
    assert table.row_numbers == (2, 3, 4, 5)
    assert [(i.code, i.row) for i in issues] == [("unclosed_quote", 3)]


def test_nul_bytes_are_removed_with_a_warning():
    table, issues = read(b"Name,Email\nA\x00da,a@x.org\n")
    assert table.frame.iloc[0, 0] == "Ada"
    assert "nul_bytes" in codes(issues)


def test_huge_field_is_read_whole():
    big = "x" * 1_000_000
    table, _ = read(f'Name,Notes\nAda,"{big}"\n'.encode())
    assert len(table.frame.iloc[0, 1]) == 1_000_000


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("'=SUM(A1)", "=SUM(A1)"),
        ("'+44 20", "+44 20"),
        ("'-x", "-x"),
        ("'@me", "@me"),
        ("''=x", "'=x"),
        ("'tis", "'tis"),
        ("O'Brien", "O'Brien"),
    ],
)
def test_exporter_apostrophe_before_formula_characters_is_dropped_once(cell, expected):
    table, _ = read(f'Name\n"{cell}"\n'.encode())
    assert table.frame.iloc[0, 0] == expected


def test_blank_header_with_answers_gets_a_column_letter_name():
    table, issues = read(b"Name,,Email,\nAda,note,a@x.org,\n")
    assert list(table.frame.columns) == ["Name", "Column B", "Email"]
    assert "blank_header" in codes(issues)


def test_workbook_first_sheet_with_data_is_chosen_and_said():
    data = workbook(
        {"Instructions": [], "Members": [[], ["ID", "Name", "Joined"], ["007", "Ada", 3.0]]}
    )
    table, issues = read(data, "members.xlsx")
    assert table.sheet == "Members"
    assert table.frame.iloc[0].tolist() == ["007", "Ada", "3"]
    assert table.row_numbers == (3,)
    assert "sheet_chosen" in codes(issues)
    assert table.encoding is None and table.delimiter is None
    assert list_sheets(("members.xlsx", data)) == ["Instructions", "Members"]


def test_workbook_sheet_can_be_chosen_and_a_wrong_name_is_explained():
    data = workbook({"Mentors": [["Name"], ["Ada"]], "Mentees": [["Name"], ["Bo"]]})
    table, issues = read(data, "m.xlsx", sheet="Mentees")
    assert table.frame.iloc[0, 0] == "Bo"
    assert "sheet_chosen" not in codes(issues)
    with pytest.raises(LoadError, match="no sheet called 'Other'.*'Mentors', 'Mentees'"):
        read(data, "m.xlsx", sheet="Other")


def test_workbook_formula_without_saved_value_is_reported_not_read_as_text():
    data = workbook({"S": [["Name", "Capacity"], ["Ada", "=1+1"]]})
    table, issues = read(data, "m.xlsx")
    assert table.frame.iloc[0].tolist() == ["Ada", ""]
    (issue,) = [i for i in issues if i.code == "formula_without_value"]
    assert "B2" in issue.message


def test_workbook_with_only_empty_sheets_has_no_members():
    with pytest.raises(LoadError, match="no members found"):
        read(workbook({"A": [], "B": [[None]]}), "m.xlsx")


def test_csv_renamed_to_xlsx_is_read_as_csv_with_a_note():
    table, issues = read(b"Name\nAda\n", "members.xlsx")
    assert table.frame.iloc[0, 0] == "Ada"
    assert "csv_renamed" in codes(issues)


def test_truncated_workbook_is_refused():
    data = workbook({"S": [["Name"], ["Ada"]]})
    with pytest.raises(LoadError, match="incomplete or damaged"):
        read(data[: len(data) // 2], "m.xlsx")


def test_encrypted_or_xls_workbook_is_refused_with_what_to_do():
    with pytest.raises(LoadError, match="remove the password.*xlsx"):
        read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "m.xlsx")


def test_zip_bomb_is_refused_from_declared_sizes():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    data = bytearray(out.getvalue())
    central = data.find(b"PK\x01\x02")
    # Claim 3 GB uncompressed in the central directory, as a zip bomb does.
    data[central + 24 : central + 28] = struct.pack("<I", 3_000_000_000)
    with pytest.raises(LoadError, match="would unpack to 3000 MB"):
        read(bytes(data), "bomb.xlsx")


def test_word_document_is_named_as_such():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(LoadError, match="Word document"):
        read(out.getvalue(), "members.docx")


def test_random_binary_is_refused():
    with pytest.raises(LoadError, match="does not look like a spreadsheet|encoding"):
        read(bytes(range(32)) * 50, "members.csv")


def test_regression_a_file_on_disk_over_the_size_limit_says_so(tmp_path):
    # The size message was caught as a ValueError and reworded as "not a usable file name".
    path = tmp_path / "members.csv"
    path.write_bytes(b"Name\nAda\n")
    with pytest.raises(LoadError) as caught:
        read_tables(path, max_bytes=5)
    assert "members.csv: the file is 0.0 MB, more than the limit of 0.0 MB" in str(caught.value)
    assert "file name" not in str(caught.value)


def test_size_and_row_limits_are_enforced_with_the_numbers():
    with pytest.raises(LoadError, match="more than the limit of 0.0 MB"):
        read(b"Name\nAda\n", max_bytes=5)
    with pytest.raises(LoadError, match="3 member rows, more than the limit of 2"):
        read(b"Name\nA\nB\nC\n", max_rows=2)


def test_sources_may_be_paths_file_likes_and_pairs(tmp_path):
    path = tmp_path / "mentors.csv"
    path.write_bytes(b"Name\nAda\n")
    handle = io.BytesIO(b"Name\nBo\n")
    handle.name = "/uploads/mentees.csv"
    tables, _ = read_tables([path, str(path), handle, ("x.csv", b"Name\nCy\n")])
    assert [t.source for t in tables] == ["mentors.csv", "mentors.csv (2)", "mentees.csv", "x.csv"]
    assert read_tables(path)[0][0].frame.iloc[0, 0] == "Ada"


def test_missing_path_and_folder_and_nothing_are_load_errors(tmp_path):
    with pytest.raises(LoadError, match="no such file"):
        read_tables(tmp_path / "nope.csv")
    with pytest.raises(LoadError, match="folder"):
        read_tables(tmp_path)
    with pytest.raises(LoadError, match="No member file"):
        read_tables([])


def test_a_wrong_source_type_is_a_type_error():
    with pytest.raises(TypeError, match="expected a path"):
        read_tables(42)  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["m.csv", "m.xlsx", "m.txt"]))
def test_arbitrary_bytes_raise_nothing_but_load_error(data, name):
    try:
        tables, _ = read_tables([(name, data)])
    except LoadError:
        return
    table = tables[0]
    assert len(table.row_numbers) == len(table.frame) > 0
    assert all(isinstance(v, str) for v in table.frame.to_numpy().ravel())


_CELL_CHARS = st.one_of(
    st.characters(blacklist_categories=("Cs", "Cc")), st.sampled_from(list("\n\r\t,;\"'=|"))
)


def _unescape(cell: str) -> str:
    escaped = re.match(r"'+[=+\-@\t\r\n]", cell)
    return cell[1:] if escaped else cell


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.lists(st.text(_CELL_CHARS, max_size=8), min_size=2, max_size=2),
        min_size=1,
        max_size=6,
    )
)
def test_quoted_csv_round_trips_cell_for_cell(rows):
    import csv

    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(["Name", "Notes"])
    writer.writerows(rows)
    kept = [r for r in rows if any(c.strip() for c in r)]
    try:
        table, _ = read(out.getvalue().encode())
    except LoadError:
        assert not kept
        return
    expected = [[_unescape(c) for c in r] for r in kept]
    assert table.frame.to_numpy().tolist() == expected


def test_real_headings_only_form_export_has_no_members():
    shared = Path(__file__).resolve().parent / "data" / "realworld"
    path = shared / "jonodrew_mentor_match" / "form-output-headings.csv"
    with pytest.raises(LoadError, match="no members found"):
        read_tables(path)


def test_list_sheets_refuses_a_zip_bomb_before_parsing_it():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    data = bytearray(out.getvalue())
    central = data.find(b"PK\x01\x02")
    data[central + 24 : central + 28] = struct.pack("<I", 3_000_000_000)
    with pytest.raises(LoadError, match="would unpack"):
        list_sheets(("bomb.xlsx", bytes(data)))
    with pytest.raises(LoadError, match="password"):
        list_sheets(("old.xls", b"\xd0\xcf\x11\xe0" + bytes(100)))


def test_title_row_above_the_header_is_skipped_and_the_delimiter_still_found():
    table, issues = read(b"Mentoring sign-ups 2026\n\nName;Email\nAda;a@x.org\n")
    assert table.delimiter == ";"
    assert list(table.frame.columns) == ["Name", "Email"]
    assert table.row_numbers == (4,)
    (issue,) = [i for i in issues if i.code == "title_rows_skipped"]
    assert "row 1" in issue.message and "row 3" in issue.message


def test_single_column_file_keeps_its_header():
    table, issues = read(b"Email\na@x.org\nb@x.org\n")
    assert list(table.frame.columns) == ["Email"] and len(table.frame) == 2
    assert "title_rows_skipped" not in codes(issues)


_TEXT = st.text(
    st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc")), st.sampled_from(list("\r\n\t'=+-@"))
    ),
    max_size=10,
)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_TEXT, _TEXT), min_size=1, max_size=6))
@example([("", "\r")])
@example([("", "RESPONSE")])
def test_our_own_csv_export_reads_back_cell_for_cell(rows):
    import pandas as pd

    from mentoring.outputs import export

    frame = pd.DataFrame(rows, columns=["=Name", "Notes"], dtype=object)
    data = export.safe_frame_csv(frame)
    kept = [list(r) for r in rows if any(c.strip() for c in r)]
    try:
        table, _ = read(data)
    except LoadError:
        assert not kept
        return
    assert list(table.frame.columns) == ["=Name", "Notes"]
    assert table.frame.to_numpy().tolist() == kept


@pytest.mark.parametrize("path", ["members\x00.csv", "x" * 5000])
def test_impossible_file_names_are_load_errors(path):
    with pytest.raises(LoadError):
        read_tables(path)


def test_an_upload_read_once_already_is_read_again_from_the_start():
    upload = io.BytesIO(b"Name\nAda\n")
    upload.name = "members.csv"
    upload.read()
    assert read_tables(upload)[0][0].frame.iloc[0, 0] == "Ada"
    assert read_tables(upload)[0][0].frame.iloc[0, 0] == "Ada"


def test_regression_escaped_line_break_alone_is_a_blank_row():
    """Found in CI by hypothesis: our exporter writes a lone CR as "'\\r", which read as content."""
    table, issues = read(b'Name,Notes\r\nAna,x\r\n,"\'\r"\r\n')
    assert table.frame.to_numpy().tolist() == [["Ana", "x"]]
    assert "blank_rows" in codes(issues)


def test_qualtrics_three_header_rows_present_the_question_text():
    data = (
        "\ufeffStartDate,Q1,Q5_1,Q5_2\n"
        "Start Date,Your name,Topics - Maps,Topics - Data\n"
        '"{""ImportId"":""startDate""}","{""ImportId"":""QID1_TEXT""}",'
        '"{""ImportId"":""QID5_1""}","{""ImportId"":""QID5_2""}"\n'
        "2026-01-02 10:00,Ada,Maps,\n"
    ).encode()
    table, issues = read(data, "q.csv")
    assert list(table.frame.columns) == [
        "Start Date",
        "Your name",
        "Topics - Maps",
        "Topics - Data",
    ]
    assert table.raw_headers[2] == ("Q5_1", "Topics - Maps", '{"ImportId":"QID5_1"}')
    assert table.row_numbers == (4,)
    assert "header_rows" in codes(issues)


def test_surveymonkey_option_row_is_joined_to_its_question():
    data = (
        b"Respondent ID,Role,Topics,,\n"
        b",Response,Maps,Data,Other (please specify)\n"
        b"11,Mentor,Maps,,zines\n"
    )
    table, issues = read(data, "s.csv")
    assert list(table.frame.columns) == [
        "Respondent ID", "Role", "Topics - Maps", "Topics - Data", "Topics - Other (please specify)"
    ]  # fmt: skip
    assert table.raw_headers[3] == ("", "Data")
    assert table.row_numbers == (3,)


def test_hidden_and_instruction_sheets_are_passed_over_and_said():
    book = openpyxl.Workbook()
    book.remove(book.active)
    lookups = book.create_sheet("Lookups")
    lookups.append(["Roles"])
    lookups.append(["Mentor"])
    lookups.sheet_state = "hidden"
    help_sheet = book.create_sheet("Read me")
    help_sheet.append(["Type one member per row on the next sheet, and do not rename columns."])
    members = book.create_sheet("Sign-ups")
    members.append(["Name", "Role"])
    members.append(["Ada", "Mentor"])
    out = io.BytesIO()
    book.save(out)
    table, issues = read(out.getvalue(), "w.xlsx")
    assert table.sheet == "Sign-ups"
    (chosen,) = [i for i in issues if i.code == "sheet_chosen"]
    assert "'Lookups' is hidden" in chosen.message and "'Read me'" in chosen.message


def test_every_member_sheet_of_a_workbook_can_be_read():
    data = workbook(
        {
            "Mentors": [["Name", "Email"], ["Ada", "a@x.org"]],
            "Mentees": [["Name", "Email"], ["Bo", "b@x.org"]],
        }
    )
    tables, issues = read_tables(("m.xlsx", data), every_member_sheet=True)
    assert [t.sheet for t in tables] == ["Mentors", "Mentees"]
    assert [t.frame.iloc[0, 0] for t in tables] == ["Ada", "Bo"]
    # Without asking, the first sheet with members is read, as before.
    assert [t.sheet for t in read_tables(("m.xlsx", data))[0]] == ["Mentors"]


def test_regression_a_full_file_of_members_with_free_text_is_not_refused_for_its_size():
    # Four 50,000-row Google Forms exports with two free-text questions (about 30 MB each)
    # were refused by a 20 MB limit, though every one was within the row limit.
    answer = "I would like help with grant writing and public speaking this year. " * 40
    rows = "".join(f"m{k},Member {k},Mentee,{answer}\n" for k in range(10_000))
    data = ("id,name,role,What would you like to work on?\n" + rows).encode()
    assert len(data) > 25_000_000
    tables, _ = read_tables(("members.csv", data))
    assert len(tables[0].frame) == 10_000
