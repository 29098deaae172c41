"""What a long-lived process remembers of a store between its builds: the input records and
the live outputs' digests it left there.

``pressroom serve`` builds the same site many times in one process, and each build read
every input record (10,000 rows at 5,000 articles) and every live output's digest (28,000)
back from the store, though it had written them itself a moment before. Every transaction
leaves a new random stamp in the store (Store.transaction), so a process knows the store is
as it left it when the stamp there is the one it wrote last: no other transaction, of this
process or another, has committed since. What it remembers is then what the rows hold; any
other stamp, or none, and the rows are read.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

#: Stores remembered (a test session builds many sites; serve builds one).
LIMIT = 4
#: What a transaction writes when it writes input records (else: the targets whose outputs).
INPUTS = ""


@dataclass(slots=True)
class _Kept:
    #: The stamp of this process's last transaction on the store.
    stamp: str
    #: Path → input record, as the inputs table holds them (None: not known).
    inputs: Mapping[str, Any] | None = None
    #: Whether the scan that made them passed a symbolic link (see inputs.rescan).
    linked: bool = True
    #: Target → path → digest of the live outputs, as the outputs table holds them.
    outputs: dict[str, Mapping[str, str]] = field(default_factory=dict)


_KEPT: OrderedDict[str, _Kept] = OrderedDict()


def committed(store: str | None, before: str | None, after: str, written: Collection[str]) -> None:
    """This process committed a transaction on ``store`` (None: one in memory, remembered
    by nobody) that found ``before`` as its stamp, left ``after``, and wrote to ``written``
    (INPUTS, targets): what was remembered stays, but for what it wrote, when the store was
    as this process had left it."""
    if store is None:
        return
    kept = _KEPT.pop(store, None)
    if kept is None or kept.stamp != before:
        kept = _Kept(after)
    else:
        kept.stamp = after
        if INPUTS in written:
            kept.inputs = None
        for target in written:
            kept.outputs.pop(target, None)
    _KEPT[store] = kept
    while len(_KEPT) > LIMIT:
        _KEPT.popitem(last=False)


def keep(
    store: str | None,
    stamp: str,
    inputs: Mapping[str, Any],
    outputs: tuple[str, Mapping[str, str]] | None = None,
    *,
    linked: bool = True,
) -> None:
    """Remember what ``store`` holds now: its input records (from a scan that passed a
    symbolic link, or not) and, if given, one target's live outputs (``stamp``: the store's
    stamp, from this process's last transaction). A scan that passed a link makes what is
    remembered unfit for a watcher's report whatever the stamp (see watched_inputs)."""
    kept = _KEPT.get(store) if store is not None else None
    if kept is not None and linked:
        kept.linked = True
    if kept is None or kept.stamp != stamp:
        return
    kept.inputs = dict(inputs)  # copies: the caller's mappings may change after this
    kept.linked = linked
    if outputs is not None:
        kept.outputs[outputs[0]] = dict(outputs[1])


def inputs(store: str | None, stamp: str | None) -> Mapping[str, Any] | None:
    """The input records ``store`` holds, when it still has this process's ``stamp``."""
    kept = _KEPT.get(store) if store is not None else None
    return kept.inputs if kept is not None and kept.stamp == stamp else None


def watched_inputs(store: str | None, stamp: str | None) -> Mapping[str, Any] | None:
    """The input records ``store`` holds, when it still has this process's ``stamp`` and
    the scan that made them passed no symbolic link: a watcher's report of what changed
    since then is complete."""
    kept = _KEPT.get(store) if store is not None else None
    if kept is None or kept.stamp != stamp or kept.linked:
        return None
    return kept.inputs


def outputs(store: str | None, stamp: str | None, target: str) -> Mapping[str, str] | None:
    """The live outputs of ``target`` that ``store`` holds, when it still has this process's
    ``stamp``."""
    kept = _KEPT.get(store) if store is not None else None
    return kept.outputs.get(target) if kept is not None and kept.stamp == stamp else None


def forget(store: str | None) -> None:
    """Remember nothing of ``store`` (it was written outside a transaction, or removed)."""
    if store is not None:
        _KEPT.pop(store, None)
