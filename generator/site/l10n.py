"""Localized formats: dates, numbers, language names and archive labels, from CLDR via Babel."""

from __future__ import annotations

import datetime as dt
import email.utils
import functools

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal


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


@functools.cache
def year_label(year: int, lang: str) -> str:
    """'2025년' / '2025'."""
    return format_skeleton("y", dt.date(year, 1, 1), locale=lang)


@functools.cache
def month_label(year: int, month: int, lang: str) -> str:
    """'2025년 8월' / 'August 2025'."""
    return format_skeleton("yMMMM", dt.date(year, month, 1), locale=lang)


@functools.cache
def month_name(year: int, month: int, lang: str) -> str:
    """The month alone, as a heading under its year: '8월' / 'August'."""
    return format_date(dt.date(year, month, 1), "LLLL", locale=lang)
