"""How to match: :class:`MatchConfig` (weights, hard rules, objective, goals, decisions), the
score components and the objectives, each a frozen value that can be passed around safely.

>>> MatchConfig(min_score=0.3).with_(default_capacity=2).default_capacity
2
>>> COMPONENTS[:2]
('interests', 'goals')
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from mentoring.model.components import COMPONENTS, OBJECTIVES
from mentoring.model.errors import ConfigError
from mentoring.model.goals import Goal, goal_from_dict
from mentoring.model.questions import Criterion, criterion_from_dict

__all__ = ["COMPONENTS", "OBJECTIVES", "MatchConfig", "Weights"]


@dataclass(frozen=True)
class Weights:
    """How much each score component counts; only ratios matter, zero turns one off.

    >>> Weights().normalised()["interests"]
    0.25
    """

    interests: float = 3.0
    goals: float = 3.0
    community: float = 1.0
    diversity: float = 1.0
    logistics: float = 1.0
    experience: float = 1.0
    preference: float = 2.0

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not isinstance(value, int | float) or not value >= 0 or value == float("inf"):
                raise ConfigError(f"weight {name!r} must be a number >= 0, got {value!r}")
        if sum(asdict(self).values()) <= 0:
            raise ConfigError("at least one weight must be above 0")

    def normalised(self) -> dict[str, float]:
        total = sum(asdict(self).values())
        return {k: v / total for k, v in asdict(self).items()}


@dataclass(frozen=True)
class MatchConfig:
    """What matters (weights) and what is never allowed (rules), plus the objective.

    Pairs are ``(mentee_id, mentor_id)``. ``locked_pairs`` are kept whatever the score;
    ``forbidden_pairs`` are never proposed. ``max_timezone_difference`` is in hours, ``None``
    for no limit. ``default_capacity`` is a mentor's number of mentees and
    ``default_mentee_capacity`` a mentee's number of mentors when their own column is blank (a
    mentee who names tracks takes one mentor per track instead). ``goals`` holds cohort-level diversity goals (see ``mentoring.engine.goals``).

    >>> MatchConfig(objective="quality").objective
    'quality'
    >>> MatchConfig(min_score=2)
    Traceback (most recent call last):
    ...
    mentoring.model.errors.ConfigError: min_score must be between 0 and 1, got 2
    """

    weights: Weights = field(default_factory=Weights)
    objective: str = "coverage"
    default_capacity: int = 1
    forbid_same_institution: bool = True
    forbid_repeat_pairs: bool = True
    require_shared_language: bool = False
    require_compatible_meeting_mode: bool = False
    max_timezone_difference: float | None = None
    min_score: float = 0.0
    forbidden_pairs: tuple[tuple[str, str], ...] = ()
    locked_pairs: tuple[tuple[str, str], ...] = ()
    n_alternatives: int = 3
    default_mentee_capacity: int = 1
    goals: tuple[Goal, ...] = ()
    criteria: tuple[Criterion, ...] = ()

    def __post_init__(self) -> None:
        if self.objective not in OBJECTIVES:
            raise ConfigError(
                f"objective must be one of {', '.join(OBJECTIVES)}, got {self.objective!r}"
            )
        if not isinstance(self.default_capacity, int) or self.default_capacity < 0:
            raise ConfigError(
                f"default_capacity must be a whole number >= 0, got {self.default_capacity!r}"
            )
        if (
            not isinstance(self.default_mentee_capacity, int)
            or isinstance(self.default_mentee_capacity, bool)
            or self.default_mentee_capacity < 1
        ):
            raise ConfigError(
                "default_mentee_capacity must be a whole number >= 1, "
                f"got {self.default_mentee_capacity!r}"
            )
        if not 0 <= self.min_score <= 1:
            raise ConfigError(f"min_score must be between 0 and 1, got {self.min_score!r}")
        if self.max_timezone_difference is not None and self.max_timezone_difference < 0:
            raise ConfigError(
                "max_timezone_difference must be >= 0 hours or None, "
                f"got {self.max_timezone_difference!r}"
            )
        if self.n_alternatives < 0:
            raise ConfigError(f"n_alternatives must be >= 0, got {self.n_alternatives!r}")
        object.__setattr__(self, "forbidden_pairs", _pairs(self.forbidden_pairs))
        object.__setattr__(self, "locked_pairs", _pairs(self.locked_pairs))
        object.__setattr__(self, "goals", tuple(goal_from_dict(g) for g in self.goals))
        object.__setattr__(self, "criteria", tuple(criterion_from_dict(c) for c in self.criteria))
        names = [c.name for c in self.criteria]
        if len(set(names)) != len(names):
            raise ConfigError(f"criterion names must be unique, got {names}")

    def with_(self, **changes: Any) -> MatchConfig:
        """A copy with some fields changed (weights may be given as a mapping)."""
        if isinstance(changes.get("weights"), Mapping):
            changes["weights"] = replace(self.weights, **changes["weights"])
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON- and TOML-friendly values (goals as their own ``to_dict``)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "weights":
                value = asdict(value)
            elif f.name in ("forbidden_pairs", "locked_pairs"):
                value = [list(p) for p in value]
            elif f.name in ("goals", "criteria"):
                value = [g.to_dict() for g in value]
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MatchConfig:
        """Build from plain values, as read from TOML, JSON or the store.

        Unknown keys are an error (a typo must not be silently ignored).

        >>> MatchConfig.from_dict({"weights": {"interests": 5}, "min_score": 0.2}).weights.interests
        5
        """
        known = {f.name for f in fields(cls)}
        # [mapping] and [questions] tell the reader how to read the files, not how to match.
        unknown = sorted(set(data) - known - {"mapping", "questions"})
        if unknown:
            raise ConfigError(
                f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        values = {k: v for k, v in data.items() if k in known}
        if "weights" in values:
            weights = dict(values["weights"])
            bad = sorted(set(weights) - set(COMPONENTS))
            if bad:
                raise ConfigError(
                    f"unknown weight(s) {', '.join(bad)}; known: {', '.join(COMPONENTS)}"
                )
            values["weights"] = Weights(**weights)
        if "goals" in values:
            values["goals"] = tuple(goal_from_dict(g) for g in values["goals"])
        if "criteria" in values:
            values["criteria"] = tuple(criterion_from_dict(c) for c in values["criteria"])
        return cls(**values)

    @classmethod
    def from_toml(cls, path: str | Path) -> tuple[MatchConfig, dict[str, str]]:
        """Read a TOML config: settings at the top level, ``[weights]``, and ``[mapping]``.

        Returns the configuration and the explicit column mapping (header -> field), which
        overrides the guessed one.
        """
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read the config file ({exc}).") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc}).") from exc
        mapping = {str(k): str(v) for k, v in data.get("mapping", {}).items()}
        try:
            return cls.from_dict(data), mapping
        except (TypeError, ConfigError) as exc:
            raise ConfigError(f"{path}: {exc}") from exc


def _pairs(value: Iterable[Iterable[str]]) -> tuple[tuple[str, str], ...]:
    out = []
    for pair in value:
        pair = tuple(str(x) for x in pair)
        if len(pair) != 2:
            raise ConfigError(f"a pair must be (mentee_id, mentor_id), got {pair!r}")
        out.append(pair)
    return tuple(sorted(set(out)))
