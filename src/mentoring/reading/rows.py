"""One table's rows into member rows, read field by field: each distinct answer is read once.

:func:`_table_rows` turns a table mapped to fields into :class:`_Row` objects and the issues of
each row, in row order. A column of 50,000 answers holds a few hundred distinct strings (often a
handful), so every parser runs once per distinct answer (:class:`~mentoring.reading.values._Memo`)
and the rows look their readings up; only what depends on a whole row (its ID, its role, the
order of its problems) is worked out row by row.

>>> from mentoring.reading.ingest import read_tables
>>> table = read_tables(("m.csv", b"Name,Role,Capacity\\nAda,Mentor,two\\nBo,Mentee,\\n"))[0][0]
>>> rows, issues, lost = _table_rows(table, {"Name": "name", "Role": "role",
...                                         "Capacity": "capacity"}, None)
>>> [(r.values["member_id"], r.values["role"], r.values["capacity"]) for r in rows]
[('ada', 'mentor', 2), ('bo', 'mentee', None)]
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mentoring.model.errors import Issue
from mentoring.model.people import CAREER_STAGES
from mentoring.reading.answers import (
    _library_type,
    _question_value,
    _ranges_text,
    _ranked,
    _ticked,
)
from mentoring.reading.columns import Column, _labels_of, learn_labels, split_options
from mentoring.reading.directory import _caseless
from mentoring.reading.ingest import RawTable
from mentoring.reading.mapping import normalise_header, normalise_tag, split_multi
from mentoring.reading.pairing import QColumn
from mentoring.reading.values import (
    _is_blank,
    _Memo,
    _shown,
    parse_bool,
    parse_capacity,
    parse_career_stage,
    parse_meeting_mode,
    parse_role,
    parse_timezone,
    parse_years,
)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


_TOPICS: tuple[tuple[str, str], ...] = (
    (r"race|ethnic", "race or ethnicity"),
    (r"gender", "gender identity"),
    (r"lgbt|sexual orientation|queer", "lgbtq+"),
    (r"disabilit", "disability"),
    (r"first gen", "first-generation professional"),
)


_WITHHELD = frozenset({"prefer not to say", "prefer not to answer", "n/a", "none", "no", "other"})


_MAYBE = re.compile(r"(maybe|possibly|perhaps|open)\b")


_AND = re.compile(r"\s+(?:and|&)\s+")


@dataclass
class _Row:
    """One usable member row while loading; becomes one people-table row (or merges)."""

    file: str
    row: int
    values: dict[str, Any]
    email_key: str
    topics: dict[str, set[str]] = field(default_factory=dict)
    preferred: list[str] = field(default_factory=list)
    past: list[str] = field(default_factory=list)
    wants_match: bool | None = None
    merged_from: list[tuple[str, int]] = field(default_factory=list)
    said_both: bool = False
    capacity_column: str | None = None


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-")


@functools.lru_cache(maxsize=65_536)
def _tags(text: str, kind: str = "topic", labels: frozenset[str] = frozenset()) -> frozenset[str]:
    # Form answers repeat (the same checkbox labels on every row), so caching pays.
    pieces = split_options(text, labels) if labels else split_multi(text)
    return frozenset(t for t in (_tag(p, kind) for p in pieces) if t)


@functools.lru_cache(maxsize=65_536)
def _tag(piece: str, kind: str) -> str:
    # Answers are combinations of a few options: each option is read once.
    return normalise_tag(piece, kind)


_TAG_KIND = {"languages": "language", "divisions": "plain"}


_SCALARS: tuple[tuple[str, Any, str, str, str], ...] = (
    # field, parser, issue code, end of the message, what to do
    (
        "capacity",
        parse_capacity,
        "capacity_unparsed",
        "; the default capacity will be used.",
        "Write a whole number such as 2.",
    ),
    ("years_experience", parse_years, "years_unparsed", ".", "Write a number of years such as 6."),
    (
        "career_stage",
        parse_career_stage,
        "career_stage_unknown",
        ".",
        "Use one of: " + ", ".join(CAREER_STAGES) + ".",
    ),
    ("timezone", parse_timezone, "timezone_unknown", ".", "Write it as UTC-5, GMT+1 or similar."),
    (
        "meeting_mode",
        parse_meeting_mode,
        "meeting_mode_unknown",
        ".",
        "Write In person, Online or Either.",
    ),
)
"""Single-valued answers read by a parser; a blank answer keeps the row's default."""


