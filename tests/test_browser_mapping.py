"""Map and fix in a real browser: a corpus form's reading, one column's use changed in the
table, the change applied, and the matches' reasons in the form's own words."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import IDLE, VIEWPORT, app_server, launch

from mentoring.services.members import load_member_files
from mentoring.services.questions import reading_tables
from mentoring.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
FORM = ROOT / "tests" / "data" / "forms" / "google_forms_health_sciences.csv"
HOPES = "What would you most like to get from the programme?"
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(120)]


def _idle(page) -> None:
    page.wait_for_selector(IDLE, timeout=30_000)


def _go(page, name: str) -> None:
    from playwright.sync_api import expect

    page.get_by_test_id("stSidebarNav").get_by_role("link", name=name).click()
    expect(page.locator("h1").filter(has_text=name)).to_be_visible()
    _idle(page)


def _cells(grid) -> list[str]:
    # One snapshot: reading cell by cell races a table that is redrawn meanwhile (seen in CI).
    return grid.locator('[role="gridcell"]').all_inner_texts()


def _choose(page, grid, row: int, column: int, label: str) -> None:
    """Pick ``label`` in a select cell of the editor, by keyboard as a coordinator can."""
    from playwright.sync_api import expect

    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 20, box["y"] + 35 + 17)  # the first cell, below the header
    for _ in range(row):
        page.keyboard.press("ArrowDown")
    for _ in range(column):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    options = page.locator('[role="option"]')
    options.first.wait_for(state="visible", timeout=5_000)
    page.keyboard.type(label)
    expect(options).to_have_count(1)
    expect(options.first).to_have_text(label)
    page.keyboard.press("Enter")
    expect(options).to_have_count(0)


def test_change_a_columns_use_apply_and_match_on_the_form(tmp_path):
    from playwright.sync_api import expect

    report = load_member_files([(FORM.name, FORM.read_bytes())])
    ((_, shown),) = reading_tables(report.profiles, report.criteria)
    row = int(shown.index[shown["column"] == HOPES][0])
    use = list(shown.columns).index("use")
    db = tmp_path / "mentoring.sqlite3"
    with launch() as browser, app_server(db, tmp_path / "app.log") as server:
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(f"{server.url}/upload")
        _idle(page)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(FORM)
        expect(page.get_by_test_id("stFileChipName")).to_have_attribute("title", FORM.name)
        _idle(page)
        page.get_by_role("button", name="Load these files").click()
        expect(page.get_by_text("Files read")).to_be_visible()

        _go(page, "Map and fix")
        expect(page.get_by_text(f"File: {FORM.name}")).to_be_visible()
        tables = page.locator('[data-testid="stDataFrame"]')
        reading, criteria = tables.nth(0), tables.nth(1)
        header = reading.locator('[role="columnheader"]').filter(has_text="Column in the file")
        expect(header).to_be_attached()
        expect(reading.locator('[role="gridcell"]').filter(has_text="Timestamp")).to_be_attached()
        expect(criteria.locator('[role="gridcell"]').filter(has_text=HOPES).first).to_be_attached()
        _choose(page, reading, row, use, "Left out")
        expect(page.get_by_text("1 column(s) changed and not applied yet")).to_be_visible()
        _idle(page)
        page.get_by_role("button", name="Confirm mapping").click()
        expect(page.get_by_text("Mapping confirmed")).to_be_visible(timeout=30_000)
        _idle(page)
        criteria = page.locator('[data-testid="stDataFrame"]').nth(1)
        expect(criteria.locator('[role="gridcell"]').filter(has_text=HOPES)).to_have_count(0)
        program = Store(db).list_programs()[0]
        assert Store(db).load_members(program.id)[2]["questions"] == {HOPES: {"use": "ignored"}}

        _go(page, "Review")
        page.get_by_role("button", name="Find matches").click()
        expect(page.get_by_text("Mentees matched")).to_be_visible(timeout=60_000)
        _idle(page)
        pairs = page.locator('[data-testid="stDataFrame"]').first
        expect(
            pairs.locator('[role="gridcell"]').filter(has_text="(sites travel)").first
        ).to_be_attached()
        reasons = " ".join(_cells(pairs))
        assert "the mentee wrote" not in reasons
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "review-form-reasons.png"))
