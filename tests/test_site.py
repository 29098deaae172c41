"""The built HTML site as a reader sees it: languages, links, dates, counts and pagination.

Every expectation is derived from the inputs (site.yaml, front matter, registries, message
catalogs, templates), never copied from the generator's output. Pages are read with lxml.html
through tests/htmltools.py.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import feedparser
import lxml.etree
import lxml.html
import pytest
import yaml
from babel import Locale
from babel.dates import format_date, format_interval, format_time
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po
from htmltools import alternates, iter_pages, page_url, parse, readable_text, resolve
from lxml.html import HtmlElement

from generator.commands.cli import main

ROOT = Path(__file__).resolve().parent.parent
#: What a build reads (the same list as conftest's copy_project).
SITE_INPUTS = ("site.yaml", "content", "templates", "locales")
TAXONOMIES = {"sectors": "description", "people": "role"}
SUBPATH_BASE = "https://example.org/archive/"
HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff]")
#: Articles per page in the paginated build: small enough for several pages per language.
SMALL_PAGE = 2
#: Reported offences per failing assertion (enough to diagnose, short enough to read).
SHOWN = 15


# -- the inputs -----------------------------------------------------------------------------


class SourceArticle:
    """One article as its content file describes it."""

    def __init__(self, file: Path, meta: dict[str, Any], body: str, zone: ZoneInfo) -> None:
        stem, _, self.lang = file.name[: -len(".md")].rpartition(".")
        self.file = file
        self.meta = meta
        self.body = body
        self.slug: str = meta.get("slug") or stem
        #: Translations share this key.
        self.key: str = meta.get("translation_key") or self.slug
        self.date = as_datetime(meta["date"], zone)
        self.title: str = meta["title"]
        self.sectors: tuple[str, ...] = tuple(meta.get("sectors") or ())
        self.people: tuple[str, ...] = tuple(meta.get("people") or ())

    @property
    def path(self) -> str:
        """Its page, relative to the site root."""
        return f"{self.lang}/articles/{self.date.year}/{self.slug}/"

    def terms(self, taxonomy: str) -> tuple[str, ...]:
        return self.sectors if taxonomy == "sectors" else self.people

    def __repr__(self) -> str:
        return f"<{self.file.name}>"


def as_datetime(value: Any, zone: ZoneInfo) -> dt.datetime:
    """A front-matter date as an aware datetime in the site's zone (plain dates at midnight)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(zone)


def read_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split a content file into its YAML front matter and Markdown body."""
    lines = text.replace("\r\n", "\n").split("\n")
    assert lines[0].strip() == "---", "content file without front matter"
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    return yaml.safe_load("\n".join(lines[1:end])), "\n".join(lines[end + 1 :])


def newest_first(articles: Iterable[SourceArticle]) -> list[SourceArticle]:
    return sorted(articles, key=lambda a: (-a.date.timestamp(), a.slug))


def read_catalog(project: Path, lang: str) -> Catalog:
    with (project / "locales" / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def translated(project: Path, lang: str, msgid: str) -> str:
    """The catalog's translation of ``msgid`` in ``lang`` (the msgid when untranslated)."""
    message = read_catalog(project, lang).get(msgid)
    if message is None or message.fuzzy or not message.string:
        return msgid
    return str(message.string)


def language_name(lang: str) -> str:
    """A language's name in itself, as a reader would write it: 'English', '한국어'."""
    name = Locale.parse(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]


def normalized(text: str) -> str:
    return " ".join(text.split())


def words(text: str) -> list[str]:
    """Word tokens, ignoring punctuation and Markdown syntax."""
    return re.findall(r"\w+", text)


def markdown_words(markdown: str) -> list[str]:
    """The words a reader sees of a Markdown body: link targets and definitions left out."""
    markdown = re.sub(r"\]\([^)]*\)", "]", markdown)
    markdown = re.sub(r"(?m)^ {0,3}\[[^\]]+\]:.*$", "", markdown)
    return words(markdown)


