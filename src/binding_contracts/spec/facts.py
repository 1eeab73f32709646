"""Schema facts the generators draw from (SID shapes, enums, members, bounds), read once from schemas/.

Nothing here is retyped from the schemas: change an enum or a pattern there and the generators follow
(after :func:`clear`, for a process that already read them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from . import schemas  # called through the module, so the files read are the ones schemas/ holds now
from .kinds import KIND_TABLE
from .schemas import BASE_URI, DEFS_FILE, schema_file

_SID_PATTERN = re.compile(r"^\^(?P<prefix>[A-Z]{2})\[0-9a-fA-F\]\{(?P<digits>\d+)\}\$$")


@dataclass(frozen=True)
class SidSpec:
    """A SID kind read from its ``$defs`` entry: a two-letter prefix and a number of hex digits."""

    name: str
    prefix: str
    digits: int

    @property
    def bits(self) -> int:
        return 4 * self.digits

    def format(self, number: int) -> str:
        """The SID whose hex part is ``number`` (reduced modulo the SID space), lower case as Twilio's."""
        return f"{self.prefix}{number % (1 << self.bits):0{self.digits}x}"


@dataclass(frozen=True)
class Member:
    """A member of a document of one kind: its path, its schema (``$ref`` followed) and whether required."""

    path: tuple[str, ...]
    schema: Mapping[str, Any]
    required: bool
    location: str
    """The absolute URI of the member's schema node (``…/binding.schema.json#/properties/sid``)."""
    ref: str | None = None
    """The ``$defs`` entry the member refers to (``binding_sid``), if any."""

    @property
    def name(self) -> str:
        return self.path[-1]


def _ref_name(node: Mapping[str, Any]) -> str | None:
    ref = node.get("$ref")
    if isinstance(ref, str) and "#/$defs/" in ref:
        return ref.rsplit("/", 1)[1]
    return None


def _resolve(node: Mapping[str, Any]) -> Mapping[str, Any]:
    name = _ref_name(node)
    resolved: Mapping[str, Any] = schemas.defs()[name] if name else node
    return resolved


@cache
def sid_specs() -> dict[str, SidSpec]:
    """Every SID kind of the shared definitions, by definition name (``binding_sid``, ``user_sid``, …)."""
    out: dict[str, SidSpec] = {}
    for name, node in schemas.defs().items():
        if "x-sid-prefix" not in node:
            continue
        m = _SID_PATTERN.match(node.get("pattern", ""))
        if m is None or m["prefix"] != node["x-sid-prefix"]:
            raise ValueError(
                f"{DEFS_FILE} {name}: got pattern {node.get('pattern')!r}, but a SID pattern is "
                f"^{node['x-sid-prefix']}[0-9a-fA-F]{{N}}$"
            )
        out[name] = SidSpec(name, m["prefix"], int(m["digits"]))
    return out


def sid_by_prefix(prefix: str) -> SidSpec:
    return next(spec for spec in sid_specs().values() if spec.prefix == prefix)


@cache
def members(kind: str) -> tuple[Member, ...]:
    """The members of one document of ``kind``, nested objects (``links``, ``meta``) included, the
    items of a page not (they are documents of the item kind)."""
    doc = schemas.raw_schemas()[schema_file(kind)]
    return tuple(_members(doc, (), f"{doc['$id']}#"))


def _members(node: Mapping[str, Any], base: tuple[str, ...], where: str) -> list[Member]:
    ref = _ref_name(node)
    if ref is not None:
        node, where = schemas.defs()[ref], f"{BASE_URI}{DEFS_FILE}#/$defs/{ref}"
    required = set(node.get("required", ()))
    out: list[Member] = []
    for name, sub in node.get("properties", {}).items():
        resolved, location = _resolve(sub), f"{where}/properties/{name}"
        out.append(Member((*base, name), resolved, name in required, location, _ref_name(sub)))
        if resolved.get("type") == "object" and "properties" in resolved:
            out.extend(_members(sub, (*base, name), location))
    return out


def member(kind: str, *path: str) -> Member:
    return next(m for m in members(kind) if m.path == path)


@cache
def properties(kind: str) -> tuple[str, ...]:
    """The top-level members of a kind in the schema's order (Twilio's order)."""
    return tuple(m.name for m in members(kind) if len(m.path) == 1)


@cache
def nullable(kind: str) -> tuple[str, ...]:
    """The top-level members of a kind that Twilio's published spec lets be null
    (``x-twilio-nullable``), in the schema's order."""
    props = schemas.raw_schemas()[schema_file(kind)]["properties"]
    return tuple(name for name, node in props.items() if node.get("x-twilio-nullable"))


@cache
def sid_members(kind: str) -> dict[str, SidSpec]:
    """The top-level members of a kind that hold a SID, with the SID kind of each."""
    specs = sid_specs()
    return {m.name: specs[m.ref] for m in members(kind) if len(m.path) == 1 and m.ref in specs}


def with_keyword(kind: str, keyword: str) -> tuple[Member, ...]:
    """The members of a kind whose own schema uses ``keyword`` (``pattern``, ``format``, …)."""
    return tuple(m for m in members(kind) if keyword in m.schema)


@cache
def enum(name: str, profile: str = "strict") -> tuple[Any, ...]:
    """The values of a ``$defs`` enum (``binding_type`` or ``known_message_type``) under ``profile``:
    a profile read from a spec holds that revision's (``--spec``), every other profile the contract's."""
    return tuple(_defs(profile)[name]["enum"])


@cache
def page_size_bounds(kind: str = "binding-page", profile: str = "strict") -> tuple[int, int, int]:
    """PageSize ``(minimum, maximum, default)`` of the API serving ``kind`` under ``profile`` (a spec
    profile's are its revision's; a bound the revision leaves out is the contract's)."""
    strict = schemas.defs()[KIND_TABLE[kind].api.page_size]
    param = {**strict, **_defs(profile)[KIND_TABLE[kind].api.page_size]}
    return int(param["minimum"]), int(param["maximum"]), int(param["default"])


def _defs(profile: str) -> dict[str, Any]:
    if profile == "strict":
        return schemas.defs()
    found: dict[str, Any] = schemas.profile_schemas(profile)[DEFS_FILE]["$defs"]
    return found


@cache
def error_status_bounds() -> tuple[int, int]:
    status = schemas.raw_schemas()[schema_file("error")]["properties"]["status"]
    return int(status["minimum"]), int(status["maximum"])


@cache
def error_details() -> tuple[int, tuple[str, ...]]:
    """``(highest status, members)``: an error body up to that status must carry those members."""
    doc = schemas.raw_schemas()[schema_file("error")]
    return int(doc["if"]["properties"]["status"]["maximum"]), tuple(doc["then"]["required"])


def clear() -> None:
    """Forget every fact read, so that the next use reads schemas/ again."""
    for fn in (sid_specs, members, properties, nullable, sid_members, enum, page_size_bounds):
        fn.cache_clear()
    error_status_bounds.cache_clear()
    error_details.cache_clear()
