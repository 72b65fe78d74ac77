"""Peer-to-peer on the Review page: member-to-member pairs and circles, downloadable."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from mentoring.engine.circles import form_circles, peer_pairs
from mentoring.outputs.export import safe_frame_csv
from mentoring.outputs.report import groupable_fields
from ui.common import run_action, settings
from ui.insights import FIELD_LABELS

__all__ = ["PEER", "peer_section"]

PEER = "peer_result"
"""Session key: ``(program_id, kind, result)`` of the last peer pairs (a table) or circles."""


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


def peer_section(program_id: int, people: pd.DataFrame) -> None:
    """The peer-to-peer expander."""
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
