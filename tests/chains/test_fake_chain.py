"""The chain a user builds from the docs, run from the built wheel in a fresh venv holding only the
extras the docs name (``fake`` for the fixtures, ``pytest`` for ``@pytest.mark.vcr``): record against
the fake with the README's ``vcr_config``, then replay with ``--record-mode=none``, for each fake
(both fixtures and one of the test's own) and each scope of ``vcr_config``. The replay starts new
fakes on other ports; every test passes again and the plugin finds nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from fake_project import CASSETTES, SCOPES, TESTS, assert_port_free, readme_config
from wheels import Venv, make_venv, session_wheel

pytestmark = pytest.mark.slow

EXTRAS = "fake,pytest"
"""What the README's extras table names for the fake's fixtures and pytest-recording's marker."""


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    env = make_venv(tmp_path_factory.mktemp("venv"))
    env.install(
        f"{session_wheel(tmp_path_factory)}[{EXTRAS}]"
    )  # the README's `pip install "<wheel>[fake,pytest]"`
    return env


def pytest_in(venv: Venv, project: Path, record_mode: str) -> subprocess.CompletedProcess[str]:
    command = [venv.python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--binding-contracts"]
    return subprocess.run(
        [*command, f"--record-mode={record_mode}"],
        cwd=project,
        env=venv.env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_record_against_the_fake_then_replay_on_other_ports(venv: Venv, tmp_path: Path) -> None:
    # one folder per scope, each with its conftest: one pytest run records (or replays) them all
    for scope in SCOPES:
        (tmp_path / scope).mkdir()
        (tmp_path / scope / "conftest.py").write_text(readme_config(scope), encoding="utf-8")
        (tmp_path / scope / f"test_{scope}.py").write_text(TESTS, encoding="utf-8")
    for record_mode in ("once", "none"):
        result = pytest_in(venv, tmp_path, record_mode)
        out = result.stdout + result.stderr
        assert result.returncode == 0, (record_mode, out)
        assert f"{3 * len(SCOPES)} passed" in out, out
        assert "rules fired: none" in out, out
    for scope in SCOPES:
        cassettes = sorted((tmp_path / scope / "cassettes").rglob("*.yaml"))
        assert [c.stem for c in cassettes] == CASSETTES, scope
        for cassette in cassettes:
            assert_port_free(cassette.read_text("utf-8"), f"{scope}: {cassette.name}")
