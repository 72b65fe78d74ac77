"""The decision log: every review action, run and member change of a program, with when and by
whom, written in the same transaction as the change it records.

>>> import sqlite3
>>> from mentoring.store.schema import migrate
>>> conn = sqlite3.connect(":memory:", isolation_level=None)
>>> _ = migrate(conn)
>>> _ = conn.execute("INSERT INTO programs (name, created_at) VALUES ('A', 'now')")
>>> _log(conn, 1, "approved", at="now", mentee_id="e1", mentor_id="m1", before="pending",
...      after="approved")
>>> conn.execute("SELECT action, before, after FROM decision_log").fetchall()
[('approved', 'pending', 'approved')]
"""

from __future__ import annotations

import hashlib
import sqlite3
from typing import Any

import pandas as pd

from mentoring.store.records import LOG_COLUMNS

__all__: list[str] = []


def _log(
    conn: sqlite3.Connection,
    program_id: int,
    action: str,
    *,
    at: str,
    by: str = "",
    mentee_id: str = "",
    mentor_id: str = "",
    before: str = "",
    after: str = "",
    run_id: int | None = None,
    detail: str = "",
) -> None:
    conn.execute(
        "INSERT INTO decision_log (program_id, at, by, action, mentee_id, mentor_id, before, "
        "after, run_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (program_id, at, by, action, mentee_id, mentor_id, before, after, run_id, detail),
    )


def _log_frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(LOG_COLUMNS), dtype=object)
    frame["run_id"] = pd.array(
        [None if v is None else int(v) for v in frame["run_id"]], dtype="Int64"
    )
    return frame


def _digest(text: str) -> str:
    """A fingerprint of a stored table's JSON: equal tables give equal fingerprints."""
    return hashlib.sha256(text.encode("ascii", "backslashreplace")).hexdigest()[:32]
