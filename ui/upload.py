"""Upload: member files (CSV or Excel), a role per file, the sheet, or the bundled sample."""

from __future__ import annotations

import os

import streamlit as st

from mentoring.ingest import list_sheets
from mentoring.review import mapping_used, members_by_role
from mentoring.validate import load_members
from ui.common import FILES, RESULT, SAMPLE_PATH, current_program, members, run_action, store

__all__ = ["ROLE_CHOICES", "autoload_sample", "load_files", "load_sample", "show"]

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
) -> bool:
    """Read the files and save the members to the program; ``False`` (and a message) on failure."""
    report = run_action(
        "Reading the member files",
        lambda: load_members(
            files, mapping=mapping, roles=roles or None, sheet=sheet, duplicates=duplicates
        ),
    )
    if report is None:
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
                program_id, report.people, report.issues, saved, [n for n, _ in files]
            )
            or True
        ),
    )
    if stored is None:
        return False
    st.session_state[FILES] = files
    st.session_state.pop(RESULT, None)
    return True


def load_sample(program_id: int) -> bool:
    """Load the bundled sample cohort into the program."""
    files = [(SAMPLE_PATH.name, SAMPLE_PATH.read_bytes())]
    return load_files(program_id, files, {}, None)


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
    ) and load_files(program.id, files, roles, sheet):
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
