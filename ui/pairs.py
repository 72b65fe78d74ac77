"""The pairs on the Review page, made for reviewing hundreds: filters, sort, counts, a row
click to open a pair, both members side by side with what each criterion added, decisions
that show at once, "Next pending", bulk approval, other mentors, why not the best, reassign.

A fragment: clicking a row or deciding reruns only this part of the page.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from mentoring.model.config import COMPONENTS
from mentoring.services.decisions import (
    SORTS,
    STATUS_LABELS,
    approve_above,
    contributions,
    filter_rows,
    next_pending,
    review_rows,
    side_by_side,
    status_counts,
)
from mentoring.services.run_view import RunView
from mentoring.services.runs import other_mentors, reassign, why_not_best
from mentoring.services.settings import WEIGHT_HELP
from ui.common import current_view, plain, run_action, store

__all__ = ["PICK", "pairs_section"]

PICK = "review_mentee"
"""Session key (and the "Pair to review" box): ``"mentee_id\\tmentor_id"`` of the open pair."""
SHOWN = "review_rows_shown"
"""Session key: the keys of the table's rows as drawn, for the row-click callback."""
SEEN = "review_seen_versions"
"""Session key: ``{(mentee_id, mentor_id): version}`` as last drawn."""
WHY = "why_not_cache"
"""Session key: ``{(run_id, mentee_id, status): WhyNot or None}``."""
PICK_NEXT = "review_pick_next"
"""Session key: the pair to open on the next draw (set after the picker was drawn)."""
NOTE = "review_note"
"""Session key: what the last action in this section did, shown once at its top."""


def _rerun_here() -> None:
    # Only this section when it runs as a fragment; the whole page when it ran as part of a
    # full run (Streamlit refuses a fragment rerun then).
    try:
        st.rerun(scope="fragment")
    except StreamlitAPIException:
        st.rerun()


def _key(mentee_id: str, mentor_id: str) -> str:
    return f"{mentee_id}\t{mentor_id}"


def _picked() -> None:
    chosen = st.session_state.get("pairs_table")
    rows = (chosen or {}).get("selection", {}).get("rows", [])
    shown = st.session_state.get(SHOWN, [])
    if rows and rows[0] < len(shown):
        st.session_state[PICK] = shown[rows[0]]


def _next(rows: pd.DataFrame) -> None:
    current = str(st.session_state.get(PICK, "")).split("\t")[0] or None
    found = next_pending(rows, current)
    if found is not None:
        match = rows.loc[(rows["mentee_id"] == found) & rows["in_run"]].iloc[0]
        st.session_state[PICK] = _key(found, match["mentor_id"])


@st.fragment
def pairs_section(program_id: int) -> None:
    """The pairs table, its filters and the open pair."""
    view = current_view(program_id)
    if view is None:
        return
    rows = review_rows(view, store().decisions(program_id))
    st.subheader("Pairs")
    note = st.session_state.pop(NOTE, None)
    if note:
        st.success(plain(note))
    st.caption(status_counts(rows))
    a, b, c, d = st.columns([3, 3, 2, 2], vertical_alignment="bottom")
    # A selectbox, not chips: a chip named after a status would share the "Approve" button's
    # accessible name.
    choice = a.selectbox(
        "Show",
        ["all", *STATUS_LABELS],
        format_func=lambda s: "Every status" if s == "all" else f"{STATUS_LABELS[s]} only",
        key="review_filter_status",
    )
    statuses = None if choice == "all" else [choice]
    band = b.slider("Score between", 0.0, 1.0, (0.0, 1.0), step=0.05, key="review_filter_band")
    flagged = c.toggle(
        "Flagged only",
        key="review_filter_flagged",
        help="Pairs with a low score, or that share nothing but practical fit.",
    )
    sort = d.selectbox("Sort by", SORTS, key="review_sort")
    shown = filter_rows(rows, statuses, band, flagged, sort)
    st.session_state[SHOWN] = [
        _key(m, r) for m, r in zip(shown["mentee_id"], shown["mentor_id"], strict=True)
    ]
    display = shown[["mentee", "mentor", "score", "status", "flag", "reasons"]].assign(
        status=shown["status"].map(STATUS_LABELS)
    )
    st.dataframe(
        display,
        key="pairs_table",
        on_select=_picked,
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
        height=min(420, 38 + 35 * max(len(display), 1)),
        column_config={
            "mentee": "Mentee",
            "mentor": "Mentor",
            "score": st.column_config.ProgressColumn(
                "Score", min_value=0.0, max_value=1.0, format="%.2f"
            ),
            "status": "Status",
            "flag": "Flag",
            "reasons": st.column_config.TextColumn("Why this pair", width="large"),
        },
    )
    st.caption(
        f"{len(shown)} of {len(rows)} pairs shown. Click a row to open the pair; rejected pairs "
        "stay listed so they can be undone."
    )
    _bulk(program_id, rows)
    if rows.empty:
        return
    keys = [_key(m, r) for m, r in zip(rows["mentee_id"], rows["mentor_id"], strict=True)]
    wanted = st.session_state.pop(PICK_NEXT, None)
    if wanted in keys:
        st.session_state[PICK] = wanted
    if st.session_state.get(PICK) not in keys:
        st.session_state[PICK] = keys[0]
    labels = dict(zip(keys, rows["mentee"] + " \u2192 " + rows["mentor"], strict=True))
    st.selectbox("Pair to review", keys, format_func=labels.get, key=PICK)
    mentee_id, mentor_id = st.session_state[PICK].split("\t")
    row = rows.loc[(rows["mentee_id"] == mentee_id) & (rows["mentor_id"] == mentor_id)].iloc[0]
    _decide(program_id, rows, row)
    st.session_state[SEEN] = {(r.mentee_id, r.mentor_id): int(r.version) for r in rows.itertuples()}
    _pair(view, row)
    if bool(row["in_run"]):
        _others(program_id, view, row)


