"""Program: create or reopen a named program; everything else belongs to it. Removing a member
and deleting a program name exactly what they do and ask for a fresh confirmation each time."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from mentoring.model.errors import MentoringError
from mentoring.services.members import matching_ready, members_by_role
from mentoring.services.programs import deletion_summary, removal_summary
from ui.common import (
    PROGRAM,
    current_program,
    flash,
    forget_run,
    members,
    plain,
    run_action,
    show_flash,
    store,
)

__all__ = ["show"]

PICK = "program_pick"
FORGET_MEMBER = "forget_member"
FORGET_SURE = "forget_sure"


def _open(program_id: int) -> None:
    st.session_state[PROGRAM] = program_id
    forget_run()


def _switch() -> None:
    _open(int(st.session_state[PICK]))


def show() -> None:
    """Draw the Program page."""
    st.title("Program")
    show_flash()
    st.caption(
        "A program is one mentoring round, for example \u201cNMRT 2027 cohort\u201d. Its members, "
        "settings, matches and your review decisions are saved as you work."
    )
    program = current_program()
    db = store()
    programs = db.list_programs()
    names = {p.id: p.name for p in programs}
    # The picker follows the open program (a program just created, or one deleted), so a
    # stale choice in the widget can never switch back to the old one.
    if st.session_state.get(PICK) != program.id:
        st.session_state[PICK] = program.id
    st.selectbox(
        "Open program",
        [p.id for p in programs],
        format_func=lambda i: names[i],
        key=PICK,
        on_change=_switch,
        help="Switch to another saved program. Nothing is lost when you switch.",
    )

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
                _open(created.id)
                flash(f"Created and opened \u201c{created.name}\u201d. Next step: Upload.")
                st.rerun()

    with st.expander("Rename this program"):
        new_name = st.text_input("New name", value=program.name, key="rename_program_name")
        if st.button("Rename", key="rename_program") and run_action(
            "Renaming", lambda: db.rename_program(program.id, new_name)
        ):
            st.rerun()

    _forget(program.id, people)
    _purge(program.id)


def _unsure() -> None:
    st.session_state[FORGET_SURE] = False


def _remove(program_id: int) -> None:
    member_id = st.session_state.get(FORGET_MEMBER)
    # Whatever happens, the next removal needs a new choice and a new confirmation.
    st.session_state[FORGET_MEMBER] = None
    st.session_state[FORGET_SURE] = False
    if member_id is None:
        return
    people = store().load_members(program_id)[0]
    names = dict(zip(people["member_id"], people["name"], strict=True))
    try:
        store().delete_member(program_id, member_id)
    except MentoringError as exc:
        flash(f"Removing the member did not work: {exc}", "error")
        return
    forget_run()
    flash(
        f"Removed {names.get(member_id, member_id)} ({member_id}) everywhere; this cannot be "
        "undone. Their runs are marked out of date: press Re-solve on the Review page to fill "
        "their place.",
    )


def _forget(program_id: int, people: pd.DataFrame) -> None:
    # Keyed, so it stays open after a removal: the reset choice and box are seen at once.
    with st.expander(
        "Remove a member everywhere (right to be forgotten)",
        key="forget_expander",
        on_change="rerun",
    ):
        if not len(people):
            st.caption("This program has no members.")
            return
        names = dict(zip(people["member_id"], people["name"], strict=True))
        member_id = st.selectbox(
            "Member to remove",
            sorted(names, key=lambda m: (str(names[m]).casefold(), m)),
            index=None,
            placeholder="Choose a member",
            format_func=lambda m: f"{names[m]} ({m})",
            key=FORGET_MEMBER,
            on_change=_unsure,
        )
        if member_id is not None:
            st.warning(plain(removal_summary(store(), program_id, member_id)))
        sure = st.checkbox(
            "I understand: the member chosen above is removed from the members, every run and "
            "every decision, permanently.",
            key=FORGET_SURE,
            disabled=member_id is None,
        )
        st.button(
            "Remove member",
            key="forget_button",
            disabled=not (sure and member_id is not None),
            on_click=_remove,
            args=(program_id,),
        )


def _delete(program_id: int, name: str) -> None:
    st.session_state.pop(f"purge_sure_{program_id}", None)
    try:
        store().purge_program(program_id)
    except MentoringError as exc:
        flash(f"Deleting the program did not work: {exc}", "error")
        return
    st.session_state.pop(PROGRAM, None)
    forget_run()
    flash(f"Deleted \u201c{name}\u201d with everything in it; this cannot be undone.")


def _purge(program_id: int) -> None:
    with st.expander("Delete this program", key="purge_expander", on_change="rerun"):
        program = store().get_program(program_id)
        st.warning(plain(deletion_summary(store(), program_id)))
        # One confirmation per program: deleting one never leaves the next one armed.
        sure = st.checkbox(
            "I understand: this program and everything in it are deleted permanently.",
            key=f"purge_sure_{program_id}",
        )
        st.button(
            "Delete program",
            key="purge_button",
            disabled=not sure,
            on_click=_delete,
            args=(program_id, program.name),
        )
