"""The parts of valid payloads, drawn from a :class:`Source` under checked pins; every rule holds by
construction: sids unique by an injective map, dates ordered, items within the page size and service."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal, TypeVar, cast

from ..spec import facts, schemas
from ..spec.formats import Instant, date_time_instant
from ..spec.kinds import CHAT, CONVERSATIONS, KIND_TABLE, PAGE_KINDS, USER_PAGE_KINDS
from ..spec.openapi_profile import openapi_profile
from ..spec.urls import CHAT_ORIGIN, build_url
from . import realism
from .builders import (
    ITEM_KIND,
    STRICT,
    BindingParts,
    ErrorParts,
    Loosening,
    PageParts,
    Parts,
    derived_from,
    listing,
    more_info,
    part_name,
)
from .source import Source, choice

T = TypeVar("T")
Pins = Mapping[str, Any]

USER_PATHS: Final = ("sid", "identity")
"""How a user's listing names its user in its urls (``user_path``): ``/Users/US…`` or ``/Users/kim``."""
MAX_PAGE: Final = 20
"""A page drawn alone is one of the first pages of its listing: 0 to 20."""
OVERFILL: Final = 3
"""How many items past page_size an over-full page holds: 1 to 3."""
LOOSE_ODDS: Final = 12
"""The published profile leaves each member null one time in 12 where it may, out one time in 12,
and adds each undocumented member one time in 12: most bodies keep most members, as Twilio's do."""
TELLING: Final = frozenset({"binding_type", "user_sid", CONVERSATIONS.service_member})
"""Members that tell a binding's kind to ``detect_kind`` (a user binding by user_sid, a Conversations
binding by chat_service_sid): the published profile may leave them null, never out."""


@dataclass(frozen=True)
class Needs:
    """What a targeted mutation needs of the valid payload it starts from."""

    min_items: int = 0
    page: Literal["any", "first", "later"] = "any"
    overfull: bool = False
    """More items than page_size: only page.items-max wants that."""
    plain: bool = False
    """Identities without URI-reserved characters, so that no warning comes with the broken rule."""
    details: bool = False
    """An error body with code and more_info, whatever its status."""
    client_error: bool = False
    """An error body whose status makes code and more_info required (a 4xx)."""
    profile: str = "strict"
    """The profile the payload is valid under: ``published`` also draws what Twilio's spec allows
    beyond the strict shape (:func:`loosening`)."""


NEEDS: Final = Needs()


def pinned(pins: Pins, name: str, draw: Callable[[], T]) -> T:
    return cast(T, pins[name]) if name in pins else draw()


def sid(source: Source, name: str) -> str:
    spec = facts.sid_specs()[name]
    return spec.format(source.bits(spec.bits))


def unique_sids(source: Source, name: str, n: int) -> list[str]:
    """``n`` distinct SIDs: ``base + i * step`` with an odd step is injective modulo 2**bits, so no
    sid repeats by construction (and a shrunk listing reads BS…00, BS…01, BS…02)."""
    if n == 0:
        return []
    spec = facts.sid_specs()[name]
    base = source.bits(spec.bits)
    step = 2 * source.bits(spec.bits - 1) + 1 if n > 1 else 1
    return [spec.format(base + i * step) for i in range(n)]


def pinned_instant(value: str) -> Instant:
    """A date-time the pins' format check passed (:func:`.pins.resolve`), as an instant."""
    instant = date_time_instant(value)
    if instant is None:  # pragma: no cover - pins are format-checked before anything is drawn
        raise ValueError(f"not an RFC 3339 date-time: {value!r}")
    return instant


def dates(source: Source, pins: Pins) -> tuple[str, str]:
    """``(date_created, date_updated)``, the update never before the creation."""
    created: str | None = pins.get("date_created")
    updated: str | None = pins.get("date_updated")
    if created is not None:
        later = updated or realism.written_date(realism.later(source, pinned_instant(created).ceiling()))
        return created, later
    if updated is not None:
        return realism.written_date(realism.earlier(source, pinned_instant(updated).floor())), updated
    moment, update = realism.created_and_updated(source)
    return realism.written_date(moment), realism.written_date(update)


