"""Checking clients of the ``twilio`` SDK, sync and async: every Binding response it receives is
judged with its request known, and pages of one listing with the sequence rules.

The public import path; the implementation is :mod:`binding_contracts.traffic.live`.
"""

from .traffic.live import *  # noqa: F403
from .traffic.live import __all__ as __all__
