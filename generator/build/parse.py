"""Article files → placements, reusing the store's results and spreading fresh work over all
cores.

A file's parse result depends only on its bytes, its path and the ParseConfig, so the store
keeps it under exactly those. Files whose result has errors are parsed again by every build:
they are few, and some errors (a render that ran out of time on a busy machine) must not
outlive their cause.
"""

from __future__ import annotations

import pickle
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from generator.build import parallel
from generator.build.database import decode_placements
from generator.build.store import Store
from generator.content.article import Article, Parsed, parse_article, read_article
from generator.content.markup import MarkdownRenderer
from generator.content.placement import Placement, place
from generator.core.digest import versioned
from generator.core.errors import ContentError, Result
from generator.core.files import SiteDir

#: Below this many files to parse, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 200
#: Bumped whenever what the store keeps of an article changes shape.
FORMAT = "9"


@dataclass(frozen=True, slots=True)
class ParseConfig:
    """Everything besides the file itself that parsing an article depends on."""

    languages: tuple[str, ...]
    timezone: str
    allow_html: Mapping[str, tuple[str, ...]]

    def key(self) -> str:
        """Changes when any setting above or the generator changes."""
        return versioned(
            FORMAT,
            repr(self.languages),
            self.timezone,
            repr(sorted((tag, tuple(names)) for tag, names in self.allow_html.items())),
        )


@dataclass(frozen=True, slots=True)
class Articles:
    """The placement of every article file that parsed (with errors or without)."""

    placements: Mapping[str, Placement]
    #: How many files were parsed now (the others came from the store).
    parsed: int


def parse_articles(
    site: SiteDir,
    files: Sequence[str],
    digests: Mapping[str, str],
    config: ParseConfig,
    store: Store,
) -> Result[Articles]:
    """Place every article file of ``files``: from the store where its digest is known, else
    by parsing it (results without errors are stored)."""
    global _snapshot
    key = config.key()
    snapshot = _decoded(store, key)
    stored: dict[str, tuple[str, tuple[object, ...]]] = {}
    for folder in snapshot.folders.values():
        stored.update(folder.stored)
    placements: dict[str, Placement] = {}
    kept: dict[str, dict[str, tuple[str, tuple[object, ...]]]] = defaultdict(dict)
    todo = []
    for path in files:
        known = stored.get(path)
        if known is not None and known[0] == digests.get(path):
            placements[path] = snapshot.placement(path, known[1])
            kept[_folder(path)][path] = known
        else:
            todo.append(path)
    errors: list[ContentError] = []
    gone = [path for path in stored if path not in placements]
    if not todo and not gone:
        _snapshot = snapshot.updated({}, kept, placements)
        return Result(Articles(placements, 0), ())
    with store.transaction():
        store.forget_articles(gone)
        jobs = [(path, config) for path in todo]
        workers = parallel.worker_count(len(jobs), threshold=PARALLEL_THRESHOLD)
        results: Iterable[_Outcome]
        if workers == 1:
            results = (_parse(site, job) for job in jobs)
        else:
            results = parallel.map_forked(lambda job: _parse(site, job), jobs, workers=workers)
        for outcome in results:
            errors.extend(outcome.errors)
            if outcome.placement is None:
                continue
            placement = Placement.from_json(outcome.placement)
            placements[outcome.path] = placement
            if not outcome.errors and outcome.blob is not None:
                store.put_article_blob(outcome.path, outcome.digest, key, outcome.blob)
                kept[_folder(outcome.path)][outcome.path] = (outcome.digest, outcome.placement)
        changed = {_folder(path) for path in [*todo, *gone]}
        written = store.put_placements(key, {folder: kept.get(folder, {}) for folder in changed})
    _snapshot = snapshot.updated(written, kept, placements)
    ordered = {path: placements[path] for path in files if path in placements}
    return Result(Articles(ordered, len(todo)), tuple(errors))


def _folder(path: str) -> str:
    """The snapshot an article's placement is kept in: its folder's (a year of articles)."""
    return path.rpartition("/")[0]


@dataclass(frozen=True, slots=True)
class _Folder:
    """One folder's snapshot: its stored bytes, decoded, and the placements made of them."""

    data: bytes
    stored: Mapping[str, tuple[str, tuple[object, ...]]]
    placements: Mapping[str, Placement]


@dataclass(frozen=True, slots=True)
class _Snapshot:
    """A store's snapshots of placements, decoded: what a long-lived process (``serve``)
    keeps so that its next build need not decode ten thousand placements again."""

    store: Path
    config: str
    folders: Mapping[str, _Folder]

    def placement(self, path: str, row: tuple[object, ...]) -> Placement:
        """The placement of ``path`` (stored as ``row``)."""
        folder = self.folders.get(_folder(path))
        found = folder.placements.get(path) if folder is not None else None
        return found if found is not None else Placement.from_json(row)

    def updated(
        self,
        written: Mapping[str, bytes],
        kept: Mapping[str, Mapping[str, tuple[str, tuple[object, ...]]]],
        placements: Mapping[str, Placement],
    ) -> _Snapshot:
        """This snapshot once ``written`` replaced its folders' bytes and ``kept`` is what
        every folder holds."""
        folders = {}
        for name, rows in kept.items():
            data = written.get(name)
            if data is None:
                old = self.folders.get(name)
                if old is None:
                    continue
                data = old.data
            folders[name] = _Folder(data, rows, {path: placements[path] for path in rows})
        return _Snapshot(self.store, self.config, folders)


_snapshot: _Snapshot | None = None


def _decoded(store: Store, config: str) -> _Snapshot:
    """The store's snapshots, decoded; a folder this process decoded or wrote last is reused
    while its stored bytes are still the same."""
    last = _snapshot
    if last is None or (last.store, last.config) != (store.path, config):
        last = None
    folders = {}
    for name, data in store.snapshot(config).items():
        known = last.folders.get(name) if last is not None else None
        if known is not None and known.data == data:
            folders[name] = known
        else:
            folders[name] = _Folder(data, decode_placements(data), {})
    return _Snapshot(store.path, config, folders)


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What a worker sends back for one file: small, and the article already pickled."""

    path: str
    digest: str
    placement: tuple[object, ...] | None
    blob: bytes | None
    errors: tuple[ContentError, ...]


# One renderer per process, reused for every article it parses (see MarkdownRenderer).
_renderer: tuple[ParseConfig, MarkdownRenderer, ZoneInfo] | None = None


def _parse(site: SiteDir, job: tuple[str, ParseConfig]) -> _Outcome:
    global _renderer
    path, config = job
    if _renderer is None or _renderer[0] != config:
        _renderer = (config, MarkdownRenderer(config.allow_html), ZoneInfo(config.timezone))
    _, renderer, zone = _renderer
    data = read_article(site, path)
    if isinstance(data, ContentError):
        return _Outcome(path, "", None, None, (data,))
    parsed: Parsed = parse_article(Path(path), data, config.languages, zone, renderer)
    article = parsed.article
    if article is None:
        return _Outcome(path, "", None, None, parsed.errors)
    blob = pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL)
    placement = place(article, zone).to_json()
    return _Outcome(path, article.source_digest, placement, blob, parsed.errors)


def parse_again(site: SiteDir, path: str, config: ParseConfig) -> Article:
    """``path`` parsed now, when the store cannot give its article back (the load stage
    parsed it before, without errors)."""
    outcome = _parse(site, (path, config))
    if outcome.blob is None or outcome.errors:
        raise LookupError(f"{path} no longer parses: {outcome.errors}")
    article = pickle.loads(outcome.blob)
    assert isinstance(article, Article)
    return article
