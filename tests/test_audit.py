"""The audit finds every kind of broken assignment and passes correct ones."""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import score_instances

import mentoring.checks.audit
import mentoring.pipeline
from mentoring.checks.audit import CHECKS, _AuditContext, audit_assignment, audit_result
from mentoring.engine.assign import solve
from mentoring.model.config import MatchConfig
from mentoring.model.people import empty_people
from mentoring.model.questions import Criterion, encode_acceptability

# ----------------------------------------------------------------------------- matrix level


def test_clean_assignment_passes():
    scores = np.array([[0.5, 0.2], [0.1, -np.inf]])
    report = audit_assignment(scores, [1, 1], np.array([1, 0]))
    assert report.ok
    assert report.problems == ()
    assert "capacity" in report.checked


def test_over_capacity_is_reported():
    report = audit_assignment(np.ones((3, 2)), [2, 1], np.array([0, 0, 0]))
    assert report.problems == ("column 0 has 3 rows assigned but capacity 2",)


@pytest.mark.parametrize("bad", [np.nan, -np.inf])
def test_forbidden_dense_pair_is_reported(bad):
    scores = np.array([[0.5, bad]])
    report = audit_assignment(scores, [1, 1], np.array([1]))
    assert report.problems == ("row 0 is assigned to column 1, a forbidden pair",)
    assert audit_assignment(scores, [1, 1], np.array([1]), forbidden_ok=True).ok


def test_missing_sparse_entry_is_forbidden_but_stored_zero_is_allowed():
    scores = sp.csr_array((np.array([0.0]), (np.array([0]), np.array([1]))), shape=(2, 2))
    assert audit_assignment(scores, [1, 1], np.array([1, -1])).ok
    report = audit_assignment(scores, [1, 1], np.array([1, 0]))
    assert report.problems == ("row 1 is assigned to column 0, a forbidden pair",)


def test_column_out_of_range_and_wrong_shapes():
    report = audit_assignment(np.ones((2, 2)), [1, 1], np.array([2, -3]))
    assert len(report.problems) == 2
    assert not audit_assignment(np.ones((2, 2)), [1, 1], np.array([0])).ok
    assert not audit_assignment(np.ones((2, 2)), [1], np.array([0, 1])).ok
    assert not audit_assignment(np.ones((1, 2)), [1, 1], np.array([0.0])).ok
    with pytest.raises(ValueError, match="expected a 2-D score matrix"):
        audit_assignment(np.ones(3), [1], np.array([0]))


def independent_check(scores, capacity, assignment):
    for i, j in enumerate(assignment):
        if j >= 0 and not np.isfinite(scores[i, j]):
            return False
    used = [j for j in assignment if j >= 0]
    return all(used.count(j) <= capacity[j] for j in set(used))


@settings(max_examples=150, deadline=None)
@given(score_instances(), st.data())
def test_audit_agrees_with_a_plain_loop(instance, data):
    scores, capacity, _ = instance
    n, m = scores.shape
    assignment = np.array(
        data.draw(st.lists(st.integers(-1, m - 1), min_size=n, max_size=n)), dtype=np.int64
    )
    want = independent_check(scores, capacity, assignment)
    assert audit_assignment(scores, capacity, assignment).ok == want
    allowed = np.isfinite(scores)
    r, c = np.nonzero(allowed)
    sparse = sp.coo_array((scores[r, c], (r, c)), shape=scores.shape)
    assert audit_assignment(sparse, capacity, assignment).ok == want


@settings(max_examples=100, deadline=None)
@given(score_instances(max_rows=8, max_cols=6), st.booleans())
def test_every_solve_answer_passes_the_audit(instance, coverage):
    scores, capacity, priority = instance
    assert audit_assignment(
        scores, capacity, solve(scores, capacity, priority=priority, coverage=coverage)
    ).ok


# ----------------------------------------------------------------------------- pair level


