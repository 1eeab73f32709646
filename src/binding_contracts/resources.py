"""Kinds, URL templates and URL -> operation routing: the facts a schema cannot express."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import parse_qs, quote, unquote, urlsplit

KINDS: Final = ("binding", "user-binding", "binding-page", "user-binding-page", "error")
"""Every kind of document the contract knows, by the name used in the API, CLI and reports."""


def article(kind: str) -> str:
    """``a binding``, ``an error``: a kind named in a sentence."""
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


PAGE_ITEM_KIND: Final = {"binding-page": "binding", "user-binding-page": "user-binding"}
"""Each page kind and the kind of its items."""

ITEMS_KEY: Final = "bindings"
"""The member of a page that holds its items (``meta.key`` names it)."""

CHAT_HOST: Final = "chat.twilio.com"
DEPRECATED_HOSTS: Final = frozenset({"ip-messaging.twilio.com"})
"""IP Messaging v2 is the older alias of Chat v2: same paths, same bodies."""

CHAT_ORIGIN: Final = f"https://{CHAT_HOST}"
ERROR_DOCS: Final = "https://www.twilio.com/docs/errors/{code}"
"""Where an error body's ``more_info`` points: Twilio's page for the error code."""

SEGMENT_SAFE: Final = "-._~!$&'()*+,;=:@"
"""Characters a path segment keeps as they are (RFC 3986 ``pchar``): Twilio writes
``/Users/maria@example.org`` unencoded; ``/ ? # %``, spaces and non-ASCII are percent-encoded."""

# Path templates of DESIGN.md. Segments match anything but '/': whether a segment is a
# well-formed SID is the rules' business, so a malformed request is still recognised.
_SEG = r"[^/]+"
_TEMPLATES: Final = {
    "binding": re.compile(rf"^/v2/Services/(?P<service>{_SEG})/Bindings/(?P<sid>{_SEG})/?$"),
    "binding-list": re.compile(rf"^/v2/Services/(?P<service>{_SEG})/Bindings/?$"),
    "user-binding": re.compile(
        rf"^/v2/Services/(?P<service>{_SEG})/Users/(?P<user>{_SEG})/Bindings/(?P<sid>{_SEG})/?$"
    ),
    "user-binding-list": re.compile(rf"^/v2/Services/(?P<service>{_SEG})/Users/(?P<user>{_SEG})/Bindings/?$"),
    "user": re.compile(rf"^/v2/Services/(?P<service>{_SEG})/Users/(?P<user>{_SEG})/?$"),
}

TEMPLATE_TEXT: Final = {
    "binding": "/v2/Services/{ServiceSid}/Bindings/{Sid}",
    "binding-list": "/v2/Services/{ServiceSid}/Bindings",
    "user-binding": "/v2/Services/{ServiceSid}/Users/{UserSid}/Bindings/{Sid}",
    "user-binding-list": "/v2/Services/{ServiceSid}/Users/{UserSid}/Bindings",
    "user": "/v2/Services/{ServiceSid}/Users/{Identity}",
}


def _segment(value: str) -> str:
    encoded = quote(value, safe=SEGMENT_SAFE)
    # "." and ".." would be dot-segments, which a client removes when it normalises the URL
    return encoded.replace(".", "%2E") if encoded in (".", "..") else encoded


def build_url(template: str, origin: str = CHAT_ORIGIN, query: str = "", **segments: str) -> str:
    """The URL of a template with its segments percent-encoded: the inverse of :func:`match_url`.

    ``build_url("binding", ServiceSid="IS…", Sid="BS…")`` ->
    ``https://chat.twilio.com/v2/Services/IS…/Bindings/BS…``.
    """
    encoded = {name: _segment(value) for name, value in segments.items()}
    path = TEMPLATE_TEXT[template].format(**encoded)
    return f"{origin}{path}?{query}" if query else origin + path


