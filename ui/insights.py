"""Insights: score distribution, coverage by group, the network of pairs, mentor load."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from mentoring.outputs.graph import matched_subgraph
from mentoring.outputs.report import group_report, groupable_fields, mentor_load, score_distribution
from ui.common import RESULT, current_program, current_result, members, run_action, settings

__all__ = ["FIELD_LABELS", "NETWORK", "group_table", "network_figure", "show"]

NETWORK = "network_png"
"""Session key: ``((program_id, run_id), png bytes)`` of the network picture."""

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


_GROUP_FORMATS = {
    "mentees": "{:,.0f}",
    "matched": "{:,.0f}",
    "coverage": "{:.0%}",
    "mean_score": "{:.2f}",
}


def group_table(report: pd.DataFrame) -> Styler:
    """The group report with numbers kept numeric (right-aligned, sortable) and the suppressed
    cells shown as their word ("<5", "hidden") instead of turning a column into text."""
    numbers = report.copy()
    words: dict[str, pd.Series] = {}
    for column in _GROUP_FORMATS:
        is_word = report[column].map(lambda value: isinstance(value, str))
        numbers[column] = pd.to_numeric(report[column].where(~is_word), errors="coerce")
        words[column] = report[column].where(is_word)
    styler = numbers.style.format(_GROUP_FORMATS, na_rep="\u2014")
    for column, cells in words.items():
        for word in cells.dropna().unique():
            rows = cells.index[cells == word]
            styler = styler.format(na_rep=str(word), subset=pd.IndexSlice[rows, [column]])
    return styler


def network_figure(graph: nx.Graph) -> plt.Figure:
    """The matched pairs as a picture: mentors sized by how many mentees they took."""
    pairs = matched_subgraph(graph)
    figure, axes = plt.subplots(figsize=(9, 6), dpi=100)
    axes.set_axis_off()
    if not pairs.number_of_nodes():
        return figure
    layout = nx.spring_layout(pairs, seed=7, k=0.25, iterations=60)
    mentors = sorted(n for n, d in pairs.nodes(data=True) if d.get("bipartite") == 1)
    mentees = sorted(n for n, d in pairs.nodes(data=True) if d.get("bipartite") == 0)
    nx.draw_networkx_edges(pairs, layout, ax=axes, edge_color="#9aa5b1", width=0.8)
    nx.draw_networkx_nodes(
        pairs,
        layout,
        nodelist=mentees,
        ax=axes,
        node_size=18,
        node_color="#4c9be8",
        label="mentee",
    )
    nx.draw_networkx_nodes(
        pairs,
        layout,
        nodelist=mentors,
        ax=axes,
        node_size=[40 + 45 * pairs.degree(n) for n in mentors],
        node_color="#e8744c",
        label="mentor (bigger = more mentees)",
    )
    axes.legend(loc="lower right", frameon=False, markerscale=0.7)
    figure.tight_layout()
    return figure


def _network_png(program_id: int, result) -> bytes:
    # Laying out a few hundred nodes takes about half a second: draw once per run and session.
    run_key = st.session_state.get(RESULT, (None, None))[:2]
    held = st.session_state.get(NETWORK)
    if held is not None and held[0] == run_key:
        return held[1]
    figure = network_figure(result.graph)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    plt.close(figure)
    st.session_state[NETWORK] = (run_key, buffer.getvalue())
    return buffer.getvalue()


def show() -> None:
    """Draw the Insights page."""
    program = current_program()
    st.title("Insights")
    people, _, _ = members(program.id)
    result = run_action("Opening the last run", lambda: current_result(program.id, people))
    if result is None:
        st.info("No matches yet. Go to **Review** and press **Find matches**.")
        return

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
        load = mentor_load(result, people, settings(program.id).default_capacity)
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
    else:
        field = st.selectbox(
            "Group by",
            fields,
            format_func=lambda f: FIELD_LABELS.get(f, f),
            key="insights_group_field",
            help="Groups with fewer than 5 members show \u201c<5\u201d, so nobody can be singled out.",
        )
        st.dataframe(
            group_table(group_report(result, people, field)),
            key="group_table",
            hide_index=True,
            width="stretch",
            column_config={
                "group": "Group",
                "mentees": "Mentees",
                "matched": "Matched",
                "coverage": "Coverage",
                "mean_score": "Mean score",
            },
        )
        st.caption(
            "Counts from 1 to 4 are shown as \u201c<5\u201d and the figures that would reveal them are hidden."
        )

    st.subheader("Network of pairs")
    if result.graph is None:
        st.caption("The cohort is too large to draw.")
    else:
        st.image(_network_png(program.id, result), width="stretch")
        st.caption("Orange: mentors, sized by how many mentees they took. Blue: mentees.")
