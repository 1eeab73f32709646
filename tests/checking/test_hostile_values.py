"""check() on any Python value: a report, or the one documented UsageError naming what is not JSON
and where; never another exception, never a hang; every message one bounded line."""

from __future__ import annotations

import collections
import decimal
import io
import json
import types
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from binding_contracts import KINDS, UsageError, check
from binding_contracts.checking import jsonvalue
from binding_contracts.checking.jsonvalue import MAX_VALUES
from binding_contracts.cli import run
from binding_contracts.errors import InputError
from binding_contracts.report import (
    CUT,
    MESSAGE_CAP,
    POINTER_CAP,
    TOKEN_CAP,
    Report,
    Violation,
    failure_text,
    render_junit,
    short_pointer,
)
from binding_contracts.spec.routes import MAX_DIGITS, ascii_int
from conftest import example

KIND_NAMES = ["auto", *KINDS]
NOT_JSON = [
    pytest.param({"new_message"}, "set", id="set"),
    pytest.param(b"BS", "bytes", id="bytes"),
    pytest.param(decimal.Decimal("1.5"), "Decimal", id="decimal"),
    pytest.param(object(), "object", id="object"),
    pytest.param(("new_message",), "tuple", id="tuple"),
    pytest.param(float("nan"), "NaN", id="nan"),
    pytest.param(10**5000, "integer of more than", id="int-past-4300-digits"),
]


def _deep(depth: int) -> Any:
    node: Any = []
    for _ in range(depth):
        node = [node]
    return node


class TestValuesThatAreNotJson:
    @pytest.mark.parametrize("kind", KIND_NAMES)
    @pytest.mark.parametrize(("value", "named"), NOT_JSON)
    def test_a_member_that_is_not_json_is_a_usage_error_naming_it_and_where(
        self, value: Any, named: str, kind: str
    ) -> None:
        payload = {**example("binding"), "message_types": [value]}
        with pytest.raises(UsageError, match=rf"{named}.* at /message_types/0\b"):
            check(payload, kind)

    @pytest.mark.parametrize("kind", KIND_NAMES)
    def test_a_document_that_holds_itself_is_a_usage_error(self, kind: str) -> None:
        payload = example("binding-page")
        payload["bindings"][0]["self"] = payload
        with pytest.raises(UsageError, match=r"holds itself at /bindings/0/self"):
            check(payload, kind)

    def test_a_key_that_is_not_a_string_is_a_usage_error(self) -> None:
        with pytest.raises(UsageError, match=r"int key 1 at /links"):
            check({**example("binding"), "links": {1: "x"}})

    def test_shared_lists_that_stand_for_more_values_than_text_could_hold_are_a_usage_error(self) -> None:
        node: Any = ["x"]
        for _ in range(40):  # 2**40 values once expanded, 41 lists in memory
            node = [node, node]
        with pytest.raises(UsageError, match=f"more than {MAX_VALUES:,} values"):
            check({**example("binding"), "message_types": node})

    def test_shared_containers_within_bounds_are_checked_as_their_text_would_be(self) -> None:
        shared = ["new_message"]
        payload = {**example("binding"), "message_types": shared, "extra": shared}
        assert {(v.rule, v.path) for v in check(payload).findings} == {("field.unknown", "/extra")}

    @pytest.mark.parametrize("pages", ["previous", "walk"])
    def test_pages_before_are_held_to_the_same_types(self, pages: str) -> None:
        before = {**example("binding-page"), "bindings": [{"sid": {"BS"}}]}
        options: dict[str, Any] = {"previous": before} if pages == "previous" else {"walk": [before]}
        with pytest.raises(UsageError, match=r"set at /bindings/0/sid"):
            check(example("binding-page"), **options)

    def test_a_dict_subclass_is_json(self) -> None:
        payload = collections.OrderedDict(example("binding"))
        assert check(payload).ok
        assert check(payload) == check(dict(payload))

    @pytest.mark.parametrize("mapping", [types.MappingProxyType, collections.UserDict])
    def test_a_mapping_anywhere_is_judged_as_the_dict_it_holds_and_left_unchanged(self, mapping: Any) -> None:
        page = example("binding-page")
        held = {**page, "meta": mapping(page["meta"]), "bindings": [mapping(b) for b in page["bindings"]]}
        held["bindings"][0] = mapping({**page["bindings"][0], "sid": "BS1"})
        page["bindings"][0]["sid"] = "BS1"
        assert check(held) == check(page)
        assert not check(held).ok
        assert isinstance(held["meta"], mapping)

    def test_a_page_before_nested_too_deep_is_a_usage_error(self) -> None:
        with pytest.raises(UsageError, match="page before this one that is JSON nested deeper than 64"):
            check(example("binding-page"), previous={"meta": _deep(70)})


