"""Write the built site so that a failure at any point leaves the previous site as it was.

Everything is written to a staging directory beside the output, which is swapped in with one
atomic exchange once complete. Files whose bytes did not change are hard-linked from the old
site, so they keep their inode and modification time and rsync-style deploys skip them.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.errors import BuildFailed, ContentError
from generator.render import Output

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; concurrent builds are not guarded there
    fcntl = None  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class WriteReport:
    """What a write changed."""

    written: int
    unchanged: int


def check_output_dir(output: Path, source: Path) -> None:
    """Refuse an output directory whose replacement would destroy anything but an old build."""
    out, src = output.resolve(), source.resolve()
    problem = None
    if out == src or out in src.parents:
        problem = "contains the site's sources"
    elif any(out == src / name or src / name in out.parents for name in SOURCE_DIRS):
        problem = "is inside the site's sources"
    elif (out / ".git").exists() or (out / "site.yaml").exists():
        problem = "looks like a project directory, not a build output"
    elif _has_files(out) and not (out.parent / _sibling(out, "lock")).exists():
        problem = "already holds files that pressroom did not build there; empty it first"
    if problem:
        message = f"refusing to replace the output directory: it {problem}"
        raise BuildFailed([ContentError(str(output), 0, message)])


#: Directories of a site that a build reads and must never replace.
SOURCE_DIRS = ("content", "templates", "locales")


def _has_files(path: Path) -> bool:
    return path.is_dir() and any(path.iterdir())


def _sibling(target: Path, kind: str) -> str:
    return f".{target.name}.{kind}"


@contextmanager
def build_lock(target: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``target`` for the whole build; refuse if another build has it.

    The kernel drops the lock when its holder dies, so a killed build never blocks the next.
    """
    target = target.absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        yield
        return
    lock_path = target.parent / _sibling(target, "lock")
    with lock_path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildFailed(
                [
                    ContentError(
                        str(target),
                        0,
                        "another build is writing this output right now; "
                        "run again when it has finished",
                    )
                ]
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_site(outputs: Iterable[Output], target: Path) -> WriteReport:
    """Make ``target`` hold exactly ``outputs``; call it while holding ``build_lock``."""
    target = target.absolute()
    _remove_leftovers(target)
    staging = Path(tempfile.mkdtemp(prefix=_sibling(target, "new-"), dir=target.parent))
    written = unchanged = 0
    try:
        for output in outputs:
            relative = _safe_relative(output.path)
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if _link_if_unchanged(target / relative, path, output.data):
                unchanged += 1
                continue
            # "x" mode: two outputs claiming one file is a bug, never a silent overwrite.
            with path.open("xb") as handle:
                handle.write(output.data)
            written += 1
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a web root must be readable
        previous = _swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)
    return WriteReport(written, unchanged)


def _safe_relative(path: str) -> PurePosixPath:
    """Refuse an output path that could land outside the output directory."""
    relative = PurePosixPath(path)
    if (
        not path
        or relative.is_absolute()
        or "\\" in path
        or "\0" in path
        or any(part in ("..", ".", "") for part in path.split("/"))
    ):
        raise BuildFailed([ContentError(path, 0, "refusing to write outside the output directory")])
    return relative


def _link_if_unchanged(old: Path, new: Path, data: bytes) -> bool:
    """Hard-link ``old`` to ``new`` when it already holds ``data``."""
    try:
        if old.is_symlink() or not old.is_file() or old.stat().st_size != len(data):
            return False
        if old.read_bytes() != data:
            return False
        os.link(old, new)
    except OSError:
        return False
    return True


def _remove_leftovers(target: Path) -> None:
    """Delete staging directories left by builds that were killed."""
    for leftover in target.parent.glob(_sibling(target, "new-") + "*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


def _swap_in(staging: Path, target: Path) -> Path | None:
    """Put ``staging`` at ``target``; return where the previous site now is, if there was one."""
    if not target.exists():
        staging.rename(target)
        return None
    if _exchange(staging, target):
        return staging
    # No atomic exchange on this platform: two renames, with a window between them.
    retired = Path(tempfile.mkdtemp(prefix=_sibling(target, "old-"), dir=target.parent))
    retired.rmdir()
    target.rename(retired)
    try:
        staging.rename(target)
    except BaseException:
        retired.rename(target)
        raise
    return retired


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories atomically (Linux renameat2); False where that is unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))
