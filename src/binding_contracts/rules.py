"""The rule catalogue: every rule id, the kinds it applies to, and the function that checks it.

The public import path; the implementation is :mod:`binding_contracts.checking.catalogue`.
"""

from .checking.catalogue import (
    RULES,
    SCHEMA_KEYWORDS,
    Context,
    Finding,
    Request,
    Rule,
    RuleFunc,
    rule,
    rules_for,
)

__all__ = [
    "RULES",
    "SCHEMA_KEYWORDS",
    "Context",
    "Finding",
    "Request",
    "Rule",
    "RuleFunc",
    "rule",
    "rules_for",
]