class Build:
    """A built site with the inputs it was built from."""

    def __init__(self, site: Path, base_url: str | None = None) -> None:
        self.site = site
        self.project = site.parent
        self.settings: dict[str, Any] = yaml.safe_load(
            (self.project / "site.yaml").read_text("utf-8")
        )
        self.base_url: str = base_url or self.settings["base_url"]
        if not self.base_url.endswith("/"):
            self.base_url += "/"
        self.base_path = urlsplit(self.base_url).path
        self.languages: list[str] = list(self.settings["languages"])
        self.default_language: str = self.settings["default_language"]
        self.zone = ZoneInfo(self.settings.get("timezone", "Asia/Seoul"))

    def __repr__(self) -> str:
        return f"<build of {self.base_url} page_size={self.settings.get('page_size')}>"

    # files and URLs

    def file(self, path: str) -> Path:
        """The file a site path ('ko/', 'ko/feed.xml', '') is written to."""
        file = self.site / path
        return file / "index.html" if path.endswith("/") or not path else file

    def url(self, path: str) -> str:
        return self.base_url + path

    def page_url(self, file: Path) -> str:
        return page_url(self.site, file, self.base_url)

    def rel(self, file: Path) -> str:
        return file.relative_to(self.site).as_posix()

    @cached_property
    def pages(self) -> list[Path]:
        return iter_pages(self.site)

    def lang_of(self, file: Path) -> str | None:
        """The language a page is in by its directory (None for the root chooser)."""
        first = file.relative_to(self.site).parts[0]
        return first if first in self.languages else None

    def resolve(self, href: str, on: Path) -> Path | None:
        return resolve(self.site, href, self.base_url, self.page_url(on))

    def links(self, doc: HtmlElement, on: Path, xpath: str = "//a[@href]") -> list[Path | None]:
        return [self.resolve(a.get("href"), on) for a in doc.xpath(xpath)]

    # inputs

    @cached_property
    def articles(self) -> list[SourceArticle]:
        """Every published article, newest first."""
        now = dt.datetime.now(dt.UTC)
        found = []
        for file in sorted((self.project / "content" / "articles").rglob("*.md")):
            meta, body = read_front_matter(file.read_text("utf-8-sig"))
            article = SourceArticle(file, meta, body, self.zone)
            # Drafts and scheduled (future-dated) articles are left out of a default build.
            if not meta.get("draft") and article.date <= now:
                found.append(article)
        return newest_first(found)

    def articles_in(self, lang: str) -> list[SourceArticle]:
        return [a for a in self.articles if a.lang == lang]

    def listed_in(self, lang: str) -> list[SourceArticle]:
        """What ``lang``'s lists show, newest first: its articles, and those written in
        another language only (marked, linking to the original)."""
        own = {a.key for a in self.articles_in(lang)}
        return [a for a in self.articles if a.lang == lang or a.key not in own]

    def translation(self, article: SourceArticle, lang: str) -> SourceArticle | None:
        return next((a for a in self.articles_in(lang) if a.key == article.key), None)

    def registry(self, taxonomy: str) -> dict[str, Any]:
        path = self.project / "content" / "taxonomies" / f"{taxonomy}.yaml"
        registry: dict[str, Any] = yaml.safe_load(path.read_text("utf-8")) or {}
        return registry

    def used_terms(self, taxonomy: str) -> list[str]:
        """Term ids at least one article names (the terms that have pages)."""
        return sorted({t for a in self.articles for t in a.terms(taxonomy)})


def copy_inputs(dest: Path) -> Path:
    """Copy the project's site inputs to ``dest``."""
    dest.mkdir(parents=True)
    for name in SITE_INPUTS:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)
    return dest


def set_page_size(project: Path, size: int) -> None:
    path = project / "site.yaml"
    text, count = re.subn(r"(?m)^page_size:.*$", f"page_size: {size}", path.read_text("utf-8"))
    path.write_text(text if count else f"{text.rstrip()}\npage_size: {size}\n", "utf-8")


# -- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def default_build(built_site: Path) -> Build:
    return Build(built_site)


@pytest.fixture(scope="session")
def subpath_build(subpath_site: Path) -> Build:
    return Build(subpath_site, SUBPATH_BASE)


@pytest.fixture(scope="module")
def paged_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The default content with two articles a page, so homes and terms have several pages."""
    project = copy_inputs(tmp_path_factory.mktemp("paged") / "project")
    set_page_size(project, SMALL_PAGE)
    assert main(["build", "--source", str(project)]) == 0
    return Build(project / "site")


@pytest.fixture(params=["default_build", "subpath_build", "paged_build"])
def any_build(request: pytest.FixtureRequest) -> Build:
    """Each build in turn: default, under a sub-path, and paginated."""
    build: Build = request.getfixturevalue(request.param)
    return build


# -- page helpers ---------------------------------------------------------------------------


def with_class(tag: str, name: str) -> str:
    """XPath step for ``tag`` elements carrying the class ``name``."""
    return f"{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"


SWITCHER = "//" + with_class("nav", "language-switcher") + "//a[@href]"


def text_of(element: HtmlElement) -> str:
    return normalized(element.text_content())


def main_of(doc: HtmlElement) -> HtmlElement:
    found = doc.xpath("//main")
    assert len(found) == 1, "a page has exactly one <main>"
    return found[0]


def article_files(build: Build, doc: HtmlElement, on: Path) -> list[Path]:
    """Article pages linked from a page's <main>, in order, each once."""
    found: list[Path] = []
    for file in build.links(main_of(doc), on, ".//a[@href]"):
        if file is None or file in found:
            continue
        if re.fullmatch(r"[^/]+/articles/\d{4}/[^/]+/index\.html", build.rel(file)):
            found.append(file)
    return found


