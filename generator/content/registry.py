"""Registries (content/taxonomies/*.yaml) → Term objects: one entity per sector or person."""

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
    """A kind of term: its registry file, its URL segment and what its detail line is called."""

    #: URL segment and registry file stem: "sectors" or "people".
    key: str
    #: Registry key holding each term's per-language detail line.
    detail_key: str


SECTORS = Taxonomy(key="sectors", detail_key="description")
PEOPLE = Taxonomy(key="people", detail_key="role")
TAXONOMIES = (SECTORS, PEOPLE)


@dataclass(frozen=True, slots=True)
class Term:
    """One sector or person, the same entity in every language."""

    taxonomy: str
    id: str
    #: Display name per language.
    name: Mapping[str, str]
    #: Description (sectors) or role and affiliation (people), per language.
    detail: Mapping[str, str]


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
    known = ("name", taxonomy.detail_key)
    absent = _missing_everywhere(entries, known, languages)
    for lang in absent:
        errors.append(
            ContentError(
                shown,
                1,
                f"no entry has text in '{lang}', one of the site's languages: give every entry "
                f"its {lang} name and {taxonomy.detail_key}",
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
            for key in entry:
                if key not in known:
                    errors.append(
                        ContentError(
                            shown,
                            doc.line_of(term_id, key),
                            f"unknown key '{key}' in '{term_id}'{did_you_mean(str(key), known)}",
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
        names, detail = (dict.fromkeys(absent, "") | text_of[key] for key in known)
        terms[term_id] = Term(taxonomy.key, term_id, names, detail)
    return Registry(taxonomy.key, terms, frozenset(broken)), errors


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
