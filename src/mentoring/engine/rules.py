"""Hard rules: which mentee x mentor pairs may never be proposed.

Capacity is not here: it belongs to the solver. Every rule is a vectorised test over a block of
mentee rows; the rules that exclude a few pairs per mentee (the same person, the same
institution, paired before, ruled out by the coordinator) list those pairs instead, and
:func:`rule_blocks` makes blocks of the lists. :func:`exclusion_reasons` says in words why one
pair is excluded, and :func:`rule_counts` how many candidate mentors each rule removes for each
mentee.

The form's own questions add two rules (see :mod:`mentoring.engine.criteria`): ``acceptability``
(someone answered "No" about the other's site, gender, ... on a grid) and ``levels`` (an ordered
answer such as a grade outside ``min_above``/``max_above`` levels above the mentee); the reasons
name the form's words ("Ana answered No to Fort Washington for 'Which sites could you travel
to?'").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from mentoring.engine.assign import _ranges
from mentoring.engine.criteria import Part, forbid_block, level_names, ordinal_value
from mentoring.engine.memo import PerObject
from mentoring.engine.scoring import Features, build_features, score_block
from mentoring.model.config import MatchConfig
from mentoring.model.questions import decode_acceptability

__all__ = [
    "RULES",
    "RULE_LABELS",
    "allowed_block",
    "exclusion_reasons",
    "forbidden_cells",
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
    "acceptability": "{mentee} or {mentor} answered No about the other on the form.",
    "levels": "{mentor}'s level is outside the range allowed for {mentee}.",
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
    "acceptability": "answered No on the form",
    "levels": "level outside the allowed range",
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


def rule_blocks(
    features: Features, config: MatchConfig, rows: np.ndarray, cols: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """For each rule in force, a boolean ``len(rows) x n_mentors`` block: True = excluded.

    Parameters
    ----------
    features : Features
    config : MatchConfig
    rows : numpy.ndarray
        Mentee positions.
    cols : numpy.ndarray, optional
        Mentor positions (default: every mentor); the blocks are then ``len(rows) x len(cols)``.

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
    some: np.ndarray | slice = slice(None) if cols is None else np.asarray(cols, dtype=np.int64)
    width = f.shape[1] if cols is None else len(cols)
    out: dict[str, np.ndarray] = {}

    listed = _listed_rules(f, config, rows)
    for code in ("self", "institution", "past_pair"):
        if code in listed:
            _add_listed(out, code, listed[code], rows.size, width, cols)

    if config.require_shared_language:
        shared = np.asarray(f.languages_e[rows] @ f.languages_r_t[:, some]) > 0
        both_known = f.has_languages_e[rows][:, None] & f.has_languages_r[some][None, :]
        mask = both_known & ~shared
        if mask.any():
            out["language"] = mask

    if config.max_timezone_difference is not None:
        distance = np.abs(f.timezone_e[rows][:, None] - f.timezone_r[some][None, :])
        with np.errstate(invalid="ignore"):
            mask = distance > config.max_timezone_difference + 1e-9
        if mask.any():
            out["timezone"] = mask

    if config.require_compatible_meeting_mode:
        mode_e = f.mode_e[rows][:, None]
        mode_r = f.mode_r[some][None, :]
        mask = (mode_e >= 0) & (mode_r >= 0) & (mode_e != 2) & (mode_r != 2) & (mode_e != mode_r)
        if mask.any():
            out["meeting_mode"] = mask

    if "forbidden" in listed:
        _add_listed(out, "forbidden", listed["forbidden"], rows.size, width, cols)
    for part in f.criteria:
        excluded = forbid_block(part, rows, some)
        if excluded is None or not excluded.any():
            continue
        code = "levels" if part.criterion.kind == "ordinal" else "acceptability"
        out[code] = out[code] | excluded if code in out else excluded
    return out


