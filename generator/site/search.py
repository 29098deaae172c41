"""Site search: Pagefind indexes, a few per language, merged in the reader's browser.

Pagefind (https://pagefind.app) indexes HTML documents into a static bundle. It cannot update
an index (its issue #71), so an index is cut into parts (SitePlan.buckets: a part per month
of the newest year, a part per older year) and an edit re-indexes the part holding the
article; the search page loads one part and merges the others with Pagefind's ``mergeIndex``,
which its default interface accepts. Each part is a product of its own, made in parallel with
the pages. Korean has no Pagefind stemmer, but Pagefind matches words by prefix, so 반도체
finds an article that only writes 반도체와 or 반도체를; for a query that carries a particle,
a Korean part also gets the nouns and particles of its words (``korean``), and the search page
strips the particle off.

Pagefind reads one *search record* per article (templates/search_record.html): the article's
language, its title and the same body its page marks with ``data-pagefind-body``, then the
names and aliases of its people and outlets in every language.

Pagefind runs in a scratch folder under .pressroom-cache/ (never outside the site), removed
when it ends; a build killed meanwhile leaves it to the next build, which sweeps it first. A
run that takes far longer than its work needs is killed and tried once more.
"""

from __future__ import annotations

import importlib.metadata
import json
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from markupsafe import Markup, escape

from generator.content import reading
from generator.content.article import Article
from generator.core.digest import digest
from generator.core.errors import ContentError
from generator.site import korean, urls
from generator.site.chrome import Produced
from generator.site.context import SiteContext
from generator.site.plan import Product, SitePlan

#: How to get Pagefind, for the message of a build that needs it and does not have it.
INSTALL_HINT = (
    "site search needs Pagefind: install it with `pip install 'pagefind[bin]'` "
    "(it is a dependency of pressroom, so `pip install -e .` does it), "
    "or set `search: false` in site.yaml to build without search"
)
ANALYZER_HINT = (
    "they are dependencies of pressroom, so `pip install -e .` installs them, "
    "or set `search: false` in site.yaml to build without search"
)
#: Bundle files the default UI does not load: other UIs, the highlighter, the playground.
UNUSED = ("pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.js", "playground/")
#: The default UI's own files: written once per language, beside its index parts.
UI_FILES = ("pagefind-ui.js", "pagefind-ui.css")
#: The bundle's table of contents: its languages and their index files.
ENTRY = "pagefind-entry.json"
RECORD_TEMPLATE = "search_record.html"
#: A Pagefind run has hung when it takes longer than this, plus this much per record.
TIMEOUT_BASE_SECONDS = 60
TIMEOUT_PER_RECORD_SECONDS = 0.05
#: Where Pagefind works, under the cache directory.
SCRATCH = "scratch"


class SearchFailed(Exception):
    """Pagefind is missing or could not build an index; carries the error for the author."""

    def __init__(self, error: ContentError) -> None:
        super().__init__(str(error))
        self.error = error


def pagefind_executable() -> Path | None:
    """The Pagefind binary the Python package would run, or None when it is not installed."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    found = get_executable()
    return found if found is not None and found.is_file() else None


def pagefind_version() -> str:
    """The installed Pagefind's version (its index format changes with it)."""
    for name in ("pagefind_bin", "pagefind-bin", "pagefind"):
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "none"


def make_search(ctx: SiteContext, plan: SitePlan, product: Product) -> Produced:
    """One part of a language's search index."""
    lang, bucket = str(product.params[0]), str(product.params[1])
    records = {}
    stemmed = korean.applies(lang)
    texts = []  # what the analyzer reads, for a Korean part only
    for path in ctx.ask("bucket", lang, bucket):
        article = ctx.article(path)
        page = urls.output_file(urls.article(article)).removeprefix(f"{lang}/")
        body = ctx.body(path, lang)
        text = reading.plain_text(body)
        if not text.strip():
            # Pagefind refuses a part with nothing to index; an article without text (a
            # draft being started) is found by its title instead.
            body = Markup(escape(article.title))
            text = article.title
        # Pagefind keeps 모빌리티·배터리 as one word: the interpunct between Korean nouns
        # (반도체·배터리, 한·미) separates them for search, as a space would.
        body = Markup(str(body).replace("\u00b7", " \u00b7 "))
        names = spellings(ctx, article)
        html = ctx.render(
            lang, RECORD_TEMPLATE, lang=lang, title=article.title, body=body, names=names
        )
        records[page] = html.encode("utf-8")
        if stemmed:
            texts += [article.title, text]
    ctx.read("tool:pagefind")
    if stemmed:
        ctx.read("tool:kiwi")
    tools = (pagefind_version(), korean.analyzer_version() if stemmed else "")
    key = digest(*tools, *(part for item in sorted(records.items()) for part in item))
    bundle = ctx.bundles.get(key)
    if bundle is None:
        bundle = run_pagefind(records, ctx.scratch)
        if stemmed:
            bundle[korean.STEMS_FILE] = _stems(texts, ctx.words)
        ctx.bundles.put(key, bundle)
    prefix = urls.search_bundle(lang, bucket)
    return {prefix + name: data for name, data in bundle.items() if not name.startswith(UI_FILES)}


