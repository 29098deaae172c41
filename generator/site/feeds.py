"""RSS 2.0 feeds: one per language and one per sector and person, and the OPML list of them.

An article's <item> is rendered once and shared by every feed that carries it (its language's
feed, each of its terms' feeds), and kept between builds like a list entry (build/cards.py).
"""

from __future__ import annotations

import datetime as dt
import html

import lxml.html
from markupsafe import Markup

from generator.content.registry import TAXONOMIES
from generator.site import l10n, urls
from generator.site.chrome import (
    ITEM,
    Produced,
    feed_title,
    page_meta,
    render_page,
    site_feed,
    term_detail,
)
from generator.site.context import SiteContext
from generator.site.plan import Product, SitePlan
from generator.site.views import ArticleView, Channel, FeedEntry, FeedGroup, FeedItem


def absolutize(fragment: str, page_url: str) -> str:
    """Return ``fragment`` with every relative href/src resolved against ``page_url``."""
    if not fragment.strip():
        return fragment
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    root.make_links_absolute(page_url, resolve_base_href=False)
    inner = root.text or ""
    return inner + "".join(
        lxml.html.tostring(child, encoding="unicode", method="html") for child in root
    )


def item(ctx: SiteContext, path: str) -> Markup:
    """One article's <item>, rendered once and shared by every feed that carries it."""

    def make() -> Markup:
        article = ctx.article(path)
        lang = article.lang
        url = ctx.urls.absolute(urls.article(article))
        categories = tuple(
            ctx.term(taxonomy, term_id, lang).name[lang]
            for taxonomy, ids in (
                ("sectors", article.meta.sectors),
                ("people", article.meta.people),
            )
            for term_id in ids
        )
        card = ctx.card(path)
        credit = ctx.render(lang, "credit.html", sources=card.sources).strip()
        first = card.sources[0]
        view = FeedItem(
            title=article.title,
            link=url,
            pub_date=l10n.rfc822(article.date.astimezone(ctx.settings.zone)),
            categories=categories,
            # Readers treat <description> as HTML: the plain-text summary and credit are
            # escaped as HTML here, and the template escapes that again as XML.
            description=html.escape(f"{article.summary} {credit_text(ctx, card)}", quote=False),
            # The credit is our own template's HTML (its text escaped there), not text.
            content_html=absolutize(ctx.body(path, lang) + Markup("\n") + Markup(credit), url),
            source_name=first.outlet.text,
            source_url=ctx.urls.absolute(urls.term_feed(lang, "sources", first.outlet_id)),
            creator=ctx.settings.title[lang],
        )
        return Markup(ctx.render(lang, "feed_item.xml", item=view))

    return ctx.shared((ITEM, path, ""), make)


def credit_text(ctx: SiteContext, card: ArticleView) -> str:
    """The credit of an article's reports as one plain sentence (for readers that show only
    the description): 'Source: The Asia Business Daily, "Headline", Aug 26, 2025.'"""
    _ = ctx.translator(card.lang)
    reports = "; ".join(
        f"{c.outlet.text}, \u201c{c.headline}\u201d, {c.date_text}" for c in card.sources
    )
    return _("Source: %(reports)s") % {"reports": reports}


def _feed(
    ctx: SiteContext,
    lang: str,
    *,
    path: str,
    title: str,
    page: str,
    description: str,
    members: tuple[str, ...],
) -> Produced:
    zone = ctx.settings.zone
    # The channel last changed when its newest item did (never the clock).
    moments = []
    for member in members:
        placement = ctx.placement(member)
        moments.append(placement.updated or placement.timestamp)
    last = max(moments, default=None)
    channel = Channel(
        title=title,
        link=ctx.urls.absolute(page),
        description=html.escape(description, quote=False),
        language=lang,
        self_url=ctx.urls.absolute(path),
        last_build_date=l10n.rfc822(dt.datetime.fromtimestamp(last, zone)) if last else None,
        items=tuple(item(ctx, member) for member in members),
    )
    return {path: ctx.render(lang, "feed.xml", channel=channel).encode("utf-8")}


