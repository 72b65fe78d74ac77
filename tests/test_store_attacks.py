"""Issue 13, the store under attack: hostile or broken database files (#15), a rejection made
while a re-solve runs (#16), and misspelt names left behind after forgetting a member (#17)."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest

import mentoring.pipeline as pipeline_module
from mentoring.model.config import MatchConfig
from mentoring.outputs.export import matches_csv
from mentoring.pipeline import load_people
from mentoring.reading.synthetic import random_people
from mentoring.services.run_view import open_run
from mentoring.services.runs import RESOLVE_ATTEMPTS, find_matches
from mentoring.store import schema as schema_module
from mentoring.store.db import Store
from mentoring.store.decisions import DecisionsChangedError
from mentoring.store.records import StoreError
from mentoring.store.schema import APPLICATION_ID, SCHEMA_VERSION


def files(path: Path) -> bytes:
    """The database file and any WAL beside it, byte for byte."""
    parts = [path, Path(f"{path}-wal")]
    return b"".join(p.read_bytes() for p in parts if p.exists())


def a_store_with_a_program(path: Path) -> Store:
    store = Store(path)
    program = store.create_program("Spring")
    store.set_decision(program.id, "e1", "m1", "approved")
    return store


# ---------------------------------------------------------------- #15 broken or foreign files


def test_another_programs_sqlite_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "places.sqlite"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
        conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
        conn.commit()
    before = files(path)
    with pytest.raises(StoreError, match="another program.*moz_places.*will not write into it"):
        Store(path).list_programs()
    with pytest.raises(StoreError, match="another program"):
        Store(path).ensure_default_program()
    assert files(path) == before


def test_a_file_stamped_by_another_application_is_refused_even_if_empty(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA application_id = 1234")
    before = files(path)
    with pytest.raises(StoreError, match="another program.*application id 0x4d2"):
        Store(path).list_programs()
    assert files(path) == before


def test_a_new_file_is_stamped_as_a_mentoring_database(tmp_path: Path) -> None:
    store = a_store_with_a_program(tmp_path / "m.sqlite3")
    with closing(sqlite3.connect(store.path)) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_an_unstamped_file_from_before_the_stamp_still_opens(tmp_path: Path) -> None:
    store = a_store_with_a_program(tmp_path / "m.sqlite3")
    with closing(sqlite3.connect(store.path)) as conn:
        conn.execute("PRAGMA application_id = 0")
    assert [p.name for p in Store(store.path).list_programs()] == ["Spring"]
    with closing(sqlite3.connect(store.path)) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_an_older_file_is_migrated_not_blamed_on_disk_space(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite3"
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        for statement in schema_module._MIGRATIONS[0]:
            conn.execute(statement)
        conn.execute("PRAGMA user_version = 1")
        conn.execute("INSERT INTO programs (name, created_at) VALUES ('Old', 'then')")
    store = Store(path)
    assert [p.name for p in store.list_programs()] == ["Old"]
    assert store.set_decision(1, "e1", "m1", "rejected").version == 1
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_an_older_file_with_a_layout_no_version_wrote_is_refused_without_blaming_the_disk(
    tmp_path: Path,
) -> None:
    path = tmp_path / "odd.sqlite3"
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        for statement in schema_module._MIGRATIONS[0]:
            conn.execute(statement)
        # Version 1 says nothing about this table; migrating would fail half-way.
        conn.execute("CREATE TABLE decision_log (id INTEGER)")
        conn.execute("PRAGMA user_version = 1")
    before = files(path)
    with pytest.raises(StoreError) as caught:
        Store(path).list_programs()
    message = str(caught.value)
    assert "layout matches no version of mentoring" in message
    assert "Move the file aside" in message
    assert "free space" not in message
    assert files(path) == before


def test_a_newer_file_is_refused_with_advice(tmp_path: Path) -> None:
    store = a_store_with_a_program(tmp_path / "m.sqlite3")
    with closing(sqlite3.connect(store.path)) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    with pytest.raises(StoreError, match="newer version of mentoring.*Update mentoring"):
        Store(store.path).list_programs()


def test_a_read_only_database_still_opens_for_reading(tmp_path: Path) -> None:
    store = a_store_with_a_program(tmp_path / "m.sqlite3")
    program = store.list_programs()[0]
    os.chmod(store.path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        reader = Store(store.path)
        assert reader.read_only
        assert [p.name for p in reader.list_programs()] == ["Spring"]
        assert reader.get_decision(program.id, "e1", "m1").status == "approved"
        with pytest.raises(StoreError, match="read-only, so nothing can be changed") as caught:
            reader.set_decision(program.id, "e1", "m1", "rejected")
        assert "free space" not in str(caught.value)
    finally:
        os.chmod(store.path, stat.S_IRUSR | stat.S_IWUSR)
    assert Store(store.path).get_decision(program.id, "e1", "m1").status == "approved"


def test_a_folder_at_the_path_says_it_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "db").mkdir()
    with pytest.raises(StoreError, match="it is a folder, not a file"):
        Store(tmp_path / "db").list_programs()


def test_a_file_where_the_folder_should_be_is_a_sentence_not_an_oserror(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "plain-file").write_text("x")
    with pytest.raises(StoreError, match="Could not make the folder"):
        Store(tmp_path / "plain-file" / "m.sqlite3")
    monkeypatch.setenv("MENTORING_DB", str(tmp_path / "plain-file" / "m.sqlite3"))
    with pytest.raises(StoreError, match="Could not make the folder"):
        schema_module.default_db_path()


@pytest.mark.parametrize(
    "damage",
    ["truncated", "random bytes"],
)
def test_a_damaged_file_says_move_it_aside(tmp_path: Path, damage: str) -> None:
    store = a_store_with_a_program(tmp_path / "m.sqlite3")
    store._forget()  # everything in the main file, the WAL empty
    data = store.path.read_bytes()
    for extra in ("-wal", "-shm"):
        Path(f"{store.path}{extra}").unlink(missing_ok=True)
    store.path.write_bytes(data[:700] if damage == "truncated" else os.urandom(len(data)))
    with pytest.raises(StoreError, match="Move the file aside"):
        Store(store.path).list_programs()


# ---------------------------------------------------------------- #16 rejected meanwhile


def _reject_during_the_solve(
    monkeypatch: pytest.MonkeyPatch,
    store: Store,
    program_id: int,
    pair: tuple[str, str],
    times: int,
) -> list[int]:
    """Make the next ``times`` solves reject ``pair`` just before they finish, as a second
    coordinator pressing Reject while Re-solve runs would."""
    real = pipeline_module.match
    calls: list[int] = []

    def match_while_someone_rejects(people, config, **kwargs):
        result = real(people, config, **kwargs)
        calls.append(len(config.forbidden_pairs))
        if len(calls) <= times:
            status = "rejected" if len(calls) % 2 else "pending"
            store.set_decision(program_id, *pair, status, by="other coordinator")
        return result

    monkeypatch.setattr(pipeline_module, "match", match_while_someone_rejects)
    return calls


def test_a_pair_rejected_while_re_solving_never_reaches_the_run_or_the_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "m.sqlite3")
    program = store.create_program("Race")
    people = random_people(10, 6, seed=5)
    store.save_members(program.id, people)
    first = find_matches(store, program.id, people, MatchConfig())
    pair = tuple(first.result.pairs.loc[0, ["mentee_id", "mentor_id"]])

    calls = _reject_during_the_solve(monkeypatch, store, program.id, pair, times=1)
    second = find_matches(store, program.id, people, MatchConfig())

    assert len(calls) == 2, "the changed decision must make it solve again"
    saved = store.latest_run(program.id)
    assert saved.id == second.run_id
    keys = set(zip(saved.pairs["mentee_id"], saved.pairs["mentor_id"], strict=True))
    assert pair not in keys
    assert pair in saved.config.forbidden_pairs
    assert store.get_decision(program.id, *pair).status == "rejected"

    view = open_run(store, program.id, saved.id)
    exported = matches_csv(view.result, view.people).decode("utf-8-sig")
    lines = [line for line in exported.splitlines() if pair[0] in line and pair[1] in line]
    assert lines == []


def test_a_re_solve_whose_decisions_keep_changing_saves_nothing_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "m.sqlite3")
    program = store.create_program("Race")
    people = random_people(8, 5, seed=6)
    first = find_matches(store, program.id, people, MatchConfig())
    pair = tuple(first.result.pairs.loc[0, ["mentee_id", "mentor_id"]])
    runs_before = store.list_runs(program.id)

    _reject_during_the_solve(monkeypatch, store, program.id, pair, times=RESOLVE_ATTEMPTS)
    with pytest.raises(DecisionsChangedError, match="kept changing.*no run was saved"):
        find_matches(store, program.id, people, MatchConfig())
    pd.testing.assert_frame_equal(store.list_runs(program.id), runs_before)


def test_the_decision_check_holds_only_inside_its_block(tmp_path: Path) -> None:
    store = Store(tmp_path / "m.sqlite3")
    program = store.create_program("A")
    kept, forbidden = store.kept_and_forbidden(program.id)
    with store.decisions_unchanged(program.id, kept, forbidden):
        store.set_decision(program.id, "e1", "m1", "pending")  # pending changes nothing
    store.set_decision(program.id, "e1", "m1", "rejected")
    assert store.rename_program(program.id, "B").name == "B"


# ---------------------------------------------------------------- #17 misspelt names


FORM = """Email,Full name,Member ID,Role,Preferred mentor,Interests
zeb@example.org,Zebedee Quackenbush,zq-1,Mentor,,Archives
ruth@example.org,Ruth Okafor,ro-2,Mentor,,Archives
ann@example.org,Ann Lee,al-3,Mentee,Zebedee Quackenbsh,Archives
bo@example.org,Bo Park,bp-4,Mentee,Zebedee Quakenbush,Archives
cy@example.org,Cy Dunn,cd-5,Mentee,Ruth Okafr,Archives
"""


def test_forgetting_a_member_removes_misspellings_of_their_name_from_issue_messages(
    tmp_path: Path,
) -> None:
    source = tmp_path / "members.csv"
    source.write_text(FORM, encoding="utf-8")
    people, issues = load_people(source)
    assert any("Quackenbsh" in issue.message for issue in issues), "the reader must record it"
    # An answer to one of the form's own questions quotes them too.
    people["q:together"] = pd.Series(
        ["", "", "Anything Zebedee Quackenbush suggests", "Grants", ""], dtype=object
    )
    store = Store(tmp_path / "m.sqlite3")
    program = store.create_program("Forget")
    store.save_members(program.id, people, issues, {}, ["members.csv"])
    find_matches(store, program.id, people, MatchConfig())
    # A run that also carries issues quoting the misspelling (as runs of a cohort with them do).
    quoted = [
        {"file": "members.csv", "row": 4, "column": None, "code": "preferred_unknown",
         "message": "no mentor matches the choice 'Zebedee Quackenbsh'; it was left out.",
         "severity": "warning", "member_id": "al-3", "hint": ""},
    ]  # fmt: skip
    frame = pd.DataFrame({"mentee_id": [], "mentor_id": [], "member_id": []})
    store.save_run(program.id, frame, frame, {}, MatchConfig(), extras={"issues": quoted})
    store._forget()
    for misspelt in ("Quackenbsh", "Quakenbush"):
        assert misspelt.encode() in files(store.path)

    store.delete_member(program.id, "zq-1")

    data = files(store.path)
    for misspelt in ("Quackenbsh", "Quakenbush", "Quackenbush", "Zebedee"):
        assert misspelt.encode() not in data, misspelt
    assert b"Ruth Okafr" in data, "a misspelling of someone else stays"
    _, kept_issues, _ = store.load_members(program.id)
    messages = [issue.message for issue in kept_issues]
    assert "read the choice '[removed member]' as [removed member] ([removed member])." in messages
    extras = store.latest_run(program.id).extras["issues"]
    assert json.dumps(extras).count("[removed member]") == 1
