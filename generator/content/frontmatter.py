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
class Citation:
    """One press report an article summarises."""

    #: The outlet's id in content/taxonomies/sources.yaml.
    outlet: str
    #: The report's own headline, in the report's language.
    headline: str
    #: The report's own address.
    url: str
    #: When the report was published (aware; midnight in the site's zone for a date alone).
    published: dt.datetime
    #: False when only the date is known.
    has_time: bool
    #: Its byline, if any.
    authors: tuple[str, ...]
    #: The report's language when it is not the outlet's usual one ("" for the outlet's).
    language: str


@dataclass(frozen=True, slots=True)
class Image:
    """The article's figure: a local image file and what is said of it in this language."""

    #: As written: relative to the article's folder, or a path from the site directory
    #: (content/media/...).
    file: str
    alt: str
    caption: str | None
    credit: str | None


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
    #: The reports summarised, in the order cited.
    sources: tuple[Citation, ...]
    #: The article's figure, if any.
    image: Image | None
    #: Headline and summary in other languages, for an article not translated into them.
    translated_title: Mapping[str, str]
    translated_summary: Mapping[str, str]
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
    #: False when ``date`` / ``updated`` was written as a day alone (no time to show).
    date_has_time: bool = True
    updated_has_time: bool = True


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


_CITATION_KEYS = ("outlet", "headline", "url", "published", "authors", "language")
_IMAGE_KEYS = ("file", "alt", "caption", "credit")
#: What replaced the front matter of earlier versions, for the message that says so.
_REPLACED = {
    "source": "'source' is now 'sources': a list of the reports summarized, each with 'outlet' "
    "(an id in content/taxonomies/sources.yaml), 'headline' (the report's own), 'url' (the "
    "report's own address) and 'published' (its date, or date and time)",
}


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
            if not prefix and key in _REPLACED:
                self.error((key,), _REPLACED[key])
            elif key not in known:
                full = ".".join(str(k) for k in (*prefix, key))
                self.error((*prefix, key), f"unknown key '{full}'{did_you_mean(str(key), known)}")


FRONT_MATTER_KEYS = (
    "title",
    "date",
    "summary",
    "sectors",
    "people",
    "sources",
    "image",
    "slug",
    "updated",
    "draft",
    "translation_key",
    "translated_title",
    "translated_summary",
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
    sources = _citations(r, data)
    image = _image(r, data)
    slug = r.field(data, ("slug",), fields.slug)
    updated = r.field(data, ("updated",), fields.timestamp, zone=zone)
    draft = r.field(data, ("draft",), fields.boolean) or False
    translation_key = r.field(data, ("translation_key",), fields.slug)
    translated_title = r.field(data, ("translated_title",), _texts) or {}
    translated_summary = r.field(data, ("translated_summary",), _texts) or {}
    if r.errors or title is None or date is None or sources is None:
        return r.errors
    return FrontMatter(
        title=title,
        date=date,
        summary=summary,
        sectors=sectors,
        people=people,
        sources=sources,
        image=image,
        slug=slug,
        updated=updated,
        draft=draft,
        translation_key=translation_key,
        translated_title=translated_title,
        translated_summary=translated_summary,
        lines=doc.lines,
        date_has_time=_has_time(data["date"]),
        updated_has_time=_has_time(data.get("updated")),
    )


def _texts(value: Any, *, name: str) -> dict[str, str]:
    """Text per language code: ``{en: "..."}``."""
    mapping = fields.mapping(value, name=name)
    found = {}
    for lang, text in mapping.items():
        if not isinstance(lang, str) or not fields.SLUG_RE.fullmatch(lang):
            raise fields.Invalid(f"'{name}' maps language codes (en, ko) to text, not {lang!r}")
        found[lang] = fields.text(text, name=f"{name}.{lang}")
    return found


def _citations(r: _Reader, data: Mapping[str, Any]) -> tuple[Citation, ...] | None:
    """The reports cited; None (with errors) when there is none or one is broken."""
    if "sources" not in data and "source" in data:
        return None  # the key that replaced it is named at its line
    raw = r.field(data, ("sources",), _list, required=True)
    if raw is None:
        return None
    if not raw:
        r.error(("sources",), "'sources' must name at least one report")
        return None
    found = []
    for index, item in enumerate(raw):
        at = ("sources", index)
        try:
            entry = fields.mapping(item, name=f"sources[{index}]")
        except fields.Invalid as exc:
            r.error(at, str(exc))
            continue
        r.unknown_keys(entry, _CITATION_KEYS, at)
        outlet = r.field(entry, (*at, "outlet"), fields.slug, required=True)
        headline = r.field(entry, (*at, "headline"), fields.text, required=True)
        url = r.field(entry, (*at, "url"), fields.url, required=True)
        published = r.field(entry, (*at, "published"), fields.timestamp, required=True, zone=r.zone)
        authors = r.field(entry, (*at, "authors"), _authors) or ()
        language = r.field(entry, (*at, "language"), fields.language_tag) or ""
        if outlet is None or headline is None or url is None or published is None:
            continue
        found.append(
            Citation(
                outlet=outlet,
                headline=headline,
                url=url,
                published=published,
                has_time=_has_time(entry["published"]),
                authors=authors,
                language=language,
            )
        )
    return tuple(found) if len(found) == len(raw) else None


def _list(value: Any, *, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise fields.Invalid(
            f"'{name}' must be a list of reports ('- outlet: ...' lines), not {value!r:.60}"
        )
    return value


def _authors(value: Any, *, name: str) -> tuple[str, ...]:
    return fields.list_of(fields.text, value, name=name)


def _has_time(value: Any) -> bool:
    """True when a date was written with its time (2025-08-26T09:00, not 2025-08-26)."""
    if isinstance(value, dt.datetime):
        return True
    if isinstance(value, str):
        return "T" in value or " " in value.strip()
    return False


def _image(r: _Reader, data: Mapping[str, Any]) -> Image | None:
    raw = r.field(data, ("image",), fields.mapping)
    if raw is None:
        return None
    r.unknown_keys(raw, _IMAGE_KEYS, ("image",))
    file = r.field(raw, ("image", "file"), fields.text, required=True)
    alt = r.field(raw, ("image", "alt"), fields.text, required=True)
    caption = r.field(raw, ("image", "caption"), fields.text)
    credit = r.field(raw, ("image", "credit"), fields.text)
    if file is None or alt is None:
        return None
    return Image(file=file, alt=alt, caption=caption, credit=credit)
