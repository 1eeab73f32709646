"""Where a finding about an interaction's response body is written in its cassette.

A finding's pointer names a member of the body. The body's string is found in the cassette (YAML by
its parser's events, JSON by the scanner); when that string, as the cassette stores it, is exactly
the body that was judged (a plain, quoted or literal scalar, a JSON string), the member is found
inside it and mapped back through the string's escapes and folds to its own line and column.
Otherwise (base64 ``!!binary``, a gzip or deflate body, an alias, anything the maps cannot follow
exactly) the finding is placed on the body's string. An interaction without a body: its response.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

import yaml

from . import jsontext, yamltext
from .positions import Lines, Position, SourceMap

_PATH = ("response", "body", "string")


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


def locate_findings(
    text: str, *, is_json: bool, findings: Mapping[int, tuple[bytes | str | None, Iterable[str]]]
) -> dict[tuple[int, str], Position]:
    """The position of each (interaction index, pointer) of ``findings`` (index -> (the body judged,
    the pointers of its findings)) in the cassette ``text``; an interaction not found is left out."""
    out: dict[tuple[int, str], Position] = {}
    lines = Lines(text, yaml=not is_json)
    places = _json_places(text, findings) if is_json else _yaml_places(text, findings)
    for index, (body, pointers) in findings.items():
        if index not in places:
            continue
        at, stored, mapping = places[index]
        source_map = mapping() if stored and _judged(stored, body) else None  # one body's map at a time
        inside = jsontext.Index(stored) if source_map is not None else None
        for ptr in pointers:
            offset = at
            if source_map is not None and inside is not None:
                offset = source_map.source(inside.locate(ptr).start)
            out[index, ptr] = lines.position(offset)
    return out


Place = tuple[int, str, Callable[[], SourceMap | None]]
"""Where the body string (or the nearest node to it) starts, the string, and how to map it to the
cassette's text (made when a finding needs it, one body at a time: a map costs a few times its
string's size)."""


def _yaml_places(text: str, findings: Mapping[int, Any]) -> dict[int, Place]:
    try:
        found = yamltext.find(text, "interactions", list(findings), _PATH)
    except (yaml.YAMLError, RecursionError):  # the cassette was read before: changed since
        return {}
    places: dict[int, Place] = {}
    for index, events in found.items():
        node = events[-1]
        is_body = len(events) == 4 or (len(events) == 3 and isinstance(node, yaml.ScalarEvent))
        stored = node.value if is_body and isinstance(node, yaml.ScalarEvent) else ""
        places[index] = (node.start_mark.index, stored, partial(yamltext.scalar_map, text, node))
    return places


def _json_places(text: str, findings: Mapping[int, Any]) -> dict[int, Place]:
    places: dict[int, Place] = {}
    interactions = jsontext.locate(text, ["interactions"])
    if not interactions.found:
        return places
    for index, start in jsontext.elements(text, interactions.value, max(findings, default=-1)):
        if index not in findings:
            continue
        spot = jsontext.locate(text, ["response", "body"], start)
        if spot.found:  # the string inside the body mapping (vcrpy), or the body itself (older)
            inner = jsontext.locate(text, ["string"], spot.value)
            spot = inner if inner.found else spot
        stored = _json_string(text, spot.value)
        places[index] = (spot.value, stored, partial(jsontext.string_map, text, spot.value))
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
