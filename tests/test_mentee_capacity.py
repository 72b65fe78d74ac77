"""Mentees with several mentors, and tracks: ``solve_pairs`` against two independent oracles.

A brute force over every set of pairs (tiny instances) and a networkx min-cost flow with exact
integer tiers (small ones), dense and sparse, with capacities on both sides, tracks, priority
rows and locked pairs.
"""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import pair_instances, pairs_feasible

from mentoring.engine.assign import solve
from mentoring.engine.certify_pairs import solve_pairs_certified
from mentoring.engine.transport import solve_pairs, track_matrices


def key(scores, priority, pairs, coverage):
    """What solve_pairs maximises, as a tuple: counts exact, the score rounded."""
    total = round(float(sum(scores[i, j] for i, j in pairs)), 6)
    if not coverage:
        return (total,)
    covered = {i for i, _ in pairs}
    return (sum(bool(priority[i]) for i in covered), len(covered), len(pairs), total)


def brute_force(inst, coverage):
    """The best key over every feasible set of allowed pairs that holds the locked ones."""
    scores = inst["scores"]
    n, m = scores.shape
    locked = set(inst["locked"])
    free = [(i, j) for i in range(n) for j in range(m) if np.isfinite(scores[i, j])]
    free = [p for p in free if p not in locked]
    best = None
    for size in range(len(free) + 1):
        for extra in itertools.combinations(free, size):
            pairs = [*locked, *extra]
            if not pairs_feasible(
                pairs,
                inst["capacity"],
                inst["row_capacity"],
                inst["row_tracks"],
                inst["col_tracks"],
            ):
                continue
            value = key(scores, inst["priority"], pairs, coverage)
            if best is None or value > best:
                best = value
    return best


def networkx_oracle(inst, coverage, scale=1000):
    """The same objective by networkx min-cost flow, tiers as exact (huge) integer weights.

    Every pair gets its own node, so a pair is used once whichever track it counts under; locked
    pairs get a weight above everything else (they fit together by construction).
    """
    scores = inst["scores"]
    n, m = scores.shape
    cap, row_cap, pri = inst["capacity"], inst["row_capacity"], inst["priority"]
    rt, ct = inst["row_tracks"], inst["col_tracks"]
    allowed = [(i, j) for i in range(n) for j in range(m) if np.isfinite(scores[i, j])]
    ints = {p: int(round(scores[p] * scale)) for p in allowed}
    low = min(ints.values(), default=0)
    # Above every score's size, not only their spread: a locked pair of negative score must
    # still weigh more than leaving it out (one pair of -0.5 alone has a spread of 0).
    top = 2 * max((abs(v) for v in ints.values()), default=0) + 1
    n_pairs = int(row_cap.sum()) + 1
    w_pairs = top * n_pairs
    w_cover = w_pairs * (n_pairs + 1)
    w_pri = w_cover * (n + 1)
    w_lock = w_pri * (n + 1) * 4
    g = nx.DiGraph()
    flow = int(min(row_cap.sum(), cap.sum()))
    g.add_node("s", demand=-flow)
    g.add_node("t", demand=flow)
    g.add_edge("s", "t", capacity=flow, weight=0)
    for i in range(n):
        if coverage:
            g.add_edge("s", ("first", i), capacity=min(1, row_cap[i]), weight=0)
            g.add_edge(("first", i), ("e", i), capacity=1, weight=-(w_cover + w_pri * int(pri[i])))
            g.add_edge("s", ("e", i), capacity=max(0, row_cap[i] - 1), weight=0)
        else:
            g.add_edge("s", ("e", i), capacity=int(row_cap[i]), weight=0)
        if rt is not None and rt[i].any():
            for t in np.flatnonzero(rt[i]).tolist():
                g.add_edge(("e", i), ("et", i, t), capacity=1, weight=0)
    for j in range(m):
        g.add_edge(("r", j), "t", capacity=int(cap[j]), weight=0)
    locked = set(inst["locked"])
    for i, j in allowed:
        value = ints[(i, j)] - low + w_pairs if coverage else ints[(i, j)]
        if (i, j) in locked:
            value += w_lock
        elif not coverage and value <= 0:
            continue
        if rt is not None and rt[i].any():
            offered = ct[j] if ct[j].any() else np.ones_like(ct[j])
            shared = np.flatnonzero(rt[i] & offered).tolist()
            for t in shared:
                g.add_edge(("et", i, t), ("p", i, j), capacity=1, weight=0)
            if not shared:
                continue
        else:
            g.add_edge(("e", i), ("p", i, j), capacity=1, weight=0)
        g.add_edge(("p", i, j), ("r", j), capacity=1, weight=-value)
    result = nx.min_cost_flow(g)
    return [(i, j) for i, j in allowed if result.get(("p", i, j), {}).get(("r", j), 0) > 0]


