"""The ``mentoring`` command: validate member files, match, compare objectives, form circles.

Exit codes: 0 success (for ``validate``: no errors or warnings), 1 problems found in the input
(listed), 2 unusable input or settings (a sentence says what to do), 3 an internal error (never a
traceback: the message asks for a report).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO

import pandas as pd

from mentoring import __version__
from mentoring.model.config import OBJECTIVES, MatchConfig
from mentoring.model.errors import ConfigError, Issue, MentoringError
from mentoring.model.people import ROLES
from mentoring.model.questions import questions_from_toml

if TYPE_CHECKING:
    from mentoring.reading.loader import LoadReport

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests).

    Examples
    --------
    >>> build_parser().parse_args(["match", "a.csv", "-o", "out.xlsx"]).output
    'out.xlsx'
    """
    parser = argparse.ArgumentParser(
        prog="mentoring",
        description="Match mentors and mentees optimally, with reasons, from member exports.",
    )
    parser.add_argument("--version", action="version", version=f"mentoring {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def inputs(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "files", nargs="*", metavar="FILE", help="CSV or XLSX member files with a role column"
        )
        sub.add_argument(
            "--mentors",
            action="append",
            default=[],
            metavar="FILE",
            help="a file whose rows are all mentors (repeatable)",
        )
        sub.add_argument(
            "--mentees",
            action="append",
            default=[],
            metavar="FILE",
            help="a file whose rows are all mentees (repeatable)",
        )
        sub.add_argument(
            "-c",
            "--config",
            metavar="TOML",
            help="settings, weights, an explicit [mapping] of headers to fields, and [questions] "
            "overrides of how a column is read (use, kind, pairing, weight, levels)",
        )
        sub.add_argument("--sheet", help="worksheet to read from XLSX files")
        sub.add_argument(
            "--keep-first",
            action="store_true",
            help="keep the first row of a repeated member instead of stopping",
        )
        sub.add_argument(
            "--history",
            action="append",
            default=[],
            metavar="FILE",
            help="a past match file (mentee_id, mentor_id[, year, continue]): repeat pairs are "
            "forbidden unless both asked to continue; heavy past mentor loads are eased",
        )

    validate = commands.add_parser(
        "validate", help="show how each column was read and list every problem, row by row"
    )
    inputs(validate)
    validate.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object: members, columns (use, field, pairing, evidence), issues",
    )

    match = commands.add_parser("match", help="find the optimal pairs and write them out")
    inputs(match)
    match.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the matches to FILE (.csv or .xlsx); default: print a table",
    )
    match.add_argument(
        "--objective",
        choices=OBJECTIVES,
        help="what to optimise (default from the config, else coverage)",
    )
    match.add_argument(
        "--include-demographics",
        action="store_true",
        help="include self-identified demographic columns in the export",
    )
    _lifecycle_arguments(match)

    compare = commands.add_parser("compare", help="compare the objectives side by side")
    inputs(compare)
    compare.add_argument(
        "--group",
        metavar="FIELD",
        help="field whose groups' mean scores are compared (e.g. library_type)",
    )

    why = commands.add_parser(
        "why", help="why each mentee did not get their best mentor, and what alternatives cost"
    )
    inputs(why)
    why.add_argument(
        "--mentee",
        action="append",
        default=[],
        metavar="ID",
        help="explain only this mentee (repeatable); default: every mentee",
    )
    why.add_argument("-o", "--output", metavar="FILE", help="write to FILE (.csv)")

    circles = commands.add_parser("circles", help="form peer circles (or peer pairs)")
    inputs(circles)
    circles.add_argument("--min-size", type=int, default=4)
    circles.add_argument("--max-size", type=int, default=6)
    circles.add_argument(
        "--pairs", action="store_true", help="match peers in pairs instead of circles"
    )
    circles.add_argument(
        "--diversity-field", metavar="FIELD", help="mix circles on this field (e.g. library_type)"
    )
    circles.add_argument("-o", "--output", metavar="FILE", help="write to FILE (.csv)")
    return parser


