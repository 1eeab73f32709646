"""CI output a CI system can trust: a run that could not read an input says so in every CI format
(never an empty, clean-looking report), exit 2 as in text; SARIF rules carry their help inline and
the log names no URL that does not resolve; GitLab fingerprints are one per issue."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from binding_contracts.cli import formats
from binding_contracts.reporting import github, gitlab, sarif
from binding_contracts.reporting.located import STDIN, Located, Unread
from binding_contracts.rules import RULES
from clirun import call, write
from conftest import ROOT, example

SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
"""The only URL a SARIF log names: the schema's, which SchemaStore serves."""


def sarif_errors(log: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft4Validator(
        SARIF_SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    return [e.message for e in validator.iter_errors(log)]


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
    elif isinstance(value, str):
        yield value


def said(fmt: str, out: str, source: str, problem: str) -> None:
    """``out`` (of format ``fmt``) says that ``source`` could not be read, with ``problem``."""
    if fmt == "sarif":
        log = json.loads(out)
        assert sarif_errors(log) == []
        (invocation,) = log["runs"][0]["invocations"]
        assert invocation["executionSuccessful"] is False
        texts = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]
        assert any(source in t and problem in t for t in texts), texts
        assert all(n["level"] == "error" for n in invocation["toolExecutionNotifications"])
    elif fmt == "gitlab":
        issues = json.loads(out)
        blockers = [i for i in issues if i["severity"] == "blocker"]
        assert any(i["check_name"] == "input.unreadable" and problem in i["description"] for i in blockers)
        assert any(i["location"]["path"] == source for i in blockers)
        assert len({i["fingerprint"] for i in issues}) == len(issues)
    else:
        errors = [line for line in out.splitlines() if line.startswith("::error ")]
        assert any("title=input.unreadable" in e and problem in e for e in errors), out


FORMATS = ("github", "sarif", "gitlab")


def test_every_ci_format_is_held_here() -> None:
    """A format added to the CLI is held by these tests too: teach them how it says what they read."""
    assert set(FORMATS) == set(formats.CI_FORMATS)


@pytest.mark.parametrize("fmt", FORMATS)
class TestUnreadInput:
    def test_check_names_an_unreadable_cassette_beside_a_good_one(self, tmp_path: Path, fmt: str) -> None:
        broken = write(tmp_path, "broken.yaml", "interactions: [\n")
        good = str(ROOT / "cassettes" / "list-paging.yaml")
        code, out, err = call("check", "--format", fmt, good, broken)
        assert code == 2
        assert err.count("\n") == 1
        said(fmt, out, broken, "is not YAML")

    def test_check_of_a_folder_without_cassettes_says_so(self, tmp_path: Path, fmt: str) -> None:
        empty = tmp_path / "cassettes"
        empty.mkdir()
        code, out, err = call("check", "--format", fmt, str(empty))
        assert code == 2
        assert err.count("\n") == 1
        said(fmt, out, str(empty), "holds no cassette")

    def test_validate_names_a_missing_file(self, tmp_path: Path, fmt: str) -> None:
        good = write(tmp_path, "b.json", example("binding"))
        missing = str(tmp_path / "nope.json")
        code, out, _ = call("validate", "--format", fmt, good, missing)
        assert code == 2
        said(fmt, out, missing, "no such file")

    def test_drift_names_a_spec_that_is_not_json(self, tmp_path: Path, fmt: str) -> None:
        spec = write(tmp_path, "spec.json", "{")
        code, out, _ = call("drift", "--format", fmt, spec)
        assert code == 2
        said(fmt, out, spec, "is not JSON")

    def test_a_run_that_read_everything_says_so(self, tmp_path: Path, fmt: str) -> None:
        code, out, _ = call("check", "--format", fmt, str(ROOT / "cassettes" / "list-paging.yaml"))
        assert code == 0
        if fmt == "sarif":
            log = json.loads(out)
            assert log["runs"][0]["invocations"] == [{"executionSuccessful": True}]
        elif fmt == "gitlab":
            assert json.loads(out) == []
        else:
            assert "::error" not in out


@pytest.fixture(scope="module")
def log() -> dict[str, Any]:
    return sarif.log([], formats.rules_tool(), [Unread("a.yaml", "a.yaml: is not YAML")])


class TestSarifRules:
    def test_the_log_is_valid_sarif_2_1_0_with_an_unsuccessful_invocation(self, log: dict[str, Any]) -> None:
        assert sarif_errors(log) == []

    def test_every_rule_carries_its_help_inline(self, log: dict[str, Any]) -> None:
        descriptors = log["runs"][0]["tool"]["driver"]["rules"]
        assert [d["id"] for d in descriptors] == sorted(RULES)
        for d in descriptors:
            rule = RULES[d["id"]]
            assert d["fullDescription"]["text"].startswith(rule.summary)
            assert rule.severity in d["fullDescription"]["text"]
            assert rule.summary in d["help"]["text"]
            assert f"`{rule.id}`" in d["help"]["markdown"]
            assert "`" not in d["help"]["text"]

    def test_every_difference_type_of_drift_carries_its_help_inline(self) -> None:
        log = sarif.log([], formats.drift_tool())
        assert sarif_errors(log) == []
        for d in log["runs"][0]["tool"]["driver"]["rules"]:
            assert d["fullDescription"]["text"]
            assert d["help"]["markdown"]
            assert d["help"]["text"]

    @pytest.mark.parametrize("tool", [formats.rules_tool, formats.drift_tool])
    def test_no_url_but_the_schema_s(self, tool: Any) -> None:
        log = sarif.log([], tool(), [Unread(None, "x")])
        urls = {u for s in strings(log) for u in re.findall(r"[a-z][a-z0-9+.-]*://\S+", s)}
        assert urls == {SCHEMA_URI}


def finding(n: int) -> Located:
    return Located("cassette.secret", "error", f"m{n}", "", "c.yaml", 1 + n, 1, "#0/request/uri")


class TestGitlab:
    @given(st.lists(st.integers(0, 3), min_size=1, max_size=12))
    def test_every_issue_has_its_own_fingerprint_the_same_on_every_run(self, places: list[int]) -> None:
        findings = [finding(n) for n in places]  # several of one rule, place and pointer
        first = json.loads(gitlab.render(findings))
        assert len({i["fingerprint"] for i in first}) == len(first)
        assert json.loads(gitlab.render(findings)) == first

    def test_an_unread_input_is_a_blocker_on_its_file(self) -> None:
        (issue,) = json.loads(gitlab.render([], [Unread("c.yaml", "c.yaml: is not YAML")]))
        assert issue["severity"] == "blocker"
        assert issue["check_name"] == "input.unreadable"
        assert issue["location"] == {"path": "c.yaml", "lines": {"begin": 1}}


class TestGithub:
    def test_an_unread_input_is_an_error_command_on_its_file(self) -> None:
        line = github.render([], [Unread("a,b.yaml", "a,b.yaml: is not YAML\nat line 2")])
        assert line == "::error file=a%2Cb.yaml,title=input.unreadable::a,b.yaml: is not YAML%0Aat line 2"

    def test_standard_input_has_no_file(self) -> None:
        assert github.render([], [Unread(STDIN, "<stdin>: is not JSON")]).startswith("::error title=")
