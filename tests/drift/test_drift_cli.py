"""The drift command: exit statuses, text and JSON output, baselines, and every kind of bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from binding_contracts.drift import DIFFERENCE_TYPES
from clirun import assert_bad_input, call, input_path, write
from conftest import ROOT, SPEC_FILES, spec
from drift_helpers import enum_component, fields, operation, param

CHAT, IP_MESSAGING = str(SPEC_FILES["chat"]), str(SPEC_FILES["ip-messaging"])


def drifted(tmp_path: Path, name: str = "chat") -> str:
    """A reference spec with its PageSize maximum lowered to 20 and binding.endpoint gone."""
    doc = spec(name)
    param(doc, "read-bindings", "PageSize")["schema"]["maximum"] = 20
    del fields(doc, "binding")["endpoint"]
    return write(tmp_path, f"{name}.json", doc)


def baseline(tmp_path: Path, *ids: str) -> str:
    entries = [{"id": i, "reason": "accepted in this test"} for i in ids]
    return write(tmp_path, "baseline.json", {"accepted": entries})


class TestDriftExitStatus:
    def test_the_reference_specs_exit_0_and_say_no_drift(self) -> None:
        code, out, err = call("drift", CHAT, IP_MESSAGING)
        assert (code, err) == (0, "")
        assert f"{CHAT}: no drift (chat.twilio.com; 4 accepted by the baseline)" in out
        assert f"{IP_MESSAGING}: no drift (ip-messaging.twilio.com; 4 accepted by the baseline)" in out
        assert out.endswith(
            "2 spec(s) compared: 2 without drift, 0 drifting "
            "(0 breaking, 0 additive difference(s); 8 accepted by the baseline)\n"
        )

    def test_drift_exits_1_with_one_line_per_difference(self, tmp_path: Path) -> None:
        path = drifted(tmp_path)
        code, out, _ = call("drift", path)
        assert code == 1
        lines = out.splitlines()
        assert (
            f"{path}: /components/schemas/chat.v2.service.binding/properties/endpoint: "
            "field.removed (breaking): binding.endpoint: field 'string|null' -> absent "
            "[schemas/binding.schema.json#/properties/endpoint]"
        ) in lines
        assert (
            f"{path}: /paths/~1v2~1Services~1{{ServiceSid}}~1Bindings/get/parameters/3/schema/maximum: "
            "bound.tightened (breaking): read-bindings.PageSize: maximum 50 -> 20 "
            "[schemas/defs.schema.json#/$defs/page_size_param/maximum]"
        ) in lines
        assert lines[-1].startswith("1 spec(s) compared: 0 without drift, 1 drifting (2 breaking, 0 additive")

    def test_an_additive_difference_alone_is_drift_too(self, tmp_path: Path) -> None:
        doc = spec()
        fields(doc, "binding")["locale"] = {"type": "string"}
        code, out, _ = call("drift", write(tmp_path, "s.json", doc))
        assert code == 1
        assert "field.added (additive): binding.locale" in out

    def test_json_output_is_one_document_with_a_result_per_spec(self, tmp_path: Path) -> None:
        code, out, _ = call("drift", "--format", "json", CHAT, drifted(tmp_path, "ip-messaging"))
        doc = json.loads(out)
        assert code == 1
        assert [r["ok"] for r in doc["results"]] == [True, False]
        assert doc["results"][0]["hosts"] == ["chat.twilio.com"]
        first = doc["results"][1]["differences"][0]
        assert first == {
            "id": "field.removed binding.endpoint",
            "type": "field.removed",
            "class": "breaking",
            "subject": "binding.endpoint",
            "pointer": "/components/schemas/ip_messaging.v2.service.binding/properties/endpoint",
            "schema": "binding.schema.json#/properties/endpoint",
            "old": "string|null",
            "new": None,
            "message": "binding.endpoint: field 'string|null' -> absent",
        }
        assert doc["summary"] == {"compared": 2, "ok": 1, "breaking": 2, "additive": 0, "accepted": 8}


class TestDriftBaseline:
    def test_a_users_baseline_accepts_a_listed_difference(self, tmp_path: Path) -> None:
        path = drifted(tmp_path)
        accepted = baseline(tmp_path, "bound.tightened read-bindings.PageSize")
        code, out, _ = call("drift", "--baseline", accepted, "--format", "json", path)
        (result,) = json.loads(out)["results"]
        assert code == 1
        assert [d["id"] for d in result["differences"]] == ["field.removed binding.endpoint"]
        assert "bound.tightened read-bindings.PageSize" in result["accepted"]

    def test_baselines_add_up_and_drift_then_exits_0(self, tmp_path: Path) -> None:
        path = drifted(tmp_path)
        first = baseline(tmp_path, "bound.tightened read-bindings.PageSize")
        second = write(
            tmp_path,
            "more.json",
            {"accepted": [{"id": "field.removed binding.endpoint", "reason": "unused"}]},
        )
        code, out, _ = call("drift", path, "--baseline", first, "--baseline", second)
        assert code == 0
        assert f"{path}: no drift (chat.twilio.com; 6 accepted by the baseline)" in out

    @pytest.mark.parametrize(
        ("content", "problem"),
        [
            (None, "no such file"),
            ("[1", "is not JSON"),
            ({"accepted": "all"}, "is not a baseline"),
            ({"accepted": [{"id": "field.gone binding.sid", "reason": "r"}]}, "known type"),
        ],
    )
    def test_a_bad_baseline_is_one_line_and_exit_2(self, tmp_path: Path, content: Any, problem: str) -> None:
        path = str(tmp_path / "missing.json") if content is None else write(tmp_path, "b.json", content)
        code, out, err = call("drift", CHAT, "--baseline", path)
        assert out == ""
        assert_bad_input(code, err, path, problem)


BAD_SPECS = {
    "missing file": (None, "no such file"),
    "directory": ("DIR", "is a directory"),
    "empty file": (b"", "is empty"),
    "not UTF-8": (b'{"openapi": "\xff"}', "is not UTF-8"),
    "not JSON": (b"openapi: 3.0.1\n", "is not JSON"),
    "a JSON array": ([1], "is an array, expected an OpenAPI 3 document"),
    "Swagger 2.0": ({"swagger": "2.0", "paths": {}}, "is Swagger '2.0', expected OpenAPI 3"),
    "not OpenAPI": ({"sid": "BS1"}, "is not an OpenAPI document"),
    "no paths": ({"openapi": "3.0.1"}, "the paths object is null"),
    "no Binding paths": ({"openapi": "3.0.1", "paths": {"/v2/Services": {}}}, "describes no Binding path"),
    "a payload instead of a spec": (ROOT / "examples" / "binding.json", "is not an OpenAPI document"),
}


class TestDriftBadInput:
    @pytest.mark.parametrize("name", sorted(BAD_SPECS))
    def test_each_bad_spec_is_one_line_on_stderr_and_exit_2(self, name: str, tmp_path: Path) -> None:
        content, problem = BAD_SPECS[name]
        path = input_path(tmp_path, content)
        code, _, err = call("drift", path)
        assert_bad_input(code, err, path, problem)

    def test_a_bad_spec_beside_a_good_one_exits_2_and_still_reports_the_good_one(
        self, tmp_path: Path
    ) -> None:
        code, out, err = call("drift", CHAT, str(tmp_path / "nope.json"))
        assert code == 2
        assert f"{CHAT}: no drift" in out
        assert out.rstrip().endswith(", 1 unreadable")
        assert "nope.json: no such file" in err

    @pytest.mark.parametrize("argv", [["drift"], ["drift", "--format", "xml", CHAT], ["drift", "--baseline"]])
    def test_usage_errors_are_one_line_and_exit_2(self, argv: list[str]) -> None:
        code, _, err = call(*argv)
        assert code == 2
        assert err.startswith("binding-contracts: error: ")
        assert err.count("\n") == 1

    def test_the_spec_files_are_only_read(self, tmp_path: Path) -> None:
        path = Path(drifted(tmp_path))
        before = path.read_bytes()
        call("drift", str(path))
        assert path.read_bytes() == before


def test_the_package_never_names_the_reference_specs() -> None:
    sources = [
        p.read_text("utf-8")
        for p in (ROOT / "src").rglob("*")
        if p.is_file() and p.suffix in (".py", ".json")
    ]
    assert not [s for s in sources if "twilio_chat_v2" in s or "shared/reference" in s]


def test_the_console_script_runs_drift() -> None:
    script = Path(sys.executable).parent / "binding-contracts"
    done = subprocess.run([str(script), "drift", CHAT], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (0, "")
    assert "no drift" in done.stdout


class TestTheDriftPage:
    def _section(self) -> str:
        return (ROOT / "docs" / "drift.md").read_text("utf-8")

    def test_the_table_lists_every_difference_type_with_its_class_and_summary(self) -> None:
        rows = [line for line in self._section().splitlines() if "| `" in line]
        assert rows == [f"| {t.impact} | `{t.id}` | {t.summary} |" for t in DIFFERENCE_TYPES.values()]

    def test_the_example_is_the_real_output_of_its_four_changes(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        doc = spec()
        param(doc, "read-bindings", "PageSize")["schema"]["maximum"] = 100
        operation(doc, "read-bindings")["parameters"].append(
            {"name": "Endpoint", "in": "query", "schema": {"type": "string"}}
        )
        del fields(doc, "user-binding")["credential_sid"]
        doc["components"]["schemas"][enum_component(doc, "binding")]["enum"].remove("gcm")
        monkeypatch.chdir(tmp_path)
        write(tmp_path, "twilio_chat_v2.json", doc)
        code, out, _ = call("drift", "twilio_chat_v2.json")
        example = self._section().split("```console\n", 1)[1].split("```", 1)[0]
        shown = example.splitlines()
        assert shown[1:-2] == out.splitlines()
        assert shown[-1] == str(code)
