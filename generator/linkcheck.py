"""Checks of body links against the disk and against the built site; copies linked media."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from generator.build import cache
from generator.content import links
from generator.content.article import Article
from generator.content.library import Archive
from generator.core.errors import BuildFailed, ContentError
from generator.core.files import SiteDir
from generator.render import Output, OutputCache
from generator.site import urls

#: Photos and PDFs, not video: a larger file is a mistake in a press-summary archive.
MAX_MEDIA_BYTES = 20 * 1024 * 1024


def missing_media(site: SiteDir, articles: Iterable[Article]) -> list[ContentError]:
    """Every local file an article links that cannot be published: missing, too large, or
    leading outside the site directory."""
    errors = []
    for article in articles:
        for ref in article.links:
            if ref.kind != links.MEDIA:
                continue
            problem = site.check_file(ref.target)
            if problem is not None:
                why = problem.message
            elif not (site.source / ref.target).is_file():
                why = "does not exist"
            elif (site.source / ref.target).stat().st_size > MAX_MEDIA_BYTES:
                why = f"is larger than {MAX_MEDIA_BYTES // 1024 // 1024} MB"
            else:
                continue
            errors.append(ContentError(article.path, ref.line, f"linked file {ref.target} {why}"))
    return errors


def media_outputs(site: SiteDir, archive: Archive, outputs: OutputCache) -> list[Output]:
    """Copy every local file that a published article links."""
    targets = sorted(
        {
            ref.target
            for article in archive.by_path.values()
            for ref in article.links
            if ref.kind == links.MEDIA
        }
    )
    produced = []
    errors = []
    for target in targets:
        data = site.read(target, limit=MAX_MEDIA_BYTES)
        if not isinstance(data, bytes):  # changed since it was checked
            errors.append(data or ContentError(target, 0, "disappeared during the build"))
            continue
        path = urls.media(target)
        produced.append(outputs.produce(path, cache.digest(path, data), partial(bytes, data)))
    if errors:
        raise BuildFailed(errors)
    return produced


def broken_site_links(archive: Archive, outputs: Iterable[Output]) -> list[ContentError]:
    """Absolute site paths written in bodies (/ko/sectors/ai/) that the build does not produce."""
    produced = {output.path for output in outputs}
    errors = []
    for article in archive.by_path.values():
        for ref in article.links:
            if ref.kind != links.SITE:
                continue
            target = ref.target
            if target in produced or urls.output_file(target) in produced:
                continue
            if not target.endswith("/") and f"{target}/index.html" in produced:
                continue
            errors.append(
                ContentError(
                    article.path,
                    ref.line,
                    f"link to /{target}: the site has no such page",
                )
            )
    return errors