def _table_rows(
    table: RawTable,
    used: Mapping[str, str],
    file_role: str | None,
    qmap: Mapping[str, QColumn] | None = None,
    options: Mapping[str, str] | None = None,
    memo: _Memo | None = None,
    columns: Sequence[Column] = (),
) -> tuple[list[_Row], list[Issue], int]:
    """The table's usable rows, every issue found (in row order) and how many rows were lost.

    ``columns`` are the table's columns as profiled, when the caller has them.
    """
    name = table.source
    frame = table.frame
    qmap = qmap or {}
    options = options or {}
    memo = memo or _Memo()
    issues, usable = _table_issues(table, used, qmap, file_role)
    if not usable:
        return [], issues, len(frame)
    by_field: dict[str, list[str]] = {}
    for header, target in used.items():
        by_field.setdefault(target, []).append(header)
    if "preferred_mentors" in by_field:
        by_field["preferred_mentors"] = _ranked(by_field["preferred_mentors"], list(frame.columns))
    # One column per option: a ticked cell stands for its option's label.
    ticks = {h: options[h] for h in options.keys() & used.keys()}
    fields = _Fields(frame, by_field, columns, ticks)
    # Options with commas of their own, learned from each multi-select column as a whole.
    labels = {
        h: fields.labels(h)
        for h, target in used.items()
        if target in ("interests", "offers", "seeks", "divisions", "languages")
    }
    read = _read_rows(name, table.row_numbers, fields, file_role, labels, memo)
    answers = _question_columns(fields, qmap, options)
    kept: list[_Row] = []
    lost = 0
    for r, (row, found) in enumerate(read):
        issues.extend(found)
        if row is None:
            lost += 1
        else:
            row.values.update({q: column[r] for q, column in answers.items()})
            kept.append(row)
    return kept, issues, lost


def _table_issues(
    table: RawTable, used: Mapping[str, str], qmap: Mapping[str, QColumn], file_role: str | None
) -> tuple[list[Issue], bool]:
    """Columns left out, a missing name or role column, and whether the rows can be used."""
    name = table.source
    frame = table.frame
    fields = set(used.values())
    issues: list[Issue] = []
    unmapped = [str(h) for h in frame.columns if h not in used and h not in qmap]
    if unmapped:
        issues.append(
            Issue(
                name,
                None,
                None,
                "unmapped_columns",
                f"{len(unmapped)} column(s) were not used: {', '.join(unmapped[:8])}"
                f"{', ...' if len(unmapped) > 8 else ''}.",
                "info",
                hint="Map a column to a field if it holds something the matching should use.",
            )
        )
    rows_text = _ranges_text(table.row_numbers)
    missing = None
    if not fields & {"name", "first_name", "last_name"}:
        missing = (
            "name_column_missing",
            "no column holds the members' names",
            "Add a 'Name' column (or 'First name' and 'Last name'), or map a column to name.",
        )
    elif file_role is None and "role" not in fields:
        missing = (
            "role_column_missing",
            "no column says whether each person is a mentor, a mentee or both",
            "Add a 'Role' column (Mentor, Mentee or Both), map a column to role, or load the "
            "mentors and the mentees as two separate files.",
        )
    if missing:
        code, problem, hint = missing
        count = f"{len(frame)} member rows ({rows_text})"
        if table.first_row_member:
            # The header row holds a member too: count them all, and say how to read it.
            count = f"{len(frame) + 1} member rows ({rows_text}, and the header row above)"
            hint += (
                " If the file has no header row, load it with 'the first row is a member' "
                "(header=False) and map the columns Column A, Column B, ..."
            )
        issues.append(
            Issue(
                name,
                None,
                None,
                code,
                f"{problem}, so none of its {count} can be used.",
                "error",
                hint=hint,
            )
        )
    return issues, missing is None


class _Header:
    """Per row, the one header of a field when its cell is answered, else None."""

    def __init__(self, header: str, texts: Sequence[str]) -> None:
        self.header = header
        self.texts = texts

    def __getitem__(self, r: int) -> str | None:
        return self.header if self.texts[r] else None


