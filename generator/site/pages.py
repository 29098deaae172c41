"""The HTML pages of one language: homes, articles, term lists and indexes, the archive, the
feeds, search and "not found" pages.

Each ``make_*`` function is a producer: it gets the site context and its product, reads what
it shows through the context (so every read is a recorded fact), and returns its file. What
every page's <head> and header show is made by ``page_meta``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from markupsafe import Markup

from generator.site import l10n, metadata, reading, urls
from generator.site.context import SiteContext
from generator.site.plan import Listing, PageId, Product, SitePlan
from generator.site.views import (
    Alternate,
    FeedEntry,
    FeedGroup,
    FeedRef,
    Link,
    MonthGroup,
    Nav,
    Neighbours,
    NewestArticle,
    OpenGraph,
    PageMeta,
    Pager,
    Period,
    SwitchTarget,
    TermEntry,
    TermLine,
    YearGroup,
)

#: Fragment of a home page that explains "the page you came from has no translation here".
UNTRANSLATED_ANCHOR = "not-translated"
#: Pages whose x-default is a page at the root (in no one language) instead of their version
#: in the default language: the first home defers to the chooser, the 404s to the root 404.
ROOT_DEFAULTS: Mapping[PageId, str] = {("home", 1): "", ("not-found",): urls.not_found()}

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
    term = ctx.term(taxonomy, term_id)
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
        search=link(urls.search(lang)) if ctx.settings.search else "",
        feeds=link(urls.feed_list(lang)),
        feed=link(urls.feed(lang)),
        root=link(""),
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
        og=og or OpenGraph("website", metadata.og_locale(lang), other_locales(ctx, lang, versions)),
        noindex=noindex,
        json_ld=json_ld,
    )


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
    """A page's file."""
    html = ctx.render(meta.lang, template, page=meta, **context)
    return {urls.output_file(plan.page_path(product)): html.encode("utf-8")}


def card(ctx: SiteContext, path: str) -> Markup:
    """An article's list entry, rendered once per process and reused by every list."""

    def make() -> Markup:
        view = ctx.card(path)
        lang = ctx.placement(path).lang
        return Markup(ctx.render(lang, "card.html", article=view))

    return ctx.shared(card_key(path), make)


def listed(plan: SitePlan, product: Product) -> tuple[str, ...]:
    """The articles whose list entries (cards) a product shows."""
    kind, params = product.kind, product.params
    if kind == "home":
        return plan.home(str(params[0]), int(params[1])).members
    if kind == "term":
        lang, taxonomy, term_id, number = params
        return plan.term(str(lang), str(taxonomy), str(term_id), int(number)).members
    if kind == "month":
        return plan.month(str(params[0]), int(params[1]), int(params[2])).members
    return ()


def card_key(path: str) -> tuple[str, str]:
    """The key under which an article's list entry is shared (see SiteContext.shared)."""
    return ("card-html", path)


def pager(ctx: SiteContext, listing: Listing, path_of: Callable[[int], str]) -> Pager:
    """Where a paginated list's page sits among its pages."""
    number, count = listing.number, listing.pages
    return Pager(
        number=number,
        count=count,
        prev_url=ctx.urls.link(path_of(number - 1)) if number > 1 else None,
        next_url=ctx.urls.link(path_of(number + 1)) if number < count else None,
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


# --- the producers -----------------------------------------------------------------------


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
    cards = [card(ctx, p) for p in listing.members]
    return render_page(
        ctx,
        plan,
        product,
        "home.html",
        meta,
        cards=cards,
        pager=pager(ctx, listing, lambda n: urls.home(lang, n)),
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
    )
    published = article.date.astimezone(zone).isoformat()
    updated = article.meta.updated
    modified = updated.astimezone(zone).isoformat() if updated else published
    versions = ctx.ask("versions", ("article", article.key))
    og = OpenGraph(
        type="article",
        locale=metadata.og_locale(lang),
        locale_alternates=other_locales(ctx, lang, versions),
        published=published,
        modified=modified,
        tags=tuple(link.text for link in (*view.sectors, *view.people)),
    )
    page_url = ctx.urls.absolute(urls.article(article))
    people = [
        (absolute_term(ctx, "people", p, lang), ctx.term("people", p).detail[lang])
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
                ctx.term_link(taxonomy, term_id, lang), ctx.term(taxonomy, term_id).detail[lang]
            )
            for term_id in ids
        )
        for taxonomy, ids in (("sectors", article.meta.sectors), ("people", article.meta.people))
    }
    return render_page(
        ctx,
        plan,
        product,
        "article.html",
        meta,
        article=view,
        body=ctx.body(path, lang),
        reading_minutes=reading.minutes(article.body_html, lang),
        breadcrumb=article_trail(ctx, lang, article.date.astimezone(zone)),
        neighbours=neighbours,
        more=more,
    )


