"""Coordinators' reviews of proposed pairs: record them, read them, and turn them into what a
re-solve must keep and must never propose.

>>> REVIEW_COLUMNS
('status', 'version', 'updated_at', 'by')
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pandas as pd

from mentoring.store.base import _check_id, _Database, _now, _program
from mentoring.store.log import _log, _log_frame
from mentoring.store.records import (
    KEPT_STATUSES,
    STATUSES,
    Decision,
    DecisionConflictError,
    Run,
    StoreError,
)
from mentoring.store.runs import _run

__all__ = ["DECISION_COLUMNS", "REVIEW_COLUMNS", "DecisionsChangedError", "DecisionsMixin"]

Constraints = tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]
"""``(kept pairs, forbidden pairs)``, each sorted (mentee_id, mentor_id) tuples."""

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


class DecisionsChangedError(StoreError):
    """Decisions changed while a re-solve was running; its run was not saved."""


class DecisionsMixin(_Database):
    """Recording and reading reviews, and what they mean for the next solve."""

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
        >>> from pathlib import Path
        >>> from mentoring.store.db import Store
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> program = store.create_program("A")
        >>> first = store.set_decision(program.id, "e1", "m1", "approved", expected_version=0)
        >>> store.set_decision(program.id, "e1", "m1", "rejected", expected_version=0)
        Traceback (most recent call last):
        ...
        mentoring.store.records.DecisionConflictError: This pair was changed by another coordinator (now: approved). Reload to see their decision.
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
        note: str = "",
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
        note : str
            What the action was ("approved every pair scoring 0.70 or more"), for the log.

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
        >>> from pathlib import Path
        >>> from mentoring.store.db import Store
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
            return tuple(_write_decision(conn, program_id, *c, by, now, note) for c in checked)

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
        >>> from pathlib import Path
        >>> from mentoring.store.db import Store
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
        >>> from pathlib import Path
        >>> from mentoring.store.db import Store
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

    def decision_log(self, program_id: int, limit: int | None = None) -> pd.DataFrame:
        """What was done in the program, newest first: decisions, runs, members loaded.

        Parameters
        ----------
        program_id : int
        limit : int, optional
            Only the newest ``limit`` entries.

        Returns
        -------
        pandas.DataFrame
            Columns :data:`~mentoring.store.records.LOG_COLUMNS`; ``run_id`` is ``Int64``.

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from mentoring.store.db import Store
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> program = store.create_program("A")
        >>> _ = store.set_decision(program.id, "e1", "m1", "approved", by="kim")
        >>> _ = store.set_decision(program.id, "e1", "m1", "locked", by="kim")
        >>> store.decision_log(program.id)[["by", "before", "after"]].values.tolist()
        [['kim', 'approved', 'locked'], ['kim', 'pending', 'approved']]
        """
        _check_id(program_id)
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
            raise TypeError(f"expected limit as int or None, got {limit!r}")

        def work(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
            _program(conn, program_id)
            return conn.execute(
                "SELECT at, by, action, mentee_id, mentor_id, before, after, run_id, detail "
                "FROM decision_log WHERE program_id = ? ORDER BY id DESC LIMIT ?",
                (program_id, -1 if limit is None else limit),
            ).fetchall()

        return _log_frame(self._transaction(work, write=False))

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
        >>> from pathlib import Path
        >>> from mentoring.store.db import Store
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> program = store.create_program("A")
        >>> _ = store.set_decision(program.id, "e2", "m1", "rejected")
        >>> store.kept_and_forbidden(program.id)
        ((), (('e2', 'm1'),))
        """
        _check_id(program_id)

        def work(conn: sqlite3.Connection) -> Constraints:
            _program(conn, program_id)
            return _kept_and_forbidden(conn, program_id)

        return self._transaction(work, write=False)

    @contextmanager
    def decisions_unchanged(
        self,
        program_id: int,
        kept: Sequence[tuple[str, str]],
        forbidden: Sequence[tuple[str, str]],
    ) -> Iterator[None]:
        """Refuse every write inside the block if the kept or forbidden pairs are no longer
        ``kept`` and ``forbidden``: how a re-solve saves its run only if no coordinator approved,
        locked or rejected a pair while it was solving.

        The decisions are re-read inside each write's own transaction, under the write lock, so
        a decision can never slip in between the check and the write.

        Parameters
        ----------
        program_id : int
        kept, forbidden : sequence of (mentee_id, mentor_id)
            What :meth:`kept_and_forbidden` returned when the solve began.

        Yields
        ------
        None

        Raises
        ------
        DecisionsChangedError
            From a write inside the block when the decisions changed; nothing is written.

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from mentoring.store.db import Store
        >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
        >>> program = store.create_program("A")
        >>> kept, forbidden = store.kept_and_forbidden(program.id)
        >>> _ = store.set_decision(program.id, "e1", "m1", "rejected")
        >>> with store.decisions_unchanged(program.id, kept, forbidden):
        ...     store.rename_program(program.id, "B")
        Traceback (most recent call last):
        ...
        mentoring.store.decisions.DecisionsChangedError: A coordinator approved, locked or rejected a pair while this was being worked out, so it was not saved.
        >>> store.get_program(program.id).name
        'A'
        """
        _check_id(program_id)
        expected = (tuple(sorted(map(tuple, kept))), tuple(sorted(map(tuple, forbidden))))

        def check(conn: sqlite3.Connection) -> None:
            if _kept_and_forbidden(conn, program_id) != expected:
                raise DecisionsChangedError(
                    "A coordinator approved, locked or rejected a pair while this was being "
                    "worked out, so it was not saved."
                )

        with self._checked_writes(check):
            yield

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
        >>> from pathlib import Path
        >>> from mentoring.model.config import MatchConfig
        >>> from mentoring.store.db import Store
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


def _kept_and_forbidden(conn: sqlite3.Connection, program_id: int) -> Constraints:
    row = conn.execute(
        "SELECT people FROM member_sets WHERE program_id = ?", (program_id,)
    ).fetchone()
    known = None if row is None else set(_member_ids(row[0]))
    kept, forbidden = [], []
    for mentee_id, mentor_id, status, *_ in _decision_rows(conn, program_id):
        if known is not None and not {mentee_id, mentor_id} <= known:
            continue
        if status in KEPT_STATUSES:
            kept.append((mentee_id, mentor_id))
        elif status == "rejected":
            forbidden.append((mentee_id, mentor_id))
    return tuple(sorted(kept)), tuple(sorted(forbidden))


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
    detail: str = "",
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
    _log(
        conn,
        program_id,
        status,
        at=now,
        by=by,
        mentee_id=mentee_id,
        mentor_id=mentor_id,
        before=current.status,
        after=status,
        detail=detail,
    )
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
