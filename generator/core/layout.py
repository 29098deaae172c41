"""The site directory's own layout: where each kind of input lives, and the generator's cache.

Plain constants, importable by every stage (and by the no-op path of a build, which must
stay light).
"""

from __future__ import annotations

from pathlib import Path

SETTINGS_FILE = "site.yaml"
ARTICLES_DIR = Path("content") / "articles"
TAXONOMY_DIR = Path("content") / "taxonomies"
TEMPLATES_DIR = Path("templates")
STATIC_DIR = TEMPLATES_DIR / "static"
LOCALES_DIR = Path("locales")
#: What a build reads: these folders, and site.yaml beside them.
INPUT_DIRS = ("content", "templates", "locales")
#: The generator's own directory in a site: the store and tools' scratch space.
CACHE_DIR = ".pressroom-cache"
