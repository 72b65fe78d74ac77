"""The store's plumbing: one short-lived connection and one transaction per call.

:class:`_Database` holds the file's path and retry settings and runs each call's work in a
transaction, retrying while another writer holds the file; the concept mixins
(:mod:`~mentoring.store.programs`, :mod:`~mentoring.store.members`,
:mod:`~mentoring.store.runs`, :mod:`~mentoring.store.decisions`) build on it, and
:class:`~mentoring.store.db.Store` joins them.

>>> import tempfile
>>> from pathlib import Path
>>> database = _Database(Path(tempfile.mkdtemp()) / "m.sqlite3")
>>> database._transaction(lambda conn: conn.execute("SELECT count(*) FROM programs").fetchone(),
...                       write=False)
(0,)
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from mentoring.store.records import Program, ProgramNotFoundError, StoreBusyError, StoreError
from mentoring.store.schema import SCHEMA_VERSION, default_db_path, log, migrate

__all__: list[str] = []

T = TypeVar("T")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


@dataclass(frozen=True)
class _Database:
    """A mentoring database file, used through one short transaction per call.

    The base of :class:`~mentoring.store.db.Store`: its fields and the plumbing every call
    shares. See :class:`~mentoring.store.db.Store` for the parameters.
    """

    path: Path = field(default_factory=default_db_path)
    busy_timeout: float = 10.0
    attempts: int = 5

    def __post_init__(self) -> None:
        if not isinstance(self.path, str | os.PathLike):
            raise TypeError(f"expected the database path as str or Path, got {self.path!r}")
        path = Path(self.path).expanduser()
        object.__setattr__(self, "path", path)
        if not self.busy_timeout >= 0:
            raise ValueError(f"expected busy_timeout >= 0 seconds, got {self.busy_timeout!r}")
        if not isinstance(self.attempts, int) or self.attempts < 1:
            raise ValueError(f"expected attempts as a whole number >= 1, got {self.attempts!r}")
        path.parent.mkdir(parents=True, exist_ok=True)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA secure_delete = ON")
            if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                migrate(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _transaction(self, work: Callable[[sqlite3.Connection], T], *, write: bool) -> T:
        """Run ``work`` in one transaction, retrying the whole of it while the file is busy."""
        delay = 0.02
        for attempt in range(1, self.attempts + 1):
            try:
                with closing(self._connect()) as conn:
                    conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                    try:
                        result = work(conn)
                        conn.execute("COMMIT")
                    except BaseException:
                        if conn.in_transaction:
                            conn.rollback()
                        raise
                    return result
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc):
                    raise self._unusable(exc) from exc
                log.info("store busy, attempt %d of %d", attempt, self.attempts)
                if attempt == self.attempts:
                    break
                # Jitter keeps processes that collided once from colliding again in lockstep.
                time.sleep(delay * (1 + random.random()))
                delay = min(delay * 2, 1.0)
            except sqlite3.DatabaseError as exc:
                raise self._unusable(exc) from exc
        raise StoreBusyError(
            f"The mentoring database is busy: another coordinator or program kept it locked for "
            f"more than {self.attempts * self.busy_timeout:g} seconds. Wait a minute and try "
            f"again; if it keeps happening, close other copies of the app using {self.path.name}."
        )

    def _unusable(self, exc: sqlite3.DatabaseError) -> StoreError:
        text = str(exc)
        if "not a database" in text or "malformed" in text:
            return StoreError(
                f"{self.path} is not a readable mentoring database ({text}). Move the file "
                "aside and start again, or set MENTORING_DB to another file."
            )
        return StoreError(
            f"Could not use the mentoring database {self.path} ({text}). Check that the disk "
            "has free space and that you may write to that folder."
        )

    def _forget(self) -> None:
        """Push removals into the main file and empty the WAL, so no old copy stays behind."""
        # The removal itself is committed already; a reader that blocks the checkpoint only
        # delays the WAL's emptying to a later checkpoint, so this never fails the user's call.
        for _ in range(2):
            try:
                with closing(self._connect()) as conn:
                    busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            except sqlite3.OperationalError:
                busy = 1
            if not busy:
                return
            time.sleep(0.05)
        log.warning("WAL checkpoint after a removal was blocked by readers; it completes later")


def _check_id(value: Any, name: str = "program_id") -> None:
    if not isinstance(value, int | np.integer) or isinstance(value, bool | np.bool_):
        raise TypeError(f"expected {name} as int, got {value!r}")


def _program(conn: sqlite3.Connection, program_id: int) -> Program:
    row = conn.execute(
        "SELECT id, name, created_at FROM programs WHERE id = ?", (int(program_id),)
    ).fetchone()
    if row is None:
        raise ProgramNotFoundError(
            f"There is no program {program_id}; another coordinator may have deleted it. "
            "Reload the page and pick a program from the list."
        )
    return Program(*row)


def _require_columns(frame: Any, name: str, columns: Sequence[str]) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected {name} as a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"expected {name} with columns {', '.join(columns)}, got {list(frame.columns)}"
        )
