"""The command line on hostile files: FIFOs, devices and links to them, YAML aliases that amplify
size, huge values, broken gzip bodies and statuses that are not integers. One line and exit 2 for
what cannot be read, a finding and exit 1 for a broken response, in bounded time and memory."""

from __future__ import annotations

import copy
import gzip
import io
import json
import os
import tempfile
import threading
import tracemalloc
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import example as case

from binding_contracts import check
from binding_contracts.cli import run
from binding_contracts.cli.main import build_parser
from binding_contracts.cli.serve import serve
from binding_contracts.traffic.cassette_files import MAX_FILE_BYTES
from clirun import assert_output, hostile_text
from conftest import ROOT, example

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


FORMAT_FUZZ_EXAMPLES = int(os.environ.get("BINDING_CONTRACTS_FUZZ_EXAMPLES", "0")) or 12
"""Examples of the property below: each runs every command in every format (some forty runs), so
the normal run keeps it short; ``BINDING_CONTRACTS_FUZZ_EXAMPLES`` lengthens it for campaigns."""
CHECK_FORMATS = ("text", "json", "junit", "github", "sarif", "gitlab")
VALIDATE_FORMATS = ("text", "json", "github", "sarif", "gitlab")
SPEC = json.loads((ROOT / "tests" / "data" / "twilio_chat_v2.json").read_text(encoding="utf-8"))


def file_name(text: str) -> bytes:
    """A file name holding ``text`` as its bytes (a lone surrogate: bytes that are not UTF-8)."""
    raw = text.encode("utf-8", "surrogatepass").replace(b"/", b"%").replace(b"\0", b"0")
    return raw[:180] + b".json"


def hostile_payload(text: str) -> dict[str, Any]:
    """A Binding quoting ``text`` in every place a finding can: a member name, a value in a message,
    the identity, a url segment."""
    doc = example("binding")
    doc[text or "x"] = 1
    doc["binding_type"] = text
    doc["identity"] = text
    doc["url"] = doc["url"] + "/" + text
    doc["links"] = {**doc["links"], text: text}
    return doc


def hostile_cassette(text: str) -> dict[str, Any]:
    """Interactions whose findings quote ``text``: a hostile body, a request URI holding it (raw and
    percent-encoded) in the query and in the sid and service sid segments, a body with a lone
    surrogate's escape in a member name."""
    good = example("binding")
    encoded = quote(text.encode("utf-8", "surrogatepass"))
    uris = [good["url"], good["url"] + "?x=" + text, good["url"] + text, good["url"] + encoded]
    uris.append(good["url"].replace(good["service_sid"], good["service_sid"] + encoded))
    uris.append(good["url"])
    bodies = [json.dumps(hostile_payload(text)), json.dumps(hostile_payload(text))]
    bodies += [json.dumps(good)] * 3
    bodies.append('{"k\\ud800": "\\ud800' + json.dumps(text)[1:-1] + '"}')
    return {
        "version": 1,
        "interactions": [
            {
                "request": {"method": "GET", "uri": uri, "body": None, "headers": {}},
                "response": {
                    "status": {"code": 200, "message": "OK"},
                    "headers": {"Content-Type": ["application/json"]},
                    "body": {"string": body},
                },
            }
            for uri, body in zip(uris, bodies, strict=True)
        ],
    }


def hostile_spec(text: str) -> dict[str, Any]:
    """Twilio's spec with ``text`` as an enum value and as a member of the binding."""
    spec = copy.deepcopy(SPEC)
    spec["components"]["schemas"]["binding_enum_binding_type"]["enum"].append(text)
    binding = spec["components"]["schemas"]["chat.v2.service.binding"]["properties"]
    binding[text or "x"] = {"type": "string", "description": text}
    return spec


