"""What a page tells machines about itself: Open Graph locales and schema.org JSON-LD.

Everything here is plain data built from views the pages already show; templates only print it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from typing import Any

from babel import Locale
from babel.core import get_global

from generator.site.views import ArticleView, CitationView, Link

SCHEMA = "https://schema.org"

#: Characters that could end a <script> element or open markup inside it, as JSON escapes.


@functools.cache
def og_locale(lang: str) -> str:
    """The Open Graph locale of a site language: 'ko' → 'ko_KR', 'en' → 'en_US'."""
    locale = Locale.parse(lang)
    if locale.territory is None:
        likely = get_global("likely_subtags").get(locale.language)
        if likely:
            locale = Locale.parse(likely)
    return f"{locale.language}_{locale.territory}" if locale.territory else locale.language


def json_ld(data: Mapping[str, Any]) -> str:
    """``data`` as JSON that is safe inside <script type="application/ld+json">.

    A title holding ``</script>`` must not end the element: ``<``, ``>`` and ``&`` are written
    as JSON escapes, which mean the same characters to any JSON reader.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # str.replace is many times faster than translate() with a mapping on long text.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def organization(name: str, url: str) -> dict[str, Any]:
    """The site as the publisher of its pages."""
    return {"@type": "Organization", "name": name, "url": url}


def news_article(
    view: ArticleView,
    *,
    url: str,
    lang: str,
    modified_iso: str,
    sectors: Iterable[Link],
    people: Iterable[tuple[Link, str]],
    publisher: Mapping[str, Any],
    images: Iterable[str] = (),
) -> dict[str, Any]:
    """A schema.org NewsArticle: what an article page is about, whom it names, what it sums up.

    ``sectors`` and ``people`` carry absolute URLs; each person comes with their role.
    """
    return {
        "@context": SCHEMA,
        "@type": "NewsArticle",
        "headline": view.title,
        "description": view.summary,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": view.date_iso,
        "dateModified": modified_iso,
        "inLanguage": lang,
        "about": [{"@type": "Thing", "name": s.text, "url": s.url} for s in sectors],
        "mentions": [
            {"@type": "Person", "name": p.text, "url": p.url, "jobTitle": role}
            for p, role in people
        ],
        "isBasedOn": [report(c) for c in view.sources],
        "image": list(images),
        "author": publisher,
        "publisher": publisher,
    }


def report(citation: CitationView) -> dict[str, Any]:
    """A report an article is based on, as schema.org NewsArticle."""
    data: dict[str, Any] = {
        "@type": "NewsArticle",
        "headline": citation.headline,
        "inLanguage": citation.headline_lang,
        "url": citation.url,
        "datePublished": citation.date_iso,
        "publisher": {
            "@type": "Organization",
            "name": citation.outlet.text,
            "url": citation.outlet_home,
        },
    }
    if citation.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in citation.authors]
    return data


def collection_page(
    *,
    name: str,
    description: str,
    url: str,
    lang: str,
    items: Iterable[str],
    website: Mapping[str, Any],
) -> dict[str, Any]:
    """A schema.org CollectionPage listing articles (by absolute URL), part of the website."""
    return {
        "@context": SCHEMA,
        "@type": "CollectionPage",
        "name": name,
        "description": description,
        "url": url,
        "inLanguage": lang,
        "isPartOf": dict(website),
        "hasPart": [{"@type": "NewsArticle", "url": item} for item in items],
    }


def website(
    *, name: str, description: str, url: str, lang: str, search_url: str | None
) -> dict[str, Any]:
    """A schema.org WebSite, with a SearchAction when the site has search."""
    data: dict[str, Any] = {
        "@type": "WebSite",
        "name": name,
        "description": description,
        "url": url,
        "inLanguage": lang,
    }
    if search_url:
        data["potentialAction"] = {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": search_url + "?q={search_term}"},
            "query-input": "required name=search_term",
        }
    return data
