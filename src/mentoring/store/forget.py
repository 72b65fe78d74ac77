"""The right to be forgotten: a member removed from every table, their decisions, runs and
settings, and from other rows' free text that quotes them.

Issue messages quote what members typed, misspellings included ("read the choice 'Zebedee
Quackenbsh' as Zebedee Quackenbush (zq-1)"). An issue that names the forgotten member loses
every quotation in it, and any quotation close to their name is removed wherever it appears:

>>> scrub = _issue_scrubber(_scrubber({"Zebedee Quackenbush", "zq-1"}), {"Zebedee Quackenbush"})
>>> scrub("read the choice 'Zebedee Quackenbsh' as Zebedee Quackenbush (zq-1).")
"read the choice '[removed member]' as [removed member] ([removed member])."
>>> scrub("no mentor matches the choice 'Zebedee Quakenbush'; it was left out.")
"no mentor matches the choice '[removed member]'; it was left out."
>>> scrub("no mentor matches the choice 'Ruth Okafor'; it was left out.")
"no mentor matches the choice 'Ruth Okafor'; it was left out."
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mentoring.model.errors import Issue
from mentoring.model.questions import QUESTION_PREFIX
from mentoring.store.codec import _dumps, frame_from_json, frame_to_json
from mentoring.store.log import _log

__all__ = []

REMOVED = "[removed member]"
"""What a deleted member's name, email or id becomes inside other rows' free text."""


# Free-text columns may mention another member by name ("prefers Jane Doe"); identifier and name
# columns are never rewritten, because a whole-word match there would corrupt someone else's data.
_FREE_TEXT_COLUMNS = frozenset({"notes", "reasons", "reason", "explanation"})


_ID_LIST_COLUMNS = frozenset({"past_partners", "preferred_mentors"})


def _free_text(column: Any) -> bool:
    # The form's own questions (``q:`` columns) are answers too: "please pair me with ...".
    return column in _FREE_TEXT_COLUMNS or str(column).startswith(QUESTION_PREFIX)


REMOVED_NOTE = "A member was removed after this run."
"""The note a run gets when one of its members is forgotten (never who)."""


ORPHAN_REASON = (
    "Their mentor was removed from the program after this run. Press Re-solve to find them "
    "another mentor."
)
"""Why a mentee whose mentor was forgotten is listed as unmatched in that run."""


def _delete_member(
    conn: sqlite3.Connection, program_id: int, member_id: str, *, now: str = "", by: str = ""
) -> int:
    changed = 0
    # A bare number or a two-letter code is not personal on its own, and replacing it as a
    # word would mangle unrelated text ("rank 1"); ids derived from names or emails are.
    identifying_id = len(member_id) >= 3 and any(c.isalpha() for c in member_id)
    words = {member_id} if identifying_id else set()
    member_row = conn.execute(
        "SELECT people, issues FROM member_sets WHERE program_id = ?", (program_id,)
    ).fetchone()
    people = issues = None
    if member_row is not None:
        people = frame_from_json(member_row[0])
        issues = [Issue(**data) for data in json.loads(member_row[1])]
        words |= _identifying_text(people, "member_id", member_id, ("name", "email"))
    runs = conn.execute(
        "SELECT id, pairs, unmatched, config, members, extras FROM runs WHERE program_id = ? "
        "ORDER BY id",
        (program_id,),
    ).fetchall()
    decoded_runs = []
    for run_id, pairs_json, unmatched_json, config_json, members_json, extras_json in runs:
        pairs, unmatched = frame_from_json(pairs_json), frame_from_json(unmatched_json)
        snapshot = None if members_json is None else frame_from_json(members_json)
        words |= _identifying_text(pairs, "mentee_id", member_id, ("mentee_name", "mentee_email"))
        words |= _identifying_text(pairs, "mentor_id", member_id, ("mentor_name", "mentor_email"))
        words |= _identifying_text(unmatched, "member_id", member_id, ("name", "email"))
        if snapshot is not None:
            words |= _identifying_text(snapshot, "member_id", member_id, ("name", "email"))
        decoded_runs.append(
            (run_id, pairs, unmatched, config_json, snapshot, members_json, extras_json)
        )
    scrub = _scrubber(words)
    names = _names(people, member_id) | {
        w for w in words if "@" not in w and w != member_id and any(c.isalpha() for c in w)
    }
    scrub_issue = _issue_scrubber(scrub, names)

    if people is not None and issues is not None:
        kept_people = people.loc[people["member_id"] != member_id]
        kept_issues = [i for i in issues if i.member_id != member_id]
        new_people = _scrub_frame(kept_people, scrub, member_id)
        new_issues = [_scrub_issue(i, scrub, scrub_issue) for i in kept_issues]
        removed = (len(people) - len(kept_people)) + (len(issues) - len(kept_issues))
        people_json, issues_json = (
            frame_to_json(new_people),
            _dumps([dataclasses.asdict(i) for i in new_issues]),
        )
        if removed or people_json != member_row[0] or new_issues != issues:
            conn.execute(
                "UPDATE member_sets SET people = ?, issues = ? WHERE program_id = ?",
                (people_json, issues_json, program_id),
            )
            changed += max(removed, 1)

    for run_id, pairs, unmatched, config_json, snapshot, members_json, extras_json in decoded_runs:
        kept_pairs = pairs.loc[
            (pairs["mentee_id"] != member_id) & (pairs["mentor_id"] != member_id)
        ]
        kept_unmatched = unmatched.loc[unmatched["member_id"] != member_id]
        # A mentee whose mentor is forgotten has no mentor in this run any more: say so,
        # instead of letting them vanish from both the pairs and the unmatched list.
        orphans = pairs.loc[(pairs["mentor_id"] == member_id) & (pairs["mentee_id"] != member_id)]
        if len(orphans):
            kept_unmatched = pd.concat(
                [kept_unmatched, _orphaned(orphans, kept_unmatched.columns)], ignore_index=True
            )
        new_pairs = _scrub_frame(kept_pairs, scrub, member_id)
        new_unmatched = _scrub_frame(kept_unmatched, scrub, member_id)
        new_config = _drop_pairs_with(config_json, member_id)
        new_members = members_json
        if snapshot is not None:
            kept_snapshot = snapshot.loc[snapshot["member_id"] != member_id]
            new_members = frame_to_json(_scrub_frame(kept_snapshot, scrub, member_id))
        new_extras = _scrub_extras(extras_json, scrub, member_id, scrub_issue)
        removed = (len(pairs) - len(kept_pairs)) + (len(unmatched) - len(kept_unmatched))
        if (
            removed
            or not new_pairs.equals(pairs)
            or not new_unmatched.equals(unmatched)
            or new_config != config_json
            or new_members != members_json
            or new_extras != extras_json
        ):
            conn.execute(
                "UPDATE runs SET pairs = ?, unmatched = ?, config = ?, n_pairs = ?, "
                "n_unmatched = ?, members = ?, extras = ?, note = ? WHERE id = ?",
                (
                    frame_to_json(new_pairs),
                    frame_to_json(new_unmatched),
                    new_config,
                    len(new_pairs),
                    len(new_unmatched),
                    new_members,
                    new_extras,
                    REMOVED_NOTE,
                    run_id,
                ),
            )
            changed += max(removed, 1)

    settings = conn.execute(
        "SELECT config FROM settings WHERE program_id = ?", (program_id,)
    ).fetchone()
    if settings is not None:
        new_config = _drop_pairs_with(settings[0], member_id)
        if new_config != settings[0]:
            conn.execute(
                "UPDATE settings SET config = ? WHERE program_id = ?", (new_config, program_id)
            )
            changed += 1

    cursor = conn.execute(
        "DELETE FROM decisions WHERE program_id = ? AND (mentee_id = ? OR mentor_id = ?)",
        (program_id, member_id, member_id),
    )
    changed += cursor.rowcount
    # The log keeps that a member was removed, never who.
    conn.execute(
        "DELETE FROM decision_log WHERE program_id = ? AND (mentee_id = ? OR mentor_id = ?)",
        (program_id, member_id, member_id),
    )
    for log_id, detail in conn.execute(
        "SELECT id, detail FROM decision_log WHERE program_id = ? AND detail != ''", (program_id,)
    ).fetchall():
        if scrub(detail) != detail:
            conn.execute("UPDATE decision_log SET detail = ? WHERE id = ?", (scrub(detail), log_id))
    if changed:
        _log(conn, program_id, "member removed", at=now, by=by, detail=REMOVED_NOTE)
    return changed


def _orphaned(orphans: pd.DataFrame, columns: pd.Index) -> pd.DataFrame:
    rows = pd.DataFrame(
        {
            "member_id": orphans["mentee_id"].to_numpy(),
            "name": orphans.get("mentee_name", orphans["mentee_id"]).to_numpy(),
            "email": orphans.get("mentee_email", pd.Series("", index=orphans.index)).to_numpy(),
            "role": "mentee",
            "reason": ORPHAN_REASON,
        }
    )
    return rows.reindex(columns=list(columns) or list(rows.columns))


def _scrub_extras(
    text: str | None,
    scrub: Callable[[str], str],
    member_id: str,
    scrub_issue: Callable[[str], str] | None = None,
) -> str | None:
    if not text:
        return text
    data = json.loads(text)
    for value in data.values():
        if "$frame" in value:
            frame = frame_from_json(value["$frame"])
            for column in ("mentee_id", "mentor_id", "member_id"):
                if column in frame.columns:
                    frame = frame.loc[frame[column] != member_id]
            value["$frame"] = frame_to_json(_scrub_frame(frame, scrub, member_id))
        else:
            inner = _plain_json(value["$value"])
            if isinstance(inner, list):
                inner = [
                    v
                    for v in inner
                    if not (isinstance(v, dict) and v.get("member_id") == member_id)
                ]
                if scrub_issue is not None:
                    # Issues saved with the run (dicts with a message) quote typed text too.
                    inner = [
                        _scrub_issue_dict(v, scrub, scrub_issue)
                        if isinstance(v, dict) and isinstance(v.get("message"), str)
                        else v
                        for v in inner
                    ]
            value["$value"] = _scrub_value(inner, scrub)
    new = _dumps(data)
    return text if json.loads(new) == json.loads(text) else new


_QUOTED = re.compile(r"""(?<!\w)(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")(?!\w)""")
"""A quotation inside an issue message, as ``repr`` writes one ('text' or "it's")."""


