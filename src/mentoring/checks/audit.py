"""Independent checks of an assignment: at matrix level and at the level of named pairs.

The audit never trusts the code that produced an answer: :func:`audit_assignment` re-reads the
score matrix and capacities, and :func:`audit_result` recomputes every rule from the people table
and the configuration alone (it deliberately imports nothing from :mod:`mentoring.engine`).

:func:`audit_result` runs the table :data:`CHECKS`: one small function per rule, each taking an
:class:`_AuditContext` (the people lookups, the configuration and the pairs, built once) and
returning its violations as sentences, so that every rule can be tested on its own.

>>> import numpy as np
>>> audit_assignment(np.array([[1.0, np.nan]]), [1, 1], np.array([1])).ok
False
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import scipy.sparse as sp

from mentoring.model.config import MatchConfig
from mentoring.model.questions import Criterion, criterion_from_dict, decode_acceptability
from mentoring.model.results import AuditReport, MatchResult

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
    matrix: Any
    if sp.issparse(scores):
        matrix = sp.csr_array(scores)
    else:
        matrix = np.asarray(scores, dtype=np.float64)
        if matrix.ndim != 2:
            raise ValueError(f"expected a 2-D score matrix, got an array of shape {matrix.shape}")
    n, m = matrix.shape
    cap = np.ones(m, dtype=np.int64) if capacity is None else np.asarray(capacity)
    a = np.asarray(assignment)
    wrong_shape = _shape_problem(n, m, a, cap)
    if wrong_shape:
        return AuditReport(ok=False, problems=(wrong_shape,), checked=("shape",))
    problems: list[str] = []
    checked = ["shape", "one column per row", "capacity"]
    bad = np.flatnonzero((a < -1) | (a >= m))
    for i in bad[:20].tolist():
        problems.append(f"row {i} is assigned to column {int(a[i])}, which does not exist")
    valid = np.flatnonzero((a >= 0) & (a < m))
    load = np.bincount(a[valid], minlength=m)
    for j in np.flatnonzero(load > cap)[:20].tolist():
        problems.append(f"column {j} has {int(load[j])} rows assigned but capacity {int(cap[j])}")
    if not forbidden_ok:
        checked.append("no forbidden pair")
        forbidden = _forbidden(matrix, valid, a[valid])
        for i in valid[forbidden][:20].tolist():
            problems.append(f"row {i} is assigned to column {int(a[i])}, a forbidden pair")
    return AuditReport(ok=not problems, problems=tuple(problems), checked=tuple(checked))


def _shape_problem(n: int, m: int, a: np.ndarray, cap: np.ndarray) -> str | None:
    """Why an assignment or capacity vector does not fit an ``n`` by ``m`` matrix, if it does not."""
    if a.ndim != 1 or a.shape[0] != n:
        return f"expected an assignment of {n} rows, got shape {a.shape}"
    if cap.shape != (m,):
        return f"expected {m} capacities, got shape {cap.shape}"
    if not np.issubdtype(a.dtype, np.integer):
        return f"expected integer column indices, got dtype {a.dtype}"
    return None


def _forbidden(matrix: Any, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Whether each (row, column) is forbidden: ``NaN`` or ``-inf``, or (sparse) not stored."""
    if not sp.issparse(matrix):
        values = matrix[rows, cols]
        return np.isnan(values) | (values == -np.inf)
    m = matrix.shape[1]
    coo = sp.coo_array(matrix)
    coo.sum_duplicates()
    stored = coo.row.astype(np.int64) * m + coo.col.astype(np.int64)
    order = np.argsort(stored, kind="stable")
    stored = stored[order]
    query = rows.astype(np.int64) * m + cols.astype(np.int64)
    if stored.size:
        pos = np.minimum(np.searchsorted(stored, query), stored.size - 1)
        present = stored[pos] == query
        values = np.asarray(coo.data, dtype=np.float64)[order][pos]
    else:
        present = np.zeros(query.size, dtype=bool)
        values = np.zeros(query.size)
    result: np.ndarray = ~present | np.isnan(values) | (values == -np.inf)
    return result


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


