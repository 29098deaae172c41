"""Hostile input is contained: no script reaches a reader, no file is read or written outside the
site, no YAML runs code, and no pathological file hangs or crashes the build.

Most builds run in-process on a fresh copy of the default site (the ``project`` fixture). The
pathological files run as ``python -m generator build`` with a timeout, so that a hang fails the
test instead of stalling the suite (the bound is a hang guard, not a timing assertion).
"""

from __future__ import annotations

import json
import pickle
import random
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import feedparser
import lxml.etree
import lxml.html
import pytest
import yaml
from citing import report, sources
from conftest import copy_project

from generator.commands.cli import main

#: The ``run_cli`` fixture: runs ``pressroom`` in-process, returns Run(status, out, err).
RunCli = Callable[..., Any]

ERROR_LINE_RE = re.compile(r"^[^:\n]+:\d+: .+$")
SUMMARY_RE = re.compile(r"build failed: \d+ errors?; nothing was written")
#: Hang guard for every subprocess build.
TIMEOUT = 20
YEAR_DIR = "content/articles/2025"
DATE = "2025-08-27T09:00:00+09:00"

#: Elements that run script, load other documents, restyle the page or submit data.
FORBIDDEN_TAGS = frozenset(
    {
        "script",
        "iframe",
        "frame",
        "frameset",
        "style",
        "object",
        "embed",
        "applet",
        "base",
        "form",
        "input",
        "button",
        "textarea",
        "select",
        "svg",
        "math",
        "noscript",
        "template",
    }
)
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
#: The only inline style nh3 is told to keep.
STYLE_OK = re.compile(r"\s*(text-align\s*:\s*[a-z-]+\s*;?\s*)?")


# --- helpers ---------------------------------------------------------------------------------


