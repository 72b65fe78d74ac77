"""Upload: member files (CSV or Excel), a role per file, the sheet, or the bundled sample; and,
optionally, earlier years' match files, so past pairs, continuing pairs and mentor load count."""

from __future__ import annotations

import os
from typing import Any

import streamlit as st

from mentoring.reading.ingest import list_sheets
from mentoring.services.members import (
    apply_past_matches,
    load_member_files,
    mapping_used,
    members_by_role,
    repeated_submissions,
)
from mentoring.services.programs import replacement_summary
from mentoring.services.questions import profiles_to_saved
from ui.common import (
    FILES,
    SAMPLE_PATH,
    current_program,
    flash,
    forget_run,
    members,
    plain,
    run_action,
    settings,
    show_flash,
    store,
    with_progress,
)

__all__ = [
    "HISTORY_CHANGES",
    "HISTORY_FILES",
    "READING",
    "ROLE_CHOICES",
    "autoload_sample",
    "forget_editors",
    "load_files",
    "load_sample",
    "show",
]

HISTORY_FILES = "history_files"
"""Session key: the past match files of this session, ``[(name, bytes), ...]``, applied again
when the member files are re-read (for example after the mapping is changed)."""
HISTORY_CHANGES = "history_changes"
"""Session key: ``(program_id, changes)`` of the last load with past match files."""
READING = "reading"
"""Session key: ``(program_id, profiles)``: how the last load read every column of the files,
with a few answers each, for Map and fix."""
REPLACE = "replace_request"
"""Session key: ``(program_id, kind, request, summary)`` of a load waiting for confirmation."""

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
    duplicates: str = "keep_latest",
    history: list[tuple[str, bytes]] | None = None,
    *,
    questions: dict[str, dict[str, Any]] | None = None,
) -> bool:
    """Read the files, apply any past match files, and save the members to the program;
    ``False`` (and a message) on failure. ``history`` ``None`` reuses this session's past
    match files. A member who submitted twice keeps their latest response by default.
    ``questions`` is the coordinator's word on columns (Map and fix), kept with the upload."""
    if history is None:
        history = st.session_state.get(HISTORY_FILES, [])
    report = with_progress(
        "Reading the member files",
        lambda progress: load_member_files(
            files,
            mapping=mapping,
            roles=roles or None,
            sheet=sheet,
            duplicates=duplicates,
            questions=questions or None,
            progress=progress,
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
        "profiles": profiles_to_saved(report.profiles),
        "questions": dict(questions or {}),
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
    st.session_state[READING] = (program_id, report.profiles)
    forget_editors()
    st.session_state[HISTORY_FILES] = history
    st.session_state[HISTORY_CHANGES] = (program_id, plan.changes if history else None)
    forget_run()
    return True


def forget_editors() -> None:
    """Drop the edits held by Map and fix's tables: they describe a reading that changed."""
    for key in [k for k in st.session_state if str(k).startswith("reading_editor_")]:
        del st.session_state[key]


def load_sample(program_id: int) -> bool:
    """Load the bundled sample cohort into the program."""
    files = [(SAMPLE_PATH.name, SAMPLE_PATH.read_bytes())]
    return load_files(program_id, files, {}, None, history=[])


def _loaded_message(program_id: int, what: str) -> str:
    people, issues, _ = members(program_id)
    counts = members_by_role(people)
    text = (
        f"{what} loaded: {len(people)} members ({counts['mentee']} mentees, {counts['mentor']} "
        f"mentors, {counts['both']} both). Next step: Map and fix in the sidebar."
    )
    return text


def _load_now(program_id: int, kind: str, request: dict[str, Any]) -> None:
    if kind == "sample":
        done = load_sample(program_id)
        what = "Sample data"
    else:
        done = load_files(
            program_id, request["files"], request["roles"], request["sheet"],
            history=request["history"],
        )  # fmt: skip
        what = "Files read and members"
    if done:
        flash(_loaded_message(program_id, what))
        st.rerun()


def _ask_first(program_id: int, kind: str, request: dict[str, Any]) -> None:
    """Load at once into an empty program; otherwise ask, naming what will be replaced."""
    what = "the sample cohort" if kind == "sample" else f"{len(request['files'])} file(s) above"
    summary = replacement_summary(store(), program_id, what)
    if not summary:
        _load_now(program_id, kind, request)
        return
    st.session_state[REPLACE] = (program_id, kind, request, summary)
    st.rerun()


def _confirm_replace(program_id: int) -> None:
    held = st.session_state.get(REPLACE)
    if not held or held[0] != program_id:
        return
    _, kind, request, summary = held
    with st.container(border=True):
        st.warning(plain(summary))
        left, right = st.columns(2)
        if left.button("Replace the members", key="replace_confirm", type="primary"):
            st.session_state.pop(REPLACE, None)
            _load_now(program_id, kind, request)
        if right.button("Cancel", key="replace_cancel"):
            st.session_state.pop(REPLACE, None)
            flash("Nothing was replaced.", "info")
            st.rerun()


def _repeated(program_id: int) -> None:
    """After a load that met repeated submissions: say which response was kept, offer the other."""
    _, issues, saved = members(program_id)
    repeats = repeated_submissions(issues)
    if not repeats:
        return
    choice = saved.get("duplicates", "keep_latest")
    kept = {"keep_latest": "latest", "keep_first": "first"}.get(choice)
    if kept is None:
        return
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.warning(
        f"{repeats} member(s) submitted the form more than once; their {kept} response is "
        "used. Map and fix lists them."
    )
    other = "keep_first" if choice == "keep_latest" else "keep_latest"
    files = st.session_state.get(FILES)
    if right.button(
        f"Use their {'first' if other == 'keep_first' else 'latest'} response instead",
        key="switch_duplicates",
        disabled=not files,
        help=None if files else "Upload the files again to change this.",
    ) and load_files(
        program_id, files or [], dict(saved.get("roles") or {}), saved.get("sheet"),
        None, other, questions=dict(saved.get("questions") or {}),
    ):  # fmt: skip
        flash(f"Done: their {'first' if other == 'keep_first' else 'latest'} response is used.")
        st.rerun()


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
    show_flash()
    st.caption(
        plain(
            f"Members of {program.name}. Files are read on this computer and never sent anywhere."
        )
    )
    people, _, _ = members(program.id)
    _confirm_replace(program.id)
    if len(people):
        counts = members_by_role(people)
        st.info(
            f"This program has {len(people)} members ({counts['mentee']} mentees, "
            f"{counts['mentor']} mentors, {counts['both']} both). Loading again replaces them "
            "(you are asked first)."
        )
    _repeated(program.id)

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
            # A widget label is markdown: the file's name is the coordinator's data, not markup.
            f"Who is in {plain(name)}?",
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
        help="Read the files above into this program (asks first if it has members).",
    ):
        request = {"files": files, "roles": roles, "sheet": sheet, "history": history}
        _ask_first(program.id, "files", request)
    if right.button(
        "Load sample data",
        key="load_sample",
        help="A fictional cohort of about 320 members, to try every step.",
    ):
        _ask_first(program.id, "sample", {})
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
