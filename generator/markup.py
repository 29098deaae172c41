"""Markdown → HTML, and the plain-text teaser cut from an article's first paragraph."""

from __future__ import annotations

import unicodedata
from html.parser import HTMLParser

import markdown

EXTENSIONS = ["extra", "sane_lists", "smarty"]

#: Teaser length: Korean is counted in characters, other languages in words.
SUMMARY_CHARS = 120
SUMMARY_WORDS = 40
ELLIPSIS = "…"


class MarkdownRenderer:
    """One reusable Python-Markdown instance (building one is far dearer than reset())."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=EXTENSIONS, output_format="html")

    def render(self, text: str) -> str:
        """Return the HTML of one Markdown document."""
        self._md.reset()
        return self._md.convert(text)


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
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def derive_summary(html: str, lang: str) -> str:
    """Return a teaser from the first paragraph, cut at a word boundary with an ellipsis."""
    text = unicodedata.normalize("NFC", first_paragraph_text(html))
    if lang == "ko":
        return cut_characters(text, SUMMARY_CHARS)
    return cut_words(text, SUMMARY_WORDS)


def cut_words(text: str, limit: int) -> str:
    """Keep at most ``limit`` whole words."""
    words = text.split()
    if len(words) <= limit:
        return text
    return " ".join(words[:limit]).rstrip(",;:") + ELLIPSIS


def cut_characters(text: str, limit: int) -> str:
    """Keep at most ``limit`` characters, ending at a space when one is near.

    Korean separates words (eojeol) with spaces, so backing up to a space keeps a particle
    with its noun; a text with no space is cut between characters, never inside one
    (a combining mark or a trailing jamo stays with its base).
    """
    if len(text) <= limit:
        return text
    head = text[:limit]
    space = head.rfind(" ")
    if space >= limit // 2:
        head = head[:space]
    else:
        end = limit
        while end > 0 and _continues_cluster(text[end]):
            end -= 1
        head = text[:end]
    return head.rstrip(",;:·") + ELLIPSIS


def _continues_cluster(char: str) -> bool:
    """True for a character that belongs to the one before it (a mark, a medial/final jamo)."""
    return bool(unicodedata.combining(char)) or "\u1160" <= char <= "\u11ff"
