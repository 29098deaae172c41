"""`pressroom check`: the build's validation without writing, plus what an author should fix.

Every finding is one line ``path:line:col: error|warning: message`` (``--format json`` gives the
same as data); the run exits 1 on any error, and on any warning too under ``--strict``. Besides
the build's own errors it reports links between articles, translations that disagree, a
coverage report of missing translations, catalog gaps, and images.

Each test provokes one finding in a fresh copy of the default site (``project``): by editing an
article, or the project copy's ``templates/`` or ``locales/``.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

#: The ``run_cli`` fixture: runs ``pressroom`` in-process, returns Run(status, out, err).
RunCli = Callable[..., Any]

YEAR_DIR = "content/articles/2025"
MASGA_EN = f"{YEAR_DIR}/masga-shipbuilding-cooperation.en.md"
MASGA_KO = f"{YEAR_DIR}/masga-shipbuilding-cooperation.ko.md"
BIOTECH_KO = f"{YEAR_DIR}/biotech-trusted-partner.ko.md"
KO_CATALOG = "locales/ko/LC_MESSAGES/messages.po"
EN_CATALOG = "locales/en/LC_MESSAGES/messages.po"
#: What a check reads and must never change.
INPUT_DIRS = ("content", "templates", "locales")
DIAGNOSTIC_RE = re.compile(
    r"(?P<path>[^\s:][^:]*):(?P<line>\d+):(?P<column>\d+): "
    r"(?P<severity>error|warning): (?P<message>.+)"
)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@dataclass(frozen=True)
class Finding:
    """One diagnostic line of the text output."""

    path: str
    line: int
    column: int
    severity: str
    message: str

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


#: The default content cites its report by the outlet's home page, the only address the
#: source gives (check warns about it: see test_a_citation_of_a_home_page_is_a_warning). These
#: tests cite it by an address of its own, so that each test's finding is the only one.
REPORT_URL = "https://www.asiae.co.kr/report/korea-us-roundtable"
HOME_URL = 'url: "https://www.asiae.co.kr/"'


@pytest.fixture(autouse=True)
def reports_cited_by_their_own_address(project: Path) -> None:
    for path in sorted((project / YEAR_DIR).glob("*.md")):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(HOME_URL, f'url: "{REPORT_URL}"'), encoding="utf-8")


# --- helpers ---------------------------------------------------------------------------------


def check(run_cli: RunCli, project: Path, *args: str) -> Any:
    """Run ``pressroom check`` on ``project``; it must never show a traceback."""
    run = run_cli("check", "--source", project, *args)
    assert "Traceback" not in run.out + run.err, run.out + run.err
    return run


def findings(out: str) -> list[Finding]:
    """Every diagnostic line of text output."""
    found = []
    for line in out.splitlines():
        match = DIAGNOSTIC_RE.fullmatch(line)
        if match:
            found.append(
                Finding(
                    match["path"],
                    int(match["line"]),
                    int(match["column"]),
                    match["severity"],
                    match["message"],
                )
            )
    return found


def only_finding(run: Any, severity: str) -> Finding:
    """The single diagnostic of a run, which must have ``severity``."""
    found = findings(run.out)
    assert len(found) == 1, f"expected one diagnostic, got:\n{run.out}"
    assert found[0].severity == severity, run.out
    return found[0]


def write_article(project: Path, name: str, body: str, *, extra: tuple[str, ...] = ()) -> str:
    """Write ``content/articles/2025/<name>`` with valid front matter; return its path.

    The article exists in one language, so it gives the other language a headline, as an
    editor should (without one, check warns)."""
    other = "ko" if name.endswith(".en.md") else "en"
    front_matter = [
        "---",
        f'title: "Test article {name}"',
        "date: 2025-08-27T10:00:00+09:00",
        f'translated_title: {{{other}: "Translated test article {name}"}}',
        *extra,
        "sources:",
        "  - outlet: asiae",
        '    headline: "Test report"',
        '    url: "https://example.com/news"',
        "    published: 2025-08-26",
        "---",
    ]
    rel = f"{YEAR_DIR}/{name}"
    (project / rel).write_text("\n".join(front_matter) + "\n" + body, encoding="utf-8")
    return rel


def write_linking_article(project: Path, name: str, link_line: str) -> str:
    """An article whose body is an opening paragraph, then ``link_line`` as its own paragraph."""
    return write_article(project, name, f"An opening paragraph.\n\nMore text.\n\n{link_line}\n")


def line_containing(project: Path, rel: str, needle: str) -> int:
    """The 1-based number of the first line of ``rel`` containing ``needle``."""
    text = (project / rel).read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} is not in {rel}")


def replace_line(project: Path, rel: str, prefix: str, new: str) -> None:
    """Replace the first line of ``rel`` that starts with ``prefix`` by ``new``."""
    path = project / rel
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(prefix))
    lines[index] = new
    path.write_text("\n".join(lines), encoding="utf-8")


def snapshot(directory: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``directory``: relative path → (bytes, modification time)."""
    return {
        p.relative_to(directory).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def mentions_language(message: str, lang: str, *, ignoring: str = "") -> bool:
    """True when ``message`` names language ``lang`` as a word (``ignoring`` removed first)."""
    return re.search(rf"\b{lang}\b", message.replace(ignoring, "")) is not None


# --- the default content, and what check leaves on disk --------------------------------------


def test_default_content_checks_clean(project: Path, run_cli: RunCli) -> None:
    started = time.perf_counter()
    run = check(run_cli, project)
    print(f"pressroom check on the default content: {time.perf_counter() - started:.3f} s")
    assert run.status == 0, run.out
    assert findings(run.out) == []


def test_default_content_with_report_addresses_checks_clean_under_strict(
    project: Path, run_cli: RunCli
) -> None:
    run = check(run_cli, project, "--strict")
    assert run.status == 0, run.out


def test_a_citation_of_a_home_page_is_a_warning_at_its_report(
    project: Path, run_cli: RunCli
) -> None:
    # As the default content is: its source gives the outlet's address only.
    cited = []
    for path in sorted((project / YEAR_DIR).glob("*.md")):
        text = path.read_text(encoding="utf-8").replace(f'url: "{REPORT_URL}"', HOME_URL)
        path.write_text(text, encoding="utf-8")
        rel = path.relative_to(project).as_posix()
        cited.append(f"{rel}:{line_containing(project, rel, '    url:')}")  # at the address

    run = check(run_cli, project)

    assert run.status == 0, run.out  # a warning, not an error
    found = findings(run.out)
    assert sorted(f.where for f in found) == sorted(cited)
    for finding in found:
        assert finding.severity == "warning"
        assert "https://www.asiae.co.kr/ is the outlet's home page" in finding.message
    assert check(run_cli, project, "--strict").status == 1


def test_an_article_without_a_summary_is_a_warning_under_strict_only(
    project: Path, run_cli: RunCli
) -> None:
    replace_line(project, MASGA_EN, "summary:", "")
    assert findings(check(run_cli, project).out) == []
    run = check(run_cli, project, "--strict")
    assert run.status == 1
    finding = only_finding(run, "warning")
    assert finding.path == MASGA_EN and "no 'summary'" in finding.message


def test_a_one_language_article_without_a_headline_for_the_other_is_a_warning(
    project: Path, run_cli: RunCli
) -> None:
    path = project / BIOTECH_KO
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^translated_title:\n  en: .*\n", "", text), encoding="utf-8")

    finding = only_finding(check(run_cli, project), "warning")

    assert finding.path == BIOTECH_KO
    assert "no 'en' version" in finding.message and "translated_title" in finding.message


def test_check_creates_no_site_directory(project: Path, run_cli: RunCli) -> None:
    run = check(run_cli, project)
    assert run.status == 0, run.out
    assert not (project / "site").exists()


def test_check_leaves_the_site_inputs_unchanged(project: Path, run_cli: RunCli) -> None:
    before = {name: snapshot(project / name) for name in INPUT_DIRS}
    check(run_cli, project)
    assert {name: snapshot(project / name) for name in INPUT_DIRS} == before


def test_check_leaves_an_existing_site_untouched(project: Path, run_cli: RunCli) -> None:
    assert run_cli("build", "--source", project).status == 0
    before = snapshot(project / "site")
    write_article(project, "new-since-build.en.md", "Written after the last build.\n")
    run = check(run_cli, project)
    assert run.status == 0, run.out
    assert snapshot(project / "site") == before


def test_check_with_errors_creates_no_site_directory(project: Path, run_cli: RunCli) -> None:
    write_linking_article(project, "links-here.en.md", "[gone](no-such-article.en.md)")
    assert check(run_cli, project).status == 1
    assert not (project / "site").exists()


# --- what the build validates is an error ----------------------------------------------------


def test_unknown_sector_is_an_error_at_its_line(project: Path, run_cli: RunCli) -> None:
    replace_line(project, BIOTECH_KO, "sectors:", "sectors: [biotech, shipbiulding]")
    run = check(run_cli, project)
    assert run.status == 1
    finding = only_finding(run, "error")
    assert finding.where == f"{BIOTECH_KO}:{line_containing(project, BIOTECH_KO, 'sectors:')}"
    assert "shipbiulding" in finding.message


def test_template_syntax_error_is_an_error_at_its_line(project: Path, run_cli: RunCli) -> None:
    template = project / "templates/term.html"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("{% endif %}", "{% endiff %}", 1), encoding="utf-8")
    run = check(run_cli, project)
    assert run.status == 1
    errors = [f for f in findings(run.out) if f.severity == "error"]
    line = line_containing(project, "templates/term.html", "{% endiff %}")
    assert [f.where for f in errors] == [f"templates/term.html:{line}"], run.out


