"""Benchmarks of the exact solver against the alternatives, on seeded synthetic cohorts.

Each measurement runs in a fresh process (so ``ru_maxrss`` is that case's peak memory) with a time
limit; an alternative that cannot finish within the limit at a size is skipped there, with a note.
Results go to ``bench/results/``: ``results.json`` (merged across staged runs), ``results.md`` (the
tables) and ``time_vs_size.png``.

Usage::

    python bench/run.py                              # every size (takes a while)
    python bench/run.py --sizes 300,2000x1000        # some sizes; results are merged
    python bench/run.py --quick                      # smoke run: small sizes, one repetition
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import scipy
import scipy.sparse as sp

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cohort import make_cohort  # noqa: E402

from mentoring.engine.assign import greedy, solve, total_score  # noqa: E402
from mentoring.engine.certify import solve_certified  # noqa: E402

# ``mentoring.engine.assign`` the attribute is the function; the module is needed to time its kernel.
solve_module = importlib.import_module("mentoring.engine.certify")

__all__ = ["main"]

RESULTS = HERE / "results"
SIZES: dict[str, tuple[int, int]] = {
    "300": (200, 100),
    "2000x1000": (2000, 1000),
    "10000x5000": (10_000, 5000),
    "50000x20000": (50_000, 20_000),
    "200000x100000": (200_000, 100_000),
}
LIMIT = 120.0
# networkx's dense min-cost flow is the reference of the speed goal at 2,000 x 1,000, where it
# needs about three minutes here; it alone gets a longer limit, at that size only.
NX_GOAL_LIMIT = 420.0
CANDIDATES_K = 50
# Threads reading score blocks in ours, as match() uses them (one per core, up to four).
WORKERS = min(4, os.cpu_count() or 1)
# The whole match() pipeline (scoring, rules, solve, audit, reasons) is timed up to this size.
MATCH_MAX_PAIRS = 50_000_000
READ_ROWS_PER_FILE = 40_000

# Which alternatives run at which sizes: the rest are known (performance.md, or an earlier size
# here) to exceed the limit or the memory, and are reported as skipped with the reason.
ALTERNATIVES: dict[str, dict[str, Any]] = {
    "scipy linear_sum_assignment, dense, capacity-expanded": {
        "case": "lsa_dense",
        "max_pairs": 50_000_000,
        "skip": "the dense capacity-expanded matrix needs over 2 GB and minutes past 10,000 x 5,000",
    },
    "greedy (best pairs first), dense": {
        "case": "greedy_dense",
        "max_pairs": 50_000_000,
        "skip": "sorting every pair exceeds memory and the time limit past 10,000 x 5,000",
    },
    f"greedy (best pairs first), top-{CANDIDATES_K} candidates": {
        "case": "greedy_candidates",
        "max_pairs": None,
        "skip": "",
    },
    "networkx min_cost_flow, dense": {
        "case": "nx_mcf_dense",
        "max_pairs": 2_000_000,
        "skip": "about 400 s already at 2,000 x 1,000 (limit 420 s there)",
    },
    f"networkx min_cost_flow, top-{CANDIDATES_K} candidates": {
        "case": "nx_mcf_candidates",
        "max_pairs": 50_000_000,
        "skip": "does not finish within the limit past 10,000 x 5,000",
    },
    "networkx max_weight_matching, dense, capacity-expanded": {
        "case": "nx_mwm_dense",
        "max_pairs": 20_000,
        "skip": "over 5 minutes at 2,000 x 1,000 on top-20 candidates alone (performance.md)",
    },
    "matching hospital/residents (stable), algorithm functions": {
        "case": "matching_hr",
        "max_pairs": 50_000_000,
        "skip": "does not finish within the limit past 10,000 x 5,000",
    },
}


# ----------------------------------------------------------------------------- measurements


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _Sampler:
    """Resident memory every few milliseconds, to find each phase's peak within one process."""

    def __init__(self) -> None:
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE") / 2**20
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with open("/proc/self/statm") as statm:
            while not self._stop.is_set():
                statm.seek(0)
                rss = int(statm.read().split()[1]) * self._page
                self.samples.append((time.perf_counter(), rss))
                time.sleep(0.005)

    def __enter__(self) -> _Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def peak(self, start: float, end: float) -> float:
        inside = [mb for t, mb in self.samples if start <= t <= end]
        if not inside:
            # A phase shorter than the sampling step: the next sample is the nearest evidence.
            inside = [mb for t, mb in self.samples if t >= start][:1]
        return round(max(inside), 1) if inside else float("nan")


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 4)


def _repeats(n: int, m: int, quick: bool) -> int:
    if quick:
        return 1
    return 5 if n * m <= 50_000_000 else 1


