"""The digest of every fact a product can read (see incremental.py), made from the inputs,
and which of them changed since the last build.

Structural facts (the plan's answers) are costly to digest on a large site, so they are
computed again only when what they are made of changed: the published articles' positions,
the settings and the terms in use (``structure_key``). When the output was the last one built
from these records, only the facts of the input files that changed are compared
(``touched``); otherwise every fact is.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from generator.build.inputs import Scan
from generator.build.load import Loaded
from generator.content.catalogs import catalog_path
from generator.content.registry import TAXONOMIES
from generator.core.digest import digest
from generator.core.layout import LOCALES_DIR, SETTINGS_FILE, TAXONOMY_DIR, TEMPLATES_DIR
from generator.site.factids import (
    article_fact,
    card_fact,
    catalog_fact,
    chrome_fact,
    chrome_inputs,
    fact_id,
    file_fact,
    message_fact,
    messages_fact,
    settings_fact,
    template_fact,
    term_fact,
)
from generator.site.frames import CHROME_TEMPLATE
from generator.site.plan import PAGE_KINDS, SitePlan

#: Fact ids of the plan's answers start with this (see site.factids.fact_id).
STRUCTURE = "plan."
#: The facts ``touched`` needs the last build's ids of: those an input file has many of.
PREVIOUS = ("term:", "message:")


def input_facts(loaded: Loaded, plan: SitePlan, scan: Scan, options: str) -> dict[str, str]:
    """Every fact that comes straight from an input file."""
    settings = loaded.settings
    facts = {settings_fact(): digest(repr(settings), options)}
    for lang in settings.languages:
        record = scan.files.get(catalog_path(lang).as_posix())
        whole = facts[catalog_fact(lang)] = record.digest if record else ""
        messages = loaded.translations[lang].messages
        for key, value in messages.items():
            facts[message_fact(lang, key)] = value
        # A template depends on the messages it shows (one missing from the catalog shows its
        # msgid until it is added), or on the whole catalog when it may show any.
        for name, keys in loaded.templates.messages.items():
            shown = (f"{k}\t{messages.get(k, '')}" for k in keys or ())
            facts[messages_fact(lang, name)] = whole if keys is None else digest("", *shown)
    for name, value in loaded.templates.digests.items():
        facts[template_fact(name)] = value
    # Templates a template names but the site lacks (``ignore missing``): adding one changes
    # what its readers show.
    named = {name for closure in loaded.templates.closures.values() for name in closure}
    for name in named.difference(loaded.templates.digests):
        facts[template_fact(name)] = "absent"
        facts.update((messages_fact(lang, name), "") for lang in settings.languages)
    # Whether the site has a chrome template is part of every page's chrome.
    closure = loaded.templates.closures.get(CHROME_TEMPLATE)
    for lang in settings.languages:
        made_of = chrome_inputs(lang, closure or ())
        shown = (f"{f}\t{facts[f]}" for f in made_of)
        facts[chrome_fact(lang)] = digest(str(closure is not None), *shown)
    for taxonomy, registry in loaded.registries.items():
        for term_id, term in registry.terms.items():
            facts[term_fact(taxonomy, term_id)] = digest(repr(term))
            for lang in settings.languages:
                facts[term_fact(taxonomy, term_id, lang)] = digest(repr(term.in_language(lang)))
    # The file's digest and the parse settings' (joined, not digested again: ten thousand
    # hashes an edit need not make).
    config = loaded.config.key()
    for path, placement in plan.library.by_path.items():
        facts[article_fact(path)] = f"{scan.files[path].digest}+{config}"
        facts[card_fact(path)] = placement.card
    for rel in (*plan.static, *plan.media()):
        record = scan.files.get(rel)
        facts[file_fact(rel)] = record.digest if record else ""
    if settings.search:
        from generator.site.korean import analyzer_version
        from generator.site.search import pagefind_version

        facts["tool:pagefind"] = pagefind_version()
        facts["tool:kiwi"] = analyzer_version()
    return facts


def structure_key(plan: SitePlan, facts: Mapping[str, str]) -> str:
    """Digest of everything the plan's structure is made of."""
    positions = "\n".join(
        f"{path}\t{placement.position}" for path, placement in sorted(plan.library.by_path.items())
    )
    terms = repr({tax: tuple(terms) for tax, terms in plan.library.terms.items()})
    return digest(facts[settings_fact()], positions, terms, repr(plan.static), repr(plan.media()))


