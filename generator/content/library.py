"""The library: every published article's placement, its translations, its terms and their
order, built once per build from placements alone (see placement.py).

This is the one place that owns relations; planning and producing only read it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter

from generator.config.settings import Settings
from generator.content.links import ARTICLE, MEDIA
from generator.content.placement import Placement
from generator.content.registry import TAXONOMIES, Registry, Term, spellings
from generator.content.selection import Selection
from generator.core.errors import ContentError, Result, did_you_mean

#: Year → month → placements of that month, newest first.
Calendar = Mapping[int, Mapping[int, tuple[Placement, ...]]]


@dataclass(frozen=True, slots=True)
class Library:
    """Everything the site shows, with its relations resolved."""

    settings: Settings
    #: Per language, its articles, newest first.
    articles: Mapping[str, tuple[Placement, ...]]
    #: Per language, what its lists show, newest first: its articles, and each article that has
    #: no version in it (in the first site language it was written in), marked on the page.
    listed: Mapping[str, tuple[Placement, ...]]
    #: Translation key → language → article.
    translations: Mapping[str, Mapping[str, Placement]]
    #: Taxonomy key → term id → term, for the terms at least one article uses, sorted by id.
    terms: Mapping[str, Mapping[str, Term]]
    #: (taxonomy key, term id, language) → that term's articles, newest first.
    term_articles: Mapping[tuple[str, str, str], tuple[Placement, ...]]
    #: The same for what the term's lists show (see ``listed``).
    term_listed: Mapping[tuple[str, str, str], tuple[Placement, ...]]
    #: Source file path → article.
    by_path: Mapping[str, Placement]
    #: Source file path → its index in its language's list.
    positions: Mapping[str, int]
    #: Per language, what its lists show by year and month.
    calendars: Mapping[str, Calendar]
    #: Every (year, month) with an article in any language, newest first.
    months: tuple[tuple[int, int], ...]

    def translation(self, article: Placement, lang: str) -> Placement | None:
        """Return ``article`` in ``lang``, if it was written in that language."""
        return self.translations[article.key].get(lang)

    def articles_of(self, taxonomy: str, term_id: str, lang: str) -> tuple[Placement, ...]:
        """Return the articles in ``lang`` that name a term, newest first."""
        return self.term_articles.get((taxonomy, term_id, lang), ())

    def listed_of(self, taxonomy: str, term_id: str, lang: str) -> tuple[Placement, ...]:
        """What a term's lists in ``lang`` show: its articles and those in no version there."""
        return self.term_listed.get((taxonomy, term_id, lang), ())

    def term(self, taxonomy: str, term_id: str) -> Term:
        """Return one term by id."""
        return self.terms[taxonomy][term_id]

    def neighbours(self, article: Placement) -> tuple[Placement | None, Placement | None]:
        """The article published just before ``article`` and the one just after, in its
        language (newest first: the older one comes after it in the list)."""
        ordered = self.articles[article.lang]
        index = self.positions[article.path]
        older = ordered[index + 1] if index + 1 < len(ordered) else None
        newer = ordered[index - 1] if index > 0 else None
        return older, newer

    def media(self) -> list[str]:
        """Every local file a published article links, sorted."""
        return sorted(
            {target for a in self.by_path.values() for kind, target, _ in a.links if kind == MEDIA}
        )


def newest_first(articles: Iterable[Placement]) -> tuple[Placement, ...]:
    """Sort by date, newest first; the slug breaks ties so the order never varies."""
    return tuple(sorted(articles, key=lambda a: (-a.timestamp, a.slug)))


