"""Registries (content/taxonomies/*.yaml) → Term objects: one entity per sector, person or
outlet (the press an article cites).

Every entry has a name per language; sectors add a description and people a role per
language; outlets add their home page, the language they publish in and their kind. People and
outlets may list aliases: other spellings the press uses ("Lee Jaeyong", "Jay Y. Lee"), which
search and ``pressroom new`` accept as well.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.core import fields
from generator.core.errors import ContentError, Result, did_you_mean
from generator.core.files import SiteDir, decode_text
from generator.core.layout import TAXONOMY_DIR
from generator.core.yamlfile import load_yaml


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """A kind of term: its registry file, its URL segment and what its entries hold."""

    #: URL segment and registry file stem: "sectors", "people" or "sources".
    key: str
    #: Registry key holding each term's per-language detail line ("" for none).
    detail_key: str
    #: One term, in messages ("unknown sector 'x'").
    singular: str
    #: Other keys an entry may have (see _extras).
    extras: tuple[str, ...] = ()


SECTORS = Taxonomy("sectors", "description", "sector")
PEOPLE = Taxonomy("people", "role", "person", extras=("aliases",))
SOURCES = Taxonomy("sources", "", "outlet", extras=("url", "language", "kind", "aliases"))
TAXONOMIES = (SECTORS, PEOPLE, SOURCES)

#: What an outlet is, as its entry's ``kind`` says.
OUTLET_KINDS = ("newspaper", "wire", "broadcaster", "magazine", "online", "government")


@dataclass(frozen=True, slots=True)
class Term:
    """One sector, person or outlet, the same entity in every language."""

    taxonomy: str
    id: str
    #: Display name per language.
    name: Mapping[str, str]
    #: Description (sectors) or role and affiliation (people), per language; empty for outlets.
    detail: Mapping[str, str]
    #: Other spellings the press uses (people, outlets).
    aliases: tuple[str, ...] = ()
    #: Outlets: the home page, the language published in, the kind of outlet.
    url: str = ""
    language: str = ""
    kind: str = ""

    def in_language(self, lang: str) -> Term:
        """What a ``lang`` page may show of the term: its name and detail in ``lang`` (and
        an outlet's name in its own language), with everything no language owns."""
        kept = {lang, self.language}
        return Term(
            self.taxonomy,
            self.id,
            {k: v for k, v in self.name.items() if k in kept},
            {k: v for k, v in self.detail.items() if k == lang},
            self.aliases,
            self.url,
            self.language,
            self.kind,
        )


@dataclass(frozen=True, slots=True)
class Registry:
    """The terms of one registry file, and what is known of the ids it could not read."""

    taxonomy: str
    terms: Mapping[str, Term]
    #: Ids whose entries have mistakes of their own (reported there).
    broken: frozenset[str] = frozenset()
    #: False when the file as a whole could not be read: no id can be called unknown then.
    readable: bool = True

    def knows(self, term_id: str) -> bool:
        """True unless ``term_id`` is surely not in the registry (worth an error at its use)."""
        return not self.readable or term_id in self.terms or term_id in self.broken


def spellings(terms: Mapping[str, Term]) -> dict[str, str]:
    """Every id, name and alias of ``terms``, each mapped to its term's id: what a mistyped
    id is compared with, so that "Jay Y. Lee" suggests 'lee-jae-yong'."""
    found = {term_id: term_id for term_id in terms}
    for term_id, term in terms.items():
        for spelling in (*term.aliases, *term.name.values()):
            found.setdefault(spelling, term_id)
    return found


#: A registry is a few hundred entries; a file near this is a mistake.
MAX_REGISTRY_BYTES = 4 * 1024 * 1024


def registry_path(taxonomy: Taxonomy) -> Path:
    """Return the registry file of ``taxonomy``, relative to the source directory."""
    return TAXONOMY_DIR / f"{taxonomy.key}.yaml"


def load_registry(
    site: SiteDir, taxonomy: Taxonomy, languages: tuple[str, ...]
) -> Result[Registry]:
    """Read one registry: its terms and every problem found in it."""
    registry, errors = _read(site, taxonomy, languages)
    return Result(registry, tuple(errors))


def _read(
    site: SiteDir, taxonomy: Taxonomy, languages: tuple[str, ...]
) -> tuple[Registry, list[ContentError]]:
    shown = registry_path(taxonomy).as_posix()
    unreadable = Registry(taxonomy.key, {}, readable=False)
    data = site.read(shown, limit=MAX_REGISTRY_BYTES)
    if data is None:
        return unreadable, [ContentError(shown, 0, "registry file is missing")]
    if isinstance(data, ContentError):
        return unreadable, [data]
    text = decode_text(data, shown)
    if isinstance(text, ContentError):
        return unreadable, [text]
    doc = load_yaml(text, shown)
    if isinstance(doc, list):
        return unreadable, doc
    if doc.data is None:
        return Registry(taxonomy.key, {}), []
    if not isinstance(doc.data, dict):
        return unreadable, [ContentError(shown, 1, "a registry maps each id to its names")]
    errors: list[ContentError] = []
    entries: dict[Any, Any] = doc.data
    known = ("name", taxonomy.detail_key) if taxonomy.detail_key else ("name",)
    absent = _missing_everywhere(entries, known, languages)
    for lang in absent:
        errors.append(
            ContentError(
                shown,
                1,
                f"no entry has text in '{lang}', one of the site's languages: give every entry "
                f"its {lang} name" + (f" and {taxonomy.detail_key}" if taxonomy.detail_key else ""),
            )
        )
    present = tuple(lang for lang in languages if lang not in absent)
    terms: dict[str, Term] = {}
    broken: set[str] = set()
    for term_id, entry in entries.items():
        line = doc.line_of(term_id)
        try:
            fields.slug(term_id, name="id")
        except fields.Invalid as exc:
            errors.append(ContentError(shown, line, str(exc)))
            continue
        try:
            entry = fields.mapping(entry, name=str(term_id))
            allowed = (*known, *taxonomy.extras)
            for key in entry:
                if key not in allowed:
                    errors.append(
                        ContentError(
                            shown,
                            doc.line_of(term_id, key),
                            f"unknown key '{key}' in '{term_id}'{did_you_mean(str(key), allowed)}",
                        )
                    )
            text_of = {
                key: fields.per_language(entry.get(key), name=f"{term_id}.{key}", languages=present)
                for key in known
            }
        except fields.Invalid as exc:
            errors.append(ContentError(shown, line, str(exc)))
            broken.add(term_id)
            continue
        extras, problems = _extras(taxonomy, str(term_id), entry)
        if problems:
            errors.extend(ContentError(shown, doc.line_of(term_id, *k), m) for k, m in problems)
            broken.add(term_id)
            continue
        names = dict.fromkeys(absent, "") | text_of["name"]
        detail = dict.fromkeys(absent, "") | text_of.get(taxonomy.detail_key, {})
        terms[term_id] = Term(
            taxonomy.key, term_id, names, detail if taxonomy.detail_key else {}, **extras
        )
    return Registry(taxonomy.key, terms, frozenset(broken)), errors


def _extras(
    taxonomy: Taxonomy, term_id: str, entry: Mapping[str, Any]
) -> tuple[dict[str, Any], list[tuple[tuple[str, ...], str]]]:
    """The extra fields of one entry, and each problem with the key it is at."""
    found: dict[str, Any] = {}
    problems: list[tuple[tuple[str, ...], str]] = []

    def check(key: str, required: bool, validate: Any) -> None:
        if key not in taxonomy.extras:
            return
        value = entry.get(key)
        if value is None:
            if required:
                problems.append(((), f"'{term_id}' needs '{key}'"))
            return
        try:
            found[key] = validate(value, name=f"{term_id}.{key}")
        except fields.Invalid as exc:
            problems.append(((key,), str(exc)))

    def kind(value: Any, *, name: str) -> str:
        text = fields.text(value, name=name)
        if text not in OUTLET_KINDS:
            raise fields.Invalid(
                f"'{name}' must be one of {', '.join(OUTLET_KINDS)}, not {text!r}"
                f"{did_you_mean(text, OUTLET_KINDS)}"
            )
        return text

    def aliases(value: Any, *, name: str) -> tuple[str, ...]:
        return fields.list_of(fields.text, value, name=name)

    check("url", True, fields.url)
    check("language", True, fields.language_tag)
    check("kind", False, kind)
    check("aliases", False, aliases)
    return found, problems


def _missing_everywhere(
    entries: Mapping[Any, Any], keys: tuple[str, ...], languages: tuple[str, ...]
) -> tuple[str, ...]:
    """Languages that no entry has any text in: one mistake (a language added to site.yaml
    before the registries), reported once instead of once per entry."""
    texts = [
        entry[key]
        for entry in entries.values()
        if isinstance(entry, dict)
        for key in keys
        if isinstance(entry.get(key), dict)
    ]
    if not texts:
        return ()
    return tuple(lang for lang in languages if all(lang not in text for text in texts))
