"""The coordinator's word on any column: checked, then applied to profiles and criteria.

The shape is that of a TOML ``[questions."Header text"]`` table: ``use``, ``field``, ``kind``,
``pairs_with`` (a header or a list), ``weight``, ``levels`` (lowest first), ``direction``,
``min_above``, ``max_above``.

>>> check_overrides({"Grade": {"levels": ["EO", "HEO"]}})
{'grade': {'levels': ('EO', 'HEO')}}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from mentoring.model.errors import ConfigError
from mentoring.model.questions import KINDS, QUESTION_PREFIX, USES, ColumnProfile, Criterion
from mentoring.reading.mapping import normalise_header

__all__ = ["OVERRIDE_KEYS", "check_overrides"]


OVERRIDE_KEYS: tuple[str, ...] = (
    "use",
    "field",
    "kind",
    "pairs_with",
    "weight",
    "levels",
    "direction",
    "min_above",
    "max_above",
)
"""What a coordinator may set per header (``load_members(questions=...)``, ``[questions]``)."""


def check_overrides(
    overrides: Mapping[str, Mapping[str, Any]] | None,
) -> dict[str, dict[str, Any]]:
    """The coordinator's settings per header, checked, keyed by the normalised header.

    Examples
    --------
    >>> check_overrides({"Your grade": {"levels": ["EO", "HEO"], "pairs_with": "Grade?"}})
    {'your grade': {'levels': ('EO', 'HEO'), 'pairs_with': ('Grade?',)}}
    >>> check_overrides({"X": {"colour": "red"}})
    Traceback (most recent call last):
    ...
    mentoring.model.errors.ConfigError: question 'X': unknown setting(s) colour; known: use, field, kind, pairs_with, weight, levels, direction, min_above, max_above
    """
    out: dict[str, dict[str, Any]] = {}
    for header, changes in (overrides or {}).items():
        if not isinstance(changes, Mapping):
            raise ConfigError(f"question {header!r}: expected a table of settings, got {changes!r}")
        unknown = sorted(set(changes) - set(OVERRIDE_KEYS))
        if unknown:
            raise ConfigError(
                f"question {header!r}: unknown setting(s) {', '.join(unknown)}; known: "
                f"{', '.join(OVERRIDE_KEYS)}"
            )
        clean = dict(changes)
        if "use" in clean and clean["use"] not in USES:
            raise ConfigError(f"question {header!r}: use must be one of {', '.join(USES)}")
        if "kind" in clean and clean["kind"] not in KINDS:
            raise ConfigError(f"question {header!r}: kind must be one of {', '.join(KINDS)}")
        for key in ("pairs_with", "levels"):
            if key in clean:
                value = clean[key]
                clean[key] = (value,) if isinstance(value, str) else tuple(str(v) for v in value)
        out[normalise_header(str(header))] = clean
    return out


def _override(p: ColumnProfile, changes: Mapping[str, Any] | None) -> ColumnProfile:
    if not changes:
        return p
    update: dict[str, Any] = {}
    for key in ("use", "field", "kind", "levels"):
        if key in changes:
            update[key] = changes[key]
    # Pairing a column with another makes it a matching question, whatever it was read as.
    if changes.get("pairs_with") and p.use != "question" and "use" not in update:
        update["use"] = "question"
        update.setdefault(
            "kind", p.kind if p.kind in ("overlap", "same", "ordinal", "free_text") else "overlap"
        )
        update.setdefault("field", "")
    if not update:
        return p
    if (
        "use" in update
        and update["use"]
        not in ("question", "availability", "acceptability", "wants_shared_identity")
        and "kind" not in update
    ):
        update["kind"] = None
    if update.get("use") == "question" and "kind" not in update and p.kind is None:
        update["kind"] = "same"
    if "field" not in update and "use" in update:
        update["field"] = _default_field(str(update["use"]), p.field)
    return replace(p, **update, confidence=1.0, evidence="set by the coordinator")


def _default_field(use: str, current: str) -> str:
    return {
        "id": "member_id",
        "name": "name",
        "first_name": "first_name",
        "last_name": "last_name",
        "email": "email",
        "role": "role",
        "capacity": "capacity",
        "choices": "preferred_mentors",
        "organisation": "institution",
        "identity": "identities",
        "priority": "priority",
        "history": "past_partners",
        "wants_shared_identity": "identity_wants_match",
    }.get(use, current if use == "question" and not current.startswith(QUESTION_PREFIX) else "")


def _apply_criterion_overrides(
    criteria: list[Criterion], overrides: Mapping[str, Mapping[str, Any]]
) -> list[Criterion]:
    out = []
    for c in criteria:
        changes: dict[str, Any] = {}
        for header in c.headers:
            for key, value in overrides.get(normalise_header(header), {}).items():
                if key in ("weight", "direction", "min_above", "max_above"):
                    changes[key] = value
                elif key == "levels" and c.kind == "ordinal":
                    changes["levels"] = tuple(value)
                elif key == "kind" and value != c.kind and c.mentee_column == c.mentor_column:
                    changes["kind"] = value
        if changes:
            try:
                c = replace(c, **changes)
            except (TypeError, ValueError) as exc:
                raise ConfigError(f"question {c.name!r}: {exc}") from exc
        out.append(c)
    return out
