"""The durable store: programs, their members, settings, match runs and review decisions.

One SQLite file holds everything. Each call opens a short-lived connection, so several
coordinators (threads, processes, app sessions) can share one file safely:

* WAL journal with ``synchronous=NORMAL``: readers never block the writer, and a write that
  returned has survived a crash of the process (a power cut may lose the last moments).
* Every read-modify-write runs in ``BEGIN IMMEDIATE``, so two writers never both read a stale
  value; "database is locked" is retried with backoff and only surfaces, as
  :class:`StoreBusyError`, when another writer holds the file for far too long.
* ``secure_delete`` plus a WAL checkpoint after removals, so a deleted member's name and email
  are not left behind in the file (the right to be forgotten).
* Tables are stored as JSON (:func:`frame_to_json`), never pickle, so opening a file someone
  sent you cannot run code.

Every user action in the review app is one call on :class:`Store`:

=====================================  ===========================================
first visit                            :meth:`Store.ensure_default_program`
new, rename, delete a program          ``create_program``, ``rename_program``, ``purge_program``
upload members / reopen them           :meth:`Store.save_members` / :meth:`Store.load_members`
save / reopen settings                 :meth:`Store.save_settings` / :meth:`Store.load_settings`
(re-)solve: what to keep and forbid    :meth:`Store.kept_and_forbidden`, then :meth:`Store.save_run`
show the review page                   :meth:`Store.review_table`
approve, reject, lock, undo one pair   :meth:`Store.set_decision` (pass ``expected_version``)
approve all, reassign                  :meth:`Store.set_decisions` (all or nothing)
forget a member                        :meth:`Store.delete_member`
=====================================  ===========================================

Logging names ids and counts only, never names or emails.

>>> import tempfile
>>> from pathlib import Path
>>> store = Store(Path(tempfile.mkdtemp()) / "mentoring.sqlite3")
>>> program = store.ensure_default_program()
>>> program.name
'My first program'
>>> store.set_decision(program.id, "e1", "m1", "approved", by="kim").version
1
>>> store.kept_and_forbidden(program.id)
((('e1', 'm1'),), ())
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import os
import random
import re
import sqlite3
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np
import pandas as pd

from mentoring.model import Issue, MatchConfig, MentoringError, empty_people

__all__ = [
    "DECISION_COLUMNS",
    "DEFAULT_PROGRAM_NAME",
    "REVIEW_COLUMNS",
    "RUN_COLUMNS",
    "SCHEMA_VERSION",
    "STATUSES",
    "UPLOAD_COLUMNS",
    "Decision",
    "DecisionConflictError",
    "Program",
    "ProgramNotFoundError",
    "Run",
    "Store",
    "StoreBusyError",
    "StoreError",
    "default_db_path",
    "frame_from_json",
    "frame_to_json",
    "migrate",
]

log = logging.getLogger(__name__)

Status = Literal["pending", "approved", "rejected", "locked"]
STATUSES: tuple[str, ...] = ("pending", "approved", "rejected", "locked")
"""Review states of a pair; ``approved`` and ``locked`` are kept on re-solve, ``rejected`` is
never proposed again, ``pending`` (the default) carries no constraint."""

KEPT_STATUSES: frozenset[str] = frozenset({"approved", "locked"})

DEFAULT_PROGRAM_NAME = "My first program"

DECISION_COLUMNS: tuple[str, ...] = (
    "mentee_id",
    "mentor_id",
    "status",
    "version",
    "updated_at",
    "by",
)
"""Columns of :meth:`Store.decisions`."""

REVIEW_COLUMNS: tuple[str, ...] = ("status", "version", "updated_at", "by")
"""Columns :meth:`Store.review_table` adds to the latest run's pairs."""

RUN_COLUMNS: tuple[str, ...] = ("run_id", "created_at", "n_pairs", "n_unmatched")
"""Columns of :meth:`Store.list_runs`, newest run first."""

UPLOAD_COLUMNS: tuple[str, ...] = ("upload_id", "created_at", "sources", "n_members", "n_issues")
"""Columns of :meth:`Store.list_uploads`, newest upload first."""

REMOVED = "[removed member]"
"""What a deleted member's name, email or id becomes inside other rows' free text."""

# Free-text columns may mention another member by name ("prefers Jane Doe"); identifier and name
# columns are never rewritten, because a whole-word match there would corrupt someone else's data.
_FREE_TEXT_COLUMNS = frozenset({"notes", "reasons", "reason"})
_ID_LIST_COLUMNS = frozenset({"past_partners", "preferred_mentors"})


class StoreError(MentoringError):
    """The store cannot do what was asked; the message says what to do about it."""


class StoreBusyError(StoreError):
    """Another process kept the database locked for longer than every retry allowed."""


class ProgramNotFoundError(StoreError, LookupError):
    """No program has this id (it may have been deleted by another coordinator)."""


class DecisionConflictError(StoreError):
    """Another coordinator changed the pair since this one loaded it.

    ``current`` is the decision as it now stands.
    """

    def __init__(self, message: str, current: Decision) -> None:
        super().__init__(message)
        self.current = current


@dataclass(frozen=True)
class Program:
    """A mentoring program (one cohort or round): members, settings, runs and decisions."""

    id: int
    name: str
    created_at: str


@dataclass(frozen=True)
class Decision:
    """A coordinator's review of one proposed pair.

    ``version`` counts changes (0 = never decided); pass it back as ``expected_version`` so that
    a change made meanwhile by someone else is detected instead of overwritten.
    """

    mentee_id: str
    mentor_id: str
    status: str
    version: int
    updated_at: str
    by: str


@dataclass(frozen=True, eq=False)
class Run:
    """One saved match: its pairs, the members left unmatched, headline figures and settings."""

    id: int
    created_at: str
    pairs: pd.DataFrame
    unmatched: pd.DataFrame
    stats: dict[str, Any]
    config: MatchConfig
    program_id: int = 0


