"""Files on disk → Article objects: read, split, validate, render Markdown, derive the teaser.

Reading one article depends on nothing but its own file and the settings, so each is an
independent unit of work (cacheable, parallelisable).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from generator import cache, frontmatter, markup
from generator.errors import ContentError
from generator.fields import SLUG_RE
from generator.frontmatter import FrontMatter
from generator.links import LinkRef

ARTICLES_DIR = Path("content") / "articles"
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


def walk_following_links(root: Path) -> Iterator[tuple[str, list[str], list[str]]]:
    """``os.walk`` into symlinked directories too, each real directory once (no link cycles).

    The caller may prune ``dirs`` in place, as with ``os.walk``.
    """
    seen: set[str] = set()
    for directory, dirs, files in os.walk(root, followlinks=True):
        real = os.path.realpath(directory)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        yield directory, dirs, files


def find_article_files(source: Path) -> list[Path]:
    """Return every Markdown file under content/articles, relative to ``source``, sorted."""
    return article_files_and_errors(source)[0]


def article_files_and_errors(source: Path) -> tuple[list[Path], list[ContentError]]:
    """Every Markdown file under content/articles, and an error for each symlinked directory
    that leads outside the site (it is not read). Symlinked files are checked when read."""
    root = source / ARTICLES_DIR
    inside = source.resolve()
    found: list[Path] = []
    errors: list[ContentError] = []
    for directory, dirs, files in walk_following_links(root):
        for name in list(dirs):
            path = Path(directory, name)
            if path.is_symlink() and not path.resolve().is_relative_to(inside):
                dirs.remove(name)
                errors.append(
                    ContentError(
                        path.relative_to(source).as_posix(),
                        1,
                        "links to a directory outside the site directory; it was not read",
                    )
                )
        for name in files:
            if name.endswith(".md"):
                found.append(Path(directory, name).relative_to(source))
    return sorted(found), errors


def read_article_bytes(source: Path, rel: Path) -> bytes | ContentError:
    """Read one article file, refusing links out of the site and files too big to be one."""
    path = source / rel
    try:
        if path.is_symlink() and not path.resolve(strict=True).is_relative_to(source.resolve()):
            return ContentError(rel.as_posix(), 1, "links to a file outside the site directory")
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_ARTICLE_BYTES:
                return ContentError(
                    rel.as_posix(),
                    1,
                    f"file is {size / 1024 / 1024:.1f} MB; an article may be at most "
                    f"{MAX_ARTICLE_BYTES // 1024 // 1024} MB",
                )
            return handle.read(MAX_ARTICLE_BYTES + 1)
    except OSError as exc:
        return ContentError(rel.as_posix(), 1, f"cannot read file: {exc.strerror}")


def read_text(data: bytes, path: str) -> str | ContentError:
    """Decode UTF-8 (a BOM is dropped) and normalise line endings to LF."""
    if b"\0" in data:
        line = data[: data.index(b"\0")].count(b"\n") + 1
        return ContentError(path, line, "binary file: not Markdown text (it contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return ContentError(
            path,
            line,
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded; "
            "save the file as UTF-8",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
    text = read_text(data, path)
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
    too_deep = markup.nesting_problem(parts.body)
    if too_deep:
        line = parts.body_first_line + too_deep[0] - 1
        return Parsed(None, (ContentError(path, line, too_deep[1]),))
    body = renderer.render(parts.body, path, parts.body_first_line, lang)
    summary = meta.summary or markup.derive_summary(body.html, lang)
    article = Article(
        path=path,
        lang=lang,
        slug=slug,
        key=meta.translation_key or slug,
        year=meta.date.astimezone(zone).year,
        source_digest=cache.digest(data),
        meta=meta,
        body_html=body.html,
        links=body.links,
        summary=summary,
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
