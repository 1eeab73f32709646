"""Identities and endpoints in every view of an interaction: the one walk that pseudonymises them
(recording, ``redact --pii``), restores them (replay) and finds them in clear (``cassette.pii``).

An identity stands in a request's path (``/Users/kim``, percent-encoded or not), its query
(``Identity=kim``, repeated), a form or JSON request body, and in a response's members
(``identity``), its urls and links (``…/Users/kim``, ``…?Identity=kim``); an endpoint in a body's
``endpoint`` member or an ``Endpoint`` parameter. :func:`renamed_request` and
:func:`renamed_response` hand each of them to one :data:`Rename`, so that the pseudonymiser, the
restorer and the finder cannot disagree on where PII stands. The pseudonyms' form is here too
(:data:`PSEUDO_IDENTITY`, :func:`is_pseudonym_endpoint`): the Redactor writes them, the finder
tells them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, MutableMapping
from typing import Any, Final
from urllib.parse import SplitResult, quote_plus, unquote, unquote_plus

from .._json import escape, unescape
from ..checking.rules.item import user_member
from ..report import Part, Violation, shorten
from ..spec.urls import segment
from .leaks import split_url

__all__ = [
    "ENDPOINT",
    "HEX_MARK",
    "IDENTITY",
    "PSEUDO_IDENTITY",
    "TOKEN_MARK",
    "Rename",
    "is_encoded",
    "is_pseudonym",
    "is_pseudonym_endpoint",
    "renamed_body",
    "renamed_document",
    "renamed_request",
    "renamed_response",
    "renamed_url",
    "replace_body",
    "unredacted",
]

PSEUDO_IDENTITY: Final = re.compile(r"user-[0-9a-f]{12}")
HEX_MARK: Final = "00000000"
TOKEN_MARK: Final = "rdct"
"""Pseudonyms carry a marker (identities their ``user-`` form, long endpoints a leading mark), so
that rewriting is idempotent and a pseudonymised cassette can be told from one that is not."""
IDENTITY: Final = "identity"
ENDPOINT: Final = "endpoint"

Rename = Callable[[str, str, str], str]
"""``rename(what, value, pointer)``: the value written instead of ``value``, an :data:`IDENTITY` or
an :data:`ENDPOINT`; ``pointer`` is where it stands in its body (RFC 6901; ``""`` for a URL or a
form body). Returning ``value`` leaves it as it was."""

_PARAMETERS: Final = {"Identity": IDENTITY, "Endpoint": ENDPOINT}
"""Query and form parameters that carry PII, as Twilio names them."""
_MEMBERS: Final = {"identity": IDENTITY, "endpoint": ENDPOINT, **_PARAMETERS}
"""JSON members that carry PII: a response's, or a JSON request body's."""
_HINTS: Final = (b"dentity", b"ndpoint", b"Users")
"""A body without any of these holds no PII: most are skipped unparsed."""


def is_pseudonym_endpoint(value: str) -> bool | None:
    """Whether an endpoint is the Redactor's pseudonym; None when its length cannot tell (a short
    endpoint's pseudonym carries no mark)."""
    hexadecimal = re.fullmatch(r"[0-9a-fA-F]+", value) is not None
    mark = HEX_MARK if hexadecimal else TOKEN_MARK
    if len(value) <= 2 * len(mark):
        return None
    return value.startswith(mark)


def is_pseudonym(what: str, value: str) -> bool | None:
    """Whether ``value`` (an :data:`IDENTITY` or :data:`ENDPOINT`) is a pseudonym; None when its
    form cannot tell."""
    if what == IDENTITY:
        return PSEUDO_IDENTITY.fullmatch(value) is not None
    return is_pseudonym_endpoint(value)


# -- the walk ------------------------------------------------------------------------------------


