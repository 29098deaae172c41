"""`pressroom new`: the files it writes, what it refuses, and that its files build into pages.

Every test runs the command in a fresh copy of the default site (the ``project`` fixture).
What `new` writes by design: complete front matter marked ``draft: true``; for a new article
an empty report under ``sources`` that the build refuses by name until it is filled in; for a
translation an empty title, everything else copied from the original.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import lxml.html
import pytest
import yaml

from generator.commands.cli import main

#: The ``run_cli`` fixture: runs ``pressroom`` in-process, returns Run(status, out, err).
RunCli = Callable[..., Any]

ARTICLES = "content/articles"
SEOUL = ZoneInfo("Asia/Seoul")
TITLE = "Korea-U.S. Summit Opens in Washington"
#: What the title above gives: abbreviations joined, lower case, hyphens.
TITLE_SLUG = "korea-us-summit-opens-in-washington"
DATE = "2025-09-01T10:30:00+09:00"
#: An article of the default content in Korean only.
KOREAN_ONLY = f"{ARTICLES}/2025/biotech-trusted-partner.ko.md"
#: An article of the default content in both languages.
BOTH = "semiconductors-hbm-ai"


# --- helpers -------------------------------------------------------------------------------


def front_matter(path: Path) -> dict[str, Any]:
    """The YAML between the file's '---' fences."""
    text = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    assert match, f"{path} has no front matter"
    data = yaml.safe_load(match.group(1))
    assert isinstance(data, dict)
    return data


def body(path: Path) -> str:
    """The text after the front matter."""
    return path.read_text(encoding="utf-8").split("\n---\n", 1)[1]


def article_files(project: Path) -> dict[str, bytes]:
    """Every article file, by site-relative path, with its bytes."""
    root = project / ARTICLES
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in root.rglob("*.md")}


def printed_paths(out: str) -> list[str]:
    """The file paths `new` printed, one a line."""
    return [line for line in out.splitlines() if line.strip()]


def fill_source(path: Path) -> None:
    """Do what the author must: name the report summarised, its outlet and its address."""
    text = path.read_text(encoding="utf-8")
    text = text.replace('  - outlet: ""', "  - outlet: asiae", 1)
    text = text.replace('    headline: ""', '    headline: "Summit opens"', 1)
    text = text.replace('    url: ""', '    url: "https://www.asiae.co.kr/report/1"', 1)
    text = text.replace("    published:", "    published: 2025-08-26  #", 1)
    path.write_text(text, encoding="utf-8")


def publish(path: Path) -> None:
    """Delete the 'draft: true' line."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(x for x in lines if not x.startswith("draft:")), encoding="utf-8")


def page(project: Path, lang: str, year: int, slug: str) -> Path:
    """Where the build writes an article's page."""
    return project / "site" / lang / "articles" / str(year) / slug / "index.html"


def build(run_cli: RunCli, project: Path, *options: str) -> Any:
    """Run `pressroom build` on the project."""
    return run_cli("build", "--source", project, *options)


# --- a new article -------------------------------------------------------------------------


def test_new_writes_every_language_with_complete_front_matter(
    run_cli: RunCli, project: Path
) -> None:
    result = run_cli(
        "new",
        TITLE,
        "--date",
        DATE,
        "--sector",
        "semiconductors",
        "--sector",
        "ai,shipbuilding",
        "--person",
        "lee-jae-myung",
        "--source",
        project,
    )
    assert result.status == 0, result.err
    expected = [(project / ARTICLES / "2025" / f"{TITLE_SLUG}.{lang}.md") for lang in ("ko", "en")]
    assert printed_paths(result.out) == [p.as_posix() for p in expected]
    for path in expected:
        meta = front_matter(path)
        assert meta["title"] == TITLE
        assert meta["date"] == dt.datetime.fromisoformat(DATE)
        assert meta["sectors"] == ["semiconductors", "ai", "shipbuilding"]
        assert meta["people"] == ["lee-jae-myung"]
        assert meta["sources"] == [{"outlet": "", "headline": "", "url": "", "published": None}]
        assert meta["draft"] is True
        assert "summary" not in meta  # left as a comment: the first paragraph is the default
        assert "# summary:" in path.read_text(encoding="utf-8")
    assert "sources:" in result.err  # the next steps say what to fill in


