"""The malformed-input corpus: every file a coordinator could produce, with its expected outcome.

Each file in ``tests/corpus/`` (written by ``tests/corpus/make_corpus.py``) either raises
:class:`LoadError` with a message naming the file and containing a phrase, or loads with a known
number of rows kept and dropped and at least the listed issue codes. Nothing else may be raised,
and ``rows_read == rows_kept + rows_dropped`` for every file that loads.
"""

from __future__ import annotations

import importlib.util
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from mentoring.model.errors import LoadError
from mentoring.reading.loader import LoadReport, load_members

CORPUS = Path(__file__).resolve().parent / "corpus"


@dataclass(frozen=True)
class Loads:
    kept: int
    dropped: int = 0
    codes: frozenset[str] = frozenset()
    exact: bool = False


@dataclass(frozen=True)
class Refused:
    phrase: str


def loads(kept: int, dropped: int = 0, *codes: str, exact: bool = False) -> Loads:
    return Loads(kept, dropped, frozenset(codes), exact)


EXPECTED: dict[str, Loads | Refused] = {
    "bad_emails.csv": loads(3, 0, "email_invalid"),
    "billion_laughs.xlsx": Refused("is damaged and cannot be read"),
    "blank_header_column.csv": loads(1, 0, "blank_header"),
    "blank_rows_only.csv": Refused("no members found"),
    # Nobody answered its Interests column: not used, and the report says so.
    "capacity_words.csv": loads(5, 0, "capacity_unparsed", "unmapped_columns", exact=True),
    # Issue 13: a capacity "1-2" turned into a date, "1,000", a number past any integer.
    "capacity_dates_and_thousands.csv": loads(7, 0, "capacity_unparsed", exact=True),
    "capacity_overflow.csv": loads(4, 0, "capacity_unparsed", exact=True),
    # A capacity above the whole cohort: the row is kept, matching is blocked.
    "capacity_above_cohort.csv": loads(3, 0, "capacity_above_cohort", exact=True),
    "email_nfc_and_nfd.csv": loads(2, 1, "duplicate_member", exact=True),
    "mac_roman.csv": loads(3, 0, "encoding_guessed", exact=True),
    # No header row: its first member is named (header_is_member), the rest cannot be used.
    "no_header_row.csv": loads(
        0, 2, "header_is_member", "name_column_missing", "unmapped_columns", exact=True
    ),
    "semicolon_decimal_commas.csv": loads(2, exact=True),
    "utf8_stray_cp1252_byte.csv": loads(3, 0, "encoding_mixed", exact=True),
    "workbook_capacity_date.xlsx": loads(4, 0, "capacity_unparsed", exact=True),
    "workbook_hidden_first_sheet.xlsx": loads(3, 0, "sheet_chosen", "unmapped_columns", exact=True),
    "workbook_very_hidden_first_sheet.xlsx": loads(
        3, 0, "sheet_chosen", "unmapped_columns", exact=True
    ),
    "workbook_instructions_first.xlsx": loads(3, 0, "sheet_chosen", "unmapped_columns", exact=True),
    "workbook_long_ids.xlsx": loads(2, 0, "number_rounded", exact=True),
    # Every member row has a formatted cell in column XFD (issue 13): read at no extra cost.
    "workbook_xfd_padded.xlsx": loads(40, exact=True),
    "workbook_zero_padded_ids.xlsx": loads(3, exact=True),
    "clean_utf8.csv": loads(3, exact=True),
    "corrupt_workbook_xml.xlsx": Refused("damaged and cannot be opened"),
    "cp1252_accents.csv": loads(2, 0, "encoding", exact=True),
    "csv_renamed.xlsx": loads(3, 0, "csv_renamed", exact=True),
    "duplicate_headers.csv": Refused('"Email" appears twice (columns B and D)'),
    "duplicate_headers_case.csv": Refused("appears twice (columns B and D)"),
    "duplicate_members_same_email.csv": loads(2, 1, "duplicate_member", exact=True),
    "duplicate_members_same_id.csv": loads(2, 1, "duplicate_member", exact=True),
    "empty.csv": Refused("the file is empty"),
    "encrypted.xlsx": Refused("remove the password"),
    "excel_sep_line.csv": loads(2, exact=True),
    "formula_injection_text.csv": loads(2, exact=True),
    "google_forms_blank_rows.csv": loads(3, 0, "blank_rows", exact=True),
    "google_forms_questions.csv": loads(2, 0, "unmapped_columns", exact=True),
    "header_only.csv": Refused("no members found"),
    "html_sign_in_page.csv": Refused("web page (HTML)"),
    "huge_field.csv": loads(2, exact=True),
    "json_not_csv.json": Refused("JSON file"),
    "leading_blank_lines.csv": loads(1, exact=True),
    "leading_zero_ids.csv": loads(3, exact=True),
    "libreoffice.ods": Refused("OpenDocument file, not an Excel workbook"),
    "mac_classic_cr.csv": loads(2, exact=True),
    "macro_workbook.xlsm": loads(3, 0, "unmapped_columns", exact=True),
    "mentors_then_mentees_same_person.csv": loads(1, 1, "duplicate_member", exact=True),
    # Its ID is the form's response counter (1, 2, ...), not a member id (issue 11).
    "microsoft_forms_export.csv": loads(
        2, 0, "email_invalid", "unmapped_columns", "member_id_from_name", exact=True
    ),
    "missing_required_values.csv": loads(
        1, 4, "name_missing", "role_missing", "role_unknown", "id_missing", exact=True
    ),
    "multiline_answers.csv": loads(3, exact=True),
    "na_like_names.csv": loads(5, exact=True),
    "no_name_column.csv": loads(0, 2, "name_column_missing", exact=True),
    "no_role_column.csv": loads(0, 2, "role_column_missing", exact=True),
    "not_a_workbook.xlsx": Refused("not an Excel workbook"),
    "nul_bytes.csv": loads(3, 0, "nul_bytes", exact=True),
    "old_excel.xls": Refused("save it as an Excel Workbook (.xlsx)"),
    "pdf_not_csv.csv": Refused("PDF document"),
    "pipe_separated.txt": loads(2, exact=True),
    "png_renamed.csv": Refused("PNG image"),
    "preferred_mentor_names.csv": loads(
        5, 0, "preferred_fuzzy", "preferred_ambiguous", "preferred_unknown", exact=True
    ),
    "ragged_extra_fields.csv": loads(3, 0, "row_extra_fields", exact=True),
    "ragged_short_rows.csv": loads(2, 0, "row_short", exact=True),
    "random_bytes.bin": Refused("encoding that cannot be recognised"),
    "random_bytes_named.csv": Refused("encoding that cannot be recognised"),
    "random_bytes_named.xlsx": Refused("encoding that cannot be recognised"),
    "role_words.csv": loads(4, exact=True),
    "semicolon_european.csv": loads(2, exact=True),
    "tab_separated.tsv": loads(2, exact=True),
    "timezones_mixed.csv": loads(5, 0, "timezone_unknown", exact=True),
    "title_row_above_header.csv": loads(2, 0, "title_rows_skipped", exact=True),
    "trailing_delimiters.csv": loads(2, exact=True),
    "truncated.xlsx": Refused("incomplete or damaged"),
    "truncated_tail.xlsx": Refused("incomplete or damaged"),
    "unclosed_quote.csv": loads(4, 0, "unclosed_quote", exact=True),
    "utf16_be_bom.csv": loads(2, 0, "encoding", exact=True),
    "utf16_le_bom_tab.txt": loads(2, 0, "encoding", exact=True),
    "utf16_no_bom.csv": loads(2, 0, "encoding", exact=True),
    "utf8_bom.csv": loads(2, exact=True),
    "whitespace_only.csv": Refused("the file is empty"),
    "word_document.docx": Refused("Word document"),
    "workbook_basic.xlsx": loads(3, 0, "unmapped_columns", exact=True),
    "workbook_blank_rows_and_offset_header.xlsx": loads(
        2, 0, "blank_rows", "unmapped_columns", exact=True
    ),
    "workbook_duplicate_headers.xlsx": Refused(
        "sheet 'Members': the header \"email\" appears twice"
    ),
    "workbook_empty.xlsx": Refused("no members found"),
    # Its Notes column holds only formulas with no saved value: blank, so not used.
    "workbook_formulas.xlsx": loads(2, 0, "formula_without_value", "unmapped_columns", exact=True),
    "workbook_header_only.xlsx": Refused("no members found"),
    "workbook_wrong_dimension.xlsx": loads(3, 0, "unmapped_columns", exact=True),
    "workbook_several_sheets.xlsx": loads(3, 0, "sheet_chosen", "unmapped_columns", exact=True),
    "zip_bomb.xlsx": Refused("would unpack to"),
    "zip_newer_version.xlsx": Refused("incomplete or damaged"),
}


