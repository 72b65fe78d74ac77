"""One run as every page shows it: its result, the members it was made from, who is really
unmatched (:func:`~mentoring.outputs.standing.member_standing`), its headline, and whether the
members or settings changed since.

Review, Insights and Export all draw from :func:`open_run`, so they always agree with one run.

>>> Freshness(False, True, "The settings changed since this run.").stale
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from mentoring.model.config import MatchConfig
from mentoring.model.results import MatchResult
from mentoring.outputs.standing import ONE_SIDED_COLUMNS, STANDING_COLUMNS, member_standing
from mentoring.services.runs import Headline

if TYPE_CHECKING:
    from mentoring.store.db import Store
    from mentoring.store.records import Run

__all__ = [
    "ONE_SIDED_COLUMNS",
    "STANDING_COLUMNS",
    "Freshness",
    "RunView",
    "freshness",
    "member_standing",
    "open_run",
    "run_headline",
]


@dataclass(frozen=True)
class Freshness:
    """Whether a run still describes the program: ``sentence`` is ``""`` when it does."""

    members_changed: bool
    settings_changed: bool
    sentence: str

    @property
    def stale(self) -> bool:
        """Whether the members or the settings changed since the run."""
        return self.members_changed or self.settings_changed


def freshness(run: Run, members_digest: str, settings: MatchConfig | None) -> Freshness:
    """Compare a run with the program's members (by fingerprint) and settings as they are now.

    Parameters
    ----------
    run : mentoring.store.records.Run
    members_digest : str
        :meth:`~mentoring.store.db.Store.members_digest` now.
    settings : MatchConfig or None
        The program's settings now (``None``: the defaults).

    Returns
    -------
    Freshness

    Examples
    --------
    >>> from mentoring.store.records import Run
    >>> run = Run(1, "then", pd.DataFrame(), pd.DataFrame(), {}, MatchConfig(),
    ...           settings=MatchConfig(), members_digest="abc")
    >>> freshness(run, "abc", MatchConfig()).stale
    False
    >>> freshness(run, "xyz", MatchConfig(min_score=0.2)).sentence
    'The members and the settings changed since this run. Press Re-solve to match again.'
    """
    members = bool(run.note) or bool(run.members_digest and run.members_digest != members_digest)
    changed = run.settings is not None and run.settings != (settings or MatchConfig())
    what = " and ".join(w for w, on in (("the members", members), ("the settings", changed)) if on)
    sentence = ""
    if what:
        sentence = f"{what[0].upper()}{what[1:]} changed since this run."
        if run.note:
            sentence += f" {run.note}"
        sentence += " Press Re-solve to match again."
    return Freshness(members, changed, sentence)


def run_headline(
    people: pd.DataFrame | None,
    pairs: pd.DataFrame,
    alone: pd.DataFrame,
    stats: dict,
    default_capacity: int = 1,
) -> Headline:
    """The Review page's figures computed from the run's pairs as they stand now.

    A pair removed since the run (a member forgotten) is not counted: the figures always
    agree with the pairs table and the unmatched list.

    Parameters
    ----------
    people : pandas.DataFrame or None
        The members the run was made from (``None`` for an old run: the stats are used).
    pairs : pandas.DataFrame
    alone : pandas.DataFrame
        The first table of :func:`member_standing`.
    stats : dict
        The run's saved figures (used for old runs and for ``seconds``).
    default_capacity : int
        Places of a mentor who left it blank.

    Returns
    -------
    Headline

    Examples
    --------
    >>> people = pd.DataFrame({"member_id": ["e1", "e2", "r1"], "role": ["mentee", "mentee", "mentor"],
    ...                        "capacity": [None, None, 1]})
    >>> pairs = pd.DataFrame({"mentee_id": ["e1"], "mentor_id": ["r1"], "score": [0.6]})
    >>> alone = pd.DataFrame({"member_id": ["e2"], "role": ["mentee"]})
    >>> h = run_headline(people, pairs, alone, {})
    >>> h.mentees_matched, h.mentees, h.mentors_at_capacity, h.unmatched_mentees
    (1, 2, 1, 1)
    """
    roles = alone["role"].tolist() if "role" in alone.columns else []
    scores = pairs["score"].astype(float) if "score" in pairs.columns else pd.Series(dtype=float)
    if people is None or "role" not in people.columns:
        mentees, mentors = int(stats.get("n_mentees", 0)), int(stats.get("n_mentors", 0))
        at_capacity = int(stats.get("mentors_at_capacity", 0))
    else:
        side = people["role"].astype(str)
        mentees = int(side.isin(["mentee", "both"]).sum())
        mentor_rows = people.loc[side.isin(["mentor", "both"])]
        mentors = len(mentor_rows)
        load = pairs["mentor_id"].astype(str).value_counts() if len(pairs) else pd.Series()
        capacity = mentor_rows.get("capacity", pd.Series(pd.NA, index=mentor_rows.index))
        at_capacity = 0
        for member, places in zip(mentor_rows["member_id"].astype(str), capacity, strict=True):
            places = default_capacity if pd.isna(places) else int(places)
            at_capacity += int(places > 0 and int(load.get(member, 0)) >= places)
    return Headline(
        mentees_matched=int(pairs["mentee_id"].nunique()) if len(pairs) else 0,
        mentees=mentees,
        mean_score=float(scores.mean()) if len(scores) else 0.0,
        mentors_at_capacity=at_capacity,
        mentors=mentors,
        unmatched_mentees=sum(r in ("mentee", "both") for r in roles),
        unmatched_mentors=sum(r == "mentor" for r in roles),
        seconds=float(stats.get("seconds", 0.0)),
    )


@dataclass(frozen=True, eq=False)
class RunView:
    """Everything a page shows about one run, consistent with itself.

    ``people`` are the members the run was made from (the current members for runs saved
    before runs kept them); ``alone`` and ``one_sided`` come from :func:`member_standing`.
    """

    run: Run
    result: MatchResult
    people: pd.DataFrame
    alone: pd.DataFrame
    one_sided: pd.DataFrame
    headline: Headline


def open_run(
    store: Store, program_id: int, run_id: int | None = None, *, people: pd.DataFrame | None = None
) -> RunView | None:
    """A run of the program (the latest by default) as every page shows it.

    The finished result saved with the run is reopened as it was, so this never matches
    again for runs saved by :func:`~mentoring.services.runs.find_matches`.

    Parameters
    ----------
    store : mentoring.store.db.Store
    program_id : int
    run_id : int, optional
    people : pandas.DataFrame, optional
        The program's current members, used only for a run saved without its own.

    Returns
    -------
    RunView or None
        ``None`` before the first run.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from mentoring.store.db import Store
    >>> from mentoring.reading.synthetic import random_people
    >>> from mentoring.services.runs import find_matches
    >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
    >>> program = store.create_program("A")
    >>> _ = find_matches(store, program.id, random_people(4, 3, seed=1), MatchConfig())
    >>> view = open_run(store, program.id)
    >>> view.headline.mentees_matched == len(view.result.pairs)
    True
    """
    from mentoring.services.runs import restore_result

    run = store.latest_run(program_id) if run_id is None else store.get_run(program_id, run_id)
    if run is None:
        return None
    members = run.people
    if members is None:
        members = people if people is not None else store.load_members(program_id)[0]
    result = restore_result(members, run)
    alone, one_sided = member_standing(run.pairs, run.unmatched)
    headline = run_headline(
        run.people, run.pairs, alone, run.stats, int(run.config.default_capacity)
    )
    return RunView(run, result, members, alone, one_sided, headline)
