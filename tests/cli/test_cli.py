"""The command line: exit statuses, text and JSON output, and every kind of bad input."""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import binding_contracts
from binding_contracts._inputs import MAX_BYTES
from binding_contracts.cli.main import CLOSED_PIPE, run
from clirun import assert_bad_input, call, input_path, write
from conftest import ROOT


class TestExitStatus:
    def test_valid_files_exit_0(self, tmp_path: Path, binding: dict[str, Any]) -> None:
        code, out, err = call("validate", write(tmp_path, "b.json", binding))
        assert (code, err) == (0, "")
        assert "ok (binding)" in out

    def test_warnings_alone_still_exit_0(self, tmp_path: Path, binding: dict[str, Any]) -> None:
        binding["extra"] = 1
        code, out, _ = call("validate", write(tmp_path, "b.json", binding))
        assert code == 0
        assert "field.unknown (warning)" in out

    def test_strict_fields_turns_that_warning_into_exit_1(
        self, tmp_path: Path, binding: dict[str, Any]
    ) -> None:
        binding["extra"] = 1
        assert call("validate", "--strict-fields", write(tmp_path, "b.json", binding))[0] == 1

    def test_a_violation_exits_1_with_one_line_per_violation(
        self, tmp_path: Path, binding: dict[str, Any]
    ) -> None:
        binding.update(sid="BS1", binding_type="apns")
        path = write(tmp_path, "b.json", binding)
        code, out, _ = call("validate", path)
        assert code == 1
        assert re.search(
            rf"^{re.escape(path)}:1:\d+: /binding_type: schema.enum: 'apns' is not one of gcm, apn, fcm$",
            out,
            re.M,
        )
        assert re.search(rf"^{re.escape(path)}:1:\d+: /sid: schema.pattern: ", out, re.M)

    def test_kind_and_profile_are_honoured(self, tmp_path: Path, binding: dict[str, Any]) -> None:
        del binding["links"]
        path = write(tmp_path, "b.json", binding)
        assert call("validate", "--kind", "binding", path)[0] == 1
        assert call("validate", "--kind", "binding", "--profile", "published", path)[0] == 0

    def test_stdin_is_read_for_a_dash(self, binding: dict[str, Any]) -> None:
        code, out, _ = call("validate", "-", stdin=json.dumps(binding).encode())
        assert code == 0
        assert "<stdin>: ok (binding)" in out

    def test_json_output_is_one_document_with_a_result_per_file(
        self, tmp_path: Path, binding: dict[str, Any]
    ) -> None:
        good = write(tmp_path, "good.json", binding)
        bad = write(tmp_path, "bad.json", {**binding, "account_sid": "x"})
        code, out, _ = call("validate", "--format", "json", good, bad)
        doc = json.loads(out)
        assert code == 1
        assert [r["ok"] for r in doc["results"]] == [True, False]
        assert doc["summary"] == {"checked": 2, "ok": 1, "errors": 1, "warnings": 0}

    def test_the_bundled_examples_show_one_broken_file(self) -> None:
        paths = sorted(str(p) for p in (ROOT / "examples").glob("*.json"))
        code, out, _ = call("validate", *paths)
        assert code == 1
        assert {
            line.split(":")[0]
            for line in out.splitlines()
            if ": schema." in line or (": binding." in line and "warning" not in line)
        } == {str(ROOT / "examples" / "broken-binding.json")}


BAD_INPUTS = {
    "missing file": (None, "no such file"),
    "directory": ("DIR", "is a directory"),
    "empty file": (b"", "is empty"),
    "blank file": (b"  \n", "is empty"),
    "not UTF-8": (b'{"sid": "\xff"}', "is not UTF-8"),
    "not JSON": (b"{sid: 1}", "is not JSON"),
    "truncated JSON": (b'{"sid": "BS', "is not JSON"),
    "deeply nested": (b"[" * 100_000 + b"]" * 100_000, "nested deeper than 64"),
    "nested past the limit": (b'{"a":' * 70 + b"1" + b"}" * 70, "nested deeper than 64"),
}


