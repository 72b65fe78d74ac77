"""Raw tables of text into the people table, with every problem as an :class:`Issue`.

:func:`load_members` reads the files (:mod:`mentoring.reading.ingest`), maps their columns
(:mod:`mentoring.reading.mapping`) and normalises each answer. It never raises on what members typed:
an answer it cannot read becomes an issue and a blank (the configured default then applies), a
row it cannot use is dropped with an ``error`` issue naming the row, and
``rows_read == rows_kept + rows_dropped`` always holds. Only a file that cannot be read at all
raises :class:`~mentoring.model.errors.LoadError`.

Issue codes
-----------
Reading (from :mod:`mentoring.reading.ingest`): ``encoding``, ``nul_bytes``, ``csv_renamed``,
``blank_header``, ``row_extra_fields``, ``row_short``, ``unclosed_quote``, ``blank_rows``,
``sheet_chosen``, ``formula_without_value``, ``title_rows_skipped``.
Columns: ``unmapped_columns``, ``mapping_unused``, ``role_column_missing``,
``name_column_missing``.
Rows dropped (``error``): ``id_missing``, ``name_missing``, ``role_missing``, ``role_unknown``,
``duplicate_member`` (a ``warning`` with ``duplicates="keep_first"``). Kept, but matching blocked
(``error``): ``capacity_above_cohort``. Reading also: ``encoding_mixed``, ``encoding_guessed``,
``header_is_member``, ``number_rounded``, ``header_rows``.
Values: ``member_id_from_name``, ``email_invalid``, ``capacity_unparsed``, ``years_unparsed``,
``career_stage_unknown``, ``timezone_unknown``, ``meeting_mode_unknown``, ``value_unclear``,
``roles_merged``, ``preferred_unknown``, ``preferred_ambiguous``, ``preferred_fuzzy``,
``preferred_self``, ``past_partner_unresolved``.

>>> report = load_members(("m.csv", b"Name,Email,Role\\nAda,ADA@x.org,Mentor\\n"))
>>> report.people[["member_id", "name", "role"]].to_dict("records")
[{'member_id': 'ada@x.org', 'name': 'Ada', 'role': 'mentor'}]
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from mentoring.model.errors import ConfigError, Issue
from mentoring.model.people import (
    CAREER_STAGES,
    MULTI_VALUED_COLUMNS,
    PEOPLE_COLUMNS,
    PEOPLE_SCHEMA,
)
from mentoring.model.questions import QUESTION_PREFIX, ColumnProfile, Criterion
from mentoring.reading.answers import (
    _both_not_found,
    _library_type,
    _question_values,
    _ranges_text,
    _ranked,
    _read_questions,
    _ticked,
)
from mentoring.reading.columns import learn_labels, split_options
from mentoring.reading.directory import _caseless, _Directory
from mentoring.reading.ingest import RawTable, Source, _as_list, read_tables
from mentoring.reading.mapping import (
    IGNORE,
    MAPPABLE_FIELDS,
    normalise_header,
    normalise_tag,
    split_multi,
)
from mentoring.reading.pairing import QColumn, check_overrides
from mentoring.reading.roles import _roles_by_table
from mentoring.reading.values import (
    _shown,
    parse_bool,
    parse_capacity,
    parse_career_stage,
    parse_meeting_mode,
    parse_role,
    parse_timezone,
    parse_years,
)

__all__ = ["LoadReport", "load_members"]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


_TOPICS: tuple[tuple[str, str], ...] = (
    (r"race|ethnic", "race or ethnicity"),
    (r"gender", "gender identity"),
    (r"lgbt|sexual orientation|queer", "lgbtq+"),
    (r"disabilit", "disability"),
    (r"first gen", "first-generation professional"),
)


_TOPIC_NAMES = {
    "race": "race or ethnicity",
    "ethnicity": "race or ethnicity",
    "race or ethnicity": "race or ethnicity",
    "race/ethnicity": "race or ethnicity",
    "gender": "gender identity",
    "gender identity": "gender identity",
    "lgbtq+": "lgbtq+",
    "lgbtq": "lgbtq+",
    "lgbt": "lgbtq+",
    "lgbtqia+": "lgbtq+",
    "sexual orientation": "lgbtq+",
    "disability": "disability",
    "first-generation": "first-generation professional",
    "first generation": "first-generation professional",
    "first-generation professional": "first-generation professional",
    "first generation professional": "first-generation professional",
}


_NO_PREFERENCE = frozenset(
    {"no preference", "no", "none", "n/a", "not important", "doesn't matter", "prefer not to say"}
)


_WITHHELD = frozenset({"prefer not to say", "prefer not to answer", "n/a", "none", "no", "other"})


@dataclass(frozen=True)
class LoadReport:
    """What loading the member files produced, and everything found wrong on the way.

    ``people`` has exactly :data:`~mentoring.model.people.PEOPLE_COLUMNS` with their dtypes.
    ``rows_read`` counts member rows in all files (blank rows excluded); each is either kept
    (possibly merged into another row of the same member) or dropped with an ``error``
    issue, so ``rows_read == rows_kept + rows_dropped``. ``mappings`` holds, per file, the
    header -> field mapping actually used (``q:`` columns for the form's own questions);
    ``unmapped`` the headers it left out. ``encodings`` gives the text encoding of each CSV file
    (``"xlsx"`` for workbooks); ``counts`` the members per role. ``profiles`` says how every
    column of every table was read and why, in file order; ``criteria`` are the matching
    questions paired across sides (also in ``people.attrs["criteria"]``).

    >>> r = load_members(("m.csv", b"Name,Role\\nAda,Mentee\\n,Mentor\\n"))
    >>> r.rows_read, r.rows_kept, r.rows_dropped, r.has_errors, r.counts["mentee"]
    (2, 1, 1, True, 1)
    """

    people: pd.DataFrame
    issues: tuple[Issue, ...]
    mappings: dict[str, dict[str, str]]
    unmapped: dict[str, tuple[str, ...]]
    rows_read: int
    rows_kept: int
    rows_dropped: int
    encodings: dict[str, str]
    counts: dict[str, int]
    profiles: tuple[ColumnProfile, ...] = ()
    criteria: tuple[Criterion, ...] = ()

    @property
    def has_errors(self) -> bool:
        """Whether any issue is an ``error`` (matching is blocked until it is resolved)."""
        return any(issue.severity == "error" for issue in self.issues)


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


def load_members(
    sources: Source | Sequence[Source],
    *,
    mapping: Mapping[str, str] | None = None,
    roles: Mapping[Any, str] | None = None,
    sheet: str | None = None,
    duplicates: str = "report",
    questions: Mapping[str, Mapping[str, Any]] | None = None,
    header: bool = True,
) -> LoadReport:
    """Load member files into the people table, collecting every problem as an issue.

    Every column of every table is profiled from its header and its answers
    (:func:`mentoring.reading.profile.profile_table`); matching questions are paired across
    sides into criteria (:func:`mentoring.reading.pairing.pair_questions`), whose answers go to
    ``q:`` columns. The library association's questions keep their own people columns.

    Parameters
    ----------
    sources
        What :func:`mentoring.reading.ingest.read_tables` accepts: paths, ``(name, bytes)`` pairs,
        binary file-likes, or a list of them.
    mapping
        Explicit ``header -> field`` choices (a field of
        :data:`mentoring.reading.mapping.MAPPABLE_FIELDS`, or ``"ignore"``); they override the guess
        in every file that has that header.
    roles
        ``{file: "mentor" | "mentee" | "both"}`` for files that hold one side each (as
        ``--mentors`` and ``--mentees`` give them), a file being named by its position among
        ``sources`` (``0``, ``1``, ...), by the path it was given as, or by its file name
        (refused when two sources share that name, as ``mentors/members.csv`` and
        ``mentees/members.csv`` do). The file's side is authoritative: a "both" answer inside
        it adds the other role only for a member also found on the other side. Without it, the
        role comes from a role column, else from a sheet or file named after a side
        ("Mentors", "mentees.csv").
    sheet
        Sheet to read from workbooks (default: every sheet that holds members, passing over
        hidden sheets and instructions).
    duplicates
        ``"report"``: a second row for the same member is an ``error`` (matching blocked);
        ``"keep_first"``: it is a ``warning``. Either way the first row is used.
    questions
        The coordinator's word on any column, ``{header: {setting: value}}`` with settings
        among ``use``, ``field``, ``kind``, ``pairs_with`` (a header or a list), ``weight``,
        ``levels`` (lowest first), ``direction``, ``min_above``, ``max_above``: the shape of a
        TOML ``[questions."Header text"]`` table.
    header
        ``False`` when the files have no header row ("the first row is a member"): every row
        is read as a member and the columns are called "Column A", "Column B", ..., to be
        named through ``mapping``. With ``True`` (the default), a first row that holds an
        answer (an email address, numbers) gets a ``header_is_member`` warning saying so.

    Returns
    -------
    LoadReport
        The people table and what was found.

    Raises
    ------
    LoadError
        When a file cannot be read at all.
    ConfigError
        When ``mapping``, ``roles``, ``duplicates`` or ``questions`` hold an unknown value.

    Examples
    --------
    >>> mentors = ("mentors.csv", b"first name,last name,email address\\nAl,Bo,al@x.org\\n")
    >>> mentees = ("mentees.csv", b"first name,last name,email address\\nAl,Bo,AL@x.org\\n")
    >>> r = load_members([mentors, mentees], roles={"mentors.csv": "mentor",
    ...                                              "mentees.csv": "mentee"})
    >>> r.people[["member_id", "name", "role"]].to_dict("records"), r.rows_kept
    ([{'member_id': 'al@x.org', 'name': 'Al Bo', 'role': 'both'}], 2)
    >>> r = load_members(("f.csv", b"Name,Role,Grade\\nA,Mentor,SEO\\nB,Mentee,EO\\nC,Mentee,HEO\\n"),
    ...                  questions={"Grade": {"min_above": 1}})
    >>> r.criteria[0].levels, r.criteria[0].min_above, r.people["q:grade"].tolist()
    (('EO', 'HEO', 'SEO'), 1, [2.0, 0.0, 1.0])
    """
    explicit = _check_options(mapping, roles, duplicates)
    overrides = check_overrides(questions)
    tables, read_issues = read_tables(
        sources, sheet=sheet, every_member_sheet=sheet is None, header=header
    )
    roles = _roles_by_table(roles or {}, _as_list(sources), tables)
    issues: list[Issue] = list(read_issues)
    sides, plan = _read_questions(tables, roles, explicit, overrides, issues)
    mappings: dict[str, dict[str, str]] = {}
    unmapped: dict[str, tuple[str, ...]] = {}
    encodings: dict[str, str] = {}
    rows: list[_Row] = []
    rows_read = dropped = 0
    for t, table in enumerate(tables):
        used = plan.legacy[t]
        qmap = plan.questions[t]
        shown = {**used, **{h: q.name for h, q in qmap.items()}}
        mappings.setdefault(table.source, {}).update(shown)
        left = tuple(str(h) for h in table.frame.columns if h not in shown)
        unmapped[table.source] = (*unmapped.get(table.source, ()), *left)
        encodings[table.source] = table.encoding or "xlsx"
        rows_read += len(table.frame)
        kept, found, lost = _table_rows(table, used, sides[t], qmap, plan.options[t])
        rows.extend(kept)
        issues.extend(found)
        dropped += lost
    issues.extend(_unused_mapping(explicit, tables))
    members, found, lost = _merge(rows, duplicates)
    issues.extend(found)
    issues.extend(_capacity_above_cohort(members))
    issues.extend(_both_not_found(members))
    dropped += lost
    issues.extend(_resolve_references(members))
    qkinds = {q.name: q.value for table_q in plan.questions for q in table_q.values()}
    people = _people_frame(members, qkinds)
    people.attrs["criteria"] = tuple(plan.criteria)
    counts = {role: int((people["role"] == role).sum()) for role in ("mentor", "mentee", "both")}
    return LoadReport(
        people=people,
        issues=tuple(issues),
        mappings=mappings,
        unmapped=unmapped,
        rows_read=rows_read,
        rows_kept=rows_read - dropped,
        rows_dropped=dropped,
        encodings=encodings,
        counts=counts,
        profiles=tuple(plan.profiles),
        criteria=tuple(plan.criteria),
    )


def _check_options(
    mapping: Mapping[str, str] | None, roles: Mapping[Any, str] | None, duplicates: str
) -> dict[str, str]:
    if duplicates not in ("report", "keep_first"):
        raise ConfigError(f"duplicates must be 'report' or 'keep_first', got {duplicates!r}")
    for name, role in (roles or {}).items():
        if role not in ("mentor", "mentee", "both"):
            raise ConfigError(
                f"the role for {name!r} must be 'mentor', 'mentee' or 'both', got {role!r}"
            )
    explicit: dict[str, str] = {}
    for header, target in (mapping or {}).items():
        target = IGNORE if target in ("", None) else str(target)
        if target not in MAPPABLE_FIELDS and target != IGNORE:
            raise ConfigError(
                f"the column {header!r} is mapped to {target!r}, which is not a field; expected "
                f"one of {', '.join(MAPPABLE_FIELDS)} or 'ignore'"
            )
        explicit[str(header)] = target
    return explicit


def _unused_mapping(explicit: Mapping[str, str], tables: Sequence[RawTable]) -> list[Issue]:
    present = {normalise_header(str(h)) for t in tables for h in t.frame.columns}
    files = ", ".join(t.source for t in tables)
    return [
        Issue(
            files,
            None,
            header,
            "mapping_unused",
            f"the column mapping names {_shown(header)}, but no file has that column.",
            "warning",
            hint="Check the spelling against the file's headers, or remove it from the mapping.",
        )
        for header in explicit
        if normalise_header(header) not in present
    ]


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-")


@functools.lru_cache(maxsize=65_536)
def _tags(text: str, kind: str = "topic", labels: frozenset[str] = frozenset()) -> frozenset[str]:
    # Form answers repeat (the same checkbox labels on every row), so caching pays.
    pieces = split_options(text, labels) if labels else split_multi(text)
    return frozenset(t for t in (normalise_tag(p, kind) for p in pieces) if t)


_TAG_KIND = {"languages": "language", "divisions": "plain"}


def _table_rows(
    table: RawTable,
    used: Mapping[str, str],
    file_role: str | None,
    qmap: Mapping[str, QColumn] | None = None,
    options: Mapping[str, str] | None = None,
) -> tuple[list[_Row], list[Issue], int]:
    name = table.source
    frame = table.frame
    qmap = qmap or {}
    options = options or {}
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
        return [], issues, len(frame)
    by_field: dict[str, list[str]] = {}
    for header, target in used.items():
        by_field.setdefault(target, []).append(header)
    if "preferred_mentors" in by_field:
        by_field["preferred_mentors"] = _ranked(by_field["preferred_mentors"], list(frame.columns))
    records = frame.to_dict("records")
    # Options with commas of their own, learned from each multi-select column as a whole.
    labels = {
        h: learn_labels([str(v) for v in frame[h]])
        for h, target in used.items()
        if target in ("interests", "offers", "seeks", "divisions", "languages")
    }
    kept: list[_Row] = []
    lost = 0
    for number, record in zip(table.row_numbers, records, strict=True):
        # One column per option: a ticked cell stands for its option's label.
        for header in options.keys() & used.keys():
            if _ticked(str(record[header]), options[header]):
                record[header] = options[header]
        row, found = _normalise_row(name, number, record, by_field, file_role, labels)
        issues.extend(found)
        if row is None:
            lost += 1
        else:
            row.values.update(_question_values(record, qmap, options))
            kept.append(row)
    return kept, issues, lost


def _normalise_row(
    name: str,
    number: int,
    record: Mapping[str, str],
    by_field: Mapping[str, list[str]],
    file_role: str | None,
    labels: Mapping[str, frozenset[str]] | None = None,
) -> tuple[_Row | None, list[Issue]]:
    issues: list[Issue] = []
    labels = labels or {}

    def cells(target: str) -> list[tuple[str, str]]:
        return [(h, str(record[h])) for h in by_field.get(target, ()) if str(record[h]).strip()]

    def first(target: str) -> tuple[str | None, str]:
        found = cells(target)
        return (found[0][0], found[0][1].strip()) if found else (None, "")

    def problem(column: str | None, code: str, message: str, hint: str, severity: str) -> None:
        issues.append(Issue(name, number, column, code, message, severity, hint=hint))  # type: ignore[arg-type]

    full_name = " ".join(first("name")[1].split())
    if not full_name:
        full_name = " ".join(f"{first('first_name')[1]} {first('last_name')[1]}".split())
    # The same address typed on a Mac (NFD) and on Windows (NFC) is one address.
    email = unicodedata.normalize("NFC", first("email")[1])
    member_id = unicodedata.normalize("NFC", " ".join(first("member_id")[1].split()))
    # Only something shaped like an address identifies a person: forms fill in "anonymous".
    email_key = _caseless(email) if "@" in email else ""
    if not member_id and email_key:
        member_id = email_key
    if not member_id and full_name and _slug(full_name):
        member_id = _slug(full_name)
        problem(
            None,
            "member_id_from_name",
            f"no member ID or email, so the ID {member_id!r} was made from the name.",
            "Add an email address or member ID so this person cannot be confused with another.",
            "warning",
        )
    if not member_id:
        problem(
            None,
            "id_missing",
            "the row has no member ID, email or name, so it was not used.",
            "Fill in at least the name and email, or delete the row.",
            "error",
        )
        return None, issues
    if not full_name:
        problem(
            None,
            "name_missing",
            f"the row for {member_id!r} has no name, so it was not used.",
            "Fill in the member's name.",
            "error",
        )
        return None, _with_id(issues, member_id)
    role_column, role_text = first("role")
    role = file_role
    if role is None:
        try:
            role = parse_role(role_text, role_column or "")
        except ValueError as exc:
            problem(
                role_column,
                "role_unknown",
                f"{exc}, so the row was not used.",
                "Write Mentor, Mentee or Both.",
                "error",
            )
            return None, _with_id(issues, member_id)
        if role is None:
            problem(
                role_column,
                "role_missing",
                "the role is blank, so the row was not used.",
                "Write Mentor, Mentee or Both.",
                "error",
            )
            return None, _with_id(issues, member_id)
    both_column, both_text = first("both_flag")
    said_both = False
    if both_text and _flag(both_text, both_column, problem) and role in ("mentor", "mentee"):
        # A file given as one side keeps its side: "both" counts only for a member who is
        # also on the other side's file (they merge), and is reported otherwise.
        if file_role is None:
            role = "both"
        else:
            said_both = True
    email_column = first("email")[0]
    if email and not _EMAIL.match(email):
        problem(
            email_column,
            "email_invalid",
            f"{_shown(email)} does not look like an email address.",
            "Check the address; the member cannot be contacted otherwise.",
            "warning",
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
    for target in ("interests", "offers", "seeks", "divisions", "languages"):
        kind = _TAG_KIND.get(target, "topic")
        values[target] = set().union(
            *(_tags(text, kind, labels.get(h, frozenset())) for h, text in cells(target))
        )
    for target in ("institution", "job_title", "chapter"):
        values[target] = " ".join(first(target)[1].split())
    values["notes"] = "\n".join(text.strip() for _, text in cells("notes"))
    values["library_type"] = _library_type(first("library_type")[1])
    _parse_scalar(values, first, problem)
    row = _Row(name, number, values, email_key, capacity_column=first("capacity")[0])
    for header, text in cells("identities"):
        _add_identities(row, header, text)
    row.values["identity_preference"] = [text for _, text in cells("identity_preference")]
    wants_column, wants_text = first("identity_wants_match")
    if wants_text:
        row.wants_match = _flag(wants_text, wants_column, problem)
    row.said_both = said_both
    for _, text in cells("preferred_mentors"):
        for piece in split_multi(text):
            # "E531049 E784139": ids written with spaces between them are several choices.
            tokens = piece.split()
            ids = len(tokens) > 1 and all(any(c.isdigit() for c in t) for t in tokens)
            row.preferred.extend(tokens if ids else [piece])
    for _, text in cells("past_partners"):
        for piece in split_multi(text):
            row.past.extend(p for p in re.split(r"\s+(?:and|&)\s+", piece) if p.strip())
    return row, _with_id(issues, member_id)


def _with_id(issues: list[Issue], member_id: str) -> list[Issue]:
    return [
        Issue(i.file, i.row, i.column, i.code, i.message, i.severity, member_id, i.hint)
        for i in issues
    ]


def _flag(text: str, column: str | None, problem: Any) -> bool:
    try:
        return bool(parse_bool(text))
    except ValueError as exc:
        problem(column, "value_unclear", f"{exc}; read as no.", "Answer yes or no.", "warning")
        return False


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


def _parse_scalar(values: dict[str, Any], first: Any, problem: Any) -> None:
    for field_name, parse, code, ending, hint in _SCALARS:
        column, text = first(field_name)
        try:
            parsed = parse(text)
        except ValueError as exc:
            problem(column, code, f"{exc}{ending}", hint, "warning")
            continue
        if parsed is not None:
            values[field_name] = parsed
    column, text = first("priority")
    if text:
        flag = parse_bool(text, strict=False)
        if flag is None:
            problem(
                column,
                "value_unclear",
                f"{_shown(text)} is not yes or no; read as yes, since something was written.",
                "Answer yes or no.",
                "info",
            )
        values["priority"] = flag is not False
    column, text = first("open_to_peer")
    if text:
        # "Maybe" and "open to it" mean willing: peer pairs are only proposed, never forced.
        values["open_to_peer"] = bool(
            re.match(r"(maybe|possibly|perhaps|open)\b", text.strip().casefold())
        ) or _flag(text, column, problem)


def _add_identities(row: _Row, header: str, text: str) -> None:
    key = normalise_header(header)
    topic = next((label for pattern, label in _TOPICS if re.search(pattern, key)), "other")
    flag = parse_bool(text, strict=False)
    if flag is not None and topic != "other":
        if flag:
            row.topics.setdefault(topic, set()).add(topic)
        return
    tags = {t for t in _tags(text, "plain") if t not in _WITHHELD}
    if tags:
        row.topics.setdefault(topic, set()).update(tags)


def _identity_preference(row: _Row) -> set[str]:
    own = set().union(*row.topics.values()) if row.topics else set()
    wanted: set[str] = set()
    for text in row.values.get("identity_preference", []):
        for piece in split_multi(text):
            tag = normalise_tag(piece)
            if not tag or tag in _NO_PREFERENCE:
                continue
            if parse_bool(tag, strict=False):
                wanted |= own
            elif tag in _TOPIC_NAMES:
                wanted |= row.topics.get(_TOPIC_NAMES[tag], set())
            else:
                wanted.add(tag)
    if row.wants_match is True:
        wanted |= own
    elif row.wants_match is False:
        wanted = set()
    return wanted


def _merge(rows: list[_Row], duplicates: str) -> tuple[list[_Row], list[Issue], int]:
    members: dict[str, _Row] = {}
    by_email: dict[str, str] = {}
    issues: list[Issue] = []
    lost = 0
    for row in rows:
        member_id = row.values["member_id"]
        key = member_id if member_id in members else by_email.get(row.email_key, "")
        existing = members.get(key) if key else None
        if existing is None:
            members[member_id] = row
            if row.email_key:
                by_email.setdefault(row.email_key, member_id)
            continue
        same = "member ID" if member_id == existing.values["member_id"] else "email address"
        roles = {existing.values["role"], row.values["role"]}
        if existing.file != row.file and roles == {"mentor", "mentee"} and not existing.merged_from:
            _combine(existing, row)
            issues.append(
                Issue(
                    row.file,
                    row.row,
                    None,
                    "roles_merged",
                    f"same {same} as {existing.file} row {existing.row}, one as mentor and one "
                    "as mentee; they are one member with role both.",
                    "info",
                    existing.values["member_id"],
                    "Nothing to do if this is the same person.",
                )
            )
            continue
        lost += 1
        issues.append(
            Issue(
                row.file,
                row.row,
                None,
                "duplicate_member",
                f"same {same} as {existing.file} row {existing.row}; only that first row is "
                "used and this one was dropped.",
                "error" if duplicates == "report" else "warning",
                existing.values["member_id"],
                "Delete the row you do not want (or choose 'keep first'), then load again.",
            )
        )
    return list(members.values()), issues, lost


def _capacity_above_cohort(members: list[_Row]) -> list[Issue]:
    """A capacity above the number of members: a slip (or a date), and it blocks matching."""
    size = len(members)
    return [
        Issue(
            m.file,
            m.row,
            m.capacity_column,
            "capacity_above_cohort",
            f"the capacity {m.values['capacity']} is more than the {size} members of the whole "
            "cohort, so this mentor could take everyone; it is probably a slip.",
            "error",
            m.values["member_id"],
            "Write the number of mentees this mentor can really take, then load again.",
        )
        for m in members
        if m.values["role"] in ("mentor", "both")
        and m.values["capacity"] is not None
        and m.values["capacity"] > size
    ]


def _combine(kept: _Row, other: _Row) -> None:
    kept.merged_from.append((other.file, other.row))
    values, extra = kept.values, other.values
    values["role"] = "both"
    for target in ("interests", "offers", "seeks", "divisions", "languages"):
        values[target] = set(values[target]) | set(extra[target])
    values["identity_preference"] = [*values["identity_preference"], *extra["identity_preference"]]
    for target, value in extra.items():
        if target.startswith(QUESTION_PREFIX) and (
            target not in values or values[target] in ((), "") or _is_nan(values[target])
        ):
            values[target] = value
            continue
        if (
            target in values
            and values[target] in ("", None, False)
            and value not in ("", None)
            or (
                isinstance(value, float)
                and isinstance(values.get(target), float)
                and math.isnan(values[target])
                and not math.isnan(value)
            )
        ):
            values[target] = value
    for topic, tags in other.topics.items():
        kept.topics.setdefault(topic, set()).update(tags)
    kept.preferred.extend(other.preferred)
    kept.past.extend(other.past)
    if kept.wants_match is None:
        kept.wants_match = other.wants_match


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _resolve_references(members: list[_Row]) -> list[Issue]:
    issues: list[Issue] = []
    mentors = _Directory([m for m in members if m.values["role"] in ("mentor", "both")])
    everyone = _Directory(members)
    for member in members:
        member_id = member.values["member_id"]
        member.values["identities"] = (
            set().union(*member.topics.values()) if member.topics else set()
        )
        member.values["identity_preference"] = _identity_preference(member)
        chosen: list[str] = []
        for text in member.preferred:
            found, candidates, fuzzy = mentors.find(text)
            where = (member.file, member.row, None)
            if found == member_id:
                issues.append(
                    Issue(
                        *where,
                        "preferred_self",
                        f"{_shown(text)} is this member; it was left out.",
                        "info",
                        member_id,
                    )
                )
            elif found and fuzzy:
                issues.append(
                    Issue(
                        *where,
                        "preferred_fuzzy",
                        f"read the choice {_shown(text)} as {mentors.describe([found])}.",
                        "info",
                        member_id,
                        "Check this is the mentor they meant.",
                    )
                )
            elif found is None and candidates:
                issues.append(
                    Issue(
                        *where,
                        "preferred_ambiguous",
                        f"the choice {_shown(text)} could be "
                        f"{mentors.describe(candidates)}; it was left out.",
                        "warning",
                        member_id,
                        "Write the mentor's email or member ID instead.",
                    )
                )
            elif found is None:
                issues.append(
                    Issue(
                        *where,
                        "preferred_unknown",
                        f"no mentor matches the choice {_shown(text)}; it was left out.",
                        "warning",
                        member_id,
                        "Check the spelling, or that this mentor signed up.",
                    )
                )
            if found and found != member_id and found not in chosen:
                chosen.append(found)
        member.values["preferred_mentors"] = tuple(chosen)
        partners: set[str] = set()
        for text in member.past:
            found, candidates, _ = everyone.find(text)
            if found and found != member_id:
                partners.add(found)
            elif found is None:
                also = f"; it could be {everyone.describe(candidates)}" if candidates else ""
                issues.append(
                    Issue(
                        member.file,
                        member.row,
                        None,
                        "past_partner_unresolved",
                        f"the past partner {_shown(text)} is not among the members{also}; left out.",
                        "info",
                        member_id,
                        "Nothing to do unless that person also signed up this time.",
                    )
                )
        member.values["past_partners"] = partners
    return issues


def _people_frame(members: list[_Row], qkinds: Mapping[str, str] | None = None) -> pd.DataFrame:
    columns: dict[str, pd.Series] = {}
    for name, kind in (qkinds or {}).items():
        blank: Any = (
            () if kind in ("tags", "slots", "grid") else math.nan if kind == "level" else ""
        )
        cells = [m.values.get(name, blank) for m in members]
        if kind == "level":
            columns[name] = pd.Series(cells, dtype=float)
        else:
            columns[name] = pd.Series(cells, dtype=object)
    for target in PEOPLE_COLUMNS:
        values = [m.values.get(target) for m in members]
        kind = PEOPLE_SCHEMA[target]
        if target in MULTI_VALUED_COLUMNS and target != "preferred_mentors":
            values = [tuple(sorted(v or ())) for v in values]
        if kind == "count":
            columns[target] = pd.Series(pd.array(values, dtype="Int64"))
        elif kind == "float":
            columns[target] = pd.Series([math.nan if v is None else v for v in values], dtype=float)
        elif kind == "flag":
            columns[target] = pd.Series([bool(v) for v in values], dtype=bool)
        else:
            columns[target] = pd.Series([v if v is not None else "" for v in values], dtype=object)
    extra = sorted(name for name in columns if name.startswith(QUESTION_PREFIX))
    return pd.DataFrame(columns, columns=[*PEOPLE_COLUMNS, *extra])
