"""Offsets in a text as editors count them, and the map from a decoded string back to its source.

Lines and columns are 1-based, as editors and CI systems show them; a column counts characters
(Unicode code points), not bytes. JSON counts lines by LF (CRLF is one break, a lone CR none, as
JSON allows CR only as white space); YAML by every break YAML 1.1 knows (CRLF, CR, LF, NEL, LS, PS),
as PyYAML's marks do.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Final, NamedTuple, Protocol


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


class StringMap(Protocol):
    """Where each character of a decoded string was written: :class:`SourceMap`, or
    :class:`QuotedLine` for the common case it stands in for."""

    def text(self) -> str: ...

    def source(self, offset: int) -> int: ...

    def moved(self, by: int) -> StringMap: ...


class QuotedLine:
    """The map of a string written on one line in double quotes (a JSON body as YAML's emitter writes
    it): the character at ``offset`` was written one character further for every quote and backslash
    before it (``\\"``, ``\\\\``), and further still for every other escape before it (``\\xFC``,
    ``\\u2028``, ``\\t``: its width but one), or at its escape's backslash when it is one. What
    :class:`SourceMap` answers for the same line, without a piece or an offset kept per quote: the
    quotes and backslashes before an offset are counted when it is asked for, from the last offset
    asked (a string's findings come in the order of its text), so that a body's places cost about
    one pass of ``count`` over it."""

    __slots__ = ("_at", "_before", "_further", "_start", "_text", "_wide")

    def __init__(self, text: str, start: int, wide: list[int], further: list[int]) -> None:
        self._text, self._start = text, start
        self._wide, self._further = wide, further
        """The decoded offsets of the code points' escapes, and how much further than a quote's
        escape the characters after each are written (all those up to it)."""
        self._at = self._before = 0
        """The last offset asked for, and the quotes and backslashes before it."""

    @classmethod
    def of(cls, written: str, text: str, start: int) -> QuotedLine | None:
        """The map of ``text`` when ``written`` (the characters between the quotes, written from
        ``start``) is ``text`` with every backslash and quote escaped, and some characters as their
        code point's escape; else None (and for the empty string, which :class:`SourceMap` maps to
        nothing)."""
        if not text:
            return None
        wide: list[int] = []
        further: list[int] = []
        expected: list[str] = []
        at = written_at = pairs = 0  # where the last escape read ends, in text and in what is written
        for m in _OTHER.finditer(written):
            code = m.group()[1]
            if code == "\\":
                pairs += 1  # an escaped backslash: counted as a quote's escape is, at its place
                continue
            end, width = m.end(), YAML_HEX.get(code, 0)
            if width:
                digits = written[end : end + width]
                value = int(digits, 16) if len(digits) == width and not digits.strip(_HEX) else -1
                char, end = chr(value) if 0 <= value <= 0x10FFFF else "", end + width
            else:
                char = YAML_ESCAPES.get(code, "")
            # what was written since the last escape: each backslash but the pairs' second a quote's
            skipped = m.start() - written_at - written.count("\\", written_at, m.start()) + pairs
            if not char or at + skipped >= len(text) or text[at + skipped] != char:
                return None
            expected += (_escaped(text[at : at + skipped]), written[m.start() : end])
            at, written_at, pairs = at + skipped + 1, end, 0
            wide.append(at - 1)
            further.append((further[-1] if further else 0) + end - m.start() - 1 - (char in _ESCAPED))
        expected.append(_escaped(text[at:]))
        if "".join(expected) != written:
            return None
        return cls(text, start, wide, further)

    def text(self) -> str:
        return self._text

    def moved(self, by: int) -> QuotedLine:
        self._start += by
        return self

    def source(self, offset: int) -> int:
        text, wide = self._text, self._wide
        at = min(max(offset, 0), len(text))
        if offset >= len(text) and (text[-1] in _ESCAPED or (wide and wide[-1] == at - 1)):
            return self.source(at - 1)  # past a last escape: at it, as SourceMap maps it
        if at < self._at:
            self._at = self._before = 0
        self._before += text.count('"', self._at, at) + text.count("\\", self._at, at)
        self._at = at
        n = bisect_left(wide, at)
        return self._start + offset + self._before + (self._further[n - 1] if n else 0)


_OTHER: Final = re.compile(r'\\[^"]', re.S)
"""In double quotes, an escape but a quote's: an escaped backslash (found so that it is never read as
the start of another), a code point's (its digits follow), or another character's (``\\t``...)."""
_HEX: Final = "0123456789abcdefABCDEF"
_ESCAPED: Final = '"\\'


def _escaped(text: str) -> str:
    """``text`` in double quotes with its quotes and backslashes escaped."""
    return text.replace("\\", "\\\\").replace('"', '\\"')
