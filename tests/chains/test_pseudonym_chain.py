"""The chains of recording with PII pseudonymised, from the built wheel in a temporary project with
only the extras the docs name (``fake`` for the fake and the twilio SDK, ``pytest`` for vcrpy and
pytest-recording), run as a user runs them:

- record against the fake with ``redact_pii=True``, then replay (``--record-mode=none``) through the
  sync and async twilio checking clients and the ``requests`` and ``httpx`` hooks, the plugin
  checking every cassette with ``--binding-contracts-require-redacted``: no finding, and the tests'
  own assertions on identities (``kim``, ``maria@example.org``) pass on replay as when recording;
- record in clear, ``binding-contracts check --require-redacted`` (exit 1), ``redact --pii
  --in-place`` the cassettes, ``check --require-redacted`` (exit 0), replay as above.
"""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

from wheels import Venv, wheel_venv

pytestmark = pytest.mark.slow

CONFTEST = """
import os

import pytest

from binding_contracts.fake import FakeBindingAPI


@pytest.fixture(scope="module")
def api():
    with FakeBindingAPI(seed=11, public_url="https://chat.twilio.com") as api:
        api.service = api.add_service()
        api.add_binding(api.service, "kim", "apn")
        api.add_binding(api.service, "maria@example.org", "fcm")
        yield api


@pytest.fixture(scope="module")
def vcr_config(api):
    return api.vcr_config(redact_pii=os.environ.get("PSEUDONYMISE") == "1")
"""

TESTS = '''
import asyncio

import httpx
import pytest
import requests
from twilio.rest import Client

from binding_contracts.exchanges import httpx_async_hook, httpx_hook, response_hook
from binding_contracts.live import AsyncCheckingHttpClient

WHO = ["kim", "maria@example.org"]


def read(get, api):
    """What the code under test does with any client: a user's bindings, a filtered listing."""
    base = f"{api.base_url}/v2/Services/{api.service}"
    for who in WHO:
        page = get(f"{base}/Users/{who}/Bindings", {}).json()
        assert [b["identity"] for b in page["bindings"]] == [who]
    page = get(f"{base}/Bindings", [("Identity", w) for w in WHO]).json()
    assert sorted(b["identity"] for b in page["bindings"]) == WHO


@pytest.mark.vcr
def test_twilio_sync(api):
    service = api.twilio_client().chat.v2.services(api.service)
    for who in WHO:
        assert [b.identity for b in service.users(who).user_bindings.list()] == [who]
    assert sorted(b.identity for b in service.bindings.list(identity=WHO)) == WHO


@pytest.mark.vcr
def test_twilio_async(api):
    async def main():
        http = AsyncCheckingHttpClient(redirect_to=api.base_url)
        client = Client(api.account_sid, api.auth_token, http_client=http)
        client.edge = client.region = None
        service = client.chat.v2.services(api.service)
        try:
            for who in WHO:
                listed = await service.users(who).user_bindings.list_async()
                assert [b.identity for b in listed] == [who]
            listed = await service.bindings.list_async(identity=WHO)
            assert sorted(b.identity for b in listed) == WHO
        finally:
            await http.close()

    asyncio.run(main())


@pytest.mark.vcr
def test_requests_hook(api):
    session = requests.Session()
    session.auth = (api.account_sid, api.auth_token)
    session.hooks["response"].append(response_hook())
    read(lambda url, params: session.get(url, params=params, timeout=5), api)


@pytest.mark.vcr
def test_httpx_hook(api):
    auth = (api.account_sid, api.auth_token)
    with httpx.Client(auth=auth, event_hooks={"response": [httpx_hook()]}) as client:
        read(lambda url, params: client.get(url, params=params), api)


@pytest.mark.vcr
def test_httpx_async_hook(api):
    async def main():
        auth = (api.account_sid, api.auth_token)
        async with httpx.AsyncClient(auth=auth, event_hooks={"response": [httpx_async_hook()]}) as client:
            pages = {}

            async def get(url, params):
                pages[url, str(params)] = response = await client.get(url, params=params)
                return response

            base = f"{api.base_url}/v2/Services/{api.service}"
            for who in WHO:
                page = (await get(f"{base}/Users/{who}/Bindings", {})).json()
                assert [b["identity"] for b in page["bindings"]] == [who]
            page = (await get(f"{base}/Bindings", [("Identity", w) for w in WHO])).json()
            assert sorted(b["identity"] for b in page["bindings"]) == WHO

    asyncio.run(main())
'''

CHECKED = ["--binding-contracts", "--binding-contracts-require-redacted", "-p", "no:cacheprovider"]


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    return wheel_venv(tmp_path_factory, "binding-contracts[fake,pytest]")


def project(folder: Path) -> Path:
    (folder / "conftest.py").write_text(textwrap.dedent(CONFTEST), "utf-8")
    (folder / "test_bindings.py").write_text(textwrap.dedent(TESTS), "utf-8")
    return folder


def run(env: Venv, folder: Path, *argv: str, pseudonymise: bool = True) -> subprocess.CompletedProcess[str]:
    environment = {**env.env(), "PSEUDONYMISE": "1" if pseudonymise else "0"}
    return subprocess.run(
        list(argv), cwd=folder, env=environment, capture_output=True, text=True, timeout=120
    )


def pytest_in(env: Venv, folder: Path, mode: str, *options: str, pseudonymise: bool = True) -> None:
    done = run(
        env,
        folder,
        str(env.bin / "pytest"),
        "-q",
        f"--record-mode={mode}",
        *options,
        pseudonymise=pseudonymise,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "5 passed" in done.stdout, done.stdout


def cassettes(folder: Path) -> str:
    found = sorted((folder / "cassettes").rglob("*.yaml"))
    assert len(found) == 5, found
    return "\n".join(p.read_text("utf-8") for p in found)


def test_recorded_with_pii_pseudonymised_replays_through_every_checking_client(
    venv: Venv, tmp_path: Path
) -> None:
    folder = project(tmp_path)
    pytest_in(venv, folder, "once", *CHECKED)
    text = cassettes(folder)
    assert "kim" not in text
    assert "maria" not in text
    pytest_in(venv, folder, "none", *CHECKED)


def test_redacted_afterwards_it_passes_require_redacted_and_replays(venv: Venv, tmp_path: Path) -> None:
    folder = project(tmp_path)
    pytest_in(venv, folder, "once", "--binding-contracts", pseudonymise=False)
    assert "maria@example.org" in cassettes(folder)
    check = [str(venv.bin / "binding-contracts"), "check", "--require-redacted", "cassettes"]
    found = run(venv, folder, *check)
    assert found.returncode == 1, found.stdout + found.stderr
    assert "cassette.pii" in found.stdout
    redact = run(
        venv, folder, str(venv.bin / "binding-contracts"), "redact", "--pii", "--in-place", "cassettes"
    )
    assert redact.returncode == 0, redact.stdout + redact.stderr
    text = cassettes(folder)
    assert "kim" not in text
    assert "maria" not in text
    clean = run(venv, folder, *check)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    pytest_in(venv, folder, "none", *CHECKED)
