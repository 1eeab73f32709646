"""--format github, sarif and gitlab of validate, check and drift: each finding where its member is
written, the SARIF log valid against the SARIF 2.1.0 schema, bad input refused as in every format."""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import jsonschema
import pytest
import yaml

from binding_contracts.cli import formats
from binding_contracts.locating import cassette_places as locating_cassettes
from binding_contracts.rules import RULES
from clirun import assert_output, call, write
from conftest import ROOT, example

CI = ("github", "sarif", "gitlab")


def test_every_ci_format_is_held_here() -> None:
    """A format added to the CLI is held by these tests too: teach them how it says what they read."""
    assert set(CI) == set(formats.CI_FORMATS)


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


ALL = ("text", "json", "junit", *CI)
"""check's formats; validate and drift have all but junit."""


def interaction(uri: str, body: str, headers: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {
        "request": {"method": "GET", "uri": uri, "body": None, "headers": headers or {}},
        "response": {
            "status": {"code": 200, "message": "OK"},
            "headers": {"Content-Type": ["application/json"]},
            "body": {"string": body},
        },
    }


def json_cassette(tmp_path: Path, *interactions: dict[str, Any], name: str = "c.json") -> str:
    return write(tmp_path, name, {"version": 1, "interactions": list(interactions)})


def outputs(command: str, path: str, formats: tuple[str, ...] = ALL) -> dict[str, tuple[int, str, str]]:
    """Each format's exit status, stdout and stderr, each checked as every output must be."""
    found = {}
    for fmt in formats:
        code, out, err = call(command, "--format", fmt, path)
        assert_output(fmt, out)
        assert_output("text", err)
        found[fmt] = code, out, err
    return found


class TestUntrustedText:
    """The reproducers of what payloads, cassettes and file names made outputs do: each output as
    :func:`clirun.assert_output` requires, and what the data held written visibly."""

    def test_a_request_uri_segment_with_an_encoded_newline_starts_no_line(self, tmp_path: Path) -> None:
        url, service = example("binding")["url"], example("binding")["service_sid"]
        body = json.dumps(example("binding"))
        forged = (url.replace(service, service + "%0A::add-mask::z"), url + "%0A::add-mask::z")
        path = json_cassette(tmp_path, *(interaction(uri, body) for uri in forged))
        for code, out, _ in outputs("check", path).values():  # request.service, request.sid
            assert code == 1
            assert "::add-mask::" not in "".join(line.lstrip()[:13] for line in out.splitlines())
        assert "BSc4ca4238a0b923820dcc509a6f75849b\\n::add-mask::z but" in call("check", path)[1]

    def test_a_member_name_forging_an_annotation_is_written_visibly(self, tmp_path: Path) -> None:
        name = "\n::error file=README.md,line=1::forged"
        path = write(tmp_path, "b.json", {**example("binding"), name: 1})
        found = outputs("validate", path, ("text", "json", *CI))
        assert "/\\n::error file=README.md,line=1::forged" in found["text"][1]
        assert parse_github(found["github"][1])[0]["message"].startswith("/\\n::error file=README.md")

    def test_ansi_osc_c1_and_bidi_controls_reach_no_output_raw(self, tmp_path: Path) -> None:
        hostile = "\x1b[31m\x1b]8;;h\x07\x9b2J\u202eevil\u2066"
        doc = {**example("binding"), "binding_type": hostile, hostile: 1}
        url = example("binding")["url"]
        path = json_cassette(tmp_path, interaction(url + "?x=" + hostile, json.dumps(doc)))
        found = outputs("check", path)
        assert "'\\x1b[31m\\x1b]8;;h\\x07\\x9b2J\\u202eevil\\u2066' is not one of" in found["text"][1]

    @pytest.mark.parametrize(
        "body",
        [
            '{"k\\ud800": 1}',  # a member name
            '{"sid": "BS\\ud800"}',  # a value
            '{"sid": "\\ud800", "\\udfff": "\\ud800\\ud800"}',
        ],
    )
    def test_a_lone_surrogate_in_a_member_a_uri_or_a_body_is_reported_in_every_format(
        self, tmp_path: Path, body: str
    ) -> None:
        url = example("binding")["url"]
        path = json_cassette(tmp_path, interaction(url + "?x=\ud800", body), interaction(url, body))
        for fmt, (code, _, err) in outputs("check", path).items():
            assert code == 1, (fmt, err)
        code, _, err = call("observe", path)
        assert code in (0, 2)
        assert "Traceback" not in err
        assert_output("text", err)
        payload = write(tmp_path, "p.json", body.encode("utf-8"))
        for fmt, (code, _, err) in outputs("validate", payload, ("text", "json", *CI)).items():
            assert code == 1, (fmt, err)

    def test_a_file_name_that_is_not_utf8_is_a_percent_encoded_sarif_uri(self, tmp_path: Path) -> None:
        name = os.fsdecode(os.fsencode(str(tmp_path)) + b"/b\xff\xfe.json")
        with open(name, "w", encoding="utf-8") as f:
            json.dump({**example("binding"), "binding_type": "apns"}, f)
        found = outputs("validate", name, ("text", "json", *CI))
        (result,) = json.loads(found["sarif"][1])["runs"][0]["results"]
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("/b%FF%FE.json")
        assert "b\\udcff\\udcfe.json:" in found["text"][1]

    def test_junit_holds_xml_1_0_characters_only(self, tmp_path: Path) -> None:
        hostile = "\x1b\x0c\x00\ufffe\uffff\ud800"
        url = example("binding")["url"]
        doc = {**example("binding"), "binding_type": hostile}
        path = json_cassette(tmp_path, interaction(url + "?x=" + hostile, json.dumps(doc)))
        code, out, _ = outputs("check", path, ("junit",))["junit"]
        assert code == 1
        failure = ET.fromstring(out).find("testcase/failure")
        assert failure is not None
        assert failure.text is not None
        assert "'\\x1b\\x0c\\x00\\ufffe\\uffff\\ud800' is not one of" in failure.text

    def test_gitlab_gives_each_secret_of_one_interaction_its_own_fingerprint(self, tmp_path: Path) -> None:
        url = example("binding")["url"]
        token = "0123456789abcdef0123456789abcdef"
        headers = {"Authorization": [f"Bearer {token}"]}
        path = json_cassette(
            tmp_path, interaction(f"{url}?AuthToken={token}", json.dumps(example("binding")), headers)
        )
        code, out, _ = outputs("check", path, ("gitlab",))["gitlab"]
        issues = json.loads(out)
        secrets = [i for i in issues if i["check_name"] == "cassette.secret"]
        assert code == 1
        assert len(secrets) >= 2
        assert len({i["fingerprint"] for i in issues}) == len(issues)
        assert json.loads(call("check", "--format", "gitlab", path)[1]) == issues  # stable across runs

    def test_drift_writes_an_enum_value_holding_a_newline_visibly(self, tmp_path: Path) -> None:
        spec = json.loads((ROOT / "tests" / "data" / "twilio_chat_v2.json").read_text(encoding="utf-8"))
        binding_type = spec["components"]["schemas"]["binding_enum_binding_type"]
        binding_type["enum"] = [*binding_type["enum"], "apns\n::add-mask::y"]
        path = write(tmp_path, "spec.json", json.dumps(spec, indent=2))
        found = outputs("drift", path, ("text", "json", *CI))
        assert all(code == 1 for code, _, _ in found.values())
        assert "apns\\n::add-mask::y" in found["text"][1]


class TestUntrustedTextInErrorLines:
    @pytest.mark.parametrize("command", ["validate", "check", "observe", "drift"])
    def test_a_file_name_with_a_newline_is_one_error_line(self, tmp_path: Path, command: str) -> None:
        missing = str(tmp_path / "a\n::add-mask::X\x1b[2J.json")
        code, _, err = call(command, missing)
        assert code == 2
        assert err.count("\n") == 1
        assert "a\\n::add-mask::X\\x1b[2J.json" in err
        assert_output("text", err)

    def test_a_yaml_tag_holding_a_newline_is_one_error_line(self, tmp_path: Path) -> None:
        path = write(tmp_path, "t.yaml", "interactions: !!python/%0A::add-mask::X%1B%5D0 []\nversion: 1\n")
        code, _, err = call("check", path)
        assert code == 2
        assert err.count("\n") == 1
        assert "YAML tag that is not data" in err
        assert_output("text", err)
