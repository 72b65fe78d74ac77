"""The names every layer shares: score components and objectives.

>>> COMPONENTS[0], OBJECTIVES[0]
('interests', 'coverage')
"""

from __future__ import annotations

__all__ = ["COMPONENTS", "OBJECTIVES"]

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
