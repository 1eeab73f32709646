"""The leak scan's first look lower-cases a text past ASCII as its UTF-8 bytes: it says what the
look over ``str.lower()`` says, for every text (``traffic/leaks.py``)."""

from __future__ import annotations

import sys

from hypothesis import example, given, settings
from hypothesis import strategies as st

from binding_contracts.traffic import leaks


def test_only_the_listed_characters_lower_to_ascii() -> None:
    into = [
        c
        for c in map(chr, range(128, sys.maxunicode + 1))
        if not 0xD800 <= ord(c) <= 0xDFFF and any(ord(x) < 128 for x in c.lower())
    ]
    assert "".join(into) == leaks.INTO_ASCII


def _by_str_lower(text: str) -> bool:
    if "\\u" in text or ("%" in text and leaks._LETTER_ESCAPE.search(text)):
        return True
    low = text.lower().replace("_", "").replace("-", "")
    return any(word in low for word in leaks._WORDS) and any(mark in low for mark in leaks._MARKS)


_PARTS = st.sampled_from(
    ["SeCrEt", "pass_W", "Auth-Token", "ACCESSTOKEN", "password", '"', "=", "%3D", "%3d", "é", "ü",
     "\u0130", "\u212a", "\u212aEN", "TO\u212a", "\udc80", "\ud800", "\u03a3", "ß", "_", "-", " ", "x",
     "\\u0053", "%53", "%40"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_PARTS | st.text(max_size=3), max_size=12).map("".join))
@example('{"authtoKEN": 1, "é": 2}')
@example('{"authto\u212aen": 1, "é": 2}')
@example('{"accessto\u212aen=": "é"}')
def test_the_first_look_says_what_str_lower_says(text: str) -> None:
    assert leaks._may_hold(text) == _by_str_lower(text)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(_PARTS.map(lambda p: p.encode("utf-8", "surrogatepass")) | st.binary(max_size=3), max_size=12)
)
@example([b'{"authto\xe2\x84\xaaen": 1, "\xff": 2}'])
@example([b'{"secret\xc4\xb0": 1, "x\xc4": "secre', b't="}'])
def test_the_first_look_at_a_bodys_bytes_says_what_str_lower_says_of_its_text(parts: list[bytes]) -> None:
    """A body's bytes, UTF-8 or not, looked at before they are decoded (as the scan decodes them)."""
    data = b"".join(parts)
    assert leaks._may_hold_utf8(data) == _by_str_lower(data.decode("utf-8", "surrogateescape"))
