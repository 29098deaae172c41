"""What readers get: the archive by month, article pages that lead on, indexes, the design.

The site is the default content plus articles in other months and years (one Korean-only, one
dated late on 31 January in New York, which is already February in Seoul, and two long enough
to take several minutes to read). Expectations come from the front matter, the registries and
the catalogs; pages are read with lxml through tests/htmltools.py.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from babel.dates import format_date, format_skeleton
from babel.messages.pofile import read_po
from citing import sources
from conftest import copy_project
from htmltools import iter_pages, page_url, parse, resolve
from lxml.html import HtmlElement

from generator.commands.cli import main

#: Words of the long English article and characters of the long Korean one.
LONG_WORDS = 1000
LONG_KOREAN_CHARACTERS = 1600

EXTRA = {
    "2024/winter-talks.ko.md": (
        {
            "title": "연말 통상 협의 점검",
            "date": "2024-12-15T10:00:00+09:00",
            "summary": "연말 통상 협의를 점검했다.",
            "sectors": ["ai"],
            "people": ["lee-jae-myung"],
            "sources": sources("https://example.com/winter"),
        },
        "연말 통상 협의를 점검한 내용이다.\n",
    ),
    "2025/january-outlook.en.md": (
        {
            "title": "January Outlook for Chip Trade",
            "date": "2025-01-10T09:00:00+09:00",
            "summary": "An outlook for the year.",
            "sectors": ["semiconductors"],
            "people": ["lee-jae-yong"],
            "sources": sources("https://example.com/january"),
        },
        " ".join(["word"] * LONG_WORDS) + "\n",
    ),
    "2025/january-outlook.ko.md": (
        {
            "title": "1월 반도체 교역 전망",
            "date": "2025-01-10T09:00:00+09:00",
            "summary": "올해 전망이다.",
            "sectors": ["semiconductors"],
            "people": ["lee-jae-yong"],
            "sources": sources("https://example.com/january"),
        },
        # 40 runs of 40 characters, separated by spaces (which are not counted).
        " ".join(["가" * 40] * (LONG_KOREAN_CHARACTERS // 40)) + "\n",
    ),
    "2025/new-york-evening.en.md": (
        {
            "title": "An Evening Statement in New York",
            "date": "2025-01-31T20:00:00-05:00",
            "summary": "Late on 31 January in New York, 1 February in Seoul.",
            "sectors": ["ai"],
            "sources": sources("https://example.com/evening"),
        },
        "A short statement.\n",
    ),
}


# -- the inputs ------------------------------------------------------------------------------


class Site:
    """A built site with the inputs it was built from."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.project = site.parent
        self.settings: dict[str, Any] = yaml.safe_load(
            (self.project / "site.yaml").read_text("utf-8")
        )
        self.base_url: str = self.settings["base_url"]
        self.languages: list[str] = list(self.settings["languages"])
        self.zone = ZoneInfo(self.settings.get("timezone", "Asia/Seoul"))
        self.articles = self._articles()

    def _articles(self) -> list[dict[str, Any]]:
        """Every article's front matter with lang, slug, key, local date and path; newest first."""
        found = []
        for file in sorted((self.project / "content" / "articles").rglob("*.md")):
            _, front, body = file.read_text("utf-8-sig").split("---\n", 2)
            meta = yaml.safe_load(front)
            stem, _, lang = file.name[: -len(".md")].rpartition(".")
            date = meta["date"]
            date = dt.datetime.fromisoformat(date) if isinstance(date, str) else date
            meta.update(lang=lang, slug=meta.get("slug") or stem, body=body)
            meta["key"] = meta.get("translation_key") or meta["slug"]
            meta["date"] = date.astimezone(self.zone)
            meta["path"] = f"{lang}/articles/{meta['date'].year}/{meta['slug']}/"
            found.append(meta)
        return sorted(found, key=lambda a: (-a["date"].timestamp(), a["slug"]))

    def in_lang(self, lang: str) -> list[dict[str, Any]]:
        return [a for a in self.articles if a["lang"] == lang]

    def listed(self, lang: str) -> list[dict[str, Any]]:
        """What ``lang``'s lists show, newest first: its articles, and those written in
        another language only (marked, linking to the original)."""
        own = {a["key"] for a in self.in_lang(lang)}
        return [a for a in self.articles if a["lang"] == lang or a["key"] not in own]

    def file(self, path: str) -> Path:
        file = self.site / path
        return file / "index.html" if path.endswith("/") or not path else file

    def resolve(self, href: str, on: Path) -> Path | None:
        return resolve(self.site, href, self.base_url, page_url(self.site, on, self.base_url))

    def rel(self, file: Path) -> str:
        return file.relative_to(self.site).as_posix()

    def registry(self, taxonomy: str) -> dict[str, Any]:
        path = self.project / "content" / "taxonomies" / f"{taxonomy}.yaml"
        registry: dict[str, Any] = yaml.safe_load(path.read_text("utf-8")) or {}
        return registry

    def gettext(self, lang: str, msgid: str, count: int | None = None) -> str:
        """The catalog's text for ``msgid`` (the plural form for ``count`` when given)."""
        path = self.project / "locales" / lang / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        for message in catalog:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            if msgid in ids:
                if count is None:
                    return str(message.string)
                forms = message.string
                index = 0 if lang == "ko" or count == 1 else 1
                return str(forms[index])
        raise AssertionError(f"{msgid!r} is not in the {lang} catalog")

    def count_text(self, lang: str, count: int) -> str:
        return self.gettext(lang, "%(num)s article", count) % {"num": count}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    project = copy_project(tmp_path_factory.mktemp("reader") / "project")
    for name, (meta, body) in EXTRA.items():
        path = project / "content" / "articles" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n"
        path.write_text(text + body, encoding="utf-8")
    assert main(["build", "--source", str(project)]) == 0
    return Site(project / "site")


