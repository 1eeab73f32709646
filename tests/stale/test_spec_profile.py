"""A profile read from a Twilio OpenAPI file: the facts of each 2025 revision, the schemas derived from
them, and the payloads drawn under them (properties), on the command line and in the plugin."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from binding_contracts import check
from binding_contracts.drift import SpecError, profile_from_spec
from binding_contracts.spec.openapi_profile import openapi_profile
from binding_contracts.strategies import payloads
from clirun import call
from stale_history import (
    CHAT_2024,
    CHAT_2025,
    CHAT_NOT_NULL,
    CONVERSATIONS_2024,
    CONVERSATIONS_2025,
    CONVERSATIONS_PAGE_100,
    HISTORY,
)

REVISIONS = sorted(HISTORY.glob("*.json"))
CHAT_KINDS = ("binding", "user-binding", "binding-page", "user-binding-page")
CONVERSATIONS_KINDS = ("conversations-binding", "conversations-binding-page")


def kinds_of(spec: Path) -> tuple[str, ...]:
    return CHAT_KINDS if "chat" in spec.name else CONVERSATIONS_KINDS


def facts(spec: Path) -> Any:
    found = openapi_profile(profile_from_spec(spec))
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("spec", "kind", "nullable", "types", "api", "maximum"),
    [
        (CHAT_2024, "binding", True, ("gcm", "apn", "fcm"), "chat", 1000),
        (CHAT_NOT_NULL, "binding", False, ("gcm", "apn", "fcm"), "chat", 1000),
        (CHAT_2025, "user-binding", False, ("gcm", "apn", "fcm"), "chat", 50),
        (CONVERSATIONS_2024, "conversations-binding", True, ("apn", "gcm", "fcm"), "conversations", 1000),
        (CONVERSATIONS_PAGE_100, "conversations-binding", False, ("apn", "gcm", "fcm"), "conversations", 100),
        (
            CONVERSATIONS_2025,
            "conversations-binding",
            False,
            ("apn", "gcm", "fcm", "twilsock"),
            "conversations",
            100,
        ),
    ],
)
def test_each_revision_reads_as_twilio_wrote_it(
    spec: Path, kind: str, nullable: bool, types: tuple[str, ...], api: str, maximum: int
) -> None:
    read = facts(spec)
    assert read.members[kind]["binding_type"].nullable is nullable
    assert read.members[kind]["binding_type"].enum == types
    assert read.members[kind]["sid"].nullable
    assert read.page_size[api].maximum == maximum
    assert read.apis == (api,)


def test_the_same_spec_is_the_same_profile_and_a_changed_one_another(tmp_path: Path) -> None:
    copy = tmp_path / "spec.json"
    copy.write_bytes(CHAT_2025.read_bytes())
    first = profile_from_spec(copy)
    assert profile_from_spec(copy) == first
    doc = json.loads(copy.read_text())
    params = doc["paths"]["/v2/Services/{ServiceSid}/Bindings"]["get"]["parameters"]
    next(p for p in params if p["name"] == "PageSize")["schema"]["maximum"] = 20
    copy.write_text(json.dumps(doc))
    assert profile_from_spec(copy) != first


def binding_of(spec: Path) -> dict[str, Any]:
    kind = kinds_of(spec)[0]
    doc = json.loads((HISTORY.parent / "openapi_examples.json").read_text())
    fetch = next(
        v["value"] for k, v in doc.items() if k.endswith("Bindings/{Sid}/get/responses/200/examples/fetch")
    )
    if kind == "conversations-binding":
        fetch = {
            ("chat_service_sid" if k == "service_sid" else k): v for k, v in fetch.items() if k != "links"
        }
        fetch["url"] = fetch["url"].replace("chat.twilio.com/v2", "conversations.twilio.com/v1")
        fetch["message_types"] = ["new_message"]
    return fetch


@pytest.mark.parametrize(
    ("spec", "value", "ok"),
    [
        (CHAT_2024, None, True),
        (CHAT_NOT_NULL, None, False),
        (CHAT_2025, "twilsock", False),
        (CONVERSATIONS_2024, None, True),
        (CONVERSATIONS_2024, "twilsock", False),
        (CONVERSATIONS_PAGE_100, None, False),
        (CONVERSATIONS_2025, "twilsock", True),
    ],
)
def test_a_binding_type_is_judged_by_the_revision(spec: Path, value: Any, ok: bool) -> None:
    payload = {**binding_of(spec), "binding_type": value}
    profile = profile_from_spec(spec)
    assert check(payload, kinds_of(spec)[0], profile=profile).ok is ok
    # the text path judges as the parsed one: the strict text shapes do not vouch under a spec
    assert check(json.dumps(payload).encode(), kinds_of(spec)[0], profile=profile).ok is ok


SPEC_KIND = st.sampled_from(REVISIONS).flatmap(lambda s: st.tuples(st.just(s), st.sampled_from(kinds_of(s))))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), chosen=SPEC_KIND)
def test_a_spec_profile_accepts_what_it_draws(data: st.DataObject, chosen: tuple[Path, str]) -> None:
    spec, kind = chosen
    profile = profile_from_spec(spec)
    doc = data.draw(payloads(kind, profile=profile))
    report = check(doc, kind, profile=profile)
    assert report.ok, report.findings
    assert {(v.rule, v.path) for v in check(json.dumps(doc).encode(), kind, profile=profile).findings} == {
        (v.rule, v.path) for v in report.findings
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), chosen=SPEC_KIND)
def test_a_spec_profile_refuses_what_breaks_its_members(
    data: st.DataObject, chosen: tuple[Path, str]
) -> None:
    """A binding type outside the revision's enum, or a null where the revision allows none, is refused."""
    spec, kind = chosen
    profile, read = profile_from_spec(spec), facts(spec)
    doc = data.draw(payloads(kind, profile=profile))
    assume(not kind.endswith("page") or doc["bindings"])
    item = doc["bindings"][0] if kind.endswith("page") else doc
    item_kind = kind.removesuffix("-page")
    members = read.members[item_kind]
    not_null = [m for m, f in members.items() if not f.nullable and m in item]
    choices = ["binding_type", *not_null]
    member = data.draw(st.sampled_from(choices))
    if member == "binding_type" and members["binding_type"].enum is not None and data.draw(st.booleans()):
        item[member] = data.draw(
            st.sampled_from(["sms", "twilsock", "voip", "GCM"]).filter(
                lambda t: t not in members["binding_type"].enum
            )
        )
    elif not members[member].nullable:
        item[member] = None
    else:
        return
    found = {(v.rule, v.path.rsplit("/", 1)[-1]) for v in check(doc, kind, profile=profile).violations}
    assert any(path == member for _, path in found), found


