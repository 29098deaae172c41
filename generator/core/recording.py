"""What one product reads while it is made: the Recorder that the site context notes every
read with, shared by the producers (site/) and the incremental layer (build/incremental.py)
that turns the notes into dependencies."""

from __future__ import annotations

from collections.abc import Mapping


class UnknownFact(KeyError):
    """A producer read something that is not a fact: a bug in the producer or the plan."""


class Recorder:
    """The facts one product reads while it is made, with their digests."""

    def __init__(self, facts: Mapping[str, str]) -> None:
        self.facts = facts
        self.read: dict[str, str] = {}
        #: Where the chrome stands in each page file the product wrote (site/frames.py).
        self.frames: dict[str, tuple[tuple[str, int, int], ...]] = {}

    def __call__(self, fact: str) -> None:
        """Note that the product read ``fact``."""
        if fact not in self.read:
            try:
                self.read[fact] = self.facts[fact]
            except KeyError:
                raise UnknownFact(fact) from None
