"""The benchmark rows the open issues ask for, each in a fresh process, written to one table.

``python bench/rows.py`` measures, on this machine, medians of ``--repeats`` runs:

- ``match()`` at 10,000 x 5,000 as is, with one free-text question added (issue 11: within
  1.5x), and with up to two mentors per mentee (issue 14);
- everyone open to both roles, 10,000 members, against the same members with fixed roles
  (issue 13: within 2x, certified or with its bound);
- start-up: ``mentoring --help`` and ``mentoring validate`` on a small file against
  ``python -c "import pandas"`` (issue 15: within 1.5x).

Results go to ``bench/results/rows.json`` and ``bench/results/rows.md`` with the load average
before and after, since the machine is shared. The two sides of every ratio run in turn (one
of each, then again), so a change in the machine's load falls on both; the two-way ratio, the
noisiest, takes ``2 * repeats + 1`` pairs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from machine import described, speed_check

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
PYTHON = sys.executable
SAMPLE = ROOT / "sample_data" / "template.csv"

__all__ = ["main"]


def _child(code: str) -> dict[str, Any]:
    """Run ``code`` in a fresh interpreter; it prints one JSON object as its last line."""
    done = subprocess.run(
        [PYTHON, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(HERE)},
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


_MATCH = """
import json, resource, time
import pandas as pd
from mentoring import match, MatchConfig
from mentoring.reading.synthetic import random_people
people = random_people({n}, {m}, n_both={both}, seed=20261128)
if {capacity} != 1:
    people["mentee_capacity"] = pd.array([{capacity}] * len(people), dtype="Int64")
began = time.perf_counter()
result = match(people, MatchConfig())
print(json.dumps({{
    "seconds": time.perf_counter() - began,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "certified": bool(result.stats.certified),
    "total": float(result.stats.total_score),
    "bound": float(result.stats.bound),
    "matched": int(result.stats.n_matched),
    "pairs": int(len(result.pairs)),
}}))
"""

_FREE_TEXT = """
import json, resource
from criteria_case import case_match_free_text
out = case_match_free_text({n}, {m}, 1)
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def _median_of(runs: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(r[key] for r in runs))


def _start_up(commands: dict[str, list[str]], repeats: int) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, command in commands.items():
            began = time.perf_counter()
            subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
            times[name].append(time.perf_counter() - began)
    return {name: statistics.median(values) for name, values in times.items()}


def _in_turn(codes: list[str], repeats: int) -> list[list[dict[str, Any]]]:
    """Each code's runs, one of each in turn ``repeats`` times."""
    runs: list[list[dict[str, Any]]] = [[] for _ in codes]
    for _ in range(repeats):
        for code, kept in zip(codes, runs, strict=True):
            kept.append(_child(code))
    return runs


def measure(repeats: int) -> dict[str, Any]:
    """Every row, medians of ``repeats`` fresh processes (the two-way ratio: more)."""
    rows: dict[str, Any] = {"load_before": os.getloadavg(), "machine_before": speed_check()}
    plain, two = _in_turn(
        [
            _MATCH.format(n=10_000, m=5_000, both=0, capacity=1),
            _MATCH.format(n=10_000, m=5_000, both=0, capacity=2),
        ],
        repeats,
    )
    text = [_child(_FREE_TEXT.format(n=10_000, m=5_000)) for _ in range(repeats)]
    fixed, both = _in_turn(
        [
            _MATCH.format(n=5_000, m=5_000, both=0, capacity=1),
            _MATCH.format(n=0, m=0, both=10_000, capacity=1),
        ],
        2 * repeats + 1,
    )
    rows["match_10k_5k"] = {"seconds": _median_of(plain, "seconds"), "runs": plain}
    rows["match_two_mentors"] = {"seconds": _median_of(two, "seconds"), "runs": two}
    rows["match_free_text"] = {
        "plain_seconds": _median_of(text, "seconds"),
        "free_text_seconds": _median_of(text, "free_text_seconds"),
        "ratio": _median_of(text, "ratio"),
        "runs": text,
    }
    rows["fixed_roles_10k"] = {"seconds": _median_of(fixed, "seconds"), "runs": fixed}
    rows["all_both_10k"] = {"seconds": _median_of(both, "seconds"), "runs": both}
    mentoring = str(Path(PYTHON).with_name("mentoring"))
    rows["start_up"] = _start_up(
        {
            "import_pandas": [PYTHON, "-c", "import pandas"],
            "help": [mentoring, "--help"],
            "validate_small": [mentoring, "validate", str(SAMPLE)],
        },
        5,
    )
    rows["machine_after"] = speed_check()
    rows["load_after"] = os.getloadavg()
    return rows


def table(rows: dict[str, Any]) -> str:
    """The rows as a Markdown table with each goal."""
    base = rows["match_10k_5k"]["seconds"]
    text = rows["match_free_text"]
    both, fixed = rows["all_both_10k"], rows["fixed_roles_10k"]
    last = both["runs"][-1]
    gap = max(last["bound"] - last["total"], 0.0) / last["bound"] if last["bound"] else 0.0
    start = rows["start_up"]
    lines = [
        "| row | seconds (median) | against | ratio | goal |",
        "|---|---|---|---|---|",
        f"| `match()` 10,000 x 5,000 | {base:.2f} | | | |",
        f"| one free-text question added | {text['free_text_seconds']:.2f} | the same run "
        f"without it, {text['plain_seconds']:.2f} s | {text['ratio']:.2f}x | 1.5x (issue 11) |",
        f"| up to two mentors per mentee | {rows['match_two_mentors']['seconds']:.2f} | one "
        f"mentor each | {rows['match_two_mentors']['seconds'] / base:.2f}x | certified (issue 14) |",
        f"| 10,000 members all open to both roles | {both['seconds']:.2f} | the same 10,000 "
        f"with fixed roles, {fixed['seconds']:.2f} s | {both['seconds'] / fixed['seconds']:.2f}x "
        f"| 2x; {'certified' if last['certified'] else f'not certified, within {gap:.3%}'} "
        "(issue 13) |",
        f"| `mentoring --help` | {start['help']:.2f} | `import pandas`, "
        f"{start['import_pandas']:.2f} s | {start['help'] / start['import_pandas']:.2f}x "
        "| 1.5x (issue 15) |",
        f"| `mentoring validate` on a small file | {start['validate_small']:.2f} | "
        f"`import pandas` | {start['validate_small'] / start['import_pandas']:.2f}x "
        "| 1.5x (issue 15) |",
    ]
    load = (
        f"Load average before {rows['load_before'][0]:.2f}, after {rows['load_after'][0]:.2f} "
        "(2 cores, shared)."
    )
    checks = described(rows["machine_before"], rows["machine_after"])
    return "\n".join([*lines, "", load, checks, ""])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    rows = measure(args.repeats)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "rows.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    (RESULTS / "rows.md").write_text(table(rows), encoding="utf-8")
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
