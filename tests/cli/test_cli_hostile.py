"""The command line on hostile files: FIFOs, devices and links to them, YAML aliases that amplify
size, huge values, broken gzip bodies and statuses that are not integers. One line and exit 2 for
what cannot be read, a finding and exit 1 for a broken response, in bounded time and memory."""

from __future__ import annotations

import gzip
import io
import json
import os
import threading
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml

from binding_contracts import check
from binding_contracts.cli import run
from binding_contracts.traffic.cassettes import MAX_FILE_BYTES
from conftest import example

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX files")

MEMORY_BOUND = 256 * 1024 * 1024
"""Most memory a command may take above what it read (the process's limit is 1 GiB)."""


def call(*argv: str, seconds: float = 60) -> tuple[int, str, str, int]:
    """Exit status, stdout, stderr and peak traced memory of one command, which must end in time."""
    out, err, result = io.StringIO(), io.StringIO(), []
    tracemalloc.start()
    try:
        worker = threading.Thread(target=lambda: result.append(run(list(argv), out, err)), daemon=True)
        worker.start()
        worker.join(seconds)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result, f"{argv} did not end within {seconds} s"
    return result[0], out.getvalue(), err.getvalue(), peak


def cassette(body: Any, *, status: Any = 200, headers: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {
        "version": 1,
        "interactions": [
            {
                "request": {"method": "GET", "uri": example("binding")["url"]},
                "response": {"status": {"code": status}, "headers": headers or {}, "body": {"string": body}},
            }
        ],
    }


def write_cassette(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(doc))
    return path


class TestFilesThatAreNotRegular:
    @pytest.mark.parametrize("command", ["validate", "check"])
    def test_a_fifo_is_refused_at_once(self, tmp_path: Path, command: str) -> None:
        fifo = tmp_path / "pipe.json"
        os.mkfifo(fifo)
        code, _, err, _ = call(command, str(fifo))
        assert code == 2
        assert err.count("\n") == 1
        assert "not a regular file" in err

    def test_a_fifo_found_in_a_directory_is_named_and_the_rest_still_checked(self, tmp_path: Path) -> None:
        os.mkfifo(tmp_path / "pipe.yaml")
        write_cassette(tmp_path / "ok.yaml", cassette(json.dumps(example("binding"))))
        code, out, err, _ = call("check", str(tmp_path))
        assert code == 2
        assert "pipe.yaml: is not a regular file" in err
        assert "1 Binding interaction(s) checked" in out

    @pytest.mark.parametrize(
        ("command", "how"),
        [
            ("validate", "direct"),
            ("validate", "link"),
            ("check", "direct"),
            ("check", "link"),
            ("check", "link in a directory"),
        ],
    )
    def test_a_device_is_refused_without_reading_it(self, tmp_path: Path, command: str, how: str) -> None:
        target = "/dev/zero"
        if how != "direct":
            link = tmp_path / "zero.yaml"
            link.symlink_to(target)
            target = str(tmp_path if how == "link in a directory" else link)
        code, _, err, peak = call(command, target)
        assert code == 2
        assert err.count("\n") == 1
        assert "not a regular file" in err
        assert peak < MEMORY_BOUND


class TestYamlAliases:
    def test_a_large_scalar_aliased_many_times_is_refused_by_its_expanded_size(self, tmp_path: Path) -> None:
        body = "x" * (4 * 1024 * 1024)
        count = MAX_FILE_BYTES // len(body) + 2
        text = f"body: &b '{body}'\ninteractions:\n" + "".join(
            "- request: {method: GET, uri: 'https://chat.twilio.com/v2/Services/IS1/Bindings'}\n"
            "  response: {status: {code: 200}, headers: {}, body: {string: *b}}\n"
            for _ in range(count)
        )
        path = tmp_path / "amplified.yaml"
        path.write_text(text + "version: 1\n")
        code, _, err, peak = call("check", str(path))
        assert code == 2
        assert err.count("\n") == 1
        assert "through YAML aliases" in err
        assert peak < MEMORY_BOUND


class TestHugeValues:
    def test_a_huge_sid_is_quoted_shortened(self, tmp_path: Path) -> None:
        payload = {**example("binding"), "sid": "BS" + "a" * 15_000_000}
        path = tmp_path / "huge.json"
        path.write_text(json.dumps(payload))
        code, out, _, peak = call("validate", str(path))
        assert code == 1
        assert max(len(line) for line in out.splitlines()) < 1000
        assert peak < 8 * path.stat().st_size + MEMORY_BOUND

    def test_a_huge_url_in_a_cassette_is_quoted_shortened(self, tmp_path: Path) -> None:
        doc = cassette(json.dumps(example("binding")))
        doc["interactions"][0]["request"]["uri"] += "?x=" + "y" * 10_000_000
        doc["interactions"][0]["response"]["status"]["code"] = "2" * 5_000_000
        path = write_cassette(tmp_path / "c.yaml", doc)
        code, out, err, _ = call("check", str(path))
        assert code == 2
        assert max(len(line) for line in (out + err).splitlines()) < 1000


class TestNumbersPastWhatParsersHold:
    @pytest.mark.parametrize(
        ("member", "written"), [("page", str(2**64)), ("previous_page_url", "1e400"), ("page", "9" * 4300)]
    )
    def test_validate_and_check_give_the_verdict_check_gives_the_text(
        self, tmp_path: Path, member: str, written: str
    ) -> None:
        text = json.dumps({**example("binding-page"), "meta": {**example("binding-page")["meta"], member: 0}})
        data = text.replace(f'"{member}": 0', f'"{member}": {written}').encode()
        expected = 0 if check(data).ok else 1
        (tmp_path / "page.json").write_bytes(data)
        assert call("validate", str(tmp_path / "page.json"))[0] == expected == 1
        url = example("binding-page")["meta"]["url"]
        doc = cassette(data.decode())
        doc["interactions"][0]["request"]["uri"] = url
        assert call("check", str(write_cassette(tmp_path / "c.yaml", doc)))[0] == expected


class TestBodiesAndStatuses:
    BODY = json.dumps(example("binding")).encode()

    @pytest.mark.parametrize(
        ("data", "problem"),
        [
            (gzip.compress(BODY)[:-12], "truncated"),
            (b"\x1f\x8b\x08\x00" + b"\xff" * 40, "not valid gzip"),
            (gzip.compress(BODY) + b"junk", "not valid gzip"),
            (b"not gzip at all", "not valid gzip"),
        ],
    )
    def test_a_gzip_body_that_does_not_decode_is_a_response_json_finding(
        self, tmp_path: Path, data: bytes, problem: str
    ) -> None:
        path = write_cassette(tmp_path / "c.yaml", cassette(data, headers={"Content-Encoding": ["gzip"]}))
        code, out, err, _ = call("check", str(path))
        assert (code, err) == (1, "")
        assert "response.json" in out
        assert problem in out
        assert "empty" not in out

    def test_a_body_of_several_gzip_members_is_their_concatenation(self, tmp_path: Path) -> None:
        half = len(self.BODY) // 2
        data = gzip.compress(self.BODY[:half]) + gzip.compress(self.BODY[half:]) + b"\x00" * 8
        path = write_cassette(tmp_path / "c.yaml", cassette(data, headers={"Content-Encoding": ["gzip"]}))
        code, out, _, _ = call("check", str(path))
        assert code == 0, out

    @pytest.mark.parametrize("status", [True, "200", 200.0, None, [200]])
    def test_a_status_that_is_not_an_integer_is_bad_input(self, tmp_path: Path, status: Any) -> None:
        path = write_cassette(tmp_path / "c.yaml", cassette(json.dumps(example("binding")), status=status))
        code, out, err, _ = call("check", str(path))
        assert code == 2
        assert "expected an integer" in err
        assert "response.json" not in out
