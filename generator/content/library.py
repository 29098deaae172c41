"""The Archive: every article, its translations, its terms and their ordering, built once.

This is the one place that owns relations; rendering only reads it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from generator.config.settings import Settings
from generator.content import links
from generator.content.article import Article
from generator.content.registry import TAXONOMIES, Registry, Term
from generator.core.errors import ContentError, did_you_mean
from generator.site import urls


@dataclass(frozen=True, slots=True)
class Archive:
    """Everything the site shows, with its relations resolved."""

    settings: Settings
    #: Per language, newest first.
    articles: Mapping[str, tuple[Article, ...]]
    #: Translation key → language → article.
    translations: Mapping[str, Mapping[str, Article]]
    #: Taxonomy key → term id → term, for the terms at least one article uses, sorted by id.
    terms: Mapping[str, Mapping[str, Term]]
    #: (taxonomy key, term id, language) → that term's articles, newest first.
    term_articles: Mapping[tuple[str, str, str], tuple[Article, ...]]
    #: Source file path → article, for links written as paths to source files.
    by_path: Mapping[str, Article]

    def link_target(self, kind: str, target: str, lang: str) -> str:
        """The site path a checked body link leads to from a page in ``lang``."""
        if kind == links.ARTICLE:
            translation = self.translation(self.by_path[target], lang)
            assert translation is not None, "checked by build_archive"
            return urls.article(translation)
        if kind == links.MEDIA:
            return urls.media(target)
        return target

    def translation(self, article: Article, lang: str) -> Article | None:
        """Return ``article`` in ``lang``, if it was written in that language."""
        return self.translations[article.key].get(lang)

    def articles_of(self, taxonomy: str, term_id: str, lang: str) -> tuple[Article, ...]:
        """Return the articles in ``lang`` that name a term, newest first."""
        return self.term_articles.get((taxonomy, term_id, lang), ())

    def term(self, taxonomy: str, term_id: str) -> Term:
        """Return one term by id."""
        return self.terms[taxonomy][term_id]


@dataclass(frozen=True, slots=True)
class Selection:
    """Which articles a build publishes."""

    #: Include articles marked ``draft: true``.
    drafts: bool = False
    #: Include articles dated after ``now`` (scheduled).
    future: bool = False
    #: The moment separating published from scheduled articles.
    now: dt.datetime | None = None

    def publishes(self, article: Article) -> bool:
        """True when ``article`` belongs in this build."""
        if article.meta.draft and not self.drafts:
            return False
        return self.future or self.now is None or article.date <= self.now


def newest_first(articles: Iterable[Article]) -> tuple[Article, ...]:
    """Sort by date, newest first; the slug breaks ties so the order never varies."""
    return tuple(sorted(articles, key=lambda a: (-a.date.timestamp(), a.slug)))


def build_archive(
    settings: Settings,
    articles: Iterable[Article],
    registries: Mapping[str, Registry],
    selection: Selection,
    files: Iterable[str] = (),
) -> Archive | list[ContentError]:
    """Relate articles to each other and to the registries; return every problem found.

    ``files`` lists every article file found, including those that did not parse, so that a
    link to a broken article is not also reported as a link to a missing one.
    """
    errors: list[ContentError] = []
    kept = [a for a in articles if selection.publishes(a)]
    errors.extend(_unknown_terms(kept, registries))
    errors.extend(_duplicates(kept, lambda a: a.slug, "slug"))
    errors.extend(
        _duplicates([a for a in kept if a.meta.translation_key], lambda a: a.key, "translation_key")
    )
    if errors:
        return errors

    translations: dict[str, dict[str, Article]] = defaultdict(dict)
    for article in sorted(kept, key=lambda a: a.path):
        translations[article.key][article.lang] = article
    parsed = {a.path for a in articles}
    errors.extend(_broken_article_links(kept, translations, parsed, parsed | set(files)))
    if errors:
        return errors
    by_lang = {lang: newest_first(a for a in kept if a.lang == lang) for lang in settings.languages}
    term_articles: dict[tuple[str, str, str], list[Article]] = defaultdict(list)
    for lang, ordered in by_lang.items():
        for article in ordered:
            for taxonomy, ids in (
                ("sectors", article.meta.sectors),
                ("people", article.meta.people),
            ):
                for term_id in ids:
                    term_articles[(taxonomy, term_id, lang)].append(article)
    used = {(tax, term_id) for tax, term_id, _ in term_articles}
    terms = {
        tax.key: {
            term_id: term
            for term_id, term in sorted(registries[tax.key].terms.items())
            if (tax.key, term_id) in used
        }
        for tax in TAXONOMIES
    }
    return Archive(
        settings=settings,
        articles=by_lang,
        translations={key: dict(langs) for key, langs in translations.items()},
        terms=terms,
        term_articles={key: tuple(value) for key, value in term_articles.items()},
        by_path={a.path: a for a in kept},
    )


def _broken_article_links(
    articles: Iterable[Article],
    translations: Mapping[str, Mapping[str, Article]],
    parsed: set[str],
    all_paths: set[str],
) -> list[ContentError]:
    """A link to another article must lead to that article in the linking page's language."""
    by_path = {a.path: a for a in articles}
    errors = []
    for article in articles:
        for ref in article.links:
            if ref.kind != links.ARTICLE:
                continue
            target = by_path.get(ref.target)
            if target is None:
                if ref.target not in all_paths:
                    why = "no such article file"
                elif ref.target in parsed:
                    why = "that article is not published (a draft, or dated in the future)"
                else:
                    continue  # the target has errors of its own, reported there

                errors.append(ContentError(article.path, ref.line, f"link to {ref.target}: {why}"))
            elif article.lang not in translations[target.key]:
                have = ", ".join(sorted(translations[target.key]))
                errors.append(
                    ContentError(
                        article.path,
                        ref.line,
                        f"link to {ref.target}: that article has no '{article.lang}' version "
                        f"to link from a '{article.lang}' page (it exists in: {have})",
                    )
                )
    return errors


def _unknown_terms(
    articles: Iterable[Article], registries: Mapping[str, Registry]
) -> list[ContentError]:
    errors = []
    for article in articles:
        for taxonomy, ids in (("sectors", article.meta.sectors), ("people", article.meta.people)):
            registry = registries[taxonomy]
            known = registry.terms
            for index, term_id in enumerate(ids):
                if not registry.knows(term_id):
                    errors.append(
                        ContentError(
                            article.path,
                            article.meta.lines.get((taxonomy, index), 1),
                            f"unknown {'sector' if taxonomy == 'sectors' else 'person'} "
                            f"'{term_id}': not in content/taxonomies/{taxonomy}.yaml"
                            f"{did_you_mean(term_id, known)}",
                        )
                    )
    return errors


def _duplicates(
    articles: Iterable[Article], value_of: Callable[[Article], str], what: str
) -> list[ContentError]:
    """Two articles of one language must not share a slug (or translation key)."""
    first: dict[tuple[str, str], Article] = {}
    errors = []
    for article in sorted(articles, key=lambda a: a.path):
        value = (article.lang, value_of(article))
        if value in first:
            errors.append(
                ContentError(
                    article.path,
                    article.meta.lines.get((what,), 1),
                    f"duplicate {what} '{value[1]}' in language '{article.lang}': "
                    f"{first[value].path} has it too",
                )
            )
        else:
            first[value] = article
    return errors
