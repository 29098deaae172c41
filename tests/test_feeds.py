"""RSS 2.0 feeds: one per language, per sector and per person.

Expectations are derived from the inputs (front matter, file names, registries, site.yaml),
never from the generator's own output.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import feedparser
import lxml.etree
import lxml.html
import pytest
import yaml
from citing import sources

DEFAULT_BASE = "https://example.github.io/pressroom/"
SUBPATH_BASE = "https://example.org/archive/"
#: The taxonomies an item's categories name.
TAXONOMIES = ("sectors", "people")
#: The taxonomies with a page and a feed per term (outlets have no category in items).
FEED_TAXONOMIES = (*TAXONOMIES, "sources")
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
}
#: RFC 822 date-time as RSS 2.0 wants it, in the site's zone (Asia/Seoul).
RFC822_KST = re.compile(
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0900"
)


# -- the inputs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceArticle:
    """What one content file says about itself."""

    lang: str
    slug: str
    year: int
    title: str
    date: dt.datetime
    summary: str | None
    sectors: tuple[str, ...]
    people: tuple[str, ...]
    #: (outlet id, headline) of each report cited.
    reports: tuple[tuple[str, str], ...]

    def url(self, base: str) -> str:
        return f"{base}{self.lang}/articles/{self.year}/{self.slug}/"

    def terms(self, taxonomy: str) -> tuple[str, ...]:
        if taxonomy == "sources":
            return tuple(dict.fromkeys(outlet for outlet, _ in self.reports))
        return self.sectors if taxonomy == "sectors" else self.people


def read_settings(project: Path) -> dict[str, Any]:
    settings: dict[str, Any] = yaml.safe_load((project / "site.yaml").read_text("utf-8"))
    return settings


def read_registry(project: Path, taxonomy: str) -> dict[str, Any]:
    path = project / "content" / "taxonomies" / f"{taxonomy}.yaml"
    registry: dict[str, Any] = yaml.safe_load(path.read_text("utf-8")) or {}
    return registry


def as_datetime(value: Any, zone: ZoneInfo) -> dt.datetime:
    """A front-matter date as an aware datetime (plain dates are taken in the site's zone)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    return value if value.tzinfo else value.replace(tzinfo=zone)


def read_articles(project: Path) -> list[SourceArticle]:
    """Every non-draft article of a project, from content/articles/<YYYY>/<slug>.<lang>.md."""
    zone = ZoneInfo(read_settings(project).get("timezone", "Asia/Seoul"))
    found = []
    for path in sorted((project / "content" / "articles").glob("*/*.md")):
        _, front, _ = path.read_text("utf-8-sig").split("---\n", 2)
        meta = yaml.safe_load(front)
        if meta.get("draft"):
            continue
        stem, lang = path.name.removesuffix(".md").rsplit(".", 1)
        date = as_datetime(meta["date"], zone)
        found.append(
            SourceArticle(
                lang=lang,
                slug=meta.get("slug") or stem,
                year=date.astimezone(zone).year,
                title=meta["title"],
                date=date,
                summary=meta.get("summary"),
                sectors=tuple(meta.get("sectors") or ()),
                people=tuple(meta.get("people") or ()),
                reports=tuple((r["outlet"], r["headline"]) for r in meta["sources"]),
            )
        )
    return found


def newest_first(articles: list[SourceArticle]) -> list[SourceArticle]:
    return sorted(articles, key=lambda a: (-a.date.timestamp(), a.slug))


def expected_items(
    articles: list[SourceArticle], lang: str, taxonomy: str | None = None, term: str = ""
) -> list[SourceArticle]:
    """The articles of a language feed (no taxonomy) or of one term's feed, newest first."""
    return newest_first(
        [a for a in articles if a.lang == lang and (taxonomy is None or term in a.terms(taxonomy))]
    )


def used_terms(articles: list[SourceArticle]) -> set[tuple[str, str]]:
    return {(tax, term) for a in articles for tax in FEED_TAXONOMIES for term in a.terms(tax)}


def write_article(project: Path, name: str, body: str, **front: Any) -> None:
    """Add content/articles/2025/<name> with the given front matter and Markdown body."""
    meta = {"sources": sources(), **front}
    path = project / "content" / "articles" / "2025" / name
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    path.write_text(f"---\n{head}---\n{body}", encoding="utf-8")


def build(project: Path, run_cli: Callable[..., Any]) -> Path:
    run = run_cli("build", "--source", project)
    assert run.status == 0, run.err
    return project / "site"


# -- the output -----------------------------------------------------------------------------


def feed_files(site: Path) -> list[Path]:
    feeds = sorted(site.rglob("feed.xml"))
    assert feeds, f"no feed.xml in {site}"
    return feeds


def rel(site: Path, path: Path) -> str:
    return path.relative_to(site).as_posix()


def parse_xml(path: Path) -> Any:
    """The <rss> element; lxml raises on anything that is not well-formed XML."""
    return lxml.etree.fromstring(path.read_bytes())


def items(root: Any) -> list[Any]:
    return list(root.findall("channel/item"))


def item_links(root: Any) -> list[str]:
    return [item.findtext("link") for item in items(root)]


def local_file(site: Path, base: str, url: str) -> Path:
    """The built file a URL under ``base`` is served from (a directory → its index.html)."""
    assert url.startswith(base), f"{url} is not under {base}"
    path = url[len(base) :]
    return site / path / "index.html" if path == "" or path.endswith("/") else site / path


def content_html(item: Any) -> str:
    return item.findtext("content:encoded", default="", namespaces=NS)


def html_fragment(html: str) -> Any:
    return lxml.html.fragment_fromstring(html, create_parent="div")


def urls_in(html: str) -> list[str]:
    """Every href and src of an HTML fragment."""
    root = html_fragment(html)
    return [value for attr in ("href", "src") for value in root.xpath(f"//@{attr}")]


def is_absolute(url: str) -> bool:
    return url.startswith(("http://", "https://"))


def feed_hrefs(page: Path) -> list[str]:
    root = lxml.html.parse(str(page)).getroot()
    hrefs: list[str] = root.xpath(
        "//head/link[@rel='alternate'][@type='application/rss+xml']/@href"
    )
    return hrefs


def each_item(
    site: Path, by_url: dict[str, SourceArticle]
) -> Iterator[tuple[str, Any, SourceArticle | None]]:
    """(feed path, <item>, the article it links to or None) for every item of every feed."""
    for path in feed_files(site):
        for item in items(parse_xml(path)):
            yield rel(site, path), item, by_url.get(item.findtext("link"))


@pytest.fixture(scope="module")
def articles(built_site: Path) -> list[SourceArticle]:
    return read_articles(built_site.parent)


@pytest.fixture(scope="module")
def by_url(articles: list[SourceArticle]) -> dict[str, SourceArticle]:
    return {a.url(DEFAULT_BASE): a for a in articles}


@pytest.fixture(scope="module")
def languages(built_site: Path) -> list[str]:
    langs: list[str] = read_settings(built_site.parent)["languages"]
    return langs


# -- tests ----------------------------------------------------------------------------------


def test_every_feed_parses_as_rss20_in_its_directory_language(built_site: Path) -> None:
    problems = []
    for path in feed_files(built_site):
        lang = path.relative_to(built_site).parts[0]
        parsed = feedparser.parse(path.read_bytes())
        if parsed.bozo:
            problems.append(f"{rel(built_site, path)}: {parsed.bozo_exception}")
        if parsed.version != "rss20":
            problems.append(f"{rel(built_site, path)}: version {parsed.version!r}")
        if parsed.feed.get("language") != lang:
            problems.append(f"{rel(built_site, path)}: language {parsed.feed.get('language')!r}")
    assert not problems


def test_there_is_a_feed_per_language_and_per_used_term(
    built_site: Path, articles: list[SourceArticle], languages: list[str]
) -> None:
    expected = {f"{lang}/feed.xml" for lang in languages} | {
        f"{lang}/{tax}/{term}/feed.xml" for lang in languages for tax, term in used_terms(articles)
    }
    assert {rel(built_site, p) for p in feed_files(built_site)} == expected


def test_language_feed_has_its_articles_newest_first(
    built_site: Path, articles: list[SourceArticle], languages: list[str]
) -> None:
    for lang in languages:
        expected = [a.url(DEFAULT_BASE) for a in expected_items(articles, lang)]
        assert expected, f"no {lang} articles in the content"
        root = parse_xml(built_site / lang / "feed.xml")
        assert item_links(root) == expected
        parsed = feedparser.parse((built_site / lang / "feed.xml").read_bytes())
        assert [e.link for e in parsed.entries] == expected


def test_item_links_are_absolute_and_resolve_to_built_pages(
    built_site: Path, by_url: dict[str, SourceArticle]
) -> None:
    for feed, item, _ in each_item(built_site, by_url):
        link = item.findtext("link")
        assert is_absolute(link), f"{feed}: {link}"
        assert local_file(built_site, DEFAULT_BASE, link).is_file(), f"{feed}: {link}"


def test_term_feeds_have_the_articles_naming_the_term(
    built_site: Path, articles: list[SourceArticle], languages: list[str]
) -> None:
    for lang in languages:
        for tax, term in sorted(used_terms(articles)):
            expected = [a.url(DEFAULT_BASE) for a in expected_items(articles, lang, tax, term)]
            root = parse_xml(built_site / lang / tax / term / "feed.xml")
            assert item_links(root) == expected, f"{lang}/{tax}/{term}"


def test_pub_date_is_rfc822_in_site_zone_and_matches_front_matter(
    built_site: Path, by_url: dict[str, SourceArticle]
) -> None:
    for feed, item, article in each_item(built_site, by_url):
        assert article is not None, f"{feed}: {item.findtext('link')} is no article"
        pub_date = item.findtext("pubDate")
        assert RFC822_KST.fullmatch(pub_date), f"{feed}: {pub_date!r}"
        assert email.utils.parsedate_to_datetime(pub_date) == article.date, feed


def test_feedparser_reads_the_publication_dates(
    built_site: Path, by_url: dict[str, SourceArticle], languages: list[str]
) -> None:
    for lang in languages:
        parsed = feedparser.parse((built_site / lang / "feed.xml").read_bytes())
        for entry in parsed.entries:
            expected = by_url[entry.link].date.astimezone(dt.UTC)
            assert tuple(entry.published_parsed)[:6] == expected.timetuple()[:6], entry.link


def test_last_build_date_is_the_newest_items_date(
    built_site: Path, by_url: dict[str, SourceArticle]
) -> None:
    for path in feed_files(built_site):
        root = parse_xml(path)
        newest = max(by_url[link].date for link in item_links(root))
        last = root.findtext("channel/lastBuildDate")
        assert last is not None, rel(built_site, path)
        assert RFC822_KST.fullmatch(last), f"{rel(built_site, path)}: {last!r}"
        assert email.utils.parsedate_to_datetime(last) == newest, rel(built_site, path)


def test_empty_term_feed_is_valid_and_has_no_last_build_date(
    project: Path, run_cli: Callable[..., Any]
) -> None:
    with (project / "content" / "taxonomies" / "people.yaml").open("a", encoding="utf-8") as f:
        f.write(
            '\nko-only-person:\n  name: {ko: "한국어 인물", en: "Korean-only Person"}\n'
            '  role: {ko: "시험용", en: "For testing"}\n'
        )
    write_article(
        project,
        "ko-only.ko.md",
        "본문입니다.\n",
        title="한국어로만 쓴 기사",
        date="2025-08-27T09:00:00+09:00",
        people=["ko-only-person"],
    )
    site = build(project, run_cli)

    empty = site / "en" / "people" / "ko-only-person" / "feed.xml"
    parsed = feedparser.parse(empty.read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.entries == []
    assert parse_xml(empty).find("channel/lastBuildDate") is None

    full = parse_xml(site / "ko" / "people" / "ko-only-person" / "feed.xml")
    assert full.findtext("channel/lastBuildDate") == "Wed, 27 Aug 2025 09:00:00 +0900"


def test_guid_is_the_permalink_and_unique_per_feed(built_site: Path) -> None:
    for path in feed_files(built_site):
        guids = []
        for item in items(parse_xml(path)):
            guid = item.find("guid")
            assert guid is not None, rel(built_site, path)
            assert guid.get("isPermaLink") == "true", rel(built_site, path)
            assert guid.text == item.findtext("link"), rel(built_site, path)
            guids.append(guid.text)
        assert len(guids) == len(set(guids)), rel(built_site, path)


def test_categories_are_term_names_in_the_feed_language(
    built_site: Path, by_url: dict[str, SourceArticle]
) -> None:
    registries = {tax: read_registry(built_site.parent, tax) for tax in TAXONOMIES}
    for feed, item, article in each_item(built_site, by_url):
        assert article is not None, f"{feed}: {item.findtext('link')} is no article"
        expected = [
            registries[tax][term]["name"][article.lang]
            for tax in TAXONOMIES
            for term in article.terms(tax)
        ]
        categories = [c.text for c in item.findall("category")]
        assert Counter(categories) == Counter(expected), f"{feed}: {article.slug}"


def test_item_description_is_the_summary_then_the_credit(
    built_site: Path, by_url: dict[str, SourceArticle]
) -> None:
    outlets = read_registry(built_site.parent, "sources")
    for feed, item, article in each_item(built_site, by_url):
        assert article is not None, f"{feed}: {item.findtext('link')} is no article"
        description = item.findtext("description") or ""
        summary, credit_label, credit = description.partition(
            " 출처: " if article.lang == "ko" else " Source: "
        )
        if article.summary is None:
            assert summary.strip(), f"{feed}: {article.slug}"
        else:
            assert summary == article.summary, f"{feed}: {article.slug}"
        assert credit_label, f"{feed}: {article.slug}: no credit in {description!r}"
        for outlet, headline in article.reports:
            assert outlets[outlet]["name"][article.lang] in credit, f"{feed}: {article.slug}"
            assert headline in credit, f"{feed}: {article.slug}"


def test_content_links_are_absolute_in_feeds(project: Path, run_cli: Callable[..., Any]) -> None:
    # A link to another article's source file, an absolute site path and a local image.
    write_article(
        project,
        "relative-links.ko.md",
        "Read [x](masga-shipbuilding-cooperation.ko.md) and [y](/ko/sectors/ai/).\n\n"
        "![alt](photo.png)\n",
        title="상대 링크 시험",
        date="2025-08-27T09:00:00+09:00",
        sectors=["ai"],
    )
    (project / "content/articles/2025/photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    site = build(project, run_cli)
    article_url = f"{DEFAULT_BASE}ko/articles/2025/relative-links/"
    expected = {
        f"{DEFAULT_BASE}ko/articles/2025/masga-shipbuilding-cooperation/",
        f"{DEFAULT_BASE}ko/sectors/ai/",
        f"{DEFAULT_BASE}media/articles/2025/photo.png",
        # The credit after the body links the report.
        "https://example.com/news",
    }

    for feed in ("ko/feed.xml", "ko/sectors/ai/feed.xml"):
        found = [i for i in items(parse_xml(site / feed)) if i.findtext("link") == article_url]
        assert len(found) == 1, feed
        urls = urls_in(content_html(found[0]))
        assert set(urls) == expected, feed
    assert (site / "media/articles/2025/photo.png").read_bytes() == b"\x89PNG\r\n\x1a\n"


def test_default_feed_content_has_no_relative_urls(built_site: Path) -> None:
    for path in feed_files(built_site):
        for item in items(parse_xml(path)):
            html = content_html(item)
            assert html.strip(), f"{rel(built_site, path)}: empty content:encoded"
            relative = [u for u in urls_in(html) if not is_absolute(u)]
            assert not relative, f"{rel(built_site, path)}: {relative}"


def test_feed_length_keeps_only_the_newest_items(
    project: Path, run_cli: Callable[..., Any]
) -> None:
    settings_file = project / "site.yaml"
    text = settings_file.read_text("utf-8")
    changed = re.sub(r"(?m)^feed_length:.*$", "feed_length: 2", text)
    assert changed != text, "site.yaml has no feed_length line to change"
    settings_file.write_text(changed, encoding="utf-8")
    site = build(project, run_cli)
    articles = read_articles(project)

    for lang in read_settings(project)["languages"]:
        expected = [a.url(DEFAULT_BASE) for a in expected_items(articles, lang)]
        assert len(expected) > 2, "the content needs more than two articles per language"
        assert item_links(parse_xml(site / lang / "feed.xml")) == expected[:2], lang
        for tax, term in sorted(used_terms(articles)):
            wanted = [a.url(DEFAULT_BASE) for a in expected_items(articles, lang, tax, term)]
            got = item_links(parse_xml(site / lang / tax / term / "feed.xml"))
            assert got == wanted[:2], f"{lang}/{tax}/{term}"


def test_markup_in_title_and_body_is_escaped(project: Path, run_cli: Callable[..., Any]) -> None:
    title = 'Tricky <b>&"quoted"</b> headline'
    write_article(
        project,
        "escaping.en.md",
        "A CDATA end ]]> appears here, and 1 < 2 is text.\n",
        title=title,
        date="2025-08-27T09:00:00+09:00",
        sectors=["ai"],
    )
    site = build(project, run_cli)
    url = f"{DEFAULT_BASE}en/articles/2025/escaping/"

    for feed in ("en/feed.xml", "en/sectors/ai/feed.xml"):
        root = parse_xml(site / feed)  # raises if the feed is not well-formed
        item = next(i for i in items(root) if i.findtext("link") == url)
        assert item.findtext("title") == title, feed
        body_text = html_fragment(content_html(item)).text_content()
        assert "]]>" in body_text, feed
        assert "1 < 2" in body_text, feed
        parsed = feedparser.parse((site / feed).read_bytes())
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        assert [e.title for e in parsed.entries if e.link == url] == [title], feed


def test_atom_self_link_is_the_feeds_own_url(built_site: Path) -> None:
    for path in feed_files(built_site):
        links = parse_xml(path).findall("channel/atom:link[@rel='self']", NS)
        assert len(links) == 1, rel(built_site, path)
        assert links[0].get("href") == DEFAULT_BASE + rel(built_site, path)
        assert links[0].get("type") == "application/rss+xml", rel(built_site, path)


def test_channel_link_is_the_matching_html_page(built_site: Path) -> None:
    for path in feed_files(built_site):
        page_dir = path.parent.relative_to(built_site).as_posix()
        link = parse_xml(path).findtext("channel/link")
        assert link == f"{DEFAULT_BASE}{page_dir}/", rel(built_site, path)
        assert local_file(built_site, DEFAULT_BASE, link).is_file(), link


def test_channel_title_and_description_are_localized(
    built_site: Path, articles: list[SourceArticle], languages: list[str]
) -> None:
    settings = read_settings(built_site.parent)
    for lang in languages:
        channel = parse_xml(built_site / lang / "feed.xml").find("channel")
        assert channel.findtext("title") == settings["title"][lang]
        assert channel.findtext("description") == settings["description"][lang]
        for tax, term in sorted(used_terms(articles)):
            name = read_registry(built_site.parent, tax)[term]["name"][lang]
            channel = parse_xml(built_site / lang / tax / term / "feed.xml").find("channel")
            assert name in channel.findtext("title"), f"{lang}/{tax}/{term}"
            assert channel.findtext("description").strip(), f"{lang}/{tax}/{term}"


def test_subpath_build_feed_links_stay_under_the_base_url(subpath_site: Path) -> None:
    for path in feed_files(subpath_site):
        root = parse_xml(path)
        links = [
            root.findtext("channel/link"),
            *root.xpath("channel/atom:link/@href", namespaces=NS),
            *item_links(root),
            *(guid.text for guid in root.findall("channel/item/guid")),
        ]
        for link in links:
            assert link.startswith(SUBPATH_BASE), f"{rel(subpath_site, path)}: {link}"
            assert local_file(subpath_site, SUBPATH_BASE, link).is_file(), link


def test_every_page_advertises_only_built_feeds(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert pages
    for page in pages:
        hrefs = feed_hrefs(page)
        assert hrefs, f"{rel(built_site, page)} advertises no feed"
        for href in hrefs:
            target = local_file(built_site, DEFAULT_BASE, href)
            assert target.name == "feed.xml" and target.is_file(), f"{page}: {href}"


def test_article_pages_advertise_language_and_term_feeds(
    built_site: Path, articles: list[SourceArticle]
) -> None:
    for article in articles:
        page = local_file(built_site, DEFAULT_BASE, article.url(DEFAULT_BASE))
        expected = {f"{DEFAULT_BASE}{article.lang}/feed.xml"} | {
            f"{DEFAULT_BASE}{article.lang}/{tax}/{term}/feed.xml"
            for tax in FEED_TAXONOMIES
            for term in article.terms(tax)
        }
        assert set(feed_hrefs(page)) == expected, article.slug


def test_term_pages_advertise_their_own_feed(
    built_site: Path, articles: list[SourceArticle], languages: list[str]
) -> None:
    for lang in languages:
        for tax, term in sorted(used_terms(articles)):
            page = built_site / lang / tax / term / "index.html"
            own = f"{DEFAULT_BASE}{lang}/{tax}/{term}/feed.xml"
            assert own in feed_hrefs(page), f"{lang}/{tax}/{term}"
