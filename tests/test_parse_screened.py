"""parse_screened() reads every text as the standard library reads it, and says ``slow=False`` only
where orjson's reading is that same document, type for type (an integer stays an exact int)."""

from __future__ import annotations

import json
from typing import Any

import orjson
from hypothesis import example, given, settings
from hypothesis import strategies as st

from binding_contracts._inputs import parse_screened

_DIGITS = st.text("0123456789", min_size=1, max_size=24).map(lambda d: d.lstrip("0") or "0")
_NUMBERS = st.one_of(
    st.tuples(st.sampled_from(["", "-"]), _DIGITS).map("".join),
    st.tuples(_DIGITS, st.sampled_from(["e", "E", "e+", "e-", ".5e"]), st.integers(0, 999)).map(
        lambda t: f"{t[0]}{t[1]}{t[2]}"
    ),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
)
_STRINGS = st.text("0123456789abcdefE+-.: ,[", max_size=30).map(lambda s: json.dumps(s))
_SPACE = st.sampled_from(["", " ", "\n  ", "\t"])
_SCALARS = st.one_of(_NUMBERS, _STRINGS, st.sampled_from(["true", "null"]))


def _array(items: list[str], space: str) -> str:
    return "[" + space + ("," + space).join(items) + space + "]"


def _object(items: list[str], space: str) -> str:
    return "{" + ",".join(f'{space}"k{n}":{space}{v}' for n, v in enumerate(items)) + space + "}"


texts = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.builds(_array, st.lists(inner, max_size=4), _SPACE),
        st.builds(_object, st.lists(inner, max_size=4), _SPACE),
    ),
    max_leaves=12,
).flatmap(lambda t: st.tuples(_SPACE, st.just(t), _SPACE).map("".join))


def _typed(doc: Any) -> Any:
    """``doc`` with each number's type beside it: 1 and 1.0 differ."""
    if isinstance(doc, dict):
        return {k: _typed(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_typed(v) for v in doc]
    return (type(doc).__name__, doc)


@settings(max_examples=600)
@given(texts)
@example("12345678901234567890")
@example("-9999999999999999999")
@example('{"a": 99999999999999999999}')
@example('[1e400, "x"]')
@example("[ -9999999999999999999]")
@example('{"sid": "BS1234567890123456789012"}')
def test_the_document_is_the_standard_library_s_and_orjson_s_only_when_they_agree(text: str) -> None:
    data = text.encode()
    doc, slow = parse_screened("t", data)
    expected = _typed(json.loads(text))
    assert _typed(doc) == expected
    if not slow:
        assert _typed(orjson.loads(data)) == expected
