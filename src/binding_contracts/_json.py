"""The JSON value alias and RFC 6901 pointer helpers: the only pointer code in the package."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeAlias

JSON: TypeAlias = "dict[str, JSON] | list[JSON] | str | int | float | bool | None"


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


def sort_key(ptr: str) -> tuple[tuple[int, int, str], ...]:
    """Orders pointers as a reader expects: array indices numerically, members by name."""
    # isascii(): str.isdigit() is also true of '³' and other digits int() cannot read
    return tuple((0, int(t), "") if t.isascii() and t.isdigit() else (1, 0, t) for t in split(ptr))
