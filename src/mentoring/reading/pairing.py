"""Matching questions paired across sides into criteria, and the plan for loading their answers.

A mentee question and a mentor question that ask about the same thing become one
:class:`~mentoring.model.questions.Criterion`: by shared answers (after stripping a common
prefix such as ``"Skill: "``), by similar headers ("Skills you want to be mentored in" and
"Skills you want to help mentees improve"), or because one column was asked of everybody.
:func:`pair_questions` also says, per table, which header feeds which people column
(the library-association preset keeps its own columns) and which feeds a ``q:`` column, so the
loader can fill them.

>>> from mentoring.reading.ingest import read_tables
>>> from mentoring.reading.profile import profile_table
>>> tables, _ = read_tables([("mentees.csv", b"Name,Your grade\\nAda,EO\\nBo,HEO\\nCy,AO\\n"),
...     ("mentors.csv", b"Name,What grade are you?\\nDi,SEO\\nEd,Grade 7\\nFi,HEO\\n")])
>>> plan = pair_questions([(t, r, profile_table(t, r)) for t, r in zip(tables, ["mentee", "mentor"])])
>>> c = plan.criteria[0]
>>> c.kind, c.mentee_column, c.levels
('ordinal', 'q:grade', ('AO', 'EO', 'HEO', 'SEO', 'Grade 7'))
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from mentoring.model.people import PEOPLE_COLUMNS
from mentoring.model.questions import (
    KINDS,
    QUESTION_PREFIX,
    ColumnProfile,
    Criterion,
)
from mentoring.reading.columns import Column, learn_labels, split_options
from mentoring.reading.ingest import RawTable
from mentoring.reading.levels import order_levels
from mentoring.reading.mapping import MAPPABLE_FIELDS, normalise_header
from mentoring.reading.overrides import (
    OVERRIDE_KEYS,
    _apply_criterion_overrides,
    _override,
    check_overrides,
)
from mentoring.reading.profile import (
    _ATTRIBUTE_WORDS,
    PRESET_QUESTIONS,
    profile_columns,
    rule_header,
)
from mentoring.reading.values import parse_role

__all__ = ["OVERRIDE_KEYS", "Plan", "QColumn", "check_overrides", "pair_questions"]


_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "at",
        "by",
        "from",
        "as",
        "is",
        "are",
        "be",
        "been",
        "being",
        "you",
        "your",
        "yours",
        "i",
        "me",
        "my",
        "we",
        "our",
        "us",
        "they",
        "their",
        "what",
        "which",
        "who",
        "whom",
        "how",
        "would",
        "could",
        "should",
        "can",
        "will",
        "do",
        "does",
        "did",
        "like",
        "want",
        "wish",
        "help",
        "others",
        "other",
        "someone",
        "some",
        "any",
        "mentor",
        "mentors",
        "mentee",
        "mentees",
        "mentoring",
        "mentored",
        "section",
        "please",
        "select",
        "all",
        "that",
        "apply",
        "choose",
        "pick",
        "one",
        "more",
        "if",
        "so",
        "this",
        "these",
        "those",
        "it",
        "its",
        "about",
        "into",
        "most",
        "best",
        "describes",
        "describe",
        "currently",
        "current",
        "optional",
        "improve",
        "develop",
        "developing",
        "share",
        "get",
        "want",
        "wanted",
        "would",
        "like",
        "there",
        "here",
        "have",
        "has",
        "had",
        "out",
        "up",
        "yourself",
    ]
)


@dataclass(frozen=True)
class QColumn:
    """One ``q:`` column of the people table and how to read its answers.

    ``value`` is ``"tags"`` (a sorted tuple), ``"text"`` (a str as typed), ``"category"``
    (a normalised str), ``"level"`` (a float: the position in ``levels``, or the number typed),
    ``"grid"`` (``encode_acceptability`` strings), ``"slots"`` (availability tags) or ``"wish"``
    (``"yes"``, ``"no"`` or ``""``).
    """

    name: str
    value: str
    levels: tuple[str, ...] = ()
    prefix: str = ""
    labels: frozenset[str] = frozenset()
    options: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Plan:
    """What reading the tables' questions produced: profiles, criteria and how to load answers.

    ``legacy[t]`` maps a header of table ``t`` to a people column of the preset (or a field of
    :data:`mentoring.reading.mapping.MAPPABLE_FIELDS`); ``questions[t]`` maps a header to the
    :class:`QColumn` it feeds; ``options[t]`` gives, for one-column-per-option exports, the
    option a ticked cell stands for.
    """

    profiles: list[ColumnProfile]
    criteria: list[Criterion]
    legacy: list[dict[str, str]]
    questions: list[dict[str, QColumn]]
    options: list[dict[str, str]]


@dataclass
class _Unit:
    """One question as asked in one table: a column, or a grid or option group of columns."""

    table: int
    indexes: list[int]
    headers: list[str]
    kind: str
    use: str
    target: str
    side: str
    label: str
    values: list[str]
    levels: tuple[str, ...] = ()
    partners: list[_Unit] = field(default_factory=list)
    vocab: set[str] | None = None


def _slug(text: str, limit: int = 3) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    words = [w for w in re.findall(r"[a-z0-9]+", plain) if w not in _STOP]
    return "_".join(words[:limit]) or "question"


def _tokens(header: str) -> set[str]:
    words = set(normalise_header(rule_header(header)).split()) - _STOP
    # "skills" and "skill", "grade" and "grades" are one word here.
    return {w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words}


def _common_prefix(
    values: Sequence[str], split: Mapping[str, tuple[str, ...]] | None = None
) -> str:
    """A prefix every option carries ("Skill: "), which the other side does not write.

    ``split`` holds the options of each distinct answer, when the caller has split them.
    """
    # Each distinct answer is split once and weighted by how often it was given.
    split_of = split or {}
    counted = [
        (split_of[v] if v in split_of else split_options(v), count)
        for v, count in Counter(values).items()
    ]
    total = sum(len(options) * count for options, count in counted)
    if total < 3:
        return ""
    heads: Counter[str] = Counter()
    for options, count in counted:
        for o in options:
            if m := re.match(r"^[^:]{1,25}:\s*", o):
                heads[m.group(0)] += count
    if heads:
        head, count = heads.most_common(1)[0]
        if count >= 0.8 * total:
            return head
    return ""


def _vocab(unit: _Unit) -> set[str]:
    if unit.vocab is None:
        split = {v: split_options(v) for v in set(unit.values)}
        prefix = _common_prefix(unit.values, split)
        unit.vocab = set()
        for options in split.values():
            for option in options:
                if prefix and option.startswith(prefix):
                    option = option[len(prefix) :]
                unit.vocab.add(" ".join(option.casefold().split()))
    return unit.vocab


def _row_sides(table: RawTable, profiles: Sequence[ColumnProfile]) -> list[str]:
    """Each row's role in a table that mixes sides ("" when it cannot be told)."""
    role = next((p for p in profiles if p.use == "role" and p.field == "role"), None)
    if role is None:
        return [""] * len(table.frame)
    read: dict[str, str] = {}
    for text in set(table.frame[role.header].tolist()):
        try:
            read[text] = parse_role(str(text), role.header) or ""
        except ValueError:
            read[text] = ""
    return [read[text] for text in table.frame[role.header].tolist()]


