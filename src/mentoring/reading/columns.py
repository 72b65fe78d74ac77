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

import functools
import heapq
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
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
    """One column's header and answers, with the statistics every rule reads.

    ``tally`` holds each distinct answer as written (blanks left out) with how many rows gave
    it, in order of first appearance: a column of 12,500 checkbox answers has a few hundred
    distinct strings, so every test runs once per distinct answer and is weighted by its count.
    ``answered`` counts the answers (``len(filled)``); ``blanks`` are the distinct blank
    answers; ``folded`` gives each distinct answer's key in ``counts``; ``memo`` keeps what was
    worked out about the column (shares, multi-select statistics) for the rules that ask again.
    ``everything``, when given, is ``Counter(values)`` already counted; ``exact`` says the
    values are the cells' text as read (nothing needed stripping).
    """

    position: int
    header: str
    raw: tuple[str, ...]
    values: list[str]
    key: str = ""
    counts: Counter[str] = field(default_factory=Counter)
    tally: dict[str, int] = field(default_factory=dict, repr=False)
    answered: int = 0
    folded: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    memo: dict[object, object] = field(default_factory=dict, repr=False, compare=False)
    everything: Counter[str] | None = field(default=None, repr=False, compare=False)
    exact: bool = field(default=False, repr=False, compare=False)
    blanks: tuple[str, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        self.key = normalise_header(self.header)
        everything = Counter(self.values) if self.everything is None else self.everything
        self.everything = None
        self.tally = {v: c for v, c in everything.items() if not _is_blank(v)}
        self.answered = sum(self.tally.values())
        self.blanks = tuple(v for v in everything if v not in self.tally)
        # Keys enter in the order of their first answer, as counting row by row would put them
        # (most_common breaks ties by that order).
        counts: Counter[str] = Counter()
        for v, c in self.tally.items():
            key = " ".join(v.casefold().split())
            counts[key] += c
            self.folded[v] = key
        self.counts = counts

    @property
    def n(self) -> int:
        return len(self.values)

    @functools.cached_property
    def filled(self) -> list[str]:
        """The answers in row order, blanks left out (made only when a rule needs them all)."""
        return [v for v in self.values if v in self.tally] if self.blanks else list(self.values)

    @property
    def distinct(self) -> int:
        return len(self.counts)

    def share(self, test: Callable[[str], object]) -> float:
        """The share of answers for which ``test`` holds (0 when nobody answered)."""
        if not self.answered:
            return 0.0
        # A module-level test gives the same share every time it is asked; a lambda is new.
        named = "<" not in getattr(test, "__qualname__", "<")
        if named and ("share", test) in self.memo:
            return self.memo[("share", test)]  # type: ignore[return-value]
        found = sum(c for v, c in self.tally.items() if test(v)) / self.answered
        if named:
            self.memo[("share", test)] = found
        return found

    def at_least(
        self, test: Callable[[str], object], share: float, *, strict: bool = False
    ) -> bool:
        """Whether ``self.share(test) >= share`` (``> share`` when ``strict``), exactly.

        It stops reading answers as soon as the outcome is certain: a rule that wants 80% web
        links gives up on a column of sentences after a fifth of its answers.

        >>> col = Column(0, "Q", ("Q",), ["a", "b", "b", "c"])
        >>> col.at_least(lambda v: v == "b", 0.5), col.at_least(lambda v: v == "b", 0.5, strict=True)
        (True, False)
        """
        n = self.answered

        def enough(hits: int) -> bool:
            ratio = hits / n if n else 0.0
            return ratio > share if strict else ratio >= share

        if not n:
            return enough(0)
        known = self.memo.get(("share", test))
        if isinstance(known, float):
            return known > share if strict else known >= share
        # The fewest hits that pass; the quotient rises with the hits, so counting up from
        # safely below finds it with the very comparison share() would be put to.
        need = max(0, math.ceil(share * n) - 2)
        while need <= n and not enough(need):
            need += 1
        if need > n:
            return False
        if need == 0:
            return True
        hits = misses = 0
        for v, c in self.tally.items():
            if test(v):
                hits += c
                if hits >= need:
                    return True
            else:
                misses += c
                if n - misses < need:
                    return False
        return hits >= need

    def total(self, measure: Callable[[str], int]) -> int:
        """``measure`` summed over every answer (each distinct answer measured once).

        >>> Column(0, "Q", ("Q",), ["a b", "a b", "c", ""]).total(lambda v: len(v.split()))
        5
        """
        return sum(c * measure(v) for v, c in self.tally.items())

    def sample(self, k: int = 5) -> tuple[str, ...]:
        seen: dict[str, str] = {}
        for v in self.tally:
            key = self.folded[v]
            if key not in seen:
                seen[key] = " ".join(v.split())
        # The first k of the sorted answers (nsmallest sorts stably, as sorted does).
        return tuple(
            heapq.nsmallest(k, seen.values(), key=lambda s: (-self.counts[s.casefold()], s))
        )


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
    # The pattern first: it turns a sentence away at its first letter, before counting digits.
    if not _PHONE.match(text):
        return False
    digits = sum(c.isdigit() for c in text)
    return 7 <= digits <= 15 and any(c in text for c in " -().+")


def _is_date(text: str) -> bool:
    return bool(_DATE.match(text.strip()))


def _is_yes_no(text: str) -> bool:
    low = " ".join(text.casefold().split())
    if low in ("maybe", "not sure", "unsure", "no preference", "possibly", "perhaps"):
        return True
    return len(low.split()) <= 4 and parse_bool(low, strict=False) is not None


def _words(text: str) -> int:
    return len(text.split())


def _sequential(col: Column) -> bool:
    """Whole numbers 1, 2, 3...: the form's own response counter, not a member's id."""
    if not col.answered or not all(v.isdigit() for v in col.tally):
        return False
    low = min(int(v) for v in col.tally)
    return low <= 2 and max(int(v) for v in col.tally) - low <= col.answered + 2


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
    return _split_labelled(str(text), labels)


@functools.lru_cache(maxsize=1 << 17)
def _split_labelled(text: str, labels: frozenset[str]) -> tuple[str, ...]:
    # The same answers are split while profiling and again while loading: once is enough.
    heads = _label_heads(labels)
    out: list[str] = []
    for chunk in _CHUNKS.split(text):
        if ", " not in chunk:
            # One piece: no run of pieces to hold a label, so it is split as always.
            out.extend(split_multi(chunk))
            continue
        pieces = chunk.split(", ")
        rest: list[str] = []
        i = 0
        while i < len(pieces):
            # Only a piece that begins some label can begin a run equal to one.
            starts = "".join(pieces[i].casefold().split()) in heads
            for j in range(min(len(pieces), i + 5), i + 1, -1) if starts else ():
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


_CHUNKS = re.compile(r"[;|\n\r]+")


@functools.lru_cache(maxsize=256)
def _label_heads(labels: frozenset[str]) -> frozenset[str]:
    """What a piece, case-folded and without spaces, must be to begin one of ``labels``.

    A run of pieces equals a label only if, with the spaces taken out of both, the label reads
    piece, comma, piece...; so the first piece is the label's text up to one of its commas.

    >>> sorted(_label_heads(frozenset({"diversity, equity, and inclusion"})))
    ['diversity', 'diversity,equity']
    """
    heads: set[str] = set()
    for label in labels:
        bare = "".join(label.split())
        heads.update(bare[:k] for k, c in enumerate(bare) if c == ",")
    return frozenset(heads)


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
    return _learn_labels(Counter(values))


def _learn_labels(counts: Mapping[str, int]) -> frozenset[str]:
    """:func:`learn_labels` of the answers counted in ``counts`` (answer -> how many gave it)."""
    known = {" ".join(label.casefold().split()) for label in _KNOWN_LABELS}
    # Each distinct answer is split once and counted as often as it was given.
    rows = [
        ([" ".join(p.casefold().split()) for p in chunk.split(", ") if p.strip()], count)
        for v, count in counts.items()
        for chunk in _CHUNKS.split(v)
    ]
    runs: Counter[str] = Counter()
    alone: Counter[str] = Counter()
    for pieces, count in rows:
        for i in range(len(pieces)):
            alone[pieces[i]] += count
            for j in range(i + 2, min(len(pieces), i + 5) + 1):
                runs[", ".join(pieces[i:j])] += count
    labels = set()
    for run, count in runs.items():
        if run in known:
            labels.add(run)
            continue
        # The cheap tests first: most runs (a sentence's clauses) are seen once.
        if count < 2:
            continue
        parts = run.split(", ")
        if not all(alone[p] == count for p in parts):
            continue
        # Options with commas of their own are enumerations ("Digital, Data and Technology",
        # "Diversité, équité et inclusion"); "Maps, Data" chosen twice is two options.
        if not any(_CONJUNCTION.search(p) for p in parts[1:]):
            continue
        inside = any(
            ", ".join(parts[x:y]) in known
            for x in range(len(parts))
            for y in range(x + 1, len(parts) + 1)
            if y - x < len(parts)
        )
        if not inside:
            labels.add(run)
    return frozenset(labels)


_CONJUNCTION = re.compile(r"^(and|or|&|et|y|e|und|ou|o)\b| (and|or|&|et|y|e|und|ou|o) ")


_SEPARATORS = re.compile(r"[,;|\n\r]")


def _surely_few(col: Column, share: float) -> bool:
    """Whether fewer than ``share`` of the answers hold several options, seen without splitting.

    An answer with no comma, semicolon, bar or line break is one option at most, however it is
    split; so if the answers that have one are already fewer than ``share``, the share with
    several options (:func:`_multi_stats`) is too.

    >>> _surely_few(Column(0, "Q", ("Q",), ["I like maps", "Maps, data", "Data"]), 0.5)
    True
    """
    if _surely_few not in col.memo:
        col.memo[_surely_few] = sum(c for v, c in col.tally.items() if _SEPARATORS.search(v))
    possible: int = col.memo[_surely_few]  # type: ignore[assignment]
    return possible / max(1, col.answered) < share


def _labels_of(col: Column) -> frozenset[str]:
    """``learn_labels(col.filled)``, learned once per column."""
    if _labels_of not in col.memo:
        col.memo[_labels_of] = _learn_labels(col.tally)
    return col.memo[_labels_of]  # type: ignore[return-value]


def _multi_stats(col: Column) -> tuple[float, float, frozenset[str]]:
    """(share of answers with several options, share of distinct options, learned labels)."""
    found = col.memo.get(_multi_stats)
    if found is None:
        labels = _labels_of(col)
        options = {v: split_options(v, labels) for v in col.tally}
        several = sum(c for v, c in col.tally.items() if len(options[v]) > 1)
        flat = {" ".join(o.casefold().split()) for opts in options.values() for o in opts}
        pieces = sum(c * len(options[v]) for v, c in col.tally.items())
        found = (several / max(1, col.answered), len(flat) / max(1, pieces), labels)
        col.memo[_multi_stats] = found
    return found  # type: ignore[return-value]


def _name_shaped(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 6 and "@" not in text and not any(c.isdigit() for c in text)


def _looks_like_names(col: Column) -> bool:
    return col.distinct >= 0.7 * col.answered and col.at_least(_name_shaped, 0.9)


def _n(col: Column, share: float = 1.0) -> str:
    count = round(share * col.answered)
    return f"{count} of {col.answered} answers"
