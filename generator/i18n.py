"""Babel catalogs, localized dates, numbers and language names."""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.numbers import format_decimal
from babel.support import Translations

from generator.errors import ContentError

LOCALES_DIR = Path("locales")
DOMAIN = "messages"


def catalog_path(lang: str) -> Path:
    """Return the .po file of ``lang``, relative to the site directory."""
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_translations(source: Path, lang: str) -> Translations | ContentError:
    """Read the .po catalog of ``lang`` and compile it in memory (no .mo is kept on disk)."""
    rel = catalog_path(lang)
    try:
        with (source / rel).open("rb") as handle:
            catalog = read_po(handle, locale=lang, abort_invalid=True)
    except FileNotFoundError:
        return ContentError(rel.as_posix(), 0, f"no message catalog for language '{lang}'")
    except PoFileError as exc:
        return ContentError(rel.as_posix(), getattr(exc, "lineno", 1), f"invalid catalog: {exc}")
    compiled = BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out, as gettext does
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def local_date(moment: dt.datetime, lang: str) -> str:
    """'2025년 8월 25일' / 'August 25, 2025' (CLDR long format)."""
    return format_date(moment.date(), format="long", locale=lang)


def number(value: int, lang: str) -> str:
    """A count with the language's digit grouping."""
    return format_decimal(value, locale=lang)


@functools.cache
def language_name(lang: str) -> str:
    """The language's name in itself: '한국어', 'English'."""
    name = Locale.parse(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]


def rfc822(moment: dt.datetime) -> str:
    """An RSS date: 'Mon, 25 Aug 2025 18:00:00 +0900'."""
    return email.utils.format_datetime(moment)
