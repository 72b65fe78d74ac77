"""The coordinator's review app: `make run`, or `streamlit run app.py`.

Seven pages in the sidebar, in the order a coordinator works. Every page calls the library; no
matching logic lives here. With a sign-in configured in ``.streamlit/secrets.toml`` only the
coordinators on the allow-list get past the first screen (see docs/deployment.md).
"""

from __future__ import annotations

import importlib
import time

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from mentoring.model.errors import MentoringError
from mentoring.services.access import (
    UNVERIFIED_SENTENCE,
    access_decision,
    allowed_emails,
    requires_verified_email,
)
from ui import PAGES
from ui.common import ICON_PATH, STARTED, current_program, plain, store
from ui.upload import autoload_sample


def _secrets() -> dict:
    try:
        return st.secrets.to_dict()
    except (StreamlitSecretNotFoundError, FileNotFoundError):
        return {}


def _gate() -> bool:
    """Whether this visitor may use the app; draws the sign-in or refusal screen if not."""
    try:
        secrets = _secrets()
        allowed = allowed_emails(secrets)
        require_verified = requires_verified_email(secrets)
    except ValueError as exc:
        st.error(plain(f"Sign-in is half configured, so the app stays closed: {exc}"))
        return False
    user = st.user
    email = user.get("email")
    decision = access_decision(
        allowed,
        bool(user.get("is_logged_in")),
        email if isinstance(email, str) else None,
        user.get("email_verified"),
        require_verified=require_verified,
    )
    if decision in ("open", "allowed"):
        return True
    st.title("Mentor matching")
    if decision == "sign_in":
        st.write("This app holds member data; coordinators sign in first.")
        st.button("Sign in", key="sign_in", type="primary", on_click=st.login)
    elif decision == "unverified":
        st.error(plain(UNVERIFIED_SENTENCE))
        st.button("Sign out", key="sign_out", on_click=st.logout)
    else:
        st.error(
            "This account is not on the list of coordinators for this app. Ask the person who "
            "runs it to add your email address, or sign in with another account."
        )
        st.button("Sign out", key="sign_out", on_click=st.logout)
    return False


def _open_program() -> bool:
    """Open the store and the program before any page runs; a store that cannot be used (a
    damaged or foreign file, a folder, a newer version) is the library's sentence on the page,
    never Streamlit's generic error page. Returns whether the pages may run."""
    try:
        program = current_program()
        read_only = store().read_only
        autoload_sample()
    except MentoringError as exc:
        st.title("Mentor matching")
        st.error(plain(f"The mentoring database cannot be opened. {exc}"))
        return False
    with st.sidebar:
        st.caption(plain(f"Open program: {program.name}"))
        if read_only:
            st.caption("Read-only database: you can look at everything; changes are not saved.")
    return True


def main() -> None:
    # "Matching took N seconds" measures the whole wait, from the click to the page drawn.
    st.session_state[STARTED] = time.perf_counter()
    # The icon ships with the app: a deployment makes no outside requests (no font CDN).
    st.set_page_config(page_title="Mentor matching", page_icon=str(ICON_PATH), layout="wide")
    if not _gate():
        return
    pages = [
        st.Page(
            importlib.import_module(f"ui.{module}").show,
            title=title,
            url_path=path,
            icon=icon,
            default=(path == "program"),
        )
        for title, module, path, icon in (
            *PAGES,
            ("Through the year", "lifecycle", "through-the-year", ":material/event_repeat:"),
        )
    ]
    page = st.navigation(pages)
    if not _open_program():
        return
    try:
        page.run()
    except MentoringError as exc:
        # A safety net: each action already reports its own errors; this catches the rest
        # (for example the database kept busy by another process) as a sentence.
        st.error(plain(f"Something went wrong: {exc}"))


main()
