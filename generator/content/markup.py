"""Markdown → HTML, and the plain-text teaser cut from an article's first paragraph."""

from __future__ import annotations

import functools
import re
import signal
import threading
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import markdown
import nh3
from markdown.extensions.footnotes import FootnoteExtension

from generator.content.links import (
    BACKLINK_PLACEHOLDER,
    LinkExtension,
    LinkProblem,
    LinkRecorder,
    LinkRef,
)
from generator.core.files import FORBIDDEN, describe_character

# No "smarty": typographic quotes doubled the cost of rendering an article.
EXTENSIONS = ["extra", "sane_lists"]

#: Deeper nesting than this is refused before parsing: Python-Markdown recurses per level and
#: a few thousand levels take it minutes, then a RecursionError.
MAX_NESTING = 32

#: What may survive from raw HTML in Markdown: what Markdown itself produces, and nothing
#: that runs script, loads a frame or styles the page (obsolete tags are left out as well).
ALLOWED_TAGS = frozenset(nh3.ALLOWED_TAGS - {"acronym", "center", "strike", "tt"})
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "hreflang", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan", "headers", "style"},
    "th": {"colspan", "rowspan", "headers", "scope", "style"},
    "time": {"datetime"},
    "data": {"value"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "abbr": {"title"},
    "bdo": {"dir"},
}
#: Footnotes and heading anchors need id and class; lang marks a quotation in another language.
GENERIC_ATTRIBUTES = {"id", "class", "lang", "dir", "title"}
URL_SCHEMES = {"http", "https", "mailto"}

#: Teaser length: Korean is counted in characters, other languages in words.
SUMMARY_CHARS = 120
SUMMARY_WORDS = 40


#: Python-Markdown is quadratic on some inputs (thousands of setext headings or definitions);
#: an article that takes this long is refused rather than left to hang the build.
MAX_RENDER_SECONDS = 5


class RenderTimeout(Exception):
    """Rendering one article took longer than MAX_RENDER_SECONDS."""


def _on_alarm(signum: int, frame: object) -> None:
    raise RenderTimeout


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise RenderTimeout inside the block after ``seconds`` (main thread on POSIX only;
    elsewhere the block runs unbounded)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True, slots=True)
class RenderedBody:
    """An article body as HTML, with the local links it holds and the link mistakes in it."""

    html: str
    links: tuple[LinkRef, ...]
    problems: tuple[LinkProblem, ...]


class MarkdownRenderer:
    """One reusable Python-Markdown instance (building one is far dearer than reset())."""

    def __init__(self, allow_html: Mapping[str, Sequence[str]] | None = None) -> None:
        self._links = LinkRecorder()
        self._md = self._new_markdown()
        extra = allow_html or {}
        self._tags = set(ALLOWED_TAGS | extra.keys())
        self._attributes = {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}
        for tag, names in extra.items():
            self._attributes.setdefault(tag, set()).update(names)
        self._attributes["*"] = set(GENERIC_ATTRIBUTES)

    def _new_markdown(self) -> markdown.Markdown:
        md = markdown.Markdown(
            extensions=[*EXTENSIONS, LinkExtension(self._links)], output_format="html"
        )
        footnotes = next(e for e in md.registeredExtensions if isinstance(e, FootnoteExtension))
        # The back-link's title is in the page's language: a placeholder here, written when
        # the page is (links.resolve_placeholders), so that parsing needs no catalog.
        footnotes.setConfig("BACKLINK_TITLE", BACKLINK_PLACEHOLDER)
        return md

    def render(
        self, text: str, source_path: str = "", first_line: int = 1, lang: str = ""
    ) -> RenderedBody:
        """Render the Markdown body of ``source_path`` (which starts at ``first_line``)."""
        self._md.reset()
        self._links.start(source_path, text, first_line)
        try:
            with time_limit(MAX_RENDER_SECONDS):
                html = self._md.convert(text)
        except (RecursionError, RenderTimeout) as exc:
            self._md = self._new_markdown()  # an interrupted instance is not to be trusted
            why = (
                f"took more than {MAX_RENDER_SECONDS} s to render"
                if isinstance(exc, RenderTimeout)
                else "is nested too deeply to render"
            )
            problem = LinkProblem(first_line, f"Markdown {why}: split or simplify the body")
            return RenderedBody("", (), (problem,))
        clean = nh3.clean(
            html,
            attribute_filter=_safe_attribute,
            tags=self._tags,
            attributes=self._attributes,
            url_schemes=URL_SCHEMES,
            link_rel=None,
            filter_style_properties={"text-align"},
        )
        # character_reference_problem has refused what could make these; the body of a page
        # and of a feed item must never hold one all the same.
        clean = FORBIDDEN.sub("\ufffd", clean)
        return RenderedBody(clean, tuple(self._links.refs), tuple(self._links.problems))


#: Attributes holding a URL that ammonia does not check against URL_SCHEMES itself.
_URL_ATTRIBUTES = frozenset({"cite"})


def _safe_attribute(element: str, attribute: str, value: str) -> str | None:
    """nh3's attribute filter: drop a ``cite`` whose URL could run script when followed
    (``javascript:``, ``data:``); keep relative URLs and the schemes links may use."""
    if attribute not in _URL_ATTRIBUTES:
        return value
    scheme = urlsplit(value.strip()).scheme.lower() if ":" in value else ""
    if scheme and scheme not in URL_SCHEMES:
        return None
    if any(ord(c) < 0x21 for c in value.strip()):
        return None  # "java\tscript:" and the like
    return value