# --- links between articles, site links and images -------------------------------------------


def test_link_to_missing_file_is_an_error(project: Path, run_cli: RunCli) -> None:
    rel = write_linking_article(project, "links-here.en.md", "[gone](no-such-article.en.md)")
    run = check(run_cli, project)
    assert run.status == 1
    finding = only_finding(run, "error")
    assert finding.where == f"{rel}:{line_containing(project, rel, 'no-such-article')}"
    assert "no-such-article.en.md" in finding.message


def test_link_to_article_missing_in_page_language_says_which_translations_exist(
    project: Path, run_cli: RunCli
) -> None:
    rel = write_linking_article(project, "links-here.en.md", "[bio](biotech-trusted-partner.ko.md)")
    run = check(run_cli, project)
    assert run.status == 1
    finding = only_finding(run, "error")
    assert finding.where == f"{rel}:{line_containing(project, rel, 'biotech')}"
    without_path = re.sub(r"\S*biotech-trusted-partner\S*", "", finding.message)
    assert mentions_language(without_path, "ko"), finding.message


def test_absolute_site_link_to_missing_page_is_an_error(project: Path, run_cli: RunCli) -> None:
    rel = write_linking_article(project, "links-here.en.md", "[nope](/ko/sectors/nope/)")
    run = check(run_cli, project)
    assert run.status == 1
    finding = only_finding(run, "error")
    assert finding.where == f"{rel}:{line_containing(project, rel, '/ko/sectors/nope/')}"
    assert "/ko/sectors/nope/" in finding.message