# Read when present: tables made before mentees could have several mentors lack them.
_PEOPLE_OPTIONAL = ("mentee_capacity", "tracks_wanted", "tracks_offered")


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


def _require_columns(frame: pd.DataFrame, needed: tuple[str, ...], what: str) -> None:
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ValueError(
            f"expected {what} with columns {', '.join(needed)}, "
            f"got one without {', '.join(missing)}"
        )


@dataclass(frozen=True, eq=False)
class _AuditContext:
    """Everything the checks read, built once per audit from plain Python containers.

    Plain dicts and sets: a lookup per pair and rule must stay cheap for 100,000 pairs.

    Attributes
    ----------
    config : mentoring.model.config.MatchConfig
        The configuration the match was made with.
    names : dict of str to str
        Member id to display name (the first row of a duplicated id wins).
    field : dict of str to dict
        People column (every one in ``_PEOPLE_NEEDED`` but ``member_id``, and those of
        ``_PEOPLE_OPTIONAL``, empty when the table lacks them) to a dict from member id to that
        member's value; ``timezone`` values are already numeric (``NaN`` if unknown).
    members : frozenset of str
        Every member id in the people table.
    rows : tuple of (str, str)
        The (mentee id, mentor id) of each pair, in the order of ``result.pairs``.
    known : tuple of (str, str)
        The rows whose two members are both in ``members``, in the same order.
    present : frozenset of (str, str)
        The distinct rows.
    scores : numpy.ndarray of float
        The score of each row (``NaN`` when not a number).
    locked : numpy.ndarray of bool
        Whether each row is a locked pair.
    criteria : tuple of Criterion
        The form's criteria (``config.criteria``, else ``people.attrs["criteria"]``) whose
        columns the people table has.
    answers : dict of str to dict
        Each of their people columns to a dict from member id to that member's answer.
    """

    config: MatchConfig
    names: dict[str, str]
    field: dict[str, dict[str, Any]]
    members: frozenset[str]
    rows: tuple[tuple[str, str], ...]
    known: tuple[tuple[str, str], ...]
    present: frozenset[tuple[str, str]]
    scores: np.ndarray
    locked: np.ndarray
    criteria: tuple[Criterion, ...] = ()
    answers: dict[str, dict[str, Any]] | None = None

    @classmethod
    def build(cls, people: pd.DataFrame, config: MatchConfig, pairs: pd.DataFrame) -> _AuditContext:
        """Check the columns and turn ``people`` and ``pairs`` into lookups (see the class)."""
        _require_columns(people, _PEOPLE_NEEDED, "a people table")
        _require_columns(pairs, _PAIRS_NEEDED, "result.pairs")
        ids = people["member_id"].astype(str)
        first = ~ids.duplicated(keep="first").to_numpy()
        table = people.loc[first, list(_PEOPLE_NEEDED[1:])]
        ids_kept = ids[first].tolist()

        def lookup(column: pd.Series) -> dict[str, Any]:
            return dict(zip(ids_kept, column.tolist(), strict=True))

        field = {c: lookup(table[c]) for c in _PEOPLE_NEEDED[1:]}
        field["timezone"] = lookup(pd.to_numeric(table["timezone"], errors="coerce"))
        for column in _PEOPLE_OPTIONAL:
            present = column in people.columns
            field[column] = lookup(people.loc[first, column]) if present else {}
        members = frozenset(ids_kept)
        mentee = [str(x) for x in pairs["mentee_id"].tolist()]
        mentor = [str(x) for x in pairs["mentor_id"].tolist()]
        rows = tuple(zip(mentee, mentor, strict=True))
        criteria = tuple(
            c
            for c in (
                config.criteria
                or tuple(criterion_from_dict(c) for c in people.attrs.get("criteria", ()) or ())
            )
            if all(column in people.columns for column in c.columns)
        )
        columns = sorted({column for c in criteria for column in c.columns})
        answers = {
            c: dict(zip(ids_kept, people.loc[first, c].tolist(), strict=True)) for c in columns
        }
        return cls(
            config=config,
            names=lookup(table["name"].astype(str)),
            field=field,
            members=members,
            rows=rows,
            known=tuple((e, r) for e, r in rows if e in members and r in members),
            present=frozenset(rows),
            scores=pd.to_numeric(pairs["score"], errors="coerce").to_numpy(dtype=float),
            locked=pairs["locked"].fillna(False).astype(bool).to_numpy(),
            criteria=criteria,
            answers=answers,
        )

    def who(self, member_id: str) -> str:
        """``Name (id)``, or the bare id when the name is blank, equal to it or unknown."""
        name = self.names.get(member_id, "")
        return f"{name} ({member_id})" if name and name != member_id else member_id

    def pair(self, mentee: str, mentor: str) -> str:
        """The start of a sentence about one pair."""
        return f"{self.who(mentee)} is matched with mentor {self.who(mentor)}"


