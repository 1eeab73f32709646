"""jsonschema errors -> violations: one rule id per keyword, the pointer naming the field."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any, cast

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from ..._json import pointer
from ...report import Violation
from ...spec.formats import format_checker
from ...spec.schemas import registry, validator, validator_class
from .messages import required_message, schema_message


def schema_violations(doc: Any, kind: str, profile: str) -> Iterator[Violation]:
    """Every schema failure of ``doc`` as a violation ``schema.<keyword>``."""
    for error in validator(kind, profile).iter_errors(doc):
        yield from _convert(error)


@cache
def _member_validator(location: str) -> Draft202012Validator:
    return validator_class()({"$ref": location}, registry=registry("strict"), format_checker=format_checker())


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
                    required_message(name),
                )
        return
    message = schema_message(keyword, error.instance, error.validator_value)
    yield Violation(f"schema.{keyword}", pointer(path), message or str(error.message), value=error.instance)
