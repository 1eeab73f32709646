"""The fast path against the reference path (jsonschema with format checking, every rule): the same
report, finding for finding, on generated, mutated and arbitrary payloads of every kind and profile."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from binding_contracts import KINDS, PROFILES, Report, Request
from binding_contracts.checking.entry import check_parsed
from binding_contracts.checking.schema.compiled import DATE_TIME_SHAPE, URI_SHAPE, violations
from binding_contracts.spec.formats import is_absolute_uri, is_date_time
from binding_contracts.strategies import invalid_payloads, page_walks, payloads
from conftest import fewer_examples

CASES = [(kind, profile) for kind in KINDS for profile in PROFILES]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
"""Any JSON value, small."""

near_values = st.one_of(
    json_values,
    st.from_regex(URI_SHAPE, fullmatch=True),
    st.from_regex(DATE_TIME_SHAPE, fullmatch=True),
    st.sampled_from(
        [
            "https://ip-messaging.twilio.com/v2/Services/IS00000000000000000000000000000000/Bindings",
            "https://CHAT.twilio.com/v2/",
            "http://127.0.0.1:8080/v2/Services/",
            "0000-01-01T00:00:00Z",
            "2016-02-29T23:59:59Z",
            "2015-02-29T00:00:00Z",
            "2016-10-21T11:37:03z",
            "maria@example.org",
            "a/b",
            ".",
            "\ud800",
            "BS0123456789abcdef0123456789abcdef\n",
        ]
    ),
)
"""Values that sit close to the line between valid and not."""


def both(payload: Any, kind: str, profile: str, **options: Any) -> tuple[Report, Report]:
    fast = check_parsed(payload, kind, profile, parsed=False, **options)
    reference = check_parsed(payload, kind, profile, parsed=False, fast=False, **options)
    return fast, reference


def assert_agree(payload: Any, kind: str, profile: str, **options: Any) -> None:
    fast, reference = both(payload, kind, profile, **options)
    assert fast == reference
    assert [v.message for v in fast.findings] == [v.message for v in reference.findings]
    # The same document as a JSON parser gives it, where the fast path trusts the types.
    try:
        parsed = orjson.loads(orjson.dumps(payload))
    except (TypeError, orjson.JSONEncodeError):
        return
    assert check_parsed(parsed, kind, profile, **options) == both(parsed, kind, profile, **options)[1]


def _replace(doc: Any, path: list[Any], value: Any) -> Any:
    if not path:
        return value
    head, *rest = path
    if isinstance(doc, dict):
        return {**doc, head: _replace(doc.get(head), rest, value)}
    copy = list(doc)
    copy[head] = _replace(copy[head], rest, value)
    return copy


def _paths(doc: Any, prefix: list[Any]) -> list[list[Any]]:
    """Every member and element of a document, and one new member per object."""
    found = [prefix]
    if isinstance(doc, dict):
        found.append([*prefix, "extra"])
        for key, value in doc.items():
            found.extend(_paths(value, [*prefix, key]))
    elif isinstance(doc, list):
        for i, value in enumerate(doc[:3]):
            found.extend(_paths(value, [*prefix, i]))
    return found


class TestFastPathAgreesWithTheReference:
    @pytest.mark.parametrize(("kind", "profile"), CASES)
    @fewer_examples(2)
    @given(data=st.data())
    def test_on_generated_payloads(self, kind: str, profile: str, data: st.DataObject) -> None:
        doc = data.draw(payloads(kind))
        assert_agree(doc, kind, profile)
        if kind != "error":
            found = violations(doc, kind, profile, parsed=True)
            assert found == [], "the fast path stands aside on a generated payload"

    @pytest.mark.parametrize(("kind", "profile"), CASES)
    @fewer_examples(2)
    @given(data=st.data())
    def test_on_mutated_payloads(self, kind: str, profile: str, data: st.DataObject) -> None:
        mutant = data.draw(invalid_payloads(kind))
        assert_agree(mutant.payload, mutant.check_kind, profile, status=mutant.status)

    @pytest.mark.parametrize(("kind", "profile"), CASES)
    @fewer_examples(2)
    @given(data=st.data())
    def test_on_one_member_replaced(self, kind: str, profile: str, data: st.DataObject) -> None:
        doc = data.draw(payloads(kind))
        path = data.draw(st.sampled_from(_paths(doc, [])[1:]))
        value = data.draw(near_values)
        assert_agree(_replace(doc, path, value), kind, profile)

    @pytest.mark.parametrize("kind", KINDS)
    @given(doc=json_values)
    def test_on_arbitrary_json(self, kind: str, doc: Any) -> None:
        assert_agree(doc, kind, "strict")
        assert_agree(doc, "auto", "published")

    @pytest.mark.parametrize("kind", ["binding-page", "user-binding-page"])
    @fewer_examples(2)
    @given(data=st.data())
    def test_with_the_request_and_the_walk_known(self, kind: str, data: st.DataObject) -> None:
        pages = data.draw(page_walks(kind, total=data.draw(st.integers(0, 6)), page_size=2))
        for n, page in enumerate(pages):
            request = Request("GET", page["meta"]["url"])
            assert_agree(page, kind, "strict", request=request, walk=pages[:n])
            for item in page["bindings"]:
                assert_agree(item, kind.removesuffix("-page"), "strict", request=Request("GET", item["url"]))


class TestFastFormats:
    @given(st.from_regex(DATE_TIME_SHAPE, fullmatch=True))
    def test_a_date_time_of_the_fast_shape_is_rfc3339_unless_year_zero(self, value: str) -> None:
        assert is_date_time(value) or value.startswith("0000")

    @given(st.from_regex(URI_SHAPE, fullmatch=True))
    def test_a_uri_of_the_fast_shape_is_an_absolute_uri(self, value: str) -> None:
        assert is_absolute_uri(value)


class TestTheFastPathStandsAside:
    def test_on_a_value_jsonschema_rs_cannot_take(self) -> None:
        assert violations({1: "x"}, "binding", "strict", parsed=True) is None

    def test_on_a_tuple_where_jsonschema_wants_a_list(self, binding: dict[str, Any]) -> None:
        assert violations({**binding, "message_types": ("new_message",)}, "binding", "strict") is None
