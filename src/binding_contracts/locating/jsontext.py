"""A small, tolerant JSON scanner: where the member a JSON pointer names is written in JSON text.

It follows the pointer alone and skips every other value with one regular expression, so its cost
is one pass over the text up to the member, without building a document. It never refuses: on text
it cannot follow (not JSON, cut short) it stops and gives the deepest place it reached. A member
named twice is the last one, as JSON readers take it. Escaped member names are compared decoded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Final, NamedTuple

from .._json import split
from .positions import SourceMap

_WS: Final = re.compile(r"[ \t\r\n]*")
_SPACE: Final = frozenset(" \t\r\n")
"""JSON's white space, for a character looked at before :data:`_WS` is matched (compact text has none)."""
# Strings as "unrolled loops" with possessive repeats: a class repeated is one step of the matcher,
# where an alternation repeated keeps a backtracking state per character (gigabytes for a 15 MB sid).
_STRING: Final = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"', re.S)
_SCALAR: Final = re.compile(r"[^\s,\]}]*")
_SKIP: Final = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"|[\[\]{}]', re.S)


def _nested(depth: int) -> re.Pattern[str]:
    """A container (any opening bracket to the closing one that balances it, as :data:`_SKIP`'s
    tokens count them) nested at most ``depth`` deep, matched by C in one call."""
    inner = r"(?!)"
    for _ in range(depth):
        inner = r'[\[{](?:"[^"\\]*+(?:\\.[^"\\]*+)*+"|[^"\[\]{}]++|' + inner + r")*+[\]}]"
    return re.compile(inner, re.S)


_CONTAINER: Final = _nested(12)
"""A container of any document the contract knows (4 levels deep) and then some; deeper ones, and
text that is not JSON (a quote that opens no string), are read token by token."""


class Spot(NamedTuple):
    """Where a value is written: its member name's opening quote (None for an array element or the
    document), and the value's first character; ``found`` says whether the whole pointer was."""

    key: int | None
    value: int
    found: bool

    @property
    def start(self) -> int:
        """Where a reader looks: the member's name, else the value."""
        return self.value if self.key is None else self.key


def _ws(text: str, i: int) -> int:
    m = _WS.match(text, i)
    return m.end() if m else i


def value_end(text: str, i: int) -> int:
    """The offset just past the value that starts at ``i``."""
    if i >= len(text):
        return i
    c = text[i]
    if c == '"':
        m = _STRING.match(text, i)
        return m.end() if m else len(text)
    if c in "{[":
        whole = _CONTAINER.match(text, i)
        if whole is not None:
            return whole.end()
        depth = 0
        for m in _SKIP.finditer(text, i):
            token = m.group()
            if token == "{" or token == "[":
                depth += 1
            elif token == "}" or token == "]":
                depth -= 1
                if depth == 0:
                    return m.end()
        return len(text)
    m = _SCALAR.match(text, i)
    return m.end() if m and m.end() > i else i + 1


def _name(token: str) -> str | None:
    if "\\" not in token:
        return token[1:-1]
    try:
        name = json.loads(token)
    except ValueError:
        return None
    return name if isinstance(name, str) else None


_VALUE: Final = rf'{_STRING.pattern}|{_CONTAINER.pattern}|[^\s,\]}}"\[{{][^\s,\]}}]*+'
"""A value as :func:`value_end` ends it, when it ends where a value can: a string, a container, a
scalar."""
_MEMBER: Final = re.compile(rf"({_STRING.pattern})[ \t\r\n]*+:[ \t\r\n]*+", re.S)
"""A member's name, its colon and the white space up to its value, in one match: a member is
yielded before its value is read, so that the member wanted is found without reading its value (a
page's ``bindings``, most of the text)."""
_ELEMENT: Final = re.compile(rf"({_VALUE})[ \t\r\n]*+(,[ \t\r\n]*+)?", re.S)
"""An element (or a member's value) as :func:`elements` reads it step by step, in one match: its
value, and the comma after it with the white space that follows."""

