"""The ids of the facts that come from input files: what a product can read of them.

A product's dependencies are these ids with the digests they had (build/facts.py gives each
its digest; site/context.py notes each read). The plan's structural answers have ids of their
own (``fact_id``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

#: Characters JSON escapes in a string (besides which a string is written as it is).
_ESCAPED = re.compile(r'["\\\x00-\x1f]')


def fact_id(question: str, *args: Any) -> str:
    """The fact id of one structural answer: ``plan.<question>`` with its arguments as JSON
    (the facts read it back to ask the question again)."""
    return "plan." + question + compact_json(args)


def compact_json(value: Any) -> str:
    """``value`` as compact JSON (``json.dumps`` with ``ensure_ascii=False`` and no spaces):
    a build asks the plan tens of thousands of questions and names as many products, with
    short strings, numbers and lists of them, written here without the encoder's set-up."""
    if isinstance(value, str):
        return (
            f'"{value}"'
            if _ESCAPED.search(value) is None
            else json.dumps(value, ensure_ascii=False)
        )
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, (tuple, list)):
        return "[" + ",".join(map(compact_json, value)) + "]"
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def settings_fact() -> str:
    """The settings, with the build's options (base URL override, drafts, future)."""
    return "settings"


def catalog_fact(lang: str) -> str:
    """A language's message catalog."""
    return f"catalog:{lang}"


def template_fact(name: str) -> str:
    """One template file."""
    return f"template:{name}"


def term_fact(taxonomy: str, term_id: str, lang: str = "") -> str:
    """One registry entry: all of it, or what a page in ``lang`` shows of it."""
    return f"term:{taxonomy}:{term_id}" + (f"@{lang}" if lang else "")


def article_fact(path: str) -> str:
    """An article as a whole: its front matter and its body."""
    return f"article:{path}"


def card_fact(path: str) -> str:
    """What a list entry or feed item shows of an article (see Placement.card)."""
    return f"card:{path}"


def file_fact(rel: str) -> str:
    """A file published as it is (a static file, an image)."""
    return f"file:{rel}"


def messages_fact(lang: str, template: str) -> str:
    """The translations of the messages one template shows, in ``lang``'s catalog."""
    return f"messages:{lang}:{template}"


def message_fact(lang: str, key: str) -> str:
    """One message of ``lang``'s catalog, by its message_key (a msgid, or a singular and
    plural pair)."""
    return f"message:{lang}:{key}"


def chrome_fact(lang: str) -> str:
    """What every page of ``lang`` shows around its own content (see site/frames.py)."""
    return f"chrome:{lang}"


def chrome_inputs(lang: str, closure: Iterable[str]) -> list[str]:
    """The facts ``lang``'s chrome is made of, ``closure`` being the templates its template
    uses: the settings, and each template with the translations of its messages. A chrome
    fact's digest is theirs (build/facts.py); the chrome may read nothing else."""
    found = [settings_fact()]
    for name in closure:
        found += (template_fact(name), messages_fact(lang, name))
    return found
