"""What Korean search's morphological analyzer costs on a corpus, measured in a fresh process.

``measure(work)`` runs, in a new interpreter (so the model load is a cold one, as in a build):
loading Kiwi's model, collecting the distinct Hangul words of every Korean article body (as
``generator.site.korean`` does for each search part) and analysing them, as the analyzer's
process (``generator.site.analyzer``) does for the words the store does not know yet.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SCRIPT = r"""
import json, sys, time
from pathlib import Path
from generator.site import analyzer, korean
texts = [p.read_text(encoding="utf-8") for p in Path(sys.argv[1]).rglob("*.ko.md")]
started = time.perf_counter()
kiwi = analyzer.load_kiwi()
kiwi.tokenize("준비")  # the model is ready once it has analysed a word
loaded = time.perf_counter()
words = korean.words(texts)
collected = time.perf_counter()
stems = set()
for word in sorted(words):
    split = analyzer.stem_and_particle(word, [(t.form, t.tag) for t in kiwi.tokenize(word)])
    if split is not None:
        stems.add(split[0])
done = time.perf_counter()
print(json.dumps({"articles": len(texts), "words": len(words), "stems": len(stems),
                  "load": loaded - started, "collect": collected - loaded,
                  "analyse": done - collected}))
"""


@dataclass(frozen=True)
class AnalyzerCost:
    articles: int
    words: int
    stems: int
    load: float
    collect: float
    analyse: float

    def describe(self) -> str:
        per_thousand = self.analyse / self.words * 1000 if self.words else 0.0
        return (
            f"Korean analyzer (Kiwi): model ready in {self.load:.2f} s; {self.words:,} distinct"
            f" words of {self.articles:,} Korean articles collected in {self.collect:.2f} s and"
            f" analysed in {self.analyse:.2f} s ({per_thousand * 1000:.1f} ms per 1,000 words),"
            f" {self.stems:,} stems"
        )


def measure(work: Path, timeout: float) -> AnalyzerCost:
    """Time the analyzer over the Korean articles of the site directory ``work``."""
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(work / "content" / "articles")],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr else "failed")
    return AnalyzerCost(**json.loads(done.stdout))
