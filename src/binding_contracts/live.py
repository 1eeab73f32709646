"""Checking clients of the ``twilio`` SDK, sync and async: every Binding response it receives is
judged with its request known, and pages of one listing with the sequence rules.

The public import path; the implementation is :mod:`binding_contracts.traffic.live`.
"""

from .traffic.live import (
    MODES,
    AsyncCheckingHttpClient,
    Checker,
    CheckingHttpClient,
    CheckMode,
    check_response,
    full_url,
    httpx_async_hook,
    httpx_hook,
    response_hook,
)

__all__ = [
    "MODES",
    "AsyncCheckingHttpClient",
    "CheckMode",
    "Checker",
    "CheckingHttpClient",
    "check_response",
    "full_url",
    "httpx_async_hook",
    "httpx_hook",
    "response_hook",
]
