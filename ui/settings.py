"""Settings: what matters (weights), what is never allowed (rules), the objective, capacity,
and diversity goals for the cohort as a whole."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from mentoring.model.config import COMPONENTS, MatchConfig
from mentoring.outputs.report import groupable_fields
from mentoring.services.settings import (
    GOAL_HELP,
    PRESETS,
    WEIGHT_HELP,
    apply_preset,
    logistics_only_floor,
    preset_name,
    reset_settings,
    reset_summary,
    with_goal,
    without_goal,
)
from ui.common import current_program, members, run_action, settings, show_flash, store
from ui.insights import FIELD_LABELS

__all__ = ["OBJECTIVE_HELP", "show"]

OBJECTIVE_HELP = {
    "coverage": "Match as many mentees as possible (priority mentees first), then the best total.",
    "quality": "The best total score, even if a few more mentees stay unmatched.",
    "egalitarian": "As many mentees as possible, then make the weakest pair as good as possible.",
    "stable": "No mentee and mentor would both rather be with each other than their partners.",
}


def _save(program_id: int, config: MatchConfig) -> None:
    run_action("Saving the settings", lambda: store().save_settings(program_id, config))


def _goal_settings(kind: str, people: pd.DataFrame) -> dict | None:
    """The settings of a new goal of this kind, or ``None`` when it cannot be set yet."""
    if kind == "priority_covered":
        return {"kind": kind}
    if kind == "identity_share":
        share = st.slider(
            "Share of those who asked",
            min_value=0,
            max_value=100,
            value=60,
            step=5,
            format="%d%%",
            key="goal_identity_share",
        )
        return {"kind": kind, "min_fraction": share / 100}
    fields = groupable_fields(people) if len(people) else []
    if not fields:
        st.info("Group goals need members to group: load a member file on Upload first.")
        return None
    left, right = st.columns(2)
    field = left.selectbox(
        "Groups by",
        fields,
        format_func=lambda f: FIELD_LABELS.get(f, f),
        key="goal_field",
    )
    if kind == "group_coverage":
        share = right.slider(
            "Share of each group matched",
            min_value=0,
            max_value=100,
            value=80,
            step=5,
            format="%d%%",
            key="goal_group_share",
        )
        return {"kind": kind, "field": field, "min_fraction": share / 100}
    tolerance = right.number_input(
        "Largest gap from the overall mean score",
        min_value=0.0,
        max_value=1.0,
        value=0.05,
        step=0.01,
        key="goal_tolerance",
        help="Scores run from 0 to 1; 0.05 keeps every group's mean within 0.05 of everyone's.",
    )
    return {"kind": kind, "field": field, "tolerance": float(tolerance)}


def _goals(program_id: int, config: MatchConfig) -> None:
    # Keyed and tracked, so it stays open after a goal is added or removed.
    with st.expander(
        "Diversity goals for the whole cohort",
        expanded=bool(config.goals),
        key="goals_expander",
        on_change="rerun",
    ):
        st.caption(
            "Promises about the cohort as a whole rather than one pair. Matching meets them "
            "exactly when it can; Review shows what they cost and, if one cannot be met, why."
        )
        if not config.goals:
            st.caption("No goals set: matching follows the weights and rules above only.")
        for position, goal in enumerate(config.goals):
            left, right = st.columns([5, 1], vertical_alignment="center")
            left.text(goal.describe())
            if right.button("Remove", key=f"remove_goal_{position}", width="stretch"):
                new = run_action("Removing the goal", lambda p=position: without_goal(config, p))
                if new is not None:
                    _save(program_id, new)
                    st.rerun()
        kind = st.selectbox(
            "Goal to add",
            list(GOAL_HELP),
            format_func=lambda k: GOAL_HELP[k][0],
            key="goal_kind",
        )
        st.caption(GOAL_HELP[kind][1])
        people, _, _ = members(program_id)
        wanted = _goal_settings(kind, people)
        if st.button("Add goal", key="add_goal", disabled=wanted is None):
            new = run_action("Adding the goal", lambda: with_goal(config, wanted))
            if new is not None:
                _save(program_id, new)
                st.rerun()


def show() -> None:
    """Draw the Settings page."""
    program = current_program()
    st.title("Settings")
    show_flash()
    config = settings(program.id)
    version = st.session_state.setdefault("settings_version", 0)

    st.subheader("Start from a preset")
    left, middle, right = st.columns([2, 1, 1])
    preset = left.selectbox(
        "Preset",
        list(PRESETS),
        index=list(PRESETS).index(preset_name(config.weights) or "Balanced"),
        key=f"preset_{version}",
        help="A ready-made weighting; you can adjust the sliders afterwards.",
    )
    if middle.button("Apply preset", key="apply_preset", width="stretch"):
        _save(program.id, apply_preset(config, preset))
        st.session_state["settings_version"] = version + 1
        st.rerun()
    if right.button("Reset to defaults", key="reset_settings", width="stretch"):
        st.session_state[RESET] = program.id
    _reset(program.id, config, version)
    _tuning(program.id)
    _goals(program.id, config)
    st.caption("Next step: **Review**, then press Find matches.")


RESET = "reset_pending"
"""Session key: the program whose "Reset to defaults" waits for confirmation."""
UNDO = "reset_undo_settings"
"""Session key: ``(program_id, settings before the reset)``, for Undo."""


def _reset(program_id: int, config: MatchConfig, version: int) -> None:
    if st.session_state.get(RESET) == program_id:
        with st.container(border=True):
            st.warning(reset_summary(config))
            left, right = st.columns(2)
            if left.button("Reset the settings", key="reset_confirm", type="primary"):
                st.session_state.pop(RESET, None)
                st.session_state[UNDO] = (program_id, config)
                _save(program_id, reset_settings(config))
                st.session_state["settings_version"] = version + 1
                st.rerun()
            if right.button("Cancel", key="reset_cancel"):
                st.session_state.pop(RESET, None)
                st.rerun()
    held = st.session_state.get(UNDO)
    if held and held[0] == program_id:
        left, right = st.columns([3, 1], vertical_alignment="center")
        left.success("Settings reset to the defaults; the objective and goals were kept.")
        if right.button("Undo reset", key="reset_undo"):
            st.session_state.pop(UNDO, None)
            _save(program_id, held[1])
            st.session_state["settings_version"] = version + 1
            st.rerun()


@st.fragment
def _tuning(program_id: int) -> None:
    # A fragment: moving a slider reruns only this part, and saving needs no rerun at all.
    config = settings(program_id)
    version = st.session_state.get("settings_version", 0)
    name = preset_name(config.weights)
    st.caption(f"Current weighting: {name or 'custom'}.")
    with st.container():
        st.subheader("What matters")
        st.caption(
            "How much each aspect counts in a pair's score. Only the proportions matter; "
            "0 ignores it. Changes are saved as you make them."
        )
        weights = {}
        columns = st.columns(2)
        for position, component in enumerate(COMPONENTS):
            label, explanation = WEIGHT_HELP[component]
            weights[component] = columns[position % 2].slider(
                label,
                min_value=0.0,
                max_value=10.0,
                value=float(getattr(config.weights, component)),
                step=0.5,
                key=f"weight_{component}_{version}",
            )
            columns[position % 2].caption(explanation)

        st.subheader("Never allowed")
        left, right = st.columns(2)
        same_institution = left.toggle(
            "Never pair colleagues from the same institution",
            value=config.forbid_same_institution,
            key=f"rule_institution_{version}",
        )
        repeat = left.toggle(
            "Never repeat a past pairing",
            value=config.forbid_repeat_pairs,
            key=f"rule_repeat_{version}",
        )
        language = left.toggle(
            "Require a shared language",
            value=config.require_shared_language,
            key=f"rule_language_{version}",
        )
        meeting = right.toggle(
            "Require a meeting mode both accept",
            value=config.require_compatible_meeting_mode,
            key=f"rule_meeting_{version}",
        )
        limit_tz = right.toggle(
            "Limit the time-zone difference",
            value=config.max_timezone_difference is not None,
            key=f"rule_tz_on_{version}",
        )
        hours = right.number_input(
            "Largest time-zone difference (hours)",
            min_value=0.0,
            max_value=24.0,
            value=float(config.max_timezone_difference or 3.0),
            step=1.0,
            key=f"rule_tz_hours_{version}",
            disabled=not limit_tz,
            help="Used only when the limit above is on.",
        )
        min_score = left.slider(
            "Lowest acceptable score",
            min_value=0.0,
            max_value=1.0,
            value=float(config.min_score),
            step=0.05,
            key=f"rule_min_score_{version}",
            help="Pairs scoring below this are never proposed; 0 accepts any allowed pair.",
        )

        st.subheader("Objective and capacity")
        left, right = st.columns(2)
        objective = left.radio(
            "Objective",
            list(OBJECTIVE_HELP),
            index=list(OBJECTIVE_HELP).index(config.objective),
            format_func=str.capitalize,
            captions=list(OBJECTIVE_HELP.values()),
            key=f"objective_{version}",
        )
        capacity = right.number_input(
            "Mentees per mentor when the mentor did not say",
            min_value=0,
            max_value=20,
            value=int(config.default_capacity),
            step=1,
            key=f"default_capacity_{version}",
        )
        alternatives = right.number_input(
            "Alternatives to show per mentee",
            min_value=0,
            max_value=10,
            value=int(config.n_alternatives),
            step=1,
            key=f"alternatives_{version}",
        )
        new = run_action(
            "Checking the settings",
            lambda: config.with_(
                weights=weights,
                forbid_same_institution=same_institution,
                forbid_repeat_pairs=repeat,
                require_shared_language=language,
                require_compatible_meeting_mode=meeting,
                max_timezone_difference=float(hours) if limit_tz else None,
                min_score=float(min_score),
                objective=objective,
                default_capacity=int(capacity),
                n_alternatives=int(alternatives),
            ),
        )
        if new is not None and new != config:
            _save(program_id, new)
            st.toast("Settings saved.")
        floor = logistics_only_floor((new or config).weights)
        if (new or config).min_score < floor:
            st.info(
                f"With a lowest acceptable score under {floor:.2f}, a pair can rest on "
                "practical fit alone (time zone, language, meeting mode)."
            )
