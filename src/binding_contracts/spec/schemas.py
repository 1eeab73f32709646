"""Locate schemas/ (wheel or checkout), derive the profiles, build the registry and validators."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, cast

from ..errors import UsageError, did_you_mean
from . import ecma
from .formats import format_checker
from .kinds import KIND_TABLE, KINDS
from .openapi_profile import OpenAPIProfile, member_node, openapi_profile
from .profile_files import DETECTED_BY, ProfileFile, ProfileFileError, read_profile_file
from .profiles import PROFILES

if TYPE_CHECKING:  # imported where used: a valid document never needs jsonschema (see compiled.py)
    from jsonschema import Draft202012Validator, ValidationError
    from referencing import Registry

BASE_URI: Final = "https://binding-contracts.example/schemas/"
DEFS_FILE: Final = "defs.schema.json"


def schema_file(kind: str) -> str:
    return f"{kind}.schema.json"


def schema_dir() -> Path:
    """The folder of the schema files: inside the installed wheel, else the checkout's schemas/."""
    return shipped_dir("schemas")


def shipped_dir(name: str) -> Path:
    """A folder of the checkout that the wheel ships inside the package (pyproject's force-include):
    ``binding_contracts/NAME`` when installed, else ``NAME`` beside ``src/`` (an editable install).
    Found beside this module: the folder is read from the file system either way, and
    ``importlib.resources`` would add its imports to every command's start-up."""
    package = Path(__file__).resolve().parents[1]
    shipped = package / name
    if shipped.is_dir():
        return shipped
    checkout = package.parents[1] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"binding_contracts: {name}/ is neither in the package nor beside src/")


@cache
def raw_schemas() -> dict[str, dict[str, Any]]:
    """Every schema file as written, by file name."""
    folder = schema_dir()
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.schema.json"))}


def check_profile(profile: str | os.PathLike[str]) -> str:
    """The name of a profile: one of :data:`PROFILES`, or a profile file's (read and checked here,
    :class:`ProfileFileError` when it cannot be used), under which its schemas are derived."""
    if isinstance(profile, os.PathLike):
        return _learn(profile)
    if profile not in PROFILES and profile not in _FILES and openapi_profile(profile) is None:
        raise UsageError(
            f"Got profile={profile!r}, but expected one of {', '.join(PROFILES)}, or a profile file's "
            "Path" + did_you_mean(profile, PROFILES)
        )
    return profile


_FILES: dict[str, ProfileFile] = {}
"""The profile files read, by the name their schemas are derived under."""
_READ: dict[tuple[str, int, int], str] = {}
"""The name of a profile file last read, by its path, modification time and size."""


def profile_file(profile: str) -> ProfileFile | None:
    """The profile file a profile name was read from (:func:`check_profile`), else None."""
    return _FILES.get(profile)


def _learn(path: os.PathLike[str]) -> str:
    source = os.fspath(path)
    try:
        info = os.stat(source)
    except OSError:
        info = None
    key = (source, info.st_mtime_ns, info.st_size) if info else None
    if key is not None and key in _READ:
        return _READ[key]
    if info is None and did_you_mean(source, PROFILES):
        raise ProfileFileError(source, "no such profile file" + did_you_mean(source, PROFILES))
    read = read_profile_file(source, KINDS)
    _check_members(read)
    name = source
    if _FILES.get(name, read) != read:  # the file changed: its schemas are derived anew, under a new name
        import hashlib

        digest = hashlib.sha256(json.dumps(read.to_json()).encode()).hexdigest()[:8]
        name = f"{source}#{digest}"
    _FILES[name] = read
    if key is not None:
        _READ[key] = name
    return name


