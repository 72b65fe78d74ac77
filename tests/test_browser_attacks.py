"""Issue 13 in a real browser: hostile names render as literal text, never as a link or an image
(#14), and no page makes a request that leaves this computer, the page icon included (#18)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_support import IDLE, VIEWPORT, app_server, launch

from mentoring.model.config import MatchConfig
from mentoring.reading.synthetic import random_people
from mentoring.services.runs import find_matches
from mentoring.store.db import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]

PROGRAM = "![x](https://evil.example/program.png) [click](https://evil.example/program)"
JOINER = "\u2060"
PAGES = ("Program", "Upload", "Map and fix", "Settings", "Review", "Insights", "Export")


def hostile_program(path: Path) -> None:
    """A program with a markdown name whose members' names hold images, links, bare web and
    email addresses and shortcodes, matched, so every page has them to show."""
    store = Store(path)
    program = store.create_program(PROGRAM)
    people = random_people(10, 6, seed=11)
    people["name"] = [
        f"M{i} ![m](https://evil.example/m{i}.png) [a](https://evil.example/a{i}) "
        f"https://evil.example/u{i} www.evil.example m{i}@evil.example :material/home: :red[r]"
        for i in range(len(people))
    ]
    store.save_members(program.id, people)
    find_matches(store, program.id, people, MatchConfig())


class Watch:
    """Every request the page makes; any request that would leave 127.0.0.1 is refused."""

    def __init__(self, page) -> None:
        self.requests: list[str] = []
        page.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        self.requests.append(url)
        if urlsplit(url).hostname in ("127.0.0.1", "localhost") or url.startswith(
            ("data:", "blob:")
        ):
            route.continue_()
        else:
            route.abort()

    def outside(self) -> list[str]:
        return [
            u
            for u in self.requests
            if urlsplit(u).hostname not in ("127.0.0.1", "localhost")
            and not u.startswith(("data:", "blob:"))
        ]


def markup(page) -> list[str]:
    """Images and links on the page that point anywhere but the app itself."""
    found = page.eval_on_selector_all(
        "img, a, [style*='url(']",
        """els => els.map(e => e.getAttribute('src') || e.getAttribute('href')
                              || e.getAttribute('style') || '')""",
    )
    return [f for f in found if "evil" in f or f.startswith(("http://www", "mailto:"))]


def _idle(page) -> None:
    page.wait_for_selector(IDLE, timeout=60_000)


def test_hostile_names_stay_text_and_no_page_requests_anything_outside(tmp_path):
    from playwright.sync_api import expect

    hostile_program(tmp_path / "m.sqlite3")
    with (
        launch() as browser,
        app_server(tmp_path / "m.sqlite3", tmp_path / "app.log") as server,
    ):
        page = browser.new_page(viewport=VIEWPORT)
        watch = Watch(page)
        page.goto(server.url)
        _idle(page)
        # The name is there, character for character, as text (joiners are invisible).
        caption = page.get_by_test_id("stSidebar").get_by_test_id("stCaptionContainer").first
        expect(caption).to_contain_text("Open program")
        assert caption.inner_text().replace(JOINER, "") == f"Open program: {PROGRAM}"
        seen = []
        for title in PAGES:
            page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
            expect(page.locator("h1").filter(has_text=title)).to_be_visible()
            _idle(page)
            page.wait_for_timeout(500)
            _idle(page)
            if title == "Review":
                # The pair on screen explains its best mentor, whose name holds the addresses.
                best = page.get_by_test_id("stAlert").filter(has_text="best mentor").first
                expect(best).to_be_visible(timeout=60_000)
                assert "https://evil.example/" in best.inner_text().replace(JOINER, "")
            seen.append((title, markup(page)))
        assert [s for s in seen if s[1]] == [], seen
        assert watch.outside() == [], watch.outside()
        assert any("/media/" in u or "icon" in u for u in watch.requests), "the icon is served"


def test_a_markdown_file_name_is_shown_as_text_not_fetched(tmp_path):
    from playwright.sync_api import expect

    name = "![x](https://evil.example/file.png).csv"
    with (
        launch() as browser,
        app_server(tmp_path / "m.sqlite3", tmp_path / "app.log") as server,
    ):
        page = browser.new_page(viewport=VIEWPORT)
        watch = Watch(page)
        page.goto(f"{server.url}/upload")
        _idle(page)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            files=[{"name": name, "mimeType": "text/csv", "buffer": b"id,name,role\n1,A,mentee\n"}]
        )
        expect(page.get_by_test_id("stFileChipName").first).to_be_visible()
        _idle(page)
        page.wait_for_timeout(500)
        assert markup(page) == []
        assert watch.outside() == []
