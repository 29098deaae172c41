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
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from generator.build import collector, writer
from generator.build import store as stores
from generator.build.inputs import Scan, scan_site
from generator.build.outputdir import check_output_dir
from generator.build.records import InputRecord
from generator.build.store import Store, open_store
from generator.build.target import (
    TARGET_FORMAT,
    BuildReport,
    TargetState,
    files_now,
    language_stats,
    nothing_to_do,
    recover,
    staged_inode,
    target_id,
    trust,
)
from generator.build.writer import build_lock
from generator.content.selection import Selection
from generator.core.errors import BuildFailed, WriteRefused, write_problem
from generator.core.files import SiteDir
from generator.core.layout import CACHE_DIR
from generator.core.timing import Stopwatch

if TYPE_CHECKING:  # the heavy stages are imported only when a build has work to do
    from generator.build.incremental import Decision
    from generator.build.load import Loaded
    from generator.build.produce import Production


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
    timings: Stopwatch | None = None,
    defer: bool = False,
    touched: Collection[str] | None = None,
) -> BuildReport:
    """Build the site in ``source`` into ``output``; raise BuildFailed, leaving it untouched.

    ``selection`` defaults to published articles only: no drafts, nothing dated after now.
    Only the products whose facts changed since the previous build are made again; with
    ``verify``, every product is, and each file is compared with the one in ``output`` (a
    build trusts its records of ``output``: this repairs files changed there by hand). With
    ``defer``, the search index parts to make are left to the next build. ``touched``: the
    paths a watcher saw change since this process's last build here; only those are looked
    at when the records allow it (see inputs.rescan).
    """
    started = time.perf_counter()
    selection = selection or published_now()
    clock = timings or Stopwatch()
    try:
        check_output_dir(output, source)
        with build_lock(output), collector.build_scope():
            try:
                run = (source, output, base_url, selection, verify, defer, clock, started)
                return _build(*run, touched)
            except sqlite3.DatabaseError:
                # The store broke under us (a disk error, a planted file): build from nothing.
                stores.discard(source)
                return _build(*run, None)
    except WriteRefused as refused:
        raise BuildFailed([refused.error]) from None
    except OSError as exc:
        raise BuildFailed([write_problem(output, exc)]) from None


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
    defer: bool,
    clock: Stopwatch,
    started: float,
    touched: Collection[str] | None,
) -> BuildReport:
    site = SiteDir(source)
    store = _open(site)
    try:
        target = target_id(output, base_url, selection)
        writer.tidy(output)
        state = recover(store, target, output)
        if verify and state is not None:
            with store.transaction():
                store.forget_target(target)
            state = None
        with clock.stage("scan"):
            scan, known = scan_site(site, store, touched)
        if nothing_to_do(state, scan, selection, output):
            assert state is not None
            _keep_reread(store, scan, known)
            seconds = time.perf_counter() - started
            return BuildReport(
                output,
                state.files,
                0,
                state.report,
                seconds,
                stamp=scan.stamp,
                watched=scan.watched,
            )
        work = Work(
            site, store, scan, known, state, target, output, base_url, selection, clock, defer
        )
        return _rebuild(work, started)
    finally:
        store.close()


@dataclass(frozen=True, slots=True)
class Work:
    """One build that has something to do: where, with what, and what is known of before."""

    site: SiteDir
    store: Store
    scan: Scan
    #: The input records the scan compared with.
    known: Mapping[str, InputRecord]
    state: TargetState | None
    target: str
    output: Path
    base_url: str | None
    selection: Selection
    clock: Stopwatch
    #: Leave deferrable products to the next build.
    defer: bool = False


def _rebuild(work: Work, started: float) -> BuildReport:
    """Load, plan and validate; decide what is stale; make it; write and swap it in."""
    # The heavy stages are imported only when there is work to do.
    from generator.build.load import load_site

    clock = work.clock
    if work.state is not None:  # counted on the other core while the build loads and decides
        work.store.count_ahead(work.target)
    with collector.loading():  # what these make lives to the end of the build
        with clock.stage("load"):
            loaded = load_site(
                work.site, work.scan, work.store, work.selection, base_url=work.base_url
            )
        if loaded.errors or loaded.value.plan is None:
            raise BuildFailed(loaded.errors)
        with clock.stage("decide"):
            work, plan = _decide(work, loaded.value)
    with clock.stage("produce"):
        staging, made = _produce(work, loaded.value, plan)
    with clock.stage("write"):
        return _write(work, loaded.value, plan, staging, made, started)


