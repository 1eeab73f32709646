"""The origin recording writes for a fake serving in this process: its public_url, else the API's
own, on every loopback name of its port; any other URL as it is, and the fake's after it stopped."""

from __future__ import annotations

import pytest

from binding_contracts.fake import FakeBindingAPI
from binding_contracts.traffic.origins import on_public_origin

PATHS = {
    "/v2/Services/IS0/Bindings?PageSize=1": "https://chat.twilio.com",
    "/v1/Services/IS0/Bindings/BS0": "https://conversations.twilio.com",
    "/v2/Services/IS0/Users/kim%40x/Bindings": "https://chat.twilio.com",
    "/": "https://chat.twilio.com",
}


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "[::1]"])
def test_a_running_fake_s_urls_move_to_the_api_s_origin(name: str) -> None:
    with FakeBindingAPI(seed=1) as api:
        for path, origin in PATHS.items():
            assert on_public_origin(f"http://{name}:{api.port}{path}") == origin + path
    for path in PATHS:  # stopped: no longer a fake's
        assert on_public_origin(f"http://{name}:{api.port}{path}") == f"http://{name}:{api.port}{path}"


def test_a_fake_with_a_public_url_moves_to_it() -> None:
    with FakeBindingAPI(seed=1, public_url="https://example.test/") as api:
        assert on_public_origin(f"{api.base_url}/v1/Services/IS0/Bindings") == (
            "https://example.test/v1/Services/IS0/Bindings"
        )


@pytest.mark.parametrize(
    "url",
    [
        "https://chat.twilio.com/v2/Services/IS0/Bindings",
        "http://10.0.0.1:{port}/v2/Services/IS0/Bindings",  # another host on the same port number
        "http://127.0.0.1:1/v2/Services/IS0/Bindings",
        "http://[::1/v2",  # not a URL urlsplit reads
        "not a url",
    ],
)
def test_any_other_url_is_left_as_it_is(url: str) -> None:
    with FakeBindingAPI(seed=1) as api:
        given = url.format(port=api.port)
        assert on_public_origin(given) == given
