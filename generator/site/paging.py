"""How a list of articles is cut into pages.

A list is cut from its oldest end, so that a page keeps its articles while the list grows:
page 1 holds the oldest ``size``, page 2 the next, and so on. The list's first page (number 0,
at the list's own address) holds the newest ones, those the numbered pages leave: one to two
pages' worth. An article added to the list changes its first page and, once every ``size``
articles, the newest numbered page's link to the newer ones; no other page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


class Listed(Protocol):
    """An article as a list holds it (a Placement)."""

    @property
    def path(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Listing:
    """One page of a list of articles (see the module's docstring)."""

    #: Source paths of the articles on this page, newest first.
    members: tuple[str, ...]
    #: 0 for the first page, else the page's number counted from the oldest.
    number: int
    #: The number of the older and of the newer page (None: there is none).
    older: int | None
    newer: int | None
    #: On the first page alone (0 on the others, which show no count): how many numbered
    #: pages follow it, how many articles the list has, and how many of them have no
    #: version in the list's language (shown marked).
    pages: int = 0
    total: int = 0
    foreign: int = 0


def numbered_pages(total: int, size: int) -> int:
    """How many numbered pages a list of ``total`` articles has."""
    return max(0, total // size - 1)


def numbered_page(articles: Sequence[Listed], number: int, size: int) -> Listing:
    """Page ``number`` (1: the oldest) of the list ``articles``, newest first."""
    pages = numbered_pages(len(articles), size)
    end = len(articles) - (number - 1) * size
    members = tuple(a.path for a in articles[end - size : end])
    return Listing(members, number, number - 1 or None, number + 1 if number < pages else 0)


def first_page(articles: Sequence[Listed], size: int, foreign: int) -> Listing:
    """The first page of the list ``articles``, newest first, of which ``foreign`` have no
    version in the list's language."""
    pages = numbered_pages(len(articles), size)
    members = tuple(a.path for a in articles[: len(articles) - pages * size])
    return Listing(members, 0, pages or None, None, pages, len(articles), foreign)
