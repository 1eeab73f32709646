"""Existing cassettes rewritten with the redaction of recording (:class:`~.recording.Redactor`), each in
its own format: YAML stays YAML, JSON stays JSON.

A cassette is read as ``check`` reads it (:func:`.cassette_files.parse`: the same loader, the same
bounds), so whatever ``check`` refuses is refused here before anything is rewritten. Each request is
rewritten as the Redactor rewrites a live request at playback (:meth:`~.recording.Redactor.request`:
URI and body, PII wherever it stands), so a redacted cassette still matches.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from .cassette_files import document, is_json, parse
from .recording import Redactor, drop_secret_headers

__all__ = ["redacted"]

try:
    _Dumper: Any = yaml.CSafeDumper
except AttributeError:  # pragma: no cover  (PyYAML built without libyaml)
    _Dumper = yaml.SafeDumper


def redacted(path: str, data: bytes, redactor: Redactor) -> bytes:
    """The cassette ``data`` (read from ``path``) rewritten by ``redactor``, in its own format;
    :class:`~binding_contracts.errors.InputError` for a cassette ``check`` would refuse."""
    parse(path, data)  # refused as check refuses it, before anything is rewritten
    doc = document(path, data)
    for raw in doc["interactions"]:
        _request(raw["request"], redactor)
        # As the Redactor rewrites a response it records: a body under a Content-Encoding written
        # decoded without the header (as vcrpy's decode_compressed_response writes it), every
        # secret replaced, identities pseudonymised.
        redactor.before_record_response(raw["response"])
    if is_json(path, data):
        return (json.dumps(_texts(doc), indent=4) + "\n").encode("utf-8")
    return str(yaml.dump(doc, Dumper=_Dumper, allow_unicode=True)).encode("utf-8")


def _request(request: dict[str, Any], redactor: Redactor) -> None:
    headers = request.get("headers")
    if not isinstance(headers, dict):
        headers = {}
    drop_secret_headers(headers)
    body = request.get("body")
    text = body if isinstance(body, bytes | str) else None
    request["uri"], new = redactor.request(str(request["uri"]), text, headers)
    if new is not text:
        request["body"] = new


def _texts(doc: Any) -> Any:
    """A JSON cassette's values as JSON holds them (a body rewritten as bytes goes back to text)."""
    if isinstance(doc, dict):
        return {key: _texts(value) for key, value in doc.items()}
    if isinstance(doc, list):
        return [_texts(value) for value in doc]
    return doc.decode("utf-8", "replace") if isinstance(doc, bytes) else doc
