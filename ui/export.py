"""Export: a pre-flight check, the matches (CSV and XLSX, with each pair's review status),
mail-merge lists, introduction emails from an editable template, and a one-page board report.
Everything comes from the run on screen."""

from __future__ import annotations

import streamlit as st

from mentoring.model.people import DEMOGRAPHIC_COLUMNS
from mentoring.outputs.board import board_html, board_pdf, board_png
from mentoring.outputs.export import mail_merge, matches_csv, matches_xlsx, pairs_table
from mentoring.outputs.introductions import (
    DEFAULT_BODY,
    DEFAULT_SUBJECT,
    PLACEHOLDERS,
    introductions,
    introductions_csv,
    introductions_zip,
    template_problems,
)
from mentoring.outputs.report import groupable_fields
from mentoring.services.decisions import review_rows
from mentoring.services.preflight import preflight
from ui.common import (
    current_program,
    current_view,
    plain,
    run_action,
    show_flash,
    stale_notice,
    store,
)
from ui.insights import FIELD_LABELS

__all__ = ["show"]

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def show() -> None:
    """Draw the Export page."""
    program = current_program()
    st.title("Export")
    show_flash()
    view = run_action("Opening the last run", lambda: current_view(program.id))
    if view is None:
        st.info("Nothing to export yet. Go to **Review** and press **Find matches**.")
        return
    result, people = view.result, view.people
    fresh = stale_notice(program.id, view)
    rows = review_rows(view, store().decisions(program.id))
    in_run = rows.loc[rows["in_run"]]
    statuses = dict(
        zip(
            zip(in_run["mentee_id"], in_run["mentor_id"], strict=True),
            in_run["status"],
            strict=True,
        )
    )
    st.caption(
        f"Run {view.run.id}: {len(result.pairs)} pairs. Files are made on this computer; "
        "formula-like answers are neutralised so spreadsheets never run them."
    )
    slug = "".join(c if c.isalnum() else "-" for c in program.name.lower()).strip("-") or "program"

    st.subheader("Before you send")
    pairs = pairs_table(result, people, statuses=statuses)
    checks = preflight(pairs, rows, fresh)
    if checks.empty:
        st.success("Ready: every pair is decided, everyone has an email, no pair is flagged.")
    else:
        st.dataframe(
            checks,
            key="preflight_table",
            hide_index=True,
            width="stretch",
            column_config={
                "check": "Check",
                "count": "How many",
                "detail": st.column_config.TextColumn("What to do", width="large"),
            },
        )

    st.subheader("Matches")
    demographics = st.checkbox(
        "Include self-described identity columns in the matches files",
        value=False,
        key="export_demographics",
        help="Sensitive data: include it only if the people receiving the file need it.",
    )
    csv_bytes = run_action(
        "Preparing the CSV",
        lambda: matches_csv(result, people, include_demographics=demographics, statuses=statuses),
    )

    # Made when the button is pressed (deferred), so opening the page stays quick.
    def xlsx_bytes() -> bytes:
        return matches_xlsx(result, people, include_demographics=demographics, statuses=statuses)

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
            help="One row per pair with its review status (pending, approved, locked).",
        )
    right.download_button(
        "Download matches (XLSX)",
        xlsx_bytes,
        file_name=f"{slug}-matches.xlsx",
        mime=_XLSX,
        key="download_xlsx",
        on_click="ignore",
        help="Pairs, one sheet per mentor list, and the members with no partner.",
    )

    st.subheader("Mail merge")
    st.caption("One row per person with their partner(s)' names and emails, for your mail program.")
    left, right = st.columns(2)
    for column, who, label in (
        (left, "mentor", "Download mentor mail-merge list (CSV)"),
        (right, "mentee", "Download mentee mail-merge list (CSV)"),
    ):
        column.download_button(
            label,
            lambda w=who: mail_merge(result, people, w),
            file_name=f"{slug}-{who}-mail-merge.csv",
            mime="text/csv",
            key=f"download_mail_{who}",
            on_click="ignore",
        )
    _introductions(program.name, slug, pairs)
    _board(program.name, slug, view)


