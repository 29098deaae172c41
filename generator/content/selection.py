"""Which articles a build publishes: drafts and scheduled articles are left out unless asked
for. Kept apart from the library so that a build's first steps import nothing heavy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.content.placement import Placement


@dataclass(frozen=True, slots=True)
class Selection:
    """Which articles a build publishes."""

    #: Include articles marked ``draft: true``.
    drafts: bool = False
    #: Include articles dated after ``now`` (scheduled).
    future: bool = False
    #: The moment separating published from scheduled articles.
    now: dt.datetime | None = None

    def publishes(self, article: Placement) -> bool:
        """True when ``article`` belongs in this build."""
        if article.draft and not self.drafts:
            return False
        return self.future or self.now is None or article.timestamp <= self.now.timestamp()

    def options(self) -> tuple[bool, bool]:
        """What of the selection a build's output depends on besides the clock."""
        return (self.drafts, self.future)
