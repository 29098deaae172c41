"""A build reads only what lies inside its site directory, reads only regular files, and
writes only its output and its cache.

Every refusal is judged by ``refusals.refused``: exit status 1, one ``path:line: message`` per
cause, no traceback, a second planted mistake still reported, the previous ``site/`` byte for
byte as it was, nothing written outside the output and the cache, and ``check`` reporting the
same errors.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Run
from refusals import (
    ARTICLE_MISTAKE,
    SETTINGS_MISTAKE,
    Mistake,
    RunCli,
    assert_one,
    error_lines,
    refused,
    snapshot,
)

SECRET = "TOP-SECRET-OUTSIDE-THE-SITE"
OUTSIDE = "links to {} outside the site directory; it was not read"
ARTICLE = "content/articles/2025/semiconductors-hbm-ai.en.md"
#: Hang guard for builds that could block (FIFOs): the bound is not a timing assertion.
TIMEOUT = 60


@pytest.fixture
def built(project: Path, run_cli: RunCli) -> Path:
    """The default project, built once (so that there is a previous site to protect)."""
    assert run_cli("build", "--source", project).status == 0
    return project


def outside_copy(project: Path, rel: str) -> Path:
    """A copy of the site's ``rel`` outside the site directory, carrying SECRET."""
    source = project / rel
    target = project.parent / "outside" / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, target)
        for file in target.rglob("*"):
            if file.is_file() and file.suffix in (".html", ".po", ".md", ".yaml", ".css"):
                file.write_text(file.read_text("utf-8") + f"\n{SECRET}\n", "utf-8")
    else:
        target.write_text(source.read_text("utf-8").replace("Korea", SECRET), "utf-8")
    return target


def link_outside(project: Path, rel: str) -> None:
    """Replace the site's ``rel`` (a file or a directory) by a symlink to an outside copy."""
    target = outside_copy(project, rel)
    path = project / rel
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()
    path.symlink_to(target)


# --- symlinks that lead outside --------------------------------------------------------------

#: (what is linked, the error's place, "a file" or "a directory", the other planted mistake)
LINKED = [
    ("templates/base.html", "templates/base.html:1", "a file", ARTICLE_MISTAKE),
    ("templates/_macros.html", "templates/_macros.html:1", "a file", ARTICLE_MISTAKE),
    ("templates/feed.xml", "templates/feed.xml:1", "a file", ARTICLE_MISTAKE),
    ("templates/static/style.css", "templates/static/style.css:1", "a file", ARTICLE_MISTAKE),
    ("templates", "templates:0", "a directory", ARTICLE_MISTAKE),
    ("templates/static", "templates/static:0", "a directory", ARTICLE_MISTAKE),
    (
        "locales/ko/LC_MESSAGES/messages.po",
        "locales/ko/LC_MESSAGES/messages.po:1",
        "a file",
        ARTICLE_MISTAKE,
    ),
    ("locales", "locales:0", "a directory", ARTICLE_MISTAKE),
    ("locales/en", "locales/en:0", "a directory", ARTICLE_MISTAKE),
    ("site.yaml", "site.yaml:1", "a file", ARTICLE_MISTAKE),
    ("content", "content:0", "a directory", SETTINGS_MISTAKE),
    ("content/articles", "content/articles:0", "a directory", SETTINGS_MISTAKE),
    ("content/taxonomies", "content/taxonomies:0", "a directory", SETTINGS_MISTAKE),
    (
        "content/taxonomies/people.yaml",
        "content/taxonomies/people.yaml:1",
        "a file",
        SETTINGS_MISTAKE,
    ),
    (ARTICLE, f"{ARTICLE}:1", "a file", SETTINGS_MISTAKE),
]


@pytest.mark.parametrize(("rel", "where", "what", "other"), LINKED, ids=[x[0] for x in LINKED])
def test_input_linked_outside_the_site_is_refused_at_the_link(
    built: Path, run_cli: RunCli, rel: str, where: str, what: str, other: Mistake
) -> None:
    link_outside(built, rel)
    expected_other = other.plant(built)

    errors = refused(run_cli, built, other=expected_other)

    assert_one(errors, where, OUTSIDE.format(what))


