"""Payloads assembled from their parts: urls from the sids, links.user from service and identity, page
meta from page and page size. Pure functions, shared by the Hypothesis strategies and the Faker provider.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from functools import cache
from typing import Any, Final, TypeAlias

from ..spec import facts
from ..spec.kinds import (
    ITEM_KINDS,
    ITEMS_KEY,
    KIND_TABLE,
    PAGE_ITEM_KIND,
    URL_TEMPLATE_OF_KIND,
    service_member,
)
from ..spec.routes import split_url
from ..spec.urls import CHAT_ORIGIN, error_docs, page_query, url_of

ITEM_KIND: Final = PAGE_ITEM_KIND

URL_INPUTS: Final = {
    kind: frozenset(
        {"sid", "service_sid"} | ({"user_sid"} if k.user else set()) | ({"identity"} if k.links else set())
    )
    for kind, k in KIND_TABLE.items()
    if kind in ITEM_KINDS
}
"""The parts each item kind's urls are built from (``url``, and ``links.user`` for a binding)."""

PAGE_SHARED: Final = frozenset({"service_sid", "user_sid"})
"""The parts every item of a page shares with the page: the page lists one service (and user)."""


@dataclass(frozen=True, slots=True)
class Loosening:
    """How a body departs from the strict shape as Twilio's published spec allows: members null,
    members left out, members the spec does not document (yet). The empty one is the strict body."""

    nulls: frozenset[str] = frozenset()
    missing: frozenset[str] = frozenset()
    extra: tuple[tuple[str, Any], ...] = ()
    """Undocumented members and their values, written after the documented ones."""


STRICT: Final = Loosening()


@dataclass(frozen=True, slots=True)
class BindingParts:
    """What a Binding or UserBinding is made of; ``url`` and ``links`` are built from these."""

    sid: str
    account_sid: str
    service_sid: str
    credential_sid: str
    date_created: str
    date_updated: str
    endpoint: str
    identity: str
    binding_type: str
    message_types: tuple[str, ...]
    user_sid: str | None = None
    origin: str = CHAT_ORIGIN
    """The scheme and host of its urls: the API's own (:attr:`Api.origin`), or another when pinned."""
    loose: Loosening = STRICT
    """What the body leaves null or out, or adds (the published profile); none: the strict body."""


@dataclass(frozen=True, slots=True)
class PageParts:
    """One page of a listing. ``token`` is the PageToken of meta.url: the one the previous page's
    next_page_url named (Twilio's ``PA`` + the last sid of that page); None on page 0."""

    kind: str
    page: int
    page_size: int
    service_sid: str
    items: tuple[BindingParts, ...]
    user_sid: str | None = None
    token: str | None = None
    has_next: bool = False
    origin: str = CHAT_ORIGIN
    key: str = ITEMS_KEY
    identity: str | None = None
    """The identity a user's listing names its user by in its meta urls (as a request to
    ``/Users/{identity}/Bindings`` is echoed); None when it names the user by ``user_sid``."""
    filters: tuple[tuple[str, str], ...] = ()
    """The read's filters (``BindingType``, ``Identity``) in request order, repeated in every meta url."""
    received: tuple[tuple[str, str], ...] = ()
    """The path segments by what they name as the request wrote them, which the meta urls echo
    (``kim%40example.org`` stays so); none: every segment written anew."""
    tokens: tuple[str | None, str | None] | None = None
    """The PageTokens of previous_page_url and next_page_url when a server writes its own (the
    fake's name positions in its store); None: Twilio's, ``PB``/``PA`` and the first/last item's sid."""


@dataclass(frozen=True, slots=True)
class ErrorParts:
    status: int
    message: str
    code: int | None = None
    more_info: str | None = None


Parts: TypeAlias = BindingParts | PageParts | ErrorParts


def part_name(kind: str, member: str) -> str:
    """The part a member of ``kind`` is built from: the kind's service member is ``service_sid``."""
    return "service_sid" if member == service_member(kind) else member


def item_url(kind: str, p: BindingParts) -> str:
    user = p.user_sid if KIND_TABLE[kind].user else None
    return url_of(URL_TEMPLATE_OF_KIND[kind], p.origin, service=p.service_sid, sid=p.sid, user=user)


def other_version(url: str) -> str:
    """The url under the other API version (``/v2/`` and ``/v1/`` swapped): a path no template of
    the url's own kind fits."""
    path = split_url(url).path
    old, new = ("/v2/", "/v1/") if path.startswith("/v2/") else ("/v1/", "/v2/")
    return url.replace(old, new, 1)


def user_link(p: BindingParts) -> str:
    return url_of("user", p.origin, service=p.service_sid, user=p.identity)


