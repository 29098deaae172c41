"""The build, top to bottom: scan → load → plan → validate → decide → produce → write.

Only this module raises BuildFailed: the stages before it return their values with the
errors they found (``Result``), so that one run reports every mistake.

A build that finds nothing changed stops after the scan, before the heavy modules (Jinja2,
Markdown, Babel) are even imported.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from generator.build import store as stores
from generator.build import writer
from generator.build.inputs import Scan, scan_inputs
from generator.build.store import ProductRecord, Store, open_store
from generator.build.writer import build_lock, check_output_dir, write_problem
from generator.content.selection import Selection
from generator.core.digest import digest
from generator.core.errors import BuildFailed
from generator.core.files import SiteDir
from generator.core.layout import CACHE_DIR

if TYPE_CHECKING:  # the plan is imported only when a build has work to do
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


def published_now() -> Selection:
    """What a plain build publishes: no drafts, nothing dated after this moment."""
    return Selection(now=dt.datetime.now(dt.UTC))


def build(
    source: Path,
    output: Path,
    *,
    base_url: str | None = None,
    selection: Selection | None = None,
    verify: bool = False,
) -> BuildReport:
    """Build the site in ``source`` into ``output``; raise BuildFailed, leaving it untouched.

    ``selection`` defaults to published articles only: no drafts, nothing dated after now.
    Only the products whose facts changed since the previous build are made again; with
    ``verify``, every product is, and each file is compared with the one in ``output`` (a
    build trusts its records of ``output``: this repairs files changed there by hand).
    """
    started = time.perf_counter()
    selection = selection or published_now()
    check_output_dir(output, source)
    try:
        with build_lock(output):
            try:
                return _build(source, output, base_url, selection, verify, started)
            except sqlite3.DatabaseError:
                # The store broke under us (a disk error, a planted file): build from nothing.
                stores.discard(source)
                return _build(source, output, base_url, selection, verify, started)
    except OSError as exc:
        raise write_problem(output, exc) from None


def target_id(output: Path, base_url: str | None, selection: Selection) -> str:
    """Names one output directory built with one set of options."""
    return digest(str(output.resolve()), repr(base_url), repr(selection.options()))[:20]


def _open(site: SiteDir) -> Store:
    """The site's store; an in-memory one when the cache directory leads outside the site
    (that is an error the load stage reports, and nothing may be read or written there)."""
    if site.directory_problem(CACHE_DIR) is not None:
        return stores.memory_store()
    return open_store(site.source)


def _build(
    source: Path,
    output: Path,
    base_url: str | None,
    selection: Selection,
    verify: bool,
    started: float,
) -> BuildReport:
    site = SiteDir(source)
    store = _open(site)
    try:
        target = target_id(output, base_url, selection)
        writer.tidy(output)
        state = _recover(store, target, output)
        if verify and state is not None:
            with store.transaction():
                store.forget_target(target)
            state = None
        known = store.inputs()
        scan = scan_inputs(site, known)
        if _nothing_to_do(state, scan, selection, output):
            assert state is not None
            return BuildReport(output, state.files, 0, state.report, time.perf_counter() - started)
        work = Work(site, store, scan, known, state, target, output, base_url, selection)
        return _rebuild(work, started)
    finally:
        store.close()


def _nothing_to_do(
    state: TargetState | None, scan: Scan, selection: Selection, output: Path
) -> bool:
    """True when no input changed, no scheduled article fell due and the output is as the
    last build left it."""
    if state is None or scan.problems or state.live_inode != writer.live_inode(output):
        return False
    if state.inputs != scan.stamp():
        return False
    now = selection.now.timestamp() if selection.now else None
    return state.next_due is None or (now is not None and now < state.next_due)


def _recover(store: Store, target: str, output: Path) -> TargetState | None:
    """The target's state; a swap that a killed build left half-known is settled first."""
    state = store.target_state(target)
    if not isinstance(state, TargetState) or (
        state.swap_expected is None and state.counts != store.counts(target)
    ):
        if state is not None:
            with store.transaction():
                store.forget_target(target)
        return None
    if state.swap_expected is None:
        return state
    with store.transaction():
        if writer.live_inode(output) == state.swap_expected:
            # The swap happened: the records describe the live site; the spare is unknown.
            state = replace(
                state, swap_expected=None, spare_known=False, counts=store.counts(target)
            )
            store.put_target_state(target, state)
            return state
        store.forget_target(target)  # it did not: nothing of the records can be trusted
    return None


@dataclass(frozen=True, slots=True)
class Work:
    """One build that has something to do: where, with what, and what is known of before."""

    site: SiteDir
    store: Store
    scan: Scan
    #: The input records the scan compared with.
    known: Mapping[str, stores.InputRecord]
    state: TargetState | None
    target: str
    output: Path
    base_url: str | None
    selection: Selection


