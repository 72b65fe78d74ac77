"""Random but realistic people tables, for tests, benchmarks and trying the tool.

Interest tags follow a Zipf-like popularity over a fixed vocabulary (as real signup forms do:
a few areas are chosen by many members), capacities are 1-4, and every field of the people table
is filled with plausible values, so every score component and rule is exercised.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mentoring.model.people import CAREER_STAGES, MEETING_MODES, PEOPLE_COLUMNS

__all__ = ["random_people"]

_AREAS = (
    "cataloging and metadata",
    "youth services",
    "instruction",
    "outreach",
    "digital collections",
    "intellectual freedom",
    "leadership and management",
    "diversity, equity and inclusion",
    "advocacy",
    "grant writing",
    "archives",
    "systems and technology",
    "collection development",
    "accessibility",
    "research and assessment",
)


_DIVISIONS = ("acrl", "pla", "alsc", "yalsa", "aasl", "core", "rusa", "nmrt", "gncrt")


_LIBRARY_TYPES = ("academic", "public", "school", "special")


_IDENTITIES = ("bipoc", "lgbtq+", "disability", "first-generation", "woman")


def _tag_sets(rng: np.random.Generator, n: int, vocabulary: list[str], low: int, high: int) -> list:
    popularity = 1.0 / np.arange(1, len(vocabulary) + 1)
    popularity /= popularity.sum()
    sizes = rng.integers(low, high + 1, size=n)
    draws = rng.choice(len(vocabulary), size=(n, high), p=popularity)
    return [tuple(sorted({vocabulary[k] for k in draws[i, : sizes[i]]})) for i in range(n)]


def random_people(
    n_mentees: int,
    n_mentors: int,
    *,
    n_both: int = 0,
    seed: int = 0,
    n_tags: int = 200,
    n_institutions: int | None = None,
) -> pd.DataFrame:
    """A people table with ``n_mentees`` mentees, ``n_mentors`` mentors and ``n_both`` members
    open to both roles.

    Parameters
    ----------
    n_mentees, n_mentors, n_both : int
        How many members of each role.
    seed : int
        Seed of the random generator: the same seed gives the same table.
    n_tags : int
        Size of the interest vocabulary (the 15 real areas first, then numbered topics).
    n_institutions : int, optional
        How many distinct institutions (default: about one per three members).

    Returns
    -------
    pandas.DataFrame
        With exactly ``mentoring.model.people.PEOPLE_COLUMNS``.

    Examples
    --------
    >>> people = random_people(3, 2, n_both=1, seed=1)
    >>> people["role"].value_counts().to_dict()
    {'mentee': 3, 'mentor': 2, 'both': 1}
    >>> random_people(3, 2, seed=1).equals(random_people(3, 2, seed=1))
    True
    """
    rng = np.random.default_rng(seed)
    n = n_mentees + n_mentors + n_both
    roles = np.array(["mentee"] * n_mentees + ["mentor"] * n_mentors + ["both"] * n_both)
    vocabulary = list(_AREAS) + [f"topic {k}" for k in range(max(0, n_tags - len(_AREAS)))]
    vocabulary = vocabulary[: max(n_tags, 1)]
    is_mentor = roles != "mentee"
    stage_index = np.where(is_mentor, rng.integers(2, 5, size=n), rng.integers(0, 3, size=n))
    years = np.where(is_mentor, rng.integers(6, 35, size=n), rng.integers(0, 8, size=n)).astype(
        float
    )
    institutions = n_institutions or max(1, n // 3)
    ids = [f"m{k:06d}" for k in range(n)]
    interests = _tag_sets(rng, n, vocabulary, 5, 10)
    offers = _tag_sets(rng, n, list(_AREAS), 2, 5)
    seeks = _tag_sets(rng, n, list(_AREAS), 1, 3)
    divisions = _tag_sets(rng, n, list(_DIVISIONS), 1, 2)
    identities = _tag_sets(rng, n, list(_IDENTITIES), 0, 2)
    wants_match = rng.random(n) < 0.2
    frame = pd.DataFrame(
        {
            "member_id": ids,
            "name": [f"Member {k}" for k in range(n)],
            "email": [f"member{k}@example.org" for k in range(n)],
            "role": roles,
            "interests": interests,
            "offers": [o if m else () for o, m in zip(offers, is_mentor, strict=True)],
            "seeks": [s if r != "mentor" else () for s, r in zip(seeks, roles, strict=True)],
            "library_type": rng.choice(_LIBRARY_TYPES, size=n),
            "divisions": divisions,
            "chapter": rng.choice(["ohio", "texas", "california", "new york", "illinois"], size=n),
            "career_stage": np.array(CAREER_STAGES)[stage_index],
            "years_experience": years,
            "timezone": rng.choice([-5.0, -6.0, -7.0, -8.0, -10.0], size=n),
            "languages": [
                ("english",) if rng.random() < 0.85 else ("english", "spanish") for _ in range(n)
            ],
            "meeting_mode": rng.choice(MEETING_MODES, size=n),
            "capacity": pd.array(np.where(is_mentor, rng.integers(1, 5, size=n), 1), dtype="Int64"),
            "institution": [f"institution {k}" for k in rng.integers(0, institutions, size=n)],
            "identities": identities,
            "identity_preference": [
                i if (w and r != "mentor") else ()
                for i, w, r in zip(identities, wants_match, roles, strict=True)
            ],
            "priority": (rng.random(n) < 0.05) & (roles != "mentor"),
            "past_partners": [()] * n,
            "preferred_mentors": [()] * n,
            "job_title": "",
            "open_to_peer": rng.random(n) < 0.3,
            "notes": "",
            "mentee_capacity": pd.array([pd.NA] * n, dtype="Int64"),
            "tracks_offered": [()] * n,
            "tracks_wanted": [()] * n,
        }
    )
    return frame[list(PEOPLE_COLUMNS)]
