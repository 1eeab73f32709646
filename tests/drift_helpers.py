"""Where things are in Twilio's Chat v2 / IP Messaging v2 spec, written out independently of the package."""

from __future__ import annotations

from typing import Any

from binding_contracts._json import pointer

Doc = dict[str, Any]

LIST = "/v2/Services/{ServiceSid}/Bindings"
ITEM = "/v2/Services/{ServiceSid}/Bindings/{Sid}"
USER_LIST = "/v2/Services/{ServiceSid}/Users/{UserSid}/Bindings"
USER_ITEM = "/v2/Services/{ServiceSid}/Users/{UserSid}/Bindings/{Sid}"
PATHS = (LIST, ITEM, USER_LIST, USER_ITEM)
OPERATIONS = {
    "fetch-binding": (ITEM, "get", "200"),
    "read-bindings": (LIST, "get", "200"),
    "delete-binding": (ITEM, "delete", "204"),
    "fetch-user-binding": (USER_ITEM, "get", "200"),
    "read-user-bindings": (USER_LIST, "get", "200"),
    "delete-user-binding": (USER_ITEM, "delete", "204"),
}
READS = ("read-bindings", "read-user-bindings")
ITEM_KINDS = {"binding": "fetch-binding", "user-binding": "fetch-user-binding"}


def op_ptr(op: str, *more: str | int) -> str:
    path, method, _ = OPERATIONS[op]
    return pointer(["paths", path, method, *more])


def operation(doc: Doc, op: str) -> Doc:
    path, method, _ = OPERATIONS[op]
    found: Doc = doc["paths"][path][method]
    return found


def body(doc: Doc, op: str) -> Doc:
    """The inline JSON schema of a read operation's 200 answer (a page)."""
    schema: Doc = operation(doc, op)["responses"]["200"]["content"]["application/json"]["schema"]
    return schema


def body_ptr(op: str, *more: str | int) -> str:
    return op_ptr(op, "responses", "200", "content", "application/json", "schema", *more)


def component(doc: Doc, kind: str) -> str:
    """The name of the component schema a fetch operation answers with (differs per host)."""
    ref: str = operation(doc, ITEM_KINDS[kind])["responses"]["200"]["content"]["application/json"]["schema"][
        "$ref"
    ]
    return ref.rsplit("/", 1)[1]


def fields(doc: Doc, kind: str) -> Doc:
    props: Doc = doc["components"]["schemas"][component(doc, kind)]["properties"]
    return props


def field_ptr(doc: Doc, kind: str, name: str, *more: str) -> str:
    return pointer(["components", "schemas", component(doc, kind), "properties", name, *more])


def enum_component(doc: Doc, kind: str) -> str:
    ref: str = fields(doc, kind)["binding_type"]["$ref"]
    return ref.rsplit("/", 1)[1]


def param_index(doc: Doc, op: str, name: str) -> int:
    return next(i for i, p in enumerate(operation(doc, op)["parameters"]) if p["name"] == name)


def param(doc: Doc, op: str, name: str) -> Doc:
    found: Doc = operation(doc, op)["parameters"][param_index(doc, op, name)]
    return found


def param_ptr(doc: Doc, op: str, name: str, *more: str) -> str:
    return op_ptr(op, "parameters", param_index(doc, op, name), *more)
