"""Stored bindings as the API returns them, rendered by the generators' builder, and listings cut
into Twilio-style pages."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from ..generation.builders import STRICT, BindingParts, Loosening, PageParts, item
from ..generation.drawing import loosening
from ..generation.source import RandomSource
from ..report import shorten
from ..spec import facts
from ..spec.kinds import KIND_TABLE, PAGE_ITEM_KIND, message_types_in
from ..spec.openapi_profile import openapi_profile
from ..spec.profiles import PROFILES
from ..spec.routes import PathMatch, ascii_int
from ..spec.schemas import profile_file
from .state import BindingRecord

PAGE_KIND_OF_ITEM: Final = {item: page for page, item in PAGE_ITEM_KIND.items()}
"""The page kind that lists each item kind."""


@dataclass(frozen=True)
class Lax:
    """How the fake's bodies depart from the strict ones: not at all (``strict``), as Twilio's
    published spec allows (``published``: drawn per binding and kind from ``seed``, so a binding
    reads the same in every answer and every run), as a profile file allows (its name, drawn the same
    way), or every member the spec lets be null null (``nulls``, the fault)."""

    profile: str = "strict"
    seed: int = 0

    def __post_init__(self) -> None:
        known = profile_file(self.profile) is not None or openapi_profile(self.profile) is not None
        if self.profile not in (*PROFILES, "nulls") and not known:
            raise ValueError(
                f"Got profile={self.profile!r}, but expected one of {', '.join(PROFILES)} or a profile file's"
            )

    def of(self, sid: str, kind: str) -> Loosening:
        if self.profile == "strict":
            return STRICT
        if self.profile == "nulls":
            return Loosening(nulls=frozenset(facts.nullable(kind)))
        return loosening(RandomSource(random.Random(f"{self.seed}:{kind}:{sid}")), kind, {}, self.profile)


STRICT_BODIES: Final = Lax()


def record_parts(
    base: str, r: BindingRecord, kind: str = "binding", lax: Lax = STRICT_BODIES
) -> BindingParts:
    """A stored binding as the builder's parts of an item of ``kind``: its urls on ``base``, its
    message types in the vocabulary of the kind's API, loosened as ``lax`` says."""
    return BindingParts(
        sid=r.sid,
        account_sid=r.account_sid,
        service_sid=r.service_sid,
        credential_sid=r.credential_sid,
        date_created=r.date_created,
        date_updated=r.date_updated,
        endpoint=r.endpoint,
        identity=r.identity,
        binding_type=r.binding_type,
        message_types=message_types_in(KIND_TABLE[kind].api, r.message_types),
        user_sid=r.user_sid,
        origin=base,
        loose=lax.of(r.sid, kind),
    )


def render(base: str, r: BindingRecord, kind: str = "binding", lax: Lax = STRICT_BODIES) -> dict[str, Any]:
    """The body of a binding as an item of ``kind`` shows it (a Chat binding, a user binding, a
    Conversations binding), members in the order of the kind's schema."""
    return item(kind, record_parts(base, r, kind, lax))


@dataclass(frozen=True)
class PageRequest:
    """What a read asked for: filters (in request order), PageSize, Page and PageToken."""

    filters: tuple[tuple[str, str], ...]
    page_size: int
    page: int
    token: str | None


class BadToken(ValueError):
    pass


def cut(records: Sequence[BindingRecord], req: PageRequest) -> tuple[list[BindingRecord], bool]:
    """The records of the requested page and whether more follow.

    ``PageToken`` ``PT<seq>`` continues after the binding numbered seq, ``PB<seq>`` goes back
    before it. Tokens name positions, not offsets: a binding deleted during a walk simply
    is not listed if its page is still to come, and no other binding moves between pages.
    Without a token, ``Page`` is an offset of ``Page * PageSize``.
    """
    size = req.page_size
    if req.token is None:
        start = req.page * size
        chosen = list(records[start : start + size])
        return chosen, len(records) > start + size
    direction, seq = _token(req.token)
    if direction == "PT":
        after = [r for r in records if r.seq > seq]
        return after[:size], len(after) > size
    before = [r for r in records if r.seq < seq]
    return before[-size:], True


def _token(token: str) -> tuple[str, int]:
    """``(PT|PB, seq)`` of a token the fake wrote: ASCII digits after the direction, nothing else."""
    direction, number = token[:2], token[2:]
    seq = ascii_int(number) if number[:1] != "-" else None
    if direction not in ("PT", "PB") or seq is None:
        raise BadToken(f"Invalid PageToken {shorten(token)}")
    return direction, seq


def page_parts(
    base: str,
    listed: PathMatch,
    req: PageRequest,
    chosen: list[BindingRecord],
    more: bool,
    kind: str,
    identity: str | None = None,
    lax: Lax = STRICT_BODIES,
) -> PageParts:
    """The parts of a page of ``kind`` (an item kind) holding ``chosen``, its meta urls naming the
    listing as the request ``listed`` named it (a user by sid or by ``identity``, spelled as received)."""
    by_identity = listed.user is not None and listed.user == identity
    return PageParts(
        kind=PAGE_KIND_OF_ITEM[kind],
        page=req.page,
        page_size=req.page_size,
        service_sid=listed.service,
        items=tuple(record_parts(base, r, kind, lax) for r in chosen),
        user_sid=None if by_identity else listed.user,
        token=req.token,
        has_next=more and bool(chosen),
        origin=base,
        identity=identity if by_identity else None,
        filters=req.filters,
        received=tuple(listed.raw.items()),
        tokens=(f"PB{chosen[0].seq}", f"PT{chosen[-1].seq}") if chosen else (None, None),
    )
