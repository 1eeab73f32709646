"""Twilio's OpenAPI document as the drift check reads it: OpenAPI 3, local ``$ref``\\ s only, the
Binding paths (recognised by the templates of :mod:`..spec.urls`), their hosts, parameters and answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import unquote

from .._json import a_type, join, resolve
from ..errors import InputError
from ..report import shorten
from ..spec.kinds import APIS, URL_TEMPLATE_OF_KIND, Api
from ..spec.routes import match_url, parse_url
from ..spec.urls import API_OF_TEMPLATE, TEMPLATE_TEXT

Location = tuple[str, str]
"""Where a node is written: (document, JSON pointer). The spec is document ``""``; a file of
schemas/ is named by its file name."""

METHODS: Final = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
BINDING_TEMPLATES: Final = tuple(dict.fromkeys(URL_TEMPLATE_OF_KIND.values()))
MAX_HOPS: Final = 32
"""Longest ``$ref`` chain followed; a longer one is taken for a cycle."""


class SpecError(InputError):
    """A file that is not an OpenAPI 3 description of the Binding API, or whose structure is broken."""


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str
    required: bool
    pointer: str
    schema: Any


class Spec:
    """An OpenAPI 3 document that describes at least one Binding path."""

    def __init__(self, document: object, source: str) -> None:
        self.source = source
        if not isinstance(document, dict):
            raise SpecError(source, f"is {a_type(document)}, expected an OpenAPI 3 document (an object)")
        version = document.get("openapi")
        if not (isinstance(version, str) and version.startswith("3.")):
            if "swagger" in document:
                found = f"is Swagger {shorten(document['swagger'])}"
            elif version is None:
                found = "is not an OpenAPI document (no 'openapi' member)"
            else:
                found = f"is OpenAPI {shorten(version)}"
            raise SpecError(source, f"{found}, expected OpenAPI 3 ('openapi': '3.0.1' or so)")
        self.doc: dict[str, Any] = document
        self.version = version
        self.paths = self._binding_paths(self.mapping(document.get("paths"), "/paths", "the paths object"))
        served = {API_OF_TEMPLATE[t] for t in self.paths}
        self.apis: tuple[Api, ...] = tuple(api for api in APIS if api in served)
        """The APIs whose Binding paths the spec describes (one, for Twilio's specs): each is compared
        whole, so a Chat spec does not lack Conversations' paths."""

    def fail(self, ptr: str, problem: str) -> SpecError:
        return SpecError(self.source, f"{ptr or '(root)'}: {problem}")

    def error(self, at: Location, problem: str) -> SpecError:
        return self.fail(at[1], problem)

    def mapping(self, value: object, ptr: str, what: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(ptr, f"{what} is {a_type(value)}, expected an object")
        return value

    def lookup(self, ref: str, at: Location) -> tuple[Location, Any]:
        """The target of a local ``$ref`` written at ``at``."""
        if not ref.startswith("#"):
            raise self.fail(at[1], f"$ref {ref!r} points outside the file; only '#/…' references are read")
        ptr = unquote(ref[1:])
        try:
            return ("", ptr), resolve(self.doc, ptr)
        except (LookupError, ValueError):
            raise self.fail(at[1], f"$ref {ref!r} resolves to nothing") from None

    def deref(self, value: object, ptr: str, what: str) -> tuple[str, dict[str, Any]]:
        """An object that may be a ``$ref`` (path item, parameter, response), followed to its target."""
        for _ in range(MAX_HOPS):
            node = self.mapping(value, ptr, what)
            ref = node.get("$ref")
            if not isinstance(ref, str):
                return ptr, node
            (_, ptr), value = self.lookup(ref, ("", ptr))
        raise self.fail(ptr, f"$ref chain longer than {MAX_HOPS} (a cycle?)")

    def _binding_paths(self, paths: dict[str, Any]) -> dict[str, tuple[str, str]]:
        """Binding template name -> (path as written, pointer of its path item); the path written
        as the template itself wins over another spelling (say ``{BindingSid}``)."""
        found: dict[str, tuple[str, str]] = {}
        for path in sorted(paths, key=lambda p: (p not in TEMPLATE_TEXT.values(), p)):
            m = match_url(path)
            if m is not None and m.template in BINDING_TEMPLATES and m.template not in found:
                found[m.template] = (path, join("/paths", path))
        if not found:
            lists = ", ".join(TEMPLATE_TEXT[t] for t in BINDING_TEMPLATES if t.endswith("-list"))
            raise SpecError(self.source, f"describes no Binding path (such as {lists})")
        return found

    def path_item(self, template: str) -> tuple[str, dict[str, Any]]:
        path, ptr = self.paths[template]
        return self.deref(self.doc["paths"][path], ptr, "a path item")

    def operation(self, template: str, method: str) -> tuple[str, dict[str, Any]] | None:
        ptr, item = self.path_item(template)
        if method not in item:
            return None
        return join(ptr, method), self.mapping(item[method], join(ptr, method), "an operation")

    def host(self, template: str, method: str) -> tuple[str, str | None]:
        """(pointer of the servers that apply, the host they name or None): the operation's
        servers, else the path's, else the document's (OpenAPI's order of precedence)."""
        item_ptr, item = self.path_item(template)
        op_ptr = join(item_ptr, method)
        candidates = ((item.get(method, {}), op_ptr), (item, item_ptr), (self.doc, ""))
        for holder, ptr in candidates:
            servers = holder.get("servers") if isinstance(holder, dict) else None
            if isinstance(servers, list) and servers:
                return join(ptr, "servers"), _host(servers[0])
        return join(item_ptr, "servers"), None

    def parameters(self, template: str, method: str) -> dict[str, Parameter]:
        """The parameters of an operation by name, the path item's overridden by the operation's."""
        item_ptr, item = self.path_item(template)
        op_ptr, op = self.operation(template, method) or ("", {})
        out: dict[str, Parameter] = {}
        for holder, ptr in ((item, item_ptr), (op, op_ptr)):
            listed = holder.get("parameters", [])
            if not isinstance(listed, list):
                raise self.fail(join(ptr, "parameters"), f"parameters is {a_type(listed)}, expected an array")
            for i, raw in enumerate(listed):
                where, param = self.deref(raw, join(ptr, "parameters", i), "a parameter")
                name, location = param.get("name"), param.get("in")
                if not (isinstance(name, str) and isinstance(location, str)):
                    raise self.fail(where, "a parameter needs a string 'name' and 'in'")
                schema = param.get("schema", {})
                out[name] = Parameter(name, location, param.get("required") is True, where, schema)
        return out

    def responses(self, op_ptr: str, op: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
        """Status code -> (pointer, response object) of an operation."""
        where = join(op_ptr, "responses")
        listed = self.mapping(op.get("responses", {}), where, "responses")
        return {str(code): self.deref(r, join(where, str(code)), "a response") for code, r in listed.items()}

    def body_schema(self, response_ptr: str, response: dict[str, Any]) -> tuple[str, Any] | None:
        """(pointer, schema) of a response's JSON body, or None when it documents none."""
        content = response.get("content")
        if not isinstance(content, dict):
            return None
        types = [t for t in content if t == "application/json"] or [t for t in content if "json" in t]
        for media_type in types:
            media = content[media_type]
            if isinstance(media, dict) and "schema" in media:
                return join(response_ptr, "content", media_type, "schema"), media["schema"]
        return None


def _host(server: object) -> str | None:
    """The host a server object's url names, variables replaced by their defaults."""
    if not isinstance(server, dict) or not isinstance(server.get("url"), str):
        return None
    url: str = server["url"]
    variables = server.get("variables")
    for name, var in variables.items() if isinstance(variables, dict) else ():
        if isinstance(var, dict) and isinstance(var.get("default"), str):
            url = url.replace("{" + name + "}", var["default"])
    parts = parse_url(url)
    return parts.hostname if parts is not None else None
