"""sitemap.xml with every page and its language alternates, and the robots.txt naming it.

Each <url> repeats the page's hreflang alternates (itself, its counterparts, x-default) as
xhtml:link elements, the form search engines read for multilingual sites. The "page not found"
pages are left out: they ask not to be indexed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

import jinja2

from generator.pages import Alternate
from generator.render import Output, OutputCache, PageRenderer
from generator.site import urls
from generator.site.urls import Urls

#: Characters a URL keeps as they are (RFC 3986 reserved and unreserved ones, and "%").
URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    """One <url>: the page's absolute URL, its alternates and when it last changed."""

    loc: str
    alternates: tuple[Alternate, ...]
    #: W3C date-time of the article's last revision; "" on pages that list many.
    lastmod: str = ""


def sitemap_entries(pages: PageRenderer, chooser: tuple[Alternate, ...]) -> list[SitemapEntry]:
    """The root chooser, then every rendered page that may be indexed, as planned."""
    link = pages.link
    zone = pages.settings.zone
    entries = [SitemapEntry(link.absolute(""), chooser)]
    for rendered in pages.rendered:
        page = rendered.page
        if page.noindex:
            continue
        lastmod = ""
        if page.article is not None:
            changed = page.article.meta.updated or page.article.date
            lastmod = changed.astimezone(zone).isoformat()
        entries.append(SitemapEntry(link.absolute(page.path), pages.alternates(page), lastmod))
    return entries


def render_sitemap(
    entries: Sequence[SitemapEntry], env: jinja2.Environment, outputs: OutputCache
) -> Output:
    """sitemap.xml, its URLs in the order the pages were planned."""
    key = outputs.key(urls.SITEMAP, "sitemap.xml", tuple(entries))
    template = env.get_template("sitemap.xml")
    return outputs.produce(
        urls.SITEMAP, key, lambda: template.render(entries=entries).encode("utf-8")
    )


def robots_txt(link: Urls) -> bytes:
    """robots.txt allowing every crawler and pointing to the sitemap.

    Crawlers read robots.txt only at a host's root: under a sub-path the file is still written
    (a publisher can copy its Sitemap line), but the sitemap must then be submitted by hand.
    """
    # A plain-text line holds the URL as is: characters a URL may not hold (quotes, angle
    # brackets, spaces) are percent-encoded, as a crawler would send them.
    sitemap = quote(link.absolute(urls.SITEMAP), safe=URL_SAFE)
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n".encode()


def render_robots(link: Urls, outputs: OutputCache) -> Output:
    """robots.txt as an output."""
    data = robots_txt(link)
    return outputs.produce(urls.ROBOTS, outputs.key(urls.ROBOTS, data), lambda: data)
