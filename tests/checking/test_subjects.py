"""check() with what users hold: JSON text as str, a response where a payload belongs, request= as a
tuple or an HTTP client's request, and any other object, each a report or one UsageError."""

from __future__ import annotations

import json
from collections import UserDict
from types import MappingProxyType
from typing import Any

import httpx
import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from binding_contracts import KINDS, ContractViolation, Request, UsageError, check, validate
from binding_contracts.checking import subjects
from binding_contracts.strategies import invalid_payloads
from binding_contracts.traffic.cassette_files import MAX_FILE_BYTES
from binding_contracts.traffic.exchanges import check_response

OTHER_SID = "BS" + "f" * 32


def found(report: Any) -> set[tuple[str, str]]:
    return {(v.rule, v.path) for v in report.findings}


def requests_response(body: bytes, url: str, status: int = 200) -> requests.Response:
    response = requests.Response()
    response.status_code, response._content = status, body
    response.request = requests.Request("GET", url).prepare()
    return response


class TestJsonText:
    @given(invalid_payloads("binding") | invalid_payloads("binding-page") | invalid_payloads("error"))
    def test_a_str_is_json_text_judged_as_its_bytes_and_its_parsed_document(self, mutant: Any) -> None:
        text = json.dumps(mutant.payload)
        kind = mutant.check_kind
        assert (
            found(check(text, kind))
            == found(check(text.encode(), kind))
            == found(check(mutant.payload, kind))
        )

    def test_response_text_is_checked_like_response_content(self, binding: dict[str, Any]) -> None:
        text = json.dumps(binding, indent=2)
        assert check(text, "binding").ok
        assert check(text).kind == "binding"

    @pytest.mark.parametrize("text", ["", "not json", '"a string"', "\ud800", "[]"])
    def test_a_str_that_is_no_json_object_is_a_finding(self, text: str) -> None:
        report = check(text, "binding")
        assert not report.ok
        assert found(report) == found(check(text.encode("utf-8", "surrogatepass"), "binding"))


class TestTextSize:
    """JSON text is read up to MAX_PAYLOAD_BYTES (the bound lowered here: no test allocates 256 MiB)."""

    @pytest.fixture(autouse=True)
    def _small_bound(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(subjects, "MAX_PAYLOAD_BYTES", 100)

    @pytest.mark.parametrize("wrap", [bytes, bytearray, memoryview, lambda b: b.decode()], ids=type)
    def test_text_past_the_bound_is_a_usage_error_whatever_holds_it(self, wrap: Any) -> None:
        text = b'{"sid": "' + b"a" * 100 + b'"}'
        with pytest.raises(
            UsageError,
            match=r"^Got JSON text of 111 (bytes|characters), but check\(\) reads at most 100 bytes",
        ):
            check(wrap(text))
        with pytest.raises(UsageError):
            validate(wrap(text), "binding")

    def test_a_str_is_measured_as_its_utf8(self) -> None:
        with pytest.raises(UsageError, match="of 102 bytes"):
            check('"' + "é" * 50 + '"')

    def test_text_at_the_bound_is_checked(self) -> None:
        text = b'{"sid": "' + b"a" * 89 + b'"}'
        assert len(text) == 100
        assert "schema.required" in check(text, "binding").rules()

    def test_the_bound_is_the_one_the_command_line_holds_a_cassette_file_to(self) -> None:
        assert MAX_FILE_BYTES == 256 * 1024 * 1024 == type(self)._real_bound

    _real_bound = subjects.MAX_PAYLOAD_BYTES


class TestResponses:
    @pytest.mark.parametrize("kind", ["auto", "binding", "binding-page"])
    def test_a_response_is_refused_with_what_to_pass_instead(
        self, binding: dict[str, Any], kind: str
    ) -> None:
        body = json.dumps(binding).encode()
        for response in (
            requests_response(body, binding["url"]),
            httpx.Response(200, content=body, request=httpx.Request("GET", binding["url"])),
        ):
            with pytest.raises(UsageError, match=r"pass response\.content .*check_response\(response\)"):
                check(response, kind)


class TestRequestForms:
    def forms(self, url: str) -> list[Any]:
        return [
            Request("GET", url),
            ("GET", url),
            ["get", url],
            requests.Request("GET", url).prepare(),
            httpx.Request("GET", url),
        ]

    def test_every_form_of_the_request_gives_the_same_report(self, binding: dict[str, Any]) -> None:
        answered = binding["url"].replace(binding["sid"], OTHER_SID)
        reports = [found(check(binding, request=form)) for form in self.forms(answered)]
        assert reports[0] == {("request.sid", "/sid")}
        assert all(r == reports[0] for r in reports)

    @pytest.mark.parametrize(
        "request_",
        [
            "https://chat.twilio.com/v2/Services",
            ("GET",),
            ("GET", "/v2/Services/IS1/Bindings"),
            (1, 2),
            ("GET", b"https://chat.twilio.com/"),
            object(),
            requests.Request("GET", "https://chat.twilio.com/v2/Services", params={"PageSize": 5}),
        ],
    )
    def test_anything_else_is_refused_naming_the_forms_it_takes(
        self, binding: dict[str, Any], request_: Any
    ) -> None:
        with pytest.raises(UsageError, match=r"\(method, url\) pair") as raised:
            check(binding, request=request_)
        assert "\n" not in str(raised.value)


ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(),
    st.binary(),
    st.lists(st.integers(), max_size=2),
    st.sets(st.integers(), max_size=2),
    st.builds(object),
    st.dictionaries(st.text(), st.integers(), max_size=2),
)


