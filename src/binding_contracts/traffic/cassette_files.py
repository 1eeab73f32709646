"""Read vcrpy cassettes (YAML or JSON) into interaction records, safely; no judging here.

A cassette is data from anywhere: YAML is loaded with a safe loader that knows only the
benign Python tags vcrpy writes (``python/str``, ``python/unicode``, ``python/tuple``, a
``BytesIO`` request body) and refuses every other ``!!python/…`` tag without running it.
Sizes are bounded: the file, each decoded body (gzip/deflate bombs included), and the
expansion of YAML aliases. A cassette in vcrpy's regular layout (what its serializer writes) is read
without the YAML parser (:mod:`..locating.blockyaml`), one interaction's values at a time; what that
reader leaves, the parser reads.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import yaml

from .._inputs import parse_json, read_file
from ..errors import InputError
from ..locating import blockyaml
from ..report import clip, shorten
from .encodings import MAX_BODY_BYTES, decode, encodings
from .interactions import Interaction
from .leaks import findings, masked_url, secrets

MAX_FILE_BYTES: Final = 256 * 1024 * 1024
MAX_EXPANDED_NODES: Final = 5_000_000
MAX_EXPANDED_BYTES: Final = MAX_FILE_BYTES
"""Most characters a cassette's strings may hold once YAML aliases are expanded: a scalar aliased
a thousand times is a thousand bodies to decode, however small the file."""
SUFFIXES: Final = (".yaml", ".yml", ".json")

try:
    _Base: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover  (PyYAML built without libyaml)
    _Base = yaml.SafeLoader


class _Unreadable(yaml.YAMLError):
    """A scalar its tag cannot be built from (``!!bool x``, an integer past Python's digits)."""

    def __init__(self, node: Any, reason: str) -> None:
        super().__init__(reason)
        self.node, self.reason = node, reason


class _Loader(_Base):  # type: ignore[misc]  # a C-accelerated class chosen at import
    def construct_object(self, node: Any, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, KeyError, TypeError, OverflowError) as exc:
            # PyYAML builds a tagged scalar with int(), a dict lookup, datetime(): their errors
            # are this file's, not a bug of the reader
            raise _Unreadable(node, str(exc)) from None


def _python_str(loader: Any, node: Any) -> str:
    return str(loader.construct_scalar(node))


def _python_tuple(loader: Any, node: Any) -> list[Any]:
    return list(loader.construct_sequence(node))


def _bytes_io(loader: Any, node: Any) -> bytes:
    # vcrpy wrote file-like request bodies as BytesIO whose state's first item is the content.
    value = loader.construct_mapping(node, deep=True) if isinstance(node, yaml.MappingNode) else {}
    state = value.get("state")
    first = state[0] if isinstance(state, list | tuple) and state else b""
    return first if isinstance(first, bytes) else str(first).encode("utf-8", "surrogatepass")


def _refuse(loader: Any, suffix: str, node: Any) -> None:
    raise yaml.constructor.ConstructorError(
        None, None, f"refused tag !!python/{suffix} (cassettes are loaded as data)", node.start_mark
    )


def _as_written(loader: Any, node: Any) -> str:
    return str(loader.construct_scalar(node))


# A plain scalar that looks like a date is the text written, not a datetime: a cassette is data,
# and Python has no leap second (``23:59:60Z``) nor February 30 to build.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _as_written)
for _tag in ("python/str", "python/unicode"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _python_str)
_Loader.add_constructor("tag:yaml.org,2002:python/tuple", _python_tuple)
_Loader.add_constructor("tag:yaml.org,2002:python/object/new:_io.BytesIO", _bytes_io)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _refuse)


@dataclass(frozen=True)
class Cassette:
    """The interactions of one cassette file, in recorded order."""

    path: str
    interactions: list[Interaction]
    layout: blockyaml.Layout | None = None
    """Where its nodes are written, when it was read in vcrpy's regular layout (placing reuses it)."""


def find(paths: list[str]) -> Iterator[str]:
    """Cassette files named or found (recursively, links not followed) under directories."""
    for name in paths:
        p = Path(name)
        if p.is_dir():
            for root, dirs, files in os.walk(p, followlinks=False):
                dirs.sort()
                for file in sorted(files):
                    if file.endswith(SUFFIXES):
                        yield os.path.join(root, file)
        else:
            yield name


def load(path: str) -> Cassette:
    """Read one cassette; :class:`InputError` names the file and what is wrong."""
    return parse(path, read_file(path, MAX_FILE_BYTES, "a cassette"))


