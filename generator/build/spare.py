"""Readying the spare between builds, so that the next one starts writing at once.

A build writes its new site into the spare copy of the output (hard links to the live files)
and swaps the two; before writing, it brings the spare up to date by linking again the files
the last build changed (``pending``). After a build that changed thousands of files (the
first search index, a template edit) that takes most of a second, paid by the next build:
in ``serve``, the next save. ``serve`` calls ``ready_spare`` once the tabs have their pages,
so that the next save does not wait for it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from generator.build import writer
from generator.build.store import open_store
from generator.build.target import recover, target_id, trust
from generator.content.selection import Selection
from generator.core.files import SiteDir
from generator.core.layout import CACHE_DIR


def ready_spare(source: Path, output: Path, base_url: str | None, selection: Selection) -> int:
    """Bring the spare of ``output`` (built from ``source`` with these options) up to date
    with it; return how many files that linked (0 when it was up to date, or when nothing is
    known of the output, or the cache folder leads outside the site: the next build then
    makes its staging tree itself)."""
    if SiteDir(source).directory_problem(CACHE_DIR) is not None:
        return 0  # the store may not be opened there (the build reports why)
    with writer.build_lock(output):
        store = open_store(source)
        try:
            target = target_id(output, base_url, selection)
            state = recover(store, target, output)
            pending = store.pending(target) if state is not None and state.spare_known else None
            if state is None or pending == set() or not writer.spare_possible():
                return 0
            state = trust(store, target, state)  # counted now, kept up to date by the writes
            if state is None:
                return 0
            # Cut short, this leaves the pending files still recorded (or the spare unknown):
            # linking them again is what the next build does anyway.
            live_files = store.outputs(target)
            staging = writer.prepare(output, live_files, pending)
            writer.keep_as_spare(staging)
            with store.transaction():
                store.put_pending(target, ())
                counts = store.counts(target)
                store.put_target_state(target, replace(state, spare_known=True, counts=counts))
            return len(live_files) if pending is None else len(pending)
        finally:
            store.close()
