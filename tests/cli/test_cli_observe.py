"""binding-contracts observe: the table and JSON of what cassettes and payload files show, the profile
file it writes, which check and validate then use; bad profile files and hostile cassettes refused
with one line, exit 2."""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checking.test_hostile_differential import BODIES, FUZZ_EXAMPLES, _places, _put, mutated_texts, write
from clirun import assert_bad_input, call
from conftest import ROOT, example

CASSETTES = ROOT / "cassettes"


def nulled(source: Path, target: Path) -> Path:
    """A copy of a cassette whose first fetched binding has credential_sid null and no endpoint."""
    doc = yaml.safe_load(source.read_text())
    for interaction in doc["interactions"]:
        body = json.loads(interaction["response"]["body"]["string"] or "null")
        if isinstance(body, dict) and "credential_sid" in body:
            body["credential_sid"] = None
            del body["endpoint"]
            interaction["response"]["body"]["string"] = json.dumps(body)
            break
    target.write_text(yaml.safe_dump(doc))
    return target


class TestObserve:
    def test_the_bundled_cassettes_give_a_table_per_kind_and_a_profile_check_then_uses(
        self, tmp_path: Path
    ) -> None:
        profile = tmp_path / "profile.json"
        code, out, err = call("observe", str(CASSETTES), "--write-profile", str(profile))
        assert (code, err) == (0, "")
        assert "binding (83 payloads)" in out
        assert "  binding_type    83/83    0     string  apn 31, fcm 32, gcm 20" in out
        assert out.rstrip().endswith("from 7 file(s): 22 interaction(s), 3 without a Binding body")
        written = json.loads(profile.read_text())
        assert written == {"binding_contracts_profile": 1, "base": "strict", "loosen": {}}
        code, out, _ = call("check", str(CASSETTES), "--profile", str(profile), "--format", "json")
        strict_code, strict_out, _ = call("check", str(CASSETTES), "--format", "json")
        assert code == strict_code
        assert json.loads(out)["summary"] == json.loads(strict_out)["summary"]
        assert {r["profile"] for r in json.loads(out)["results"]} == {str(profile)}

    def test_traffic_with_nulls_and_missing_members_gives_a_profile_that_accepts_it(
        self, tmp_path: Path
    ) -> None:
        cassette = nulled(CASSETTES / "fetch-delete-fetch.yaml", tmp_path / "nulled.yaml")
        assert call("check", str(cassette))[0] == 1
        profile = tmp_path / "profile.json"
        code, out, _ = call("observe", str(cassette), "--write-profile", str(profile))
        assert code == 0
        assert "  credential_sid  1/1      1     null" in out
        assert json.loads(profile.read_text())["loosen"] == {
            "binding": {"nullable": ["credential_sid"], "optional": ["endpoint"]}
        }
        assert call("check", str(cassette), "--profile", str(profile))[0] == 0

    def test_json_format_counts_per_kind_and_member(self) -> None:
        code, out, _ = call("observe", str(CASSETTES / "conversations.yaml"), "--format", "json")
        assert code == 0
        doc = json.loads(out)
        member = doc["kinds"]["conversations-binding"]["members"]["binding_type"]
        assert member["values"] == {"apn": 5, "twilsock": 4}
        assert member["types"] == {"string": 9}
        assert doc["kinds"]["conversations-binding"]["members"]["url"]["hosts"] == {
            "conversations.twilio.com": 9
        }

    def test_payload_files_are_observed_by_their_detected_kind(self, tmp_path: Path) -> None:
        (tmp_path / "b.json").write_text(json.dumps({**example("binding"), "identity": None}))
        profile = tmp_path / "p.json"
        code, out, _ = call("observe", str(tmp_path / "b.json"), "--write-profile", str(profile))
        assert code == 0
        assert "binding (1 payload)" in out
        assert call("validate", str(tmp_path / "b.json"), "--profile", str(profile))[0] == 0
        assert call("validate", str(tmp_path / "b.json"))[0] == 1

    def test_a_directory_without_cassettes_or_payloads_is_bad_input(self, tmp_path: Path) -> None:
        code, _, err = call("observe", str(tmp_path))
        assert_bad_input(code, err, str(tmp_path), "holds no cassette or JSON payload")