def _members_exist(ctx: _AuditContext) -> list[str]:
    """Both members of every pair are in the people table."""
    out = []
    for e, r in ctx.rows:
        if e not in ctx.members or r not in ctx.members:
            absent = " and ".join(x for x in (e, r) if x not in ctx.members)
            out.append(f"{ctx.pair(e, r)}, but {absent} is not in the member list.")
    return out


def _track_set(value: Any) -> frozenset[str]:
    """Tracks as a set: a tuple of tags, or text separated by ``;`` or ``|``."""
    if isinstance(value, str):
        return frozenset(" ".join(p.casefold().split()) for p in re.split(r"[;|\n]", value)) - {""}
    return _tags(value)


def _mentors_allowed(ctx: _AuditContext, mentee: str) -> int:
    """A mentee's number of mentors: ``mentee_capacity``, else one per track wanted, else the
    configured default."""
    cap = ctx.field["mentee_capacity"].get(mentee)
    if cap is not None and not pd.isna(cap):
        return int(cap)
    wanted = _track_set(ctx.field["tracks_wanted"].get(mentee))
    return len(wanted) if wanted else ctx.config.default_mentee_capacity


def _mentee_capacity(ctx: _AuditContext) -> list[str]:
    """No pair twice, and no known mentee has more mentors than they take (reported once per
    mentee, in id order)."""
    partners: dict[str, list[str]] = {}
    for e, r in ctx.rows:
        partners.setdefault(e, []).append(r)
    caps = ctx.field["mentee_capacity"]
    found: list[tuple[str, str]] = []
    for e, rs in partners.items():
        if len(rs) == 1:
            # Every mentee takes at least one mentor unless their own column says fewer.
            cap = caps.get(e)
            if cap is None or pd.isna(cap) or int(cap) >= 1 or e not in ctx.members:
                continue
        repeated = sorted({r for r in rs if rs.count(r) > 1})
        for r in repeated:
            found.append((e, f"{ctx.pair(e, r)} {rs.count(r)} times; keep the pair once."))
        allowed = _mentors_allowed(ctx, e) if e in ctx.members else 1
        if len(rs) <= allowed:
            continue
        with_whom = ", ".join(ctx.who(r) for r in rs)
        if allowed <= 0:
            found.append(
                (
                    e,
                    f"{ctx.who(e)} takes no mentor but is matched with {with_whom}; remove "
                    + ("the pair." if len(rs) == 1 else "these pairs."),
                )
            )
        elif allowed <= 1:
            found.append(
                (e, f"{ctx.who(e)} is matched {len(rs)} times (with {with_whom}); keep only one.")
            )
        else:
            found.append(
                (
                    e,
                    f"{ctx.who(e)} has {len(rs)} mentors ({with_whom}) but takes at most "
                    f"{allowed}; keep only {allowed}.",
                )
            )
    # In mentee id order, each mentee's problems as found: a stable sort of the few found.
    return [problem for _, problem in sorted(found, key=lambda item: item[0])]


