"""Contract tests, fixtures and a fake for Twilio's Programmable Chat v2 Binding API.

The names below are loaded on first use (PEP 562): the pytest plugin is loaded by every pytest
run of a project that has the package installed, and should cost nothing until a test opts in.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .contract import KindNotDetected as KindNotDetected
    from .contract import check as check
    from .contract import detect_kind as detect_kind
    from .contract import validate as validate
    from .errors import BindingContractsError as BindingContractsError
    from .errors import ContractViolation as ContractViolation
    from .errors import InputError as InputError
    from .errors import MissingExtra as MissingExtra
    from .errors import PortUnavailable as PortUnavailable
    from .errors import RecordingViolation as RecordingViolation
    from .errors import UsageError as UsageError
    from .profiles import PROFILES as PROFILES
    from .report import Report as Report
    from .report import Violation as Violation
    from .resources import KINDS as KINDS
    from .rules import RULES as RULES
    from .rules import Request as Request

_HOMES = {
    "KINDS": "resources",
    "PROFILES": "profiles",
    "RULES": "rules",
    "BindingContractsError": "errors",
    "ContractViolation": "errors",
    "InputError": "errors",
    "KindNotDetected": "contract",
    "RecordingViolation": "errors",
    "MissingExtra": "errors",
    "PortUnavailable": "errors",
    "Report": "report",
    "Request": "rules",
    "UsageError": "errors",
    "Violation": "report",
    "check": "contract",
    "detect_kind": "contract",
    "validate": "contract",
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
