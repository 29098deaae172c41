"""Korean words' analyses for search: kept in the store's file, made by one analyzer process.

A word is analysed once for the archive: a build asks the store first and the analyzer only
for words it has never seen, so an edit that brings no new word loads no model. The analyzer
(``generator.site.analyzer``) is one process, started before a build's workers fork so that
all of them share it (a lock lets one worker talk to it at a time). A build that makes its
products in its own process (``serve``, a small site) keeps it for the next one, so a
long-lived process loads the model once, not once a build.
"""

from __future__ import annotations

import atexit
import json
import multiprocessing
import os
import sqlite3
import subprocess
import sys
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import Any

from generator.build.database import ProcessConnection, rows_in
from generator.site.korean import Analysis, AnalyzerMissing, analyzer_version


class AnalyzerProcess:
    """The analyzer's process, started on first use (or by ``start``), shared across forks."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None
        self._lock: Any = None
        self._owner = -1
        self._env: dict[str, str] = {}
        self._broken = False
        #: Started for forked workers: one of them may have died holding the lock.
        self.forked = False

    def usable(self) -> bool:
        """False once the process has ended or been shared with forked workers, or when the
        environment it was started in is no longer this process's (another PYTHONPATH could
        mean another kiwipiepy)."""
        if self._process is None or self._owner != os.getpid():
            return True  # not started yet, or a worker: it uses what its build started
        alive = self._process.poll() is None and not (self._broken or self.forked)
        return alive and self._env == _environment()

    def start(self) -> None:
        """Start the process now, so that workers forked after this share it."""
        if self._process is not None:
            return
        self._lock = multiprocessing.get_context("fork").Lock()
        self._owner = os.getpid()
        self._env = _environment()
        # A fresh interpreter, not a fork: it holds nothing but the model.
        self._process = subprocess.Popen(
            [sys.executable, "-m", "generator.site.analyzer"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            env=self._env,
        )

    def analyse(self, words: list[str]) -> list[Analysis]:
        """The analyses of ``words``, in order."""
        self.start()
        assert self._process is not None and self._lock is not None
        with self._lock:
            requests, answers = self._process.stdin, self._process.stdout
            assert requests is not None and answers is not None
            try:
                requests.write(json.dumps(words, ensure_ascii=False) + "\n")
                requests.flush()
                line = answers.readline()
            except OSError:
                line = ""
            except BaseException:  # interrupted between question and answer: out of step
                self._broken = True
                raise
        if not line:
            self._broken = True
            raise AnalyzerMissing("the Korean analyzer stopped unexpectedly")
        answer = json.loads(line)
        if "failed" in answer:
            raise AnalyzerMissing(str(answer["failed"]))
        return [None if a is None else (str(a[0]), str(a[1])) for a in answer["analyses"]]

    def close(self) -> None:
        """End the process (it ends when its input closes), if this process started it."""
        process, self._process = self._process, None
        if process is None or self._owner != os.getpid():
            return
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


_shared: AnalyzerProcess | None = None


def shared_analyzer(*, fresh: bool = False) -> AnalyzerProcess:
    """This process's analyzer: a new one when asked (``fresh``), or when the last has ended
    or no longer fits."""
    global _shared
    if _shared is None or fresh or not _shared.usable():
        if _shared is not None:
            _shared.close()
        else:
            atexit.register(lambda: _shared.close() if _shared is not None else None)
        _shared = AnalyzerProcess()
    return _shared


def _environment() -> dict[str, str]:
    """The build's environment, with this package importable as the build imports it."""
    env = dict(os.environ)
    package_root = str(Path(__file__).resolve().parents[2])
    paths = [package_root, *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    return env


class WordAnalyses:
    """Words' analyses from the store (one connection per process), the analyzer's process
    for the rest, and a copy of each in this process."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.version = analyzer_version()
        self._known: dict[str, Analysis] = {}
        self._db = ProcessConnection(source)
        self._purged = False

    def share(self) -> None:
        """Start the analyzer before workers fork (each would start its own otherwise): a
        new one, with a new lock, since a worker killed mid-request would leave the last one's
        lock held and its answer unread."""
        analyzer = shared_analyzer(fresh=True)
        analyzer.start()
        analyzer.forked = True

    def analyse(self, words: Collection[str]) -> Mapping[str, Analysis]:
        """Each of ``words`` with its analysis."""
        wanted = sorted(set(words) - self._known.keys())
        if wanted:
            self._known.update(self._stored(wanted))
            missing = [word for word in wanted if word not in self._known]
            if missing:
                made = dict(zip(missing, shared_analyzer().analyse(missing), strict=True))
                self._keep(made)
                self._known.update(made)
        return {word: self._known[word] for word in words}

    def _stored(self, words: list[str]) -> Iterator[tuple[str, Analysis]]:
        db = self._db.get()
        if db is None:
            return
        sql = "SELECT word, stem, particle FROM words WHERE analyzer = ? AND word IN "
        try:
            rows = list(rows_in(db, sql, words, self.version))
        except sqlite3.DatabaseError:  # a damaged store: the analyzer answers instead
            return
        for word, stem, particle in rows:
            if isinstance(stem, str) and isinstance(particle, str):
                yield word, (stem, particle)
            elif stem is None:
                yield word, None

    def _keep(self, made: Mapping[str, Analysis]) -> None:
        db = self._db.get()
        if db is None:
            return
        rows = [
            (self.version, word, None if a is None else a[0], None if a is None else a[1])
            for word, a in made.items()
        ]
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                if not self._purged:  # another analyzer's words will never be asked for
                    db.execute("DELETE FROM words WHERE analyzer != ?", (self.version,))
                    self._purged = True
                db.executemany("INSERT OR REPLACE INTO words VALUES (?, ?, ?, ?)", rows)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        except sqlite3.DatabaseError:
            pass  # not kept: the next build asks the analyzer again

    def close(self) -> None:
        """Close this process's connection (the analyzer stays for the next build)."""
        self._db.close()
