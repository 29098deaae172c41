"""The built default site in a real browser: headless Chromium driven by Playwright.

The site is built with the base URL of a small HTTP server on 127.0.0.1 and served from there,
so that every absolute link resolves locally. The browser is Debian's Chromium
(/usr/bin/chromium, package ``chromium``); Playwright never downloads one here. Korean text
needs Debian's ``fonts-noto-cjk``, and the accessibility checks need axe-core from npm in
``.ci/node_modules``: ``.ci/setup-system`` installs all three (the README's test command runs
it first). Anything missing fails these tests, it does not skip them.

Screenshots of every page at 1280x900 and 390x844 are written to ``artifacts/screenshots/``
(gitignored; CI keeps them as artifacts), one file per page and size:
``<lang>-<page>-<width>x<height>.png``.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import yaml
from browsing import (
    SEARCH_TIMEOUT,
    VIEWPORTS,
    Chromium,
    Site,
    expect_loaded,
    html_lang,
    launch,
    serving,
)
from conftest import ROOT, copy_project
from PIL import Image, ImageDraw
from playwright.sync_api import (
    Locator,
    Page,
    Playwright,
    sync_playwright,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from generator.commands.cli import main

AXE = ROOT / ".ci" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
ARTICLES = ROOT / "content" / "articles"

LANGS = ("ko", "en")

#: The pages every reader meets, per language: name → path under the base URL.
PAGES = {
    "home": "{lang}/",
    "article": "{lang}/articles/2025/semiconductors-hbm-ai/",
    "sectors": "{lang}/sectors/",
    "sector": "{lang}/sectors/semiconductors/",
    "people": "{lang}/people/",
    "person": "{lang}/people/lee-jae-myung/",
    "archive": "{lang}/archive/",
    "search": "{lang}/search/",
    "404": "{lang}/404.html",
}


@dataclass(frozen=True)
class Target:
    """A page to open: its screenshot name, its path, the language it must declare."""

    name: str
    path: str
    #: None where the page may be in either language (the root 404 page).
    lang: str | None

    def __str__(self) -> str:
        return self.name


TARGETS = [
    Target(f"{lang}-{kind}", path.format(lang=lang), lang)
    for lang in LANGS
    for kind, path in PAGES.items()
] + [Target("root-404", "404.html", None)]


# --- content: what the pages must show -------------------------------------------------------


@dataclass(frozen=True)
class SourceArticle:
    """One article file, as far as these tests need it."""

    lang: str
    key: str
    title: str
    path: str


def _front_matter(file: Path) -> dict[str, Any]:
    text = file.read_text(encoding="utf-8-sig")
    _, head, _ = text.split("---\n", 2)
    data: dict[str, Any] = yaml.safe_load(head)
    return data


def _source_articles() -> list[SourceArticle]:
    found = []
    for file in sorted(ARTICLES.glob("*/*.md")):
        slug, lang = file.name.removesuffix(".md").rsplit(".", 1)
        meta = _front_matter(file)
        slug = meta.get("slug", slug)
        key = meta.get("translation_key", slug)
        found.append(
            SourceArticle(lang, key, meta["title"], f"{lang}/articles/{file.parent.name}/{slug}/")
        )
    return found


SOURCE_ARTICLES = _source_articles()
BY_KEY: dict[str, dict[str, SourceArticle]] = {}
for _article in SOURCE_ARTICLES:
    BY_KEY.setdefault(_article.key, {})[_article.lang] = _article

#: (from, to) for every article that has a translation, both ways.
TRANSLATED = [
    (langs[a], langs[b])
    for langs in BY_KEY.values()
    for a in LANGS
    for b in LANGS
    if a != b and a in langs and b in langs
]
#: Articles in one language only.
UNTRANSLATED = [next(iter(langs.values())) for langs in BY_KEY.values() if len(langs) == 1]


def other(lang: str) -> str:
    return next(code for code in LANGS if code != lang)


# --- the server -------------------------------------------------------------------------------


#: The article the browser site gives an image (the default content has none): its page is
#: then screenshotted with its figure.
FIGURE_ARTICLE = "semiconductors-hbm-ai.en.md"
FIGURE_SIZE = (1200, 675)


def add_figure(article: Path) -> None:
    """Give ``article`` a figure: a generated image beside it, with alt text and a caption."""
    image = Image.new("RGB", FIGURE_SIZE, (20, 60, 120))
    draw = ImageDraw.Draw(image)
    for step in range(12):
        x = 80 + step * 90
        draw.rectangle((x, 600 - step * 40, x + 60, 600), fill=(230, 120 + step * 8, 40))
    image.save(article.with_name("chip-chart.png"))
    text = article.read_text(encoding="utf-8")
    head, fence, body = text.partition("\n---\n")
    figure = (
        "\nimage:\n  file: chip-chart.png\n  alt: A bar chart rising from left to right"
        "\n  caption: An illustration made for the browser tests\n  credit: pressroom tests"
    )
    article.write_text(head + figure + fence + body, encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The default content built with the local server's URL as base_url, and served."""
    work = tmp_path_factory.mktemp("browser")
    out = work / "site"
    out.mkdir()
    with serving(out) as (_, base):
        project = copy_project(work / "project")
        add_figure(project / "content" / "articles" / "2025" / FIGURE_ARTICLE)
        build = ["build", "--source", str(project), "--base-url", base, "--output", str(out)]
        status = main(build)
        if status != 0:
            pytest.fail(f"the default site did not build (status {status})")
        yield Site(base, out)


