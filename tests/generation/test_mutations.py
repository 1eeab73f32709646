"""Targeted invalid payloads: each breaks its rule and nothing else; the catalogue is covered."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from binding_contracts import KINDS, RULES, UsageError, check
from binding_contracts.generation import mutations
from binding_contracts.spec.kinds import PAGE_ITEM_KIND
from binding_contracts.strategies import Mutant, invalid_payloads, targetable_rules, untargetable_rules
from conftest import fewer_examples

PAIRS = [(kind, rule) for kind in KINDS for rule in targetable_rules(kind)]


def assert_only(m: Mutant) -> None:
    """``m.rule`` is the mutant's only finding: as an error, or for a warning rule as its only
    warning with no error; and kind="auto" judges it the same way."""
    report = m.report()
    why = mutations.why_not_alone(m, report)
    assert why is None, f"{why}\n{report.render_text()}"
    assert {v.rule for v in report.findings} == {m.rule}, report.render_text()
    assert report.ok is (RULES[m.rule].severity == "warning")
    if m.check_kind != "auto":
        assert check(m.payload, status=m.status).findings == report.findings


class TestEachRule:
    @pytest.mark.parametrize(("kind", "rule"), PAIRS, ids=[f"{k}:{r}" for k, r in PAIRS])
    @fewer_examples(4)
    @given(data=st.data())
    def test_the_mutant_breaks_that_rule_and_nothing_else(
        self, kind: str, rule: str, data: st.DataObject
    ) -> None:
        m = data.draw(invalid_payloads(kind, rule))
        assert (m.kind, m.rule) == (kind, rule)
        assert_only(m)

    @pytest.mark.parametrize("kind", KINDS)
    @given(data=st.data())
    def test_any_rule_of_a_kind_is_broken_alone(self, kind: str, data: st.DataObject) -> None:
        m = data.draw(invalid_payloads(kind))
        assert m.rule in targetable_rules(kind)
        assert_only(m)


class TestSpecialRules:
    @given(invalid_payloads("error", "error.status-match"))
    def test_status_match_carries_the_http_status_to_check_with(self, m: Mutant) -> None:
        assert m.status is not None
        assert m.status != m.payload["status"]
        assert check(m.payload, "error").ok

    @given(invalid_payloads("binding", "kind.undetected"))
    def test_an_undetectable_payload_is_checked_with_auto(self, m: Mutant) -> None:
        assert m.check_kind == "auto"
        assert m.report().kind is None

    @given(invalid_payloads("binding", "field.unknown"))
    def test_an_unknown_field_is_an_error_with_strict_fields(self, m: Mutant) -> None:
        assert check(m.payload, "binding", strict_fields=True).rules() == {"field.unknown"}


class TestPins:
    @given(invalid_payloads("binding-page", "page.item-service", page_size=3, binding_type="apn"))
    def test_pins_fix_the_payload_the_mutation_starts_from(self, m: Mutant) -> None:
        assert m.payload["meta"]["page_size"] == 3
        assert {i["binding_type"] for i in m.payload["bindings"]} == {"apn"}

    @given(invalid_payloads("binding-page", page=0))
    def test_with_pins_any_rule_means_any_rule_the_pins_leave_room_for(self, m: Mutant) -> None:
        assert m.rule != "page.previous-page-url"
        assert_only(m)

    @pytest.mark.parametrize(
        ("kind", "rule", "pins", "message"),
        [
            ("binding-page", "page.unique-sids", {"page_size": 1}, "needs 2 item(s)"),
            ("binding-page", "page.previous-page-url", {"page": 0}, "after the first"),
            ("binding-page", "page.first-no-previous", {"page": 2}, "breaks page 0"),
            ("error", "schema.required", {"status": 503}, "status up to 499"),
            ("binding", "schema.pattern", {"sid": "nope"}, "breaks schema.pattern"),
        ],
    )
    def test_pins_that_leave_no_room_for_the_rule_raise_at_build_time(
        self, kind: str, rule: str, pins: dict[str, Any], message: str
    ) -> None:
        with pytest.raises(UsageError, match=re.escape(message)):
            invalid_payloads(kind, rule, **pins)


class TestMisuse:
    def test_an_unknown_rule_names_the_close_match(self) -> None:
        with pytest.raises(UsageError, match=re.escape("did you mean 'binding.url-sid'")):
            invalid_payloads("binding", "binding.url-sd")

    def test_a_rule_the_kind_cannot_break_says_why(self) -> None:
        with pytest.raises(UsageError, match="nothing in an error has 'pattern'"):
            invalid_payloads("error", "schema.pattern")

    def test_a_rule_of_another_kind_says_it_does_not_apply(self) -> None:
        with pytest.raises(UsageError, match=re.escape("page.key does not apply to a binding")):
            invalid_payloads("binding", "page.key")


def applies(rule_id: str, kind: str) -> bool:
    rule = RULES[rule_id]
    item_kind = PAGE_ITEM_KIND.get(kind)
    return kind in rule.kinds or (item_kind in rule.kinds and rule.per_item)


class TestCatalogue:
    def test_every_rule_is_targetable_somewhere_or_listed_as_not_breakable_alone(self) -> None:
        targetable = {r for kind in KINDS for r in targetable_rules(kind)}
        unbroken = set(RULES) - targetable - set(mutations.NOT_BREAKABLE_ALONE)
        assert unbroken == set(), (
            "give each a breaker in generation/breakers/<family>.py that breaks it alone (a rule the "
            "schema already implies has none: the mutation tests say so of its breaker)"
        )
        assert targetable | set(mutations.NOT_BREAKABLE_ALONE) == set(RULES)
        assert targetable.isdisjoint(mutations.NOT_BREAKABLE_ALONE)

    @pytest.mark.parametrize("kind", KINDS)
    def test_every_rule_of_a_kind_is_targetable_or_has_a_reason(self, kind: str) -> None:
        reasons = untargetable_rules(kind)
        assert set(targetable_rules(kind)) | set(reasons) == {r for r in RULES if applies(r, kind)}
        assert all(reasons.values())

    @pytest.mark.parametrize("kind", KINDS)
    def test_the_module_docstring_lists_every_untargetable_rule(self, kind: str) -> None:
        doc = mutations.__doc__ or ""
        assert all(f"``{rule}``" in doc for rule in untargetable_rules(kind))

    def test_the_warnings_are_targetable(self) -> None:
        warnings = {r for r, rule in RULES.items() if rule.severity == "warning"}
        assert warnings <= set(targetable_rules("binding"))