@dataclass(eq=False)
class _Kept:
    """What the listed rules need of a cohort, built on first use and kept with its features:
    mentors grouped by institution code, and the coordinator's ruled-out pairs as a matrix."""

    by_institution: tuple[np.ndarray, np.ndarray] | None = None
    ruled_out_for: tuple[tuple, sp.csr_matrix] | None = None

    def institutions(self, f: Features) -> tuple[np.ndarray, np.ndarray]:
        """Mentor columns sorted by institution code, and where each code's run starts."""
        if self.by_institution is None:
            order = np.argsort(f.institution_r, kind="stable")
            codes = f.institution_r[order]
            size = int(max(f.institution_r.max(initial=-1), f.institution_e.max(initial=-1))) + 1
            starts = np.searchsorted(codes, np.arange(size + 1))
            self.by_institution = (order, starts)
        return self.by_institution

    def ruled_out(self, f: Features, pairs: tuple) -> sp.csr_matrix:
        """The coordinator's forbidden pairs as a boolean mentee x mentor matrix."""
        if self.ruled_out_for is None or self.ruled_out_for[0] != pairs:
            fr, fc = pair_positions(f, pairs)
            matrix = sp.csr_matrix(
                (np.ones(len(fr), dtype=bool), (fr, fc)), shape=f.shape, dtype=bool
            )
            self.ruled_out_for = (pairs, matrix)
        return self.ruled_out_for[1]


_KEPT: PerObject[Features, _Kept] = PerObject()


def _kept(features: Features) -> _Kept:
    return _KEPT.get(features, _Kept)


