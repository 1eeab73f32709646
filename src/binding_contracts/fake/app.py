"""The fake's WSGI application: the Binding operations of Chat v2 and Conversations v1 on one store,
errors, auth and faults."""

from __future__ import annotations

import base64
import hmac
import json
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.wrappers import Request, Response

from ..generation import builders
from ..generation.builders import BindingParts, ErrorParts, PageParts
from ..report import clip
from ..spec import facts
from ..spec.kinds import KIND_TABLE
from ..spec.routes import PathMatch, Route, ascii_int, route
from ..spec.schemas import defs
from .bodies import (
    PAGE_KIND_OF_ITEM,
    STRICT_BODIES,
    BadToken,
    Lax,
    PageRequest,
    cut,
    page_parts,
    record_parts,
)
from .breaking import Answer, broken
from .faults import Fault, Faults
from .paging import Paging
from .state import Store

Breaker = Callable[[dict[str, Any], str, str], dict[str, Any]]
NOT_APPLIED = "X-Binding-Contracts-Fault"
"""The header of an answer a ``break:RULE`` fault had nothing to break in, saying why."""

ERRORS: dict[int, tuple[int | None, str]] = {
    400: (20001, "Invalid parameter"),
    401: (20003, "Authenticate"),
    404: (20404, "The requested resource {path} was not found"),
    405: (20004, "Method not allowed"),
    429: (20429, "Too Many Requests"),
    500: (20500, "Internal Server Error"),
    503: (20503, "Service Unavailable"),
}
"""The envelope's code and message of each status the fake answers."""

METHODS = frozenset(("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"))
"""The methods the fake knows (RFC 9110's), case-sensitive as methods are: any other (``get``,
``QUERY``, ``FOO``), like a known one a Binding path does not offer, is 405 with ``Allow`` (a
5xx would say the server failed; it did not)."""


_ITEM_KIND_OF_TEMPLATE = {k.template: k.item_kind or k.name for k in KIND_TABLE.values()}
"""The kind of binding a path shows: a Chat binding, a user binding or a Conversations binding."""


def error(status: int, path: str = "", detail: str | None = None) -> Response:
    """Twilio's error envelope: code, message, more_info naming the code, status."""
    code, message = ERRORS[status]
    text = detail or message.format(path=clip(path, 200))
    more_info = builders.more_info(code) if code is not None else None
    body = builders.error(ErrorParts(status, text, code, more_info))
    return Response(json.dumps(body), status=status, content_type="application/json; charset=utf-8")


def ok(body: dict[str, Any]) -> Response:
    return Response(json.dumps(body), status=200, content_type="application/json; charset=utf-8")


