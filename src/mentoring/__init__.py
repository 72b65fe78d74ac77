"""mentoring: provably optimal, explainable, fair and private mentor matching.

>>> from mentoring import MatchConfig
>>> MatchConfig().objective
'coverage'
"""

from mentoring.model import (
    AuditReport,
    ConfigError,
    Issue,
    LoadError,
    MatchConfig,
    MatchResult,
    MentoringError,
    Weights,
)

__all__ = [
    "AuditReport",
    "ConfigError",
    "Issue",
    "LoadError",
    "MatchConfig",
    "MatchResult",
    "MentoringError",
    "Weights",
]
__version__ = "0.1.0"