# --- the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def playwright(site: Site) -> Iterator[Playwright]:
    """Playwright's sync API, started after the build.

    It keeps an asyncio loop running in this thread until it stops, and the build runs
    Pagefind through asyncio.run(), which refuses to start inside a running loop.
    """
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Chromium]:
    """Debian's Chromium, headless; its absence is a failure (run .ci/setup-system)."""
    chromium = launch(playwright)
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture(scope="module")
def screenshots() -> Path:
    """A fresh artifacts/screenshots/ (a stale picture must not pass for a new one)."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(ROOT)} not found: install it with bash .ci/setup-system")
    return AXE.read_text(encoding="utf-8")


def visible_heading(page: Page) -> str:
    """The text of the page's first visible <h1>, or '' when there is none."""
    headings = page.locator("h1").filter(visible=True)
    return headings.first.inner_text().strip() if headings.count() else ""


# --- every page loads, cleanly, at both sizes -------------------------------------------------


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_page_loads_cleanly(
    browser: Chromium, site: Site, screenshots: Path, target: Target, viewport: str
) -> None:
    """The page loads with no console error and no failed request, and shows its heading.

    Requests a page's scripts make after the load event count too. Its screenshot is saved
    before anything is checked.
    """
    url = site.url(target.path)
    width, height = VIEWPORTS[viewport]
    with browser.visit(viewport=viewport) as seen:
        seen.goto(url, settle=True)
        seen.page.screenshot(path=screenshots / f"{target}-{width}x{height}.png", full_page=True)
        expect_loaded(seen, url)
        assert not seen.problems, f"{url} at {width}x{height}:\n{seen.report()}"
        lang = html_lang(seen.page)
        if target.lang is None:
            assert lang in LANGS, f"{url}: <html lang={lang!r}>"
        else:
            assert lang == target.lang, f"{url}: <html lang={lang!r}>, expected {target.lang!r}"
        assert seen.page.title().strip(), f"{url} has an empty <title>"
        assert visible_heading(seen.page), f"{url} shows no <h1> heading at {width}x{height}"
        scroll_width = seen.page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, (
            f"{url} is {scroll_width}px wide at {width}x{height}: the reader must scroll sideways"
        )


