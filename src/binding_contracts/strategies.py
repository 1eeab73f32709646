"""Hypothesis strategies of Binding API payloads: valid by construction, or broken in one named way.

The public import path; the implementation is :mod:`binding_contracts.generation.strategies`.
"""

from .generation.strategies import *  # noqa: F403
from .generation.strategies import __all__ as __all__
