"""Every bad value an author can type is a message at its line, never a traceback.

Families: YAML values PyYAML fails to build (impossible dates, ``!!bool "maybe"``, huge
numbers), dates that leave datetime's range in some time zone, control characters, settings
and catalogs, link targets with odd names, and mistakes whose cause must be reported once.
Each refusal is judged by ``refusals.refused`` (exit 1, one ``path:line: message`` per cause,
no traceback, a second planted mistake still reported, ``site/`` untouched, nothing written
outside, ``check`` agreeing).
"""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import lxml.etree
import lxml.html
import pytest
from refusals import (
    ARTICLE_MISTAKE,
    SETTINGS_MISTAKE,
    RunCli,
    assert_one,
    error_lines,
    refused,
)

YEAR_DIR = "content/articles/2025"
FRONT = [
    'title: "A test article"',
    "date: 2025-08-27T09:00:00+09:00",
    "sources:",
    "  - outlet: asiae",
    '    headline: "Test report"',
    '    url: "https://example.com/news/2"',
    "    published: 2025-08-26",
]


@pytest.fixture
def built(project: Path, run_cli: RunCli) -> Path:
    """The default project, built once (so that there is a previous site to protect)."""
    assert run_cli("build", "--source", project).status == 0
    return project


def write_article(project: Path, name: str, front: list[str], body: str = "Body.\n") -> str:
    """Write an article from front matter lines; return its site-relative path."""
    rel = f"{YEAR_DIR}/{name}"
    text = "---\n" + "".join(f"{line}\n" for line in front) + "---\n" + body
    (project / rel).write_bytes(text.encode("utf-8"))
    return rel


def with_key(key: str, value: str) -> list[str]:
    """FRONT with ``key: value`` (nested in the report cited for sources.0.published)
    replacing or joining its lines."""
    if key == "sources.0.published":
        return [*(line for line in FRONT if "published:" not in line), f"    published: {value}"]
    kept = [line for line in FRONT if not line.startswith(f"{key}:")]
    return [*kept, f"{key}: {value}"]


def line_of(project: Path, rel: str, needle: str) -> int:
    lines = (project / rel).read_bytes().decode("utf-8").split("\n")
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


# --- YAML values that cannot be built -------------------------------------------------------

IMPOSSIBLE = {
    "february-30": ("2025-02-30", "is not a real date or time"),
    "month-13": ("2025-13-01", "is not a real date or time"),
    "hour-24": ("2025-08-25T24:00:00", "is not a real date or time"),
    "offset-99": ("2025-08-25T10:00:00+99:00", "is not a real date or time"),
    "quoted-february-30": ('"2025-02-30"', "must be an ISO 8601 date"),
    "year-0": ("0000-01-01", "is not a real date or time"),
    "east-of-year-1": ("0001-01-01T00:30:00+14:00", "is out of range"),
    "west-of-year-9999": ("9999-12-31T23:00:00-12:00", "is out of range"),
    "quoted-east-of-year-1": ('"0001-01-01T00:30:00+14:00"', "is out of range"),
    "bool-tag": ('!!bool "maybe"', "is not true or false"),
    "int-tag": ('!!int "abc"', "is not a whole number"),
    "float-tag": ('!!float "abc"', "is not a number"),
    "5000-digits": ("9" * 5000, "is not a whole number"),
}


@pytest.mark.parametrize("key", ["date", "updated", "sources.0.published"])
@pytest.mark.parametrize(("value", "message"), IMPOSSIBLE.values(), ids=IMPOSSIBLE.keys())
def test_front_matter_value_that_cannot_be_built_is_an_error_at_its_line(
    built: Path, run_cli: RunCli, key: str, value: str, message: str
) -> None:
    if key != "date" and "must be an ISO" in message:
        message = f"'{key}' must be an ISO 8601 date"
    rel = write_article(built, "impossible.en.md", with_key(key, value))
    other = ARTICLE_MISTAKE.plant(built)

    errors = refused(run_cli, built, other=other)

    line = line_of(built, rel, value[:20] if key != "sources.0.published" else "published:")
    assert_one(errors, f"{rel}:{line}", message)


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('feed_length: !!int "abc"', "is not a whole number"),
        ("page_size: " + "7" * 5000, "is not a whole number"),
        ('search: !!bool "maybe"', "is not true or false"),
        ("title: {ko: 2025-02-30, en: x}", "is not a real date or time"),
    ],
    ids=["int-tag", "huge-int", "bool-tag", "date-in-title"],
)
def test_settings_value_that_cannot_be_built_is_an_error_at_its_line(
    built: Path, run_cli: RunCli, setting: str, message: str
) -> None:
    path = built / "site.yaml"
    key = setting.split(":")[0]
    kept = [line for line in path.read_text("utf-8").split("\n") if not line.startswith(key)]
    kept = [line for line in kept if not line.startswith(("  ko:", "  en:")) or key != "title"]
    path.write_text("\n".join([*kept, setting, ""]), "utf-8")
    line = line_of(built, "site.yaml", setting[:20])
    other = ARTICLE_MISTAKE.plant(built)

    errors = refused(run_cli, built, other=other)

    assert f"site.yaml:{line}: invalid YAML: " in "\n".join(errors)
    assert any(e.startswith(f"site.yaml:{line}: ") and message in e for e in errors), errors