class Facts(Mapping[str, str]):
    """The current digest of every fact: those of the inputs, and the plan's answers, either
    all computed (``structural``) or each computed when a product first reads it (when the
    structure is unchanged, the answer is the last build's)."""

    def __init__(
        self, inputs: dict[str, str], plan: SitePlan, structural: Mapping[str, str] | None
    ) -> None:
        self.inputs = inputs
        self.plan = plan
        self.structural = structural
        self._asked: dict[str, str] = {}

    def __getitem__(self, fact: str) -> str:
        if not fact.startswith(STRUCTURE):
            return self.inputs[fact]
        if self.structural is not None:
            return self.structural[fact]
        found = self._asked.get(fact)
        if found is None:
            question, _, args = fact.removeprefix(STRUCTURE).partition("[")
            answer = getattr(self.plan, question)(*json.loads("[" + args))
            found = self._asked[fact] = digest(repr(answer))
        return found

    def __iter__(self) -> Iterator[str]:
        yield from self.inputs
        yield from self.structural or ()

    def __len__(self) -> int:
        return len(self.inputs) + len(self.structural or ())


def touched(
    paths: Iterable[str],
    facts: Mapping[str, str],
    previous: Iterable[str],
    languages: Iterable[str],
) -> set[str] | None:
    """The facts that input files ``paths`` (changed, added or gone) may have changed; None
    when one of them changes facts everywhere (site.yaml: the settings, the parse settings).

    ``facts`` are the current ones; ``previous`` the term and message facts (PREVIOUS) the
    last build had.
    """
    found = {"tool:pagefind", "tool:kiwi"}
    for path in paths:
        if path == SETTINGS_FILE:
            return None
        if path.startswith(f"{TEMPLATES_DIR.as_posix()}/"):
            name = path.removeprefix(f"{TEMPLATES_DIR.as_posix()}/")
            found.update((template_fact(name), file_fact(path)))
            found.update(messages_fact(lang, name) for lang in languages)
            found.update(chrome_fact(lang) for lang in languages)
        elif path.startswith(f"{LOCALES_DIR.as_posix()}/"):
            lang = path.split("/")[1]
            prefixes = (message_fact(lang, ""), messages_fact(lang, ""))
            found.update((catalog_fact(lang), chrome_fact(lang)))
            found.update(f for f in (*facts, *previous) if f.startswith(prefixes))
        elif path.startswith(f"{TAXONOMY_DIR.as_posix()}/"):
            prefix = term_fact(path.rsplit("/", 1)[-1].removesuffix(".yaml"), "")
            found.update(f for f in (*facts, *previous) if f.startswith(prefix))
        else:
            found.update((article_fact(path), card_fact(path), file_fact(path)))
    return found


def structure_facts(plan: SitePlan) -> dict[str, str]:
    """The digest of every structural answer of ``plan`` a product can ask for, by fact id
    (each SitePlan question, with every argument a product of this plan can ask it with)."""
    facts: dict[str, str] = {}

    def add(question: str, *args: Any) -> None:
        facts[fact_id(question, *args)] = digest(repr(getattr(plan, question)(*args)))

    for page_id in {plan.page_id(p) for p in plan.products() if p.kind in PAGE_KINDS}:
        add("versions", page_id)
    add("months")
    add("years")
    for taxonomy in TAXONOMIES:
        add("used_terms", taxonomy.key)
    for lang in plan.languages:
        add("calendar", lang)
        add("feed", lang)
        for number in range(plan.home(lang, 0).pages + 1):
            add("home", lang, number)
        for article in plan.library.articles[lang]:
            add("neighbours", article.path)
        for taxonomy in TAXONOMIES:
            add("term_index", lang, taxonomy.key)
            for term_id in plan.used_terms(taxonomy.key):
                add("feed", lang, taxonomy.key, term_id)
                add("term_months", lang, taxonomy.key, term_id)
                for number in range(plan.term(lang, taxonomy.key, term_id, 0).pages + 1):
                    add("term", lang, taxonomy.key, term_id, number)
        for year in plan.years():
            add("year", lang, year)
        for year, month in plan.months():
            add("month", lang, year, month)
        add("buckets", lang)
        for bucket in plan.buckets(lang):
            add("bucket", lang, bucket)
    add("sitemap")
    return facts
