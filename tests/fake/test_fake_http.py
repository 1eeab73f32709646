"""The fake over plain HTTP: paging, deletes during a walk, errors, faults, concurrency."""

from __future__ import annotations

import errno
import json
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from binding_contracts import Request, UsageError, check
from binding_contracts.fake import FakeBindingAPI, PortUnavailable
from binding_contracts.interactions import Interaction, Session, check_interaction
from binding_contracts.spec import facts

pytestmark = pytest.mark.slow


@pytest.fixture
def api() -> Iterator[FakeBindingAPI]:
    with FakeBindingAPI(seed=11, services=1, bindings=30) as running:
        yield running


@pytest.fixture
def http(api: FakeBindingAPI) -> requests.Session:
    session = requests.Session()
    session.auth = (api.account_sid, api.auth_token)
    return session


def service_of(api: FakeBindingAPI) -> str:
    return next(iter(api.store.services))


def walk(http: requests.Session, url: str, between: Any = None) -> list[dict[str, Any]]:
    pages, session = [], Session()
    while url:
        response = http.get(url, timeout=5)
        report = check_interaction(
            Interaction("GET", url, response.status_code, response.text), session=session
        )
        assert report is not None
        assert report.ok, report.render_text()
        pages.append(response.json())
        if between is not None:
            between(len(pages))
        url = pages[-1]["meta"]["next_page_url"]
    return pages


class TestPaging:
    def test_a_walk_by_next_page_url_lists_every_binding_once(
        self, api: FakeBindingAPI, http: requests.Session
    ) -> None:
        pages = walk(http, f"{api.base_url}/v2/Services/{service_of(api)}/Bindings?PageSize=7")
        sids = [b["sid"] for p in pages for b in p["bindings"]]
        assert len(pages) == 5
        assert sorted(sids) == sorted(api.store.services[service_of(api)])

    def test_bindings_deleted_during_a_walk_never_shift_the_others(
        self, api: FakeBindingAPI, http: requests.Session
    ) -> None:
        svc = service_of(api)
        order = list(api.store.services[svc])
        doomed = {order[2], order[12], order[25]}  # one listed already, two still to come

        def delete_after_first_page(n: int) -> None:
            if n == 1:
                for sid in doomed:
                    assert (
                        http.delete(f"{api.base_url}/v2/Services/{svc}/Bindings/{sid}", timeout=5).status_code
                        == 204
                    )

        pages = walk(http, f"{api.base_url}/v2/Services/{svc}/Bindings?PageSize=10", delete_after_first_page)
        sids = [b["sid"] for p in pages for b in p["bindings"]]
        assert len(sids) == len(set(sids))
        assert set(order) - set(sids) == {order[12], order[25]}

    def test_the_previous_page_url_leads_back(self, api: FakeBindingAPI, http: requests.Session) -> None:
        first = http.get(
            f"{api.base_url}/v2/Services/{service_of(api)}/Bindings?PageSize=4", timeout=5
        ).json()
        second = http.get(first["meta"]["next_page_url"], timeout=5).json()
        back = http.get(second["meta"]["previous_page_url"], timeout=5).json()
        assert [b["sid"] for b in back["bindings"]] == [b["sid"] for b in first["bindings"]]

    @pytest.mark.parametrize(
        "query", ["PageSize=0", "Page=2", "PageSize=x", "Page=-1", "PageToken=zz", "BindingType=sms"]
    )
    def test_bad_paging_parameters_answer_400_in_the_envelope(
        self, api: FakeBindingAPI, http: requests.Session, query: str
    ) -> None:
        url = f"{api.base_url}/v2/Services/{service_of(api)}/Bindings?{query}"
        response = http.get(url, timeout=5)
        assert response.status_code == 400
        assert check(response.json(), kind="error", status=400).ok


LIST_PATHS = {
    "chat": "/v2/Services/{svc}/Bindings",
    "user": "/v2/Services/{svc}/Users/{user}/Bindings",
    "conversations": "/v1/Services/{svc}/Bindings",
}


