"""Localized formats: dates, numbers, language names and archive labels, from CLDR via Babel."""

from __future__ import annotations

import datetime as dt
import email.utils
import functools

from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton, format_time
from babel.numbers import format_decimal


def local_date(moment: dt.datetime, lang: str) -> str:
    """'2025년 8월 25일' / 'August 25, 2025' (CLDR long format)."""
    return _long_date(moment.date(), lang)


# Babel parses its pattern and looks up the locale on every call; an archive has a few
# thousand days and counts, each shown on many pages.
@functools.lru_cache(maxsize=16384)
def _long_date(day: dt.date, lang: str) -> str:
    return format_date(day, format="long", locale=lang)


#: How a time names its zone: in parentheses in Korean ("오후 4:00 (KST)"), after it elsewhere.
ZONE_STYLES = {"ko": "{time} ({zone})"}


def date_span(first: dt.date, last: dt.date, lang: str) -> str:
    """'2024년 3월 3일~4월 2일' / 'Mar 3 - Apr 2, 2024' (CLDR's interval format, with its dash)."""
    return format_interval(first, last, skeleton="yMMMMd", locale=lang)


def local_datetime(moment: dt.datetime, lang: str) -> str:
    """Date and time with the zone, as news pages show them: '2025년 8월 26일 오후 4:00 (KST)' /
    'Aug 26, 2025, 4:00 PM KST' (CLDR's date and short time, joined by its datetime pattern).
    Korean takes the long date (its medium one is all digits: 2025. 8. 26.)."""
    locale = Locale.parse(lang)
    date = format_date(moment.date(), "long" if locale.language == "ko" else "medium", locale=lang)
    time = format_time(moment, "short", locale=lang)
    joined = str(locale.datetime_formats["medium"]).replace("{1}", date).replace("{0}", time)
    zone = moment.tzname() or moment.strftime("%z")
    return ZONE_STYLES.get(locale.language, "{time} {zone}").format(time=joined, zone=zone)


@functools.lru_cache(maxsize=4096)
def number(value: int, lang: str) -> str:
    """A count with the language's digit grouping."""
    return format_decimal(value, locale=lang)


@functools.cache
def language_name(lang: str) -> str:
    """The language's name in itself: '한국어', 'English'."""
    name = Locale.parse(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]


@functools.cache
def language_name_in(code: str, lang: str) -> str:
    """The name of language ``code`` in language ``lang``: ('ko', 'en') → 'Korean'."""
    locale = Locale.parse(lang)
    return str(locale.languages.get(code.replace("-", "_"), code))


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