def test_template_included_from_another_and_linked_to_the_environment_is_refused(
    built: Path, run_cli: RunCli
) -> None:
    # The attack of the hostile review: a template linked to /proc/self/environ, included
    # by another, put the CI's environment into every page.
    (built / "templates" / "environ.html").symlink_to("/proc/self/environ")
    article = built / "templates" / "article.html"
    article.write_text(
        article.read_text("utf-8").replace(
            "{% block content %}", '{% block content %}{% include "environ.html" %}', 1
        ),
        "utf-8",
    )
    other = ARTICLE_MISTAKE.plant(built)

    errors = refused(run_cli, built, other=other)

    assert_one(errors, "templates/environ.html:1", OUTSIDE.format("a file"))


def test_cache_directory_linked_outside_is_refused_and_not_read(
    built: Path, run_cli: RunCli
) -> None:
    cache = built / ".pressroom-cache"
    elsewhere = built.parent / "elsewhere-cache"
    shutil.move(cache, elsewhere)
    cache.symlink_to(elsewhere)
    before = snapshot(elsewhere)
    other = ARTICLE_MISTAKE.plant(built)

    errors = refused(run_cli, built, other=other)

    assert_one(errors, ".pressroom-cache:0", OUTSIDE.format("a directory"))
    assert snapshot(elsewhere) == before


def test_symlinks_inside_the_site_are_followed(project: Path, run_cli: RunCli) -> None:
    # Linking within the site is a way to organise it, not an escape.
    templates = project / "templates"
    (templates / "layouts").mkdir()
    shutil.move(templates / "article.html", templates / "layouts" / "article.html")
    (templates / "article.html").symlink_to(Path("layouts") / "article.html")
    shutil.move(project / "site.yaml", project / "content" / "settings.yaml")
    (project / "site.yaml").symlink_to(Path("content") / "settings.yaml")

    run = run_cli("build", "--source", project)

    assert run.status == 0, run.err
    page = project / "site/en/articles/2025/semiconductors-hbm-ai/index.html"
    assert "article-body" in page.read_text("utf-8")


# --- files that are not regular files --------------------------------------------------------