def run(inst, coverage, form="dense"):
    scores = inst["scores"]
    given_scores = scores
    if form == "sparse":
        r, c = np.nonzero(np.isfinite(scores))
        given_scores = sp.csr_array((scores[r, c], (r, c)), shape=scores.shape)
    found = solve_pairs(
        given_scores,
        inst["capacity"],
        inst["row_capacity"],
        row_tracks=inst["row_tracks"],
        col_tracks=inst["col_tracks"],
        priority=inst["priority"],
        coverage=coverage,
        locked=inst["locked"] or None,
    )
    pairs = list(zip(found.rows.tolist(), found.cols.tolist(), strict=True))
    assert found.optimal
    assert all(np.isfinite(scores[p]) for p in pairs)
    assert set(inst["locked"]) <= set(pairs)
    assert pairs_feasible(
        pairs, inst["capacity"], inst["row_capacity"], inst["row_tracks"], inst["col_tracks"]
    )
    check_tracks(inst, found)
    return pairs


def check_tracks(inst, found):
    """The track each pair counts under is wanted and offered, and used once per mentee."""
    rt, ct = inst["row_tracks"], inst["col_tracks"]
    if rt is None:
        assert (found.tracks == -1).all()
        return
    seen = set()
    for i, j, t in zip(
        found.rows.tolist(), found.cols.tolist(), found.tracks.tolist(), strict=True
    ):
        if not rt[i].any():
            assert t == -1
            continue
        assert rt[i, t] and (ct[j, t] or not ct[j].any())
        assert (i, t) not in seen
        seen.add((i, t))


@settings(max_examples=300, deadline=None)
@given(pair_instances(), st.booleans(), st.sampled_from(["dense", "sparse"]))
def test_solve_pairs_matches_brute_force(inst, coverage, form):
    pairs = run(inst, coverage, form)
    assert key(inst["scores"], inst["priority"], pairs, coverage) == brute_force(inst, coverage)


@settings(max_examples=150, deadline=None)
@given(
    pair_instances(max_rows=7, max_cols=6, max_capacity=3, max_row_capacity=3, max_tracks=3),
    st.booleans(),
    st.sampled_from(["dense", "sparse"]),
)
def test_solve_pairs_matches_networkx_min_cost_flow(inst, coverage, form):
    pairs = run(inst, coverage, form)
    oracle = networkx_oracle(inst, coverage)
    assert pairs_feasible(
        oracle, inst["capacity"], inst["row_capacity"], inst["row_tracks"], inst["col_tracks"]
    )
    want = key(inst["scores"], inst["priority"], oracle, coverage)
    assert key(inst["scores"], inst["priority"], pairs, coverage) == want


def test_regression_the_oracle_keeps_a_locked_pair_of_negative_score():
    # Hypothesis found the oracle's lock weight below a lone negative score's size: it left the
    # locked pair out, which the solver (rightly) keeps.
    inst = {
        "scores": np.array([[-0.5]]),
        "capacity": np.array([1]),
        "row_capacity": np.array([1]),
        "priority": np.array([False]),
        "row_tracks": None,
        "col_tracks": None,
        "locked": [(0, 0)],
    }
    assert networkx_oracle(inst, coverage=False) == run(inst, False) == [(0, 0)]


