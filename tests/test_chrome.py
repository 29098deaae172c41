"""The chrome: what every page of a language shows around its own content (the skip link, the
site's title and navigation, the footer: ``templates/_chrome.html``).

It is rendered once per language and set into each page; when nothing but the chrome changed
(one of its messages, its template), a build re-frames the pages (the live page's bytes with
the new chrome set in) instead of rendering them. These tests check what a reader and a
publisher see: the new chrome on every page of that language, the other language untouched,
and a site byte for byte equal to a clean build, also when the live site was changed by hand
or the store's record of the chrome's place was damaged, and when a page shows one of the
chrome's messages itself.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from lxml import html
from test_incremental import (
    CACHE_DIR,
    CHIPS,
    RunCli,
    assert_incremental_equals_clean,
    build,
    calls,
    identities,
    page,
    replace_text,
    tree,
    warm_up,
    write,
)

import generator.build.produce

EN_CATALOG = "locales/en/LC_MESSAGES/messages.po"
KO_CATALOG = "locales/ko/LC_MESSAGES/messages.po"
SKIP_LINK = "Skip straight to the summary"


def set_skip_link(project: Path, text: str) -> None:
    replace_text(
        project / EN_CATALOG,
        'msgid "Skip to content"\nmsgstr "Skip to content"',
        f'msgid "Skip to content"\nmsgstr "{text}"',
    )


def html_pages(site: dict[str, bytes], lang: str) -> list[str]:
    return sorted(p for p in site if p.startswith(f"{lang}/") and p.endswith(".html"))


def skip_link(data: bytes) -> str:
    [link] = html.fromstring(data).xpath("//body/a[contains(@class, 'skip-link')]")
    return str(link.text_content())


def test_a_chrome_message_changes_every_page_of_its_language_and_no_other(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    warm_up(run_cli, project)
    before, ids_before = tree(project / "site"), identities(project / "site")
    set_skip_link(project, SKIP_LINK)

    report = build(run_cli, project)

    after = assert_incremental_equals_clean(run_cli, project, tmp_path, before, report)
    english = html_pages(after, "en")
    assert len(english) > 30
    assert {p: skip_link(after[p]) for p in english} == {p: SKIP_LINK for p in english}
    assert report.changed == len(english)
    ids_after = identities(project / "site")
    for path in [*html_pages(after, "ko"), "en/feed.xml", "static/style.css"]:
        assert (after[path], ids_after[path]) == (before[path], ids_before[path]), path


def test_pages_whose_only_change_is_the_chrome_are_not_rendered_again(
    project: Path, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warm_up(run_cli, project)
    before = tree(project / "site")
    made = calls(monkeypatch, generator.build.produce, "make")
    set_skip_link(project, SKIP_LINK)

    report = build(run_cli, project)

    assert made == []  # every English page re-framed, none rendered
    after = assert_incremental_equals_clean(run_cli, project, tmp_path, before, report)
    assert all(skip_link(after[p]) == SKIP_LINK for p in html_pages(after, "en"))


def test_a_page_that_shows_a_chrome_message_itself_is_rendered_again(
    project: Path, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "Search" is in the navigation and the search page's own heading: that page and the
    "not found" page (which offers the search) read it themselves."""
    warm_up(run_cli, project)
    before = tree(project / "site")
    made = calls(monkeypatch, generator.build.produce, "make")
    replace_text(
        project / KO_CATALOG, 'msgid "Search"\nmsgstr "검색"', 'msgid "Search"\nmsgstr "찾기"'
    )

    report = build(run_cli, project)

    # The root's "not found" page is in the default language, Korean.
    assert sorted(p.id for _, _, p in made) == [
        '["not-found","ko"]',
        '["root-404"]',
        '["search-page","ko"]',
    ]
    after = assert_incremental_equals_clean(run_cli, project, tmp_path, before, report)
    nav = html.fromstring(after["ko/index.html"]).xpath("//nav[contains(@class, 'site-nav')]//a")
    assert "찾기" in [a.text_content() for a in nav]
    assert "찾기".encode() in after["ko/search/index.html"]


