"""A persistent cache under .pressroom-cache/: values keyed by what they were computed from.

Each cache file holds a header (magic, key, payload digest) and a pickled payload. A file
whose key differs (another generator version, other settings) is stale; one whose digest does
not match is corrupt; either is ignored and rebuilt, never trusted.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from generator import __version__

CACHE_DIR = ".pressroom-cache"
_MAGIC = b"pressroom-cache/1\n"


def digest(*parts: bytes | str) -> str:
    """A short, stable content hash of ``parts``."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def versioned_key(*parts: bytes | str) -> str:
    """A cache key that also changes with the generator's version."""
    return digest(__version__, *parts)


def cache_path(source: Path, name: str) -> Path:
    """The file of one cache under ``source``."""
    return source / CACHE_DIR / name


def load(path: Path, key: str) -> Any | None:
    """Return the value stored at ``path`` under ``key``, or None if absent, stale or corrupt."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header_end = len(_MAGIC) + 32 + 1 + 32 + 1
    if not data.startswith(_MAGIC) or len(data) < header_end:
        return None
    stored_key = data[len(_MAGIC) : len(_MAGIC) + 32].decode("ascii", "replace")
    stored_digest = data[len(_MAGIC) + 33 : header_end - 1].decode("ascii", "replace")
    payload = data[header_end:]
    if stored_key != key or stored_digest != digest(payload):
        return None
    try:
        return _RestrictedUnpickler(io.BytesIO(payload)).load()
    except Exception:  # a payload that does not unpickle is as good as none
        return None


#: What a cache may hold: our own data classes and plain values. A cache file is input like
#: any other (it could come with a source tree), and unpickling can call any importable
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
        raise pickle.UnpicklingError(f"a cache may not hold {module}.{name}")


def save(path: Path, key: str, value: Any) -> None:
    """Store ``value`` under ``key`` atomically (a crash leaves the old file or none)."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    header = _MAGIC + key.encode("ascii") + b"\n" + digest(payload).encode("ascii") + b"\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=path.name + ".", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(header)
            out.write(payload)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
