"""Cassettes holding one credential (or one decoy: a value under a name that is no secret's) in any
view of an exchange, under any Content-Encoding, with its name escaped, repeated or cut short; and
the differential that judges ``check`` and ``redact`` on them against what an HTTP client decodes
(urllib3, independent of the finder)."""

from __future__ import annotations

import gzip
import io
import json
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import urllib3
import yaml

from binding_contracts.generation.source import Source, choice
from clirun import call

SERVICE = "IS" + "1" * 32
BINDINGS = f"https://chat.twilio.com/v2/Services/{SERVICE}/Bindings"
ACCOUNT = "AC" + "3" * 32
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWYZabcdefghjkmnpqrstuvwyz23456789"
"""A secret's characters: no ``x`` (a run of them is a placeholder), no hex-only sid."""
NAMES = (
    "AuthToken",
    "auth_token",
    "Secret",
    "ApiKeySecret",
    "password",
    "client_secret",
    "AUTH-TOKEN",
    "access_token",
    "X_Api_Secret",
    "k" * 61 + "_secret",
)
DECOYS = ("is_secret", "IsSecret", "hasPassword", "PageToken", "secret_name", "token", "secretive")
HEADERS = ("Authorization", "Proxy-Authorization", "X-Twilio-Signature", "X-Auth-Token", "x-api-secret")
HEADER_DECOYS = ("X-Secret-Name", "X-Page-Token")
ENCODINGS = ("", "gzip", "x-gzip", "gzip, gzip", " GZIP", "deflate", "Deflate", "gzip cut")
VIEWS = (
    "header",
    "header-url",
    "userinfo",
    "query",
    "request-form",
    "request-json",
    "response-json",
    "response-form",
    "response-url",
)
FORMATS = ("text", "json", "junit", "github", "sarif", "gitlab")


@dataclass
class Case:
    """One interaction holding ``value`` in ``view``; ``secret``: whether its name makes it one."""

    view: str
    value: str
    secret: bool
    interaction: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def case(source: Source) -> Case:
    view = choice(source, VIEWS)
    value = source.text(ALPHABET, 20, 31)
    secret = source.integer(0, 3) > 0
    name = choice(source, NAMES if secret else DECOYS)
    notes = [f"view={view}", f"name={name}"]
    it = _interaction()
    if view == "header":
        header = choice(source, HEADERS if secret else HEADER_DECOYS)
        side = choice(source, ("request", "response"))
        it[side]["headers"][header] = [f"{choice(source, ('', 'Bearer ', 'Basic '))}{value}"]
        notes.append(f"{side} header {header}")
    elif view == "header-url":
        it["response"]["headers"]["Location"] = [
            f"https://example.com/cb?a=1&{_query_name(source, name)}={value}"
        ]
    elif view == "userinfo":
        host = choice(source, ("chat.twilio.com", "[::1]", "[x]", "127.0.0.1:8080"))
        if secret:
            userinfo = choice(source, (f"{ACCOUNT}:{value}", value, f"{ACCOUNT}:{quote(value)}"))
            it["request"]["uri"] = f"https://{userinfo}@{host}/v2/Services/{SERVICE}/Bindings"
        else:  # the value in a path segment: no credential
            it["request"]["uri"] = f"https://{ACCOUNT}@{host}/v2/Services/{value}/Bindings"
        notes.append(it["request"]["uri"])
    elif view == "query":
        mark = choice(source, ("?PageSize=5&", "?", "#", "?PageSize=5#"))
        it["request"]["uri"] = f"{BINDINGS}{mark}{_query_name(source, name)}={value}"
    elif view == "request-form":
        _body(source, it, "request", f"FriendlyName=k&{_query_name(source, name)}={value}", notes)
    elif view == "request-json":
        _body(source, it, "request", _json(source, name, value, notes), notes)
    elif view == "response-json":
        _body(source, it, "response", _json(source, name, value, notes), notes)
    elif view == "response-form":
        _body(source, it, "response", f"a=1&{_query_name(source, name)}={value}&b=2", notes)
    else:
        url = f"https://api.example.com/v1/x?{_query_name(source, name)}={value}&y=1"
        text = choice(source, (json.dumps({"next_url": url}), f"see {url} now", json.dumps([{"a": [url]}])))
        _body(source, it, "response", text, notes)
    return Case(view, value, secret, it, notes)


