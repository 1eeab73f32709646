"""The one namer of JSON's types (`_json.type_name`, `_json.a_type`), held against jsonschema's type
checker: every message that names a value's type (schema violations, drift, observe) says what a
JSON Schema validator would."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from binding_contracts._json import a_type, type_name

CHECKER = Draft202012Validator.TYPE_CHECKER
NAMES = ("object", "array", "string", "boolean", "integer", "number", "null")
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=5
)


@given(VALUES)
def test_the_name_is_the_one_type_jsonschema_gives_the_value(value: Any) -> None:
    name = type_name(value)
    assert CHECKER.is_type(value, name)
    # the narrowest: an integer is also a number, and jsonschema calls a float with no fraction an
    # integer; anything else is of one type alone
    others = {n for n in NAMES if n != name and CHECKER.is_type(value, n)}
    assert others <= ({"number"} if name == "integer" else {"integer"} if name == "number" else set())
    assert a_type(value).endswith(name)
    assert a_type(value) == name or a_type(value).split(" ")[0] in ("a", "an")


def test_subclasses_are_their_json_type_and_other_values_their_python_type() -> None:
    assert type_name(OrderedDict()) == "object"
    assert type_name(True) == "boolean"
    assert a_type(None) == "null"
    assert a_type({1}) == "a set"
    assert a_type(b"x") == "a bytes"
