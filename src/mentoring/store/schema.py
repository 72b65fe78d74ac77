"""The store's tables, their migrations, and where the database file lives by default.

>>> SCHEMA_VERSION >= 1
True
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

from mentoring.store.records import StoreError

__all__ = ["APPLICATION_ID", "SCHEMA_VERSION", "check_layout", "default_db_path", "migrate"]

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

    Raises
    ------
    StoreError
        When the folder cannot be made (a file stands where a folder should be, no permission).

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
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"Could not make the folder {path.parent} for the mentoring database "
            f"({exc.strerror or exc}). Set MENTORING_DB to a file in a folder you may write to."
        ) from exc
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


APPLICATION_ID = 0x4D4E5447
"""``PRAGMA application_id`` of a mentoring database ("MNTG"): another program's SQLite file
carries its own id (or none), so it is recognised and never written into."""


def _layout(version: int) -> dict[str, set[str]]:
    """The tables and columns a mentoring file has at ``version``, from the migrations."""
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        for step in _MIGRATIONS[:version]:
            for statement in step:
                conn.execute(statement)
        return _tables(conn)


def _tables(conn: sqlite3.Connection) -> dict[str, set[str]]:
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        name: {row[1] for row in conn.execute("SELECT * FROM pragma_table_info(?)", (name,))}
        for name in names
    }


def check_layout(conn: sqlite3.Connection, where: str = "This database") -> tuple[int, bool]:
    """Whether the file is a mentoring database this version can open, before anything is
    written to it.

    A file stamped with :data:`APPLICATION_ID` is trusted. A file without a stamp (written
    before the stamp existed) must hold exactly the tables of its ``user_version``; an empty
    file is a new one. Anything else is another program's file, or a damaged one, and is refused.

    Parameters
    ----------
    conn : sqlite3.Connection
    where : str
        How messages name the file.

    Returns
    -------
    version : int
        ``PRAGMA user_version``.
    stamped : bool
        Whether the file already carries :data:`APPLICATION_ID`.

    Raises
    ------
    StoreError
        For another program's file, a file written by a newer version of mentoring, or a
        layout that matches no version of mentoring; the message says what to do.

    Examples
    --------
    >>> conn = sqlite3.connect(":memory:", isolation_level=None)
    >>> check_layout(conn)
    (0, False)
    >>> _ = conn.execute("CREATE TABLE moz_places (id INTEGER, url TEXT)")
    >>> check_layout(conn, "places.sqlite")
    Traceback (most recent call last):
    ...
    mentoring.store.records.StoreError: places.sqlite is an SQLite database of another program (it holds the table moz_places), not a mentoring database, so mentoring will not write into it. Set MENTORING_DB to another file, or move this one aside.
    """
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    application = int(conn.execute("PRAGMA application_id").fetchone()[0])
    if application == APPLICATION_ID:
        if version > SCHEMA_VERSION:
            raise _newer(where, version)
        return version, True
    tables = _tables(conn)
    if application != 0:
        raise _foreign(where, tables, f"application id {application:#x}")
    if version > SCHEMA_VERSION:
        raise _newer(where, version)
    if not tables and version == 0:
        return 0, False
    if "programs" not in tables or "member_sets" not in tables:
        raise _foreign(where, tables, "")
    expected = _layout(version)
    differences = sorted(f"no {table}" for table in set(expected) - set(tables))
    differences += sorted(f"an unknown table {table}" for table in set(tables) - set(expected))
    for table in sorted(set(expected) & set(tables)):
        differences += [f"no {table}.{c}" for c in sorted(expected[table] - tables[table])]
    if differences:
        raise StoreError(
            f"{where} looks like a mentoring database, but its layout matches no version of "
            f"mentoring (schema {version}: {', '.join(differences[:4])}), so it is left as it "
            "is. Move the file aside and start again, or set MENTORING_DB to another file."
        )
    return version, False


def _newer(where: str, version: int) -> StoreError:
    return StoreError(
        f"{where} was written by a newer version of mentoring (schema {version}; this version "
        f"knows up to {SCHEMA_VERSION}). Update mentoring to open it."
    )


def _foreign(where: str, tables: dict[str, set[str]], stamp: str) -> StoreError:
    held = ", ".join(sorted(tables)[:5]) or "no tables"
    what = "the table" if len(tables) == 1 else "the tables" if tables else ""
    marks = f" and {stamp}" if stamp else ""
    return StoreError(
        f"{where} is an SQLite database of another program (it holds {what} {held}{marks}), "
        "not a mentoring database, so mentoring will not write into it. Set MENTORING_DB to "
        "another file, or move this one aside."
    )


def migrate(conn: sqlite3.Connection, where: str = "This database") -> int:
    """Bring a database to :data:`SCHEMA_VERSION`, one recorded step at a time.

    Runs inside ``BEGIN IMMEDIATE`` so that two processes opening a new file at once cannot
    both create the tables. Safe to call on an up-to-date file (it does nothing). The file is
    checked first (:func:`check_layout`): another program's file is never written into.

    Parameters
    ----------
    conn : sqlite3.Connection
        Opened with ``isolation_level=None`` (transactions are managed here).
    where : str
        How messages name the file.

    Returns
    -------
    int
        The schema version the file had before.

    Raises
    ------
    StoreError
        When the file was written by a newer version of mentoring, belongs to another program
        or has a layout no version of mentoring wrote.

    Examples
    --------
    >>> conn = sqlite3.connect(":memory:", isolation_level=None)
    >>> migrate(conn), conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    (0, True)
    >>> migrate(conn) == SCHEMA_VERSION
    True
    >>> conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    True
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        before, stamped = check_layout(conn, where)
        for version in range(before, SCHEMA_VERSION):
            for statement in _MIGRATIONS[version]:
                conn.execute(statement)
            # user_version lives in the file header, so it commits or rolls back with the step.
            conn.execute(f"PRAGMA user_version = {version + 1}")
        if not stamped:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("COMMIT")
    except BaseException:
        conn.rollback()
        raise
    if before < SCHEMA_VERSION:
        log.info("store schema migrated from version %d to %d", before, SCHEMA_VERSION)
    return before
