"""Reading scales with the distinct answers, not the rows, and gives the answers it always gave.

A column of 50,000 answers to a multi-select holds a few hundred distinct strings: every test,
split and parse runs once per distinct answer, weighted by its count. These tests pin that down
(the work does not grow with repeated rows) and check each shortcut against the plain,
row-by-row definition it replaces: column statistics, the bounded fuzzy name lookup, and the
field-by-field reading of rows.
"""

from __future__ import annotations

import csv
import difflib
import gc
import io
import random
from collections import Counter
from types import SimpleNamespace

import pytest

from mentoring.model.errors import LoadError
from mentoring.reading import columns, directory, loader, mapping, rows
from mentoring.reading.answers import _read_questions
from mentoring.reading.columns import Column, _multi_stats, _surely_few, split_options
from mentoring.reading.directory import _Directory, _Letters, _name_key
from mentoring.reading.ingest import read_tables
from mentoring.reading.loader import load_members
from mentoring.reading.values import _is_blank, _Memo

# The real function, kept before any test wraps it in a counter.
_SPLIT_MULTI = mapping.split_multi

INTERESTS = [
    "Outreach, Diversity, equity and inclusion",
    "Cataloguing; Archives",
    "Systems and technology, Leadership",
    "Digital, Data and Technology",
    "Digital, Data and Technology, Policy",
    "Policy",
    "Other: zines, comics",
    "",
]
GOALS = ["I want to learn grant writing.", "Help with promotion, tenure and writing", "n/a", ""]


