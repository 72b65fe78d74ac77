"""mentoring: provably optimal, explainable, fair and private mentor matching.

>>> from mentoring import MatchConfig, match, solve
>>> import numpy as np
>>> solve(np.array([[0.9, 0.2], [0.8, 0.1]])).tolist()
[0, 1]
"""

from mentoring.audit import audit_assignment, audit_result
from mentoring.circles import form_circles, peer_pairs
from mentoring.counterfactual import counterfactuals
from mentoring.goals import solve_with_goals
from mentoring.history import apply_history, read_history
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
from mentoring.objectives import compare_objectives, pair_scores
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
    "apply_history",
    "audit_assignment",
    "audit_result",
    "compare_objectives",
    "counterfactuals",
    "form_circles",
    "greedy",
    "load_people",
    "match",
    "pair_scores",
    "peer_pairs",
    "prepare_people",
    "read_history",
    "score_people",
    "solve",
    "solve_with_goals",
]
__version__ = "0.1.0"
