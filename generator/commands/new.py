"""`pressroom new`: start an article, or the translation of one, as files an author fills in."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from slugify import slugify

from generator.commands.scaffold import NewArticle, Original, new_article_text, translation_text
from generator.config.settings import Settings, read_settings
from generator.content import frontmatter
from generator.content.article import find_articles, read_article
from generator.content.registry import PEOPLE, SECTORS, Taxonomy, Term, load_registry, spellings
from generator.core import fields
from generator.core.errors import ContentError, did_you_mean
from generator.core.files import SiteDir, decode_text
from generator.core.layout import ARTICLES_DIR

#: Long headlines make long URLs; slugify cuts at a word boundary below this.
MAX_SLUG_LENGTH = 60
#: Abbreviations and possessives read better joined than split: "U.S." → "us", "Lee's" → "lees".
SLUG_REPLACEMENTS = [(".", ""), ("'", ""), ("\u2019", "")]
EXAMPLE_SLUG = "korea-us-summit"


class Refused(Exception):
    """The command cannot go ahead; carries every reason, each a line for the author."""

    def __init__(self, messages: Iterable[str]) -> None:
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


@dataclass(frozen=True, slots=True)
class PlannedFile:
    """One file ``new`` will write: its path relative to the site directory, and its text."""

    rel: Path
    text: str


# --- the command ---------------------------------------------------------------------------


def run_new(args: argparse.Namespace) -> int:
    """Run `pressroom new` from parsed arguments; return the exit status."""
    source: Path = args.source
    site = SiteDir(source)
    read = read_settings(site)
    if read.errors:
        return _refuse(str(error) for error in sorted(read.errors))
    settings = read.value
    try:
        if args.translate is not None:
            planned = plan_translation(site, settings, args)
            check_free(site, planned)
        else:
            planned = plan_new(site, settings, args)
            check_free(site, planned, " (choose another --slug)")
    except Refused as refused:
        return _refuse(refused.messages)
    for item in planned:
        write_new_file(source, item)
        print((source / item.rel).as_posix())
    print(_next_steps(args.translate is not None), file=sys.stderr)
    return 0


def _refuse(messages: Iterable[str]) -> int:
    for message in messages:
        print(message, file=sys.stderr)
    print("nothing was written", file=sys.stderr)
    return 1


def _next_steps(translation: bool) -> str:
    if translation:
        todo = "translate the title (the build refuses an empty one), the summary and the body"
    else:
        todo = (
            "fill in the report under sources: its outlet, headline, url and published date "
            "(the build refuses the file until then), and write the body"
        )
    return (
        f"next: {todo}; preview with `pressroom serve --drafts`, "
        "then delete the line 'draft: true' to publish"
    )


def plan_new(site: SiteDir, settings: Settings, args: argparse.Namespace) -> list[PlannedFile]:
    """The files of a new article as the arguments describe it; raise Refused if they can't be."""
    if args.title is None:
        raise Refused(['a title is needed: pressroom new "Title" (or --translate FILE)'])
    problems: list[str] = []
    title = _checked(fields.text, args.title, "title", problems)
    languages = parse_languages(args.lang, settings.languages, problems)
    slug = _checked(fields.slug, args.slug, "--slug", problems) if args.slug else None
    if slug is None and title is not None:
        slug = slug_from_title(title, problems)
    date = parse_date(args.date, settings.zone, problems)
    sectors = check_terms(site, SECTORS, _ids(args.sector), settings.languages, problems)
    people = check_terms(site, PEOPLE, _ids(args.person), settings.languages, problems)
    if problems or title is None or slug is None:
        raise Refused(problems)
    article = NewArticle(title, slug, date, languages, sectors, people)
    return [
        PlannedFile(article_path(slug, lang, date, settings.zone), new_article_text(article))
        for lang in languages
    ]


