"""The docs say what the command line does: its commands, each command's options (the usage lines of
docs/cli.md), and the kinds (every list of them in the README and the docs pages); the README's
lists of commands and extras, its missing-extra example (produced by the code), and the page the
pre-commit hooks point to.

Read from the parser itself (``build_parser``), so a command, option or kind added to the code and not
to the docs (or the other way round) fails here.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tomllib

import pytest
import yaml

from binding_contracts import KINDS
from binding_contracts._extras import EXTRAS
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
    """A command's long options (a short one, ``-j``, is the same option as its long one)."""
    return {o: a for a in parser._actions for o in a.option_strings if o.startswith("--") and o != "--help"}


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


README = (ROOT / "README.md").read_text("utf-8")
NEEDING_AN_EXTRA = {
    c for c in ALL_COMMANDS if any(f"binding-contracts {c}`" in job for job in EXTRAS.values())
}
"""The commands an extra installs, as binding_contracts._extras names them (``serve``)."""


def command_lists(text: str) -> list[list[str]]:
    """Every list of four or more command names in ``text``'s prose: `a`, `b`, ... and `z`."""
    names = "|".join(re.escape(c) for c in sorted(ALL_COMMANDS, key=len, reverse=True))
    found = re.findall(rf"`(?:{names})`(?:,?\s+(?:and\s+)?`(?:{names})`){{3,}}", prose(text))
    return [re.findall(r"`([a-z-]+)`", m) for m in found]


def extra_of(requirement: str) -> tuple[str, list[str]]:
    name = re.match(r"[A-Za-z0-9_.-]+", requirement)
    assert name is not None
    extras = re.search(r"\[([^]]*)\]", requirement)
    return name.group(0).lower(), extras.group(1).split(",") if extras else []


def distributions(extra: str) -> set[str]:
    """The distributions ``extra`` installs beyond the base install (its own extras followed)."""
    optional = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["optional-dependencies"]
    out: set[str] = set()
    for requirement in optional[extra]:
        name, extras = extra_of(requirement)
        if name == "binding-contracts":
            out |= set().union(*(distributions(e) for e in extras))
        else:
            out.add(name)
    return out


BLOCKED = """
import sys
from importlib.abc import MetaPathFinder

class NotInstalled(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {blocked!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, NotInstalled())
try:
    import binding_contracts.fake
except ModuleNotFoundError as exc:
    print(exc)
"""


class TestReadme:
    def test_the_missing_extra_example_is_what_the_code_says_without_that_extra(self) -> None:
        """The README's one-line example, produced by importing binding_contracts.fake where the
        distributions of the fake extra are not installed."""
        blocked = sorted(distributions("fake"))
        script = BLOCKED.format(blocked=blocked)
        said = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
        ).stdout.strip()
        assert said.startswith("binding_contracts.fake needs ")
        (example,) = re.findall(r"`(binding_contracts\.fake needs [^`]+)`", README)
        assert example == said

    def test_every_list_of_commands_is_every_command_or_every_one_the_base_install_runs(self) -> None:
        lists = command_lists(TEXT)
        assert len(lists) >= 2  # the README's: the base install's commands, the command line page's
        for names in lists:
            assert len(names) == len(set(names)), names
            assert set(names) in (set(ALL_COMMANDS), set(ALL_COMMANDS) - NEEDING_AN_EXTRA), names

    def test_the_base_install_s_commands_are_those_no_extra_installs(self) -> None:
        (base,) = re.findall(r"base install checks: .*?, and the commands (.*?)\. ", " ".join(README.split()))
        assert set(re.findall(r"`([a-z-]+)`", base)) == set(ALL_COMMANDS) - NEEDING_AN_EXTRA

    def test_the_extras_table_is_pyproject_s(self) -> None:
        rows = re.findall(r"^\| `([a-z]+)` \|", README, flags=re.MULTILINE)
        assert sorted(rows) == sorted(EXTRAS)
        assert set(EXTRAS) <= set(
            tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["optional-dependencies"]
        )


class TestPreCommitHooks:
    HOOKS = (ROOT / ".pre-commit-hooks.yaml").read_text("utf-8")

    def test_the_page_and_section_the_hooks_point_to_exist_and_name_every_hook(self) -> None:
        (page, section) = re.findall(r"^# .*?(\S+\.md) \"([^\"]+)\" says how to use them", self.HOOKS, re.M)[
            0
        ]
        text = (ROOT / page).read_text("utf-8")
        assert f"\n## {section}\n" in text
        body = text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
        hooks = yaml.safe_load(self.HOOKS)
        assert [h["id"] for h in hooks if h["id"] not in body] == []
        # the files each hook takes by default, as the page writes them
        assert [h["files"] for h in hooks if f"`files: {h['files']}`" not in " ".join(body.split())] == []

    def test_each_hook_runs_a_command_of_the_cli(self) -> None:
        for hook in yaml.safe_load(self.HOOKS):
            program, command = hook["entry"].split()
            assert (program, command in ALL_COMMANDS) == ("binding-contracts", True), hook["entry"]
