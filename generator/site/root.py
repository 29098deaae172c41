"""The pages at the site root, in no one language: the language chooser and the bilingual 404.

Both show every language side by side, each part marked with its own ``lang``; they are the
x-default of the language homes and of the language "page not found" pages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.site import l10n, metadata, urls
from generator.site.chrome import Produced, feed_title, share_image
from generator.site.context import SiteContext
from generator.site.plan import Product, SitePlan
from generator.site.views import Alternate, Link


def _alternates(
    ctx: SiteContext, path_of: Callable[[str], str], root: str
) -> tuple[Alternate, ...]:
    found = [Alternate(lang, ctx.urls.absolute(path_of(lang))) for lang in ctx.settings.languages]
    found.append(Alternate("x-default", ctx.urls.absolute(root)))
    return tuple(found)


def chooser_alternates(ctx: SiteContext) -> tuple[Alternate, ...]:
    """The chooser's hreflang alternates: every language's home, and itself as x-default."""
    return _alternates(ctx, urls.home, "")


def _head(ctx: SiteContext, path: str, alternates: tuple[Alternate, ...]) -> dict[str, Any]:
    """What both root pages' <head> shows: links, feeds, Open Graph in the default language."""
    settings = ctx.settings
    default = settings.default_language
    return {
        "lang": default,
        "alternates": alternates,
        "canonical": ctx.urls.absolute(path),
        "stylesheet": ctx.urls.link("static/style.css"),
        "icon": ctx.urls.link("static/favicon.svg"),
        "feeds": [
            {"title": feed_title(ctx, lang), "url": ctx.urls.absolute(urls.feed(lang))}
            for lang in settings.languages
        ],
        "site_title": " · ".join(settings.title[lang] for lang in settings.languages),
        "description": settings.description[default],
        "og_locale": metadata.og_locale(default),
        "og_alternates": [
            metadata.og_locale(lang) for lang in settings.languages if lang != default
        ],
        "image": share_image(ctx, default),
    }


def make_chooser(ctx: SiteContext, plan: SitePlan, product: Product) -> Produced:
    """index.html at the root: every language's home, and a redirect to the reader's."""
    settings = ctx.settings
    homes = [
        {
            "lang": lang,
            "name": l10n.language_name(lang),
            "title": settings.title[lang],
            "description": settings.description[lang],
            "url": ctx.urls.link(urls.home(lang)),
            "feed": ctx.urls.link(urls.feed(lang)),
        }
        for lang in settings.languages
    ]
    context = {**_head(ctx, "", chooser_alternates(ctx)), "homes": homes}
    html = ctx.render(settings.default_language, "chooser.html", **context)
    return {"index.html": html.encode("utf-8")}


def make_root_not_found(ctx: SiteContext, plan: SitePlan, product: Product) -> Produced:
    """404.html at the root, in every language."""
    settings = ctx.settings
    sections = []
    for lang in settings.languages:
        _ = ctx.translator(lang)
        links = [
            Link(_("Latest summaries"), ctx.urls.link(urls.home(lang))),
            Link(_("Archive"), ctx.urls.link(urls.archive(lang))),
        ]
        if settings.search:
            links.append(Link(_("Search"), ctx.urls.link(urls.search(lang))))
        sections.append(
            {
                "lang": lang,
                "site_title": settings.title[lang],
                "heading": _("Page not found"),
                "text": _(
                    "There is no page at this address. It may have moved, or the address "
                    "may have a typing mistake.",
                ),
                "links": links,
            }
        )
    alternates = _alternates(ctx, urls.not_found, urls.not_found())
    context = {
        **_head(ctx, urls.not_found(), alternates),
        "sections": sections,
        "not_found_script": ctx.urls.link("static/not-found.js"),
    }
    html = ctx.render(settings.default_language, "404_root.html", **context)
    return {urls.not_found(): html.encode("utf-8")}
