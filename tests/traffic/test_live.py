"""Live checking: the requests and httpx hooks, check_response, the twilio SDK's async client, and
the serve command."""

from __future__ import annotations

import asyncio
import io
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import requests
from twilio.rest import Client

from binding_contracts import ContractViolation, UsageError
from binding_contracts.cli import build_parser, run
from binding_contracts.cli.serve import serve
from binding_contracts.fake import FakeBindingAPI
from binding_contracts.live import (
    AsyncCheckingHttpClient,
    Checker,
    check_response,
    httpx_async_hook,
    httpx_hook,
    response_hook,
)
from conftest import shell_sigint

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def api() -> Iterator[FakeBindingAPI]:
    with FakeBindingAPI(seed=2, auth=False, services=1, bindings=12) as running:
        yield running


def list_url(api: FakeBindingAPI, query: str = "") -> str:
    return f"{api.base_url}/v2/Services/{next(iter(api.store.services))}/Bindings{query}"


class TestRequests:
    def test_check_response_judges_a_response_with_its_request(self, api: FakeBindingAPI) -> None:
        report = check_response(requests.get(list_url(api, "?PageSize=5"), timeout=5))
        assert report is not None
        assert (report.kind, report.ok) == ("binding-page", True)

    def test_a_response_that_is_no_binding_operation_is_ignored(self, api: FakeBindingAPI) -> None:
        assert check_response(requests.get(f"{api.base_url}/v2/Services", timeout=5)) is None

    def test_a_hook_in_a_session_follows_the_walk(self, api: FakeBindingAPI) -> None:
        checker = Checker("collect")
        session = requests.Session()
        session.hooks["response"].append(response_hook(checker))
        url: str | None = list_url(api, "?PageSize=5")
        while url:
            url = session.get(url, timeout=5).json()["meta"]["next_page_url"]
        assert len(checker.reports) == 3
        assert checker.violations == []
        assert len(checker.session.walks) == 0

    def test_a_broken_payload_raises_by_default(self) -> None:
        with FakeBindingAPI(seed=2, auth=False) as api:
            svc = api.add_service()
            api.add_binding(svc)
            api.inject("break:page.key")
            response = requests.get(f"{api.base_url}/v2/Services/{svc}/Bindings", timeout=5)
            with pytest.raises(ContractViolation, match=r"page\.key"):
                check_response(response)

    def test_an_unknown_mode_is_refused(self) -> None:
        with pytest.raises(UsageError, match="raise, collect, off"):
            Checker("loud")  # type: ignore[arg-type]


class TestServeCommand:
    def test_serve_prints_its_url_and_stops_on_interrupt(self) -> None:
        script = Path(sys.executable).parent / "binding-contracts"
        argv = [str(script), "serve", "--seed", "4", "--services", "1", "--bindings", "3", "--no-auth"]
        # Ctrl-C as a shell delivers it: a pytest-xdist worker ignores SIGINT, and a child inherits that.
        with subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, preexec_fn=shell_sigint) as proc:
            try:
                assert proc.stdout is not None
                first = proc.stdout.readline()
                assert first.startswith("serving the Binding API on http://127.0.0.1:")
                base = first.rsplit(" ", 1)[1].strip()
                proc.stdout.readline()
                service = proc.stdout.readline().split()[1].rstrip(":")
                page = requests.get(f"{base}/v2/Services/{service}/Bindings", timeout=5).json()
                assert len(page["bindings"]) == 3
            finally:
                proc.send_signal(signal.SIGINT)
                try:
                    assert proc.wait(timeout=10) == 0
                finally:
                    proc.kill()  # never left running, nor waited for without end by Popen's exit

    def test_serve_takes_the_paging_rules(self) -> None:
        argv = [
            "serve",
            "--no-auth",
            "--bindings",
            "3",
            "--absolute-paging",
            "--page-size-over-max",
            "refuse",
        ]
        args = build_parser("serve").parse_args(argv)
        out, stop = io.StringIO(), threading.Event()
        server = threading.Thread(target=serve, args=(args, out, stop))
        server.start()
        try:
            for _ in range(200):
                if "service IS" in out.getvalue():
                    break
                time.sleep(0.05)
            lines = out.getvalue().splitlines()
            base, service = lines[0].rsplit(" ", 1)[1], lines[2].split()[1].rstrip(":")
            listing = f"{base}/v2/Services/{service}/Bindings"
            assert requests.get(f"{listing}?PageSize=1&Page=2", timeout=5).status_code == 200
            assert requests.get(f"{listing}?PageSize=51", timeout=5).status_code == 400
        finally:
            stop.set()
            server.join(timeout=10)

    def test_a_busy_port_is_one_line_naming_it_and_exit_2(self) -> None:
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            out, err = io.StringIO(), io.StringIO()
            assert run(["serve", "--port", str(port)], out, err) == 2
        assert err.getvalue() == (
            f"binding-contracts: error: cannot listen on 127.0.0.1:{port}: Address already in use "
            "(pass another port, or 0 for a free one)\n"
        )
        assert out.getvalue() == ""

    @pytest.mark.parametrize(
        ("argv", "message"),
        [
            (["serve", "--inject", "418"], "expected [OPERATION=]FAULT"),
            (["serve", "--inject", "fetch-thing=500"], "Got operation 'fetch-thing'"),
            (["serve", "--bindings", "-1"], "negative"),
            (["serve", "--page-size-over-max", "loud"], "expected one of cap, refuse"),
        ],
    )
    def test_bad_serve_options_are_one_line_and_exit_2(self, argv: list[str], message: str) -> None:
        out, err = io.StringIO(), io.StringIO()
        assert run(argv, out, err) == 2
        assert message in err.getvalue()
        assert err.getvalue().count("\n") == 1


