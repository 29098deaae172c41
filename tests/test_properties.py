"""Property-based tests: whatever an author writes, the build ends well or fails cleanly.

Hypothesis generates front matter (valid fields, wrong types, unknown keys, raw YAML text with
broken syntax) and Markdown bodies (text, Korean, HTML fragments, brackets, ``---`` lines). For
every example ``pressroom build`` runs in-process on a small site and must either

* succeed, leaving exactly what a build into an empty directory holds, with no script,
  event handler or ``javascript:`` link from the body; or
* exit with status 1, printing only ``path:line: message`` lines and the summary line, and
  leave ``site/`` exactly as it was.

In both cases every feed, OPML list and sitemap in ``site/`` parses as XML. A traceback fails
the example. The seed is fixed (``derandomize``), so runs are repeatable.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.etree
import lxml.html
import pytest
import yaml
from conftest import copy_project
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator.commands.cli import main
from generator.content.frontmatter import FRONT_MATTER_KEYS

ERROR_LINE_RE = re.compile(r"^[^:\n]+:\d+: .+$")
SUMMARY_RE = re.compile(r"build failed: \d+ errors?; nothing was written")
ARTICLES = "content/articles/2025"
#: The articles the small site keeps (both languages of each).
KEPT = ("semiconductors-hbm-ai", "masga-shipbuilding-cooperation")
#: Where every example writes its article.
TARGET = f"{ARTICLES}/generated.en.md"

#: What the generated article's file holds before each example, one version after the other.
BASELINES = [
    f"""\
