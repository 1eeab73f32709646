"""The fake under hostile requests: tokens and numbers it did not write, a Host header it must not
echo, and adds, deletes and paging walks at once (no 5xx, no binding lost or listed twice)."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from binding_contracts import check
from binding_contracts.fake import FakeBindingAPI

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def api() -> Iterator[FakeBindingAPI]:
    with FakeBindingAPI(seed=5, services=1, bindings=12, auth=False) as running:
        yield running


def _list_url(api: FakeBindingAPI) -> str:
    return f"{api.base_url}/v2/Services/{next(iter(api.store.services))}/Bindings"


class TestParametersItDidNotWrite:
    @pytest.mark.parametrize(
        "query",
        [
            "PageToken=PT\u00b2",
            "PageToken=PB\u00b2",
            "PageToken=PT\u0665",
            "PageToken=PT" + "9" * 5000,
            "PageToken=PT-1",
            "PageToken=PT+1",
            "PageToken=PT 1",
            "PageToken=PT1_0",
            "PageSize=5_0",
            "PageSize=\u0665",
            "PageSize=+5",
            "PageSize= 5",
            "PageSize=" + "9" * 5000,
            "Page=\u0661",
            "Page=1_0",
        ],
    )
    def test_is_400_in_the_envelope(self, api: FakeBindingAPI, query: str) -> None:
        response = requests.get(f"{_list_url(api)}?{query}", timeout=5)
        assert response.status_code == 400
        assert check(response.json(), kind="error", status=400).ok
        assert len(response.text) < 1000

    @settings(max_examples=40, deadline=None)
    @given(token=st.text(max_size=30), size=st.text(max_size=8))
    def test_anything_as_a_token_or_a_size_is_200_or_400(
        self, api: FakeBindingAPI, token: str, size: str
    ) -> None:
        response = requests.get(_list_url(api), params={"PageToken": token, "PageSize": size}, timeout=5)
        assert response.status_code in (200, 400)
        kind = "error" if response.status_code == 400 else "binding-page"
        assert check(response.content, kind=kind, status=response.status_code).ok


def _raw_get(api: FakeBindingAPI, path: str, host: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(api.host, api.port, timeout=5)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


class TestTheHostHeader:
    @pytest.mark.parametrize("host", ['a"b<x>', "evil.example", "", "x" * 3000, "127.0.0.1:1"])
    def test_never_reaches_a_body(self, api: FakeBindingAPI, host: str) -> None:
        path = _list_url(api).removeprefix(api.base_url) + "?PageSize=2"
        status, body = _raw_get(api, path, host)
        assert status == 200
        assert host.encode() not in body or host == ""
        page = check(body, kind="binding-page")
        assert page.ok
        assert f'"{api.base_url}/v2/'.encode() in body


class TestAtOnce:
    def test_adds_deletes_and_walks_at_once_give_no_5xx_and_lose_or_double_nothing(self) -> None:
        with FakeBindingAPI(seed=9, services=1, bindings=40, auth=False) as api:
            service = next(iter(api.store.services))
            base = f"{api.base_url}/v2/Services/{service}"
            added: list[str] = []
            deleted: set[str] = set()
            statuses: list[int] = []
            seen_lock, stop = threading.Lock(), threading.Event()

            def add() -> None:
                for n in range(150):  # a new identity each time: the users dict grows under readers
                    added.append(api.add_binding(service, identity=f"user{n}")["sid"])

            def delete() -> None:
                for sid in list(api.store.services[service])[:30]:
                    status = requests.delete(f"{base}/Bindings/{sid}", timeout=10).status_code
                    with seen_lock:
                        statuses.append(status)
                        deleted.add(sid)

            def walk(_: int) -> None:
                while not stop.is_set():
                    url: Any = f"{base}/Bindings?PageSize=7"
                    listed: list[str] = []
                    while url:
                        response = requests.get(url, timeout=10)
                        with seen_lock:
                            statuses.append(response.status_code)
                        if response.status_code != 200:
                            return
                        page = response.json()
                        listed += [b["sid"] for b in page["bindings"]]
                        url = page["meta"]["next_page_url"]
                    assert len(listed) == len(set(listed)), "a walk listed a binding twice"

            def read_users(_: int) -> None:
                while not stop.is_set():
                    for n in range(0, 150, 10):
                        status = requests.get(f"{base}/Users/user{n}/Bindings", timeout=10).status_code
                        with seen_lock:
                            statuses.append(status)

            before = set(api.store.services[service])
            with ThreadPoolExecutor(max_workers=6) as pool:
                readers = [pool.submit(walk, i) for i in range(2)] + [
                    pool.submit(read_users, i) for i in range(2)
                ]
                writers = [pool.submit(add), pool.submit(delete)]
                for job in writers:
                    job.result()
                stop.set()
                for job in readers:
                    job.result()
            final = requests.get(f"{base}/Bindings?PageSize=50", timeout=10).json()
            listed = [b["sid"] for b in final["bindings"]]
            while final["meta"]["next_page_url"]:
                final = requests.get(final["meta"]["next_page_url"], timeout=10).json()
                listed += [b["sid"] for b in final["bindings"]]
        assert [s for s in statuses if s >= 500] == []
        assert set(statuses) <= {200, 204, 404}
        assert len(listed) == len(set(listed))
        assert set(listed) == (before | set(added)) - deleted