def list_url(api: FakeBindingAPI, which: str, query: str) -> str:
    svc = service_of(api)
    user = next(iter(api.store.users[svc]))  # an identity of the service
    return api.base_url + LIST_PATHS[which].format(svc=svc, user=user) + "?" + query


def checked_get(http: requests.Session, url: str) -> requests.Response:
    """GET ``url``; a 200 body must pass the contract with its request."""
    response = http.get(url, timeout=5)
    if response.status_code == 200:
        report = check(response.content, request=Request("GET", url))
        assert report.ok, report.render_text()
    return response


@pytest.mark.parametrize("which", sorted(LIST_PATHS))
class TestTwilioPagingRules:
    def test_a_page_number_without_a_page_token_answers_400_20001(
        self, api: FakeBindingAPI, http: requests.Session, which: str
    ) -> None:
        response = checked_get(http, list_url(api, which, "PageSize=5&Page=1"))
        assert response.status_code == 400
        body = response.json()
        assert (body["code"], body["message"]) == (20001, "PageToken is required for paging.")
        assert check(body, kind="error", status=400).ok
        assert checked_get(http, list_url(api, which, "PageSize=5&Page=0")).status_code == 200

    def test_absolute_paging_serves_a_page_number_as_an_offset(self, which: str) -> None:
        with FakeBindingAPI(seed=3, services=1, bindings=12, auth=False, absolute_paging=True) as api:
            http = requests.Session()
            whole = checked_get(http, list_url(api, which, "PageSize=12")).json()["bindings"]
            third = checked_get(http, list_url(api, which, "PageSize=2&Page=2")).json()
            assert third["meta"]["page"] == 2
            assert [b["sid"] for b in third["bindings"]] == [b["sid"] for b in whole[4:6]]

    def test_a_page_size_above_the_maximum_gets_a_page_of_the_maximum(
        self, api: FakeBindingAPI, http: requests.Session, which: str
    ) -> None:
        kind = "conversations-binding-page" if which == "conversations" else "binding-page"
        high = facts.page_size_bounds(kind)[1]
        for asked in (high + 1, 1000, 10**6):
            page = checked_get(http, list_url(api, which, f"PageSize={asked}")).json()
            assert page["meta"]["page_size"] == high
            assert f"PageSize={high}&" in page["meta"]["url"]

    def test_a_page_size_above_the_maximum_can_be_refused(self, which: str) -> None:
        with FakeBindingAPI(seed=3, services=1, bindings=2, auth=False, page_size_over_max="refuse") as api:
            kind = "conversations-binding-page" if which == "conversations" else "binding-page"
            high = facts.page_size_bounds(kind)[1]
            response = checked_get(requests.Session(), list_url(api, which, f"PageSize={high + 1}"))
            assert response.status_code == 400
            assert response.json()["message"] == f"PageSize {high + 1} is out of range 1..{high}"
            assert (
                checked_get(requests.Session(), list_url(api, which, f"PageSize={high}")).status_code == 200
            )


def test_an_unknown_page_size_rule_is_refused_in_one_line() -> None:
    with pytest.raises(UsageError, match="Got page_size_over_max='loud', but expected one of cap, refuse"):
        FakeBindingAPI(page_size_over_max="loud")


class TestErrors:
    @pytest.mark.parametrize(
        ("method", "path", "status"),
        [
            ("GET", "/v2/Services/{svc}/Bindings/BS" + "0" * 32, 404),
            ("GET", "/v2/Services/IS123/Bindings", 404),
            ("GET", "/v2/Services/{svc}/Users/nobody/Bindings", 404),
            ("GET", "/v2/Services/{svc}/Channels", 404),
            ("POST", "/v2/Services/{svc}/Bindings", 405),
            ("PUT", "/v2/Services/{svc}/Bindings/BS" + "0" * 32, 405),
        ],
    )
    def test_every_error_is_twilio_s_envelope(
        self, api: FakeBindingAPI, http: requests.Session, method: str, path: str, status: int
    ) -> None:
        response = http.request(method, api.base_url + path.format(svc=service_of(api)), timeout=5)
        assert response.status_code == status
        assert check(response.json(), kind="error", status=status).ok

    def test_missing_credentials_answer_401(self, api: FakeBindingAPI) -> None:
        response = requests.get(f"{api.base_url}/v2/Services/{service_of(api)}/Bindings", timeout=5)
        assert (response.status_code, response.json()["code"]) == (401, 20003)


