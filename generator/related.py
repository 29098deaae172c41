"""Where an article page leads besides itself: its neighbours in time and its terms' pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.content.article import Article
from generator.content.library import Archive
from generator.site import urls
from generator.site.urls import Urls
from generator.views import Link, term_link


@dataclass(frozen=True, slots=True)
class TermLine:
    """A sector or person an article names: its page and its detail (description or role)."""

    link: Link
    detail: str


@dataclass(frozen=True, slots=True)
class Neighbours:
    """The articles published just before and just after one, in the same language."""

    previous: Link | None
    next: Link | None


def neighbours(ordered: Sequence[Article], index: int, link: Urls) -> Neighbours:
    """The neighbours of ``ordered[index]`` in a newest-first list of one language."""

    def at(position: int) -> Link | None:
        if 0 <= position < len(ordered):
            other = ordered[position]
            return Link(other.title, link.link(urls.article(other)))
        return None

    # Newest first: the older article (previous in time) comes after this one.
    return Neighbours(previous=at(index + 1), next=at(index - 1))


def more_on(article: Article, archive: Archive, link: Urls) -> dict[str, tuple[TermLine, ...]]:
    """Per taxonomy, the article's terms, linked to their pages, with their detail line.

    No counts: a count would change every article of a sector whenever one is added to it,
    and an incremental build would render them all again.
    """
    lang = article.lang
    found = {}
    for taxonomy, ids in (("sectors", article.meta.sectors), ("people", article.meta.people)):
        terms = (archive.term(taxonomy, term_id) for term_id in ids)
        found[taxonomy] = tuple(
            TermLine(term_link(term, lang, link), term.detail[lang]) for term in terms
        )
    return found