@pytest.mark.parametrize(
    ("value", "message"),
    [("!!int abc", "is not a whole number"), ("2025-02-30", "is not a real date or time")],
)
def test_registry_value_that_cannot_be_built_is_an_error_at_its_line(
    built: Path, run_cli: RunCli, value: str, message: str
) -> None:
    registry = built / "content/taxonomies/sectors.yaml"
    text = registry.read_text("utf-8")
    registry.write_text(
        text + f"\nbroken-entry:\n  name: {{ko: {value}, en: Broken}}\n  description: x\n",
        "utf-8",
    )
    line = line_of(built, "content/taxonomies/sectors.yaml", value)
    other = SETTINGS_MISTAKE.plant(built)

    errors = refused(run_cli, built, other=other)

    assert_one(errors, f"content/taxonomies/sectors.yaml:{line}", "invalid YAML", message)


@pytest.mark.parametrize(
    "date", ["2025-02-30", "2025-13-01", "2025-08-25T24:00", "0001-01-01T00:30+14:00"]
)
def test_new_with_an_impossible_date_is_refused_without_a_traceback(
    project: Path, run_cli: RunCli, date: str
) -> None:
    run = run_cli("new", "A Title", "--source", project, "--date", date, "--slug", "x")

    assert run.status == 1
    assert "Traceback" not in run.err
    assert "'--date'" in run.err
    assert "nothing was written" in run.err
    assert not list((project / YEAR_DIR).glob("x.*.md"))


# --- control characters ---------------------------------------------------------------------

CONTROLS = {
    "vertical-tab": "\x0b",
    "bell": "\x07",
    "escape": "\x1b",
    "start-of-heading": "\x01",
    "delete": "\x7f",
    "c1-next-line": "\x85",
    "noncharacter-fffe": "\ufffe",
    "noncharacter-plane-1": "\U0001ffff",
}


@pytest.mark.parametrize("char", CONTROLS.values(), ids=CONTROLS.keys())
@pytest.mark.parametrize("where", ["title", "body", "summary"])
def test_control_character_typed_into_an_article_is_refused_at_its_line(
    built: Path, run_cli: RunCli, char: str, where: str
) -> None:
    front = list(FRONT)
    body = "First paragraph.\n\nSecond paragraph.\n"
    if where == "title":
        front[0] = f'title: "A pasted{char} title"'
    elif where == "summary":
        front.append(f'summary: "A pasted{char} summary"')
    else:
        body = f"First paragraph.\n\nSecond{char} paragraph.\n"
    rel = write_article(built, "pasted.en.md", front, body)
    other = ARTICLE_MISTAKE.plant(built)

    errors = refused(run_cli, built, other=other)

    line = line_of(built, rel, char)
    code = f"U+{ord(char):04X}"
    assert_one(errors, f"{rel}:{line}", code, "delete it")


@pytest.mark.parametrize(
    ("escape", "code"),
    [(r"\v", "U+000B"), (r"\e", "U+001B"), (r"\x01", "U+0001"), (r"\uFFFE", "U+FFFE")],
)
def test_control_character_made_by_a_yaml_escape_is_refused_at_its_line(
    built: Path, run_cli: RunCli, escape: str, code: str
) -> None:
    front = [f'title: "Escaped {escape} title"', *FRONT[1:]]
    rel = write_article(built, "escaped.en.md", front)
    other = ARTICLE_MISTAKE.plant(built)

    errors = refused(run_cli, built, other=other)

    assert_one(errors, f"{rel}:2", "'title'", code)


