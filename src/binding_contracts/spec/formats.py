"""The format checks: RFC 3339 ``date-time`` and absolute RFC 3986 ``uri``, always on.

jsonschema's stock checker silently skips a format whose optional package is missing, so
the two formats the contract uses are registered here explicitly, from hard dependencies.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from rfc3339_validator import validate_rfc3339

if TYPE_CHECKING:
    from jsonschema import FormatChecker


def is_date_time(value: object) -> bool:
    """RFC 3339: ``2016-10-21T11:37:03Z``; fractions and offsets allowed, a space or a bare date not."""
    if not isinstance(value, str):
        return True
    return bool(validate_rfc3339(value))


def is_absolute_uri(value: object) -> bool:
    """An absolute URI (scheme, then hierarchy): ``https://chat.twilio.com/v2/…``."""
    if not isinstance(value, str):
        return True
    # Imported here: building its grammar costs ~10 ms, which a valid document never pays.
    from rfc3986_validator import validate_rfc3986

    return bool(validate_rfc3986(value, rule="URI"))


@cache
def format_checker() -> FormatChecker:
    """jsonschema's checker with exactly these two formats (jsonschema imported on first use)."""
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())
    checker.checks("date-time")(is_date_time)
    checker.checks("uri")(is_absolute_uri)
    return checker