def _bulk(program_id: int, rows: pd.DataFrame) -> None:
    with st.expander("Approve many pairs at once"):
        threshold = st.number_input(
            "Approve every pending pair scoring at least",
            min_value=0.0,
            max_value=1.0,
            value=0.7,
            step=0.05,
            key="bulk_threshold",
        )
        eligible = rows.loc[
            (rows["status"] == "pending")
            & rows["in_run"]
            & (rows["flag"] == "")
            & (rows["score"] >= threshold - 1e-9)
        ]
        st.caption(
            f"{len(eligible)} pending pairs score {threshold:.2f} or more and are not flagged; "
            "flagged pairs are never approved in bulk."
        )
        if st.button(
            f"Approve these {len(eligible)} pairs",
            key="bulk_approve",
            disabled=eligible.empty,
        ):
            done = run_action(
                "Approving", lambda: approve_above(store(), program_id, rows, threshold, _by())
            )
            if done is not None:
                st.session_state[NOTE] = f"Approved {done} pairs at once."
                _rerun_here()


def _by() -> str:
    return str(st.user.get("email") or "")


def _decide(program_id: int, rows: pd.DataFrame, row: pd.Series) -> None:
    label = STATUS_LABELS[row["status"]]
    where = "" if row["in_run"] else " (not in this run)"
    st.text(f"{row['mentee']} \u2192 {row['mentor']}: {label}{where}")
    if row["flag"]:
        st.caption(plain(f"Flagged: {row['flag']}."))
    seen = st.session_state.get(SEEN, {}).get((row["mentee_id"], row["mentor_id"]))
    columns = st.columns(5)
    actions = (
        ("approved", "Approve", "Keep this pair on every re-solve."),
        ("rejected", "Reject", "Never propose this pair again."),
        ("locked", "Lock", "Keep this pair whatever the scores and rules say."),
        ("pending", "Undo decision", "Back to pending."),
    )
    for column, (status, text, help_text) in zip(columns, actions, strict=False):
        if column.button(
            text,
            key=f"decide_{status}",
            help=help_text,
            width="stretch",
            disabled=row["status"] == status,
            type="primary" if status == "approved" else "secondary",
        ):
            decided = run_action(
                "Saving the decision",
                lambda s=status: store().set_decision(
                    program_id,
                    row["mentee_id"],
                    row["mentor_id"],
                    s,
                    expected_version=int(row["version"] if seen is None else seen),
                    by=_by(),
                ),
            )
            if decided is not None:
                st.session_state.pop(SEEN, None)
                st.session_state[NOTE] = (
                    f"{STATUS_LABELS[status]}: {row['mentee']} → {row['mentor']}."
                    if status != "pending"
                    else f"Back to pending: {row['mentee']} → {row['mentor']}."
                )
                _rerun_here()
    columns[4].button(
        "Next pending",
        key="next_pending",
        width="stretch",
        on_click=_next,
        args=(rows,),
        help="Open the next pair still waiting for a decision.",
    )