def _chunk(m: int) -> int:
    return max(1, 8_000_000 // m)


def _score_pass(cohort: Any) -> None:
    """Every pair's score once, in the blocks and on the threads ours reads them with."""
    n, m = cohort.shape
    step = max(1, solve_module._BLOCK_CELLS // m)
    for _ in solve_module._in_blocks(cohort.score_rows, np.arange(n), step, WORKERS):
        pass


def _candidate_graph(cohort: Any, k: int = CANDIDATES_K) -> sp.csr_array:
    """Each mentee's k best mentors: the graph every sparse alternative is given."""
    n, m = cohort.shape
    k = min(k, m)
    parts = []
    for first in range(0, n, _chunk(m)):
        rows = np.arange(first, min(n, first + _chunk(m)))
        block = cohort.score_rows(rows)
        top = np.argpartition(block, m - k, axis=1)[:, m - k :]
        parts.append((np.repeat(rows, k), top.ravel(), np.take_along_axis(block, top, 1).ravel()))
    r, c, s = (np.concatenate(p) for p in zip(*parts, strict=True))
    return sp.csr_array((s.astype(np.float64), (r, c)), shape=(n, m))


def case_ours(n: int, m: int, repeats: int) -> dict[str, Any]:
    cohort = make_cohort(n, m)
    base_mb = _peak_mb()
    starts: list[float] = []
    ends: list[float] = []
    kernels = {name: getattr(solve_module, name) for name in ("_assign", "_assign_flow")}

    def timed(kernel: Any) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            starts.append(time.perf_counter())
            try:
                return kernel(*args, **kwargs)
            finally:
                ends.append(time.perf_counter())

        return run

    for name, kernel in kernels.items():
        setattr(solve_module, name, timed(kernel))
    if n * m <= 50_000_000:
        # One untimed run first, so that first-call costs (imports, page faults) are not timed.
        solve_certified(cohort.score_rows, n, m, cohort.capacity, workers=WORKERS)
    runs = []
    memory: dict[str, float] = {}
    for rep in range(repeats):
        starts.clear()
        ends.clear()
        with _Sampler() as sampler:
            began = time.perf_counter()
            sol = solve_certified(cohort.score_rows, n, m, cohort.capacity, workers=WORKERS)
            finished = time.perf_counter()
        runs.append({"whole": finished - began, **sol.seconds})
        if rep == 0:
            certify_windows = list(zip(ends, [*starts[1:], finished], strict=True))
            memory = {
                "candidates": sampler.peak(began, starts[0]) if starts else float("nan"),
                "solve": max(sampler.peak(a, b) for a, b in zip(starts, ends, strict=True)),
                "certify": max(sampler.peak(a, b) for a, b in certify_windows),
            }
    for name, kernel in kernels.items():
        setattr(solve_module, name, kernel)
    matched = sol.assignment >= 0
    return {
        "n_mentees": n,
        "n_mentors": m,
        "places": int(cohort.capacity.sum()),
        "repeats": repeats,
        "workers": WORKERS,
        "seconds": {key: _median([r[key] for r in runs]) for key in runs[0]},
        "peak_mb": {**memory, "whole": round(_peak_mb(), 1), "before": round(base_mb, 1)},
        "certified": bool(sol.certified),
        "rounds": sol.rounds,
        "n_candidates": sol.n_candidates,
        "total": sol.total,
        "bound": sol.bound,
        "matched": int(matched.sum()),
    }


def case_scoring(n: int, m: int, repeats: int) -> dict[str, Any]:
    if n * m > 1_000_000_000:
        return {"skipped": "not repeated separately: it is most of the candidates step"}
    cohort = make_cohort(n, m)
    mentors = sp.csr_array(cohort.mentors_t.T)
    times, product, sparse_product = [], [], []
    for _ in range(repeats):
        began = time.perf_counter()
        _score_pass(cohort)
        times.append(time.perf_counter() - began)
        if n * m <= MATCH_MAX_PAIRS:
            # The yardstick of the pipeline goal, one dense interest-similarity matrix, made two
            # ways: as performance.md made it (0.7 s at 10,000 x 5,000: the product of the two
            # sparse one-hot matrices, then made dense), and as fast as we know (sparse one-hot
            # rows times the dense mentor matrix, straight into a dense result).
            began = time.perf_counter()
            (cohort.mentees @ mentors.T).toarray()
            sparse_product.append(time.perf_counter() - began)
            began = time.perf_counter()
            np.asarray(cohort.mentees @ cohort.mentors_t)
            product.append(time.perf_counter() - began)
    return {
        "seconds": _median(times),
        "product_seconds": _median(product) if product else None,
        "sparse_product_seconds": _median(sparse_product) if sparse_product else None,
        "peak_mb": round(_peak_mb(), 1),
    }


def _people_csv(people: Any, path: Path) -> None:
    """A people table written as a coordinator's CSV export would be: lists joined by "; ".

    The loader takes at most 50,000 rows and 20 MB per file, so a larger cohort is written as
    several files of 40,000 rows, as a national association would have to send it.
    """
    people = people.assign(
        timezone=people["timezone"].map(lambda v: "" if v != v else f"UTC{v:+g}")
    )
    flat = people.apply(
        lambda column: column.map(
            lambda v: "; ".join(map(str, v)) if isinstance(v, tuple) else ("" if v != v else v)
        )
    )
    for part, first in enumerate(range(0, len(flat), READ_ROWS_PER_FILE)):
        chunk = flat.iloc[first : first + READ_ROWS_PER_FILE]
        chunk.to_csv(path.with_name(f"{path.stem}-{part + 1:02d}.csv"), index=False)


def case_reading(n: int, m: int, repeats: int) -> dict[str, Any]:
    """``load_people`` on a CSV export of a synthetic people table of the same size."""
    import tempfile

    from mentoring.pipeline import load_people
    from mentoring.reading.synthetic import random_people

    people = random_people(n, m, seed=20261128)
    times = []
    with tempfile.TemporaryDirectory() as folder:
        _people_csv(people, Path(folder) / "members.csv")
        files = sorted(Path(folder).glob("members-*.csv"))
        size_mb = sum(f.stat().st_size for f in files) / 2**20
        for _ in range(repeats):
            began = time.perf_counter()
            loaded, issues = load_people(files)
            times.append(time.perf_counter() - began)
    return {
        "rows": int(len(loaded)),
        "files": len(files),
        "issues": len(issues),
        "file_mb": round(size_mb, 1),
        "seconds": _median(times),
        "peak_mb": round(_peak_mb(), 1),
    }


def case_match(n: int, m: int, repeats: int, mentee_capacity: int = 1) -> dict[str, Any]:
    """The whole ``match()`` on a synthetic people table: scoring, rules, solve, audit, reasons.

    With ``mentee_capacity`` 2 every mentee takes up to two mentors (the transportation path).
    """
    import pandas as pd

    from mentoring.model.config import MatchConfig
    from mentoring.pipeline import match
    from mentoring.reading.synthetic import random_people

    people = random_people(n, m, seed=20261128)
    if mentee_capacity != 1:
        people["mentee_capacity"] = pd.array([mentee_capacity] * len(people), dtype="Int64")
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        result = match(people, MatchConfig())
        times.append(time.perf_counter() - began)
    return {
        "seconds": _median(times),
        "peak_mb": round(_peak_mb(), 1),
        "certified": bool(result.stats.certified),
        "matched": int(result.stats.n_matched),
        "pairs": int(len(result.pairs)),
        "total": float(result.stats.total_score),
        "repeats": repeats,
    }


def case_pipeline_scoring(n: int, m: int, repeats: int) -> dict[str, Any]:
    from mentoring.engine.scoring import build_features, score_block
    from mentoring.model.config import MatchConfig
    from mentoring.reading.synthetic import random_people

    people = random_people(n, m, seed=20261128)
    features_s, times = [], []
    for _ in range(repeats):
        began = time.perf_counter()
        features = build_features(people, MatchConfig())
        features_s.append(time.perf_counter() - began)
        began = time.perf_counter()
        for first in range(0, n, _chunk(m)):
            score_block(features, np.arange(first, min(n, first + _chunk(m))), total_only=True)
        times.append(time.perf_counter() - began)
    return {
        "features_seconds": _median(features_s),
        "seconds": _median(times),
        "peak_mb": round(_peak_mb(), 1),
    }


def case_kernel(n: int, m: int, repeats: int) -> dict[str, Any]:
    """Our solve() on a sparse candidate graph against the bare scipy kernel on the same graph."""
    cohort = make_cohort(n, m)
    graph = _candidate_graph(cohort)
    cap = cohort.capacity
    # The same reduction and weights solve() uses (capacity slots, one private "unassigned"
    # column per row, coverage bonus), built outside the timing: only the kernel call is timed.
    n_, m_, r, c, s = solve_module._edges(graph)
    w, _, _ = solve_module._weights(n_, r, s, None, True)
    reps = cap[c]
    start = np.concatenate(([0], np.cumsum(cap)))
    edge = np.repeat(np.arange(r.size), reps)
    offset = np.arange(edge.size) - np.repeat(np.concatenate(([0], np.cumsum(reps)[:-1])), reps)
    n_slots = int(start[-1])
    top = float(w.max()) + 1.0
    expanded = sp.csr_array(
        (
            np.concatenate((top - w[edge], np.full(n, top))),
            (
                np.concatenate((r[edge], np.arange(n))),
                np.concatenate((start[c[edge]] + offset, n_slots + np.arange(n))),
            ),
        ),
        shape=(n, n_slots + n),
    )
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    if n * m <= 50_000_000:
        solve(graph, cap)
        min_weight_full_bipartite_matching(expanded)
    # Interleaved, so that a burst of load on the shared machine hits both alike; a call of a
    # millisecond or so is repeated within each run, since one call is mostly timer noise.
    began = time.perf_counter()
    a = solve(graph, cap)
    inner = max(1, int(0.1 / max(time.perf_counter() - began, 1e-6)))
    ours, bare = [], []
    for _ in range(max(repeats, 5) if inner > 1 else repeats):
        began = time.perf_counter()
        for _ in range(inner):
            a = solve(graph, cap)
        ours.append((time.perf_counter() - began) / inner)
        began = time.perf_counter()
        for _ in range(inner):
            _, cols = min_weight_full_bipartite_matching(expanded)
        bare.append((time.perf_counter() - began) / inner)
    return {
        "graph_pairs": int(graph.nnz),
        "solve_seconds": _median(ours),
        "bare_kernel_seconds": _median(bare),
        "ratio": round(statistics.median(ours) / statistics.median(bare), 2),
        "solve_matched": int((a >= 0).sum()),
        "bare_matched": int((cols < n_slots).sum()),
        "peak_mb": round(_peak_mb(), 1),
    }


def _alternative_input(cohort: Any, dense: bool) -> Any:
    return cohort.dense().astype(np.float64) if dense else _candidate_graph(cohort)


def _nx_min_cost_flow(scores: Any, cap: np.ndarray) -> np.ndarray:
    # The oracle is networkx min_cost_flow on integer weights with the same objective as ours.
    return solve_module.min_cost_flow_oracle(scores, cap)


def _nx_max_weight_matching(scores: np.ndarray, cap: np.ndarray) -> np.ndarray:
    import networkx as nx

    n, m = scores.shape
    slot_col = np.repeat(np.arange(m), cap)
    g = nx.Graph()
    bonus = n + 1.0
    for i in range(n):
        for slot, j in enumerate(slot_col.tolist()):
            g.add_edge(("r", i), ("s", slot), weight=float(scores[i, j]) + bonus)
    out = np.full(n, -1, dtype=np.int64)
    for a, b in nx.max_weight_matching(g):
        row, slot = (a, b) if a[0] == "r" else (b, a)
        out[row[1]] = slot_col[slot[1]]
    return out


def _matching_hr(scores: Any, cap: np.ndarray) -> np.ndarray:
    """Resident-optimal stable matching, through the library's algorithm function.

    Its game classes deep-copy the players and hit the recursion limit at a few hundred people
    (its issues 135 and 139), so the players are built directly.
    """
    from matching import Player
    from matching.algorithms.hospital_resident import hospital_resident
    from matching.players import Hospital

    csr = sp.csr_array(scores)
    n, m = csr.shape
    residents = [Player(i) for i in range(n)]
    hospitals = [Hospital(j, int(cap[j])) for j in range(m)]
    ranked_by: list[list[tuple[float, int]]] = [[] for _ in range(m)]
    for i in range(n):
        cols = csr.indices[csr.indptr[i] : csr.indptr[i + 1]]
        vals = csr.data[csr.indptr[i] : csr.indptr[i + 1]]
        order = np.lexsort((cols, -vals))
        residents[i].set_prefs([hospitals[j] for j in cols[order].tolist()])
        for j, v in zip(cols.tolist(), vals.tolist(), strict=True):
            ranked_by[j].append((-v, i))
    for j in range(m):
        hospitals[j].set_prefs([residents[i] for _, i in sorted(ranked_by[j])])
    result = hospital_resident([r for r in residents if r.prefs], [h for h in hospitals if h.prefs])
    out = np.full(n, -1, dtype=np.int64)
    for hospital, matched in result.items():
        for resident in matched:
            out[resident.name] = hospital.name
    return out


def _lsa_dense(scores: np.ndarray, cap: np.ndarray) -> np.ndarray:
    from scipy.optimize import linear_sum_assignment

    slot_col = np.repeat(np.arange(scores.shape[1]), cap)
    rows, cols = linear_sum_assignment(scores[:, slot_col], maximize=True)
    out = np.full(scores.shape[0], -1, dtype=np.int64)
    out[rows] = slot_col[cols]
    return out


METHODS = {
    "lsa_dense": (_lsa_dense, True),
    "greedy_dense": (greedy, True),
    "greedy_candidates": (greedy, False),
    "nx_mcf_dense": (_nx_min_cost_flow, True),
    "nx_mcf_candidates": (_nx_min_cost_flow, False),
    "nx_mwm_dense": (_nx_max_weight_matching, True),
    "matching_hr": (_matching_hr, None),
}


def case_alternative(name: str, n: int, m: int, repeats: int) -> dict[str, Any]:
    method, dense = METHODS[name]
    if name in ("nx_mwm_dense", "nx_mcf_dense"):
        # About a minute per run already at the smallest size: one run fits the time limit.
        repeats = 1
    cohort = make_cohort(n, m)
    if dense is None:
        # Stable matching gets full preference lists while that is affordable, else top-k.
        dense = n * m <= 20_000
    scores = _alternative_input(cohort, dense)
    truth = cohort.dense().astype(np.float64) if n * m <= 50_000_000 else scores
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        a = method(scores, cohort.capacity)
        times.append(time.perf_counter() - began)
    return {
        "input": "dense" if dense else f"top-{CANDIDATES_K} candidates",
        "seconds": _median(times),
        "peak_mb": round(_peak_mb(), 1),
        "total": total_score(truth, a),
        "matched": int((a >= 0).sum()),
        "repeats": repeats,
    }


# ----------------------------------------------------------------------------- orchestration


def _child(case: str, size: str, repeats: int, limit: float) -> dict[str, Any]:
    """Run one case in a fresh process; a case past its limit is reported, not waited for."""
    command = [sys.executable, str(Path(__file__).resolve()), "--case", case, "--size", size]
    command += ["--repeats", str(repeats)]
    began = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=limit, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish within {limit:.0f} s"}
    if done.returncode != 0:
        tail = (done.stderr or "").strip().splitlines()[-3:]
        return {"error": f"failed (exit {done.returncode}): {' | '.join(tail)}"}
    out = json.loads(done.stdout.strip().splitlines()[-1])
    out["process_seconds"] = round(time.perf_counter() - began, 1)
    return out


def machine() -> dict[str, Any]:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        mem_kb = 0
    import networkx

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kb / 2**20, 1),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "networkx": networkx.__version__,
        "ortools": importlib.metadata.version("ortools"),
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "(not set)"),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def _has_pipeline_scoring() -> bool:
    try:
        from mentoring.engine.scoring import build_features, score_block  # noqa: F401
        from mentoring.reading.synthetic import random_people  # noqa: F401
    except ImportError:
        return False
    return True


