"""The whole coordinator flow in a real browser: the proof that the app works end to end."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from browser_support import CHROMIUM, IDLE, VIEWPORT, app_server, launch

from mentoring.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "members.csv"
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(120)]


def _idle(page) -> None:
    page.wait_for_selector(IDLE, timeout=30_000)


def _go(page, name: str) -> None:
    from playwright.sync_api import expect

    page.get_by_test_id("stSidebarNav").get_by_role("link", name=name).click()
    expect(page.locator("h1").filter(has_text=name)).to_be_visible()
    _idle(page)


def _pick_option(page, combobox: str, index: int) -> None:
    """Choose an option, opening the list again if a rerun closed it before it showed.

    A click that lands just as Streamlit starts a rerun opens nothing (seen in a clean-clone CI
    run): wait for the list itself, and retry the opening click a few times.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(4):
        _idle(page)
        page.get_by_role("combobox", name=combobox).click()
        try:
            page.get_by_role("option").nth(index).click(timeout=5_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    raise AssertionError(f"the {combobox!r} list did not open")


def _chosen_pair(page) -> tuple[str, str]:
    snapshot = page.get_by_role("combobox", name="Pair to review").aria_snapshot()
    label = snapshot.split('"Pair to review": ', 1)[1].strip()
    mentee, mentor = label.split(" \u2192 ")
    return mentee.strip(), mentor.strip()


def _shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def test_chromium_is_installed():
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: `make test` installs Debian's chromium."


def test_upload_review_resolve_download_and_restart(tmp_path):
    from playwright.sync_api import expect

    db = tmp_path / "mentoring.sqlite3"
    log = tmp_path / "app.log"
    with launch() as browser:
        with app_server(db, log) as server:
            context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
            page = context.new_page()
            page.goto(f"{server.url}/upload")
            _idle(page)
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(SAMPLE)
            expect(page.get_by_test_id("stFileChipName")).to_have_text(SAMPLE.name)
            _idle(page)
            page.get_by_role("button", name="Load these files").click()
            expect(page.get_by_text("Files read")).to_be_visible()
            # The sample's repeated submission keeps the latest response: nothing blocks.
            expect(page.get_by_text("latest response is used")).to_be_visible()

            _go(page, "Map and fix")
            expect(page.get_by_role("button", name="Confirm mapping")).to_be_visible()
            expect(page.get_by_text("error(s) block matching")).to_have_count(0)
            page.get_by_role("button", name="Confirm mapping").click()
            expect(page.get_by_text("Mapping confirmed")).to_be_visible()

            _go(page, "Review")
            page.get_by_role("button", name="Find matches").click()
            expect(page.get_by_text("Mentees matched")).to_be_visible(timeout=30_000)
            expect(page.get_by_text(re.compile(r"Matching took [\d.]+ seconds"))).to_be_visible()
            _idle(page)

            approved = _chosen_pair(page)
            page.get_by_role("button", name="Approve").click()
            expect(page.get_by_text("Approved: 1")).to_be_visible()
            _idle(page)
            _pick_option(page, "Pair to review", 1)
            _idle(page)
            rejected = _chosen_pair(page)
            assert rejected[0] != approved[0]
            page.get_by_role("button", name="Reject").click()
            expect(page.get_by_text("Rejected: 1")).to_be_visible()
            _idle(page)

            page.get_by_role("button", name="Re-solve").click()
            expect(page.get_by_text("Difference from the previous run")).to_be_visible(
                timeout=30_000
            )
            expect(page.get_by_text("Approved: 1")).to_be_visible()
            # Issue 12 finding 7: the rejected pair stays visible (and can be undone).
            expect(page.get_by_text("Rejected: 1")).to_be_visible()
            page.evaluate("document.activeElement && document.activeElement.blur()")
            page.mouse.move(5, 790)
            _idle(page)
            _shoot(page, "review.png")
            assert (ARTIFACTS / "review.png").stat().st_size > 10_000

            _go(page, "Export")
            with page.expect_download() as download:
                page.get_by_role("button", name="Download matches (CSV)").click()
            saved = tmp_path / "matches.csv"
            download.value.save_as(saved)
            context.close()

        rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
        program = Store(db).list_programs()[0]
        run = Store(db).latest_run(program.id)
        assert len(rows) == len(run.pairs) > 100
        pairs = {(r["mentee_name"], r["mentor_name"]) for r in rows}
        assert approved in pairs
        assert rejected not in pairs
        assert len({r["mentee_id"] for r in rows}) == len(rows)

        with app_server(db, log) as server:
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(f"{server.url}/review")
            _idle(page)
            expect(page.get_by_text("Approved: 1")).to_be_visible(timeout=30_000)
            expect(page.get_by_text("Mentees matched")).to_be_visible()
            decisions = Store(db).decisions(program.id)
            assert sorted(decisions["status"]) == ["approved", "rejected"]