def parse(path: str, data: bytes) -> Cassette:
    if not data.strip():
        raise InputError(path, "is empty, expected a cassette")
    layout = None if path.endswith(".json") else blockyaml.layout(data)
    if layout is not None:  # vcrpy's layout, read without the YAML parser
        try:
            return _regular(path, data, layout)
        except blockyaml.Irregular:  # pragma: no cover  (read() checks every value it can build)
            pass
    doc = _decode(path, data)
    if not isinstance(doc, dict) or not isinstance(doc.get("interactions"), list):
        raise InputError(path, "is not a vcrpy cassette (no 'interactions' list)")
    version = doc.get("version", 1)
    if version != 1:
        raise InputError(path, f"is a cassette of version {version!r}; version 1 is supported")
    # Each raw interaction is let go as soon as it is read: a body is held once, not twice.
    raws, records = doc["interactions"], []
    for i in range(len(raws)):
        raw, raws[i] = raws[i], None
        records.append(_interaction(path, i, raw))
    return Cassette(path, records)


def _regular(path: str, data: bytes, layout: blockyaml.Layout) -> Cassette:
    """:func:`parse` of a cassette in vcrpy's regular layout (ASCII: UTF-8; no alias: no expansion
    but its own values), each interaction's values built when it is read: one body at a time."""
    if blockyaml.count(layout.root) > MAX_EXPANDED_NODES:
        raise InputError(path, "expands past 5,000,000 values through YAML aliases (an alias bomb)")
    assert isinstance(layout.root, blockyaml.Collection)  # a mapping: read() reads no other root
    top = dict(layout.root.members)
    sequence = top.get("interactions")
    if not isinstance(sequence, blockyaml.Collection) or sequence.mapping:
        raise InputError(path, "is not a vcrpy cassette (no 'interactions' list)")
    version = blockyaml.value(data, top["version"]) if "version" in top else 1
    if version != 1:
        raise InputError(path, f"is a cassette of version {version!r}; version 1 is supported")
    records = [
        _interaction(path, i, blockyaml.value(data, node)) for i, (_, node) in enumerate(sequence.members)
    ]
    return Cassette(path, records, layout)


def document(path: str, data: bytes) -> Any:
    """A cassette's document as :func:`parse` reads it (the same loader and bounds), for rewriting."""
    return _decode(path, data)


_JSON_START: Final = re.compile(rb"(?:\xef\xbb\xbf)?\s*\{")
_CHUNK: Final = 1 << 20


