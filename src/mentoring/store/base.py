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
import stat
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from mentoring.store.records import Program, ProgramNotFoundError, StoreBusyError, StoreError
from mentoring.store.schema import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    check_layout,
    default_db_path,
    log,
    migrate,
)

__all__: list[str] = []

T = TypeVar("T")

_WRITE_CHECK: ContextVar[Callable[[sqlite3.Connection], None] | None] = ContextVar(
    "mentoring_store_write_check", default=None
)
"""A check every write transaction of this thread (context) runs first, inside the
transaction: see :meth:`_Database._checked_writes`."""


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
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"Could not make the folder {path.parent} for the mentoring database "
                f"({exc.strerror or exc}). Set MENTORING_DB to a file in a folder you may "
                "write to."
            ) from exc

    @property
    def read_only(self) -> bool:
        """Whether the file is read-only (its permissions say so): it opens for reading, and
        every change is refused with a sentence saying why."""
        try:
            mode = self.path.stat().st_mode
        except OSError:
            return False
        # Root may write anything; the file's own permissions still say what its owner meant.
        return stat.S_ISREG(mode) and (
            not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
            or not os.access(self.path, os.W_OK)
        )

    def _connect(self) -> sqlite3.Connection:
        if self.path.is_dir():
            raise StoreError(
                f"Could not use the mentoring database {self.path}: it is a folder, not a file, "
                "so neither free space nor permissions are the problem. Move the folder aside, "
                f"or set MENTORING_DB to a file such as {self.path / 'mentoring.sqlite3'}."
            )
        read_only = self.read_only
        target = f"{self.path.resolve().as_uri()}?mode=ro" if read_only else str(self.path)
        conn = sqlite3.connect(
            target, timeout=self.busy_timeout, isolation_level=None, uri=read_only
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA secure_delete = ON")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            stamp = conn.execute("PRAGMA application_id").fetchone()[0]
            # Checked before anything is written: another program's file stays byte for byte.
            if version != SCHEMA_VERSION or stamp != APPLICATION_ID:
                self._bring_up_to_date(conn, read_only)
            if not read_only:
                conn.execute("PRAGMA journal_mode = WAL")
        except BaseException:
            conn.close()
            raise
        return conn

    def _bring_up_to_date(self, conn: sqlite3.Connection, read_only: bool) -> None:
        """Check the file is a mentoring database and migrate it (reading only, check it)."""
        if read_only:
            version, _ = check_layout(conn, str(self.path))
            if version == 0:
                raise StoreError(
                    f"{self.path} is read-only and empty, so there is nothing to open and "
                    "nothing can be saved. Make the file writable, or set MENTORING_DB to "
                    "another file."
                )
            if version != SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} is read-only and was written by an older version of mentoring "
                    f"(schema {version}), which must be brought up to date before it can be "
                    "opened. Make the file writable once, or open it with the older version."
                )
            return
        try:
            migrate(conn, str(self.path))
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise
            raise StoreError(
                f"{self.path} could not be brought up to date for this version of mentoring "
                f"({exc}); it is left as it was. Move the file aside and start again, or open "
                "it with the version of mentoring that wrote it."
            ) from exc

    def _transaction(self, work: Callable[[sqlite3.Connection], T], *, write: bool) -> T:
        """Run ``work`` in one transaction, retrying the whole of it while the file is busy."""
        delay = 0.02
        for attempt in range(1, self.attempts + 1):
            try:
                with closing(self._connect()) as conn:
                    conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                    try:
                        check = _WRITE_CHECK.get() if write else None
                        if check is not None:
                            check(conn)
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

    @contextmanager
    def _checked_writes(self, check: Callable[[sqlite3.Connection], None]) -> Iterator[None]:
        """Inside the block, every write of this thread runs ``check(conn)`` first, in the same
        transaction: a precondition read under the write lock, so nothing can change between
        the check and the write. ``check`` raises to refuse (nothing is written)."""
        token = _WRITE_CHECK.set(check)
        try:
            yield
        finally:
            _WRITE_CHECK.reset(token)

    def _unusable(self, exc: sqlite3.DatabaseError) -> StoreError:
        text = str(exc)
        if "not a database" in text or "malformed" in text:
            return StoreError(
                f"{self.path} is not a readable mentoring database ({text}). Move the file "
                "aside and start again, or set MENTORING_DB to another file."
            )
        if "readonly" in text or "read-only" in text:
            return StoreError(
                f"The mentoring database {self.path} is read-only, so nothing can be changed; "
                "you can still look at everything in it. To make changes, ask whoever manages "
                "that file to let you write to it, or set MENTORING_DB to a copy of it."
            )
        return StoreError(
            f"Could not use the mentoring database {self.path} ({text}). Check that the disk "
            "has free space and that you may write to that folder."
        )

    def _forget(self) -> None:
        """Push removals into the main file and empty the WAL, so no old copy stays behind, and
        empty this process's free-text caches, which hold what members typed."""
        freetext = sys.modules.get("mentoring.engine.freetext")
        if freetext is not None:
            freetext.clear_cache()
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
