"""Untrusted text as every output writes it (binding_contracts._printable): one line of printable
characters, nothing a terminal or a CI runner executes, what was printable kept as it was."""

from __future__ import annotations

import json

from hypothesis import example, given
from hypothesis import strategies as st

from binding_contracts._printable import json_text, printable, printable_json
from clirun import LOGGING_COMMAND, assert_safe_line, hostile_text


class TestPrintable:
    @given(hostile_text)
    @example("\x1b[31m\n::add-mask::z\u202e\ud800")
    def test_any_text_is_one_safe_line(self, text: str) -> None:
        assert_safe_line(printable(text))

    @given(hostile_text)
    def test_printing_twice_changes_nothing_more(self, text: str) -> None:
        assert printable(printable(text)) == printable(text)

    @given(
        st.text(
            st.characters(
                exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"), include_characters=" :#["
            )
        )
    )
    def test_printable_text_is_kept_as_it_is_but_a_command_s_opening(self, text: str) -> None:
        shown = printable(text)
        if (
            text.isprintable()
            and not text.lstrip(" ").startswith("::")
            and LOGGING_COMMAND.search(text) is None
        ):
            assert shown == text
        else:
            assert shown.replace("\\x3a", ":").replace("\\x23", "#") == text

    def test_each_character_is_written_as_python_s_repr_writes_it(self) -> None:
        for char in (
            "\x1b",
            "\n",
            "\t",
            "\x7f",
            "\x9b",
            "\u202e",
            "\u2028",
            "\ud800",
            "\ufffe",
            "\U000e0001",
        ):
            assert printable(f"a{char}b") == f"a{repr(char)[1:-1]}b"

    def test_a_workflow_command_and_a_logging_command_are_written_visibly(self) -> None:
        assert printable("::add-mask::x") == "\\x3a:add-mask::x"
        assert printable("  ::error::x") == "  \\x3a:error::x"
        assert printable("a ::b") == "a ::b"  # not at the start of a line: no runner reads it
        assert printable("x ##vso[task.complete]") == "x \\x23#vso[task.complete]"
        assert printable("x ##[error]y") == "x \\x23#[error]y"
        assert printable("##TeamCity[buildStop]") == "\\x23#TeamCity[buildStop]"
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
        assert printable_json({"a": [1, 2.5, None, True, ("\x1b",)]}) == {
            "a": [1, 2.5, None, True, ["\\x1b"]]
        }
