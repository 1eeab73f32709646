"""Spec drift: Twilio's specs show none; each change to a spec is named at its pointer, with its class."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from binding_contracts._json import pointer
from binding_contracts.drift import DIFFERENCE_TYPES, DriftReport, check_spec, shipped_baseline
from conftest import SPEC_FILES, spec
from drift_helpers import (
    OPERATIONS,
    PATHS,
    READS,
    Doc,
    body,
    body_ptr,
    enum_component,
    field_ptr,
    fields,
    op_ptr,
    operation,
    param,
    param_index,
    param_ptr,
)


def drift(doc: Doc) -> DriftReport:
    return check_spec(doc, "mutated.json")


class TestReferenceSpecs:
    @pytest.mark.parametrize("name", sorted(SPEC_FILES))
    def test_each_reference_spec_shows_no_drift_against_the_shipped_baseline(self, name: str) -> None:
        report = check_spec(spec(name), name)
        assert report.ok, report.render_text()

    def test_the_two_hosts_are_recognised(self) -> None:
        hosts = {name: check_spec(spec(name)).hosts for name in SPEC_FILES}
        assert hosts == {"chat": ("chat.twilio.com",), "ip-messaging": ("ip-messaging.twilio.com",)}

    @pytest.mark.parametrize("name", sorted(SPEC_FILES))
    def test_every_chat_baseline_entry_is_needed_by_each_chat_spec(self, name: str) -> None:
        accepted = {d.id for d in check_spec(spec(name)).accepted}
        assert accepted == {i for i in shipped_baseline().ids if "conversations" not in i}

    def test_the_conversations_spec_shows_no_drift_and_needs_its_baseline_entries(self) -> None:
        report = check_spec(spec("conversations"), "conversations")
        assert report.ok, report.render_text()
        assert report.hosts == ("conversations.twilio.com",)
        assert {d.id for d in report.accepted} == {i for i in shipped_baseline().ids if "conversations" in i}

    def test_both_specs_drift_alike_under_the_same_change(self) -> None:
        reports = []
        for name in sorted(SPEC_FILES):
            doc = spec(name)
            del fields(doc, "user-binding")["endpoint"]
            reports.append([d.id for d in drift(doc).differences])
        assert reports[0] == reports[1] == ["field.removed user-binding.endpoint"]


# One change per difference type, on the chat spec: (mutate, expected pointer).
Example = Callable[[Doc], str]
EXAMPLES: dict[str, Example] = {}


def example(type_: str) -> Callable[[Example], Example]:
    def register(func: Example) -> Example:
        EXAMPLES[type_] = func
        return func

    return register


@example("field.removed")
def _drop_endpoint(doc: Doc) -> str:
    del fields(doc, "binding")["endpoint"]
    return field_ptr(doc, "binding", "endpoint")


@example("field.added")
def _add_a_field(doc: Doc) -> str:
    fields(doc, "user-binding")["locale"] = {"type": "string", "nullable": True}
    return field_ptr(doc, "user-binding", "locale")


@example("type.changed")
def _sid_becomes_an_integer(doc: Doc) -> str:
    fields(doc, "binding")["sid"]["type"] = "integer"
    return field_ptr(doc, "binding", "sid", "type")


@example("type.widened")
def _page_becomes_a_number(doc: Doc) -> str:
    body(doc, "read-bindings")["properties"]["meta"]["properties"]["page"]["type"] = "number"
    return body_ptr("read-bindings", "properties", "meta", "properties", "page", "type")


@example("nullable.removed")
def _identity_is_no_longer_nullable(doc: Doc) -> str:
    fields(doc, "binding")["identity"]["nullable"] = False
    return field_ptr(doc, "binding", "identity", "nullable")


@example("nullable.added")
def _binding_type_may_be_null(doc: Doc) -> str:
    fields(doc, "binding")["binding_type"]["nullable"] = True
    return field_ptr(doc, "binding", "binding_type", "nullable")


@example("format.changed")
def _date_created_becomes_a_date(doc: Doc) -> str:
    fields(doc, "binding")["date_created"]["format"] = "date"
    return field_ptr(doc, "binding", "date_created", "format")


@example("format.removed")
def _url_loses_its_format(doc: Doc) -> str:
    del fields(doc, "user-binding")["url"]["format"]
    return field_ptr(doc, "user-binding", "url", "format")


@example("pattern.changed")
def _sid_pattern_changes(doc: Doc) -> str:
    fields(doc, "binding")["sid"]["pattern"] = "^BS[0-9a-f]{32}$"
    return field_ptr(doc, "binding", "sid", "pattern")


@example("pattern.removed")
def _user_sid_loses_its_pattern(doc: Doc) -> str:
    del fields(doc, "user-binding")["user_sid"]["pattern"]
    return field_ptr(doc, "user-binding", "user_sid", "pattern")


@example("length.tightened")
def _endpoint_gets_a_max_length(doc: Doc) -> str:
    fields(doc, "binding")["endpoint"]["maxLength"] = 64
    return field_ptr(doc, "binding", "endpoint", "maxLength")


@example("length.relaxed")
def _sid_max_length_grows(doc: Doc) -> str:
    fields(doc, "binding")["sid"]["maxLength"] = 40
    return field_ptr(doc, "binding", "sid", "maxLength")


@example("bound.tightened")
def _page_size_maximum_drops(doc: Doc) -> str:
    param(doc, "read-bindings", "PageSize")["schema"]["maximum"] = 20
    return param_ptr(doc, "read-bindings", "PageSize", "schema", "maximum")


@example("bound.relaxed")
def _page_minimum_goes(doc: Doc) -> str:
    del param(doc, "read-user-bindings", "Page")["schema"]["minimum"]
    return param_ptr(doc, "read-user-bindings", "Page", "schema", "minimum")


@example("enum.value-removed")
def _fcm_goes(doc: Doc) -> str:
    name = enum_component(doc, "user-binding")
    doc["components"]["schemas"][name]["enum"].remove("fcm")
    return pointer(["components", "schemas", name, "enum"])


@example("enum.value-added")
def _apns_arrives(doc: Doc) -> str:
    name = enum_component(doc, "binding")
    doc["components"]["schemas"][name]["enum"].append("apns")
    return pointer(["components", "schemas", name, "enum"])


@example("enum.added")
def _identity_gets_an_enum(doc: Doc) -> str:
    fields(doc, "binding")["identity"]["enum"] = ["alice", "bob"]
    return field_ptr(doc, "binding", "identity", "enum")


@example("enum.removed")
def _binding_type_loses_its_enum(doc: Doc) -> str:
    name = enum_component(doc, "binding")
    del doc["components"]["schemas"][name]["enum"]
    return pointer(["components", "schemas", name, "enum"])


@example("list.items-key")
def _items_move_to_results(doc: Doc) -> str:
    members = body(doc, "read-user-bindings")["properties"]
    members["results"] = members.pop("bindings")
    return body_ptr("read-user-bindings", "properties", "results")


@example("path.removed")
def _user_list_path_goes(doc: Doc) -> str:
    path = OPERATIONS["read-user-bindings"][0]
    del doc["paths"][path]
    return pointer(["paths", path])


@example("path.renamed")
def _sid_placeholder_renamed(doc: Doc) -> str:
    path = OPERATIONS["fetch-binding"][0]
    renamed = path.replace("{Sid}", "{BindingSid}")
    doc["paths"][renamed] = doc["paths"].pop(path)
    return pointer(["paths", renamed])


@example("path.server")
def _list_served_by_conversations(doc: Doc) -> str:
    path = OPERATIONS["read-bindings"][0]
    doc["paths"][path]["servers"] = [{"url": "https://conversations.twilio.com"}]
    return pointer(["paths", path, "servers"])


@example("operation.removed")
def _delete_goes(doc: Doc) -> str:
    path, method, _ = OPERATIONS["delete-user-binding"]
    del doc["paths"][path][method]
    return op_ptr("delete-user-binding")


@example("operation.added")
def _create_arrives(doc: Doc) -> str:
    path = OPERATIONS["read-bindings"][0]
    doc["paths"][path]["post"] = {"responses": {"201": {"description": "Created"}}}
    return pointer(["paths", path, "post"])


@example("status.changed")
def _fetch_answers_203(doc: Doc) -> str:
    responses = operation(doc, "fetch-binding")["responses"]
    responses["203"] = responses.pop("200")
    return op_ptr("fetch-binding", "responses", "200")


@example("status.added")
def _delete_may_answer_202(doc: Doc) -> str:
    operation(doc, "delete-binding")["responses"]["202"] = {"description": "Accepted"}
    return op_ptr("delete-binding", "responses", "202")


@example("response.removed")
def _fetch_documents_no_body(doc: Doc) -> str:
    del operation(doc, "fetch-user-binding")["responses"]["200"]["content"]
    return op_ptr("fetch-user-binding", "responses", "200", "content")


@example("parameter.removed")
def _identity_filter_goes(doc: Doc) -> str:
    del operation(doc, "read-bindings")["parameters"][param_index(doc, "read-bindings", "Identity")]
    return op_ptr("read-bindings", "parameters")


@example("parameter.added")
def _endpoint_filter_arrives(doc: Doc) -> str:
    listed = operation(doc, "read-bindings")["parameters"]
    listed.append({"name": "Endpoint", "in": "query", "schema": {"type": "string"}})
    return op_ptr("read-bindings", "parameters", len(listed) - 1)


@example("parameter.added-required")
def _required_header_arrives(doc: Doc) -> str:
    listed = operation(doc, "delete-binding")["parameters"]
    listed.append({"name": "X-Twilio-Reason", "in": "header", "required": True, "schema": {"type": "string"}})
    return op_ptr("delete-binding", "parameters", len(listed) - 1)


@example("parameter.location")
def _page_token_moves_to_a_header(doc: Doc) -> str:
    param(doc, "read-bindings", "PageToken")["in"] = "header"
    return param_ptr(doc, "read-bindings", "PageToken", "in")


@example("parameter.required")
def _page_size_becomes_required(doc: Doc) -> str:
    param(doc, "read-user-bindings", "PageSize")["required"] = True
    return param_ptr(doc, "read-user-bindings", "PageSize", "required")


@example("parameter.repeatable")
def _page_size_may_repeat(doc: Doc) -> str:
    found = param(doc, "read-bindings", "PageSize")
    found["schema"] = {"type": "array", "items": found["schema"]}
    return param_ptr(doc, "read-bindings", "PageSize", "schema", "type")


@example("parameter.single")
def _binding_type_may_not_repeat(doc: Doc) -> str:
    found = param(doc, "read-user-bindings", "BindingType")
    found["schema"] = found["schema"]["items"]
    return param_ptr(doc, "read-user-bindings", "BindingType", "schema", "type")


class TestEachDifferenceType:
    @pytest.mark.parametrize("type_", sorted(EXAMPLES))
    def test_the_example_change_is_reported_with_its_type_and_pointer(self, type_: str) -> None:
        doc = spec()
        where = EXAMPLES[type_](doc)
        report = drift(doc)
        assert (type_, where) in {(d.type, d.pointer) for d in report.differences}, report.render_text()
        assert not report.ok

    def test_every_difference_type_has_an_example(self) -> None:
        # type.narrowed cannot arise from a spec today: no type in schemas/ has a narrower JSON
        # type; TestSchemaNodes covers it on nodes of its own.
        assert set(EXAMPLES) | {"type.narrowed"} == set(DIFFERENCE_TYPES)

    def test_a_difference_names_its_subject_and_both_values(self) -> None:
        doc = spec()
        _page_size_maximum_drops(doc)
        (diff,) = drift(doc).differences
        assert diff.id == "bound.tightened read-bindings.PageSize"
        assert (diff.old, diff.new, diff.impact) == (50, 20, "breaking")
        assert diff.message == "read-bindings.PageSize: maximum 50 -> 20"
        assert diff.schema == "defs.schema.json#/$defs/page_size_param/maximum"

    def test_a_field_difference_names_the_schema_file_that_holds_the_field(self) -> None:
        doc = spec("ip-messaging")
        _identity_is_no_longer_nullable(doc)
        (diff,) = drift(doc).differences
        assert diff.schema == "binding.schema.json#/properties/identity/x-twilio-nullable"
        assert diff.message == "binding.identity: nullable true -> false"


# The mutation catalogue: each draws what to change, changes it, and says what the report must
# hold (type, class and pointer) and under which pointer every difference must lie.
@dataclass(frozen=True)
class Expect:
    type: str
    impact: str
    pointer: str
    scope: str = ""


Mutation = Callable[[Doc, st.DataObject], Expect]
MUTATIONS: dict[str, Mutation] = {}


def mutation(func: Mutation) -> Mutation:
    MUTATIONS[func.__name__] = func
    return func


ITEM_KIND = st.sampled_from(["binding", "user-binding"])
NAME = st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True)


@mutation
def drop_a_field(doc: Doc, data: st.DataObject) -> Expect:
    kind = data.draw(ITEM_KIND)
    name = data.draw(st.sampled_from(sorted(fields(doc, kind))))
    del fields(doc, kind)[name]
    return Expect("field.removed", "breaking", field_ptr(doc, kind, name))


@mutation
def add_a_field(doc: Doc, data: st.DataObject) -> Expect:
    kind = data.draw(ITEM_KIND)
    name = data.draw(NAME.filter(lambda n: n not in fields(doc, kind)))
    schema = data.draw(st.sampled_from([{"type": "string"}, {"type": "integer", "nullable": True}]))
    fields(doc, kind)[name] = schema
    return Expect("field.added", "additive", field_ptr(doc, kind, name))


@mutation
def remove_an_enum_value(doc: Doc, data: st.DataObject) -> Expect:
    name = enum_component(doc, data.draw(ITEM_KIND))
    values = doc["components"]["schemas"][name]["enum"]
    values.remove(data.draw(st.sampled_from(values)))
    return Expect("enum.value-removed", "breaking", pointer(["components", "schemas", name, "enum"]))


@mutation
def add_an_enum_value(doc: Doc, data: st.DataObject) -> Expect:
    name = enum_component(doc, data.draw(ITEM_KIND))
    values = doc["components"]["schemas"][name]["enum"]
    values.insert(data.draw(st.integers(0, len(values))), data.draw(NAME.filter(lambda v: v not in values)))
    return Expect("enum.value-added", "additive", pointer(["components", "schemas", name, "enum"]))


@mutation
def change_a_pattern(doc: Doc, data: st.DataObject) -> Expect:
    kind = data.draw(ITEM_KIND)
    name = data.draw(st.sampled_from(sorted(n for n, f in fields(doc, kind).items() if "pattern" in f)))
    old = fields(doc, kind)[name]["pattern"]
    prefix = data.draw(st.from_regex(r"[A-Z]{2}", fullmatch=True).filter(lambda p: p != old[1:3]))
    fields(doc, kind)[name]["pattern"] = f"^{prefix}{old[3:]}"
    return Expect("pattern.changed", "breaking", field_ptr(doc, kind, name, "pattern"))


@mutation
def make_a_field_non_nullable(doc: Doc, data: st.DataObject) -> Expect:
    kind = data.draw(ITEM_KIND)
    name = data.draw(st.sampled_from(sorted(n for n, f in fields(doc, kind).items() if f.get("nullable"))))
    if data.draw(st.booleans()):
        del fields(doc, kind)[name]["nullable"]
    else:
        fields(doc, kind)[name]["nullable"] = False
    return Expect("nullable.removed", "breaking", field_ptr(doc, kind, name, "nullable"))


@mutation
def change_a_field_type(doc: Doc, data: st.DataObject) -> Expect:
    kind = data.draw(ITEM_KIND)
    name = data.draw(st.sampled_from(sorted(n for n, f in fields(doc, kind).items() if "type" in f)))
    old = fields(doc, kind)[name]["type"]
    new = data.draw(
        st.sampled_from([t for t in ("string", "integer", "boolean", "array", "object") if t != old])
    )
    fields(doc, kind)[name]["type"] = new
    return Expect("type.changed", "breaking", field_ptr(doc, kind, name, "type"))


@mutation
def change_the_page_size_maximum(doc: Doc, data: st.DataObject) -> Expect:
    op = data.draw(st.sampled_from(READS))
    new = data.draw(st.integers(1, 1000).filter(lambda n: n != 50))
    param(doc, op, "PageSize")["schema"]["maximum"] = new
    change, impact = ("bound.tightened", "breaking") if new < 50 else ("bound.relaxed", "additive")
    return Expect(change, impact, param_ptr(doc, op, "PageSize", "schema", "maximum"))


@mutation
def remove_a_path(doc: Doc, data: st.DataObject) -> Expect:
    path = data.draw(st.sampled_from(PATHS))
    del doc["paths"][path]
    return Expect("path.removed", "breaking", pointer(["paths", path]))


@mutation
def remove_an_operation(doc: Doc, data: st.DataObject) -> Expect:
    op = data.draw(st.sampled_from(sorted(OPERATIONS)))
    path, method, _ = OPERATIONS[op]
    del doc["paths"][path][method]
    return Expect("operation.removed", "breaking", op_ptr(op))


@mutation
def change_a_success_status(doc: Doc, data: st.DataObject) -> Expect:
    op = data.draw(st.sampled_from(sorted(OPERATIONS)))
    status = OPERATIONS[op][2]
    new = data.draw(st.sampled_from([s for s in ("200", "201", "202", "204", "206") if s != status]))
    responses = operation(doc, op)["responses"]
    responses[new] = responses.pop(status)
    where = op_ptr(op, "responses", status)
    return Expect("status.changed", "breaking", where, scope=op_ptr(op, "responses"))


@mutation
def rename_the_items_key(doc: Doc, data: st.DataObject) -> Expect:
    op = data.draw(st.sampled_from(READS))
    members = body(doc, op)["properties"]
    key = data.draw(NAME.filter(lambda k: k not in members))
    members[key] = members.pop("bindings")
    return Expect(
        "list.items-key", "breaking", body_ptr(op, "properties", key), scope=body_ptr(op, "properties")
    )


@mutation
def drop_a_meta_field(doc: Doc, data: st.DataObject) -> Expect:
    op = data.draw(st.sampled_from(READS))
    meta = body(doc, op)["properties"]["meta"]["properties"]
    name = data.draw(st.sampled_from(sorted(meta)))
    del meta[name]
    return Expect("field.removed", "breaking", body_ptr(op, "properties", "meta", "properties", name))


@mutation
def add_a_query_parameter(doc: Doc, data: st.DataObject) -> Expect:
    op = data.draw(st.sampled_from(sorted(OPERATIONS)))
    listed = operation(doc, op)["parameters"]
    taken = {p["name"] for p in listed}
    name = data.draw(st.from_regex(r"[A-Z][A-Za-z]{0,11}", fullmatch=True).filter(lambda n: n not in taken))
    required = data.draw(st.booleans())
    listed.append({"name": name, "in": "query", "required": required, "schema": {"type": "string"}})
    change, impact = ("parameter.added-required", "breaking") if required else ("parameter.added", "additive")
    return Expect(change, impact, op_ptr(op, "parameters", len(listed) - 1))


@mutation
def remove_a_parameter(doc: Doc, data: st.DataObject) -> Expect:
    op = data.draw(st.sampled_from(sorted(OPERATIONS)))
    listed = operation(doc, op)["parameters"]
    del listed[data.draw(st.integers(0, len(listed) - 1))]
    return Expect("parameter.removed", "breaking", op_ptr(op, "parameters"), scope=op_ptr(op))


@mutation
def move_a_parameter(doc: Doc, data: st.DataObject) -> Expect:
    op = data.draw(st.sampled_from(sorted(OPERATIONS)))
    listed = operation(doc, op)["parameters"]
    index = data.draw(st.integers(0, len(listed) - 1))
    old = listed[index]["in"]
    listed[index]["in"] = data.draw(
        st.sampled_from([w for w in ("query", "path", "header", "cookie") if w != old])
    )
    return Expect("parameter.location", "breaking", op_ptr(op, "parameters", index, "in"))


@mutation
def serve_a_path_from_another_host(doc: Doc, data: st.DataObject) -> Expect:
    path = data.draw(st.sampled_from(PATHS))
    host = data.draw(st.sampled_from(["conversations.twilio.com", "chat.twilio.example", "localhost"]))
    doc["paths"][path]["servers"] = [{"url": f"https://{host}"}]
    return Expect("path.server", "breaking", pointer(["paths", path, "servers"]))


@mutation
def narrow_a_page_parameter(doc: Doc, data: st.DataObject) -> Expect:
    op = data.draw(st.sampled_from(READS))
    name, keyword = data.draw(st.sampled_from([("PageSize", "minimum"), ("Page", "minimum")]))
    schema = param(doc, op, name)["schema"]
    schema[keyword] += data.draw(st.integers(1, 10))
    return Expect("bound.tightened", "breaking", param_ptr(doc, op, name, "schema", keyword))


class TestMutations:
    @given(
        data=st.data(), name=st.sampled_from(sorted(SPEC_FILES)), change=st.sampled_from(sorted(MUTATIONS))
    )
    def test_a_mutation_is_reported_at_its_pointer_with_its_class_and_nothing_else(
        self, data: st.DataObject, name: str, change: str
    ) -> None:
        doc = spec(name)
        expect = MUTATIONS[change](doc, data)
        report = drift(doc)
        found = {(d.type, d.impact, d.pointer) for d in report.differences}
        assert (expect.type, expect.impact, expect.pointer) in found, report.render_text()
        scope = expect.scope or expect.pointer
        strays = [
            d.line()
            for d in report.differences
            if d.pointer != scope and not d.pointer.startswith(scope + "/")
        ]
        assert strays == []


CONVERSATIONS_LIST = "/v1/Services/{ChatServiceSid}/Bindings"
CONVERSATIONS_ITEM = CONVERSATIONS_LIST + "/{Sid}"


def conversations_fields(doc: Doc) -> Doc:
    props: Doc = doc["components"]["schemas"]["conversations.v1.service.service_binding"]["properties"]
    return props


CONVERSATIONS_CHANGES: dict[str, tuple[Callable[[Doc], object], list[str]]] = {
    "service member gone": (
        lambda d: conversations_fields(d).pop("chat_service_sid"),
        ["field.removed conversations-binding.chat_service_sid"],
    ),
    "twilsock gone": (
        lambda d: d["components"]["schemas"]["service_binding_enum_binding_type"]["enum"].remove("twilsock"),
        [
            "enum.value-removed conversations-binding.binding_type=twilsock",
            "enum.value-removed read-conversations-bindings.BindingType=twilsock",
        ],
    ),
    "PageSize down to 50": (
        lambda d: d["paths"][CONVERSATIONS_LIST]["get"]["parameters"][3]["schema"].update(maximum=50),
        ["bound.tightened read-conversations-bindings.PageSize"],
    ),
    "served from Chat's host": (
        lambda d: d["paths"][CONVERSATIONS_ITEM].update(servers=[{"url": "https://chat.twilio.com"}]),
        [f"path.server {CONVERSATIONS_ITEM}"],
    ),
    "no delete": (
        lambda d: d["paths"][CONVERSATIONS_ITEM].pop("delete"),
        ["operation.removed delete-conversations-binding"],
    ),
    "links documented": (
        lambda d: conversations_fields(d).update(links={"type": "object", "format": "uri-map"}),
        ["field.added conversations-binding.links"],
    ),
}


class TestConversationsSpec:
    @pytest.mark.parametrize("name", sorted(CONVERSATIONS_CHANGES))
    def test_each_change_is_named_on_the_conversations_kinds_and_operations(self, name: str) -> None:
        change, expected = CONVERSATIONS_CHANGES[name]
        doc = spec("conversations")
        change(doc)
        assert [d.id for d in drift(doc).differences] == expected

    def test_a_chat_spec_is_not_asked_for_conversations_paths(self) -> None:
        assert not any("conversations" in d.id for d in check_spec(spec("chat")).differences)
