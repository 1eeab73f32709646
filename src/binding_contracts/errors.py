"""Exceptions: misuse of the API, unreadable input, and the failed-contract assertion."""

from __future__ import annotations

import errno
from collections.abc import Iterable

from .report import Report, failure_text

__all__ = [
    "BindingContractsError",
    "ContractViolation",
    "InputError",
    "MissingExtra",
    "PortUnavailable",
    "RecordingViolation",
    "UsageError",
    "did_you_mean",
]


def did_you_mean(value: object, options: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` naming the option closest to a misspelt ``value``, or ``""``."""
    if not isinstance(value, str):
        return ""
    import difflib  # a misspelling is rare: no command's start pays for the module

    close = difflib.get_close_matches(value, list(options), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


class BindingContractsError(Exception):
    """Base of every exception this package raises on purpose."""


class UsageError(BindingContractsError, ValueError):
    """The caller asked for something that does not exist (a kind, a profile, a rule)."""


class InputError(BindingContractsError):
    """Input that cannot be read as a document: names the source and what is wrong."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        return type(self), (self.source, self.problem)  # pickled as made: --jobs sends it between processes


class MissingExtra(BindingContractsError, ModuleNotFoundError):
    """A module of an optional extra is not installed: the message names the extra to install.

    A ``ModuleNotFoundError``, so ``pytest.importorskip`` and ``except ImportError`` still apply.
    """

    def __init__(self, what: str, missing: str, extra: str) -> None:
        super().__init__(
            f"{what} needs {missing.partition('.')[0]}, which is not installed: "
            f"install binding-contracts[{extra}]",
            name=missing,
        )
        self.what, self.missing, self.extra = what, missing, extra


class PortUnavailable(BindingContractsError, OSError):
    """The fake Binding API cannot listen on its host and port (one in use, one not allowed)."""

    def __init__(self, host: str, port: int, cause: OSError) -> None:
        reason = cause.strerror or str(cause)
        hint = " (pass another port, or 0 for a free one)" if cause.errno == errno.EADDRINUSE else ""
        super().__init__(cause.errno, f"cannot listen on {host}:{port}: {reason}{hint}")
        self.host, self.port = host, port

    def __str__(self) -> str:
        return str(self.strerror)


class ContractViolation(BindingContractsError, AssertionError):
    """A payload broke the contract; ``.report`` holds every violation found."""

    def __init__(self, report: Report, message: str | None = None) -> None:
        super().__init__(report.render_text() if message is None else message)
        self.report = report


class RecordingViolation(ContractViolation):
    """A response broke the contract as vcrpy recorded or loaded it (the hooks of
    :func:`binding_contracts.traffic.recording.vcr_config`): the message names the cassette, the
    interaction's index and its request, as the pytest plugin's failures do."""

    def __init__(self, report: Report) -> None:
        super().__init__(report, failure_text(report.violations))