@pytest.mark.parametrize("reference", ["&#11;", "&#x1B;", "&#7;", "&#xFFFE;", "&#127;"])
def test_character_reference_naming_a_control_character_is_refused(
    built: Path, run_cli: RunCli, reference: str
) -> None:
    rel = write_article(built, "reference.en.md", FRONT, f"Intro.\n\nA {reference} here.\n")
    other = ARTICLE_MISTAKE.plant(built)

    errors = refused(run_cli, built, other=other)

    assert_one(
        errors, f"{rel}:{line_of(built, rel, reference)}", f"character reference {reference}"
    )


@pytest.mark.parametrize(
    ("rel", "old", "new"),
    [
        ("content/taxonomies/people.yaml", "이재명", "이재\x0b명"),
        ("site.yaml", "Business Pressroom", "Business\x1b Pressroom"),
        ("locales/ko/LC_MESSAGES/messages.po", 'msgstr "최신', 'msgstr "\x07최신'),
    ],
    ids=["registry", "settings", "catalog"],
)
def test_control_character_in_a_registry_settings_or_catalog_is_refused(
    built: Path, run_cli: RunCli, rel: str, old: str, new: str
) -> None:
    path = built / rel
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    other = (SETTINGS_MISTAKE if rel != "site.yaml" else ARTICLE_MISTAKE).plant(built)

    errors = refused(run_cli, built, other=other)

    assert_one(errors, f"{rel}:{line_of(built, rel, new)}", "control character")


def test_html_character_references_that_html_maps_elsewhere_still_build(
    project: Path, run_cli: RunCli
) -> None:
    # &#150; is a Windows-1252 en dash in HTML; &#0; becomes U+FFFD: neither is refused.
    write_article(project, "mapped.en.md", FRONT, "Intro.\n\n1990&#150;2000 and &#0; and &#65;.\n")

    run = run_cli("build", "--source", project)

    assert run.status == 0, run.err
    feed = project / "site/en/feed.xml"
    lxml.etree.fromstring(feed.read_bytes())  # well-formed XML
    page = (project / "site/en/articles/2025/mapped/index.html").read_text("utf-8")
    assert "1990\u20132000" in lxml.html.fromstring(page).text_content() or "&#150;" in page


# --- settings and catalogs ------------------------------------------------------------------


def set_setting(project: Path, key: str, value: str) -> int:
    """Replace ``key:`` in site.yaml; return its line."""
    path = project / "site.yaml"
    text, count = re.subn(rf"(?m)^{key}:.*$", f"{key}: {value}", path.read_text("utf-8"))
    assert count == 1
    path.write_text(text, "utf-8")
    return line_of(project, "site.yaml", f"{key}: {value}")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("timezone", "Mars/Olympus", "unknown time zone 'Mars/Olympus'"),
        ("timezone", "/etc/passwd", "unknown time zone '/etc/passwd'"),
        ("timezone", "../../etc/localtime", "unknown time zone '../../etc/localtime'"),
        ("timezone", "Asia/Seol", "did you mean 'Asia/Seoul'"),
        ("languages", "[ko, en, ko]", "language 'ko' is listed twice"),
        ("languages", "[]", "'languages' must name at least one language"),
        ("languages", "[ko, en, xx]", "unknown language 'xx'"),
        ("languages", "[ko, en, '../x']", "unknown language '../x'"),
        ("default_language", "fr", "default_language 'fr' is not one of languages"),
    ],
)
def test_setting_with_a_bad_value_is_one_error_and_the_run_goes_on(
    built: Path, run_cli: RunCli, key: str, value: str, message: str
) -> None:
    line = set_setting(built, key, value)
    other = ARTICLE_MISTAKE.plant(built)

    errors = refused(run_cli, built, other=other)

    assert_one(errors, f"site.yaml:{line}", message)


