"""How a refused build is judged, for the hardening test families.

A refused build must: exit with status 1; print one ``path:line: message`` line per cause and
the summary, no traceback; still report every other mistake of the run (each test plants
OTHER_MISTAKE beside the one it is about); leave the previous ``site/`` byte for byte as it
was; and write nothing outside the output and the cache. ``check`` must report the same
errors as the build.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The ``run_cli`` fixture: runs ``pressroom`` in-process, returns Run(status, out, err).
RunCli = Callable[..., Any]

ERROR_LINE_RE = re.compile(r"^(?:[^:\n]+:\d+|--[a-z-]+(?: [^\n]*?)?): .+$")
SUMMARY_RE = re.compile(r"build failed: (\d+) errors?; nothing was written")


@dataclass(frozen=True)
class Mistake:
    """An unrelated mistake planted beside the one a test is about: it must be reported too."""

    #: Site-relative file it is written into.
    file: str
    #: The text added to (or making up) that file.
    text: str
    #: The error line it must give, without its line number (found when planted).
    message: str
    #: Replace the file instead of appending to it.
    new_file: bool

    def plant(self, project: Path) -> str:
        """Write the mistake into ``project``; return the error line it must give."""
        path = project / self.file
        if self.new_file:
            path.write_text(self.text, encoding="utf-8")
            line = 1 + self.text.split("\n").index(
                next(x for x in self.text.split("\n") if x.startswith("sectors:"))
            )
        else:
            before = path.read_text(encoding="utf-8")
            path.write_text(before + self.text, encoding="utf-8")
            line = before.count("\n") + 1
        return f"{self.file}:{line}: {self.message}"


#: An article naming a sector that does not exist.
ARTICLE_MISTAKE = Mistake(
    "content/articles/2025/other-mistake.en.md",
    """---
title: "Another article with a mistake of its own"
date: 2025-08-26T09:00:00+09:00
sources: [{outlet: asiae, headline: T, url: 'https://e.com/n', published: 2025-08-26}]
sectors: [semiconductor]
---
Body.
""",
    "unknown sector 'semiconductor': not in content/taxonomies/sectors.yaml "
    "(did you mean 'semiconductors'?)",
    new_file=True,
)
#: A mistyped setting (for tests that break the content itself).
SETTINGS_MISTAKE = Mistake(
    "site.yaml",
    "feed_lenght: 5\n",
    "unknown setting 'feed_lenght' (did you mean 'feed_length'?)",
    new_file=False,
)


#: What a build may write besides its output: the cache, the lock, the spare and staging.
OWN = re.compile(r"(^|/)(\.pressroom-cache|\.site\.[a-z]+[^/]*)(/|$)")


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` (relative path → bytes); {} when it does not exist."""
    if not directory.is_dir():
        return {}
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def outside_files(top: Path, output: Path) -> dict[str, tuple[int, int]]:
    """Every path under ``top`` except the output and the build's own files, with its size
    and modification time: what a build must not create, change or remove."""
    found = {}
    for path in sorted(top.rglob("*")):
        rel = path.relative_to(top).as_posix()
        if path == output or output in path.parents or OWN.search(rel):
            continue
        try:
            st = path.lstat()
        except OSError:
            continue
        found[rel] = (st.st_size, st.st_mtime_ns)
    return found


def error_lines(err: str, status: int) -> list[str]:
    """The error lines of a cleanly refused build (exit 1, no traceback, a true summary)."""
    assert status == 1, f"expected the build to be refused:\n{err}"
    assert "Traceback" not in err, err
    lines = err.rstrip("\n").split("\n")
    summary = SUMMARY_RE.fullmatch(lines[-1])
    assert summary, f"the last line is not the summary:\n{err}"
    errors = lines[:-1]
    assert int(summary.group(1)) == len(errors), f"the summary miscounts:\n{err}"
    assert [e for e in errors if not ERROR_LINE_RE.match(e)] == [], err
    return errors


def check_lines(run_cli: RunCli, project: Path) -> list[str]:
    """The errors ``pressroom check`` reports, as ``path:line: message`` lines."""
    run = run_cli("check", "--source", project, "--format", "json")
    assert "Traceback" not in run.err, run.err
    report = json.loads(run.out)
    return [
        f"{d['path']}:{d['line']}: {d['message']}"
        for d in report["diagnostics"]
        if d["severity"] == "error"
    ]


def refused(
    run_cli: RunCli,
    project: Path,
    *args: str | Path,
    other: str,
    compare_check: bool = True,
) -> list[str]:
    """Build the broken ``project``, in which ``other`` (the line a planted Mistake gives) is
    a second mistake; assert it was refused as the module docstring says; return its other
    errors."""
    output = project / "site"
    site_before = snapshot(output)
    outside_before = outside_files(project.parent, output)

    run = run_cli("build", "--source", project, *args)

    errors = error_lines(run.err, run.status)
    assert other in errors, f"the other mistake of the run was not reported:\n{run.err}"
    assert snapshot(output) == site_before, "the previous site was changed"
    assert outside_files(project.parent, output) == outside_before, "files outside were written"
    if compare_check:
        assert sorted(check_lines(run_cli, project)) == sorted(errors)
    return [e for e in errors if e != other]


def assert_one(errors: Iterable[str], where: str, *fragments: str) -> None:
    """Exactly one error, at ``where`` ("path:line"), holding every fragment."""
    shown = "\n".join(errors)
    found = list(errors)
    assert len(found) == 1, f"expected one error at {where}, got:\n{shown}"
    assert found[0].startswith(f"{where}: "), f"expected an error at {where}, got:\n{shown}"
    for fragment in fragments:
        assert fragment in found[0], f"{fragment!r} missing from:\n{shown}"
