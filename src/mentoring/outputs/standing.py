"""Who really has no partner in a run, and who is open to both roles but matched on one side.

A member open to both roles appears in a run's unmatched rows once per side they were not
used on; a member who has a mentor but no mentee of their own is matched, never unmatched.

>>> pairs = pd.DataFrame({"mentee_id": ["b1"], "mentor_id": ["r1"], "score": [0.5]})
>>> unmatched = pd.DataFrame({"member_id": ["b1"], "name": ["Bea"], "email": [""],
...                           "role": ["mentor"], "reason": ["no mentee fits"]})
>>> alone, one_sided = member_standing(pairs, unmatched)
>>> len(alone), one_sided["note"].tolist()
(0, ['Open to both; matched as a mentee'])
"""

from __future__ import annotations

import pandas as pd

__all__ = ["ONE_SIDED_COLUMNS", "STANDING_COLUMNS", "member_standing"]

STANDING_COLUMNS: tuple[str, ...] = ("member_id", "name", "role", "reason")
"""Columns of the unmatched list of :func:`member_standing`: members with no partner at all."""

ONE_SIDED_COLUMNS: tuple[str, ...] = ("member_id", "name", "note")
"""Columns of the second table of :func:`member_standing`: members open to both roles who are
matched on one side only."""


def member_standing(
    pairs: pd.DataFrame, unmatched: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Who really has no partner, and who is open to both roles but matched on one side only.

    A member open to both roles who has a mentor but no mentee of their own (or the reverse)
    is matched: they are never listed as unmatched.

    Parameters
    ----------
    pairs : pandas.DataFrame
        The run's pairs (``mentee_id``, ``mentor_id``).
    unmatched : pandas.DataFrame
        The run's unmatched rows (``member_id``, ``name``, ``role``, ``reason``); a member open
        to both roles may have a row per side.

    Returns
    -------
    alone : pandas.DataFrame
        :data:`STANDING_COLUMNS`, one row per member with no partner at all (``role`` is
        ``"both"`` when they were open to both; the reasons of both sides joined).
    one_sided : pandas.DataFrame
        :data:`ONE_SIDED_COLUMNS`: "Open to both; matched as a mentee" (or "as a mentor").
    """
    as_mentee = set(pairs["mentee_id"].astype(str)) if len(pairs) else set()
    as_mentor = set(pairs["mentor_id"].astype(str)) if len(pairs) else set()
    alone_rows: dict[str, dict] = {}
    one_sided: dict[str, dict] = {}
    for row in unmatched.to_dict("records"):
        member = str(row["member_id"])
        name = str(row.get("name", member))
        if member in as_mentee or member in as_mentor:
            side = "mentee" if member in as_mentee else "mentor"
            one_sided[member] = {
                "member_id": member,
                "name": name,
                "note": f"Open to both; matched as a {side}",
            }
            continue
        reason = str(row.get("reason", ""))
        reason = reason[:1].upper() + reason[1:]
        if member in alone_rows:
            held = alone_rows[member]
            held["role"] = "both"
            held["reason"] = (
                f"As a {held['side']}: {held['reason']} As a {row.get('role')}: {reason}"
            )
            continue
        alone_rows[member] = {
            "member_id": member,
            "name": name,
            "role": str(row.get("role", "")),
            "reason": reason,
            "side": str(row.get("role", "")),
        }
    alone = pd.DataFrame(list(alone_rows.values()), columns=[*STANDING_COLUMNS, "side"])
    return (
        alone[list(STANDING_COLUMNS)].reset_index(drop=True),
        pd.DataFrame(list(one_sided.values()), columns=list(ONE_SIDED_COLUMNS)),
    )
