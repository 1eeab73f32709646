"""Users named by identity: Twilio-style pages addressed by identity, the real SDK's identity-addressed
calls against the fake, and hand-written requests with any identity in the path."""

from __future__ import annotations

import base64
import copy
import json
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import orjson
import pytest
import requests
from hypothesis import example, given, settings
from hypothesis import strategies as st
from twilio.base.exceptions import TwilioException

from binding_contracts import Request, check
from binding_contracts.checking.entry import check_parsed
from binding_contracts.fake import FakeBindingAPI
from binding_contracts.spec.urls import SEGMENT_SAFE

Doc = dict[str, Any]

RESERVED = ["maria@example.org", "kim lee", "a+b", "a:b", "a&b", "50%", "kim/paris", "what?", "#1"]
NON_ASCII = ["Zoë", "東京", "josé.garcía"]
IDENTITIES = ["kim", *RESERVED, *NON_ASCII]
SPELLINGS = [(i, quote(i, safe="")) for i in IDENTITIES] + [
    (i, i) for i in IDENTITIES if quote(i, safe=SEGMENT_SAFE) == i
]
"""Each identity percent-encoded whole, and raw where a URI may hold it raw (``maria@example.org``)."""
NOT_CARRIED = frozenset("/?#")
"""Characters the SDK writes into its path unencoded, where they end the segment (or the path): a
caller names such a user by the identity percent-encoded."""


def user_page_by(page: Doc, segment: str, identity: str) -> Doc:
    """``page`` (a user's page naming its user by sid) naming the user by ``segment`` instead, and
    listing that identity's bindings."""
    doc = copy.deepcopy(page)
    user = doc["bindings"][0]["user_sid"]
    for key in ("url", "first_page_url", "previous_page_url", "next_page_url"):
        if doc["meta"][key] is not None:
            doc["meta"][key] = doc["meta"][key].replace(f"/Users/{user}/", f"/Users/{segment}/")
    for item in doc["bindings"]:
        item["identity"] = identity
    return doc


def rules_and_pointers(report: Any) -> set[tuple[str, str]]:
    return {(v.rule, v.path) for v in report.findings}


def every_path(doc: Doc, **options: Any) -> list[set[tuple[str, str]]]:
    """The findings of every checking path: text (compact and indented), parsed, and the reference."""
    texts = [orjson.dumps(doc), json.dumps(doc, indent=2, ensure_ascii=False).encode()]
    reports = [check(t, **options) for t in texts] + [check(doc, **options)]
    reference = check_parsed(copy.deepcopy(doc), "user-binding-page", "strict", parsed=False, fast=False)
    if not options:
        reports.append(reference)
    return [rules_and_pointers(r) for r in reports]


class TestTwilioStylePagesByIdentity:
    @pytest.mark.parametrize(("identity", "segment"), SPELLINGS)
    def test_a_page_naming_its_user_by_identity_passes(
        self, user_page: Doc, identity: str, segment: str
    ) -> None:
        doc = user_page_by(user_page, segment, identity)
        url = doc["meta"]["url"]
        found = every_path(doc)
        assert all(f == found[0] for f in found)
        assert {rule for rule, _ in found[0]} <= {"binding.identity-reserved"}
        with_request = check(doc, request=Request("GET", url))
        assert {v.rule for v in with_request.findings} <= {"binding.identity-reserved"}

    @pytest.mark.parametrize("identity", ["kim", "maria@example.org", "Zoë"])
    def test_a_page_naming_one_identity_and_listing_another_s_bindings_fails(
        self, user_page: Doc, identity: str
    ) -> None:
        doc = user_page_by(user_page, quote(identity, safe=""), identity)
        doc["bindings"][0]["identity"] = identity + "2"
        found = every_path(doc)
        assert all(f == found[0] for f in found)
        assert ("page.item-user", "/bindings/0/identity") in found[0]

    def test_a_user_binding_whose_url_names_its_identity_passes(self, user_binding: Doc) -> None:
        doc = copy.deepcopy(user_binding)
        doc["url"] = doc["url"].replace(doc["user_sid"], quote(doc["identity"]))
        assert check(doc).ok
        assert check(orjson.dumps(doc), "user-binding").ok
        doc["identity"] = "someone.else"
        assert check(doc).rules() == {"binding.url-user"}


@pytest.fixture(scope="module")
def api() -> Iterator[FakeBindingAPI]:
    with FakeBindingAPI(seed=13) as running:
        yield running


def addressed(identity: str) -> str:
    """The identity as a caller passes it to ``users(…)``: as it is, unless the SDK cannot carry it."""
    return quote(identity, safe="") if NOT_CARRIED & set(identity) else identity


