"""vcrpy settings that make a recording through the fake reproducible: the same seed and the same
calls give the same cassette bytes, whatever port the fake had."""

from __future__ import annotations

from typing import Any

from ..traffic.recording import vcr_config

# Time-dependent response headers: the only bytes of a recording through the fake that a pinned
# seed does not fix (werkzeug writes Date; the fake writes no other clock). The port never reaches
# a cassette: vcr_config() writes a running fake's URLs on its public origin (traffic/origins.py).
_CLOCK_HEADERS = ("date",)


def reproducible_vcr_config(**options: Any) -> dict[str, Any]:
    """:func:`~binding_contracts.traffic.recording.vcr_config` with the ``Date`` response header dropped."""
    config = vcr_config(**options)
    on_response = config["before_record_response"]

    def before_record_response(response: dict[str, Any]) -> dict[str, Any]:
        headers = response.get("headers") or {}
        for name in list(headers):
            if name.lower() in _CLOCK_HEADERS:
                del headers[name]
        recorded: dict[str, Any] = on_response(response)
        return recorded

    config["before_record_response"] = before_record_response
    return config
