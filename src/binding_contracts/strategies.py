"""Hypothesis strategies of Binding API payloads: valid by construction, or broken in one named way.

The public import path; the implementation is :mod:`binding_contracts.generation.strategies`.
"""

from .generation.strategies import (
    Mutant,
    invalid_payloads,
    page_walks,
    payloads,
    targetable_rules,
    untargetable_rules,
)

__all__ = [
    "Mutant",
    "invalid_payloads",
    "page_walks",
    "payloads",
    "targetable_rules",
    "untargetable_rules",
]