def follow_pages(build: Build, first: Path) -> list[Path]:
    """A paginated list's pages, following rel="next" from ``first``."""
    pages = [first]
    while True:
        doc = parse(pages[-1])
        nexts = [build.resolve(a.get("href"), pages[-1]) for a in doc.xpath("//a[@rel='next']")]
        if not nexts:
            return pages
        assert len(set(nexts)) == 1, f"{build.rel(pages[-1])}: several next links"
        target = nexts[0]
        assert target is not None and target.is_file(), f"{build.rel(pages[-1])}: dead next"
        assert target not in pages, f"{build.rel(pages[-1])}: next link loops back"
        pages.append(target)


def report(problems: list[str]) -> str:
    more = f"\n... and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
    return "\n".join(problems[:SHOWN]) + more


def count_text(count: int, lang: str) -> str:
    """What a reader expects a count of articles to read (the plural rules of each language)."""
    if lang == "ko":
        return f"기사 {count}건"
    return f"{count} article" if count == 1 else f"{count} articles"


def shows_phrase(text: str, phrase: str) -> bool:
    """``phrase`` appears in ``text`` as whole words and numbers."""
    return re.search(rf"(?<![\w.,]){re.escape(phrase)}(?![\w])", text) is not None


# -- 1. languages and hreflang ---------------------------------------------------------------


def test_every_page_declares_its_language(any_build: Build) -> None:
    problems = []
    for file in any_build.pages:
        expected = any_build.lang_of(file) or any_build.default_language
        lang = parse(file).get("lang")
        if lang != expected:
            problems.append(f"{any_build.rel(file)}: <html lang={lang!r}>, expected {expected!r}")
    assert not problems, report(problems)


def test_canonical_is_the_page_itself(any_build: Build) -> None:
    problems = []
    for file in any_build.pages:
        canonical = [c.get("href") for c in parse(file).xpath("//head/link[@rel='canonical']")]
        if canonical != [any_build.page_url(file)]:
            problems.append(f"{any_build.rel(file)}: canonical {canonical}")
    assert not problems, report(problems)


def test_hreflang_lists_itself_and_x_default_and_resolves(any_build: Build) -> None:
    problems = []
    for file in any_build.pages:
        where = any_build.rel(file)
        own = any_build.page_url(file)
        alts = alternates(parse(file))
        # A language page lists itself under its language; the root chooser is the x-default.
        self_lang = any_build.lang_of(file) or "x-default"
        if alts.get(self_lang) != own:
            problems.append(f"{where}: hreflang={self_lang} is {alts.get(self_lang)}, not {own}")
        if "x-default" not in alts:
            problems.append(f"{where}: no hreflang=x-default")
        for hreflang, url in alts.items():
            if not url.startswith(any_build.base_url):
                problems.append(f"{where}: hreflang={hreflang} {url} is not absolute on the site")
                continue
            target = any_build.resolve(url, file)
            if target is None or not target.is_file():
                problems.append(f"{where}: hreflang={hreflang} {url} is not a built page")
    assert not problems, report(problems)


def test_hreflang_is_reciprocal(any_build: Build) -> None:
    """If A lists B, B lists A under every hreflang A gives itself."""
    problems = []
    for file in any_build.pages:
        own = any_build.page_url(file)
        alts = alternates(parse(file))
        own_langs = [hreflang for hreflang, url in alts.items() if url == own]
        for hreflang, url in alts.items():
            target = any_build.resolve(url, file)
            if url == own or target is None or not target.is_file():
                continue  # itself, or a broken target reported by the test above
            back = alternates(parse(target))
            for own_lang in own_langs:
                if back.get(own_lang) != own:
                    problems.append(
                        f"{any_build.rel(file)} lists {any_build.rel(target)} as {hreflang}, "
                        f"but it lists {back.get(own_lang)} as {own_lang}"
                    )
    assert not problems, report(problems)


# -- 2. language switcher -------------------------------------------------------------------


def counterpart(build: Build, file: Path, lang: str) -> Path | None:
    """The same page in ``lang``, if it was built: an article's translation, else the page at
    the same path in the other language's directory."""
    rel = build.rel(file)
    source = next((a for a in build.articles if build.file(a.path) == file), None)
    if source is not None:
        other = build.translation(source, lang)
        return build.file(other.path) if other else None
    same = build.site / lang / Path(rel).relative_to(rel.split("/")[0])
    return same if same.is_file() else None


def test_switcher_leads_to_the_same_page_in_the_other_language(any_build: Build) -> None:
    problems = []
    for file in any_build.pages:
        lang = any_build.lang_of(file)
        if lang is None:
            continue  # the root chooser is covered by its own test
        doc = parse(file)
        where = any_build.rel(file)
        targets = {
            (a.get("hreflang") or a.get("lang")): any_build.resolve(a.get("href"), file)
            for a in doc.xpath(SWITCHER)
        }
        for other in any_build.languages:
            if other == lang:
                continue
            target = targets.get(other)
            expected = counterpart(any_build, file, other)
            if target is None or not target.is_file():
                problems.append(f"{where}: switcher to {other} leads to no built page ({target})")
            elif any_build.lang_of(target) != other:
                problems.append(f"{where}: switcher to {other} leads to {any_build.rel(target)}")
            elif expected is not None and target != expected:
                problems.append(
                    f"{where}: switcher to {other} leads to {any_build.rel(target)}, "
                    f"not to its counterpart {any_build.rel(expected)}"
                )
    assert not problems, report(problems)


