"""Review: find matches, read the figures, approve, reject, lock or reassign, re-solve; the
diversity goals' report, and peer-to-peer pairs and circles."""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from mentoring.engine.circles import form_circles, peer_pairs
from mentoring.model.config import COMPONENTS
from mentoring.outputs.export import safe_frame_csv
from mentoring.outputs.report import groupable_fields
from mentoring.pipeline import compare_objectives
from mentoring.services.members import matching_ready
from mentoring.services.runs import find_matches, headline, reassign, review_view, why_not_best
from mentoring.services.settings import goal_price_sentence
from mentoring.store.records import STATUSES
from ui.common import (
    DIFF,
    RESULT,
    current_program,
    current_result,
    members,
    plain,
    run_action,
    settings,
    store,
)
from ui.insights import FIELD_LABELS
from ui.settings import OBJECTIVE_HELP

__all__ = ["show"]

OBJECTIVES = "objective_comparison"
"""Session key: ``(program_id, table)`` of the last objective comparison."""

PEER = "peer_result"
"""Session key: ``(program_id, kind, result)`` of the last peer pairs (a table) or circles."""

SEEN = "review_seen_versions"
"""Session key: ``{(mentee_id, mentor_id): version}`` as last drawn."""

_STATUS_LABELS = {
    "pending": "Pending",
    "approved": "Approved",
    "rejected": "Rejected",
    "locked": "Locked",
}


def _run(program_id: int, people: pd.DataFrame, label: str) -> None:
    bar = st.progress(0.0, text=f"{label}: starting")

    def progress(fraction: float, message: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=f"{label}: {message}")

    started = time.perf_counter()
    outcome = run_action(
        label,
        lambda: find_matches(store(), program_id, people, settings(program_id), progress),
    )
    bar.empty()
    if outcome is None:
        return
    seconds = time.perf_counter() - started
    st.session_state[RESULT] = (program_id, outcome.run_id, outcome.result)
    st.session_state[DIFF] = (program_id, outcome.diff)
    st.session_state["last_seconds"] = (program_id, seconds)


def _headline(result, unmatched: pd.DataFrame) -> None:
    h = headline(result.stats, unmatched)
    a, b, c, d = st.columns(4)
    a.metric("Mentees matched", f"{h.mentees_matched} of {h.mentees}")
    b.metric("Mean score", f"{h.mean_score:.2f}")
    c.metric("Mentors at capacity", f"{h.mentors_at_capacity} of {h.mentors}")
    d.metric(
        "Unmatched mentees",
        h.unmatched_mentees,
        help=f"{h.unmatched_mentors} mentor(s) have no mentee; see Unmatched members below.",
    )


def _diff(program_id: int) -> None:
    held = st.session_state.get(DIFF)
    if not held or held[0] != program_id or held[1] is None:
        return
    diff = held[1]
    st.subheader("Difference from the previous run")
    a, b, c, d = st.columns(4)
    a.metric("Pairs added", diff.added)
    b.metric("Pairs removed", diff.removed)
    c.metric("Pairs changed", diff.changed)
    d.metric(
        "Total score",
        f"{diff.total_after:.2f}",
        delta=f"{diff.total_after - diff.total_before:+.2f} (was {diff.total_before:.2f})",
    )
    if len(diff.table):
        st.dataframe(
            diff.table.drop(columns=["mentee_id"]),
            key="diff_table",
            hide_index=True,
            width="stretch",
            column_config={
                "change": "Change",
                "mentee_name": "Mentee",
                "mentor_before": "Mentor before",
                "mentor_after": "Mentor now",
                "score_before": st.column_config.NumberColumn("Score before", format="%.2f"),
                "score_after": st.column_config.NumberColumn("Score now", format="%.2f"),
            },
        )


