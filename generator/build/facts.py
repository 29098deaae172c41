"""The digest of every fact a product can read (see incremental.py), made from the inputs.

Structural facts (the plan's answers) are costly to digest on a large site, so they are
computed again only when what they are made of changed: the published articles' positions,
the settings and the terms in use (``structure_key``).
"""

from __future__ import annotations

from collections.abc import Mapping

from generator.build.inputs import Scan
from generator.build.load import Loaded
from generator.content.catalogs import catalog_path
from generator.core.digest import digest
from generator.site.context import (
    article_fact,
    card_fact,
    catalog_fact,
    file_fact,
    settings_fact,
    template_fact,
    term_fact,
)
from generator.site.plan import SitePlan

#: Fact ids of the plan's answers start with this (see site.plan.fact_id).
STRUCTURE = "plan."


def input_facts(loaded: Loaded, plan: SitePlan, scan: Scan, options: str) -> dict[str, str]:
    """Every fact that comes straight from an input file."""
    settings = loaded.settings
    facts = {settings_fact(): digest(repr(settings), options)}
    for lang in settings.languages:
        record = scan.files.get(catalog_path(lang).as_posix())
        facts[catalog_fact(lang)] = record.digest if record else ""
    for name, value in loaded.templates.digests.items():
        facts[template_fact(name)] = value
    for taxonomy, registry in loaded.registries.items():
        for term_id, term in registry.terms.items():
            facts[term_fact(taxonomy, term_id)] = digest(repr(term))
    config = loaded.config.key()
    for path, placement in plan.library.by_path.items():
        facts[article_fact(path)] = digest(scan.files[path].digest, config)
        facts[card_fact(path)] = placement.card
    for rel in (*plan.static, *plan.library.media()):
        record = scan.files.get(rel)
        facts[file_fact(rel)] = record.digest if record else ""
    if settings.search:
        from generator.site.search import pagefind_version

        facts["tool:pagefind"] = pagefind_version()
    return facts


def structure_key(plan: SitePlan, facts: Mapping[str, str]) -> str:
    """Digest of everything the plan's structure is made of."""
    positions = "\n".join(
        f"{path}\t{placement.position}" for path, placement in sorted(plan.library.by_path.items())
    )
    terms = repr({tax: tuple(terms) for tax, terms in plan.library.terms.items()})
    return digest(
        facts[settings_fact()], positions, terms, repr(plan.static), repr(plan.library.media())
    )


def with_structure(
    facts: dict[str, str], plan: SitePlan, previous: Mapping[str, str], unchanged: bool
) -> dict[str, str]:
    """``facts`` with the structural ones: the previous build's when the structure did not
    change, else computed from the plan."""
    if unchanged:
        facts.update((f, d) for f, d in previous.items() if f.startswith(STRUCTURE))
    else:
        facts.update(plan.structure_facts())
    return facts
