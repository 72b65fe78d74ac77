"""mentoring: provably optimal, explainable, fair and private mentor matching.

The package is layered; every import points down this list (a test keeps it so):

- :mod:`mentoring.model`: configuration, the people schema, goal specs, results, errors.
- :mod:`mentoring.reading`: files into the people table, with every problem as an issue.
- :mod:`mentoring.engine`: scores, hard rules, the exact solve and its certificate, objectives,
  goals, circles.
- :mod:`mentoring.checks`: the independent audit.
- :mod:`mentoring.outputs`: reasons, counterfactuals, reports, exports, graphs.
- :mod:`mentoring.pipeline`: ``load_people`` and ``match``, the batch entry points.
- :mod:`mentoring.lifecycle`: newcomers matched into free places, re-matching after a check-in.
- :mod:`mentoring.store`: the durable SQLite store.
- :mod:`mentoring.services`: one function per coordinator action, for the app.
- :mod:`mentoring.cli`: the command line.

Public names are imported on first use, so ``import mentoring`` (and every command-line call)
starts without loading the solvers it does not need.

>>> from mentoring import MatchConfig, match, solve
>>> import numpy as np
>>> solve(np.array([[0.9, 0.2], [0.8, 0.1]])).tolist()
[0, 1]
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mentoring.checks.audit import audit_assignment, audit_result
    from mentoring.engine.assign import greedy, solve
    from mentoring.engine.circles import form_circles, peer_pairs
    from mentoring.engine.cohort import score_people
    from mentoring.engine.goals import solve_with_goals
    from mentoring.engine.objectives import pair_scores
    from mentoring.engine.transport import solve_pairs
    from mentoring.lifecycle import match_newcomers, rematch_after_checkin
    from mentoring.model.config import MatchConfig, Weights
    from mentoring.model.errors import ConfigError, Issue, LoadError, MentoringError
    from mentoring.model.people import prepare_people
    from mentoring.model.results import AuditReport, MatchResult, MatchStats
    from mentoring.outputs.counterfactual import counterfactuals
    from mentoring.outputs.mentees import mentee_view
    from mentoring.pipeline import compare_objectives, load_people, match
    from mentoring.reading.history import (
        apply_history,
        checkin_history,
        read_checkin,
        read_history,
        read_pairs,
    )

_HOMES: dict[str, str] = {
    "AuditReport": "mentoring.model.results",
    "ConfigError": "mentoring.model.errors",
    "Issue": "mentoring.model.errors",
    "LoadError": "mentoring.model.errors",
    "MatchConfig": "mentoring.model.config",
    "MatchResult": "mentoring.model.results",
    "MatchStats": "mentoring.model.results",
    "MentoringError": "mentoring.model.errors",
    "Weights": "mentoring.model.config",
    "apply_history": "mentoring.reading.history",
    "audit_assignment": "mentoring.checks.audit",
    "audit_result": "mentoring.checks.audit",
    "checkin_history": "mentoring.reading.history",
    "compare_objectives": "mentoring.pipeline",
    "counterfactuals": "mentoring.outputs.counterfactual",
    "form_circles": "mentoring.engine.circles",
    "greedy": "mentoring.engine.assign",
    "load_people": "mentoring.pipeline",
    "match": "mentoring.pipeline",
    "match_newcomers": "mentoring.lifecycle",
    "mentee_view": "mentoring.outputs.mentees",
    "pair_scores": "mentoring.engine.objectives",
    "peer_pairs": "mentoring.engine.circles",
    "prepare_people": "mentoring.model.people",
    "read_checkin": "mentoring.reading.history",
    "read_history": "mentoring.reading.history",
    "read_pairs": "mentoring.reading.history",
    "rematch_after_checkin": "mentoring.lifecycle",
    "score_people": "mentoring.engine.cohort",
    "solve": "mentoring.engine.assign",
    "solve_pairs": "mentoring.engine.transport",
    "solve_with_goals": "mentoring.engine.goals",
}

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
    "checkin_history",
    "compare_objectives",
    "counterfactuals",
    "form_circles",
    "greedy",
    "load_people",
    "match",
    "match_newcomers",
    "mentee_view",
    "pair_scores",
    "peer_pairs",
    "prepare_people",
    "read_checkin",
    "read_history",
    "read_pairs",
    "rematch_after_checkin",
    "score_people",
    "solve",
    "solve_pairs",
    "solve_with_goals",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'mentoring' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
