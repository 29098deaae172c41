"""Front matter: split it from the Markdown body and validate it into a typed FrontMatter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from generator.core import fields
from generator.core.errors import ContentError, did_you_mean
from generator.core.yamlfile import KeyPath, YamlDocument, load_yaml

FENCE = "---"


@dataclass(frozen=True, slots=True)
class Source:
    """The press coverage an article summarises."""

    #: Publication name as shown to readers.
    name: str
    #: Link to the coverage.
    url: str
    #: When the coverage itself was published, if known.
    published: dt.date | None


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The validated metadata of one article file."""

    #: Headline in the file's language.
    title: str
    #: Publication time of the summary (aware).
    date: dt.datetime
    #: Teaser; None means "derive it from the first paragraph".
    summary: str | None
    #: Sector ids from content/taxonomies/sectors.yaml.
    sectors: tuple[str, ...]
    #: Person ids from content/taxonomies/people.yaml.
    people: tuple[str, ...]
    #: The coverage summarised.
    source: Source
    #: URL slug overriding the file name.
    slug: str | None
    #: Time of the last meaningful revision (aware).
    updated: dt.datetime | None
    #: Left out of the build unless drafts are asked for.
    draft: bool
    #: Pairs translations whose slugs differ.
    translation_key: str | None
    #: File line of every key and list item, for errors found by later stages.
    lines: Mapping[KeyPath, int]


@dataclass(frozen=True, slots=True)
class SplitFile:
    """A file cut into its YAML front matter and its Markdown body."""

    yaml_text: str
    yaml_first_line: int
    body: str
    body_first_line: int


def split(text: str, path: str) -> SplitFile | ContentError:
    """Cut ``text`` at its '---' fences; the text must already be LF-only and BOM-free."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return ContentError(
            path, 1, "missing front matter: the file must start with a '---' line, then YAML"
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            return SplitFile(
                yaml_text="\n".join(lines[1:index]),
                yaml_first_line=2,
                body="\n".join(lines[index + 1 :]),
                body_first_line=index + 2,
            )
    return ContentError(path, 1, "unterminated front matter: no closing '---' line after the YAML")


_SOURCE_KEYS = ("name", "url", "published")


class _Reader:
    """Validates one front matter mapping, collecting every error with its line."""

    def __init__(self, doc: YamlDocument, path: str, zone: ZoneInfo) -> None:
        self.doc = doc
        self.path = path
        self.zone = zone
        self.errors: list[ContentError] = []

    def error(self, key_path: KeyPath, message: str) -> None:
        self.errors.append(ContentError(self.path, self.doc.line_of(*key_path), message))

    def field(
        self,
        data: Mapping[str, Any],
        key_path: KeyPath,
        check: Callable[..., Any],
        *,
        required: bool = False,
        **kw: Any,
    ) -> Any:
        key = str(key_path[-1])
        name = ".".join(str(k) for k in key_path)
        if key not in data or data[key] is None:
            if required:
                where = f" in '{'.'.join(map(str, key_path[:-1]))}'" if len(key_path) > 1 else ""
                self.error(key_path[:-1], f"missing required field '{key}'{where}")
            return None
        try:
            return check(data[key], name=name, **kw)
        except fields.Invalid as exc:
            self.error(key_path, str(exc))
            return None

    def unknown_keys(
        self, data: Mapping[str, Any], known: tuple[str, ...], prefix: KeyPath
    ) -> None:
        for key in data:
            if key not in known:
                full = ".".join(str(k) for k in (*prefix, key))
                self.error((*prefix, key), f"unknown key '{full}'{did_you_mean(str(key), known)}")


FRONT_MATTER_KEYS = (
    "title",
    "date",
    "summary",
    "sectors",
    "people",
    "source",
    "slug",
    "updated",
    "draft",
    "translation_key",
)


def parse(split_file: SplitFile, path: str, zone: ZoneInfo) -> FrontMatter | list[ContentError]:
    """Validate the YAML of ``split_file``; every problem is returned, each at its line."""
    doc = load_yaml(split_file.yaml_text, path, split_file.yaml_first_line)
    if isinstance(doc, list):
        return doc
    if not isinstance(doc.data, dict):
        return [ContentError(path, 2, "front matter must be YAML 'key: value' lines")]
    data: dict[str, Any] = doc.data
    r = _Reader(doc, path, zone)
    r.unknown_keys(data, FRONT_MATTER_KEYS, ())

    def ids(value: Any, name: str) -> tuple[str, ...]:
        return fields.list_of(fields.slug, value, name=name)

    title = r.field(data, ("title",), fields.text, required=True)
    date = r.field(data, ("date",), fields.timestamp, required=True, zone=zone)
    summary = r.field(data, ("summary",), fields.text)
    sectors = r.field(data, ("sectors",), ids) or ()
    people = r.field(data, ("people",), ids) or ()
    source = _source(r, data)
    slug = r.field(data, ("slug",), fields.slug)
    updated = r.field(data, ("updated",), fields.timestamp, zone=zone)
    draft = r.field(data, ("draft",), fields.boolean) or False
    translation_key = r.field(data, ("translation_key",), fields.slug)
    if r.errors or title is None or date is None or source is None:
        return r.errors
    return FrontMatter(
        title=title,
        date=date,
        summary=summary,
        sectors=sectors,
        people=people,
        source=source,
        slug=slug,
        updated=updated,
        draft=draft,
        translation_key=translation_key,
        lines=doc.lines,
    )


def _source(r: _Reader, data: Mapping[str, Any]) -> Source | None:
    raw = r.field(data, ("source",), fields.mapping, required=True)
    if raw is None:
        return None
    r.unknown_keys(raw, _SOURCE_KEYS, ("source",))
    name = r.field(raw, ("source", "name"), fields.text, required=True)
    url = r.field(raw, ("source", "url"), fields.url, required=True)
    published = r.field(raw, ("source", "published"), fields.timestamp, zone=r.zone)
    if name is None or url is None:
        return None
    return Source(name=name, url=url, published=published.date() if published else None)
