"""Map and fix: how every column was read (editable while the files are in the session), what
the score compares, the problems found and the counts read.

Headers, answers and evidence are shown as table cells, never as markup.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from mentoring.model.errors import issues_frame
from mentoring.model.questions import KINDS, USES, ColumnProfile, Criterion
from mentoring.outputs.questions_toml import questions_toml
from mentoring.services.members import (
    DUPLICATE_CHOICES,
    blocking_issues,
    field_label,
    load_member_files,
    members_by_role,
)
from mentoring.services.questions import (
    EDITABLE_COLUMNS,
    KIND_LABELS,
    NOT_COMPARED,
    READING_COLUMNS,
    USE_LABELS,
    criteria_of,
    criteria_table,
    profiles_from_saved,
    questions_from_edits,
    reading_tables,
)
from ui.common import FILES, current_program, members, plain, run_action, show_flash
from ui.upload import READING, load_files

__all__ = ["EDITOR", "show"]

EDITOR = "reading_editor_"
"""Widget key prefix of the reading tables: ``reading_editor_0`` is the first file's."""

_CONFIG: dict[str, Any] = {
    "check": st.column_config.TextColumn(
        "Check", help="Guesses too unsure to use are listed first: say what the column is."
    ),
    "column": st.column_config.TextColumn("Column in the file", width="medium"),
    "use": st.column_config.SelectboxColumn(
        "Use",
        width="medium",
        options=list(USES),
        format_func=lambda use: USE_LABELS.get(str(use), str(use)),
        required=True,
        help="What the column is for. Left out: the column is not read.",
    ),
    "field": st.column_config.TextColumn("Field"),
    "kind": st.column_config.SelectboxColumn(
        "How answers are compared",
        width="medium",
        options=[NOT_COMPARED, *KINDS],
        format_func=lambda kind: KIND_LABELS.get(str(kind), str(kind)),
        help="For a question to match on: how a mentee's answer meets a mentor's.",
    ),
    "paired_with": st.column_config.TextColumn(
        "Paired with",
        help="The other side's question asking the same thing, its header exactly as in the "
        "file (several: separate them with |).",
    ),
    "weight": st.column_config.NumberColumn(
        "Weight", min_value=0.0, step=0.1, format="%.1f", help="How much this question counts."
    ),
    "levels": st.column_config.TextColumn(
        "Level order", help="For answers in order: lowest first, such as AA < AO < EO."
    ),
    "confidence": st.column_config.NumberColumn("Confidence", format="%d%%"),
    "evidence": st.column_config.TextColumn("Why", width="large"),
    "sample": st.column_config.TextColumn("Some answers", width="large"),
}


def _reading(program_id: int, files: list[tuple[str, bytes]], saved: dict[str, Any]) -> Any:
    """This session's reading of the files (with their answers), read once and kept."""
    held = st.session_state.get(READING)
    if held is not None and held[0] == program_id:
        return held[1]
    report = run_action(
        "Reading the files",
        lambda: load_member_files(
            files,
            roles=dict(saved.get("roles") or {}) or None,
            sheet=saved.get("sheet"),
            duplicates=saved.get("duplicates", "keep_latest"),
            questions=saved.get("questions") or None,
        ),
    )
    if report is None:
        return None
    st.session_state[READING] = (program_id, report.profiles)
    return report.profiles


def _editable(
    program_id: int,
    files: list[tuple[str, bytes]],
    saved: dict[str, Any],
    criteria: list[Criterion],
) -> None:
    profiles = _reading(program_id, files, saved)
    if profiles is None:
        return
    st.caption(
        "How each column of your files was read, and why. Change a column's use, how its "
        "answers are compared, the question it is paired with, its weight or its level order, "
        "then press Confirm mapping: the files are read again with your changes."
    )
    tables = reading_tables(profiles, criteria)
    unsure = sum(int((t["check"] != "").sum()) for _, t in tables)
    if unsure:
        st.warning(
            f"{unsure} column(s) could not be read with confidence and are not used until you "
            "say what they are; they are listed first and marked Unsure."
        )
    edited = []
    for position, (title, table) in enumerate(tables):
        st.text(f"File: {title}")
        edited.append(
            st.data_editor(
                table,
                key=f"{EDITOR}{position}",
                hide_index=True,
                width="stretch",
                disabled=[c for c in READING_COLUMNS if c not in EDITABLE_COLUMNS],
                column_config=_CONFIG,
            )
        )
    pending = run_action(
        "Reading your changes",
        lambda: sum(
            len(questions_from_edits(before, after))
            for (_, before), after in zip(tables, edited, strict=True)
        ),
    )
    if pending:
        st.info(
            f"{pending} column(s) changed and not applied yet. Press Confirm mapping to read "
            "the files again with your changes."
        )
    choices = list(DUPLICATE_CHOICES)
    current = saved.get("duplicates", "keep_latest")
    duplicates = st.radio(
        "When a member submitted the form more than once",
        choices,
        index=choices.index(current) if current in choices else 0,
        format_func=DUPLICATE_CHOICES.get,
        key="duplicates_choice",
        horizontal=True,
    )
    if st.button(
        "Confirm mapping",
        key="confirm_mapping",
        type="primary",
        help="Apply your changes: read the files again with them and save the members.",
    ):
        _apply(program_id, files, saved, tables, edited, duplicates)
    if st.session_state.get("mapping_confirmed") == program_id:
        st.success("Mapping confirmed and members saved. Next step: **Settings** or **Review**.")