def text_of(element: HtmlElement) -> str:
    return " ".join(element.text_content().split())


def main_of(doc: HtmlElement) -> HtmlElement:
    [found] = doc.xpath("//main")
    return found


def linked_articles(site: Site, file: Path, scope: HtmlElement | None = None) -> list[Path]:
    """Article pages linked from ``scope`` (the page's <main>), in order, each once."""
    root = scope if scope is not None else main_of(parse(file))
    found: list[Path] = []
    for a in root.xpath(".//a[@href]"):
        target = site.resolve(a.get("href"), file)
        if target is not None and "/articles/" in site.rel(target) and target not in found:
            found.append(target)
    return found


def months_of(site: Site) -> dict[tuple[int, int], dict[str, list[Path]]]:
    """(year, month) in the site's zone → language → the article files its month page lists."""
    months: dict[tuple[int, int], dict[str, list[Path]]] = defaultdict(
        lambda: {lang: [] for lang in site.languages}
    )
    for lang in site.languages:
        for article in site.listed(lang):
            date = article["date"]
            months[(date.year, date.month)][lang].append(site.file(article["path"]))
    return months


# -- the archive ------------------------------------------------------------------------------


def test_the_extra_articles_span_years_months_and_a_time_zone_boundary(site: Site) -> None:
    months = months_of(site)
    assert {(2024, 12), (2025, 1), (2025, 2), (2025, 8)} <= set(months)
    # A month with a Korean article only: the English month lists it, marked.
    assert months[(2024, 12)]["en"] == [site.file("ko/articles/2024/winter-talks/")]
    assert months[(2025, 2)]["en"] == [site.file("en/articles/2025/new-york-evening/")]


def test_month_pages_list_exactly_that_months_articles(site: Site) -> None:
    for (year, month), by_lang in months_of(site).items():
        for lang in site.languages:
            file = site.file(f"{lang}/archive/{year}/{month:02d}/")
            assert file.is_file(), site.rel(file)
            assert linked_articles(site, file) == by_lang[lang], site.rel(file)
            doc = parse(file)
            label = format_skeleton("yMMMM", dt.date(year, month, 1), locale=lang)
            assert text_of(main_of(doc).xpath(".//h1")[0]) == label
            assert site.count_text(lang, len(by_lang[lang])) in text_of(main_of(doc))