def _side(col: Column, rows: Sequence[str], totals: Mapping[str, int] | None = None) -> str:
    """Who answers a column: mentors only, mentees only, or both (from who filled it in).

    ``totals`` is ``Counter(rows)``, when the caller asks about many columns.
    """
    key = normalise_header(col.header)
    if re.search(r"^mentors? section|\(mentors?( only)?\)|mentors? only|if mentoring", key):
        return "mentor"
    if re.search(r"^mentees? section|\(mentees?( only)?\)|mentees? only", key):
        return "mentee"
    totals = Counter(rows) if totals is None else totals
    if col.answered == col.n:
        answered = totals
    else:
        # The tally holds exactly the answers that are not blank.
        answered = Counter(r for v, r in zip(col.values, rows, strict=True) if v in col.tally)
    rates = {}
    for side in ("mentor", "mentee"):
        if totals[side] < 2:
            return "both"
        rates[side] = answered[side] / totals[side]
    if rates["mentee"] <= 0.1 and rates["mentor"] >= 0.3:
        return "mentor"
    if rates["mentor"] <= 0.1 and rates["mentee"] >= 0.3:
        return "mentee"
    return "both"


def _units(
    t: int,
    table: RawTable,
    role: str | None,
    profiles: Sequence[ColumnProfile],
    columns: list[Column] | None = None,
) -> list[_Unit]:
    cols = profile_columns(table) if columns is None else columns
    rows = _row_sides(table, profiles)
    totals = Counter(rows)
    units: list[_Unit] = []
    grouped: dict[tuple[str, str], _Unit] = {}
    for p, col in zip(profiles, cols, strict=True):
        if p.use not in ("question", "availability", "acceptability", "wants_shared_identity"):
            continue
        if p.flagged:
            continue
        side = role or _side(col, rows, totals)
        if p.group is not None and p.use != "question" or (p.group and p.kind == "overlap"):
            group = "availability" if p.use == "availability" else p.group or p.header
            unit = grouped.get((p.use, group))
            if unit is None:
                unit = _Unit(t, [], [], p.kind or "overlap", p.use, p.field, side, group, [])
                grouped[(p.use, group)] = unit
                units.append(unit)
            unit.indexes.append(p.position)
            unit.headers.append(p.header)
            unit.values.extend(col.filled)
            if unit.side != side:
                unit.side = "both"
            continue
        units.append(
            _Unit(
                t,
                [p.position],
                [p.header],
                p.kind or "same",
                p.use,
                p.field,
                side,
                rule_header(p.header),
                list(col.filled),
                p.levels,
            )
        )
    return units


