"""Conversations v1 Service Bindings: Twilio's examples pass, the kinds are told apart from Chat's, and
the rules read each kind's own member names, binding types, message types and page size bound."""

from __future__ import annotations

from typing import Any

import pytest
from faker import Faker

from binding_contracts import check, detect_kind
from binding_contracts.factories import BindingProvider
from conftest import spec

SVC = "IS" + "a" * 32
BS = "BS" + "b" * 32
ORIGIN = "https://conversations.twilio.com"


def faker(seed: int) -> Faker:
    fake = Faker()
    fake.add_provider(BindingProvider)
    fake.seed_instance(seed)
    return fake


def examples() -> dict[str, Any]:
    doc = spec("conversations")
    out: dict[str, Any] = {}
    for path in ("/v1/Services/{ChatServiceSid}/Bindings", "/v1/Services/{ChatServiceSid}/Bindings/{Sid}"):
        content = doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        out.update({name: example["value"] for name, example in content["examples"].items()})
    return out


def binding(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = dict(examples()["fetch"])
    doc.update(changes)
    return doc


class TestTwiliosExamples:
    @pytest.mark.parametrize("name", ["fetch", "readFull", "readEmpty"])
    def test_each_example_of_the_published_spec_passes_as_its_detected_kind(self, name: str) -> None:
        payload = examples()[name]
        report = check(payload)
        assert report.ok, report.render_text()
        assert not report.warnings
        assert report.kind == ("conversations-binding" if name == "fetch" else "conversations-binding-page")


class TestDetection:
    def test_chat_service_sid_tells_a_conversations_binding(self) -> None:
        assert detect_kind({"chat_service_sid": SVC}) == "conversations-binding"

    def test_a_v1_request_url_tells_a_conversations_page(self) -> None:
        assert detect_kind({}, f"{ORIGIN}/v1/Services/{SVC}/Bindings") == "conversations-binding-page"

    def test_a_chat_binding_with_a_conversations_url_stays_a_chat_binding(self) -> None:
        chat = {"sid": BS, "service_sid": SVC, "url": f"{ORIGIN}/v1/Services/{SVC}/Bindings/{BS}"}
        assert detect_kind(chat) == "binding"


class TestKindFacts:
    def test_url_service_compares_chat_service_sid(self) -> None:
        other = "IS" + "c" * 32
        report = check(binding(chat_service_sid=other), "conversations-binding")
        assert [(v.rule, v.path) for v in report.violations] == [("binding.url-service", "/url")]
        assert "chat_service_sid" in report.violations[0].message

    def test_twilsock_is_a_conversations_binding_type_and_not_a_chat_one(self) -> None:
        assert check(binding(binding_type="twilsock"), "conversations-binding").ok
        chat = check(binding(binding_type="twilsock"), "binding")
        assert "schema.enum" in {v.rule for v in chat.violations}

    def test_a_chat_message_type_draws_the_unknown_message_type_warning(self) -> None:
        report = check(binding(message_types=["added_to_channel"]), "conversations-binding")
        assert report.ok
        assert [w.rule for w in report.warnings] == ["binding.unknown-message-type"]

    def test_a_conversations_binding_has_no_links(self) -> None:
        report = check(binding(links={"user": f"{ORIGIN}/v1/Services/{SVC}/Users/TestUser"}))
        assert [w.rule for w in report.warnings] == ["field.unknown"]

    @pytest.mark.parametrize(("size", "ok"), [(100, True), (101, False)])
    def test_a_conversations_page_size_may_reach_100(self, size: int, ok: bool) -> None:
        page = dict(examples()["readEmpty"])
        url = f"{ORIGIN}/v1/Services/{SVC}/Bindings?PageSize={size}&Page=0"
        page["meta"] = {**page["meta"], "page_size": size, "url": url, "first_page_url": url}
        report = check(page, "conversations-binding-page")
        assert report.ok is ok
        assert ok or [v.rule for v in report.violations] == ["page.size-max"]


class TestFakerProvider:
    def test_conversations_payloads_pass_as_their_kinds(self) -> None:
        fake = faker(5)
        assert check(fake.conversations_binding(), "conversations-binding").ok
        page = fake.conversations_binding_page(count=3, page=1, page_size=3)
        assert check(page, "conversations-binding-page").ok
        assert len(page["bindings"]) == 3
        assert all("chat_service_sid" in b and "links" not in b for b in page["bindings"])

    def test_an_override_names_the_conversations_service_member(self) -> None:
        doc = faker(5).conversations_binding(chat_service_sid=SVC, binding_type="twilsock")
        assert doc["chat_service_sid"] == SVC
        assert doc["url"].startswith(f"{ORIGIN}/v1/Services/{SVC}/Bindings/BS")

    def test_a_listing_walks_up_to_page_size_100(self) -> None:
        pages = faker(5).conversations_binding_listing(total=150, page_size=100)
        assert [len(p["bindings"]) for p in pages] == [100, 50]
        assert check(pages[1], "conversations-binding-page", previous=pages[0]).ok
