"""``binding-contracts redact``: cassettes recorded without redaction rewritten as recording would have
written them; the result passes ``check --require-redacted`` and still plays back; inputs untouched
unless ``--in-place``; hostile cassettes refused with nothing written."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import requests
import vcr
import yaml

from binding_contracts.fake import FakeBindingAPI
from binding_contracts.recording import vcr_config
from clirun import call
from conftest import ROOT

IDENTITY = "maria@example.org"
BOMB = (
    "a: &a ['x','x','x','x','x','x','x','x','x','x']\n"
    + "".join(f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcdefg", "bcdefgh", strict=True))
    + "interactions: [*h]\nversion: 1\n"
)
"""A YAML alias bomb: ten values, each level ten times the one before (10^8 once expanded)."""


def record(
    folder: Path, name: str, *, serializer: str = "yaml"
) -> tuple[Path, list[tuple[str, dict[str, Any]]]]:
    """A cassette recorded by plain vcrpy (nothing redacted): Basic credentials, identities and
    endpoints as the fake sent them. The calls made and their params, to replay."""
    path = folder / name
    with FakeBindingAPI(seed=7) as api:
        service = api.add_service()
        api.add_binding(service, IDENTITY, "apn")
        api.add_binding(service, "kim", "fcm")
        base = f"{api.base_url}/v2/Services/{service}"
        calls = [
            (f"{base}/Bindings", {"Identity": IDENTITY}),
            (f"{base}/Users/{IDENTITY}/Bindings", {}),
            (f"{base}/Bindings", {"BindingType": "fcm"}),
        ]
        auth = (api.account_sid, api.auth_token)
        with vcr.VCR(record_mode="all", serializer=serializer).use_cassette(str(path)):
            for url, params in calls:
                assert requests.get(url, params=params, auth=auth, timeout=5).status_code == 200
    return path, calls


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def replay(
    path: Path, calls: list[tuple[str, dict[str, Any]]], config: dict[str, Any], serializer: str
) -> None:
    """The calls again, answered from the cassette alone (record_mode none: an unmatched request raises):
    the identity the requests name comes back in clear, the one they never name as its pseudonym."""
    with vcr.VCR(record_mode="none", serializer=serializer, **config).use_cassette(str(path)) as cassette:
        for url, params in calls:
            response = requests.get(url, params=params, auth=("AC" + "1" * 32, "x" * 32), timeout=5)
            assert response.status_code == 200
            assert "kim" not in response.text
            assert (IDENTITY in response.text) == ("BindingType" not in params)
        assert cassette.all_played


class TestRoundTrip:
    def test_a_cassette_with_credentials_is_cassette_secret_before_and_passes_after(
        self, tmp_path: Path
    ) -> None:
        (tmp_path / "in").mkdir()
        raw, _ = record(tmp_path / "in", "c.yaml")
        code, out, _ = call("check", str(raw))
        assert code == 1
        assert "cassette.secret" in out
        assert "Authorization header" in out
        code, out, err = call("redact", str(raw), "--out", str(tmp_path / "out"))
        assert code == 0, err
        code, out, _ = call("check", str(tmp_path / "out"))
        assert code == 0, out
        code, out, _ = call("check", "--require-redacted", str(tmp_path / "out"))
        assert code == 1
        assert "cassette.pii" in out
        assert "cassette.secret" not in out

    @pytest.mark.parametrize("serializer", ["yaml", "json"])
    def test_with_pii_the_result_passes_require_redacted_keeps_its_format_and_plays_back(
        self, tmp_path: Path, serializer: str
    ) -> None:
        (tmp_path / "in").mkdir()
        raw, calls = record(tmp_path / "in", f"c.{serializer}", serializer=serializer)
        before = digest(tmp_path / "in")
        code, out, err = call("redact", "--pii", str(tmp_path / "in"), "--out", str(tmp_path / "out"))
        assert code == 0, err
        assert digest(tmp_path / "in") == before
        redacted = tmp_path / "out" / raw.name
        text = redacted.read_text("utf-8")
        if serializer == "json":
            assert isinstance(json.loads(text)["interactions"], list)
        else:
            assert not text.lstrip().startswith("{")
            assert isinstance(yaml.safe_load(text)["interactions"], list)
        assert IDENTITY not in text
        assert "Authorization" not in text
        code, out, _ = call("check", "--require-redacted", str(redacted))
        assert code == 0, out
        replay(redacted, calls, vcr_config(redact_pii=True), serializer)

    def test_without_pii_it_plays_back_under_the_plugin_s_vcr_config(self, tmp_path: Path) -> None:
        (tmp_path / "in").mkdir()
        raw, calls = record(tmp_path / "in", "c.yaml")
        assert call("redact", str(raw), "--out", str(tmp_path / "out"))[0] == 0
        config = vcr_config()  # what the binding_contracts_vcr_config fixture returns
        with vcr.VCR(record_mode="none", **config).use_cassette(str(tmp_path / "out" / "c.yaml")) as cassette:
            for url, params in calls:
                assert requests.get(url, params=params, timeout=5).status_code == 200
            assert cassette.all_played

    def test_redacting_twice_changes_nothing_more(self, tmp_path: Path) -> None:
        (tmp_path / "in").mkdir()
        raw, _ = record(tmp_path / "in", "c.yaml")
        assert call("redact", "--pii", str(raw), "--in-place")[0] == 0
        once = raw.read_bytes()
        code, out, _ = call("redact", "--pii", str(raw), "--in-place")
        assert code == 0
        assert "unchanged" in out
        assert raw.read_bytes() == once


class TestInPlace:
    def test_in_place_rewrites_the_file_keeping_its_mode_and_leaves_no_temporary_file(
        self, tmp_path: Path
    ) -> None:
        (tmp_path / "in").mkdir()
        raw, _ = record(tmp_path / "in", "c.yaml")
        os.chmod(raw, 0o640)
        code, out, err = call("redact", "--in-place", str(tmp_path / "in"))
        assert code == 0, err
        assert f"{raw}: redacted" in out
        assert oct(raw.stat().st_mode & 0o777) == oct(0o640)
        assert sorted(p.name for p in (tmp_path / "in").iterdir()) == ["c.yaml"]
        assert call("check", str(raw))[0] == 0

    def test_out_or_in_place_is_required_and_not_both(self, tmp_path: Path) -> None:
        path = str(ROOT / "cassettes" / "list-filters.yaml")
        assert call("redact", path)[0] == 2
        assert call("redact", path, "--in-place", "--out", str(tmp_path))[0] == 2

    def test_out_never_overwrites_an_input(self, tmp_path: Path) -> None:
        (tmp_path / "c.yaml").write_bytes((ROOT / "cassettes" / "list-filters.yaml").read_bytes())
        before = digest(tmp_path)
        code, _, err = call("redact", str(tmp_path), "--out", str(tmp_path))
        assert code == 2
        assert "--in-place" in err
        assert digest(tmp_path) == before


class TestHostile:
    @pytest.mark.parametrize(
        ("name", "content", "problem"),
        [
            ("tag.yaml", "!!python/object/apply:os.system ['true']\n", "YAML tag that is not data"),
            (
                "bomb.yaml",
                BOMB,
                "alias bomb",
            ),
        ],
    )
    def test_a_cassette_check_refuses_is_refused_and_nothing_is_written(
        self, tmp_path: Path, name: str, content: str, problem: str
    ) -> None:
        folder = tmp_path / "in"
        folder.mkdir()
        (folder / "a-good.yaml").write_bytes((ROOT / "cassettes" / "list-filters.yaml").read_bytes())
        (folder / name).write_text(content, "utf-8")
        before = digest(folder)
        for where in (["--out", str(tmp_path / "out")], ["--in-place"]):
            code, _out, err = call("redact", str(folder), *where)
            assert code == 2
            assert problem in err
            assert "nothing written" in err
            assert digest(folder) == before
            assert not (tmp_path / "out").exists()
        assert problem in call("check", str(folder / name))[2]

    def test_a_fifo_and_a_link_are_refused_and_nothing_is_written(self, tmp_path: Path) -> None:
        folder = tmp_path / "in"
        folder.mkdir()
        os.mkfifo(folder / "pipe.yaml")
        (folder / "target.txt").write_bytes((ROOT / "cassettes" / "list-filters.yaml").read_bytes())
        (folder / "link.yaml").symlink_to(folder / "target.txt")
        for path, problem in (
            (folder / "pipe.yaml", "not a regular file"),
            (folder / "link.yaml", "symbolic link"),
        ):
            code, _, err = call("redact", str(path), "--in-place")
            assert code == 2
            assert problem in err
        assert (folder / "link.yaml").is_symlink()
        assert (folder / "target.txt").read_bytes() == (ROOT / "cassettes" / "list-filters.yaml").read_bytes()


def _leaking(folder: Path, names: tuple[str, ...]) -> dict[Path, bytes]:
    """Cassettes that redaction changes (each holds a token in its query), and their bytes."""
    folder.mkdir(exist_ok=True)
    files = {}
    for name in names:
        doc = {
            "interactions": [
                {
                    "request": {
                        "method": "GET",
                        "uri": f"https://x.example/a?AuthToken={name}Tok3nTok3nTok3n",
                    },
                    "response": {"status": {"code": 200}, "headers": {}, "body": {"string": "x" * 2000}},
                }
            ],
            "version": 1,
        }
        path = folder / name
        path.write_text(yaml.safe_dump(doc), "utf-8")
        files[path] = path.read_bytes()
    return files


def _unchanged(folder: Path, files: dict[Path, bytes]) -> None:
    """Every input as it was, and nothing else in its directory (no temporary file left)."""
    assert {p: p.read_bytes() for p in files} == files
    assert sorted(folder.iterdir()) == sorted(files)


class TestAllOrNothing:
    """A write that fails anywhere is one error line, exit 2, and no file changed."""

    @pytest.mark.parametrize("failing", ["fsync", "replace"])
    def test_a_failure_midway_through_in_place_changes_no_file(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
    ) -> None:
        files = _leaking(tmp_path / "in", ("a.yaml", "b.yaml", "c.yaml"))
        real = getattr(os, failing)
        calls = []

        def second_fails(*args: Any) -> Any:
            calls.append(args)
            if len(calls) == 2:
                raise OSError(28, "No space left on device")
            return real(*args)

        monkeypatch.setattr(os, failing, second_fails)
        code, _, err = call("redact", "--in-place", str(tmp_path / "in"))
        monkeypatch.undo()
        assert code == 2
        assert err.count("\n") == 1
        assert "No space left on device" in err
        assert "nothing written" in err
        assert "Traceback" not in err
        _unchanged(tmp_path / "in", files)

    def test_a_write_past_ulimit_f_is_one_error_line_and_changes_nothing(self, tmp_path: Path) -> None:
        files = _leaking(tmp_path / "in", ("a.yaml", "b.yaml"))
        limit = min(len(data) for data in files.values()) // 2

        def small_files() -> None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

        script = "from binding_contracts.cli import main; main()"
        done = subprocess.run(
            [sys.executable, "-c", script, "redact", "--in-place", str(tmp_path / "in")],
            capture_output=True,
            text=True,
            preexec_fn=small_files,
            timeout=60,
        )
        assert done.returncode == 2, done.stderr
        assert done.stderr.count("\n") == 1, done.stderr
        assert "File too large" in done.stderr
        _unchanged(tmp_path / "in", files)

    @pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only directory")
    def test_a_read_only_directory_is_one_error_line(self, tmp_path: Path) -> None:
        files = _leaking(tmp_path / "in", ("a.yaml",))
        os.chmod(tmp_path / "in", 0o555)
        try:
            code, _, err = call("redact", "--in-place", str(tmp_path / "in"))
        finally:
            os.chmod(tmp_path / "in", 0o755)
        assert code == 2
        assert "Permission denied" in err
        assert err.count("\n") == 1
        _unchanged(tmp_path / "in", files)

    def test_a_directory_that_cannot_be_written_is_one_error_line(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        files = _leaking(tmp_path / "in", ("a.yaml", "b.yaml"))

        def refused(*args: Any, **kwargs: Any) -> Any:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(tempfile, "mkstemp", refused)
        code, _, err = call("redact", "--in-place", str(tmp_path / "in"))
        monkeypatch.undo()
        assert code == 2
        assert "Permission denied" in err
        assert err.count("\n") == 1
        _unchanged(tmp_path / "in", files)

    def test_out_naming_a_file_is_one_error_line(self, tmp_path: Path) -> None:
        files = _leaking(tmp_path / "in", ("a.yaml",))
        (tmp_path / "file").write_text("keep", "utf-8")
        for out in (tmp_path / "file", tmp_path / "file" / "below"):
            code, _, err = call("redact", str(tmp_path / "in"), "--out", str(out))
            assert code == 2
            assert err.count("\n") == 1, err
            assert "Traceback" not in err
        assert (tmp_path / "file").read_text("utf-8") == "keep"
        _unchanged(tmp_path / "in", files)

    def test_out_undoes_the_directories_it_made_when_a_write_fails(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        _leaking(tmp_path / "in", ("a.yaml", "b.yaml"))
        real, calls = os.fsync, []

        def second_fails(fd: int) -> None:
            calls.append(fd)
            if len(calls) == 2:
                raise OSError(27, "File too large")
            real(fd)

        monkeypatch.setattr(os, "fsync", second_fails)
        code, _, err = call("redact", str(tmp_path / "in"), "--out", str(tmp_path / "out" / "deep"))
        monkeypatch.undo()
        assert code == 2
        assert "File too large" in err
        assert not (tmp_path / "out").exists()


class TestLinksAndOwners:
    def test_a_hard_linked_cassette_is_refused_in_place_and_neither_name_changes(
        self, tmp_path: Path
    ) -> None:
        files = _leaking(tmp_path / "in", ("a.yaml",))
        os.link(tmp_path / "in" / "a.yaml", tmp_path / "in" / "b.yaml")
        files[tmp_path / "in" / "b.yaml"] = files[tmp_path / "in" / "a.yaml"]
        code, _, err = call("redact", "--in-place", str(tmp_path / "in" / "a.yaml"))
        assert code == 2
        assert "2 hard links" in err
        _unchanged(tmp_path / "in", files)
        code, _, err = call("redact", str(tmp_path / "in" / "a.yaml"), "--out", str(tmp_path / "out"))
        assert code == 0, err
        assert b"Tok3n" not in (tmp_path / "out" / "a.yaml").read_bytes()

    @pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another owner")
    def test_in_place_keeps_the_file_s_owner_group_and_mode(self, tmp_path: Path) -> None:
        _leaking(tmp_path / "in", ("a.yaml",))
        path = tmp_path / "in" / "a.yaml"
        os.chown(path, 65534, 65534)
        os.chmod(path, 0o604)
        assert call("redact", "--in-place", str(path))[0] == 0
        info = path.stat()
        assert (info.st_uid, info.st_gid, info.st_mode & 0o777) == (65534, 65534, 0o604)
        assert b"Tok3n" not in path.read_bytes()


class TestUrlsUrlsplitRefuses:
    @pytest.mark.parametrize("pii", [[], ["--pii"]])
    def test_a_bracketed_host_that_is_no_address_is_redacted_not_a_traceback(
        self, tmp_path: Path, pii: list[str]
    ) -> None:
        uri = f"https://AC{'3' * 32}:Tok3nTok3nTok3nTok3n@[x]/v2/Services/IS{'1' * 32}/Users/kim/Bindings"
        doc = {
            "interactions": [
                {
                    "request": {"method": "GET", "uri": uri, "headers": {}, "body": None},
                    "response": {"status": {"code": 200}, "headers": {}, "body": {"string": "{}"}},
                }
            ],
            "version": 1,
        }
        (tmp_path / "c.yaml").write_text(yaml.safe_dump(doc), "utf-8")
        assert "cassette.secret" in call("check", str(tmp_path / "c.yaml"))[1]
        code, _, err = call("redact", *pii, str(tmp_path / "c.yaml"), "--in-place")
        assert code == 0, err
        assert b"Tok3n" not in (tmp_path / "c.yaml").read_bytes()
        assert "cassette.secret" not in call("check", str(tmp_path / "c.yaml"))[1]