def _pair(view: RunView, row: pd.Series) -> None:
    left, right = st.columns([3, 2])
    with left:
        st.markdown("**Both members' answers**")
        table = run_action(
            "Reading the answers",
            lambda: side_by_side(view.people, row["mentee_id"], row["mentor_id"]),
        )
        if table is not None:
            st.dataframe(
                table,
                key="side_by_side",
                hide_index=True,
                width="stretch",
                column_config={
                    "question": "Question",
                    "mentee": st.column_config.TextColumn("Mentee", width="medium"),
                    "mentor": st.column_config.TextColumn("Mentor", width="medium"),
                },
            )
    with right:
        pairs = view.run.pairs
        found = pairs.loc[
            (pairs["mentee_id"] == row["mentee_id"]) & (pairs["mentor_id"] == row["mentor_id"])
        ]
        if found.empty:
            st.caption("This pair is not in the run, so it has no score breakdown.")
            return
        st.markdown("**What each criterion added**")
        st.dataframe(
            contributions(found.iloc[0].to_dict(), view.run.config.weights),
            key="contributions",
            hide_index=True,
            width="stretch",
            column_config={
                "criterion": "Criterion",
                "match": st.column_config.ProgressColumn(
                    "Match", min_value=0.0, max_value=1.0, format="%.2f"
                ),
                "points": st.column_config.NumberColumn(
                    "Points of the score", format="%.3f", help="They add up to the pair's score."
                ),
            },
        )


def _why(view: RunView, mentee_id: str, status: str):
    # Exact counterfactuals take a moment: once per run, mentee and status in this session.
    cache = st.session_state.setdefault(WHY, {})
    key = (view.run.id, mentee_id, status)
    if key not in cache:
        cache[key] = (
            run_action(
                "Explaining the choice",
                lambda: why_not_best(view.people, view.result, mentee_id, status),
            )
            if view.result.audit.ok
            else None
        )
    return cache[key]


def _others(program_id: int, view: RunView, row: pd.Series) -> None:
    mentee_id = row["mentee_id"]
    answer = _why(view, mentee_id, row["status"])
    if answer is not None:
        st.markdown("**Why not their best mentor?**")
        if not answer.best:
            st.caption("No mentor with a free place is allowed for this mentee.")
        elif answer.reason == "assigned":
            st.success(
                plain(f"They have their best mentor, {answer.best} ({answer.best_score:.2f}).")
            )
        else:
            st.info(plain(f"Best mentor: {answer.best} ({answer.best_score:.2f}). {answer.reason}"))
    others = other_mentors(view.result, mentee_id, answer)
    st.markdown("**Other mentors for this mentee**")
    if others.empty:
        st.caption("No other mentor is allowed for this mentee under the current rules.")
        return
    st.dataframe(
        others.drop(columns=["mentor_id"]),
        key="alternatives_table",
        hide_index=True,
        width="stretch",
        column_config={
            "mentor": "Mentor",
            "score": st.column_config.ProgressColumn(
                "Score", min_value=0.0, max_value=1.0, format="%.2f"
            ),
            **{
                c: st.column_config.NumberColumn(WEIGHT_HELP[c][0], format="%.2f")
                for c in COMPONENTS
            },
            "total_score_lost": st.column_config.NumberColumn(
                "Total score lost",
                format="%.3f",
                help="What giving them this mentor costs the cohort.",
            ),
            "mentees_unmatched": "Mentees left unmatched",
            "reasons": st.column_config.TextColumn("Why", width="large"),
        },
    )
    names = dict(zip(others["mentor_id"], others["mentor"], strict=True))
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    new_mentor = left.selectbox(
        "Reassign to", list(names), format_func=names.get, key="reassign_mentor"
    )
    if right.button(
        "Reassign",
        key="reassign",
        width="stretch",
        help="Lock the new pair and reject the current one; Re-solve then re-optimises the rest.",
    ):
        done = run_action(
            "Reassigning",
            lambda: (
                reassign(store(), program_id, mentee_id, row["mentor_id"], new_mentor, _by())
                or True
            ),
        )
        if done:
            st.session_state[PICK_NEXT] = _key(mentee_id, new_mentor)
            st.session_state[NOTE] = (
                f"Reassigned {row['mentee']} to {names[new_mentor]}: the new pair is locked and "
                f"{row['mentor']} rejected. Press Re-solve to re-optimise everyone else."
            )
            _rerun_here()