def test_translated_article_switcher_leads_to_translation(default_build: Build) -> None:
    pairs = [
        (article, other)
        for article in default_build.articles
        for lang in default_build.languages
        if lang != article.lang and (other := default_build.translation(article, lang))
    ]
    assert pairs, "the default content has translated articles"
    for article, other in pairs:
        file = default_build.file(article.path)
        doc = parse(file)
        targets = [
            default_build.resolve(a.get("href"), file)
            for a in doc.xpath(SWITCHER)
            if a.get("hreflang") == other.lang
        ]
        assert targets == [default_build.file(other.path)], f"{article}: switcher {targets}"


def test_untranslated_article_switcher_explains(default_build: Build) -> None:
    build = default_build
    untranslated = [
        (article, lang)
        for article in build.articles
        for lang in build.languages
        if lang != article.lang and build.translation(article, lang) is None
    ]
    assert untranslated, "the default content has a Korean-only article"
    assert any(a.file.name == "biotech-trusted-partner.ko.md" for a, _ in untranslated)
    for article, lang in untranslated:
        file = build.file(article.path)
        links = [a for a in parse(file).xpath(SWITCHER) if a.get("hreflang") == lang]
        assert len(links) == 1, f"{article}: one switcher link to {lang}"
        href = links[0].get("href")
        assert build.resolve(href, file) == build.file(f"{lang}/"), f"{article}: {href}"
        fragment = urlsplit(href).fragment
        assert fragment == "not-translated", f"{article}: {href}"
        # The page in the article's language says so next to the link.
        note = text_of(links[0].getparent()).replace(text_of(links[0]), "", 1).strip()
        expected_note = translated(build.project, article.lang, "(this page is not translated)")
        assert note == expected_note, f"{article}: note {note!r}"
        # The other home explains, in its own language, what happened.
        home = parse(build.file(f"{lang}/"))
        explained = home.xpath(f"//*[@id='{fragment}']")
        assert len(explained) == 1, f"{lang} home: no #{fragment}"
        message = translated(
            build.project, lang, "The article you came from is not available in %(language)s."
        )
        expected = message % {"language": language_name(lang)}
        assert text_of(explained[0]) == expected


def test_switcher_note_only_on_untranslated_pages(default_build: Build) -> None:
    build = default_build
    for article in build.articles:
        for lang in build.languages:
            if lang == article.lang or build.translation(article, lang) is None:
                continue
            note = translated(build.project, article.lang, "(this page is not translated)")
            switcher = parse(build.file(article.path)).xpath(
                "//" + with_class("nav", "language-switcher")
            )
            assert note not in text_of(switcher[0]), f"{article} is translated into {lang}"


def test_untranslated_notice_reads_in_english(default_build: Build) -> None:
    """The English home's #not-translated notice, as the brief words it."""
    notice = parse(default_build.file("en/")).xpath("//*[@id='not-translated']")
    assert notice and "not available in English" in text_of(notice[0])


# -- 3. links -------------------------------------------------------------------------------


def test_no_dead_internal_links(any_build: Build) -> None:
    build = any_build
    base = urlsplit(build.base_url)
    ids: dict[Path, set[str]] = {}
    problems = []
    for file in build.pages:
        doc = parse(file)
        ids.setdefault(file, set(doc.xpath("//@id")))
        for element in doc.iter():
            if not isinstance(element.tag, str):
                continue
            for attr in ("href", "src"):
                href = element.get(attr)
                if href is None:
                    continue
                where = f"{build.rel(file)}: <{element.tag} {attr}={href!r}>"
                absolute = urlsplit(urljoin(build.page_url(file), href))
                target = build.resolve(href, file)
                if target is None:
                    if (absolute.scheme, absolute.netloc) == (base.scheme, base.netloc):
                        problems.append(f"{where} leaves the site's path {build.base_path}")
                    continue  # another site
                if not target.is_file():
                    problems.append(f"{where} is dead")
                    continue
                if absolute.fragment and target.suffix == ".html":
                    if target not in ids:
                        ids[target] = set(parse(target).xpath("//@id"))
                    if absolute.fragment not in ids[target]:
                        problems.append(f"{where}: no id={absolute.fragment!r} there")
    assert not problems, report(problems)


# -- 4. UI strings of the other language ----------------------------------------------------


