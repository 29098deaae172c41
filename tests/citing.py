"""A valid citation for the articles tests write, in the front matter's own shape."""

from __future__ import annotations

from typing import Any

#: The outlet of the default content's registry, and its names on the pages.
OUTLET = "asiae"
OUTLET_NAMES = {"ko": "아시아경제", "en": "The Asia Business Daily"}


def report(
    url: str = "https://example.com/news",
    headline: str = "Test report",
    *,
    outlet: str = OUTLET,
    published: str = "2025-08-26",
    **more: Any,
) -> dict[str, Any]:
    """One entry of ``sources:``: the report an article summarises."""
    return {"outlet": outlet, "headline": headline, "url": url, "published": published, **more}


def sources(
    url: str = "https://example.com/news", headline: str = "Test report", **more: Any
) -> list[dict[str, Any]]:
    """A ``sources:`` value citing one report."""
    return [report(url, headline, **more)]
