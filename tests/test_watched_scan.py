"""Builds told what a watcher saw (``serve``'s fast path): they look at the named paths alone.

``pressroom serve`` passes the build the paths its watcher saw change since its last good
build; the build then stats and reads those paths only and takes every other input as it
recorded it, and a build that looks at every input follows (``LiveSite.rebuild``). These
tests check that such a build makes exactly what a clean build makes whenever the watcher
named what changed, that it really looks at nothing else, that a symlinked input turns the
fast path off, and that ``serve`` shows a change its watcher missed after the second build;
also that the spare ``serve`` readies between builds is the live site, and that the next
build finishes a readying cut short.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from test_incremental import (
    ARTICLES,
    CHIPS,
    INVESTMENT,
    MASGA,
    RunCli,
    _give_figure,
    append_body,
    article,
    clean_build,
    differences,
    new_article,
    page,
    replace_text,
    tree,
    write,
)

import generator.build.inputs
import generator.build.writer
from generator.build.inputs import Scan
from generator.build.pipeline import build, published_now
from generator.build.records import InputRecord
from generator.build.spare import ready_spare
from generator.commands.live import LiveSite
from generator.core.files import FoundFile, SiteDir
from generator.core.layout import INPUT_DIRS

SEEN = "A sentence the watcher saw being written."
MISSED = "A sentence written where the watcher did not look."


@pytest.fixture
def full_walks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The input folders the builds' scans walked whole (``content``, ``templates``,
    ``locales``), in order. (A loader may walk its own folder; that is not counted.)"""
    walked: list[str] = []
    real_scan = generator.build.inputs.scan_inputs

    def counting_scan(site: SiteDir, previous: Mapping[str, InputRecord]) -> Scan:
        real_walk = site.walk

        def walk(rel_dir: str, *, suffix: str = "") -> tuple[list[FoundFile], list[Any]]:
            walked.append(rel_dir)
            return real_walk(rel_dir, suffix=suffix)

        site.walk = walk  # type: ignore[method-assign]
        try:
            return real_scan(site, previous)
        finally:
            del site.walk

    monkeypatch.setattr(generator.build.inputs, "scan_inputs", counting_scan)
    yield walked


def rel(project: Path, path: Path) -> str:
    return path.relative_to(project).as_posix()


def site_text(project: Path, path: str) -> str:
    return (project / "site" / path).read_text(encoding="utf-8")


def test_a_build_told_what_the_watcher_saw_looks_at_nothing_else(
    project: Path, full_walks: list[str]
) -> None:
    build(project, project / "site")
    seen, missed = article(project, MASGA, "en"), article(project, CHIPS, "en")
    append_body(seen, SEEN)
    append_body(missed, MISSED)
    full_walks.clear()

    build(project, project / "site", touched=[rel(project, seen)])

    assert full_walks == []
    assert SEEN in site_text(project, page("en", MASGA))
    assert MISSED not in site_text(project, page("en", CHIPS))
    # A build told nothing looks at every input, and finds what the watcher missed.
    build(project, project / "site")
    assert full_walks == list(INPUT_DIRS)
    assert MISSED in site_text(project, page("en", CHIPS))


def _add_folder(project: Path) -> list[str]:
    folder = project / "content" / "articles" / "2019"
    folder.mkdir()
    write(folder / "watched-addition.en.md", new_article("Watched Addition", "2019-05-02"))
    write(folder / "watched-addition.ko.md", new_article("감시된 추가", "2019-05-02"))
    return [rel(project, folder)]  # a watcher may report only the new folder


def _remove_folder(project: Path) -> list[str]:
    folder = project / "content" / "articles" / "2019"
    for file in folder.iterdir():
        file.unlink()
    folder.rmdir()
    return [rel(project, folder)]


def _rename(project: Path) -> list[str]:
    old, new = article(project, MASGA, "ko"), article(project, "masga-renamed", "ko")
    os.replace(old, new)
    return [rel(project, old), rel(project, new)]


def _body(project: Path) -> list[str]:
    path = article(project, CHIPS, "ko")
    append_body(path, "감시자가 본 문장.")
    return [rel(project, path)]


def _settings(project: Path) -> list[str]:
    replace_text(project / "site.yaml", "page_size: 10", "page_size: 3")
    return ["site.yaml"]