def _introductions(program_name: str, slug: str, pairs) -> None:
    st.subheader("Introduction emails")
    st.caption(
        "Edit the template; the placeholders in braces are filled for each pair. Nothing is "
        "sent: download a mail-merge file, or one email file per pair to open in your mail "
        "program."
    )
    with st.expander("Placeholders you can use"):
        st.dataframe(
            {
                "placeholder": ["{" + p + "}" for p in PLACEHOLDERS],
                "filled with": list(PLACEHOLDERS.values()),
            },
            key="placeholders_table",
            hide_index=True,
            width="stretch",
        )
    subject = st.text_input("Subject", value=DEFAULT_SUBJECT, key="intro_subject")
    body = st.text_area("Message", value=DEFAULT_BODY, height=260, key="intro_body")
    coordinator = st.text_input("Your name (for {coordinator})", key="intro_coordinator")
    problems = template_problems(subject) + template_problems(body)
    if problems:
        st.error(plain(" ".join(problems)))
        return
    table = run_action(
        "Preparing the introductions",
        lambda: introductions(pairs, subject, body, program_name, coordinator),
    )
    if table is None or table.empty:
        return
    names = dict(
        zip(
            range(len(pairs)), pairs["mentee_name"] + " \u2192 " + pairs["mentor_name"], strict=True
        )
    )
    pick = st.selectbox("Preview for", list(names), format_func=names.get, key="intro_preview")
    chosen = table.iloc[pick]
    st.text(
        f"To: {chosen['to'] or '(no email address)'}\nSubject: {chosen['subject']}\n\n{chosen['body']}"
    )
    left, right = st.columns(2)
    left.download_button(
        "Download introductions (mail-merge CSV)",
        lambda: introductions_csv(table),
        file_name=f"{slug}-introductions.csv",
        mime="text/csv",
        key="download_intro_csv",
        on_click="ignore",
    )
    right.download_button(
        "Download one email per pair (ZIP of .eml)",
        lambda: introductions_zip(table),
        file_name=f"{slug}-introductions.zip",
        mime="application/zip",
        key="download_intro_zip",
        on_click="ignore",
    )


def _board(program_name: str, slug: str, view) -> None:
    st.subheader("Board report")
    st.caption(
        "One page: coverage and mean score by group, against any goal targets; groups with "
        "fewer than 5 mentees are left out."
    )
    offered = [f for f in groupable_fields(view.people) if f not in DEMOGRAPHIC_COLUMNS]
    fields = st.multiselect(
        "Groups to report (up to three)",
        offered,
        default=offered[:2],
        max_selections=3,
        format_func=lambda f: FIELD_LABELS.get(f, f),
        key="board_fields",
    )
    if not st.toggle("Prepare the board report", key="board_on"):
        return
    result, people = view.result, view.people
    png = run_action(
        "Preparing the report", lambda: board_png(result, people, program_name, fields)
    )
    if png is None:
        return
    a, b, c = st.columns(3)
    a.download_button(
        "Download board report (HTML)",
        lambda: board_html(result, people, program_name, fields).encode("utf-8"),
        file_name=f"{slug}-board-report.html",
        mime="text/html",
        key="download_board_html",
        on_click="ignore",
    )
    b.download_button(
        "Download board report (PDF)",
        lambda: board_pdf(result, people, program_name, fields),
        file_name=f"{slug}-board-report.pdf",
        mime="application/pdf",
        key="download_board_pdf",
        on_click="ignore",
    )
    c.download_button(
        "Download board report (PNG)",
        png,
        file_name=f"{slug}-board-report.png",
        mime="image/png",
        key="download_board_png",
        on_click="ignore",
    )
    st.image(png, width="stretch")
