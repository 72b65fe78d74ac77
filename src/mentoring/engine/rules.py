"""Hard rules: which mentee x mentor pairs may never be proposed.

Capacity is not here: it belongs to the solver. Every rule is a vectorised test over a block of
mentee rows; :func:`exclusion_reasons` says in words why one pair is excluded, and
:func:`rule_counts` how many candidate mentors each rule removes for each mentee.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import scipy.sparse as sp

from mentoring.engine.scoring import Features, build_features, score_block
from mentoring.model.config import MatchConfig

__all__ = [
    "RULES",
    "RULE_LABELS",
    "allowed_block",
    "exclusion_reasons",
    "pair_positions",
    "rule_blocks",
]

RULES: dict[str, str] = {
    "self": "{mentor} and {mentee} are the same person.",
    "institution": "{mentor} works at the same institution as {mentee}.",
    "past_pair": "{mentor} and {mentee} were paired before.",
    "language": "{mentor} shares no language with {mentee}.",
    "timezone": "{mentor} is more than {hours:g} hours from {mentee}'s time zone.",
    "meeting_mode": "{mentor} and {mentee} want different meeting modes.",
    "forbidden": "The coordinator ruled out {mentor} for {mentee}.",
}
"""Rule code -> the sentence that explains an exclusion."""


RULE_LABELS: dict[str, str] = {
    "self": "the same person",
    "institution": "same institution",
    "past_pair": "paired before",
    "language": "no shared language",
    "timezone": "time zones too far apart",
    "meeting_mode": "different meeting modes",
    "forbidden": "ruled out by the coordinator",
}
"""Rule code -> a short label for counts ("same institution: 4")."""


def pair_positions(
    features: Features, pairs: Iterable[tuple[str, str]]
) -> tuple[np.ndarray, np.ndarray]:
    """Row and column positions of (mentee_id, mentor_id) pairs; unknown ids are left out.

    Examples
    --------
    >>> from mentoring.model.people import empty_people
    >>> people = pd.concat([empty_people(), pd.DataFrame({
    ...     "member_id": ["e", "r"], "name": ["E", "R"], "role": ["mentee", "mentor"]})])
    >>> pair_positions(build_features(people, MatchConfig()), [("e", "r"), ("x", "r")])
    (array([0]), array([0]))
    """
    row_of = {m: i for i, m in enumerate(features.mentee_ids)}
    col_of = {m: j for j, m in enumerate(features.mentor_ids)}
    found = [(row_of[e], col_of[r]) for e, r in pairs if e in row_of and r in col_of]
    rows = np.array([p[0] for p in found], dtype=np.int64)
    cols = np.array([p[1] for p in found], dtype=np.int64)
    return rows, cols


def rule_blocks(features: Features, config: MatchConfig, rows: np.ndarray) -> dict[str, np.ndarray]:
    """For each rule in force, a boolean ``len(rows) x n_mentors`` block: True = excluded.

    Parameters
    ----------
    features : Features
    config : MatchConfig
    rows : numpy.ndarray
        Mentee positions.

    Returns
    -------
    dict
        Rule code (see :data:`RULES`) -> excluded mask. Rules that are switched off or that
        exclude nothing in this cohort are absent.

    Examples
    --------
    >>> from mentoring.model.people import empty_people
    >>> people = pd.concat([empty_people(), pd.DataFrame({
    ...     "member_id": ["a", "b"], "name": ["A", "B"], "role": ["both", "mentor"],
    ...     "institution": ["Ohio State", "ohio  state"]})])
    >>> blocks = rule_blocks(build_features(people, MatchConfig()), MatchConfig(), np.array([0]))
    >>> {k: v.tolist() for k, v in blocks.items()}
    {'self': [[True, False]], 'institution': [[True, True]]}
    """
    f = features
    rows = np.asarray(rows, dtype=np.int64)
    n_mentors = f.shape[1]
    out: dict[str, np.ndarray] = {}

    own = f.self_column[rows]
    if (own >= 0).any():
        mask = np.zeros((len(rows), n_mentors), dtype=bool)
        has = np.flatnonzero(own >= 0)
        mask[has, own[has]] = True
        out["self"] = mask

    if config.forbid_same_institution:
        inst = f.institution_e[rows]
        mask = (inst[:, None] == f.institution_r[None, :]) & (inst[:, None] >= 0)
        if mask.any():
            out["institution"] = mask

    if config.forbid_repeat_pairs and f.past_partners.nnz:
        mask = f.past_partners[rows].toarray()
        if mask.any():
            out["past_pair"] = mask

    if config.require_shared_language:
        shared = np.asarray(f.languages_e[rows] @ f.languages_r_t) > 0
        both_known = f.has_languages_e[rows][:, None] & f.has_languages_r[None, :]
        mask = both_known & ~shared
        if mask.any():
            out["language"] = mask

    if config.max_timezone_difference is not None:
        distance = np.abs(f.timezone_e[rows][:, None] - f.timezone_r[None, :])
        with np.errstate(invalid="ignore"):
            mask = distance > config.max_timezone_difference + 1e-9
        if mask.any():
            out["timezone"] = mask

    if config.require_compatible_meeting_mode:
        mode_e = f.mode_e[rows][:, None]
        mode_r = f.mode_r[None, :]
        mask = (mode_e >= 0) & (mode_r >= 0) & (mode_e != 2) & (mode_r != 2) & (mode_e != mode_r)
        if mask.any():
            out["meeting_mode"] = mask

    if config.forbidden_pairs:
        fr, fc = pair_positions(f, config.forbidden_pairs)
        forbidden = sp.csr_matrix(
            (np.ones(len(fr), dtype=bool), (fr, fc)), shape=f.shape, dtype=bool
        )
        mask = forbidden[rows].toarray()
        if mask.any():
            out["forbidden"] = mask
    return out


def allowed_block(
    features: Features,
    config: MatchConfig,
    rows: np.ndarray,
    score: np.ndarray | None = None,
) -> np.ndarray:
    """True where a pair passes every hard rule (and ``min_score`` when ``score`` is given).

    Examples
    --------
    >>> from mentoring.model.people import empty_people
    >>> people = pd.concat([empty_people(), pd.DataFrame({
    ...     "member_id": ["a", "b"], "name": ["A", "B"], "role": ["both", "mentor"]})])
    >>> allowed_block(build_features(people, MatchConfig()), MatchConfig(), np.array([0]))
    array([[False,  True]])
    """
    rows = np.asarray(rows, dtype=np.int64)
    allowed = np.ones((len(rows), features.shape[1]), dtype=bool)
    for mask in rule_blocks(features, config, rows).values():
        allowed &= ~mask
    if score is not None and config.min_score > 0:
        allowed &= score >= config.min_score - 1e-12
    return allowed


def exclusion_reasons(
    people: pd.DataFrame,
    config: MatchConfig,
    mentee_id: str,
    mentor_id: str,
    *,
    features: Features | None = None,
) -> list[str]:
    """Plain sentences saying why a pair may not be proposed; empty when it is allowed.

    ``min_score`` is included: a pair that passes every rule but scores below it is excluded too.
    Pass ``features`` (from :func:`mentoring.engine.scoring.build_features` on the same people and
    config) when asking about many pairs.

    Examples
    --------
    >>> from mentoring.model.people import empty_people
    >>> people = pd.concat([empty_people(), pd.DataFrame({
    ...     "member_id": ["e", "r"], "name": ["Eve", "Rui"], "role": ["mentee", "mentor"],
    ...     "institution": ["Tulane", "Tulane"]})])
    >>> exclusion_reasons(people, MatchConfig(), "e", "r")
    ['Rui works at the same institution as Eve.']
    """
    names = dict(zip(people["member_id"].astype(str), people["name"].astype(str), strict=True))
    mentor, mentee = names.get(mentor_id, mentor_id), names.get(mentee_id, mentee_id)
    features = features if features is not None else build_features(people, config)
    try:
        i = features.mentee_ids.index(mentee_id)
        j = features.mentor_ids.index(mentor_id)
    except ValueError:
        return [f"{mentor} is not on the mentor side or {mentee} not on the mentee side."]
    hours = config.max_timezone_difference or 0.0
    reasons = [
        RULES[code].format(mentor=mentor, mentee=mentee, hours=hours)
        for code, mask in rule_blocks(features, config, np.array([i])).items()
        if mask[0, j]
    ]
    if not reasons and config.min_score > 0:
        score = float(score_block(features, np.array([i]))["score"][0, j])
        if score < config.min_score:
            reasons.append(
                f"Their score {score:.2f} is below the minimum score {config.min_score:.2f}."
            )
    return reasons
