"""Making products: each one with a Recorder noting what it reads, its files written straight
into the staging directory, on every core when there are many.

Workers send back small records (each file's digest, each fact read), never the files: the
memory a build needs does not grow with the site.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from markupsafe import Markup

from generator.build import parallel, writer
from generator.build.cards import Card, shared_reads
from generator.build.records import ProductRecord
from generator.build.reframe import Framed, reframed
from generator.build.writer import Staging
from generator.core.errors import ContentError, ProductProblem
from generator.core.recording import Recorder
from generator.site.chrome import CARD, Entry, card, chrome, listed
from generator.site.context import SiteContext
from generator.site.feeds import item
from generator.site.plan import Product, SitePlan
from generator.site.produce import make
from generator.site.search import SearchFailed, analyses_words
from generator.site.templates import RENDER_ERRORS, render_error

#: Below this many products, starting worker processes costs more than it saves.
PARALLEL_PRODUCTS = 150


@dataclass(frozen=True, slots=True)
class Production:
    """What making the stale products gave: one Made each, and the list entries and feed
    items rendered for them."""

    made: list[Made]
    #: The entries rendered now (the others were kept from earlier builds).
    cards: dict[Entry, Card]


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
    kept: Mapping[Entry, Card] | None = None,
    frames: Mapping[str, Framed] | None = None,
    reopen: Callable[[], None] | None = None,
) -> Production:
    """Make ``products`` into ``staging``, showing the ``kept`` list entries and feed items
    (see cards.py) where they show them, re-framing those that have ``frames`` (see
    reframe.py); ``reopen`` runs in each worker before it starts (to open its own
    connections)."""
    frames = frames or {}

    def one(product: Product) -> Made:
        recorder = Recorder(facts)
        with ctx.recording(recorder):
            if product.id in frames:
                made = _reframed(product, frames[product.id])
                if made is not None:
                    return made
            try:
                files = make(ctx, plan, product)
            except (SearchFailed, ProductProblem) as exc:
                return Made(product.id, None, (exc.error,))
            except RENDER_ERRORS as exc:
                error = render_error(exc)
                if error is None:
                    raise  # not a template's mistake: a bug in pressroom, keep its traceback
                return Made(product.id, None, (error,))
        written, kept = put_all(files)
        record = ProductRecord(written, tuple(recorder.read), recorder.frames)
        return Made(product.id, record, (), kept)

    def put_all(files: Mapping[str, bytes]) -> tuple[dict[str, str], frozenset[str]]:
        """Write ``files``; their digests, and those whose bytes are the live site's."""
        written, kept = {}, set()
        for path, data in files.items():
            written[path], same = writer.put(staging, path, data)
            if same:
                kept.add(path)
        return written, frozenset(kept)

    def _reframed(product: Product, framed: Framed) -> Made | None:
        try:
            parts = chrome(ctx, plan.lang_of(product))
        except RENDER_ERRORS:
            return None  # rendering the page reports it
        found = reframed(staging, framed, parts)
        if found is None:
            return None
        written, kept = put_all({path: data for path, (data, _) in found.items()})
        moved = {path: moved for path, (_, moved) in found.items()}
        return Made(product.id, ProductRecord(written, (), moved, same_deps=True), (), kept)

    workers = parallel.worker_count(len(products), threshold=PARALLEL_PRODUCTS)
    rendered = [p for p in products if p.id not in frames]  # a re-framed page shows none
    cards = _seed_cards(rendered, ctx, plan, facts, workers, kept or {})
    if workers == 1:
        return Production([one(product) for product in products], cards)
    if any(map(analyses_words, products)):
        ctx.words.share()  # one Korean analyzer for all the workers, not one each
    # Heavy products (search index parts) first, so that no worker is left with one at the end.
    ordered = sorted(products, key=lambda p: p.kind != "search")
    made = parallel.map_forked(one, ordered, workers=workers, setup=reopen)
    return Production([_shared_ids(m) for m in made], cards)


def _shared_ids(made: Made) -> Made:
    """``made`` with the fact ids of its record interned: a record comes from a worker with
    strings of its own, and the 18,000 products of a 5,000-article archive read 800,000
    facts of 50,000 ids (a hundred megabytes held until the store is written, as copies)."""
    if made.record is None:
        return made
    deps = tuple(map(sys.intern, made.record.deps))
    return replace(made, record=replace(made.record, deps=deps))


def shown_entries(products: Iterable[Product], plan: SitePlan) -> list[Entry]:
    """Every list entry (card) and feed item the products show."""
    return sorted({entry for product in products for entry in listed(plan, product)})


def _seed_cards(
    products: Sequence[Product],
    ctx: SiteContext,
    plan: SitePlan,
    facts: Mapping[str, str],
    workers: int,
    kept: Mapping[Entry, Card],
) -> dict[Entry, Card]:
    """Give the context every list entry and feed item the products show before they are
    made: the kept ones, and the others rendered once (on every core when there are many)
    rather than by each worker for the lists it happens to get. Returns the ones rendered."""
    missing = []
    for entry in shown_entries(products, plan):
        if entry in kept:
            html, reads = kept[entry]
            ctx.seed(entry, Markup(html), reads)
        else:
            missing.append(entry)

    def render(entry: Entry) -> tuple[Entry, Card | None]:
        kind, path, lang = entry
        recorder = Recorder(facts)
        with ctx.recording(recorder):
            try:
                html = card(ctx, path, lang) if kind == CARD else item(ctx, path)
                return entry, (str(html), recorder.read)
            except RENDER_ERRORS:
                return entry, None  # the product showing it reports the mistake

    many = workers > 1 and len(missing) >= PARALLEL_PRODUCTS
    if many:
        rendered: Iterable[tuple[Entry, Card | None]] = parallel.map_forked(
            render, missing, workers=workers
        )
    else:
        rendered = map(render, missing)
    made = {}
    for entry, made_card in rendered:
        if made_card is not None:
            html, reads = made_card[0], shared_reads(made_card[1])
            ctx.seed(entry, Markup(html), reads)
            made[entry] = (html, reads)
    return made


def claims(made: Iterable[Made]) -> list[ContentError]:
    """Two products writing one file is a bug in the plan: say so rather than pick one."""
    owner: dict[str, str] = {}
    problems = []
    for one in made:
        if one.record is None:
            continue
        for path in one.record.files:
            if path in owner:
                problems.append(
                    ContentError(path, 0, f"made by both {owner[path]} and {one.product}")
                )
            owner[path] = one.product
    return problems
