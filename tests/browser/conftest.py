"""Fixtures for the browser tests: Debian's Chromium driven by Playwright."""

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

CHROMIUM = Path("/usr/bin/chromium")

# --no-sandbox lets Chromium run as root, as CI does. The machines that run
# these tests have no internet access, and without the background-networking
# flags Chromium keeps trying to reach Google's services.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Page.addScriptToEvaluateOnNewDocument runs this before the page's own
# scripts and outside its Content-Security-Policy, so the strict policy that
# it watches does not block it.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline code"}`
    + ` on ${event.documentURI}`
  );
});
"""

DESKTOP_VIEWPORT = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(config, items):
    """Skip the browser tests on machines without Debian's Chromium."""
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} not found. Install Debian's Chromium with "
        "`sudo bash ci/install-browser.sh` to run the browser tests."
    )
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="package")
def browser():
    """Launch one headless Chromium for every test in this package.

    The scope is the package, not the session. While Playwright's sync API
    is started, it leaves an asyncio event loop marked as running in the
    main thread. Django's ORM would then raise SynchronousOnlyOperation in
    every test that runs after this package.
    """
    with pytest.MonkeyPatch.context() as patch:
        # Django rejects ORM calls from a thread with a running event loop.
        # The loop is Playwright's and is idle whenever test code or a
        # fixture queries the database (the catalogue sync, the flush after
        # each test), so those calls are safe. The check is off only while
        # the browser is up.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()


@pytest.fixture(scope="session")
def live_server(standin_server):
    """Serve the site on 127.0.0.1, with the stand-in's images allowed.

    Replaces pytest-django's fixture of the same name, which listens on
    "localhost". The middleware builds the Content-Security-Policy from
    DOG_IMAGE_HOSTS once, when the server thread loads it, so the stand-in's
    host has to be set while the server starts. The `dogapi` fixture sets the
    same host for the rest of the site on each test.
    """
    image_host = urlsplit(standin_server.base_url).netloc
    with override_settings(DOG_IMAGE_HOSTS=[image_host]):
        server = LiveServer("127.0.0.1")
    yield server
    server.stop()


@dataclass
class PageLog:
    """Problems that a page reported while a test drove it."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)


@pytest.fixture
def page_log():
    return PageLog()


def watch_page(page, log):
    """Record console errors, uncaught exceptions and CSP violations in `log`."""

    def record_console(message):
        if message.type == "error":
            log.console_errors.append(f"{message.text} ({message.location['url']})")

    page.on("console", record_console)

    def record_csp_violation(report):
        log.csp_violations.append(report)

    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    page.expose_function("reportCspViolation", record_csp_violation)
    page.add_init_script(REPORT_CSP_VIOLATIONS)


@pytest.fixture
def open_page(browser, page_log, live_server, catalogue, dogapi):
    """Return a function that opens a watched page in a new browser context.

    Each context starts without cookies or cache, at desktop size unless the
    keyword arguments, which go to Browser.new_context, say otherwise. The
    fixture also brings what every browser test needs: the live server, the
    201-entry catalogue and the Dog API stand-in.
    """
    contexts = []

    def open_watched_page(**context_options):
        context = browser.new_context(
            **{"viewport": DESKTOP_VIEWPORT, **context_options}
        )
        contexts.append(context)
        page = context.new_page()
        watch_page(page, page_log)
        return page

    yield open_watched_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page):
    """A watched page in a new browser context, at desktop size."""
    return open_page()
