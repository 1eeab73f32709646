"""What the code reads: the twilio SDK's Binding instances traced (sync and async, values unchanged),
the usage file written by the plugin (merged across xdist workers), and drift and stale ranked by it."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from binding_contracts.traffic.usage import FILE_KEY, Tracer, Usage, read_usage, trace_sdk, write_usage
from clirun import call
from stale_history import CHAT_2024, CHAT_2025, CHAT_NOT_NULL, recorded_2024

pytest_plugins = ["pytester"]

BODY = {
    "sid": "BS" + "a" * 32,
    "account_sid": "AC" + "a" * 32,
    "service_sid": "IS" + "a" * 32,
    "date_created": "2016-10-21T11:37:03Z",
    "date_updated": "2016-10-21T11:37:03Z",
    "endpoint": "TestUser-endpoint",
    "identity": "TestUser",
    "credential_sid": "CR" + "a" * 32,
    "binding_type": "gcm",
    "message_types": ["new_message"],
    "url": "https://chat.twilio.com/v2/Services/IS/Bindings/BS",
    "links": {"user": "https://chat.twilio.com/v2/Services/IS/Users/TestUser"},
}


def instances() -> tuple[Any, Any]:
    from twilio.rest import Client
    from twilio.rest.chat.v2.service.binding import BindingInstance
    from twilio.rest.conversations.v1.service.binding import BindingInstance as ConversationsBinding

    client = Client("AC" + "0" * 32, "token")
    chat = BindingInstance(client.chat.v2, dict(BODY), BODY["service_sid"], BODY["sid"])
    body = {
        **{k: v for k, v in BODY.items() if k not in ("service_sid", "links")},
        "chat_service_sid": "IS" + "b" * 32,
    }
    conversations = ConversationsBinding(client.conversations.v1, body, body["chat_service_sid"], body["sid"])
    return chat, conversations


def test_reads_are_traced_sync_and_async_and_what_the_code_sees_is_unchanged() -> None:
    tracer = Tracer()
    untraced = dict(vars(instances()[0]).items())
    assert set(trace_sdk(tracer)) == {"binding", "user-binding", "conversations-binding"}
    chat, conversations = instances()
    assert chat.binding_type == "gcm"  # read outside a test: not noted
    tracer.start("t::sync")
    assert {k: getattr(chat, k) for k in BODY} == {k: untraced[k] for k in BODY}
    assert tracer.finish() == {"binding": sorted(BODY)}

    async def reads() -> tuple[Any, Any]:
        await asyncio.sleep(0)
        return conversations.chat_service_sid, conversations.endpoint

    tracer.start("t::async")
    assert asyncio.run(reads()) == ("IS" + "b" * 32, "TestUser-endpoint")
    repr(conversations)  # the SDK's own reads (its repr) are not the code's
    chat.delete  # a method is no member  # noqa: B018
    assert tracer.finish() == {"conversations-binding": ["chat_service_sid", "endpoint"]}


def test_a_usage_file_round_trips_and_a_bad_one_is_named(tmp_path: Path) -> None:
    usage = Usage()
    usage.add("binding", "binding_type", "t.py::b")
    usage.add("binding", "binding_type", "t.py::a")
    path = tmp_path / "usage.json"
    write_usage(str(path), usage)
    assert json.loads(path.read_text()) == {
        FILE_KEY: 1,
        "kinds": {"binding": {"binding_type": ["t.py::a", "t.py::b"]}},
    }
    assert read_usage(str(path)).read_by("binding", "binding_type") == ("t.py::a", "t.py::b")
    for bad in ({FILE_KEY: 2}, {"kinds": {}}, {FILE_KEY: 1, "kinds": {"binding": {"sid": "t"}}}):
        path.write_text(json.dumps(bad))
        code, _, err = call("drift", str(CHAT_2025), "--usage", str(path))
        assert code == 2
        assert err.count("\n") == 1
        assert str(path) in err


CONSUMER = """
import pytest
from binding_contracts.fake import FakeBindingAPI

@pytest.fixture(scope="module")
def api():
    with FakeBindingAPI(seed=3, services=1, bindings=3) as api:
        yield api

def service(api):
    return api.twilio_client().chat.v2.services(next(iter(api.store.services)))

def test_matches_on_the_type(api):
    for b in service(api).bindings.list():
        assert b.binding_type in ("apn", "gcm", "fcm")

def test_sends_to_the_endpoint(api):
    b = service(api).bindings.list()[0]
    assert b.sid and getattr(b, "endpoint")

def test_reads_nothing(api):
    service(api).bindings.list()
