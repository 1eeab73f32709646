"""jsonschema errors -> violations: one rule id per keyword, the pointer naming the field."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any, cast

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from ._json import pointer
from .formats import format_checker
from .report import Violation, shorten
from .schemas import registry, validator

_JSON_TYPES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    type(None): "null",
}

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


def json_type(value: object) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def schema_violations(doc: Any, kind: str, profile: str) -> Iterator[Violation]:
    """Every schema failure of ``doc`` as a violation ``schema.<keyword>``."""
    for error in validator(kind, profile).iter_errors(doc):
        yield from _convert(error)


@cache
def _member_validator(location: str) -> Draft202012Validator:
    return Draft202012Validator(
        {"$ref": location}, registry=registry("strict"), format_checker=format_checker()
    )


def member_violations(location: str, value: Any) -> list[Violation]:
    """The strict schema's violations of one member's value, given the absolute URI of its schema."""
    return [v for error in _member_validator(location).iter_errors(value) for v in _convert(error)]


def _convert(error: ValidationError) -> Iterator[Violation]:
    keyword = str(error.validator)
    path = list(error.absolute_path)
    if keyword == "anyOf" and error.context:
        # A nullable value (anyOf [schema, null]): the value is not null, so what it
        # failed is the first branch; report that branch's errors.
        first = [e for e in error.context if e.relative_schema_path[0] == 0]
        if first:
            for sub in first:
                yield from _convert(sub)
            return
    if keyword == "required":
        for name in cast(list[str], error.validator_value):
            if isinstance(error.instance, dict) and name not in error.instance:
                yield Violation(
                    "schema.required",
                    pointer([*path, name]),
                    f"required member {name!r} is missing",
                )
        return
    yield Violation(f"schema.{keyword}", pointer(path), _message(keyword, error), value=error.instance)


def _message(keyword: str, error: ValidationError) -> str:
    value, expected = error.instance, cast(Any, error.validator_value)
    shown = shorten(value)
    if keyword == "type":
        types = expected if isinstance(expected, list) else [expected]
        wanted = " or ".join(_SCHEMA_TYPES.get(str(t), str(t)) for t in types)
        return f"expected {wanted}, got {json_type(value)} {shown}"
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
    return str(error.message)
