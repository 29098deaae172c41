"""Opening a built site in a real browser, for the browser tests: a static host on 127.0.0.1
and Debian's headless Chromium driven by Playwright, with every console error, uncaught
exception and failed request of a page collected."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Response,
)

CHROMIUM = Path("/usr/bin/chromium")
#: Chromium's command line as root in a container with no network but loopback. Playwright
#: starts every launch with a new empty profile of its own (it refuses --user-data-dir here).
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: Every wait is bounded by these (milliseconds).
NAVIGATION_TIMEOUT = 15_000
ACTION_TIMEOUT = 10_000
SEARCH_TIMEOUT = 15_000

VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}

# --- the server -------------------------------------------------------------------------------


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files as a static host serves them; an unknown path gets /404.html with 404."""

    extensions_map = {  # noqa: RUF012 (the base class declares it as a plain dict)
        **SimpleHTTPRequestHandler.extensions_map,
        ".html": "text/html; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
        ".mjs": "text/javascript; charset=utf-8",
        ".json": "application/json",
        ".xml": "application/xml",
        ".wasm": "application/wasm",
        ".svg": "image/svg+xml",
    }

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass(frozen=True)
class Site:
    """A built site in ``root``, served at ``base``."""

    base: str
    root: Path

    def url(self, path: str) -> str:
        return self.base + path


@dataclass
class Visit:
    """An open page, with everything that went wrong while it was open."""

    page: Page
    #: Console errors, uncaught exceptions, failed requests, HTTP errors, in order.
    problems: list[str] = field(default_factory=list)
    response: Response | None = None

    def goto(self, url: str, *, settle: bool = False) -> Response | None:
        """Open ``url`` and wait for its load event.

        With ``settle``, a page that has scripts is also given until the network is idle, so
        that the requests its scripts make after the load event are watched too.
        """
        self.response = self.page.goto(url, wait_until="load")
        if settle and self.page.evaluate("document.scripts.length > 0"):
            self.page.wait_for_load_state("networkidle")
        return self.response

    def report(self) -> str:
        return "\n".join(self.problems)


class Chromium:
    """The browser, with one context (a private profile) per kind of reader.

    Each visit opens a new page in its reader's context: a context costs far more to start
    than a page, and a static site keeps nothing between pages that a check depends on (no
    cookies, no storage; a failed request is never cached, so it fails again on every page).
    """

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.contexts: dict[tuple[str, str, bool], BrowserContext] = {}

    def context(self, viewport: str, locale: str, scripts: bool) -> BrowserContext:
        key = (viewport, locale, scripts)
        if key not in self.contexts:
            self.contexts[key] = self.new_context(viewport, locale, scripts)
        return self.contexts[key]

    def new_context(self, viewport: str, locale: str, scripts: bool) -> BrowserContext:
        """A browser profile of its own: no history, no cookies, nothing in localStorage."""
        width, height = VIEWPORTS[viewport]
        phone = viewport == "phone"
        context = self.browser.new_context(
            viewport={"width": width, "height": height},
            is_mobile=phone,
            has_touch=phone,
            locale=locale,
            color_scheme="light",
            java_script_enabled=scripts,
        )
        context.set_default_timeout(ACTION_TIMEOUT)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT)
        return context

    @contextmanager
    def visit(
        self,
        *,
        viewport: str = "desktop",
        locale: str = "en-US",
        scripts: bool = True,
        fresh: bool = False,
    ) -> Iterator[Visit]:
        """A new page, watched, for a reader with this screen, language and scripts setting.

        ``scripts=False`` runs none of the page's scripts (to look at the chooser, which
        redirects); ``fresh`` is a first-time reader, with a browser profile of their own
        (what the site remembered of other visits, in localStorage, is not there).
        """
        own = self.new_context(viewport, locale, scripts) if fresh else None
        page = (own or self.context(viewport, locale, scripts)).new_page()
        seen = Visit(page)

        def on_console(message: ConsoleMessage) -> None:
            where = message.location.get("url", "")
            # Chromium asks for /favicon.ico once per browser, not once per page, so a missing
            # icon would fail whichever test came first: test_pages_declare_an_icon checks it.
            if message.type == "error" and not where.endswith("/favicon.ico"):
                seen.problems.append(f"console error: {message.text} [{where}]")

        def on_response(response: Response) -> None:
            if response.status >= 400:
                seen.problems.append(f"HTTP {response.status}: {response.url}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: seen.problems.append(f"uncaught exception: {error}"))
        page.on(
            "requestfailed",
            lambda request: seen.problems.append(
                f"request failed: {request.url} ({request.failure})"
            ),
        )
        page.on("response", on_response)
        try:
            yield seen
        finally:
            page.close()
            if own is not None:
                own.close()

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()
        self.browser.close()


def html_lang(page: Page) -> str:
    return str(page.evaluate("document.documentElement.lang"))


def expect_loaded(seen: Visit, url: str) -> None:
    """The page itself arrived (a page not built yet fails here, with its URL)."""
    response = seen.response
    assert response is not None, f"no response for {url}"
    assert response.ok, f"{url} answered HTTP {response.status}"


@contextmanager
def serving(root: Path) -> Iterator[tuple[ThreadingHTTPServer, str]]:
    """A static host for ``root`` on a free loopback port, and its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SiteHandler, directory=str(root)))
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield server, base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def launch(playwright: Playwright) -> Chromium:
    """Debian's Chromium, headless; its absence is a failure (run .ci/setup-system)."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (bash .ci/setup-system)")
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS, timeout=30_000
    )
    return Chromium(browser)