class TestHttpx:
    def test_the_sync_hook_follows_a_walk(self, api: FakeBindingAPI) -> None:
        checker = Checker("collect")
        with httpx.Client(event_hooks={"response": [httpx_hook(checker)]}) as client:
            url: str | None = list_url(api, "?PageSize=5")
            while url:
                url = client.get(url).json()["meta"]["next_page_url"]
        assert [r.kind for r in checker.reports] == ["binding-page"] * 3
        assert checker.violations == []
        assert len(checker.session.walks) == 0

    def test_the_async_hook_follows_a_walk(self, api: FakeBindingAPI) -> None:
        checker = Checker("collect")

        async def walk() -> None:
            async with httpx.AsyncClient(event_hooks={"response": [httpx_async_hook(checker)]}) as client:
                url: str | None = list_url(api, "?PageSize=5")
                while url:
                    url = (await client.get(url)).json()["meta"]["next_page_url"]

        asyncio.run(walk())
        assert [r.kind for r in checker.reports] == ["binding-page"] * 3
        assert checker.violations == []

    def test_a_broken_payload_raises_from_either_hook(self) -> None:
        with FakeBindingAPI(seed=2, auth=False) as api:
            svc = api.add_service()
            api.add_binding(svc)
            api.inject("break:page.key")
            url = f"{api.base_url}/v2/Services/{svc}/Bindings"
            with (
                httpx.Client(event_hooks={"response": [httpx_hook()]}) as client,
                pytest.raises(ContractViolation, match=r"page\.key"),
            ):
                client.get(url)

            async def fetch() -> None:
                async with httpx.AsyncClient(event_hooks={"response": [httpx_async_hook()]}) as client:
                    await client.get(url)

            with pytest.raises(ContractViolation, match=r"page\.key"):
                asyncio.run(fetch())

    def test_check_response_takes_an_httpx_response(self, api: FakeBindingAPI) -> None:
        report = check_response(httpx.get(list_url(api, "?PageSize=5")))
        assert report is not None
        assert (report.kind, report.ok) == ("binding-page", True)


class TestAsyncTwilioClient:
    def test_list_async_is_checked_page_by_page(self) -> None:
        with FakeBindingAPI(seed=5, services=1, bindings=12) as api:
            svc = next(iter(api.store.services))

            async def listing() -> tuple[list[str], AsyncCheckingHttpClient]:
                http = AsyncCheckingHttpClient("collect", redirect_to=api.base_url)
                async with http:
                    client = Client(api.account_sid, api.auth_token, http_client=http)
                    client.edge = client.region = None
                    found = await client.chat.v2.services(svc).bindings.list_async(page_size=5)
                return [b.sid for b in found], http

            sids, http = asyncio.run(listing())
        assert len(set(sids)) == 12
        assert [r.kind for r in http.reports] == ["binding-page"] * 3
        assert http.violations == []

    def test_a_broken_payload_raises_from_fetch_async(self) -> None:
        with FakeBindingAPI(seed=5, services=1, bindings=1) as api:
            svc = next(iter(api.store.services))
            sid = next(iter(api.store.services[svc]))
            api.inject("fetch-binding=break:binding.url-sid")

            async def fetch() -> None:
                async with AsyncCheckingHttpClient(redirect_to=api.base_url) as http:
                    client = Client(api.account_sid, api.auth_token, http_client=http)
                    client.edge = client.region = None
                    await client.chat.v2.services(svc).bindings(sid).fetch_async()

            with pytest.raises(ContractViolation, match=r"binding\.url-sid"):
                asyncio.run(fetch())
