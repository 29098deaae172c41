"""The HTML pages of one language: homes, articles, the sector and people indexes and lists,
the search page and the "not found" page (the archive's pages are in archive.py, the feeds
page in feeds.py).

Each ``make_*`` function is a producer: it gets the site context and its product, reads what
it shows through the context (so every read is a recorded fact), and returns its file. What
every page's <head> and header show is made in chrome.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from generator.content.article import Article
from generator.core.errors import ContentError, ProductProblem
from generator.site import korean, l10n, metadata, urls
from generator.site.archive import archive_trail
from generator.site.charts import MonthChart, month_chart
from generator.site.chrome import (
    Produced,
    card,
    collection,
    count_text,
    other_locales,
    page_meta,
    pager,
    render_page,
    site_feed,
    term_detail,
    term_feed,
    website,
)
from generator.site.context import SiteContext
from generator.site.images import ImageUnreadable
from generator.site.paging import Listing
from generator.site.plan import Product, SitePlan
from generator.site.views import (
    ImageView,
    Link,
    Neighbours,
    NewestArticle,
    OpenGraph,
    TermEntry,
    TermLine,
)


def make_home(ctx: SiteContext, plan: SitePlan, product: Product) -> Produced:
    """One page of a language's home."""
    lang, number = str(product.params[0]), int(product.params[1])
    listing: Listing = ctx.ask("home", lang, number)
    meta = page_meta(
        ctx,
        plan,
        product,
        title=ctx.settings.title[lang],
        feeds=(site_feed(ctx, lang),),
        json_ld=metadata.json_ld({"@context": metadata.SCHEMA, **website(ctx, lang)}),
    )
    cards = [card(ctx, p, lang) for p in listing.members]
    return render_page(
        ctx,
        plan,
        product,
        "home.html",
        meta,
        cards=cards,
        pager=pager(ctx, listing, lang, lambda n: urls.home(lang, n)),
    )


def make_article(ctx: SiteContext, plan: SitePlan, product: Product) -> Produced:
    """One article's page."""
    path = str(product.params[0])
    article = ctx.article(path)
    lang = article.lang
    view = ctx.card(path)
    settings = ctx.settings
    zone = settings.zone
    feeds = (
        site_feed(ctx, lang),
        *(term_feed(ctx, lang, "sectors", s) for s in article.meta.sectors),
        *(term_feed(ctx, lang, "people", p) for p in article.meta.people),
        *(
            term_feed(ctx, lang, "sources", o)
            for o in dict.fromkeys(c.outlet for c in article.meta.sources)
        ),
    )
    local = article.date.astimezone(zone)
    published = local.isoformat()
    updated = article.meta.updated
    modified = updated.astimezone(zone).isoformat() if updated else published
    versions = ctx.ask("versions", ("article", article.key))
    figure = _figure(ctx, article)
    og = OpenGraph(
        type="article",
        locale=metadata.og_locale(lang),
        locale_alternates=other_locales(ctx, lang, versions),
        published=published,
        modified=modified,
        tags=tuple(link.text for link in (*view.sectors, *view.people)),
        image=figure,
    )
    page_url = ctx.urls.absolute(urls.article(article))
    people = [
        (absolute_term(ctx, "people", p, lang), ctx.term("people", p, lang).detail[lang])
        for p in article.meta.people
    ]
    json_ld = metadata.json_ld(
        metadata.news_article(
            view,
            url=page_url,
            lang=lang,
            modified_iso=modified,
            sectors=[absolute_term(ctx, "sectors", s, lang) for s in article.meta.sectors],
            people=people,
            publisher=metadata.organization(
                settings.title[lang], ctx.urls.absolute(urls.home(lang))
            ),
            images=[figure.url] if figure else [],
        )
    )
    meta = page_meta(
        ctx,
        plan,
        product,
        title=article.title,
        feeds=feeds,
        description=article.summary,
        og=og,
        json_ld=json_ld,
    )
    older, newer = ctx.ask("neighbours", path)
    neighbours = Neighbours(previous=_neighbour(ctx, older), next=_neighbour(ctx, newer))
    more = {
        taxonomy: tuple(
            TermLine(
                ctx.term_link(taxonomy, term_id, lang), term_detail(ctx, taxonomy, term_id, lang)
            )
            for term_id in ids
        )
        for taxonomy, ids in (("sectors", article.meta.sectors), ("people", article.meta.people))
    }
    times = {
        "published": _when(local, article.meta.date_has_time, lang),
        "updated_iso": updated.astimezone(zone).isoformat() if updated else "",
        "updated": _when(updated.astimezone(zone), article.meta.updated_has_time, lang)
        if updated
        else "",
    }
    return render_page(
        ctx,
        plan,
        product,
        "article.html",
        meta,
        article=view,
        body=ctx.body(path, lang),
        reading_minutes=article.reading_minutes,
        breadcrumb=article_trail(ctx, lang, local),
        neighbours=neighbours,
        more=more,
        times=times,
        figure=figure,
    )


