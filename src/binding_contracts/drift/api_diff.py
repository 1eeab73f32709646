"""The spec's Binding paths against the URL templates and operations (spec/urls.py, spec/routes.py)
and schemas/: paths and their hosts, the six operations, their success statuses, parameters and bodies."""

from __future__ import annotations

from typing import Any, Final

from .._json import join
from ..spec.kinds import URL_TEMPLATE_OF_KIND
from ..spec.routes import OPERATIONS, QUERY_PARAMETERS, QueryParameter, ascii_int, success_status
from ..spec.schemas import DEFS_FILE, schema_file
from ..spec.urls import API_OF_TEMPLATE, TEMPLATE_TEXT, path_parameters, templates_of
from .differences import Collector
from .nodes import view
from .openapi import METHODS, Location, Parameter, Spec
from .schema_diff import PUBLISHED, Published, compare, compare_page

_KIND_OF_TEMPLATE: Final = {template: kind for kind, template in URL_TEMPLATE_OF_KIND.items()}


def compare_spec(spec: Spec, out: Collector, base: Published = PUBLISHED) -> set[str]:
    """Record every difference of ``spec`` from ``base`` (schemas/' published profile, or an older
    spec's) in ``out``; return the hosts its Binding paths name."""
    hosts: set[str] = set()
    for api in spec.apis:
        for template in templates_of(api):
            hosts |= _Path(spec, out, template, base).compare()
    return hosts


class _Path:
    """One Binding path template and the operations on it; differences that concern no single
    schema field name the schema file of the path's kind."""

    def __init__(self, spec: Spec, out: Collector, template: str, base: Published = PUBLISHED) -> None:
        self.spec, self.out, self.template, self.base = spec, out, template, base
        self.text = TEMPLATE_TEXT[template]
        self.ours: Location = (schema_file(_KIND_OF_TEMPLATE[template]), "")

    def note(
        self,
        type_: str,
        subject: str,
        aspect: str,
        old: Any,
        new: Any,
        at: str,
        schema: Location | None = None,
    ) -> None:
        self.out.add(type_, subject, aspect, old, new, pointer=at, schema=schema or self.ours)

    def compare(self) -> set[str]:
        if self.template not in self.spec.paths:
            self.note("path.removed", self.text, "path", self.text, None, join("/paths", self.text))
            return set()
        path, ptr = self.spec.paths[self.template]
        if path != self.text:
            self.note("path.renamed", self.text, "path", self.text, path, ptr)
        expected = {op: method.lower() for op, (t, method, _) in OPERATIONS.items() if t == self.template}
        _, item = self.spec.path_item(self.template)
        for method in METHODS:
            if method in item and method not in expected.values():
                subject = f"{method.upper()} {self.text}"
                self.note("operation.added", subject, "operation", None, method.upper(), join(ptr, method))
        hosts: set[str] = set()
        for name, method in expected.items():
            found = self.spec.operation(self.template, method)
            if found is None:
                old = f"{method.upper()} {self.text}"
                self.note("operation.removed", name, "operation", old, None, join(ptr, method))
                continue
            hosts |= self.server(method)
            self.statuses_and_body(name, *found)
            self.parameters(name, method, found[0])
        return hosts

    def server(self, method: str) -> set[str]:
        where, host = self.spec.host(self.template, method)
        hosts = API_OF_TEMPLATE[self.template].hosts  # Chat v2's alias IP Messaging v2 is compared alike
        if host in hosts:
            return {host}
        self.note("path.server", self.text, "host", " or ".join(hosts), host, where)
        return set()

    def statuses_and_body(self, name: str, op_ptr: str, op: dict[str, Any]) -> None:
        responses = self.spec.responses(op_ptr, op)
        expected = str(success_status(name))
        success = sorted(code for code in responses if code.startswith("2"))
        shown = [ascii_int(code) or code for code in success]
        where = join(op_ptr, "responses")
        if expected not in success:
            self.note(
                "status.changed", name, "success status", int(expected), shown or None, join(where, expected)
            )
        for code in success if expected in success else ():
            if code != expected:
                self.note("status.added", name, "success statuses", [int(expected)], shown, join(where, code))
        kind = OPERATIONS[name][2]
        answer = expected if expected in success else next(iter(success), None)
        if kind is None or answer is None:
            return
        response_ptr, response = responses[answer]
        body = self.spec.body_schema(response_ptr, response)
        if body is None:
            self.note("response.removed", name, "JSON body", kind, None, join(response_ptr, "content"))
            return
        theirs = view(self.spec, body[1], ("", body[0]))
        (compare_page if kind.endswith("-page") else compare)(
            self.base.kind_node(kind), theirs, kind, self.out
        )

    def parameters(self, name: str, method: str, op_ptr: str) -> None:
        found = self.spec.parameters(self.template, method)
        expected: dict[str, QueryParameter | None] = dict.fromkeys(path_parameters(self.template))
        expected.update(QUERY_PARAMETERS.get(name, {}))
        for pname, query in expected.items():
            subject, location = f"{name}.{pname}", "path" if query is None else "query"
            where = (DEFS_FILE, f"/$defs/{query.definition}") if query else None
            param = found.get(pname)
            if param is None:
                self.note(
                    "parameter.removed",
                    subject,
                    "parameter",
                    location,
                    None,
                    join(op_ptr, "parameters"),
                    where,
                )
                continue
            if param.location != location:
                at = join(param.pointer, "in")
                self.note("parameter.location", subject, "location", location, param.location, at, where)
            if query is not None and param.required:
                self.note(
                    "parameter.required",
                    subject,
                    "required",
                    False,
                    True,
                    join(param.pointer, "required"),
                    where,
                )
            if query is not None:
                self.value(query, param, subject)
        for pname, param in found.items():
            if pname not in expected:
                change, new = "parameter.added", param.location
                if param.required:
                    change, new = "parameter.added-required", f"{param.location}, required"
                self.note(change, f"{name}.{pname}", "parameter", None, new, param.pointer)

    def value(self, query: QueryParameter, param: Parameter, subject: str) -> None:
        """A query parameter's value: repeatable or not, then its schema against its ``$defs`` entry."""
        theirs = view(self.spec, param.schema, ("", join(param.pointer, "schema")))
        ours = self.base.def_node(query.definition)
        repeats = theirs.types == frozenset({"array"})
        if repeats != query.repeats:
            change = "parameter.repeatable" if repeats else "parameter.single"
            at = theirs.outer("type")[1]
            self.note(change, subject, "repeatable", query.repeats, repeats, at, ours.home)
        compare(ours, theirs.items() if repeats else theirs, subject, self.out)
