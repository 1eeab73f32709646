"""Live checking: the requests hook and check_response, and the serve command."""

from __future__ import annotations

import io
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from binding_contracts import ContractViolation, UsageError
from binding_contracts.cli import run
from binding_contracts.fake import FakeBindingAPI
from binding_contracts.live import Checker, check_response, response_hook

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
        with subprocess.Popen(argv, stdout=subprocess.PIPE, text=True) as proc:
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
                assert proc.wait(timeout=10) == 0

    @pytest.mark.parametrize(
        ("argv", "message"),
        [
            (["serve", "--inject", "418"], "expected [OPERATION=]FAULT"),
            (["serve", "--inject", "fetch-thing=500"], "Got operation 'fetch-thing'"),
            (["serve", "--bindings", "-1"], "negative"),
        ],
    )
    def test_bad_serve_options_are_one_line_and_exit_2(self, argv: list[str], message: str) -> None:
        out, err = io.StringIO(), io.StringIO()
        assert run(argv, out, err) == 2
        assert message in err.getvalue()
        assert err.getvalue().count("\n") == 1
