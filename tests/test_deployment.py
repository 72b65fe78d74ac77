"""Deployment safety of the app: the Streamlit config, member text never as markup, no member
data in Streamlit's process-wide caches, and the sign-in gate's decisions."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

from mentoring.services.access import access_decision, allowed_emails, requires_verified_email

ROOT = Path(__file__).resolve().parents[1]
APP_FILES = sorted([ROOT / "app.py", *(ROOT / "ui").rglob("*.py")])
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_no_tracebacks_in_the_browser():
    assert CONFIG["client"]["showErrorDetails"] is False


def test_xsrf_and_cors_protection_stay_on():
    assert CONFIG["server"].get("enableXsrfProtection", True) is True
    assert CONFIG["server"].get("enableCORS", True) is True


def test_app_listens_on_this_computer_only_by_default():
    assert CONFIG["server"]["address"] in {"localhost", "127.0.0.1"}


def test_uploads_are_capped_at_a_sane_size():
    assert 1 <= CONFIG["server"]["maxUploadSize"] <= 20


def test_no_usage_statistics_are_sent():
    assert CONFIG["browser"]["gatherUsageStats"] is False


def test_the_page_icon_is_served_by_the_app_not_a_font_cdn():
    # Issue 13 finding 18: ":material/handshake:" made every page fetch an SVG from
    # fonts.gstatic.com. tests/test_browser_attacks.py watches every request in a browser.
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    config_call = app[app.index("st.set_page_config(") :].split("\n", 1)[0]
    assert "page_icon=str(ICON_PATH)" in config_call
    from ui.common import ICON_PATH

    assert ICON_PATH.is_file() and ICON_PATH.is_relative_to(ROOT)
    svg = ICON_PATH.read_text(encoding="utf-8")
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_magic_is_off_so_a_bare_expression_never_renders_as_markdown():
    assert CONFIG["runner"]["magicEnabled"] is False


def test_no_secrets_file_is_committed():
    import subprocess

    tracked = subprocess.run(
        ["git", "ls-files", "--", ".streamlit/secrets.toml", "secrets.toml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    assert tracked.strip() == ""


def _calls(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


@pytest.mark.parametrize("path", APP_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_app_never_renders_html(path):
    text = path.read_text(encoding="utf-8")
    assert "unsafe_allow_html" not in text
    assert not [c for c in _calls(path) if _name(c) in {"html", "components"}]


@pytest.mark.parametrize("path", APP_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_markdown_is_only_ever_fixed_text(path):
    """st.markdown/st.write take no variable text, so a member's name cannot become markup."""
    for call in _calls(path):
        if _name(call) in {"markdown", "write"} and call.args:
            assert isinstance(call.args[0], ast.Constant), (
                f"{path.name}:{call.lineno}: {_name(call)} with computed text; use st.text "
                "or st.dataframe for anything that may hold member data"
            )