class TestNesting:
    @pytest.mark.parametrize("kind", KIND_NAMES)
    @pytest.mark.parametrize("depth", [65, 100_000])
    def test_nesting_past_64_levels_is_the_finding_the_same_text_draws(self, depth: int, kind: str) -> None:
        nested = _deep(depth)
        as_text = check(b"[" * depth + b"]" * depth, kind)
        for payload in (nested, {**example("binding"), "message_types": nested}):
            report = check(payload, kind)
            assert [(v.rule, v.path) for v in report.findings] == [("response.json", "")]
            assert report.findings[0].message == as_text.findings[0].message


anything = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=8),
        st.binary(max_size=4),
        st.decimals(allow_nan=False),
        st.sampled_from([object(), types.MappingProxyType({}), frozenset({1}), 2**64, -(2**63) - 1]),
        st.integers(4300, 4400).map(lambda digits: 10**digits),  # a strategy's repr must not show it
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.tuples(inner),
        st.dictionaries(st.text(max_size=6) | st.integers(), inner, max_size=3),
    ),
    max_leaves=8,
)
"""Python values, JSON or not."""


class TestAnyPythonValue:
    @given(data=st.data(), kind=st.sampled_from(KIND_NAMES))
    def test_is_a_report_or_a_usage_error(self, data: st.DataObject, kind: str) -> None:
        base = example(data.draw(st.sampled_from(["binding", "user-binding", "binding-page", "error-404"])))
        payload = {**base, data.draw(st.sampled_from([*base, "extra"])): data.draw(anything)}
        try:
            report = check(payload, kind)
        except UsageError as exc:
            problem = str(exc)
        else:
            problem = ""
            assert all(len(v.line()) < 2 * MESSAGE_CAP for v in report.findings)
        assert not problem or " at " in problem


class _Text(str):
    pass


class _Number(int):
    pass


_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**64), 2**65),
    st.floats(),
    st.text(max_size=4),
    st.sampled_from(["\ud800", _Text("kim"), _Number(3), (), ("apn",), collections.OrderedDict()]),
)
_objects = st.dictionaries(st.text(max_size=4), _leaves, max_size=4)
documents = st.recursive(
    _leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.text(max_size=4), inner, max_size=3),
        st.lists(st.dictionaries(st.text(max_size=4), inner, max_size=20), min_size=1, max_size=20),
        st.lists(_objects, min_size=1, max_size=20),
    ),
    max_leaves=60,
)
"""Documents of JSON's own types and of values the fast reading must not take (subclasses, tuples,
an OrderedDict, infinities and NaN, integers past 64 bits, lone surrogates), lists of objects
(a page's items) among them."""


class TestTheFastReadingAgreesWithTheWalk:
    @given(value=documents, depth=st.sampled_from([0, 1, 60, 62, 63, 64]))
    def test_orjson_writes_a_document_exactly_when_the_walk_finds_json_s_own_types(
        self, value: Any, depth: int
    ) -> None:
        for _ in range(depth):
            value = [value]
        try:
            _, exact = jsonvalue.walked(value)
        except (UsageError, InputError):
            exact = False
        text = jsonvalue.written(value) if isinstance(value, dict | list) else None
        assert (text is not None) == (exact and isinstance(value, dict | list))
        if text is not None:
            assert text == orjson.dumps(value)


class TestHugeValuesAreShortened:
    @pytest.mark.parametrize("member", ["sid", "identity", "url", "binding_type", "date_created", "huge" * 5])
    def test_every_line_quoting_a_30_mb_value_stays_short(self, member: str) -> None:
        payload = example("binding")
        payload[member] = "BS" + "a" * 30_000_000
        if member.startswith("huge"):
            payload["x" * 30_000_000] = 1
        report = check(payload)
        assert report.findings
        assert all(len(v.line()) < 2 * MESSAGE_CAP for v in report.findings)

    def test_a_page_of_huge_numbers_gets_short_messages(self) -> None:
        page = example("binding-page")
        page["meta"]["page"] = 10**4000
        page["meta"]["page_size"] = -(10**4000)
        report = check(page)
        assert {"page.size-min", "page.meta-url"} <= report.rules()
        assert all(len(v.line()) < 2 * MESSAGE_CAP for v in report.findings)


LINE_BOUND = 4000
"""Longest line any output may print for any input: a source, a pointer and a message, each capped
(at most 900 characters together), then escaped by JSON or XML (a control character is six)."""


def _every_line(report: Report) -> list[str]:
    """Every line a report is rendered to: text, JSON, JUnit, a failed test's, the CLI's."""
    rendered = [
        report.render_text(),
        report.render_json(),
        render_junit([report]),
        failure_text(report.findings),
    ]
    return [line for text in rendered for line in text.splitlines()]


