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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from generator.build.manifest import FileRecord, Manifest, SiteState
from generator.core.errors import BuildFailed, ContentError
from generator.render import Output

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; concurrent builds are not guarded there
    fcntl = None  # type: ignore[assignment]


def write_problem(output: Path, exc: OSError) -> BuildFailed:
    """A build stopped by the file system (full, read-only, not allowed), as one line."""
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ENOTDIR: "a part of the path is a file, not a directory",
    }
    why = reasons.get(exc.errno or 0, exc.strerror or str(exc))
    where = f" ({exc.filename})" if exc.filename else ""
    message = f"cannot write: {why}{where}; the previous site was left as it was"
    return BuildFailed([ContentError(f"--output {output}", 0, message)])


def check_output_dir(output: Path, source: Path) -> None:
    """Refuse, before anything is written, an output that is not a missing path, an empty
    directory or a directory pressroom built: a build replaces it as a whole."""
    problem = output_problem(output, source)
    if problem:
        message = f"refusing to replace the output directory: it {problem}"
        raise BuildFailed([ContentError(f"--output {output}", 0, message)])


def output_problem(output: Path, source: Path) -> str | None:
    """Why ``output`` may not be (re)built, or None."""
    blocker = next((p for p in (output, *output.absolute().parents) if p.exists()), None)
    if blocker is not None and blocker != output and not blocker.is_dir():
        return f"would be inside {blocker}, which is a file"
    if output.is_symlink():
        return "is a symbolic link: name the directory it leads to instead"
    if output.exists() and not output.is_dir():
        return "is a file, not a directory"
    out, src = output.resolve(), source.resolve()
    if out == src or out in src.parents:
        return "contains the site's sources"
    if any(out == src / name or src / name in out.parents for name in SOURCE_DIRS):
        return "is inside the site's sources"
    if any(out == src / name for name in SOURCE_FILES):
        return "is one of the site's sources"
    if (out / ".git").exists() or (out / "site.yaml").exists():
        return "looks like a project directory, not a build output"
    if _has_files(out) and not (out.parent / _sibling(out, "lock")).exists():
        return "already holds files that pressroom did not build there; empty it first"
    return None


#: Directories and files of a site that a build reads and must never replace.
SOURCE_DIRS = ("content", "templates", "locales")
SOURCE_FILES = ("site.yaml", ".pressroom-cache")


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
                        f"--output {target}",
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


@dataclass(frozen=True, slots=True)
class WriteReport:
    """What a write changed, and what is on disk afterwards."""

    written: int
    unchanged: int
    state: SiteState


def write_site(
    outputs: Sequence[Output],
    target: Path,
    state: SiteState,
    forget_spare: Callable[[], None],
) -> WriteReport:
    """Make ``target`` hold exactly ``outputs``; call it while holding ``build_lock``.

    An output without data keeps the file the previous build wrote (``state.live`` has it).
    The new site is prepared beside ``target`` and exchanged with it in one step: in the
    spare directory (the site before last, updated with what changed since; hard links make
    unchanged files the same inode in both) when it is known, else in a fresh staging
    directory. ``forget_spare`` is called before the spare is touched, so that a write cut
    short leaves it marked unknown.
    """
    target = target.absolute()
    _remove_leftovers(target)
    paths = [_safe_relative(o.path).as_posix() for o in outputs]
    if len(set(paths)) != len(paths):
        raise ValueError("two outputs claim the same file")  # a bug, never silently resolved
    if (
        all(o.data is None for o in outputs)
        and set(paths) == set(state.live)
        and target.is_dir()
        and _walk_files(target) == set(paths)  # nothing stale was added by hand either
    ):
        return WriteReport(0, len(outputs), state)
    spare = target.parent / _sibling(target, "spare")
    if state.spare is not None and spare.is_dir() and target.is_dir() and _exchange_supported():
        forget_spare()
        return _write_through_spare(outputs, target, spare, state)
    return _write_through_staging(outputs, target, spare, state)