class TestCommandLine:
    def test_validate_takes_a_spec_as_its_profile(self, tmp_path: Path) -> None:
        payload = tmp_path / "b.json"
        payload.write_text(json.dumps({**binding_of(CHAT_2024), "binding_type": None}))
        assert call("validate", str(payload), "--kind", "binding", "--spec", str(CHAT_2024))[0] == 0
        code, out, _ = call("validate", str(payload), "--kind", "binding", "--spec", str(CHAT_2025))
        assert code == 1
        assert f"{payload}:1:" in out
        assert "/binding_type: schema.enum" in out

    def test_fixtures_under_a_spec_are_valid_under_it(self, tmp_path: Path) -> None:
        code, out, _ = call(
            "fixtures", "--kind", "conversations-binding", "--count", "20", "--spec", str(CONVERSATIONS_2024)
        )
        assert code == 0
        docs = json.loads(out)
        assert len(docs) == 20
        assert all(check(d, profile=profile_from_spec(CONVERSATIONS_2024)).ok for d in docs)
        assert not any(d["binding_type"] == "twilsock" for d in docs)

    def test_check_takes_a_spec(self, tmp_path: Path) -> None:
        from stale_history import recorded_2024

        cassette = recorded_2024(tmp_path)
        assert call("check", str(cassette), "--spec", str(CHAT_2024))[0] == 0
        code, out, _ = call("check", str(cassette), "--spec", str(CHAT_2025))
        assert code == 1
        assert "/bindings/0/binding_type: schema.enum" in out

    @pytest.mark.parametrize(
        ("content", "problem"),
        [
            (None, "no such file"),
            ({"swagger": "2.0"}, "is Swagger '2.0', expected OpenAPI 3"),
            ({"openapi": "3.0.1", "paths": {"/v2/Services": {}}}, "describes no Binding path"),
            ("{", "JSON"),
        ],
    )
    def test_a_bad_spec_is_one_line_and_exit_2(self, tmp_path: Path, content: Any, problem: str) -> None:
        spec = tmp_path / "spec.json"
        if content is not None:
            spec.write_text(content if isinstance(content, str) else json.dumps(content))
        for argv in (
            ["validate", str(spec), "--kind", "binding"],
            ["fixtures", "--kind", "binding"],
            ["stale", str(tmp_path)],
        ):
            code, out, err = call(*argv, "--spec", str(spec))
            assert code == 2, (argv, out, err)
            assert err.count("\n") == 1, err
            assert problem in err, err
            assert str(spec) in err, err

    def test_a_spec_and_a_profile_are_one_or_the_other(self) -> None:
        code, _, err = call(
            "validate", "x.json", "--kind", "binding", "--spec", str(CHAT_2025), "--profile", "published"
        )
        assert code == 2
        assert "not allowed with" in err


