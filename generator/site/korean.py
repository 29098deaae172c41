"""What Korean search needs of a morphological analyzer: the noun stems of a search part.

Korean attaches particles to nouns (반도체를, 원전을, 삼성전자의). Pagefind splits words on
spaces and matches a query word as a prefix, so the bare noun 반도체 already finds 반도체를
and 반도체와; a query that carries a particle does not find the bare noun or its other forms.
The search page therefore strips a particle from a query word when what remains is a noun of
the index (``search.js``), and this module gives it those nouns and particles, found by Kiwi
(kiwipiepy, a maintained Korean analyzer whose model ships inside its package: nothing is
downloaded) in the words of the part's articles.

Kiwi reads each *distinct* word once, not every sentence: a stem is a word's leading nouns,
numbers or Latin letters, followed by particles only. Kiwi runs in a process of its own
(``analyzer``), shared by a build's workers, and the store keeps every word's analysis: a word
is analysed once for the archive, and a build whose words are all known loads no model.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
from collections.abc import Collection, Iterable, Mapping
from typing import Protocol

#: The file beside a Korean search part's index that the search page reads.
STEMS_FILE = "pressroom-stems.json"
#: A word with at least one Hangul syllable (Latin letters and digits may lead: HBM을, 1500억).
WORD_RE = re.compile(r"[0-9A-Za-z\uac00-\ud7a3]*[\uac00-\ud7a3][0-9A-Za-z\uac00-\ud7a3]*")
#: A word's analysis: (noun stem, particle), the particle "" for a bare noun; None for a word
#: that is not nouns followed by particles.
Analysis = tuple[str, str] | None


def applies(lang: str) -> bool:
    """True for a language whose search part gets stems: Korean."""
    return lang.split("-")[0].lower() == "ko"


def analyzer_version() -> str:
    """Versions of the analyzer and its model: a part made by another is made again."""
    try:
        return "kiwipiepy {} model {}".format(
            importlib.metadata.version("kiwipiepy"), importlib.metadata.version("kiwipiepy_model")
        )
    except importlib.metadata.PackageNotFoundError:
        return "missing"


class AnalyzerMissing(Exception):
    """kiwipiepy (or its model) is not installed, or its process stopped."""


class Analyses(Protocol):
    """Where a word's analysis comes from: the store, or else the analyzer's process."""

    def close(self) -> None:
        """Let go of what it holds open."""
        ...

    def share(self) -> None:
        """Make ready what workers forked after this call share."""
        ...

    def analyse(self, words: Collection[str]) -> Mapping[str, Analysis]:
        """Each of ``words`` with its analysis; AnalyzerMissing when one is needed and
        cannot be made."""
        ...


def words(texts: Iterable[str]) -> set[str]:
    """The distinct words of ``texts`` that carry Hangul."""
    found: set[str] = set()
    for text in texts:
        found.update(WORD_RE.findall(text))
    return found


def stems_file(texts: Iterable[str], analyses: Analyses) -> bytes:
    """The stems and particles of ``texts`` as the search page reads them (sorted: the same
    articles give the same bytes): 반도체를 gives 반도체 and 를; 반도체 alone gives 반도체;
    a verb or an adverb gives nothing."""
    stems: set[str] = set()
    particles: set[str] = set()
    for split in analyses.analyse(words(texts)).values():
        if split is not None:
            stem, particle = split
            stems.add(stem)
            if particle:
                particles.add(particle)
    data = {"stems": sorted(stems), "particles": sorted(particles, key=lambda p: (-len(p), p))}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
