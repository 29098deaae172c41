"""Article files → Articles, reusing cached results and spreading fresh work over all cores.

A file's result (its Article or its errors) depends only on its bytes, its path and the
ParseConfig, so the cache is keyed by exactly those.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from generator import cache
from generator.content import Article, Parsed, parse_article, read_article_bytes
from generator.errors import ContentError
from generator.markup import MarkdownRenderer

#: Below this many files to parse, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 200
CACHE_NAME = "articles.pickle"
#: Bumped whenever what the cache stores changes shape, so an old cache is never misread.
CACHE_FORMAT = "3"


@dataclass(frozen=True, slots=True)
class ParseConfig:
    """Everything besides the file itself that parsing an article depends on."""

    languages: tuple[str, ...]
    timezone: str
    allow_html: Mapping[str, tuple[str, ...]]
    #: Title of footnote back-links, per language (from the catalogs).
    backlink_titles: Mapping[str, str]

    def key(self) -> str:
        """The cache key: changes when any setting above or the generator changes."""
        return cache.versioned_key(
            CACHE_FORMAT,
            repr(self.languages),
            self.timezone,
            repr(sorted((tag, tuple(names)) for tag, names in self.allow_html.items())),
            repr(sorted(self.backlink_titles.items())),
        )


@dataclass(frozen=True, slots=True)
class ParseStats:
    """How much work parsing took."""

    files: int
    parsed: int
    reused: int
    workers: int


def parse_articles(
    source: Path, files: Sequence[Path], config: ParseConfig, *, use_cache: bool = True
) -> tuple[list[Article], list[ContentError], ParseStats]:
    """Parse ``files`` (relative to ``source``); return articles, errors and statistics."""
    key = config.key()
    path = cache.cache_path(source, CACHE_NAME)
    loaded = cache.load(path, key) if use_cache else None
    cached: dict[str, tuple[str, Parsed]] = loaded if isinstance(loaded, dict) else {}
    results: dict[str, Parsed] = {}
    fresh: dict[str, tuple[str, Parsed]] = {}
    todo: list[tuple[str, bytes, str]] = []
    for rel in files:
        name = rel.as_posix()
        data = read_article_bytes(source, rel)
        if isinstance(data, ContentError):
            results[name] = Parsed(None, (data,))
            continue
        file_digest = cache.digest(data)
        hit = cached.get(name)
        if (
            isinstance(hit, tuple)
            and len(hit) == 2
            and hit[0] == file_digest
            and isinstance(hit[1], Parsed)
        ):
            results[name] = hit[1]
            fresh[name] = hit
        else:
            todo.append((name, data, file_digest))
    workers = _worker_count(len(todo))
    for (name, _, file_digest), result in zip(
        todo, _parse_many(todo, config, workers), strict=True
    ):
        results[name] = result
        fresh[name] = (file_digest, result)
    if use_cache and (todo or len(fresh) != len(cached)):
        cache.save(path, key, fresh)
    articles: list[Article] = []
    errors: list[ContentError] = []
    for rel in files:
        result = results[rel.as_posix()]
        errors.extend(result.errors)
        if result.article is not None:
            articles.append(result.article)
    stats = ParseStats(len(files), len(todo), len(files) - len(todo), workers)
    return articles, errors, stats


def _worker_count(jobs: int) -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if jobs < PARALLEL_THRESHOLD or not cores or cores < 2:
        return 1
    return cores


def _parse_many(
    jobs: Sequence[tuple[str, bytes, str]], config: ParseConfig, workers: int
) -> Iterable[Parsed]:
    if workers == 1:
        _start_worker(config)
        return [_parse_one(name, data) for name, data, _ in jobs]
    chunk = max(1, len(jobs) // (workers * 8))
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_start_worker, initargs=(config,)
    ) as pool:
        return list(
            pool.map(_parse_one, [j[0] for j in jobs], [j[1] for j in jobs], chunksize=chunk)
        )


# One renderer per process, reused for every article it parses (see MarkdownRenderer).
_worker: tuple[ParseConfig, MarkdownRenderer, ZoneInfo] | None = None


def _start_worker(config: ParseConfig) -> None:
    global _worker
    if _worker is None or _worker[0] != config:
        renderer = MarkdownRenderer(config.allow_html, config.backlink_titles)
        _worker = (config, renderer, ZoneInfo(config.timezone))


def _parse_one(name: str, data: bytes) -> Parsed:
    assert _worker is not None
    config, renderer, zone = _worker
    return parse_article(Path(name), data, config.languages, zone, renderer)
