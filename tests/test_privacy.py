"""Privacy promises from docs/privacy.md, checked through the public interfaces."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from mentoring.cli import main
from mentoring.model.config import MatchConfig
from mentoring.model.people import DEMOGRAPHIC_COLUMNS
from mentoring.outputs.export import matches_csv
from mentoring.pipeline import load_people, match
from mentoring.store.db import Store

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "members.csv"


def test_no_name_or_email_reaches_any_log(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    people, _ = load_people(SAMPLE, duplicates="keep_first")
    result = match(people, MatchConfig())
    store = Store(tmp_path / "m.sqlite3")
    program = store.ensure_default_program()
    store.save_members(program.id, people, [], {}, ["members.csv"])
    store.save_run(program.id, result.pairs, result.unmatched, {"n": 1}, MatchConfig())
    first = result.pairs.iloc[0]
    store.set_decision(program.id, first.mentee_id, first.mentor_id, "approved")
    store.delete_member(program.id, first.mentee_id)
    main(["match", str(SAMPLE), "--keep-first"], stdout=io.StringIO(), stderr=io.StringIO())
    logged = "\n".join(record.getMessage() for record in caplog.records)
    leaked = [
        value
        for value in (*people["name"], *people["email"])
        if value and len(value) > 3 and value in logged
    ]
    assert not leaked, leaked[:5]


def test_reasons_never_name_a_demographic_answer():
    people, _ = load_people(SAMPLE, duplicates="keep_first")
    result = match(people, MatchConfig())
    identities = {tag for cell in people["identities"] for tag in cell}
    assert identities, "the sample should hold some self-identified answers"
    reasons = " ".join(result.pairs["reasons"]) + " ".join(result.alternatives["reasons"])
    named = sorted(tag for tag in identities if f" {tag} " in f" {reasons} ")
    assert not named


def test_exports_leave_demographics_out_unless_asked():
    people, _ = load_people(SAMPLE, duplicates="keep_first")
    result = match(people, MatchConfig())
    plain = matches_csv(result, people).decode("utf-8-sig")
    asked = matches_csv(result, people, include_demographics=True).decode("utf-8-sig")
    header_plain, header_asked = plain.splitlines()[0], asked.splitlines()[0]
    for column in DEMOGRAPHIC_COLUMNS:
        assert column not in header_plain
    assert any(column in header_asked for column in DEMOGRAPHIC_COLUMNS)


def test_removing_a_member_empties_the_free_text_caches_of_the_process(tmp_path):
    from mentoring.engine import freetext

    answers = ["I want help with grant writing. Zebedee knows archives.", "Zebedee Quackenbush"]
    freetext.embed_texts(answers)
    freetext.prepare_sentences(answers)
    assert freetext._WORD_TOKENS and freetext._SENTENCES
    assert freetext._embed_distinct.cache_info().currsize
    store = Store(tmp_path / "m.sqlite3")
    program = store.create_program("A")
    store.set_decision(program.id, "e1", "zq-1", "approved")
    assert store.delete_member(program.id, "zq-1") == 1
    assert not freetext._WORD_TOKENS and not freetext._SENTENCES
    assert freetext._embed_distinct.cache_info().currsize == 0
    freetext.embed_texts(answers)
    store.purge_program(program.id)
    assert not freetext._WORD_TOKENS and freetext._embed_distinct.cache_info().currsize == 0
