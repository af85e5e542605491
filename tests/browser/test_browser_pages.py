"""Public pages in headless Chromium, over the live site and the Dog API stand-in.

Each test also checks that the pages it visited logged no console error, no
uncaught exception and no Content-Security-Policy violation.
"""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# The site's stylesheet paints the page background with --paper (#fffdf8).
PAPER_BACKGROUND = "rgb(255, 253, 248)"

SCREENSHOT_DIR = settings.BASE_DIR / "build" / "screenshots"

# WCAG 2.1 success criterion 1.4.10 (Reflow) expects pages to work at 320
# CSS pixels wide without horizontal scrolling: a small phone held upright.
PHONE_VIEWPORT = {"width": 320, "height": 640}


def visit(page, live_server, path):
    """Open `path` on the live site and wait until the page has loaded."""
    return page.goto(f"{live_server.url}{path}", wait_until="load")


def loaded_images(page, selector):
    """Scroll every image that matches `selector` into view and wait for it.

    Gallery images load lazily, so an image below the fold would otherwise
    never start loading. Returns the images' URL, alt text and natural width.
    An image that failed to load has a natural width of 0.
    """
    images = page.locator(selector)
    for index in range(images.count()):
        images.nth(index).scroll_into_view_if_needed()
    page.wait_for_function(
        "selector => [...document.querySelectorAll(selector)]"
        ".every(image => image.complete)",
        arg=selector,
    )
    return images.evaluate_all(
        "images => images.map(image => ({"
        "src: image.currentSrc, alt: image.alt, width: image.naturalWidth}))"
    )


def gallery_sources(page):
    return page.locator(".gallery img").evaluate_all(
        "images => images.map(image => image.getAttribute('src'))"
    )


def assert_page_clean(page, page_log, javascript=True):
    """Assert that the pages visited so far reported no problem."""
    if javascript:
        # Violation events are queued as tasks. Waiting for a timer task in
        # the page lets them fire and their reports reach the test first.
        # Timers never fire with scripts off, and nothing reports then.
        page.evaluate("() => new Promise(resolve => setTimeout(resolve, 50))")
    assert page_log.csp_violations == []
    assert page_log.page_errors == []
    assert page_log.console_errors == []


def test_home_photo_loads(page, live_server, dogapi, page_log):
    response = visit(page, live_server, "/")
    photos = loaded_images(page, ".photo-of-the-moment img")
    caption = page.locator(".photo-of-the-moment figcaption").inner_text()

    assert response.status == 200
    assert len(photos) == 1
    assert photos[0]["src"].startswith(dogapi.image_base)
    assert photos[0]["width"] > 0
    assert photos[0]["alt"] == f"Photo of a {caption}"
    expect(page.locator("#search-q")).to_be_visible()
    assert_page_clean(page, page_log)


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_search_form_opens_breed(open_page, live_server, page_log, javascript):
    # The form is a plain GET form, so it must work with scripts off as well.
    # An autocomplete that scripts add must not get in its way with them on.
    page = open_page(java_script_enabled=javascript)
    visit(page, live_server, "/")

    page.locator("#search-q").fill("golden retriever")
    page.locator("#search-q").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=golden\+retriever$"))
    heading = page.locator("h1").inner_text()
    result = page.locator(".search-results a", has_text="Golden Retriever").first
    result.click()
    page.wait_for_url(f"{live_server.url}/breeds/retriever/golden/")

    assert "golden retriever" in heading
    expect(page.locator("h1")).to_have_text("Golden Retriever")
    assert_page_clean(page, page_log, javascript)


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/breeds/pug/", "Pug"),
        ("/breeds/hound/", "Hound"),
        ("/breeds/hound/afghan/", "Afghan Hound"),
    ],
)
def test_gallery_images_all_load(page, live_server, dogapi, page_log, path, title):
    visit(page, live_server, path)
    photos = loaded_images(page, ".gallery img")

    assert photos
    for photo in photos:
        assert photo["src"].startswith(dogapi.image_base)
        assert photo["width"] > 0, f"{photo['src']} did not load"
        assert photo["alt"] == f"Photo of a {title}"
    assert_page_clean(page, page_log)


def test_pug_file_names_load_encoded(page, live_server, dogapi, page_log):
    # The stand-in serves 10 real pug file names from its image sample, among
    # them "WhatsApp Image 2023-05-30 at 21.37.23.jpeg" and
    # "WhatsApp_Image_2023-05-30_at_21.40.58_(1).jpg". A gallery of 10 shows
    # them all.
    visit(page, live_server, "/breeds/pug/?count=10")
    photos = loaded_images(page, ".gallery img")
    sources = [photo["src"] for photo in photos]
    with_space = [src for src in sources if "WhatsApp%20Image" in src]
    with_parentheses = [src for src in sources if "_(1).jpg" in src]

    assert len(photos) == 10
    assert len(with_space) == 1
    assert len(with_parentheses) == 1
    for photo in photos:
        assert photo["width"] > 0, f"{photo['src']} did not load"
    assert_page_clean(page, page_log)