def random_instance(rng, n, m, n_tracks, forbid):
    scores = np.round(rng.random((n, m)), 3)
    scores[rng.random((n, m)) < forbid] = -np.inf
    inst = {
        "scores": scores,
        "capacity": rng.integers(0, 4, m),
        "row_capacity": rng.integers(0, 4, n),
        "priority": rng.random(n) < 0.2,
        "row_tracks": None,
        "col_tracks": None,
        "locked": [],
    }
    if n_tracks:
        inst["row_tracks"] = rng.random((n, n_tracks)) < 0.5
        inst["col_tracks"] = rng.random((m, n_tracks)) < 0.4
    return inst


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("n_tracks", [0, 3])
@pytest.mark.parametrize("forbid", [0.1, 0.7])
def test_larger_random_instances_match_networkx(seed, n_tracks, forbid):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(10, 40)), int(rng.integers(5, 25))
    inst = random_instance(rng, n, m, n_tracks, forbid)
    for coverage in (True, False):
        want = key(inst["scores"], inst["priority"], networkx_oracle(inst, coverage), coverage)
        for form in ("dense", "sparse"):
            got = key(inst["scores"], inst["priority"], run(inst, coverage, form), coverage)
            assert got == want


@settings(max_examples=100, deadline=None)
@given(pair_instances(max_rows=5, max_cols=4, max_tracks=0), st.booleans())
def test_one_mentor_each_agrees_with_solve(inst, coverage):
    # With one mentor per mentee and no tracks the two solvers optimise the same thing.
    inst = {**inst, "row_capacity": np.ones(inst["scores"].shape[0], dtype=np.int64), "locked": []}
    pairs = run(inst, coverage)
    a = solve(inst["scores"], inst["capacity"], priority=inst["priority"], coverage=coverage)
    theirs = [(i, int(j)) for i, j in enumerate(a.tolist()) if j >= 0]
    assert key(inst["scores"], inst["priority"], pairs, coverage) == key(
        inst["scores"], inst["priority"], theirs, coverage
    )


def test_a_pair_is_never_used_twice():
    # Both have room for two, but the only other mentor is forbidden: one pair, not two.
    scores = np.array([[0.9, -np.inf]])
    found = solve_pairs(scores, [2, 2], [2])
    assert found.rows.tolist() == [0] and found.cols.tolist() == [0]


def test_coverage_before_second_mentors():
    # Mentee 0 would love both mentors, but mentee 1 gets a first mentor before 0 gets a second.
    scores = np.array([[1.0, 1.0], [-np.inf, 0.1]])
    found = solve_pairs(scores, [1, 1], [2, 1])
    assert sorted(zip(found.rows.tolist(), found.cols.tolist(), strict=True)) == [(0, 0), (1, 1)]


def test_one_mentor_per_track():
    # Two career mentors and one identity mentor; the mentee wants one of each.
    rows, cols, names = track_matrices(
        [("career", "identity")], [("career",), ("career",), ("identity",)]
    )
    found = solve_pairs(np.array([[0.9, 0.8, 0.1]]), None, [3], row_tracks=rows, col_tracks=cols)
    assert found.cols.tolist() == [0, 2]
    assert [names[t] for t in found.tracks.tolist()] == ["career", "identity"]


def test_no_shared_track_is_forbidden():
    rows, cols, _ = track_matrices([("career",)], [("identity",)])
    found = solve_pairs(np.array([[0.9]]), None, [1], row_tracks=rows, col_tracks=cols)
    assert found.rows.size == 0


def test_infeasible_locks_are_refused():
    with pytest.raises(ValueError, match="locked"):
        solve_pairs(np.array([[0.5], [0.5]]), [1], [1, 1], locked=[(0, 0), (1, 0)])


def test_bad_row_capacity_is_refused():
    with pytest.raises(ValueError, match="row"):
        solve_pairs(np.array([[0.5]]), None, [1, 2])


@settings(max_examples=120, deadline=None)
@given(pair_instances(max_rows=4, max_cols=3), st.booleans())
def test_exact_cycle_cancelling_alone_reaches_the_optimum(inst, coverage):
    # Start from the worst feasible flow (everything through the bypass, locked units routed by
    # OR-Tools on zero gains): the exact kernel must still reach the optimum.
    import mentoring.engine.transport as transport

    original = transport._rounded_flow

    def poor(net):
        flat = transport._Network(
            **{**net.__dict__, "gain": np.zeros_like(net.gain), "tier": np.zeros_like(net.tier)}
        )
        return original(flat)

    transport._rounded_flow = poor
    try:
        pairs = run(inst, coverage)
    finally:
        transport._rounded_flow = original
    assert key(inst["scores"], inst["priority"], pairs, coverage) == brute_force(inst, coverage)


