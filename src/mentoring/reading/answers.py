"""The form's own questions while loading: each table's side, the plan, and each row's answers.

:func:`_read_questions` profiles every table, decides which side each answers for and pairs the
questions (:func:`mentoring.reading.pairing.pair_questions`); :func:`_question_value` turns one
row's answers to a question into the value of its ``q:`` column, as ``mentoring.model.questions``
says per kind.

>>> _level_value("HEO", ("EO", "HEO", "SEO")), _level_value("about 6", ())
(1.0, 6.0)
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from mentoring.model.errors import Issue
from mentoring.model.people import MULTI_VALUED_COLUMNS
from mentoring.model.questions import encode_acceptability
from mentoring.reading.columns import _OPTION_MARKS, Column, split_options
from mentoring.reading.grids import _level_of
from mentoring.reading.ingest import RawTable
from mentoring.reading.mapping import IGNORE, normalise_header, normalise_tag
from mentoring.reading.pairing import Plan, QColumn, pair_questions
from mentoring.reading.profile import profile_columns, profile_table
from mentoring.reading.values import _is_blank, _shown, parse_bool, parse_years

_SIDE_NAME = (("mentee", r"mentee|prot[eé]g|learner|apprenti"), ("mentor", r"mentor"))


def _named_side(name: str | None) -> str | None:
    """A side from a sheet or file name ("Mentors", "mentees_2026.csv"), when only one is named."""
    if not name:
        return None
    low = name.casefold()
    found = [side for side, pattern in _SIDE_NAME if re.search(pattern, low)]
    if found == ["mentee"] and re.search(r"mentor", re.sub(r"mentee", "", low)):
        return None
    return found[0] if len(found) == 1 else None


def _read_questions(
    tables: Sequence[RawTable],
    roles: Mapping[str, str],
    explicit: Mapping[str, str],
    overrides: Mapping[str, Mapping[str, Any]],
    issues: list[Issue],
) -> tuple[list[str | None], Plan, list[list[Column]]]:
    """Each table's side, the plan (how every column is read and what it feeds), its columns."""
    sides: list[str | None] = []
    items = []
    # Each table's columns are read once, for the profiles and for the pairing.
    columns = [profile_columns(table) for table in tables]
    for table, cols in zip(tables, columns, strict=True):
        profiles = profile_table(table, columns=cols)
        has_role = any(p.use == "role" and p.field == "role" for p in profiles) or any(
            v == "role" for h, v in explicit.items() if h in table.frame.columns
        )
        side = roles.get(table.source)
        where = f"sheet {table.sheet!r}" if table.sheet else "the file name"
        if side is None and not has_role:
            side = _named_side(table.sheet) or (
                None if table.sheet and len(tables) > 1 else _named_side(table.source)
            )
            if side is not None:
                issues.append(
                    Issue(
                        table.source,
                        None,
                        None,
                        "role_from_name",
                        f"no column gives the role, so everyone in {where} is read as a {side}.",
                        "info",
                        hint="Add a role column, or load the file as mentors or mentees, if not.",
                    )
                )
        sides.append(side if side in ("mentor", "mentee") else None)
        items.append((table, sides[-1], profiles))
    plan = pair_questions(items, overrides, columns=columns)
    _apply_explicit(plan, tables, explicit)
    for p in plan.profiles:
        if p.flagged:
            issues.append(
                Issue(
                    p.file,
                    None,
                    p.header,
                    "column_unsure",
                    f"the column {_shown(p.header)}"
                    f"{' on sheet ' + repr(p.sheet) if p.sheet else ''} looks like {p.use}"
                    f"{' (' + p.field + ')' if p.field else ''}, but only just ({p.evidence}); "
                    "it was not used.",
                    "warning",
                    hint="Confirm or change how this column is read (its use) in the "
                    "questions settings, or on the Map and fix page.",
                )
            )
    # A side given by the flag is also the side of every table's answers.
    for t, side in enumerate(sides):
        if side is None and tables[t].source in roles:
            sides[t] = roles[tables[t].source]
    return sides, plan, columns


def _apply_explicit(plan: Plan, tables: Sequence[RawTable], explicit: Mapping[str, str]) -> None:
    """The coordinator's ``mapping=`` wins over every guess, in every table with that header."""
    if not explicit:
        return
    by_key = {normalise_header(h): v for h, v in explicit.items()}
    for t, table in enumerate(tables):
        chosen: dict[str, str] = {}
        for header in (str(h) for h in table.frame.columns):
            if header in explicit:
                chosen[header] = explicit[header]
            elif normalise_header(header) in by_key:
                chosen[header] = by_key[normalise_header(header)]
        claimed = {v for v in chosen.values() if v not in MULTI_VALUED_COLUMNS and v != "notes"}
        used = {h: v for h, v in plan.legacy[t].items() if v not in claimed and h not in chosen}
        for header, target in chosen.items():
            plan.questions[t].pop(header, None)
            if target != IGNORE:
                used[header] = target
        plan.legacy[t] = {h: used[h] for h in (str(c) for c in table.frame.columns) if h in used}


