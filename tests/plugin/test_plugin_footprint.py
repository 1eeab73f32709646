"""What the plugin leaves in a pytest process: how the library's modules are loaded (pytest's
assertion rewriting kept to the plugin's own, :class:`binding_contracts.plugin.Library`), and what a
checked test's cassettes leave behind once its reports are made."""

from __future__ import annotations

import sys

import pytest

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.slow

LOADERS = """
import importlib, importlib.machinery, sys

def loader(name):
    return type(importlib.import_module(name).__spec__.loader)

def test_loaders():
    # the library as Python loads it (its bytecode, when there is some) ...
    assert loader("binding_contracts.checking.entry") is importlib.machinery.SourceFileLoader
    assert loader("binding_contracts.traffic.tally") is importlib.machinery.SourceFileLoader
    # ... and the plugin's own modules as pytest loads the plugin itself: through its assertion
    # rewriting, as every plugin's (pytest 8.0 does not rewrite a plugin installed editable)
    assert loader("binding_contracts.plugin.judged") is loader("binding_contracts.plugin")
    assert type(sys.meta_path[0]).__name__ == "Library"
"""


class TestAssertionRewriting:
    def test_the_library_loads_as_python_loads_it_the_plugin_through_pytest(
        self, pytester: pytest.Pytester
    ) -> None:
        pytester.makepyfile(test_it=LOADERS)
        result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
        result.assert_outcomes(passed=1)

    def test_with_plain_asserts_nothing_is_installed(self, pytester: pytest.Pytester) -> None:
        pytester.makepyfile(
            test_it="""
            import importlib, importlib.machinery, sys

            def test_loaders():
                assert not any(type(f).__name__ == "Library" for f in sys.meta_path)
                module = importlib.import_module("binding_contracts.plugin.judged")
                assert type(module.__spec__.loader) is importlib.machinery.SourceFileLoader
            """
        )
        result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--assert=plain")
        result.assert_outcomes(passed=1)

    def test_the_finder_ends_with_the_run(self, pytester: pytest.Pytester) -> None:
        pytester.makepyfile(test_it="def test_it():\n    pass\n")
        script = pytester.makepyfile(
            run_twice="""
            import sys
            import pytest

            for _ in range(2):
                assert pytest.main(["-q", "-p", "no:cacheprovider", "test_it.py"]) == 0
            print("finders left:", sum(type(f).__name__ == "Library" for f in sys.meta_path))
            """
        )
        result = pytester.run(sys.executable, str(script))
        assert result.ret == 0
        result.stdout.fnmatch_lines(["finders left: 0"])


CASSETTE = """\
interactions:
- request: {body: null, headers: {}, method: GET, uri: 'https://example.com/n%d'}
  response:
    body: {string: 'hello'}
    headers: {}
    status: {code: 200, message: OK}
version: 1
"""

HELD = """
import gc
from vcr.cassette import Cassette

def pytest_sessionfinish(session):
    gc.collect()
    alive = sum(isinstance(o, Cassette) for o in gc.get_objects())
    print(f"cassettes alive at the end: {alive}")
"""

TESTS = """
import pytest, requests, vcr

@pytest.mark.parametrize("n", range(5))
def test_replay(n):
    with vcr.use_cassette(f"c{n}.yaml", record_mode="none"):
        assert requests.get(f"https://example.com/n{n}").text == "hello"
"""


@pytest.mark.parametrize("options", [["--binding-contracts"], ["-p", "no:binding_contracts"]])
def test_a_checked_tests_cassettes_are_let_go_after_it(pytester: pytest.Pytester, options: list[str]) -> None:
    """pytest keeps every test item to the end of the session: what the plugin noted of a test's
    cassettes (vcrpy's cassettes, as loaded) is not kept with it, as the plugin-off run keeps none."""
    for n in range(5):
        (pytester.path / f"c{n}.yaml").write_text(CASSETTE % n, encoding="utf-8")
    pytester.makeconftest(HELD)
    pytester.makepyfile(test_it=TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-s", *options)
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines(["*cassettes alive at the end: 0*"])
