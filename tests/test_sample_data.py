"""The sample cohort: reproducible, realistic in size and mix and mess, and loadable."""

from __future__ import annotations

import csv
import doctest
import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from mentoring.model.config import COMPONENTS, MatchConfig
from mentoring.model.people import PEOPLE_COLUMNS
from mentoring.reading import loader as validate

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


def _load_generator():
    spec = importlib.util.spec_from_file_location("sample_generate", SAMPLE / "generate.py")
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the class is being built.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = _load_generator()


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


@pytest.fixture(scope="module")
def members():
    return read_rows(SAMPLE / "members.csv")


def column(members, header: str) -> list[str]:
    headers, rows = members
    index = headers.index(header)
    return [r[index] for r in rows]


def test_regenerating_gives_byte_identical_files(tmp_path):
    written = generate.write_all(tmp_path)
    assert sorted(p.name for p in written) == ["members.csv", "template.csv"]
    for path in written:
        assert path.read_bytes() == (SAMPLE / path.name).read_bytes(), (
            f"{path.name} is out of date: run `make sample` and commit the result."
        )


def test_generator_runs_from_the_command_line(tmp_path):
    assert generate.main(["--out", str(tmp_path)]) == 0
    assert (tmp_path / "members.csv").read_bytes() == generate.members_csv()


def test_shaped_like_a_google_forms_export(members):
    headers, rows = members
    assert headers == list(generate.HEADERS)
    assert headers[0] == "Timestamp"
    assert (SAMPLE / "members.csv").read_bytes().count(b"\r\n") >= len(rows)
    assert all(len(r) == len(headers) for r in rows)


def test_size_and_role_mix(members):
    roles = Counter(r.strip().lower() for r in column(members, generate.HEADERS[4]))
    _, rows = members
    assert len(rows) >= 300
    assert len(rows) == generate.N_PEOPLE + 1
    people = dict(generate.ROLE_COUNTS)
    assert sum(people.values()) == generate.N_PEOPLE
    assert roles == Counter({**people, "mentee": people["mentee"] + 1})
    assert 0.35 <= roles["mentee"] / len(rows) <= 0.45
    assert 0.35 <= roles["mentor"] / len(rows) <= 0.45
    assert 0.15 <= roles["both"] / len(rows) <= 0.25


def test_fictional_people_only(members):
    emails = [e.strip().lower() for e in column(members, "Email Address")]
    assert all(e.endswith("@example.org") for e in emails)
    for name in column(members, "Full name"):
        first, last = name.strip().split(" ", 1)
        assert first in generate.FIRST_NAMES and last in generate.LAST_NAMES


def test_has_the_mess_real_exports_have(members):
    _, rows = members
    cells = [c for r in rows for c in r]
    capacity = column(members, "How many mentees can you take on? (mentors)")
    interests = column(members, "What are your areas of interest?")
    emails = column(members, "Email Address")
    assert any(c.startswith("Other: ") for c in cells)
    assert {"two", "One mentee only, please!"} & set(capacity)
    assert generate.UNPARSEABLE_CAPACITY in capacity
    assert any("Diversity, equity and inclusion" in c for c in interests)
    assert any(";" in c for c in interests) and any(", " in c for c in interests)
    assert any(c != c.strip() for c in emails)
    assert len({e.strip().lower() for e in emails}) == len(rows) - 1
    assert any(m.startswith("0") for m in column(members, "ALA member ID"))
    assert any(c[:1] in "=+-@" for c in column(members, "Anything else we should know?") if c)
    assert "" in column(members, "Race or ethnicity (optional)")
    chosen = [c for c in column(members, "My first choice mentor is:") if c]
    names = {n.strip() for n in column(members, "Full name")}
    assert any(c in names for c in chosen) and any(c not in names for c in chosen)


def test_template_uses_canonical_fields_and_joined_values():
    headers, rows = read_rows(SAMPLE / "template.csv")
    assert set(headers) <= set(PEOPLE_COLUMNS)
    assert {"member_id", "name", "email", "role"} <= set(headers)
    assert 3 <= len(rows) <= 4
    assert any("; " in c for r in rows for c in r)


def test_example_config_loads_and_names_every_weight_and_setting(members):
    config, mapping = MatchConfig.from_toml(SAMPLE / "config.example.toml")
    text = (SAMPLE / "config.example.toml").read_text(encoding="utf-8")
    assert config.objective == "coverage"
    weights_table = text.split("[weights]")[1].split("[")[0]
    assert re.findall(r"^(\w+) =", weights_table, re.MULTILINE) == list(COMPONENTS)
    for setting in MatchConfig().to_dict():
        if setting not in ("weights", "goals"):
            assert re.search(rf"^{setting} =", text, re.MULTILINE), setting
    headers, _ = members
    assert set(mapping) <= set(headers)


def test_generator_examples_run():
    # sample_data/ is outside the doctest paths, so its examples are run here.
    outcome = doctest.testmod(generate, optionflags=doctest.ELLIPSIS)
    assert outcome.attempted >= 4 and outcome.failed == 0


def test_sample_loads_with_every_row_accounted_for():
    report = validate.load_members(SAMPLE / "members.csv")
    people, issues = report.people, list(report.issues)
    assert len(people) == generate.N_PEOPLE
    assert people["role"].value_counts().to_dict() == generate.ROLE_COUNTS
    codes = Counter(i.code for i in issues)
    errors = [i for i in issues if i.severity == "error"]
    # The one row not kept is the duplicate submission, and it is reported.
    assert [i.code for i in errors] == ["duplicate_member"]
    assert codes["capacity_unparsed"] == 1 and codes["years_unparsed"] == 1


def test_template_loads_cleanly():
    report = validate.load_members(SAMPLE / "template.csv")
    assert len(report.people) == 4
    assert [i for i in report.issues if i.severity != "info"] == []
