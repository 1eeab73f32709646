"""The state a user's cassettes show: services, users and bindings as last seen, deletes applied.
Each exchange is judged as ``binding-contracts check`` judges it; a binding whose body broke the
contract is reported (:class:`Rejected`) and never loaded."""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

from .._inputs import parse_json
from ..checking.rules.item import user_member
from ..errors import InputError, UsageError
from ..report import Report, clip
from ..spec.formats import Instant, date_time_instant
from ..spec.kinds import ITEMS_KEY, KIND_TABLE, PAGE_ITEM_KIND, service_member
from ..spec.routes import route
from ..traffic.cassette_files import find, load
from ..traffic.interactions import Interaction, Session, check_interaction
from .state import Store

PROFILE: Final = "strict"
"""What the exchanges are judged under: ``check``'s default, and the profile of every body the fake
serves (a binding with a null member could not be served as it was recorded)."""

RECORD_RULES: Final = "cassette."
"""The family of the rules about a cassette's record rather than the exchange (traffic/leaks.py)."""
_MEMBERS: Final = ("sid", "account_sid", "identity", "endpoint", "credential_sid", "binding_type")
_DATES: Final = ("date_created", "date_updated")


@dataclass(frozen=True)
class Rejected:
    """A binding left out because a body showing it broke the contract: its service and sid (None
    when the body does not say), the interaction (``PATH#INDEX METHOD URL``) and the rules it broke."""

    service: str | None
    sid: str | None
    source: str
    rules: tuple[str, ...]

    def __str__(self) -> str:
        named = f"binding {self.sid}" if self.sid else "binding(s) without a readable sid"
        where = f" of service {self.service}" if self.service else ""
        return f"{named}{where} left out: {', '.join(self.rules)} ({self.source})"


@dataclass
class _Sighting:
    fields: dict[str, Any]
    rank: tuple[Instant, int]
    """When it was last updated by its own clock, then where it was seen: the latest is the state."""


@dataclass
class Recorded:
    """What cassettes showed. ``bindings`` are the store's fields of each binding loaded, in the order
    first seen; ``users`` maps (service, identity) to the user sid seen last, None when none was."""

    services: list[str] = field(default_factory=list)
    users: dict[tuple[str, str], str | None] = field(default_factory=dict)
    bindings: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)

    @property
    def account_sid(self) -> str | None:
        """The account the bindings name most often (the first of equals), or None without bindings."""
        counts = Counter(b["account_sid"] for b in self.bindings)
        return counts.most_common(1)[0][0] if counts else None

    def seed(self, store: Store) -> None:
        """Put the services, users and bindings into ``store``."""
        with store.lock:
            for service in self.services:
                store.add_service(service)
            for (service, identity), user_sid in self.users.items():
                store.add_user(service, identity, user_sid or derived_user_sid(service, identity))
            for fields in self.bindings:
                store.add_binding(**fields)


def derived_user_sid(service: str, identity: str) -> str:
    """A user sid for a user the cassettes showed only by identity: the same in every load."""
    return "US" + hashlib.sha256(f"{service}\0{identity}".encode()).hexdigest()[:32]


def paths_of(given: Iterable[object]) -> list[str]:
    """The paths in ``given``: each a path (``str`` or ``os.PathLike``) or any iterable of paths
    (a list, a tuple, a generator, ``Path.glob(...)``); :class:`UsageError` naming anything else."""
    names: list[str] = []
    for arg in given:
        inner = [arg] if isinstance(arg, str | os.PathLike) else _iterated(arg)
        for value in inner:
            path = os.fspath(value) if isinstance(value, str | os.PathLike) else None
            if not isinstance(path, str):
                raise UsageError(
                    f"Got {type(value).__name__} {clip(repr(value), 80)} in FakeBindingAPI.from_cassettes(), "
                    "but expected "
                    "paths of cassette files or directories (str or os.PathLike), or iterables of them"
                )
            names.append(path)
    return names


def _iterated(arg: object) -> list[object]:
    if isinstance(arg, bytes | bytearray | Mapping) or not isinstance(arg, Iterable):
        return [arg]  # refused by the caller, by name
    return list(arg)


def read(paths: Iterable[object]) -> Recorded:
    """The state the cassettes at ``paths`` (files, or directories searched as ``check`` searches
    them, or iterables of those: :func:`paths_of`) show; :class:`InputError` for a cassette
    ``check`` could not read, or none found."""
    names = paths_of(paths)
    files = list(find(names))
    if not files:
        raise InputError(", ".join(names) or "no path", "holds no cassette (*.yaml, *.yml, *.json)")
    loader = _Loader()
    for path in files:
        loader.cassette(load(path).interactions)
    return loader.result()


