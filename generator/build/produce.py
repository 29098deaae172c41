"""Making products: each one with a Recorder noting what it reads, its files written straight
into the staging directory, on every core when there are many.

Workers send back small records (each file's digest, each fact read), never the files: the
memory a build needs does not grow with the site.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from generator.build import parallel, writer
from generator.build.store import ProductRecord
from generator.build.writer import Staging
from generator.core.errors import ContentError, ProductProblem
from generator.core.recording import Recorder
from generator.site.chrome import card, card_key, listed
from generator.site.context import SiteContext
from generator.site.plan import Product, SitePlan
from generator.site.produce import make
from generator.site.search import SearchFailed, analyses_words
from generator.site.templates import RENDER_ERRORS, render_error

#: Below this many products, starting worker processes costs more than it saves.
PARALLEL_PRODUCTS = 150


@dataclass(frozen=True, slots=True)
class Made:
    """What making one product gave: its record, or the mistakes that stopped it."""

    product: str
    record: ProductRecord | None
    errors: tuple[ContentError, ...] = ()
    #: Files whose bytes are the live site's (they keep its inode and modification time).
    kept: frozenset[str] = frozenset()


def make_products(
    products: Sequence[Product],
    ctx: SiteContext,
    plan: SitePlan,
    staging: Staging,
    facts: Mapping[str, str],
    *,
    reopen: Callable[[], None] | None = None,
) -> list[Made]:
    """Make ``products`` into ``staging``; ``reopen`` runs in each worker before it starts
    (to open its own connections)."""

    def one(product: Product) -> Made:
        recorder = Recorder(facts)
        with ctx.recording(recorder):
            try:
                files = make(ctx, plan, product)
            except (SearchFailed, ProductProblem) as exc:
                return Made(product.id, None, (exc.error,))
            except RENDER_ERRORS as exc:
                error = render_error(exc)
                if error is None:
                    raise  # not a template's mistake: a bug in pressroom, keep its traceback
                return Made(product.id, None, (error,))
        written = {}
        kept = set()
        for path, data in files.items():
            written[path], same = writer.put(staging, path, data)
            if same:
                kept.add(path)
        return Made(product.id, ProductRecord(written, dict(recorder.read)), (), frozenset(kept))

    workers = parallel.worker_count(len(products), threshold=PARALLEL_PRODUCTS)
    if workers == 1:
        return [one(product) for product in products]
    _seed_cards(products, ctx, plan, facts, workers)
    if any(map(analyses_words, products)):
        ctx.words.share()  # one Korean analyzer for all the workers, not one each
    # Heavy products (search index parts) first, so that no worker is left with one at the end.
    ordered = sorted(products, key=lambda p: p.kind != "search")
    return list(parallel.map_forked(one, ordered, workers=workers, setup=reopen))


def _seed_cards(
    products: Sequence[Product],
    ctx: SiteContext,
    plan: SitePlan,
    facts: Mapping[str, str],
    workers: int,
) -> None:
    """Render every list entry the products show, once, before the workers fork: otherwise
    each worker would render most of them again for the lists it happens to get."""
    entries = sorted({entry for product in products for entry in listed(plan, product)})
    if len(entries) < PARALLEL_PRODUCTS:
        return

    def render(entry: tuple[str, str]) -> tuple[tuple[str, str], Markup, dict[str, str]]:
        recorder = Recorder(facts)
        with ctx.recording(recorder):
            return entry, card(ctx, *entry), recorder.read

    for (path, lang), html, reads in parallel.map_forked(render, entries, workers=workers):
        ctx.seed(card_key(path, lang), html, reads)


def claims(made: Iterable[Made]) -> list[ContentError]:
    """Two products writing one file is a bug in the plan: say so rather than pick one."""
    owner: dict[str, str] = {}
    problems = []
    for item in made:
        if item.record is None:
            continue
        for path in item.record.files:
            if path in owner:
                problems.append(
                    ContentError(path, 0, f"made by both {owner[path]} and {item.product}")
                )
            owner[path] = item.product
    return problems
