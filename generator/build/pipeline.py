"""The build, top to bottom: settings → content → archive → pages and feeds → site/."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2
from babel.support import Translations

from generator import i18n, linkcheck, publishing
from generator.build import cache
from generator.build.manifest import (
    BuildStamp,
    SiteState,
    forget_spare,
    input_stamp,
    intact_keys,
    load_state,
    save_state,
    unchanged_since,
)
from generator.build.parsing import ParseConfig, parse_articles
from generator.build.writer import build_lock, check_output_dir, write_problem, write_site
from generator.config.settings import Settings, read_settings
from generator.content.article import Article, find_articles
from generator.content.library import Archive, Selection, build_archive
from generator.content.registry import TAXONOMIES, TAXONOMY_DIR, Registry, load_registry
from generator.core.errors import BuildFailed, ContentError, ErrorLog
from generator.core.files import SiteDir
from generator.feeds import FeedRenderer
from generator.render import (
    MAX_STATIC_BYTES,
    TEMPLATES_DIR,
    Output,
    OutputCache,
    PageRenderer,
    TemplateInputError,
    check_templates,
    make_environment,
)
from generator.root import RootPages


@dataclass(frozen=True, slots=True)
class LanguageStats:
    """What one language of the built site holds."""

    lang: str
    articles: int
    pages: int
    terms: int
    feeds: int


@dataclass(frozen=True, slots=True)
class BuildReport:
    """The result of a successful build."""

    output: Path
    #: Files in the site.
    files: int
    #: Files whose bytes changed (the others kept their inode and modification time).
    changed: int
    languages: tuple[LanguageStats, ...]
    seconds: float


@dataclass(frozen=True, slots=True)
class Inputs:
    """Everything read from the site directory, each file validated on its own."""

    settings: Settings
    registries: Mapping[str, Registry]
    #: Interface strings per language (compiled from locales/).
    translations: Mapping[str, Translations]
    #: Every article that parsed, drafts and scheduled ones included.
    articles: tuple[Article, ...]
    #: Every article file found, parsed or not.
    files: tuple[str, ...]
    #: Every problem found in single files.
    errors: tuple[ContentError, ...]


def read_inputs(source: Path, *, base_url: str | None = None) -> Inputs:
    """Read settings, registries and articles; collect the errors of each file."""
    log = ErrorLog()
    site = SiteDir(source)
    cache_problem = site.directory_problem(cache.CACHE_DIR)
    if cache_problem is not None:
        log.extend([cache_problem])
    settings, setting_errors = read_settings(site)
    log.extend(setting_errors)
    if base_url is not None:
        try:
            settings = settings.with_base_url(base_url)
        except ValueError as exc:
            log.add("--base-url", 0, str(exc))
    registries = {}
    for taxonomy in TAXONOMIES:
        registry, errors = load_registry(site, taxonomy, settings.languages)
        registries[taxonomy.key] = registry
        log.extend(errors)
    translations = {}
    for lang in settings.languages:
        loaded = i18n.load_translations(site, lang)
        if isinstance(loaded, list):
            log.extend(loaded)
            loaded = Translations()  # untranslated stand-in while the errors are reported
        translations[lang] = loaded
    config = ParseConfig(
        languages=settings.languages,
        timezone=settings.timezone,
        allow_html=settings.allow_html,
        # Markdown writes this title on footnote back-links; it must be in the page's language.
        backlink_titles={
            lang: t.gettext("Back to footnote %d in the text") for lang, t in translations.items()
        },
    )
    log.extend(check_templates(site))
    files, walk_errors = find_articles(site)
    log.extend(walk_errors)
    articles, errors, _ = parse_articles(site, files, config, use_cache=cache_problem is None)
    log.extend(errors)
    log.extend(linkcheck.missing_media(site, articles))
    return Inputs(
        settings,
        registries,
        translations,
        tuple(articles),
        tuple(f.rel for f in files),
        tuple(log),
    )


def published_now() -> Selection:
    """What a plain build publishes: no drafts, nothing dated after this moment."""
    return Selection(now=dt.datetime.now(dt.UTC))


@dataclass(frozen=True, slots=True)
class Loaded:
    """A validated archive with what rendering it needs."""

    archive: Archive
    translations: Mapping[str, Translations]
    #: When the earliest article left out for its future date falls due, if any.
    next_scheduled: dt.datetime | None


def load_archive(
    source: Path, *, base_url: str | None = None, selection: Selection | None = None
) -> Loaded:
    """Read and validate every input; raise BuildFailed with all the errors found."""
    selection = selection or published_now()
    inputs = read_inputs(source, base_url=base_url)
    # Relations are checked among the articles that parsed, so one run reports both kinds.
    archive = build_archive(
        inputs.settings, inputs.articles, inputs.registries, selection, inputs.files
    )
    if isinstance(archive, list):
        raise BuildFailed([*inputs.errors, *archive])
    if inputs.errors:
        raise BuildFailed(inputs.errors)
    scheduled = [
        a.date
        for a in inputs.articles
        if selection.now is not None and a.date > selection.now and not selection.future
    ]
    return Loaded(archive, inputs.translations, min(scheduled, default=None))


def render_site(
    archive: Archive,
    site: SiteDir,
    translations: Mapping[str, Translations],
    reusable: Mapping[str, str] | None = None,
) -> list[Output]:
    """Render every page, feed and static file of ``archive``.

    ``reusable`` maps output paths to the keys of files already on disk; an output whose key
    is unchanged is not rendered again (its Output has no data).
    """
    settings: Settings = archive.settings
    outputs_cache = OutputCache(output_salt(site, settings), reusable or {})
    envs = {lang: make_environment(site, translations[lang]) for lang in settings.languages}
    with template_errors():
        pages = PageRenderer(archive, envs, translations, outputs_cache)
        outputs = pages.render()
        root = RootPages(settings, envs, translations, outputs_cache)
        outputs.extend(root.render({lang: pages.feed_title(lang) for lang in settings.languages}))
        outputs.extend(FeedRenderer(archive, envs, pages, outputs_cache).render())
        outputs.extend(pages.static_files(site))
        outputs.extend(publishing.outputs(pages, root, envs, outputs_cache, site.source))
    outputs.extend(linkcheck.media_outputs(site, archive, outputs_cache))
    broken = linkcheck.broken_site_links(archive, outputs)
    if broken:
        raise BuildFailed(broken)
    return outputs


def output_salt(site: SiteDir, settings: Settings) -> str:
    """Digest of what every output depends on besides its own data: templates, catalogs,
    registries, settings and the generator itself (editing one re-renders everything)."""
    parts: list[bytes | str] = [repr(settings)]
    for directory in (TEMPLATES_DIR, i18n.LOCALES_DIR, TAXONOMY_DIR):
        found, _ = site.walk(directory.as_posix())  # their problems were reported when read
        for file in found:
            data = site.read(file.rel, limit=MAX_STATIC_BYTES)
            parts += [file.rel, data if isinstance(data, bytes) else b""]
    return cache.versioned_key(*parts)


def build(
    source: Path,
    output: Path,
    *,
    base_url: str | None = None,
    selection: Selection | None = None,
) -> BuildReport:
    """Build the site in ``source`` into ``output``; raise BuildFailed, leaving it untouched.

    ``selection`` defaults to published articles only: no drafts, nothing dated after now.
    Files whose inputs did not change since the previous build are kept, not rendered again.
    """
    started = time.perf_counter()
    selection = selection or published_now()
    check_output_dir(output, source)
    try:
        return _build(source, output, base_url, selection, started)
    except OSError as exc:
        raise write_problem(output, exc) from None


def _build(
    source: Path, output: Path, base_url: str | None, selection: Selection, started: float
) -> BuildReport:
    with build_lock(output):
        # A cache linked outside the site is neither read nor written (read_inputs says so).
        cache_usable = SiteDir(source).directory_problem(cache.CACHE_DIR) is None
        state = load_state(source, output) if cache_usable else SiteState({}, None)
        options = repr((base_url, selection.drafts, selection.future, str(output.resolve())))
        stamp = input_stamp(source, options)
        if unchanged_since(state, stamp, selection.now, output):
            assert state.stamp is not None
            return BuildReport(
                output, len(state.live), 0, state.stamp.report, time.perf_counter() - started
            )
        loaded = load_archive(source, base_url=base_url, selection=selection)
        archive = loaded.archive
        outputs = render_site(
            archive, SiteDir(source), loaded.translations, intact_keys(state.live, output)
        )
        written = write_site(
            outputs,
            output,
            state,
            forget_spare=lambda: forget_spare(source, output),
        )
        languages = tuple(_stats(archive, outputs, lang) for lang in archive.settings.languages)
        stamp_now = BuildStamp(stamp, loaded.next_scheduled, languages)
        save_state(source, output, replace(written.state, stamp=stamp_now))
    return BuildReport(
        output=output,
        files=len(outputs),
        changed=written.written,
        languages=languages,
        seconds=time.perf_counter() - started,
    )


def _stats(archive: Archive, outputs: list[Output], lang: str) -> LanguageStats:
    mine = [o.path for o in outputs if o.path.startswith(f"{lang}/")]
    return LanguageStats(
        lang=lang,
        articles=len(archive.articles[lang]),
        pages=sum(1 for p in mine if p.endswith(".html")),
        terms=sum(
            1
            for taxonomy, terms in archive.terms.items()
            for term_id in terms
            if archive.articles_of(taxonomy, term_id, lang)
        ),
        feeds=sum(1 for p in mine if p.endswith(".xml")),
    )


@contextmanager
def template_errors() -> Iterator[None]:
    """Report a template mistake as templates/<name>:<line>: message, not a traceback."""
    try:
        yield
    except TemplateInputError as exc:
        raise BuildFailed([exc.error]) from None
    except jinja2.TemplateSyntaxError as exc:
        name = exc.name or exc.filename or "?"
        raise BuildFailed(
            [ContentError(f"{TEMPLATES_DIR.as_posix()}/{name}", exc.lineno, exc.message or "")]
        ) from None
    except jinja2.TemplateError as exc:
        where, line = _template_frame(exc)
        raise BuildFailed([ContentError(where, line, f"template error: {exc}")]) from None
    except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as exc:
        # A filter or a value a template calls failed: name the template line, not a traceback.
        where, line = _template_frame(exc)
        if where == "templates":
            raise  # not raised from a template: a bug in pressroom, keep the traceback
        message = f"template error: {type(exc).__name__}: {exc}"
        raise BuildFailed([ContentError(where, line, message)]) from None


def _template_frame(exc: BaseException) -> tuple[str, int]:
    """The innermost template file and line in ``exc``'s traceback."""
    found = ("templates", 0)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml")):
            found = (_relative_template(filename), tb.tb_lineno)
        tb = tb.tb_next
    return found


def _relative_template(filename: str) -> str:
    parts = Path(filename).parts
    if "templates" in parts:
        index = len(parts) - 1 - parts[::-1].index("templates")
        return "/".join(parts[index:])
    return filename