def build_library(
    settings: Settings,
    articles: Iterable[Placement],
    registries: Mapping[str, Registry],
    selection: Selection,
    files: Iterable[str] = (),
) -> Result[Library | None]:
    """Relate articles to each other and to the registries; return every problem found.

    ``files`` lists every article file found, including those that did not parse, so that a
    link to a broken article is not also reported as a link to a missing one.
    """
    everything = list(articles)
    kept = [a for a in everything if selection.publishes(a)]
    errors = [
        *_unknown_terms(kept, registries),
        *_duplicates(kept, lambda a: a.slug, "slug"),
        *_duplicates(
            [a for a in kept if "translation_key" in a.lines], lambda a: a.key, "translation_key"
        ),
    ]
    if errors:
        return Result(None, tuple(errors))
    translations: dict[str, dict[str, Placement]] = defaultdict(dict)
    for article in sorted(kept, key=lambda a: a.path):
        translations[article.key][article.lang] = article
    parsed = {a.path for a in everything}
    by_path = {a.path: a for a in kept}
    errors.extend(_broken_article_links(kept, by_path, translations, parsed, set(files)))
    if errors:
        return Result(None, tuple(errors))
    languages = settings.languages
    # Sorted once: the sort is stable, so each list below, a filter of it, is in the order
    # that sorting it alone would give.
    ordered = newest_first(kept)
    by_lang = {lang: tuple(a for a in ordered if a.lang == lang) for lang in languages}
    listed = {
        lang: tuple(
            a for a in ordered if a.lang == lang or _stands_in(a, lang, translations, languages)
        )
        for lang in languages
    }
    term_articles = _by_term(by_lang)
    term_listed = _by_term(listed)
    used = {(tax, term_id) for tax, term_id, _ in term_articles}
    terms = {
        tax.key: {
            term_id: term
            for term_id, term in sorted(registries[tax.key].terms.items())
            if (tax.key, term_id) in used
        }
        for tax in TAXONOMIES
    }
    calendars = {lang: _calendar(ordered) for lang, ordered in listed.items()}
    months = sorted(
        {(y, m) for cal in calendars.values() for y in cal for m in cal[y]}, reverse=True
    )
    library = Library(
        settings=settings,
        articles=by_lang,
        listed=listed,
        translations={key: dict(langs) for key, langs in translations.items()},
        terms=terms,
        term_articles=term_articles,
        term_listed=term_listed,
        by_path=by_path,
        positions={a.path: i for ordered in by_lang.values() for i, a in enumerate(ordered)},
        calendars=calendars,
        months=tuple(months),
    )
    return Result(library)


def updated_library(
    library: Library,
    settings: Settings,
    articles: Iterable[Placement],
    selection: Selection,
    files: Iterable[str] = (),
) -> Library | None:
    """``library`` with the placements among ``articles`` that differ from its own put in their
    place, when none of them moved: the same articles published, each with the position it had
    (language, URL, date, terms), and the same settings. This is what a long-lived process
    (``serve``) does for an edited body or title instead of relating the whole archive again.
    None when it cannot be done so (``build_library`` then builds it); the registries and the
    article files must be those ``library`` was built with (the caller knows)."""
    everything = list(articles)
    kept = [a for a in everything if selection.publishes(a)]
    if settings != library.settings or len(kept) != len(library.by_path):
        return None
    changed: dict[str, Placement] = {}
    for article in kept:
        old = library.by_path.get(article.path)
        if old is article:
            continue
        if (
            old is None
            or old.position != article.position
            or ("translation_key" in old.lines) != ("translation_key" in article.lines)
        ):
            return None  # it moved, or it is new: relations may change
        changed[article.path] = article
    if not changed:
        return library
    if len(changed) > len(kept) // 10:
        return None  # relating them all again is as quick
    by_path = {**library.by_path, **changed}
    parsed = {a.path for a in everything}
    links = _broken_article_links(
        changed.values(), by_path, library.translations, parsed, set(files)
    )
    if links:
        return None  # the build reports them
    return _with_placements(library, changed, by_path)


def _with_placements(
    library: Library, changed: Mapping[str, Placement], by_path: Mapping[str, Placement]
) -> Library:
    """``library`` with ``changed`` in place of the placements of the same paths (which stand
    where they stood), each list that holds one of them copied."""

    def swap(items: tuple[Placement, ...]) -> tuple[Placement, ...]:
        if not any(a.path in changed for a in items):
            return items
        return tuple(changed.get(a.path, a) for a in items)

    languages = library.settings.languages
    articles = dict(library.articles)
    translations = dict(library.translations)
    term_keys: set[tuple[str, str, str]] = set()
    for article in changed.values():
        articles[article.lang] = swap(articles[article.lang])
        translations[article.key] = {**translations[article.key], article.lang: article}
        for taxonomy in TAXONOMIES:
            for term_id in article.ids(taxonomy.key):
                term_keys.update((taxonomy.key, term_id, lang) for lang in languages)
    term_articles = dict(library.term_articles)
    term_listed = dict(library.term_listed)
    for key in term_keys:
        for lists in (term_articles, term_listed):
            if key in lists:
                lists[key] = swap(lists[key])
    calendars = {}
    for lang, calendar in library.calendars.items():
        years = {year: dict(months) for year, months in calendar.items()}  # a few dozen
        for article in changed.values():
            if article.month in years.get(article.year, {}):
                years[article.year][article.month] = swap(years[article.year][article.month])
        calendars[lang] = years
    return replace(
        library,
        articles=articles,
        listed={lang: swap(items) for lang, items in library.listed.items()},
        translations=translations,
        term_articles=term_articles,
        term_listed=term_listed,
        by_path=by_path,
        calendars=calendars,
    )