def _similarity(a: _Unit, b: _Unit) -> float:
    ta, tb = _tokens(a.label), _tokens(b.label)
    header = len(ta & tb) / max(1, min(len(ta), len(tb))) if ta and tb else 0.0
    if a.kind == "free_text" or b.kind == "free_text":
        return header
    va, vb = _vocab(a), _vocab(b)
    vocab = len(va & vb) / max(1, min(len(va), len(vb))) if va and vb else 0.0
    return max(header, vocab) + 0.25 * min(header, vocab)


_COMPATIBLE = {
    frozenset({"overlap"}),
    frozenset({"same"}),
    frozenset({"overlap", "same"}),
    frozenset({"ordinal"}),
    frozenset({"free_text"}),
}


def _merge_same_header(units: list[_Unit]) -> list[_Unit]:
    """The same question asked in several tables (sheets, or one file per side) is one question."""
    out: list[_Unit] = []
    by_key: dict[tuple[str, str], _Unit] = {}
    for unit in units:
        key = (unit.use, normalise_header(unit.label))
        if key in by_key and by_key[key].table != unit.table:
            first = by_key[key]
            first.partners.append(unit)
            first.values.extend(unit.values)
            first.side = "both" if first.side != unit.side else first.side
            if first.kind != unit.kind and {first.kind, unit.kind} <= {"overlap", "same"}:
                first.kind = "overlap"
            continue
        by_key[key] = unit
        out.append(unit)
    return out


