"""Realistic values no schema describes: device tokens, application user ids, dates, Twilio errors.

Every function takes a :class:`~binding_contracts.generation.source.Source`; its first option is the
plainest, so a shrunk example reads simply (identity ``"0"``, a 2016 date, an empty message-type list).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from typing import Final

from .source import Source, choice

# Chat v2 went live in 2016; nothing here reads the clock, so output never depends on the day it runs.
EARLIEST: Final = datetime(2016, 1, 1, tzinfo=UTC)
LATEST: Final = datetime(2029, 12, 31, 23, 59, 59, tzinfo=UTC)
UPDATED_WITHIN: Final = 2 * 365 * 24 * 3600
"""A binding is updated (its token refreshed) at most about two years after it was created."""

_B64URL: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_LOWER: Final = "abcdefghijklmnopqrstuvwxyz0123456789"
_GIVEN: Final = ("kim", "maria", "james", "aiko", "olu", "priya", "noah", "fatima", "lena", "diego")
_FAMILY: Final = ("lee", "garcia", "smith", "tanaka", "okafor", "patel", "jones", "haddad", "berg", "silva")
_NON_ASCII: Final = ("zoë", "josé", "søren", "łukasz", "chloé", "müller", "françois", "иван", "李娜", "田中")
_DOMAINS: Final = ("example.org", "example.com", "example.net")
_RESERVED_SEPARATORS: Final = ("&", "'", "+", "/")


def written_date(moment: datetime) -> str:
    """RFC 3339 in UTC with ``Z``, to the second, as Twilio writes dates."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def created(source: Source) -> datetime:
    return EARLIEST + timedelta(seconds=source.integer(0, int((LATEST - EARLIEST).total_seconds())))


def created_and_updated(source: Source) -> tuple[datetime, datetime]:
    """A creation and an update not before it, from one choice (both shrink to the earliest date)."""
    span = int((LATEST - EARLIEST).total_seconds()) + 1
    value = source.integer(0, span * (UPDATED_WITHIN + 1) - 1)
    moment = EARLIEST + timedelta(seconds=value % span)
    return moment, moment + timedelta(seconds=value // span)


def later(source: Source, moment: datetime) -> datetime:
    return moment + timedelta(seconds=source.integer(0, UPDATED_WITHIN))


def earlier(source: Source, moment: datetime) -> datetime:
    return moment - timedelta(seconds=source.integer(0, UPDATED_WITHIN))


def _expand(seed: int, n: int, alphabet: str) -> str:
    """``n`` characters of ``alphabet`` (64 or 16 of them) derived from a 64-bit seed: a long token
    costs Hypothesis one small choice, not hundreds, and still shrinks (to seed 0)."""
    out = bytearray()
    counter = 0
    while len(out) < n:
        out += hashlib.blake2b(seed.to_bytes(8, "big") + counter.to_bytes(4, "big"), digest_size=64).digest()
        counter += 1
    return "".join(alphabet[b % len(alphabet)] for b in out[:n])


def _apns(seed: int) -> str:
    return _expand(seed, 64, "0123456789abcdef")  # an APNs device token: 32 bytes in hex


def _fcm(seed: int) -> str:
    token = _expand(seed, 145, _B64URL)  # an FCM registration token: instance id, ':APA91b', 134 chars
    return f"{token[:11]}:APA91b{token[11:]}"


def _gcm(seed: int) -> str:
    return "APA91b" + _expand(seed, 134, _B64URL)  # a legacy GCM registration id


def _opaque(seed: int) -> str:
    return _expand(seed, 64, _B64URL)


ENDPOINTS: Final[dict[str, Callable[[int], str]]] = {"apn": _apns, "fcm": _fcm, "gcm": _gcm}
"""Device-token shapes by Twilio's binding type; a type the schema adds later gets an opaque token."""


def endpoint(source: Source, binding_type: str) -> str:
    return ENDPOINTS.get(binding_type, _opaque)(source.bits(64))


def _slug(source: Source) -> str:
    return source.text(_LOWER, 1, 12)


def _dotted(source: Source) -> str:
    return f"{choice(source, _GIVEN)}.{choice(source, _FAMILY)}"


def _numbered(source: Source) -> str:
    return f"{choice(source, _GIVEN)}{source.integer(1, 9999)}"


def _uuid(source: Source) -> str:
    h = f"{source.bits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _non_ascii(source: Source) -> str:
    return f"{choice(source, _NON_ASCII)}.{choice(source, _FAMILY)}"


def _email(source: Source) -> str:
    return f"{_dotted(source)}@{choice(source, _DOMAINS)}"


def _phone(source: Source) -> str:
    return f"+1{source.integer(2012000000, 9899999999)}"


def _punctuated(source: Source) -> str:
    return choice(source, _GIVEN) + choice(source, _RESERVED_SEPARATORS) + choice(source, _FAMILY)


PLAIN_IDENTITIES: Final = (_slug, _dotted, _numbered, _uuid, _non_ascii)
"""Application user ids without URI-reserved characters (non-ASCII ones included)."""
RESERVED_IDENTITIES: Final = (_email, _phone, _punctuated)
"""User ids with URI-reserved characters (``@ + & ' /``): valid, but the identity-reserved warning."""


def identity(source: Source, *, plain: bool = False) -> str:
    styles = PLAIN_IDENTITIES if plain else PLAIN_IDENTITIES + RESERVED_IDENTITIES
    return choice(source, styles)(source)


def reserved_identity(source: Source) -> str:
    return choice(source, RESERVED_IDENTITIES)(source)


def message_types(source: Source, known: tuple[str, ...]) -> tuple[str, ...]:
    """A subset of the documented types, in their documented order; shrinks to none."""
    mask = source.bits(len(known))
    return tuple(t for i, t in enumerate(known) if mask >> i & 1)


# Twilio error codes as Twilio sends them with each status; message "{resource}" is filled in.
TWILIO_ERRORS: Final = {
    400: (20001, "Invalid PageSize"),
    401: (20003, "Authenticate"),
    403: (20403, "Forbidden"),
    404: (20404, "The requested resource {resource} was not found"),
    405: (20004, "Method not allowed"),
    429: (20429, "Too Many Requests"),
    500: (20500, "Internal Server Error"),
    503: (20503, "Service Unavailable"),
}
STATUSES: Final = (404, 400, 401, 403, 405, 429, 500, 502, 503)
"""The statuses a Binding request meets; 502 (a gateway's answer) comes without code or more_info."""


def error_code(status: int) -> int:
    return TWILIO_ERRORS[status][0] if status in TWILIO_ERRORS else 20000 + status % 1000


def error_message(status: int, resource: Callable[[], str]) -> str:
    """Twilio's message for a status; ``resource()`` names the resource a 404 did not find."""
    if status in TWILIO_ERRORS:
        template = TWILIO_ERRORS[status][1]
        return template.format(resource=resource()) if "{resource}" in template else template
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


# Members Twilio may add to a binding later (its OpenAPI lists no additionalProperties: false): a
# client that reads a body into a closed type meets them first. Each with the kind of value such
# a member would hold.
FUTURE_MEMBERS: Final[dict[str, Callable[[Source], object]]] = {
    "friendly_name": _slug,
    "notification_enabled": lambda s: choice(s, (True, False)),
    "attributes": lambda s: {} if choice(s, (True, False)) else {"locale": choice(s, ("en-US", "de-DE"))},
    "date_last_notified": lambda s: choice(s, (None, written_date(created(s)))),
}
"""Undocumented members the published profile's bodies may carry, by name: a value of each."""