def one_fetch(tmp_path: Path, body: str) -> Path:
    uri = example("binding")["url"]
    interaction = {
        "request": {"method": "GET", "uri": uri},
        "response": {"status": {"code": 200}, "body": {"string": body}},
    }
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "interactions": [interaction]}))
    return path


class TestLeftOut:
    def test_a_body_that_is_not_json_is_named_on_stderr_and_left_out(self, tmp_path: Path) -> None:
        code, out, err = call("observe", str(one_fetch(tmp_path, "<html>")))
        assert code == 0
        assert err.startswith("left out: ")
        assert "is not JSON" in err
        assert out.startswith("0 payloads observed from 1 file(s): 1 interaction(s)")

    def test_members_that_tell_the_kind_are_never_loosened_and_say_so(self, tmp_path: Path) -> None:
        body = {k: v for k, v in example("binding").items() if k not in ("sid", "binding_type", "links")}
        profile = tmp_path / "p.json"
        code, _, err = call(
            "observe", str(one_fetch(tmp_path, json.dumps(body))), "--write-profile", str(profile)
        )
        assert code == 0
        assert (
            err == "not loosened: binding: sid, binding_type, links kept required (the kind is told by it)\n"
        )
        assert json.loads(profile.read_text())["loosen"] == {}

    def test_a_profile_that_cannot_be_written_is_one_line_and_exit_2(self, tmp_path: Path) -> None:
        code, _, err = call("observe", str(CASSETTES / "errors.yaml"), "--write-profile", str(tmp_path))
        assert_bad_input(code, err, str(tmp_path), "")

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX files")
    def test_a_profile_written_over_a_fifo_replaces_it_without_blocking(self, tmp_path: Path) -> None:
        profile = tmp_path / "p.json"
        os.mkfifo(profile)  # opened for writing, a FIFO would wait for a reader for ever
        done: list[tuple[int, str, str]] = []
        argv = ("observe", str(CASSETTES / "errors.yaml"), "--write-profile", str(profile))
        worker = threading.Thread(target=lambda: done.append(call(*argv)), daemon=True)
        worker.start()
        worker.join(60)
        assert done, "observe blocked writing the profile"
        assert (done[0][0], done[0][2]) == (0, "")
        assert json.loads(profile.read_text())["binding_contracts_profile"] == 1


