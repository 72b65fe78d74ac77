"""Settings as the coordinator changes them: weight presets, help texts, goals added and removed.

>>> from mentoring.model.config import MatchConfig
>>> apply_preset(MatchConfig(), "Interests first").weights.interests
6.0
"""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from mentoring.model.config import MatchConfig, Weights

if TYPE_CHECKING:
    pass

__all__ = [
    "GOAL_HELP",
    "PRESETS",
    "WEIGHT_HELP",
    "apply_preset",
    "default_settings",
    "goal_price_sentence",
    "logistics_only_floor",
    "preset_name",
    "reset_settings",
    "reset_summary",
    "with_goal",
    "without_goal",
]

WEIGHT_HELP: dict[str, tuple[str, str]] = {
    "interests": (
        "Shared interests",
        "Pairs who list the same areas of interest score higher.",
    ),
    "goals": (
        "Mentee goals met",
        "What the mentee hopes to gain matches what the mentor offers.",
    ),
    "community": (
        "Same community",
        "Same library type, division or state chapter.",
    ),
    "diversity": (
        "Identity match when asked for",
        "Honours mentees who asked for a mentor who shares part of their identity.",
    ),
    "logistics": (
        "Practical fit",
        "Close time zones, a shared language and a meeting mode both accept.",
    ),
    "experience": (
        "Experience gap",
        "The mentor is a career stage or more ahead of the mentee.",
    ),
    "preference": (
        "Mentee's chosen mentors",
        "Mentees who named a mentor get them when possible, first choice most.",
    ),
}
"""Plain-language label and one-line explanation of each score component's weight."""


PRESETS: dict[str, Weights] = {
    "Balanced": Weights(),
    "Interests first": Weights(
        interests=6.0,
        goals=4.0,
        community=1.0,
        diversity=0.5,
        logistics=1.0,
        experience=0.5,
        preference=1.0,
    ),
    "Diversity goals first": Weights(
        interests=2.0,
        goals=2.0,
        community=1.0,
        diversity=5.0,
        logistics=1.0,
        experience=1.0,
        preference=2.0,
    ),
}
"""Named weightings offered on the Settings page; "Balanced" is the library's default."""


GOAL_HELP: dict[str, tuple[str, str]] = {
    "priority_covered": (
        "Every priority mentee matched",
        "Mentees in a priority program are matched first, as many as any set of pairs allows.",
    ),
    "identity_share": (
        "Identity match for those who asked",
        "At least this share of the mentees who asked for a mentor sharing part of their "
        "identity get one.",
    ),
    "group_coverage": (
        "Every group gets mentors",
        "At least this share of the mentees in each group (for example each library type) "
        "are matched.",
    ),
    "group_score_parity": (
        "Equally good pairs in every group",
        "Each group's mean pair score stays within this distance of the overall mean, so no "
        "group is left with the weaker pairs.",
    ),
}
"""Plain-language label and one-line explanation of each diversity goal kind, by ``kind``."""


def apply_preset(config: MatchConfig, name: str) -> MatchConfig:
    """The configuration with the weights of a named preset (rules and objective unchanged).

    Parameters
    ----------
    config : MatchConfig
    name : str
        One of :data:`PRESETS`.

    Returns
    -------
    MatchConfig

    Examples
    --------
    >>> apply_preset(MatchConfig(min_score=0.2), "Interests first").weights.interests
    6.0
    >>> apply_preset(MatchConfig(), "Fast")
    Traceback (most recent call last):
    ...
    ValueError: expected a preset among Balanced, Interests first, Diversity goals first, got 'Fast'
    """
    if name not in PRESETS:
        raise ValueError(f"expected a preset among {', '.join(PRESETS)}, got {name!r}")
    return config.with_(weights=PRESETS[name])


def preset_name(weights: Weights) -> str | None:
    """The preset whose weights these are, or ``None`` for a custom weighting.

    Parameters
    ----------
    weights : Weights

    Returns
    -------
    str or None

    Examples
    --------
    >>> preset_name(Weights()), preset_name(Weights(interests=9))
    ('Balanced', None)
    """
    for name, preset in PRESETS.items():
        if preset == weights:
            return name
    return None


def _goal_key(goal: Any) -> tuple[str, str]:
    data = goal.to_dict()
    return data["kind"], str(data.get("field", ""))


def with_goal(config: MatchConfig, goal: Any) -> MatchConfig:
    """The configuration with one more diversity goal; a goal of the same kind (and field)
    is replaced, so two thresholds for the same promise never stand side by side.

    Parameters
    ----------
    config : MatchConfig
    goal : goal or mapping
        A goal from :mod:`mentoring.engine.goals`, or its dictionary (``{"kind": ..., ...}``).

    Returns
    -------
    MatchConfig
        The other goals keep their order; the new one comes last.

    Raises
    ------
    ConfigError
        When the goal's kind or a setting is unknown or out of range.

    Examples
    --------
    >>> config = with_goal(MatchConfig(), {"kind": "identity_share", "min_fraction": 0.5})
    >>> config = with_goal(config, {"kind": "identity_share", "min_fraction": 0.7})
    >>> [g.describe() for g in config.goals]
    ['At least 70% of the mentees who asked for a mentor sharing an identity get one.']
    """
    from mentoring.model.goals import goal_from_dict

    new = goal_from_dict(goal)
    kept = [g for g in config.goals if _goal_key(g) != _goal_key(new)]
    return config.with_(goals=(*kept, new))


