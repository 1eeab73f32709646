"""Every rule: a payload that passes, and one that breaks exactly that rule at the right pointer."""

from __future__ import annotations

import copy
import dataclasses
import importlib
import json
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from binding_contracts import RULES, Request, check
from binding_contracts.rules import rules_for
from conftest import ROOT

Doc = dict[str, Any]
OTHER_IS = "IS" + "fedcba9876543210" * 2
OTHER_US = "US" + "fedcba9876543210" * 2
OTHER_BS = "BS" + "fedcba9876543210" * 2


def set_page_size(page: Doc, size: int) -> None:
    meta = page["meta"]
    meta["page_size"] = size
    for key in ("url", "first_page_url", "previous_page_url", "next_page_url"):
        if isinstance(meta[key], str):
            meta[key] = re.sub(r"PageSize=\d+", f"PageSize={size}", meta[key])


def replace_in(doc: Doc, key: str, old: str, new: str) -> None:
    doc[key] = doc[key].replace(old, new)


def move_item_to_other_service(page: Doc) -> None:
    item = page["bindings"][1]
    for key in ("url",):
        replace_in(item, key, item["service_sid"], OTHER_IS)
    replace_in(item["links"], "user", item["service_sid"], OTHER_IS)
    item["service_sid"] = OTHER_IS


def move_page_to_channels(page: Doc) -> None:
    for key in ("url", "first_page_url", "next_page_url"):
        replace_in(page["meta"], key, "/Bindings", "/Channels")


def make_second_page_without_previous(page: Doc) -> None:
    meta = page["meta"]
    meta["page"] = 1
    replace_in(meta, "url", "Page=0", "Page=1")
    replace_in(meta, "next_page_url", "Page=1", "Page=2")


def deprecated_host(doc: Doc) -> None:
    replace_in(doc, "url", "chat.twilio.com", "ip-messaging.twilio.com")
    replace_in(doc["links"], "user", "chat.twilio.com", "ip-messaging.twilio.com")


def reserved_identity(doc: Doc) -> None:
    doc["identity"] = "kim&lee"
    doc["links"]["user"] = doc["links"]["user"].rsplit("/", 1)[0] + "/kim%26lee"


@dataclass
class Case:
    base: str  # fixture name
    mutate: Callable[[Doc], Any]
    path: str
    severity: str = "error"
    options: dict[str, Any] | None = None
    kind: str = "auto"


CASES: dict[str, Case] = {
    "schema.required": Case("binding", lambda d: d.pop("sid"), "/sid"),
    "schema.type": Case("binding", lambda d: d.update(message_types="new_message"), "/message_types"),
    "schema.pattern": Case("binding", lambda d: d.update(account_sid="AC123"), "/account_sid"),
    "schema.format": Case(
        "binding", lambda d: d.update(date_created="2024-03-05 09:14:27Z"), "/date_created"
    ),
    "schema.enum": Case("binding", lambda d: d.update(binding_type="apns"), "/binding_type"),
    "schema.minimum": Case("error_body", lambda d: d.update(status=399), "/status"),
    "schema.maximum": Case("error_body", lambda d: d.update(status=600), "/status"),
    "schema.minLength": Case("binding", lambda d: d.update(endpoint=""), "/endpoint"),
    "kind.undetected": Case("binding", lambda d: d.clear() or d.update(foo=1), ""),
    "binding.url-path": Case("binding", lambda d: replace_in(d, "url", "/Bindings/", "/Bindingz/"), "/url"),
    "binding.url-sid": Case("binding", lambda d: replace_in(d, "url", d["sid"], OTHER_BS), "/url"),
    "binding.url-service": Case(
        "binding", lambda d: replace_in(d, "url", d["service_sid"], OTHER_IS), "/url"
    ),
    "binding.url-user": Case("user_binding", lambda d: replace_in(d, "url", d["user_sid"], OTHER_US), "/url"),
    "binding.links-user-service": Case(
        "binding",
        lambda d: replace_in(d["links"], "user", d["service_sid"], OTHER_IS),
        "/links/user",
    ),
    "binding.links-user-identity": Case(
        "binding", lambda d: replace_in(d["links"], "user", "kim.lee", "someone"), "/links/user"
    ),
    "binding.dates-ordered": Case(
        "binding", lambda d: d.update(date_updated="2024-03-05T09:14:26Z"), "/date_updated"
    ),
    "binding.identity-reserved": Case("binding", reserved_identity, "/identity", "warning"),
    "binding.unknown-message-type": Case(
        "binding", lambda d: d["message_types"].append("typing"), "/message_types/2", "warning"
    ),
    "field.unknown": Case("binding", lambda d: d.update(extra=1), "/extra", "warning"),
    "url.deprecated-host": Case("binding", deprecated_host, "/url", "warning"),
    "error.more-info-code": Case(
        "error_body", lambda d: replace_in(d, "more_info", "20404", "20003"), "/more_info"
    ),
    "error.status-match": Case("error_body", lambda d: None, "/status", options={"status": 500}),
    "page.key": Case("page", lambda d: d["meta"].update(key="items"), "/meta/key"),
    "page.size-min": Case("page", lambda d: set_page_size(d, 0), "/meta/page_size"),
    "page.size-max": Case("page", lambda d: set_page_size(d, 51), "/meta/page_size"),
    "page.items-max": Case("page", lambda d: set_page_size(d, 1), "/bindings"),
    "page.url-path": Case("page", move_page_to_channels, "/meta/url"),
    "page.item-service": Case("page", move_item_to_other_service, "/bindings/1/service_sid"),
    "page.item-user": Case(
        "user_page",
        lambda d: [
            replace_in(d["bindings"][0], "url", d["bindings"][0]["user_sid"], OTHER_US),
            d["bindings"][0].update(user_sid=OTHER_US),
        ],
        "/bindings/0/user_sid",
    ),
    "page.unique-sids": Case(
        "page",
        lambda d: d["bindings"].__setitem__(1, copy.deepcopy(d["bindings"][0])),
        "/bindings/1/sid",
    ),
    "page.first-no-previous": Case(
        "page",
        lambda d: d["meta"].update(previous_page_url=d["meta"]["url"]),
        "/meta/previous_page_url",
    ),
    "page.meta-url": Case("page", lambda d: replace_in(d["meta"], "url", "Page=0", "Page=3"), "/meta/url"),
    "page.first-page-url": Case(
        "page",
        lambda d: replace_in(d["meta"], "first_page_url", "Page=0", "Page=1"),
        "/meta/first_page_url",
    ),
    "page.previous-page-url": Case("page", make_second_page_without_previous, "/meta/previous_page_url"),
    "page.next-page-url": Case(
        "page",
        lambda d: replace_in(d["meta"], "next_page_url", "Page=1", "Page=5"),
        "/meta/next_page_url",
    ),
}


