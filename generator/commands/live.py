"""The site `pressroom serve` shows: the last good build, the current errors, and the thread
that rebuilds it when an input changes.

``LiveSite`` holds the last good build and the current errors; ``Rebuilder`` rebuilds on a
thread of its own when asked. A failed build leaves the output as it was, so the last good
site stays served while the errors are shown.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
import sqlite3
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.build.pipeline import build
from generator.build.spare import ready_spare
from generator.build.target import BuildReport
from generator.content.selection import Selection
from generator.core.errors import BuildFailed, WriteRefused


@dataclass(frozen=True, slots=True)
class SiteState:
    """What the server shows at one moment."""

    #: Bumped by every build, good or bad: streams wake up when it changes.
    generation: int
    #: Names the last good build ("" before there is one): a tab reloads when it changes.
    version: str
    #: The last build's errors as `path:line: message` lines; empty after a good build.
    errors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BuildOutcome:
    """What one rebuild did, for the terminal."""

    state: SiteState
    files: int
    changed: int
    seconds: float


class LiveSite:
    """The last good build's directory, the current errors, and the streams waiting for news.

    A failed build leaves the output directory as it was (the build swaps it in only on
    success), so the last good site stays served while the errors are shown.
    """

    def __init__(
        self, source: Path, output: Path, base_url: str, *, drafts: bool, future: bool
    ) -> None:
        self.source = source
        self.root = output
        self.base_url = base_url
        self.drafts = drafts
        self.future = future
        # A new token per server, so that a tab left open across a restart reloads once.
        self._token = secrets.token_hex(4)
        self._builds = 0
        self._state = SiteState(generation=0, version="", errors=())
        self._closed = False
        self._changed = threading.Condition()
        self._build_lock = threading.Lock()
        #: What the watcher named since the last take (None: not known, as before the first
        #: build: the next build looks at every input).
        self._touched: set[str] | None = None
        self._touched_lock = threading.Lock()

    def state(self) -> SiteState:
        """The current state."""
        with self._changed:
            return self._state

    def note_changes(self, paths: Iterable[str]) -> None:
        """The watcher saw ``paths`` (relative to the source) change: the next build looks
        at them."""
        with self._touched_lock:
            if self._touched is not None:
                self._touched.update(paths)

    def rebuild(self) -> BuildOutcome:
        """Build the site now; keep the previous build and record the errors if it fails.

        The build looks only at the paths the watcher named since the last good build, when
        it can (see inputs.rescan), and the tabs reload as soon as it has written the pages.
        A second build then looks at every input and makes the search index the first one
        left for later: should it find a change the watcher missed, the tabs reload again.
        A build that fails looking at the watcher's paths is made again looking at every
        input, so that the errors shown are those of the files as they are.
        """
        with self._build_lock:
            started = time.perf_counter()
            selection = Selection(
                drafts=self.drafts, future=self.future, now=dt.datetime.now(dt.UTC)
            )
            touched = self._take_touched()
            try:
                outcome = self._rebuild(selection, touched, started)
            except BaseException:
                self._look_at_everything_next()
                raise
            if not outcome.state.errors:  # so that the next save's build starts writing at once
                with contextlib.suppress(OSError, WriteRefused, sqlite3.DatabaseError):
                    ready_spare(self.source, self.root, self.base_url, selection)
            return outcome

    def _rebuild(
        self, selection: Selection, touched: set[str] | None, started: float
    ) -> BuildOutcome:
        try:
            report = self._build(selection, touched, defer=True)
        except BuildFailed as failed:
            if touched is not None:  # the watcher's paths may be what failed
                return self._rebuild(selection, None, started)
            self._look_at_everything_next()
            return self._failed(failed, started)
        state = self._publish(good=True, errors=())
        outcome = BuildOutcome(state, report.files, report.changed, report.seconds)
        if (report.watched and touched) or report.deferred:
            return self._settle(selection, report, outcome, started)
        return outcome

    def _settle(
        self, selection: Selection, first: BuildReport, outcome: BuildOutcome, started: float
    ) -> BuildOutcome:
        """Build again looking at every input, with the search index (see rebuild); the
        outcome to report is the first build's, unless this one failed or found more."""
        try:
            report = self._build(selection, None, defer=False)
        except BuildFailed as failed:
            self._look_at_everything_next()
            return self._failed(failed, started)
        if report.stamp == first.stamp:
            return outcome
        state = self._publish(good=True, errors=())  # what the watcher missed is shown now
        changed = outcome.changed + report.changed
        return BuildOutcome(state, report.files, changed, time.perf_counter() - started)

    def _build(self, selection: Selection, touched: set[str] | None, *, defer: bool) -> BuildReport:
        return build(
            self.source,
            self.root,
            base_url=self.base_url,
            selection=selection,
            defer=defer,
            touched=touched,
        )

    def _failed(self, failed: BuildFailed, started: float) -> BuildOutcome:
        state = self._publish(good=False, errors=tuple(str(e) for e in failed.errors))
        return BuildOutcome(state, 0, 0, time.perf_counter() - started)

    def _take_touched(self) -> set[str] | None:
        """The paths the watcher named since the last take (None: every input is to be
        looked at); what it names from now on is gathered anew."""
        with self._touched_lock:
            taken, self._touched = self._touched, set()
            return taken

    def _look_at_everything_next(self) -> None:
        """A build failed: the next one looks at every input (what the watcher named since
        may not be all that changed since the records it would be compared with)."""
        with self._touched_lock:
            self._touched = None

    def _publish(self, *, good: bool, errors: tuple[str, ...]) -> SiteState:
        with self._changed:
            self._builds += 1
            version = f"{self._token}-{self._builds}" if good else self._state.version
            self._state = SiteState(self._state.generation + 1, version, errors)
            self._changed.notify_all()
            return self._state

    def wait_for_news(self, seen: int, timeout: float) -> SiteState | None:
        """The state once its generation differs from ``seen`` (or after ``timeout``);
        None once the site is closed."""
        with self._changed:
            self._changed.wait_for(
                lambda: self._closed or self._state.generation != seen, timeout=timeout
            )
            return None if self._closed else self._state

    def close(self) -> None:
        """Wake every waiting stream so that it ends."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()


def report_outcome(outcome: BuildOutcome, first: bool) -> None:
    """Print a build's result: a line on stdout, or every error on stderr."""
    state = outcome.state
    if not state.errors:
        verb = "built" if first else "rebuilt"
        print(
            f"{verb} {outcome.files} files in {outcome.seconds:.2f} s ({outcome.changed} changed)",
            flush=True,
        )
        return
    for line in state.errors:
        print(line, file=sys.stderr)
    count = len(state.errors)
    what = "still serving the last good build" if state.version else "nothing to serve yet"
    print(
        f"build failed: {count} error{'s' if count != 1 else ''}; {what} "
        "(the errors are shown in the browser too)",
        file=sys.stderr,
        flush=True,
    )


class Rebuilder:
    """Rebuilds on its own thread when asked; asks that come during a build make one more."""

    def __init__(self, live: LiveSite) -> None:
        self._live = live
        self._dirty = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pressroom-rebuild", daemon=True)

    def start(self) -> None:
        """Start the thread."""
        self._thread.start()

    def request(self, changed: Iterable[str] = ()) -> None:
        """Ask for a rebuild of what ``changed`` (relative paths, also shown in the terminal)."""
        changed = set(changed)
        for path in sorted(changed)[:5]:
            print(f"changed: {path}", flush=True)
        self._live.note_changes(changed)
        self._dirty.set()

    def _run(self) -> None:
        while True:
            self._dirty.wait()
            if self._stopping.is_set():
                return
            self._dirty.clear()
            try:
                report_outcome(self._live.rebuild(), first=False)
            except Exception as exc:  # a bug, not an author's mistake: say so, keep serving
                print(f"internal error while rebuilding: {exc!r}", file=sys.stderr, flush=True)

    def stop(self, timeout: float) -> None:
        """Stop after the build in progress, if any (waiting at most ``timeout`` seconds)."""
        self._stopping.set()
        self._dirty.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
