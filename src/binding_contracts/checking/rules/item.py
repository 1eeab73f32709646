"""Semantic rules of a Binding, a UserBinding and an error body, and the warnings; each rule's
quiet-proof follows the rules it proves."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any, Final

from ...report import brief, shorten
from ...spec import facts
from ...spec.formats import Instant, date_time_instant
from ...spec.kinds import (
    ITEM_KINDS,
    KIND_TABLE,
    LINKED_KINDS,
    URL_TEMPLATE_OF_KIND,
    USER_ITEM_KINDS,
    service_member,
)
from ...spec.routes import PathMatch, match_url, split_url
from ...spec.schemas import defs
from ...spec.urls import TEMPLATE_TEXT, build_url, url_of
from ..proof import Seen, clean_path, proves
from ..rule import Context, Finding, rule

BINDING_KINDS: Final = ITEM_KINDS
URI_RESERVED: Final = frozenset("!*'();:@&=+$,/?%#[]")
SERVICE_MEMBERS: Final = tuple(sorted({k.api.service_member for k in KIND_TABLE.values()}))
"""The members that name a binding's service, one a kind (what a url rule reads, :attr:`.Rule.reads`)."""


def text(doc: dict[str, Any], key: str) -> str | None:
    value = doc.get(key)
    return value if isinstance(value, str) else None


def integer(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


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


@rule(
    "binding.url-path",
    BINDING_KINDS,
    "url is the resource's own URL (template of its kind)",
    shape="spelt",
    reads=("url",),
    compares=False,
)
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


@rule("binding.url-sid", BINDING_KINDS, "url ends with /Bindings/{sid}", shape="spelt", reads=("url", "sid"))
def url_sid(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    yield from _url_names(doc, kind, "sid", "sid")


@rule(
    "binding.url-service",
    BINDING_KINDS,
    "url names the payload's own service (service_sid, chat_service_sid)",
    shape="spelt",
    reads=("url", *SERVICE_MEMBERS),
)
def url_service(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    yield from _url_names(doc, kind, "service", service_member(kind))


@rule(
    "binding.url-user",
    USER_ITEM_KINDS,
    "a user binding's url names its own user (user_sid, or identity after percent-decoding)",
    shape="spelt",
    reads=("url", "user_sid", "identity"),
)
def url_user(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    m = own_url(doc, kind)
    named = m.user if m is not None else None
    member = user_contradicted(named, doc) if named is not None else None
    if named is not None and member is not None:
        message = f"url names user {as_named(named)} but {member} is {as_named(doc[member])}"
        yield Finding("/url", message, named)


@proves(url_path, url_sid, url_service, url_user)
def own_url_proven(seen: Seen) -> bool:
    """The url is the one the library writes from the binding's own SIDs, on a plain current host."""
    doc, kind = seen.doc, seen.kind
    path = clean_path(doc["url"])
    template = URL_TEMPLATE_OF_KIND[kind]
    own = url_of(template, "", service=doc[service_member(kind)], sid=doc["sid"], user=doc.get("user_sid"))
    return path is not None and path == own


def _links_user(doc: dict[str, Any]) -> tuple[str | None, PathMatch | None]:
    links = doc.get("links")
    user = text(links, "user") if isinstance(links, dict) else None
    return user, (match_url(user, "user") if user is not None else None)


@rule(
    "binding.links-user-service",
    LINKED_KINDS,
    "links.user is a User URL in the same service",
    shape="spelt",
    reads=("links", *SERVICE_MEMBERS),
)
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
    shape="groups",
    reads=("links", "identity"),
)
def links_user_identity(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    _, m = _links_user(doc)
    identity = text(doc, "identity")
    if m is not None and identity is not None and m.user != identity:
        yield Finding(
            "/links/user",
            f"links.user names user {shorten(m.user)} but identity is {shorten(identity)}",
        )


@proves(links_user_service, links_user_identity)
def links_user_proven(seen: Seen) -> bool:
    """links.user is the User URL the library writes from the service and the identity."""
    doc = seen.doc
    user = clean_path(doc["links"]["user"])
    if user is None:
        return False
    try:
        return user == build_url(
            "user", "", ServiceSid=doc[service_member(seen.kind)], Identity=doc["identity"]
        )
    except UnicodeEncodeError:  # a lone surrogate: the rules judge it
        return False


def parse_time(value: object) -> Instant | None:
    return date_time_instant(value) if isinstance(value, str) else None


@rule(
    "binding.dates-ordered",
    BINDING_KINDS,
    "date_updated is not before date_created",
    shape="groups",
    reads=("date_created", "date_updated"),
)
def dates_ordered(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    created = parse_time(doc.get("date_created"))
    updated = parse_time(doc.get("date_updated")) if created is not None else None
    if created is not None and updated is not None and updated < created:
        yield Finding(
            "/date_updated",
            f"date_updated {brief(doc['date_updated'])} is before date_created {brief(doc['date_created'])}",
        )


@proves(dates_ordered)
def dates_proven(seen: Seen) -> bool:
    """Two UTC times of the one fixed width compare as text."""
    created, updated = seen.doc["date_created"], seen.doc["date_updated"]
    same_shape = len(created) == len(updated) == 20 and created[10] == updated[10] == "T"
    return same_shape and created[-1] == updated[-1] == "Z" and created <= updated


@rule(
    "binding.identity-reserved",
    BINDING_KINDS,
    "identity has URI-reserved characters, which Twilio's docs advise against",
    severity="warning",
    shape="reported",
    reads=("identity",),
    compares=False,
)
def identity_reserved(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    identity = text(doc, "identity")
    message = reserved_message(identity) if identity is not None else None
    if message is not None:
        yield Finding("/identity", message)


@proves(identity_reserved)
def identity_proven(seen: Seen) -> bool:
    return URI_RESERVED.isdisjoint(seen.doc["identity"])


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
    shape="spelt",
    reads=("message_types",),
    compares=False,
)
def unknown_message_type(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    types = doc.get("message_types")
    known = facts.enum(KIND_TABLE[kind].api.message_types)
    if isinstance(types, list):
        for i, value in enumerate(types):
            if isinstance(value, str) and value not in known:
                yield Finding(
                    f"/message_types/{i}",
                    f"message type {shorten(value)} is not one of {', '.join(known)}",
                )


@cache
def _message_types(kind: str) -> frozenset[str]:
    return frozenset(facts.enum(KIND_TABLE[kind].api.message_types))


@proves(unknown_message_type)
def message_types_proven(seen: Seen) -> bool:
    return _message_types(seen.kind).issuperset(seen.doc["message_types"])
