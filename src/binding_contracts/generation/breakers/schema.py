"""The breaker registry, and the breakers of the schema keywords that work on any kind.

A breaker takes a valid payload's parts and returns a payload that breaks one rule and nothing else.
It is registered for the kinds it serves with the :class:`~binding_contracts.generation.drawing.Needs` of the
valid payload it starts from; item breakers also serve pages, applied to one item (``lifted``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, NamedTuple

from ...checking.rule import RuleFunc, id_of
from ...spec import facts
from ...spec.kinds import ITEM_KINDS, PAGE_KINDS
from ...spec.routes import split_url
from ..builders import URL_INPUTS, assemble
from ..drawing import NEEDS, Needs
from ..source import Source, choice

Doc = dict[str, Any]
Path = tuple[str, ...]


@dataclass(frozen=True)
class Base:
    """The valid payload a breaker starts from: its kind, its parts, and the parts it must leave
    alone (an item of a page shares its service and user with the page)."""

    kind: str
    parts: Any
    shared: frozenset[str] = frozenset()


class Broken(NamedTuple):
    payload: Any
    status: int | None = None
    """The HTTP status to check the payload with (error.status-match compares the two)."""


Breaker = Callable[[Source, Base], Broken]


def always(kind: str) -> bool:
    return True


@dataclass(frozen=True)
class Breakage:
    """One way to break ``rule``: ``func``, what it needs, whether it breaks one item of a page."""

    rule: str
    func: Breaker
    needs: Needs = NEEDS
    when: Callable[[str], bool] = field(default=always, compare=False)
    """Whether the schema gives the breaker something to break in a kind (read when asked)."""
    lifted: bool = False


REGISTRY: dict[tuple[str, str], list[Breakage]] = {}
"""The breakers of each ``(kind, rule)``."""


def breaker(
    rule: str | RuleFunc, kinds: Iterable[str], *, needs: Needs = NEEDS, when: Callable[[str], bool] = always
) -> Callable[[Breaker], Breaker]:
    """Register a breaker of ``rule``: a semantic rule named by its function (the id is its
    declaration's, so a breaker never spells a rule id), a schema keyword or kind.undetected by id."""
    named = id_of(rule)

    def register(func: Breaker) -> Breaker:
        for kind in kinds:
            REGISTRY.setdefault((kind, named), []).append(Breakage(named, func, needs, when))
        return func

    return register


# Members that tell the kind of a payload to kind="auto" (contract.detect_kind) and that no other
# member stands in for: a breaker leaves them in place, so a broken payload keeps its kind.
DETECTED_BY: Final = {"user-binding": ("user_sid",)}


def get(doc: Any, path: Path) -> Any:
    for name in path:
        doc = doc[name]
    return doc


def put(doc: Doc, path: Path, value: Any) -> Doc:
    get(doc, path[:-1])[path[-1]] = value
    return doc


def drop(doc: Doc, path: Path) -> Doc:
    del get(doc, path[:-1])[path[-1]]
    return doc


def doc_of(base: Base) -> Doc:
    return assemble(base.kind, base.parts)


def _droppable(kind: str) -> list[Path]:
    return [m.path for m in facts.members(kind) if m.required and m.name not in DETECTED_BY.get(kind, ())]


def _typed(kind: str) -> list[Path]:
    """Members with a plain ``type``: not an enum (a wrong type would break that too), not anyOf."""
    return [m.path for m in facts.members(kind) if "type" in m.schema and "enum" not in m.schema]


def _keyword(keyword: str) -> Callable[[str], bool]:
    return lambda kind: bool(facts.with_keyword(kind, keyword))


@breaker("schema.required", ITEM_KINDS, when=lambda k: bool(_droppable(k)))
@breaker("schema.required", PAGE_KINDS, needs=Needs(min_items=1))
def missing_member(source: Source, base: Base) -> Broken:
    doc = doc_of(base)
    return Broken(drop(doc, choice(source, _droppable(base.kind))))


def wrong_type(value: Any) -> Any:
    """A value of another JSON type, as a buggy server writes one: null for a string, an object or
    a list of objects, an integer as text, a list of strings joined into one."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ",".join(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


@breaker("schema.type", ITEM_KINDS)
@breaker("schema.type", PAGE_KINDS, needs=Needs(min_items=1))
@breaker("schema.type", ("error",), needs=Needs(details=True))
def mistyped(source: Source, base: Base) -> Broken:
    doc = doc_of(base)
    path = choice(source, _typed(base.kind))
    return Broken(put(doc, path, wrong_type(get(doc, path))))


_DATE_MISTAKES: Final[tuple[Callable[[str], str], ...]] = (
    lambda v: re.sub("[Tt]", " ", v, count=1),  # same instant, so date order is unchanged
    lambda v: v[:10],  # a bare date
    lambda v: re.sub(r"(Z|z|[+-]\d\d:\d\d)$", "", v),  # no offset
)


def relative(url: str) -> str:
    """The url without scheme and host: the path a server meant, which is still the same resource."""
    parts = split_url(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


@breaker("schema.format", ITEM_KINDS, when=_keyword("format"))
@breaker("schema.format", ("error",), needs=Needs(details=True), when=_keyword("format"))
def misformatted(source: Source, base: Base) -> Broken:
    doc = doc_of(base)
    formatted = {m.path: m.schema["format"] for m in facts.with_keyword(base.kind, "format")}
    path = choice(source, list(formatted))
    value = get(doc, path)
    bad = choice(source, _DATE_MISTAKES)(value) if formatted[path] == "date-time" else relative(value)
    return Broken(put(doc, path, bad))


def not_in(values: Sequence[Any]) -> list[str]:
    """Values an enum of strings does not hold, the way they go wrong in practice (``apns``, ``APN``)."""
    strings = [v for v in values if isinstance(v, str)]
    candidates = [v + "s" for v in strings] + [v.upper() for v in strings] + ["ios", "android", "voip"]
    return [c for c in dict.fromkeys(candidates) if c not in values]


@breaker("schema.enum", ITEM_KINDS, when=_keyword("enum"))
def off_enum(source: Source, base: Base) -> Broken:
    member = choice(source, facts.with_keyword(base.kind, "enum"))
    return Broken(put(doc_of(base), member.path, choice(source, not_in(member.schema["enum"]))))


def _emptiable(kind: str) -> list[Path]:
    """Members with a minLength whose value no url is built from (an empty identity would also
    empty links.user)."""
    return [m.path for m in facts.with_keyword(kind, "minLength") if m.name not in URL_INPUTS[kind]]


@breaker("schema.minLength", ITEM_KINDS, when=lambda k: bool(_emptiable(k)))
def emptied(source: Source, base: Base) -> Broken:
    return Broken(put(doc_of(base), choice(source, _emptiable(base.kind)), ""))
