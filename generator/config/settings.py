"""site.yaml → a validated, typed Settings object."""

from __future__ import annotations

import functools
import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError

from generator.core import fields
from generator.core.errors import ContentError, Result, did_you_mean
from generator.core.files import SiteDir, decode_text
from generator.core.layout import SETTINGS_FILE
from generator.core.yamlfile import YamlDocument, load_yaml


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
    #: The image a link to a page without its own is shared with (a file under content/),
    #: and its alt text per language; "" for none.
    share_image: str = ""
    share_image_alt: Mapping[str, str] = field(default_factory=dict)
    #: Its line in site.yaml, for the error when the file is missing.
    share_image_line: int = 0

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


#: What a base URL may hold besides letters and digits (RFC 3986, less the characters that
#: need care in an attribute or a feed: quotes, angle brackets, backslash, spaces).
_URL_CHARACTERS = frozenset("-._~:/?#[]@!$&()*+,;=%")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_HOST_RE = re.compile(rf"(?:{_LABEL}\.)*{_LABEL}|\[[0-9A-Fa-f:.]+\]")


def normalize_base_url(value: str) -> str:
    """Check an absolute http(s) URL and make it end in '/'.

    Every canonical URL, feed link and body link starts with it, so it is checked as a URL
    here, once: a branch name with a quote in it (``x"><svg onload=…>``) must be refused, not
    written into thousands of attributes.
    """
    value = fields.url(value, name="base_url")
    odd = sorted(
        {c for c in value if not (c.isascii() and c.isalnum()) and c not in _URL_CHARACTERS}
    )
    if odd:
        shown = " ".join(repr(c) for c in odd)
        raise fields.Invalid(
            f"'base_url' may not contain {shown}: percent-encode it (a space is %20, "
            "a quote %22), and use the ASCII (punycode) form of a host name"
        )
    if re.search(r"%(?![0-9A-Fa-f]{2})", value):
        raise fields.Invalid("'base_url' has a '%' that does not start a %XX escape")
    parts = urlsplit(value)
    if parts.query or parts.fragment:
        raise fields.Invalid("'base_url' must not have a query or a fragment")
    if "@" in parts.netloc:
        raise fields.Invalid("'base_url' must not carry a user name or password")
    if "[" in parts.path or "]" in parts.path:
        raise fields.Invalid(
            "'base_url' may not contain '[' or ']' in its path: percent-encode them"
        )
    host = parts.netloc.rsplit(":", 1)[0] if not parts.netloc.endswith("]") else parts.netloc
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise fields.Invalid(f"'base_url' has an invalid port in {parts.netloc!r}") from None
    if not _HOST_RE.fullmatch(host):
        raise fields.Invalid(f"'base_url' has an invalid host name {host!r}")
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
    "share_image",
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


#: site.yaml is a few hundred bytes; anything near this is a mistake.
MAX_SETTINGS_BYTES = 256 * 1024


def read_settings(site: SiteDir) -> Result[Settings]:
    """Read site.yaml: the settings (defaults where broken) and every problem in it."""
    settings, errors = _read(site)
    return Result(settings, tuple(errors))


def _read(site: SiteDir) -> tuple[Settings, list[ContentError]]:
    """Read site.yaml; return settings (defaults where broken) and its problems.

    Broken settings do not stop the build at once, so that the same run can also report
    every mistake in the articles.
    """
    data = site.read(SETTINGS_FILE, limit=MAX_SETTINGS_BYTES)
    if data is None:
        return DEFAULTS, [
            ContentError(
                SETTINGS_FILE, 0, f"no {SETTINGS_FILE} in {site.source}: is this a pressroom site?"
            )
        ]
    if isinstance(data, ContentError):
        return DEFAULTS, [data]
    text = decode_text(data, SETTINGS_FILE)
    if isinstance(text, ContentError):
        return DEFAULTS, [text]
    doc = load_yaml(text, SETTINGS_FILE)
    if isinstance(doc, list):
        return DEFAULTS, doc
    return _validate(doc, SETTINGS_FILE)


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

    languages = _languages(get, doc, shown, errors)
    default_language = get("default_language", fields.text, languages[0])
    if default_language not in languages:
        errors.append(
            ContentError(
                shown,
                doc.line_of("default_language"),
                f"default_language '{default_language}' is not one of languages",
            )
        )
        default_language = languages[0]
    timezone = get("timezone", fields.text, DEFAULTS.timezone)
    if not _known_zone(timezone):
        errors.append(
            ContentError(
                shown,
                doc.line_of("timezone"),
                f"unknown time zone '{timezone}': use an IANA name such as Asia/Seoul"
                f"{did_you_mean(timezone, _zone_names())}",
            )
        )
        timezone = DEFAULTS.timezone  # so that the rest of the run can go on and report
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
        **(get("share_image", _share_image, {}, languages=languages) or {}),
        share_image_line=doc.line_of("share_image", "file") if "share_image" in data else 0,
    )
    return settings, errors


def _share_image(value: Any, *, name: str, languages: tuple[str, ...]) -> dict[str, Any]:
    """``{file: content/media/share.png, alt: {ko: …, en: …}}``."""
    mapping = fields.mapping(value, name=name)
    unknown = sorted(set(mapping) - {"file", "alt"})
    if unknown:
        raise fields.Invalid(f"'{name}' has only 'file' and 'alt', not '{unknown[0]}'")
    file = fields.text(mapping.get("file"), name=f"{name}.file")
    if not file.startswith("content/") or ".." in file.split("/"):
        raise fields.Invalid(f"'{name}.file' must be a file under content/, not {file!r}")
    alt = fields.per_language(mapping.get("alt"), name=f"{name}.alt", languages=languages)
    return {"share_image": file, "share_image_alt": alt}


def _languages(
    get: Any, doc: YamlDocument, shown: str, errors: list[ContentError]
) -> tuple[str, ...]:
    """The site's languages, each known to CLDR and named once.

    The rest of the run goes on with the languages that are right, so that a mistyped one is
    reported once here rather than again in every registry entry and article.
    """
    given = get("languages", lambda v, name: fields.list_of(fields.text, v, name=name), None)
    if given is None:
        return DEFAULTS.languages
    if not given:
        errors.append(
            ContentError(
                shown, doc.line_of("languages"), "'languages' must name at least one language"
            )
        )
        return DEFAULTS.languages
    kept: list[str] = []
    for index, lang in enumerate(given):
        line = doc.line_of("languages", index)
        if lang in kept:
            errors.append(ContentError(shown, line, f"language '{lang}' is listed twice"))
            continue
        if not LANGUAGE_RE.fullmatch(lang) or not _known_language(lang):
            errors.append(ContentError(shown, line, f"unknown language '{lang}'"))
            continue
        kept.append(lang)
    return tuple(kept) or DEFAULTS.languages


#: A language code as it appears in URLs and file names: 'ko', 'en', 'pt-BR', 'zh-Hant'.
LANGUAGE_RE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def _known_language(lang: str) -> bool:
    try:
        Locale.parse(lang, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


@functools.cache
def _zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


#: What an IANA zone name looks like: never a path ('/etc/passwd', '../x').
ZONE_RE = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9][A-Za-z0-9_+\-]*)*")


def _known_zone(name: str) -> bool:
    """True for a time zone the zone database has ('Mars/Olympus' is not one)."""
    if not ZONE_RE.fullmatch(name):
        return False
    try:
        ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True
