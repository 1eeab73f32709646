"""Request-aware and sequence rules: a response judged against the request that asked for it,
and a page against the pages before it in the same listing walk."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final
from urllib.parse import parse_qsl

from ...report import brief, shorten
from ...spec import facts
from ...spec.kinds import ITEMS_KEY, KINDS, PAGE_KINDS, USER_KINDS, service_member
from ...spec.routes import PathMatch, ascii_int, match_url, split_url
from ..rule import Context, Finding, Rule, rule
from .item import BINDING_KINDS, integer, text, user_member
from .page import items, list_url, meta

_ALL: Final = BINDING_KINDS + PAGE_KINDS


def requested(ctx: Context) -> PathMatch | None:
    return match_url(ctx.request.url) if ctx.request is not None else None


@rule("request.sid", BINDING_KINDS, "the fetched sid is the body's sid", needs="request", per_item=False)
def request_sid(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    asked, sid = requested(ctx), text(doc, "sid")
    if asked is not None and asked.sid is not None and sid is not None and asked.sid != sid:
        yield Finding("/sid", f"the request fetched {brief(asked.sid)} but the body's sid is {brief(sid)}")


@rule(
    "request.service", _ALL, "the service in the request path is the body's", needs="request", per_item=False
)
def request_service(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    asked = requested(ctx)
    if asked is None:
        return
    if kind in PAGE_KINDS:
        listed = list_url(doc, kind)
        where, own = "/meta/url", (listed.service if listed is not None else None)
    else:
        member = service_member(kind)
        where, own = f"/{member}", text(doc, member)
    if own is not None and own != asked.service:
        yield Finding(
            where, f"the request names service {brief(asked.service)} but the body has {brief(own)}"
        )


@rule(
    "request.user",
    USER_KINDS,
    "the user in the request path (sid or identity) is the body's",
    needs="request",
    per_item=False,
)
def request_user(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    asked = requested(ctx)
    if asked is None or asked.user is None:
        return
    if kind == "user-binding-page":
        listed = list_url(doc, kind)
        where, own = "/meta/url", (listed.user if listed is not None else None)
        if own is not None and user_member(own) != user_member(asked.user):
            return  # one names the user by sid, the other by identity: nothing to compare
    else:
        member = user_member(asked.user)
        where, own = f"/{member}", text(doc, member)
    if own is not None and own != asked.user:
        yield Finding(where, f"the request names user {shorten(asked.user)} but the body has {shorten(own)}")


def _filter(doc: dict[str, Any], ctx: Context, param: str, member: str) -> Iterator[Finding]:
    asked = requested(ctx)
    wanted = asked.query.get(param) if asked is not None else None
    if not wanted:
        return
    for i, item in enumerate(items(doc)):
        value = text(item, member) if isinstance(item, dict) else None
        if value is not None and value not in wanted:
            yield Finding(
                f"/{ITEMS_KEY}/{i}/{member}",
                f"{member} {shorten(value)} does not honour the filter {param}={','.join(wanted)}",
            )


@rule(
    "request.filter-binding-type",
    PAGE_KINDS,
    "every item honours the BindingType filter (any of the values given)",
    needs="request",
    per_item=False,
)
def filter_binding_type(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    yield from _filter(doc, ctx, "BindingType", "binding_type")


@rule(
    "request.filter-identity",
    PAGE_KINDS,
    "every item honours the Identity filter (any of the values given)",
    needs="request",
    per_item=False,
)
def filter_identity(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    yield from _filter(doc, ctx, "Identity", "identity")


@rule(
    "request.page-size",
    PAGE_KINDS,
    "meta.page_size equals a requested PageSize, or the maximum when more was asked",
    needs="request",
    per_item=False,
)
def request_page_size(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    asked = requested(ctx)
    values = asked.query.get("PageSize") if asked is not None else None
    size = integer(meta(doc).get("page_size"))
    wanted = ascii_int(values[-1]) if values else None
    if wanted is None or size is None:
        return
    high = facts.page_size_bounds(kind)[1]
    if min(wanted, high) != size:
        capped = f" (at most {high})" if wanted > high else ""
        yield Finding(
            "/meta/page_size",
            f"the request asked PageSize={wanted}{capped} but page_size is {brief(size)}",
        )


def page_key(url: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """What names a page in a URL: its path and its query parameters in any order. Host and scheme
    are left out: an SDK may rewrite them (edge, region, a proxy)."""
    parts = split_url(url)
    return parts.path.rstrip("/"), tuple(sorted(parse_qsl(parts.query)))


def same_url(a: str, b: str) -> bool:
    """Two URLs name the same page (:func:`page_key`)."""
    return page_key(a) == page_key(b)


@rule(
    "sequence.meta-url",
    PAGE_KINDS,
    "in a walk, a page's meta.url is the next_page_url that led to it",
    needs="sequence",
)
def sequence_meta_url(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    before = ctx.previous
    led = text(meta(dict(before)), "next_page_url") if before is not None else None
    own = text(meta(doc), "url")
    if led is not None and own is not None and not same_url(led, own):
        yield Finding("/meta/url", f"meta.url {shorten(own)} is not the next_page_url {shorten(led)}")


@rule("sequence.page-number", PAGE_KINDS, "in a walk, page numbers go up by one", needs="sequence")
def sequence_page_number(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    before = ctx.previous
    last = integer(meta(dict(before)).get("page")) if before is not None else None
    page = integer(meta(doc).get("page"))
    if last is not None and page is not None and page != last + 1:
        yield Finding(
            "/meta/page", f"page {brief(page)} follows page {brief(last)}, expected {brief(last + 1)}"
        )


@rule("sequence.unique-sids", PAGE_KINDS, "in a walk, no sid appears on two pages", needs="sequence")
def sequence_unique_sids(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for n, page in enumerate(ctx.walk):
        for item in items(dict(page)):
            sid = text(item, "sid") if isinstance(item, dict) else None
            if sid is not None:
                seen.setdefault(sid, n)
    for i, item in enumerate(items(doc)):
        sid = text(item, "sid") if isinstance(item, dict) else None
        if sid is not None and sid in seen:
            yield Finding(
                f"/{ITEMS_KEY}/{i}/sid", f"sid {sid} was already listed on the walk's page #{seen[sid]}"
            )


_INTERACTION: Final = {
    "response.status": "a Binding request answered with a success status other than the documented one "
    "(GET 200, DELETE 204)",
    "response.json": "a Binding response body that must be JSON is not (or not UTF-8)",
    "delete.empty-body": 'a delete answers 204 with an empty body (no body, "" and null count as empty)',
    "sequence.deleted-fetched": "a fetch of a binding deleted earlier answers 404, not 200",
}
# The record of any exchange, Binding or not (traffic/leaks.py finds them).
_RECORD: Final = {
    "cassette.secret": "a cassette holds a credential (an Authorization or X-Twilio-Signature header, "
    "Basic credentials in a URI, an auth token or API key secret in a query or body)",
    "cassette.pii": "an identity or endpoint is not pseudonymised (reported when redaction is required)",
}
INTERACTION_RULES: Final = (
    *(Rule(rule_id, _ALL, summary, needs="interaction") for rule_id, summary in _INTERACTION.items()),
    *(Rule(rule_id, KINDS, summary, needs="interaction") for rule_id, summary in _RECORD.items()),
)
"""Rules about the HTTP exchange itself, applied by check_interaction()."""
