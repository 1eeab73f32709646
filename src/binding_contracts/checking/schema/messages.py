"""The wording of a schema violation, from its keyword, the value and what the schema expected: one
wording whichever validator found it (jsonschema on the reference path, jsonschema-rs on the fast
one)."""

from __future__ import annotations

from typing import Any

from ..._json import a_type
from ...report import shorten

_FORMAT_HINTS = {
    "date-time": "an RFC 3339 date-time such as 2016-10-21T11:37:03Z",
    "uri": "an absolute URI such as https://chat.twilio.com/v2/…",
}


_SCHEMA_TYPES = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "boolean": "a boolean",
    "integer": "an integer",
    "number": "a number",
    "null": "null",
}


def required_message(name: str) -> str:
    return f"required member {name!r} is missing"


def schema_message(keyword: str, value: Any, expected: Any) -> str | None:
    """The message of ``schema.<keyword>``, or None for a keyword the contract's schemas do not use."""
    shown = shorten(value)
    if keyword == "type":
        types = expected if isinstance(expected, list) else [expected]
        wanted = " or ".join(_SCHEMA_TYPES.get(str(t), str(t)) for t in types)
        got = "null" if value is None else f"{a_type(value)} {shown}"  # null is its own value
        return f"expected {wanted}, got {got}"
    if keyword == "pattern":
        return f"{shown} does not match {expected}"
    if keyword == "format":
        return f"{shown} is not {_FORMAT_HINTS.get(expected, 'a valid ' + str(expected))}"
    if keyword == "enum":
        return f"{shown} is not one of {', '.join(map(str, expected))}"
    if keyword == "minimum":
        return f"{shown} is less than the minimum {expected}"
    if keyword == "maximum":
        return f"{shown} is more than the maximum {expected}"
    if keyword == "minLength":
        return f"{shown} is shorter than {expected} character(s)"
    return None