def _name_key(text: str) -> str:
    plain = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def _names(people: pd.DataFrame | None, member_id: str) -> set[str]:
    if people is None or "name" not in people.columns:
        return set()
    rows = people.loc[people["member_id"] == member_id, "name"]
    return {v for v in rows if isinstance(v, str) and v.strip()}


def _close_to(names: set[str]) -> Callable[[str], bool]:
    """Whether a quoted piece of text looks like one of ``names``, misspelt or not: its whole
    (ratio 0.8, the reader's own cut-off for a fuzzy match) or, for one word, their surname."""
    keys = {k for k in map(_name_key, names) if k}
    surnames = {k.split()[-1] for k in keys if len(k.split()) > 1 and len(k.split()[-1]) >= 4}

    def close(text: str) -> bool:
        key = _name_key(text)
        if len(key) < 3:
            return False
        if any(difflib.SequenceMatcher(None, key, k).ratio() >= 0.8 for k in keys):
            return True
        return " " not in key and any(
            difflib.SequenceMatcher(None, key, s).ratio() >= 0.85 for s in surnames
        )

    return close


def _issue_scrubber(scrub: Callable[[str], str], names: set[str]) -> Callable[[str], str]:
    """Scrub an issue's text: the member's name, email and id, every quotation in a message
    that names them, and any quotation that looks like their name (a misspelling)."""
    close = _close_to(names)

    def quoted(match: re.Match[str], everything: bool) -> str:
        text = match.group()
        return f"'{REMOVED}'" if everything or close(text[1:-1]) else text

    def scrub_issue(text: str) -> str:
        if not text:
            return text
        scrubbed = scrub(text)
        named = scrubbed != text
        return _QUOTED.sub(lambda m: quoted(m, named), scrubbed)

    return scrub_issue


