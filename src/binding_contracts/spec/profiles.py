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

SPEC_PREFIX: Final = "openapi:"
"""The names of the profiles read from OpenAPI files start so (:mod:`.openapi_profile`)."""


def schema_only(profile: str) -> bool:
    """Whether a profile is judged by its schemas alone: ``published``, and every profile read from
    an OpenAPI file (read as ``published`` is read from the bundled spec)."""
    return profile == SCHEMA_ONLY or profile.startswith(SPEC_PREFIX)


def profile_arg(value: str) -> ProfileArg:
    """A profile named on a command line or in an ini file: a profile's name, else a file's path."""
    from pathlib import Path

    return value if value in PROFILES or value.startswith(SPEC_PREFIX) else Path(value)


def holds_strict(profile: str) -> bool:
    """Whether every document valid under ``strict`` is valid under a profile (so that what the text
    shapes vouch for needs no schema): every profile but those read from specs, which may refuse
    what schemas/ allows (an older revision's enum, a member it does not document)."""
    return not profile.startswith(SPEC_PREFIX)
