"""The fake under a profile read from a spec revision (``serve --spec``, ``FakeBindingAPI(profile=
profile_from_spec(...))``) serves that revision's facts: its PageSize cap and the binding types its
BindingType filter takes, as ``check`` under the same profile judges them."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest

from binding_contracts import check
from binding_contracts.drift import profile_from_spec
from binding_contracts.fake import FakeBindingAPI
from binding_contracts.spec import facts
from binding_contracts.spec.kinds import KIND_TABLE
from stale_history import CHAT_2024, CONVERSATIONS_2024

pytestmark = pytest.mark.slow


def get(api: FakeBindingAPI, path: str) -> tuple[int, Any]:
    request = Request(api.base_url + path)
    token = f"{api.account_sid}:{api.auth_token}".encode()
    request.add_header("Authorization", "Basic " + base64.b64encode(token).decode())
    try:
        with urlopen(request) as answer:
            return answer.status, json.loads(answer.read())
    except HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.fixture(scope="module", params=["strict", "chat-2024", "conversations-2024"])
def served(request: pytest.FixtureRequest) -> Iterator[tuple[str, FakeBindingAPI]]:
    specs = {"chat-2024": CHAT_2024, "conversations-2024": CONVERSATIONS_2024}
    spec = specs.get(request.param)
    profile = "strict" if spec is None else profile_from_spec(spec)
    with FakeBindingAPI(seed=5, profile=profile, services=1, bindings=120) as api:
        yield profile, api


@pytest.mark.parametrize(("prefix", "kind"), [("/v2", "binding-page"), ("/v1", "conversations-binding-page")])
def test_an_oversized_page_is_capped_at_the_profiles_maximum(
    served: tuple[str, FakeBindingAPI], prefix: str, kind: str
) -> None:
    profile, api = served
    service = next(iter(api.store.services))
    status, page = get(api, f"{prefix}/Services/{service}/Bindings?PageSize=200")
    assert status == 200
    high = facts.page_size_bounds(kind, profile)[1]
    assert page["meta"]["page_size"] == min(200, high)
    assert len(page["bindings"]) == min(200, high, len(page["bindings"]))
    assert check(page, kind, profile).ok, check(page, kind, profile).violations


@pytest.mark.parametrize(("prefix", "item"), [("/v2", "binding"), ("/v1", "conversations-binding")])
def test_the_binding_type_filter_takes_the_profiles_types_and_refuses_others(
    served: tuple[str, FakeBindingAPI], prefix: str, item: str
) -> None:
    profile, api = served
    service = next(iter(api.store.services))
    known = set(facts.enum(KIND_TABLE[item].api.binding_types, profile))
    for binding_type in ("apn", "gcm", "fcm", "twilsock"):
        status, body = get(api, f"{prefix}/Services/{service}/Bindings?BindingType={binding_type}")
        assert (status == 200) == (binding_type in known), (binding_type, body)
        if status == 200:  # a revision that lets binding_type be null may answer null for it
            assert {b["binding_type"] for b in body["bindings"]} - {None} <= {binding_type}
