"""What changed since the last build: one stat pass over every input, and a digest of what
differs.

A file is taken as unchanged when its size, modification time, change time and inode are
those the last build recorded and it had not been modified within the clock's grain of being
recorded; anything else is read and digested, and only a different digest is a change. The
change time is what makes the rule safe: ``touch -d``, ``rsync -t`` and unpackers set the
modification time back, but no one can set the change time, so an edit whose mtime was
restored is still seen. A file modified just before it was recorded ("racily clean", as git
calls it) is re-read once by the next build, not trusted.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass

from generator.build.records import InputRecord
from generator.core.digest import digest
from generator.core.errors import ContentError
from generator.core.files import FoundFile, SiteDir
from generator.core.layout import INPUT_DIRS, SETTINGS_FILE

#: A file modified within this long of being recorded is read again by the next build.
RACY_NS = 2_000_000_000
#: Inputs larger than this are not digested (their loaders refuse them with a message).
MAX_DIGESTED_BYTES = 64 * 1024 * 1024


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

    @property
    def quiet(self) -> bool:
        """True when nothing changed since the last build of any output."""
        return not (self.changed or self.gone or self.problems)

    def news(self, known: Mapping[str, InputRecord]) -> dict[str, InputRecord]:
        """The records that differ from ``known`` (only those need writing)."""
        return {path: record for path, record in self.files.items() if known.get(path) != record}


def scan_inputs(site: SiteDir, previous: Mapping[str, InputRecord]) -> Scan:
    """Stat every input; digest those that may have changed."""
    found: list[FoundFile] = []
    problems: list[ContentError] = []
    for top in INPUT_DIRS:
        walked, errors = site.walk(top)
        found.extend(walked)
        problems.extend(errors)
    try:
        st = os.stat(site.source / SETTINGS_FILE)
        found.append(
            FoundFile(SETTINGS_FILE, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        )
    except OSError:
        problems.append(ContentError(SETTINGS_FILE, 0, "cannot be read"))
    now = time.time_ns()
    files: dict[str, InputRecord] = {}
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
    gone = frozenset(set(previous) - set(files))
    return Scan(files, frozenset(changed), gone, tuple(problems), stamp_of(files))


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