def test_absolute_site_link_to_produced_page_is_accepted(project: Path, run_cli: RunCli) -> None:
    write_linking_article(project, "links-here.en.md", "[AI](/ko/sectors/ai/) [feed](/en/feed.xml)")
    run = check(run_cli, project)
    assert run.status == 0, run.out
    assert findings(run.out) == []


def test_image_without_alt_text_is_an_error(project: Path, run_cli: RunCli) -> None:
    (project / YEAR_DIR / "photo.png").write_bytes(PNG)
    rel = write_linking_article(project, "links-here.en.md", "![](photo.png)")
    run = check(run_cli, project)
    assert run.status == 1
    finding = only_finding(run, "error")
    assert finding.where == f"{rel}:{line_containing(project, rel, 'photo.png')}"
    assert "alt" in finding.message


def test_missing_local_image_is_an_error(project: Path, run_cli: RunCli) -> None:
    rel = write_linking_article(project, "links-here.en.md", "![A chart](missing-chart.png)")
    run = check(run_cli, project)
    assert run.status == 1
    finding = only_finding(run, "error")
    assert finding.where == f"{rel}:{line_containing(project, rel, 'missing-chart.png')}"
    assert "missing-chart.png" in finding.message


def test_present_local_image_with_alt_text_is_accepted(project: Path, run_cli: RunCli) -> None:
    (project / YEAR_DIR / "photo.png").write_bytes(PNG)
    write_linking_article(project, "links-here.en.md", "![A shipyard at dusk](photo.png)")
    run = check(run_cli, project)
    assert run.status == 0, run.out
    assert findings(run.out) == []