def people(**overrides):
    base = {
        "member_id": ["e1", "e2", "r1", "r2", "b1"],
        "name": ["Eve", "Eli", "Rui", "Ria", "Bo"],
        "role": ["mentee", "mentee", "mentor", "mentor", "both"],
    }
    frame = pd.concat([empty_people(), pd.DataFrame(base)], ignore_index=True)
    for column, values in overrides.items():
        frame[column] = pd.Series(values, dtype=frame[column].dtype)
    for column in ("past_partners", "languages", "interests"):
        frame[column] = [v if isinstance(v, tuple) else () for v in frame[column]]
    for column in ("institution", "meeting_mode"):
        frame[column] = [v if isinstance(v, str) else "" for v in frame[column]]
    frame["priority"] = False
    return frame


def with_questions(frame, **columns):
    """The people table with the form's own ``q:`` columns (``q_site`` -> ``q:site``)."""
    frame = frame.copy()
    for name, values in columns.items():
        frame["q:" + name.removeprefix("q_")] = pd.Series(values, dtype=object)
    return frame


SITE = Criterion(
    "site", "acceptability", "q:sites", "q:site", headers=("Which sites could you travel to?",)
)
GRADE = Criterion(
    "grade", "ordinal", "q:grade", "q:grade", levels=("EO", "HEO", "SEO", "Grade 7"), min_above=1
)


def site_people():
    no_fort = encode_acceptability({"Fort Washington": 0, "Bethesda": 2})
    return with_questions(
        people(),
        q_sites=[no_fort, (), (), (), ()],
        q_site=["", "", "Fort Washington", "Bethesda", ""],
    )


def grade_people():
    return with_questions(people(), q_grade=[2.0, 0.0, 1.0, 3.0, float("nan")])


def result(*pairs, score=0.5, locked=False):
    frame = pd.DataFrame(
        {
            "mentee_id": [p[0] for p in pairs],
            "mentor_id": [p[1] for p in pairs],
            "score": [score] * len(pairs),
            "locked": [locked] * len(pairs),
        }
    )
    return SimpleNamespace(pairs=frame)


def problems(table, config, res):
    report = audit_result(table, config, res)
    assert report.ok == (not report.problems)
    return report.problems


def test_clean_result_passes_and_lists_checks():
    report = audit_result(people(), MatchConfig(), result(("e1", "r1"), ("e2", "r2")))
    assert report.ok
    assert "mentor capacity" in report.checked
    assert report.checked.count("no forbidden pair") == 1


def test_empty_result_passes():
    assert audit_result(people(), MatchConfig(), result()).ok


def test_mentee_matched_twice():
    found = problems(people(), MatchConfig(), result(("e1", "r1"), ("e1", "r2")))
    assert found == ("Eve (e1) is matched 2 times (with Rui (r1), Ria (r2)); keep only one.",)


def test_mentee_capacity_from_the_column_the_tracks_or_the_default():
    two = people(mentee_capacity=[2, pd.NA, pd.NA, pd.NA, pd.NA])
    assert problems(two, MatchConfig(), result(("e1", "r1"), ("e1", "r2"))) == ()
    tracks = people(tracks_wanted=[("career", "identity"), (), (), (), ()])
    assert problems(tracks, MatchConfig(), result(("e1", "r1"), ("e1", "r2"))) == ()
    default = MatchConfig(default_mentee_capacity=2)
    assert problems(people(), default, result(("e1", "r1"), ("e1", "r2"))) == ()
    found = problems(two, MatchConfig(), result(("e1", "r1"), ("e1", "r2"), ("e1", "b1")))
    assert found == (
        "Eve (e1) has 3 mentors (Rui (r1), Ria (r2), Bo (b1)) but takes at most 2; keep only 2.",
    )


def test_a_mentee_who_takes_no_mentor_is_reported_with_one_in_id_order_among_others():
    table = people(mentee_capacity=[pd.NA, 0, pd.NA, pd.NA, pd.NA])
    found = problems(
        table, MatchConfig(), result(("e2", "r2"), ("e1", "r1"), ("e1", "b1"), ("e2", "r1"))
    )
    assert found == (
        "Eve (e1) is matched 2 times (with Rui (r1), Bo (b1)); keep only one.",
        "Eli (e2) takes no mentor but is matched with Ria (r2), Rui (r1); remove these pairs.",
        "Rui (r1) has 2 mentees but room for 1; move some of them or raise this mentor's capacity.",
    )
    assert problems(table, MatchConfig(), result(("e2", "r2"))) == (
        "Eli (e2) takes no mentor but is matched with Ria (r2); remove the pair.",
    )