def test_date_defaults_to_now_in_the_site_time_zone_to_the_second(
    run_cli: RunCli, project: Path
) -> None:
    before = dt.datetime.now(SEOUL).replace(microsecond=0)
    result = run_cli("new", TITLE, "--lang", "en", "--source", project)
    after = dt.datetime.now(SEOUL)
    assert result.status == 0, result.err
    (path,) = (Path(p) for p in printed_paths(result.out))
    written = re.search(r"^date: (\S+)$", path.read_text(encoding="utf-8"), re.M)
    assert written
    date = dt.datetime.fromisoformat(written.group(1))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00", written.group(1))
    assert before <= date <= after
    assert path.parent.name == str(date.year)


def test_the_year_folder_is_the_year_in_the_site_time_zone(run_cli: RunCli, project: Path) -> None:
    # 31 December in New York is already 1 January in Seoul.
    result = run_cli(
        "new", TITLE, "--lang", "en", "--date", "2025-12-31T20:00:00-05:00", "--source", project
    )
    assert result.status == 0, result.err
    path = project / ARTICLES / "2026" / f"{TITLE_SLUG}.en.md"
    assert printed_paths(result.out) == [path.as_posix()]
    assert "date: 2026-01-01T10:00:00+09:00\n" in path.read_text(encoding="utf-8")


def test_one_language_and_an_explicit_slug(run_cli: RunCli, project: Path) -> None:
    result = run_cli(
        "new", TITLE, "--lang", "en", "--slug", "summit-opens", "--date", DATE, "--source", project
    )
    assert result.status == 0, result.err
    written = project / ARTICLES / "2025" / "summit-opens.en.md"
    assert printed_paths(result.out) == [written.as_posix()]
    assert not (project / ARTICLES / "2025" / "summit-opens.ko.md").exists()
    assert front_matter(written)["title"] == TITLE


def test_a_korean_title_with_a_slug(run_cli: RunCli, project: Path) -> None:
    title = "한미 정상회담 개막"
    result = run_cli(
        "new", title, "--lang", "ko", "--slug", "summit-opens", "--date", DATE, "--source", project
    )
    assert result.status == 0, result.err
    written = project / ARTICLES / "2025" / "summit-opens.ko.md"
    assert front_matter(written)["title"] == title


def test_a_korean_title_without_slug_is_refused_saying_how(run_cli: RunCli, project: Path) -> None:
    before = article_files(project)
    result = run_cli("new", "한미 정상회담 개막", "--source", project)
    assert result.status == 1
    assert "a Korean title gives no ASCII slug" in result.err
    assert "--slug" in result.err
    assert "nothing was written" in result.err
    assert "Traceback" not in result.err
    assert article_files(project) == before


def test_an_invalid_slug_or_date_is_refused(run_cli: RunCli, project: Path) -> None:
    before = article_files(project)
    result = run_cli(
        "new", TITLE, "--slug", "Summit_Opens", "--date", "yesterday", "--source", project
    )
    assert result.status == 1
    assert "'--slug' 'Summit_Opens' is not a valid slug" in result.err
    assert "'--date' must be an ISO 8601 date" in result.err
    assert article_files(project) == before


def test_an_existing_file_is_never_overwritten(run_cli: RunCli, project: Path) -> None:
    before = article_files(project)
    result = run_cli("new", TITLE, "--slug", BOTH, "--date", DATE, "--source", project)
    assert result.status == 1
    for lang in ("ko", "en"):
        path = (project / ARTICLES / "2025" / f"{BOTH}.{lang}.md").as_posix()
        assert f"{path}: already exists" in result.err
    assert article_files(project) == before


def test_nothing_is_written_when_one_of_the_languages_exists(
    run_cli: RunCli, project: Path
) -> None:
    before = article_files(project)
    result = run_cli(
        "new", TITLE, "--slug", "biotech-trusted-partner", "--date", DATE, "--source", project
    )
    assert result.status == 1
    assert f"{(project / KOREAN_ONLY).as_posix()}: already exists" in result.err
    assert article_files(project) == before  # the English file was not written either


def test_a_slug_taken_in_another_year_is_refused(run_cli: RunCli, project: Path) -> None:
    before = article_files(project)
    result = run_cli(
        "new", TITLE, "--slug", BOTH, "--date", "2026-03-01", "--lang", "en", "--source", project
    )
    assert result.status == 1
    assert f"{ARTICLES}/2025/{BOTH}.en.md: already uses the slug" in result.err
    assert article_files(project) == before


