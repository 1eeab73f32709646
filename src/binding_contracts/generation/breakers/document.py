"""Breakers of the rules every kind shares (an undocumented member, the deprecated host) and of an
error body's rules, named as :mod:`binding_contracts.checking.rules.document` judges them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Final

from ...checking.rules import document as judged
from ...spec import facts
from ...spec.kinds import ITEM_KINDS, KINDS, PAGE_KINDS
from ...spec.schemas import known_properties
from ...spec.urls import DEPRECATED_HOSTS
from ..builders import ErrorParts, more_info
from ..drawing import Needs
from ..source import Source, choice
from . import item, page
from .schema import Base, Broken, breaker, doc_of, drop

DEPRECATED_ORIGIN: Final = f"https://{min(DEPRECATED_HOSTS)}"


UNDOCUMENTED: Final = {
    "": ("friendly_name", "date_deleted", "notification_sound", "details"),
    "links": ("channels", "service", "credential"),
    "meta": ("total", "num_pages", "start", "end"),
}
"""Members Twilio could add (some are in its other APIs, or in its 2010 page meta)."""


@breaker(judged.unknown_field, KINDS)
def extra_member(source: Source, base: Base) -> Broken:
    """One member the schema does not document, in the document or a nested object."""
    roles = known_properties(base.kind)
    role = choice(source, [r for r in roles if r in UNDOCUMENTED])
    name = choice(source, [n for n in UNDOCUMENTED[role] if n not in roles[role]])
    doc = doc_of(base)
    (doc[role] if role else doc)[name] = None
    return Broken(doc)


@breaker(judged.deprecated_host, ITEM_KINDS)
def on_the_old_host(source: Source, base: Base) -> Broken:
    return item.rebuilt(base, origin=DEPRECATED_ORIGIN)


@breaker(judged.deprecated_host, PAGE_KINDS)
def listing_on_the_old_host(source: Source, base: Base) -> Broken:
    p = page.base_page(base)
    items = tuple(replace(i, origin=DEPRECATED_ORIGIN) for i in p.items)
    return page.rebuilt(base, origin=DEPRECATED_ORIGIN, items=items)


def error_of(base: Base) -> ErrorParts:
    parts: ErrorParts = base.parts
    return parts


DETAILS: Final = Needs(details=True)


@breaker("schema.required", ("error",), needs=Needs(details=True, client_error=True))
def error_without_details(source: Source, base: Base) -> Broken:
    _, members = facts.error_details()
    return Broken(drop(doc_of(base), (choice(source, members),)))


@breaker("schema.minimum", ("error",), needs=DETAILS)
def status_too_low(source: Source, base: Base) -> Broken:
    low, _ = facts.error_status_bounds()
    return Broken(replace_status(base, choice(source, (200, 302, low - 1))))


@breaker("schema.maximum", ("error",))
def status_too_high(source: Source, base: Base) -> Broken:
    _, high = facts.error_status_bounds()
    return Broken(replace_status(base, high + source.integer(1, 400)))


def replace_status(base: Base, status: int) -> dict[str, Any]:
    doc = doc_of(base)
    doc["status"] = status
    return doc


@breaker(judged.more_info_code, ("error",), needs=DETAILS)
def more_info_of_another_code(source: Source, base: Base) -> Broken:
    p = error_of(base)
    assert p.code is not None
    doc = doc_of(base)
    doc["more_info"] = more_info(p.code + source.integer(1, 99))
    return Broken(doc)


@breaker(judged.status_match, ("error",))
def status_unlike_the_http_status(source: Source, base: Base) -> Broken:
    p = error_of(base)
    low, high = facts.error_status_bounds()
    other = low + (p.status - low + source.integer(1, high - low)) % (high - low + 1)
    return Broken(doc_of(base), choice(source, (200, other)))  # 200: an error body sent as a success


@breaker("kind.undetected", ("error",))
def error_without_status(source: Source, base: Base) -> Broken:
    return Broken({k: v for k, v in doc_of(base).items() if k != "status"})
