"""Incremental builds: whatever changed, the site equals a build of the same inputs from scratch.

Every test builds a copy of the default site, edits its inputs, builds again (reusing
``.pressroom-cache/``, the previous ``site/`` and the ``.site.spare`` beside it) and compares
the result, path for path and byte for byte, with a clean build: the same inputs copied into
another directory, without cache or previous site, built once.

Besides equality, an incremental build must be incremental: its report line
``<files> files in <dir> (<changed> changed) in <s> s`` counts only the files whose bytes
changed, those files get a new inode or modification time, and every other file keeps both
(rsync-style deploys rely on that).

Edits move the edited file's modification time forward explicitly (see ``write``): the no-op
path compares the size and modification time of every input, and two writes within one tick of
the file system's clock would otherwise look alike. ``test_same_size_edit_with_restored_mtime_*``
show what happens when they do.
"""

from __future__ import annotations

import gc
import json
import os
import pickle
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml
from conftest import SITE_INPUTS

import generator.build.inputs
import generator.build.load
import generator.build.produce
import generator.build.remembered
import generator.build.store
import generator.core.files
from generator.build.database import loads
from generator.core.digest import digest

#: The ``run_cli`` fixture: runs ``pressroom`` in-process, returns Run(status, out, err).
RunCli = Callable[..., Any]

ARTICLES = "content/articles/2025"
CACHE_DIR = ".pressroom-cache"
SPARE = ".site.spare"
#: Directories a build leaves beside the output only while it runs.
LEFTOVER_GLOBS = (".site.new-*", ".site.old-*")
#: The last line of a successful build.
REPORT_RE = re.compile(r"^(\d+) files in (.+) \((\d+) changed\) in (\d+\.\d+) s$")
BASE = "https://example.github.io/pressroom"


# --- helpers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """The figures of a build's report line."""

    files: int
    output: str
    changed: int
    #: What each language holds (the table printed above the report line).
    languages: tuple[str, ...] = ()


