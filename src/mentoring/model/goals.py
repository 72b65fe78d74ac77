"""Cohort-level diversity goals as plain, frozen specifications (what to promise, not how).

The solver that meets them is :mod:`mentoring.engine.goals`; configuration stores them as
``[[goals]]`` tables, read back by :func:`goal_from_dict`.

>>> goal_from_dict({"kind": "identity_share", "min_fraction": 0.6}).describe()
'At least 60% of the mentees who asked for a mentor sharing an identity get one.'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from mentoring.model.errors import ConfigError
from mentoring.model.people import PEOPLE_COLUMNS

__all__ = [
    "GOAL_KINDS",
    "GroupCoverage",
    "GroupScoreParity",
    "IdentityShare",
    "PriorityCovered",
    "goal_from_dict",
]


def _fraction(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ConfigError(f"{name} must be a fraction between 0 and 1, got {value!r}")
    return float(value)


def _field(value: Any) -> str:
    if value not in PEOPLE_COLUMNS:
        raise ConfigError(f"field must be a column of the people table, got {value!r}")
    return str(value)


def _members(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"min_members must be a whole number >= 1, got {value!r}")
    return int(value)


def _label(name: str) -> str:
    return name.replace("_", " ")


@dataclass(frozen=True)
class PriorityCovered:
    """Every priority mentee matched, if at all possible (as many as any assignment can).

    >>> PriorityCovered().to_dict()
    {'kind': 'priority_covered'}
    """

    def describe(self) -> str:
        return "Every priority mentee is matched, if at all possible."

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "priority_covered"}


@dataclass(frozen=True)
class IdentityShare:
    """At least ``min_fraction`` of mentees with an identity preference get a mentor sharing one.

    >>> IdentityShare(0.5).to_dict()
    {'kind': 'identity_share', 'min_fraction': 0.5}
    """

    min_fraction: float = 0.6

    def __post_init__(self) -> None:
        object.__setattr__(self, "min_fraction", _fraction("min_fraction", self.min_fraction))

    def describe(self) -> str:
        return (
            f"At least {self.min_fraction:.0%} of the mentees who asked for a mentor sharing "
            "an identity get one."
        )

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "identity_share", "min_fraction": self.min_fraction}


@dataclass(frozen=True)
class GroupScoreParity:
    """Each group's mean matched score within ``tolerance`` of the overall mean.

    Groups are mentees sharing a value of ``field`` (one group per tag for a multi-valued
    field), counted when they have at least ``min_members`` mentees; a group with nobody
    matched has no mean and cannot break the goal.

    >>> GroupScoreParity("library_type", 0.05).describe()
    'The mean score of each library type group (5 or more mentees) is within 0.05 of the overall mean.'
    """

    field: str = "library_type"
    tolerance: float = 0.05
    min_members: int = 5

    def __post_init__(self) -> None:
        object.__setattr__(self, "field", _field(self.field))
        object.__setattr__(self, "min_members", _members(self.min_members))
        if not isinstance(self.tolerance, int | float) or not 0 <= self.tolerance <= 1:
            raise ConfigError(f"tolerance must be between 0 and 1, got {self.tolerance!r}")

    def describe(self) -> str:
        return (
            f"The mean score of each {_label(self.field)} group ({self.min_members} or more "
            f"mentees) is within {self.tolerance:g} of the overall mean."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "group_score_parity",
            "field": self.field,
            "tolerance": self.tolerance,
            "min_members": self.min_members,
        }


@dataclass(frozen=True)
class GroupCoverage:
    """At least ``min_fraction`` of the mentees of each group matched.

    >>> GroupCoverage("chapter", 0.8).describe()
    'At least 80% of the mentees of each chapter group (1 or more mentees) are matched.'
    """

    field: str = "library_type"
    min_fraction: float = 0.8
    min_members: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "field", _field(self.field))
        object.__setattr__(self, "min_fraction", _fraction("min_fraction", self.min_fraction))
        object.__setattr__(self, "min_members", _members(self.min_members))

    def describe(self) -> str:
        return (
            f"At least {self.min_fraction:.0%} of the mentees of each {_label(self.field)} "
            f"group ({self.min_members} or more mentees) are matched."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "group_coverage",
            "field": self.field,
            "min_fraction": self.min_fraction,
            "min_members": self.min_members,
        }


GOAL_KINDS: dict[str, type] = {
    "priority_covered": PriorityCovered,
    "identity_share": IdentityShare,
    "group_score_parity": GroupScoreParity,
    "group_coverage": GroupCoverage,
}
"""Goal ``kind`` (as written in a config file) -> goal class."""


Goal = PriorityCovered | IdentityShare | GroupScoreParity | GroupCoverage


def goal_from_dict(data: Mapping[str, Any] | Goal) -> Goal:
    """Build a goal from plain values, as read from TOML, JSON or the store.

    Parameters
    ----------
    data : mapping or goal
        ``{"kind": ..., **settings}``; a goal object is returned unchanged.

    Returns
    -------
    goal
        A frozen goal with ``describe()`` and ``to_dict()``.

    Raises
    ------
    ConfigError
        On an unknown kind or setting, or a value out of range.

    Examples
    --------
    >>> goal_from_dict({"kind": "group_coverage", "field": "chapter", "min_fraction": 0.8})
    GroupCoverage(field='chapter', min_fraction=0.8, min_members=1)
    >>> goal_from_dict({"kind": "fairness"})
    Traceback (most recent call last):
    ...
    mentoring.model.errors.ConfigError: unknown goal kind 'fairness'; known: group_coverage, group_score_parity, identity_share, priority_covered
    """
    if isinstance(data, PriorityCovered | IdentityShare | GroupScoreParity | GroupCoverage):
        return data
    if not isinstance(data, Mapping):
        raise ConfigError(f"a goal must be a table with a 'kind', got {data!r}")
    values = dict(data)
    kind = values.pop("kind", None)
    if kind not in GOAL_KINDS:
        raise ConfigError(f"unknown goal kind {kind!r}; known: {', '.join(sorted(GOAL_KINDS))}")
    cls = GOAL_KINDS[kind]
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(
            f"unknown setting(s) {', '.join(unknown)} for goal {kind!r}; "
            f"known: {', '.join(sorted(known)) or 'none'}"
        )
    return cls(**values)
