"""Recording safely with vcrpy: credentials never reach a cassette, PII can be pseudonymised,
and every Binding response is checked as it is recorded.

``vcr_config()`` returns keyword arguments for ``vcr.VCR(...)`` (never ``record_mode`` or
``cassette_library_dir``: those stay yours).
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import re
import sys
import threading
import weakref
from collections.abc import Callable, MutableMapping
from types import FrameType
from typing import Any, Final

from .._extras import needs
from ..errors import RecordingViolation, UsageError
from .deferral import deferred, deferred_to_plugin
from .interactions import Interaction, Session, check_interaction
from .leaks import (
    SECRET_HEADERS,
    is_secret_header,
    redacted_body,
    scrubbed_document,
    scrubbed_text,
    scrubbed_url,
)
from .origins import on_public_origin
from .pseudonyms import (
    HEX_MARK,
    IDENTITY,
    PSEUDO_IDENTITY,
    TOKEN_MARK,
    is_encoded,
    renamed_document,
    renamed_request,
    renamed_response,
    renamed_url,
    replace_body,
)

__all__ = [
    "ACCOUNT_PLACEHOLDER",
    "DEFAULT_PII_KEY",
    "Redactor",
    "deferred_to_plugin",
    "drop_secret_headers",
    "playback_patches",
    "vcr_config",
]

ACCOUNT_PLACEHOLDER: Final = "AC" + "0" * 32
DEFAULT_PII_KEY: Final = "binding-contracts"
_ACCOUNT: Final = re.compile(r"AC[0-9a-fA-F]{32}")
_SECRET_HEADERS: Final = (*SECRET_HEADERS, "cookie", "set-cookie")
_TOKEN_ALPHABET: Final = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"


# Pseudonyms carry a marker (pseudonyms.py) so that rewriting is idempotent: vcrpy runs the same hooks
# again on every interaction it loads, and a pseudonym must not be pseudonymised twice.
def _appending() -> str:
    """``PATH#INDEX`` of the interaction the vcrpy cassette that called a hook is appending (vcrpy
    tells its hooks neither), or ``""`` when no cassette's ``append`` is on the stack."""
    frame: FrameType | None = sys._getframe(2)
    for _ in range(12):
        if frame is None:
            break
        owner = frame.f_locals.get("self") if frame.f_code.co_name == "append" else None
        data, path = getattr(owner, "data", None), getattr(owner, "_path", None)
        if isinstance(data, list) and path is not None:
            return f"{path}#{len(data)} "
        frame = frame.f_back
    return ""


