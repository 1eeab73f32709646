"""A local fake of the Binding API that the real ``twilio`` SDK can talk to."""

from __future__ import annotations

from ..errors import PortUnavailable
from ..extras import needs

with needs("fake", "binding_contracts.fake"):
    from .faults import Fault
    from .server import FakeBindingAPI

__all__ = ["FakeBindingAPI", "Fault", "PortUnavailable"]
