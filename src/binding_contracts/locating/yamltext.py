"""Where a node of a YAML document is written, from PyYAML's events, and where each character of
a scalar was written inside it.

Events, not a composed tree: :func:`find` follows the paths it is asked for and keeps only the
nodes on them, skips the rest without building nodes, and stops once it has passed the last of
them. The parser is PyYAML's safe one (libyaml when built with it): events construct nothing, so
no tag is ever resolved or run, and an alias is a single event, never expanded. Marks count
characters, as the text passed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from operator import add
from typing import Any, Final

import yaml

from .positions import YAML_ESCAPES, YAML_HEX, QuotedLine, SourceMap, StringMap

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover  (PyYAML built without libyaml)
    _Loader = yaml.SafeLoader

_OPEN: Final = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE: Final = (yaml.MappingEndEvent, yaml.SequenceEndEvent)

Path = Sequence[str]


def _skip(events: Iterator[Any], first: Any) -> None:
    """Consume the rest of the node that ``first`` starts."""
    if isinstance(first, _OPEN):
        _close(events)


Trie = dict[str, "Trie"]
"""The paths wanted in a node, as a tree of member names (and sequence indexes, as digits)."""


@dataclass
class Node:
    """A node of the YAML document: the event that starts it, and those of its children that a
    path wanted goes through (a mapping's by key, the last of a name as the loader takes it; a
    sequence's by index as digits)."""

    event: Any
    children: dict[str, Node] = field(default_factory=dict)

    def follow(self, path: Path) -> tuple[Node, bool]:
        """The node ``path`` names below this one, or the deepest on its way; whether it was found."""
        node = self
        for name in path:
            child = node.children.get(name)
            if child is None:
                return node, False
            node = child
        return node, True


def trie(paths: Iterable[Path]) -> Trie:
    """The paths as one tree of names."""
    out: Trie = {}
    for path in paths:
        here = out
        for name in path:
            here = here.setdefault(name, {})
    return out


def _build(events: Iterator[Any], first: Any, wanted: Trie) -> Node:
    """Consume the node ``first`` starts; it, with the children on the ``wanted`` paths."""
    node = Node(first)
    if not wanted:
        _skip(events, first)
    elif isinstance(first, yaml.MappingStartEvent):
        for key in events:
            if isinstance(key, yaml.MappingEndEvent):
                break
            _skip(events, key)
            value = next(events)
            below = wanted.get(key.value) if isinstance(key, yaml.ScalarEvent) else None
            if below is None:
                _skip(events, value)
            else:
                node.children[key.value] = _build(events, value, below)
    elif isinstance(first, yaml.SequenceStartEvent):
        for index, item in enumerate(events):
            if isinstance(item, yaml.SequenceEndEvent):
                break
            below = wanted.get(str(index))
            if below is None:
                _skip(events, item)
            else:
                node.children[str(index)] = _build(events, item, below)
    return node


def _member(events: Iterator[Any], name: str) -> Any:
    """In the mapping whose start was just read, the event that starts member ``name``'s value, the
    mapping consumed up to it (None, the mapping consumed, when it has no such member)."""
    for key in events:
        if isinstance(key, yaml.MappingEndEvent):
            return None
        _skip(events, key)
        value = next(events)
        if isinstance(key, yaml.ScalarEvent) and key.value == name:
            return value
        _skip(events, value)
    return None


def _close(events: Iterator[Any]) -> None:
    """Consume the rest of the collection being read."""
    depth = 1
    for event in events:
        if isinstance(event, _OPEN):
            depth += 1
        elif isinstance(event, _CLOSE):
            depth -= 1
            if depth == 0:
                return


def find(text: str, name: str, items: Mapping[int, Trie]) -> dict[int, Node]:
    """For each index of ``items`` in the sequence that member ``name`` of the YAML document
    ``text`` holds, that item with the nodes on its wanted paths (an item the sequence lacks is left
    out). The first member ``name`` is the one followed, and reading stops after the last item
    wanted."""
    return dict(each(text, name, items))


def each(text: str, name: str, items: Mapping[int, Trie]) -> Iterator[tuple[int, Node]]:
    """:func:`find`'s items one at a time, in the order of the sequence, each read when asked for:
    a caller done with an item holds none of its strings while the next is read."""
    last = max(items, default=-1)
    events = iter(yaml.parse(text, Loader=_Loader))
    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            break
    root = next(events, None)
    node = _member(events, name) if isinstance(root, yaml.MappingStartEvent) else None
    if not isinstance(node, yaml.SequenceStartEvent):
        return
    for index, item in enumerate(events):
        if isinstance(item, yaml.SequenceEndEvent) or index > last:
            break
        if index in items:
            yield index, _build(events, item, items[index])
        else:
            _skip(events, item)


_BREAK: Final = re.compile(r"\r\n|\r|\n")


def scalar_map(text: str, event: Any) -> StringMap | None:
    """The source map of a scalar (plain, single- or double-quoted, literal), checked against the
    value the parser read; None for any other scalar, or one this map cannot follow exactly. A
    double-quoted scalar on one line is a :class:`.QuotedLine` when that map follows it."""
    if not isinstance(event, yaml.ScalarEvent) or event.start_mark is None or event.end_mark is None:
        return None
    start, end = event.start_mark.index, event.end_mark.index
    style = event.style or ""
    if style == '"':
        quick = _quoted_line(text[start + 1 : end - 1], event.value, start + 1)
        if quick is not None:
            return quick
    if style in ("'", '"'):
        out = _flow(text, start + 1, end - 1, style)
    elif style == "":
        out = _flow(text, start, end, "")
    elif style == "|":
        out = _literal(text, start, end)
    else:
        return None
    if out is None:
        return None
    decoded, value = out.text(), event.value
    same = decoded.rstrip("\n") == value.rstrip("\n") if style == "|" else decoded == value
    return out if same else None


def _quoted_line(written: str, value: str, start: int) -> QuotedLine | None:
    """The map of a double-quoted scalar written on one line (no break YAML folds), when it is its
    value escaped as :meth:`.QuotedLine.of` reads it."""
    if any(c in written for c in "\n\r\x85\u2028\u2029"):  # a search of C each
        return None
    return QuotedLine.of(written, value, start)


def _flow(text: str, start: int, end: int, style: str) -> SourceMap | None:
    """A flow scalar's lines folded as YAML folds them: white space around a line break dropped, the
    break read as a space, or as one LF per empty line after it; in double quotes, an escaped break
    joins the lines and escapes decode."""
    out = SourceMap()
    one_line = text.find("\n", start, end) < 0 and text.find("\r", start, end) < 0
    breaks = [] if one_line else list(_BREAK.finditer(text, start, end))
    bounds = [(start, breaks[0].start() if breaks else end)]
    bounds += [(m.end(), breaks[n + 1].start() if n + 1 < len(breaks) else end) for n, m in enumerate(breaks)]
    empties, joined = 0, False
    for n, (a, b) in enumerate(bounds):
        last = n == len(bounds) - 1
        if n:
            a = b - len(text[a:b].lstrip(" \t"))
        escaped = style == '"' and not last and (b - a - len(text[a:b].rstrip("\\"))) % 2 == 1
        if escaped:
            b -= 1
        elif not last:
            b = a + len(text[a:b].rstrip(" \t"))
        if n:
            if a == b and not last and not escaped:
                empties += 1
                continue
            fold = "\n" * empties if joined or empties else " "
            out.escape(fold, a)
        if not _line(out, text, a, b, style):
            return None
        empties, joined = 0, escaped
    return out


_UNLIKE: Final = re.compile(r'\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[^"/ \t]|\Z)')
"""In double quotes, an escape that does not decode to its own code (``\\n``, ``\\xFC``, an
escaped backslash) or one YAML does not know: the escapes that are not ``\\"``, ``\\/``, ``\\ ``."""


def _line(out: SourceMap, text: str, a: int, b: int, style: str) -> bool:
    """One line of a flow scalar, its escapes decoded; False at an escape this map does not know."""
    return _run(out, text, a, b, style) or _pieces(out, text, a, b, style)


def _run(out: SourceMap, text: str, a: int, b: int, style: str) -> bool:
    """A quoted line as runs of the map, its escapes found by splitting the line (no call per
    escape): in single quotes every ``''``; in double quotes every escape that decodes to its own
    code (``\\"``: a JSON body holds thousands), the others pieces of their own. False, nothing
    added, for a line :func:`_pieces` reads (plain, or an escape it refuses)."""
    if style == "'":
        line = text[a:b]
        if "'" in line.replace("''", ""):
            return False
        parts = line.split("''")
        # the escape after part j is at the decoded offset of the parts and escapes before it
        escapes = list(map(add, accumulate(map(len, parts[:-1])), range(len(parts) - 1)))
        out.run("'".join(parts), a, escapes)
        return True
    if style != '"':
        return False
    others = list(_UNLIKE.finditer(text, a, b))  # a finditer skips the escapes of a run, never
    decoded = [_decoded(m.group()) for m in others]  # starts inside one: each backslash is one
    if None in decoded:
        return False
    pos = a
    for m, value in zip(others, decoded, strict=True):
        _itself(out, text, pos, m.start())
        out.escape(value or "", m.start())
        pos = m.end()
    _itself(out, text, pos, b)
    return True


def _decoded(escape: str) -> str | None:
    """What a double-quoted escape decodes to; None for one YAML does not know."""
    if len(escape) > 2:
        return chr(int(escape[2:], 16))
    return YAML_ESCAPES.get(escape[1:])


def _itself(out: SourceMap, text: str, a: int, b: int) -> None:
    """Double-quoted text whose every backslash escapes the character after it to itself: one run."""
    parts = text[a:b].split("\\")
    # each part after the first starts with its escape's code, which decodes to itself
    out.run("".join(parts), a, list(accumulate(map(len, parts[:-1]))))


def _pieces(out: SourceMap, text: str, a: int, b: int, style: str) -> bool:
    """:func:`_line` a piece per escape: every escape YAML knows."""
    pos = a
    while pos < b:
        stop = text.find("'" if style == "'" else "\\", pos, b) if style else -1
        if stop < 0:
            out.copy(text[pos:b], pos)
            return True
        out.copy(text[pos:stop], pos)
        if style == "'":
            if text[stop + 1 : stop + 2] != "'":
                return False
            out.escape("'", stop)
            pos = stop + 2
            continue
        code = text[stop + 1 : stop + 2]
        if code in YAML_ESCAPES:
            out.escape(YAML_ESCAPES[code], stop)
            pos = stop + 2
        elif code in YAML_HEX:
            digits = text[stop + 2 : stop + 2 + YAML_HEX[code]]
            if len(digits) != YAML_HEX[code] or not all(c in "0123456789abcdefABCDEF" for c in digits):
                return False
            out.escape(chr(int(digits, 16)), stop)
            pos = stop + 2 + YAML_HEX[code]
        else:
            return False
    return True


def _literal(text: str, start: int, end: int) -> SourceMap | None:
    """A literal block scalar's lines without their indentation (the header's indicators read for
    an explicit indentation; chomping is left to the caller's comparison)."""
    header_end = _BREAK.search(text, start, end)
    if header_end is None:
        return None
    header = text[start + 1 : header_end.start()].split("#")[0].strip()
    digits = [c for c in header if c.isdigit()]
    lines = []
    pos = header_end.end()
    while pos < end:
        m = _BREAK.search(text, pos, end)
        stop = m.start() if m else end
        lines.append((pos, stop))
        pos = m.end() if m else end
    if digits:  # an explicit indentation is relative to the parent node's, not known here
        return None
    content = [text[a:b] for a, b in lines if text[a:b].strip()]
    if not content:
        return None
    indent = len(content[0]) - len(content[0].lstrip(" "))
    out = SourceMap()
    for a, b in lines:
        if b - a >= indent:
            out.copy(text[a + indent : b], a + indent)
        out.escape("\n", b)
    return out
