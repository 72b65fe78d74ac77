"""The coordinator's word on columns as a ``[questions]`` TOML snippet for the config file.

Map and fix lets the coordinator change how a column is read (its use, kind, pairing, weight
and level order); :func:`questions_toml` writes those changes in the shape
:func:`mentoring.model.questions.question_overrides` reads back, so the same reading can be
kept in a config file and used from the command line.

>>> print(questions_toml({"Grade": {"kind": "ordinal", "levels": ["EO", "HEO"]}}), end="")
[questions."Grade"]
kind = "ordinal"
levels = ["EO", "HEO"]
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

__all__ = ["questions_toml"]

_ORDER = ("use", "field", "kind", "pairs_with", "weight", "levels")


def questions_toml(questions: Mapping[str, Mapping[str, Any]]) -> str:
    """A ``[questions]`` TOML snippet holding the settings per column header.

    Parameters
    ----------
    questions : mapping
        ``{header: {setting: value}}``; values are text, numbers, booleans or lists of text
        (``pairs_with`` and ``levels``). The usual settings come first, in a fixed order.

    Returns
    -------
    str
        TOML text, one ``[questions."Header"]`` table per header (headers and answers quoted
        and escaped, whatever they contain); ``""`` when there is nothing to say.

    Raises
    ------
    TypeError
        When a value is not text, a number, a boolean or a list of those.

    Examples
    --------
    >>> import tomllib
    >>> text = questions_toml({'Say "hi"': {"use": "ignored"}, "Skills": {"weight": 2.0,
    ...                        "pairs_with": ["What can you teach?"]}})
    >>> print(text, end="")
    [questions."Say \\"hi\\""]
    use = "ignored"
    <BLANKLINE>
    [questions."Skills"]
    pairs_with = ["What can you teach?"]
    weight = 2.0
    >>> tomllib.loads(text)["questions"]['Say "hi"']
    {'use': 'ignored'}
    >>> questions_toml({})
    ''
    """
    blocks = []
    for header, settings in questions.items():
        if not settings:
            continue
        keys = [k for k in _ORDER if k in settings] + sorted(set(settings) - set(_ORDER))
        lines = [f"[questions.{_string(str(header))}]"]
        lines += [f"{key} = {_value(settings[key], f'{header!r}: {key}')}" for key in keys]
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def _value(value: Any, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v, where) for v in value) + "]"
    raise TypeError(
        f"cannot write {where} to TOML: expected text, a number or a list, got {value!r}"
    )


def _string(text: str) -> str:
    out = []
    for char in text:
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char in "\b\t\n\f\r":
            out.append({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'
