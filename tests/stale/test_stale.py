"""``binding-contracts stale`` and ``drift --spec`` over Twilio's 2025 revisions: each change named,
on a cassette recorded under the revision before it, in every output format of ``check``."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clirun import call
from conftest import ROOT
from stale_history import (
    CHAT_2024,
    CHAT_2025,
    CHAT_NOT_NULL,
    CONVERSATIONS_2024,
    CONVERSATIONS_2025,
    CONVERSATIONS_PAGE_100,
    interaction,
    list_url,
    page_2024,
    recorded_2024,
    write_cassette,
)

SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<ptr>\S+): (?P<rule>[\w.-]+)[^:]*: (?P<message>.*)$"
)

# (older revision, newer revision, the change): each of Twilio's four 2025 changes to the Bindings
CHANGES = [
    (CHAT_2024, CHAT_NOT_NULL, "nullable.removed", "binding.binding_type"),
    (CONVERSATIONS_2024, CONVERSATIONS_PAGE_100, "bound.tightened", "read-conversations-bindings.PageSize"),
    (
        CONVERSATIONS_PAGE_100,
        CONVERSATIONS_2025,
        "enum.value-added",
        "conversations-binding.binding_type=twilsock",
    ),
    (CHAT_NOT_NULL, CHAT_2025, "bound.tightened", "read-bindings.PageSize"),
]


def findings(out: str) -> list[dict[str, str]]:
    return [m.groupdict() for m in map(LINE.match, out.splitlines()) if m]


@pytest.mark.parametrize(("old", "new", "change", "subject"), CHANGES)
def test_drift_names_each_change_since_the_revision_before(
    old: Path, new: Path, change: str, subject: str
) -> None:
    code, out, _ = call("drift", str(new), "--spec", str(old), "--format", "json")
    differences = json.loads(out)["results"][0]["differences"]
    assert (change, subject) in {(d["type"], d["subject"]) for d in differences}
    assert call("drift", str(new), "--spec", str(new))[0] == 0
    assert code == (1 if differences else 0)


@pytest.fixture
def cassette(tmp_path: Path) -> Path:
    return recorded_2024(tmp_path)


def test_under_the_revisions_it_was_recorded_under_nothing_is_stale(cassette: Path) -> None:
    for spec in (CHAT_2024, CONVERSATIONS_2024):
        code, out, _ = call("stale", str(cassette), "--spec", str(spec))
        assert code == 0, out
        assert not [f for f in findings(out) if f["file"] == str(cassette)]


def test_a_null_binding_type_is_stale_once_it_is_not_nullable(cassette: Path) -> None:
    code, out, _ = call("stale", str(cassette), "--spec", str(CHAT_NOT_NULL))
    assert code == 1
    (_found,) = {(f["ptr"], f["rule"]) for f in findings(out) if f["file"] == str(cassette)} & {
        ("/bindings/0/binding_type", "schema.enum")
    }
    line = next(f for f in findings(out) if f["ptr"] == "/bindings/0/binding_type")
    text = cassette.read_text().splitlines()[int(line["line"]) - 1]
    assert "binding_type" in text[int(line["col"]) - 1 :]
    assert "(recorded 2024-06-04, " in out
    assert "days ago)" in out


@pytest.mark.parametrize(("spec", "most"), [(CHAT_2025, 50), (CONVERSATIONS_PAGE_100, 100)])
def test_a_page_size_over_the_new_cap_is_a_request_to_record_again(
    cassette: Path, spec: Path, most: int
) -> None:
    code, out, _ = call("stale", str(cassette), "--spec", str(spec))
    assert code == 1
    requests = [f for f in findings(out) if f["rule"] == "stale.request"]
    assert len(requests) == 1
    assert requests[0]["file"] == str(cassette)
    assert f"PageSize=200, over the spec's maximum {most}" in out


def test_a_new_binding_type_is_coverage_the_recordings_lack(tmp_path: Path) -> None:
    page = page_2024("conversations-binding-page", 50)
    recorded = write_cassette(
        tmp_path / "c.json", [interaction(list_url("conversations-binding-page", 50), page)]
    )
    code, out, _ = call("stale", str(recorded), "--spec", str(CONVERSATIONS_2025))
    assert code == 0, out  # what the spec allows that no recording shows is a warning
    (twilsock,) = [
        f for f in findings(out) if f["rule"] == "stale.uncovered" and "'twilsock'" in f["message"]
    ]
    assert twilsock["file"] == str(CONVERSATIONS_2025)
    spec_line = CONVERSATIONS_2025.read_text().splitlines()[int(twilsock["line"]) - 1]
    assert '"binding_type"' in spec_line
    shown = {t for t in ("apn", "gcm", "fcm") if f'"binding_type": "{t}"' in recorded.read_text()}
    assert not any(f"may be '{t}'" in out for t in shown)


def test_a_member_newly_nullable_and_never_recorded_null_is_uncovered(tmp_path: Path) -> None:
    page = page_2024("binding-page", 20)
    recorded = write_cassette(tmp_path / "c.json", [interaction(list_url("binding-page", 20), page)])
    _, out, _ = call("stale", str(recorded), "--spec", str(CHAT_2024))
    assert "binding.binding_type may now be null, never recorded null" in out
    assert "chat reads are capped at PageSize=1000; no recorded read asks that many (at most 20)" in out
    nulled = write_cassette(
        tmp_path / "n.json",
        [interaction(list_url("binding-page", 20), page_2024("binding-page", 20, null_type=True))],
    )
    _, out, _ = call("stale", str(nulled), "--spec", str(CHAT_2024))
    assert "may now be null" not in out


def test_an_api_the_spec_does_not_describe_is_not_judged(cassette: Path) -> None:
    _, out, _ = call("stale", str(cassette), "--spec", str(CONVERSATIONS_2025), "--format", "json")
    sources = [r["source"] for r in json.loads(out)["results"]]
    assert sources
    assert all("conversations.twilio.com" in s for s in sources)


def test_json_gives_each_interaction_its_age(tmp_path: Path) -> None:
    page = page_2024("binding-page", 200)
    recorded = write_cassette(
        tmp_path / "c.json",
        [
            interaction(list_url("binding-page", 200), page),
            interaction(list_url("binding-page", 200), page, date=None),
        ],
    )
    code, out, _ = call("stale", str(recorded), "--spec", str(CHAT_2025), "--format", "json")
    doc = json.loads(out)
    assert code == 1
    first, second = doc["results"]
    assert first["recorded"] == "2024-06-04T10:00:00+00:00"
    assert first["age_days"] > 900
    assert second["recorded"] is None
    assert second["age_days"] is None
    assert "(no Date recorded)" in second["source"]
    assert doc["summary"] == {
        "interactions": 2,
        "stale": 2,
        "contradicted": 2,
        "uncovered": len(doc["uncovered"]),
    }


def test_every_format_of_check(cassette: Path) -> None:
    argv = ("stale", str(cassette), "--spec", str(CHAT_2025), "--format")
    code, out, _ = call(*argv, "sarif")
    assert code == 1
    log = json.loads(out)
    jsonschema.validate(log, SARIF_SCHEMA)
    results = log["runs"][0]["results"]
    rules = {r["ruleId"] for r in results}
    assert {"stale.request", "stale.uncovered", "schema.enum"} <= rules
    assert {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]} >= rules
    code, out, _ = call(*argv, "gitlab")
    assert code == 1
    assert {i["check_name"] for i in json.loads(out)} >= {"stale.request", "stale.uncovered"}
    code, out, _ = call(*argv, "github")
    assert code == 1
    assert re.search(rf"::error file={re.escape(str(cassette))},line=\d+", out)
    assert "::warning file=" in out
    code, out, _ = call(*argv, "junit")
    assert code == 1
    assert "stale.request" in out
    assert "<testsuite" in out


@pytest.mark.parametrize("content", [b"", b"interactions: 3\n"])
def test_an_unreadable_cassette_is_one_line_and_exit_2(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(content)
    code, _, err = call("stale", str(bad), "--spec", str(CHAT_2025))
    assert code == 2
    assert err.count("\n") == 1
    assert str(bad) in err


def test_no_cassette_is_exit_2(tmp_path: Path) -> None:
    code, _, err = call("stale", str(tmp_path), "--spec", str(CHAT_2025))
    assert code == 2
    assert "holds no cassette" in err


def test_stale_needs_a_spec(cassette: Path) -> None:
    code, _, err = call("stale", str(cassette))
    assert code == 2
    assert "--spec" in err


@settings(max_examples=50, deadline=None)
@given(size=st.integers(min_value=-5, max_value=1200), spec=st.sampled_from([CHAT_2024, CHAT_2025]))
def test_a_recorded_page_size_is_refused_exactly_outside_the_spec_bounds(size: int, spec: Path) -> None:
    from binding_contracts.drift import profile_from_spec
    from binding_contracts.spec.openapi_profile import openapi_profile
    from binding_contracts.traffic.interactions import Interaction
    from binding_contracts.traffic.stale import REQUEST, Coverage, judge_cassette

    name = profile_from_spec(spec)
    read = openapi_profile(name)
    assert read is not None
    bounds = read.page_size["chat"]
    body = json.dumps(page_2024("binding-page", 3))
    it = Interaction(
        "GET", list_url("binding-page", 3).replace("PageSize=3", f"PageSize={size}"), 200, body, "c#0"
    )
    (judged,) = judge_cassette([it], read, name, Coverage(), datetime.now(UTC))
    refused = [v for v in judged.report.violations if v.rule == REQUEST]
    assert bool(refused) == (not (bounds.minimum or 1) <= size <= (bounds.maximum or size))


def test_a_recorded_member_the_spec_no_longer_documents_is_stale(cassette: Path, tmp_path: Path) -> None:
    doc = json.loads(CHAT_2025.read_text())
    del doc["components"]["schemas"]["chat.v2.service.binding"]["properties"]["credential_sid"]
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(doc))
    code, out, _ = call("stale", str(cassette), "--spec", str(spec))
    assert code == 1
    gone = [f for f in findings(out) if f["rule"] == "stale.member"]
    assert {f["ptr"] for f in gone} == {f"/bindings/{i}/credential_sid" for i in range(3)}
    line = cassette.read_text().splitlines()[int(gone[0]["line"]) - 1]
    assert "credential_sid" in line[int(gone[0]["col"]) - 1 :]