def test_the_same_pair_twice_is_reported():
    two = people(mentee_capacity=[2, pd.NA, pd.NA, pd.NA, pd.NA], capacity=[pd.NA, pd.NA, 2, 1, 1])
    found = problems(two, MatchConfig(), result(("e1", "r1"), ("e1", "r1")))
    assert found == ("Eve (e1) is matched with mentor Rui (r1) 2 times; keep the pair once.",)


def test_two_mentors_under_one_track_are_reported():
    table = people(
        mentee_capacity=[2, pd.NA, pd.NA, pd.NA, pd.NA],
        tracks_wanted=[("career", "identity"), (), (), (), ()],
        tracks_offered=[(), (), ("career",), ("career",), ()],
    )
    found = problems(table, MatchConfig(), result(("e1", "r1"), ("e1", "r2")))
    assert found == (
        "Eve (e1) has 2 mentors but they cannot each count under a different one of the tracks "
        "wanted (career, identity); keep one mentor per track.",
    )
    assert problems(table, MatchConfig(), result(("e1", "r1"), ("e1", "b1"))) == ()


def test_mentor_over_capacity_uses_default_when_blank():
    table = people(capacity=[pd.NA, pd.NA, 1, pd.NA, pd.NA])
    found = problems(table, MatchConfig(), result(("e1", "r1"), ("e2", "r1")))
    assert found == (
        "Rui (r1) has 2 mentees but room for 1; move some of them or raise this mentor's capacity.",
    )
    assert problems(table, MatchConfig(), result(("e1", "r2"), ("e2", "r2")))
    assert not problems(table, MatchConfig(default_capacity=2), result(("e1", "r2"), ("e2", "r2")))


def test_self_pair_and_both_ways():
    found = problems(people(), MatchConfig(), result(("b1", "b1")))
    assert found == ("Bo (b1) is matched with mentor Bo (b1): that is the same person.",)
    table = people(role=["both", "mentee", "mentor", "mentor", "both"])
    found = problems(table, MatchConfig(), result(("e1", "b1"), ("b1", "e1")))
    assert len(found) == 1
    assert "the other way round" in found[0]


def test_roles():
    found = problems(people(), MatchConfig(), result(("r1", "e1")))
    assert "Rui (r1) signed up as mentor" in found[0]
    assert "Eve (e1) signed up as mentee" in found[1]


def test_unknown_member():
    found = problems(people(), MatchConfig(), result(("zz", "r1")))
    assert found == ("zz is matched with mentor Rui (r1), but zz is not in the member list.",)


def test_same_institution_ignores_case_spacing_and_blanks():
    table = people(institution=["Ohio  State", "", "ohio state ", "", ""])
    found = problems(table, MatchConfig(), result(("e1", "r1"), ("e2", "r2")))
    assert found == (
        "Eve (e1) is matched with mentor Rui (r1), but both are at the same institution "
        '("Ohio  State").',
    )
    assert not problems(table, MatchConfig(forbid_same_institution=False), result(("e1", "r1")))


@pytest.mark.parametrize("side", ["mentee", "mentor"])
def test_past_partner_listed_by_either_side(side):
    partners = [(), (), (), (), ()]
    partners[0 if side == "mentee" else 2] = ("r1",) if side == "mentee" else ("e1",)
    table = people(past_partners=partners)
    assert problems(table, MatchConfig(), result(("e1", "r1"))) == (
        "Eve (e1) is matched with mentor Rui (r1), but they were paired before.",
    )
    assert not problems(table, MatchConfig(forbid_repeat_pairs=False), result(("e1", "r1")))


def test_shared_language_only_when_required_and_both_known():
    table = people(languages=[("english",), ("spanish",), ("french",), (), ()])
    config = MatchConfig(require_shared_language=True)
    assert problems(table, config, result(("e1", "r1"))) == (
        "Eve (e1) is matched with mentor Rui (r1), but they share no language.",
    )
    assert not problems(table, config, result(("e1", "r2")))
    assert not problems(table, MatchConfig(), result(("e1", "r1")))