def _tracks_kept(ctx: _AuditContext) -> list[str]:
    """A mentee who wants tracks shares one with each mentor (a mentor naming none offers every
    track), and their mentors can each count under a different track."""
    mine: dict[str, list[str]] = {}
    for e, r in ctx.known:
        mine.setdefault(e, []).append(r)
    out = []
    wants = {e: _track_set(ctx.field["tracks_wanted"].get(e)) for e in mine}
    # Mentees who want tracks, in id order: most want none, and are passed over unsorted.
    for e in sorted(e for e, wanted in wants.items() if wanted):
        rs, wanted = mine[e], wants[e]
        options = []
        for r in rs:
            offered = _track_set(ctx.field["tracks_offered"].get(r)) or wanted
            shared = wanted & offered
            if not shared:
                out.append(
                    f"{ctx.pair(e, r)}, but they share no kind of mentoring (the mentee wants "
                    f"{', '.join(sorted(wanted))}; the mentor offers {', '.join(sorted(offered))})."
                )
            options.append(shared)
        if all(options) and not _distinct_tracks(options):
            out.append(
                f"{ctx.who(e)} has {len(rs)} mentors but they cannot each count under a "
                f"different one of the tracks wanted ({', '.join(sorted(wanted))}); keep one "
                "mentor per track."
            )
    return out


def _distinct_tracks(options: list[frozenset[str]]) -> bool:
    """Whether each entry can take a different track from its set (augmenting paths)."""
    owner: dict[str, int] = {}

    def place(k: int, seen: set[str]) -> bool:
        for t in sorted(options[k]):
            if t not in seen:
                seen.add(t)
                if t not in owner or place(owner[t], seen):
                    owner[t] = k
                    return True
        return False

    return all(place(k, set()) for k in range(len(options)))


def _mentees_allowed(ctx: _AuditContext, mentor: str) -> int:
    """A mentor's number of mentees: ``capacity``, else the configured default."""
    cap = ctx.field["capacity"][mentor]
    return ctx.config.default_capacity if pd.isna(cap) else int(cap)


def _mentor_capacity(ctx: _AuditContext) -> list[str]:
    """No known mentor has more mentees than the ``capacity`` column (else the default) allows."""
    loads: dict[str, int] = {}
    for _, r in ctx.rows:
        loads[r] = loads.get(r, 0) + 1
    out = []
    for r, load in sorted(loads.items()):
        if r not in ctx.members:
            continue
        cap = _mentees_allowed(ctx, r)
        if load > cap:
            out.append(
                f"{ctx.who(r)} has {load} mentees but room for {cap}; "
                "move some of them or raise this mentor's capacity."
            )
    return out


def _no_self_pair(ctx: _AuditContext) -> list[str]:
    """Nobody is paired with themself."""
    return [f"{ctx.pair(e, r)}: that is the same person." for e, r in ctx.rows if e == r]


def _not_both_ways(ctx: _AuditContext) -> list[str]:
    """Never both A->B and B->A (reported on the direction whose mentee id sorts first)."""
    return [
        f"{ctx.pair(e, r)}, and also the other way round; keep one direction."
        for e, r in ctx.rows
        if e < r and (r, e) in ctx.present
    ]


def _roles(ctx: _AuditContext) -> list[str]:
    """The mentee side signed up as mentee or both, the mentor side as mentor or both."""
    role = ctx.field["role"]
    out = []
    for e, r in ctx.known:
        if role[e] not in ("mentee", "both"):
            out.append(f"{ctx.pair(e, r)}, but {ctx.who(e)} signed up as {role[e]}.")
        if role[r] not in ("mentor", "both"):
            out.append(f"{ctx.pair(e, r)}, but {ctx.who(r)} signed up as {role[r]}.")
    return out


def _same_institution(ctx: _AuditContext) -> list[str]:
    """Not both at the same institution (case- and space-insensitive, both non-blank)."""
    institution = ctx.field["institution"]
    out = []
    for e, r in ctx.known:
        a, b = _institution(institution[e]), _institution(institution[r])
        if a and a == b:
            shown = str(institution[e]).strip()
            out.append(f'{ctx.pair(e, r)}, but both are at the same institution ("{shown}").')
    return out


def _paired_before(ctx: _AuditContext) -> list[str]:
    """Not past partners (either side lists the other)."""
    past = ctx.field["past_partners"]
    return [
        f"{ctx.pair(e, r)}, but they were paired before."
        for e, r in ctx.known
        if r in _tags(past[e]) or e in _tags(past[r])
    ]