def _pairs(units: list[_Unit]) -> list[tuple[_Unit, _Unit]]:
    """Mentee-only and mentor-only questions that ask the same thing, best first."""
    mentee = [u for u in units if u.side == "mentee" and u.use == "question"]
    mentor = [u for u in units if u.side == "mentor" and u.use == "question"]
    scored = []
    for a in mentee:
        for b in mentor:
            if frozenset({a.kind, b.kind}) not in _COMPATIBLE:
                continue
            score = _similarity(a, b)
            if score >= 0.3:
                scored.append((score, a.table, a.indexes[0], b.indexes[0], a, b))
    scored.sort(key=lambda s: (-s[0], s[1], s[2], s[3]))
    taken: set[int] = set()
    out = []
    for _, _, _, _, a, b in scored:
        if id(a) in taken or id(b) in taken:
            continue
        taken |= {id(a), id(b)}
        out.append((a, b))
    # One written question left on each side ("your goals", "your experience"): a pair.
    texts_a = [u for u in mentee if u.kind == "free_text" and id(u) not in taken]
    texts_b = [u for u in mentor if u.kind == "free_text" and id(u) not in taken]
    if len(texts_a) == 1 and len(texts_b) == 1:
        out.append((texts_a[0], texts_b[0]))
    return out


class _Names:
    def __init__(self) -> None:
        self.used: set[str] = {f"{QUESTION_PREFIX}{c}" for c in PEOPLE_COLUMNS}

    def new(self, base: str) -> str:
        name = f"{QUESTION_PREFIX}{base}"
        k = 2
        while name in self.used:
            name = f"{QUESTION_PREFIX}{base}_{k}"
            k += 1
        self.used.add(name)
        return name


def _value_kind(kind: str) -> str:
    return {
        "overlap": "tags",
        "seeks_offers": "tags",
        "availability": "slots",
        "same": "category",
        "ordinal": "level",
        "free_text": "text",
        "acceptability": "grid",
    }.get(kind, "category")


class _Builder:
    """Collects the plan while the questions are paired."""

    def __init__(self, n_tables: int, profiles: list[list[ColumnProfile]]) -> None:
        self.names = _Names()
        self.criteria: list[Criterion] = []
        self.questions: list[dict[str, QColumn]] = [{} for _ in range(n_tables)]
        self.updates: dict[tuple[int, int], dict[str, Any]] = {}
        self.profiles = profiles

    def feed(self, unit: _Unit, column: QColumn) -> None:
        for u in [unit, *unit.partners]:
            for header in u.headers:
                self.questions[u.table][header] = column

    def note(self, unit: _Unit, **changes: Any) -> None:
        for u in [unit, *unit.partners]:
            for i in u.indexes:
                self.updates.setdefault((u.table, i), {}).update(changes)

    def column(self, unit: _Unit, kind: str, base: str, levels: tuple[str, ...] = ()) -> QColumn:
        values = [v for u in [unit, *unit.partners] for v in u.values]
        prefix = _common_prefix(values) if kind in ("overlap", "seeks_offers") else ""
        labels = learn_labels(values) if kind in ("overlap", "seeks_offers") else frozenset()
        qcol = QColumn(self.names.new(base), _value_kind(kind), levels, prefix, labels)
        self.feed(unit, qcol)
        return qcol

    def add(self, criterion: Criterion) -> None:
        names = {c.name for c in self.criteria}
        name, k = criterion.name, 2
        while name in names:
            name, k = f"{criterion.name}_{k}", k + 1
        self.criteria.append(replace(criterion, name=name))


def _levels_for(units: Sequence[_Unit]) -> tuple[tuple[str, ...], str]:
    values = [v for u in units for x in [u, *u.partners] for v in x.values]
    levels, confidence, why = order_levels(values)
    if not confidence:
        return (), "answers read as numbers"
    return levels, why


def _numeric(units: Sequence[_Unit]) -> bool:
    return all(not u.levels for u in units) and all(
        re.match(r"^[\d~<>+.\s-]", v) for u in units for v in u.values[:50]
    )


