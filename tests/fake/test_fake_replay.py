"""Cassettes recorded against the fake replay: each fake (the two fixtures, a FakeBindingAPI of the
test's own) x each way to configure vcrpy (the plugin's binding_contracts_vcr_config in a vcr_config
of function, module or session scope; the fake's own vcr_config()) x each record mode, then a run
with --record-mode=none on other ports: every test passes again, with no finding."""

from __future__ import annotations

import pytest

# Imported before the in-process runs: pytester drops the modules a run imported, and vcrpy imported
# afresh beside the yaml module already loaded cannot load a cassette.
import vcr  # noqa: F401

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.slow

TESTS = """
import pytest
from binding_contracts.fake import FakeBindingAPI


@pytest.fixture
def own_fake():
    with FakeBindingAPI(seed=0) as api:
        yield api


def exercise(api):
    svc = api.add_service()
    made = [api.add_binding(svc, identity=i, binding_type="apn") for i in ("kim", "kim", "maria")]
    api.add_binding(svc, identity="lee", binding_type="twilsock", kind="conversations-binding")
    client = api.twilio_client()
    chat = client.chat.v2.services(svc)
    walked = chat.bindings.list(page_size=1)  # three pages, each reached by its next_page_url
    assert [b.sid for b in walked] == [m["sid"] for m in made]
    assert [b.identity for b in chat.bindings.list(identity=["kim"])] == ["kim", "kim"]
    assert [b.identity for b in chat.users("maria").user_bindings.list()] == ["maria"]
    assert chat.bindings(made[0]["sid"]).fetch().identity == "kim"
    assert chat.bindings(made[0]["sid"]).delete() is True
    listed = client.conversations.v1.services(svc).bindings.list(page_size=2)
    assert sorted(b.identity for b in listed) == ["kim", "lee", "maria"]


@pytest.mark.vcr
def test_the_function_fixture(fake_binding_api):
    exercise(fake_binding_api)


@pytest.mark.vcr
def test_the_session_fixture(fake_binding_api_session):
    fake_binding_api_session.reset()
    exercise(fake_binding_api_session)


@pytest.mark.vcr
def test_a_fake_of_its_own(own_fake):
    exercise(own_fake)
"""

PLUGIN_CONFIG = """
import pytest

@pytest.fixture(scope="{scope}")
def vcr_config(binding_contracts_vcr_config):
    return binding_contracts_vcr_config
"""
FAKE_CONFIG = """
import pytest

@pytest.fixture
def vcr_config(fake_binding_api):
    return fake_binding_api.vcr_config()
"""
CONFIGS = {
    "plugin-function": PLUGIN_CONFIG.format(scope="function"),
    "plugin-module": PLUGIN_CONFIG.format(scope="module"),
    "plugin-session": PLUGIN_CONFIG.format(scope="session"),
    "fake-vcr-config": FAKE_CONFIG,
}


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
    assert [c.stem for c in cassettes] == [
        "test_a_fake_of_its_own",
        "test_the_function_fixture",
        "test_the_session_fixture",
    ]
    for cassette in cassettes:
        text = cassette.read_text("utf-8")
        # no address of the fake at all: what replay matches on does not depend on the port
        assert "127.0.0.1" not in text, cassette
        assert "localhost" not in text, cassette
        assert "https://conversations.twilio.com/v1/Services/" in text


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
    pytester.makeconftest(CONFIGS["plugin-module"])
    pytester.makepyfile(test_it=NO_FAKE_TEST)
    for record_mode in ("once", "none"):
        result = run(pytester, record_mode)
        result.assert_outcomes(passed=1)
        result.stdout.fnmatch_lines(["rules fired: none"])