---
title: Baseline article {version}
date: 2025-08-27T09:00:00+09:00
summary: The article every example starts from.
sectors: [ai, supply-chains]
people: [lee-jae-myung]
sources: [{{outlet: asiae, headline: T, url: 'https://e.com/n', published: 2025-08-26}}]
---
Baseline body, version {version}, with a [link](https://example.com/).
"""
    for version in (1, 2)
]

SETTINGS = settings(
    max_examples=45,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- helpers ---------------------------------------------------------------------------------


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` (relative path → bytes)."""
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def run_build(*args: str | Path) -> tuple[int, str]:
    """Run ``pressroom build`` in-process; return the exit status and stderr."""
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        status = main(["build", *(str(a) for a in args)])
    return status, err.getvalue()


def fresh_build(project: Path) -> dict[str, bytes]:
    """What a build of ``project`` into an empty directory holds."""
    with tempfile.TemporaryDirectory() as tmp:
        status, err = run_build("--source", project, "--output", Path(tmp) / "site")
        assert status == 0, err
        return snapshot(Path(tmp) / "site")


def differences(site: dict[str, bytes], expected: dict[str, bytes]) -> list[str]:
    """The files of ``site`` that are missing, extra or different, with the first changed line."""
    found = []
    for path in sorted(set(site) | set(expected)):
        if path not in site or path not in expected:
            found.append(f"{path}: {'missing' if path not in site else 'extra'}")
        elif site[path] != expected[path]:
            got, want = site[path].decode().split("\n"), expected[path].decode().split("\n")
            line = next(i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b)
            found.append(f"{path}:{line + 1}: {got[line]!r} instead of {want[line]!r}")
    return found


def json_ld_block(el: lxml.html.HtmlElement) -> bool:
    """A JSON-LD block in <head> whose text is JSON with no ``<`` or ``>`` (nothing in it can
    end the element or start markup)."""
    text = el.text or ""
    if el.tag != "script" or el.get("type") != "application/ld+json":
        return False
    if el.getparent().tag != "head" or "<" in text or ">" in text:
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def active_content(site: Path) -> list[str]:
    """Scripts, event handlers and script URLs in the article pages of ``site``."""
    problems = []
    for path in sorted(site.glob("*/articles/*/*/index.html")):
        doc = lxml.html.document_fromstring(
            path.read_bytes(), parser=lxml.html.HTMLParser(encoding="utf-8")
        )
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            if json_ld_block(el):
                continue  # the page's own structured data: escaped JSON, never markup
            if el.tag in ("script", "iframe", "style", "object", "embed"):
                problems.append(f"{path.name}: <{el.tag}>")
            for name, value in el.attrib.items():
                compact = "".join(value.split()).lower()
                if name.lower().startswith("on") or compact.startswith(("javascript:", "data:")):
                    problems.append(f"{path.relative_to(site)}: <{el.tag} {name}={value!r}>")
    return problems


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The default site with only two articles (fast builds), built once."""
    project = copy_project(tmp_path_factory.mktemp("properties") / "project")
    for path in (project / ARTICLES).glob("*.md"):
        if not path.name.startswith(KEPT):
            path.unlink()
    status, err = run_build("--source", project)
    assert status == 0, err
    yield project


def reset(project: Path) -> None:
    """Build the two baseline versions of the generated article, one after the other.

    Every example then starts from the same site, and from the same state of whatever the
    generator keeps between builds, so that a failing example fails again when replayed.
    """
    for baseline in BASELINES:
        (project / TARGET).write_text(baseline, encoding="utf-8")
        status, err = run_build("--source", project)
        assert status == 0, err


def check_build(project: Path, text: str) -> None:
    """Write ``text`` as the generated article, build, and check the outcome."""
    (project / TARGET).write_text(text, encoding="utf-8")
    before = snapshot(project / "site")

    status, err = run_build("--source", project)

    site = snapshot(project / "site")
    event(f"exit status {status}")
    assert unparsable_xml(site) == []
    if status == 0:
        assert differences(site, fresh_build(project)) == [], "not what a clean build makes"
        assert active_content(project / "site") == []
        return
    assert status == 1, err
    lines = err.rstrip("\n").split("\n")
    assert SUMMARY_RE.fullmatch(lines[-1]), err
    assert [line for line in lines[:-1] if not ERROR_LINE_RE.match(line)] == [], err
    assert site == before, "a failed build changed the site"


def unparsable_xml(site: dict[str, bytes]) -> list[str]:
    """The feeds, OPML lists and sitemaps of a site snapshot that are not well-formed XML."""
    broken = []
    for path, data in site.items():
        if path.endswith((".xml", ".opml")):
            try:
                lxml.etree.fromstring(data)
            except lxml.etree.XMLSyntaxError as exc:
                broken.append(f"{path}: {exc}")
    return broken


def front_matter_text(meta: dict[str, Any]) -> str:
    return yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=None)


# --- strategies ------------------------------------------------------------------------------

#: Characters authors type, and a few they should not.
ALPHABET = st.one_of(
    st.sampled_from("abcxyz ABC 0129-_.,:;!?'\"&<>/\\[](){}#*`|~=+%@$^\t"),
    st.sampled_from("가나다라한국어기사요약반도체조선원전 "),
    st.sampled_from("\u00e9\u2013\u2014\u2026\u00a0\u200b\ufeff\u0301\U0001f600"),
    st.sampled_from("\x01\x08\x0b\x0c\x1b\x1f\x7f\x85\u2028\ufffe"),
    st.characters(codec="utf-8"),
)
TEXT = st.text(ALPHABET, max_size=40)
NON_BLANK = TEXT.filter(lambda s: s.strip() != "")
SLUGS = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
TERM_IDS = st.sampled_from(["semiconductors", "ai", "supply-chains", "lee-jae-myung"])
URLS = st.sampled_from(
    [
        "https://example.com/news",
        "http://example.org/a?b=1&c=<d>",
        'https://example.com/"><script>alert(1)</script>',
    ]
)
#: Values that each break some field.
WRONG = st.sampled_from(
    [
        "",
        "   ",
        "../x",
        "/abs",
        "a\\b",
        "a\0b",
        "Upper Case",
        "nope",
        "javascript:alert(1)",
        "ftp://example.com/",
        "yesterday",
        "2025-13-45",
        "2025-02-30",
        "0001-01-01T00:30:00+14:00",
        "9999-12-31T23:00:00-12:00",
        "a\x0bpasted",
        "bell\x07",
        "\ufffe",
        10**400,
        "2024-06-01",
        "no",
        0,
        12.5,
        True,
        [],
        ["ai", "nope"],
        {"name": "x"},
        {"url": "https://example.com/"},
    ]
)
DATES_2025 = st.one_of(
    st.dates(dt.date(2025, 1, 2), dt.date(2025, 12, 30)),
    st.dates(dt.date(2025, 1, 2), dt.date(2025, 12, 30)).map(lambda d: d.isoformat()),
    st.datetimes(dt.datetime(2025, 1, 2), dt.datetime(2025, 12, 30)).map(
        lambda d: d.isoformat() + "+09:00"
    ),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    TEXT,
    st.dates(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=12,
)
KEYS = st.sampled_from(
    # Every key the generator knows, and some near misses it must refuse.
    [*FRONT_MATTER_KEYS, "sector", "Title", "tags", ""]
)


@st.composite
def front_matters(draw: st.DrawFn) -> dict[str, Any]:
    """Valid front matter, half of the time broken: fields dropped, retyped or added."""
    meta: dict[str, Any] = {
        "title": draw(NON_BLANK),
        "date": draw(DATES_2025),
        "source": {"name": draw(NON_BLANK), "url": draw(URLS)},
    }
    optional = {
        "summary": NON_BLANK,
        "sectors": st.lists(TERM_IDS, max_size=3),
        "people": st.lists(TERM_IDS, max_size=3).map(lambda ids: ["lee-jae-myung"] * len(ids)),
        "slug": SLUGS,
        "updated": DATES_2025,
        "draft": st.just(False),
        "translation_key": SLUGS,
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            meta[key] = draw(strategy)
    if draw(st.booleans()):
        for key in draw(st.lists(KEYS, min_size=1, max_size=3)):
            change = draw(st.sampled_from(["drop", "wrong", "random"]))
            if change == "drop":
                meta.pop(key, None)
            else:
                meta[key] = draw(WRONG if change == "wrong" else VALUES)
    return meta


FRAGMENTS = st.sampled_from(
    [
        "\n",
        "\n\n",
        "\n---\n",
        "---",
        "...",
        "<script>alert(1)</script>",
        "<b onclick='alert(1)'>",
        "</div>",
        "<div>",
        '<iframe src="https://example.com/"></iframe>',
        "<a href='javascript:alert(1)'>x</a>",
        "<img src=x onerror=alert(1) alt=x>",
        "<style>p{}</style>",
        "<!--",
        "-->",
        "]]>",
        "<![CDATA[",
        "&amp;",
        "&",
        "&#0;",
        "[",
        "]",
        "](",
        ")",
        "[link](https://example.com/)",
        "[local](../2025/semiconductors-hbm-ai.en.md)",
        "![photo](photo.png)",
        "[^1]",
        "[^1]: a note\n",
        "> ",
        "    - ",
        "- ",
        "1. ",
        "# ",
        "=====\n",
        "`",
        "```\n",
        "|a|b|\n|-|-|\n",
        "*",
        "_",
        "{#main}",
        "*[HTML]: markup\n",
        "한국 기업들이 미국에 투자한다.",
        "\t",
        "\r\n",
    ]
)
BODIES = st.lists(st.one_of(FRAGMENTS, TEXT), max_size=25).map("".join)


# --- properties ------------------------------------------------------------------------------


@st.composite
def edits(draw: st.DrawFn) -> tuple[str, str]:
    """An article, then the same article after an edit (a field or the body changed)."""
    meta = draw(front_matters())
    body = draw(BODIES)
    first = "---\n" + front_matter_text(meta) + "---\n" + body
    edited = dict(meta)
    for key in draw(st.lists(st.sampled_from(list(EDITABLE)), min_size=1, max_size=3)):
        if draw(st.booleans()):
            edited.pop(key, None)
        else:
            edited[key] = draw(EDITABLE[key])
    if draw(st.booleans()):
        body = draw(BODIES)
    return first, "---\n" + front_matter_text(edited) + "---\n" + body


#: Fields an edit may change, with their new values.
EDITABLE = {
    "title": NON_BLANK,
    "date": DATES_2025,
    "summary": NON_BLANK,
    "sectors": st.lists(TERM_IDS, max_size=3),
    "people": st.just(["lee-jae-myung"]),
    "slug": SLUGS,
    "updated": DATES_2025,
    "draft": st.booleans(),
    "translation_key": SLUGS,
    "source": st.fixed_dictionaries({"name": NON_BLANK, "url": URLS}),
}


@settings(SETTINGS, max_examples=30)
@given(versions=edits())
def test_generated_article_and_its_edit_build_or_fail_cleanly(
    small_site: Path, versions: tuple[str, str]
) -> None:
    reset(small_site)
    for text in versions:
        check_build(small_site, text)


YAML_TEXT = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "title: A title",
                "date: 2025-08-27",
                "sources: [{outlet: asiae, headline: X, url: 'https://example.com/1'}]",
                "sources:",
                "  - outlet: asiae",
                "    headline: X",
                "    url: https://example.com/1",
                "    published: 2025-08-26",
                "source: {name: X, url: 'https://example.com/'}",
                "image: {file: x.png, alt: A chart}",
                "sectors: [ai, semiconductors]",
                "sectors:",
                "  - ai",
                "title: [unclosed",
                "title: 'unclosed",
                'title: "\\x"',
                "title: &a x",
                "summary: *a",
                "summary: *missing",
                "title: !!python/object/apply:os.system ['true']",
                "title: !!binary aGVsbG8=",
                "title: !custom x",
                "? complex key",
                ": value",
                "- item",
                "  bad indent: x",
                "\ttab: x",
                "title: a: b",
                "title: bell\x07",
                "\x1f",
                "summary: \x7f",
                "date: 2025-13-45",
                "date: 99999-01-01",
                "draft: yes",
                "%YAML 1.1",
                "---",
                "...",
                "{",
                "'",
                "title: |",
                "  block",
                "title: >-",
                "<<: {title: merged}",
                "",
                "#comment",
            ]
        ),
        TEXT,
    ),
    max_size=12,
).map("\n".join)


@SETTINGS
@given(yaml_text=YAML_TEXT, body=BODIES)
def test_arbitrary_yaml_text_as_front_matter_builds_or_fails_cleanly(
    small_site: Path, yaml_text: str, body: str
) -> None:
    reset(small_site)
    check_build(small_site, "---\n" + yaml_text + "\n---\n" + body)


@settings(SETTINGS, max_examples=30)
@given(body=BODIES)
def test_any_markdown_body_under_valid_front_matter_builds_safely_or_fails_cleanly(
    small_site: Path, body: str
) -> None:
    meta = {
        "title": "Generated",
        "date": "2025-08-27T09:00:00+09:00",
        "sectors": ["ai"],
        "source": {"name": "Test Daily", "url": "https://example.com/news"},
    }
    reset(small_site)
    check_build(small_site, "---\n" + front_matter_text(meta) + "---\n" + body)


#: YAML values of every type the safe loader knows, written as an author (or an attacker)
#: would type them, including those it resolves and then fails to build.
TYPED_VALUES = st.sampled_from(
    [
        "~",
        "null",
        "!!null ''",
        "true",
        "yes",
        '!!bool "maybe"',
        "42",
        "0x2A",
        "0o52",
        "-0",
        "1_000",
        "9" * 5000,
        '!!int "abc"',
        "3.14",
        ".inf",
        "-.inf",
        ".nan",
        '!!float "abc"',
        "2025-08-27",
        "2025-08-27T09:00:00+09:00",
        "2025-08-27 09:00:00",
        "2025-02-30",
        "2025-13-01",
        "2025-08-25T24:00:00",
        "2025-08-25T10:00:00+99:00",
        "0001-01-01T00:30:00+14:00",
        "9999-12-31T23:00:00-12:00",
        "!!timestamp 2025-08-27",
        '!!timestamp "never"',
        "!!str 2025-08-27",
        "!!binary aGVsbG8=",
        '!!binary "not base64!"',
        "!!set {a, b}",
        "!!omap [a: 1, b: 2]",
        "!!pairs [a: 1, a: 2]",
        "!!seq [ai]",
        "!!map {a: 1}",
        "[ai, semiconductors]",
        "{name: X, url: 'https://example.com/'}",
        '"vertical\\vtab"',
        '"escape\\e"',
        '"nonchar\\uFFFE"',
        '"next line\\x85"',
        '"nul\\0"',
        "'plain'",
        "|\n  block\n",
    ]
)
#: Where a typed value goes: every key, and the keys of a cited report.
CITATION_KEYS = ("outlet", "headline", "url", "published", "authors", "language")
TYPED_KEYS = st.sampled_from([*FRONT_MATTER_KEYS, *(f"sources.{k}" for k in CITATION_KEYS)])


@SETTINGS
@given(key=TYPED_KEYS, value=TYPED_VALUES)
def test_a_value_of_any_yaml_type_in_any_field_builds_or_fails_cleanly(
    small_site: Path, key: str, value: str
) -> None:
    lines = {
        "title": "title: Typed",
        "date": "date: 2025-08-27T09:00:00+09:00",
        "sectors": "sectors: [ai]",
    }
    report = {
        "outlet": "  - outlet: asiae",
        "headline": "    headline: Test report",
        "url": "    url: https://example.com/news",
        "published": "    published: 2025-08-26",
    }
    if key.startswith("sources."):
        field = key.removeprefix("sources.")
        report[field] = f"{'  - ' if field == 'outlet' else '    '}{field}: {value}"
        if field != "outlet":
            report["outlet"] = "  - outlet: asiae"
    else:
        lines[key] = f"{key}: {value}"
    text = "\n".join([*lines.values(), "sources:", *report.values()])
    reset(small_site)
    check_build(small_site, "---\n" + text + "\n---\nA body.\n")