@pytest.mark.parametrize("path", APP_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_errors_are_shown_as_escaped_text(path):
    """Library errors can quote member answers; they must reach st.error escaped."""
    for call in _calls(path):
        if _name(call) == "error" and call.args and not isinstance(call.args[0], ast.Constant):
            assert "plain(" in ast.unparse(call.args[0]), f"{path.name}:{call.lineno}"


@pytest.mark.parametrize("path", APP_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_member_data_never_goes_into_a_shared_cache(path):
    text = path.read_text(encoding="utf-8")
    assert "cache_data" not in text
    cached = [
        node.name
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef)
        and any("cache_resource" in ast.unparse(d) for d in node.decorator_list)
    ]
    assert cached in ([], ["_store"]), f"{path.name}: only the Store may be a cache_resource"


def test_library_never_imports_streamlit():
    for path in (ROOT / "src" / "mentoring").glob("*.py"):
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                imported.add((node.module or "").split(".")[0])
        assert "streamlit" not in imported, path.name


def test_every_widget_has_an_explicit_key():
    widgets = {
        "button", "download_button", "selectbox", "slider", "toggle", "checkbox", "radio",
        "number_input", "text_input", "file_uploader", "data_editor", "form_submit_button",
    }  # fmt: skip
    for path in APP_FILES:
        for call in _calls(path):
            if _name(call) in widgets:
                keys = [k.arg for k in call.keywords]
                assert "key" in keys, f"{path.name}:{call.lineno}: {_name(call)} without key"


def test_no_secrets_means_no_sign_in():
    assert allowed_emails({}) is None
    assert access_decision(None, False, None) == "open"


def test_allow_list_is_case_and_space_insensitive():
    allowed = allowed_emails(
        {"auth": {"redirect_uri": "x"}, "mentoring": {"allowed_emails": [" Kim@ALA.org"]}}
    )
    assert access_decision(allowed, True, "kim@ala.org", True) == "allowed"
    assert access_decision(allowed, True, "KIM@ala.ORG ", True) == "allowed"


def test_signed_in_stranger_is_denied_and_anonymous_visitor_asked_to_sign_in():
    allowed = ("kim@ala.org",)
    assert access_decision(allowed, True, "eve@example.org", True) == "denied"
    assert access_decision(allowed, True, None, True) == "denied"
    assert access_decision(allowed, False, "kim@ala.org") == "sign_in"


@pytest.mark.parametrize("claim", [False, None, "false", "yes", 1])
def test_an_address_the_provider_did_not_verify_is_not_let_in(claim):
    # Issue 13 finding 18: the gate ignored email_verified, so anyone who registered a
    # coordinator's address with a provider that does not check it could sign in as them.
    assert access_decision(("kim@ala.org",), True, "kim@ala.org", claim) == "unverified"
    assert access_decision(("kim@ala.org",), True, "eve@example.org", claim) == "denied"


def test_the_verified_claim_is_required_unless_the_secrets_say_otherwise():
    assert requires_verified_email({"mentoring": {"allowed_emails": []}}) is True
    assert requires_verified_email({"mentoring": {"require_verified_email": False}}) is False
    with pytest.raises(ValueError, match="require_verified_email"):
        requires_verified_email({"mentoring": {"require_verified_email": "off"}})


def test_empty_allow_list_lets_nobody_in():
    allowed = allowed_emails({"auth": {"redirect_uri": "x"}, "mentoring": {"allowed_emails": []}})
    assert allowed == ()
    assert access_decision(allowed, True, "kim@ala.org", True) == "denied"


@pytest.mark.parametrize(
    "secrets",
    [
        {"auth": {"redirect_uri": "x"}},
        {"mentoring": {"allowed_emails": ["kim@ala.org"]}},
        {"auth": {"redirect_uri": "x"}, "mentoring": {"allowed_emails": "kim@ala.org"}},
        {"auth": {"redirect_uri": "x"}, "mentoring": {"allowed_emails": ["not an address"]}},
    ],
    ids=["auth-without-list", "list-without-auth", "list-as-text", "not-an-address"],
)
def test_half_configured_sign_in_is_an_error_not_an_open_door(secrets):
    with pytest.raises(ValueError, match="allowed_emails|auth"):
        allowed_emails(secrets)


def test_make_run_never_waits_at_the_welcome_prompt():
    # Issue 12 finding 10: a terminal run could stop at Streamlit's "Welcome! Email:" prompt.
    assert CONFIG["server"]["headless"] is True


@pytest.mark.slow
@pytest.mark.timeout(90)
def test_terminal_run_says_where_the_data_lives_and_how_to_stop(tmp_path):
    """Started as `make run` starts it (no --server.headless flag, a fresh home without
    Streamlit credentials, stdin open): it serves at once and says where the data is."""
    import os
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    sys.path.insert(0, str(ROOT / "tests"))
    from browser_support import free_port

    port = free_port()
    db = tmp_path / "data" / "m.sqlite3"
    env = {**os.environ, "HOME": str(tmp_path), "MENTORING_DB": str(db)}
    env.pop("MENTORING_SAMPLE", None)
    log = tmp_path / "app.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1):
                    pass
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/_stcore/health", timeout=1
                ) as reply:
                    if reply.read().strip() == b"ok":
                        break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError(log.read_text())
        # The store is made on the first page view; give it a moment to print.
        from browser_support import IDLE, launch

        with launch() as browser:
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/")
            # The first script run makes the store, which prints; on a busy machine that can
            # take longer than a fixed pause, so wait for the run to finish and the line to show.
            page.wait_for_selector(IDLE, timeout=60_000)
            deadline = time.monotonic() + 20
            while "Ctrl+C" not in log.read_text() and time.monotonic() < deadline:
                time.sleep(0.2)
        text = log.read_text()
        assert "Email:" not in text
        assert "Ctrl+C" in text and str(db) in text
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
