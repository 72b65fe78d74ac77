"""Group reports: small-cell suppression that cannot be undone from totals, and the figures."""

from __future__ import annotations

import itertools
import math
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mentoring import pipeline
from mentoring.model.config import MatchConfig
from mentoring.model.people import empty_people as _empty_people
from mentoring.model.results import PAIR_COLUMNS, AuditReport, MatchResult, MatchStats
from mentoring.outputs.report import (
    HIDDEN,
    NOT_GIVEN,
    SMALL,
    SMALL_CELL,
    fairness_summary,
    group_report,
    groupable_fields,
    mentor_load,
    score_distribution,
    suppress_small,
)


def cohort(groups: list[tuple[object, int, int]], field: str = "library_type", **extra):
    """People and a result: for each (value, mentees, matched), that many mentees of the group.

    Matched mentees get mentor ``r0`` with scores 0.50, 0.51, ... in order; mentor ``r0`` has a
    capacity large enough for all.
    """
    rows, pairs = [], []
    for value, size, matched in groups:
        for k in range(size):
            member_id = f"e{len(rows):03d}"
            rows.append({"member_id": member_id, "role": "mentee", field: value, **extra})
            if k < matched:
                pairs.append({"mentee_id": member_id, "mentor_id": "r0", "score": 0.5})
    rows.append({"member_id": "r0", "role": "mentor", "capacity": len(pairs) or 1})
    people = pd.concat([_empty_people(), pd.DataFrame(rows)], ignore_index=True)
    for column in ("divisions", "identities", "languages"):
        people[column] = [v if isinstance(v, tuple) else () for v in people[column]]
    people["name"] = people["member_id"]
    people["email"] = people["member_id"] + "@example.org"
    people["capacity"] = people["capacity"].astype("Int64")
    frame = pd.DataFrame(pairs, columns=["mentee_id", "mentor_id", "score"])
    frame["score"] = [round(0.5 + 0.01 * i, 2) for i in range(len(frame))]
    frame = frame.reindex(columns=list(PAIR_COLUMNS))
    n = len(frame)
    stats = MatchStats(len(rows) - 1, 1, n, 0, 0, 0.0, 0.0, 0.0, n, 1, n, 0.0, True, 0.0)
    result = MatchResult(
        pairs=frame,
        unmatched=pd.DataFrame(),
        alternatives=pd.DataFrame(),
        stats=stats,
        config=MatchConfig(),
        audit=AuditReport(ok=True),
    )
    return result, people


def possible_values(
    shown: list[object],
    total: int,
    at_most: list[object] | None = None,
    at_least: list[object] | None = None,
) -> list[set[int]]:
    """What an onlooker who knows the line total can say about each suppressed cell.

    ``at_most`` and ``at_least`` give, per cell, bounds shown elsewhere (a group's mentees bound
    its matched from above, its matched bound its mentees from below), or a non-integer for none.
    """
    known = sum(v for v in shown if isinstance(v, int))
    rest = total - known
    masked = [i for i, v in enumerate(shown) if not isinstance(v, int)]
    none = [None] * len(shown)
    highs = [b if isinstance(b, int) else rest for b in (at_most or none)]
    lows = [b if isinstance(b, int) else 0 for b in (at_least or none)]
    ranges = [
        [
            v
            for v in (range(1, SMALL_CELL) if shown[i] == SMALL else range(rest + 1))
            if lows[i] <= v <= highs[i] and (shown[i] == SMALL or v == 0 or v >= SMALL_CELL)
        ]
        for i in masked
    ]
    found: list[set[int]] = [set() for _ in masked]
    for combo in itertools.product(*ranges):
        if sum(combo) == rest:
            for slot, value in enumerate(combo):
                found[slot].add(value)
    out: list[set[int]] = [set() for _ in shown]
    for slot, i in enumerate(masked):
        out[i] = found[slot]
    return out


