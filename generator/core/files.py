"""The site directory as a build sees it: every input is read through this one gate.

A build, ``check`` and ``serve`` read only what lies inside the site directory. A symlink is
followed when it leads somewhere inside (an article folder linked from another place in the
site), and refused, at the link, when it leads outside: a template linked to
``/proc/self/environ`` must never put the environment into a page. Only regular files are
read, opened without blocking, so that a FIFO named ``x.en.md`` cannot hang a build. Editor
debris (lock files, swap files, backups) is not an input and is skipped; anything else that
cannot be read is an error with its path.

Errors concern a file (line 1: its place is the whole file) or a directory (line 0).
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from generator.core.errors import ContentError

#: Characters no page or feed may hold: C0 controls but tab and newline, DEL, C1 controls and
#: Unicode noncharacters. XML forbids most of them outright (one in a feed makes it unreadable)
#: and HTML calls all of them errors; they arrive invisibly, pasted from word processors.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff"
    + "".join(chr(plane * 0x10000 + low) for plane in range(1, 17) for low in (0xFFFE, 0xFFFF))
    + "]"
)
_NAMES = {
    0x00: "NUL",
    0x07: "bell",
    0x08: "backspace",
    0x0B: "vertical tab",
    0x0C: "form feed",
    0x1B: "escape",
    0x7F: "delete",
}

OUTSIDE = "links to {what} outside the site directory; it was not read"


#: What editors and tools leave beside real files while they work: Emacs lock files
#: (``.#x.md``, often dangling symlinks) and autosaves (``#x.md#``), Vim swap files
#: (``.x.md.swp``) and its write test (``4913``), backups (``x.md~``), LibreOffice locks
#: (``.~lock.x#``), and macOS metadata (``.DS_Store``, ``._x.md``).
DEBRIS = re.compile(r"\.#.*|#.*#|.*~|\..*\.sw[a-p]|4913|\.~lock\..*|\.DS_Store|\._.*")


def is_debris(name: str) -> bool:
    """True for a file name that is never an input (see DEBRIS)."""
    return DEBRIS.fullmatch(name) is not None


class FoundFile(NamedTuple):
    """A regular file found under the site directory (a named tuple: a walk makes
    thousands)."""

    #: Path relative to the site directory, with "/" separators.
    rel: str
    size: int
    mtime_ns: int
    #: Change time and inode: what ``touch -d`` or ``rsync -t`` cannot set back.
    ctime_ns: int = 0
    inode: int = 0


class SiteDir:
    """Reads files of one site directory, refusing whatever lies or leads outside it."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.root = Path(os.path.realpath(source))
        #: Directory (relative) → its problem, or None when it is safely inside.
        self._dirs: dict[str, ContentError | None] = {"": None, ".": None}
        #: True once a walk has passed a symbolic link: a file watcher does not see changes
        #: made through one (see inputs.rescan).
        self.linked = False

    # -- where a path leads -------------------------------------------------------------

    def _inside(self, real: str) -> bool:
        return Path(real).is_relative_to(self.root)

    def directory_problem(self, rel: str) -> ContentError | None:
        """Why the directory ``rel`` (or one above it) may not be read; None when it may.

        The problem is reported at the component that leads outside, so that a symlinked
        ``content/`` is one error, not one per file below it.
        """
        rel = _clean(rel)
        if rel in self._dirs:
            return self._dirs[rel]
        parent = str(PurePosixPath(rel).parent)
        problem = self.directory_problem(parent)
        if problem is None:
            path = self.source / rel
            if path.is_symlink():
                self.linked = True
                problem = self._link_problem(rel, "a directory")
        self._dirs[rel] = problem
        return problem

    def _link_problem(self, rel: str, what: str) -> ContentError | None:
        """Why the symlink at ``rel`` may not be followed, if it may not."""
        line = 0 if what == "a directory" else 1
        try:
            real = os.path.realpath(self.source / rel, strict=True)
        except FileNotFoundError:
            return ContentError(rel, line, "is a symlink to something that does not exist")
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return ContentError(rel, line, "is a symlink that leads back to itself (a loop)")
            return ContentError(rel, line, f"cannot be read: {exc.strerror}")
        if not self._inside(real):
            return ContentError(rel, line, OUTSIDE.format(what=what))
        return None

    def check_file(self, rel: str) -> ContentError | None:
        """Why the file ``rel`` may not be read (outside, dangling, not a regular file)."""
        rel = _clean(rel)
        problem = self.directory_problem(str(PurePosixPath(rel).parent))
        if problem is not None:
            return problem
        path = self.source / rel
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            return None  # missing: the caller says what a missing file means
        except OSError as exc:
            return ContentError(rel, 1, f"cannot be read: {exc.strerror}")
        if stat.S_ISLNK(st.st_mode):
            return self._link_problem(rel, "a file")
        return None

    # -- reading ------------------------------------------------------------------------

    def exists(self, rel: str) -> bool:
        """True when something (even a broken link) is at ``rel``."""
        return os.path.lexists(self.source / rel)

    def is_dir(self, rel: str) -> bool:
        """True when ``rel`` is a directory that may be read."""
        return self.directory_problem(rel) is None and (self.source / rel).is_dir()

    def read(self, rel: str, *, limit: int) -> bytes | ContentError | None:
        """The bytes of the regular file ``rel`` (None when nothing is there).

        Refused: links leading outside or nowhere, directories, FIFOs, devices and sockets,
        and files larger than ``limit`` bytes.
        """
        rel = _clean(rel)
        problem = self.check_file(rel)
        if problem is not None:
            return problem
        try:
            # O_NONBLOCK: opening a FIFO must not wait for a writer that never comes.
            fd = os.open(
                self.source / rel, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
            )
        except FileNotFoundError:
            return None
        except IsADirectoryError:
            return ContentError(rel, 0, "is a directory, not a file")
        except OSError as exc:
            return ContentError(rel, 1, f"cannot be read: {exc.strerror}")
        try:
            st = os.fstat(fd)
            if stat.S_ISDIR(st.st_mode):
                return ContentError(rel, 0, "is a directory, not a file")
            if not stat.S_ISREG(st.st_mode):
                return ContentError(rel, 1, f"is {_kind(st.st_mode)}, not a regular file")
            if st.st_size > limit:
                return ContentError(
                    rel, 1, f"is {_size(st.st_size)}; at most {_size(limit)} is read"
                )
            with os.fdopen(fd, "rb", closefd=False) as handle:
                data = handle.read(limit + 1)
        except OSError as exc:
            return ContentError(rel, 1, f"cannot be read: {exc.strerror}")
        finally:
            os.close(fd)
        if len(data) > limit:  # grew while being read
            return ContentError(rel, 1, f"is larger than {_size(limit)}")
        return data

    def walk(self, rel_dir: str, *, suffix: str = "") -> tuple[list[FoundFile], list[ContentError]]:
        """Every regular file below ``rel_dir`` whose name ends in ``suffix``, sorted, and an
        error for everything else there that looks like an input but cannot be read.

        Symlinked directories inside the site are followed, each real directory once (no
        cycles); editor debris is skipped.
        """
        found: list[FoundFile] = []
        errors: list[ContentError] = []
        top = _clean(rel_dir)
        problem = self.directory_problem(top)
        if problem is not None:
            return [], [problem]
        if not (self.source / top).is_dir():
            return [], []
        seen: set[str] = set()
        for entry_rel, entry in self._entries(top, seen, errors):
            if entry.name.endswith(suffix):
                self._classify(entry_rel, entry.path, entry.is_symlink(), found, errors)
        found.sort(key=lambda f: f.rel)
        return found, errors

    def look(self, rel: str) -> tuple[list[FoundFile], list[ContentError]]:
        """What a walk of the folder above would find at ``rel``: the files below it if it
        is a folder, itself if it is a file, nothing if it is gone or editor debris; and the
        errors that walk would report there."""
        rel = _clean(rel)
        if any(is_debris(part) for part in PurePosixPath(rel).parts):
            return [], []
        problem = self.directory_problem(str(PurePosixPath(rel).parent))
        if problem is not None:
            return [], [problem]
        try:
            st = os.lstat(self.source / rel)
        except (FileNotFoundError, NotADirectoryError):  # gone, or a file where a folder was
            return [], []
        except OSError:
            return [], [ContentError(rel, 1, "cannot be read")]
        path = os.path.join(self.source, rel)
        is_link = stat.S_ISLNK(st.st_mode)
        if stat.S_ISDIR(st.st_mode) or (is_link and os.path.isdir(path)):
            self.linked = self.linked or is_link
            return self.walk(rel)
        found: list[FoundFile] = []
        errors: list[ContentError] = []
        self._classify(rel, path, is_link, found, errors)
        return found, errors

    def _classify(
        self,
        rel: str,
        path: str,
        is_link: bool,
        found: list[FoundFile],
        errors: list[ContentError],
    ) -> None:
        """Add the file at ``rel`` (``path``) to ``found``, or why it cannot be read to
        ``errors``."""
        try:
            st = os.stat(path)
        except OSError:
            st = None
        if is_link:
            self.linked = True
            link = self._link_problem(rel, "a file")
            if link is not None:
                errors.append(link)
                return
        if st is None:
            errors.append(ContentError(rel, 1, "cannot be read"))
        elif stat.S_ISREG(st.st_mode):
            found.append(FoundFile(rel, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
        else:
            errors.append(ContentError(rel, 1, f"is {_kind(st.st_mode)}, not a regular file"))

    def _entries(
        self, rel_dir: str, seen: set[str], errors: list[ContentError]
    ) -> Iterator[tuple[str, os.DirEntry[str]]]:
        """The non-directory entries below ``rel_dir``, depth first, directories followed."""
        real = os.path.realpath(self.source / rel_dir)
        if real in seen:
            return
        seen.add(real)
        try:
            with os.scandir(self.source / rel_dir) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            errors.append(ContentError(rel_dir, 0, f"cannot be listed: {exc.strerror}"))
            return
        for entry in entries:
            if is_debris(entry.name):
                continue
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError:
                is_dir = False
            if is_dir:
                self.linked = self.linked or entry.is_symlink()
                problem = self.directory_problem(rel)
                if problem is not None:
                    errors.append(problem)
                    continue
                yield from self._entries(rel, seen, errors)
            else:
                yield rel, entry


def _clean(rel: str) -> str:
    text = PurePosixPath(rel).as_posix()
    return "" if text == "." else text


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a regular file"


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"


def describe_character(char: str) -> str:
    """'control character U+000B (vertical tab)', 'noncharacter U+FFFE'."""
    code = ord(char)
    name = _NAMES.get(code)
    shown = f"U+{code:04X}" + (f" ({name})" if name else "")
    return f"noncharacter {shown}" if code >= 0xFDD0 else f"control character {shown}"


def character_problem(char: str) -> str:
    """What to tell an author about a character FORBIDDEN matched."""
    return (
        f"{describe_character(char)} is not allowed in pages or feeds: delete it "
        "(it often comes with text pasted from a word processor)"
    )


def decode_text(data: bytes, rel: str, *, first_line: int = 1) -> str | ContentError:
    """UTF-8 text with LF line ends (a BOM is dropped), or the first reason it is not text:
    a NUL byte, a byte that is not UTF-8, a control character, each at its line."""
    if b"\0" in data:
        line = data[: data.index(b"\0")].count(b"\n") + first_line
        return ContentError(rel, line, "binary file: not text (it contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + first_line
        return ContentError(
            rel,
            line,
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded; "
            "save the file as UTF-8",
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = FORBIDDEN.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + first_line
        return ContentError(rel, line, character_problem(bad.group()))
    return text
