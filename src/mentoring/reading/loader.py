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

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from mentoring.model.collector import collector_paused
from mentoring.model.errors import ConfigError, Issue
from mentoring.model.people import (
    MULTI_VALUED_COLUMNS,
    PEOPLE_COLUMNS,
    PEOPLE_SCHEMA,
)
from mentoring.model.questions import QUESTION_PREFIX, ColumnProfile, Criterion
from mentoring.reading.answers import _both_not_found, _read_questions
from mentoring.reading.directory import _Directory, _Keys
from mentoring.reading.ingest import RawTable, Source, _as_list, read_tables
from mentoring.reading.mapping import (
    IGNORE,
    MAPPABLE_FIELDS,
    normalise_header,
    normalise_tag,
    split_multi,
)
from mentoring.reading.pairing import check_overrides
from mentoring.reading.roles import _roles_by_table
from mentoring.reading.rows import _Row, _table_rows
from mentoring.reading.values import _Memo, _shown, parse_bool

__all__ = ["LoadReport", "load_members"]


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


def load_members(
    sources: Source | Sequence[Source],
    *,
    mapping: Mapping[str, str] | None = None,
    roles: Mapping[Any, str] | None = None,
    sheet: str | None = None,
    duplicates: str = "report",
    questions: Mapping[str, Mapping[str, Any]] | None = None,
    header: bool = True,
    progress: Callable[[float, str], None] | None = None,
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
    progress
        Called as ``progress(fraction, message)`` at each stage (opening, questions, each
        table's answers, named mentors, the table): 200,000 members take about 20 seconds.

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
    tell = progress or (lambda fraction, message: None)
    # Loading makes millions of small objects that stay alive until it returns.
    with collector_paused():
        return _load(sources, mapping, roles, sheet, duplicates, questions, header, tell)


def _load(
    sources: Source | Sequence[Source],
    mapping: Mapping[str, str] | None,
    roles: Mapping[Any, str] | None,
    sheet: str | None,
    duplicates: str,
    questions: Mapping[str, Mapping[str, Any]] | None,
    header: bool,
    tell: Callable[[float, str], None],
) -> LoadReport:
    explicit = _check_options(mapping, roles, duplicates)
    overrides = check_overrides(questions)
    tell(0.0, "Opening the files")
    tables, read_issues = read_tables(
        sources, sheet=sheet, every_member_sheet=sheet is None, header=header
    )
    roles = _roles_by_table(roles or {}, _as_list(sources), tables)
    issues: list[Issue] = list(read_issues)
    tell(0.2, f"Reading the questions of {len(tables)} table(s)")
    sides, plan, columns = _read_questions(tables, roles, explicit, overrides, issues)
    mappings: dict[str, dict[str, str]] = {}
    unmapped: dict[str, tuple[str, ...]] = {}
    encodings: dict[str, str] = {}
    rows: list[_Row] = []
    rows_read = dropped = 0
    memo = _Memo()
    for t, table in enumerate(tables):
        tell(0.5 + 0.3 * t / len(tables), f"Reading the answers of table {t + 1} of {len(tables)}")
        used = plan.legacy[t]
        qmap = plan.questions[t]
        shown = {**used, **{h: q.name for h, q in qmap.items()}}
        mappings.setdefault(table.source, {}).update(shown)
        left = tuple(str(h) for h in table.frame.columns if h not in shown)
        unmapped[table.source] = (*unmapped.get(table.source, ()), *left)
        encodings[table.source] = table.encoding or "xlsx"
        rows_read += len(table.frame)
        kept, found, lost = _table_rows(
            table, used, sides[t], qmap, plan.options[t], memo, columns[t]
        )
        columns[t] = []  # each table's columns are large and not needed any more
        rows.extend(kept)
        issues.extend(found)
        dropped += lost
    issues.extend(_unused_mapping(explicit, tables))
    members, found, lost = _merge(rows, duplicates)
    issues.extend(found)
    issues.extend(_capacity_above_cohort(members))
    issues.extend(_both_not_found(members))
    dropped += lost
    tell(0.8, "Finding the mentors named in the answers")
    issues.extend(_resolve_references(members, memo))
    tell(0.95, "Building the people table")
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


def _identity_preference(row: _Row, memo: _Memo | None = None) -> set[str]:
    own = set().union(*row.topics.values()) if row.topics else set()
    wanted: set[str] = set()
    for text in row.values.get("identity_preference", []):
        for wish, tag in (memo or _Memo()).value(_wishes, text):
            if wish == "own":
                wanted |= own
            elif wish == "topic":
                wanted |= row.topics.get(tag, set())
            else:
                wanted.add(tag)
    if row.wants_match is True:
        wanted |= own
    elif row.wants_match is False:
        wanted = set()
    return wanted


def _wishes(text: str) -> tuple[tuple[str, str], ...]:
    """One identity-preference answer as wishes: ("own", ""), ("topic", name) or ("tag", tag)."""
    out = []
    for piece in split_multi(text):
        tag = normalise_tag(piece)
        if not tag or tag in _NO_PREFERENCE:
            continue
        if parse_bool(tag, strict=False):
            out.append(("own", ""))
        elif tag in _TOPIC_NAMES:
            out.append(("topic", _TOPIC_NAMES[tag]))
        else:
            out.append(("tag", tag))
    return tuple(out)


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


def _resolve_references(members: list[_Row], memo: _Memo | None = None) -> list[Issue]:
    issues: list[Issue] = []
    memo = memo or _Memo()
    keys = _Keys()
    mentors = _Directory([m for m in members if m.values["role"] in ("mentor", "both")], keys)
    everyone = _Directory(members, keys)
    for member in members:
        member_id = member.values["member_id"]
        member.values["identities"] = (
            set().union(*member.topics.values()) if member.topics else set()
        )
        member.values["identity_preference"] = _identity_preference(member, memo)
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
    records = [m.values for m in members]
    for name, kind in (qkinds or {}).items():
        blank: Any = (
            () if kind in ("tags", "slots", "grid") else math.nan if kind == "level" else ""
        )
        cells = [record.get(name, blank) for record in records]
        if kind == "level":
            columns[name] = pd.Series(cells, dtype=float)
        else:
            columns[name] = pd.Series(cells, dtype=object)
    for target in PEOPLE_COLUMNS:
        values = [record.get(target) for record in records]
        kind = PEOPLE_SCHEMA[target]
        if target in MULTI_VALUED_COLUMNS and target != "preferred_mentors":
            values = _sorted_tuples(values)
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


def _sorted_tuples(values: list[Any]) -> list[Any]:
    """Each set as a sorted tuple; rows share the (frozen) set of an answer, sorted once.

    >>> _sorted_tuples([frozenset({"b", "a"}), None, {"c"}])
    [('a', 'b'), (), ('c',)]
    """
    done: dict[frozenset[Any], tuple[Any, ...]] = {}
    out: list[Any] = []
    for v in values:
        if not v:
            out.append(())
        elif type(v) is frozenset:
            found = done.get(v)
            if found is None:
                found = done[v] = tuple(sorted(v))
            out.append(found)
        else:
            out.append(tuple(sorted(v)))
    return out
