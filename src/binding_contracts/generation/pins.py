"""Pinned members: checked against the contract before anything is drawn, then turned into parts.

A pin that would break a rule raises :class:`UsageError` naming the rule; a pin that only draws a
warning (an identity with URI-reserved characters, an undocumented message type) is allowed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from ..checking.rule import RuleFunc, id_of
from ..checking.rules import document as document_rules
from ..checking.rules import item as item_rules
from ..checking.rules import page as page_rules
from ..checking.schema.reference import member_violations
from ..errors import UsageError, did_you_mean
from ..report import shorten
from ..spec import facts
from ..spec.formats import date_time_instant
from ..spec.kinds import (
    ITEM_KINDS,
    ITEMS_KEY,
    PAGE_KINDS,
    URL_TEMPLATE_OF_KIND,
    USER_PAGE_KINDS,
    article,
    service_member,
)
from ..spec.routes import match_url, split_url
from ..spec.urls import TEMPLATE_TEXT, url_of
from .builders import ITEM_KIND
from .drawing import USER_PATHS

PAGE_PINS: Final = ("page", "page_size", "key")
"""The members of a page's meta that can be pinned; the rest are built from these and the items.
A user's page also takes ``user_path`` (``"sid"`` or ``"identity"``): how its meta urls name the user
(drawn when not pinned)."""

_NOT_ON_A_PAGE: Final = {
    "sid": "the sids of a page are drawn unique, so no one sid can be pinned for all of them",
    "url": "each item's url is built from its sids",
    "links": "each item's links.user is built from its service and identity",
    "meta": "meta is built: pin page, page_size or key",
    ITEMS_KEY: "the items are drawn: pin their members instead (service_sid, binding_type, …)",
    "first_page_url": "meta urls are built from page, page_size and the service (and user)",
    "previous_page_url": "meta urls are built from page, page_size and the service (and user)",
    "next_page_url": "meta urls are built from page, page_size and the service (and user)",
}


def breaks(name: str, value: Any, rule: str | RuleFunc, message: str) -> UsageError:
    """The error of a pin that breaks ``rule`` (a semantic rule named by its function, a schema
    rule by the id its violation carries)."""
    return UsageError(f"Got {name}={shorten(value)}, but that breaks {id_of(rule)}: {message}")


def resolve(kind: str, pins: Mapping[str, Any]) -> dict[str, Any]:
    """The checked pins of a ``kind``, as parts: ``url`` and ``links`` become the sids, identity and
    origin they name; dates are checked for order; a page's pins apply to every item."""
    if not pins:
        return {}
    if kind in ITEM_KINDS:
        return _as_parts(kind, _item(kind, pins))
    if kind in PAGE_KINDS:
        return _as_parts(kind, _page(kind, pins))
    return _error(pins)


def _as_parts(kind: str, out: dict[str, Any]) -> dict[str, Any]:
    """Pins named as the parts are: the kind's service member (``chat_service_sid``) is ``service_sid``."""
    member = service_member(kind)
    if member in out:
        out["service_sid"] = out.pop(member)
    return out


def _known(kind: str, names: Iterable[str], allowed: tuple[str, ...]) -> None:
    for name in names:
        if name not in allowed:
            hint = did_you_mean(name, allowed)
            raise UsageError(f"Got pin {name!r}, but {article(kind)} pins one of {', '.join(allowed)}{hint}")


def _schema(kind: str, name: str, value: Any, path: tuple[str, ...] | None = None) -> None:
    for v in member_violations(facts.member(kind, *(path or (name,))).location, value):
        raise breaks(name, value, v.rule, v.message)


def _item(kind: str, pins: Mapping[str, Any]) -> dict[str, Any]:
    _known(kind, pins, facts.properties(kind))
    for name, value in pins.items():
        _schema(kind, name, value)
    out = {k: v for k, v in pins.items() if k not in ("url", "links")}
    if "message_types" in out:
        out["message_types"] = tuple(out["message_types"])
    # the schema's format check has passed them: each is an instant
    times = {k: date_time_instant(out[k]) for k in ("date_created", "date_updated") if k in out}
    created, updated = times.get("date_created"), times.get("date_updated")
    if created is not None and updated is not None and updated < created:
        message = f"date_updated is before date_created {out['date_created']}"
        raise breaks("date_updated", out["date_updated"], item_rules.dates_ordered, message)
    if "url" in pins:
        _from_url(kind, pins["url"], out)
    if "links" in pins:
        _from_links(pins["links"], out)
    return out