def test_unknown_sector_and_person_are_refused_with_suggestions(
    run_cli: RunCli, project: Path
) -> None:
    before = article_files(project)
    result = run_cli(
        "new", TITLE, "--sector", "semiconductor", "--person", "lee-jae-myun", "--source", project
    )
    assert result.status == 1
    assert (
        "unknown sector 'semiconductor': not in content/taxonomies/sectors.yaml "
        "(did you mean 'semiconductors'?)" in result.err
    )
    assert "unknown person 'lee-jae-myun'" in result.err
    assert "did you mean 'lee-jae-myung'" in result.err
    assert article_files(project) == before


def test_an_unknown_language_is_refused(run_cli: RunCli, project: Path) -> None:
    result = run_cli("new", TITLE, "--lang", "fr", "--source", project)
    assert result.status == 1
    assert "unknown language 'fr': the site's languages are ko, en" in result.err


def test_help_documents_what_new_writes() -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["new", "--help"])
    assert exit_info.value.code == 0


# --- the files build -----------------------------------------------------------------------


def test_new_files_name_what_to_fill_then_build_as_drafts_then_publish(
    run_cli: RunCli, project: Path
) -> None:
    result = run_cli("new", TITLE, "--date", DATE, "--sector", "ai", "--source", project)
    assert result.status == 0, result.err
    paths = [Path(p) for p in printed_paths(result.out)]

    # As written, the build names the lines to fill in.
    failed = build(run_cli, project)
    assert failed.status == 1
    for path in paths:
        rel = path.relative_to(project).as_posix()
        lines = path.read_text(encoding="utf-8").splitlines()
        outlet = next(i for i, line in enumerate(lines, 1) if line.startswith("  - outlet:"))
        assert f"{rel}:{outlet}: 'sources.0.outlet' must not be empty" in failed.err
        assert f"{rel}:{outlet + 1}: 'sources.0.headline' must not be empty" in failed.err
        assert f"{rel}:{outlet + 2}: 'sources.0.url' must not be empty" in failed.err
        assert f"{rel}:{outlet}: missing required field 'published' in 'sources.0'" in failed.err

    # Filled in, they are drafts: a preview shows them, a plain build does not.
    for path in paths:
        fill_source(path)
    assert build(run_cli, project).status == 0
    assert not page(project, "en", 2025, TITLE_SLUG).exists()
    assert build(run_cli, project, "--drafts").status == 0
    for lang in ("ko", "en"):
        doc = lxml.html.parse(str(page(project, lang, 2025, TITLE_SLUG))).getroot()
        assert TITLE in doc.findtext(".//h1", "")

    # Without the draft line they are published, and paired as translations.
    for path in paths:
        publish(path)
    assert build(run_cli, project).status == 0
    doc = lxml.html.parse(str(page(project, "en", 2025, TITLE_SLUG))).getroot()
    assert doc.xpath(f'//link[@hreflang="ko"][contains(@href, "/ko/articles/2025/{TITLE_SLUG}/")]')


# --- a translation -------------------------------------------------------------------------


def test_translate_copies_slug_date_terms_and_source(run_cli: RunCli, project: Path) -> None:
    result = run_cli("new", "--translate", KOREAN_ONLY, "--lang", "en", "--source", project)
    assert result.status == 0, result.err
    written = project / ARTICLES / "2025" / "biotech-trusted-partner.en.md"
    assert printed_paths(result.out) == [written.as_posix()]
    original = front_matter(project / KOREAN_ONLY)
    meta = front_matter(written)
    for key in ("date", "sectors", "people", "sources"):
        assert meta[key] == original[key], key
    assert meta["title"] == ""
    assert meta["draft"] is True
    text = written.read_text(encoding="utf-8")
    assert original["title"] in text  # beside the empty title, to translate
    assert body(project / KOREAN_ONLY).strip() in body(written)  # kept inside a comment


