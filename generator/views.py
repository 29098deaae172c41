"""Plain view objects handed to templates: everything a page shows, already localized."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from generator import i18n
from generator.content.article import Article
from generator.content.library import Archive
from generator.content.links import resolve_placeholders
from generator.content.registry import Term
from generator.site import urls
from generator.site.urls import Urls


@dataclass(frozen=True, slots=True)
class Link:
    """Text and where it leads."""

    text: str
    url: str


@dataclass(frozen=True, slots=True)
class ArticleView:
    """An article as a page or a list entry shows it."""

    title: str
    url: str
    #: Machine-readable publication time for <time datetime>.
    date_iso: str
    #: Localized date, e.g. '2025년 8월 25일'.
    date_text: str
    summary: str
    sectors: tuple[Link, ...]
    people: tuple[Link, ...]
    source_name: str
    source_url: str
    #: Shown with a visible marker (only builds with --drafts have drafts).
    draft: bool


def term_link(term: Term, lang: str, link: Urls) -> Link:
    """A sector's or person's name in ``lang``, linked to its page."""
    return Link(term.name[lang], link.link(urls.term(lang, term.taxonomy, term.id)))


def body_html(article: Article, archive: Archive, link: Urls) -> Markup:
    """The article's HTML with its links to articles, images and site pages resolved."""
    # The body is the author's Markdown rendered to HTML and sanitized: it is markup.
    return Markup(
        resolve_placeholders(
            article.body_html,
            article.links,
            lambda ref: link.link(archive.link_target(ref.kind, ref.target, article.lang)),
        )
    )


def article_view(article: Article, archive: Archive, link: Urls) -> ArticleView:
    """Localize an article for display in its own language."""
    lang = article.lang
    local = article.date.astimezone(archive.settings.zone)
    return ArticleView(
        title=article.title,
        url=link.link(urls.article(article)),
        date_iso=local.isoformat(),
        date_text=i18n.local_date(local, lang),
        summary=article.summary,
        sectors=tuple(
            term_link(archive.term("sectors", s), lang, link) for s in article.meta.sectors
        ),
        people=tuple(term_link(archive.term("people", p), lang, link) for p in article.meta.people),
        source_name=article.meta.source.name,
        source_url=article.meta.source.url,
        draft=article.meta.draft,
    )