def _template(project: Path) -> list[str]:
    path = project / "templates" / "article.html"
    replace_text(path, "{% block content %}", "{% block content %}<!-- watched -->")
    return [rel(project, path)]


def _catalog(project: Path) -> list[str]:
    path = project / "locales/ko/LC_MESSAGES/messages.po"
    replace_text(path, 'msgstr "최신 요약"', 'msgstr "새 요약"')
    return [rel(project, path)]


def _folder_to_file(project: Path) -> list[str]:
    folder = project / "content" / "articles" / "2019"
    (folder / "watched-addition.en.md").unlink()
    (folder / "watched-addition.ko.md").unlink()
    folder.rmdir()
    write(folder, "a file where a folder of articles was")
    return [f"{rel(project, folder)}/watched-addition.en.md", rel(project, folder)]


def _file_to_folder(project: Path) -> list[str]:
    folder = project / "content" / "articles" / "2019"
    folder.unlink()
    return _add_folder(project)


def _debris(project: Path) -> list[str]:
    backup = project / ARTICLES / f"{CHIPS}.en.md~"
    write(backup, "an editor's backup, never an input")
    return [rel(project, backup)]


#: Edits in the order they are made, each returning the paths a watcher reports for it.
WATCHED_EDITS: list[tuple[str, Callable[[Path], list[str]]]] = [
    ("add a folder", _add_folder),
    ("body", _body),
    ("rename", _rename),
    ("settings", _settings),
    ("template", _template),
    ("catalog", _catalog),
    ("debris", _debris),
    ("folder to file", _folder_to_file),
    ("file to folder", _file_to_folder),
    ("remove a folder", _remove_folder),
]


def test_every_kind_of_edit_the_watcher_names_is_built_as_a_clean_build_makes_it(
    project: Path, run_cli: RunCli, tmp_path: Path, full_walks: list[str]
) -> None:
    build(project, project / "site")
    for name, edit in WATCHED_EDITS:
        touched = edit(project)
        full_walks.clear()
        build(project, project / "site", touched=touched)
        assert full_walks == [], name
        site = tree(project / "site")
        assert differences(site, clean_build(run_cli, project, tmp_path)) == [], name
        # Nothing was left for a build that looks at every input to find.
        assert build(project, project / "site").changed == 0, name


