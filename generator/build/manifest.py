"""What the previous build wrote into an output directory, and from what.

Kept under .pressroom-cache/ per output directory. A file is reused only while it is still
the very file that build wrote (same size, modification time and inode), so an edited,
replaced or deleted output file is always made again.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from generator.build import cache
from generator.core.files import FoundFile, SiteDir

#: Bumped whenever the stored state changes shape.
FORMAT = "2"

#: Output path → record of the file written there.
Manifest = dict[str, "FileRecord"]


@dataclass(frozen=True, slots=True)
class BuildStamp:
    """The inputs of the last build that succeeded, and what it reported."""

    #: Digest of every input file's size and modification time, and of the build's options
    #: (None when some input was too fresh to be told apart from a next edit).
    inputs: str | None
    #: When the earliest scheduled article falls due (the site changes then by itself).
    valid_until: dt.datetime | None
    #: The build's per-language figures, shown again when nothing needs doing.
    report: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class SiteState:
    """What is known of the files in the output directory and in its spare beside it."""

    live: Manifest
    #: None when the spare's content is unknown (none yet, or a write to it was cut short).
    spare: Manifest | None
    stamp: BuildStamp | None = None


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
    if not _well_formed(state):
        return SiteState({}, None)
    assert isinstance(state, SiteState)
    if _spare_marker(path).exists():
        return replace(state, spare=None)
    return state


def save_state(source: Path, output: Path, state: SiteState) -> None:
    """Remember what is now in ``output`` and its spare."""
    path, where = _location(source, output)
    try:
        cache.save(path, cache.versioned_key("manifest", FORMAT, where), state)
    except OSError:
        # The new site is in place already; without a state the next build checks every
        # file again instead of trusting an old record (a full disk must not undo a build).
        path.unlink(missing_ok=True)
        return
    _spare_marker(path).unlink(missing_ok=True)


def _well_formed(state: object) -> bool:
    """A state of the right shape throughout (a damaged one is ignored, never half-used)."""

    def manifest(value: object) -> bool:
        return isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, FileRecord) for k, v in value.items()
        )

    return (
        isinstance(state, SiteState)
        and manifest(state.live)
        and (state.spare is None or manifest(state.spare))
        and (state.stamp is None or isinstance(state.stamp, BuildStamp))
    )


def forget_spare(source: Path, output: Path) -> None:
    """Mark the spare as unknown before changing it (a write cut short leaves it so)."""
    path, _ = _location(source, output)
    path.parent.mkdir(parents=True, exist_ok=True)
    _spare_marker(path).touch()


def _spare_marker(state_path: Path) -> Path:
    return state_path.with_suffix(".spare-unknown")


#: What a site directory's build reads.
INPUTS = ("site.yaml", "content", "templates", "locales")


def input_stamp(source: Path, options: str) -> str | None:
    """Digest of the size and modification time of every input file, and of ``options``.

    Only for telling that nothing at all changed since the last build; whatever is rebuilt
    is keyed by content hashes. None when a file changed so recently that another change
    in the same clock tick would go unseen (then the next build does not trust the stamp),
    or when an input cannot be read (the build then reports it).
    """
    site = SiteDir(source)
    racy_after = time.time_ns() - 2_000_000_000
    entries = []
    for top in INPUTS:
        if top.endswith(".yaml"):
            try:
                st = os.stat(source / top)
            except OSError:
                return None
            found = [FoundFile(top, st.st_size, st.st_mtime_ns)]
        else:
            found, problems = site.walk(top)
            if problems:
                return None
        for file in found:
            if file.mtime_ns >= racy_after:
                return None
            entries.append(f"{file.rel}\0{file.size}\0{file.mtime_ns}")
    return cache.versioned_key(options, "\n".join(entries))


def unchanged_since(
    state: SiteState, stamp: str | None, now: dt.datetime | None, output: Path
) -> bool:
    """True when the last build had these very inputs and its files are all still in place."""
    last = state.stamp
    if last is None or stamp is None or last.inputs != stamp:
        return False
    if last.valid_until is not None and (now is None or now >= last.valid_until):
        return False
    return len(intact_keys(state.live, output)) == len(state.live) and _files_below(output) == len(
        state.live
    )


def _files_below(root: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(root))


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
