"""Mentee places: how many mentors each mentee takes, tracks, and the locks that fit them.

The people table says it: ``mentee_capacity`` (blank: one mentor per track the mentee wants,
else ``MatchConfig.default_mentee_capacity``), ``tracks_wanted`` and ``tracks_offered``.
:func:`mentee_places` turns that into the arrays :func:`mentoring.engine.transport.solve_pairs`
reads; :func:`pair_locks` keeps the locked pairs that fit every capacity, track and rule, with an
issue for each that does not; :func:`solve_places` finds the best pairs, dense or certified,
never both A->B and B->A.

>>> import pandas as pd
>>> from mentoring.model.config import MatchConfig
>>> from mentoring.model.people import prepare_people
>>> from mentoring.engine.scoring import build_features
>>> people = prepare_people(pd.DataFrame({"member_id": ["e", "r"], "name": ["E", "R"],
...     "role": ["mentee", "mentor"], "mentee_capacity": [2, None]}))
>>> places = mentee_places(people, build_features(people, MatchConfig()), MatchConfig())
>>> places.row_capacity.tolist(), places.several
([2], True)
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from mentoring.engine.cohort import (
    _NOT_IN_COHORT,
    ScoredCohort,
    _lock_issue,
    _lock_position,
    _masked_scores,
    score_people,
)
from mentoring.engine.scoring import Features, score_pairs
from mentoring.engine.transport import PairSolution, solve_pairs, track_matrices
from mentoring.model.config import MatchConfig
from mentoring.model.errors import Issue, MentoringError

__all__ = [
    "Places",
    "PlacesAnswer",
    "mentee_places",
    "pair_locks",
    "solve_places",
    "two_way_free",
]


@dataclass(frozen=True, eq=False)
class Places:
    """Mentors per mentee and tracks, in the positions of a :class:`Features`.

    ``row_capacity[i]`` is the number of mentors mentee row i takes; ``row_tracks`` (rows x
    tracks) and ``col_tracks`` (mentor columns x tracks) the tracks wanted and offered, named
    by ``names``. ``several`` is True when any mentee takes more than one mentor or tracks are
    in use, so that the transportation solver is needed.
    """

    row_capacity: np.ndarray
    row_tracks: np.ndarray
    col_tracks: np.ndarray
    names: tuple[str, ...]

    @property
    def several(self) -> bool:
        return bool(self.row_capacity.max(initial=0) > 1 or self.row_tracks.any())

    def allowed(self, rows: np.ndarray) -> np.ndarray:
        """Which (row, column) pairs of ``rows`` share a track, or need none (bool block)."""
        m = self.col_tracks.shape[0]
        tracked = self.row_tracks[rows].any(axis=1)
        if not tracked.any():
            return np.ones((rows.size, m), dtype=bool)
        offered = self.col_tracks | ~self.col_tracks.any(axis=1, keepdims=True)
        common = (self.row_tracks[rows].astype(np.float32) @ offered.T.astype(np.float32)) > 0
        return common | ~tracked[:, None]

    def track_name(self, index: int) -> str:
        """The name of a track index; ``""`` for -1 (no track)."""
        return self.names[index] if 0 <= index < len(self.names) else ""


def _column(people: pd.DataFrame, column: str, ids: tuple[str, ...], blank: Any) -> list[Any]:
    if column not in people.columns:
        return [blank] * len(ids)
    values = dict(zip(people["member_id"].astype(str), people[column].tolist(), strict=True))
    return [values.get(i, blank) for i in ids]


def mentee_places(people: pd.DataFrame, features: Features, config: MatchConfig) -> Places:
    """How many mentors each mentee row takes, and the tracks of both sides.

    A blank ``mentee_capacity`` means one mentor per track the mentee wants, or
    ``config.default_mentee_capacity`` when they want none. Tracks nobody wants are dropped.

    Examples
    --------
    >>> import pandas as pd
    >>> from mentoring.model.people import prepare_people
    >>> from mentoring.engine.scoring import build_features
    >>> people = prepare_people(pd.DataFrame({"member_id": ["e", "r"], "name": ["E", "R"],
    ...     "role": ["mentee", "mentor"], "tracks_wanted": ["career; identity", ""]}))
    >>> places = mentee_places(people, build_features(people, MatchConfig()), MatchConfig())
    >>> places.row_capacity.tolist(), places.names
    ([2], ('career', 'identity'))
    """
    wanted = [
        tuple(v) if isinstance(v, tuple | list) else ()
        for v in _column(people, "tracks_wanted", features.mentee_ids, ())
    ]
    offered = [
        tuple(v) if isinstance(v, tuple | list) else ()
        for v in _column(people, "tracks_offered", features.mentor_ids, ())
    ]
    capacity = []
    for cell, tracks in zip(
        _column(people, "mentee_capacity", features.mentee_ids, None), wanted, strict=True
    ):
        if cell is None or pd.isna(cell):
            capacity.append(len(tracks) if tracks else config.default_mentee_capacity)
        else:
            capacity.append(max(int(cell), 0))
    rows, cols, names = track_matrices(wanted, offered, sorted({t for ts in wanted for t in ts}))
    return Places(np.array(capacity, dtype=np.int64), rows, cols, names)


def _track_fit(tracks_each: list[set[int]]) -> bool:
    """Whether pairs whose shared tracks are ``tracks_each`` can each take a different one."""
    owner: dict[int, int] = {}

    def place(k: int, seen: set[int]) -> bool:
        for t in tracks_each[k]:
            if t not in seen:
                seen.add(t)
                if t not in owner or place(owner[t], seen):
                    owner[t] = k
                    return True
        return False

    return all(place(k, set()) for k in range(len(tracks_each)))


def _shared(places: Places, i: int, j: int) -> set[int] | None:
    """The tracks a pair shares; None when the mentee names no track (no per-track limit)."""
    if not places.row_tracks[i].any():
        return None
    offered = (
        places.col_tracks[j] if places.col_tracks[j].any() else np.ones_like(places.col_tracks[j])
    )
    return set(np.flatnonzero(places.row_tracks[i] & offered).tolist())


def pair_locks(
    features: Features, config: MatchConfig, people: pd.DataFrame, places: Places
) -> tuple[np.ndarray, np.ndarray, list[Issue]]:
    """The locked pairs that can be kept together, in positions, and an issue for each other.

    A locked pair is kept unless a hard rule forbids it, the mentee already has all the locked
    mentors they take, the mentor's places are used by other locked pairs, or it shares no
    track the mentee still has free.
    """
    names = dict(zip(people["member_id"], people["name"], strict=True))
    issues: list[Issue] = []
    kept_r: list[int] = []
    kept_c: list[int] = []
    load = np.zeros(features.shape[1], dtype=np.int64)
    mentors: dict[int, list[set[int]]] = {}
    hint = "Unlock it, or change the rule or the capacities, and re-solve."
    for pair in config.locked_pairs:
        found = _lock_position(features, config, names, pair)
        if found is None:
            issues.append(_lock_issue(names, pair, _NOT_IN_COHORT, hint))
            continue
        i, j, excluded = found
        mine = mentors.get(i, [])
        shared = _shared(places, i, j)
        why = ""
        if excluded:
            why = excluded
        elif len(mine) >= places.row_capacity[i]:
            why = f"the mentee takes {places.row_capacity[i]} mentor(s), all locked already."
        elif load[j] >= features.capacity[j]:
            why = (
                f"the mentor's capacity ({features.capacity[j]}) is already used by other "
                "locked pairs."
            )
        elif shared is not None and not _track_fit([s for s in mine if s is not None] + [shared]):
            why = "it shares no kind of mentoring the mentee still has free."
        if why:
            issues.append(_lock_issue(names, pair, why, hint))
            continue
        kept_r.append(i)
        kept_c.append(j)
        load[j] += 1
        mentors.setdefault(i, []).append(shared if shared is not None else set())
    return np.array(kept_r, dtype=np.int64), np.array(kept_c, dtype=np.int64), issues


def _conflicts(features: Features, rows: np.ndarray, cols: np.ndarray) -> list[tuple[int, int]]:
    """Chosen (row, col) pairs whose reverse is chosen too (A mentors B and B mentors A)."""
    chosen = set(zip(rows.tolist(), cols.tolist(), strict=True))
    row_of = {m: i for i, m in enumerate(features.mentee_ids)}
    col_of = {m: j for j, m in enumerate(features.mentor_ids)}
    out = []
    for i, j in sorted(chosen):
        ri, rj = row_of.get(features.mentor_ids[j]), col_of.get(features.mentee_ids[i])
        if ri is not None and rj is not None and (ri, rj) in chosen and i < ri:
            out.append((i, j))
    return out


def two_way_free(
    features: Features,
    solve_with: Callable[[list[tuple[int, int]]], tuple[PairSolution, np.ndarray, Any]],
    priority: np.ndarray,
    coverage: bool,
    limit: int = 64,
) -> tuple[PairSolution, np.ndarray, Any, bool]:
    """The best answer with no pair chosen in both directions, by branching on conflicts.

    ``solve_with(extra)`` solves with the (row, col) pairs of ``extra`` forbidden and returns
    the pairs, their scores and anything else the caller wants back. Returns the best answer
    found, its scores, the extra value, and whether the search finished (then it is exact).
    """
    best: tuple[tuple, tuple[PairSolution, np.ndarray, Any]] | None = None
    stack: list[list[tuple[int, int]]] = [[]]
    solves = 0
    while stack and solves < limit:
        extra = stack.pop()
        answer = solve_with(extra)
        solves += 1
        pairs, scores = answer[0], answer[1]
        covered = np.unique(pairs.rows)
        total = round(float(scores.sum()), 9)
        value = (
            (int(priority[covered].sum()), covered.size, pairs.rows.size, total)
            if coverage
            else (total,)
        )
        if best is not None and value <= best[0]:
            continue
        conflicts = _conflicts(features, pairs.rows, pairs.cols)
        if not conflicts:
            best = (value, answer)
            continue
        i, j = conflicts[0]
        reverse = (
            features.mentee_ids.index(features.mentor_ids[j]),
            features.mentor_ids.index(features.mentee_ids[i]),
        )
        stack.append([*extra, reverse])
        stack.append([*extra, (i, j)])
    if best is None:
        pairs, scores, other = solve_with([])
        drop = _conflicts(features, pairs.rows, pairs.cols)
        keep = ~np.isin(
            pairs.rows * len(features.mentor_ids) + pairs.cols,
            [i * len(features.mentor_ids) + j for i, j in drop],
        )
        trimmed = PairSolution(
            **{
                **pairs.__dict__,
                "rows": pairs.rows[keep],
                "cols": pairs.cols[keep],
                "tracks": pairs.tracks[keep],
                "optimal": False,
            }
        )
        return trimmed, scores[keep], other, False
    pairs, scores, other = best[1]
    return pairs, scores, other, not stack


# Pairs above which the whole score matrix is not built (as mentoring.pipeline.DENSE_PAIR_LIMIT).
_DENSE_PAIR_LIMIT = 4_000_000


@dataclass(frozen=True, eq=False)
class PlacesAnswer:
    """What :func:`solve_places` found: the pairs (positions, track names), the locks kept, the
    issues about locks that could not be, whether it is proven optimal, the total score, and the
    scored cohort when the whole matrix was built (else None)."""

    rows: np.ndarray
    cols: np.ndarray
    tracks: tuple[str, ...]
    lock_rows: np.ndarray
    lock_cols: np.ndarray
    issues: tuple[Issue, ...]
    certified: bool
    total: float
    cohort: ScoredCohort | None


class Recorder(Protocol):
    """What :func:`solve_places` tells about each block of scores it reads (``_Scan`` of the
    pipeline): ``summarize`` may run on any thread, ``store`` runs under a lock."""

    seen: np.ndarray

    def record(self, rows: np.ndarray, scores: np.ndarray) -> None: ...

    def summarize(self, rows: np.ndarray, scores: np.ndarray) -> Any: ...

    def store(self, summary: Any) -> None: ...


def solve_places(
    people: pd.DataFrame,
    config: MatchConfig,
    features: Features,
    places: Places,
    scan: Recorder,
    tell: Callable[[float, str], None],
    workers: int = 1,
) -> PlacesAnswer:
    """The best pairs with several mentors per mentee or tracks, never both A->B and B->A.

    Small cohorts are scored whole and solved by :func:`mentoring.engine.transport.solve_pairs`;
    larger ones by :func:`mentoring.engine.certify_pairs.solve_pairs_certified`, block by block.
    """
    if config.objective in ("egalitarian", "stable") or config.goals:
        raise MentoringError(
            f"The {config.objective} objective and diversity goals need one mentor per mentee. "
            "Use the coverage or quality objective, or give every mentee one mentor."
        )
    coverage = config.objective != "quality"
    n, m = features.shape
    lock_r, lock_c, issues = pair_locks(features, config, people, places)
    lock_s = score_pairs(features, lock_r, lock_c)["score"] if lock_r.size else np.zeros(0)
    options: dict[str, Any] = {
        "row_tracks": places.row_tracks,
        "col_tracks": places.col_tracks,
        "priority": features.priority,
        "coverage": coverage,
    }
    cohort = None
    solve_with: Callable[[list[tuple[int, int]]], tuple[PairSolution, np.ndarray, Any]]
    if n * m <= _DENSE_PAIR_LIMIT:
        cohort = score_people(people, config)
        scores = np.where(places.allowed(np.arange(n)), cohort.scores, -np.inf)
        scores[lock_r, lock_c] = lock_s
        scan.record(np.arange(n), scores)
        tell(0.4, "Finding the optimal pairs")

        def solve_with(extra: list[tuple[int, int]]) -> tuple[PairSolution, np.ndarray, Any]:
            s = scores
            if extra:
                s = scores.copy()
                s[tuple(np.array(extra).T)] = -np.inf
            found = solve_pairs(
                s, features.capacity, places.row_capacity, locked=np.c_[lock_r, lock_c], **options
            )
            return found, scores[found.rows, found.cols], found.optimal

    else:
        from mentoring.engine.certify_pairs import solve_pairs_certified

        tell(0.1, "Scoring pairs and keeping each mentee's best candidates")

        def solve_with(extra: list[tuple[int, int]]) -> tuple[PairSolution, np.ndarray, Any]:
            sol = solve_pairs_certified(
                _scorer(features, config, places, scan, extra, tell),
                n,
                m,
                features.capacity,
                places.row_capacity,
                locked=(lock_r, lock_c, lock_s),
                workers=workers,
                **options,
            )
            return sol.pairs, sol.scores, sol.certified

    found, chosen, proven, finished = two_way_free(
        features, solve_with, features.priority, coverage
    )
    return PlacesAnswer(
        rows=found.rows,
        cols=found.cols,
        tracks=tuple(places.track_name(int(k)) for k in found.tracks.tolist()),
        lock_rows=lock_r,
        lock_cols=lock_c,
        issues=tuple(issues),
        certified=bool(finished and proven),
        total=float(chosen.sum()),
        cohort=cohort,
    )


def _scorer(
    features: Features,
    config: MatchConfig,
    places: Places,
    scan: Recorder,
    extra: list[tuple[int, int]],
    tell: Callable[[float, str], None],
) -> Callable[[np.ndarray], np.ndarray]:
    """Score blocks for the certified solver, recording what explaining needs as it goes.

    Only the thread that called reports progress: a user interface (Streamlit) can only be
    updated from the thread running its script.
    """
    n = features.shape[0]
    lock = threading.Lock()
    caller = threading.get_ident()
    forbidden: dict[int, list[int]] = {}
    for i, j in extra:
        forbidden.setdefault(i, []).append(j)

    def score_rows(rows: np.ndarray) -> np.ndarray:
        block = _masked_scores(features, config, rows)
        block[~places.allowed(rows)] = -np.inf
        summary = scan.summarize(rows, block)
        with lock:
            scan.store(summary)
            done = int(scan.seen.sum())
        if threading.get_ident() == caller:
            tell(0.1 + 0.6 * done / max(n, 1), f"Scored {done:,} of {n:,} mentees")
        for k, i in enumerate(rows.tolist()):
            block[k, forbidden.get(i, [])] = -np.inf
        return block

    return score_rows
