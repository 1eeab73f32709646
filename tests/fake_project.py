"""A pytest project that records against the fake and replays: one test per fake (the fixture
``fake_binding_api``, the fixture ``fake_binding_api_session``, a ``FakeBindingAPI`` of its own), and
the conftests that configure vcrpy (the README's ``vcr_config`` at each scope, the fake's own
``vcr_config()``). Shared by the replay matrix (tests/fake/test_fake_replay.py, in-process) and the
chain run from the wheel (tests/chains/test_fake_chain.py)."""

from __future__ import annotations

import re

from conftest import ROOT

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
CASSETTES = ["test_a_fake_of_its_own", "test_the_function_fixture", "test_the_session_fixture"]
"""The cassettes the tests record (pytest-recording names them after the tests), sorted."""

_README = (ROOT / "README.md").read_text("utf-8")
_FOUND = re.search(r"<!-- vcr config: start -->\n```python\n(.*?)```", _README, flags=re.DOTALL)
assert _FOUND is not None
README_CONFIG = _FOUND.group(1)
"""The README's conftest.py for pytest-recording users: a module-scoped ``vcr_config``."""
assert 'scope="module"' in README_CONFIG
SCOPES = ("function", "module", "session")


def readme_config(scope: str) -> str:
    """The README's conftest with ``vcr_config`` at ``scope``."""
    return README_CONFIG.replace('scope="module"', f'scope="{scope}"')


FAKE_CONFIG = """
import pytest

@pytest.fixture
def vcr_config(fake_binding_api):
    return fake_binding_api.vcr_config()
"""
CONFIGS = {**{f"readme-{scope}": readme_config(scope) for scope in SCOPES}, "fake-vcr-config": FAKE_CONFIG}
"""Every conftest of the matrix by name."""


def assert_port_free(text: str, name: str) -> None:
    """A recorded cassette holds no address of the fake: what replay matches on is not its port."""
    assert "127.0.0.1" not in text, name
    assert "localhost" not in text, name
    assert "https://conversations.twilio.com/v1/Services/" in text, name