def renamed_url(url: str, rename: Rename, pointer: str = "") -> str:
    """``url`` with each identity of a ``Users/`` path segment and each ``Identity`` (or
    ``Endpoint``) query value renamed; everything else as it was written."""
    parts = split_url(url)
    if parts is None:  # a host urlsplit refuses: the identities in its path and query are still PII
        before, _, after = url.partition("?")
        parts = SplitResult("", "", before, after, "")
    segments = parts.path.split("/")
    for i in range(1, len(segments)):
        user = unquote(segments[i])
        if segments[i - 1] == "Users" and user and user_member(user) == IDENTITY:
            new = rename(IDENTITY, user, pointer)
            if new != user:
                segments[i] = segment(new)
    path, query = "/".join(segments), _renamed_pairs(parts.query, rename, pointer)
    if path == parts.path and query == parts.query:
        return url
    return parts._replace(path=path, query=query).geturl()


def _renamed_pairs(text: str, rename: Rename, pointer: str) -> str:
    """A query or form body with the PII parameters' values renamed, the other pairs as written."""
    if "=" not in text:
        return text
    pairs = text.split("&")
    for i, pair in enumerate(pairs):
        name, sep, value = pair.partition("=")
        what = _PARAMETERS.get(unquote_plus(name)) if sep else None
        if what is not None:
            clear = unquote_plus(value)
            new = rename(what, clear, pointer) if clear else clear
            if new != clear:
                pairs[i] = f"{name}={quote_plus(new)}"
    return "&".join(pairs)


def renamed_document(doc: Any, rename: Rename, at: str = "") -> Any:
    """A JSON value with its PII renamed: ``identity`` and ``endpoint`` members (``Identity`` and
    ``Endpoint`` too, as a JSON request names them), and the identities in its urls."""
    if isinstance(doc, list):
        return [renamed_document(item, rename, f"{at}/{i}") for i, item in enumerate(doc)]
    if not isinstance(doc, dict):
        return doc
    out: dict[str, Any] = {}
    for key, value in doc.items():
        here = f"{at}/{escape(str(key))}"
        what = _MEMBERS.get(key)
        if what is not None and isinstance(value, str):
            out[key] = rename(what, value, here) if value else value
        elif what is not None and isinstance(value, list):  # a JSON request naming several
            out[key] = [
                rename(what, v, f"{here}/{i}") if isinstance(v, str) and v else v for i, v in enumerate(value)
            ]
        elif isinstance(value, str) and _is_url(key, value):
            out[key] = renamed_url(value, rename, here)
        else:
            out[key] = renamed_document(value, rename, here)
    return out


def _is_url(key: str, value: str) -> bool:
    return key.endswith("url") or key == "user" or value.startswith(("https://", "http://", "/"))


def renamed_body(data: bytes, rename: Rename, *, form: bool) -> bytes:
    """A JSON body (or, ``form``, a form-encoded one) with its PII renamed; the same bytes when
    nothing changed or the body is neither."""
    if not any(hint in data for hint in _HINTS):
        return data
    if data.lstrip()[:1] in (b"{", b"["):
        try:
            doc = json.loads(data)
        except (ValueError, RecursionError):
            return data
        new = renamed_document(doc, rename)
        return data if new == doc else json.dumps(new).encode("utf-8")
    if not form:
        return data
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    new_text = _renamed_pairs(text, rename, "")
    return data if new_text == text else new_text.encode("utf-8")


def renamed_request(uri: str, body: bytes | str | None, rename: Rename) -> tuple[str, bytes | str | None]:
    """A request's URI and body (form or JSON, bytes or text as given) with their PII renamed."""
    if not body:
        return renamed_url(uri, rename), body
    data = body if isinstance(body, bytes) else body.encode("utf-8")
    new = renamed_body(data, rename, form=True)
    if new is not data:
        body = new if isinstance(body, bytes) else new.decode("utf-8")
    return renamed_url(uri, rename), body


def renamed_response(response: MutableMapping[str, Any], rename: Rename) -> None:
    """A vcrpy response (``{"status", "headers", "body": {"string"}}``) with the PII of its JSON
    body renamed in place, and its ``Content-Length`` kept true. A compressed body is left as it is
    (``decode_compressed_response`` gives the body as the client read it)."""
    headers = response.get("headers")
    headers = headers if isinstance(headers, MutableMapping) else {}
    body = response.get("body")
    raw = body.get("string") if isinstance(body, MutableMapping) else None
    if (
        not isinstance(body, MutableMapping)
        or not isinstance(raw, bytes | str)
        or not raw
        or is_encoded(headers)
    ):
        return
    data = raw if isinstance(raw, bytes) else raw.encode("utf-8")
    new = renamed_body(data, rename, form=False)
    if new is not data:
        replace_body(response, new)


