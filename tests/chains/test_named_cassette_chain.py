"""The chain of a user whose tests name their cassettes, from the built wheel: a fresh venv with the
``pytest`` extra alone (what the pytest plugin page asks for), a project whose pytest-recording tests
name their cassettes (``@pytest.mark.vcr("injected-fault.yaml")``, two names in one marker), run
with ``--binding-contracts --binding-contracts-unused=fail``. The failure names the file the broken
interaction is in, at its index there, and nothing is reported unused; once the broken test is gone,
the run passes."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from wheels import Venv, wheel_venv

pytestmark = pytest.mark.slow

# urllib (vcrpy answers http.client): the pytest extra brings no HTTP client of its own
TESTS = """
import urllib.request

import pytest
import yaml

def replay(*names):
    for name in names:
        with open(f"cassettes/test_replay/{name}") as f:
            for i in yaml.safe_load(f)["interactions"]:
                request = urllib.request.Request(i["request"]["uri"], method=i["request"]["method"])
                try:
                    urllib.request.urlopen(request, timeout=5).read()
                except urllib.error.HTTPError:
                    pass

@pytest.mark.vcr("list-filters.yaml", "fetch-delete-fetch.yaml")
def test_kept():
    replay("list-filters.yaml", "fetch-delete-fetch.yaml")
"""
BROKEN = """
@pytest.mark.vcr("injected-fault.yaml")
def test_broken():
    replay("injected-fault.yaml")
"""
FINDING = re.compile(
    r"^(?P<path>\S+)#(?P<index>\d+) (?P<method>[A-Z]+) (?P<uri>\S+?): /url: binding\.url-sid:", re.M
)


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    return wheel_venv(tmp_path_factory, "binding-contracts[pytest]")


def pytest_in(env: Venv, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [str(env.bin / "pytest"), "-p", "no:cacheprovider", "--binding-contracts"]
    command.append("--binding-contracts-unused=fail")
    return subprocess.run(command, cwd=cwd, env=env.env(), capture_output=True, text=True, timeout=120)


def test_a_named_cassette_with_a_fault_fails_naming_its_file_and_none_is_unused(
    venv: Venv, tmp_path: Path
) -> None:
    folder = tmp_path / "cassettes" / "test_replay"
    folder.mkdir(parents=True)
    for name in ("list-filters.yaml", "fetch-delete-fetch.yaml", "injected-fault.yaml"):
        shutil.copy(ROOT / "cassettes" / name, folder / name)
    (tmp_path / "test_replay.py").write_text(TESTS + BROKEN, encoding="utf-8")

    done = pytest_in(venv, tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 failed, 1 passed" in done.stdout, done.stdout
    findings = list(FINDING.finditer(done.stdout))
    assert findings, done.stdout
    for found in findings:
        path = Path(found["path"])
        assert path.resolve() == (folder / "injected-fault.yaml").resolve(), found[0]
        interaction = yaml.safe_load(path.read_text("utf-8"))["interactions"][int(found["index"])]
        assert (interaction["request"]["method"], interaction["request"]["uri"]) == (
            found["method"],
            found["uri"],
        )
    assert "unused cassettes" not in done.stdout, done.stdout

    (tmp_path / "test_replay.py").write_text(TESTS, encoding="utf-8")
    (folder / "injected-fault.yaml").unlink()
    done = pytest_in(venv, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "unused cassettes" not in done.stdout, done.stdout