#: A cited report, as valid front matter (one line).
CITED = "sources: [{outlet: asiae, headline: T, url: 'https://e.com/n', published: 2025-08-26}]"


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` (relative path → bytes)."""
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def tree(directory: Path) -> set[str]:
    """Every path under ``directory``, except the generator's own cache."""
    return {
        p.relative_to(directory).as_posix()
        for p in directory.rglob("*")
        if ".pressroom-cache" not in p.relative_to(directory).parts
    }


def write_article(
    project: Path, name: str, body: str = "Body text.\n", **front: Any
) -> tuple[str, Path]:
    """Write ``content/articles/2025/<name>`` with a valid front matter updated by ``front``."""
    meta: dict[str, Any] = {"title": "A test article", "date": DATE, "sources": sources()}
    meta.update(front)
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body
    rel = f"{YEAR_DIR}/{name}"
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return rel, path


def build(run_cli: RunCli, project: Path, *args: str | Path) -> Any:
    return run_cli("build", "--source", project, *args)


def assert_failed_cleanly(err: str, status: int) -> list[str]:
    """Exit 1, only `path:line: message` lines and the summary; return the error lines."""
    assert status == 1, err
    lines = err.rstrip("\n").split("\n")
    assert SUMMARY_RE.fullmatch(lines[-1]), err
    bad = [line for line in lines[:-1] if not ERROR_LINE_RE.match(line)]
    assert bad == [], err
    return lines[:-1]


def run_module(project: Path) -> subprocess.CompletedProcess[str]:
    """``python -m generator build`` on ``project``; fails the test if it does not finish."""
    try:
        return subprocess.run(
            [sys.executable, "-m", "generator", "build", "--source", str(project)],
            cwd=project.parent,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the build did not finish within {TIMEOUT} s (hang guard)")


def parse_html(path: Path) -> lxml.html.HtmlElement:
    parser = lxml.html.HTMLParser(encoding="utf-8")
    return lxml.html.document_fromstring(path.read_bytes(), parser=parser)


def html_fragment(text: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(text, create_parent="div")


def chart_drawing(el: lxml.html.HtmlElement) -> bool:
    """A term page's chart, which the build draws from numbers: an <svg> directly in
    <figure class="term-chart"> holding only rectangles, a line and titles (their attributes
    are checked like any other element's)."""
    parent = el.getparent()
    return (
        el.tag == "svg"
        and parent is not None
        and parent.tag == "figure"
        and parent.get("class") == "term-chart"
        and all(child.tag in ("title", "rect", "line") for child in el.iterdescendants())
    )


def own_script(el: lxml.html.HtmlElement, rel: str) -> bool:
    """One of the site's own scripts, which no input can add to or break out of: the
    chooser's redirect (its data is JSON-escaped), a JSON-LD block in <head> (JSON with every
    ``<`` and ``>`` escaped), on search pages Pagefind's UI and its starter, and on the root
    404 page its language order, all loaded from the site itself."""
    text = el.text or ""
    if rel == "index.html":
        return "</" not in text and "<!" not in text
    if el.get("type") == "application/ld+json":
        if el.getparent().tag != "head" or "<" in text or ">" in text:
            return False
        try:
            json.loads(text)
        except ValueError:
            return False
        return True
    src = el.get("src") or ""
    if rel == "404.html":  # the root 404 page puts the asked-for language first
        return not text.strip() and src.startswith("/") and src.endswith("/static/not-found.js")
    return (
        rel.endswith("/search/index.html")
        and not text.strip()
        and src.startswith("/")
        and src.endswith(("/pagefind/pagefind-ui.js", "/static/search.js"))
    )


def own_scripts(site: Path) -> dict[str, int]:
    """File → how many of the site's own scripts it has (see own_script)."""
    counts = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        count = sum(1 for el in parse_html(path).iter("script") if own_script(el, rel))
        if count:
            counts[rel] = count
    return counts


def element_problems(
    root: lxml.html.HtmlElement, allowed: frozenset[str], *, chooser: bool, rel: str = ""
) -> list[str]:
    """Every script, handler, dangerous URL or forbidden element under ``root``."""
    problems = []
    for el in root.iter():
        if not isinstance(el.tag, str):  # a comment or processing instruction
            if "script" in (el.text or "").lower():
                problems.append(f"comment with script: {el.text!r}")
            continue
        tag = el.tag.lower()
        script = el.text or ""
        if tag == "script" and chooser and "</" not in script and "<!" not in script:
            continue  # the language chooser's own redirect script (its data is JSON-escaped)
        if tag == "script" and rel and own_script(el, rel):
            continue  # JSON-LD data, or the search page's scripts from the site itself
        if tag in FORBIDDEN_TAGS - allowed and not chart_drawing(el):
            problems.append(f"<{tag}> element")
        if tag == "meta" and el.get("http-equiv"):
            problems.append(f"<meta http-equiv={el.get('http-equiv')!r}>")
        for name, value in el.attrib.items():
            lowered = name.lower()
            compact = "".join(c for c in value if c.isprintable() and not c.isspace()).lower()
            if lowered.startswith("on"):
                problems.append(f"<{tag} {name}=...> event handler")
            elif lowered in ("srcdoc", "formaction", "action"):
                problems.append(f"<{tag} {name}=...>")
            elif compact.startswith(BAD_SCHEMES):
                problems.append(f"<{tag} {name}={value!r}>")
            elif lowered == "style" and not STYLE_OK.fullmatch(value):
                problems.append(f"<{tag} style={value!r}>")
    return problems


def active_content(site: Path, allowed: frozenset[str] = frozenset()) -> list[str]:
    """Every problem in every page, and in the HTML every feed carries, of a built site."""
    problems = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            found = element_problems(
                parse_html(path), allowed, chooser=rel == "index.html", rel=rel
            )
            problems += [f"{rel}: {p}" for p in found]
        elif path.suffix == ".xml":
            root = lxml.etree.fromstring(path.read_bytes())  # raises unless well-formed
            for el in root.iter():
                if not isinstance(el.tag, str):
                    continue
                name = lxml.etree.QName(el).localname
                if name == "script":
                    problems.append(f"{rel}: <script> in the feed")
                if name in ("encoded", "description") and el.text:
                    found = element_problems(html_fragment(el.text), allowed, chooser=False)
                    problems += [f"{rel} <{name}>: {p}" for p in found]
    return problems


def raw_scripts(site: Path) -> dict[str, int]:
    """File → number of literal ``<script`` tags in its bytes (only the site's own scripts)."""
    counts = {}
    for rel, data in snapshot(site).items():
        count = data.lower().count(b"<script")
        if count:
            counts[rel] = count
    return counts


def feed_items(path: Path) -> list[lxml.etree._Element]:
    return lxml.etree.fromstring(path.read_bytes()).findall("./channel/item")


CONTENT_NS = "{http://purl.org/rss/1.0/modules/content/}encoded"


# --- raw HTML in Markdown ----------------------------------------------------------------------

ATTACKS = "\n\n".join(
    [
        'First paragraph SAFE-START with <script>alert("XSS")</script> and '
        "<b onclick=\"alert('XSS')\">b</b>.",
        '<script>alert("XSS")</script>',
        "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
        '<img src="https://example.com/x.png" alt="x" onerror="alert(\'XSS\')">',
        '<img src="javascript:alert(\'XSS\')" alt="js">',
        '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+" alt="data">',
        "<a href=\"javascript:alert('XSS')\">js link</a>",
        "<a href=\"JaVaScRiPt:alert('XSS')\">mixed case</a>",
        "<a href=\"jav&#x09;ascript:alert('XSS')\">tab entity</a>",
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a>',
        "<a href=\"vbscript:msgbox('XSS')\">vbscript</a>",
        '<iframe src="https://evil.example/"></iframe>',
        "<iframe srcdoc=\"<script>alert('XSS')</script>\"></iframe>",
        "<style>body { display: none }</style>",
        "<div style=\"background:url(javascript:alert('XSS'))\">styled div</div>",
        '<svg onload="alert(\'XSS\')"><script>alert("XSS")</script></svg>',
        "<math><mtext><table><mglyph><style><img src=x onerror=alert('XSS')>"
        "</style></mglyph></table></mtext></math>",
        '<object data="https://evil.example/x.swf"></object>',
        '<embed src="https://evil.example/x.swf">',
        "<form action=\"javascript:alert('XSS')\"><input onfocus=\"alert('XSS')\" autofocus>"
        "<button formaction=\"javascript:alert('XSS')\">go</button></form>",
        "<base href=\"javascript:alert('XSS')//\">",
        '<meta http-equiv="refresh" content="0;url=javascript:alert(\'XSS\')">',
        '<link rel="stylesheet" href="https://evil.example/x.css">',
        "<details open ontoggle=\"alert('XSS')\">details</details>",
        '<!--[if IE]><script>alert("XSS")</script><![endif]-->',
        "<noscript><p title=\"</noscript><img src=x onerror=alert('XSS')>\"></p></noscript>",
        "<table><tr><td style=\"text-align: center; background: url(javascript:alert('XSS'))\">"
        "cell</td></tr></table>",
        "[markdown js link](javascript:alert('XSS'))",
        "[markdown data link](data:text/html,alert)",
        "![markdown image](javascript:alert('XSS'))",
        "<javascript:alert('XSS')>",
        "[reference link][evil]",
        "[evil]: javascript:alert('XSS')",
        "Last paragraph SAFE-END.\n",
    ]
)


def test_raw_html_attacks_reach_no_page_and_no_feed(project: Path, run_cli: RunCli) -> None:
    write_article(project, "attacks.en.md", ATTACKS, title="Attacks", sectors=["ai"])

    run = build(run_cli, project)

    assert run.status == 0, run.err
    site = project / "site"
    page = (site / "en/articles/2025/attacks/index.html").read_text(encoding="utf-8")
    assert "SAFE-START" in page
    assert "SAFE-END" in page
    assert active_content(site) == []
    assert raw_scripts(site) == own_scripts(site)


def test_control_character_reference_in_raw_html_is_refused_at_its_line(
    project: Path, run_cli: RunCli
) -> None:
    # Sanitizing would drop the href; a body that names a control character is refused
    # before that, at its line, like a control character typed into the text.
    body = "Intro.\n\n<a href=\"&#14;  javascript:alert('XSS')\">control character</a>\n"
    rel, path = write_article(project, "attacks.en.md", body, title="Attacks", sectors=["ai"])
    line = path.read_text("utf-8").split("\n").index(body.split("\n")[2]) + 1

    run = build(run_cli, project)

    errors = assert_failed_cleanly(run.err, run.status)
    assert errors == [
        f"{rel}:{line}: character reference &#14; stands for control character U+000E, "
        "which pages and feeds cannot hold: delete it"
    ]


def test_derived_summary_of_a_hostile_first_paragraph_is_plain_text(
    project: Path, run_cli: RunCli
) -> None:
    write_article(project, "attacks.en.md", ATTACKS, title="Attacks")

    run = build(run_cli, project)

    assert run.status == 0, run.err
    home = parse_html(project / "site/en/index.html")
    [entry] = [li for li in home.iter("li") if "SAFE-START" in li.text_content()]
    assert entry.xpath(".//script") == []
    page = parse_html(project / "site/en/articles/2025/attacks/index.html")
    [description] = page.xpath("//meta[@name='description']/@content")
    assert description.startswith("First paragraph SAFE-START with")
    assert "<" not in description


IFRAME_BODY = "\n\n".join(
    [
        "Embedded video:",
        '<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Video" '
        "onload=\"alert('XSS')\"></iframe>",
        '<iframe src="javascript:alert(\'XSS\')" title="js"></iframe>',
        '<script>alert("XSS")</script>\n',
    ]
)


def allow_iframes(project: Path) -> None:
    settings = project / "site.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text + "allow_html:\n  iframe: [src, title]\n", encoding="utf-8")


def test_allowed_iframe_keeps_its_src_and_title(project: Path, run_cli: RunCli) -> None:
    allow_iframes(project)
    write_article(project, "video.en.md", IFRAME_BODY, title="Video")

    run = build(run_cli, project)

    assert run.status == 0, run.err
    page = parse_html(project / "site/en/articles/2025/video/index.html")
    frames = page.xpath("//iframe")
    assert [(f.get("src"), f.get("title")) for f in frames] == [
        ("https://www.youtube-nocookie.com/embed/abc", "Video"),
        (None, "js"),
    ]


def test_allowed_iframe_still_lets_no_script_or_handler_through(
    project: Path, run_cli: RunCli
) -> None:
    allow_iframes(project)
    write_article(project, "video.en.md", IFRAME_BODY, title="Video")

    run = build(run_cli, project)

    assert run.status == 0, run.err
    assert active_content(project / "site", allowed=frozenset({"iframe"})) == []
    assert raw_scripts(project / "site") == own_scripts(project / "site")


ALLOWED_BODY = (
    '<iframe src="https://example.com/e" onload="alert(\'XSS\')"></iframe>\n\n'
    '<a href="https://example.com/" onclick="alert(\'XSS\')">link</a>\n\n'
    '<script src="https://evil.example/x.js">alert("XSS")</script>\n\n'
    "<style>body { display: none }</style>\n"
)


def allow(project: Path, allow_html: str) -> None:
    settings = project / "site.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text + f"allow_html:\n  {allow_html}\n", encoding="utf-8")


@pytest.mark.parametrize(
    "allow_html",
    ["iframe: [src, onload]", "a: [href, onclick]"],
    ids=["iframe-onload", "a-onclick"],
)
def test_allow_html_naming_an_event_handler_is_refused_or_has_no_effect(
    project: Path, run_cli: RunCli, allow_html: str
) -> None:
    allow(project, allow_html)
    write_article(project, "allowed.en.md", ALLOWED_BODY, title="Allowed")

    run = build(run_cli, project)

    if run.status == 1:
        lines = assert_failed_cleanly(run.err, run.status)
        assert any(line.startswith("site.yaml:") for line in lines), run.err
    else:
        assert run.status == 0, run.err
        assert active_content(project / "site", allowed=frozenset({"iframe"})) == []


@pytest.mark.parametrize("allow_html", ["script: [src]", "style: []"], ids=["script", "style"])
def test_allow_html_naming_script_or_style_is_refused_or_has_no_effect(
    project: Path, allow_html: str
) -> None:
    allow(project, allow_html)
    write_article(project, "allowed.en.md", ALLOWED_BODY, title="Allowed")

    result = run_module(project)

    assert "Traceback" not in result.stderr, result.stderr[-1500:]
    assert "panicked" not in result.stderr, result.stderr[-1500:]
    if result.returncode == 1:
        lines = assert_failed_cleanly(result.stderr, result.returncode)
        assert any(line.startswith("site.yaml:") for line in lines), result.stderr
    else:
        assert result.returncode == 0, result.stderr
        assert active_content(project / "site") == []
        assert raw_scripts(project / "site") == own_scripts(project / "site")


# --- text fields are escaped everywhere --------------------------------------------------------

TITLE = '<script>alert("T")</script> & \'single\' "double" ]]> </title>'
SUMMARY = '<script>alert("S")</script> & "quoted" \'apostrophe\' ]]> </meta>'
SOURCE_NAME = '<script>alert("N")</script> & "Co" \'x\''
SOURCE_URL = 'https://example.com/?a=1&b="><script>alert("U")</script>'
HEADLINE = '<script>alert("H")</script> & "Report" </a>'
TERM_NAME = '<script>alert("R")</script> & "Sector"'
TERM_DETAIL = '<b>bold</b> & "detail" <img src=x onerror=alert(1)>'
SITE_TITLE = 'Press <script>alert("P")</script> & "Room"'
BODY = "Body with ]]> in text, `]]></content:encoded><script>alert(1)</script>` as code.\n"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default site plus markup-laden text in every field a page or feed shows."""
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    registry = project / "content/taxonomies/sectors.yaml"
    entry = {"hostile": {"name": {"ko": TERM_NAME, "en": TERM_NAME}}}
    entry["hostile"]["description"] = {"ko": TERM_DETAIL, "en": TERM_DETAIL}
    registry.write_text(
        registry.read_text(encoding="utf-8") + yaml.safe_dump(entry, allow_unicode=True),
        encoding="utf-8",
    )
    outlets = project / "content/taxonomies/sources.yaml"
    outlet = {"hostile-daily": {"name": {"ko": SOURCE_NAME, "en": SOURCE_NAME}}}
    outlet["hostile-daily"] |= {"url": "https://example.com/", "language": "en"}
    outlets.write_text(
        outlets.read_text(encoding="utf-8") + yaml.safe_dump(outlet, allow_unicode=True),
        encoding="utf-8",
    )
    settings = yaml.safe_load((project / "site.yaml").read_text(encoding="utf-8"))
    settings["title"]["en"] = SITE_TITLE
    (project / "site.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True), "utf-8")
    write_article(
        project,
        "hostile.en.md",
        BODY,
        title=TITLE,
        summary=SUMMARY,
        sectors=["hostile"],
        sources=[report(SOURCE_URL, HEADLINE, outlet="hostile-daily")],
    )
    assert main(["build", "--source", str(project)]) == 0
    return project / "site"


def test_hostile_text_fields_add_no_script_anywhere(hostile_site: Path) -> None:
    assert active_content(hostile_site) == []
    assert raw_scripts(hostile_site) == own_scripts(hostile_site)


def test_title_is_shown_verbatim_in_title_h1_and_lists(hostile_site: Path) -> None:
    page = parse_html(hostile_site / "en/articles/2025/hostile/index.html")
    home = parse_html(hostile_site / "en/index.html")

    assert page.findtext(".//title") == f"{TITLE} · {SITE_TITLE}"
    assert [h.text_content() for h in page.iter("h1")] == [TITLE]
    assert TITLE in [a.text_content() for a in home.iter("a")]


def test_summary_is_shown_verbatim_in_meta_description(hostile_site: Path) -> None:
    page = parse_html(hostile_site / "en/articles/2025/hostile/index.html")

    assert page.xpath("//meta[@name='description']/@content") == [SUMMARY]


def test_source_name_headline_and_url_are_shown_verbatim(hostile_site: Path) -> None:
    page = parse_html(hostile_site / "en/articles/2025/hostile/index.html")

    [link] = page.xpath("//a[@rel='external']")
    assert link.get("href") == SOURCE_URL
    assert link.text_content() == HEADLINE
    assert page.xpath("string(//li[@class='citation']//*[@class='outlet'])") == SOURCE_NAME


def test_term_name_and_detail_are_shown_verbatim(hostile_site: Path) -> None:
    term_page = parse_html(hostile_site / "en/sectors/hostile/index.html")
    article = parse_html(hostile_site / "en/articles/2025/hostile/index.html")
    index = parse_html(hostile_site / "en/sectors/index.html")

    assert TERM_NAME in [h.text_content() for h in term_page.iter("h1")]
    assert term_page.xpath("//meta[@name='description']/@content") == [TERM_DETAIL]
    assert TERM_NAME in [a.text_content() for a in article.iter("a")]
    assert TERM_NAME in [a.text_content() for a in index.iter("a")]


def test_site_title_is_shown_verbatim_on_the_language_chooser(hostile_site: Path) -> None:
    chooser = parse_html(hostile_site / "index.html")

    assert SITE_TITLE in chooser.findtext(".//title")
    assert SITE_TITLE in [h.text_content() for h in chooser.iter("h1")]


def test_feeds_stay_well_formed_and_carry_plain_text_fields_verbatim(hostile_site: Path) -> None:
    for feed in ("en/feed.xml", "en/sectors/hostile/feed.xml"):
        [item] = [i for i in feed_items(hostile_site / feed) if i.findtext("title") == TITLE]
        assert TERM_NAME in [c.text for c in item.findall("category")], feed
        parsed = feedparser.parse((hostile_site / feed).read_bytes())
        assert parsed.bozo == 0, parsed.get("bozo_exception")
    channel = lxml.etree.fromstring((hostile_site / "en/feed.xml").read_bytes())
    assert channel.findtext("./channel/title") == SITE_TITLE
    term_feed = lxml.etree.fromstring((hostile_site / "en/sectors/hostile/feed.xml").read_bytes())
    assert TERM_NAME in term_feed.findtext("./channel/title")


def test_feed_descriptions_are_html_that_shows_the_text_verbatim(hostile_site: Path) -> None:
    """RSS readers render <description> as HTML, so plain text must arrive HTML-escaped."""
    [item] = [i for i in feed_items(hostile_site / "en/feed.xml") if i.findtext("title") == TITLE]
    term_feed = lxml.etree.fromstring((hostile_site / "en/sectors/hostile/feed.xml").read_bytes())

    credit = f"Source: {SOURCE_NAME}, “{HEADLINE}”, August 26, 2025"
    assert html_fragment(item.findtext("description")).text_content() == f"{SUMMARY} {credit}"
    channel_description = term_feed.findtext("./channel/description")
    assert html_fragment(channel_description).text_content() == TERM_DETAIL


def test_cdata_end_in_the_body_survives_inside_content_encoded(hostile_site: Path) -> None:
    [item] = [i for i in feed_items(hostile_site / "en/feed.xml") if i.findtext("title") == TITLE]

    text = html_fragment(item.findtext(CONTENT_NS)).text_content()

    assert "Body with ]]> in text, ]]></content:encoded><script>alert(1)</script> as code." in text


def test_hostile_base_url_adds_no_script(project: Path, run_cli: RunCli) -> None:
    base = 'https://example.org/"><script>alert("B")</script>/'

    run = build(run_cli, project, "--base-url", base)

    if run.status == 1:
        assert "--base-url" in run.err
    else:
        assert run.status == 0, run.err
        assert active_content(project / "site") == []
        assert raw_scripts(project / "site") == own_scripts(project / "site")


@pytest.mark.parametrize("base", ["javascript:alert(1)//", "data:text/html,x", "//evil.example/"])
def test_base_url_that_is_not_http_is_refused(project: Path, run_cli: RunCli, base: str) -> None:
    run = build(run_cli, project, "--base-url", base)

    assert run.status == 1
    assert "--base-url: " in run.err
    assert not (project / "site").exists()


# --- nothing read or written outside the site ------------------------------------------------

ESCAPES = ["../x", "/abs", "a\\b", "a\0b", "x/../../y", "..", "%2e%2e"]


@pytest.fixture
def built_project(project: Path, run_cli: RunCli) -> Iterator[Path]:
    """``project`` after one good build; on exit, checks no path appeared beside it."""
    assert build(run_cli, project).status == 0
    siblings = sorted(p.name for p in project.parent.parent.iterdir())
    yield project
    assert sorted(p.name for p in project.parent.parent.iterdir()) == siblings


def assert_refused_without_writing(
    run_cli: RunCli, project: Path, field: str, expected_line: int | None = None
) -> str:
    """Build, expect a clean failure naming ``field``, and no file created or changed."""
    outside = tree(project.parent)
    site = snapshot(project / "site")

    run = build(run_cli, project)

    lines = assert_failed_cleanly(run.err, run.status)
    assert any(field in line for line in lines), run.err
    assert tree(project.parent) == outside
    assert snapshot(project / "site") == site
    return run.err


@pytest.mark.parametrize("value", ESCAPES)
@pytest.mark.parametrize("field", ["slug", "translation_key"])
def test_path_like_slug_is_refused(
    built_project: Path, run_cli: RunCli, field: str, value: str
) -> None:
    rel, _ = write_article(built_project, "escape.en.md", **{field: value})

    err = assert_refused_without_writing(run_cli, built_project, f"'{field}'")

    # A control character is named as such; any other escape breaks the slug's form.
    why = "control character U\\+0000" if "\0" in value else "not a valid slug"
    assert re.search(rf"^{re.escape(rel)}:\d+: '{field}'.* {why}", err, re.M), err


@pytest.mark.parametrize("value", ["../../evil", "/etc", "a\\b"])
@pytest.mark.parametrize("field", ["sectors", "people"])
def test_path_like_term_id_in_an_article_is_refused(
    built_project: Path, run_cli: RunCli, field: str, value: str
) -> None:
    write_article(built_project, "escape.en.md", **{field: [value]})

    assert_refused_without_writing(run_cli, built_project, f"'{field}[0]'")


@pytest.mark.parametrize("key", ["../../evil", "/abs", "a\\b", "..", "evil/../../x"])
def test_path_like_registry_key_is_refused(built_project: Path, run_cli: RunCli, key: str) -> None:
    registry = built_project / "content/taxonomies/sectors.yaml"
    text = registry.read_text(encoding="utf-8")
    line = text.count("\n") + 1
    entry = {key: {"name": {"ko": "악", "en": "Evil"}, "description": {"ko": "악", "en": "Evil"}}}
    registry.write_text(text + yaml.safe_dump(entry, allow_unicode=True), encoding="utf-8")

    err = assert_refused_without_writing(run_cli, built_project, "not a valid slug")

    assert f"content/taxonomies/sectors.yaml:{line}: " in err


@pytest.mark.parametrize("name", ["a\\b.en.md", "%2e%2e.en.md", "..x.en.md"])
def test_path_like_file_name_is_refused(built_project: Path, run_cli: RunCli, name: str) -> None:
    write_article(built_project, name)

    assert_refused_without_writing(run_cli, built_project, "not a valid slug")


SECRET = "TOP-SECRET-OUTSIDE-THE-SITE"


def secret_article(directory: Path, name: str) -> Path:
    """A valid article outside the site, whose title must never be published."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    meta = {"title": SECRET, "date": DATE, "sources": sources()}
    path.write_text("---\n" + yaml.safe_dump(meta) + "---\n" + SECRET + "\n", encoding="utf-8")
    return path


def published(site: Path, needle: str) -> list[str]:
    """Files of ``site`` that contain ``needle``."""
    if not site.exists():
        return []
    return [rel for rel, data in snapshot(site).items() if needle.encode() in data]


def test_symlinked_article_outside_the_site_is_refused(
    built_project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    outside = secret_article(tmp_path / "outside", "secret.en.md")
    link = built_project / YEAR_DIR / "secret.en.md"
    link.symlink_to(outside)

    err = assert_refused_without_writing(run_cli, built_project, "outside the site directory")

    assert f"{YEAR_DIR}/secret.en.md:1: " in err
    assert published(built_project / "site", SECRET) == []


def test_symlinked_article_directory_outside_the_site_is_refused(
    built_project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    secret_article(tmp_path / "outside-2024", "secret.en.md")
    (built_project / "content/articles/2024").symlink_to(tmp_path / "outside-2024")

    run = build(run_cli, built_project)

    assert published(built_project / "site", SECRET) == []
    lines = assert_failed_cleanly(run.err, run.status)
    assert any("outside the site directory" in line for line in lines), run.err


def test_symlinked_static_file_outside_the_site_is_not_published(
    built_project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    secret = tmp_path / "id_rsa"
    secret.write_text(SECRET, encoding="utf-8")
    (built_project / "templates/static/key.txt").symlink_to(secret)

    build(run_cli, built_project)

    assert published(built_project / "site", SECRET) == []


def test_symlinked_registry_outside_the_site_is_not_read(
    built_project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    registry = built_project / "content/taxonomies/people.yaml"
    outside = tmp_path / "people.yaml"
    outside.write_text(
        registry.read_text(encoding="utf-8").replace("Lee Jae-myung", SECRET), encoding="utf-8"
    )
    registry.unlink()
    registry.symlink_to(outside)

    build(run_cli, built_project)

    assert published(built_project / "site", SECRET) == []


def test_image_symlinked_outside_the_site_is_refused(
    built_project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(SECRET.encode())
    (built_project / "content/media").mkdir(exist_ok=True)
    (built_project / "content/media/photo.png").symlink_to(secret)
    write_article(built_project, "photo.en.md", "![A photo](../../media/photo.png)\n")

    assert_refused_without_writing(run_cli, built_project, "outside the site directory")
    assert published(built_project / "site", SECRET) == []


@pytest.mark.parametrize("target", ["../../../../etc/passwd", "/etc/passwd", "../../../site.yaml"])
def test_image_path_leading_outside_content_is_refused(
    built_project: Path, run_cli: RunCli, target: str
) -> None:
    write_article(built_project, "photo.en.md", f"![A photo]({target})\n")

    assert_refused_without_writing(run_cli, built_project, "photo.en.md:")
    assert published(built_project / "site", "root:x:0:0") == []


# --- YAML is data, never code ------------------------------------------------------------------

PYTHON_TAGS = [
    '!!python/object/apply:os.system ["touch {pwned}"]',
    '!!python/object/new:os.system ["touch {pwned}"]',
    "!!python/name:os.system",
    '!!python/object/apply:subprocess.call [["touch", "{pwned}"]]',
]


@pytest.mark.parametrize("tag", PYTHON_TAGS)
def test_python_tag_in_front_matter_is_an_error_and_runs_nothing(
    built_project: Path, run_cli: RunCli, tmp_path: Path, tag: str
) -> None:
    pwned = tmp_path / "pwned"
    path = built_project / YEAR_DIR / "evil.en.md"
    path.write_text(
        "---\ntitle: " + tag.format(pwned=pwned) + "\ndate: 2025-08-27\n---\nBody.\n", "utf-8"
    )

    err = assert_refused_without_writing(run_cli, built_project, "evil.en.md:2: ")

    assert "not allowed" in err
    assert not pwned.exists()


@pytest.mark.parametrize(
    ("rel", "prefix"),
    [
        ("site.yaml", "timezone: "),
        ("content/taxonomies/sectors.yaml", "evil: "),
        ("content/taxonomies/people.yaml", "evil: "),
    ],
)
def test_python_tag_in_settings_or_registry_is_an_error_and_runs_nothing(
    built_project: Path, run_cli: RunCli, tmp_path: Path, rel: str, prefix: str
) -> None:
    pwned = tmp_path / "pwned"
    path = built_project / rel
    text = path.read_text(encoding="utf-8")
    if prefix == "timezone: ":
        text = re.sub(r"(?m)^timezone: .*\n", "", text)
    path.write_text(text + prefix + PYTHON_TAGS[0].format(pwned=pwned) + "\n", "utf-8")

    err = assert_refused_without_writing(run_cli, built_project, f"{rel}:")

    assert "not allowed" in err
    assert not pwned.exists()


class _Pwn:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (self.marker,))


def test_planted_store_is_never_unpickled_into_code(
    built_project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    """A source tree is input: a store in it (say, from a pull request) must not run code.

    Every pickled value the store holds (parsed articles, the output's state) is replaced by
    one that calls a function when loaded; the store is otherwise well-formed.
    """
    pwned = tmp_path / "pwned"
    payload = pickle.dumps(_Pwn(pwned))
    store = built_project / ".pressroom-cache" / "state.sqlite3"
    connection = sqlite3.connect(store, isolation_level=None)
    try:
        planted = connection.execute("UPDATE articles SET article = ?", (payload,)).rowcount
        planted += connection.execute("UPDATE targets SET state = ?", (payload,)).rowcount
    finally:
        connection.close()
    assert planted > 2
    (built_project / YEAR_DIR / "korea-150-billion-investment.en.md").touch()

    run = build(run_cli, built_project)

    assert run.status == 0, run.err
    assert not pwned.exists(), f"loading one of {planted} planted values ran code"


# --- pathological files fail fast ------------------------------------------------------------


def one_error(project: Path) -> str:
    """Build in a subprocess; expect exactly one `path:line: message` error and return it."""
    result = run_module(project)
    lines = assert_failed_cleanly(result.stderr, result.returncode)
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_50_mb_article_is_refused_with_its_size(project: Path) -> None:
    path = project / YEAR_DIR / "huge.en.md"
    header = "---\ntitle: Huge\ndate: 2025-08-27\n" + CITED + "\n---\n"
    with path.open("wb") as handle:
        handle.write(header.encode())
        handle.write(b"All work and no play makes Jack a dull boy.\n" * (50 * 1024 * 1024 // 44))

    error = one_error(project)

    assert error.startswith(f"{YEAR_DIR}/huge.en.md:1: ")
    assert re.search(r"\b50(\.0)? MB\b", error), error


def test_100000_sectors_are_refused_with_one_error(project: Path) -> None:
    write_article(project, "many.en.md", sectors=["ai"] * 100_000)

    error = one_error(project)

    assert error.startswith(f"{YEAR_DIR}/many.en.md:")


NESTED_BODIES = {
    "5000-quote-levels": ">" * 5000 + " deep\n",
    "5000-spaced-quote-levels": "> " * 5000 + "deep\n",
    "1000-level-list": "".join("\t" * i + "- item\n" for i in range(1000)),
    "10000-brackets": "[" * 10_000 + "x" + "]" * 10_000 + "\n",
    "10000-parentheses": "(" * 10_000 + "x" + ")" * 10_000 + "\n",
    "10000-nested-links": "[a](" * 10_000 + "x" + ")" * 10_000 + "\n",
}


@pytest.mark.parametrize("body", NESTED_BODIES.values(), ids=NESTED_BODIES.keys())
def test_deeply_nested_markdown_is_refused(project: Path, body: str) -> None:
    write_article(project, "deep.en.md", "Intro.\n\n" + body)

    error = one_error(project)

    assert re.match(rf"{YEAR_DIR}/deep\.en\.md:\d+: .*nested more than", error), error


def test_binary_file_named_md_is_refused(project: Path) -> None:
    data = random.Random(2025).randbytes(64 * 1024) + b"\0"
    (project / YEAR_DIR / "photo.en.md").write_bytes(data)

    error = one_error(project)

    assert error.startswith(f"{YEAR_DIR}/photo.en.md:")
    assert "binary" in error


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_billion_laughs_in_front_matter_is_refused(project: Path) -> None:
    (project / YEAR_DIR / "lol.en.md").write_text(
        "---\ntitle: lol\n" + BILLION_LAUGHS + "---\nBody.\n", encoding="utf-8"
    )

    error = one_error(project)

    assert error.startswith(f"{YEAR_DIR}/lol.en.md:")
    assert "YAML too large" in error


@pytest.mark.parametrize("rel", ["site.yaml", "content/taxonomies/sectors.yaml"])
def test_billion_laughs_in_settings_or_registry_is_refused(project: Path, rel: str) -> None:
    path = project / rel
    path.write_text(
        path.read_text(encoding="utf-8") + BILLION_LAUGHS.replace("a:", "lol_a:"), "utf-8"
    )

    result = run_module(project)

    lines = assert_failed_cleanly(result.stderr, result.returncode)
    assert any(line.startswith(f"{rel}:") and "YAML too large" in line for line in lines)


def test_deeply_nested_yaml_is_refused_without_a_traceback(project: Path) -> None:
    """990 levels pass libyaml's own limit (1,000) but not Python's recursion limit."""
    depth = 990
    path = project / YEAR_DIR / "nested.en.md"
    path.write_text(
        "---\ntitle: Nested\ndate: 2025-08-27\n" + CITED + "\n"
        f"summary: {'[' * depth}{']' * depth}\n---\nBody.\n",
        encoding="utf-8",
    )

    error = one_error(project)

    assert error.startswith(f"{YEAR_DIR}/nested.en.md:"), error


#: Bodies under the 1 MB limit on which Python-Markdown recurses or backtracks.
SLOW_BODIES = {
    "1000-definitions": "term\n: definition\n" * 1000,
    "20000-setext-headings": "heading\n=======\n" * 20_000,
    "5000-abbreviations": "".join(f"*[A{i}]: abbreviation\n" for i in range(5000)),
}


@pytest.mark.parametrize("body", SLOW_BODIES.values(), ids=SLOW_BODIES.keys())
def test_markdown_that_parsers_choke_on_builds_or_fails_cleanly_in_time(
    project: Path, body: str
) -> None:
    write_article(project, "choke.en.md", body)

    result = run_module(project)

    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    if result.returncode != 0:
        assert_failed_cleanly(result.stderr, result.returncode)