def certified(inst, coverage, k, chunk_rows):
    scores = inst["scores"]
    locked = None
    if inst["locked"]:
        lr, lc = (np.array(x, dtype=np.int64) for x in zip(*inst["locked"], strict=True))
        locked = (lr, lc, scores[lr, lc])
    return solve_pairs_certified(
        lambda rows: scores[rows],
        *scores.shape,
        inst["capacity"],
        inst["row_capacity"],
        row_tracks=inst["row_tracks"],
        col_tracks=inst["col_tracks"],
        priority=inst["priority"],
        coverage=coverage,
        locked=locked,
        k=k,
        chunk_rows=chunk_rows,
    )


@settings(max_examples=200, deadline=None)
@given(
    pair_instances(max_rows=6, max_cols=5, max_capacity=3, max_row_capacity=3, max_tracks=2),
    st.booleans(),
    st.integers(1, 3),
    st.integers(1, 4),
)
def test_certified_path_matches_solve_pairs(inst, coverage, k, chunk_rows):
    sol = certified(inst, coverage, k, chunk_rows)
    assert sol.certified
    pairs = list(zip(sol.pairs.rows.tolist(), sol.pairs.cols.tolist(), strict=True))
    assert pairs_feasible(
        pairs, inst["capacity"], inst["row_capacity"], inst["row_tracks"], inst["col_tracks"]
    )
    assert set(inst["locked"]) <= set(pairs)
    want = key(inst["scores"], inst["priority"], run(inst, coverage), coverage)
    assert key(inst["scores"], inst["priority"], pairs, coverage) == want
    assert sol.total == pytest.approx(want[-1], abs=1e-6)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("n_tracks", [0, 2])
def test_certified_path_repairs_pruning_on_medium_cohorts(seed, n_tracks):
    rng = np.random.default_rng(seed)
    inst = random_instance(rng, 150, 60, n_tracks, 0.2)
    # Popular mentors: everyone's best few are the same, so pruning to k=3 must be repaired.
    inst["scores"] = np.where(
        np.isfinite(inst["scores"]),
        np.round(inst["scores"] * 0.3 + np.linspace(0.7, 0, 60), 3),
        -np.inf,
    )
    for coverage in (True, False):
        sol = certified(inst, coverage, 3, 17)
        assert sol.certified
        pairs = list(zip(sol.pairs.rows.tolist(), sol.pairs.cols.tolist(), strict=True))
        want = key(inst["scores"], inst["priority"], run(inst, coverage), coverage)
        assert key(inst["scores"], inst["priority"], pairs, coverage) == want


# ------------------------------------------------------------------------------- through match


def positions(result, cohort):
    row = {m: i for i, m in enumerate(cohort.mentee_ids)}
    col = {m: j for j, m in enumerate(cohort.mentor_ids)}
    return [
        (row[str(e)], col[str(r)])
        for e, r in zip(result.pairs["mentee_id"], result.pairs["mentor_id"], strict=True)
    ]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("objective", ["coverage", "quality"])
def test_match_with_two_mentors_each_is_optimal(seed, objective):
    from mentoring import MatchConfig, match, score_people
    from mentoring.reading.synthetic import random_people

    people = random_people(24, 14, seed=seed)
    people["mentee_capacity"] = pd.array([2] * len(people), dtype="Int64")
    config = MatchConfig(objective=objective)
    result = match(people, config)
    assert result.audit.ok, result.audit.problems
    assert result.stats.certified
    assert result.stats.n_pairs == len(result.pairs) > result.stats.n_matched
    cohort = score_people(people, config)
    inst = {
        "scores": cohort.scores,
        "capacity": cohort.capacity,
        "row_capacity": np.full(len(cohort.mentee_ids), 2),
        "priority": cohort.priority,
        "row_tracks": None,
        "col_tracks": None,
        "locked": [],
    }
    coverage = objective == "coverage"
    oracle = networkx_oracle(inst, coverage, scale=10**6)
    got = key(cohort.scores, cohort.priority, positions(result, cohort), coverage)
    want = key(cohort.scores, cohort.priority, oracle, coverage)
    both_ways = {(cohort.mentee_ids[i], cohort.mentor_ids[j]) for i, j in oracle} & {
        (cohort.mentor_ids[j], cohort.mentee_ids[i]) for i, j in oracle
    }
    if both_ways:
        assert got <= want
    else:
        assert got[:-1] == want[:-1] and got[-1] == pytest.approx(want[-1], abs=1e-4)


