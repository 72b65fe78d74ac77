"""History across cohorts: past pairs, continuing pairs, fair mentor load, reused answers.

Past match files (our own exports, or any table with ``mentee_id`` and ``mentor_id``) are read
by :func:`read_history`; :func:`plan_history` then applies three rules to this year's people
table and says what it changed:

1. **Repeats.** A past pair goes into both members' ``past_partners``, so the repeat rule
   (``forbid_repeat_pairs``) keeps them apart, unless both said they want to continue; then the
   old mentor goes first in the mentee's ``preferred_mentors`` and the pair stays allowed.
2. **Load.** A mentor who had ``load_threshold`` (default 3) or more mentees over the last
   ``window`` (default 3) program years in the history, continuing pairs not counted, has
   their capacity this year reduced by one, never below one. This spreads the work towards
   mentors who did less without turning anyone away; the coordinator can see and undo it.
3. **Returning members.** A member who left an answer blank this year gets the answer from
   their most recent past record (matched by ``member_id``, else by email). Demographic
   answers are not reused unless asked for: people may describe themselves differently now.

>>> history = pd.DataFrame({"year": [2025], "mentee_id": ["e"], "mentor_id": ["r"],
...     "continue_mentee": [False], "continue_mentor": [False]})
>>> people = pd.DataFrame({"member_id": ["e", "r"], "name": ["E", "R"],
...     "role": ["mentee", "mentor"]})
>>> new_people, config = apply_history(people, history, MatchConfig())
>>> new_people.set_index("member_id").loc["e", "past_partners"]
('r',)
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from mentoring.model.config import MatchConfig
from mentoring.model.errors import LoadError
from mentoring.model.people import DEMOGRAPHIC_COLUMNS, PEOPLE_COLUMNS, prepare_people

__all__ = [
    "CHANGE_COLUMNS",
    "HISTORY_COLUMNS",
    "HistoryPlan",
    "apply_history",
    "plan_history",
    "read_history",
]

HISTORY_COLUMNS: tuple[str, ...] = (
    "year",
    "mentee_id",
    "mentor_id",
    "continue_mentee",
    "continue_mentor",
    "source",
)
"""Columns of :func:`read_history`."""


CHANGE_COLUMNS: tuple[str, ...] = ("member_id", "field", "action", "detail")
"""Columns of :attr:`HistoryPlan.changes`."""


_YES = {"yes", "y", "true", "1", "x", "continue", "both"}


_NO = {"", "no", "n", "false", "0", "none"}


_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


# Answers that belong to this year's sign-up only, never carried over.
_NOT_REUSED = frozenset(
    {
        "member_id",
        "name",
        "email",
        "role",
        "priority",
        "past_partners",
        "preferred_mentors",
        "open_to_peer",
        "notes",
    }
)


def _header(text: str) -> str:
    return "_".join(str(text).strip().casefold().replace("-", " ").split())


def _flag(value: str, where: str) -> bool:
    text = str(value).strip().casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise LoadError(f"{where}: could not read {value!r} as yes or no. Write yes or no.")


def _tables(sources: Any) -> list[tuple[str, pd.DataFrame, tuple[int, ...]]]:
    upload = (
        isinstance(sources, tuple)
        and len(sources) == 2
        and isinstance(sources[1], bytes | bytearray)
    )
    items = sources if isinstance(sources, list | tuple) and not upload else [sources]
    out = []
    files = []
    for k, item in enumerate(items):
        if isinstance(item, pd.DataFrame):
            frame = item.astype(object).where(item.notna(), "").astype(str)
            out.append((f"table {k + 1}", frame, tuple(range(2, len(frame) + 2))))
        else:
            files.append(item)
    if files:
        from mentoring.reading.ingest import read_tables

        tables, _ = read_tables(files)
        out += [(t.source, t.frame, t.row_numbers) for t in tables]
    return out


def read_history(sources: Any) -> pd.DataFrame:
    """Past pairs from earlier programs' match files or tables.

    Parameters
    ----------
    sources : path, upload, DataFrame, or a list of them
        Each has ``mentee_id`` and ``mentor_id`` columns (headers are matched ignoring case and
        spaces); optionally ``year`` (else the year in the file name, such as
        ``matches_2024.csv``), ``continue_mentee`` and ``continue_mentor`` (yes/no: does each
        want to continue), or one ``continue`` column for both.

    Returns
    -------
    pandas.DataFrame
        :data:`HISTORY_COLUMNS`, one row per distinct past pair and year, sorted.

    Raises
    ------
    LoadError
        When a file lacks the id columns or a year, or a cell cannot be read; the message names
        the file, row and column.

    Examples
    --------
    >>> past = pd.DataFrame({"Mentee ID": ["e1"], "Mentor ID": ["r1"], "Continue": ["yes"]})
    >>> read_history([("matches_2024.csv", past.to_csv(index=False).encode())])
       year mentee_id mentor_id  continue_mentee  continue_mentor            source
    0  2024        e1        r1             True             True  matches_2024.csv
    """
    rows = []
    for name, frame, row_numbers in _tables(sources):
        columns = {_header(c): c for c in frame.columns}
        missing = [c for c in ("mentee_id", "mentor_id") if c not in columns]
        if missing:
            raise LoadError(
                f"{name}: no {' or '.join(missing)} column. A past match file needs the "
                "columns mentee_id and mentor_id (as in our own matches export)."
            )
        found = _YEAR.search(name)
        for k, (_, record) in enumerate(frame.iterrows()):
            where = f"{name}, row {row_numbers[k]}"
            mentee = str(record[columns["mentee_id"]]).strip()
            mentor = str(record[columns["mentor_id"]]).strip()
            if not mentee or not mentor:
                raise LoadError(
                    f"{where}: the mentee_id or mentor_id is blank. Fill it in or delete the row."
                )
            if "year" in columns:
                text = str(record[columns["year"]]).strip()
                if not re.fullmatch(r"\d{4}", text):
                    raise LoadError(
                        f'{where}, column "{columns["year"]}": expected a year such as 2024, '
                        f"got {text!r}."
                    )
                year = int(text)
            elif found:
                year = int(found.group(0))
            else:
                raise LoadError(
                    f"{name}: no year found. Add a 'year' column or put the year in the file "
                    "name, such as matches_2024.csv."
                )
            both = (
                _flag(record[columns["continue"]], f'{where}, column "{columns["continue"]}"')
                if "continue" in columns
                else False
            )
            flags = {}
            for side in ("continue_mentee", "continue_mentor"):
                flags[side] = (
                    _flag(record[columns[side]], f'{where}, column "{columns[side]}"')
                    if side in columns
                    else both
                )
            rows.append(
                {"year": year, "mentee_id": mentee, "mentor_id": mentor, **flags, "source": name}
            )
    frame = pd.DataFrame(rows, columns=list(HISTORY_COLUMNS))
    frame["year"] = frame["year"].astype("Int64")
    for side in ("continue_mentee", "continue_mentor"):
        frame[side] = frame[side].astype(bool)
    frame = frame.drop_duplicates(["year", "mentee_id", "mentor_id"], keep="last")
    return frame.sort_values(["year", "mentee_id", "mentor_id"], ignore_index=True)


@dataclass(frozen=True)
class HistoryPlan:
    """This year's people and config with history applied, and every change, one per row.

    ``changes`` has :data:`CHANGE_COLUMNS`; ``action`` is one of ``"repeat forbidden"``,
    ``"continuing pair preferred"``, ``"capacity reduced"``, ``"answer reused"``. Reused
    answers are described by field and year only, never by value, so the table can be shown.
    """

    people: pd.DataFrame
    config: MatchConfig
    changes: pd.DataFrame


def _blank(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, tuple | list | set | frozenset):
        return len(value) == 0
    return isinstance(value, str) and not value.strip()


def _past_records(past_people: Any) -> list[tuple[str, pd.DataFrame]]:
    """(label, table) pairs, oldest first."""
    if past_people is None:
        return []
    if isinstance(past_people, pd.DataFrame):
        return [("a past program", past_people)]
    if isinstance(past_people, Mapping):
        return [(f"the {y} program", past_people[y]) for y in sorted(past_people)]
    if isinstance(past_people, Sequence):
        return [(f"past program {k + 1}", t) for k, t in enumerate(past_people)]
    raise ValueError(
        "expected past_people as a DataFrame, a list of them (oldest first) or a mapping "
        f"year -> DataFrame, got {type(past_people).__name__}"
    )


def _add(cell: Any, value: str) -> tuple[str, ...]:
    return tuple(sorted({*map(str, cell or ()), value}))


def _remove(cell: Any, value: str) -> tuple[str, ...]:
    return tuple(v for v in map(str, cell or ()) if v != value)


def plan_history(
    people: pd.DataFrame,
    history: pd.DataFrame,
    config: MatchConfig,
    *,
    past_people: Any = None,
    window: int = 3,
    load_threshold: int = 3,
    reuse_demographics: bool = False,
) -> HistoryPlan:
    """Apply past pairs, continuing pairs, mentor load and reused answers (see the module).

    Parameters
    ----------
    people : pandas.DataFrame
        This year's people table.
    history : pandas.DataFrame
        From :func:`read_history` (:data:`HISTORY_COLUMNS`; ``source`` optional).
    config : MatchConfig
        Returned as given: history changes the people table only, so the rules apply as set.
    past_people : DataFrame, list of DataFrames (oldest first), or mapping year -> DataFrame
        Earlier people tables whose answers may fill this year's blanks.
    window : int
        Program years (the most recent in ``history``) that count towards a mentor's load.
    load_threshold : int
        Past mentees within the window from which capacity is reduced by one.
    reuse_demographics : bool
        Also reuse identity answers (off by default).

    Returns
    -------
    HistoryPlan

    Examples
    --------
    >>> history = pd.DataFrame({"year": [2024, 2025], "mentee_id": ["a", "b"],
    ...     "mentor_id": ["r", "r"], "continue_mentee": [False, True],
    ...     "continue_mentor": [False, True]})
    >>> people = pd.DataFrame({"member_id": ["b", "r"], "name": ["B", "R"],
    ...     "role": ["mentee", "mentor"], "preferred_mentors": [(), ()]})
    >>> plan = plan_history(people, history, MatchConfig())
    >>> plan.changes["action"].tolist()
    ['continuing pair preferred']
    """
    _check_plan_inputs(history, window, load_threshold)
    out = prepare_people(people)
    index = {m: k for k, m in enumerate(out["member_id"])}
    continuing = _continuing_pairs(history, index, out["role"].tolist())
    # The order matters: a capacity the load rule sets is no longer blank, so no past answer
    # replaces it.
    changes = _forbid_or_continue_past_pairs(out, history, index, continuing)
    changes += _ease_mentor_load(out, history, index, continuing, config, window, load_threshold)
    changes += _reuse_blank_answers(out, past_people, reuse_demographics)
    return HistoryPlan(
        people=out,
        config=config,
        changes=pd.DataFrame(changes, columns=list(CHANGE_COLUMNS)),
    )


def _check_plan_inputs(history: pd.DataFrame, window: int, load_threshold: int) -> None:
    if window < 1 or load_threshold < 1:
        raise ValueError(
            f"expected window >= 1 and load_threshold >= 1, got {window} and {load_threshold}"
        )
    missing = [c for c in ("year", "mentee_id", "mentor_id") if c not in history.columns]
    if missing:
        raise ValueError(f"expected history columns {list(HISTORY_COLUMNS)}, missing {missing}")


def _change(member_id: str, field: str, action: str, detail: str) -> dict[str, str]:
    return {"member_id": member_id, "field": field, "action": action, "detail": detail}


def _continuing_pairs(
    history: pd.DataFrame, index: Mapping[str, int], roles: Sequence[str]
) -> set[tuple[str, str]]:
    """Past pairs, both still here in a fitting role, where both asked to continue."""
    flags = history.reindex(columns=["continue_mentee", "continue_mentor"], fill_value=False)
    continuing = set()
    for record, (wants_e, wants_r) in zip(
        history.itertuples(index=False), flags.itertuples(index=False), strict=True
    ):
        e, r = str(record.mentee_id), str(record.mentor_id)
        if e not in index or r not in index:
            continue
        if (
            bool(wants_e)
            and bool(wants_r)
            and roles[index[e]] != "mentor"
            and roles[index[r]] != "mentee"
        ):
            continuing.add((e, r))
    return continuing


def _latest_years(history: pd.DataFrame) -> dict[tuple[str, str], int]:
    """Each past pair's most recent program year."""
    latest_year: dict[tuple[str, str], int] = {}
    for record in history.itertuples(index=False):
        key = (str(record.mentee_id), str(record.mentor_id))
        latest_year[key] = max(int(record.year), latest_year.get(key, int(record.year)))
    return latest_year


