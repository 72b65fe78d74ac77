"""Ordered answers: the order of a question's levels, lowest first, from known scales or numbers.

>>> order_levels(["Senior Manager", "Associate", "Manager"])[0]
('Associate', 'Manager', 'Senior Manager')
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mentoring.reading.mapping import normalise_header
from mentoring.reading.values import _is_blank, parse_career_stage, parse_years

__all__ = ["order_levels"]


# Ordered scales a form's answers may come from, each a list of (pattern, rank); the first
# pattern that matches an answer gives its rank. Specific patterns come first.
_SCALES: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = (
    (
        "UK civil service grades",
        (
            (r"^aa$|administrative assistant", 0),
            (r"^ao$|administrative officer", 1),
            (r"^eo$|^executive officer", 2),
            (r"^heo$|higher executive officer", 3),
            (r"^seo$|senior executive officer", 4),
            (r"^(grade 7|g7)$", 5),
            (r"^(grade 6|g6)$", 6),
            (r"^scs ?1$|^scs$|deputy director", 7),
            (r"^scs ?2$|^director$", 8),
            (r"^scs ?3$|director general", 9),
            (r"^scs ?4$|permanent secretary", 10),
        ),
    ),
    (
        "academic career levels",
        (
            (r"emerit", 8),
            (r"associate professor|senior lecturer|\breader\b", 5),
            (r"assistant professor|\blecturer\b", 4),
            (r"^(full )?professor$|^prof$|chair professor", 6),
            (r"post ?doc", 3),
            (r"ph ?d|doctoral", 2),
            (r"master|\bmsc\b|\bmphil\b|\bma student", 1),
            (r"undergrad|bachelor", 0),
        ),
    ),
    (
        "job levels",
        (
            (r"\bchief\b|c suite|\bceo\b|\bcto\b|\bcfo\b", 9),
            (r"executive vice president|\bevp\b", 8),
            (r"senior vice president|\bsvp\b", 7.5),
            (r"vice president|\bvp\b", 7),
            (r"senior director", 6.5),
            (r"\bdirector\b|\bhead of\b", 6),
            (r"senior manager", 5),
            (r"\bmanager\b", 4.5),
            (r"senior librarian", 3.8),
            (r"\blead\b|principal", 4),
            (r"senior associate", 3.5),
            (r"\bassociate\b", 3),
            (r"\blibrarian\b|specialist|consultant", 2.5),
            (r"\banalyst\b", 2),
            (r"senior (library )?assistant", 1.5),
            (r"\bassistant\b|\bjunior\b|entry level", 1),
            (r"\bintern\b|trainee|apprentice", 0),
        ),
    ),
    (
        "agreement",
        (
            (r"strongly disagree", 0),
            (r"\bdisagree\b", 1),
            (r"neutral|neither", 2),
            (r"strongly agree", 4),
            (r"\bagree\b", 3),
        ),
    ),
    (
        "importance",
        (
            (r"not (at all )?important|unimportant", 0),
            (r"slightly|a little|somewhat", 1),
            (r"moderately|fairly", 2),
            (r"extremely|essential|critical|vital", 4),
            (r"\bvery\b", 3),
        ),
    ),
    (
        "frequency",
        (
            (r"\bnever\b", 0),
            (r"rarely|seldom", 1),
            (r"sometimes|occasionally", 2),
            (r"\boften\b|frequently|usually", 3),
            (r"always", 4),
        ),
    ),
)


_STAGE_RANK = {"student": 0, "new professional": 1, "mid-career": 2, "senior": 3, "retired": 4}


def _label_number(text: str) -> float | None:
    low = text.casefold()
    if re.search(r"more than|over|above|\+", low):
        found = re.findall(r"\d+(?:\.\d+)?", low)
        return float(found[0]) + 0.5 if found else None
    try:
        return parse_years(low)
    except ValueError:
        return None


def order_levels(values: Sequence[str]) -> tuple[tuple[str, ...], float, str]:
    """Distinct answers in their order, lowest first, with a confidence and the reason.

    Known scales come first (UK civil-service grades, academic and job levels, career stages,
    agreement, importance, frequency); then numbers in the labels ("0-2", "3-5", "More than
    10"). Answers no rule orders come back in order of first appearance with confidence 0.

    Examples
    --------
    >>> order_levels(["HEO", "Grade 7", "AA", "SCS1", "HEO"])[0]
    ('AA', 'HEO', 'Grade 7', 'SCS1')
    >>> order_levels(["6-10", "0-2", "More than 10", "3-5"])[0]
    ('0-2', '3-5', '6-10', 'More than 10')
    """
    shown: dict[str, str] = {}
    # Each distinct answer once, in order of first appearance (a column repeats a few answers).
    for v in dict.fromkeys(values):
        if not _is_blank(v):
            shown.setdefault(" ".join(v.casefold().split()), " ".join(v.split()))
    keys = list(shown)
    if not keys:
        return (), 0.0, "no answers"
    for name, scale in _SCALES:
        ranks: dict[str, float] = {}
        for key in keys:
            text = normalise_header(key)
            rank = next((r for pattern, r in scale if re.search(pattern, text)), None)
            if rank is None:
                break
            ranks[key] = rank
        else:
            if len(set(ranks.values())) == len(keys) and len(keys) >= 2:
                ordered = sorted(keys, key=lambda k: ranks[k])
                return tuple(shown[k] for k in ordered), 0.9, f"the answers follow the {name}"
    stages: dict[str, float] = {}
    for key in keys:
        try:
            stage = parse_career_stage(key)
        except ValueError:
            break
        number = _label_number(key)
        stages[key] = _STAGE_RANK[stage or "student"] + (number or 0) / 1000
    else:
        if len(set(stages.values())) == len(keys) and len(set(map(int, stages.values()))) >= 2:
            ordered = sorted(keys, key=lambda k: stages[k])
            return tuple(shown[k] for k in ordered), 0.85, "the answers are career stages"
    numbers = {key: _label_number(key) for key in keys}
    if all(n is not None for n in numbers.values()) and len(set(numbers.values())) == len(keys):
        ordered = sorted(keys, key=lambda k: numbers[k] or 0.0)
        return tuple(shown[k] for k in ordered), 0.8, "the answers are ordered by their numbers"
    return tuple(shown[k] for k in keys), 0.0, "no known order"