class _Fields:
    """A table's answers by field, column by column: the first answered cell and every one.

    The columns as profiled (:func:`mentoring.reading.profile.profile_columns`) already hold
    each column's stripped texts and its distinct answers; they are used where they say the
    same as the table (a ticked option cell stands for its option's label instead).
    """

    def __init__(
        self,
        frame: Any,
        by_field: Mapping[str, list[str]],
        columns: Sequence[Column],
        ticks: Mapping[str, str],
    ) -> None:
        self.frame = frame
        self.by_field = by_field
        self.size = len(frame)
        self.columns = {c.header: c for c in columns}
        self.ticks = ticks
        self._texts: dict[str, list[str]] = {}
        self._firsts: dict[str, tuple[Any, list[str], Iterable[str]]] = {}

    def raw(self, header: str) -> list[str]:
        """Each cell of a column as text, as read."""
        col = self.columns.get(header)
        if col is not None and col.exact:
            return col.values
        return list(map(str, self.frame[header].tolist()))

    def texts(self, header: str) -> list[str]:
        """Each cell of a column as text; a ticked option cell as its option's label."""
        if header not in self._texts:
            texts = self.raw(header)
            if header in self.ticks:
                option = self.ticks[header]
                texts = [option if _ticked(text, option) else text for text in texts]
            self._texts[header] = texts
        return self._texts[header]

    def distinct(self, header: str) -> Iterable[str]:
        """The distinct texts of :meth:`texts`."""
        col = self.columns.get(header)
        if col is not None and col.exact and header not in self.ticks:
            return [*col.tally, *col.blanks]
        return set(self.texts(header))

    def labels(self, header: str) -> frozenset[str]:
        """Options with commas of their own, learned from the column as read."""
        col = self.columns.get(header)
        # Only blank words ("n/a") and spaces stripped off can make the answers as read teach
        # something the profiled answers did not.
        if col is not None and col.exact and set(col.blanks) <= {""}:
            return _labels_of(col)
        return learn_labels(self.raw(header))

    def first(self, target: str) -> tuple[Any, list[str], Iterable[str]]:
        """Per row, the header and stripped text of the first answered cell; the distinct texts."""
        if target not in self._firsts:
            headers = self.by_field.get(target, [])
            if not headers:
                self._firsts[target] = ([None] * self.size, [""] * self.size, ("",))
            elif len(headers) == 1:
                h = headers[0]
                col = self.columns.get(h)
                distinct: Iterable[str]
                if col is not None and h not in self.ticks:
                    texts, distinct = col.values, [*col.tally, *col.blanks]
                else:
                    texts = list(map(str.strip, self.texts(h)))
                    distinct = set(texts)
                self._firsts[target] = (_Header(h, texts), texts, distinct)
            else:
                columns = [(h, self.texts(h)) for h in headers]
                pairs = [
                    next(((h, c[r].strip()) for h, c in columns if c[r].strip()), (None, ""))
                    for r in range(self.size)
                ]
                texts = [text for _, text in pairs]
                self._firsts[target] = ([h for h, _ in pairs], texts, set(texts))
        return self._firsts[target]

    def cells(self, target: str) -> list[tuple[tuple[str, str], ...]]:
        """Per row, every answered cell of the field: (header, text as written)."""
        columns = [(h, self.texts(h)) for h in self.by_field.get(target, [])]
        if not columns:
            return [()] * self.size
        if len(columns) == 1:
            h, texts = columns[0]
            return [((h, text),) if text.strip() else () for text in texts]
        return [tuple((h, c[r]) for h, c in columns if c[r].strip()) for r in range(self.size)]

    def readings(self, target: str, read: Any) -> list[tuple[list[str], dict[str, Any]]]:
        """Per header of the field, its column and ``read(header, text)`` of each answer in it."""
        return [
            (
                self.texts(h),
                {text: read(h, text) for text in self.distinct(h) if text.strip()},
            )
            for h in self.by_field.get(target, [])
        ]

    def read(
        self, target: str, parse: Any, memo: _Memo
    ) -> tuple[Any, list[str], dict[str, tuple[Any, str | None]]]:
        """The first answered cell per row, and ``memo.read(parse, text)`` of each text."""
        headers, texts, distinct = self.first(target)
        return headers, texts, {text: memo.read(parse, text) for text in distinct}