def _interaction() -> dict[str, Any]:
    return {
        "request": {"method": "GET", "uri": BINDINGS, "headers": {}, "body": None},
        "response": {"status": {"code": 200, "message": "OK"}, "headers": {}, "body": {"string": ""}},
    }


def _query_name(source: Source, name: str) -> str:
    """``name`` as a query writes it: as it is, or one character percent-encoded."""
    if source.integer(0, 2):
        return name
    at = source.integer(0, len(name) - 1)
    return name[:at] + f"%{ord(name[at]):02X}" + name[at + 1 :]


def _json(source: Source, name: str, value: str, notes: list[str]) -> str:
    """A JSON object holding ``value`` under ``name``, the key escaped, repeated, nested; cut short
    after the value (an interrupted download) or not."""
    key = json.dumps(name)
    how = source.integer(0, 3)
    if how == 1:  # one character of the key as a \\u escape
        at = source.integer(1, len(key) - 2)
        key = key[:at] + f"\\u{ord(key[at]):04x}" + key[at + 1 :]
    members = [f'"sid": "SK{"4" * 32}"', f"{key}: {json.dumps(value)}"]
    if how == 2:  # a duplicate: the other value a placeholder, first or last
        other = f'{json.dumps(name)}: "REDACTED"'
        members.insert(source.integer(0, 1) * 2, other)
    if how == 3:  # nested in an array of objects
        members = [f'"items": [{{"a": 1}}, {{{", ".join(members)}}}]']
    text = "{" + ", ".join(members) + ', "tail": [1, 2, 3]}'
    if source.integer(0, 3) == 0:
        end = text.index(json.dumps(value)) + len(json.dumps(value))
        text = text[: source.integer(end, len(text) - 1)]
        notes.append("json cut")
    notes.append(text)
    return text


def _body(source: Source, it: dict[str, Any], side: str, text: str, notes: list[str]) -> None:
    encoding = choice(source, ENCODINGS)
    data = text.encode("utf-8")
    header = encoding
    if encoding in ("gzip", "x-gzip", " GZIP"):
        data = gzip.compress(data)
    elif encoding == "gzip, gzip":
        data = gzip.compress(gzip.compress(data))
    elif encoding == "deflate":
        data = zlib.compress(data)
    elif encoding == "Deflate":  # raw deflate, no zlib header
        packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        data = packer.compress(data) + packer.flush()
    elif encoding == "gzip cut":  # the trailer cut short: every byte of the body still decodes
        data = gzip.compress(data)[: -source.integer(1, 8)]
        header = "gzip"
    if header:
        it[side]["headers"]["Content-Encoding"] = [header]
        notes.append(f"{side} Content-Encoding {header!r}")
    if side == "request":
        it["request"]["method"] = "POST"
        it["request"]["body"] = data if header else text
    else:
        it["response"]["body"]["string"] = data if header else text
        if source.integer(0, 1):  # a delete answered with a body: delete.empty-body quotes it
            it["request"]["method"], it["request"]["uri"] = "DELETE", f"{BINDINGS}/BS{'2' * 32}"
            it["response"]["status"]["code"] = 204


# -- what a client decodes ---------------------------------------------------------------------------