def test_reload_shows_other_photos(page, live_server, dogapi, page_log):
    # The hound gallery picks 6 of the 68 images in the stand-in's 7 hound
    # sub-breed folders. Two loads show the same photos in the same order
    # with a chance of about 1 in 80 billion.
    visit(page, live_server, "/breeds/hound/")
    first = gallery_sources(page)
    page.reload(wait_until="load")
    second = gallery_sources(page)

    assert len(first) == 6
    assert len(second) == 6
    assert first != second
    assert_page_clean(page, page_log)


def test_count_three_shows_three(page, live_server, dogapi, page_log):
    visit(page, live_server, "/breeds/pug/?count=3")
    photos = loaded_images(page, ".gallery img")

    assert len(photos) == 3
    assert len({photo["src"] for photo in photos}) == 3
    for photo in photos:
        assert photo["width"] > 0, f"{photo['src']} did not load"
    expect(page.get_by_role("link", name="Show other photos")).to_have_attribute(
        "href", "/breeds/pug/?count=3"
    )
    assert_page_clean(page, page_log)


def test_sub_breed_page_links_parent(page, live_server, dogapi, page_log):
    response = visit(page, live_server, "/breeds/retriever/golden/")
    photos = loaded_images(page, ".gallery img")
    breadcrumb = page.locator(".breadcrumb a")

    assert response.status == 200
    expect(page.locator("h1")).to_have_text("Golden Retriever")
    expect(page).to_have_title("Golden Retriever · dogsite")
    expect(breadcrumb).to_have_text("Retriever")
    expect(breadcrumb).to_have_attribute("href", "/breeds/retriever/")
    expect(page.locator(".sub-breeds")).to_have_count(0)
    assert len(photos) == 6
    for photo in photos:
        assert "/breeds/retriever-golden/" in photo["src"]
        assert photo["width"] > 0, f"{photo['src']} did not load"
        assert photo["alt"] == "Photo of a Golden Retriever"
    assert_page_clean(page, page_log)


def test_catalogue_nests_sub_breeds(page, live_server, page_log):
    visit(page, live_server, "/breeds/")
    breeds = page.locator(".breed-tree > li")
    sub_breeds = page.locator(".breed-tree > li > ul > li")
    hound = breeds.filter(has=page.locator("> a", has_text=re.compile(r"^Hound$")))

    expect(breeds).to_have_count(107)
    expect(sub_breeds).to_have_count(94)
    expect(hound.locator("ul > li")).to_have_count(7)
    expect(hound.get_by_role("link", name="Afghan Hound")).to_have_attribute(
        "href", "/breeds/hound/afghan/"
    )
    page.get_by_role("link", name="Afghan Hound").click()
    expect(page.locator("h1")).to_have_text("Afghan Hound")
    assert_page_clean(page, page_log)


def test_unknown_breed_shows_404(page, live_server, page_log):
    response = visit(page, live_server, "/breeds/unicorn/")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")

    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    expect(
        page.locator("main").get_by_role("link", name="all breeds", exact=True)
    ).to_have_attribute("href", "/breeds/")
    expect(page.locator("#search-q")).to_be_visible()
    assert background == PAPER_BACKGROUND
    # Chromium logs the 404 status of the document itself as a console
    # error. That one is expected here, and any other is not.
    document_url = f"{live_server.url}/breeds/unicorn/"
    document_errors = [
        error
        for error in page_log.console_errors
        if error.endswith(f"({document_url})")
    ]
    assert len(document_errors) == 1
    assert "status of 404" in document_errors[0]
    page_log.console_errors.remove(document_errors[0])
    assert_page_clean(page, page_log)


def test_dog_api_outage_shows_notice(page, live_server, dogapi, page_log):
    dogapi.set_fault("http500_html")

    home = visit(page, live_server, "/")
    home_images = page.locator("main img").count()
    breed = visit(page, live_server, "/breeds/pug/")
    notice = page.locator(".photos .notice")

    assert home.status == 200
    assert home_images == 0
    assert breed.status == 200
    expect(page.locator("h1")).to_have_text("Pug")
    expect(notice).to_contain_text("Photos are unavailable right now")
    expect(page.locator(".gallery")).to_have_count(0)
    assert dogapi.count("/api/breed/pug/") >= 1
    assert_page_clean(page, page_log)


def test_pages_fit_phone_width(page, live_server, dogapi, page_log):
    page.set_viewport_size(PHONE_VIEWPORT)
    widths = {}
    for path in ["/", "/breeds/", "/breeds/pug/", "/search/?q=hound"]:
        visit(page, live_server, path)
        widths[path] = page.evaluate(
            "document.documentElement.scrollWidth - window.innerWidth"
        )

    for path, overflow in widths.items():
        assert overflow == 0, f"{path} scrolls sideways by {overflow}px"
    assert_page_clean(page, page_log)


def test_screenshots_of_home_and_breed(page, live_server, dogapi, page_log):
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    home_file = SCREENSHOT_DIR / "home.png"
    breed_file = SCREENSHOT_DIR / "breed-pug.png"
    for stale in (home_file, breed_file):
        stale.unlink(missing_ok=True)

    visit(page, live_server, "/")
    loaded_images(page, "main img")
    page.screenshot(path=home_file, full_page=True)
    visit(page, live_server, "/breeds/pug/")
    loaded_images(page, ".gallery img")
    page.screenshot(path=breed_file, full_page=True)

    assert home_file.stat().st_size > 0
    assert breed_file.stat().st_size > 0
    assert_page_clean(page, page_log)
