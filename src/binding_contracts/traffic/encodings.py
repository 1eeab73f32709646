"""A body under its ``Content-Encoding``, decoded as the HTTP clients decode it.

urllib3 (requests, the twilio SDK) and httpx read the header without case and without the spaces
around its values (``" GZIP"`` is gzip), take ``x-gzip`` for gzip, and undo a list of encodings
(``gzip, gzip``) last first. ``br`` and ``zstd`` are decoded when the library the clients use for
them (``brotli``, ``zstandard``) is installed, as the clients do. A body cut short is read as far as
it goes, as the clients hand it over before they notice the end is missing. Every stage is bounded:
a body that inflates past the limit is an :class:`~binding_contracts.errors.InputError`.
"""

from __future__ import annotations

import contextlib
import importlib
import zlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

from ..errors import InputError

__all__ = ["HEADERS", "MAX_BODY_BYTES", "decode", "encodings", "header"]

MAX_BODY_BYTES: Final = 32 * 1024 * 1024
"""Most bytes a body may hold, as recorded and once decoded."""

HEADERS: Final = ("content-encoding", "content-length")
"""What no longer holds once a body is written decoded."""

_GZIP, _ZLIB, _RAW_DEFLATE = 16 + zlib.MAX_WBITS, zlib.MAX_WBITS, -zlib.MAX_WBITS
_ALIASES: Final = {"x-gzip": "gzip"}
_NONE: Final = ("", "identity")


def header(headers: object, name: str) -> list[str]:
    """The values of header ``name`` (any case) in a vcrpy headers mapping (each a value or a list)."""
    found: list[str] = []
    for key, value in headers.items() if isinstance(headers, Mapping) else ():
        if str(key).lower() == name:
            found += [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
    return found


def encodings(headers: object) -> list[str]:
    """The encodings a body was sent under, in the order they were applied (``identity`` dropped)."""
    names = [e.strip().lower() for v in header(headers, "content-encoding") for e in v.split(",")]
    return [_ALIASES.get(n, n) for n in names if n not in _NONE]


def decode(data: bytes, applied: Iterable[str], limit: int, where: str) -> tuple[bytes, str | None]:
    """``data`` with the encodings ``applied`` undone (last first), and what is wrong with it (None:
    nothing): a stage that is corrupt or cut short yields what it read before; an encoding no
    decoder here knows leaves the body as it is, with the problem said."""
    for name in reversed(list(applied)):
        decoder = _DECODERS.get(name) or _optional(name)
        if decoder is None:
            return data, f"is under Content-Encoding {name!r}, which this reader cannot decode"
        if not data:
            continue
        data, problem = decoder(data, limit, where)
        if problem is not None:
            return data, problem
    return data, None


def _zlib(encoding: str) -> Callable[[bytes, int, str], tuple[bytes, str | None]]:
    def inflate(data: bytes, limit: int, where: str) -> tuple[bytes, str | None]:
        """A gzip or deflate body decoded, or what is wrong with it: a body the server sent broken
        (corrupt, truncated, bytes after the stream) is read as far as it goes; one past ``limit``
        is this reader's bound, bad input. A gzip body may be several members (RFC 1952), read one
        after the other, and end in zero padding, as Python's gzip module reads it; raw deflate
        without the zlib header is read too."""
        out = bytearray()
        rest, wbits = data, _GZIP if encoding == "gzip" else _ZLIB
        while rest:
            inflater = zlib.decompressobj(wbits)
            try:
                out += inflater.decompress(rest, limit + 1 - len(out))
            except zlib.error as exc:
                if wbits == _ZLIB and not out:  # some servers send raw deflate without the zlib header
                    wbits = _RAW_DEFLATE
                    continue
                return bytes(out), f"is not valid {encoding} ({str(exc).rpartition(': ')[2]})"
            if len(out) > limit or inflater.unconsumed_tail:
                raise InputError(where, f"has a {encoding} body that inflates past {limit:,} bytes")
            if not inflater.eof:
                with contextlib.suppress(zlib.error):  # a truncated stream's flush gives what it has
                    out += inflater.flush()[: limit + 1 - len(out)]
                return bytes(out), f"is a truncated {encoding} stream"
            rest = inflater.unused_data
            if encoding == "gzip":
                rest = rest.lstrip(b"\x00")
            elif rest:
                return bytes(out), f"is not valid {encoding} ({len(rest):,} bytes after the stream)"
        return bytes(out), None

    return inflate


def _optional(name: str) -> Callable[[bytes, int, str], tuple[bytes, str | None]] | None:
    """The decoder of ``br`` or ``zstd`` when its library is installed (the clients need it too)."""
    libraries = {"br": "brotli", "zstd": "zstandard"}
    if name not in libraries:
        return None
    try:
        module: Any = importlib.import_module(libraries[name])
    except ImportError:
        return None

    def decoded(data: bytes, limit: int, where: str) -> tuple[bytes, str | None]:  # pragma: no cover
        try:  # bounded: at most limit + 1 bytes are produced
            if name == "br":
                out = bytes(module.Decompressor().process(data, output_buffer_limit=limit + 1))
            else:
                out = bytes(module.ZstdDecompressor().stream_reader(data).read(limit + 1))
        except Exception as exc:  # each library has its own error class
            return b"", f"is not valid {name} ({exc})"
        if len(out) > limit:
            raise InputError(where, f"has a {name} body that inflates past {limit:,} bytes")
        return out, None

    return decoded


_DECODERS: Final = {"gzip": _zlib("gzip"), "deflate": _zlib("deflate")}
