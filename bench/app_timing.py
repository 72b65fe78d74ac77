"""How long the review app makes a coordinator wait, on the bundled sample (320 members).

Each action is driven through Streamlit's AppTest on a private database and timed as server time:
the whole script run the click causes (AppTest reruns the whole page, also where the browser
reruns only a fragment, so these are upper bounds). Medians of several repetitions; the machine's
load average is recorded before and after, since the machine may be shared.

Usage::

    python bench/app_timing.py                 # writes bench/results/app_timing.{md,json}
    python bench/app_timing.py --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
GOALS = "Find matches, two goals (priority, every library type 80%)"

__all__ = ["main"]


def _page(module: str):
    # The benchmark drives the app itself, so it may use streamlit's test harness.
    from streamlit.testing.v1 import AppTest  # noqa: TID251

    script = (
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom ui import {module}\n{module}.show()\n"
    )
    return AppTest.from_string(script, default_timeout=600)


def _timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def _fresh_program(goals: bool = False) -> tuple[object, int]:
    """A new database with the sample loaded (and, optionally, two goals)."""
    os.environ["MENTORING_DB"] = str(Path(tempfile.mkdtemp()) / "m.sqlite3")
    from mentoring.model.goals import GroupCoverage, PriorityCovered
    from mentoring.services.settings import default_settings
    from mentoring.store.db import Store
    from mentoring.store.schema import default_db_path

    at = _page("upload").run()
    at.button(key="load_sample").click().run()
    store = Store(default_db_path())
    program_id = store.ensure_default_program().id
    if goals:
        config = default_settings().with_(
            goals=(PriorityCovered(), GroupCoverage("library_type", 0.8))
        )
        store.save_settings(program_id, config)
    return store, program_id


def _round(add: Callable[[str, float], None]) -> None:
    """One repetition of every action, each on the state the previous one left."""
    _fresh_program()
    review = _page("review").run()
    add(
        "Find matches, default settings",
        _timed(lambda: review.button(key="find_matches").click().run()),
    )
    add("Re-solve", _timed(lambda: review.button(key="resolve").click().run()))
    add("Approve a pair", _timed(lambda: review.button(key="decide_approved").click().run()))
    add("Next pending", _timed(lambda: review.button(key="next_pending").click().run()))
    add("Rerun after any click on Review", _timed(lambda: review.run()))
    add(
        "Compare objectives (with progress)",
        _timed(lambda: review.button(key="compare_objectives").click().run()),
    )
    add("Review after a restart (new session)", _timed(lambda: _page("review").run()))
    add("Insights opened", _timed(lambda: _page("insights").run()))
    add("Export opened", _timed(lambda: _page("export").run()))
    settings = _page("settings").run()
    add(
        "Settings: one slider step",
        _timed(lambda: settings.slider(key="weight_goals_0").set_value(3.5).run()),
    )
    program = _page("program").run()
    add("Program page opened", _timed(lambda: program.run()))
    _fresh_program(goals=True)
    goal_review = _page("review").run()
    add(GOALS, _timed(lambda: goal_review.button(key="find_matches").click().run()))


def _measure(repeat: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}

    def add(name: str, seconds: float) -> None:
        times.setdefault(name, []).append(seconds)

    for _ in range(repeat):
        _round(add)
    return times


GOALS_TARGET = {
    "Find matches, default settings": 3.0,
    "Re-solve": 3.0,
    GOALS: 5.0,
    "Compare objectives (with progress)": 10.0,
    "Review after a restart (new session)": 2.0,
}


def _table(times: dict[str, list[float]], load: tuple[tuple[float, ...], tuple[float, ...]]) -> str:
    lines = [
        "| action (sample, 320 members) | median s | runs | goal s |",
        "|---|---|---|---|",
    ]
    for name, values in times.items():
        goal = GOALS_TARGET.get(name, 1.0)
        lines.append(f"| {name} | {statistics.median(values):.2f} | {len(values)} | {goal:g} |")
    before, after = load
    lines.append("")
    lines.append(
        f"Load average before {before[0]:.2f} / {before[1]:.2f} / {before[2]:.2f}, after "
        f"{after[0]:.2f} / {after[1]:.2f} / {after[2]:.2f} (1/5/15 min) on {os.cpu_count()} "
        f"cores, {platform.python_implementation()} {platform.python_version()}."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure, print and save the app timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    os.environ.pop("MENTORING_SAMPLE", None)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    before = os.getloadavg()
    times = _measure(args.repeat)
    after = os.getloadavg()
    table = _table(times, (before, after))
    print(table)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "app_timing.md").write_text(table + "\n", encoding="utf-8")
    (RESULTS / "app_timing.json").write_text(
        json.dumps({"times": times, "load_before": before, "load_after": after}, indent=2),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
