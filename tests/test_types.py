"""The type checker is part of the suite: `py.typed` is a promise that the types hold."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_mypy_finds_no_error_in_the_package():
    from mypy import api

    config = str(ROOT / "pyproject.toml")
    stdout, stderr, status = api.run([str(ROOT / "src" / "mentoring"), "--config-file", config])
    assert status == 0, stdout + stderr


def test_mypy_is_configured_for_the_whole_package():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    assert config["files"] == ["src/mentoring"]
    assert config.get("check_untyped_defs") is True
