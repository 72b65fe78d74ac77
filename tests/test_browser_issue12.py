"""Issue 12 in a real browser: the safety flows, reviewing by clicking rows, decisions that show
at once, bulk approval, the export a coordinator can send, and a restart that reopens quickly."""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile

import pytest
from browser_support import IDLE, VIEWPORT, app_server, launch

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(240)]


def _idle(page) -> None:
    page.wait_for_selector(IDLE, timeout=60_000)


def _go(page, name: str) -> None:
    from playwright.sync_api import expect

    page.get_by_test_id("stSidebarNav").get_by_role("link", name=name).click()
    expect(page.locator("h1").filter(has_text=name)).to_be_visible()
    _idle(page)


def _pick(page, combobox: str, index: int) -> None:
    """Choose an option, opening the list again if a rerun closed it before it showed."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(4):
        _idle(page)
        page.get_by_role("combobox", name=combobox).click()
        try:
            page.get_by_role("option").nth(index).click(timeout=5_000)
            _idle(page)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    raise AssertionError(f"the {combobox!r} list did not open")


def _pair(page) -> str:
    snapshot = page.get_by_role("combobox", name="Pair to review").aria_snapshot()
    return snapshot.split('"Pair to review": ', 1)[1].strip()


def _settled_pair(page, timeout: float = 30.0) -> str:
    """The pair under review once two reads a moment apart agree (a rerun may still be due)."""
    deadline = time.monotonic() + timeout
    _idle(page)
    seen = _pair(page)
    while time.monotonic() < deadline:
        page.wait_for_timeout(400)
        _idle(page)
        now = _pair(page)
        if now == seen:
            return now
        seen = now
    return seen


def _wait_for_other_pair(page, before: str, timeout: float = 30.0) -> None:
    """The idle state is also true in the instant before a rerun starts (seen failing under
    load): wait until the chosen pair really changed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _idle(page)
        if _pair(page) != before:
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"Next pending kept {before!r}")


def test_safety_create_load_ask_first_and_remove_a_member(tmp_path):
    from playwright.sync_api import expect

    with launch() as browser, app_server(tmp_path / "m.sqlite3", tmp_path / "app.log") as server:
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(server.url)
        _idle(page)
        page.get_by_role("textbox", name="Program name").fill("NMRT 2027 cohort")
        page.get_by_role("button", name="Create program").click()
        expect(page.get_by_text("Open program: NMRT 2027 cohort")).to_be_visible()
        expect(page.get_by_text("Created and opened")).to_be_visible()

        _go(page, "Upload")
        page.get_by_role("button", name="Load sample data").click()
        expect(page.get_by_text("Sample data loaded: 320 members")).to_be_visible()
        _go(page, "Review")
        page.get_by_role("button", name="Find matches").click()
        expect(page.get_by_text("Mentees matched")).to_be_visible(timeout=60_000)

        _go(page, "Upload")
        page.get_by_role("button", name="Load sample data").click()
        expect(page.get_by_text("This replaces the 320 members")).to_be_visible()
        page.get_by_role("button", name="Cancel").click()
        expect(page.get_by_text("Nothing was replaced")).to_be_visible()

        _go(page, "Program")
        page.get_by_text("Remove a member everywhere").click()
        _idle(page)
        _pick(page, "Member to remove", 0)
        expect(page.get_by_text("cannot be undone").first).to_be_visible()
        page.get_by_text("I understand: the member chosen above").click()
        _idle(page)
        page.get_by_role("button", name="Remove member").click()
        expect(page.get_by_text("Removed ")).to_be_visible()
        _idle(page)
        expect(page.get_by_role("button", name="Remove member")).to_be_disabled()
        expect(page.get_by_role("checkbox", name="I understand")).not_to_be_checked()

        _go(page, "Review")
        expect(page.get_by_text("The members changed since this run")).to_be_visible()


