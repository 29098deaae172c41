"""site.yaml → a validated, typed Settings object."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError

from generator import fields
from generator.errors import BuildFailed, ContentError, did_you_mean
from generator.yamlfile import YamlDocument, load_yaml

SETTINGS_FILE = "site.yaml"


@dataclass(frozen=True, slots=True)
class Settings:
    """Site-wide settings, read once from site.yaml."""

    #: The site's name, per language.
    title: Mapping[str, str]
    #: One-line description per language (home pages, feeds).
    description: Mapping[str, str]
    #: Absolute URL the site is served from, always ending in "/" (may have a sub-path).
    base_url: str
    #: Languages in the order the switcher and the root chooser show them.
    languages: tuple[str, ...]
    #: The language of x-default pages.
    default_language: str
    #: IANA time zone for plain dates and for displaying every date.
    timezone: str
    #: Newest items per feed.
    feed_length: int
    #: Articles per list page.
    page_size: int

    @property
    def zone(self) -> ZoneInfo:
        """The time zone object."""
        return ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """The URL path the site lives under: "/" or "/archive/"."""
        return urlsplit(self.base_url).path

    def with_base_url(self, base_url: str) -> Settings:
        """A copy served from another URL (the --base-url option)."""
        return _replace(self, base_url=normalize_base_url(base_url))


def _replace(settings: Settings, **changes: Any) -> Settings:
    values = {name: getattr(settings, name) for name in Settings.__dataclass_fields__}
    values.update(changes)
    return Settings(**values)


def normalize_base_url(value: str) -> str:
    """Check an absolute http(s) URL and make it end in '/'."""
    value = fields.url(value, name="base_url")
    parts = urlsplit(value)
    if parts.query or parts.fragment:
        raise fields.Invalid("'base_url' must not have a query or a fragment")
    return value if value.endswith("/") else value + "/"


_REQUIRED = object()

_KEYS = {
    "title",
    "description",
    "base_url",
    "languages",
    "default_language",
    "timezone",
    "feed_length",
    "page_size",
}


def load_settings(source: Path) -> Settings:
    """Read ``source``/site.yaml; raise BuildFailed listing every problem in it."""
    path = source / SETTINGS_FILE
    shown = SETTINGS_FILE
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BuildFailed(
            [ContentError(shown, 0, f"no {SETTINGS_FILE} in {source}: is this a pressroom site?")]
        ) from None
    except UnicodeDecodeError as exc:
        raise BuildFailed([ContentError(shown, 1, f"not UTF-8 text ({exc.reason})")]) from None
    doc = load_yaml(raw.replace("\r\n", "\n"), shown)
    if isinstance(doc, list):
        raise BuildFailed(doc)
    return _validate(doc, shown)


def _validate(doc: YamlDocument, shown: str) -> Settings:
    errors: list[ContentError] = []
    data = doc.data if isinstance(doc.data, dict) else {}
    if not isinstance(doc.data, dict):
        errors.append(ContentError(shown, 1, "site.yaml must be a mapping of settings"))
    for key in sorted(set(data) - _KEYS, key=str):
        errors.append(
            ContentError(
                shown, doc.line_of(key), f"unknown setting '{key}'{did_you_mean(str(key), _KEYS)}"
            )
        )

    def get(key: str, check: Any, default: Any = _REQUIRED, **kw: Any) -> Any:
        if key not in data:
            if default is _REQUIRED:
                errors.append(ContentError(shown, 1, f"missing setting '{key}'"))
                return None
            return default
        try:
            return check(data[key], name=key, **kw)
        except fields.Invalid as exc:
            errors.append(ContentError(shown, doc.line_of(key), str(exc)))
            return None if default is _REQUIRED else default

    languages = get(
        "languages", lambda v, name: fields.list_of(fields.text, v, name=name), ("ko", "en")
    )
    languages = tuple(languages or ("ko", "en"))
    for index, lang in enumerate(languages):
        try:
            Locale.parse(lang)
        except (UnknownLocaleError, ValueError):
            errors.append(
                ContentError(shown, doc.line_of("languages", index), f"unknown language '{lang}'")
            )
    default_language = get("default_language", fields.text, languages[0])
    if default_language not in languages:
        errors.append(
            ContentError(
                shown,
                doc.line_of("default_language"),
                f"default_language '{default_language}' is not one of languages",
            )
        )
    timezone = get("timezone", fields.text, "Asia/Seoul")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        errors.append(
            ContentError(shown, doc.line_of("timezone"), f"unknown time zone '{timezone}'")
        )
    settings = Settings(
        title=get("title", fields.per_language, languages=languages),
        description=get("description", fields.per_language, languages=languages),
        base_url=get("base_url", lambda v, name: normalize_base_url(v)),
        languages=languages,
        default_language=default_language,
        timezone=timezone,
        feed_length=get("feed_length", fields.positive_int, 20),
        page_size=get("page_size", fields.positive_int, 10),
    )
    if errors:
        raise BuildFailed(errors)
    return settings
