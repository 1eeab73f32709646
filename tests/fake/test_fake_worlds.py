"""FakeBindingAPI.load(world): the store replaced by the world's, and each variation served as it says."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
import requests
import yaml
from hypothesis import given, settings

from binding_contracts.errors import UsageError
from binding_contracts.fake import FakeBindingAPI
from binding_contracts.fake.worlds import cassette_of
from binding_contracts.generation.builders import Loosening, loosen
from binding_contracts.generation.source import RandomSource
from binding_contracts.generation.worlds import Variation, World, draw_world
from binding_contracts.spec.kinds import service_member
from binding_contracts.strategies import api_worlds


@pytest.fixture(scope="module")
def api() -> Iterator[FakeBindingAPI]:
    with FakeBindingAPI(seed=3) as fake:
        yield fake


@pytest.fixture(scope="module")
def http(api: FakeBindingAPI) -> Iterator[requests.Session]:
    with requests.Session() as session:
        session.auth = (api.account_sid, api.auth_token)
        yield session


def listing(api: FakeBindingAPI, http: requests.Session, service: str) -> list[dict[str, Any]]:
    items, url = [], f"{api.base_url}/v2/Services/{service}/Bindings"
    while url:
        page = http.get(url).json()
        items += page["bindings"]
        url = page["meta"]["next_page_url"]
    return items


@settings(max_examples=20, deadline=None)
@given(world=api_worlds(variations=["empty", "page-boundary"]))
def test_a_loaded_world_is_what_the_fake_lists(
    api: FakeBindingAPI, http: requests.Session, world: World
) -> None:
    api.load(world)
    assert api.world is world
    for service in world.services:
        assert [i["sid"] for i in listing(api, http, service)] == [
            b.sid for b in world.bindings if b.service == service
        ]
    for user in world.users:
        got = http.get(f"{api.base_url}/v2/Services/{user.service}/Users/{user.sid}/Bindings").json()
        assert {i["identity"] for i in got["bindings"]} <= {user.identity}


@settings(max_examples=30, deadline=None)
@given(world=api_worlds(variations=["null", "missing", "undocumented", "unknown-enum"]))
def test_member_variations_are_served_on_the_plain_body(
    api: FakeBindingAPI, http: requests.Session, world: World
) -> None:
    plain = replace(world, variations=())
    api.load(plain)
    before = {
        b.sid: http.get(f"{api.base_url}/v2/Services/{b.service}/Bindings/{b.sid}").json()
        for b in world.bindings
    }
    api.load(world)
    for b in world.bindings:
        got = http.get(f"{api.base_url}/v2/Services/{b.service}/Bindings/{b.sid}").json()
        mine = [v for v in world.variations if v.binding == b.sid]
        name = {"service_sid": service_member("binding")}
        expected = loosen(
            "binding",
            before[b.sid],
            Loosening(
                frozenset(name.get(v.member, v.member) for v in mine if v.cls == "null" and v.member),
                frozenset(name.get(v.member, v.member) for v in mine if v.cls == "missing" and v.member),
                tuple(
                    (v.member, json.loads(v.value or "null"))
                    for v in mine
                    if v.cls == "undocumented" and v.member
                ),
            ),
        )
        for v in mine:
            if v.cls == "unknown-enum" and v.member in expected:
                value = json.loads(v.value or "null")
                old = expected[v.member]
                expected[v.member] = [*old, value] if isinstance(old, list) else value
        assert got == expected


def world_with(api: FakeBindingAPI, *variations: Variation) -> World:
    world = draw_world(RandomSource(random.Random(7)), classes=())
    service = world.services[0]
    users = tuple(u for u in world.users if u.service == service)
    bindings = tuple(b for b in world.bindings if b.service == service)
    return replace(world, services=(service,), users=users, bindings=bindings, variations=variations)


def test_an_error_answer_comes_on_the_request_it_names_and_then_the_plain_one(
    api: FakeBindingAPI, http: requests.Session
) -> None:
    world = world_with(
        api, Variation("429", operation="read-bindings", at=1, times=2, status=429, retry_after=2)
    )
    api.load(world)
    url = f"{api.base_url}/v2/Services/{world.services[0]}/Bindings"
    answers = [http.get(url) for _ in range(4)]
    assert [r.status_code for r in answers] == [200, 429, 429, 200]
    assert answers[1].headers["Retry-After"] == "2"
    assert answers[1].json()["code"] == 20429
    assert [e.status for e in api.exchanges] == [200, 429, 429, 200]


def test_transport_faults_blank_and_truncated_bodies(api: FakeBindingAPI, http: requests.Session) -> None:
    world = world_with(api, Variation("blank", at=0, status=202), Variation("truncated", at=1))
    api.load(world)
    url = f"{api.base_url}/v2/Services/{world.services[0]}/Bindings"
    blank, cut, whole = http.get(url), http.get(url), http.get(url)
    assert (blank.status_code, blank.content) == (202, b"")
    assert whole.content.startswith(cut.content)
    assert len(cut.content) < len(whole.content)


def test_deleted_meanwhile_a_fetch_404_and_a_stale_page_token(
    api: FakeBindingAPI, http: requests.Session
) -> None:
    world = world_with(api, Variation("deleted", operation="fetch-binding", at=0, status=404))
    api.load(world)
    b = next(b for b in world.bindings if b.service == world.services[0])
    assert http.get(f"{api.base_url}/v2/Services/{b.service}/Bindings/{b.sid}").status_code == 404
    assert b.sid not in {i["sid"] for i in listing(api, http, b.service)}
    api.load(world_with(api, Variation("deleted", operation="read-bindings", at=0, status=400)))
    stale = http.get(
        f"{api.base_url}/v2/Services/{api.world.services[0]}/Bindings?PageSize=1&Page=1&PageToken=PT1"
    )  # type: ignore[union-attr]
    assert (stale.status_code, stale.json()["code"]) == (400, 20001)


def test_reset_drops_the_world_and_load_keeps_the_port(api: FakeBindingAPI, http: requests.Session) -> None:
    port = api.port
    api.load(world_with(api))
    assert api.world is not None
    assert api.port == port
    api.reset()
    assert api.world is None
    assert api.exchanges == []


def test_a_cassette_of_the_exchanges_names_twilio_never_the_fake(
    api: FakeBindingAPI, http: requests.Session
) -> None:
    world = world_with(api, Variation("5xx", at=0, status=503))
    api.load(world)
    assert http.get(f"{api.base_url}/v2/Services/{world.services[0]}/Bindings").status_code == 503
    listing(api, http, world.services[0])
    text = yaml.safe_dump(cassette_of(api.exchanges))
    assert "127.0.0.1" not in text
    doc = yaml.safe_load(text)
    assert [i["response"]["status"]["code"] for i in doc["interactions"]][:2] == [503, 200]
    assert doc["interactions"][0]["request"]["uri"].startswith("https://chat.twilio.com/v2/Services/")


def test_a_world_naming_a_service_it_does_not_hold_is_a_usage_error(api: FakeBindingAPI) -> None:
    world = world_with(api)
    with pytest.raises(UsageError, match="not one of its services"):
        api.load(replace(world, services=()))
