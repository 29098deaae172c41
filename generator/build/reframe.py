"""Pages re-framed instead of made again: those whose only changed fact is their language's
chrome (incremental.decide). Such a page is the live page's bytes with the new chrome set in
at the offsets its record kept (site/frames.py), which is what rendering it again would give.

A live file that is not what the records say it is (changed by hand, or a damaged record), or
offsets that do not fit it, send the page back to be rendered: re-framing is only ever a
shortcut to the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping

from generator.build.database import rows_in
from generator.build.store import Store
from generator.build.writer import Staging
from generator.core.digest import digest
from generator.site.frames import Frames, reframe

#: A product's frames: where the chrome stands in each of its files.
Framed = dict[str, Frames]


def recall(store: Store, target: str, ids: Collection[str]) -> dict[str, Framed]:
    """The frames the last build recorded for the products ``ids`` whose every file has some."""
    sql = "SELECT id, files, frames FROM products WHERE target = ? AND id IN "
    found = {}
    for product, files, data in rows_in(store.db, sql, sorted(ids), target):
        framed = _framed(data, files)
        if framed:
            found[product] = framed
    return found


def reframed(
    staging: Staging, framed: Framed, parts: Mapping[str, str]
) -> dict[str, tuple[bytes, Frames]] | None:
    """Each file of a product, its live bytes with the chrome ``parts`` set in; None when one
    of them cannot be re-framed."""
    found = {}
    for path, frames in framed.items():
        try:
            old = (staging.live / path).read_bytes()
        except OSError:
            return None
        if not staging.trusted or digest(old) != staging.live_files.get(path):
            return None
        new = reframe(old, frames, parts)
        if new is None:
            return None
        found[path] = new
    return found


def _framed(data: object, files: object) -> Framed | None:
    """A record's frames, if it has some for each of its files (None for a damaged one)."""
    try:
        value = json.loads(str(data))
        framed = {
            str(path): tuple((str(part), int(start), int(end)) for part, start, end in frames)
            for path, frames in value.items()
        }
        return framed if set(framed) == set(json.loads(str(files))) else None
    except (ValueError, TypeError, AttributeError):
        return None
