"""The one place the command line, the app and batch users call: load, score, match, explain.

>>> from mentoring.model.people import empty_people
>>> people = pd.concat([empty_people(), pd.DataFrame({
...     "member_id": ["e1", "e2", "r1"], "name": ["Eve", "Eli", "Rui"],
...     "role": ["mentee", "mentee", "mentor"], "capacity": [pd.NA, pd.NA, 2],
...     "interests": [("archives",), ("outreach",), ("archives", "outreach")]})])
>>> result = match(people, MatchConfig())
>>> result.pairs[["mentee_id", "mentor_id"]].values.tolist()
[['e2', 'r1'], ['e1', 'r1']]
>>> result.audit.ok
True
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from mentoring.checks.audit import audit_assignment, audit_result
from mentoring.engine import twoway
from mentoring.engine.assign import _ranges, solve
from mentoring.engine.cohort import (
    ScoredCohort,
    _locks,
    _masked_estimate,
    _masked_rows,
    _masked_scores,
    score_people,
)
from mentoring.engine.criteria import criterion_key
from mentoring.engine.fused import Ahead, prepare_estimate
from mentoring.engine.objectives import blocking_pairs, group_gap, pair_value, split_locked
from mentoring.engine.places import Places, mentee_places, solve_places
from mentoring.engine.rules import RULE_LABELS, rule_blocks
from mentoring.engine.scan import Scan, block_rows, fill_best
from mentoring.engine.scoring import Features, build_features, score_block, score_pairs
from mentoring.engine.twoway import Mirror, Reassign
from mentoring.model.collector import collector_paused
from mentoring.model.config import COMPONENTS, OBJECTIVES, MatchConfig
from mentoring.model.errors import Issue, MentoringError
from mentoring.model.people import prepare_people
from mentoring.model.results import (
    ALTERNATIVE_COLUMNS,
    PAIR_COLUMNS,
    UNMATCHED_COLUMNS,
    AuditReport,
    Deferred,
    MatchResult,
    MatchStats,
)
from mentoring.outputs.explain import (
    mentee_unmatched_reason,
    mentor_unmatched_reason,
    prepare_reasons,
    reasons_for_pairs,
)
from mentoring.outputs.graph import candidate_graph

if TYPE_CHECKING:
    from mentoring.engine.goals import GoalSolution

__all__ = ["DENSE_PAIR_LIMIT", "load_people", "match"]

DENSE_PAIR_LIMIT = 4_000_000
"""Above this many mentee x mentor pairs, ``match`` never builds the full score matrix: it
scores in row blocks, solves on the best candidates and certifies the answer (see ``solve``)."""


_GRAPH_EDGE_LIMIT = 60_000


# No picture shows more members than this; above it the result has no graph (its documented
# None), which at 200,000 members saves half a minute and a gigabyte of networkx objects.
_GRAPH_NODE_LIMIT = 20_000


# Threads scoring blocks of a large cohort, one per core up to four (more were not measured):
# numpy releases the interpreter lock in the products that dominate scoring.
_SCORE_THREADS = min(4, os.cpu_count() or 1)


Progress = Callable[[float, str], None]


def load_people(
    sources: Any,
    *,
    mapping: dict[str, str] | None = None,
    roles: dict[str, str] | None = None,
    sheet: str | None = None,
    duplicates: str = "report",
    progress: Progress | None = None,
) -> tuple[pd.DataFrame, list[Issue]]:
    """Read member files into the people table and the list of problems found.

    Parameters
    ----------
    sources : path, ``(name, bytes)``, binary file-like, or a list of them
        CSV or XLSX member exports.
    mapping : dict, optional
        Explicit header -> field mapping; overrides the guess.
    roles : dict, optional
        ``{file name: "mentor" | "mentee"}`` for files that hold one side only.
    sheet : str, optional
        The worksheet to read from workbooks.
    duplicates : {"report", "keep_first"}
        Whether a repeated member is an error (blocks matching) or a warning.
    progress : callable, optional
        Called as ``progress(fraction, message)`` while reading, for a progress bar.

    Returns
    -------
    (people, issues)
        Rows read = rows kept + rows reported: nobody is dropped without an issue naming them.

    Raises
    ------
    LoadError
        When a file cannot be used at all, with a sentence saying what to do.

    Examples
    --------
    >>> people, issues = load_people([("m.csv", b"id,name,role\\n1,Ana,mentor\\n2,Ben,mentee\\n")])
    >>> people[["member_id", "role"]].values.tolist()
    [['1', 'mentor'], ['2', 'mentee']]
    """
    from mentoring.reading.loader import load_members

    report = load_members(
        sources,
        mapping=mapping,
        roles=roles,
        sheet=sheet,
        duplicates=duplicates,
        progress=progress,
    )
    return report.people, list(report.issues)


def match(
    people: pd.DataFrame,
    config: MatchConfig | None = None,
    *,
    progress: Progress | None = None,
) -> MatchResult:
    """Find the optimal set of pairs for a cohort, with reasons, alternatives and an audit.

    Parameters
    ----------
    people : pandas.DataFrame
        The people table (see :func:`load_people`).
    config : MatchConfig, optional
        Weights, rules and objective (default: ``MatchConfig()``).
    progress : callable, optional
        Called as ``progress(fraction, message)`` while working, for a progress bar.

    Returns
    -------
    MatchResult

    Examples
    --------
    >>> from mentoring.reading.synthetic import random_people
    >>> result = match(random_people(20, 8, seed=1), MatchConfig(objective="quality"))
    >>> result.stats.n_matched, result.audit.ok, list(result.pairs.columns[:2])
    (20, True, ['mentee_id', 'mentee_name'])
    """
    started = time.perf_counter()
    config = config or MatchConfig()
    tell = progress or (lambda fraction, message: None)
    # Explaining makes a record per member and reasons, rows and graph edges per pair, all alive
    # until the result is returned.
    with collector_paused():
        return _match(people, config, tell, started)


def _match(
    people: pd.DataFrame, config: MatchConfig, tell: Progress, started: float
) -> MatchResult:
    """:func:`match`, with its arguments checked and its defaults filled in."""
    tell(0.0, "Reading the member table")
    people = prepare_people(people)
    features = build_features(people, config)
    n_mentees, n_mentors = features.shape
    coverage = config.objective != "quality"
    scan = Scan(n_mentees, n_mentors, config.n_alternatives + 1)
    if _several_mentors(people, config):
        places = mentee_places(people, features, config)
        if places.several:
            several, cohort, issues = _match_several(
                _Inputs(people, config, features, (), scan, None, started), places, tell
            )
            tell(0.8, "Explaining the pairs")
            result = _result(
                _Inputs(people, config, features, tuple(issues), scan, cohort, started), several
            )
            tell(1.0, "Done")
            return result
    lock_rows, lock_cols, issues = _locks(features, config, people)
    capacity_left = features.capacity - np.bincount(lock_cols, minlength=n_mentors)
    tell(0.1, "Scoring pairs")

    goal_solution = None
    certified, bound = True, math.nan
    cohort = None
    needs_dense = config.objective in ("egalitarian", "stable") or bool(config.goals)
    if needs_dense or n_mentees * n_mentors <= DENSE_PAIR_LIMIT:
        cohort = score_people(people, config)
        scan.record(np.arange(n_mentees), cohort.scores)
        if needs_dense:
            assignment, goal_solution = _assign_special(cohort, config)
            # A goal program stopped by its time limit has an answer, not a proof.
            certified = goal_solution is None or goal_solution.gap == 0
        else:
            free = cohort.scores.copy()
            free[lock_rows, :] = -np.inf

            def solve_with(extra: list[tuple[int, int]]) -> np.ndarray:
                scores = free
                if extra:
                    scores = free.copy()
                    scores[tuple(np.array(extra).T)] = -np.inf
                return solve(scores, capacity_left, priority=features.priority, coverage=coverage)

            def scores_of(a: np.ndarray) -> np.ndarray:
                rows = np.flatnonzero(a >= 0)
                return cohort.scores[rows, a[rows]]

            tell(0.4, "Finding the optimal pairs")
            found = twoway.solve_without_two_way(
                Mirror.of(features.mentee_ids, features.mentor_ids),
                solve_with,
                scores_of,
                lambda r, c: free[r, c],
                features.priority,
                coverage,
            )
            assignment, certified = found.assignment, found.finished
            assignment[lock_rows] = lock_cols
            audit_assignment(cohort.scores, features.capacity, assignment).raise_if_failed()
            bound = float(scores_of(assignment).sum()) if certified else found.relaxed_total
    else:
        assignment, certified, bound = _match_large(
            features, config, lock_rows, lock_cols, capacity_left, coverage, tell, scan
        )
    tell(0.8, "Explaining the pairs")
    result = _result(
        _Inputs(people, config, features, tuple(issues), scan, cohort, started),
        _Solution.of(assignment, lock_rows, lock_cols, certified, bound, goal_solution),
    )
    tell(1.0, "Done")
    return result


def _several_mentors(people: pd.DataFrame, config: MatchConfig) -> bool:
    """Whether any mentee may take more than one mentor, or tracks are named (a quick look)."""
    if config.default_mentee_capacity > 1:
        return True
    if (people["mentee_capacity"].fillna(1) != 1).any():
        return True
    return bool(people["tracks_wanted"].map(len).any())


def _match_several(
    inputs: _Inputs, places: Places, tell: Progress
) -> tuple[_Solution, ScoredCohort | None, list[Issue]]:
    """Mentees with several mentors, or tracks: ``mentoring.engine.places.solve_places``."""
    found = solve_places(
        inputs.people, inputs.config, inputs.features, places, inputs.scan, tell, _SCORE_THREADS
    )
    solution = _Solution(
        found.rows,
        found.cols,
        found.lock_rows,
        found.lock_cols,
        found.certified,
        found.total,
        None,
        found.tracks,
        int(places.row_capacity.sum()),
    )
    return solution, found.cohort, list(found.issues)


def _assign_special(cohort: ScoredCohort, config: MatchConfig) -> tuple[np.ndarray, Any]:
    """Objectives and goals that need the whole matrix (see ``mentoring.engine.objectives``/``goals``).

    Returns the assignment and, with goals, the goal solution (else ``None``).
    """
    if config.goals:
        from mentoring.engine.goals import solve_with_goals

        try:
            solution = solve_with_goals(cohort, config.goals, config.objective)
        except TimeoutError as exc:
            raise MentoringError(
                f"{exc} Try fewer or looser goals, or a smaller cohort, and match again."
            ) from exc
        return np.asarray(solution.assignment, dtype=np.int64).copy(), solution
    from mentoring.engine.objectives import assign

    scores = cohort.scores
    mirror = Mirror.of(cohort.mentee_ids, cohort.mentor_ids)
    for _ in range(twoway.BRANCH_LIMIT):
        assignment = np.asarray(assign(cohort, config.objective), dtype=np.int64).copy()
        conflicts = mirror.conflicts(assignment)
        if not conflicts:
            return assignment, None
        # These objectives are not sums, so drop the weaker direction of each conflict and rerun.
        scores = scores.copy()
        for i, j in conflicts:
            back = mirror.reverse(i, j)
            scores[(i, j) if scores[i, j] < scores[back] else back] = -np.inf
        cohort = ScoredCohort(**{**cohort.__dict__, "scores": scores})
    return assignment, None


def _match_large(
    features: Features,
    config: MatchConfig,
    lock_rows: np.ndarray,
    lock_cols: np.ndarray,
    capacity_left: np.ndarray,
    coverage: bool,
    tell: Progress,
    scan: Scan,
) -> tuple[np.ndarray, bool, float]:
    from mentoring.engine.certify import solve_certified

    n_mentees, n_mentors = features.shape
    locked = np.zeros(n_mentees, dtype=bool)
    locked[lock_rows] = True
    # Scoring runs on two threads; only the one that called match reports progress, because a
    # user interface (Streamlit) can only be updated from the thread running its script.
    scan_lock = threading.Lock()
    caller = threading.get_ident()
    reread = [0]

    first: list[Any] = []

    def solve_with(extra: list[tuple[int, int]]) -> tuple[np.ndarray, Any]:
        # The branch search re-solves with a few more pairs forbidden each time: it starts from
        # the first solve's candidates instead of scoring every pair again.
        if first and not extra:
            return first[0].assignment.copy(), first[0]
        start = first[0].candidates.without(extra) if first and first[0].candidates else None
        extra_rows: dict[int, list[int]] = {}
        for i, j in extra:
            extra_rows.setdefault(i, []).append(j)

        def report(done: int) -> None:
            if threading.get_ident() != caller:
                return
            if reread[0] == 0:
                tell(
                    0.1 + 0.6 * done / max(n_mentees, 1),
                    f"Scored {done:,} of {n_mentees:,} mentees",
                )
            else:
                # The certificate re-reads rows an unknown number of times: creep towards 0.8.
                tell(
                    0.8 - 0.1 * n_mentees / (n_mentees + reread[0]),
                    f"Proving the answer optimal: {reread[0]:,} mentees' scores checked "
                    "against the prices",
                )

        def read(
            rows: np.ndarray, block: np.ndarray, forbidden: tuple[np.ndarray, np.ndarray] | None
        ) -> np.ndarray:
            summary = scan.summarize(rows, block, best_too=False, forbidden=forbidden)
            with scan_lock:
                scan.store(summary)
                done = int(scan.seen.sum())
                reread[0] += rows.size - (summary[0].size if summary else 0)
            report(done)
            return _mark_decided(block, rows, locked, extra_rows)

        def score_rows(rows: np.ndarray) -> np.ndarray:
            return read(rows, *_masked_rows(features, config, rows))

        # A score compared with the minimum score must be exact.
        estimated = config.min_score <= 0

        def estimate_rows(rows: np.ndarray, ahead: Ahead) -> tuple[np.ndarray, np.ndarray, Any]:
            found, forbidden = _masked_estimate(features, config, rows, ahead)
            return read(rows, found.block, forbidden), found.error, found.exact

        def score_cells(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
            block = _masked_scores(features, config, rows, cols=cols)
            with scan_lock:
                reread[0] += rows.size
            report(n_mentees)
            return _mark_decided(block, rows, locked, extra_rows, cols)

        solution = solve_certified(
            score_rows,
            n_mentees,
            n_mentors,
            capacity_left,
            priority=features.priority,
            coverage=coverage,
            workers=_SCORE_THREADS,
            start=start,
            writable_blocks=True,
            score_cells=score_cells,
            estimate_rows=estimate_rows if estimated else None,
            prepare_rows=partial(prepare_estimate, features) if estimated else None,
        )
        if not first:
            first.append(solution)
        return solution.assignment.copy(), solution

    tell(0.1, "Scoring pairs and keeping each mentee's best candidates")
    assignment, solution = solve_with([])
    fill_best(features, config, scan, solution.candidates)
    certified = bool(solution.certified)
    mirror = Mirror.of(features.mentee_ids, features.mentor_ids)
    if mirror.conflicts(assignment):
        cache: dict[tuple, Any] = {}

        def solve_assignment(extra: list[tuple[int, int]]) -> np.ndarray:
            a, s = solve_with(extra)
            cache[tuple(a.tolist())] = s
            return a

        # The solver only assigns allowed pairs, so their scores are read pair by pair: a whole
        # block per matched mentee would be the full matrix again.
        def pair_scores(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
            return score_pairs(features, rows, cols)["score"] if len(rows) else np.zeros(0)

        def scores_of(a: np.ndarray) -> np.ndarray:
            rows = np.flatnonzero(a >= 0)
            return pair_scores(rows, a[rows])

        known = solution.candidates
        assert known is not None, "solve_certified always returns its candidates"

        # Rows a local repair seats again choose among the first solve's candidates: every pair
        # it left out scores below what those rows already had to choose from.
        def candidates_of(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            first, last = np.searchsorted(known.rows, rows), np.searchsorted(known.rows, rows + 1)
            at = _ranges(first, last - first)
            return (
                known.rows[at].astype(np.int64),
                known.cols[at].astype(np.int64),
                known.scores[at],
            )

        found = twoway.solve_without_two_way(
            mirror,
            solve_assignment,
            scores_of,
            pair_scores,
            features.priority,
            coverage,
            Reassign(candidates_of, capacity_left),
        )
        assignment = found.assignment
        relaxed_bound = float(solution.bound)
        solution = cache.get(tuple(assignment.tolist()), solution)
        certified = found.finished and bool(solution.certified)
        if not certified:
            assignment[lock_rows] = lock_cols
            return assignment, False, max(relaxed_bound, found.relaxed_total)
    assignment[lock_rows] = lock_cols
    return assignment, certified, float(solution.bound)


@dataclass(frozen=True, eq=False)
class _Inputs:
    """What ``match`` read and scored, handed to the step that explains the pairs."""

    people: pd.DataFrame
    config: MatchConfig
    features: Features
    issues: tuple[Issue, ...]
    scan: Scan
    cohort: ScoredCohort | None
    started: float


@dataclass(frozen=True, eq=False)
class _Solution:
    """What the solve step found: the pairs (row and column positions, and each pair's track
    name), the locks kept, and how sure it is. ``mentee_places`` is the mentors mentees take."""

    rows: np.ndarray
    cols: np.ndarray
    lock_rows: np.ndarray
    lock_cols: np.ndarray
    certified: bool
    bound: float
    goal_solution: GoalSolution | None
    tracks: tuple[str, ...] = ()
    mentee_places: int | None = None

    @classmethod
    def of(cls, assignment: np.ndarray, *args: Any) -> _Solution:
        """The solution of a column-per-row assignment (one mentor per mentee)."""
        rows = np.flatnonzero(assignment >= 0)
        return cls(rows, assignment[rows], *args)


def _mark_decided(
    block: np.ndarray,
    rows: np.ndarray,
    locked: np.ndarray,
    extra_rows: dict[int, list[int]],
    cols: np.ndarray | None = None,
) -> np.ndarray:
    """``-inf`` in a block of ``rows`` (over mentors ``cols`` when given) for locked mentees,
    who keep their pair, and for the pairs the two-way search forbade (``extra_rows``)."""
    block[locked[rows], :] = -np.inf
    if not extra_rows:
        return block
    where = None if cols is None else dict(zip(cols.tolist(), range(cols.size), strict=True))
    for k, i in enumerate(rows.tolist()):
        for j in extra_rows.get(i, ()):
            at = j if where is None else where.get(j)
            if at is not None:
                block[k, at] = -np.inf
    return block


def _result(inputs: _Inputs, solution: _Solution) -> MatchResult:
    people, config, features, scan, cohort = (
        inputs.people,
        inputs.config,
        inputs.features,
        inputs.scan,
        inputs.cohort,
    )
    goal_solution, bound = solution.goal_solution, solution.bound
    n_mentees, n_mentors = features.shape
    pair_rows, pair_cols = solution.rows, solution.cols
    order = np.lexsort((pair_cols, pair_rows))
    pair_rows, pair_cols = pair_rows[order], pair_cols[order]
    tracks = [solution.tracks[k] for k in order.tolist()] if solution.tracks else []
    columns = list(people.columns)
    records = {
        values[0]: dict(zip(columns, values, strict=True))
        for values in zip(*(people[c].tolist() for c in columns), strict=True)
    }
    ranks = _preference_ranks(features)
    load = np.bincount(pair_cols, minlength=n_mentors)
    locked_set = set(zip(solution.lock_rows.tolist(), solution.lock_cols.tolist(), strict=True))

    # The chosen pairs' free-text answers are split into sentences and embedded once, not once
    # per pair (the alternatives quote none).
    prepare_reasons(
        [records[features.mentee_ids[i]] for i in np.unique(pair_rows).tolist()],
        [records[features.mentor_ids[j]] for j in np.unique(pair_cols).tolist()],
        [part.criterion for part in features.criteria],
    )
    n_mentors_of = np.bincount(pair_rows, minlength=n_mentees)
    taken = np.zeros(scan.top_cols.shape, dtype=bool)
    pair_keys = pair_rows * max(n_mentors, 1) + pair_cols
    for k in range(scan.top_cols.shape[1]):
        taken[:, k] = np.isin(
            np.arange(n_mentees) * max(n_mentors, 1) + scan.top_cols[:, k], pair_keys
        )
    keep = (scan.top_cols >= 0) & ~taken
    rank = np.cumsum(keep, axis=1)
    keep &= rank <= config.n_alternatives
    alt_rows, slot = np.nonzero(keep)
    pairs, alternatives = _pair_tables(
        features, records, ranks, (pair_rows, pair_cols), (alt_rows, scan.top_cols[alt_rows, slot])
    )
    pairs["locked"] = [(i, j) in locked_set for i, j in zip(pair_rows, pair_cols, strict=True)]
    pairs["track"] = tracks or [""] * len(pairs)
    pairs = pairs[list(PAIR_COLUMNS)]
    alternatives["rank"] = rank[alt_rows, slot]
    alternatives = alternatives[list(ALTERNATIVE_COLUMNS)]

    unmatched = pd.DataFrame(
        _unmatched_mentees(features, config, records, np.flatnonzero(n_mentors_of == 0), load)
        + _idle_mentors(features, records, load, scan.feasible_per_col),
        columns=list(UNMATCHED_COLUMNS),
    )
    pairs = pairs.sort_values(["mentee_name", "mentee_id"], kind="stable").reset_index(drop=True)
    graph: Deferred | None = None
    if n_mentees + n_mentors <= _GRAPH_NODE_LIMIT:
        edges = _graph_edges(features, cohort, (pair_rows, pair_cols), pairs, alternatives)
        graph = Deferred(partial(candidate_graph, people, edges))

    matched = n_mentors_of > 0
    scores = pairs["score"].to_numpy(float)
    total = float(scores.sum())
    stats = MatchStats(
        n_mentees=n_mentees,
        n_mentors=n_mentors,
        n_matched=int(matched.sum()),
        n_priority=int(features.priority.sum()),
        n_priority_matched=int((matched & features.priority).sum()),
        total_score=total,
        mean_score=float(scores.mean()) if len(scores) else 0.0,
        worst_score=float(scores.min()) if len(scores) else 0.0,
        mentor_places=int(features.capacity.sum()),
        mentors_at_capacity=int(((load >= features.capacity) & (features.capacity > 0)).sum()),
        n_feasible_pairs=int(scan.feasible_per_row.sum()),
        seconds=time.perf_counter() - inputs.started,
        certified=solution.certified,
        bound=total if math.isnan(bound) else bound,
        n_pairs=len(pairs),
        mentee_places=solution.mentee_places,
    )
    fields: dict[str, Any] = dict(
        pairs=pairs,
        unmatched=unmatched,
        alternatives=alternatives,
        stats=stats,
        config=config,
        audit=AuditReport(ok=False, problems=("not audited yet",)),
        graph=graph,
        goal_report=goal_solution.report if goal_solution is not None else pd.DataFrame(),
        issues=inputs.issues,
        goal_price=float(goal_solution.price) if goal_solution is not None else None,
        goal_explanation=goal_solution.explanation if goal_solution is not None else "",
    )
    report = audit_result(people, config, MatchResult(**fields))
    return MatchResult(**{**fields, "audit": report})


def _pair_tables(
    features: Features,
    records: dict[str, dict],
    ranks: dict[tuple[int, int], int],
    chosen: tuple[np.ndarray, np.ndarray],
    alternatives: tuple[np.ndarray, np.ndarray],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Names, components and reasons of the chosen pairs and of the alternatives.

    Both are scored and worded in one pass, so each member's answers are read once for both.
    The alternatives leave the nearest sentences of free-text answers out of their reasons:
    they are three per mentee, and finding sentences for all of them would cost more than the
    match; the chosen pairs always get them.
    """
    rows = np.concatenate((chosen[0], alternatives[0]))
    cols = np.concatenate((chosen[1], alternatives[1]))
    n_chosen = chosen[0].size
    values = score_pairs(features, rows, cols)
    mentees = [records[features.mentee_ids[i]] for i in rows.tolist()]
    mentors = [records[features.mentor_ids[j]] for j in cols.tolist()]
    criteria = tuple(part.criterion for part in features.criteria)
    per_criterion = {c.name: values.get(criterion_key(c.name)) for c in criteria}
    for c in criteria:
        column = per_criterion[c.name]
        if c.kind == "free_text" and column is not None:
            # NaN is "not scored on it": the alternatives get no clause for free text.
            per_criterion[c.name] = np.where(np.arange(rows.size) < n_chosen, column, np.nan)
    reasons = reasons_for_pairs(
        mentees,
        mentors,
        {c: values[c] for c in COMPONENTS},
        [ranks.get(pair, 0) for pair in zip(rows.tolist(), cols.tolist(), strict=True)],
        criteria=criteria,
        values=per_criterion,
    )
    both: dict[str, Any] = {
        "mentee_id": [e["member_id"] for e in mentees],
        "mentor_id": [r["member_id"] for r in mentors],
        "mentor_name": [r["name"] for r in mentors],
        "score": values["score"],
        **{c: values[c] for c in COMPONENTS},
        "reasons": reasons,
    }
    # Names and emails of the alternatives' mentees are the pairs' own; nobody reads them twice.
    chosen_only = {
        "mentee_name": [e["name"] for e in mentees[:n_chosen]],
        "mentee_email": [e["email"] for e in mentees[:n_chosen]],
        "mentor_email": [r["email"] for r in mentors[:n_chosen]],
    }
    return (
        pd.DataFrame({**{k: v[:n_chosen] for k, v in both.items()}, **chosen_only}),
        pd.DataFrame({k: v[n_chosen:] for k, v in both.items()}),
    )