def _check_members(read: ProfileFile) -> None:
    """Every member a profile file loosens is a member of its kind, and none that tells the kind."""
    for how, table in (("nullable", read.nullable), ("optional", read.optional)):
        for kind, members in table.items():
            known = raw_schemas()[schema_file(kind)]["properties"]
            for member in sorted(members):
                if member not in known:
                    raise ProfileFileError(
                        read.source,
                        f"makes {member!r} {how}, but kind {kind!r} has no such member"
                        + did_you_mean(member, known),
                    )
    for kind, members in read.optional.items():
        for group in DETECTED_BY[kind]:
            if set(group) <= members:
                told = ", ".join(repr(m) for m in group)
                which = "it" if len(group) == 1 else "one of them"
                raise ProfileFileError(
                    read.source,
                    f"makes {told} optional, but {_a(kind)} is detected by {which}: it must stay required",
                )


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _or_null(node: dict[str, Any]) -> dict[str, Any]:
    """A schema node that also accepts null; its annotations (``x-``) kept beside."""
    inner = {k: v for k, v in node.items() if not k.startswith("x-")}
    notes = {k: v for k, v in node.items() if k.startswith("x-")}
    return {"anyOf": [inner, {"type": "null"}], **notes}


def _published(node: Any) -> Any:
    """Twilio's published view of a strict schema node.

    - ``required`` is dropped (the OpenAPI marks no field required);
    - a property annotated ``x-twilio-nullable`` also accepts null;
    - keywords listed in ``x-strict-only`` are dropped.
    """
    if isinstance(node, list):
        return [_published(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _published(v) for k, v in node.items() if k != "required"}
    for keyword in node.get("x-strict-only", ()):
        out.pop(keyword, None)
    if node.get("x-twilio-nullable"):
        out = _or_null(out)
    return out


def _loosened(strict: dict[str, dict[str, Any]], read: ProfileFile) -> dict[str, dict[str, Any]]:
    """The strict schema files with a profile file's loosenings applied: a page's items loosened with
    their kind, as the page's schema refers to the item's."""
    out = copy.deepcopy(strict)
    for kind, members in read.optional.items():
        for node in _same_object(out[schema_file(kind)]):
            if "required" in node:
                node["required"] = [m for m in node["required"] if m not in members]
    for kind, members in read.nullable.items():
        props = out[schema_file(kind)]["properties"]
        for member in members:
            props[member] = _or_null(props[member])
    return out


_APPLICATORS: Final = ("then", "else")
"""The keywords of the schemas' files whose subschema applies to the document itself (the error
envelope's ``if``/``then``: code and more_info required on a 4xx)."""


def _same_object(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A schema node and its subschemas that apply to the same object (where ``required`` may be)."""
    yield node
    for keyword in _APPLICATORS:
        sub = node.get(keyword)
        if isinstance(sub, dict):
            yield from _same_object(sub)


@cache
def profile_schemas(profile: str) -> dict[str, dict[str, Any]]:
    """The schema files of a profile, by file name; the others derived from the strict."""
    check_profile(profile)
    strict = raw_schemas()
    if profile == "strict":
        return strict
    if profile in _FILES:
        return _loosened(strict, _FILES[profile])
    spec = openapi_profile(profile)
    return _published_files(strict if spec is None else _of_spec(strict, spec))


def _published_files(strict: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        name: (copy.deepcopy(doc) if doc.get("x-published") == "as-strict" else _published(doc))
        for name, doc in strict.items()
    }


def _of_spec(strict: dict[str, dict[str, Any]], spec: OpenAPIProfile) -> dict[str, dict[str, Any]]:
    """The strict files with a spec's facts in place of schemas/' (before the published view): an
    item kind's members those the spec documents, their nullability and enums the spec's (the
    BindingType filter's values its binding_type's); each API's PageSize bounds the spec's."""
    out = copy.deepcopy(strict)
    for kind, facts in spec.members.items():
        doc = out[schema_file(kind)]
        props = doc["properties"]
        for member in list(props):
            if member not in facts:
                del props[member]
        for member, fact in facts.items():
            if member in props:
                node = {k: v for k, v in props[member].items() if k != "x-twilio-nullable"}
                props[member] = member_node(node, fact)
        doc["required"] = [m for m in doc.get("required", ()) if m in props]
    defs_ = out[DEFS_FILE]["$defs"]
    for kind, facts in spec.members.items():  # the BindingType filter takes the member's values
        types = facts.get("binding_type")
        if types is not None and types.enum is not None:
            defs_[KIND_TABLE[kind].api.binding_types]["enum"] = list(types.enum)
    for api_name, bounds in spec.page_size.items():
        api = next(k.api for k in KIND_TABLE.values() if k.api.name == api_name)
        param = defs_[api.page_size]
        for keyword, value in (("minimum", bounds.minimum), ("maximum", bounds.maximum)):
            if value is None:
                param.pop(keyword, None)
            else:
                param[keyword] = value
    return out


@cache
def _reference_schemas(profile: str) -> dict[str, dict[str, Any]]:
    """The schema files of a profile as the reference validator reads them: without ``$schema``.
    jsonschema picks the validator class of a ``$ref``'s target by its ``$schema``, which would be
    the stock Draft 2020-12 class, ``pattern`` read by Python's ``re``; without it, the class that
    reads patterns as ECMA-262 (:func:`validator_class`) validates every file a document reaches."""
    docs = profile_schemas(profile)
    return {name: {k: v for k, v in doc.items() if k != "$schema"} for name, doc in docs.items()}


@cache
def registry(profile: str = "strict") -> Registry[Any]:
    """A ``referencing`` registry holding every schema of the profile under its ``$id`` (the reference
    validator's, :func:`_reference_schemas`)."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    docs = _reference_schemas(profile)
    pairs = [
        (doc["$id"], Resource.from_contents(doc, default_specification=DRAFT202012)) for doc in docs.values()
    ]
    return Registry().with_resources(pairs).crawl()


@cache
def validator(kind: str, profile: str = "strict") -> Draft202012Validator:
    """The compiled validator of a kind, format checking on (see :mod:`.formats`)."""
    schema = _reference_schemas(profile)[schema_file(kind)]
    return validator_class()(schema, registry=registry(profile), format_checker=format_checker())


@cache
def validator_class() -> type[Draft202012Validator]:
    """Draft 2020-12 with ``pattern`` read as ECMA-262 reads it (see :mod:`.ecma`), as jsonschema-rs
    reads it: a SID followed by a newline is not a SID."""
    from jsonschema import Draft202012Validator, ValidationError
    from jsonschema.validators import extend

    def pattern(checker: Any, expected: str, instance: Any, _schema: Any) -> Iterator[ValidationError]:
        if checker.is_type(instance, "string") and not ecma.search(expected, instance):
            yield ValidationError(f"{instance!r} does not match {expected!r}")

    extended = extend(Draft202012Validator, {"pattern": pattern})  # type: ignore[no-untyped-call]
    return cast("type[Draft202012Validator]", extended)


def defs() -> dict[str, Any]:
    """The shared ``$defs`` (strict profile)."""
    defs_: dict[str, Any] = raw_schemas()[DEFS_FILE]["$defs"]
    return defs_


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """A schema node with a local ``$ref`` into defs followed (one level, as the files use)."""
    ref = node.get("$ref")
    if ref and ref.startswith(DEFS_FILE + "#/$defs/"):
        target: dict[str, Any] = defs()[ref.rsplit("/", 1)[1]]
        return target
    return node


def known_properties(kind: str) -> dict[str, frozenset[str]]:
    """Member names each object of a kind documents, by a pointer-shaped role:
    ``""`` the document, ``"links"``, ``"meta"``."""
    doc = raw_schemas()[schema_file(kind)]
    props = doc["properties"]
    out = {"": frozenset(props)}
    if "links" in props:
        out["links"] = frozenset(props["links"]["properties"])
    if "meta" in props:
        out["meta"] = frozenset(defs()["page_meta"]["properties"])
    return out


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise UsageError(
            f"Got kind={kind!r}, but expected one of {', '.join(KINDS)}{did_you_mean(kind, KINDS)}"
        )
    return kind