_CHAIN: Final = re.compile(
    rf"\{{[ \t\r\n]*+(?:{_STRING.pattern}[ \t\r\n]*+:[ \t\r\n]*+(?:{_VALUE})[ \t\r\n]*+,[ \t\r\n]*+)*+", re.S
)
"""An object's opening brace and members, each read as :func:`_members` reads it in one match, up
to where the chain stops: where it stops at a candidate name, that name starts a member."""
_PLAIN_NAME: Final = re.compile(r'[^"\\\x00-\x1f]*')
"""A member name JSON writes as it is (no quote, backslash or control character)."""
_WORD: Final = re.compile(r"[A-Za-z0-9_]+")
"""A member name of letters, digits and underscores: in valid JSON, a quote before it opens a string."""
_CANDIDATES: Final = 4
"""Texts of a name tried as the member before the object is read member by member."""


def _members(text: str, i: int) -> Iterator[tuple[str, tuple[int, int]]]:
    """(name, (name offset, value offset)) of each member of the object at ``i``, in order, as far
    as the text can be followed; each is yielded before its value is read."""
    i = _ws(text, i + 1)
    while i < len(text) and text[i] == '"':
        head = _MEMBER.match(text, i)
        if head is not None:  # most members: one match, the steps below for the rest
            key, value, name = i, head.end(), _name(head.group(1))
        else:
            m = _STRING.match(text, i)
            if m is None:
                return
            i = _ws(text, m.end())
            if i >= len(text) or text[i] != ":":
                return
            key, value, name = m.start(), _ws(text, i + 1), _name(m.group())
        if name is not None:
            yield name, (key, value)
        after = _after(text, value)
        if after is None:
            return
        i = after


def _after(text: str, i: int) -> int | None:
    """Where the member or element after the value at ``i`` starts (None: none follows)."""
    whole = _ELEMENT.match(text, i)
    if whole is not None:  # most values: one match, the steps below for the rest
        return whole.end() if whole.group(2) is not None else None
    i = _ws(text, value_end(text, i))
    if i >= len(text) or text[i] != ",":
        return None
    return _ws(text, i + 1)


_SCAN: Final = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # set in __init__
"""The standard library's JSON scanner (C where built with its accelerator): a valid JSON value read
at C speed, with where it ends."""


def _scanned_end(text: str, i: int) -> int | None:
    """Where the valid JSON value at ``i`` ends (None where there is none: the expressions read on);
    valid JSON ends where :data:`_VALUE` and the tokens end it."""
    try:
        return int(_SCAN(text, i)[1])
    except (StopIteration, ValueError, RecursionError):
        return None


def elements(text: str, i: int, last: int) -> Iterator[tuple[int, int]]:
    """(index, offset) of each element of the array at ``i``, up to index ``last``."""
    for index, at, _, _ in _elements(text, i, last):
        yield index, at


def _elements(text: str, i: int, last: int) -> Iterator[tuple[int, int, int | None, bool]]:
    """:func:`elements`, where each element ends when one step read it (None when read token by
    token): valid JSON, a string, a scalar, or a container whose strings and brackets all pair up;
    and whether it is valid JSON (read by the standard library's scanner)."""
    if not text.startswith("[", i):
        return
    i = _ws(text, i + 1)
    for index in range(last + 1):
        if i >= len(text) or text[i] == "]":
            return
        end = _scanned_end(text, i)
        if end is not None:  # a valid JSON element, taken where a comma or the close follows it
            after = _ws(text, end) if text[end : end + 1] in _SPACE else end
            close = text[after : after + 1]
            if close == "," or close == "]":
                yield index, i, end, True
                if close == "]":
                    return
                i = _ws(text, after + 1) if text[after + 1 : after + 2] in _SPACE else after + 1
                continue
        whole = _ELEMENT.match(text, i)
        yield index, i, whole.end(1) if whole is not None else None, False
        if whole is not None:  # most elements: one match, the steps below for the rest
            if whole.group(2) is None:
                return
            i = whole.end()
            continue
        i = _ws(text, value_end(text, i))
        if i >= len(text) or text[i] != ",":
            return
        i = _ws(text, i + 1)


