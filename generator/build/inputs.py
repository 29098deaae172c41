"""What changed since the last build: one stat pass over every input, and a digest of what
differs.

A file is taken as unchanged when its size, modification time, change time and inode are
those the last build recorded and it had not been modified within the clock's grain of being
recorded; anything else is read and digested, and only a different digest is a change. The
change time is what makes the rule safe: ``touch -d``, ``rsync -t`` and unpackers set the
modification time back, but no one can set the change time, so an edit whose mtime was
restored is still seen. A file modified just before it was recorded ("racily clean", as git
calls it) is re-read once by the next build, not trusted.

``pressroom serve`` knows more: its watcher names every path that changed since its last
build, so its next scan (``rescan``) looks at those paths alone and takes the rest as they
were. It may do so only with records it made itself, and only while no input is reached
through a symbolic link (a watcher sees a change to the file, not to the link's path); a
full scan follows each such build (see live.py), so anything a watcher failed to report is
found a moment later.
"""

from __future__ import annotations

import os
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from generator.build.records import InputRecord
from generator.build.store import Store
from generator.core.digest import digest
from generator.core.errors import ContentError
from generator.core.files import FoundFile, SiteDir
from generator.core.layout import INPUT_DIRS, SETTINGS_FILE

#: A file modified within this long of being recorded is read again by the next build.
RACY_NS = 2_000_000_000
#: Inputs larger than this are not digested (their loaders refuse them with a message).
MAX_DIGESTED_BYTES = 64 * 1024 * 1024
#: A watcher's report of more paths than this is no cheaper to follow than a full scan.
MOST_TOUCHED = 1000


@dataclass(frozen=True, slots=True)
class Scan:
    """Every input file as it is now, and what changed since the last build."""

    files: Mapping[str, InputRecord]
    #: Added, or changed in content, since the last build.
    changed: frozenset[str]
    #: Gone since the last build.
    gone: frozenset[str]
    #: What the walk could not read (the loaders report it at its place).
    problems: tuple[ContentError, ...]
    #: Digest of every input's path and content: an output built from the same stamp is up
    #: to date (the store's records are shared by every output directory).
    stamp: str
    #: Some input was reached through a symbolic link (see rescan).
    linked: bool = False
    #: Only the paths a watcher named were looked at (see rescan).
    watched: bool = False

    @property
    def quiet(self) -> bool:
        """True when nothing changed since the last build of any output."""
        return not (self.changed or self.gone or self.problems)

    def news(self, known: Mapping[str, InputRecord]) -> dict[str, InputRecord]:
        """The records that differ from ``known`` (only those need writing)."""
        return {path: record for path, record in self.files.items() if known.get(path) != record}


def scan_site(
    site: SiteDir, store: Store, touched: Collection[str] | None
) -> tuple[Scan, Mapping[str, InputRecord]]:
    """The inputs now, and the records they were compared with: only the ``touched`` paths
    are looked at when the records are this process's own (see rescan)."""
    watched = store.watched_inputs() if touched is not None else None
    if watched is not None and touched is not None:
        scan = rescan(site, watched, touched)
        if scan is not None:
            return scan, watched
    known = store.inputs()
    return scan_inputs(site, known), known


def scan_inputs(site: SiteDir, previous: Mapping[str, InputRecord]) -> Scan:
    """Stat every input; digest those that may have changed."""
    found: list[FoundFile] = []
    problems: list[ContentError] = []
    for top in INPUT_DIRS:
        walked, errors = site.walk(top)
        found.extend(walked)
        problems.extend(errors)
    settings = _settings_file(site)
    if isinstance(settings, FoundFile):
        found.append(settings)
    else:
        problems.append(settings)
    files: dict[str, InputRecord] = {}
    changed = _record(site, found, previous, files)
    gone = frozenset(set(previous) - set(files))
    return Scan(files, changed, gone, tuple(problems), stamp_of(files), site.linked)