def test_year_pages_list_exactly_that_years_articles_by_month(site: Site) -> None:
    months = months_of(site)
    for year in {y for y, _ in months}:
        for lang in site.languages:
            file = site.file(f"{lang}/archive/{year}/")
            expected = [
                f
                for (y, m) in sorted(months, reverse=True)
                if y == year
                for f in months[(y, m)][lang]
            ]
            assert linked_articles(site, file) == expected, site.rel(file)
            doc = parse(file)
            month_links = [
                site.resolve(a.get("href"), file) for a in main_of(doc).xpath(".//h2/a[@href]")
            ]
            assert month_links == [
                site.file(f"{lang}/archive/{y}/{m:02d}/")
                for (y, m) in sorted(months, reverse=True)
                if y == year
            ]


def test_archive_index_lists_every_year_and_month_with_counts(site: Site) -> None:
    months = months_of(site)
    for lang in site.languages:
        file = site.file(f"{lang}/archive/")
        doc = parse(file)
        entries = {
            site.resolve(a.get("href"), file): text_of(a.getparent())
            for a in main_of(doc).xpath(".//ul//a[@href]")
        }
        for (year, month), by_lang in months.items():
            entry = entries[site.file(f"{lang}/archive/{year}/{month:02d}/")]
            name = format_date(dt.date(year, month, 1), "LLLL", locale=lang)
            assert entry.startswith(name)
            assert site.count_text(lang, len(by_lang[lang])) in entry
        for year in {y for y, _ in months}:
            total = sum(len(v[lang]) for (y, _), v in months.items() if y == year)
            entry = entries[site.file(f"{lang}/archive/{year}/")]
            assert site.count_text(lang, total) in entry


def test_archive_pages_exist_in_both_languages_and_point_to_each_other(site: Site) -> None:
    ko = {p.relative_to(site.site / "ko") for p in (site.site / "ko" / "archive").rglob("*.html")}
    en = {p.relative_to(site.site / "en") for p in (site.site / "en" / "archive").rglob("*.html")}
    assert ko == en and len(ko) == 1 + 2 + len(months_of(site))
    for rel in ko:
        doc = parse(site.site / "ko" / rel)
        links = {e.get("hreflang"): e.get("href") for e in doc.xpath("//link[@hreflang]")}
        assert links["en"] == site.base_url + "en/" + rel.as_posix().removesuffix("index.html")


# -- article pages ----------------------------------------------------------------------------


def reading_minutes(text: str, lang: str) -> int:
    """Korean by characters (500 a minute, spaces not counted), English by words (230)."""
    if lang == "ko":
        return max(1, math.ceil(sum(1 for c in text if not c.isspace()) / 500))
    return max(1, math.ceil(len(re.findall(r"\w+", text)) / 230))


def test_reading_time_counts_korean_characters_and_english_words(site: Site) -> None:
    for article in site.articles:
        lang = article["lang"]
        doc = parse(site.file(article["path"]))
        [body] = doc.xpath("//*[contains(@class, 'article-body')]")
        minutes = reading_minutes(body.text_content(), lang)
        expected = site.gettext(lang, "%(count)s min read", minutes) % {"count": minutes}
        [shown] = doc.xpath("//main//*[contains(@class, 'reading-time')]")
        assert text_of(shown) == expected, article["path"]
    long_en = parse(site.file("en/articles/2025/january-outlook/"))
    assert text_of(long_en.xpath("//*[@class='reading-time']")[0]) == "5 min read"  # 1000/230
    long_ko = parse(site.file("ko/articles/2025/january-outlook/"))
    assert text_of(long_ko.xpath("//*[@class='reading-time']")[0]) == "4분 분량"  # 1600/500