def run_module(project: Path, *args: str) -> Run:
    """``python -m generator`` in a subprocess: a build that blocks fails the test."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "generator", *args, "--source", str(project)],
            cwd=project.parent,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"pressroom {args[0]} did not finish within {TIMEOUT} s: it blocked")
    return Run(done.returncode, done.stdout, done.stderr)


def replace_with_fifo(project: Path, rel: str) -> None:
    path = project / rel
    if path.exists():
        path.unlink()
    os.mkfifo(path)


def replace_with_directory(project: Path, rel: str) -> None:
    path = project / rel
    path.unlink()
    path.mkdir()
    (path / "inside.txt").write_text("not a registry\n", "utf-8")


FIFO = "is a named pipe (FIFO), not a regular file"
DIRECTORY = "is a directory, not a file"

#: (how it is broken, the file, the error's place, its message, the other mistake)
NOT_REGULAR = [
    (replace_with_fifo, "content/articles/2025/pipe.en.md", ":1", FIFO, SETTINGS_MISTAKE),
    (replace_with_fifo, ARTICLE, ":1", FIFO, SETTINGS_MISTAKE),
    (replace_with_fifo, "templates/static/pipe.css", ":1", FIFO, ARTICLE_MISTAKE),
    (replace_with_fifo, "templates/article.html", ":1", FIFO, ARTICLE_MISTAKE),
    (replace_with_fifo, "site.yaml", ":1", FIFO, ARTICLE_MISTAKE),
    (replace_with_fifo, "locales/en/LC_MESSAGES/messages.po", ":1", FIFO, ARTICLE_MISTAKE),
    (replace_with_fifo, "content/taxonomies/sectors.yaml", ":1", FIFO, SETTINGS_MISTAKE),
    (replace_with_directory, "site.yaml", ":0", DIRECTORY, ARTICLE_MISTAKE),
    (replace_with_directory, "content/taxonomies/people.yaml", ":0", DIRECTORY, SETTINGS_MISTAKE),
    (
        replace_with_directory,
        "locales/ko/LC_MESSAGES/messages.po",
        ":0",
        DIRECTORY,
        ARTICLE_MISTAKE,
    ),
]


@pytest.mark.parametrize(
    ("breakage", "rel", "line", "message", "other"),
    NOT_REGULAR,
    ids=[f"{x[0].__name__}-{x[1]}" for x in NOT_REGULAR],
)
def test_input_that_is_not_a_regular_file_is_refused_without_blocking(
    built: Path,
    breakage: Callable[[Path, str], None],
    rel: str,
    line: str,
    message: str,
    other: Mistake,
) -> None:
    breakage(built, rel)
    expected_other = other.plant(built)
    before = snapshot(built / "site")

    run = run_module(built, "build")

    errors = error_lines(run.err, run.status)
    assert expected_other in errors
    assert_one([e for e in errors if e != expected_other], f"{rel}{line}", message)
    assert snapshot(built / "site") == before
    checked = run_module(built, "check", "--format", "json")
    diagnostics = json.loads(checked.out)["diagnostics"]
    reported = [d for d in diagnostics if d["severity"] == "error"]
    assert sorted(f"{d['path']}:{d['line']}: {d['message']}" for d in reported) == sorted(errors)


def test_check_reports_a_fifo_article_without_blocking(built: Path) -> None:
    replace_with_fifo(built, "content/articles/2025/pipe.en.md")

    run = run_module(built, "check")

    assert run.status == 1
    assert f"content/articles/2025/pipe.en.md:1:1: error: {FIFO}" in run.out


@pytest.mark.parametrize(
    ("name", "target", "message"),
    [
        ("gone.en.md", "no-such-file.en.md", "is a symlink to something that does not exist"),
        ("loop.en.md", "loop.en.md", "is a symlink that leads back to itself (a loop)"),
        ("ping.en.md", "pong.en.md", "is a symlink that leads back to itself (a loop)"),
    ],
    ids=["dangling", "self-loop", "two-link-loop"],
)
def test_broken_article_symlink_is_refused_at_its_path(
    built: Path, run_cli: RunCli, name: str, target: str, message: str
) -> None:
    folder = built / "content/articles/2025"
    (folder / name).symlink_to(target)
    if name == "ping.en.md":
        (folder / "pong.en.md").symlink_to("ping.en.md")
    other = SETTINGS_MISTAKE.plant(built)

    errors = refused(run_cli, built, other=other)

    assert f"content/articles/2025/{name}:1: {message}" in errors
    assert all(message in e for e in errors)


@pytest.mark.parametrize(
    "name",
    [
        ".#semiconductors-hbm-ai.en.md",  # Emacs lock: a dangling symlink
        "#semiconductors-hbm-ai.en.md#",  # Emacs autosave
        ".semiconductors-hbm-ai.en.md.swp",  # Vim swap file
        "semiconductors-hbm-ai.en.md~",  # backup
        "4913",  # Vim's write test
    ],
)
def test_editor_debris_beside_inputs_is_not_an_input(
    built: Path, run_cli: RunCli, name: str
) -> None:
    for folder in ("content/articles/2025", "templates", "templates/static", "locales/ko"):
        path = built / folder / name
        if name.startswith(".#"):
            path.symlink_to("user@host.12345:1700000000")
        else:
            path.write_bytes(b"\x00\x01 editor state, not text \xff")

    first = run_cli("build", "--source", built)
    second = run_cli("build", "--source", built)

    assert first.status == 0, first.err
    assert second.status == 0, second.err
    assert not [p for p in (built / "site").rglob("*") if p.name == name]


# --- the output: only a directory pressroom built, or nothing --------------------------------


def test_output_naming_the_settings_file_is_refused_before_anything_is_written(
    built: Path, run_cli: RunCli
) -> None:
    settings = (built / "site.yaml").read_bytes()
    entries = sorted(p.name for p in built.parent.rglob("*"))

    run = run_cli("build", "--source", built, "--output", built / "site.yaml")

    errors = error_lines(run.err, run.status)
    assert errors == [
        f"--output {built / 'site.yaml'}: refusing to replace the output directory: "
        "it is a file, not a directory"
    ]
    assert (built / "site.yaml").read_bytes() == settings
    assert sorted(p.name for p in built.parent.rglob("*")) == entries
    assert run_cli("build", "--source", built).status == 0


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda top: top / "notes.txt", "it is a file, not a directory"),
        (lambda top: top / "notes.txt" / "site", "which is a file"),
        (lambda top: top / "notes.txt" / "deeper" / "site", "which is a file"),
        (lambda top: top / "link-to-dir", "it is a symbolic link"),
        (lambda top: top / "foreign", "already holds files that pressroom did not build"),
        (lambda top: top / "project" / "content" / "media", "is inside the site's sources"),
        (lambda top: top / "project", "contains the site's sources"),
    ],
    ids=["a-file", "below-a-file", "two-below-a-file", "a-symlink", "foreign", "sources", "top"],
)
def test_output_that_is_not_ours_to_replace_is_refused_and_left_alone(
    built: Path, run_cli: RunCli, make: Callable[[Path], Path], problem: str
) -> None:
    top = built.parent
    (top / "notes.txt").write_text("a file of the user's\n", "utf-8")
    (top / "real-dir").mkdir()
    (top / "link-to-dir").symlink_to(top / "real-dir")
    (top / "foreign").mkdir()
    (top / "foreign" / ".profile").write_text("only a dotfile\n", "utf-8")
    output = make(top)
    before = {p: p.read_bytes() for p in top.rglob("*") if p.is_file() and not p.is_symlink()}

    run = run_cli("build", "--source", built, "--output", output)

    errors = error_lines(run.err, run.status)
    assert len(errors) == 1 and errors[0].startswith(f"--output {output}: "), run.err
    assert problem in errors[0]
    after = {p: p.read_bytes() for p in top.rglob("*") if p.is_file() and not p.is_symlink()}
    assert after == before


# --- the output's file system ----------------------------------------------------------------

#: Runs a shell script in a private mount namespace, where it may mount a small tmpfs.
NAMESPACE = (
    ["unshare", "--mount", "--propagation", "private"]
    if os.geteuid() == 0
    else ["unshare", "--user", "--map-root-user", "--mount"]
)

FS_SCRIPT = r"""
set -eu
mount -t tmpfs -o size=8m tmpfs "$DISK"
"$PYTHON" -m generator build --source "$PROJECT" --output "$DISK/site" >/dev/null
(cd "$DISK/site" && find . -type f | sort | xargs sha256sum) > "$WORK/before.txt"
printf '\nOne more sentence.\n' >> "$PROJECT/content/articles/2025/semiconductors-hbm-ai.en.md"
case "$BREAK" in
  full) dd if=/dev/zero of="$DISK/filler" bs=64k 2>/dev/null || true ;;
  read-only) mount -o remount,ro "$DISK" ;;
