"""Insights: score distribution, mentor load, coverage by group, and which mentee groups met
which mentor groups; all from the run on screen, so they agree with Review and Export."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import streamlit as st

from mentoring.outputs.graph import group_flow_figure, group_flows
from mentoring.outputs.report import (
    group_report,
    group_report_display,
    groupable_fields,
    mentor_load,
    score_distribution,
)
from ui.common import current_program, current_view, run_action, show_flash, stale_notice

__all__ = ["FIELD_LABELS", "FLOWS", "show"]

FLOWS = "group_flows_png"
"""Session key: ``((run_id, field), png bytes)`` of the group picture."""

FIELD_LABELS = {
    "library_type": "Library type",
    "career_stage": "Career stage",
    "divisions": "Division",
    "chapter": "State chapter",
    "meeting_mode": "Meeting mode",
    "languages": "Language",
    "priority": "Priority program",
    "open_to_peer": "Open to peer mentoring",
    "identities": "Self-described identity",
}


def _flows_png(run_id: int, field: str, pairs, people) -> bytes:
    key = (run_id, field)
    held = st.session_state.get(FLOWS)
    if held is not None and held[0] == key:
        return held[1]
    figure = group_flow_figure(group_flows(pairs, people, field), FIELD_LABELS.get(field, field))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    plt.close(figure)
    st.session_state[FLOWS] = (key, buffer.getvalue())
    return buffer.getvalue()


def show() -> None:
    """Draw the Insights page."""
    program = current_program()
    st.title("Insights")
    show_flash()
    view = run_action("Opening the last run", lambda: current_view(program.id))
    if view is None:
        st.info("No matches yet. Go to **Review** and press **Find matches**.")
        return
    stale_notice(program.id, view)
    result, people = view.result, view.people
    st.caption(
        f"Run {view.run.id} of {view.run.created_at[:16].replace('T', ' ')} (UTC): "
        f"{len(view.run.pairs)} pairs, made from {len(people)} members."
    )

    left, right = st.columns(2)
    with left:
        st.subheader("Score distribution")
        scores = score_distribution(result)
        scores["band"] = [
            f"{a:.1f}\u2013{b:.1f}"
            for a, b in zip(scores["bin_start"], scores["bin_end"], strict=True)
        ]
        st.bar_chart(scores, x="band", y="pairs", x_label="Score", y_label="Pairs", height=260)
    with right:
        st.subheader("Mentor load")
        load = mentor_load(result, people, int(view.run.config.default_capacity))
        counts = load.groupby("load").size().rename("mentors").reset_index()
        counts["load"] = counts["load"].astype(str)
        st.bar_chart(
            counts,
            x="load",
            y="mentors",
            x_label="Mentees per mentor",
            y_label="Mentors",
            height=260,
        )

    st.subheader("Coverage and mean score by group")
    fields = groupable_fields(people)
    if not fields:
        st.caption("The member files hold no field to group by (library type, division, ...).")
        return
    field = st.selectbox(
        "Group by",
        fields,
        format_func=lambda f: FIELD_LABELS.get(f, f),
        key="insights_group_field",
        help="Groups with fewer than 5 members show \u201c<5\u201d, so nobody can be singled out.",
    )
    st.dataframe(
        group_report_display(group_report(result, people, field)),
        key="group_table",
        hide_index=True,
        width="stretch",
        column_config={
            "group": "Group",
            "mentees": st.column_config.TextColumn("Mentees", alignment="right"),
            "matched": st.column_config.TextColumn("Matched", alignment="right"),
            "coverage": st.column_config.TextColumn("Coverage", alignment="right"),
            "mean_score": st.column_config.TextColumn("Mean score", alignment="right"),
        },
    )
    st.caption(
        "Counts from 1 to 4 are shown as \u201c<5\u201d and the figures that would reveal them "
        "are hidden."
    )
    st.subheader("Which mentee groups met which mentor groups")
    st.image(_flows_png(view.run.id, field, view.run.pairs, people), width="stretch")
    st.caption(
        "Each cell counts the pairs between a mentee group (row) and a mentor group (column); "
        "counts from 1 to 4 read \u201c<5\u201d."
    )
