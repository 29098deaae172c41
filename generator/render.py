"""Archive → HTML pages through Jinja2 templates.

Pages are planned first (what exists, in which languages), so that each page knows its
counterparts before any is rendered; templates then receive everything they show.
"""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from babel.support import Translations
from markupsafe import Markup

from generator import i18n, metadata, reading
from generator.archive import ArchivePlanner
from generator.build import cache, parallel
from generator.content.article import Article
from generator.content.library import Archive
from generator.content.links import PLACEHOLDER
from generator.content.registry import TAXONOMIES
from generator.core.errors import BuildFailed, ContentError
from generator.core.files import SiteDir, decode_text
from generator.opml import feed_directory
from generator.pages import (
    Alternate,
    FeedRef,
    Nav,
    NewestArticle,
    OpenGraph,
    PageId,
    PageMeta,
    PlannedPage,
    SwitchTarget,
    TermEntry,
    paginate,
)
from generator.related import more_on, neighbours
from generator.site import urls
from generator.site.urls import Urls
from generator.views import ArticleView, Link, article_view, body_html, term_link

TEMPLATES_DIR = Path("templates")
STATIC_DIR = TEMPLATES_DIR / "static"
#: Fragment of a home page that explains "the page you came from has no translation here".
UNTRANSLATED_ANCHOR = "not-translated"

#: Below this many pages to render, starting worker processes costs more than it saves.
PARALLEL_PAGES = 400

#: Pages whose x-default is a page at the root (in no one language) instead of their version
#: in the default language: the first home defers to the chooser, the 404s to the root 404.
ROOT_DEFAULTS: Mapping[PageId, str] = {("home", 1): "", ("not-found",): urls.not_found()}


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


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates shared by every environment of this process, by name and source.

    Each language has its own environment, and `pressroom serve` and the tests build many
    times in one process: compiling the templates cost more than rendering a small site. The
    compiled code depends only on a template's source and on the environment's options, which
    make_environment sets alike for all; a changed source has another checksum and is compiled.
    """

    #: Compiled templates kept (the least recently used go first).
    LIMIT = 256

    def __init__(self) -> None:
        self._store: OrderedDict[tuple[str, str | None], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        """The template's name alone: the same template in another site directory is shared."""
        return name

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill ``bucket`` with the code compiled from the same source, if any."""
        with self._lock:
            data = self._store.get((bucket.key, bucket.checksum))
            if data is not None:
                self._store.move_to_end((bucket.key, bucket.checksum))
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep ``bucket``'s freshly compiled code."""
        data = bucket.bytecode_to_string()
        with self._lock:
            self._store[(bucket.key, bucket.checksum)] = data
            while len(self._store) > self.LIMIT:
                self._store.popitem(last=False)


_COMPILED = CompiledTemplates()


#: A template is a few kilobytes; a file near this is a mistake.
MAX_TEMPLATE_BYTES = 1024 * 1024
#: Files under templates/static/ are stylesheets, scripts and icons.
MAX_STATIC_BYTES = 20 * 1024 * 1024


class TemplateInputError(Exception):
    """A template file that cannot be read (outside the site, not UTF-8 …)."""

    def __init__(self, error: ContentError) -> None:
        super().__init__(str(error))
        self.error = error


class SiteTemplates(jinja2.BaseLoader):
    """Loads templates from templates/ through the site directory's gate (see files.py), so
    that a template, or one it includes, linked to a file outside the site is refused."""

    def __init__(self, site: SiteDir) -> None:
        self.site = site

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        """The source of ``template``, its file name (for errors) and an up-to-date check."""
        pieces = jinja2.loaders.split_template_path(template)  # refuses "..": TemplateNotFound
        rel = "/".join((TEMPLATES_DIR.as_posix(), *pieces))
        data = self.site.read(rel, limit=MAX_TEMPLATE_BYTES)
        if data is None:
            raise jinja2.TemplateNotFound(template)
        text = data if isinstance(data, ContentError) else decode_text(data, rel)
        if isinstance(text, ContentError):
            raise TemplateInputError(text)
        # An environment lives for one build: what it loaded stays current for that long.
        return text, str(self.site.source / rel), lambda: True


def check_templates(site: SiteDir) -> list[ContentError]:
    """Every file under templates/ that cannot be read, and every template that does not
    parse, each at its line: found while the content is read, so that one run reports them
    together with the content's mistakes."""
    found, errors = site.walk(TEMPLATES_DIR.as_posix())
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    for file in found:
        if not file.rel.endswith((".html", ".xml")) or file.rel.startswith(f"{STATIC_DIR}/"):
            continue
        data = site.read(file.rel, limit=MAX_TEMPLATE_BYTES)
        text = data if not isinstance(data, bytes) else decode_text(data, file.rel)
        if not isinstance(text, str):
            errors.append(text or ContentError(file.rel, 0, "disappeared during the build"))
            continue
        try:
            env.parse(text, name=file.rel)
        except jinja2.TemplateSyntaxError as exc:
            errors.append(ContentError(file.rel, exc.lineno, exc.message or "syntax error"))
    return errors


