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
     "\u0130", "\u212a", "\u212aEN", "TO\u212a", "\udc80", "\ud800", "\u03a3", "ß", "_", "-", " ", "x"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_PARTS | st.text(max_size=3), max_size=12).map("".join))
@example('{"authtoKEN": 1, "é": 2}')
@example('{"authto\u212aen": 1, "é": 2}')
@example('{"accessto\u212aen=": "é"}')
def test_the_first_look_says_what_str_lower_says(text: str) -> None:
    assert leaks._may_hold(text) == _by_str_lower(text)