def run_size(size: str, quick: bool, log: Any) -> dict[str, Any]:
    n, m = SIZES[size] if size in SIZES else tuple(int(x) for x in size.split("x"))
    repeats = _repeats(n, m, quick)
    slow_repeats = 1 if n * m > 2_000_000 or quick else 3
    entry: dict[str, Any] = {}
    log(f"[{size}] ours ({repeats} runs)")
    entry["ours"] = _child("ours", size, repeats, limit=3000)
    log(f"[{size}] ours: {entry['ours']}")
    entry["scoring"] = _child("scoring", size, repeats, limit=900)
    entry["reading"] = _child("reading", size, min(repeats, 3), limit=900)
    log(f"[{size}] reading: {entry['reading']}")
    if _has_pipeline_scoring():
        entry["pipeline_scoring"] = _child("pipeline_scoring", size, min(repeats, 3), LIMIT)
    else:
        entry["pipeline_scoring"] = {"error": "mentoring.engine.scoring not available"}
    if n * m <= MATCH_MAX_PAIRS:
        entry["match"] = _child("match", size, min(repeats, 3), limit=900)
        log(f"[{size}] match: {entry['match']}")
        entry["match_two_mentors"] = _child("match_two_mentors", size, min(repeats, 3), limit=900)
        log(f"[{size}] match, two mentors each: {entry['match_two_mentors']}")
    huge = n * m > 1_000_000_000
    if huge:
        entry["kernel"] = {"error": "not run: building the separate top-50 graph takes too long"}
    else:
        entry["kernel"] = _child("kernel", size, min(repeats, 3), limit=900)
    log(f"[{size}] kernel: {entry['kernel']}")
    alternatives = {}
    for label, spec in ALTERNATIVES.items():
        limit = LIMIT
        if spec["case"] == "nx_mcf_dense" and size == "2000x1000":
            limit = NX_GOAL_LIMIT
        if spec["max_pairs"] is not None and n * m > spec["max_pairs"]:
            alternatives[label] = {"skipped": spec["skip"]}
            continue
        if quick and spec["case"] in ("nx_mcf_dense", "matching_hr") and n * m > 20_000:
            alternatives[label] = {"skipped": "skipped in --quick runs"}
            continue
        if huge and spec["case"] == "greedy_candidates":
            alternatives[label] = {
                "skipped": "building its top-50 graph alone exceeds the limit at this size"
            }
            continue
        fast = spec["case"] in ("lsa_dense", "greedy_candidates", "greedy_dense")
        reps = repeats if fast and n * m <= 2_000_000 else slow_repeats
        alternatives[label] = _child(spec["case"], size, reps, limit)
        log(f"[{size}] {label}: {alternatives[label]}")
    ours_total = entry["ours"].get("total")
    for result in alternatives.values():
        if "total" in result and ours_total:
            result["percent_of_ours"] = round(100.0 * result["total"] / ours_total, 3)
    entry["alternatives"] = alternatives
    return entry


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def goals(results: dict[str, Any]) -> list[str]:
    sizes = results["sizes"]
    lines = []
    certified = {s: e["ours"].get("certified") for s, e in sizes.items()}
    lines.append(
        "- Certified at every size: "
        + ("**yes**" if all(certified.values()) else "**no**")
        + f" ({', '.join(f'{s}: {v}' for s, v in certified.items())})."
    )
    ratios = {s: e.get("kernel", {}).get("ratio", "not run") for s, e in sizes.items()}
    ok = all(r <= 2 for r in ratios.values() if isinstance(r, float | int))
    lines.append(
        "- `solve` on the sparse graph within 2x the bare scipy kernel on the same graph: "
        + ("**yes**" if ok else "**no**")
        + f" (ratio {', '.join(f'{s}: {r}' for s, r in ratios.items())})."
    )
    yard = sizes.get("10000x5000", {})
    product = yard.get("scoring", {}).get("sparse_product_seconds")
    fastest = yard.get("scoring", {}).get("product_seconds")
    if product and fastest and "seconds" in yard.get("ours", {}):
        whole = yard["ours"]["seconds"]["whole"]
        line = (
            "- The whole pipeline on 10,000 x 5,000 within 4x one dense interest product made as "
            "performance.md made it: "
            + ("**yes**" if whole <= 4 * product else "**no**")
            + f" (scores to certified answer {whole:.2f} s = {whole / product:.1f}x its "
            f"{product:.2f} s; against the fastest product we know, {fastest:.3f} s, "
            f"{whole / fastest:.1f}x, **no**"
        )
        real = yard.get("match", {})
        if "seconds" in real:
            line += (
                f"; the full `match()` with seven score components, rules, audit and reasons "
                f"{real['seconds']:.2f} s = {real['seconds'] / product:.1f}x the first"
            )
        lines.append(line + ").")
    else:
        lines.append("- The whole pipeline on 10,000 x 5,000 within 4x one dense product: not run.")
    big = sizes.get("200000x100000", {}).get("ours", {})
    if "seconds" in big:
        sec, mb = big["seconds"]["whole"], big["peak_mb"]["whole"]
        ok = sec < 180 and mb < 8 * 1024
        lines.append(
            "- 200,000 x 100,000 under 3 min and 8 GiB: "
            + ("**yes**" if ok else "**no**")
            + f" ({sec:,.0f} s, {mb / 1024:,.2f} GiB peak)."
        )
    else:
        lines.append("- 200,000 x 100,000 under 3 min and 8 GiB: not measured in this run.")
    mid = sizes.get("2000x1000", {})
    nx_dense = mid.get("alternatives", {}).get("networkx min_cost_flow, dense", {})
    if "seconds" in nx_dense and "seconds" in mid.get("ours", {}):
        speedup = nx_dense["seconds"] / mid["ours"]["seconds"]["whole"]
        lines.append(
            "- At least 1000x faster than networkx min-cost flow at 2,000 x 1,000: "
            + ("**yes**" if speedup >= 1000 else "**no**")
            + f" ({speedup:,.0f}x: {nx_dense['seconds']:,.1f} s against "
            f"{mid['ours']['seconds']['whole']:.3f} s)."
        )
    elif "did not finish" in nx_dense.get("error", "") and "seconds" in mid.get("ours", {}):
        speedup = NX_GOAL_LIMIT / mid["ours"]["seconds"]["whole"]
        lines.append(
            "- At least 1000x faster than networkx min-cost flow at 2,000 x 1,000: "
            + ("**yes**" if speedup >= 1000 else "**not shown**")
            + f" (networkx {nx_dense['error']}, so at least {speedup:,.0f}x)."
        )
    else:
        reason = nx_dense.get("error") or nx_dense.get("skipped") or "not run"
        lines.append(
            "- At least 1000x faster than networkx min-cost flow at 2,000 x 1,000: "
            f"not measured ({reason})."
        )
    return lines