# --- translations that disagree are warnings -------------------------------------------------

MISMATCHES = [
    pytest.param(
        "sectors:",
        "sectors: [shipbuilding, semiconductors]",
        ("sectors:",),
        ("sectors", "defense", "semiconductors"),
        id="sectors",
    ),
    pytest.param(
        "people:",
        "people: [lee-jae-myung, donald-trump]",
        ("people:",),
        ("people", "donald-trump"),
        id="people",
    ),
    pytest.param(
        "    url:",
        '    url: "https://www.example.com/other-report"',
        ("sources:", "  - outlet:"),
        (REPORT_URL, "https://www.example.com/other-report"),
        id="source-url",
    ),
    pytest.param(
        "date:",
        "date: 2025-08-27T15:00:00+09:00",
        ("date:",),
        ("date", "2025-08-26", "2025-08-27"),
        id="date",
    ),
]


@pytest.mark.parametrize(("prefix", "new_line", "line_prefixes", "fragments"), MISMATCHES)
def test_translations_that_disagree_are_a_warning_naming_both_files_and_the_difference(
    project: Path,
    run_cli: RunCli,
    prefix: str,
    new_line: str,
    line_prefixes: tuple[str, ...],
    fragments: tuple[str, ...],
) -> None:
    replace_line(project, MASGA_EN, prefix, new_line)
    run = check(run_cli, project)
    assert run.status == 0, run.out
    finding = only_finding(run, "warning")
    assert finding.path in (MASGA_EN, MASGA_KO)
    other = MASGA_KO if finding.path == MASGA_EN else MASGA_EN
    assert other in finding.message
    assert finding.line in [line_containing(project, finding.path, p) for p in line_prefixes]
    for fragment in fragments:
        assert fragment in finding.message, f"{fragment!r} missing from: {finding.message}"


def test_translations_that_agree_give_no_warning(project: Path, run_cli: RunCli) -> None:
    # Same sectors in another order: the same set, so no difference to report.
    replace_line(project, MASGA_EN, "sectors:", "sectors: [defense, shipbuilding]")
    run = check(run_cli, project)
    assert findings(run.out) == []


# --- coverage: articles missing a translation, per language ----------------------------------


def coverage(run: Any) -> dict[str, list[str]]:
    """The JSON report's articles missing a translation, per language."""
    return json.loads(run.out)["missing_translations"]


def test_coverage_lists_the_korean_only_article_as_missing_in_english(
    project: Path, run_cli: RunCli
) -> None:
    run = check(run_cli, project, "--format", "json")
    assert coverage(run) == {"ko": [], "en": [BIOTECH_KO]}


def test_coverage_lists_an_english_only_article_as_missing_in_korean(
    project: Path, run_cli: RunCli
) -> None:
    (project / MASGA_KO).unlink()
    run = check(run_cli, project, "--format", "json")
    assert coverage(run) == {"ko": [MASGA_EN], "en": [BIOTECH_KO]}


def test_coverage_report_in_text_output_names_the_language_and_the_file(
    project: Path, run_cli: RunCli
) -> None:
    run = check(run_cli, project)
    lines = run.out.splitlines()
    biotech = next(i for i, line in enumerate(lines) if line.strip() == BIOTECH_KO)
    language_lines = [line.strip() for line in lines[:biotech] if re.match(r"\s*(ko|en)\b", line)]
    assert language_lines, run.out
    assert language_lines[-1].startswith("en"), f"{BIOTECH_KO} not listed under en:\n{run.out}"


