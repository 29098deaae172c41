"""The URL scheme, in one place: every output path the site has.

Paths here are relative to the site root and use "/" ("ko/articles/2025/x/"); a path ending in
"/" is written as its index.html. ``Urls`` turns them into links under the base URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote


def home(lang: str, page: int = 0) -> str:
    """A language's home (its newest articles), or its page ``page``, counted from the oldest
    (see site/paging.py)."""
    return f"{lang}/" + (f"page/{page}/" if page else "")


class Placed(Protocol):
    """Anything with the three parts of an article's URL (an Article, a Placement)."""

    @property
    def lang(self) -> str: ...
    @property
    def year(self) -> int: ...
    @property
    def slug(self) -> str: ...


def article(item: Placed) -> str:
    """One article in its language."""
    return f"{item.lang}/articles/{item.year}/{item.slug}/"


def term_index(lang: str, taxonomy: str) -> str:
    """The list of every sector or person."""
    return f"{lang}/{taxonomy}/"


def term(lang: str, taxonomy: str, term_id: str, page: int = 0) -> str:
    """One sector's or person's articles, or their page ``page``, counted from the oldest."""
    return f"{lang}/{taxonomy}/{term_id}/" + (f"page/{page}/" if page else "")


def feed(lang: str) -> str:
    """The whole archive's feed in one language."""
    return f"{lang}/feed.xml"


def term_feed(lang: str, taxonomy: str, term_id: str) -> str:
    """One sector's or person's feed."""
    return f"{lang}/{taxonomy}/{term_id}/feed.xml"


def archive(lang: str, year: int | None = None, month: int | None = None) -> str:
    """The archive of a language: every year, one year, or one month of one year."""
    path = f"{lang}/archive/"
    if year is not None:
        path += f"{year:04d}/"
        if month is not None:
            path += f"{month:02d}/"
    return path


def search(lang: str) -> str:
    """The search page of a language."""
    return f"{lang}/search/"


def search_bundle(lang: str, part: str = "") -> str:
    """Where a language's Pagefind files are written: its script and styles at the top, each
    part of its index (see site/search.py) in a folder of its own."""
    return f"{lang}/pagefind/" + (f"{part}/" if part else "")


def feed_list(lang: str) -> str:
    """The page listing every feed of a language."""
    return f"{lang}/feeds/"


def opml(lang: str, taxonomy: str = "") -> str:
    """A language's OPML subscription list: the archive's feed, or every feed of one
    taxonomy (a list each, as feed readers keep one copy of an item across feeds)."""
    return f"{lang}/feeds-{taxonomy}.opml" if taxonomy else f"{lang}/feeds.opml"


def not_found(lang: str | None = None) -> str:
    """The "page not found" page of a language, or the bilingual one at the root."""
    return f"{lang}/404.html" if lang else "404.html"


#: The sitemap of every page and the robots.txt that points crawlers to it.
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"


def media(source_path: str) -> str:
    """A local file the site shows: content/articles/2025/x.jpg → media/articles/2025/x.jpg,
    and content/media/x.png → media/x.png."""
    rel = source_path.removeprefix("content/")
    return rel if rel.startswith("media/") else "media/" + rel


def output_file(path: str) -> str:
    """The file a path is written to."""
    return path + "index.html" if path.endswith("/") or not path else path


@dataclass(frozen=True, slots=True)
class Urls:
    """Links for a site served from ``base_url`` (which may have a sub-path).

    ``base_url`` is checked when settings are read (no quote, angle bracket or space can be
    in it); a path is percent-encoded here, so that a media file named ``a#b.jpg`` or
    ``100%.png`` is linked as itself. Templates and the link resolver escape the result for
    the attribute it goes into.
    """

    base_url: str
    base_path: str

    def link(self, path: str, fragment: str = "") -> str:
        """Root-relative link, valid at the domain root and under a sub-path."""
        return self.base_path + _encoded(path) + (f"#{fragment}" if fragment else "")

    def absolute(self, path: str) -> str:
        """Full URL, for feeds, canonical and hreflang links."""
        return self.base_url + _encoded(path)


#: Characters a path keeps as they are: those our own paths are made of.
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/")


def _encoded(path: str) -> str:
    """``path`` with every character outside the plain set percent-encoded (UTF-8)."""
    if _PLAIN.issuperset(path):
        return path  # every path the URL scheme makes: nothing to do, and it is the hot path
    return quote(path, safe="/")
