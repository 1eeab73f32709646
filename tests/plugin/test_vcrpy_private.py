"""What the plugin relies on in vcrpy and pytest-recording beyond their public API
(binding_contracts.plugin.vcrpy_private): these fail when either library changes it."""

from __future__ import annotations

import inspect
import shutil
from pathlib import Path
from typing import Any

import pytest
import vcr
from vcr.cassette import Cassette
from vcr.persisters.filesystem import FilesystemPersister
from vcr.request import Request
from vcr.serializers import yamlserializer

from binding_contracts.plugin.vcrpy_private import MARK, extra_paths, pending_save, watch_loads
from conftest import ROOT

pytest_plugins = ["pytester"]

CASSETTE = ROOT / "cassettes" / "list-filters.yaml"


@pytest.fixture
def watched(monkeypatch: pytest.MonkeyPatch) -> list[tuple[dict[str, Any], Any]]:
    """Every cassette opened while the test runs: its keyword arguments and the loaded cassette
    (vcrpy's Cassette.load as it was, after the test)."""
    monkeypatch.setattr(Cassette, "load", Cassette.__dict__["load"])
    wrapped = Cassette.__dict__["load"].__func__
    if hasattr(wrapped, MARK):  # already wrapped by the plugin: its callback back after the test
        monkeypatch.setattr(wrapped, MARK, getattr(wrapped, MARK))
    seen: list[tuple[dict[str, Any], Any]] = []

    def before(kwargs: dict[str, Any]) -> Any:
        def after(cassette: Any) -> None:
            seen.append((dict(kwargs), cassette))

        return after

    assert watch_loads(before), "vcrpy no longer opens cassettes through Cassette.load"
    return seen


def test_every_cassette_vcrpy_opens_goes_through_cassette_load_with_its_path_and_persister(
    watched: list[tuple[dict[str, Any], Any]], tmp_path: Path
) -> None:
    shutil.copy(CASSETTE, tmp_path / "plain.yaml")
    (tmp_path / "library").mkdir()
    shutil.copy(CASSETTE, tmp_path / "library" / "mine.yaml")
    with vcr.use_cassette(str(tmp_path / "plain.yaml"), record_mode="none"):
        pass
    with vcr.VCR(cassette_library_dir=str(tmp_path / "library")).use_cassette("mine.yaml"):
        pass

    @vcr.use_cassette(str(tmp_path / "plain.yaml"), record_mode="none")
    def decorated() -> None:
        pass

    decorated()
    paths = [str(kwargs["path"]) for kwargs, _ in watched]
    plain, mine = str(tmp_path / "plain.yaml"), str(tmp_path / "library" / "mine.yaml")
    assert paths == [plain, mine, plain]
    for kwargs, cassette in watched:
        assert kwargs["persister"] is FilesystemPersister
        assert isinstance(cassette, Cassette)
        assert cassette.data  # public: the loaded interactions


def test_a_persister_given_to_cassette_load_is_the_one_it_loads_with(
    watched: list[tuple[dict[str, Any], Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(CASSETTE, tmp_path / "c.yaml")
    calls: list[str] = []

    class Counting(FilesystemPersister):
        @classmethod
        def load_cassette(cls, cassette_path: Any, serializer: Any) -> Any:
            calls.append(str(cassette_path))
            return super().load_cassette(cassette_path, serializer)

    def swap(kwargs: dict[str, Any]) -> None:
        kwargs["persister"] = Counting

    assert watch_loads(swap)
    with vcr.use_cassette(str(tmp_path / "c.yaml"), record_mode="none"):
        pass
    assert calls == [str(tmp_path / "c.yaml")]
    assert {"path", "persister"} <= set(inspect.signature(Cassette.__init__).parameters)


def test_pytest_recording_tells_its_vcr_and_the_extra_files_its_persister_reads(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest(
        """
import pytest
from binding_contracts.plugin.vcrpy_private import extra_paths

SEEN = []

def pytest_recording_configure(config, vcr):
    SEEN.append((extra_paths(vcr.persister), callable(vcr.register_persister)))

@pytest.fixture
def seen():
    return SEEN
"""
    )
    pytester.makepyfile(
        test_it="""
import os, pytest

@pytest.mark.vcr("a.yaml", "/elsewhere/b.yaml")
def test_names(seen, vcr_cassette_dir):
    assert seen == [([os.path.join(vcr_cassette_dir, "a.yaml"), "/elsewhere/b.yaml"], True)]
"""
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-p", "no:binding_contracts")
    result.assert_outcomes(passed=1)


def test_a_persister_of_another_kind_has_no_extra_files() -> None:
    assert extra_paths(FilesystemPersister) == []
    assert extra_paths(object()) == []


def _exchange(n: int) -> tuple[Request, dict[str, Any]]:
    request = Request("GET", f"http://127.0.0.1:9/{n}", None, {})
    return request, {"status": {"code": 200, "message": "OK"}, "headers": {}, "body": {"string": str(n)}}


def _uris(requests: list[Any]) -> list[str]:
    return [request.uri for request in requests]


@pytest.mark.parametrize("repeats", [False, True], ids=["once-each", "repeats"])
@pytest.mark.parametrize("drop_unused", [False, True], ids=["keep", "drop-unused"])
@pytest.mark.parametrize("mode", ["none", "once", "new_episodes", "all"])
def test_a_pending_save_is_what_the_cassette_writes_as_it_closes_and_writes_nothing_itself(
    tmp_path: Path, mode: str, drop_unused: bool, repeats: bool
) -> None:
    path = tmp_path / "c.yaml"
    laid = [_exchange(n) for n in range(4)]
    FilesystemPersister.save_cassette(
        str(path), {"requests": [r for r, _ in laid], "responses": [r for _, r in laid]}, yamlserializer
    )
    before = path.read_bytes()
    options = {"record_mode": mode, "drop_unused_requests": drop_unused, "allow_playback_repeats": repeats}
    with vcr.use_cassette(str(path), **options) as cassette:
        if mode != "all":
            for n in (2, 0):
                cassette.play_response(laid[n][0])
        if mode in ("new_episodes", "all"):
            for n in (5, 1, 5):
                cassette.append(*_exchange(n))
        dirty = cassette.dirty
        pending = pending_save(cassette)
        assert cassette.dirty == dirty
        assert path.read_bytes() == before  # nothing written yet
    written = path.read_bytes() != before
    assert (pending is not None) == written
    if pending is not None:
        requests, _ = FilesystemPersister.load_cassette(str(path), serializer=yamlserializer)
        assert _uris(pending[0]) == _uris(requests)


def test_a_pending_save_of_something_else_is_none() -> None:
    assert pending_save(object()) is None
