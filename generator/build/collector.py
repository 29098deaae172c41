"""Python's cyclic garbage collector, kept off what a build holds from its load to its end.

A build loads the archive once (ten thousand placements, the library, the plan, every fact's
digest) and keeps all of it until it ends. Each collection of the oldest generation walks
every object the collector tracks, to find that objects in use are in use: three such walks
in one body edit of a 5,000-article archive, and one more as the interpreter exits, took a
third of that edit's time. What the documentation of ``gc.freeze`` advises for a process
that forks is what a build does: nothing is collected while the archive is loaded, what was
loaded is then frozen (left out of every later collection, and so not written to by the
collector in the copy-on-write pages forked workers share), and workers collect again.

A build that finds the collector off, or objects frozen by its host, leaves both alone.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Whether the running build froze objects (and so unfreezes them when it ends).
_owner = False


@contextmanager
def build_scope() -> Iterator[None]:
    """Around a whole build: whatever ``loading`` froze is unfrozen when the build ends, so
    that a long-lived process (``serve``) collects the build's objects once they are garbage."""
    global _owner
    if _owner or not gc.isenabled() or gc.get_freeze_count():
        yield  # a build within a build, or a host that manages the collector itself
        return
    _owner = True
    try:
        yield
    finally:
        _owner = False
        gc.unfreeze()


@contextmanager
def loading() -> Iterator[None]:
    """Around the part of a build that makes what it keeps to the end: no collection inside,
    and everything alive after it is frozen."""
    if not _owner:
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def in_worker() -> None:
    """In a forked worker: collect again (a worker forked while loading inherits the collector
    switched off, and its own garbage is its own)."""
    if _owner:
        gc.enable()


def before_exit() -> None:
    """Just before the interpreter exits: freeze everything, so that its last collection does
    not walk every object only to free the process's memory a moment later."""
    gc.freeze()