class _Loader:
    def __init__(self) -> None:
        self.order = 0
        self.services: dict[str, None] = {}
        self.users: dict[tuple[str, str], str | None] = {}
        self.seen: dict[tuple[str, str], _Sighting] = {}
        self.deleted: set[tuple[str, str]] = set()
        self.rejected: dict[tuple[str | None, str | None], Rejected] = {}
        self.unnamed: list[Rejected] = []

    def cassette(self, interactions: list[Interaction]) -> None:
        session = Session()  # one per cassette, as check keeps one: walks and deletes in order
        for it in interactions:
            report = check_interaction(it, profile=PROFILE, session=session)
            if report is not None:
                self.interaction(it, report)

    def interaction(self, it: Interaction, report: Report) -> None:
        r = route(it.method, it.url)
        if r is None or r.operation == "other" or not 200 <= it.status < 300:
            return
        # What the record holds (a credential, PII left in: ``cassette.*``) is about the cassette,
        # not about what the API answered: it leaves no binding out.
        errors = [v for v in report.violations if not v.rule.startswith(RECORD_RULES)]
        m = r.match
        self.services.setdefault(m.service)
        if r.kind is None:  # a delete: Twilio never gives a sid to another binding
            if m.sid is not None and it.status == 204:
                self.deleted.add((m.service, m.sid))
            return
        source = it.source or it.request_line
        try:
            doc = parse_json(source, _raw(it))
        except InputError:
            doc = None
        item_kind = PAGE_ITEM_KIND.get(r.kind)
        if item_kind is None:  # a fetch: the body is the binding the url names
            if errors:
                self.reject(m.service, m.sid, source, {v.rule for v in errors})
            elif isinstance(doc, Mapping):
                self.sight(r.kind, doc)
            return
        if m.user is not None and user_member(m.user) == "identity" and not errors:
            self.users.setdefault((m.service, m.user), None)  # a user the answer says exists
        items = doc.get(ITEMS_KEY) if isinstance(doc, Mapping) else None
        if not isinstance(items, list):
            if errors:
                self.unnamed.append(Rejected(m.service, None, source, _rules(errors)))
            return
        for i, item in enumerate(items):
            inside = f"/{ITEMS_KEY}/{i}"
            broken = {v.rule for v in errors if f"{v.path}/".startswith(inside + "/")}
            if broken:
                sid = item.get("sid") if isinstance(item, Mapping) else None
                self.reject(m.service, sid if isinstance(sid, str) else None, source, broken)
            elif isinstance(item, Mapping):
                self.sight(item_kind, item)

    def sight(self, kind: str, doc: Mapping[str, Any]) -> None:
        """A binding's body that broke nothing: the state of its sid if it is the latest seen."""
        self.order += 1
        service = doc[service_member(kind)]
        values = {name: doc[name] for name in (*_MEMBERS, *_DATES)}
        values["service_sid"] = service
        values["message_types"] = tuple(doc["message_types"])
        key, identity = (service, values["sid"]), values["identity"]
        if KIND_TABLE[kind].user:
            self.users[(service, identity)] = doc["user_sid"]
        else:
            self.users.setdefault((service, identity), None)
        rank = (_moment(values["date_updated"]), self.order)
        before = self.seen.get(key)
        if before is None:
            self.seen[key] = _Sighting(values, rank)
        elif rank > before.rank:
            before.fields, before.rank = values, rank

    def reject(self, service: str | None, sid: str | None, source: str, rules: set[str]) -> None:
        found = Rejected(service, sid, source, tuple(sorted(rules)))
        if sid is None:
            self.unnamed.append(found)
        else:
            self.rejected.setdefault((service, sid), found)

    def result(self) -> Recorded:
        out = Recorded(rejected=[*self.rejected.values(), *self.unnamed])
        gone = self.deleted | set(self.rejected)
        for key, seen in self.seen.items():  # in the order first seen
            if key in gone:
                continue
            service, identity = seen.fields["service_sid"], seen.fields["identity"]
            self.services.setdefault(service)
            user_sid = self.users.get((service, identity)) or derived_user_sid(service, identity)
            out.bindings.append({**seen.fields, "user_sid": user_sid})
        out.services = list(self.services)
        out.users = dict(self.users)
        return out


def _rules(violations: Iterable[Any]) -> tuple[str, ...]:
    return tuple(sorted({v.rule for v in violations}))


def _raw(it: Interaction) -> bytes:
    return it.body.encode("utf-8") if isinstance(it.body, str) else (it.body or b"")


def _moment(text: str) -> Instant:
    """An RFC 3339 date-time (``check`` found it valid) as an instant, a leap second included."""
    return date_time_instant(text) or _NEVER


_NEVER: Final = Instant(-1, False, Decimal(0))
