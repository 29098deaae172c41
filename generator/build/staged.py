"""Paths inside the directory a build writes into (the spare, or a fresh staging directory):
relative paths that cannot leave it, and folders that are folders.

The spare lies beside the output from one build to the next. Were one of its folders replaced
by a symbolic link, writing or deleting a file below it would act on whatever the link leads
to: every folder a build writes or deletes in is checked once (``lstat``, never followed).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath

from generator.core.errors import ContentError, WriteRefused

#: Folders this process made or checked, in the directory being written (a check per file
#: cost more than the write). Cleared when a build prepares its directory.
_CHECKED: set[Path] = set()


def forget_folders() -> None:
    """Forget the folders checked so far (what an earlier build saw may have moved since)."""
    _CHECKED.clear()


def forget_folder(folder: Path) -> None:
    """Forget one folder (it was removed)."""
    _CHECKED.discard(folder)


def ensure_folder(folder: Path, root: Path) -> None:
    """Make ``folder`` (below ``root``) and the folders above it that are missing; refuse one
    that is there but is not a folder of its own (a symbolic link, a file)."""
    if folder in _CHECKED or folder == root:
        return
    _below(folder, root)
    ensure_folder(folder.parent, root)
    try:
        os.mkdir(folder)
    except FileExistsError:
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            raise WriteRefused(ContentError(str(folder), 0, _NOT_A_FOLDER)) from None
    _CHECKED.add(folder)


def check_folder(folder: Path, root: Path) -> bool:
    """True when ``folder`` (below ``root``) and those above it are folders, or missing
    (nothing below them to delete); refuse one that is a symbolic link or a file."""
    if folder in _CHECKED or folder == root:
        return True
    _below(folder, root)
    if not check_folder(folder.parent, root):
        return False
    try:
        mode = os.lstat(folder).st_mode
    except FileNotFoundError:
        return False
    if not stat.S_ISDIR(mode):
        raise WriteRefused(ContentError(str(folder), 0, _NOT_A_FOLDER))
    _CHECKED.add(folder)
    return True


def _below(folder: Path, root: Path) -> None:
    if root not in folder.parents:  # a bug in the caller: never act outside the directory
        raise WriteRefused(ContentError(str(folder), 0, f"is not inside {root}"))


_NOT_A_FOLDER = (
    "is not a folder (a symbolic link?): a build writes only into folders of its own; "
    "nothing was written through it, and the next build writes into a new staging directory"
)


def check_relative(path: str) -> None:
    """``safe_relative`` without building a path (it runs for every file written)."""
    if (
        not path
        or path[0] == "/"
        or "\\" in path
        or "\0" in path
        or "//" in path
        or path.endswith("/")
        or any(part in ("..", ".") for part in path.split("/"))
    ):
        safe_relative(path)


def safe_relative(path: str) -> PurePosixPath:
    """Refuse an output path that could land outside the output directory."""
    relative = PurePosixPath(path)
    if (
        not path
        or relative.is_absolute()
        or "\\" in path
        or "\0" in path
        or any(part in ("..", ".", "") for part in path.split("/"))
    ):
        raise WriteRefused(ContentError(path, 0, "refusing to write outside the output directory"))
    return relative