def test_a_file_put_back_as_it_was_after_a_change_the_watcher_missed_is_built_again(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    """What a loader made of files the scan had not looked at is not kept for later builds:
    its key would name the files as recorded, its result be made of them as they were."""
    base = project / "templates" / "base.html"
    original = base.read_text(encoding="utf-8")
    build(project, project / "site")
    write(base, original.replace("</body>", "<!-- missed -->\n</body>"))  # not reported
    build(project, project / "site", touched=_template(project))
    build(project, project / "site")  # the build that follows finds the missed change
    write(base, original)

    build(project, project / "site", touched=[rel(project, base)])

    assert "<!-- missed -->" not in site_text(project, page("en", MASGA))
    assert differences(tree(project / "site"), clean_build(run_cli, project, tmp_path)) == []


def test_an_input_reached_through_a_symlink_turns_the_watchers_paths_off(
    project: Path, full_walks: list[str]
) -> None:
    # The article's file lives in the site, outside the watched folders: a watcher sees
    # nothing when it is edited there, and the link's path never changes.
    shelf = project / "shelf"
    shelf.mkdir()
    linked = article(project, CHIPS, "en")
    os.replace(linked, shelf / linked.name)
    linked.symlink_to(os.path.relpath(shelf / linked.name, linked.parent))
    build(project, project / "site")
    append_body(shelf / linked.name, MISSED)
    full_walks.clear()

    build(project, project / "site", touched=[])

    assert full_walks == list(INPUT_DIRS)
    assert MISSED in site_text(project, page("en", CHIPS))


def test_a_symlinked_settings_file_turns_the_watchers_paths_off(
    project: Path, full_walks: list[str]
) -> None:
    conf = project / "conf"
    conf.mkdir()
    os.replace(project / "site.yaml", conf / "site.yaml")
    (project / "site.yaml").symlink_to("conf/site.yaml")
    build(project, project / "site")
    replace_text(conf / "site.yaml", "page_size: 10", "page_size: 3")  # no watcher sees it
    full_walks.clear()

    build(project, project / "site", touched=[])

    assert full_walks == list(INPUT_DIRS)
    assert (project / "site" / "en" / "page" / "1" / "index.html").is_file()


def served(project: Path, output: Path) -> LiveSite:
    """The site ``serve`` keeps (without its server and watcher), after its first build."""
    live = LiveSite(project, output, "http://127.0.0.1:8000/", drafts=False, future=False)
    live.rebuild()
    return live


def test_serve_builds_again_from_every_input_when_the_watchers_paths_fail(
    project: Path, tmp_path: Path
) -> None:
    live = served(project, tmp_path / "site")
    # The article now shows a figure the watcher did not report: a build that looked at the
    # article alone would find no such file.
    _give_figure(project)
    live.note_changes([rel(project, article(project, INVESTMENT, "en"))])

    outcome = live.rebuild()

    assert outcome.state.errors == ()
    assert (tmp_path / "site" / "media" / "roundtable.png").is_file()


def test_serve_shows_a_change_its_watcher_missed_after_the_build_that_follows(
    project: Path, tmp_path: Path
) -> None:
    live = served(project, tmp_path / "site")
    start = live.state().generation

    seen = article(project, MASGA, "en")
    append_body(seen, SEEN)
    live.note_changes([rel(project, seen)])
    live.rebuild()
    # One build, one reload: the build that followed found nothing more.
    assert live.state().generation == start + 1
    assert SEEN in (tmp_path / "site" / page("en", MASGA)).read_text(encoding="utf-8")

    append_body(seen, SEEN + " Again.")
    live.note_changes([rel(project, seen)])
    append_body(article(project, CHIPS, "en"), MISSED)  # the watcher says nothing of it
    outcome = live.rebuild()

    assert not outcome.state.errors
    # The pages of the first build, then those of the one that found the missed change.
    assert live.state().generation == start + 3
    assert not live.state().errors
    assert MISSED in (tmp_path / "site" / page("en", CHIPS)).read_text(encoding="utf-8")


def inodes(directory: Path) -> dict[str, int]:
    return {
        p.relative_to(directory).as_posix(): p.stat().st_ino
        for p in directory.rglob("*")
        if p.is_file()
    }


def test_a_spare_readied_between_builds_holds_the_live_site_and_the_next_build_is_clean(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    site, spare = project / "site", project / ".site.spare"
    selection = published_now()
    build(project, site, selection=selection)
    # A template edit changes every article page: the spare now lags behind by all of them.
    _template(project)
    build(project, site, selection=selection)
    assert inodes(spare) != inodes(site)

    assert ready_spare(project, site, None, selection) > 0
    assert inodes(spare) == inodes(site)  # hard links to the live files, nothing else
    assert ready_spare(project, site, None, selection) == 0

    append_body(article(project, MASGA, "en"), SEEN)
    report = build(project, site, selection=selection)
    assert report.changed < 20
    assert differences(tree(site), clean_build(run_cli, project, tmp_path)) == []


def test_a_readying_of_the_spare_cut_short_is_finished_by_the_next_build(
    project: Path, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, selection = project / "site", published_now()
    build(project, site, selection=selection)
    _template(project)
    build(project, site, selection=selection)

    real_replace = generator.build.writer._replace
    calls: list[Path] = []

    def killed_midway(path: Path, **how: Any) -> None:
        calls.append(path)
        if len(calls) == 3:
            raise OSError("killed while readying the spare")
        real_replace(path, **how)

    monkeypatch.setattr(generator.build.writer, "_replace", killed_midway)
    with pytest.raises(OSError):
        ready_spare(project, site, None, selection)
    assert len(calls) == 3
    monkeypatch.undo()

    append_body(article(project, MASGA, "en"), SEEN)
    build(project, site, selection=selection)
    assert differences(tree(site), clean_build(run_cli, project, tmp_path)) == []


def test_readying_the_spare_writes_nothing_where_the_cache_folder_leads_outside(
    project: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / ".pressroom-cache").symlink_to(outside)

    assert ready_spare(project, project / "site", None, published_now()) == 0

    assert list(outside.iterdir()) == []