def tree(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` (relative path → bytes)."""
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def identities(directory: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``directory`` (relative path → (inode, mtime in ns))."""
    found = {}
    for p in sorted(directory.rglob("*")):
        if p.is_file():
            st = p.stat()
            found[p.relative_to(directory).as_posix()] = (st.st_ino, st.st_mtime_ns)
    return found


def differences(site: dict[str, bytes], expected: dict[str, bytes]) -> list[str]:
    """Paths missing from, extra in, or different in ``site`` (short, for assertion messages)."""
    found = []
    for path in sorted(set(site) | set(expected)):
        if path not in site:
            found.append(f"{path}: missing")
        elif path not in expected:
            found.append(f"{path}: extra")
        elif site[path] != expected[path]:
            found.append(f"{path}: differs")
    return found


def build(run_cli: RunCli, project: Path, *options: str) -> Report:
    """Build ``project`` into ``project/site`` (which must succeed); return its report line."""
    time.sleep(0.01)  # a file rewritten by this build gets a later mtime than one left alone
    run = run_cli("build", "--source", project, *options)
    assert run.status == 0, run.err
    return parse_report(run.out)


def parse_report(out: str) -> Report:
    """The report a build printed on its standard output."""
    *table, last = out.rstrip("\n").split("\n")
    match = REPORT_RE.fullmatch(last)
    assert match, f"no report line in:\n{out}"
    files, output, changed, _ = match.groups()
    return Report(int(files), output, int(changed), tuple(table))


def copy_inputs(project: Path, dest: Path) -> Path:
    """Copy what a build of ``project`` reads (not its cache, site or spare) to ``dest``."""
    dest.mkdir(parents=True)
    for name in SITE_INPUTS:
        src = project / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)
    return dest


def input_digest(project: Path) -> str:
    """Digest of every input file's path and bytes (not of their modification times)."""
    parts: list[bytes | str] = []
    for name in SITE_INPUTS:
        root = project / name
        for path in sorted([root] if root.is_file() else root.rglob("*")):
            if path.is_file():
                parts += [path.relative_to(project).as_posix(), path.read_bytes()]
    return digest(*parts)


#: Input digest → what a clean build of those inputs holds. Many tests end with the same
#: inputs (every damaged-cache test, for one); a clean build depends only on its inputs.
_CLEAN_BUILDS: dict[str, dict[str, bytes]] = {}
#: The language table each clean build printed, by the same key.
_CLEAN_TABLES: dict[str, tuple[str, ...]] = {}


def clean_build(run_cli: RunCli, project: Path, tmp_path: Path) -> dict[str, bytes]:
    """What a build of ``project``'s current inputs from scratch holds."""
    key = input_digest(project)
    if key not in _CLEAN_BUILDS:
        dest = copy_inputs(project, Path(tempfile.mkdtemp(prefix="clean-", dir=tmp_path)) / "p")
        assert not (dest / CACHE_DIR).exists()
        report = build(run_cli, dest)
        site = tree(dest / "site")
        assert report.files == report.changed == len(site)
        _CLEAN_BUILDS[key] = site
        _CLEAN_TABLES[key] = report.languages
    return _CLEAN_BUILDS[key]


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for pattern in LEFTOVER_GLOBS for p in project.glob(pattern))


def later(path: Path, old_mtime_ns: int | None) -> None:
    """Make sure ``path``'s mtime is after ``old_mtime_ns`` (a write may land in the same tick)."""
    st = path.stat()
    if old_mtime_ns is not None and st.st_mtime_ns <= old_mtime_ns:
        os.utime(path, ns=(st.st_atime_ns, old_mtime_ns + 1_000_000))


def write(path: Path, data: str | bytes) -> None:
    """Replace ``path``'s content, moving its mtime forward."""
    old = path.stat().st_mtime_ns if path.exists() else None
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    later(path, old)


def touch(path: Path) -> None:
    """Move ``path``'s mtime forward without changing its content."""
    later(path, path.stat().st_mtime_ns)


def article(project: Path, slug: str, lang: str) -> Path:
    return project / ARTICLES / f"{slug}.{lang}.md"


def page(lang: str, slug: str) -> str:
    return f"{lang}/articles/2025/{slug}/index.html"


def set_field(path: Path, key: str, value: str | None) -> None:
    """Set (or, with None, remove) a top-level front-matter field; ``value`` is YAML text."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    head, fence, body = text[4:].partition("\n---\n")
    lines = [line for line in head.split("\n") if not line.startswith(f"{key}:")]
    if value is not None:
        lines.append(f"{key}: {value}")
    write(path, "---\n" + "\n".join(lines) + fence + body)


def append_body(path: Path, text: str) -> None:
    write(path, path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{text}\n")


def replace_text(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not exactly once in {path}"
    write(path, text.replace(old, new))


def edit_settings(project: Path, **changes: Any) -> None:
    path = project / "site.yaml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    settings.update(changes)
    write(path, yaml.safe_dump(settings, allow_unicode=True, sort_keys=False))


def new_article(
    title: str, date: str, sectors: str = "[ai]", people: str = "[lee-jae-myung]"
) -> str:
    """A complete article file."""
    return (
        f'---\ntitle: "{title}"\ndate: {date}\nsectors: {sectors}\npeople: {people}\n'
        "sources: [{outlet: asiae, headline: T, url: 'https://e.com/n', published: 2025-08-26}]\n"
        "---\n"
        f"{title}: a short summary written by the incremental-build tests.\n"
    )


def assert_incremental_equals_clean(
    run_cli: RunCli, project: Path, tmp_path: Path, before: dict[str, bytes], report: Report
) -> dict[str, bytes]:
    """The site equals a clean build; the report counts exactly the files whose bytes changed,
    and what each language holds as the clean build counted it."""
    site = tree(project / "site")
    expected = clean_build(run_cli, project, tmp_path)
    assert differences(site, expected) == []
    assert report.files == len(site)
    assert report.languages == _CLEAN_TABLES[input_digest(project)]
    changed = sorted(p for p in site if before.get(p) != site[p])
    assert report.changed == len(changed), changed
    assert leftovers(project) == []
    return site


def assert_store_kept_its_word(project: Path) -> None:
    """The store's record of each output directory counts the rows it really holds: a store
    whose counts are off is not trusted, and the next edit would rebuild everything."""
    connection = sqlite3.connect(project / CACHE_DIR / "state.sqlite3")
    try:
        for target, blob in connection.execute("SELECT id, state FROM targets").fetchall():
            real = tuple(
                connection.execute(
                    f"SELECT COUNT(*) FROM {table} WHERE target = ?", (target,)
                ).fetchone()[0]
                for table in ("facts", "products", "deps", "outputs", "pending")
            )
            assert loads(blob).counts == real
    finally:
        connection.close()


def assert_identities_follow_bytes(
    before: dict[str, bytes],
    after: dict[str, bytes],
    ids_before: dict[str, tuple[int, int]],
    ids_after: dict[str, tuple[int, int]],
) -> None:
    """Files with the same bytes keep inode and mtime; files with new bytes are new files."""
    kept = {p for p in after if before.get(p) == after[p]}
    renewed = {p for p in after if p in before and before[p] != after[p]}
    assert sorted(p for p in kept if ids_after[p] != ids_before[p]) == [], "same bytes, new file"
    assert sorted(p for p in renewed if ids_after[p] == ids_before[p]) == [], "new bytes, old file"


# --- every kind of edit ----------------------------------------------------------------------

CHIPS = "semiconductors-hbm-ai"
MASGA = "masga-shipbuilding-cooperation"
BIOTECH = "biotech-trusted-partner"  # Korean only
ROUNDTABLE = "korea-us-business-roundtable"
NUCLEAR = "nuclear-power-smr-energy-security"
INVESTMENT = "korea-150-billion-investment"
ADDED = "incremental-addition"
RENAMED = "chips-renamed"
NEW_SUMMARY = "A summary rewritten by the incremental-build test."
NEW_TITLE = "MASGA Summary Retitled by the Incremental Test"
SENTENCE = "A closing sentence added by the incremental-build test."
PNG_V1 = b"\x89PNG\r\n\x1a\n" + b"first version of the chart" * 4
PNG_V2 = b"\x89PNG\r\n\x1a\n" + b"second version, replaced" * 5
#: A file no edit below can affect.
STYLE = "static/style.css"


def hreflang_en(slug: str) -> bytes:
    return f'hreflang="en" href="{BASE}/en/articles/2025/{slug}/"'.encode()


def switcher_untranslated() -> bytes:
    return b'href="/pressroom/en/#not-translated"'


@dataclass(frozen=True)
class Edit:
    """One kind of edit, and what it must (and must not) change in the site."""

    apply: Callable[[Path], None]
    #: Pages the edit cannot affect: same bytes, same inode and mtime afterwards.
    unaffected: tuple[str, ...] = (STYLE,)
    #: Pages whose bytes must change.
    affected: tuple[str, ...] = ()
    #: Pages that must disappear / appear.
    gone: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    #: Further checks on (site before, site after).
    check: Callable[[dict[str, bytes], dict[str, bytes]], None] | None = None
    #: Applied before the first build (the state the edit starts from).
    prepare: Callable[[Path], None] | None = None


def _check_body(before: dict[str, bytes], after: dict[str, bytes]) -> None:
    assert SENTENCE.encode() in after[page("en", CHIPS)]


def _check_title(before: dict[str, bytes], after: dict[str, bytes]) -> None:
    for path in ("en/index.html", "en/feed.xml", "en/sectors/shipbuilding/index.html"):
        assert NEW_TITLE.encode() in after[path], path
        assert b"Lee Backs MASGA" not in after[path], path


def _check_deleted(before: dict[str, bytes], after: dict[str, bytes]) -> None:
    url = f"articles/2025/{ROUNDTABLE}/".encode()
    assert any(url in data for data in before.values())
    assert sorted(p for p, data in after.items() if url in data) == []


def _check_translation_added(before: dict[str, bytes], after: dict[str, bytes]) -> None:
    ko = page("ko", BIOTECH)
    assert hreflang_en(BIOTECH) not in before[ko]
    assert switcher_untranslated() in before[ko]
    assert hreflang_en(BIOTECH) in after[ko]
    assert switcher_untranslated() not in after[ko]
    assert f'href="/pressroom/en/articles/2025/{BIOTECH}/"'.encode() in after[ko]


def _check_translation_removed(before: dict[str, bytes], after: dict[str, bytes]) -> None:
    ko = page("ko", CHIPS)
    assert hreflang_en(CHIPS) in before[ko]
    assert hreflang_en(CHIPS) not in after[ko]
    assert switcher_untranslated() in after[ko]


def _position(data: bytes, slug: str) -> int:
    return data.index(f"/articles/2025/{slug}/".encode())


def _check_date_moved(before: dict[str, bytes], after: dict[str, bytes]) -> None:
    for home in ("ko/index.html", "en/index.html"):
        assert _position(before[home], BIOTECH) > _position(before[home], ROUNDTABLE), home
        assert _position(after[home], BIOTECH) < _position(after[home], ROUNDTABLE), home


def _check_page_size(before: dict[str, bytes], after: dict[str, bytes]) -> None:
    assert "ko/page/1/index.html" not in before
    assert {"ko/page/1/index.html", "ko/page/2/index.html", "en/page/2/index.html"} <= set(after)


def _check_media(before: dict[str, bytes], after: dict[str, bytes]) -> None:
    assert before["media/articles/2025/chart.png"] == PNG_V1
    assert after["media/articles/2025/chart.png"] == PNG_V2


def _add_chart(project: Path) -> None:
    write(project / ARTICLES / "chart.png", PNG_V1)
    append_body(
        article(project, INVESTMENT, "en"), "![A chart of the planned investment](chart.png)"
    )


def png(width: int, height: int) -> bytes:
    """A real PNG of the given size (the build reads its size for width and height)."""
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (width, height), (40, 90, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


FIGURE = "content/media/roundtable.png"
FIGURE_FRONT = "{file: ../../media/roundtable.png, alt: Business leaders around the table}"


def _give_figure(project: Path) -> None:
    write(project / FIGURE, png(640, 360))
    set_field(article(project, INVESTMENT, "en"), "image", FIGURE_FRONT)


def _check_figure_added(before: dict[str, bytes], after: dict[str, bytes]) -> None:
    page_after = after[page("en", INVESTMENT)]
    assert b"<figure" not in before[page("en", INVESTMENT)]
    assert b'width="640" height="360"' in page_after
    assert b"media/roundtable.png" in page_after


def _check_figure_resized(before: dict[str, bytes], after: dict[str, bytes]) -> None:
    assert b'width="640" height="360"' in before[page("en", INVESTMENT)]
    assert b'width="800" height="600"' in after[page("en", INVESTMENT)]


def _check_outlet_renamed(before: dict[str, bytes], after: dict[str, bytes]) -> None:
    for path in (page("en", INVESTMENT), "en/sources/index.html", "en/feed.xml"):
        assert b"The Asia Business Daily" in before[path], path
        assert b"Asia Business Daily (renamed)" in after[path], path


def _check_untranslated(after: dict[str, bytes], path: str) -> None:
    assert "Newspaper" in after[path].decode()


def _rename_file(project: Path) -> None:
    # The slug comes from the file name: every list that linked the old URL must follow.
    for lang in ("ko", "en"):
        old = article(project, CHIPS, lang)
        os.replace(old, article(project, RENAMED, lang))


def _check_renamed(before: dict[str, bytes], after: dict[str, bytes]) -> None:
    old = f"articles/2025/{CHIPS}/".encode()
    assert sum(old in data for data in before.values()) > 6
    assert sorted(p for p, data in after.items() if old in data) == []


def _check_summary(before: dict[str, bytes], after: dict[str, bytes]) -> None:
    for path in ("en/index.html", "en/feed.xml", "en/sectors/shipbuilding/index.html"):
        assert NEW_SUMMARY.encode() in after[path], path


def _check_sectors(before: dict[str, bytes], after: dict[str, bytes]) -> None:
    listed = f"articles/2025/{MASGA}/".encode()
    assert listed not in before["en/sectors/batteries/index.html"]
    assert listed in after["en/sectors/batteries/index.html"]
    assert "en/sectors/defense/index.html" in before
    assert listed not in after.get("en/sectors/defense/index.html", b"")


def _check_people(before: dict[str, bytes], after: dict[str, bytes]) -> None:
    listed = f"articles/2025/{NUCLEAR}/".encode()
    assert listed not in before["en/people/donald-trump/index.html"]
    assert listed in after["en/people/donald-trump/index.html"]


def _check_static(before: dict[str, bytes], after: dict[str, bytes]) -> None:
    assert b"/* edited */" in after[STYLE] and b"/* edited */" not in before[STYLE]


def _set_slug(project: Path) -> None:
    for lang in ("ko", "en"):
        set_field(article(project, CHIPS, lang), "slug", "chips-and-hbm")


def _add_article(project: Path) -> None:
    # Its sector and person are shared only with the investment and roundtable articles, and it
    # is the newest: other article pages (MASGA, chips, nuclear) have nothing to show of it.
    for lang in ("ko", "en"):
        write(
            article(project, ADDED, lang),
            new_article(
                f"Added article {lang}",
                "2025-08-27T10:00:00+09:00",
                "[batteries]",
                "[donald-trump]",
            ),
        )


def _numbered(site: dict[str, bytes]) -> dict[str, dict[int, bytes]]:
    """Each list's numbered pages: list address → page number → bytes."""
    lists: dict[str, dict[int, bytes]] = {}
    for path, data in site.items():
        match = re.fullmatch(r"(.+/)page/(\d+)/index\.html", path)
        if match:
            lists.setdefault(match[1], {})[int(match[2])] = data
    return lists


def test_a_new_article_changes_the_first_page_of_its_lists_not_their_numbered_pages(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    """Lists are paged from their oldest end: the newest article joins each list's first
    page, and a numbered page keeps its bytes (a bookmark of page/1/ stays true, a publish
    uploads a few files), but for the newest one's link when a page is added after it."""
    edit_settings(project, page_size=2)
    warm_up(run_cli, project)
    added_a_page = False
    for step, day in enumerate((27, 28, 29)):
        before = tree(project / "site")
        text = new_article(f"Newest {step}", f"2025-08-{day}T10:00:00+09:00", "[ai]")
        write(project / "content" / "articles" / "2025" / f"newest-{step}.en.md", text)

        report = build(run_cli, project)

        after = assert_incremental_equals_clean(run_cli, project, tmp_path, before, report)
        old, new = _numbered(before), _numbered(after)
        for address in ("en/", "ko/", "en/people/lee-jae-myung/", "ko/people/lee-jae-myung/"):
            assert before[f"{address}index.html"] != after[f"{address}index.html"], address
            assert old.get(address), f"{address} has no numbered page at step {step}"
        for address, pages in old.items():
            grown = max(new[address]) > max(pages)
            added_a_page |= grown
            for number, data in pages.items():
                if number == max(pages) and grown:
                    assert new[address][number] != data  # its "newer" link: the new page
                else:
                    assert new[address][number] == data, f"{address}page/{number}/ changed"
    assert added_a_page, "no list gained a numbered page: the newest one's link went untested"


def _delete_roundtable(project: Path) -> None:
    for lang in ("ko", "en"):
        article(project, ROUNDTABLE, lang).unlink()


def _add_biotech_translation(project: Path) -> None:
    text = new_article(
        "Lee Offers Korea as a Trusted Biotech Partner",
        "2025-08-26T09:00:00+09:00",
        "[biotech]",
        "[lee-jae-myung, donald-trump, seo-jung-jin]",
    )
    write(article(project, BIOTECH, "en"), text)


# English articles, newest first: roundtable, investment, MASGA, chips, nuclear (Korean adds
# biotech, the oldest). The "unaffected" pages are neither the edited article, nor next to it
# in that order, nor showing its sectors or people, nor in a language the edit does not touch.
EDITS = {
    "article-body": Edit(
        lambda p: append_body(article(p, CHIPS, "en"), SENTENCE),
        unaffected=(STYLE, page("en", ROUNDTABLE), page("ko", CHIPS), "ko/index.html"),
        affected=(page("en", CHIPS),),
        check=_check_body,
    ),
    "article-title": Edit(
        lambda p: set_field(article(p, MASGA, "en"), "title", f'"{NEW_TITLE}"'),
        unaffected=(STYLE, page("en", ROUNDTABLE), "ko/index.html", "ko/feed.xml"),
        affected=(page("en", MASGA), "en/index.html", "en/feed.xml", "en/sectors/defense/feed.xml"),
        check=_check_title,
    ),
    "article-added": Edit(
        _add_article,
        unaffected=(STYLE, page("en", MASGA), page("ko", CHIPS), page("en", NUCLEAR)),
        affected=(
            "en/index.html",
            "ko/index.html",
            "en/feed.xml",
            "en/sectors/batteries/index.html",
        ),
        added=(page("en", ADDED), page("ko", ADDED)),
    ),
    "article-deleted": Edit(
        # The roundtable names every sector: any page may show counts that change.
        _delete_roundtable,
        affected=("en/index.html", "ko/index.html", "en/feed.xml", "ko/feed.xml"),
        gone=(page("en", ROUNDTABLE), page("ko", ROUNDTABLE)),
        check=_check_deleted,
    ),
    "template": Edit(
        lambda p: replace_text(
            p / "templates/home.html",
            "{{ _('Latest summaries') }}</h1>",
            "{{ _('Latest summaries') }}</h1>\n<p class=\"incremental-marker\">marker</p>",
        ),
        unaffected=(
            STYLE,
            page("en", CHIPS),
            page("ko", CHIPS),
            "en/feed.xml",
            "en/sectors/ai/index.html",
        ),
        affected=("en/index.html", "ko/index.html"),
    ),
    "registry-name": Edit(
        lambda p: replace_text(
            p / "content/taxonomies/sectors.yaml", 'en: "Biotechnology"', 'en: "Life Sciences"'
        ),
        unaffected=(STYLE, page("en", MASGA), "ko/sectors/biotech/index.html", "ko/index.html"),
        affected=("en/sectors/biotech/index.html", "en/sectors/index.html", page("en", ROUNDTABLE)),
    ),
    "outlet-renamed": Edit(
        lambda p: replace_text(
            p / "content/taxonomies/sources.yaml",
            'en: "The Asia Business Daily"',
            'en: "Asia Business Daily (renamed)"',
        ),
        unaffected=(STYLE, page("ko", MASGA), "ko/sources/asiae/index.html", "ko/feed.xml"),
        affected=("en/sources/asiae/index.html", "en/index.html", page("en", MASGA)),
        check=_check_outlet_renamed,
    ),
    "figure-added": Edit(
        _give_figure,
        unaffected=(STYLE, page("ko", INVESTMENT), page("en", MASGA)),
        affected=(page("en", INVESTMENT),),
        added=("media/roundtable.png",),
        check=_check_figure_added,
    ),
    "figure-resized": Edit(
        lambda p: write(p / FIGURE, png(800, 600)),
        prepare=_give_figure,
        # The page writes the image's size: replacing it with another size changes the page.
        unaffected=(STYLE, page("ko", INVESTMENT), "en/index.html"),
        affected=(page("en", INVESTMENT), "media/roundtable.png"),
        check=_check_figure_resized,
    ),
    "site-page-size": Edit(
        lambda p: edit_settings(p, page_size=2),
        unaffected=(STYLE, page("en", CHIPS), page("ko", MASGA)),
        affected=("en/index.html", "ko/index.html"),
        check=_check_page_size,
    ),
    "site-title": Edit(
        lambda p: edit_settings(p, title={"ko": "한미 경제 프레스룸", "en": "Renamed Pressroom"}),
        unaffected=(STYLE, page("ko", CHIPS), "ko/index.html", "ko/feed.xml"),
        affected=("en/index.html", page("en", CHIPS), "en/feed.xml"),
    ),
    "catalog-msgstr": Edit(
        lambda p: replace_text(
            p / "locales/ko/LC_MESSAGES/messages.po", 'msgstr "최신 기사"', 'msgstr "새 기사"'
        ),
        unaffected=(STYLE, "en/index.html", page("en", CHIPS), "en/feed.xml"),
        affected=("ko/index.html", page("ko", CHIPS), "ko/sectors/ai/index.html"),
    ),
    # A page depends on the messages it shows, not on the whole catalog.
    "catalog-message-of-one-page-kind": Edit(
        lambda p: replace_text(
            p / "locales/ko/LC_MESSAGES/messages.po", 'msgstr "최신 요약"', 'msgstr "새 요약"'
        ),
        unaffected=(STYLE, page("ko", CHIPS), "ko/sectors/ai/index.html", "en/index.html"),
        affected=("ko/index.html",),
    ),
    "catalog-message-given-in-code": Edit(
        lambda p: replace_text(
            p / "locales/ko/LC_MESSAGES/messages.po",
            'msgid "%(site)s: %(term)s"\nmsgstr "%(site)s: %(term)s"',
            'msgid "%(site)s: %(term)s"\nmsgstr "%(site)s · %(term)s"',
        ),
        unaffected=(STYLE, "ko/index.html", "en/sectors/ai/index.html"),
        affected=("ko/sectors/ai/index.html", page("ko", CHIPS)),
    ),
    "catalog-messages-removed": Edit(
        lambda p: replace_text(
            p / "locales/ko/LC_MESSAGES/messages.po",
            'msgid "Newspaper"\nmsgstr "신문"\n',
            "",
        ),
        unaffected=(STYLE, "ko/index.html", page("ko", CHIPS), "en/sources/index.html"),
        affected=("ko/sources/index.html",),
        check=lambda before, after: _check_untranslated(after, "ko/sources/index.html"),
    ),
    "translation-added": Edit(
        _add_biotech_translation,
        unaffected=(STYLE, page("ko", CHIPS), page("ko", MASGA), "ko/index.html"),
        affected=(page("ko", BIOTECH), "en/index.html", "en/sectors/biotech/index.html"),
        added=(page("en", BIOTECH),),
        check=_check_translation_added,
    ),
    "translation-removed": Edit(
        lambda p: article(p, CHIPS, "en").unlink(),
        unaffected=(STYLE, page("ko", MASGA), page("ko", NUCLEAR), "ko/index.html"),
        affected=(page("ko", CHIPS), "en/index.html"),
        gone=(page("en", CHIPS),),
        check=_check_translation_removed,
    ),
    "date-moved": Edit(
        lambda p: set_field(article(p, BIOTECH, "ko"), "date", "2025-08-27T09:00:00+09:00"),
        # The article is Korean only: the English home lists it (marked) and moves it too,
        # but no English feed carries it and no English article page changes.
        unaffected=(STYLE, "en/feed.xml", page("en", CHIPS), page("ko", CHIPS)),
        affected=("ko/index.html", "ko/feed.xml", "en/index.html", page("ko", BIOTECH)),
        check=_check_date_moved,
    ),
    "slug-changed": Edit(
        _set_slug,
        unaffected=(STYLE, page("en", ROUNDTABLE), page("ko", ROUNDTABLE)),
        affected=("en/index.html", "ko/index.html"),
        gone=(page("en", CHIPS), page("ko", CHIPS)),
        added=(page("en", "chips-and-hbm"), page("ko", "chips-and-hbm")),
    ),
    "draft-set": Edit(
        lambda p: set_field(article(p, NUCLEAR, "en"), "draft", "true"),
        unaffected=(STYLE, page("ko", CHIPS), page("ko", MASGA), "ko/index.html"),
        affected=("en/index.html", page("ko", NUCLEAR)),
        gone=(page("en", NUCLEAR),),
    ),
    "draft-cleared": Edit(
        lambda p: set_field(article(p, NUCLEAR, "en"), "draft", None),
        prepare=lambda p: set_field(article(p, NUCLEAR, "en"), "draft", "true"),
        unaffected=(STYLE, page("ko", CHIPS), page("ko", MASGA), "ko/index.html"),
        affected=("en/index.html", page("ko", NUCLEAR)),
        added=(page("en", NUCLEAR),),
    ),
    "summary-changed": Edit(
        lambda p: set_field(article(p, MASGA, "en"), "summary", f'"{NEW_SUMMARY}"'),
        unaffected=(STYLE, page("ko", MASGA), "ko/index.html", "ko/feed.xml"),
        affected=(page("en", MASGA), "en/index.html", "en/feed.xml"),
        check=_check_summary,
    ),
    "sectors-changed": Edit(
        lambda p: set_field(article(p, MASGA, "en"), "sectors", "[shipbuilding, batteries]"),
        unaffected=(STYLE, page("ko", MASGA), "ko/index.html", "ko/sectors/defense/index.html"),
        affected=(page("en", MASGA), "en/sectors/batteries/index.html", "en/sectors/index.html"),
        check=_check_sectors,
    ),
    "people-changed": Edit(
        lambda p: set_field(article(p, NUCLEAR, "en"), "people", "[lee-jae-myung, donald-trump]"),
        unaffected=(STYLE, page("ko", NUCLEAR), "ko/index.html", page("en", MASGA)),
        affected=(page("en", NUCLEAR), "en/people/donald-trump/index.html"),
        check=_check_people,
    ),
    "file-renamed": Edit(
        _rename_file,
        unaffected=(STYLE,),
        affected=("en/index.html", "ko/index.html", "en/sectors/semiconductors/index.html"),
        gone=(page("en", CHIPS), page("ko", CHIPS)),
        added=(page("en", RENAMED), page("ko", RENAMED)),
        check=_check_renamed,
    ),
    "static-file": Edit(
        lambda p: write(
            p / "templates/static/style.css",
            "/* edited */\n" + (p / "templates/static/style.css").read_text("utf-8"),
        ),
        unaffected=(page("en", CHIPS), "en/index.html", "ko/feed.xml"),
        affected=(STYLE,),
        check=_check_static,
    ),
    "media-replaced": Edit(
        lambda p: write(p / ARTICLES / "chart.png", PNG_V2),
        prepare=_add_chart,
        # The page only links the image: nothing but the image itself changes.
        unaffected=(STYLE, page("en", INVESTMENT), "en/index.html"),
        affected=("media/articles/2025/chart.png",),
        check=_check_media,
    ),
}


def calls(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[tuple[Any, ...]]:
    """Wrap ``module.name`` (until ``monkeypatch.undo()``); return the list that the
    positional arguments of each call are appended to."""
    made: list[tuple[Any, ...]] = []
    real = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        made.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return made


def warm_up(run_cli: RunCli, project: Path) -> None:
    """Build twice, with an edit in between: the cache, site/ and the spare all exist."""
    build(run_cli, project)
    append_body(article(project, INVESTMENT, "ko"), "준비 단계에서 덧붙인 문장.")
    build(run_cli, project)
    assert (project / SPARE).is_dir()
    assert (project / CACHE_DIR / "state.sqlite3").is_file()


@pytest.mark.parametrize("kind", list(EDITS))
def test_incremental_build_after_an_edit_equals_a_clean_build(
    project: Path, run_cli: RunCli, tmp_path: Path, kind: str
) -> None:
    edit = EDITS[kind]
    if edit.prepare:
        edit.prepare(project)
    warm_up(run_cli, project)
    assert_store_kept_its_word(project)
    before = tree(project / "site")
    ids_before = identities(project / "site")

    edit.apply(project)
    report = build(run_cli, project)

    after = assert_incremental_equals_clean(run_cli, project, tmp_path, before, report)
    assert 0 < report.changed < report.files, "a small edit should not rewrite every file"
    assert_store_kept_its_word(project)
    ids_after = identities(project / "site")
    assert_identities_follow_bytes(before, after, ids_before, ids_after)
    for path in edit.unaffected:
        assert after[path] == before[path], path
        assert ids_after[path] == ids_before[path], path
    for path in edit.affected:
        assert after[path] != before[path], path
    for path in edit.gone:
        assert path in before and path not in after, path
    for path in edit.added:
        assert path not in before and path in after, path
    if edit.check:
        edit.check(before, after)


@pytest.mark.parametrize(
    ("registry", "old", "new"),
    [
        ("sectors", 'en: "Biotechnology"', 'en: "Life Sciences"'),
        ("people", 'ko: "이재명"', 'ko: "이재명 대통령"'),
        ("sources", 'en: "The Asia Business Daily"', 'en: "Asia Business Daily (renamed)"'),
    ],
)
def test_a_name_changed_in_one_language_makes_only_that_languages_pages_again(
    project: Path,
    run_cli: RunCli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    registry: str,
    old: str,
    new: str,
) -> None:
    warm_up(run_cli, project)
    before = tree(project / "site")
    making = calls(monkeypatch, generator.build.produce, "make")
    replace_text(project / f"content/taxonomies/{registry}.yaml", old, new)
    report = build(run_cli, project)
    monkeypatch.undo()  # the clean build below makes everything
    made = [json.loads(product.id) for _, _, product in making]

    assert_incremental_equals_clean(run_cli, project, tmp_path, before, report)
    changed = "en" if old.startswith("en:") else "ko"
    other = {"en": "ko", "ko": "en"}[changed]
    assert [m for m in made if changed in m], "nothing was made again"
    # Search records hold every language's names of people and outlets: the parts of both.
    assert [m for m in made if other in m and m[0] != "search"] == []


def test_list_entries_are_kept_between_builds_and_made_again_only_when_what_they_show_changed(
    project: Path, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warm_up(run_cli, project)
    before = tree(project / "site")
    rendered = calls(monkeypatch, generator.build.produce, "card")
    edited = article(project, MASGA, "en")
    set_field(edited, "title", '"A title the lists show at once"')
    report = build(run_cli, project)
    monkeypatch.undo()

    after = assert_incremental_equals_clean(run_cli, project, tmp_path, before, report)
    home = after["en/index.html"].decode()
    assert "A title the lists show at once" in home
    # The English home shows other articles too: their entries came from the store.
    assert home.count('class="article-summary"') > 1
    assert [args[1:] for args in rendered] == [(edited.relative_to(project).as_posix(), "en")]


@pytest.mark.parametrize("field", ["body", "title", "sectors"])
def test_a_long_lived_process_relates_the_archive_again_only_when_an_article_moved(
    project: Path, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, field: str
) -> None:
    warm_up(run_cli, project)
    before = tree(project / "site")
    related = calls(monkeypatch, generator.build.load, "build_library")
    edited = article(project, MASGA, "en")
    if field == "body":
        append_body(edited, "A sentence the page shows at once.")
    elif field == "title":
        set_field(edited, "title", '"A title every list shows at once"')
    else:
        set_field(edited, "sectors", "[ai]")  # it moves: off one sector's lists, onto another's
    report = build(run_cli, project)
    monkeypatch.undo()

    after = assert_incremental_equals_clean(run_cli, project, tmp_path, before, report)
    if field == "title":
        assert "A title every list shows at once" in after["en/index.html"].decode()
    assert len(related) == (1 if field == "sectors" else 0)
    assert [p for p in after if p.startswith("en/articles/") and after[p] != before.get(p)]


def traced_statements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Note every SQL statement run on the stores opened from now on (until undo)."""
    statements: list[str] = []
    real = generator.build.store.connect

    def traced(path: Path, *, readonly: bool) -> sqlite3.Connection | None:
        connection = real(path, readonly=readonly)
        if connection is not None:
            connection.set_trace_callback(statements.append)
        return connection

    monkeypatch.setattr(generator.build.store, "connect", traced)
    return statements


#: The statements that read every input record and every live output's digest back.
READ_BACK_RE = re.compile(r"SELECT path, .* FROM (inputs|outputs)\b")


def test_a_long_lived_process_reads_back_no_rows_it_wrote_unless_another_process_wrote(
    project: Path, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warm_up(run_cli, project)
    edited = article(project, MASGA, "en")
    statements = traced_statements(monkeypatch)
    append_body(edited, "A sentence this process remembers it wrote.")
    build(run_cli, project)
    assert statements, "the store was not traced"
    assert [s for s in statements if READ_BACK_RE.search(s)] == []

    # Another process builds the site (an author's own `pressroom build` beside serve).
    append_body(article(project, INVESTMENT, "ko"), "다른 프로세스가 쓴 문장.")
    other = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--source", str(project)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert other.returncode == 0, other.stderr
    before = tree(project / "site")
    statements.clear()
    append_body(edited, "A sentence after the other process's build.")
    report = build(run_cli, project)
    monkeypatch.undo()

    read_back = {m.group(1) for s in statements if (m := READ_BACK_RE.search(s))}
    assert read_back == {"inputs", "outputs"}
    assert_incremental_equals_clean(run_cli, project, tmp_path, before, report)


def test_feed_items_are_kept_between_builds_and_made_again_only_when_what_they_show_changed(
    project: Path, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warm_up(run_cli, project)
    before = tree(project / "site")
    rendered = calls(monkeypatch, generator.build.produce, "item")
    edited = article(project, MASGA, "en")
    set_field(edited, "title", '"A title the feeds carry at once"')
    report = build(run_cli, project)
    monkeypatch.undo()

    after = assert_incremental_equals_clean(run_cli, project, tmp_path, before, report)
    feed = ElementTree.fromstring(after["en/feed.xml"])
    titles = [t.text for t in feed.iterfind("channel/item/title")]
    assert "A title the feeds carry at once" in titles
    # The feed carries other articles too: their items came from the store.
    assert len(titles) > 1
    assert [args[1:] for args in rendered] == [(edited.relative_to(project).as_posix(),)]


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE cards SET reads = 'not json', html = 'DAMAGED ENTRY'",
        """UPDATE cards SET reads = '{"settings": "stale"}', html = 'STALE ENTRY'""",
        "UPDATE cards SET lang = lang || 'x'",
    ],
    ids=["unreadable", "stale", "wrong-language"],
)
def test_damaged_or_stale_kept_list_entries_are_made_again(
    project: Path, run_cli: RunCli, tmp_path: Path, damage: str
) -> None:
    warm_up(run_cli, project)
    execute(project, (damage, ()))
    before = tree(project / "site")
    set_field(article(project, MASGA, "en"), "title", '"A title after the store was damaged"')

    report = build(run_cli, project)

    after = assert_incremental_equals_clean(run_cli, project, tmp_path, before, report)
    assert not any(b"DAMAGED ENTRY" in data or b"STALE ENTRY" in data for data in after.values())


def test_many_edits_in_a_row_each_equal_a_clean_build(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    rng = random.Random(20250826)
    build(run_cli, project)
    added = 0

    def articles() -> list[Path]:
        return sorted((project / ARTICLES).glob("*.md"))

    def body(step: int) -> str:
        path = rng.choice(articles())
        append_body(path, f"Sentence added at step {step}.")
        return f"body of {path.name}"

    def title(step: int) -> str:
        path = rng.choice(articles())
        set_field(path, "title", f'"Title set at step {step}"')
        return f"title of {path.name}"

    def add(step: int) -> str:
        nonlocal added
        added += 1
        langs = rng.choice([("ko",), ("en",), ("ko", "en")])
        day = rng.randint(20, 28)
        sectors = rng.choice(["[ai]", "[biotech, defense]", "[shipbuilding]"])
        for lang in langs:
            write(
                article(project, f"added-{added}", lang),
                new_article(f"Added at step {step}", f"2025-08-{day}T10:00:00+09:00", sectors),
            )
        return f"added-{added} in {langs}"

    def delete(step: int) -> str:
        candidates = articles()
        if len(candidates) <= 6:
            return add(step)
        path = rng.choice(candidates)
        path.unlink()
        return f"deleted {path.name}"

    def date(step: int) -> str:
        path = rng.choice(articles())
        set_field(path, "date", f"2025-08-{rng.randint(20, 28)}T{rng.randint(10, 23)}:00:00+09:00")
        return f"date of {path.name}"

    def draft(step: int) -> str:
        path = rng.choice(articles())
        is_draft = "\ndraft: true" in path.read_text(encoding="utf-8")
        set_field(path, "draft", None if is_draft else "true")
        return f"draft toggled on {path.name}"

    def page_size(step: int) -> str:
        size = rng.randint(1, 6)
        edit_settings(project, page_size=size)
        return f"page_size {size}"

    def registry(step: int) -> str:
        path = project / "content/taxonomies/sectors.yaml"
        text = re.sub(
            r'en: "Semiconductors[^"]*"', f'en: "Semiconductors {step}"', path.read_text("utf-8")
        )
        write(path, text)
        return "sector name"

    def catalog(step: int) -> str:
        path = project / "locales/ko/LC_MESSAGES/messages.po"
        text = re.sub(
            r'msgid "Latest"\nmsgstr "[^"]*"',
            f'msgid "Latest"\nmsgstr "최신 {step}"',
            path.read_text("utf-8"),
        )
        write(path, text)
        return "catalog"

    def template(step: int) -> str:
        path = project / "templates/home.html"
        write(path, path.read_text(encoding="utf-8") + f"\n<!-- step {step} -->\n")
        return "template"

    def summary(step: int) -> str:
        path = rng.choice(articles())
        set_field(path, "summary", f'"Summary set at step {step}."')
        return f"summary of {path.name}"

    def terms(step: int) -> str:
        path = rng.choice(articles())
        key, value = rng.choice(
            [
                ("sectors", "[ai, batteries]"),
                ("sectors", "[shipbuilding]"),
                ("people", "[lee-jae-myung, donald-trump]"),
                ("people", "[jensen-huang]"),
            ]
        )
        set_field(path, key, value)
        return f"{key} of {path.name}"

    def rename(step: int) -> str:
        path = rng.choice(articles())
        slug, lang, _ = path.name.rsplit(".", 2)
        # Both languages move together (a translation is paired by its file name).
        for other in (project / ARTICLES).glob(f"{slug}.*.md"):
            os.replace(other, other.with_name(f"{slug}-r{step}.{other.name.split('.')[-2]}.md"))
        return f"renamed {slug} ({lang})"

    def static(step: int) -> str:
        path = project / "templates/static/style.css"
        write(path, path.read_text(encoding="utf-8") + f"\n/* step {step} */\n")
        return "stylesheet"

    def touch_only(step: int) -> str:
        path = rng.choice([*articles(), project / "site.yaml", project / "templates/base.html"])
        touch(path)
        return f"touched {path.name}"

    edits = [
        body,
        title,
        add,
        delete,
        date,
        draft,
        page_size,
        registry,
        catalog,
        template,
        touch_only,
        summary,
        terms,
        rename,
        static,
    ]
    history: list[str] = []
    kinds = set()
    for step in range(20):
        before = tree(project / "site")
        ids_before = identities(project / "site")
        edit = rng.choice(edits)
        kinds.add(edit.__name__)
        history.append(edit(step))

        report = build(run_cli, project)

        after = assert_incremental_equals_clean(run_cli, project, tmp_path, before, report)
        assert_identities_follow_bytes(before, after, ids_before, identities(project / "site"))
        assert not (project / "site" / SPARE).exists(), history
        assert_store_kept_its_word(project)
    assert len(kinds) >= 10, history  # the seed really mixed the kinds of edit


# --- a damaged store ---------------------------------------------------------------------------

STORE = f"{CACHE_DIR}/state.sqlite3"


class Planted:
    """Unpickling this would create the file ``marker``: the store must never run code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (open, (str(self.marker), "w"))


#: A file the planted blob would create beside the site's inputs.
PLANTED_MARKER = "PLANTED"


def store_file(project: Path) -> Path:
    path = project / STORE
    assert path.is_file()
    return path


def rewrite(project: Path, data: bytes) -> None:
    """Replace the store's bytes (and drop its write-ahead log, so they are what is read)."""
    path = store_file(project)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.write_bytes(data)


def flip_bytes(data: bytes) -> bytes:
    damaged = bytearray(data)
    for index in range(100, len(data), max(1, len(data) // 40)):
        damaged[index] ^= 0xFF
    return bytes(damaged)


def execute(project: Path, *statements: tuple[str, tuple[Any, ...]]) -> None:
    """Change the store through SQLite itself: a well-formed database with wrong contents."""
    connection = sqlite3.connect(store_file(project), isolation_level=None)
    try:
        for sql, args in statements:
            connection.execute(sql, args)
    finally:
        connection.close()


def planted(project: Path) -> bytes:
    return pickle.dumps(Planted(project / PLANTED_MARKER))


def checkpoint(project: Path) -> bytes:
    """The store's bytes with everything written to the main file."""
    execute(project, ("PRAGMA wal_checkpoint(TRUNCATE)", ()))
    return store_file(project).read_bytes()


#: How a store is damaged.
CORRUPTIONS: dict[str, Callable[[Path], None]] = {
    "truncated": lambda p: rewrite(p, checkpoint(p)[: len(checkpoint(p)) // 2]),
    "bytes-flipped": lambda p: rewrite(p, flip_bytes(checkpoint(p))),
    "garbage": lambda p: rewrite(p, random.Random(7).randbytes(len(checkpoint(p)))),
    "empty": lambda p: rewrite(p, b""),
    "not-a-database": lambda p: rewrite(p, pickle.dumps({"not": "a store"})),
    "other-format": lambda p: execute(p, ("UPDATE meta SET value = '0' WHERE key = 'format'", ())),
    "other-version": lambda p: execute(
        p, ("UPDATE meta SET value = '0.0.0' WHERE key = 'generator'", ())
    ),
    "table-dropped": lambda p: execute(p, ("DROP TABLE deps", ())),
    "planted-article": lambda p: execute(p, ("UPDATE articles SET article = ?", (planted(p),))),
    "planted-state": lambda p: execute(p, ("UPDATE targets SET state = ?", (planted(p),))),
    "wrong-state": lambda p: execute(
        p, ("UPDATE targets SET state = ?", (pickle.dumps(["not", "a", "state"]),))
    ),
    "wrong-article": lambda p: execute(
        p, ("UPDATE articles SET article = ?", (pickle.dumps("not an article"),))
    ),
    "stale-facts": lambda p: execute(p, ("UPDATE facts SET digest = 'stale'", ())),
    "stale-products": lambda p: execute(p, ("DELETE FROM products", ()), ("DELETE FROM deps", ())),
    "stale-inputs": lambda p: execute(p, ("UPDATE inputs SET digest = 'stale'", ())),
}


@pytest.mark.parametrize("corruption", CORRUPTIONS)
def test_damaged_store_is_ignored_or_rebuilt_and_the_site_equals_a_clean_build(
    project: Path, run_cli: RunCli, tmp_path: Path, corruption: str
) -> None:
    warm_up(run_cli, project)
    CORRUPTIONS[corruption](project)
    before = tree(project / "site")
    append_body(article(project, MASGA, "ko"), "손상된 저장소 뒤에 덧붙인 문장.")

    report = build(run_cli, project)

    after = assert_incremental_equals_clean(run_cli, project, tmp_path, before, report)
    assert not (project / PLANTED_MARKER).exists(), "unpickling the store ran code"
    again = build(run_cli, project)
    assert again.changed == 0
    assert tree(project / "site") == after


@pytest.mark.parametrize("corruption", ["wrong-state", "planted-state", "empty", "garbage"])
def test_damaged_store_without_any_edit_rebuilds_the_same_site_keeping_every_file(
    project: Path, run_cli: RunCli, tmp_path: Path, corruption: str
) -> None:
    warm_up(run_cli, project)
    CORRUPTIONS[corruption](project)
    before = tree(project / "site")
    ids_before = identities(project / "site")

    report = build(run_cli, project)

    after = assert_incremental_equals_clean(run_cli, project, tmp_path, before, report)
    assert report.changed == 0
    assert identities(project / "site") == ids_before
    assert after == before


# --- the no-op path --------------------------------------------------------------------------


@pytest.mark.parametrize("history", [1, 2], ids=["after-first-build", "through-the-spare"])
def test_build_without_changes_reports_nothing_changed_and_keeps_every_file(
    project: Path, run_cli: RunCli, history: int
) -> None:
    if history == 1:
        build(run_cli, project)
    else:
        warm_up(run_cli, project)
    before = tree(project / "site")
    ids_before = identities(project / "site")

    report = build(run_cli, project)

    assert report.changed == 0
    assert report.files == len(before)
    assert identities(project / "site") == ids_before
    assert tree(project / "site") == before


TOUCHED = [
    f"{ARTICLES}/{CHIPS}.en.md",
    "templates/base.html",
    "site.yaml",
    "locales/ko/LC_MESSAGES/messages.po",
]


@pytest.mark.parametrize("touched", TOUCHED)
def test_touched_input_without_content_change_changes_nothing(
    project: Path, run_cli: RunCli, tmp_path: Path, touched: str
) -> None:
    warm_up(run_cli, project)
    before = tree(project / "site")
    ids_before = identities(project / "site")
    touch(project / touched)

    report = build(run_cli, project)

    assert_incremental_equals_clean(run_cli, project, tmp_path, before, report)
    assert report.changed == 0
    assert identities(project / "site") == ids_before
    assert build(run_cli, project).changed == 0


def same_size_edit(path: Path) -> None:
    """Change the title's bytes but not the file's size, then put the old mtime back."""
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    assert text.count("Symbiotic") == 1
    path.write_text(text.replace("Symbiotic", "SYMBIOTIC"), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)


# A build trusts an input whose size, modification time, change time (ctime) and inode are
# those it recorded, as git's index does with core.trustctime. An edit that keeps the size
# and puts the old mtime back (``touch -d``, ``rsync -t``, a restored backup) still moves the
# ctime, which nothing can set back: it is seen like any other edit.


def test_same_size_edit_with_restored_mtime_is_seen_by_the_next_build(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    warm_up(run_cli, project)
    before = tree(project / "site")
    chips = article(project, CHIPS, "en")
    same_size_edit(chips)
    expected = clean_build(run_cli, project, tmp_path)
    assert b"SYMBIOTIC" in expected[page("en", CHIPS)]

    report = build(run_cli, project)

    after = assert_incremental_equals_clean(run_cli, project, tmp_path, before, report)
    assert after == expected


def test_same_size_edit_with_restored_mtime_is_seen_beside_another_edit(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    warm_up(run_cli, project)
    before = tree(project / "site")
    chips = article(project, CHIPS, "en")
    same_size_edit(chips)
    append_body(article(project, MASGA, "ko"), "다른 기사에 덧붙인 문장.")

    report = build(run_cli, project)

    after = assert_incremental_equals_clean(run_cli, project, tmp_path, before, report)
    assert "다른 기사에 덧붙인 문장.".encode() in after[page("ko", MASGA)]
    assert b"SYMBIOTIC" in after[page("en", CHIPS)]


class _LaterClock:
    """The scan's clock, read some seconds on: what the next build's scan would see."""

    @staticmethod
    def time_ns() -> int:
        return time.time_ns() + 3 * 10**9


def test_a_racily_clean_input_is_read_once_more_then_trusted_even_by_builds_with_nothing_to_do(
    project: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file modified within the clock's grain of being recorded is read again by the next
    build; when that build has nothing to do it must still keep what it read, or every no-op
    after it reads the file again (after a checkout, every input: seconds at 5,000 articles)."""
    warm_up(run_cli, project)
    chips = article(project, CHIPS, "en")
    chips.write_bytes(chips.read_bytes())  # the same bytes, modified now
    assert build(run_cli, project).changed == 0  # it is read, and recorded racily clean
    rel = chips.relative_to(project).as_posix()
    read: list[str] = []
    real_read = generator.core.files.SiteDir.read

    def counting_read(self: generator.core.files.SiteDir, path: str, *, limit: int) -> Any:
        read.append(path)
        return real_read(self, path, limit=limit)

    monkeypatch.setattr(generator.core.files.SiteDir, "read", counting_read)
    monkeypatch.setattr(generator.build.inputs, "time", _LaterClock)

    assert build(run_cli, project).changed == 0
    assert rel in read  # with the warm-up's edit, recorded as racily
    read.clear()
    assert build(run_cli, project).changed == 0
    assert read == []
    # So does a process that reads the records from the store (the CLI's next run).
    generator.build.remembered.forget(str(generator.build.store.store_path(project)))
    assert build(run_cli, project).changed == 0
    assert read == []


def test_a_build_leaves_the_garbage_collector_as_it_found_it(
    project: Path, run_cli: RunCli
) -> None:
    """A build keeps what it loaded out of the collector's walks while it runs; a long-lived
    process (`serve`, this test session) must get it back when the build ends, passed or
    failed, or a day of saves would keep every build's garbage."""
    assert gc.isenabled() and gc.get_freeze_count() == 0
    build(run_cli, project)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    append_body(article(project, MASGA, "en"), "A sentence of an edit.")
    build(run_cli, project)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    article(project, MASGA, "en").write_text("---\ntitle: [unclosed\n---\nBody.\n", "utf-8")
    failed = run_cli("build", "--source", project)
    assert failed.status == 1 and "unclosed" not in failed.out
    assert gc.isenabled() and gc.get_freeze_count() == 0


# --- site/ and its spare ---------------------------------------------------------------------


def test_consecutive_builds_alternate_between_site_and_spare(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    site, spare = project / "site", project / SPARE
    build(run_cli, project)
    previous = tree(site)
    for step in range(5):
        site_ino = site.stat().st_ino
        spare_ino = spare.stat().st_ino if spare.exists() else None
        append_body(article(project, MASGA, "en"), f"Sentence of step {step}.")

        report = build(run_cli, project)

        current = assert_incremental_equals_clean(run_cli, project, tmp_path, previous, report)
        assert tree(spare) == previous, "the spare should hold the site before this build"
        assert spare.stat().st_ino == site_ino, "the old site should have become the spare"
        if spare_ino is not None:
            assert site.stat().st_ino == spare_ino, "the spare should have become the site"
        assert not any(SPARE in p or ".site." in p for p in current)
        previous = current


@pytest.mark.parametrize("planted", ["fifo", "symlink"])
def test_what_is_planted_in_the_spare_where_a_build_writes_is_replaced_not_written_through(
    project: Path, run_cli: RunCli, tmp_path: Path, planted: str
) -> None:
    """A build writes over the files the spare has of its own; a named pipe there must not
    hold it, and a symbolic link must not lead its bytes elsewhere."""
    warm_up(run_cli, project)  # the spare holds the Korean page the warm-up changed
    rel = page("ko", INVESTMENT)
    target, outside = project / SPARE / rel, tmp_path / "outside.html"
    assert target.is_file() and target.stat().st_nlink == 1
    target.unlink()
    if planted == "fifo":
        os.mkfifo(target)
    else:
        outside.write_text("not the site's")
        target.symlink_to(outside)
    before = tree(project / "site")
    append_body(article(project, INVESTMENT, "ko"), "스페어 시험에서 덧붙인 문장.")

    # In a process of its own: a build held by the pipe would never return.
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--source", str(project)],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    report = parse_report(done.stdout)
    assert_incremental_equals_clean(run_cli, project, tmp_path, before, report)
    if planted == "symlink":
        assert outside.read_text() == "not the site's"


def test_a_folder_of_the_spare_replaced_by_a_symlink_is_never_written_through(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    """The build refuses it, writes nothing outside, and the next build stages afresh."""
    warm_up(run_cli, project)
    folder = project / SPARE / page("en", CHIPS).rsplit("/", 1)[0]
    outside = tmp_path / "outside"
    shutil.copytree(folder, outside)
    planted = {p.name: p.read_bytes() for p in outside.iterdir()}
    shutil.rmtree(folder)
    folder.symlink_to(outside, target_is_directory=True)
    before = tree(project / "site")
    append_body(article(project, CHIPS, "en"), SENTENCE)

    failed = run_cli("build", "--source", project)

    assert failed.status == 1
    assert "is not a folder (a symbolic link?)" in failed.err, failed.err
    assert "Traceback" not in failed.err
    assert tree(project / "site") == before
    assert {p.name: p.read_bytes() for p in outside.iterdir()} == planted

    report = build(run_cli, project)

    assert_incremental_equals_clean(run_cli, project, tmp_path, before, report)
    assert {p.name: p.read_bytes() for p in outside.iterdir()} == planted
    assert not any(p.is_symlink() for p in (project / SPARE).rglob("*"))


HAND_FILES = ("en/hand-added.html", "hand/nested/notes.txt")


# A build trusts its own record of site/ (it must not stat 27,000 files to find an edit):
# a file changed there by hand stays until its product is made again, and
# ``pressroom build --verify`` compares every file and puts it right.


@pytest.mark.parametrize("history", [1, 2], ids=["after-first-build", "through-the-spare"])
@pytest.mark.parametrize("edited", [True, False], ids=["with-an-edit", "nothing-changed"])
def test_file_added_by_hand_to_site_is_removed_by_verify_and_never_comes_back(
    project: Path, run_cli: RunCli, tmp_path: Path, history: int, edited: bool
) -> None:
    if history == 1:
        build(run_cli, project)
    else:
        warm_up(run_cli, project)
    before = tree(project / "site")
    ids_before = identities(project / "site")
    for name in HAND_FILES:
        write(project / "site" / name, "added by hand")
    if edited:
        append_body(article(project, CHIPS, "en"), SENTENCE)

    report = build(run_cli, project, "--verify")

    assert_incremental_equals_clean(run_cli, project, tmp_path, before, report)
    if not edited:
        assert report.changed == 0
        assert identities(project / "site") == ids_before
    # The hand-added files may now sit in the spare: later builds must not bring them back.
    for later_edit in (True, False):
        if later_edit:
            append_body(article(project, MASGA, "en"), "Another sentence.")
        before = tree(project / "site")
        report = build(run_cli, project)
        assert_incremental_equals_clean(run_cli, project, tmp_path, before, report)
        assert not any((project / "site" / name).exists() for name in HAND_FILES)


def test_file_deleted_by_hand_from_site_is_restored_by_verify(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    warm_up(run_cli, project)
    before = tree(project / "site")
    (project / "site/en/index.html").unlink()

    report = build(run_cli, project, "--verify")

    assert tree(project / "site") == before
    assert report.files == len(before)
    assert tree(project / "site") == clean_build(run_cli, project, tmp_path)


def test_a_plain_build_trusts_its_record_of_the_output_until_verify(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    warm_up(run_cli, project)
    page_file = project / "site" / page("en", CHIPS)
    page_file.write_text("defaced by hand", "utf-8")

    build(run_cli, project)

    assert page_file.read_text("utf-8") == "defaced by hand"  # documented: not looked at
    report = build(run_cli, project, "--verify")
    assert report.changed == 1
    assert tree(project / "site") == clean_build(run_cli, project, tmp_path)


@pytest.mark.parametrize("leave", ["nothing", "an empty folder", "one stray file"])
def test_a_deleted_site_is_built_whole_again(
    run_cli: RunCli, project: Path, tmp_path: Path, leave: str
) -> None:
    """The store describes the site it built; once that site is gone, nothing of it is trusted
    (an empty folder made in its place may even get its freed inode back)."""
    build(run_cli, project)
    built = tree(project / "site")
    shutil.rmtree(project / "site")
    if leave != "nothing":
        (project / "site").mkdir()
    if leave == "one stray file":
        (project / "site" / "notes.txt").write_text("mine", encoding="utf-8")
    report = build(run_cli, project)
    site = tree(project / "site")
    site.pop("notes.txt", None)
    assert site == built == clean_build(run_cli, project, tmp_path)
    assert report.changed == report.files
