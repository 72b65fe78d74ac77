"""A program's members: saving an upload, reopening it, the upload log, forgetting a member.

>>> UPLOAD_COLUMNS
('upload_id', 'created_at', 'sources', 'n_members', 'n_issues')
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from mentoring.model.errors import Issue
from mentoring.model.people import empty_people
from mentoring.store.base import _check_id, _Database, _now, _program, _require_columns
from mentoring.store.codec import _dumps, frame_from_json, frame_to_json
from mentoring.store.forget import _delete_member
from mentoring.store.log import _digest, _log
from mentoring.store.schema import log

__all__ = ["UPLOAD_COLUMNS", "MembersMixin"]

UPLOAD_COLUMNS: tuple[str, ...] = ("upload_id", "created_at", "sources", "n_members", "n_issues")
"""Columns of :meth:`Store.list_uploads`, newest upload first."""


class MembersMixin(_Database):
    """Saving and reopening a program's members, and forgetting one of them."""

    def save_members(
        self,
        program_id: int,
        people: pd.DataFrame,
        issues: Sequence[Issue] = (),
        mappings: Mapping[str, Any] | None = None,
        sources: Sequence[str] = (),
        *,
        by: str = "",
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
        by : str
            Who loaded them, for the decision log.

        Returns
        -------
        None

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from mentoring.store.db import Store
        >>> from mentoring.model.people import empty_people
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
            _log(
                conn,
                program_id,
                "members loaded",
                at=now,
                by=by,
                detail=f"{len(people)} members from {len(sources)} file(s)",
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
        >>> from pathlib import Path
        >>> from mentoring.store.db import Store
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> people, issues, mappings = store.load_members(store.create_program("A").id)
        >>> len(people), "member_id" in people.columns, issues, mappings
        (0, True, (), {})
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

    def members_digest(self, program_id: int) -> str:
        """A fingerprint of the program's saved members; ``""`` before the first upload.

        A run saved with ``people`` carries the fingerprint of its members: when the two differ,
        the members changed since that run.

        Parameters
        ----------
        program_id : int

        Returns
        -------
        str

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from mentoring.store.db import Store
        >>> from mentoring.model.people import empty_people
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> program = store.create_program("A")
        >>> store.members_digest(program.id)
        ''
        >>> store.save_members(program.id, empty_people())
        >>> len(store.members_digest(program.id))
        32
        """
        _check_id(program_id)

        def work(conn: sqlite3.Connection) -> str | None:
            _program(conn, program_id)
            row = conn.execute(
                "SELECT people FROM member_sets WHERE program_id = ?", (program_id,)
            ).fetchone()
            return None if row is None else row[0]

        text = self._transaction(work, write=False)
        return "" if text is None else _digest(text)

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
        >>> from pathlib import Path
        >>> from mentoring.store.db import Store
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

    def delete_member(self, program_id: int, member_id: str, *, by: str = "") -> int:
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
        by : str
            Who removed them (the decision log records that a member was removed, never who).

        Returns
        -------
        int
            How many records were removed or rewritten (0: the member was not found).

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from mentoring.store.db import Store
        >>> from mentoring.model.people import empty_people
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
            return _delete_member(conn, program_id, member_id, now=_now(), by=by)

        changed = self._transaction(work, write=True)
        self._forget()
        log.info("program %d: deleted one member, %d records changed", program_id, changed)
        return changed


def _people_to_json(people: Any) -> str:
    _require_columns(people, "people", ("member_id",))
    return frame_to_json(people)
