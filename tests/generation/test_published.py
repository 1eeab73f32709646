"""Payloads of the published profile: what Twilio's spec allows beyond the strict shape, consistent,
and shrinking to the strict payload with the one member a consumer could not handle."""

from __future__ import annotations

from typing import Any

import pytest
from faker import Faker
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from binding_contracts import KINDS, UsageError, check
from binding_contracts.factories import BindingProvider
from binding_contracts.generation import realism
from binding_contracts.generation.builders import URL_INPUTS
from binding_contracts.spec import facts
from binding_contracts.spec.kinds import ITEM_KINDS, ITEMS_KEY, PAGE_ITEM_KIND, service_member
from binding_contracts.strategies import invalid_payloads, page_walks, payloads, targetable_rules
from conftest import fewer_examples

Doc = dict[str, Any]
ITEM_KINDS_ = [k for k in KINDS if k in ITEM_KINDS]


def items_of(doc: Doc, kind: str) -> list[tuple[str, Doc]]:
    if kind in PAGE_ITEM_KIND:
        return [(PAGE_ITEM_KIND[kind], item) for item in doc[ITEMS_KEY]]
    return [(kind, doc)] if kind in ITEM_KINDS else []


class TestPublishedPayloads:
    @pytest.mark.parametrize("kind", KINDS)
    @given(data=st.data())
    def test_every_example_passes_the_published_profile_and_tells_its_kind(
        self, kind: str, data: st.DataObject
    ) -> None:
        doc = data.draw(payloads(kind, profile="published"))
        report = check(doc, profile="published")
        assert report.ok, report.render_text()
        assert report.kind == kind

    @pytest.mark.parametrize("kind", KINDS)
    @given(data=st.data())
    def test_members_present_stay_consistent_with_each_other(self, kind: str, data: st.DataObject) -> None:
        for item_kind, item in items_of(data.draw(payloads(kind, profile="published")), kind):
            sid, service = item.get("sid"), item.get(service_member(item_kind))
            if isinstance(item.get("url"), str):
                assert sid is not None
                assert service is not None
                assert f"/Services/{service}/" in item["url"]
                assert item["url"].endswith(f"/Bindings/{sid}")
                if "user_sid" in item:
                    assert f"/Users/{item['user_sid']}/" in item["url"]
            if isinstance(item.get("links"), dict):
                assert service is not None
                assert item.get("identity") is not None
            if item.get("date_created") and item.get("date_updated"):
                assert item["date_created"] <= item["date_updated"]

    @pytest.mark.parametrize("kind", ITEM_KINDS_)
    @given(data=st.data())
    def test_only_what_the_spec_allows_departs_from_the_strict_shape(
        self, kind: str, data: st.DataObject
    ) -> None:
        doc = data.draw(payloads(kind, profile="published"))
        known = set(facts.properties(kind))
        assert {k for k, v in doc.items() if v is None} <= set(facts.nullable(kind)) | {"date_last_notified"}
        assert set(doc) - known <= set(realism.FUTURE_MEMBERS)
        assert "binding_type" in doc

    @pytest.mark.parametrize(
        "wanted",
        [
            lambda d: d.get("message_types", []) is None,
            lambda d: "identity" not in d,
            lambda d: "friendly_name" in d,
            lambda d: d.get("binding_type") == "twilsock" and d.get("sid") is None,
        ],
        ids=["a null", "a missing member", "an undocumented member", "twilsock and a null"],
    )
    def test_each_departure_is_drawn(self, wanted: Any) -> None:
        find(payloads("conversations-binding", profile="published"), wanted)

    @settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
    @given(payloads("binding", profile="published"))
    def test_a_null_url_is_the_only_url_the_missing_parts_leave(self, doc: Doc) -> None:
        absent = {n for n in URL_INPUTS["binding"] - {"identity"} if doc.get(n) is None}
        if absent and "url" in doc:
            assert doc["url"] is None

    def test_a_pinned_member_stays_as_pinned(self) -> None:
        found = find(
            payloads("binding", profile="published", message_types=["new_message"]),
            lambda d: len([v for v in d.values() if v is None]) >= 3,
        )
        assert found["message_types"] == ["new_message"]

    def test_strict_is_the_simplest_published_payload(self) -> None:
        doc = find(payloads("binding", profile="published"), lambda d: True)
        assert check(doc).ok
        assert set(doc) == set(facts.properties("binding"))

    def test_a_walk_of_published_pages_loosens_its_items(self) -> None:
        pages = find(
            page_walks(total=3, page_size=2, profile="published"),
            lambda ps: any(i.get("endpoint", "") is None for p in ps for i in p[ITEMS_KEY]),
        )
        assert all(check(p, profile="published").ok for p in pages)

    def test_an_unknown_profile_is_refused_naming_the_profiles(self) -> None:
        with pytest.raises(UsageError, match="strict, published"):
            payloads("binding", profile="lax")


