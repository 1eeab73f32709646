"""--format github, sarif and gitlab of validate, check and drift: each finding where its member is
written, the SARIF log valid against the SARIF 2.1.0 schema, bad input refused as in every format."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from binding_contracts.cli import formats
from binding_contracts.locating import cassettes as locating_cassettes
from binding_contracts.rules import RULES
from clirun import call, write
from conftest import ROOT, example

CI = ("github", "sarif", "gitlab")
SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
COMMAND = re.compile(r"^::(error|warning)(?: (.*?))?::(.*)$")


def parse_github(out: str) -> list[dict[str, str]]:
    """The workflow commands in ``out``, their properties and message unescaped as the runner does."""

    def unescape(text: str) -> str:
        for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
            text = text.replace(escaped, char)
        return text

    commands = []
    for line in out.splitlines():
        m = COMMAND.match(line)
        if m is None:
            continue
        props = dict(p.split("=", 1) for p in m.group(2).split(",")) if m.group(2) else {}
        command = {k: unescape(v) for k, v in props.items()}
        commands.append({"level": m.group(1), "message": unescape(m.group(3)), **command})
    return commands


def member_at(path: Path, line: int, col: int) -> str:
    return path.read_text(encoding="utf-8").split("\n")[line - 1][col - 1 :]


def broken_cassette(tmp_path: Path, name: str = "broken.yaml") -> Path:
    """A cassette of three fetches, the third's binding_type out of the enum, written as vcrpy does."""
    good = example("binding")
    bad = {**copy.deepcopy(good), "binding_type": "apns"}
    interactions = [
        {
            "request": {"method": "GET", "uri": good["url"], "body": None, "headers": {}},
            "response": {
                "status": {"code": 200, "message": "OK"},
                "headers": {"Content-Type": ["application/json"]},
                "body": {"string": json.dumps(body)},
            },
        }
        for body in (good, good, bad)
    ]
    path = tmp_path / "cassettes" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(yaml.safe_dump({"interactions": interactions, "version": 1}), encoding="utf-8")
    return path