def test_previous_and_next_lead_through_one_language_in_date_order(site: Site) -> None:
    for lang in site.languages:
        ordered = [site.file(a["path"]) for a in site.in_lang(lang)]
        for index, file in enumerate(ordered):
            doc = parse(file)
            nav = doc.xpath("//main//nav[contains(@class, 'article-nav')]")
            prev = [site.resolve(a.get("href"), file) for a in doc.xpath("//main//a[@rel='prev']")]
            following = [
                site.resolve(a.get("href"), file) for a in doc.xpath("//main//a[@rel='next']")
            ]
            older = ordered[index + 1 : index + 2]
            newer = ordered[index - 1 : index] if index else []
            assert prev == older, f"{site.rel(file)}: previous {prev}"
            assert following == newer, f"{site.rel(file)}: next {following}"
            assert len(nav) == 1


def test_breadcrumb_leads_home_to_archive_year_and_month(site: Site) -> None:
    for article in site.articles:
        lang, date = article["lang"], article["date"]
        file = site.file(article["path"])
        [crumbs] = parse(file).xpath("//main//nav[contains(@class, 'breadcrumb')]")
        links = [(text_of(a), site.resolve(a.get("href"), file)) for a in crumbs.xpath(".//a")]
        assert links == [
            (site.gettext(lang, "Home"), site.file(f"{lang}/")),
            (site.gettext(lang, "Archive"), site.file(f"{lang}/archive/")),
            (
                format_skeleton("y", date.date(), locale=lang),
                site.file(f"{lang}/archive/{date.year}/"),
            ),
            (
                format_date(date.date(), "LLLL", locale=lang),
                site.file(f"{lang}/archive/{date.year}/{date.month:02d}/"),
            ),
        ]
        [current] = crumbs.xpath(".//*[@aria-current='page']")
        assert text_of(current) == " ".join(article["title"].split())
        assert crumbs.get("aria-label") == site.gettext(lang, "Breadcrumb")


def test_more_on_each_sector_and_person_with_roles(site: Site) -> None:
    registries = {t: site.registry(t) for t in ("sectors", "people")}
    for article in site.articles:
        lang = article["lang"]
        file = site.file(article["path"])
        sections = parse(file).xpath("//main//section[contains(@class, 'more-on')]")
        entries = {
            site.resolve(a.get("href"), file): text_of(a.getparent())
            for section in sections
            for a in section.xpath(".//a[@href]")
        }
        for taxonomy, detail in (("sectors", "description"), ("people", "role")):
            for term in article.get(taxonomy) or ():
                entry = entries[site.file(f"{lang}/{taxonomy}/{term}/")]
                assert entry.startswith(registries[taxonomy][term]["name"][lang])
                if taxonomy == "people":
                    assert registries[taxonomy][term][detail][lang] in entry
        assert len(entries) == len(article.get("sectors") or ()) + len(article.get("people") or ())


def test_article_shows_its_source_box(site: Site) -> None:
    for article in site.articles:
        doc = parse(site.file(article["path"]))
        [box] = doc.xpath("//main//aside[contains(@class, 'source')]")
        links = box.xpath(".//a[@rel='external']")
        reports = article["sources"]
        assert [a.get("href") for a in links] == [r["url"] for r in reports]
        assert [text_of(a) for a in links] == [r["headline"] for r in reports]
        outlets = [text_of(o) for o in box.xpath(".//*[@class='outlet']")]
        names = site.registry("sources")
        assert outlets == [names[r["outlet"]]["name"][article["lang"]] for r in reports]


# -- lists ---------------------------------------------------------------------------------------


