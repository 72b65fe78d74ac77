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
from mentoring.store.log import _digest, _log
from mentoring.store.records import Run, StoreError
from mentoring.store.schema import log

__all__ = ["HISTORY_COLUMNS", "RUN_COLUMNS", "RunsMixin"]

RUN_COLUMNS: tuple[str, ...] = ("run_id", "created_at", "n_pairs", "n_unmatched")
"""Columns of :meth:`Store.list_runs`, newest run first."""


HISTORY_COLUMNS: tuple[str, ...] = (
    "run_id",
    "created_at",
    "n_pairs",
    "n_unmatched",
    "mean_score",
    "objective",
    "goals",
    "by",
    "note",
)
"""Columns of :meth:`Store.run_history`, newest run first."""


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
        *,
        people: pd.DataFrame | None = None,
        settings: MatchConfig | None = None,
        extras: Mapping[str, Any] | None = None,
        by: str = "",
    ) -> Run:
        """Save a match run and clear the pending decisions, all in one transaction.

        Approved, locked and rejected decisions stay: the run was solved with them as locked and
        forbidden pairs (see :meth:`kept_and_forbidden`). If anything fails, nothing is saved.
        The run is recorded in the decision log.

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
        people : pandas.DataFrame, optional
            The members the run was made from (kept with the run, fingerprinted).
        settings : MatchConfig, optional
            The program's own settings at the time (without the review decisions).
        extras : dict, optional
            The rest of the finished result: plain JSON values and DataFrames.
        by : str
            Who started the run (shown in the decision log).

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
        if not isinstance(by, str):
            raise TypeError(f"expected by as str, got {by!r}")
        pairs_json = frame_to_json(pairs)
        unmatched_json = frame_to_json(unmatched)
        stats_json = _dumps(stats)
        config_json = _config_to_json(config)
        people_json = None if people is None else frame_to_json(people)
        digest = "" if people_json is None else _digest(people_json)
        settings_json = None if settings is None else _config_to_json(settings)
        extras_json = _extras_to_json(extras or {})

        def work(conn: sqlite3.Connection) -> Run:
            _program(conn, program_id)
            created = _now()
            cursor = conn.execute(
                "INSERT INTO runs (program_id, created_at, pairs, unmatched, stats, config, "
                "n_pairs, n_unmatched, members, members_digest, settings, extras, made_by) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    program_id,
                    created,
                    pairs_json,
                    unmatched_json,
                    stats_json,
                    config_json,
                    len(pairs),
                    len(unmatched),
                    people_json,
                    digest,
                    settings_json,
                    extras_json,
                    by,
                ),
            )
            run_id = int(cursor.lastrowid or 0)
            cleared = _clear_pending(conn, program_id)
            _log(
                conn,
                program_id,
                "matched",
                at=created,
                by=by,
                run_id=run_id,
                detail=f"{len(pairs)} pairs, {len(unmatched)} unmatched",
            )
            log.info("program %d: run saved, %d pending decisions cleared", program_id, cleared)
            return Run(
                run_id,
                created,
                pairs.copy(),
                unmatched.copy(),
                stats,
                config,
                program_id,
                None if people is None else people.copy(),
                settings,
                dict(extras or {}),
                digest,
                "",
                by,
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

    def run_history(self, program_id: int) -> pd.DataFrame:
        """Every run of the program with what a coordinator picks one by, newest first.

        Parameters
        ----------
        program_id : int

        Returns
        -------
        pandas.DataFrame
            Columns :data:`HISTORY_COLUMNS`: run id, when, pairs, unmatched, mean score,
            objective, goals (how many), who started it and the run's note.

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from mentoring.store.db import Store
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> program = store.create_program("A")
        >>> frame = pd.DataFrame({"mentee_id": ["e"], "mentor_id": ["m"], "member_id": ["x"]})
        >>> _ = store.save_run(program.id, frame, frame, {"mean_score": 0.5}, MatchConfig())
        >>> store.run_history(program.id)[["n_pairs", "mean_score", "objective"]].values.tolist()
        [[1, 0.5, 'coverage']]
        """
        _check_id(program_id)

        def work(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
            _program(conn, program_id)
            return conn.execute(
                "SELECT id, created_at, n_pairs, n_unmatched, stats, config, made_by, note "
                "FROM runs WHERE program_id = ? ORDER BY id DESC",
                (program_id,),
            ).fetchall()

        rows = []
        for run_id, created, n_pairs, n_unmatched, stats, config, by, note in self._transaction(
            work, write=False
        ):
            stats_data, config_data = json.loads(stats), json.loads(config)
            mean = stats_data.get("mean_score")
            rows.append(
                (
                    run_id,
                    created,
                    n_pairs,
                    n_unmatched,
                    float("nan") if mean is None else float(mean),
                    str(config_data.get("objective", "coverage")),
                    len(config_data.get("goals") or ()),
                    by,
                    note,
                )
            )
        frame = pd.DataFrame(rows, columns=list(HISTORY_COLUMNS))
        return frame.astype(
            {"run_id": "int64", "n_pairs": "int64", "n_unmatched": "int64", "goals": "int64"}
        )


def _clear_pending(conn: sqlite3.Connection, program_id: int) -> int:
    cursor = conn.execute(
        "DELETE FROM decisions WHERE program_id = ? AND status = 'pending'", (program_id,)
    )
    return cursor.rowcount


def _run(conn: sqlite3.Connection, program_id: int, run_id: int | None) -> Run | None:
    _program(conn, program_id)
    query = (
        "SELECT id, created_at, pairs, unmatched, stats, config, members, settings, extras, "
        "members_digest, note, made_by FROM runs WHERE program_id = ? "
    )
    if run_id is None:
        row = conn.execute(query + "ORDER BY id DESC LIMIT 1", (program_id,)).fetchone()
    else:
        row = conn.execute(query + "AND id = ?", (program_id, int(run_id))).fetchone()
    if row is None:
        return None
    run_id, created, pairs, unmatched, stats, config, members, settings, extras = row[:9]
    return Run(
        run_id,
        created,
        frame_from_json(pairs),
        frame_from_json(unmatched),
        json.loads(stats),
        _config_from_json(config),
        program_id,
        None if members is None else frame_from_json(members),
        None if settings is None else _config_from_json(settings),
        _extras_from_json(extras),
        *row[9:],
    )


def _extras_to_json(extras: Mapping[str, Any]) -> str:
    # Tables inside are tagged, so each comes back as the DataFrame it was.
    encoded: dict[str, Any] = {}
    for key, value in extras.items():
        if not isinstance(key, str):
            raise TypeError(f"expected extras keys as str, got {key!r}")
        if isinstance(value, pd.DataFrame):
            encoded[key] = {"$frame": frame_to_json(value)}
        else:
            encoded[key] = {"$value": value}
    try:
        return _dumps(encoded)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"expected extras of plain values and tables, got {exc}") from exc


def _extras_from_json(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    out: dict[str, Any] = {}
    for key, value in json.loads(text).items():
        out[key] = frame_from_json(value["$frame"]) if "$frame" in value else value["$value"]
    return out
