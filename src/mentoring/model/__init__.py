"""The floor of the package: plain data every layer shares, importing nothing above it.

- :mod:`~mentoring.model.errors`: the error classes and :class:`~mentoring.model.errors.Issue`.
- :mod:`~mentoring.model.people`: the people table's schema (columns, dtypes) and its boundary check.
- :mod:`~mentoring.model.config`: :class:`~mentoring.model.config.MatchConfig` and its weights.
- :mod:`~mentoring.model.goals`: cohort-level goal specifications.
- :mod:`~mentoring.model.results`: :class:`~mentoring.model.results.MatchResult` and its parts.
- :mod:`~mentoring.model.components`: the score components and objectives.
- :mod:`~mentoring.model.questions`: how a form's columns were read, and the criteria built from them.
- :mod:`~mentoring.model.frames`: the one column check every boundary uses.

Every name is re-exported here, so ``from mentoring.model import MatchConfig`` works too.
"""

from __future__ import annotations

from mentoring.model.components import COMPONENTS, OBJECTIVES
from mentoring.model.config import MatchConfig, Weights
from mentoring.model.errors import ConfigError, Issue, LoadError, MentoringError, issues_frame
from mentoring.model.frames import require_columns
from mentoring.model.goals import (
    GOAL_KINDS,
    GroupCoverage,
    GroupScoreParity,
    IdentityShare,
    PriorityCovered,
    goal_from_dict,
)
from mentoring.model.people import (
    CAREER_STAGES,
    DEMOGRAPHIC_COLUMNS,
    MEETING_MODES,
    MULTI_VALUED_COLUMNS,
    PEOPLE_COLUMNS,
    PEOPLE_SCHEMA,
    ROLES,
    empty_people,
    prepare_people,
)
from mentoring.model.questions import (
    CONFIDENT,
    KINDS,
    QUESTION_PREFIX,
    USES,
    ColumnProfile,
    Criterion,
    criterion_from_dict,
    decode_acceptability,
    encode_acceptability,
)
from mentoring.model.results import (
    ALTERNATIVE_COLUMNS,
    PAIR_COLUMNS,
    UNMATCHED_COLUMNS,
    AuditReport,
    MatchResult,
    MatchStats,
)

__all__ = [
    "ALTERNATIVE_COLUMNS",
    "CAREER_STAGES",
    "COMPONENTS",
    "CONFIDENT",
    "DEMOGRAPHIC_COLUMNS",
    "GOAL_KINDS",
    "KINDS",
    "MEETING_MODES",
    "MULTI_VALUED_COLUMNS",
    "OBJECTIVES",
    "PAIR_COLUMNS",
    "PEOPLE_COLUMNS",
    "PEOPLE_SCHEMA",
    "QUESTION_PREFIX",
    "ROLES",
    "UNMATCHED_COLUMNS",
    "USES",
    "AuditReport",
    "ColumnProfile",
    "ConfigError",
    "Criterion",
    "GroupCoverage",
    "GroupScoreParity",
    "IdentityShare",
    "Issue",
    "LoadError",
    "MatchConfig",
    "MatchResult",
    "MatchStats",
    "MentoringError",
    "PriorityCovered",
    "Weights",
    "criterion_from_dict",
    "decode_acceptability",
    "empty_people",
    "encode_acceptability",
    "goal_from_dict",
    "issues_frame",
    "prepare_people",
    "require_columns",
]
