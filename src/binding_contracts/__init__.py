"""Contract tests, fixtures and a fake for Twilio's Programmable Chat v2 Binding API."""

from __future__ import annotations

from .contract import KindNotDetected, check, detect_kind, validate
from .errors import BindingContractsError, ContractViolation, InputError, UsageError
from .report import Report, Violation
from .resources import KINDS
from .rules import RULES, Request
from .schemas import PROFILES

__all__ = [
    "KINDS",
    "PROFILES",
    "RULES",
    "BindingContractsError",
    "ContractViolation",
    "InputError",
    "KindNotDetected",
    "Report",
    "Request",
    "UsageError",
    "Violation",
    "check",
    "detect_kind",
    "validate",
]
__version__ = "0.1.0"
