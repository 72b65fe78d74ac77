"""Issue 14 in a real browser: late joiners matched into free places after every pair was
approved, and a check-in that ends ten pairs re-matched for those ten mentees only."""

from __future__ import annotations

import pandas as pd
import pytest
from browser_support import IDLE, VIEWPORT, app_server, launch
from lifecycle_support import checkin_csv, newcomer_ids, newcomers_csv

from mentoring.store.db import Store
from mentoring.store.records import Run

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]


def _idle(page) -> None:
    page.wait_for_selector(IDLE, timeout=60_000)


def _go(page, name: str) -> None:
    from playwright.sync_api import expect

    page.get_by_test_id("stSidebarNav").get_by_role("link", name=name).click()
    expect(page.locator("h1").filter(has_text=name)).to_be_visible()
    _idle(page)


def _latest(store: Store, program_id: int) -> Run:
    run = store.latest_run(program_id)
    assert run is not None
    return run


def _pairs(frame: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(frame["mentee_id"].astype(str), frame["mentor_id"].astype(str), strict=True))


def _matched(page, url: str) -> None:
    """The sample (loaded at start) matched on Review."""
    from playwright.sync_api import expect

    page.goto(f"{url}/review")
    _idle(page)
    page.get_by_role("button", name="Find matches").click()
    expect(page.get_by_text("Mentees matched")).to_be_visible(timeout=60_000)
    _idle(page)


def _upload(page, index: int, path) -> None:
    """Put a file in the page's ``index``-th uploader (0: late joiners, 1: check-in)."""
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').nth(index).set_input_files(
        str(path)
    )
    page.wait_for_timeout(300)
    _idle(page)


def test_approve_all_then_twenty_newcomers_take_free_places(tmp_path):
    from playwright.sync_api import expect

    db = tmp_path / "m.sqlite3"
    late = tmp_path / "late_joiners.csv"
    late.write_bytes(newcomers_csv(15, 5))
    ids = newcomer_ids(late.read_bytes())
    assert len(ids) == 20
    with (
        launch() as browser,
        app_server(db, tmp_path / "app.log", {"MENTORING_SAMPLE": "1"}) as server,
    ):
        page = browser.new_page(viewport=VIEWPORT)
        _matched(page, server.url)

        # Approve all: the bulk approval with the lowest score at 0.
        page.get_by_text("Approve many pairs at once").click()
        box = page.get_by_role("spinbutton", name="Approve every pending pair scoring at least")
        box.fill("0")
        box.press("Enter")
        _idle(page)
        page.get_by_role("button", name="Approve these").click()
        expect(page.get_by_text("at once.")).to_be_visible(timeout=30_000)
        _idle(page)

        store = Store(db)
        program_id = store.list_programs()[0].id
        before = _latest(store, program_id)
        decisions = store.decisions(program_id)
        approved = _pairs(decisions[decisions["status"] == "approved"])
        assert approved and approved <= _pairs(before.pairs)

        _go(page, "Through the year")
        _upload(page, 0, late)
        page.get_by_role("button", name="Match newcomers").click()
        expect(page.get_by_text("20 new member(s) added")).to_be_visible(timeout=90_000)
        expect(page.get_by_text("Difference from the previous run")).to_be_visible()
        _idle(page)

        after = _latest(store, program_id)
        assert after.id != before.id
        # No approved pair changed; the 15 new mentees all have a mentor, in places left free.
        assert approved <= _pairs(after.pairs)
        assert set(ids[:15]) <= set(after.pairs["mentee_id"].astype(str))
        assert set(ids) <= set(store.load_members(program_id)[0]["member_id"])
        assert after.extras["audit"]["ok"], after.extras["audit"]["problems"]
        moved = {
            e
            for e, r in _pairs(before.pairs) - _pairs(after.pairs)
            if (e, r) in approved  # an approved pair that is gone
        }
        assert not moved

        # Review opens the new run as current, with the approvals kept.
        _go(page, "Review")
        expect(page.get_by_text("Approved: ")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("changed since this run")).to_have_count(0)


def test_checkin_ending_ten_pairs_changes_only_those_ten_mentees(tmp_path):
    from playwright.sync_api import expect

    db = tmp_path / "m.sqlite3"
    with (
        launch() as browser,
        app_server(db, tmp_path / "app.log", {"MENTORING_SAMPLE": "1"}) as server,
    ):
        page = browser.new_page(viewport=VIEWPORT)
        _matched(page, server.url)

        store = Store(db)
        program_id = store.list_programs()[0].id
        before = _latest(store, program_id)
        people = store.load_members(program_id)[0]
        emails = dict(zip(people["member_id"], people["email"], strict=True))
        ended = before.pairs.iloc[:10].assign(status=["ended"] * 5 + ["change"] * 5)
        calm = before.pairs.iloc[10:15].assign(status="continuing")
        checkin = tmp_path / "checkin.csv"
        checkin.write_bytes(checkin_csv(pd.concat([ended, calm]), emails))

        _go(page, "Through the year")
        _upload(page, 1, checkin)
        page.get_by_role("button", name="Re-match ended pairs").click()
        expect(page.get_by_text("10 pair(s) ended at the check-in")).to_be_visible(timeout=90_000)
        expect(page.get_by_text("10 mentee(s) changed")).to_be_visible()
        expect(page.get_by_role("button", name="Download the ended pairs")).to_be_visible()
        _idle(page)

        after = _latest(store, program_id)
        old = dict(zip(before.pairs["mentee_id"], before.pairs["mentor_id"], strict=True))
        new = dict(zip(after.pairs["mentee_id"], after.pairs["mentor_id"], strict=True))
        changed = {e for e in set(old) | set(new) if old.get(e) != new.get(e)}
        assert changed == set(ended["mentee_id"])
        assert all(new.get(e) not in (None, old[e]) for e in changed)
        assert _pairs(after.extras["checkin_history"]) == _pairs(ended)
        assert {store.get_decision(program_id, e, r).status for e, r in _pairs(ended)} == {
            "rejected"
        }
