"""Issue 13 against the app itself (AppTest): a hostile address (#15), every broken database at
start-up (#15), member text shown as text (#14), and the sign-in gate's ``email_verified``
(#18). What only a browser can see (links, images, outside requests) is in
``test_browser_attacks.py``."""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pytest
from app_support import ROOT, TIMEOUT, page, private_db  # noqa: F401  (private_db is autouse)
from streamlit.testing.v1 import AppTest

from mentoring.model.config import MatchConfig
from mentoring.reading.synthetic import random_people
from mentoring.services.access import UNVERIFIED_SENTENCE
from mentoring.services.runs import find_matches
from mentoring.store import schema as schema_module
from mentoring.store.db import Store
from mentoring.store.schema import SCHEMA_VERSION, default_db_path
from ui.common import _JOINER

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback"}


def app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)


def shown(elements) -> str:
    """Text as the coordinator reads it: markdown escapes and invisible joiners removed."""
    return " ".join(str(e.value) for e in elements).replace("\\", "").replace(_JOINER, "")


# ---------------------------------------------------------------- #15 the address


@pytest.mark.parametrize("value", ["²", "٣", "1²", "-1", "9" * 40, "abc"])
def test_a_program_number_that_is_not_ascii_digits_opens_the_newest_program(value: str) -> None:
    store = Store(default_db_path())
    store.create_program("First")
    newest = store.create_program("Second")
    at = app()
    at.query_params["program"] = value
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Program"
    assert at.selectbox(key="program_pick").value == newest.id


# ---------------------------------------------------------------- #15 start-up faults


def _damaged(path: Path, how: str) -> None:
    store = Store(path)
    store.create_program("Spring")
    store._forget()
    data = path.read_bytes()
    for extra in ("-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    path.write_bytes(data[:700] if how == "truncated" else os.urandom(len(data)))


def _foreign(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
        conn.commit()


def _newer(path: Path) -> None:
    Store(path).create_program("Spring")
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")


def _odd_older_layout(path: Path) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        for statement in schema_module._MIGRATIONS[0]:
            conn.execute(statement)
        conn.execute("CREATE TABLE decision_log (id INTEGER)")
        conn.execute("PRAGMA user_version = 1")


@pytest.mark.parametrize(
    ("make", "sentence"),
    [
        (lambda p: _damaged(p, "truncated"), "Move the file aside"),
        (lambda p: _damaged(p, "random"), "Move the file aside"),
        (lambda p: p.mkdir(), "it is a folder, not a file"),
        (_foreign, "another program"),
        (_newer, "newer version of mentoring"),
        (_odd_older_layout, "layout matches no version of mentoring"),
    ],
    ids=["truncated", "random-bytes", "folder", "another-programs-file", "newer", "odd-older"],
)
def test_a_broken_database_at_start_up_shows_the_librarys_sentence(make, sentence) -> None:
    path = default_db_path()
    make(path)
    at = app().run()
    assert not at.exception, at.exception
    message = shown(at.error)
    assert "cannot be opened" in message and sentence in message
    assert "free space" not in message or sentence == "it is a folder, not a file"


def test_an_older_database_is_migrated_at_start_up() -> None:
    path = default_db_path()
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        for statement in schema_module._MIGRATIONS[0]:
            conn.execute(statement)
        conn.execute("PRAGMA user_version = 1")
        conn.execute("INSERT INTO programs (name, created_at) VALUES ('Old cohort', 'then')")
    at = app().run()
    assert not at.exception and not at.error
    assert "Old cohort" in shown(at.sidebar.caption)


def test_a_read_only_database_opens_for_reading_and_refuses_changes_with_a_sentence() -> None:
    path = default_db_path()
    store = Store(path)
    program = store.create_program("Spring")
    store.save_members(program.id, random_people(6, 4, seed=2))
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        at = app().run()
        assert not at.exception and not at.error
        assert "Read-only database" in shown(at.sidebar.caption)
        assert at.metric[0].value == "10"
        at.text_input(key="new_program_name").input("Autumn")
        at.button(key="create_program").click().run()
        assert not at.exception
        assert "read-only, so nothing can be changed" in shown(at.error)
    finally:
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    assert [p.name for p in Store(path).list_programs()] == ["Spring"]


# ---------------------------------------------------------------- #14 member text as text


HOSTILE_NAME = "![x](https://evil.example/program.png) [click](https://evil.example)"


def test_a_hostile_program_name_reaches_the_page_as_escaped_text() -> None:
    Store(default_db_path()).create_program(HOSTILE_NAME)
    at = app().run()
    assert not at.exception
    caption = " ".join(str(c.value) for c in at.sidebar.caption)
    assert "](" not in caption and "://" not in caption
    assert HOSTILE_NAME in shown(at.sidebar.caption)


def test_a_url_in_a_best_mentors_name_is_shown_as_text() -> None:
    people = random_people(6, 4, seed=4)
    mentors = people.index[people["role"] == "mentor"]
    people.loc[mentors, "name"] = [
        f"Mentor {i} https://evil.example/{i} www.evil.example m{i}@evil.example"
        for i in range(len(mentors))
    ]
    store = Store(default_db_path())
    program = store.ensure_default_program()
    store.save_members(program.id, people)
    find_matches(store, program.id, people, MatchConfig())
    at = page("review").run()
    assert not at.exception
    for element in [*at.info, *at.success]:
        text = str(element.value)
        assert "://" not in text and "www." not in text.replace("\\", "")
        assert not re.search(r"[A-Za-z0-9]@", text), text
    assert "Best mentor" in shown(at.info) or "best mentor" in shown(at.success)
    assert "https://evil.example/" in shown([*at.info, *at.success])


# ---------------------------------------------------------------- #18 email_verified


def _gated(user: dict, mentoring: dict | None = None) -> AppTest:
    at = app()
    at.secrets["auth"] = AUTH
    at.secrets["mentoring"] = {"allowed_emails": ["kim@ala.org"], **(mentoring or {})}
    at.user = user
    return at.run()


@pytest.mark.parametrize("claim", [False, None, "false"], ids=["false", "missing", "text-false"])
def test_an_unverified_email_on_the_list_is_kept_out_with_a_sentence(claim) -> None:
    user = {"is_logged_in": True, "email": "kim@ala.org"}
    if claim is not None:
        user["email_verified"] = claim
    at = _gated(user)
    assert not at.exception
    assert UNVERIFIED_SENTENCE in shown(at.error)
    assert not at.metric and not at.dataframe and not at.title[1:]
    assert at.button(key="sign_out").label == "Sign out"


@pytest.mark.parametrize("claim", [True, "true"])
def test_a_verified_email_on_the_list_gets_in(claim) -> None:
    at = _gated({"is_logged_in": True, "email": "kim@ala.org", "email_verified": claim})
    assert not at.exception and not at.error
    assert at.title[0].value == "Program"


def test_the_verified_check_can_be_switched_off_for_a_directory_provider() -> None:
    at = _gated({"is_logged_in": True, "email": "kim@ala.org"}, {"require_verified_email": False})
    assert not at.exception and not at.error
    assert at.title[0].value == "Program"


def test_a_malformed_verified_setting_keeps_the_app_closed() -> None:
    at = _gated(
        {"is_logged_in": True, "email": "kim@ala.org", "email_verified": True},
        {"require_verified_email": "no"},
    )
    assert not at.exception
    assert "half configured" in shown(at.error) and "require_verified_email" in shown(at.error)
    assert not at.metric