def _lifecycle_arguments(match: argparse.ArgumentParser) -> None:
    """Options of ``match`` for a program through the year (see docs/lifecycle.md)."""
    match.add_argument(
        "--mentee-capacity",
        type=int,
        metavar="K",
        help="mentors per mentee when their own answer is blank (default 1)",
    )
    match.add_argument(
        "--per-mentee",
        metavar="FILE",
        help="also write one row per mentee with their mentors side by side (.csv)",
    )
    match.add_argument(
        "--add",
        action="append",
        default=[],
        metavar="FILE",
        help="newcomers' member file (repeatable), matched into the places left by --into",
    )
    match.add_argument(
        "--into",
        metavar="PAIRS",
        help="the earlier pairs (our matches export): approved and locked ones are kept",
    )
    match.add_argument(
        "--only-approved",
        action="store_true",
        help="with --add: keep only pairs marked approved or locked in --into (default: every "
        "pair not marked rejected, since a file of pairs is usually what was announced)",
    )
    match.add_argument(
        "--suggest-changes",
        action="store_true",
        help="with --add: also list the kept pairs a free re-match would change",
    )
    match.add_argument(
        "--checkin",
        action="append",
        default=[],
        metavar="FILE",
        help="check-in results (mentee, mentor, status: ended/continuing/change): re-match "
        "the mentees of ended pairs, everyone else untouched (needs --into)",
    )
    match.add_argument(
        "--history-out",
        metavar="FILE",
        help="with --checkin: write the ended pairs as history (.csv) for next year's --history",
    )
    match.add_argument("--year", type=int, help="with --checkin: the program year recorded")


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line; returns the exit code.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> main(["validate", "no-such-file.csv"], stdout=out, stderr=out)
    2
    >>> "no-such-file.csv" in out.getvalue()
    True
    """
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        return _COMMANDS[args.command](args, out, err)
    except MentoringError as exc:
        print(f"error: {exc}", file=err)
        return 2
    except KeyboardInterrupt:
        print("stopped.", file=err)
        return 130
    except Exception as exc:  # the last line of defence: never a traceback
        print(
            f"internal error ({type(exc).__name__}): {exc}. Please report this with the command "
            "you ran; your files were not changed.",
            file=err,
        )
        return 3


class _Progress:
    """Progress of a long step on stderr: a bar on a terminal, one line per stage otherwise.

    A stage is a message with its numbers taken out, so "Scored 400 of 6,009 mentees" and
    "Scored 800 of 6,009 mentees" are one stage: a log gets one line for it, not hundreds.
    """

    def __init__(self, err: TextIO, width: int = 28) -> None:
        self.err = err
        isatty = getattr(err, "isatty", None)
        self.tty = bool(isatty and isatty())
        self.width = width
        self.started = time.perf_counter()
        self.last_stage = ""
        self.drawn = False

    def stage(self, message: str) -> None:
        self.update(None, message)

    def update(self, fraction: float | None, message: str) -> None:
        if self.tty:
            done = 0 if fraction is None else round(self.width * min(max(fraction, 0.0), 1.0))
            bar = "#" * done + "-" * (self.width - done)
            self.err.write(f"\r[{bar}] {message[:60]:<60}")
            self.err.flush()
            self.drawn = True
            return
        shape = re.sub(r"\d[\d,.]*", "N", message)
        if shape != self.last_stage:
            self.last_stage = shape
            print(f"[{time.perf_counter() - self.started:6.1f} s] {message}", file=self.err)

    def done(self) -> None:
        if self.tty and self.drawn:
            self.err.write("\r" + " " * (self.width + 64) + "\r")
            self.err.flush()
            self.drawn = False


@dataclass(frozen=True)
class _Settings:
    """What ``-c config.toml`` says: how to match, and how to read the files."""

    config: MatchConfig
    mapping: dict[str, str]
    questions: dict[str, dict[str, Any]]


def _settings(args: argparse.Namespace) -> _Settings:
    if args.config:
        config, mapping = MatchConfig.from_toml(args.config)
        questions = questions_from_toml(args.config)
    else:
        config, mapping, questions = MatchConfig(), {}, {}
    if getattr(args, "objective", None):
        config = config.with_(objective=args.objective)
    return _Settings(config, mapping, questions)


def _load(
    args: argparse.Namespace, settings: _Settings, progress: _Progress | None = None
) -> LoadReport:
    from mentoring.reading.loader import load_members

    sources = [*args.files, *args.mentors, *args.mentees, *getattr(args, "add", [])]
    if not sources:
        raise ConfigError("no member files given: name one or more CSV/XLSX files.")
    for source in sources:
        if not Path(source).is_file():
            raise ConfigError(f"{source}: no such file. Check the name and the folder.")
    # Keyed by position among the sources: mentors/members.csv and mentees/members.csv differ.
    first = len(args.files)
    roles = {first + i: "mentor" for i in range(len(args.mentors))}
    first += len(args.mentors)
    roles.update({first + i: "mentee" for i in range(len(args.mentees))})
    extra: dict[str, Any] = {"questions": settings.questions} if settings.questions else {}
    return load_members(
        sources,
        mapping=settings.mapping or None,
        roles=roles or None,
        sheet=args.sheet,
        duplicates="keep_first" if args.keep_first else "report",
        progress=progress.update if progress else None,
        **extra,
    )


def _print_issues(issues: Sequence[Issue], out: TextIO) -> None:
    for issue in issues:
        print(f"  {issue}", file=out)


def _validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    progress = _Progress(err)
    progress.stage("Reading the member files")
    report = _load(args, _settings(args), progress)
    progress.done()
    problems = [i for i in report.issues if i.severity in ("error", "warning")]
    if args.json:
        json.dump(validation_summary(report), out, indent=2, ensure_ascii=False)
        print(file=out)
        return 1 if problems else 0
    _print_columns(report, out)
    counts = ", ".join(f"{n} {role}" for role, n in sorted(report.counts.items()))
    print(
        f"{report.rows_read} rows read: {report.rows_kept} kept as {len(report.people)} members "
        f"({counts}), {report.rows_dropped} rows not kept (each listed below).",
        file=out,
    )
    if report.issues:
        print(f"{len(report.issues)} issue(s):", file=out)
        _print_issues(report.issues, out)
    if not problems:
        print("No problems found.", file=out)
        return 0
    return 1


def _print_columns(report: LoadReport, out: TextIO) -> None:
    """How each column was read, unsure guesses first so they are looked at."""
    profiles = sorted(report.profiles, key=lambda p: (not p.flagged, p.file, p.position))
    flagged = sum(p.flagged for p in profiles)
    if flagged:
        print(f"{flagged} column(s) read with low confidence: check them first.", file=out)
    current = None
    for profile in profiles:
        where = profile.file + (f" [{profile.sheet}]" if profile.sheet else "")
        if where != current:
            print(f"{where}: columns read as", file=out)
            current = where
        mark = "?" if profile.flagged else " "
        field = f" ({profile.field})" if profile.field and profile.field != profile.use else ""
        pairs = (
            f", paired with {', '.join(map(repr, profile.pairs_with))}"
            if profile.pairs_with
            else ""
        )
        kind = f", {profile.kind}" if profile.kind else ""
        print(
            f" {mark}{profile.header!r} -> {profile.use}{field}{kind}{pairs} "
            f"[{profile.confidence:.0%}: {profile.evidence}]",
            file=out,
        )


def validation_summary(report: LoadReport) -> dict[str, Any]:
    """What ``mentoring validate --json`` prints: members, every column's reading, every issue.

    Examples
    --------
    >>> from mentoring.reading.loader import load_members
    >>> data = b"Name,Email,Role\\nAda,ada@x.org,Mentor\\nBo,bo@x.org,Mentee\\n"
    >>> summary = validation_summary(load_members(("m.csv", data)))
    >>> summary["members"]
    {'rows': 2, 'kept': 2, 'mentors': 1, 'mentees': 1, 'both': 0}
    >>> [(c["header"], c["use"]) for c in summary["columns"]]
    [('Name', 'name'), ('Email', 'email'), ('Role', 'role')]
    """
    roles = report.people["role"].value_counts() if len(report.people) else {}
    members = {
        "rows": report.rows_read,
        "kept": report.rows_kept,
        **{f"{role}s" if role != "both" else role: int(roles.get(role, 0)) for role in ROLES},
    }
    columns = [
        {
            "file": p.file,
            "sheet": p.sheet,
            "header": p.header,
            "use": p.use,
            "field": p.field,
            "kind": p.kind,
            "pairs_with": list(p.pairs_with),
            "confidence": round(p.confidence, 3),
            "evidence": p.evidence,
            "flagged": p.flagged,
            "sample": list(p.sample),
        }
        for p in report.profiles
    ]
    issues = [
        {
            "severity": i.severity,
            "file": i.file,
            "row": i.row,
            "column": i.column,
            "member_id": i.member_id,
            "code": i.code,
            "problem": i.message,
            "what_to_do": i.hint,
        }
        for i in report.issues
    ]
    return {"members": members, "columns": columns, "issues": issues}


def _checked_people(
    args: argparse.Namespace, err: TextIO, progress: _Progress | None = None
) -> tuple[pd.DataFrame, MatchConfig] | None:
    settings = _settings(args)
    config = settings.config
    progress = progress or _Progress(err)
    progress.stage("Reading the member files")
    report = _load(args, settings, progress)
    progress.done()
    errors = [i for i in report.issues if i.severity == "error"]
    if errors:
        print(
            f"{len(errors)} problem(s) must be fixed before matching "
            "(or rerun with --keep-first for repeated members):",
            file=err,
        )
        _print_issues(errors, err)
        return None
    people = report.people
    if args.history:
        from mentoring.reading.history import plan_history, read_history

        plan = plan_history(people, read_history(args.history), config)
        people, config = plan.people, plan.config
        print(f"history: {len(plan.changes)} change(s) from past programs applied.", file=err)
    return people, config


def _match(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from mentoring.outputs.explain import certainty
    from mentoring.outputs.export import export_bytes
    from mentoring.pipeline import match

    # One clock from reading to writing, so the log says where the time of a run went.
    progress = _Progress(err)
    loaded = _checked_people(args, err, progress)
    if loaded is None:
        return 1
    people, config = loaded
    if args.mentee_capacity is not None:
        config = config.with_(default_mentee_capacity=args.mentee_capacity)
    if args.into or args.add or args.checkin:
        result = _match_through_the_year(args, people, config, progress, out)
    else:
        result = match(people, config, progress=progress.update)
    progress.done()
    s = result.stats
    print(
        f"{s.n_matched} of {s.n_mentees} mentees matched ({s.n_priority_matched} of "
        f"{s.n_priority} priority); mean score {s.mean_score:.3f}, total {s.total_score:.3f}; "
        f"{s.mentors_at_capacity} mentors at capacity; objective {config.objective}; "
        f"{certainty(s)}; {s.seconds:.2f} s.",
        file=err if args.output is None else out,
    )
    for issue in result.issues:
        print(f"  {issue}", file=err)
    if result.goal_price is not None:
        for goal in result.goal_report.itertuples():
            print(f"  goal {'met' if goal.met else 'NOT met'}: {goal.goal}", file=err)
        if result.goal_explanation:
            print(f"  {result.goal_explanation}", file=err)
        print(f"  the goals cost {result.goal_price:.3f} in total score.", file=err)
    if not result.audit.ok:
        print("audit failed: " + "; ".join(result.audit.problems), file=err)
        return 3
    if args.per_mentee:
        from mentoring.outputs.export import safe_frame_csv
        from mentoring.outputs.mentees import mentee_view

        view = mentee_view(result)
        _write_output(Path(args.per_mentee), safe_frame_csv(view), f"{len(view)} mentees", out)
    if args.output is None:
        table = result.pairs[["mentee_name", "mentor_name", "score", "reasons"]]
        print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"), file=out)
        return 0
    target = Path(args.output)
    suffix = target.suffix.casefold()
    if suffix not in (".csv", ".xlsx"):
        raise ConfigError(f"{target}: the output must end in .csv or .xlsx.")
    kind: Literal["csv", "xlsx"] = "xlsx" if suffix == ".xlsx" else "csv"
    progress.stage(f"Writing the pairs to {target.name}")
    data = export_bytes(result, people, kind, include_demographics=args.include_demographics)
    _write_output(target, data, f"{len(result.pairs)} pairs", out)
    progress.stage("Written")
    progress.done()
    return 0


def _match_through_the_year(
    args: argparse.Namespace,
    people: pd.DataFrame,
    config: MatchConfig,
    progress: _Progress,
    out: TextIO,
) -> Any:
    """``match --add ... --into ...`` (newcomers) or ``match --checkin ... --into ...``."""
    from mentoring.lifecycle import match_newcomers, rematch_after_checkin

    if not args.into:
        raise ConfigError(
            "--add and --checkin need --into PAIRS: the earlier pairs (our matches export)."
        )
    if not Path(args.into).exists():
        raise ConfigError(f"{args.into}: no such file. Check the name and the folder.")
    if args.checkin:
        for source in args.checkin:
            if not Path(source).exists():
                raise ConfigError(f"{source}: no such file. Check the name and the folder.")
        found = rematch_after_checkin(
            people, args.into, args.checkin, config, year=args.year, progress=progress.update
        )
        progress.done()
        print(found.summary, file=out)
        if len(found.changes):
            shown = found.changes[["mentee_name", "old_mentor_name", "new_mentor_name", "why"]]
            print(shown.to_string(index=False), file=out)
        if args.history_out:
            data = found.history.to_csv(index=False).encode()
            _write_output(Path(args.history_out), data, f"{len(found.history)} ended pairs", out)
        return found.result
    newcomers = match_newcomers(
        people,
        args.into,
        config,
        suggest_changes=args.suggest_changes,
        keep_pending=not args.only_approved,
        progress=progress.update,
    )
    progress.done()
    print(newcomers.summary, file=out)
    if len(newcomers.would_change):
        print("Pairs a free re-match would change (not changed):", file=out)
        print(newcomers.would_change.to_string(index=False), file=out)
    return newcomers.result


def _write_output(target: Path, data: bytes, what: str, out: TextIO) -> None:
    """Every ``-o`` file goes through here, so a bad path is a sentence from every command."""
    try:
        target.write_bytes(data)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ConfigError(
            f"{target}: cannot write the file ({reason}). Check that the folder exists and "
            "that you may write there, or pass another path with -o."
        ) from exc
    print(f"wrote {what} to {target}", file=out)


def _compare(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from mentoring.pipeline import compare_objectives

    loaded = _checked_people(args, err)
    if loaded is None:
        return 1
    people, config = loaded
    table = compare_objectives(people, config, group_field=args.group)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"), file=out)
    return 0


def _why(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from mentoring.engine.cohort import score_people
    from mentoring.outputs.counterfactual import counterfactuals
    from mentoring.pipeline import match

    loaded = _checked_people(args, err)
    if loaded is None:
        return 1
    people, config = loaded
    result = match(people, config)
    cohort = score_people(people, config)
    unknown = sorted(set(args.mentee) - set(cohort.mentee_ids))
    if unknown:
        raise ConfigError(f"not a mentee in these files: {', '.join(unknown)}.")
    table = counterfactuals(cohort, result.pairs, mentees=args.mentee or None)
    names = dict(zip(people["member_id"], people["name"], strict=True))
    table.insert(1, "mentee_name", table["mentee_id"].map(names))
    table.insert(
        table.columns.get_loc("best_mentor_id") + 1,
        "best_mentor_name",
        table["best_mentor_id"].map(names),
    )
    table["losses"] = [", ".join(f"{v:.3f}" for v in losses) for losses in table["losses"]]
    table["alternatives"] = [
        ", ".join(names.get(m, m) for m in alts) for alts in table["alternatives"]
    ]
    shown = table[["mentee_name", "best_mentor_name", "why_not", "alternatives", "losses"]]
    if args.output:
        from mentoring.outputs.export import safe_frame_csv

        _write_output(Path(args.output), safe_frame_csv(table), f"{len(table)} rows", out)
    else:
        print(shown.to_string(index=False), file=out)
    return 0


def _circles(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from mentoring.engine.circles import form_circles, peer_pairs

    loaded = _checked_people(args, err)
    if loaded is None:
        return 1
    people, config = loaded
    if args.pairs:
        table = peer_pairs(people, config)
        print(f"{len(table)} peer pairs.", file=err)
    else:
        if not 2 <= args.min_size <= args.max_size:
            raise ConfigError("circle sizes must satisfy 2 <= --min-size <= --max-size.")
        circles = form_circles(
            people,
            config,
            min_size=args.min_size,
            max_size=args.max_size,
            diversity_field=args.diversity_field,
        )
        table = circles.circles
        print(
            f"{table['circle'].nunique() if len(table) else 0} circles; mean within-circle score "
            f"{circles.quality:.3f} (upper bound {circles.bound:.3f}).",
            file=err,
        )
    if args.output:
        from mentoring.outputs.export import safe_frame_csv

        _write_output(Path(args.output), safe_frame_csv(table), f"{len(table)} rows", out)
    else:
        print(table.to_string(index=False), file=out)
    return 0


_COMMANDS = {
    "validate": _validate,
    "match": _match,
    "compare": _compare,
    "why": _why,
    "circles": _circles,
}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