def test_every_rule_in_the_catalogue_has_a_case() -> None:
    from test_interactions import REQUEST_CASES

    interaction_tested = {r for r, rule in RULES.items() if rule.needs in ("sequence", "interaction")}
    assert set(CASES) | set(REQUEST_CASES) | interaction_tested == set(RULES)
    assert not set(CASES) & set(REQUEST_CASES)


def test_the_rules_page_lists_every_rule_id_once() -> None:
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| \[`([a-z]+\.[a-zA-Z-]+)`\]", page, flags=re.M)
    assert sorted(listed) == sorted(RULES)


class TestTheCatalogueIsCompleteOnAnyImport:
    def test_a_fresh_process_importing_only_the_catalogue_sees_every_rule(self) -> None:
        code = (
            "import json, sys; from binding_contracts.checking.catalogue import RULES; "
            "print(json.dumps([sorted(RULES), 'binding_contracts.checking.entry' in sys.modules]))"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        ids, contract_imported = json.loads(out.stdout)
        assert not contract_imported
        assert ids == sorted(RULES)
        assert {r.func is not None for r in RULES.values()} == {True, False}

    def test_the_rules_page_script_run_alone_writes_a_section_per_rule(self) -> None:
        script = ROOT / "docs" / "render_rules.py"
        code = f"import runpy; print(runpy.run_path({str(script)!r})['render']())"
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        sections = re.findall(r"^## `([a-z]+\.[a-zA-Z-]+)`$", out.stdout, flags=re.M)
        assert sections == sorted(RULES)

    @pytest.mark.parametrize(
        "fresh",
        [
            ("rule",),
            ("rule", "rules.item"),
            ("rules.item", "rules.page", "rules.request"),
            ("rule", "rules.page", "rules.request"),
        ],
    )
    def test_a_catalogue_imported_again_beside_modules_kept_lists_every_rule(
        self, monkeypatch: pytest.MonkeyPatch, fresh: tuple[str, ...]
    ) -> None:
        """As pytester's in-process runs leave it: some modules imported afresh, the others kept."""
        for name in ("catalogue", *fresh):
            package, _, leaf = f"binding_contracts.checking.{name}".rpartition(".")
            monkeypatch.delitem(sys.modules, f"{package}.{leaf}")
            monkeypatch.setattr(sys.modules[package], leaf, getattr(sys.modules[package], leaf))
        again = importlib.import_module("binding_contracts.checking.catalogue")
        assert sorted(again.RULES) == sorted(RULES)
        assert [r.id for r in again.rules_for("binding-page")] == [r.id for r in rules_for("binding-page")]
        assert {type(r) for r in again.RULES.values()} == {again.Rule}

    def test_a_rule_module_reloaded_keeps_its_rules_in_a_catalogue_read_again(self) -> None:
        import binding_contracts.checking.catalogue as rules
        import binding_contracts.checking.rule as rule_model
        import binding_contracts.checking.rules.page as page_invariants

        saved = {module: dict(vars(module)) for module in (rule_model, page_invariants)}
        try:
            importlib.reload(rule_model)
            importlib.reload(page_invariants)
            assert sorted(r.id for r in rules._declared(page_invariants)) == sorted(
                r for r in RULES if r.startswith("page.")
            )
        finally:  # the modules as every other module imported them
            for module, names in saved.items():
                vars(module).clear()
                vars(module).update(names)

    def test_an_id_declared_by_two_rules_is_refused(self) -> None:
        from binding_contracts.checking.catalogue import catalogue

        first = RULES["page.key"]
        assert catalogue([first, first]) == {"page.key": first}
        with pytest.raises(ValueError, match=r"'page\.key' is declared twice"):
            catalogue([first, dataclasses.replace(first, summary="another")])


@pytest.mark.parametrize("rule_id", sorted(CASES))
class TestEachRule:
    def test_the_unbroken_base_passes_with_no_finding(
        self, rule_id: str, request: pytest.FixtureRequest
    ) -> None:
        case = CASES[rule_id]
        doc = request.getfixturevalue(case.base)
        options = {k: v for k, v in (case.options or {}).items() if k != "status"}
        report = check(doc, **options)
        assert report.findings == [], report.render_text()

    def test_the_broken_payload_is_reported_with_that_rule_only(
        self, rule_id: str, request: pytest.FixtureRequest
    ) -> None:
        case = CASES[rule_id]
        doc = copy.deepcopy(request.getfixturevalue(case.base))
        case.mutate(doc)
        report = check(doc, **(case.options or {}))
        found = report.violations if case.severity == "error" else report.warnings
        others = report.warnings if case.severity == "error" else report.violations
        assert [(v.rule, v.path) for v in found] == [(rule_id, case.path)], report.render_text()
        assert others == []
        assert all(v.message and "\n" not in v.message for v in found)


class TestOptionsThatChangeSeverity:
    def test_strict_fields_makes_an_unknown_member_an_error(self, binding: Doc) -> None:
        binding["links"]["channels"] = "https://chat.twilio.com/v2/x"
        report = check(binding, strict_fields=True)
        assert [(v.rule, v.path) for v in report.violations] == [("field.unknown", "/links/channels")]

    def test_a_member_name_with_a_slash_is_escaped_in_the_pointer(self, binding: Doc) -> None:
        binding["a/b~c"] = 1
        assert [v.path for v in check(binding).warnings] == ["/a~1b~0c"]

    def test_the_published_profile_runs_no_semantic_rule(self, binding: Doc) -> None:
        replace_in(binding, "url", binding["sid"], OTHER_BS)
        assert check(binding, profile="published").ok
        assert not check(binding).ok

    def test_status_match_needs_the_http_status(self, error_body: Doc) -> None:
        assert check(error_body, status=404).ok
        request = Request("GET", "https://chat.twilio.com/v2/Services/IS1/Bindings/BS1")
        assert check(error_body, request=request, status=404).ok


class TestEveryViolationIsReported:
    def test_three_broken_fields_give_three_violations(self, binding: Doc) -> None:
        binding.update(sid="BS1", binding_type="push", date_updated="yesterday")
        report = check(binding)
        assert {(v.rule, v.path) for v in report.violations} >= {
            ("schema.pattern", "/sid"),
            ("schema.enum", "/binding_type"),
            ("schema.format", "/date_updated"),
        }

    def test_every_missing_member_is_named(self, binding: Doc) -> None:
        for key in ("sid", "url", "links"):
            del binding[key]
        report = check(binding, kind="binding")
        assert [v.path for v in report.violations] == ["/links", "/sid", "/url"]

    def test_every_bad_item_of_a_page_is_reported_at_its_index(self, page: Doc) -> None:
        for item in page["bindings"]:
            item["sid"] = "nope"
        paths = [v.path for v in check(page).violations if v.rule == "schema.pattern"]
        assert paths == ["/bindings/0/sid", "/bindings/1/sid"]


def test_a_links_user_on_the_deprecated_host_alone_draws_the_warning(binding: Doc) -> None:
    replace_in(binding["links"], "user", "chat.twilio.com", "ip-messaging.twilio.com")
    report = check(binding)
    assert [(v.rule, v.path) for v in report.warnings] == [("url.deprecated-host", "/links/user")]
    assert report.violations == []
