"""The real twilio SDK's Conversations v1 client against the fake: the v1 Binding paths on the same
server and the same store as Chat's, read with filters and paging, fetch, delete, checked on the way."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client

from binding_contracts import check
from binding_contracts.fake import FakeBindingAPI

pytestmark = pytest.mark.slow

TYPES = ("apn", "fcm", "gcm", "twilsock")


@pytest.fixture(scope="module")
def api() -> Iterator[FakeBindingAPI]:
    with FakeBindingAPI(seed=11) as running:
        yield running


@pytest.fixture(scope="module")
def service(api: FakeBindingAPI) -> str:
    svc = api.add_service()
    for i in range(120):
        api.add_binding(svc, identity=f"user{i % 5}", binding_type=TYPES[i % 4], kind="conversations-binding")
    return svc


@pytest.fixture
def client(api: FakeBindingAPI) -> Client:
    return api.twilio_client(check="raise")


class TestReading:
    def test_paging_through_120_bindings_at_100_yields_every_sid_once(
        self, client: Client, service: str
    ) -> None:
        found = list(client.conversations.v1.services(service).bindings.stream(page_size=100))
        assert len({b.sid for b in found}) == len(found) == 120
        reports = client.http_client.reports  # type: ignore[attr-defined]
        assert [r.kind for r in reports] == ["conversations-binding-page"] * 2
        assert all(r.ok for r in reports)

    def test_filters_are_or_within_and_and_across(self, client: Client, service: str) -> None:
        bindings = client.conversations.v1.services(service).bindings
        found = bindings.list(binding_type=["twilsock", "apn"], identity=["user1", "user2"])
        everything = bindings.list()
        expected = [
            b.sid
            for b in everything
            if b.binding_type in ("twilsock", "apn") and b.identity in ("user1", "user2")
        ]
        assert found
        assert sorted(b.sid for b in found) == sorted(expected)

    def test_an_unknown_binding_type_answers_400(self, client: Client, service: str) -> None:
        with pytest.raises(TwilioException, match="expected one of apn, gcm, fcm, twilsock"):
            client.conversations.v1.services(service).bindings.list(binding_type=["voip"])


class TestSharedState:
    def test_a_chat_binding_is_a_conversations_binding_with_renamed_message_types(
        self, client: Client, api: FakeBindingAPI
    ) -> None:
        svc = api.add_service()
        made = api.add_binding(
            svc, identity="kim", binding_type="fcm", message_types=("new_message", "added_to_channel")
        )
        seen = client.conversations.v1.services(svc).bindings(made["sid"]).fetch()
        assert (seen.chat_service_sid, seen.identity, seen.binding_type) == (svc, "kim", "fcm")
        assert seen.message_types == ["new_message", "added_to_conversation"]

    def test_chat_does_not_show_a_twilsock_binding(self, client: Client, api: FakeBindingAPI) -> None:
        svc = api.add_service()
        made = api.add_binding(svc, binding_type="twilsock", kind="conversations-binding")
        assert client.chat.v2.services(svc).bindings.list() == []
        with pytest.raises(TwilioRestException) as info:
            client.chat.v2.services(svc).bindings(made["sid"]).fetch()
        assert info.value.status == 404
        assert [b.sid for b in client.conversations.v1.services(svc).bindings.list()] == [made["sid"]]


class TestFetchAndDelete:
    def test_fetch_then_delete_then_fetch_answers_404(self, client: Client, api: FakeBindingAPI) -> None:
        svc = api.add_service()
        made = api.add_binding(svc, identity="noah", binding_type="apn", kind="conversations-binding")
        assert check(made, "conversations-binding").ok
        resource = client.conversations.v1.services(svc).bindings(made["sid"])
        assert resource.fetch().sid == made["sid"]
        assert resource.delete() is True
        with pytest.raises(TwilioRestException) as info:
            resource.fetch()
        assert (info.value.status, info.value.code) == (404, 20404)
        with pytest.raises(TwilioRestException):
            client.chat.v2.services(svc).bindings(made["sid"]).fetch()

    def test_an_injected_break_reaches_the_checker(self) -> None:
        with FakeBindingAPI(seed=3) as api:
            svc = api.add_service()
            made = api.add_binding(svc, kind="conversations-binding")
            api.inject("fetch-conversations-binding=break:binding.url-service")
            client = api.twilio_client(check="collect")
            client.conversations.v1.services(svc).bindings(made["sid"]).fetch()
            assert {v.rule for v in client.http_client.violations} == {"binding.url-service"}  # type: ignore[attr-defined]