def _pair_actions(program_id: int, view: pd.DataFrame, result) -> None:
    st.subheader("Review a pair")
    labels = {
        row.mentee_id: f"{row.mentee} \u2192 {row.mentor} ({_STATUS_LABELS[row.status]})"
        for row in view.itertuples()
    }
    mentee_id = st.selectbox(
        "Mentee",
        list(labels),
        format_func=labels.get,
        key="review_mentee",
        help="Pick a mentee to approve, reject or lock their pair, or to see other mentors.",
    )
    if mentee_id is None:
        return
    row = view.loc[view["mentee_id"] == mentee_id].iloc[0]
    # The version the coordinator was looking at is the one drawn last time, not the one just
    # read: a change made by someone else in between must be reported, not overwritten.
    seen = st.session_state.get(SEEN, {}).get((row["mentee_id"], row["mentor_id"]))
    st.session_state[SEEN] = {(r.mentee_id, r.mentor_id): int(r.version) for r in view.itertuples()}
    db = store()
    columns = st.columns(4)
    for column, (status, label, help_text) in zip(
        columns,
        (
            ("approved", "Approve", "Keep this pair on every re-solve."),
            ("rejected", "Reject", "Never propose this pair again."),
            ("locked", "Lock", "Keep this pair whatever the scores."),
            ("pending", "Undo decision", "Back to pending."),
        ),
        strict=True,
    ):
        if column.button(
            label,
            key=f"decide_{status}",
            help=help_text,
            width="stretch",
            disabled=row["status"] == status,
            type="primary" if status == "approved" else "secondary",
        ):
            decided = run_action(
                "Saving the decision",
                lambda s=status: db.set_decision(
                    program_id,
                    row["mentee_id"],
                    row["mentor_id"],
                    s,
                    expected_version=int(row["version"] if seen is None else seen),
                ),
            )
            if decided is not None:
                st.rerun()

    alternatives = result.alternatives.loc[result.alternatives["mentee_id"] == mentee_id]
    st.markdown("**Other mentors for this mentee**")
    if alternatives.empty:
        st.caption("No other mentor is allowed for this mentee under the current rules.")
        return
    shown = alternatives[["mentor_name", "score", *COMPONENTS, "reasons"]].reset_index(drop=True)
    st.dataframe(
        shown,
        key="alternatives_table",
        hide_index=True,
        width="stretch",
        column_config={
            "mentor_name": "Mentor",
            "score": st.column_config.ProgressColumn(
                "Score", min_value=0.0, max_value=1.0, format="%.2f"
            ),
            **{c: st.column_config.NumberColumn(c.capitalize(), format="%.2f") for c in COMPONENTS},
            "reasons": st.column_config.TextColumn("Why", width="large"),
        },
    )
    if result.audit.ok:
        _why_not(program_id, mentee_id, result)
    names = dict(zip(alternatives["mentor_id"], alternatives["mentor_name"], strict=True))
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    new_mentor = left.selectbox(
        "Reassign to", list(names), format_func=names.get, key="reassign_mentor"
    )
    if right.button(
        "Reassign",
        key="reassign",
        width="stretch",
        help="Lock the new pair and reject the current one, then re-solve.",
    ):
        done = run_action(
            "Reassigning",
            lambda: reassign(db, program_id, mentee_id, row["mentor_id"], new_mentor) or True,
        )
        if done:
            st.success("Reassigned. Press Re-solve to re-optimise everyone else around it.")


def _why_not(program_id: int, mentee_id: str, result) -> None:
    people, _, _ = members(program_id)
    answer = run_action("Explaining the choice", lambda: why_not_best(people, result, mentee_id))
    if answer is None:
        return
    st.markdown("**Why not their best mentor?**")
    if not answer.best:
        st.caption("No mentor with a free place is allowed for this mentee.")
    elif answer.reason == "assigned":
        st.success(plain(f"They have their best mentor, {answer.best} ({answer.best_score:.2f})."))
    else:
        st.info(plain(f"Best mentor: {answer.best} ({answer.best_score:.2f}). {answer.reason}"))
    if len(answer.options):
        st.caption("What giving this mentee another mentor would cost the whole cohort (exact).")
        st.dataframe(
            answer.options,
            key="why_not_table",
            hide_index=True,
            width="stretch",
            column_config={
                "mentor": "Mentor",
                "score": st.column_config.NumberColumn("Pair score", format="%.2f"),
                "total_score_lost": st.column_config.NumberColumn(
                    "Total score lost", format="%.3f"
                ),
                "mentees_unmatched": "Mentees left unmatched",
            },
        )


