"""The text of the files `pressroom new` writes.

What a new file holds, and why:

- ``draft: true``, so that a half-written article or an untranslated title is never published
  by a plain build; ``pressroom serve --drafts`` previews it, and deleting the line publishes it.
- ``sources:`` with one empty report for a new article: every summary must credit real
  coverage, so rather than a placeholder that could be published, the build refuses the file
  (``'sources.0.outlet' must not be empty``) until the author fills it in.
- ``title: ""`` for a translation, with the original title beside it as a comment: the build
  says ``'title' must not be empty`` until it is translated (and an image's alt text likewise).
  Slug, date, sectors, people, the cited reports and the image file are copied from the
  original; the original body is kept in an HTML comment, which
  renders to nothing.
- The summary as a commented-out key: without it the teaser is cut from the first paragraph.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.content.frontmatter import FrontMatter


@dataclass(frozen=True, slots=True)
class NewArticle:
    """What the author asked ``new`` for: one article in one or more languages."""

    title: str
    slug: str
    date: dt.datetime
    languages: tuple[str, ...]
    sectors: tuple[str, ...] = ()
    people: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Original:
    """An existing article file that a translation starts from."""

    #: Path relative to the site directory.
    rel: Path
    lang: str
    meta: FrontMatter
    body: str


def _quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of YAML's)."""
    return json.dumps(value, ensure_ascii=False)


def _flow_list(ids: Sequence[str]) -> str:
    return "[" + ", ".join(ids) + "]"


def _quoted_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(_quoted(v) for v in values) + "]"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def new_article_text(article: NewArticle) -> str:
    """The front matter and placeholder body of a new article."""
    lines = [
        "---",
        f"title: {_quoted(article.title)}",
        f"date: {_iso(article.date)}",
        '# summary: "One or two sentences for lists and feeds (else the first paragraph)."',
        f"sectors: {_flow_list(article.sectors)}  # ids in content/taxonomies/sectors.yaml",
        f"people: {_flow_list(article.people)}  # ids in content/taxonomies/people.yaml",
        "sources:  # the reports summarized; the page and the feeds credit them",
        '  - outlet: ""  # required: an id in content/taxonomies/sources.yaml',
        '    headline: ""  # required: the report\'s own headline, in its language',
        "    url: \"\"  # required: the report's own address (not the outlet's home page)",
        "    published:  # required: its date, or date and time: 2025-08-26T09:00:00+09:00",
        "draft: true  # delete this line to publish",
        "---",
        "<!-- Write the summary here in Markdown, in your own words. -->",
        "",
    ]
    return "\n".join(lines)


def translation_text(original: Original, lang: str, title: str | None) -> str:
    """The front matter of a translation, with the original's title, summary and body to
    translate kept as comments."""
    meta = original.meta
    lines = ["---", f"# {lang} translation of {original.rel.as_posix()}"]
    if title is None:
        lines.append(f'title: ""  # translate: {_quoted(_one_line(meta.title))}')
    else:
        lines.append(f"title: {_quoted(title)}")
    lines.append(f"date: {_iso(meta.date)}")
    if meta.summary:
        lines.append(f"# summary: {_quoted(_one_line(meta.summary))}  # translate, then uncomment")
    lines.append(f"sectors: {_flow_list(meta.sectors)}")
    lines.append(f"people: {_flow_list(meta.people)}")
    lines.append("sources:")
    for citation in meta.sources:
        lines.append(f"  - outlet: {citation.outlet}")
        lines.append(f"    headline: {_quoted(citation.headline)}")
        lines.append(f"    url: {_quoted(citation.url)}")
        when = citation.published if citation.has_time else citation.published.date()
        lines.append(f"    published: {when.isoformat()}")
        if citation.authors:
            lines.append(f"    authors: {_quoted_list(citation.authors)}")
        if citation.language:
            lines.append(f"    language: {citation.language}")
    if meta.image is not None:
        # The same file (translations sit beside the original); what is said of it is text
        # to translate, and an empty alt stops the build until it is.
        lines.append("image:")
        lines.append(f"  file: {_quoted(meta.image.file)}")
        lines.append(f'  alt: ""  # translate: {_quoted(_one_line(meta.image.alt))}')
        for key in ("caption", "credit"):
            said = getattr(meta.image, key)
            if said:
                lines.append(f"  # {key}: {_quoted(_one_line(said))}  # translate, then uncomment")
    if meta.slug is not None:
        lines.append(f"slug: {meta.slug}")
    if meta.translation_key is not None:
        lines.append(f"translation_key: {meta.translation_key}")
    lines.append("draft: true  # delete this line to publish")
    lines.append("---")
    lines.append(f"<!-- The {original.lang} original, to translate (this comment is not shown):")
    lines.append("")
    lines.append(_commentable(original.body.strip("\n")))
    lines.append("-->")
    lines.append("")
    return "\n".join(lines)


def _commentable(text: str) -> str:
    """``text`` made safe inside an HTML comment, which "-->" or "--!>" would end early."""
    return text.replace("--!>", "-- !>").replace("-->", "-- >")