class Redactor:
    """Rewrites requests and responses before vcrpy writes them.

    Pseudonyms are HMAC-SHA256 of the original under ``pii_key``: the same input gives the
    same placeholder in every cassette recorded with the same key (which playback needs,
    since vcrpy matches requests after this rewriting). Keep the key secret if identities
    could be guessed.
    """

    def __init__(self, *, redact_pii: bool, redact_account: bool, pii_key: str, check: str) -> None:
        if check not in ("raise", "collect", "off"):
            raise UsageError(f"Got check={check!r}, but expected one of raise, collect, off")
        self.redact_pii = redact_pii
        self.redact_account = redact_account
        self.key = pii_key.encode("utf-8")
        self.check = check
        self.reports: list[Any] = []
        self._local = threading.local()
        self._named: weakref.WeakKeyDictionary[Any, dict[tuple[str, str], str]] = weakref.WeakKeyDictionary()
        """Per vcrpy cassette in use: the clear identity or endpoint of each pseudonym its requests named."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Redactor:
        # pytest-recording deep-copies vcr_config; its hooks must keep sharing this state.
        return self

    # -- pseudonyms ---------------------------------------------------------------------
    def _digest(self, kind: str, value: str) -> bytes:
        return hmac.new(self.key, f"{kind}\0{value}".encode(), hashlib.sha256).digest()

    def identity(self, value: str) -> str:
        if PSEUDO_IDENTITY.fullmatch(value):
            return value
        return "user-" + self._digest("identity", value).hex()[:12]

    def endpoint(self, value: str) -> str:
        """A pseudonym of the same shape: hex stays hex of the same length (an APNs token stays
        64 hex characters), a token stays a token of the same length with ':' kept where it
        was (FCM's ``instance:token`` form)."""
        hexadecimal = re.fullmatch(r"[0-9a-fA-F]+", value) is not None
        mark = HEX_MARK if hexadecimal else TOKEN_MARK
        if len(value) > 2 * len(mark) and value.startswith(mark):
            return value
        stream = b"".join(self._digest(f"endpoint{i}", value) for i in range(len(value) // 32 + 1))
        if hexadecimal:
            body = stream.hex()
        else:
            body = "".join(
                c if c == ":" else _TOKEN_ALPHABET[b % 64] for c, b in zip(value, stream, strict=False)
            )
        if len(value) > 2 * len(mark):
            return (mark + body)[: len(value)] if hexadecimal else mark + body[len(mark) : len(value)]
        return body[: len(value)]

    def text(self, value: str) -> str:
        return _ACCOUNT.sub(ACCOUNT_PLACEHOLDER, value) if self.redact_account else value

    def pseudonym(self, what: str, value: str, pointer: str = "") -> str:
        """The keyed pseudonym of an identity or an endpoint (a :data:`~.pseudonyms.Rename`)."""
        return self.identity(value) if what == IDENTITY else self.endpoint(value)

    # -- urls and documents --------------------------------------------------------------
    def url(self, url: str) -> str:
        url = self.written(url)
        return renamed_url(url, self.pseudonym) if self.redact_pii else url

    def written(self, url: str) -> str:
        """A URL as a cassette holds it, pseudonyms aside: a running fake's origin replaced by its
        public one (its port is never recorded: traffic/origins.py), no credentials, the account SID
        replaced."""
        return scrubbed_url(self.text(on_public_origin(url)))

    def document(self, doc: Any) -> Any:
        doc = self._document(scrubbed_document(doc))
        return renamed_document(doc, self.pseudonym) if self.redact_pii else doc

    def _document(self, doc: Any) -> Any:
        if isinstance(doc, list):
            return [self._document(item) for item in doc]
        if not isinstance(doc, dict):
            return self.text(doc) if isinstance(doc, str) else doc
        out: dict[str, Any] = {}
        for key, value in doc.items():
            if isinstance(value, str) and (key.endswith("url") or key == "user"):
                out[key] = self.written(value)
            else:
                out[key] = self._document(value)
        return out

    def request(
        self, uri: str, body: Any, headers: MutableMapping[str, Any] | None = None
    ) -> tuple[str, Any]:
        """A request's URI and body as a cassette holds them: no credentials, the account SID
        replaced, PII pseudonymised (``redact_pii``) wherever it stands. A body that is not bytes
        or text (a file or an iterator, as vcrpy hands them out) is returned as it is; one under
        the ``Content-Encoding`` of ``headers`` is written decoded, the header dropped
        (:func:`.leaks.redacted_body`)."""
        uri = self.written(uri)
        if not isinstance(body, bytes | str):
            return (renamed_url(uri, self.pseudonym) if self.redact_pii else uri), body
        if body:
            data = body if isinstance(body, bytes) else body.encode("utf-8", "surrogatepass")
            scrubbed = redacted_body(data, headers if headers is not None else {})
            if scrubbed is not data:
                body = scrubbed if isinstance(body, bytes) else scrubbed.decode("utf-8", "replace")
        return renamed_request(uri, body, self.pseudonym) if self.redact_pii else (uri, body)

    # -- playback ------------------------------------------------------------------------
    def learn(self, cassette: object, uri: str, body: Any) -> None:
        """Note the identities and endpoints a request the code sent names, so that the responses
        ``cassette`` plays back give them in clear (:meth:`restored`)."""
        named = self._named.setdefault(cassette, {})

        def note(what: str, value: str, pointer: str) -> str:
            pseudonym = self.pseudonym(what, value)
            if pseudonym != value:
                named[(what, pseudonym)] = value
            return value

        renamed_request(uri, body if isinstance(body, bytes | str) else None, note)

    def restored(self, cassette: object, response: dict[str, Any]) -> dict[str, Any]:
        """A response ``cassette`` plays back, with the pseudonyms of what the code's requests
        named (:meth:`learn`) turned back into the identities and endpoints they stand for; the
        cassette's own copy is left as it is."""
        named = self._named.get(cassette)
        if not named:
            return response
        out = copy.deepcopy(response)
        renamed_response(out, lambda what, value, pointer: named.get((what, value), value))
        return out

    # -- vcrpy hooks ---------------------------------------------------------------------
    def before_record_request(self, request: Any) -> Any:
        drop_secret_headers(request.headers)
        body = getattr(request, "body", None)
        request.uri, new = self.request(request.uri, body, request.headers)
        if new is not body:
            request.body = new
        self._local.request = (request.method, request.uri)
        return request

    def before_record_response(self, response: dict[str, Any]) -> dict[str, Any]:
        headers = response.get("headers") or {}
        drop_secret_headers(headers)
        body = response.get("body") or {}
        raw = body.get("string")
        if isinstance(raw, bytes | str) and raw:  # every secret, in a body decoded as the client read it
            data = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass")
            scrubbed = redacted_body(data, headers)
            if scrubbed is not data:
                raw = scrubbed if isinstance(raw, bytes) else scrubbed.decode("utf-8", "replace")
                body["string"] = raw
        if raw and not is_encoded(headers):
            text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
            try:
                doc = json.loads(text)
            except ValueError:
                doc = None
            if isinstance(doc, dict | list):
                new = self._document(scrubbed_document(doc))
                if new != doc:
                    replace_body(response, json.dumps(new).encode("utf-8"))
            if self.redact_pii:
                renamed_response(response, self.pseudonym)
        self._check(response)
        return response

    def _check(self, response: dict[str, Any]) -> None:
        request = getattr(self._local, "request", None)
        if self.check == "off" or request is None or (self.check == "raise" and deferred()):
            return
        body = (response.get("body") or {}).get("string")
        if is_encoded(response.get("headers") or {}):
            return  # compressed bodies are checked on playback, by the plugin
        status = int((response.get("status") or {}).get("code", 0))
        # One config may serve many cassettes, and vcrpy's hooks do not say which one an
        # interaction belongs to: the sequence rules are left to the plugin and `check`, which
        # see each cassette whole. Each response is judged with its request.
        method, url = request
        source = f"{_appending()}{method.upper()} {url}"
        report = check_interaction(Interaction(method, url, status, body, source), session=Session())
        if report is None:
            return
        if self.check == "collect":
            self.reports.append(report)
        elif not report.ok:
            raise RecordingViolation(report)


def drop_secret_headers(headers: MutableMapping[str, Any]) -> None:
    """Remove the headers that carry credentials (:func:`.leaks.is_secret_header`) or cookies,
    whatever their case, and mask each secret of a URL another header's value holds."""
    for name in list(headers):
        if str(name).lower() in _SECRET_HEADERS or is_secret_header(str(name)):
            del headers[name]
            continue
        values = headers[name]
        if isinstance(values, list):
            headers[name] = [scrubbed_text(v) if isinstance(v, str) else v for v in values]
        elif isinstance(values, str):
            headers[name] = scrubbed_text(values)


def vcr_config(
    redact_pii: bool = False,
    *,
    redact_account: bool = True,
    pii_key: str = DEFAULT_PII_KEY,
    check: str = "raise",
) -> dict[str, Any]:
    """Keyword arguments for ``vcr.VCR(...)`` that record Binding traffic safely.

    - ``Authorization`` (account SID + auth token, or API key + secret), cookies and
      ``X-Twilio-Signature`` are never written; the account SID in URLs and bodies becomes
      ``AC000…000`` unless ``redact_account=False``;
    - ``redact_pii=True`` pseudonymises what Twilio's spec marks PII (identity, endpoint)
      wherever the interaction holds it (request path, query and body; response members, urls
      and links: :mod:`.pseudonyms`), so that a redacted cassette still passes the contract; on
      playback the code under test gets back in clear what its requests named
      (:func:`playback_patches`);
    - every Binding response is checked as it is recorded, and when vcrpy loads it again
      (``check="raise"`` raises :class:`~binding_contracts.errors.RecordingViolation` naming the
      cassette, the interaction and its request, and leaves the checking to the pytest plugin in a
      test the plugin checks; ``"collect"`` keeps the reports on the :class:`Redactor`,
      ``config["before_record_response"].__self__.reports``).

    One config may serve a whole test session (pytest-recording's ``vcr_config`` at any scope).
    """
    redactor = Redactor(redact_pii=redact_pii, redact_account=redact_account, pii_key=pii_key, check=check)
    config: dict[str, Any] = {
        "filter_headers": list(_SECRET_HEADERS),
        "before_record_request": redactor.before_record_request,
        "before_record_response": redactor.before_record_response,
        "decode_compressed_response": True,
    }
    if redact_pii:
        config["custom_patches"] = playback_patches(redactor)
    return config


def playback_patches(redactor: Redactor) -> tuple[tuple[Any, str, Callable[..., Any]], ...]:
    """vcrpy ``custom_patches`` that give the code under test, on playback, the identities and
    endpoints its requests named where the cassette holds their pseudonyms.

    vcrpy has no hook for a response it plays back (``before_record_response`` runs once, as the
    cassette loads, not knowing the request), so while a cassette of this config is in use its
    ``Cassette.can_play_response_for`` (called with every request the code sends) notes what the
    request names (:meth:`Redactor.learn`) and ``Cassette.play_response`` hands out a restored copy
    (:meth:`Redactor.restored`). A cassette of another config, open at the same time, is played
    as vcrpy plays it."""
    with needs("pytest", "vcr_config(redact_pii=True)"):
        from vcr.cassette import Cassette
    return tuple((Cassette, name, _playing(Cassette, name, redactor)) for name in _PLAYBACK)


_PLAYBACK: Final = ("can_play_response_for", "play_response")


def _playing(cassette_class: Any, name: str, redactor: Redactor) -> Callable[..., Any]:
    method = vars(cassette_class)[name]
    vcrpy = getattr(method, "_vcrpy", method)  # under a patch of another config: vcrpy's own

    def playing(cassette: Any, request: Any) -> Any:
        own = _redactor_of(cassette)
        if own is not None and name == "can_play_response_for":
            own.learn(cassette, request.uri, request.body)
        result = vcrpy(cassette, request)
        return own.restored(cassette, result) if own is not None and name == "play_response" else result

    playing._vcrpy = vcrpy  # type: ignore[attr-defined]
    playing._redactor = redactor  # type: ignore[attr-defined]
    return playing


def _redactor_of(cassette: Any) -> Redactor | None:
    """The Redactor of the config that opened ``cassette``, when it pseudonymises."""
    for patch in getattr(cassette, "custom_patches", ()):
        redactor = getattr(patch[2], "_redactor", None) if len(patch) == 3 else None
        if isinstance(redactor, Redactor):
            return redactor
    return None
