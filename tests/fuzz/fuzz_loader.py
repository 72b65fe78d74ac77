"""Fuzz the member-file loader: mutated bytes must give a LoadReport or a LoadError, nothing else.

Usage: ``python tests/fuzz/fuzz_loader.py --seconds 60 [--seed 0] [--save-crashes DIR]``.

Seeds are the files in ``tests/fuzz/corpus/`` (CSV and XLSX). Three in ten executions load a
form-like CSV synthesised from known question headers and awkward answers (to reach every
value parser); the others take a seed,
applies a few random mutations (byte flips, inserted separators, quotes, NULs, BOMs, "None",
formula prefixes, splices of two seeds, truncation; for workbooks, also edits inside one XML
part followed by re-zipping, so the workbook reader itself is exercised) and calls
:func:`mentoring.validate.load_members` on the result under a file name of a random kind. A
crash is any exception other than :class:`LoadError`, a broken ``rows_read == rows_kept +
rows_dropped``, or one execution running over ``--hang-seconds``. The run prints the number of
executions and each distinct crash, and exits 1 if there was any (0 otherwise).
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import signal
import sys
import time
import traceback
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "src"))

from mentoring.model.errors import LoadError  # noqa: E402
from mentoring.reading.loader import load_members  # noqa: E402

__all__ = ["Crash", "FuzzResult", "fuzz", "load_target", "main", "mutate", "synthesise"]

INTERESTING: tuple[bytes, ...] = (
    b",",
    b";",
    b"\t",
    b"|",
    b'"',
    b"'",
    b"\r",
    b"\n",
    b"\r\n",
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\x81",
    b"\xff",
    b"None",
    b"NA",
    b"007",
    b"two",
    b"UTC-5",
    b"America/Chicago",
    b"Mentor",
    b"Mentee",
    b"Both",
    b"'=1+1",
    b"=SUM(A1)",
    b"sep=;\n",
    b"Other: ",
    b"Email",
    b"Role",
    b"Name",
    b"@",
    b"\xc3\xa9",
    b"\xe2\x80\x9c",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0",
    b"x" * 5000,
)
NAMES = ("m.csv", "m.xlsx", "m.txt", "m.tsv", "upload")
HEADERS: tuple[str, ...] = (
    "Name", "Full name", "First name", "Last name", "Email", "Email Address", "Member ID",
    "Role", "Would you like to mentor, be mentored, or both?", "both mentor and mentee",
    "Capacity", "How many mentees can you take on?", "Time zone", "How would you prefer to meet?",
    "Years", "Career stage", "grade", "Interests", "What can you offer as a mentor?",
    "What do you hope to gain from a mentor?", "Languages", "Race or ethnicity",
    "Do you identify as LGBTQ+?", "Would you like a mentor who shares part of your identity?",
    "match with similar identity", "identity to match", "My first choice mentor is:",
    "My second choice mentor is:", "Who have you been paired with before?", "Priority",
    "Are you open to peer mentoring?", "Institution", "Library type", "Notes", "Timestamp", "",
)  # fmt: skip
VALUES: tuple[str, ...] = (
    "", " ", "Ada", "Ada Lovelace", "ada lovelace", "Bo", "ada@x.org", "ADA@X.ORG ", "anonymous",
    "007", "None", "NA", "Mentor", "Mentee", "Both", "mentor and mentee", "Either", "volunteer",
    "yes", "no", "Maybe", "Prefer not to say", "two", "2-3", "up to 4", "lots", "-1", "UTC-5",
    "Etc/GMT+5", "America/Chicago", "Narnia", "Online", "In person", "5-10", "10+", "a while",
    "Early career (0-5 years)", "SCS2", "Outreach, Diversity, equity and inclusion; Other: zines",
    "Race or ethnicity", "Gay", "Black or African American", "'=1+1", "=SUM(A1)", "Other:",
    "a and b", "\n", "x" * 300,
)  # fmt: skip


@dataclass(frozen=True)
class Crash:
    """One distinct failure: its kind, where it happened and an input that triggers it."""

    signature: str
    message: str
    data: bytes
    name: str


@dataclass
class FuzzResult:
    """What a fuzzing run did."""

    executions: int = 0
    load_errors: int = 0
    seconds: float = 0.0
    crashes: dict[str, Crash] = field(default_factory=dict)


class Hang(Exception):
    """One execution ran longer than allowed."""


def load_target(name: str, data: bytes) -> None:
    """Load one input; raise unless it gives a LoadReport that loses no row, or a LoadError."""
    report = load_members((name, data))
    if report.rows_read != report.rows_kept + report.rows_dropped:
        raise AssertionError(
            f"rows lost: read {report.rows_read}, kept {report.rows_kept}, "
            f"dropped {report.rows_dropped}"
        )
    if not report.people["member_id"].is_unique:
        raise AssertionError("member_id is not unique")


def _mutate_bytes(data: bytes, rng: random.Random, seeds: Sequence[bytes]) -> bytes:
    buf = bytearray(data)
    choice = rng.randrange(9)
    pos = rng.randrange(len(buf) + 1)
    if choice == 0 and buf:
        buf[min(pos, len(buf) - 1)] ^= 1 << rng.randrange(8)
    elif choice == 1:
        buf[pos:pos] = rng.choice(INTERESTING)
    elif choice == 2 and buf:
        end = min(len(buf), pos + rng.randrange(1, 64))
        del buf[pos:end]
    elif choice == 3 and buf:
        end = min(len(buf), pos + rng.randrange(1, 256))
        buf[pos:pos] = buf[pos:end] * rng.randrange(1, 4)
    elif choice == 4 and buf:
        buf = buf[: rng.randrange(len(buf))]
    elif choice == 5:
        other = rng.choice(seeds)
        cut = rng.randrange(len(other) + 1)
        buf = buf[:pos] + bytearray(other[cut:])
    elif choice == 6 and buf:
        buf[min(pos, len(buf) - 1)] = rng.randrange(256)
    elif choice == 7:
        buf[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16)))
    else:
        line = b"\r\n" + b",".join(rng.choice(INTERESTING) for _ in range(rng.randrange(1, 8)))
        buf[pos:pos] = line
    return bytes(buf)


def _mutate_zip(data: bytes, rng: random.Random, seeds: Sequence[bytes]) -> bytes | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError, RuntimeError):
        return None
    xml = sorted(n for n in parts if n.endswith((".xml", ".rels")))
    if not xml:
        return None
    target = rng.choice(xml)
    for _ in range(rng.randrange(1, 4)):
        parts[target] = _mutate_bytes(parts[target], rng, seeds)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rebuilt:
        for name, body in parts.items():
            rebuilt.writestr(name, body)
    return out.getvalue()


def mutate(data: bytes, rng: random.Random, seeds: Sequence[bytes], max_size: int) -> bytes:
    """A random mutant of ``data`` (at most ``max_size`` bytes)."""
    if data.startswith(b"PK") and rng.random() < 0.6:
        rezipped = _mutate_zip(data, rng, seeds)
        if rezipped is not None:
            return rezipped
    for _ in range(rng.randrange(1, 6)):
        data = _mutate_bytes(data, rng, seeds)
    return data[:max_size]


def synthesise(rng: random.Random) -> bytes:
    """A form-like CSV from known question headers and awkward answers, to reach the parsers."""
    headers = rng.sample(HEADERS, rng.randrange(1, 10))
    delimiter = rng.choice([",", ";", "\t", "|"])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=rng.choice(["\n", "\r\n"]))
    writer.writerow(headers)
    for _ in range(rng.randrange(0, 12)):
        writer.writerow([rng.choice(VALUES) for _ in headers])
    encoding = rng.choice(["utf-8", "utf-8-sig", "utf-16", "cp1252"])
    return out.getvalue().encode(encoding, errors="replace")


def _signature(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "mentoring" in f.filename] or frames
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    return f"{type(exc).__name__} at {where}"


def _on_alarm(signum: int, frame: object) -> None:
    raise Hang("one execution took too long")


def fuzz(
    target: Callable[[str, bytes], None],
    seeds: Sequence[bytes],
    *,
    seconds: float,
    seed: int = 0,
    max_size: int = 65_536,
    hang_seconds: float = 20.0,
) -> FuzzResult:
    """Run ``target`` on mutants of ``seeds`` for about ``seconds``; collect distinct crashes.

    ``target`` is called as ``target(file_name, data)``; :class:`LoadError` counts as a normal
    outcome, any other exception as a crash (one kept per signature).
    """
    if not seeds:
        raise ValueError("expected at least one seed input, got none")
    rng = random.Random(seed)
    result = FuzzResult()
    start = time.monotonic()
    can_alarm = hasattr(signal, "setitimer")
    previous = signal.signal(signal.SIGALRM, _on_alarm) if can_alarm else None
    try:
        while time.monotonic() - start < seconds:
            base = rng.choice(seeds)
            if result.executions < len(seeds):
                data = base
            elif rng.random() < 0.3:
                data = synthesise(rng)
            else:
                data = mutate(base, rng, seeds, max_size)
            name = rng.choice(NAMES)
            if can_alarm:
                signal.setitimer(signal.ITIMER_REAL, hang_seconds)
            try:
                target(name, data)
            except LoadError:
                result.load_errors += 1
            except Exception as exc:
                signature = _signature(exc)
                if signature not in result.crashes:
                    result.crashes[signature] = Crash(signature, str(exc)[:500], data, name)
            finally:
                if can_alarm:
                    signal.setitimer(signal.ITIMER_REAL, 0)
            result.executions += 1
    finally:
        if can_alarm:
            signal.signal(signal.SIGALRM, previous)
    result.seconds = time.monotonic() - start
    return result


def _seeds(folder: Path) -> list[bytes]:
    return [p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fuzz mentoring's member-file loader.")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to run")
    parser.add_argument("--seed", type=int, default=0, help="random seed (runs are repeatable)")
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus", help="seed inputs")
    parser.add_argument("--max-size", type=int, default=65_536, help="largest input in bytes")
    parser.add_argument("--hang-seconds", type=float, default=20.0, help="slowest allowed input")
    parser.add_argument("--save-crashes", type=Path, help="write each crashing input here")
    args = parser.parse_args(argv)
    seeds = _seeds(args.corpus)
    result = fuzz(
        load_target,
        seeds,
        seconds=args.seconds,
        seed=args.seed,
        max_size=args.max_size,
        hang_seconds=args.hang_seconds,
    )
    rate = result.executions / result.seconds if result.seconds else 0.0
    print(
        f"executions: {result.executions} ({rate:.0f}/s) in {result.seconds:.1f} s from "
        f"{len(seeds)} seeds; load errors: {result.load_errors}; crashes: {len(result.crashes)}"
    )
    for number, crash in enumerate(result.crashes.values(), 1):
        print(
            f"crash {number}: {crash.signature}: {crash.message} (input {crash.name!r}, "
            f"{len(crash.data)} bytes: {crash.data[:80]!r})"
        )
        if args.save_crashes:
            args.save_crashes.mkdir(parents=True, exist_ok=True)
            (args.save_crashes / f"crash-{number}-{crash.name}").write_bytes(crash.data)
    return 1 if result.crashes else 0


if __name__ == "__main__":
    raise SystemExit(main())
