"""Nothing is lost: a build either replaces ``site/`` completely or leaves it exactly as it was.

The interrupted builds run as real processes: ``sabotage.py`` (written to the test's tmp_path)
imports the generator, hooks ``Path.open`` (the N-th file opened for writing) or
``generator.build.writer._exchange`` (the swap) so that the build stops there and waits, then
calls ``generator.commands.cli.main``. While it waits, the test sends it a signal, as a user
pressing Ctrl-C, a service manager (SIGTERM) or the OOM killer (SIGKILL) would, and then
compares ``site/`` byte for byte with what was there before.

Before every interrupted build the site's title changes and an article is added, so that the
interrupted build would have changed every page and added files: a site left as it was is
then proof that nothing of the interrupted build reached it.
"""

from __future__ import annotations

import errno
import pathlib
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import pytest
import yaml

from generator.build import writer as output
from generator.build.writer import build_lock

#: The ``run_cli`` fixture: runs ``pressroom`` in-process, returns Run(status, out, err).
RunCli = Callable[..., Any]

SUMMARY_RE = re.compile(r"build failed: \d+ errors?; nothing was written")
#: Directories a build leaves beside the output while it runs.
LEFTOVER_GLOBS = (".site.new-*", ".site.old-*")
#: Hang guard for every subprocess (not a timing assertion).
TIMEOUT = 20

ARTICLES = "content/articles/2025"
#: An article with a translation, deleted by the stale-file tests.
DELETED = "korea-us-business-roundtable"
#: An article the edits in these tests never touch.
UNRELATED = "semiconductors-hbm-ai"
EDITED = "nuclear-power-smr-energy-security"
#: An article added before the interrupted build.
ADDED = "added-later"

SABOTAGE = """\
\"\"\"Run pressroom, stopping at POINT until a signal arrives (or CONTROL/release appears).

usage: python sabotage.py POINT N CONTROL [pressroom arguments...]

POINT is where the build waits, the N-th time it gets there:
  before-write     before the N-th file of the new site is opened for writing
  mid-write        halfway through writing the N-th file of the new site
  before-exchange  right before the new site is swapped in (N is ignored)
  after-exchange   right after the swap, before the build tidies up (N is ignored)
  store-parse      inside the store's transaction, after the N-th parsed article is put
  store-record     inside the store's transaction, after the new site's files are recorded
The file CONTROL/paused is written when the build waits; it holds the path being written.
\"\"\"

import os
import pathlib
import sys
import time

import generator.build.store as store
import generator.build.writer as output
from generator.commands.cli import main

point, n, control = sys.argv[1], int(sys.argv[2]), pathlib.Path(sys.argv[3])
calls = 0


def wait_here(where=""):
    (control / "paused").write_text(str(where))
    deadline = time.monotonic() + 60
    while not (control / "release").exists():
        if time.monotonic() > deadline:
            os._exit(99)
        time.sleep(0.01)


class HalfWritten:
    def __init__(self, handle, path):
        self.handle = handle
        self.path = path

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.handle.close()

    def write(self, data):
        half = len(data) // 2
        self.handle.write(data[:half])
        self.handle.flush()
        wait_here(self.path)
        return half + self.handle.write(data[half:])


real_open = pathlib.Path.open


def open_(self, mode="r", *args, **kwargs):
    global calls
    writing = ("w" in mode or "x" in mode) and ".pressroom-cache" not in str(self)
    if writing and point in ("before-write", "mid-write"):
        calls += 1
        if calls == n and point == "before-write":
            wait_here(self)
        if calls == n and point == "mid-write":
            return HalfWritten(real_open(self, mode, *args, **kwargs), self)
    return real_open(self, mode, *args, **kwargs)


pathlib.Path.open = open_
real_exchange = output._exchange


def exchange(a, b):
    if point == "before-exchange":
        wait_here()
    swapped = real_exchange(a, b)
    if point == "after-exchange":
        wait_here()
    return swapped


output._exchange = exchange


def pause_after(method):
    real = getattr(store.Store, method)

    def paused(self, *args, **kwargs):
        global calls
        result = real(self, *args, **kwargs)
        calls += 1
        if calls == n:
            wait_here(method)
        return result

    setattr(store.Store, method, paused)


if point == "store-parse":
    pause_after("put_article_blob")
if point == "store-record":
    pause_after("put_outputs")
sys.exit(main(sys.argv[4:]))
"""