def _apply(
    program_id: int,
    files: list[tuple[str, bytes]],
    saved: dict[str, Any],
    tables: list[tuple[str, pd.DataFrame]],
    edited: list[pd.DataFrame],
    duplicates: str,
) -> None:
    headers = [str(h) for _, table in tables for h in table["column"]]

    def collect() -> dict[str, dict[str, Any]]:
        questions = dict(saved.get("questions") or {})
        for (_, before), after in zip(tables, edited, strict=True):
            questions = questions_from_edits(before, after, questions, headers=headers)
        return questions

    questions = run_action("Reading your changes", collect)
    if questions is None:
        return
    roles = dict(saved.get("roles") or {})
    if load_files(
        program_id, files, roles, saved.get("sheet"), None, duplicates, questions=questions
    ):
        st.session_state["mapping_confirmed"] = program_id
        st.rerun()


def _saved_view(saved: dict[str, Any], criteria: list[Criterion]) -> None:
    st.caption(
        "How the columns of the saved members were read. To change it, upload the files again "
        "on the Upload page (files are not kept after you close the browser; members are)."
    )
    profiles = profiles_from_saved(saved.get("profiles"))
    if not profiles:
        chosen = dict(saved.get("mapping") or {})
        st.dataframe(
            pd.DataFrame(
                {"column": list(chosen), "field": [field_label(f) for f in chosen.values()]}
            ),
            hide_index=True,
            key="mapping_saved",
            width="stretch",
            column_config={"column": "Column in the file", "field": "Field"},
        )
        return
    for position, (title, table) in enumerate(reading_tables(profiles, criteria)):
        st.text(f"File: {title}")
        shown = table.drop(columns=["sample"])
        shown["use"] = shown["use"].map(lambda use: USE_LABELS.get(use, use))
        shown["kind"] = shown["kind"].map(lambda kind: KIND_LABELS.get(kind, kind))
        st.dataframe(
            shown,
            hide_index=True,
            key=f"reading_saved_{position}",
            width="stretch",
            column_config={
                key: value for key, value in _CONFIG.items() if key not in ("use", "kind", "sample")
            }
            | {"use": "Use", "kind": "How answers are compared"},
        )


def _criteria(
    criteria: list[Criterion], profiles: tuple[ColumnProfile, ...], saved: dict[str, Any]
) -> None:
    st.subheader("What the score compares")
    if not criteria:
        st.info(
            "No question of the form is compared yet beyond the usual fields (areas of "
            "interest, goals, career stage, time zone and the others weighed on Settings)."
        )
    else:
        st.caption(
            "Each question of your form that the score compares: the mentee's answer to the "
            "first question meets the mentor's answer to the second. Weights count within "
            "the part of the score named last (weighed on Settings)."
        )
        st.dataframe(
            criteria_table(criteria, profiles),
            key="criteria_table",
            hide_index=True,
            width="stretch",
            column_config={
                "compares": "Compares",
                "how": "How",
                "mentee_question": st.column_config.TextColumn("Mentee's question"),
                "mentor_question": st.column_config.TextColumn("Mentor's question"),
                "weight": st.column_config.NumberColumn("Weight", format="%.1f"),
                "counts_in": "Counts in",
            },
        )
    questions = saved.get("questions") or {}
    if questions:
        st.download_button(
            "Download your changes for the config file",
            data=questions_toml(questions),
            file_name="questions.toml",
            mime="application/toml",
            key="questions_toml",
            help="A [questions] table: paste it into the config file to read the form the same "
            "way from the command line.",
        )


def _problems(issues: Any) -> None:
    st.subheader("Problems found")
    errors = blocking_issues(issues)
    if not issues:
        st.success("No problems found in the member files.")
        return
    if errors:
        st.error(
            plain(
                f"{len(errors)} error(s) block matching. Fix them in your file and upload "
                "it again, or correct how the columns are read above. Warnings do not block "
                "matching."
            )
        )
    else:
        st.info(f"{len(issues)} warning(s) and note(s); they do not block matching, but read them.")
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

    criteria = run_action("Reading the saved questions", lambda: criteria_of(
        people.attrs.get("criteria")
    )) or []  # fmt: skip
    st.subheader("Columns")
    files = st.session_state.get(FILES)
    if files:
        _editable(program.id, files, saved, criteria)
        held = st.session_state.get(READING)
        profiles = held[1] if held is not None and held[0] == program.id else ()
    else:
        _saved_view(saved, criteria)
        profiles = tuple(profiles_from_saved(saved.get("profiles")))
    _criteria(criteria, tuple(profiles), saved)
    _problems(issues)
