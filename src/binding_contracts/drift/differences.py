"""Differences between a Twilio spec and schemas/: the catalogue of difference types with their class
(breaking or additive), the record of one difference, and the drift report of one spec."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from .._json import sort_key
from .._printable import printable
from ..report import MESSAGE_CAP, SOURCE_CAP, clip, short_pointer, shorten

Impact = Literal["breaking", "additive"]


@dataclass(frozen=True)
class DifferenceType:
    id: str
    impact: Impact
    summary: str


_B: Final = "breaking"
_A: Final = "additive"

# The rule behind the classes: the spec taking something away, restricting it or changing it into
# something else is breaking; the spec offering more (a member, a value, a filter) is additive.
DIFFERENCE_TYPES: Final = {
    t.id: t
    for t in (
        DifferenceType("field.removed", _B, "a member schemas/ documents is gone from the spec"),
        DifferenceType("field.added", _A, "the spec documents a member schemas/ lacks (new optional field)"),
        DifferenceType("type.changed", _B, "a value has another JSON type"),
        DifferenceType("type.narrowed", _B, "a value's type allows less (number to integer)"),
        DifferenceType("type.widened", _A, "a value's type allows more (integer to number, any type)"),
        DifferenceType("nullable.removed", _B, "a value schemas/ lets be null may no longer be"),
        DifferenceType("nullable.added", _A, "a value may now be null"),
        DifferenceType("format.changed", _B, "a string's format is added or another (date-time, uri, …)"),
        DifferenceType("format.removed", _A, "a string's format is gone"),
        DifferenceType("pattern.changed", _B, "a string's pattern is added or another"),
        DifferenceType("pattern.removed", _A, "a string's pattern is gone"),
        DifferenceType(
            "length.tightened", _B, "minLength raised or maxLength lowered (a fixed-width pattern counts)"
        ),
        DifferenceType("length.relaxed", _A, "minLength lowered or maxLength raised, or either gone"),
        DifferenceType("bound.tightened", _B, "minimum raised or maximum lowered (PageSize, Page)"),
        DifferenceType("bound.relaxed", _A, "minimum lowered or maximum raised, or either gone"),
        DifferenceType("enum.value-removed", _B, "a value is gone from an enum (binding_type, BindingType)"),
        DifferenceType("enum.value-added", _A, "an enum has a new value"),
        DifferenceType("enum.added", _B, "the spec restricts to an enum a value schemas/ leaves open"),
        DifferenceType("enum.removed", _A, "the spec no longer restricts a value to an enum"),
        DifferenceType("list.items-key", _B, "a page's items are under another key than 'bindings'"),
        DifferenceType("path.removed", _B, "a Binding path is gone"),
        DifferenceType("path.renamed", _B, "a Binding path is written with other placeholders"),
        DifferenceType("path.server", _B, "a Binding path is served from a host that is not Chat v2's"),
        DifferenceType("operation.removed", _B, "one of the API's Binding operations is gone"),
        DifferenceType("operation.added", _A, "a Binding path has a new operation (method)"),
        DifferenceType(
            "status.changed", _B, "an operation's success status is not its own (GET 200, DELETE 204)"
        ),
        DifferenceType("status.added", _A, "an operation documents another success status besides its own"),
        DifferenceType("response.removed", _B, "a GET's success answer documents no JSON body"),
        DifferenceType("parameter.removed", _B, "a parameter is gone (path parameter, filter, paging)"),
        DifferenceType("parameter.added", _A, "a new optional parameter (a new filter)"),
        DifferenceType("parameter.added-required", _B, "a new required parameter"),
        DifferenceType("parameter.location", _B, "a parameter moved (query, path, header)"),
        DifferenceType("parameter.required", _B, "an optional query parameter became required"),
        DifferenceType("parameter.repeatable", _A, "a parameter may now repeat (an array)"),
        DifferenceType("parameter.single", _B, "a parameter that could repeat no longer may"),
    )
}
"""Every difference type by id (stable public API, like rule ids), with its class."""


def show(value: object) -> str:
    """A value as a difference's text shows it: ``absent`` for None, JSON booleans, capped."""
    if value is None:
        return "absent"
    if isinstance(value, bool):
        return "true" if value else "false"
    return shorten(value, 80)


