"""Files on disk → Article objects: read, split, validate, render Markdown, derive the teaser.

Reading one article depends on nothing but its own file and the settings, so each is an
independent unit of work (cacheable, parallelisable).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from generator.content import frontmatter, links, markup, reading
from generator.content.frontmatter import FrontMatter
from generator.content.links import LinkRef
from generator.core.digest import digest
from generator.core.errors import ContentError
from generator.core.fields import SLUG_RE
from generator.core.files import FoundFile, SiteDir, decode_text
from generator.core.layout import ARTICLES_DIR

YEAR_RE = re.compile(r"\d{4}")
#: A press summary is a few kilobytes; anything near this is a mistake, not an article.
MAX_ARTICLE_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Article:
    """One language version of one article, ready to be placed in the archive."""

    #: Source file, relative to the site directory, with "/" separators.
    path: str
    lang: str
    slug: str
    #: Pairs the translations of one article (translation_key, else the slug).
    key: str
    #: Year of the publication date in the site's time zone (part of the URL).
    year: int
    #: Digest of the file's bytes: the same digest means the same article.
    source_digest: str
    meta: FrontMatter
    #: The body rendered to HTML, local links still as placeholders (see links.py).
    body_html: str
    #: Local links in the body, checked and resolved once the archive is known.
    links: tuple[LinkRef, ...]
    #: The front matter's summary, or one derived from the first paragraph.
    summary: str
    #: Whole minutes to read the body (counted once here: every page of the article, made
    #: again when a name or a template changes, would count them again).
    reading_minutes: int = 1
    #: The image file, relative to the site directory (None without an image).
    image: str | None = None

    @property
    def title(self) -> str:
        """The headline."""
        return self.meta.title

    @property
    def date(self) -> dt.datetime:
        """Publication time."""
        return self.meta.date


@dataclass(frozen=True, slots=True)
class Parsed:
    """What reading one article file gave: the article (if it could be made) and its errors."""

    article: Article | None
    errors: tuple[ContentError, ...]


def find_articles(site: SiteDir) -> tuple[list[FoundFile], list[ContentError]]:
    """Every Markdown file under content/articles, sorted, and an error for each thing there
    that cannot be read as one (a link leading outside the site or nowhere, a FIFO …)."""
    return site.walk(ARTICLES_DIR.as_posix(), suffix=".md")


def read_article(site: SiteDir, rel: str) -> bytes | ContentError:
    """The bytes of one article file, refusing what is not a readable file of article size."""
    data = site.read(rel, limit=MAX_ARTICLE_BYTES)
    if data is None:
        return ContentError(rel, 0, "disappeared while the build was reading it")
    return data


def parse_article(
    rel: Path,
    data: bytes,
    languages: tuple[str, ...],
    zone: ZoneInfo,
    renderer: markup.MarkdownRenderer,
) -> Parsed:
    """Turn the bytes of one article file into an Article, with every error found in it."""
    path = rel.as_posix()
    name_errors, slug_from_name, lang = _parse_file_name(rel, languages)
    text = decode_text(data, path)
    if isinstance(text, ContentError):
        return Parsed(None, (*name_errors, text))
    parts = frontmatter.split(text, path)
    if isinstance(parts, ContentError):
        return Parsed(None, (*name_errors, parts))
    meta = frontmatter.parse(parts, path, zone)
    if isinstance(meta, list):
        return Parsed(None, (*name_errors, *meta))
    errors = list(name_errors)
    slug = meta.slug or slug_from_name
    if meta.slug is None and slug_from_name and not SLUG_RE.fullmatch(slug_from_name):
        errors.append(
            ContentError(
                path,
                1,
                f"file name '{slug_from_name}' is not a valid slug: use lower-case ASCII letters, "
                "digits and hyphens, or set 'slug:' in the front matter",
            )
        )
    year_dir = rel.parent.name
    local_date = meta.date.astimezone(zone).date()
    if YEAR_RE.fullmatch(year_dir) and int(year_dir) != local_date.year:
        errors.append(
            ContentError(
                path,
                meta.lines.get(("date",), 1),
                f"date {local_date.isoformat()} is not in {year_dir} (in the site's time zone, "
                f"{zone.key}): move the file to content/articles/{local_date.year}/ "
                "or correct the date",
            )
        )
    if errors or lang is None:
        return Parsed(None, tuple(errors))
    refused = (
        markup.nesting_problem(parts.body)
        or markup.character_reference_problem(parts.body)
        or links.reserved_problem(parts.body)
    )
    if refused:
        line = parts.body_first_line + refused[0] - 1
        return Parsed(None, (ContentError(path, line, refused[1]),))
    image = None
    if meta.image is not None:
        image = links.local_file(meta.image.file, path)
        if image is None:
            line = meta.lines.get(("image", "file"), 1)
            message = f"image '{meta.image.file}' must be a file under content/"
            return Parsed(None, (ContentError(path, line, message),))
    body = renderer.render(parts.body, path, parts.body_first_line, lang)
    summary = meta.summary or markup.derive_summary(body.html, lang)
    article = Article(
        path=path,
        lang=lang,
        slug=slug,
        key=meta.translation_key or slug,
        year=meta.date.astimezone(zone).year,
        source_digest=digest(data),
        meta=meta,
        body_html=body.html,
        links=body.links,
        summary=summary,
        reading_minutes=reading.minutes(body.html, lang),
        image=image,
    )
    # Mistakes in the body fail the build, but the article stays so that its links are
    # checked in the same run.
    return Parsed(article, tuple(ContentError(path, p.line, p.message) for p in body.problems))


def _parse_file_name(
    rel: Path, languages: tuple[str, ...]
) -> tuple[list[ContentError], str, str | None]:
    """Check content/articles/<YYYY>/<slug>.<lang>.md; return errors, slug and language."""
    path = rel.as_posix()
    errors: list[ContentError] = []
    if len(rel.parts) != 4 or not YEAR_RE.fullmatch(rel.parts[2]):
        errors.append(
            ContentError(path, 1, "articles live in content/articles/<YYYY>/<slug>.<lang>.md")
        )
    stem = rel.name[: -len(".md")]
    slug, dot, lang = stem.rpartition(".")
    if not dot:
        errors.append(
            ContentError(
                path,
                1,
                f"file name needs a language suffix: '{stem}.<lang>.md' with <lang> one of "
                f"{', '.join(languages)}",
            )
        )
        return errors, stem, None
    if lang not in languages:
        errors.append(
            ContentError(
                path,
                1,
                f"language suffix '.{lang}' is not one of the site's languages "
                f"({', '.join(languages)})",
            )
        )
        return errors, slug, None
    return errors, slug, lang
