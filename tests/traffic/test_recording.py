"""Safe recording: credentials dropped, the account SID replaced, PII pseudonymised in shape."""

from __future__ import annotations

import asyncio
import io
import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote_plus, unquote, unquote_plus, urlsplit

import httpx
import pytest
import requests
import vcr
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from binding_contracts import ContractViolation, UsageError, check
from binding_contracts.errors import RecordingViolation
from binding_contracts.exchanges import Checker, httpx_hook, response_hook
from binding_contracts.fake import FakeBindingAPI
from binding_contracts.recording import (
    ACCOUNT_PLACEHOLDER,
    DEFAULT_PII_KEY,
    Redactor,
    deferred_to_plugin,
    vcr_config,
)
from binding_contracts.spec.urls import segment
from binding_contracts.traffic.pseudonyms import renamed_url
from clirun import call
from conftest import fewer_examples


def redactor(**options: Any) -> Redactor:
    defaults: dict[str, Any] = {"redact_pii": True, "redact_account": True, "pii_key": "k", "check": "off"}
    return Redactor(**{**defaults, **options})


class TestPseudonyms:
    @given(token=st.text("0123456789abcdef", min_size=64, max_size=64))
    @example(token="0" * 64)
    def test_an_apns_token_stays_64_hex_characters(self, token: str) -> None:
        out = redactor().endpoint(token)
        assert re.fullmatch(r"[0-9a-f]{64}", out)
        # A token that already starts with the pseudonym marker is taken as redacted.
        assert out != token or token.startswith("00000000")

    @given(
        head=st.text("abcXYZ09-_", min_size=11, max_size=11),
        tail=st.text("abcXYZ09-_", min_size=20, max_size=140),
    )
    def test_an_fcm_token_keeps_its_length_and_colon(self, head: str, tail: str) -> None:
        token = f"{head}:{tail}"
        out = redactor().endpoint(token)
        assert len(out) == len(token)
        assert out.index(":") == token.index(":")

    @given(value=st.text(min_size=1, max_size=80))
    def test_the_same_input_gives_the_same_pseudonym_and_rewriting_is_idempotent(self, value: str) -> None:
        r = redactor()
        assert r.identity(value) == redactor().identity(value)
        assert r.identity(r.identity(value)) == r.identity(value)
        if len(value) > 16:
            assert r.endpoint(r.endpoint(value)) == r.endpoint(value)

    def test_another_key_gives_other_pseudonyms(self) -> None:
        assert redactor(pii_key="a").identity("kim") != redactor(pii_key="b").identity("kim")


class TestDocuments:
    def test_a_redacted_binding_keeps_the_contract(self, binding: dict[str, Any]) -> None:
        binding["identity"] = "maria@example.org"
        binding["links"]["user"] = binding["links"]["user"].rsplit("/", 1)[0] + "/maria@example.org"
        out = redactor().document(binding)
        assert out["account_sid"] == ACCOUNT_PLACEHOLDER
        assert "maria" not in json.dumps(out)
        assert out["links"]["user"].endswith("/" + out["identity"])
        assert check(out).findings == []

    def test_identity_filters_and_user_paths_in_urls_are_pseudonymised_alike(self) -> None:
        r = redactor()
        url = r.url(
            "https://chat.twilio.com/v2/Services/IS1/Users/kim%40x.org/Bindings?Identity=kim%40x.org&PageSize=5"
        )
        pseudonym = r.identity("kim@x.org")
        assert (
            url
            == f"https://chat.twilio.com/v2/Services/IS1/Users/{pseudonym}/Bindings?Identity={pseudonym}&PageSize=5"
        )

    def test_without_redact_pii_only_the_account_changes(self, binding: dict[str, Any]) -> None:
        out = redactor(redact_pii=False).document(binding)
        assert out["identity"] == binding["identity"]
        assert out["account_sid"] == ACCOUNT_PLACEHOLDER


class _Request:
    def __init__(self, uri: str, method: str = "GET") -> None:
        self.method, self.uri = method, uri
        self.headers = {"Authorization": "Basic secret", "Accept": "application/json"}


class TestHooks:
    def test_credentials_never_reach_the_request_or_response(self) -> None:
        r = redactor()
        request = r.before_record_request(_Request("https://chat.twilio.com/v2/Services/IS1/Bindings"))
        assert request.headers == {"Accept": "application/json"}
        response = r.before_record_response(
            {"status": {"code": 200}, "headers": {"Set-Cookie": ["x"]}, "body": {"string": b"{}"}}
        )
        assert response["headers"] == {}

    def test_a_violating_response_raises_as_it_is_recorded(self, binding: dict[str, Any]) -> None:
        r = redactor(check="raise")
        r.before_record_request(_Request(binding["url"]))
        binding["binding_type"] = "sms"
        response = {"status": {"code": 200}, "headers": {}, "body": {"string": json.dumps(binding)}}
        with pytest.raises(ContractViolation, match=r"schema\.enum"):
            r.before_record_response(response)

    def test_vcr_config_leaves_record_mode_and_library_dir_to_the_user(self) -> None:
        config = vcr_config(redact_pii=True)
        assert not {"record_mode", "cassette_library_dir"} & set(config)
        assert "authorization" in config["filter_headers"]

    def test_an_unknown_check_mode_is_refused(self) -> None:
        with pytest.raises(UsageError):
            vcr_config(check="loud")


