"""The docs say what the command line does: its commands, each command's options (the usage lines of
docs/cli.md), and the kinds (every list of them in the README and the docs pages).

Read from the parser itself (``build_parser``), so a command, option or kind added to the code and not
to the docs (or the other way round) fails here.
"""

from __future__ import annotations

import argparse
import re

import pytest

from binding_contracts import KINDS
from binding_contracts.cli import COMMANDS, build_parser
from binding_contracts.cli.fixtures import LISTING
from conftest import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TEXT = "\n".join(p.read_text("utf-8") for p in PAGES)
"""The README and every docs page."""
ALL_COMMANDS = ("validate", *COMMANDS)


def prose(text: str) -> str:
    """``text`` without its code blocks."""
    return re.sub(r"^ *```.*?^ *```", "", text, flags=re.DOTALL | re.MULTILINE)


PROSE = prose(TEXT)
SPANS = re.findall(r"`([^`]+)`", prose((ROOT / "docs" / "cli.md").read_text("utf-8")))
"""Every inline code span of the command line's page outside code blocks (one may run over a line
break): where each command's usage line is."""


def subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (group,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(group.choices)


def synopses(command: str) -> list[str]:
    """The usage lines of ``command`` in docs/cli.md: ``[binding-contracts ]COMMAND ...[...]...``."""
    pattern = re.compile(rf"(?:binding-contracts\s+)?{re.escape(command)}\s")
    return [" ".join(s.split()) for s in SPANS if pattern.match(s) and "[" in s]


def options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {o: a for a in parser._actions for o in a.option_strings if o not in ("-h", "--help")}


class TestCommands:
    def test_the_cli_s_commands_are_the_ones_the_cli_page_gives_usage_lines_for(self) -> None:
        assert set(subparsers()) == set(ALL_COMMANDS)
        assert [c for c in ALL_COMMANDS if len(synopses(c)) != 1] == []

    def test_every_command_the_docs_run_exists(self) -> None:
        named = set(re.findall(r"binding-contracts ([a-z][a-z-]*)", TEXT))
        assert named - set(ALL_COMMANDS) == set()

    @pytest.mark.parametrize("command", ALL_COMMANDS)
    def test_a_usage_line_names_every_option_of_its_command_and_no_other(self, command: str) -> None:
        (line,) = synopses(command)
        written = set(re.findall(r"--[a-z][a-z-]*", line))
        assert written == set(options(subparsers()[command]))

    @pytest.mark.parametrize("command", ALL_COMMANDS)
    def test_values_written_a_or_b_in_a_usage_line_are_the_option_s_choices(self, command: str) -> None:
        (line,) = synopses(command)
        for option, action in options(subparsers()[command]).items():
            written = re.search(rf"{re.escape(option)}[ =]([a-z]+(?:\|[a-z-]+)+)", line)
            if written is not None:  # the choices, or a metavar that spells them when the command checks
                values = (
                    list(action.choices) if action.choices is not None else str(action.metavar).split("|")
                )
                assert written.group(1).split("|") == values, option


class TestKinds:
    def test_every_list_of_kinds_in_the_docs_is_the_cli_s(self) -> None:
        lists = [
            re.findall(r"`([a-z-]+)`", m)
            for m in re.findall(r"`[a-z-]+`(?:,\s+(?:or\s+)?`[a-z-]+`){2,}", PROSE)
        ]
        kind_lists = [names for names in lists if "binding" in names and "error" in names]
        assert len(kind_lists) >= 2  # check()'s kind argument, fixtures --kind
        for names in kind_lists:
            assert names == list(KINDS)

    def test_the_kinds_of_validate_and_fixtures_are_the_kinds(self) -> None:
        commands = subparsers()
        assert options(commands["validate"])["--kind"].choices == ("auto", *KINDS)
        assert options(commands["fixtures"])["--kind"].choices == (*KINDS, LISTING)
