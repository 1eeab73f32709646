"""The credentials a cassette must never hold (``cassette.secret``), found after the fact, and what the
Redactor writes in their place.

A credential is never quoted whole: a finding shows its first characters and its length
(:func:`masked`), and a URL that holds one is masked before anything quotes it (:func:`masked_url`).
What the scan finds and what the Redactor scrubs are one definition (:func:`is_secret_name`,
:func:`secret_value`), so a cassette the Redactor rewrote passes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any, Final
from urllib.parse import parse_qsl, unquote, urlunsplit

from .._json import escape
from ..report import Part, Violation
from ..spec.routes import parse_url as split_url

__all__ = [
    "PLACEHOLDER",
    "SECRET_HEADERS",
    "is_secret_name",
    "masked",
    "masked_url",
    "scrubbed_body",
    "scrubbed_document",
    "scrubbed_url",
    "secret_value",
    "split_url",
    "with_secrets",
]

SECRET_HEADERS: Final = ("authorization", "proxy-authorization", "x-twilio-signature")
"""Headers that carry a credential (Basic or Bearer credentials, a webhook's signature)."""
PLACEHOLDER: Final = "REDACTED"
"""What the Redactor writes in place of a secret value it keeps the name of."""

# Names a secret goes by in a query, a form or a JSON body, compared without case, "_" or "-":
# Twilio's AuthToken and an API key's Secret, and the usual names of other credentials.
_SECRET_NAMES: Final = frozenset({"authtoken", "accesstoken", "apisecret", "apikeysecret", "password"})
_SECRET_ENDINGS: Final = ("secret", "password", "passwd", "authtoken")
_SECRET_NAME_IN_TEXT: Final = re.compile(
    rb'(?i)"[^"\\]{0,60}(?:secret|passw(?:or)?d|auth_?-?token|access_?-?token)"\s*:'
)
_API_KEY_SID: Final = re.compile(r"SK[0-9a-fA-F]{32}")
"""An API key's sid names the key; only its secret is a credential."""
_SCRUBBED: Final = re.compile(r"(?i)[*x.#_\-]*|\W*(?:redacted|filtered|removed|dummy|placeholder)\W*")
PREFIX: Final = 4


def is_secret_name(name: str) -> bool:
    normal = name.lower().replace("_", "").replace("-", "")
    return normal in _SECRET_NAMES or normal.endswith(_SECRET_ENDINGS)


def secret_value(value: object) -> bool:
    """Whether a value under a secret's name is a secret (not empty, not a placeholder, not a sid)."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    return bool(text) and not _SCRUBBED.fullmatch(text) and not _API_KEY_SID.fullmatch(text)


def masked(secret: str) -> str:
    """A secret as findings show it: its first characters (at most a quarter of it) and its length."""
    shown = secret[: min(PREFIX, len(secret) // 4)]
    return f"{shown}… ({len(secret)} characters)"


def masked_url(url: str) -> str:
    """``url`` as findings quote it: without userinfo (a client sends Basic credentials in a header,
    not on the request line) and with every secret-named query value masked; a URL without either
    is returned as it is."""
    return _without_secrets(url, None)


def _without_secrets(url: str, placeholder: str | None) -> str:
    """``url`` without userinfo, each secret-named query value replaced by ``placeholder`` (None:
    masked); a URL without either as it is."""
    if "@" not in url and not _query_secrets(url):
        return url
    parts = split_url(url)
    if parts is None:
        return _USERINFO.sub(r"\1", url)
    query = _replaced(parts.query, placeholder)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2], query=query))


_USERINFO: Final = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/?#]*@")


def _mark(secret: str) -> str:
    """A secret masked where it stands in a URL (no space, nothing a URL parser reads)."""
    return f"{secret[: min(PREFIX, len(secret) // 4)]}…({len(secret)}-characters)"


def _replaced(query: str, placeholder: str | None) -> str:
    """A query (or form body) with each secret replaced by ``placeholder`` (None: masked), the
    other pairs as they were written."""
    return "&".join(
        f"{pair.partition('=')[0]}={placeholder or _mark(value)}"
        if is_secret_name(name) and secret_value(value)
        else pair
        for pair, (name, value) in _pairs(query)
    )


def _pairs(query: str) -> Iterator[tuple[str, tuple[str, str]]]:
    for pair in query.split("&") if query else ():
        yield pair, _pair(pair)


def _query_secrets(url: str) -> list[tuple[str, str, str]]:
    """``(name, value, the pair as written)`` of each secret in the query of ``url``."""
    parts = split_url(url)
    query = parts.query if parts is not None else url.partition("?")[2].partition("#")[0]
    return [(k, v, pair) for pair, (k, v) in _pairs(query) if is_secret_name(k) and secret_value(v)]


# -- the scan ----------------------------------------------------------------------------------


def with_secrets(source: str, raw: Mapping[str, Any], body: bytes | None) -> list[Violation]:
    """The ``cassette.secret`` findings of one raw vcrpy interaction (``raw``: its request and
    response as the cassette holds them; ``body``: the response body as the client read it), each
    with the :class:`~..report.Part` it is in (a header, the URI, the request body) but those of
    the response body, which are at their pointer."""
    found: list[Violation] = []

    def add(path: str, what: str, secret: str, part: Part | None = None) -> None:
        message = f"{what} holds a credential ({masked(secret)}): a cassette must never hold one"
        found.append(Violation("cassette.secret", path, message, source=source, part=part))

    request, response = _side(raw, "request"), _side(raw, "response")
    for side, message in ((request, "request"), (response, "response")):
        for name, at, value in _headers(side):
            if name.lower() in SECRET_HEADERS and secret_value(value):
                add(
                    "",
                    f"the {message}'s {name} header",
                    value,
                    Part(f"/{message}/headers/{escape(name)}{at}"),
                )
    uri = str(request.get("uri", ""))
    parts = split_url(uri)
    user = parts.netloc.rpartition("@")[0] if parts is not None else ""
    if ":" in user and user.partition(":")[2]:
        secret = unquote(user.partition(":")[2])
        add("", "the request URI's userinfo (Basic credentials)", secret, Part("/request/uri", user, "//"))
    for name, value, pair in _query_secrets(uri):
        add("", f"the request URI's query parameter {name}", value, Part("/request/uri", pair, "?"))
    for pointer, name, value, text in _document_secrets(_text(request.get("body"))):
        part = Part("/request/body", text, member=pointer or None)
        add("", f"the request body's {name} ({pointer or 'form'})", value, part)
    for pointer, name, value, _ in _document_secrets(body or b"", form=False):
        add(pointer, f"the response body's {name}", value)
    return found


def _side(raw: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    side = raw.get(name)
    return side if isinstance(side, Mapping) else {}


def _headers(side: Mapping[str, Any]) -> Iterator[tuple[str, str, str]]:
    """``(name, "/index" or "", value)`` of each header value (vcrpy: a list of values per name)."""
    headers = side.get("headers")
    for name, values in headers.items() if isinstance(headers, Mapping) else ():
        if isinstance(values, list | tuple):
            for i, value in enumerate(values):
                yield str(name), f"/{i}", str(value)
        else:
            yield str(name), "", str(values)


def _text(body: Any) -> bytes:
    if isinstance(body, Mapping):  # a response-like {"string": ...}
        body = body.get("string")
    if isinstance(body, bytes):
        return body
    return str(body).encode("utf-8", "replace") if body is not None else b""


def _document_secrets(data: bytes, *, form: bool = True) -> Iterator[tuple[str, str, str, str]]:
    """``(pointer, name, value, pair)`` of each secret in a JSON body (or, ``form``, a form-encoded
    one: its pointer ``""``, its pair as the body writes it; a JSON body's pair ``""``)."""
    if not data.strip():
        return
    if _may_name_a_secret(data) and _SECRET_NAME_IN_TEXT.search(data):
        try:
            doc = json.loads(data)
        except (ValueError, RecursionError):
            doc = None
        if doc is not None:
            for pointer, name, value in _walk(doc, ""):
                yield pointer, name, value, ""
            return
    if form and b"=" in data and not data.lstrip().startswith((b"{", b"[")):
        for pair, (name, value) in _pairs(data.decode("utf-8", "replace")):
            if is_secret_name(name) and secret_value(value):
                yield "", name, value, pair


def _may_name_a_secret(data: bytes) -> bool:
    """A cheap first look (the exact pattern costs far more than a scan for words): most bodies
    name no secret, and a page's ``PageToken=`` is not followed by a quote."""
    low = data.lower()
    return b"secret" in low or b"passw" in low or b'token"' in low


def _walk(doc: Any, at: str) -> Iterator[tuple[str, str, str]]:
    if isinstance(doc, list):
        for i, item in enumerate(doc):
            yield from _walk(item, f"{at}/{i}")
    elif isinstance(doc, dict):
        for key, value in doc.items():
            here = f"{at}/{escape(str(key))}"
            if is_secret_name(str(key)) and secret_value(value):
                yield here, str(key), value
            else:
                yield from _walk(value, here)


# -- scrubbing: what the Redactor writes instead ---------------------------------------------------


def scrubbed_url(url: str) -> str:
    """``url`` without userinfo and with :data:`PLACEHOLDER` for every secret-named query value,
    the rest of it as it was (so that a request rewritten twice, or at playback, is the same)."""
    return _without_secrets(url, PLACEHOLDER)


def scrubbed_body(data: bytes) -> bytes:
    """A request or response body with :data:`PLACEHOLDER` for every secret, JSON or form-encoded;
    a body without one is returned as it is."""
    if next(_document_secrets(data), None) is None:
        return data
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        doc = None
    if isinstance(doc, dict | list):
        return json.dumps(scrubbed_document(doc)).encode("utf-8")
    return _replaced(data.decode("utf-8", "replace"), PLACEHOLDER).encode("utf-8")


def _pair(pair: str) -> tuple[str, str]:
    parsed = parse_qsl(pair, keep_blank_values=True)
    return parsed[0] if parsed else (pair, "")


def scrubbed_document(doc: Any) -> Any:
    """A JSON value with :data:`PLACEHOLDER` for every secret-named member's secret."""
    if isinstance(doc, list):
        return [scrubbed_document(item) for item in doc]
    if not isinstance(doc, dict):
        return doc
    return {
        key: PLACEHOLDER if is_secret_name(str(key)) and secret_value(value) else scrubbed_document(value)
        for key, value in doc.items()
    }