def test_suppress_small_shows_small_counts_as_less_than_five_and_keeps_zero():
    shown = suppress_small(pd.Series([12, 3, 40, 0, 7], index=list("abcde")))
    assert shown.tolist() == [12, SMALL, 40, 0, HIDDEN]
    assert shown.index.tolist() == list("abcde")


def test_single_small_cell_gets_a_complement_that_actually_blurs_it():
    # Hiding the 5 next to a 1 would not help: 1 + 5 = 6 is the only way to reach the total.
    assert suppress_small(pd.Series([1, 5, 40])).tolist() == [SMALL, 5, HIDDEN]


def test_two_fours_are_not_left_alone_when_their_sum_gives_them_away():
    # Two "<5" adding up to 8 can only be 4 and 4.
    assert suppress_small(pd.Series([4, 4, 20])).tolist() == [SMALL, SMALL, HIDDEN]


def test_suppression_with_large_totals_takes_well_under_a_second():
    # Tracking every possible value of a hidden cell took minutes once totals reached 200,000.
    values = np.array([1, 2, 3, *range(200_000, 200_060)])
    started = time.perf_counter()
    shown = suppress_small(pd.DataFrame({"a": values, "b": values[::-1]}))
    assert time.perf_counter() - started < 2.0
    assert (shown == HIDDEN).sum().tolist() == [3, 3]


def test_suppress_small_rejects_what_is_not_a_count():
    with pytest.raises(ValueError, match="expected whole-number counts >= 0"):
        suppress_small(pd.Series([1.5, 2]))
    with pytest.raises(ValueError, match="expected whole-number counts >= 0"):
        suppress_small(pd.Series([-1, 2]))
    with pytest.raises(TypeError, match="expected a Series or DataFrame"):
        suppress_small([1, 2])
    with pytest.raises(ValueError, match="expected lines='both' or 'columns'"):
        suppress_small(pd.Series([1, 2]), lines="rows")


@settings(max_examples=150, deadline=None)
@given(
    arrays(
        np.int64,
        st.tuples(st.integers(1, 4), st.integers(1, 3)),
        elements=st.integers(0, 14),
    )
)
def test_no_small_count_can_be_worked_back_from_any_line_total(values):
    shown = suppress_small(pd.DataFrame(values))
    for index in np.ndindex(values.shape):
        cell, value = shown.iat[index], int(values[index])
        if 1 <= value < SMALL_CELL:
            assert cell == SMALL
        else:
            assert cell in (value, HIDDEN)
    lines = [(values[:, j], shown.iloc[:, j].tolist()) for j in range(values.shape[1])]
    lines += [(values[i, :], shown.iloc[i, :].tolist()) for i in range(values.shape[0])]
    for true, cells in lines:
        if not any(isinstance(c, int) and c > 0 for c in cells) and SMALL in cells:
            # Nothing left to hide: the documented case whose total must not be published.
            continue
        for cell, options in zip(cells, possible_values(cells, int(true.sum())), strict=True):
            if cell == SMALL:
                assert len(options) >= 2, (true.tolist(), cells)


def test_group_of_three_cannot_be_recovered_from_totals():
    result, people = cohort([("academic", 20, 17), ("school", 3, 3), ("public", 12, 10)])
    report = group_report(result, people, "library_type").set_index("group")
    assert report.at["school", "mentees"] == SMALL
    school = report.index.get_loc("school")
    mentees = report["mentees"].tolist()
    assert len(possible_values(mentees, result.stats.n_mentees)[school]) >= 2
    matched = report["matched"].tolist()
    assert len(possible_values(matched, result.stats.n_matched)[school]) >= 2


