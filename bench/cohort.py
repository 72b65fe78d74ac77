"""Synthetic cohorts for the benchmarks, as performance.md describes them.

Each person has 5-10 interest tags out of 200, drawn with Zipf-like popularity (a few tags are
very common, most are rare); a pair's score is the cosine of the two tag vectors; mentor
capacities are 1-4. Everything is seeded, so a size always gives the same cohort.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

__all__ = ["Cohort", "make_cohort"]

N_TAGS = 200


@dataclass(frozen=True, eq=False)
class Cohort:
    """Unit-length tag vectors per mentee (sparse rows) and per mentor (dense, tags x mentors)."""

    mentees: sp.csr_array
    mentors_t: np.ndarray
    capacity: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return self.mentees.shape[0], self.mentors_t.shape[1]

    def score_rows(self, rows: np.ndarray) -> np.ndarray:
        """Cosine scores of the given mentee rows against every mentor, float32."""
        return np.asarray(self.mentees[rows] @ self.mentors_t, dtype=np.float32)

    def dense(self) -> np.ndarray:
        return self.score_rows(np.arange(self.shape[0]))


def _tags(rng: np.random.Generator, n: int) -> sp.csr_array:
    popularity = 1.0 / np.arange(1, N_TAGS + 1) ** 1.1
    popularity /= popularity.sum()
    counts = rng.integers(5, 11, n)
    indptr = np.concatenate(([0], np.cumsum(counts)))
    indices = np.empty(indptr[-1], dtype=np.int32)
    for i in range(n):
        indices[indptr[i] : indptr[i + 1]] = rng.choice(
            N_TAGS, size=counts[i], replace=False, p=popularity
        )
    data = np.repeat(1.0 / np.sqrt(counts), counts).astype(np.float32)
    out = sp.csr_array((data, indices, indptr), shape=(n, N_TAGS))
    out.sort_indices()
    return out


def make_cohort(n_mentees: int, n_mentors: int, seed: int = 20261128) -> Cohort:
    """A seeded cohort of ``n_mentees`` x ``n_mentors`` with capacities 1-4."""
    rng = np.random.default_rng([seed, n_mentees, n_mentors])
    mentees = _tags(rng, n_mentees)
    mentors_t = np.ascontiguousarray(_tags(rng, n_mentors).toarray().T)
    capacity = rng.integers(1, 5, n_mentors)
    return Cohort(mentees, mentors_t, capacity)