def corpus_files() -> list[str]:
    return sorted(p.name for p in CORPUS.iterdir() if p.suffix != ".py" and p.is_file())


def load(name: str) -> LoadReport:
    return load_members(CORPUS / name)


def test_corpus_has_at_least_forty_files_and_each_has_an_expectation():
    files = corpus_files()
    assert len(files) >= 40
    assert sorted(EXPECTED) == files


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_outcome(name):
    expected = EXPECTED[name]
    if isinstance(expected, Refused):
        with pytest.raises(LoadError) as caught:
            load(name)
        message = str(caught.value)
        assert expected.phrase in message
        assert message.startswith(name), "the message must say which file"
        return
    report = load(name)
    assert report.rows_read == report.rows_kept + report.rows_dropped
    assert (report.rows_kept, report.rows_dropped) == (expected.kept, expected.dropped)
    codes = {i.code for i in report.issues}
    if expected.exact:
        assert codes == set(expected.codes)
    else:
        assert set(expected.codes) <= codes
    dropped_rows = [
        i for i in report.issues if i.severity == "error" and i.code != "capacity_above_cohort"
    ]
    assert bool(dropped_rows) == bool(report.rows_dropped)
    assert all(i.file == name for i in report.issues)


def people(name: str):
    return load(name).people.set_index("member_id")


