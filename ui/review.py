"""Review: find matches, read the figures, review the pairs (see ``ui.pairs``), re-solve; the
unmatched, the diversity goals' report, objectives compared, earlier runs, the decision log,
and peer-to-peer pairs and circles."""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from mentoring.outputs.explain import certainty
from mentoring.services.members import matching_ready
from mentoring.services.objectives import compare_objectives_with_progress
from mentoring.services.run_view import RunView
from mentoring.services.runs import RunDiff, with_decisions
from mentoring.services.settings import goal_price_sentence
from ui.common import (
    DIFF,
    STARTED,
    TIMING,
    current_program,
    current_view,
    members,
    plain,
    run_action,
    run_matching,
    settings,
    show_flash,
    stale_notice,
    store,
    with_progress,
)
from ui.pairs import pairs_section
from ui.peer import peer_section
from ui.settings import OBJECTIVE_HELP

__all__ = ["show"]

OBJECTIVES = "objective_comparison"
"""Session key: ``(program_id, table)`` of the last objective comparison."""


def _headline(view: RunView) -> None:
    h = view.headline
    a, b, c, d = st.columns(4)
    a.metric("Mentees matched", f"{h.mentees_matched} of {h.mentees}")
    b.metric("Mean score", f"{h.mean_score:.2f}")
    c.metric("Mentors at capacity", f"{h.mentors_at_capacity} of {h.mentors}")
    d.metric(
        "Unmatched mentees",
        h.unmatched_mentees,
        help=f"{h.unmatched_mentors} mentor(s) have no mentee; see Unmatched members below.",
    )
    stats = view.result.stats
    if not stats.certified:
        # Said plainly: an answer that is not proven best says how far from the best it may be.
        st.warning(
            f"These pairs are {certainty(stats)}: the search for the proof was cut short "
            "(for example, many members open to both roles). Re-solve to try again."
        )


def _diff(program_id: int) -> None:
    held = st.session_state.get(DIFF)
    if not held or held[0] != program_id or held[1] is None:
        return
    st.subheader("Difference from the previous run")
    _diff_view(held[1], "diff_table")


def _diff_view(diff: RunDiff, key: str) -> None:
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
            key=key,
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


