"""`pressroom check`: everything the build validates, without writing, plus the warnings an
author wants before committing (translations that disagree, missing translations, catalog
gaps, drafts and scheduled articles)."""

from __future__ import annotations

import io
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from babel.messages.extract import DEFAULT_KEYWORDS, extract, extract_from_file
from babel.messages.pofile import PoFileError, read_po

import generator
from generator.build.inputs import scan_inputs
from generator.build.load import MAX_MEDIA_BYTES, load_site
from generator.build.pipeline import published_now
from generator.build.store import memory_store, open_store
from generator.config.settings import Settings
from generator.content import catalogs
from generator.content.library import Library
from generator.content.placement import Placement
from generator.content.registry import Registry
from generator.content.selection import Selection
from generator.core.errors import ContentError
from generator.core.files import SiteDir, decode_text
from generator.core.layout import CACHE_DIR, SETTINGS_FILE, TEMPLATES_DIR
from generator.site.templates import MAX_TEMPLATE_BYTES

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One finding, at a place in a file."""

    path: str
    line: int
    column: int
    severity: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{max(self.line, 1)}:{self.column}: {self.severity}: {self.message}"


@dataclass(slots=True)
class CheckReport:
    """All findings of one check run."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: Language → articles (source files) that have no version in that language.
    missing_translations: dict[str, list[str]] = field(default_factory=dict)
    drafts: list[str] = field(default_factory=list)
    scheduled: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """How many errors."""
        return sum(1 for d in self.diagnostics if d.severity == ERROR)

    @property
    def warnings(self) -> int:
        """How many warnings."""
        return sum(1 for d in self.diagnostics if d.severity == WARNING)

    def failed(self, strict: bool) -> bool:
        """True when the check should fail (errors, or warnings under --strict)."""
        return bool(self.errors or (strict and self.warnings))


def run_check(
    source: Path, selection: Selection | None = None, *, strict: bool = False
) -> CheckReport:
    """Validate the site in ``source`` as a build would, and look for what a build allows.

    Nothing is rendered and Pagefind is not run: links to site pages are checked against the
    site's plan.
    """
    selection = selection or published_now()
    report = CheckReport()
    site = SiteDir(source)
    store = open_store(source) if site.directory_problem(CACHE_DIR) is None else memory_store()
    try:
        scan = scan_inputs(site, store.inputs())
        loaded = load_site(site, scan, store, selection)
    finally:
        store.close()
    errors = loaded.errors
    placements = list(loaded.value.placements.values())
    report.diagnostics.extend(_as_diagnostic(e, ERROR) for e in sorted(set(errors)))
    report.diagnostics.extend(translation_mismatches(placements))
    registries = loaded.value.registries
    report.diagnostics.extend(editorial_warnings(placements, registries, strict=strict))
    report.diagnostics.extend(unreadable_images(site, placements, loaded.value.settings))
    # A template that does not parse yields no messages: its entries would look unused.
    templates_broken = any(e.path.startswith(f"{TEMPLATES_DIR.as_posix()}/") for e in errors)
    languages = loaded.value.settings.languages
    report.diagnostics.extend(catalog_gaps(site, languages, report_unused=not templates_broken))
    library = loaded.value.library
    report.missing_translations = missing_translations(placements, languages, library)
    report.diagnostics.extend(untitled_translations(placements, report.missing_translations))
    report.drafts = sorted(a.path for a in placements if a.draft)
    now = selection.now.timestamp() if selection.now is not None else None
    report.scheduled = sorted(
        a.path for a in placements if not a.draft and now is not None and a.timestamp > now
    )
    report.diagnostics.sort()
    return report


def _as_diagnostic(error: ContentError, severity: str) -> Diagnostic:
    return Diagnostic(error.path, error.line, 1, severity, error.message)


def _translation_groups(articles: Iterable[Placement]) -> dict[str, list[Placement]]:
    groups: dict[str, list[Placement]] = defaultdict(list)
    for article in sorted(articles, key=lambda a: a.path):
        groups[article.key].append(article)
    return groups


