"""The search box's autocomplete in headless Chromium, driven by the keyboard."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_browser_pages import assert_page_clean, visit

pytestmark = pytest.mark.browser


def test_arrow_and_enter_open_breed(page, live_server, page_log):
    visit(page, live_server, "/")
    search_box = page.locator("#search-q")

    search_box.press_sequentially("afgh", delay=50)
    options = page.locator("#search-q-suggestions [role=option]")
    expect(options.first).to_have_text("Afghan Hound")
    search_box.press("ArrowDown")
    expect(search_box).to_have_attribute(
        "aria-activedescendant", "search-q-suggestions-0"
    )
    search_box.press("Enter")
    page.wait_for_url(f"{live_server.url}/breeds/hound/afghan/")

    expect(page.locator("h1")).to_have_text("Afghan Hound")
    assert_page_clean(page, page_log)


def test_escape_closes_suggestions(page, live_server, page_log):
    visit(page, live_server, "/")
    search_box = page.locator("#search-q")
    listbox = page.locator("#search-q-suggestions")

    search_box.press_sequentially("poo", delay=50)
    expect(listbox).to_be_visible()
    expect(search_box).to_have_attribute("aria-expanded", "true")
    search_box.press("Escape")

    expect(listbox).to_be_hidden()
    expect(search_box).to_have_attribute("aria-expanded", "false")
    assert_page_clean(page, page_log)


def test_one_request_per_pause(page, live_server, page_log):
    requests = []
    page.on(
        "request",
        lambda request: (
            requests.append(request.url)
            if "/api/autocomplete/" in request.url
            else None
        ),
    )
    visit(page, live_server, "/")

    page.locator("#search-q").press_sequentially("golden ret", delay=30)
    expect(page.locator("#search-q-suggestions [role=option]").first).to_have_text(
        "Golden Retriever"
    )

    assert len(requests) == 1
    assert requests[0].endswith("q=golden+ret") or requests[0].endswith(
        "q=golden%20ret"
    )
    assert_page_clean(page, page_log)