def ui_messages(project: Path) -> list[str | tuple[str, ...]]:
    """Every UI message id: those the templates and the generator use, and the catalogs'."""
    ids: list[str | tuple[str, ...]] = []
    jinja = {"extensions": "jinja2.ext.i18n"}
    sources = [
        (project / "templates", [("**.html", "jinja2"), ("**.xml", "jinja2")], {"**": jinja}),
        (ROOT / "generator", [("**.py", "python")], {}),
    ]
    for directory, methods, options in sources:
        for _, _, message, _, _ in extract_from_dir(directory, methods, options):
            ids.append(message)
    for lang in ("en", "ko"):
        ids.extend(m.id for m in read_catalog(project, lang) if m.id)
    return ids


def translations(message: Message | None) -> list[str]:
    """A catalog entry's non-empty translations (all plural forms); none when fuzzy."""
    if message is None or message.fuzzy:
        return []
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return [s for s in strings if s]


def english_ui_patterns(project: Path) -> dict[str, re.Pattern[str]]:
    """English UI strings (msgids, English msgstrs) a Korean page must not show, as regexes
    (placeholders match any word). A string is allowed only where the Korean catalog
    translates it into itself ('RSS'): untranslated, empty or fuzzy entries are English text."""
    english = read_catalog(project, "en")
    korean = read_catalog(project, "ko")
    forbidden: set[str] = set()
    for message_id in ui_messages(project):
        forms = [message_id] if isinstance(message_id, str) else list(message_id)
        forms.extend(translations(english.get(message_id)))
        allowed = {normalized(s) for s in translations(korean.get(message_id))}
        forbidden.update(normalized(f) for f in forms if normalized(f) not in allowed)
    patterns = {}
    for text in sorted(forbidden):
        parts = re.split(r"%\(\w+\)[sd]", text)
        if not re.search("[A-Za-z]", "".join(parts)):
            continue  # placeholders and punctuation only: nothing English to see
        body = r"\S+".join(re.escape(p) for p in parts)
        patterns[text] = re.compile(rf"(?<![A-Za-z]){body}(?![A-Za-z])")
    return patterns


def foreign_ui_text(
    doc: HtmlElement, patterns: dict[str, re.Pattern[str]]
) -> list[tuple[str, str]]:
    """Texts of the other language on a page: (what, where) pairs.

    On an English page no readable text outside an element marked lang="ko" (or another
    language) may contain Hangul: English content has none, so any is an untranslated string.
    On a Korean page no readable text outside lang="en" elements may show an English UI
    string from ``patterns``.
    """
    page_lang = doc.get("lang")
    found = []
    for text, lang in readable_text(doc):
        if lang != page_lang:
            continue  # marked up as another language (the switcher's language names)
        text = normalized(text)
        if page_lang == "en" and HANGUL.search(text):
            found.append(("Hangul", text))
        elif page_lang == "ko":
            found.extend((english, text) for english, p in patterns.items() if p.search(text))
    return found


def test_no_ui_string_of_the_other_language(any_build: Build) -> None:
    patterns = english_ui_patterns(any_build.project)
    problems = [
        f"{any_build.rel(file)}: {what!r} in {text!r}"
        for file in any_build.pages
        for what, text in foreign_ui_text(parse(file), patterns)
    ]
    assert not problems, report(problems)


def test_untranslated_korean_catalog_would_be_caught(
    project: Path, run_cli: Callable[..., Any]
) -> None:
    """The check above can fail: with the Korean catalog emptied, every Korean page shows
    English interface text and is reported."""
    po = project / "locales" / "ko" / "LC_MESSAGES" / "messages.po"
    catalog = read_catalog(project, "ko")
    for message in catalog:
        if message.id:
            message.string = ("",) if isinstance(message.id, tuple) else ""
    with po.open("wb") as handle:
        write_po(handle, catalog)
    assert run_cli("build", "--source", project).status == 0
    build = Build(project / "site")
    patterns = english_ui_patterns(project)
    korean = [f for f in build.pages if build.lang_of(f) == "ko"]
    assert korean
    missed = [build.rel(f) for f in korean if not foreign_ui_text(parse(f), patterns)]
    assert not missed, report(missed)


# -- 5. dates -------------------------------------------------------------------------------


def test_article_dates_are_localized(default_build: Build) -> None:
    build = default_build
    for article in build.articles:
        doc = parse(build.file(article.path))
        times = doc.xpath("//main//time[@datetime]")
        assert times, f"{article}: no <time datetime>"
        expected_iso = article.date.isoformat()
        matching = [t for t in times if t.get("datetime") == expected_iso]
        assert matching, f"{article}: {[t.get('datetime') for t in times]} != {expected_iso}"
        assert text_of(matching[0]) == date_and_time(article.date, article.lang)


