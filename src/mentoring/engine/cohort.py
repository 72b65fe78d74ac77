"""A whole cohort scored into one dense matrix with hard rules applied, for cohorts small enough
to hold it: objectives, goals, counterfactuals and peer circles start from here.

>>> from mentoring.model.people import empty_people
>>> import pandas as pd
>>> people = pd.concat([empty_people(), pd.DataFrame({
...     "member_id": ["e", "r"], "name": ["E", "R"], "role": ["mentee", "mentor"]})])
>>> score_people(people).scores.shape
(1, 1)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mentoring.engine.fused import Ahead, Estimate, estimate_block, total_block
from mentoring.engine.rules import RULES, forbidden_cells, pair_positions, rule_blocks
from mentoring.engine.scoring import Features, build_features, score_block
from mentoring.model.config import COMPONENTS, MatchConfig
from mentoring.model.errors import Issue
from mentoring.model.people import prepare_people

__all__ = ["ScoredCohort", "score_people"]


@dataclass(frozen=True, eq=False)
class ScoredCohort:
    """A cohort's full score matrix, for objectives, goals and counterfactuals.

    ``scores`` is float64 ``n_mentees x n_mentors`` in [0, 1] with ``-inf`` where a hard rule,
    ``min_score`` or a forbidden pair excludes the pair; ``components`` has the same shape per
    component; ``locked`` lists (row, column) of the locked pairs that could be kept.
    """

    mentee_ids: tuple[str, ...]
    mentor_ids: tuple[str, ...]
    scores: np.ndarray
    components: dict[str, np.ndarray]
    capacity: np.ndarray
    priority: np.ndarray
    locked: tuple[tuple[int, int], ...]
    people: pd.DataFrame
    config: MatchConfig
    features: Features
    issues: tuple[Issue, ...] = ()


def _lock_issue(names: dict[str, str], pair: tuple[str, str], why: str, hint: str) -> Issue:
    """The warning for a locked pair that cannot be kept, naming both members."""
    mentee, mentor = (names.get(x, x) for x in pair)
    return Issue(
        "review decisions",
        None,
        None,
        "lock_not_kept",
        f"The locked pair {mentee} - {mentor} was not kept: {why}",
        "warning",
        member_id=pair[0],
        hint=hint,
    )


def _lock_position(
    features: Features, config: MatchConfig, names: dict[str, str], pair: tuple[str, str]
) -> tuple[int, int, str] | None:
    """A locked pair's (row, column) and the hard rules that exclude it, as one sentence ("" when
    none); None when either member is not in the cohort on that side."""
    rows, cols = pair_positions(features, [pair])
    if not len(rows):
        return None
    i, j = int(rows[0]), int(cols[0])
    excluded = [
        RULES[code].format(
            mentor=names.get(pair[1]),
            mentee=names.get(pair[0]),
            hours=config.max_timezone_difference or 0,
        )
        for code, mask in rule_blocks(features, config, np.array([i])).items()
        if mask[0, j]
    ]
    return i, j, " ".join(excluded)


_NOT_IN_COHORT = "one of them is not in the current member list or not on that side."


def _locks(
    features: Features, config: MatchConfig, people: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray, list[Issue]]:
    """The locked pairs that can be kept, in position form, and an issue for each that cannot."""
    issues: list[Issue] = []
    names = dict(zip(people["member_id"], people["name"], strict=True))
    kept_rows: list[int] = []
    kept_cols: list[int] = []
    load = np.zeros(features.shape[1], dtype=np.int64)
    taken: set[int] = set()
    hint = "Unlock it, or change the rule or the mentor's capacity, and re-solve."
    for pair in config.locked_pairs:
        found = _lock_position(features, config, names, pair)
        if found is None:
            issues.append(_lock_issue(names, pair, _NOT_IN_COHORT, hint))
            continue
        i, j, excluded = found
        why = ""
        if excluded:
            why = excluded
        elif i in taken:
            why = "the mentee already has another locked mentor."
        elif load[j] >= features.capacity[j]:
            why = f"the mentor's capacity ({features.capacity[j]}) is already used by other locked pairs."
        if why:
            issues.append(_lock_issue(names, pair, why, hint))
            continue
        kept_rows.append(i)
        kept_cols.append(j)
        load[j] += 1
        taken.add(i)
    return np.array(kept_rows, dtype=np.int64), np.array(kept_cols, dtype=np.int64), issues


def _masked_scores(
    features: Features,
    config: MatchConfig,
    rows: np.ndarray,
    components: dict | None = None,
    cols: np.ndarray | None = None,
) -> np.ndarray:
    """The total score of ``rows`` against every mentor (or mentors ``cols``), ``-inf`` where
    a rule or the minimum score forbids a pair.

    Without ``components`` the total is scored here, new, and marked in place: a copy would be
    one more pass over a block that is the size of the whole cohort's row.
    """
    if components is None:
        score = total_block(features, rows, cols)
    else:
        score = components["score"].copy() if cols is None else components["score"][:, cols]
    masks = list(rule_blocks(features, config, rows, cols).values())
    if config.min_score > 0:
        masks.append(score < config.min_score - 1e-12)
    if masks:
        blocked = masks[0] if len(masks) == 1 else np.logical_or.reduce(masks)
        np.copyto(score, -np.inf, where=blocked)
    return score


def _masked_rows(
    features: Features, config: MatchConfig, rows: np.ndarray
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray] | None]:
    """:func:`_masked_scores` of ``rows`` against every mentor, and the pairs it forbade as
    :func:`mentoring.engine.rules.forbidden_cells` lists them (None when they are not listed:
    the ``-inf`` in the block are then the only record of them)."""
    if config.min_score > 0:
        return _masked_scores(features, config, rows), None
    score = total_block(features, rows)
    return score, _mark_rules(score, features, config, rows)


def _masked_estimate(
    features: Features, config: MatchConfig, rows: np.ndarray, ahead: Ahead | None = None
) -> tuple[Estimate, tuple[np.ndarray, np.ndarray] | None]:
    """:func:`_masked_rows` from :func:`mentoring.engine.fused.estimate_block`: the estimate,
    its float32 block marked ``-inf`` where a rule forbids a pair, and the pairs forbidden (when
    listed). ``ahead`` is passed on to ``estimate_block``.

    Without a minimum score only: a score compared with it must be exact.
    """
    assert config.min_score <= 0, "a minimum score needs the exact scores"
    found = estimate_block(features, rows, ahead)
    return found, _mark_rules(found.block, features, config, rows)


def _mark_rules(
    block: np.ndarray, features: Features, config: MatchConfig, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """Set ``-inf`` in ``block`` (mentee ``rows`` against every mentor) where a rule forbids the
    pair (not the minimum score); return those pairs when the rules list them, else None."""
    cells = forbidden_cells(features, config, rows)
    if cells is None:
        masks = list(rule_blocks(features, config, rows).values())
        if masks:
            np.copyto(block, -np.inf, where=np.logical_or.reduce(masks))
    else:
        block[cells] = -np.inf
    return cells


def score_people(people: pd.DataFrame, config: MatchConfig | None = None) -> ScoredCohort:
    """Score every pair of a cohort into one dense matrix, hard rules applied as ``-inf``.

    Meant for cohorts up to a few thousand on each side (objectives, goals, counterfactuals);
    :func:`match` itself scores in blocks and never needs this for large cohorts.

    Examples
    --------
    >>> from mentoring.model.people import empty_people
    >>> people = pd.concat([empty_people(), pd.DataFrame({
    ...     "member_id": ["e", "r"], "name": ["E", "R"], "role": ["mentee", "mentor"]})])
    >>> cohort = score_people(people)
    >>> cohort.scores.shape, cohort.capacity.tolist()
    ((1, 1), [1])
    """
    config = config or MatchConfig()
    people = prepare_people(people)
    features = build_features(people, config)
    rows = np.arange(features.shape[0])
    components = score_block(features, rows)
    scores = _masked_scores(features, config, rows, components)
    lock_rows, lock_cols, issues = _locks(features, config, people)
    # A locked pair is the coordinator's decision: it stays allowed even below min_score.
    scores[lock_rows, lock_cols] = components["score"][lock_rows, lock_cols]
    return ScoredCohort(
        mentee_ids=features.mentee_ids,
        mentor_ids=features.mentor_ids,
        scores=scores,
        components={k: components[k] for k in COMPONENTS},
        capacity=features.capacity.copy(),
        priority=features.priority.copy(),
        locked=tuple(zip(lock_rows.tolist(), lock_cols.tolist(), strict=True)),
        people=people,
        config=config,
        features=features,
        issues=tuple(issues),
    )