class TestGithub:
    def test_a_broken_cassette_is_annotated_at_the_offending_member(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        path = broken_cassette(tmp_path)
        monkeypatch.chdir(tmp_path)
        code, out, err = call("check", "--format", "github", "cassettes/broken.yaml")
        assert (code, err) == (1, "")
        (command,) = parse_github(out)
        assert command["level"] == "error"
        assert command["title"] == "schema.enum"
        assert command["file"] == "cassettes/broken.yaml"
        assert member_at(path, int(command["line"]), int(command["col"])).startswith('"binding_type": "apns"')
        assert command["message"].startswith("/binding_type: 'apns' is not one of")

    def test_a_broken_payload_file_is_annotated_at_each_offending_member(self, tmp_path: Path) -> None:
        binding = example("binding")
        binding.update(binding_type="apns", sid="BS1", extra=1)
        path = Path(write(tmp_path, "b.json", json.dumps(binding, indent=2)))
        code, out, _ = call("validate", "--format", "github", str(path))
        assert code == 1
        commands = parse_github(out)
        assert {c["title"] for c in commands} >= {"schema.enum", "schema.pattern", "field.unknown"}
        for c in commands:
            member = c["message"].split(":")[0].rsplit("/", 1)[1]
            assert member_at(path, int(c["line"]), int(c["col"])).startswith(f'"{member}"'), c
            assert c["level"] == ("warning" if c["title"] == "field.unknown" else "error")

    def test_a_missing_member_is_annotated_at_the_object_that_lacks_it(self, tmp_path: Path) -> None:
        binding = example("binding")
        del binding["sid"]
        path = Path(write(tmp_path, "b.json", json.dumps(binding, indent=2)))
        (command,) = parse_github(call("validate", "--format", "github", str(path))[1])
        assert (command["title"], command["line"], command["col"]) == ("schema.required", "1", "1")

    def test_valid_files_give_no_command_and_exit_0(self, tmp_path: Path) -> None:
        code, out, _ = call("validate", "--format", "github", write(tmp_path, "b.json", example("binding")))
        assert code == 0
        assert parse_github(out) == []
        assert out == "1 checked: 1 ok, 0 violating the contract (0 error(s), 0 warning(s))\n"


class TestSarif:
    @pytest.fixture
    def log(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
        broken_cassette(tmp_path)
        monkeypatch.chdir(tmp_path)
        code, out, _ = call("check", "--format", "sarif", "cassettes")
        assert code == 1
        log: dict[str, Any] = json.loads(out)
        return log

    def test_the_log_is_valid_sarif_2_1_0(self, log: dict[str, Any]) -> None:
        checker = jsonschema.Draft4Validator.FORMAT_CHECKER
        validator = jsonschema.Draft4Validator(SARIF_SCHEMA, format_checker=checker)
        assert list(validator.iter_errors(log)) == []

    def test_the_driver_describes_every_rule_of_the_catalogue(self, log: dict[str, Any]) -> None:
        driver = log["runs"][0]["tool"]["driver"]
        assert driver["name"] == "binding-contracts"
        assert "informationUri" not in driver  # the project has no public home a URI could name
        assert [r["id"] for r in driver["rules"]] == sorted(RULES)
        for descriptor in driver["rules"]:
            rule = RULES[descriptor["id"]]
            assert descriptor["shortDescription"]["text"] == rule.summary
            assert descriptor["defaultConfiguration"]["level"] == rule.severity
            assert "helpUri" not in descriptor
            assert f"docs/rules.md#{formats.anchor(rule.id)}" in descriptor["help"]["markdown"]

    def test_the_anchors_are_the_rule_pages_headings(self) -> None:
        rules_md = ROOT / "docs" / "rules.md"
        if not rules_md.exists():
            pytest.skip("no docs/rules.md in this checkout")
        text = rules_md.read_text(encoding="utf-8")
        for rule_id in RULES:
            assert f"({formats.anchor(rule_id)})=" in text, rule_id

    def test_a_result_has_its_rule_level_and_physical_location(
        self, log: dict[str, Any], tmp_path: Path
    ) -> None:
        run = log["runs"][0]
        (result,) = run["results"]
        assert result["ruleId"] == "schema.enum"
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "schema.enum"
        assert result["level"] == "error"
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == "cassettes/broken.yaml"
        region = physical["region"]
        member = member_at(tmp_path / "cassettes" / "broken.yaml", region["startLine"], region["startColumn"])
        assert member.startswith('"binding_type"')

    def test_a_valid_run_is_a_log_without_results(self, tmp_path: Path) -> None:
        code, out, _ = call("validate", "--format", "sarif", write(tmp_path, "b.json", example("binding")))
        assert code == 0
        assert json.loads(out)["runs"][0]["results"] == []


class TestGitlab:
    def test_each_finding_is_an_issue_at_its_line(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        path = broken_cassette(tmp_path, "broken.json")
        path.write_text(json.dumps(yaml.safe_load(path.read_text()), indent=4), encoding="utf-8")
        monkeypatch.chdir(tmp_path)
        code, out, _ = call("check", "--format", "gitlab", "cassettes/broken.json")
        assert code == 1
        (issue,) = json.loads(out)
        assert issue["check_name"] == "schema.enum"
        assert issue["severity"] == "major"
        assert issue["location"]["path"] == "cassettes/broken.json"
        line = path.read_text().split("\n")[issue["location"]["lines"]["begin"] - 1]
        assert '\\"binding_type\\": \\"apns\\"' in line
        assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])


class TestDrift:
    @pytest.mark.parametrize("fmt", CI)
    def test_drift_is_reported_at_the_spec_s_member(self, tmp_path: Path, fmt: str) -> None:
        spec = json.loads((ROOT / "tests" / "data" / "twilio_chat_v2.json").read_text(encoding="utf-8"))
        spec["components"]["schemas"]["chat.v2.service.binding"]["properties"]["identity"]["type"] = "integer"
        path = Path(write(tmp_path, "spec.json", json.dumps(spec, indent=2)))
        code, out, _ = call("drift", "--format", fmt, str(path))
        assert code == 1
        if fmt == "github":
            (command,) = parse_github(out)
            assert command["title"] == "type.changed"
            line, col = int(command["line"]), int(command["col"])
        elif fmt == "sarif":
            (result,) = json.loads(out)["runs"][0]["results"]
            assert result["ruleId"] == "type.changed"
            region = result["locations"][0]["physicalLocation"]["region"]
            line, col = region["startLine"], region["startColumn"]
        else:
            (issue,) = json.loads(out)
            assert issue["check_name"] == "type.changed"
            line, col = issue["location"]["lines"]["begin"], None
        written = path.read_text(encoding="utf-8").split("\n")[line - 1]
        assert '"type": "integer"' in written
        if col is not None:
            assert written[col - 1 :].startswith('"type"')


class TestBadInput:
    @pytest.mark.parametrize("fmt", CI)
    @pytest.mark.parametrize(
        ("command", "content", "problem"),
        [
            ("validate", b"{not json", "is not JSON"),
            ("check", b"interactions: !!python/object/apply:os.system [echo]\n", "YAML tag that is not data"),
            ("drift", b"[]", ""),
        ],
    )
    def test_refused_as_in_every_format(
        self, tmp_path: Path, fmt: str, command: str, content: bytes, problem: str
    ) -> None:
        name = "in.yaml" if command == "check" else "in.json"
        path = write(tmp_path, name, content)
        code, _, err = call(command, "--format", fmt, path)
        _, _, text_err = call(command, path)
        assert code == 2
        assert err == text_err
        assert err.count("\n") == 1
        assert problem in err

    @pytest.mark.parametrize("fmt", CI)
    def test_a_missing_file_among_good_ones_exits_2(self, tmp_path: Path, fmt: str) -> None:
        good = write(tmp_path, "b.json", example("binding"))
        code, _, err = call("validate", "--format", fmt, good, str(tmp_path / "nope.json"))
        assert code == 2
        assert err.count("\n") == 1
        assert "no such file" in err


class TestCost:
    def test_valid_files_are_never_placed(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        def never(*args: object) -> None:
            raise AssertionError("placed a valid file")

        monkeypatch.setattr(formats.jsontext, "locate", never)
        monkeypatch.setattr(formats.jsontext, "Index", never)
        monkeypatch.setattr(formats, "read_file", never)
        monkeypatch.setattr(locating_cassettes, "locate_findings", never)  # imported when needed
        path = write(tmp_path, "b.json", example("binding"))
        for fmt in ("text", *CI):
            assert call("validate", "--format", fmt, path)[0] == 0
            assert call("check", "--format", fmt, str(ROOT / "cassettes" / "list-paging.yaml"))[0] == 0