def test_translate_copies_the_image_file_with_its_texts_to_translate(
    run_cli: RunCli, project: Path
) -> None:
    from PIL import Image

    original_path = project / KOREAN_ONLY
    Image.new("RGB", (64, 36)).save(original_path.with_name("bio.png"))
    text = original_path.read_text(encoding="utf-8")
    figure = "image:\n  file: bio.png\n  alt: 바이오 공장\n  caption: 공장 전경\n"
    original_path.write_text(text.replace("\n---\n", f"\n{figure}---\n", 1), "utf-8")

    result = run_cli("new", "--translate", KOREAN_ONLY, "--lang", "en", "--source", project)
    assert result.status == 0, result.err
    written = project / ARTICLES / "2025" / "biotech-trusted-partner.en.md"
    meta = front_matter(written)
    assert meta["image"] == {"file": "bio.png", "alt": ""}
    text = written.read_text(encoding="utf-8")
    assert "바이오 공장" in text and "공장 전경" in text  # beside the keys, to translate
    failed = build(run_cli, project, "--drafts")
    rel = written.relative_to(project).as_posix()
    assert "'image.alt' must not be empty" in failed.err and rel in failed.err


def test_translate_defaults_to_the_missing_languages(run_cli: RunCli, project: Path) -> None:
    result = run_cli("new", "--translate", KOREAN_ONLY, "--source", project)
    assert result.status == 0, result.err
    assert printed_paths(result.out) == [
        (project / ARTICLES / "2025" / "biotech-trusted-partner.en.md").as_posix()
    ]


def test_a_translation_fails_clearly_until_translated_then_builds(
    run_cli: RunCli, project: Path
) -> None:
    result = run_cli("new", "--translate", KOREAN_ONLY, "--lang", "en", "--source", project)
    assert result.status == 0, result.err
    written = project / ARTICLES / "2025" / "biotech-trusted-partner.en.md"

    failed = build(run_cli, project, "--drafts")
    assert failed.status == 1
    rel = written.relative_to(project).as_posix()
    assert f"{rel}:3: 'title' must not be empty" in failed.err

    text = written.read_text(encoding="utf-8")
    written.write_text(
        text.replace('title: ""', 'title: "Korea, a Trusted Biotech Partner"', 1), "utf-8"
    )
    assert build(run_cli, project, "--drafts").status == 0
    doc = lxml.html.parse(str(page(project, "en", 2025, "biotech-trusted-partner"))).getroot()
    assert "Korea, a Trusted Biotech Partner" in doc.findtext(".//h1", "")
    # The original body is only a comment: nothing of it is shown.
    original_first_line = body(project / KOREAN_ONLY).strip().splitlines()[0]
    assert original_first_line[:20] not in lxml.html.tostring(doc, encoding="unicode")
    # Paired with the Korean original.
    ko = lxml.html.parse(str(page(project, "ko", 2025, "biotech-trusted-partner"))).getroot()
    assert ko.xpath('//link[@hreflang="en"][contains(@href, "/en/articles/2025/biotech")]')


def test_translate_refuses_an_existing_translation(run_cli: RunCli, project: Path) -> None:
    before = article_files(project)
    original = f"{ARTICLES}/2025/{BOTH}.en.md"
    result = run_cli("new", "--translate", original, "--lang", "ko", "--source", project)
    assert result.status == 1
    assert f"{(project / ARTICLES / '2025' / BOTH).as_posix()}.ko.md: already exists" in result.err
    assert article_files(project) == before


def test_translate_refuses_options_it_takes_from_the_original(
    run_cli: RunCli, project: Path
) -> None:
    result = run_cli(
        "new", "--translate", KOREAN_ONLY, "--slug", "other", "--sector", "ai", "--source", project
    )
    assert result.status == 1
    assert "leave out --slug, --sector" in result.err


def test_translate_refuses_a_missing_or_broken_original(run_cli: RunCli, project: Path) -> None:
    missing = run_cli("new", "--translate", f"{ARTICLES}/2025/nope.ko.md", "--source", project)
    assert missing.status == 1
    assert "no such article file" in missing.err

    broken = project / ARTICLES / "2025" / "broken.ko.md"
    broken.write_text("---\ntitle: [unclosed\n---\nBody.\n", encoding="utf-8")
    result = run_cli("new", "--translate", broken, "--source", project)
    assert result.status == 1
    assert re.search(rf"^{ARTICLES}/2025/broken.ko.md:\d+: invalid YAML", result.err, re.M)
    assert "fix the original before translating it" in result.err
    assert not (project / ARTICLES / "2025" / "broken.en.md").exists()
