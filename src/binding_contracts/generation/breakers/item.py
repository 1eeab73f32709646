"""Breakers of a Binding's and a UserBinding's rules (SIDs, urls, links, dates, the warnings), and of
field.unknown in every kind.

Each changes one part, or one url built from the parts, so that only its rule sees a difference.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any, Final

from ...checking.rules import item as judged
from ...spec import facts
from ...spec.kinds import CONVERSATIONS, ITEM_KINDS, KIND_TABLE, LINKED_KINDS, USER_ITEM_KINDS
from .. import realism
from ..builders import BindingParts, item, item_url, other_version, part_name, user_link
from ..drawing import pinned_instant, sid
from ..source import Source, choice
from .schema import Base, Broken, breaker, doc_of, put


def base_binding(base: Base) -> BindingParts:
    """The parts of the valid payload a breaker starts from, as an item's."""
    parts: BindingParts = base.parts
    return parts


def rebuilt(base: Base, **changes: Any) -> Broken:
    """The payload of the base's parts with ``changes``: every url follows the changed parts."""
    return Broken(item(base.kind, replace(base_binding(base), **changes)))


def other_sid(source: Source, value: str) -> str:
    """Another SID of the same kind: the hex part plus a non-zero offset, so never the same one."""
    spec = facts.sid_by_prefix(value[:2])
    return spec.format(int(value[2:], 16) + source.integer(1, (1 << spec.bits) - 1))


@breaker("schema.pattern", ITEM_KINDS, when=lambda k: bool(facts.sid_members(k)))
def malformed_sid(source: Source, base: Base) -> Broken:
    names = [n for n in facts.sid_members(base.kind) if part_name(base.kind, n) not in base.shared]
    name = choice(source, names)
    spec, value = facts.sid_members(base.kind)[name], getattr(base.parts, part_name(base.kind, name))
    others = [s.prefix for s in facts.sid_specs().values() if s.prefix != spec.prefix]
    mistakes: tuple[Callable[[], str], ...] = (
        lambda: spec.prefix + "X" * spec.digits,  # a placeholder, as in third-party SDK fixtures
        lambda: value[:-1],  # one digit short
        lambda: choice(source, others) + value[2:],  # another kind's prefix
    )
    return rebuilt(base, **{part_name(base.kind, name): choice(source, mistakes)()})


def _with_url(base: Base, url: str) -> Broken:
    return Broken(put(doc_of(base), ("url",), url))


@breaker(judged.url_path, ITEM_KINDS)
def url_elsewhere(source: Source, base: Base) -> Broken:
    p = base_binding(base)
    if choice(source, (False, True)):
        return _with_url(base, other_version(item_url(base.kind, p)))
    # another kind's url: a Binding's url under its user, a UserBinding's without it, a
    # Conversations binding's on Chat's path
    other_kind = "binding" if base.kind != "binding" else "user-binding"
    user = p.user_sid or sid(source, "user_sid")
    return _with_url(base, item_url(other_kind, replace(p, user_sid=user)))


def _url_naming(source: Source, base: Base, member: str) -> Broken:
    p = base_binding(base)
    changes: dict[str, Any] = {member: other_sid(source, getattr(p, member))}
    return _with_url(base, item_url(base.kind, replace(p, **changes)))


@breaker(judged.url_sid, ITEM_KINDS)
def url_of_another_binding(source: Source, base: Base) -> Broken:
    return _url_naming(source, base, "sid")


@breaker(judged.url_service, ITEM_KINDS)
def url_in_another_service(source: Source, base: Base) -> Broken:
    return _url_naming(source, base, "service_sid")


@breaker(judged.url_user, USER_ITEM_KINDS)
def url_of_another_user(source: Source, base: Base) -> Broken:
    return _url_naming(source, base, "user_sid")


def _with_user_link(base: Base, url: str) -> Broken:
    return Broken(put(doc_of(base), ("links", "user"), url))


@breaker(judged.links_user_service, LINKED_KINDS)
def user_link_elsewhere(source: Source, base: Base) -> Broken:
    p = base_binding(base)
    if choice(source, (False, True)):
        return _with_user_link(base, other_version(user_link(p)))
    return _with_user_link(base, user_link(replace(p, service_sid=other_sid(source, p.service_sid))))


@breaker(judged.links_user_identity, LINKED_KINDS)
def user_link_to_another_user(source: Source, base: Base) -> Broken:
    p = base_binding(base)
    drawn = realism.identity(source, plain=True)
    other = drawn if drawn != p.identity else drawn + "2"
    return _with_user_link(base, user_link(replace(p, identity=other)))


@breaker(judged.dates_ordered, ITEM_KINDS)
def updated_before_created(source: Source, base: Base) -> Broken:
    created = pinned_instant(base_binding(base).date_created).floor()
    updated = created - timedelta(seconds=source.integer(1, realism.UPDATED_WITHIN))
    return rebuilt(base, date_updated=realism.written_date(updated))


@breaker(judged.identity_reserved, ITEM_KINDS)
def reserved_identity(source: Source, base: Base) -> Broken:
    return rebuilt(base, identity=realism.reserved_identity(source))


UNDOCUMENTED_TYPES: Final = ("typing_started", "channel_updated", "message_read", "new_messages")


@breaker(judged.unknown_message_type, ITEM_KINDS)
def unknown_message_type(source: Source, base: Base) -> Broken:
    known = facts.enum(KIND_TABLE[base.kind].api.message_types)
    unknown = [t for t in UNDOCUMENTED_TYPES if t not in known] or [f"{known[0]}_v2"]
    p = base_binding(base)
    return rebuilt(base, message_types=(*p.message_types, choice(source, unknown)))


TELLING: Final = ("sid", "binding_type", "links", "user_sid", CONVERSATIONS.service_member)
"""The members from which kind="auto" tells a Binding or UserBinding (contract.detect_kind)."""


@breaker("kind.undetected", ITEM_KINDS)
def unrecognisable(source: Source, base: Base) -> Broken:
    return Broken({k: v for k, v in doc_of(base).items() if k not in TELLING})
