"""Plain data shared by every step: configuration, problems found, results, column names.

Everything here is a frozen dataclass or a constant, so a value can be passed between the
library, the command line, the store and the app without anyone changing it behind another's
back.

The people table
----------------
``load_people`` returns a :class:`pandas.DataFrame` with exactly :data:`PEOPLE_COLUMNS`, one row
per member, ``member_id`` unique. Multi-valued fields hold tuples of normalised tags (lower
case, single spaces, sorted, no duplicates); text fields hold ``str`` (``""`` when blank);
``timezone`` and ``years_experience`` hold ``float`` (NaN when unknown); ``capacity`` holds a
nullable ``Int64`` (``<NA>``: use the configured default); ``priority`` a ``bool``;
``preferred_mentors`` a tuple of ``member_id`` values in the mentee's order of choice.

>>> PEOPLE_COLUMNS[:3]
('member_id', 'name', 'email')
>>> empty_people().shape
(0, 25)
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

import pandas as pd

__all__ = [
    "ALTERNATIVE_COLUMNS",
    "CAREER_STAGES",
    "COMPONENTS",
    "DEMOGRAPHIC_COLUMNS",
    "MEETING_MODES",
    "MULTI_VALUED_COLUMNS",
    "OBJECTIVES",
    "PAIR_COLUMNS",
    "PEOPLE_COLUMNS",
    "ROLES",
    "UNMATCHED_COLUMNS",
    "AuditReport",
    "ConfigError",
    "Issue",
    "LoadError",
    "MatchConfig",
    "MatchResult",
    "MatchStats",
    "MentoringError",
    "Weights",
    "empty_people",
    "issues_frame",
]

PEOPLE_COLUMNS: tuple[str, ...] = (
    "member_id",
    "name",
    "email",
    "role",
    "interests",
    "offers",
    "seeks",
    "library_type",
    "divisions",
    "chapter",
    "career_stage",
    "years_experience",
    "timezone",
    "languages",
    "meeting_mode",
    "capacity",
    "institution",
    "identities",
    "identity_preference",
    "priority",
    "past_partners",
    "preferred_mentors",
    "job_title",
    "open_to_peer",
    "notes",
)
"""Canonical columns of the people table, in order."""

MULTI_VALUED_COLUMNS: frozenset[str] = frozenset(
    {
        "interests",
        "offers",
        "seeks",
        "divisions",
        "languages",
        "identities",
        "identity_preference",
        "past_partners",
        "preferred_mentors",
    }
)
"""Columns whose cells are tuples of tags or ids."""

DEMOGRAPHIC_COLUMNS: frozenset[str] = frozenset({"identities", "identity_preference"})
"""Self-identified, special-category data: never exported or reported unless asked for."""

ROLES: tuple[str, ...] = ("mentor", "mentee", "both")

CAREER_STAGES: tuple[str, ...] = ("student", "new professional", "mid-career", "senior", "retired")
"""Ordered career stages; ``career_stage`` holds one of these or ``""``."""

MEETING_MODES: tuple[str, ...] = ("in person", "online", "either")

COMPONENTS: tuple[str, ...] = (
    "interests",
    "goals",
    "community",
    "diversity",
    "logistics",
    "experience",
    "preference",
)
"""Score components, each in [0, 1]; ``pairs`` has one column per component."""

OBJECTIVES: tuple[str, ...] = ("coverage", "quality", "egalitarian", "stable")

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
)
"""Columns of ``MatchResult.pairs``, one row per matched pair, sorted by mentee name then id."""

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

Severity = Literal["error", "warning", "info"]


class MentoringError(Exception):
    """Base class of every error this library raises on purpose."""


class LoadError(MentoringError, ValueError):
    """A member file cannot be used at all; the message says what to do about it.

    >>> str(LoadError("members.csv: the file is empty. Export it again with its header row."))
    'members.csv: the file is empty. Export it again with its header row.'
    """


class ConfigError(MentoringError, ValueError):
    """A configuration value is out of range or unknown; the message names it."""


@dataclass(frozen=True)
class Issue:
    """One problem found in the input, located as a coordinator would look for it.

    ``row`` is the spreadsheet row number (the header is row 1, the first member row 2), or
    ``None`` when the problem concerns a whole file or column. ``column`` is the header as it
    appears in the file. ``severity`` ``"error"`` blocks matching until resolved; ``"warning"``
    and ``"info"`` do not.

    >>> Issue("a.csv", 3, "Capacity", "capacity_unparsed", "could not read 'lots'; used 1",
    ...       "warning", member_id="m7", hint="Write a whole number such as 2.").location
    'a.csv, row 3, column "Capacity"'
    """

    file: str
    row: int | None
    column: str | None
    code: str
    message: str
    severity: Severity = "warning"
    member_id: str | None = None
    hint: str = ""

    @property
    def location(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f'column "{self.column}"')
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.severity}: {self.location}: {self.message}"
        return f"{text} {self.hint}".rstrip()


def issues_frame(issues: Iterable[Issue]) -> pd.DataFrame:
    """Issues as a table a coordinator can sort: file, row, column, problem, what to do.

    >>> issues_frame([Issue("a.csv", 2, "Email", "email_invalid", "not an email", "error",
    ...                     hint="Fix the address.")]).columns.tolist()
    ['severity', 'file', 'row', 'column', 'member_id', 'code', 'problem', 'what_to_do']
    """
    rows = [
        {
            "severity": i.severity,
            "file": i.file,
            "row": i.row,
            "column": i.column or "",
            "member_id": i.member_id or "",
            "code": i.code,
            "problem": i.message,
            "what_to_do": i.hint,
        }
        for i in issues
    ]
    frame = pd.DataFrame(
        rows,
        columns=["severity", "file", "row", "column", "member_id", "code", "problem", "what_to_do"],
    )
    frame["row"] = frame["row"].astype("Int64")
    return frame


def empty_people() -> pd.DataFrame:
    """An empty people table with the canonical columns and dtypes.

    Examples
    --------
    >>> empty_people().dtypes["capacity"]
    Int64Dtype()
    """
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in PEOPLE_COLUMNS})
    frame["years_experience"] = frame["years_experience"].astype(float)
    frame["timezone"] = frame["timezone"].astype(float)
    frame["capacity"] = frame["capacity"].astype("Int64")
    frame["priority"] = frame["priority"].astype(bool)
    frame["open_to_peer"] = frame["open_to_peer"].astype(bool)
    return frame


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
    for no limit. ``goals`` holds cohort-level diversity goals (see ``mentoring.goals``).

    >>> MatchConfig(objective="quality").objective
    'quality'
    >>> MatchConfig(min_score=2)
    Traceback (most recent call last):
    ...
    mentoring.model.ConfigError: min_score must be between 0 and 1, got 2
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
    goals: tuple[Any, ...] = ()

    def __post_init__(self) -> None:
        if self.objective not in OBJECTIVES:
            raise ConfigError(
                f"objective must be one of {', '.join(OBJECTIVES)}, got {self.objective!r}"
            )
        if not isinstance(self.default_capacity, int) or self.default_capacity < 0:
            raise ConfigError(
                f"default_capacity must be a whole number >= 0, got {self.default_capacity!r}"
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
        object.__setattr__(self, "goals", tuple(self.goals))

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
            elif f.name == "goals":
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
        unknown = sorted(set(data) - known - {"mapping"})
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
            from mentoring.goals import goal_from_dict

            values["goals"] = tuple(goal_from_dict(g) for g in values["goals"])
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


@dataclass(frozen=True)
class AuditReport:
    """What an independent check of an assignment found; ``ok`` when nothing is wrong."""

    ok: bool
    problems: tuple[str, ...] = ()
    checked: tuple[str, ...] = ()

    def raise_if_failed(self) -> None:
        if not self.ok:
            raise AssertionError("audit failed: " + "; ".join(self.problems))


@dataclass(frozen=True)
class MatchStats:
    """Headline figures of one run."""

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


@dataclass(frozen=True)
class MatchResult:
    """The outcome of :func:`mentoring.match`.

    ``pairs`` has :data:`PAIR_COLUMNS`; ``unmatched`` has :data:`UNMATCHED_COLUMNS` (every member
    left without a partner, mentors with no mentee included, each with a reason);
    ``alternatives`` has :data:`ALTERNATIVE_COLUMNS`. ``graph`` is the networkx candidate graph
    (feasible pairs, components on the edges) when the cohort is small enough to draw, else
    ``None``. ``goal_report`` has one row per diversity goal (empty without goals);
    ``goal_price`` is what the goals cost in total score against the best assignment without
    them (``None`` without goals), and ``goal_explanation`` says in words which goal could not be
    met and why (empty when every goal was met).
    """

    pairs: pd.DataFrame
    unmatched: pd.DataFrame
    alternatives: pd.DataFrame
    stats: MatchStats
    config: MatchConfig
    audit: AuditReport
    graph: Any = None
    goal_report: pd.DataFrame = field(default_factory=pd.DataFrame)
    issues: tuple[Issue, ...] = ()
    goal_price: float | None = None
    goal_explanation: str = ""
