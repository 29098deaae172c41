"""Drafts and scheduled articles stay off the site until asked for.

An article marked ``draft: true``, or dated after the moment of the build (here 2999-01-01), is
absent from every page and feed of a plain build: it has no page, no page links to it, no feed
lists it and no term page counts it. ``build --drafts`` publishes drafts and ``build --future``
publishes scheduled articles. ``pressroom check`` lists both kinds.

Each test adds a hidden article, in Korean and in English, to a fresh copy of the default site
(``project``) and compares with the default site built as it is (``built_site``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import feedparser
import pytest
from lxml import html

#: The ``run_cli`` fixture: runs ``pressroom`` in-process, returns Run(status, out, err).
RunCli = Callable[..., Any]

LANGUAGES = ("ko", "en")
#: The term every hidden article names, so its page and feed must not count them.
SECTOR = "ai"
PERSON = "jensen-huang"


@dataclass(frozen=True)
class Hidden:
    """One kind of article a plain build leaves out, and the flag that publishes it."""

    kind: str
    slug: str
    year: str
    date: str
    extra: tuple[str, ...]
    flag: str

    def path(self, lang: str) -> str:
        return f"content/articles/{self.year}/{self.slug}.{lang}.md"

    def title(self, lang: str) -> str:
        return f"Hidden {self.kind} headline {lang}"

    def url_path(self, lang: str) -> str:
        """The article's page, relative to the base path."""
        return f"{lang}/articles/{self.year}/{self.slug}/"


DRAFT = Hidden(
    "draft", "preview-story", "2025", "2025-08-27T10:00:00+09:00", ("draft: true",), "--drafts"
)
SCHEDULED = Hidden(
    "scheduled", "scheduled-story", "2999", "2999-01-01T09:00:00+09:00", (), "--future"
)
KINDS = [pytest.param(DRAFT, id="draft"), pytest.param(SCHEDULED, id="future")]


# --- helpers ---------------------------------------------------------------------------------


def write_hidden(project: Path, hidden: Hidden) -> list[str]:
    """Write ``hidden`` in every language; return the source paths."""
    paths = []
    for lang in LANGUAGES:
        front_matter = [
            "---",
            f'title: "{hidden.title(lang)}"',
            f"date: {hidden.date}",
            *hidden.extra,
            f"sectors: [{SECTOR}]",
            f"people: [{PERSON}]",
            "sources:",
            "  - outlet: asiae",
            '    headline: "Test report"',
            '    url: "https://example.com/news"',
            "    published: 2025-08-26",
            "---",
        ]
        rel = hidden.path(lang)
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(front_matter) + "\nNot for readers yet.\n", encoding="utf-8")
        paths.append(rel)
    return paths


def build(run_cli: RunCli, project: Path, *args: str) -> Path:
    """Build, expecting success; return the site directory."""
    run = run_cli("build", "--source", project, *args)
    assert run.status == 0, f"build failed\nstdout:\n{run.out}\nstderr:\n{run.err}"
    return project / "site"


def page(site: Path, path: str) -> html.HtmlElement:
    """A built page by its path under the base path ("en/sectors/ai/")."""
    return html.parse(str(site / path / "index.html")).getroot()


def all_links(site: Path) -> set[str]:
    """Every href of every HTML page of a site."""
    return {
        href
        for file in site.rglob("*.html")
        for href in html.parse(str(file)).getroot().xpath("//@href")
    }


def feed_entries(site: Path) -> dict[str, list[tuple[str, str]]]:
    """Every feed of a site: its path → (link, title) of each entry."""
    entries = {}
    for file in sorted(site.rglob("*.xml")):
        parsed = feedparser.parse(file.read_bytes())
        assert not parsed.bozo, f"{file} is not a well-formed feed: {parsed.bozo_exception}"
        entries[file.relative_to(site).as_posix()] = [(e.link, e.title) for e in parsed.entries]
    return entries


def listed_articles(site: Path, path: str) -> list[str]:
    """The article links listed on a page (home or term page), in order."""
    root = page(site, path)
    items = '//ol[@class="article-list"]/li[@class="article-summary"]/h2/a'
    return [a.get("href") for a in root.xpath(items)]


def count_text(site: Path, path: str) -> str:
    """The "N articles" line of a term page."""
    [count] = page(site, path).xpath('//p[@class="count"]')
    return count.text_content().strip()


def write_draft_translation(project: Path) -> None:
    """A draft English version of the Korean-only biotech article."""
    korean = project / "content/articles/2025/biotech-trusted-partner.ko.md"
    text = korean.read_text(encoding="utf-8")
    text = text.replace("---\n", "---\ndraft: true\n", 1)
    text = text.replace("title:", 'title: "Bio draft"\n#', 1)
    korean.with_name("biotech-trusted-partner.en.md").write_text(text, encoding="utf-8")


