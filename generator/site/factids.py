"""The ids of the facts that come from input files: what a product can read of them.

A product's dependencies are these ids with the digests they had (build/facts.py gives each
its digest; site/context.py notes each read). The plan's structural answers have ids of their
own (site/plan.fact_id).
"""

from __future__ import annotations



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