def _shared_language(ctx: _AuditContext) -> list[str]:
    """A shared language when both list some."""
    languages = ctx.field["languages"]
    out = []
    for e, r in ctx.known:
        a, b = _tags(languages[e]), _tags(languages[r])
        if a and b and not a & b:
            out.append(f"{ctx.pair(e, r)}, but they share no language.")
    return out


def _timezone_limit(ctx: _AuditContext) -> list[str]:
    """Time zones at most ``max_timezone_difference`` hours apart when both are known."""
    limit = ctx.config.max_timezone_difference
    if limit is None:
        return []
    timezone = ctx.field["timezone"]
    out = []
    for e, r in ctx.known:
        a, b = timezone[e], timezone[r]
        if pd.notna(a) and pd.notna(b) and abs(a - b) > limit + _TOLERANCE:
            out.append(
                f"{ctx.pair(e, r)}, but their time zones are {abs(a - b):g} hours apart "
                f"(the limit is {limit:g})."
            )
    return out


def _meeting_mode(ctx: _AuditContext) -> list[str]:
    """Compatible meeting modes: equal, or either side ``either`` or blank."""
    mode = ctx.field["meeting_mode"]
    out = []
    for e, r in ctx.known:
        a, b = _mode(mode[e]), _mode(mode[r])
        if a and b and "either" not in (a, b) and a != b:
            out.append(f'{ctx.pair(e, r)}, but one wants "{a}" and the other "{b}".')
    return out


def _minimum_score(ctx: _AuditContext) -> list[str]:
    """Every pair not locked scores at least ``min_score`` (a missing score fails)."""
    floor = ctx.config.min_score
    return [
        f"{ctx.pair(e, r)} with score {score:.3f}, below the minimum score {floor:.3f}."
        for (e, r), score, locked in zip(ctx.rows, ctx.scores.tolist(), ctx.locked, strict=True)
        if not locked and not score >= floor - _TOLERANCE
    ]


def _forbidden_pairs(ctx: _AuditContext) -> list[str]:
    """No pair the coordinator ruled out (``config.forbidden_pairs``)."""
    return [
        f"{ctx.pair(e, r)}, but the coordinator ruled this pair out."
        for e, r in ctx.config.forbidden_pairs
        if (e, r) in ctx.present
    ]


def _locked_pairs_kept(ctx: _AuditContext) -> list[str]:
    """Every locked pair whose two members are in the people table is in the result, unless it
    could not be kept: a rule refuses the pair on its own, or the locked pairs kept before it in
    the list fill the mentee's or the mentor's places (the match says so among its issues)."""
    out = []
    mentors_of: dict[str, int] = {}
    mentees_of: dict[str, int] = {}
    for e, r in ctx.config.locked_pairs:
        if e not in ctx.members or r not in ctx.members:
            continue
        if (e, r) in ctx.present:
            mentors_of[e] = mentors_of.get(e, 0) + 1
            mentees_of[r] = mentees_of.get(r, 0) + 1
            continue
        full = mentors_of.get(e, 0) >= _mentors_allowed(ctx, e)
        full = full or mentees_of.get(r, 0) >= _mentees_allowed(ctx, r)
        if full or _refused_alone(ctx, e, r):
            continue
        out.append(
            f"{ctx.who(e)} was locked with mentor {ctx.who(r)}, but that pair is missing from "
            "the result."
        )
    return out


# The checks that judge a pair on its own, without the rest of the result.
_PAIR_RULES = frozenset(
    {
        "no self pair",
        "roles",
        "not the same institution",
        "not paired before",
        "a shared language",
        "time zones within the limit",
        "compatible meeting modes",
        "no forbidden pair",
        "no answered No on the form",
        "levels within the allowed range",
        "tracks",
    }
)


