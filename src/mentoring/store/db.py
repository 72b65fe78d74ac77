"""The durable store: programs, their members, settings, match runs and review decisions.

One SQLite file holds everything. Each call opens a short-lived connection, so several
coordinators (threads, processes, app sessions) can share one file safely:

* WAL journal with ``synchronous=NORMAL``: readers never block the writer, and a write that
  returned has survived a crash of the process (a power cut may lose the last moments).
* Every read-modify-write runs in ``BEGIN IMMEDIATE``, so two writers never both read a stale
  value; "database is locked" is retried with backoff and only surfaces, as
  :class:`~mentoring.store.records.StoreBusyError`, when another writer holds the file for far
  too long.
* ``secure_delete`` plus a WAL checkpoint after removals, so a deleted member's name and email
  are not left behind in the file (the right to be forgotten).
* Tables are stored as JSON (:func:`~mentoring.store.codec.frame_to_json`), never pickle, so
  opening a file someone sent you cannot run code.

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
what was done, by whom                 :meth:`Store.decision_log`
earlier runs; out of date?             :meth:`Store.run_history`, :meth:`Store.members_digest`
=====================================  ===========================================

Each concept lives in its own module, as a mixin on the shared plumbing of
:mod:`~mentoring.store.base`: :mod:`~mentoring.store.programs`, :mod:`~mentoring.store.members`,
:mod:`~mentoring.store.runs` (settings and runs) and :mod:`~mentoring.store.decisions`.

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

from dataclasses import dataclass

from mentoring.store.decisions import DECISION_COLUMNS, REVIEW_COLUMNS, DecisionsMixin
from mentoring.store.members import UPLOAD_COLUMNS, MembersMixin
from mentoring.store.programs import DEFAULT_PROGRAM_NAME, ProgramsMixin
from mentoring.store.runs import HISTORY_COLUMNS, RUN_COLUMNS, RunsMixin

__all__ = [
    "DECISION_COLUMNS",
    "DEFAULT_PROGRAM_NAME",
    "HISTORY_COLUMNS",
    "REVIEW_COLUMNS",
    "RUN_COLUMNS",
    "UPLOAD_COLUMNS",
    "Store",
]


@dataclass(frozen=True)
class Store(ProgramsMixin, MembersMixin, RunsMixin, DecisionsMixin):
    """A mentoring database file, used through one short transaction per call.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The SQLite file (created on first use, parent folders too). Default:
        :func:`~mentoring.store.schema.default_db_path`.
    busy_timeout : float
        Seconds one attempt waits for another writer before backing off.
    attempts : int
        How many times a call is tried before :class:`~mentoring.store.records.StoreBusyError`.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
    >>> store.create_program("Spring 2026").name
    'Spring 2026'
    """
