"""``solve`` reproduces the published optima of J. E. Beasley's OR-Library assignment instances.

The instances minimise total cost with every row assigned. Using ``score = -cost`` with the
coverage objective is the same problem: a perfect matching exists, so coverage first forces every
row to be assigned, and the highest total score is then the lowest total cost.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from mentoring.checks.audit import audit_assignment
from mentoring.engine.assign import _assign, _edges, _weights, solve
from mentoring.engine.certify import solve_certified

ORLIB = Path(__file__).resolve().parent / "data" / "orlib"


def optima() -> dict[str, int]:
    values = {}
    for line in (ORLIB / "assignopt.txt").read_text().splitlines()[1:]:
        parts = line.split()
        if len(parts) == 2 and parts[0].startswith("assign"):
            values[parts[0]] = int(float(parts[1]))
    return values


def read_dense(name: str) -> np.ndarray:
    numbers = np.array((ORLIB / f"{name}.txt").read_text().split(), dtype=np.int64)
    n = int(numbers[0])
    assert numbers.size == 1 + n * n
    return numbers[1:].reshape(n, n)


def read_sparse(name: str) -> sp.csr_array:
    numbers = np.array((ORLIB / f"{name}.txt").read_text().split(), dtype=np.int64)
    n = int(numbers[0])
    triples = numbers[1:].reshape(-1, 3)
    return sp.csr_array(
        (triples[:, 2].astype(np.float64), (triples[:, 0] - 1, triples[:, 1] - 1)), shape=(n, n)
    )


DENSE = [f"assign{n}" for n in range(100, 900, 100)]
SPARSE = ["assignp800", "assignp1500", "assignp3000", "assignp5000"]


def test_published_optima_file_lists_all_twelve_instances():
    assert set(optima()) == set(DENSE) | set(SPARSE)


@pytest.mark.parametrize("name", DENSE)
def test_dense_instance_reproduces_published_optimum(name):
    cost = read_dense(name)
    started = time.perf_counter()
    a = solve(-cost.astype(np.float64))
    seconds = time.perf_counter() - started
    assert audit_assignment(-cost, None, a).ok
    assert np.all(a >= 0)
    assert int(cost[np.arange(cost.shape[0]), a].sum()) == optima()[name]
    assert seconds < 30


@pytest.mark.parametrize("name", SPARSE)
def test_sparse_instance_reproduces_published_optimum(name):
    cost = read_sparse(name)
    n = cost.shape[0]
    a = solve(-cost)
    assert audit_assignment(-cost, None, a).ok
    assert np.all(a >= 0)
    assert int(np.asarray(cost[np.arange(n), a]).sum()) == optima()[name]


@pytest.mark.parametrize("kernel", ["dense", "sparse"])
@pytest.mark.parametrize("name", ["assign800", "assignp800"])
def test_both_kernels_reproduce_published_optimum(name, kernel):
    cost = read_dense(name) if name in DENSE else read_sparse(name)
    n, m, r, c, s = _edges(-cost)
    w, keep, _ = _weights(n, r, s, None, True)
    a = _assign(n, m, r[keep], c[keep], w[keep], np.ones(m, dtype=np.int64), force=kernel)
    assert np.all(a >= 0)
    assert int(np.asarray(cost[np.arange(n), a]).sum()) == optima()[name]


@pytest.mark.parametrize(
    "name",
    [
        *DENSE,
        *SPARSE[:2],
        pytest.param(SPARSE[2], marks=pytest.mark.slow),
        pytest.param(SPARSE[3], marks=pytest.mark.slow),
    ],
)
def test_certified_path_reproduces_published_optimum_from_ten_candidates_per_row(name):
    # Square and tight (every row needs a column of its own): where ten candidates per row are
    # not enough, the certificate has to find the missing pairs.
    cost = read_dense(name) if name in DENSE else read_sparse(name)
    n = cost.shape[0]
    if name in DENSE:
        scores = -cost.astype(np.float64)
    else:
        scores = np.full((n, n), -np.inf)
        coo = cost.tocoo()
        scores[coo.row, coo.col] = -coo.data
    sol = solve_certified(lambda rows: scores[rows], n, n, np.ones(n, dtype=np.int64), k=10)
    assert sol.certified
    assert np.all(sol.assignment >= 0)
    assert audit_assignment(scores, None, sol.assignment).ok
    assert round(-sol.total) == optima()[name]
    assert sol.bound == pytest.approx(sol.total, abs=1e-6)