@dataclass(frozen=True)
class Difference:
    """One way the spec differs from schemas/ (or from the operations of spec/routes.py).

    ``subject`` names the field, parameter, operation or path, the same in every spec and on
    both hosts (``binding.links.user``, ``read-bindings.PageSize``, ``fetch-binding``);
    ``pointer`` is where in the spec, ``schema`` where in schemas/; ``old`` is what schemas/
    expects, ``new`` what the spec says.
    """

    type: str
    subject: str
    pointer: str
    schema: str
    old: Any = field(compare=False)
    new: Any = field(compare=False)
    message: str
    source: str | None = None

    @property
    def impact(self) -> Impact:
        return DIFFERENCE_TYPES[self.type].impact

    @property
    def id(self) -> str:
        """``TYPE SUBJECT``: what a baseline lists to accept the difference."""
        return f"{self.type} {self.subject}"

    def sort_key(self) -> tuple[Any, ...]:
        return (self.source or "", sort_key(self.pointer), self.type, self.subject)

    def line(self) -> str:
        """``SOURCE: POINTER: TYPE (class): message [schemas/FILE#POINTER]``, one
        :func:`~.._printable.printable` line."""
        head = f"{clip(self.source, SOURCE_CAP)}: " if self.source else ""
        message = clip(self.message, MESSAGE_CAP)
        where = short_pointer(self.pointer)
        return printable(f"{head}{where}: {self.type} ({self.impact}): {message} [schemas/{self.schema}]")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "class": self.impact,
            "subject": clip(self.subject, SOURCE_CAP),
            "pointer": short_pointer(self.pointer),
            "schema": self.schema,
            "old": _capped(self.old),
            "new": _capped(self.new),
            "message": clip(self.message, MESSAGE_CAP),
        }


@dataclass(frozen=True)
class DriftReport:
    """The differences of one spec, sorted; ``accepted`` holds those its baseline lists.

    There is deliberately no ``__bool__``: write ``report.ok``.
    """

    source: str | None
    hosts: tuple[str, ...]
    differences: tuple[Difference, ...] = ()
    accepted: tuple[Difference, ...] = field(default=())

    @classmethod
    def of(
        cls,
        found: Iterable[Difference],
        accepted_ids: frozenset[str],
        *,
        source: str | None,
        hosts: Iterable[str],
    ) -> DriftReport:
        ordered = sorted(found, key=Difference.sort_key)
        return cls(
            source=source,
            hosts=tuple(sorted(set(hosts))),
            differences=tuple(d for d in ordered if d.id not in accepted_ids),
            accepted=tuple(d for d in ordered if d.id in accepted_ids),
        )

    @property
    def ok(self) -> bool:
        """No drift: every difference found is accepted by the baseline."""
        return not self.differences

    def count(self, impact: Impact) -> int:
        return sum(d.impact == impact for d in self.differences)

    def render_text(self) -> str:
        if self.ok:
            hosts = ", ".join(self.hosts) or "no host"
            accepted = len(self.accepted)
            return printable(
                f"{self.source or '(spec)'}: no drift ({hosts}; {accepted} accepted by the baseline)"
            )
        return "\n".join(d.line() for d in self.differences)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": clip(self.source, SOURCE_CAP) if self.source is not None else None,
            "hosts": list(self.hosts),
            "ok": self.ok,
            "differences": [d.to_dict() for d in self.differences],
            "accepted": [d.id for d in self.accepted],
        }


class Collector:
    """Gathers the differences of one spec, each (id, pointer) once: the spec's binding component is
    reached both from the fetch operation and from the items of the read page."""

    def __init__(self, source: str | None) -> None:
        self.source = source
        self.found: dict[tuple[str, str], Difference] = {}

    def add(
        self,
        type_: str,
        subject: str,
        aspect: str,
        old: Any,
        new: Any,
        *,
        pointer: str,
        schema: tuple[str, str],
    ) -> None:
        """Record that ``aspect`` of ``subject`` is ``old`` in schemas/ and ``new`` in the spec."""
        message = f"{subject}: {aspect} {show(old)} -> {show(new)}"
        where = f"{schema[0]}#{schema[1]}" if schema[1] else schema[0]
        diff = Difference(type_, subject, pointer, where, old, new, message, self.source)
        self.found.setdefault((diff.id, pointer), diff)


def _capped(value: Any) -> Any:
    """A value as the JSON form holds it: as it is, or its text shortened when that is long."""
    return value if len(shorten(value, SOURCE_CAP + 1)) <= SOURCE_CAP else shorten(value, SOURCE_CAP)
