"""The lax fake: answers as Twilio's published spec allows them, seeded and reproducible, read end to
end by the twilio SDK; and the ``nulls`` fault."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.request import Request, urlopen

import pytest
from twilio.rest import Client

from binding_contracts import UsageError, check
from binding_contracts.fake import FakeBindingAPI, Fault
from binding_contracts.spec import facts

pytestmark = pytest.mark.slow


def get(api: FakeBindingAPI, path: str) -> Any:
    request = Request(api.base_url + path)
    token = f"{api.account_sid}:{api.auth_token}".encode()
    request.add_header("Authorization", "Basic " + base64.b64encode(token).decode())
    with urlopen(request) as answer:
        return json.loads(answer.read())


@pytest.fixture(scope="module")
def api() -> Iterator[FakeBindingAPI]:
    with FakeBindingAPI(seed=11, profile="published", services=1, bindings=40) as running:
        yield running


@pytest.fixture(scope="module")
def service(api: FakeBindingAPI) -> str:
    return next(iter(api.store.services))


@pytest.fixture
def client(api: FakeBindingAPI) -> Client:
    return api.twilio_client(check="raise")


def raw_listing(api: FakeBindingAPI, service: str) -> list[dict[str, Any]]:
    page = get(api, f"/v2/Services/{service}/Bindings?PageSize=50")
    assert check(page, "binding-page", "published").ok
    items: list[dict[str, Any]] = page["bindings"]
    return items


class TestThroughTheSdk:
    def test_the_sdk_lists_a_published_fake_and_its_objects_carry_none_where_the_body_had_null(
        self, client: Client, api: FakeBindingAPI, service: str
    ) -> None:
        raw = {b["sid"]: b for b in raw_listing(api, service) if b.get("sid")}
        listed = client.chat.v2.services(service).bindings.list(page_size=7)
        assert len(listed) == 40
        nulls = 0
        for binding in listed:
            if binding.sid is None:
                continue
            body = raw[binding.sid]
            for name in facts.properties("binding"):
                if name in body and body[name] is None:
                    nulls += 1
                    assert getattr(binding, name) is None
        assert nulls > 0

    def test_the_sdk_fetches_and_deletes_through_a_published_fake(
        self, client: Client, api: FakeBindingAPI
    ) -> None:
        svc = api.add_service()
        made = [api.add_binding(svc) for _ in range(12)]
        assert any(None in body.values() for body in made)  # add_binding returns the body as served
        for sid in list(api.store.services[svc]):  # the stored sids: a body's sid may be null
            fetched = client.chat.v2.services(svc).bindings(sid).fetch()
            body = get(api, f"/v2/Services/{svc}/Bindings/{sid}")
            for name, value in body.items():
                if value is None and name in facts.properties("binding"):
                    assert getattr(fetched, name) is None
            assert client.chat.v2.services(svc).bindings(sid).delete() is True
        assert client.chat.v2.services(svc).bindings.list() == []

    def test_conversations_and_user_bindings_read_through_the_sdk(
        self, client: Client, api: FakeBindingAPI, service: str
    ) -> None:
        conversations = client.conversations.v1.services(service).bindings.list()
        assert len(conversations) >= 40  # twilsock bindings too, which Chat does not show
        svc = api.add_service()
        user = api.add_user(svc, identity="kim")
        api.add_binding(svc, identity="kim")
        assert len(client.chat.v2.services(svc).users(user).user_bindings.list()) == 1


class TestReproducible:
    def test_the_same_seed_answers_the_same_bodies_and_a_binding_reads_the_same_twice(self) -> None:
        def bodies(seed: int) -> list[Any]:
            with FakeBindingAPI(
                seed=seed, profile="published", services=1, bindings=15, public_url="https://chat.twilio.com"
            ) as fake:
                svc = next(iter(fake.store.services))
                return [raw_listing(fake, svc), raw_listing(fake, svc)]

        first = bodies(4)
        assert first[0] == first[1]
        assert first == bodies(4)
        assert first != bodies(5)

    def test_a_strict_fake_answers_strict_bodies(self) -> None:
        with FakeBindingAPI(seed=4, services=1, bindings=15) as fake:
            items = raw_listing(fake, next(iter(fake.store.services)))
        assert all(check(i, "binding").ok for i in items)

    def test_an_unknown_profile_is_refused(self) -> None:
        with pytest.raises(UsageError, match="strict, published"):
            FakeBindingAPI(profile="lax")


class TestNullsFault:
    def test_nulls_on_one_operation_nulls_every_nullable_member_there_alone(self) -> None:
        with FakeBindingAPI(seed=2, services=1, bindings=3) as fake:
            svc = next(iter(fake.store.services))
            sid = next(iter(fake.store.services[svc]))
            fake.inject("fetch-binding=nulls")
            fetched = get(fake, f"/v2/Services/{svc}/Bindings/{sid}")
            assert {k for k, v in fetched.items() if v is None} == set(facts.nullable("binding"))
            assert check(fetched, "binding", "published").ok
            assert all(check(i, "binding").ok for i in raw_listing(fake, svc))
            client = fake.twilio_client(check="raise", profile="published")
            assert client.chat.v2.services(svc).bindings(sid).fetch().message_types is None

    def test_nulls_parses_and_takes_no_argument(self) -> None:
        assert Fault.parse("read-bindings=nulls") == Fault("nulls", "read-bindings")
        with pytest.raises(UsageError, match="nulls"):
            Fault.parse("nulls:3")


class TestProfileFile:
    """A fake under a profile file answers with the nulls and left-out members it allows, and the
    twilio SDK reads them; its answers pass check() under that file and fail the strict profile."""

    PROFILE: ClassVar[dict[str, Any]] = {
        "binding_contracts_profile": 1,
        "base": "strict",
        "loosen": {"binding": {"nullable": ["credential_sid"], "optional": ["endpoint"]}},
    }

    def test_the_sdk_reads_what_a_profile_file_allows(self, tmp_path: Any) -> None:
        path = tmp_path / "profile.json"
        path.write_text(json.dumps(self.PROFILE), "utf-8")
        with FakeBindingAPI(seed=3, profile=path) as api:
            svc = api.add_service()
            for i in range(30):
                api.add_binding(svc, identity=f"u{i}")
            bindings = api.twilio_client(check="raise").chat.v2.services(svc).bindings.list()
            bodies = [get(api, b.url.removeprefix(api.base_url)) for b in bindings]
        assert len(bindings) == 30
        assert any(b.credential_sid is None for b in bindings)
        assert any(b.endpoint is None for b in bindings)
        assert all(check(body, "binding", profile=path).ok for body in bodies)
        assert not all(check(body, "binding").ok for body in bodies)

    def test_a_profile_file_that_is_not_one_is_a_usage_error(self, tmp_path: Any) -> None:
        path = tmp_path / "profile.json"
        path.write_text("[]", "utf-8")
        with pytest.raises(UsageError, match=r"profile\.json"):
            FakeBindingAPI(profile=path)