def item(kind: str, p: BindingParts) -> dict[str, Any]:
    """A Binding (``kind="binding"``) or UserBinding, members in the schema's order."""
    values: dict[str, Any] = {
        "sid": p.sid,
        "account_sid": p.account_sid,
        service_member(kind): p.service_sid,
        "date_created": p.date_created,
        "date_updated": p.date_updated,
        "endpoint": p.endpoint,
        "identity": p.identity,
        "user_sid": p.user_sid,
        "credential_sid": p.credential_sid,
        "binding_type": p.binding_type,
        "message_types": list(p.message_types),
        "url": item_url(kind, p),
    }
    if KIND_TABLE[kind].links:
        values["links"] = {"user": user_link(p)}
    body = {name: values[name] for name in _built(kind, facts.properties(kind))}
    return body if p.loose == STRICT else loosen(kind, body, p.loose)


def derived_from(kind: str, member: str) -> frozenset[str]:
    """The parts a built member is written from: ``url`` its sids, ``links`` the service and
    identity (``links.user``); nothing for a member drawn for itself."""
    if member == "url":
        return URL_INPUTS[kind] - {"identity"}
    if member == "links":
        return frozenset({"service_sid", "identity"})
    return frozenset()


def loosen(kind: str, body: dict[str, Any], loose: Loosening) -> dict[str, Any]:
    """``body`` with ``loose``'s members null or left out and its undocumented members added. A url
    whose parts are not all in the body is null too: it would name a sid the body does not show."""
    absent = {part_name(kind, name) for name in loose.nulls | loose.missing}
    out: dict[str, Any] = {}
    for name, value in body.items():
        if name in loose.missing:
            continue
        out[name] = None if name in loose.nulls or derived_from(kind, name) & absent else value
    out.update(loose.extra)
    return out


_BUILT: Final = frozenset(f.name for f in fields(BindingParts)) | {"url", "links"}
"""The members the generators build; the service member is the kind's own name for ``service_sid``."""


@cache
def _built(kind: str, names: tuple[str, ...]) -> tuple[str, ...]:
    """``names``, once checked to be members the generators build (cached per schema version)."""
    missing = [n for n in names if n not in _BUILT | {service_member(kind)}]
    if missing:
        raise ValueError(
            f"schemas/ documents {', '.join(missing)} for {kind}, which the generators do not build"
        )
    return names


def list_url(p: PageParts, *, origin: str | None = None, query: str = "") -> str:
    user = p.identity if p.identity is not None else p.user_sid
    template, base = URL_TEMPLATE_OF_KIND[p.kind], origin or p.origin
    return url_of(template, base, service=p.service_sid, user=user, query=query, received=dict(p.received))


def page_url(p: PageParts, page: int, token: str | None = None, *, size: int | None = None) -> str:
    """The url of page ``page`` of the listing ``p`` belongs to, as Twilio writes it."""
    return list_url(p, query=page_query(p.page_size if size is None else size, page, token, p.filters))


def next_token(p: PageParts) -> str | None:
    if p.tokens is not None:
        return p.tokens[1]
    return f"PA{p.items[-1].sid}" if p.items else None


def previous_token(p: PageParts) -> str | None:
    if p.tokens is not None:
        return p.tokens[0]
    return f"PB{p.items[0].sid}" if p.items else None


def meta(p: PageParts) -> dict[str, Any]:
    return {
        "page": p.page,
        "page_size": p.page_size,
        "first_page_url": page_url(p, 0),
        "previous_page_url": page_url(p, p.page - 1, previous_token(p)) if p.page != 0 else None,
        "url": page_url(p, p.page, p.token),
        "next_page_url": page_url(p, p.page + 1, next_token(p)) if p.has_next else None,
        "key": p.key,
    }


def page(p: PageParts) -> dict[str, Any]:
    item_kind = ITEM_KIND[p.kind]
    return {"meta": meta(p), ITEMS_KEY: [item(item_kind, i) for i in p.items]}


def error(p: ErrorParts) -> dict[str, Any]:
    values = {"code": p.code, "message": p.message, "more_info": p.more_info, "status": p.status}
    return {name: values[name] for name in facts.properties("error") if values.get(name) is not None}


def more_info(code: int) -> str:
    return error_docs(code)


def assemble(kind: str, parts: Parts) -> dict[str, Any]:
    """The payload of ``kind`` made of ``parts``."""
    if isinstance(parts, BindingParts):
        return item(kind, parts)
    if isinstance(parts, PageParts):
        return page(parts)
    return error(parts)


def listing(first: PageParts, items: tuple[BindingParts, ...]) -> list[PageParts]:
    """A whole listing of ``items``, ``first.page_size`` a page: each page's meta.url is the
    next_page_url of the page before, and the last page has none. No items: one empty page 0."""
    size = first.page_size
    chunks = [items[i : i + size] for i in range(0, len(items), size)] or [()]
    pages: list[PageParts] = []
    for number, chunk in enumerate(chunks):
        token = next_token(pages[-1]) if pages else None
        has_next = number < len(chunks) - 1
        pages.append(replace(first, page=number, items=chunk, token=token, has_next=has_next))
    return pages