def client_body(side: dict[str, Any]) -> bytes:
    """The body a client reads of a cassette's request or response: urllib3 decoding it under its
    Content-Encoding (the header's value stripped, as the wire delivers it), as far as it goes."""
    raw = side.get("body")
    raw = raw.get("string") if isinstance(raw, dict) else raw
    if raw is None:
        return b""
    data = raw if isinstance(raw, bytes) else str(raw).encode("utf-8")
    headers = {str(k): ", ".join(v).strip() for k, v in (side.get("headers") or {}).items()}
    response = urllib3.HTTPResponse(body=io.BytesIO(data), headers=headers, preload_content=False)
    out = bytearray()
    try:
        for chunk in response.stream(1 << 16, decode_content=True):
            out += chunk
    except urllib3.exceptions.DecodeError:
        pass
    return bytes(out)


def views(interaction: dict[str, Any]) -> list[str]:
    """Every text a client sees of an interaction: the URI, the headers, both bodies decoded."""
    request, response = interaction["request"], interaction["response"]
    texts = [str(request.get("uri", ""))]
    for side in (request, response):
        texts += [f"{k}: {v}" for k, vs in (side.get("headers") or {}).items() for v in vs]
        texts.append(client_body(side).decode("utf-8", "replace"))
    return texts


@dataclass
class Tally:
    cassettes: int = 0
    secrets: int = 0
    decoys: int = 0
    findings: int = 0
    failures: list[str] = field(default_factory=list)


def judge(c: Case, output: str, tally: Tally, fail: Callable[[str], None]) -> None:
    """The differential on one case: ``check`` reports ``cassette.secret`` iff the case holds a
    secret, never prints it whole in ``output``'s format; after ``redact`` no view a client decodes
    holds it, ``check`` finds none, a decoy is left as it was, and the bodies read as before."""
    tally.cassettes += 1
    tally.secrets += c.secret
    tally.decoys += not c.secret
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.yaml"
        path.write_text(yaml.safe_dump({"interactions": [c.interaction], "version": 1}), "utf-8")
        reported = _secrets_reported(path)
        tally.findings += reported
        if bool(reported) != c.secret:
            fail(f"check reported {reported} cassette.secret, expected {int(c.secret)}")
        code, out, err = call("check", "--format", output, str(path))
        if c.value in out + err and c.secret:
            fail(f"the secret printed whole in --format {output}: {out}{err}")
        code, out, err = call("redact", str(path), "--out", str(Path(folder) / "out"))
        if code != 0:
            fail(f"redact exited {code}: {err}")
            return
        redacted_path = Path(folder) / "out" / "c.yaml"
        after = yaml.safe_load(redacted_path.read_bytes())["interactions"][0]
        if _secrets_reported(redacted_path):
            fail(f"check after redact still finds a secret: {call('check', str(redacted_path))[1]}")
        seen = "\n".join(views(after))
        if c.secret and (c.value in seen or c.value.encode() in redacted_path.read_bytes()):
            fail(f"the secret remains after redact: {seen}")
        if not c.secret and c.value not in seen and not c.view.endswith("json"):  # JSON: as parsed, below
            fail(f"redact removed a decoy: {seen}")
        for side in ("request", "response"):
            _same_body(c, client_body(c.interaction[side]), client_body(after[side]), fail)


def _secrets_reported(path: Path) -> int:
    """How many ``cassette.secret`` findings ``check --format json`` gives of a cassette."""
    code, out, err = call("check", "--format", "json", str(path))
    assert code in (0, 1), err
    return int(json.loads(out)["summary"]["rules_fired"].get("cassette.secret", 0))


def _same_body(c: Case, before: bytes, after: bytes, fail: Callable[[str], None]) -> None:
    """A body reads as it did, the secret replaced by the placeholder (JSON compared as parsed: the
    Redactor writes JSON anew)."""
    expected = before.replace(c.value.encode(), b"REDACTED") if c.secret else before
    if after == expected:
        return
    try:
        if json.loads(after) == json.loads(expected):
            return
    except ValueError:
        pass
    fail(f"the body reads {after[:300]!r} after redact, expected {expected[:300]!r}")