# A ladder of named levels (grades, career levels): a mentor is never below their mentee. Same
# level stays allowed (scored lower); numbers such as years of experience only score.
_NOT_BELOW = 0


def _single(b: _Builder, unit: _Unit, preset_taken: set[str]) -> None:
    """A question asked of everybody (one column, or one per table with the same header)."""
    field = unit.target
    if field in ("seeks", "offers") and unit.side == "both":
        # "Areas you would like support with, or could support others with", answered by
        # mentors and mentees alike, is shared ground, not one side's wish: overlap.
        field = "interests"
        b.note(unit, evidence_add="answered by mentors and mentees alike: compared as overlap")
    if (
        field in PRESET_QUESTIONS
        and field not in preset_taken
        or (field in ("interests", "divisions", "languages") and unit.kind == "overlap")
    ):
        preset_taken.add(field)
        b.note(unit, field=field)
        return
    base = _slug(unit.label)
    label = " ".join(base.split("_"))
    headers = tuple(h for u in [unit, *unit.partners] for h in u.headers)
    if unit.kind == "ordinal":
        levels, why = ((), "numbers") if _numeric([unit]) else _levels_for([unit])
        qcol = b.column(unit, "ordinal", base, levels)
        b.note(unit, field=qcol.name, levels=levels)
        b.add(
            Criterion(
                base,
                "ordinal",
                qcol.name,
                qcol.name,
                label=label,
                levels=levels,
                headers=headers,
                min_above=_NOT_BELOW if levels else None,
            )
        )
        return
    kind = unit.kind if unit.kind in KINDS else "same"
    if kind == "acceptability":
        return
    qcol = b.column(unit, kind, base)
    b.note(unit, field=qcol.name)
    b.add(Criterion(base, kind, qcol.name, qcol.name, label=label, headers=headers))


def _paired(b: _Builder, a: _Unit, m: _Unit) -> None:
    """A mentee question and a mentor question about the same thing."""
    if {a.target, m.target} == {"seeks", "offers"}:
        b.note(a, field=a.target, pairs_with=tuple(m.headers))
        b.note(m, field=m.target, pairs_with=tuple(a.headers))
        return
    shared = [
        w
        for w in re.findall(r"[a-z0-9]+", normalise_header(rule_header(a.label)))
        if w not in _STOP and w.rstrip("s") in {t.rstrip("s") for t in _tokens(m.label)}
    ]
    base = "_".join(shared[:2]) or _slug(a.label, 2)
    if base == "question" and "free_text" in {a.kind, m.kind}:
        base = "written_answers"
    label = base.replace("_", " ")
    headers = tuple(h for u in (a, m) for x in [u, *u.partners] for h in x.headers)
    kinds = {a.kind, m.kind}
    if kinds == {"ordinal"}:
        levels, _ = ((), "numbers") if _numeric([a, m]) else _levels_for([a, m])
        qcol = QColumn(b.names.new(base), "level", levels)
        b.feed(a, qcol)
        b.feed(m, qcol)
        for u, other in ((a, m), (m, a)):
            b.note(
                u, field=qcol.name, levels=levels, pairs_with=tuple(other.headers), kind="ordinal"
            )
        b.add(
            Criterion(
                base,
                "ordinal",
                qcol.name,
                qcol.name,
                label=label,
                levels=levels,
                headers=headers,
                min_above=_NOT_BELOW if levels else None,
            )
        )
        return
    if kinds == {"same"}:
        qcol = QColumn(b.names.new(base), "category")
        b.feed(a, qcol)
        b.feed(m, qcol)
        for u, other in ((a, m), (m, a)):
            b.note(u, field=qcol.name, pairs_with=tuple(other.headers), kind="same")
        b.add(Criterion(base, "same", qcol.name, qcol.name, label=label, headers=headers))
        return
    kind = "free_text" if kinds == {"free_text"} else "seeks_offers"
    ends = ("mentee", "mentor") if kind == "free_text" else ("sought", "offered")
    cols = []
    for u, end in zip((a, m), ends, strict=True):
        qcol = b.column(u, kind, f"{base}_{end}")
        cols.append(qcol)
    # Both sides must strip the same way: a prefix one side writes ("Skill: ") goes on both.
    b.note(a, field=cols[0].name, pairs_with=tuple(m.headers), kind=kind)
    b.note(m, field=cols[1].name, pairs_with=tuple(a.headers), kind=kind)
    b.add(Criterion(base, kind, cols[0].name, cols[1].name, label=label, headers=headers))


