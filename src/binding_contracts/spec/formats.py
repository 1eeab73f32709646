"""The format checks: RFC 3339 ``date-time`` and absolute RFC 3986 ``uri``, always on.

jsonschema's stock checker silently skips a format whose optional package is missing, so
the two formats the contract uses are registered here explicitly. A date-time is read here, by
one grammar, for every path that judges or orders one: the format check (both schema paths),
``binding.dates-ordered``, the fake's ordering of recorded bindings and the generators' pins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from jsonschema import FormatChecker

DATE_TIME: Final = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})[Tt]"
    r"(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})(?:\.(?P<fraction>[0-9]+))?"
    r"(?:[Zz]|(?P<sign>[+-])(?P<off_hour>[0-9]{2}):(?P<off_minute>[0-9]{2}))"
)
"""RFC 3339 section 5.6's ``date-time``, as written: ``T`` and ``Z`` in either case (its note to the
grammar), any number of fraction digits, ``Z`` or a numeric offset; a space for ``T``, a date alone,
ISO 8601's basic format or a missing second are not RFC 3339. The ranges are checked in code."""

_SECONDS_PER_DAY: Final = 86_400


@dataclass(frozen=True, order=True)
class Instant:
    """A date-time as a point on UTC's time line, exactly: whole UTC seconds since 0001-01-01, whether
    it is a leap second (``23:59:60`` in UTC: after every instant of second 59, before the next day),
    and the fraction as written. Instants compare in time order; no digit of a fraction is lost."""

    seconds: int
    leap: bool
    fraction: Decimal

    def floor(self) -> datetime:
        """The whole UTC second at or before this instant (a leap second: ``23:59:59``)."""
        return datetime(1, 1, 1, tzinfo=UTC) + timedelta(seconds=self.seconds)

    def ceiling(self) -> datetime:
        """The whole UTC second at or after this instant (a leap second: the next day's ``00:00:00``)."""
        later = self.leap or self.fraction > 0
        return self.floor() + timedelta(seconds=1 if later else 0)


def date_time_instant(value: str) -> Instant | None:
    """The instant an RFC 3339 date-time names, or None if ``value`` is not one.

    Every field is range-checked (a day that its month has, hour 00-23, minute 00-59, an offset of
    at most 23:59); second 60 is a leap second and is accepted where one can fall: in the last
    minute of a UTC day (``23:59:60Z``, ``15:59:60-08:00``), on any date, as RFC 3339 section 5.7
    leaves the leap-second table to applications that have one. Year 0000 is refused (no such year
    in the Gregorian calendar RFC 3339 uses, and Python has none)."""
    m = DATE_TIME.fullmatch(value)
    if m is None:
        return None
    year, month, day = int(m["year"]), int(m["month"]), int(m["day"])
    hour, minute, second = int(m["hour"]), int(m["minute"]), int(m["second"])
    try:
        ordinal = date(year, month, day).toordinal() - 1
    except ValueError:  # year 0000, month 13, February 30
        return None
    offset = 0
    if m["sign"] is not None:
        off_hour, off_minute = int(m["off_hour"]), int(m["off_minute"])
        if off_hour > 23 or off_minute > 59:
            return None
        offset = (off_hour * 60 + off_minute) * (-1 if m["sign"] == "-" else 1)
    if hour > 23 or minute > 59 or second > 60:
        return None
    utc_minute = ordinal * 1440 + hour * 60 + minute - offset
    leap = second == 60
    if leap and utc_minute % 1440 != 1439:
        return None
    seconds = utc_minute * 60 + (59 if leap else second)
    return Instant(seconds, leap, Decimal(f"0.{m['fraction'] or 0}"))


def is_date_time(value: object) -> bool:
    """RFC 3339: ``2016-10-21T11:37:03Z``; fractions, offsets, lower-case ``t``/``z`` and leap
    seconds allowed, a space or a bare date not (:func:`date_time_instant`)."""
    if not isinstance(value, str):
        return True
    return date_time_instant(value) is not None


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
