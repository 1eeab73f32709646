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


YAML_ESCAPES: Final = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0",
    "L": "\u2028", "P": "\u2029",
}  # fmt: skip
"""YAML's double-quoted escapes of one character, as PyYAML decodes them (both readers of a
cassette's strings, :mod:`.yamltext` and :mod:`.blockyaml`, decode them from here)."""
YAML_HEX: Final = {"x": 2, "u": 4, "U": 8}
"""YAML's escapes of a code point in hexadecimal, and their width in digits."""

_YAML_BREAK: Final = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_ODD_BREAK: Final = re.compile("[\r\x85\u2028\u2029]")
_LF: Final = re.compile("\n")
_LF_BYTE: Final = re.compile(b"\n")


def _odd_breaks(text: str) -> bool:
    """Whether ``text`` holds a break YAML knows but LF: a character found by ``in`` (a search of C
    that an ASCII text answers at once for the characters past ASCII), not a regular expression."""
    return any(c in text for c in "\r\x85\u2028\u2029")


class Lines:
    """Where each line of a text starts: any number of offsets placed for one pass over the text."""

    def __init__(self, text: str, *, yaml: bool = False) -> None:
        breaks = _YAML_BREAK if yaml and _odd_breaks(text) else _LF
        self.starts = [0, *(m.end() for m in breaks.finditer(text))]

    @classmethod
    def ascii(cls, data: bytes) -> Lines:
        """The lines of a text of printable ASCII and LF alone, given as its bytes (its offsets are
        its characters'; LF its one break, in JSON and YAML alike)."""
        return cls.starting([0, *(m.end() for m in _LF_BYTE.finditer(data))])

    @classmethod
    def starting(cls, starts: list[int]) -> Lines:
        """The lines starting at ``starts`` (ascending, the first 0)."""
        lines = cls.__new__(cls)
        lines.starts = starts
        return lines

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
    to where the escape starts.

    A run of text whose only escapes are of two characters decoding to one (YAML's ``\\"`` or
    ``''``) is one piece that records where its escapes are, not a piece per escape: a JSON body in
    double quotes holds thousands of them, and its map costs a few list operations of C, not a call
    per escape."""

    decoded: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    sources: list[int] = field(default_factory=list)
    literal: list[bool] = field(default_factory=list)
    escapes: list[list[int] | None] = field(default_factory=list)
    """For a run, where each of its escapes decoded to, in the run's decoded text; else None."""
    length: int = 0

    def copy(self, text: str, source: int) -> None:
        """``text``, written as it is at ``source``."""
        self._add(text, source, True)

    def escape(self, text: str, source: int) -> None:
        """``text``, decoded from the escape (or fold) at ``source``."""
        self._add(text, source, False)

    def run(self, text: str, source: int, escapes: list[int]) -> None:
        """``text``, decoded from the source written at ``source`` whose only escapes are of two
        characters decoding to one, at the offsets ``escapes`` of ``text`` (ascending): escape
        ``j`` is written at ``source + escapes[j] + j``, each escape before it one character longer
        than what it decoded to."""
        if not escapes:
            self._add(text, source, True)
        elif text:
            self._add(text, source, True, escapes)

    def _add(self, text: str, source: int, literal: bool, escapes: list[int] | None = None) -> None:
        if text:
            self.decoded.append(text)
            self.starts.append(self.length)
            self.sources.append(source)
            self.literal.append(literal)
            self.escapes.append(escapes)
            self.length += len(text)

    def text(self) -> str:
        return "".join(self.decoded)

    def moved(self, by: int) -> SourceMap:
        """This map with every source ``by`` characters further (a string's map made from a window
        of its text, placed back in the whole)."""
        self.sources = [source + by for source in self.sources]
        return self

    def source(self, offset: int) -> int:
        """Where the decoded character at ``offset`` was written."""
        i = max(bisect_right(self.starts, offset) - 1, 0)
        if not self.starts:
            return 0
        if not self.literal[i]:
            return self.sources[i]
        at, escapes = offset - self.starts[i], self.escapes[i]
        if escapes is None:
            return self.sources[i] + at
        # escape j decodes to the character at escapes[j]; one after it was written j + 1 further
        last = len(self.decoded[i]) - 1
        j = bisect_right(escapes, min(at, last)) - 1
        if j < 0:
            return self.sources[i] + at
        if escapes[j] == min(at, last):
            return self.sources[i] + escapes[j] + j
        return self.sources[i] + at + j + 1
