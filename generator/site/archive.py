"""The archive of one language: its index of years and months, a page per year and per month,
and the breadcrumb trail that article pages share with them.
"""

from __future__ import annotations

from generator.site import l10n, urls
from generator.site.chrome import (
    Produced,
    card,
    collection,
    count_text,
    page_meta,
    render_page,
    site_feed,
)
from generator.site.context import SiteContext
from generator.site.paging import Listing
from generator.site.plan import Product, SitePlan
from generator.site.views import (
    Link,
    MonthGroup,
    Period,
    YearGroup,
)


def archive_trail(ctx: SiteContext, lang: str, depth: int, year: int = 0) -> tuple[Link, ...]:
    """The breadcrumb above an archive page: home, the archive, the year (``depth`` of them)."""
    _ = ctx.translator(lang)
    trail = (
        Link(_("Home"), ctx.urls.link(urls.home(lang))),
        Link(_("Archive"), ctx.urls.link(urls.archive(lang))),
        Link(l10n.year_label(year, lang) if year else "", ctx.urls.link(urls.archive(lang, year))),
    )
    return trail[:depth]


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
    meta = page_meta(
        ctx,
        plan,
        product,
        title=title,
        description=_("Every summary of the archive, by year and month."),
        feeds=(site_feed(ctx, lang),),
    )
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
        groups.append(MonthGroup(period, tuple(ctx.headline(p, lang) for p in paths)))
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
        cards=[card(ctx, p, lang) for p in listing.members],
        breadcrumb=archive_trail(ctx, lang, 3, year),
    )
