"""Content digests: what tells two inputs, facts or outputs apart."""

from __future__ import annotations

import hashlib

from generator import __version__


def digest(*parts: bytes | str) -> str:
    """A short, stable content hash of ``parts`` (each length-prefixed, so that ("ab", "c")
    and ("a", "bc") differ)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def versioned(*parts: bytes | str) -> str:
    """A digest that also changes with the generator's version."""
    return digest(__version__, *parts)
