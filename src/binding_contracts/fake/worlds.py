"""A :class:`~binding_contracts.generation.worlds.World` served: its store, its answers varied as
its variations say, and the exchanges it served (to print a failing example, or write it as a
cassette)."""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, Final

from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wrappers import Request, Response

from ..errors import UsageError
from ..generation.builders import Loosening, loosen
from ..generation.worlds import MEMBER_CLASSES, REQUEST_CLASSES, Variation, World
from ..report import clip
from ..spec import facts
from ..spec.kinds import ITEMS_KEY, PAGE_ITEM_KIND, service_member
from ..spec.routes import route, split_url
from ..traffic.origins import public_origin
from .app import FakeApp, error
from .state import BindingRecord, Snapshot

LOG_CAP: Final = 200
"""The exchanges kept of one world (the last ones): a failing example shows its requests."""
STALE_TOKEN: Final = "Invalid PageToken: the page it named is gone"


@dataclass(frozen=True)
class Exchange:
    """One request the world answered, and how: what a failing example prints and a cassette holds."""

    method: str
    url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    variations: tuple[Variation, ...]

    def line(self) -> str:
        """The request (its path) and the answer's status; a varied answer with its variations and
        its body (of a listing, the varied bindings alone)."""
        parts = split_url(self.url)
        head = f"{self.method} {parts.path}{'?' + parts.query if parts.query else ''} -> {self.status}"
        if not self.variations:
            return head
        why = "; ".join(str(v) for v in self.variations)
        shown = self._shown_body()
        return f"{head}   [{why}]" + (f"\n      {shown}" if shown is not None else "")

    def _shown_body(self) -> str | None:
        if self.status == 204:
            return None
        text = self.body.decode("utf-8", "replace")
        varied = {v.binding for v in self.variations if v.binding}
        try:
            items = json.loads(text).get(ITEMS_KEY) if varied else None
        except ValueError:
            items = None
        if isinstance(items, list):
            chosen = [i for i in items if isinstance(i, dict) and i.get("sid") in varied]
            if chosen:
                text = json.dumps({ITEMS_KEY: chosen, "…": f"{len(items) - len(chosen)} more"})
        return repr(clip(text, 600))


def snapshot_of(world: World, account_sid: str) -> Snapshot:
    """The store's contents for ``world``: bindings numbered in order, under ``account_sid``."""
    services: dict[str, dict[str, BindingRecord]] = {s: {} for s in world.services}
    users: dict[str, dict[str, str]] = {s: {} for s in world.services}
    strays = sorted(({u.service for u in world.users} | {b.service for b in world.bindings}) - set(services))
    if strays:
        raise UsageError(f"Got a world with users or bindings of {strays[0]}, not one of its services")
    for u in world.users:
        users[u.service].setdefault(u.identity, u.sid)
    for seq, b in enumerate(world.bindings, 1):
        stored = {f.name: getattr(b, f.name) for f in fields(b) if f.name != "service"}
        user = users[b.service][b.identity]
        services[b.service][b.sid] = BindingRecord(
            seq=seq, account_sid=account_sid, service_sid=b.service, user_sid=user, **stored
        )
    return Snapshot(services, users, len(world.bindings))