def _unmatched_mentees(
    features: Features,
    config: MatchConfig,
    records: dict[str, dict],
    rows: np.ndarray,
    load: np.ndarray,
) -> list[dict]:
    """A reason for each unmatched mentee, from their own rows only (they are few)."""
    out: list[dict] = []
    has_places = features.capacity > 0
    with_places = int(has_places.sum())
    open_mentors = int(((features.capacity - load) > 0).sum())
    for block in block_rows(len(rows), features.shape[1]):
        chunk = rows[block]
        rules = rule_blocks(features, config, chunk)
        allowed = np.ones((chunk.size, features.shape[1]), dtype=bool)
        for mask in rules.values():
            allowed &= ~mask
        allowed &= has_places
        # Mentors with no places say nothing about a mentee's options.
        excluded = {
            RULE_LABELS[code]: (mask & has_places).sum(axis=1).tolist()
            for code, mask in rules.items()
        }
        open_to = allowed.sum(axis=1)
        # Every score is at least 0: only a minimum above it needs the scores read again.
        if config.min_score > 0:
            allowed &= score_block(features, chunk, total_only=True)["score"] >= (
                config.min_score - 1e-12
            )
        feasible = allowed.sum(axis=1)
        for k, i in enumerate(chunk.tolist()):
            mentee = records[features.mentee_ids[i]]
            reason = mentee_unmatched_reason(
                with_places,
                {label: counts[k] for label, counts in excluded.items()},
                int(feasible[k]),
                int(open_to[k] - feasible[k]),
                config.min_score,
                open_mentors,
            )
            out.append(
                {
                    "member_id": mentee["member_id"],
                    "name": mentee["name"],
                    "email": mentee["email"],
                    "role": "mentee",
                    "reason": reason,
                }
            )
    return out