def spellings(ctx: SiteContext, article: Article) -> tuple[str, ...]:
    """Every name of the article's people and outlets, in every language, and their aliases:
    a search for Jay Y. Lee, Lee Jaeyong or 이재용 finds him in either language's index."""
    found: dict[str, None] = {}
    terms = [("people", i) for i in article.meta.people]
    terms += [("sources", c.outlet) for c in article.meta.sources]
    for taxonomy, term_id in terms:
        term = ctx.term(taxonomy, term_id)
        found.update(dict.fromkeys((*term.name.values(), *term.aliases)))
    return tuple(found)


def analyses_words(product: Product) -> bool:
    """True for a product that may need Korean words analysed: a Korean search part."""
    return product.kind == "search" and korean.applies(str(product.params[0]))


def _stems(texts: list[str], analyses: korean.Analyses) -> bytes:
    try:
        return korean.stems_file(texts, analyses)
    except korean.AnalyzerMissing as exc:
        why = f"Korean search needs kiwipiepy and kiwipiepy-model ({exc}): {ANALYZER_HINT}"
        raise SearchFailed(ContentError("site.yaml", 0, why)) from None


def make_search_ui(ctx: SiteContext, plan: SitePlan, product: Product) -> Produced:
    """Pagefind's default interface (script and styles) of a language's search page."""
    lang = str(product.params[0])
    ctx.read("tool:pagefind")
    page = (
        f'<!DOCTYPE html><html lang="{lang}"><head><title>ui</title></head>'
        "<body><main data-pagefind-body><p>interface</p></main></body></html>"
    )
    bundle = run_pagefind({"index.html": page.encode()}, ctx.scratch)
    return {urls.search_bundle(lang) + name: bundle[name] for name in UI_FILES}


def run_pagefind(records: Mapping[str, bytes], scratch: Path) -> dict[str, bytes]:
    """Index ``records`` (path in the bundle's site → HTML) with Pagefind; return the bundle's
    files by path within the bundle."""
    executable = pagefind_executable()
    if executable is None:
        raise SearchFailed(ContentError("site.yaml", 0, INSTALL_HINT))
    scratch.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="pagefind-", dir=scratch))
    try:
        site, bundle = work / "site", work / "bundle"
        for path, html in records.items():
            target = site / PurePosixPath(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(html)
        # The binary the Python package ships, run once over the folder. Its asyncio API
        # answers each request only after a 0.1 s poll, which tripled the time of a small build.
        command = [str(executable), "--site", str(site), "--output-path", str(bundle), "--silent"]
        timeout = TIMEOUT_BASE_SECONDS + TIMEOUT_PER_RECORD_SECONDS * len(records)
        for attempt in (1, 2):
            shutil.rmtree(bundle, ignore_errors=True)
            try:
                done = subprocess.run(
                    command, capture_output=True, text=True, timeout=timeout, check=False
                )
            except subprocess.TimeoutExpired:
                if attempt == 2:
                    raise _failed(f"Pagefind did not finish in {timeout:.0f} s, twice") from None
                continue
            except OSError as exc:
                raise _failed(str(exc)) from None
            if done.returncode != 0:
                why = (done.stderr or done.stdout).strip() or f"exit status {done.returncode}"
                raise _failed(why)
            return _read_bundle(bundle)
        raise AssertionError("unreachable")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def sweep(scratch: Path) -> None:
    """Remove what runs of a killed build left in the scratch folder."""
    shutil.rmtree(scratch, ignore_errors=True)


def _failed(why: str) -> SearchFailed:
    return SearchFailed(ContentError("pagefind", 0, f"building the search index failed: {why}"))


def _read_bundle(bundle: Path) -> dict[str, bytes]:
    files = {}
    for file in sorted(bundle.rglob("*")):
        rel = file.relative_to(bundle).as_posix()
        if file.is_file() and not rel.startswith(UNUSED):
            data = file.read_bytes()
            files[rel] = _canonical(data) if rel == ENTRY else data
    return files


def _canonical(entry: bytes) -> bytes:
    """The entry file with its keys sorted: Pagefind lists languages in a varying order, and
    the same site must build to the same bytes."""
    return json.dumps(json.loads(entry), sort_keys=True, ensure_ascii=False).encode("utf-8")
