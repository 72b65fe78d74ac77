"""What every page shares: the store, the open program, the session keys and error display.

Session state holds only these named keys; everything durable lives in the store.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from mentoring.model.config import MatchConfig
from mentoring.model.errors import Issue, MentoringError
from mentoring.model.results import MatchResult
from mentoring.services.runs import restore_result
from mentoring.store.db import Store
from mentoring.store.records import Program
from mentoring.store.schema import default_db_path

__all__ = [
    "DIFF",
    "FILES",
    "PROGRAM",
    "RESULT",
    "ROOT",
    "SAMPLE_PATH",
    "current_program",
    "current_result",
    "members",
    "plain",
    "run_action",
    "settings",
    "store",
]

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_PATH = ROOT / "sample_data" / "members.csv"

PROGRAM = "program_id"
"""Session key: the id of the open program."""
FILES = "upload_files"
"""Session key: the uploaded files of this session, ``[(name, bytes), ...]``, for re-mapping."""
RESULT = "result"
"""Session key: ``(program_id, run_id, MatchResult)`` of the run on screen."""
DIFF = "diff"
"""Session key: ``(program_id, RunDiff)`` of the last re-solve."""


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    # Only the Store object is shared between sessions: it holds a path, never member data.
    return Store(Path(path))


def store() -> Store:
    """The database of this server (``$MENTORING_DB`` or the user's data folder)."""
    return _store(str(default_db_path()))


def current_program() -> Program:
    """The open program: this session's, else the one in the address (so reloading the page
    reopens it), else the newest; on a first visit the default one, so Upload works at once."""
    db = store()
    programs = {p.id: p for p in db.list_programs()}
    wanted = st.session_state.get(PROGRAM)
    if wanted is None:
        text = st.query_params.get("program", "")
        wanted = int(text) if text.isdigit() else None
    if wanted in programs:
        program = programs[wanted]
    elif programs:
        program = programs[max(programs)]
    else:
        program = db.ensure_default_program()
    st.session_state[PROGRAM] = program.id
    # Kept in the address so that a reload or a bookmark reopens this program.
    if st.query_params.get("program") != str(program.id):
        st.query_params["program"] = str(program.id)
    return program


def members(program_id: int) -> tuple[pd.DataFrame, tuple[Issue, ...], dict[str, Any]]:
    """The program's saved members, issues and mapping."""
    return store().load_members(program_id)


def settings(program_id: int) -> MatchConfig:
    """The program's saved settings, or the defaults."""
    return store().load_settings(program_id) or MatchConfig()


def current_result(program_id: int, people: pd.DataFrame) -> MatchResult | None:
    """The latest run's full result: from this session, or rebuilt from the store."""
    run = store().latest_run(program_id)
    if run is None:
        return None
    held = st.session_state.get(RESULT)
    if held is not None and held[0] == program_id and held[1] == run.id:
        return held[2]
    result = restore_result(people, run)
    st.session_state[RESULT] = (program_id, run.id, result)
    return result


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: object) -> str:
    """Text that Streamlit's markdown shows exactly as written (member answers included)."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def run_action(what: str, action: Callable[[], Any]) -> Any:
    """Call ``action``; on a library error show its sentence and return ``None``."""
    try:
        return action()
    except MentoringError as exc:
        st.error(plain(f"{what} did not work: {exc}"))
        return None