def _issue(
    file: str, row: int, column: str | None, code: str, message: str, severity: str, **kw: Any
) -> Issue:
    return Issue(file, row, column, code, message, severity, **kw)  # type: ignore[arg-type]


def _read_rows(
    name: str,
    numbers: Sequence[int],
    fields: _Fields,
    file_role: str | None,
    labels: Mapping[str, frozenset[str]],
    memo: _Memo,
) -> list[tuple[_Row | None, list[Issue]]]:
    """Each row as a member row (or None when it cannot be used) with its issues, in order."""
    first = fields.first
    names, first_names, last_names = first("name")[1], first("first_name")[1], first("last_name")[1]
    email_columns, emails, _ = first("email")
    ids = first("member_id")[1]
    role_columns, role_texts, _ = first("role")
    both_columns, both_texts, both_distinct = first("both_flag")
    flags = {text: memo.read(parse_bool, text) for text in both_distinct}
    rest = _row_values(fields, labels, memo)
    out: list[tuple[_Row | None, list[Issue]]] = []
    for r, number in enumerate(numbers):
        issues: list[Issue] = []
        full_name = " ".join(names[r].split())
        if not full_name:
            full_name = " ".join(f"{first_names[r]} {last_names[r]}".split())
        # The same address typed on a Mac (NFD) and on Windows (NFC) is one address.
        email = unicodedata.normalize("NFC", emails[r])
        member_id = unicodedata.normalize("NFC", " ".join(ids[r].split()))
        # Only something shaped like an address identifies a person: forms fill in "anonymous".
        email_key = _caseless(email) if "@" in email else ""
        if not member_id and email_key:
            member_id = email_key
        made_up = False
        if not member_id and full_name and _slug(full_name):
            member_id = _slug(full_name)
            made_up = True
        if not member_id:
            message = "the row has no member ID, email or name, so it was not used."
            hint = "Fill in at least the name and email, or delete the row."
            out.append(
                (None, [_issue(name, number, None, "id_missing", message, "error", hint=hint)])
            )
            continue
        if made_up:
            issues.append(
                _issue(
                    name,
                    number,
                    None,
                    "member_id_from_name",
                    f"no member ID or email, so the ID {member_id!r} was made from the name.",
                    "warning",
                    member_id=member_id,
                    hint="Add an email address or member ID so this person cannot be confused "
                    "with another.",
                )
            )
        if not full_name:
            message = f"the row for {member_id!r} has no name, so it was not used."
            issues.append(
                _issue(
                    name,
                    number,
                    None,
                    "name_missing",
                    message,
                    "error",
                    member_id=member_id,
                    hint="Fill in the member's name.",
                )
            )
            out.append((None, issues))
            continue
        role = file_role
        if role is None:
            role_column = role_columns[r]
            role, error = memo.read(parse_role, role_texts[r], role_column or "")
            if error is not None or role is None:
                code = "role_unknown" if error is not None else "role_missing"
                message = (
                    f"{error}, so the row was not used."
                    if error is not None
                    else "the role is blank, so the row was not used."
                )
                issues.append(
                    _issue(
                        name,
                        number,
                        role_column,
                        code,
                        message,
                        "error",
                        member_id=member_id,
                        hint="Write Mentor, Mentee or Both.",
                    )
                )
                out.append((None, issues))
                continue
        said_both = False
        if both_texts[r]:
            flag, error = flags[both_texts[r]]
            if error is not None:
                issues.append(_unclear(name, number, both_columns[r], error, member_id))
            elif flag and role in ("mentor", "mentee"):
                # A file given as one side keeps its side: "both" counts only for a member who
                # is also on the other side's file (they merge), and is reported otherwise.
                if file_role is None:
                    role = "both"
                else:
                    said_both = True
        if email and not _EMAIL.match(email):
            issues.append(
                _issue(
                    name,
                    number,
                    email_columns[r],
                    "email_invalid",
                    f"{_shown(email)} does not look like an email address.",
                    "warning",
                    member_id=member_id,
                    hint="Check the address; the member cannot be contacted otherwise.",
                )
            )
        values: dict[str, Any] = {
            "member_id": member_id,
            "name": full_name,
            "email": email,
            "role": role,
            "capacity": None,
            "years_experience": math.nan,
            "timezone": math.nan,
            "career_stage": "",
            "meeting_mode": "",
            "priority": False,
            "open_to_peer": False,
        }
        row = _Row(name, number, values, email_key)
        rest(r, row, issues)
        row.said_both = said_both
        out.append((row, issues))
    return out


