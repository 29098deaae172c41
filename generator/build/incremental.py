"""The one place that decides what is stale.

Everything a product can read is a *fact* with a digest: an article's text, what a list entry
shows of it, a registry entry, a template, a catalog, the settings, a copied file, and every
structural answer of the plan (which articles a list page holds, an article's neighbours,
the languages a page exists in). Producers never make a key: they read facts through the
site context, and a Recorder notes each fact they read with its digest. The store keeps those
notes per product, with a reverse index (fact → products).

A product is made again exactly when a fact it read changed (or vanished), or when it is new;
the reverse index finds those products without looking at the others. A page whose only
changed fact is its language's chrome is *re-framed*: its old bytes get the new chrome
(site/frames.py), which is what rendering it again would give. A fact nobody reads
costs nothing; a product cannot forget a dependency, since it can read nothing that is not a
fact (see site/context.py). This is the model of Lektor's build state, where build programs
record their dependencies while they run and one function decides if an artifact is current.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.build.store import Store
from generator.site.factids import chrome_fact
from generator.site.plan import Product, SitePlan

#: Products `serve` may leave for a second build, so that tabs reload as soon as the pages
#: are written: Pagefind takes longer than the pages of an edit.
DEFERRABLE = frozenset({"search", "search-ui"})


def changed_facts(previous: Mapping[str, str], current: Mapping[str, str]) -> set[str]:
    """Facts whose digest differs between two builds, or that only one of them has."""
    changed = {fact for fact, value in current.items() if previous.get(fact) != value}
    changed.update(fact for fact in previous if fact not in current)
    return changed


def current(reads: Mapping[str, str], facts: Mapping[str, str]) -> bool:
    """True when every fact in ``reads`` still has the digest it had then: what was made
    from them would be made the same now (how a kept card is judged; see cards.py)."""
    try:
        return all(facts[fact] == value for fact, value in reads.items())
    except Exception:  # a fact this site does not have (a damaged or foreign record)
        return False


@dataclass(frozen=True, slots=True)
class Decision:
    """What a build must make and what it must drop."""

    #: Products to make, new or stale, in the plan's order.
    make: tuple[Product, ...]
    #: Ids of products the plan no longer has.
    drop: frozenset[str]
    #: Ids of products left for the next build.
    later: tuple[str, ...] = ()
    #: Ids of products to make that read no changed fact but the chrome: re-framed.
    reframe: frozenset[str] = frozenset()


def decide(
    store: Store,
    target: str,
    changed: Iterable[str],
    planned: Iterable[Product] | None,
) -> Decision:
    """Which products to make, given the facts that changed since the last build.

    ``planned`` is every product of the plan when the site's structure may have changed (new
    and dropped products are found by comparing it with the last build's); None when it
    cannot have changed, so that only the readers of changed facts are looked at.
    """
    changed = set(changed)
    stale = store.readers_of(target, changed)
    chrome = {f for f in changed if f.startswith(chrome_fact(""))}
    own = store.readers_of(target, changed - chrome) if chrome else stale
    reframe = frozenset(stale - own)
    if planned is None:
        make = tuple(sorted((Product.from_id(p) for p in stale), key=_order))
        return Decision(make, frozenset(), reframe=reframe)
    made = store.product_ids(target)
    products = list(planned)
    ids = {p.id for p in products}
    make = tuple(p for p in products if p.id in stale or p.id not in made)
    return Decision(make, frozenset(made - ids), reframe=reframe)


def with_deferred(
    decision: Decision, deferred: Iterable[str], plan: SitePlan, defer: bool
) -> Decision:
    """``decision`` with the products the last build ``deferred``, and, with ``defer``,
    without the deferrable ones."""
    deferred = list(deferred)
    # Only search products are ever deferred: planning those alone is enough to tell.
    planned = {p.id for p in plan.search_products()} if deferred else set()
    earlier = [Product.from_id(p) for p in deferred if p in planned]
    make = list(dict.fromkeys([*decision.make, *earlier]))
    later = tuple(p.id for p in make if defer and p.kind in DEFERRABLE)
    make = [p for p in make if p.id not in later]
    return Decision(tuple(make), decision.drop, later, decision.reframe)


def _order(product: Product) -> tuple[str, str]:
    return (product.kind, product.id)
