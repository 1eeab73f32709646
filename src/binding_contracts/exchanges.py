"""Checking HTTP exchanges as they happen: a :class:`Checker` keeps the walk and delete state of one
client, and a response of ``requests`` or ``httpx`` is judged with the request it carries.

The public import path; the implementation is :mod:`binding_contracts.traffic.exchanges`.
"""

from .traffic.exchanges import *  # noqa: F403
from .traffic.exchanges import __all__ as __all__