def replace_body(response: MutableMapping[str, Any], data: bytes) -> None:
    """A vcrpy response's body replaced by ``data`` (kept bytes or text as it was), its
    ``Content-Length`` (when it has one) kept true."""
    body = response["body"]
    body["string"] = data if isinstance(body.get("string"), bytes) else data.decode("utf-8")
    headers = response.get("headers")
    if not isinstance(headers, MutableMapping):
        return
    for name in [n for n in headers if str(n).lower() == "content-length"]:
        headers[name] = [str(len(data))] if isinstance(headers[name], list) else str(len(data))


def is_encoded(headers: MutableMapping[str, Any]) -> bool:
    """Whether a response's headers say its body is compressed."""
    for name, value in headers.items():
        if str(name).lower() == "content-encoding":
            values = value if isinstance(value, list) else [value]
            return any(str(v).lower() not in ("identity", "") for v in values)
    return False


# -- the finder ----------------------------------------------------------------------------------


def unredacted(
    url: str, body: bytes | str | None, source: str | None, request_body: bytes | str | None = None
) -> list[Violation]:
    """The ``cassette.pii`` findings of one interaction: each identity and endpoint the walk reaches
    (request URL, request body, response body) that is not the Redactor's pseudonym."""
    found: list[Violation] = []

    def finder(view: str, text: str = "") -> Rename:
        reached = 0

        def find(what: str, value: str, pointer: str) -> str:
            nonlocal reached
            reached += 1
            if is_pseudonym(what, value) is False:
                label = f"{_PLACES[view]}{what}"
                key = unescape(pointer.rpartition("/")[2])
                if view == "response" and key not in _MEMBERS:
                    label = f"{label} in {key}"
                message = f"{label} {shorten(value)} is not pseudonymised ({_HOW})"
                part = None if view == "response" else _part(view, text, reached - 1, value, pointer)
                path = pointer if view == "response" else ""
                found.append(Violation("cassette.pii", path, message, source=source, part=part))
            return value

        return find

    renamed_request(url, None, finder("url", url))
    if request_body:
        text = request_body if isinstance(request_body, str) else request_body.decode("utf-8", "replace")
        renamed_request("", text, finder("request", text))
    data = body.encode("utf-8") if isinstance(body, str) else (body or b"")
    renamed_body(data, finder("response"), form=False)
    return found


def _part(view: str, text: str, n: int, value: str, pointer: str) -> Part:
    """Where the ``n``-th value the walk reaches in a request's URL or body (``text``) is written:
    a ``Users/`` segment or a query pair of the URL, a pair of a form body as written (found by
    walking again with that value marked); in a JSON body, its member."""
    if view == "request" and pointer:
        return Part("/request/body", member=pointer)
    where = "/request/uri" if view == "url" else "/request/body"
    seen = -1

    def mark(what: str, old: str, pointer: str) -> str:
        nonlocal seen
        seen += 1
        return _MARK if seen == n else old

    new = renamed_url(text, mark) if view == "url" else _renamed_pairs(text, mark, "")
    at = next((i for i, (a, b) in enumerate(zip(text, new, strict=False)) if a != b), None)
    if at is None:
        return Part(where)
    pairs = text.find("?") + 1 if view == "url" else 0
    if view == "url" and (pairs == 0 or at < pairs):  # a path segment: /Users/<it>
        start = text.rfind("/", 0, at) + 1
        end = min((i for i in (text.find(c, start) for c in "/?#") if i >= 0), default=len(text))
        return Part(where, text[start:end], "/Users/")
    start = max(text.rfind("&", 0, at) + 1, pairs)
    end = min((i for i in (text.find(c, start) for c in "&#") if i >= 0), default=len(text))
    return Part(where, text[start:end], "?" if view == "url" else "")


_MARK: Final = "\x00"
"""What marks the value looked for: no identity or endpoint is written as it."""
_HOW: Final = "binding-contracts redact --pii rewrites it"
_PLACES: Final = {"url": "the request URL's ", "request": "the request body's ", "response": "the "}
