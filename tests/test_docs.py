"""The design notes name only things that exist: a stale name in docs is a bug."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOTTED = re.compile(r"\bmentoring(?:\.[A-Za-z_]\w*)+")


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            if not hasattr(target, name):
                return False
            target = getattr(target, name)
        return True
    return False


@pytest.mark.parametrize("doc", ["docs/design.md", "README.md", "docs/app.md"])
def test_every_dotted_name_in_the_docs_exists(doc):
    text = (ROOT / doc).read_text()
    names = sorted(set(DOTTED.findall(text)))
    missing = [n for n in names if not _resolves(n)]
    assert not missing, f"{doc} names what does not exist: {missing}"


def test_the_checker_catches_a_stale_name():
    assert _resolves("mentoring.engine.assign.solve")
    assert not _resolves("mentoring.validate.normalise")
    assert not _resolves("mentoring.engine.rules.feasible_block")
