"""Independent checks of an assignment: at matrix level and at the level of named pairs.

The audit never trusts the code that produced an answer: :func:`audit_assignment` re-reads the
score matrix and capacities, and :func:`audit_result` recomputes every rule from the people table
and the configuration alone (it deliberately imports neither ``rules`` nor ``scoring``).

>>> import numpy as np
>>> audit_assignment(np.array([[1.0, np.nan]]), [1, 1], np.array([1])).ok
False
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from mentoring.model import AuditReport, MatchConfig, MatchResult

__all__ = ["audit_assignment", "audit_result"]


def audit_assignment(
    scores: Any,
    capacity: Any,
    assignment: Any,
    *,
    forbidden_ok: bool = False,
) -> AuditReport:
    """Check a column-per-row assignment against its score matrix and capacities.

    Parameters
    ----------
    scores : array_like or scipy sparse matrix/array, shape (n_rows, n_cols)
        Dense: ``NaN``/``-inf`` forbidden. Sparse: a missing entry forbidden.
    capacity : array_like of int, shape (n_cols,), or None
        Places per column (None: 1 each).
    assignment : array_like of int, shape (n_rows,)
        Column per row, -1 for unassigned.
    forbidden_ok : bool
        Do not report forbidden pairs (for assignments made on other scores).

    Returns
    -------
    mentoring.model.AuditReport
        ``ok`` when every row has at most one valid column, no column is over capacity and no
        forbidden pair is used; ``problems`` lists each failure as a sentence.

    Examples
    --------
    >>> import numpy as np
    >>> report = audit_assignment(np.ones((3, 1)), [2], np.array([0, 0, 0]))
    >>> report.ok, report.problems
    (False, ('column 0 has 3 rows assigned but capacity 2',))
    """
    if sp.issparse(scores):
        csr = sp.csr_array(scores)
        n, m = csr.shape
    else:
        arr = np.asarray(scores, dtype=np.float64)
        if arr.ndim != 2:
            raise ValueError(f"expected a 2-D score matrix, got an array of shape {arr.shape}")
        n, m = arr.shape
    cap = np.ones(m, dtype=np.int64) if capacity is None else np.asarray(capacity)
    a = np.asarray(assignment)
    problems: list[str] = []
    checked = ["shape", "one column per row", "capacity"]
    if a.ndim != 1 or a.shape[0] != n:
        return AuditReport(
            ok=False,
            problems=(f"expected an assignment of {n} rows, got shape {a.shape}",),
            checked=("shape",),
        )
    if cap.shape != (m,):
        return AuditReport(
            ok=False,
            problems=(f"expected {m} capacities, got shape {cap.shape}",),
            checked=("shape",),
        )
    if not np.issubdtype(a.dtype, np.integer):
        problems.append(f"expected integer column indices, got dtype {a.dtype}")
        return AuditReport(ok=False, problems=tuple(problems), checked=("shape",))
    bad = np.flatnonzero((a < -1) | (a >= m))
    for i in bad[:20].tolist():
        problems.append(f"row {i} is assigned to column {int(a[i])}, which does not exist")
    valid = np.flatnonzero((a >= 0) & (a < m))
    load = np.bincount(a[valid], minlength=m)
    for j in np.flatnonzero(load > cap)[:20].tolist():
        problems.append(f"column {j} has {int(load[j])} rows assigned but capacity {int(cap[j])}")
    if not forbidden_ok:
        checked.append("no forbidden pair")
        if sp.issparse(scores):
            coo = sp.coo_array(csr)
            coo.sum_duplicates()
            stored = coo.row.astype(np.int64) * m + coo.col.astype(np.int64)
            order = np.argsort(stored, kind="stable")
            stored = stored[order]
            query = valid.astype(np.int64) * m + a[valid].astype(np.int64)
            if stored.size:
                pos = np.minimum(np.searchsorted(stored, query), stored.size - 1)
                present = stored[pos] == query
                values = np.asarray(coo.data, dtype=np.float64)[order][pos]
            else:
                present = np.zeros(query.size, dtype=bool)
                values = np.zeros(query.size)
            forbidden = ~present | np.isnan(values) | (values == -np.inf)
        else:
            values = arr[valid, a[valid]]
            forbidden = np.isnan(values) | (values == -np.inf)
        for i in valid[forbidden][:20].tolist():
            problems.append(f"row {i} is assigned to column {int(a[i])}, a forbidden pair")
    return AuditReport(ok=not problems, problems=tuple(problems), checked=tuple(checked))


_PEOPLE_NEEDED = (
    "member_id",
    "name",
    "role",
    "capacity",
    "institution",
    "past_partners",
    "languages",
    "timezone",
    "meeting_mode",
)
_PAIRS_NEEDED = ("mentee_id", "mentor_id", "score", "locked")
# Score and time-zone comparisons allow for float rounding in the code that produced them.
_TOLERANCE = 1e-9


def _institution(value: Any) -> str:
    return " ".join(str(value).lower().split()) if isinstance(value, str) else ""


def _tags(value: Any) -> frozenset[str]:
    if isinstance(value, tuple | list | set | frozenset):
        return frozenset(str(v) for v in value)
    return frozenset()


def _mode(value: Any) -> str:
    return value.strip().lower() if isinstance(value, str) else ""


def audit_result(people: pd.DataFrame, config: MatchConfig, result: MatchResult) -> AuditReport:
    """Check a match result pair by pair against the people table and the configuration.

    Every rule is recomputed here from ``people`` and ``config`` alone, independently of the code
    that made the match: each mentee at most once; mentor load within capacity (the ``capacity``
    column, else ``config.default_capacity``); no self pair; never both A->B and B->A; roles
    (mentee side mentee/both, mentor side mentor/both); no same institution (when
    ``forbid_same_institution``; case- and space-insensitive, both non-blank); no past partners
    (when ``forbid_repeat_pairs``; either side lists the other); a shared language (when
    ``require_shared_language``; both lists non-empty and disjoint is a violation); time zones
    within ``max_timezone_difference`` hours (both known); compatible meeting modes (when
    ``require_compatible_meeting_mode``; ``either`` or blank fits all); score at least
    ``min_score`` (locked pairs exempt); no forbidden pair; every locked pair whose members are
    both in ``people`` present.

    Parameters
    ----------
    people : pandas.DataFrame
        The people table (see :mod:`mentoring.model`).
    config : mentoring.model.MatchConfig
        The configuration the match was made with.
    result : mentoring.model.MatchResult
        Only ``result.pairs`` is read (columns mentee_id, mentor_id, score, locked).

    Returns
    -------
    mentoring.model.AuditReport
        ``ok`` when nothing is wrong; ``problems`` has one sentence per problem, naming the
        pair; ``checked`` names the rules that were checked.

    Raises
    ------
    ValueError
        When ``people`` or ``result.pairs`` lacks a column the audit needs.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> from mentoring.model import MatchConfig, empty_people
    >>> people = pd.concat([empty_people(), pd.DataFrame({
    ...     "member_id": ["e1", "r1"], "name": ["Eve", "Rui"], "role": ["mentee", "mentor"],
    ...     "institution": ["Tulane", "tulane "]})])
    >>> pairs = pd.DataFrame({"mentee_id": ["e1"], "mentor_id": ["r1"], "score": [0.5],
    ...                       "locked": [False]})
    >>> report = audit_result(people, MatchConfig(), SimpleNamespace(pairs=pairs))
    >>> report.ok
    False
    >>> print(report.problems[0])
    Eve (e1) is matched with mentor Rui (r1), but both are at the same institution ("Tulane").
    """
    missing = [c for c in _PEOPLE_NEEDED if c not in people.columns]
    if missing:
        raise ValueError(
            f"expected a people table with columns {', '.join(_PEOPLE_NEEDED)}, "
            f"got one without {', '.join(missing)}"
        )
    pairs = result.pairs
    missing = [c for c in _PAIRS_NEEDED if c not in pairs.columns]
    if missing:
        raise ValueError(
            f"expected result.pairs with columns {', '.join(_PAIRS_NEEDED)}, "
            f"got one without {', '.join(missing)}"
        )
    table = people.assign(member_id=people["member_id"].astype(str)).set_index("member_id")
    table = table[~table.index.duplicated(keep="first")]
    names = table["name"].astype(str).to_dict()
    # Plain dicts: a lookup per pair and rule must stay cheap for cohorts of 100,000 pairs.
    field = {c: table[c].to_dict() for c in _PEOPLE_NEEDED if c != "member_id"}
    problems: list[str] = []
    checked: list[str] = []

    def who(member_id: str) -> str:
        name = names.get(member_id, "")
        return f"{name} ({member_id})" if name and name != member_id else member_id

    def pair(e: str, r: str) -> str:
        return f"{who(e)} is matched with mentor {who(r)}"

    mentee = [str(x) for x in pairs["mentee_id"].tolist()]
    mentor = [str(x) for x in pairs["mentor_id"].tolist()]
    scores = pd.to_numeric(pairs["score"], errors="coerce").to_numpy(dtype=float)
    locked = pairs["locked"].fillna(False).astype(bool).to_numpy()
    rows = list(zip(mentee, mentor, strict=True))

    checked.append("members exist")
    known = [e in table.index and r in table.index for e, r in rows]
    for (e, r), ok in zip(rows, known, strict=True):
        if not ok:
            absent = " and ".join(x for x in (e, r) if x not in table.index)
            problems.append(f"{pair(e, r)}, but {absent} is not in the member list.")

    checked.append("each mentee at most once")
    counts = pd.Series(mentee, dtype=object).value_counts(sort=False)
    for e, n in counts[counts > 1].sort_index().items():
        partners = ", ".join(who(r) for x, r in rows if x == e)
        problems.append(f"{who(e)} is matched {n} times (with {partners}); keep only one.")

    checked.append("mentor capacity")
    loads = pd.Series(mentor, dtype=object).value_counts(sort=False).sort_index()
    for r, load in loads.items():
        if r not in table.index:
            continue
        cap = field["capacity"][r]
        cap = config.default_capacity if pd.isna(cap) else int(cap)
        if load > cap:
            problems.append(
                f"{who(r)} has {load} mentees but room for {cap}; "
                "move some of them or raise this mentor's capacity."
            )

    checked.append("no self pair")
    checked.append("not both ways")
    checked.append("roles")
    present = set(rows)
    for (e, r), ok in zip(rows, known, strict=True):
        if e == r:
            problems.append(f"{pair(e, r)}: that is the same person.")
        elif (r, e) in present and e < r:
            problems.append(f"{pair(e, r)}, and also the other way round; keep one direction.")
        if not ok:
            continue
        if field["role"][e] not in ("mentee", "both"):
            problems.append(f"{pair(e, r)}, but {who(e)} signed up as {field['role'][e]}.")
        if field["role"][r] not in ("mentor", "both"):
            problems.append(f"{pair(e, r)}, but {who(r)} signed up as {field['role'][r]}.")

    ok_rows = [(i, e, r) for i, ((e, r), ok) in enumerate(zip(rows, known, strict=True)) if ok]

    if config.forbid_same_institution:
        checked.append("not the same institution")
        for _, e, r in ok_rows:
            a, b = (
                _institution(field["institution"][e]),
                _institution(field["institution"][r]),
            )
            if a and a == b:
                shown = str(field["institution"][e]).strip()
                problems.append(f'{pair(e, r)}, but both are at the same institution ("{shown}").')

    if config.forbid_repeat_pairs:
        checked.append("not paired before")
        for _, e, r in ok_rows:
            if r in _tags(field["past_partners"][e]) or e in _tags(field["past_partners"][r]):
                problems.append(f"{pair(e, r)}, but they were paired before.")

    if config.require_shared_language:
        checked.append("a shared language")
        for _, e, r in ok_rows:
            a, b = _tags(field["languages"][e]), _tags(field["languages"][r])
            if a and b and not a & b:
                problems.append(f"{pair(e, r)}, but they share no language.")

    if config.max_timezone_difference is not None:
        limit = config.max_timezone_difference
        checked.append("time zones within the limit")
        for _, e, r in ok_rows:
            a = pd.to_numeric(field["timezone"][e], errors="coerce")
            b = pd.to_numeric(field["timezone"][r], errors="coerce")
            if pd.notna(a) and pd.notna(b) and abs(a - b) > limit + _TOLERANCE:
                problems.append(
                    f"{pair(e, r)}, but their time zones are {abs(a - b):g} hours apart "
                    f"(the limit is {limit:g})."
                )

    if config.require_compatible_meeting_mode:
        checked.append("compatible meeting modes")
        for _, e, r in ok_rows:
            a, b = _mode(field["meeting_mode"][e]), _mode(field["meeting_mode"][r])
            if a and b and "either" not in (a, b) and a != b:
                problems.append(f'{pair(e, r)}, but one wants "{a}" and the other "{b}".')

    if config.min_score > 0:
        checked.append("minimum score")
        for i, (e, r) in enumerate(rows):
            if not locked[i] and not scores[i] >= config.min_score - _TOLERANCE:
                problems.append(
                    f"{pair(e, r)} with score {scores[i]:.3f}, below the minimum score "
                    f"{config.min_score:.3f}."
                )

    checked.append("no forbidden pair")
    for e, r in config.forbidden_pairs:
        if (e, r) in present:
            problems.append(f"{pair(e, r)}, but the coordinator ruled this pair out.")

    checked.append("locked pairs kept")
    for e, r in config.locked_pairs:
        if e in table.index and r in table.index and (e, r) not in present:
            problems.append(
                f"{who(e)} was locked with mentor {who(r)}, but that pair is missing from the "
                "result."
            )

    return AuditReport(ok=not problems, problems=tuple(problems), checked=tuple(checked))
