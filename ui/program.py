"""Program: create or reopen a named program; everything else belongs to it."""

from __future__ import annotations

import streamlit as st

from mentoring.services.members import matching_ready, members_by_role
from ui.common import DIFF, PROGRAM, RESULT, current_program, members, plain, run_action, store

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

    people, issues, _ = members(program.id)
    counts = members_by_role(people)
    runs = db.list_runs(program.id)
    left, middle, right = st.columns(3)
    left.metric("Members", len(people))
    middle.metric(
        "Mentees / mentors / both", f"{counts['mentee']} / {counts['mentor']} / {counts['both']}"
    )
    right.metric("Match runs", len(runs))
    blocked = matching_ready(people, issues)
    if not len(people):
        st.info("This program has no members yet. Next step: **Upload** in the sidebar.")
    elif blocked:
        st.warning(plain(blocked))
    elif not len(runs):
        st.info(
            "Members are ready. Next step: check **Settings**, then **Review** and Find matches."
        )
    else:
        st.info("Matches are ready to review: **Review**, then **Export** when you are done.")

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

    _forget(program.id, people)
    _purge(program.id, program.name)


def _forget(program_id: int, people) -> None:
    with st.expander("Remove a member everywhere (right to be forgotten)"):
        if not len(people):
            st.caption("This program has no members.")
            return
        names = dict(zip(people["member_id"], people["name"], strict=True))
        member_id = st.selectbox(
            "Member to remove",
            sorted(names, key=lambda m: (names[m].casefold(), m)),
            format_func=lambda m: f"{names[m]} ({m})",
            key="forget_member",
        )
        sure = st.checkbox(
            "I understand: this removes them from the members, every run and every decision, "
            "and cannot be undone.",
            key="forget_sure",
        )
        if st.button("Remove member", key="forget_button", disabled=not sure) and run_action(
            "Removing the member", lambda: store().delete_member(program_id, member_id) or True
        ):
            st.session_state.pop(RESULT, None)
            st.session_state.pop(DIFF, None)
            st.success("Removed. Re-solve on the Review page to fill their place.")


def _purge(program_id: int, name: str) -> None:
    with st.expander("Delete this program"):
        sure = st.checkbox(
            f"Delete \u201c{name}\u201d with its members, settings, runs and decisions; this "
            "cannot be undone.",
            key="purge_sure",
        )
        if st.button("Delete program", key="purge_button", disabled=not sure) and run_action(
            "Deleting the program", lambda: store().purge_program(program_id) or True
        ):
            for key in (PROGRAM, RESULT, DIFF):
                st.session_state.pop(key, None)
            st.rerun()