def _array_index(token: str) -> int | None:
    plain = token.isascii() and token.isdigit() and len(token) <= 18
    return int(token) if plain and str(int(token)) == token else None


def locate(text: str, pointer: str | list[str], start: int = 0) -> Spot:
    """Where the value ``pointer`` names is written in the JSON ``text`` (the document starting at
    ``start``); when it names nothing, the deepest value on its way that exists. For many pointers
    into one text, :class:`Index` reads each object and array once."""
    return Index(text, start).locate(pointer)


class Index:
    """:func:`locate` for many pointers into one text: each object's members and each array's
    elements are read once, when a pointer first passes through them, so placing every finding of a
    document costs about one pass over it however many findings there are."""

    def __init__(self, text: str, start: int = 0) -> None:
        self.text = text
        self.root = _ws(text, start + (text.startswith("\ufeff", start)))
        self._members: dict[
            int, tuple[dict[str, tuple[int, int]], Iterator[tuple[str, tuple[int, int]]]]
        ] = {}
        self._elements: dict[int, list[int]] = {}
        self._read: set[int] = set()
        """The objects read to their end."""
        self._ends: dict[int, int] = {}
        """Where an array's element read in one match ends: its members are all before it."""
        self._valid: set[int] = set()
        """The elements the standard library's scanner read: valid JSON."""
        self._last: set[tuple[int, str]] = set()
        """The members found that no later member of the same name can follow."""
        self._jumped: dict[tuple[int, str], tuple[int, int]] = {}
        """The members found by :meth:`_jump`."""

    def member(self, i: int, name: str) -> tuple[int, int] | None:
        """The (name, value) offsets of member ``name`` of the object at ``i``, the last of that
        name. The object is read as far as it must be: up to the member when its name, as JSON
        writes it, is nowhere after it (a page's ``bindings`` is found without reading past the
        array), else to its end."""
        hit = self._jumped.get((i, name))
        if hit is not None:
            return hit
        if i not in self._read and (i, name) not in self._last:
            hit = self._jump(i, name)
            if hit is not None:
                self._jumped[i, name] = hit
                return hit
        known = self._members.get(i)
        if known is None:
            known = self._members[i] = ({}, _members(self.text, i))
        found, rest = known
        if i in self._read or (i, name) in self._last:
            return found.get(name)
        if name not in found:
            for more, at in rest:
                found[more] = at
                if more == name:
                    break
            else:
                self._read.add(i)
        if name in found and i not in self._read:
            if self._again(name, found[name][1], i):
                found.update(rest)
                self._read.add(i)
            else:
                self._last.add((i, name))
        return found.get(name)

    def _jump(self, i: int, name: str) -> tuple[int, int] | None:
        """Member ``name`` of the object at ``i`` found without a call per member: the first place
        its name is written as it is (``"name"``) where the members before it end, read in one
        match, when no member of that name can follow (else None: the object is read member by
        member). A member of that name written with escapes before it is no matter: the last one is
        the one taken."""
        text = self.text
        if not _PLAIN_NAME.fullmatch(name):
            return None
        written, end = f'"{name}"', self._ends.get(i, len(text))
        at = text.find(written, i, end)
        valid = i in self._valid and _WORD.fullmatch(name) is not None
        for _ in range(_CANDIDATES):
            if at < 0:
                return None
            if valid and self._first_level(i, at):
                head = _MEMBER.match(text, at)  # a member's name, or a value: the next is tried
                if head is not None and head.end(1) == at + len(written):
                    return None if self._again(name, head.end(), i) else (at, head.end())
                at = text.find(written, at + 1, end)
                continue
            chain = _CHAIN.match(text, i, at)
            if chain is not None and chain.end() == at:
                head = _MEMBER.match(text, at)
                if head is None or head.end(1) != at + len(written) or self._again(name, head.end(), i):
                    return None
                return at, head.end()
            at = text.find(written, at + 1, end)
        return None

    def _first_level(self, i: int, at: int) -> bool:
        """Whether the quote at ``at`` opens a string of the first level of the valid JSON object at
        ``i``: no bracket before it in the object (not even in a string), and no backslash right
        before it (a quote escaped in a string: an unescaped one in valid JSON delimits a string,
        and one followed by a word's character opens it)."""
        text = self.text
        return text.find("{", i + 1, at) < 0 and text.find("[", i + 1, at) < 0 and text[at - 1 : at] != "\\"

    def _again(self, name: str, after: int, i: int) -> bool:
        """Whether a member ``name`` may be written after ``after`` in the object at ``i`` (an escape
        may write any name): before its end, when it is an array's element read in one match."""
        text, end = self.text, self._ends.get(i, len(self.text))
        return text.find(f'"{name}"', after, end) >= 0 or text.find("\\", after, end) >= 0

    def elements(self, i: int) -> list[int]:
        """The offset of each element of the array at ``i``."""
        found = self._elements.get(i)
        if found is None:
            read = list(_elements(self.text, i, len(self.text)))
            found = self._elements[i] = [at for _, at, _, _ in read]
            self._ends.update((at, end) for _, at, end, _ in read if end is not None)
            self._valid.update(at for _, at, _, valid in read if valid)
        return found

    def locate(self, pointer: str | list[str]) -> Spot:
        """What :func:`locate` gives for ``pointer`` in this text."""
        text, tokens = self.text, _tokens(pointer) if isinstance(pointer, str) else pointer
        spot = Spot(None, self.root, not tokens)
        for n, token in enumerate(tokens, 1):
            i = spot.value
            if i >= len(text):
                break
            if text[i] == "{":
                member = self.member(i, token)
                if member is None:
                    break
                spot = Spot(member[0], member[1], n == len(tokens))
            elif text[i] == "[":
                index, found = _array_index(token), self.elements(i)
                if index is None or index >= len(found):
                    break
                spot = Spot(None, found[index], n == len(tokens))
            else:
                break
        return spot


