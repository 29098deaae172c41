"""The archive by year and month: /<lang>/archive/, /<lang>/archive/2025/, …/2025/08/.

Years and months are those of any language, so that every archive page has its counterpart in
the other language (a month with articles in one language only shows an empty list in the
other, like a term page). Dates are grouped in the site's time zone, as they are shown.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from babel.dates import format_date, format_skeleton
from babel.support import Translations

from generator import i18n
from generator.content.article import Article
from generator.content.library import Archive
from generator.pages import FeedRef, PlannedPage
from generator.site import urls
from generator.site.urls import Urls
from generator.views import Link

#: Year → month → articles of that month, newest first.
Calendar = Mapping[int, Mapping[int, Sequence[Article]]]


@dataclass(frozen=True, slots=True)
class Period:
    """A year or a month in the archive, as a list of them shows it."""

    label: str
    url: str
    count: int
    count_text: str


@dataclass(frozen=True, slots=True)
class MonthGroup:
    """One month on a year page: its link and where its articles are in the page's list."""

    period: Period
    #: Slice of the year page's articles (newest first) that fall in this month.
    first: int
    last: int


@dataclass(frozen=True, slots=True)
class YearGroup:
    """One year on the archive index, with its months."""

    period: Period
    months: tuple[Period, ...]


def calendar(articles: Sequence[Article], zone: dt.tzinfo) -> Calendar:
    """Group articles (newest first) by the year and month of their date in ``zone``."""
    grouped: dict[int, dict[int, list[Article]]] = defaultdict(lambda: defaultdict(list))
    for article in articles:
        local = article.date.astimezone(zone)
        grouped[local.year][local.month].append(article)
    return grouped


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


class ArchivePlanner:
    """Plans the archive pages of every language."""

    def __init__(
        self,
        archive: Archive,
        link: Urls,
        translations: Mapping[str, Translations],
        site_feed: Callable[[str], FeedRef],
    ) -> None:
        self.archive = archive
        self.link = link
        self.translations = translations
        self.site_feed = site_feed
        zone = archive.settings.zone
        self.calendars = {
            lang: calendar(archive.articles[lang], zone) for lang in archive.settings.languages
        }
        #: Every (year, month) with an article in any language, newest first.
        self.months = sorted(
            {(y, m) for cal in self.calendars.values() for y in cal for m in cal[y]},
            reverse=True,
        )

    def pages(self, lang: str) -> Iterator[PlannedPage]:
        """The archive index, then each year and each month, of ``lang``."""
        yield self._index(lang)
        for year in sorted({y for y, _ in self.months}, reverse=True):
            yield self._year(lang, year)
        for year, month in self.months:
            yield self._month(lang, year, month)

    def _articles(self, lang: str, year: int, month: int | None = None) -> list[Article]:
        months = self.calendars[lang].get(year, {})
        if month is not None:
            return list(months.get(month, ()))
        return [a for m in sorted(months, reverse=True) for a in months[m]]

    def _period(self, label: str, path: str, count: int, lang: str) -> Period:
        return Period(label, self.link.link(path), count, i18n.number(count, lang))

    def _title(self, lang: str) -> str:
        text: str = self.translations[lang].gettext("Archive")
        return text

    def article_trail(self, article: Article) -> tuple[Link, ...]:
        """The breadcrumb above an article: home, the archive, its year and its month."""
        lang = article.lang
        local = article.date.astimezone(self.archive.settings.zone)
        month = Link(
            month_name(local.year, local.month, lang),
            self.link.link(urls.archive(lang, local.year, local.month)),
        )
        return (*self._trail(lang, 3, local.year), month)

    def _trail(self, lang: str, depth: int, year: int = 0) -> tuple[Link, ...]:
        """The breadcrumb above an archive page: home, the archive, the year (``depth`` of them)."""
        home: str = self.translations[lang].gettext("Home")
        trail = (
            Link(home, self.link.link(urls.home(lang))),
            Link(self._title(lang), self.link.link(urls.archive(lang))),
            Link(year_label(year, lang) if year else "", self.link.link(urls.archive(lang, year))),
        )
        return trail[:depth]

    def _index(self, lang: str) -> PlannedPage:
        years = []
        for year in sorted({y for y, _ in self.months}, reverse=True):
            months = tuple(
                self._period(
                    month_name(year, m, lang),
                    urls.archive(lang, year, m),
                    len(self._articles(lang, year, m)),
                    lang,
                )
                for y, m in self.months
                if y == year
            )
            total = len(self._articles(lang, year))
            period = self._period(year_label(year, lang), urls.archive(lang, year), total, lang)
            years.append(YearGroup(period, months))
        return PlannedPage(
            id=("archive",),
            lang=lang,
            path=urls.archive(lang),
            template="archive.html",
            title=self._title(lang),
            feeds=(self.site_feed(lang),),
            context={"years": years, "breadcrumb": self._trail(lang, 1)},
        )

    def _year(self, lang: str, year: int) -> PlannedPage:
        listed = self._articles(lang, year)
        groups, first = [], 0
        for y, m in self.months:
            if y != year:
                continue
            count = len(self._articles(lang, year, m))
            period = self._period(
                month_label(year, m, lang), urls.archive(lang, year, m), count, lang
            )
            groups.append(MonthGroup(period, first, first + count))
            first += count
        return PlannedPage(
            id=("archive", year),
            lang=lang,
            path=urls.archive(lang, year),
            template="archive_year.html",
            title=year_label(year, lang),
            feeds=(self.site_feed(lang),),
            context={
                "months": groups,
                "count": len(listed),
                "count_text": i18n.number(len(listed), lang),
                "breadcrumb": self._trail(lang, 2),
            },
            listed=tuple(listed),
        )

    def _month(self, lang: str, year: int, month: int) -> PlannedPage:
        listed = self._articles(lang, year, month)
        return PlannedPage(
            id=("archive", year, month),
            lang=lang,
            path=urls.archive(lang, year, month),
            template="archive_month.html",
            title=month_label(year, month, lang),
            feeds=(self.site_feed(lang),),
            context={
                "count": len(listed),
                "count_text": i18n.number(len(listed), lang),
                "breadcrumb": self._trail(lang, 3, year),
            },
            listed=tuple(listed),
        )
