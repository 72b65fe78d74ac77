"""Upload: member files (CSV or Excel), a role per file, the sheet, or the bundled sample; and,
optionally, earlier years' match files, so past pairs, continuing pairs and mentor load count."""

from __future__ import annotations

import os

import streamlit as st

from mentoring.reading.ingest import list_sheets
from mentoring.reading.loader import load_members
from mentoring.services.members import apply_past_matches, mapping_used, members_by_role
from ui.common import (
    FILES,
    RESULT,
    SAMPLE_PATH,
    current_program,
    members,
    run_action,
    settings,
    store,
)

__all__ = [
    "HISTORY_CHANGES",
    "HISTORY_FILES",
    "ROLE_CHOICES",
    "autoload_sample",
    "load_files",
    "load_sample",
    "show",
]

HISTORY_FILES = "history_files"
"""Session key: the past match files of this session, ``[(name, bytes), ...]``, applied again
when the member files are re-read (for example after the mapping is changed)."""
HISTORY_CHANGES = "history_changes"
"""Session key: ``(program_id, changes)`` of the last load with past match files."""

ROLE_CHOICES = {
    "": "Read from the file's role column",
    "mentor": "Everyone in this file is a mentor",
    "mentee": "Everyone in this file is a mentee",
    "both": "Everyone in this file can mentor and be mentored",
}


def load_files(
    program_id: int,
    files: list[tuple[str, bytes]],
    roles: dict[str, str],
    sheet: str | None,
    mapping: dict[str, str] | None = None,
    duplicates: str = "report",
    history: list[tuple[str, bytes]] | None = None,
) -> bool:
    """Read the files, apply any past match files, and save the members to the program;
    ``False`` (and a message) on failure. ``history`` ``None`` reuses this session's past
    match files."""
    if history is None:
        history = st.session_state.get(HISTORY_FILES, [])
    report = run_action(
        "Reading the member files",
        lambda: load_members(
            files, mapping=mapping, roles=roles or None, sheet=sheet, duplicates=duplicates
        ),
    )
    if report is None:
        return False
    config = settings(program_id)
    plan = run_action(
        "Reading the past match files",
        lambda: apply_past_matches(report.people, history, config),
    )
    if plan is None:
        return False
    saved = {
        "mapping": mapping_used(report.mappings, report.unmapped),
        "roles": roles,
        "sheet": sheet,
        "duplicates": duplicates,
        "rows": [report.rows_read, report.rows_kept, report.rows_dropped],
    }
    stored = run_action(
        "Saving the members",
        lambda: (
            store().save_members(
                program_id, plan.people, report.issues, saved, [n for n, _ in files]
            )
            or True
        ),
    )
    if stored is None:
        return False
    if plan.config != config:
        run_action("Saving the settings", lambda: store().save_settings(program_id, plan.config))
    st.session_state[FILES] = files
    st.session_state[HISTORY_FILES] = history
    st.session_state[HISTORY_CHANGES] = (program_id, plan.changes if history else None)
    st.session_state.pop(RESULT, None)
    return True


def load_sample(program_id: int) -> bool:
    """Load the bundled sample cohort into the program."""
    files = [(SAMPLE_PATH.name, SAMPLE_PATH.read_bytes())]
    return load_files(program_id, files, {}, None, history=[])


def autoload_sample() -> None:
    """With ``MENTORING_SAMPLE=1`` (``make run``) an empty program opens on the sample data."""
    if os.environ.get("MENTORING_SAMPLE") != "1" or st.session_state.get("sample_autoloaded"):
        return
    st.session_state["sample_autoloaded"] = True
    program = current_program()
    people, _, _ = members(program.id)
    if not len(people):
        load_sample(program.id)


