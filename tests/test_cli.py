"""The `mentoring` command on the sample, on real files nobody here wrote, and on bad input."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from mentoring.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "members.csv"
SHARED = Path(__file__).resolve().parent / "data" / "realworld"
JONODREW = SHARED / "jonodrew_mentor_match"


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def matched_count(err: str) -> int:
    """The number of matched mentees from the summary line (progress lines come before it)."""
    (line,) = [line for line in err.splitlines() if " mentees matched (" in line]
    return int(line.split(" of ")[0])


def test_validate_lists_mapping_and_problems_of_the_sample():
    code, out, _ = run("validate", SAMPLE)
    assert code == 1
    assert "'What are your areas of interest?' -> question (interests), overlap" in out
    assert "same member ID" in out and "row 322" in out
    assert "321 rows read: 320 kept as 320 members" in out


def test_validate_real_jonodrew_files_given_as_roles_is_clean():
    code, out, _ = run(
        "validate",
        "--mentors",
        JONODREW / "small_mentors.csv",
        "--mentees",
        JONODREW / "small_mentees.csv",
    )
    assert code == 0, out
    assert "100 rows read: 100 kept as 100 members" in out


def test_headings_only_export_is_refused_with_a_clear_message():
    code, _, err = run("validate", JONODREW / "form-output-headings.csv")
    assert code == 2
    assert "no members found" in err and "Traceback" not in err


def test_match_blocks_on_errors_until_keep_first():
    code, _, err = run("match", SAMPLE)
    assert code == 1 and "--keep-first" in err


def test_match_writes_csv_with_every_pair(tmp_path):
    target = tmp_path / "matches.csv"
    code, out, _ = run("match", SAMPLE, "--keep-first", "-o", target)
    assert code == 0, out
    table = pd.read_csv(target, dtype=str, keep_default_na=False)
    assert len(table) == int(out.split(" of ")[0])
    assert {"mentee_name", "mentor_name", "score", "reasons"} <= set(table.columns)
    assert not {"identities", "mentee_identities"} & set(table.columns)


def test_match_writes_xlsx_with_pairs_mentors_and_unmatched_sheets(tmp_path):
    target = tmp_path / "matches.xlsx"
    code, _, _ = run("match", SAMPLE, "--keep-first", "-o", target, "--objective", "quality")
    assert code == 0
    assert openpyxl.load_workbook(target).sheetnames == ["Pairs", "Mentors", "Unmatched"]


def test_match_real_jonodrew_files(tmp_path):
    code, out, err = run(
        "match",
        "--mentors",
        JONODREW / "small_mentors.csv",
        "--mentees",
        JONODREW / "small_mentees.csv",
    )
    assert code == 0, err
    assert "mentees matched" in err and "optimal (certified)" in err


def test_real_student_allocation_with_an_explicit_mapping(tmp_path):
    """daffidwilde's students rank projects in ragged columns 0-24; projects have capacities."""
    folder = SHARED / "daffidwilde_matching"
    choices = "".join(f'"{k}" = "preferred_mentors"\n' for k in range(25))
    config = tmp_path / "config.toml"
    config.write_text(
        '[mapping]\nname = "name"\ncode = "name"\ncapacity = "capacity"\n'
        f'supervisor = "notes"\nrank = "notes"\n{choices}',
        encoding="utf-8",
    )
    target = tmp_path / "allocation.csv"
    code, _, err = run(
        "match",
        "--mentees",
        folder / "sa_students.csv",
        "--mentors",
        folder / "sa_projects.csv",
        "-c",
        config,
        "-o",
        target,
    )
    assert code == 0, err
    students = pd.read_csv(folder / "sa_students.csv", dtype=str, keep_default_na=False)
    ranked = {
        row["name"]: [row[str(k)] for k in range(25) if row[str(k)]]
        for _, row in students.iterrows()
    }
    capacity = pd.read_csv(folder / "sa_projects.csv", dtype=str).set_index("code")["capacity"]
    pairs = pd.read_csv(target, dtype=str, keep_default_na=False)
    assert len(pairs) == 100
    listed = [
        m for m, r in zip(pairs.mentee_name, pairs.mentor_name, strict=True) if r in ranked[m]
    ]
    # Students who named at least one project all get one they named.
    assert len(listed) == sum(1 for r in ranked.values() if r)
    assert (
        pairs.mentor_name.value_counts()
        <= capacity.astype(int)[pairs.mentor_name.value_counts().index]
    ).all()