def _grids(
    b: _Builder, units: list[_Unit], tables: Sequence[RawTable], profiles: list[list[ColumnProfile]]
) -> None:
    """Availability grids and acceptability grids."""
    for unit in units:
        if unit.use == "availability":
            qcol = b.column(unit, "availability", "availability")
            b.note(unit, field=qcol.name, kind="availability")
            b.add(
                Criterion(
                    "availability",
                    "availability",
                    qcol.name,
                    qcol.name,
                    label="availability",
                    headers=tuple(unit.headers),
                )
            )
        elif unit.use == "acceptability":
            _acceptability(b, unit, units, profiles)


def _acceptability(
    b: _Builder, unit: _Unit, units: list[_Unit], profiles: list[list[ColumnProfile]]
) -> None:
    options = {
        normalise_header(p.option or ""): p.option or ""
        for u in [unit, *unit.partners]
        for p in profiles[u.table]
        if p.position in u.indexes
    }
    qcol = QColumn(
        b.names.new(_slug(unit.label)),
        "grid",
        options={
            p.header: p.option or ""
            for x in [unit, *unit.partners]
            for p in profiles[x.table]
            if p.position in x.indexes
        },
    )
    b.feed(unit, qcol)
    base = _slug(unit.label)
    headers = tuple(h for x in [unit, *unit.partners] for h in x.headers)
    if unit.side == "both":
        b.note(unit, field=qcol.name, kind="acceptability")
        b.add(
            Criterion(
                base,
                "acceptability",
                qcol.name,
                qcol.name,
                label=base.replace("_", " "),
                joint=True,
                headers=headers,
            )
        )
        return
    # A grid one side answered about the other's attribute: the column whose answers are
    # the grid's rows.
    target = None
    for other in units:
        if other is unit or other.kind not in ("same",):
            continue
        vocab = {normalise_header(v) for v in set(other.values)}
        if vocab and len(set(options) & vocab) >= 0.5 * len(options):
            target = other
            break
    if target is None:
        b.note(unit, field=qcol.name, kind="acceptability")
        return
    attr = b.questions[target.table].get(target.headers[0])
    if attr is None:
        attr = b.column(target, "same", _slug(target.label))
        b.note(target, field=attr.name)
    b.note(unit, field=qcol.name, kind="acceptability", pairs_with=tuple(target.headers))
    b.add(
        Criterion(
            base,
            "acceptability",
            qcol.name if unit.side == "mentee" else attr.name,
            attr.name if unit.side == "mentee" else qcol.name,
            reverse=unit.side == "mentor",
            label=base.replace("_", " "),
            headers=headers + tuple(target.headers),
        )
    )


