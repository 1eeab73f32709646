"""Offsets in a text as editors count them, and the map from a decoded string back to its source.

Lines and columns are 1-based, as editors and CI systems show them; a column counts characters
(Unicode code points), not bytes. JSON counts lines by LF (CRLF is one break, a lone CR none, as
JSON allows CR only as white space); YAML by every break YAML 1.1 knows (CRLF, CR, LF, NEL, LS, PS),
as PyYAML's marks do.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Final, NamedTuple


class Position(NamedTuple):
    line: int
    column: int


_YAML_BREAK: Final = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_ODD_BREAK: Final = re.compile("[\r\x85\u2028\u2029]")
_LF: Final = re.compile("\n")


class Lines:
    """Where each line of a text starts: any number of offsets placed for one pass over the text."""

    def __init__(self, text: str, *, yaml: bool = False) -> None:
        breaks = _YAML_BREAK if yaml and _ODD_BREAK.search(text) else _LF
        self.starts = [0, *(m.end() for m in breaks.finditer(text))]

    def position(self, offset: int) -> Position:
        """The line and column of ``offset``."""
        line = bisect_right(self.starts, offset) - 1
        return Position(line + 1, offset - self.starts[line] + 1)


def position(text: str, offset: int, *, yaml: bool = False) -> Position:
    """The line and column of ``offset`` in ``text`` (for one offset: :class:`Lines` for more)."""
    if yaml and _ODD_BREAK.search(text, 0, offset):
        return Lines(text[:offset], yaml=True).position(offset)
    return Position(text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1)


@dataclass
class SourceMap:
    """Where each character of a decoded string (a JSON string, a YAML scalar) was written in the
    source: a piece copied as it is maps character by character, an escape maps all it decodes to
    to where the escape starts."""

    decoded: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    sources: list[int] = field(default_factory=list)
    literal: list[bool] = field(default_factory=list)
    length: int = 0

    def copy(self, text: str, source: int) -> None:
        """``text``, written as it is at ``source``."""
        self._add(text, source, True)

    def escape(self, text: str, source: int) -> None:
        """``text``, decoded from the escape (or fold) at ``source``."""
        self._add(text, source, False)

    def _add(self, text: str, source: int, literal: bool) -> None:
        if text:
            self.decoded.append(text)
            self.starts.append(self.length)
            self.sources.append(source)
            self.literal.append(literal)
            self.length += len(text)

    def text(self) -> str:
        return "".join(self.decoded)

    def source(self, offset: int) -> int:
        """Where the decoded character at ``offset`` was written."""
        i = max(bisect_right(self.starts, offset) - 1, 0)
        if not self.starts:
            return 0
        return self.sources[i] + (offset - self.starts[i] if self.literal[i] else 0)
