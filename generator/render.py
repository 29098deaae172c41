"""Archive → HTML pages through Jinja2 templates.

Pages are planned first (what exists, in which languages), so that each page knows its
counterparts before any is rendered; templates then receive everything they show.
"""

from __future__ import annotations

import math
import pickle
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from babel.support import Translations

from generator import cache, i18n, parallel, urls
from generator.content import Article
from generator.links import PLACEHOLDER
from generator.model import Archive
from generator.taxonomy import TAXONOMIES
from generator.urls import Urls
from generator.views import ArticleView, Link, article_view, body_html, term_link

TEMPLATES_DIR = Path("templates")
STATIC_DIR = TEMPLATES_DIR / "static"
#: Fragment of a home page that explains "the page you came from has no translation here".
UNTRANSLATED_ANCHOR = "not-translated"

#: Below this many pages to render, starting worker processes costs more than it saves.
PARALLEL_PAGES = 400

#: Identifies "the same page" across languages: ("home", 2), ("article", key), ...
PageId = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Output:
    """One file of the built site."""

    path: str
    #: The bytes, or None when the previous build's file at ``path`` is known to hold them.
    data: bytes | None
    #: Digest of everything the file was made from (see OutputCache).
    key: str = ""


@dataclass(frozen=True, slots=True)
class OutputCache:
    """Decides which outputs must be made again.

    A file's key digests everything it shows: templates receive all they show, so the same
    key means the same bytes, and the file the previous build wrote can be kept.
    """

    #: Digest of what every output depends on: templates, catalogs, generator version.
    salt: str
    #: Path → key of the previous build's files that are still intact on disk.
    previous: Mapping[str, str] = field(default_factory=dict)

    def key(self, path: str, *parts: object) -> str:
        """The key of ``path`` made from ``parts`` (plain data: strings, dataclasses, dicts)."""
        return cache.digest(self.salt, path, pickle.dumps(parts, protocol=5))

    def unchanged(self, path: str, key: str) -> bool:
        """True when the file already at ``path`` was made from the same key."""
        return self.previous.get(path) == key

    def produce(self, path: str, key: str, make: Callable[[], bytes]) -> Output:
        """Return the output at ``path``, calling ``make`` only if the key changed."""
        if self.unchanged(path, key):
            return Output(path, None, key)
        return Output(path, make(), key)


@dataclass(frozen=True, slots=True)
class Alternate:
    """A <link rel="alternate" hreflang> target."""

    hreflang: str
    url: str


@dataclass(frozen=True, slots=True)
class SwitchTarget:
    """Where the language switcher leads for one other language."""

    lang: str
    #: The language's name in itself ('English', '한국어').
    name: str
    url: str
    #: False when this page has no translation and the link leads to that language's home.
    translated: bool


@dataclass(frozen=True, slots=True)
class FeedRef:
    """A feed that concerns a page (autodiscovery)."""

    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Nav:
    """Site-wide links of one language."""

    home: str
    sectors: str
    people: str
    feed: str
    root: str
    stylesheet: str


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What every page's <head> and header show."""

    lang: str
    #: The page language's name in itself, for sentences about it.
    language_name: str
    title: str
    site_title: str
    description: str
    canonical: str
    alternates: tuple[Alternate, ...]
    switch: tuple[SwitchTarget, ...]
    feeds: tuple[FeedRef, ...]
    nav: Nav


@dataclass(frozen=True, slots=True)
class Pager:
    """Position in a paginated list."""

    number: int
    count: int
    prev_url: str | None
    next_url: str | None


@dataclass(frozen=True, slots=True)
class TermEntry:
    """One line of a sector or people index."""

    link: Link
    detail: str
    count: int
    count_text: str


@dataclass(slots=True)
class PlannedPage:
    """A page decided on but not yet rendered."""

    id: PageId
    lang: str
    path: str
    template: str
    title: str
    feeds: tuple[FeedRef, ...]
    #: Plain data the template shows, besides the articles below.
    context: dict[str, Any] = field(default_factory=dict)
    #: Articles the page lists (as the template's ``articles``), None on pages with no list.
    listed: tuple[Article, ...] | None = None
    #: The article the page is about (as the template's ``article`` and ``body``).
    article: Article | None = None


