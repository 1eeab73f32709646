"""vcrpy's regular YAML layout read without a YAML parser: the document, and where each node is
written, as PyYAML's safe loader and its events give them.

vcrpy writes a cassette with PyYAML's block style: mappings of plain keys, sequences without an
indent of their own under a key, plain and quoted scalars, ``{}`` and ``[]``, ASCII only (the
emitter escapes the rest). That layout is read a line at a time, each quoted scalar (a body, most of
the file) found and decoded by a few calls of C (``str.split``, ``str.replace``, one regular
expression), where a YAML parser reads it a character at a time. Anything else (a comment, a tag,
an anchor or alias, a flow collection with members, a block scalar, a tab, CR, a character past
ASCII or one YAML refuses, a key written twice, a plain scalar that is no string, null or decimal
integer, several documents) is *irregular*: :func:`read` returns None and the caller reads the file
with the YAML parser, which says what it makes of it. ``tests/locating/test_blockyaml.py`` holds the
two readers equal, value for value and mark for mark.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO, Final, Protocol

import yaml

from .positions import YAML_ESCAPES, YAML_HEX, Lines

_REGULAR_BYTES: Final = bytes(range(0x20, 0x7F)) + b"\n"
"""The bytes of the regular layout: printable ASCII and LF (no tab, CR, DEL or other control)."""
MAX_INDENT: Final = 64
"""The deepest indent read (vcrpy's cassettes go to 10): a node nests at most about twice as deep,
so that building its value never meets Python's recursion limit; deeper is left to the parser."""
_CHUNK: Final = 1 << 20
_LF: Final = re.compile(b"\n")
_CANDIDATES: Final = 16
"""Quotes followed by a line break tried as a quoted scalar's end (the others are escaped)."""
_KEY: Final = re.compile(rb"( *)([A-Za-z0-9_][A-Za-z0-9_./-]*):(?= |\n)")
"""A mapping's entry as PyYAML writes a plain key: its indent, its key, the colon."""
_PLAIN: Final = re.compile(rb"[A-Za-z0-9_/.(~$+][^\n]*")
"""A plain scalar on its line (checked further in :func:`_plain`)."""

_RESOLVER: Final = yaml.resolver.Resolver()
_STR: Final = "tag:yaml.org,2002:str"
_INTEGER: Final = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
"""A decimal integer of at most 18 digits (a longer one, past what Python may convert, is left to the
parser, which says what is wrong with it)."""


class Irregular(Exception):
    """The text leaves the regular layout: the YAML parser reads it."""


_KNOWN_ESCAPE: Final = re.compile(
    rb'\\(?!")(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U([0-9a-fA-F]{8})|[0abtnvfre /\\N_LP\n])'
)
"""A double-quoted escape YAML knows, but ``\\"`` (a tab, the one other, is no byte of the layout)."""


@dataclass(frozen=True, slots=True)
class Scalar:
    """A scalar: where it starts and ends, its style ("" plain, "'" or '"'), and the indent of the
    entry it is the value of (a quoted scalar's lines after the first are indented past it)."""

    start: int
    end: int
    style: str
    indent: int


@dataclass(frozen=True, slots=True)
class Collection:
    """A mapping (``members``: key and node, in order) or a sequence (``members``: its items keyed
    by their index, as digits); ``start`` is where its first entry (or its ``{``/``[``) is written."""

    start: int
    mapping: bool
    members: tuple[tuple[str, Node], ...]


Node = Scalar | Collection


def read(data: bytes) -> Node | None:
    """The nodes of a cassette in vcrpy's regular layout (a block mapping at its root), each quoted
    scalar's extent checked but not decoded; None for any other text."""
    # translate() sets aside room for all it is given, but touches only what it keeps: none here
    if not data or not data.isascii() or data.translate(None, _REGULAR_BYTES):
        return None
    try:
        node, pos = _Reader(data).mapping(0, 0)
    except (Irregular, RecursionError):
        return None
    return node if pos >= len(data) else None


class Source(Protocol):
    """Where a cassette's bytes are read: the bytes themselves, or the file, a window at a time."""

    def __getitem__(self, span: slice, /) -> bytes: ...


@dataclass(frozen=True, slots=True)
class Layout:
    """The nodes of a cassette read in the regular layout, and the size and a digest of the bytes
    they were read from: a later reader of the file (placing its findings) takes them for a file
    that still holds those bytes."""

    size: int
    digest: int
    root: Node

    def lines(self, file: BinaryIO) -> Lines | None:
        """Where each line of the open ``file`` starts, when it holds the bytes this layout was read
        from (else None); read in one pass, a chunk at a time (the file is never held whole)."""
        digest, size, starts = 0, 0, [0]
        while chunk := file.read(_CHUNK):
            digest = zlib.crc32(chunk, digest)
            starts += [size + m.end() for m in _LF.finditer(chunk)]
            size += len(chunk)
            if size > self.size:
                return None
        return Lines.starting(starts) if (size, digest) == (self.size, self.digest) else None


def layout(data: bytes) -> Layout | None:
    """The layout of a cassette in the regular layout (every scalar checked: its value can be
    built), or None."""
    root = read(data)
    return Layout(len(data), zlib.crc32(data), root) if root is not None else None


def document(data: bytes) -> tuple[Layout | None, Any]:
    """The layout of ``data`` and the document the safe loader builds of it; (None, None) when it
    is not in the regular layout."""
    found = layout(data)
    return (found, value(data, found.root)) if found is not None else (None, None)


def value(data: Source, node: Node) -> Any:
    """The Python value the safe loader builds of ``node`` (one of :func:`read`'s)."""
    if isinstance(node, Scalar):
        return _plain(_text(data, node)) if node.style == "" else _text(data, node)
    if node.mapping:
        return {key: value(data, child) for key, child in node.members}
    return [value(data, child) for _, child in node.members]


def count(node: Node) -> int:
    """How many values ``node`` holds, itself included (a mapping's keys are not counted)."""
    if isinstance(node, Scalar):
        return 1
    return 1 + sum(count(child) for _, child in node.members)


def text(data: Source, node: Scalar) -> str:
    """A scalar's text as the YAML parser reads it (a plain one as written, a quoted one decoded)."""
    return _text(data, node)


def follow(node: Node, path: Sequence[str]) -> tuple[Node, bool]:
    """The node ``path`` names below ``node`` (a mapping's member by key, a sequence's item by its
    index as digits), or the deepest on its way; whether it was found."""
    for name in path:
        if isinstance(node, Scalar):
            return node, False
        child = next((c for key, c in node.members if key == name), None)
        if child is None:
            return node, False
        node = child
    return node, True


def _text(data: Source, node: Scalar) -> str:
    raw = data[node.start : node.end].decode("ascii")
    if node.style == "'":
        return _single(raw[1:-1])
    if node.style == '"':
        return _double(raw[1:-1])
    return raw


def _resolved(text: str) -> str:
    """The tag YAML resolves a plain scalar ``text`` to."""
    return str(_RESOLVER.resolve(yaml.ScalarNode, text, (True, False)))  # type: ignore[no-untyped-call]


def _key(m: re.Match[bytes], seen: set[str]) -> str:
    """A mapping's key (a string, not met before in its mapping)."""
    key = m[2].decode("ascii")
    if _resolved(key) != _STR or key in seen:
        raise Irregular
    seen.add(key)
    return key


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def _line_end(self, pos: int) -> int:
        end = self.data.find(b"\n", pos)
        return len(self.data) if end < 0 else end

    def mapping(self, pos: int, indent: int) -> tuple[Collection, int]:
        """The block mapping whose entries are the lines from ``pos`` indented ``indent``, and where
        the line after it starts."""
        members, end = self._entries(pos, indent, [], set())
        if not members:
            raise Irregular
        return Collection(pos + indent, True, tuple(members)), end

    def _entries(
        self, pos: int, indent: int, members: list[tuple[str, Node]], seen: set[str]
    ) -> tuple[list[tuple[str, Node]], int]:
        """``members`` and the entries of the lines from ``pos`` indented ``indent`` (their keys not
        in ``seen``), and where the line after them starts."""
        data = self.data
        if indent > MAX_INDENT:
            raise Irregular
        while pos < len(data):
            m = _KEY.match(data, pos)
            if m is None or len(m[1]) != indent:
                break
            key = _key(m, seen)
            node, pos = self.value(m.end(), indent, mapped=True)
            members.append((key, node))
        return members, pos

    def sequence(self, pos: int, indent: int) -> tuple[Collection, int]:
        """The block sequence whose first ``- `` is at ``pos`` + ``indent``."""
        data, members = self.data, list[tuple[str, Node]]()
        start = pos + indent
        while pos < len(data) and data.startswith(b" " * indent + b"- ", pos):
            at = pos + indent + 2
            node: Node
            if _KEY.match(data, at) is not None and data[at : at + 1] != b" ":
                node, pos = self._entry_mapping(at, indent + 2)
            else:
                node, pos = self.value(at - 1, indent, mapped=False)
            members.append((str(len(members)), node))
        return Collection(start, False, tuple(members)), pos

    def _entry_mapping(self, at: int, indent: int) -> tuple[Collection, int]:
        """A mapping whose first entry starts right after ``- `` (at ``at``), the others on the
        lines after it indented ``indent``."""
        m = _KEY.match(self.data, at)
        if m is None:
            raise Irregular
        seen: set[str] = set()
        key = _key(m, seen)
        node, pos = self.value(m.end(), indent, mapped=True)
        members, pos = self._entries(pos, indent, [(key, node)], seen)
        return Collection(at, True, tuple(members)), pos

    def value(self, pos: int, indent: int, *, mapped: bool) -> tuple[Node, int]:
        """The value after a key's colon (``mapped``) or a ``-`` at ``pos``: on the line (after one
        space), or a block below it; and where the line after it starts."""
        data = self.data
        if data.startswith(b"\n", pos) or pos >= len(data):
            if not mapped:
                raise Irregular
            below = pos + 1
            child = _KEY.match(data, below)
            if child is not None and len(child[1]) > indent:
                return self.mapping(below, len(child[1]))
            if data.startswith(b" " * indent + b"- ", below):
                return self.sequence(below, indent)
            raise Irregular
        if not data.startswith(b" ", pos) or data.startswith(b"  ", pos):
            raise Irregular
        return self.scalar(pos + 1, indent)

    def _closing(self, at: int, quote: bytes) -> int:
        """Where the quoted scalar opened at ``at`` closes: the first quote that ends a line and no
        escape (an odd run of backslashes before it, or of quotes in single quotes) writes."""
        data, pos = self.data, at + 1
        escape = b"\\" if quote == b'"' else quote
        for _ in range(_CANDIDATES):
            end = _ending_a_line(data, quote, pos)
            if end < 0:
                end = len(data) - 1 if data.endswith(quote) and len(data) - 1 > at else -1
                if end < pos:
                    raise Irregular
            run = end - pos - len(data[pos:end].rstrip(escape)) if end > pos else 0
            if run % 2 == 0:
                return end
            pos = end + 1
        raise Irregular

    def scalar(self, at: int, indent: int) -> tuple[Node, int]:
        """The scalar (or ``{}``/``[]``) at ``at`` of a line whose entry is indented ``indent``."""
        data = self.data
        c = data[at : at + 1]
        if c in (b"{", b"["):
            if data[at : at + 3] not in (b"{}\n", b"[]\n") and data[at:] not in (b"{}", b"[]"):
                raise Irregular
            return Collection(at, c == b"{", ()), min(at + 3, len(data))
        if c == b"'" or c == b'"':
            end = self._closing(at, c)
            _check_quoted(data[at + 1 : end], c, indent)
            return Scalar(at, end + 1, c.decode(), indent), end + 2
        end = self._line_end(at)
        m = _PLAIN.fullmatch(data, at, end)
        if m is None:
            raise Irregular
        _plain(m.group().decode("ascii"))
        return Scalar(at, end, "", indent), end + 1


def _ending_a_line(data: bytes, quote: bytes, pos: int) -> int:
    """The first ``quote`` at or after ``pos`` that a line break follows (-1: none). The line's own
    end is looked at first: a search for one byte is memchr, where one for the two bytes is a loop of
    C over the text (a one-line body of 40 KB: 0.5 us against 33)."""
    line_end = data.find(b"\n", pos)
    if line_end > pos and data[line_end - 1] == quote[0]:
        return line_end - 1
    return data.find(quote + b"\n", pos)


def _plain(text: str) -> str | int | None:
    """A plain scalar's value; irregular unless a string, null or a decimal integer."""
    if ": " in text or " #" in text or text.endswith((" ", ":")):
        raise Irregular
    tag = _resolved(text)
    if tag in (_STR, "tag:yaml.org,2002:timestamp"):  # a date is the text written (cassette_files)
        return text
    if tag == "tag:yaml.org,2002:null" and text in ("null", "~"):
        return None
    if tag == "tag:yaml.org,2002:int" and _INTEGER.fullmatch(text):
        return int(text)
    raise Irregular


def _check_quoted(inner: bytes, quote: bytes, indent: int) -> None:
    """Irregular unless ``inner`` is one quoted scalar's content: every quote in it escaped, every
    line after the first indented past its entry's ``indent`` (or empty, in single quotes)."""
    if quote == b"'":
        if inner.count(b"'") != 2 * inner.count(b"''"):
            raise Irregular
    else:
        paired = inner.replace(b"\\\\", b"") if b"\\\\" in inner else inner
        quotes = paired.count(b'\\"')
        if paired.count(b'"') != quotes:
            raise Irregular
        others = paired.count(b"\\") - quotes
        if others:  # escapes other than \": each one YAML knows
            known = _KNOWN_ESCAPE.findall(paired)
            if len(known) != others or any(int(code, 16) > 0x10FFFF for code in known if code):
                raise Irregular
    if b"\n" in inner:
        margin = b" " * (indent + 1)
        lines = inner.split(b"\n")
        for n, line in enumerate(lines[1:], 1):
            if quote == b'"' and n < len(lines) - 1 and not line.strip(b" "):
                raise Irregular  # an empty line in double quotes: its folds are left to the parser
            if not line.startswith(margin) and (quote == b'"' or line.strip(b" ")):
                raise Irregular


def _single(inner: str) -> str:
    """A single-quoted scalar's value: ``''`` is ``'``; a line break is a space, or one LF per
    empty line after it; white space around a break dropped."""
    if "\n" not in inner:
        return inner.replace("''", "'")
    lines = inner.split("\n")
    out, empties = [lines[0].rstrip(" ")], 0
    for n in range(1, len(lines)):
        last = n == len(lines) - 1
        line = lines[n].lstrip(" ") if last else lines[n].strip(" ")
        if not line and not last:
            empties += 1
            continue
        out.append("\n" * empties if empties else " ")
        out.append(line)
        empties = 0
    return "".join(out).replace("''", "'")


def _double(inner: str) -> str:
    """A double-quoted scalar's value: its escapes decoded, a line break ending in ``\\`` joined,
    any other a space (an empty line: irregular); white space around a break dropped."""
    if "\n" not in inner:
        return _unescaped(inner)
    lines = inner.split("\n")
    out = []
    for n, line in enumerate(lines):
        if n:
            line = line.lstrip(" ")
            if not line and n < len(lines) - 1:
                raise Irregular
        if n == len(lines) - 1:
            out.append(_unescaped(line))
            break
        if _odd_backslashes(line):  # an escaped break: the lines joined
            out.append(_unescaped(line[:-1]))
            continue
        kept = line.rstrip(" ")
        if len(kept) < len(line) and _odd_backslashes(kept):
            kept += " "  # "\ " is an escaped space, not white space before the break
        out.append(_unescaped(kept) + " ")
    return "".join(out)


def _odd_backslashes(text: str) -> bool:
    return (len(text) - len(text.rstrip("\\"))) % 2 == 1


def _unescaped(text: str) -> str:
    """A double-quoted line's escapes decoded: split at escaped backslashes (paired from the left,
    as the escapes are read), each part's ``\\"`` replaced, any other escape decoded one by one."""
    if "\\" not in text:
        return text
    parts = text.split("\\\\")
    for n, part in enumerate(parts):
        if "\\" in part:
            part = part.replace('\\"', '"')
            if "\\" in part:
                part = _escapes(part)
            parts[n] = part
    return "\\".join(parts)


def _escapes(part: str) -> str:
    """A part whose every backslash starts an escape, decoded."""
    pieces = part.split("\\")
    out = [pieces[0]]
    for piece in pieces[1:]:
        code = piece[:1]
        width = YAML_HEX.get(code, 0)
        if width:
            digits = piece[1 : 1 + width]
            if len(digits) != width or digits.strip("0123456789abcdefABCDEF"):
                raise Irregular
            value = int(digits, 16)
            if value > 0x10FFFF:
                raise Irregular
            out.append(chr(value))
        elif code in YAML_ESCAPES:
            out.append(YAML_ESCAPES[code])
        else:
            raise Irregular
        out.append(piece[1 + width :])
    return "".join(out)