def _refused_alone(ctx: _AuditContext, mentee: str, mentor: str) -> bool:
    """Whether a rule in force refuses the pair (mentee, mentor) as the only pair of a result."""
    pair = (mentee, mentor)
    alone = replace(
        ctx,
        rows=(pair,),
        known=(pair,),
        present=frozenset({pair}),
        scores=np.array([np.nan]),
        locked=np.array([True]),
    )
    return any(
        check.run(alone)
        for check in CHECKS
        if check.name in _PAIR_RULES and check.applies(ctx.config)
    )


def _answer(value: Any) -> str:
    """A ``same``-style answer, folded; ``""`` when blank."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return " ".join(str(value).casefold().split())


def _grid_levels(value: Any) -> dict[str, int]:
    return decode_acceptability(value) if isinstance(value, tuple | list) else {}


def _level(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _level_name(c: Criterion, value: Any) -> str:
    number = _level(value)
    if number.is_integer() and 0 <= number < len(c.levels):
        return str(c.levels[int(number)])
    return f"{number:g}"


def _allowed(c: Criterion) -> str:
    if c.max_above is None:
        return f"the form asks for at least {c.min_above}"
    if c.min_above is None:
        return f"the form allows at most {c.max_above}"
    return f"the form asks for {c.min_above} to {c.max_above}"


def _acceptability_no(ctx: _AuditContext) -> list[str]:
    """Nobody is paired against a "No" they gave on an acceptability grid of the form.

    A grid about the other's attribute (the mentee's grid about the mentor, or with ``reverse``
    the mentor's about the mentee) must not rate that attribute "No" (level 0); with ``joint``,
    when both answered the grid, some option must be rated above "No" by both.
    """
    answers = ctx.answers or {}
    out = []
    for c in ctx.criteria:
        if c.kind != "acceptability":
            continue
        for e, r in ctx.known:
            if c.joint:
                mine = _grid_levels(answers[c.mentee_column][e])
                theirs = _grid_levels(answers[c.mentor_column][r])
                if (
                    mine
                    and theirs
                    and not any(
                        level >= 1 and theirs.get(option, 0) >= 1 for option, level in mine.items()
                    )
                ):
                    out.append(f"{ctx.pair(e, r)}, but they accept no {c.label} in common.")
                continue
            who, grid, about = (
                (e, answers[c.mentee_column][e], answers[c.mentor_column][r])
                if not c.reverse
                else (r, answers[c.mentor_column][r], answers[c.mentee_column][e])
            )
            option = _answer(about)
            if option and _grid_levels(grid).get(option) == 0:
                shown = " ".join(str(about).split())
                out.append(
                    f'{ctx.pair(e, r)}, but {ctx.who(who)} answered No to "{shown}" for {c.label}.'
                )
    return out


def _level_bounds(ctx: _AuditContext) -> list[str]:
    """Ordered answers (a grade) keep the mentor ``min_above`` to ``max_above`` levels above."""
    answers = ctx.answers or {}
    out = []
    for c in ctx.criteria:
        if c.kind != "ordinal" or (c.min_above is None and c.max_above is None):
            continue
        for e, r in ctx.known:
            gap = _level(answers[c.mentor_column][r]) - _level(answers[c.mentee_column][e])
            if gap != gap:
                continue
            low = c.min_above is not None and gap < c.min_above - _TOLERANCE
            high = c.max_above is not None and gap > c.max_above + _TOLERANCE
            if low or high:
                out.append(
                    f"{ctx.pair(e, r)}, but the mentor's {c.label} "
                    f"({_level_name(c, answers[c.mentor_column][r])}) is {gap:g} level"
                    f"{'' if abs(gap) == 1 else 's'} above the mentee's "
                    f"({_level_name(c, answers[c.mentee_column][e])}); {_allowed(c)}."
                )
    return out


def _always(config: MatchConfig) -> bool:
    return True


class _Check(NamedTuple):
    """One rule of :func:`audit_result`: its name in ``AuditReport.checked``, the function that
    lists its violations, and whether the configuration asks for it."""

    name: str
    run: Callable[[_AuditContext], list[str]]
    applies: Callable[[MatchConfig], bool] = _always


CHECKS: tuple[_Check, ...] = (
    _Check("members exist", _members_exist),
    _Check("mentee capacity", _mentee_capacity),
    _Check("mentor capacity", _mentor_capacity),
    _Check("no self pair", _no_self_pair),
    _Check("not both ways", _not_both_ways),
    _Check("roles", _roles),
    _Check("not the same institution", _same_institution, lambda c: c.forbid_same_institution),
    _Check("not paired before", _paired_before, lambda c: c.forbid_repeat_pairs),
    _Check("a shared language", _shared_language, lambda c: c.require_shared_language),
    _Check(
        "time zones within the limit",
        _timezone_limit,
        lambda c: c.max_timezone_difference is not None,
    ),
    _Check("compatible meeting modes", _meeting_mode, lambda c: c.require_compatible_meeting_mode),
    _Check("minimum score", _minimum_score, lambda c: c.min_score > 0),
    _Check("no forbidden pair", _forbidden_pairs),
    _Check("no answered No on the form", _acceptability_no),
    _Check("levels within the allowed range", _level_bounds),
    _Check("tracks", _tracks_kept),
    _Check("locked pairs kept", _locked_pairs_kept),
)
"""The rules :func:`audit_result` runs, in order: ``(name, run, applies)``; ``run`` takes an
:class:`_AuditContext` and returns one sentence per violation, ``applies`` takes the
configuration and says whether the rule is checked at all."""


def audit_result(people: pd.DataFrame, config: MatchConfig, result: MatchResult) -> AuditReport:
    """Check a match result pair by pair against the people table and the configuration.

    Every rule is recomputed here from ``people`` and ``config`` alone, independently of the code
    that made the match: both members of each pair in ``people``; no pair twice and each mentee
    within their number of mentors (``mentee_capacity``, else one per track in
    ``tracks_wanted``, else ``config.default_mentee_capacity``);
    mentor load within capacity (the ``capacity`` column, else ``config.default_capacity``); no
    self pair; never both A->B and B->A; roles (mentee side mentee/both, mentor side
    mentor/both); no same institution (when ``forbid_same_institution``; case- and
    space-insensitive, both non-blank); no past partners (when ``forbid_repeat_pairs``; either
    side lists the other); a shared language (when ``require_shared_language``; both lists
    non-empty and disjoint is a violation); time zones within ``max_timezone_difference`` hours
    (both known); compatible meeting modes (when ``require_compatible_meeting_mode``; ``either``
    or blank fits all); score at least ``min_score`` (locked pairs exempt); no forbidden pair;
    no pair against a "No" on an acceptability grid of the form and ordered levels within
    ``min_above``/``max_above`` (the criteria of ``config.criteria``, else of
    ``people.attrs["criteria"]``); tracks (a mentee who names ``tracks_wanted`` shares one with
    each mentor, whose blank ``tracks_offered`` means every track, and the mentors can each
    count under a different track); every locked pair whose members are both in ``people``
    present, unless one of those rules refuses it alone or earlier locked pairs fill its
    mentee's or mentor's places (the match reports such a lock among its issues). Each rule is
    one entry of
    :data:`CHECKS`, run in that order.

    Parameters
    ----------
    people : pandas.DataFrame
        The people table (see :mod:`mentoring.model.people`).
    config : mentoring.model.config.MatchConfig
        The configuration the match was made with.
    result : mentoring.model.results.MatchResult
        Only ``result.pairs`` is read (columns mentee_id, mentor_id, score, locked).

    Returns
    -------
    mentoring.model.results.AuditReport
        ``ok`` when nothing is wrong; ``problems`` has one sentence per problem, naming the
        pair, grouped by rule in the order of :data:`CHECKS`; ``checked`` names the rules that
        were checked.

    Raises
    ------
    ValueError
        When ``people`` or ``result.pairs`` lacks a column the audit needs.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> from mentoring.model.config import MatchConfig
    >>> from mentoring.model.people import empty_people
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
    ctx = _AuditContext.build(people, config, result.pairs)
    checks = [check for check in CHECKS if check.applies(config)]
    problems = [sentence for check in checks for sentence in check.run(ctx)]
    return AuditReport(
        ok=not problems, problems=tuple(problems), checked=tuple(c.name for c in checks)
    )
