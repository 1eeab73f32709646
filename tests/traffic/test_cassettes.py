"""Reading vcrpy cassettes safely, and the check command over them."""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from binding_contracts.cli import run
from binding_contracts.errors import InputError
from binding_contracts.fake import FakeBindingAPI
from binding_contracts.traffic.cassette_files import MAX_BODY_BYTES, is_json, load, parse
from conftest import example
from recordings import record_session


@pytest.fixture
def api() -> Iterator[FakeBindingAPI]:
    with FakeBindingAPI(seed=9, auth=False, services=1, bindings=7) as running:
        yield running


def record(api: FakeBindingAPI, path: Path, serializer: str = "yaml") -> Path:
    return record_session(api, path, serializer)


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return run(list(argv), out, err), out.getvalue(), err.getvalue()


class TestReading:
    @pytest.mark.parametrize("serializer", ["yaml", "json"])
    def test_a_recorded_cassette_reads_in_order(
        self, api: FakeBindingAPI, tmp_path: Path, serializer: str
    ) -> None:
        path = record(api, tmp_path / f"c.{serializer}", serializer)
        cassette = load(str(path))
        methods = [i.method for i in cassette.interactions]
        assert methods[-4:] == ["GET", "DELETE", "GET", "GET"]
        assert all("/Bindings?" in i.url for i in cassette.interactions[:-4])
        assert [i.status for i in cassette.interactions][-4:] == [200, 204, 404, 404]
        assert cassette.interactions[0].source == f"{path}#0 GET {cassette.interactions[0].url}"

    def test_binary_and_gzip_bodies_are_decoded(self, tmp_path: Path) -> None:
        body = json.dumps(
            {
                "code": 20404,
                "message": "x",
                "more_info": "https://www.twilio.com/docs/errors/20404",
                "status": 404,
            }
        )
        doc = cassette_doc(gzip.compress(body.encode()), headers={"Content-Encoding": ["gzip"]}, status=404)
        path = tmp_path / "c.yaml"
        path.write_text(yaml.safe_dump(doc))
        assert "!!binary" in path.read_text()
        (interaction,) = load(str(path)).interactions
        assert interaction.body == body.encode()

    def test_raw_deflate_bodies_are_decoded(self, tmp_path: Path) -> None:
        squeeze = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        raw = squeeze.compress(b"{}") + squeeze.flush()
        path = tmp_path / "c.yaml"
        path.write_text(yaml.safe_dump(cassette_doc(raw, headers={"Content-Encoding": ["deflate"]})))
        assert load(str(path)).interactions[0].body == b"{}"

    @pytest.mark.parametrize(
        "encoding", ["x-gzip", " GZIP", "Gzip", "gzip, gzip", "identity, gzip", "gzip,deflate"]
    )
    def test_a_body_under_any_encoding_the_clients_decode_reads_as_they_read_it(
        self, tmp_path: Path, encoding: str
    ) -> None:
        body = b'{"code": 20404, "message": "not found", "more_info": "x", "status": 404}'
        data = body
        for name in [e.strip().lower() for e in encoding.split(",")]:
            data = (
                zlib.compress(data) if name == "deflate" else gzip.compress(data) if "gzip" in name else data
            )
        path = tmp_path / "c.yaml"
        path.write_text(
            yaml.safe_dump(cassette_doc(data, headers={"Content-Encoding": [encoding]}, status=404))
        )
        (interaction,) = load(str(path)).interactions
        assert (interaction.body, interaction.body_problem) == (body, None)

    def test_the_benign_python_tags_of_vcrpy_load(self, tmp_path: Path) -> None:
        path = tmp_path / "c.yaml"
        path.write_text(BENIGN)
        (interaction,) = load(str(path)).interactions
        assert (interaction.method, interaction.status) == ("GET", 200)


def cassette_doc(
    body: bytes | str, *, headers: dict[str, list[str]] | None = None, status: int = 200
) -> dict[str, Any]:
    return {
        "version": 1,
        "interactions": [
            {
                "request": {
                    "method": "GET",
                    "uri": "https://chat.twilio.com/v2/Services/IS1/Bindings/BS1",
                    "body": None,
                    "headers": {},
                },
                "response": {
                    "status": {"code": status, "message": ""},
                    "headers": headers or {},
                    "body": {"string": body},
                },
            }
        ],
    }


BENIGN = """\
interactions:
- request:
    body: !!python/object/new:_io.BytesIO
      state: !!python/tuple
      - !!binary |
        e30=
      - 0
      - null
    headers: {Accept: [!!python/str 'application/json']}
    method: GET
    uri: https://chat.twilio.com/v2/Services/IS1/Bindings
  response:
    body: {string: '{}'}
    headers: {}
    status: {code: 200, message: OK}
version: 1
"""