def make_feed(ctx: SiteContext, plan: SitePlan, product: Product) -> Produced:
    """The whole archive's feed in one language."""
    lang = str(product.params[0])
    return _feed(
        ctx,
        lang,
        path=urls.feed(lang),
        title=feed_title(ctx, lang),
        page=urls.home(lang),
        description=ctx.settings.description[lang],
        members=ctx.ask("feed", lang),
    )


def make_term_feed(ctx: SiteContext, plan: SitePlan, product: Product) -> Produced:
    """One sector's or person's feed in one language."""
    lang, taxonomy, term_id = (str(p) for p in product.params)
    term = ctx.term(taxonomy, term_id, lang)
    return _feed(
        ctx,
        lang,
        path=urls.term_feed(lang, taxonomy, term_id),
        title=feed_title(ctx, lang, term.name[lang]),
        page=urls.term(lang, taxonomy, term_id),
        description=term_detail(ctx, taxonomy, term_id, lang),
        members=ctx.ask("feed", lang, taxonomy, term_id),
    )


def make_opml(ctx: SiteContext, plan: SitePlan, product: Product) -> Produced:
    """A language's OPML subscription lists (https://opml.org/spec2.opml): one with the
    archive's feed, and one per taxonomy with a feed per term, the feeds its feeds page shows.

    Not one list of everything: feed readers such as newsboat keep a single copy of an item
    (one GUID) across feeds, in whichever feed loaded last, so importing the archive's feed
    with every term's would leave the archive's feed nearly empty."""
    lang = str(product.params[0])
    files = {}
    for group in feed_groups(ctx, lang):
        title = feed_title(ctx, lang, group.heading)
        text = ctx.render(lang, "opml.xml", lang=lang, title=title, groups=(group,))
        files[_opml_path(lang, group)] = text.encode("utf-8")
    return files


def _opml_path(lang: str, group: FeedGroup) -> str:
    """The OPML file of one group of feeds: the archive's, or a taxonomy's."""
    return urls.opml(lang, "" if group.kind == "site" else group.kind)


def feed_groups(ctx: SiteContext, lang: str) -> tuple[FeedGroup, ...]:
    """Every feed of ``lang``: the whole archive, then each sector and each person by name
    (the feeds page and the OPML list show the same)."""
    _ = ctx.translator(lang)
    settings = ctx.settings
    site = FeedEntry(
        settings.title[lang],
        feed_title(ctx, lang),
        ctx.urls.absolute(urls.feed(lang)),
        ctx.urls.absolute(urls.home(lang)),
    )
    headings = {
        "site": _("The whole archive"),
        "sectors": _("Sectors"),
        "people": _("People"),
        "sources": _("Sources"),
    }
    groups = [FeedGroup("site", headings["site"], (site,))]
    for taxonomy in (t.key for t in TAXONOMIES):
        entries = []
        for term_id in ctx.ask("used_terms", taxonomy):
            name = ctx.term(taxonomy, term_id, lang).name[lang]
            entries.append(
                FeedEntry(
                    name,
                    feed_title(ctx, lang, name),
                    ctx.urls.absolute(urls.term_feed(lang, taxonomy, term_id)),
                    ctx.urls.absolute(urls.term(lang, taxonomy, term_id)),
                )
            )
        if entries:
            groups.append(
                FeedGroup(
                    taxonomy, headings[taxonomy], tuple(sorted(entries, key=lambda e: e.name))
                )
            )
    return tuple(groups)


def make_feeds(ctx: SiteContext, plan: SitePlan, product: Product) -> Produced:
    """The page listing every feed of a language."""
    lang = str(product.params[0])
    _ = ctx.translator(lang)
    meta = page_meta(
        ctx,
        plan,
        product,
        title=_("Feeds"),
        description=_(
            "RSS feeds of the archive and of every sector, person and outlet, and an OPML file "
            "to follow them all."
        ),
        feeds=(site_feed(ctx, lang),),
    )
    groups = feed_groups(ctx, lang)
    return render_page(
        ctx,
        plan,
        product,
        "feeds.html",
        meta,
        groups=groups,
        opml_urls={group.kind: ctx.urls.link(_opml_path(lang, group)) for group in groups},
    )
