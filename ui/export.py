"""Export: the matches as CSV and XLSX, and mail-merge lists per mentor and per mentee."""

from __future__ import annotations

import streamlit as st

from mentoring.outputs.export import mail_merge, matches_csv, matches_xlsx
from ui.common import current_program, current_result, members, run_action

__all__ = ["show"]

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def show() -> None:
    """Draw the Export page."""
    program = current_program()
    st.title("Export")
    people, _, _ = members(program.id)
    result = run_action("Opening the last run", lambda: current_result(program.id, people))
    if result is None:
        st.info("Nothing to export yet. Go to **Review** and press **Find matches**.")
        return
    st.caption(
        f"The latest run of {program.name}: {len(result.pairs)} pairs. Files are made on this "
        "computer; formula-like answers are neutralised so spreadsheets never run them."
    )
    slug = "".join(c if c.isalnum() else "-" for c in program.name.lower()).strip("-") or "program"

    st.subheader("Matches")
    demographics = st.checkbox(
        "Include self-described identity columns in the matches files",
        value=False,
        key="export_demographics",
        help="Sensitive data: include it only if the people receiving the file need it.",
    )
    csv_bytes = run_action(
        "Preparing the CSV",
        lambda: matches_csv(result, people, include_demographics=demographics),
    )
    xlsx_bytes = run_action(
        "Preparing the workbook",
        lambda: matches_xlsx(result, people, include_demographics=demographics),
    )
    left, right = st.columns(2)
    if csv_bytes is not None:
        left.download_button(
            "Download matches (CSV)",
            csv_bytes,
            file_name=f"{slug}-matches.csv",
            mime="text/csv",
            key="download_csv",
            type="primary",
            on_click="ignore",
        )
    if xlsx_bytes is not None:
        right.download_button(
            "Download matches (XLSX)",
            xlsx_bytes,
            file_name=f"{slug}-matches.xlsx",
            mime=_XLSX,
            key="download_xlsx",
            on_click="ignore",
            help="Pairs, one sheet per mentor list, and the unmatched members.",
        )

    st.subheader("Mail merge")
    st.caption("One row per person with their partner(s)' names and emails, for your mail program.")
    left, right = st.columns(2)
    for column, who, label in (
        (left, "mentor", "Download mentor mail-merge list (CSV)"),
        (right, "mentee", "Download mentee mail-merge list (CSV)"),
    ):
        data = run_action(
            "Preparing the mail-merge list", lambda w=who: mail_merge(result, people, w)
        )
        if data is not None:
            column.download_button(
                label,
                data,
                file_name=f"{slug}-{who}-mail-merge.csv",
                mime="text/csv",
                key=f"download_mail_{who}",
                on_click="ignore",
            )
