"""The store's database file: where it lives, its tables, how blobs are encoded, and how a
connection is opened and judged usable.

A store of another format or generator version, or one SQLite cannot read, is never trusted:
``usable`` says so and the store is made anew. Blobs are pickled and read back through a
restricted unpickler, so a planted store cannot run code.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import pickle
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any

from generator import __version__
from generator.build import parallel
from generator.core.layout import CACHE_DIR

#: Bumped whenever a table changes shape: an older store is then made anew.
FORMAT = "9"
FILE_NAME = "state.sqlite3"

#: The reverse of the dependency index, a product's facts (made after the rows on a first build).
DEPS_INDEX = "CREATE INDEX deps_by_product ON deps (target, product)"
SCHEMA = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE inputs (
    path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER, inode INTEGER,
    digest TEXT, seen_ns INTEGER);
CREATE TABLE articles (
    path TEXT PRIMARY KEY, digest TEXT NOT NULL, config TEXT NOT NULL, article BLOB NOT NULL);
CREATE TABLE targets (id TEXT PRIMARY KEY, state BLOB NOT NULL);
CREATE TABLE facts (target TEXT, id TEXT, digest TEXT NOT NULL, PRIMARY KEY (target, id));
CREATE TABLE products (
    target TEXT, id TEXT, files BLOB NOT NULL, frames TEXT NOT NULL, PRIMARY KEY (target, id));
CREATE TABLE deps (
    target TEXT, fact TEXT, product TEXT, PRIMARY KEY (target, fact, product)) WITHOUT ROWID;
{DEPS_INDEX};
CREATE TABLE outputs (target TEXT, path TEXT, digest TEXT NOT NULL, PRIMARY KEY (target, path));
CREATE TABLE pending (target TEXT, path TEXT, PRIMARY KEY (target, path));
CREATE TABLE bundles (key TEXT PRIMARY KEY, files BLOB NOT NULL, used_ns INTEGER NOT NULL);
CREATE TABLE words (
    analyzer TEXT, word TEXT, stem TEXT, particle TEXT, PRIMARY KEY (analyzer, word))
    WITHOUT ROWID;
CREATE TABLE cards (
    target TEXT, kind TEXT, path TEXT, lang TEXT, reads TEXT NOT NULL, html TEXT NOT NULL,
    PRIMARY KEY (target, path, kind, lang));
CREATE TABLE snapshot (
    config TEXT, folder TEXT, data BLOB NOT NULL, PRIMARY KEY (config, folder));
"""
#: Search index parts kept for other output directories and options (serve, --drafts).
BUNDLES_KEPT = 400
#: Keys per ``IN (…)`` lookup (SQLite allows 32,766 parameters; a few hundred is quick).
LOOKUP_CHUNK = 500


def store_path(source: Path) -> Path:
    """Where the store of the site in ``source`` lives."""
    return source / CACHE_DIR / FILE_NAME


def dumps(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def loads(data: bytes) -> Any:
    """A blob of the store, unpickled through the allow-list."""
    return _RestrictedUnpickler(io.BytesIO(data)).load()


#: What a blob may hold: our own data classes and plain values. The store is input like any
#: other file (it could come with a source tree), and unpickling can call any importable
#: function, so everything else is refused.
_ALLOWED_BUILTINS = frozenset(
    {"dict", "list", "tuple", "set", "frozenset", "str", "bytes", "int", "float", "bool"}
)
_ALLOWED_MODULES = ("generator.", "datetime", "zoneinfo", "markupsafe")


class _RestrictedUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module == "builtins" and name in _ALLOWED_BUILTINS:
            return super().find_class(module, name)
        if module.startswith(_ALLOWED_MODULES) and not name.startswith("_"):
            found = super().find_class(module, name)
            # Our own classes only as plain data classes: no constructor with side effects.
            if isinstance(found, type) and (
                not module.startswith("generator.") or dataclasses.is_dataclass(found)
            ):
                return found
        if module == "zoneinfo" and name == "_unpickle":
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"the store may not hold {module}.{name}")


def encode_placements(placements: Mapping[str, tuple[str, Any]]) -> bytes:
    """One folder's snapshot: path → (file digest, placement as plain JSON values)."""
    return json.dumps(placements, ensure_ascii=False, separators=(",", ":")).encode()