def _scrub_issue(
    issue: Issue, scrub: Callable[[str], str], scrub_issue: Callable[[str], str]
) -> Issue:
    data = _scrub_issue_dict(dataclasses.asdict(issue), scrub, scrub_issue)
    return dataclasses.replace(issue, message=data["message"], hint=data["hint"])


def _scrub_issue_dict(
    data: dict[str, Any], scrub: Callable[[str], str], scrub_issue: Callable[[str], str]
) -> dict[str, Any]:
    """An issue (as a dict) scrubbed; when its message names the member, so is its hint."""
    message, hint = str(data.get("message", "")), str(data.get("hint", "") or "")
    named = scrub(message) != message or scrub(hint) != hint
    out = dict(data)
    if named:
        out["message"] = _QUOTED.sub(f"'{REMOVED}'", scrub(message))
        out["hint"] = _QUOTED.sub(f"'{REMOVED}'", scrub(hint))
    else:
        out["message"], out["hint"] = scrub_issue(message), scrub_issue(hint)
    if "hint" not in data:
        out.pop("hint")
    return out


def _plain_json(value: Any) -> Any:
    # JSON lists become tuples for the scrubber and back to lists in the dump; dicts recurse.
    if isinstance(value, dict):
        return {k: _plain_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_json(v) for v in value]
    return value


