"""Through the year: late joiners matched into the places left, and re-matching after a
check-in. Each button is one service call (``mentoring.services.lifecycle``); each shows the
difference from the previous run after, mentee by mentee, with why."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from mentoring.services import lifecycle
from ui.common import (
    current_program,
    forget_run,
    plain,
    settings,
    show_flash,
    store,
    with_progress,
)

__all__ = ["OUTCOME", "show"]

OUTCOME = "lifecycle_outcome"
"""Session key: ``(program_id, section, outcome)`` of the last action on this page."""

_LABELS = {
    "change": "Change",
    "mentee_name": "Mentee",
    "mentor_before": "Mentor before",
    "mentor_after": "Mentor now",
    "score_before": "Score before",
    "score_after": "Score now",
    "why": "Why",
    "reasons": "Reasons for the new pair",
}


def _by() -> str:
    return str(st.user.get("email") or "")


def _files(uploads: Any) -> list[tuple[str, bytes]]:
    return [(u.name, u.getvalue()) for u in uploads or ()]


def _differences(table: pd.DataFrame) -> None:
    if table.empty:
        st.info("No mentee's mentor changed.")
        return
    st.caption(plain(f"Difference from the previous run: {len(table)} mentee(s) changed."))
    shown = table[list(_LABELS)].rename(columns=_LABELS)
    st.dataframe(shown, hide_index=True, width="stretch")


def _newcomers(program_id: int) -> None:
    st.subheader("Add late joiners")
    st.caption(
        "Upload a file with the new members only, in the same columns as your member list. "
        "Every approved or locked pair stays exactly as it is; the newcomers (and anyone still "
        "without a mentor) are matched into the places left. Pending pairs may change."
    )
    uploads = st.file_uploader(
        "New members (CSV or Excel)",
        type=["csv", "xlsx", "xlsm", "txt", "tsv"],
        accept_multiple_files=True,
        key="newcomers_widget",
    )
    suggest = st.checkbox(
        "Also say which approved pairs would change if they were allowed to",
        value=False,
        key="newcomers_suggest",
        help="Nothing is changed: the kept pairs stay; this only lists what a free re-match "
        "would do differently, and what it would gain.",
    )
    files = _files(uploads)
    if st.button("Match newcomers", key="match_newcomers", type="primary", disabled=not files):
        by = _by()  # read here: the work runs on another thread, without the session
        outcome = with_progress(
            "Matching newcomers",
            lambda progress: lifecycle.match_newcomers(
                store(),
                program_id,
                files,
                settings(program_id),
                suggest_changes=suggest,
                progress=progress,
                by=by,
            ),
        )
        if outcome is not None:
            forget_run()
            st.session_state[OUTCOME] = (program_id, "newcomers", outcome)
    held = st.session_state.get(OUTCOME)
    if held is None or held[0] != program_id or held[1] != "newcomers":
        return
    outcome = held[2]
    st.success(plain(outcome.summary))
    _differences(outcome.differences)
    if len(outcome.would_change):
        st.caption("Approved pairs a free re-match would change (nothing was changed):")
        st.dataframe(outcome.would_change, hide_index=True, width="stretch")


def _checkin(program_id: int) -> None:
    st.subheader("Import a check-in")
    st.caption(
        "Upload the check-in results: one row per pair, the mentee and the mentor (member id "
        "or email) and a status: ended, continuing, or change (the mentee wants a new mentor). "
        "Ended pairs are never proposed again; only their mentees get new mentors, every other "
        "pair stays as it is."
    )
    uploads = st.file_uploader(
        "Check-in file (CSV or Excel)",
        type=["csv", "xlsx", "xlsm", "txt", "tsv"],
        accept_multiple_files=True,
        key="checkin_widget",
    )
    files = _files(uploads)
    if st.button("Re-match ended pairs", key="rematch_checkin", type="primary", disabled=not files):
        by = _by()
        outcome = with_progress(
            "Re-matching ended pairs",
            lambda progress: lifecycle.rematch_after_checkin(
                store(), program_id, files, settings(program_id), progress=progress, by=by
            ),
        )
        if outcome is not None:
            forget_run()
            st.session_state[OUTCOME] = (program_id, "checkin", outcome)
    held = st.session_state.get(OUTCOME)
    if held is None or held[0] != program_id or held[1] != "checkin":
        return
    outcome = held[2]
    st.success(plain(outcome.summary))
    _differences(outcome.differences)
    st.download_button(
        "Download the ended pairs (history for next year)",
        outcome.history.to_csv(index=False).encode("utf-8"),
        file_name="ended_pairs.csv",
        mime="text/csv",
        key="checkin_history_download",
        help="Add it to next year's past match files on Upload: these pairs are never repeated.",
    )


def show() -> None:
    """Draw the Through the year page."""
    program = current_program()
    st.title("Through the year")
    show_flash()
    if store().list_runs(program.id).empty:
        st.info("Match the program first (Review, Find matches); then add late joiners here.")
        return
    _newcomers(program.id)
    st.divider()
    _checkin(program.id)
