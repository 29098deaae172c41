"""Checks of body links against the disk and against the built site; copies linked media."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path

from generator import cache, links, urls
from generator.content import Article
from generator.errors import ContentError
from generator.model import Archive
from generator.render import Output, OutputCache

#: Photos and PDFs, not video: a larger file is a mistake in a press-summary archive.
MAX_MEDIA_BYTES = 20 * 1024 * 1024


def missing_media(source: Path, articles: Iterable[Article]) -> list[ContentError]:
    """Every local file an article links that is not in the site directory."""
    errors = []
    root = source.resolve()
    for article in articles:
        for ref in article.links:
            if ref.kind != links.MEDIA:
                continue
            path = (source / ref.target).resolve()
            if not path.is_relative_to(root):
                problem = "is outside the site directory"
            elif not path.is_file():
                problem = "does not exist"
            elif path.stat().st_size > MAX_MEDIA_BYTES:
                problem = f"is larger than {MAX_MEDIA_BYTES // 1024 // 1024} MB"
            else:
                continue
            errors.append(
                ContentError(article.path, ref.line, f"linked file {ref.target} {problem}")
            )
    return errors


def media_outputs(source: Path, archive: Archive, outputs: OutputCache) -> list[Output]:
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
    for target in targets:
        path, data = urls.media(target), (source / target).read_bytes()
        produced.append(outputs.produce(path, cache.digest(path, data), partial(bytes, data)))
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
