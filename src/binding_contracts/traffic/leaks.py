"""The credentials a cassette must never hold (``cassette.secret``): one finder for the scan, the
Redactor (recording and ``redact``) and the masking of every message that quotes a record.

The finder reads every view of an exchange a client could decode: the headers, the request URI's
userinfo, query and fragment, and both bodies under their ``Content-Encoding`` (:mod:`.encodings`),
JSON however its keys are escaped or repeated and however far it was cut short, form-encoded or
plain text, a URL inside a JSON string or a form value included. Each finding is an edit of the text
it was found in (:class:`_Edit`), so what the scan reports is exactly what the Redactor replaces
(:data:`PLACEHOLDER`) and what a message masks (:func:`masked`): a cassette the Redactor rewrote
passes, and one it would change does not.

A *secret-named* key (a JSON member, a query, form or header name) is one whose name, compared
ASCII-case-insensitively without ``_`` and ``-``, ends in ``secret``, ``password``, ``passwd``,
``authtoken`` or ``accesstoken`` (``AuthToken``, ``client_secret``, ``X-Api-Secret``), unless its
first word is ``is`` or ``has`` (``is_secret``, ``hasPassword``: a flag, not a credential). A
*secret* is a string under such a name that is not empty, not a placeholder (``REDACTED``, ``***``,
``[FILTERED]``) and not an API key's sid (``SK…``: the key's name).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote, unquote, unquote_plus

from .._json import escape
from ..report import Part, Violation
from ..spec.routes import parse_url as split_url
from .encodings import HEADERS, MAX_BODY_BYTES, decode, encodings

__all__ = [
    "PLACEHOLDER",
    "SECRET_HEADERS",
    "Secret",
    "findings",
    "hidden",
    "is_secret_header",
    "is_secret_name",
    "masked",
    "masked_text",
    "masked_url",
    "plain_body",
    "redacted_body",
    "scrubbed_body",
    "scrubbed_document",
    "scrubbed_text",
    "scrubbed_url",
    "secret_value",
    "secrets",
    "split_url",
    "with_secrets",
]

SECRET_HEADERS: Final = ("authorization", "proxy-authorization", "x-twilio-signature")
"""Headers that carry a credential (Basic or Bearer credentials, a webhook's signature); a header
with a secret name (``X-Auth-Token``) does too."""
PLACEHOLDER: Final = "REDACTED"
"""What the Redactor writes in place of a secret value it keeps the name of."""

_ENDINGS: Final = ("secret", "password", "passwd", "authtoken", "accesstoken")
_FLAGS: Final = ("is", "has")
_NORMAL: Final = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz", "_-"
)  # ASCII only: a non-ASCII letter that lower-cases to an ASCII one (the Kelvin sign) is no letter of a name
_SID: Final = re.compile(r"(?:SK|AC)[0-9a-fA-F]{32}")
"""An API key's sid names the key and an account's sid the account; neither is a credential."""
_SCRUBBED: Final = re.compile(r"(?i)[*x.#_\-]*|\W*(?:redacted|filtered|removed|dummy|placeholder)\W*")
PREFIX: Final = 4
_scan: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
"""The JSON string reader of the json module (C-accelerated): a string and where it ends."""


def is_secret_name(name: str) -> bool:
    """Whether ``name`` names a credential (the module's definition)."""
    normal = name.translate(_NORMAL)
    if not normal.endswith(_ENDINGS):
        return False
    words = [w for w in re.split(r"[_\-]+", name) if w]
    first = words[0] if words else ""
    if not first.isupper():  # camelCase or PascalCase: its first word ends before a capital
        first = re.match(r"[A-Z]?[^A-Z]*", first).group()  # type: ignore[union-attr]  # always matches
    return first.translate(_NORMAL) not in _FLAGS


def is_secret_header(name: str) -> bool:
    """Whether a header carries a credential: one of :data:`SECRET_HEADERS` or a secret name."""
    return name.lower() in SECRET_HEADERS or is_secret_name(name)


def secret_value(value: object) -> bool:
    """Whether a value under a secret's name is a secret (not empty, not a placeholder, not a sid)."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    return bool(text) and not _SCRUBBED.fullmatch(text) and not _SID.fullmatch(text)


def masked(secret: str) -> str:
    """A secret as findings show it: its first characters (at most a quarter of it) and its length."""
    shown = secret[: min(PREFIX, len(secret) // 4)]
    return f"{shown}… ({len(secret)} characters)"


def _mark(secret: str) -> str:
    """A secret masked where it stands in a URL or a body (no space, nothing a URL parser reads)."""
    return f"{secret[: min(PREFIX, len(secret) // 4)]}…({len(secret)}-characters)"


# -- edits: a secret where it stands in a text, and what replaces it ----------------------------------

Found = tuple[str, str, str, str]
"""``(pointer, name, value, pair)`` of one secret: its JSON pointer (``""`` outside JSON) and the
``name=value`` pair as the text writes it (``""`` for a JSON member's)."""


@dataclass(frozen=True)
class _Edit:
    """The span ``[start, end)`` of a text that holds the secrets ``found``; ``rewrite(placeholder)``
    is what the Redactor writes there (``placeholder`` None: the span masked, for a message)."""

    start: int
    end: int
    found: tuple[Found, ...]
    rewrite: Callable[[str | None], str]


def _applied(text: str, edits: list[_Edit], placeholder: str | None) -> str:
    out, at = [], 0
    for edit in sorted(edits, key=lambda e: e.start):
        out += [text[at : edit.start], edit.rewrite(placeholder)]
        at = edit.end
    return "".join([*out, text[at:]])


_PAIR: Final = re.compile(r"(?:^|(?<=[?&#\s]))([^=&?#\s\"'<>]+)=([^&#\s\"'<>]*)")
_QUERY_PAIR: Final = re.compile(r"(?<=[?&#])([^=&?#\s\"'<>]+)=([^&#\s\"'<>]*)")


def _pair_edits(text: str, pointer: str, *, url: bool = False, depth: int = 0) -> list[_Edit]:
    """The ``name=value`` pairs holding a secret in a query, a fragment, a form or a text (``url``:
    only pairs after ``?``, ``&`` or ``#``); a value that is itself a query or a URL is read too."""
    edits: list[_Edit] = []
    for m in (_QUERY_PAIR if url else _PAIR).finditer(text):
        name, value = unquote_plus(m[1]), unquote_plus(m[2])
        if is_secret_name(name) and secret_value(value):
            edits.append(_Edit(m.start(2), m.end(2), ((pointer, name, value, m[0]),), _placed(value)))
        elif depth < 3 and "=" in value:
            inner = _pair_edits(value, pointer, url=False, depth=depth + 1)
            if inner:
                found = tuple(f for e in inner for f in e.found)
                edits.append(_Edit(m.start(2), m.end(2), found, _requoted(value, inner, value != m[2])))
    return edits


def _placed(value: str) -> Callable[[str | None], str]:
    return lambda placeholder: placeholder or _mark(value)


def _requoted(value: str, inner: list[_Edit], encoded: bool) -> Callable[[str | None], str]:
    def rewrite(placeholder: str | None) -> str:
        text = _applied(value, inner, placeholder)
        return quote(text, safe="") if encoded else text

    return rewrite


_STRUCTURE: Final = re.compile(r'["{}\[\],]')
_RAW_STRING: Final = re.compile(r'(?:[^"\\]|\\.)*', re.DOTALL)


def _json_edits(text: str) -> list[_Edit]:
    """The strings holding a secret in a JSON text, read token by token: every member however its
    key is escaped, every duplicate, and a text cut short as far as it goes."""
    frames: list[list[Any]] = []  # [key or index, in an object, a key comes next]
    edits: list[_Edit] = []
    at = 0
    while (m := _STRUCTURE.search(text, at)) is not None:
        char, start = m[0], m.start()
        at = start + 1
        if char == '"':
            value, at, closed = _string(text, start)
            if not closed and _placeholder_cut(value):
                continue  # the body ends in a placeholder cut short ("REDACT): no secret
            top = frames[-1] if frames else None
            if top is not None and top[1] and top[2]:
                top[0], top[2] = value, False
                continue
            name = top[0] if top is not None and top[1] else None
            if isinstance(name, str) and is_secret_name(name) and secret_value(value):
                member: Found = (_pointer(frames), name, value, "")
                edits.append(_Edit(start, at, (member,), _json_placed(value)))
            elif "=" in value:
                inner = _pair_edits(value, _pointer(frames))
                if inner:
                    found = tuple(f for e in inner for f in e.found)
                    edits.append(_Edit(start, at, found, _json_requoted(value, inner)))
        elif char in "{[":
            frames.append([None, True, True] if char == "{" else [0, False, False])
        elif char in "}]":
            if frames:
                frames.pop()
        elif frames:  # a comma
            if frames[-1][1]:
                frames[-1][2] = True
            else:
                frames[-1][0] += 1
    return edits


def _json_placed(value: str) -> Callable[[str | None], str]:
    return lambda placeholder: json.dumps(placeholder or _mark(value), ensure_ascii=False)


def _json_requoted(value: str, inner: list[_Edit]) -> Callable[[str | None], str]:
    return lambda placeholder: json.dumps(_applied(value, inner, placeholder), ensure_ascii=False)


def _string(text: str, start: int) -> tuple[str, int, bool]:
    """The JSON string starting at ``text[start]`` (a quote), where it ends, and whether it is
    closed; one with a bad escape is its raw characters, one cut short runs to the end of the text."""
    try:
        value, end = _scan(text, start + 1, False)
        return value, end, True
    except ValueError:
        pass
    raw = _RAW_STRING.match(text, start + 1)
    end = raw.end() if raw is not None else len(text)
    if end < len(text):  # closed, with an escape JSON has not
        return text[start + 1 : end], end + 1, True
    tail = text[start + 1 :]
    for cut in range(7):  # an escape cut in the middle
        try:
            return _scan(tail[: len(tail) - cut] + '"', 0, False)[0], len(text), False
        except ValueError:
            continue
    return tail, len(text), False  # pragma: no cover  (a cut escape is at most six characters)


_PLACEHOLDERS: Final = ("redacted", "filtered", "removed", "dummy", "placeholder")


def _placeholder_cut(value: str) -> bool:
    """Whether a string cut short by the end of the body could have been a placeholder."""
    word = re.sub(r"^\W+", "", value).lower()
    return not secret_value(value) or (bool(word) and any(p.startswith(word) for p in _PLACEHOLDERS))


def _pointer(frames: list[list[Any]]) -> str:
    return "".join(f"/{escape(str(f[0]))}" for f in frames if f[0] is not None)


_WORDS: Final = ("secret", "passw", "authtoken", "accesstoken")
_MARKS: Final = tuple(ending + after for ending in _ENDINGS for after in ('"', "=", "%3d"))
_WORDS_UTF8: Final = tuple(word.encode() for word in _WORDS)
_MARKS_UTF8: Final = tuple(mark.encode() for mark in _MARKS)


def _body_edits(text: str) -> list[_Edit]:
    """The secrets of a body: a JSON one (whole or cut short) member by member, any other as a form
    or a text of ``name=value`` pairs."""
    if not _may_hold(text):
        return []
    return _read_body(text)


def _read_body(text: str) -> list[_Edit]:
    if text.lstrip("\ufeff \t\r\n")[:1] in ("{", "[", '"'):
        return _json_edits(text)
    return _pair_edits(text, "")


def _data_edits(data: bytes) -> list[_Edit]:
    """:func:`_body_edits` of a body's bytes, decoded only when the first look finds it may hold
    one (:func:`_may_hold_utf8`)."""
    return _read_body(_text(data)) if _may_hold_utf8(data) else []


def _may_hold(text: str) -> bool:
    """A cheap first look, sound for the definition: once lower-cased and without ``_`` and ``-``, a
    secret's name ends in one of the endings right before a closing quote, ``=`` or ``%3D``, unless a
    JSON escape or a percent-escape of a letter, ``_`` or ``-`` writes it."""
    return _may_hold_utf8(text.encode("utf-8", "surrogatepass"))


def _may_hold_utf8(data: bytes) -> bool:
    """:func:`_may_hold` of the text whose UTF-8 (or the bytes it was decoded from with
    ``surrogateescape``) is ``data``: the ASCII words are looked for in the bytes lower-cased, as no
    character past ASCII lowers to an ASCII one but :data:`INTO_ASCII`'s, written here as their
    ``str.lower()`` writes them. Every pass is of C; a look for one byte (``\\``, ``%``) is memchr."""
    if (b"\\" in data and b"\\u" in data) or (b"%" in data and _LETTER_ESCAPE_UTF8.search(data)):
        return True
    if (b"\xc4" in data or b"\xe2" in data) and any(c in data for c in _INTO_ASCII_UTF8):
        for c, low in _INTO_ASCII_UTF8.items():
            data = data.replace(c, low)
    low = data.translate(_LOWER, b"_-")
    return any(word in low for word in _WORDS_UTF8) and any(mark in low for mark in _MARKS_UTF8)


INTO_ASCII: Final = "\u0130\u212a"
"""The characters past ASCII that ``str.lower()`` writes with an ASCII letter (İ, the Kelvin sign)."""
_INTO_ASCII_UTF8: Final = {c.encode(): c.lower().encode() for c in INTO_ASCII}
_LOWER: Final = bytes(range(256)).lower()


_LETTER_ESCAPE: Final = re.compile(r"%(?:[46][1-9a-fA-F]|[57][0-9aAfF]|2[dD])")
"""A percent-escape of a letter, ``_`` or ``-`` (``%40`` in an identity is none)."""
_LETTER_ESCAPE_UTF8: Final = re.compile(_LETTER_ESCAPE.pattern.encode())


# -- the finder --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Secret:
    """One credential in the record of an exchange: where (in words), its value, and for one in the
    response body its JSON pointer."""

    where: str
    value: str
    pointer: str = ""
    part: Part | None = None
    """Where it stands when not in the response body (:class:`~binding_contracts.report.Part`)."""


def secrets(raw: Mapping[str, Any], body: bytes | None = None) -> list[Secret]:
    """Every credential the record of one vcrpy interaction holds (``raw``: its request and response
    as the cassette holds them; ``body``: the response body as the client read it, decoded here
    when not given)."""
    found: list[Secret] = []
    request, response = _side(raw, "request"), _side(raw, "response")
    for side, who in ((request, "request"), (response, "response")):
        for name, at, value in _headers(side):
            header = f"/{who}/headers/{escape(name)}{at}"
            if is_secret_header(name):
                if secret_value(value):
                    found.append(Secret(f"the {who}'s {name} header", value, part=Part(header)))
            else:
                for _, key, secret, pair in _found(_pair_edits(value, "", url=True)):
                    found.append(
                        Secret(f"the {who}'s {name} header's {key}", secret, part=Part(header, pair))
                    )
    uri = str(request.get("uri", ""))
    for what, secret, userinfo in _userinfo_secrets(uri):
        at_uri = Part("/request/uri", userinfo, "//")
        found.append(Secret(f"the request URI's userinfo ({what})", secret, part=at_uri))
    for edit in _pair_edits(uri, "", url=True):
        lead = "#" if "#" in uri[: edit.start] else "?"
        for _, name, secret, pair in edit.found:
            at_uri = Part("/request/uri", pair, lead)
            found.append(Secret(f"the request URI's query parameter {name}", secret, part=at_uri))
    for pointer, name, secret, pair in _found(_body_edits(_text(_decoded(request)))):
        in_body = Part("/request/body", pair, member=pointer or None)
        found.append(Secret(f"the request body's {name} ({pointer or 'form'})", secret, part=in_body))
    data = body if body is not None else _decoded(response)
    for pointer, name, secret, _ in _found(_data_edits(data)):
        found.append(Secret(f"the response body's {name}", secret, pointer))
    return found


def findings(source: str, found: Iterable[Secret]) -> list[Violation]:
    """The ``cassette.secret`` findings of an exchange's secrets, each masked."""
    return [
        Violation(
            "cassette.secret",
            s.pointer,
            f"{s.where} holds a credential ({masked(s.value)}): a cassette must never hold one",
            source=source,
            part=s.part,
        )
        for s in found
    ]


def with_secrets(source: str, raw: Mapping[str, Any], body: bytes | None) -> list[Violation]:
    """The ``cassette.secret`` findings of one raw vcrpy interaction (see :func:`secrets`)."""
    return findings(source, secrets(raw, body))


def _found(edits: list[_Edit]) -> Iterator[Found]:
    for edit in edits:
        yield from edit.found


_AUTHORITY: Final = re.compile(r"[\x00-\x20]*[a-zA-Z][a-zA-Z0-9+.\-]*://([^/?#]*)")


def _userinfo(url: str) -> tuple[int, int] | None:
    """The span of ``url``'s userinfo with its ``@`` (a bracketed host or not), or None."""
    m = _AUTHORITY.match(url)
    if m is None or "@" not in m[1]:
        return None
    return m.start(1), m.start(1) + m[1].rindex("@") + 1


def _userinfo_secrets(url: str) -> Iterator[tuple[str, str, str]]:
    """``(what, secret, the userinfo as written)`` of a secret in ``url``'s userinfo."""
    span = _userinfo(url)
    if span is None:
        return
    userinfo = url[span[0] : span[1] - 1]
    user, colon, password = userinfo.partition(":")
    if colon:
        if secret_value(unquote(password)):
            yield "Basic credentials", unquote(password), userinfo
    elif secret_value(unquote(user)):
        yield "a token", unquote(user), userinfo


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


def _bytes(body: Any) -> bytes:
    if isinstance(body, Mapping):  # a response's {"string": ...}
        body = body.get("string")
    if isinstance(body, bytes):
        return body
    return str(body).encode("utf-8", "surrogatepass") if body is not None else b""


def _decoded(side: Mapping[str, Any]) -> bytes:
    """A side's body as a client reads it (as far as its encoding lets it)."""
    data = _bytes(side.get("body"))
    applied = encodings(side.get("headers"))
    return decode(data, applied, MAX_BODY_BYTES, "a body")[0] if applied and data else data


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


# -- what the Redactor writes, and what messages show -------------------------------------------------


def scrubbed_url(url: str) -> str:
    """``url`` without userinfo and with :data:`PLACEHOLDER` for every secret in its query and
    fragment, the rest as it was (so that a request rewritten twice, or at playback, is the same)."""
    return _without_secrets(url, PLACEHOLDER)


def masked_url(url: str) -> str:
    """``url`` as findings quote it: without userinfo (a client sends Basic credentials in a header,
    not on the request line) and every secret masked; a URL without either is returned as it is."""
    return _without_secrets(url, None)


def _without_secrets(url: str, placeholder: str | None) -> str:
    span = _userinfo(url)
    if span is not None:
        url = url[: span[0]] + url[span[1] :]
    edits = _pair_edits(url, "", url=True) if "=" in url else []
    return _applied(url, edits, placeholder) if edits else url


def scrubbed_text(text: str, *, url: bool = True) -> str:
    """A header's value (``url``: only pairs after ``?``, ``&`` or ``#``) or a string of a body
    with :data:`PLACEHOLDER` for every secret of a URL or query it holds."""
    edits = _pair_edits(text, "", url=url) if "=" in text else []
    return _applied(text, edits, PLACEHOLDER) if edits else text


def scrubbed_body(data: bytes) -> bytes:
    """A request or response body (as the client read it) with :data:`PLACEHOLDER` for every
    secret, everything else byte for byte; a body without one is returned as it is."""
    text = _text(data)
    edits = _body_edits(text)
    if not edits:
        return data
    return _applied(text, edits, PLACEHOLDER).encode("utf-8", "surrogateescape")


def redacted_body(data: bytes, headers: MutableMapping[str, Any]) -> bytes:
    """A request's or response's body with every secret replaced (:func:`scrubbed_body`); one under a
    ``Content-Encoding`` is decoded first and written without it (:func:`plain_body`, the encoding
    headers removed from ``headers``), so that replay gives the bytes the client read."""
    plain = plain_body(data, headers, "a body", MAX_BODY_BYTES)
    if plain is not None:
        for name in [k for k in headers if str(k).lower() in HEADERS]:
            del headers[name]
        data = plain
    return scrubbed_body(data)


def plain_body(data: bytes, headers: object, where: str, limit: int) -> bytes | None:
    """The body to write in place of ``data`` sent under the ``Content-Encoding`` of ``headers``:
    decoded, when it decodes whole or when what decodes of it holds a secret (which must go); None
    to keep it as it is (no encoding, or one that does not decode and holds no secret found)."""
    applied = encodings(headers)
    if not applied or not data:
        return None
    decoded, problem = decode(data, applied, limit, where)
    if problem is None or (decoded and _body_edits(_text(decoded))):
        return decoded
    return None


def scrubbed_document(doc: Any) -> Any:
    """A JSON value with :data:`PLACEHOLDER` for every secret-named member's secret and every
    secret of a URL or query a string holds (a parsed body, as :func:`scrubbed_body` rewrites text)."""
    if isinstance(doc, list):
        return [scrubbed_document(item) for item in doc]
    if isinstance(doc, str):
        return scrubbed_text(doc, url=False)
    if not isinstance(doc, dict):
        return doc
    return {
        key: PLACEHOLDER if is_secret_name(str(key)) and secret_value(value) else scrubbed_document(value)
        for key, value in doc.items()
    }


def masked_text(text: str, known: Iterable[str] = ()) -> str:
    """``text`` (a body, or part of one) as a message may quote it: every secret the finder finds in
    it masked, and every secret ``known`` of its exchange too (:func:`hidden`)."""
    edits = _body_edits(text)
    return hidden(_applied(text, edits, None) if edits else text, known)


def hidden(text: str, known: Iterable[str]) -> str:
    """``text`` with every occurrence of the secrets ``known`` masked, the longest first; one shorter
    than eight characters only where it stands alone (not inside a longer word or number)."""
    for secret in sorted({k for k in known if k}, key=len, reverse=True):
        if secret not in text:
            continue
        if len(secret) >= 8:
            text = text.replace(secret, _mark(secret))
        else:
            alone = re.compile(rf"(?<![0-9A-Za-z]){re.escape(secret)}(?![0-9A-Za-z])")
            text = alone.sub(_mark(secret).replace("\\", "\\\\"), text)
    return text
