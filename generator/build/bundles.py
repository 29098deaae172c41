"""Search index parts kept between builds, for every output directory, in the store's file."""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path

from generator.build.database import BUNDLES_KEPT, ProcessConnection, dumps, loads


class BundleCache:
    """Search index parts by the digest of their records, for every output directory: a
    preview (serve, --drafts) of an unchanged part then needs no Pagefind run."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self._db = ProcessConnection(source)

    def get(self, key: str) -> dict[str, bytes] | None:
        """The files of the part made from records with digest ``key``, if kept."""
        db = self._db.get()
        if db is None:
            return None
        try:
            row = db.execute("SELECT files FROM bundles WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            db.execute("UPDATE bundles SET used_ns = ? WHERE key = ?", (time.time_ns(), key))
            files = loads(row[0])
        except Exception:  # a damaged or planted row is as good as none
            return None
        if not isinstance(files, dict) or not all(
            isinstance(k, str) and isinstance(v, bytes) for k, v in files.items()
        ):
            return None
        return files

    def close(self) -> None:
        """Close this process's connection."""
        self._db.close()

    def put(self, key: str, files: Mapping[str, bytes]) -> None:
        """Keep a part's files, and only the most recently used parts."""
        db = self._db.get()
        if db is None:
            return
        db.execute(
            "INSERT OR REPLACE INTO bundles VALUES (?, ?, ?)",
            (key, dumps(dict(files)), time.time_ns()),
        )
        db.execute(
            "DELETE FROM bundles WHERE key NOT IN "
            "(SELECT key FROM bundles ORDER BY used_ns DESC LIMIT ?)",
            (BUNDLES_KEPT,),
        )