def default_db_path() -> Path:
    """Where the store lives unless told otherwise; the parent folder is created.

    ``$MENTORING_DB`` wins; otherwise the user's data folder: ``$XDG_DATA_HOME/mentoring`` (or
    ``~/.local/share/mentoring``) on Linux, ``~/Library/Application Support/mentoring`` on macOS,
    ``%LOCALAPPDATA%\\mentoring`` on Windows.

    Returns
    -------
    pathlib.Path
        The database file, ``mentoring.sqlite3`` unless ``$MENTORING_DB`` names another.

    Examples
    --------
    >>> import os, tempfile
    >>> os.environ["MENTORING_DB"] = os.path.join(tempfile.mkdtemp(), "sub", "m.sqlite3")
    >>> path = default_db_path()
    >>> path.name, path.parent.is_dir()
    ('m.sqlite3', True)
    >>> del os.environ["MENTORING_DB"]
    """
    explicit = os.environ.get("MENTORING_DB", "").strip()
    if explicit:
        path = Path(explicit).expanduser()
    else:
        if sys.platform == "win32":
            base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        elif sys.platform == "darwin":
            base = Path.home() / "Library" / "Application Support"
        else:
            xdg = os.environ.get("XDG_DATA_HOME", "")
            # The XDG spec says relative values are invalid and must be ignored.
            base = (
                Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
            )
        path = base / "mentoring" / "mentoring.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


# --------------------------------------------------------------------------- tables as JSON

_FRAME_FORMAT = 1