class TestHostileCassettes:
    """observe refuses what check refuses, with the same line."""

    @pytest.mark.parametrize(
        "content",
        [
            "interactions: !!python/object/apply:os.system ['true']\nversion: 1\n",
            "a: &a ['" + "x" * 1000 + "']\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
            "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
            "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
            "g: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n",
            "version: 1\ninteractions:\n- request: {method: GET, uri: x}\n"
            "  response: {status: {code: '200'}}\n",
            "version: 2\ninteractions: []\n",
            b"\xff\xfe not utf-8",
            "version: 1\ninteractions: []\nx: " + "9" * 5000 + "\n",
            '{"version": 1, "x": ' + "9" * 5000 + ', "interactions": []}',
            '{"version": NaN, "interactions": []}',
        ],
        ids=[
            "python-tag",
            "alias-bomb",
            "status-not-integer",
            "version",
            "not-utf8",
            "yaml-int",
            "json-int",
            "nan",
        ],
    )
    def test_a_hostile_cassette_gets_check_s_line_and_exit_2(self, tmp_path: Path, content: Any) -> None:
        path = tmp_path / "c.yaml"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
        checked = call("check", str(path))
        observed = call("observe", str(path), "--write-profile", str(tmp_path / "p.json"))
        assert observed[0] == checked[0] == 2
        assert observed[2] == checked[2]
        assert observed[2].count("\n") == 1
        assert not (tmp_path / "p.json").exists()

    @pytest.mark.parametrize(
        ("name", "problem"),
        [
            ("c.json", "holds an integer of more than 4,300 digits"),
            ("c.yaml", "has a !!int value at line 1 that is no int"),  # read as YAML, which JSON is
        ],
    )
    def test_an_integer_past_what_python_reads_is_one_line(
        self, tmp_path: Path, name: str, problem: str
    ) -> None:
        path = tmp_path / name
        path.write_text('{"version": 1, "x": ' + "9" * 5000 + ', "interactions": []}')
        for command in ("check", "observe"):
            code, _, err = call(command, str(path))
            assert_bad_input(code, err, str(path), problem)

    @pytest.mark.parametrize(
        ("scalar", "problem"),
        [
            ("!!bool x", "has a !!bool value at line 3 that is no bool"),
            ("!!int x", "has a !!int value at line 3 that is no int"),
            ("9" * 5000, "has a !!int value at line 3 that is no int (Exceeds the limit (4300 digits)"),
            ("!!float x", "has a !!float value at line 3 that is no float"),
        ],
    )
    def test_a_scalar_its_tag_cannot_read_is_one_line(
        self, tmp_path: Path, scalar: str, problem: str
    ) -> None:
        path = tmp_path / "c.yaml"
        path.write_text(f"version: 1\ninteractions: []\nx: {scalar}\n")
        for command in ("check", "observe"):
            code, _, err = call(command, str(path))
            assert_bad_input(code, err, str(path), problem)

    @pytest.mark.parametrize(
        "scalar", ["2016-12-31T23:59:60Z", "2016-12-31t23:59:60z", "2016-02-30", "2016-12-31"]
    )
    def test_a_plain_yaml_scalar_like_a_date_is_its_text(self, tmp_path: Path, scalar: str) -> None:
        # YAML reads it as a timestamp; Python has no leap second nor February 30 to build
        path = tmp_path / "c.yaml"
        path.write_text(f"version: 1\nrecorded_at: {scalar}\ninteractions: []\n")
        for command in ("check", "observe"):
            code, _, err = call(command, str(path))
            assert code == 0, err
            assert "Traceback" not in err

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX files")
    def test_a_fifo_beside_good_cassettes_is_named_and_the_rest_still_observed(self, tmp_path: Path) -> None:
        shutil.copy(CASSETTES / "errors.yaml", tmp_path / "a.yaml")
        os.mkfifo(tmp_path / "b.yaml")
        code, out, err = call("observe", str(tmp_path))
        assert code == 2
        assert "is not a regular file (a FIFO)" in err
        assert "error (2 payloads)" in out


class TestProfileOption:
    @pytest.mark.parametrize("command", ["validate", "check"])
    @pytest.mark.parametrize(
        ("content", "problem"),
        [
            ("{", "is not JSON"),
            ({"binding_contracts_profile": 1, "loosen": {"bindng": {}}}, "unknown kind 'bindng'"),
            (
                {"binding_contracts_profile": 1, "loosen": {"binding": {"nullable": ["sdi"]}}},
                "kind 'binding' has no such member (did you mean 'sid'?)",
            ),
            (
                {"binding_contracts_profile": 1, "loosen": {"error": {"optional": ["status"]}}},
                "an error is detected by it",
            ),
            (
                '{"binding_contracts_profile": true}',
                "has binding_contracts_profile true, expected the integer 1",
            ),
            (
                '{"binding_contracts_profile": 1.0}',
                "has binding_contracts_profile 1.0, expected the integer 1",
            ),
            (
                '{"binding_contracts_profile": 1, "loosen": {"binding": {"nullable": []}, "binding": {}}}',
                "has the key 'binding' twice in one object",
            ),
        ],
    )
    def test_a_bad_profile_file_is_one_line_naming_it_and_exit_2(
        self, tmp_path: Path, command: str, content: Any, problem: str
    ) -> None:
        profile = tmp_path / "p.json"
        profile.write_text(content if isinstance(content, str) else json.dumps(content))
        target = CASSETTES / "errors.yaml" if command == "check" else ROOT / "examples" / "binding.json"
        code, out, err = call(command, str(target), "--profile", str(profile))
        assert_bad_input(code, err, str(profile), problem)
        assert out == ""

    def test_a_misspelt_profile_name_is_a_missing_file_with_a_close_match(self) -> None:
        code, _, err = call("validate", str(ROOT / "examples" / "binding.json"), "--profile", "publishd")
        assert_bad_input(code, err, "publishd", "no such profile file (did you mean 'published'?)")


