"""Which side each member file is for: ``roles=`` keys resolved to the tables read.

A file is named by its position among the sources, by the path it was given as, or by its file
name; a file name shared by two sources (``mentors/members.csv``, ``mentees/members.csv``) is
refused as ambiguous rather than read as one side, so each side's file keeps its own role.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from mentoring.model.errors import ConfigError
from mentoring.reading.tables import RawTable


def _roles_by_table(
    roles: Mapping[Any, str], items: Sequence[Any], tables: Sequence[RawTable]
) -> dict[str, str]:
    """``roles`` keyed by position, path or file name, as ``{table source: role}``.

    >>> from mentoring.reading.ingest import read_tables
    >>> sources = [("m.csv", b"Name\\nAl\\n"), ("m.csv", b"Name\\nBo\\n")]
    >>> _roles_by_table({1: "mentee"}, sources, read_tables(sources)[0])
    {'m.csv (2)': 'mentee'}
    """
    names = [t.source for t in tables]
    by_origin: dict[int, list[str]] = {}
    for table in tables:
        by_origin.setdefault(table.origin, []).append(table.source)
    given = [_given_path(item) for item in items]
    out: dict[str, str] = {}
    for key, role in roles.items():
        origins = _origins(key, given, len(items))
        if origins is None:
            if str(key) not in names:
                raise ConfigError(
                    f"roles name file {key!r}, which was not loaded; the files are "
                    f"{', '.join(repr(n) for n in names)} (or name them by position, 0 to "
                    f"{len(items) - 1})"
                )
            out[str(key)] = role
            continue
        for origin in origins:
            for source in by_origin.get(origin, []):
                if out.get(source, role) != role:
                    raise ConfigError(
                        f"roles give the file {source!r} two sides, {out[source]!r} and {role!r}"
                    )
                out[source] = role
    return out


def _given_path(item: Any) -> str | None:
    if isinstance(item, str | os.PathLike):
        return os.fspath(item)
    if isinstance(item, tuple) and item and isinstance(item[0], str):
        return item[0]
    name = getattr(item, "name", None)
    return name if isinstance(name, str) else None


def _origins(key: Any, given: Sequence[str | None], count: int) -> list[int] | None:
    """Positions of the sources a roles key names, or ``None`` to look it up by table name."""
    if isinstance(key, bool) or not isinstance(key, int | str | os.PathLike):
        raise ConfigError(f"roles keys are file positions, paths or names, got {key!r}")
    if isinstance(key, int):
        if not 0 <= key < count:
            raise ConfigError(f"roles name position {key}, but only {count} file(s) were given")
        return [key]
    text = os.fspath(key)
    exact = [i for i, g in enumerate(given) if g is not None and g == text]
    if exact:
        return exact
    same = [i for i, g in enumerate(given) if g is not None and _same_file(g, text)]
    if same:
        return same
    base = [i for i, g in enumerate(given) if g is not None and os.path.basename(g) == text]
    if len({given[i] for i in base}) > 1:
        shown = ", ".join(repr(given[i]) for i in base)
        raise ConfigError(
            f"roles name the file {text!r}, but {len(base)} files have that name ({shown}); "
            "name each by its path or by its position among the files"
        )
    return base or None


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.exists(a) and os.path.exists(b) and os.path.samefile(a, b)
    except (OSError, ValueError):
        return False
