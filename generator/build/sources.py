"""Where producers' articles and files come from during a build: the store and the site
directory, each opened anew in every worker (a forked SQLite connection is not usable)."""

from __future__ import annotations

import os

from generator.build.bundles import BundleCache
from generator.build.load import Loaded
from generator.build.parse import ParseConfig, parse_again
from generator.build.store import Store, open_store
from generator.build.words import WordAnalyses
from generator.content.article import Article
from generator.core.files import SiteDir
from generator.core.layout import CACHE_DIR
from generator.site.context import SiteContext
from generator.site.plan import SitePlan
from generator.site.search import SCRATCH
from generator.site.sources import Sources

#: Files published as they are may be this large (images; see load.MAX_MEDIA_BYTES).
MAX_FILE_BYTES = 20 * 1024 * 1024


class StoreArticles:
    """Articles read back from the store, each at most once per process; an article the
    store cannot give back (a damaged or planted blob) is parsed again from its file."""

    def __init__(self, site: SiteDir, config: ParseConfig) -> None:
        self.site = site
        self.config = config
        self._pid = -1
        self._store: Store | None = None
        self._seen: dict[str, Article] = {}

    def get(self, path: str) -> Article:
        """The article parsed from ``path``."""
        found = self._seen.get(path)
        if found is None:
            if self._store is None or self._pid != os.getpid():
                self._store = open_store(self.site.source, readonly=True)
                self._pid = os.getpid()
                self._seen.clear()
            article = self._store.articles([path]).get(path)
            if not isinstance(article, Article):
                article = parse_again(self.site, path, self.config)
            found = self._seen[path] = article
        return found

    def close(self) -> None:
        """Close this process's connection to the store."""
        if self._store is not None:
            self._store.close()
            self._store = None


class SiteFiles:
    """Files of the site directory, read through its gate."""

    def __init__(self, site: SiteDir) -> None:
        self.site = site

    def read(self, rel: str) -> bytes:
        """The bytes of ``rel`` (the load stage checked it can be read)."""
        data = self.site.read(rel, limit=MAX_FILE_BYTES)
        if not isinstance(data, bytes):
            raise OSError(f"{rel}: {data.message if data else 'disappeared during the build'}")
        return data


def site_context(site: SiteDir, loaded: Loaded, plan: SitePlan) -> SiteContext:
    """The context producers read the loaded site through."""
    sources = Sources(
        settings=loaded.settings,
        registries=loaded.registries,
        translations=loaded.translations,
        templates=loaded.templates,
        articles=StoreArticles(site, loaded.config),
        files=SiteFiles(site),
        root=site.source,
        scratch=site.source / CACHE_DIR / SCRATCH,
        bundles=BundleCache(site.source),
        words=WordAnalyses(site.source),
    )
    return SiteContext(plan, sources)