def plan_translation(
    site: SiteDir, settings: Settings, args: argparse.Namespace
) -> list[PlannedFile]:
    """The translation files of ``args.translate``; raise Refused if they can't be written."""
    given = [
        option
        for option, value in (
            ("--slug", args.slug),
            ("--date", args.date),
            ("--sector", args.sector),
            ("--person", args.person),
        )
        if value
    ]
    if given:
        raise Refused(
            [
                f"--translate takes slug, date, sectors, people and sources from the original: "
                f"leave out {', '.join(given)}"
            ]
        )
    original = read_original(site, Path(args.translate), settings)
    problems: list[str] = []
    title = _checked(fields.text, args.title, "title", problems) if args.title else None
    if args.lang is None:
        languages = tuple(lang for lang in settings.languages if lang != original.lang)
    else:
        languages = parse_languages(args.lang, settings.languages, problems)
    if original.lang in languages:
        problems.append(
            f"{original.rel.as_posix()} is already the {original.lang} version: "
            f"choose --lang from {', '.join(x for x in settings.languages if x != original.lang)}"
        )
    if problems:
        raise Refused(problems)
    stem = original.rel.name[: -len(f".{original.lang}.md")]
    return [
        PlannedFile(
            original.rel.parent / f"{stem}.{lang}.md", translation_text(original, lang, title)
        )
        for lang in languages
    ]


def check_free(site: SiteDir, planned: Sequence[PlannedFile], hint: str = "") -> None:
    """Refuse when a planned file exists, or its slug is taken in its language in another year."""
    problems = []
    source = site.source
    existing = [Path(found.rel) for found in find_articles(site)[0]]
    for item in planned:
        outside = site.directory_problem(item.rel.parent.as_posix())
        if outside is not None:
            problems.append(str(outside))
            continue
        if (source / item.rel).exists() or (source / item.rel).is_symlink():
            problems.append(
                f"{(source / item.rel).as_posix()}: already exists; "
                f"pressroom new never overwrites a file{hint}"
            )
            continue
        for other in existing:
            if other.name == item.rel.name:
                problems.append(
                    f"{(source / other).as_posix()}: already uses the slug and language of "
                    f"{item.rel.as_posix()}{hint}"
                )
    if problems:
        raise Refused(problems)


def write_new_file(source: Path, item: PlannedFile) -> None:
    """Create one planned file; "x" mode so that a file made meanwhile is never overwritten."""
    path = source / item.rel
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(item.text)


# --- checking what the author typed --------------------------------------------------------


def _checked(
    check: Callable[..., str], value: object, name: str, problems: list[str]
) -> str | None:
    try:
        result: str = check(value, name=name)
    except fields.Invalid as exc:
        problems.append(str(exc))
        return None
    return result


def _ids(values: Sequence[str] | None) -> tuple[str, ...]:
    """Ids from repeated options, each of which may also be a comma-separated list."""
    ids = (part.strip() for value in values or () for part in value.split(","))
    return tuple(dict.fromkeys(i for i in ids if i))


def parse_languages(
    value: str | None, site: tuple[str, ...], problems: list[str]
) -> tuple[str, ...]:
    """The languages of ``--lang ko,en`` (default: every site language), in the site's order."""
    if value is None:
        return site
    asked = _ids([value])
    unknown = [lang for lang in asked if lang not in site]
    for lang in unknown:
        problems.append(
            f"unknown language '{lang}': the site's languages are {', '.join(site)}"
            f"{did_you_mean(lang, site)}"
        )
    if not asked:
        problems.append(f"--lang needs a language: one or more of {', '.join(site)}")
    return tuple(lang for lang in site if lang in asked)


def slug_from_title(title: str, problems: list[str]) -> str | None:
    """An ASCII slug for a Latin-script title; a Korean title gives none (transliteration
    such as 'hanmi-jeongsanghoedam' is no URL a reader can use)."""
    scripts = {_script(c) for c in title if c.isalpha()}
    if "HANGUL" in scripts:
        problems.append(
            f"a Korean title gives no ASCII slug: add one with --slug, e.g. --slug {EXAMPLE_SLUG}"
        )
        return None
    if scripts - {"LATIN"}:
        problems.append(
            "the title has non-Latin letters, which give no readable ASCII slug: "
            f"add one with --slug, e.g. --slug {EXAMPLE_SLUG}"
        )
        return None
    slug = slugify(
        title,
        max_length=MAX_SLUG_LENGTH,
        word_boundary=True,
        replacements=SLUG_REPLACEMENTS,
    )
    if not fields.SLUG_RE.fullmatch(slug):
        problems.append(f"the title gives no slug: add one with --slug, e.g. --slug {EXAMPLE_SLUG}")
        return None
    return slug