def test_missing_translation_is_not_a_warning(project: Path, run_cli: RunCli) -> None:
    # The default content has a Korean-only article, and passes --strict (a report, not a fault).
    run = check(run_cli, project, "--strict")
    assert run.status == 0, run.out


# --- catalogs --------------------------------------------------------------------------------


def add_template_message(project: Path, msgid: str) -> int:
    """Use a new msgid in templates/home.html; return the line it is on."""
    template = project / "templates/home.html"
    text = template.read_text(encoding="utf-8")
    anchor = "<h1>{{ _('Latest summaries') }}</h1>"
    assert anchor in text
    template.write_text(
        text.replace(anchor, f"{anchor}\n<p>{{{{ _('{msgid}') }}}}</p>"), encoding="utf-8"
    )
    return line_containing(project, "templates/home.html", msgid)


def remove_catalog_entry(project: Path, catalog: str, msgid: str) -> None:
    """Delete the entry of ``msgid`` (its msgid and msgstr lines) from a catalog."""
    path = project / catalog
    text = path.read_text(encoding="utf-8")
    entry = re.compile(rf'\nmsgid "{re.escape(msgid)}"\nmsgstr "[^\n]*"\n')
    assert entry.search(text), f"no entry {msgid!r} in {catalog}"
    path.write_text(entry.sub("\n", text, count=1), encoding="utf-8")


def test_template_message_missing_from_every_catalog_warns_for_each_language(
    project: Path, run_cli: RunCli
) -> None:
    msgid = "A label nobody translated"
    line = add_template_message(project, msgid)
    run = check(run_cli, project)
    assert run.status == 0, run.out
    warnings = [f for f in findings(run.out) if msgid in f.message]
    assert warnings, run.out
    assert all(f.severity == "warning" for f in warnings), run.out
    assert all(f.where == f"templates/home.html:{line}" for f in warnings), run.out
    for lang in ("ko", "en"):
        assert any(mentions_language(f.message, lang, ignoring=msgid) for f in warnings), (
            f"no warning names {lang}:\n{run.out}"
        )


def test_template_message_missing_from_one_catalog_warns_for_that_language_only(
    project: Path, run_cli: RunCli
) -> None:
    remove_catalog_entry(project, KO_CATALOG, "Latest")
    run = check(run_cli, project)
    assert run.status == 0, run.out
    finding = only_finding(run, "warning")
    line = line_containing(project, "templates/_chrome.html", "_('Latest')")
    assert finding.where == f"templates/_chrome.html:{line}"
    assert "'Latest'" in finding.message
    assert mentions_language(finding.message, "ko", ignoring="'Latest'")
    assert not mentions_language(finding.message, "en", ignoring="'Latest'")


def test_untranslated_catalog_entry_is_a_warning_at_the_entry(
    project: Path, run_cli: RunCli
) -> None:
    path = project / KO_CATALOG
    text = path.read_text(encoding="utf-8")
    entry = re.compile(r'\nmsgid "Latest"\nmsgstr "[^\n]*"\n')
    assert entry.search(text)
    path.write_text(entry.sub('\nmsgid "Latest"\nmsgstr ""\n', text, count=1), encoding="utf-8")
    run = check(run_cli, project)
    assert run.status == 0, run.out
    finding = only_finding(run, "warning")
    line = line_containing(project, KO_CATALOG, 'msgid "Latest"')
    assert finding.where == f"{KO_CATALOG}:{line}"
    assert "'Latest'" in finding.message


def test_catalog_entry_no_template_uses_is_a_warning_at_the_entry(
    project: Path, run_cli: RunCli
) -> None:
    path = project / EN_CATALOG
    path.write_text(
        path.read_text(encoding="utf-8") + '\nmsgid "Nobody uses this"\nmsgstr "Unused"\n',
        encoding="utf-8",
    )
    run = check(run_cli, project)
    assert run.status == 0, run.out
    finding = only_finding(run, "warning")
    line = line_containing(project, EN_CATALOG, 'msgid "Nobody uses this"')
    assert finding.where == f"{EN_CATALOG}:{line}"
    assert "Nobody uses this" in finding.message