def test_unknown_url_shows_the_404_page(browser: Chromium, site: Site) -> None:
    """A static host answers an unknown URL with /404.html: it must still look like the site.

    The page is served at the unknown URL's depth, so its stylesheet and links must not be
    relative to /404.html.
    """
    assert (site.root / "404.html").is_file(), "the site has no /404.html"
    url = site.url("en/articles/2025/no-such-article/")
    with browser.visit() as seen:
        seen.goto(url)
        assert seen.response is not None and seen.response.status == 404
        # The page itself answers 404 by design; anything else that fails is a fault.
        others = [line for line in seen.problems if not line.endswith((f": {url}", f"[{url}]"))]
        assert not others, f"{url}:\n" + "\n".join(others)
        assert visible_heading(seen.page), f"{url} shows no <h1> heading"
        styled = seen.page.evaluate(
            "[...document.styleSheets].some(sheet => sheet.cssRules.length > 0)"
        )
        assert styled, f"{url}: the 404 page's stylesheet did not apply"
        home = seen.page.locator("a[href]").evaluate_all("links => links.map(a => a.href)")
        assert any(href.rstrip("/") + "/" in {site.url("ko/"), site.url("en/")} for href in home), (
            f"{url}: the 404 page links to no home page; its links: {home}"
        )


def test_pages_declare_an_icon(browser: Chromium, site: Site) -> None:
    """Every page names an icon that loads.

    Without one, browsers ask for /favicon.ico at the server's root, outside the site when it
    is served under a sub-path, and log the 404 as a console error. (Chromium asks once per
    browser, so the per-page tests cannot see it reliably: this test looks at every page.)
    """
    missing = []
    with browser.visit(scripts=False) as seen:  # the chooser redirects with scripts on
        for target in [Target("chooser", "index.html", None), *TARGETS]:
            url = site.url(target.path)
            response = seen.goto(url)
            if response is None or not response.ok:
                missing.append(f"{url}: HTTP {response.status if response else 'no answer'}")
                continue
            icon = seen.page.locator("link[rel~=icon][href]")
            if not icon.count():
                missing.append(f"{url}: no <link rel=icon>")
                continue
            href = urljoin(url, str(icon.first.get_attribute("href")))
            if not href.startswith("data:"):
                status = seen.page.context.request.get(href).status
                if status != 200:
                    missing.append(f"{url}: its icon {href} answered HTTP {status}")
    assert not missing, "pages without a working icon:\n" + "\n".join(missing)


def test_chooser_sends_browser_to_its_language(browser: Chromium, site: Site) -> None:
    """The root chooser redirects by the browser's language, English as the fallback."""
    for locale, lang in (("ko-KR", "ko"), ("en-US", "en"), ("fr-FR", "en")):
        with browser.visit(locale=locale, fresh=True) as seen:
            seen.goto(site.base)
            seen.page.wait_for_url(site.url(f"{lang}/"))
            assert html_lang(seen.page) == lang, f"a {locale} browser: lang {html_lang(seen.page)}"


def test_the_chooser_stays_reachable_and_remembers_the_readers_choice(
    browser: Chromium, site: Site
) -> None:
    """Only a first visit to / is sent on by the browser's language; the footer's link to
    every language shows the chooser; a language picked there is where / leads from then on."""
    with browser.visit(locale="ko-KR", fresh=True) as seen:
        seen.goto(site.base)
        seen.page.wait_for_url(site.url("ko/"))  # a first visit: by the browser's language
        footer = seen.page.locator("footer a[href*='?choose']")
        assert footer.count() == 1
        footer.click()
        seen.page.wait_for_load_state("load")
        seen.page.wait_for_timeout(300)
        assert "?choose" in seen.page.url and seen.page.locator("main.chooser").is_visible()
        seen.page.locator("main.chooser a[hreflang='en']").first.click()
        seen.page.wait_for_url(site.url("en/"))
        seen.goto(site.base)  # the choice, not the browser's language
        seen.page.wait_for_url(site.url("en/"))
        assert html_lang(seen.page) == "en"
    with browser.visit(locale="en-US", fresh=True) as seen:
        seen.goto(site.base)
        seen.page.wait_for_url(site.url("en/"))
        seen.goto(site.url("?choose"))
        seen.page.wait_for_timeout(300)
        assert seen.page.locator("main.chooser").is_visible()  # no choice made: it stays
        seen.goto(site.base)
        seen.page.wait_for_timeout(300)
        assert seen.page.url == site.base  # not a first visit, nothing chosen: the chooser


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_root_404_answers_in_the_language_of_the_address_first(
    browser: Chromium, site: Site, lang: str
) -> None:
    with browser.visit(locale="en-US") as seen:
        seen.goto(site.url(f"{lang}/articles/2025/no-such-story/"))
        sections = seen.page.locator("main section[lang]")
        assert sections.count() >= 2
        assert sections.first.get_attribute("lang") == lang
        assert html_lang(seen.page) == lang
        title = sections.first.locator(".site-title a")
        settings = yaml.safe_load((site.root.parent / "project" / "site.yaml").read_text("utf-8"))
        assert title.inner_text().strip() == settings["title"][lang]