def decode_placements(data: bytes) -> dict[str, tuple[str, tuple[Any, ...]]]:
    """A folder's snapshot read back (see encode_placements); a damaged one is empty."""
    try:
        found = json.loads(data)
        return {path: (str(value), tuple(placement)) for path, (value, placement) in found.items()}
    except (ValueError, TypeError, AttributeError):  # damaged: as good as none
        return {}


def connect(path: Path, *, readonly: bool) -> sqlite3.Connection | None:
    try:
        if readonly:
            uri = path.resolve().as_uri() + "?mode=ro"
            connection = sqlite3.connect(uri, uri=True, isolation_level=None)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, isolation_level=None, timeout=30)
            # WAL: readers (parallel workers) never wait for the writer; NORMAL sync is safe
            # with WAL (a crash loses at most the last transaction, never the database).
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError:
        return None
    return connection


def rows_in(db: sqlite3.Connection, sql: str, keys: Sequence[str], *args: str) -> Iterator[Any]:
    """The rows of ``sql`` + a list of ``keys`` (after ``args``), a few hundred keys at a time."""
    for start in range(0, len(keys), LOOKUP_CHUNK):
        chunk = keys[start : start + LOOKUP_CHUNK]
        marks = "(" + ",".join("?" * len(chunk)) + ")"
        yield from db.execute(sql + marks, (*args, *chunk))


class RowCount:
    """How many rows some tables hold for one target, counted on a connection and a thread
    of its own while the build goes on (SQLite lets go of the interpreter while it counts:
    800,000 dependencies at 5,000 articles take a tenth of a second of the other core)."""

    def __init__(self, path: Path, target: str, tables: Sequence[str]) -> None:
        self._found: dict[str, int] | None = None
        self._thread = threading.Thread(
            target=self._count, args=(path, target, tables), name="pressroom-count", daemon=True
        )
        self._thread.start()
        parallel.fork_waits_for(self._thread)

    def _count(self, path: Path, target: str, tables: Sequence[str]) -> None:
        db = connect(path, readonly=True)
        if db is None:
            return
        try:
            sql = "SELECT COUNT(*) FROM {} WHERE target = ?"
            self._found = {t: db.execute(sql.format(t), (target,)).fetchone()[0] for t in tables}
        except sqlite3.DatabaseError:
            pass  # the caller counts again on its own connection, and meets the error there
        finally:
            db.close()

    def result(self) -> dict[str, int] | None:
        """The counts, once counted; None when they could not be."""
        self._thread.join()
        return self._found


class ProcessConnection:
    """This process's connection to a site's store file, opened when first used: a forked
    worker opens its own, since a connection inherited across a fork is not usable."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self._pid = -1
        self._db: sqlite3.Connection | None = None

    def get(self) -> sqlite3.Connection | None:
        """The connection (None when the store's file cannot be opened)."""
        if self._db is None or self._pid != os.getpid():
            self._db = connect(store_path(self.source), readonly=False)
            self._pid = os.getpid()
        return self._db

    def close(self) -> None:
        """Close it (the next use opens it again)."""
        if self._db is not None:
            self._db.close()
            self._db = None


def usable(connection: sqlite3.Connection) -> bool:
    """True for a store of this format and generator version; False for anything else
    (an empty file is made usable here)."""
    try:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        if not tables:
            create(connection)
            return True
        meta = dict(
            connection.execute("SELECT key, value FROM meta WHERE key NOT IN ('inputs', 'stamp')")
        )
        if meta != identity():
            return False
    except sqlite3.DatabaseError:
        return False
    return {
        "inputs",
        "articles",
        "targets",
        "facts",
        "products",
        "deps",
        "snapshot",
        "words",
        "cards",
    } <= tables


def identity() -> dict[str, str]:
    return {"format": FORMAT, "generator": __version__}


def create(connection: sqlite3.Connection) -> None:
    connection.executescript("BEGIN;" + SCHEMA + "COMMIT;")
    connection.executemany("INSERT INTO meta VALUES (?, ?)", identity().items())


def remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")