def _neighbour(ctx: SiteContext, path: str | None) -> Link | None:
    if path is None:
        return None
    view = ctx.card(path)
    return Link(view.title, view.url)


def absolute_term(ctx: SiteContext, taxonomy: str, term_id: str, lang: str) -> Link:
    """A term's name with the absolute URL of its page (for JSON-LD)."""
    term = ctx.term(taxonomy, term_id)
    return Link(term.name[lang], ctx.urls.absolute(urls.term(lang, taxonomy, term_id)))


def article_trail(ctx: SiteContext, lang: str, local: Any) -> tuple[Link, ...]:
    """The breadcrumb above an article: home, the archive, its year and its month."""
    month = Link(
        l10n.month_name(local.year, local.month, lang),
        ctx.urls.link(urls.archive(lang, local.year, local.month)),
    )
    return (*archive_trail(ctx, lang, 3, local.year), month)


def archive_trail(ctx: SiteContext, lang: str, depth: int, year: int = 0) -> tuple[Link, ...]:
    """The breadcrumb above an archive page: home, the archive, the year (``depth`` of them)."""
    _ = ctx.translator(lang)
    trail = (
        Link(_("Home"), ctx.urls.link(urls.home(lang))),
        Link(_("Archive"), ctx.urls.link(urls.archive(lang))),
        Link(l10n.year_label(year, lang) if year else "", ctx.urls.link(urls.archive(lang, year))),
    )
    return trail[:depth]


def make_terms(ctx: SiteContext, plan: SitePlan, product: Product) -> Produced:
    """The index of every sector or person of a language."""
    lang, taxonomy = str(product.params[0]), str(product.params[1])
    _ = ctx.translator(lang)
    entries = []
    for term_id, count, newest_path in ctx.ask("term_index", lang, taxonomy):
        term = ctx.term(taxonomy, term_id)
        newest = None
        if newest_path is not None:
            view = ctx.card(newest_path)
            newest = NewestArticle(Link(view.title, view.url), view.date_iso, view.date_text)
        entries.append(
            TermEntry(
                ctx.term_link(taxonomy, term_id, lang),
                term.detail[lang],
                count,
                count_text(count, lang),
                newest,
            )
        )
    entries.sort(key=lambda e: e.link.text)
    title = _("Sectors") if taxonomy == "sectors" else _("People")
    meta = page_meta(ctx, plan, product, title=title, feeds=(site_feed(ctx, lang),))
    return render_page(ctx, plan, product, "terms.html", meta, taxonomy=taxonomy, entries=entries)


def make_term(ctx: SiteContext, plan: SitePlan, product: Product) -> Produced:
    """One page of one sector's or person's articles."""
    lang, taxonomy, term_id = (str(p) for p in product.params[:3])
    number = int(product.params[3])
    term = ctx.term(taxonomy, term_id)
    listing: Listing = ctx.ask("term", lang, taxonomy, term_id, number)
    feed = term_feed(ctx, lang, taxonomy, term_id)
    path = urls.term(lang, taxonomy, term_id, number)
    meta = page_meta(
        ctx,
        plan,
        product,
        title=term.name[lang],
        feeds=(site_feed(ctx, lang), feed),
        description=term.detail[lang],
        json_ld=collection(ctx, lang, term.name[lang], term.detail[lang], path, listing.members),
    )
    return render_page(
        ctx,
        plan,
        product,
        "term.html",
        meta,
        taxonomy=taxonomy,
        term={"name": term.name[lang], "detail": term.detail[lang], "feed_url": feed.url},
        count=listing.total,
        count_text=count_text(listing.total, lang),
        cards=[card(ctx, p) for p in listing.members],
        pager=pager(ctx, listing, lambda n: urls.term(lang, taxonomy, term_id, n)),
    )


