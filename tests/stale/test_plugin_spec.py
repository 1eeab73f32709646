"""``--binding-contracts-spec FILE``: the plugin checks cassettes under the profile of a spec."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from stale_history import CHAT_2024, CHAT_NOT_NULL, recorded_2024

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.slow

REPLAY = """
import json, pytest, requests, vcr

@pytest.mark.binding_contract
def test_replays():
    with open("c.json") as f:
        doc = json.load(f)
    with vcr.use_cassette("c.json", serializer="json", record_mode="none", allow_playback_repeats=True):
        for i in doc["interactions"]:
            requests.get(i["request"]["uri"], timeout=5)
"""


@pytest.fixture
def project(pytester: pytest.Pytester, tmp_path: Path) -> pytest.Pytester:
    shutil.copy(recorded_2024(tmp_path), pytester.path / "c.json")
    pytester.makepyfile(test_it=REPLAY)
    return pytester


def test_the_cassette_passes_under_the_spec_it_was_recorded_under_and_fails_under_a_newer(
    project: pytest.Pytester,
) -> None:
    run = project.runpytest_inprocess
    run("-p", "no:cacheprovider", f"--binding-contracts-spec={CHAT_2024}").assert_outcomes(passed=1)
    failed = run("-p", "no:cacheprovider", f"--binding-contracts-spec={CHAT_NOT_NULL}")
    failed.assert_outcomes(failed=1)
    failed.stdout.fnmatch_lines(["*/bindings/0/binding_type*schema.enum*"])
    project.makeini(f"[pytest]\nbinding_contracts_spec = {CHAT_2024}\n")
    run("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_a_bad_spec_stops_the_run_with_its_one_line(project: pytest.Pytester, tmp_path: Path) -> None:
    bad = tmp_path / "spec.json"
    bad.write_text('{"swagger": "2.0"}')
    result = project.runpytest_inprocess("-p", "no:cacheprovider", f"--binding-contracts-spec={bad}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*binding-contracts: {bad}: is Swagger*"])


def test_a_spec_and_a_profile_are_one_or_the_other(project: pytest.Pytester) -> None:
    result = project.runpytest_inprocess(
        "-p",
        "no:cacheprovider",
        f"--binding-contracts-spec={CHAT_2024}",
        "--binding-contracts-profile=published",
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