def test_timezone_limit_when_both_known():
    table = people(timezone=[-5.0, np.nan, 3.0, -6.0, np.nan])
    config = MatchConfig(max_timezone_difference=2)
    assert problems(table, config, result(("e1", "r1"))) == (
        "Eve (e1) is matched with mentor Rui (r1), but their time zones are 8 hours apart "
        "(the limit is 2).",
    )
    assert not problems(table, config, result(("e1", "r2"), ("e2", "r1")))


def test_meeting_mode_either_and_blank_fit_all():
    table = people(meeting_mode=["online", "in person", "in person", "either", ""])
    config = MatchConfig(require_compatible_meeting_mode=True)
    assert problems(table, config, result(("e1", "r1"))) == (
        'Eve (e1) is matched with mentor Rui (r1), but one wants "online" and the other '
        '"in person".',
    )
    assert not problems(table, config, result(("e1", "r2"), ("e2", "r1")))
    assert not problems(table, MatchConfig(), result(("e1", "r1")))


def test_min_score_exempts_locked_pairs():
    config = MatchConfig(min_score=0.6, locked_pairs=[("e1", "r1")])
    found = problems(people(), config, result(("e1", "r1"), score=0.5))
    assert found == (
        "Eve (e1) is matched with mentor Rui (r1) with score 0.500, below the minimum score 0.600.",
    )
    assert not problems(people(), config, result(("e1", "r1"), score=0.5, locked=True))


def test_forbidden_pair_and_missing_locked_pair():
    config = MatchConfig(forbidden_pairs=[("e1", "r1")], locked_pairs=[("e2", "r2"), ("x", "r1")])
    found = problems(people(), config, result(("e1", "r1")))
    assert found == (
        "Eve (e1) is matched with mentor Rui (r1), but the coordinator ruled this pair out.",
        "Eli (e2) was locked with mentor Ria (r2), but that pair is missing from the result.",
    )


def test_regression_a_locked_pair_a_rule_refuses_is_not_reported_missing():
    # match() refuses such a lock and says why among its issues; the audit failed the run too.
    table = people(institution=["Tulane", "Ohio", "tulane ", "Kent", ""])
    config = MatchConfig(locked_pairs=[("e1", "r1"), ("e2", "r2")])
    assert problems(table, config, result(("e2", "r2"))) == ()
    assert problems(table, config.with_(forbid_same_institution=False), result(("e2", "r2"))) == (
        "Eve (e1) was locked with mentor Rui (r1), but that pair is missing from the result.",
    )
    ruled_out = MatchConfig(locked_pairs=[("e2", "r1")], forbidden_pairs=[("e2", "r1")])
    assert problems(people(), ruled_out, result()) == ()


def test_regression_a_lock_after_the_mentees_or_mentors_places_are_locked_is_not_missing():
    # e1 takes one mentor and r1 one mentee: once e1-r1 is kept, e1-r2 and e2-r1 cannot be.
    locks = MatchConfig(locked_pairs=[("e1", "r1"), ("e1", "r2"), ("e2", "r1")])
    one_place = people(capacity=[pd.NA, pd.NA, 1, 1, pd.NA])
    assert problems(one_place, locks, result(("e1", "r1"), locked=True)) == ()
    two_places = people(capacity=[pd.NA, pd.NA, 2, 1, pd.NA])
    assert problems(two_places, locks, result(("e1", "r1"), locked=True)) == (
        "Eli (e2) was locked with mentor Rui (r1), but that pair is missing from the result.",
    )


def test_a_locked_pair_match_refuses_leaves_the_audit_clean():
    table = people(institution=["Tulane", "", "Tulane", "", ""])
    result_of = mentoring.pipeline.match(table, MatchConfig(locked_pairs=[("e1", "r1")]))
    assert result_of.audit.ok, result_of.audit.problems
    assert any("same institution" in issue.message for issue in result_of.issues)


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="got one without capacity"):
        audit_result(people().drop(columns="capacity"), MatchConfig(), result())
    with pytest.raises(ValueError, match="got one without locked"):
        audit_result(
            people(),
            MatchConfig(),
            SimpleNamespace(pairs=pd.DataFrame({"mentee_id": [], "mentor_id": [], "score": []})),
        )