def rescan(
    site: SiteDir, previous: Mapping[str, InputRecord], touched: Collection[str]
) -> Scan | None:
    """The scan, looking only at the ``touched`` paths (files or folders, relative to the
    site, that a watcher saw change since ``previous`` was recorded; those outside the
    inputs are no inputs): every other input is taken to be as ``previous`` says. None when
    that cannot be trusted: a path outside the site or an input folder itself, too many
    paths to gain anything, or one that is or passes through a symbolic link."""
    relative = {_relative(rel) for rel in touched}
    paths = {rel for rel in relative if rel is not None}
    if None in relative or len(paths) > MOST_TOUCHED or paths & set(INPUT_DIRS):
        return None
    found: list[FoundFile] = []
    problems: list[ContentError] = []
    for rel in sorted(paths):
        if _below(rel, paths):
            continue  # the walk of the folder above finds it
        if rel == SETTINGS_FILE:
            settings = _settings_file(site)
            if isinstance(settings, FoundFile):
                found.append(settings)
            else:
                problems.append(settings)
        elif rel.split("/", 1)[0] in INPUT_DIRS:
            looked, errors = site.look(rel)
            found.extend(looked)
            problems.extend(errors)
        if site.linked:
            return None
    here = {file.rel for file in found}
    gone = {rel for rel in paths if rel in previous and rel not in here}
    if not paths <= previous.keys():  # a folder, maybe: what was below it is looked at anew
        gone.update(p for p in previous if _below(p, paths) and p not in here)
    files = {path: record for path, record in previous.items() if path not in gone}
    changed = _record(site, found, previous, files)
    if not here <= previous.keys():  # in the order a full scan finds them (builds are alike)
        files = dict(sorted(files.items(), key=_walk_order))
    stamp = stamp_of(files)
    return Scan(files, changed, frozenset(gone), tuple(problems), stamp, watched=True)


def _record(
    site: SiteDir,
    found: list[FoundFile],
    previous: Mapping[str, InputRecord],
    files: dict[str, InputRecord],
) -> frozenset[str]:
    """Put a record of each file ``found`` into ``files``, reading those that may have
    changed since ``previous``; return those that did."""
    now = time.time_ns()
    changed = set()
    for file in found:
        before = previous.get(file.rel)
        if before is not None and _unchanged(file, before):
            files[file.rel] = before
            continue
        data = site.read(file.rel, limit=MAX_DIGESTED_BYTES)
        value = digest(data) if isinstance(data, bytes) else ""
        files[file.rel] = InputRecord(
            file.size, file.mtime_ns, file.ctime_ns, file.inode, value, now
        )
        if before is None or before.digest != value or not value:
            changed.add(file.rel)
    return frozenset(changed)


def _settings_file(site: SiteDir) -> FoundFile | ContentError:
    path = site.source / SETTINGS_FILE
    site.linked = site.linked or path.is_symlink()
    try:
        st = os.stat(path)
    except OSError:
        return ContentError(SETTINGS_FILE, 0, "cannot be read")
    return FoundFile(SETTINGS_FILE, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _relative(rel: str) -> str | None:
    """``rel`` in the scan's spelling; None when it does not name a place inside the site."""
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return None
    return path.as_posix()


def _walk_order(item: tuple[str, InputRecord]) -> tuple[int, str]:
    """Where scan_inputs puts a file: folder by folder, each sorted, then site.yaml."""
    top = item[0].split("/", 1)[0]
    return (INPUT_DIRS.index(top) if top in INPUT_DIRS else len(INPUT_DIRS), item[0])


def _below(path: str, folders: Collection[str]) -> bool:
    """True when ``path`` lies in one of ``folders``."""
    parent = path.rpartition("/")[0]
    while parent:
        if parent in folders:
            return True
        parent = parent.rpartition("/")[0]
    return False


def stamp_of(files: Mapping[str, InputRecord]) -> str:
    """The stamp of a scan that found ``files`` (see Scan.stamp)."""
    return digest("\n".join(f"{path}\t{r.digest}" for path, r in sorted(files.items())))


def _unchanged(file: FoundFile, record: InputRecord) -> bool:
    same = (file.size, file.mtime_ns, file.ctime_ns, file.inode) == (
        record.size,
        record.mtime_ns,
        record.ctime_ns,
        record.inode,
    )
    return same and bool(record.digest) and file.mtime_ns < record.seen_ns - RACY_NS
