"""Every attribute and every feed text goes through one escaping path.

``base_url`` is checked as a URL where it enters (``site.yaml`` or ``--base-url``), so no quote
or angle bracket can reach the thousands of links made from it; body links resolved by the
build are escaped for their attribute; ``cite`` URLs are sanitized like ``href``; and titles in
feeds and OPML files are plain text in readers that show them as HTML as well as in those that
do not.
"""

from __future__ import annotations

from pathlib import Path

import feedparser
import lxml.etree
import lxml.html
import pytest
import yaml
from citing import sources
from refusals import ARTICLE_MISTAKE, RunCli, assert_one, refused

YEAR_DIR = "content/articles/2025"
FRONT = {
    "title": "A test article",
    "date": "2025-08-27T09:00:00+09:00",
    "sources": sources("https://example.com/news/3"),
    "sectors": ["ai"],
}


def write_article(project: Path, name: str, body: str, **front: object) -> str:
    rel = f"{YEAR_DIR}/{name}"
    meta = {**FRONT, **front}
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body
    (project / rel).write_text(text, encoding="utf-8")
    return rel


@pytest.fixture
def built(project: Path, run_cli: RunCli) -> Path:
    assert run_cli("build", "--source", project).status == 0
    return project


# --- base_url ---------------------------------------------------------------------------------

HOSTILE_BASES = {
    "attribute-break": 'https://preview.example/x"><svg/onload=alert(1)>/',
    "single-quote": "https://preview.example/it's/",
    "angle-brackets": "https://preview.example/<b>/",
    "backtick": "https://preview.example/`x`/",
    "space": "https://preview.example/a b/",
    "backslash": "https://preview.example/a\\b/",
    "non-ascii-path": "https://preview.example/미리보기/",
    "bad-percent": "https://preview.example/100%/",
    "user-info": "https://user:pass@preview.example/",
    "bad-host": "https://pre_view..example/",
    "javascript": "javascript:alert(1)//",
}


@pytest.mark.parametrize("base", HOSTILE_BASES.values(), ids=HOSTILE_BASES.keys())
def test_hostile_base_url_option_is_refused_before_anything_is_built(
    built: Path, run_cli: RunCli, base: str
) -> None:
    other = ARTICLE_MISTAKE.plant(built)

    errors = refused(run_cli, built, "--base-url", base, other=other, compare_check=False)

    assert len(errors) == 1, errors
    assert errors[0].startswith("--base-url: 'base_url' "), errors


@pytest.mark.parametrize("base", HOSTILE_BASES.values(), ids=HOSTILE_BASES.keys())
def test_hostile_base_url_in_settings_is_an_error_at_its_line(
    built: Path, run_cli: RunCli, base: str
) -> None:
    path = built / "site.yaml"
    lines = path.read_text("utf-8").split("\n")
    line = next(i for i, x in enumerate(lines, start=1) if x.startswith("base_url:"))
    lines[line - 1] = "base_url: " + yaml.safe_dump(base, width=1000).split("\n")[0]
    path.write_text("\n".join(lines), "utf-8")
    other = ARTICLE_MISTAKE.plant(built)

    errors = refused(run_cli, built, other=other)

    assert_one(errors, f"site.yaml:{line}", "'base_url'")


def test_percent_encoded_preview_base_url_reaches_every_link_intact(
    project: Path, run_cli: RunCli
) -> None:
    base = "https://preview.example/feature%2Fchips/"
    write_article(
        project,
        "linking.en.md",
        "See [the MASGA summary](masga-shipbuilding-cooperation.en.md), "
        "[the sectors](/en/sectors/) and [part](/en/sectors/#main).\n",
    )

    run = run_cli("build", "--source", project, "--base-url", base)

    assert run.status == 0, run.err
    page = project / "site/en/articles/2025/linking/index.html"
    body = lxml.html.parse(str(page)).find(".//div[@class='article-body']")
    assert [a.get("href") for a in body.iter("a")] == [
        "/feature%2Fchips/en/articles/2025/masga-shipbuilding-cooperation/",
        "/feature%2Fchips/en/sectors/",
        "/feature%2Fchips/en/sectors/#main",
    ]
    feed = feedparser.parse(str(project / "site/en/feed.xml"))
    item = next(e for e in feed.entries if e.title == "A test article")
    assert (
        'href="https://preview.example/feature%2Fchips/en/articles/2025/'
        'masga-shipbuilding-cooperation/"' in item.content[0].value
    )
    for file in (project / "site").rglob("*"):
        if file.suffix in (".html", ".xml"):
            data = file.read_bytes()
            # The only <svg> is a term page's own chart, never the base URL's payload.
            assert b"<svg/onload" not in data and b"alert(" not in data, file
            assert data.count(b"<svg") == data.count(b'<figure class="term-chart">'), file


