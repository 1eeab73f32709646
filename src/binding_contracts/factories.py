"""The Faker provider: realistic, valid payloads from Faker's seeded generator.

The public import path; the implementation is :mod:`binding_contracts.generation.provider`.
"""

from .generation.provider import *  # noqa: F403
from .generation.provider import __all__ as __all__
