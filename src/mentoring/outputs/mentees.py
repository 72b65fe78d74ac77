"""The per-mentee view of a match: one row per mentee, their mentors side by side.

``MatchResult.pairs`` has one row per pair, so a mentee with two mentors has two rows; this is
the view a coordinator sends to mentees, or checks at a glance that everyone has what they
asked for.

>>> import pandas as pd
>>> from types import SimpleNamespace
>>> pairs = pd.DataFrame({"mentee_id": ["e1", "e1"], "mentee_name": ["Eve", "Eve"],
...     "mentee_email": ["e@x.org"] * 2, "mentor_id": ["r1", "r2"], "mentor_name": ["Rui", "Ria"],
...     "mentor_email": ["r1@x.org", "r2@x.org"], "score": [0.5, 0.25],
...     "track": ["career", "identity"]})
>>> unmatched = pd.DataFrame(columns=["member_id", "name", "email", "role", "reason"])
>>> view = mentee_view(SimpleNamespace(pairs=pairs, unmatched=unmatched))
>>> view[["mentee_name", "n_mentors", "mentors", "tracks"]].values.tolist()
[['Eve', 2, 'Rui; Ria', 'career; identity']]
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["MENTEE_VIEW_COLUMNS", "mentee_view"]

MENTEE_VIEW_COLUMNS: tuple[str, ...] = (
    "mentee_id",
    "mentee_name",
    "mentee_email",
    "n_mentors",
    "mentors",
    "mentor_ids",
    "mentor_emails",
    "tracks",
    "mean_score",
    "note",
)
"""Columns of :func:`mentee_view`; lists inside a cell are joined with ``"; "``."""


def mentee_view(result: Any) -> pd.DataFrame:
    """One row per mentee: how many mentors, who, under which tracks, and why none if none.

    Parameters
    ----------
    result : MatchResult
        Reads ``result.pairs`` (mentors in the order of the pairs table) and
        ``result.unmatched`` (mentees without a mentor get a row with the reason).

    Returns
    -------
    pandas.DataFrame
        :data:`MENTEE_VIEW_COLUMNS`, sorted by mentee name then id.
    """
    pairs = result.pairs
    tracks = pairs["track"] if "track" in pairs.columns else pd.Series([""] * len(pairs))
    rows = []
    for mentee, group in pairs.assign(track=tracks.fillna("").astype(str)).groupby(
        "mentee_id", sort=False
    ):
        rows.append(
            {
                "mentee_id": mentee,
                "mentee_name": group["mentee_name"].iloc[0],
                "mentee_email": group["mentee_email"].iloc[0],
                "n_mentors": len(group),
                "mentors": "; ".join(map(str, group["mentor_name"])),
                "mentor_ids": "; ".join(map(str, group["mentor_id"])),
                "mentor_emails": "; ".join(map(str, group["mentor_email"])),
                "tracks": "; ".join(t for t in group["track"] if t),
                "mean_score": float(group["score"].mean()),
                "note": "",
            }
        )
    for record in result.unmatched.itertuples(index=False):
        if record.role != "mentee":
            continue
        rows.append(
            {
                "mentee_id": record.member_id,
                "mentee_name": record.name,
                "mentee_email": record.email,
                "n_mentors": 0,
                "mentors": "",
                "mentor_ids": "",
                "mentor_emails": "",
                "tracks": "",
                "mean_score": float("nan"),
                "note": record.reason,
            }
        )
    view = pd.DataFrame(rows, columns=list(MENTEE_VIEW_COLUMNS))
    return view.sort_values(["mentee_name", "mentee_id"], kind="stable", ignore_index=True)