class Served:
    """The answers of a loaded world: called by the app around its own dispatch."""

    def __init__(self, world: World, app: FakeApp) -> None:
        self.world = world
        self.app = app
        self._lock = threading.Lock()
        self._counts: Counter[Any] = Counter()
        self.log: list[Exchange] = []
        self._requests = world.of_class(*REQUEST_CLASSES)
        self._members: dict[str, list[Variation]] = {}
        for v in world.of_class(*MEMBER_CLASSES):
            self._members.setdefault(v.binding or "", []).append(v)

    def __call__(self, request: Request, inner: Callable[[Request], Response]) -> Response:
        url = FakeApp._received_url(request)
        r = route(request.method, url)
        operation = r.operation if r is not None else "other"
        token = "PageToken" in request.args
        with self._lock:
            index = {None: self._counts[None], operation: self._counts[operation]}
            tokened = self._counts[(operation, "token")]
            self._counts.update([None, operation] + ([(operation, "token")] if token else []))
        hits = [v for v in self._requests if _hits(v, operation, index, tokened if token else None)]
        response: Response | None = None
        for v in hits:
            if v.cls == "delay":
                time.sleep(v.seconds)
            elif v.cls in ("429", "5xx", "401") and response is None:
                response = error(v.status)
                if v.status == 429:
                    response.headers["Retry-After"] = str(v.retry_after)
            elif v.cls == "blank" and response is None:
                response = Response(b"", status=v.status, content_type="application/json; charset=utf-8")
            elif v.cls == "deleted" and v.status == 404 and r is not None and r.match.sid is not None:
                self.app.store.delete(r.match.service, r.match.sid)  # then the app answers 404 itself
            elif v.cls == "deleted" and v.status == 400 and response is None:
                response = error(400, detail=STALE_TOKEN)
        if response is None:
            response = inner(request)
            if self._members and response.status_code == 200 and r is not None and r.kind is not None:
                self._vary_members(response, r.kind)
            for v in hits:
                if v.cls == "truncated" and response.status_code != 204:
                    data = response.get_data()
                    response.set_data(data[: len(data) // 2])
                elif v.cls == "deleted" and v.status == 0 and v.binding is not None:
                    gone = self.world.binding(v.binding)
                    if gone is not None:
                        self.app.store.delete(gone.service, gone.sid)
        query = request.query_string.decode("latin-1")
        exchange = Exchange(
            request.method,
            url + (f"?{query}" if query else ""),
            response.status_code,
            tuple((k, v) for k, v in response.headers.items() if k in ("Content-Type", "Retry-After")),
            response.get_data(),
            tuple(hits) + self._shown(response),
        )
        with self._lock:
            self.log.append(exchange)
            del self.log[:-LOG_CAP]
        return response

    def _vary_members(self, response: Response, kind: str) -> None:
        body = json.loads(response.get_data())
        if kind in PAGE_ITEM_KIND:
            item_kind = PAGE_ITEM_KIND[kind]
            body[ITEMS_KEY] = [self._varied(item_kind, item) for item in body.get(ITEMS_KEY, [])]
        else:
            body = self._varied(kind, body)
        response.set_data(json.dumps(body))

    def _varied(self, kind: str, item: dict[str, Any]) -> dict[str, Any]:
        mine = self._members.get(str(item.get("sid")), [])
        if not mine:
            return item
        members = facts.properties(kind)

        def name(part: str | None) -> str:
            return service_member(kind) if part == "service_sid" else str(part)

        nulls = frozenset(name(v.member) for v in mine if v.cls == "null") & set(members)
        missing = frozenset(name(v.member) for v in mine if v.cls == "missing") & set(members)
        extra = tuple((str(v.member), json.loads(v.value or "null")) for v in mine if v.cls == "undocumented")
        out = loosen(kind, item, Loosening(nulls, missing, extra))
        for v in mine:
            if v.cls != "unknown-enum" or v.member not in out:
                continue
            value = json.loads(v.value or "null")
            current = out[v.member]
            out[v.member] = [*current, value] if isinstance(current, list) else value
        return out

    def _shown(self, response: Response) -> tuple[Variation, ...]:
        """The member variations an answer shows: those of the bindings in its body."""
        if not self._members or response.status_code != 200:
            return ()
        text = response.get_data(as_text=True)
        return tuple(v for sid, vs in self._members.items() if sid in text for v in vs)


def _hits(v: Variation, operation: str, index: dict[str | None, int], tokened: int | None) -> bool:
    """Whether request number ``index`` (of its operation, and of all) is one ``v`` varies."""
    if v.operation not in (None, operation):
        return False
    # a stale page token counts the reads that name one
    n = tokened if v.cls == "deleted" and v.status == 400 else index[v.operation]
    return n is not None and v.at <= n < v.at + v.times


_FAKE_URL: Final = re.compile(r"https?://(?:127\.0\.0\.1|localhost|\[::1\]):\d+(?=/)")


def cassette_of(exchanges: list[Exchange]) -> dict[str, Any]:
    """A vcrpy cassette (format version 1) holding ``exchanges`` as they were answered, the fake's
    address written as the public origin of each API (``https://chat.twilio.com`` for ``/v2/``,
    ``https://conversations.twilio.com`` for ``/v1/``), in urls and bodies alike: the twilio SDK
    (or any client aimed at Twilio) replays it with vcrpy, no fake running, no Hypothesis."""

    def public(text: str) -> str:
        return _FAKE_URL.sub(lambda m: public_origin(text[m.end() : m.end() + 4]), text)

    interactions = []
    for e in exchanges:
        headers = {name: [value] for name, value in e.headers}
        interactions.append(
            {
                "request": {"body": None, "headers": {}, "method": e.method, "uri": public(e.url)},
                "response": {
                    "body": {"string": public(e.body.decode("utf-8", "replace"))},
                    "headers": headers,
                    "status": {"code": e.status, "message": HTTP_STATUS_CODES.get(e.status, "")},
                },
            }
        )
    return {"interactions": interactions, "version": 1}
