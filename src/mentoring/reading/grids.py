"""Questions spread over several columns: grids, availability and one column per option.

Google Forms writes a grid as ``Question [Row]`` columns; SurveyMonkey and Qualtrics write a
multi-select as one column per option under a shared question; Typeform heads each option's
column with the option itself. :func:`find_groups` finds them in a table and says what each
column stands for.

>>> _grid_parts("Which sites could you travel to? [Fort Washington]")
('Which sites could you travel to?', 'Fort Washington')
>>> [_level_of(t) for t in ["Definitely yes", "Not my first preference, but I'd make it work", "No"]]
[2, 1, 0]
"""

from __future__ import annotations

import re
from dataclasses import replace

from mentoring.reading.columns import _OPTION_MARKS, Column, Guess
from mentoring.reading.mapping import guess_field, normalise_header

__all__ = ["find_groups"]


_DAYS = re.compile(
    r"^(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(day|sday|nesday|rsday|urday)?s?$|weekends?|"
    r"weekdays?|lundi|mardi|mercredi|jeudi|vendredi|lunes|martes|miercoles|jueves|viernes"
)


_SLOT_ANSWER = re.compile(
    r"^(available|yes|x|1|true|checked|morning|afternoon|evening|lunch|lunchtime|am|pm)$"
)


def _grid_parts(header: str) -> tuple[str, str] | None:
    match = re.match(r"^(.*?)\s*\[([^\[\]]+)\]\s*$", header)
    if match and match.group(1).strip():
        return match.group(1).strip(), match.group(2).strip()
    return None


def _row_of(col: Column) -> str:
    parts = _grid_parts(col.header)
    return parts[1] if parts else col.header


def _level_of(text: str) -> int | None:
    """An acceptability answer as 0 (no), 1 (a middle answer) or 2 (yes)."""
    low = " ".join(text.casefold().split())
    if not low:
        return None
    if re.match(r"^(no|not at all|never|unacceptable|would not|won't|can't|cannot)\b", low):
        return 0 if "but" not in low and "prefer" not in low else 1
    if re.match(r"^(definitely|yes|absolutely|happy|first choice|preferred|ideal)", low):
        return 2
    return 1


def find_groups(cols: list[Column], guesses: list[Guess]) -> None:
    """Grids, availability and one-column-per-option exports: columns that answer one question."""
    by_group: dict[str, list[int]] = {}
    for i, col in enumerate(cols):
        parts = _grid_parts(col.header)
        if parts:
            by_group.setdefault(parts[0], []).append(i)
    day_rows = [g for g in by_group if _DAYS.search(normalise_header(g))]
    for group, members in by_group.items():
        if len(members) < 2 and group not in day_rows:
            continue
        # Distinct answers suffice: every test below is all(), a set or a non-empty check.
        values = [v for i in members for v in cols[i].tally]
        rows = {i: _row_of(cols[i]) for i in members}
        days = group in day_rows or all(_DAYS.search(normalise_header(r)) for r in rows.values())
        if days and all(_SLOT_ANSWER.match(" ".join(v.casefold().split())) for v in values):
            for i in members:
                guesses[i] = Guess(
                    "availability",
                    "timeslot",
                    0.85,
                    "a day-and-time grid of when the member is free",
                    kind="availability",
                    group=group,
                    option=rows[i],
                )
            continue
        levels = {_level_of(v) for v in values}
        if (
            values
            and levels >= {0, 2}
            and len({" ".join(v.casefold().split()) for v in values}) <= 6
        ):
            for i in members:
                row = _row_of(cols[i])
                guesses[i] = Guess(
                    "acceptability",
                    "acceptability",
                    0.8,
                    "a grid of yes / middle / no answers about each option",
                    kind="acceptability",
                    group=group,
                    option=row,
                )
            continue
        for i in members:
            row = _row_of(cols[i])
            guesses[i] = replace(guesses[i], group=group, option=row)
    _option_columns(cols, guesses)


def _option_columns(cols: list[Column], guesses: list[Guess]) -> None:
    """One column per option: each cell holds its option's label (or a tick) or nothing."""

    def option_like(col: Column, label: str) -> bool:
        low = " ".join(label.casefold().split())
        return bool(col.answered) and all(
            " ".join(v.casefold().split()) in (low, *_OPTION_MARKS) for v in col.tally
        )

    i = 0
    while i < len(cols):
        col = cols[i]
        group, option = _split_group(col)
        if group is None:
            i += 1
            continue
        run = [i]
        j = i + 1
        while j < len(cols) and _split_group(cols[j])[0] == group:
            run.append(j)
            j += 1
        marked = [k for k in run if option_like(cols[k], _split_group(cols[k])[1] or "")]
        if len(run) >= 3 and len(marked) >= 0.5 * len(run):
            preset = guess_field(group)
            target = (
                preset
                if preset in ("interests", "offers", "seeks", "divisions", "languages")
                else ""
            )
            for k in run:
                guesses[k] = Guess(
                    "question",
                    target,
                    0.85,
                    "one column per option of a multi-select question",
                    kind="overlap",
                    group=group,
                    option=_split_group(cols[k])[1],
                )
        i = j
    _label_headed_options(cols, guesses)


def _split_group(col: Column) -> tuple[str | None, str | None]:
    code = col.raw[0] if col.raw else ""
    qualtrics = re.match(r"^(Q\w*?\d+)_(\d+)(_TEXT)?$", code)
    if qualtrics and " - " in col.header:
        question, _, option = col.header.partition(" - ")
        return question.strip(), option.strip()
    if len(col.raw) == 2 and col.raw[1] and " - " in col.header:
        question = col.header[: len(col.header) - len(col.raw[1]) - 3]
        return question.strip(), col.raw[1].strip()
    return None, None


def _label_headed_options(cols: list[Column], guesses: list[Guess]) -> None:
    """Typeform: a run of columns headed by option labels, each cell its own header or blank."""

    def own_label(col: Column) -> bool:
        low = " ".join(col.header.casefold().split())
        return (
            bool(col.answered)
            and all(" ".join(v.casefold().split()) in (low, *_OPTION_MARKS) for v in col.tally)
            and guesses[col.position].group is None
        )

    i = 0
    while i < len(cols):
        if not own_label(cols[i]):
            i += 1
            continue
        j = i
        while j < len(cols) and (
            own_label(cols[j])
            or (j + 1 < len(cols) and not cols[j].answered and own_label(cols[j + 1]))
            or normalise_header(cols[j].header) in ("other", "other please specify")
        ):
            j += 1
        if j - i >= 3:
            group = f"multi-select ({cols[i].header} ... {cols[j - 1].header})"
            for k in range(i, j):
                guesses[k] = Guess(
                    "question",
                    "",
                    0.8,
                    "one column per option, each headed by its label",
                    kind="overlap",
                    group=group,
                    option=cols[k].header,
                )
        i = max(j, i + 1)
