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
    "CHECKIN_COLUMNS",
    "CHECKIN_STATUSES",
    "HISTORY_COLUMNS",
    "HistoryPlan",
    "PAIRS_COLUMNS",
    "apply_history",
    "checkin_history",
    "plan_history",
    "read_checkin",
    "read_history",
    "read_pairs",
]

HISTORY_COLUMNS: tuple[str, ...] = (
    "year",
    "mentee_id",
    "mentor_id",
    "continue_mentee",
    "continue_mentor",
    "source",
    "ended",
)
"""Columns of :func:`read_history`. ``ended`` marks a pair that ended during its year (recorded
at a check-in, see :func:`checkin_history`): it is never continued, whatever the flags say."""


CHECKIN_COLUMNS: tuple[str, ...] = ("mentee", "mentor", "status", "note", "source", "row")
"""Columns of :func:`read_checkin`: the mentee and mentor as written (member id or email), the
status (``"ended"``, ``"continuing"`` or ``"change"``), any note, and where it was read."""


CHECKIN_STATUSES: tuple[str, ...] = ("ended", "continuing", "change")
"""What a check-in says about a pair: it ended, it goes on, or the mentee wants a change."""


# Header words that name each check-in field, and answers that mean each status.
_CHECKIN_HEADERS = {
    "mentee": ("mentee_id", "mentee", "mentee_email", "mentee_e_mail", "mentee_name"),
    "mentor": ("mentor_id", "mentor", "mentor_email", "mentor_e_mail", "mentor_name"),
    "status": ("status", "outcome", "check_in", "checkin", "result", "pair_status", "state"),
    "note": ("note", "notes", "comment", "comments", "reason"),
}


_STATUS_WORDS = {
    "ended": ("ended", "end", "ending", "stopped", "stop", "closed", "finished", "left", "over"),
    "continuing": ("continuing", "continue", "continues", "ok", "active", "going", "yes", "fine"),
    "change": ("change", "wants a change", "wants change", "rematch", "re-match", "new mentor"),
}


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
        want to continue), or one ``continue`` column for both, and ``ended`` (yes/no: the pair
        ended during the year; then it is never continued).

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
    >>> history = read_history([("matches_2024.csv", past.to_csv(index=False).encode())])
    >>> history.astype(object).iloc[0].map(str).tolist()
    ['2024', 'e1', 'r1', 'True', 'True', 'matches_2024.csv', 'False']
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
            ended = (
                _flag(record[columns["ended"]], f'{where}, column "{columns["ended"]}"')
                if "ended" in columns
                else False
            )
            if ended:
                flags = {"continue_mentee": False, "continue_mentor": False}
            rows.append(
                {
                    "year": year,
                    "mentee_id": mentee,
                    "mentor_id": mentor,
                    **flags,
                    "source": name,
                    "ended": ended,
                }
            )
    frame = pd.DataFrame(rows, columns=list(HISTORY_COLUMNS))
    frame["year"] = frame["year"].astype("Int64")
    for side in ("continue_mentee", "continue_mentor", "ended"):
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
    """Past pairs, both still here in a fitting role, where both asked to continue (a pair that
    ended in any year is never continued)."""
    flags = history.reindex(columns=["continue_mentee", "continue_mentor"], fill_value=False)
    ended = history.reindex(columns=["ended"], fill_value=False)["ended"].astype(bool)
    stopped = {
        (str(e), str(r))
        for e, r in zip(
            history.loc[ended, "mentee_id"], history.loc[ended, "mentor_id"], strict=True
        )
    }
    continuing = set()
    for record, (wants_e, wants_r) in zip(
        history.itertuples(index=False), flags.itertuples(index=False), strict=True
    ):
        e, r = str(record.mentee_id), str(record.mentor_id)
        if e not in index or r not in index or (e, r) in stopped:
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


def _status(value: str, where: str) -> str:
    text = " ".join(str(value).strip().casefold().replace("_", " ").split())
    for status, words in _STATUS_WORDS.items():
        if text in words or text.startswith(status):
            return status
    raise LoadError(
        f"{where}: could not read {value!r} as a check-in status. Write ended, continuing or "
        "change (the mentee wants a new mentor)."
    )


