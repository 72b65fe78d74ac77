"""Before the files go out: pending pairs, missing emails, weak pairs, an out-of-date run.

>>> PREFLIGHT_COLUMNS
('check', 'count', 'detail')
"""

from __future__ import annotations

import pandas as pd

from mentoring.services.run_view import Freshness

__all__ = ["PREFLIGHT_COLUMNS", "preflight"]

PREFLIGHT_COLUMNS: tuple[str, ...] = ("check", "count", "detail")
"""Columns of :func:`preflight`: one row per thing to look at before sending; none when ready."""


def preflight(pairs: pd.DataFrame, rows: pd.DataFrame, fresh: Freshness) -> pd.DataFrame:
    """What to look at before downloading and sending: one row per problem found.

    Parameters
    ----------
    pairs : pandas.DataFrame
        :func:`mentoring.outputs.export.pairs_table` of the run (names, emails).
    rows : pandas.DataFrame
        :func:`mentoring.services.decisions.review_rows` (status, flag).
    fresh : Freshness
        Whether the run is out of date.

    Returns
    -------
    pandas.DataFrame
        :data:`PREFLIGHT_COLUMNS`; empty when everything is ready.

    Examples
    --------
    >>> pairs = pd.DataFrame({"mentee_id": ["e"], "mentee_name": ["Eve"], "mentee_email": [""],
    ...     "mentor_id": ["r"], "mentor_name": ["Rob"], "mentor_email": ["rob@x.org"]})
    >>> rows = pd.DataFrame({"status": ["pending"], "flag": [""], "in_run": [True]})
    >>> preflight(pairs, rows, Freshness(False, False, ""))["check"].tolist()
    ['Pairs not yet approved or locked', 'Members without an email address']
    """
    found = []
    in_run = rows.loc[rows["in_run"]] if "in_run" in rows else rows
    pending = int((in_run["status"] == "pending").sum())
    if fresh.stale:
        found.append(("The run is out of date", 1, fresh.sentence))
    if pending:
        found.append(
            (
                "Pairs not yet approved or locked",
                pending,
                "Review them on the Review page (or approve every good pair at once there).",
            )
        )
    missing = []
    for side, other in (("mentee", "mentor"), ("mentor", "mentee")):
        blank = pairs.loc[pairs[f"{side}_email"].astype(str).str.strip() == ""]
        for _member_id, group in blank.groupby(f"{side}_id", sort=True):
            name = str(group[f"{side}_name"].iloc[0])
            partners = len(group)
            missing.append(f"{name} ({side}, {partners} {other}{'' if partners == 1 else 's'})")
    if missing:
        found.append(
            (
                "Members without an email address",
                len(missing),
                "Their introductions and mail-merge rows will have no address: "
                + "; ".join(missing)
                + ".",
            )
        )
    weak = int((in_run["flag"] != "").sum()) if "flag" in in_run else 0
    if weak:
        found.append(
            (
                "Weak pairs",
                weak,
                "Pairs with a low score or only practical fit; filter by \u201cflagged\u201d "
                "on the Review page.",
            )
        )
    return pd.DataFrame(found, columns=list(PREFLIGHT_COLUMNS))