def _wishes(
    b: _Builder, units: list[_Unit], profiles: list[list[ColumnProfile]], tables: Sequence[RawTable]
) -> set[tuple[int, int]]:
    """Yes/no wishes to share a named attribute ("similar gender") become criteria.

    Returns the (table, position) of the attribute and wish columns, which then leave the
    preset's identity handling. A wish about "identity" or "a characteristic" in general stays
    with the preset (the members' identities and identity preference).
    """
    moved: set[tuple[int, int]] = set()
    for unit in units:
        if unit.use != "wants_shared_identity":
            continue
        key = normalise_header(unit.label)
        word = next((w for w in _ATTRIBUTE_WORDS if re.search(rf"\b{w}", key)), None)
        attributes = [
            (t, p)
            for t, ps in enumerate(profiles)
            for p in ps
            if p.use in ("identity", "question")
            and p.kind != "free_text"
            and (
                word is None
                and p.use == "identity"
                and p.field == "identities"
                or word is not None
                and re.search(rf"\b{word}", normalise_header(p.header))
            )
        ]
        if word is None or not attributes:
            others = tuple(p.header for _, p in attributes)
            b.note(unit, pairs_with=others)
            continue
        attr = QColumn(b.names.new(word), "category")
        wish = QColumn(b.names.new(f"{word}_wish"), "wish")
        for t, p in attributes:
            b.questions[t][p.header] = attr
            moved.add((t, p.position))
        b.feed(unit, wish)
        b.note(
            unit,
            field=wish.name,
            kind="shared_identity",
            pairs_with=tuple(p.header for _, p in attributes),
        )
        for u in [unit, *unit.partners]:
            moved.update((u.table, i) for i in u.indexes)
        b.add(
            Criterion(
                f"same_{word}",
                "shared_identity",
                attr.name,
                attr.name,
                label=word,
                wish_column=wish.name,
                headers=(*unit.headers, *(p.header for _, p in attributes)),
            )
        )
    return moved


def pair_questions(
    items: Sequence[tuple[RawTable, str | None, Sequence[ColumnProfile]]],
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    columns: Sequence[list[Column]] | None = None,
) -> Plan:
    """Pair the tables' matching questions into criteria and plan how to load every column.

    Parameters
    ----------
    items
        ``(table, side, profiles)`` per table: ``side`` is the role the whole table answers for
        (a file given as mentors, a sheet called "Mentees") or None for a table with a role
        column; ``profiles`` from :func:`mentoring.reading.profile.profile_table`.
    overrides
        The coordinator's word per header (see :data:`OVERRIDE_KEYS`); applied to the
        profiles before pairing and to the criteria after.
    columns
        Each table's columns from :func:`mentoring.reading.profile.profile_columns`, when the
        caller already has them (they are read again otherwise).

    Returns
    -------
    Plan
        Profiles with their pairings and fields, the criteria, and per table which header feeds
        which people or ``q:`` column.

    Examples
    --------
    >>> from mentoring.reading.ingest import read_tables
    >>> from mentoring.reading.profile import profile_table
    >>> t = read_tables(("f.csv", b"Name,Role,City\\nA,Mentor,Leeds\\nB,Mentee,York\\n"
    ...                  b"C,Mentor,York\\nD,Mentee,Leeds\\n"))[0][0]
    >>> plan = pair_questions([(t, None, profile_table(t))])
    >>> [(c.name, c.kind, c.mentee_column) for c in plan.criteria]
    [('city', 'same', 'q:city')]
    """
    overrides = check_overrides(overrides)
    profiles = [
        [_override(p, overrides.get(normalise_header(p.header))) for p in ps] for _, _, ps in items
    ]
    tables = [t for t, _, _ in items]
    units: list[_Unit] = []
    for t, (table, role, _) in enumerate(items):
        units.extend(_units(t, table, role, profiles[t], columns[t] if columns else None))
    units = _merge_same_header(units)
    b = _Builder(len(items), profiles)
    for unit in units:
        b.note(unit, side=unit.side)
    pairs = _forced_pairs(units, overrides)
    paired_ids = {id(u) for pair in pairs for u in pair}
    for a, m in [*pairs, *[p for p in _pairs([u for u in units if id(u) not in paired_ids])]]:
        _paired(b, a, m)
        paired_ids |= {id(a), id(m)}
    moved = _wishes(b, units, profiles, tables)
    _grids(b, units, tables, profiles)
    taken: set[str] = set()
    for unit in units:
        if id(unit) in paired_ids or unit.use != "question":
            continue
        if unit.side != "both" and unit.target not in PRESET_QUESTIONS:
            # Asked of one side only and paired with nothing: kept to show, not scored.
            b.note(
                unit,
                use="other",
                kind=None,
                evidence_add="asked of one side only, with no "
                "matching question on the other side; kept to show, not scored",
            )
            qcol = b.column(unit, "free_text", _slug(unit.label))
            b.note(unit, field=qcol.name)
            continue
        _single(b, unit, taken)
    criteria = _apply_criterion_overrides(b.criteria, overrides)
    levels = {c.mentee_column: c.levels for c in criteria if c.kind == "ordinal"}
    for table_questions in b.questions:
        for header, qcol in list(table_questions.items()):
            if qcol.name in levels and qcol.levels != levels[qcol.name]:
                table_questions[header] = replace(qcol, levels=levels[qcol.name])
    return _finish(b, items, profiles, criteria, moved)


