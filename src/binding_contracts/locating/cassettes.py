"""Where a finding about an interaction's response body is written in its cassette.

A finding's pointer names a member of the body. The body's string is found in the cassette (YAML by
its parser's events, JSON by the scanner); when that string, as the cassette stores it, is exactly
the body that was judged (a plain, quoted or literal scalar, a JSON string), the member is found
inside it and mapped back through the string's escapes and folds to its own line and column.
Otherwise (base64 ``!!binary``, a gzip or deflate body, an alias, anything the maps cannot follow
exactly) the finding is placed on the body's string. An interaction without a body: its response.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
        at, stored, source_map = places[index]
        inside = source_map if source_map is not None and _judged(stored, body) else None
        for ptr in pointers:
            offset = at
            if inside is not None:
                offset = inside.source(jsontext.locate(stored, ptr).start)
            out[index, ptr] = lines.position(offset)
    return out


Place = tuple[int, str, SourceMap | None]
"""Where the body string (or the nearest node to it) starts, the string, and its source map."""


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
        source_map = yamltext.scalar_map(text, node) if stored else None
        places[index] = (node.start_mark.index, stored, source_map)
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
        source_map = jsontext.string_map(text, spot.value) if text.startswith('"', spot.value) else None
        places[index] = (spot.value, source_map.text() if source_map else "", source_map)
    return places
