"""Checking HTTP exchanges as they happen: a :class:`Checker` keeps the walk and delete state of one
client, and a response of ``requests`` or ``httpx`` is judged with the request it carries.

No HTTP library is imported here: a response is read by the attributes both libraries share
(``request.method``, ``request.url``, ``status_code``, ``content``), so this module serves
``requests`` and ``httpx`` users without the ``live`` extra (``twilio``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Literal

from ..checking.subjects import as_request
from ..errors import ContractViolation, UsageError
from ..report import Report
from .interactions import Interaction, Session, check_interaction

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

OBSERVERS: list[Callable[[Any, str], None]] = []
"""Called with each checked ``requests``/``httpx`` response of a Binding operation and the kind of
its body (usage recording adds one, :mod:`.usage`); empty otherwise."""

CheckMode = Literal["raise", "collect", "off"]
MODES = ("raise", "collect", "off")


class Checker:
    """Judges exchanges one by one, keeping the walk and delete state of one client."""

    def __init__(
        self, check: CheckMode = "raise", *, profile: str = "strict", strict_fields: bool = False
    ) -> None:
        if check not in MODES:
            raise UsageError(f"Got check={check!r}, but expected one of {', '.join(MODES)}")
        self.mode = check
        self.profile = profile
        self.strict_fields = strict_fields
        self.session = Session()
        self.reports: list[Report] = []

    @property
    def violations(self) -> list[Any]:
        """Every error found so far, across all checked responses."""
        return [v for r in self.reports for v in r.violations]

    def __call__(self, interaction: Interaction) -> Report | None:
        if self.mode == "off":
            return None
        report = check_interaction(
            interaction, profile=self.profile, strict_fields=self.strict_fields, session=self.session
        )
        if report is None:
            return None
        self.reports.append(report)
        if self.mode == "raise" and not report.ok:
            raise ContractViolation(report)
        return report


def interaction_of(response: Any) -> Interaction:
    """The exchange a ``requests`` or ``httpx`` response (its body read) records: the request it
    carries, its status and its body. Anything else raises :class:`UsageError`."""
    try:
        request, status, body = response.request, response.status_code, response.content
    except Exception as exc:  # httpx raises on a response without request or unread body
        raise UsageError(
            f"Got {type(response).__name__}, but expected a requests or httpx response with its request "
            f"and its body read ({type(exc).__name__}: {exc})"
        ) from None
    if not isinstance(status, int) or not isinstance(body, bytes | None):
        raise UsageError(f"Got {type(response).__name__}, but expected a requests or httpx response")
    asked = as_request(request)
    return Interaction(asked.method, asked.url, status, body)


def check_response(
    response: Any,
    *,
    checker: Checker | None = None,
    profile: str = "strict",
    strict_fields: bool = False,
) -> Report | None:
    """Check one ``requests.Response`` or ``httpx.Response`` (its body read) with its request; None
    when it is no Binding operation.

    Pass the same ``checker`` (``Checker("collect")``, say) for every response of one
    session to get the sequence rules; without one, a violation raises.
    """
    checker = checker or Checker("raise", profile=profile, strict_fields=strict_fields)
    report = checker(interaction_of(response))
    if report is not None and report.kind is not None:
        for observe in OBSERVERS:
            observe(response, report.kind)
    return report


def response_hook(checker: Checker | None = None) -> Callable[..., Any]:
    """A ``requests`` response hook: ``session.hooks["response"].append(response_hook())``."""
    checker = checker or Checker("raise")

    def hook(response: Any, *args: Any, **kwargs: Any) -> Any:
        check_response(response, checker=checker)
        return response

    return hook


def httpx_hook(checker: Checker | None = None) -> Callable[[Any], None]:
    """An ``httpx.Client`` response event hook:
    ``httpx.Client(event_hooks={"response": [httpx_hook()]})``. httpx calls it before the body is
    read, so it reads the body first (as ``response.read()`` would later: nothing is lost)."""
    checker = checker or Checker("raise")

    def hook(response: Any) -> None:
        response.read()
        check_response(response, checker=checker)

    return hook


def httpx_async_hook(checker: Checker | None = None) -> Callable[[Any], Awaitable[None]]:
    """The same for ``httpx.AsyncClient``: ``event_hooks={"response": [httpx_async_hook()]}``."""
    checker = checker or Checker("raise")

    async def hook(response: Any) -> None:
        await response.aread()
        check_response(response, checker=checker)

    return hook
