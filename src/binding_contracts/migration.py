"""What a client saw of the same identities from Chat v2 and from Conversations v1, compared across
the renamed members and message types: the migration aid behind ``binding-contracts migrate-check``.

The public import path; the implementation is :mod:`binding_contracts.traffic.migration`.
"""

from .traffic.migration import *  # noqa: F403
from .traffic.migration import __all__ as __all__