def without_goal(config: MatchConfig, position: int) -> MatchConfig:
    """The configuration without the goal at ``position`` (counting from 0).

    Parameters
    ----------
    config : MatchConfig
    position : int
        Index into ``config.goals``.

    Returns
    -------
    MatchConfig

    Raises
    ------
    ValueError
        When there is no goal at that position.

    Examples
    --------
    >>> from mentoring.model.goals import IdentityShare, PriorityCovered
    >>> config = MatchConfig(goals=(PriorityCovered(), IdentityShare(0.5)))
    >>> without_goal(config, 0).goals
    (IdentityShare(min_fraction=0.5),)
    """
    if isinstance(position, bool) or not isinstance(position, int):
        raise ValueError(f"expected a goal position as a whole number, got {position!r}")
    if not 0 <= position < len(config.goals):
        raise ValueError(
            f"expected a goal position from 0 to {len(config.goals) - 1}, got {position}"
        )
    return config.with_(goals=config.goals[:position] + config.goals[position + 1 :])


def goal_price_sentence(price: float | None) -> str:
    """What the diversity goals cost, in a sentence a coordinator can weigh.

    Parameters
    ----------
    price : float or None
        ``MatchResult.goal_price``: the total score of the best pairs without the goals minus
        the total with them; ``None`` when the run had no goals.

    Returns
    -------
    str
        ``""`` without goals.

    Examples
    --------
    >>> goal_price_sentence(0.8)
    'Meeting the goals costs 0.800 in total score, compared with the best pairs without them.'
    >>> goal_price_sentence(0.0)
    'Meeting the goals costs nothing: the best pairs without them already meet them.'
    """
    if price is None:
        return ""
    # Solver round-off can leave a price of -1e-12 for goals that cost nothing.
    if price <= 1e-9:
        return "Meeting the goals costs nothing: the best pairs without them already meet them."
    return (
        f"Meeting the goals costs {price:.3f} in total score, compared with the best pairs "
        "without them."
    )


_ALWAYS_SCORED = ("interests", "goals", "community", "logistics", "experience")


def logistics_only_floor(weights: Weights) -> float:
    """The lowest acceptable score that keeps out pairs resting on practical fit alone.

    A pair that shares nothing but time zone, language and meeting mode scores at most the
    practical-fit weight's share of the components every pair is scored on; the floor is the
    next multiple of 0.05 above it.

    Examples
    --------
    >>> logistics_only_floor(Weights())
    0.15
    """
    weights_of = asdict(weights)
    total = sum(weights_of[c] for c in _ALWAYS_SCORED)
    share = weights_of["logistics"] / total if total else 1.0
    return round(min(1.0, math.floor(share * 20 + 1e-9) / 20 + 0.05), 2)


def default_settings() -> MatchConfig:
    """The settings a new program starts from: the library's defaults, with the lowest
    acceptable score set so that nobody is paired on practical fit (time zone) alone.

    Examples
    --------
    >>> default_settings().min_score
    0.15
    """
    base = MatchConfig()
    return base.with_(min_score=logistics_only_floor(base.weights))


def reset_settings(config: MatchConfig) -> MatchConfig:
    """Weights, rules, capacity and alternatives back to :func:`default_settings`; the
    objective and the diversity goals are kept (they are choices, not tuning).

    Examples
    --------
    >>> from mentoring.model.goals import PriorityCovered
    >>> config = MatchConfig(objective="stable", goals=(PriorityCovered(),), min_score=0.5)
    >>> reset = reset_settings(config)
    >>> reset.objective, len(reset.goals), reset.min_score
    ('stable', 1, 0.15)
    """
    return default_settings().with_(
        objective=config.objective,
        goals=config.goals,
        locked_pairs=config.locked_pairs,
        forbidden_pairs=config.forbidden_pairs,
        criteria=config.criteria,
    )


def reset_summary(config: MatchConfig) -> str:
    """What :func:`reset_settings` will change, in one sentence for the confirmation.

    Examples
    --------
    >>> reset_summary(MatchConfig(objective="stable"))
    'This puts the weights, the rules, the default capacity and the number of alternatives back to their defaults. It keeps the objective (stable) and your 0 diversity goals. You can undo it straight after.'
    """
    goals = len(config.goals)
    return (
        "This puts the weights, the rules, the default capacity and the number of alternatives "
        f"back to their defaults. It keeps the objective ({config.objective}) and your {goals} "
        f"diversity goal{'' if goals == 1 else 's'}. You can undo it straight after."
    )
