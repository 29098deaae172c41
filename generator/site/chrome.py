"""What every HTML page shows around its own content: the <head> (title, alternates, Open
Graph, feeds), the header's navigation and language switcher, pagers, the list cards, and the
JSON-LD shared by list pages. Producers (pages.py, archive.py, feeds.py) build on these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from generator.core.errors import ContentError, ProductProblem
from generator.core.layout import SETTINGS_FILE
from generator.site import l10n, metadata, urls
from generator.site.context import SiteContext
from generator.site.frames import CHROME_TEMPLATE, PARTS, PLACEHOLDERS, frame
from generator.site.images import ImageUnreadable
from generator.site.paging import Listing
from generator.site.plan import PageId, Product, SitePlan
from generator.site.views import (
    Alternate,
    ChromeView,
    FeedRef,
    ImageView,
    Nav,
    OpenGraph,
    PageMeta,
    Pager,
    SwitchTarget,
)

#: Fragment of a home page that explains "the page you came from has no translation here".
UNTRANSLATED_ANCHOR = "not-translated"
#: Pages whose x-default is a page at the root (in no one language) instead of their version
#: in the default language: the first home defers to the chooser, the 404s to the root 404.
ROOT_DEFAULTS: Mapping[PageId, str] = {("home", 0): "", ("not-found",): urls.not_found()}

Produced = dict[str, bytes]


# --- what every page shows ---------------------------------------------------------------


def feed_title(ctx: SiteContext, lang: str, term_name: str | None = None) -> str:
    """The title of a language's feed, or of one term's feed."""
    _ = ctx.translator(lang)
    site = ctx.settings.title[lang]
    if term_name is None:
        return site
    return _("%(site)s: %(term)s") % {"site": site, "term": term_name}


def site_feed(ctx: SiteContext, lang: str) -> FeedRef:
    """The whole archive's feed in ``lang``."""
    return FeedRef(feed_title(ctx, lang), ctx.urls.absolute(urls.feed(lang)))


def term_feed(ctx: SiteContext, lang: str, taxonomy: str, term_id: str) -> FeedRef:
    """One term's feed in ``lang``."""
    term = ctx.term(taxonomy, term_id, lang)
    return FeedRef(
        feed_title(ctx, lang, term.name[lang]),
        ctx.urls.absolute(urls.term_feed(lang, taxonomy, term_id)),
    )


def navigation(ctx: SiteContext, lang: str) -> Nav:
    """Site-wide links of ``lang``."""
    link = ctx.urls.link
    return Nav(
        home=link(urls.home(lang)),
        archive=link(urls.archive(lang)),
        sectors=link(urls.term_index(lang, "sectors")),
        people=link(urls.term_index(lang, "people")),
        sources=link(urls.term_index(lang, "sources")),
        search=link(urls.search(lang)) if ctx.settings.search else "",
        feeds=link(urls.feed_list(lang)),
        feed=link(urls.feed(lang)),
        # The chooser: ?choose keeps it from sending the reader on to a remembered home.
        root=link("") + "?choose",
        stylesheet=link("static/style.css"),
        icon=link("static/favicon.svg"),
    )


def page_meta(
    ctx: SiteContext,
    plan: SitePlan,
    product: Product,
    *,
    title: str,
    feeds: tuple[FeedRef, ...],
    description: str = "",
    noindex: bool = False,
    og: OpenGraph | None = None,
    json_ld: str = "",
) -> PageMeta:
    """The <head> and header of one page."""
    lang = plan.lang_of(product)
    page_id = plan.page_id(product)
    path = plan.page_path(product)
    versions: dict[str, str] = ctx.ask("versions", page_id)
    settings = ctx.settings
    return PageMeta(
        lang=lang,
        language_name=l10n.language_name(lang),
        title=title,
        site_title=settings.title[lang],
        description=settings.description[lang],
        summary=description or settings.description[lang],
        canonical=ctx.urls.absolute(path),
        alternates=alternates(ctx, page_id, path, versions),
        switch=switch(ctx, page_id, lang, versions),
        feeds=feeds,
        nav=navigation(ctx, lang),
        og=_with_image(
            ctx,
            lang,
            og
            or OpenGraph("website", metadata.og_locale(lang), other_locales(ctx, lang, versions)),
        ),
        noindex=noindex,
        json_ld=json_ld,
    )


