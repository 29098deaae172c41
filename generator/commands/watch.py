"""Watching a site's inputs for `pressroom serve`: one watcher thread per set of paths."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from watchfiles import Change, watch

from generator.core.files import is_debris
from generator.core.layout import SETTINGS_FILE

#: Inputs a build reads: directories watched recursively, and site.yaml beside them.
WATCHED_DIRS = ("content", "templates", "locales")
#: watchfiles yields once no change has come for STEP ms (at most DEBOUNCE ms after the first),
#: so that a save (an editor writes and renames within a millisecond) or a few files saved
#: together rebuild once; the step is most of the time from a save to its rebuild starting.
#: Changes that come during a build make one more build (see live.Rebuilder).
WATCH_STEP_MS = 10
WATCH_DEBOUNCE_MS = 300


@dataclass(frozen=True, slots=True)
class WatchSet:
    """Paths watched with one watcher: recursion is one setting for all of them."""

    paths: tuple[Path, ...]
    recursive: bool


def watch_sets(source: Path) -> list[WatchSet]:
    """The source directories, recursively, and the site directory itself for site.yaml.

    site.yaml is watched through its directory because editors that save by replacing the
    file would leave a watch on the file itself pointing at the old one.
    """
    top = source.resolve()
    dirs = tuple(top / name for name in WATCHED_DIRS if (top / name).is_dir())
    sets = [WatchSet((top,), recursive=False)]
    if dirs:
        sets.append(WatchSet(dirs, recursive=True))
    return sets


class _SourceFilter:
    """The paths a build reads as inputs: below the input folders, or site.yaml, and no
    editor debris (the scan's own rule, files.is_debris: the watcher must report every
    change the scan would find, since serve's builds look at those paths alone)."""

    def __init__(self, source: Path) -> None:
        self._top = source.resolve()

    def __call__(self, change: Change, path: str) -> bool:
        where = Path(path)
        if not where.is_relative_to(self._top):
            return False
        inside = where.relative_to(self._top)
        if len(inside.parts) == 1 and inside.name != SETTINGS_FILE:
            return False
        return not any(is_debris(part) for part in inside.parts)


def watch_sources(
    source: Path, on_change: Callable[[list[str]], None], stop: threading.Event
) -> list[threading.Thread]:
    """Start one thread per watch set calling ``on_change`` with the changed paths."""
    top = source.resolve()
    source_filter = _SourceFilter(source)

    def shown(path: str) -> str:
        where = Path(path)
        return where.relative_to(top).as_posix() if where.is_relative_to(top) else path

    def loop(watched: WatchSet) -> None:
        try:
            for changes in watch(
                *watched.paths,
                recursive=watched.recursive,
                watch_filter=source_filter,
                debounce=WATCH_DEBOUNCE_MS,
                step=WATCH_STEP_MS,
                stop_event=stop,
            ):
                on_change([shown(path) for _, path in changes])
        except OSError as exc:  # e.g. the system's limit on watched directories
            names = ", ".join(shown(str(p)) for p in watched.paths)
            print(
                f"cannot watch {names} for changes ({exc}); restart to rebuild",
                file=sys.stderr,
                flush=True,
            )

    threads = []
    for watched in watch_sets(source):
        thread = threading.Thread(target=loop, args=(watched,), name="pressroom-watch", daemon=True)
        thread.start()
        threads.append(thread)
    return threads