def make_environment(source: Path, translations: Translations) -> jinja2.Environment:
    """A Jinja2 environment for one language: templates compiled once, gettext installed."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(source / TEMPLATES_DIR),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    return env


def page_count(items: int, size: int) -> int:
    """Pages needed for ``items`` at ``size`` per page (an empty list still has one page)."""
    return max(1, math.ceil(items / size))


class PageRenderer:
    """Renders every HTML page of an archive."""

    def __init__(
        self,
        archive: Archive,
        environments: Mapping[str, jinja2.Environment],
        translations: Mapping[str, Translations],
        outputs: OutputCache,
    ) -> None:
        self.archive = archive
        self.outputs = outputs
        self.settings = archive.settings
        self.envs = environments
        self.translations = translations
        self.link = Urls(self.settings.base_url, self.settings.base_path)
        self._views: dict[str, ArticleView] = {}

    # -- planning -----------------------------------------------------------------------

    def plan(self) -> list[PlannedPage]:
        """Decide every page of every language, with the data it shows."""
        pages: list[PlannedPage] = []
        for lang in self.settings.languages:
            pages.extend(self._home_pages(lang))
            pages.extend(self._article_pages(lang))
            for taxonomy in TAXONOMIES:
                pages.append(self._term_index_page(lang, taxonomy.key))
                for term_id in self.archive.terms[taxonomy.key]:
                    pages.extend(self._term_pages(lang, taxonomy.key, term_id))
        return pages

    def feed_title(self, lang: str, term_name: str | None = None) -> str:
        """The title of a language's feed, or of one term's feed."""
        site = self.settings.title[lang]
        if term_name is None:
            return site
        text: str = self.translations[lang].gettext("%(site)s: %(term)s")
        return text % {"site": site, "term": term_name}

    def _site_feed(self, lang: str) -> FeedRef:
        return FeedRef(self.feed_title(lang), self.link.absolute(urls.feed(lang)))

    def _term_feed(self, lang: str, taxonomy: str, term_id: str) -> FeedRef:
        term = self.archive.term(taxonomy, term_id)
        return FeedRef(
            self.feed_title(lang, term.name[lang]),
            self.link.absolute(urls.term_feed(lang, taxonomy, term_id)),
        )

    def _paginate(
        self, articles: Sequence[Article], path_of: Any
    ) -> Iterator[tuple[Pager, tuple[Article, ...]]]:
        size = self.settings.page_size
        count = page_count(len(articles), size)
        for number in range(1, count + 1):
            chunk = articles[(number - 1) * size : number * size]
            pager = Pager(
                number=number,
                count=count,
                prev_url=self.link.link(path_of(number - 1)) if number > 1 else None,
                next_url=self.link.link(path_of(number + 1)) if number < count else None,
            )
            yield pager, tuple(chunk)

    def view(self, article: Article) -> ArticleView:
        """The display form of ``article``, built once however many lists show it."""
        view = self._views.get(article.path)
        if view is None:
            view = self._views[article.path] = article_view(article, self.archive, self.link)
        return view

    def _home_pages(self, lang: str) -> Iterator[PlannedPage]:
        articles = self.archive.articles[lang]
        for pager, listed in self._paginate(articles, lambda n: urls.home(lang, n)):
            yield PlannedPage(
                id=("home", pager.number),
                lang=lang,
                path=urls.home(lang, pager.number),
                template="home.html",
                title=self.settings.title[lang],
                feeds=(self._site_feed(lang),),
                context={"pager": pager},
                listed=listed,
            )

    def _article_pages(self, lang: str) -> Iterator[PlannedPage]:
        for article in self.archive.articles[lang]:
            feeds = (
                self._site_feed(lang),
                *(self._term_feed(lang, "sectors", s) for s in article.meta.sectors),
                *(self._term_feed(lang, "people", p) for p in article.meta.people),
            )
            yield PlannedPage(
                id=("article", article.key),
                lang=lang,
                path=urls.article(article),
                template="article.html",
                title=article.title,
                feeds=feeds,
                article=article,
            )

    def _term_index_page(self, lang: str, taxonomy: str) -> PlannedPage:
        entries = []
        for term in self.archive.terms[taxonomy].values():
            count = len(self.archive.articles_of(taxonomy, term.id, lang))
            entries.append(
                TermEntry(
                    term_link(term, lang, self.link),
                    term.detail[lang],
                    count,
                    i18n.number(count, lang),
                )
            )
        entries.sort(key=lambda e: e.link.text)
        gettext = self.translations[lang].gettext
        title: str = gettext("Sectors") if taxonomy == "sectors" else gettext("People")
        return PlannedPage(
            id=("terms", taxonomy),
            lang=lang,
            path=urls.term_index(lang, taxonomy),
            template="terms.html",
            title=title,
            feeds=(self._site_feed(lang),),
            context={"taxonomy": taxonomy, "entries": entries},
        )

    def _term_pages(self, lang: str, taxonomy: str, term_id: str) -> Iterator[PlannedPage]:
        term = self.archive.term(taxonomy, term_id)
        articles = self.archive.articles_of(taxonomy, term_id, lang)
        feed = self._term_feed(lang, taxonomy, term_id)
        for pager, listed in self._paginate(
            articles, lambda n: urls.term(lang, taxonomy, term_id, n)
        ):
            yield PlannedPage(
                id=("term", taxonomy, term_id, pager.number),
                lang=lang,
                path=urls.term(lang, taxonomy, term_id, pager.number),
                template="term.html",
                title=term.name[lang],
                feeds=(self._site_feed(lang), feed),
                context={
                    "taxonomy": taxonomy,
                    "term": {
                        "name": term.name[lang],
                        "detail": term.detail[lang],
                        "feed_url": feed.url,
                    },
                    "count": len(articles),
                    "count_text": i18n.number(len(articles), lang),
                    "pager": pager,
                },
                listed=listed,
            )

    # -- rendering ----------------------------------------------------------------------

    def render(self) -> list[Output]:
        """Render every planned page (on all cores when there are many) and the chooser."""
        pages = self.plan()
        by_id: dict[PageId, dict[str, str]] = defaultdict(dict)
        for page in pages:
            by_id[page.id][page.lang] = page.path
        keyed = [(urls.output_file(page.path), self._page_key(page, by_id)) for page in pages]
        stale = [i for i, (path, key) in enumerate(keyed) if not self.outputs.unchanged(path, key)]
        made = dict(zip(stale, self._make_pages(pages, by_id, stale), strict=True))
        outputs = [Output(path, made.get(i), key) for i, (path, key) in enumerate(keyed)]
        outputs.append(self._render_chooser())
        return outputs

    def _make_pages(
        self,
        pages: Sequence[PlannedPage],
        by_id: Mapping[PageId, Mapping[str, str]],
        which: list[int],
    ) -> list[bytes]:
        workers = parallel.worker_count(len(which), threshold=PARALLEL_PAGES)
        if workers == 1:
            return [self._make_page(pages[i], by_id) for i in which]
        return parallel.map_forked(
            lambda i: self._make_page(pages[i], by_id), which, workers=workers
        )

    def _fallback(self, page_id: PageId, lang: str) -> tuple[str, bool]:
        """Where the switcher leads when ``page_id`` does not exist in ``lang``."""
        kind = page_id[0]
        if kind == "term":
            return urls.term(lang, str(page_id[1]), str(page_id[2])), True
        if kind == "home":
            return urls.home(lang), True
        return urls.home(lang) + "#" + UNTRANSLATED_ANCHOR, False

    def _meta(self, page: PlannedPage, by_id: Mapping[PageId, Mapping[str, str]]) -> PageMeta:
        versions = by_id[page.id]
        default = self.settings.default_language
        # The first home page defers to the root language chooser (which lists exactly the
        # first home pages); every other page to its version in the default language.
        x_default = "" if page.id == ("home", 1) else versions.get(default, page.path)
        alternates = [
            Alternate(lang, self.link.absolute(versions[lang]))
            for lang in self.settings.languages
            if lang in versions
        ]
        alternates.append(Alternate("x-default", self.link.absolute(x_default)))
        switch = []
        for lang in self.settings.languages:
            if lang == page.lang:
                continue
            if lang in versions:
                target, translated = versions[lang], True
            else:
                target, translated = self._fallback(page.id, lang)
            switch.append(
                SwitchTarget(lang, i18n.language_name(lang), self.link.link(target), translated)
            )
        lang = page.lang
        return PageMeta(
            lang=lang,
            language_name=i18n.language_name(lang),
            title=page.title,
            site_title=self.settings.title[lang],
            description=self.settings.description[lang],
            canonical=self.link.absolute(page.path),
            alternates=tuple(alternates),
            switch=tuple(switch),
            feeds=page.feeds,
            nav=self._nav(lang),
        )

    def _nav(self, lang: str) -> Nav:
        return Nav(
            home=self.link.link(urls.home(lang)),
            sectors=self.link.link(urls.term_index(lang, "sectors")),
            people=self.link.link(urls.term_index(lang, "people")),
            feed=self.link.link(urls.feed(lang)),
            root=self.link.link(""),
            stylesheet=self.link.link("static/style.css"),
        )

    def _page_key(self, page: PlannedPage, by_id: Mapping[PageId, Mapping[str, str]]) -> str:
        # The page's <head> and header follow from these and the settings (in the salt);
        # plain tuples pickle far faster than the PageMeta made from them.
        versions = sorted(by_id[page.id].items())
        feeds = [(f.title, f.url) for f in page.feeds]
        return self.outputs.key(
            urls.output_file(page.path), page.template, page.title, versions, feeds,
            page.context, *self._fingerprints(page),
        )  # fmt: skip

    def _make_page(self, page: PlannedPage, by_id: Mapping[PageId, Mapping[str, str]]) -> bytes:
        meta = self._meta(page, by_id)
        context = dict(page.context)
        if page.listed is not None:
            context["articles"] = [self.view(a) for a in page.listed]
        if page.article is not None:
            context["article"] = self.view(page.article)
            context["body"] = body_html(page.article, self.archive, self.link)
        template = self.envs[page.lang].get_template(page.template)
        return template.render(page=meta, **context).encode("utf-8")

    def _fingerprints(self, page: PlannedPage) -> tuple[str, ...]:
        """Stand-ins for the articles a page shows: their file digests (registries, settings
        and templates are in the salt), plus the resolved body where it links elsewhere."""
        prints = tuple(a.source_digest for a in page.listed or ())
        article = page.article
        if article is None:
            return prints
        body = (
            cache.digest(body_html(article, self.archive, self.link))
            if PLACEHOLDER in article.body_html
            else ""
        )
        return (*prints, article.source_digest, body)

    def _render_chooser(self) -> Output:
        languages = self.settings.languages
        homes = [
            {
                "lang": lang,
                "name": i18n.language_name(lang),
                "title": self.settings.title[lang],
                "description": self.settings.description[lang],
                "url": self.link.link(urls.home(lang)),
                "feed": self.link.link(urls.feed(lang)),
                "feed_title": self.feed_title(lang),
                "feed_absolute": self.link.absolute(urls.feed(lang)),
            }
            for lang in languages
        ]
        alternates = [Alternate(lang, self.link.absolute(urls.home(lang))) for lang in languages]
        alternates.append(Alternate("x-default", self.link.absolute("")))
        context = {
            "lang": self.settings.default_language,
            "homes": homes,
            "alternates": alternates,
            "canonical": self.link.absolute(""),
            "stylesheet": self.link.link("static/style.css"),
        }
        template = self.envs[self.settings.default_language].get_template("chooser.html")
        return self.outputs.produce(
            "index.html",
            self.outputs.key("index.html", "chooser.html", context),
            lambda: template.render(**context).encode("utf-8"),
        )

    def static_files(self, source: Path) -> list[Output]:
        """Copy templates/static/* (stylesheet and the like) to static/."""
        root = source / STATIC_DIR
        if not root.is_dir():
            return []
        outputs = []
        for file in sorted(root.rglob("*")):
            if file.is_file():
                path = "static/" + file.relative_to(root).as_posix()
                data = file.read_bytes()
                outputs.append(
                    self.outputs.produce(path, cache.digest(path, data), partial(bytes, data))
                )
        return outputs