def _idle_mentors(
    features: Features, records: dict[str, dict], load: np.ndarray, feasible_per_col: np.ndarray
) -> list[dict]:
    out = []
    for j in np.flatnonzero(load == 0).tolist():
        mentor = records[features.mentor_ids[j]]
        out.append(
            {
                "member_id": mentor["member_id"],
                "name": mentor["name"],
                "email": mentor["email"],
                "role": "mentor",
                "reason": mentor_unmatched_reason(
                    int(features.capacity[j]), int(feasible_per_col[j])
                ),
            }
        )
    return out


def _graph_edges(
    features: Features,
    cohort: ScoredCohort | None,
    chosen: tuple[np.ndarray, np.ndarray],
    pairs: pd.DataFrame,
    alternatives: pd.DataFrame,
) -> pd.DataFrame:
    """Every feasible pair for a cohort small enough to draw; else what the picture needs."""
    n_mentees, n_mentors = features.shape
    if cohort is not None and n_mentees * n_mentors <= _GRAPH_EDGE_LIMIT:
        shown = np.isfinite(cohort.scores)
        shown[chosen] = True
        used = np.zeros(shown.shape, dtype=bool)
        used[chosen] = True
        r, c = np.nonzero(shown)
        return pd.DataFrame(
            {
                "mentee_id": np.array(features.mentee_ids, dtype=object)[r],
                "mentor_id": np.array(features.mentor_ids, dtype=object)[c],
                "score": cohort.scores[r, c],
                "matched": used[r, c],
                **{name: cohort.components[name][r, c] for name in COMPONENTS},
            }
        )
    columns = ["mentee_id", "mentor_id", "score", *COMPONENTS]
    return pd.concat(
        [pairs[columns].assign(matched=True), alternatives[columns].assign(matched=False)],
        ignore_index=True,
    )


