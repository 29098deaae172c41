"""Errors with a place: every author mistake is a value, collected and reported together."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
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


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ' (did you mean 'x'?)' for the closest choices, or '' when none is close."""
    close = difflib.get_close_matches(word, sorted(choices), n=3, cutoff=0.6)
    if not close:
        return ""
    quoted = ", ".join(f"'{c}'" for c in close)
    return f" (did you mean {quoted}?)"
