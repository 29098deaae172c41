"""Every kind of product and the function that makes it."""

from __future__ import annotations

from collections.abc import Callable

from generator.site import archive, feeds, files, pages, root, search, sitemap
from generator.site.chrome import Produced
from generator.site.context import SiteContext
from generator.site.plan import Product, SitePlan

Producer = Callable[[SiteContext, SitePlan, Product], Produced]

PRODUCERS: dict[str, Producer] = {
    "home": pages.make_home,
    "article": pages.make_article,
    "terms": pages.make_terms,
    "term": pages.make_term,
    "archive": archive.make_archive,
    "year": archive.make_year,
    "month": archive.make_month,
    "feeds": feeds.make_feeds,
    "search-page": pages.make_search_page,
    "not-found": pages.make_not_found,
    "feed": feeds.make_feed,
    "term-feed": feeds.make_term_feed,
    "opml": feeds.make_opml,
    "chooser": root.make_chooser,
    "root-404": root.make_root_not_found,
    "sitemap": sitemap.make_sitemap,
    "robots": sitemap.make_robots,
    "static": files.make_static,
    "media": files.make_media,
    "search": search.make_search,
    "search-ui": search.make_search_ui,
}


def make(ctx: SiteContext, plan: SitePlan, product: Product) -> Produced:
    """The files of ``product``, read through ``ctx``."""
    return PRODUCERS[product.kind](ctx, plan, product)