def test_payloads_and_check_take_the_name_profile_from_spec_gives() -> None:
    with pytest.raises(SpecError):
        profile_from_spec(HISTORY.parent / "sdk_payloads.json")


@pytest.mark.parametrize("spec", [CHAT_2024, CONVERSATIONS_2024])
def test_the_fake_serves_bodies_valid_under_a_spec_profile(spec: Path) -> None:
    import requests

    from binding_contracts.fake import FakeBindingAPI

    profile = profile_from_spec(spec)
    version = "v2" if "chat" in spec.name else "v1"
    with FakeBindingAPI(seed=1, services=1, bindings=30, auth=False, profile=profile) as api:
        url = f"{api.base_url}/{version}/Services/{next(iter(api.store.services))}/Bindings?PageSize=30"
        body = requests.get(url, timeout=5).content
    report = check(body, kinds_of(spec)[2 if version == "v2" else 1], profile=profile)
    assert report.ok, report.findings


CURRENT = {
    "chat": HISTORY.parent / "twilio_chat_v2.json",
    "conversations": HISTORY.parent / "twilio_conversations_v1.json",
}
"""Twilio's spec that schemas/ follows today (tests/data/README.md): its profile is ``published``."""


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), kind=st.sampled_from(CHAT_KINDS + CONVERSATIONS_KINDS))
def test_the_profile_of_the_spec_schemas_follow_is_published(data: st.DataObject, kind: str) -> None:
    """Read as ``published`` is read: the same verdict and (rule, pointer) set on what ``published``
    draws, and on the same with one member nulled or given another binding type."""
    profile = profile_from_spec(CURRENT["conversations" if kind.startswith("conversations") else "chat"])
    doc = data.draw(payloads(kind, profile="published"))
    item = doc["bindings"][0] if kind.endswith("page") and doc["bindings"] else doc
    member = data.draw(st.sampled_from(sorted(item)))
    item[member] = data.draw(st.sampled_from([None, "twilsock", "sms", 7]))

    def found(p: str) -> set[tuple[str, str]]:
        return {(v.rule, v.path) for v in check(doc, kind, profile=p).findings}

    assert found(profile) == found("published")