def _decide(work: Work, loaded: Loaded) -> tuple[Work, _Decided]:
    """What to make (it only reads the store); made again from nothing if the store's row
    counts say the records were changed since the last build."""
    decided = _Decided.make(work, loaded)
    if work.state is None or trust(work.store, work.target, work.state) is not None:
        return work, decided
    work = replace(work, state=None)
    return work, _Decided.make(work, loaded)


@dataclass(frozen=True, slots=True)
class _Decided:
    """What a build makes, from which facts, and what it knows of the live site."""

    decision: Decision
    #: Every fact's current digest (products read them).
    facts: Mapping[str, str]
    #: The facts compared with the last build: their digests then and now.
    previous: dict[str, str]
    current: dict[str, str]
    structure: str
    options: str
    live_files: dict[str, str]
    #: The files each product to make or drop wrote last time.
    records: dict[str, list[str]]

    @classmethod
    def make(cls, work: Work, loaded: Loaded) -> _Decided:
        from generator.build.facts import (
            PREVIOUS,
            STRUCTURE,
            Facts,
            input_facts,
            structure_facts,
            structure_key,
            touched,
        )
        from generator.build.incremental import changed_facts, decide, with_deferred

        store, state, target, scan = work.store, work.state, work.target, work.scan
        plan = loaded.plan
        assert plan is not None
        options = repr((work.base_url, work.selection.options()))
        inputs = input_facts(loaded, plan, scan, options)
        structure = structure_key(plan, inputs)
        same_structure = state is not None and state.structure == structure
        structural = None if same_structure else structure_facts(plan)
        facts = Facts(inputs, plan, structural)
        # When this output was the last one built, the scan's changes are its changes: only
        # their facts (and the structure's, when it moved) need comparing.
        candidates = None
        if state is not None and state.inputs == store.last_inputs():
            earlier = [f for prefix in PREVIOUS for f in store.facts(target, prefix=prefix)]
            languages = loaded.settings.languages
            candidates = touched(scan.changed | scan.gone, inputs, earlier, languages)
        if candidates is None:
            previous = store.facts(target) if state is not None else {}
            if same_structure:
                facts = Facts(
                    inputs, plan, {f: d for f, d in previous.items() if f.startswith(STRUCTURE)}
                )
            current: Mapping[str, str] = facts
        else:
            previous = store.facts(target, candidates)
            current = {f: inputs[f] for f in candidates if f in inputs}
            if structural is not None:
                previous.update(store.facts(target, prefix=STRUCTURE))
                current = {**current, **structural}
        changed = changed_facts(previous, current)
        decision = decide(store, target, changed, None if same_structure else plan.products())
        deferred = state.deferred if state is not None else ()
        decision = with_deferred(decision, deferred, plan, work.defer)
        made_or_dropped = [*(p.id for p in decision.make), *decision.drop]
        return cls(
            decision=decision,
            facts=facts,
            previous=previous,
            current=dict(current),
            structure=structure,
            options=options,
            live_files=store.outputs(target) if state is not None else {},
            records=store.product_files(target, made_or_dropped),
        )