def _period(ctx: SiteContext, label: str, path: str, count: int, lang: str) -> Period:
    return Period(label, ctx.urls.link(path), count, count_text(count, lang))


def make_archive(ctx: SiteContext, plan: SitePlan, product: Product) -> Produced:
    """The archive index of a language: every year and month, with counts."""
    lang = str(product.params[0])
    _ = ctx.translator(lang)
    years = []
    for year, months in ctx.ask("calendar", lang):
        periods = tuple(
            _period(ctx, l10n.month_name(year, m, lang), urls.archive(lang, year, m), n, lang)
            for m, n in months
        )
        total = sum(n for _, n in months)
        period = _period(ctx, l10n.year_label(year, lang), urls.archive(lang, year), total, lang)
        years.append(YearGroup(period, periods))
    title = _("Archive")
    meta = page_meta(ctx, plan, product, title=title, feeds=(site_feed(ctx, lang),))
    return render_page(
        ctx,
        plan,
        product,
        "archive.html",
        meta,
        years=years,
        breadcrumb=archive_trail(ctx, lang, 1),
    )


def make_year(ctx: SiteContext, plan: SitePlan, product: Product) -> Produced:
    """One year of a language's archive, month by month."""
    lang, year = str(product.params[0]), int(product.params[1])
    groups = []
    members: list[str] = []
    for month, paths in ctx.ask("year", lang, year):
        label = l10n.month_label(year, month, lang)
        period = _period(ctx, label, urls.archive(lang, year, month), len(paths), lang)
        groups.append(MonthGroup(period, tuple(ctx.card(p) for p in paths)))
        members.extend(paths)
    title = l10n.year_label(year, lang)
    path = urls.archive(lang, year)
    meta = page_meta(
        ctx,
        plan,
        product,
        title=title,
        feeds=(site_feed(ctx, lang),),
        json_ld=collection(ctx, lang, title, "", path, tuple(members)),
    )
    return render_page(
        ctx,
        plan,
        product,
        "archive_year.html",
        meta,
        months=groups,
        count=len(members),
        count_text=count_text(len(members), lang),
        breadcrumb=archive_trail(ctx, lang, 2),
    )


def make_month(ctx: SiteContext, plan: SitePlan, product: Product) -> Produced:
    """One month of a language's archive."""
    lang, year, month = str(product.params[0]), int(product.params[1]), int(product.params[2])
    listing: Listing = ctx.ask("month", lang, year, month)
    title = l10n.month_label(year, month, lang)
    path = urls.archive(lang, year, month)
    meta = page_meta(
        ctx,
        plan,
        product,
        title=title,
        feeds=(site_feed(ctx, lang),),
        json_ld=collection(ctx, lang, title, "", path, listing.members),
    )
    return render_page(
        ctx,
        plan,
        product,
        "archive_month.html",
        meta,
        count=listing.total,
        count_text=count_text(listing.total, lang),
        cards=[card(ctx, p) for p in listing.members],
        breadcrumb=archive_trail(ctx, lang, 3, year),
    )


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
    }
    groups = [FeedGroup("site", headings["site"], (site,))]
    for taxonomy in ("sectors", "people"):
        entries = []
        for term_id in ctx.ask("used_terms", taxonomy):
            name = ctx.term(taxonomy, term_id).name[lang]
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
    meta = page_meta(ctx, plan, product, title=_("Feeds"), feeds=(site_feed(ctx, lang),))
    return render_page(
        ctx,
        plan,
        product,
        "feeds.html",
        meta,
        groups=feed_groups(ctx, lang),
        opml_url=ctx.urls.link(urls.opml(lang)),
    )


def make_search_page(ctx: SiteContext, plan: SitePlan, product: Product) -> Produced:
    """A language's search page: Pagefind's interface over every part of its index."""
    lang = str(product.params[0])
    _ = ctx.translator(lang)
    buckets: tuple[str, ...] = ctx.ask("buckets", lang)
    meta = page_meta(ctx, plan, product, title=_("Search"), feeds=(site_feed(ctx, lang),))
    link = ctx.urls.link
    search = {
        "stylesheet": link(urls.search_bundle(lang) + "pagefind-ui.css"),
        "script": link(urls.search_bundle(lang) + "pagefind-ui.js"),
        "start": link("static/search.js"),
        "bundles": [link(urls.search_bundle(lang, b)) for b in buckets],
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
