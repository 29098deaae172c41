"""Links inside article bodies: to other articles by their source file, to local images, and
to absolute site paths.

While Markdown is rendered, such links are replaced by placeholders and recorded with the
line they were written on; the placeholders are resolved once the whole archive is known
(the target's URL depends on the page's language and on the base URL), so an article's
rendered HTML depends on nothing but its own file.

A placeholder is the index of its link in the article's list (``/__pressroom__/3``), never
the target itself: a file named ``a&b.en.md`` or ``x#y.en.md`` then needs no escaping, and
the resolved URL goes into the attribute through one escaping step.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import unquote, urlsplit

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

#: Placeholder prefix; reserved: an article that writes it is refused (see reserved_problem).
PLACEHOLDER = "/__pressroom__/"
PLACEHOLDER_RE = re.compile(r'(href|src)="/__pressroom__/(\d+)"')
#: The title of a footnote's back-link, numbered by Python-Markdown (str.format).
BACKLINK_PLACEHOLDER = PLACEHOLDER + "backlink/{}"
BACKLINK_RE = re.compile(r'title="/__pressroom__/backlink/(\d+)"')

#: Element ids the page layout uses; an article body may not claim them ({#main} on a heading).
RESERVED_IDS = frozenset({"main", "not-translated"})

ARTICLE = "article"
MEDIA = "media"
SITE = "site"


@dataclass(frozen=True, slots=True)
class LinkRef:
    """One link in a body that the build must check and resolve."""

    #: ARTICLE (target: a source file path), MEDIA (a local file) or SITE (a site path).
    kind: str
    #: For ARTICLE and MEDIA, the path relative to the site directory; for SITE, the path
    #: without its leading "/".
    target: str
    #: Line of the file the link was written on.
    line: int
    #: The "#fragment" written after the target, or "".
    fragment: str = ""


@dataclass(frozen=True, slots=True)
class LinkProblem:
    """A link mistake found while rendering (e.g. an image without alt text)."""

    line: int
    message: str


class LinkRecorder:
    """Collects the links of the document being rendered."""

    def __init__(self) -> None:
        self.source_path = ""
        self.lines: list[str] = []
        self.first_line = 1
        self.refs: list[LinkRef] = []
        self.problems: list[LinkProblem] = []

    def start(self, source_path: str, text: str, first_line: int) -> None:
        """Prepare for one document: ``source_path`` is the article, relative to the site."""
        self.source_path = source_path
        self.lines = text.split("\n")
        self.first_line = first_line
        self.refs = []
        self.problems = []

    def line_of(self, needle: str) -> int:
        """The file line where ``needle`` first appears in the body."""
        for index, line in enumerate(self.lines):
            if needle in line:
                return self.first_line + index
        return self.first_line

    def placeholder(self, url: str, *, image: bool) -> str | None:
        """Return the placeholder for ``url``, or None to leave it as written."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path:
            return None  # external, protocol-relative or a same-page #fragment
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        path = unquote(parts.path)
        line = self.line_of(url)
        if path.startswith("/"):
            return self._record(LinkRef(SITE, path.lstrip("/"), line, fragment))
        resolved = local_file(path, self.source_path)
        if resolved is None:
            self.problems.append(LinkProblem(line, f"link '{url}' leads outside content/"))
            return None
        kind = ARTICLE if resolved.endswith(".md") and not image else MEDIA
        return self._record(LinkRef(kind, resolved, line, fragment))

    def _record(self, ref: LinkRef) -> str:
        self.refs.append(ref)
        return f"{PLACEHOLDER}{len(self.refs) - 1}"


def local_file(path: str, article_path: str) -> str | None:
    """A file an article names (relative to its folder, or from the site directory as
    content/...), relative to the site directory; None when it would leave content/."""
    if path.startswith("content/"):
        resolved = posixpath.normpath(path)
    else:
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(article_path), path))
    if not resolved.startswith("content/") or resolved.startswith("content/.."):
        return None
    return resolved


class _LinkTreeprocessor(Treeprocessor):
    """Swaps local links for placeholders and checks images for alt text."""

    def __init__(self, md: Markdown, recorder: LinkRecorder) -> None:
        super().__init__(md)
        self.recorder = recorder

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.get("id") in RESERVED_IDS:
                self.recorder.problems.append(
                    LinkProblem(
                        self.recorder.line_of("#" + (element.get("id") or "")),
                        f"id '{element.get('id')}' is used by the page layout; choose another",
                    )
                )
            if element.tag == "a" and element.get("href"):
                self._swap(element, "href", image=False)
            elif element.tag == "img":
                if not (element.get("alt") or "").strip():
                    src = element.get("src") or ""
                    self.recorder.problems.append(
                        LinkProblem(
                            self.recorder.line_of(src) if src else self.recorder.first_line,
                            f"image '{src}' has no alt text: write ![what it shows]({src})",
                        )
                    )
                if element.get("src"):
                    self._swap(element, "src", image=True)

    def _swap(self, element: etree.Element, attribute: str, *, image: bool) -> None:
        replacement = self.recorder.placeholder(element.get(attribute) or "", image=image)
        if replacement is not None:
            element.set(attribute, replacement)


class LinkExtension(Extension):
    """Registers the link treeprocessor after inline patterns have made the <a> and <img>."""

    def __init__(self, recorder: LinkRecorder) -> None:
        super().__init__()
        self.recorder = recorder

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_LinkTreeprocessor(md, self.recorder), "pressroom-links", 5)


def resolve_placeholders(
    html: str,
    refs: Sequence[LinkRef],
    resolve: Callable[[LinkRef], str],
    backlink_title: str = "",
) -> str:
    """Replace every placeholder in ``html`` with ``resolve(ref)`` plus its fragment, and
    every footnote back-link title with ``backlink_title`` (a gettext string with %d), each
    escaped for the attribute it stands in."""
    if PLACEHOLDER not in html:
        return html

    def swap(match: re.Match[str]) -> str:
        attribute, index = match.groups()
        ref = refs[int(index)]
        return f'{attribute}="{escape(resolve(ref) + ref.fragment, quote=True)}"'

    def title(match: re.Match[str]) -> str:
        text = backlink_title.replace("%d", match.group(1)) if backlink_title else ""
        return f'title="{escape(text, quote=True)}"'

    return BACKLINK_RE.sub(title, PLACEHOLDER_RE.sub(swap, html))


def reserved_problem(body: str) -> tuple[int, str] | None:
    """(line, message) when a body writes the build's own placeholder prefix."""
    at = body.find(PLACEHOLDER.strip("/"))
    if at < 0:
        return None
    line = body.count("\n", 0, at) + 1
    return line, f"'{PLACEHOLDER}' is reserved for links the build makes; link the page itself"
