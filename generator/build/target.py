"""What a build knows of one output directory (a *target*) between runs, and what it reports.

The state record says how the last build left the directory: its options, the inode of the
live tree, whether the spare tree is known, the inputs it was built from. A record that does
not match what is on disk, or that a killed build left half-written, is settled or dropped
here, never trusted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from generator.build import writer
from generator.build.inputs import Scan
from generator.build.records import ProductRecord
from generator.build.store import Store
from generator.content.selection import Selection
from generator.core.digest import digest

if TYPE_CHECKING:
    from generator.site.plan import SitePlan


#: Bumped when the target state record changes shape.
TARGET_FORMAT = "1"


@dataclass(frozen=True, slots=True)
class LanguageStats:
    """What one language of the built site holds."""

    lang: str
    articles: int
    pages: int
    terms: int
    feeds: int


@dataclass(frozen=True, slots=True)
class BuildReport:
    """The result of a successful build."""

    output: Path
    #: Files in the site.
    files: int
    #: Files whose bytes changed (the others kept their inode and modification time).
    changed: int
    languages: tuple[LanguageStats, ...]
    seconds: float
    #: Products left for the next build (see ``defer``).
    deferred: int = 0
    #: The stamp of the inputs the site was built from (see inputs.Scan.stamp).
    stamp: str = ""
    #: The scan looked only at the paths a watcher named (see inputs.rescan).
    watched: bool = False


@dataclass(frozen=True, slots=True)
class TargetState:
    """What the store knows of one output directory besides its files."""

    #: The output's resolved path and the build's options.
    options: str
    report: tuple[LanguageStats, ...]
    files: int
    #: When the site changes by itself (a scheduled article falls due), as POSIX time.
    next_due: float | None
    #: Digest of what the plan's structure was made of.
    structure: str
    #: The inode of the live directory as the last build left it.
    live_inode: int | None
    #: True when the spare directory is what the records say (pending lists the differences).
    spare_known: bool
    #: Set while a swap is under way: the inode the live directory has once it is done.
    swap_expected: int | None = None
    #: How many rows the store held for this output when the build ended (Store.counts).
    counts: tuple[int, ...] = ()
    #: The inputs it was built from (Scan.stamp).
    inputs: str = ""
    #: Products left for the next build (search index parts, when `serve` defers them).
    deferred: tuple[str, ...] = ()


def target_id(output: Path, base_url: str | None, selection: Selection) -> str:
    """Names one output directory built with one set of options."""
    return digest(str(output.resolve()), repr(base_url), repr(selection.options()))[:20]


def nothing_to_do(
    state: TargetState | None, scan: Scan, selection: Selection, output: Path
) -> bool:
    """True when no input changed, no scheduled article fell due and the output is as the
    last build left it."""
    if state is None or scan.problems or state.live_inode != live_inode(output):
        return False
    if state.deferred:
        return False
    if state.inputs != scan.stamp:
        return False
    now = selection.now.timestamp() if selection.now else None
    return state.next_due is None or (now is not None and now < state.next_due)


def recover(store: Store, target: str, output: Path) -> TargetState | None:
    """The target's state; a swap that a killed build left half-known is settled first."""
    state = store.target_state(target)
    if not isinstance(state, TargetState):
        if state is not None:
            with store.transaction():
                store.forget_target(target)
        return None
    if state.swap_expected is None:
        if state.live_inode != live_inode(output):
            # The site was deleted, replaced or emptied since: the records describe nothing
            # that is there, and the build starts over.
            with store.transaction():
                store.forget_target(target)
            return None
        return state
    with store.transaction():
        if live_inode(output) == state.swap_expected:
            # The swap happened: the records describe the live site; the spare is unknown.
            state = replace(
                state, swap_expected=None, spare_known=False, counts=store.counts(target)
            )
            store.put_target_state(target, state)
            return state
        store.forget_target(target)  # it did not: nothing of the records can be trusted
    return None


def trust(store: Store, target: str, state: TargetState | None) -> TargetState | None:
    """``state``, or None (and the records dropped) when the store's records of the target
    were changed since the build that wrote them."""
    if state is None or state.counts == store.counts(target):
        return state
    with store.transaction():
        store.forget_target(target)
    return None


def language_stats(
    plan: SitePlan,
    files: Mapping[str, str],
    before: tuple[LanguageStats, ...] = (),
    added: Iterable[str] = (),
    removed: Iterable[str] = (),
) -> tuple[LanguageStats, ...]:
    """What each language of the site with ``files`` holds. Its pages and feeds are counted
    in ``files``, or, given the counts ``before`` of the site it replaces, from those with the
    files it ``added`` and ``removed`` (an edit need not look at 28,000 paths)."""
    library = plan.library
    earlier = {stats.lang: stats for stats in before}
    if any(lang not in earlier for lang in plan.languages):
        counted = {lang: _pages_and_feeds(files, lang) for lang in plan.languages}
    else:
        counted = {}
        for lang in plan.languages:
            more, fewer = _pages_and_feeds(added, lang), _pages_and_feeds(removed, lang)
            pages, feeds = earlier[lang].pages, earlier[lang].feeds
            counted[lang] = (pages + more[0] - fewer[0], feeds + more[1] - fewer[1])
    stats = []
    for lang in plan.languages:
        stats.append(
            LanguageStats(
                lang=lang,
                articles=len(library.articles[lang]),
                pages=counted[lang][0],
                terms=sum(
                    1
                    for taxonomy, terms in library.terms.items()
                    for term_id in terms
                    if library.articles_of(taxonomy, term_id, lang)
                ),
                feeds=counted[lang][1],
            )
        )
    return tuple(stats)


def _pages_and_feeds(paths: Iterable[str], lang: str) -> tuple[int, int]:
    """How many of ``paths`` are pages and feeds of ``lang`` (search index files are not)."""
    prefix = f"{lang}/"
    mine = [p for p in paths if p.startswith(prefix) and "/pagefind/" not in p]
    return sum(1 for p in mine if p.endswith(".html")), sum(1 for p in mine if p.endswith(".xml"))


# -- the live directory's identity ----------------------------------------------------


def staged_inode(staging: writer.Staging) -> int | None:
    """The identity the live directory has once ``staging`` is swapped in (see live_inode)."""
    return _identity(staging.root)


def live_inode(output: Path) -> int | None:
    """The identity of the output directory: its inode with that of the root page every
    site has; None when either is missing. A site deleted and made again (an `mkdir`, a
    lock, a stray file) may get the folder's freed inode back, but not with the same page in
    it, so it never passes for the site the records describe."""
    return _identity(output)


#: A file every built site has (the language chooser).
MARK = "index.html"


def _identity(root: Path) -> int | None:
    try:
        folder, mark = root.stat().st_ino, (root / MARK).stat().st_ino
    except OSError:
        return None
    return (folder << 64) | mark


# -- the new site's files -------------------------------------------------------------


def files_now(
    live: Mapping[str, str],
    old: Mapping[str, list[str]],
    fresh: Mapping[str, ProductRecord],
    dropped: Iterable[str],
) -> tuple[dict[str, str], set[str], set[str]]:
    """Every file of the new site with its digest, the files it has that the live site has
    not, and the live files it no longer has."""
    files = dict(live)
    before = {path for product in (*fresh, *dropped) if product in old for path in old[product]}
    after = {path: d for record in fresh.values() for path, d in record.files.items()}
    removed = before - set(after)
    for path in removed:
        files.pop(path, None)
    files.update(after)
    return files, {path for path in after if path not in live}, removed
