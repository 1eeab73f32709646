"""The contract's profiles: a module of its own, so that what only needs their names (the pytest
plugin's options, the command line) imports nothing else. Profile files: :mod:`.profile_files`."""

from __future__ import annotations

import os
from typing import Final

PROFILES: Final = ("strict", "published")
"""``strict`` (default): every documented field present, null only where Twilio really sends
it. ``published``: exactly Twilio's OpenAPI, every field optional and nullable as published."""

ProfileArg = str | os.PathLike[str]
"""What a ``profile`` argument takes: a profile's name, or a profile file's path."""

SCHEMA_ONLY: Final = "published"
"""The profile judged by its schemas alone; every other, a profile file too, runs the rules."""


def profile_arg(value: str) -> ProfileArg:
    """A profile named on a command line or in an ini file: a profile's name, else a file's path."""
    from pathlib import Path

    return value if value in PROFILES else Path(value)
