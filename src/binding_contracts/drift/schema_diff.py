"""One schema node of schemas/ (published profile) against the spec's: members, type, nullability,
format, pattern, length, bounds and enum, down through items and properties."""

from __future__ import annotations

import json
import re
from typing import Any, Final

from .._json import join, resolve
from ..spec.kinds import ITEMS_KEY, KINDS
from ..spec.schemas import DEFS_FILE, profile_schemas, schema_file
from .differences import Collector
from .nodes import NUMBER, X_NULLABLE, Node, view
from .openapi import Location

_KIND_OF_FILE: Final = {schema_file(kind): kind for kind in KINDS}


class Published:
    """schemas/ in the published profile, the side the spec is compared with: the strict-only
    constraints are already dropped, so the strict profile's deliberate extras never show as drift.
    ``profile``: another profile of the published kind, one read from an older spec
    (``drift NEW --spec OLD``: what changed from one revision to the next)."""

    def __init__(self, profile: str = "published") -> None:
        self.profile = profile

    def lookup(self, ref: str, at: Location) -> tuple[Location, Any]:
        file, _, fragment = ref.partition("#")
        file = file or at[0]
        return (file, fragment), resolve(profile_schemas(self.profile)[file], fragment)

    def error(self, at: Location, problem: str) -> Exception:  # pragma: no cover
        """Never reached: schemas/ is well-formed (the reference specs' tests walk all of it)."""
        return ValueError(f"schemas/{at[0]}#{at[1]}: {problem}")

    def kind_node(self, kind: str) -> Node:
        file = schema_file(kind)
        return view(self, profile_schemas(self.profile)[file], (file, ""))

    def def_node(self, name: str) -> Node:
        node = profile_schemas(self.profile)[DEFS_FILE]["$defs"][name]
        return view(self, node, (DEFS_FILE, f"/$defs/{name}"))


PUBLISHED: Final = Published()


def _type_names(types: frozenset[str] | None) -> list[str]:
    return sorted(types) if types is not None else ["any"]


def type_text(node: Node) -> str:
    """``string``, ``string|null``, ``any``: the type a field has, for messages."""
    return "|".join(_type_names(node.types) + (["null"] if node.nullable else []))


def compare(
    ours: Node, theirs: Node, subject: str, out: Collector, renamed: dict[str, str] | None = None
) -> None:
    """Every difference between ``ours`` and ``theirs`` (the spec's), named after ``subject``;
    ``renamed`` maps a member of ours to the spec's name for it."""
    if ours.home[1] == "" and ours.home[0] in _KIND_OF_FILE:
        subject = _KIND_OF_FILE[ours.home[0]]
    _types(ours, theirs, subject, out)
    if ours.nullable != theirs.nullable:
        out.add(
            "nullable.removed" if ours.nullable else "nullable.added",
            subject,
            "nullable",
            ours.nullable,
            theirs.nullable,
            pointer=(theirs.nullable_at or theirs.outer("nullable"))[1],
            schema=ours.nullable_at or ours.outer(X_NULLABLE),
        )
    for keyword in ("format", "pattern"):
        old, new = ours.get(keyword, str), theirs.get(keyword, str)
        if old != new:
            kind = "removed" if new is None else "changed"
            out.add(f"{keyword}.{kind}", subject, keyword, old, new, **_where(ours, theirs, keyword))
    for keyword, low in (("minLength", True), ("maxLength", False)):
        old, new = _length(ours, keyword), _length(theirs, keyword)
        _limit("length", keyword, low, (old, new), (ours, theirs), subject, out)
    for keyword, low in (("minimum", True), ("maximum", False)):
        old, new = ours.get(keyword, NUMBER), theirs.get(keyword, NUMBER)
        _limit("bound", keyword, low, (old, new), (ours, theirs), subject, out)
    _enum(ours, theirs, subject, out)
    if ours.get("items", dict) is not None:
        compare(ours.items(), theirs.items(), f"{subject}[]", out)
    if ours.properties() is not None:
        _members(ours, theirs, subject, out, renamed or {})


