"""The JSON value alias, the names of JSON's types, and RFC 6901 pointer helpers: the only pointer
code in the package."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TypeAlias

JSON: TypeAlias = "dict[str, JSON] | list[JSON] | str | int | float | bool | None"

_TYPE_NAMES: dict[type, str] = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    type(None): "null",
}
_ARTICLES = {"object": "an object", "array": "an array", "integer": "an integer", "null": "null"}


def type_name(value: object) -> str:
    """The JSON name of a value's type (``object``, ``array``, ``string``, ``boolean``, ``integer``,
    ``number``, ``null``; a bool is no integer, a subclass is its JSON type); a value JSON has no type
    for: its Python type's name."""
    name = _TYPE_NAMES.get(type(value))
    if name is None:
        found = (n for t, n in _TYPE_NAMES.items() if t is not type(None) and isinstance(value, t))
        name = next(found, type(value).__name__)
    return name


def a_type(value: object) -> str:
    """:func:`type_name` as a message says it: ``an object``, ``a string``, ``null``."""
    name = type_name(value)
    return _ARTICLES.get(name) or f"a {name}"


def escape(token: str | int) -> str:
    """One reference token, escaped as RFC 6901 says (``~`` then ``/``)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def pointer(parts: Iterable[str | int]) -> str:
    """The JSON pointer of a path given as its tokens: ``["bindings", 1, "sid"]`` -> ``/bindings/1/sid``."""
    return "".join("/" + escape(p) for p in parts)


def join(base: str, *parts: str | int) -> str:
    """``base`` extended by ``parts``: ``join("/bindings/1", "sid")`` -> ``/bindings/1/sid``."""
    return base + pointer(parts)


def split(ptr: str) -> list[str]:
    """The unescaped tokens of a pointer; ``""`` is the whole document."""
    if ptr == "":
        return []
    if not ptr.startswith("/"):
        raise ValueError(f"Got pointer {ptr!r}, but a JSON pointer is empty or starts with '/'")
    return [unescape(t) for t in ptr[1:].split("/")]


def _index(token: str) -> int | None:
    """The array index a token spells (``0``, ``12``; not ``01`` nor ``²``, which isdigit() accepts)."""
    plain = token.isascii() and token.isdigit() and len(token) <= 18  # int() refuses 4,301 digits
    return int(token) if plain and str(int(token)) == token else None


@lru_cache(maxsize=4096)
def sort_key(ptr: str) -> tuple[tuple[int, int, str], ...]:
    """Orders pointers as a reader expects: array indices numerically, members by name (kept for
    the next report: a cassette's reports name the same few hundred pointers again and again)."""
    return tuple((1, 0, t) if (i := _index(t)) is None else (0, i, "") for t in split(ptr))


def resolve(document: object, ptr: str) -> object:
    """The value ``ptr`` names in ``document``; raises ``LookupError`` when it names nothing
    (``ValueError`` when it is not a pointer)."""
    node = document
    for token in split(ptr):
        index = _index(token)
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and index is not None and index < len(node):
            node = node[index]
        else:
            raise LookupError(f"{ptr!r} names nothing (no {token!r})")
    return node
