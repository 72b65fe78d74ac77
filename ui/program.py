"""Program: create or reopen a named program; everything else belongs to it."""

from __future__ import annotations

import streamlit as st

from mentoring.review import members_by_role
from ui.common import DIFF, PROGRAM, RESULT, current_program, members, run_action, store

__all__ = ["show"]


def show() -> None:
    """Draw the Program page."""
    st.title("Program")
    st.caption(
        "A program is one mentoring round, for example \u201cNMRT 2027 cohort\u201d. Its members, "
        "settings, matches and your review decisions are saved as you work."
    )
    program = current_program()
    db = store()
    programs = db.list_programs()
    names = {p.id: p.name for p in programs}
    ids = [p.id for p in programs]

    chosen = st.selectbox(
        "Open program",
        ids,
        index=ids.index(program.id),
        format_func=lambda i: names[i],
        key="program_pick",
        help="Switch to another saved program. Nothing is lost when you switch.",
    )
    if chosen != program.id:
        st.session_state[PROGRAM] = chosen
        st.session_state.pop(RESULT, None)
        st.session_state.pop(DIFF, None)
        st.rerun()

    people, _, _ = members(program.id)
    counts = members_by_role(people)
    runs = db.list_runs(program.id)
    left, middle, right = st.columns(3)
    left.metric("Members", len(people))
    middle.metric(
        "Mentees / mentors / both", f"{counts['mentee']} / {counts['mentor']} / {counts['both']}"
    )
    right.metric("Match runs", len(runs))
    if not len(people):
        st.info("This program has no members yet. Next step: **Upload** in the sidebar.")

    with st.form("new_program_form", clear_on_submit=True, border=True):
        st.subheader("Start a new program")
        name = st.text_input(
            "Program name",
            key="new_program_name",
            placeholder="NMRT 2027 cohort",
            help="Any name you will recognise; it must differ from the other programs' names.",
        )
        if st.form_submit_button("Create program", key="create_program", type="primary"):
            created = run_action("Creating the program", lambda: db.create_program(name))
            if created is not None:
                st.session_state[PROGRAM] = created.id
                st.session_state.pop(RESULT, None)
                st.session_state.pop(DIFF, None)
                st.rerun()

    with st.expander("Rename this program"):
        new_name = st.text_input("New name", value=program.name, key="rename_program_name")
        if st.button("Rename", key="rename_program") and run_action(
            "Renaming", lambda: db.rename_program(program.id, new_name)
        ):
            st.rerun()