def _when(moment: dt.datetime, has_time: bool, lang: str) -> str:
    """A date with its time and zone, or the day alone when the author gave no time (a
    midnight nobody wrote is not shown as one)."""
    return l10n.local_datetime(moment, lang) if has_time else l10n.local_date(moment, lang)


def _figure(ctx: SiteContext, article: Article) -> ImageView | None:
    """The article's image as its page shows it, with its size (None without one)."""
    image = article.meta.image
    if image is None or article.image is None:
        return None
    try:
        return ctx.image(article.image, image.alt, image.caption or "", image.credit or "")
    except ImageUnreadable as exc:
        line = article.meta.lines.get(("image", "file"), 1)
        message = f"image {article.image} cannot be read as an image ({exc})"
        raise ProductProblem(ContentError(article.path, line, message)) from None


def _neighbour(ctx: SiteContext, path: str | None) -> Link | None:
    if path is None:
        return None
    view = ctx.headline(path)
    return Link(view.title, view.url)


def absolute_term(ctx: SiteContext, taxonomy: str, term_id: str, lang: str) -> Link:
    """A term's name with the absolute URL of its page (for JSON-LD)."""
    term = ctx.term(taxonomy, term_id, lang)
    return Link(term.name[lang], ctx.urls.absolute(urls.term(lang, taxonomy, term_id)))


def article_trail(ctx: SiteContext, lang: str, local: Any) -> tuple[Link, ...]:
    """The breadcrumb above an article: home, the archive, its year and its month."""
    month = Link(
        l10n.month_name(local.year, local.month, lang),
        ctx.urls.link(urls.archive(lang, local.year, local.month)),
    )
    return (*archive_trail(ctx, lang, 3, local.year), month)


def make_terms(ctx: SiteContext, plan: SitePlan, product: Product) -> Produced:
    """The index of every sector or person of a language."""
    lang, taxonomy = str(product.params[0]), str(product.params[1])
    _ = ctx.translator(lang)
    entries = []
    for term_id, count, foreign, newest_path in ctx.ask("term_index", lang, taxonomy):
        newest = None
        if newest_path is not None:
            view = ctx.headline(newest_path)
            newest = NewestArticle(Link(view.title, view.url), view.date_iso, view.date_text)
        entries.append(
            TermEntry(
                ctx.term_link(taxonomy, term_id, lang),
                term_detail(ctx, taxonomy, term_id, lang),
                count,
                count_text(count, lang),
                newest,
                foreign_text(ctx, foreign, lang),
            )
        )
    entries.sort(key=lambda e: e.link.text)
    title = TAXONOMY_TITLES[taxonomy](_)
    meta = page_meta(
        ctx,
        plan,
        product,
        title=title,
        description=TAXONOMY_DESCRIPTIONS[taxonomy](_),
        feeds=(site_feed(ctx, lang),),
    )
    return render_page(ctx, plan, product, "terms.html", meta, taxonomy=taxonomy, entries=entries)