class TestAnyObject:
    def test_a_mapping_is_judged_as_the_dict_it_holds_and_left_unchanged(
        self, binding: dict[str, Any]
    ) -> None:
        frozen = MappingProxyType(binding)
        assert found(check(frozen)) == found(check(UserDict(binding))) == found(check(binding))

    @given(
        payload=st.one_of(
            st.none(),
            st.booleans(),
            st.integers(),
            st.floats(),
            st.text(),
            st.binary(),
            st.lists(st.integers()),
            st.tuples(st.integers()),
            st.sets(st.integers()),
            st.frozensets(st.integers()),
            st.builds(object),
            st.builds(bytearray, st.binary()),
            st.just(requests.Response()),
            st.dictionaries(st.text(), st.integers()).map(MappingProxyType),
        ),
        kind=st.sampled_from(["auto", *KINDS]) | ANYTHING,
        request_=st.none() | st.tuples(st.text(), st.text()) | ANYTHING,
        status=st.none() | st.integers() | ANYTHING,
        previous=st.none() | ANYTHING,
        walk=st.none() | st.lists(ANYTHING, max_size=2) | ANYTHING,
    )
    def test_check_returns_a_report_or_raises_usage_error_and_nothing_else(
        self, payload: Any, kind: Any, request_: Any, status: Any, previous: Any, walk: Any
    ) -> None:
        try:
            report = check(payload, kind, request=request_, status=status, previous=previous, walk=walk)
        except UsageError as exc:
            message = str(exc)
        else:
            message = ""
            assert not report.ok
        assert "\n" not in message


class TestBindingContractFixture:
    """The plugin's binding_contract fixture judges a response with the request it carries."""

    def test_a_fetch_answered_with_another_sid_fails_as_in_check_response(
        self, binding_contract: Any, binding: dict[str, Any]
    ) -> None:
        asked = binding["url"].replace(binding["sid"], OTHER_SID)
        body = json.dumps(binding).encode()
        for response in (
            requests_response(body, asked),
            httpx.Response(200, content=body, request=httpx.Request("GET", asked)),
        ):
            with pytest.raises(ContractViolation, match=r"/sid: request\.sid: "):
                binding_contract(response)
            with pytest.raises(ContractViolation, match=r"/sid: request\.sid: "):
                check_response(response)

    def test_a_response_to_its_own_request_passes_and_a_payload_is_judged_alone(
        self, binding_contract: Any, binding: dict[str, Any]
    ) -> None:
        report = binding_contract(requests_response(json.dumps(binding).encode(), binding["url"]))
        assert (report.kind, report.ok) == ("binding", True)
        assert binding_contract(binding).ok

    def test_a_response_to_no_binding_operation_is_judged_by_its_body(self, binding_contract: Any) -> None:
        response = requests_response(b'{"sid": "BS1"}', "https://chat.twilio.com/v2/Services")
        with pytest.raises(ContractViolation, match=r"/sid: schema\.pattern"):
            binding_contract(response)