def nesting_problem(text: str) -> tuple[int, str] | None:
    """Return (line, message) when ``text`` nests quotes, lists or brackets too deeply."""
    for number, line in enumerate(text.split("\n"), start=1):
        expanded = line.expandtabs(4)
        prefix = expanded[: len(expanded) - len(expanded.lstrip(" >"))]
        depth = max(prefix.count(">"), (len(expanded) - len(expanded.lstrip(" "))) // 4)
        if line.count("[") + line.count("(") > MAX_NESTING:  # rare: only then scan closely
            depth = max(depth, _bracket_depth(line))
        if depth > MAX_NESTING:
            return number, f"Markdown nested more than {MAX_NESTING} levels deep"
    return None


_CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def character_reference_problem(text: str) -> tuple[int, str] | None:
    """(line, message) for a numeric character reference (``&#11;``) naming a character that
    no page or feed may hold. References HTML maps elsewhere (C1 controls to Windows-1252
    letters, NUL and out-of-range numbers to U+FFFD) are left to it."""
    for match in _CHARACTER_REFERENCE.finditer(text):
        hexadecimal, decimal = match.groups()
        code = int(hexadecimal, 16) if hexadecimal else int(decimal)
        if code == 0 or 0x80 <= code <= 0x9F or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            continue
        if FORBIDDEN.fullmatch(chr(code)):
            line = text.count("\n", 0, match.start()) + 1
            return line, (
                f"character reference {match.group()} stands for {describe_character(chr(code))}, "
                "which pages and feeds cannot hold: delete it"
            )
    return None


def _bracket_depth(line: str) -> int:
    depth = deepest = 0
    for char in line:
        if char in "[(":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "])" and depth:
            depth -= 1
    return deepest


class _FirstParagraph(HTMLParser):
    """Collects the text of the first <p> of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.done = False
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p" and not self.done:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self.depth:
            self.depth -= 1
            self.done = self.depth == 0

    def handle_data(self, data: str) -> None:
        if self.depth and not self.done:
            self.parts.append(data)


def first_paragraph_text(html: str) -> str:
    """Return the plain text of the first paragraph of ``html``, whitespace folded."""
    parser = _FirstParagraph()
    # Only the first paragraph is read: the rest of the body need not be parsed at all.
    end = html.find("</p>")
    parser.feed(html if end < 0 else html[: end + len("</p>")])
    parser.close()
    return " ".join("".join(parser.parts).split())


def derive_summary(html: str, lang: str) -> str:
    """A teaser from the first paragraph: as many of its first whole sentences as fit in
    SUMMARY_CHARS characters (Korean) or SUMMARY_WORDS words, and at least the first one.
    It always ends where a sentence does, never mid-phrase."""
    text = " ".join(unicodedata.normalize("NFC", first_paragraph_text(html)).split())
    if not text:
        return ""
    if lang == "ko":
        return _first_sentences(korean_sentences(text), SUMMARY_CHARS, len)
    return _first_sentences(sentences(text, lang), SUMMARY_WORDS, lambda s: len(s.split()))


def _first_sentences(found: list[str], limit: int, size: Callable[[str], int]) -> str:
    kept = found[:1]
    for sentence in found[1:]:
        if size(" ".join([*kept, sentence])) > limit:
            break
        kept.append(sentence)
    return " ".join(kept)


#: A Korean sentence ends with a full stop, question or exclamation mark, possibly inside a
#: closing quote or bracket, before a space: after a Hangul syllable (…했다. …인가?), a per
#: cent sign or a bracket (35%. …(현지시간).), or a word of two Latin letters or more
#: (…HBM.). A digit (2025. 8. 26.) or a single letter (U.S.) before the stop does not end one.
KOREAN_SENTENCE_END = re.compile(
    r"(?:(?<=[\uac00-\ud7a3%)\]][.?!])|(?<=[A-Za-z]{2}[.?!]))(?:[\"\u201d\u2019')\]]*)(?=\s|$)"
)


def korean_sentences(text: str) -> list[str]:
    """Korean text cut into sentences at its sentence endings (a number such as 1.5 or an
    English abbreviation such as U.S. does not end one)."""
    found, start = [], 0
    for match in KOREAN_SENTENCE_END.finditer(text):
        found.append(text[start : match.end()].strip())
        start = match.end()
    rest = text[start:].strip()
    if rest:
        found.append(rest)
    return [sentence for sentence in found if sentence]


@functools.cache
def _segmenter(lang: str) -> Any:
    import pysbd  # type: ignore[import-untyped]  # (no stubs) only derived summaries need it

    try:
        return pysbd.Segmenter(language=lang, clean=False)
    except ValueError:  # a language pysbd has no rules for: English full stops
        return pysbd.Segmenter(language="en", clean=False)


def sentences(text: str, lang: str) -> list[str]:
    """Text cut into sentences by pysbd's rules for ``lang`` (abbreviations such as U.S.,
    D.C., Mr. or 3 p.m. do not end a sentence)."""
    return [s.strip() for s in _segmenter(lang.split("-")[0]).segment(text) if s.strip()]
