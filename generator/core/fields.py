"""Small validating field types shared by the front matter, the registries and the settings.

Each check returns the cleaned value or raises ``Invalid`` with a message written for the author;
the caller adds the file and line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

T = TypeVar("T")

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: A BCP 47 language tag as sources and reports name their language: ko, en, pt-BR, zh-Hant.
LANGUAGE_TAG_RE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


class Invalid(ValueError):
    """A value that does not have the expected type or form."""


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def text(value: Any, *, name: str) -> str:
    """A non-empty string (numbers are refused so that `title: 2025` is caught)."""
    if not isinstance(value, str):
        raise Invalid(f"'{name}' must be text, not {_shown(value)}")
    stripped = value.strip()
    if not stripped:
        raise Invalid(f"'{name}' must not be empty")
    return stripped


def slug(value: Any, *, name: str) -> str:
    """Lower-case ASCII letters, digits and single hyphens: safe in a URL and a file name."""
    checked = text(value, name=name)
    if not SLUG_RE.fullmatch(checked):
        raise Invalid(
            f"'{name}' {_shown(checked)} is not a valid slug: use lower-case ASCII letters, "
            "digits and hyphens only (e.g. 'korea-us-roundtable')"
        )
    return checked


def language_tag(value: Any, *, name: str) -> str:
    """A language code such as ko, en or pt-BR."""
    tag = text(value, name=name)
    if not LANGUAGE_TAG_RE.fullmatch(tag):
        raise Invalid(f"'{name}' must be a language code such as ko or en, not {tag!r}")
    return tag


def boolean(value: Any, *, name: str) -> bool:
    """true or false, nothing else (`draft: "no"` is a mistake, not a false)."""
    if not isinstance(value, bool):
        raise Invalid(f"'{name}' must be true or false, not {_shown(value)}")
    return value


def positive_int(value: Any, *, name: str) -> int:
    """A whole number of at least 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise Invalid(f"'{name}' must be a whole number of at least 1, not {_shown(value)}")
    return value


def url(value: Any, *, name: str) -> str:
    """An absolute http(s) URL."""
    checked = text(value, name=name)
    if not re.match(r"https?://[^\s/]+", checked) or any(c.isspace() for c in checked):
        raise Invalid(f"'{name}' must be an absolute http(s) URL, not {_shown(checked)}")
    return checked


def timestamp(value: Any, *, name: str, zone: ZoneInfo) -> dt.datetime:
    """An aware datetime: ISO 8601 with an offset, or a plain date/time taken in ``zone``."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise Invalid(
                f"'{name}' must be an ISO 8601 date such as 2025-08-25 or "
                f"2025-08-25T09:30:00+09:00, not {_shown(value)}"
            ) from None
    if isinstance(value, dt.datetime):
        return _in_range(value if value.tzinfo is not None else value.replace(tzinfo=zone), name)
    if isinstance(value, dt.date):
        return _in_range(dt.datetime.combine(value, dt.time(), tzinfo=zone), name)
    raise Invalid(
        f"'{name}' must be an ISO 8601 date such as 2025-08-25 or "
        f"2025-08-25T09:30:00+09:00, not {_shown(value)}"
    )


#: Moments a site can show in any time zone: a day's margin inside what datetime can hold.
EARLIEST = dt.datetime(1, 1, 2, tzinfo=dt.UTC)
LATEST = dt.datetime(9999, 12, 30, tzinfo=dt.UTC)


def _in_range(moment: dt.datetime, name: str) -> dt.datetime:
    """``moment`` when it can be shown in every time zone (0001-01-01T00:30+14:00 cannot)."""
    try:
        utc = moment.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        utc = None
    if utc is None or not EARLIEST <= utc <= LATEST:
        raise Invalid(
            f"'{name}' {_shown(moment.isoformat())} is out of range: "
            f"a date must lie between {EARLIEST.date()} and {LATEST.date()}"
        )
    return moment


def list_of(check: Callable[..., T], value: Any, *, name: str) -> tuple[T, ...]:
    """A list whose items each pass ``check`` (a single item is accepted as a list of one)."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise Invalid(f"'{name}' must be a list, not {_shown(value)}")
    return tuple(check(item, name=f"{name}[{i}]") for i, item in enumerate(value))


def mapping(value: Any, *, name: str) -> Mapping[str, Any]:
    """A YAML mapping (``key: value`` lines)."""
    if not isinstance(value, dict):
        raise Invalid(f"'{name}' must be a mapping of keys to values, not {_shown(value)}")
    return value


def per_language(value: Any, *, name: str, languages: tuple[str, ...]) -> dict[str, str]:
    """Text for every site language: ``{ko: …, en: …}``."""
    value = mapping(value, name=name)
    missing = [lang for lang in languages if lang not in value]
    if missing:
        raise Invalid(f"'{name}' has no text for language(s): {', '.join(missing)}")
    extra = sorted(set(value) - set(languages))
    if extra:
        raise Invalid(
            f"'{name}' has text for language(s) the site does not have: {', '.join(extra)}"
        )
    return {lang: text(value[lang], name=f"{name}.{lang}") for lang in languages}
