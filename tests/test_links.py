"""Links written in article bodies lead where the reader expects, or the build says why not.

Authors link another article by the path of its source file (relative to the linking file, or
from ``content/``), a local image by its file name, and a page of the site by its absolute path
(``/ko/sectors/ai/``). The build rewrites each one to a root-relative URL under the base path,
choosing the target article in the language of the LINKING page, and copies linked images to
``/media/...``. A link that leads nowhere fails the build with ``path:line: message`` at the
line where the link is written, and nothing is written.

Each test writes one small article into a fresh copy of the default site (``project``) and reads
the built page with lxml, looking only inside the article body (``div.article-body``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import html

#: The ``run_cli`` fixture: runs ``pressroom`` in-process, returns Run(status, out, err).
RunCli = Callable[..., Any]

YEAR_DIR = "content/articles/2025"
SUMMARY_RE = re.compile(r"build failed: (\d+) errors?; nothing was written")
#: A tiny but real PNG (1x1 transparent pixel).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


# --- helpers ---------------------------------------------------------------------------------


def write_article(
    project: Path, name: str, body: str, *, extra: tuple[str, ...] = (), year: str = "2025"
) -> str:
    """Write ``content/articles/<year>/<name>`` with valid front matter; return its path."""
    front_matter = [
        "---",
        f'title: "Test article {name}"',
        f"date: {year}-08-27T10:00:00+09:00",
        *extra,
        "sources:",
        "  - outlet: asiae",
        '    headline: "Test report"',
        '    url: "https://example.com/news"',
        "    published: 2025-08-26",
        "---",
    ]
    rel = f"content/articles/{year}/{name}"
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(front_matter) + "\n" + body, encoding="utf-8")
    return rel


def write_linking_article(project: Path, name: str, link_line: str) -> str:
    """An article whose body is an opening paragraph, then ``link_line`` as its own paragraph."""
    body = f"An opening paragraph that links nothing.\n\nSecond paragraph.\n\n{link_line}\n"
    return write_article(project, name, body)


def line_containing(project: Path, rel: str, needle: str) -> int:
    """The 1-based number of the first line of ``rel`` containing ``needle``."""
    text = (project / rel).read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} is not in {rel}")


def build(run_cli: RunCli, project: Path, *args: str) -> None:
    """Build, expecting success."""
    run = run_cli("build", "--source", project, *args)
    assert run.status == 0, f"build failed\nstdout:\n{run.out}\nstderr:\n{run.err}"


def failed_build(run_cli: RunCli, project: Path) -> list[str]:
    """Build, expecting a reported failure with nothing written; return the error lines."""
    run = run_cli("build", "--source", project)
    assert run.status == 1, f"expected the build to fail\nstdout:\n{run.out}\nstderr:\n{run.err}"
    assert "Traceback" not in run.err, run.err
    assert not (project / "site").exists(), "a failed build wrote site/"
    lines = run.err.rstrip("\n").split("\n")
    assert SUMMARY_RE.fullmatch(lines[-1]), f"last stderr line is not the summary:\n{run.err}"
    return lines[:-1]


def assert_one_error_at(errors: list[str], where: str) -> str:
    """Exactly one error, at ``where`` ("path:line"); return its message."""
    shown = "\n".join(errors)
    assert len(errors) == 1, f"expected one error at {where}, got:\n{shown}"
    assert errors[0].startswith(f"{where}: "), f"expected an error at {where}, got:\n{shown}"
    return errors[0][len(where) + 2 :]


def article_body(project: Path, lang: str, slug: str, year: str = "2025") -> html.HtmlElement:
    """The ``div.article-body`` of a built article page."""
    page = project / "site" / lang / "articles" / year / slug / "index.html"
    bodies = html.parse(str(page)).getroot().find_class("article-body")
    assert len(bodies) == 1, f"expected one div.article-body in {page}"
    return bodies[0]


def body_hrefs(project: Path, lang: str, slug: str) -> list[str]:
    """Every link target in a built article's body, in document order."""
    return [a.get("href") for a in article_body(project, lang, slug).iter("a")]


def body_image_sources(project: Path, lang: str, slug: str) -> list[str]:
    """Every image source in a built article's body, in document order."""
    return [img.get("src") for img in article_body(project, lang, slug).iter("img")]


def served_file(project: Path, href: str, base_path: str) -> Path:
    """The built file a root-relative link under ``base_path`` is served from."""
    assert href.startswith(base_path), f"{href!r} is not under {base_path!r}"
    rel = href[len(base_path) :].split("#")[0]
    path = project / "site" / rel
    return path / "index.html" if rel.endswith("/") or not rel else path


# --- rewriting, at the default base path and under a sub-path --------------------------------

#: (extra build arguments, the base path every site link must start with)
BASES = [
    pytest.param(((), "/pressroom/"), id="default-base-url"),
    pytest.param((("--base-url", "https://example.org/archive/"), "/archive/"), id="archive"),
]


@pytest.fixture(params=BASES)
def base(request: pytest.FixtureRequest) -> tuple[tuple[str, ...], str]:
    """The build arguments and the base path of one way to serve the site."""
    return request.param


