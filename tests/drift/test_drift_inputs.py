"""Spec drift inputs: spec files that are not what they should be, the spellings OpenAPI allows,
baselines, and the schema-node comparison on its own."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from binding_contracts import InputError
from binding_contracts._json import pointer, resolve
from binding_contracts.drift import (
    Baseline,
    SpecError,
    check_spec,
    load_baseline,
    parse_baseline,
    shipped_baseline,
)
from binding_contracts.drift.differences import Collector
from binding_contracts.drift.nodes import view
from binding_contracts.drift.openapi import Location
from binding_contracts.drift.schema_diff import compare, fixed_width
from conftest import spec
from drift_helpers import ITEM, LIST, PATHS, Doc, component, fields, operation, param


def no_binding_paths(doc: Doc) -> None:
    for path in PATHS:
        del doc["paths"][path]


def dangling_ref(doc: Doc) -> None:
    fields(doc, "binding")["sid"] = {"$ref": "#/components/schemas/nowhere"}


def external_ref(doc: Doc) -> None:
    fields(doc, "binding")["sid"] = {"$ref": "common.json#/components/schemas/sid"}


def circular_ref(doc: Doc) -> None:
    doc["components"]["schemas"]["loop"] = {"$ref": "#/components/schemas/loop"}
    fields(doc, "binding")["sid"] = {"$ref": "#/components/schemas/loop"}


BAD_SPECS: dict[str, tuple[Any, str]] = {
    "a JSON array": (lambda doc: [doc], "is an array, expected an OpenAPI 3 document"),
    "Swagger 2.0": (
        lambda doc: {"swagger": "2.0", "paths": doc["paths"]},
        "is Swagger '2.0', expected OpenAPI 3",
    ),
    "OpenAPI 2": (lambda doc: {**doc, "openapi": "2.0"}, "is OpenAPI '2.0', expected OpenAPI 3"),
    "no openapi member": (lambda doc: {"paths": doc["paths"]}, "no 'openapi' member"),
    "paths not an object": (lambda doc: {**doc, "paths": []}, "/paths: the paths object is an array"),
    "no Binding path": (no_binding_paths, "describes no Binding path"),
    "a dangling $ref": (dangling_ref, "resolves to nothing"),
    "an external $ref": (external_ref, "points outside the file"),
    "a circular $ref": (circular_ref, "a cycle?"),
    "parameters not a list": (
        lambda doc: operation(doc, "read-bindings").update(parameters={}),
        "expected an array",
    ),
    "a parameter without a name": (
        lambda doc: operation(doc, "read-bindings")["parameters"].append({"in": "query"}),
        "needs a string 'name' and 'in'",
    ),
    "a schema that is a string": (
        lambda doc: fields(doc, "binding").update(sid="string"),
        "a schema is a string, expected an object",
    ),
    "a maximum that is a string": (
        lambda doc: param(doc, "read-bindings", "PageSize")["schema"].update(maximum="50"),
        "maximum is a string",
    ),
}


class TestSpecReading:
    @pytest.mark.parametrize("name", sorted(BAD_SPECS))
    def test_a_spec_that_cannot_be_compared_raises_a_spec_error_naming_the_file(self, name: str) -> None:
        change, problem = BAD_SPECS[name]
        doc = spec()
        changed = change(doc)
        with pytest.raises(SpecError) as raised:
            check_spec(doc if changed is None else changed, "spec.json")
        assert str(raised.value).startswith("spec.json: ")
        assert problem in str(raised.value)
        assert isinstance(raised.value, InputError)

    def test_a_broken_ref_is_reported_at_the_pointer_that_holds_it(self) -> None:
        doc = spec()
        dangling_ref(doc)
        with pytest.raises(
            SpecError, match=r"/components/schemas/chat\.v2\.service\.binding/properties/sid: "
        ):
            check_spec(doc, "spec.json")


def _pointers(node: object, at: str = "") -> list[str]:
    out = [at]
    if isinstance(node, dict):
        out += [
            p
            for k, v in node.items()
            for p in _pointers(v, f"{at}/{k.replace('~', '~0').replace('/', '~1')}")
        ]
    elif isinstance(node, list):
        out += [p for i, v in enumerate(node) for p in _pointers(v, f"{at}/{i}")]
    return out


_BINDING_PARTS = [pointer(["paths", p]) for p in PATHS] + [
    pointer(["components", "schemas", component(spec(), kind)]) for kind in ("binding", "user-binding")
]
CORRUPTIBLE = sorted(p for root in _BINDING_PARTS for p in _pointers(resolve(spec(), root), root))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


class TestRobustness:
    @given(where=st.sampled_from(CORRUPTIBLE), value=JSON_VALUES)
    @example(
        where=pointer(["components", "schemas", component(spec(), "binding"), "properties"]), value={"²": {}}
    )
    def test_any_value_anywhere_in_the_binding_parts_gives_a_report_or_a_spec_error(
        self, where: str, value: object
    ) -> None:
        doc = spec()
        parent_ptr, _, last = where.rpartition("/")
        parent = resolve(doc, parent_ptr)
        key = last.replace("~1", "/").replace("~0", "~")
        if isinstance(parent, list):
            parent[int(key)] = value
        else:
            assert isinstance(parent, dict)
            parent[key] = value
        with contextlib.suppress(SpecError):
            check_spec(doc, "spec.json")


def to_openapi_31(node: object) -> object:
    """OpenAPI 3.1 spells ``nullable: true`` as a type list with "null"."""
    if isinstance(node, list):
        return [to_openapi_31(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: to_openapi_31(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable") is True and isinstance(node.get("type"), str):
        out["type"] = [node["type"], "null"]
    return out


class TestSpellings:
    def test_openapi_31_type_lists_compare_like_30_nullable(self) -> None:
        doc = to_openapi_31(spec())
        assert isinstance(doc, dict)
        doc["openapi"] = "3.1.0"
        assert check_spec(doc).ok

    def test_servers_at_the_top_of_the_document_name_the_host(self) -> None:
        doc = spec("ip-messaging")
        for path in PATHS:
            del doc["paths"][path]["servers"]
        report = check_spec(doc)
        assert (report.ok, report.hosts) == (True, ("ip-messaging.twilio.com",))

    def test_server_variables_are_replaced_by_their_defaults(self) -> None:
        doc = spec()
        server = {"url": "https://{host}", "variables": {"host": {"default": "chat.twilio.com"}}}
        doc["paths"][LIST]["servers"] = [server]
        assert check_spec(doc).ok

    def test_a_relative_server_names_no_host_and_is_drift(self) -> None:
        doc = spec()
        doc["paths"][ITEM]["servers"] = [{"url": "/"}]
        assert {d.id for d in check_spec(doc).differences} == {
            "path.server /v2/Services/{ServiceSid}/Bindings/{Sid}"
        }

    def test_parameters_on_the_path_item_and_through_refs_count(self) -> None:
        doc = spec()
        item = doc["paths"][ITEM]
        shared = operation(doc, "fetch-binding").pop("parameters")
        del operation(doc, "delete-binding")["parameters"]
        doc["components"]["parameters"] = {"Sid": shared[1]}
        item["parameters"] = [shared[0], {"$ref": "#/components/parameters/Sid"}]
        assert check_spec(doc).ok

    def test_a_response_through_a_ref_and_a_json_media_type_of_another_name_count(self) -> None:
        doc = spec()
        responses = operation(doc, "fetch-binding")["responses"]
        doc["components"]["responses"] = {"Binding": responses["200"]}
        responses["200"] = {"$ref": "#/components/responses/Binding"}
        content = doc["components"]["responses"]["Binding"]["content"]
        content["application/json; charset=utf-8"] = content.pop("application/json")
        assert check_spec(doc).ok


def _ids(doc: Doc) -> set[str]:
    return {d.id for d in check_spec(doc).differences}


class TestQuirks:
    def test_a_spec_that_names_no_server_anywhere_drifts_on_every_path(self) -> None:
        doc = spec()
        del doc["servers"]
        for path in PATHS:
            del doc["paths"][path]["servers"]
        assert _ids(doc) == {f"path.server {p}" for p in PATHS}

    @pytest.mark.parametrize(
        "servers",
        [
            ["https://chat.twilio.com"],
            [{"url": 3}],
            [{"url": "https://[::1"}],
            [{"url": "https://{h}", "variables": {"h": 1}}],
        ],
    )
    def test_a_server_that_names_no_host_is_drift(self, servers: list[object]) -> None:
        doc = spec()
        doc["paths"][LIST]["servers"] = servers
        assert _ids(doc) == {f"path.server {LIST}"}

    def test_a_path_item_ref_cycle_is_a_spec_error(self) -> None:
        doc = spec()
        doc["paths"][LIST] = {"$ref": "#/paths/~1v2~1Services~1{ServiceSid}~1Bindings"}
        with pytest.raises(SpecError, match="a cycle"):
            check_spec(doc, "spec.json")

    def test_a_body_in_another_media_type_than_json_is_no_body(self) -> None:
        doc = spec()
        content = operation(doc, "fetch-binding")["responses"]["200"]["content"]
        content["text/html"] = content.pop("application/json")
        assert _ids(doc) == {"response.removed fetch-binding"}

    def test_two_new_arrays_beside_a_missing_items_key_are_not_taken_for_a_rename(self) -> None:
        doc = spec()
        members = operation(doc, "read-bindings")["responses"]["200"]["content"]["application/json"]["schema"]
        members["properties"]["results"] = members["properties"].pop("bindings")
        members["properties"]["others"] = {"type": "array"}
        assert _ids(doc) == {
            "field.removed binding-page.bindings",
            "field.added binding-page.results",
            "field.added binding-page.others",
        }


class _Nodes:
    """A document of nodes written by a test (for the comparison of nodes on their own)."""

    def __init__(self, **nodes: object) -> None:
        self.nodes = nodes

    def lookup(self, ref: str, at: Location) -> tuple[Location, object]:
        return ("", ref), self.nodes[ref]

    def error(self, at: Location, problem: str) -> Exception:
        return ValueError(problem)


class TestSchemaNodes:
    def test_a_narrower_type_in_the_spec_is_type_narrowed(self) -> None:
        out = Collector("spec.json")
        ours = view(_Nodes(), {"type": ["number", "string"]}, ("ours.json", ""))
        theirs = view(_Nodes(), {"type": "integer"}, ("", "/x"))
        compare(ours, theirs, "thing", out)
        (diff,) = out.found.values()
        assert (diff.type, diff.impact, diff.pointer, diff.message) == (
            "type.narrowed",
            "breaking",
            "/x/type",
            "thing: type 'number|string' -> 'integer'",
        )

    def test_null_in_an_enum_makes_a_node_nullable(self) -> None:
        node = view(_Nodes(), {"type": "string", "enum": ["gcm", None]}, ("", "/p"))
        assert (node.enum(), node.nullable_at) == (["gcm"], ("", "/p/enum"))

    def test_a_ref_to_a_nullable_union_is_followed(self) -> None:
        doc = _Nodes(sid={"anyOf": [{"type": "null"}, {"type": "string"}]})
        node = view(doc, {"$ref": "sid"}, ("", "/p"))
        assert (node.types, node.nullable_at) == (frozenset({"string"}), ("", "sid/anyOf"))

    @pytest.mark.parametrize(
        ("pattern", "width"),
        [
            ("^BS[0-9a-fA-F]{32}$", 34),
            ("^US[0-9a-f]{32}$", 34),
            (r"^a\.b$", 3),
            ("^[0-9]{2}-[0-9]{2}$", 5),
            ("^BS[0-9a-f]+$", None),
            ("^a{1,3}$", None),
            ("BS[0-9a-f]{32}", None),
            (r"^a|b$", None),
            (r"^\d{3}$", None),
        ],
    )
    def test_only_an_anchored_fixed_width_pattern_implies_a_length(
        self, pattern: str, width: int | None
    ) -> None:
        assert fixed_width(pattern) == width


def write(tmp_path: Path, content: object) -> str:
    path = tmp_path / "baseline.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


BAD_BASELINES: dict[str, tuple[object, str]] = {
    "not JSON": ("{accepted: []}", "is not JSON"),
    "a list": ([], "is not a baseline"),
    "no accepted list": ({"ignore": []}, "is not a baseline"),
    "an entry without a reason": ({"accepted": [{"id": "field.added binding.x"}]}, "accepted[0] is ['id']"),
    "an entry with an empty reason": (
        {"accepted": [{"id": "field.added binding.x", "reason": " "}]},
        "not empty",
    ),
    "an entry of the wrong type": ({"accepted": ["field.added binding.x"]}, "accepted[0] is a string"),
    "an unknown type": (
        {"accepted": [{"id": "feild.added binding.x", "reason": "r"}]},
        "did you mean 'field.added'?",
    ),
    "an id without a subject": ({"accepted": [{"id": "field.added", "reason": "r"}]}, "not 'TYPE SUBJECT'"),
}


class TestBaseline:
    def test_the_shipped_baseline_gives_a_reason_for_every_entry(self) -> None:
        entries = shipped_baseline().entries
        assert entries
        assert all(len(e.reason) > 20 for e in entries)

    def test_a_users_baseline_accepts_the_differences_it_lists(self, tmp_path: Path) -> None:
        doc = spec()
        del fields(doc, "binding")["endpoint"]
        reason = "we never read the endpoint"
        baseline = load_baseline(
            write(tmp_path, {"accepted": [{"id": "field.removed binding.endpoint", "reason": reason}]})
        )
        report = check_spec(doc, baseline=baseline)
        assert report.ok
        assert "field.removed binding.endpoint" in {d.id for d in report.accepted}

    def test_a_users_baseline_adds_to_the_shipped_one(self) -> None:
        report = check_spec(spec(), baseline=Baseline())
        assert {d.id for d in report.accepted} == {
            i for i in shipped_baseline().ids if "conversations" not in i
        }

    @pytest.mark.parametrize("name", sorted(BAD_BASELINES))
    def test_a_bad_baseline_is_an_input_error_naming_the_file(self, name: str, tmp_path: Path) -> None:
        content, problem = BAD_BASELINES[name]
        path = write(tmp_path, content)
        with pytest.raises(InputError) as raised:
            load_baseline(path)
        assert str(raised.value).startswith(f"{path}: ")
        assert problem in str(raised.value)

    def test_a_baseline_may_carry_a_description(self) -> None:
        doc = {"description": "ours", "accepted": [{"id": "field.added binding.x", "reason": "r"}]}
        assert parse_baseline(doc, "b.json").ids == {"field.added binding.x"}
