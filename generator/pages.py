"""The page model: pages as planned (before rendering) and what every page's <head> shows.

Planners (render.py, archive.py) decide pages as PlannedPage values; rendering turns them into
HTML. Keeping these plain objects apart from rendering lets each planner live in its own module.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.content.article import Article
from generator.site.urls import Urls
from generator.views import Link

#: Identifies "the same page" across languages: ("home", 2), ("article", key), ...
PageId = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class FeedRef:
    """A feed that concerns a page (autodiscovery)."""

    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Pager:
    """Position in a paginated list."""

    number: int
    count: int
    prev_url: str | None
    next_url: str | None


@dataclass(frozen=True, slots=True)
class NewestArticle:
    """A term's newest article, as its index line names it."""

    link: Link
    date_iso: str
    date_text: str


@dataclass(frozen=True, slots=True)
class TermEntry:
    """One line of a sector or people index."""

    link: Link
    detail: str
    count: int
    count_text: str
    #: The term's newest article in the page's language (None when it has none there).
    newest: NewestArticle | None = None


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
    #: What the page is about in a sentence (meta description, Open Graph); "" for the site's.
    description: str = ""
    #: Kept out of search engines and the sitemap (the "page not found" pages).
    noindex: bool = False


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
class Nav:
    """Site-wide links of one language."""

    home: str
    archive: str
    sectors: str
    people: str
    #: The search page, "" when the site is built without search.
    search: str
    feeds: str
    feed: str
    root: str
    stylesheet: str
    icon: str


@dataclass(frozen=True, slots=True)
class OpenGraph:
    """Open Graph and Twitter card values of one page, in the page's language."""

    type: str
    locale: str
    locale_alternates: tuple[str, ...]
    #: ISO 8601 times of an article (empty on other pages).
    published: str = ""
    modified: str = ""
    #: Sector and people names of an article.
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What every page's <head> and header show."""

    lang: str
    #: The page language's name in itself, for sentences about it.
    language_name: str
    title: str
    site_title: str
    #: The site's one-line description (footer).
    description: str
    #: This page's description (meta description, Open Graph, Twitter).
    summary: str
    canonical: str
    alternates: tuple[Alternate, ...]
    switch: tuple[SwitchTarget, ...]
    feeds: tuple[FeedRef, ...]
    nav: Nav
    og: OpenGraph
    noindex: bool
    #: Escaped JSON-LD for a <script type="application/ld+json">, "" for none.
    json_ld: str


def page_count(items: int, size: int) -> int:
    """Pages needed for ``items`` at ``size`` per page (an empty list still has one page)."""
    return max(1, math.ceil(items / size))


def paginate(
    articles: Sequence[Article], size: int, path_of: Callable[[int], str], link: Urls
) -> Iterator[tuple[Pager, tuple[Article, ...]]]:
    """Split ``articles`` into pages of ``size``; ``path_of(n)`` is the path of page n."""
    count = page_count(len(articles), size)
    for number in range(1, count + 1):
        chunk = articles[(number - 1) * size : number * size]
        pager = Pager(
            number=number,
            count=count,
            prev_url=link.link(path_of(number - 1)) if number > 1 else None,
            next_url=link.link(path_of(number + 1)) if number < count else None,
        )
        yield pager, tuple(chunk)