# --- cite ---------------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["q", "blockquote", "del", "ins"])
@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "  javascript:alert(1)",
        "java&#x09;script:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
    ],
    ids=["plain", "mixed-case", "leading-space", "tab-entity", "data", "vbscript"],
)
def test_cite_that_could_run_script_is_dropped(
    project: Path, run_cli: RunCli, tag: str, url: str
) -> None:
    write_article(project, "cited.en.md", f'Intro.\n\n<{tag} cite="{url}">quoted</{tag}>\n')

    run = run_cli("build", "--source", project)

    assert run.status == 0, run.err
    for path in [
        project / "site/en/articles/2025/cited/index.html",
        project / "site/en/feed.xml",
    ]:
        text = path.read_text("utf-8").lower()
        assert "quoted" in text
        assert "script:" not in text and "data:text" not in text, path


def test_cite_with_a_web_address_is_kept(project: Path, run_cli: RunCli) -> None:
    write_article(
        project, "cited.en.md", 'Intro.\n\n<q cite="https://example.com/said">quoted</q>\n'
    )

    run = run_cli("build", "--source", project)

    assert run.status == 0, run.err
    page = lxml.html.parse(str(project / "site/en/articles/2025/cited/index.html"))
    assert [q.get("cite") for q in page.iter("q")] == ["https://example.com/said"]


# --- titles in feeds and OPML ----------------------------------------------------------------

TITLE = 'Chips & <b>Bold</b> "Quotes" AT&T'
SECTOR = "AI & <i>Robots</i>"


@pytest.fixture
def marked_up(project: Path, run_cli: RunCli) -> Path:
    """A site whose article title and sector name look like HTML."""
    write_article(project, "marked.en.md", "Body.\n", title=TITLE)
    registry = project / "content/taxonomies/sectors.yaml"
    data = yaml.safe_load(registry.read_text("utf-8"))
    data["ai"]["name"]["en"] = SECTOR
    registry.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    run = run_cli("build", "--source", project)
    assert run.status == 0, run.err
    return project / "site"


def test_feed_titles_and_categories_are_written_as_hexadecimal_references(
    marked_up: Path,
) -> None:
    raw = (marked_up / "en/feed.xml").read_text("utf-8")

    assert "<title>Chips &#x26; &#x3C;b&#x3E;Bold&#x3C;/b&#x3E; &#x22;Quotes&#x22; AT&#x26;T" in raw
    assert "<category>AI &#x26; &#x3C;i&#x3E;Robots&#x3C;/i&#x3E;</category>" in raw
    assert "<b>" not in raw.split("<description>")[0]


def test_feed_titles_read_back_as_the_text_the_author_wrote(marked_up: Path) -> None:
    for feed_file in [marked_up / "en/feed.xml", marked_up / "en/sectors/ai/feed.xml"]:
        root = lxml.etree.fromstring(feed_file.read_bytes())
        titles = [t.text for t in root.iter("title")]
        assert TITLE in titles
        parsed = feedparser.parse(str(feed_file))
        assert parsed.bozo == 0
        entry = next(e for e in parsed.entries if "Chips" in e.title)
        assert entry.title == TITLE
        assert SECTOR in [tag.term for tag in entry.tags]
    channel = feedparser.parse(str(marked_up / "en/sectors/ai/feed.xml")).feed
    assert SECTOR in channel.title


def test_opml_titles_are_plain_text(marked_up: Path) -> None:
    raw = (marked_up / "en/feeds-sectors.opml").read_text("utf-8")
    root = lxml.etree.fromstring(raw.encode("utf-8"))

    texts = [o.get("text") for o in root.iter("outline")]
    assert any(text is not None and SECTOR in text for text in texts)
    assert "&#x3C;i&#x3E;Robots" in raw
    assert "<i>" not in raw


# --- messages in templates --------------------------------------------------------------------


def test_a_message_is_the_templates_markup_in_and_out_of_an_autoescape_block(
    project: Path, run_cli: RunCli
) -> None:
    # As in Jinja's i18n extension, a message is markup the templates trust: where escaping
    # is on it is marked safe, where a template turns escaping off it is written as it is.
    # The same message is used first with escaping off, then on: a translation kept from
    # the first use (a plain string) would be escaped in the second. "%%" is a format
    # string's "%" even in a message without variables.
    home = project / "templates/home.html"
    messages = (
        "{% autoescape false %}"
        '<p id="escaping-off">{{ _("Q&amp;A <b>bold</b>") }}</p>'
        "{% endautoescape %}"
        '<p id="escaping-on">{{ _("Q&amp;A <b>bold</b>") }}</p>'
        '<p id="percent">{{ _("100%% sure") }}</p>'
    )
    text = home.read_text(encoding="utf-8")
    home.write_text(text.replace("{% block content %}", "{% block content %}" + messages, 1))
    assert run_cli("build", "--source", project).status == 0

    for page in ("en/index.html", "ko/index.html"):
        doc = lxml.html.parse(str(project / "site" / page)).getroot()
        for where in ("escaping-off", "escaping-on"):
            [message] = doc.xpath(f"//p[@id='{where}']")
            assert message.text_content() == "Q&A bold", (page, where)
            assert message.xpath("b/text()") == ["bold"], (page, where)
        [percent] = doc.xpath("//p[@id='percent']")
        assert percent.text_content() == "100% sure", page
