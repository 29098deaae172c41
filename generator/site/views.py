"""Plain view objects handed to templates: everything a page shows, already localized.

Templates compute nothing: they receive these frozen values (and pre-rendered fragments as
Markup) and print them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup


@dataclass(frozen=True, slots=True)
class Link:
    """Text and where it leads."""

    text: str
    url: str


@dataclass(frozen=True, slots=True)
class CitationView:
    """One report an article summarises, as its source box and feed items credit it."""

    #: The outlet's id, and its name in the page's language linked to its page on this site.
    outlet_id: str
    outlet: Link
    #: The outlet's own home page.
    outlet_home: str
    #: The report's headline and language (its ``lang`` attribute on the page).
    headline: str
    headline_lang: str
    url: str
    #: When it was published: <time datetime>, and the date (with its time and zone when the
    #: time is known) in the page's language.
    date_iso: str
    date_text: str
    authors: tuple[str, ...]
    #: The language of the outlet's name when it is not the page's (an English name written
    #: the same on a Korean page: The Korea Herald), for its ``lang`` attribute; else "".
    outlet_lang: str = ""


@dataclass(frozen=True, slots=True)
class ImageView:
    """An image with the size it is shown at (so the page does not move while it loads)."""

    url: str
    width: int
    height: int
    alt: str
    #: The article figure's caption and credit, in the page's language.
    caption: str = ""
    credit: str = ""


@dataclass(frozen=True, slots=True)
class Headline:
    """An article's title linked to its page, and its date, as a page in one language names
    it (a neighbour link, a line of a year page or of an index): its card fact alone, without
    the names of its terms, so renaming a sector leaves such pages alone."""

    title: str
    url: str
    #: The article's language, and the title's when it is not the page's ("" when it is).
    lang: str
    title_lang: str
    date_iso: str
    date_text: str
    draft: bool
    #: For an article with no version in the page's language: "In Korean only" ("" else).
    foreign_note: str = ""


@dataclass(frozen=True, slots=True)
class ArticleView:
    """An article as a page or a list entry shows it."""

    title: str
    url: str
    #: The article's language, and the title's when it is not the page's ("" when it is).
    lang: str
    title_lang: str
    #: Machine-readable publication time for <time datetime>.
    date_iso: str
    #: Localized date, e.g. '2025년 8월 25일'.
    date_text: str
    summary: str
    sectors: tuple[Link, ...]
    people: tuple[Link, ...]
    sources: tuple[CitationView, ...]
    #: Shown with a visible marker (only builds with --drafts have drafts).
    draft: bool
    #: For an article with no version in the page's language: "In Korean only" ("" else).
    foreign_note: str = ""


@dataclass(frozen=True, slots=True)
class FeedRef:
    """A feed that concerns a page (autodiscovery)."""

    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Pager:
    """Where a page of a list sits among its pages (see site/paging.py)."""

    #: The days its articles span, on a numbered page ("" on the first).
    span: str
    #: The newer page (rel="prev") and the older one (rel="next"), where there is one.
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
    #: How many of its listed articles have no version in the page's language ("" for none).
    foreign_text: str = ""


@dataclass(frozen=True, slots=True)
class TermLine:
    """A sector or person an article names: its page and its detail (description or role)."""

    link: Link
    detail: str


@dataclass(frozen=True, slots=True)
class Neighbours:
    """The articles published just before and just after one, in the same language."""

    previous: Link | None
    next: Link | None


@dataclass(frozen=True, slots=True)
class Period:
    """A year or a month in the archive, as a list of them shows it."""

    label: str
    url: str
    count: int
    count_text: str


@dataclass(frozen=True, slots=True)
class MonthGroup:
    """One month on a year page, with its articles (listed compactly: date and title)."""

    period: Period
    articles: tuple[Headline, ...]


@dataclass(frozen=True, slots=True)
class YearGroup:
    """One year on the archive index, with its months."""

    period: Period
    months: tuple[Period, ...]


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
    sources: str
    #: The search page, "" when the site is built without search.
    search: str
    feeds: str
    feed: str
    root: str
    stylesheet: str
    icon: str


@dataclass(frozen=True, slots=True)
class ChromeView:
    """What the chrome of one language shows (templates/_chrome.html, as ``site``)."""

    lang: str
    #: The site's title and one-line description in ``lang``.
    title: str
    description: str
    nav: Nav


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
    #: The image a link to the page is shared with.
    image: ImageView | None = None


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


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One feed: its title, its address and the page it follows."""

    #: The name a reader sees in lists ('Semiconductors'); the feed's own title is ``title``.
    name: str
    title: str
    #: Absolute URL of the RSS file (what a feed reader is given).
    url: str
    #: Absolute URL of the HTML page the feed follows.
    page_url: str


@dataclass(frozen=True, slots=True)
class FeedGroup:
    """The feeds of one kind: the whole archive, the sectors, the people."""

    #: "site", "sectors" or "people".
    kind: str
    heading: str
    feeds: tuple[FeedEntry, ...]


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One <item>."""

    title: str
    link: str
    pub_date: str
    categories: tuple[str, ...]
    description: str
    #: Article HTML with every link made absolute (feed readers have no base URL), ending
    #: with the credit of its sources.
    content_html: str
    #: The first cited outlet (<source>: its name and its feed on this site).
    source_name: str
    source_url: str
    #: The archive's own byline (dc:creator).
    creator: str


@dataclass(frozen=True, slots=True)
class Channel:
    """The <channel> of one feed."""

    title: str
    link: str
    description: str
    language: str
    self_url: str
    #: The newest item's date (never the clock), None for an empty feed.
    last_build_date: str | None
    items: tuple[Markup, ...]


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    """One <url>: the page's absolute URL, its alternates and when it last changed."""

    loc: str
    alternates: tuple[Alternate, ...]
    #: W3C date-time of the article's last revision; "" on pages that list many.
    lastmod: str = ""


@dataclass(frozen=True, slots=True)
class Page:
    """A page to render: its template, its <head> and what its template shows."""

    template: str
    meta: PageMeta
    context: dict[str, Any] = field(default_factory=dict)
