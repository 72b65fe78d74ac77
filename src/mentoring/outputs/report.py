"""Coverage and quality by group, for the coordinator and the board, without exposing small groups.

Every count between 1 and ``SMALL_CELL - 1`` is shown as ``"<5"``; a count that would let a
suppressed one be worked back from a published total is shown as ``"hidden"``; a rate or mean
computed from a suppressed count is ``"hidden"`` too. Zero stays 0: nobody is described by it.
The onlooker guarded against knows every column total (the headline figures of the run), that a
``"<5"`` is 1-4 and a ``"hidden"`` count 0 or at least 5, and that no group has more matched
mentees than mentees; counts are hidden until no small one can be pinned down from all that.

What a group report counts
--------------------------
A group report is about mentees: members whose role is ``mentee`` or ``both``. ``matched`` is how
many of them have a mentor in ``result.pairs``, ``coverage`` is ``matched / mentees`` and
``mean_score`` is the mean score of their pairs. Members who left the field blank form the group
``"(not given)"``: whether they were served as well as the others is part of the answer.

``mentees - matched`` (the unmatched) is a rate complement, not a published cell: suppressing it
too would hide the coverage of almost every group in a well-matched cohort, which is the figure the
board asks for.

>>> SMALL_CELL
5
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from mentoring.model.people import DEMOGRAPHIC_COLUMNS, MULTI_VALUED_COLUMNS
from mentoring.model.results import MatchResult

__all__ = [
    "GROUPABLE_COLUMNS",
    "HIDDEN",
    "NOT_GIVEN",
    "SMALL",
    "SMALL_CELL",
    "fairness_summary",
    "group_report",
    "group_report_display",
    "groupable_fields",
    "mentor_load",
    "score_distribution",
    "suppress_small",
]

SMALL_CELL = 5
"""Counts from 1 to ``SMALL_CELL - 1`` are never printed."""


SMALL = f"<{SMALL_CELL}"
"""How a small count is shown."""


HIDDEN = "hidden"
"""How a value is shown that would let a small count be worked back."""


NOT_GIVEN = "(not given)"
"""The group of members who left the field blank."""


GROUPABLE_COLUMNS: tuple[str, ...] = (
    "library_type",
    "career_stage",
    "divisions",
    "chapter",
    "meeting_mode",
    "languages",
    "priority",
    "open_to_peer",
    "identities",
)
"""People columns a group report may be broken down by, in the order they are offered."""


_MENTEE_ROLES = ("mentee", "both")


_MENTOR_ROLES = ("mentor", "both")


def _check_result(result: object) -> MatchResult:
    if not isinstance(result, MatchResult):
        raise TypeError(f"expected a MatchResult, got {type(result).__name__}")
    return result


def _check_people(people: object, columns: Iterable[str]) -> pd.DataFrame:
    if not isinstance(people, pd.DataFrame):
        raise TypeError(f"expected the people table (a DataFrame), got {type(people).__name__}")
    missing = [c for c in columns if c not in people.columns]
    if missing:
        raise ValueError(
            f"expected people columns {', '.join(missing)}, got {list(people.columns)}"
        )
    return people


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, tuple | list | frozenset | set):
        return len(value) == 0
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, bool | np.bool_):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _labels(value: object, multi: bool) -> list[str]:
    if _is_blank(value):
        return [NOT_GIVEN]
    if multi and isinstance(value, tuple | list | frozenset | set):
        return sorted({str(v) for v in value if not _is_blank(v)}) or [NOT_GIVEN]
    if isinstance(value, bool | np.bool_):
        return ["yes" if value else "no"]
    if isinstance(value, float) and value.is_integer():
        return [str(int(value))]
    return [str(value)]


Intervals = list[tuple[int, int]]


def _allowed(is_small: bool, total: int, low: int, high: int) -> Intervals:
    """Values an onlooker knows a masked cell can take, as closed intervals within 0..total.

    ``low`` and ``high`` are what the rest of the table tells about the cell (a group has at
    least as many mentees as matched ones).
    """
    # A hidden cell is never 1-4 (those read "<5"), so it is 0 or at least SMALL_CELL.
    spans = [(1, SMALL_CELL - 1)] if is_small else [(0, 0), (SMALL_CELL, total)]
    high = min(high, total)
    return [(max(a, low), min(b, high)) for a, b in spans if max(a, low) <= min(b, high)]


def _sumset(a: Intervals, b: Intervals, total: int) -> Intervals:
    # Sums of two unions of intervals form a union of intervals; merging keeps the list short
    # however large the totals, where a set of single values would grow with the cohort.
    spans = sorted(
        (lo1 + lo2, min(hi1 + hi2, total)) for lo1, hi1 in a for lo2, hi2 in b if lo1 + lo2 <= total
    )
    merged: Intervals = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _recoverable(
    values: np.ndarray, small: np.ndarray, masked: np.ndarray, low: np.ndarray, high: np.ndarray
) -> bool:
    """Whether a small cell of this line is pinned down by the line's total and what is shown."""
    positions = np.flatnonzero(masked)
    total = int(values[positions].sum())
    sets = [_allowed(bool(small[p]), total, int(low[p]), int(high[p])) for p in positions]
    prefix: list[Intervals] = [[(0, 0)]]
    for spans in sets:
        prefix.append(_sumset(prefix[-1], spans, total))
    suffix: list[Intervals] = [[(0, 0)]]
    for spans in reversed(sets):
        suffix.append(_sumset(suffix[-1], spans, total))
    suffix.reverse()
    for i, p in enumerate(positions):
        if not small[p]:
            continue
        others = _sumset(prefix[i], suffix[i + 1], total)
        possible = [
            v
            for v in range(1, min(SMALL_CELL - 1, total) + 1)
            if any(lo <= total - v <= hi for lo, hi in others)
        ]
        if len(possible) < 2:
            return True
    return False