def test_complement_is_not_a_group_whose_mentees_give_its_matched_away():
    # Hiding the matched count of a group of 5 would not help: it can be at most 5, so the
    # total of matched mentees still pins the "<5" next to it.
    result, people = cohort([("a", 20, 3), ("b", 5, 5), ("c", 40, 30)])
    report = group_report(result, people, "library_type")
    matched = report["matched"].tolist()
    options = possible_values(matched, result.stats.n_matched, report["mentees"].tolist())
    assert matched[0] == SMALL and len(options[0]) >= 2
    assert report["coverage"].tolist()[1] == 1.0


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 12), st.floats(0, 1)).map(lambda t: (t[0], round(t[0] * t[1]))),
        min_size=2,
        max_size=5,
    )
)
def test_group_report_counts_cannot_be_worked_back_with_totals_and_each_other(sizes):
    groups = [(f"g{i}", size, matched) for i, (size, matched) in enumerate(sizes)]
    result, people = cohort(groups)
    report = group_report(result, people, "library_type")
    mentees, matched = report["mentees"].tolist(), report["matched"].tolist()
    lines = (
        (
            mentees,
            result.stats.n_mentees,
            None,
            [m if isinstance(m, int) else None for m in matched],
        ),
        (matched, result.stats.n_matched, mentees, None),
    )
    for cells, total, at_most, at_least in lines:
        if not any(isinstance(c, int) and c > 0 for c in cells):
            continue
        for cell, options in zip(
            cells, possible_values(cells, total, at_most, at_least), strict=True
        ):
            if cell == SMALL:
                assert len(options) >= 2, (groups, report)


def all_cells(frame: pd.DataFrame) -> list[object]:
    return [v for column in frame.columns for v in frame[column]]


def test_no_count_from_one_to_four_printed_in_any_group_report():
    result, people = cohort(
        [("academic", 9, 8), ("public", 7, 3), ("school", 2, 1), ("special", 4, 4), ("", 1, 1)]
    )
    report = group_report(result, people, "library_type")
    for value in all_cells(report[["mentees", "matched"]]):
        assert not (isinstance(value, int) and 1 <= value < SMALL_CELL), report
    assert report["group"].tolist() == ["academic", "public", "school", "special", NOT_GIVEN]
    row = report.set_index("group").loc["public"]
    assert (row["mentees"], row["matched"], row["coverage"]) == (7, SMALL, HIDDEN)


def test_group_report_figures_for_groups_large_enough():
    result, people = cohort([("academic", 10, 8), ("public", 6, 6), ("school", 5, 0)])
    report = group_report(result, people, "library_type").set_index("group")
    assert report.at["academic", "coverage"] == 0.8
    assert report.at["academic", "mean_score"] == round(
        np.mean([0.5 + 0.01 * i for i in range(8)]), 3
    )
    assert report.at["public", "coverage"] == 1.0
    assert report.at["school", "matched"] == 0 and report.at["school", "coverage"] == 0.0
    assert math.isnan(report.at["school", "mean_score"])


def test_multi_valued_field_gives_one_row_per_tag():
    result, people = cohort(
        [(("acrl", "nmrt"), 6, 5), (("acrl",), 5, 5), ((), 5, 0)], field="divisions"
    )
    report = group_report(result, people, "divisions").set_index("group")
    assert report.index.tolist() == ["acrl", "nmrt", NOT_GIVEN]
    assert report.at["acrl", "mentees"] == 11 and report.at["acrl", "matched"] == 10
    assert report.at["nmrt", "mentees"] == 6


def test_group_report_rejects_unknown_field():
    result, people = cohort([("academic", 5, 5)])
    with pytest.raises(ValueError, match="expected a field from .*, got 'email'"):
        group_report(result, people, "email")


def test_groupable_fields_offers_demographics_only_when_present():
    _, people = cohort([("academic", 5, 5)])
    assert "identities" not in groupable_fields(people)
    assert "library_type" in groupable_fields(people)
    assert "chapter" not in groupable_fields(people)
    _, people = cohort([(("woman",), 5, 5)], field="identities")
    assert "identities" in groupable_fields(people)
    assert (
        "identities"
        not in fairness_summary(*cohort([(("woman",), 5, 5)], "identities"))["field"].tolist()
    )


