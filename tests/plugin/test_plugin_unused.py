"""--binding-contracts-unused: the cassettes in the session's cassette directories that no test
opened, listed at the end of the session; with fail, the session fails."""

from __future__ import annotations

import shutil

import pytest

# Imported before the in-process runs: pytester drops the modules a run imported, and vcrpy imported
# afresh beside the yaml module already loaded cannot load a cassette.
import vcr  # noqa: F401

from conftest import ROOT

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.slow

FAIL = [["--binding-contracts-unused=fail"], ["-o", "binding_contracts_unused=fail"]]
TESTS = """
import vcr

def replay(name):
    with vcr.use_cassette(f"cassettes/{name}", record_mode="none", allow_playback_repeats=True):
        pass

def test_one():
    replay("used.yaml")

def test_two():
    replay("also-used.yaml")
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    folder = pytester.path / "cassettes"
    folder.mkdir()
    for name in ("used.yaml", "also-used.yaml", "stale.yaml", "stale.json"):
        shutil.copy(ROOT / "cassettes" / "list-filters.yaml", folder / name)
    (folder / "notes.md").write_text("not a cassette\n", "utf-8")
    (folder / "old").mkdir()
    shutil.copy(ROOT / "cassettes" / "list-filters.yaml", folder / "old" / "elsewhere.yaml")
    pytester.makepyfile(test_it=TESTS)
    return pytester


class TestUnusedCassettes:
    def test_warn_lists_the_cassettes_no_test_opened_and_the_session_passes(
        self, project: pytest.Pytester
    ) -> None:
        result = project.runpytest_inprocess("-p", "no:cacheprovider", "--binding-contracts-unused=warn")
        result.assert_outcomes(passed=2)
        assert result.ret == 0
        result.stdout.fnmatch_lines(
            [
                "*binding contracts: unused cassettes*",
                "cassettes/stale.json",
                "cassettes/stale.yaml",
                "2 cassette(s) no test opened (a warning: --binding-contracts-unused)",
            ]
        )
        text = result.stdout.str()
        assert "used.yaml\n" not in text.replace("stale.yaml\n", "")
        assert "elsewhere.yaml" not in text  # another directory: no test's
        assert "notes.md" not in text

    @pytest.mark.parametrize("how", FAIL)
    def test_fail_fails_the_session_whose_tests_passed(
        self, project: pytest.Pytester, how: list[str]
    ) -> None:
        result = project.runpytest_inprocess("-p", "no:cacheprovider", *how)
        result.assert_outcomes(passed=2)
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        result.stdout.fnmatch_lines(["2 cassette(s) no test opened (the session fails: *)"])

    def test_without_the_option_nothing_is_listed(self, project: pytest.Pytester) -> None:
        result = project.runpytest_inprocess("-p", "no:cacheprovider")
        assert result.ret == 0
        assert "unused cassettes" not in result.stdout.str()

    def test_when_every_cassette_is_opened_nothing_is_listed(self, project: pytest.Pytester) -> None:
        for name in ("stale.yaml", "stale.json"):
            (project.path / "cassettes" / name).unlink()
        result = project.runpytest_inprocess("-p", "no:cacheprovider", "--binding-contracts-unused=fail")
        assert result.ret == 0
        assert "unused cassettes" not in result.stdout.str()

    def test_an_unknown_ini_value_is_a_usage_error(self, project: pytest.Pytester) -> None:
        result = project.runpytest_inprocess("-p", "no:cacheprovider", "-o", "binding_contracts_unused=loud")
        assert result.ret == pytest.ExitCode.USAGE_ERROR
        result.stderr.fnmatch_lines(["*binding_contracts_unused='loud'*warn, fail*"])

    def test_xdist_workers_report_what_they_opened_and_the_controller_lists_the_rest(
        self, project: pytest.Pytester
    ) -> None:
        options = ("-p", "no:cacheprovider", "-n", "2", "--binding-contracts-unused=warn")
        result = project.runpytest_subprocess(*options)
        result.assert_outcomes(passed=2)
        lines = ["cassettes/stale.json", "cassettes/stale.yaml", "2 cassette(s) no test opened*"]
        result.stdout.fnmatch_lines(lines)