class TestBadInput:
    @pytest.mark.parametrize("name", sorted(BAD_INPUTS))
    def test_each_bad_input_is_one_line_on_stderr_and_exit_2(self, name: str, tmp_path: Path) -> None:
        content, problem = BAD_INPUTS[name]
        path = input_path(tmp_path, content)
        code, _, err = call("validate", path)
        assert_bad_input(code, err, path, problem)

    def test_a_file_over_the_size_limit_is_refused_without_reading_it(self, tmp_path: Path) -> None:
        path = tmp_path / "big.json"
        with path.open("wb") as f:
            f.truncate(50 * 1024 * 1024)
        code, _, err = call("validate", str(path))
        assert code == 2
        assert f"more than the {MAX_BYTES:,}-byte limit" in err

    def test_a_json_array_where_an_object_is_needed_is_a_violation(self, tmp_path: Path) -> None:
        code, out, _ = call("validate", "--kind", "binding", write(tmp_path, "a.json", [1, 2]))
        assert code == 1
        assert "(root): schema.type: expected an object, got an array" in out

    def test_a_json_array_with_auto_kind_is_reported_as_undetected(self, tmp_path: Path) -> None:
        code, out, _ = call("validate", write(tmp_path, "a.json", [1, 2]))
        assert code == 1
        assert "kind.undetected" in out

    def test_bad_input_beside_a_violation_still_exits_2(
        self, tmp_path: Path, binding: dict[str, Any]
    ) -> None:
        bad = write(tmp_path, "bad.json", {**binding, "account_sid": "x"})
        code, _, err = call("validate", bad, str(tmp_path / "missing.json"))
        assert code == 2
        assert "missing.json: no such file" in err

    @pytest.mark.parametrize(
        "argv",
        [
            [],
            ["validate"],
            ["validate", "--kind", "bindng", "x"],
            ["frobnicate"],
            ["validate", "--format", "xml", "x"],
        ],
    )
    def test_usage_errors_are_one_line_and_exit_2(self, argv: list[str]) -> None:
        code, _out, err = call(*argv)
        assert code == 2
        assert err.startswith("binding-contracts: error: ")
        assert err.count("\n") == 1

    def test_help_exits_0(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert run(["--help"]) == 0
        assert "validate" in capsys.readouterr().out

    def test_input_files_are_not_changed(self, tmp_path: Path, binding: dict[str, Any]) -> None:
        path = Path(write(tmp_path, "b.json", {**binding, "account_sid": "x"}))
        before = path.read_bytes()
        call("validate", str(path))
        assert path.read_bytes() == before


def test_the_console_script_runs(tmp_path: Path, binding: dict[str, Any]) -> None:
    script = Path(sys.executable).parent / "binding-contracts"
    path = write(tmp_path, "b.json", {**binding, "binding_type": "apns"})
    done = subprocess.run([str(script), "validate", path], capture_output=True, text=True)
    assert done.returncode == 1
    assert "schema.enum" in done.stdout


LOADED_ON_DEMAND = ("hashlib", "_hashlib", "difflib")
"""Modules a command's start does without: OpenSSL's library (a spec profile's digest) and the
misspelling suggestions."""


@pytest.mark.parametrize(
    "argv", [["validate", "examples/binding.json"], ["check", "cassettes/"]], ids=" ".join
)
def test_a_command_starts_without_the_modules_it_loads_on_demand(argv: list[str]) -> None:
    code = (
        "import sys; from binding_contracts.cli.main import run; "
        f"status = run({argv!r}, open('/dev/null', 'w'), sys.stderr); "
        f"print(status, sorted(m for m in {LOADED_ON_DEMAND!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    status, loaded = done.stdout.split(maxsplit=1)
    assert status in ("0", "1")  # judged (the bundled cassettes hold violations on purpose)
    assert loaded == "[]\n"


def test_a_misspelt_profile_is_still_answered_with_a_suggestion() -> None:
    status, out, err = call("validate", "--profile", "strikt", "examples/binding.json")
    assert (status, out) == (2, "")
    assert "did you mean 'strict'?" in err


CONSOLE_SCRIPT = Path(sys.executable).parent / "binding-contracts"


@pytest.mark.slow
@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "examples/binding.json"],
        ["validate", "--format", "json", "examples/binding.json", "examples/broken-binding.json"],
        ["check", "cassettes/"],
        ["check", "--format", "junit", "cassettes/"],
        ["fixtures", "--kind", "binding", "--count", "3", "--format", "jsonl"],
        ["fixtures", "--kind", "binding-page"],
        ["drift", "tests/data/twilio_chat_v2.json"],
        ["drift", "--format", "json", "tests/data/twilio_conversations_v1.json"],
    ],
    ids=" ".join,
)
def test_a_reader_that_went_away_ends_the_command_quietly(argv: list[str]) -> None:
    """``binding-contracts ... | head``: no traceback when stdout's reader closes early; the exit
    status is a shell's for SIGPIPE."""
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first write: every write meets a closed pipe
    try:
        done = subprocess.run(
            [str(CONSOLE_SCRIPT), *argv],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            timeout=60,
        )
    finally:
        os.close(write)
    assert done.stderr == ""
    assert done.returncode == CLOSED_PIPE


def test_version_is_the_package_s(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--version"]) == 0
    assert capsys.readouterr().out == f"binding-contracts {binding_contracts.__version__}\n"
    assert binding_contracts.__version__ == importlib.metadata.version("binding-contracts")
