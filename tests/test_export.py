"""Exports: formula neutralising, quoting, privacy defaults, and export -> import identity."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mentoring import pipeline
from mentoring.model.config import MatchConfig
from mentoring.model.people import empty_people
from mentoring.model.results import (
    PAIR_COLUMNS,
    UNMATCHED_COLUMNS,
    AuditReport,
    MatchResult,
    MatchStats,
)
from mentoring.outputs.export import (
    FORMULA_TRIGGERS,
    PAIRS_TABLE_COLUMNS,
    export_bytes,
    mail_merge,
    matches_csv,
    matches_xlsx,
    pairs_table,
    restore_cell,
    safe_cell,
    safe_frame_csv,
)
from mentoring.reading import ingest


def make_people(rows: list[dict]) -> pd.DataFrame:
    people = pd.concat([empty_people(), pd.DataFrame(rows)], ignore_index=True)
    for column in ("identities", "identity_preference"):
        people[column] = [v if isinstance(v, tuple) else () for v in people[column]]
    people["capacity"] = people["capacity"].astype("Int64")
    return people


def make_result(
    people: pd.DataFrame,
    pairs: list[tuple[str, str, float, str]],
    unmatched: list[tuple[str, str]] = (),
    config: MatchConfig | None = None,
) -> MatchResult:
    """A MatchResult built by hand from (mentee, mentor, score, reasons) and (member, reason)."""
    by_id = people.set_index("member_id")
    frame = pd.DataFrame(
        [
            {
                "mentee_id": e,
                "mentee_name": by_id.at[e, "name"],
                "mentee_email": by_id.at[e, "email"],
                "mentor_id": r,
                "mentor_name": by_id.at[r, "name"],
                "mentor_email": by_id.at[r, "email"],
                "score": score,
                "reasons": reasons,
                "locked": False,
            }
            for e, r, score, reasons in pairs
        ],
        columns=list(PAIR_COLUMNS),
    )
    left = pd.DataFrame(
        [
            {
                "member_id": m,
                "name": by_id.at[m, "name"],
                "email": by_id.at[m, "email"],
                "role": by_id.at[m, "role"],
                "reason": reason,
            }
            for m, reason in unmatched
        ],
        columns=list(UNMATCHED_COLUMNS),
    )
    n = len(frame)
    total = float(frame["score"].sum()) if n else 0.0
    stats = MatchStats(n, n, n, 0, 0, total, total / max(n, 1), 0.0, n, n, n, 0.0, True, total)
    return MatchResult(
        pairs=frame,
        unmatched=left,
        alternatives=pd.DataFrame(),
        stats=stats,
        config=config or MatchConfig(),
        audit=AuditReport(ok=True),
    )


HOSTILE = {
    "equals": '=HYPERLINK("http://evil.example","click")',
    "plus": "+1+cmd|' /C calc'!A0",
    "minus": "-2+3",
    "at": "@SUM(1,2)",
    "tab": "\t=1",
    "cr": "\r=1",
    "lf": "\n=1",
    "nul": "\x00=1",
}


@pytest.fixture
def hostile():
    """Three members whose every text answer is formula-like, one pair, one unmatched."""
    people = make_people(
        [
            {
                "member_id": "e1",
                "name": HOSTILE["equals"],
                "email": "=e1@example.org",
                "role": "mentee",
                "identities": ("race: black", "woman"),
                "identity_preference": ("race: black",),
            },
            {
                "member_id": "r1",
                "name": HOSTILE["at"],
                "email": "r1@example.org",
                "role": "mentor",
                "capacity": 2,
                "identities": ("race: black",),
            },
            {
                "member_id": "e2",
                "name": HOSTILE["minus"],
                "email": "e2@example.org",
                "role": "mentee",
            },
        ]
    )
    result = make_result(
        people, [("e1", "r1", 0.75, HOSTILE["plus"])], unmatched=[("e2", HOSTILE["tab"])]
    )
    return result, people


@pytest.mark.parametrize("char", list(FORMULA_TRIGGERS))
def test_safe_cell_prefixes_every_trigger_character(char):
    assert safe_cell(char + "x") == "'" + char + "x"
    assert restore_cell(safe_cell(char + "x")) == char + "x"


@pytest.mark.parametrize("value", [0, -3, 2.5, -0.25, True, False])
def test_safe_cell_leaves_numbers_alone(value):
    assert safe_cell(value) is value


@pytest.mark.parametrize("text", ["Ada", "", "'tis", "a=b", " =1", "'", "''x"])
def test_safe_cell_leaves_harmless_text_alone(text):
    assert safe_cell(text) == text
    assert restore_cell(text) == text


def test_value_already_starting_with_apostrophe_then_equals_survives_round_trip():
    for text in ("'=1", "''+x", "'''@"):
        assert safe_cell(text) == "'" + text
        assert restore_cell(safe_cell(text)) == text


def test_pairs_table_columns_and_joined_reasons(hostile):
    result, people = hostile
    table = pairs_table(result, people)
    assert tuple(table.columns) == PAIRS_TABLE_COLUMNS
    assert table.loc[0, "mentee_name"] == HOSTILE["equals"]
    assert table.loc[0, "score"] == 0.75


def test_demographics_absent_unless_asked(hostile):
    result, people = hostile
    for data in (
        matches_csv(result, people),
        mail_merge(result, people, "mentee"),
        mail_merge(result, people, "mentor"),
    ):
        text = data.decode("utf-8-sig")
        assert "race: black" not in text
        assert "identit" not in text
    book = openpyxl.load_workbook(io.BytesIO(matches_xlsx(result, people)))
    cells = [str(c.value) for ws in book for row in ws.iter_rows() for c in row]
    assert not any("race: black" in c or "identit" in c for c in cells)


def test_demographics_present_when_asked(hostile):
    result, people = hostile
    table = pairs_table(result, people, include_demographics=True)
    assert table.loc[0, "mentee_identities"] == "race: black; woman"
    assert table.loc[0, "mentee_identity_preference"] == "race: black"
    assert table.loc[0, "mentor_identities"] == "race: black"
    assert "mentee_identities" in matches_csv(result, people, include_demographics=True).decode(
        "utf-8-sig"
    )


def read_csv_back(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    return [[restore_cell(c) for c in row] for row in rows]


def test_csv_neutralises_formula_cells_and_round_trips(hostile):
    result, people = hostile
    data = matches_csv(result, people)
    raw = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    for row in raw:
        for cell in row:
            assert not cell or cell[0] not in FORMULA_TRIGGERS, cell
    back = read_csv_back(data)
    assert back[0] == list(PAIRS_TABLE_COLUMNS)
    assert back[1][1] == HOSTILE["equals"]
    assert back[1][2] == "=e1@example.org"
    assert back[1][7] == HOSTILE["plus"]


def test_csv_quotes_every_field_and_uses_crlf(hostile):
    result, people = hostile
    text = matches_csv(result, people).decode("utf-8-sig")
    first = text.split("\r\n")[0]
    assert first == ",".join(f'"{c}"' for c in PAIRS_TABLE_COLUMNS)


def test_bare_carriage_return_stays_in_one_row():
    # CPython before 3.11.9 wrote a lone "\r" unquoted, and it read back as two rows.
    people = make_people(
        [
            {"member_id": "e", "name": "A\rB", "email": "a@example.org", "role": "mentee"},
            {"member_id": "r", "name": "C\r\nD\nE", "email": "c@example.org", "role": "mentor"},
        ]
    )
    rows = read_csv_back(matches_csv(make_result(people, [("e", "r", 0.5, "x\ry")]), people))
    assert len(rows) == 2
    assert rows[1][1] == "A\rB" and rows[1][4] == "C\r\nD\nE" and rows[1][7] == "x\ry"


def test_xlsx_has_no_formula_cells_and_keeps_values(hostile):
    result, people = hostile
    book = openpyxl.load_workbook(io.BytesIO(matches_xlsx(result, people)))
    assert book.sheetnames == ["Pairs", "Mentors", "Unmatched"]
    for sheet in book:
        assert sheet.freeze_panes == "A2"
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    pairs = book["Pairs"]
    assert pairs["B2"].value == HOSTILE["equals"] and pairs["B2"].data_type == "s"
    assert pairs["H2"].value == HOSTILE["plus"]
    assert pairs["G2"].value == 0.75 and pairs["G2"].data_type == "n"
    unmatched = [[c.value for c in r] for r in book["Unmatched"].iter_rows()]
    assert unmatched[0] == list(UNMATCHED_COLUMNS)
    assert unmatched[1] == ["e2", HOSTILE["minus"], "e2@example.org", "mentee", HOSTILE["tab"]]


def test_xlsx_mentors_sheet_lists_each_mentor_with_load_and_capacity():
    people = make_people(
        [
            {"member_id": "e1", "name": "Ann", "email": "ann@example.org", "role": "mentee"},
            {"member_id": "e2", "name": "Ben", "email": "ben@example.org", "role": "mentee"},
            {"member_id": "r1", "name": "Cy", "email": "cy@example.org", "role": "mentor"},
            {
                "member_id": "r2",
                "name": "Di",
                "email": "di@example.org",
                "role": "both",
                "capacity": 3,
            },
        ]
    )
    result = make_result(
        people,
        [("e1", "r1", 0.5, ""), ("e2", "r1", 0.4, "")],
        config=MatchConfig(default_capacity=2),
    )
    book = openpyxl.load_workbook(io.BytesIO(matches_xlsx(result, people)))
    rows = [[c.value for c in r] for r in book["Mentors"].iter_rows()]
    assert rows[0][:5] == ["mentor_id", "mentor_name", "mentor_email", "load", "capacity"]
    assert rows[1] == [
        "r1",
        "Cy",
        "cy@example.org",
        2,
        2,
        "Ann; Ben",
        "ann@example.org; ben@example.org",
    ]
    assert rows[2][:5] == ["r2", "Di", "di@example.org", 0, 3]


def test_typed_apostrophe_before_formula_character_is_escaped_alike_in_csv_and_xlsx():
    people = make_people(
        [
            {"member_id": "e", "name": "'=Ann", "email": "'tis@example.org", "role": "mentee"},
            {"member_id": "r", "name": "=Rob", "email": "r@example.org", "role": "mentor"},
        ]
    )
    result = make_result(people, [("e", "r", 0.5, "")])
    pairs = openpyxl.load_workbook(io.BytesIO(matches_xlsx(result, people)))["Pairs"]
    assert [pairs["B2"].value, pairs["C2"].value, pairs["E2"].value] == [
        "''=Ann",
        "'tis@example.org",
        "=Rob",
    ]
    assert restore_cell(pairs["B2"].value) == "'=Ann"
    assert read_csv_back(matches_csv(result, people))[1][1:5] == [
        "'=Ann",
        "'tis@example.org",
        "r",
        "=Rob",
    ]


def test_xlsx_writes_every_line_break_as_lf():
    people = make_people(
        [
            {"member_id": "e", "name": "A\rB\r\nC\nD", "email": "a@example.org", "role": "mentee"},
            {"member_id": "r", "name": "R", "email": "r@example.org", "role": "mentor"},
        ]
    )
    data = matches_xlsx(make_result(people, [("e", "r", 0.5, "")]), people)
    assert openpyxl.load_workbook(io.BytesIO(data))["Pairs"]["B2"].value == "A\nB\nC\nD"


def test_xlsx_drops_control_characters_it_cannot_store():
    people = make_people(
        [
            {"member_id": "e", "name": "A\x00\x07B", "email": "a@example.org", "role": "mentee"},
            {"member_id": "r", "name": "R", "email": "r@example.org", "role": "mentor"},
        ]
    )
    data = matches_xlsx(make_result(people, [("e", "r", 0.5, "")]), people)
    assert openpyxl.load_workbook(io.BytesIO(data))["Pairs"]["B2"].value == "AB"


def test_mail_merge_one_row_per_mentor_and_per_mentee():
    people = make_people(
        [
            {"member_id": "e1", "name": "Zoe Ink", "email": "zoe@example.org", "role": "mentee"},
            {"member_id": "e2", "name": "al Page", "email": "al@example.org", "role": "mentee"},
            {"member_id": "r1", "name": "Cy Book", "email": "cy@example.org", "role": "mentor"},
        ]
    )
    result = make_result(people, [("e1", "r1", 0.5, "shares archives"), ("e2", "r1", 0.4, "")])
    mentors = read_csv_back(mail_merge(result, people, "mentor"))
    assert mentors == [
        ["mentor_name", "first_name", "mentor_email", "mentee_count", "mentee_names",
         "mentee_emails"],
        ["Cy Book", "Cy", "cy@example.org", "2", "al Page; Zoe Ink",
         "al@example.org; zoe@example.org"],
    ]  # fmt: skip
    mentees = read_csv_back(mail_merge(result, people, "mentee"))
    assert [r[0] for r in mentees[1:]] == ["al Page", "Zoe Ink"]
    assert mentees[2] == [
        "Zoe Ink", "Zoe", "zoe@example.org", "Cy Book", "cy@example.org", "shares archives"
    ]  # fmt: skip


def test_safe_frame_csv_neutralises_any_table():
    frame = pd.DataFrame(
        {"circle": [1, 2], "members": [("=Ada", "Bo"), ()], "score": [0.5, float("nan")]}
    )
    rows = read_csv_back(safe_frame_csv(frame))
    assert rows == [["circle", "members", "score"], ["1", "=Ada; Bo", "0.5"], ["2", "", ""]]
    raw = safe_frame_csv(frame).decode("utf-8-sig")
    assert '"\'=Ada; Bo"' in raw
    with pytest.raises(TypeError, match="expected a DataFrame, got list"):
        safe_frame_csv([1, 2])


def test_bad_arguments_are_named(hostile):
    result, people = hostile
    with pytest.raises(ValueError, match="expected fmt 'csv' or 'xlsx', got 'pdf'"):
        export_bytes(result, people, "pdf")
    with pytest.raises(ValueError, match="expected who='mentor' or who='mentee'"):
        mail_merge(result, people, "both")
    with pytest.raises(TypeError, match="expected a MatchResult, got DataFrame"):
        matches_csv(result.pairs, people)
    assert export_bytes(result, people, ".XLSX")[:2] == b"PK"


hostile_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(list(FORMULA_TRIGGERS) + ["'", '"', ",", ";", " ", "\ufeff"]),
        st.characters(exclude_categories=("Cs",)),
    ),
    max_size=20,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    names=st.lists(hostile_text, min_size=2, max_size=2),
    emails=st.lists(hostile_text, min_size=2, max_size=2),
    reasons=hostile_text,
    score=st.floats(0, 1),
)
def test_csv_export_then_parse_gives_back_every_value(names, emails, reasons, score):
    people = make_people(
        [
            {"member_id": "e", "name": names[0], "email": emails[0], "role": "mentee"},
            {"member_id": "r", "name": names[1], "email": emails[1], "role": "mentor"},
        ]
    )
    rows = read_csv_back(matches_csv(make_result(people, [("e", "r", score, reasons)]), people))
    assert len(rows) == 2
    got = dict(zip(rows[0], rows[1], strict=True))
    assert got["mentee_name"] == names[0] and got["mentor_name"] == names[1]
    assert got["mentee_email"] == emails[0] and got["mentor_email"] == emails[1]
    assert got["reasons"] == reasons
    assert float(got["score"]) == round(score, 3)


# What a member can type into a form: no control characters other than tab, CR and LF (the
# loader rejects files full of them as binary, and XLSX cannot hold them).
typed_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("=+-@\t\r\n'\",; ")),
        st.characters(exclude_categories=("Cs", "Cc")),
    ),
    max_size=20,
)


def read_back_through_ingest(name: str, data: bytes) -> list[dict[str, str]]:
    tables, _ = ingest.read_tables((name, data))
    return tables[0].frame.to_dict("records")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(typed_text, min_size=2, max_size=2), reasons=typed_text)
@example(names=["'=x", "''+y"], reasons="'@z")
@example(names=["", ""], reasons=" ")
def test_export_then_ingest_gives_back_every_value(names, reasons):
    people = make_people(
        [
            {"member_id": "e", "name": names[0], "email": "e@example.org", "role": "mentee"},
            {"member_id": "r", "name": names[1], "email": "r@example.org", "role": "mentor"},
        ]
    )
    result = make_result(people, [("e", "r", 0.5, reasons)])
    for name, data in (
        ("matches.csv", matches_csv(result, people)),
        ("matches.xlsx", matches_xlsx(result, people)),
    ):
        (row,) = read_back_through_ingest(name, data)
        expected = (names[0], names[1], reasons)
        if name.endswith(".xlsx"):
            expected = tuple(v.replace("\r\n", "\n").replace("\r", "\n") for v in expected)
            # A workbook cell holding only spaces is a blank cell to the reader.
            expected = tuple(v if v.strip() else "" for v in expected)
        assert (row["mentee_name"], row["mentor_name"], row["reasons"]) == expected, name


SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "members.csv"


@pytest.fixture(scope="module")
def sample_match():
    people, _ = pipeline.load_people(SAMPLE)
    return pipeline.match(people, MatchConfig()), people


def test_real_match_on_the_sample_exports_completely_and_safely(sample_match):
    result, people = sample_match
    assert len(result.pairs) > 150
    book = openpyxl.load_workbook(io.BytesIO(matches_xlsx(result, people)))
    sheets = {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book}
    assert len(sheets["Pairs"]) == len(result.pairs) + 1
    # Issue 12 finding 6: members open to both roles matched on one side are not unmatched.
    matched = set(result.pairs["mentee_id"]) | set(result.pairs["mentor_id"])
    left_out = set(result.unmatched["member_id"]) - matched
    assert len(sheets["Unmatched"]) == len(left_out) + 1 < len(result.unmatched) + 1
    assert not {row[0] for row in sheets["Unmatched"][1:]} & matched
    mentors = people["role"].isin(["mentor", "both"]).sum()
    assert len(sheets["Mentors"]) == mentors + 1
    loads = {row[0]: (row[3], row[4]) for row in sheets["Mentors"][1:]}
    assert all(load <= capacity for load, capacity in loads.values())
    assert sum(load for load, _ in loads.values()) == len(result.pairs)
    assert all(c.data_type != "f" for ws in book for row in ws.iter_rows() for c in row)
    assert not any("identit" in str(h) for h in sheets["Pairs"][0])

    rows = read_csv_back(matches_csv(result, people))
    assert rows[0] == list(PAIRS_TABLE_COLUMNS)
    assert [r[1] for r in rows[1:]] == result.pairs["mentee_name"].tolist()
    assert [r[5] for r in rows[1:]] == result.pairs["mentor_email"].tolist()
    ingested = read_back_through_ingest("matches.csv", matches_csv(result, people))
    assert [r["reasons"] for r in ingested] == result.pairs["reasons"].tolist()

    per_mentor = read_csv_back(mail_merge(result, people, "mentor"))
    assert len(per_mentor) - 1 == result.pairs["mentor_id"].nunique()
    assert sum(int(r[3]) for r in per_mentor[1:]) == len(result.pairs)
    per_mentee = read_csv_back(mail_merge(result, people, "mentee"))
    assert len(per_mentee) - 1 == len(result.pairs)


def test_plain_cells_read_every_kind_of_value_as_the_rule_says():
    import datetime
    import math

    import numpy as np

    from mentoring.outputs.export import _plain

    class Text(str):
        pass

    nan = math.nan
    expected = [
        ("Ada", "Ada"), ("", ""), (Text("sub"), Text("sub")), (3, 3), (True, True), (2.5, 2.5),
        (nan, ""), (-math.inf, -math.inf), (np.float64(1.25), 1.25), (np.float64(nan), ""),
        (np.int64(7), 7), (np.bool_(True), True), (np.str_("np"), "np"), (None, ""),
        (pd.NA, ""), (pd.NaT, ""), (("a", 1, nan), "a; 1; "), (["x"], "x"),
        ({"b", "a"}, "a; b"), (frozenset({2, 1}), "1; 2"), ((), ""),
        (datetime.date(2026, 12, 2), "2026-12-02"), (1 + 2j, "(1+2j)"),
    ]  # fmt: skip
    for value, want in expected:
        got = _plain(value)
        assert got == want and type(got) is type(want), (value, got)
