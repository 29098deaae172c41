"""Korean words for search are analysed once: by one analyzer process a build, kept in the store.

Kiwi's model is large (about 280 MB loaded): a build starts one analyzer process that all its
workers share, that process loads the model only when a word is new to the store, an edit
whose words the archive already holds needs no analyzer at all, and a long-lived process
(``serve``) keeps its analyzer from one build to the next. The analyzer is replaced here
by small stand-ins put first on PYTHONPATH (the analyzer process is a fresh interpreter, which
sees the environment the build runs in): one that notes each process that loads it, and one
that cannot be imported.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_project
from refusals import assert_one, error_lines, snapshot

import generator.build.produce
from generator.site.korean import WORD_RE

#: The ``run_cli`` fixture: runs ``pressroom`` in-process, returns Run(status, out, err).
RunCli = Callable[..., Any]

ARTICLE = "content/articles/2025/semiconductors-hbm-ai.ko.md"
STEMS = "ko/pagefind/2025-08/pressroom-stems.json"

#: Notes the pid of every process that makes a Kiwi; every word is one bare noun.
COUNTING_KIWI = """
import os


class _Token:
    def __init__(self, form, tag):
        self.form, self.tag = form, tag


class Kiwi:
    def __init__(self, **options):
        with open(os.environ["COUNTING_KIWI_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()}\\n")

    def tokenize(self, word):
        return [_Token(word, "NNG")]
"""

MISSING_KIWI = "raise ImportError(\"No module named 'kiwipiepy'\")\n"


def stand_in(root: Path, code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``code`` the kiwipiepy that builds import from now on."""
    package = root / "kiwipiepy"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(code, "utf-8")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]))


def append(project: Path, text: str) -> None:
    path = project / ARTICLE
    path.write_text(path.read_text("utf-8") + f"\n{text}\n", "utf-8")
    stamp = path.stat().st_mtime_ns + 10_000_000
    os.utime(path, ns=(stamp, stamp))


def stems(project: Path) -> set[str]:
    return set(json.loads((project / "site" / STEMS).read_text("utf-8"))["stems"])


def loads(log: Path) -> list[str]:
    return log.read_text("utf-8").split() if log.exists() else []


def test_one_analyzer_serves_every_worker_and_loads_only_for_new_words(
    run_cli: RunCli, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "kiwi.log"
    monkeypatch.setenv("COUNTING_KIWI_LOG", str(log))
    stand_in(tmp_path / "fake", COUNTING_KIWI, monkeypatch)
    # Workers even for the default site's few pages, as for an archive's thousands, and
    # sixteen Korean search parts (a part per year, and per month of the newest year), each
    # with a word of its own: more than one worker's share of the work.
    monkeypatch.setattr(generator.build.produce, "PARALLEL_PRODUCTS", 1)
    text = (project / ARTICLE).read_text("utf-8")
    months = [f"{year}-08" for year in range(2011, 2025)] + ["2025-06", "2025-07"]
    for month in months:
        moved = text.replace("date: 2025-08-", f"date: {month}-", 1)
        assert moved != text
        moved += f"\n시험{month.replace('-', '')}호\n"
        folder = project / "content" / "articles" / month[:4]
        folder.mkdir(exist_ok=True)
        (folder / f"chips-{month}.ko.md").write_text(moved, "utf-8")

    assert run_cli("build", "--source", project).status == 0
    assert len(loads(log)) == 1, "every worker loaded its own analyzer"
    assert loads(log)[0] != str(os.getpid()), "the model was loaded into the build itself"
    assert "반도체" in stems(project)

    # Words the archive already holds: the part is made again, no model is loaded.
    append(project, "반도체 반도체")
    assert run_cli("build", "--source", project).status == 0
    assert len(loads(log)) == 1

    # A word never seen before, in a build made in this process: the analyzer started for
    # it is kept for the next such build (as `serve` makes them), which loads nothing more.
    monkeypatch.setattr(generator.build.produce, "PARALLEL_PRODUCTS", 10_000)
    append(project, "초전도체시험")
    assert run_cli("build", "--source", project).status == 0
    assert len(loads(log)) == 2
    assert "초전도체시험" in stems(project)
    append(project, "초전도체실험")
    assert run_cli("build", "--source", project).status == 0
    assert len(loads(log)) == 2
    assert "초전도체실험" in stems(project)


def test_an_edit_with_known_words_builds_without_the_analyzer(
    run_cli: RunCli, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_cli("build", "--source", project).status == 0
    stand_in(tmp_path / "fake", MISSING_KIWI, monkeypatch)
    body = (project / ARTICLE).read_text("utf-8").rsplit("---\n", 1)[1]
    append(project, " ".join(reversed(WORD_RE.findall(body)[:12])))  # its own words
    assert run_cli("build", "--source", project).status == 0

    # The same inputs built from nothing, with the real analyzer, give the same site.
    monkeypatch.undo()
    clean = copy_project(tmp_path / "clean")
    (clean / ARTICLE).write_bytes((project / ARTICLE).read_bytes())
    assert run_cli("build", "--source", clean).status == 0
    assert snapshot(project / "site") == snapshot(clean / "site")


def test_a_new_word_without_the_analyzer_fails_saying_how_to_install_it(
    run_cli: RunCli, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_cli("build", "--source", project).status == 0
    before = snapshot(project / "site")
    stand_in(tmp_path / "fake", MISSING_KIWI, monkeypatch)
    append(project, "초전도체시험을")
    run = run_cli("build", "--source", project)
    errors = error_lines(run.err, run.status)
    assert_one(errors, "site.yaml:0", "kiwipiepy", "pip install -e .", "search: false")
    assert snapshot(project / "site") == before
