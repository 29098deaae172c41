"""Where an article stands in the archive, without its text: the light record of every article.

A build keeps the placement of every article it knows, and loads only these (a few hundred
bytes each) to order the archive, fill lists and check links; an article's text is read only
to render what shows it. ``card`` digests what a list entry shows of the article, so a list
can tell that an entry changed without reading the article.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.content.article import Article
from generator.content.links import MEDIA
from generator.core.digest import digest


@dataclass(frozen=True, slots=True)
class Placement:
    """One language version of one article, as the archive places it."""

    #: Source file, relative to the site directory.
    path: str
    lang: str
    slug: str
    #: Pairs the translations of one article.
    key: str
    #: Year and month of the publication date in the site's time zone (the URL has the year).
    year: int
    month: int
    #: Publication time (POSIX seconds) and the last revision's, if any.
    timestamp: float
    updated: float | None
    draft: bool
    sectors: tuple[str, ...]
    people: tuple[str, ...]
    #: The outlets of the reports it cites, in order (ids in content/taxonomies/sources.yaml).
    sources: tuple[str, ...]
    #: Links in the body to other articles, local files and site pages, and the article's
    #: image (a local file): (kind, target, line).
    links: tuple[tuple[str, str, int], ...]
    #: File lines of the fields later checks report on: "slug", "translation_key", "date",
    #: "sectors", "people", "sources", "sectors.<i>", "people.<i>", "sources.<i>" (its
    #: outlet), "sources.<i>.url", "image.file", "summary", "translated_title".
    lines: Mapping[str, int]
    #: Digest of what a list entry or feed item shows of the article besides its body.
    card: str
    #: Digest of what decides where the article stands: its language, URL, date and terms.
    position: str
    #: The reports' addresses and the date as written (``check`` compares translations).
    source_urls: tuple[str, ...] = ()
    written_date: str = ""
    #: False when its summary is cut from the body (``check --strict`` asks for one).
    has_summary: bool = True
    #: The file of its ``image:`` (site-relative), or "".
    image: str = ""
    #: Its headline, and its headlines in other languages (translated_title): a page that
    #: names the article (a year's list, a neighbour link) needs nothing else of it.
    title: str = ""
    translated_title: Mapping[str, str] = field(default_factory=dict)

    @property
    def headline_languages(self) -> tuple[str, ...]:
        """Languages it has a headline in besides its own."""
        return tuple(sorted(self.translated_title))

    def line(self, name: str) -> int:
        """The line of a field (the file's first line when it has none)."""
        return self.lines.get(name, 1)

    def ids(self, taxonomy: str) -> tuple[str, ...]:
        """The ids of the terms of ``taxonomy`` ("sectors", "people", "sources") it names."""
        ids: tuple[str, ...] = getattr(self, taxonomy)
        return ids

    def to_json(self) -> tuple[Any, ...]:
        """Plain values for the store."""
        return (
            self.path,
            self.lang,
            self.slug,
            self.key,
            self.year,
            self.month,
            self.timestamp,
            self.updated,
            self.draft,
            list(self.sectors),
            list(self.people),
            list(self.sources),
            [list(link) for link in self.links],
            dict(self.lines),
            self.card,
            self.position,
            list(self.source_urls),
            self.written_date,
            self.has_summary,
            self.image,
            self.title,
            dict(self.translated_title),
        )

    @classmethod
    def from_json(cls, row: tuple[Any, ...]) -> Placement:
        """The placement ``to_json`` gave."""
        (path, lang, slug, key, year, month, timestamp, updated, draft, sectors, people,
         sources, links, lines, card, position, source_urls, written_date, has_summary, image,
         title, translated_title) = row  # fmt: skip
        return cls(
            path,
            lang,
            slug,
            key,
            year,
            month,
            timestamp,
            updated,
            draft,
            tuple(sectors),
            tuple(people),
            tuple(sources),
            tuple((kind, target, line) for kind, target, line in links),
            lines,
            card,
            position,
            tuple(source_urls),
            written_date,
            has_summary,
            image,
            title,
            translated_title,
        )


def place(article: Article, zone: dt.tzinfo) -> Placement:
    """The placement of ``article`` (dates taken in the site's time zone ``zone``)."""
    meta = article.meta
    local = meta.date.astimezone(zone)
    named = ("slug", "translation_key", "date", "sectors", "people", "sources", "summary")
    lines = {
        name: line
        for name in (*named, "translated_title")
        if (line := meta.lines.get((name,))) is not None
    }
    outlets = tuple(citation.outlet for citation in meta.sources)
    for taxonomy, ids in (("sectors", meta.sectors), ("people", meta.people)):
        for index in range(len(ids)):
            lines[f"{taxonomy}.{index}"] = meta.lines.get((taxonomy, index), 1)
    for index in range(len(outlets)):
        lines[f"sources.{index}"] = meta.lines.get(("sources", index, "outlet"), 1)
        lines[f"sources.{index}.url"] = meta.lines.get(("sources", index, "url"), 1)
    if article.image is not None:
        lines["image.file"] = meta.lines.get(("image", "file"), 1)
    links = tuple((ref.kind, ref.target, ref.line) for ref in article.links)
    if article.image is not None:
        links += ((MEDIA, article.image, meta.lines.get(("image", "file"), 1)),)
    card = digest(
        repr(
            (
                meta.title,
                article.summary,
                meta.date.isoformat(),
                meta.updated.isoformat() if meta.updated else None,
                meta.sources,
                meta.image,
                meta.translated_title,
                meta.translated_summary,
                meta.draft,
                meta.sectors,
                meta.people,
                article.slug,
            )
        )
    )
    position = digest(
        repr(
            (
                article.lang,
                article.slug,
                article.key,
                local.year,
                local.month,
                meta.date.timestamp(),
                meta.updated.timestamp() if meta.updated else None,
                meta.draft,
                meta.sectors,
                meta.people,
                outlets,
            )
        )
    )
    return Placement(
        path=article.path,
        lang=article.lang,
        slug=article.slug,
        key=article.key,
        year=local.year,
        month=local.month,
        timestamp=meta.date.timestamp(),
        updated=meta.updated.timestamp() if meta.updated else None,
        draft=meta.draft,
        sectors=meta.sectors,
        people=meta.people,
        sources=outlets,
        links=links,
        lines=lines,
        card=card,
        position=position,
        source_urls=tuple(citation.url for citation in meta.sources),
        written_date=meta.date.isoformat(),
        has_summary=meta.summary is not None,
        image=article.image or "",
        title=meta.title,
        translated_title=dict(meta.translated_title),
    )
