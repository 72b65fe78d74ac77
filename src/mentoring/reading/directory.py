"""Members found by ID, email or (fuzzily) name, as a mentee's free-text choice names them.

IDs and emails are compared in one Unicode form, case-folded (:func:`_caseless`), so an address
typed on a Mac (decomposed accents) and on Windows (composed) is the same address.

>>> _name_key("Zoë  O'Brien"), _caseless("ZOE\u0308@x.org") == _caseless("zo\u00eb@X.ORG")
('zoe o brien', True)
"""

from __future__ import annotations

import difflib
import functools
import heapq
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np


def _caseless(text: str) -> str:
    """Text for comparing: one Unicode form (NFC) and case-folded.

    >>> _caseless("Zoe\u0308@X.org") == _caseless("zo\u00eb@x.org")
    True
    """
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())


def _name_key(text: str) -> str:
    plain = str(text)
    # ASCII has no accents to take off (NFKD leaves it as it is).
    if not plain.isascii():
        plain = unicodedata.normalize("NFKD", plain)
        plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", plain.casefold()).split())


_NOT_WORD = re.compile(r"[^\w]+")


class _Keys:
    """The comparable forms of IDs and names, each worked out once for several directories."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}
        self.names: dict[str, str] = {}

    def caseless(self, text: str) -> str:
        found = self.ids.get(text)
        if found is None:
            found = self.ids[text] = _caseless(text)
        return found

    def name(self, text: str) -> str:
        found = self.names.get(text)
        if found is None:
            found = self.names[text] = _name_key(text)
        return found


# Names longer than this are always compared in full: the bound below packs one name's
# characters into the bits of one 64-bit word.
_WORD = 64


class _Letters:
    """Every name of a directory as rows of character codes, for bounding many comparisons at once.

    ``codes[j, i]`` is the code of character ``j`` of name ``i`` (``pad`` past its end); names
    longer than :data:`_WORD` are marked ``long`` and never turned away.
    """

    def __init__(self, names: Sequence[str]) -> None:
        self.lengths = np.array([len(n) for n in names], dtype=np.int64)
        joined = "".join(names).encode("utf-32-le", "surrogatepass")
        points = np.frombuffer(joined, dtype=np.uint32)
        alphabet, ids = np.unique(points, return_inverse=True)
        self.alphabet = {chr(int(p)): i for i, p in enumerate(alphabet)}
        self.pad = len(alphabet)
        width = int(min(_WORD, self.lengths.max(initial=0)))
        # One row per character position, so that each step of the bound reads one row.
        self.codes = np.full((width, len(names)), self.pad, dtype=np.int32)
        names_of = np.repeat(np.arange(len(names)), self.lengths)
        starts = np.repeat(np.cumsum(self.lengths) - self.lengths, self.lengths)
        positions = np.arange(len(points)) - starts
        inside = positions < width
        self.codes[positions[inside], names_of[inside]] = ids.reshape(-1)[inside]
        self.long = self.lengths > _WORD

    def common(self, key: str, pool: np.ndarray) -> np.ndarray:
        """The length of the longest common subsequence of ``key`` and each name of ``pool``.

        Bit-parallel (Allison and Dix; Hyyrö): bit ``b`` of a row's word stands for character
        ``b`` of ``key``, and each character of the name updates every row at once.
        """
        table = np.zeros(self.pad + 1, dtype=np.uint64)
        for bit, char in enumerate(key):
            code = self.alphabet.get(char)
            if code is not None:
                table[code] |= np.uint64(1 << bit)
        width = int(min(len(self.codes), self.lengths[pool].max(initial=0)))
        masks = table[self.codes[:width, pool]]
        v = np.full(len(pool), np.iinfo(np.uint64).max, dtype=np.uint64)
        u = np.empty_like(v)
        w = np.empty_like(v)
        for j in range(width):
            # v = (v + u) | (v - u) with u = v & mask, in place: short arrays, many steps.
            np.bitwise_and(v, masks[j], out=u)
            np.add(v, u, out=w)
            np.subtract(v, u, out=v)
            np.bitwise_or(v, w, out=v)
        inside = np.uint64((1 << len(key)) - 1)
        return np.bitwise_count(~v & inside).astype(np.int64)


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


class _Directory:
    """Finds members by ID, email or (fuzzily) name, as a mentee's free-text choice names them."""

    # Comparing a misspelt name with every member is quadratic; beyond this many names only
    # names sharing a first or last word with it are compared.
    FULL_SCAN_LIMIT = 2000

    def __init__(self, rows: Sequence[Any], keys: _Keys | None = None) -> None:
        # Directories of the same members (mentors, everyone) share the keys worked out.
        keys = keys or _Keys()
        self.ids = {keys.caseless(r.values["member_id"]): r.values["member_id"] for r in rows}
        self.emails = {r.email_key: r.values["member_id"] for r in rows if r.email_key}
        self.names: dict[str, list[str]] = {}
        self.display: dict[str, str] = {}
        for r in rows:
            key = keys.name(r.values["name"])
            self.names.setdefault(key, []).append(r.values["member_id"])
            self.display[r.values["member_id"]] = r.values["name"]
        self.cache: dict[str, tuple[str | None, list[str], bool]] = {}
        self.described: dict[tuple[str, ...], str] = {}
        self._index: tuple[_Letters, dict[str, np.ndarray]] | None = None

    # Only a name that is not found as written needs these, so they wait until then.
    @functools.cached_property
    def keys(self) -> list[str]:
        """Every name key, sorted."""
        return sorted(self.names)

    @functools.cached_property
    def by_word(self) -> dict[str, set[str]]:
        """The name keys by their first and by their last word."""
        found: dict[str, set[str]] = {}
        for key in self.keys:
            words = key.split()
            for word in {words[0], words[-1]} if words else set():
                found.setdefault(word, set()).add(key)
        return found

    def _close(self, key: str, cutoff: float) -> list[str]:
        """What ``difflib.get_close_matches(key, names, n=3, cutoff=cutoff)`` returns.

        ``names`` are every name up to :attr:`FULL_SCAN_LIMIT` names, and beyond it the names
        whose first or last word is a word of ``key``. The answer is the same; fewer names are
        compared on the way. ``difflib`` scores 2 * matches / (both lengths), and its matching
        blocks are a common subsequence of the two names, so the longest common subsequence
        bounds each score from above. The names are compared best bound first, and the
        comparing stops once no bound left can beat (or tie ahead of) the third best score.
        """
        if self._index is None:
            positions = {k: i for i, k in enumerate(self.keys)}
            by_word = {
                w: np.array(sorted(positions[k] for k in ks), dtype=np.int64)
                for w, ks in self.by_word.items()
            }
            self._index = (_Letters(self.keys), by_word)
        letters, by_word = self._index
        if len(self.keys) <= self.FULL_SCAN_LIMIT:
            pool = np.arange(len(self.keys))
        else:
            chosen = np.zeros(len(self.keys), dtype=bool)
            for word in key.split():
                if word in by_word:
                    chosen[by_word[word]] = True
            pool = np.flatnonzero(chosen)
        # No name can score above 2 * (the shorter length) / (both lengths).
        lengths = letters.lengths[pool]
        pool = pool[2.0 * np.minimum(lengths, len(key)) / (lengths + len(key)) >= cutoff]
        # No score is above 1; a name too long for one word of bits is bounded by that alone.
        bounds = np.ones(len(pool))
        if len(key) <= _WORD and len(pool):
            common = letters.common(key, pool)
            bounds = np.where(
                letters.long[pool], 1.0, 2.0 * common / (letters.lengths[pool] + len(key))
            )
        hopeful = bounds >= cutoff
        ranked = sorted(
            zip(bounds[hopeful].tolist(), [self.keys[i] for i in pool[hopeful]], strict=True),
            reverse=True,
        )
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(key)
        best: list[tuple[float, str]] = []
        for bound, name in ranked:
            # (score, name) can be no larger than (bound, name): below the third best, done.
            if len(best) == 3 and (bound, name) < best[0]:
                break
            matcher.set_seq1(name)
            if (
                matcher.real_quick_ratio() >= cutoff
                and matcher.quick_ratio() >= cutoff
                and matcher.ratio() >= cutoff
            ):
                found_score = (matcher.ratio(), name)
                if len(best) < 3:
                    heapq.heappush(best, found_score)
                elif found_score > best[0]:
                    heapq.heapreplace(best, found_score)
        return [name for _, name in sorted(best, reverse=True)]

    def find(self, text: str) -> tuple[str | None, list[str], bool]:
        """(member ID or None, candidate IDs, whether the match was fuzzy)."""
        # Popular mentors are named by many mentees; fuzzy matching each time is the slow part.
        if text not in self.cache:
            self.cache[text] = self._find(text)
        return self.cache[text]

    def _find(self, text: str) -> tuple[str | None, list[str], bool]:
        raw = " ".join(text.split())
        caseless = _caseless(raw)
        if caseless in self.ids:
            return self.ids[caseless], [], False
        if caseless in self.emails:
            return self.emails[caseless], [], False
        key = _name_key(raw)
        if not key:
            return None, [], False
        exact = self.names.get(key, [])
        if len(exact) == 1:
            return exact[0], [], False
        if exact:
            return None, sorted(exact), False
        if " " not in key:
            parts = sorted(i for k in self.by_word.get(key, ()) for i in self.names[k])
            if len(parts) == 1:
                return parts[0], [], True
            if parts:
                return None, parts, False
        close = self._close(key, 0.8)
        if not close:
            loose = self._close(key, 0.6)
            return None, [i for k in loose for i in self.names[k]], False
        best = [i for k in close for i in self.names[k]]
        if len(self.names[close[0]]) > 1 or (
            len(close) > 1 and _ratio(key, close[1]) >= _ratio(key, close[0]) - 0.02
        ):
            return None, best, False
        return self.names[close[0]][0], [], True

    def describe(self, ids: Sequence[str]) -> str:
        # Many members type the same name, and get the same candidates described.
        key = tuple(ids)
        if key not in self.described:
            self.described[key] = ", ".join(f"{self.display[i]} ({i})" for i in ids)
        return self.described[key]