def _forbid_or_continue_past_pairs(
    out: pd.DataFrame,
    history: pd.DataFrame,
    index: Mapping[str, int],
    continuing: set[tuple[str, str]],
) -> list[dict[str, str]]:
    """Rule 1, in place: a past pair is forbidden as a repeat unless both asked to continue;
    then the old mentor becomes the mentee's first choice and the pair stays allowed."""
    past = out["past_partners"].tolist()
    preferred = out["preferred_mentors"].tolist()
    changes = []
    for (e, r), year in sorted(_latest_years(history).items()):
        if e not in index or r not in index:
            continue
        if (e, r) in continuing:
            past[index[e]] = _remove(past[index[e]], r)
            past[index[r]] = _remove(past[index[r]], e)
            preferred[index[e]] = (r, *_remove(preferred[index[e]], r))
            detail = (
                f"Both asked to continue the {year} pair with {r}; {r} is now "
                "the first choice and the pair stays allowed."
            )
            changes.append(_change(e, "preferred_mentors", "continuing pair preferred", detail))
        else:
            past[index[e]] = _add(past[index[e]], r)
            past[index[r]] = _add(past[index[r]], e)
            detail = (
                f"Paired with {r} in {year}; not both asked to continue, so the "
                "repeat rule applies."
            )
            changes.append(_change(e, "past_partners", "repeat forbidden", detail))
    out["past_partners"] = past
    out["preferred_mentors"] = preferred
    return changes


