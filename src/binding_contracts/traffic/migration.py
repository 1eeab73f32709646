"""What a client saw of the same identities from Chat v2 and from Conversations v1, compared across
the renamed members and message types: the migration aid behind ``binding-contracts migrate-check``.

Bindings are read from the successful Binding answers of vcrpy cassettes (fetches and pages) and
keyed by service and identity, then by endpoint. Mapping (both APIs serve the same services, so a
service sid is the same on both sides): ``service_sid`` is ``chat_service_sid``; the message types
``new_message``, ``added_to_channel`` and ``removed_from_channel`` are ``new_message``,
``added_to_conversation`` and ``removed_from_conversation``; ``invited_to_channel`` has no
Conversations counterpart and is left out (Conversations adds participants, it does not invite them);
a binding's sid is not compared (a binding is matched by its endpoint).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from ..errors import InputError
from ..report import MESSAGE_CAP, SOURCE_CAP, brief, clip, shorten
from ..spec.kinds import CHAT, CONVERSATIONS, ITEMS_KEY, KIND_TABLE, Api, message_types_in
from ..spec.routes import route
from ..spec.schemas import shipped_dir
from .cassette_files import find, load
from .interactions import Interaction

__all__ = [
    "Comparison",
    "Difference",
    "Key",
    "Observed",
    "Seen",
    "compare",
    "examples_dir",
    "observe",
]

Key = tuple[str, str]
"""(service sid, identity)."""


@dataclass(frozen=True)
class Seen:
    """One binding as a client saw it, its message types in Conversations' vocabulary."""

    binding_type: str
    message_types: frozenset[str]


@dataclass
class Observed:
    """Every binding one API showed in a set of cassettes: service and identity -> endpoint -> binding."""

    api: Api
    bindings: dict[Key, dict[str, Seen]] = field(default_factory=dict)

    def add(self, item: Mapping[str, Any]) -> None:
        service, identity = item.get(self.api.service_member), item.get("identity")
        endpoint, binding_type = item.get("endpoint"), item.get("binding_type")
        types = item.get("message_types")
        if not all(isinstance(v, str) for v in (service, identity, endpoint, binding_type)):
            return  # a body the contract check would reject: nothing to compare
        listed = tuple(t for t in types if isinstance(t, str)) if isinstance(types, list) else ()
        seen = Seen(str(binding_type), frozenset(message_types_in(CONVERSATIONS, listed)))
        self.bindings.setdefault((str(service), str(identity)), {})[str(endpoint)] = seen


def examples_dir() -> Path:
    """The example cassettes shipped with the package: ``chat.yaml``, ``conversations.yaml`` (the
    same bindings read through Conversations) and ``conversations-after.yaml`` (two of them changed)."""
    return shipped_dir("examples/migration")


def observe(paths: list[str], api: Api) -> Observed:
    """The bindings ``api`` answered with in the cassettes at ``paths`` (files or directories);
    :class:`InputError` when a cassette is unreadable or none shows a binding of ``api``."""
    files = list(find(paths))
    where = ", ".join(paths)
    if not files:
        raise InputError(where, "holds no cassette (*.yaml, *.yml, *.json)")
    observed = Observed(api)
    answers = 0
    for path in files:
        for it in load(path).interactions:
            for item in _bindings(it, api):
                answers += 1
                observed.add(item)
    if not answers:
        raise InputError(where, f"holds no {_NAMES[api.name]} binding answer (fetch or read, status 200)")
    return observed


_NAMES: Final = {CHAT.name: "Chat v2", CONVERSATIONS.name: "Conversations v1"}


def _bindings(it: Interaction, api: Api) -> Iterable[Mapping[str, Any]]:
    r = route(it.method, it.url)
    if r is None or r.kind is None or it.status != 200 or KIND_TABLE[r.kind].api != api:
        return ()
    try:
        doc = json.loads(it.body) if it.body else None
    except (ValueError, UnicodeDecodeError):
        return ()
    if not isinstance(doc, dict):
        return ()
    items = doc.get(ITEMS_KEY) if KIND_TABLE[r.kind].item_kind else [doc]
    return [i for i in items if isinstance(i, Mapping)] if isinstance(items, list) else ()


@dataclass(frozen=True)
class Difference:
    """What differs for one endpoint of one identity."""

    service: str
    identity: str
    endpoint: str
    message: str

    def line(self) -> str:
        """``IDENTITY in SERVICE: endpoint ENDPOINT: what differs`` (the endpoint capped)."""
        who = f"{shorten(self.identity)} in {brief(self.service)}"
        return f"{who}: endpoint {shorten(self.endpoint, 24)}: {clip(self.message, MESSAGE_CAP)}"

    def to_dict(self) -> dict[str, str]:
        """The JSON form, each value capped as :meth:`line` caps it (the endpoint less tightly)."""
        return {
            "service": brief(self.service),
            "identity": brief(self.identity),
            "endpoint": brief(self.endpoint, SOURCE_CAP),
            "message": clip(self.message, MESSAGE_CAP),
        }


@dataclass(frozen=True)
class Comparison:
    """The differences, and the identities compared and seen on one side only."""

    differences: tuple[Difference, ...]
    compared: int
    only_chat: int
    only_conversations: int

    @property
    def ok(self) -> bool:
        return not self.differences and self.compared > 0


def compare(chat: Observed, conversations: Observed) -> Comparison:
    """Each identity seen from both APIs: the same endpoints, each with the same binding type and
    the same message types (in Conversations' vocabulary)."""
    common = sorted(chat.bindings.keys() & conversations.bindings.keys())
    found: list[Difference] = []
    for service, identity in common:
        old, new = chat.bindings[service, identity], conversations.bindings[service, identity]
        for endpoint in sorted(old.keys() | new.keys()):
            message = _differs(old.get(endpoint), new.get(endpoint))
            if message is not None:
                found.append(Difference(service, identity, endpoint, message))
    return Comparison(
        tuple(found),
        len(common),
        len(chat.bindings.keys() - conversations.bindings.keys()),
        len(conversations.bindings.keys() - chat.bindings.keys()),
    )


def _differs(chat: Seen | None, conversations: Seen | None) -> str | None:
    if chat is None:
        assert conversations is not None
        return f"only in Conversations ({conversations.binding_type})"
    if conversations is None:
        return f"only in Chat ({chat.binding_type})"
    parts = []
    if chat.binding_type != conversations.binding_type:
        parts.append(
            f"binding type {chat.binding_type} in Chat, {conversations.binding_type} in Conversations"
        )
    if chat.message_types != conversations.message_types:
        parts.append(
            f"message types {_types(chat.message_types)} in Chat (mapped), "
            f"{_types(conversations.message_types)} in Conversations"
        )
    return "; ".join(parts) or None


def _types(types: frozenset[str]) -> str:
    return "[" + ", ".join(sorted(types)) + "]"
