"""Load and validate: every input read and checked, the library related and the site planned,
with every error of the run collected (``build`` and ``check`` share this stage).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial

from generator.build.inputs import Scan
from generator.build.memo import MEMO, files_keys
from generator.build.parse import ParseConfig, parse_articles
from generator.build.store import Store
from generator.config.settings import Settings, read_settings
from generator.content import catalogs
from generator.content.library import Library, build_library, updated_library
from generator.content.links import MEDIA, SITE
from generator.content.placement import Placement
from generator.content.registry import TAXONOMIES, Registry, load_registry, registry_path
from generator.content.selection import Selection
from generator.core.errors import ContentError, ErrorLog, Result
from generator.core.files import SiteDir
from generator.core.layout import (
    ARTICLES_DIR,
    CACHE_DIR,
    LOCALES_DIR,
    SETTINGS_FILE,
    TEMPLATES_DIR,
)
from generator.site import urls
from generator.site.plan import SitePlan
from generator.site.templates import TemplateSet, load_templates

#: Photos and PDFs, not video: a larger file is a mistake in a press-summary archive.
MAX_MEDIA_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Loaded:
    """Every input, validated, and the plan made from them."""

    settings: Settings
    registries: Mapping[str, Registry]
    translations: Mapping[str, catalogs.Catalog]
    templates: TemplateSet
    config: ParseConfig
    #: Every article file that parsed, published or not.
    placements: Mapping[str, Placement]
    #: The published articles and their relations (None when they could not be related).
    library: Library | None
    plan: SitePlan | None
    #: When the earliest article left out for its future date falls due, if any.
    next_due: float | None
    #: How many article files were parsed now (the others came from the store).
    parsed: int


def load_site(
    site: SiteDir,
    scan: Scan,
    store: Store,
    selection: Selection,
    *,
    base_url: str | None = None,
) -> Result[Loaded]:
    """Read every input of ``site`` and plan the site; every problem found is returned."""
    log = ErrorLog()
    log.extend(scan.problems)
    cache_problem = site.directory_problem(CACHE_DIR)
    if cache_problem is not None:  # the build then keeps its store in memory
        log.extend([cache_problem])
    source = str(site.source)
    keys, keep = files_keys(scan, _loaders_files()), not scan.watched
    read = MEMO.result(
        (source, "settings"), keys["settings"], partial(read_settings, site), keep=keep
    )
    settings = read.value
    log.extend(read.errors)
    if base_url is not None:
        try:
            settings = settings.with_base_url(base_url)
        except ValueError as exc:
            log.add("--base-url", 0, str(exc))
    registries = {}
    for taxonomy in TAXONOMIES:
        registry = MEMO.result(
            (source, "registry", taxonomy.key, settings.languages),
            keys[taxonomy.key],
            partial(load_registry, site, taxonomy, settings.languages),
            keep=keep,
        )
        registries[taxonomy.key] = registry.value
        log.extend(registry.errors)
    translations = {}
    for lang in settings.languages:
        catalog = MEMO.result(
            (source, "catalog", lang),
            keys["catalogs"],
            partial(catalogs.load_translations, site, lang),
            keep=keep,
        )
        translations[lang] = catalog.value  # untranslated while its errors are reported
        log.extend(catalog.errors)
    templates = MEMO.result(
        (source, "templates"),
        keys["templates"],
        partial(load_templates, site),
        keep=keep,
    )
    log.extend(templates.errors)
    config = ParseConfig(settings.languages, settings.timezone, settings.allow_html)
    prefix = ARTICLES_DIR.as_posix() + "/"
    files = [rel for rel in scan.files if rel.startswith(prefix) and rel.endswith(".md")]
    digests = {rel: scan.files[rel].digest for rel in files}
    articles = parse_articles(site, sorted(files), digests, config, store)
    log.extend(articles.errors)
    placements = articles.value.placements
    log.extend(missing_media(scan, placements.values()))
    log.extend(missing_share_image(scan, settings))
    related = _relate(source, settings, placements, registries, selection, files)
    log.extend(related.errors)
    library = related.value
    plan = None
    if library is not None:
        plan = SitePlan(library, templates.value.static)
        log.extend(broken_site_links(plan))
    loaded = Loaded(
        settings=settings,
        registries=registries,
        translations=translations,
        templates=templates.value,
        config=config,
        placements=placements,
        library=library,
        plan=plan,
        next_due=next_due(placements.values(), selection),
        parsed=articles.value.parsed,
    )
    return Result(loaded, tuple(log))


#: The last library related for each site in this process, with what it was related from
#: besides the published placements: the registries, the article files and those that parsed.
#: A long-lived process (``serve``, a test session) updates it for an edit that moves no
#: article rather than relating the whole archive again.
_related: dict[str, tuple[tuple[Registry, ...], list[str], list[str], Library]] = {}
#: Sites whose library is kept (a test session builds many).
RELATED_KEPT = 8


def _relate(
    source: str,
    settings: Settings,
    placements: Mapping[str, Placement],
    registries: Mapping[str, Registry],
    selection: Selection,
    files: list[str],
) -> Result[Library | None]:
    """The library of the published ``placements``: the last one related for ``source``,
    updated (see library.updated_library), when it was related from the same registries (the
    very objects: the memo gives them back while their files are unchanged), article files
    and parsed files; else built."""
    kinds = tuple(registries[t.key] for t in TAXONOMIES)
    parsed = list(placements)
    last = _related.pop(source, None)
    if (
        last is not None
        and (last[1], last[2]) == (files, parsed)
        and all(a is b for a, b in zip(last[0], kinds, strict=True))
    ):
        library = updated_library(last[3], settings, placements.values(), selection, files)
        if library is not None:
            _related[source] = (kinds, files, parsed, library)
            return Result(library)
    related = build_library(settings, placements.values(), registries, selection, files)
    if related.value is not None and not related.errors:
        _related[source] = (kinds, files, parsed, related.value)
        while len(_related) > RELATED_KEPT:
            del _related[next(iter(_related))]
    return related


def _loaders_files() -> dict[str, tuple[str, ...]]:
    """What each loader reads, as prefixes of input paths (see memo.files_keys). The
    catalogs are one key: which languages there are is known only once site.yaml is read."""
    return {
        "settings": (SETTINGS_FILE,),
        **{t.key: (registry_path(t).as_posix(),) for t in TAXONOMIES},
        "catalogs": (f"{LOCALES_DIR.as_posix()}/",),
        "templates": (f"{TEMPLATES_DIR.as_posix()}/",),
    }


def next_due(articles: Iterable[Placement], selection: Selection) -> float | None:
    """When the first article left out for its date falls due (the site changes then)."""
    if selection.now is None or selection.future:
        return None
    now = selection.now.timestamp()
    due = [a.timestamp for a in articles if a.timestamp > now and (selection.drafts or not a.draft)]
    return min(due, default=None)


def missing_media(scan: Scan, articles: Iterable[Placement]) -> list[ContentError]:
    """Every local file an article links that the scan did not find, or that is too large."""
    errors = []
    for article in articles:
        for kind, target, line in article.links:
            if kind != MEDIA:
                continue
            record = scan.files.get(target)
            if record is None:
                why = "does not exist (or cannot be read)"
            elif record.size > MAX_MEDIA_BYTES:
                why = f"is larger than {MAX_MEDIA_BYTES // 1024 // 1024} MB"
            else:
                continue
            errors.append(ContentError(article.path, line, f"linked file {target} {why}"))
    return errors


def missing_share_image(scan: Scan, settings: Settings) -> list[ContentError]:
    """The share image of site.yaml must be a file of the site."""
    rel = settings.share_image
    if not rel or rel in scan.files:
        return []
    if any(rel == p.path or rel.startswith(f"{p.path}/") for p in scan.problems):
        return []  # the walk reported why it could not read the image (or its folder)
    message = f"share_image file {rel} does not exist (or cannot be read)"
    return [ContentError(SETTINGS_FILE, settings.share_image_line, message)]


def broken_site_links(plan: SitePlan) -> list[ContentError]:
    """Absolute site paths written in bodies (/ko/sectors/ai/) that the plan does not have."""
    written = [
        (article, target, line)
        for article in plan.library.by_path.values()
        for kind, target, line in article.links
        if kind == SITE
    ]
    if not written:
        return []
    produced = plan.output_paths()
    errors = []
    for article, target, line in written:
        if (
            target in produced
            or urls.output_file(target) in produced
            or (not target.endswith("/") and f"{target}/index.html" in produced)
            or any(target.startswith(prefix) for prefix in plan.output_folders())
        ):
            continue
        errors.append(
            ContentError(article.path, line, f"link to /{target}: the site has no such page")
        )
    return errors