def translation_mismatches(articles: Iterable[Placement]) -> Iterator[Diagnostic]:
    """Warn where versions of one article list different sectors, people, source or date."""
    for versions in _translation_groups(articles).values():
        first = versions[0]
        for other in versions[1:]:
            for key, a, b in (
                ("sectors", sorted(first.sectors), sorted(other.sectors)),
                ("people", sorted(first.people), sorted(other.people)),
                ("sources", list(first.sources), list(other.sources)),
                ("sources", list(first.source_urls), list(other.source_urls)),
                ("date", first.written_date, other.written_date),
            ):
                if a != b:
                    yield Diagnostic(
                        other.path,
                        other.line(key),
                        1,
                        WARNING,
                        f"{key} differs from its translation {first.path}: {_shown(b)} here, "
                        f"{_shown(a)} there",
                    )


def editorial_warnings(
    articles: Iterable[Placement], registries: Mapping[str, Registry], *, strict: bool
) -> Iterator[Diagnostic]:
    """What an editor would ask of an article: the report's own address rather than the
    outlet's home page; with ``strict``, a written summary rather than one cut from the body."""
    outlets = registries["sources"].terms
    for article in articles:
        for index, (outlet, url) in enumerate(
            zip(article.sources, article.source_urls, strict=True)
        ):
            home = outlets[outlet].url if outlet in outlets else ""
            if _is_home_page(url, home):
                yield Diagnostic(
                    article.path,
                    article.line(f"sources.{index}.url"),
                    1,
                    WARNING,
                    f"sources[{index}].url {url} is the outlet's home page: give the report's "
                    "own address, so that readers can check the summary against it",
                )
        if strict and not article.has_summary:
            yield Diagnostic(
                article.path,
                1,
                1,
                WARNING,
                "no 'summary': lists and feeds show the first paragraph cut at a sentence; "
                "write one or two sentences of your own",
            )


def _is_home_page(url: str, home: str) -> bool:
    """True for an address that is only a site's front page (or the outlet's home page)."""
    parts = urlsplit(url)
    if parts.path.strip("/") == "" and not parts.query:
        return True
    return bool(home) and url.rstrip("/") == home.rstrip("/")


def untitled_translations(
    articles: Iterable[Placement], missing: Mapping[str, list[str]]
) -> Iterator[Diagnostic]:
    """Warn where an article shown in another language's lists has no headline in it."""
    by_path = {a.path: a for a in articles}
    for lang, paths in missing.items():
        for path in paths:
            article = by_path[path]
            if lang not in article.headline_languages:
                yield Diagnostic(
                    path,
                    article.line("translated_title"),
                    1,
                    WARNING,
                    f"no '{lang}' version: its '{lang}' lists show the original headline; give "
                    f"one in 'translated_title: {{{lang}: ...}}' (and a 'translated_summary')",
                )


def unreadable_images(
    site: SiteDir, articles: Iterable[Placement], settings: Settings
) -> Iterator[Diagnostic]:
    """The images the build reads the size of (articles' ``image:`` files and site.yaml's
    share_image) that exist but that Pillow cannot read as images: the build's own error,
    found without building."""
    from generator.site.images import ImageUnreadable, image_size

    named = [(a.path, a.line("image.file"), a.image) for a in articles if a.image]
    if settings.share_image:
        named.append((SETTINGS_FILE, settings.share_image_line, settings.share_image))
    for path, line, target in named:
        data = site.read(target, limit=MAX_MEDIA_BYTES)
        if not isinstance(data, bytes):
            continue  # missing or unreadable: the build's error
        try:
            image_size(data)
        except ImageUnreadable as exc:
            yield Diagnostic(path, line, 1, ERROR, f"{target} cannot be read as an image ({exc})")