def date_and_time(moment: dt.datetime, lang: str) -> str:
    """An article page's date, as news pages show it: CLDR's date and short time with the
    zone ('2025년 8월 26일 오후 4:00 (KST)', 'Aug 26, 2025, 4:00 PM KST')."""
    time = format_time(moment, "short", locale=lang)
    if lang == "ko":
        return normalized(f"{format_date(moment.date(), 'long', locale=lang)} {time} (KST)")
    return normalized(f"{format_date(moment.date(), 'medium', locale=lang)}, {time} KST")


def test_default_content_dates_are_in_seoul_time(default_build: Build) -> None:
    """The default articles were dated +09:00: the pages say so, and say the same day."""
    for article in default_build.articles:
        stamp = parse(default_build.file(article.path)).xpath("//main//time/@datetime")[0]
        assert stamp.endswith("+09:00"), stamp
        assert dt.datetime.fromisoformat(stamp) == article.date


def test_every_listed_date_is_localized(default_build: Build) -> None:
    """Lists (homes, terms) show each <time> in the page's language, in the site's zone, as a
    date only; an article's own header shows its time as well, and so does a report's
    citation when the front matter gives the report's time (a date alone stays a date)."""
    build = default_build
    offset = dt.datetime(2025, 1, 1, tzinfo=build.zone).utcoffset()
    problems = []
    for file in build.pages:
        lang = build.lang_of(file)
        for time in parse(file).xpath("//time"):
            stamp = time.get("datetime", "")
            if "T" not in stamp and time.xpath("ancestor::li[@class='citation']"):
                expected = format_date(dt.date.fromisoformat(stamp), format="long", locale=lang)
                if text_of(time) != expected:
                    problems.append(f"{build.rel(file)}: {stamp} {text_of(time)!r}")
                continue
            moment = dt.datetime.fromisoformat(stamp)
            timed = "ancestor::header[@class='article-header'] | ancestor::li[@class='citation']"
            if time.xpath(timed):
                expected = date_and_time(moment, lang)
            else:
                expected = format_date(moment.date(), format="long", locale=lang)
            if moment.utcoffset() != offset or text_of(time) != expected:
                problems.append(f"{build.rel(file)}: {stamp} {text_of(time)!r}")
    assert not problems, report(problems)


# -- 6. plurals -----------------------------------------------------------------------------


def article_count(build: Build, taxonomy: str, term: str, lang: str) -> int:
    """How many articles ``lang``'s page of ``term`` lists (one-language ones included)."""
    return sum(1 for a in build.listed_in(lang) if term in a.terms(taxonomy))


def test_default_content_has_singular_and_plural_counts(default_build: Build) -> None:
    """The plural test below is meaningful: English has terms with 1 and with more articles."""
    counts = {
        article_count(default_build, taxonomy, term, "en")
        for taxonomy in TAXONOMIES
        for term in default_build.used_terms(taxonomy)
    }
    assert 1 in counts and any(c > 1 for c in counts), counts


def test_counts_use_plural_forms(default_build: Build) -> None:
    build = default_build
    problems = []
    for lang in build.languages:
        for taxonomy in TAXONOMIES:
            index_file = build.file(f"{lang}/{taxonomy}/")
            index = parse(index_file)
            for term in build.used_terms(taxonomy):
                expected = count_text(article_count(build, taxonomy, term, lang), lang)
                term_file = build.file(f"{lang}/{taxonomy}/{term}/")
                entries = [
                    text_of(a.getparent())
                    for a in index.xpath("//main//a[@href]")
                    if build.resolve(a.get("href"), index_file) == term_file
                ]
                if len(entries) != 1 or not shows_phrase(entries[0], expected):
                    problems.append(f"{build.rel(index_file)} {term}: {entries} lacks {expected!r}")
                header = text_of(main_of(parse(term_file)))
                if not shows_phrase(header, expected):
                    problems.append(f"{build.rel(term_file)}: lacks {expected!r}")
    assert not problems, report(problems)


# -- 7. term pages list their articles -------------------------------------------------------


@pytest.fixture(params=["default_build", "paged_build"])
def build(request: pytest.FixtureRequest) -> Build:
    """The default build and the paginated one."""
    value: Build = request.getfixturevalue(request.param)
    return value


def test_term_pages_list_exactly_their_articles(build: Build) -> None:
    problems = []
    for lang in build.languages:
        for taxonomy in TAXONOMIES:
            for term in build.used_terms(taxonomy):
                expected = [
                    build.file(a.path) for a in build.listed_in(lang) if term in a.terms(taxonomy)
                ]
                listed = []
                for page in follow_pages(build, build.file(f"{lang}/{taxonomy}/{term}/")):
                    listed.extend(article_files(build, parse(page), page))
                if sorted(listed) != sorted(expected):
                    problems.append(
                        f"{lang}/{taxonomy}/{term}: lists {[build.rel(f) for f in listed]}, "
                        f"expected {[build.rel(f) for f in expected]}"
                    )
    assert not problems, report(problems)


# -- 8. article pages -----------------------------------------------------------------------