HOSTILE_URLS = [
    "https://[x]/v2/Services/IS00000000000000000000000000000000/Bindings",
    "https://[::1/v2/Services",
    "http://[v1.x]/",
    "https://a\uff03b.twilio.com/v2/",
    "https://chat.twilio.com:99999999/v2/",
    "https://chat.twilio.com/v2/%0A::add-mask::z/Bindings",
    "https://user:p@ss@[x]/v2/Services/IS1/Users/maria/Bindings?Identity=maria",
    "https://\ud800.twilio.com/v2/",
    "http://",
    "https://" + "a" * 5000,
]
"""URLs ``urlsplit`` refuses (a bracketed host that is no IPv6 address, an unbalanced bracket, a
host NFKC normalises to a ``#``) or reads oddly (a port past 65535, a lone surrogate)."""


@st.composite
def hostile_bodies(draw: st.DrawFn) -> bytes:
    """The round-two hostile texts, or a real body with URLs urlsplit refuses where URLs stand."""
    if draw(st.booleans()):
        return draw(mutated_texts())
    doc = draw(st.sampled_from(BODIES))
    for _ in range(draw(st.integers(1, 3))):
        place = draw(st.sampled_from(_places(doc, ())[1:]))
        doc = _put(doc, place, draw(st.sampled_from(HOSTILE_URLS)))
    return write(doc, None, draw(st.booleans())).encode("utf-8", "surrogatepass")


@st.composite
def hostile_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """A file observe reads: a cassette (YAML or JSON) of hostile interactions, or a payload file."""
    body = draw(hostile_bodies())
    if draw(st.integers(0, 3)) == 0:
        return "payload.json", body
    interactions = []
    for _ in range(draw(st.integers(1, 3))):
        uri = draw(st.sampled_from([example("binding")["url"], *HOSTILE_URLS]))
        text = body.decode("utf-8", "surrogatepass")
        response: dict[str, Any] = {
            "status": {"code": draw(st.sampled_from([200, 201, 204, 404, 500]))},
            "headers": draw(st.sampled_from([{}, {"Content-Encoding": ["gzip"]}, {"content-type": "x"}])),
            "body": {"string": text},
        }
        request = {"method": draw(st.sampled_from(["GET", "get", "POST", "DELETE", ""])), "uri": uri}
        interactions.append({"request": request, "response": response})
    doc = {"version": 1, "interactions": interactions}
    if draw(st.booleans()):
        return "cassette.json", json.dumps(doc).encode("utf-8", "surrogatepass")
    # a plain scalar as a hand-edited cassette may hold one: YAML types it (dates, numbers)
    plain = draw(st.sampled_from(["", *PLAIN_SCALARS]))
    return "cassette.yaml", (yaml.safe_dump(doc) + (f"x: {plain}\n" if plain else "")).encode("utf-8")


PLAIN_SCALARS = [
    "2016-12-31T23:59:60Z",
    "2016-02-30",
    "2016-12-31 23:59:59.5 -8",
    "9" * 5000,
    "0x" + "f" * 5000,
    ".nan",
    "-.inf",
    "0o777",
    "1_000",
    "!!binary Zm9v",
    "!!binary not-base64",
    "!!timestamp 2016-13-01",
    "!!int x",
    "!!float x",
    "!!bool x",
    "!!null x",
]
"""Plain YAML scalars that PyYAML types: timestamps Python cannot build, integers past its digits,
tags that construct values from text."""


