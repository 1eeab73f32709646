"""Cassettes recorded against the fake replay: each fake (the two fixtures, a FakeBindingAPI of the
test's own) x each way to configure vcrpy (the README's vcr_config of function, module or session
scope; the fake's own vcr_config()) x each record mode, then a run with --record-mode=none on other
ports: every test passes again, with no finding (tests/fake_project.py is the project)."""

from __future__ import annotations

import pytest

# Imported before the in-process runs: pytester drops the modules a run imported, and vcrpy imported
# afresh beside the yaml module already loaded cannot load a cassette.
import vcr  # noqa: F401

from fake_project import CASSETTES, CONFIGS, TESTS, assert_port_free

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.slow


def run(pytester: pytest.Pytester, mode: str) -> pytest.RunResult:
    return pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "--binding-contracts", f"--record-mode={mode}"
    )


@pytest.mark.parametrize("mode", ["once", "new_episodes", "all"])
@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_a_cassette_recorded_against_the_fake_replays_with_no_finding(
    pytester: pytest.Pytester, config: str, mode: str
) -> None:
    pytester.makeconftest(CONFIGS[config])
    pytester.makepyfile(test_it=TESTS)
    for record_mode in (mode, "none"):
        result = run(pytester, record_mode)
        result.assert_outcomes(passed=3)
        result.stdout.fnmatch_lines(["rules fired: none"])
    cassettes = sorted((pytester.path / "cassettes").rglob("*.yaml"))
    assert [c.stem for c in cassettes] == CASSETTES
    for cassette in cassettes:
        assert_port_free(cassette.read_text("utf-8"), cassette.name)


NO_FAKE_TEST = """
import pytest
from twilio.rest import Client
from binding_contracts.fake import FakeBindingAPI

@pytest.mark.vcr
def test_it(request):
    api = FakeBindingAPI(seed=0)  # the same sids in both runs; started only to record
    svc = api.add_service()
    api.add_binding(svc, identity="kim")
    if request.config.getoption("record_mode") == "none":
        client = Client(api.account_sid, "not-a-token")  # the SDK as shipped: https://chat.twilio.com
    else:
        api.start()
        client = api.twilio_client()
    try:
        assert [b.identity for b in client.chat.v2.services(svc).bindings.list(page_size=1)] == ["kim"]
    finally:
        api.stop()
"""


def test_a_replay_needs_no_fake_at_all(pytester: pytest.Pytester) -> None:
    """The cassette reads as if recorded against Twilio: the twilio SDK's own client replays it."""
    pytester.makeconftest(CONFIGS["readme-module"])
    pytester.makepyfile(test_it=NO_FAKE_TEST)
    for record_mode in ("once", "none"):
        result = run(pytester, record_mode)
        result.assert_outcomes(passed=1)
        result.stdout.fnmatch_lines(["rules fired: none"])
