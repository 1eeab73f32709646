"""A fake's whole world as data: services, users, bindings, and the ways its answers vary.

A :class:`World` is frozen, comparable and printable; ``FakeBindingAPI.load(world)`` serves it.
:func:`draw_world` draws one from a :class:`~.source.Source`: every variation is a choice of its
own whose first option is the plain answer, so a Hypothesis-drawn world that breaks a consumer
shrinks to the one variation that breaks it.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field, replace
from typing import Final

from ..errors import UsageError, did_you_mean
from ..spec import facts
from ..spec.kinds import KIND_TABLE
from ..spec.routes import OPERATIONS
from . import realism
from .builders import part_name
from .drawing import LOOSE_ODDS, dates, loosening, sid, unique_sids
from .source import Source, choice

CLASSES: Final = {
    "null": "null member",
    "missing": "left-out member",
    "unknown-enum": "unknown enum value",
    "undocumented": "undocumented member",
    "empty": "empty listing",
    "page-boundary": "page boundary",
    "deleted": "deleted meanwhile",
    "429": "429",
    "5xx": "5xx",
    "401": "401",
    "truncated": "truncated",
    "blank": "blank body",
    "delay": "delay",
}
"""Every variation class, by id, and its name in the robustness table (in the table's order)."""

SPEC_CLASSES: Final = frozenset({"null", "missing", "undocumented", "empty", "page-boundary", "deleted"})
"""The classes whose answers Twilio's published spec allows: a client of the spec must survive
them. The others (an enum value the contract does not know yet, error statuses the spec does not
document, transport faults) go beyond it."""

MEMBER_CLASSES: Final = ("null", "missing", "undocumented", "unknown-enum")
"""The classes that vary a binding's body, in every answer that shows it."""
REQUEST_CLASSES: Final = ("deleted", "429", "5xx", "401", "truncated", "blank", "delay")
"""The classes that vary one request's answer (the ``at``-th of an operation, or of all)."""

FUTURE_VALUES: Final = {
    "binding_type": ("twilsock", "webpush", "voip"),
    "message_types": ("new_reaction", "typing_started"),
}
"""Enum values the contract does not know yet (the next ``twilsock``), per enum member; those a
kind already knows are left out for it."""

MAX_AT: Final = 3
"""A request variation hits one of an operation's first four requests."""
MAX_TIMES: Final = 3
"""An error answer repeats on up to three requests in a row (a retrying client outlasts it)."""
DELAYS: Final = (0.12, 0.25)
RETRY_AFTER: Final = (1, 2)
MAX_SERVICES: Final = 2
MAX_USERS: Final = 3
MAX_BINDINGS: Final = 3
"""A plain service holds one to three bindings; a listing variation replaces that count."""


@dataclass(frozen=True)
class User:
    service: str
    sid: str
    identity: str


@dataclass(frozen=True)
class Binding:
    """One binding of the world: its stored members (urls are written by the server)."""

    sid: str
    service: str
    identity: str
    binding_type: str
    message_types: tuple[str, ...]
    endpoint: str
    credential_sid: str
    date_created: str
    date_updated: str


@dataclass(frozen=True)
class Variation:
    """One way an answer departs from the plain one; ``cls`` is its class (:data:`CLASSES`).

    Member classes name ``binding`` and ``member`` (``value``: the JSON text of the value an
    unknown enum value or an undocumented member has). ``empty`` and ``page-boundary`` name the
    ``service`` whose listing holds ``count`` bindings. Request classes hit the ``at``-th request
    (from 0) of ``operation`` (None: of any operation), ``times`` in a row; ``status`` the answer's
    (``deleted``: 404 for a fetch of a binding deleted meanwhile, 400 for a page token gone stale,
    0 for ``binding`` deleted once that read is answered; ``blank``: 200 or 202)."""

    cls: str
    binding: str | None = None
    member: str | None = None
    value: str | None = None
    service: str | None = None
    count: int = 0
    operation: str | None = None
    at: int = 0
    times: int = 1
    status: int = 0
    retry_after: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        if self.cls in ("null", "missing"):
            return f"{CLASSES[self.cls]} {self.member} of {self.binding}"
        if self.cls in ("unknown-enum", "undocumented"):
            return f"{CLASSES[self.cls]} {self.member}={self.value} on {self.binding}"
        if self.cls in ("empty", "page-boundary"):
            return f"{CLASSES[self.cls]}: {self.count} bindings in {self.service}"
        where = f"{self.operation or 'any operation'} request #{self.at}" + (
            f" (x{self.times})" if self.times > 1 else ""
        )
        if self.cls == "deleted":
            if self.status == 404:
                return f"404 (binding deleted meanwhile) on {where}"
            if self.status == 400:
                return f"400/20001 (page token gone stale) on {where}"
            return f"{self.binding} deleted once {where} is answered"
        if self.cls == "429":
            return f"429 Retry-After: {self.retry_after} on {where}"
        if self.cls == "delay":
            return f"delay {self.seconds}s on {where}"
        status = f" {self.status}" if self.status and self.cls != "401" else ""
        return f"{CLASSES[self.cls]}{status} on {where}"


@dataclass(frozen=True)
class World:
    """Everything a fake serves: ``services`` (their sids, in order), ``users`` (by service, sid
    and identity), ``bindings`` (in creation order) and ``variations`` (how its answers depart from
    the plain ones), under ``profile`` (what the member variations were drawn under)."""

    services: tuple[str, ...]
    users: tuple[User, ...]
    bindings: tuple[Binding, ...]
    variations: tuple[Variation, ...] = ()
    profile: str = "published"
    _index: dict[str, Binding] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __repr__(self) -> str:
        variations = "; ".join(str(v) for v in self.variations) or "none (the plain answers)"
        per = ", ".join(f"{s}: {sum(b.service == s for b in self.bindings)}" for s in self.services)
        return f"World(bindings by service {{{per}}}, {len(self.users)} users; variations: {variations})"

    def user_sid(self, service: str, identity: str) -> str | None:
        return next((u.sid for u in self.users if u.service == service and u.identity == identity), None)

    def binding(self, sid: str) -> Binding | None:
        if not self._index:
            self._index.update((b.sid, b) for b in self.bindings)
        return self._index.get(sid)

    def of_class(self, *classes: str) -> tuple[Variation, ...]:
        return tuple(v for v in self.variations if v.cls in classes)

    def classes(self) -> frozenset[str]:
        """The variation classes this world holds."""
        return frozenset(v.cls for v in self.variations)


def check_classes(classes: Collection[str] | None) -> tuple[str, ...]:
    """The classes asked for, in table order (all when None); UsageError naming an unknown one."""
    if classes is None:
        return tuple(CLASSES)
    if isinstance(classes, str):
        classes = (classes,)
    for name in classes:
        if name not in CLASSES:
            raise UsageError(
                f"Got variation class {name!r}, but expected one of {', '.join(CLASSES)}"
                + did_you_mean(name, CLASSES)
            )
    return tuple(c for c in CLASSES if c in classes)


def draw_world(
    source: Source, profile: str = "published", classes: Collection[str] = tuple(CLASSES)
) -> World:
    """A world of one or two services, their users and bindings, with variations of ``classes``."""
    services = tuple(unique_sids(source, "service_sid", source.integer(1, MAX_SERVICES)))
    users: list[User] = []
    bindings: list[Binding] = []
    variations: list[Variation] = []
    sizes = _listing_sizes(classes)
    # sids drawn once for the whole world, so that no two services share one
    user_sids = iter(unique_sids(source, "user_sid", MAX_SERVICES * MAX_USERS))
    binding_sids = iter(unique_sids(source, "binding_sid", MAX_SERVICES * MAX_BINDINGS))
    for service in services:
        mine = _users(source, service, user_sids)
        users += mine
        count = sizes[source.integer(0, len(sizes) - 1)] if len(sizes) > 1 else None
        n = source.integer(1, MAX_BINDINGS)
        drawn = _bindings(source, service, mine, [next(binding_sids) for _ in range(n)])
        # drawn whatever the listing keeps, so that a listing's variation shrinks away on its own
        varied = [v for b in drawn for v in _member_variations(source, b, profile, classes)]
        if count is not None:
            kind = "empty" if count == 0 else "page-boundary"
            variations.append(Variation(kind, service=service, count=count))
            drawn = drawn[:count] + _filler(services.index(service), count - len(drawn), drawn)
        kept = {b.sid for b in drawn}
        bindings += drawn
        variations += [v for v in varied if v.binding in kept]
    variations += _request_variations(source, bindings, classes)
    return World(services, tuple(users), tuple(bindings), tuple(variations), profile)


def _listing_sizes(classes: Collection[str]) -> tuple[int | None, ...]:
    """A listing's sizes, the plain one (None: one to three bindings) first: 0 (empty listing), and
    around the default PageSize: exactly a page, a page and one, many pages (the Chat maximum is the
    default, so a page and one is also an oversized request's cap)."""
    _, _, default = facts.page_size_bounds("binding-page")
    sizes: list[int | None] = [None]
    if "empty" in classes:
        sizes.append(0)
    if "page-boundary" in classes:
        sizes += [default, default + 1, 2 * default + 1]
    return tuple(sizes)


def _users(source: Source, service: str, sids: Iterator[str]) -> list[User]:
    identities: list[str] = []
    for _ in range(source.integer(1, MAX_USERS)):
        identity = realism.identity(source)
        if identity not in identities:
            identities.append(identity)
    return [User(service, next(sids), identity) for identity in identities]


_TYPES: Final = facts.enum("binding_type")
"""The binding types a world's bindings have: Chat's, which both APIs show (a binding only
Conversations shows would make a Chat listing empty outside the ``empty`` class; ``twilsock`` comes
to Chat as an unknown enum value)."""


def _bindings(source: Source, service: str, users: list[User], sids: list[str]) -> list[Binding]:
    known = facts.enum("known_message_type")
    out = []
    for binding_sid in sids:
        binding_type = choice(source, _TYPES)
        created, updated = dates(source, {})
        out.append(
            Binding(
                sid=binding_sid,
                service=service,
                identity=choice(source, users).identity,
                binding_type=binding_type,
                message_types=realism.message_types(source, known),
                endpoint=realism.endpoint(source, binding_type),
                credential_sid=sid(source, "credential_sid"),
                date_created=created,
                date_updated=updated,
            )
        )
    return out


def _filler(number: int, n: int, drawn: list[Binding]) -> list[Binding]:
    """``n`` more plain bindings, copies of the drawn ones under sids of their own (the service's
    ``number`` in their top bits: no drawn sid is one of them): a listing of a hundred costs
    Hypothesis no choices and the drawing no time."""
    if n <= 0 or not drawn:
        return []
    spec = facts.sid_specs()["binding_sid"]
    top = (number + 1) << (spec.bits - 8)
    return [replace(drawn[i % len(drawn)], sid=spec.format(top + i)) for i in range(n)]


def _member_variations(
    source: Source, b: Binding, profile: str, classes: Collection[str]
) -> Iterator[Variation]:
    """A binding's member variations: null, left out and undocumented members as ``profile``
    allows (:func:`.drawing.loosening`, drawn for the view of the API the binding's type is
    Chat's or only Conversations'), and an enum value the contract does not know yet, per member."""
    kind = "binding" if b.binding_type in facts.enum("binding_type") else "conversations-binding"
    if profile != "strict" and {"null", "missing", "undocumented"} & set(classes):
        loose = loosening(source, kind, {}, profile)
        if "null" in classes:
            yield from (Variation("null", b.sid, part_name(kind, m)) for m in sorted(loose.nulls))
        if "missing" in classes:
            yield from (Variation("missing", b.sid, part_name(kind, m)) for m in sorted(loose.missing))
        if "undocumented" in classes:
            yield from (Variation("undocumented", b.sid, m, json.dumps(v)) for m, v in loose.extra)
    if "unknown-enum" in classes:
        for member, values in FUTURE_VALUES.items():
            api = KIND_TABLE[kind].api
            known = set(facts.enum(api.binding_types if member == "binding_type" else api.message_types))
            fresh = tuple(v for v in values if v not in known)
            if source.integer(0, LOOSE_ODDS // 3 - 1) == 1:
                yield Variation("unknown-enum", b.sid, member, json.dumps(choice(source, fresh)))


OPERATION_NAMES: Final = tuple(OPERATIONS)
_READS: Final = tuple(name for name in OPERATIONS if name.startswith("read-"))
_FETCHES: Final = tuple(name for name in OPERATIONS if name.startswith("fetch-"))


def _request_variations(
    source: Source, bindings: list[Binding], classes: Collection[str]
) -> Iterator[Variation]:
    """At most one variation per request class, each present or not as a choice of its own (present
    two times in three: a consumer making one request meets it often)."""
    for cls in REQUEST_CLASSES:
        if cls not in classes or source.integer(0, 2) == 0:
            continue
        at = _at(source)
        if cls == "deleted":
            yield _deleted(source, bindings, at)
            continue
        operation = choice(source, OPERATION_NAMES) if source.integer(0, 1) else None
        if cls in ("429", "5xx"):
            status = 429 if cls == "429" else choice(source, (500, 503))
            retry = choice(source, RETRY_AFTER) if cls == "429" else 0
            times = source.integer(1, MAX_TIMES)
            yield Variation(cls, operation=operation, at=at, times=times, status=status, retry_after=retry)
        elif cls == "401":
            yield Variation(cls, operation=operation, at=at, status=401)
        elif cls == "blank":
            yield Variation(cls, operation=operation, at=at, status=choice(source, (200, 202)))
        elif cls == "delay":
            yield Variation(cls, operation=operation, at=at, seconds=choice(source, DELAYS))
        else:
            yield Variation(cls, operation=operation, at=at)


def _at(source: Source) -> int:
    """Which request a variation hits: the first one half of the time, else one of the next."""
    return source.integer(1, MAX_AT) if source.integer(0, 1) else 0


def _deleted(source: Source, bindings: list[Binding], at: int) -> Variation:
    """A binding deleted between two pages (once the ``at``-th read is answered), a fetch answered
    404 (the binding deleted meanwhile), or a page token gone stale (400 / 20001)."""
    how = source.integer(0, 2)
    if how == 0 and bindings:
        gone = bindings[source.integer(0, len(bindings) - 1)]
        return Variation("deleted", binding=gone.sid, operation=choice(source, _READS), at=at)
    if how == 1:
        return Variation("deleted", operation=choice(source, _FETCHES), at=at, status=404)
    return Variation("deleted", operation=choice(source, _READS), at=at, status=400)