CATALOG = "locales/ko/LC_MESSAGES/messages.po"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('msgstr "최신', 'msgstr "\udcff최신', "not UTF-8 text: byte 0xff"),
        ('msgstr "최신 요약"', 'msgstr "최신 요약', "string has no closing '\"' on its line"),
        ('msgstr "최신 요약"', 'msgstr "최신 요약\\"', "string has no closing '\"' on its line"),
        ("%(month)s 기사", "%(mnoth)s 기사", "unknown named placeholder 'mnoth'"),
    ],
    ids=["not-utf-8", "unterminated", "escaped-quote", "unknown-placeholder"],
)
def test_catalog_mistake_is_an_error_at_its_line(
    built: Path, run_cli: RunCli, old: str, new: str, message: str
) -> None:
    path = built / CATALOG
    text = path.read_text("utf-8")
    assert old in text, old
    start = text.index(old)
    line = text.count("\n", 0, start) + 1
    data = text.replace(old, new, 1).encode("utf-8", "surrogateescape")
    path.write_bytes(data)
    other = ARTICLE_MISTAKE.plant(built)

    errors = refused(run_cli, built, other=other)

    if "placeholder" in message:
        line -= 1  # reported at the entry, which starts at its msgid
    assert_one(errors, f"{CATALOG}:{line}", message)


def test_template_that_is_not_utf_8_is_an_error_at_its_line(built: Path, run_cli: RunCli) -> None:
    template = built / "templates/article.html"
    lines = template.read_bytes().split(b"\n")
    lines[4] += b" \xff\xfe"
    template.write_bytes(b"\n".join(lines))
    other = ARTICLE_MISTAKE.plant(built)

    errors = refused(run_cli, built, other=other)

    assert_one(errors, "templates/article.html:5", "not UTF-8 text: byte 0xff")


def test_template_syntax_error_is_reported_with_content_errors(
    built: Path, run_cli: RunCli
) -> None:
    template = built / "templates/term.html"
    template.write_text(template.read_text("utf-8") + "\n{% if %}\n", "utf-8")
    line = template.read_text("utf-8").count("\n")
    other = ARTICLE_MISTAKE.plant(built)

    errors = refused(run_cli, built, other=other)

    assert_one(errors, f"templates/term.html:{line}", "")


# --- links to files with odd names ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "written"),
    [("a&b.en.md", "a&b.en.md"), ("x#y.en.md", "x%23y.en.md"), ("q?r.en.md", "q%3Fr.en.md")],
    ids=["ampersand", "hash", "question-mark"],
)
def test_link_to_an_article_with_an_odd_file_name_resolves(
    project: Path, run_cli: RunCli, name: str, written: str
) -> None:
    write_article(project, name, [*FRONT, "slug: odd-name"], "The target.\n")
    body = f"See [the odd one]({written}) and [its part]({written}#part).\n"
    write_article(project, "linker.en.md", [*FRONT[:1], *FRONT[1:]], body)

    run = run_cli("build", "--source", project)

    assert run.status == 0, run.err
    page = project / "site/en/articles/2025/linker/index.html"
    hrefs = [a.get("href") for a in lxml.html.parse(str(page)).iter("a")]
    assert "/pressroom/en/articles/2025/odd-name/" in hrefs
    assert "/pressroom/en/articles/2025/odd-name/#part" in hrefs


@pytest.mark.parametrize(
    "body",
    [
        "[raw](/__pressroom__/article/content/articles/2025/x.en.md)\n",
        "[raw](/__pressroom__/0)\n",
        '<a href="/__pressroom__/media/content/x.jpg">raw html</a>\n',
        "Text that names __pressroom__ as a word.\n",
    ],
    ids=["markdown-old-form", "markdown-index", "raw-html", "text"],
)
def test_body_that_writes_the_reserved_placeholder_is_refused_at_its_line(
    built: Path, run_cli: RunCli, body: str
) -> None:
    rel = write_article(built, "reserved.en.md", FRONT, "Intro.\n\n" + body)
    other = ARTICLE_MISTAKE.plant(built)

    errors = refused(run_cli, built, other=other)

    assert_one(errors, f"{rel}:{line_of(built, rel, '__pressroom__')}", "is reserved")


