"""How long an article takes to read: Korean by characters, other languages by words."""

from __future__ import annotations

import html
import math
import re

#: Korean readers take in about 500 characters (spaces left out) a minute in running prose.
KOREAN_CHARACTERS_PER_MINUTE = 500
#: Adult readers of English manage about 230 words a minute in non-fiction.
WORDS_PER_MINUTE = 230

_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


def plain_text(body_html: str) -> str:
    """The text of an HTML fragment (tags dropped, entities decoded)."""
    # A regular expression is enough: the body is sanitized HTML, and an estimate is wanted.
    return html.unescape(_TAG.sub(" ", body_html))


def minutes(body_html: str, lang: str) -> int:
    """Whole minutes to read ``body_html`` in ``lang``, at least one."""
    text = plain_text(body_html)
    if lang == "ko":
        amount = len(_SPACE.sub("", text))
        rate = KOREAN_CHARACTERS_PER_MINUTE
    else:
        amount = len(_WORD.findall(text))
        rate = WORDS_PER_MINUTE
    return max(1, math.ceil(amount / rate))