def _unclear(file: str, number: int, column: str | None, error: str, member_id: str) -> Issue:
    return _issue(
        file,
        number,
        column,
        "value_unclear",
        f"{error}; read as no.",
        "warning",
        member_id=member_id,
        hint="Answer yes or no.",
    )


def _row_values(fields: _Fields, labels: Mapping[str, frozenset[str]], memo: _Memo) -> Any:
    """Everything read from a row after its ID, name and role, as ``fill(r, row, issues)``."""
    # Per field, each column's texts with what each distinct text reads as: the rows look up.
    # Nothing changes a row's tags once read, so rows with the same answer share its tags.
    tags: dict[str, list[tuple[list[str], dict[str, frozenset[str]]]]] = {}
    for target in ("interests", "offers", "seeks", "divisions", "languages"):
        kind = _TAG_KIND.get(target, "topic")
        tags[target] = []
        for header in fields.by_field.get(target, []):
            label = labels.get(header, frozenset())
            found = {
                text: memo.value(_tags, text, kind, label) if text.strip() else frozenset()
                for text in fields.distinct(header)
            }
            tags[target].append((fields.texts(header), found))
    single = [(t, *columns[0]) for t, columns in tags.items() if len(columns) == 1]
    several = [(t, columns) for t, columns in tags.items() if len(columns) != 1]
    words = []
    for target in ("institution", "job_title", "chapter"):
        _, texts, distinct = fields.first(target)
        words.append((target, texts, {text: " ".join(text.split()) for text in distinct}))
    if len(fields.by_field.get("notes", [])) > 1:
        notes = ["\n".join(text.strip() for _, text in cells) for cells in fields.cells("notes")]
    else:
        notes = fields.first("notes")[1]
    _, library, distinct = fields.first("library_type")
    library_types = {text: memo.value(_library_type, text) for text in distinct}
    scalars = [
        (f, *fields.read(f, parse, memo), code, end, hint) for f, parse, code, end, hint in _SCALARS
    ]
    priority_columns, priorities, distinct = fields.first("priority")
    loose = {text: parse_bool(text, strict=False) for text in distinct}
    peer_columns, peers, distinct = fields.first("open_to_peer")
    # "Maybe" and "open to it" mean willing: peer pairs are only proposed, never forced.
    willing = {text: bool(_MAYBE.match(text.casefold())) for text in distinct}
    wants_columns, wants, _ = fields.first("identity_wants_match")
    identities = fields.readings("identities", lambda h, t: memo.value(_identity_answer, h, t))
    preferences = fields.cells("identity_preference")
    preferred = fields.readings("preferred_mentors", lambda h, t: memo.value(_choices, t))
    past = fields.readings("past_partners", lambda h, t: memo.value(_partners, t))

    def fill(r: int, row: _Row, issues: list[Issue]) -> None:
        values = row.values
        member_id = values["member_id"]

        def problem(column: str | None, code: str, message: str, hint: str, severity: str) -> None:
            issues.append(
                _issue(
                    row.file,
                    row.row,
                    column,
                    code,
                    message,
                    severity,
                    member_id=member_id,
                    hint=hint,
                )
            )

        for target, texts, tags_of in single:
            values[target] = tags_of[texts[r]]
        for target, tag_columns in several:
            values[target] = frozenset().union(*(of[texts[r]] for texts, of in tag_columns))
        for target, texts, spaced in words:
            values[target] = spaced[texts[r]]
        values["notes"] = notes[r]
        values["library_type"] = library_types[library[r]]
        for field_name, headers, texts, found, code, ending, hint in scalars:
            parsed, error = found[texts[r]]
            if error is not None:
                problem(headers[r], code, f"{error}{ending}", hint, "warning")
            elif parsed is not None:
                values[field_name] = parsed
        row.capacity_column = scalars[0][1][r]
        text = priorities[r]
        if text:
            flag = loose[text]
            if flag is None:
                problem(
                    priority_columns[r],
                    "value_unclear",
                    f"{_shown(text)} is not yes or no; read as yes, since something was written.",
                    "Answer yes or no.",
                    "info",
                )
            values["priority"] = flag is not False
        text = peers[r]
        if text:
            values["open_to_peer"] = willing[text] or _flag(
                text, peer_columns[r], issues, row, memo
            )
        for texts, answers in identities:
            if texts[r] in answers:
                _add_identities(row, answers[texts[r]])
        values["identity_preference"] = [text for _, text in preferences[r]]
        if wants[r]:
            row.wants_match = _flag(wants[r], wants_columns[r], issues, row, memo)
        for texts, names in preferred:
            if texts[r] in names:
                row.preferred.extend(names[texts[r]])
        for texts, names in past:
            if texts[r] in names:
                row.past.extend(names[texts[r]])

    return fill


