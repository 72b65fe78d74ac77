"""Benchmark case: ``match()`` with one free-text question added (issue 11).

``case_match_free_text(n, m, repeats)`` times ``match()`` on ``random_people(n, m)`` twice in
the same run: as is, and with a free-text answer per member (``q:hopes`` for mentees, ``q:offer``
for mentors, each a distinct sentence or two) scored by one ``free_text`` criterion. It returns
both medians and their ratio, for a row of ``bench/run.py``.
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

SKILLS = (
    "grant writing",
    "public speaking",
    "data analysis",
    "python",
    "statistics",
    "filmmaking",
    "screenwriting",
    "leadership",
    "managing a team",
    "negotiation",
    "salary negotiation",
    "ux design",
    "user research",
    "policy work",
    "academic writing",
    "peer review",
    "budgeting",
    "fundraising",
    "marketing",
    "social media",
    "project management",
    "career change",
    "web development",
    "machine learning",
    "databases",
    "cataloging",
    "metadata",
    "archives",
    "teaching",
    "curriculum design",
    "community outreach",
    "work-life balance",
    "burnout",
    "networking",
    "job interviews",
    "writing a cv",
    "starting a business",
    "investors",
    "pricing",
    "sales",
    "accessibility",
    "copy editing",
    "translation",
    "photography",
    "video editing",
    "podcasting",
    "event planning",
    "volunteer management",
    "board governance",
    "strategic planning",
    "change management",
    "conflict resolution",
    "coaching",
    "mentoring others",
    "time management",
    "presentations",
    "research methods",
    "survey design",
    "open access",
    "digital preservation",
)
NEEDS = (
    "I need help with {a}.",
    "I want to get better at {a} and {b}.",
    "My goal this year is to learn {a}.",
    "I'd love guidance on {a}, especially {b}.",
    "I'm new to {a} and feel stuck.",
    "Could someone show me how to approach {a}?",
)
OFFERS = (
    "I have ten years of experience in {a}.",
    "I teach {a} and {b}.",
    "I have led projects on {a} for a long time.",
    "Happy to share what I know about {a} and {b}.",
    "My work is mostly {a}.",
    "I coach people on {a}.",
)
FILLER = (
    "Happy to meet online.",
    "Evenings suit me best.",
    "Looking forward to it!",
    "I work part time.",
    "I joined last year.",
)


def free_text_answers(count: int, templates: tuple[str, ...], seed: int) -> list[str]:
    """``count`` answers of one or two sentences, sometimes with a line of filler."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        parts = []
        for _ in range(rng.choice((1, 2))):
            a, b = rng.sample(SKILLS, 2)
            parts.append(rng.choice(templates).format(a=a, b=b))
        if rng.random() < 0.3:
            parts.append(rng.choice(FILLER))
        out.append(" ".join(parts))
    return out


def free_text_people(n: int, m: int, seed: int = 20261128) -> Any:
    """``random_people(n, m)`` with a free-text answer per member."""
    from mentoring.reading.synthetic import random_people

    people = random_people(n, m, seed=seed)
    mentee = people["role"].isin(["mentee", "both"]).to_numpy()
    people["q:hopes"] = ""
    people["q:offer"] = ""
    people.loc[mentee, "q:hopes"] = free_text_answers(int(mentee.sum()), NEEDS, seed)
    people.loc[~mentee, "q:offer"] = free_text_answers(int((~mentee).sum()), OFFERS, seed + 1)
    return people


def case_match_free_text(n: int, m: int, repeats: int) -> dict[str, Any]:
    """Median ``match()`` seconds without and with one free-text criterion, and the ratio."""
    from mentoring.engine.freetext import clear_cache
    from mentoring.model.config import MatchConfig
    from mentoring.model.questions import Criterion
    from mentoring.pipeline import match

    people = free_text_people(n, m)
    plain = MatchConfig()
    text = MatchConfig(criteria=(Criterion("goals_text", "free_text", "q:hopes", "q:offer"),))
    times: dict[str, list[float]] = {"plain": [], "free_text": []}
    for _ in range(repeats):
        for name, config in (("plain", plain), ("free_text", text)):
            clear_cache()  # every run embeds the cohort afresh, as a new run would
            began = time.perf_counter()
            result = match(people, config)
            times[name].append(time.perf_counter() - began)
            assert result.audit.ok
    plain_s = statistics.median(times["plain"])
    text_s = statistics.median(times["free_text"])
    return {
        "seconds": plain_s,
        "free_text_seconds": text_s,
        "ratio": text_s / plain_s,
        "repeats": repeats,
    }


if __name__ == "__main__":
    import sys

    size = sys.argv[1] if len(sys.argv) > 1 else "10000x5000"
    n, m = (int(x) for x in size.split("x"))
    print(case_match_free_text(n, m, int(sys.argv[2]) if len(sys.argv) > 2 else 3))
