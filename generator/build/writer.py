"""Write the built site so that a failure at any point leaves the previous site as it was.

The new site is prepared in a directory beside the output and swapped in with one atomic
exchange once complete. That directory is the *spare*: the site before last, which the swap
left beside the live one, kept in step by the store's record of where the two differ
(``pending``); a build then writes only the files that changed, however large the site. Files
whose bytes did not change are hard links to the live ones, so they keep their inode and
modification time and rsync-style deploys skip them. A file the live site shares is never
written: a new one replaces it, so the live site never changes under a reader; a file the
spare has of its own (one an earlier build wrote) is written over in place. When the spare
is unknown (a build was killed while preparing it) or the system has no atomic exchange, a
fresh staging directory is made from hard links instead.

Workers of a parallel build write into the prepared directory directly (``put``): nothing
the site holds is kept in memory.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Container, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.build.staged import (
    check_folder,
    check_relative,
    ensure_folder,
    forget_folder,
    forget_folders,
    safe_relative,
)
from generator.core.digest import digest
from generator.core.errors import ContentError, WriteRefused

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; concurrent builds are not guarded there
    fcntl = None  # type: ignore[assignment]


def sibling(target: Path, kind: str) -> str:
    """The name of what a build keeps beside ``target`` (its lock, spare, staging)."""
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
    global LOCK_FD
    lock_path = target.parent / sibling(target, "lock")
    with lock_path.open("a") as handle:
        LOCK_FD = handle.fileno()
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            busy = "another build is writing this output right now; run again when it has finished"
            raise WriteRefused(ContentError(f"--output {target}", 0, busy)) from None
        try:
            yield
        finally:
            LOCK_FD = None
            fcntl.flock(handle, fcntl.LOCK_UN)


#: The lock's file descriptor while a build holds it: forked workers close their copy, so
#: that the lock lives exactly as long as the build that took it (parallel.py).
LOCK_FD: int | None = None


@dataclass(frozen=True, slots=True)
class Staging:
    """The directory a build writes its new site into, before it is swapped in."""

    root: Path
    #: The output directory (it may not exist yet).
    live: Path
    #: Path → digest of the files the live site holds (the store's record).
    live_files: Mapping[str, str]
    #: True when ``root`` is the spare (swapped with the live site), False for a fresh
    #: directory (renamed into place; the old site then becomes the spare).
    spare: bool
    #: False when nothing is known of the live site's files (the store was lost): each new
    #: file is then compared with the live one, byte for byte.
    trusted: bool = True
    live_exists: bool = True


def prepare(
    output: Path,
    live_files: Mapping[str, str],
    pending: Iterable[str] | None,
    remade: Container[str] = (),
) -> Staging:
    """Make a directory that holds the live site, ready to take what changed.

    ``pending`` lists the files where the spare differs from the live site, None when the
    spare is unknown; those of them in ``remade`` (about to be written again) are left as
    they are, to be written over (see put). Call it while holding ``build_lock``.
    """
    live = output.absolute()
    forget_folders()  # what an earlier build made may have moved since
    _remove_leftovers(live)
    spare = live.parent / sibling(live, "spare")
    if pending is not None and live.is_dir() and spare.is_dir() and _exchange_supported():
        for path in pending:
            safe_relative(path)
            if path in remade:
                continue
            if path in live_files and (live / path).is_file():
                _replace(spare / path, root=spare, link_from=live / path)
            else:
                _remove_file(spare, path)
        return Staging(spare, live, live_files, spare=True, live_exists=True)
    staging = Path(tempfile.mkdtemp(prefix=sibling(live, "new-"), dir=live.parent))
    os.chmod(staging, 0o755)  # mkdtemp makes it private; a web root must be readable
    if live.is_dir():
        _link_tree(live, staging, live_files)
    return Staging(
        staging, live, live_files, spare=False, trusted=bool(live_files), live_exists=live.is_dir()
    )


def _link_tree(live: Path, staging: Path, files: Iterable[str]) -> None:
    """Hard-link each of ``files`` that is a regular file of ``live`` into ``staging``.

    The first edit after a cold build does this for every file of the site (111,000 at
    20,000 articles): one ``lstat`` and one link a file, and one ``mkdir`` a folder."""
    made = {""}
    for path in files:
        source = f"{live}/{path}"
        try:
            if not stat.S_ISREG(os.lstat(source).st_mode):
                continue  # a symlink or a folder planted there: never linked into a site
        except OSError:
            continue
        folder = path.rpartition("/")[0]
        if folder not in made:
            os.makedirs(f"{staging}/{folder}", exist_ok=True)
            made.add(folder)
        os.link(source, f"{staging}/{path}")


def put(staging: Staging, path: str, data: bytes) -> tuple[str, bool]:
    """Give ``path`` the bytes ``data`` in the staging directory; return their digest and
    whether they are the live file's.

    Bytes the live site already holds there are a hard link to the live file (same inode and
    modification time); other bytes are a new file, never a change to a shared inode.
    """
    check_relative(path)
    value = digest(data)
    target = staging.root / path
    source = staging.live / path
    if not staging.live_files and not staging.live_exists:
        same = False  # a first build: there is nothing to compare with
    elif staging.trusted:
        same = staging.live_files.get(path) == value and os.path.isfile(source)
    else:
        same = _holds(source, data)
    if same:
        if not _same_inode(target, source):
            _replace(target, root=staging.root, link_from=source)
        return value, True
    ensure_folder(target.parent, staging.root)
    if os.path.lexists(target):
        if not _overwrite(target, data):
            _replace(target, root=staging.root, data=data)  # a shared file: replaced
    else:
        with target.open("xb") as handle:  # nothing there yet: the common case, one step
            handle.write(data)
    return value, False


def _overwrite(path: Path, data: bytes) -> bool:
    """Write ``data`` over the regular file ``path`` in the staging directory, in place, if
    no other name shares its inode (a file the spare has of its own); False if it cannot.

    Rather than a new file: an inode freed and one allocated cost more than the write, most on
    a file system without a journal, where ext4 looks at each recently freed inode before it
    allocates one. The old bytes are not truncated away first (ext4 would then flush the file
    when it is closed, its ``auto_da_alloc`` rule), only what is left past the new end.

    It is of the site before last: one still read since before the last swap would show the
    new bytes. O_NONBLOCK: a FIFO planted there fails to open, not holds the build. A shared
    file is not even opened for writing: a watcher of the live one would see that."""
    try:
        if not _own_file(os.lstat(path)):
            return False
        fd = os.open(path, os.O_WRONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        if not _own_file(os.fstat(fd)):  # replaced in between
            return False
        view, done = memoryview(data), 0
        while done < len(data):
            done += os.pwrite(fd, view[done:], done)
        os.ftruncate(fd, len(data))
        return True
    finally:
        os.close(fd)


def _own_file(found: os.stat_result) -> bool:
    return stat.S_ISREG(found.st_mode) and found.st_nlink == 1  # a regular file, one name


def _holds(path: Path, data: bytes) -> bool:
    """True when the regular file ``path`` holds exactly ``data``."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def remove(staging: Staging, paths: Iterable[str]) -> None:
    """Delete files the new site no longer has (and the directories they leave empty)."""
    for path in paths:
        safe_relative(path)
        _remove_file(staging.root, path)


