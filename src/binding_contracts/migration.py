"""What a client saw of the same identities from Chat v2 and from Conversations v1, compared across
the renamed members and message types: the migration aid behind ``binding-contracts migrate-check``.

The public import path; the implementation is :mod:`binding_contracts.traffic.migration`.
"""

from .traffic.migration import (
    Comparison,
    Difference,
    Key,
    Observed,
    Seen,
    compare,
    examples_dir,
    observe,
)

__all__ = [
    "Comparison",
    "Difference",
    "Key",
    "Observed",
    "Seen",
    "compare",
    "examples_dir",
    "observe",
]
