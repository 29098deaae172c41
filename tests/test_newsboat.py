"""A real feed reader imports the OPML files and shows what a reader expects in each feed.

newsboat (Debian's package, which ``.ci/setup-system`` installs) keeps one copy of an item
(one GUID) across all its feeds, in whichever feed loaded last: an OPML listing the archive's
feed with every term's left its main feed empty. Each OPML here is imported into a fresh
newsboat profile, fetched from the site served over HTTP, and its cache is read back.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import lxml.etree
import pytest
from browsing import serving
from conftest import copy_project

from generator.commands.cli import main


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The default site, built with the local server's URL as base_url, and served."""
    work = tmp_path_factory.mktemp("newsboat")
    out = work / "site"
    out.mkdir()
    with serving(out) as (_, base):
        project = copy_project(work / "project")
        status = main(["build", "--source", str(project), "--base-url", base, "--output", str(out)])
        assert status == 0
        yield out, base


def read_in_newsboat(opml: Path, home: Path) -> dict[str, int]:
    """Import ``opml`` into a new newsboat profile, fetch every feed; items per feed URL."""
    newsboat = shutil.which("newsboat")
    assert newsboat, "newsboat is needed (bash .ci/setup-system installs it)"
    home.mkdir()
    (home / "urls").touch()
    (home / "config").touch()
    base = [newsboat, "-u", str(home / "urls"), "-c", str(home / "cache.db"), "-C"]
    base.append(str(home / "config"))
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    for extra in (["-i", str(opml)], ["-x", "reload"]):
        done = subprocess.run(
            [*base, *extra], env=env, capture_output=True, text=True, timeout=120, check=False
        )
        assert done.returncode == 0, done.stderr + done.stdout
    with sqlite3.connect(home / "cache.db") as db:
        rows = db.execute("SELECT feedurl, count(*) FROM rss_item GROUP BY feedurl").fetchall()
    return {str(url): int(count) for url, count in rows}


def feed_urls(opml: Path) -> list[str]:
    root = lxml.etree.parse(str(opml)).getroot()
    return [str(o.get("xmlUrl")) for o in root.iter("outline") if o.get("type") == "rss"]


def items(feed: Path) -> int:
    return len(lxml.etree.parse(str(feed)).getroot().findall("./channel/item"))


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_importing_the_archive_opml_shows_the_whole_archive_in_its_feed(
    served: tuple[Path, str], tmp_path: Path, lang: str
) -> None:
    site, base = served
    found = read_in_newsboat(site / lang / "feeds.opml", tmp_path / "profile")
    assert found == {f"{base}{lang}/feed.xml": items(site / lang / "feed.xml")}
    assert found[f"{base}{lang}/feed.xml"] > 0


@pytest.mark.parametrize("taxonomy", ["sectors", "people", "sources"])
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_importing_a_term_opml_brings_every_item_of_its_feeds(
    served: tuple[Path, str], tmp_path: Path, lang: str, taxonomy: str
) -> None:
    site, base = served
    opml = site / lang / f"feeds-{taxonomy}.opml"
    urls = feed_urls(opml)
    assert urls and all(url.startswith(f"{base}{lang}/{taxonomy}/") for url in urls)
    found = read_in_newsboat(opml, tmp_path / "profile")
    assert set(found) <= set(urls)
    # One copy of an item per profile: an article in several sectors shows in one of them
    # only (newsboat's rule, which no feed can change), but none is lost.
    distinct = {
        guid.text
        for url in urls
        for guid in lxml.etree.parse(str(site / url.removeprefix(base))).iter("guid")
    }
    assert sum(found.values()) == len(distinct) > 0
