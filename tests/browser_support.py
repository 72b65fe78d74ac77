"""Start the app on a free port and drive it in Debian's chromium (see browser-testing.md).

Imported by the browser tests; kept apart so a developer can also use it by hand to take
screenshots: ``python tests/browser_support.py OUT_DIR`` shoots every page at 1280x800.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
IDLE = (
    '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
    '[data-test-script-state="notRunning"]'
)
VIEWPORT = {"width": 1280, "height": 800}

__all__ = ["CHROMIUM", "IDLE", "VIEWPORT", "AppServer", "app_server", "free_port", "launch"]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """One ``streamlit run app.py`` process in its own process group."""

    def __init__(
        self, db: Path, log: Path, env: dict[str, str] | None = None, *, base_install: bool = False
    ) -> None:
        self.db, self.log, self.extra = db, log, env or {}
        # Without the extras' modules, as `pip install .` would leave the environment.
        self.launcher = (
            [sys.executable, str(ROOT / "tests" / "base_install.py")]
            if base_install
            else [sys.executable, "-m", "streamlit"]
        )
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        env = {**os.environ, "MENTORING_DB": str(self.db), **self.extra}
        if "MENTORING_SAMPLE" not in self.extra:
            # A developer's shell may export it; the tests decide what the app starts with.
            env.pop("MENTORING_SAMPLE", None)
        command = [
            *self.launcher, "run", "app.py",
            "--server.headless", "true", "--server.address", "127.0.0.1",
            "--server.port", str(self.port), "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
        ]  # fmt: skip
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app exited early:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1) as reply:
                    if reply.read().strip() == b"ok":
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the app did not answer within {timeout} s:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@contextmanager
def app_server(
    db: Path, log: Path, env: dict[str, str] | None = None, *, base_install: bool = False
) -> Iterator[AppServer]:
    """A running app for the ``with`` block, stopped afterwards whatever happens."""
    server = AppServer(db, log, env, base_install=base_install)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def launch() -> Iterator[object]:
    """Debian's chromium, headless, with the flags that keep it off the network."""
    if not CHROMIUM.exists():
        raise RuntimeError(
            f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium) or "
            "`apt-get install -y chromium`."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _shoot_all(out: Path) -> None:
    """Every page with the sample loaded and matched, one PNG each (for looking at the layout)."""
    import tempfile

    from playwright.sync_api import expect

    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp())
    with (
        app_server(tmp / "m.sqlite3", tmp / "app.log", {"MENTORING_SAMPLE": "1"}) as server,
        launch() as browser,
    ):
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(server.url)
        page.wait_for_selector(IDLE, timeout=30_000)
        for title in (
            "Program",
            "Upload",
            "Map and fix",
            "Settings",
            "Review",
            "Insights",
            "Export",
        ):
            page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
            page.wait_for_timeout(300)
            page.wait_for_selector(IDLE, timeout=30_000)
            if title == "Map and fix":
                page.get_by_role("button", name="Confirm mapping").click()
                expect(page.get_by_text("Mapping confirmed")).to_be_visible()
            if title == "Review":
                page.get_by_role("button", name="Find matches").click()
                expect(page.get_by_text("Mentees matched")).to_be_visible(timeout=30_000)
            page.evaluate("document.activeElement && document.activeElement.blur()")
            page.mouse.move(5, 790)
            page.wait_for_timeout(800)
            page.wait_for_selector(IDLE, timeout=30_000)
            slug = title.lower().replace(" ", "-")
            page.screenshot(path=str(out / f"{slug}.png"), full_page=False)
            page.set_viewport_size({"width": 1280, "height": 2600})
            page.wait_for_timeout(500)
            page.screenshot(path=str(out / f"{slug}-full.png"))
            page.set_viewport_size(VIEWPORT)


if __name__ == "__main__":
    _shoot_all(Path(sys.argv[1] if len(sys.argv) > 1 else "test-artifacts/pages"))
