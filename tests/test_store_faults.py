"""The store under faults: concurrent writers, kill -9, failures half-way, leftover copies."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest

import mentoring.store.runs as runs_module
from mentoring.model.config import MatchConfig
from mentoring.model.errors import Issue
from mentoring.model.people import empty_people
from mentoring.store.db import Store
from mentoring.store.records import DecisionConflictError

WORKER = Path(__file__).resolve().parent / "store_helpers" / "worker.py"


def snapshot(path: Path) -> str:
    """Everything the database holds, as SQL text: equal snapshots mean an unchanged store."""
    with closing(sqlite3.connect(path)) as conn:
        return "\n".join(conn.iterdump())


def database_bytes(path: Path) -> bytes:
    """The main file plus any WAL and shared-memory file beside it."""
    parts = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
    return b"".join(p.read_bytes() for p in parts if p.exists())


def encodings(text: str) -> list[bytes]:
    """How a piece of text could sit in the file: raw UTF-8 or escaped inside JSON."""
    return sorted({text.encode(), json.dumps(text)[1:-1].encode()})


def integrity(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def run_worker(*args: object) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(WORKER), *map(str, args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "m.sqlite3")


# ---------------------------------------------------------------- concurrency


@pytest.mark.slow
def test_concurrent_processes_lose_no_update_and_never_see_locked(store: Store) -> None:
    program = store.create_program("Shared")
    workers, n = 4, 50
    processes = [run_worker("decide", store.path, program.id, w, n) for w in range(workers)]
    outputs = [p.communicate(timeout=120) for p in processes]
    for process, (out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
        assert "locked" not in err.lower() and "Traceback" not in err, err
        assert json.loads(out)["conflicts"] >= 0
    shared = store.get_decision(program.id, "shared-e", "shared-m")
    counter = store.get_decision(program.id, "counter-e", "counter-m")
    assert shared.version == workers * n
    assert counter.version == workers * (n // 2)
    decisions = store.decisions(program.id)
    own = decisions.loc[decisions["mentee_id"].str.match(r"w\d-e\d+$")]
    assert len(own) == workers * n
    assert set(own["version"]) == {1}
    assert integrity(store.path) == "ok"


def test_threads_sharing_one_store_lose_no_update(store: Store) -> None:
    program = store.create_program("Threads")
    errors: list[BaseException] = []

    def decide(worker: int) -> None:
        try:
            for i in range(25):
                store.set_decision(program.id, "e1", "m1", "approved", by=f"t{worker}-{i}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=decide, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.get_decision(program.id, "e1", "m1").version == 200


# ---------------------------------------------------------------- kill -9


@pytest.mark.slow
def test_kill_9_during_writes_loses_no_acknowledged_decision(store: Store) -> None:
    program = store.create_program("Crash")
    rng = random.Random(20261128)
    acknowledged: list[str] = []
    runs_acknowledged: list[int] = []
    # All started at once so their imports overlap; each writes only when told to, in turn.
    processes = [run_worker("kill", store.path, program.id, f"r{r}") for r in range(5)]
    try:
        for process in processes:
            process.stdin.write("go\n")
            process.stdin.flush()
            first = process.stdout.readline()
            assert first.startswith("ack "), process.stderr.read()
            time.sleep(rng.uniform(0.05, 0.35))
            os.kill(process.pid, signal.SIGKILL)
            rest, _ = process.communicate(timeout=30)
            assert process.returncode == -signal.SIGKILL
            lines = [first, *rest.splitlines(keepends=True)]
            # A line cut short by the kill was never fully acknowledged.
            complete = [line.split() for line in lines if line.endswith("\n")]
            acknowledged += [words[1] for words in complete if words[0] == "ack"]
            runs_acknowledged += [int(words[1]) for words in complete if words[0] == "run"]
            assert integrity(store.path) == "ok"
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.communicate(timeout=30)

    decisions = store.decisions(program.id)
    stored = set(decisions.loc[decisions["status"] == "approved", "mentee_id"])
    missing = sorted(set(acknowledged) - stored)
    assert missing == []
    assert runs_acknowledged, "some kills should have come after a run was saved"
    latest = store.latest_run(program.id)
    assert latest.id >= max(runs_acknowledged)
    assert len(latest.pairs) == 400
    assert store.set_decision(program.id, "after", "m1", "locked").version == 1


# ---------------------------------------------------------------- failures half-way


def seeded_program(store: Store) -> int:
    program_id = store.create_program("Re-solve").id
    pairs = pd.DataFrame({"mentee_id": ["e1", "e2"], "mentor_id": ["m1", "m2"]})
    unmatched = pd.DataFrame({"member_id": ["e3"], "reason": ["no mentor"]})
    store.save_run(program_id, pairs, unmatched, {"n_matched": 2}, MatchConfig())
    store.set_decision(program_id, "e1", "m1", "approved")
    store.set_decision(program_id, "e2", "m2", "pending")
    store.set_decision(program_id, "e3", "m1", "rejected")
    return program_id


def test_a_re_solve_with_an_unstorable_value_leaves_the_store_unchanged(store: Store) -> None:
    program_id = seeded_program(store)
    before = snapshot(store.path)
    pairs = pd.DataFrame(
        {"mentee_id": ["e1", "e2"], "mentor_id": ["m1", "m2"], "note": ["ok", object()]}
    )
    with pytest.raises(TypeError, match="cannot store column 'note', row 1"):
        store.save_run(program_id, pairs, pd.DataFrame({"member_id": []}), {}, MatchConfig())
    assert snapshot(store.path) == before


@pytest.mark.parametrize("failure", [RuntimeError("disk hiccup"), KeyboardInterrupt()])
def test_a_re_solve_failing_after_the_run_is_written_leaves_the_store_unchanged(
    store: Store, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    program_id = seeded_program(store)
    before = snapshot(store.path)
    runs_before = store.list_runs(program_id)
    decisions_before = store.decisions(program_id)
    written: list[int] = []

    def fail_after_the_run_insert(conn: sqlite3.Connection, pid: int) -> int:
        written.append(conn.execute("SELECT count(*) FROM runs").fetchone()[0])
        raise failure

    monkeypatch.setattr(runs_module, "_clear_pending", fail_after_the_run_insert)
    pairs = pd.DataFrame({"mentee_id": ["e9"], "mentor_id": ["m9"]})
    with pytest.raises(type(failure)):
        store.save_run(program_id, pairs, pd.DataFrame({"member_id": []}), {}, MatchConfig())
    assert written == [2], "the failure must strike inside the transaction, after the insert"
    monkeypatch.undo()
    assert snapshot(store.path) == before
    pd.testing.assert_frame_equal(store.list_runs(program_id), runs_before)
    pd.testing.assert_frame_equal(store.decisions(program_id), decisions_before)
    assert store.set_decision(program_id, "e2", "m2", "approved").version == 2


def test_a_conflicting_decision_writes_nothing(store: Store) -> None:
    program_id = seeded_program(store)
    before = snapshot(store.path)
    with pytest.raises(DecisionConflictError):
        store.set_decision(program_id, "e1", "m1", "rejected", expected_version=0)
    assert snapshot(store.path) == before


# ---------------------------------------------------------------- no copy left behind

NAME, EMAIL, MEMBER_ID = "Zoë Quistwhistle", "zoe.quistwhistle@example.org", "zq-4711"


def member_everywhere(store: Store) -> int:
    """A program where one member appears in every place the store keeps, several times over."""
    program_id = store.create_program("Forget me").id
    rows = [(MEMBER_ID, NAME, EMAIL, ()), ("m1", "Ruth Okafor", "ruth@example.org", (MEMBER_ID,))]
    people = empty_people().reindex(range(len(rows)))
    for column in people.columns:
        if empty_people()[column].dtype == object:
            people[column] = pd.Series([()] * len(rows), dtype=object)
    for position, column in enumerate(("member_id", "name", "email", "past_partners")):
        people[column] = pd.Series([row[position] for row in rows], dtype=object)
    people["notes"] = pd.Series([f"asked for {NAME}"] * len(rows), dtype=object)
    people = people.astype({"priority": bool, "open_to_peer": bool, "capacity": "Int64"})
    issues = [Issue("a.csv", 2, "Email", "dup", f"{EMAIL} appears twice", "error", MEMBER_ID)]
    pairs = pd.DataFrame(
        {
            "mentee_id": [MEMBER_ID, "m2"],
            "mentee_name": [NAME, "Lee Park"],
            "mentee_email": [EMAIL, "lee@example.org"],
            "mentor_id": ["m1", "m1"],
            "reasons": [(f"{NAME} asked for m1",), (f"second choice after {NAME}",)],
        }
    )
    unmatched = pd.DataFrame({"member_id": [MEMBER_ID], "name": [NAME], "email": [EMAIL]})
    for _ in range(3):
        store.save_members(program_id, people, issues, {"Name": "name"}, ["a.csv"])
        store.save_run(program_id, pairs, unmatched, {}, MatchConfig())
        store.set_decision(program_id, MEMBER_ID, "m1", "approved")
    store.save_settings(program_id, MatchConfig(locked_pairs=((MEMBER_ID, "m1"),)))
    return program_id


def needles() -> list[bytes]:
    return [*encodings(NAME), *encodings(EMAIL), *encodings(MEMBER_ID)]


def assert_member_in(data: bytes) -> None:
    """Without this, a search that can never match would make the tests below pass vacuously."""
    for text in (NAME, EMAIL, MEMBER_ID):
        assert any(needle in data for needle in encodings(text)), text


def test_delete_member_leaves_no_copy_in_the_database_files(store: Store) -> None:
    program_id = member_everywhere(store)
    assert_member_in(database_bytes(store.path))

    # An idle connection held elsewhere (another app session) keeps the WAL file alive, so
    # only the store's own checkpoint can empty it.
    with closing(sqlite3.connect(store.path)) as bystander:
        bystander.execute("SELECT count(*) FROM programs").fetchone()
        store.delete_member(program_id, MEMBER_ID)
        after = database_bytes(store.path)
        assert Path(f"{store.path}-wal").stat().st_size == 0
    assert [n for n in needles() if n in after] == []
    assert b"Ruth Okafor" in after, "other members must stay"
    assert integrity(store.path) == "ok"


def test_purge_program_leaves_no_copy_in_the_database_files(store: Store) -> None:
    program_id = member_everywhere(store)
    keep = store.create_program("Keep").id
    store.set_decision(keep, "k1", "k2", "approved")
    assert_member_in(database_bytes(store.path))

    with closing(sqlite3.connect(store.path)) as bystander:
        bystander.execute("SELECT count(*) FROM programs").fetchone()
        store.purge_program(program_id)
        after = database_bytes(store.path)
    leftovers = [n for n in needles() + [b"Ruth Okafor", b"Forget me"] if n in after]
    assert leftovers == []
    assert [p.name for p in store.list_programs()] == ["Keep"]
    assert integrity(store.path) == "ok"