def make_term(ctx: SiteContext, plan: SitePlan, product: Product) -> Produced:
    """One page of one sector's or person's articles."""
    lang, taxonomy, term_id = (str(p) for p in product.params[:3])
    number = int(product.params[3])
    term = ctx.term(taxonomy, term_id, lang)
    listing: Listing = ctx.ask("term", lang, taxonomy, term_id, number)
    feed = term_feed(ctx, lang, taxonomy, term_id)
    path = urls.term(lang, taxonomy, term_id, number)
    detail = term_detail(ctx, taxonomy, term_id, lang)
    place = pager(ctx, listing, lang, lambda n: urls.term(lang, taxonomy, term_id, n))
    meta = page_meta(
        ctx,
        plan,
        product,
        title=" · ".join(filter(None, (term.name[lang], place.span))),
        feeds=(site_feed(ctx, lang), feed),
        description=detail,
        json_ld=collection(ctx, lang, term.name[lang], detail, path, listing.members),
    )
    return render_page(
        ctx,
        plan,
        product,
        "term.html",
        meta,
        taxonomy=taxonomy,
        term={
            "name": term.name[lang],
            "detail": detail,
            "feed_url": feed.url,
            "home": term.url,
        },
        # The count is the first page's alone: the others keep their bytes as the list grows.
        count=None if number else listing.total,
        count_text=count_text(listing.total, lang),
        foreign_text=foreign_text(ctx, listing.foreign, lang),
        cards=[card(ctx, p, lang) for p in listing.members],
        pager=place,
        chart=_term_chart(ctx, lang, taxonomy, term_id) if number == 0 else None,
    )


def _term_chart(ctx: SiteContext, lang: str, taxonomy: str, term_id: str) -> MonthChart | None:
    """The term's articles per month over the whole archive's span."""
    span = sorted(ctx.ask("months"))
    counts = {(y, m): n for y, m, n in ctx.ask("term_months", lang, taxonomy, term_id)}
    return month_chart(span, counts, lang, ctx.translator(lang))


#: What each index page holds, for its meta description (search results, shared links).
TAXONOMY_DESCRIPTIONS: Mapping[str, Callable[[Callable[[str], str]], str]] = {
    "sectors": lambda _: _("Every sector the archive covers, with how many summaries each has."),
    "people": lambda _: _("Every person the summaries name, with their role and how often."),
    "sources": lambda _: _("Every outlet the summaries cite, with how many reports of each."),
}
#: The heading of each taxonomy's index page.
TAXONOMY_TITLES: Mapping[str, Callable[[Callable[[str], str]], str]] = {
    "sectors": lambda _: _("Sectors"),
    "people": lambda _: _("People"),
    "sources": lambda _: _("Sources"),
}


def foreign_text(ctx: SiteContext, count: int, lang: str) -> str:
    """'2 in another language only' for a list that shows articles with no version in
    ``lang`` ("" when it shows none)."""
    if not count:
        return ""
    ngettext = ctx.plurals(lang)
    text = ngettext("%(num)s in another language only", "%(num)s in other languages only", count)
    return text % {"num": count_text(count, lang)}


def make_search_page(ctx: SiteContext, plan: SitePlan, product: Product) -> Produced:
    """A language's search page: Pagefind's interface over every part of its index."""
    lang = str(product.params[0])
    _ = ctx.translator(lang)
    buckets: tuple[str, ...] = ctx.ask("buckets", lang)
    meta = page_meta(
        ctx,
        plan,
        product,
        title=_("Search"),
        description=_("Search every summary of the archive, in this language."),
        feeds=(site_feed(ctx, lang),),
    )
    link = ctx.urls.link
    search = {
        "stylesheet": link(urls.search_bundle(lang) + "pagefind-ui.css"),
        "script": link(urls.search_bundle(lang) + "pagefind-ui.js"),
        "start": link("static/search.js"),
        "bundles": [link(urls.search_bundle(lang, b)) for b in buckets],
        # The nouns and particles of each Korean part, for the query's particles.
        "stems": [link(urls.search_bundle(lang, b) + korean.STEMS_FILE) for b in buckets]
        if korean.applies(lang)
        else [],
    }
    return render_page(ctx, plan, product, "search.html", meta, search=search)


def make_not_found(ctx: SiteContext, plan: SitePlan, product: Product) -> Produced:
    """A language's "page not found" page."""
    lang = str(product.params[0])
    _ = ctx.translator(lang)
    meta = page_meta(
        ctx,
        plan,
        product,
        title=_("Page not found"),
        feeds=(site_feed(ctx, lang),),
        noindex=True,
    )
    return render_page(ctx, plan, product, "404.html", meta)