def make_environment(site: SiteDir, translations: Translations) -> jinja2.Environment:
    """A Jinja2 environment for one language: templates compiled once, gettext installed."""
    env = jinja2.Environment(
        loader=SiteTemplates(site),
        bytecode_cache=_COMPILED,
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    env.filters["plain_text"] = plain_text
    return env


#: Characters written as hexadecimal references in XML that holds plain text.
_PLAIN_TEXT = str.maketrans({"&": "&#x26;", "<": "&#x3C;", ">": "&#x3E;", '"': "&#x22;"})


def plain_text(value: object) -> Markup:
    """Text for an RSS or OPML element or attribute that a reader may show as HTML.

    RSS never said whether <title> or <category> may hold HTML, and readers differ: the RSS
    Best Practices Profile's answer, hexadecimal references for &, < and >, reads as the same
    plain text in readers that take the text as it is and in those that render it as HTML.
    """
    return Markup(str(value).translate(_PLAIN_TEXT))


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """A planned page with its output path and key, and its bytes when they were made."""

    page: PlannedPage
    output: Output


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
        self._archive_pages = ArchivePlanner(archive, self.link, translations, self._site_feed)
        #: Every page with its rendered output, once render() has run.
        self.rendered: list[RenderedPage] = []
        self._by_id: dict[PageId, dict[str, str]] = {}

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
            pages.extend(self._archive_pages.pages(lang))
            pages.append(self._feeds_page(lang))
            if self.settings.search:
                pages.append(self._search_page(lang))
            pages.append(self._not_found_page(lang))
        return pages

    def gettext(self, message: str, lang: str) -> str:
        """An interface string in ``lang`` (message first, where string extraction looks)."""
        text: str = self.translations[lang].gettext(message)
        return text

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

    def view(self, article: Article) -> ArticleView:
        """The display form of ``article``, built once however many lists show it."""
        view = self._views.get(article.path)
        if view is None:
            view = self._views[article.path] = article_view(article, self.archive, self.link)
        return view

    def _home_pages(self, lang: str) -> Iterator[PlannedPage]:
        articles = self.archive.articles[lang]
        path_of = partial(urls.home, lang)
        for pager, listed in paginate(articles, self.settings.page_size, path_of, self.link):
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
        ordered = self.archive.articles[lang]
        for index, article in enumerate(ordered):
            feeds = (
                self._site_feed(lang),
                *(self._term_feed(lang, "sectors", s) for s in article.meta.sectors),
                *(self._term_feed(lang, "people", p) for p in article.meta.people),
            )
            # Neighbours and counts come from other articles: they are keyed as context.
            context = {
                "breadcrumb": self._archive_pages.article_trail(article),
                "neighbours": neighbours(ordered, index, self.link),
                "more": more_on(article, self.archive, self.link),
            }
            yield PlannedPage(
                id=("article", article.key),
                lang=lang,
                path=urls.article(article),
                template="article.html",
                title=article.title,
                feeds=feeds,
                context=context,
                article=article,
                description=article.summary,
            )

    def _newest(self, taxonomy: str, term_id: str, lang: str) -> NewestArticle | None:
        articles = self.archive.articles_of(taxonomy, term_id, lang)
        if not articles:
            return None
        view = self.view(articles[0])
        return NewestArticle(Link(view.title, view.url), view.date_iso, view.date_text)

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
                    self._newest(taxonomy, term.id, lang),
                )
            )
        entries.sort(key=lambda e: e.link.text)
        title = (
            self.gettext("Sectors", lang) if taxonomy == "sectors" else self.gettext("People", lang)
        )
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
        path_of = partial(urls.term, lang, taxonomy, term_id)
        for pager, listed in paginate(articles, self.settings.page_size, path_of, self.link):
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
                description=term.detail[lang],
            )

    def feed_headings(self, lang: str) -> dict[str, str]:
        """Names of the feed groups (the whole archive, sectors, people) in ``lang``."""
        return {
            "site": self.gettext("The whole archive", lang),
            "sectors": self.gettext("Sectors", lang),
            "people": self.gettext("People", lang),
        }

    def _feeds_page(self, lang: str) -> PlannedPage:
        headings = self.feed_headings(lang)
        return PlannedPage(
            id=("feeds",),
            lang=lang,
            path=urls.feed_list(lang),
            template="feeds.html",
            title=self.gettext("Feeds", lang),
            feeds=(self._site_feed(lang),),
            context={
                "groups": feed_directory(self.archive, lang, self.feed_title, headings),
                "opml_url": self.link.link(urls.opml(lang)),
            },
        )

    def _search_page(self, lang: str) -> PlannedPage:
        bundle = urls.search_bundle(lang)
        return PlannedPage(
            id=("search",),
            lang=lang,
            path=urls.search(lang),
            template="search.html",
            title=self.gettext("Search", lang),
            feeds=(self._site_feed(lang),),
            context={
                "search": {
                    "stylesheet": self.link.link(bundle + "pagefind-ui.css"),
                    "script": self.link.link(bundle + "pagefind-ui.js"),
                    "start": self.link.link("static/search.js"),
                }
            },
        )

    def _not_found_page(self, lang: str) -> PlannedPage:
        return PlannedPage(
            id=("not-found",),
            lang=lang,
            path=urls.not_found(lang),
            template="404.html",
            title=self.gettext("Page not found", lang),
            feeds=(self._site_feed(lang),),
            noindex=True,
        )

    # -- rendering ----------------------------------------------------------------------

    def render(self) -> list[Output]:
        """Render every planned page (on all cores when there are many)."""
        pages = self.plan()
        by_id: dict[PageId, dict[str, str]] = defaultdict(dict)
        for page in pages:
            by_id[page.id][page.lang] = page.path
        self._by_id = by_id
        keyed = [(urls.output_file(page.path), self._page_key(page, by_id)) for page in pages]
        stale = [i for i, (path, key) in enumerate(keyed) if not self.outputs.unchanged(path, key)]
        made = dict(zip(stale, self._make_pages(pages, by_id, stale), strict=True))
        outputs = [Output(path, made.get(i), key) for i, (path, key) in enumerate(keyed)]
        self.rendered = [RenderedPage(p, o) for p, o in zip(pages, outputs, strict=True)]
        return outputs

    def alternates(self, page: PlannedPage) -> tuple[Alternate, ...]:
        """The hreflang alternates of a planned page (after render())."""
        return self._alternates(page, self._by_id)

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
        """The link of the switcher when ``page_id`` does not exist in ``lang``, and whether it
        leads to a version of the page at all."""
        kind = page_id[0]
        if kind == "term":
            return self.link.link(urls.term(lang, str(page_id[1]), str(page_id[2]))), True
        if kind == "home":
            return self.link.link(urls.home(lang)), True
        return self.link.link(urls.home(lang), UNTRANSLATED_ANCHOR), False

    def _alternates(
        self, page: PlannedPage, by_id: Mapping[PageId, Mapping[str, str]]
    ) -> tuple[Alternate, ...]:
        versions = by_id[page.id]
        default = self.settings.default_language
        x_default = ROOT_DEFAULTS.get(page.id, versions.get(default, page.path))
        alternates = [
            Alternate(lang, self.link.absolute(versions[lang]))
            for lang in self.settings.languages
            if lang in versions
        ]
        alternates.append(Alternate("x-default", self.link.absolute(x_default)))
        return tuple(alternates)

    def _switch(self, page: PlannedPage, versions: Mapping[str, str]) -> tuple[SwitchTarget, ...]:
        switch = []
        for lang in self.settings.languages:
            if lang == page.lang:
                continue
            if lang in versions:
                target, translated = self.link.link(versions[lang]), True
            else:
                target, translated = self._fallback(page.id, lang)
            switch.append(SwitchTarget(lang, i18n.language_name(lang), target, translated))
        return tuple(switch)

    def _open_graph(self, page: PlannedPage, versions: Mapping[str, str]) -> OpenGraph:
        others = tuple(
            metadata.og_locale(lang)
            for lang in self.settings.languages
            if lang in versions and lang != page.lang
        )
        article = page.article
        if article is None:
            return OpenGraph("website", metadata.og_locale(page.lang), others)
        zone = self.settings.zone
        published = article.date.astimezone(zone).isoformat()
        updated = article.meta.updated
        view = self.view(article)
        return OpenGraph(
            type="article",
            locale=metadata.og_locale(page.lang),
            locale_alternates=others,
            published=published,
            modified=updated.astimezone(zone).isoformat() if updated else published,
            tags=tuple(link.text for link in (*view.sectors, *view.people)),
        )

    def _meta(
        self, page: PlannedPage, by_id: Mapping[PageId, Mapping[str, str]], json_ld: str
    ) -> PageMeta:
        versions = by_id[page.id]
        lang = page.lang
        return PageMeta(
            lang=lang,
            language_name=i18n.language_name(lang),
            title=page.title,
            site_title=self.settings.title[lang],
            description=self.settings.description[lang],
            summary=page.description or self.settings.description[lang],
            canonical=self.link.absolute(page.path),
            alternates=self._alternates(page, by_id),
            switch=self._switch(page, versions),
            feeds=page.feeds,
            nav=self._nav(lang),
            og=self._open_graph(page, versions),
            noindex=page.noindex,
            json_ld=json_ld,
        )

    def _nav(self, lang: str) -> Nav:
        return Nav(
            home=self.link.link(urls.home(lang)),
            archive=self.link.link(urls.archive(lang)),
            sectors=self.link.link(urls.term_index(lang, "sectors")),
            people=self.link.link(urls.term_index(lang, "people")),
            search=self.link.link(urls.search(lang)) if self.settings.search else "",
            feeds=self.link.link(urls.feed_list(lang)),
            feed=self.link.link(urls.feed(lang)),
            root=self.link.link(""),
            stylesheet=self.link.link("static/style.css"),
            icon=self.link.link("static/favicon.svg"),
        )

    def _page_key(self, page: PlannedPage, by_id: Mapping[PageId, Mapping[str, str]]) -> str:
        # The page's <head> and header follow from these and the settings (in the salt);
        # plain tuples pickle far faster than the PageMeta made from them.
        versions = sorted(by_id[page.id].items())
        feeds = [(f.title, f.url) for f in page.feeds]
        return self.outputs.key(
            urls.output_file(page.path), page.template, page.title, versions, feeds,
            page.context, page.description, page.noindex, *self.fingerprints(page),
        )  # fmt: skip

    def _make_page(self, page: PlannedPage, by_id: Mapping[PageId, Mapping[str, str]]) -> bytes:
        context = dict(page.context)
        if page.listed is not None:
            context["articles"] = [self.view(a) for a in page.listed]
        if page.article is not None:
            context["article"] = self.view(page.article)
            context["body"] = body_html(page.article, self.archive, self.link)
            context["reading_minutes"] = reading.minutes(page.article.body_html, page.lang)
        meta = self._meta(page, by_id, self._structured_data(page))
        template = self.envs[page.lang].get_template(page.template)
        return template.render(page=meta, **context).encode("utf-8")

    def fingerprints(self, page: PlannedPage) -> tuple[str, ...]:
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

    # -- structured data ----------------------------------------------------------------

    def _publisher(self, lang: str) -> dict[str, Any]:
        return metadata.organization(self.settings.title[lang], self.link.absolute(urls.home(lang)))

    def _website(self, lang: str) -> dict[str, Any]:
        search = self.link.absolute(urls.search(lang)) if self.settings.search else None
        return metadata.website(
            name=self.settings.title[lang],
            description=self.settings.description[lang],
            url=self.link.absolute(urls.home(lang)),
            lang=lang,
            search_url=search,
        )

    def _structured_data(self, page: PlannedPage) -> str:
        """The page's JSON-LD: NewsArticle, CollectionPage or WebSite; "" for other pages."""
        lang = page.lang
        if page.article is not None:
            return metadata.json_ld(self._news_article(page.article))
        if page.template == "home.html":
            return metadata.json_ld({"@context": metadata.SCHEMA, **self._website(lang)})
        if page.listed is not None:
            data = metadata.collection_page(
                name=page.title,
                description=page.description or self.settings.description[lang],
                url=self.link.absolute(page.path),
                lang=lang,
                items=[self.link.absolute(urls.article(a)) for a in page.listed],
                website=self._website(lang),
            )
            return metadata.json_ld(data)
        return ""

    def _news_article(self, article: Article) -> dict[str, Any]:
        lang = article.lang
        view = self.view(article)
        url = self.link.absolute(urls.article(article))
        updated = article.meta.updated
        modified = updated.astimezone(self.settings.zone).isoformat() if updated else view.date_iso

        def absolute(taxonomy: str, term_id: str) -> Link:
            term = self.archive.term(taxonomy, term_id)
            return Link(term.name[lang], self.link.absolute(urls.term(lang, taxonomy, term_id)))

        people = [
            (absolute("people", p), self.archive.term("people", p).detail[lang])
            for p in article.meta.people
        ]
        return metadata.news_article(
            view,
            url=url,
            lang=lang,
            modified_iso=modified,
            sectors=[absolute("sectors", s) for s in article.meta.sectors],
            people=people,
            publisher=self._publisher(lang),
        )

    # -- static files -------------------------------------------------------------------

    def static_files(self, site: SiteDir) -> list[Output]:
        """Copy templates/static/* (stylesheet and the like) to static/."""
        found, errors = site.walk(STATIC_DIR.as_posix())
        outputs = []
        for file in found:
            data = site.read(file.rel, limit=MAX_STATIC_BYTES)
            if not isinstance(data, bytes):
                errors.append(data or ContentError(file.rel, 0, "disappeared during the build"))
                continue
            path = "static/" + file.rel.removeprefix(STATIC_DIR.as_posix() + "/")
            outputs.append(
                self.outputs.produce(path, cache.digest(path, data), partial(bytes, data))
            )
        if errors:
            raise BuildFailed(errors)
        return outputs
