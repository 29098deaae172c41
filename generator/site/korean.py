"""What Korean search needs of a morphological analyzer: the noun stems of a search part.

Korean attaches particles to nouns (반도체를, 원전을, 삼성전자의). Pagefind splits words on
spaces and matches a query word as a prefix, so the bare noun 반도체 already finds 반도체를
and 반도체와; a query that carries a particle does not find the bare noun or its other forms.
The search page therefore strips a particle from a query word when what remains is a noun of
the index (``search.js``), and this module gives it those nouns and particles, found by Kiwi
(kiwipiepy, a maintained Korean analyzer whose model ships inside its package: nothing is
downloaded) in the words of the part's articles.

Kiwi reads each *distinct* word once, not every sentence: a stem is a word's leading nouns,
numbers or Latin letters, followed by particles only. That costs well under a millisecond a
word, plus making the model ready (about 1.7 s) in a process that makes a Korean part; a part
is made again only when its articles change, so an edit elsewhere loads nothing.
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
import os
import re
import warnings
from collections.abc import Iterable
from typing import Any

#: The file beside a Korean search part's index that the search page reads.
STEMS_FILE = "pressroom-stems.json"
#: A word with at least one Hangul syllable (Latin letters and digits may lead: HBM을, 1500억).
WORD_RE = re.compile(r"[0-9A-Za-z\uac00-\ud7a3]*[\uac00-\ud7a3][0-9A-Za-z\uac00-\ud7a3]*")
#: Kiwi's tags that make a stem: common, proper and bound nouns, numerals, pronouns, roots,
#: noun-forming suffixes (기업들), Latin letters, digits and Hanja.
STEM_TAGS = frozenset({"NNG", "NNP", "NNB", "NR", "NP", "XR", "XSN", "SL", "SN", "SH"})
#: The tags of particles (조사): case markers, auxiliaries, conjunctions, the copula's forms.
PARTICLE_PREFIX = "J"


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
    """kiwipiepy (or its model) is not installed."""


def _kiwi() -> Any:
    """This process's analyzer, made on first use."""
    return _kiwi_of(os.getpid())


@functools.cache
def _kiwi_of(pid: int) -> Any:
    # One per process: builds fork workers, and an analyzer is never shared across a fork.
    try:
        from kiwipiepy import Kiwi  # type: ignore[import-untyped]  # only Korean parts need it
    except ImportError as exc:
        raise AnalyzerMissing(str(exc)) from None
    # No thread pool (num_workers=0): a pool's threads do not survive the fork of a build's
    # workers, and one word at a time is fast enough. Without its typo and multi-word
    # dictionaries (a word's nouns and particles need neither) the model is ready in about
    # half the time.
    with warnings.catch_warnings():
        # Since kiwipiepy 0.21 (our minimum) 0 means one thread, and it says so each time.
        warnings.simplefilter("ignore", DeprecationWarning)
        return Kiwi(num_workers=0, load_typo_dict=False, load_multi_dict=False)


def words(texts: Iterable[str]) -> set[str]:
    """The distinct words of ``texts`` that carry Hangul."""
    found: set[str] = set()
    for text in texts:
        found.update(WORD_RE.findall(text))
    return found


def stems_file(texts: Iterable[str]) -> bytes:
    """The stems and particles of ``texts`` as the search page reads them (sorted: the same
    articles give the same bytes)."""
    stems, particles = analyse(words(texts))
    data = {"stems": sorted(stems), "particles": sorted(particles, key=lambda p: (-len(p), p))}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def analyse(distinct: Iterable[str]) -> tuple[set[str], set[str]]:
    """The noun stems and the particles found in ``distinct`` words: 반도체를 gives 반도체 and
    를; 반도체 alone gives 반도체; a verb or an adverb gives nothing."""
    ordered = sorted(distinct)
    stems: set[str] = set()
    particles: set[str] = set()
    if not ordered:
        return stems, particles
    for word in ordered:
        split = _analysed(word)
        if split is not None:
            stem, particle = split
            stems.add(stem)
            if particle:
                particles.add(particle)
    return stems, particles


@functools.lru_cache(maxsize=1 << 17)
def _analysed(word: str) -> tuple[str, str] | None:
    """One word's (stem, particle), or None. Kept for the process: most words of an index
    part are in others too, and a build analyses every part of the archive."""
    return _stem_and_particle(word, [(t.form, t.tag) for t in _kiwi().tokenize(word)])


def _stem_and_particle(word: str, tokens: list[tuple[str, str]]) -> tuple[str, str] | None:
    """(stem, particle) when ``word`` is nouns followed by particles only; the particle is ""
    for a bare noun. None otherwise, and when the analysis does not spell the word (Kiwi
    restores contracted forms, which the word does not contain)."""
    count = 0
    while count < len(tokens) and tokens[count][1] in STEM_TAGS:
        count += 1
    if count == 0 or any(not tag.startswith(PARTICLE_PREFIX) for _, tag in tokens[count:]):
        return None
    stem = "".join(form for form, _ in tokens[:count])
    if not word.startswith(stem):
        return None
    particle = word[len(stem) :]
    if particle != "".join(form for form, _ in tokens[count:]):
        return None
    return stem, particle