# What a payload's own url is, by kind; a page's meta urls name the list path.
URL_TEMPLATE_OF_KIND: Final = {
    "binding": "binding",
    "user-binding": "user-binding",
    "binding-page": "binding-list",
    "user-binding-page": "user-binding-list",
}

# Operation name -> (template, HTTP method, kind of a successful body or None for 204).
OPERATIONS: Final = {
    "fetch-binding": ("binding", "GET", "binding"),
    "read-bindings": ("binding-list", "GET", "binding-page"),
    "delete-binding": ("binding", "DELETE", None),
    "fetch-user-binding": ("user-binding", "GET", "user-binding"),
    "read-user-bindings": ("user-binding-list", "GET", "user-binding-page"),
    "delete-user-binding": ("user-binding", "DELETE", None),
}


@dataclass(frozen=True)
class QueryParameter:
    """A query parameter of a read operation: the ``$defs`` entry of schemas/defs.schema.json that
    describes one value, and whether the parameter may repeat (``BindingType=gcm&BindingType=apn``)."""

    definition: str
    repeats: bool = False


_PAGING: Final = {
    "PageSize": QueryParameter("page_size_param"),
    "Page": QueryParameter("page_param"),
    "PageToken": QueryParameter("page_token_param"),
}

QUERY_PARAMETERS: Final = {
    "read-bindings": {
        "BindingType": QueryParameter("binding_type", repeats=True),
        "Identity": QueryParameter("identity", repeats=True),
        **_PAGING,
    },
    "read-user-bindings": {"BindingType": QueryParameter("binding_type", repeats=True), **_PAGING},
}
"""The query parameters each read operation takes (the other operations take none); the path
parameters of an operation are the placeholders of its template."""


def path_parameters(template: str) -> tuple[str, ...]:
    """The placeholders of a template, in order: ``("ServiceSid", "Sid")``."""
    return tuple(re.findall(r"\{(\w+)\}", TEMPLATE_TEXT[template]))


def success_status(operation: str) -> int:
    """The HTTP status of a successful answer: 200 with a body, 204 (no body) for a delete."""
    return 200 if OPERATIONS[operation][2] is not None else 204


@dataclass(frozen=True)
class PathMatch:
    """A URL whose path fits one of the templates, with its path segments percent-decoded."""

    template: str
    service: str
    user: str | None = None
    sid: str | None = None
    host: str = ""
    query: dict[str, list[str]] = field(default_factory=dict)


def match_url(url: str, template: str | None = None) -> PathMatch | None:
    """The template ``url``'s path fits (or ``template``'s only), or None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    names = [template] if template else list(_TEMPLATES)
    for name in names:
        m = _TEMPLATES[name].match(parts.path)
        if m:
            groups = {k: unquote(v) for k, v in m.groupdict().items()}
            return PathMatch(
                template=name,
                service=groups["service"],
                user=groups.get("user"),
                sid=groups.get("sid"),
                host=(parts.hostname or "").lower(),
                query=parse_qs(parts.query, keep_blank_values=True),
            )
    return None


@dataclass(frozen=True)
class Route:
    """A request recognised as one of the six Binding operations."""

    operation: str
    method: str
    kind: str | None
    match: PathMatch


def route(method: str, url: str) -> Route | None:
    """The Binding operation a request performs, recognised by its path on any host.

    A method the API does not offer on a Binding path still routes (operation
    ``"other"``), so its error answer is checked as an error envelope.
    """
    m = match_url(url)
    if m is None or m.template == "user":
        return None
    method = method.upper()
    for name, (template, op_method, kind) in OPERATIONS.items():
        if template == m.template and op_method == method:
            return Route(name, method, kind, m)
    return Route("other", method, None, m)


def query_int(query: dict[str, list[str]], name: str) -> int | None:
    """The last integer value of a query parameter, or None when absent or not an integer."""
    values = query.get(name)
    if not values:
        return None
    try:
        return int(values[-1])
    except ValueError:
        return None