def show() -> None:
    """Draw the Upload page."""
    program = current_program()
    st.title("Upload")
    st.caption(
        f"Members of **{program.name}**. Files are read on this computer and never sent anywhere."
    )
    people, _, _ = members(program.id)
    if len(people):
        counts = members_by_role(people)
        st.success(
            f"{len(people)} members loaded ({counts['mentee']} mentees, {counts['mentor']} "
            f"mentors, {counts['both']} both). Uploading again replaces them."
        )

    uploads = st.file_uploader(
        "Member files (CSV or Excel)",
        type=["csv", "xlsx", "xlsm", "txt", "tsv"],
        accept_multiple_files=True,
        key="upload_files_widget",
        help="Drag and drop one or several exports, for example a mentor form and a mentee form.",
    )
    files = [(u.name, u.getvalue()) for u in uploads or []]
    roles: dict[str, str] = {}
    sheets: set[str] = set()
    for position, (name, data) in enumerate(files):
        left, right = st.columns([2, 3])
        left.text(name)
        role = right.selectbox(
            f"Who is in {name}?",
            list(ROLE_CHOICES),
            format_func=ROLE_CHOICES.get,
            key=f"upload_role_{position}",
        )
        if role:
            roles[name] = role
        found = run_action("Reading the workbook", lambda d=data, n=name: list_sheets((n, d)))
        if found and len(found) > 1:
            sheets.update(found)
    past = None
    # The second uploader is drawn only on request: most programs have no past files, and a
    # page with one drop zone is the clearer one. Turning the toggle off drops the past files.
    if st.toggle(
        "Also use past years' matches",
        key="history_on",
        help="Keep past pairs apart, keep continuing pairs together, spread mentors' load.",
    ):
        st.caption(
            "Earlier years' match files (the matches export of this app, CSV or Excel) keep "
            "past pairs apart unless both asked to continue, keep continuing pairs together, "
            "and give mentors who took many mentees one place fewer. The year comes from a "
            "'year' column or the file name, such as matches_2025.csv."
        )
        past = st.file_uploader(
            "Past match files (optional)",
            type=["csv", "xlsx", "xlsm"],
            accept_multiple_files=True,
            key="history_files_widget",
            help="Applied when you press Load these files.",
        )
    history = [(u.name, u.getvalue()) for u in past or []]
    sheet = None
    if sheets:
        sheet = st.selectbox(
            "Sheet to read from the workbooks",
            sorted(sheets),
            key="upload_sheet",
            help="Your workbook has several sheets; pick the one with the member rows.",
        )

    left, right = st.columns(2)
    if left.button(
        "Load these files",
        key="load_files",
        type="primary",
        disabled=not files,
        help="Read the files above and replace this program's members.",
    ) and load_files(program.id, files, roles, sheet, history=history):
        st.success("Files read. Next step: **Map and fix** in the sidebar.")
    if right.button(
        "Load sample data",
        key="load_sample",
        help="A fictional cohort of about 320 members, to try every step.",
    ) and load_sample(program.id):
        st.success("Sample data loaded. Next step: **Map and fix** in the sidebar.")
    if not files and not len(people):
        st.info(
            "Drop your member export above, or press **Load sample data** to try the app "
            "with a fictional cohort."
        )
    _history_changes(program.id)


def _history_changes(program_id: int) -> None:
    held = st.session_state.get(HISTORY_CHANGES)
    if not held or held[0] != program_id or held[1] is None:
        return
    changes = held[1]
    st.subheader("What the past matches changed")
    if changes.empty:
        st.info(
            "The past match files name none of this year's members together, so nothing "
            "changed. Check that the member ids are the same as last year's."
        )
        return
    counts = changes["action"].value_counts()
    st.caption(" \u00b7 ".join(f"{action}: {int(n)}" for action, n in sorted(counts.items())))
    st.dataframe(
        changes,
        key="history_changes_table",
        hide_index=True,
        width="stretch",
        column_config={
            "member_id": "Member id",
            "field": "Field",
            "action": "Change",
            "detail": st.column_config.TextColumn("Why", width="large"),
        },
    )
