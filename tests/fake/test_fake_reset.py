"""FakeBindingAPI.reset(), the session-scoped fixture Hypothesis accepts, and recording through the
fake reproducibly."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
import requests
import vcr
import yaml

from binding_contracts.fake import FakeBindingAPI

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.slow

PUBLIC = "https://chat.twilio.com"


def contents(api: FakeBindingAPI) -> tuple[Any, ...]:
    with api.store.lock:
        return (
            {service: list(bindings.values()) for service, bindings in api.store.services.items()},
            {service: dict(users) for service, users in api.store.users.items()},
            dict(api.credentials or {}),
        )


class TestReset:
    def test_reset_gives_back_the_seeded_state_on_the_same_server(self) -> None:
        with FakeBindingAPI(seed=5, services=2, bindings=3) as api:
            url, seeded = api.base_url, contents(api)
            added_first = api.add_binding(api.add_service(), identity="kim")
            api.add_api_key()
            (svc, first) = next((s, next(iter(b))) for s, b in api.store.services.items() if b)
            api.store.delete(svc, first)
            api.inject("500")
            assert contents(api) != seeded
            api.reset()
            assert contents(api) == seeded
            assert api.base_url == url
            # The Faker is where the seed left it: what is added next is what was added first.
            assert api.add_binding(api.add_service(), identity="kim") == added_first
            api.reset()
            auth = (api.account_sid, api.auth_token)
            response = requests.get(f"{url}/v2/Services/{svc}/Bindings/{first}", auth=auth, timeout=5)
            assert response.status_code == 200  # deleted before the reset, there again; no fault

    def test_the_same_seed_gives_the_same_state_as_a_fresh_fake(self) -> None:
        with FakeBindingAPI(seed=9, services=1, bindings=4) as used:
            used.add_binding(next(iter(used.store.services)))
            used.reset()
            assert contents(used) == contents(FakeBindingAPI(seed=9, services=1, bindings=4))

    def test_readers_see_the_state_before_or_after_a_reset_never_between(self) -> None:
        with FakeBindingAPI(seed=3, services=1, bindings=4) as api:
            svc = next(iter(api.store.services))
            url, auth = f"{api.base_url}/v2/Services/{svc}/Bindings", (api.account_sid, api.auth_token)
            stop, seen, errors = threading.Event(), set(), []

            def read() -> None:
                with requests.Session() as http:
                    while not stop.is_set():
                        response = http.get(url, auth=auth, timeout=5)
                        if response.status_code != 200:
                            errors.append(response.status_code)
                        seen.add(len(response.json()["bindings"]))

            readers = [threading.Thread(target=read) for _ in range(3)]
            for thread in readers:
                thread.start()
            for _ in range(30):
                for _ in range(4):
                    api.add_binding(svc)
                api.reset()
            stop.set()
            for thread in readers:
                thread.join()
            assert errors == []
            assert seen <= {4, 5, 6, 7, 8}
            assert len(api.store.listing(svc)) == 4


SESSION_TEST = """
from hypothesis import given, settings, strategies as st

SIDS = set()

@settings(max_examples=15)
@given(identity=st.sampled_from(["kim", "maria", "noah"]))
def test_each_example_starts_from_the_seeded_fake(fake_binding_api_session, identity):
    api = fake_binding_api_session
    api.reset()
    svc = api.add_service()
    SIDS.add(svc)
    client = api.twilio_client()
    assert client.chat.v2.services(svc).bindings.list(identity=[identity]) == []
    api.add_binding(svc, identity=identity)
    assert len(client.chat.v2.services(svc).bindings.list(identity=[identity])) == 1

def test_every_example_drew_the_same_service(fake_binding_api_session):
    assert len(SIDS) == 1

def test_the_session_shares_one_server(fake_binding_api_session, request):
    urls = request.config.stash.setdefault(KEY, set())
    urls.add(fake_binding_api_session.base_url)
    assert len(urls) == 1

import pytest
KEY = pytest.StashKey[set]()
test_the_same_server_again = test_the_session_shares_one_server
"""


def test_the_session_fixture_passes_hypothesis_health_checks(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_it=SESSION_TEST)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


def record_through_the_fake(path: Path, record_mode: str = "all") -> list[str]:
    """The README's recipe: a pinned seed, credentials and public_url, the fake's vcr_config."""
    with FakeBindingAPI(
        seed=7, account_sid="AC" + "1" * 32, auth_token="t" * 32, public_url=PUBLIC, services=1, bindings=5
    ) as api:
        svc = next(iter(api.store.services))
        service = api.twilio_client().chat.v2.services(svc)
        with vcr.VCR(record_mode=record_mode, **api.vcr_config(redact_pii=True)).use_cassette(str(path)):
            listed = service.bindings.list(page_size=2)
            service.bindings(listed[0].sid).fetch()
            service.bindings(listed[0].sid).delete()
        return [b.sid for b in listed]


class TestReproducibleRecording:
    def test_two_recordings_are_byte_identical_and_name_no_port(self, tmp_path: Path) -> None:
        first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
        record_through_the_fake(first)
        record_through_the_fake(second)
        assert first.read_bytes() == second.read_bytes()
        text = first.read_text()
        assert "127.0.0.1" not in text
        assert "Date" not in text
        interactions = yaml.safe_load(text)["interactions"]
        assert len(interactions) == 5  # 3 pages, a fetch, a delete
        assert all(i["request"]["uri"].startswith(PUBLIC + "/v2/") for i in interactions)

    def test_the_cassette_plays_back_through_a_fake_on_another_port(self, tmp_path: Path) -> None:
        path = tmp_path / "c.yaml"
        recorded = record_through_the_fake(path)
        before = path.read_bytes()
        assert record_through_the_fake(path, record_mode="none") == recorded
        assert path.read_bytes() == before