@dataclass(frozen=True)
class Common:
    """What the items of one page or listing share: one account, service (and user), one push
    credential per binding type, one origin."""

    account_sid: str
    service_sid: str
    user_sid: str | None = None
    identity: str | None = None
    credentials: dict[str, str] = field(default_factory=dict)
    origin: str = CHAT_ORIGIN
    kind: str = "binding"
    """The kind drawn: its API's binding types and message types are the ones drawn from."""
    by_identity: bool = False
    """Whether a user's listing names its user by identity in its urls (else by user_sid)."""

    @property
    def listed_identity(self) -> str | None:
        """The identity a user's listing names in its urls, when it names the user so."""
        return self.identity if self.by_identity else None


def sids(source: Source, names: Sequence[str]) -> list[str]:
    """SIDs of ``names`` (a name may repeat) from one choice, their bits side by side: a payload's
    SIDs cost Hypothesis one draw, not one each, and shrink together (to zeros)."""
    specs = [facts.sid_specs()[name] for name in names]
    if not specs:
        return []
    value = source.bits(sum(spec.bits for spec in specs))
    out = []
    for spec in specs:
        out.append(spec.format(value & ((1 << spec.bits) - 1)))
        value >>= spec.bits
    return out


def common(
    source: Source, kind: str, pins: Pins, needs: Needs, extra: Sequence[str] = ()
) -> tuple[Common, list[str]]:
    """What the items of one payload share, and the SIDs of ``extra`` names drawn in the same choice
    (a single item's own sid and credential)."""
    item_kind = ITEM_KIND.get(kind, kind)
    api = KIND_TABLE[kind].api
    has_user = KIND_TABLE[item_kind].user
    shared_names = ("account_sid", "service_sid", *(("user_sid",) if has_user else ()))
    wanted = [name for name in shared_names if name not in pins]
    types = facts.enum(api.binding_types) if kind in PAGE_KINDS else ()
    drawn = sids(source, [*wanted, *(["credential_sid"] * len(types)), *extra])
    values = {**dict(zip(wanted, drawn, strict=False)), **{n: pins[n] for n in shared_names if n in pins}}
    credentials = dict(zip(types, drawn[len(wanted) : len(wanted) + len(types)], strict=True))
    identity, by_identity = None, False
    if kind in USER_PAGE_KINDS:  # the items of a user's page are that one user's bindings
        identity = pinned(pins, "identity", lambda: realism.identity(source, plain=needs.plain))
        path = pinned(pins, "user_path", lambda: choice(source, USER_PATHS))
        by_identity = path == "identity"
    origin = pins.get("origin", api.origin)
    shared = Common(
        values["account_sid"],
        values["service_sid"],
        values.get("user_sid"),
        identity,
        credentials,
        origin,
        kind,
        by_identity,
    )
    return shared, drawn[len(wanted) + len(types) :]


def binding(
    source: Source, pins: Pins, shared: Common, sid_: str, needs: Needs = NEEDS, credential: str | None = None
) -> BindingParts:
    """One binding's parts: its own type, dates, device token, identity and message types; its push
    credential the one pinned, else its page's for its type, else ``credential``, else drawn."""
    api = KIND_TABLE[shared.kind].api
    known = binding_types(ITEM_KIND.get(shared.kind, shared.kind), needs.profile)
    binding_type = pinned(pins, "binding_type", lambda: choice(source, known))
    created, updated = dates(source, pins)
    endpoint = pinned(pins, "endpoint", lambda: realism.endpoint(source, binding_type))
    identity = shared.identity or pinned(
        pins, "identity", lambda: realism.identity(source, plain=needs.plain)
    )
    credential = (
        pins.get("credential_sid")
        or shared.credentials.get(binding_type)
        or credential
        or sid(source, "credential_sid")
    )
    types = pinned(
        pins, "message_types", lambda: realism.message_types(source, facts.enum(api.message_types))
    )
    item_kind = ITEM_KIND.get(shared.kind, shared.kind)
    loose = loosening(source, item_kind, pins, needs.profile) if needs.profile != "strict" else STRICT
    return BindingParts(
        sid=sid_,
        account_sid=shared.account_sid,
        service_sid=shared.service_sid,
        credential_sid=credential,
        date_created=created,
        date_updated=updated,
        endpoint=endpoint,
        identity=identity,
        binding_type=binding_type,
        message_types=tuple(types),
        user_sid=shared.user_sid,
        origin=shared.origin,
        loose=loose,
    )


