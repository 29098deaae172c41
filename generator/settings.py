"""site.yaml → a validated, typed Settings object."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
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
    #: Raw HTML tags (and their attributes) allowed in Markdown beyond the safe default set.
    allow_html: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Build the Pagefind search index and the search pages (false: no search, no Pagefind).
    search: bool = True

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

#: Stand-ins used while reporting the errors of a broken site.yaml (never built into a site).
DEFAULTS = Settings(
    title={"ko": "", "en": ""},
    description={"ko": "", "en": ""},
    base_url="http://localhost/",
    languages=("ko", "en"),
    default_language="ko",
    timezone="Asia/Seoul",
    feed_length=20,
    page_size=10,
)

_KEYS = {
    "title",
    "description",
    "base_url",
    "languages",
    "default_language",
    "timezone",
    "feed_length",
    "page_size",
    "allow_html",
    "search",
}


#: Tags that run script, restyle or re-base the page: no setting can let them through.
NEVER_ALLOWED_TAGS = frozenset(
    {"script", "style", "object", "embed", "applet", "base", "link", "meta", "frame", "frameset"}
)


def _allow_html(value: Any, *, name: str) -> dict[str, tuple[str, ...]]:
    """``{iframe: [src, title]}``: tag names mapped to the attributes they may keep."""
    allowed = {}
    for tag, attributes in fields.mapping(value, name=name).items():
        if not isinstance(tag, str) or not tag.isalnum() or not tag.islower():
            raise fields.Invalid(f"'{name}' has a tag name that is not lower-case letters: {tag!r}")
        if tag in NEVER_ALLOWED_TAGS:
            raise fields.Invalid(
                f"'{name}' may not allow <{tag}>: it can run script or restyle pages"
            )
        names = fields.list_of(fields.text, attributes, name=f"{name}.{tag}")
        for attribute in names:
            if attribute.lower().startswith("on") or attribute.lower() in ("style", "srcdoc"):
                raise fields.Invalid(
                    f"'{name}.{tag}' may not allow the attribute '{attribute}': it can run script"
                )
        allowed[tag] = names
    return allowed


def load_settings(source: Path) -> Settings:
    """Read ``source``/site.yaml; raise BuildFailed listing every problem in it."""
    settings, errors = read_settings(source)
    if errors:
        raise BuildFailed(errors)
    return settings


def read_settings(source: Path) -> tuple[Settings, list[ContentError]]:
    """Read ``source``/site.yaml; return settings (defaults where broken) and its problems.

    Broken settings do not stop the build at once, so that the same run can also report
    every mistake in the articles.
    """
    path = source / SETTINGS_FILE
    shown = SETTINGS_FILE
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return DEFAULTS, [
            ContentError(shown, 0, f"no {SETTINGS_FILE} in {source}: is this a pressroom site?")
        ]
    except UnicodeDecodeError as exc:
        return DEFAULTS, [ContentError(shown, 1, f"not UTF-8 text ({exc.reason})")]
    doc = load_yaml(raw.replace("\r\n", "\n"), shown)
    if isinstance(doc, list):
        return DEFAULTS, doc
    return _validate(doc, shown)


def _validate(doc: YamlDocument, shown: str) -> tuple[Settings, list[ContentError]]:
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
        title=get("title", fields.per_language, languages=languages)
        or dict.fromkeys(languages, ""),
        description=get("description", fields.per_language, languages=languages)
        or dict.fromkeys(languages, ""),
        base_url=get("base_url", lambda v, name: normalize_base_url(v)) or DEFAULTS.base_url,
        languages=languages,
        default_language=default_language,
        timezone=timezone,
        feed_length=get("feed_length", fields.positive_int, 20),
        page_size=get("page_size", fields.positive_int, 10),
        allow_html=get("allow_html", _allow_html, {}),
        search=get("search", fields.boolean, True),
    )
    return settings, errors
