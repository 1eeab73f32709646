"""The rule catalogue: every rule id, the kinds it applies to, and the function that checks it.

The public import path; the implementation is :mod:`binding_contracts.checking.catalogue`.
"""

from .checking.catalogue import *  # noqa: F403
from .checking.catalogue import __all__ as __all__