class TestEveryOutputOnHostileText:
    """Whatever a payload, a cassette, a spec or a file name holds, every command writes it in every
    format as lines no CI runner or terminal executes, in the format's own grammar."""

    @settings(max_examples=FORMAT_FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(text=hostile_text)
    @case(text="\n::error file=README.md,line=1::forged")
    @case(text="%0A::add-mask::z\x1b]8;;https://evil.example\x07\u202e\ud800\ufffe\x0c\x00")
    @case(text="::add-mask::x")
    def test_every_command_in_every_format(self, text: str) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            folder = os.fsencode(tmp) + b"/"
            payload = os.fsdecode(folder + b"p" + file_name(text))
            cassette = os.fsdecode(folder + b"c" + file_name(text))
            spec = os.fsdecode(folder + b"s" + file_name(text))
            for path, doc in ((payload, hostile_payload(text)), (cassette, hostile_cassette(text))):
                with open(path, "w", encoding="utf-8") as f:
                    json.dump(doc, f)
            with open(spec, "w", encoding="utf-8") as f:
                json.dump(hostile_spec(text), f, indent=1)
            quiet = os.fsdecode(folder + b"q" + file_name(text))  # a cassette with no Binding traffic
            with open(quiet, "w", encoding="utf-8") as f:
                json.dump({"version": 1, "interactions": []}, f)
            runs = [(fmt, ("check", "--format", fmt, cassette, quiet)) for fmt in CHECK_FORMATS]
            runs += [(fmt, ("validate", "--format", fmt, payload)) for fmt in VALIDATE_FORMATS]
            runs += [(fmt, ("drift", "--format", fmt, spec)) for fmt in VALIDATE_FORMATS]
            runs += [(fmt, ("observe", "--format", fmt, cassette, payload)) for fmt in ("text", "json")]
            runs.append(("text", ("validate", os.fsdecode(folder + b"missing" + file_name(text)))))
            for fmt, argv in runs:
                code, out, err = call_in_process(*argv)
                assert code in (0, 1, 2), (argv, err)
                assert_output(fmt, out)
                assert_output("text", err)
                assert "Traceback" not in err


def call_in_process(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return run(list(argv), out, err), out.getvalue(), err.getvalue()


class TestObserveAndServeOnHostileText:
    HOSTILE = "\x1b[31m\x1b]0;t\x07\x9b2J\u202e\n::add-mask::z\ud800"

    def hostile_traffic(self, tmp_path: Path) -> str:
        """A cassette quoting HOSTILE in its file name, an enum value, a member name and a host."""
        doc = example("binding")
        doc |= {"binding_type": self.HOSTILE, self.HOSTILE: 1, "message_types": [self.HOSTILE]}
        host = "h\x1b\x9b2J\u202e\n::add-mask::y"  # no bracket: a URL urlsplit takes
        doc["links"] = {**doc["links"], "user": f"https://{host}.example/v2/x"}
        path = os.fsdecode(os.fsencode(str(tmp_path)) + b"/c\n::warning::x\x1b[2J\xff.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(
                hostile_cassette(self.HOSTILE)
                | {"interactions": [cassette(json.dumps(doc))["interactions"][0]]},
                f,
            )
        return path

    @pytest.mark.parametrize("fmt", ["text", "json"])
    def test_observe_writes_what_it_saw_visibly(self, tmp_path: Path, fmt: str) -> None:
        path = self.hostile_traffic(tmp_path)
        profile = tmp_path / "profile.json"
        code, out, err = call_in_process("observe", "--format", fmt, "--write-profile", str(profile), path)
        assert code == 0, err
        assert_output(fmt, out)
        assert_output("text", err)
        shown = "\\x1b[31m\\x1b]0;t\\x07\\x9b2J\\u202e\\n::add-mask::z\\ud800"
        assert shown in (out if fmt == "text" else json.loads(out)["kinds"]["binding"]["members"])
        assert_output("json", profile.read_text(encoding="utf-8"))

    def test_serve_from_cassettes_warns_visibly(self, tmp_path: Path) -> None:
        path = self.hostile_traffic(tmp_path)
        stop = threading.Event()
        stop.set()
        args = build_parser("serve").parse_args(["serve", "--no-auth", "--from-cassettes", path])
        out, err = io.StringIO(), io.StringIO()
        assert serve(args, out, stop, err) == 0
        (warning,) = err.getvalue().splitlines()
        assert warning.startswith("warning: binding BS")
        assert "c\\n::warning::x\\x1b[2J\\udcff.json#0" in warning
        assert_output("text", err.getvalue())
