"""A program's settings and its match runs: save, reopen, list.

>>> RUN_COLUMNS
('run_id', 'created_at', 'n_pairs', 'n_unmatched')
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Mapping
from typing import Any

import pandas as pd

from mentoring.model.config import MatchConfig
from mentoring.store.base import _check_id, _Database, _now, _program, _require_columns
from mentoring.store.codec import (
    _config_from_json,
    _config_to_json,
    _dumps,
    frame_from_json,
    frame_to_json,
)
from mentoring.store.records import Run, StoreError
from mentoring.store.schema import log

__all__ = ["RUN_COLUMNS", "RunsMixin"]

RUN_COLUMNS: tuple[str, ...] = ("run_id", "created_at", "n_pairs", "n_unmatched")
"""Columns of :meth:`Store.list_runs`, newest run first."""


class RunsMixin(_Database):
    """Saving and reopening a program's settings and its match runs."""

    def save_settings(self, program_id: int, config: MatchConfig) -> None:
        """Remember the program's settings (weights, rules, objective).

        Parameters
        ----------
        program_id : int
        config : MatchConfig

        Returns
        -------
        None

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from mentoring.store.db import Store
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> program = store.create_program("A")
        >>> store.save_settings(program.id, MatchConfig(objective="quality"))
        >>> store.load_settings(program.id).objective
        'quality'
        """
        _check_id(program_id)
        config_json = _config_to_json(config)

        def work(conn: sqlite3.Connection) -> None:
            _program(conn, program_id)
            conn.execute(
                "INSERT INTO settings (program_id, config, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (program_id) DO UPDATE SET "
                "config = excluded.config, updated_at = excluded.updated_at",
                (program_id, config_json, _now()),
            )

        self._transaction(work, write=True)

    def load_settings(self, program_id: int) -> MatchConfig | None:
        """The program's saved settings, or ``None`` when none were saved.

        Parameters
        ----------
        program_id : int

        Returns
        -------
        MatchConfig or None

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from mentoring.store.db import Store
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> store.load_settings(store.create_program("A").id) is None
        True
        """
        _check_id(program_id)

        def work(conn: sqlite3.Connection) -> str | None:
            _program(conn, program_id)
            row = conn.execute(
                "SELECT config FROM settings WHERE program_id = ?", (program_id,)
            ).fetchone()
            return None if row is None else row[0]

        text = self._transaction(work, write=False)
        return None if text is None else _config_from_json(text)

    def save_run(
        self,
        program_id: int,
        pairs: pd.DataFrame,
        unmatched: pd.DataFrame,
        stats: Mapping[str, Any] | Any,
        config: MatchConfig,
    ) -> Run:
        """Save a match run and clear the pending decisions, all in one transaction.

        Approved, locked and rejected decisions stay: the run was solved with them as locked and
        forbidden pairs (see :meth:`kept_and_forbidden`). If anything fails, nothing is saved.

        Parameters
        ----------
        program_id : int
        pairs : pandas.DataFrame
            Needs ``mentee_id`` and ``mentor_id`` columns (``MatchResult.pairs``).
        unmatched : pandas.DataFrame
            Needs a ``member_id`` column (``MatchResult.unmatched``).
        stats : dict or dataclass
            Headline figures (``MatchStats`` is accepted as is).
        config : MatchConfig
            The settings the run used.

        Returns
        -------
        Run

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from mentoring.store.db import Store
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> program = store.create_program("A")
        >>> pairs = pd.DataFrame({"mentee_id": ["e1"], "mentor_id": ["m1"], "score": [0.8]})
        >>> unmatched = pd.DataFrame({"member_id": ["e2"], "reason": ["no mentor left"]})
        >>> run = store.save_run(program.id, pairs, unmatched, {"n_matched": 1}, MatchConfig())
        >>> store.latest_run(program.id).pairs.equals(pairs)
        True
        """
        _check_id(program_id)
        _require_columns(pairs, "pairs", ("mentee_id", "mentor_id"))
        _require_columns(unmatched, "unmatched", ("member_id",))
        if dataclasses.is_dataclass(stats) and not isinstance(stats, type):
            stats = dataclasses.asdict(stats)
        if not isinstance(stats, Mapping):
            raise TypeError(f"expected stats as a dict or dataclass, got {type(stats).__name__}")
        stats = dict(stats)
        pairs_json = frame_to_json(pairs)
        unmatched_json = frame_to_json(unmatched)
        stats_json = _dumps(stats)
        config_json = _config_to_json(config)

        def work(conn: sqlite3.Connection) -> Run:
            _program(conn, program_id)
            created = _now()
            cursor = conn.execute(
                "INSERT INTO runs (program_id, created_at, pairs, unmatched, stats, config, "
                "n_pairs, n_unmatched) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    program_id,
                    created,
                    pairs_json,
                    unmatched_json,
                    stats_json,
                    config_json,
                    len(pairs),
                    len(unmatched),
                ),
            )
            cleared = _clear_pending(conn, program_id)
            log.info("program %d: run saved, %d pending decisions cleared", program_id, cleared)
            return Run(
                int(cursor.lastrowid or 0),
                created,
                pairs.copy(),
                unmatched.copy(),
                stats,
                config,
                program_id,
            )

        return self._transaction(work, write=True)

    def latest_run(self, program_id: int) -> Run | None:
        """The program's most recent run, or ``None`` before the first.

        Parameters
        ----------
        program_id : int

        Returns
        -------
        Run or None

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from mentoring.store.db import Store
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> store.latest_run(store.create_program("A").id) is None
        True
        """
        _check_id(program_id)
        return self._transaction(lambda conn: _run(conn, program_id, None), write=False)

    def get_run(self, program_id: int, run_id: int) -> Run:
        """One run of the program by id.

        Parameters
        ----------
        program_id : int
        run_id : int

        Returns
        -------
        Run

        Raises
        ------
        StoreError
            When the program has no such run.

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from mentoring.store.db import Store
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> program = store.create_program("A")
        >>> frame = pd.DataFrame({"mentee_id": [], "mentor_id": [], "member_id": []})
        >>> run = store.save_run(program.id, frame, frame, {}, MatchConfig())
        >>> store.get_run(program.id, run.id).id == run.id
        True
        """
        _check_id(program_id)
        _check_id(run_id, "run_id")

        def work(conn: sqlite3.Connection) -> Run:
            run = _run(conn, program_id, run_id)
            if run is None:
                raise StoreError(
                    f"Program {program_id} has no run {run_id}; it may have been deleted. "
                    "Reload the page."
                )
            return run

        return self._transaction(work, write=False)

    def list_runs(self, program_id: int) -> pd.DataFrame:
        """A summary of the program's runs, newest first.

        Parameters
        ----------
        program_id : int

        Returns
        -------
        pandas.DataFrame
            Columns :data:`RUN_COLUMNS`.

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from mentoring.store.db import Store
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> store.list_runs(store.create_program("A").id).columns.tolist()
        ['run_id', 'created_at', 'n_pairs', 'n_unmatched']
        """
        _check_id(program_id)

        def work(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
            _program(conn, program_id)
            return conn.execute(
                "SELECT id, created_at, n_pairs, n_unmatched FROM runs WHERE program_id = ? "
                "ORDER BY id DESC",
                (program_id,),
            ).fetchall()

        frame = pd.DataFrame(self._transaction(work, write=False), columns=list(RUN_COLUMNS))
        return frame.astype({"run_id": "int64", "n_pairs": "int64", "n_unmatched": "int64"})


def _clear_pending(conn: sqlite3.Connection, program_id: int) -> int:
    cursor = conn.execute(
        "DELETE FROM decisions WHERE program_id = ? AND status = 'pending'", (program_id,)
    )
    return cursor.rowcount


def _run(conn: sqlite3.Connection, program_id: int, run_id: int | None) -> Run | None:
    _program(conn, program_id)
    query = "SELECT id, created_at, pairs, unmatched, stats, config FROM runs WHERE program_id = ? "
    if run_id is None:
        row = conn.execute(query + "ORDER BY id DESC LIMIT 1", (program_id,)).fetchone()
    else:
        row = conn.execute(query + "AND id = ?", (program_id, int(run_id))).fetchone()
    if row is None:
        return None
    run_id, created, pairs, unmatched, stats, config = row
    return Run(
        run_id,
        created,
        frame_from_json(pairs),
        frame_from_json(unmatched),
        json.loads(stats),
        _config_from_json(config),
        program_id,
    )