def csv_bytes(table: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    return out.getvalue().encode()


def members(n: int) -> bytes:
    """``n`` members whose answers repeat: only names, emails and IDs are all different."""
    header = [
        "Name",
        "Email",
        "Role",
        "Capacity",
        "What are your areas of interest?",
        "What do you hope to gain from a mentor? (mentees)",
        "My first choice mentor is:",
        "Who have you been paired with before?",
    ]
    body = []
    for i in range(n):
        role = ("Mentor", "Mentee", "Both")[i % 3]
        body.append(
            [
                f"Person {i:05d} Example",
                f"p{i}@example.org",
                role,
                ("2", "one", "", "3-4")[i % 4],
                INTERESTS[i % len(INTERESTS)],
                GOALS[i % len(GOALS)],
                ("Person 00000 Example", "Persn 00003 Exmple", "")[i % 3],
                ("Person 00001 Example and Person 00002 Example", "")[i % 2],
            ]
        )
    return csv_bytes([header, *body])


def _counting(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Count split_multi calls by answer, wherever the reading modules call it from."""
    calls: Counter[str] = Counter()

    def counted(text: str) -> tuple[str, ...]:
        calls[text] += 1
        return _SPLIT_MULTI(text)

    for module in (mapping, columns, rows, loader):
        monkeypatch.setattr(module, "split_multi", counted)
    # The caches of labelled splits and tags outlive a load; start each count from nothing.
    columns._split_labelled.cache_clear()
    rows._tags.cache_clear()
    rows._tag.cache_clear()
    return calls


def test_splitting_work_follows_the_distinct_answers_not_the_rows(monkeypatch):
    small_calls = _counting(monkeypatch)
    small = load_members(("m.csv", members(2_000)))
    large_calls = _counting(monkeypatch)
    large = load_members(("m.csv", members(20_000)))
    assert [(p.header, p.use, p.field) for p in small.profiles] == [
        (p.header, p.use, p.field) for p in large.profiles
    ]
    assert large.rows_kept == 20_000
    # Ten times the rows, the same distinct answers: exactly the same splitting.
    assert sum(large_calls.values()) == sum(small_calls.values())
    assert set(large_calls) == set(small_calls)
    # No answer is split more than a handful of times (profiling, pairing, loading).
    assert max(large_calls.values()) <= 6


def test_rows_read_field_by_field_match_with_and_without_the_profiled_columns():
    table = [
        ["Name", "Email", "Role", "Capacity", "Topics", "Notes", "Priority?", "Offers - Maps"],
        [" Ada Li ", "ada@x.org", "Mentor", " 2 ", "Maps, Data ", "n/a", "yes", "Maps"],
        ["Bo Ng", "BO@x.org", "mentee", "lots", "Data; Maps", "", "maybe", ""],
        ["Cy Oh", "not-an-email", "Both", "", "N/A", "Hello", "", "x"],
        ["", "", "Mentor", "1", "", "", "", ""],
        ["Di Wu", "di@x.org", "Nobody", "1", "Maps", "", "", ""],
        ["Ed Fu", "ed@x.org", "Mentor", "two", "Digital, Data and Technology", "", "no", ""],
    ]
    tables, _ = read_tables(("m.csv", csv_bytes(table)))
    sides, plan, cols = _read_questions(tables, {}, {}, {}, [])
    args = (tables[0], plan.legacy[0], sides[0], plan.questions[0], plan.options[0])
    with_columns = rows._table_rows(*args, _Memo(), cols[0])
    without = rows._table_rows(*args, _Memo())
    assert with_columns[1] == without[1] and with_columns[2] == without[2]
    assert [r.values for r in with_columns[0]] == [r.values for r in without[0]]
    assert [(r.file, r.row, r.capacity_column) for r in with_columns[0]] == [
        (r.file, r.row, r.capacity_column) for r in without[0]
    ]
    codes = {i.code for i in with_columns[1]}
    assert {"id_missing", "role_unknown", "email_invalid", "capacity_unparsed"} <= codes


def _column(values: list[str]) -> Column:
    return Column(0, "Q", ("Q",), values)


def test_column_statistics_from_distinct_answers_equal_the_row_by_row_definitions():
    rng = random.Random(7)
    pool = ["a", "b b", "  ", "", "n/a", "Maps, Data", "Maps", "x;y", "N/A", "c"]
    for _ in range(200):
        values = [rng.choice(pool) for _ in range(rng.randint(0, 40))]
        col = _column(values)
        filled = [v for v in values if not _is_blank(v)]
        assert col.filled == filled and col.answered == len(filled)
        for test in (lambda v: "a" in v, lambda v: len(v) > 1, lambda v: v.isalpha()):
            share = sum(1 for v in filled if test(v)) / len(filled) if filled else 0.0
            assert col.share(test) == share
            for threshold in (0.0, 0.1, 0.25, 1 / 3, 0.5, 0.7, 0.8, 1.0):
                assert col.at_least(test, threshold) == (share >= threshold)
                assert col.at_least(test, threshold, strict=True) == (share > threshold)
        assert col.total(len) == sum(len(v) for v in filled)
        several, distinct, labels = _multi_stats(col)
        options = [split_options(v, labels) for v in filled]
        assert several == sum(len(o) > 1 for o in options) / max(1, len(options))
        flat = [" ".join(o.casefold().split()) for opts in options for o in opts]
        assert distinct == len(set(flat)) / max(1, len(flat))
        for threshold in (0.15, 0.5):
            if _surely_few(col, threshold):
                assert several < threshold


def test_an_answer_without_separators_is_one_option_at_most():
    rng = random.Random(3)
    parts = ["Other: ", "other - ", "(a, b)", "Maps", " and ", "x", "\t", "  ", "Data", "é"]
    labels = frozenset({"maps and data", "a, b"})
    for _ in range(2_000):
        text = "".join(rng.choice(parts) for _ in range(rng.randint(0, 6)))
        assert columns._SEPARATORS.search(text) or len(split_options(text, labels)) <= 1


def _lcs(a: str, b: str) -> int:
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def test_the_name_bound_is_the_longest_common_subsequence_and_bounds_difflib():
    rng = random.Random(11)
    alphabet = "abcde xyzé"
    for _ in range(100):
        names = [
            "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 70))) for _ in range(30)
        ]
        letters = _Letters(names)
        key = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 64)))
        found = letters.common(key, list(range(len(names))))
        for i, name in enumerate(names):
            if letters.long[i]:
                continue
            assert found[i] == _lcs(key, name)
            matcher = difflib.SequenceMatcher(None, name, key)
            assert matcher.ratio() <= 2.0 * found[i] / (len(name) + len(key))


def _rows(names: list[str]) -> list[SimpleNamespace]:
    return [
        SimpleNamespace(values={"member_id": f"m{i}", "name": name}, email_key=f"m{i}@x.org")
        for i, name in enumerate(names)
    ]


def _reference_find(dirx: _Directory, text: str) -> tuple[str | None, list[str], bool]:
    """The lookup as it was written before it was indexed: difflib over the whole pool."""
    raw = " ".join(text.split())
    key = _name_key(raw)
    if not key:
        return None, [], False
    exact = dirx.names.get(key, [])
    if len(exact) == 1:
        return exact[0], [], False
    if exact:
        return None, sorted(exact), False
    if " " not in key:
        parts = sorted(i for k in dirx.by_word.get(key, ()) for i in dirx.names[k])
        if len(parts) == 1:
            return parts[0], [], True
        if parts:
            return None, parts, False
    if len(dirx.keys) <= dirx.FULL_SCAN_LIMIT:
        pool = dirx.keys
    else:
        pool = sorted(set().union(*(dirx.by_word.get(w, set()) for w in key.split())))
    close = difflib.get_close_matches(key, pool, n=3, cutoff=0.8)
    if not close:
        loose = difflib.get_close_matches(key, pool, n=3, cutoff=0.6)
        return None, [i for k in loose for i in dirx.names[k]], False
    scores = [difflib.SequenceMatcher(None, key, k).ratio() for k in close]
    best = [i for k in close for i in dirx.names[k]]
    if len(dirx.names[close[0]]) > 1 or (len(close) > 1 and scores[1] >= scores[0] - 0.02):
        return None, best, False
    return dirx.names[close[0]][0], [], True


def _misspelt(name: str, rng: random.Random) -> str:
    chars = list(name)
    for _ in range(rng.randint(0, 3)):
        i = rng.randrange(len(chars))
        edit = rng.choice(("drop", "swap", "add"))
        if edit == "drop" and len(chars) > 1:
            del chars[i]
        elif edit == "swap" and i + 1 < len(chars):
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        else:
            chars.insert(i, rng.choice("aeiouxyz "))
    return "".join(chars)


@pytest.mark.parametrize("limit", [2_000, 40])
def test_indexed_name_lookup_gives_the_answers_of_a_full_difflib_scan(monkeypatch, limit):
    monkeypatch.setattr(_Directory, "FULL_SCAN_LIMIT", limit)
    rng = random.Random(limit)
    firsts = ["Ana", "Bo", "Cyril", "Dana", "Ede", "Fatima", "Gus", "Zoë"]
    lasts = ["Li", "Ng", "Okafor", "Smith", "Smyth", "O'Brien", "Nunes", "Inkwell"]
    names = [
        f"{rng.choice(firsts)} {rng.choice(['', 'Q. ', 'J. '])}{rng.choice(lasts)}"
        for _ in range(300)
    ]
    dirx = _Directory(_rows(names))
    queries = [_misspelt(rng.choice(names), rng) for _ in range(300)] + ["Zoe Obrien", "x"]
    for query in queries:
        assert dirx.find(query) == _reference_find(dirx, query), query


def test_a_misspelt_name_is_compared_with_few_of_many_similar_names(monkeypatch):
    monkeypatch.setattr(_Directory, "FULL_SCAN_LIMIT", 100)
    names = [f"Quilla {chr(65 + i % 26)}. Ruiz-Colophon {i // 26}" for i in range(2_600)]
    dirx = _Directory(_rows(names))
    ratios = 0
    real = difflib.SequenceMatcher.ratio

    def counted(self: difflib.SequenceMatcher) -> float:
        nonlocal ratios
        ratios += 1
        return real(self)

    monkeypatch.setattr(difflib.SequenceMatcher, "ratio", counted)
    found = dirx.find("Quilla Ruis Colophon 7")
    lookup_ratios, ratios = ratios, 0
    assert found == _reference_find(dirx, "Quilla Ruis Colophon 7")
    # Thousands of names share the words; the full scan scores hundreds, the index a few.
    assert ratios > 200
    assert lookup_ratios < 20


def test_the_cycle_collector_is_restored_after_a_load_that_succeeds_or_fails():
    assert gc.isenabled()
    load_members(("m.csv", members(10)))
    assert gc.isenabled()
    with pytest.raises(LoadError):
        load_members(("m.csv", b""))
    assert gc.isenabled()
    gc.disable()
    try:
        load_members(("m.csv", members(10)))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_directory_lookups_share_keys_between_directories():
    keys = directory._Keys()
    first = _Directory(_rows(["Zoë O'Brien", "Ana Li"]), keys)
    second = _Directory(_rows(["Zoë O'Brien"]), keys)
    assert first.names.keys() >= second.names.keys() == {"zoe o brien"}
    assert keys.names == {"Zoë O'Brien": "zoe o brien", "Ana Li": "ana li"}
