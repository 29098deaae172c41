"""Small charts drawn at build time as inline SVG: articles per month over the archive's span.

A chart is plain data (``MonthChart``): the template draws its bars as SVG rectangles coloured
by the stylesheet (so both colour schemes apply) and lists the same figures as a table for
screen readers. No script runs and nothing is fetched.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from generator.site import l10n

#: The drawing's size in SVG units; it scales to the column's width.
WIDTH = 600
HEIGHT = 96
MAX_BAR = 24


@dataclass(frozen=True, slots=True)
class Bar:
    """One month: its place in the drawing and what it stands for."""

    x: float
    y: float
    width: float
    height: float
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class MonthChart:
    """Articles per month, from the archive's first month to its last."""

    width: int
    height: int
    bars: tuple[Bar, ...]
    #: What the chart shows, said in a sentence (its accessible name).
    title: str
    first: str
    last: str
    #: (month, count) of every month with at least one article, oldest first.
    rows: tuple[tuple[str, int], ...]


def month_chart(
    span: Sequence[tuple[int, int]],
    counts: Mapping[tuple[int, int], int],
    lang: str,
    gettext: Callable[[str], str],
) -> MonthChart | None:
    """The chart of ``counts`` over ``span`` (every month of the archive, oldest first);
    None when the span is empty."""
    if not span:
        return None
    months = _every_month(span[0], span[-1])
    peak = max((counts.get(month, 0) for month in months), default=0) or 1
    step = WIDTH / len(months)
    # A bar is at most MAX_BAR wide (a short archive does not draw slabs), centred in its month.
    width = min(step - min(2.0, step * 0.2), MAX_BAR)
    bars = []
    for index, (year, month) in enumerate(months):
        count = counts.get((year, month), 0)
        height = HEIGHT * count / peak
        bars.append(
            Bar(
                x=round(index * step + (step - width) / 2, 2),
                y=round(HEIGHT - height, 2),
                width=round(width, 2),
                height=round(height, 2),
                label=l10n.month_label(year, month, lang),
                count=count,
            )
        )
    first, last = bars[0].label, bars[-1].label
    if first == last:
        title = gettext("Articles in %(month)s") % {"month": first}
    else:
        title = gettext("Articles per month, %(first)s to %(last)s") % {
            "first": first,
            "last": last,
        }
    rows = tuple((bar.label, bar.count) for bar in bars if bar.count)
    return MonthChart(WIDTH, HEIGHT, tuple(bars), title, first, last, rows)


def _every_month(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    """Every (year, month) from ``first`` to ``last``, both included."""
    found = []
    year, month = first
    while (year, month) <= last:
        found.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found
