"""Spreading independent work over the machine's cores, in forked workers that die with
the build.

A worker is a fork of the build: it inherits everything the build has loaded (the plan, the
compiled templates) without pickling, and sends back small results only. Each worker asks
the kernel to kill it when its parent dies (a SIGKILLed build leaves no worker behind), takes
the default SIGTERM and SIGINT handling (a build tidying up must not make them print
tracebacks), and closes its copy of the build lock, so the lock lives exactly as long as the
build that took it.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from generator.build import collector, writer

T = TypeVar("T")
R = TypeVar("R")

# The function a forked worker runs; set just before the pool forks, so that workers inherit
# it (and everything it refers to) without pickling.
_task: Callable[[Any], Any] | None = None
_setup: Callable[[], None] | None = None


def cores() -> int:
    """How many cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


#: Threads of the build that a fork waits for: short ones (a count of the store's rows), which
#: may hold a lock a child would inherit held.
_WAITED_FOR: list[threading.Thread] = []


def fork_waits_for(thread: threading.Thread) -> None:
    """Make a fork wait until ``thread`` (started, and soon done) has ended."""
    _WAITED_FOR[:] = [*(t for t in _WAITED_FOR if t.is_alive()), thread]


def worker_count(jobs: int, *, threshold: int) -> int:
    """Workers worth starting for ``jobs`` units of work (1 means: stay in this process)."""
    if jobs < threshold or cores() < 2 or not _can_fork():
        return 1
    return cores()


def _can_fork() -> bool:
    # Forking a process that runs other threads (the server's watcher) can deadlock a child;
    # the short ones are waited for.
    short = [t for t in _WAITED_FOR if t.is_alive()]
    if threading.active_count() - len(short) != 1:
        return False
    for thread in short:
        thread.join()
    _WAITED_FOR.clear()
    return "fork" in multiprocessing.get_all_start_methods()


_PR_SET_PDEATHSIG = 1


def _start() -> None:
    """Run first in every worker."""
    collector.in_worker()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends us
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() == 1:  # the parent died before the line above took effect
            os._exit(1)
    if writer.LOCK_FD is not None:
        with contextlib.suppress(OSError):
            os.close(writer.LOCK_FD)
    if _setup is not None:
        _setup()


def _run(item: Any) -> Any:
    assert _task is not None
    return _task(item)


def map_forked(
    task: Callable[[T], R],
    items: Sequence[T],
    *,
    workers: int,
    setup: Callable[[], None] | None = None,
) -> Iterator[R]:
    """``task(i)`` for each of ``items`` across ``workers`` forked processes, yielded as they
    finish (in any order); ``setup`` runs once in each worker first."""
    global _task, _setup
    _task, _setup = task, setup
    try:
        context = multiprocessing.get_context("fork")
        chunk = max(1, min(16, len(items) // (workers * 8)))
        with context.Pool(workers, initializer=_start) as pool:
            yield from pool.imap_unordered(_run, items, chunksize=chunk)
    finally:
        _task = _setup = None
