"""check_interaction(): one HTTP exchange judged with its request known, and a Session that
carries listing walks and deletions from one exchange to the next.

The public import path; the implementation is :mod:`binding_contracts.traffic.interactions`.
"""

from .traffic.interactions import *  # noqa: F403
from .traffic.interactions import __all__ as __all__