def _goal_report(view: RunView, wanted: tuple) -> None:
    result = view.result
    if not result.config.goals and not wanted:
        return
    st.subheader("Diversity goals")
    if tuple(wanted) != tuple(result.config.goals):
        st.info(
            "The goals in Settings changed since this run. Press Re-solve to apply them "
            "and check them."
        )
    if not result.config.goals:
        return
    report = result.goal_report
    if report.empty:
        st.info(
            "This run's goals cannot be checked any more. Press Find matches to check them again."
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


def _unmatched(view: RunView) -> None:
    st.subheader("Unmatched members")
    if view.alone.empty:
        st.success("Everyone was matched.")
    else:
        st.dataframe(
            view.alone[["name", "role", "reason"]],
            key="unmatched_table",
            hide_index=True,
            width="stretch",
            column_config={
                "name": "Name",
                "role": "Role",
                "reason": st.column_config.TextColumn("Why", width="large"),
            },
        )
    if len(view.one_sided):
        with st.expander(
            f"Open to both roles and matched on one side ({len(view.one_sided)})",
            key="one_sided_expander",
            on_change="rerun",
        ):
            st.caption("They are matched, so they are not unmatched; they have a free place.")
            st.dataframe(
                view.one_sided[["name", "note"]],
                key="one_sided_table",
                hide_index=True,
                width="stretch",
                column_config={"name": "Name", "note": "Matched as"},
            )


def _objectives(program_id: int, people: pd.DataFrame, view: RunView) -> None:
    with st.expander("Compare objectives", key="objectives_expander", on_change="rerun"):
        st.caption(
            "Each objective trades something: matching everyone, the best total, the weakest "
            "pair, or stability. Compare them on this cohort, with your decisions kept, then "
            "pick one."
        )
        config = settings(program_id)
        if st.button("Compare objectives", key="compare_objectives"):
            kept, forbidden = store().kept_and_forbidden(program_id)
            full = with_decisions(config, kept, forbidden)
            table = with_progress(
                "Comparing objectives",
                lambda progress: compare_objectives_with_progress(
                    people,
                    full,
                    "library_type" if "library_type" in people else None,
                    progress,
                    known=view.result,
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


def _history(program_id: int) -> None:
    with st.expander("Earlier runs", key="history_expander", on_change="rerun"):
        history = store().run_history(program_id)
        st.dataframe(
            history.drop(columns=["run_id"]).assign(created_at=history["created_at"].str[:16]),
            key="history_table",
            hide_index=True,
            width="stretch",
            column_config={
                "created_at": "When (UTC)",
                "n_pairs": "Pairs",
                "n_unmatched": "Unmatched",
                "mean_score": st.column_config.NumberColumn("Mean score", format="%.3f"),
                "objective": "Objective",
                "goals": "Goals",
                "by": "By",
                "note": "Note",
            },
        )
        if len(history) < 2:
            st.caption("Press Re-solve to make another run; then any two can be compared.")
            return
        labels = {
            int(r.run_id): f"Run {int(r.run_id)}, {str(r.created_at)[:16].replace('T', ' ')}"
            for r in history.itertuples()
        }
        ids = list(labels)
        left, right = st.columns(2)
        before = left.selectbox(
            "Compare run", ids, index=1, format_func=labels.get, key="history_before"
        )
        after = right.selectbox(
            "with run", ids, index=0, format_func=labels.get, key="history_after"
        )
        if before == after:
            st.caption("Choose two different runs.")
            return
        db = store()
        diff = RunDiff.between(
            db.get_run(program_id, before).pairs, db.get_run(program_id, after).pairs
        )
        _diff_view(diff, "history_diff_table")


def _log(program_id: int, view: RunView) -> None:
    with st.expander("Decision log", key="log_expander", on_change="rerun"):
        log = store().decision_log(program_id, limit=500)
        if log.empty:
            st.caption("Nothing has been decided yet.")
            return
        names = dict(
            zip(view.people["member_id"].astype(str), view.people["name"].astype(str), strict=True)
        )
        shown = pd.DataFrame(
            {
                "when": log["at"].str[:19].str.replace("T", " "),
                "by": log["by"].replace("", "\u2014"),
                "what": log["action"],
                "mentee": [names.get(m, m) for m in log["mentee_id"]],
                "mentor": [names.get(m, m) for m in log["mentor_id"]],
                "change": [
                    f"{b} \u2192 {a}" if b or a else ""
                    for b, a in zip(log["before"], log["after"], strict=True)
                ],
                "detail": log["detail"],
            }
        )
        st.dataframe(
            shown,
            key="log_table",
            hide_index=True,
            width="stretch",
            column_config={
                "when": "When (UTC)",
                "by": "By",
                "what": "What",
                "mentee": "Mentee",
                "mentor": "Mentor",
                "change": "Change",
                "detail": st.column_config.TextColumn("Detail", width="large"),
            },
        )


def show() -> None:
    """Draw the Review page."""
    page_started = time.perf_counter()
    program = current_program()
    st.title("Review")
    show_flash()
    people, issues, _ = members(program.id)
    blocked = matching_ready(people, issues)
    has_run = not store().list_runs(program.id).empty
    if blocked:
        st.info(blocked)
        if not has_run:
            return
    else:
        left, right = st.columns([1, 3])
        if left.button(
            "Find matches",
            key="find_matches",
            type="primary",
            width="stretch",
            help="Run the matching engine on the current members and settings.",
        ):
            run_matching(program.id, "Finding matches")
            has_run = True
        if has_run and right.button(
            "Re-solve",
            key="resolve",
            help="Keep approved and locked pairs, never propose rejected ones, re-optimise the "
            "rest.",
        ):
            run_matching(program.id, "Re-solving")
    timing_slot = st.empty()

    view = run_action("Opening the last run", lambda: current_view(program.id))
    if view is None:
        st.info("No matches yet. Check **Settings**, then press **Find matches**.")
        return
    stale_notice(program.id, view, offer=False)
    _headline(view)
    result = view.result
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
    _goal_report(view, settings(program.id).goals)
    pairs_section(program.id)
    _unmatched(view)
    _objectives(program.id, people, view)
    _history(program.id)
    _log(program.id, view)
    peer_section(program.id, people)

    # The whole wait: from the click (the start of this script run) to the page drawn.
    if st.session_state.pop("matched_in_this_run", None) == program.id:
        started = st.session_state.get(STARTED, page_started)
        st.session_state[TIMING] = (program.id, time.perf_counter() - min(started, page_started))
    timing = st.session_state.get(TIMING)
    if timing and timing[0] == program.id:
        timing_slot.caption(f"Matching took {timing[1]:.1f} seconds.")