def _produce(work: Work, loaded: Loaded, plan: _Decided) -> tuple[writer.Staging, Production]:
    """Make every stale product into the staging directory; nothing is live yet."""
    from generator.build import cards, reframe
    from generator.build.produce import claims, make_products, shown_entries
    from generator.build.sources import site_context
    from generator.site.search import SCRATCH, sweep

    store, state, target, site = work.store, work.state, work.target, work.site
    if site.directory_problem(CACHE_DIR) is None:  # else it is an error, and not touched
        sweep(site.source / CACHE_DIR / SCRATCH)
    pending = store.pending(target) if state is not None and state.spare_known else None
    if state is not None and state.spare_known:
        with store.transaction():  # the spare changes now: until the swap, it is unknown
            store.put_target_state(target, replace(state, spare_known=False))
    remade = {path for files in plan.records.values() for path in files}
    staging = writer.prepare(work.output, plan.live_files, pending, remade)
    try:
        assert loaded.plan is not None
        products = plan.decision.make
        framed = reframe.recall(store, target, plan.decision.reframe) if state is not None else {}
        rendered = [p for p in products if p.id not in framed]
        entries = shown_entries(rendered, loaded.plan)
        kept = cards.recall(store, target, entries, plan.facts) if state is not None else {}
        ctx = site_context(site, loaded, loaded.plan)
        try:
            made = make_products(
                products, ctx, loaded.plan, staging, plan.facts, kept=kept, frames=framed
            )
        finally:
            ctx.close()
        errors = [e for m in made.made for e in m.errors] + claims(made.made)
        if errors:
            raise BuildFailed(errors)
    except BaseException:
        writer.abandon(staging)
        raise
    return staging, made


def _write(
    work: Work,
    loaded: Loaded,
    plan: _Decided,
    staging: writer.Staging,
    production: Production,
    started: float,
) -> BuildReport:
    """Record the new site in the store, then swap it in (see target.recover for a kill between)."""
    from generator.build import cards

    store, state, target, scan = work.store, work.state, work.target, work.scan
    assert loaded.plan is not None
    made = production.made
    try:
        fresh = {m.product: m.record for m in made if m.record is not None}
        live = plan.live_files
        new_files, added, removed = files_now(live, plan.records, fresh, plan.decision.drop)
        writer.remove(staging, removed)
        kept = {path for m in made for path in m.kept}
        changed_files = {p for record in fresh.values() for p in record.files} - kept | removed
        before = state.report if state is not None else ()
        gone = [path for path in removed if path in live]
        report = language_stats(loaded.plan, new_files, before, added, gone)
        new_state = TargetState(
            options=f"{TARGET_FORMAT}:{work.output.resolve()}:{plan.options}",
            report=report,
            files=len(new_files),
            next_due=loaded.next_due,
            structure=plan.structure,
            live_inode=staged_inode(staging),
            # The spare is the old site: its differences are known if the old site was.
            spare_known=staging.spare or staging.trusted,
            inputs=scan.stamp,
            swap_expected=staged_inode(staging),
            deferred=plan.decision.later,
        )
        previous, current = plan.previous, plan.current
        with store.transaction():
            store.put_inputs(scan.news(work.known), scan.gone)
            store.put_last_inputs(scan.stamp)
            store.put_facts(
                target, _changed(previous, current), [f for f in previous if f not in current]
            )
            store.put_products(target, fresh, plan.decision.drop, fresh=state is None)
            recorded = {p: d for p, d in new_files.items() if plan.live_files.get(p) != d}
            store.put_outputs(target, recorded, removed)
            store.put_pending(target, changed_files)
            store.put_target_state(target, new_state)
            cards.keep(store, target, production.cards, scan.gone)
        writer.swap(staging)
    except BaseException:
        writer.abandon(staging)
        raise
    with store.transaction():
        counts = store.counts(target)
        store.put_target_state(target, replace(new_state, swap_expected=None, counts=counts))
    store.remember(scan.files, (target, new_files), linked=scan.linked)  # what the rows hold
    return BuildReport(
        output=work.output,
        files=len(new_files),
        changed=len(changed_files - removed),
        languages=report,
        seconds=time.perf_counter() - started,
        deferred=len(plan.decision.later),
        stamp=scan.stamp,
        watched=scan.watched,
    )


def _keep_reread(store: Store, scan: Scan, known: Mapping[str, InputRecord]) -> None:
    """Record the files a build with nothing to do read again and found the same (those
    recorded racily clean, or touched): else every later no-op would read them once more."""
    reread = scan.news(known)
    if reread:
        with store.transaction():
            store.put_inputs(reread, ())
    store.remember(scan.files, None, linked=scan.linked)


def _changed(previous: Mapping[str, str], facts: Mapping[str, str]) -> dict[str, str]:
    return {f: d for f, d in facts.items() if previous.get(f) != d}