def test_message_removed_from_templates_leaves_an_unused_entry_in_each_catalog(
    project: Path, run_cli: RunCli
) -> None:
    template = project / "templates/term.html"
    text = template.read_text(encoding="utf-8")
    phrase = "{{ _('Follow this by RSS') }}"
    assert phrase in text
    template.write_text(text.replace(phrase, "RSS"), encoding="utf-8")
    run = check(run_cli, project)
    assert run.status == 0, run.out
    found = findings(run.out)
    msgid = 'msgid "Follow this by RSS"'
    assert sorted(f.where for f in found) == sorted(
        f"{catalog}:{line_containing(project, catalog, msgid)}"
        for catalog in (EN_CATALOG, KO_CATALOG)
    ), run.out
    assert all(f.severity == "warning" and "Follow this by RSS" in f.message for f in found)


# --- output format, exit status and --strict ------------------------------------------------


def provoke_warning(project: Path) -> None:
    """Make the two versions of one article list different sectors (a warning only)."""
    replace_line(project, MASGA_EN, "sectors:", "sectors: [shipbuilding]")


def provoke_error(project: Path) -> str:
    """Link a missing article file (an error); return the linking file."""
    return write_linking_article(project, "links-here.en.md", "[gone](no-such-article.en.md)")


def test_every_diagnostic_line_reads_path_line_col_severity_message(
    project: Path, run_cli: RunCli
) -> None:
    provoke_warning(project)
    provoke_error(project)
    run = check(run_cli, project)
    shaped = [line for line in run.out.splitlines() if re.match(r"\S+:\d+", line)]
    assert len(shaped) == 2, run.out
    assert all(DIAGNOSTIC_RE.fullmatch(line) for line in shaped), run.out
    assert sorted(f.severity for f in findings(run.out)) == ["error", "warning"]
    assert all(f.column >= 1 for f in findings(run.out))


def test_text_output_counts_errors_and_warnings(project: Path, run_cli: RunCli) -> None:
    provoke_warning(project)
    provoke_error(project)
    run = check(run_cli, project)
    assert re.search(r"\b1 error", run.out), run.out
    assert re.search(r"\b1 warning", run.out), run.out


def test_json_output_has_the_fields_of_each_diagnostic(project: Path, run_cli: RunCli) -> None:
    rel = provoke_error(project)
    run = check(run_cli, project, "--format", "json")
    assert run.status == 1
    report = json.loads(run.out)
    assert report["errors"] == 1
    assert report["warnings"] == 0
    [diagnostic] = report["diagnostics"]
    assert diagnostic["path"] == rel
    assert diagnostic["line"] == line_containing(project, rel, "no-such-article")
    assert isinstance(diagnostic["column"], int)
    assert diagnostic["column"] >= 1
    assert diagnostic["severity"] == "error"
    assert "no-such-article.en.md" in diagnostic["message"]


def test_json_output_reports_warnings_with_their_severity(project: Path, run_cli: RunCli) -> None:
    provoke_warning(project)
    report = json.loads(check(run_cli, project, "--format", "json").out)
    assert report["errors"] == 0
    assert report["warnings"] == 1
    assert [d["severity"] for d in report["diagnostics"]] == ["warning"]
    assert report["diagnostics"][0]["path"] in (MASGA_EN, MASGA_KO)


def test_json_output_of_default_content_is_clean(project: Path, run_cli: RunCli) -> None:
    report = json.loads(check(run_cli, project, "--format", "json").out)
    assert report["diagnostics"] == []
    assert (report["errors"], report["warnings"]) == (0, 0)
    assert report["drafts"] == []
    assert report["scheduled"] == []


def test_error_fails_the_check(project: Path, run_cli: RunCli) -> None:
    provoke_error(project)
    assert check(run_cli, project).status == 1


def test_warnings_alone_pass_without_strict(project: Path, run_cli: RunCli) -> None:
    provoke_warning(project)
    run = check(run_cli, project)
    assert [f.severity for f in findings(run.out)] == ["warning"]
    assert run.status == 0


def test_warnings_alone_fail_under_strict(project: Path, run_cli: RunCli) -> None:
    provoke_warning(project)
    run = check(run_cli, project, "--strict")
    assert [f.severity for f in findings(run.out)] == ["warning"]
    assert run.status == 1
