"""The public API: every listed name exists, is documented with an example, and imports cleanly."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys

import pytest

import mentoring

MODULES = sorted(
    f"mentoring.{m.name}"
    for m in pkgutil.iter_modules(mentoring.__path__)
    if not m.name.startswith("_")
)


def test_every_module_declares_all():
    for name in MODULES:
        module = importlib.import_module(name)
        assert hasattr(module, "__all__"), f"{name} has no __all__"


@pytest.mark.parametrize("module_name", ["mentoring", *MODULES])
def test_every_listed_name_exists(module_name):
    module = importlib.import_module(module_name)
    for name in getattr(module, "__all__", ()):
        assert hasattr(module, name), f"{module_name}.__all__ lists {name!r}, which is not defined"


@pytest.mark.parametrize("module_name", MODULES)
def test_public_functions_have_numpydoc_with_an_example(module_name):
    module = importlib.import_module(module_name)
    missing = []
    for name in getattr(module, "__all__", ()):
        value = getattr(module, name)
        if inspect.isfunction(value) and value.__module__ == module_name:
            doc = inspect.getdoc(value) or ""
            if ">>>" not in doc:
                missing.append(name)
    assert not missing, f"{module_name}: no runnable example in {missing}"


def test_public_api_names():
    for name in ("load_people", "match", "solve", "MatchConfig", "MatchResult", "Issue"):
        assert name in mentoring.__all__


def test_import_has_no_side_effects_and_no_warnings_and_no_streamlit():
    code = (
        "import sys, mentoring, mentoring.cli, mentoring.pipeline;"
        "assert 'streamlit' not in sys.modules, 'the library imported streamlit'"
    )
    completed = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