def _goal_report(result, wanted: tuple) -> None:
    if not result.config.goals and not wanted:
        return
    st.subheader("Diversity goals")
    if tuple(wanted) != tuple(result.config.goals):
        st.info(
            "The goals in Settings changed since this run. Press Find matches to apply them "
            "and check them."
        )
    if not result.config.goals:
        return
    report = result.goal_report
    if report.empty:
        st.info(
            "The members changed since this run, so its goals cannot be checked. Press Find "
            "matches to check them again."
        )
        return
    if result.goal_explanation:
        st.warning(plain(result.goal_explanation))
    elif report["met"].all():
        st.success("Every goal was met.")
    st.caption(plain(goal_price_sentence(result.goal_price)))
    st.dataframe(
        report,
        key="goal_report_table",
        hide_index=True,
        width="stretch",
        column_config={
            "goal": st.column_config.TextColumn("Goal", width="large"),
            "met": "Met",
            "target": st.column_config.NumberColumn("Target", format="%.2f"),
            "achieved": st.column_config.NumberColumn("Achieved", format="%.2f"),
            "explanation": st.column_config.TextColumn("What happened", width="large"),
        },
    )


def _peer_pairs_view(pairs: pd.DataFrame, open_count: int) -> pd.DataFrame:
    st.caption(f"{2 * len(pairs)} of the {open_count} members open to peer mentoring are paired.")
    st.dataframe(
        pairs,
        key="peer_pairs_table",
        hide_index=True,
        width="stretch",
        column_config={
            "member_id": "Member id",
            "name": "Member",
            "partner_id": "Partner id",
            "partner_name": "Partner",
            "score": st.column_config.ProgressColumn(
                "Peer score", min_value=0.0, max_value=1.0, format="%.2f"
            ),
        },
    )
    return pairs


def _circles_view(circles) -> pd.DataFrame:
    a, b, c = st.columns(3)
    a.metric("Circle quality", f"{circles.quality:.3f}")
    b.metric(
        "Best possible (at most)",
        f"{circles.bound:.3f}",
        help="No arrangement of these members into circles of these sizes can do better.",
    )
    c.metric(
        "Quality / best possible",
        "n/a" if pd.isna(circles.ratio) else f"{circles.ratio:.0%}",
        help="100% means provably the best circles.",
    )
    summary = circles.summary
    if not summary["distinct"].any():
        # Without a field to mix the count is 0 everywhere: noise, not information.
        summary = summary.drop(columns=["distinct"])
    st.dataframe(
        summary,
        key="circles_summary_table",
        hide_index=True,
        width="stretch",
        column_config={
            "circle": "Circle",
            "size": "Members",
            "quality": st.column_config.NumberColumn("Quality", format="%.3f"),
            "forbidden_pairs": st.column_config.NumberColumn(
                "Pairs the rules forbid", help="Pairs in the circle a hard rule would keep apart."
            ),
            "distinct": st.column_config.NumberColumn(
                "Groups mixed", help="How many values of the mixing field the circle holds."
            ),
        },
    )
    st.dataframe(
        circles.circles,
        key="circles_table",
        hide_index=True,
        width="stretch",
        column_config={"circle": "Circle", "member_id": "Member id", "name": "Member"},
    )
    if len(circles.unplaced):
        st.markdown("**Not placed in a circle**")
        st.dataframe(
            circles.unplaced,
            key="circles_unplaced_table",
            hide_index=True,
            width="stretch",
            column_config={
                "member_id": "Member id",
                "name": "Member",
                "reason": st.column_config.TextColumn("Why", width="large"),
            },
        )
    return circles.circles


