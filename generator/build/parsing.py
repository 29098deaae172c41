"""Article files → Articles, reusing cached results and spreading fresh work over all cores.

A file's result (its Article or its errors) depends only on its bytes, its path and the
ParseConfig, so the cache is keyed by exactly those.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from generator.build import cache, parallel
from generator.content.article import Article, Parsed, parse_article, read_article
from generator.content.markup import MarkdownRenderer
from generator.core.errors import ContentError
from generator.core.files import FoundFile, SiteDir

#: Below this many files to parse, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 200
#: Bumped whenever what the cache stores changes shape, so an old cache is never misread.
CACHE_FORMAT = "5"


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


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """One file's parse result, with what identifies the file it came from."""

    digest: str
    #: Size and modification time when it was read: while both are unchanged, the file is
    #: not read again to recompute its digest (as git's index does).
    size: int
    mtime_ns: int
    parsed: Parsed


def parse_articles(
    site: SiteDir, files: Sequence[FoundFile], config: ParseConfig, *, use_cache: bool = True
) -> tuple[list[Article], list[ContentError], ParseStats]:
    """Parse ``files`` (as found under ``site``); return articles, errors and statistics."""
    source = site.source
    key = config.key()
    shards = _group_by_directory([f.rel for f in files])
    cached: dict[str, CacheEntry] = {}
    if use_cache:
        for shard in shards:
            cached.update(_load_shard(source, shard, key))
    results: dict[str, Parsed] = {}
    fresh: dict[str, CacheEntry] = {}
    todo: list[tuple[str, bytes, str, FoundFile]] = []
    for found in files:
        name = found.rel
        hit = cached.get(name)
        if hit is not None and (found.size, found.mtime_ns) == (hit.size, hit.mtime_ns):
            results[name] = hit.parsed
            fresh[name] = hit
            continue
        data = read_article(site, name)
        if isinstance(data, ContentError):
            results[name] = Parsed(None, (data,))
            continue
        file_digest = cache.digest(data)
        if hit is not None and hit.digest == file_digest:
            results[name] = hit.parsed
            fresh[name] = _entry(file_digest, found, hit.parsed)
        else:
            todo.append((name, data, file_digest, found))
    workers = parallel.worker_count(len(todo), threshold=PARALLEL_THRESHOLD)
    jobs = [(name, data) for name, data, _, _ in todo]
    for (name, _, file_digest, found), result in zip(
        todo, _parse_many(jobs, config, workers), strict=True
    ):
        results[name] = result
        fresh[name] = _entry(file_digest, found, result)
    if use_cache:
        _save_changed_shards(source, key, shards, cached, fresh)
    articles: list[Article] = []
    errors: list[ContentError] = []
    for found in files:
        result = results[found.rel]
        errors.extend(result.errors)
        if result.article is not None:
            articles.append(result.article)
    stats = ParseStats(len(files), len(todo), len(files) - len(todo), workers)
    return articles, errors, stats


#: A file modified this close to the build may be modified again within the same clock tick
#: without its size or mtime changing ("racily clean", as git calls it): it is re-hashed.
RACY_NS = 2_000_000_000


def _entry(file_digest: str, found: FoundFile, parsed: Parsed) -> CacheEntry:
    racy = found.mtime_ns >= time.time_ns() - RACY_NS
    return CacheEntry(file_digest, -1 if racy else found.size, found.mtime_ns, parsed)


# The cache is kept in one file per article directory (a year), so that an edit rewrites
# one year's entries, not the whole archive's.


def _group_by_directory(files: Sequence[str]) -> dict[str, list[str]]:
    shards: dict[str, list[str]] = {}
    for rel in files:
        shards.setdefault(rel.rpartition("/")[0], []).append(rel)
    return shards


def _shard_path(source: Path, shard: str) -> Path:
    return cache.cache_path(source, f"articles-{cache.digest(shard)[:16]}.pickle")


def _load_shard(source: Path, shard: str, key: str) -> dict[str, CacheEntry]:
    loaded = cache.load(_shard_path(source, shard), key)
    if not isinstance(loaded, dict):
        return {}
    return {
        name: entry
        for name, entry in loaded.items()
        if isinstance(entry, CacheEntry) and isinstance(entry.parsed, Parsed)
    }


def _save_changed_shards(
    source: Path,
    key: str,
    shards: Mapping[str, list[str]],
    cached: Mapping[str, CacheEntry],
    fresh: Mapping[str, CacheEntry],
) -> None:
    for shard, names in shards.items():
        # Files with errors are parsed again each time: they are few, and some errors (a
        # render that ran out of time on a busy machine) must not outlive their cause.
        entries = {
            name: fresh[name] for name in names if name in fresh and not fresh[name].parsed.errors
        }
        previous = {name: cached[name] for name in names if name in cached}
        if entries != previous:
            cache.save(_shard_path(source, shard), key, entries)


def _parse_many(
    jobs: Sequence[tuple[str, bytes]], config: ParseConfig, workers: int
) -> Iterable[Parsed]:
    if workers == 1:
        _start_worker(config)
        return [_parse_one(name, data) for name, data in jobs]
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
