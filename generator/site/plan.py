"""The plan of the site: every product the build makes, and the structure products show.

A *product* is one unit of work: a page, a feed, a search index part, a copied file. The plan
names every product and answers every question about the site's structure that a product may
ask (which articles a list page holds, which languages a page exists in, an article's
neighbours, the terms of an index). It is derived from the library alone, never changes once
made, and needs no rendering: ``check`` validates links against it.

Each structural answer is also a *fact* (see build/incremental.py): ``build.facts.
structure_facts`` gives the digest of every answer a product can ask for, so that a product
reading one is remade exactly when that answer changes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property

from generator.content.library import Library
from generator.content.placement import Placement
from generator.content.registry import TAXONOMIES
from generator.site import paging, urls
from generator.site.factids import compact_json
from generator.site.paging import Listing

#: Identifies "the same page" across languages: ("home", 0), ("article", key), ...
PageId = tuple[str | int, ...]
Param = str | int
#: A sitemap page: its path, page id, (language, path) of its versions, its last change.
SitemapEntry = tuple[str, PageId, tuple[tuple[str, str], ...], float | None]


@dataclass(frozen=True, slots=True)
class Product:
    """One thing the build makes, by the kind of its producer and that producer's params."""

    kind: str
    params: tuple[Param, ...] = ()

    @property
    def id(self) -> str:
        """A stable name for the store: ``[kind, *params]`` as compact JSON."""
        return compact_json((self.kind, *self.params))

    @classmethod
    def from_id(cls, product_id: str) -> Product:
        """The product ``id`` names."""
        kind, *params = json.loads(product_id)
        return cls(kind, tuple(params))


#: Products that are pages of one language, by kind: what their PageId is made of.
LIST_KINDS = ("home", "term")


