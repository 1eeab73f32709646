"""Semantic rules of a Binding, a UserBinding and an error body, and the warnings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from functools import cache
from typing import Any, Final

from ..._json import join
from ...report import Severity, brief, shorten
from ...spec.kinds import (
    ITEM_KINDS,
    ITEMS_KEY,
    KIND_TABLE,
    KINDS,
    LINKED_KINDS,
    URL_TEMPLATE_OF_KIND,
    USER_ITEM_KINDS,
    service_member,
)
from ...spec.routes import PathMatch, match_url, split_url
from ...spec.schemas import defs, known_properties
from ...spec.urls import DEPRECATED_HOSTS, TEMPLATE_TEXT
from ..rule import Context, Finding, rule

BINDING_KINDS: Final = ITEM_KINDS
URI_RESERVED: Final = frozenset("!*'();:@&=+$,/?%#[]")


def text(doc: dict[str, Any], key: str) -> str | None:
    value = doc.get(key)
    return value if isinstance(value, str) else None


@cache
def _user_sid() -> re.Pattern[str]:
    return re.compile(defs()["user_sid"]["pattern"])


def user_member(segment: str) -> str:
    """The member a url's user segment (percent-decoded) is compared with: ``user_sid`` when it is a
    user SID, else ``identity``. Twilio takes either in a User path (``/Users/US…`` or
    ``/Users/kim``) and echoes the request's spelling in a page's meta urls."""
    return "user_sid" if _user_sid().fullmatch(segment) else "identity"


def as_named(user: str) -> str:
    """A user as a message names it: a user sid as it is, an identity (user input) quoted and capped."""
    return brief(user) if user_member(user) == "user_sid" else shorten(user)


def user_contradicted(segment: str, doc: dict[str, Any]) -> str | None:
    """The member of ``doc`` (a user binding) that a url's user ``segment`` (percent-decoded)
    contradicts, or None when it names the binding's user: its ``user_sid`` (a segment equal to it
    names it, even a malformed one: that is the schema's to report) or, when the segment is no user
    SID, its ``identity``."""
    if segment == doc.get("user_sid"):
        return None
    member = user_member(segment)
    own = text(doc, member)
    return member if own is not None and own != segment else None


def own_url(doc: dict[str, Any], kind: str) -> PathMatch | None:
    url = text(doc, "url")
    return match_url(url, URL_TEMPLATE_OF_KIND[kind]) if url is not None else None


@rule("binding.url-path", BINDING_KINDS, "url is the resource's own URL (template of its kind)")
def url_path(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    url = text(doc, "url")
    if url is not None and own_url(doc, kind) is None:
        template = TEMPLATE_TEXT[URL_TEMPLATE_OF_KIND[kind]]
        yield Finding("/url", f"url path {shorten(split_url(url).path)} does not fit {template}")


def _url_names(doc: dict[str, Any], kind: str, part: str, member: str) -> Iterator[Finding]:
    m, own = own_url(doc, kind), text(doc, member)
    named = getattr(m, part) if m is not None else None
    if named is not None and own is not None and named != own:
        what = {"sid": "binding", "service": "service", "user": "user"}[part]
        yield Finding("/url", f"url names {what} {brief(named)} but {member} is {brief(own)}", named)


@rule("binding.url-sid", BINDING_KINDS, "url ends with /Bindings/{sid}")
def url_sid(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    yield from _url_names(doc, kind, "sid", "sid")


@rule(
    "binding.url-service",
    BINDING_KINDS,
    "url names the payload's own service (service_sid, chat_service_sid)",
)
def url_service(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    yield from _url_names(doc, kind, "service", service_member(kind))


@rule(
    "binding.url-user",
    USER_ITEM_KINDS,
    "a user binding's url names its own user (user_sid, or identity after percent-decoding)",
)
def url_user(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    m = own_url(doc, kind)
    named = m.user if m is not None else None
    member = user_contradicted(named, doc) if named is not None else None
    if named is not None and member is not None:
        message = f"url names user {as_named(named)} but {member} is {as_named(doc[member])}"
        yield Finding("/url", message, named)


def _links_user(doc: dict[str, Any]) -> tuple[str | None, PathMatch | None]:
    links = doc.get("links")
    user = text(links, "user") if isinstance(links, dict) else None
    return user, (match_url(user, "user") if user is not None else None)


@rule("binding.links-user-service", LINKED_KINDS, "links.user is a User URL in the same service")
def links_user_service(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    user, m = _links_user(doc)
    service = text(doc, service_member(kind))
    if user is not None and m is None:
        yield Finding(
            "/links/user",
            f"links.user path {shorten(split_url(user).path)} does not fit {TEMPLATE_TEXT['user']}",
        )
    elif m is not None and service is not None and m.service != service:
        yield Finding(
            "/links/user", f"links.user names service {brief(m.service)} but service_sid is {brief(service)}"
        )


@rule(
    "binding.links-user-identity",
    LINKED_KINDS,
    "links.user names the binding's identity (compared after percent-decoding)",
)
def links_user_identity(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    _, m = _links_user(doc)
    identity = text(doc, "identity")
    if m is not None and identity is not None and m.user != identity:
        yield Finding(
            "/links/user",
            f"links.user names user {shorten(m.user)} but identity is {shorten(identity)}",
        )


def parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


@rule("binding.dates-ordered", BINDING_KINDS, "date_updated is not before date_created")
def dates_ordered(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    created, updated = parse_time(doc.get("date_created")), parse_time(doc.get("date_updated"))
    if created is not None and updated is not None and updated < created:
        yield Finding(
            "/date_updated",
            f"date_updated {brief(doc['date_updated'])} is before date_created {brief(doc['date_created'])}",
        )


@rule(
    "binding.identity-reserved",
    BINDING_KINDS,
    "identity has URI-reserved characters, which Twilio's docs advise against",
    severity="warning",
)
def identity_reserved(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    identity = text(doc, "identity")
    message = reserved_message(identity) if identity is not None else None
    if message is not None:
        yield Finding("/identity", message)


def reserved_message(identity: str) -> str | None:
    """What binding.identity-reserved says of an identity, or None when it has no reserved character."""
    found = URI_RESERVED.intersection(identity)
    if not found:
        return None
    return f"identity {shorten(identity)} has URI-reserved character(s) {''.join(sorted(found))}"


@rule(
    "binding.unknown-message-type",
    BINDING_KINDS,
    "a message type outside the documented set",
    severity="warning",
)
def unknown_message_type(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    types = doc.get("message_types")
    known = defs()[KIND_TABLE[kind].api.message_types]["enum"]
    if isinstance(types, list):
        for i, value in enumerate(types):
            if isinstance(value, str) and value not in known:
                yield Finding(
                    f"/message_types/{i}",
                    f"message type {shorten(value)} is not one of {', '.join(known)}",
                )


@rule(
    "field.unknown",
    KINDS,
    "a member the schema does not document (an error with strict_fields)",
    severity="warning",
)
def unknown_field(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    severity: Severity = "error" if ctx.strict_fields else "warning"
    for role, names in known_properties(kind).items():
        obj = doc.get(role) if role else doc
        if isinstance(obj, dict):
            base = join("", role) if role else ""
            for name in obj:
                if name not in names:
                    yield Finding(
                        join(base, name),
                        f"member {shorten(name)} is not documented for {kind}",
                        severity=severity,
                    )


def _urls(doc: dict[str, Any], base: str = "") -> Iterator[tuple[str, str]]:
    for key in ("url", "user", "first_page_url", "previous_page_url", "next_page_url"):
        if isinstance(doc.get(key), str):
            yield join(base, key), doc[key]
    for nested in ("links", "meta"):
        if isinstance(doc.get(nested), dict):
            yield from _urls(doc[nested], join(base, nested))
    items = doc.get(ITEMS_KEY)
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield from _urls(item, join(base, ITEMS_KEY, i))


@rule(
    "url.deprecated-host",
    tuple(KIND_TABLE),
    "urls on the deprecated IP Messaging host (reported once per document)",
    severity="warning",
    per_item=False,
)
def deprecated_host(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    old = [(p, u) for p, u in _urls(doc) if (split_url(u).hostname or "") in DEPRECATED_HOSTS]
    if old:
        more = f" (and {len(old) - 1} other url(s))" if len(old) > 1 else ""
        host = split_url(old[0][1]).hostname
        yield Finding(old[0][0], f"{brief(host)} is the deprecated IP Messaging host{more}")


def integer(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@rule("error.more-info-code", ("error",), "more_info names the error's code")
def more_info_code(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    code, more_info = integer(doc.get("code")), text(doc, "more_info")
    named = split_url(more_info).path.rstrip("/").rsplit("/", 1)[-1] if more_info else None
    if code is not None and named is not None and named != str(code):
        yield Finding("/more_info", f"more_info {shorten(more_info)} does not name code {brief(code)}")


@rule(
    "error.status-match",
    ("error",),
    "the body's status equals the HTTP status (when the status is known)",
    needs="request",
)
def status_match(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    status = integer(doc.get("status"))
    if ctx.status is not None and status is not None and status != ctx.status:
        yield Finding("/status", f"body status {brief(status)} but the HTTP status is {brief(ctx.status)}")
