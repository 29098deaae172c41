"""The search page finds what one index of the whole language finds, in a real browser.

A language's search index is cut into parts (one per month of the newest year, one per older
year) that the search page merges in the browser. The site here spans several parts: the
default articles, and copies of them dated in earlier months and years. For a fixed list of
queries in both languages, the result pages the search page lists (every page of results,
after "load more") must be exactly those that a single index of all of the language's
articles returns (the site built again with every article in one part, and queried with
Pagefind's own script in Node.js).
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from browsing import SEARCH_TIMEOUT, Chromium, Site, expect_loaded, launch, serving
from conftest import copy_project
from playwright.sync_api import Page, Playwright, sync_playwright
from searching import index_parts, node_search

import generator.site.plan
from generator.commands.cli import main

#: Earlier dates the default articles are copied to: two older years and an earlier month of
#: the newest year, so that the site has four parts per language.
COPIES = {"2023": "2023-03-14", "2024": "2024-11-05", "2025-07": "2025-07-21"}

#: Bare nouns, names, numbers and Latin acronyms the default articles use, and words they do
#: not (which must find nothing in either index).
QUERIES = {
    "ko": [
        "반도체",
        "조선",
        "투자",
        "원전",
        "배터리",
        "삼성전자",
        "이재명",
        "HBM",
        "MASGA",
        "워싱턴",
        "펭귄",
    ],
    "en": [
        "semiconductors",
        "shipbuilding",
        "investment",
        "nuclear",
        "battery",
        "Samsung",
        "Lee Jae-myung",
        "HBM",
        "MASGA",
        "Washington",
        "penguin",
    ],
}

#: What the page shows at one moment: the result links (without sub-results), whether
#: results are still loading, whether there are more to load, and the status message.
RESULTS_STATE = """() => {
  const message = document.querySelector('.pagefind-ui__message');
  return {
    message: message ? message.textContent.trim() : '',
    loading: document.querySelectorAll('.pagefind-ui__loading').length,
    more: !!document.querySelector('.pagefind-ui__button'),
    links: [...document.querySelectorAll(
      '.pagefind-ui__result > .pagefind-ui__result-inner > .pagefind-ui__result-title '
      + '> .pagefind-ui__result-link')].map(a => a.href),
  };
}"""


def copy_articles(project: Path) -> None:
    """Copy every default article, in each of its languages, to the dates of COPIES."""
    articles = project / "content" / "articles"
    originals = sorted(articles.glob("2025/*.md"))
    for name, date in COPIES.items():
        year = date[:4]
        for original in originals:
            slug, lang, _ = original.name.rsplit(".", 2)
            text = original.read_text("utf-8")
            text, count = re.subn(r"(?m)^date: \S+", f"date: {date}T09:00:00+09:00", text, count=1)
            assert count == 1, original
            target = articles / year / f"{slug}-{name}.{lang}.md"
            target.parent.mkdir(exist_ok=True)
            target.write_text(text, "utf-8")


def build(project: Path, out: Path, base: str) -> None:
    status = main(["build", "--source", str(project), "--output", str(out), "--base-url", base])
    assert status == 0, f"{project} did not build"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, Path]]:
    """The site in parts, served; and the same articles with every one in one part."""
    work = tmp_path_factory.mktemp("search-results")
    project = copy_project(work / "project")
    copy_articles(project)
    same = shutil.copytree(project, work / "whole-project")
    out = work / "site"
    out.mkdir()
    whole = work / "whole"
    with serving(out) as (_, base):
        build(project, out, base)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(generator.site.plan, "search_part", lambda article, newest: "all")
            build(same, whole, base)
        yield Site(base, out), whole


@pytest.fixture(scope="module")
def playwright(sites: tuple[Site, Path]) -> Iterator[Playwright]:
    """Playwright, started after the builds (its event loop would stay running meanwhile)."""
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Chromium]:
    chromium = launch(playwright)
    try:
        yield chromium
    finally:
        chromium.close()


def listed(page: Page, expected: set[str]) -> set[str]:
    """Every result page the search page lists once it has settled: "load more" is pressed
    until it is gone. Waits for ``expected`` (or, for none, for the page to stay empty)."""
    deadline = time.monotonic() + SEARCH_TIMEOUT / 1000
    quiet_since = None
    while True:
        state = page.evaluate(RESULTS_STATE)
        if state["more"]:
            page.locator(".pagefind-ui__button").click()
            continue
        shown = {urlsplit(link).path.removesuffix("index.html") for link in state["links"]}
        settled = state["message"] and not state["loading"]
        if settled and shown == expected and expected:
            return shown
        if settled and not expected:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since > 1.0:
                return shown
        if time.monotonic() > deadline:
            return shown
        page.wait_for_timeout(100)


def reference(whole: Path, lang: str) -> dict[str, set[str]]:
    """What one index of every article of ``lang`` finds for each query."""
    assert len(index_parts(whole, lang)) == 1, "the reference site must have one part"
    found = node_search(whole, lang, *QUERIES[lang])
    return {query: set(urls) for query, urls in found.items()}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_site_is_searched_in_several_parts(sites: tuple[Site, Path], lang: str) -> None:
    site, _ = sites
    parts = [part.name for part in index_parts(site.root, lang)]
    assert parts == ["2025-08", "2025-07", "2024", "2023"]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_search_page_finds_what_one_whole_index_finds(
    browser: Chromium, sites: tuple[Site, Path], lang: str
) -> None:
    site, whole = sites
    expected = reference(whole, lang)
    # The reference finds articles in every part for most queries; else this proves nothing.
    years = {"2023", "2024", "2025"}
    spread = [q for q, urls in expected.items() if {u.split("/")[3] for u in urls} >= years]
    assert len(spread) >= len(QUERIES[lang]) - 3, expected
    assert expected[QUERIES[lang][-1]] == set(), "a word no article uses must find nothing"
    differences = {}
    with browser.visit() as seen:
        for query in QUERIES[lang]:
            url = site.url(f"{lang}/search/?q={quote(query)}")
            seen.goto(url)
            expect_loaded(seen, url)
            shown = listed(seen.page, expected[query])
            if shown != expected[query]:
                differences[query] = {
                    "only in one index": sorted(expected[query] - shown),
                    "only on the search page": sorted(shown - expected[query]),
                }
        assert not seen.problems, seen.report()
    assert not differences, differences


# --- Korean particles and other spellings ----------------------------------------------------

#: Nouns of the default articles (a number and Latin acronyms among them), each with the
#: particles Korean attaches to it after a consonant or after a vowel.
AFTER_CONSONANT = ("을", "이", "은", "의", "과", "에", "에서", "으로")
AFTER_VOWEL = ("를", "가", "는", "의", "와", "에", "에서", "로")
NOUNS = {
    "반도체": AFTER_VOWEL,
    "배터리": AFTER_VOWEL,
    "투자": AFTER_VOWEL,
    "원전": AFTER_CONSONANT,
    "조선": AFTER_CONSONANT,
    "삼성전자": AFTER_VOWEL,
    "이재명": AFTER_CONSONANT,
    "1500억": AFTER_CONSONANT,
    "HBM": AFTER_CONSONANT,
    "MASGA": AFTER_VOWEL,
}
#: One person's spellings: his names in both languages and the aliases in the registry.
SPELLINGS = ("Lee Jae-yong", "Lee Jaeyong", "Jay Y. Lee", "이재용")


def shown_for(seen: Any, site: Site, lang: str, query: str, expected: set[str]) -> set[str]:
    url = site.url(f"{lang}/search/?q={quote(query)}")
    seen.goto(url)
    expect_loaded(seen, url)
    return listed(seen.page, expected)


def test_a_korean_query_finds_the_same_articles_with_or_without_its_particle(
    browser: Chromium, sites: tuple[Site, Path]
) -> None:
    site, whole = sites
    noun_of = {noun + p: noun for noun, particles in NOUNS.items() for p in particles}
    bare = {q: set(urls) for q, urls in node_search(whole, "ko", *NOUNS).items()}
    assert all(bare.values()), bare
    # Pagefind alone finds other articles for many of them (a third, with these articles):
    # what the search page adds is what is tested.
    raw = node_search(whole, "ko", *noun_of)
    missed = [q for q, noun in noun_of.items() if set(raw[q]) != bare[noun]]
    assert len(missed) >= len(noun_of) // 4, missed
    differences = {}
    with browser.visit() as seen:
        for noun, particles in NOUNS.items():
            for query in (noun, *(noun + p for p in particles)):
                shown = shown_for(seen, site, "ko", query, bare[noun])
                if shown != bare[noun]:
                    differences[query] = sorted(bare[noun] ^ shown)
        assert not seen.problems, seen.report()
    assert not differences, differences


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_spelling_of_a_name_finds_the_same_articles(
    browser: Chromium, sites: tuple[Site, Path], lang: str
) -> None:
    site, _ = sites
    # Every copy of the roundtable article names him, in both languages.
    root = urlsplit(site.base).path
    slug = "korea-us-business-roundtable"
    expected = {f"{root}{lang}/articles/2025/{slug}/"} | {
        f"{root}{lang}/articles/{date[:4]}/{slug}-{name}/" for name, date in COPIES.items()
    }
    differences = {}
    with browser.visit() as seen:
        for query in SPELLINGS:
            shown = shown_for(seen, site, lang, query, expected)
            if shown != expected:
                differences[query] = sorted(expected ^ shown)
        assert not seen.problems, seen.report()
    assert not differences, differences
