"""The store's records of an input file and of a product: plain values that the store, the
scan and the producers all pass around."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple


class InputRecord(NamedTuple):
    """An input file as a build saw it (a named tuple: ten thousand are read per build)."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    digest: str
    #: When it was recorded: a file changed within the clock's grain of this is re-read.
    seen_ns: int


@dataclass(frozen=True, slots=True)
class ProductRecord:
    """What one product wrote and what it read, as the build that made it recorded."""

    #: Output path → digest of its bytes.
    files: Mapping[str, str]
    #: The ids of the facts it read (their digests are the build's: see put_facts).
    deps: tuple[str, ...]
    #: Where the chrome stands in each of its page files (site/frames.py).
    frames: Mapping[str, tuple[tuple[str, int, int], ...]] = field(default_factory=dict)
    #: It read what it read last time (it was re-framed): its dependency rows stand.
    same_deps: bool = False
