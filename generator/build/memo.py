"""What a long-lived process keeps between its builds: each loader's result, by the digests of
the files it read.

``pressroom serve`` (and a test session) builds the same site many times in one process. The
settings, registries, catalogs and templates are pure functions of their files' bytes, and
the scan has just digested every input, so a loader whose files all have the digests they had
last time gives the result it gave then, without reading or parsing anything. Only clean
results are kept: a result with errors is made again, so its messages always describe the
files as they are now. A one-off ``pressroom build`` gains nothing here and loses nothing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import TypeVar

from generator.build.inputs import Scan
from generator.core.errors import Result

T = TypeVar("T")

#: Results kept (a site needs about ten; a test session builds many sites).
LIMIT = 256


class Memo:
    """Loader results by (site, loader, the digests of the files it reads)."""

    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self._kept: OrderedDict[Hashable, Result[object]] = OrderedDict()
        self._lock = threading.Lock()

    def result(
        self,
        name: Hashable,
        files: Hashable | None,
        load: Callable[[], Result[T]],
        *,
        keep: bool = True,
    ) -> Result[T]:
        """``load()``'s result, or the one it gave for the same ``name`` (a site and a
        loader) when it read the same ``files`` (see files_keys; None: nothing is trusted).
        Without ``keep``, a result made now is not kept: the digests of a scan that looked
        at a watcher's paths alone may be older than the files the loader reads."""
        if files is None:
            return load()
        key = (name, files)
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
                return found  # type: ignore[return-value]  # the name is the loader's
        made = load()
        if keep and not made.errors:
            with self._lock:
                self._kept[key] = made  # type: ignore[assignment]
                while len(self._kept) > self.limit:
                    self._kept.popitem(last=False)
        return made


MEMO = Memo()


def files_keys(
    scan: Scan, loaders: Mapping[str, tuple[str, ...]]
) -> dict[str, tuple[tuple[str, str], ...] | None]:
    """Loader name → the path and digest of every input whose path starts with one of its
    prefixes (a folder ending in "/", or a file), found in one pass over the scan; None for
    every loader when the scan could not read everything, so nothing is taken on trust. (A
    file's prefix may take in a neighbour such as a backup copy: a key that says more than
    it must only makes a loader run when it need not.)"""
    if scan.problems:
        return dict.fromkeys(loaders)
    every = tuple(prefix for prefixes in loaders.values() for prefix in prefixes)
    found: dict[str, list[tuple[str, str]]] = {name: [] for name in loaders}
    for path, record in scan.files.items():
        if not path.startswith(every):  # nearly every input is an article: one test
            continue
        for name, prefixes in loaders.items():
            if path.startswith(prefixes):
                found[name].append((path, record.digest))
    return {
        name: None if any(not value for _, value in pairs) else tuple(sorted(pairs))
        for name, pairs in found.items()
    }
