"""List entries (cards) and feed items kept between builds of one output directory, with the
facts each read.

Adding the newest article moves every article one place down the lists it is in: every page
of each language's home and of its terms' lists is made again, and they show the same ten
thousand cards as before; the feeds of its terms are made again, and carry the same items
but one. An entry is kept in the store with the facts it read and the digests they had; a
later build uses it as long as every one of those facts is unchanged (``incremental.current``),
the rule by which a product is reused. A renamed sector or an edited title therefore remakes
only the entries that show it.

The store is trusted for an entry as much as for a parsed article (whose HTML it also holds):
as much as the site directory it belongs to.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping, Sequence

from generator.build.database import rows_in
from generator.build.incremental import current
from generator.build.store import Store
from generator.site.chrome import Entry

#: What is kept of an entry: its HTML and the facts it read, with their digests.
Card = tuple[str, dict[str, str]]


def recall(
    store: Store, target: str, entries: Sequence[Entry], facts: Mapping[str, str]
) -> dict[Entry, Card]:
    """The kept entries of ``entries`` whose facts are all unchanged."""
    wanted = set(entries)
    found: dict[Entry, Card] = {}
    paths = sorted({path for _, path, _ in wanted})
    sql = "SELECT kind, path, lang, reads, html FROM cards WHERE target = ? AND path IN "
    for kind, path, lang, reads, html in rows_in(store.db, sql, paths, target):
        entry = (kind, path, lang)
        read = _reads(reads)
        if entry not in wanted or read is None or not isinstance(html, str):
            continue  # not asked for, or a damaged row: the entry is made again
        if current(read, facts):
            found[entry] = (html, read)
    return found


def keep(store: Store, target: str, made: Mapping[Entry, Card], gone: Iterable[str]) -> None:
    """Keep the entries made now (replacing older ones); forget those of the article files
    that are ``gone`` (deleted or renamed)."""
    rows = [
        (target, kind, path, lang, json.dumps(reads, sort_keys=True), html)
        for (kind, path, lang), (html, reads) in sorted(made.items())
    ]
    store.db.executemany("INSERT OR REPLACE INTO cards VALUES (?, ?, ?, ?, ?, ?)", rows)
    store.db.executemany(
        "DELETE FROM cards WHERE target = ? AND path = ?", ((target, p) for p in gone)
    )


def shared_reads(reads: Mapping[str, str]) -> dict[str, str]:
    """``reads`` with one string for each fact id and digest (``sys.intern``): entries read
    the same few thousand facts (templates, settings, terms), and a cold build at 20,000
    articles holds 80,000 entries, each read from the store or sent by a worker with strings
    of its own, in the main process and in every worker forked after it."""
    return {sys.intern(f): sys.intern(d) for f, d in reads.items()}


def _reads(data: object) -> dict[str, str] | None:
    """The facts a stored entry read (None for a damaged record)."""
    try:
        reads = json.loads(str(data))
    except ValueError:
        return None
    if not isinstance(reads, dict) or not all(
        isinstance(f, str) and isinstance(d, str) for f, d in reads.items()
    ):
        return None
    return shared_reads(reads)