def test_link_to_sibling_source_file_leads_to_that_article(
    project: Path, run_cli: RunCli, base: tuple[tuple[str, ...], str]
) -> None:
    args, prefix = base
    write_linking_article(
        project, "links-here.en.md", "[see](masga-shipbuilding-cooperation.en.md)"
    )
    build(run_cli, project, *args)
    assert body_hrefs(project, "en", "links-here") == [
        f"{prefix}en/articles/2025/masga-shipbuilding-cooperation/"
    ]


def test_link_written_from_content_dir_leads_to_that_article(
    project: Path, run_cli: RunCli, base: tuple[tuple[str, ...], str]
) -> None:
    args, prefix = base
    write_linking_article(
        project, "links-here.en.md", "[chips](content/articles/2025/semiconductors-hbm-ai.en.md)"
    )
    build(run_cli, project, *args)
    assert body_hrefs(project, "en", "links-here") == [
        f"{prefix}en/articles/2025/semiconductors-hbm-ai/"
    ]


@pytest.mark.parametrize(
    ("page", "linked_file", "lang"),
    [
        pytest.param("links-here.ko.md", "korea-150-billion-investment.en.md", "ko", id="ko-to-en"),
        pytest.param("links-here.en.md", "korea-150-billion-investment.ko.md", "en", id="en-to-ko"),
    ],
)
def test_link_to_other_language_file_leads_to_translation_in_page_language(
    project: Path,
    run_cli: RunCli,
    base: tuple[tuple[str, ...], str],
    page: str,
    linked_file: str,
    lang: str,
) -> None:
    args, prefix = base
    write_linking_article(project, page, f"[link]({linked_file})")
    build(run_cli, project, *args)
    hrefs = body_hrefs(project, lang, "links-here")
    assert hrefs == [f"{prefix}{lang}/articles/2025/korea-150-billion-investment/"]
    target = html.parse(str(served_file(project, hrefs[0], prefix))).getroot()
    assert target.get("lang") == lang


def test_link_fragment_is_kept(
    project: Path, run_cli: RunCli, base: tuple[tuple[str, ...], str]
) -> None:
    args, prefix = base
    write_linking_article(
        project, "links-here.en.md", "[see](masga-shipbuilding-cooperation.en.md#three-points)"
    )
    build(run_cli, project, *args)
    assert body_hrefs(project, "en", "links-here") == [
        f"{prefix}en/articles/2025/masga-shipbuilding-cooperation/#three-points"
    ]


def test_absolute_site_link_gets_base_path(
    project: Path, run_cli: RunCli, base: tuple[tuple[str, ...], str]
) -> None:
    args, prefix = base
    write_linking_article(project, "links-here.en.md", "[AI in Korean](/ko/sectors/ai/)")
    build(run_cli, project, *args)
    hrefs = body_hrefs(project, "en", "links-here")
    assert hrefs == [f"{prefix}ko/sectors/ai/"]
    assert served_file(project, hrefs[0], prefix).is_file()


def test_local_image_src_points_to_its_media_copy(
    project: Path, run_cli: RunCli, base: tuple[tuple[str, ...], str]
) -> None:
    args, prefix = base
    (project / YEAR_DIR / "photo.png").write_bytes(PNG)
    write_linking_article(project, "links-here.en.md", "![A shipyard at dusk](photo.png)")
    build(run_cli, project, *args)
    assert body_image_sources(project, "en", "links-here") == [
        f"{prefix}media/articles/2025/photo.png"
    ]


def test_local_image_is_copied_to_media(
    project: Path, run_cli: RunCli, base: tuple[tuple[str, ...], str]
) -> None:
    args, _ = base
    (project / YEAR_DIR / "photo.png").write_bytes(PNG)
    write_linking_article(project, "links-here.en.md", "![A shipyard at dusk](photo.png)")
    build(run_cli, project, *args)
    assert (project / "site/media/articles/2025/photo.png").read_bytes() == PNG


def test_image_keeps_its_alt_text(
    project: Path, run_cli: RunCli, base: tuple[tuple[str, ...], str]
) -> None:
    args, _ = base
    (project / YEAR_DIR / "photo.png").write_bytes(PNG)
    write_linking_article(project, "links-here.en.md", "![A shipyard at dusk](photo.png)")
    build(run_cli, project, *args)
    images = list(article_body(project, "en", "links-here").iter("img"))
    assert [img.get("alt") for img in images] == ["A shipyard at dusk"]


def test_external_and_same_page_links_are_kept_as_written(
    project: Path, run_cli: RunCli, base: tuple[tuple[str, ...], str]
) -> None:
    args, _ = base
    write_linking_article(
        project,
        "links-here.en.md",
        "[report](https://www.example.com/report?id=1) and [above](#top)",
    )
    build(run_cli, project, *args)
    assert body_hrefs(project, "en", "links-here") == [
        "https://www.example.com/report?id=1",
        "#top",
    ]


# --- links that lead nowhere fail the build at their line -------------------------------------