def _with_image(ctx: SiteContext, lang: str, og: OpenGraph) -> OpenGraph:
    """``og``, with the site's share image when the page has none of its own."""
    if og.image is not None:
        return og
    return replace(og, image=share_image(ctx, lang))


def alternates(
    ctx: SiteContext, page_id: PageId, path: str, versions: Mapping[str, str]
) -> tuple[Alternate, ...]:
    """A page's hreflang alternates: each language it exists in, and x-default."""
    settings = ctx.settings
    default = ROOT_DEFAULTS.get(page_id, versions.get(settings.default_language, path))
    found = [
        Alternate(lang, ctx.urls.absolute(versions[lang]))
        for lang in settings.languages
        if lang in versions
    ]
    found.append(Alternate("x-default", ctx.urls.absolute(default)))
    return tuple(found)


def switch(
    ctx: SiteContext, page_id: PageId, lang: str, versions: Mapping[str, str]
) -> tuple[SwitchTarget, ...]:
    """Where the language switcher leads: the page's translation, or the closest page."""
    found = []
    for other in ctx.settings.languages:
        if other == lang:
            continue
        if other in versions:
            target, translated = ctx.urls.link(versions[other]), True
        elif page_id[0] == "term":
            path = urls.term(other, str(page_id[1]), str(page_id[2]))
            target, translated = ctx.urls.link(path), True
        elif page_id[0] == "home":
            target, translated = ctx.urls.link(urls.home(other)), True
        else:
            target, translated = ctx.urls.link(urls.home(other), UNTRANSLATED_ANCHOR), False
        found.append(SwitchTarget(other, l10n.language_name(other), target, translated))
    return tuple(found)


def other_locales(ctx: SiteContext, lang: str, versions: Mapping[str, str]) -> tuple[str, ...]:
    """The Open Graph locales of the page's translations."""
    return tuple(
        metadata.og_locale(other)
        for other in ctx.settings.languages
        if other in versions and other != lang
    )


def render_page(
    ctx: SiteContext,
    plan: SitePlan,
    product: Product,
    template: str,
    meta: PageMeta,
    **context: Any,
) -> Produced:
    """A page's file, its language's chrome set in (site/frames.py)."""
    path = urls.output_file(plan.page_path(product))
    parts = chrome(ctx, meta.lang)
    # Every part, always, whatever the chrome template holds: what the page's template does
    # around them must not depend on the chrome (see frames.py).
    html = ctx.render(meta.lang, template, page=meta, chrome=PLACEHOLDERS, **context)
    data, frames = frame(html, parts)
    if frames:
        assert ctx.recorder is not None
        ctx.recorder.frames[path] = frames
    return {path: data}


def chrome(ctx: SiteContext, lang: str) -> Mapping[str, str]:
    """The parts of ``lang``'s chrome (each block of templates/_chrome.html), rendered once
    per process; a block it does not have (or a site without it) shows nothing."""

    def make() -> dict[str, str]:
        if not ctx.has_chrome():
            return dict.fromkeys(PARTS, "")
        settings = ctx.settings
        site = ChromeView(
            lang, settings.title[lang], settings.description[lang], navigation(ctx, lang)
        )
        template = ctx.template(lang, CHROME_TEMPLATE)
        context, blocks = template.new_context({"site": site}), template.blocks
        try:
            return {p: "".join(blocks[p](context)) if p in blocks else "" for p in PARTS}
        except Exception:  # as Template.render does: the traceback then names template lines
            template.environment.handle_exception()
            raise  # (handle_exception raises; this is for the type checker)

    return ctx.chrome(lang, make)


#: What many products show of one article, rendered once and shared by all of them, and kept
#: between builds (build/cards.py): (kind, article path, language of the lists or "").
Entry = tuple[str, str, str]
#: A list entry (card) in one language's lists.
CARD = "card-html"
#: An RSS <item>, the same in every feed that carries it.
ITEM = "feed-item"


def card(ctx: SiteContext, path: str, lang: str) -> Markup:
    """An article's list entry in ``lang``'s lists, rendered once per process and reused by
    every list (an article with no version in ``lang`` is shown marked)."""

    def make() -> Markup:
        return Markup(ctx.render(lang, "card.html", article=ctx.card(path, lang)))

    return ctx.shared((CARD, path, lang), make)