def binding_types(kind: str, profile: str) -> tuple[str, ...]:
    """The binding types drawn for an item ``kind``: its API's, or a spec profile's enum
    (:mod:`..spec.openapi_profile`), in schemas/' order and then the spec's."""
    known = facts.enum(KIND_TABLE[kind].api.binding_types)
    spec = openapi_profile(profile)
    member = spec.members.get(kind, {}).get("binding_type") if spec is not None else None
    if member is None or member.enum is None:
        return known
    return tuple(dict.fromkeys((*(t for t in known if t in member.enum), *member.enum)))


def loosening(source: Source, kind: str, pins: Pins, profile: str = "published") -> Loosening:
    """What a body of an item ``kind`` leaves null or out, or adds, as Twilio's published spec
    allows, or a profile file (:func:`.schemas.profile_file`: its members, no undocumented ones).
    Each member is one choice of its own, and its first option, the strict member, is the
    simplest: a shrunk example departs from the strict body in the one member that matters, null
    before left out. A pinned member stays as pinned."""
    read, spec = schemas.profile_file(profile), openapi_profile(profile)
    documented = spec.members.get(kind) if spec is not None else None
    undocumented: frozenset[str] = frozenset()
    if documented is not None:  # a spec profile: its nullability; a member it lacks, always out
        nullable: Collection[str] = {m for m, fact in documented.items() if fact.nullable}
        optional: Collection[str] = frozenset(facts.properties(kind)) - TELLING
        undocumented = frozenset(facts.properties(kind)) - set(documented)
        future = {}
    elif read is None:
        nullable = facts.nullable(kind)
        optional = frozenset(facts.properties(kind)) - TELLING
        future = realism.FUTURE_MEMBERS
    else:
        may_be_null = read.nullable.get(kind, frozenset())
        nullable = _absentable(kind, may_be_null, may_be_null)
        optional = _absentable(kind, read.optional.get(kind, frozenset()), may_be_null)
        future = {}
    nulls: list[str] = []
    missing: list[str] = []
    for name in facts.properties(kind):
        if part_name(kind, name) in pins:
            continue
        state = source.integer(0, LOOSE_ODDS - 1)
        if name in undocumented:
            missing.append(name)
        elif state == 1 and name in nullable:
            nulls.append(name)
        elif state == 2 and name in optional:
            missing.append(name)
    extra = tuple(
        (name, value(source)) for name, value in future.items() if source.integer(0, LOOSE_ODDS - 1) == 1
    )
    return Loosening(frozenset(nulls), frozenset(missing), extra)


def _absentable(kind: str, names: Collection[str], nullable: Collection[str]) -> frozenset[str]:
    """Of ``names``, those a body may lack under a profile file: every member built from one (a url
    from the sids it names) becomes null with it (:func:`.builders.loosen`), so must be nullable."""
    members = facts.properties(kind)
    return frozenset(
        name
        for name in names
        if all(m in nullable for m in members if m != name and part_name(kind, name) in derived_from(kind, m))
    )


def _count(source: Source, size: int, pins: Pins, needs: Needs) -> tuple[int, int]:
    """``(items on the page, items to draw)``. An empty page (a listing with nothing in it) makes the
    same draws as a one-item page, so that the shrinker settles on the one-item page."""
    if "count" in pins:
        return int(pins["count"]), int(pins["count"])
    if needs.overfull:
        count = size + source.integer(1, OVERFILL)
        return count, count
    count = source.integer(max(1, needs.min_items), size)
    if needs.min_items == 0 and choice(source, (False, True)):
        return 0, 1
    return count, count


