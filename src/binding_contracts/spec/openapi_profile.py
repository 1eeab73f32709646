"""Profiles read from a Twilio OpenAPI file (``--spec FILE``): the facts of one revision of the spec
that a profile needs (each item kind's members, their nullability and enums; each API's PageSize
bounds), held here so that the schemas can be derived from them (:mod:`.schemas`). Reading the
OpenAPI file is :func:`binding_contracts.drift.profile_from_spec`'s job, on the drift check's reader.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .profiles import SPEC_PREFIX as PREFIX


@dataclass(frozen=True)
class MemberFacts:
    """One member of an item kind as a spec describes it."""

    nullable: bool
    enum: tuple[str, ...] | None = None
    pointer: str = ""
    """Where the spec writes the member (its node in the response schema)."""


@dataclass(frozen=True)
class PageSizeFacts:
    """The PageSize parameter of an API's reads as a spec describes it."""

    minimum: int | None
    maximum: int | None
    pointer: str = ""


@dataclass(frozen=True)
class OpenAPIProfile:
    """A profile read from one OpenAPI file: the published view of schemas/, with each item kind's
    members, nullability and enums and each API's PageSize bounds taken from that file."""

    source: str
    apis: tuple[str, ...]
    """The APIs whose Binding paths the spec describes (``chat``, ``conversations``); the kinds of
    another API keep the ``published`` profile's schemas."""
    members: Mapping[str, Mapping[str, MemberFacts]]
    """Item kind -> member -> facts, for the kinds whose paths the spec describes."""
    page_size: Mapping[str, PageSizeFacts]
    """API name (``chat``, ``conversations``) -> its PageSize bounds."""

    def digest(self) -> str:
        import hashlib  # OpenSSL's library, loaded by a spec profile only, not by every command's start

        facts = {
            "apis": self.apis,
            "members": {k: {m: vars(f) for m, f in ms.items()} for k, ms in self.members.items()},
            "page_size": {a: vars(p) for a, p in self.page_size.items()},
        }
        return hashlib.sha256(json.dumps(facts, sort_keys=True, default=list).encode()).hexdigest()[:12]


_PROFILES: dict[str, OpenAPIProfile] = {}


def register(profile: OpenAPIProfile) -> str:
    """The name a profile read from a spec is used under (the same facts, the same name)."""
    name = f"{PREFIX}{profile.source}#{profile.digest()}"
    _PROFILES.setdefault(name, profile)
    return name


def openapi_profile(name: str) -> OpenAPIProfile | None:
    """The profile read from a spec that ``name`` names, else None."""
    return _PROFILES.get(name) if name.startswith(PREFIX) else None


def member_node(strict: Mapping[str, Any], facts: MemberFacts) -> dict[str, Any]:
    """A member's schema node under a spec profile: its strict node, its enum the spec's, null
    allowed where the spec allows it (annotations ``x-`` kept)."""
    notes = {k: v for k, v in strict.items() if k.startswith("x-")}
    inner = {k: v for k, v in strict.items() if not k.startswith("x-")}
    if facts.enum is not None:
        inner = {"type": "string", "enum": list(facts.enum)}
    if facts.nullable:
        return {"anyOf": [inner, {"type": "null"}], **notes}
    return {**inner, **notes}
