"""What publishers get: sitemap, robots.txt, Open Graph, JSON-LD, OPML, 404 pages and search.

Every expectation comes from the inputs (site.yaml, front matter, registries, catalogs); the
output is read back the way a crawler, a feed reader or a browser would read it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import lxml.etree
import pytest
import yaml
from babel.messages.pofile import read_po
from citing import sources
from conftest import copy_project
from htmltools import alternates, iter_pages, page_url, parse, resolve
from lxml.html import HtmlElement
from searching import index_parts, node_search

import generator.site.search
from generator.commands.cli import main

SUBPATH_BASE = "https://example.org/archive/"
SITEMAP_NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
OG_LOCALES = {"ko": "ko_KR", "en": "en_US"}


# -- reading the inputs ------------------------------------------------------------------------


class Site:
    """A built site with the inputs it was built from."""

    def __init__(self, site: Path, base_url: str | None = None) -> None:
        self.site = site
        self.project = site.parent
        self.settings: dict[str, Any] = yaml.safe_load(
            (self.project / "site.yaml").read_text("utf-8")
        )
        self.base_url: str = base_url or self.settings["base_url"]
        self.languages: list[str] = list(self.settings["languages"])
        self.zone = ZoneInfo(self.settings.get("timezone", "Asia/Seoul"))

    def file(self, path: str) -> Path:
        file = self.site / path
        return file / "index.html" if path.endswith("/") or not path else file

    def url_of(self, file: Path) -> str:
        return page_url(self.site, file, self.base_url)

    def resolve(self, url: str, on: Path | None = None) -> Path | None:
        return resolve(self.site, url, self.base_url, self.url_of(on) if on else self.base_url)

    def rel(self, file: Path) -> str:
        return file.relative_to(self.site).as_posix()

    def lang_of(self, file: Path) -> str | None:
        first = file.relative_to(self.site).parts[0]
        return first if first in self.languages else None

    def articles(self) -> list[dict[str, Any]]:
        """Every published article's front matter, with its lang, slug, path and body."""
        found = []
        for file in sorted((self.project / "content" / "articles").rglob("*.md")):
            text = file.read_text("utf-8-sig")
            _, front, body = text.split("---\n", 2)
            meta = yaml.safe_load(front)
            if meta.get("draft"):
                continue
            stem, _, lang = file.name[: -len(".md")].rpartition(".")
            date = meta["date"]
            date = dt.datetime.fromisoformat(date) if isinstance(date, str) else date
            meta.update(
                lang=lang,
                slug=meta.get("slug") or stem,
                date=date.astimezone(self.zone),
                body=body,
            )
            meta["path"] = f"{lang}/articles/{meta['date'].year}/{meta['slug']}/"
            found.append(meta)
        return found

    def registry(self, taxonomy: str) -> dict[str, Any]:
        path = self.project / "content" / "taxonomies" / f"{taxonomy}.yaml"
        registry: dict[str, Any] = yaml.safe_load(path.read_text("utf-8")) or {}
        return registry

    def gettext(self, lang: str, msgid: str) -> str:
        path = self.project / "locales" / lang / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as handle:
            message = read_po(handle, locale=lang).get(msgid)
        assert message is not None and message.string, f"{lang}: {msgid!r} is not translated"
        return str(message.string)


@pytest.fixture(scope="module")
def default(built_site: Path) -> Site:
    return Site(built_site)


@pytest.fixture(scope="module")
def subpath(subpath_site: Path) -> Site:
    return Site(subpath_site, SUBPATH_BASE)


@pytest.fixture(params=["default", "subpath"])
def any_site(request: pytest.FixtureRequest) -> Site:
    """The default build, then the build served under a sub-path."""
    site: Site = request.getfixturevalue(request.param)
    return site


def meta_content(doc: HtmlElement, attribute: str, name: str) -> list[str]:
    return [m.get("content") for m in doc.xpath(f"//head/meta[@{attribute}='{name}']")]


def json_ld(doc: HtmlElement) -> list[dict[str, Any]]:
    return [json.loads(s.text) for s in doc.xpath("//script[@type='application/ld+json']")]


