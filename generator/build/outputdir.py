"""Which output directories a build may replace: refused before anything is written, so that
a mistyped ``--output`` never costs a user a directory of their own."""

from __future__ import annotations

from pathlib import Path

from generator.build.writer import sibling
from generator.core.errors import ContentError, WriteRefused


def check_output_dir(output: Path, source: Path) -> None:
    """Refuse, before anything is written, an output that is not a missing path, an empty
    directory or a directory pressroom built: a build replaces it as a whole."""
    problem = output_problem(output, source)
    if problem:
        message = f"refusing to replace the output directory: it {problem}"
        raise WriteRefused(ContentError(f"--output {output}", 0, message))


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
    if has_files(out) and not (out.parent / sibling(out, "lock")).exists():
        return "already holds files that pressroom did not build there; empty it first"
    return None


#: Directories and files of a site that a build reads and must never replace.
SOURCE_DIRS = ("content", "templates", "locales")
SOURCE_FILES = ("site.yaml", ".pressroom-cache")


def has_files(path: Path) -> bool:
    """True when ``path`` is a directory that holds anything."""
    return path.is_dir() and any(path.iterdir())
