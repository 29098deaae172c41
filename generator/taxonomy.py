"""Registries (content/taxonomies/*.yaml) → Term objects: one entity per sector or person."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator import fields
from generator.errors import ContentError, did_you_mean
from generator.yamlfile import load_yaml

TAXONOMY_DIR = Path("content") / "taxonomies"


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


def registry_path(taxonomy: Taxonomy) -> Path:
    """Return the registry file of ``taxonomy``, relative to the source directory."""
    return TAXONOMY_DIR / f"{taxonomy.key}.yaml"


def load_registry(
    source: Path, taxonomy: Taxonomy, languages: tuple[str, ...]
) -> tuple[dict[str, Term], list[ContentError]]:
    """Read one registry; return its terms by id and every problem found in it."""
    rel = registry_path(taxonomy)
    shown = rel.as_posix()
    path = source / rel
    if path.is_symlink() and not path.resolve().is_relative_to(source.resolve()):
        return {}, [ContentError(shown, 0, "links to a file outside the site directory")]
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return {}, [ContentError(shown, 0, "registry file is missing")]
    except UnicodeDecodeError as exc:
        return {}, [ContentError(shown, 1, f"not UTF-8 text ({exc.reason})")]
    doc = load_yaml(raw.replace("\r\n", "\n"), shown)
    if isinstance(doc, list):
        return {}, doc
    if doc.data is None:
        return {}, []
    if not isinstance(doc.data, dict):
        return {}, [ContentError(shown, 1, "a registry maps each id to its names")]
    terms: dict[str, Term] = {}
    errors: list[ContentError] = []
    known = ("name", taxonomy.detail_key)
    for term_id, entry in doc.data.items():
        line = doc.line_of(term_id)
        try:
            fields.slug(term_id, name="id")
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
            names = fields.per_language(
                entry.get("name"), name=f"{term_id}.name", languages=languages
            )
            detail = fields.per_language(
                entry.get(taxonomy.detail_key),
                name=f"{term_id}.{taxonomy.detail_key}",
                languages=languages,
            )
        except fields.Invalid as exc:
            errors.append(ContentError(shown, line, str(exc)))
            continue
        terms[term_id] = Term(taxonomy.key, term_id, names, detail)
    return terms, errors