def test_config_file_sets_weights_and_rules(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(
        'min_score = 0.75\nobjective = "quality"\n[weights]\ninterests = 5\n', encoding="utf-8"
    )
    code, _, err = run("match", SAMPLE, "--keep-first", "-c", config)
    assert code == 0
    assert "objective quality" in err
    _, _, default_err = run("match", SAMPLE, "--keep-first")
    assert matched_count(err) < matched_count(default_err)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["match", "missing.csv"], "no such file"),
        (["match"], "no member files given"),
        (["match", str(SAMPLE), "--keep-first", "-o", "out.pdf"], "must end in .csv or .xlsx"),
    ],
)
def test_bad_invocations_get_a_sentence_not_a_traceback(args, message):
    code, _, err = run(*args)
    assert code == 2 and message in err and "Traceback" not in err


def test_unknown_setting_in_config_is_named(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("min_scor = 0.5\n", encoding="utf-8")
    code, _, err = run("match", SAMPLE, "-c", config)
    assert code == 2 and "min_scor" in err


def test_compare_prints_one_row_per_objective():
    code, out, _ = run("compare", SAMPLE, "--keep-first", "--group", "library_type")
    assert code == 0
    for objective in ("coverage", "quality", "egalitarian", "stable"):
        assert objective in out


def test_installed_console_script_runs():
    completed = subprocess.run(
        [str(Path(sys.executable).parent / "mentoring"), "validate", str(SAMPLE)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 1
    assert "kept as 320 members" in completed.stdout


def test_history_forbids_last_years_pairs(tmp_path):
    last_year = tmp_path / "matches_2025.csv"
    assert run("match", SAMPLE, "--keep-first", "-o", last_year)[0] == 0
    this_year = tmp_path / "matches_2026.csv"
    code, _, err = run("match", SAMPLE, "--keep-first", "--history", last_year, "-o", this_year)
    assert code == 0, err
    assert "change(s) from past programs applied" in err
    before = pd.read_csv(last_year, dtype=str)
    after = pd.read_csv(this_year, dtype=str)
    repeated = set(zip(before.mentee_id, before.mentor_id, strict=True)) & set(
        zip(after.mentee_id, after.mentor_id, strict=True)
    )
    assert not repeated
    assert len(after) > 0.9 * len(before)


@pytest.mark.parametrize("objective", ["coverage", "quality", "egalitarian", "stable"])
def test_every_objective_from_the_command_line(objective):
    code, out, err = run("match", SAMPLE, "--keep-first", "--objective", objective)
    assert code == 0, err
    assert f"objective {objective}" in err
    assert "mentee_name" in out


def test_goals_from_the_config_file_are_reported(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(
        '[[goals]]\nkind = "priority_covered"\n\n'
        '[[goals]]\nkind = "identity_share"\nmin_fraction = 0.6\n',
        encoding="utf-8",
    )
    code, _, err = run("match", SAMPLE, "--keep-first", "-c", config)
    assert code == 0, err
    assert err.count("goal met") == 2
    assert "the goals cost" in err


def test_circles_and_peer_pairs(tmp_path):
    target = tmp_path / "circles.csv"
    code, out, err = run(
        "circles",
        SAMPLE,
        "--keep-first",
        "--min-size",
        "4",
        "--max-size",
        "6",
        "--diversity-field",
        "library_type",
        "-o",
        target,
    )
    assert code == 0, err
    assert "upper bound" in err
    circles = pd.read_csv(target, dtype=str)
    sizes = circles.groupby("circle").size()
    assert sizes.between(4, 6).all()
    code, out, err = run("circles", SAMPLE, "--keep-first", "--pairs")
    assert code == 0 and "peer pairs" in err


def test_bad_circle_sizes_are_refused():
    code, _, err = run("circles", SAMPLE, "--keep-first", "--min-size", "5", "--max-size", "3")
    assert code == 2 and "--min-size" in err


def test_why_explains_every_mentee_and_writes_csv(tmp_path):
    target = tmp_path / "why.csv"
    code, _, err = run("why", SAMPLE, "--keep-first", "-o", target)
    assert code == 0, err
    table = pd.read_csv(target, dtype=str, keep_default_na=False)
    assert len(table) == 192
    got_best = table["assigned_mentor_id"] == table["best_mentor_id"]
    assert (table.loc[got_best, "why_not"] == "assigned").all()
    assert table.loc[~got_best, "why_not"].str.match(r"capacity taken by|forbidden").all()
    assert (~got_best).any(), "some mentee on the sample does not get their best mentor"
    alternatives = table["alternatives"].str.split(", ").str.len()
    assert (alternatives == table["losses"].str.split(", ").str.len()).all()


def test_why_for_one_mentee_prints_a_table():
    members = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    role = members["Would you like to mentor, be mentored, or both?"].str.strip().str.lower()
    wanted = members.loc[role == "mentee", "ALA member ID"].iloc[0]
    code, out, err = run("why", SAMPLE, "--keep-first", "--mentee", wanted)
    assert code == 0, err
    assert "best_mentor_name" in out and len(out.strip().splitlines()) == 2


def test_why_names_an_unknown_mentee():
    code, _, err = run("why", SAMPLE, "--keep-first", "--mentee", "nobody")
    assert code == 2 and "nobody" in err


@pytest.mark.parametrize(
    "command",
    [
        ("match", "--keep-first"),
        ("why", "--keep-first"),
        ("circles", "--keep-first", "--pairs"),
        ("circles", "--keep-first"),
    ],
    ids=["match", "why", "circles-pairs", "circles"],
)
def test_an_unwritable_output_path_is_a_sentence_from_every_command(tmp_path, command):
    target = tmp_path / "missing" / "folder" / "out.csv"
    code, out, err = run(command[0], SAMPLE, *command[1:], "-o", target)
    assert code == 2, err
    assert "cannot write the file" in err and "internal error" not in err
    assert str(target) in err and "Traceback" not in err
    assert not target.exists()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_one_line_per_stage_when_not_a_terminal():
    from mentoring.cli import _Progress

    err = io.StringIO()
    progress = _Progress(err)
    for done in range(0, 6_000, 400):
        progress.update(done / 6_000, f"Scored {done:,} of 6,009 mentees")
    progress.update(0.9, "Explaining the pairs")
    progress.done()
    lines = err.getvalue().splitlines()
    assert len(lines) == 2, lines
    assert lines[0].endswith("Scored 0 of 6,009 mentees") and lines[1].endswith(
        "Explaining the pairs"
    )


def test_progress_is_a_bar_on_a_terminal_and_is_cleared_at_the_end():
    from mentoring.cli import _Progress

    err = _Terminal()
    progress = _Progress(err, width=10)
    progress.update(0.5, "Scoring pairs")
    assert "[#####-----] Scoring pairs" in err.getvalue()
    progress.done()
    assert err.getvalue().endswith("\r")


def test_match_reports_its_stages_on_stderr():
    code, out, err = run("match", SAMPLE, "--keep-first")
    assert code == 0, err
    for stage in (
        "Reading the member files",
        "Reading the questions of 1 table(s)",
        "Reading the answers of table 1 of 1",
        "Finding the mentors named in the answers",
        "Building the people table",
        "Scoring pairs",
        "Explaining the pairs",
    ):
        assert stage in err
    # One clock from reading to writing: the stages' seconds never go back.
    seconds = [float(line[1:].split(" s]")[0]) for line in err.splitlines() if line[:1] == "["]
    assert seconds == sorted(seconds) and len(seconds) >= 8


def test_validate_json_prints_members_columns_and_issues_of_a_form():
    import json

    form = Path(__file__).resolve().parent / "data" / "forms" / "microsoft_forms_fabrikam.xlsx"
    code, out, _ = run("validate", form, "--json")
    summary = json.loads(out)
    assert set(summary) == {"members", "columns", "issues"}
    assert set(summary["members"]) == {"rows", "kept", "mentors", "mentees", "both"}
    assert summary["members"]["mentors"] > 0 and summary["members"]["mentees"] > 0
    columns = {(c["sheet"], c["header"]): c for c in summary["columns"]}
    for column in summary["columns"]:
        assert {
            "file",
            "sheet",
            "header",
            "use",
            "field",
            "pairs_with",
            "confidence",
            "evidence",
        } <= set(column)
        assert column["evidence"]
    # The form's own meta columns are the exporter's, not the members'.
    assert {columns[(s, "Email")]["use"] for s in ("Mentors", "Mentees")} == {"ignored"}
    assert {c["use"] for c in summary["columns"] if c["header"] == "WWID"} == {"id"}
    assert code == (1 if any(i["severity"] != "info" for i in summary["issues"]) else 0)


def test_validate_text_shows_unsure_guesses_first():
    form = Path(__file__).resolve().parent / "data" / "forms" / "qualtrics_archives_museums.csv"
    code, out, _ = run("validate", form)
    lines = [line for line in out.splitlines() if " -> " in line]
    flagged = [i for i, line in enumerate(lines) if line.startswith(" ?")]
    assert flagged == list(range(len(flagged)))
    assert all("%:" in line for line in lines)


def split_sample(tmp_path, late=20):
    """The sample with its last ``late`` rows as a newcomers' file."""
    rows = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    first, new = tmp_path / "first.csv", tmp_path / "new.csv"
    first.write_text("".join(rows[:-late]), encoding="utf-8")
    new.write_text(rows[0] + "".join(rows[-late:]), encoding="utf-8")
    return first, new


def pair_set(path):
    frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    return set(zip(frame["mentee_id"], frame["mentor_id"], strict=True))


def test_match_add_into_keeps_every_earlier_pair(tmp_path):
    first, new = split_sample(tmp_path)
    before, after, per = tmp_path / "pairs.csv", tmp_path / "after.csv", tmp_path / "per.csv"
    assert run("match", first, "--keep-first", "-o", before)[0] == 0
    code, out, err = run(
        "match",
        first,
        "--keep-first",
        "--add",
        new,
        "--into",
        before,
        "--suggest-changes",
        "-o",
        after,
        "--per-mentee",
        per,
    )
    assert code == 0, err
    assert "earlier pair(s) kept" in out and "optimal (certified)" in out
    assert pair_set(before) <= pair_set(after)
    assert len(pair_set(after)) > len(pair_set(before))
    view = pd.read_csv(per, dtype=str, encoding="utf-8-sig")
    assert {"mentee_id", "n_mentors", "mentors"} <= set(view.columns)


def test_match_checkin_into_rematches_only_the_ended_pairs(tmp_path):
    before, after, history = tmp_path / "pairs.csv", tmp_path / "after.csv", tmp_path / "h.csv"
    assert run("match", SAMPLE, "--keep-first", "-o", before)[0] == 0
    pairs = pd.read_csv(before, dtype=str, encoding="utf-8-sig")
    ended = pairs.iloc[:10]
    checkin = tmp_path / "checkin.csv"
    pd.DataFrame(
        {"Mentee email": ended["mentee_email"], "Mentor ID": ended["mentor_id"], "Status": "Ended"}
    ).to_csv(checkin, index=False)
    code, out, err = run(
        "match",
        SAMPLE,
        "--keep-first",
        "--checkin",
        checkin,
        "--into",
        before,
        "--history-out",
        history,
        "--year",
        "2026",
        "-o",
        after,
    )
    assert code == 0, err
    assert "10 pair(s) ended at the check-in" in out
    gone = set(zip(ended["mentee_id"], ended["mentor_id"], strict=True))
    assert not gone & pair_set(after)
    assert pair_set(before) - gone <= pair_set(after)
    changed = {e for e, _ in pair_set(after) - pair_set(before)}
    assert changed <= set(ended["mentee_id"])
    assert pair_set(history) == gone


def test_add_or_checkin_without_into_is_a_sentence(tmp_path):
    first, new = split_sample(tmp_path)
    code, _, err = run("match", first, "--keep-first", "--add", new)
    assert code == 2 and "--into" in err


def test_mentee_capacity_option_gives_mentees_two_mentors(tmp_path):
    target = tmp_path / "two.csv"
    code, out, err = run("match", SAMPLE, "--keep-first", "--mentee-capacity", "2", "-o", target)
    assert code == 0, err
    counts = pd.read_csv(target, dtype=str, encoding="utf-8-sig")["mentee_id"].value_counts()
    assert counts.max() == 2


def test_a_run_that_is_not_certified_says_by_how_much_it_may_be_off(tmp_path, monkeypatch):
    import mentoring.engine.twoway as twoway
    from mentoring.reading.synthetic import random_people

    # Everyone open to both roles and the proof search skipped: the run says how far off it may be.
    monkeypatch.setattr(twoway, "EXACT_CONFLICTS", -1)
    monkeypatch.setattr(twoway, "REPAIR_ROUNDS", 0)
    members = tmp_path / "all_both.csv"
    random_people(0, 0, n_both=120, seed=5)[
        ["member_id", "name", "email", "role", "interests"]
    ].assign(interests=lambda f: f["interests"].map("; ".join)).to_csv(members, index=False)
    code, _, err = run("match", members)
    assert code == 0, err
    summary = [line for line in err.splitlines() if " mentees matched (" in line]
    assert summary and (
        "optimal (certified)" in summary[0] or "NOT certified: at most" in summary[0]
    )
