"""The public API: check(), validate(), detect_kind(), reports and misuse."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

import binding_contracts
from binding_contracts import (
    KINDS,
    ContractViolation,
    UsageError,
    check,
    detect_kind,
    validate,
)
from binding_contracts.report import Report, render_junit, shorten

Doc = dict[str, Any]


class TestCheck:
    def test_a_valid_binding_is_ok(self, binding: Doc) -> None:
        report = check(binding)
        assert report.ok
        assert (report.kind, report.profile) == ("binding", "strict")

    @pytest.mark.parametrize("payload", [None, [], '"text"', b"3", 3, [{"sid": "BS"}]])
    def test_a_payload_that_is_not_an_object_is_reported_not_raised(self, payload: Any) -> None:
        report = check(payload, kind="binding")
        assert [(v.rule, v.path) for v in report.violations] == [("schema.type", "")]

    def test_auto_on_something_unrecognisable_reports_kind_undetected(self) -> None:
        report = check(["not", "a", "payload"])
        assert report.rules() == {"kind.undetected"}
        assert report.kind is None

    def test_a_report_has_no_truth_value_shortcut(self, binding: Doc) -> None:
        assert not hasattr(check(binding), "__bool__") or type(check(binding)).__bool__ is object.__bool__

    def test_source_labels_every_violation(self, binding: Doc) -> None:
        binding["account_sid"] = "x"
        report = check(binding, source="f.json")
        assert {v.source for v in report.findings} == {"f.json"}
        assert report.render_text().startswith("f.json: /account_sid: schema.pattern: ")

    def test_a_member_whose_name_looks_numeric_but_is_not_an_index_is_reported(self, binding: Doc) -> None:
        binding["²"] = binding["0"] = 1
        assert [v.path for v in check(binding, strict_fields=True).violations] == ["/0", "/²"]

    @pytest.mark.parametrize("name", ["³", "٣", "10", "²1"])
    def test_a_member_named_like_a_number_is_reported_not_raised(self, binding: Doc, name: str) -> None:
        binding[name] = 1
        binding["links"][name] = 2
        report = check(binding)
        assert report.ok
        assert {w.path for w in report.warnings} == {f"/{name}", f"/links/{name}"}

    def test_the_order_of_violations_is_stable(self, page: Doc) -> None:
        for item in page["bindings"]:
            item.update(sid="x", endpoint="")
        first, second = check(page), check(json.loads(json.dumps(page)))
        assert first.violations == second.violations
        assert [v.path for v in first.violations][:2] == ["/bindings/0/endpoint", "/bindings/0/sid"]


class TestValidate:
    def test_returns_the_report_when_ok(self, binding: Doc) -> None:
        assert validate(binding).ok

    def test_raises_an_assertion_error_that_carries_the_report(self, binding: Doc) -> None:
        binding["binding_type"] = "apns"
        with pytest.raises(ContractViolation) as info:
            validate(binding, kind="binding")
        assert isinstance(info.value, AssertionError)
        assert info.value.report.rules() == {"schema.enum"}
        assert "schema.enum" in str(info.value)


class TestMisuse:
    def test_an_unknown_kind_names_the_close_match(self, binding: Doc) -> None:
        with pytest.raises(UsageError, match=r"Got kind='bindng'.*did you mean 'binding'"):
            check(binding, kind="bindng")

    def test_an_unknown_profile_lists_the_profiles(self, binding: Doc) -> None:
        with pytest.raises(UsageError, match="strict, published"):
            check(binding, profile="lenient")


class TestDetectKind:
    def test_every_kind_is_detected_from_its_shape(
        self, binding: Doc, user_binding: Doc, page: Doc, user_page: Doc, error_body: Doc
    ) -> None:
        docs = [binding, user_binding, page, user_page, error_body]
        assert [detect_kind(d) for d in docs] == [
            *list(KINDS[:1]),
            "user-binding",
            "binding-page",
            "user-binding-page",
            "error",
        ]

    def test_an_empty_user_page_is_told_by_its_url(self, user_page: Doc) -> None:
        user_page["bindings"] = []
        assert detect_kind(user_page) == "user-binding-page"

    def test_the_request_url_decides_for_an_ambiguous_body(self) -> None:
        url = "https://chat.twilio.com/v2/Services/IS1/Users/US1/Bindings"
        assert detect_kind({"bindings": []}, url=url) == "user-binding-page"

    def test_an_error_body_is_an_error_whatever_the_url(self, error_body: Doc) -> None:
        assert detect_kind(error_body, url="https://x/v2/Services/IS1/Bindings") == "error"


class TestRendering:
    @pytest.mark.parametrize("value", [None, True, 7, 1.5, [], {}])
    @pytest.mark.parametrize("as_text", [True, False])
    def test_a_type_message_shows_the_value_once(self, binding: Doc, value: Any, as_text: bool) -> None:
        binding["sid"] = value
        payload = json.dumps(binding).encode() if as_text else binding
        (finding,) = [v for v in check(payload, "binding").violations if v.path == "/sid"]
        got = finding.message.split(", got ", 1)[1]
        written = json.dumps(value, separators=(",", ":"))
        assert got == "null" if value is None else got.endswith(f" {written}")

    def test_json_rendering_is_a_document_with_every_finding(self, binding: Doc) -> None:
        binding["account_sid"] = "x"
        binding["extra"] = True
        doc = json.loads(check(binding, source="a.json").render_json())
        assert doc["ok"] is False
        assert [v["rule"] for v in doc["violations"]] == ["schema.pattern"]
        assert [v["rule"] for v in doc["warnings"]] == ["field.unknown"]

    def test_junit_rendering_fails_only_the_violating_case(self, binding: Doc) -> None:
        good = check(binding, source="good.json")
        binding["account_sid"] = "x"
        bad = check(binding, source="bad.json")
        suite = ET.fromstring(render_junit([good, bad]))
        assert suite.get("failures") == "1"
        failures = suite.findall("testcase/failure")
        assert len(failures) == 1
        assert "schema.pattern" in (failures[0].text or "")

    @pytest.mark.parametrize("fmt", ["text", "junit"])
    def test_a_report_without_a_kind_is_named_by_its_source_alone(self, fmt: str) -> None:
        # a DELETE's empty answer: no payload, so no kind was judged
        report = Report.of([], kind=None, profile="strict", source="c.yaml#1 DELETE https://x/v2/B")
        text = report.render_text() if fmt == "text" else render_junit([report])
        assert "None" not in text
        assert "c.yaml#1 DELETE https://x/v2/B" in text

    @given(st.text(), st.integers(min_value=3, max_value=80))
    def test_a_shortened_string_keeps_its_closing_quote(self, value: str, cap: int) -> None:
        text = shorten(value, cap)
        assert len(text) <= cap
        assert text[0] == text[-1] == repr(value)[0]

    def test_long_values_are_capped_in_messages(self, binding: Doc) -> None:
        binding["account_sid"] = "AC" + "z" * 500
        (violation,) = check(binding).violations
        assert len(violation.message) < 120


def test_importing_the_package_does_not_import_the_optional_surfaces() -> None:
    code = (
        "import sys, binding_contracts; "
        "surfaces = ('hypothesis', 'faker', 'vcr', 'twilio', 'binding_contracts.drift'); "
        "print(sorted(m for m in surfaces if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert binding_contracts.__all__


def test_every_public_name_is_loaded_on_first_use() -> None:
    code = (
        "import sys, binding_contracts as b; "
        "before = 'binding_contracts.checking.entry' in sys.modules; "
        "names = [getattr(b, n) for n in b.__all__]; "
        "print(before, 'binding_contracts.checking.entry' in sys.modules, set(b.__all__) <= set(dir(b)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True", "True"]
    assert binding_contracts.check is check
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = binding_contracts.nothing