def _write_through_staging(
    outputs: Sequence[Output], target: Path, spare: Path, state: SiteState
) -> WriteReport:
    staging = Path(tempfile.mkdtemp(prefix=_sibling(target, "new-"), dir=target.parent))
    written = unchanged = 0
    records: Manifest = {}
    try:
        for output in outputs:
            path = staging / output.path
            path.parent.mkdir(parents=True, exist_ok=True)
            if output.data is None:
                os.link(target / output.path, path)  # checked intact by the build
                records[output.path] = state.live[output.path]
                unchanged += 1
                continue
            if _link_if_unchanged(target / output.path, path, output.data):
                unchanged += 1
            else:
                _write_file(path, output.data)
                written += 1
            records[output.path] = _record(path, output.key)
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a web root must be readable
        previous = _swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    spare_records: Manifest | None = None
    if previous is not None:
        shutil.rmtree(spare, ignore_errors=True)
        previous.rename(spare)  # the old site becomes the spare for the next build
        spare_records = state.live if _walk_files(spare) == set(state.live) else None
    return WriteReport(written, unchanged, SiteState(records, spare_records))


def _write_through_spare(
    outputs: Sequence[Output], target: Path, spare: Path, state: SiteState
) -> WriteReport:
    assert state.spare is not None
    if _walk_files(spare) != set(state.spare):
        # Something the records do not know is in the spare: start over from a fresh one.
        return _write_through_staging(outputs, target, spare, SiteState(state.live, None))
    written = unchanged = 0
    records: Manifest = {}
    for output in outputs:
        path = spare / output.path
        had = state.spare.get(output.path)
        live = state.live.get(output.path)
        if output.data is not None and live is not None and _same_bytes(target, output, live):
            # Rendered again but identical: keep the live file (its inode and mtime).
            live = replace(live, key=output.key)
            output = replace(output, data=None)
        if output.data is None:
            assert live is not None
            records[output.path] = live
            unchanged += 1
            if had is None or had.inode != live.inode or not _matches(path, live):
                _replace(path, link_from=target / output.path)
        else:
            if had is not None and had.key == output.key and _matches(path, had):
                records[output.path] = had  # the spare already holds these bytes
            else:
                _replace(path, data=output.data)
                records[output.path] = _record(path, output.key)
            written += 1
    for stale in set(state.spare) - set(records):
        _remove_file(spare, stale)
    if not _exchange(spare, target):
        raise OSError("the atomic directory exchange failed")
    return WriteReport(written, unchanged, SiteState(records, state.live))


def _same_bytes(target: Path, output: Output, live: FileRecord) -> bool:
    """True when the live file is the one recorded and holds exactly ``output.data``."""
    assert output.data is not None
    path = target / output.path
    if live.size != len(output.data) or not _matches(path, live):
        return False
    try:
        return path.read_bytes() == output.data
    except OSError:
        return False


def _record(path: Path, key: str) -> FileRecord:
    st = path.stat()
    return FileRecord(key, st.st_size, st.st_mtime_ns, st.st_ino)


def _matches(path: Path, record: FileRecord) -> bool:
    try:
        st = path.stat()
    except OSError:
        return False
    return (st.st_size, st.st_mtime_ns, st.st_ino) == (record.size, record.mtime_ns, record.inode)


def _replace(path: Path, *, data: bytes | None = None, link_from: Path | None = None) -> None:
    """Put new content at ``path`` under a new inode (the old one may be shared with the site)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.new")
    temporary.unlink(missing_ok=True)
    if link_from is not None:
        os.link(link_from, temporary)
    else:
        assert data is not None
        _write_file(temporary, data)
    os.replace(temporary, path)


def _write_file(path: Path, data: bytes) -> None:
    """Write a new file ("x" mode: two outputs claiming one file is a bug, never an overwrite)."""
    with path.open("xb") as handle:
        handle.write(data)


def _remove_file(root: Path, relative: str) -> None:
    """Delete a file and the directories it leaves empty, up to ``root``."""
    path = root / relative
    path.unlink(missing_ok=True)
    parent = path.parent
    while parent != root:
        try:
            parent.rmdir()
        except OSError:
            break  # not empty
        parent = parent.parent


def _walk_files(root: Path) -> set[str]:
    """Every file below ``root``, relative, with "/" separators."""
    found = set()
    for directory, _, files in os.walk(root):
        prefix = os.path.relpath(directory, root)
        for name in files:
            found.add(name if prefix == "." else f"{prefix}/{name}".replace(os.sep, "/"))
    return found


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


def _exchange_supported() -> bool:
    return sys.platform.startswith("linux") and hasattr(ctypes.CDLL(None), "renameat2")


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
