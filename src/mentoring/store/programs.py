"""Programs (one cohort or round each): create, list, rename, and delete with all they hold.

>>> import tempfile
>>> from pathlib import Path
>>> from mentoring.store.db import Store
>>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
>>> store.ensure_default_program().name == DEFAULT_PROGRAM_NAME
True
"""

from __future__ import annotations

import dataclasses
import sqlite3
from typing import Any

from mentoring.store.base import _check_id, _Database, _now, _program
from mentoring.store.records import Program, StoreError
from mentoring.store.schema import log

__all__ = ["DEFAULT_PROGRAM_NAME", "ProgramsMixin"]

DEFAULT_PROGRAM_NAME = "My first program"
"""The program :meth:`~ProgramsMixin.ensure_default_program` creates on a first visit."""


class ProgramsMixin(_Database):
    """Creating, listing, renaming and purging programs."""

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
        >>> from pathlib import Path
        >>> from mentoring.store.db import Store
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
        >>> from pathlib import Path
        >>> from mentoring.store.db import Store
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
        >>> from pathlib import Path
        >>> from mentoring.store.db import Store
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
        >>> from pathlib import Path
        >>> from mentoring.store.db import Store
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
        >>> from pathlib import Path
        >>> from mentoring.store.db import Store
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
        >>> from pathlib import Path
        >>> from mentoring.store.db import Store
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
