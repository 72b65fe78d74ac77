"""Settings: what matters (weights), what is never allowed (rules), the objective, capacity."""

from __future__ import annotations

import streamlit as st

from mentoring.model import COMPONENTS, MatchConfig
from mentoring.review import PRESETS, WEIGHT_HELP, apply_preset, preset_name
from ui.common import current_program, run_action, settings, store

__all__ = ["OBJECTIVE_HELP", "show"]

OBJECTIVE_HELP = {
    "coverage": "Match as many mentees as possible (priority mentees first), then the best total.",
    "quality": "The best total score, even if a few more mentees stay unmatched.",
    "egalitarian": "As many mentees as possible, then make the weakest pair as good as possible.",
    "stable": "No mentee and mentor would both rather be with each other than their partners.",
}


def _save(program_id: int, config: MatchConfig) -> None:
    run_action("Saving the settings", lambda: store().save_settings(program_id, config))


def show() -> None:
    """Draw the Settings page."""
    program = current_program()
    st.title("Settings")
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
        _save(program.id, MatchConfig())
        st.session_state["settings_version"] = version + 1
        st.rerun()
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
            _save(program.id, new)
            st.toast("Settings saved.")
            st.rerun()
    st.caption("Next step: **Review**, then press Find matches.")
