"""The one check every table at a boundary goes through: does it have the columns we need?

>>> import pandas as pd
>>> require_columns(pd.DataFrame({"a": [1]}), "the pairs table", ("a", "b"))
Traceback (most recent call last):
...
ValueError: expected the pairs table with the column(s) b; it has a
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

__all__ = ["require_columns"]


def require_columns(
    frame: object,
    what: str,
    columns: Iterable[str],
    *,
    error: type[Exception] = ValueError,
    hint: str = "",
) -> pd.DataFrame:
    """Return ``frame`` when it is a DataFrame holding every one of ``columns``, else raise.

    Parameters
    ----------
    frame : object
        What the caller was given.
    what : str
        How a reader would name it in a sentence ("the people table").
    columns : iterable of str
        The columns that must be present.
    error : exception class
        What to raise: ``ValueError`` for programmers, a ``MentoringError`` for people.
    hint : str
        A sentence saying what to do, appended to the message.

    Returns
    -------
    pandas.DataFrame
        ``frame`` itself, for chaining.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"a": [1], "b": [2]}), "t", ["a"]).shape
    (1, 2)
    >>> require_columns([1, 2], "the people table", ["a"])
    Traceback (most recent call last):
    ...
    ValueError: expected the people table as a pandas DataFrame, got list
    """
    if not isinstance(frame, pd.DataFrame):
        raise error(f"expected {what} as a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        present = ", ".join(map(str, frame.columns)) or "no columns"
        message = f"expected {what} with the column(s) {', '.join(missing)}; it has {present}"
        raise error(f"{message}. {hint}".strip() if hint else message)
    return frame
