"""What every page shares: the store, the open program, the run on screen, session keys,
messages that survive a rerun, long actions with a live progress bar, and error display.

Session state holds only these named keys; everything durable lives in the store.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from mentoring.model.config import MatchConfig
from mentoring.model.errors import Issue, MentoringError
from mentoring.model.results import MatchResult
from mentoring.services.run_view import Freshness, RunView, freshness, open_run
from mentoring.services.runs import find_matches
from mentoring.services.settings import default_settings
from mentoring.store.db import Store
from mentoring.store.records import Program
from mentoring.store.schema import default_db_path

__all__ = [
    "DIFF",
    "FILES",
    "ICON_PATH",
    "PROGRAM",
    "RESULT",
    "ROOT",
    "SAMPLE_PATH",
    "STARTED",
    "TIMING",
    "current_program",
    "current_result",
    "current_view",
    "flash",
    "forget_run",
    "members",
    "plain",
    "run_action",
    "run_matching",
    "settings",
    "show_flash",
    "stale_notice",
    "store",
    "with_progress",
]

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_PATH = ROOT / "sample_data" / "members.csv"
ICON_PATH = Path(__file__).resolve().parent / "assets" / "icon.svg"
"""The page icon, served by the app itself: a deployment makes no outside requests."""

PROGRAM = "program_id"
"""Session key: the id of the open program."""
FILES = "upload_files"
"""Session key: the uploaded files of this session, ``[(name, bytes), ...]``, for re-mapping."""
RESULT = "result"
"""Session key: ``(program_id, run_id, RunView)`` of the run on screen."""
DIFF = "diff"
"""Session key: ``(program_id, RunDiff)`` of the last re-solve."""
FLASH = "flash"
"""Session key: ``[(kind, text), ...]`` shown once at the top of the next page drawn."""
STARTED = "script_started"
"""Session key: when this script run began (``time.perf_counter()``), for honest timings."""
TIMING = "last_seconds"
"""Session key: ``(program_id, seconds)`` of the last Find matches, the whole wait."""


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    # Only the Store object is shared between sessions: it holds a path, never member data.
    # Made once per server, so this is where the terminal learns where the data lives.
    print(
        f"Mentor matching: data is saved in {path}. Stop the app with Ctrl+C in this window.",
        flush=True,
    )
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
        text = str(st.query_params.get("program", ""))
        # ASCII digits only: "²" and "٣" are digits to str.isdigit() but not to int().
        wanted = int(text) if text.isascii() and text.isdigit() else None
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
    """The program's saved settings, or the defaults a new program starts from."""
    return store().load_settings(program_id) or default_settings()


def current_view(program_id: int) -> RunView | None:
    """The latest run as every page shows it, reopened from the store once per session."""
    runs = store().list_runs(program_id)
    if runs.empty:
        return None
    run_id = int(runs["run_id"].iloc[0])
    held = st.session_state.get(RESULT)
    if held is not None and held[0] == program_id and held[1] == run_id:
        return held[2]
    view = open_run(store(), program_id, run_id)
    st.session_state[RESULT] = (program_id, run_id, view)
    return view


def current_result(program_id: int, people: pd.DataFrame | None = None) -> MatchResult | None:
    """The latest run's full result (``people`` is accepted for older callers)."""
    view = current_view(program_id)
    return None if view is None else view.result


def forget_run() -> None:
    """Drop what this session holds about runs (after members or runs changed)."""
    for key in (RESULT, DIFF):
        st.session_state.pop(key, None)


def current_freshness(program_id: int, view: RunView) -> Freshness:
    """Whether the run on screen still describes the program's members and settings."""
    db = store()
    return freshness(view.run, db.members_digest(program_id), settings(program_id))


def stale_notice(program_id: int, view: RunView, *, offer: bool = True) -> Freshness:
    """Say so when the members or settings changed since the run; offer Re-solve."""
    fresh = current_freshness(program_id, view)
    if fresh.stale:
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.warning(plain(fresh.sentence))
        if (
            offer
            and right.button(
                "Re-solve now",
                key="resolve_now",
                help="Match the current members with the current settings; decisions are kept.",
            )
            and run_matching(program_id, "Re-solving")
        ):
            st.rerun()
    return fresh


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=^\"'])")
"""Every ASCII character Streamlit's markdown gives a meaning to; a backslash makes it literal."""

