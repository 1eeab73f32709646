"""Tests of the consumer module, each marked binding_robustness: the consumer may say the API is
unavailable (Unavailable), never break, and a listing it returns holds every binding."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import consumer
import httpx
import pytest
import requests
from consumer import Unavailable


@pytest.fixture(scope="session")
def session(binding_robustness_api: Any) -> Iterator[requests.Session]:
    with requests.Session() as s:
        s.auth = (binding_robustness_api.account_sid, binding_robustness_api.auth_token)
        yield s


@pytest.fixture(scope="session")
def http(binding_robustness_api: Any) -> Iterator[httpx.Client]:
    auth = (binding_robustness_api.account_sid, binding_robustness_api.auth_token)
    with httpx.Client(auth=auth) as client:
        yield client


def each_service(api: Any, call: Any, *args: Any) -> dict[str, Any]:
    results = {}
    for service in api.world.services:
        with contextlib.suppress(Unavailable):
            results[service] = call(*args, service)
    return results


@pytest.mark.binding_robustness
def test_newest(binding_robustness_api):
    each_service(binding_robustness_api, consumer.newest, binding_robustness_api.twilio_client())


@pytest.mark.binding_robustness
def test_endpoints(binding_robustness_api):
    each_service(binding_robustness_api, consumer.endpoints, binding_robustness_api.twilio_client())


@pytest.mark.binding_robustness
def test_count(binding_robustness_api):
    each_service(binding_robustness_api, consumer.count, binding_robustness_api.twilio_client())


@pytest.mark.binding_robustness
def test_platforms(binding_robustness_api):
    each_service(binding_robustness_api, consumer.run_platforms, binding_robustness_api)


@pytest.mark.binding_robustness
def test_credentials(binding_robustness_api, session):
    each_service(binding_robustness_api, consumer.credentials, session, binding_robustness_api.base_url)


@pytest.mark.binding_robustness
def test_all_sids(binding_robustness_api, session):
    world = binding_robustness_api.world
    found = each_service(binding_robustness_api, consumer.all_sids, session, binding_robustness_api.base_url)
    gone = {v.binding for v in world.of_class("deleted")}
    gone |= {v.binding for v in world.of_class("null", "missing") if v.member == "sid"}
    for service, sids in found.items():
        shown = {b.sid for b in world.bindings if b.service == service and b.binding_type != "twilsock"}
        assert shown - gone <= set(sids), f"{len(shown - gone - set(sids))} bindings of {service} not listed"


@pytest.mark.binding_robustness
def test_total(binding_robustness_api, session):
    each_service(binding_robustness_api, consumer.total, session, binding_robustness_api.base_url)


@pytest.mark.binding_robustness
def test_remove(binding_robustness_api, session):
    base, world = binding_robustness_api.base_url, binding_robustness_api.world
    for binding in world.bindings[:1]:
        with contextlib.suppress(Unavailable):
            consumer.remove(session, base, binding.service, binding.sid)


@pytest.mark.binding_robustness
def test_message_type_counts(binding_robustness_api, http):
    each_service(binding_robustness_api, consumer.message_type_counts, http, binding_robustness_api.base_url)


@pytest.mark.binding_robustness
def test_records(binding_robustness_api, http):
    each_service(binding_robustness_api, consumer.records, http, binding_robustness_api.base_url)


@pytest.mark.binding_robustness
def test_identities(binding_robustness_api, http):
    each_service(binding_robustness_api, consumer.identities, http, binding_robustness_api.base_url)


@pytest.mark.binding_robustness
def test_quick_count(binding_robustness_api, http):
    each_service(binding_robustness_api, consumer.quick_count, http, binding_robustness_api.base_url)
