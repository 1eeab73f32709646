"""What check() takes as a Python JSON value: the one walk that refuses a value that is not JSON.

A JSON value is what a JSON parser hands over: a dict with ``str`` keys, a list, a ``str``, an
``int``, a ``float``, a ``bool`` or ``None`` (subclasses included: an ``OrderedDict`` is a dict);
any other Mapping is read as the dict it holds. Anything else (a set, bytes, a tuple, a
``Decimal``, NaN, a cycle, an integer Python will not write as decimal text) is misuse, a
:class:`UsageError` naming it and where.
A document nested deeper than JSON text may be is the same finding as that text would be.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Collection, Mapping
from itertools import chain, compress
from typing import Any, Final

import orjson

from .._inputs import MAX_DEPTH
from .._json import pointer
from ..errors import InputError, UsageError

MAX_VALUES: Final = 16_000_000
"""Most values a document may hold once containers it shares are counted each time they appear
(JSON text of this many values is past 32 MB): a few shared lists would otherwise stand for 2**64."""
_EXACT: Final = frozenset({dict, list, str, int, float, bool, type(None)})
_SCALARS: Final = (str, int, float, type(None))
_FLAT: Final = frozenset({str, bool, type(None)})
_VISITED: Final = frozenset({dict, list, int, float})
"""The types of the values :func:`_values` looks at one by one (the others need no look)."""
_OBJECTS: Final = frozenset({dict})
_FEW: Final = 16
"""Values past which :func:`_values` picks out those to look at in one pass before looking."""
_INT_LOW, _INT_HIGH = -(2**63), 2**64
"""The integers orjson and jsonschema-rs take as they are (64 bits, signed or not)."""
_FAST_VALUES: Final = 1_000_000
"""Most values :func:`written` counts (containers it meets twice counted each time) before leaving a
document to the exact walk, which counts a shared container once."""
_LONG_INT_BITS: Final = 14_000
"""Bits past which an integer may have more digits than Python converts (4,300 by default)."""
_ACCEPTED: Final = "dict or other mapping (str keys), list, str, int, float, bool or None"


class _Walk:
    """One walk of a value: each container visited once (its height and size kept by id), so shared
    containers cost nothing twice and a cycle is found where it closes."""

    def __init__(self) -> None:
        self.exact = True
        self.mappings = False
        self.open: set[int] = set()
        self.done: dict[int, tuple[int, int]] = {}

    def visit(self, node: Any, path: list[str | int]) -> tuple[int, int]:
        """``(height, values)`` of ``node``: how deep its containers nest, how many values it holds."""
        kind = type(node)
        if kind not in _EXACT:
            self.exact = False
        mapping = isinstance(node, Mapping)
        if mapping:
            self.mappings = self.mappings or not isinstance(node, dict)
            children: Any = node.items()
        elif isinstance(node, list):
            children = enumerate(node)
        else:
            if not _scalar(node, path):
                self.exact = False
            return 0, 1
        key = id(node)
        if key in self.done:
            return self.done[key]
        if key in self.open:
            where = pointer(path) or "(root)"
            raise UsageError(f"Got a container that holds itself at {where}, but JSON has no cycles")
        if len(path) >= MAX_DEPTH:
            raise InputError("payload", f"is JSON nested deeper than {MAX_DEPTH} levels")
        self.open.add(key)
        height, values = 0, 1
        for name, child in children:
            if mapping:
                self.key(name, path)
            path.append(name)
            h, n = self.visit(child, path)
            path.pop()
            height, values = max(height, h + 1), values + n
            if values > MAX_VALUES:
                raise UsageError(
                    f"Got a document holding more than {MAX_VALUES:,} values at {pointer(path) or '(root)'} "
                    "once the containers it shares are counted each time"
                )
        self.open.discard(key)
        self.done[key] = height, values
        return height, values

    def key(self, name: Any, path: list[str | int]) -> None:
        """Raise unless a mapping's key is str; one with a lone surrogate is not taken as it is."""
        if not isinstance(name, str):
            what, where = f"{type(name).__name__} key {_brief(name)}", pointer(path) or "(root)"
            raise UsageError(f"Got a {what} at {where}, but JSON keys are str")
        if not name.isascii() and not _encodes(name):
            self.exact = False  # as a value with one (_scalar)


