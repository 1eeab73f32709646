"""Checking clients of the ``twilio`` SDK, sync and async: every Binding response it receives is
judged with its request known, and pages of one listing with the sequence rules.

The ``requests`` and ``httpx`` hooks and :class:`Checker` live in :mod:`.exchanges` (no ``twilio``
needed) and are re-exported here.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import SplitResult, urlunsplit

from .._extras import needs
from ..errors import UsageError
from ..report import Report
from ..spec.routes import parse_url
from .exchanges import (
    MODES,
    Checker,
    CheckMode,
    check_response,
    httpx_async_hook,
    httpx_hook,
    response_hook,
)
from .interactions import Interaction

with needs("live", "binding_contracts.live"):
    from requests.models import PreparedRequest
    from twilio.http.async_http_client import AsyncTwilioHttpClient
    from twilio.http.http_client import TwilioHttpClient
    from twilio.http.response import Response as TwilioResponse

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


def full_url(url: str, params: Any = None) -> str:
    """The URL with its query parameters encoded as requests sends them (lists repeat)."""
    prepared = PreparedRequest()
    prepared.prepare_url(url, params)
    return str(prepared.url)


class _Checking:
    """What the sync and the async client share: the checker, the redirect, the judging."""

    def __init__(
        self,
        check: CheckMode = "raise",
        *,
        profile: str = "strict",
        strict_fields: bool = False,
        redirect_to: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)  # the twilio client's own options
        self.checker = Checker(check, profile=profile, strict_fields=strict_fields)
        self.redirect_to: SplitResult | None = _base_url(redirect_to) if redirect_to else None

    @property
    def reports(self) -> list[Report]:
        return self.checker.reports

    @property
    def violations(self) -> list[Any]:
        return self.checker.violations

    def _target(self, url: str) -> str:
        parts, to = parse_url(url), self.redirect_to
        if parts is not None and to is not None and (parts.hostname or "").endswith("twilio.com"):
            return urlunsplit(parts._replace(scheme=to.scheme, netloc=to.netloc))
        return url

    def _judge(self, method: str, target: str, params: Any, response: TwilioResponse) -> None:
        self.checker(Interaction(method, full_url(target, params), response.status_code, response.text))


def _base_url(url: str) -> SplitResult:
    parts = parse_url(url)
    if parts is None:
        raise UsageError(f"redirect_to={url!r} is not a URL (such as http://127.0.0.1:8080)")
    return parts


class CheckingHttpClient(_Checking, TwilioHttpClient):  # type: ignore[misc]  # twilio ships no type information
    """A ``TwilioHttpClient`` that checks every Binding response it receives.

    ``check="raise"`` raises :class:`ContractViolation` after a violating response;
    ``"collect"`` keeps the reports in ``.reports`` (``.violations`` lists the errors) so that
    bad payloads still reach the caller's code; ``"off"`` only forwards. ``redirect_to``
    (a base URL such as a fake's, or a ``binding-contracts serve`` started elsewhere) sends every
    request for a ``*.twilio.com`` host there, whatever edge or region the SDK chose.
    """

    def request(self, method: str, url: str, params: Any = None, *args: Any, **kwargs: Any) -> TwilioResponse:
        """``TwilioHttpClient.request`` (data, headers, auth, timeout, allow_redirects as it takes
        them), sent to ``redirect_to`` when set, the response judged before it is returned."""
        target = self._target(url)
        response = super().request(method, target, params, *args, **kwargs)
        self._judge(method, target, params, response)
        return response


class AsyncCheckingHttpClient(_Checking, AsyncTwilioHttpClient):  # type: ignore[misc]  # as above
    """The same for the SDK's async API (``list_async``, ``fetch_async``, …): an
    ``AsyncTwilioHttpClient`` (aiohttp) that checks every Binding response it receives. Create it
    inside a running event loop, as aiohttp requires, and close it (``await client.close()`` or
    ``async with``)."""

    async def request(
        self,
        method: str,
        url: str,
        params: Any = None,
        data: Any = None,
        headers: Any = None,
        auth: Any = None,
        **kwargs: Any,
    ) -> TwilioResponse:
        target = self._target(url)
        if auth is not None:
            # The same header aiohttp's BasicAuth writes: aiohttp 3.14 deprecates the auth= that
            # twilio passes it, and a test suite that turns warnings into errors would fail on it.
            token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode("latin1")).decode("ascii")
            headers = {**(headers or {}), "Authorization": f"Basic {token}"}
        response = await super().request(method, target, params, data, headers, None, **kwargs)
        self._judge(method, target, params, response)
        return response