@pytest.mark.parametrize(
    ("file", "written", "encoded"),
    [
        ("photo#1.png", "photo%231.png", "photo%231.png"),
        ("why?.png", "why%3F.png", "why%3F.png"),
        ("100%.png", "100%25.png", "100%25.png"),
        ("with space.png", "with%20space.png", "with%20space.png"),
        ("사진.png", "사진.png", "%EC%82%AC%EC%A7%84.png"),
    ],
    ids=["hash", "question-mark", "percent", "space", "korean"],
)
def test_media_with_an_odd_name_is_linked_percent_encoded(
    project: Path, run_cli: RunCli, file: str, written: str, encoded: str
) -> None:
    (project / YEAR_DIR / file).write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    write_article(project, "pictured.en.md", FRONT, f"Intro.\n\n![a picture]({written})\n")

    run = run_cli("build", "--source", project)

    assert run.status == 0, run.err
    page = project / "site/en/articles/2025/pictured/index.html"
    (src,) = [img.get("src") for img in lxml.html.parse(str(page)).iter("img")]
    assert src == f"/pressroom/media/articles/2025/{encoded}"
    assert (project / "site/media/articles/2025" / file).is_file()
    feed = feedparser.parse(str(project / "site/en/feed.xml"))
    item = next(e for e in feed.entries if e.title == "A test article")
    assert f'src="https://example.github.io/pressroom/media/articles/2025/{encoded}"' in (
        item.content[0].value
    )


# --- one cause, one error -------------------------------------------------------------------


def test_a_language_added_to_settings_before_its_texts_is_one_error_per_file(
    built: Path, run_cli: RunCli
) -> None:
    set_setting(built, "languages", "[ko, en, fr]")
    other = ARTICLE_MISTAKE.plant(built)

    errors = refused(run_cli, built, other=other)

    assert len(errors) == 7, "\n".join(errors)
    assert "content/taxonomies/sectors.yaml:1: no entry has text in 'fr'" in "\n".join(errors)
    assert "content/taxonomies/people.yaml:1: no entry has text in 'fr'" in "\n".join(errors)
    outlets = "content/taxonomies/sources.yaml:1: no entry has text in 'fr', one of the site's "
    assert outlets + "languages: give every entry its fr name\n" in "\n".join(errors) + "\n"
    assert "locales/fr/LC_MESSAGES/messages.po:0: no message catalog" in "\n".join(errors)
    assert "'share_image.alt' has no text for language(s): fr" in "\n".join(errors)


def test_a_registry_that_does_not_parse_does_not_make_every_use_unknown(
    built: Path, run_cli: RunCli
) -> None:
    registry = built / "content/taxonomies/sectors.yaml"
    registry.write_text(registry.read_text("utf-8") + "\n  broken: [\n", "utf-8")
    other = SETTINGS_MISTAKE.plant(built)

    errors = refused(run_cli, built, other=other)

    assert len(errors) == 1, "\n".join(errors)
    assert errors[0].startswith("content/taxonomies/sectors.yaml:")


def test_a_broken_registry_entry_is_reported_once_not_at_every_use(
    built: Path, run_cli: RunCli
) -> None:
    registry = built / "content/taxonomies/people.yaml"
    text = registry.read_text("utf-8")
    assert 'en: "Lee Jae-myung"' in text
    registry.write_text(text.replace('en: "Lee Jae-myung"', 'fr: "Lee Jae-myung"', 1), "utf-8")
    other = SETTINGS_MISTAKE.plant(built)

    errors = refused(run_cli, built, other=other)

    assert len(errors) == 1, "\n".join(errors)
    assert errors[0].startswith("content/taxonomies/people.yaml:")
    assert "lee-jae-myung" in errors[0]


def test_whole_file_errors_carry_a_line_too(built: Path, run_cli: RunCli) -> None:
    (built / "content/taxonomies/people.yaml").unlink()
    (built / YEAR_DIR / "no-front-matter.en.md").write_text("Just text.\n", "utf-8")
    other = SETTINGS_MISTAKE.plant(built)

    errors = refused(run_cli, built, other=other)

    assert "content/taxonomies/people.yaml:0: registry file is missing" in errors
    assert any(
        e.startswith(f"{YEAR_DIR}/no-front-matter.en.md:1: missing front matter") for e in errors
    )
    assert all(re.match(r"^[^:]+:\d+: ", e) for e in errors)


def test_errors_of_a_failed_build_are_the_same_in_check_text(built: Path, run_cli: RunCli) -> None:
    write_article(built, "impossible.en.md", with_key("date", "2025-02-30"))
    other = ARTICLE_MISTAKE.plant(built)
    build_errors = error_lines(*(lambda r: (r.err, r.status))(run_cli("build", "--source", built)))

    check = run_cli("check", "--source", built)

    assert other in build_errors
    for error in build_errors:
        path, line, message = error.split(":", 2)
        assert f"{path}:{line}:1: error:{message}" in check.out
