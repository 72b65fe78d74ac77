"""The loader fuzz target: it runs, finds crashes when there are some, and finds none here."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

FUZZ = Path(__file__).resolve().parent / "fuzz"


def fuzz_module():
    spec = importlib.util.spec_from_file_location("fuzz_loader", FUZZ / "fuzz_loader.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the module is being executed.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_fuzzer_reports_a_crash_in_a_broken_target():
    module = fuzz_module()

    def broken(name: str, data: bytes) -> None:
        if b";" in data:
            raise KeyError("a semicolon")

    result = module.fuzz(broken, [b"Name,Role\nAda,Mentor\n"], seconds=1.0, seed=3)
    assert result.executions > 10
    (crash,) = result.crashes.values()
    assert crash.signature.startswith("KeyError at") and b";" in crash.data


def test_fuzzer_counts_load_errors_as_normal_outcomes():
    module = fuzz_module()
    result = module.fuzz(module.load_target, [b""], seconds=0.5, seed=0)
    assert result.executions >= 1 and result.load_errors >= 1 and not result.crashes


def test_mutations_are_repeatable_for_a_seed():
    import random

    module = fuzz_module()
    seeds = [b"Name,Role\nAda,Mentor\n"]
    first = [module.mutate(seeds[0], random.Random(5), seeds, 1000) for _ in range(3)]
    again = [module.mutate(seeds[0], random.Random(5), seeds, 1000) for _ in range(3)]
    assert first == again


@pytest.mark.slow
def test_fuzzing_the_loader_for_ten_seconds_finds_no_crash():
    completed = subprocess.run(
        [sys.executable, str(FUZZ / "fuzz_loader.py"), "--seconds", "10", "--seed", "0"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "executions:" in completed.stdout and "crashes: 0" in completed.stdout
