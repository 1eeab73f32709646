"""Recording safely with vcrpy: credentials never reach a cassette, PII can be pseudonymised,
and every Binding response is checked as it is recorded.

The public import path; the implementation is :mod:`binding_contracts.traffic.recording`.
"""

from .traffic.recording import (
    ACCOUNT_PLACEHOLDER,
    DEFAULT_PII_KEY,
    Redactor,
    deferred_to_plugin,
    vcr_config,
)

__all__ = [
    "ACCOUNT_PLACEHOLDER",
    "DEFAULT_PII_KEY",
    "Redactor",
    "deferred_to_plugin",
    "vcr_config",
]