def handles(binding: Doc) -> list[str]:
    """A consumer with a planted bug: it trusts message_types to be there and a list."""
    types = binding["message_types"]
    types.sort()
    return list(types)


class TestAConsumerTest:
    def test_finds_the_planted_bug_with_a_shrunk_example_naming_the_null_member(self) -> None:
        seen: list[Doc] = []

        @settings(database=None, max_examples=500, report_multiple_bugs=False)
        @given(payloads("binding", profile="published"))
        def consumer_test(binding: Doc) -> None:
            seen.append(binding)
            handles(binding)

        with pytest.raises(AttributeError):
            consumer_test()
        falsifying = seen[-1]  # Hypothesis runs the shrunk example last
        assert [k for k, v in falsifying.items() if v is None] == ["message_types"]
        assert set(falsifying) == set(facts.properties("binding"))
        assert check({**falsifying, "message_types": []}).ok


class TestFakerProfile:
    @pytest.mark.parametrize(
        "method", ["binding", "user_binding", "conversations_binding", "binding_page", "binding_listing"]
    )
    def test_published_payloads_are_reproducible_and_valid(self, method: str) -> None:
        def draw(seed: int) -> Any:
            fake = Faker()
            fake.add_provider(BindingProvider)
            fake.seed_instance(seed)
            return [getattr(fake, method)(profile="published") for _ in range(20)]

        docs = draw(3)
        assert docs == draw(3)
        flat = [p for d in docs for p in (d if isinstance(d, list) else [d])]
        assert all(check(d, profile="published").ok for d in flat)
        assert not all(check(d).ok for d in flat)


PUBLISHED_PAIRS = [(kind, rule) for kind in KINDS for rule in targetable_rules(kind, "published")]


class TestPublishedMutants:
    @pytest.mark.parametrize(("kind", "rule"), PUBLISHED_PAIRS, ids=[f"{k}:{r}" for k, r in PUBLISHED_PAIRS])
    @fewer_examples(4)
    @given(data=st.data())
    def test_the_mutant_breaks_that_rule_alone_under_the_published_profile(
        self, kind: str, rule: str, data: st.DataObject
    ) -> None:
        m = data.draw(invalid_payloads(kind, rule, profile="published"))
        report = m.report()
        assert (m.rule, m.profile, report.profile) == (rule, "published", "published")
        assert {v.rule for v in report.findings} == {rule}, report.render_text()

    def test_the_published_profile_breaks_the_schema_rules_it_keeps(self) -> None:
        assert targetable_rules("binding", "published") == (
            "kind.undetected",
            "schema.enum",
            "schema.format",
            "schema.pattern",
        )
        assert "schema.required" in targetable_rules("error", "published")

    @pytest.mark.parametrize("rule", ["schema.required", "binding.dates-ordered", "schema.minLength"])
    def test_a_rule_the_published_profile_does_not_judge_is_refused_naming_those_it_does(
        self, rule: str
    ) -> None:
        with pytest.raises(UsageError, match="that profile does not judge it in a binding; it breaks"):
            invalid_payloads("binding", rule, profile="published")