class SitePlan:
    """Every product of one site, and the structure they show."""

    def __init__(self, library: Library, static: tuple[str, ...] = ()) -> None:
        self.library = library
        self.settings = library.settings
        self.languages = library.settings.languages
        #: Files under templates/static/ (site-relative).
        self.static = static
        #: How many articles of each list are in no version in its language (see _listing).
        self._foreign: dict[tuple[Param, ...], int] = {}
        #: Asked for by the facts, the sitemap and pages alike (the plan does not change).
        self._versions: dict[PageId, dict[str, str]] = {}

    # -- products -----------------------------------------------------------------------

    def products(self) -> Iterator[Product]:
        """Every product, in a fixed order."""
        settings = self.settings
        for lang in self.languages:
            for number in range(self.home(lang, 0).pages + 1):
                yield Product("home", (lang, number))
            for article in self.library.articles[lang]:
                yield Product("article", (article.path,))
            for taxonomy in TAXONOMIES:
                yield Product("terms", (lang, taxonomy.key))
                for term_id in self.used_terms(taxonomy.key):
                    for number in range(self.term(lang, taxonomy.key, term_id, 0).pages + 1):
                        yield Product("term", (lang, taxonomy.key, term_id, number))
                    yield Product("term-feed", (lang, taxonomy.key, term_id))
            yield Product("archive", (lang,))
            for year in self.years():
                yield Product("year", (lang, year))
            for year, month in self.months():
                yield Product("month", (lang, year, month))
            yield Product("feeds", (lang,))
            yield Product("feed", (lang,))
            yield Product("opml", (lang,))
            if settings.search:
                yield Product("search-page", (lang,))
                yield from self._search_index(lang)
            yield Product("not-found", (lang,))
        yield Product("chooser")
        yield Product("root-404")
        yield Product("sitemap")
        yield Product("robots")
        for rel in self.static:
            yield Product("static", (rel,))
        for target in self.media():
            yield Product("media", (target,))

    def search_products(self) -> Iterator[Product]:
        """The search index's products (``products`` has them too), planning nothing else."""
        if not self.settings.search:
            return
        for lang in self.languages:
            yield from self._search_index(lang)

    def _search_index(self, lang: str) -> Iterator[Product]:
        """The search interface of ``lang`` and every part of its index."""
        yield Product("search-ui", (lang,))
        for bucket in self.buckets(lang):
            yield Product("search", (lang, bucket))

    def media(self) -> list[str]:
        """Local files published as they are: articles' images and links, the share image."""
        found = set(self.library.media())
        if self.settings.share_image:
            found.add(self.settings.share_image)
        return sorted(found)

    def output_paths(self) -> set[str]:
        """Every file the products write, but the search index's (see output_folders)."""
        found = set()
        for product in self.products():
            kind, params = product.kind, product.params
            if kind in PAGE_KINDS:
                found.add(urls.output_file(self.page_path(product)))
            elif kind == "feed":
                found.add(urls.feed(str(params[0])))
            elif kind == "term-feed":
                found.add(urls.term_feed(*(str(p) for p in params)))
            elif kind == "opml":
                found.add(urls.opml(str(params[0])))
                found.update(
                    urls.opml(str(params[0]), t.key) for t in TAXONOMIES if self.used_terms(t.key)
                )
            elif kind == "static":
                found.add("static/" + str(params[0]).split("/", 2)[2])
            elif kind == "media":
                found.add(urls.media(str(params[0])))
        found.update(("index.html", urls.not_found(), urls.SITEMAP, urls.ROBOTS))
        return found

    def output_folders(self) -> tuple[str, ...]:
        """Folders whose files the plan's products write without naming them in advance."""
        if not self.settings.search:
            return ()
        return tuple(urls.search_bundle(lang) for lang in self.languages)

    def page_id(self, product: Product) -> PageId:
        """What makes a page "the same page" in every language."""
        kind, params = product.kind, product.params
        if kind == "article":
            return ("article", self.library.by_path[str(params[0])].key)
        if kind in ("year", "month"):
            return ("archive", *params[1:])
        return (kind, *params[1:])

    def page_path(self, product: Product) -> str:
        """The path of a page product ("ko/articles/2025/x/", "en/404.html")."""
        kind, params = product.kind, product.params
        lang = str(params[0]) if params else ""
        if kind == "article":
            return urls.article(self.library.by_path[str(params[0])])
        paths: dict[str, Callable[[], str]] = {
            "home": lambda: urls.home(lang, int(params[1])),
            "term": lambda: urls.term(lang, str(params[1]), str(params[2]), int(params[3])),
            "terms": lambda: urls.term_index(lang, str(params[1])),
            "archive": lambda: urls.archive(lang),
            "year": lambda: urls.archive(lang, int(params[1])),
            "month": lambda: urls.archive(lang, int(params[1]), int(params[2])),
            "feeds": lambda: urls.feed_list(lang),
            "search-page": lambda: urls.search(lang),
            "not-found": lambda: urls.not_found(lang),
        }
        return paths[kind]()

    def lang_of(self, product: Product) -> str:
        """The language of a product of one language."""
        if product.kind == "article":
            return self.library.by_path[str(product.params[0])].lang
        return str(product.params[0])

    # -- structure: each method's answer is a fact -----------------------------------------

    def home(self, lang: str, number: int) -> Listing:
        """Page ``number`` of a language's home (0: its first page; see Listing)."""
        return self._listing(("home", lang), self.library.listed[lang], number, lang)

    def term(self, lang: str, taxonomy: str, term_id: str, number: int) -> Listing:
        """Page ``number`` of one term's list in ``lang`` (0: its first page)."""
        found = self.library.listed_of(taxonomy, term_id, lang)
        return self._listing(("term", taxonomy, term_id, lang), found, number, lang)

    def month(self, lang: str, year: int, month: int) -> Listing:
        """One month's articles in ``lang`` (on one page)."""
        found = self.library.calendars[lang].get(year, {}).get(month, ())
        return self._listing(("month", lang, year, month), found, 0, lang, size=max(1, len(found)))

    def year(self, lang: str, year: int) -> tuple[tuple[int, tuple[str, ...]], ...]:
        """Every month of ``year`` with an article in any language, newest first, with the
        articles ``lang``'s month page lists (those in ``lang``, and those in another language
        only)."""
        calendar = self.library.calendars[lang].get(year, {})
        return tuple(
            (m, tuple(a.path for a in calendar.get(m, ()))) for y, m in self.months() if y == year
        )

    def calendar(self, lang: str) -> tuple[tuple[int, tuple[tuple[int, int], ...]], ...]:
        """The archive index of ``lang``: each year, newest first, with each month's count."""
        calendar = self.library.calendars[lang]
        return tuple(
            (
                year,
                tuple(
                    (m, len(calendar.get(year, {}).get(m, ())))
                    for y, m in self.months()
                    if y == year
                ),
            )
            for year in self.years()
        )

    def months(self) -> tuple[tuple[int, int], ...]:
        """Every (year, month) with an article in any language, newest first."""
        return self.library.months

    def years(self) -> tuple[int, ...]:
        """Every year with an article in any language, newest first."""
        return tuple(sorted({y for y, _ in self.library.months}, reverse=True))

    def feed(self, lang: str, taxonomy: str = "", term_id: str = "") -> tuple[str, ...]:
        """The newest articles a feed carries (the whole archive's, or one term's)."""
        found = (
            self.library.articles_of(taxonomy, term_id, lang)
            if taxonomy
            else self.library.articles[lang]
        )
        return tuple(a.path for a in found[: self.settings.feed_length])

    def used_terms(self, taxonomy: str) -> tuple[str, ...]:
        """The ids of a taxonomy's terms that at least one published article names."""
        return tuple(self.library.terms[taxonomy])

    def term_index(self, lang: str, taxonomy: str) -> tuple[tuple[str, int, int, str | None], ...]:
        """Each used term of a taxonomy: its id, how many of its articles ``lang`` lists, how
        many of those have no version in ``lang``, and its newest article in ``lang``."""
        rows = []
        for term_id in self.used_terms(taxonomy):
            listed = self.library.listed_of(taxonomy, term_id, lang)
            own = self.library.articles_of(taxonomy, term_id, lang)
            foreign = sum(1 for a in listed if a.lang != lang)
            rows.append((term_id, len(listed), foreign, own[0].path if own else None))
        return tuple(rows)

    def term_months(
        self, lang: str, taxonomy: str, term_id: str
    ) -> tuple[tuple[int, int, int], ...]:
        """(year, month, count) of every month with an article ``lang``'s page of a term
        lists, oldest first (the term page's chart)."""
        counts: dict[tuple[int, int], int] = {}
        for article in self.library.listed_of(taxonomy, term_id, lang):
            counts[(article.year, article.month)] = counts.get((article.year, article.month), 0) + 1
        return tuple((year, month, n) for (year, month), n in sorted(counts.items()))

    def versions(self, page_id: PageId) -> dict[str, str]:
        """Language → path of the page ``page_id`` in every language that has it."""
        key = tuple(page_id)  # a fact's arguments come back from JSON as a list
        found = self._versions.get(key)
        if found is None:
            found = self._versions[key] = self._versions_of(key)
        return dict(found)

    def _versions_of(self, page_id: PageId) -> dict[str, str]:
        kind, *rest = page_id
        if kind == "article":
            return {
                lang: urls.article(a) for lang, a in self.library.translations[str(rest[0])].items()
            }
        found = {}
        for lang in self.languages:
            if kind == "home" and int(rest[0]) > self.home(lang, 0).pages:
                continue
            if (
                kind == "term"
                and int(rest[2]) > self.term(lang, str(rest[0]), str(rest[1]), 0).pages
            ):
                continue
            product_kind = ("archive", "year", "month")[len(rest)] if kind == "archive" else kind
            found[lang] = self.page_path(Product(str(product_kind), (lang, *rest)))
        return found

    def neighbours(self, path: str) -> tuple[str | None, str | None]:
        """The older and the newer article beside one, in its language."""
        older, newer = self.library.neighbours(self.library.by_path[path])
        return (older.path if older else None, newer.path if newer else None)

    def buckets(self, lang: str) -> tuple[str, ...]:
        """The parts a language's search index is made of, newest first.

        Pagefind cannot update an index, so an edit re-indexes the part holding the article.
        Archives grow at their new end and are edited there: the newest year has a part per
        month (an edit there re-indexes one month), each older year one part.
        """
        return tuple(self._buckets[lang])

    def bucket(self, lang: str, bucket: str) -> tuple[str, ...]:
        """The articles one part of a language's search index holds."""
        return tuple(a.path for a in self._buckets[lang][bucket])

    def sitemap(self) -> tuple[SitemapEntry, ...]:
        """Every page that may be indexed: its path, page id, (language, path) of each of its
        versions, and when it last changed (articles only)."""
        return self._sitemap

    @cached_property
    def _sitemap(self) -> tuple[SitemapEntry, ...]:
        entries = []
        for product in self.products():
            if product.kind not in PAGE_KINDS or product.kind == "not-found":
                continue
            page_id = self.page_id(product)
            versions = tuple(self.versions(page_id).items())
            changed = None
            if product.kind == "article":
                article = self.library.by_path[str(product.params[0])]
                changed = article.updated or article.timestamp
            entries.append((self.page_path(product), page_id, versions, changed))
        return tuple(entries)

    # -- helpers ------------------------------------------------------------------------

    def _listing(
        self,
        key: tuple[Param, ...],
        articles: tuple[Placement, ...],
        number: int,
        lang: str,
        size: int = 0,
    ) -> Listing:
        size = size or self.settings.page_size
        if number:
            return paging.numbered_page(articles, number, size)
        # Counted once a list (``key`` names it), not once a page of it: a home of 500 pages
        # would otherwise count its 5,000 articles 500 times.
        foreign = self._foreign.get(key)
        if foreign is None:
            foreign = self._foreign[key] = sum(1 for a in articles if a.lang != lang)
        return paging.first_page(articles, size, foreign)

    @cached_property
    def _buckets(self) -> dict[str, dict[str, list[Placement]]]:
        found: dict[str, dict[str, list[Placement]]] = {}
        for lang in self.languages:
            ordered = self.library.articles[lang]
            newest = ordered[0].year if ordered else None
            parts: dict[str, list[Placement]] = {}
            for article in ordered:
                parts.setdefault(search_part(article, newest), []).append(article)
            found[lang] = parts
        return found


def search_part(article: Placement, newest_year: int | None) -> str:
    """The part of its language's search index an article is in (see SitePlan.buckets)."""
    month = f"-{article.month:02d}" if article.year == newest_year else ""
    return f"{article.year:04d}{month}"


#: Products that are HTML pages of one language.
PAGE_KINDS = frozenset(
    {"home", "article", "terms", "term", "archive", "year", "month", "feeds", "search-page"}
    | {"not-found"}
)