BOMB = (
    "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))
    + "interactions: []\nversion: 1\n"
)

BAD = {
    "not a cassette": ("a: 1\n", "no 'interactions' list"),
    "not YAML": ("interactions: [\n", "is not YAML"),
    "not JSON": (None, "is not JSON"),
    "code in a tag": (
        "!!python/object/apply:os.system ['true']\n",
        "refused tag !!python/object/apply:os.system",
    ),
    "an alias bomb": (BOMB, "alias bomb"),
    "a future version": ("interactions: []\nversion: 2\n", "version 2"),
    "an interaction without a status": (
        "interactions: [{request: {method: GET, uri: x}, response: {}}]\n",
        "#0: is not a vcrpy interaction",
    ),
    "empty": ("", "is empty"),
}


class TestBadCassettes:
    @pytest.mark.parametrize("name", sorted(BAD))
    def test_each_bad_cassette_is_one_clear_error(self, name: str, tmp_path: Path) -> None:
        content, problem = BAD[name]
        path = tmp_path / ("c.json" if content is None else "c.yaml")
        path.write_text("{nope" if content is None else content)
        with pytest.raises(InputError, match=None) as info:
            load(str(path))
        assert problem in str(info.value)
        code, _, err = call("check", str(path))
        assert code == 2
        assert err.count("\n") == 1
        assert problem in err

    def test_a_gzip_bomb_is_refused(self, tmp_path: Path) -> None:
        bomb = gzip.compress(b"0" * (MAX_BODY_BYTES + 10))
        path = tmp_path / "c.yaml"
        path.write_text(yaml.safe_dump(cassette_doc(bomb, headers={"Content-Encoding": ["gzip"]})))
        with pytest.raises(InputError, match="inflates past"):
            load(str(path))

    def test_a_symlink_loop_is_not_followed(self, api: FakeBindingAPI, tmp_path: Path) -> None:
        record(api, tmp_path / "c.yaml")
        (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
        code, out, _ = call("check", str(tmp_path))
        assert code == 0
        assert "1 cassette(s)" in out


class TestCheckCommand:
    def test_a_recorded_session_of_the_fake_passes(self, api: FakeBindingAPI, tmp_path: Path) -> None:
        path = record(api, tmp_path / "c.yaml")
        code, out, err = call("check", str(path))
        assert (code, err) == (0, ""), out
        assert "read-bindings 3" in out  # 8 bindings at PageSize=3
        assert "1 other(s) ignored" in out

    def test_a_cassette_is_never_written(self, api: FakeBindingAPI, tmp_path: Path) -> None:
        path = record(api, tmp_path / "c.yaml")
        before = path.read_bytes()
        call("check", str(path))
        assert path.read_bytes() == before

    def test_a_broken_body_fails_with_cassette_index_and_request_line(
        self, api: FakeBindingAPI, tmp_path: Path
    ) -> None:
        path = record(api, tmp_path / "c.yaml")
        doc = yaml.safe_load(path.read_text())
        n = len(doc["interactions"]) - 4  # the fetch before the delete
        body = json.loads(doc["interactions"][n]["response"]["body"]["string"])
        body["binding_type"] = "sms"
        doc["interactions"][n]["response"]["body"]["string"] = json.dumps(body)
        path.write_text(yaml.safe_dump(doc))
        code, out, _ = call("check", str(path))
        assert code == 1
        request = f"[#{n} GET {doc['interactions'][n]['request']['uri']}]"
        (line,) = [line for line in out.splitlines() if "/binding_type: schema.enum:" in line]
        assert line.startswith(f"{path}:")
        assert line.endswith(request)

    @pytest.mark.parametrize("fmt", ["json", "junit"])
    def test_json_and_junit_formats(self, api: FakeBindingAPI, tmp_path: Path, fmt: str) -> None:
        path = record(api, tmp_path / "c.yaml")
        code, out, _ = call("check", "--format", fmt, str(path))
        assert code == 0
        if fmt == "json":
            assert json.loads(out)["summary"]["operations"]["read-bindings"] == 3
        else:
            assert out.startswith("<testsuite")

    def test_a_directory_without_cassettes_is_bad_input(self, tmp_path: Path) -> None:
        code, _, err = call("check", str(tmp_path))
        assert code == 2
        assert "holds no cassette" in err

    def test_cassettes_without_binding_traffic_are_named(self, tmp_path: Path) -> None:
        doc = cassette_doc("{}")
        doc["interactions"][0]["request"]["uri"] = "https://api.twilio.com/2010-04-01/Accounts.json"
        (tmp_path / "other.yaml").write_text(yaml.safe_dump(doc))
        code, out, _ = call("check", str(tmp_path))
        assert code == 0
        assert f"no Binding traffic: {tmp_path / 'other.yaml'}" in out


class TestBundledCassettes:
    def test_the_bundled_recordings_pass_but_the_injected_fault(self) -> None:
        from conftest import ROOT

        code, out, _ = call("check", str(ROOT / "cassettes"))
        assert code == 1
        broken = {line.split(":")[0] for line in out.splitlines() if " [#" in line}
        assert broken == {str(ROOT / "cassettes" / "injected-fault.yaml")}
        assert "1 violating the contract: binding.url-sid x1" in out

    @pytest.mark.slow
    def test_the_recording_script_re_records_them(self, tmp_path: Path) -> None:
        import importlib.util

        from conftest import ROOT

        spec = importlib.util.spec_from_file_location(
            "record_cassettes", ROOT / "scripts" / "record_cassettes.py"
        )
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.record(tmp_path)
        written = module.record(tmp_path)  # again over the same files: vcrpy loads them first
        assert {p.name for p in written} == {p.name for p in (ROOT / "cassettes").glob("*.yaml")}
        text = "".join(p.read_text() for p in written)
        assert "authorization" not in text.lower()
        assert "kim.lee" not in text
        code, out, _ = call("check", str(tmp_path))
        assert code == 1
        assert "1 violating the contract: binding.url-sid x1" in out


_INTERACTION = {
    "request": {"method": "GET", "uri": "https://example.com/", "body": None, "headers": {}},
    "response": {"status": {"code": 200, "message": "OK"}, "headers": {}, "body": {"string": "x"}},
}


@pytest.mark.parametrize(
    ("name", "text", "as_json"),
    [
        ("c.yaml", json.dumps({"version": 1, "interactions": [_INTERACTION]}), True),
        ("c.yaml", "\ufeff" + json.dumps({"version": 1, "interactions": [_INTERACTION]}), True),
        # JSON's reader refuses NaN: the cassette is read as YAML (flow style), where NaN is a string
        ("c.yaml", json.dumps({"version": 1, "interactions": [_INTERACTION], "n": float("nan")}), False),
        ("c.json", json.dumps({"version": 1, "interactions": [_INTERACTION]}), True),
    ],
)
def test_a_cassette_is_placed_in_the_format_it_was_read_in(name: str, text: str, as_json: bool) -> None:
    """Placing a finding reads the file as JSON exactly when loading it did (one decision)."""
    data = text.encode("utf-8")
    assert parse(name, data).interactions  # read, one way or the other
    assert is_json(name, data) is as_json


def _placed_at(out: str, path: Path) -> str:
    """The text of ``path`` from the line and column of the first finding ``check`` printed."""
    line, column = (int(n) for n in out.splitlines()[0].split(": ", 1)[0].split(":")[-2:])
    return path.read_text(encoding="utf-8").splitlines()[line - 1][column - 1 :]


def test_a_json_looking_yaml_cassette_is_placed_redacted_and_checked_again(tmp_path: Path) -> None:
    """The chain over a cassette the loader reads as YAML though it looks like JSON (it holds NaN):
    check places the finding at the member in its body, redact writes the cassette as YAML (the
    format it was read in), and the redacted file draws the same finding, placed again."""
    body = {**example("binding"), "binding_type": "carrier-pigeon"}
    interaction = {
        "request": {"method": "GET", "uri": body["url"], "body": None, "headers": {}},
        "response": {
            "status": {"code": 200, "message": "OK"},
            "headers": {"Content-Type": ["application/json"]},
            "body": {"string": json.dumps(body)},
        },
    }
    path = tmp_path / "in" / "c.yaml"
    path.parent.mkdir()
    path.write_text(json.dumps({"version": 1, "note": float("nan"), "interactions": [interaction]}, indent=2))
    code, out, _ = call("check", str(path))
    assert code == 1
    assert "/binding_type: schema.enum" in out
    assert _placed_at(out, path).startswith('\\"binding_type\\": \\"carrier-pigeon')
    assert call("redact", str(path), "--out", str(tmp_path / "out"))[0] == 0
    redacted = tmp_path / "out" / "c.yaml"
    assert not is_json(str(redacted), redacted.read_bytes())
    assert yaml.safe_load(redacted.read_text(encoding="utf-8"))["note"] == "NaN"
    code, again, _ = call("check", str(redacted))
    assert code == 1
    assert "/binding_type: schema.enum" in again
    assert _placed_at(again, redacted).startswith('"binding_type": "carrier-pigeon')
