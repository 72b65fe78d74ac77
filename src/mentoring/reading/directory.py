"""Members found by ID, email or (fuzzily) name, as a mentee's free-text choice names them.

IDs and emails are compared in one Unicode form, case-folded (:func:`_caseless`), so an address
typed on a Mac (decomposed accents) and on Windows (composed) is the same address.

>>> _name_key("Zoë  O'Brien"), _caseless("ZOE\u0308@x.org") == _caseless("zo\u00eb@X.ORG")
('zoe o brien', True)
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from typing import Any


def _caseless(text: str) -> str:
    """Text for comparing: one Unicode form (NFC) and case-folded.

    >>> _caseless("Zoe\u0308@X.org") == _caseless("zo\u00eb@x.org")
    True
    """
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())


def _name_key(text: str) -> str:
    plain = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


class _Directory:
    """Finds members by ID, email or (fuzzily) name, as a mentee's free-text choice names them."""

    # Comparing a misspelt name with every member is quadratic; beyond this many names only
    # names sharing a first or last word with it are compared.
    FULL_SCAN_LIMIT = 2000

    def __init__(self, rows: Sequence[Any]) -> None:
        self.ids = {_caseless(r.values["member_id"]): r.values["member_id"] for r in rows}
        self.emails = {r.email_key: r.values["member_id"] for r in rows if r.email_key}
        self.names: dict[str, list[str]] = {}
        self.display: dict[str, str] = {}
        for r in rows:
            key = _name_key(r.values["name"])
            self.names.setdefault(key, []).append(r.values["member_id"])
            self.display[r.values["member_id"]] = r.values["name"]
        self.keys = sorted(self.names)
        self.cache: dict[str, tuple[str | None, list[str], bool]] = {}
        self.by_word: dict[str, set[str]] = {}
        for key in self.keys:
            words = key.split()
            for word in {words[0], words[-1]} if words else set():
                self.by_word.setdefault(word, set()).add(key)

    def _candidates(self, key: str) -> list[str]:
        if len(self.keys) <= self.FULL_SCAN_LIMIT:
            return self.keys
        words = key.split()
        return sorted(set().union(*(self.by_word.get(w, set()) for w in words)))

    def find(self, text: str) -> tuple[str | None, list[str], bool]:
        """(member ID or None, candidate IDs, whether the match was fuzzy)."""
        # Popular mentors are named by many mentees; fuzzy matching each time is the slow part.
        if text not in self.cache:
            self.cache[text] = self._find(text)
        return self.cache[text]

    def _find(self, text: str) -> tuple[str | None, list[str], bool]:
        raw = " ".join(text.split())
        if _caseless(raw) in self.ids:
            return self.ids[_caseless(raw)], [], False
        if _caseless(raw) in self.emails:
            return self.emails[_caseless(raw)], [], False
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
        pool = self._candidates(key)
        close = difflib.get_close_matches(key, pool, n=3, cutoff=0.8)
        if not close:
            loose = difflib.get_close_matches(key, pool, n=3, cutoff=0.6)
            return None, [i for k in loose for i in self.names[k]], False
        scores = [difflib.SequenceMatcher(None, key, k).ratio() for k in close]
        best = [i for k in close for i in self.names[k]]
        if len(self.names[close[0]]) > 1 or (len(close) > 1 and scores[1] >= scores[0] - 0.02):
            return None, best, False
        return self.names[close[0]][0], [], True

    def describe(self, ids: Sequence[str]) -> str:
        return ", ".join(f"{self.display[i]} ({i})" for i in ids)