def _take(kind: str, out: dict[str, Any], name: str, value: str, member: str, rule: RuleFunc) -> None:
    """Record ``member`` as named by the pinned url ``name``, unless a pin already says otherwise."""
    if member in out and out[member] != value:
        raise breaks(name, value, rule, f"it names {member} {value} but {member} is pinned to {out[member]}")
    _schema(kind, name, value, (member,))
    out[member] = value


def _origin(url: str) -> str:
    parts = split_url(url)
    return f"{parts.scheme}://{parts.netloc}"


def _canonical(name: str, pinned: str, built: str) -> None:
    if pinned != built:
        raise UsageError(
            f"Got {name}={shorten(pinned)}, but the generators write it as {shorten(built, 200)}"
        )


def _from_url(kind: str, url: str, out: dict[str, Any]) -> None:
    template = URL_TEMPLATE_OF_KIND[kind]
    m = match_url(url, template)
    if m is None:
        raise breaks("url", url, item_rules.url_path, f"its path does not fit {TEMPLATE_TEXT[template]}")
    assert m.sid is not None
    _take(kind, out, "url", m.sid, "sid", item_rules.url_sid)
    _take(kind, out, "url", m.service, service_member(kind), item_rules.url_service)
    if m.user is not None:
        _take(kind, out, "url", m.user, "user_sid", item_rules.url_user)
    out["origin"] = _origin(url)
    _canonical("url", url, url_of(template, out["origin"], service=m.service, sid=m.sid, user=m.user))


def _from_links(links: Mapping[str, Any], out: dict[str, Any]) -> None:
    if set(links) != {"user"}:
        raise UsageError(f"Got links={shorten(links)}, but the generators write links as {{'user': …}} only")
    user = links["user"]
    m = match_url(user, "user")
    if m is None:
        message = f"its path does not fit {TEMPLATE_TEXT['user']}"
        raise breaks("links.user", user, item_rules.links_user_service, message)
    assert m.user is not None
    _take("binding", out, "links.user", m.service, "service_sid", item_rules.links_user_service)
    _take("binding", out, "links.user", m.user, "identity", item_rules.links_user_identity)
    origin = out.setdefault("origin", _origin(user))
    _canonical("links.user", user, url_of("user", origin, service=m.service, user=m.user))


def _page(kind: str, pins: Mapping[str, Any]) -> dict[str, Any]:
    item_kind = ITEM_KIND[kind]
    for name in pins:
        if name in _NOT_ON_A_PAGE:
            raise UsageError(f"Got pin {name!r} for {article(kind)}, but {_NOT_ON_A_PAGE[name]}")
    paths = ("user_path",) if kind in USER_PAGE_KINDS else ()
    allowed = PAGE_PINS + paths + tuple(n for n in facts.properties(item_kind) if n not in _NOT_ON_A_PAGE)
    _known(kind, pins, allowed)
    out = _item(item_kind, {k: v for k, v in pins.items() if k not in PAGE_PINS + paths})
    if "user_path" in pins:
        if pins["user_path"] not in USER_PATHS:
            choices = " or ".join(map(repr, USER_PATHS))
            raise UsageError(f"Got user_path={shorten(pins['user_path'])}, but expected {choices}")
        out["user_path"] = pins["user_path"]
    for name in PAGE_PINS:
        if name in pins:
            _schema(kind, name, pins[name], ("meta", name))
            out[name] = pins[name]
    low, high, _ = facts.page_size_bounds(kind)
    size = out.get("page_size")
    if size is not None and size < low:
        raise breaks("page_size", size, page_rules.size_min, f"the PageSize minimum is {low}")
    if size is not None and size > high:
        raise breaks("page_size", size, page_rules.size_max, f"the PageSize maximum is {high}")
    if out.get("key", ITEMS_KEY) != ITEMS_KEY:
        raise breaks("key", out["key"], page_rules.page_key, f"the items are under {ITEMS_KEY!r}")
    return out


def _error(pins: Mapping[str, Any]) -> dict[str, Any]:
    _known("error", pins, facts.properties("error"))
    for name, value in pins.items():
        _schema("error", name, value)
    out = dict(pins)
    info = out.get("more_info")
    if info is not None:
        named = split_url(info).path.rstrip("/").rsplit("/", 1)[-1]
        code = out.setdefault("code", int(named) if named.isascii() and named.isdigit() else None)
        if str(code) != named:
            message = f"it names {named!r}, not the error code {code}" if code else "it names no error code"
            raise breaks("more_info", info, document_rules.more_info_code, message)
    return out