class FakeApp:
    """A WSGI app serving the Binding API from a :class:`Store`."""

    def __init__(
        self,
        store: Store,
        *,
        credentials: dict[str, str] | None,
        public_url: str | None = None,
        faults: Faults | None = None,
        breaker: Breaker | None = None,
        paging: Paging | None = None,
        lax: Lax = STRICT_BODIES,
    ) -> None:
        self.store = store
        self.lax = lax
        """How bodies depart from the strict ones (``FakeBindingAPI(profile=...)``)."""
        self.paging = paging or Paging()
        self.credentials = credentials
        self.public_url = public_url.rstrip("/") if public_url else None
        self.faults = faults or Faults()
        self.breaker = breaker
        self._pattern = {k: re.compile(defs()[k]["pattern"]) for k in ("service_sid", "binding_sid")}
        self.around: Callable[[Request, Callable[[Request], Response]], Response] | None = None
        """What answers in place of :meth:`dispatch`, given it: a loaded world (``fake/worlds.py``)."""

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        around = self.around
        response = self.dispatch(request) if around is None else around(request, self.dispatch)
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        """The answer to one request. ``HEAD`` is answered as ``GET`` (the server sends its
        status and headers, ``Content-Length`` included, without the body)."""
        method = str(request.environ.get("REQUEST_METHOD", ""))  # as sent: werkzeug's is upper-cased
        if self.credentials is not None and not self._authorised(request):
            return error(401)
        verb = "GET" if method == "HEAD" else method if method in METHODS else "UNKNOWN"
        r = route(verb, self._received_url(request))
        if r is None:
            return error(404, request.path)
        faults = self.faults.for_operation(r.operation)
        for fault in faults:
            if fault.kind == "delay":
                time.sleep(fault.seconds)
            elif fault.kind == "status":
                response = error(fault.status)
                if fault.status == 429:
                    response.headers["Retry-After"] = str(fault.retry_after)
                return response
        nulls = any(fault.kind == "nulls" for fault in faults)
        response, answer = self._operation(request, r, Lax("nulls") if nulls else self.lax)
        return self._after(response, answer, faults)

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return False
        try:
            user, _, secret = base64.b64decode(header[6:]).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        expected = (self.credentials or {}).get(user)
        return expected is not None and hmac.compare_digest(expected, secret)

    @staticmethod
    def _received_url(request: Request) -> str:
        """The request's URL with its path as the client wrote it: a segment keeps its escapes
        (``kim%2Fparis`` is one segment naming ``kim/paris``; decoded, it would be two)."""
        raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
        path = raw.partition("?")[0] if isinstance(raw, str) else request.script_root + request.path
        return request.host_url.rstrip("/") + path

    def _base(self, request: Request) -> str:
        """The origin written into bodies: ``public_url``, else the address the server is bound to;
        never the request's Host header, which a client may fill with anything."""
        if self.public_url:
            return self.public_url
        name, port = request.environ["SERVER_NAME"], request.environ["SERVER_PORT"]
        return f"{request.scheme}://{f'[{name}]' if ':' in name else name}:{port}"

    def _operation(self, request: Request, r: Route, lax: Lax) -> tuple[Response, Answer | None]:
        m, path = r.match, request.path
        if r.operation == "other":
            allowed = "GET, HEAD, DELETE" if m.sid is not None else "GET, HEAD"
            response = error(405, path)
            response.headers["Allow"] = allowed
            return response, None
        if not self._pattern["service_sid"].match(m.service) or not self.store.has_service(m.service):
            return error(404, path), None
        identity = None
        if m.user is not None:
            identity = self.store.identity_of(m.service, m.user)
            if identity is None:
                return error(404, path), None
        kind = _ITEM_KIND_OF_TEMPLATE[m.template]
        base = self._base(request)
        if m.sid is None:
            return self._read(request, base, m, identity, kind, lax)
        record = self.store.get(m.service, m.sid) if self._pattern["binding_sid"].match(m.sid) else None
        # one store behind both APIs: Chat does not show a binding of a type only Conversations has
        shown = record is not None and record.binding_type in self._binding_types(kind, lax)
        if record is None or not shown or (identity is not None and record.identity != identity):
            return error(404, path), None
        if r.method == "DELETE":
            self.store.delete(m.service, m.sid)
            return Response(status=204), None
        answer = self._answer(request, kind, record_parts(base, record, kind, lax), lax)
        return ok(answer.body()), answer

    def _answer(self, request: Request, kind: str, parts: BindingParts | PageParts, lax: Lax) -> Answer:
        query = request.query_string.decode("latin-1")
        url = self._received_url(request) + (f"?{query}" if query else "")
        return Answer(kind, parts, request.method, url, _judged_under(lax))

    @staticmethod
    def _binding_types(kind: str, lax: Lax) -> list[str]:
        """The binding types the API of ``kind`` shows and filters by: the profile's (a spec's revision
        under ``--spec``, the contract's otherwise)."""
        return list(facts.enum(KIND_TABLE[kind].api.binding_types, _judged_under(lax)))

    def _read(
        self, request: Request, base: str, listed: PathMatch, identity: str | None, kind: str, lax: Lax
    ) -> tuple[Response, Answer | None]:
        args = request.args
        types, names = args.getlist("BindingType"), args.getlist("Identity")
        allowed = self._binding_types(kind, lax)
        bad = [t for t in types if t not in allowed]
        if bad:
            return error(
                400, detail=f"Invalid BindingType {bad[0]!r}: expected one of {', '.join(allowed)}"
            ), None
        low, high, default = facts.page_size_bounds(kind, _judged_under(lax))
        size, page = ascii_int(args.get("PageSize", str(default))), ascii_int(args.get("Page", "0"))
        if size is None or page is None:
            return error(400, detail="PageSize and Page must be integers in ASCII digits"), None
        refused = self.paging.refusal(size, page, args.get("PageToken"), (low, high))
        if refused is not None:
            return error(400, detail=refused), None
        filters = tuple([("BindingType", t) for t in types] + [("Identity", n) for n in names])
        req = PageRequest(filters, min(size, high), page, args.get("PageToken"))
        records = self.store.listing(
            listed.service, identity=identity, binding_types=types or allowed, identities=names
        )
        try:
            chosen, more = cut(records, req)
        except BadToken as exc:
            return error(400, detail=str(exc)), None
        parts = page_parts(base, listed, req, chosen, more, kind, identity, lax)
        answer = self._answer(request, PAGE_KIND_OF_ITEM[kind], parts, lax)
        return ok(answer.body()), answer

    def _after(self, response: Response, answer: Answer | None, faults: list[Fault]) -> Response:
        for fault in faults:
            if fault.kind == "break" and answer is not None:
                self._break(response, answer, fault)
            elif fault.kind == "truncate" and response.status_code != 204:
                data = response.get_data()
                response.set_data(data[: len(data) // 2])
        return response

    def _break(self, response: Response, answer: Answer, fault: Fault) -> None:
        """The answer with the fault's rule broken, or as it was with :data:`NOT_APPLIED` saying why."""
        if self.breaker is not None:
            response.set_data(
                json.dumps(self.breaker(json.loads(response.get_data()), answer.kind, fault.rule))
            )
            return
        body, why = broken(answer, fault.rule)
        if body is None:
            response.headers[NOT_APPLIED] = f"break:{fault.rule} not applied: {why}"
        else:
            response.set_data(json.dumps(body))


def _judged_under(lax: Lax) -> str:
    """The profile the fake's answers are judged under, and whose facts (binding types, PageSize
    bounds) it serves: the ``nulls`` fault's bodies are the published profile's."""
    return "published" if lax.profile == "nulls" else lax.profile
