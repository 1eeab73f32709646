"""The real twilio SDK against the fake: every operation, filters, paging, errors, auth; Chat v2's
clients and Conversations v1's (``client.conversations.v1.services(S).bindings``) on one store."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client

from binding_contracts import check
from binding_contracts.fake import FakeBindingAPI
from binding_contracts.spec import facts

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def api() -> Iterator[FakeBindingAPI]:
    with FakeBindingAPI(seed=7) as running:
        yield running


@pytest.fixture(scope="module")
def service(api: FakeBindingAPI) -> str:
    svc = api.add_service()
    for i in range(120):
        api.add_binding(svc, identity=f"user{i % 7}", binding_type=("apn", "fcm", "gcm")[i % 3])
    return svc


@pytest.fixture
def client(api: FakeBindingAPI) -> Client:
    return api.twilio_client(check="raise")


class TestReading:
    def test_paging_through_120_bindings_at_50_yields_every_sid_once(
        self, client: Client, service: str
    ) -> None:
        sids = [b.sid for b in client.chat.v2.services(service).bindings.stream(page_size=50)]
        assert len(sids) == 120
        assert len(set(sids)) == 120
        assert len(client.http_client.reports) == 3  # type: ignore[attr-defined]
        assert all(r.ok for r in client.http_client.reports)  # type: ignore[attr-defined]

    def test_filters_are_or_within_and_and_across(self, client: Client, service: str) -> None:
        found = client.chat.v2.services(service).bindings.list(
            binding_type=["apn", "gcm"], identity=["user1", "user2"]
        )
        assert found
        assert {b.binding_type for b in found} <= {"apn", "gcm"}
        assert {b.identity for b in found} <= {"user1", "user2"}
        everything = client.chat.v2.services(service).bindings.list()
        expected = [
            b.sid for b in everything if b.binding_type in ("apn", "gcm") and b.identity in ("user1", "user2")
        ]
        assert sorted(b.sid for b in found) == sorted(expected)

    def test_a_user_s_bindings_are_listed_through_the_user(
        self, client: Client, service: str, api: FakeBindingAPI
    ) -> None:
        user = api.add_user(service, identity="user3")
        found = client.chat.v2.services(service).users(user).user_bindings.list(binding_type=["fcm"])
        assert found
        assert {(b.identity, b.binding_type, b.user_sid) for b in found} == {("user3", "fcm", user)}

    def test_the_ip_messaging_domain_reads_the_same_bindings(self, client: Client, service: str) -> None:
        chat = client.chat.v2.services(service).bindings.list(limit=5)
        ipm = client.ip_messaging.v2.services(service).bindings.list(limit=5)
        assert [b.sid for b in chat] == [b.sid for b in ipm]


class TestFetchAndDelete:
    def test_fetch_then_delete_then_fetch_answers_404(self, client: Client, api: FakeBindingAPI) -> None:
        svc = api.add_service()
        made = api.add_binding(svc, identity="kim", binding_type="apn")
        fetched = client.chat.v2.services(svc).bindings(made["sid"]).fetch()
        assert (fetched.sid, fetched.identity, fetched.binding_type) == (made["sid"], "kim", "apn")
        assert client.chat.v2.services(svc).bindings(made["sid"]).delete() is True
        with pytest.raises(TwilioRestException) as info:
            client.chat.v2.services(svc).bindings(made["sid"]).fetch()
        assert (info.value.status, info.value.code) == (404, 20404)

    def test_a_user_binding_is_fetched_and_deleted_through_its_user(
        self, client: Client, api: FakeBindingAPI
    ) -> None:
        svc = api.add_service()
        made = api.add_binding(svc, identity="maria@example.org", binding_type="fcm")
        user = api.add_user(svc, identity="maria@example.org")
        resource = client.chat.v2.services(svc).users(user).user_bindings(made["sid"])
        assert resource.fetch().user_sid == user
        assert resource.delete() is True
        with pytest.raises(TwilioRestException):
            resource.fetch()

    def test_an_add_binding_body_passes_the_contract(self, api: FakeBindingAPI) -> None:
        svc = api.add_service()
        assert check(api.add_binding(svc, identity="a b/c?d", binding_type="gcm")).ok


class TestErrorsAndAuth:
    def test_wrong_credentials_answer_401(self, api: FakeBindingAPI, service: str) -> None:
        client = Client(api.account_sid, "wrong", http_client=api.twilio_client().http_client)
        sid = next(iter(api.store.services[service]))
        with pytest.raises(TwilioRestException) as info:
            client.chat.v2.services(service).bindings(sid).fetch()
        assert (info.value.status, info.value.code) == (401, 20003)

    def test_an_api_key_and_secret_are_accepted(self, api: FakeBindingAPI, service: str) -> None:
        key, secret = api.add_api_key()
        client = Client(key, secret, api.account_sid, http_client=api.twilio_client().http_client)
        assert len(client.chat.v2.services(service).bindings.list(limit=3)) == 3

    def test_an_unknown_service_answers_404(self, client: Client) -> None:
        with pytest.raises(TwilioRestException) as info:
            client.chat.v2.services("IS" + "0" * 32).bindings("BS" + "0" * 32).fetch()
        assert (info.value.status, info.value.code) == (404, 20404)

    def test_a_malformed_sid_answers_404_as_twilio_does(self, client: Client, service: str) -> None:
        with pytest.raises(TwilioRestException) as info:
            client.chat.v2.services(service).bindings("BS123").fetch()
        assert (info.value.status, info.value.code) == (404, 20404)

    def test_edge_and_region_from_the_environment_do_not_lead_away(
        self, api: FakeBindingAPI, service: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("TWILIO_EDGE", "sydney")
        monkeypatch.setenv("TWILIO_REGION", "au1")
        client = api.twilio_client()
        assert len(client.chat.v2.services(service).bindings.list(limit=2)) == 2


BREAKS = {
    "binding": ("fetch-binding", "binding.url-sid", lambda c, svc: c.chat.v2.services(svc).bindings),
    "conversations-binding": (
        "fetch-conversations-binding",
        "binding.url-service",
        lambda c, svc: c.conversations.v1.services(svc).bindings,
    ),
}


class TestFaults:
    @pytest.mark.parametrize("kind", sorted(BREAKS))
    def test_an_injected_rule_break_reaches_the_checker_in_collect_mode(self, kind: str) -> None:
        operation, rule, bindings = BREAKS[kind]
        with FakeBindingAPI(seed=3) as api:
            svc = api.add_service()
            made = api.add_binding(svc, identity="kim", kind=kind)
            api.inject(f"{operation}=break:{rule}")
            client = api.twilio_client(check="collect")
            bindings(client, svc)(made["sid"]).fetch()
            assert {v.rule for v in client.http_client.violations} == {rule}  # type: ignore[attr-defined]

    def test_raise_mode_raises_the_contract_violation(self) -> None:
        from binding_contracts import ContractViolation

        with FakeBindingAPI(seed=3) as api:
            svc = api.add_service()
            api.add_binding(svc)
            api.add_binding(svc)  # a sid repeated needs two bindings on the page
            api.inject("read-bindings=break:page.unique-sids")
            with pytest.raises(ContractViolation, match=r"page\.unique-sids"):
                api.twilio_client(check="raise").chat.v2.services(svc).bindings.list()

    def test_a_429_carries_retry_after(self) -> None:
        import requests

        with FakeBindingAPI(seed=3, auth=False) as api:
            svc = api.add_service()
            api.inject("429:7")
            response = requests.get(f"{api.base_url}/v2/Services/{svc}/Bindings", timeout=5)
            assert (response.status_code, response.headers["Retry-After"]) == (429, "7")
            assert check(response.json(), status=429).ok

    @pytest.mark.parametrize(
        "faults",
        [("500", "503"), ("503", "500"), ("read-bindings=429:2", "500"), ("500", "read-bindings=503")],
    )
    def test_of_two_status_faults_the_first_added_answers(self, faults: tuple[str, str]) -> None:
        import requests

        with FakeBindingAPI(seed=3, auth=False) as api:
            svc = api.add_service()
            first = api.inject(faults[0])
            api.inject(faults[1])
            response = requests.get(f"{api.base_url}/v2/Services/{svc}/Bindings", timeout=5)
            assert response.status_code == first.status


CONVERSATIONS_TYPES = ("apn", "fcm", "gcm", "twilsock")


@pytest.fixture(scope="module")
def conversations_service(api: FakeBindingAPI) -> str:
    """A service whose bindings were made through Conversations v1 (twilsock among their types)."""
    svc = api.add_service()
    for i in range(120):
        api.add_binding(
            svc,
            identity=f"user{i % 5}",
            binding_type=CONVERSATIONS_TYPES[i % 4],
            kind="conversations-binding",
        )
    return svc


class TestConversationsReading:
    def test_paging_through_120_bindings_at_100_yields_every_sid_once(
        self, client: Client, conversations_service: str
    ) -> None:
        found = list(client.conversations.v1.services(conversations_service).bindings.stream(page_size=100))
        assert len({b.sid for b in found}) == len(found) == 120
        reports = client.http_client.reports  # type: ignore[attr-defined]
        assert [r.kind for r in reports] == ["conversations-binding-page"] * 2
        assert all(r.ok for r in reports)

    def test_filters_are_or_within_and_and_across(self, client: Client, conversations_service: str) -> None:
        bindings = client.conversations.v1.services(conversations_service).bindings
        found = bindings.list(binding_type=["twilsock", "apn"], identity=["user1", "user2"])
        everything = bindings.list()
        expected = [
            b.sid
            for b in everything
            if b.binding_type in ("twilsock", "apn") and b.identity in ("user1", "user2")
        ]
        assert found
        assert sorted(b.sid for b in found) == sorted(expected)

    def test_an_unknown_binding_type_answers_400(self, client: Client, conversations_service: str) -> None:
        with pytest.raises(TwilioException, match="expected one of apn, gcm, fcm, twilsock"):
            client.conversations.v1.services(conversations_service).bindings.list(binding_type=["voip"])


class TestOneStoreForBothApis:
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


class TestConversationsFetchAndDelete:
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


@pytest.fixture
def listing(
    request: pytest.FixtureRequest, client: Client, service: str, conversations_service: str
) -> tuple[Any, int]:
    """The bindings list of the API named by the test's parameter, and its PageSize maximum."""
    if request.param == "chat":
        return client.chat.v2.services(service).bindings, facts.page_size_bounds("binding-page")[1]
    bindings = client.conversations.v1.services(conversations_service).bindings
    return bindings, facts.page_size_bounds("conversations-binding-page")[1]