def test_term_indexes_show_counts_roles_and_each_terms_newest_article(site: Site) -> None:
    for taxonomy, detail in (("sectors", "description"), ("people", "role")):
        registry = site.registry(taxonomy)
        used = sorted({t for a in site.articles for t in a.get(taxonomy) or ()})
        for lang in site.languages:
            file = site.file(f"{lang}/{taxonomy}/")
            items = parse(file).xpath("//main//ul[contains(@class, 'term-index')]/li")
            assert len(items) == len(used)
            for item in items:
                [term_link] = item.xpath("./a[@href]")
                term = site.rel(site.resolve(term_link.get("href"), file)).split("/")[2]
                mine = [a for a in site.listed(lang) if term in (a.get(taxonomy) or ())]
                text = text_of(item)
                assert registry[term][detail][lang] in text
                assert site.count_text(lang, len(mine)) in text
                # The newest summary's date, not its title: one story is the newest of many
                # terms, and its title read out at each entry would be noise.
                assert linked_articles(site, file, item) == [], f"{lang} {term}"
                own = [a for a in site.in_lang(lang) if term in (a.get(taxonomy) or ())]
                shown = item.xpath(".//p[@class='newest']/time/@datetime")
                assert shown == [a["date"].isoformat() for a in own[:1]], f"{lang} {term}"


def test_home_entries_show_date_terms_and_source(site: Site) -> None:
    registries = {t: site.registry(t) for t in ("sectors", "people")}
    for lang in site.languages:
        file = site.file(f"{lang}/")
        entries = parse(file).xpath("//main//li[contains(@class, 'article-summary')]")
        assert len(entries) == min(len(site.listed(lang)), site.settings["page_size"])
        for entry, article in zip(entries, site.listed(lang), strict=False):
            text = text_of(entry)
            for report in article["sources"]:
                assert site.registry("sources")[report["outlet"]]["name"][lang] in text
            assert format_date(article["date"].date(), "long", locale=lang) in text
            for taxonomy in ("sectors", "people"):
                terms = article.get(taxonomy) or []
                # The first three, as the front matter orders them, and "+N" for the rest,
                # linking to the article's full list.
                name = site.gettext(lang, taxonomy.capitalize())
                lists = entry.xpath(f".//ul[@class='terms'][@aria-label='{name}']")
                assert len(lists) == (1 if terms else 0), (lang, article["path"], taxonomy)
                if not terms:
                    continue
                [shown] = lists
                names = [text_of(a) for a in shown.xpath("./li[not(@class)]/a")]
                assert names == [registries[taxonomy][t]["name"][lang] for t in terms[:3]]
                more = shown.xpath("./li[@class='more-terms']/a")
                if len(terms) > 3:
                    [link] = more
                    assert (
                        text_of(link.xpath("./*[@aria-hidden='true']")[0]) == f"+{len(terms) - 3}"
                    )
                    assert link.get("href").endswith(f"#more-{taxonomy}")
                    page = site.resolve(link.get("href"), file)
                    assert page == site.file(article["path"])
                    listed = parse(page).xpath(f"//section[h2/@id='more-{taxonomy}']//li/a")
                    assert len(listed) == len(terms)
                else:
                    assert more == []


def test_every_language_page_links_archive_search_and_feeds(site: Site) -> None:
    for file in iter_pages(site.site):
        lang = file.relative_to(site.site).parts[0]
        if lang not in site.languages:
            continue
        doc = parse(file)
        nav = doc.xpath("//header//nav[contains(@class, 'site-nav')]")[0]
        targets = {site.resolve(a.get("href"), file) for a in nav.xpath(".//a[@href]")}
        for path in ("archive/", "search/", "feeds/"):
            assert site.file(f"{lang}/{path}") in targets, f"{site.rel(file)}: {path}"


# -- design ---------------------------------------------------------------------------------------


def stylesheet(site: Site) -> str:
    return (site.site / "static" / "style.css").read_text("utf-8")


