"""The fastest yes: a document whose JSON text fits the one shape in which nothing can be wrong.

A shape is a regular expression over the JSON text, built once per kind and member order: every SID
of its pattern, dates of one fixed UTC width, binding and message types from the documented lists,
no escaped string, and urls written from the kind's templates on a current host, the SIDs in them
back-references to the members that name them. What a regular expression cannot hold is checked on
its groups: dates in order, links.user naming the identity after percent-decoding, page numbers in
the meta urls, page size bounds, items of the page's service and user, unique sids. A page's
items are found by one ``split`` of the text after its head (each right after the one before), and
what is left must fit its tail.

A document that fits is valid in every profile, and no rule that needs only the payload finds
anything in it but the rules the shapes report (binding.identity-reserved, a warning), whose places
are returned. Anything else (another member, an escape but an identity's ``\\u``, a deprecated host,
a leap second...) is not vouched for, and the other paths judge it; the reference path stays the
judge, and tests require the same report.

Which rules a shape vouches for is read from their declarations (:data:`.rule.Shaped`): every rule
that needs only the payload of the kind or of its items, each saying how the shapes hold it. A kind
with a rule the shapes do not hold (declined, or not said) has no shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Final

from ...spec.kinds import ITEMS_KEY, KIND_TABLE, Kind
from ...spec.schemas import known_properties
from ..catalogue import Rule, rules_of
from .patterns import exactly, item_pattern, meta_pattern
from .scan import Found as Found
from .scan import ItemShape, PageShape

HELD: Final = ("spelt", "groups", "reported")
"""The ways a shape holds a rule (:data:`.rule.Shaped`); ``declined`` and None are not among them."""


def _payload_rules(kind: str) -> list[Rule]:
    """The rules that need only the payload of a document of ``kind``, its items' included."""
    item_kind = KIND_TABLE[kind].item_kind
    kinds = (kind, item_kind) if item_kind is not None else (kind,)
    return [r for k in kinds for r in rules_of(k) if r.needs == "payload"]


def _held(rule: Rule) -> bool:
    """Whether the shapes hold a rule: a rule they report must be a warning, as a document that fits
    is valid (its findings are reported as warnings)."""
    return rule.shape in HELD and (rule.shape != "reported" or rule.severity == "warning")


def vouched(kind: str) -> list[str]:
    """The rules a shape of ``kind`` vouches for (:data:`HELD`)."""
    return sorted({r.id for r in _payload_rules(kind) if _held(r)})


def declined(kind: str) -> list[str]:
    """The rules that need only the payload of ``kind`` that no shape holds: while any is left, the
    kind has no shape."""
    return sorted({r.id for r in _payload_rules(kind) if not _held(r)})


def _keys(value: object) -> tuple[str, ...] | None:
    return tuple(value) if type(value) is dict else None


def signature(doc: Mapping[str, Any], kind: Kind) -> tuple[Any, ...] | None:
    """The member orders a shape is built for: the document's, and its nested objects'."""
    if kind.item_kind is None:
        return (tuple(doc), _keys(doc.get("links")))
    items = doc.get(ITEMS_KEY)
    if type(items) is not list:
        return None
    first = items[0] if items else None
    links = first.get("links") if type(first) is dict else None
    return (tuple(doc), _keys(doc.get("meta")), _keys(first) if items else None, _keys(links))


Shape = ItemShape | PageShape
_recent: dict[str, Shape] = {}
"""The shape that fitted last, by kind: tried first, as the next document is most often alike."""
_latest: list[Shape] = []
"""The same shapes, the kind that fitted last first: the order :func:`fitting` tries them in under
``"auto"``."""


def _remember(shaped: Shape) -> None:
    """Note that ``shaped`` fitted: the first one tried for its kind, and under ``"auto"``."""
    _recent[shaped.kind] = shaped
    _latest[:] = [shaped, *(other for other in _latest if other.kind != shaped.kind)]


def _build(entry: Kind, sig: tuple[Any, ...]) -> Shape | None:
    if declined(entry.name):
        return None
    if entry.item_kind is None:
        pattern = item_pattern(entry, sig[0], sig[1])
        return ItemShape(entry, pattern) if pattern is not None else None
    order, meta_order, item_order, links = sig
    if not exactly(order, known_properties(entry.name)[""]):
        return None
    meta = meta_pattern(entry, meta_order)
    item_kind = KIND_TABLE[entry.item_kind]
    item = item_pattern(item_kind, item_order, links) if item_order is not None else None
    if meta is None or (item_order is not None and item is None):
        return None
    return PageShape(entry, order, meta, ItemShape(item_kind, item) if item is not None else None)


@lru_cache(maxsize=256)
def shape(kind: str, sig: tuple[Any, ...]) -> Shape | None:
    """The shape of ``kind`` for a signature (built once, kept for the next document)."""
    return _build(KIND_TABLE[kind], sig)


def fitting(text: bytes, kind: str) -> tuple[str, Found] | None:
    """The kind and the places :func:`vouches` returns for ``text`` when it fits the shape of ``kind``
    that fitted last, or under ``"auto"`` the one of any kind (a text that fits a shape is of its
    kind: :func:`.detect.detect_kind` reads the members and urls the shape spells out); None
    otherwise, and before any shape has fitted."""
    if kind == "auto":
        # one a kind, the one that fitted last first; another kind's fails within its first members
        for shaped in _latest:
            found = shaped.fits(text)
            if found is not None:
                if shaped is not _latest[0]:
                    _remember(shaped)
                return shaped.kind, found
        return None
    last = _recent.get(kind) if type(kind) is str else None
    found = last.fits(text) if last is not None else None
    return (kind, found) if found is not None else None


def vouches(doc: Any, text: bytes, kind: str, *, tried: bool = False) -> Found | None:
    """None unless ``text`` (the JSON text of ``doc`` as read, or as orjson writes it) fits a shape
    of ``kind``; then no schema keyword and no rule that needs only the payload finds anything in
    ``doc``, in any profile, but binding.identity-reserved at the places returned.

    A shape that fits vouches by itself (it spells out every member in order), so the one that
    fitted last is tried before the document's member order is looked at (unless ``tried``: it did
    not fit ``text`` a moment ago); ``doc`` may be None when only that one is to be tried."""
    last = _recent.get(kind)
    if last is not None and not tried:
        found = last.fits(text)
        if found is not None:
            return found
    entry = KIND_TABLE.get(kind)
    if entry is None or type(doc) is not dict:
        return None
    sig = signature(doc, entry)
    own = shape(kind, sig) if sig is not None else None
    if own is None or own is last:
        return None
    found = own.fits(text)
    if found is not None:
        _remember(own)
    return found