def frame_to_json(frame: pd.DataFrame) -> str:
    """A table as JSON text that :func:`frame_from_json` turns back into an identical table.

    Column order and dtypes are kept: ``bool``, numpy integers and floats (NaN and infinities
    included), the nullable ``Int64``/``boolean``/``Float64``, ``str``/``string``, and ``object``
    columns whose cells are text, numbers, booleans, ``None``, ``pd.NA``, or tuples, lists and
    dicts of those (tuples come back as tuples). The index is kept too.

    Parameters
    ----------
    frame : pandas.DataFrame
        Column names must be unique strings.

    Returns
    -------
    str
        Plain ASCII JSON (no NaN literals), safe to store and to read back anywhere.

    Raises
    ------
    TypeError
        When a column or cell holds something else (a date, an arbitrary object).

    Examples
    --------
    >>> frame = pd.DataFrame({"id": ["a"], "tags": [("x", "y")], "n": pd.array([None], "Int64")})
    >>> back = frame_from_json(frame_to_json(frame))
    >>> back.loc[0, "tags"], back["n"].dtype
    (('x', 'y'), Int64Dtype())
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    names = list(frame.columns)
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"expected column names as str, got {name!r}")
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise TypeError(f"expected unique column names, got duplicates: {', '.join(duplicated)}")
    columns = [
        {
            "name": name,
            "dtype": str(frame.dtypes.iloc[position]),
            "values": _encode_series(frame.iloc[:, position], name),
        }
        for position, name in enumerate(names)
    ]
    payload = {
        "format": _FRAME_FORMAT,
        "index": _encode_index(frame.index),
        "columns_dtype": str(frame.columns.dtype),
        "columns": columns,
    }
    return json.dumps(payload, ensure_ascii=True, allow_nan=False, separators=(",", ":"))


def frame_from_json(text: str) -> pd.DataFrame:
    """The table :func:`frame_to_json` wrote, with its columns, dtypes, index and tuples.

    Parameters
    ----------
    text : str
        JSON written by :func:`frame_to_json`.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> frame = pd.DataFrame({"score": [0.5, float("nan")], "ok": [True, False]})
    >>> frame_from_json(frame_to_json(frame)).equals(frame)
    True
    """
    payload = json.loads(text)
    if not isinstance(payload, dict) or payload.get("format") != _FRAME_FORMAT:
        raise StoreError(
            "A stored table is in a format this version of mentoring does not know. "
            "Update mentoring, or ask whoever created the database which version they used."
        )
    index = _decode_index(payload["index"])
    data = {
        position: _decode_series(column["values"], column["dtype"], index)
        for position, column in enumerate(payload["columns"])
    }
    frame = pd.DataFrame(data, index=index)
    names = [column["name"] for column in payload["columns"]]
    frame.columns = pd.Index(names, dtype=payload.get("columns_dtype", "object"))
    return frame


def _encode_index(index: pd.Index) -> dict[str, Any]:
    name = index.name
    if name is not None and not isinstance(name, str):
        raise TypeError(f"expected the index name as str or None, got {name!r}")
    if isinstance(index, pd.RangeIndex):
        return {"range": [index.start, index.stop, index.step], "name": name}
    series = index.to_series(index=pd.RangeIndex(len(index)))
    return {"dtype": str(index.dtype), "values": _encode_series(series, "the index"), "name": name}


def _decode_index(data: dict[str, Any]) -> pd.Index:
    if "range" in data:
        return pd.RangeIndex(*data["range"], name=data["name"])
    values = _decode_series(data["values"], data["dtype"], pd.RangeIndex(len(data["values"])))
    return pd.Index(values, name=data["name"])


def _encode_series(series: pd.Series, name: str) -> list[Any]:
    dtype = series.dtype
    if isinstance(dtype, np.dtype):
        if dtype.kind == "b":
            return [bool(v) for v in series.to_numpy()]
        if dtype.kind in "iu":
            return [int(v) for v in series.to_numpy()]
        if dtype.kind == "f":
            return [_encode_float(float(v)) for v in series.to_numpy()]
        if dtype.kind == "O":
            return [_encode_cell(v, name, row) for row, v in enumerate(series.to_numpy())]
    elif isinstance(dtype, pd.StringDtype):
        return [None if pd.isna(v) else str(v) for v in series.to_numpy(dtype=object)]
    elif isinstance(dtype, pd.BooleanDtype):
        return [None if v is pd.NA else bool(v) for v in series.to_numpy(dtype=object)]
    elif isinstance(dtype, pd.core.arrays.integer.IntegerDtype):
        return [None if v is pd.NA else int(v) for v in series.to_numpy(dtype=object)]
    elif isinstance(dtype, pd.core.arrays.floating.FloatingDtype):
        return [
            None if pd.isna(v) else _encode_float(float(v)) for v in series.to_numpy(dtype=object)
        ]
    raise TypeError(
        f"cannot store column {name!r}: expected text, numbers, booleans or tuples, "
        f"got dtype {dtype}"
    )


def _encode_float(value: float) -> float | str | None:
    if math.isnan(value):
        return None
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def _decode_float(value: float | str | None) -> float:
    if value is None:
        return math.nan
    return float(value)


def _encode_cell(value: Any, name: str, row: int) -> Any:
    # Tagged one-key dicts keep apart what JSON alone would merge (tuple vs list, NaN vs None).
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | np.integer) and not isinstance(value, np.bool_):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, float | np.floating):
        value = float(value)
        return value if math.isfinite(value) else {"$f": repr(value)}
    if value is pd.NA:
        return {"$na": 1}
    if isinstance(value, tuple):
        return {"$t": [_encode_cell(v, name, row) for v in value]}
    if isinstance(value, list):
        return {"$l": [_encode_cell(v, name, row) for v in value]}
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"$d": {k: _encode_cell(v, name, row) for k, v in value.items()}}
    raise TypeError(
        f"cannot store column {name!r}, row {row}: expected text, a number, a boolean, None "
        f"or a tuple of them, got {type(value).__name__}"
    )


def _decode_cell(value: Any) -> Any:
    if isinstance(value, dict):
        (tag, inner), *_ = value.items()
        if tag == "$t":
            return tuple(_decode_cell(v) for v in inner)
        if tag == "$l":
            return [_decode_cell(v) for v in inner]
        if tag == "$d":
            return {k: _decode_cell(v) for k, v in inner.items()}
        if tag == "$f":
            return float(inner)
        return pd.NA
    return value


def _decode_series(values: list[Any], dtype_name: str, index: pd.Index) -> pd.Series:
    dtype = pd.api.types.pandas_dtype(dtype_name)
    if isinstance(dtype, np.dtype):
        if dtype.kind == "f":
            array = np.array([_decode_float(v) for v in values], dtype=dtype)
        elif dtype.kind == "O":
            # Filled one by one: handing numpy a list of equal-length tuples would build a 2-D array.
            array = np.empty(len(values), dtype=object)
            for position, value in enumerate(values):
                array[position] = _decode_cell(value)
        else:
            array = np.array(values, dtype=dtype)
        return pd.Series(array, index=index, dtype=dtype, copy=False)
    if isinstance(dtype, pd.core.arrays.floating.FloatingDtype):
        values = [None if v is None else float(v) for v in values]
    return pd.Series(pd.array(values, dtype=dtype), index=index)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True, default=_plain, separators=(",", ":"))


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple | frozenset | set):
        return sorted(value) if isinstance(value, frozenset | set) else list(value)
    raise TypeError(f"expected plain values (text, numbers, lists), got {type(value).__name__}")


def _config_to_json(config: MatchConfig) -> str:
    if not isinstance(config, MatchConfig):
        raise TypeError(f"expected a MatchConfig, got {type(config).__name__}")
    return _dumps(config.to_dict())


def _config_from_json(text: str) -> MatchConfig:
    data = json.loads(text)
    # An empty goal list needs no goal parser; skipping it keeps old settings readable alone.
    if not data.get("goals"):
        data.pop("goals", None)
    return MatchConfig.from_dict(data)


# --------------------------------------------------------------------------- schema

_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE programs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            created_at TEXT NOT NULL)""",
        """CREATE TABLE member_sets (
            program_id INTEGER PRIMARY KEY REFERENCES programs(id) ON DELETE CASCADE,
            people TEXT NOT NULL,
            issues TEXT NOT NULL,
            mappings TEXT NOT NULL,
            updated_at TEXT NOT NULL)""",
        """CREATE TABLE uploads (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            sources TEXT NOT NULL,
            n_members INTEGER NOT NULL,
            n_issues INTEGER NOT NULL)""",
        "CREATE INDEX uploads_by_program ON uploads(program_id, id)",
        """CREATE TABLE settings (
            program_id INTEGER PRIMARY KEY REFERENCES programs(id) ON DELETE CASCADE,
            config TEXT NOT NULL,
            updated_at TEXT NOT NULL)""",
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            pairs TEXT NOT NULL,
            unmatched TEXT NOT NULL,
            stats TEXT NOT NULL,
            config TEXT NOT NULL,
            n_pairs INTEGER NOT NULL,
            n_unmatched INTEGER NOT NULL)""",
        "CREATE INDEX runs_by_program ON runs(program_id, id)",
        """CREATE TABLE decisions (
            program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
            mentee_id TEXT NOT NULL,
            mentor_id TEXT NOT NULL,
            status TEXT NOT NULL
                CHECK (status IN ('pending', 'approved', 'rejected', 'locked')),
            version INTEGER NOT NULL CHECK (version >= 1),
            updated_at TEXT NOT NULL,
            changed_by TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (program_id, mentee_id, mentor_id))""",
    ),
)

SCHEMA_VERSION = len(_MIGRATIONS)
"""The schema this version writes; ``PRAGMA user_version`` of an up-to-date file."""


def migrate(conn: sqlite3.Connection) -> int:
    """Bring a database to :data:`SCHEMA_VERSION`, one recorded step at a time.

    Runs inside ``BEGIN IMMEDIATE`` so that two processes opening a new file at once cannot
    both create the tables. Safe to call on an up-to-date file (it does nothing).

    Parameters
    ----------
    conn : sqlite3.Connection
        Opened with ``isolation_level=None`` (transactions are managed here).

    Returns
    -------
    int
        The schema version the file had before.

    Raises
    ------
    StoreError
        When the file was written by a newer version of mentoring.

    Examples
    --------
    >>> conn = sqlite3.connect(":memory:", isolation_level=None)
    >>> migrate(conn), conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    (0, True)
    >>> migrate(conn) == SCHEMA_VERSION
    True
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        before = conn.execute("PRAGMA user_version").fetchone()[0]
        if before > SCHEMA_VERSION:
            raise StoreError(
                f"This database was written by a newer version of mentoring (schema {before}; "
                f"this version knows up to {SCHEMA_VERSION}). Update mentoring to open it."
            )
        for version in range(before, SCHEMA_VERSION):
            for statement in _MIGRATIONS[version]:
                conn.execute(statement)
            # user_version lives in the file header, so it commits or rolls back with the step.
            conn.execute(f"PRAGMA user_version = {version + 1}")
        conn.execute("COMMIT")
    except BaseException:
        conn.rollback()
        raise
    if before < SCHEMA_VERSION:
        log.info("store schema migrated from version %d to %d", before, SCHEMA_VERSION)
    return before