def _preference_ranks(features: Features) -> dict[tuple[int, int], int]:
    """(row, col) -> 1 for a mentee's first choice, 2 for the second, ... (named pairs only)."""
    named = features.preference.tocoo()
    ranks = np.rint((1.0 - named.data) / 0.25).astype(int) + 1
    return dict(
        zip(zip(named.row.tolist(), named.col.tolist(), strict=True), ranks.tolist(), strict=True)
    )


COMPARISON_COLUMNS: tuple[str, ...] = (
    "objective",
    "mentees_matched",
    "total_score",
    "mean_score",
    "worst_score",
    "blocking_pairs",
    "group_gap",
)
"""Columns of :func:`compare_objectives`."""


def compare_objectives(
    people: pd.DataFrame,
    config: MatchConfig,
    group_field: str | None = None,
    *,
    progress: Progress | None = None,
    known: MatchResult | None = None,
) -> pd.DataFrame:
    """One row per objective, so that a coordinator can see what each one trades.

    Parameters
    ----------
    people : pandas.DataFrame
        The people table.
    config : MatchConfig
        Weights, rules and goals; its ``objective`` is ignored (every objective is tried).
        Each row is what :func:`mentoring.match` gives with that objective, so the table shows
        exactly what picking it would do.
    group_field : str, optional
        A people column whose groups (of at least 5 matched mentees) are compared.
    progress : callable, optional
        Called as ``progress(fraction, message)`` objective by objective.
    known : MatchResult, optional
        A result already made; the objective it was made with (same settings otherwise)
        reuses it instead of matching again.

    Returns
    -------
    pandas.DataFrame
        :data:`COMPARISON_COLUMNS`: objective, mentees_matched, total_score, mean_score,
        worst_score (NaN when nobody is matched), blocking_pairs (among mentees outside locked
        pairs), group_gap (NaN without ``group_field`` or with fewer than two groups).

    Examples
    --------
    >>> from mentoring.model.people import empty_people
    >>> people = pd.concat([empty_people(), pd.DataFrame({
    ...     "member_id": ["e", "r"], "name": ["E", "R"], "role": ["mentee", "mentor"],
    ...     "interests": [("archives",), ("archives",)]})], ignore_index=True)
    >>> compare_objectives(people, MatchConfig())["mentees_matched"].tolist()
    [1, 1, 1, 1]
    """
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
        # What the coordinator would get by picking this objective, goals and all.
        chosen = config.with_(objective=objective)
        result = known if known is not None and known.config == chosen else match(people, chosen)
        a = np.full(len(cohort.mentee_ids), -1, dtype=np.int64)
        for mentee, mentor in zip(
            result.pairs["mentee_id"], result.pairs["mentor_id"], strict=True
        ):
            a[row_of[str(mentee)]] = col_of[str(mentor)]
        matched = np.flatnonzero(a >= 0)
        vals = value[matched, a[matched]]
        free = np.where(fixed >= 0, -1, a)
        # A pair whose reverse is assigned (B already mentors A) cannot block: never both ways.
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