def page(source: Source, kind: str, pins: Pins, needs: Needs = NEEDS) -> PageParts:
    """One page drawn alone: a page size, a page number, up to page_size items of one service."""
    low, high, _ = facts.page_size_bounds(kind)
    size = pinned(pins, "page_size", lambda: source.integer(max(low, needs.min_items), high))
    if "page" in pins:
        number = int(pins["page"])
    elif needs.page == "first":
        number = 0
    else:
        number = source.integer(1 if needs.page == "later" else 0, MAX_PAGE)
    count, drawn = _count(source, size, pins, needs)
    shared, _ = common(source, kind, pins, needs)
    items = tuple(binding(source, pins, shared, s, needs) for s in unique_sids(source, "binding_sid", drawn))
    items = items[:count]
    has_next = choice(source, (False, True)) and count >= size > 0  # only a full page has more after it
    token = f"PA{sid(source, 'binding_sid')}" if number != 0 else None
    return PageParts(
        kind,
        number,
        size,
        shared.service_sid,
        items,
        shared.user_sid,
        token,
        has_next,
        shared.origin,
        identity=shared.listed_identity,
    )


def walk(
    source: Source, kind: str, pins: Pins, total: int | None, size: int | None, needs: Needs = NEEDS
) -> list[PageParts]:
    """A whole listing of ``total`` items, ``size`` a page (each drawn when None)."""
    low, high, _ = facts.page_size_bounds(kind)
    size = source.integer(low, high) if size is None else size
    if total is None:
        total = 0 if choice(source, (False, True)) else source.integer(1, 3 * size)
    shared, _ = common(source, kind, pins, needs)
    items = tuple(binding(source, pins, shared, s, needs) for s in unique_sids(source, "binding_sid", total))
    first = PageParts(
        kind,
        0,
        size,
        shared.service_sid,
        (),
        shared.user_sid,
        origin=shared.origin,
        identity=shared.listed_identity,
    )
    return listing(first, items)


def error(source: Source, pins: Pins, needs: Needs = NEEDS) -> ErrorParts:
    """An error envelope; code and more_info on every 4xx and on the 5xx Twilio sends them with."""
    low, high = facts.error_status_bounds()
    details_max, _ = facts.error_details()
    high = min(high, details_max) if needs.client_error else high
    statuses = tuple(s for s in realism.STATUSES if low <= s <= high)
    status = pinned(pins, "status", lambda: choice(source, statuses))
    details = (
        needs.details
        or status <= details_max
        or status in realism.TWILIO_ERRORS
        or "code" in pins
        or "more_info" in pins
    )
    code = pins.get("code", realism.error_code(status)) if details else None
    message = pinned(pins, "message", lambda: realism.error_message(status, lambda: _resource(source)))
    info = pins.get("more_info") or (more_info(code) if code is not None else None)
    return ErrorParts(status, message, code, info)


def _resource(source: Source) -> str:
    """A binding's path as a 404 message names it: Twilio leaves out the API version."""
    service, binding = sid(source, "service_sid"), sid(source, "binding_sid")
    return build_url("binding", "", ServiceSid=service, Sid=binding).removeprefix(f"/{CHAT.version}")


def parts(source: Source, kind: str, pins: Pins, needs: Needs = NEEDS) -> Parts:
    """The parts of one valid payload of ``kind``."""
    if kind in PAGE_KINDS:
        return page(source, kind, pins, needs)
    if kind == "error":
        return error(source, pins, needs)
    own = [
        name
        for name, pin in (("binding_sid", "sid"), ("credential_sid", "credential_sid"))
        if pin not in pins
    ]
    shared, drawn = common(source, kind, pins, needs, own)
    mine = dict(zip(own, drawn, strict=True))
    sid_ = pins["sid"] if "sid" in pins else mine["binding_sid"]
    return binding(source, pins, shared, sid_, needs, mine.get("credential_sid"))