def test_an_edit_of_the_chrome_template_reframes_both_languages(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    warm_up(run_cli, project)
    before = tree(project / "site")
    chrome = project / "templates/_chrome.html"
    text = chrome.read_text(encoding="utf-8")
    write(chrome, text.replace("<p>{{ site.description }}</p>", "<p>{{ site.description }}.</p>"))

    report = build(run_cli, project)

    after = assert_incremental_equals_clean(run_cli, project, tmp_path, before, report)
    for lang in ("ko", "en"):
        pages = html_pages(after, lang)
        footers = {
            p: html.fromstring(after[p]).xpath("//footer/p")[0].text_content() for p in pages
        }
        assert all(text.endswith(".") for text in footers.values()), lang
        assert all(after[p] != before[p] for p in pages), lang


def test_a_page_changed_by_hand_in_the_site_is_rendered_not_reframed(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    warm_up(run_cli, project)
    before = tree(project / "site")
    tampered = project / "site" / page("en", CHIPS)
    tampered.write_bytes(tampered.read_bytes().replace(b"<main", b"<p>planted</p>\n<main"))
    set_skip_link(project, SKIP_LINK)

    report = build(run_cli, project)

    assert report.changed >= len(html_pages(before, "en"))
    after = assert_incremental_equals_clean(run_cli, project, tmp_path, before, report)
    assert b"planted" not in after[page("en", CHIPS)]


@pytest.mark.parametrize(
    "frames",
    ["not json", '{"en/index.html": [["footer", 999999999, 1000000000]]}', '{"x": []}', "{}"],
    ids=["unreadable", "out-of-range", "other-file", "none"],
)
def test_a_damaged_record_of_where_the_chrome_stands_renders_the_page(
    project: Path, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, frames: str
) -> None:
    warm_up(run_cli, project)
    before = tree(project / "site")
    home = '["home","en",0]'
    connection = sqlite3.connect(project / CACHE_DIR / "state.sqlite3")
    with connection:
        changed = connection.execute("UPDATE products SET frames = ? WHERE id = ?", (frames, home))
        assert changed.rowcount == 1
    connection.close()
    made = calls(monkeypatch, generator.build.produce, "make")
    set_skip_link(project, SKIP_LINK)

    report = build(run_cli, project)

    assert [product.id for _, _, product in made] == [home]
    after = assert_incremental_equals_clean(run_cli, project, tmp_path, before, report)
    assert skip_link(after["en/index.html"]) == SKIP_LINK


def test_a_mistake_in_the_chrome_is_reported_at_its_line_and_nothing_is_written(
    project: Path, run_cli: RunCli
) -> None:
    warm_up(run_cli, project)
    before = tree(project / "site")
    chrome = project / "templates/_chrome.html"
    lines = chrome.read_text(encoding="utf-8").split("\n")
    [number] = [n for n, line in enumerate(lines, 1) if "{{ site.description }}" in line]
    lines[number - 1] = lines[number - 1].replace("site.description", "site.motto")
    write(chrome, "\n".join(lines))

    run = run_cli("build", "--source", project)

    assert run.status == 1
    assert f"templates/_chrome.html:{number}: template error:" in run.err
    assert "motto" in run.err
    assert "Traceback" not in run.err
    assert tree(project / "site") == before


def _drop_footer_block(project: Path) -> None:
    chrome = project / "templates/_chrome.html"
    text = chrome.read_text(encoding="utf-8")
    start, end = text.index("{% block footer %}"), text.rindex("{% endblock %}")
    write(chrome, text[:start] + text[end + len("{% endblock %}") :])


def _include_a_missing_template(project: Path) -> None:
    chrome = project / "templates/_chrome.html"
    text = chrome.read_text(encoding="utf-8")
    included = '{% include "_notice.html" ignore missing %}{% endblock %}'
    write(chrome, text.replace("{% endblock %}", included, 1))


#: Changes to what the chrome is (its template there or not, its blocks, what it includes),
#: each made after a build of the state before it: every step must equal a clean build.
SHAPES = {
    "chrome-template-added": (
        lambda p: (p / "templates/_chrome.html").rename(p / "chrome.keep"),
        lambda p: (p / "chrome.keep").rename(p / "templates/_chrome.html"),
    ),
    "chrome-template-removed": (
        lambda p: None,
        lambda p: (p / "templates/_chrome.html").unlink(),
    ),
    "block-added": (_drop_footer_block, lambda p: write_chrome_back(p)),
    "block-removed": (lambda p: None, _drop_footer_block),
    "included-template-added": (
        _include_a_missing_template,
        lambda p: write(p / "templates/_notice.html", "<p>A notice in every header.</p>"),
    ),
}


def write_chrome_back(project: Path) -> None:
    from conftest import ROOT

    write(project / "templates/_chrome.html", (ROOT / "templates/_chrome.html").read_bytes())


@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_change_to_what_the_chrome_is_equals_a_clean_build(
    project: Path, run_cli: RunCli, tmp_path: Path, shape: str
) -> None:
    before_edit, edit = SHAPES[shape]
    before_edit(project)
    warm_up(run_cli, project)
    before = tree(project / "site")

    edit(project)
    report = build(run_cli, project)

    after = assert_incremental_equals_clean(run_cli, project, tmp_path, before, report)
    assert report.changed > 0
    footers = {p: html.fromstring(after[p]).xpath("//footer") for p in html_pages(after, "en")}
    has_footer = shape not in ("chrome-template-removed", "block-removed")
    assert all(bool(found) == has_footer for found in footers.values()), shape
