"""`pip install .` then `streamlit run app.py`: every page opens without a traceback.

The suite's environment has the test and bench extras; ``base_install.py`` hides every module
only they bring, so a page that needs one of them fails here as it would for a new user.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from base_install import BlockExtras, base_closure, extra_only_modules
from browser_support import IDLE, VIEWPORT, app_server, launch

PAGES = ("Program", "Upload", "Map and fix", "Settings", "Review", "Insights", "Export")


def test_the_extras_are_told_apart_from_the_base():
    base = base_closure()
    assert {"mentoring", "pandas", "streamlit", "scipy", "matplotlib"} <= base
    hidden = extra_only_modules()
    assert {"pytest", "hypothesis", "playwright", "matching"} <= hidden
    assert not hidden & {"pandas", "numpy", "streamlit", "matplotlib", "mentoring"}


def test_a_blocked_module_cannot_be_imported():
    blocker = BlockExtras({"hypothesis"})
    sys.meta_path.insert(0, blocker)
    saved = {k: v for k, v in sys.modules.items() if k.split(".")[0] == "hypothesis"}
    try:
        for name in saved:
            del sys.modules[name]
        with pytest.raises(ModuleNotFoundError):
            __import__("hypothesis")
    finally:
        sys.meta_path.remove(blocker)
        sys.modules.update(saved)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.timeout(180)
def test_every_page_opens_on_the_base_install(tmp_path: Path):
    from playwright.sync_api import expect

    log = tmp_path / "app.log"
    env = {"MENTORING_SAMPLE": "1"}
    with (
        launch() as browser,
        app_server(tmp_path / "m.sqlite3", log, env, base_install=True) as server,
    ):
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(server.url)
        page.wait_for_selector(IDLE, timeout=30_000)
        for title in PAGES:
            page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
            expect(page.locator("h1").filter(has_text=title)).to_be_visible(timeout=30_000)
            page.wait_for_selector(IDLE, timeout=30_000)
            if title == "Map and fix":
                # The sample repeats a member on purpose; the latest response is kept by default.
                page.get_by_role("button", name="Confirm mapping").click()
                expect(page.get_by_text("Mapping confirmed")).to_be_visible(timeout=30_000)
            if title == "Review":
                page.get_by_role("button", name="Find matches").click()
                expect(page.get_by_text("Mentees matched")).to_be_visible(timeout=60_000)
            assert page.get_by_test_id("stException").count() == 0, f"{title}: an exception"
            body = page.locator("body").inner_text()
            assert "Traceback" not in body and "ModuleNotFoundError" not in body, title
    text = log.read_text()
    assert "Traceback" not in text and "ModuleNotFoundError" not in text, text[-3000:]