"""


@pytest.mark.slow
def test_the_plugin_writes_what_the_suite_reads_merged_across_workers(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_consumer=CONSUMER)
    pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--binding-contracts-usage=one.json"
    ).assert_outcomes(passed=3)
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-n", "2", "--binding-contracts-usage=two.json"
    )
    result.assert_outcomes(passed=3)
    one = json.loads((pytester.path / "one.json").read_text())
    assert one == json.loads((pytester.path / "two.json").read_text())
    assert one["kinds"] == {
        "binding": {
            "binding_type": ["test_consumer.py::test_matches_on_the_type"],
            "endpoint": ["test_consumer.py::test_sends_to_the_endpoint"],
            "sid": ["test_consumer.py::test_sends_to_the_endpoint"],
        }
    }


def usage_file(tmp_path: Path, *members: str) -> str:
    usage = Usage()
    for member in members:
        usage.add("binding", member, f"test_app.py::test_{member}")
    path = tmp_path / f"usage-{'-'.join(members)}.json"
    write_usage(str(path), usage)
    return str(path)


def test_drift_fails_on_used_for_the_consumer_that_reads_binding_type(tmp_path: Path) -> None:
    drift = ("drift", str(CHAT_2025), "--spec", str(CHAT_2024))
    reads_type = usage_file(tmp_path, "binding_type", "sid")
    reads_sid = usage_file(tmp_path, "sid", "endpoint")
    code, out, _ = call(*drift, "--usage", reads_type)
    assert code == 1
    assert "binding.binding_type: nullable true -> false" in out
    assert "{read by test_app.py::test_binding_type}" in out
    code, out, _ = call(*drift, "--usage", reads_sid, "--fail-on", "used")
    assert code == 0
    assert "{not read by the tests}" in out
    assert call(*drift, "--usage", reads_sid, "--fail-on", "any")[0] == 1
    assert call(*drift)[0] == 1  # without usage: any difference fails, as before
    doc = json.loads(call(*drift, "--usage", reads_type, "--format", "json")[1])
    marked = {d["subject"]: d["read_by"] for d in doc["results"][0]["differences"]}
    assert marked["binding.binding_type"] == ["test_app.py::test_binding_type"]
    assert marked["user-binding.binding_type"] == []


def test_stale_fails_on_used_for_the_consumer_that_reads_binding_type(tmp_path: Path) -> None:
    cassette = recorded_2024(tmp_path)
    stale = ("stale", str(cassette), "--spec", str(CHAT_NOT_NULL))  # PageSize=200 is still allowed
    code, out, _ = call(*stale, "--usage", usage_file(tmp_path, "binding_type"))
    assert code == 1
    assert "schema.enum: null is not one of gcm, apn, fcm {read by test_app.py::test_binding_type}" in out
    code, out, _ = call(*stale, "--usage", usage_file(tmp_path, "sid", "endpoint"))
    assert code == 0
    assert "{not read by the tests}" in out
    # a recorded request the spec refuses fails whoever reads what: the code sent it
    code, _, _ = call(
        "stale", str(cassette), "--spec", str(CHAT_2025), "--usage", usage_file(tmp_path, "sid")
    )
    assert code == 1


def test_a_run_without_the_option_imports_no_tracing(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import sys
        def test_modules():
            assert not [m for m in sys.modules if m.startswith("binding_contracts.traffic")]
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_a_json_body_taken_through_the_checking_hooks_is_traced() -> None:
    import httpx
    import requests

    from binding_contracts.exchanges import httpx_hook, response_hook
    from binding_contracts.fake import FakeBindingAPI
    from binding_contracts.traffic.usage import TRACER, trace_responses

    trace_responses()
    with FakeBindingAPI(seed=3, services=1, bindings=2, auth=False) as api:
        url = f"{api.base_url}/v2/Services/{next(iter(api.store.services))}/Bindings"
        session = requests.Session()
        session.hooks["response"].append(response_hook())
        TRACER.start("t::requests")
        response = session.get(url, timeout=5)
        body = response.json()
        assert body == json.loads(response.content)
        assert isinstance(body, dict)
        assert body["bindings"][0]["endpoint"]
        assert TRACER.finish() == {"binding": ["endpoint"], "binding-page": ["bindings"]}
        with httpx.Client(event_hooks={"response": [httpx_hook()]}) as client:
            TRACER.start("t::httpx")
            assert client.get(url).json()["meta"].get("page_size")
            assert TRACER.finish() == {"binding-page": ["meta"]}
        assert session.get(url, timeout=5).json()["bindings"]  # no test running: nothing noted
        assert TRACER.reads == {}
