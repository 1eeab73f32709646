"""The schema layer's fast path: jsonschema-rs validators per kind and profile, their errors worded
as the reference validator's (jsonschema, see :mod:`.reference`) are.

Whatever it is unsure of (a value it cannot take, an error kind not mapped) it leaves to the
reference path. Formats use sufficient shortcuts before :mod:`...spec.formats`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import cache
from typing import Any, Final

from ..._json import pointer
from ...report import Violation
from ...spec.formats import is_absolute_uri, is_date_time
from ...spec.schemas import DEFS_FILE, profile_schemas, schema_file
from .messages import required_message, schema_message

# Shapes that are certainly what formats.py accepts; anything else (a leap second, lower case, day 29
# to 31) is asked of formats.py itself, which replaces jsonschema-rs's own date-time check: one
# grammar on both schema paths. Days 01-28 exist in every month; year 0000 is not a year for RFC 3339.
DATE_TIME_SHAPE: Final = re.compile(
    r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(?:\.[0-9]+)?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)
_PCHARS: Final = "-A-Za-z0-9._~!$&'()*+,;=:@"
URI_SHAPE: Final = re.compile(
    rf"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:/(?:[{_PCHARS}/]++|%[0-9A-Fa-f]{{2}})*+)?"
    rf"(?:\?(?:[{_PCHARS}/?]++|%[0-9A-Fa-f]{{2}})*+)?"
)
"""Path and query as runs of plain characters taken whole and never given back (possessive: an
alternation per character cost a microsecond a url)."""


def date_time(value: str) -> bool:
    if DATE_TIME_SHAPE.fullmatch(value) is not None and not value.startswith("0000"):
        return True
    return is_date_time(value)


def absolute_uri(value: str) -> bool:
    return URI_SHAPE.fullmatch(value) is not None or is_absolute_uri(value)


@cache
def _validator(kind: str, profile: str, member: str | None = None) -> Any:
    """The validator of a kind's documents, or of one of its members' values (``member``: the
    schema of that property, referred to where the kind's schema has it)."""
    docs = profile_schemas(profile)
    schema = docs[schema_file(kind)]
    if member is not None:
        schema = {"$schema": schema["$schema"], "$ref": f"{schema['$id']}#/properties/{member}"}
    return _compiled(profile, schema)


def _compiled(profile: str, schema: dict[str, Any]) -> Any:
    import jsonschema_rs  # imported when a document first needs it: a text that fits needs none

    docs = profile_schemas(profile)
    registry = jsonschema_rs.Registry([(doc["$id"], doc) for doc in docs.values()])
    try:
        return jsonschema_rs.validator_for(
            schema,
            registry=registry,
            validate_formats=True,
            formats={"date-time": date_time, "uri": absolute_uri},
        )
    except (ValueError, jsonschema_rs.ReferencingError):  # pragma: no cover  (a schema it cannot compile)
        return None


_ANNOTATIONS: Final = frozenset(("title", "description", "examples", "default", "$comment"))
_Assertion = tuple[str, Any, Any]
"""One keyword of a member's schema: the keyword, what it expects, its own validator."""


def _annotation(key: str) -> bool:
    return key.startswith("x-") or key in _ANNOTATIONS


@cache
def _member(kind: str, profile: str, member: str) -> tuple[Any, tuple[_Assertion, ...] | None, str]:
    """A member's validator, its keywords each with its own (:func:`_assertions`), its pointer."""
    return _validator(kind, profile, member), _assertions(kind, profile, member), pointer([member])


def _assertions(kind: str, profile: str, member: str) -> tuple[_Assertion, ...] | None:
    """The keywords of a member whose schema is one ``$defs`` entry of keywords the contract words
    (type, pattern, format, enum, bounds), each with a validator of its own; None for any other
    schema (nullable, an object, an array's items), whose errors jsonschema-rs lists."""
    docs = profile_schemas(profile)
    node = docs[schema_file(kind)]["properties"][member]
    ref = node.get("$ref")
    if not isinstance(ref, str) or not ref.startswith(DEFS_FILE + "#/$defs/"):
        return None
    if not all(key == "$ref" or _annotation(key) for key in node):
        return None
    target = docs[DEFS_FILE]["$defs"].get(ref.rsplit("/", 1)[1])
    keywords = [key for key in target or () if not _annotation(key)]
    if not target or not set(keywords) <= _WORDED:
        return None
    schema = docs[schema_file(kind)]["$schema"]
    return tuple(
        (key, target[key], _compiled(profile, {"$schema": schema, key: target[key]})) for key in keywords
    )


_KEYWORDS: Final = {
    "Required": "required",
    "Type": "type",
    "Pattern": "pattern",
    "Format": "format",
    "Enum": "enum",
    "Minimum": "minimum",
    "Maximum": "maximum",
    "MinLength": "minLength",
}
"""The jsonschema-rs error kinds the contract's schemas can raise, and the keyword of each."""
_WORDED: Final = frozenset(_KEYWORDS.values()) - {"required"}
"""The keywords of a value (not of an object's members) that :func:`.messages.schema_message` words."""
_EXPECTED: Final = {"type": "types", "pattern": "pattern", "format": "format", "enum": "options"}
"""Where a kind keeps what the schema expected (``limit`` for the others)."""


def violations(doc: Any, kind: str, profile: str, *, parsed: bool = False) -> list[Violation] | None:
    """The schema violations of ``doc`` as the reference path words them, found by jsonschema-rs; None
    when it cannot say (a value it cannot take, an error kind not mapped): the reference path then.
    ``parsed``: the document is made of JSON's own types exactly (:func:`.jsonvalue.admit` says so;
    jsonschema-rs takes a tuple for an array, which jsonschema does not)."""
    validator = _validator(kind, profile)
    if validator is None or not parsed:
        return None
    try:
        errors = list(validator.iter_errors(doc))
    except ValueError:
        return None
    found: list[Violation] = []
    for error in errors:
        if not _convert(doc, error, found, []):
            return None
    return found


def member_violations(
    doc: dict[str, Any], kind: str, profile: str, members: Iterable[str]
) -> list[Violation] | None:
    """:func:`violations` of a parsed document of exactly the kind's documented members, each an
    object, an array or a scalar, when only ``members`` may hold any (the others being valid in the
    profile): each given to its own property's validator, the others never looked at."""
    found: list[Violation] = []
    for member in members:
        validator, assertions, at = _member(kind, profile, member)
        if validator is None:
            return None  # pragma: no cover  (a schema it cannot compile)
        value = doc[member]
        try:
            # listing the errors of a value costs ten times as much as asking yes or no: a member of
            # plain keywords is asked keyword by keyword, each failing one worded as _convert words
            # it; any other member is asked yes or no first
            if assertions is None:
                errors = [] if validator.is_valid(value) else list(validator.iter_errors(value))
            elif isinstance(value, float) and not math.isfinite(value):
                return None  # as _convert: jsonschema also reports an infinity's bounds
            else:
                errors = []
                for keyword, expected, own in assertions:
                    if not own.is_valid(value):
                        message = schema_message(keyword, value, expected) or ""
                        found.append(Violation.found(f"schema.{keyword}", at, message, "error", value))
        except ValueError:
            return None
        for error in errors:
            if not _convert(doc, error, found, [member]):
                return None
    return found


def _at(doc: Any, path: list[str | int]) -> Any:
    """The value at a path of the document itself (jsonschema-rs hands back a copy, its members
    reordered)."""
    for step in path:
        doc = doc[step]
    return doc


def _convert(doc: Any, error: Any, found: list[Violation], at: list[str | int]) -> bool:
    """``error`` worded into ``found`` (False: it cannot be); ``at`` is where in ``doc`` the value
    the validator was given sits."""
    detail = error.kind.as_dict()
    name = type(error.kind).__name__
    if name == "AnyOf":
        # A nullable value (anyOf [schema, null]) that is not null failed the first branch.
        branches = detail.get("context") or []
        return bool(branches and branches[0]) and all(_convert(doc, e, found, at) for e in branches[0])
    keyword = _KEYWORDS.get(name)
    if keyword is None:
        return False
    path = [*at, *error.instance_path]
    if keyword == "required":
        member = detail["property"]
        found.append(Violation("schema.required", pointer([*path, member]), required_message(member)))
        return True
    expected, value = detail[_EXPECTED.get(keyword, "limit")], _at(doc, path)
    if isinstance(value, float) and not math.isfinite(value):
        return False  # jsonschema-rs stops at the type of an infinity; jsonschema also reports its bounds
    message = schema_message(keyword, value, expected)
    found.append(Violation.found(f"schema.{keyword}", pointer(path), message or "", "error", value))
    return message is not None
