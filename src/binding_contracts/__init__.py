"""Contract tests, fixtures and a fake for Twilio's Programmable Chat v2 Binding API.

The names below are loaded on first use (PEP 562): the pytest plugin is loaded by every pytest
run of a project that has the package installed, and should cost nothing until a test opts in.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .checking.catalogue import RULES as RULES
    from .checking.catalogue import Request as Request
    from .checking.entry import KindNotDetected as KindNotDetected
    from .checking.entry import check as check
    from .checking.entry import detect_kind as detect_kind
    from .checking.entry import validate as validate
    from .errors import BindingContractsError as BindingContractsError
    from .errors import ContractViolation as ContractViolation
    from .errors import InputError as InputError
    from .errors import MissingExtra as MissingExtra
    from .errors import PortUnavailable as PortUnavailable
    from .errors import RecordingViolation as RecordingViolation
    from .errors import UsageError as UsageError
    from .report import Report as Report
    from .report import Violation as Violation
    from .spec.kinds import KINDS as KINDS
    from .spec.profiles import PROFILES as PROFILES

_HOMES = {
    "KINDS": "spec.kinds",
    "PROFILES": "spec.profiles",
    "RULES": "checking.catalogue",
    "BindingContractsError": "errors",
    "ContractViolation": "errors",
    "InputError": "errors",
    "KindNotDetected": "checking.entry",
    "RecordingViolation": "errors",
    "MissingExtra": "errors",
    "PortUnavailable": "errors",
    "Report": "report",
    "Request": "checking.catalogue",
    "UsageError": "errors",
    "Violation": "report",
    "check": "checking.entry",
    "detect_kind": "checking.entry",
    "validate": "checking.entry",
}

__all__ = list(_HOMES)
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