def build(project: Path, *args: str) -> Path:
    assert main(["build", "--source", str(project), *args]) == 0
    return project / "site"


def snapshot(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


# -- sitemap.xml and robots.txt ----------------------------------------------------------------


def sitemap(site: Site) -> dict[str, dict[str, str]]:
    """loc → {hreflang: url} of every <url> in sitemap.xml."""
    root = lxml.etree.parse(str(site.site / "sitemap.xml")).getroot()
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    entries: dict[str, dict[str, str]] = {}
    for url in root.findall("s:url", SITEMAP_NS):
        loc = url.findtext("s:loc", namespaces=SITEMAP_NS)
        assert loc not in entries, f"{loc} is listed twice"
        entries[loc] = {
            link.get("hreflang"): link.get("href")
            for link in url.findall("xhtml:link[@rel='alternate']", SITEMAP_NS)
        }
    return entries


def test_sitemap_lists_every_page_but_the_404s_and_nothing_else(any_site: Site) -> None:
    entries = sitemap(any_site)
    expected = {any_site.url_of(f) for f in iter_pages(any_site.site) if f.name != "404.html"}
    assert set(entries) == expected
    for loc in entries:
        target = any_site.resolve(loc)
        assert target is not None and target.is_file(), f"{loc} is not a built page"


def test_sitemap_alternates_are_the_pages_own_and_reciprocal(any_site: Site) -> None:
    entries = sitemap(any_site)
    problems = []
    for loc, alts in entries.items():
        page = any_site.resolve(loc)
        assert page is not None
        lang = any_site.lang_of(page) or "x-default"
        if alts.get(lang) != loc:
            problems.append(f"{loc} does not list itself as {lang}: {alts}")
        if "x-default" not in alts:
            problems.append(f"{loc} has no x-default")
        if alts != alternates(parse(page)):
            problems.append(
                f"{loc}: sitemap {alts} differs from the page's {alternates(parse(page))}"
            )
        for hreflang, url in alts.items():
            target = any_site.resolve(url)
            if target is None or not target.is_file():
                problems.append(f"{loc}: {hreflang} alternate {url} is not a built page")
            elif url != loc and url in entries and entries[url].get(lang) != loc:
                problems.append(f"{loc} lists {url} as {hreflang}, which does not list it back")
    assert not problems, "\n".join(problems[:20])


def test_sitemap_pairs_translated_articles_and_dates_them(default: Site) -> None:
    entries = sitemap(default)
    root = lxml.etree.parse(str(default.site / "sitemap.xml")).getroot()
    lastmod = {
        u.findtext("s:loc", namespaces=SITEMAP_NS): u.findtext("s:lastmod", namespaces=SITEMAP_NS)
        for u in root.findall("s:url", SITEMAP_NS)
    }
    articles = default.articles()
    keys: dict[str, list[dict[str, Any]]] = {}
    for article in articles:
        keys.setdefault(article.get("translation_key") or article["slug"], []).append(article)
    for article in articles:
        loc = default.base_url + article["path"]
        expected = {a["lang"]: default.base_url + a["path"] for a in keys[article["slug"]]}
        assert {k: v for k, v in entries[loc].items() if k != "x-default"} == expected
        changed = article.get("updated") or article["date"]
        assert dt.datetime.fromisoformat(lastmod[loc]) == changed, loc


def test_robots_txt_points_to_the_sitemap(any_site: Site) -> None:
    lines = (any_site.site / "robots.txt").read_text("utf-8").splitlines()
    assert "User-agent: *" in lines
    sitemaps = [line.split(":", 1)[1].strip() for line in lines if line.startswith("Sitemap:")]
    assert sitemaps == [any_site.base_url + "sitemap.xml"]
    assert any_site.resolve(sitemaps[0]) == any_site.site / "sitemap.xml"


# -- Open Graph and Twitter cards --------------------------------------------------------------


def test_every_page_has_open_graph_and_twitter_tags_in_its_language(any_site: Site) -> None:
    problems = []
    for file in iter_pages(any_site.site):
        doc = parse(file)
        where = any_site.rel(file)
        lang = doc.get("lang")
        canonical = doc.xpath("//head/link[@rel='canonical']/@href")
        checks = {
            "og:locale": [OG_LOCALES[lang]],
            "og:url": canonical,
            "og:type": ["article" if "/articles/" in where else "website"],
        }
        for name, expected in checks.items():
            if meta_content(doc, "property", name) != expected:
                problems.append(f"{where}: {name} {meta_content(doc, 'property', name)}")
        # Alternate locales: the languages the page also exists in.
        others = sorted(OG_LOCALES[h] for h in alternates(doc) if h in OG_LOCALES and h != lang)
        if sorted(meta_content(doc, "property", "og:locale:alternate")) != others:
            problems.append(f"{where}: og:locale:alternate, expected {others}")
        for name in ("og:title", "og:description", "og:site_name"):
            if len([c for c in meta_content(doc, "property", name) if c.strip()]) != 1:
                problems.append(f"{where}: no {name}")
        # Every page shares with an image: the article's own, or the site's share image.
        images = meta_content(doc, "property", "og:image")
        if len(images) != 1 or not images[0].startswith(any_site.base_url):
            problems.append(f"{where}: og:image {images}")
        elif any_site.resolve(images[0], file) is None:
            problems.append(f"{where}: og:image {images[0]} is no file of the site")
        for name in ("og:image:width", "og:image:height"):
            if not [v for v in meta_content(doc, "property", name) if v.isdigit()]:
                problems.append(f"{where}: no {name}")
        if not [a for a in meta_content(doc, "property", "og:image:alt") if a.strip()]:
            problems.append(f"{where}: no og:image:alt")
        if meta_content(doc, "name", "twitter:card") != ["summary_large_image"]:
            problems.append(f"{where}: twitter:card {meta_content(doc, 'name', 'twitter:card')}")
        if meta_content(doc, "name", "twitter:image") != images:
            problems.append(f"{where}: twitter:image differs from og:image")
        if meta_content(doc, "name", "twitter:title") != meta_content(doc, "property", "og:title"):
            problems.append(f"{where}: twitter:title differs from og:title")
    assert not problems, "\n".join(problems[:20])


def test_article_open_graph_says_title_summary_and_times(default: Site) -> None:
    registries = {t: default.registry(t) for t in ("sectors", "people")}
    for article in default.articles():
        doc = parse(default.file(article["path"]))
        assert meta_content(doc, "property", "og:title") == [article["title"]]
        if article.get("summary"):
            assert meta_content(doc, "property", "og:description") == [article["summary"]]
        published = meta_content(doc, "property", "article:published_time")
        assert [dt.datetime.fromisoformat(p) for p in published] == [article["date"]]
        tags = [
            registries[t][term]["name"][article["lang"]]
            for t in ("sectors", "people")
            for term in article.get(t) or ()
        ]
        assert meta_content(doc, "property", "article:tag") == tags
        site_title = default.settings["title"][article["lang"]]
        assert meta_content(doc, "property", "og:site_name") == [site_title]


def test_korean_only_article_has_no_alternate_locale(default: Site) -> None:
    doc = parse(default.file("ko/articles/2025/biotech-trusted-partner/"))
    assert meta_content(doc, "property", "og:locale") == ["ko_KR"]
    assert meta_content(doc, "property", "og:locale:alternate") == []


# -- JSON-LD -------------------------------------------------------------------------------------


def test_every_json_ld_block_parses_and_cannot_end_its_script(any_site: Site) -> None:
    for file in iter_pages(any_site.site):
        for script in parse(file).xpath("//script[@type='application/ld+json']"):
            assert script.getparent().tag == "head", any_site.rel(file)
            assert "<" not in script.text and ">" not in script.text, any_site.rel(file)
            assert json.loads(script.text)["@context"] == "https://schema.org"


def test_articles_are_news_articles_with_their_facts(default: Site) -> None:
    registries = {t: default.registry(t) for t in ("sectors", "people")}
    for article in default.articles():
        lang = article["lang"]
        [data] = json_ld(parse(default.file(article["path"])))
        url = default.base_url + article["path"]
        assert data["@type"] == "NewsArticle"
        assert data["headline"] == article["title"]
        assert data["url"] == url and data["mainEntityOfPage"] == url
        assert dt.datetime.fromisoformat(data["datePublished"]) == article["date"]
        updated = article.get("updated") or article["date"]
        assert dt.datetime.fromisoformat(data["dateModified"]) == updated
        assert data["inLanguage"] == lang
        assert [r["url"] for r in data["isBasedOn"]] == [s["url"] for s in article["sources"]]
        sectors = registries["sectors"]
        assert [a["name"] for a in data["about"]] == [
            sectors[s]["name"][lang] for s in article.get("sectors") or ()
        ]
        people = registries["people"]
        assert [(p["@type"], p["name"], p["jobTitle"]) for p in data["mentions"]] == [
            ("Person", people[p]["name"][lang], people[p]["role"][lang])
            for p in article.get("people") or ()
        ]
        for thing in (*data["about"], *data["mentions"]):
            target = default.resolve(thing["url"])
            assert target is not None and target.is_file(), thing
        assert data["publisher"]["name"] == default.settings["title"][lang]
        assert data["publisher"]["url"] == f"{default.base_url}{lang}/"


def test_term_and_archive_pages_are_collection_pages(default: Site) -> None:
    for lang in default.languages:
        pages = [
            *sorted((default.site / lang / "sectors").glob("*/index.html")),
            *sorted((default.site / lang / "people").glob("*/index.html")),
            *sorted((default.site / lang / "archive").glob("*/**/index.html")),
        ]
        assert pages
        for file in pages:
            doc = parse(file)
            [data] = json_ld(doc)
            assert data["@type"] == "CollectionPage", default.rel(file)
            assert data["url"] == default.url_of(file)
            assert data["inLanguage"] == lang
            listed = {
                default.url_of(target)
                for a in doc.xpath("//main//a[@href]")
                if (target := default.resolve(a.get("href"), file)) is not None
                and "/articles/" in default.rel(target)
            }
            assert {part["url"] for part in data["hasPart"]} == listed, default.rel(file)


def test_homes_are_websites_with_a_search_action(default: Site) -> None:
    for lang in default.languages:
        [data] = json_ld(parse(default.file(f"{lang}/")))
        assert data["@type"] == "WebSite"
        assert data["inLanguage"] == lang
        assert data["name"] == default.settings["title"][lang]
        action = data["potentialAction"]
        assert action["@type"] == "SearchAction"
        template = action["target"]["urlTemplate"]
        assert template == f"{default.base_url}{lang}/search/?q={{search_term}}"
        assert action["query-input"] == "required name=search_term"
        assert default.resolve(template.split("?")[0]) == default.file(f"{lang}/search/")


HOSTILE_TITLE = 'Chips </script><script>alert("x")</script> & <!-- "more" -->'


def test_json_ld_escapes_a_title_that_would_end_the_script(project: Path) -> None:
    article = project / "content" / "articles" / "2025" / "hostile-title.en.md"
    meta = {
        "title": HOSTILE_TITLE,
        "date": "2025-08-27T09:00:00+09:00",
        "summary": "</script> in the summary too",
        "sectors": ["semiconductors"],
        "sources": sources("https://example.com/a?b=<c>&d", "</script>Report"),
    }
    article.write_text(
        "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\nBody.\n", encoding="utf-8"
    )
    site = build(project)
    raw = (site / "en/articles/2025/hostile-title/index.html").read_text("utf-8")
    script = raw.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script and ">" not in script
    assert "\\u003c/script\\u003e" in script
    data = json.loads(script)
    assert data["headline"] == HOSTILE_TITLE
    assert data["description"] == meta["summary"]
    assert [(r["headline"], r["url"]) for r in data["isBasedOn"]] == [
        ("</script>Report", "https://example.com/a?b=<c>&d")
    ]


# -- feeds page and OPML ---------------------------------------------------------------------


#: A language's OPML files: the archive's feed alone, then one per taxonomy (readers such as
#: newsboat keep one copy of an item across feeds, so the archive's feed stands alone).
OPML_FILES = {
    "feeds.opml": "The whole archive",
    "feeds-sectors.opml": "Sectors",
    "feeds-people.opml": "People",
    "feeds-sources.opml": "Sources",
}


def opml_files(site: Site, lang: str) -> dict[str, lxml.etree._Element]:
    return {name: lxml.etree.parse(str(site.site / lang / name)).getroot() for name in OPML_FILES}


def test_the_opml_files_list_every_feed_of_their_language_once_and_each_url_exists(
    any_site: Site,
) -> None:
    for lang in any_site.languages:
        listed: list[str] = []
        for name, root in opml_files(any_site, lang).items():
            assert root.tag == "opml" and root.get("version") == "2.0"
            assert root.findtext("head/title").strip()
            outlines = root.xpath("//outline[@type='rss']")
            listed += [o.get("xmlUrl") for o in outlines]
            for outline in outlines:
                assert outline.get("text").strip() and outline.get("language") == lang
                for url in (outline.get("xmlUrl"), outline.get("htmlUrl")):
                    target = any_site.resolve(url)
                    assert target is not None and target.is_file(), url
            if name == "feeds.opml":  # the archive's feed, alone
                assert [o.get("xmlUrl") for o in outlines] == [
                    any_site.base_url + f"{lang}/feed.xml"
                ]
        built = {any_site.url_of(f) for f in sorted((any_site.site / lang).rglob("feed.xml"))}
        assert set(listed) == built, lang
        assert len(listed) == len(built), "a feed listed twice"


def test_opml_groups_are_named_in_their_language(default: Site) -> None:
    for lang in default.languages:
        for name, root in opml_files(default, lang).items():
            groups = [o.get("text") for o in root.findall("body/outline")]
            assert groups == [default.gettext(lang, OPML_FILES[name])], name


def test_every_opml_outline_is_a_typed_feed_or_a_bare_group(any_site: Site) -> None:
    """The W3C validator warns of an outline with more than a text attribute and no type."""
    for lang in any_site.languages:
        for root in opml_files(any_site, lang).values():
            outlines = list(root.iter("outline"))
            assert outlines
            for outline in outlines:
                attributes = set(outline.attrib)
                assert attributes == {"text"} or outline.get("type") == "rss", dict(outline.attrib)


def test_feeds_page_shows_every_feed_address_to_copy_and_links_each_opml(any_site: Site) -> None:
    for lang in any_site.languages:
        file = any_site.file(f"{lang}/feeds/")
        doc = parse(file)
        shown = {c.text_content().strip() for c in doc.xpath("//main//code")}
        listed = {
            o.get("xmlUrl")
            for root in opml_files(any_site, lang).values()
            for o in root.xpath("//outline[@type='rss']")
        }
        assert shown == listed
        links = {any_site.resolve(a.get("href"), file) for a in doc.xpath("//main//a[@href]")}
        assert {any_site.site / lang / name for name in OPML_FILES} <= links
        css = (any_site.site / "static" / "style.css").read_text("utf-8")
        assert re.search(r"\.feed-url\s*\{[^}]*user-select:\s*all", css)


# -- 404 pages -----------------------------------------------------------------------------------


def test_404_pages_exist_in_every_language_and_at_the_root(any_site: Site) -> None:
    root = parse(any_site.site / "404.html")
    sections = {s.get("lang"): s for s in root.xpath("//main/section[@lang]")}
    assert sorted(sections) == sorted(any_site.languages)
    for lang in any_site.languages:
        heading = any_site.gettext(lang, "Page not found")
        assert sections[lang].xpath("string(.//h1)").strip() == heading
        page = parse(any_site.site / lang / "404.html")
        assert page.get("lang") == lang
        assert page.xpath("string(//main//h1)").strip() == heading
        home = any_site.resolve(page.xpath("//main//a/@href")[0], any_site.site / lang / "404.html")
        assert home == any_site.file(f"{lang}/")
        assert alternates(page)["x-default"] == any_site.base_url + "404.html"
    for doc in (root, *(parse(any_site.site / lang / "404.html") for lang in any_site.languages)):
        assert meta_content(doc, "name", "robots") == ["noindex"]
        # Hosts serve a 404 page at any depth: its links must not be relative.
        for href in doc.xpath("//a/@href | //link/@href"):
            assert href.startswith(("/", "https://", "#")), href


# -- search ------------------------------------------------------------------------------------


def test_each_language_has_its_own_search_index_of_its_articles(any_site: Site) -> None:
    articles = any_site.articles()
    for lang in any_site.languages:
        parts = index_parts(any_site.site, lang)
        assert parts, lang
        pages = 0
        for bundle in parts:
            assert bundle.parent == any_site.site / lang / "pagefind"
            entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
            assert list(entry["languages"]) == [lang]
            index = entry["languages"][lang]
            pages += index["page_count"]
            assert (bundle / f"pagefind.{index['hash']}.pf_meta").is_file()
            assert list((bundle / "index").glob(f"{lang}_*.pf_index")), lang
            fragments = list((bundle / "fragment").glob(f"{lang}_*.pf_fragment"))
            assert len(fragments) == index["page_count"]
            for name in ("pagefind.js", "pagefind-worker.js"):
                assert (bundle / name).is_file(), name
        assert pages == sum(1 for a in articles if a["lang"] == lang)
        for name in ("pagefind-ui.js", "pagefind-ui.css"):
            assert (any_site.site / lang / "pagefind" / name).is_file(), name
    assert not (any_site.site / "pagefind").exists()


def test_only_article_bodies_are_marked_for_the_index(default: Site) -> None:
    articles = {default.file(a["path"]) for a in default.articles()}
    for file in iter_pages(default.site):
        marked = parse(file).xpath("//*[@data-pagefind-body]")
        if file in articles:
            assert len(marked) == 1, default.rel(file)
            assert "article-body" in marked[0].get("class", ""), default.rel(file)
            assert not marked[0].xpath(".//nav | .//header | .//footer"), default.rel(file)
        else:
            assert marked == [], default.rel(file)


def test_search_pages_load_pagefind_from_the_site_itself(any_site: Site) -> None:
    for lang in any_site.languages:
        file = any_site.file(f"{lang}/search/")
        doc = parse(file)
        assert doc.get("lang") == lang
        assert doc.xpath("//main//*[@id='search']"), "no element for the search UI"
        sources = doc.xpath("//script/@src") + doc.xpath("//link[@rel='stylesheet']/@href")
        assert len(sources) == 4
        for src in sources:
            target = any_site.resolve(src, file)
            assert target is not None and target.is_file(), src
        bundle = {any_site.rel(any_site.resolve(s, file)) for s in sources}
        assert {f"{lang}/pagefind/pagefind-ui.js", f"{lang}/pagefind/pagefind-ui.css"} <= bundle


@pytest.fixture(scope="module")
def particle_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default site plus a Korean article that writes 반도체 only with particles."""
    project = copy_project(tmp_path_factory.mktemp("particles") / "project")
    meta = {
        "title": "칩 동맹 강화 논의",
        "date": "2025-08-27T10:00:00+09:00",
        "summary": "양국이 공급망 협력 확대에 합의했다.",
        "sources": sources("https://example.com/chips"),
    }
    body = "양국은 반도체와 배터리 협력을 논의했다. 정부는 반도체를 전략 산업으로 꼽았다.\n"
    assert re.search(r"반도체(?![와를])", body) is None
    path = project / "content" / "articles" / "2025" / "chip-alliance.ko.md"
    path.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body, "utf-8")
    return build(project)


def test_korean_search_finds_a_word_written_with_particles(particle_site: Path) -> None:
    found = node_search(particle_site, "ko", "반도체", "본문으로")
    assert "/ko/articles/2025/chip-alliance/" in found["반도체"]
    assert "/ko/articles/2025/semiconductors-hbm-ai/" in found["반도체"]
    # Only article text is indexed: the skip link "본문으로 건너뛰기" is on every page, in no body.
    assert found["본문으로"] == []
    assert all(url.startswith("/ko/articles/") for url in found["반도체"])


def test_english_search_finds_english_articles_only(particle_site: Path) -> None:
    found = node_search(particle_site, "en", "semiconductors", "반도체")
    assert "/en/articles/2025/semiconductors-hbm-ai/" in found["semiconductors"]
    assert all(url.startswith("/en/articles/") for url in found["semiconductors"])
    assert found["반도체"] == []


def test_search_can_be_left_out_by_the_settings(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = project / "site.yaml"
    settings.write_text(
        re.sub(r"(?m)^search:.*$", "search: false", settings.read_text("utf-8")), "utf-8"
    )
    # Without search, Pagefind is not needed at all.
    monkeypatch.setattr(generator.site.search, "pagefind_executable", lambda: None)
    site = build(project)
    assert not (site / "pagefind").exists()
    assert not (site / "ko" / "search").exists()
    for file in iter_pages(site):
        assert "/search/" not in file.read_text("utf-8"), file
    [data] = json_ld(parse(site / "ko" / "index.html"))
    assert "potentialAction" not in data


def test_build_without_pagefind_fails_saying_how_to_install_it(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = build(project)
    before = snapshot(site)
    (project / "content/articles/2025/semiconductors-hbm-ai.en.md").open("a").write("More.\n")
    monkeypatch.setattr(generator.site.search, "pagefind_executable", lambda: None)
    capsys.readouterr()
    assert main(["build", "--source", str(project)]) == 1
    err = capsys.readouterr().err
    assert "pip install 'pagefind[bin]'" in err
    assert "search: false" in err
    assert snapshot(site) == before


def test_only_the_changed_part_of_an_index_is_made_again(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[set[str]] = []
    real = generator.site.search.run_pagefind

    def counting(records: Any, scratch: Path) -> dict[str, bytes]:
        runs.append(set(records))
        return real(records, scratch)

    monkeypatch.setattr(generator.site.search, "run_pagefind", counting)
    first = build(project)
    indexed = [r for r in runs if "index.html" not in r]
    assert len(indexed) == 2  # one part per language for one month of articles
    bundles = {k: v for k, v in snapshot(first).items() if "/pagefind/" in k}
    # The same articles built elsewhere (a preview): the parts are kept, byte for byte.
    count = len(runs)
    other = tmp_path / "elsewhere"
    assert main(["build", "--source", str(project), "--output", str(other)]) == 0
    assert [r for r in runs[count:] if "index.html" not in r] == []
    assert {k: v for k, v in snapshot(other).items() if "/pagefind/" in k} == bundles
    # An English article changes: only the English part holding it is made again.
    count = len(runs)
    article = project / "content/articles/2025/semiconductors-hbm-ai.en.md"
    article.write_text(article.read_text("utf-8") + "\nA new closing line.\n", "utf-8")
    second = build(project)
    assert len(runs) == count + 1
    assert "articles/2025/semiconductors-hbm-ai/index.html" in runs[-1]
    english = {k: v for k, v in snapshot(second).items() if k.startswith("en/pagefind/")}
    assert english != {k: v for k, v in bundles.items() if k.startswith("en/pagefind/")}
    korean = {k: v for k, v in snapshot(second).items() if k.startswith("ko/pagefind/")}
    assert korean == {k: v for k, v in bundles.items() if k.startswith("ko/pagefind/")}


# -- the root chooser ------------------------------------------------------------------------


def test_only_the_root_chooser_redirects_and_only_to_language_homes(any_site: Site) -> None:
    chooser = (any_site.site / "index.html").read_text("utf-8")
    homes = json.dumps(
        [urlsplit(any_site.base_url).path + f"{lang}/" for lang in any_site.languages]
    )
    assert homes.replace(" ", "") in chooser.replace(" ", "")
    for file in iter_pages(any_site.site):
        if file == any_site.site / "index.html":
            continue
        for script in parse(file).xpath("//script[not(@src)]"):
            assert script.get("type") == "application/ld+json", any_site.rel(file)
        assert not parse(file).xpath("//meta[@http-equiv]"), any_site.rel(file)
