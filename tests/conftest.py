"""Shared fixtures: the default site built once, and disposable copies of the project to break."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

# Shared assertion helpers get pytest's detailed failure messages too.
pytest.register_assert_rewrite("refusals")

from generator.commands.cli import main  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
#: What a site directory holds (everything a build reads).
SITE_INPUTS = ("site.yaml", "content", "templates", "locales")


@dataclass(frozen=True)
class Run:
    """The outcome of one command-line run."""

    status: int
    out: str
    err: str


def copy_project(dest: Path) -> Path:
    """Copy the project's site inputs to ``dest`` and return it."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in SITE_INPUTS:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh, writable copy of the default site's inputs."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run ``pressroom`` in-process with the given arguments."""

    def run(*args: str | Path) -> Run:
        status = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default content built once with its own base_url; tests must not modify it."""
    project = copy_project(tmp_path_factory.mktemp("default") / "project")
    assert main(["build", "--source", str(project)]) == 0
    return project / "site"


@pytest.fixture(scope="session")
def subpath_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default content built to be served under https://example.org/archive/."""
    project = copy_project(tmp_path_factory.mktemp("subpath") / "project")
    status = main(["build", "--source", str(project), "--base-url", "https://example.org/archive/"])
    assert status == 0
    return project / "site"
