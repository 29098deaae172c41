"""What the previous build wrote into an output directory, and from what.

Kept under .pressroom-cache/ per output directory. A file is reused only while it is still
the very file that build wrote (same size, modification time and inode), so an edited,
replaced or deleted output file is always made again.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator import cache

#: Bumped whenever the stored state changes shape.
FORMAT = "1"

#: Output path → record of the file written there.
Manifest = dict[str, "FileRecord"]


@dataclass(frozen=True, slots=True)
class SiteState:
    """What is known of the files in the output directory and in its spare beside it."""

    live: Manifest
    #: None when the spare's content is unknown (none yet, or a write to it was cut short).
    spare: Manifest | None


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One written file: its key and how to tell it is untouched."""

    key: str
    size: int
    mtime_ns: int
    inode: int


def _location(source: Path, output: Path) -> tuple[Path, str]:
    where = str(output.resolve())
    return cache.cache_path(source, f"outputs-{cache.digest(where)[:16]}.pickle"), where


def load_state(source: Path, output: Path) -> SiteState:
    """What the previous build left in ``output`` and its spare (nothing, when unknown)."""
    path, where = _location(source, output)
    state = cache.load(path, cache.versioned_key("manifest", FORMAT, where))
    return state if isinstance(state, SiteState) else SiteState({}, None)


def save_state(source: Path, output: Path, state: SiteState) -> None:
    """Remember what is now in ``output`` and its spare."""
    path, where = _location(source, output)
    cache.save(path, cache.versioned_key("manifest", FORMAT, where), state)


def intact_keys(records: Mapping[str, FileRecord], output: Path) -> dict[str, str]:
    """Path → key of the recorded files that are still exactly as written."""
    intact = {}
    for path, record in records.items():
        try:
            st = os.stat(output / path)
        except OSError:
            continue
        if (st.st_size, st.st_mtime_ns, st.st_ino) == (record.size, record.mtime_ns, record.inode):
            intact[path] = record.key
    return intact
