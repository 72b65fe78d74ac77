"""The path a coordinator takes, at association scale: files to certified pairs (issue 15).

``python bench/pipeline.py`` measures, on this machine, each in a fresh process:

- ``mentoring match f1.csv ... f4.csv -o pairs.csv`` on sign-up files made by
  ``bench/association.py`` (the sample's Google Forms shape, about two mentees per mentor, one
  free-text question each side), at 50,000 and 200,000 members in four files: seconds, peak
  memory, whether the answer is certified, and the seconds of each stage as the command's own
  progress lines report them;
- ``match()`` at 10,000 x 5,000 against the dense interest product of the same cohort made two
  ways: as ``performance.md`` made it (sparse x sparse, then dense) and the fastest way we know
  (sparse rows x dense mentor matrix), all in one run.

``--sizes 50000`` runs a subset; ``--timeout`` bounds each files-to-pairs run (a run cut short is
recorded as such, with the stages it reached). Results go to ``bench/results/pipeline.json``
and ``bench/results/pipeline.md`` with the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from machine import described, speed_check

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
PYTHON = sys.executable
MENTORING = str(Path(PYTHON).with_name("mentoring"))

sys.path.insert(0, str(HERE))

__all__ = ["main", "stages"]

_LINE = re.compile(r"^\[\s*([\d.]+) s\] (.*)$")

_PRODUCTS = """
import json, time
import numpy as np
import scipy.sparse as sp
from mentoring import match, MatchConfig
from mentoring.engine.scoring import build_features
from mentoring.model.people import prepare_people
from mentoring.reading.synthetic import random_people
people = random_people(10_000, 5_000, seed=20261128)
f = build_features(prepare_people(people), MatchConfig())
mentors = sp.csr_array(f.interests_r_t.T)
out = {{"fastest": [], "as_performance_md": [], "match": []}}
for _ in range({repeats}):
    began = time.perf_counter()
    np.asarray(f.interests_e @ f.interests_r_t)
    out["fastest"].append(time.perf_counter() - began)
    began = time.perf_counter()
    (f.interests_e @ mentors.T).toarray()
    out["as_performance_md"].append(time.perf_counter() - began)
    began = time.perf_counter()
    result = match(people, MatchConfig())
    out["match"].append(time.perf_counter() - began)
    assert result.audit.ok
print(json.dumps(out))
"""


def stages(log: str) -> list[tuple[str, float]]:
    """Each progress line's stage and its seconds, up to the next line (the last: to the end).

    Examples
    --------
    >>> stages("[   0.0 s] Reading\\n[   4.5 s] Scoring\\nsummary\\n[  10.0 s] Done\\n")
    [('Reading', 4.5), ('Scoring', 5.5), ('Done', 0.0)]
    """
    found = [(m.group(2), float(m.group(1))) for m in map(_LINE.match, log.splitlines()) if m]
    return [
        (name, round((found[k + 1][1] if k + 1 < len(found) else at) - at, 1))
        for k, (name, at) in enumerate(found)
    ]


def files_to_pairs(members: int, timeout: float) -> dict[str, Any]:
    """One ``mentoring match`` on four files of ``members`` in all, in a fresh process."""
    from association import write_files

    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        paths = write_files(members, 4, Path(folder))
        command = [MENTORING, "match", *map(str, paths), "-o", str(Path(folder) / "pairs.csv")]
        began = time.perf_counter()
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
            log, finished, code = done.stderr + done.stdout, True, done.returncode
        except subprocess.TimeoutExpired as stopped:
            raw = stopped.stderr or b""
            log = raw.decode() if isinstance(raw, bytes) else raw
            finished, code = False, None
        seconds = time.perf_counter() - began
    return {
        "members": members,
        "seconds": round(seconds, 1),
        "finished": finished,
        "exit_code": code,
        "certified": "optimal (certified)" in log,
        "peak_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        "stages": stages(log),
        "summary": next((line for line in log.splitlines() if "mentees matched" in line), ""),
        "load_before": load,
    }


def _child(code: str) -> dict[str, Any]:
    done = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _files_child(members: int, timeout: float) -> dict[str, Any]:
    """:func:`files_to_pairs` in a process of its own, so its peak memory is its own."""
    code = (
        f"import json, sys; sys.path.insert(0, {str(HERE)!r}); from pipeline import files_to_pairs; "
        f"print(json.dumps(files_to_pairs({members}, {timeout})))"
    )
    return _child(code)


def measure(sizes: list[int], repeats: int, timeout: float) -> dict[str, Any]:
    """Every row; files-to-pairs once per size (minutes each), the products ``repeats`` times."""
    rows: dict[str, Any] = {"load_before": os.getloadavg(), "machine_before": speed_check()}
    products = _child(_PRODUCTS.format(repeats=repeats))
    rows["products_10k_5k"] = {key: statistics.median(v) for key, v in products.items()}
    rows["products_10k_5k"]["runs"] = products
    rows["files_to_pairs"] = [_files_child(size, timeout) for size in sizes]
    rows["machine_after"] = speed_check()
    rows["load_after"] = os.getloadavg()
    return rows


def table(rows: dict[str, Any]) -> str:
    """The rows as Markdown, with each goal and where the time of each run went."""
    p = rows["products_10k_5k"]
    lines = [
        "| row | measured | goal |",
        "|---|---|---|",
        f"| `match()` 10,000 x 5,000, against the fastest dense interest product "
        f"({p['fastest']:.3f} s) | {p['match']:.2f} s, {p['match'] / p['fastest']:.1f}x "
        f"| 10x (issue 15) |",
        f"| the same, against the product as performance.md made it ({p['as_performance_md']:.2f} s)"
        f" | {p['match'] / p['as_performance_md']:.1f}x | |",
    ]
    for run in rows["files_to_pairs"]:
        state = "certified" if run["certified"] else "not certified"
        if not run["finished"]:
            state = f"stopped at {run['seconds']:.0f} s"
        lines.append(
            f"| files to pairs, {run['members']:,} members in four CSV files | "
            f"{run['seconds']:.0f} s, {run['peak_mb'] / 1024:.1f} GiB peak, {state} "
            f"| 180 s and 8 GiB, certified (issue 15, at 200,000) |"
        )
    lines.append("")
    for run in rows["files_to_pairs"]:
        lines.append(
            f"Where the time of {run['members']:,} members went (seconds per stage; load "
            f"average {run.get('load_before', float('nan')):.2f} when it began):"
        )
        lines.append("")
        lines.extend(f"- {name}: {seconds:.1f}" for name, seconds in run["stages"])
        lines.append("")
    lines.append(
        f"Load average before {rows['load_before'][0]:.2f}, after {rows['load_after'][0]:.2f} "
        "(2 cores, shared)."
    )
    lines.append(described(rows["machine_before"], rows["machine_after"]))
    return "\n".join([*lines, ""])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50_000, 200_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=3600.0)
    args = parser.parse_args(argv)
    rows = measure(args.sizes, args.repeats, args.timeout)
    earlier = RESULTS / "pipeline.json"
    if earlier.exists():
        # A run of some sizes keeps the rows of the others, each with the load it ran under.
        kept = json.loads(earlier.read_text(encoding="utf-8")).get("files_to_pairs", [])
        rows["files_to_pairs"] = sorted(
            [r for r in kept if r["members"] not in args.sizes] + rows["files_to_pairs"],
            key=lambda r: r["members"],
        )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "pipeline.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    (RESULTS / "pipeline.md").write_text(table(rows), encoding="utf-8")
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
