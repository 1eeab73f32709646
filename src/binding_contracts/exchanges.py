"""Checking HTTP exchanges as they happen: a :class:`Checker` keeps the walk and delete state of one
client, and a response of ``requests`` or ``httpx`` is judged with the request it carries.

The public import path; the implementation is :mod:`binding_contracts.traffic.exchanges`.
"""

from .traffic.exchanges import (
    MODES,
    Checker,
    CheckMode,
    check_response,
    httpx_async_hook,
    httpx_hook,
    interaction_of,
    response_hook,
)

__all__ = [
    "MODES",
    "CheckMode",
    "Checker",
    "check_response",
    "httpx_async_hook",
    "httpx_hook",
    "interaction_of",
    "response_hook",
]
