"""What the pass over every pair learns for the explanations: feasible counts and best mentors.

The solver reads every pair once (or block by block, for a national cohort); a :class:`Scan`
keeps, per mentee, how many mentors are feasible and the best few of them, and per mentor how
many mentees could take them, so that explaining the answer needs no second pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from mentoring.engine.cohort import _masked_scores

if TYPE_CHECKING:
    from mentoring.engine.certify import Candidates
    from mentoring.engine.scoring import Features
    from mentoring.model.config import MatchConfig

__all__ = ["Scan", "block_rows", "fill_best", "top_columns"]

# Cells per block when rows are scored again outside the solver (as ``certify`` reads them).
BLOCK_CELLS = 2_000_000


class Scan:
    """What the one pass over every pair learned, so that explaining needs no second pass.

    Per mentee: how many mentors are feasible and the best few of them; per mentor: how many
    mentees could take them. Filled from the dense matrix, or block by block while the large
    solver reads the scores.

    Examples
    --------
    >>> scan = Scan(2, 3, 1)
    >>> scan.record(np.arange(2), np.array([[0.1, -np.inf, 0.4], [-np.inf, -np.inf, 0.2]]))
    >>> scan.feasible_per_row.tolist(), scan.feasible_per_col.tolist(), scan.top_cols.tolist()
    ([2, 1], [1, 0, 2], [[2], [2]])
    """

    def __init__(self, n_rows: int, n_cols: int, top: int) -> None:
        self.feasible_per_row = np.zeros(n_rows, dtype=np.int64)
        self.feasible_per_col = np.zeros(n_cols, dtype=np.int64)
        self.top = max(1, min(top, n_cols)) if n_cols else 0
        self.top_cols = np.full((n_rows, self.top), -1, dtype=np.int64)
        self.seen = np.zeros(n_rows, dtype=bool)

    def record(self, rows: np.ndarray, scores: np.ndarray) -> None:
        """Summarize and keep a block of scores (``-inf``: not feasible)."""
        self.store(self.summarize(rows, scores))

    def summarize(
        self,
        rows: np.ndarray,
        scores: np.ndarray,
        *,
        best_too: bool = True,
        forbidden: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> tuple | None:
        """What a block says about rows not seen before; safe to run on several threads.

        ``best_too=False`` leaves the best columns to :meth:`best_from_candidates`.
        ``forbidden`` lists every ``-inf`` of the block (positions in ``rows``, columns, each
        once): the counts then come from the list instead of a pass over the block.
        """
        fresh = ~self.seen[rows]
        if not fresh.any():
            return None
        if forbidden is not None and not (self.top and best_too):
            local, cols = forbidden
            if not fresh.all():
                keep = fresh[local]
                local, cols = (np.cumsum(fresh) - 1)[local[keep]], cols[keep]
                rows = rows[fresh]
            n_rows, n_cols = rows.size, scores.shape[1]
            per_row = n_cols - np.bincount(local, minlength=n_rows)
            per_col = n_rows - np.bincount(cols, minlength=n_cols)
            return rows, per_row, per_col, None
        if not fresh.all():
            rows, scores = rows[fresh], scores[fresh]
        feasible = np.isfinite(scores)
        best = None
        if self.top and best_too:
            best = top_columns(np.where(feasible, scores, -np.inf), self.top)
            best = np.where(np.take_along_axis(feasible, best, axis=1), best, -1)
        return rows, feasible.sum(axis=1), feasible.sum(axis=0), best

    def best_from_candidates(self, candidates: Candidates) -> np.ndarray:
        """Each row's best columns from a certified run's candidates, which hold them already.

        A row's candidates are its best allowed columns (and a few more), so its best few
        among them are its best few overall, ties to the lower column as in
        :func:`top_columns`. Returns the rows whose candidates are fewer than their feasible
        columns and the places to fill, so that their best must be read from their scores.
        """
        rows = candidates.rows.astype(np.int64)
        cols = candidates.cols.astype(np.int64)
        left = candidates.scores.astype(np.float64)
        found = np.zeros(self.top_cols.shape[0], dtype=np.int64)
        key = rows * (int(cols.max(initial=0)) + 1) + cols
        if np.any(key[1:] <= key[:-1]):
            order = np.argsort(key, kind="stable")
            rows, cols, left = rows[order], cols[order], left[order]
        if rows.size:
            # Each row's candidates are one run, by column: taking each run's best ``top`` times
            # over (of equal scores the first, the lower column) sorts nothing.
            starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
            owner = rows[starts]
            run = np.repeat(np.arange(starts.size), np.diff(np.r_[starts, rows.size]))
            for rank in range(self.top):
                best = np.maximum.reduceat(left, starts)[run]
                hit = np.flatnonzero((left == best) & (best > -np.inf))
                if hit.size == 0:
                    break
                first = hit[np.r_[True, run[hit[1:]] != run[hit[:-1]]]]
                self.top_cols[owner[run[first]], rank] = cols[first]
                found[owner[run[first]]] += 1
                left[first] = -np.inf
        return np.flatnonzero(found < np.minimum(self.feasible_per_row, self.top))

    def store(self, summary: tuple | None) -> None:
        """Keep a summary; the one step that must not run on two threads at once."""
        if summary is None:
            return
        rows, per_row, per_col, best = summary
        self.feasible_per_row[rows] = per_row
        self.feasible_per_col += per_col
        if best is not None:
            self.top_cols[rows] = best
        self.seen[rows] = True


def fill_best(
    features: Features, config: MatchConfig, scan: Scan, candidates: Candidates | None
) -> None:
    """Each mentee's best mentors for the alternatives, from the first solve's candidates.

    Rows the candidates cannot answer (locked mentees, whose rows the solver never reads, and
    rows with fewer candidates than feasible mentors) are scored again: they are few.

    Examples
    --------
    >>> from mentoring.engine.scoring import build_features
    >>> from mentoring.model.config import MatchConfig
    >>> from mentoring.reading.synthetic import random_people
    >>> config = MatchConfig()
    >>> features = build_features(random_people(4, 3, seed=1), config)
    >>> scan = Scan(4, 3, 2)
    >>> fill_best(features, config, scan, None)
    >>> scan.top_cols.shape, bool(((scan.top_cols >= -1) & (scan.top_cols < 3)).all())
    ((4, 2), True)
    """
    if not scan.top:
        return
    if candidates is None:
        again = np.arange(features.shape[0])
    else:
        again = scan.best_from_candidates(candidates)
    for block in block_rows(again.size, features.shape[1]):
        rows = again[block]
        ranked = _masked_scores(features, config, rows)
        best = top_columns(ranked, scan.top)
        scan.top_cols[rows] = np.where(
            np.take_along_axis(np.isfinite(ranked), best, axis=1), best, -1
        )


def top_columns(ranked: np.ndarray, top: int) -> np.ndarray:
    """The ``top`` best columns of each row, best first, ties to the lower column.

    A partial selection first: sorting whole rows of a national cohort would cost more than
    scoring them.

    Examples
    --------
    >>> top_columns(np.array([[0.2, 0.9, 0.9, -np.inf], [0.5, 0.1, 0.7, 0.3]]), 2).tolist()
    [[1, 2], [2, 0]]
    """
    if top >= ranked.shape[1]:
        return np.argsort(-ranked, axis=1, kind="stable")
    chosen = np.argpartition(-ranked, top - 1, axis=1)[:, :top]
    threshold = np.take_along_axis(ranked, chosen, axis=1).min(axis=1)
    # Every column tied with the weakest chosen one competes, so ties go to the lowest index.
    local, cols = np.divmod(np.flatnonzero(ranked >= threshold[:, None]), ranked.shape[1])
    order = np.lexsort((cols, -ranked[local, cols], local))
    local, cols = local[order], cols[order]
    rank = np.arange(local.size) - np.searchsorted(local, np.arange(ranked.shape[0]))[local]
    kept = rank < top
    out = np.empty((ranked.shape[0], top), dtype=np.int64)
    out[local[kept], rank[kept]] = cols[kept]
    return out


def block_rows(n_rows: int, n_cols: int) -> list[np.ndarray]:
    """Consecutive row positions in blocks of about :data:`BLOCK_CELLS` cells.

    Examples
    --------
    >>> [b.tolist() for b in block_rows(5, 1_000_000)]
    [[0, 1], [2, 3], [4]]
    """
    size = max(1, BLOCK_CELLS // max(n_cols, 1))
    return [np.arange(s, min(s + size, n_rows)) for s in range(0, n_rows, size)]