def _shown(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(value) + "]"
    return str(value)


def missing_translations(
    articles: Iterable[Placement], languages: tuple[str, ...], library: Library | None
) -> dict[str, list[str]]:
    """Language → the published articles that have no version in it."""
    published = set(library.by_path) if library is not None else None
    missing: dict[str, list[str]] = {lang: [] for lang in languages}
    for versions in _translation_groups(articles).values():
        shown = [v for v in versions if published is None or v.path in published]
        have = {v.lang for v in shown}
        for lang in languages:
            if shown and lang not in have:
                missing[lang].append(shown[0].path)
    return missing


def used_messages(site: SiteDir) -> dict[str, tuple[str, int]]:
    """Every msgid the templates and the generator use → where it is first used."""
    found: dict[str, tuple[str, int]] = {}
    jinja_options = {"extensions": "jinja2.ext.i18n"}
    templates, _ = site.walk(TEMPLATES_DIR.as_posix())  # unreadable ones are build errors
    for file in templates:
        if not file.rel.endswith((".html", ".xml")):
            continue
        data = site.read(file.rel, limit=MAX_TEMPLATE_BYTES)
        text = decode_text(data, file.rel) if isinstance(data, bytes) else data
        if not isinstance(text, str):
            continue  # the build reports it
        for line, message, _, _ in extract(
            "jinja2.ext:babel_extract",
            io.BytesIO(text.encode("utf-8")),
            keywords=DEFAULT_KEYWORDS,
            options=jinja_options,
        ):
            found.setdefault(_msgid(message), (file.rel, line))
    package = Path(generator.__file__).parent
    for path in sorted(package.rglob("*.py")):
        for line, message, _, _ in extract_from_file(
            "python", str(path), keywords=DEFAULT_KEYWORDS
        ):
            found.setdefault(_msgid(message), (f"generator/{path.relative_to(package)}", line))
    return found


def _msgid(message: object) -> str:
    """The singular msgid of a message that may have a plural."""
    return str(message[0] if isinstance(message, tuple | list) else message)


def catalog_gaps(
    site: SiteDir, languages: tuple[str, ...], *, report_unused: bool = True
) -> Iterator[Diagnostic]:
    """Warn on interface strings a catalog does not translate, and entries nothing uses."""
    used = used_messages(site)
    for lang in languages:
        shown = catalogs.catalog_path(lang).as_posix()
        data = site.read(shown, limit=catalogs.MAX_CATALOG_BYTES)
        if not isinstance(data, bytes):
            continue  # the build reports an unreadable catalog as an error
        try:
            catalog = read_po(io.BytesIO(data), locale=lang, abort_invalid=True)
        except (PoFileError, ValueError):
            continue
        entries = {_msgid(m.id): m for m in catalog if m.id}
        for msgid, (where, line) in sorted(used.items()):
            entry = entries.get(msgid)
            if entry is None:
                yield Diagnostic(
                    where,
                    line,
                    1,
                    WARNING,
                    f"'{msgid}' is not in {shown}: run pybabel extract and update, then translate",
                )
            elif entry.fuzzy or not _translated(entry.string):
                yield Diagnostic(
                    shown, entry.lineno or 1, 1, WARNING, f"'{msgid}' has no {lang} translation"
                )
        for msgid, entry in sorted(entries.items()):
            if report_unused and msgid not in used:
                yield Diagnostic(
                    shown, entry.lineno or 1, 1, WARNING, f"'{msgid}' is used by no template"
                )


def _translated(string: object) -> bool:
    if isinstance(string, tuple | list):
        return all(string)
    return bool(string)


def format_text(report: CheckReport) -> str:
    """Diagnostics one per line, then the coverage report and the totals."""
    lines = [str(d) for d in report.diagnostics]
    lines.append("")
    lines.append("translations missing:")
    for lang, paths in report.missing_translations.items():
        lines.append(f"  {lang}: {len(paths)}")
        lines.extend(f"    {path}" for path in paths)
    if report.drafts:
        lines.append(f"drafts (left out without --drafts): {len(report.drafts)}")
        lines.extend(f"  {path}" for path in report.drafts)
    if report.scheduled:
        lines.append(
            f"scheduled (dated in the future; left out without --future): {len(report.scheduled)}"
        )
        lines.extend(f"  {path}" for path in report.scheduled)
    lines.append(f"{report.errors} error(s), {report.warnings} warning(s)")
    return "\n".join(lines)


def format_json(report: CheckReport) -> str:
    """The report as JSON for tools."""
    return json.dumps(
        {
            "diagnostics": [asdict(d) for d in report.diagnostics],
            "missing_translations": report.missing_translations,
            "drafts": report.drafts,
            "scheduled": report.scheduled,
            "errors": report.errors,
            "warnings": report.warnings,
        },
        ensure_ascii=False,
        indent=2,
    )
