"""The schema layer's fast yes/no: jsonschema-rs validators per kind and profile.

It only ever vouches for a document: "valid" must mean the reference validator (jsonschema, see
:mod:`.validation`) finds nothing; anything it is unsure of answers "not vouched for", and the
reference path then reports the details. Formats use sufficient shortcuts before :mod:`.formats`.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, Final

import jsonschema_rs

from .formats import is_absolute_uri, is_date_time
from .schemas import profile_schemas, schema_file

# Shapes that are certainly what formats.py accepts; anything else is asked of formats.py itself.
# Days 01-28 exist in every month; year 0000 is not a year for RFC 3339.
DATE_TIME_SHAPE: Final = re.compile(
    r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(?:\.[0-9]+)?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)
_PCHAR: Final = r"(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})"
URI_SHAPE: Final = re.compile(
    rf"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:/(?:{_PCHAR}|/)*)?(?:\?(?:{_PCHAR}|[/?])*)?"
)
_PLAIN: Final = frozenset({str, int, float, bool, type(None)})


def date_time(value: str) -> bool:
    if DATE_TIME_SHAPE.fullmatch(value) is not None and not value.startswith("0000"):
        return True
    return is_date_time(value)


def absolute_uri(value: str) -> bool:
    return URI_SHAPE.fullmatch(value) is not None or is_absolute_uri(value)


@cache
def _validator(kind: str, profile: str) -> Any:
    docs = profile_schemas(profile)
    registry = jsonschema_rs.Registry([(doc["$id"], doc) for doc in docs.values()])
    try:
        return jsonschema_rs.validator_for(
            docs[schema_file(kind)],
            registry=registry,
            validate_formats=True,
            formats={"date-time": date_time, "uri": absolute_uri},
        )
    except (ValueError, jsonschema_rs.ReferencingError):  # pragma: no cover  (a schema it cannot compile)
        return None


def is_plain(doc: object) -> bool:
    """Whether a Python value is made of JSON's own types only: jsonschema-rs takes a tuple for an
    array, which jsonschema does not, so a value from elsewhere than a JSON parser is looked at first."""
    stack = [doc]
    while stack:
        node = stack.pop()
        if type(node) is dict:
            for key in node:
                if type(key) is not str:
                    return False
            stack.extend(node.values())
        elif type(node) is list:
            stack.extend(node)
        elif type(node) not in _PLAIN:
            return False
    return True


def vouches(doc: Any, kind: str, profile: str, *, parsed: bool = False) -> bool:
    """True only when the reference validator would find no schema violation in ``doc``.

    ``parsed``: ``doc`` comes straight from a JSON parser, so it holds JSON's own types only."""
    validator = _validator(kind, profile)
    if validator is None or not (parsed or is_plain(doc)):
        return False
    try:
        return bool(validator.is_valid(doc))
    except ValueError:  # a value jsonschema-rs cannot convert (a float subclass, a huge number…)
        return False
