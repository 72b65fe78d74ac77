"""One column's answers and the small tests every profiling rule reads.

:class:`Column` holds a column's header and answers with their counts; the predicates say what
an answer looks like (an email, a date, a phone number, yes or no); :func:`split_options` and
:func:`learn_labels` split multi-select answers against the options learned from the whole
column, so an option with commas of its own stays whole.

>>> col = Column(0, "Topics", ("Topics",), ["Maps; Data", "Data", ""])
>>> col.filled, col.distinct, col.share(lambda v: ";" in v)
(['Maps; Data', 'Data'], 2, 0.5)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from mentoring.reading.mapping import _KNOWN_LABELS, normalise_header, split_multi
from mentoring.reading.values import _is_blank, parse_bool

__all__ = ["Column", "Guess", "learn_labels", "split_options"]


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


_URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)


_ORCID = re.compile(r"^(https?://orcid\.org/)?\d{4}-\d{4}-\d{4}-\d{3}[\dX]$", re.IGNORECASE)


_IP = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")


_PHONE = re.compile(r"^\+?[\d\s().\-]{7,22}$")


_DATE = re.compile(
    r"^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})"
    r"([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*([AaPp][Mm])?\s*([A-Z]{2,5}|[+-]\d{2}:?\d{2}|Z)?)?$"
)


_NUMBER = re.compile(r"^[-+]?\d+([.,]\d+)?$")


_ID_SHAPED = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9_\-./#]{2,39}$")


_OPTION_MARKS = frozenset({"1", "x", "yes", "true", "checked", "selected", "\u2713", "\u2714"})


@dataclass
class Column:
    """One column's header and answers, with the statistics every rule reads."""

    position: int
    header: str
    raw: tuple[str, ...]
    values: list[str]
    key: str = ""
    filled: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.key = normalise_header(self.header)
        self.filled = [v for v in self.values if not _is_blank(v)]
        self.counts = Counter(" ".join(v.casefold().split()) for v in self.filled)

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def distinct(self) -> int:
        return len(self.counts)

    def share(self, test: Callable[[str], object]) -> float:
        """The share of answers for which ``test`` holds (0 when nobody answered)."""
        if not self.filled:
            return 0.0
        return sum(1 for v in self.filled if test(v)) / len(self.filled)

    def sample(self, k: int = 5) -> tuple[str, ...]:
        seen: dict[str, str] = {}
        for v in self.filled:
            seen.setdefault(" ".join(v.casefold().split()), " ".join(v.split()))
        return tuple(sorted(seen.values(), key=lambda s: (-self.counts[s.casefold()], s))[:k])


@dataclass
class Guess:
    """A use with its confidence and the evidence for it, before the table-level choices."""

    use: str
    field: str = ""
    confidence: float = 0.9
    evidence: str = ""
    kind: str | None = None
    levels: tuple[str, ...] = ()
    group: str | None = None
    option: str | None = None


def _parses(parse: object, text: str) -> bool:
    try:
        return parse(text) is not None  # type: ignore[operator]
    except ValueError:
        return False


def _is_phone(text: str) -> bool:
    digits = sum(c.isdigit() for c in text)
    return bool(_PHONE.match(text)) and 7 <= digits <= 15 and any(c in text for c in " -().+")


def _is_date(text: str) -> bool:
    return bool(_DATE.match(text.strip()))


def _is_yes_no(text: str) -> bool:
    low = " ".join(text.casefold().split())
    if low in ("maybe", "not sure", "unsure", "no preference", "possibly", "perhaps"):
        return True
    return parse_bool(low, strict=False) is not None and len(low.split()) <= 4


def _words(text: str) -> int:
    return len(text.split())


def _sequential(col: Column) -> bool:
    """Whole numbers 1, 2, 3...: the form's own response counter, not a member's id."""
    if not col.filled or not all(v.isdigit() for v in col.filled):
        return False
    numbers = sorted(int(v) for v in col.filled)
    return numbers[0] <= 2 and numbers[-1] - numbers[0] <= len(numbers) + 2


