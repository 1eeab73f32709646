"""vcrpy settings that make a recording through the fake reproducible: the same seed and the same
calls give the same cassette bytes, whatever port the fake had."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..traffic.recording import vcr_config

# Time-dependent response headers: the only bytes of a recording through the fake that a pinned
# seed does not fix, besides the port (werkzeug writes Date; the fake writes no other clock).
_CLOCK_HEADERS = ("date",)


def reproducible_vcr_config(
    base_url: Callable[[], str], public_url: str | None, **options: Any
) -> dict[str, Any]:
    """:func:`~binding_contracts.traffic.recording.vcr_config` with two more rewrites: a request URI on
    ``base_url()`` is written (and matched on playback: vcrpy runs the same hook on the requests it
    plays back) on ``public_url``, and the ``Date`` response header is dropped."""
    config = vcr_config(**options)
    on_request, on_response = config["before_record_request"], config["before_record_response"]

    def before_record_request(request: Any) -> Any:
        base = base_url()
        if public_url and (request.uri == base or request.uri.startswith(base + "/")):
            request.uri = public_url.rstrip("/") + request.uri[len(base) :]
        return on_request(request)

    def before_record_response(response: dict[str, Any]) -> dict[str, Any]:
        headers = response.get("headers") or {}
        for name in list(headers):
            if name.lower() in _CLOCK_HEADERS:
                del headers[name]
        recorded: dict[str, Any] = on_response(response)
        return recorded

    config["before_record_request"] = before_record_request
    config["before_record_response"] = before_record_response
    return config
