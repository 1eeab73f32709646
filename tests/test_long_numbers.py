"""The search for number text orjson may read inexactly, over each byte's class, finds what the
search over the text finds: the same answer for every text."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from binding_contracts._inputs import _LONG_DOCUMENT, _LONG_NUMBER, long_numbers

# the bytes each class of the pattern names, one of no class, and a UTF-8 lead byte
_BYTES = st.sampled_from(list(b'0123456789.eE+-:,[ \t\r\nxa"\xc3'))
texts = st.lists(_BYTES, max_size=48).map(bytes)
digit_runs = st.integers(15, 22).map(lambda n: b"7" * n)


@settings(max_examples=1000)
@given(texts, st.none() | digit_runs, texts)
@example(b'{"a": 1e308}', None, b"")
@example(b'{"a":[ -', b"1" * 19, b"]}")
@example(b'{"sid": "ACe3e706"}', None, b"")
def test_the_search_over_classes_answers_as_the_search_over_the_text(
    head: bytes, run: bytes | None, tail: bytes
) -> None:
    data = head + (run or b"") + tail
    expected = _LONG_NUMBER.search(data) is not None or _LONG_DOCUMENT.match(data) is not None
    assert long_numbers(data) == expected
