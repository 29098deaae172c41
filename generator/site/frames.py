"""A page as its own parts and its language's chrome (templates/_chrome.html: the skip link,
the site's navigation, the footer), and how a page is re-framed when only the chrome changed.

Every page of a language shows the same chrome. It is rendered once per language; a page's
template sees only a placeholder for each part (``chrome.footer``), and the part is set in
where the placeholder stands once the page is rendered, at byte offsets the build records
(the page's *frames*). Every page gets every placeholder, whatever the chrome template holds
(a part it lacks is empty), so what the template did around them cannot depend on the chrome:
a page whose own facts are unchanged is exactly its old bytes with the new parts set in at
those offsets, and a change to the chrome re-frames 8,800 pages instead of rendering them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from markupsafe import Markup

#: The template of the chrome, and the blocks of it that pages show.
CHROME_TEMPLATE = "_chrome.html"
PARTS = ("skip_link", "site_nav", "footer")

#: Where each part stands in one file: (part, start, end) byte offsets, in order.
Frames = tuple[tuple[str, int, int], ...]

#: What a page's template gets as ``chrome``. Pages show no NUL; were one to show this text,
#: it would be set in there too, the same way by a clean build and by a re-framing one.
PLACEHOLDERS: Mapping[str, Markup] = {part: Markup(f"\x00chrome:{part}\x00") for part in PARTS}
_PLACEHOLDER = re.compile("\x00chrome:(" + "|".join(PARTS) + ")\x00")


def frame(html: str, parts: Mapping[str, str]) -> tuple[bytes, Frames]:
    """A rendered page's bytes, with ``parts`` set in for its placeholders, and where."""
    pieces = _PLACEHOLDER.split(html)  # text, part, text, part, …, text
    out = bytearray(pieces[0].encode("utf-8"))
    frames = []
    for at in range(1, len(pieces), 2):
        start = len(out)
        out += parts[pieces[at]].encode("utf-8")
        frames.append((pieces[at], start, len(out)))
        out += pieces[at + 1].encode("utf-8")
    return bytes(out), tuple(frames)


def reframe(old: bytes, frames: Frames, parts: Mapping[str, str]) -> tuple[bytes, Frames] | None:
    """``old`` (a page as ``frame`` made it) with the new ``parts`` set in; None when
    ``frames`` do not fit it (a damaged record: the page is then rendered again)."""
    out = bytearray()
    moved = []
    at = 0
    for part, start, end in frames:
        if part not in parts or not at <= start <= end <= len(old):
            return None
        out += old[at:start]
        begin = len(out)
        out += parts[part].encode("utf-8")
        moved.append((part, begin, len(out)))
        at = end
    out += old[at:]
    return bytes(out), tuple(moved)