def _scalar(node: Any, path: list[str | int]) -> bool:
    """Raise unless ``node`` is a JSON scalar; whether orjson and jsonschema-rs take it as it is (not an
    infinity, which orjson writes as null, nor an integer past 64 bits)."""
    if not isinstance(node, _SCALARS):  # a bool is an int
        raise UsageError(
            f"Got a {type(node).__name__} at {pointer(path) or '(root)'}, but a payload holds JSON values "
            f"only: {_ACCEPTED} (or JSON text as bytes)"
        )
    if isinstance(node, float) and math.isnan(node):
        raise UsageError(f"Got NaN at {pointer(path) or '(root)'}, but NaN is not a JSON number")
    if isinstance(node, int) and node.bit_length() > _LONG_INT_BITS:
        try:
            str(node)
        except ValueError:
            limit = sys.get_int_max_str_digits()
            raise UsageError(
                f"Got an integer of more than {limit:,} digits at {pointer(path) or '(root)'}, but Python "
                "neither reads nor writes one as JSON text"
            ) from None
    if isinstance(node, float):
        return math.isfinite(node)
    if isinstance(node, str):  # a lone surrogate has no UTF-8: jsonschema-rs does not take it
        return node.isascii() or _encodes(node)
    return not isinstance(node, int) or _INT_LOW <= node < _INT_HIGH


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _brief(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def written(value: Any) -> bytes | None:
    """The JSON text orjson writes for ``value`` when it is made of JSON's own types exactly, as
    :func:`admit` would say (no subclass, no Mapping that is not a dict, no NaN nor infinity, every
    integer within 64 bits, str keys, no lone surrogate), nested at most :data:`~.._inputs.MAX_DEPTH`
    deep and holding at most :data:`_FAST_VALUES` values; else None, and :func:`admit` says why.

    The common case at C speed where it can be (:func:`_values`): a container of text, booleans and
    nulls only is counted without a visit, a page's items are read as one, and orjson refuses a key
    that is not str and a lone surrogate as it writes. A cycle is deeper than any bound: None."""
    kind = type(value)
    if kind is not dict and kind is not list:
        return None
    if _values(value.values() if kind is dict else value, 0, _FAST_VALUES) < 0:
        return None
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:  # a key that is not str, a lone surrogate
        return None


def _plain(node: dict[Any, Any] | list[Any], depth: int, left: int) -> int:
    """``left`` less the values ``node`` holds when it is made of JSON's own types exactly (its keys
    left to orjson), else -1."""
    return _values(node.values() if type(node) is dict else node, depth, left)


def _values(values: Collection[Any], depth: int, left: int) -> int:
    """:func:`_plain` of the values of containers nested ``depth`` deep. A container of text,
    booleans and nulls only (a binding's links and message_types) is counted where it is met,
    without a call of its own; the objects of a list of objects (a page's items) are read as one,
    their values' types as one set, and only those that are no text visited one by one."""
    left -= len(values)
    if left < 0 or depth >= MAX_DEPTH:
        return -1
    if len(values) > _FEW:
        if not _EXACT.issuperset(map(type, values)):
            return -1
        values = [*compress(values, map(_VISITED.__contains__, map(type, values)))]
    for child in values:
        kind = type(child)
        if kind is str:
            continue
        if kind is dict or kind is list:
            inner = child.values() if kind is dict else child
            if depth + 1 < MAX_DEPTH and _FLAT.issuperset(map(type, inner)):
                left -= len(inner)
            elif kind is list and inner and _OBJECTS.issuperset(map(type, inner)):
                left -= len(inner)
                left = _values([*chain.from_iterable(map(dict.values, inner))], depth + 2, left)
            else:
                left = _plain(child, depth + 1, left)
            if left < 0:
                return -1
        elif kind is int:
            if not _INT_LOW <= child < _INT_HIGH:
                return -1
        elif kind is float:
            if not math.isfinite(child):
                return -1
        elif kind not in _FLAT:
            return -1
    return left


def admit(value: Any) -> tuple[Any, bool]:
    """``value`` as the JSON document check() judges (itself, or a copy in which every Mapping that
    is not a dict is the dict it holds; the caller's object is never changed), and whether it is
    made of JSON's own types exactly (no subclass, no infinity, no integer past 64 bits, no lone
    surrogate), as the fast path needs. Raises :class:`UsageError` unless it is a JSON value, and
    :class:`InputError` when it is nested deeper than :data:`~.._inputs.MAX_DEPTH`."""
    if written(value) is not None:
        return value, True
    return walked(value)


def walked(value: Any) -> tuple[Any, bool]:
    """:func:`admit` by the exact walk alone (what :func:`written` could not vouch for)."""
    walk = _Walk()
    walk.visit(value, [])
    return (_as_dicts(value) if walk.mappings else value), walk.exact and not walk.mappings


def _as_dicts(node: Any) -> Any:
    """A copy of an admitted value with every Mapping a dict (admitted: acyclic, at most
    :data:`MAX_DEPTH` deep, at most :data:`MAX_VALUES` values)."""
    if isinstance(node, Mapping):
        return {key: _as_dicts(child) for key, child in node.items()}
    if isinstance(node, list):
        return [_as_dicts(child) for child in node]
    return node
