"""Untrusted text as every output writes it (binding_contracts._printable): one line of printable
characters, nothing a terminal or a CI runner executes, what was printable kept as it was."""

from __future__ import annotations

import json
import re
from typing import Final

from hypothesis import example, given
from hypothesis import strategies as st

from binding_contracts._printable import json_text, printable, printable_json

HOSTILE: Final = (
    "\x1b[31m",  # ANSI: a colour
    "\x1b]8;;https://evil.example\x07",  # OSC 8: a hyperlink
    "\x1b]0;title\x1b\\",  # OSC: the window title
    "\x9b31m",  # C1 CSI
    "\x85",  # C1 NEL: a line break to some readers
    "\n::add-mask::z",
    "\r\n::error file=README.md,line=1::forged",
    "::warning::x",
    "  ::notice::indented",
    "%0A::add-mask::y",
    "##vso[task.setvariable variable=x]1",
    "##[set-env name=x;]y",
    "\u202e",
    "\u202a",
    "\u2066",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
    "\u2028",
    "\u2029",
    "\x00",
    "\x0c",
    "\x0b",
    "\t",
    "\x7f",
    "\ufffe",
    "\uffff",
    "\ud800",
    "\udfff",
    "\udcff",  # an undecodable byte of a file name, as Python keeps it
    "\\x1b",  # an escape's own text
    "é漢😀",
    " ",
    "a",
    ":",
    "#",
)
"""Fragments that a payload, a cassette, a spec or a file name may carry into an output."""

hostile_text = st.one_of(
    st.lists(st.sampled_from(HOSTILE), max_size=6).map("".join),
    st.text(st.characters(codec=None, exclude_categories=()), max_size=40),
)

FORBIDDEN: Final = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
"""What no output line may hold raw: C0, DEL, C1, line and paragraph separators, bidi controls,
lone surrogates, the noncharacters XML 1.0 forbids."""
LOGGING_COMMAND: Final = re.compile(r"##(vso)?\[", re.IGNORECASE)


def assert_safe_line(line: str) -> None:
    """One line no runner or terminal executes and every format's grammar takes."""
    assert line.isprintable(), ascii(line)
    assert FORBIDDEN.search(line) is None, ascii(line)
    line.encode("utf-8")  # strict: no lone surrogate left
    assert not line.lstrip(" ").startswith("::"), ascii(line)
    assert LOGGING_COMMAND.search(line) is None, ascii(line)


class TestPrintable:
    @given(hostile_text)
    @example("\x1b[31m\n::add-mask::z\u202e\ud800")
    def test_any_text_is_one_safe_line(self, text: str) -> None:
        assert_safe_line(printable(text))

    @given(hostile_text)
    def test_printing_twice_changes_nothing_more(self, text: str) -> None:
        assert printable(printable(text)) == printable(text)

    @given(st.text(st.characters(exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"), include_characters=" :#[")))
    def test_printable_text_is_kept_as_it_is_but_a_command_s_opening(self, text: str) -> None:
        shown = printable(text)
        if text.isprintable() and not text.lstrip(" ").startswith("::") and LOGGING_COMMAND.search(text) is None:
            assert shown == text
        else:
            assert shown.replace("\\x3a", ":").replace("\\x23", "#") == text

    def test_each_character_is_written_as_python_s_repr_writes_it(self) -> None:
        for char in ("\x1b", "\n", "\t", "\x7f", "\x9b", "\u202e", "\u2028", "\ud800", "\ufffe", "\U000e0001"):
            assert printable(f"a{char}b") == f"a{repr(char)[1:-1]}b"

    def test_a_workflow_command_and_a_logging_command_are_written_visibly(self) -> None:
        assert printable("::add-mask::x") == "\\x3a:add-mask::x"
        assert printable("  ::error::x") == "  \\x3a:error::x"
        assert printable("a ::b") == "a ::b"  # not at the start of a line: no runner reads it
        assert printable("x ##vso[task.complete]") == "x \\x23#vso[task.complete]"
        assert printable("x ##[error]y") == "x \\x23#[error]y"
        assert printable("x ## [y] #1") == "x ## [y] #1"


class TestPrintableJson:
    @given(st.dictionaries(hostile_text, st.lists(hostile_text, max_size=3), max_size=4))
    def test_every_string_and_member_name_is_printable_and_the_document_valid_utf8_json(
        self, value: dict[str, list[str]]
    ) -> None:
        text = json_text(value)
        for line in text.split("\n"):
            assert_safe_line(line)
        assert json.loads(text.encode("utf-8")) == printable_json(value)

    def test_values_that_are_no_text_are_kept(self) -> None:
        assert printable_json({"a": [1, 2.5, None, True, ("\x1b",)]}) == {"a": [1, 2.5, None, True, ["\\x1b"]]}