def _recent_load(
    history: pd.DataFrame, continuing: set[tuple[str, str]], window: int
) -> tuple[dict[str, int], set[int]]:
    """Mentees per mentor over the last ``window`` program years, continuing pairs not
    counted, and those years."""
    years = sorted({int(y) for y in history["year"]})
    recent = set(years[-window:])
    load: dict[str, int] = {}
    for record in history.itertuples(index=False):
        pair = (str(record.mentee_id), str(record.mentor_id))
        if int(record.year) in recent and pair not in continuing:
            load[pair[1]] = load.get(pair[1], 0) + 1
    return load, recent


def _ease_mentor_load(
    out: pd.DataFrame,
    history: pd.DataFrame,
    index: Mapping[str, int],
    continuing: set[tuple[str, str]],
    config: MatchConfig,
    window: int,
    load_threshold: int,
) -> list[dict[str, str]]:
    """Rule 2, in place: a mentor with ``load_threshold`` or more recent mentees gets one
    place fewer this year, never below one."""
    if not len(history):
        return []
    load, recent = _recent_load(history, continuing, window)
    roles = out["role"].tolist()
    capacity = out["capacity"].copy()
    changes = []
    for mentor, count in sorted(load.items()):
        if mentor not in index or count < load_threshold or roles[index[mentor]] == "mentee":
            continue
        k = index[mentor]
        base = config.default_capacity if pd.isna(capacity.iloc[k]) else int(capacity.iloc[k])
        if base > 1:
            capacity.iloc[k] = base - 1
            detail = (
                f"Mentored {count} mentees in {min(recent)}-{max(recent)} "
                f"(threshold {load_threshold}); capacity {base} -> {base - 1} to "
                "spread the load."
            )
            changes.append(_change(mentor, "capacity", "capacity reduced", detail))
    out["capacity"] = capacity
    return changes


