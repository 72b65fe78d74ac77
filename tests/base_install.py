"""Run the app as ``pip install .`` would leave it: without anything only an extra brings.

The test environment has the ``test`` and ``bench`` extras installed, so a missing base
dependency (matplotlib once was) would never show there. This module works out which installed
distributions the package's base requirements do not reach, and makes their modules
unimportable before starting Streamlit: ``python tests/base_install.py run app.py ...``.
"""

from __future__ import annotations

import importlib.abc
import importlib.metadata as metadata
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from packaging.requirements import Requirement

__all__ = ["BlockExtras", "base_closure", "extra_only_modules", "main"]


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def base_closure(root: str = "mentoring") -> set[str]:
    """Canonical names of the distributions ``pip install ROOT`` installs, ROOT included."""
    seen: set[str] = set()
    todo = [root]
    while todo:
        name = _canonical(todo.pop())
        if name in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen.add(name)
        for text in dist.requires or ():
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return seen


def _top_level(dist: metadata.Distribution) -> set[str]:
    names = set((dist.read_text("top_level.txt") or "").split())
    for file in dist.files or ():
        parts = Path(str(file)).parts
        if not parts or parts[0].endswith((".dist-info", ".egg-info", ".data")) or parts[0] == "..":
            continue
        head = parts[0]
        if head.endswith(".py"):
            names.add(head[:-3])
        elif len(parts) > 1 and not head.startswith("__"):
            names.add(head)
        elif head.endswith(".so"):
            names.add(head.split(".", 1)[0])
    return {n for n in names if n.isidentifier()}


def extra_only_modules(root: str = "mentoring") -> set[str]:
    """Top-level modules that only the extras (test, bench, ...) put into this environment."""
    keep = base_closure(root)
    kept_modules: set[str] = set()
    extra: set[str] = set()
    for dist in metadata.distributions():
        name = _canonical(dist.metadata["Name"] or "")
        (kept_modules if name in keep else extra).update(_top_level(dist))
    # Tools that are part of any Python (pip, setuptools) are not ours to hide.
    return extra - kept_modules - {"pip", "setuptools", "pkg_resources", "_distutils_hack"}


class BlockExtras(importlib.abc.MetaPathFinder):
    """Refuse to import the given top-level modules, as if they were not installed."""

    def __init__(self, blocked: Iterable[str]) -> None:
        self.blocked = frozenset(blocked)

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> None:
        if fullname.split(".", 1)[0] in self.blocked:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


def main(argv: Sequence[str]) -> int:
    """Block the extras, then hand ``argv`` to Streamlit's command line."""
    sys.meta_path.insert(0, BlockExtras(extra_only_modules()))
    from streamlit.web import cli

    sys.argv = ["streamlit", *argv]
    return int(cli.main() or 0)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
