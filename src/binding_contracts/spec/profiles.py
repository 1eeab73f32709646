"""The contract's profiles: a module of its own, so that what only needs their names (the pytest
plugin's options, the command line) imports nothing else."""

from __future__ import annotations

from typing import Final

PROFILES: Final = ("strict", "published")
"""``strict`` (default): every documented field present, null only where Twilio really sends
it. ``published``: exactly Twilio's OpenAPI, every field optional and nullable as published."""