def forbidden_cells(
    features: Features, config: MatchConfig, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """The pairs the rules exclude among mentee ``rows`` and every mentor, listed: positions in
    ``rows`` and mentor columns, each pair once, in row then column order.

    The same pairs :func:`rule_blocks` marks, without a block per rule: the rules on by default
    (the same person, the same institution, paired before) and the coordinator's forbidden
    pairs exclude a few pairs per mentee, so listing them costs nothing next to the scores,
    where a boolean block per rule cost a pass over every pair. Returns None when a rule in
    force can exclude most pairs (language, time zone, meeting mode, the form's own rules):
    use :func:`rule_blocks` then.

    Examples
    --------
    >>> from mentoring.model.people import empty_people
    >>> people = pd.concat([empty_people(), pd.DataFrame({
    ...     "member_id": ["a", "b", "c"], "name": ["A", "B", "C"],
    ...     "role": ["both", "mentor", "mentee"], "institution": ["Ohio State", "ohio  state", ""]})])
    >>> f = build_features(people, MatchConfig())
    >>> [x.tolist() for x in forbidden_cells(f, MatchConfig(), np.array([0, 1]))]
    [[0, 0], [0, 1]]
    >>> forbidden_cells(f, MatchConfig(require_shared_language=True), np.array([0])) is None
    True
    """
    f = features
    listed_only = not (
        config.require_shared_language
        or config.max_timezone_difference is not None
        or config.require_compatible_meeting_mode
        or any(part.has_rule for part in f.criteria)
    )
    if not listed_only:
        return None
    n_cols = f.shape[1]
    listed = _listed_rules(f, config, np.asarray(rows, dtype=np.int64)).values()
    keys = [local * n_cols + cols for local, cols in listed]
    key = np.unique(np.concatenate(keys)) if keys else np.zeros(0, dtype=np.int64)
    return np.divmod(key, max(n_cols, 1))


def _listed_rules(
    f: Features, config: MatchConfig, rows: np.ndarray
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The rules that exclude a few pairs per mentee, in force and excluding some pair: code ->
    (positions in ``rows``, mentor columns) of the pairs each excludes."""
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    own = f.self_column[rows]
    has = np.flatnonzero(own >= 0)
    out["self"] = (has, own[has])
    if config.forbid_same_institution:
        order, starts = _kept(f).institutions(f)
        code = f.institution_e[rows]
        named = np.flatnonzero(code >= 0)
        first, lengths = starts[code[named]], np.diff(starts)[code[named]]
        out["institution"] = (np.repeat(named, lengths), order[_ranges(first, lengths)])
    if config.forbid_repeat_pairs and f.past_partners.nnz:
        past = f.past_partners[rows].tocoo()
        out["past_pair"] = (past.row.astype(np.int64), past.col.astype(np.int64))
    if config.forbidden_pairs:
        chosen = _kept(f).ruled_out(f, config.forbidden_pairs)[rows].tocoo()
        out["forbidden"] = (chosen.row.astype(np.int64), chosen.col.astype(np.int64))
    return {code: pairs for code, pairs in out.items() if pairs[0].size}


def _add_listed(
    out: dict[str, np.ndarray],
    code: str,
    pairs: tuple[np.ndarray, np.ndarray],
    n_rows: int,
    width: int,
    cols: np.ndarray | None,
) -> None:
    """A listed rule's pairs as its block in ``out`` (over ``cols``, which may repeat, when
    given), when any falls in it."""
    local, listed = pairs
    mask = np.zeros((n_rows, width), dtype=bool)
    if cols is None:
        mask[local, listed] = True
    else:
        order = np.argsort(cols, kind="stable")
        ranked = np.asarray(cols)[order]
        first = np.searchsorted(ranked, listed, side="left")
        count = np.searchsorted(ranked, listed, side="right") - first
        mask[np.repeat(local, count), order[_ranges(first, count)]] = True
    if mask.any():
        out[code] = mask


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
    reasons = []
    for code, mask in rule_blocks(features, config, np.array([i])).items():
        if not mask[0, j]:
            continue
        if code in ("acceptability", "levels"):
            reasons.extend(_criterion_reasons(people, features, i, j, (mentee, mentor)))
        else:
            reasons.append(RULES[code].format(mentor=mentor, mentee=mentee, hours=hours))
    if not reasons and config.min_score > 0:
        score = float(score_block(features, np.array([i]))["score"][0, j])
        if score < config.min_score - 1e-12:
            reasons.append(
                f"Their score {score:.2f} is below the minimum score {config.min_score:.2f}."
            )
    return reasons


def _question(part: Part) -> str:
    """The form's question for a criterion: its first header without a grid row, else its label."""
    headers = part.criterion.headers
    if not headers:
        return part.criterion.label
    header = str(headers[0]).strip()
    if header.endswith("]") and " [" in header:
        header = header[: header.rindex(" [")].strip()
    return header or part.criterion.label


def _shown(value: object) -> str:
    """An answer as the form words it; stored answers folded to lower case are capitalised."""
    text = " ".join(str(value).split())
    return text.title() if text == text.casefold() else text


def _criterion_reasons(
    people: pd.DataFrame, features: Features, i: int, j: int, names: tuple[str, str]
) -> list[str]:
    """Why the form's own hard rules exclude mentee row ``i`` with mentor column ``j``."""
    mentee, mentor = names
    row_of = {m: k for k, m in enumerate(people["member_id"].astype(str))}
    e = people.iloc[row_of[features.mentee_ids[i]]]
    r = people.iloc[row_of[features.mentor_ids[j]]]
    out = []
    for part in features.criteria:
        excluded = forbid_block(part, np.array([i]))
        if excluded is None or not excluded[0, j]:
            continue
        c = part.criterion
        question = _question(part)
        if c.kind == "ordinal":
            low = ordinal_value(e[c.mentee_column])
            high = ordinal_value(r[c.mentor_column])
            levels = f"({level_names(c, low)} \u2192 {level_names(c, high)})"
            gap = high - low
            if c.min_above is not None and gap < c.min_above - 1e-9:
                where = "above" if c.min_above <= 1 else f"at least {c.min_above} levels above"
                if c.min_above <= 0:
                    where = "at or above"
                out.append(f"{mentor} is not {where} {mentee}'s {c.label} {levels}.")
            else:
                out.append(
                    f"{mentor} is more than {c.max_above} level{'s' if c.max_above != 1 else ''} "
                    f"above {mentee}'s {c.label} {levels}."
                )
        elif c.joint:
            out.append(f"{mentee} and {mentor} accept no {c.label} in common for '{question}'.")
        else:
            who, about = (
                (mentee, r[c.mentor_column])
                if not c.reverse
                else (
                    mentor,
                    e[c.mentee_column],
                )
            )
            grid = e[c.mentee_column] if not c.reverse else r[c.mentor_column]
            answers = decode_acceptability(grid if isinstance(grid, tuple | list) else ())
            option = " ".join(str(about).casefold().split())
            shown = _shown(about) if option in answers else option
            out.append(f"{who} answered No to {shown} for '{question}'.")
    return out