def term_pages(lang: str) -> list[str]:
    return [f"{lang}/sectors/{SECTOR}/", f"{lang}/people/{PERSON}/"]


# --- left out by default ---------------------------------------------------------------------


@pytest.mark.parametrize("hidden", KINDS)
def test_hidden_article_has_no_page_by_default(
    project: Path, run_cli: RunCli, hidden: Hidden
) -> None:
    write_hidden(project, hidden)
    site = build(run_cli, project)
    assert list(site.rglob(f"*{hidden.slug}*")) == []


@pytest.mark.parametrize("hidden", KINDS)
def test_hidden_article_is_linked_from_no_page_by_default(
    project: Path, run_cli: RunCli, hidden: Hidden
) -> None:
    write_hidden(project, hidden)
    site = build(run_cli, project)
    assert [href for href in all_links(site) if hidden.slug in href] == []


@pytest.mark.parametrize("hidden", KINDS)
def test_hidden_article_title_appears_in_no_file_by_default(
    project: Path, run_cli: RunCli, hidden: Hidden
) -> None:
    write_hidden(project, hidden)
    site = build(run_cli, project)
    titles = [hidden.title(lang).encode() for lang in LANGUAGES]
    showing = [
        file.relative_to(site).as_posix()
        for file in site.rglob("*")
        if file.is_file() and any(title in file.read_bytes() for title in titles)
    ]
    assert showing == []


@pytest.mark.parametrize("hidden", KINDS)
def test_hidden_article_is_in_no_feed_by_default(
    project: Path, run_cli: RunCli, hidden: Hidden, built_site: Path
) -> None:
    write_hidden(project, hidden)
    site = build(run_cli, project)
    assert feed_entries(site) == feed_entries(built_site)


