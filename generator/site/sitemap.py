"""sitemap.xml with every page and its language alternates, and the robots.txt naming it.

Each <url> repeats the page's hreflang alternates (itself, its counterparts, x-default) as
xhtml:link elements, the form search engines read for multilingual sites. The "page not found"
pages are left out: they ask not to be indexed.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from generator.site import urls
from generator.site.chrome import Produced, alternates
from generator.site.context import SiteContext
from generator.site.plan import Product, SitePlan
from generator.site.root import chooser_alternates
from generator.site.views import SitemapEntry

#: Characters a URL keeps as they are (RFC 3986 reserved and unreserved ones, and "%").
URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


def make_sitemap(ctx: SiteContext, plan: SitePlan, product: Product) -> Produced:
    """sitemap.xml: the root chooser, then every page that may be indexed, as planned."""
    settings = ctx.settings
    zone = settings.zone
    entries = [SitemapEntry(ctx.urls.absolute(""), chooser_alternates(ctx))]
    for path, page_id, versions, changed in ctx.ask("sitemap"):
        lastmod = dt.datetime.fromtimestamp(changed, zone).isoformat() if changed else ""
        found = alternates(ctx, page_id, path, dict(versions))
        entries.append(SitemapEntry(ctx.urls.absolute(path), found, lastmod))
    lang = settings.default_language
    return {urls.SITEMAP: ctx.render(lang, "sitemap.xml", entries=entries).encode("utf-8")}


def make_robots(ctx: SiteContext, plan: SitePlan, product: Product) -> Produced:
    """robots.txt allowing every crawler and pointing to the sitemap.

    Crawlers read robots.txt only at a host's root: under a sub-path the file is still written
    (a publisher can copy its Sitemap line), but the sitemap must then be submitted by hand.
    """
    # A plain-text line holds the URL as is: characters a URL may not hold (quotes, angle
    # brackets, spaces) are percent-encoded, as a crawler would send them.
    sitemap = quote(ctx.urls.absolute(urls.SITEMAP), safe=URL_SAFE)
    return {urls.ROBOTS: f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n".encode()}