def test_article_page_shows_title_source_terms_and_body(default_build: Build) -> None:
    build = default_build
    registries = {taxonomy: build.registry(taxonomy) for taxonomy in TAXONOMIES}
    for article in build.articles:
        file = build.file(article.path)
        doc = parse(file)
        main = main_of(doc)
        assert [text_of(h) for h in main.xpath(".//h1")] == [normalized(article.title)]
        for report in article.meta["sources"]:
            shown = [
                text_of(a) for a in main.xpath(".//a[@href]") if a.get("href") == report["url"]
            ]
            assert shown == [normalized(report["headline"])], f"{article}: report link {shown}"
        links = {
            (text_of(a), build.resolve(a.get("href"), file)) for a in main.xpath(".//a[@href]")
        }
        for taxonomy, registry in registries.items():
            for term in article.terms(taxonomy):
                name = registry[term]["name"][article.lang]
                target = build.file(f"{article.lang}/{taxonomy}/{term}/")
                assert (name, target) in links, f"{article}: no link {name!r} → {target}"
        body = " ".join(markdown_words(article.body))
        assert body and body in " ".join(words(text_of(main))), f"{article}: body text missing"


# -- 9. term pages --------------------------------------------------------------------------


def test_term_page_shows_name_detail_and_feed(default_build: Build) -> None:
    build = default_build
    for taxonomy, detail_key in TAXONOMIES.items():
        registry = build.registry(taxonomy)
        for term in build.used_terms(taxonomy):
            for lang in build.languages:
                file = build.file(f"{lang}/{taxonomy}/{term}/")
                main = main_of(parse(file))
                where = build.rel(file)
                assert [text_of(h) for h in main.xpath(".//h1")] == [registry[term]["name"][lang]]
                assert normalized(registry[term][detail_key][lang]) in text_of(main), where
                feed = build.file(f"{lang}/{taxonomy}/{term}/feed.xml")
                assert feed in build.links(main, file, ".//a[@href]"), f"{where}: no feed link"
                parsed = feedparser.parse(feed.read_bytes())
                assert not parsed.bozo, f"{build.rel(feed)}: {parsed.get('bozo_exception')}"


def test_term_pages_switch_to_each_other(default_build: Build) -> None:
    build = default_build
    for taxonomy in TAXONOMIES:
        for term in build.used_terms(taxonomy):
            for lang in build.languages:
                file = build.file(f"{lang}/{taxonomy}/{term}/")
                targets = set(build.links(parse(file), file, SWITCHER))
                others = {
                    build.file(f"{other}/{taxonomy}/{term}/")
                    for other in build.languages
                    if other != lang
                }
                assert targets == others, f"{build.rel(file)}: switcher {targets}"


# -- 10. sub-path build ---------------------------------------------------------------------


def feed_links(file: Path) -> list[str]:
    """Every URL in a feed: <link>, <guid>, atom:link and the links in its item HTML."""
    tree = lxml.etree.parse(str(file))
    found = [e.text or "" for e in tree.iter("link", "guid")]
    found.extend(tree.xpath("//@href"))
    for element in tree.iter("description", "{http://purl.org/rss/1.0/modules/content/}encoded"):
        if element.text and "<" in element.text:
            fragment = lxml.html.fragment_fromstring(element.text, create_parent="div")
            found.extend(fragment.xpath(".//@href | .//@src"))
    return found


def test_subpath_build_never_leaves_the_base_path(subpath_build: Build) -> None:
    build = subpath_build
    base = urlsplit(build.base_url)
    problems = []
    links: list[tuple[Path, str]] = []
    for file in build.pages:
        links.extend((file, value) for value in parse(file).xpath("//@href | //@src"))
    for file in sorted(build.site.rglob("*.xml")):
        links.extend((file, value) for value in feed_links(file))
    for file, value in links:
        parts = urlsplit(value)
        if value.startswith("/") and not value.startswith("//"):
            if not value.startswith(build.base_path):
                problems.append(f"{build.rel(file)}: {value} is outside {build.base_path}")
        elif parts.netloc == base.netloc and not value.startswith(build.base_url):
            problems.append(f"{build.rel(file)}: {value} is outside {build.base_url}")
    # Nothing anywhere still points at the base URL of site.yaml.
    configured = build.settings["base_url"]
    for file in sorted(f for f in build.site.rglob("*") if f.is_file()):
        if configured.encode() in file.read_bytes():
            problems.append(f"{build.rel(file)} mentions {configured}")
    assert not problems, report(problems)


# -- 11. determinism ------------------------------------------------------------------------


def tree(directory: Path) -> dict[str, bytes]:
    return {
        f.relative_to(directory).as_posix(): f.read_bytes()
        for f in sorted(directory.rglob("*"))
        if f.is_file()
    }


