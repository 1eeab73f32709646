"""Every finding at the place of its fact: a fact planted in each part of an interaction (a request
or response header, the URI's userinfo, path and query, a form or JSON request body, the response
body) is reported at the line and column where the cassette writes it, however the cassette is
written (vcrpy's YAML and JSON serializers, YAML's flow, quoted, literal and folded-line styles)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from vcr.serializers import jsonserializer, yamlserializer

from binding_contracts.cli.formats import place_cassette
from binding_contracts.spec.urls import segment
from binding_contracts.traffic.cassette_files import load
from binding_contracts.traffic.tally import check_cassette

Doc = dict[str, Any]

WRITERS: dict[str, tuple[str, Callable[[Doc], str]]] = {
    "vcrpy yaml": (".yaml", yamlserializer.serialize),
    "vcrpy json": (".json", jsonserializer.serialize),
    "flow": (".yaml", lambda doc: yaml.safe_dump(doc, default_flow_style=True, width=60)),
    "double-quoted": (".yaml", lambda doc: yaml.safe_dump(doc, default_style='"', width=1 << 20)),
    "single-quoted": (".yaml", lambda doc: yaml.safe_dump(doc, default_style="'", width=50)),
    "narrow": (".yaml", lambda doc: yaml.safe_dump(doc, width=20)),
    "literal": (".yaml", lambda doc: yaml.safe_dump(doc, default_style="|")),
    "compact json": (".yml", lambda doc: json.dumps(doc, separators=(",", ":"), ensure_ascii=True)),
}

_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
secrets = st.text(_ALNUM, min_size=8, max_size=24).map(lambda s: "s3" + s)  # never a placeholder
identities = st.text(_ALNUM + " é@+&=:/%?#", min_size=1, max_size=12).map(lambda s: "id" + s)  # never a sid
bodies = st.sampled_from(["form", "json", "none"])


def interaction(uri: str, body: str | None, request_headers: Doc, response: Doc) -> Doc:
    request = {"method": "POST", "uri": uri, "body": body, "headers": request_headers}
    return {"request": request, "response": response}


def response(body: str, headers: Doc | None = None) -> Doc:
    return {"status": {"code": 200, "message": "OK"}, "headers": headers or {}, "body": {"string": body}}


def plant(secret: str, identity: str, body_kind: str) -> tuple[Doc, list[tuple[str, str]]]:
    """A cassette whose second interaction holds a fact in every part, and each fact's
    (what its finding's message says, the text it starts with in the cassette as written)."""
    path, query = segment(identity), quote_plus(identity)  # as a client writes them
    uri = (
        f"https://ops:{secret}P@chat.twilio.com/v2/Services/IS1/Users/{path}/Channels"
        f"?Identity={query}&PageSize=5&AuthToken={secret}Q"
    )
    facts = [
        ("userinfo", f"ops:{secret}P"),
        (f"identity '{identity}'", f"{path}/Channels"),
        (f"identity '{identity}'", f"Identity={query}&"),
        ("query parameter AuthToken", f"AuthToken={secret}Q"),
        ("request's Authorization header", f"Basic {secret}A"),
        ("response's X-Twilio-Signature header", f"{secret}S"),
        ("response body's client_secret", '"client_secret"'),
        (f"identity '{identity}R'", '"identity"'),
    ]
    request_body: str | None = None
    if body_kind == "form":
        request_body = f"FriendlyName=x&Password={secret}F&Identity={query}F"
        facts.append(("request body's Password", f"Password={secret}F"))
        facts.append((f"request body's identity '{identity}F'", f"Identity={query}F"))
    elif body_kind == "json":
        request_body = json.dumps(
            {"friendly_name": "x", "api_secret": f"{secret}J", "identity": f"{identity}J"}
        )
        facts.append(("request body's api_secret", '"api_secret"'))
        facts.append((f"request body's identity '{identity}J'", '"identity"'))
    headers = {"Accept": ["application/json"], "Authorization": [f"Basic {secret}A"]}
    answer = json.dumps({"sid": "x", "client_secret": f"{secret}B", "identity": f"{identity}R"})
    planted = interaction(
        uri, request_body, headers, response(answer, {"X-Twilio-Signature": [f"{secret}S"]})
    )
    clean = interaction("https://chat.twilio.com/v2/Services", None, {}, response("{}"))
    return {"version": 1, "interactions": [clean, planted]}, facts


def written(text: str, line: int, column: int) -> str:
    """The cassette's text from a line and column on, as the formats count them."""
    return text.split("\n")[line - 1][column - 1 :]


def unescaped(fact: str) -> tuple[str, ...]:
    """A fact's text as a YAML or JSON string writes it: as it is, or with its quotes escaped."""
    return (fact, fact.replace('"', '\\"'))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(secrets, identities, bodies, st.sampled_from(sorted(WRITERS)))
@example("s3abcdefgh", "idkim", "form", "vcrpy yaml")
@example("s3abcdefgh", "idkim", "json", "vcrpy json")
@example("s3abcdefgh", "idkim", "form", "literal")
@example("s3abcdefgh", "idkim", "json", "flow")
def test_each_finding_is_at_its_fact_in_the_cassette(
    tmp_path: Path, secret: str, identity: str, body_kind: str, writer: str
) -> None:
    doc, facts = plant(secret, identity, body_kind)
    suffix, dump = WRITERS[writer]
    path = tmp_path / f"leak{suffix}"
    text = dump(doc)
    path.write_text(text, encoding="utf-8")
    cassette = load(str(path))
    checked = check_cassette(
        str(path), cassette.interactions, profile="strict", strict_fields=False, require_redacted=True
    )
    placed = place_cassette(str(path), cassette.interactions, checked.reports)
    assert placed
    assert all(f.line is not None for f in placed)
    unmatched = list(facts)
    for finding in placed:
        assert finding.column is not None
        there = written(text, finding.line or 0, finding.column)
        match = next(
            (
                fact
                for fact in unmatched
                if fact[0] in finding.message and there.startswith(unescaped(fact[1]))
            ),
            None,
        )
        assert match is not None, (finding.message, there, writer)
        unmatched.remove(match)
    assert not unmatched, (unmatched, writer)


def test_findings_of_the_same_rule_in_one_interaction_are_told_apart(tmp_path: Path) -> None:
    """Two secrets of one rule and pointer in one interaction: each keeps its own place and key."""
    doc, _ = plant("s3abcdefgh", "idkim", "form")
    path = tmp_path / "leak.yaml"
    path.write_text(yamlserializer.serialize(doc), encoding="utf-8")
    cassette = load(str(path))
    checked = check_cassette(str(path), cassette.interactions, profile="strict", strict_fields=False)
    placed = place_cassette(str(path), cassette.interactions, checked.reports)
    secrets_found = [f for f in placed if f.rule == "cassette.secret"]
    assert len({(f.line, f.column) for f in secrets_found}) == len(secrets_found) == 6
    assert {f.key for f in secrets_found} >= {
        "#1/request/uri",
        "#1/request/body",
        "#1/request/headers/Authorization/0",
        "#1/response/headers/X-Twilio-Signature/0",
        "#1",
    }


@pytest.mark.parametrize("writer", ["vcrpy yaml", "vcrpy json"])
def test_a_wrong_status_is_placed_on_the_status_code(tmp_path: Path, writer: str) -> None:
    suffix, dump = WRITERS[writer]
    listing = "https://chat.twilio.com/v2/Services/IS00000000000000000000000000000000/Bindings"
    doc = {"version": 1, "interactions": [interaction(listing, None, {}, response("{}"))]}
    doc["interactions"][0]["response"]["status"]["code"] = 201
    doc["interactions"][0]["request"]["method"] = "GET"
    path = tmp_path / f"status{suffix}"
    text = dump(doc)
    path.write_text(text, encoding="utf-8")
    cassette = load(str(path))
    checked = check_cassette(str(path), cassette.interactions, profile="strict", strict_fields=False)
    placed = place_cassette(str(path), cassette.interactions, checked.reports)
    status = next(f for f in placed if f.rule == "response.status")
    assert written(text, status.line or 0, status.column or 1).startswith("201")