def _per_size_table(
    results: dict[str, Any],
    title: str,
    columns: list[str],
    case: str,
    cells: Any,
) -> list[str]:
    """A Markdown section with one row per size: the case's cells, or why it has none."""
    out = ["", f"## {title}", "", "| mentees x mentors | " + " | ".join(columns) + " |"]
    out.append("|---|" + "---|" * len(columns))
    for size, entry in results["sizes"].items():
        got = entry.get(case, {})
        if "seconds" in got:
            out.append(f"| {size} | " + " | ".join(cells(got)) + " |")
        else:
            out.append(f"| {size} | {got.get('error', 'not run')} |" + " |" * (len(columns) - 1))
    return out


def _two_mentors_table(results: dict[str, Any]) -> list[str]:
    """``match()`` with every mentee taking up to two mentors, against one mentor each."""
    out = [
        "",
        "## Mentees with two mentors (issue 14)",
        "",
        "| mentees x mentors | `match()` s, one mentor | `match()` s, up to two | ratio "
        "| certified | mentees matched | pairs | total score |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for size, entry in results["sizes"].items():
        one, two = entry.get("match", {}), entry.get("match_two_mentors", {})
        if "seconds" not in two:
            continue
        ratio = two["seconds"] / one["seconds"] if one.get("seconds") else None
        out.append(
            f"| {size} | {_fmt(one.get('seconds'))} | {_fmt(two['seconds'])} | {_fmt(ratio)} "
            f"| {two['certified']} | {two['matched']:,} | {two.get('pairs', 0):,} "
            f"| {_fmt(two.get('total'), 3)} |"
        )
    return out


def write_markdown(results: dict[str, Any], path: Path) -> None:
    mach = results["machine"]
    out = ["# Benchmark results", ""]
    out.append(
        f"Machine: {mach['cpu']}, {mach['cores']} cores, {mach['memory_gib']} GiB; Python "
        f"{mach['python']}, numpy {mach['numpy']}, scipy {mach['scipy']}, networkx "
        f"{mach['networkx']}, ortools {mach.get('ortools', '-')}; OPENBLAS_CORETYPE={mach['OPENBLAS_CORETYPE']}; load average at "
        f"start {mach['load_average_at_start']} (the machine is shared: absolute times are noisy, "
        f"ratios within one run are not). Run {mach['date']}."
        + "".join(
            f" `{r['case']}` rerun {r['date']} (load average {r['load_average_at_start']})."
            for r in results.get("reruns", [])
        )
    )
    out += [
        "",
        "Cohorts: seeded (bench/cohort.py), 5-10 interest tags of 200 with Zipf-like popularity, "
        "cosine scores, mentor capacities 1-4. Ours = `solve_certified` with the coverage "
        "objective: top-k candidates in row blocks read on one thread per core, exact solve "
        "(OR-Tools min-cost flow, checked and if need be redone by scipy's exact matcher), "
        "LP-dual certificate. Seconds are "
        "medians over the runs shown; peak memory is resident memory in a fresh process "
        "(phases: sampled every 5 ms within the run).",
        "",
        "## Ours",
        "",
        "| mentees x mentors | places | runs | scoring s | candidates s | solve s | certify s "
        "| whole s | peak MB scoring | peak MB candidates | peak MB solve | peak MB certify "
        "| peak MB whole | certified | rounds | candidates | total score | matched |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for size, entry in results["sizes"].items():
        o, sc = entry["ours"], entry.get("scoring", {})
        if "seconds" not in o:
            out.append(f"| {size} | {o.get('error', '-')} |" + " |" * 16)
            continue
        s, mb = o["seconds"], o["peak_mb"]
        out.append(
            f"| {o['n_mentees']:,} x {o['n_mentors']:,} | {o['places']:,} | {o['repeats']} "
            f"| {_fmt(sc.get('seconds'), 3)} | {_fmt(s['candidates'], 3)} | {_fmt(s['solve'], 3)} "
            f"| {_fmt(s['certify'], 3)} | {_fmt(s['whole'], 3)} | {_fmt(sc.get('peak_mb'), 0)} "
            f"| {_fmt(mb['candidates'], 0)} | {_fmt(mb['solve'], 0)} | {_fmt(mb['certify'], 0)} "
            f"| {_fmt(mb['whole'], 0)} | {o['certified']} | {o['rounds']} "
            f"| {o['n_candidates']:,} | {o['total']:,.3f} | {o['matched']:,} |"
        )
    out += _two_mentors_table(results)
    out += [
        "",
        "Scoring s is a separate pass that only computes every pair's score in row blocks "
        "(the floor under the candidates step); '-' where it was not repeated separately.",
        "",
        "## The whole pipeline against one dense interest product",
        "",
        "| mentees x mentors | product as performance.md s | fastest product s "
        "| ours, scores to certified answer s | ratio to each | `match()` s | ratio to each "
        "| `match()` certified |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for size, entry in results["sizes"].items():
        fastest = entry.get("scoring", {}).get("product_seconds")
        product = entry.get("scoring", {}).get("sparse_product_seconds")
        o, real = entry["ours"], entry.get("match", {})
        if not product or not fastest or "seconds" not in o:
            continue
        whole = o["seconds"]["whole"]
        real_s = real.get("seconds")
        real_ratio = f"{real_s / product:.1f} / {real_s / fastest:.0f}" if real_s else "-"
        out.append(
            f"| {size} | {product:.3f} | {fastest:.3f} | {whole:.3f} "
            f"| {whole / product:.1f} / {whole / fastest:.1f} | {_fmt(real_s, 3)} "
            f"| {real_ratio} | {real.get('certified', real.get('error', '-'))} |"
        )
    out += [
        "",
        "The product as performance.md made it multiplies the two sparse one-hot tag matrices "
        "and makes the result dense; the fastest multiplies the sparse mentee rows by the dense "
        "mentor matrix straight into a dense result.",
        "",
        "`match()` runs on `mentoring.reading.synthetic.random_people` of the same size, with every "
        "default rule and reasons and alternatives for every pair.",
        "",
        "## Solve step against the bare scipy kernel (same top-50 graph)",
        "",
        "| mentees x mentors | graph pairs | `solve` s | bare `min_weight_full_bipartite_matching` s "
        "| ratio |",
        "|---|---|---|---|---|",
    ]
    for size, entry in results["sizes"].items():
        k = entry.get("kernel", {})
        if "ratio" in k:
            out.append(
                f"| {size} | {k['graph_pairs']:,} | {k['solve_seconds']:.3f} "
                f"| {k['bare_kernel_seconds']:.3f} | {k['ratio']} |"
            )
        else:
            out.append(f"| {size} | {k.get('error', '-')} | | | |")
    out += _per_size_table(
        results,
        "Reading (`load_people` on a CSV export of `random_people` of the same size)",
        ["rows", "files", "MB", "seconds", "peak MB", "issues"],
        "reading",
        lambda rd: [
            f"{rd['rows']:,}",
            str(rd.get("files", 1)),
            f"{rd['file_mb']:,.1f}",
            f"{rd['seconds']:.3f}",
            f"{rd['peak_mb']:,.0f}",
            str(rd["issues"]),
        ],
    )
    out += _per_size_table(
        results,
        "Real pipeline scoring (`mentoring.engine.scoring` on `mentoring.reading.synthetic.random_people`)",
        ["build_features s", "score_block over all rows s", "peak MB"],
        "pipeline_scoring",
        lambda p: [f"{p['features_seconds']:.3f}", f"{p['seconds']:.3f}", f"{p['peak_mb']:,.0f}"],
    )
    out += [
        "",
        "## Alternatives on the same instances",
        "",
        "Times of the top-50 variants exclude building their candidate graph, and dense ones "
        "exclude building the score matrix; ours includes every step from score blocks to the "
        "certificate. Totals are scored on the full matrix (top-50 graph at 50,000 x 20,000).",
        "",
        "| mentees x mentors | method | input | seconds | peak MB | total score | % of ours "
        "| matched | note |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for size, entry in results["sizes"].items():
        o = entry["ours"]
        if "total" in o:
            out.append(
                f"| {size} | **ours (certified)** | scores in row blocks "
                f"| {o['seconds']['whole']:.3f} | {o['peak_mb']['whole']:,.0f} "
                f"| {o['total']:,.3f} | 100 | {o['matched']:,} | |"
            )
        for label, a in entry.get("alternatives", {}).items():
            if "seconds" in a:
                out.append(
                    f"| {size} | {label} | {a['input']} | {a['seconds']:,.3f} "
                    f"| {a['peak_mb']:,.0f} | {a['total']:,.3f} | {a.get('percent_of_ours', '-')} "
                    f"| {a['matched']:,} | {a['repeats']} run(s) |"
                )
            else:
                note = a.get("skipped") or a.get("error", "")
                out.append(f"| {size} | {label} | | | | | | | {note} |")
    out += ["", "## Goals", "", *goals(results), ""]
    path.write_text("\n".join(out), encoding="utf-8")


def write_chart(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 5))
    series: dict[str, list[tuple[int, float]]] = {}
    for entry in results["sizes"].values():
        o = entry["ours"]
        if "seconds" not in o:
            continue
        pairs = o["n_mentees"] * o["n_mentors"]
        series.setdefault("ours (certified)", []).append((pairs, o["seconds"]["whole"]))
        for label, a in entry.get("alternatives", {}).items():
            if "seconds" in a:
                series.setdefault(label, []).append((pairs, a["seconds"]))
    for label, points in series.items():
        points.sort()
        xs, ys = zip(*points, strict=True)
        style = {"linewidth": 3, "color": "black"} if label.startswith("ours") else {}
        ax.plot(xs, ys, marker="o", label=label, **style)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("mentee x mentor pairs")
    ax.set_ylabel("seconds (median)")
    ax.set_title("Time to an answer against cohort size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(SIZES), help="comma list, e.g. 300,2000x1000")
    parser.add_argument("--quick", action="store_true", help="smoke run: 300 and 2000x1000, once")
    parser.add_argument("--out", default=str(RESULTS), help="results folder")
    parser.add_argument(
        "--report",
        action="store_true",
        help="only rewrite results.md, the chart and the skip notes from results.json",
    )
    parser.add_argument(
        "--only",
        help="rerun one measurement (e.g. reading) at --sizes and merge it into results.json",
    )
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--size", help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.case:
        n, m = SIZES[args.size] if args.size in SIZES else map(int, args.size.split("x"))
        cases = {"ours": case_ours, "scoring": case_scoring, "kernel": case_kernel}
        cases["pipeline_scoring"] = case_pipeline_scoring
        cases["match"] = case_match
        cases["match_two_mentors"] = lambda n, m, r: case_match(n, m, r, mentee_capacity=2)
        cases["reading"] = case_reading
        if args.case in cases:
            result = cases[args.case](n, m, args.repeats)
        else:
            result = case_alternative(args.case, n, m, args.repeats)
        print(json.dumps(result))
        return 0

    sizes = args.sizes.split(",")
    if args.quick:
        sizes = ["300", "2000x1000"] if args.sizes == ",".join(SIZES) else sizes
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    store = out / "results.json"
    results = json.loads(store.read_text()) if store.exists() else {"sizes": {}}
    if args.report:
        for entry in results["sizes"].values():
            for label, spec in ALTERNATIVES.items():
                if "skipped" in entry.get("alternatives", {}).get(label, {}):
                    entry["alternatives"][label]["skipped"] = spec["skip"]
        store.write_text(json.dumps(results, indent=1))
        write_markdown(results, out / "results.md")
        write_chart(results, out / "time_vs_size.png")
        return 0
    if args.only:
        # The tables describe the full run's machine state; a rerun of one case is noted apart.
        rerun = {"case": args.only, "sizes": sizes, **machine()}
        results.setdefault("reruns", []).append(rerun)
    else:
        results["machine"] = machine()
        results.pop("reruns", None)

    def log(text: str) -> None:
        print(time.strftime("%H:%M:%S"), text, flush=True)

    for size in sizes:
        if args.only:
            n, m = SIZES[size] if size in SIZES else tuple(int(x) for x in size.split("x"))
            repeats = min(_repeats(n, m, args.quick), 3)
            results["sizes"].setdefault(size, {})[args.only] = _child(args.only, size, repeats, 900)
            log(f"[{size}] {args.only}: {results['sizes'][size][args.only]}")
        else:
            results["sizes"][size] = run_size(size, args.quick, log)
        ordered = sorted(results["sizes"].items(), key=lambda kv: _pairs(kv[0]))
        results["sizes"] = dict(ordered)
        store.write_text(json.dumps(results, indent=1))
        write_markdown(results, out / "results.md")
        write_chart(results, out / "time_vs_size.png")
    log(f"wrote {store}, results.md and time_vs_size.png")
    return 0


def _pairs(size: str) -> int:
    n, m = SIZES[size] if size in SIZES else tuple(int(x) for x in size.split("x"))
    return n * m


if __name__ == "__main__":
    raise SystemExit(main())
