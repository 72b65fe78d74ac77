"""What the AppTest files share: a private database per test and a page runner."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from mentoring.reading.synthetic import random_people
from mentoring.store.db import Store
from mentoring.store.schema import default_db_path

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 30


@pytest.fixture(autouse=True)
def private_db(tmp_path, monkeypatch):
    """Every test gets its own database; the real user data folder is never touched."""
    monkeypatch.setenv("MENTORING_DB", str(tmp_path / "mentoring.sqlite3"))
    monkeypatch.delenv("MENTORING_SAMPLE", raising=False)
    monkeypatch.chdir(ROOT)


def page(module: str) -> AppTest:
    """One page of the app, run on its own."""
    script = (
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom ui import {module}\n{module}.show()\n"
    )
    return AppTest.from_string(script, default_timeout=TIMEOUT)


def db() -> tuple[Store, int]:
    store = Store(default_db_path())
    return store, store.ensure_default_program().id


def seeded(people: pd.DataFrame | None = None) -> tuple[Store, int]:
    store, program_id = db()
    store.save_members(program_id, random_people(12, 8, seed=3) if people is None else people)
    return store, program_id
