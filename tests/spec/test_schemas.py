"""schemas/: shipped in the wheel, loaded through a registry, two profiles, formats enforced."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from binding_contracts import KINDS, check
from binding_contracts.spec.formats import is_absolute_uri, is_date_time
from binding_contracts.spec.schemas import profile_schemas, raw_schemas, registry, schema_dir
from conftest import ROOT
from wheels import session_wheel


class TestSchemaFiles:
    def test_each_kind_has_a_2020_12_schema_with_an_id(self) -> None:
        docs = raw_schemas()
        for kind in KINDS:
            doc = docs[f"{kind}.schema.json"]
            assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
            assert doc["$id"].endswith(f"/{kind}.schema.json")

    def test_every_ref_resolves_in_the_registry(self) -> None:
        for profile in ("strict", "published"):
            reg = registry(profile)
            for doc in profile_schemas(profile).values():
                resolver = reg.resolver(base_uri=doc["$id"])
                for ref in _refs(doc):
                    resolver.lookup(ref)

    def test_the_editable_install_reads_the_checkout(self) -> None:
        assert schema_dir() == ROOT / "schemas"


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if "$ref" in node else []
        return own + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


class TestPublishedProfile:
    def test_nothing_is_required_and_nullable_fields_accept_null(self, binding: dict[str, Any]) -> None:
        nulls = {k: None for k in binding if k != "binding_type"}
        assert check({"binding_type": "apn", **nulls}, kind="binding", profile="published").ok
        assert check({}, kind="binding", profile="published").ok

    def test_the_published_profile_keeps_patterns_and_enums(self) -> None:
        report = check({"sid": "BS1", "binding_type": "push"}, kind="binding", profile="published")
        assert report.rules() == {"schema.pattern", "schema.enum"}

    def test_the_published_profile_is_derived_not_kept_by_hand(self) -> None:
        names = {p.name for p in (ROOT / "schemas").iterdir()}
        assert names == {f"{k}.schema.json" for k in KINDS} | {"defs.schema.json"}
        assert profile_schemas("published") != raw_schemas()

    def test_the_error_envelope_is_the_same_in_both_profiles(self) -> None:
        assert profile_schemas("published")["error.schema.json"] == raw_schemas()["error.schema.json"]


class TestFormats:
    @pytest.mark.parametrize("value", ["2016-10-21T11:37:03Z", "2016-10-21T11:37:03.123456+02:00"])
    def test_rfc3339_date_times_pass(self, value: str) -> None:
        assert is_date_time(value)

    @pytest.mark.parametrize(
        "value",
        ["2016-10-21 11:37:03Z", "2016-10-21", "2016-10-21T11:37:03", "2016-13-21T11:37:03Z", ""],
    )
    def test_malformed_date_times_are_rejected(self, value: str, binding: dict[str, Any]) -> None:
        assert not is_date_time(value)
        binding["date_created"] = value
        assert ("schema.format", "/date_created") in {(v.rule, v.path) for v in check(binding).violations}

    @pytest.mark.parametrize("value", ["chat.twilio.com/v2/x", "/v2/Services", "not a url", "http://a b"])
    def test_urls_that_are_not_absolute_uris_are_rejected(self, value: str, binding: dict[str, Any]) -> None:
        assert not is_absolute_uri(value)
        binding["links"]["user"] = value
        assert ("schema.format", "/links/user") in {(v.rule, v.path) for v in check(binding).violations}


@pytest.mark.slow
def test_the_wheel_ships_schemas_identical_to_the_checkout(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    wheel = session_wheel(tmp_path_factory)
    with zipfile.ZipFile(wheel) as zf:
        shipped = {
            Path(n).name: json.loads(zf.read(n))
            for n in zf.namelist()
            if n.startswith("binding_contracts/schemas/")
        }
        assert "binding_contracts/py.typed" in zf.namelist()
        assert "binding_contracts/drift/baseline.json" in zf.namelist()
        for example in (ROOT / "examples" / "migration").glob("*.yaml"):
            assert zf.read(f"binding_contracts/examples/migration/{example.name}") == example.read_bytes()
    on_disk = {p.name: json.loads(p.read_text("utf-8")) for p in (ROOT / "schemas").glob("*.json")}
    assert shipped == on_disk