# --------------------------------------------------------------------------- the store

T = TypeVar("T")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


@dataclass(frozen=True)
class Store:
    """A mentoring database file, used through one short transaction per call.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The SQLite file (created on first use, parent folders too). Default:
        :func:`default_db_path`.
    busy_timeout : float
        Seconds one attempt waits for another writer before backing off.
    attempts : int
        How many times a call is tried before :class:`StoreBusyError`.

    Examples
    --------
    >>> import tempfile
    >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
    >>> store.create_program("Spring 2026").name
    'Spring 2026'
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

    # ------------------------------------------------------------------ plumbing

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

    # ------------------------------------------------------------------ programs

    def create_program(self, name: str) -> Program:
        """Create a program (one cohort or round).

        Parameters
        ----------
        name : str
            Shown to coordinators; unique, ignoring case and surrounding spaces.

        Returns
        -------
        Program

        Raises
        ------
        StoreError
            When another program already has this name.

        Examples
        --------
        >>> import tempfile
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> store.create_program("  Fall 2026 ").name
        'Fall 2026'
        """
        clean = _program_name(name)

        def work(conn: sqlite3.Connection) -> Program:
            _require_unique_name(conn, clean, None)
            created = _now()
            cursor = conn.execute(
                "INSERT INTO programs (name, created_at) VALUES (?, ?)", (clean, created)
            )
            return Program(int(cursor.lastrowid or 0), clean, created)

        program = self._transaction(work, write=True)
        log.info("created program %d", program.id)
        return program

    def list_programs(self) -> tuple[Program, ...]:
        """Every program, oldest first.

        Returns
        -------
        tuple of Program

        Examples
        --------
        >>> import tempfile
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> _ = store.create_program("A"), store.create_program("B")
        >>> [p.name for p in store.list_programs()]
        ['A', 'B']
        """

        def work(conn: sqlite3.Connection) -> tuple[Program, ...]:
            rows = conn.execute("SELECT id, name, created_at FROM programs ORDER BY id")
            return tuple(Program(*row) for row in rows)

        return self._transaction(work, write=False)

    def get_program(self, program_id: int) -> Program:
        """One program by id.

        Parameters
        ----------
        program_id : int

        Returns
        -------
        Program

        Raises
        ------
        ProgramNotFoundError
            When there is no such program.

        Examples
        --------
        >>> import tempfile
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> store.get_program(store.create_program("A").id).name
        'A'
        """
        _check_id(program_id)
        return self._transaction(lambda conn: _program(conn, program_id), write=False)

    def rename_program(self, program_id: int, name: str) -> Program:
        """Give a program a new name.

        Parameters
        ----------
        program_id : int
        name : str
            Unique, ignoring case and surrounding spaces.

        Returns
        -------
        Program
            The program with its new name.

        Examples
        --------
        >>> import tempfile
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> store.rename_program(store.create_program("A").id, "Spring cohort").name
        'Spring cohort'
        """
        _check_id(program_id)
        clean = _program_name(name)

        def work(conn: sqlite3.Connection) -> Program:
            program = _program(conn, program_id)
            _require_unique_name(conn, clean, program_id)
            conn.execute("UPDATE programs SET name = ? WHERE id = ?", (clean, program_id))
            return dataclasses.replace(program, name=clean)

        return self._transaction(work, write=True)

    def ensure_default_program(self) -> Program:
        """The oldest program, creating "My first program" on a first visit.

        Returns
        -------
        Program

        Examples
        --------
        >>> import tempfile
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> store.ensure_default_program() == store.ensure_default_program()
        True
        """

        def work(conn: sqlite3.Connection) -> Program:
            row = conn.execute("SELECT id, name, created_at FROM programs ORDER BY id LIMIT 1")
            found = row.fetchone()
            if found:
                return Program(*found)
            created = _now()
            cursor = conn.execute(
                "INSERT INTO programs (name, created_at) VALUES (?, ?)",
                (DEFAULT_PROGRAM_NAME, created),
            )
            return Program(int(cursor.lastrowid or 0), DEFAULT_PROGRAM_NAME, created)

        return self._transaction(work, write=True)

    def purge_program(self, program_id: int) -> None:
        """Delete a program and everything in it, leaving no copy in the file.

        Members, uploads, settings, runs and decisions go; the freed space is overwritten
        (``secure_delete``) and the WAL emptied.

        Parameters
        ----------
        program_id : int

        Returns
        -------
        None

        Examples
        --------
        >>> import tempfile
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> program = store.create_program("A")
        >>> store.purge_program(program.id)
        >>> store.list_programs()
        ()
        """
        _check_id(program_id)

        def work(conn: sqlite3.Connection) -> None:
            _program(conn, program_id)
            conn.execute("DELETE FROM programs WHERE id = ?", (program_id,))

        self._transaction(work, write=True)
        self._forget()
        log.info("purged program %d", program_id)

    # ------------------------------------------------------------------ members

    def save_members(
        self,
        program_id: int,
        people: pd.DataFrame,
        issues: Sequence[Issue] = (),
        mappings: Mapping[str, Any] | None = None,
        sources: Sequence[str] = (),
    ) -> None:
        """Replace the program's members, and record the upload.

        Parameters
        ----------
        program_id : int
        people : pandas.DataFrame
            The people table (see :mod:`mentoring.model`); needs a ``member_id`` column.
        issues : sequence of Issue
            What validation found.
        mappings : dict, optional
            The column mapping used (plain JSON values).
        sources : sequence of str
            The uploaded file names, for the upload record.

        Returns
        -------
        None

        Examples
        --------
        >>> import tempfile
        >>> from mentoring.model import empty_people
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> program = store.create_program("A")
        >>> store.save_members(program.id, empty_people(), [], {"Name": "name"}, ["a.csv"])
        >>> store.list_uploads(program.id)["sources"].tolist()
        [('a.csv',)]
        """
        _check_id(program_id)
        people_json = _people_to_json(people)
        issues = tuple(issues)
        for issue in issues:
            if not isinstance(issue, Issue):
                raise TypeError(f"expected issues as Issue objects, got {type(issue).__name__}")
        issues_json = _dumps([dataclasses.asdict(i) for i in issues])
        mappings = dict(mappings or {})
        try:
            mappings_json = _dumps(mappings)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"expected mappings as a dict of plain values, got {exc}") from exc
        if isinstance(sources, str) or not all(isinstance(s, str) for s in sources):
            raise TypeError(f"expected sources as a list of file names, got {sources!r}")
        sources_json = _dumps(list(sources))

        def work(conn: sqlite3.Connection) -> None:
            _program(conn, program_id)
            now = _now()
            conn.execute(
                "INSERT INTO member_sets (program_id, people, issues, mappings, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (program_id) DO UPDATE SET "
                "people = excluded.people, issues = excluded.issues, "
                "mappings = excluded.mappings, updated_at = excluded.updated_at",
                (program_id, people_json, issues_json, mappings_json, now),
            )
            conn.execute(
                "INSERT INTO uploads (program_id, created_at, sources, n_members, n_issues) "
                "VALUES (?, ?, ?, ?, ?)",
                (program_id, now, sources_json, len(people), len(issues)),
            )

        self._transaction(work, write=True)
        log.info("program %d: saved %d members, %d issues", program_id, len(people), len(issues))

    def load_members(
        self, program_id: int
    ) -> tuple[pd.DataFrame, tuple[Issue, ...], dict[str, Any]]:
        """The program's members as last saved, with their issues and column mapping.

        Parameters
        ----------
        program_id : int

        Returns
        -------
        people : pandas.DataFrame
            Exactly as saved; an empty people table when nothing was saved yet.
        issues : tuple of Issue
        mappings : dict

        Examples
        --------
        >>> import tempfile
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> people, issues, mappings = store.load_members(store.create_program("A").id)
        >>> people.shape, issues, mappings
        ((0, 25), (), {})
        """
        _check_id(program_id)

        def work(conn: sqlite3.Connection) -> tuple[str, str, str] | None:
            _program(conn, program_id)
            row = conn.execute(
                "SELECT people, issues, mappings FROM member_sets WHERE program_id = ?",
                (program_id,),
            ).fetchone()
            return None if row is None else tuple(row)

        row = self._transaction(work, write=False)
        if row is None:
            return empty_people(), (), {}
        people_json, issues_json, mappings_json = row
        issues = tuple(Issue(**data) for data in json.loads(issues_json))
        return frame_from_json(people_json), issues, json.loads(mappings_json)

    def list_uploads(self, program_id: int) -> pd.DataFrame:
        """The upload records of a program, newest first.

        Parameters
        ----------
        program_id : int

        Returns
        -------
        pandas.DataFrame
            Columns :data:`UPLOAD_COLUMNS`; ``sources`` holds a tuple of file names.

        Examples
        --------
        >>> import tempfile
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> store.list_uploads(store.create_program("A").id).columns.tolist()
        ['upload_id', 'created_at', 'sources', 'n_members', 'n_issues']
        """
        _check_id(program_id)

        def work(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
            _program(conn, program_id)
            return conn.execute(
                "SELECT id, created_at, sources, n_members, n_issues FROM uploads "
                "WHERE program_id = ? ORDER BY id DESC",
                (program_id,),
            ).fetchall()

        rows = [
            (i, created, tuple(json.loads(sources)), n, k)
            for i, created, sources, n, k in self._transaction(work, write=False)
        ]
        frame = pd.DataFrame(rows, columns=list(UPLOAD_COLUMNS))
        return frame.astype({"upload_id": "int64", "n_members": "int64", "n_issues": "int64"})

    def delete_member(self, program_id: int, member_id: str) -> int:
        """Forget one member everywhere in a program, leaving no copy in the file.

        The member leaves the member table, the issues about them, every run's pairs and
        unmatched list, every decision, the saved and per-run locked and forbidden pairs, other
        members' past-partner and preferred-mentor lists; where other rows' free text (notes,
        reasons, issue messages) names them, their name, email and id become "[removed member]".
        The freed space is overwritten and the WAL emptied.

        Parameters
        ----------
        program_id : int
        member_id : str

        Returns
        -------
        int
            How many records were removed or rewritten (0: the member was not found).

        Examples
        --------
        >>> import tempfile
        >>> from mentoring.model import empty_people
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> program = store.create_program("A")
        >>> _ = store.set_decision(program.id, "e1", "m1", "approved")
        >>> store.delete_member(program.id, "m1")
        1
        >>> len(store.decisions(program.id))
        0
        """
        _check_id(program_id)
        if not isinstance(member_id, str) or not member_id:
            raise TypeError(f"expected member_id as non-empty str, got {member_id!r}")

        def work(conn: sqlite3.Connection) -> int:
            _program(conn, program_id)
            return _delete_member(conn, program_id, member_id)

        changed = self._transaction(work, write=True)
        self._forget()
        log.info("program %d: deleted one member, %d records changed", program_id, changed)
        return changed

    # ------------------------------------------------------------------ settings

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

    # ------------------------------------------------------------------ runs

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

    # ------------------------------------------------------------------ decisions

    def set_decision(
        self,
        program_id: int,
        mentee_id: str,
        mentor_id: str,
        status: str,
        *,
        expected_version: int | None = None,
        by: str = "",
    ) -> Decision:
        """Record a coordinator's review of one pair.

        Parameters
        ----------
        program_id : int
        mentee_id, mentor_id : str
        status : {"pending", "approved", "rejected", "locked"}
        expected_version : int, optional
            The version the coordinator was looking at (0 for a pair never decided). When the
            stored one differs, someone else changed the pair meanwhile and nothing is written.
        by : str
            Who decided (shown to other coordinators; never logged).

        Returns
        -------
        Decision
            The stored decision, its version one higher than before.

        Raises
        ------
        DecisionConflictError
            When ``expected_version`` is stale; the message says what the pair is now.

        Examples
        --------
        >>> import tempfile
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> program = store.create_program("A")
        >>> first = store.set_decision(program.id, "e1", "m1", "approved", expected_version=0)
        >>> store.set_decision(program.id, "e1", "m1", "rejected", expected_version=0)
        Traceback (most recent call last):
        ...
        mentoring.store.DecisionConflictError: This pair was changed by another coordinator (now: approved). Reload to see their decision.
        """
        _check_id(program_id)
        change = _check_change((mentee_id, mentor_id, status, expected_version))
        _check_by(by)

        def work(conn: sqlite3.Connection) -> Decision:
            _program(conn, program_id)
            return _write_decision(conn, program_id, *change, by, _now())

        return self._transaction(work, write=True)

    def set_decisions(
        self,
        program_id: int,
        changes: Sequence[tuple[str, str, str] | tuple[str, str, str, int | None]],
        *,
        by: str = "",
    ) -> tuple[Decision, ...]:
        """Record several reviews at once, all or nothing ("approve all", "reassign").

        Parameters
        ----------
        program_id : int
        changes : sequence of tuples
            ``(mentee_id, mentor_id, status)`` or ``(mentee_id, mentor_id, status,
            expected_version)``, as for :meth:`set_decision`; a pair may appear once.
        by : str
            Who decided.

        Returns
        -------
        tuple of Decision
            In the order of ``changes``.

        Raises
        ------
        DecisionConflictError
            When any expected version is stale; then nothing is written.

        Examples
        --------
        >>> import tempfile
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> program = store.create_program("A")
        >>> done = store.set_decisions(program.id, [("e1", "m2", "locked"), ("e1", "m1", "rejected")])
        >>> [(d.mentor_id, d.status, d.version) for d in done]
        [('m2', 'locked', 1), ('m1', 'rejected', 1)]
        """
        _check_id(program_id)
        if isinstance(changes, str | bytes) or not isinstance(changes, Sequence):
            raise TypeError(f"expected changes as a list of tuples, got {type(changes).__name__}")
        checked = [_check_change(change) for change in changes]
        _check_by(by)
        pairs = [(c[0], c[1]) for c in checked]
        repeated = sorted({p for p in pairs if pairs.count(p) > 1})
        if repeated:
            raise ValueError(f"expected each pair once in changes, got {repeated[0]!r} repeated")

        def work(conn: sqlite3.Connection) -> tuple[Decision, ...]:
            _program(conn, program_id)
            now = _now()
            return tuple(_write_decision(conn, program_id, *c, by, now) for c in checked)

        return self._transaction(work, write=True)

    def get_decision(self, program_id: int, mentee_id: str, mentor_id: str) -> Decision:
        """The review of one pair; ``pending`` with version 0 when never decided.

        Parameters
        ----------
        program_id : int
        mentee_id, mentor_id : str

        Returns
        -------
        Decision

        Examples
        --------
        >>> import tempfile
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> store.get_decision(store.create_program("A").id, "e1", "m1").version
        0
        """
        _check_id(program_id)

        def work(conn: sqlite3.Connection) -> Decision:
            _program(conn, program_id)
            return _decision(conn, program_id, mentee_id, mentor_id)

        return self._transaction(work, write=False)

    def decisions(self, program_id: int) -> pd.DataFrame:
        """Every stored decision of the program, sorted by mentee then mentor id.

        Parameters
        ----------
        program_id : int

        Returns
        -------
        pandas.DataFrame
            Columns :data:`DECISION_COLUMNS`; ``version`` is ``int64``.

        Examples
        --------
        >>> import tempfile
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> program = store.create_program("A")
        >>> _ = store.set_decision(program.id, "e1", "m1", "locked", by="kim")
        >>> store.decisions(program.id)[["mentee_id", "status", "version", "by"]].values.tolist()
        [['e1', 'locked', 1, 'kim']]
        """
        _check_id(program_id)

        def work(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
            _program(conn, program_id)
            return _decision_rows(conn, program_id)

        return _decisions_frame(self._transaction(work, write=False))

    def kept_and_forbidden(
        self, program_id: int
    ) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
        """The pairs a re-solve must keep and must never propose, from the decisions.

        Approved and locked pairs are kept, rejected ones forbidden. When members were saved,
        pairs naming someone no longer among them are left out (they could not be honoured).

        Parameters
        ----------
        program_id : int

        Returns
        -------
        locked_pairs, forbidden_pairs : tuple of (mentee_id, mentor_id)
            Sorted; pass them as ``MatchConfig(locked_pairs=..., forbidden_pairs=...)``.

        Examples
        --------
        >>> import tempfile
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> program = store.create_program("A")
        >>> _ = store.set_decision(program.id, "e2", "m1", "rejected")
        >>> store.kept_and_forbidden(program.id)
        ((), (('e2', 'm1'),))
        """
        _check_id(program_id)

        def work(conn: sqlite3.Connection) -> tuple[list[tuple[Any, ...]], str | None]:
            _program(conn, program_id)
            row = conn.execute(
                "SELECT people FROM member_sets WHERE program_id = ?", (program_id,)
            ).fetchone()
            return _decision_rows(conn, program_id), None if row is None else row[0]

        rows, people_json = self._transaction(work, write=False)
        known = None if people_json is None else set(_member_ids(people_json))
        kept, forbidden = [], []
        for mentee_id, mentor_id, status, *_ in rows:
            if known is not None and not {mentee_id, mentor_id} <= known:
                continue
            if status in KEPT_STATUSES:
                kept.append((mentee_id, mentor_id))
            elif status == "rejected":
                forbidden.append((mentee_id, mentor_id))
        return tuple(sorted(kept)), tuple(sorted(forbidden))

    def review_table(self, program_id: int) -> pd.DataFrame:
        """The latest run's pairs with each pair's review: what the review page shows.

        Parameters
        ----------
        program_id : int

        Returns
        -------
        pandas.DataFrame
            The pairs' columns plus :data:`REVIEW_COLUMNS` (``pending``, version 0, ``""`` for a
            pair never decided); no rows before the first run.

        Examples
        --------
        >>> import tempfile
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> program = store.create_program("A")
        >>> pairs = pd.DataFrame({"mentee_id": ["e1", "e2"], "mentor_id": ["m1", "m2"]})
        >>> _ = store.save_run(program.id, pairs, pd.DataFrame({"member_id": []}), {},
        ...                    MatchConfig())
        >>> _ = store.set_decision(program.id, "e2", "m2", "approved")
        >>> store.review_table(program.id)[["mentee_id", "status", "version"]].values.tolist()
        [['e1', 'pending', 0], ['e2', 'approved', 1]]
        """
        _check_id(program_id)

        def work(conn: sqlite3.Connection) -> tuple[Run | None, list[tuple[Any, ...]]]:
            return _run(conn, program_id, None), _decision_rows(conn, program_id)

        run, rows = self._transaction(work, write=False)
        if run is None:
            return pd.DataFrame(
                {
                    c: pd.Series(dtype="int64" if c == "version" else object)
                    for c in ("mentee_id", "mentor_id", *REVIEW_COLUMNS)
                }
            )
        decided = {(r[0], r[1]): r[2:] for r in rows}
        reviews = [
            decided.get((mentee, mentor), ("pending", 0, "", ""))
            for mentee, mentor in zip(run.pairs["mentee_id"], run.pairs["mentor_id"], strict=True)
        ]
        table = run.pairs.copy()
        for position, column in enumerate(REVIEW_COLUMNS):
            values = [review[position] for review in reviews]
            table[column] = pd.Series(
                values, index=table.index, dtype="int64" if column == "version" else object
            )
        return table


# --------------------------------------------------------------------------- helpers


def _check_id(value: Any, name: str = "program_id") -> None:
    if not isinstance(value, int | np.integer) or isinstance(value, bool | np.bool_):
        raise TypeError(f"expected {name} as int, got {value!r}")


def _program_name(name: Any) -> str:
    if not isinstance(name, str):
        raise TypeError(f"expected the program name as str, got {name!r}")
    clean = " ".join(name.split())
    if not clean:
        raise StoreError("A program needs a name. Type one, for example 'Spring 2026 cohort'.")
    if len(clean) > 200:
        raise StoreError(
            f"That program name is {len(clean)} characters long; keep it under 200 characters."
        )
    return clean


def _require_unique_name(conn: sqlite3.Connection, name: str, program_id: int | None) -> None:
    row = conn.execute("SELECT id FROM programs WHERE name = ?", (name,)).fetchone()
    if row is not None and row[0] != program_id:
        raise StoreError(f"A program called {name!r} already exists. Choose another name.")


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


def _people_to_json(people: Any) -> str:
    _require_columns(people, "people", ("member_id",))
    return frame_to_json(people)


def _member_ids(people_json: str) -> list[str]:
    # Only the id column is needed; decoding it alone avoids building the whole table.
    for column in json.loads(people_json)["columns"]:
        if column["name"] == "member_id":
            return [str(v) for v in column["values"]]
    return []


def _decision(
    conn: sqlite3.Connection, program_id: int, mentee_id: str, mentor_id: str
) -> Decision:
    row = conn.execute(
        "SELECT status, version, updated_at, changed_by FROM decisions "
        "WHERE program_id = ? AND mentee_id = ? AND mentor_id = ?",
        (program_id, mentee_id, mentor_id),
    ).fetchone()
    if row is None:
        return Decision(mentee_id, mentor_id, "pending", 0, "", "")
    return Decision(mentee_id, mentor_id, *row)


def _check_change(change: Any) -> tuple[str, str, str, int | None]:
    if not isinstance(change, tuple | list) or len(change) not in (3, 4):
        raise TypeError(
            f"expected (mentee_id, mentor_id, status[, expected_version]), got {change!r}"
        )
    mentee_id, mentor_id, status, *rest = change
    expected_version = rest[0] if rest else None
    for name, value in (("mentee_id", mentee_id), ("mentor_id", mentor_id)):
        if not isinstance(value, str) or not value:
            raise TypeError(f"expected {name} as non-empty str, got {value!r}")
    if status not in STATUSES:
        raise ValueError(f"expected status as one of {', '.join(STATUSES)}, got {status!r}")
    if expected_version is not None and (
        not isinstance(expected_version, int) or isinstance(expected_version, bool)
    ):
        raise TypeError(f"expected expected_version as int or None, got {expected_version!r}")
    return mentee_id, mentor_id, status, expected_version


def _check_by(by: Any) -> None:
    if not isinstance(by, str):
        raise TypeError(f"expected by as str, got {by!r}")


def _write_decision(
    conn: sqlite3.Connection,
    program_id: int,
    mentee_id: str,
    mentor_id: str,
    status: str,
    expected_version: int | None,
    by: str,
    now: str,
) -> Decision:
    current = _decision(conn, program_id, mentee_id, mentor_id)
    if expected_version is not None and current.version != expected_version:
        who = current.by or "another coordinator"
        raise DecisionConflictError(
            f"This pair was changed by {who} (now: {current.status}). "
            "Reload to see their decision.",
            current,
        )
    stored = Decision(mentee_id, mentor_id, status, current.version + 1, now, by)
    conn.execute(
        "INSERT INTO decisions (program_id, mentee_id, mentor_id, status, version, "
        "updated_at, changed_by) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (program_id, mentee_id, mentor_id) DO UPDATE SET "
        "status = excluded.status, version = excluded.version, "
        "updated_at = excluded.updated_at, changed_by = excluded.changed_by",
        (program_id, mentee_id, mentor_id, status, stored.version, now, by),
    )
    return stored


def _decision_rows(conn: sqlite3.Connection, program_id: int) -> list[tuple[Any, ...]]:
    return conn.execute(
        "SELECT mentee_id, mentor_id, status, version, updated_at, changed_by FROM decisions "
        "WHERE program_id = ? ORDER BY mentee_id, mentor_id",
        (program_id,),
    ).fetchall()


def _decisions_frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(DECISION_COLUMNS), dtype=object)
    return frame.astype({"version": "int64"})


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


# --------------------------------------------------------------------------- forgetting


def _delete_member(conn: sqlite3.Connection, program_id: int, member_id: str) -> int:
    changed = 0
    # A bare number or a two-letter code is not personal on its own, and replacing it as a
    # word would mangle unrelated text ("rank 1"); ids derived from names or emails are.
    identifying_id = len(member_id) >= 3 and any(c.isalpha() for c in member_id)
    words = {member_id} if identifying_id else set()
    member_row = conn.execute(
        "SELECT people, issues FROM member_sets WHERE program_id = ?", (program_id,)
    ).fetchone()
    people = issues = None
    if member_row is not None:
        people = frame_from_json(member_row[0])
        issues = [Issue(**data) for data in json.loads(member_row[1])]
        words |= _identifying_text(people, "member_id", member_id, ("name", "email"))
    runs = conn.execute(
        "SELECT id, pairs, unmatched, config FROM runs WHERE program_id = ? ORDER BY id",
        (program_id,),
    ).fetchall()
    decoded_runs = []
    for run_id, pairs_json, unmatched_json, config_json in runs:
        pairs, unmatched = frame_from_json(pairs_json), frame_from_json(unmatched_json)
        words |= _identifying_text(pairs, "mentee_id", member_id, ("mentee_name", "mentee_email"))
        words |= _identifying_text(pairs, "mentor_id", member_id, ("mentor_name", "mentor_email"))
        words |= _identifying_text(unmatched, "member_id", member_id, ("name", "email"))
        decoded_runs.append((run_id, pairs, unmatched, config_json))
    scrub = _scrubber(words)

    if people is not None and issues is not None:
        kept_people = people.loc[people["member_id"] != member_id]
        kept_issues = [i for i in issues if i.member_id != member_id]
        new_people = _scrub_frame(kept_people, scrub, member_id)
        new_issues = [
            dataclasses.replace(i, message=scrub(i.message), hint=scrub(i.hint))
            for i in kept_issues
        ]
        removed = (len(people) - len(kept_people)) + (len(issues) - len(kept_issues))
        people_json, issues_json = (
            frame_to_json(new_people),
            _dumps([dataclasses.asdict(i) for i in new_issues]),
        )
        if removed or people_json != member_row[0] or new_issues != issues:
            conn.execute(
                "UPDATE member_sets SET people = ?, issues = ? WHERE program_id = ?",
                (people_json, issues_json, program_id),
            )
            changed += max(removed, 1)

    for run_id, pairs, unmatched, config_json in decoded_runs:
        kept_pairs = pairs.loc[
            (pairs["mentee_id"] != member_id) & (pairs["mentor_id"] != member_id)
        ]
        kept_unmatched = unmatched.loc[unmatched["member_id"] != member_id]
        new_pairs = _scrub_frame(kept_pairs, scrub, member_id)
        new_unmatched = _scrub_frame(kept_unmatched, scrub, member_id)
        new_config = _drop_pairs_with(config_json, member_id)
        removed = (len(pairs) - len(kept_pairs)) + (len(unmatched) - len(kept_unmatched))
        if (
            removed
            or not new_pairs.equals(pairs)
            or not new_unmatched.equals(unmatched)
            or new_config != config_json
        ):
            conn.execute(
                "UPDATE runs SET pairs = ?, unmatched = ?, config = ?, n_pairs = ?, "
                "n_unmatched = ? WHERE id = ?",
                (
                    frame_to_json(new_pairs),
                    frame_to_json(new_unmatched),
                    new_config,
                    len(new_pairs),
                    len(new_unmatched),
                    run_id,
                ),
            )
            changed += max(removed, 1)

    settings = conn.execute(
        "SELECT config FROM settings WHERE program_id = ?", (program_id,)
    ).fetchone()
    if settings is not None:
        new_config = _drop_pairs_with(settings[0], member_id)
        if new_config != settings[0]:
            conn.execute(
                "UPDATE settings SET config = ? WHERE program_id = ?", (new_config, program_id)
            )
            changed += 1

    cursor = conn.execute(
        "DELETE FROM decisions WHERE program_id = ? AND (mentee_id = ? OR mentor_id = ?)",
        (program_id, member_id, member_id),
    )
    return changed + cursor.rowcount


def _identifying_text(
    frame: pd.DataFrame, id_column: str, member_id: str, columns: Sequence[str]
) -> set[str]:
    if id_column not in frame.columns:
        return set()
    rows = frame.loc[frame[id_column] == member_id]
    found = set()
    for column in columns:
        if column in rows.columns:
            found |= {v for v in rows[column] if isinstance(v, str) and v.strip()}
    return found


def _scrubber(words: set[str]) -> Callable[[str], str]:
    # Longest first, so a full name is replaced before a shorter word inside it.
    ordered = sorted({w.strip() for w in words if w.strip()}, key=lambda w: (-len(w), w))
    if not ordered:
        return lambda text: text
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in ordered), re.IGNORECASE)
    return lambda text: pattern.sub(REMOVED, text) if text else text


def _scrub_frame(frame: pd.DataFrame, scrub: Callable[[str], str], member_id: str) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if column in _ID_LIST_COLUMNS and out[column].dtype == object:
            out[column] = _map_cells(
                out[column],
                lambda v: tuple(x for x in v if x != member_id) if isinstance(v, tuple) else v,
            )
        elif column in _FREE_TEXT_COLUMNS and out[column].dtype == object:
            out[column] = _map_cells(out[column], lambda v: _scrub_value(v, scrub))
        elif column in _FREE_TEXT_COLUMNS and isinstance(out[column].dtype, pd.StringDtype):
            dtype = out[column].dtype
            out[column] = out[column].map(lambda v: v if pd.isna(v) else scrub(v)).astype(dtype)
    return out


def _scrub_value(value: Any, scrub: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, tuple):
        return tuple(_scrub_value(v, scrub) for v in value)
    if isinstance(value, list):
        return [_scrub_value(v, scrub) for v in value]
    return value


def _map_cells(series: pd.Series, function: Callable[[Any], Any]) -> pd.Series:
    array = np.empty(len(series), dtype=object)
    for position, value in enumerate(series.to_numpy()):
        array[position] = function(value)
    return pd.Series(array, index=series.index, dtype=object)


def _drop_pairs_with(config_json: str, member_id: str) -> str:
    data = json.loads(config_json)
    for key in ("locked_pairs", "forbidden_pairs"):
        if key in data:
            data[key] = [p for p in data[key] if member_id not in p]
    new = _dumps(data)
    # Unchanged settings keep their exact text, so nothing is rewritten needlessly.
    return config_json if json.loads(new) == json.loads(config_json) else new
