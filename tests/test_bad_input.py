"""Bad input is reported as `path:line: message`, all at once, and leaves the old site alone.

Every test breaks a fresh copy of the default site (the ``project`` fixture) and runs
``pressroom build`` on it. A failed build must exit with status 1, print one
``path:line: message`` line per mistake on stderr (the path relative to the site directory,
the line being the one inside that file where the mistake is), end with a summary line and never
show a traceback.

In the front matter lists below, item ``i`` is on line ``i + 2`` of the file: line 1 is the
opening ``---``.
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
#: An article of the default content that is copied to make duplicates.
EXISTING = "korea-150-billion-investment"
SUMMARY_RE = re.compile(r"build failed: (\d+) errors?; nothing was written")

#: A valid `sources:` block: three front matter lines.
SOURCE = [
    "sources:",
    "  - {outlet: asiae, headline: Test report, url: 'https://example.com/news',",
    "     published: 2025-08-26}",
]


# --- helpers ---------------------------------------------------------------------------------


def write_article(
    project: Path,
    name: str,
    front_matter: list[str],
    body: str = "Body text.\n",
    year: str = "2025",
) -> str:
    """Write an article with the given front matter lines; return its site-relative path."""
    rel = f"content/articles/{year}/{name}"
    text = "---\n" + "".join(line + "\n" for line in front_matter) + "---\n" + body
    write_file(project, rel, text.encode("utf-8"))
    return rel


def write_file(project: Path, rel: str, data: bytes) -> str:
    """Write raw bytes to a site-relative path; return that path."""
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return rel


def line_starting(path: Path, prefix: str) -> int:
    """The 1-based number of the first line of ``path`` that starts with ``prefix``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(prefix):
            return number
    raise AssertionError(f"no line starting with {prefix!r} in {path}")