_JOINER = "\u2060"
"""WORD JOINER: invisible, yet it keeps GitHub-style autolinking, emoji and icon shortcodes
from recognising a web address, an email address or ``:name:`` in text a member typed."""

_LINKS = re.compile(r"(?=://)|(?<=www)(?=\.)|(?<=\w)(?=@)|(?<=:)(?=\S)", re.IGNORECASE)


def plain(text: object) -> str:
    """Text that Streamlit's markdown shows exactly as written (member answers included).

    Markdown characters are escaped, and an invisible word joiner is put inside every web
    address, email address and ``:shortcode:``, since Streamlit turns those into links, emoji
    and icons even when escaped. Nothing a member typed can become a link, an image or markup.

    >>> shown = plain("![x](https://evil.example/p.png) kim@evil.example :red[x]")
    >>> "](" in shown, "://" in shown, "m@" in shown, ":red" in shown
    (False, False, False, False)
    >>> shown.replace(chr(92), "").replace(_JOINER, "")
    '![x](https://evil.example/p.png) kim@evil.example :red[x]'
    """
    return _MARKDOWN.sub(r"\\\1", _LINKS.sub(_JOINER, str(text)))


def run_action(what: str, action: Callable[[], Any]) -> Any:
    """Call ``action``; on a library error show its sentence and return ``None``."""
    try:
        return action()
    except MentoringError as exc:
        st.error(plain(f"{what} did not work: {exc}"))
        return None


def flash(text: str, kind: str = "success") -> None:
    """Show ``text`` at the top of the next page drawn (it survives ``st.rerun``)."""
    st.session_state.setdefault(FLASH, []).append((kind, text))


def show_flash() -> None:
    """Draw and clear the messages left by :func:`flash`."""
    for kind, text in st.session_state.pop(FLASH, []):
        getattr(st, kind)(plain(text))


def with_progress(label: str, work: Callable[[Callable[[float, str], None]], Any]) -> Any:
    """Run ``work(progress)`` on a worker thread while the bar shows its last message and the
    seconds elapsed, so a long wait is never a frozen screen; library errors become sentences.
    """
    bar = st.progress(0.0, text=f"{label}: starting")
    state: dict[str, Any] = {"fraction": 0.0, "message": "starting", "done": False}

    def progress(fraction: float, message: str) -> None:
        state["fraction"], state["message"] = fraction, message

    def target() -> None:
        try:
            state["result"] = work(progress)
        except BaseException as exc:  # handed to the script thread below
            state["error"] = exc
        finally:
            state["done"] = True

    started = time.perf_counter()
    worker = threading.Thread(target=target, name="mentoring-work", daemon=True)
    worker.start()
    while not state["done"]:
        worker.join(0.25)
        elapsed = time.perf_counter() - started
        fraction = min(max(float(state["fraction"]), 0.0), 1.0)
        bar.progress(fraction, text=f"{label}: {state['message']} ({elapsed:.0f} s so far)")
    bar.empty()
    error = state.get("error")
    if isinstance(error, MentoringError):
        st.error(plain(f"{label} did not work: {error}"))
        return None
    if error is not None:
        raise error
    return state.get("result")


def run_matching(program_id: int, label: str) -> bool:
    """Find matches (or re-solve) with a live progress bar; remember the run and the timing."""
    people, _, _ = members(program_id)
    config = settings(program_id)
    user = st.user.get("email") if hasattr(st, "user") else None
    outcome = with_progress(
        label,
        lambda progress: find_matches(
            store(), program_id, people, config, progress, by=str(user or "")
        ),
    )
    if outcome is None:
        return False
    forget_run()
    st.session_state[DIFF] = (program_id, outcome.diff)
    st.session_state["matched_in_this_run"] = program_id
    return True