def test_builds_are_byte_identical(project: Path, tmp_path: Path) -> None:
    """Two builds, in separate processes with different hash seeds and host time zones, from
    two copies of the inputs, write the same files with the same bytes."""
    second = shutil.copytree(project, tmp_path / "second")
    outputs = []
    for number, (source, seed, tz) in enumerate(
        [(project, "1", "UTC"), (second, "4242", "America/Los_Angeles")]
    ):
        out = tmp_path / f"out{number}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "TZ": tz}
        done = subprocess.run(
            [sys.executable, "-m", "generator", "build", "--source", source, "--output", out],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        outputs.append(tree(out))
    first, again = outputs
    assert sorted(first) == sorted(again)
    differ = [name for name in first if first[name] != again[name]]
    assert not differ, report(differ)


# -- 12. pagination -------------------------------------------------------------------------


def numbered_pages(total: int, size: int) -> int:
    """How many numbered pages a list of ``total`` has: its first page takes what full pages
    of ``size``, counted from the oldest, leave (one to two pages' worth)."""
    return max(0, total // size - 1)


def test_homes_paginate_newest_first_in_pages_counted_from_the_oldest(paged_build: Build) -> None:
    build = paged_build
    for lang in build.languages:
        listed = build.listed_in(lang)
        expected = [build.file(a.path) for a in listed]
        count = numbered_pages(len(expected), SMALL_PAGE)
        assert count >= 2, f"the default content fills at least two numbered {lang} pages"
        pages = follow_pages(build, build.file(f"{lang}/"))
        numbered = [build.file(f"{lang}/page/{n}/") for n in range(count, 0, -1)]
        assert pages == [build.file(f"{lang}/"), *numbered], [build.rel(p) for p in pages]
        assert not build.file(f"{lang}/page/{count + 1}/").exists()
        assert not build.file(f"{lang}/page/0/").exists()
        shown = []
        for number, page in enumerate(pages):
            doc = parse(page)
            prev = [build.resolve(a.get("href"), page) for a in doc.xpath("//a[@rel='prev']")]
            assert prev == ([pages[number - 1]] if number else []), build.rel(page)
            on_page = article_files(build, doc, page)
            if number:  # a numbered page holds a full page, and names the days it spans
                assert len(on_page) == SMALL_PAGE, build.rel(page)
                first, *_, last = (a for a in listed if build.file(a.path) in on_page)
                span = format_interval(
                    last.date.date(), first.date.date(), skeleton="yMMMMd", locale=lang
                )
                [nav] = doc.xpath("//nav[@class='pagination']/span")
                assert nav.text_content() == span, build.rel(page)
                assert span in doc.findtext(".//title"), build.rel(page)
                [heading] = doc.xpath("//main//h1")
                assert span in heading.text_content(), build.rel(page)
            else:
                assert SMALL_PAGE <= len(on_page) < 2 * SMALL_PAGE, build.rel(page)
                assert not doc.xpath("//nav[@class='pagination']/span")
            shown.extend(on_page)
        assert shown == expected, [build.rel(f) for f in shown]


def test_a_term_list_is_counted_on_its_first_page_and_paged_from_its_oldest(
    paged_build: Build,
) -> None:
    build = paged_build
    checked = 0
    for lang in build.languages:
        for taxonomy in ("sectors", "people"):
            for term_id in build.registry(taxonomy):
                listed = [a for a in build.listed_in(lang) if term_id in a.terms(taxonomy)]
                first = build.file(f"{lang}/{taxonomy}/{term_id}/")
                if not listed:
                    continue
                pages = follow_pages(build, first)
                count = numbered_pages(len(listed), SMALL_PAGE)
                assert len(pages) == count + 1, build.rel(first)
                assert pages[1:] == [
                    build.file(f"{lang}/{taxonomy}/{term_id}/page/{n}/")
                    for n in range(count, 0, -1)
                ]
                shown = [f for p in pages for f in article_files(build, parse(p), p)]
                assert shown == [build.file(a.path) for a in listed], build.rel(first)
                [counted] = parse(first).xpath("//p[@class='count']")
                assert counted.text_content().startswith(count_text(len(listed), lang))
                for page in pages[1:]:
                    assert not parse(page).xpath("//p[@class='count']"), build.rel(page)
                checked += count
    assert checked, "no term of the default content has a numbered page"


# -- 13. root language chooser --------------------------------------------------------------


def test_root_chooser_links_to_every_home_without_script(any_build: Build) -> None:
    build = any_build
    file = build.file("")
    doc = parse(file)
    for script in doc.xpath("//script | //noscript"):
        script.getparent().remove(script)
    assert not doc.xpath("//meta[@http-equiv]"), "the chooser must not redirect by itself"
    targets = set(build.links(doc, file, "//body//a[@href]"))
    for lang in build.languages:
        assert build.file(f"{lang}/") in targets, f"no plain link to the {lang} home"
    expected = {lang: build.url(f"{lang}/") for lang in build.languages}
    assert alternates(doc) == {**expected, "x-default": build.url("")}
