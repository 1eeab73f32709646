"""Render stored bindings as the API returns them, and cut listings into Twilio-style pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from ..report import shorten
from ..spec.kinds import ITEMS_KEY, KIND_TABLE, URL_TEMPLATE_OF_KIND, message_types_in
from ..spec.routes import PathMatch, ascii_int
from ..spec.schemas import raw_schemas, schema_file
from ..spec.urls import url_of
from .state import BindingRecord


def render(base: str, r: BindingRecord, kind: str = "binding") -> dict[str, Any]:
    """The body of a binding as an item of ``kind`` shows it (a Chat binding, a user binding, a
    Conversations binding), members in the order of the kind's schema."""
    k = KIND_TABLE[kind]
    user = r.user_sid if k.user else None
    values: dict[str, Any] = {
        "sid": r.sid,
        "account_sid": r.account_sid,
        k.api.service_member: r.service_sid,
        "date_created": r.date_created,
        "date_updated": r.date_updated,
        "endpoint": r.endpoint,
        "identity": r.identity,
        "user_sid": r.user_sid,
        "credential_sid": r.credential_sid,
        "binding_type": r.binding_type,
        "message_types": list(message_types_in(k.api, r.message_types)),
        "url": url_of(URL_TEMPLATE_OF_KIND[kind], base, service=r.service_sid, sid=r.sid, user=user),
    }
    if k.links:
        values["links"] = {"user": url_of("user", base, service=r.service_sid, user=r.identity)}
    return {name: values[name] for name in raw_schemas()[schema_file(kind)]["properties"]}


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


def page_query(req: PageRequest, page: int, token: str | None) -> str:
    pairs = [*req.filters, ("PageSize", str(req.page_size)), ("Page", str(page))]
    if token is not None:
        pairs.append(("PageToken", token))
    return urlencode(pairs)


def page_body(
    base: str, listed: PathMatch, req: PageRequest, chosen: list[BindingRecord], more: bool, kind: str
) -> dict[str, Any]:
    """A page of ``kind`` (an item kind) holding ``chosen``, its meta urls naming the listing as the
    request ``listed`` named it (a user by sid or by identity, spelled as received)."""

    def url(page: int, token: str | None) -> str:
        query = page_query(req, page, token)
        return url_of(
            listed.template, base, service=listed.service, user=listed.user, query=query, received=listed.raw
        )

    first = chosen[0].seq if chosen else None
    meta = {
        "page": req.page,
        "page_size": req.page_size,
        "first_page_url": url(0, None),
        "previous_page_url": url(req.page - 1, f"PB{first}" if first else None) if req.page > 0 else None,
        "url": url(req.page, req.token),
        "next_page_url": url(req.page + 1, f"PT{chosen[-1].seq}") if more and chosen else None,
        "key": ITEMS_KEY,
    }
    return {"meta": meta, ITEMS_KEY: [render(base, r, kind) for r in chosen]}