def listed(plan: SitePlan, product: Product) -> tuple[Entry, ...]:
    """Every list entry (card) and feed item a product shows."""
    kind, params = product.kind, product.params
    lang = str(params[0]) if params else ""
    if kind == "feed":
        return tuple((ITEM, path, "") for path in plan.feed(lang))
    if kind == "term-feed":
        _, taxonomy, term_id = params
        return tuple((ITEM, path, "") for path in plan.feed(lang, str(taxonomy), str(term_id)))
    if kind == "home":
        members = plan.home(lang, int(params[1])).members
    elif kind == "term":
        _, taxonomy, term_id, number = params
        members = plan.term(lang, str(taxonomy), str(term_id), int(number)).members
    elif kind == "month":
        members = plan.month(lang, int(params[1]), int(params[2])).members
    else:
        members = ()
    return tuple((CARD, path, lang) for path in members)


def term_detail(ctx: SiteContext, taxonomy: str, term_id: str, lang: str) -> str:
    """The line that says what a term is: a sector's description, a person's role, and for an
    outlet its kind, its language and its address ('Newspaper · Korean · www.asiae.co.kr')."""
    term = ctx.term(taxonomy, term_id, lang)
    if taxonomy != "sources":
        return term.detail[lang]
    _ = ctx.translator(lang)
    kinds = {
        "newspaper": _("Newspaper"),
        "wire": _("News agency"),
        "broadcaster": _("Broadcaster"),
        "magazine": _("Magazine"),
        "online": _("Online outlet"),
        "government": _("Government"),
    }
    parts = [kinds[term.kind]] if term.kind else []
    parts.append(_("In %(language)s") % {"language": l10n.language_name_in(term.language, lang)})
    parts.append(urlsplit(term.url).netloc)
    return " · ".join(parts)


def share_image(ctx: SiteContext, lang: str) -> ImageView | None:
    """The image a page without its own is shared with (site.yaml's share_image)."""
    settings = ctx.settings
    if not settings.share_image:
        return None
    try:
        return ctx.image(settings.share_image, settings.share_image_alt[lang])
    except ImageUnreadable as exc:
        message = f"share_image {settings.share_image} cannot be read as an image ({exc})"
        raise ProductProblem(
            ContentError(SETTINGS_FILE, settings.share_image_line, message)
        ) from None


def pager(ctx: SiteContext, listing: Listing, lang: str, path_of: Callable[[int], str]) -> Pager:
    """Where a page of a list sits among its pages: its links to the newer and the older
    page and, on a numbered page, the days its articles span."""
    span = ""
    if listing.number and listing.members:
        zone = ctx.settings.zone
        newest, oldest = (ctx.placement(p) for p in (listing.members[0], listing.members[-1]))
        first = dt.datetime.fromtimestamp(oldest.timestamp, zone).date()
        last = dt.datetime.fromtimestamp(newest.timestamp, zone).date()
        span = l10n.date_span(first, last, lang)
    newer, older = listing.newer, listing.older
    return Pager(
        span=span,
        prev_url=ctx.urls.link(path_of(newer)) if newer is not None else None,
        next_url=ctx.urls.link(path_of(older)) if older is not None else None,
    )


def collection(
    ctx: SiteContext, lang: str, name: str, description: str, path: str, members: tuple[str, ...]
) -> str:
    """JSON-LD of a page that lists articles."""
    return metadata.json_ld(
        metadata.collection_page(
            name=name,
            description=description or ctx.settings.description[lang],
            url=ctx.urls.absolute(path),
            lang=lang,
            items=[ctx.urls.absolute(ctx.article_path(p)) for p in members],
            website=website(ctx, lang),
        )
    )


def website(ctx: SiteContext, lang: str) -> dict[str, Any]:
    """The site as a schema.org WebSite."""
    settings = ctx.settings
    search = ctx.urls.absolute(urls.search(lang)) if settings.search else None
    return metadata.website(
        name=settings.title[lang],
        description=settings.description[lang],
        url=ctx.urls.absolute(urls.home(lang)),
        lang=lang,
        search_url=search,
    )


def count_text(count: int, lang: str) -> str:
    """A count with the language's digit grouping."""
    return l10n.number(count, lang)