# --- helpers ---------------------------------------------------------------------------------


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` (relative path → bytes)."""
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def identities(directory: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``directory`` (relative path → (inode, mtime in ns))."""
    result = {}
    for p in sorted(directory.rglob("*")):
        if p.is_file():
            st = p.stat()
            result[p.relative_to(directory).as_posix()] = (st.st_ino, st.st_mtime_ns)
    return result


def leftovers(project: Path) -> list[str]:
    """Staging or retired directories beside the output."""
    return sorted(p.name for pattern in LEFTOVER_GLOBS for p in project.glob(pattern))


def build(run_cli: RunCli, project: Path, *args: str | Path) -> Any:
    """Run ``pressroom build`` on ``project`` in-process."""
    return run_cli("build", "--source", project, *args)


def built(run_cli: RunCli, project: Path) -> dict[str, bytes]:
    """Build ``project`` (which must succeed) and return its site."""
    run = build(run_cli, project)
    assert run.status == 0, run.err
    return snapshot(project / "site")


def fresh_build(run_cli: RunCli, project: Path, tmp_path: Path) -> dict[str, bytes]:
    """What a build of ``project``'s current inputs into an empty directory holds."""
    target = tmp_path / "fresh-output"
    run = build(run_cli, project, "--output", target)
    assert run.status == 0, run.err
    return snapshot(target)


def assert_failed_cleanly(run: Any) -> None:
    """Exit status 1, `path:line: message` lines and the summary, no traceback."""
    assert run.status == 1, run.out
    assert "Traceback" not in run.err, run.err
    assert SUMMARY_RE.fullmatch(run.err.rstrip("\n").split("\n")[-1]), run.err


def change_every_page(project: Path) -> None:
    """Edit the inputs so that a build would rewrite every page and add new ones."""
    path = project / "site.yaml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    settings["title"] = {"ko": "바뀐 프레스룸", "en": "Changed Pressroom"}
    path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    (project / ARTICLES / f"{ADDED}.en.md").write_text(
        "---\ntitle: Added later\ndate: 2025-08-28T09:00:00+09:00\nsectors: [ai]\n"
        "sources: [{outlet: asiae, headline: T, url: 'https://e.com/n', published: 2025-08-26}]\n"
        "---\nA new article.\n",
        encoding="utf-8",
    )


def insert_template_line(project: Path, name: str, after: str, line: str) -> int:
    """Insert ``line`` after the first line containing ``after``; return its line number."""
    path = project / "templates" / name
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, text in enumerate(lines) if after in text) + 1
    lines.insert(index, line)
    path.write_text("\n".join(lines), encoding="utf-8")
    return index + 1


@dataclass
class Sabotaged:
    """A build running in another process, stopped at a chosen point."""

    process: subprocess.Popen[str]
    control: Path

    def wait_until_paused(self) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not (self.control / "paused").exists():
            if self.process.poll() is not None:
                out, err = self.process.communicate()
                raise AssertionError(f"the build ended before pausing:\n{out}\n{err}")
            assert time.monotonic() < deadline, "the build never reached the pause point"
            time.sleep(0.01)

    def kill(self, signum: int) -> tuple[int, str]:
        """Send ``signum``; return the exit status (negative: killed by a signal) and stderr."""
        self.process.send_signal(signum)
        _, err = self.process.communicate(timeout=TIMEOUT)
        return self.process.returncode, err

    def release(self) -> tuple[int, str]:
        (self.control / "release").touch()
        _, err = self.process.communicate(timeout=TIMEOUT)
        return self.process.returncode, err


@pytest.fixture
def sabotage(tmp_path: Path) -> Iterator[Callable[..., Sabotaged]]:
    """Start ``pressroom build`` in a subprocess that stops at ``point`` (see SABOTAGE)."""
    script = tmp_path / "sabotage.py"
    script.write_text(SABOTAGE, encoding="utf-8")
    started: list[Sabotaged] = []

    def start(point: str, n: int, project: Path) -> Sabotaged:
        control = tmp_path / f"control-{len(started)}"
        control.mkdir()
        process = subprocess.Popen(
            [
                sys.executable,
                str(script),
                point,
                str(n),
                str(control),
                "build",
                f"--source={project}",
            ],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(Sabotaged(process, control))
        return started[-1]

    yield start
    for run in started:  # never leave a paused build behind, even when an assertion failed
        if run.process.poll() is None:
            run.process.kill()
            run.process.communicate()


def run_module(project: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m generator build --source project`` as a separate process."""
    return subprocess.run(
        [sys.executable, "-m", "generator", "build", "--source", str(project)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


# --- interrupted builds ----------------------------------------------------------------------

#: Where an interrupted build stops.
POINTS = [
    pytest.param("mid-write", 1, id="mid-write-of-first-file"),
    pytest.param("mid-write", 20, id="mid-write-after-19-files"),
    pytest.param("before-exchange", 0, id="right-before-the-swap"),
]
#: How many builds ran before the interrupted one (a later build may reuse what earlier ones
#: left beside the site, so both are covered).
HISTORIES = [
    pytest.param(1, id="second-build"),
    pytest.param(3, id="fourth-build"),
]
#: Signal → the exit status the user sees.
SIGNALS = [
    pytest.param(signal.SIGKILL, -signal.SIGKILL, id="SIGKILL"),
    pytest.param(signal.SIGTERM, 143, id="SIGTERM"),
    pytest.param(signal.SIGINT, 130, id="SIGINT"),
]


def build_history(run_cli: RunCli, project: Path, builds: int) -> dict[str, bytes]:
    """Build ``builds`` times, with a small edit before each rebuild; return the site."""
    site = built(run_cli, project)
    for number in range(1, builds):
        path = project / ARTICLES / f"{EDITED}.ko.md"
        text = path.read_text(encoding="utf-8") + f"\n추가 문장 {number}.\n"
        path.write_text(text, encoding="utf-8")
        site = built(run_cli, project)
    return site


def assert_next_build_recovers(run_cli: RunCli, project: Path, tmp_path: Path) -> None:
    """The next normal build succeeds, holds exactly the new site and cleans up."""
    site = built(run_cli, project)
    assert leftovers(project) == []
    assert site == fresh_build(run_cli, project, tmp_path)


@pytest.mark.parametrize("builds", HISTORIES)
@pytest.mark.parametrize(("point", "n"), POINTS)
@pytest.mark.parametrize(("signum", "status"), SIGNALS)
def test_interrupted_build_leaves_the_previous_site_byte_for_byte(
    project: Path,
    run_cli: RunCli,
    sabotage: Callable[..., Sabotaged],
    tmp_path: Path,
    signum: int,
    status: int,
    point: str,
    n: int,
    builds: int,
) -> None:
    before = build_history(run_cli, project, builds)
    change_every_page(project)

    build_run = sabotage(point, n, project)
    build_run.wait_until_paused()
    writing = (build_run.control / "paused").read_text()
    exit_status, err = build_run.kill(signum)

    assert exit_status == status, err
    assert "Traceback" not in err
    assert snapshot(project / "site") == before
    if writing:  # the half-written file was never inside the live site
        assert not Path(writing).resolve().is_relative_to((project / "site").resolve())
    if signum != signal.SIGKILL:
        assert leftovers(project) == [], "a signal that can be handled must clean up"
    assert_next_build_recovers(run_cli, project, tmp_path)


@pytest.mark.parametrize("builds", HISTORIES)
@pytest.mark.parametrize(("signum", "_status"), SIGNALS)
def test_signal_right_after_the_swap_leaves_the_complete_new_site(
    project: Path,
    run_cli: RunCli,
    sabotage: Callable[..., Sabotaged],
    tmp_path: Path,
    signum: int,
    _status: int,
    builds: int,
) -> None:
    build_history(run_cli, project, builds)
    change_every_page(project)
    expected = fresh_build(run_cli, project, tmp_path / "expected")

    build_run = sabotage("after-exchange", 0, project)
    build_run.wait_until_paused()
    build_run.kill(signum)

    assert snapshot(project / "site") == expected
    assert_next_build_recovers(run_cli, project, tmp_path)


@pytest.mark.parametrize("builds", HISTORIES)
def test_build_waiting_before_the_swap_has_not_touched_the_site(
    project: Path,
    run_cli: RunCli,
    sabotage: Callable[..., Sabotaged],
    tmp_path: Path,
    builds: int,
) -> None:
    """After a few builds the spare holds files of its own, which a build writes over in
    place, and links to the live files, which it must never write through."""
    before = build_history(run_cli, project, builds)
    change_every_page(project)
    expected = fresh_build(run_cli, project, tmp_path)

    build_run = sabotage("before-exchange", 0, project)
    build_run.wait_until_paused()
    during = snapshot(project / "site")
    status, err = build_run.release()

    assert during == before
    assert status == 0, err
    assert snapshot(project / "site") == expected


def fail_nth_write(monkeypatch: pytest.MonkeyPatch, n: int, error: BaseException) -> None:
    """Make the ``n``-th file the build opens for writing raise ``error``."""
    real_open = pathlib.Path.open
    calls = []

    def open_(self: pathlib.Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if ("w" in mode or "x" in mode) and ".pressroom-cache" not in str(self):
            calls.append(self)
            if len(calls) == n:
                raise error
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", open_)


@pytest.mark.parametrize("builds", HISTORIES)
def test_keyboard_interrupt_while_writing_exits_130_and_leaves_the_site(
    project: Path,
    run_cli: RunCli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    builds: int,
) -> None:
    before = build_history(run_cli, project, builds)
    change_every_page(project)

    fail_nth_write(monkeypatch, 10, KeyboardInterrupt())
    run = build(run_cli, project)
    monkeypatch.undo()

    assert run.status == 130
    assert "interrupted" in run.err
    assert snapshot(project / "site") == before
    assert leftovers(project) == []
    assert_next_build_recovers(run_cli, project, tmp_path)


@pytest.mark.parametrize("builds", HISTORIES)
def test_disk_full_while_writing_leaves_the_previous_site(
    project: Path,
    run_cli: RunCli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    builds: int,
) -> None:
    before = build_history(run_cli, project, builds)
    change_every_page(project)

    fail_nth_write(monkeypatch, 10, OSError(errno.ENOSPC, "No space left on device"))
    status = build_status(run_cli, project)
    monkeypatch.undo()

    assert status != 0
    assert snapshot(project / "site") == before
    assert leftovers(project) == []
    assert_next_build_recovers(run_cli, project, tmp_path)


# --- failed builds ---------------------------------------------------------------------------


def build_status(run_cli: RunCli, project: Path) -> int | None:
    """The exit status of an in-process build, or None when it raised."""
    try:
        return int(build(run_cli, project).status)
    except Exception:
        return None


def test_content_error_leaves_the_previous_site_byte_for_byte(
    project: Path, run_cli: RunCli
) -> None:
    before = built(run_cli, project)
    change_every_page(project)
    path = project / ARTICLES / f"{EDITED}.en.md"
    text = re.sub(r"(?m)^date: .*$", "date: yesterday", path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")

    run = build(run_cli, project)

    assert_failed_cleanly(run)
    assert f"{ARTICLES}/{EDITED}.en.md:3: 'date' must be an ISO 8601 date" in run.err
    assert snapshot(project / "site") == before
    assert leftovers(project) == []


def test_undefined_filter_in_a_template_is_reported_at_its_line(
    project: Path, run_cli: RunCli
) -> None:
    before = built(run_cli, project)
    line = insert_template_line(
        project, "article.html", "<h1", "<p>{{ article.title | no_such_filter }}</p>"
    )

    run = build(run_cli, project)

    assert_failed_cleanly(run)
    assert re.search(rf"^templates/article\.html:{line}: .*no_such_filter", run.err, re.M), run.err
    assert snapshot(project / "site") == before
    assert leftovers(project) == []


def test_next_build_after_a_template_error_succeeds(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    built(run_cli, project)
    template = project / "templates/article.html"
    good = template.read_text(encoding="utf-8")
    insert_template_line(project, "article.html", "<h1", "{{ article.title | no_such_filter }}")
    assert build(run_cli, project).status == 1
    template.write_text(good, encoding="utf-8")
    change_every_page(project)

    assert_next_build_recovers(run_cli, project, tmp_path)


def test_exception_in_a_template_filter_leaves_the_previous_site(
    project: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    before = built(run_cli, project)
    change_every_page(project)
    # Jinja's format filter raises TypeError: the title has no placeholder for the arguments.
    insert_template_line(project, "article.html", "<h1", "{{ article.title | format(1, 2) }}")

    result = run_module(project, tmp_path)

    assert result.returncode != 0
    assert snapshot(project / "site") == before
    assert leftovers(project) == []


def test_exception_in_a_template_filter_is_reported_at_its_template_line(
    project: Path, tmp_path: Path
) -> None:
    line = insert_template_line(
        project, "article.html", "<h1", "{{ article.title | format(1, 2) }}"
    )

    result = run_module(project, tmp_path)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr
    assert re.search(rf"^templates/article\.html:{line}: ", result.stderr, re.M), result.stderr


def test_exception_while_rendering_leaves_the_previous_site(
    project: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = built(run_cli, project)
    change_every_page(project)
    real_render = jinja2.Template.render
    calls = []

    def render(self: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        calls.append(self.name)
        if len(calls) == 5:
            raise RuntimeError("bug while rendering")
        return real_render(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", render)
    status = build_status(run_cli, project)

    assert calls, "the build rendered no template"
    assert status != 0
    assert snapshot(project / "site") == before
    assert leftovers(project) == []


# --- exactly the new site --------------------------------------------------------------------


def test_deleted_article_leaves_no_page_and_no_feed_entry(project: Path, run_cli: RunCli) -> None:
    built(run_cli, project)
    assert (project / f"site/en/articles/2025/{DELETED}/index.html").is_file()
    (project / ARTICLES / f"{DELETED}.en.md").unlink()

    site = built(run_cli, project)

    assert not (project / f"site/en/articles/2025/{DELETED}").exists()
    mentions = sorted(
        path for path, data in site.items() if f"en/articles/2025/{DELETED}/".encode() in data
    )
    assert mentions == []
    assert f"ko/articles/2025/{DELETED}/index.html" in site  # the translation stays


@pytest.mark.parametrize("builds", HISTORIES)
def test_rebuild_after_deletions_equals_a_build_into_an_empty_directory(
    project: Path, run_cli: RunCli, tmp_path: Path, builds: int
) -> None:
    first = build_history(run_cli, project, builds)
    for lang in ("ko", "en"):
        (project / ARTICLES / f"{DELETED}.{lang}.md").unlink()

    site = built(run_cli, project)

    assert site == fresh_build(run_cli, project, tmp_path)
    assert set(first) - set(site), "the deletion should have removed files"


# A build trusts its record of site/; `--verify` compares every file (test_incremental.py).


@pytest.mark.parametrize("builds", HISTORIES)
def test_file_added_to_the_output_by_hand_is_removed_by_verify(
    project: Path, run_cli: RunCli, tmp_path: Path, builds: int
) -> None:
    build_history(run_cli, project, builds)
    (project / "site/en/articles/2025/old-page").mkdir()
    (project / "site/en/articles/2025/old-page/index.html").write_text("stale", "utf-8")

    run = build(run_cli, project, "--verify")

    assert run.status == 0, run.err
    assert snapshot(project / "site") == fresh_build(run_cli, project, tmp_path)


@pytest.mark.parametrize("builds", HISTORIES)
def test_output_file_edited_by_hand_is_restored_by_verify(
    project: Path, run_cli: RunCli, tmp_path: Path, builds: int
) -> None:
    build_history(run_cli, project, builds)
    page = project / f"site/en/articles/2025/{UNRELATED}/index.html"
    page.write_text("defaced", encoding="utf-8")

    run = build(run_cli, project, "--verify")

    assert run.status == 0, run.err
    assert snapshot(project / "site") == fresh_build(run_cli, project, tmp_path)


def test_without_atomic_exchange_every_build_replaces_the_site_completely(
    project: Path, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    monkeypatch.setattr(output, "_exchange_supported", lambda: False, raising=False)
    built(run_cli, project)

    for number in range(3):
        (project / ARTICLES / f"{EDITED}.en.md").write_text(
            (project / ARTICLES / f"{EDITED}.en.md").read_text("utf-8") + f"\nEdit {number}.\n",
            "utf-8",
        )
        site = built(run_cli, project)

        assert site == fresh_build(run_cli, project, tmp_path / str(number))
        assert leftovers(project) == []


def test_first_build_creates_a_readable_output_directory(project: Path, run_cli: RunCli) -> None:
    site = built(run_cli, project)

    assert "index.html" in site
    assert "en/index.html" in site
    assert leftovers(project) == []
    assert (project / "site").stat().st_mode & 0o755 == 0o755


# --- unchanged files keep inode and mtime ----------------------------------------------------


@pytest.mark.parametrize("builds", [1, 2, 3])
def test_rebuild_without_changes_keeps_every_inode_and_mtime(
    project: Path, run_cli: RunCli, builds: int
) -> None:
    build_history(run_cli, project, builds)
    before = identities(project / "site")
    time.sleep(0.02)  # a rewritten file would get a later mtime

    built(run_cli, project)

    assert identities(project / "site") == before


@pytest.mark.parametrize("builds", [1, 2, 3])
def test_edited_article_page_changes_and_an_unrelated_page_keeps_inode_and_mtime(
    project: Path, run_cli: RunCli, builds: int
) -> None:
    build_history(run_cli, project, builds)
    before = identities(project / "site")
    edited_page = f"en/articles/2025/{EDITED}/index.html"
    unrelated_page = f"en/articles/2025/{UNRELATED}/index.html"
    source = project / ARTICLES / f"{EDITED}.en.md"
    source.write_text(
        source.read_text(encoding="utf-8") + "\nA freshly added closing sentence.\n", "utf-8"
    )
    time.sleep(0.02)

    site = built(run_cli, project)
    after = identities(project / "site")

    assert b"A freshly added closing sentence." in site[edited_page]
    assert after[edited_page] != before[edited_page]
    assert after[unrelated_page] == before[unrelated_page]
    assert after["static/style.css"] == before["static/style.css"]


@pytest.mark.parametrize("builds", [1, 2, 3])
def test_after_an_edit_exactly_the_files_whose_bytes_changed_get_new_inodes(
    project: Path, run_cli: RunCli, builds: int
) -> None:
    old_site = build_history(run_cli, project, builds)
    before = identities(project / "site")
    source = project / ARTICLES / f"{EDITED}.en.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")

    new_site = built(run_cli, project)
    after = identities(project / "site")

    changed = {p for p in new_site if old_site.get(p) != new_site[p]}
    replaced = {p for p in after if before.get(p) != after[p]}
    assert changed, "the edit should change some files"
    assert sorted(replaced - changed) == [], "same bytes, yet a new inode or mtime"
    assert sorted(changed - replaced) == [], "new bytes, yet the old inode and mtime"


# --- one build at a time ---------------------------------------------------------------------


def test_build_while_another_holds_the_lock_is_refused(project: Path, run_cli: RunCli) -> None:
    before = built(run_cli, project)
    change_every_page(project)

    with build_lock(project / "site"):
        run = build(run_cli, project)

    assert_failed_cleanly(run)
    assert "another build" in run.err
    assert snapshot(project / "site") == before
    assert leftovers(project) == []


def test_lock_is_released_after_a_build(project: Path, run_cli: RunCli) -> None:
    built(run_cli, project)

    with build_lock(project / "site"):  # raises BuildFailed if a build still held it
        pass


def test_second_process_is_refused_while_a_build_runs_and_the_first_completes(
    project: Path,
    run_cli: RunCli,
    sabotage: Callable[..., Sabotaged],
    tmp_path: Path,
) -> None:
    before = built(run_cli, project)
    change_every_page(project)
    expected = fresh_build(run_cli, project, tmp_path)

    first = sabotage("before-write", 30, project)
    first.wait_until_paused()
    second = run_module(project, tmp_path)
    during = snapshot(project / "site")
    status, err = first.release()

    assert second.returncode == 1
    assert "another build" in second.stderr
    assert "Traceback" not in second.stderr
    assert during == before
    assert status == 0, err
    assert snapshot(project / "site") == expected
    assert leftovers(project) == []


#: What a build killed at each point was writing: those tables must be as before.
STORE_WRITES = {"store-parse": ("articles",), "store-record": ("outputs", "targets", "products")}


@pytest.mark.parametrize("point", list(STORE_WRITES))
def test_a_build_killed_while_writing_the_store_leaves_a_usable_one(
    project: Path, run_cli: RunCli, sabotage: Callable[..., Sabotaged], tmp_path: Path, point: str
) -> None:
    before = built(run_cli, project)
    store = project / ".pressroom-cache" / "state.sqlite3"
    tables = STORE_WRITES[point]
    rows_before = stored_rows(store, tables)
    change_every_page(project)  # one article to parse, every page to record
    build_run = sabotage(point, 1, project)
    build_run.wait_until_paused()

    build_run.kill(signal.SIGKILL)

    # The killed transaction is rolled back: the store is whole and as the last build left it.
    connection = sqlite3.connect(store, isolation_level=None)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert dict(connection.execute("SELECT key, value FROM meta"))["format"]
    finally:
        connection.close()
    assert stored_rows(store, tables) == rows_before
    assert snapshot(project / "site") == before
    after = built(run_cli, project)
    assert after == fresh_build(run_cli, project, tmp_path)
    assert stored_rows(store, tables) != rows_before  # and the next build wrote it


def stored_rows(store: Path, tables: tuple[str, ...]) -> dict[str, list[tuple[Any, ...]]]:
    connection = sqlite3.connect(store, isolation_level=None)
    try:
        return {t: sorted(connection.execute(f"SELECT * FROM {t}")) for t in tables}
    finally:
        connection.close()


def test_lock_of_a_killed_build_does_not_block_the_next(
    project: Path, run_cli: RunCli, sabotage: Callable[..., Sabotaged]
) -> None:
    built(run_cli, project)
    change_every_page(project)
    build_run = sabotage("mid-write", 5, project)
    build_run.wait_until_paused()
    build_run.kill(signal.SIGKILL)

    run = build(run_cli, project)

    assert run.status == 0, run.err


def test_sigterm_handler_is_restored_after_an_in_process_build(
    project: Path, run_cli: RunCli
) -> None:
    previous = signal.getsignal(signal.SIGTERM)

    built(run_cli, project)

    assert signal.getsignal(signal.SIGTERM) is previous