def _reuse_blank_answers(
    out: pd.DataFrame, past_people: Any, reuse_demographics: bool
) -> list[dict[str, str]]:
    """Rule 3, in place: a returning member's blank answers come from their most recent past
    record that has them (demographic answers only when asked)."""
    fields = [
        c
        for c in PEOPLE_COLUMNS
        if c not in _NOT_REUSED and (reuse_demographics or c not in DEMOGRAPHIC_COLUMNS)
    ]
    changes = []
    for label, table in reversed(_past_records(past_people)):
        changes += _fill_blanks_from(out, label, prepare_people(table), fields)
    return changes


def _fill_blanks_from(
    out: pd.DataFrame, label: str, table: pd.DataFrame, fields: Sequence[str]
) -> list[dict[str, str]]:
    """Fill ``out``'s blank ``fields`` from one past people table, matching members by id,
    else by email."""
    by_id = {m: k for k, m in enumerate(table["member_id"])}
    by_email = {
        str(e).strip().casefold(): k for k, e in enumerate(table["email"]) if str(e).strip()
    }
    changes = []
    for k, member in enumerate(out["member_id"]):
        email = str(out.at[k, "email"]).strip().casefold()
        source = by_id.get(member, by_email.get(email) if email else None)
        if source is None:
            continue
        for column in fields:
            if _blank(out.at[k, column]) and not _blank(table.at[source, column]):
                out.at[k, column] = table.at[source, column]
                detail = f"Left blank this year; the answer from {label} was used."
                changes.append(_change(member, column, "answer reused", detail))
    return changes


def apply_history(
    people: pd.DataFrame,
    history: pd.DataFrame,
    config: MatchConfig,
    **options: Any,
) -> tuple[pd.DataFrame, MatchConfig]:
    """This year's people table and config with history applied (see :func:`plan_history`).

    Parameters
    ----------
    people : pandas.DataFrame
        This year's people table.
    history : pandas.DataFrame
        From :func:`read_history`.
    config : MatchConfig
        This year's configuration.
    **options
        ``past_people``, ``window``, ``load_threshold``, ``reuse_demographics`` as for
        :func:`plan_history`.

    Returns
    -------
    people, config
        Use :func:`plan_history` to also get the list of changes.

    Examples
    --------
    >>> history = pd.DataFrame({"year": [2025], "mentee_id": ["e"], "mentor_id": ["r"]})
    >>> people = pd.DataFrame({"member_id": ["e", "r"], "name": ["E", "R"],
    ...     "role": ["mentee", "mentor"]})
    >>> apply_history(people, history, MatchConfig())[0]["past_partners"].tolist()
    [('r',), ('e',)]
    """
    plan = plan_history(people, history, config, **options)
    return plan.people, plan.config