# --- what a reader sees -------------------------------------------------------------------------


def platform_fonts(page: Page, selector: str) -> list[str]:
    """The installed fonts Chromium really drew the element's text with."""
    session = page.context.new_cdp_session(page)
    try:
        root = session.send("DOM.getDocument")["root"]["nodeId"]
        node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        assert node, f"no element matches {selector}"
        session.send("CSS.enable")
        fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        return [font["familyName"] for font in fonts if font["glyphCount"] > 0]
    finally:
        session.detach()


#: Families that have Hangul: Noto Sans CJK KR (Debian's fonts-noto-cjk), Noto Sans KR, Nanum,
#: Malgun Gothic, Apple SD Gothic Neo.
KOREAN_FONT = re.compile(r"CJK|\bKR\b|Korean|Hangul|Nanum|Malgun|SD Gothic", re.IGNORECASE)


@pytest.mark.parametrize(
    ("path", "selector"),
    [
        ("ko/articles/2025/semiconductors-hbm-ai/", "h1"),
        ("ko/articles/2025/semiconductors-hbm-ai/", ".article-body p"),
        ("en/articles/2025/semiconductors-hbm-ai/", ".language-switcher a[hreflang=ko]"),
    ],
    ids=["ko-heading", "ko-body", "en-switcher"],
)
def test_korean_text_is_drawn_with_a_korean_font(
    browser: Chromium, site: Site, path: str, selector: str
) -> None:
    """Hangul is drawn with a font that has it (else the reader sees empty boxes)."""
    with browser.visit() as seen:
        seen.goto(site.url(path))
        expect_loaded(seen, site.url(path))
        text = seen.page.locator(selector).first.inner_text()
        assert re.search("[\uac00-\ud7a3]", text), f"{selector} on {path} has no Hangul: {text!r}"
        fonts = platform_fonts(seen.page, selector)
        assert any(KOREAN_FONT.search(name) for name in fonts), (
            f"{selector} on {path} ({text!r}) is drawn with {fonts}, none a Korean font "
            "(install fonts-noto-cjk)"
        )


def switcher_link(page: Page, lang: str) -> Locator:
    return page.locator(f".language-switcher a[hreflang={lang}]")


@pytest.mark.parametrize(
    ("source", "translation"),
    TRANSLATED,
    ids=[f"{a.lang}-to-{b.lang}-{a.key}" for a, b in TRANSLATED],
)
def test_switcher_leads_to_translation(
    browser: Chromium, site: Site, source: SourceArticle, translation: SourceArticle
) -> None:
    """Clicking the other language on an article opens that article's translation."""
    with browser.visit() as seen:
        seen.goto(site.url(source.path))
        expect_loaded(seen, site.url(source.path))
        switcher_link(seen.page, translation.lang).click()
        seen.page.wait_for_url(site.url(translation.path))
        seen.page.wait_for_load_state("load")
        assert html_lang(seen.page) == translation.lang
        assert visible_heading(seen.page) == translation.title
        assert not seen.problems, seen.report()