def test_one_config_serves_many_cassettes_without_mixing_their_sequences(binding: dict[str, Any]) -> None:
    r = redactor(check="raise")
    r.before_record_request(_Request(binding["url"], "DELETE"))
    r.before_record_response({"status": {"code": 204}, "headers": {}, "body": {"string": ""}})
    # the next cassette fetches a binding of the same sid: no sequence rule spans cassettes
    r.before_record_request(_Request(binding["url"]))
    response = {"status": {"code": 200}, "headers": {}, "body": {"string": json.dumps(binding)}}
    assert r.before_record_response(response) is response


class TestRecordingThroughVcrpy:
    """The hooks inside a real vcrpy cassette, without the pytest plugin."""

    def test_a_violation_names_the_cassette_the_interaction_and_the_request(self, tmp_path: Path) -> None:
        with FakeBindingAPI(seed=3, auth=False) as api:
            svc = api.add_service()
            sid = api.add_binding(svc)["sid"]
            api.inject("fetch-binding=break:binding.url-sid")
            url = f"{api.base_url}/v2/Services/{svc}/Bindings"
            path = tmp_path / "c.yaml"
            with vcr.VCR(record_mode="all", **vcr_config()).use_cassette(str(path)):
                requests.get(url, timeout=5)
                with pytest.raises(RecordingViolation) as raised:
                    requests.get(f"{url}/{sid}", timeout=5)
        recorded = f"https://chat.twilio.com/v2/Services/{svc}/Bindings/{sid}"  # as the cassette holds it
        assert str(raised.value).splitlines() == [
            "Binding contract violated:",
            *[
                f"{path}#1 GET {recorded}: {v.path}: {v.rule}: {v.message}"
                for v in raised.value.report.violations
            ],
        ]
        assert raised.value.report.rules() == {"binding.url-sid"}

    def test_while_the_plugin_checks_the_test_raise_leaves_it_to_the_plugin(
        self, binding: dict[str, Any]
    ) -> None:
        r = redactor(check="raise")
        r.before_record_request(_Request(binding["url"]))
        binding["binding_type"] = "sms"
        response = {"status": {"code": 200}, "headers": {}, "body": {"string": json.dumps(binding)}}
        with deferred_to_plugin():
            assert r.before_record_response(response) is response
        with pytest.raises(RecordingViolation, match=r"^Binding contract violated:\nGET https://chat"):
            r.before_record_response(response)


# -- one pseudonym per identity, in every view of an interaction ------------------------------------

_RESERVED = list("az09._-@:/?#%+ &=;")
IDENTITIES = st.builds(
    lambda head, tail: f"{head}Kq7{tail}",
    *[
        st.text(
            st.sampled_from(_RESERVED) | st.characters(min_codepoint=0xA0, exclude_categories=("Cs",)),
            max_size=6,
        )
    ]
    * 2,
)
"""Identities of ASCII, the reserved characters of URLs and forms, spaces and non-ASCII; ``Kq7`` in
the middle makes each one unlikely to stand anywhere in a cassette by chance."""
PLACES = ("path", "query", "form", "json")
"""Where the request names the identity; every response names it in members, urls and links."""


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeBindingAPI]:
    with FakeBindingAPI(seed=5, auth=False, services=1) as api:
        yield api


def _exchange(session: requests.Session, base: str, identity: str, place: str) -> list[Any]:
    """The code under test: it names ``identity`` in ``place``, then lists every binding; it gets
    the identity back from both (what it asserts when recording must hold on replay)."""
    if place == "path":
        named = session.get(f"{base}/Users/{segment(identity)}/Bindings", timeout=5)
    elif place == "query":
        named = session.get(
            f"{base}/Bindings", params=[("Identity", identity), ("Identity", "lee")], timeout=5
        )
    elif place == "form":
        named = session.post(f"{base}/Users", data={"Identity": identity, "FriendlyName": "Kim"}, timeout=5)
    else:
        named = session.post(f"{base}/Users", json={"identity": identity}, timeout=5)
    listed = session.get(f"{base}/Bindings", timeout=5).json()
    assert [b["identity"] for b in listed["bindings"]] == [identity]
    assert listed["bindings"][0]["links"]["user"].endswith("/Users/" + segment(identity))
    if place in ("path", "query"):
        assert [b["identity"] for b in named.json()["bindings"]] == [identity]
    return [named.json(), listed]


