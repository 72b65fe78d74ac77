"""Issue 12 in the store: runs remember their members, settings and finished result; every
review action is logged; forgetting a member reaches the snapshots and the log too."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest

from mentoring.model.config import MatchConfig
from mentoring.reading.synthetic import random_people
from mentoring.store import schema as schema_module
from mentoring.store.db import HISTORY_COLUMNS, Store
from mentoring.store.records import LOG_COLUMNS


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "m.sqlite3")


def _pairs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "mentee_id": ["e1", "e2"],
            "mentee_name": ["Eve", "Eli"],
            "mentor_id": ["m1", "m2"],
            "mentor_name": ["Max", "Mia"],
            "score": [0.8, 0.6],
            "reasons": [("shared interests: archives",), ("Max recommended",)],
        }
    )


def _unmatched() -> pd.DataFrame:
    return pd.DataFrame({"member_id": ["e3"], "name": ["Eda"], "role": ["mentee"], "reason": ["x"]})


def test_a_run_keeps_its_members_settings_and_finished_result(store: Store) -> None:
    program = store.create_program("A")
    people = random_people(3, 2, seed=1)
    store.save_members(program.id, people)
    alternatives = pd.DataFrame({"mentee_id": ["e1"], "mentor_id": ["m2"], "score": [0.5]})
    settings = MatchConfig(objective="quality")
    run = store.save_run(
        program.id,
        _pairs(),
        _unmatched(),
        {"mean_score": 0.7},
        settings.with_(locked_pairs=(("e1", "m1"),)),
        people=people,
        settings=settings,
        extras={"alternatives": alternatives, "goal_price": None, "audit": {"ok": True}},
        by="kim",
    )
    back = store.get_run(program.id, run.id)
    pd.testing.assert_frame_equal(back.people, people)
    assert back.settings == settings
    pd.testing.assert_frame_equal(back.extras["alternatives"], alternatives)
    assert back.extras["audit"] == {"ok": True} and back.extras["goal_price"] is None
    assert back.members_digest == store.members_digest(program.id) != ""
    assert back.by == "kim" and back.note == ""


def test_members_saved_again_change_the_fingerprint(store: Store) -> None:
    program = store.create_program("A")
    people = random_people(3, 2, seed=1)
    store.save_members(program.id, people)
    before = store.members_digest(program.id)
    store.save_members(program.id, people)
    assert store.members_digest(program.id) == before
    store.save_members(program.id, people.iloc[1:].reset_index(drop=True))
    assert store.members_digest(program.id) != before


def test_run_history_lists_every_run_newest_first(store: Store) -> None:
    program = store.create_program("A")
    for objective in ("coverage", "stable"):
        store.save_run(
            program.id,
            _pairs(),
            _unmatched(),
            {"mean_score": 0.7},
            MatchConfig(objective=objective),
        )
    history = store.run_history(program.id)
    assert history.columns.tolist() == list(HISTORY_COLUMNS)
    assert history["objective"].tolist() == ["stable", "coverage"]
    assert history["run_id"].is_monotonic_decreasing


def test_every_decision_and_run_is_in_the_log_with_who_and_what(store: Store) -> None:
    program = store.create_program("A")
    store.save_members(program.id, random_people(2, 2, seed=1), by="kim")
    store.save_run(program.id, _pairs(), _unmatched(), {}, MatchConfig(), by="kim")
    store.set_decision(program.id, "e1", "m1", "approved", by="kim")
    store.set_decisions(
        program.id, [("e2", "m1", "locked"), ("e2", "m2", "rejected")], by="lee", note="reassign"
    )
    log = store.decision_log(program.id)
    assert log.columns.tolist() == list(LOG_COLUMNS)
    assert log["action"].tolist() == ["rejected", "locked", "approved", "matched", "members loaded"]
    assert log.loc[0, "by"] == "lee" and log.loc[0, "detail"] == "reassign"
    assert (log.loc[2, "before"], log.loc[2, "after"]) == ("pending", "approved")
    assert log.loc[3, "run_id"] == 1
    assert len(store.decision_log(program.id, limit=2)) == 2


def test_forgetting_a_member_reaches_run_snapshots_results_and_the_log(store: Store) -> None:
    program = store.create_program("A")
    people = pd.DataFrame(
        {"member_id": ["e1", "e2", "m1", "m2"], "name": ["Eve", "Eli", "Max", "Mia"]}
    )
    store.save_members(program.id, people)
    alternatives = pd.DataFrame(
        {"mentee_id": ["e1", "e2"], "mentor_id": ["m2", "m1"], "reasons": [("Max said",), ()]}
    )
    store.save_run(
        program.id,
        _pairs(),
        _unmatched(),
        {},
        MatchConfig(),
        people=people,
        extras={"alternatives": alternatives, "issues": [{"member_id": "m1", "message": "Max"}]},
    )
    store.set_decision(program.id, "e1", "m1", "approved")
    store.delete_member(program.id, "m1")
    run = store.latest_run(program.id)
    assert "m1" not in set(run.people["member_id"])
    assert run.extras["alternatives"]["mentor_id"].tolist() == ["m2"]
    assert run.extras["alternatives"]["reasons"].tolist() == [("[removed member] said",)]
    assert run.extras["issues"] == []
    assert run.note == "A member was removed after this run."
    log = store.decision_log(program.id)
    assert not ((log["mentee_id"] == "m1") | (log["mentor_id"] == "m1")).any()
    assert log.loc[0, "action"] == "member removed"
    with closing(sqlite3.connect(store.path)) as conn:
        dump = "\n".join(conn.iterdump())
    assert "Max" not in dump


def test_a_version_1_file_is_migrated_and_its_runs_still_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "m.sqlite3"
    first = schema_module._MIGRATIONS[:1]
    with monkeypatch.context() as patch:
        patch.setattr(schema_module, "_MIGRATIONS", first)
        patch.setattr(schema_module, "SCHEMA_VERSION", 1)
        patch.setattr("mentoring.store.base.SCHEMA_VERSION", 1)
        with closing(sqlite3.connect(path, isolation_level=None)) as conn:
            schema_module.migrate(conn)
            conn.execute("INSERT INTO programs (name, created_at) VALUES ('Old', 'then')")
            conn.execute(
                "INSERT INTO runs (program_id, created_at, pairs, unmatched, stats, config, "
                "n_pairs, n_unmatched) VALUES (1, 'then', ?, ?, '{}', '{}', 0, 0)",
                (
                    '{"format":1,"index":{"range":[0,0,1],"name":null},"columns_dtype":"object",'
                    '"columns":[{"name":"mentee_id","dtype":"object","values":[]},'
                    '{"name":"mentor_id","dtype":"object","values":[]}]}',
                    '{"format":1,"index":{"range":[0,0,1],"name":null},"columns_dtype":"object",'
                    '"columns":[{"name":"member_id","dtype":"object","values":[]}]}',
                ),
            )
    store = Store(path)
    run = store.latest_run(1)
    assert run.people is None and run.settings is None and run.extras == {}
    assert store.decision_log(1).empty
