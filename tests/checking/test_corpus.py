"""Real bodies: Twilio's SDK fixtures and OpenAPI examples pass; third-party fixtures are reported."""

from __future__ import annotations

from typing import Any

import pytest

from binding_contracts import check
from conftest import load

CORPUS: list[dict[str, Any]] = load("sdk_payloads.json")
EXAMPLES: dict[str, dict[str, Any]] = load("openapi_examples.json")


def from_twilio(entry: dict[str, Any]) -> bool:
    return any(s["repo"].startswith("twilio/") for s in entry["sources"])


TWILIO = [e for e in CORPUS if from_twilio(e) and e["body"] is not None]
THIRD_PARTY = [e for e in CORPUS if not from_twilio(e) and e["body"] is not None]


def label(entry: dict[str, Any]) -> str:
    return f"{entry['kind']} {entry['status']} {entry['url']}"


class TestTwilioCorpus:
    def test_the_corpus_holds_bodies_of_every_kind(self) -> None:
        assert {e["kind"] for e in TWILIO} == {
            "binding",
            "user-binding",
            "binding-page",
            "user-binding-page",
        }

    @pytest.mark.parametrize("entry", TWILIO, ids=label)
    @pytest.mark.parametrize("profile", ["strict", "published"])
    def test_every_body_from_twilio_passes(self, entry: dict[str, Any], profile: str) -> None:
        report = check(entry["body"], kind=entry["kind"], profile=profile)
        assert report.ok, report.render_text()

    @pytest.mark.parametrize("entry", TWILIO, ids=label)
    def test_auto_detects_the_kind_of_every_body_from_twilio(self, entry: dict[str, Any]) -> None:
        assert check(entry["body"]).kind == entry["kind"]


class TestThirdPartyCorpus:
    @pytest.mark.parametrize("entry", THIRD_PARTY, ids=label)
    def test_each_body_is_checked_without_crashing_and_placeholders_are_named(
        self, entry: dict[str, Any]
    ) -> None:
        report = check(entry["body"], kind=entry["kind"])
        if entry["kind"] == "error":
            assert report.ok, report.render_text()
        else:
            # BSXXXX… placeholders are not hexadecimal: no real API returns them.
            assert "schema.pattern" in report.rules()
            assert any(v.path.endswith("/sid") or v.path == "/sid" for v in report.violations)

    def test_the_null_dates_of_the_go_fixtures_are_typed_errors_in_strict_only(self) -> None:
        body = next(e["body"] for e in THIRD_PARTY if e["kind"] == "binding")
        strict = check(body, kind="binding")
        published = check(body, kind="binding", profile="published")
        assert ("schema.type", "/date_updated") in {(v.rule, v.path) for v in strict.violations}
        assert "schema.type" not in published.rules()


class TestOpenAPIExamples:
    @pytest.mark.parametrize("name", sorted(EXAMPLES))
    def test_every_published_example_passes(self, name: str) -> None:
        report = check(EXAMPLES[name]["value"])
        assert report.ok, report.render_text()