def compare_page(ours: Node, theirs: Node, subject: str, out: Collector) -> None:
    """A page: :func:`compare`, telling a renamed items key from a removed member."""
    members, spec_members = ours.properties() or {}, theirs.properties() or {}
    renamed: dict[str, str] = {}
    if ITEMS_KEY in members and ITEMS_KEY not in spec_members:
        arrays = [
            n for n, node in spec_members.items() if n not in members and node.types == frozenset({"array"})
        ]
        if len(arrays) == 1:
            renamed[ITEMS_KEY] = arrays[0]
            out.add(
                "list.items-key",
                subject,
                "items key",
                ITEMS_KEY,
                arrays[0],
                pointer=spec_members[arrays[0]].written_at[1],
                schema=members[ITEMS_KEY].written_at,
            )
    compare(ours, theirs, subject, out, renamed)


def _types(ours: Node, theirs: Node, subject: str, out: Collector) -> None:
    old, new = ours.types, theirs.types
    if old == new:
        return
    if _covers(old, new):
        change = "narrowed"
    elif _covers(new, old):
        change = "widened"
    else:
        change = "changed"
    shown = ["|".join(_type_names(types)) for types in (old, new)]
    out.add(f"type.{change}", subject, "type", *shown, **_where(ours, theirs, "type"))


def _covers(wide: frozenset[str] | None, narrow: frozenset[str] | None) -> bool:
    """Whether every value of type ``narrow`` is one of type ``wide`` (None: any type)."""
    if wide is None:
        return True
    if narrow is None:
        return False
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def _where(ours: Node, theirs: Node, keyword: str) -> dict[str, Any]:
    return {"pointer": theirs.at(keyword)[1], "schema": ours.at(keyword)}


_FIXED: Final = re.compile(r"(\[(?:\\.|[^\]\\])+\]|\\[^A-Za-z0-9]|[^\\\[\](){}|?*+.^$])(?:\{(\d+)\})?")


def fixed_width(pattern: str) -> int | None:
    """The length of every match of an anchored pattern of fixed width, else None:
    ``^BS[0-9a-fA-F]{32}$`` -> 34. A SID's pattern says its length as surely as minLength would."""
    if not (pattern.startswith("^") and pattern.endswith("$")):
        return None
    body, width, i = pattern[1:-1], 0, 0
    while i < len(body):
        m = _FIXED.match(body, i)
        if m is None:
            return None
        width, i = width + int(m.group(2) or 1), m.end()
    return width


def _length(node: Node, keyword: str) -> Any:
    explicit = node.get(keyword, NUMBER)
    pattern = node.get("pattern", str)
    return explicit if explicit is not None or pattern is None else fixed_width(pattern)


def _limit(
    family: str,
    keyword: str,
    low: bool,
    values: tuple[Any, Any],
    nodes: tuple[Node, Node],
    subject: str,
    out: Collector,
) -> None:
    """A lower (``low``) or upper limit, ours then the spec's: one that lets fewer values through
    is tightened, one that lets more through (or is gone) relaxed."""
    old, new = values
    if old == new:
        return
    if low:
        tightened = new is not None and (old is None or new > old)
    else:
        tightened = new is not None and (old is None or new < old)
    change = "tightened" if tightened else "relaxed"
    out.add(f"{family}.{change}", subject, keyword, old, new, **_where(*nodes, keyword))


def _enum(ours: Node, theirs: Node, subject: str, out: Collector) -> None:
    old, new = ours.enum(), theirs.enum()
    where = _where(ours, theirs, "enum")
    if old is None or new is None:
        if old != new:
            out.add("enum.added" if old is None else "enum.removed", subject, "enum", old, new, **where)
        return
    for value in old:
        if value not in new:
            out.add("enum.value-removed", f"{subject}={_text(value)}", "enum", old, new, **where)
    for value in new:
        if value not in old:
            out.add("enum.value-added", f"{subject}={_text(value)}", "enum", old, new, **where)


def _text(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _members(ours: Node, theirs: Node, subject: str, out: Collector, renamed: dict[str, str]) -> None:
    members, spec_members = ours.properties() or {}, theirs.properties() or {}
    spec_at, ours_at = theirs.at("properties")[1], ours.at("properties")
    for name, node in members.items():
        spec_name = renamed.get(name, name)
        if spec_name in spec_members:
            compare(node, spec_members[spec_name], f"{subject}.{name}", out)
        else:
            out.add(
                "field.removed",
                f"{subject}.{name}",
                "field",
                type_text(node),
                None,
                pointer=join(spec_at, name),
                schema=node.written_at,
            )
    for name, node in spec_members.items():
        if name not in members and name not in renamed.values():
            out.add(
                "field.added",
                f"{subject}.{name}",
                "field",
                None,
                type_text(node),
                pointer=node.written_at[1],
                schema=(ours_at[0], join(ours_at[1], name)),
            )