@lru_cache(maxsize=4096)
def _tokens(pointer: str) -> tuple[str, ...]:
    """A pointer's tokens, kept: a cassette's findings name the same few members of many bodies."""
    return tuple(split(pointer))


_ESCAPES: Final = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_PIECE: Final = re.compile(r'[^"\\]+|\\u[0-9a-fA-F]{4}|\\.', re.S)


def string_map(text: str, i: int) -> SourceMap | None:
    """The source map of the JSON string whose opening quote is at ``i``, checked against what a
    JSON reader decodes; None when it is not a string this map can follow exactly."""
    end = value_end(text, i)
    if not text.startswith('"', i) or end - i < 2 or text[end - 1] != '"':
        return None
    out = SourceMap()
    pos, stop = i + 1, end - 1
    while pos < stop:
        m = _PIECE.match(text, pos, stop)
        if m is None:
            return None
        piece = m.group()
        if piece[0] != "\\":
            out.copy(piece, pos)
        elif piece[1] == "u":
            code = int(piece[2:], 16)
            low = text[m.end() : m.end() + 6]
            if 0xD800 <= code < 0xDC00 and re.fullmatch(r"\\u[dD][c-fC-F][0-9a-fA-F]{2}", low):
                code = 0x10000 + ((code - 0xD800) << 10) + (int(low[2:], 16) - 0xDC00)
                out.escape(chr(code), pos)
                pos = m.end() + 6
                continue
            out.escape(chr(code), pos)
        elif piece[1] in _ESCAPES:
            out.escape(_ESCAPES[piece[1]], pos)
        else:
            return None
        pos = m.end()
    try:
        same = json.loads(text[i:end]) == out.text()
    except ValueError:
        return None
    return out if same else None
