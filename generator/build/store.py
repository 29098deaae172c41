"""The build's memory between runs: one SQLite database, ``.pressroom-cache/state.sqlite3``.

It holds what a build needs to do only what changed, and nothing it cannot check:

- ``inputs``: every input file as last seen (size, times, inode) with its content digest;
- ``articles``: each article file's parse result, by content digest and parse settings, and
  its *placement* (language, slug, date, terms, links), which is all a build needs of the
  articles it does not render;
- per output directory (a *target*): the facts the last build used with their digests, the
  products it made with the facts each one read (and a reverse index, fact → products), the
  files each product wrote, and the files where the spare tree differs from the live one;
  and the list entries it rendered, each with the facts it read (cards.py).

A store of another format or generator version, or one SQLite cannot read, is deleted and
made anew, never trusted (database.py decides). Writes happen in transactions, so a killed
build leaves the store as it was before that transaction.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from generator.build import database, remembered
from generator.build.database import connect, create, dumps, loads, remove, store_path, usable
from generator.build.records import InputRecord, ProductRecord

#: The tables holding rows per target, as counted (Store.counts).
COUNTED = ("facts", "products", "deps", "outputs", "pending")
#: What the store gives for a record it holds but cannot read back.
UNREADABLE = object()
#: The path of a store that lives in memory.
MEMORY = Path(":memory:")


class Store:
    """An open store. Use ``open_store``; every method runs on the one connection."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.db = connection
        self.path = path
        #: Each target's rows per table (see counts), kept up to date by this store's writes.
        self._counts: dict[str, dict[str, int]] = {}
        self._counting: dict[str, database.RowCount] = {}
        #: Where this process remembers the store's rows (see remembered.py); None for a
        #: store in memory, which lives for one build.
        self._key = None if path == MEMORY else str(path)
        #: The stamp of this store's last transaction, and what the open one writes to.
        self._stamp = ""
        self._writes: set[str] = set()

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes in the block commit together, or not at all; each leaves a new stamp
        in the store (see remembered.py)."""
        self.db.execute("BEGIN IMMEDIATE")
        self._writes = set()
        try:
            before = self.stamp()
            yield
            after = secrets.token_hex(8)
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('stamp', ?)", (after,))
        except BaseException:
            self.db.rollback()
            self._counts.clear()  # they counted writes that are now undone
            raise
        self.db.commit()
        self._stamp = after
        remembered.committed(self._key, before, after, self._writes)

    def stamp(self) -> str | None:
        """The stamp the store's last transaction left (None from a store without one)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
        return str(row[0]) if row else None

    def remember(
        self,
        inputs: Mapping[str, InputRecord],
        live: tuple[str, Mapping[str, str]] | None,
        *,
        linked: bool,
    ) -> None:
        """Note for this process's next build that the store holds ``inputs`` (from a scan that
        passed a symlink or not) and ``live``: (target, its outputs' digests), if given."""
        remembered.keep(self._key, self._stamp, inputs, live, linked=linked)

    def _writing(self, what: str) -> None:
        """The open transaction writes input records (remembered.INPUTS) or a target's
        outputs; outside a transaction, what this process remembers of the store is void."""
        if self.db.in_transaction:
            self._writes.add(what)
        else:
            remembered.forget(self._key)

    # -- inputs -------------------------------------------------------------------------

    def inputs(self) -> dict[str, InputRecord]:
        """Every input file as the last build saw it."""
        known = remembered.inputs(self._key, self.stamp())
        if known is not None:
            return dict(known)
        rows = self.db.execute(
            "SELECT path, size, mtime_ns, ctime_ns, inode, digest, seen_ns FROM inputs"
        )
        make = InputRecord._make
        return {row[0]: make(row[1:]) for row in rows}

    def watched_inputs(self) -> dict[str, InputRecord] | None:
        """The input records, if a watcher can tell what changed since (inputs.rescan)."""
        known = remembered.watched_inputs(self._key, self.stamp())
        return dict(known) if known is not None else None

    def last_inputs(self) -> str:
        """The stamp of the inputs the last successful build (of any output) was made from."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'inputs'").fetchone()
        return str(row[0]) if row else ""

    def put_last_inputs(self, stamp: str) -> None:
        """Record the stamp of the inputs a build was just made from."""
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('inputs', ?)", (stamp,))

    def put_inputs(self, records: Mapping[str, InputRecord], gone: Iterable[str]) -> None:
        """Record files as seen now; forget ``gone`` ones."""
        self._writing(remembered.INPUTS)
        self.db.executemany("DELETE FROM inputs WHERE path = ?", ((p,) for p in gone))
        self.db.executemany(
            "INSERT OR REPLACE INTO inputs VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (p, r.size, r.mtime_ns, r.ctime_ns, r.inode, r.digest, r.seen_ns)
                for p, r in records.items()
            ),
        )

    # -- articles -----------------------------------------------------------------------

    def articles(self, paths: Sequence[str]) -> dict[str, Any]:
        """The stored articles of ``paths`` (whatever their digest), by path; one that cannot
        be read back (damaged, planted) is left out."""
        found: dict[str, Any] = {}
        for path, blob in self._rows_in("SELECT path, article FROM articles WHERE path IN ", paths):
            try:
                found[path] = loads(blob)
            except Exception:
                continue
        return found

    def snapshot(self, config: str) -> dict[str, bytes]:
        """Folder → the encoded (digest, placement) of every article in it made with
        ``config`` (see placements). One blob a folder (a year of articles): ten thousand
        rows would be read slower, and an edit rewrites only its own folder's."""
        rows = self.db.execute("SELECT folder, data FROM snapshot WHERE config = ?", (config,))
        return {str(folder): data for folder, data in rows if isinstance(data, bytes)}

    def put_placements(
        self, config: str, folders: Mapping[str, Mapping[str, tuple[str, Any]]]
    ) -> dict[str, bytes]:
        """Replace the snapshots of ``folders`` (made with ``config``; an empty one is
        dropped) and drop those made with any other; return them, encoded."""
        self.db.execute("DELETE FROM snapshot WHERE config != ?", (config,))
        written, drop = {}, "DELETE FROM snapshot WHERE config = ? AND folder = ?"
        for folder, placements in folders.items():
            if not placements:
                self.db.execute(drop, (config, folder))
                continue
            data = written[folder] = database.encode_placements(placements)
            self.db.execute(
                "INSERT OR REPLACE INTO snapshot VALUES (?, ?, ?)", (config, folder, data)
            )
        return written

    def put_article_blob(self, path: str, digest: str, config: str, blob: bytes) -> None:
        """Keep an article's parse result (already pickled)."""
        self.db.execute(
            "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?)", (path, digest, config, blob)
        )

    def forget_articles(self, paths: Iterable[str]) -> None:
        """Drop the results of files that are gone (or now fail to parse)."""
        self.db.executemany("DELETE FROM articles WHERE path = ?", ((p,) for p in paths))

    # -- targets --------------------------------------------------------------------------

    def target_state(self, target: str) -> Any | None:
        """The small state record of one output directory (see target.TargetState); one
        that cannot be read back is UNREADABLE."""
        row = self.db.execute("SELECT state FROM targets WHERE id = ?", (target,)).fetchone()
        if row is None:
            return None
        try:
            return loads(row[0])
        except Exception:
            return UNREADABLE

    def put_target_state(self, target: str, state: Any) -> None:
        """Replace the state record of one output directory."""
        self.db.execute("INSERT OR REPLACE INTO targets VALUES (?, ?)", (target, dumps(state)))

    def forget_target(self, target: str) -> None:
        """Drop everything known of one output directory (it is then built from nothing)."""
        self._writing(target)
        for table in (*COUNTED, "cards"):
            self.db.execute(f"DELETE FROM {table} WHERE target = ?", (target,))
        self.db.execute("DELETE FROM targets WHERE id = ?", (target,))
        self._counting.pop(target, None)
        self._counts[target] = dict.fromkeys(COUNTED, 0)

    def count_ahead(self, target: str) -> None:
        """Start counting ``target``'s rows (see counts) beside the build, before any write to
        the counted tables: ``counts`` then waits for the result rather than counting."""
        if self.path.is_file() and target not in self._counts:
            self._counting[target] = database.RowCount(self.path, target, COUNTED)

    def counts(self, target: str) -> tuple[int, ...]:
        """How many rows each table holds for ``target``: a state whose counts differ from
        what its build recorded was changed since, and is not trusted. Counted once (a
        ``COUNT(*)`` over the archive's dependencies is not free), then kept up to date by
        the writes made through this store."""
        ahead = self._counting.pop(target, None)
        if ahead is not None and (found := ahead.result()) is not None:
            self._counts.setdefault(target, found)
        known = self._counts.get(target)
        if known is None:
            known = self._counts[target] = {
                table: self.db.execute(
                    f"SELECT COUNT(*) FROM {table} WHERE target = ?", (target,)
                ).fetchone()[0]
                for table in COUNTED
            }
        return tuple(known[table] for table in COUNTED)

    def _write(self, target: str, table: str, sql: str, rows: Iterable[Any]) -> None:
        """Run ``sql`` (a DELETE or a plain INSERT into ``table``) for each of ``rows``."""
        if target in self._counting:
            self.counts(target)  # a count begun before this write must not miss it
        changed = self.db.executemany(sql, rows).rowcount
        known = self._counts.get(target)
        if known is not None:
            known[table] += -changed if sql.startswith("DELETE") else changed

    def facts(
        self, target: str, ids: Iterable[str] | None = None, *, prefix: str = ""
    ) -> dict[str, str]:
        """Fact id → digest, as the last build of ``target`` computed them: all of them, or
        those of ``ids``, or those whose id starts with ``prefix``."""
        if prefix:
            rows = self.db.execute(
                "SELECT id, digest FROM facts WHERE target = ? AND id >= ? AND id < ?",
                (target, prefix, prefix + "\U0010ffff"),
            )
            return dict(rows)
        if ids is None:
            rows = self.db.execute("SELECT id, digest FROM facts WHERE target = ?", (target,))
            return dict(rows)
        sql = "SELECT id, digest FROM facts WHERE target = ? AND id IN "
        return dict(self._rows_in(sql, list(ids), target))

    def put_facts(self, target: str, facts: Mapping[str, str], gone: Iterable[str]) -> None:
        """Record changed facts; forget ``gone`` ones."""
        old = ((target, f) for f in [*gone, *facts])
        self._write(target, "facts", "DELETE FROM facts WHERE target = ? AND id = ?", old)
        rows = ((target, f, d) for f, d in facts.items())
        self._write(target, "facts", "INSERT INTO facts VALUES (?, ?, ?)", rows)

    def product_ids(self, target: str) -> set[str]:
        """Every product the last build of ``target`` made."""
        rows = self.db.execute("SELECT id FROM products WHERE target = ?", (target,))
        return {row[0] for row in rows}

    def product_files(self, target: str, ids: Iterable[str]) -> dict[str, list[str]]:
        """The files some products wrote when they were last made."""
        sql = "SELECT id, files FROM products WHERE target = ? AND id IN "
        return {p: list(json.loads(files)) for p, files in self._rows_in(sql, list(ids), target)}

    def readers_of(self, target: str, facts: Iterable[str]) -> set[str]:
        """The products that read any of ``facts`` when they were last made."""
        # Not DISTINCT: SQLite would then walk the product index, every row of the target.
        sql = "SELECT product FROM deps WHERE target = ? AND fact IN "
        return {row[0] for row in self._rows_in(sql, list(facts), target)}

    def put_products(
        self,
        target: str,
        records: Mapping[str, ProductRecord],
        gone: Iterable[str],
        *,
        fresh: bool = False,
    ) -> None:
        """Record products made now (replacing their old records); forget ``gone`` ones.
        ``fresh``: the target has no records yet (a first build), so none is replaced."""
        gone = list(gone)
        old = [] if fresh else [(target, p) for p in (*gone, *records)]  # a first build: none
        self._write(target, "products", "DELETE FROM products WHERE target = ? AND id = ?", old)
        rows = ((target, p, _json(r.files), _json(r.frames)) for p, r in records.items())
        self._write(target, "products", "INSERT INTO products VALUES (?, ?, ?, ?)", rows)
        # A product made again mostly reads the facts it read before: only the differences
        # are written (rewriting the rows of thousands of products cost seconds).
        redone = [p for p, r in records.items() if not r.same_deps]
        before = {} if fresh else self._deps_of(target, [*gone, *redone])
        dropped = [(target, f, p) for p in gone for f in before.get(p, ())]
        added: list[tuple[str, str, str]] = []
        for product in redone:
            record, had = records[product], before.get(product, set())
            dropped += ((target, f, product) for f in had.difference(record.deps))
            added += ((target, f, product) for f in record.deps if f not in had)
        delete = "DELETE FROM deps WHERE target = ? AND fact = ? AND product = ?"
        self._write(target, "deps", delete, dropped)
        if fresh:  # one index made after 800,000 rows is quicker than one kept up with them
            self.db.execute("DROP INDEX IF EXISTS deps_by_product")
        self._write(target, "deps", "INSERT INTO deps VALUES (?, ?, ?)", sorted(added))
        if fresh:
            self.db.execute(database.DEPS_INDEX)

    def _deps_of(self, target: str, products: Sequence[str]) -> dict[str, set[str]]:
        """The facts each of ``products`` read when it was last made."""
        found: dict[str, set[str]] = {}
        sql = "SELECT product, fact FROM deps WHERE target = ? AND product IN "
        for product, fact in self._rows_in(sql, products, target):
            found.setdefault(product, set()).add(fact)
        return found

    def _rows_in(self, sql: str, keys: Sequence[str], *args: str) -> Iterator[Any]:
        return database.rows_in(self.db, sql, keys, *args)

    # -- the files of the output ----------------------------------------------------------

    def outputs(self, target: str) -> dict[str, str]:
        """Path → digest of every file in the live output directory."""
        known = remembered.outputs(self._key, self.stamp(), target)
        if known is not None:
            return dict(known)
        rows = self.db.execute("SELECT path, digest FROM outputs WHERE target = ?", (target,))
        return dict(rows)

    def put_outputs(self, target: str, files: Mapping[str, str], gone: Iterable[str]) -> None:
        """Record files written now; forget removed ones."""
        self._writing(target)
        old = ((target, p) for p in [*gone, *files])
        self._write(target, "outputs", "DELETE FROM outputs WHERE target = ? AND path = ?", old)
        rows = ((target, p, d) for p, d in files.items())
        self._write(target, "outputs", "INSERT INTO outputs VALUES (?, ?, ?)", rows)

    def pending(self, target: str) -> set[str]:
        """Paths where the spare directory differs from the live one."""
        rows = self.db.execute("SELECT path FROM pending WHERE target = ?", (target,))
        return {row[0] for row in rows}

    def put_pending(self, target: str, paths: Iterable[str]) -> None:
        """Replace the set of paths where the spare differs from the live directory."""
        self._write(target, "pending", "DELETE FROM pending WHERE target = ?", [(target,)])
        rows = ((target, p) for p in paths)
        self._write(target, "pending", "INSERT INTO pending VALUES (?, ?)", rows)


def _json(value: object) -> str:
    return json.dumps(value, sort_keys=True)


def memory_store() -> Store:
    """A store that lives in memory for one build (the cache directory cannot be used)."""
    connection = sqlite3.connect(":memory:", isolation_level=None)
    create(connection)
    return Store(connection, MEMORY)


def discard(source: Path) -> None:
    """Delete the store of the site in ``source`` (it is made anew when next opened)."""
    remembered.forget(str(store_path(source)))
    remove(store_path(source))


def open_store(source: Path, *, readonly: bool = False) -> Store:
    """Open (or make) the store of the site in ``source``; a damaged, foreign or outdated
    store is deleted and made anew."""
    path = store_path(source)
    if readonly:
        connection = connect(path, readonly=True)
        if connection is None:
            raise sqlite3.DatabaseError(f"cannot open {path}")
        return Store(connection, path)
    for _ in range(2):
        connection = connect(path, readonly=False)
        if connection is not None and usable(connection):
            return Store(connection, path)
        if connection is not None:
            connection.close()
        remove(path)
    connection = connect(path, readonly=False)
    assert connection is not None
    create(connection)
    return Store(connection, path)
