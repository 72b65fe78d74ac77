"""Errors raised on purpose, and :class:`Issue`: one problem in the input, located for a person.

>>> str(Issue("a.csv", 2, "Email", "email_invalid", "not an email", "error"))
'error: a.csv, row 2, column "Email": not an email'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import pandas as pd

__all__ = ["ConfigError", "Issue", "LoadError", "MentoringError", "issues_frame"]

Severity = Literal["error", "warning", "info"]


class MentoringError(Exception):
    """Base class of every error this library raises on purpose."""


class LoadError(MentoringError, ValueError):
    """A member file cannot be used at all; the message says what to do about it.

    >>> str(LoadError("members.csv: the file is empty. Export it again with its header row."))
    'members.csv: the file is empty. Export it again with its header row.'
    """


class ConfigError(MentoringError, ValueError):
    """A configuration value is out of range or unknown; the message names it."""


@dataclass(frozen=True)
class Issue:
    """One problem found in the input, located as a coordinator would look for it.

    ``row`` is the spreadsheet row number (the header is row 1, the first member row 2), or
    ``None`` when the problem concerns a whole file or column. ``column`` is the header as it
    appears in the file. ``severity`` ``"error"`` blocks matching until resolved; ``"warning"``
    and ``"info"`` do not.

    >>> Issue("a.csv", 3, "Capacity", "capacity_unparsed", "could not read 'lots'; used 1",
    ...       "warning", member_id="m7", hint="Write a whole number such as 2.").location
    'a.csv, row 3, column "Capacity"'
    """

    file: str
    row: int | None
    column: str | None
    code: str
    message: str
    severity: Severity = "warning"
    member_id: str | None = None
    hint: str = ""

    @property
    def location(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f'column "{self.column}"')
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.severity}: {self.location}: {self.message}"
        return f"{text} {self.hint}".rstrip()


def issues_frame(issues: Iterable[Issue]) -> pd.DataFrame:
    """Issues as a table a coordinator can sort: file, row, column, problem, what to do.

    >>> issues_frame([Issue("a.csv", 2, "Email", "email_invalid", "not an email", "error",
    ...                     hint="Fix the address.")]).columns.tolist()
    ['severity', 'file', 'row', 'column', 'member_id', 'code', 'problem', 'what_to_do']
    """
    rows = [
        {
            "severity": i.severity,
            "file": i.file,
            "row": i.row,
            "column": i.column or "",
            "member_id": i.member_id or "",
            "code": i.code,
            "problem": i.message,
            "what_to_do": i.hint,
        }
        for i in issues
    ]
    frame = pd.DataFrame(
        rows,
        columns=["severity", "file", "row", "column", "member_id", "code", "problem", "what_to_do"],
    )
    frame["row"] = frame["row"].astype("Int64")
    return frame
