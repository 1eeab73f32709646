"""Schemathesis, driven by Twilio's published OpenAPI (plus the error answers), finds no failure."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from binding_contracts.fake import FakeBindingAPI
from conftest import load

pytestmark = pytest.mark.slow

schema = schemathesis.openapi.from_dict(load("binding_openapi_with_errors.json"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


STATUSES: list[int] = []


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeBindingAPI]:
    # The spec's path examples name these sids (an addition of our copy of the spec).
    with FakeBindingAPI(seed=5) as api:
        service = api.add_service("IS" + "a" * 32)
        api.add_user(service, identity="TestUser", sid="US" + "a" * 32)
        api.add_binding(service, identity="TestUser", sid="BS" + "a" * 32)
        for _ in range(3):
            api.add_binding(service, identity="TestUser")
        yield api


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_fake_conforms_to_the_published_spec(case: schemathesis.Case, fake: FakeBindingAPI) -> None:
    response = case.call_and_validate(
        base_url=fake.base_url, auth=(fake.account_sid, fake.auth_token), checks=CHECKS, timeout=10
    )
    STATUSES.append(response.status_code)


def test_the_run_reached_real_bindings_and_errors() -> None:
    assert {200, 204, 404} <= set(STATUSES)