def _peer(program_id: int, people: pd.DataFrame) -> None:
    # Keyed and tracked, so it stays open when elements above it come and go (the progress
    # bar of Find matches, a message); an untracked expander is re-created closed.
    with st.expander("Peer-to-peer: pairs and circles", key="peer_expander", on_change="rerun"):
        # A members table saved before the peer question existed has no such column.
        peer_column = people.get("open_to_peer", pd.Series(False, index=people.index))
        open_count = int(peer_column.fillna(False).astype(bool).sum())
        st.caption(
            f"Member-to-member learning among the {open_count} members who said they are open "
            "to peer mentoring, scored both ways with the weights and rules in Settings."
        )
        if open_count < 2:
            st.info(
                "Fewer than two members said they are open to peer mentoring. Add a column "
                "such as 'Open to peer mentoring' (yes/no) to the member file to use this."
            )
            return
        kind = st.radio(
            "Form",
            ["pairs", "circles"],
            format_func={"pairs": "Peer pairs", "circles": "Circles"}.get,
            captions=[
                "One partner each; as many pairs as possible, then the best total score.",
                "Small groups with shared interests, optionally mixing a field.",
            ],
            horizontal=True,
            key="peer_kind",
        )
        config = settings(program_id)
        if kind == "circles":
            a, b, c = st.columns(3)
            smallest = int(
                a.number_input(
                    "Smallest circle", min_value=2, max_value=20, value=4, key="circle_min"
                )
            )
            largest = int(
                b.number_input(
                    "Largest circle",
                    min_value=smallest,
                    max_value=30,
                    value=max(6, smallest),
                    key="circle_max",
                )
            )
            field = c.selectbox(
                "Mix members by",
                [None, *groupable_fields(people)],
                format_func=lambda f: "Nothing" if f is None else FIELD_LABELS.get(f, f),
                key="circle_field",
            )
        if st.button(
            "Form peer pairs" if kind == "pairs" else "Form circles", key="peer_run", type="primary"
        ):
            with st.spinner("Scoring members against each other"):
                if kind == "pairs":
                    outcome = run_action("Forming peer pairs", lambda: peer_pairs(people, config))
                else:
                    outcome = run_action(
                        "Forming circles",
                        lambda: form_circles(
                            people,
                            config,
                            min_size=smallest,
                            max_size=largest,
                            diversity_field=field,
                        ),
                    )
            if outcome is not None:
                st.session_state[PEER] = (program_id, kind, outcome)
        held = st.session_state.get(PEER)
        if not held or held[0] != program_id:
            return
        if held[1] == "pairs":
            frame = _peer_pairs_view(held[2], open_count)
        else:
            frame = _circles_view(held[2])
        st.download_button(
            f"Download {'peer pairs' if held[1] == 'pairs' else 'circles'} (CSV)",
            safe_frame_csv(frame),
            file_name=f"peer_{held[1]}.csv",
            mime="text/csv",
            key="peer_download",
        )


