"""Checking HTTP clients: every Binding response the ``twilio`` SDK or ``requests`` receives is
judged with its request known, and pages of one listing with the sequence rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from requests.models import PreparedRequest
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response as TwilioResponse

from .errors import ContractViolation, UsageError
from .interactions import Interaction, Session, check_interaction
from .report import Report

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


def full_url(url: str, params: Any = None) -> str:
    """The URL with its query parameters encoded as requests sends them (lists repeat)."""
    prepared = PreparedRequest()
    prepared.prepare_url(url, params)
    return str(prepared.url)


class CheckingHttpClient(TwilioHttpClient):  # type: ignore[misc]  # twilio ships no type information
    """A ``TwilioHttpClient`` that checks every Binding response it receives.

    ``check="raise"`` raises :class:`ContractViolation` after a violating response;
    ``"collect"`` keeps the reports in ``.reports`` (``.violations`` lists the errors) so that
    bad payloads still reach the caller's code; ``"off"`` only forwards. ``redirect_to``
    (a base URL such as a fake's) sends every request for a ``*.twilio.com`` host there,
    whatever edge or region the SDK chose.
    """

    def __init__(
        self,
        check: CheckMode = "raise",
        *,
        profile: str = "strict",
        strict_fields: bool = False,
        redirect_to: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.checker = Checker(check, profile=profile, strict_fields=strict_fields)
        self.redirect_to = urlsplit(redirect_to) if redirect_to else None

    @property
    def reports(self) -> list[Report]:
        return self.checker.reports

    @property
    def violations(self) -> list[Any]:
        return self.checker.violations

    def _target(self, url: str) -> str:
        parts = urlsplit(url)
        if self.redirect_to is not None and (parts.hostname or "").endswith("twilio.com"):
            return urlunsplit(parts._replace(scheme=self.redirect_to.scheme, netloc=self.redirect_to.netloc))
        return url

    def request(
        self,
        method: str,
        url: str,
        params: Any = None,
        data: Any = None,
        headers: Any = None,
        auth: Any = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> TwilioResponse:
        target = self._target(url)
        response = super().request(method, target, params, data, headers, auth, timeout, allow_redirects)
        self.checker(Interaction(method, full_url(target, params), response.status_code, response.text))
        return response


def check_response(
    response: Any,
    *,
    checker: Checker | None = None,
    profile: str = "strict",
    strict_fields: bool = False,
) -> Report | None:
    """Check one ``requests.Response``; None when it is no Binding operation.

    Pass the same ``checker`` (``Checker("collect")``, say) for every response of one
    session to get the sequence rules; without one, a violation raises.
    """
    checker = checker or Checker("raise", profile=profile, strict_fields=strict_fields)
    request = response.request
    return checker(Interaction(request.method, request.url, response.status_code, response.content))


def response_hook(checker: Checker | None = None) -> Callable[..., Any]:
    """A ``requests`` response hook: ``session.hooks["response"].append(response_hook())``."""
    checker = checker or Checker("raise")

    def hook(response: Any, *args: Any, **kwargs: Any) -> Any:
        check_response(response, checker=checker)
        return response

    return hook
