"""The store's tables, their migrations, and where the database file lives by default.

>>> SCHEMA_VERSION >= 1
True
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
from pathlib import Path

from mentoring.store.records import StoreError

__all__ = ["SCHEMA_VERSION", "default_db_path", "migrate"]

log = logging.getLogger(__name__)


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
    # 2: a run remembers what it was made from (members, settings) and its finished result,
    # so pages can tell when it is out of date and reopen it without matching again; every
    # review action is logged.
    (
        "ALTER TABLE runs ADD COLUMN members TEXT",
        "ALTER TABLE runs ADD COLUMN members_digest TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE runs ADD COLUMN settings TEXT",
        "ALTER TABLE runs ADD COLUMN extras TEXT",
        "ALTER TABLE runs ADD COLUMN note TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE runs ADD COLUMN made_by TEXT NOT NULL DEFAULT ''",
        """CREATE TABLE decision_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            by TEXT NOT NULL DEFAULT '',
            action TEXT NOT NULL,
            mentee_id TEXT NOT NULL DEFAULT '',
            mentor_id TEXT NOT NULL DEFAULT '',
            before TEXT NOT NULL DEFAULT '',
            after TEXT NOT NULL DEFAULT '',
            run_id INTEGER,
            detail TEXT NOT NULL DEFAULT '')""",
        "CREATE INDEX decision_log_by_program ON decision_log(program_id, id)",
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