def test_cp1252_names_are_read_without_mojibake():
    assert list(people("cp1252_accents.csv")["name"]) == ["Renée “Rae” Núñez", "François Ægir"]


def test_utf16_and_bom_files_read_the_same_names():
    assert list(people("utf16_le_bom_tab.txt")["name"]) == ["Zoë Ng", "İlkay"]
    assert list(people("utf16_no_bom.csv")["name"]) == ["Zoë Ng", "Bo"]
    assert list(people("utf8_bom.csv").columns)[0] == "name"


def test_na_like_names_and_leading_zero_ids_survive():
    assert list(people("na_like_names.csv")["name"]) == ["None", "NA", "Null", "NaN", "N/A"]
    assert list(people("leading_zero_ids.csv").index) == ["007", "0042", "00000"]


def test_sep_line_and_semicolons_give_the_same_members():
    assert list(people("excel_sep_line.csv").index) == ["ada@example.org", "bo@example.org"]
    assert people("semicolon_european.csv").loc["ada@example.org", "years_experience"] == 2.5


def test_capacities_in_words():
    capacity = people("capacity_words.csv")["capacity"]
    assert capacity.tolist()[:3] == [2, 1, 3]
    assert capacity.isna().tolist() == [False, False, False, True, False]
    assert capacity.iloc[4] == 2


def test_multiline_answers_stay_in_one_cell():
    notes = people("multiline_answers.csv")["notes"]
    assert notes.loc["bo@example.org"] == "line one\nline two\nline three"


