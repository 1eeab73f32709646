"""How the fake answers a read's paging parameters where Twilio answers by a rule of its own: a
``Page`` without ``PageToken``, and a ``PageSize`` above the maximum."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from ..errors import UsageError

PAGE_TOKEN_REQUIRED: Final = "PageToken is required for paging."
"""Twilio's message (code 20001) for ``Page`` > 0 without ``PageToken``, since it moved to page tokens."""
OVER_MAXIMUM: Final = ("cap", "refuse")
"""What a ``PageSize`` above the maximum gets: a page of the maximum size, or 400 / 20001."""


@dataclass(frozen=True)
class Paging:
    """The fake's paging rules.

    ``absolute_paging``: serve ``Page`` > 0 without ``PageToken`` as the offset ``Page * PageSize``,
    as Twilio did before page tokens; by default such a request answers 400 / 20001
    "PageToken is required for paging.", as Twilio does today. Following ``next_page_url`` (what
    the SDKs do) is the same either way.

    ``page_size_over_max``: ``"cap"`` (default) answers a ``PageSize`` above the maximum with a
    page of the maximum size, ``meta.page_size`` and the meta urls saying so; ``"refuse"``
    answers 400 / 20001. The SDKs send ``list(limit=100)`` as ``PageSize=100``, and no SDK
    tracker reports Chat refusing it, so capping is the default.
    """

    absolute_paging: bool = False
    page_size_over_max: str = "cap"

    def __post_init__(self) -> None:
        if self.page_size_over_max not in OVER_MAXIMUM:
            raise UsageError(
                f"Got page_size_over_max={self.page_size_over_max!r}, but expected one of "
                + ", ".join(OVER_MAXIMUM)
            )

    def refusal(self, size: int, page: int, token: str | None, bounds: tuple[int, int]) -> str | None:
        """Why a read asking ``PageSize=size&Page=page`` (and ``token``) answers 400, or None.
        ``bounds`` are the API's PageSize minimum and maximum (:func:`..spec.facts.page_size_bounds`)."""
        low, high = bounds
        if size < low or (size > high and self.page_size_over_max == "refuse"):
            return f"PageSize {size} is out of range {low}..{high}"
        if page < 0:
            return f"Page {page} is negative"
        if page > 0 and token is None and not self.absolute_paging:
            return PAGE_TOKEN_REQUIRED
        return None