def _ticked(text: str, option: str) -> bool:
    low = " ".join(text.casefold().split())
    return bool(low) and (low in _OPTION_MARKS or low == " ".join(option.casefold().split()))


def _question_value(
    qcol: QColumn, found: Sequence[tuple[str, str]], options: Mapping[str, str]
) -> Any:
    if qcol.value in ("tags", "slots"):
        tags: set[str] = set()
        for header, text in found:
            if header in options:
                option = options[header]
                tags.add(
                    normalise_tag(
                        option if _ticked(text, option) or qcol.value == "slots" else text, "plain"
                    )
                )
                continue
            for piece in split_options(text, qcol.labels):
                if qcol.prefix and piece.casefold().startswith(qcol.prefix.casefold()):
                    piece = piece[len(qcol.prefix) :]
                tags.add(normalise_tag(piece, "plain"))
        return tuple(sorted(t for t in tags if t and t not in ("other", "other (please specify)")))
    if qcol.value == "text":
        return "\n".join(text for _, text in found)
    if qcol.value == "grid":
        levels = {}
        for header, text in found:
            level = _level_of(text)
            if level is not None:
                levels[qcol.options.get(header, header)] = level
        return encode_acceptability(levels)
    if not found:
        return math.nan if qcol.value == "level" else ""
    text = found[0][1]
    if qcol.value == "level":
        return _level_value(text, qcol.levels)
    if qcol.value == "wish":
        low = " ".join(text.casefold().split())
        if re.match(r"(no preference|doesn.t matter|don.t mind|either|not important)", low):
            return ""
        flag = parse_bool(low, strict=False)
        return "" if flag is None else "yes" if flag else "no"
    return " ".join(text.casefold().split())


def _level_value(text: str, levels: Sequence[str]) -> float:
    """An ordered answer as its position among ``levels``, or the number typed."""
    key = " ".join(text.casefold().split())
    for i, level in enumerate(levels):
        if " ".join(level.casefold().split()) == key:
            return float(i)
    if levels:
        return math.nan
    try:
        value = parse_years(text)
    except ValueError:
        return math.nan
    return math.nan if value is None else float(value)


def _both_not_found(members: Sequence[Any]) -> list[Issue]:
    """Members of a one-side file who said "both" but are not on the other side's file."""
    issues = []
    for member in members:
        if member.said_both and not member.merged_from:
            role = member.values["role"]
            other = "mentee" if role == "mentor" else "mentor"
            issues.append(
                Issue(
                    member.file,
                    member.row,
                    None,
                    "both_not_on_other_side",
                    f"said they would be both a mentor and a mentee, but the file is read as "
                    f"{role}s and they are not in the {other}s' file; kept as a {role} only.",
                    "info",
                    member.values["member_id"],
                    f"Add them to the {other}s' file too if they should also be matched as a "
                    f"{other}.",
                )
            )
    return issues


_LIBRARY_TYPES: tuple[tuple[str, str], ...] = (
    ("student", r"\bstudent\b|not currently employed|unemployed"),
    ("school", r"school|k-?12"),
    ("academic", r"academic|universit|college|higher ed"),
    ("public", r"public"),
    ("special", r"special|\blaw\b|medical|corporate|health"),
    ("government", r"government|federal|state library|national library"),
    ("archives", r"archive|museum"),
)


_ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "5th": 5,
}


def _ranges_text(numbers: Sequence[int]) -> str:
    if not numbers:
        return "none"
    if list(numbers) == list(range(numbers[0], numbers[0] + len(numbers))):
        return f"rows {numbers[0]}-{numbers[-1]}" if len(numbers) > 1 else f"row {numbers[0]}"
    shown = ", ".join(map(str, numbers[:10]))
    return f"rows {shown}{', ...' if len(numbers) > 10 else ''}"


def _ranked(headers: list[str], order: list[str]) -> list[str]:
    def rank(header: str) -> tuple[int, int]:
        text = normalise_header(header)
        for word, value in _ORDINALS.items():
            if re.search(rf"\b{word}\b", text):
                return value, order.index(header)
        digits = re.search(r"\d+", text)
        return (int(digits.group()) if digits else 10**6), order.index(header)

    return sorted(headers, key=rank)


def _library_type(text: str) -> str:
    if _is_blank(text):
        return ""
    low = " ".join(text.casefold().split())
    low = re.sub(r"^other\s*:\s*", "", low)
    for label, pattern in _LIBRARY_TYPES:
        if re.search(pattern, low):
            return label
    return re.sub(r"\s+library$", "", low)
