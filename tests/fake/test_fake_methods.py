"""Methods as an HTTP server takes them: ``HEAD`` is ``GET`` without the body, the same status and
headers (``Content-Length`` included); methods are case-sensitive, so ``get`` is no ``GET``: an
unknown method, like a known one a Binding path does not offer, is 405 with ``Allow``."""

from __future__ import annotations

import http.client
from collections.abc import Iterator

import pytest

from binding_contracts import check
from binding_contracts.fake import FakeBindingAPI

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def api() -> Iterator[FakeBindingAPI]:
    with FakeBindingAPI(seed=5, services=1, bindings=3, auth=False) as running:
        yield running


def paths(api: FakeBindingAPI) -> list[str]:
    service, bindings = next(iter(api.store.services.items()))
    sid = next(iter(bindings))
    return [
        f"/v2/Services/{service}/Bindings",
        f"/v2/Services/{service}/Bindings/{sid}",
        f"/v1/Services/{service}/Bindings?PageSize=2",
        f"/v2/Services/{service}/Bindings/BS{'0' * 32}",  # 404
        "/v2/Services/nope/Channels",  # 404, no Binding path
    ]


def send(api: FakeBindingAPI, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
    """One request on a connection of its own, the method sent exactly as given."""
    host, port = api.base_url.removeprefix("http://").rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        body = response.read()
        headers = {k.lower(): v for k, v in response.getheaders() if k.lower() != "date"}
        return response.status, headers, body
    finally:
        connection.close()


class TestHead:
    def test_head_answers_as_get_without_the_body(self, api: FakeBindingAPI) -> None:
        for path in paths(api):
            status, headers, body = send(api, "GET", path)
            head_status, head_headers, head_body = send(api, "HEAD", path)
            assert (head_status, head_headers) == (status, headers), path
            assert head_body == b""
            assert int(head_headers["content-length"]) == len(body) > 0


class TestMethodCase:
    @pytest.mark.parametrize(
        "method", ["get", "Get", "delete", "head", "FOO", "QUERY", "POST", "PUT", "PATCH", "OPTIONS"]
    )
    def test_a_known_method_not_offered_is_405_with_allow(self, api: FakeBindingAPI, method: str) -> None:
        collection, item = paths(api)[:2]
        for path, allowed in ((collection, "GET, HEAD"), (item, "GET, HEAD, DELETE")):
            status, headers, body = send(api, method, path)
            assert (status, headers["allow"]) == (405, allowed)
            assert check(body, kind="error", status=405).ok

    def test_the_bindings_are_untouched_by_a_lower_case_delete(self, api: FakeBindingAPI) -> None:
        item = paths(api)[1]
        assert send(api, "delete", item)[0] == 405
        assert send(api, "GET", item)[0] == 200