def _flag(text: str, column: str | None, issues: list[Issue], row: _Row, memo: _Memo) -> bool:
    flag, error = memo.read(parse_bool, text)
    if error is not None:
        issues.append(_unclear(row.file, row.row, column, error, row.values["member_id"]))
        return False
    return bool(flag)


def _add_identities(row: _Row, answer: tuple[str, bool | None, frozenset[str]]) -> None:
    topic, flag, tags = answer
    if flag is not None and topic != "other":
        if flag:
            row.topics.setdefault(topic, set()).add(topic)
        return
    if tags:
        row.topics.setdefault(topic, set()).update(tags)


def _identity_answer(header: str, text: str) -> tuple[str, bool | None, frozenset[str]]:
    """(topic the header asks about, the answer as yes/no, the tags it names otherwise)."""
    key = normalise_header(header)
    topic = next((label for pattern, label in _TOPICS if re.search(pattern, key)), "other")
    flag = parse_bool(text, strict=False)
    if flag is not None and topic != "other":
        return topic, flag, frozenset()
    return topic, flag, frozenset(t for t in _tags(text, "plain") if t not in _WITHHELD)


def _choices(text: str) -> tuple[str, ...]:
    """The mentors one answer names, in order."""
    out: list[str] = []
    for piece in split_multi(text):
        # "E531049 E784139": ids written with spaces between them are several choices.
        tokens = piece.split()
        ids = len(tokens) > 1 and all(any(c.isdigit() for c in t) for t in tokens)
        out.extend(tokens if ids else [piece])
    return tuple(out)


def _partners(text: str) -> tuple[str, ...]:
    """The past partners one answer names ("Ana and Bo" are two)."""
    return tuple(p for piece in split_multi(text) for p in _AND.split(piece) if p.strip())


def _question_columns(
    fields: _Fields, qmap: Mapping[str, QColumn], options: Mapping[str, str]
) -> dict[str, list[Any]]:
    """Each row's answers to the form's own questions, per ``q:`` column (``model.questions``).

    The value of each distinct set of answers is worked out once; the rows share it.
    """
    groups: dict[str, tuple[QColumn, list[str]]] = {}
    for header, qcol in qmap.items():
        headers = groups[qcol.name][1] if qcol.name in groups else []
        headers.append(header)
        groups[qcol.name] = (qcol, headers)
    return {
        q: _question_column(qcol, headers, fields, options) for q, (qcol, headers) in groups.items()
    }


def _question_column(
    qcol: QColumn, headers: Sequence[str], fields: _Fields, options: Mapping[str, str]
) -> list[Any]:
    found: dict[tuple[tuple[str, str], ...], Any] = {}

    def value(answered: tuple[tuple[str, str], ...]) -> Any:
        if answered not in found:
            found[answered] = _question_value(qcol, answered, options)
        return found[answered]

    if len(headers) == 1:
        h = headers[0]
        by_text = {text: value(_answered(h, text)) for text in fields.distinct(h)}
        return [by_text[text] for text in fields.texts(h)]
    columns = [fields.texts(h) for h in headers]
    return [
        value(
            tuple(pair for h, text in zip(headers, row, strict=True) for pair in _answered(h, text))
        )
        for row in zip(*columns, strict=True)
    ]


def _answered(header: str, text: str) -> tuple[tuple[str, str], ...]:
    """``((header, answer),)`` for a cell that holds an answer, else ``()``."""
    text = text.strip()
    return ((header, text),) if text and not _is_blank(text) else ()