def _protect_line(
    values: np.ndarray, small: np.ndarray, hidden: np.ndarray, low: np.ndarray, high: np.ndarray
) -> bool:
    """Hide one more cell of a line if a small count could be worked back; report a change.

    The total of every line is assumed known, so an onlooker can solve for the masked cells
    knowing that a small one is 1-4, a hidden one 0 or >= SMALL_CELL, and each within the
    bounds ``low``/``high`` the rest of the table gives away.
    """
    masked = small | hidden
    if not small.any() or not _recoverable(values, small, masked, low, high):
        return False
    # Only a non-zero cell can blur the sum: a hidden zero is still known to be 0 or >= 5.
    candidates = np.flatnonzero(~masked & (values > 0))
    if candidates.size == 0:
        return False
    # The smallest cell that makes the line safe loses the least information; if no single
    # cell does, the largest blurs most and the next round adds another. Ties by position.
    ordered = candidates[np.lexsort((candidates, values[candidates]))]
    chosen = ordered[-1]
    for candidate in ordered:
        trial = masked.copy()
        trial[candidate] = True
        if not _recoverable(values, small, trial, low, high):
            chosen = candidate
            break
    hidden[chosen] = True
    return True


Bounds = Callable[[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def _no_bounds(
    values: np.ndarray, small: np.ndarray, hidden: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros_like(values), np.full_like(values, np.iinfo(np.int64).max)


def _suppress(
    values: np.ndarray, *, rows: bool, bounds: Bounds = _no_bounds
) -> tuple[np.ndarray, np.ndarray]:
    """Small and hidden masks for a 2-D array of counts, guarding column (and row) totals."""
    small = (values >= 1) & (values < SMALL_CELL)
    hidden = np.zeros_like(small)
    changed = True
    while changed:
        changed = False
        # Bounds from before a hiding are tighter than after it, so checking against them errs
        # towards hiding more; the last round hides nothing, so its bounds are current.
        low, high = bounds(values, small, hidden)
        for j in range(values.shape[1]):
            column = (values[:, j], small[:, j], hidden[:, j], low[:, j], high[:, j])
            changed |= _protect_line(*column)
        if rows and values.shape[1] > 1:
            for i in range(values.shape[0]):
                changed |= _protect_line(values[i], small[i], hidden[i], low[i], high[i])
    return small, hidden


def suppress_small(
    counts: pd.Series | pd.DataFrame, *, lines: Literal["both", "columns"] = "both"
) -> pd.Series | pd.DataFrame:
    """Counts as they may be published: 1-4 as ``"<5"``, and what would reveal them ``"hidden"``.

    Every column (and, with ``lines="both"``, every row) is treated as if its total were
    published elsewhere. Where a suppressed count could then be worked back from that total and
    the cells shown (knowing a ``"<5"`` is 1-4 and a ``"hidden"`` is 0 or at least 5), the
    smallest other count of that line that blurs it is hidden too, until no line gives anything
    away. A line whose every cell is small cannot be protected this way: do not publish its
    total.

    Parameters
    ----------
    counts : pandas.Series or pandas.DataFrame
        Whole numbers >= 0.
    lines : {"both", "columns"}
        Which totals to guard: columns only (rows are not additive, as in a group report whose
        columns are mentees and matched), or columns and rows (a cross-table).

    Returns
    -------
    pandas.Series or pandas.DataFrame
        Same shape and labels, object dtype: ``int`` where safe, else ``"<5"`` or ``"hidden"``.

    Examples
    --------
    >>> suppress_small(pd.Series([12, 3, 40, 0], index=list("abcd"))).tolist()
    ['hidden', '<5', 40, 0]
    >>> suppress_small(pd.Series([2, 3, 40], index=list("abc"))).tolist()
    ['<5', '<5', 40]
    """
    if lines not in ("both", "columns"):
        raise ValueError(f"expected lines='both' or 'columns', got {lines!r}")
    is_series = isinstance(counts, pd.Series)
    if not is_series and not isinstance(counts, pd.DataFrame):
        raise TypeError(f"expected a Series or DataFrame of counts, got {type(counts).__name__}")
    frame = counts.to_frame() if is_series else counts
    values = frame.to_numpy()
    if values.size and (
        not np.issubdtype(values.dtype, np.number)
        or np.isnan(values.astype(float)).any()
        or (values < 0).any()
        or (values.astype(float) % 1 != 0).any()
    ):
        raise ValueError(f"expected whole-number counts >= 0, got {values.dtype} values")
    small, hidden = _suppress(values.astype(np.int64), rows=lines == "both")
    out = np.empty(values.shape, dtype=object)
    for index in np.ndindex(values.shape):
        out[index] = SMALL if small[index] else HIDDEN if hidden[index] else int(values[index])
    shown = pd.DataFrame(out, index=frame.index, columns=frame.columns, dtype=object)
    return shown.iloc[:, 0].rename(counts.name) if is_series else shown


def groupable_fields(people: pd.DataFrame) -> list[str]:
    """The people columns worth a group report: present, and not blank for everyone.

    Demographic columns are offered only when the file had them.

    Parameters
    ----------
    people : pandas.DataFrame
        The people table.

    Returns
    -------
    list of str
        Column names in the order of :data:`GROUPABLE_COLUMNS`.

    Examples
    --------
    >>> people = pd.DataFrame({"library_type": ["public", ""], "chapter": ["", ""],
    ...                        "identities": [(), ()], "priority": [False, True]})
    >>> groupable_fields(people)
    ['library_type', 'priority']
    """
    _check_people(people, ())
    out = []
    for name in GROUPABLE_COLUMNS:
        if name not in people.columns:
            continue
        column = people[name]
        if column.dtype == bool or name in ("priority", "open_to_peer"):
            # A yes/no field splits the cohort only if someone said yes.
            if column.fillna(False).astype(bool).any():
                out.append(name)
        elif not column.map(_is_blank).all():
            out.append(name)
    return out


def _mentee_scores(result: MatchResult) -> pd.DataFrame:
    pairs = result.pairs
    return pd.DataFrame(
        {
            "member_id": pairs["mentee_id"].astype(str).to_numpy(),
            "score": pairs["score"].astype(float).to_numpy(),
        }
    )


def _group_counts(result: MatchResult, people: pd.DataFrame, field: str) -> pd.DataFrame:
    mentees = people.loc[people["role"].isin(_MENTEE_ROLES), ["member_id", field]]
    multi = field in MULTI_VALUED_COLUMNS
    long = pd.DataFrame(
        [
            (str(member_id), label)
            for member_id, value in zip(mentees["member_id"], mentees[field], strict=True)
            for label in _labels(value, multi)
        ],
        columns=["member_id", "group"],
    )
    scores = _mentee_scores(result).groupby("member_id", sort=True)["score"].mean()
    long["matched"] = long["member_id"].isin(scores.index)
    long["score"] = long["member_id"].map(scores)
    grouped = long.groupby("group", sort=True).agg(
        mentees=("member_id", "size"), matched=("matched", "sum"), score_sum=("score", "sum")
    )
    order = sorted(grouped.index, key=lambda g: (g == NOT_GIVEN, g))
    return grouped.loc[order].astype({"mentees": "int64", "matched": "int64"})


def _mentee_bounds(
    values: np.ndarray, small: np.ndarray, hidden: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """What one column of a group report tells about the other: matched <= mentees."""
    low = np.zeros_like(values)
    high = np.full_like(values, np.iinfo(np.int64).max)
    mentees, matched = values[:, 0], values[:, 1]
    shown = ~(small | hidden)
    # A group has at least as many mentees as matched ones, and no more matched than mentees.
    low[:, 0] = np.where(shown[:, 1], matched, np.where(small[:, 1], 1, 0))
    high[:, 1] = np.where(shown[:, 0], mentees, np.where(small[:, 0], SMALL_CELL - 1, high[:, 1]))
    return low, high


def group_report(result: MatchResult, people: pd.DataFrame, field: str) -> pd.DataFrame:
    """How well each group of one field was served, safe to show: small counts suppressed.

    Parameters
    ----------
    result : MatchResult
        The match to report on.
    people : pandas.DataFrame
        The people table the match was made from.
    field : str
        One of :data:`GROUPABLE_COLUMNS` present in ``people``. A multi-valued field such as
        ``divisions`` gives one row per tag (a member counts in each of their groups).

    Returns
    -------
    pandas.DataFrame
        Columns ``group, mentees, matched, coverage, mean_score``, one row per group, sorted by
        group with ``"(not given)"`` last. Counts 1-4 read ``"<5"``; coverage and mean score of a
        group with a suppressed count read ``"hidden"``.

    Examples
    --------
    >>> from mentoring.outputs.report import _example
    >>> result, people = _example()
    >>> group_report(result, people, "library_type").to_dict("records")[0]
    {'group': 'academic', 'mentees': 6, 'matched': 5, 'coverage': 0.833, 'mean_score': 0.54}
    >>> group_report(result, people, "library_type")["coverage"].tolist()
    [0.833, 0.857, 'hidden', 'hidden', 'hidden']
    """
    result = _check_result(result)
    if field not in GROUPABLE_COLUMNS:
        raise ValueError(f"expected a field from {', '.join(GROUPABLE_COLUMNS)}, got {field!r}")
    _check_people(people, ("member_id", "role", field))
    counts = _group_counts(result, people, field)
    values = counts[["mentees", "matched"]].to_numpy(dtype=np.int64)
    small, hidden = _suppress(values, rows=False, bounds=_mentee_bounds)
    rows = []
    for i, (group, row) in enumerate(counts.iterrows()):
        mentees, matched = (
            SMALL if small[i, j] else HIDDEN if hidden[i, j] else int(values[i, j]) for j in (0, 1)
        )
        coverage: object = HIDDEN
        mean_score: object = HIDDEN
        if isinstance(mentees, int) and isinstance(matched, int):
            if mentees > 0:
                coverage = round(matched / mentees, 3)
            mean_score = (
                round(float(row["score_sum"]) / matched, 3) if matched > 0 else float("nan")
            )
        rows.append(
            {
                "group": group,
                "mentees": mentees,
                "matched": matched,
                "coverage": coverage,
                "mean_score": mean_score,
            }
        )
    columns = ["group", "mentees", "matched", "coverage", "mean_score"]
    return pd.DataFrame(rows, columns=columns).astype(object).astype({"group": str})


def score_distribution(result: MatchResult, bins: int = 10) -> pd.DataFrame:
    """How many pairs fall in each score band, for the coordinator's histogram.

    Scores are not a group statistic (no band describes who the people are), so counts are exact.

    Parameters
    ----------
    result : MatchResult
        The match.
    bins : int
        Number of equal bands over [0, 1]; a score of exactly 1 counts in the last.

    Returns
    -------
    pandas.DataFrame
        Columns ``bin_start, bin_end, pairs``.

    Examples
    --------
    >>> from mentoring.outputs.report import _example
    >>> result, _ = _example()
    >>> score_distribution(result, bins=4)["pairs"].tolist()
    [0, 0, 15, 0]
    """
    result = _check_result(result)
    if isinstance(bins, bool) or not isinstance(bins, int | np.integer) or bins < 1:
        raise ValueError(f"expected bins to be a whole number >= 1, got {bins!r}")
    edges = np.linspace(0.0, 1.0, int(bins) + 1)
    scores = np.clip(result.pairs["score"].astype(float).to_numpy(), 0.0, 1.0)
    counts, _ = np.histogram(scores, bins=edges)
    return pd.DataFrame(
        {"bin_start": edges[:-1].round(6), "bin_end": edges[1:].round(6), "pairs": counts}
    )


def mentor_load(
    result: MatchResult, people: pd.DataFrame, default_capacity: int = 1
) -> pd.DataFrame:
    """Each mentor's number of mentees against what they offered.

    Parameters
    ----------
    result : MatchResult
        The match.
    people : pandas.DataFrame
        The people table; every ``mentor`` or ``both`` member gets a row, with load 0 if unused.
    default_capacity : int
        Capacity of a mentor who left it blank (use the run's ``config.default_capacity``).

    Returns
    -------
    pandas.DataFrame
        Columns ``mentor_id, load, capacity`` (whole numbers), sorted by ``mentor_id``.

    Examples
    --------
    >>> from mentoring.outputs.report import _example
    >>> result, people = _example()
    >>> mentor_load(result, people, default_capacity=2).to_dict("records")[1:]
    [{'mentor_id': 'r2', 'load': 5, 'capacity': 6}, {'mentor_id': 'r3', 'load': 5, 'capacity': 2}]
    """
    result = _check_result(result)
    _check_people(people, ("member_id", "role"))
    if isinstance(default_capacity, bool) or not isinstance(default_capacity, int | np.integer):
        raise ValueError(
            f"expected default_capacity to be a whole number, got {default_capacity!r}"
        )
    mentors = people.loc[people["role"].isin(_MENTOR_ROLES)]
    capacity_column = (
        mentors["capacity"] if "capacity" in mentors else pd.Series(pd.NA, index=mentors.index)
    )
    capacity = {
        str(m): (int(default_capacity) if pd.isna(c) else int(c))
        for m, c in zip(mentors["member_id"], capacity_column, strict=True)
    }
    load = result.pairs["mentor_id"].astype(str).value_counts()
    ids = sorted(set(capacity) | set(load.index))
    return pd.DataFrame(
        {
            "mentor_id": ids,
            "load": [int(load.get(m, 0)) for m in ids],
            "capacity": [capacity.get(m, int(default_capacity)) for m in ids],
        }
    ).astype({"mentor_id": object, "load": "int64", "capacity": "int64"})


def fairness_summary(
    result: MatchResult, people: pd.DataFrame, fields: Sequence[str] | None = None
) -> pd.DataFrame:
    """The board summary: per field, the widest gap in coverage and in mean score between groups.

    Only groups whose figures :func:`group_report` shows are compared (at least ``SMALL_CELL``
    mentees and matched), so the summary reveals nothing the group reports hide.

    Parameters
    ----------
    result : MatchResult
        The match.
    people : pandas.DataFrame
        The people table.
    fields : sequence of str, optional
        Fields to summarise; default :func:`groupable_fields` of ``people`` without the
        demographic ones (add ``"identities"`` explicitly to include them).

    Returns
    -------
    pandas.DataFrame
        One row per field: ``field, groups_compared, lowest_coverage_group, lowest_coverage,
        highest_coverage_group, highest_coverage, coverage_gap, lowest_score_group, lowest_score,
        highest_score_group, highest_score, score_gap``. Gaps are NaN with fewer than two groups.

    Examples
    --------
    >>> from mentoring.outputs.report import _example
    >>> result, people = _example()
    >>> summary = fairness_summary(result, people, ["library_type"])
    >>> summary[["groups_compared", "lowest_coverage_group", "coverage_gap"]].to_dict("records")
    [{'groups_compared': 2, 'lowest_coverage_group': 'academic', 'coverage_gap': 0.024}]
    """
    result = _check_result(result)
    if fields is None:
        fields = [f for f in groupable_fields(people) if f not in DEMOGRAPHIC_COLUMNS]
    elif isinstance(fields, str):
        raise TypeError(f"expected a list of field names, got the string {fields!r}")
    rows = []
    for name in fields:
        report = group_report(result, people, name)
        row: dict[str, object] = {"field": name}
        coverage = report[report["coverage"].map(lambda v: isinstance(v, float))]
        row["groups_compared"] = len(coverage)
        for measure, column in (("coverage", "coverage"), ("score", "mean_score")):
            valid = report[report[column].map(lambda v: isinstance(v, float) and v == v)]
            if len(valid):
                ordered = valid.assign(v=valid[column].astype(float)).sort_values(
                    ["v", "group"], kind="stable"
                )
                low, high = ordered.iloc[0], ordered.iloc[-1]
                row[f"lowest_{measure}_group"] = low["group"]
                row[f"lowest_{measure}"] = low["v"]
                row[f"highest_{measure}_group"] = high["group"]
                row[f"highest_{measure}"] = high["v"]
                gap = high["v"] - low["v"] if len(valid) > 1 else float("nan")
                row[f"{measure}_gap"] = round(gap, 3)
            else:
                row[f"lowest_{measure}_group"] = row[f"highest_{measure}_group"] = ""
                row[f"lowest_{measure}"] = row[f"highest_{measure}"] = float("nan")
                row[f"{measure}_gap"] = float("nan")
        rows.append(row)
    columns = [
        "field",
        "groups_compared",
        "lowest_coverage_group",
        "lowest_coverage",
        "highest_coverage_group",
        "highest_coverage",
        "coverage_gap",
        "lowest_score_group",
        "lowest_score",
        "highest_score_group",
        "highest_score",
        "score_gap",
    ]
    return pd.DataFrame(rows, columns=columns)


def _example() -> tuple[MatchResult, pd.DataFrame]:
    """A small match for the doctests: 19 mentees in four library types, 3 mentors, 15 pairs."""
    from mentoring.model.config import MatchConfig
    from mentoring.model.people import empty_people
    from mentoring.model.results import PAIR_COLUMNS, AuditReport, MatchStats

    groups = [("academic", 6, 5), ("public", 7, 6), ("school", 3, 2), ("special", 2, 2), ("", 1, 0)]
    mentees: list[tuple[str, str, str, Any]] = []
    pairs: list[tuple[str, str, float]] = []
    for library_type, size, matched in groups:
        for k in range(size):
            member_id = f"e{len(mentees):02d}"
            mentees.append((member_id, "mentee", library_type, pd.NA))
            if k < matched:
                pairs.append((member_id, f"r{len(pairs) % 3 + 1}", 0.5 + 0.02 * (len(pairs) % 6)))
    mentors = [
        ("r1", "mentor", "public", 5),
        ("r2", "mentor", "academic", 6),
        ("r3", "both", "", pd.NA),
    ]
    table = pd.DataFrame(
        mentees + mentors, columns=["member_id", "role", "library_type", "capacity"]
    )
    table["name"] = table["member_id"].str.upper()
    table["email"] = table["member_id"] + "@example.org"
    people = pd.concat([empty_people(), table], ignore_index=True)
    people["capacity"] = people["capacity"].astype("Int64")
    frame = pd.DataFrame(pairs, columns=["mentee_id", "mentor_id", "score"])
    frame = frame.reindex(columns=list(PAIR_COLUMNS))
    stats = MatchStats(20, 3, 15, 0, 0, 8.0, 0.53, 0.5, 13, 1, 50, 0.0, True, 8.0)
    result = MatchResult(
        pairs=frame,
        unmatched=pd.DataFrame(),
        alternatives=pd.DataFrame(),
        stats=stats,
        config=MatchConfig(),
        audit=AuditReport(ok=True),
    )
    return result, people


def group_report_display(report: pd.DataFrame) -> pd.DataFrame:
    """A group report as the text a reader sees: counts, ``"<5"``/``"hidden"``, coverage as a
    percentage and the mean score to two decimals; every cell a string.

    One type per column keeps the table from mixing numbers and words (which tables cannot
    show as numbers), and the words stay where the numbers would be.

    Parameters
    ----------
    report : pandas.DataFrame
        :func:`group_report`.

    Returns
    -------
    pandas.DataFrame
        The same columns, ``str`` cells; a mean score with no matched mentee reads ``"\u2014"``.

    Examples
    --------
    >>> result, people = _example()
    >>> group_report_display(group_report(result, people, "library_type")).iloc[0].tolist()
    ['academic', '6', '5', '83%', '0.54']
    """

    def text(value: object, kind: str) -> str:
        if isinstance(value, str):
            return value
        if value is None or (isinstance(value, float) and value != value):
            return "\u2014"
        if kind == "coverage":
            return f"{float(value):.0%}"  # type: ignore[arg-type]
        if kind == "mean_score":
            return f"{float(value):.2f}"  # type: ignore[arg-type]
        return f"{int(value):,}"  # type: ignore[call-overload]

    out = pd.DataFrame({"group": report["group"].astype(str)})
    for column in ("mentees", "matched", "coverage", "mean_score"):
        out[column] = [text(v, column) for v in report[column]]
    return out.astype(str)
