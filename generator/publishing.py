"""The outputs beside the pages: OPML lists, the sitemap, robots.txt and the search bundles."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import jinja2

from generator.opml import feed_directory, render_opml
from generator.render import Output, OutputCache, PageRenderer
from generator.root import RootPages
from generator.search import search_outputs, search_records
from generator.sitemap import render_robots, render_sitemap, sitemap_entries


def outputs(
    pages: PageRenderer,
    root: RootPages,
    envs: Mapping[str, jinja2.Environment],
    cache: OutputCache,
    source: Path,
) -> list[Output]:
    """Every publishing output of a rendered site (``pages.render()`` has run)."""
    settings = pages.settings
    produced = [opml(pages, lang, envs[lang], cache) for lang in settings.languages]
    entries = sitemap_entries(pages, root.chooser_alternates())
    produced.append(render_sitemap(entries, envs[settings.default_language], cache))
    produced.append(render_robots(pages.link, cache))
    if settings.search:
        for lang in settings.languages:
            records = search_records(pages, envs[lang], lang)
            produced.extend(search_outputs(records, lang, cache, source))
    return produced


def opml(pages: PageRenderer, lang: str, env: jinja2.Environment, cache: OutputCache) -> Output:
    """The OPML list of every feed of ``lang`` (the same feeds as its feeds page)."""
    groups = feed_directory(pages.archive, lang, pages.feed_title, pages.feed_headings(lang))
    title = pages.feed_title(lang, pages.gettext("Feeds", lang))
    return render_opml(lang, title, groups, env, cache)