@pytest.mark.slow
class TestTheSdkNamesUsersByIdentity:
    @pytest.mark.parametrize("identity", IDENTITIES)
    def test_list_fetch_and_delete_by_identity_pass_the_contract(
        self, api: FakeBindingAPI, identity: str
    ) -> None:
        svc = api.add_service()
        made = [api.add_binding(svc, identity=identity, binding_type=t) for t in ("apn", "fcm", "gcm")]
        api.add_binding(svc, identity=identity + "-other")
        client = api.twilio_client(check="raise")
        user = client.chat.v2.services(svc).users(addressed(identity))
        listed = user.user_bindings.list()
        assert sorted(b.sid for b in listed) == sorted(m["sid"] for m in made)
        assert {b.identity for b in listed} == {identity}
        walked = user.user_bindings.list(page_size=1)  # every page reached by its next_page_url
        assert [b.sid for b in walked] == [b.sid for b in listed]
        fetched = user.user_bindings(made[0]["sid"]).fetch()
        assert (fetched.sid, fetched.identity) == (made[0]["sid"], identity)
        assert user.user_bindings(made[0]["sid"]).delete() is True
        assert len(user.user_bindings.list()) == 2

    @pytest.mark.parametrize("rule", ["page.key", "page.item-user", "page.meta-url", "binding.url-sid"])
    def test_a_rule_broken_on_purpose_in_a_page_by_identity_is_the_only_finding(self, rule: str) -> None:
        with FakeBindingAPI(seed=5) as api:
            svc = api.add_service()
            for _ in range(3):
                api.add_binding(svc, identity="kim lee")
            api.inject(f"read-user-bindings=break:{rule}")
            url = f"{api.base_url}/v2/Services/{svc}/Users/kim%20lee/Bindings"
            response = requests.get(url, auth=(api.account_sid, api.auth_token), timeout=5)
        assert check(response.content, request=Request("GET", url)).rules() == {rule}

    @pytest.mark.parametrize("identity", sorted(i for i in IDENTITIES if NOT_CARRIED & set(i)))
    def test_an_identity_the_sdk_cannot_carry_unencoded_answers_404(
        self, api: FakeBindingAPI, identity: str
    ) -> None:
        svc = api.add_service()
        api.add_binding(svc, identity=identity)
        client = api.twilio_client(check="raise")
        with pytest.raises(TwilioException, match="HTTP 404"):
            client.chat.v2.services(svc).users(identity).user_bindings.list()


def raw_get(api: FakeBindingAPI, path: bytes) -> tuple[int, bytes]:
    """GET ``path`` written into the request line byte for byte (no client re-encodes it)."""
    token = base64.b64encode(f"{api.account_sid}:{api.auth_token}".encode()).decode()
    head = f"Host: {api.host}:{api.port}\r\nAuthorization: Basic {token}\r\nConnection: close\r\n\r\n"
    with socket.create_connection((api.host, api.port), timeout=5) as conn:
        conn.sendall(b"GET " + path + b" HTTP/1.1\r\n" + head.encode())
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    response = b"".join(chunks)
    header, _, body = response.partition(b"\r\n\r\n")
    return int(header.split(b" ", 2)[1]), body


_IDENTITY_TEXT = st.text(
    st.sampled_from([*"ab.-_~!$&'()*+,;=:@/?#%[] ", "é", "東", "\u00a0"]), min_size=1, max_size=8
)
_WRITINGS = {
    "pchar": lambda s: quote(s, safe=SEGMENT_SAFE).encode(),
    "everything encoded": lambda s: quote(s, safe="").encode(),
    "raw UTF-8": lambda s: s.encode(),
    "raw, spaces encoded": lambda s: s.replace(" ", "%20").encode(),
}


@pytest.mark.slow
@settings(max_examples=40)
@given(identity=_IDENTITY_TEXT, writing=st.sampled_from(sorted(_WRITINGS)), fetch=st.booleans())
@example(identity="kim/paris", writing="everything encoded", fetch=False)
@example(identity="..", writing="pchar", fetch=True)
@example(identity="50%", writing="raw UTF-8", fetch=False)
def test_hand_written_requests_by_identity_never_fail_the_server_or_the_contract(
    api: FakeBindingAPI, identity: str, writing: str, fetch: bool
) -> None:
    svc = api.add_service()
    made = api.add_binding(svc, identity=identity)
    segment = _WRITINGS[writing](identity)
    path = f"/v2/Services/{svc}/Users/".encode() + segment + b"/Bindings"
    if fetch:
        path += f"/{made['sid']}".encode()
    status, body = raw_get(api, path)
    assert status < 500, body
    if status == 200:
        url = api.base_url + path.decode("utf-8", "replace")
        report = check(body, request=Request("GET", url))
        assert {v.rule for v in report.findings} <= {"binding.identity-reserved"}, report.render_text()