esac
status=0
"$PYTHON" -m generator build --source "$PROJECT" --output "$DISK/site" \
  >"$WORK/out.txt" 2>"$WORK/err.txt" || status=$?
echo "$status" > "$WORK/status.txt"
(cd "$DISK/site" && find . -type f | sort | xargs sha256sum) > "$WORK/after.txt"
"""


@pytest.mark.parametrize(
    ("breakage", "reason"),
    [("full", "the disk is full"), ("read-only", "the file system is read-only")],
)
def test_output_file_system_that_refuses_writes_is_one_line_and_the_old_site_survives(
    project: Path, tmp_path: Path, breakage: str, reason: str
) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    env = {
        **os.environ,
        "DISK": str(disk),
        "PROJECT": str(project),
        "WORK": str(tmp_path),
        "PYTHON": sys.executable,
        "BREAK": breakage,
    }

    done = subprocess.run(
        [*NAMESPACE, "sh", "-c", FS_SCRIPT], env=env, capture_output=True, text=True, timeout=300
    )

    assert done.returncode == 0, done.stderr
    err = (tmp_path / "err.txt").read_text("utf-8")
    errors = error_lines(err, int((tmp_path / "status.txt").read_text()))
    assert len(errors) == 1, err
    assert errors[0].startswith(f"--output {disk / 'site'}: cannot write: {reason}"), err
    assert "the previous site was left as it was" in errors[0]
    before = (tmp_path / "before.txt").read_text()
    assert before.count("\n") > 100
    assert (tmp_path / "after.txt").read_text() == before