def _views(path: Path) -> Iterator[str]:
    """Every view of every interaction of a cassette, decoded every way a reader might decode it."""
    doc = yaml.safe_load(path.read_text("utf-8"))
    for interaction in doc["interactions"]:
        request, response = interaction["request"], interaction["response"]
        texts = [request["uri"], request.get("body"), response["body"]["string"]]
        texts += [str(v) for v in (*request["headers"].values(), *response["headers"].values())]
        for text in texts:
            if isinstance(text, bytes):
                text = text.decode("utf-8")
            if not text:
                continue
            yield from (text, unquote(text), unquote_plus(text))
            try:
                decoded = json.dumps(json.loads(text), ensure_ascii=False)
            except ValueError:
                continue
            yield from (decoded, unquote(decoded))


def _same_up_to_url_spelling(a: Any, b: Any) -> bool:
    """The same documents, but for the spelling of their urls and what recording rewrites whatever
    the requests name: the account SID, and endpoints (no request here names one)."""

    def norm(doc: Any) -> Any:
        if isinstance(doc, dict):
            return {k: norm(v) for k, v in doc.items() if k not in ("account_sid", "endpoint")}
        if isinstance(doc, list):
            return [norm(v) for v in doc]
        if isinstance(doc, str) and doc.startswith("http"):
            parts = urlsplit(re.sub("AC[0-9a-f]{32}", ACCOUNT_PLACEHOLDER, doc))
            return unquote(parts.path), sorted(parse_qsl(parts.query))
        return doc

    return bool(norm(a) == norm(b))


