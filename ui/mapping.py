"""Map and fix: the column mapping as an editable table, the problems found, the counts read."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from mentoring.model.errors import issues_frame
from mentoring.reading.ingest import read_tables
from mentoring.reading.mapping import MAPPABLE_FIELDS
from mentoring.services.members import (
    DUPLICATE_CHOICES,
    blocking_issues,
    field_label,
    mapping_from_table,
    mapping_table,
    members_by_role,
)
from ui.common import FILES, current_program, members, plain, run_action, show_flash
from ui.upload import load_files

__all__ = ["show"]


def show() -> None:
    """Draw the Map and fix page."""
    program = current_program()
    st.title("Map and fix")
    show_flash()
    people, issues, saved = members(program.id)
    if not len(people) and not issues:
        st.info("No members yet. Go to **Upload** and load your files or the sample data.")
        return

    counts = members_by_role(people)
    a, b, c, d = st.columns(4)
    rows = saved.get("rows")
    a.metric(
        "Members kept",
        len(people),
        help=None
        if not rows
        else f"{rows[0]} rows read, {rows[1]} kept, {rows[2]} left out with an error",
    )
    b.metric("Mentees", counts["mentee"])
    c.metric("Mentors", counts["mentor"])
    d.metric("Both", counts["both"])

    st.subheader("Columns")
    files = st.session_state.get(FILES)
    chosen = dict(saved.get("mapping") or {})
    if files:
        tables = run_action(
            "Reading the files", lambda: read_tables(files, sheet=saved.get("sheet"))
        )
        if tables is not None:
            headers = {t.source: [str(h) for h in t.frame.columns] for t in tables[0]}
            st.caption(
                "Which field each column of your files holds. Change a field where the guess "
                "is wrong, or clear it to leave the column out, then press Confirm mapping."
            )
            edited = st.data_editor(
                mapping_table(headers, chosen),
                key="mapping_editor",
                hide_index=True,
                width="stretch",
                disabled=["file", "column"],
                column_config={
                    "file": st.column_config.TextColumn("File"),
                    "column": st.column_config.TextColumn("Column in the file", width="large"),
                    "field": st.column_config.SelectboxColumn(
                        "Field",
                        options=["", *MAPPABLE_FIELDS],
                        format_func=field_label,
                        help="(not used): the column is left out.",
                    ),
                },
            )
            choices = list(DUPLICATE_CHOICES)
            duplicates = st.radio(
                "When a member submitted the form more than once",
                choices,
                index=choices.index(saved.get("duplicates", "keep_latest"))
                if saved.get("duplicates", "keep_latest") in choices
                else 0,
                format_func=DUPLICATE_CHOICES.get,
                key="duplicates_choice",
                horizontal=True,
            )
            if st.button("Confirm mapping", key="confirm_mapping", type="primary"):
                mapping = mapping_from_table(edited)
                roles = dict(saved.get("roles") or {})
                if load_files(program.id, files, roles, saved.get("sheet"), mapping, duplicates):
                    st.session_state["mapping_confirmed"] = program.id
                    st.rerun()
            if st.session_state.get("mapping_confirmed") == program.id:
                st.success(
                    "Mapping confirmed and members saved. Next step: **Settings** or **Review**."
                )
    else:
        st.caption(
            "The mapping used for the saved members. To change it, upload the files again on "
            "the Upload page (files are not kept after you close the browser; members are)."
        )
        st.dataframe(
            pd.DataFrame(
                {"column": list(chosen), "field": [field_label(f) for f in chosen.values()]}
            ),
            hide_index=True,
            key="mapping_saved",
            width="stretch",
            column_config={"column": "Column in the file", "field": "Field"},
        )

    st.subheader("Problems found")
    errors = blocking_issues(issues)
    if not issues:
        st.success("No problems found in the member files.")
    else:
        if errors:
            st.error(
                plain(
                    f"{len(errors)} error(s) block matching. Fix them in your file and upload "
                    "it again, or correct the column mapping above. Warnings do not block "
                    "matching."
                )
            )
        else:
            st.info(
                f"{len(issues)} warning(s) and note(s); they do not block matching, but read them."
            )
        table = issues_frame(issues).drop(columns=["code"])
        table["row"] = table["row"].astype("string").fillna("")
        st.dataframe(
            table[["severity", "file", "row", "column", "problem", "what_to_do", "member_id"]],
            key="issues_table",
            hide_index=True,
            width="stretch",
            column_config={
                "severity": "Severity",
                "file": "File",
                "row": "Row",
                "column": "Column",
                "member_id": "Member id",
                "problem": st.column_config.TextColumn("Problem", width="large"),
                "what_to_do": st.column_config.TextColumn("What to do", width="large"),
            },
        )