class TestHostileInput:
    """observe over hostile files beside a good one: a report or one line per file refused (exit 2),
    never a traceback; the good file is still observed and no profile is written over a refusal."""

    @settings(max_examples=FUZZ_EXAMPLES, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(hostile=hostile_files(), how=st.sampled_from(["text", "json", "profile"]))
    def test_hostile_files_give_a_report_or_one_line_each_and_the_rest_goes_on(
        self, tmp_path_factory: pytest.TempPathFactory, hostile: tuple[str, bytes], how: str
    ) -> None:
        folder = tmp_path_factory.mktemp("observe")
        shutil.copy(CASSETTES / "errors.yaml", folder / "a-good.yaml")
        (folder / f"b-{hostile[0]}").write_bytes(hostile[1])
        profile = folder / "p.json"
        options = {"text": [], "json": ["--format", "json"], "profile": ["--write-profile", str(profile)]}
        code, out, err = call("observe", str(folder), *options[how])  # raises on a traceback
        assert code in (0, 2)
        assert "Traceback" not in err
        for line in err.splitlines():
            assert line.startswith(("binding-contracts: error: ", "left out: ", "not loosened: ")), line
        assert (code == 2) == ("binding-contracts: error: " in err)
        # the good cassette's error bodies are observed whatever the other file holds
        assert "error" in json.loads(out)["kinds"] if how == "json" else "\nerror (" in f"\n{out}"
        assert profile.exists() == (how == "profile" and code == 0)

    @pytest.mark.parametrize("how", [[], ["--format", "json"], ["--write-profile", "PROFILE"]])
    def test_a_url_urlsplit_refuses_is_no_host_and_no_traceback(self, tmp_path: Path, how: list[str]) -> None:
        body = {**example("binding"), "url": HOSTILE_URLS[0]}
        body["links"] = {"user": "https://[x]/v2/Services/IS1/Users/maria"}
        cassette = one_fetch(tmp_path, json.dumps(body))
        argv = [a.replace("PROFILE", str(tmp_path / "p.json")) for a in how]
        code, out, err = call("observe", str(cassette), *argv)
        assert (code, err) == (0, "")
        assert "binding (1 payload)" in out or '"binding"' in out
        assert "[x]" not in out  # a URL urlsplit refuses has no host to count
        checked = call("check", str(cassette))
        assert checked[0] == 1  # check reads it too, and reports the url


class TestUrlsUrlsplitRefuses:
    """The reproducer: a cassette whose request URI and body hold ``https://[x]/…`` beside a good one.
    ``check``, ``observe`` (each format) and ``redact --pii`` read both: no traceback, the rest goes on."""

    def folder(self, tmp_path: Path) -> Path:
        body = {**example("binding"), "url": "https://[x]/v2/Services/IS1/Bindings/BS1"}
        uri = "https://[x]/v2/Services/IS00000000000000000000000000000000/Users/maria/Bindings?Identity=maria"
        interaction = {
            "request": {"method": "GET", "uri": uri},
            "response": {"status": {"code": 200}, "body": {"string": json.dumps(body)}},
        }
        folder = tmp_path / "in"
        folder.mkdir()
        (folder / "a-bad.yaml").write_text(yaml.safe_dump({"version": 1, "interactions": [interaction]}))
        shutil.copy(CASSETTES / "errors.yaml", folder / "b-good.yaml")
        return folder

    @pytest.mark.parametrize("how", [[], ["--format", "json"], ["--write-profile", "PROFILE"]])
    def test_observe_reads_both_files(self, tmp_path: Path, how: list[str]) -> None:
        argv = [a.replace("PROFILE", str(tmp_path / "p.json")) for a in how]
        code, out, err = call("observe", str(self.folder(tmp_path)), *argv)
        assert (code, err) == (0, "")
        assert "from 2 file(s)" in out or '"files": 2' in out

    def test_redact_pii_rewrites_both_and_pseudonymises_the_identity(self, tmp_path: Path) -> None:
        code, _, err = call("redact", str(self.folder(tmp_path)), "--pii", "--out", str(tmp_path / "out"))
        assert (code, err) == (0, "")
        written = (tmp_path / "out" / "a-bad.yaml").read_text()
        assert "maria" not in written
        assert "https://[x]/v2/Services/" in written
        assert (tmp_path / "out" / "b-good.yaml").exists()

    def test_check_reads_both(self, tmp_path: Path) -> None:
        code, out, err = call("check", str(self.folder(tmp_path)))
        assert code == 0
        assert "2 cassette(s)" in out
        assert "Traceback" not in err
