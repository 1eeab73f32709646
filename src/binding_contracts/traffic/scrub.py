"""Existing cassettes rewritten with the redaction of recording (:class:`~.recording.Redactor`), each in
its own format: YAML stays YAML, JSON stays JSON.

A cassette is read as ``check`` reads it (:func:`.cassettes.parse`: the same loader, the same
bounds), so whatever ``check`` refuses is refused here before anything is rewritten. Each request is
rewritten as the Redactor rewrites a live request at playback (:meth:`~.recording.Redactor.request`:
URI and body, PII wherever it stands), so a redacted cassette still matches.
"""

from __future__ import annotations

import json
from typing import Any, Final

import yaml

from .cassettes import document, parse
from .leaks import scrubbed_body
from .recording import Redactor, drop_secret_headers

__all__ = ["is_json", "redacted"]

try:
    _Dumper: Any = yaml.CSafeDumper
except AttributeError:  # pragma: no cover  (PyYAML built without libyaml)
    _Dumper = yaml.SafeDumper

_DECODED_HEADERS: Final = ("content-encoding", "content-length")


def is_json(path: str, data: bytes) -> bool:
    """Whether a cassette is JSON, decided as :func:`.cassettes.parse` decides it."""
    if not (path.endswith(".json") or data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")):
        return False
    try:
        json.loads(data)
    except (ValueError, RecursionError):
        return False
    return True


def redacted(path: str, data: bytes, redactor: Redactor) -> bytes:
    """The cassette ``data`` (read from ``path``) rewritten by ``redactor``, in its own format;
    :class:`~binding_contracts.errors.InputError` for a cassette ``check`` would refuse."""
    cassette = parse(path, data)
    doc = document(path, data)
    for raw, read in zip(doc["interactions"], cassette.interactions, strict=True):
        _request(raw["request"], redactor)
        body = read.body.encode("utf-8") if isinstance(read.body, str) else read.body
        _response(raw["response"], body if read.body_problem is None else None, redactor)
    if is_json(path, data):
        return (json.dumps(_texts(doc), indent=4) + "\n").encode("utf-8")
    return str(yaml.dump(doc, Dumper=_Dumper, allow_unicode=True)).encode("utf-8")


def _request(request: dict[str, Any], redactor: Redactor) -> None:
    headers = request.get("headers")
    if isinstance(headers, dict):
        drop_secret_headers(headers)
    body = request.get("body")
    text = body if isinstance(body, bytes | str) else None
    request["uri"], new = redactor.request(str(request["uri"]), text)
    if new is not text:
        request["body"] = new


def _response(response: dict[str, Any], decoded: bytes | None, redactor: Redactor) -> None:
    headers = response.get("headers")
    body = response.get("body")
    if isinstance(headers, dict) and _header(headers, "content-encoding") and decoded is not None:
        # As vcrpy's decode_compressed_response writes it: the body as the client read it, and no
        # encoding header (a compressed body could not be rewritten).
        _drop(headers, _DECODED_HEADERS)
        if isinstance(body, dict):
            raw = body.get("string")
            body["string"] = decoded if isinstance(raw, bytes) else decoded.decode("utf-8", "replace")
    if isinstance(body, dict) and isinstance(body.get("string"), bytes | str):
        raw = body["string"]
        data = raw if isinstance(raw, bytes) else raw.encode("utf-8")
        scrubbed = scrubbed_body(data)  # a form-encoded body; JSON ones the Redactor rewrites
        if scrubbed is not data:
            body["string"] = scrubbed if isinstance(raw, bytes) else scrubbed.decode("utf-8")
    redactor.before_record_response(response)


def _header(headers: dict[str, Any], name: str) -> bool:
    return any(str(key).lower() == name for key in headers)


def _drop(headers: dict[str, Any], names: tuple[str, ...]) -> None:
    for key in [k for k in headers if str(k).lower() in names]:
        del headers[key]


def _texts(doc: Any) -> Any:
    """A JSON cassette's values as JSON holds them (a body rewritten as bytes goes back to text)."""
    if isinstance(doc, dict):
        return {key: _texts(value) for key, value in doc.items()}
    if isinstance(doc, list):
        return [_texts(value) for value in doc]
    return doc.decode("utf-8", "replace") if isinstance(doc, bytes) else doc
