"""Recording safely with vcrpy: credentials never reach a cassette, PII can be pseudonymised,
and every Binding response is checked as it is recorded.

The public import path; the implementation is :mod:`binding_contracts.traffic.recording`.
"""

from .traffic.recording import *  # noqa: F403
from .traffic.recording import __all__ as __all__
