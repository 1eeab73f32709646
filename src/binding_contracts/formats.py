"""The format checker: RFC 3339 ``date-time`` and absolute RFC 3986 ``uri``, always on.

jsonschema's stock checker silently skips a format whose optional package is missing, so
the two formats the contract uses are registered here explicitly, from hard dependencies.
"""

from __future__ import annotations

from jsonschema import FormatChecker
from rfc3339_validator import validate_rfc3339
from rfc3986_validator import validate_rfc3986

FORMAT_CHECKER = FormatChecker(formats=())


@FORMAT_CHECKER.checks("date-time")
def is_date_time(value: object) -> bool:
    """RFC 3339: ``2016-10-21T11:37:03Z``; fractions and offsets allowed, a space or a bare date not."""
    if not isinstance(value, str):
        return True
    return bool(validate_rfc3339(value))


@FORMAT_CHECKER.checks("uri")
def is_absolute_uri(value: object) -> bool:
    """An absolute URI (scheme, then hierarchy): ``https://chat.twilio.com/v2/…``."""
    if not isinstance(value, str):
        return True
    return bool(validate_rfc3986(value, rule="URI"))