class TestFaults:
    @pytest.mark.parametrize("status", [500, 503])
    def test_a_server_error_can_be_injected_on_one_operation(
        self, api: FakeBindingAPI, http: requests.Session, status: int
    ) -> None:
        svc = service_of(api)
        api.inject(f"fetch-binding={status}")
        sid = next(iter(api.store.services[svc]))
        assert http.get(f"{api.base_url}/v2/Services/{svc}/Bindings/{sid}", timeout=5).status_code == status
        assert http.get(f"{api.base_url}/v2/Services/{svc}/Bindings", timeout=5).status_code == 200
        api.clear_faults()
        assert http.get(f"{api.base_url}/v2/Services/{svc}/Bindings/{sid}", timeout=5).status_code == 200

    def test_a_truncated_body_is_not_json(self, api: FakeBindingAPI, http: requests.Session) -> None:
        api.inject("truncate")
        response = http.get(f"{api.base_url}/v2/Services/{service_of(api)}/Bindings", timeout=5)
        with pytest.raises(json.JSONDecodeError):
            json.loads(response.text)

    def test_a_delay_is_served_and_then_the_answer(self, api: FakeBindingAPI, http: requests.Session) -> None:
        api.inject("delay:0.05")
        assert http.get(f"{api.base_url}/v2/Services/{service_of(api)}/Bindings", timeout=5).ok


def test_several_clients_are_served_at_once(api: FakeBindingAPI) -> None:
    url = f"{api.base_url}/v2/Services/{service_of(api)}/Bindings?PageSize=5"
    auth = (api.account_sid, api.auth_token)
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda _: requests.get(url, auth=auth, timeout=5).status_code, range(32)))
    assert statuses == [200] * 32


def test_a_public_url_is_written_into_every_url() -> None:
    with FakeBindingAPI(seed=1, public_url="https://chat.twilio.com", auth=False) as api:
        svc = api.add_service()
        made = api.add_binding(svc)
        page = requests.get(f"{api.base_url}/v2/Services/{svc}/Bindings", timeout=5).json()
    assert made["url"].startswith("https://chat.twilio.com/v2/Services/")
    assert page["meta"]["url"].startswith("https://chat.twilio.com/v2/Services/")
    assert check(page).ok


class TestPort:
    def test_a_busy_port_raises_port_unavailable_naming_it_and_leaves_the_process_alone(
        self, capfd: pytest.CaptureFixture[str]
    ) -> None:
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            api = FakeBindingAPI(port=port)
            with pytest.raises(PortUnavailable, match=f"127.0.0.1:{port}: Address already in use") as caught:
                api.start()
        assert isinstance(caught.value, OSError)
        assert caught.value.errno == errno.EADDRINUSE
        assert caught.value.port == port
        assert capfd.readouterr() == ("", "")

    def test_a_port_just_given_up_by_a_fake_can_be_taken_again(self) -> None:
        with FakeBindingAPI(seed=1) as first:
            port = first.port
            assert requests.get(f"{first.base_url}/v2/Services", timeout=5).status_code == 401
        with FakeBindingAPI(seed=1, port=port) as again:
            assert again.port == port
            assert requests.get(f"{again.base_url}/v2/Services", timeout=5).status_code == 401

    def test_a_host_that_names_no_address_is_port_unavailable_too(self) -> None:
        with pytest.raises(PortUnavailable, match=r"cannot listen on no-such-host\.invalid:0: "):
            FakeBindingAPI(host="no-such-host.invalid").start()