@st.composite
def _long_members(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """A binding or a page with long member names and long values, nested, where the schema or a
    rule will quote or point at them."""
    kind = draw(st.sampled_from(["binding", "binding-page", "error"]))
    doc = example("error-404" if kind == "error" else kind)
    long_text = st.builds(
        lambda c, n: c * n, st.characters(exclude_categories=["Cs"]), st.integers(0, 50_000)
    )
    for _ in range(draw(st.integers(1, 4))):
        node: Any = draw(long_text | st.integers(-(10**30), 10**30) | st.none())
        for _ in range(draw(st.integers(0, 40))):
            node = {draw(long_text): node} if draw(st.booleans()) else [node]
        items = doc.get("bindings")
        nested = isinstance(items, list) and items and isinstance(items[0], dict)
        target = items[0] if nested and draw(st.booleans()) else doc
        target[draw(long_text | st.sampled_from(list(target)))] = node
    return doc, kind


class TestEveryOutputIsShortened:
    @settings(max_examples=40, deadline=None)
    @given(drawn=_long_members())
    def test_no_line_of_any_format_exceeds_the_bound(self, drawn: tuple[dict[str, Any], str]) -> None:
        doc, kind = drawn
        for report in (check(doc, kind, source="x" * 5000), check(json.dumps(doc).encode(), kind)):
            assert max(map(len, _every_line(report))) <= LINE_BOUND

    def test_a_30_mb_member_name_gives_a_short_marked_pointer(self) -> None:
        payload = example("binding")
        payload["m" * 30_000_000] = {"n" * 1000: 1}
        report = check(payload, "binding", strict_fields=True)
        (finding,) = [v for v in report.findings if v.rule == "field.unknown"]
        assert len(finding.path) > 30_000_000  # the finding keeps it; its renderings shorten it
        assert max(map(len, _every_line(report))) <= LINE_BOUND
        assert finding.to_dict()["path"] == "/" + "m" * (TOKEN_CAP - 2) + CUT

    @pytest.mark.parametrize(
        ("path", "shown"),
        [
            ("", ""),
            ("/sid", "/sid"),
            ("/" + "a" * 50, "/" + "a" * 50),
            ("/" + "a" * 250, "/" + "a" * 38 + "~…"),
            ("/" + "a" * 250 + "/b/0", "/" + "a" * 38 + "~…/b/0"),
            ("/0" * 100, "/0" * 100),
            ("/0" * 150, "/0" * 49 + "/~…" + "/0" * 49),
            (
                "/" + "/".join("k" * 50 for _ in range(10)),
                "/" + "k" * 38 + "~…/" + "k" * 38 + "~…/~…/" + "k" * 38 + "~…/" + "k" * 38 + "~…",
            ),
        ],
    )
    def test_a_pointer_is_shortened_token_by_token_then_in_the_middle(self, path: str, shown: str) -> None:
        assert short_pointer(path) == shown
        assert len(short_pointer(path)) <= POINTER_CAP

    def test_a_warning_built_directly_caps_its_message_as_an_error_does(self) -> None:
        warning = Violation.warning("binding.identity-reserved", "/identity", "m" * 10_000, None)
        error = Violation("binding.identity-reserved", "/identity", "m" * 10_000)
        assert warning.message == error.message
        assert len(warning.message) == MESSAGE_CAP

    def test_the_command_line_prints_short_lines_in_every_format(self, tmp_path: Path) -> None:
        payload = example("binding")
        payload["k" * 3_000_000] = "v" * 3_000_000
        path = tmp_path / ("f" * 200 + ".json")
        path.write_text(json.dumps(payload))
        for argv in (["validate"], ["validate", "--format", "json"], ["validate", "--strict-fields"]):
            out, err = io.StringIO(), io.StringIO()
            run([*argv, str(path)], out, err)
            assert max(map(len, (out.getvalue() + err.getvalue()).splitlines())) <= LINE_BOUND


class TestNumbersInUrls:
    @given(text=st.text(max_size=24) | st.from_regex(r"-?[0-9]{1,20}", fullmatch=True))
    def test_only_ascii_digits_spell_a_number(self, text: str) -> None:
        digits = text.removeprefix("-")
        plain = digits.isascii() and digits.isdigit() and 0 < len(digits) <= MAX_DIGITS
        assert ascii_int(text) == (int(text) if plain else None)

    @pytest.mark.parametrize("spelt", ["\u0665", "\u00b2", "5_0", " 5", "+5", "1" * 5000])
    def test_what_int_would_read_or_raise_on_is_not_a_number(self, spelt: str) -> None:
        assert ascii_int(spelt) is None
