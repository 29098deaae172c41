"""Everything besides the plan that products are made from (``Sources``, which the build hands
the site context), and what the stores behind some of them must offer: the articles with
their bodies, the search index parts made before, the files published as they are."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from generator.config.settings import Settings
from generator.content.article import Article
from generator.content.catalogs import Catalog
from generator.content.registry import Registry
from generator.site.korean import Analyses
from generator.site.templates import TemplateSet


class ArticleSource(Protocol):
    """Where full articles (with their bodies) come from: memory or the store."""

    def close(self) -> None:
        """Let go of what it holds open."""
        ...

    def get(self, path: str) -> Article:
        """The article parsed from ``path``."""
        ...


class BundleSource(Protocol):
    """Where search index parts made before are kept, by the digest of their records."""

    def close(self) -> None:
        """Let go of what it holds open."""
        ...

    def get(self, key: str) -> dict[str, bytes] | None:
        """The files of a part, if kept."""
        ...

    def put(self, key: str, files: Mapping[str, bytes]) -> None:
        """Keep a part's files."""
        ...


class FileSource(Protocol):
    """Where copied files (static files, media) come from."""

    def read(self, rel: str) -> bytes:
        """The bytes of the site-relative file ``rel``."""
        ...


@dataclass(frozen=True, slots=True)
class Sources:
    """Everything besides the plan that products are made from."""

    settings: Settings
    registries: Mapping[str, Registry]
    translations: Mapping[str, Catalog]
    templates: TemplateSet
    articles: ArticleSource
    files: FileSource
    #: The site directory (template file names in error messages).
    root: Path
    #: Where tools (Pagefind) may work: under the cache directory.
    scratch: Path
    bundles: BundleSource
    words: Analyses
