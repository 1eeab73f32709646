"""What users hand to :func:`~binding_contracts.check`, read as what it judges: the payload's
top-level type (a dict, JSON text as bytes or str) and ``request=`` in the forms users hold."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import UsageError
from .rule import Request

MAX_PAYLOAD_BYTES = 256 * 1024 * 1024
"""Longest JSON text :func:`~binding_contracts.check` reads (256 MiB, the bound the command line
holds a cassette file to); a ``str`` is measured as its UTF-8 encoding. Longer text is
:class:`UsageError`: no Binding API body comes near it, and reading it would take gigabytes."""
_JSON_VALUES = (dict, list, tuple, str, int, float, type(None))
_PASS = "pass a dict (parsed JSON), or the JSON text as bytes or str"


def as_payload(value: Any) -> Any:
    """The payload :func:`check` judges: JSON text (``bytes``, ``bytearray``, ``memoryview`` or
    ``str``: a ``str`` is JSON text, as ``json.loads`` reads it) as ``bytes``, but a ``str`` holding
    a lone surrogate (text already decoded, which no UTF-8 encodes) as the ``str`` itself, read by
    :func:`~.._inputs.parse_text` as ``json.loads`` reads it, so that ``check(s)`` judges the
    document ``check(json.loads(s))`` judges; any other mapping as a
    ``dict`` (a copy: the caller's object is never changed); a JSON value as it is. An HTTP response
    or another Python object raises :class:`UsageError` saying what to pass instead."""
    if isinstance(value, str):
        bounded(len(value), "characters")  # before encoding: a character is at least a byte
        try:
            return bounded_text(value.encode("utf-8"))
        except UnicodeEncodeError:  # a lone surrogate
            bounded(len(value.encode("utf-8", "surrogatepass")))
            return value
    if isinstance(value, bytearray | memoryview):
        bounded(memoryview(value).nbytes)  # before copying
        return bytes(value)
    if isinstance(value, bytes):
        return bounded_text(value)
    if isinstance(value, dict):
        return value
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, _JSON_VALUES):
        return value
    name = _name(value)
    if hasattr(value, "status_code"):
        raise UsageError(
            f"Got a {name}, but check() takes a payload, not the HTTP response: pass response.content "
            "(with request=response.request to check it against its request), or check the exchange "
            "with binding_contracts.traffic.exchanges.check_response(response)"
        )
    raise UsageError(f"Got a payload of type {name}, which is no JSON value: {_PASS}")


def bounded(size: int, unit: str = "bytes") -> bool:
    """True when JSON text of ``size`` (``unit``) is within :data:`MAX_PAYLOAD_BYTES`, else
    :class:`UsageError`."""
    if size > MAX_PAYLOAD_BYTES:
        raise UsageError(
            f"Got JSON text of {size:,} {unit}, but check() reads at most {MAX_PAYLOAD_BYTES:,} bytes "
            "(a Binding API body is kilobytes)"
        )
    return True


def bounded_text(data: bytes) -> bytes:
    """``data`` when within :data:`MAX_PAYLOAD_BYTES`, else :class:`UsageError`."""
    bounded(len(data))
    return data


def as_request(value: Any) -> Request:
    """``request=`` as the rules read it: a :class:`Request`, a ``(method, url)`` pair, or an HTTP
    client's request with ``method`` and an absolute ``url`` (``requests.PreparedRequest``,
    ``httpx.Request``); anything else raises :class:`UsageError`."""
    if isinstance(value, Request):
        return value
    if isinstance(value, tuple | list) and len(value) == 2:
        method, url = value
    elif hasattr(value, "method") and hasattr(value, "url") and not getattr(value, "params", None):
        method, url = value.method, value.url
        url = str(url) if url is not None and not isinstance(url, str | bytes) else url  # httpx.URL
    else:
        method = url = None
    if isinstance(method, str) and method.isalpha() and isinstance(url, str) and _absolute(url):
        return Request(method.upper(), url)
    raise UsageError(
        f"Got request={_shown(value)}, but "
        "expected the request a response answered: a (method, url) pair such as ('GET', "
        "'https://chat.twilio.com/v2/Services/IS…/Bindings/BS…'), a requests.PreparedRequest "
        "(response.request) or an httpx.Request, its url absolute and with its query string"
    )


def check_context(status: object, previous: object, walk: object) -> None:
    """Refuse a ``status``, ``previous`` or ``walk`` of a type the rules would misread (a status of
    ``"404"`` is not 404) with :class:`UsageError`."""
    if status is not None and (isinstance(status, bool) or not isinstance(status, int)):
        raise UsageError(f"Got status={_shown(status)}, but expected the HTTP status as an int, such as 404")
    if previous is not None and not isinstance(previous, Mapping):
        raise UsageError(
            f"Got previous={_shown(previous)}, but expected the page (a dict) whose next_page_url led here"
        )
    pages = walk if isinstance(walk, Sequence) and not isinstance(walk, str | bytes) else None
    if walk is not None and (pages is None or not all(isinstance(page, Mapping) for page in pages)):
        raise UsageError(
            f"Got walk={_shown(walk)}, but expected the pages (dicts) fetched before this one, oldest first"
        )


def _absolute(url: str) -> bool:
    scheme, _, rest = url.partition("://")
    return scheme.lower() in ("http", "https") and bool(rest) and not rest.startswith("/")


def _shown(value: object) -> str:
    """A value as a message shows it: short text for text and pairs, the type's name for objects."""
    if not isinstance(value, str | tuple | list):
        return _name(value)
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _name(value: object) -> str:
    kind = type(value)
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"
