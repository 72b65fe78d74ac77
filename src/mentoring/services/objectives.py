"""Compare the four objectives on a cohort with a progress report, reusing a run already made.

The table is :func:`mentoring.pipeline.compare_objectives`'s, objective by objective, so the
coordinator sees the bar move and the objective of the run on screen costs nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from mentoring.model.config import OBJECTIVES, MatchConfig
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
    from mentoring.engine.cohort import score_people
    from mentoring.engine.objectives import blocking_pairs, group_gap, pair_value, split_locked
    from mentoring.pipeline import COMPARISON_COLUMNS, match

    if group_field is not None and group_field not in people.columns:
        raise ValueError(f"expected group_field to be a people column, got {group_field!r}")
    tell = progress or (lambda fraction, message: None)
    tell(0.0, "Scoring the cohort")
    cohort = score_people(people, config)
    value = pair_value(cohort)
    s_free, cap_free, fixed = split_locked(cohort.scores, cohort.capacity, cohort.locked)
    row_of = {m: i for i, m in enumerate(cohort.mentee_ids)}
    col_of = {m: j for j, m in enumerate(cohort.mentor_ids)}
    rows = []
    for step, objective in enumerate(OBJECTIVES):
        tell(step / len(OBJECTIVES), f"Matching with the {objective} objective")
        if known is not None and known.config == config.with_(objective=objective):
            result = known
        else:
            result = match(people, config.with_(objective=objective))
        a = np.full(len(cohort.mentee_ids), -1, dtype=np.int64)
        for mentee, mentor in zip(
            result.pairs["mentee_id"], result.pairs["mentor_id"], strict=True
        ):
            a[row_of[str(mentee)]] = col_of[str(mentor)]
        matched = np.flatnonzero(a >= 0)
        vals = value[matched, a[matched]]
        free = np.where(fixed >= 0, -1, a)
        blocking = [
            (i, j)
            for i, j in blocking_pairs(s_free, cap_free, free).tolist()
            if not (
                cohort.mentor_ids[j] in row_of
                and cohort.mentee_ids[i] in col_of
                and a[row_of[cohort.mentor_ids[j]]] == col_of[cohort.mentee_ids[i]]
            )
        ]
        rows.append(
            {
                "objective": objective,
                "mentees_matched": len(matched),
                "total_score": float(vals.sum()),
                "mean_score": float(vals.mean()) if len(vals) else math.nan,
                "worst_score": float(vals.min()) if len(vals) else math.nan,
                "blocking_pairs": len(blocking),
                "group_gap": group_gap(cohort, a, group_field) if group_field else math.nan,
            }
        )
    tell(1.0, "Done")
    return pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))
