"""Which sheets of a workbook hold members: not hidden ones, not instructions or lists.

>>> _prose_only([(1, ["How to use this workbook: type one member per row below."])])
True
>>> bool(_NOT_MEMBER_SHEET.search("Lookups")), bool(_SIDE_SHEET.search("Mentees"))
(True, True)
"""

from __future__ import annotations

import re
from collections.abc import Callable

from mentoring.model.errors import LoadError

Records = list[tuple[int, list[str]]]


# Sheets that hold no members: a coordinator's instructions, drop-down lists, summaries.
_NOT_MEMBER_SHEET = re.compile(
    r"instruction|read ?me|how to|guide|\bhelp\b|\babout\b|\bcover\b|\bintro|look ?ups?\b|"
    r"drop ?downs?|\boptions\b|settings|\bconfig|\blists?\b|summary|chart|pivot|dashboard",
    re.IGNORECASE,
)


_SIDE_SHEET = re.compile(r"mentor|mentee|prot[eé]g", re.IGNORECASE)


def _member_sheets(
    name: str,
    sheets: list[tuple[str, str]],
    read: Callable[[str], Records],
    every: bool,
) -> tuple[list[tuple[str, Records]], list[tuple[str, str]]]:
    """The sheets holding members (first the first visible one with data), and why others not.

    ``sheets`` are ``(title, state)`` in workbook order, the state being ``"visible"``,
    ``"hidden"`` or ``"veryHidden"``; ``read(title)`` gives a sheet's records. Hidden sheets and
    sheets named or shaped like instructions are passed over; with ``every``, further sheets
    are read when they share the first one's headers or are named after a side ("Mentors",
    "Mentees"), as Microsoft Forms workbooks pasted one form per sheet are.
    """
    usable: list[tuple[str, list[tuple[int, list[str]]]]] = []
    passed: list[tuple[str, list[tuple[int, list[str]]], str]] = []
    skipped: list[tuple[str, str]] = []
    for title, state in sheets:
        records = read(title)
        if not any(any(c.strip() for c in cells) for _, cells in records):
            skipped.append((title, "is empty"))
        elif state != "visible":
            passed.append((title, records, "is hidden"))
        elif _NOT_MEMBER_SHEET.search(title) or _prose_only(records):
            passed.append((title, records, "looks like instructions or lists"))
        else:
            usable.append((title, records))
    if not usable:
        if not passed:
            raise LoadError(
                f"{name}: no members found; every sheet of the workbook is empty. Check that you "
                "saved the file with the answers in it."
            )
        # Nothing else has data: read what there is, as before.
        usable, passed = [(passed[0][0], passed[0][1])], passed[1:]
    chosen = usable[:1]
    first_headers = _header_words(usable[0][1])
    for title, records in usable[1:]:
        headers = _header_words(records)
        shared = len(first_headers & headers) / max(1, min(len(first_headers), len(headers)))
        sides = _SIDE_SHEET.search(title) and _SIDE_SHEET.search(usable[0][0])
        if every and (shared >= 0.5 or sides):
            chosen.append((title, records))
        else:
            skipped.append((title, "was not chosen"))
    skipped.extend((title, reason) for title, _, reason in passed)
    return chosen, skipped


def _header_words(records: list[tuple[int, list[str]]]) -> set[str]:
    for _, cells in records:
        filled = {" ".join(c.casefold().split()) for c in cells if c.strip()}
        if filled:
            return filled
    return set()


def _prose_only(records: list[tuple[int, list[str]]]) -> bool:
    """One column of sentences: a sheet of instructions, not a member list."""
    filled = [cells for _, cells in records if any(c.strip() for c in cells)]
    one_column = all(sum(1 for c in cells if c.strip()) <= 1 for cells in filled)
    return one_column and any(len(c) > 40 for cells in filled for c in cells)
