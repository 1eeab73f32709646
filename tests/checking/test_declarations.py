"""One fact, one place: what the engine, the proofs and the shapes know of a rule is read from its
declaration, and a rule added without saying how the fast path holds it is refused here."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from faker import Faker
from hypothesis import given
from hypothesis import strategies as st

from binding_contracts import check
from binding_contracts.checking import engine
from binding_contracts.checking.catalogue import PROOFS, RULES, Context, Finding, Request, Rule
from binding_contracts.checking.fastpath import proofs, shapes
from binding_contracts.checking.rule import Shaped
from binding_contracts.checking.rules.item import URI_RESERVED
from binding_contracts.factories import BindingProvider
from binding_contracts.report import Severity
from binding_contracts.spec.kinds import KIND_TABLE
from test_architecture import string_constants

CHECKING = Path(engine.__file__).parent


def forget_memos() -> None:
    """Empty what the checking modules keep of the catalogue: every ``functools`` cache of theirs, and
    the shapes that fitted last."""
    for name, module in list(sys.modules.items()):
        if name.startswith("binding_contracts.checking"):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", "") == name:
                    value.cache_clear()
    shapes._recent.clear()
    shapes._latest.clear()


@pytest.fixture
def add_rule(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Rule], None]]:
    """Adds a rule to the catalogue for one test, with what the checking modules keep of the
    catalogue forgotten before and after."""
    forget_memos()
    yield lambda rule: monkeypatch.setitem(RULES, rule.id, rule)
    forget_memos()


def _shaped_payload_rules() -> list[Rule]:
    return [
        r
        for r in RULES.values()
        if r.func is not None and r.needs == "payload" and set(r.kinds) & set(KIND_TABLE)
    ]


class TestTheShapesHoldWhatTheRulesDeclare:
    def test_every_payload_rule_of_a_kind_with_shapes_says_how_the_shapes_hold_it(self) -> None:
        undeclared = [r.id for r in _shaped_payload_rules() if r.shape is None]
        assert undeclared == [], "say in @rule(..., shape=...) how the text shapes hold these rules"

    @pytest.mark.parametrize("kind", sorted(KIND_TABLE))
    def test_a_kind_s_shapes_vouch_for_each_of_its_payload_rules(self, kind: str) -> None:
        assert shapes.declined(kind) == []
        item_kind = KIND_TABLE[kind].item_kind
        expected = {r.id for r in _shaped_payload_rules() if kind in r.kinds or item_kind in r.kinds}
        assert set(shapes.vouched(kind)) == expected

    @pytest.mark.parametrize("said", [None, "declined"])
    def test_a_rule_the_shapes_do_not_hold_takes_its_kind_off_the_text_path(
        self, monkeypatch: pytest.MonkeyPatch, add_rule: Callable[[Rule], None], said: Shaped | None
    ) -> None:
        fake = Faker()
        fake.add_provider(BindingProvider)
        fake.seed_instance(1)
        doc = fake.binding()
        text = orjson.dumps(doc)
        assert shapes.vouches(doc, text, "binding") is not None
        forget_memos()
        added = Rule(
            "binding.added", ("binding",), "a rule added later", func=lambda d, k, c: iter(()), shape=said
        )
        add_rule(added)
        assert shapes.declined("binding") == ["binding.added"]
        assert shapes.declined("binding-page") == ["binding.added"]
        assert shapes.vouches(doc, text, "binding") is None

    @pytest.mark.parametrize("severity", ["warning", "error"])
    def test_a_rule_the_shapes_report_runs_on_each_identity_a_fitting_text_returns(
        self, add_rule: Callable[[Rule], None], severity: Severity
    ) -> None:
        def at_sign(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
            if "@" in doc["identity"]:
                yield Finding("/identity", "an identity with an at sign")

        fake = Faker()
        fake.add_provider(BindingProvider)
        fake.seed_instance(2)
        text = orjson.dumps(fake.binding_page(count=2, identity="kim@example.org"))
        add_rule(Rule("binding.added", ("binding",), "added", severity, func=at_sign, shape="reported"))
        added = RULES["binding.added"]
        report = check(text, "binding-page", source="page.json")
        found = [(v.rule, v.path, v.severity, v.source) for v in report.findings if v.rule == added.id]
        assert found == [(added.id, f"/bindings/{i}/identity", severity, "page.json") for i in (0, 1)]
        # a document that fits a shape is valid: a rule that may find an error is not left to it
        assert (shapes.vouches(None, text, "binding-page") is not None) == (severity == "warning")


REPORTED = [r for r in RULES.values() if r.shape == "reported"]


@pytest.mark.parametrize("declared", REPORTED, ids=[r.id for r in REPORTED])
@given(identity=st.text(st.characters(exclude_characters=URI_RESERVED, exclude_categories=("Cs",))))
def test_a_reported_rule_finds_nothing_in_an_identity_without_uri_reserved_characters(
    declared: Rule, identity: str
) -> None:
    """A shape returns only the identities that hold a URI-reserved character: a rule it reports
    on others would go unseen on the text path."""
    assert declared.func is not None
    found = list(declared.func({"identity": identity}, declared.kinds[0], Context()))
    assert found == [], (
        f"{declared.id} finds something in {identity!r}, which a text shape does not return: "
        "shape='reported' holds a rule only on identities with URI-reserved characters; check it "
        "on the shape's groups instead (shape='groups', checking/fastpath/scan.py)"
    )


class TestProofsAreDeclaredBesideTheirRules:
    def test_every_proof_names_rules_of_the_catalogue_that_need_only_the_payload(self) -> None:
        assert PROOFS
        for proof in PROOFS:
            assert proof.rules, proof
            assert proof.kinds, proof
            assert all(RULES[r].needs == "payload" for r in proof.rules), proof

    def test_a_proof_sits_in_the_module_of_the_rules_it_proves(self) -> None:
        for proof in PROOFS:
            modules = {RULES[r].func.__module__ for r in proof.rules}
            assert modules == {proof.func.__module__}, proof

    def test_a_proof_is_tried_only_on_the_kinds_of_its_rules(self) -> None:
        for proof in PROOFS:
            kinds = {k for r in proof.rules for k in RULES[r].kinds}
            assert set(proof.kinds) <= kinds, proof

    def test_a_kind_without_proofs_proves_nothing(self) -> None:
        assert proofs.quiet({}, "no-such-kind") == proofs.NONE


class TestTheEngineReadsWhatARuleNeeds:
    def test_without_request_status_or_walk_only_payload_rules_run(self) -> None:
        for kind in (*KIND_TABLE, "error"):
            assert {r.needs for r in engine.applicable(kind, False, Context())} <= {"payload"}

    def test_the_request_or_the_status_turns_on_the_request_rules_and_a_walk_the_sequence_rules(self) -> None:
        page: dict[str, Any] = {"meta": {}}
        request = Context(request=Request("GET", "https://chat.twilio.com/v2/Services/IS0/Bindings"))
        assert "request.page-size" in {r.id for r in engine.applicable("binding-page", False, request)}
        assert "error.status-match" in {r.id for r in engine.applicable("error", False, Context(status=404))}
        in_walk = {r.id for r in engine.applicable("binding-page", False, Context(walk=(page,)))}
        assert {r for r in RULES if r.startswith("sequence.") and RULES[r].func is not None} <= in_walk
        assert not {r for r in in_walk if RULES[r].needs == "request"}

    def test_a_request_rule_of_an_item_kind_runs_on_each_item_of_a_page_its_text_vouched_for(
        self, add_rule: Callable[[Rule], None]
    ) -> None:
        def asked(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
            yield Finding("/sid", f"asked with {ctx.request.method if ctx.request else None}")

        fake = Faker()
        fake.add_provider(BindingProvider)
        fake.seed_instance(3)
        page = fake.binding_page(count=2)
        added = Rule("request.added", ("binding",), "added", needs="request", func=asked)
        add_rule(added)
        report = check(orjson.dumps(page), "binding-page", request=("GET", page["meta"]["url"]))
        assert [(v.rule, v.path) for v in report.violations] == [
            (added.id, f"/bindings/{i}/sid") for i in (0, 1)
        ]

    def test_what_a_shape_reports_is_kept_for_a_bounded_number_of_identities(self) -> None:
        for n in range(3000):
            found = engine.reported((((), f"kim{n}@example.org".encode()),), "binding", None)
            assert [v.rule for v in found] == ["binding.identity-reserved"]
        kept = engine._said.cache_info()
        assert kept.maxsize is not None
        assert 0 < kept.currsize <= kept.maxsize < 3000


def _string_constants(path: Path) -> set[str]:
    return {node.value for node, _ in string_constants(path)}


@pytest.mark.parametrize(
    "module",
    ["entry.py", "engine.py", "proof.py", "fastpath/proofs.py", "fastpath/shapes.py", "fastpath/scan.py"],
)
def test_no_rule_id_is_written_outside_the_rule_declarations(module: str) -> None:
    assert _string_constants(CHECKING / module) & set(RULES) <= {"kind.undetected", "response.json"}
