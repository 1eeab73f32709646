"""A schema node seen through its ``$ref``\\ s and its nullability, the same for both sides: Twilio's
spec (OpenAPI 3.0 ``nullable``, 3.1 ``type: [..., "null"]``) and schemas/ (JSON Schema 2020-12)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Protocol

from .._json import a_type, join
from .openapi import MAX_HOPS, Location

X_NULLABLE: Final = "x-twilio-nullable"
"""The published profile wraps a node so annotated in ``anyOf: [node, null]``; in the schema file the
node is written where the wrapper is, so that is where a difference points."""

NUMBER: Final = (int, float)


class Document(Protocol):
    def lookup(self, ref: str, at: Location) -> tuple[Location, Any]: ...

    def error(self, at: Location, problem: str) -> Exception: ...


@dataclass(frozen=True)
class Node:
    """A schema node: the chain of objects its ``$ref``\\ s lead through, outermost first, and where
    it was declared nullable (None when it is not)."""

    document: Document
    hops: tuple[tuple[Location, Mapping[str, Any]], ...]
    nullable_at: Location | None

    @property
    def home(self) -> Location:
        """Where the innermost object is written: a keyword the node lacks would go there."""
        return self.hops[-1][0]

    @property
    def nullable(self) -> bool:
        return self.nullable_at is not None

    def at(self, keyword: str) -> Location:
        """Where ``keyword`` is written (the outermost object that has it), or would be."""
        for (doc, ptr), node in self.hops:
            if keyword in node:
                return doc, join(ptr, keyword)
        return self.home[0], join(self.home[1], keyword)

    @property
    def written_at(self) -> Location:
        """Where the node's parent writes it (before any ``$ref`` is followed)."""
        return self.hops[0][0]

    def outer(self, keyword: str) -> Location:
        """Where ``keyword`` would go on the node as its parent writes it."""
        doc, ptr = self.written_at
        return doc, join(ptr, keyword)

    def get(self, keyword: str, expected: type | tuple[type, ...]) -> Any:
        """The value of ``keyword`` (the outermost one), None when absent; of the expected type."""
        for _, node in self.hops:
            if keyword in node:
                value = node[keyword]
                if not isinstance(value, expected) or (isinstance(value, bool) and expected is NUMBER):
                    raise self.document.error(self.at(keyword), f"{keyword} is {a_type(value)}")
                return value
        return None

    @property
    def types(self) -> frozenset[str] | None:
        """The JSON types allowed besides null; None when the node does not restrict the type."""
        value = self.get("type", (str, list))
        if value is None:
            return None
        listed = [value] if isinstance(value, str) else value
        if not all(isinstance(t, str) for t in listed):
            raise self.document.error(self.at("type"), "type lists something that is not a string")
        return frozenset(listed) - {"null"}

    def enum(self) -> list[Any] | None:
        values = self.get("enum", list)
        return None if values is None else [v for v in values if v is not None]

    def items(self) -> Node:
        """The node of an array's items (an unrestricted node when the array does not say)."""
        where = self.at("items")
        return view(self.document, self.get("items", dict) or {}, where)

    def properties(self) -> dict[str, Node] | None:
        """The member nodes an object documents, None when it lists none."""
        members = self.get("properties", dict)
        if members is None:
            return None
        doc, ptr = self.at("properties")
        return {name: view(self.document, value, (doc, join(ptr, name))) for name, value in members.items()}


def view(document: Document, value: object, at: Location) -> Node:
    """The node written at ``at``: ``$ref``\\ s followed, ``anyOf``/``oneOf`` with null unwrapped."""
    hops: list[tuple[Location, Mapping[str, Any]]] = []
    nullable_at: Location | None = None
    for _ in range(MAX_HOPS):
        if not isinstance(value, dict):
            raise document.error(at, f"a schema is {a_type(value)}, expected an object")
        hops.append((at, value))
        nullable_at = nullable_at or _nullable_at(value, at)
        union = _null_union(value)
        ref = value.get("$ref")
        if union is not None:
            keyword, index, value = union
            at = at if X_NULLABLE in hops[-1][1] else (at[0], join(at[1], keyword, index))
        elif isinstance(ref, str):
            at, value = document.lookup(ref, at)
        else:
            return Node(document, tuple(hops), nullable_at)
    raise document.error(at, f"$ref chain longer than {MAX_HOPS} (a cycle?)")


def _nullable_at(node: Mapping[str, Any], at: Location) -> Location | None:
    doc, ptr = at
    if node.get("nullable") is True:
        return doc, join(ptr, "nullable")
    if node.get(X_NULLABLE) is True:
        return doc, join(ptr, X_NULLABLE)
    if isinstance(node.get("type"), list) and "null" in node["type"]:
        return doc, join(ptr, "type")
    if isinstance(node.get("enum"), list) and None in node["enum"]:
        return doc, join(ptr, "enum")
    if _null_union(node) is not None:
        keyword = "anyOf" if "anyOf" in node else "oneOf"
        return doc, join(ptr, keyword)
    return None


def _null_union(node: Mapping[str, Any]) -> tuple[str, int, object] | None:
    """(keyword, index, the other member) of ``anyOf``/``oneOf`` of two members, one of them null."""
    for keyword in ("anyOf", "oneOf"):
        members = node.get(keyword)
        if isinstance(members, list) and len(members) == 2:
            nulls = [i for i, m in enumerate(members) if isinstance(m, dict) and m.get("type") == "null"]
            if len(nulls) == 1:
                index = 1 - nulls[0]
                return keyword, index, members[index]
    return None
