"""Errors with a place: every author mistake is a value, collected and reported together."""

from __future__ import annotations

import difflib
import errno
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True, order=True)
class ContentError:
    """One mistake in one input file, at a 1-based line (0: the whole file or directory)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        # One line per error, always: editors and CI parse path:line: message. Line 0 is a
        # whole file or a directory; a command-line option (--base-url) has no line.
        message = " ".join(self.message.split())
        if self.path.startswith("-"):
            return f"{self.path}: {message}"
        return f"{self.path}:{self.line}: {message}"


@dataclass(frozen=True, slots=True)
class Result(Generic[T]):
    """A stage's value and the errors it found (the value may be partial, or None, when
    there are errors: only the pipeline decides to stop)."""

    value: T
    errors: tuple[ContentError, ...] = ()


class BuildFailed(Exception):
    """Raised when a stage found errors; carries all of them, sorted by place."""

    def __init__(self, errors: Iterable[ContentError]) -> None:
        self.errors = sorted(set(errors))
        super().__init__(f"{len(self.errors)} error(s)")


class ProductProblem(Exception):
    """An author's mistake that only making a product reveals (an image file that is not an
    image): that product is not made, and the error is reported with every other."""

    def __init__(self, error: ContentError) -> None:
        self.error = error
        super().__init__(str(error))


@dataclass(slots=True)
class ErrorLog:
    """Collects errors across a whole stage so that one run reports every mistake."""

    errors: list[ContentError] = field(default_factory=list)

    def add(self, path: str | Path, line: int, message: str) -> None:
        """Record one error."""
        self.errors.append(ContentError(str(path), line, message))

    def extend(self, errors: Iterable[ContentError]) -> None:
        """Record errors found elsewhere."""
        self.errors.extend(errors)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def __iter__(self) -> Iterator[ContentError]:
        return iter(self.errors)


def did_you_mean(word: str, choices: Iterable[str] | Mapping[str, str]) -> str:
    """Return ' (did you mean 'x'?)' for the closest choices, or '' when none is close.

    With a mapping, the word is compared with its keys (ids and other spellings of a term)
    and the values (the ids) are suggested."""
    names = dict(choices) if isinstance(choices, Mapping) else {c: c for c in choices}
    close = difflib.get_close_matches(word, sorted(names), n=6, cutoff=0.6)
    suggested = list(dict.fromkeys(names[c] for c in close))[:3]
    if not suggested:
        return ""
    quoted = ", ".join(f"'{c}'" for c in suggested)
    return f" (did you mean {quoted}?)"


class WriteRefused(Exception):
    """The writer will not go on: the output is not ours, or is busy, or a path would leave it.
    The pipeline turns it into the build's error."""

    def __init__(self, error: ContentError) -> None:
        self.error = error
        super().__init__(str(error))

    def __reduce__(self) -> tuple[type[WriteRefused], tuple[ContentError]]:
        return (WriteRefused, (self.error,))  # raised in workers, pickled back


def write_problem(output: Path, exc: OSError) -> ContentError:
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
    return ContentError(f"--output {output}", 0, message)