def tracked_people():
    from mentoring.model.people import empty_people

    return pd.concat(
        [
            empty_people(),
            pd.DataFrame(
                {
                    "member_id": ["e1", "e2", "r1", "r2", "r3"],
                    "name": ["Eve", "Eli", "Rui", "Ria", "Roy"],
                    "role": ["mentee", "mentee", "mentor", "mentor", "mentor"],
                    "interests": [("archives",)] * 5,
                    "tracks_wanted": [("career", "identity"), ("career",), (), (), ()],
                    "tracks_offered": [(), (), ("career",), ("career",), ("identity",)],
                    "capacity": pd.array([pd.NA, pd.NA, 1, 1, 1], dtype="Int64"),
                }
            ),
        ],
        ignore_index=True,
    )


def test_tracks_through_match_one_mentor_per_track():
    from mentoring import match, mentee_view

    result = match(tracked_people())
    assert result.audit.ok, result.audit.problems
    got = sorted(zip(result.pairs["mentee_id"], result.pairs["track"], strict=True))
    assert got == [("e1", "career"), ("e1", "identity"), ("e2", "career")]
    assert set(result.pairs.loc[result.pairs["mentee_id"] == "e1", "mentor_id"]) >= {"r3"}
    view = mentee_view(result)
    assert view.set_index("mentee_id").loc["e1", "n_mentors"] == 2
    assert "tracks" in result.audit.checked


def test_locked_pairs_count_towards_mentee_places_and_tracks():
    from mentoring import MatchConfig, match

    people = tracked_people()
    config = MatchConfig(locked_pairs=[("e1", "r1"), ("e1", "r2")])
    result = match(people, config)
    # Both are career mentors: only one can be kept; the issue says why, the audit says which.
    assert result.audit.problems == (
        "Eve (e1) was locked with mentor Ria (r2), but that pair is missing from the result.",
    )
    assert [i.code for i in result.issues] == ["lock_not_kept"]
    assert ("e1", "r1") in pairs_of(result)


def test_mentee_capacity_zero_and_default_setting():
    from mentoring import MatchConfig, match

    people = tracked_people().assign(tracks_wanted=[()] * 5, tracks_offered=[()] * 5)
    people["mentee_capacity"] = pd.array([0, pd.NA, pd.NA, pd.NA, pd.NA], dtype="Int64")
    result = match(people, MatchConfig(default_mentee_capacity=3))
    assert "e1" not in set(result.pairs["mentee_id"])
    assert (result.pairs["mentee_id"] == "e2").sum() == 3


def test_the_default_path_is_untouched_by_the_new_columns():
    from mentoring import match
    from mentoring.reading.synthetic import random_people

    people = random_people(30, 12, seed=5)
    plain = match(people)
    blank = match(people.assign(mentee_capacity=pd.array([1] * len(people), dtype="Int64")))
    assert pairs_of(plain) == pairs_of(blank)
    assert plain.stats.total_score == blank.stats.total_score
    assert (plain.pairs["track"] == "").all()


def pairs_of(result):
    return set(zip(result.pairs["mentee_id"], result.pairs["mentor_id"], strict=True))


@pytest.mark.slow
def test_certified_at_ten_thousand_by_five_thousand_with_two_mentors_each():
    from mentoring import match
    from mentoring.reading.synthetic import random_people

    people = random_people(10_000, 5_000, seed=3)
    people["mentee_capacity"] = pd.array([2] * len(people), dtype="Int64")
    result = match(people)
    assert result.stats.certified
    assert result.audit.ok, result.audit.problems[:3]
    assert result.stats.n_pairs > result.stats.n_matched
    per_mentee = result.pairs["mentee_id"].value_counts()
    assert per_mentee.max() == 2


def test_the_export_has_one_row_per_pair_with_its_track():
    from mentoring import match
    from mentoring.outputs.export import pairs_table

    people = tracked_people()
    result = match(people)
    table = pairs_table(result, people)
    assert len(table) == len(result.pairs) == 3
    assert sorted(table["track"]) == ["career", "career", "identity"]
