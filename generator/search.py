"""Site search: a Pagefind index per language, built as ordinary outputs of the build.

Pagefind (https://pagefind.app) indexes HTML documents and writes a static bundle: its script,
its default UI and the index. Each language gets its own bundle under /<lang>/pagefind/, so a
Korean search page searches Korean articles only, and an edit in one language re-indexes that
language alone. Korean has no Pagefind stemmer, but Pagefind matches words by prefix, so
반도체 finds an article that only writes 반도체와 or 반도체를.

Pagefind reads one *search record* per article (templates/search_record.html): the article's
language, its title and the same body the article page marks with ``data-pagefind-body``. The
record is made from the article alone, so an unchanged article costs nothing to re-index: a
full page would have to be rendered again, and would change whenever a neighbour does.

A bundle is keyed by the keys of its records: an unchanged language reuses the previous build's
bundle (or a copy kept in the cache) instead of running Pagefind again.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath

import jinja2

from generator.build import cache
from generator.config.settings import SETTINGS_FILE
from generator.content.article import Article
from generator.core.errors import BuildFailed, ContentError
from generator.render import Output, OutputCache, PageRenderer
from generator.site import urls
from generator.views import body_html

#: How to get Pagefind, for the message of a build that needs it and does not have it.
INSTALL_HINT = (
    "site search needs Pagefind: install it with `pip install 'pagefind[bin]'` "
    "(it is a dependency of pressroom, so `pip install -e .` does it), "
    "or set `search: false` in site.yaml to build without search"
)
#: A Pagefind run that takes longer than this has hung.
TIMEOUT_SECONDS = 600
#: Bundle files the default UI does not load: other UIs, the highlighter, the playground.
UNUSED = ("pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.js", "playground/")
#: The bundle's table of contents: its languages and their index files.
ENTRY = "pagefind-entry.json"
RECORD_TEMPLATE = "search_record.html"
#: Bundles kept under .pressroom-cache/search/, by key.
CACHE_NAME = "search"
CACHE_BUNDLES = 6


@dataclass(frozen=True, slots=True)
class SearchRecord:
    """One article as Pagefind indexes it."""

    #: Where the record lies relative to the language's directory (its URL in the bundle).
    path: str
    key: str
    html: Callable[[], bytes]


def pagefind_executable() -> Path | None:
    """The Pagefind binary the Python package would run, or None when it is not installed."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    found = get_executable()
    return found if found is not None and found.is_file() else None


def search_records(pages: PageRenderer, env: jinja2.Environment, lang: str) -> list[SearchRecord]:
    """A search record for every article page of ``lang`` (``pages.render()`` has run)."""
    template = env.get_template(RECORD_TEMPLATE)
    records = []
    for rendered in pages.rendered:
        article = rendered.page.article
        if article is None or article.lang != lang:
            continue
        path = rendered.output.path.removeprefix(f"{lang}/")
        key = pages.outputs.key(path, RECORD_TEMPLATE, pages.fingerprints(rendered.page))
        records.append(SearchRecord(path, key, partial(_record, pages, template, article)))
    return records


def _record(pages: PageRenderer, template: jinja2.Template, article: Article) -> bytes:
    body = body_html(article, pages.archive, pages.link)
    return template.render(lang=article.lang, title=article.title, body=body).encode("utf-8")


def search_outputs(
    records: Sequence[SearchRecord], lang: str, outputs: OutputCache, source: Path
) -> list[Output]:
    """The Pagefind bundle of ``lang``: from the previous build, the cache, or a new run."""
    bundle = urls.search_bundle(lang)
    key = outputs.key(bundle, sorted((r.path, r.key) for r in records))
    files = _cached(source, key)
    if files is not None and all(outputs.unchanged(bundle + path, key) for path in files):
        return [Output(bundle + path, None, key) for path in sorted(files)]
    if files is None:
        files = run_pagefind(records)
        _store(source, key, files)
    return [Output(bundle + path, data, key) for path, data in sorted(files.items())]


def run_pagefind(records: Sequence[SearchRecord]) -> dict[str, bytes]:
    """Index ``records`` with Pagefind; return the bundle's files by path within the bundle."""
    executable = pagefind_executable()
    if executable is None:
        raise BuildFailed([ContentError(SETTINGS_FILE, 0, INSTALL_HINT)])
    with tempfile.TemporaryDirectory(prefix="pressroom-search-", dir=_scratch()) as work:
        site, bundle = Path(work) / "site", Path(work) / "bundle"
        for record in records:
            target = site / PurePosixPath(record.path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(record.html())
        # The binary the Python package ships, run once over the directory. Its asyncio API
        # (PagefindIndex) answers each request only after a 0.1 s poll, which tripled the time
        # of a small build, and its get_files() reply must fit in a 2 MiB pipe buffer that a
        # large site's index overruns.
        command = [str(executable), "--site", str(site), "--output-path", str(bundle), "--silent"]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise _failed(str(exc)) from None
        if done.returncode != 0:
            raise _failed((done.stderr or done.stdout).strip() or f"exit status {done.returncode}")
        return _read_bundle(bundle)


def _scratch() -> str | None:
    """A memory-backed directory for Pagefind's input and output when the system has one.

    Each record and each index fragment is a small file, written once and read once: on a
    disk-backed /tmp, creating a thousand of them took longer than Pagefind's own run.
    """
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else None


def _failed(why: str) -> BuildFailed:
    return BuildFailed([ContentError("pagefind", 0, f"building the search index failed: {why}")])


def _read_bundle(bundle: Path) -> dict[str, bytes]:
    files = {}
    for file in sorted(bundle.rglob("*")):
        rel = file.relative_to(bundle).as_posix()
        if file.is_file() and not rel.startswith(UNUSED):
            data = file.read_bytes()
            files[rel] = _canonical(data) if rel == ENTRY else data
    return files


def _canonical(entry: bytes) -> bytes:
    """The entry file with its keys sorted: Pagefind lists languages in a varying order, and
    the same site must build to the same bytes."""
    return json.dumps(json.loads(entry), sort_keys=True, ensure_ascii=False).encode("utf-8")


def _cache_file(source: Path, key: str) -> Path:
    return cache.cache_path(source, f"{CACHE_NAME}/{key}")


def _cached(source: Path, key: str) -> dict[str, bytes] | None:
    path = _cache_file(source, key)
    stored = cache.load(path, key)
    if not isinstance(stored, dict):
        return None
    path.touch()  # recently used: kept longest
    return stored


def _store(source: Path, key: str, files: dict[str, bytes]) -> None:
    """Keep the bundle, and only the few most recently used: switching back and forth between
    two states of a site (a draft and the published version) then indexes neither again."""
    cache.save(_cache_file(source, key), key, files)
    kept = sorted(_cache_file(source, key).parent.iterdir(), key=lambda f: f.stat().st_mtime)
    for old in kept[:-CACHE_BUNDLES]:
        old.unlink(missing_ok=True)
