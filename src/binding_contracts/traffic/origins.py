"""The fakes serving in this process, and a URL on one of them moved to the public origin it stands
for: what recording writes in place of ``http://127.0.0.1:PORT``, so that a cassette recorded
through a fake on one port replays through a fake on any other (or through none)."""

from __future__ import annotations

import threading
from typing import Final
from urllib.parse import urlunsplit

from ..spec.kinds import APIS, CHAT
from ..spec.routes import parse_url

_LOOPBACK: Final = frozenset({"127.0.0.1", "localhost", "::1"})
_LOCK = threading.Lock()
_SERVING: dict[int, tuple[str, str | None]] = {}
"""port -> (host, public_url) of every fake serving in this process."""


def serving(host: str, port: int, public_url: str | None) -> None:
    """A fake now serves on ``host:port``; its bodies name ``public_url`` when given."""
    with _LOCK:
        _SERVING[port] = (host.strip("[]").lower(), public_url.rstrip("/") if public_url else None)


def stopped(port: int) -> None:
    with _LOCK:
        _SERVING.pop(port, None)


def public_origin(path: str) -> str:
    """The origin of the API a path belongs to: ``https://conversations.twilio.com`` for ``/v1/…``,
    ``https://chat.twilio.com`` for everything else."""
    return next((api.origin for api in APIS if path.startswith(f"/{api.version}/")), CHAT.origin)


def on_public_origin(url: str) -> str:
    """``url`` with the origin of a fake serving in this process replaced by the fake's
    ``public_url``, or when it has none by :func:`public_origin`; any other URL as it is."""
    if not _SERVING:
        return url
    parts = parse_url(url)
    if parts is None:
        return url
    try:
        port = parts.port
    except ValueError:  # a port that is no number, or past 65535
        return url
    with _LOCK:
        fake = _SERVING.get(port) if port is not None else None
    if fake is None or parts.hostname not in {fake[0], *_LOOPBACK}:
        return url
    origin = fake[1] or public_origin(parts.path)
    return origin + urlunsplit(("", "", parts.path, parts.query, parts.fragment))