def _objectives(program_id: int, people: pd.DataFrame) -> None:
    # Keyed and tracked for the same reason as the peer-to-peer expander.
    with st.expander("Compare objectives", key="objectives_expander", on_change="rerun"):
        st.caption(
            "Each objective trades something: matching everyone, the best total, the weakest "
            "pair, or stability. Compare them on this cohort, then pick one."
        )
        config = settings(program_id)
        if st.button("Compare objectives", key="compare_objectives"):
            table = run_action(
                "Comparing objectives",
                lambda: compare_objectives(
                    people, config, "library_type" if "library_type" in people else None
                ),
            )
            if table is not None:
                st.session_state[OBJECTIVES] = (program_id, table)
        held = st.session_state.get(OBJECTIVES)
        if held and held[0] == program_id:
            st.dataframe(
                held[1],
                key="objectives_table",
                hide_index=True,
                width="stretch",
                column_config={
                    "objective": "Objective",
                    "mentees_matched": "Mentees matched",
                    "total_score": st.column_config.NumberColumn("Total score", format="%.2f"),
                    "mean_score": st.column_config.NumberColumn("Mean score", format="%.3f"),
                    "worst_score": st.column_config.NumberColumn("Weakest pair", format="%.2f"),
                    "blocking_pairs": st.column_config.NumberColumn(
                        "Blocking pairs", help="Mentee and mentor who would both rather swap."
                    ),
                    "group_gap": st.column_config.NumberColumn(
                        "Gap between library types", format="%.3f"
                    ),
                },
            )
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        chosen = left.selectbox(
            "Objective to use",
            list(OBJECTIVE_HELP),
            index=list(OBJECTIVE_HELP).index(config.objective),
            format_func=str.capitalize,
            key="review_objective",
        )
        if right.button(
            "Use this objective",
            key="use_objective",
            width="stretch",
            disabled=chosen == config.objective,
        ) and run_action(
            "Saving the objective",
            lambda: store().save_settings(program_id, config.with_(objective=chosen)) or True,
        ):
            st.success("Objective saved. Press Re-solve to apply it.")


def show() -> None:
    """Draw the Review page."""
    program = current_program()
    st.title("Review")
    people, issues, _ = members(program.id)
    blocked = matching_ready(people, issues)
    if blocked:
        st.info(blocked)
        return

    db = store()
    left, right = st.columns([1, 3])
    if left.button(
        "Find matches",
        key="find_matches",
        type="primary",
        width="stretch",
        help="Run the matching engine on the current members and settings.",
    ):
        _run(program.id, people, "Finding matches")
    if db.latest_run(program.id) is not None and right.button(
        "Re-solve",
        key="resolve",
        help="Keep approved and locked pairs, never propose rejected ones, re-optimise the rest.",
    ):
        _run(program.id, people, "Re-solving")
    timing = st.session_state.get("last_seconds")
    if timing and timing[0] == program.id:
        st.caption(f"Matching took {timing[1]:.1f} seconds.")

    result = run_action("Opening the last run", lambda: current_result(program.id, people))
    if result is None:
        st.info("No matches yet. Check **Settings**, then press **Find matches**.")
        return
    review = review_view(db.review_table(program.id))
    run = db.latest_run(program.id)
    _headline(result, run.unmatched)
    if not result.audit.ok:
        st.warning(
            plain(
                "These pairs do not pass the independent check: "
                + "; ".join(result.audit.problems)
                + ". Press Find matches to match the current members again."
            )
        )
    for issue in result.issues:
        st.warning(plain(f"{issue.message} {issue.hint}".strip()))
    _diff(program.id)
    _goal_report(result, settings(program.id).goals)
    _objectives(program.id, people)

    st.subheader("Pairs")
    counts = review["status"].value_counts()
    st.caption(" \u00b7 ".join(f"{_STATUS_LABELS[s]}: {int(counts.get(s, 0))}" for s in STATUSES))
    st.dataframe(
        review[["mentee", "mentor", "score", "status", "reasons"]],
        key="pairs_table",
        hide_index=True,
        width="stretch",
        height=320,
        column_config={
            "mentee": "Mentee",
            "mentor": "Mentor",
            "score": st.column_config.ProgressColumn(
                "Score", min_value=0.0, max_value=1.0, format="%.2f"
            ),
            "reasons": st.column_config.TextColumn("Why this pair", width="large"),
            "status": "Status",
        },
    )
    if len(review):
        _pair_actions(program.id, review, result)

    st.subheader("Unmatched members")
    if run.unmatched.empty:
        st.success("Everyone was matched.")
    else:
        st.dataframe(
            run.unmatched[["name", "role", "reason"]],
            key="unmatched_table",
            hide_index=True,
            width="stretch",
            column_config={
                "name": "Name",
                "role": "Role",
                "reason": st.column_config.TextColumn("Why", width="large"),
            },
        )
    _peer(program.id, people)