@pytest.mark.parametrize("listing", ["chat", "conversations"], indirect=True)
class TestPageSizesAboveAndBelowTheMaximum:
    """The SDKs send ``limit`` as PageSize when no page size is given: Twilio caps what is above
    the maximum, and so does the fake, so ``list(limit=100)`` works on Chat (maximum 50)."""

    def test_list_with_a_limit_of_100_returns_100_bindings(self, listing: tuple[Any, int]) -> None:
        bindings, _ = listing
        found = bindings.list(limit=100)
        assert len({b.sid for b in found}) == len(found) == 100

    @pytest.mark.parametrize("over", [-7, 0, 1, 10])
    def test_list_and_stream_with_a_limit_around_the_maximum_return_that_many(
        self, listing: tuple[Any, int], over: int
    ) -> None:
        bindings, maximum = listing
        limit = maximum + over
        assert len({b.sid for b in bindings.list(limit=limit)}) == limit
        assert len({b.sid for b in bindings.stream(limit=limit)}) == limit

    @pytest.mark.parametrize("over", [-7, 0, 1, 900])
    def test_a_page_holds_the_page_size_asked_up_to_the_maximum(
        self, listing: tuple[Any, int], over: int
    ) -> None:
        bindings, maximum = listing
        page = bindings.page(page_size=maximum + over)
        assert len(list(page)) == min(maximum + over, maximum)
        following = page.next_page()
        assert following is not None
        assert not {b.sid for b in following} & {b.sid for b in page}
