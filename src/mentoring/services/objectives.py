"""Compare the four objectives on a cohort with a progress report, reusing a run already made.

The table is :func:`mentoring.pipeline.compare_objectives`'s, objective by objective, so the
coordinator sees the bar move and the objective of the run on screen costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from mentoring.model.config import MatchConfig
from mentoring.model.results import MatchResult

__all__ = ["compare_objectives_with_progress"]


def compare_objectives_with_progress(
    people: pd.DataFrame,
    config: MatchConfig,
    group_field: str | None = None,
    progress: Callable[[float, str], None] | None = None,
    known: MatchResult | None = None,
) -> pd.DataFrame:
    """One row per objective, as :func:`mentoring.pipeline.compare_objectives`, reporting
    progress objective by objective.

    Parameters
    ----------
    people : pandas.DataFrame
    config : MatchConfig
        Weights, rules, goals, decisions; its objective is ignored.
    group_field : str, optional
    progress : callable, optional
        ``progress(fraction, message)``.
    known : MatchResult, optional
        A result already made; the row of the objective it was made with (same settings
        otherwise) reuses it instead of matching again.

    Returns
    -------
    pandas.DataFrame
        :data:`mentoring.pipeline.COMPARISON_COLUMNS`.

    Examples
    --------
    >>> from mentoring.reading.synthetic import random_people
    >>> people = random_people(6, 4, seed=2)
    >>> seen = []
    >>> table = compare_objectives_with_progress(people, MatchConfig(), None,
    ...                                          lambda f, m: seen.append(m))
    >>> table["objective"].tolist(), seen[-1]
    (['coverage', 'quality', 'egalitarian', 'stable'], 'Done')
    """
    from mentoring.pipeline import compare_objectives

    return compare_objectives(people, config, group_field, progress=progress, known=known)
