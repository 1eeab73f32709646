"""A profile read from a Twilio OpenAPI file (``--spec FILE``), on the drift check's reader: each item
kind's members with their nullability and enums, each API's PageSize bounds (docs/freshness.md)."""

from __future__ import annotations

import os

from .._inputs import read_json
from ..spec.kinds import ITEM_KINDS, KIND_TABLE
from ..spec.openapi_profile import MemberFacts, OpenAPIProfile, PageSizeFacts, register
from ..spec.routes import OPERATIONS, QUERY_PARAMETERS
from .nodes import NUMBER, view
from .openapi import Spec


def profile_from_spec(path: str | os.PathLike[str]) -> str:
    """The profile of one revision of Twilio's OpenAPI: a name usable wherever a profile is
    (``check(profile=...)``, ``payloads(kind, profile=...)``, ``--profile``), judged as ``published``
    is (by its schemas alone). :class:`~binding_contracts.drift.SpecError` (an ``InputError``) names
    the file when it is not an OpenAPI 3 description of the Binding API."""
    return register(read_spec_profile(os.fspath(path)))


def read_spec_profile(path: str) -> OpenAPIProfile:
    """The facts a profile takes from the OpenAPI file at ``path``."""
    source, document = read_json(path)
    return spec_profile(Spec(document, source))


def spec_profile(spec: Spec) -> OpenAPIProfile:
    members: dict[str, dict[str, MemberFacts]] = {}
    page_size: dict[str, PageSizeFacts] = {}
    for kind in ITEM_KINDS:
        facts = _item_members(spec, kind)
        if facts is not None:
            members[kind] = facts
    for name in QUERY_PARAMETERS:  # the reads, each of one API
        template, method, listed = OPERATIONS[name]
        api = KIND_TABLE[listed or ""].api
        if template not in spec.paths or api.name in page_size:
            continue
        param = spec.parameters(template, method.lower()).get("PageSize")
        if param is not None:
            node = view(spec, param.schema, ("", param.pointer + "/schema"))
            low, high = node.get("minimum", NUMBER), node.get("maximum", NUMBER)
            page_size[api.name] = PageSizeFacts(
                None if low is None else int(low), None if high is None else int(high), node.at("maximum")[1]
            )
    return OpenAPIProfile(spec.source, tuple(api.name for api in spec.apis), members, page_size)


def _item_members(spec: Spec, kind: str) -> dict[str, MemberFacts] | None:
    """The members of an item kind's fetch answer, or None when the spec does not describe it."""
    template = KIND_TABLE[kind].template
    if template not in spec.paths:
        return None
    found = spec.operation(template, "get")
    if found is None:
        return None
    responses = spec.responses(*found)
    if "200" not in responses:
        return None
    body = spec.body_schema(*responses["200"])
    if body is None:
        return None
    props = view(spec, body[1], ("", body[0])).properties() or {}
    out: dict[str, MemberFacts] = {}
    for member, node in props.items():
        enum = node.enum()
        values = tuple(str(v) for v in enum) if enum is not None else None
        out[member] = MemberFacts(node.nullable, values, node.written_at[1])
    return out
