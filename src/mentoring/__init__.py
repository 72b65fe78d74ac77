"""mentoring: provably optimal, explainable, fair and private mentor matching.

>>> from mentoring import MatchConfig, match, solve
>>> import numpy as np
>>> solve(np.array([[0.9, 0.2], [0.8, 0.1]])).tolist()
[0, 1]
"""

from mentoring.audit import audit_assignment, audit_result
from mentoring.model import (
    AuditReport,
    ConfigError,
    Issue,
    LoadError,
    MatchConfig,
    MatchResult,
    MatchStats,
    MentoringError,
    Weights,
)
from mentoring.pipeline import load_people, match, prepare_people, score_people
from mentoring.solve import greedy, solve

__all__ = [
    "AuditReport",
    "ConfigError",
    "Issue",
    "LoadError",
    "MatchConfig",
    "MatchResult",
    "MatchStats",
    "MentoringError",
    "Weights",
    "audit_assignment",
    "audit_result",
    "greedy",
    "load_people",
    "match",
    "prepare_people",
    "score_people",
    "solve",
]
__version__ = "0.1.0"
