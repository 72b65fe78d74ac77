"""What the store hands back (:class:`Program`, :class:`Decision`, :class:`Run`) and the errors it
raises, each with a sentence saying what to do.

>>> STATUSES
('pending', 'approved', 'rejected', 'locked')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from mentoring.model.config import MatchConfig
from mentoring.model.errors import MentoringError

__all__ = [
    "LOG_COLUMNS",
    "STATUSES",
    "Decision",
    "DecisionConflictError",
    "Program",
    "ProgramNotFoundError",
    "Run",
    "StoreBusyError",
    "StoreError",
]

LOG_COLUMNS: tuple[str, ...] = (
    "at",
    "by",
    "action",
    "mentee_id",
    "mentor_id",
    "before",
    "after",
    "run_id",
    "detail",
)
"""Columns of :meth:`Store.decision_log`: when, who, what, which pair, the change, which run."""

Status = Literal["pending", "approved", "rejected", "locked"]


STATUSES: tuple[str, ...] = ("pending", "approved", "rejected", "locked")
"""Review states of a pair; ``approved`` and ``locked`` are kept on re-solve, ``rejected`` is
never proposed again, ``pending`` (the default) carries no constraint."""


KEPT_STATUSES: frozenset[str] = frozenset({"approved", "locked"})


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
    """One saved match: its pairs, the members left unmatched, headline figures and settings.

    ``config`` is what the solver used (review decisions included as locked and forbidden
    pairs); ``settings`` the program's own settings at the time, ``people`` the members the
    run was made from and ``members_digest`` their fingerprint, so that a page can say when
    the members or the settings changed since. ``extras`` holds the rest of the finished
    result (alternatives, goal report, audit), so reopening a run never matches again.
    ``note`` says what changed in the run itself afterwards (a member removed). Runs saved
    before these existed have ``people`` and ``settings`` ``None`` and empty ``extras``.
    """

    id: int
    created_at: str
    pairs: pd.DataFrame
    unmatched: pd.DataFrame
    stats: dict[str, Any]
    config: MatchConfig
    program_id: int = 0
    people: pd.DataFrame | None = None
    settings: MatchConfig | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    members_digest: str = ""
    note: str = ""
    by: str = ""
