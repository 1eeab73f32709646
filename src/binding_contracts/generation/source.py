"""Where generated values come from: a Hypothesis ``draw`` or a seeded ``random.Random``, behind one
small interface, so that one construction serves the strategies, the Faker provider and the CLI."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Protocol, TypeVar

T = TypeVar("T")


class Source(Protocol):
    """The choices a generator makes. Each shrinks towards its first, smallest or shortest value."""

    def integer(self, low: int, high: int) -> int:
        """An integer in ``[low, high]``."""
        ...

    def bits(self, n: int) -> int:
        """An integer in ``[0, 2**n)``."""
        ...

    def text(self, alphabet: str, min_size: int, max_size: int) -> str:
        """A string of ``alphabet``'s characters, ``min_size`` to ``max_size`` long."""
        ...


def choice(source: Source, options: Sequence[T]) -> T:
    """One of ``options``; shrinks towards the first."""
    return options[source.integer(0, len(options) - 1)] if len(options) > 1 else options[0]


class RandomSource:
    """A :class:`Source` drawing from a ``random.Random`` (a seeded one gives the same values in every
    process: nothing here depends on hash order or the clock)."""

    __slots__ = ("_random",)

    def __init__(self, rng: random.Random) -> None:
        self._random = rng

    def integer(self, low: int, high: int) -> int:
        return low + self._random.randrange(high - low + 1) if high > low else low

    def bits(self, n: int) -> int:
        return self._random.getrandbits(n)

    def text(self, alphabet: str, min_size: int, max_size: int) -> str:
        return "".join(self._random.choices(alphabet, k=self.integer(min_size, max_size)))
