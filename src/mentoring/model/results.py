"""What matching returns: :class:`MatchResult` with its pairs, unmatched members, alternatives,
:class:`MatchStats` and the :class:`AuditReport` of an independent check, and their column names.

>>> PAIR_COLUMNS[:2]
('mentee_id', 'mentee_name')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from mentoring.model.config import COMPONENTS, MatchConfig
from mentoring.model.errors import Issue

__all__ = [
    "ALTERNATIVE_COLUMNS",
    "Deferred",
    "PAIR_COLUMNS",
    "UNMATCHED_COLUMNS",
    "AuditReport",
    "MatchResult",
    "MatchStats",
]

PAIR_COLUMNS: tuple[str, ...] = (
    "mentee_id",
    "mentee_name",
    "mentee_email",
    "mentor_id",
    "mentor_name",
    "mentor_email",
    "score",
    *COMPONENTS,
    "reasons",
    "locked",
    "track",
)
"""Columns of ``MatchResult.pairs``, one row per matched pair, sorted by mentee name then id
(a mentee with several mentors has several rows); ``track`` is the kind of mentoring the pair
counts under (``""`` without tracks)."""


UNMATCHED_COLUMNS: tuple[str, ...] = ("member_id", "name", "email", "role", "reason")
"""Columns of ``MatchResult.unmatched``."""


ALTERNATIVE_COLUMNS: tuple[str, ...] = (
    "mentee_id",
    "rank",
    "mentor_id",
    "mentor_name",
    "score",
    *COMPONENTS,
    "reasons",
)
"""Columns of ``MatchResult.alternatives``: up to ``n_alternatives`` feasible mentors per mentee
other than the one assigned, best first."""


@dataclass(frozen=True)
class AuditReport:
    """What an independent check of an assignment found; ``ok`` when nothing is wrong.

    Made by :func:`mentoring.checks.audit.audit_assignment` (matrix level) and
    :func:`mentoring.checks.audit.audit_result` (named pairs, every rule).

    Attributes
    ----------
    ok : bool
        True when the check found no problem.
    problems : tuple of str
        One sentence per problem found, in the order the checks ran; empty when ``ok``.
    checked : tuple of str
        The names of the checks that were run, in order (for example ``"mentor capacity"``);
        a check the configuration switched off is not listed.

    Examples
    --------
    >>> report = AuditReport(ok=False, problems=("column 0 is over capacity",))
    >>> report.raise_if_failed()
    Traceback (most recent call last):
    ...
    AssertionError: audit failed: column 0 is over capacity
    >>> AuditReport(ok=True).raise_if_failed()
    """

    ok: bool
    problems: tuple[str, ...] = ()
    checked: tuple[str, ...] = ()

    def raise_if_failed(self) -> None:
        """Raise ``AssertionError`` naming every problem unless ``ok``."""
        if not self.ok:
            raise AssertionError("audit failed: " + "; ".join(self.problems))


@dataclass(frozen=True)
class MatchStats:
    """Headline figures of one run.

    Attributes
    ----------
    n_mentees : int
        Members who could be matched as mentees (role mentee or both).
    n_mentors : int
        Members who could be matched as mentors (role mentor or both).
    n_matched : int
        Mentees in a pair, locked pairs included.
    n_priority : int
        Mentees flagged as priority.
    n_priority_matched : int
        Priority mentees in a pair.
    total_score : float
        Sum of the scores of all pairs.
    mean_score : float
        Mean score of the pairs (0.0 when there are none).
    worst_score : float
        Lowest score of a pair (0.0 when there are none).
    mentor_places : int
        Sum of the mentors' capacities.
    mentors_at_capacity : int
        Mentors with at least one place whose places are all taken.
    n_feasible_pairs : int
        Mentee-mentor pairs that every rule allows (a finite score).
    seconds : float
        Wall-clock time of the run.
    certified : bool
        True when the answer is proven optimal (for a goal program: solved with no gap left).
    bound : float
        From the optimality proof: no assignment matching as many mentees (and priority
        mentees), or under the ``quality`` objective no assignment at all, has a higher total
        score. Equals ``total_score`` (up to rounding) when ``certified``.
    n_pairs : int or None
        Pairs made (more than ``n_matched`` when mentees take several mentors); None when not
        recorded (results made before mentees could have several mentors).
    mentee_places : int or None
        Sum of the mentees' capacities (mentors wanted); None when not recorded.
    """

    n_mentees: int
    n_mentors: int
    n_matched: int
    n_priority: int
    n_priority_matched: int
    total_score: float
    mean_score: float
    worst_score: float
    mentor_places: int
    mentors_at_capacity: int
    n_feasible_pairs: int
    seconds: float
    certified: bool
    bound: float
    n_pairs: int | None = None
    mentee_places: int | None = None


class Deferred:
    """A value made by ``make()`` the first time it is read, for a field few readers need.

    Examples
    --------
    >>> stats = MatchStats(1, 1, 1, 0, 0, 0.5, 0.5, 0.5, 1, 1, 1, 0.1, True, 0.5)
    >>> made = []
    >>> result = MatchResult(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), stats, MatchConfig(),
    ...                      AuditReport(ok=True), graph=Deferred(lambda: made.append(1) or "g"))
    >>> len(made)
    0
    >>> result.graph, result.graph, len(made)
    ('g', 'g', 1)
    """

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


class _MadeWhenRead:
    """A dataclass field that may be given a :class:`Deferred`: it is made on the first read and
    kept. Writing goes through the dataclass's ``__init__`` only (the class is frozen)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_{name}_value"

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return None
        value = instance.__dict__[self.slot]
        if isinstance(value, Deferred):
            value = value.make()
            instance.__dict__[self.slot] = value
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.slot] = value


@dataclass(frozen=True)
class MatchResult:
    """The outcome of :func:`mentoring.match`.

    Attributes
    ----------
    pairs : pandas.DataFrame
        One row per matched pair, with :data:`PAIR_COLUMNS`, sorted by mentee name then id.
    unmatched : pandas.DataFrame
        Every member left without a partner, mentors with no mentee included, each with a
        reason; :data:`UNMATCHED_COLUMNS`.
    alternatives : pandas.DataFrame
        Up to ``config.n_alternatives`` other feasible mentors per mentee, best first;
        :data:`ALTERNATIVE_COLUMNS`.
    stats : MatchStats
        Headline figures of the run.
    config : mentoring.model.config.MatchConfig
        The configuration the match was made with.
    audit : AuditReport
        The independent re-check of ``pairs`` against the people table and ``config``.
    graph : networkx.Graph or None
        The candidate graph (feasible pairs, score components on the edges) when the cohort is
        small enough to draw, else ``None``. Built on first read: the app and the exports never
        need it, and at 10,000 members it is a tenth of a match.
    goal_report : pandas.DataFrame
        One row per diversity goal (goal, met, target, achieved, explanation); empty without
        goals.
    issues : tuple of mentoring.model.errors.Issue
        Problems found while matching, such as a locked pair that could not be kept.
    goal_price : float or None
        What the goals cost in total score against the best assignment without them; ``None``
        without goals.
    goal_explanation : str
        Which goal could not be met and why, in words; empty when every goal was met.
    """

    pairs: pd.DataFrame
    unmatched: pd.DataFrame
    alternatives: pd.DataFrame
    stats: MatchStats
    config: MatchConfig
    audit: AuditReport
    graph: Any = _MadeWhenRead()
    goal_report: pd.DataFrame = field(default_factory=pd.DataFrame)
    issues: tuple[Issue, ...] = ()
    goal_price: float | None = None
    goal_explanation: str = ""