def append_lines(path: Path, lines: list[str]) -> int:
    """Append ``lines`` to a text file; return the line number of the first one."""
    text = path.read_text(encoding="utf-8")
    if text and not text.endswith("\n"):
        text += "\n"
    path.write_text(text + "".join(line + "\n" for line in lines), encoding="utf-8")
    return text.count("\n") + 1


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` (relative path → bytes)."""
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def build(run_cli: RunCli, project: Path, *args: str | Path) -> Any:
    return run_cli("build", "--source", project, *args)


def failed_build(run_cli: RunCli, project: Path) -> list[str]:
    """Build, expecting a reported failure; return the error lines without the summary."""
    run = build(run_cli, project)
    assert run.status == 1, f"expected the build to fail\nstdout:\n{run.out}\nstderr:\n{run.err}"
    assert "Traceback" not in run.err, run.err
    lines = run.err.rstrip("\n").split("\n")
    summary = SUMMARY_RE.fullmatch(lines[-1])
    assert summary, f"last stderr line is not the summary:\n{run.err}"
    errors = lines[:-1]
    assert int(summary.group(1)) == len(errors), f"summary miscounts the errors:\n{run.err}"
    return errors


def locations(errors: list[str]) -> list[str]:
    """The "path:line" of each error line."""
    return [error.split(": ")[0] for error in errors]


def assert_one_error(errors: list[str], where: str, *fragments: str) -> None:
    """Exactly one error, at ``where`` ("path:line"), whose message contains ``fragments``."""
    shown = "\n".join(errors)
    assert len(errors) == 1, f"expected one error at {where}, got:\n{shown}"
    assert errors[0].startswith(f"{where}: "), f"expected an error at {where}, got:\n{shown}"
    for fragment in fragments:
        assert fragment in errors[0], f"{fragment!r} missing from:\n{shown}"


def page_title(project: Path, lang: str, slug: str) -> str:
    """The <h1> of a built article page."""
    page = project / "site" / lang / "articles" / "2025" / slug / "index.html"
    return html.parse(str(page)).findtext(".//h1").strip()


# --- YAML and the shape of the file --------------------------------------------------------


@pytest.mark.parametrize(
    ("front_matter", "line", "problem"),
    [
        pytest.param(
            ["date: 2025-08-26", "title: Korea: a new era", *SOURCE],
            3,
            "mapping values are not allowed",
            id="colon-in-unquoted-title",
        ),
        pytest.param(
            [
                "title: T",
                "date: 2025-08-26",
                "sources:",
                "  - outlet: asiae",
                '   url: "https://e.com/"',
            ],
            6,
            "did not find expected '-' indicator",
            id="bad-indentation",
        ),
        pytest.param(
            [
                "title: T",
                "date: 2025-08-26",
                "sources:",
                "\t- outlet: asiae",
                '\turl: "https://e.com/"',
            ],
            5,
            "cannot start any token",
            id="tab-indentation",
        ),
    ],
)
def test_malformed_yaml_is_reported_at_its_line_in_the_file(
    project: Path, run_cli: RunCli, front_matter: list[str], line: int, problem: str
) -> None:
    rel = write_article(project, "x.en.md", front_matter)
    assert_one_error(failed_build(run_cli, project), f"{rel}:{line}", "invalid YAML", problem)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('title: "T"\ndate: 2025-08-26\n\nBody.\n', id="no-fence"),
        pytest.param("", id="empty-file"),
        pytest.param('\n---\ntitle: "T"\n---\nBody.\n', id="blank-line-before-fence"),
    ],
)
def test_file_without_front_matter_is_reported(project: Path, run_cli: RunCli, text: str) -> None:
    rel = write_file(project, f"{YEAR_DIR}/x.en.md", text.encode())
    assert_one_error(failed_build(run_cli, project), f"{rel}:1", "missing front matter", "---")


def test_front_matter_without_closing_fence_is_reported(project: Path, run_cli: RunCli) -> None:
    text = (
        "---\ntitle: T\ndate: 2025-08-26\n"
        "sources: [{outlet: asiae, headline: T, url: 'https://e.com/n', published: 2025-08-26}]\n"
        "\nBody.\n"
    )
    rel = write_file(project, f"{YEAR_DIR}/x.en.md", text.encode())
    assert_one_error(failed_build(run_cli, project), f"{rel}:1", "unterminated front matter")


def test_file_that_is_not_utf8_is_reported_at_the_line_of_the_first_bad_byte(
    project: Path, run_cli: RunCli
) -> None:
    text = (
        "---\n"
        "date: 2025-08-26\n"
        'title: "한미 비즈니스 라운드테이블"\n'  # line 3: the first non-ASCII character
        "sources: [{outlet: asiae, headline: 보도, url: 'https://www.asiae.co.kr/1',"
        " published: 2025-08-26}]\n"
        "---\n"
        "본문.\n"
    )
    data = text.encode("cp949")
    rel = write_file(project, f"{YEAR_DIR}/x.ko.md", data)
    first_bad = "한".encode("cp949")[0]
    assert_one_error(failed_build(run_cli, project), f"{rel}:3", "UTF-8", f"0x{first_bad:02x}")


def test_python_object_tag_is_an_error_and_never_constructed(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    marker = tmp_path / "constructed"
    rel = write_article(
        project,
        "x.en.md",
        [
            'title: "T"',
            "date: 2025-08-26",
            f'summary: !!python/object/apply:os.mkdir ["{marker.as_posix()}"]',  # line 4
            *SOURCE,
        ],
    )
    assert_one_error(failed_build(run_cli, project), f"{rel}:4", "!!python/object", "not allowed")
    assert not marker.exists(), "the YAML tag was executed"


def test_duplicate_front_matter_key_is_reported_at_the_second_key(
    project: Path, run_cli: RunCli
) -> None:
    rel = write_article(
        project,
        "x.en.md",
        ['title: "First"', "date: 2025-08-26", 'title: "Second"', *SOURCE],
    )
    assert_one_error(
        failed_build(run_cli, project), f"{rel}:4", "duplicate key 'title'", "first at line 2"
    )


# --- fields ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("front_matter", "line", "message"),
    [
        pytest.param(
            ["date: 2025-08-26", *SOURCE], 2, "missing required field 'title'", id="title"
        ),
        pytest.param(['title: "T"', *SOURCE], 2, "missing required field 'date'", id="date"),
        pytest.param(
            ['title: "T"', "date: 2025-08-26"], 2, "missing required field 'sources'", id="sources"
        ),
        pytest.param(
            [
                'title: "T"',
                "date: 2025-08-26",
                "sources:",
                "  - outlet: asiae",
                "    headline: H",
                "    published: 2025-08-26",
            ],
            5,
            "missing required field 'url' in 'sources.0'",
            id="sources.0.url",
        ),
        pytest.param(
            ['title: "T"', "date: 2025-08-26", "source:", '  name: "Test Daily"'],
            4,
            "'source' is now 'sources'",
            id="old-source",
        ),
    ],
)
def test_missing_required_field_is_reported(
    project: Path, run_cli: RunCli, front_matter: list[str], line: int, message: str
) -> None:
    """A missing top-level field is reported where the front matter starts; a missing
    sub-field at the line of its parent key."""
    rel = write_article(project, "x.en.md", front_matter)
    assert_one_error(failed_build(run_cli, project), f"{rel}:{line}", message)


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        pytest.param("date: yesterday", "'date' must be an ISO 8601 date", id="date-yesterday"),
        pytest.param("title: [Korea, U.S.]", "'title' must be text", id="title-list"),
        pytest.param('draft: "no"', "'draft' must be true or false, not 'no'", id="draft-string"),
        pytest.param("sectors: 5", "'sectors' must be a list, not 5", id="sectors-number"),
    ],
)
def test_wrong_type_is_reported_at_its_line(
    project: Path, run_cli: RunCli, bad_line: str, message: str
) -> None:
    key = bad_line.split(":")[0]
    valid = ['title: "T"', "date: 2025-08-26", *SOURCE]
    # The bad line replaces the valid one of its key, if any, and goes on line 3.
    front_matter = [line for line in valid if not line.startswith(f"{key}:")]
    front_matter.insert(1, bad_line)
    rel = write_article(project, "x.en.md", front_matter)
    assert_one_error(failed_build(run_cli, project), f"{rel}:3", message)


def test_unknown_key_is_reported_with_did_you_mean(project: Path, run_cli: RunCli) -> None:
    rel = write_article(
        project,
        "x.en.md",
        ['title: "T"', "date: 2025-08-26", *SOURCE, "sector: [ai]"],  # sector: on line 7
    )
    assert_one_error(
        failed_build(run_cli, project), f"{rel}:7", "unknown key 'sector'", "did you mean 'sectors'"
    )


@pytest.mark.parametrize(
    ("taxonomy", "wrong_id", "suggested"),
    [
        pytest.param("sectors", "semiconductor", "semiconductors", id="sector"),
        pytest.param("people", "lee-jae-myeong", "lee-jae-myung", id="person"),
    ],
)
def test_unknown_term_is_reported_at_its_list_item_with_closest_ids(
    project: Path, run_cli: RunCli, taxonomy: str, wrong_id: str, suggested: str
) -> None:
    known = "ai" if taxonomy == "sectors" else "donald-trump"
    rel = write_article(
        project,
        "x.en.md",
        [
            'title: "T"',
            "date: 2025-08-26",
            f"{taxonomy}:",
            f"  - {known}",
            f"  - {wrong_id}",  # line 6
            *SOURCE,
        ],
    )
    assert_one_error(
        failed_build(run_cli, project),
        f"{rel}:6",
        f"'{wrong_id}'",
        f"content/taxonomies/{taxonomy}.yaml",
        "did you mean",
        f"'{suggested}'",
    )


@pytest.mark.parametrize("slug", ["../x", "Bad", '"has space"'])
def test_invalid_slug_in_front_matter_is_reported(
    project: Path, run_cli: RunCli, slug: str
) -> None:
    rel = write_article(
        project, "x.en.md", ['title: "T"', "date: 2025-08-26", f"slug: {slug}", *SOURCE]
    )
    assert_one_error(failed_build(run_cli, project), f"{rel}:4", "'slug'", "not a valid slug")


def test_invalid_slug_in_file_name_is_reported(project: Path, run_cli: RunCli) -> None:
    rel = write_article(project, "Bad Name.en.md", ['title: "T"', "date: 2025-08-26", *SOURCE])
    assert_one_error(
        failed_build(run_cli, project), f"{rel}:1", "file name 'Bad Name'", "not a valid slug"
    )


def test_date_outside_the_year_directory_is_reported(project: Path, run_cli: RunCli) -> None:
    rel = write_article(project, "x.en.md", ['title: "T"', "date: 2024-12-30", *SOURCE])
    assert_one_error(
        failed_build(run_cli, project),
        f"{rel}:3",
        "2024-12-30 is not in 2025",
        "content/articles/2024/",
    )


# --- file names and relations between articles ----------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        pytest.param("x.fr.md", "language suffix '.fr'", id="unknown-language"),
        pytest.param("x.md", "needs a language suffix", id="no-language"),
    ],
)
def test_file_name_without_a_site_language_is_reported(
    project: Path, run_cli: RunCli, name: str, message: str
) -> None:
    rel = write_article(project, name, ['title: "T"', "date: 2025-08-26", *SOURCE])
    assert_one_error(failed_build(run_cli, project), f"{rel}:1", message, "ko, en")


def test_two_articles_with_one_slug_in_one_language_are_reported(
    project: Path, run_cli: RunCli
) -> None:
    original = f"{YEAR_DIR}/{EXISTING}.en.md"
    text = (project / original).read_text(encoding="utf-8")
    copy = f"{YEAR_DIR}/other.en.md"
    # The slug goes on line 2, right after the opening fence.
    write_file(project, copy, text.replace("---\n", f"---\nslug: {EXISTING}\n", 1).encode())
    assert_one_error(
        failed_build(run_cli, project),
        f"{copy}:2",
        f"duplicate slug '{EXISTING}' in language 'en'",
        f"{original} has it too",
    )


def test_same_slug_in_another_year_directory_is_reported(project: Path, run_cli: RunCli) -> None:
    original = f"{YEAR_DIR}/{EXISTING}.en.md"
    text = (project / original).read_text(encoding="utf-8")
    moved, count = re.subn(r"(?m)^date: 2025", "date: 2024", text, count=1)
    assert count == 1, "the copied article has no 2025 date to change"
    copy = write_file(project, f"content/articles/2024/{EXISTING}.en.md", moved.encode())

    errors = failed_build(run_cli, project)

    assert len(errors) == 1, errors
    # Whichever of the two is blamed (at line 1: the slug comes from the file name), the
    # message names the other one.
    where, _, message = errors[0].partition(": ")
    assert where in (f"{original}:1", f"{copy}:1"), errors[0]
    other = copy if where.startswith(original) else original
    assert f"duplicate slug '{EXISTING}' in language 'en'" in message
    assert other in message


# --- registries and settings ----------------------------------------------------------------


def test_registry_entry_without_an_english_name_is_reported(project: Path, run_cli: RunCli) -> None:
    registry = project / "content/taxonomies/sectors.yaml"
    line = append_lines(
        registry,
        [
            "robotics:",
            '  name: {ko: "로봇"}',
            '  description: {ko: "로봇 산업", en: "The robotics industry."}',
        ],
    )
    assert_one_error(
        failed_build(run_cli, project),
        f"content/taxonomies/sectors.yaml:{line}",
        "'robotics.name'",
        "en",
    )


def test_unknown_setting_is_reported_with_did_you_mean(project: Path, run_cli: RunCli) -> None:
    line = append_lines(project / "site.yaml", ["page_sise: 5"])
    assert_one_error(
        failed_build(run_cli, project),
        f"site.yaml:{line}",
        "unknown setting 'page_sise'",
        "did you mean 'page_size'",
    )


@pytest.mark.parametrize(
    ("base_url", "message"),
    [
        pytest.param("example.org/pressroom/", "absolute http(s) URL", id="no-scheme"),
        pytest.param("ftp://example.org/", "absolute http(s) URL", id="ftp"),
        pytest.param("https://example.org/?lang=ko", "query or a fragment", id="query"),
    ],
)
def test_bad_base_url_is_reported_at_its_line(
    project: Path, run_cli: RunCli, base_url: str, message: str
) -> None:
    settings = project / "site.yaml"
    line = line_starting(settings, "base_url:")
    text = re.sub(r"(?m)^base_url:.*$", f"base_url: {base_url}", settings.read_text("utf-8"))
    settings.write_text(text, encoding="utf-8")
    assert_one_error(failed_build(run_cli, project), f"site.yaml:{line}", "'base_url'", message)


# --- accepted input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bom", "newline"),
    [
        pytest.param(True, "\n", id="bom"),
        pytest.param(False, "\r\n", id="crlf"),
        pytest.param(True, "\r\n", id="bom-and-crlf"),
    ],
)
@pytest.mark.parametrize(
    ("lang", "title"),
    [("en", "Chip Ties Deepen"), ("ko", "한미 반도체 협력 강화")],
)
def test_bom_and_crlf_are_accepted(
    project: Path, run_cli: RunCli, bom: bool, newline: str, lang: str, title: str
) -> None:
    lines = ["---", f'title: "{title}"', "date: 2025-08-26", *SOURCE, "---", "Body text."]
    data = (newline.join(lines) + newline).encode("utf-8")
    write_file(project, f"{YEAR_DIR}/encoded.{lang}.md", b"\xef\xbb\xbf" + data if bom else data)

    run = build(run_cli, project)

    assert run.status == 0, run.err
    assert page_title(project, lang, "encoded") == title


def test_error_lines_are_file_lines_in_a_file_with_bom_and_crlf(
    project: Path, run_cli: RunCli
) -> None:
    lines = ["---", 'title: "T"', "date: yesterday", *SOURCE, "---", "Body text."]
    data = b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8")
    rel = write_file(project, f"{YEAR_DIR}/x.en.md", data)
    assert_one_error(failed_build(run_cli, project), f"{rel}:3", "'date'")


def test_plain_date_is_accepted(project: Path, run_cli: RunCli) -> None:
    write_article(project, "plain-date.en.md", ['title: "Plain Date"', "date: 2025-08-26", *SOURCE])

    run = build(run_cli, project)

    assert run.status == 0, run.err
    page = project / "site/en/articles/2025/plain-date/index.html"
    assert html.parse(str(page)).find(".//time").get("datetime").startswith("2025-08-26")


# --- the whole run --------------------------------------------------------------------------


def test_every_error_in_every_file_is_reported_sorted_by_path_then_line(
    project: Path, run_cli: RunCli
) -> None:
    write_article(
        project,
        "b-two-errors.en.md",
        [
            'title: "T"',
            "date: yesterday",  # line 3
            "sectors:",
            "  - ai",
            "  - biotech",
            "  - defense",
            *SOURCE,
            'draft: "no"',  # line 11: sorts after line 3 as a number, not as text
        ],
    )
    write_file(project, f"{YEAR_DIR}/a-no-front-matter.en.md", b"Just a body.\n")
    write_article(project, "c.fr.md", ['title: "T"', "date: 2025-08-26", *SOURCE])
    write_article(project, "z-late.en.md", ['title: "T"', "date: 2025-01-01", *SOURCE], year="2024")
    registry_line = append_lines(
        project / "content/taxonomies/people.yaml",
        ["nobody:", '  name: {ko: "아무개"}', '  role: {ko: "없음", en: "None"}'],
    )

    errors = failed_build(run_cli, project)

    assert locations(errors) == [
        "content/articles/2024/z-late.en.md:3",
        f"{YEAR_DIR}/a-no-front-matter.en.md:1",
        f"{YEAR_DIR}/b-two-errors.en.md:3",
        f"{YEAR_DIR}/b-two-errors.en.md:11",
        f"{YEAR_DIR}/c.fr.md:1",
        f"content/taxonomies/people.yaml:{registry_line}",
    ], "\n".join(errors)


def test_file_errors_and_errors_between_articles_are_reported_in_one_run(
    project: Path, run_cli: RunCli
) -> None:
    broken = write_article(project, "broken.en.md", ['title: "T"', "date: yesterday", *SOURCE])
    unknown = write_article(
        project,
        "unknown-sector.en.md",
        ['title: "T"', "date: 2025-08-26", "sectors: [semiconductor]", *SOURCE],
    )

    errors = failed_build(run_cli, project)

    assert locations(errors) == [f"{broken}:3", f"{unknown}:4"], "\n".join(errors)


def test_settings_errors_and_article_errors_are_reported_in_one_run(
    project: Path, run_cli: RunCli
) -> None:
    setting_line = append_lines(project / "site.yaml", ["page_sise: 5"])
    broken = write_article(project, "broken.en.md", ['title: "T"', "date: yesterday", *SOURCE])

    errors = failed_build(run_cli, project)

    assert locations(errors) == [
        f"{broken}:3",
        f"site.yaml:{setting_line}",
    ], "\n".join(errors)


def break_front_matter(project: Path) -> None:
    write_article(project, "x.en.md", ['title: "T"', "date: yesterday", *SOURCE])


def break_relations(project: Path) -> None:
    write_article(project, "x.en.md", ['title: "T"', "date: 2025-08-26", "sectors: [x]", *SOURCE])


def break_template(project: Path) -> None:
    append_lines(project / "templates/article.html", ["{% if %}"])


@pytest.mark.parametrize("breakage", [break_front_matter, break_relations, break_template])
def test_failed_build_leaves_the_previous_site_byte_for_byte(
    project: Path, run_cli: RunCli, breakage: Callable[[Path], None]
) -> None:
    assert build(run_cli, project).status == 0
    before = snapshot(project / "site")
    entries_before = sorted(p.name for p in project.iterdir())
    assert before, "the first build wrote nothing"

    breakage(project)
    failed_build(run_cli, project)

    assert snapshot(project / "site") == before
    assert sorted(p.name for p in project.iterdir()) == entries_before, "staging files left over"


@pytest.mark.parametrize(
    "target",
    [
        pytest.param(lambda project: project, id="project-dir"),
        pytest.param(lambda project: project.parent, id="parent-of-project"),
    ],
)
def test_output_onto_the_project_is_refused_without_deleting_anything(
    project: Path, run_cli: RunCli, target: Callable[[Path], Path]
) -> None:
    assert build(run_cli, project).status == 0
    before = snapshot(project)
    output = target(project)

    run = build(run_cli, project, "--output", output)

    assert run.status == 1, run.out
    assert "Traceback" not in run.err
    assert f"{output}: refusing to replace the output directory" in run.err
    assert SUMMARY_RE.fullmatch(run.err.rstrip("\n").split("\n")[-1]), run.err
    assert snapshot(project) == before, "files of the project were changed or deleted"