def test_unclosed_quote_keeps_the_rows_after_it():
    report = load("unclosed_quote.csv")
    assert list(report.people["name"]) == ["Ada Lovelace", "Bo Chen", "Cy Diaz", "Di Eze"]
    (issue,) = report.issues
    assert issue.row == 3


def test_huge_field_is_kept_whole():
    interests = people("huge_field.csv").loc["ada@example.org", "interests"]
    assert interests == (("archives " * 250_000).strip(),)


def test_formulas_are_read_as_text_or_saved_values_never_evaluated():
    text = people("formula_injection_text.csv")
    assert text["name"].tolist() == ['=HYPERLINK("http://evil.example","x")', "=1+1"]
    workbook = people("workbook_formulas.xlsx")
    assert workbook["capacity"].tolist()[0] == 2
    assert workbook["capacity"].isna().tolist() == [False, True]


def test_workbook_values_are_text_with_leading_zeros_kept():
    basic = people("workbook_basic.xlsx")
    assert list(basic.index) == ["007", "0042", "43"]
    assert basic["capacity"].tolist()[0] == 2
    offset = load("workbook_blank_rows_and_offset_header.xlsx")
    (blank,) = [i for i in offset.issues if i.code == "blank_rows"]
    assert "rows 5-6" in blank.message


def test_several_sheets_says_which_was_read():
    report = load("workbook_several_sheets.xlsx")
    (issue,) = [i for i in report.issues if i.code == "sheet_chosen"]
    assert "'Responses'" in issue.message
    chosen = load_members(CORPUS / "workbook_several_sheets.xlsx", sheet="Responses")
    assert not [i for i in chosen.issues if i.code == "sheet_chosen"]


def test_google_forms_question_headers_and_comma_labels():
    row = people("google_forms_questions.csv").loc["ada@example.org"]
    assert row["interests"] == ("diversity, equity and inclusion", "outreach", "zines, comics")
    assert (row["capacity"], row["timezone"], row["meeting_mode"]) == (2, -5.0, "either")
    assert people("google_forms_questions.csv").loc["bo@example.org", "preferred_mentors"] == (
        "ada@example.org",
    )


def test_corpus_generator_is_deterministic(tmp_path):
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write_all(tmp_path)
    for name in corpus_files():
        assert (tmp_path / name).read_bytes() == (CORPUS / name).read_bytes(), name


def test_rows_beyond_a_wrongly_declared_sheet_size_are_not_lost():
    report = load("workbook_wrong_dimension.xlsx")
    assert list(report.people["member_id"]) == ["007", "0042", "43"]
    assert report.people.set_index("member_id").loc["43", "capacity"] == 1


def test_issue_13_files_read_what_members_meant():
    assert people("capacity_dates_and_thousands.csv")["capacity"].tolist()[2:5] == [2, 1, 3]
    assert people("capacity_dates_and_thousands.csv")["capacity"].iloc[:2].isna().all()
    assert people("workbook_capacity_date.xlsx")["capacity"].iloc[0] is pd.NA
    decimals = people("semicolon_decimal_commas.csv")
    assert decimals["years_experience"].tolist() == [12.75, 1.5]
    assert decimals["timezone"].tolist() == [5.5, -3.5]
    assert list(people("workbook_zero_padded_ids.xlsx").index) == ["00123", "00042", "00007"]
    assert list(people("mac_roman.csv")["name"]) == ["Renée Núñez", "Zoë Ng", "Bo Chen"]
    stray = people("utf8_stray_cp1252_byte.csv")
    assert list(stray["name"]) == ["Zoë Ñúñez", "Bo Chen", "Renée Roy"]
    hidden = load("workbook_hidden_first_sheet.xlsx")
    assert "'Sign-ups' was read" in next(
        i.message for i in hidden.issues if i.code == "sheet_chosen"
    )


def test_the_xfd_padded_corpus_file_reads_quickly():
    started = time.perf_counter()
    assert load("workbook_xfd_padded.xlsx").rows_kept == 40
    assert time.perf_counter() - started < 2