def abandon(staging: Staging) -> None:
    """Forget a staging directory after a failure (a spare stays, marked unknown by the caller)."""
    if not staging.spare:
        shutil.rmtree(staging.root, ignore_errors=True)


def keep_as_spare(staging: Staging) -> None:
    """Make ``staging`` (prepared, holding the live site) the spare, instead of swapping it in."""
    if not staging.spare:
        spare = staging.live.parent / sibling(staging.live, "spare")
        shutil.rmtree(spare, ignore_errors=True)
        staging.root.rename(spare)


def swap(staging: Staging) -> None:
    """Put the staged site in place, atomically; the old one becomes the spare."""
    live = staging.live
    if staging.spare:
        if not _exchange(staging.root, live):
            raise OSError("the atomic directory exchange failed")
        return
    try:
        previous = _swap_in(staging.root, live)
    except BaseException:
        shutil.rmtree(staging.root, ignore_errors=True)
        raise
    if previous is not None:
        spare = live.parent / sibling(live, "spare")
        shutil.rmtree(spare, ignore_errors=True)
        previous.rename(spare)  # the old site becomes the spare for the next build


def _same_inode(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_ino == b.stat().st_ino
    except OSError:
        return False


def _replace(
    path: Path, *, root: Path, data: bytes | None = None, link_from: Path | None = None
) -> None:
    """Put new content at ``path`` under a new inode (the old one may be shared with the site).

    ``path`` is in the staging directory, which no reader sees before the swap, and a build
    killed while preparing it leaves it unknown (see prepare): so the old name is unlinked
    and a new file made, without the temporary file and rename that a live file would need.
    On ext4 a rename over an existing file also flushes the new file's data (its
    ``auto_da_alloc`` rule), which made that ten times slower for a link. ``root``: the
    directory being written, whose folders are checked on the way (see staged.py)."""
    ensure_folder(path.parent, root)
    path.unlink(missing_ok=True)
    if link_from is not None:
        os.link(link_from, path)
    else:
        assert data is not None
        with path.open("xb") as handle:
            handle.write(data)


def _remove_file(root: Path, relative: str) -> None:
    """Delete a file and the directories it leaves empty, up to ``root``."""
    path = root / relative
    if not check_folder(path.parent, root):
        return  # its folder is not there: nor is it
    path.unlink(missing_ok=True)
    parent = path.parent
    while parent != root:
        try:
            parent.rmdir()
        except OSError:
            break  # not empty
        forget_folder(parent)
        parent = parent.parent


def tidy(output: Path) -> None:
    """Remove what killed builds left beside the output (their staging directories)."""
    _remove_leftovers(output.absolute())


def _remove_leftovers(target: Path) -> None:
    """Delete staging directories left by builds that were killed."""
    for leftover in target.parent.glob(sibling(target, "new-") + "*"):
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
    retired = Path(tempfile.mkdtemp(prefix=sibling(target, "old-"), dir=target.parent))
    retired.rmdir()
    target.rename(retired)
    try:
        staging.rename(target)
    except BaseException:
        retired.rename(target)
        raise
    return retired


def spare_possible() -> bool:
    """True where a build can write into the spare and exchange it with the live site."""
    return _exchange_supported()


def _exchange_supported() -> bool:
    import ctypes  # only builds that write need it

    return sys.platform.startswith("linux") and hasattr(ctypes.CDLL(None), "renameat2")


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories atomically (Linux renameat2); False where that is unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

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
