"""The pytest plugin: the binding_faker fixture, seeded per test, its seed shown when a test fails."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points

import pytest

# Imported here, before pytester's in-process runs: a run drops the modules first imported in it,
# and a later run would mix those with the package's references to the old ones.
import binding_contracts.factories  # noqa: F401
from binding_contracts.plugin import seed_of

USES_THE_FIXTURE = """
import json

def test_one(binding_faker):
    print("DATA", json.dumps(binding_faker.binding()))

def test_two(binding_faker):
    print("DATA", json.dumps(binding_faker.binding()))

def test_fails(binding_faker):
    assert binding_faker.binding()["binding_type"] == "none"
"""


def data_lines(result: pytest.RunResult) -> list[str]:
    return [line.split("DATA ", 1)[1] for line in result.outlines if "DATA " in line]


class TestBindingFaker:
    def test_the_plugin_is_registered_as_a_pytest11_entry_point(self) -> None:
        names = {ep.name: ep.value for ep in entry_points(group="pytest11")}
        assert names["binding_contracts"] == "binding_contracts.plugin"

    def test_each_test_gets_its_own_seed_and_the_same_data_on_every_run(
        self, pytester: pytest.Pytester
    ) -> None:
        pytester.makepyfile(test_it=USES_THE_FIXTURE)
        first = pytester.runpytest("-s")
        second = pytester.runpytest("-s")
        first.assert_outcomes(passed=2, failed=1)
        assert data_lines(first) == data_lines(second)
        assert len(set(data_lines(first))) == 2

    def test_a_failing_test_shows_its_seed(self, pytester: pytest.Pytester) -> None:
        pytester.makepyfile(test_it=USES_THE_FIXTURE)
        result = pytester.runpytest()
        seed = seed_of("test_it.py::test_fails")
        result.stdout.fnmatch_lines(
            ["*binding_faker*", f"binding_faker seed: {seed} *seed_instance({seed})*"]
        )
        assert f"seed: {seed_of('test_it.py::test_one')}" not in result.stdout.str()

    def test_the_seed_is_recorded_as_a_junit_property(self, pytester: pytest.Pytester) -> None:
        pytester.makepyfile(test_it=USES_THE_FIXTURE)
        pytester.runpytest("--junitxml=report.xml")
        report = (pytester.path / "report.xml").read_text(encoding="utf-8")
        assert f'name="binding_faker_seed" value="{seed_of("test_it.py::test_one")}"' in report

    def test_a_seed_does_not_depend_on_the_process(self) -> None:
        code = "from binding_contracts.plugin import seed_of; print(seed_of('t.py::test_x'))"
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        assert int(out) == seed_of("t.py::test_x")


def test_loading_the_plugin_does_not_import_faker() -> None:
    code = "import sys, binding_contracts.plugin; print('faker' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