def test_link_to_missing_article_file_is_an_error_at_its_line(
    project: Path, run_cli: RunCli
) -> None:
    rel = write_linking_article(project, "links-here.en.md", "[gone](no-such-article.en.md)")
    line = line_containing(project, rel, "no-such-article")
    message = assert_one_error_at(failed_build(run_cli, project), f"{rel}:{line}")
    assert "no-such-article.en.md" in message


def test_link_to_article_missing_in_page_language_names_existing_translation(
    project: Path, run_cli: RunCli
) -> None:
    rel = write_linking_article(project, "links-here.en.md", "[bio](biotech-trusted-partner.ko.md)")
    line = line_containing(project, rel, "biotech-trusted-partner")
    message = assert_one_error_at(failed_build(run_cli, project), f"{rel}:{line}")
    assert "biotech-trusted-partner" in message
    without_path = re.sub(r"\S*biotech-trusted-partner\S*", "", message)
    assert re.search(r"\bko\b", without_path), f"existing translation 'ko' not named: {message}"


def test_link_to_draft_article_is_an_error_at_its_line(project: Path, run_cli: RunCli) -> None:
    write_article(project, "upcoming-story.en.md", "Not ready yet.\n", extra=("draft: true",))
    rel = write_linking_article(project, "links-here.en.md", "[soon](upcoming-story.en.md)")
    line = line_containing(project, rel, "upcoming-story")
    message = assert_one_error_at(failed_build(run_cli, project), f"{rel}:{line}")
    assert "upcoming-story.en.md" in message
    assert "draft" in message.replace("upcoming-story", "").lower()


def test_image_without_alt_text_is_an_error_at_its_line(project: Path, run_cli: RunCli) -> None:
    (project / YEAR_DIR / "photo.png").write_bytes(PNG)
    rel = write_linking_article(project, "links-here.en.md", "![](photo.png)")
    line = line_containing(project, rel, "photo.png")
    message = assert_one_error_at(failed_build(run_cli, project), f"{rel}:{line}")
    assert "alt" in message


def test_missing_image_file_is_an_error_at_its_line(project: Path, run_cli: RunCli) -> None:
    rel = write_linking_article(project, "links-here.en.md", "![A chart](missing-chart.png)")
    line = line_containing(project, rel, "missing-chart.png")
    message = assert_one_error_at(failed_build(run_cli, project), f"{rel}:{line}")
    assert "missing-chart.png" in message


def test_absolute_link_to_page_the_site_lacks_is_an_error_at_its_line(
    project: Path, run_cli: RunCli
) -> None:
    rel = write_linking_article(project, "links-here.en.md", "[nope](/ko/sectors/nope/)")
    line = line_containing(project, rel, "/ko/sectors/nope/")
    message = assert_one_error_at(failed_build(run_cli, project), f"{rel}:{line}")
    assert "/ko/sectors/nope/" in message


def test_relative_link_escaping_content_is_an_error_at_its_line(
    project: Path, run_cli: RunCli
) -> None:
    rel = write_linking_article(project, "links-here.en.md", "[settings](../../../site.yaml)")
    line = line_containing(project, rel, "site.yaml")
    message = assert_one_error_at(failed_build(run_cli, project), f"{rel}:{line}")
    assert "site.yaml" in message
    assert "content/" in message


def test_every_broken_link_is_reported_in_one_run(project: Path, run_cli: RunCli) -> None:
    body = (
        "Intro.\n\n"
        "[gone](no-such-article.en.md)\n\n"
        "![A chart](missing-chart.png)\n\n"
        "[bio](biotech-trusted-partner.ko.md)\n"
    )
    rel = write_article(project, "links-here.en.md", body)
    errors = failed_build(run_cli, project)
    assert sorted(e.split(": ")[0] for e in errors) == sorted(
        f"{rel}:{line_containing(project, rel, needle)}"
        for needle in ("no-such-article", "missing-chart", "biotech-trusted-partner")
    )


def test_image_without_alt_text_does_not_hide_other_link_errors_of_its_article(
    project: Path, run_cli: RunCli
) -> None:
    body = "Intro.\n\n![](photo.png)\n\n[gone](no-such-article.en.md)\n"
    (project / YEAR_DIR / "photo.png").write_bytes(PNG)
    rel = write_article(project, "links-here.en.md", body)
    errors = failed_build(run_cli, project)
    assert sorted(e.split(": ")[0] for e in errors) == sorted(
        f"{rel}:{line_containing(project, rel, needle)}"
        for needle in ("photo.png", "no-such-article")
    )


def test_link_to_article_with_its_own_error_is_not_reported_as_missing(
    project: Path, run_cli: RunCli
) -> None:
    (project / YEAR_DIR / "photo.png").write_bytes(PNG)
    broken = write_linking_article(project, "no-alt.en.md", "![](photo.png)")
    write_linking_article(project, "links-here.en.md", "[see](no-alt.en.md)")
    errors = failed_build(run_cli, project)
    line = line_containing(project, broken, "photo.png")
    assert [e.split(": ")[0] for e in errors] == [f"{broken}:{line}"], "\n".join(errors)