@pytest.mark.parametrize("article", UNTRANSLATED, ids=[a.key for a in UNTRANSLATED])
def test_switcher_on_untranslated_article_shows_note(
    browser: Chromium, site: Site, article: SourceArticle
) -> None:
    """With no translation, the switcher opens the other home, the note in view on top."""
    target = other(article.lang)
    home = site.url(f"{target}/")
    with browser.visit() as seen:
        seen.goto(site.url(article.path))
        expect_loaded(seen, site.url(article.path))
        switcher_link(seen.page, target).click()
        seen.page.wait_for_url(home + "#not-translated")
        seen.page.wait_for_load_state("load")
        assert html_lang(seen.page) == target
        note = seen.page.locator("#not-translated")
        assert note.is_visible(), "the 'not translated' note is hidden"
        assert note.inner_text().strip(), "the 'not translated' note is empty"
        box = note.bounding_box()
        height = VIEWPORTS["desktop"][1]
        # Scrolled to as the URL's target, its top may sit a fraction of a pixel above 0.
        assert box is not None and box["y"] >= -1 and box["y"] + box["height"] <= height, (
            f"the note is not wholly in view (at {box}, window height {height})"
        )
        assert not seen.problems, seen.report()
        seen.goto(home)
        assert not seen.page.locator("#not-translated").is_visible(), (
            f"{home} shows the 'not translated' note to a reader who came straight to it"
        )


SEARCHES = [
    ("ko", "반도체", "ko/articles/2025/semiconductors-hbm-ai/"),
    ("en", "shipbuilding", "en/articles/2025/masga-shipbuilding-cooperation/"),
]


@pytest.mark.parametrize(("lang", "query", "expected"), SEARCHES, ids=[s[0] for s in SEARCHES])
def test_search_finds_article(
    browser: Chromium, site: Site, lang: str, query: str, expected: str
) -> None:
    """Typing in the search page's box lists the expected article among the results."""
    url = site.url(f"{lang}/search/")
    with browser.visit() as seen:
        seen.goto(url)
        expect_loaded(seen, url)
        box = seen.page.locator(".pagefind-ui__search-input")
        box.wait_for(state="visible")
        box.press_sequentially(query, delay=20)
        wanted = site.url(expected)
        found = """([wanted]) => [...document.querySelectorAll('.pagefind-ui__result-link')]
            .some(a => a.href.replace(/index\\.html$/, '') === wanted)"""
        try:
            seen.page.wait_for_function(found, arg=[wanted], timeout=SEARCH_TIMEOUT)
        except PlaywrightTimeout:
            links = seen.page.locator(".pagefind-ui__result-link").evaluate_all(
                "links => links.map(a => a.href)"
            )
            pytest.fail(f"searching {query!r} on {url} did not list {wanted}; results: {links}")
        assert seen.page.locator(".pagefind-ui__result-link").first.is_visible()
        assert not seen.problems, seen.report()


# --- accessibility ------------------------------------------------------------------------------


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page as shown now."""
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.impact}: ${v.id}: ${v.help} at ` +
                          v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
        }"""
    )
    return list(found)


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_no_serious_accessibility_violation(
    browser: Chromium, site: Site, axe_source: str, target: Target
) -> None:
    """axe-core, injected into the page, finds no serious or critical violation.

    In both colour schemes: the stylesheet has dark colours, and contrast is checked in each.
    """
    url = site.url(target.path)
    with browser.visit() as seen:
        seen.goto(url)
        expect_loaded(seen, url)
        seen.page.add_script_tag(content=axe_source)
        found = []
        for scheme in ("light", "dark"):
            seen.page.emulate_media(color_scheme=scheme)
            found += [f"({scheme}) {line}" for line in serious_violations(seen.page)]
        assert not found, f"{url}:\n" + "\n".join(found)