def _identifying_text(
    frame: pd.DataFrame, id_column: str, member_id: str, columns: Sequence[str]
) -> set[str]:
    if id_column not in frame.columns:
        return set()
    rows = frame.loc[frame[id_column] == member_id]
    found = set()
    for column in columns:
        if column in rows.columns:
            found |= {v for v in rows[column] if isinstance(v, str) and v.strip()}
    return found


def _scrubber(words: set[str]) -> Callable[[str], str]:
    # Longest first, so a full name is replaced before a shorter word inside it.
    ordered = sorted({w.strip() for w in words if w.strip()}, key=lambda w: (-len(w), w))
    if not ordered:
        return lambda text: text
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in ordered), re.IGNORECASE)
    return lambda text: pattern.sub(REMOVED, text) if text else text


def _scrub_frame(frame: pd.DataFrame, scrub: Callable[[str], str], member_id: str) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if column in _ID_LIST_COLUMNS and out[column].dtype == object:
            out[column] = _map_cells(
                out[column],
                lambda v: tuple(x for x in v if x != member_id) if isinstance(v, tuple) else v,
            )
        elif _free_text(column) and out[column].dtype == object:
            out[column] = _map_cells(out[column], lambda v: _scrub_value(v, scrub))
        elif _free_text(column) and isinstance(out[column].dtype, pd.StringDtype):
            dtype = out[column].dtype
            out[column] = out[column].map(lambda v: v if pd.isna(v) else scrub(v)).astype(dtype)
    return out


def _scrub_value(value: Any, scrub: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {k: _scrub_value(v, scrub) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(_scrub_value(v, scrub) for v in value)
    if isinstance(value, list):
        return [_scrub_value(v, scrub) for v in value]
    return value


def _map_cells(series: pd.Series, function: Callable[[Any], Any]) -> pd.Series:
    array = np.empty(len(series), dtype=object)
    for position, value in enumerate(series.to_numpy()):
        array[position] = function(value)
    return pd.Series(array, index=series.index, dtype=object)


def _drop_pairs_with(config_json: str, member_id: str) -> str:
    data = json.loads(config_json)
    for key in ("locked_pairs", "forbidden_pairs"):
        if key in data:
            data[key] = [p for p in data[key] if member_id not in p]
    new = _dumps(data)
    # Unchanged settings keep their exact text, so nothing is rewritten needlessly.
    return config_json if json.loads(new) == json.loads(config_json) else new
