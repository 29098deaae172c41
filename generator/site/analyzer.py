"""The Korean analyzer's own process: ``python -m generator.site.analyzer``.

Kiwi's model takes about 280 MB once loaded. A build's workers are forks of a process that
already holds the plan; loading the model in each of them made every worker that large again,
and the build's largest process twice its size. One process of its own (a fresh interpreter,
not a fork: it holds nothing else) serves every worker of a build instead, and loads the
model only when it is first asked about a word, which a build whose words are all known to
the store never does.

It reads one JSON list of words per line on stdin and answers one JSON line per request:
``{"analyses": [[stem, particle] or null, ...]}`` in the same order, or ``{"failed": why}``
when the analyzer cannot be loaded. It ends when stdin closes, which happens when the build
and its workers have ended however they ended.
"""

from __future__ import annotations

import contextlib
import json
import signal
import sys
import warnings
from typing import IO, Any

#: Kiwi's tags that make a stem: common, proper and bound nouns, numerals, pronouns, roots,
#: noun-forming suffixes (기업들), Latin letters, digits and Hanja.
STEM_TAGS = frozenset({"NNG", "NNP", "NNB", "NR", "NP", "XR", "XSN", "SL", "SN", "SH"})
#: The tags of particles (조사): case markers, auxiliaries, conjunctions, the copula's forms.
PARTICLE_PREFIX = "J"


def load_kiwi() -> Any:
    """Kiwi, ready to analyse; ImportError when kiwipiepy or its model is not installed."""
    from kiwipiepy import Kiwi  # type: ignore[import-untyped]  # only Korean parts need it

    # Without its typo and multi-word dictionaries (a word's nouns and particles need
    # neither) the model is ready in about half the time.
    with warnings.catch_warnings():
        # Since kiwipiepy 0.21 (our minimum) 0 means one thread, and it says so each time;
        # one thread is right here: the build's workers use the other cores.
        warnings.simplefilter("ignore", DeprecationWarning)
        return Kiwi(num_workers=0, load_typo_dict=False, load_multi_dict=False)


def stem_and_particle(word: str, tokens: list[tuple[str, str]]) -> tuple[str, str] | None:
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


def serve(requests: IO[str], answers: IO[str]) -> None:
    """Answer each request line until ``requests`` ends."""
    kiwi: Any = None
    failed = ""
    for line in requests:
        words = json.loads(line)
        if kiwi is None and not failed:
            try:
                kiwi = load_kiwi()
            except Exception as exc:  # ImportError, or a model file Kiwi cannot read
                failed = str(exc) or type(exc).__name__
        if failed:
            answer: dict[str, Any] = {"failed": failed}
        else:
            analyses = []
            for word in words:
                tokens = [(t.form, t.tag) for t in kiwi.tokenize(word)]
                analyses.append(stem_and_particle(word, tokens))
            answer = {"analyses": analyses}
        answers.write(json.dumps(answer, ensure_ascii=False) + "\n")
        answers.flush()


if __name__ == "__main__":
    # Ctrl-C reaches the whole process group: the build handles it and closes our stdin.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.stdin.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    with contextlib.suppress(BrokenPipeError):  # the build ended while a request was answered
        serve(sys.stdin, sys.stdout)
