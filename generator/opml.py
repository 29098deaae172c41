"""Every feed of a language in one list: shown on the feeds page, written as an OPML file.

OPML (https://opml.org/spec2.opml) is the subscription list feed readers import, so a reader
can follow the whole archive, every sector and every person in one step.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import jinja2

from generator.content.library import Archive
from generator.site import urls
from generator.site.urls import Urls

if TYPE_CHECKING:  # render.py plans the feeds page with feed_directory(): no import cycle
    from generator.render import Output, OutputCache


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One feed: its title, its address and the page it follows."""

    #: The name a reader sees in lists ('Semiconductors'); the feed's own title is ``title``.
    name: str
    title: str
    #: Absolute URL of the RSS file (what a feed reader is given).
    url: str
    #: Absolute URL of the HTML page the feed follows.
    page_url: str


@dataclass(frozen=True, slots=True)
class FeedGroup:
    """The feeds of one kind: the whole archive, the sectors, the people."""

    #: "site", "sectors" or "people".
    kind: str
    heading: str
    feeds: tuple[FeedEntry, ...]


def feed_directory(
    archive: Archive,
    lang: str,
    feed_title: Callable[[str, str | None], str],
    headings: Mapping[str, str],
) -> tuple[FeedGroup, ...]:
    """Every feed of ``lang``: the whole archive, then each sector and each person by name.

    ``headings`` names the groups ("site", "sectors", "people") in the page's language.
    """
    link = Urls(archive.settings.base_url, archive.settings.base_path)
    site = FeedEntry(
        archive.settings.title[lang],
        feed_title(lang, None),
        link.absolute(urls.feed(lang)),
        link.absolute(urls.home(lang)),
    )
    groups = [FeedGroup("site", headings["site"], (site,))]
    for taxonomy, terms in archive.terms.items():
        entries = sorted(
            (
                FeedEntry(
                    term.name[lang],
                    feed_title(lang, term.name[lang]),
                    link.absolute(urls.term_feed(lang, taxonomy, term.id)),
                    link.absolute(urls.term(lang, taxonomy, term.id)),
                )
                for term in terms.values()
            ),
            key=lambda e: e.name,
        )
        if entries:
            groups.append(FeedGroup(taxonomy, headings[taxonomy], tuple(entries)))
    return tuple(groups)


def render_opml(
    lang: str,
    title: str,
    groups: tuple[FeedGroup, ...],
    env: jinja2.Environment,
    outputs: OutputCache,
) -> Output:
    """The OPML subscription list of one language."""
    path = urls.opml(lang)
    key = outputs.key(path, "opml.xml", lang, title, groups)
    template = env.get_template("opml.xml")
    return outputs.produce(
        path, key, lambda: template.render(lang=lang, title=title, groups=groups).encode("utf-8")
    )
