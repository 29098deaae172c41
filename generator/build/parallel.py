"""Spreading independent work over the machine's cores."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

# The function a forked worker runs; set just before the pool forks, so that workers inherit
# it (and everything it refers to: the archive, compiled templates) without pickling.
_task: Callable[[Any], Any] | None = None


def cores() -> int:
    """How many cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def worker_count(jobs: int, *, threshold: int) -> int:
    """Workers worth starting for ``jobs`` units of work (1 means: stay in this process)."""
    if jobs < threshold or cores() < 2 or not _can_fork():
        return 1
    return cores()


def _can_fork() -> bool:
    # Forking a process that runs other threads (the server's watcher) can deadlock a child.
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _run(item: Any) -> Any:
    assert _task is not None
    return _task(item)


def map_forked(task: Callable[[T], Any], items: Sequence[T], *, workers: int) -> list[Any]:
    """``[task(i) for i in items]`` across ``workers`` forked processes, in order."""
    global _task
    _task = task
    try:
        context = multiprocessing.get_context("fork")
        chunk = max(1, len(items) // (workers * 8))
        with context.Pool(workers) as pool:
            return pool.map(_run, items, chunksize=chunk)
    finally:
        _task = None