def test_audit_is_independent_of_the_engine():
    tree = ast.parse(Path(mentoring.checks.audit.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
            imported.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            imported.update(a.name for a in node.names)
    engine = {
        m
        for m in imported
        if m in ("mentoring.engine", "mentoring.rules", "mentoring.scoring")
        or m.startswith("mentoring.engine.")
    }
    assert not engine, f"the audit must re-derive every rule itself, yet imports {sorted(engine)}"
    assert any(m == "mentoring.model" or m.startswith("mentoring.model.") for m in imported)


# ----------------------------------------------------------------------------- the checks table

# One case per entry of ``CHECKS``: a people table, a configuration and a result that break that
# rule and no other, and the sentences the rule must report.
VIOLATIONS = {
    "members exist": lambda: (
        people(),
        MatchConfig(),
        result(("zz", "r1")),
        ["zz is matched with mentor Rui (r1), but zz is not in the member list."],
    ),
    "mentee capacity": lambda: (
        people(),
        MatchConfig(),
        result(("e1", "r1"), ("e1", "r2")),
        ["Eve (e1) is matched 2 times (with Rui (r1), Ria (r2)); keep only one."],
    ),
    "tracks": lambda: (
        people(
            tracks_wanted=[("career",), (), (), (), ()],
            tracks_offered=[(), (), ("identity",), (), ()],
        ),
        MatchConfig(),
        result(("e1", "r1")),
        [
            "Eve (e1) is matched with mentor Rui (r1), but they share no kind of mentoring (the "
            "mentee wants career; the mentor offers identity)."
        ],
    ),
    "mentor capacity": lambda: (
        people(capacity=[pd.NA, pd.NA, 1, pd.NA, pd.NA]),
        MatchConfig(),
        result(("e1", "r1"), ("e2", "r1")),
        [
            "Rui (r1) has 2 mentees but room for 1; move some of them or raise this mentor's "
            "capacity."
        ],
    ),
    "no self pair": lambda: (
        people(),
        MatchConfig(),
        result(("b1", "b1")),
        ["Bo (b1) is matched with mentor Bo (b1): that is the same person."],
    ),
    "not both ways": lambda: (
        people(role=["both", "mentee", "mentor", "mentor", "both"]),
        MatchConfig(),
        result(("e1", "b1"), ("b1", "e1")),
        [
            "Bo (b1) is matched with mentor Eve (e1), and also the other way round; keep one "
            "direction."
        ],
    ),
    "roles": lambda: (
        people(),
        MatchConfig(),
        result(("r1", "e1")),
        [
            "Rui (r1) is matched with mentor Eve (e1), but Rui (r1) signed up as mentor.",
            "Rui (r1) is matched with mentor Eve (e1), but Eve (e1) signed up as mentee.",
        ],
    ),
    "not the same institution": lambda: (
        people(institution=["Tulane", "", " TULANE", "", ""]),
        MatchConfig(),
        result(("e1", "r1")),
        [
            "Eve (e1) is matched with mentor Rui (r1), but both are at the same institution "
            '("Tulane").'
        ],
    ),
    "not paired before": lambda: (
        people(past_partners=[(), (), ("e1",), (), ()]),
        MatchConfig(),
        result(("e1", "r1")),
        ["Eve (e1) is matched with mentor Rui (r1), but they were paired before."],
    ),
    "a shared language": lambda: (
        people(languages=[("english",), (), ("french",), (), ()]),
        MatchConfig(require_shared_language=True),
        result(("e1", "r1")),
        ["Eve (e1) is matched with mentor Rui (r1), but they share no language."],
    ),
    "time zones within the limit": lambda: (
        people(timezone=[-5.0, np.nan, 1.5, np.nan, np.nan]),
        MatchConfig(max_timezone_difference=3),
        result(("e1", "r1")),
        [
            "Eve (e1) is matched with mentor Rui (r1), but their time zones are 6.5 hours apart "
            "(the limit is 3)."
        ],
    ),
    "compatible meeting modes": lambda: (
        people(meeting_mode=["Online", "", "in person", "", ""]),
        MatchConfig(require_compatible_meeting_mode=True),
        result(("e1", "r1")),
        [
            'Eve (e1) is matched with mentor Rui (r1), but one wants "online" and the other '
            '"in person".'
        ],
    ),
    "minimum score": lambda: (
        people(),
        MatchConfig(min_score=0.6),
        result(("e1", "r1"), score=0.25),
        [
            "Eve (e1) is matched with mentor Rui (r1) with score 0.250, below the minimum score "
            "0.600."
        ],
    ),
    "no forbidden pair": lambda: (
        people(),
        MatchConfig(forbidden_pairs=[("e1", "r1")]),
        result(("e1", "r1")),
        ["Eve (e1) is matched with mentor Rui (r1), but the coordinator ruled this pair out."],
    ),
    "locked pairs kept": lambda: (
        people(),
        MatchConfig(locked_pairs=[("e2", "r2")]),
        result(("e1", "r1")),
        ["Eli (e2) was locked with mentor Ria (r2), but that pair is missing from the result."],
    ),
    "no answered No on the form": lambda: (
        site_people(),
        MatchConfig(criteria=(SITE,)),
        result(("e1", "r1")),
        [
            'Eve (e1) is matched with mentor Rui (r1), but Eve (e1) answered No to "Fort '
            'Washington" for site.'
        ],
    ),
    "levels within the allowed range": lambda: (
        grade_people(),
        MatchConfig(criteria=(GRADE,)),
        result(("e1", "r1")),
        [
            "Eve (e1) is matched with mentor Rui (r1), but the mentor's grade (HEO) is -1 level "
            "above the mentee's (SEO); the form asks for at least 1."
        ],
    ),
}

CHECK_NAMES = [check.name for check in CHECKS]


def test_every_check_has_a_violation_case():
    assert len(set(CHECK_NAMES)) == len(CHECK_NAMES), "two checks share a name"
    assert set(VIOLATIONS) == set(CHECK_NAMES)


@pytest.mark.parametrize("name", CHECK_NAMES)
def test_each_check_reports_its_own_violation_and_nothing_else_does(name):
    assert name in VIOLATIONS, f"no test case breaks the check {name!r}"
    table, config, res, expected = VIOLATIONS[name]()
    check = next(c for c in CHECKS if c.name == name)
    assert check.applies(config)
    context = _AuditContext.build(table, config, res.pairs)
    assert check.run(context) == expected
    others = {c.name: c.run(context) for c in CHECKS if c.name != name and c.applies(config)}
    assert not any(others.values()), others
    report = audit_result(table, config, res)
    assert not report.ok
    assert report.problems == tuple(expected)
    assert name in report.checked


@pytest.mark.parametrize("name", CHECK_NAMES)
def test_each_check_passes_a_clean_result(name):
    table, config, _, _ = VIOLATIONS[name]()
    clean = result(("e1", "r2"), ("e2", "r1"), score=0.9)
    check = next(c for c in CHECKS if c.name == name)
    if name == "locked pairs kept":
        config = config.with_(locked_pairs=[])
    assert check.run(_AuditContext.build(table, config, clean.pairs)) == []


def test_checked_lists_the_applicable_checks_in_table_order():
    everything = MatchConfig(
        require_shared_language=True,
        require_compatible_meeting_mode=True,
        max_timezone_difference=2,
        min_score=0.1,
    )
    assert audit_result(people(), everything, result()).checked == tuple(CHECK_NAMES)
    nothing_optional = MatchConfig(forbid_same_institution=False, forbid_repeat_pairs=False)
    checked = audit_result(people(), nothing_optional, result()).checked
    assert checked == tuple(c.name for c in CHECKS if c.applies(nothing_optional))
    assert "not the same institution" not in checked
    assert "minimum score" not in checked


def test_problems_are_grouped_by_check_in_table_order():
    # The self pair is on the second row, yet its check comes before the roles check.
    found = problems(people(), MatchConfig(), result(("r1", "e1"), ("b1", "b1")))
    assert found == (
        "Bo (b1) is matched with mentor Bo (b1): that is the same person.",
        "Rui (r1) is matched with mentor Eve (e1), but Rui (r1) signed up as mentor.",
        "Rui (r1) is matched with mentor Eve (e1), but Eve (e1) signed up as mentee.",
    )


def test_first_row_of_a_duplicated_member_id_wins():
    table = people()
    table = pd.concat([table, table.iloc[[2]].assign(name="Other", role="mentee")])
    assert problems(table, MatchConfig(), result(("e1", "r1"))) == ()


def test_every_check_runs_on_a_large_result():
    # How fast is measured in bench/, not here; this proves the table works at size.
    n = 20_000
    ids_e = [f"e{k}" for k in range(n)]
    ids_r = [f"r{k}" for k in range(n)]
    table = pd.concat(
        [
            empty_people(),
            pd.DataFrame(
                {
                    "member_id": ids_e + ids_r,
                    "name": [f"Member {k}" for k in range(2 * n)],
                    "role": ["mentee"] * n + ["mentor"] * n,
                    "institution": [f"inst {k % 1000}" for k in range(2 * n)],
                    "timezone": [float(k % 24 - 12) for k in range(2 * n)],
                    "meeting_mode": [
                        ("online", "in person", "either", "")[k % 4] for k in range(2 * n)
                    ],
                    "languages": [("en",), ("es",)] * n,
                    "past_partners": [()] * (2 * n),
                }
            ),
        ],
        ignore_index=True,
    )
    pairs = pd.DataFrame({"mentee_id": ids_e, "mentor_id": ids_r, "score": 0.7, "locked": False})
    config = MatchConfig(
        require_shared_language=True,
        require_compatible_meeting_mode=True,
        max_timezone_difference=6,
        min_score=0.5,
    )
    report = audit_result(table, config, SimpleNamespace(pairs=pairs))
    assert report.checked == tuple(CHECK_NAMES)
    assert not report.ok


# ----------------------------------------------------------------------------- the form's rules


def test_criteria_in_people_attrs_are_audited_too():
    table = site_people()
    table.attrs["criteria"] = [SITE.to_dict()]
    found = problems(table, MatchConfig(), result(("e1", "r1")))
    assert len(found) == 1 and "answered No" in found[0]


def test_reverse_grid_is_about_the_mentee():
    table = with_questions(
        people(),
        q_site=["Bethesda", "Fort Washington", "", "", ""],
        q_sites=[
            (),
            (),
            encode_acceptability({"bethesda": 0, "fort washington": 1}),
            encode_acceptability({"fort washington": 2}),
            (),
        ],
    )
    reverse = Criterion("site", "acceptability", "q:site", "q:sites", reverse=True)
    found = problems(table, MatchConfig(criteria=(reverse,)), result(("e1", "r1"), ("e2", "r2")))
    assert found == (
        'Eve (e1) is matched with mentor Rui (r1), but Rui (r1) answered No to "Bethesda" for '
        "site.",
    )


def test_joint_grid_needs_an_option_both_accept():
    grid = encode_acceptability
    table = with_questions(
        people(),
        q_sites=[
            grid({"a": 2, "b": 0}),
            grid({"a": 1}),
            grid({"a": 0, "b": 2}),
            (),
            grid({"a": 1}),
        ],
    )
    joint = Criterion("sites", "acceptability", "q:sites", "q:sites", joint=True)
    found = problems(
        table, MatchConfig(criteria=(joint,)), result(("e1", "r1"), ("e2", "r2"), ("b1", "b1"))
    )
    assert found == (
        "Bo (b1) is matched with mentor Bo (b1): that is the same person.",
        "Eve (e1) is matched with mentor Rui (r1), but they accept no sites in common.",
    )


def test_max_above_is_a_bound_too():
    capped = Criterion("grade", "ordinal", "q:grade", "q:grade", max_above=1)
    found = problems(grade_people(), MatchConfig(criteria=(capped,)), result(("e2", "r2")))
    assert found == (
        "Eli (e2) is matched with mentor Ria (r2), but the mentor's grade (3) is 3 levels above "
        "the mentee's (0); the form allows at most 1.",
    )
