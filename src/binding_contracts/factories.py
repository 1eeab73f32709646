"""The Faker provider: realistic, valid payloads from Faker's seeded generator.

The public import path; the implementation is :mod:`binding_contracts.generation.provider`.
"""

from .generation.provider import (
    BindingProvider,
)

__all__ = [
    "BindingProvider",
]