def split_options(text: str, labels: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """One multi-select answer split into options, keeping labels learned from its column.

    ``labels`` (case-folded) are options known to contain the joiner ("Digital, Data and
    Technology"); a run of comma-separated pieces equal to one of them stays whole.

    Examples
    --------
    >>> split_options("Policy, Digital, Data and Technology", frozenset({"digital, data and technology"}))
    ('Policy', 'Digital, Data and Technology')
    >>> split_options("Maps;Data;")
    ('Maps', 'Data')
    """
    if not labels:
        return split_multi(text)
    out: list[str] = []
    for chunk in re.split(r"[;|\n\r]+", str(text)):
        pieces = chunk.split(", ")
        rest: list[str] = []
        i = 0
        while i < len(pieces):
            for j in range(min(len(pieces), i + 5), i + 1, -1):
                joined = ", ".join(pieces[i:j])
                if " ".join(joined.casefold().split()).strip() in labels:
                    # What lies between learned labels is split as it always was.
                    out.extend(split_multi(", ".join(rest)) if rest else ())
                    out.append(joined)
                    rest = []
                    i = j
                    break
            else:
                rest.append(pieces[i])
                i += 1
        out.extend(split_multi(", ".join(rest)) if rest else ())
    seen: set[str] = set()
    result = []
    for piece in out:
        piece = " ".join(piece.split()).strip(" ,")
        if piece and piece.casefold() not in seen and piece.casefold() != "other":
            seen.add(piece.casefold())
            result.append(piece)
    return tuple(result)


def learn_labels(values: Sequence[str]) -> frozenset[str]:
    """Options of a column that contain ", " themselves, learned from all its answers.

    A run of comma-separated pieces is one label when it is a known label, or when it shows
    up in at least two answers, its pieces never appear apart from it, and it reads as an
    enumeration ("A, B and C").

    Examples
    --------
    >>> sorted(learn_labels(["Policy", "Digital, Data and Technology", "Digital, Data and Technology",
    ...                      "Policy, Finance"]))
    ['digital, data and technology']
    """
    known = {" ".join(label.casefold().split()) for label in _KNOWN_LABELS}
    rows = [
        [" ".join(p.casefold().split()) for p in chunk.split(", ") if p.strip()]
        for v in values
        for chunk in re.split(r"[;|\n\r]+", v)
    ]
    runs: Counter[str] = Counter()
    alone: Counter[str] = Counter()
    for pieces in rows:
        for i in range(len(pieces)):
            alone[pieces[i]] += 1
            for j in range(i + 2, min(len(pieces), i + 5) + 1):
                runs[", ".join(pieces[i:j])] += 1
    labels = set()
    for run, count in runs.items():
        parts = run.split(", ")
        together = all(alone[p] == count for p in parts)
        # Options with commas of their own are enumerations ("Digital, Data and Technology",
        # "Diversité, équité et inclusion"); "Maps, Data" chosen twice is two options.
        listing = any(_CONJUNCTION.search(p) for p in parts[1:])
        inside = any(
            ", ".join(parts[x:y]) in known
            for x in range(len(parts))
            for y in range(x + 1, len(parts) + 1)
            if y - x < len(parts)
        )
        if run in known or (count >= 2 and together and listing and not inside):
            labels.add(run)
    return frozenset(labels)


_CONJUNCTION = re.compile(r"^(and|or|&|et|y|e|und|ou|o)\b| (and|or|&|et|y|e|und|ou|o) ")


def _multi_stats(col: Column) -> tuple[float, float, frozenset[str]]:
    """(share of answers with several options, share of distinct options, learned labels)."""
    labels = learn_labels(col.filled)
    options = [split_options(v, labels) for v in col.filled]
    several = sum(len(o) > 1 for o in options) / max(1, len(options))
    flat = [" ".join(o.casefold().split()) for opts in options for o in opts]
    distinct = len(set(flat)) / max(1, len(flat))
    return several, distinct, labels


def _name_shaped(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 6 and "@" not in text and not any(c.isdigit() for c in text)


def _looks_like_names(col: Column) -> bool:
    return col.share(_name_shaped) >= 0.9 and col.distinct >= 0.7 * len(col.filled)


def _n(col: Column, share: float = 1.0) -> str:
    count = round(share * len(col.filled))
    return f"{count} of {len(col.filled)} answers"
