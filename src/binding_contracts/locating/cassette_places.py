"""Where a finding about an interaction is written in its cassette: each part of the interaction
(the request's URI, headers and body, the response's status, headers and body) at its own place.

A finding about the response body (its key: the pointer of the member it names) is found inside
the body's string: the string is found in the cassette (YAML in vcrpy's regular layout by the
nodes :mod:`.blockyaml` read, from the file's bytes; other YAML by its parser's events; JSON by the
scanner); when that string, as the cassette stores it, is exactly the body that was judged (a
plain, quoted or literal scalar, a JSON string), the member is found inside it and mapped back
through the string's escapes and folds to its own line and column. Otherwise (base64 ``!!binary``,
a gzip or deflate body, an alias, anything the maps cannot follow exactly) the finding is placed on
the body's string.

A finding about another part (its key: a :class:`Part`) is placed where the part's string holds
the fact's text (a header's value, a query pair in the URI, a pair of a form request body) or its
member (a JSON request body's), mapped the same way; a text not found there, or a string the maps
cannot follow, puts it on the part's string. A part (or body) the interaction lacks: the nearest
node on the way to it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from typing import Any, BinaryIO, Final, Protocol

import yaml

from .._json import split
from . import blockyaml, jsontext, yamltext
from .positions import Lines, Position, StringMap


class Part(Protocol):
    """A part of an interaction and the fact's text in it (:class:`~..report.Part` is one)."""

    def __hash__(self) -> int: ...

    @property
    def pointer(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def lead(self) -> str: ...

    @property
    def member(self) -> str | None: ...


Key = str | Part
"""What a finding is about: a pointer into the response body, or another part of the interaction."""

BODY: Final = ("response", "body")


def _judged(stored: str, body: bytes | str | None) -> bool:
    """Whether the string a cassette stores is the body that was judged."""
    if body is None:
        return False
    if isinstance(body, str):
        return stored == body
    try:
        return stored.encode("utf-8") == body
    except UnicodeEncodeError:
        return False


def _path(key: Key) -> tuple[str, ...]:
    """The part's path in the interaction as vcrpy records it."""
    return BODY if isinstance(key, str) else tuple(split(key.pointer))


Place = tuple[int, str, Callable[[], StringMap | None]]
"""Where a part's string (or the nearest node to it) starts, the string ("" when the part is none
or not a string), and how to map it to the cassette's text (made when a finding needs it, one
string at a time: a map costs a few times its string's size)."""


def locate_findings(
    text: str, *, is_json: bool, findings: Mapping[int, tuple[bytes | str | None, Iterable[Key]]]
) -> dict[tuple[int, Key], Position]:
    """The position of each (interaction index, key) of ``findings`` (index -> (the response body
    judged, the keys of its findings)) in the cassette ``text``; an interaction not found is left
    out."""
    wanted, paths = _wanted(findings)
    places = _json_places(text, paths).items() if is_json else _yaml_places(text, paths)
    return _placed(places, Lines(text, yaml=not is_json), findings, wanted)


def locate_regular(
    data: bytes, findings: Mapping[int, tuple[bytes | str | None, Iterable[Key]]]
) -> dict[tuple[int, Key], Position] | None:
    """:func:`locate_findings` of a YAML cassette in vcrpy's regular layout (:mod:`.blockyaml`),
    read from its bytes (the text is never made whole); None when it is not in that layout."""
    root = blockyaml.read(data)
    if root is None:
        return None
    wanted, paths = _wanted(findings)
    return _placed(_regular_places(data, root, paths, findings), Lines.ascii(data), findings, wanted)


def locate_in_file(
    file: BinaryIO, layout: blockyaml.Layout, findings: Mapping[int, tuple[bytes | str | None, Iterable[Key]]]
) -> dict[tuple[int, Key], Position] | None:
    """:func:`locate_regular` of the open ``file``, its nodes those the load read (``layout``): the
    file is read once, a chunk at a time, to check it still holds what was loaded and to find its
    lines, then only the strings the findings are in, one at a time. None when it changed."""
    lines = layout.lines(file)
    if lines is None:
        return None
    wanted, paths = _wanted(findings)
    try:
        places = _regular_places(_Windows(file.fileno()), layout.root, paths, findings)
        return _placed(places, lines, findings, wanted)
    except (UnicodeDecodeError, blockyaml.Irregular):  # changed since it was checked: read it whole
        return None


class _Windows:
    """A file's bytes, read where asked (``pread``), never whole."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __getitem__(self, span: slice, /) -> bytes:
        return os.pread(self.fd, span.stop - span.start, span.start)


def _wanted(
    findings: Mapping[int, tuple[bytes | str | None, Iterable[Key]]],
) -> tuple[dict[int, list[Key]], dict[int, set[tuple[str, ...]]]]:
    """Each interaction's keys, and the paths of the parts they are about."""
    wanted = {index: list(keys) for index, (_, keys) in findings.items()}
    return wanted, {index: {_path(key) for key in keys} for index, keys in wanted.items()}


def _placed(
    places: Iterable[tuple[int, dict[Any, Place]]],
    lines: Lines,
    findings: Mapping[int, tuple[bytes | str | None, Iterable[Key]]],
    wanted: Mapping[int, list[Key]],
) -> dict[tuple[int, Key], Position]:
    out: dict[tuple[int, Key], Position] = {}
    for index, spots in places:  # one interaction's strings at a time
        body = findings[index][0]
        for path, group in _grouped(wanted[index]).items():
            at, stored, mapping = spots[path]
            exact = stored and (path != BODY or _judged(stored, body))
            source_map = mapping() if exact else None  # one string's map at a time
            json_inside = path == BODY or any(not isinstance(k, str) and k.member is not None for k in group)
            inside = jsontext.Index(stored) if source_map is not None and json_inside else None
            for key in group:
                offset = at
                if source_map is not None:
                    offset = source_map.source(_offset(stored, key, inside))
                out[index, key] = lines.position(offset)
    return out


def _grouped(keys: Iterable[Key]) -> dict[tuple[str, ...], list[Key]]:
    out: dict[tuple[str, ...], list[Key]] = {}
    for key in keys:
        out.setdefault(_path(key), []).append(key)
    return out


def _offset(stored: str, key: Key, inside: jsontext.Index | None) -> int:
    """Where in the part's string the key's fact starts: a body member by its pointer, another
    part's text at its first occurrence after its lead (0, the string's start, when not there)."""
    if isinstance(key, str) or key.member is not None:
        member = key if isinstance(key, str) else key.member
        return inside.locate(member or "").start if inside is not None else 0
    start = stored.find(key.lead) + len(key.lead) if key.lead and key.lead in stored else 0
    found = stored.find(key.text, start) if key.text else 0
    return max(found, 0)


def _yaml_places(
    text: str, paths: Mapping[int, set[tuple[str, ...]]]
) -> Iterator[tuple[int, dict[Any, Place]]]:
    """Each interaction's places, read as they are asked for (the cassette changed since it was
    read, and is no YAML now: none)."""
    wanted = {index: yamltext.trie(_with_string(p) for p in group) for index, group in paths.items()}
    try:
        for index, item in yamltext.each(text, "interactions", wanted):
            yield index, _yaml_item_places(text, item, paths[index])
    except (yaml.YAMLError, RecursionError):  # the cassette was read before: changed since
        return


def _yaml_item_places(text: str, item: yamltext.Node, paths: set[tuple[str, ...]]) -> dict[Any, Place]:
    places: dict[Any, Place] = {}
    for path in paths:
        node, whole = item.follow(path)
        if whole and isinstance(node.event, yaml.MappingStartEvent) and "string" in node.children:
            node = node.children["string"]  # a body as vcrpy records it: {string: ...}
        event = node.event
        stored = event.value if whole and isinstance(event, yaml.ScalarEvent) else ""
        places[path] = (event.start_mark.index, stored, partial(yamltext.scalar_map, text, event))
    return places


def _regular_places(
    data: blockyaml.Source,
    root: blockyaml.Node,
    paths: Mapping[int, set[tuple[str, ...]]],
    findings: Mapping[int, tuple[bytes | str | None, Iterable[Key]]],
) -> Iterator[tuple[int, dict[Any, Place]]]:
    """Each interaction's places in a cassette of the regular layout, read as they are asked for.

    A body's string is taken to be the body judged (not decoded again): where it is not, the map
    made of the string, checked against it, is none, and the finding goes to the string's start,
    where a body unlike its string puts it."""
    sequence, whole = blockyaml.follow(root, ["interactions"])
    if not whole or not isinstance(sequence, blockyaml.Collection) or sequence.mapping:
        return
    items = sequence.members
    for index in sorted(paths):
        if index >= len(items):
            break
        places: dict[Any, Place] = {}
        for path in paths[index]:
            node, whole = blockyaml.follow(items[index][1], path)
            if whole and isinstance(node, blockyaml.Collection) and node.mapping:
                inner, found = blockyaml.follow(node, ["string"])
                node = inner if found else node  # a body as vcrpy records it: {string: ...}
            stored = ""
            if whole and isinstance(node, blockyaml.Scalar):
                judged = _text(findings[index][0]) if path == BODY else None
                stored = judged if judged is not None else blockyaml.text(data, node)
            places[path] = (node.start, stored, partial(_window_map, data, node, stored))
        yield index, places


def _text(body: bytes | str | None) -> str | None:
    """A body judged, as the text a string holds (None: no body, or bytes no UTF-8 string writes)."""
    if body is None or isinstance(body, str):
        return body
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _window_map(data: blockyaml.Source, node: blockyaml.Node, stored: str) -> StringMap | None:
    """A scalar's source map, read from its own bytes: the file is never decoded whole."""
    if not isinstance(node, blockyaml.Scalar):
        return None
    window = data[node.start : node.end].decode("ascii")
    start, end = yaml.Mark("", 0, 0, 0, None, 0), yaml.Mark("", len(window), 0, 0, None, 0)
    event = yaml.ScalarEvent(None, None, (True, False), stored, start, end, node.style or None)
    found = yamltext.scalar_map(window, event)
    return found.moved(node.start) if found is not None else None


def _with_string(path: Sequence[str]) -> list[str]:
    """A body's path and the ``string`` a vcrpy body mapping holds it under."""
    return [*path, "string"] if path and path[-1] == "body" else list(path)


def _json_places(text: str, paths: Mapping[int, set[tuple[str, ...]]]) -> dict[int, dict[Any, Place]]:
    index = jsontext.Index(text)
    interactions = index.locate(["interactions"])
    if not interactions.found or not text.startswith("[", interactions.value):
        return {}
    elements = index.elements(interactions.value)
    places: dict[int, dict[Any, Place]] = {}
    for n, group in paths.items():
        if n >= len(elements):
            continue
        places[n] = {}
        for path in group:
            spot = jsontext.locate(text, list(path), elements[n])
            if spot.found and path[-1] == "body":  # the string inside the body mapping (vcrpy)
                inner = jsontext.locate(text, ["string"], spot.value)
                spot = inner if inner.found else spot
            stored = _json_string(text, spot.value) if spot.found else ""
            places[n][path] = (spot.value, stored, partial(jsontext.string_map, text, spot.value))
    return places


def _json_string(text: str, i: int) -> str:
    """The string the JSON string at ``i`` holds ("" where there is none)."""
    if not text.startswith('"', i):
        return ""
    try:
        value = json.loads(text[i : jsontext.value_end(text, i)])
    except ValueError:
        return ""
    return value if isinstance(value, str) else ""