def test_review_by_row_click_bulk_export_and_a_quick_restart(tmp_path):
    from playwright.sync_api import expect

    db, log = tmp_path / "m.sqlite3", tmp_path / "app.log"
    with launch() as browser:
        with app_server(db, log, {"MENTORING_SAMPLE": "1"}) as server:
            context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
            page = context.new_page()
            page.goto(f"{server.url}/review")
            _idle(page)
            page.get_by_role("button", name="Find matches").click()
            expect(page.get_by_text("Mentees matched")).to_be_visible(timeout=60_000)
            expect(page.get_by_text("Matching took")).to_be_visible()
            _idle(page)

            # Click the third row of the pairs table: the pair opens.
            first = _pair(page)
            grid = page.get_by_test_id("stDataFrame").first
            box = grid.bounding_box()
            # A click that lands while the table is still being drawn selects nothing (seen under
            # load): click again until the pair opens.
            for _ in range(4):
                page.mouse.click(box["x"] + 12, box["y"] + 35 * 3 + 17)
                _idle(page)
                try:
                    expect(page.get_by_role("combobox", name="Pair to review")).not_to_have_text(
                        first, timeout=10_000
                    )
                    break
                except AssertionError:
                    box = grid.bounding_box()
            else:
                raise AssertionError("clicking a row of the pairs table opened no pair")

            chosen = _settled_pair(page)
            page.get_by_role("button", name="Approve").click()
            expect(page.get_by_text("Approved: 1")).to_be_visible()
            _idle(page)
            if _settled_pair(page) != chosen:
                # A late rerun of the row click moved the selection: open the approved pair.
                page.get_by_role("combobox", name="Pair to review").click()
                page.get_by_role("option", name=chosen).click()
                _idle(page)
            expect(
                page.get_by_test_id("stText").filter(has_text=f"{chosen}: Approved").first
            ).to_be_visible(timeout=30_000)
            before = _pair(page)
            page.get_by_role("button", name="Next pending").click()
            _wait_for_other_pair(page, before)
            _settled_pair(page)

            page.get_by_text("Approve many pairs at once").click()
            approve = page.get_by_role("button", name="Approve these")
            expect(approve).to_be_enabled()
            _idle(page)
            # Under the whole suite the rerun after a bulk approval took longer than 5 s, and in CI
            # a click that landed while the fragment was still rerunning was dropped (the counts
            # stayed at "Approved: 1"): click again, which approves nothing twice.
            for _ in range(3):
                approve.click()
                try:
                    expect(page.get_by_text("at once.")).to_be_visible(timeout=20_000)
                    break
                except AssertionError:
                    _idle(page)
                    if not approve.is_visible():
                        page.get_by_text("Approve many pairs at once").click()
            else:
                raise AssertionError("the bulk approval never reported back")
            counts = page.get_by_text(re.compile(r"^Pending: \d+ · Approved: \d+"))
            expect(counts).to_have_text(re.compile(r"Approved: (?!1 )\d+ "))

            page.get_by_role("button", name="Re-solve").click()
            expect(page.get_by_text("Difference from the previous run")).to_be_visible(
                timeout=60_000
            )

            _go(page, "Export")
            expect(page.get_by_text("Before you send")).to_be_visible()
            with page.expect_download() as download:
                page.get_by_role("button", name="Download matches (CSV)").click()
            saved = tmp_path / "matches.csv"
            download.value.save_as(saved)
            with page.expect_download() as download:
                page.get_by_role("button", name="Download one email per pair").click()
            emails = tmp_path / "intro.zip"
            download.value.save_as(emails)
            context.close()

        rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
        statuses = {r["status"] for r in rows}
        assert "approved" in statuses and all(r["locked"] == "False" for r in rows)
        names = zipfile.ZipFile(emails).namelist()
        assert len([n for n in names if n.endswith(".eml")]) == len(rows)

        with app_server(db, log) as server:
            page = browser.new_page(viewport=VIEWPORT)
            started = time.perf_counter()
            page.goto(f"{server.url}/review")
            expect(page.get_by_text("Approved: ")).to_be_visible(timeout=60_000)
            opened = time.perf_counter() - started
            expect(page.get_by_text("Mentees matched")).to_be_visible()
            # Reopened from the store, never matched again (generous: the machine is shared).
            assert opened < 20, opened
