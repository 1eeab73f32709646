"""A local fake of the Binding API that the real ``twilio`` SDK can talk to."""

from __future__ import annotations

from .._extras import needs
from ..errors import PortUnavailable

with needs("fake", "binding_contracts.fake"):
    from .faults import Fault
    from .server import FakeBindingAPI

__all__ = ["FakeBindingAPI", "Fault", "PortUnavailable"]