def test_stylesheet_is_made_for_reading_korean_and_english(site: Site) -> None:
    css = re.sub(r"/\*.*?\*/", "", stylesheet(site), flags=re.S)
    korean = re.search(r"html:lang\(ko\)\s*\{([^}]*)\}", css)
    assert korean, "no font stack for Korean pages"
    fonts = re.search(r"font-family:([^;]*);", korean.group(1))
    assert fonts and re.match(r'\s*"(Apple SD Gothic Neo|Noto Sans KR)"', fonts.group(1))
    assert re.search(r":lang\(ko\)\s*\{[^}]*word-break:\s*keep-all", css)
    # No synthetic italics on Hangul.
    assert re.search(r":lang\(ko\) em,[^{]*\{[^}]*font-style:\s*normal", css)
    assert re.search(r"line-height:\s*1\.[6-9]", css)
    assert re.search(r"--measure:\s*4[0-4]rem", css), "a line length for reading"
    assert "@media (prefers-color-scheme: dark)" in css
    assert "@media print" in css
    assert re.search(r":focus-visible\s*\{[^}]*outline:", css)
    assert re.search(r"\.skip-link:focus\s*\{", css)


def test_nothing_is_requested_from_another_host(site: Site) -> None:
    css = stylesheet(site)
    assert "@import" not in css and not re.search(r"url\(\s*['\"]?(https?:)?//", css)
    problems = []
    for file in iter_pages(site.site):
        doc = parse(file)
        loaded = doc.xpath(
            "//script/@src | //link[not(@rel='alternate') and not(@rel='canonical')]/@href"
            " | //img/@src | //iframe/@src | //source/@src"
        )
        for url in loaded:
            target = site.resolve(url, file)
            if target is None or not target.is_file():
                problems.append(f"{site.rel(file)} loads {url}")
    assert not problems, "\n".join(problems[:20])


def test_skip_link_leads_to_the_main_content(site: Site) -> None:
    for file in iter_pages(site.site):
        doc = parse(file)
        if file.parent == site.site:
            continue  # the root pages hold nothing but their main content
        [skip] = doc.xpath("//body/a[contains(@class, 'skip-link')]")
        assert skip.get("href") == "#main" and doc.xpath("//main[@id='main']")


# -- index pages and charts ---------------------------------------------------------------------


def test_each_index_page_has_a_description_of_its_own(site: Site) -> None:
    for lang in site.languages:
        found = {}
        for path in ("", "archive/", "sectors/", "people/", "sources/", "search/", "feeds/"):
            doc = parse(site.file(f"{lang}/{path}"))
            [found[path]] = doc.xpath("//head/meta[@name='description']/@content")
        assert all(text.strip() for text in found.values()), found
        assert len(set(found.values())) == len(found), found


def month_label(year: int, month: int, lang: str) -> str:
    """'2025년 8월' / 'August 2025' (CLDR)."""
    return format_skeleton("yMMMM", dt.date(year, month, 1), locale=lang)


def test_term_pages_chart_their_articles_per_month_over_the_archive(site: Site) -> None:
    span = sorted(months_of(site))
    for taxonomy in ("sectors", "people"):
        used = sorted({t for a in site.articles for t in a.get(taxonomy) or ()})
        for lang in site.languages:
            for term in used:
                counts: dict[tuple[int, int], int] = defaultdict(int)
                for article in site.listed(lang):
                    if term in (article.get(taxonomy) or ()):
                        counts[(article["date"].year, article["date"].month)] += 1
                file = site.file(f"{lang}/{taxonomy}/{term}/")
                [figure] = parse(file).xpath("//main//figure[@class='term-chart']")
                bars = figure.xpath(".//svg/rect")
                assert len(bars) == len(counts), site.rel(file)
                # The tallest bar is the busiest month, drawn to the full height.
                heights = [float(b.get("height")) for b in bars]
                assert (
                    max(heights) == float(figure.xpath(".//svg")[0].get("viewbox").split()[3]) - 1
                )
                rows = [
                    (text_of(tr.xpath("./th")[0]), int(text_of(tr.xpath("./td")[0])))
                    for tr in figure.xpath(".//tbody/tr")
                ]
                assert rows == [
                    (month_label(y, m, lang), n) for (y, m), n in sorted(counts.items())
                ]
                title = text_of(figure.xpath(".//svg/title")[0])
                assert (
                    month_label(*span[0], lang) in title and month_label(*span[-1], lang) in title
                )