def read_checkin(sources: Any, mapping: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Check-in results: per pair, whether it ended, goes on, or the mentee wants a change.

    Parameters
    ----------
    sources : path, upload, DataFrame, or a list of them
        Tables with a mentee column and a mentor column (member id or email) and a status
        column; headers such as "Mentee email", "Mentor ID", "Status" or "Outcome" are
        recognised ignoring case and spaces.
    mapping : dict, optional
        ``{header: field}`` for headers not recognised, field one of ``mentee``, ``mentor``,
        ``status``, ``note`` (as a member file's column mapping).

    Returns
    -------
    pandas.DataFrame
        :data:`CHECKIN_COLUMNS`, one row per row read; ``status`` is one of
        :data:`CHECKIN_STATUSES`.

    Raises
    ------
    LoadError
        When a table lacks a column or a status cannot be read, naming the file and row.

    Examples
    --------
    >>> table = pd.DataFrame({"Mentee email": ["eve@x.org"], "Mentor ID": ["r1"],
    ...                       "Outcome": ["Ended"]})
    >>> read_checkin(table)[["mentee", "mentor", "status"]].values.tolist()
    [['eve@x.org', 'r1', 'ended']]
    """
    explicit = {_header(k): v for k, v in (mapping or {}).items()}
    rows = []
    for name, frame, row_numbers in _tables(sources):
        columns: dict[str, str] = {}
        for header in frame.columns:
            key = _header(header)
            field = explicit.get(key) or next(
                (f for f, names in _CHECKIN_HEADERS.items() if key in names), None
            )
            if field and field not in columns:
                columns[field] = header
        missing = [f for f in ("mentee", "mentor", "status") if f not in columns]
        if missing:
            raise LoadError(
                f"{name}: no {' or '.join(missing)} column. A check-in file needs the mentee "
                "and mentor (member id or email) and a status (ended, continuing or change)."
            )
        for k, (_, record) in enumerate(frame.iterrows()):
            where = f"{name}, row {row_numbers[k]}"
            mentee = str(record[columns["mentee"]]).strip()
            mentor = str(record[columns["mentor"]]).strip()
            if not mentee and not mentor:
                continue
            if not mentee or not mentor:
                raise LoadError(
                    f"{where}: the mentee or mentor is blank. Fill it in or delete the row."
                )
            rows.append(
                {
                    "mentee": mentee,
                    "mentor": mentor,
                    "status": _status(
                        record[columns["status"]], f'{where}, column "{columns["status"]}"'
                    ),
                    "note": str(record[columns["note"]]).strip() if "note" in columns else "",
                    "source": name,
                    "row": row_numbers[k],
                }
            )
    return pd.DataFrame(rows, columns=list(CHECKIN_COLUMNS))


def checkin_history(pairs: pd.DataFrame, year: int, source: str = "check-in") -> pd.DataFrame:
    """History rows for the pairs a check-in ended, so that next year does not repeat them.

    ``pairs`` has ``mentee_id`` and ``mentor_id`` (member ids) of the ended pairs. The rows
    have :data:`HISTORY_COLUMNS` with ``ended`` True: :func:`plan_history` then forbids them as
    repeats and never continues them.

    Examples
    --------
    >>> ended = pd.DataFrame({"mentee_id": ["e1"], "mentor_id": ["r1"]})
    >>> checkin_history(ended, 2026)[["year", "mentee_id", "ended"]].values.tolist()
    [[2026, 'e1', True]]
    """
    frame = pd.DataFrame(
        {
            "year": pd.array([year] * len(pairs), dtype="Int64"),
            "mentee_id": pairs["mentee_id"].astype(str).tolist(),
            "mentor_id": pairs["mentor_id"].astype(str).tolist(),
            "continue_mentee": False,
            "continue_mentor": False,
            "source": source,
            "ended": True,
        },
        columns=list(HISTORY_COLUMNS),
    )
    return frame.drop_duplicates(["mentee_id", "mentor_id"], ignore_index=True)


PAIRS_COLUMNS: tuple[str, ...] = ("mentee_id", "mentor_id", "decision")
"""Columns of :func:`read_pairs`."""


_DECISIONS = {
    "approved": ("approved", "approve", "yes", "ok", "announced", "accepted", "kept", "keep"),
    "locked": ("locked", "lock", "fixed"),
    "rejected": ("rejected", "reject", "no", "declined"),
    "pending": ("pending", "", "undecided", "proposed"),
}


def read_pairs(sources: Any) -> pd.DataFrame:
    """Pairs made earlier (our matches export, or any table with mentee_id and mentor_id).

    An optional ``decision`` (or ``status``) column says what the coordinator decided:
    ``approved`` or ``locked`` pairs are kept, ``rejected`` ones are never proposed again,
    ``pending`` ones are free to change. Without the column every pair counts as approved.

    Examples
    --------
    >>> table = pd.DataFrame({"Mentee ID": ["e1", "e2"], "Mentor ID": ["r1", "r1"],
    ...                       "Decision": ["Approved", "rejected"]})
    >>> read_pairs(table).values.tolist()
    [['e1', 'r1', 'approved'], ['e2', 'r1', 'rejected']]
    """
    rows = []
    for name, frame, row_numbers in _tables(sources):
        columns = {_header(c): c for c in frame.columns}
        missing = [c for c in ("mentee_id", "mentor_id") if c not in columns]
        if missing:
            raise LoadError(
                f"{name}: no {' or '.join(missing)} column. A pairs file needs the columns "
                "mentee_id and mentor_id (as in our own matches export)."
            )
        decided = columns.get("decision") or columns.get("status")
        for k, (_, record) in enumerate(frame.iterrows()):
            mentee = str(record[columns["mentee_id"]]).strip()
            mentor = str(record[columns["mentor_id"]]).strip()
            if not mentee and not mentor:
                continue
            if not mentee or not mentor:
                raise LoadError(
                    f"{name}, row {row_numbers[k]}: the mentee_id or mentor_id is blank. "
                    "Fill it in or delete the row."
                )
            text = str(record[decided]).strip().casefold() if decided else "approved"
            decision = next((d for d, words in _DECISIONS.items() if text in words), None)
            if decision is None:
                raise LoadError(
                    f'{name}, row {row_numbers[k]}, column "{decided}": could not read {text!r} '
                    "as a decision. Write approved, locked, rejected or pending."
                )
            rows.append({"mentee_id": mentee, "mentor_id": mentor, "decision": decision})
    frame = pd.DataFrame(rows, columns=list(PAIRS_COLUMNS))
    return frame.drop_duplicates(["mentee_id", "mentor_id"], keep="last", ignore_index=True)