def _check_utf8(path: str, data: bytes) -> None:
    """UTF-8 or an error naming the first bad byte, a chunk at a time (no copy of the whole file)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    for start in range(0, len(data), _CHUNK):
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(data[start : start + _CHUNK], final=start + _CHUNK >= len(data))
        except UnicodeDecodeError as exc:
            raise InputError(path, f"is not UTF-8 (byte {start - pending + exc.start})") from None


_NOT_JSON: Final = object()


def _json_document(path: str, data: bytes) -> Any:
    """The document of a cassette read as JSON, or :data:`_NOT_JSON` for one read as YAML: a file
    named ``.json``, or one whose text starts an object and is JSON by the one JSON reader (NaN, an
    integer past Python's digits, too deep: one line each). :class:`InputError` for a ``.json`` file
    that is not JSON."""
    if not (path.endswith(".json") or _JSON_START.match(data)):
        return _NOT_JSON
    try:
        return parse_json(path, data)
    except InputError:
        if path.endswith(".json"):
            raise
        return _NOT_JSON


def is_json(path: str, data: bytes) -> bool:
    """Whether :func:`parse` reads ``data`` as JSON (else as YAML, flow style included): what placing
    a finding in the file follows."""
    try:
        return _json_document(path, data) is not _NOT_JSON
    except InputError:
        return False


def _decode(path: str, data: bytes) -> Any:
    _check_utf8(path, data)
    doc = _json_document(path, data)
    if doc is not _NOT_JSON:
        return doc
    layout, doc = blockyaml.document(data)  # vcrpy's layout: read without the YAML parser
    try:
        # Bytes, not text: libyaml reads them in place (a BOM included), so the file is not copied.
        doc = doc if layout is not None else yaml.load(data, Loader=_Loader)
    except _Unreadable as exc:
        tag = str(exc.node.tag).rpartition(":")[2]
        problem = (
            f"has a !!{clip(tag, 40)} value at line {exc.node.start_mark.line + 1} that is no {clip(tag, 40)}"
        )
        raise InputError(path, f"{problem} ({clip(exc.reason, 80)})") from None
    except yaml.constructor.ConstructorError as exc:
        raise InputError(path, f"has a YAML tag that is not data: {exc.problem}") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1}" if where is not None else ""
        raise InputError(path, f"is not YAML{at}: {getattr(exc, 'problem', exc)}") from None
    except RecursionError:
        raise InputError(path, "is YAML nested too deep") from None
    values, size = _expanded(doc, {})
    if values > MAX_EXPANDED_NODES:
        raise InputError(path, "expands past 5,000,000 values through YAML aliases (an alias bomb)")
    if size > MAX_EXPANDED_BYTES:
        raise InputError(path, f"expands past {MAX_EXPANDED_BYTES:,} bytes of text through YAML aliases")
    return doc


def _expanded(node: Any, memo: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """How many values ``node`` holds once aliases are expanded, and how many characters its strings
    (and bytes) hold; shared nodes are counted each time they appear."""
    if isinstance(node, str | bytes):
        return 1, len(node)
    if not isinstance(node, dict | list):
        return 1, 0
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = (1, 0)  # a cycle counts once
    children = node.values() if isinstance(node, dict) else node
    values, size = 1, 0
    for child in children:
        more, longer = _expanded(child, memo)
        values, size = values + more, size + longer
        if values > MAX_EXPANDED_NODES or size > MAX_EXPANDED_BYTES:
            break
    memo[key] = values, size
    return values, size


def _interaction(path: str, index: int, raw: Any) -> Interaction:
    where = f"{path}#{index}"
    try:
        request, response = raw["request"], raw["response"]
        method, url = str(request["method"]), str(request["uri"])
        status = response["status"]["code"]
    except (KeyError, TypeError):
        raise InputError(where, "is not a vcrpy interaction (request.method/uri, response.status)") from None
    if isinstance(status, bool) or not isinstance(status, int):
        raise InputError(where, f"has status {shorten(status)}, expected an integer")
    read, problem = _body(where, response)
    url = masked_url(url)  # every finding quotes the URL: a credential in it is shown masked
    source = f"{where} {clip(method.upper(), 20)} {clip(url, 200)}"
    found = secrets(raw, read)  # a body cut short is searched as far as the client read it
    leaks, known = tuple(findings(source, found)), tuple(s.value for s in found)
    asked = request.get("body") if isinstance(request, dict) else None
    return Interaction(
        method,
        url,
        status,
        read if problem is None else b"",
        source=source,
        body_problem=problem,
        leaks=leaks,
        secrets=known,
        request_body=asked if isinstance(asked, bytes | str) else None,
        recorded=_date(response),
    )


def from_vcr(path: str, index: int, request: Any, response: dict[str, Any]) -> Interaction:
    """An interaction from a live vcrpy cassette's ``data`` (a ``vcr.request.Request`` and the
    response dict), as the pytest plugin sees them during a test."""
    headers = dict(getattr(request, "headers", None) or {})
    raw = {
        "request": {"method": request.method, "uri": request.uri, "headers": headers, "body": request.body},
        "response": response,
    }
    return _interaction(path, index, raw)


def _first(response: dict[str, Any], name: str) -> object:
    """The first value of a response header (``name`` in lower case) as recorded, or None."""
    headers = response.get("headers") or {}
    for key, value in headers.items() if isinstance(headers, dict) else ():
        if str(key).lower() == name:
            return value[0] if isinstance(value, list) and value else value
    return None


def _date(response: dict[str, Any]) -> str | None:
    """The ``Date`` header of a recorded response as written, or None."""
    value = _first(response, "date")
    return value if isinstance(value, str) else None


def _body(where: str, response: dict[str, Any]) -> tuple[bytes | None, str | None]:
    """The body as the client read it (as far as it could), and what is wrong with its encoding
    (None: nothing)."""
    body = response.get("body")
    raw = body.get("string") if isinstance(body, dict) else body
    if raw is None:
        return None, None
    # surrogatepass: a lone surrogate (a JSON cassette's "\ud800") is no text a server sent as UTF-8;
    # the body is judged as such bytes, text that is not UTF-8 (response.json), not raised
    data = raw if isinstance(raw, bytes) else str(raw).encode("utf-8", "surrogatepass")
    if len(data) > MAX_BODY_BYTES:
        raise InputError(
            where, f"has a body of {len(data):,} bytes, more than the {MAX_BODY_BYTES:,}-byte limit"
        )
    return decode(data, encodings(response.get("headers")), MAX_BODY_BYTES, where)
