"""Reading a built pressroom site the way a browser would, for tests.

Other test modules may import this module; its public API is these six functions, and none of
them changes anything on disk:

``iter_pages(site)``
    Every HTML file of a built site, sorted.
``parse(path)``
    One HTML file as an lxml.html document.
``page_url(site, path, base_url)``
    The URL a built file is served at (``.../index.html`` is served as its directory).
``resolve(site, href, base_url, page_url)``
    The built file a link leads to, or None when it leads off the site.
``alternates(doc)``
    A page's ``<link rel="alternate" hreflang>`` targets, hreflang → URL.
``readable_text(doc)``
    Every piece of text a reader sees or hears, with the language it is marked up in.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
from lxml.html import HtmlElement

__all__ = ["alternates", "iter_pages", "page_url", "parse", "readable_text", "resolve"]

#: Elements whose text is never shown.
_HIDDEN = frozenset({"script", "style", "template"})
#: Attributes whose values a reader sees (tooltips, alt text) or hears (screen readers).
_READABLE_ATTRIBUTES = ("aria-label", "alt", "title")


def iter_pages(site: Path) -> list[Path]:
    """Return every ``*.html`` file under ``site``, sorted by path."""
    return sorted(site.rglob("*.html"))


def parse(path: Path) -> HtmlElement:
    """Parse one HTML file (as UTF-8, whatever the file claims)."""
    parser = lxml.html.HTMLParser(encoding="utf-8")
    return lxml.html.document_fromstring(path.read_bytes(), parser=parser)


def page_url(site: Path, path: Path, base_url: str) -> str:
    """Return the absolute URL ``path`` (a file under ``site``) is served at.

    ``site/en/index.html`` under ``https://host/base/`` is ``https://host/base/en/``.
    """
    rel = path.relative_to(site).as_posix()
    if rel == "index.html":
        rel = ""
    elif rel.endswith("/index.html"):
        rel = rel[: -len("index.html")]
    return base_url + rel


def resolve(site: Path, href: str, base_url: str, page_url: str) -> Path | None:
    """Return the file under ``site`` that ``href``, written on the page at ``page_url``, leads to.

    Relative, root-relative and absolute links are all understood; the query and fragment are
    dropped and a directory means its ``index.html``. The file may not exist (a dead link).
    Return None when the link leaves the site: another scheme or host, or a path outside
    ``base_url``'s path on the same host.
    """
    target = urlsplit(urljoin(page_url, href))
    base = urlsplit(base_url)
    if (target.scheme, target.netloc) != (base.scheme, base.netloc):
        return None
    path = unquote(target.path)
    if not path.startswith(base.path):
        return None
    rel = PurePosixPath(path[len(base.path) :])
    if ".." in rel.parts:
        return None
    file = site.joinpath(*rel.parts)
    if path.endswith("/") or not rel.parts:
        file = file / "index.html"
    return file


def alternates(doc: HtmlElement) -> dict[str, str]:
    """Return hreflang → URL of a page's ``<link rel="alternate" hreflang>`` elements.

    A hreflang listed twice keeps its first URL; a test wanting duplicates should use xpath.
    """
    found: dict[str, str] = {}
    for link in doc.xpath("//head/link[@hreflang]"):
        if "alternate" in (link.get("rel") or "").split():
            found.setdefault(link.get("hreflang"), link.get("href", ""))
    return found


def _language(element: HtmlElement) -> str | None:
    """The language ``element``'s content is in: its own or its nearest ancestor's lang."""
    for node in (element, *element.iterancestors()):
        lang = node.get("lang")
        if lang is not None:
            return lang
    return None


def _visible(element: HtmlElement) -> bool:
    return not any(
        node.tag in _HIDDEN or node.get("hidden") is not None
        for node in (element, *element.iterancestors())
    )


def readable_text(doc: HtmlElement) -> Iterator[tuple[str, str | None]]:
    """Yield (text, language) for each text a reader meets: the ``<title>``, every text node
    of ``<body>`` and the ``aria-label``, ``alt`` and ``title`` attributes in ``<body>``.

    The language is that of the nearest ``lang`` attribute (the node's own element for its
    text, the parent for a tail). Whitespace-only texts, scripts, styles, comments and
    ``hidden`` elements are left out; texts are returned as written, not normalized.
    """
    for title in doc.xpath("//head/title"):
        if (title.text or "").strip():
            yield title.text, _language(title)
    for body in doc.xpath("//body"):
        for element in body.iter():
            if not isinstance(element.tag, str):  # comment or processing instruction
                parent = element.getparent()
                if element.tail and element.tail.strip() and _visible(parent):
                    yield element.tail, _language(parent)
                continue
            if _visible(element):
                if element.text and element.text.strip():
                    yield element.text, _language(element)
                for name in _READABLE_ATTRIBUTES:
                    value = element.get(name)
                    if value and value.strip():
                        yield value, _language(element)
            parent = element.getparent()
            if (
                element is not body
                and element.tail
                and element.tail.strip()
                and parent is not None
                and _visible(parent)
            ):
                yield element.tail, _language(parent)