def _forced_pairs(
    units: list[_Unit], overrides: Mapping[str, Mapping[str, Any]]
) -> list[tuple[_Unit, _Unit]]:
    by_header = {normalise_header(h): u for u in units for h in u.headers}
    out = []
    for header, changes in overrides.items():
        wanted = changes.get("pairs_with")
        if not wanted or header not in by_header:
            continue
        other = by_header.get(normalise_header(wanted[0]))
        unit = by_header[header]
        if other is None or other is unit:
            continue
        mentee, mentor = (unit, other) if unit.side != "mentor" else (other, unit)
        mentee.side, mentor.side = "mentee", "mentor"
        if (mentee, mentor) not in out:
            out.append((mentee, mentor))
    return out


def _finish(
    b: _Builder,
    items: Sequence[tuple[RawTable, str | None, Sequence[ColumnProfile]]],
    profiles: list[list[ColumnProfile]],
    criteria: list[Criterion],
    moved: set[tuple[int, int]],
) -> Plan:
    legacy: list[dict[str, str]] = []
    options: list[dict[str, str]] = []
    out: list[ColumnProfile] = []
    for t, (_, role, _) in enumerate(items):
        used: dict[str, str] = {}
        opts: dict[str, str] = {}
        claimed: set[str] = set()
        for p in profiles[t]:
            changes = dict(b.updates.get((t, p.position), {}))
            extra = changes.pop("evidence_add", "")
            if extra:
                changes["evidence"] = f"{p.evidence}; {extra}" if p.evidence else extra
            p = replace(p, **changes)
            if role:
                p = replace(p, side=role)
            out.append(p)
            if (
                p.flagged
                or p.use == "ignored"
                or p.use == "other"
                and p.field not in MAPPABLE_FIELDS
            ):
                if p.header in b.questions[t] and p.use == "other":
                    continue
                b.questions[t].pop(p.header, None)
                continue
            if (t, p.position) in moved and p.use != "identity":
                continue
            if p.use == "availability" and p.option:
                opts[p.header] = f"{p.group} {p.option}" if p.group else p.option
            elif p.option and p.use != "acceptability":
                opts[p.header] = p.option
            target = _legacy_field(p)
            if p.field.startswith(QUESTION_PREFIX) or (target in claimed and target in _SINGLE):
                continue
            if target:
                used[p.header] = target
                claimed.add(target)
        legacy.append(used)
        options.append(opts)
    return Plan(out, criteria, legacy, b.questions, options)


_SINGLE = frozenset(
    {
        "member_id",
        "name",
        "email",
        "role",
        "capacity",
        "first_name",
        "last_name",
        "both_flag",
        "library_type",
        "chapter",
        "career_stage",
        "years_experience",
        "timezone",
        "meeting_mode",
        "institution",
        "priority",
        "job_title",
        "identity_wants_match",
    }
)


def _legacy_field(p: ColumnProfile) -> str | None:
    if p.field in MAPPABLE_FIELDS:
        return p.field
    return None
