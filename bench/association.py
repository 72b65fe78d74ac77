"""Association-scale sign-up files: the sample's Google Forms export, grown to any size.

``python bench/association.py 200000 --files 4 --out DIR`` writes ``DIR/members_1.csv`` ...
``members_4.csv``: 200,000 fictional members, about two mentees to each mentor, in the very
shape of ``sample_data/members.csv`` (its headers, its messy answers, made by its own row
writer) plus one free-text question each side answers in its own column. Names, emails and
member ids are unique at any size; institutions come from a few thousand, so the
same-institution rule bites as it does in a real association. The output depends only on the
seed and the size.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

from criteria_case import NEEDS, OFFERS, free_text_answers

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "sample_data"))

import generate as sample  # noqa: E402  (the sample's own vocabularies and row writer)

__all__ = ["FREE_TEXT_HEADERS", "write_files"]

FREE_TEXT_HEADERS = (
    "In a sentence or two, what would you like to work on with a mentor? (mentees)",
    "In a sentence or two, what could you help a mentee with? (mentors)",
)
ROLE_SHARES = (("mentee", 62), ("mentor", 31), ("both", 7))
_TOWNS = (
    "Ash",
    "Birch",
    "Cedar",
    "Elm",
    "Fox",
    "Glen",
    "Hazel",
    "Iron",
    "Juniper",
    "Lake",
    "Maple",
    "North",
    "Oak",
    "Pine",
    "Quarry",
    "River",
    "Stone",
    "Willow",
)
_TOWN_ENDS = ("field", "ford", "wood", "ville", "ton", "bury", "dale", "port", "brook", "haven")
_KINDS = {
    "Academic library": ("University Libraries", "College Library", "Community College Library"),
    "Public library": ("Public Library", "County Library", "Library District"),
    "School library": ("High School Library", "Middle School Library", "School District"),
    "Special library": ("Medical Center Library", "Law Library", "Museum Library"),
}


def _institutions(rng: random.Random) -> dict[str, list[str]]:
    towns = [f"{a}{b}" for a in _TOWNS for b in _TOWN_ENDS]
    return {
        kind: [f"{town} {rng.choice(ends)}" for town in towns for _ in range(3)]
        for kind, ends in _KINDS.items()
    }


def _person(
    rng: random.Random, index: int, role: str, places: dict[str, list[str]]
) -> sample.Person:
    first = rng.choice(sample.FIRST_NAMES)
    last = rng.choice(sample.LAST_NAMES)
    middle = chr(ord("A") + rng.randrange(26))
    stage_weights = sample.STAGE_WEIGHTS[role]
    stage = rng.choices(list(stage_weights), weights=list(stage_weights.values()), k=1)[0]
    library_type = sample._weighted(rng, sample.LIBRARY_TYPES)
    kind = library_type if library_type in places else "Academic library"
    chapter = rng.choice(sample.CHAPTERS)
    zone = sample.CHAPTER_ZONE.get(chapter, "Eastern")
    local = f"{first}.{middle}.{last}".lower().replace("'", "").replace(" ", "")
    local = local.replace("í", "i").replace("é", "e")
    return sample.Person(
        index=index,
        role=role,
        name=f"{first} {middle}. {last}",
        email=f"{local}.{index}@example.org",
        member_id=f"{1_000_000 + index:07d}",
        stage=stage,
        library_type=library_type,
        institution=rng.choice(places[kind]),
        chapter=chapter,
        zone_label=sample.ZONES[zone] if rng.random() > 0.03 else rng.choice(sample.OTHER_ZONES),
    )


def _rows(n_members: int, seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    places = _institutions(rng)
    roles = [role for role, _ in ROLE_SHARES]
    weights = [share for _, share in ROLE_SHARES]
    people = [
        _person(rng, i, rng.choices(roles, weights, k=1)[0], places) for i in range(n_members)
    ]
    for person in people:
        person.identity = sample._identity(rng, person)
    mentors = [p for p in people if p.role in ("mentor", "both")]
    needs = iter(free_text_answers(n_members, NEEDS, seed))
    offers = iter(free_text_answers(n_members, OFFERS, seed + 1))
    when = datetime(2026, 2, 2, 8, 30, 0)
    rows = []
    for person in people:
        when += timedelta(seconds=rng.randint(1, 60))
        row = sample._row(rng, person, mentors, when)
        hopes, offer = next(needs), next(offers)
        row.append(hopes if person.role != "mentor" else "")
        row.append(offer if person.role != "mentee" else "")
        rows.append(row)
    return rows


def write_files(n_members: int, n_files: int, out_dir: Path, seed: int = 20261201) -> list[Path]:
    """Write ``n_members`` members split evenly into ``n_files`` CSV files; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = _rows(n_members, seed)
    header = [*sample.HEADERS, *FREE_TEXT_HEADERS]
    paths = []
    share = -(-n_members // n_files)
    for number in range(n_files):
        path = out_dir / f"members_{number + 1}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(header)
            writer.writerows(rows[number * share : (number + 1) * share])
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("members", type=int)
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=20261201)
    args = parser.parse_args(argv)
    for path in write_files(args.members, args.files, args.out, args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