def _rebuild(work: Work, started: float) -> BuildReport:
    # The heavy stages are imported only when there is work to do.
    from generator.build.facts import input_facts, structure_key, with_structure
    from generator.build.incremental import changed_facts, decide
    from generator.build.load import load_site
    from generator.build.produce import claims, make_products
    from generator.build.sources import site_context
    from generator.site.search import SCRATCH, sweep

    site, store, scan, state, target = work.site, work.store, work.scan, work.state, work.target
    output, base_url, selection = work.output, work.base_url, work.selection

    if site.directory_problem(CACHE_DIR) is None:  # else it is an error, and not touched
        sweep(site.source / CACHE_DIR / SCRATCH)
    loaded_result = load_site(site, scan, store, selection, base_url=base_url)
    loaded = loaded_result.value
    if loaded_result.errors or loaded.plan is None:
        raise BuildFailed(loaded_result.errors)
    plan = loaded.plan
    options = repr((base_url, selection.options()))
    previous = store.facts(target) if state is not None else {}
    facts = input_facts(loaded, plan, scan, options)
    structure = structure_key(plan, facts)
    same_structure = state is not None and state.structure == structure
    facts = with_structure(facts, plan, previous, same_structure)
    changed = changed_facts(previous, facts)
    decision = decide(store, target, changed, None if same_structure else plan.products())
    live_files = store.outputs(target) if state is not None else {}
    records = store.product_files(target, [*(p.id for p in decision.make), *decision.drop])
    pending = store.pending(target) if state is not None and state.spare_known else None
    if state is not None and state.spare_known:
        with store.transaction():
            store.put_target_state(target, replace(state, spare_known=False))
    staging = writer.prepare(output, live_files, pending)
    try:
        ctx = site_context(site, loaded, plan)
        try:
            made = make_products(decision.make, ctx, plan, staging, facts)
        finally:
            ctx.close()
        errors = [e for m in made for e in m.errors] + claims(made)
        if errors:
            raise BuildFailed(errors)
        fresh = {m.product: m.record for m in made if m.record is not None}
        new_files, removed = _files_now(live_files, records, fresh, decision.drop)
        writer.remove(staging, removed)
        kept = {path for m in made for path in m.kept}
        rewritten = {p for m in made if m.record is not None for p in m.record.files} - kept
        changed_files = rewritten | removed
        report = _report(plan, new_files)
        new_state = TargetState(
            options=f"{TARGET_FORMAT}:{output.resolve()}:{options}",
            report=report,
            files=len(new_files),
            next_due=loaded.next_due,
            structure=structure,
            live_inode=writer.staged_inode(staging),
            # The spare is the old site: its differences are known if the old site was.
            spare_known=staging.spare or staging.trusted,
            inputs=scan.stamp(),
            swap_expected=writer.staged_inode(staging),
        )
        with store.transaction():
            store.put_inputs(_recorded(scan, work.known), scan.gone)
            store.put_facts(
                target, _changed(previous, facts), [f for f in previous if f not in facts]
            )
            store.put_products(target, fresh, decision.drop)
            recorded = {p: d for p, d in new_files.items() if live_files.get(p) != d}
            store.put_outputs(target, recorded, removed)
            store.put_pending(target, changed_files)
            store.put_target_state(target, new_state)
        writer.swap(staging)
    except BaseException:
        writer.abandon(staging)
        raise
    with store.transaction():
        counts = store.counts(target)
        store.put_target_state(target, replace(new_state, swap_expected=None, counts=counts))
    return BuildReport(
        output=output,
        files=len(new_files),
        changed=len(changed_files - removed),
        languages=report,
        seconds=time.perf_counter() - started,
    )


def _files_now(
    live: Mapping[str, str],
    old: Mapping[str, list[str]],
    fresh: Mapping[str, ProductRecord],
    dropped: Iterable[str],
) -> tuple[dict[str, str], set[str]]:
    """Every file of the new site with its digest, and the live files it no longer has."""
    files = dict(live)
    before = {path for product in (*fresh, *dropped) if product in old for path in old[product]}
    after = {path: d for record in fresh.values() for path, d in record.files.items()}
    removed = before - set(after)
    for path in removed:
        files.pop(path, None)
    files.update(after)
    return files, removed


def _changed(previous: Mapping[str, str], facts: Mapping[str, str]) -> dict[str, str]:
    return {f: d for f, d in facts.items() if previous.get(f) != d}


def _recorded(scan: Scan, known: Mapping[str, stores.InputRecord]) -> dict[str, stores.InputRecord]:
    """The scan's records that differ from the store's (only those are written)."""
    return {path: record for path, record in scan.files.items() if known.get(path) != record}


def _report(plan: SitePlan, files: Mapping[str, str]) -> tuple[LanguageStats, ...]:
    library = plan.library
    stats = []
    for lang in plan.languages:
        prefix = f"{lang}/"
        mine = [p for p in files if p.startswith(prefix) and "/pagefind/" not in p]
        stats.append(
            LanguageStats(
                lang=lang,
                articles=len(library.articles[lang]),
                pages=sum(1 for p in mine if p.endswith(".html")),
                terms=sum(
                    1
                    for taxonomy, terms in library.terms.items()
                    for term_id in terms
                    if library.articles_of(taxonomy, term_id, lang)
                ),
                feeds=sum(1 for p in mine if p.endswith(".xml")),
            )
        )
    return tuple(stats)