def test_mentor_load_uses_default_capacity_for_blanks():
    result, people = cohort([("academic", 3, 3)])
    people.loc[people["member_id"] == "r0", "capacity"] = pd.NA
    extra = pd.DataFrame([{"member_id": "r1", "role": "both", "capacity": 2}])
    people = pd.concat([people, extra], ignore_index=True)
    load = mentor_load(result, people, default_capacity=4)
    assert load.to_dict("records") == [
        {"mentor_id": "r0", "load": 3, "capacity": 4},
        {"mentor_id": "r1", "load": 0, "capacity": 2},
    ]


def test_score_distribution_counts_every_pair_including_a_perfect_score():
    result, _ = cohort([("academic", 7, 7)])
    result.pairs.loc[0, "score"] = 1.0
    dist = score_distribution(result, bins=5)
    assert dist["pairs"].sum() == 7 and dist["pairs"].iloc[-1] == 1
    assert dist["bin_start"].tolist() == [0.0, 0.2, 0.4, 0.6, 0.8]
    with pytest.raises(ValueError, match="expected bins to be a whole number >= 1, got 0"):
        score_distribution(result, bins=0)


def test_fairness_summary_gaps_between_groups():
    result, people = cohort([("academic", 10, 9), ("public", 10, 5), ("special", 6, 6)])
    summary = fairness_summary(result, people, ["library_type"]).iloc[0]
    assert summary["groups_compared"] == 3
    assert summary["lowest_coverage_group"] == "public" and summary["lowest_coverage"] == 0.5
    assert summary["highest_coverage_group"] == "special" and summary["coverage_gap"] == 0.5


def test_fairness_summary_compares_only_groups_the_report_shows():
    result, people = cohort(
        [("academic", 10, 9), ("archive", 8, 8), ("public", 10, 5), ("school", 3, 1)]
    )
    report = group_report(result, people, "library_type")
    shown = report[report["coverage"].map(lambda v: isinstance(v, float))]
    summary = fairness_summary(result, people, ["library_type"]).iloc[0]
    assert "school" not in shown["group"].tolist()
    assert summary["groups_compared"] == len(shown) >= 2
    lowest = shown.loc[shown["coverage"].astype(float).idxmin()]
    assert summary["lowest_coverage_group"] == lowest["group"]
    assert summary["lowest_coverage"] == lowest["coverage"]


SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "members.csv"


@pytest.fixture(scope="module")
def sample_match():
    people, _ = pipeline.load_people(SAMPLE)
    return pipeline.match(people, MatchConfig()), people


def test_sample_reports_print_no_count_from_one_to_four(sample_match):
    result, people = sample_match
    fields = groupable_fields(people)
    assert {"library_type", "divisions", "career_stage", "chapter", "identities"} <= set(fields)
    for field in fields:
        report = group_report(result, people, field)
        for value in all_cells(report[["mentees", "matched"]]):
            assert not (isinstance(value, int) and 1 <= value < SMALL_CELL), (field, report)
        suppressed = report["mentees"] == SMALL
        assert (report.loc[suppressed, "coverage"] == HIDDEN).all()
        assert (report.loc[suppressed, "mean_score"] == HIDDEN).all()
    single = group_report(result, people, "library_type")
    exact = single[single["mentees"].map(lambda v: isinstance(v, int))]
    assert exact["mentees"].sum() <= result.stats.n_mentees


def test_sample_board_summary_leaves_demographics_out_unless_asked(sample_match):
    result, people = sample_match
    summary = fairness_summary(result, people)
    assert "identities" not in summary["field"].tolist()
    assert summary["field"].tolist() == [f for f in groupable_fields(people) if f != "identities"]
    with_identities = fairness_summary(result, people, ["identities"])
    assert with_identities.loc[0, "groups_compared"] >= 2
    assert (summary["coverage_gap"].dropna() >= 0).all()