class TestOnePseudonymPerIdentity:
    """Recorded with PII pseudonymised, or recorded in clear and redacted with ``redact --pii``: the
    cassette holds the identity nowhere, passes ``check --require-redacted``, and replays through a
    checking client with no finding, the code under test getting back what it got when recording."""

    @given(identity=IDENTITIES)
    def test_a_url_pseudonymised_is_so_once_and_restored_names_the_identity_again(
        self, identity: str
    ) -> None:
        r = redactor()
        url = (
            f"https://chat.twilio.com/v2/Services/IS1/Users/{segment(identity)}/Bindings"
            f"?Identity={quote_plus(identity)}&Identity=lee&PageSize=5"
        )
        once = r.url(url)
        assert r.url(once) == once
        assert identity not in unquote_plus(once)
        assert once.endswith(
            f"/Users/{r.identity(identity)}/Bindings?Identity={r.identity(identity)}&Identity={r.identity('lee')}&PageSize=5"
        )
        named = {r.identity(identity): identity, r.identity("lee"): "lee"}
        back = renamed_url(once, lambda what, value, pointer: named.get(value, value))
        assert urlsplit(back).query == urlsplit(url).query
        assert unquote(urlsplit(back).path) == unquote(urlsplit(url).path)

    @settings(fewer_examples(2), suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(identity=IDENTITIES, place=st.sampled_from(PLACES), how=st.sampled_from(["recorded", "redacted"]))
    @example(identity="kim", place="path", how="recorded")
    @example(identity="maria@example.org", place="form", how="redacted")
    @example(identity="a b+c/d?e#f%g:Kq7", place="query", how="recorded")
    @example(identity="José Kq7 ☃", place="json", how="redacted")
    def test_the_cassette_holds_no_identity_and_replays_what_the_code_got(
        self, fake: FakeBindingAPI, identity: str, place: str, how: str
    ) -> None:
        fake.reset()
        service = next(iter(fake.store.services))
        fake.add_binding(service, identity, "apn")
        base = f"{fake.base_url}/v2/Services/{service}"
        match_on = ["method", "scheme", "host", "port", "path", "query", "body"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "c.yaml"
            recording = vcr.VCR(record_mode="all", match_on=match_on, **vcr_config(how == "recorded"))
            with recording.use_cassette(str(path)):
                recorded = _exchange(_checked(checker := Checker("collect")), base, identity, place)
            assert checker.violations == []
            if how == "redacted":
                assert any(identity in view for view in _views(path))  # recorded in clear
                assert call("check", "--require-redacted", str(path))[0] == 1
                code, _, err = call("redact", "--pii", "--in-place", str(path))
                assert code == 0, err
            assert not [view for view in _views(path) if identity in view]
            code, out, _ = call("check", "--require-redacted", str(path))
            assert code == 0, out
            replaying = vcr.VCR(record_mode="none", match_on=match_on, **vcr_config(redact_pii=True))
            with replaying.use_cassette(str(path)) as cassette:
                replayed = _exchange(_checked(checker := Checker("collect")), base, identity, place)
                assert cassette.all_played
            assert checker.violations == []
            assert _same_up_to_url_spelling(replayed, recorded)


def _checked(checker: Checker) -> requests.Session:
    session = requests.Session()
    session.hooks["response"].append(response_hook(checker))
    return session


WHO = ["kim", "maria@example.org"]


def _twilio_sync(api: FakeBindingAPI, service: str) -> list[list[str]]:
    chat = api.twilio_client().chat.v2.services(service)
    named = [[b.identity for b in chat.users(who).user_bindings.list()] for who in WHO]
    return [*named, sorted(b.identity for b in chat.bindings.list(identity=WHO))]


def _twilio_async(api: FakeBindingAPI, service: str) -> list[list[str]]:
    from twilio.rest import Client

    from binding_contracts.live import AsyncCheckingHttpClient

    async def main() -> list[list[str]]:
        http = AsyncCheckingHttpClient(redirect_to=api.base_url)
        client = Client(api.account_sid, api.auth_token, http_client=http)
        client.edge = client.region = None
        chat = client.chat.v2.services(service)
        try:
            named = [[b.identity for b in await chat.users(who).user_bindings.list_async()] for who in WHO]
            return [*named, sorted(b.identity for b in await chat.bindings.list_async(identity=WHO))]
        finally:
            await http.close()

    return asyncio.run(main())


def _by_url(get: Any, api: FakeBindingAPI, service: str) -> list[list[str]]:
    base = f"{api.base_url}/v2/Services/{service}"
    named = [
        [b["identity"] for b in get(f"{base}/Users/{who}/Bindings", {}).json()["bindings"]] for who in WHO
    ]
    listed = get(f"{base}/Bindings", [("Identity", w) for w in WHO]).json()["bindings"]
    return [*named, sorted(b["identity"] for b in listed)]


def _requests(api: FakeBindingAPI, service: str) -> list[list[str]]:
    session = requests.Session()
    session.auth = (api.account_sid, api.auth_token)
    session.hooks["response"].append(response_hook())
    return _by_url(lambda url, params: session.get(url, params=params, timeout=5), api, service)


def _httpx(api: FakeBindingAPI, service: str) -> list[list[str]]:
    auth = (api.account_sid, api.auth_token)
    with httpx.Client(auth=auth, event_hooks={"response": [httpx_hook()]}) as client:
        return _by_url(lambda url, params: client.get(url, params=params), api, service)


CLIENTS = {"twilio": _twilio_sync, "twilio-async": _twilio_async, "requests": _requests, "httpx": _httpx}
"""Each checking client (``raise``: a finding fails the test), and what the code reads with it."""


class TestPlaybackThroughEveryCheckingClient:
    @pytest.mark.parametrize("client", sorted(CLIENTS))
    def test_the_code_reads_on_replay_what_it_read_when_recording(self, client: str, tmp_path: Path) -> None:
        expected = [[WHO[0]], [WHO[1]], WHO]
        with FakeBindingAPI(seed=2) as api:
            service = api.add_service()
            for who in WHO:
                api.add_binding(service, who, "apn")
            path = str(tmp_path / "c.yaml")
            with vcr.VCR(record_mode="once", **vcr_config(redact_pii=True)).use_cassette(path):
                assert CLIENTS[client](api, service) == expected
            assert "kim" not in Path(path).read_text("utf-8")
            with vcr.VCR(record_mode="none", **vcr_config(redact_pii=True)).use_cassette(path) as cassette:
                assert CLIENTS[client](api, service) == expected
                assert cassette.all_played

    def test_a_cassette_of_another_config_open_at_once_plays_as_recorded(self, tmp_path: Path) -> None:
        path = str(tmp_path / "c.yaml")
        with FakeBindingAPI(seed=2, auth=False) as api:
            service = api.add_service()
            api.add_binding(service, "kim", "apn")
            url = f"{api.base_url}/v2/Services/{service}/Users/kim/Bindings"
            with vcr.VCR(record_mode="once", **vcr_config(redact_pii=True)).use_cassette(path):
                requests.get(url, timeout=5)
            restoring = vcr.VCR(record_mode="none", **vcr_config(redact_pii=True))
            plain = vcr.VCR(record_mode="none", match_on=["method"])
            with restoring.use_cassette(path), plain.use_cassette(path):
                inner = requests.get(url, timeout=5).json()  # played by the plain cassette
        assert inner["bindings"][0]["identity"] == redactor(pii_key=DEFAULT_PII_KEY).identity("kim")


@pytest.mark.parametrize("body", [io.BytesIO(b"Identity=kim"), iter([b"Identity=kim"])])
def test_a_request_body_that_is_a_file_or_an_iterator_is_left_as_it_is(body: Any) -> None:
    r = redactor()
    uri, out = r.request("https://chat.twilio.com/v2/Services/IS1/Users/kim", body)
    assert out is body
    assert uri.endswith("/Users/" + r.identity("kim"))
