"""Requests per second the fake serves: to one keep-alive client, and to the twilio SDK.

Reference in the same run: a hello-world WSGI app on the same server library (werkzeug's
threaded server), fetched by the same keep-alive client. Medians of several runs.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import requests
from werkzeug.serving import make_server
from werkzeug.wrappers import Response

from binding_contracts.fake import FakeBindingAPI
from binding_contracts.fake.server import _QuietHandler

REQUESTS = 400
RUNS = 5


def _hello(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
    return Response('{"hello": "world"}', content_type="application/json")(environ, start_response)


@contextmanager
def hello_server() -> Iterator[str]:
    server = make_server("127.0.0.1", 0, _hello, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def rate(fetch: Callable[[], Any], n: int = REQUESTS) -> float:
    """Median requests/s of ``fetch`` over RUNS runs of n calls."""
    rates = []
    for _ in range(RUNS):
        start = time.perf_counter()
        for _ in range(n):
            fetch()
        rates.append(n / (time.perf_counter() - start))
    return statistics.median(rates)


def measure() -> list[tuple[str, float, float | None, str]]:
    """Rows of (operation, ours per second, reference per second or None, unit)."""
    rows: list[tuple[str, float, float | None, str]] = []
    with FakeBindingAPI(seed=1) as api, hello_server() as hello:
        svc = api.add_service()
        sid = api.add_binding(svc, identity="kim")["sid"]
        url = f"{api.base_url}/v2/Services/{svc}/Bindings/{sid}"
        session = requests.Session()
        session.auth = (api.account_sid, api.auth_token)
        plain = requests.Session()
        reference = rate(lambda: plain.get(hello).content)
        ours = rate(lambda: session.get(url).content)
        rows.append(("fake: fetch, one keep-alive client", ours, reference, "req/s"))
        client = api.twilio_client(check="raise")
        binding = client.chat.v2.services(svc).bindings(sid)
        unchecked = api.twilio_client(check="off").chat.v2.services(svc).bindings(sid)
        rows.append(
            (
                "fake: twilio SDK fetch, every response checked",
                rate(binding.fetch, 200),
                rate(unchecked.fetch, 200),
                "req/s",
            )
        )
    return rows


def main() -> None:
    for name, ours, ref, unit in measure():
        ratio = f"{ours / ref:.2f}x" if ref else "-"
        print(f"{name:50s} {ours:10.0f} {unit}   reference {ref or 0:10.0f} {unit}   {ratio}")


if __name__ == "__main__":
    main()