# --- figures and one-language articles -----------------------------------------------------


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_an_article_figure_keeps_its_shape_and_fits_the_screen(
    browser: Chromium, site: Site, viewport: str
) -> None:
    slug = FIGURE_ARTICLE.removesuffix(".en.md")
    url = site.url(f"en/articles/2025/{slug}/")
    with browser.visit(viewport=viewport) as seen:
        seen.goto(url)
        figure = seen.page.locator("figure.article-figure img")
        figure.wait_for(state="visible")
        box = figure.bounding_box()
        assert box is not None
        width, height = FIGURE_SIZE
        assert abs(box["width"] / box["height"] - width / height) < 0.01, box
        assert box["width"] <= VIEWPORTS[viewport][0]
        # The size is in the markup, so the page does not move when the image arrives.
        assert figure.get_attribute("width") == str(width)
        assert figure.get_attribute("height") == str(height)
        assert seen.page.evaluate("document.querySelector('figure img').naturalWidth") == width
        assert not seen.problems, seen.report()


def test_a_korean_only_article_is_listed_marked_on_the_english_home(
    browser: Chromium, site: Site
) -> None:
    (untranslated,) = UNTRANSLATED
    with browser.visit() as seen:
        seen.goto(site.url("en/"))
        headline = f"h2 a[href$='/{untranslated.path}']"
        item = seen.page.locator("li.article-summary").filter(has=seen.page.locator(headline))
        assert item.count() == 1, f"{untranslated.path} is not listed on the English home"
        link = item.locator(headline)
        assert link.get_attribute("hreflang") == untranslated.lang
        marker = item.locator(".foreign-marker")
        assert marker.is_visible()
        assert marker.inner_text().strip().endswith(" only"), marker.inner_text()
        link.click()
        seen.page.wait_for_load_state("load")
        assert html_lang(seen.page) == untranslated.lang


# --- search results, readable in both schemes ----------------------------------------------

#: The WCAG contrast ratio of each search-result text against the background it is drawn
#: on (the nearest ancestor with an opaque background), and its colour.
RESULT_CONTRAST = """() => {
  const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const c = getComputedStyle(node).backgroundColor;
      const parts = rgb(c);
      if (parts.length === 3 || parts[3] > 0) { return parts.slice(0, 3); }
    }
    return [255, 255, 255];
  };
  const selectors = ['.pagefind-ui__result-link', '.pagefind-ui__result-excerpt',
                     '.pagefind-ui__message', '.pagefind-ui__search-input'];
  return selectors.map((selector) => {
    const el = document.querySelector(selector);
    if (!el) { return { selector, missing: true }; }
    const fg = rgb(getComputedStyle(el).color).slice(0, 3);
    const bg = background(el);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return { selector, ratio: (a + 0.05) / (b + 0.05), color: fg.join(','), bg: bg.join(',') };
  });
}"""
#: A query with results in each language.
RESULT_QUERIES = {"ko": "반도체", "en": "semiconductors"}


@pytest.mark.parametrize("lang", list(RESULT_QUERIES))
def test_search_results_are_readable_and_accessible_in_both_schemes(
    browser: Chromium, site: Site, axe_source: str, lang: str
) -> None:
    url = site.url(f"{lang}/search/?q={RESULT_QUERIES[lang]}")
    with browser.visit() as seen:
        seen.goto(url)
        seen.page.locator(".pagefind-ui__result-link").first.wait_for(timeout=SEARCH_TIMEOUT)
        seen.page.add_script_tag(content=axe_source)
        accent = {}
        for scheme in ("light", "dark"):
            seen.page.emulate_media(color_scheme=scheme)
            found = serious_violations(seen.page)
            assert not found, f"({scheme}) {url}:\n" + "\n".join(found)
            for entry in seen.page.evaluate(RESULT_CONTRAST):
                assert not entry.get("missing"), (scheme, entry)
                assert entry["ratio"] >= 4.5, (scheme, entry)
            # Result titles are links in the site's own link colour, and the field is not
            # left white on a dark page.
            accent[scheme] = seen.page.evaluate(
                "getComputedStyle(document.querySelector('main a[href]')).color"
            )
            link = seen.page.evaluate(
                "getComputedStyle(document.querySelector('.pagefind-ui__result-link')).color"
            )
            assert link == accent[scheme], (scheme, link, accent[scheme])
        assert accent["light"] != accent["dark"]
        assert not seen.problems, seen.report()