def _stands_in(
    article: Placement,
    lang: str,
    translations: Mapping[str, Mapping[str, Placement]],
    languages: Sequence[str],
) -> bool:
    """True when ``article`` is what ``lang``'s lists show of a story that has no version in
    ``lang``: its version in the first site language that has one."""
    versions = translations[article.key]
    if lang in versions:
        return False
    first = next(other for other in languages if other in versions)
    return article.lang == first


def _by_term(
    lists: Mapping[str, Sequence[Placement]],
) -> dict[tuple[str, str, str], tuple[Placement, ...]]:
    """(taxonomy, term id, language) → the entries of ``lists[language]`` naming the term."""
    found: dict[tuple[str, str, str], list[Placement]] = defaultdict(list)
    keys = [taxonomy.key for taxonomy in TAXONOMIES]
    for lang, ordered in lists.items():
        for key in keys:  # one taxonomy at a time: its field is read without a lookup by name
            ids = attrgetter(key)
            for article in ordered:
                for term_id in ids(article):
                    found[(key, term_id, lang)].append(article)
    return {key: tuple(value) for key, value in found.items()}


def _calendar(articles: Sequence[Placement]) -> Calendar:
    grouped: dict[int, dict[int, list[Placement]]] = defaultdict(lambda: defaultdict(list))
    for article in articles:
        grouped[article.year][article.month].append(article)
    return {year: {m: tuple(a) for m, a in months.items()} for year, months in grouped.items()}


def _broken_article_links(
    linking: Iterable[Placement],
    by_path: Mapping[str, Placement],
    translations: Mapping[str, Mapping[str, Placement]],
    parsed: set[str],
    files: set[str],
) -> list[ContentError]:
    """A link from one of ``linking`` to another article must lead to that article in the
    linking page's language (``by_path``: the published articles; ``parsed``: every article
    file that parsed; ``files``: those that did not too)."""
    errors = []
    for article in linking:
        for kind, target_path, line in article.links:
            if kind != ARTICLE:
                continue
            target = by_path.get(target_path)
            if target is None:
                if target_path not in parsed and target_path not in files:
                    why = "no such article file"
                elif target_path in parsed:
                    why = "that article is not published (a draft, or dated in the future)"
                else:
                    continue  # the target has errors of its own, reported there
                errors.append(ContentError(article.path, line, f"link to {target_path}: {why}"))
            elif article.lang not in translations[target.key]:
                have = ", ".join(sorted(translations[target.key]))
                errors.append(
                    ContentError(
                        article.path,
                        line,
                        f"link to {target_path}: that article has no '{article.lang}' version "
                        f"to link from a '{article.lang}' page (it exists in: {have})",
                    )
                )
    return errors


def _unknown_terms(
    articles: Sequence[Placement], registries: Mapping[str, Registry]
) -> list[ContentError]:
    # Most builds name no unknown term: each term named is looked up once, and only when one
    # is unknown is every article looked at.
    if all(
        registries[taxonomy.key].knows(term_id)
        for taxonomy in TAXONOMIES
        for term_id in set().union(*map(attrgetter(taxonomy.key), articles))
    ):
        return []
    errors = []
    for article in articles:
        for taxonomy in TAXONOMIES:
            registry = registries[taxonomy.key]
            for index, term_id in enumerate(article.ids(taxonomy.key)):
                if not registry.knows(term_id):
                    errors.append(
                        ContentError(
                            article.path,
                            article.line(f"{taxonomy.key}.{index}"),
                            f"unknown {taxonomy.singular} '{term_id}': not in "
                            f"content/taxonomies/{taxonomy.key}.yaml"
                            f"{did_you_mean(term_id, spellings(registry.terms))}",
                        )
                    )
    return errors


def _duplicates(
    articles: Iterable[Placement], value_of: Callable[[Placement], str], what: str
) -> list[ContentError]:
    """Two articles of one language must not share a slug (or translation key)."""
    values = [(article.lang, value_of(article)) for article in articles]
    if len(set(values)) == len(values):  # the usual case, told without sorting
        return []
    first: dict[tuple[str, str], Placement] = {}
    errors = []
    for article in sorted(articles, key=lambda a: a.path):
        value = (article.lang, value_of(article))
        if value in first:
            errors.append(
                ContentError(
                    article.path,
                    article.line(what),
                    f"duplicate {what} '{value[1]}' in language '{article.lang}': "
                    f"{first[value].path} has it too",
                )
            )
        else:
            first[value] = article
    return errors