def _script(letter: str) -> str:
    """The first word of a letter's Unicode name: LATIN, HANGUL, CJK, CYRILLIC …"""
    return unicodedata.name(letter, "UNKNOWN").split(" ")[0]


def parse_date(value: str | None, zone: ZoneInfo, problems: list[str]) -> dt.datetime:
    """``--date`` (or now) in the site's time zone, to the second."""
    now = dt.datetime.now(zone).replace(microsecond=0)
    if value is None:
        return now
    try:
        date = fields.timestamp(value, name="--date", zone=zone)
    except fields.Invalid as exc:
        problems.append(str(exc))
        return now
    return date.astimezone(zone).replace(microsecond=0)


def check_terms(
    site: SiteDir,
    taxonomy: Taxonomy,
    ids: tuple[str, ...],
    languages: tuple[str, ...],
    problems: list[str],
) -> tuple[str, ...]:
    """Keep ``ids`` if the registry knows them all; report the others with suggestions."""
    if not ids:
        return ()
    registry = load_registry(site, taxonomy, languages)
    terms = registry.value.terms
    unknown = [term_id for term_id in ids if term_id not in terms]
    if unknown:
        problems.extend(str(error) for error in registry.errors)
        problems.extend(_unknown_term(taxonomy, term_id, terms) for term_id in unknown)
    return ids


def _unknown_term(taxonomy: Taxonomy, term_id: str, terms: Mapping[str, Term]) -> str:
    return (
        f"unknown {taxonomy.singular} '{term_id}': not in content/taxonomies/{taxonomy.key}.yaml"
        f"{did_you_mean(term_id, spellings(terms))}"
    )


def article_path(slug: str, lang: str, date: dt.datetime, zone: ZoneInfo) -> Path:
    """content/articles/<YYYY>/<slug>.<lang>.md, the year taken in the site's time zone."""
    return ARTICLES_DIR / f"{date.astimezone(zone).year:04d}" / f"{slug}.{lang}.md"


# --- reading the original of a translation -------------------------------------------------


def read_original(site: SiteDir, given: Path, settings: Settings) -> Original:
    """Read and validate the article a translation starts from; raise Refused if it can't be."""
    source = site.source
    # Relative to the site first, as paths are shown everywhere else; then to the shell.
    path = source / given if (source / given).exists() else given
    shown = given.as_posix()
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise Refused([f"{shown}: no such article file"]) from None
    root = (source / ARTICLES_DIR).resolve()
    if not real.is_relative_to(root) or real.suffix != ".md":
        raise Refused([f"{shown}: not an article in {(source / ARTICLES_DIR).as_posix()}/"])
    rel = real.relative_to(site.root)
    stem, _, lang = real.name[: -len(".md")].rpartition(".")
    if not stem or lang not in settings.languages:
        raise Refused(
            [
                f"{rel.as_posix()}: not named <slug>.<lang>.md with <lang> one of "
                f"{', '.join(settings.languages)}"
            ]
        )
    data = read_article(site, rel.as_posix())
    text = data if isinstance(data, ContentError) else decode_text(data, rel.as_posix())
    if not isinstance(text, str):
        raise Refused([str(text)])
    parts = frontmatter.split(text, rel.as_posix())
    if not isinstance(parts, frontmatter.SplitFile):
        raise Refused([str(parts), "fix the original before translating it"])
    meta = frontmatter.parse(parts, rel.as_posix(), settings.zone)
    if isinstance(meta, list):
        raise Refused([*(str(e) for e in meta), "fix the original before translating it"])
    return Original(rel=rel, lang=lang, meta=meta, body=parts.body)