# --- the header ----------------------------------------------------------------------------

#: Where each part of the header is drawn, and the order the tab key visits its links in.
HEADER_LAYOUT = """() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.top, r.bottom]; };
  const header = document.querySelector('.site-header-inner');
  const title = document.querySelector('.site-title');
  const rows = [...header.querySelectorAll('.site-nav a, .language-switcher a')].map(box);
  return { title: box(title), links: rows };
}"""


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_header_is_two_rows_read_in_the_order_it_is_drawn(
    browser: Chromium, site: Site, lang: str, viewport: str
) -> None:
    url = site.url(f"{lang}/")
    with browser.visit(viewport=viewport) as seen:
        seen.goto(url)
        expect_loaded(seen, url)
        layout = seen.page.evaluate(HEADER_LAYOUT)
        # The title is one row; every section link and the language switch share the next.
        tops = [top for top, _ in layout["links"]]
        bottoms = [bottom for _, bottom in layout["links"]]
        assert max(tops) < min(bottoms), layout  # one band that every link crosses
        assert min(tops) >= layout["title"][1] - 1, layout  # below the title
        # Tab: skip link, title, the sections left to right, then the language switch.
        order = []
        for _ in range(2 + len(layout["links"])):
            seen.page.keyboard.press("Tab")
            order.append(seen.page.evaluate("document.activeElement.closest('nav, p')?.className"))
        assert order[1:] == ["site-title"] + ["site-nav"] * (len(order) - 3) + ["language-switcher"]
        assert not seen.problems, seen.report()


# --- the dark scheme, as a reader sees it --------------------------------------------------

#: The pages a reader sees most, with search showing results.
DARK_PAGES = {
    "home": "{lang}/",
    "article": "{lang}/articles/2025/korea-us-business-roundtable/",
    "sector": "{lang}/sectors/semiconductors/",
    "search": "{lang}/search/?q={query}",
}
#: Luminance of the page background and WCAG contrast of its body text, and of the chart's
#: bars against the background (a chart must be visible in both schemes).
SCHEME_COLOURS = """() => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const bg = rgb(getComputedStyle(document.body).backgroundColor);
  const text = rgb(getComputedStyle(document.querySelector('main p, main li')).color);
  const bar = document.querySelector('.term-chart .bar');
  return { background: lum(bg), text: ratio(text, bg),
           bar: bar ? ratio(rgb(getComputedStyle(bar).fill), bg) : null };
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_pages_read_well_in_both_schemes(
    browser: Chromium, site: Site, screenshots: Path, lang: str, viewport: str, scheme: str
) -> None:
    """Home, an article, a sector with its chart and search with results, in each scheme:
    dark pages are dark, text and bars stand out. The screenshots are saved to be looked at."""
    width, height = VIEWPORTS[viewport]
    with browser.visit(viewport=viewport) as seen:
        seen.page.emulate_media(color_scheme=scheme)
        for name, path in DARK_PAGES.items():
            url = site.url(path.format(lang=lang, query=RESULT_QUERIES[lang]))
            seen.goto(url)
            if name == "search":
                seen.page.locator(".pagefind-ui__result-link").first.wait_for(
                    timeout=SEARCH_TIMEOUT
                )
            shot = screenshots / f"{scheme}-{lang}-{name}-{width}x{height}.png"
            seen.page.screenshot(path=shot, full_page=True)
            colours = seen.page.evaluate(SCHEME_COLOURS)
            assert (colours["background"] < 0.05) == (scheme == "dark"), (url, colours)
            assert colours["text"] >= 7, (url, colours)
            if name == "sector":
                assert colours["bar"] is not None and colours["bar"] >= 3, (url, colours)
        assert not seen.problems, seen.report()