@pytest.mark.parametrize("hidden", KINDS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_hidden_article_is_not_counted_on_term_pages_by_default(
    project: Path, run_cli: RunCli, hidden: Hidden, built_site: Path, lang: str
) -> None:
    write_hidden(project, hidden)
    site = build(run_cli, project)
    for path in term_pages(lang):
        assert listed_articles(site, path) == listed_articles(built_site, path)
        assert count_text(site, path) == count_text(built_site, path)


@pytest.mark.parametrize("hidden", KINDS)
def test_hidden_article_is_left_out_of_the_build_report(
    project: Path, run_cli: RunCli, hidden: Hidden
) -> None:
    baseline = run_cli("build", "--source", project, "--output", project / "baseline")
    write_hidden(project, hidden)
    run = run_cli("build", "--source", project)
    assert run.status == 0
    assert run.out.splitlines()[:3] == baseline.out.splitlines()[:3]


def test_draft_translation_is_not_offered_by_its_published_original(
    project: Path, run_cli: RunCli
) -> None:
    write_draft_translation(project)
    site = build(run_cli, project)
    english_url = "/pressroom/en/articles/2025/biotech-trusted-partner/"
    hrefs = page(site, "ko/articles/2025/biotech-trusted-partner/").xpath("//@href")
    assert english_url not in hrefs
    assert not (site / "en/articles/2025/biotech-trusted-partner").exists()


# --- published when asked for ----------------------------------------------------------------


@pytest.mark.parametrize("hidden", KINDS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_flag_publishes_the_hidden_article_page(
    project: Path, run_cli: RunCli, hidden: Hidden, lang: str
) -> None:
    write_hidden(project, hidden)
    site = build(run_cli, project, hidden.flag)
    assert page(site, hidden.url_path(lang)).findtext(".//h1").strip() == hidden.title(lang)


@pytest.mark.parametrize("hidden", KINDS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_flag_lists_the_hidden_article_on_its_home_page(
    project: Path, run_cli: RunCli, hidden: Hidden, lang: str
) -> None:
    write_hidden(project, hidden)
    site = build(run_cli, project, hidden.flag)
    assert f"/pressroom/{hidden.url_path(lang)}" in listed_articles(site, f"{lang}/")


@pytest.mark.parametrize("hidden", KINDS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_flag_puts_the_hidden_article_in_its_feeds(
    project: Path, run_cli: RunCli, hidden: Hidden, lang: str
) -> None:
    write_hidden(project, hidden)
    site = build(run_cli, project, hidden.flag)
    url = f"https://example.github.io/pressroom/{hidden.url_path(lang)}"
    entries = feed_entries(site)
    for feed in (f"{lang}/feed.xml", f"{lang}/sectors/{SECTOR}/feed.xml"):
        assert (url, hidden.title(lang)) in entries[feed], f"not in {feed}"


@pytest.mark.parametrize("hidden", KINDS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_flag_counts_the_hidden_article_on_term_pages(
    project: Path, run_cli: RunCli, hidden: Hidden, built_site: Path, lang: str
) -> None:
    write_hidden(project, hidden)
    site = build(run_cli, project, hidden.flag)
    for path in term_pages(lang):
        listed = listed_articles(site, path)
        assert f"/pressroom/{hidden.url_path(lang)}" in listed
        assert len(listed) == len(listed_articles(built_site, path)) + 1


def test_draft_translation_is_offered_by_its_original_with_drafts(
    project: Path, run_cli: RunCli
) -> None:
    write_draft_translation(project)
    site = build(run_cli, project, "--drafts")
    hrefs = page(site, "ko/articles/2025/biotech-trusted-partner/").xpath("//@href")
    assert "/pressroom/en/articles/2025/biotech-trusted-partner/" in hrefs


def test_drafts_flag_does_not_publish_scheduled_articles(project: Path, run_cli: RunCli) -> None:
    write_hidden(project, SCHEDULED)
    site = build(run_cli, project, "--drafts")
    assert list(site.rglob(f"*{SCHEDULED.slug}*")) == []


def test_future_flag_does_not_publish_drafts(project: Path, run_cli: RunCli) -> None:
    write_hidden(project, DRAFT)
    site = build(run_cli, project, "--future")
    assert list(site.rglob(f"*{DRAFT.slug}*")) == []


def test_both_flags_publish_both_kinds(project: Path, run_cli: RunCli) -> None:
    write_hidden(project, DRAFT)
    write_hidden(project, SCHEDULED)
    site = build(run_cli, project, "--drafts", "--future")
    for hidden in (DRAFT, SCHEDULED):
        for lang in LANGUAGES:
            assert (site / hidden.url_path(lang) / "index.html").is_file()


# --- check lists them ------------------------------------------------------------------------


def check_sections(out: str) -> dict[str, list[str]]:
    """The text report's sections after the diagnostics: heading line → its indented items."""
    sections: dict[str, list[str]] = {}
    heading = ""
    for line in out.splitlines():
        if not line.strip():
            continue
        if line.startswith(" "):
            sections.setdefault(heading, []).append(line.strip())
        else:
            heading = line
    return sections


def items_under(sections: dict[str, list[str]], word: str) -> list[str]:
    """The items of the one section whose heading contains ``word`` (case-insensitive)."""
    matching = [heading for heading in sections if word in heading.lower()]
    assert len(matching) == 1, f"expected one section about {word!r}: {list(sections)}"
    return sections[matching[0]]


def test_check_lists_drafts(project: Path, run_cli: RunCli) -> None:
    drafts = write_hidden(project, DRAFT)
    write_hidden(project, SCHEDULED)
    run = run_cli("check", "--source", project)
    assert run.status == 0, run.out
    assert sorted(items_under(check_sections(run.out), "draft")) == sorted(drafts)


def test_check_lists_scheduled_articles(project: Path, run_cli: RunCli) -> None:
    write_hidden(project, DRAFT)
    scheduled = write_hidden(project, SCHEDULED)
    run = run_cli("check", "--source", project)
    assert run.status == 0, run.out
    assert sorted(items_under(check_sections(run.out), "future")) == sorted(scheduled)


def test_check_json_lists_drafts_and_scheduled_articles(project: Path, run_cli: RunCli) -> None:
    drafts = write_hidden(project, DRAFT)
    scheduled = write_hidden(project, SCHEDULED)
    report = json.loads(run_cli("check", "--source", project, "--format", "json").out)
    assert sorted(report["drafts"]) == sorted(drafts)
    assert sorted(report["scheduled"]) == sorted(scheduled)


@pytest.mark.parametrize("hidden", KINDS)
def test_check_with_flag_reports_errors_in_hidden_articles(
    project: Path, run_cli: RunCli, hidden: Hidden
) -> None:
    write_hidden(project, hidden)
    rel = hidden.path("en")
    path = project / rel
    path.write_text(
        path.read_text(encoding="utf-8") + "\n[gone](no-such-article.en.md)\n", encoding="utf-8"
    )
    line = len(path.read_text(encoding="utf-8").splitlines())
    run = run_cli("check", "--source", project, hidden.flag)
    assert run.status == 1, run.out
    assert f"{rel}:{line}:" in run.out
