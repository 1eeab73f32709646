"""JSON Schema's ``pattern`` read as ECMA-262 reads it, in Python's ``re``.

JSON Schema patterns are ECMA-262 regular expressions. Python's ``$`` also matches just before a
final newline, so with ``re.search`` ``"BS…32 hex…\\n"`` would pass ``^BS[0-9a-fA-F]{32}$``; in
ECMA-262 (and in jsonschema-rs) ``$`` is the end of the string only. The contract's patterns use
nothing else on which the two dialects differ.
"""

from __future__ import annotations

import re
from functools import lru_cache


def translate(pattern: str) -> str:
    """``pattern`` with each ``$`` anchor (not escaped, not in a character class) written ``\\Z``."""
    out: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            out.append(r"\Z")
            continue
        out.append(char)
    return "".join(out)


@lru_cache(maxsize=64)
def compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(translate(pattern))


def search(pattern: str, text: str) -> bool:
    """Whether ``pattern`` (ECMA-262) matches somewhere in ``text``, as the ``pattern`` keyword asks."""
    return compiled(pattern).search(text) is not None
