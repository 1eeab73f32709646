"""URL templates and URL -> operation routing, the facts a schema cannot express; the kinds and their
APIs are re-exported from :mod:`.kinds`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final
from urllib.parse import SplitResult, parse_qs, quote, unquote, urlsplit

from .kinds import (
    APIS,
    CHAT,
    CONVERSATIONS,
    ITEM_KINDS,
    KIND_TABLE,
    KINDS,
    LINKED_KINDS,
    MESSAGE_TYPE_PAIRS,
    PAGE_ITEM_KIND,
    PAGE_KINDS,
    URL_TEMPLATE_OF_KIND,
    USER_ITEM_KINDS,
    USER_KINDS,
    USER_PAGE_KINDS,
    Api,
    Kind,
    article,
    message_types_in,
    service_member,
)

__all__ = [
    "APIS",
    "CHAT",
    "CONVERSATIONS",
    "ITEM_KINDS",
    "KINDS",
    "KIND_TABLE",
    "LINKED_KINDS",
    "MESSAGE_TYPE_PAIRS",
    "PAGE_ITEM_KIND",
    "PAGE_KINDS",
    "URL_TEMPLATE_OF_KIND",
    "USER_ITEM_KINDS",
    "USER_KINDS",
    "USER_PAGE_KINDS",
    "Api",
    "Kind",
    "article",
    "message_types_in",
    "service_member",
]

ITEMS_KEY: Final = "bindings"
"""The member of a page that holds its items (``meta.key`` names it)."""

CHAT_HOST: Final = CHAT.host
DEPRECATED_HOSTS: Final = frozenset().union(*(api.deprecated_hosts for api in APIS))
CHAT_ORIGIN: Final = CHAT.origin
ERROR_DOCS: Final = "https://www.twilio.com/docs/errors/{code}"
"""Where an error body's ``more_info`` points: Twilio's page for the error code."""

SEGMENT_SAFE: Final = "-._~!$&'()*+,;=:@"
"""Characters a path segment keeps as they are (RFC 3986 ``pchar``): ``/Users/maria@example.org``
stays unencoded; ``/ ? # %``, spaces and non-ASCII are percent-encoded (UTF-8). Twilio's published
bodies name users only by sids and plain identities, so this is the spelling of every url the
library writes: generators, the fake's bodies, links.user, the recorder's pseudonyms."""
SEGMENT_CHARACTERS: Final = "A-Za-z0-9" + re.escape(SEGMENT_SAFE)
"""The characters of a path segment that need no encoding, as the body of a regex character class."""
_WELL_FORMED: Final = re.compile(f"(?:[{SEGMENT_CHARACTERS}]|%[0-9A-Fa-f]{{2}})+")
_PLAIN: Final = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*")

TEMPLATE_TEXT: Final = {
    "binding": "/v2/Services/{ServiceSid}/Bindings/{Sid}",
    "binding-list": "/v2/Services/{ServiceSid}/Bindings",
    "user-binding": "/v2/Services/{ServiceSid}/Users/{UserSid}/Bindings/{Sid}",
    "user-binding-list": "/v2/Services/{ServiceSid}/Users/{UserSid}/Bindings",
    "user": "/v2/Services/{ServiceSid}/Users/{Identity}",
    "conversations-binding": "/v1/Services/{ChatServiceSid}/Bindings/{Sid}",
    "conversations-binding-list": "/v1/Services/{ChatServiceSid}/Bindings",
}
"""The path templates of DESIGN.md (and of Conversations v1), placeholders as Twilio's spec names them."""

ROLE_OF_PLACEHOLDER: Final = {
    "ServiceSid": "service",
    "ChatServiceSid": "service",
    "UserSid": "user",
    "Identity": "user",
    "Sid": "sid",
}
"""What each placeholder names: the service, the user (by sid or identity) or the binding."""

API_OF_TEMPLATE: Final = {
    **{k.template: k.api for k in KIND_TABLE.values()},
    **{api.user_template: api for api in APIS if api.user_template},
}


def templates_of(api: Api) -> tuple[str, ...]:
    """The templates of an API's Binding kinds, in table order (the User URL not included)."""
    return tuple(dict.fromkeys(k.template for k in KIND_TABLE.values() if k.api == api))


# Segments match anything but '/': whether a segment is a well-formed SID is the rules' business,
# so a malformed request is still recognised.
_SEG = r"[^/]+"


def _pattern(text: str) -> re.Pattern[str]:
    regex = re.sub(r"\\\{(\w+)\\\}", lambda m: f"(?P<{ROLE_OF_PLACEHOLDER[m[1]]}>{_SEG})", re.escape(text))
    return re.compile(f"^{regex}/?$")


_TEMPLATES: Final = {name: _pattern(text) for name, text in TEMPLATE_TEXT.items()}


def segment(value: str, received: str | None = None) -> str:
    """``value`` written as one path segment: the characters of :data:`SEGMENT_SAFE` kept, anything
    else percent-encoded (UTF-8). ``received`` is the segment as a request wrote it: a url that echoes
    the request (a page's meta urls) repeats it as received when it is a well-formed segment naming
    ``value`` (``kim%40example.org`` stays so), else writes ``value`` anew.

    A lone surrogate cannot be written (UnicodeEncodeError)."""
    if received is not None and _names(received, value):
        return received
    if _PLAIN.fullmatch(value):
        return value
    encoded = quote(value, safe=SEGMENT_SAFE)
    # "." and ".." would be dot-segments, which a client removes when it normalises the URL
    return encoded.replace(".", "%2E") if encoded in (".", "..") else encoded


def _names(received: str, value: str) -> bool:
    well_formed = received not in (".", "..") and _WELL_FORMED.fullmatch(received) is not None
    return well_formed and unquote(received) == value


def build_url(
    template: str,
    origin: str = CHAT_ORIGIN,
    query: str = "",
    *,
    received: Mapping[str, str] | None = None,
    **segments: str,
) -> str:
    """The URL of a template with its segments percent-encoded: the inverse of :func:`match_url`,
    and the one function that writes a Binding API URL.

    ``build_url("binding", ServiceSid="IS…", Sid="BS…")`` ->
    ``https://chat.twilio.com/v2/Services/IS…/Bindings/BS…``; ``received`` holds segments by
    placeholder as a request wrote them (see :func:`segment`).
    """
    given = received or {}
    encoded = {name: segment(value, given.get(name)) for name, value in segments.items()}
    path = TEMPLATE_TEXT[template].format(**encoded)
    return f"{origin}{path}?{query}" if query else origin + path


def url_of(
    template: str,
    origin: str,
    *,
    service: str,
    sid: str | None = None,
    user: str | None = None,
    query: str = "",
    received: PathMatch | None = None,
) -> str:
    """:func:`build_url` with the segments named by what they name (service, user, sid), whatever
    the API calls its placeholders; ``received`` is the request's match whose segments a url
    echoes as they were written."""
    roles = {"service": service, "sid": sid, "user": user}
    placeholders = path_parameters(template)
    segments = {p: roles[ROLE_OF_PLACEHOLDER[p]] for p in placeholders}
    raw = received.raw if received is not None else {}
    as_received = {p: raw[ROLE_OF_PLACEHOLDER[p]] for p in placeholders if ROLE_OF_PLACEHOLDER[p] in raw}
    return build_url(
        template,
        origin,
        query,
        received=as_received,
        **{p: v for p, v in segments.items() if v is not None},
    )


# Operation name -> (template, HTTP method, kind of a successful body or None for 204).
OPERATIONS: Final = {
    "fetch-binding": ("binding", "GET", "binding"),
    "read-bindings": ("binding-list", "GET", "binding-page"),
    "delete-binding": ("binding", "DELETE", None),
    "fetch-user-binding": ("user-binding", "GET", "user-binding"),
    "read-user-bindings": ("user-binding-list", "GET", "user-binding-page"),
    "delete-user-binding": ("user-binding", "DELETE", None),
    "fetch-conversations-binding": ("conversations-binding", "GET", "conversations-binding"),
    "read-conversations-bindings": ("conversations-binding-list", "GET", "conversations-binding-page"),
    "delete-conversations-binding": ("conversations-binding", "DELETE", None),
}


@dataclass(frozen=True)
class QueryParameter:
    """A query parameter of a read operation: the ``$defs`` entry of schemas/defs.schema.json that
    describes one value, and whether the parameter may repeat (``BindingType=gcm&BindingType=apn``)."""

    definition: str
    repeats: bool = False


def _read(api: Api, *, identity: bool = True) -> dict[str, QueryParameter]:
    """A read's filters (BindingType, and Identity unless the path names the user) and paging."""
    filters = {"BindingType": QueryParameter(api.binding_types, repeats=True)}
    if identity:
        filters["Identity"] = QueryParameter("identity", repeats=True)
    return {
        **filters,
        "PageSize": QueryParameter(api.page_size),
        "Page": QueryParameter("page_param"),
        "PageToken": QueryParameter("page_token_param"),
    }


QUERY_PARAMETERS: Final = {
    "read-bindings": _read(CHAT),
    "read-user-bindings": _read(CHAT, identity=False),
    "read-conversations-bindings": _read(CONVERSATIONS),
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
    raw: dict[str, str] = field(default_factory=dict)
    """The segments by what they name (``service``, ``user``, ``sid``) as the URL writes them."""


def split_url(url: str) -> SplitResult:
    """``urlsplit``, or for a URL it refuses (an unbalanced IPv6 bracket) the whole text as a path:
    a rule reports such a URL instead of failing on it."""
    try:
        return urlsplit(url)
    except ValueError:
        return SplitResult("", "", url, "", "")


def match_url(url: str, template: str | None = None) -> PathMatch | None:
    """The template ``url``'s path fits (or ``template``'s only), or None.

    Kept for the next call (several rules look at one url): treat the match as read-only."""
    return _match_url(url, template)


@lru_cache(maxsize=1024)
def _match_url(url: str, template: str | None) -> PathMatch | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    names = [template] if template else list(_TEMPLATES)
    for name in names:
        m = _TEMPLATES[name].match(parts.path)
        if m:
            raw = m.groupdict()
            groups = {k: unquote(v) for k, v in raw.items()}
            return PathMatch(
                template=name,
                service=groups["service"],
                user=groups.get("user"),
                sid=groups.get("sid"),
                host=(parts.hostname or "").lower(),
                query=parse_qs(parts.query, keep_blank_values=True),
                raw=raw,
            )
    return None


@dataclass(frozen=True)
class Route:
    """A request recognised as one of the Binding operations (:data:`OPERATIONS`)."""

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


MAX_DIGITS: Final = 18
"""Most digits a number in a URL is read with (a Page, a PageSize, a PageToken's): it fits 64 bits."""


def ascii_int(text: str) -> int | None:
    """The integer ``text`` spells in ASCII digits (at most :data:`MAX_DIGITS`, a ``-`` before them
    allowed), else None. ``int()`` alone would also read Arabic-Indic digits, ``5_0``, `` 5``
    and ``+5``, raise on superscripts (which ``isdigit()`` passes) and on 5,000 digits."""
    digits = text.removeprefix("-")
    if 0 < len(digits) <= MAX_DIGITS and digits.isascii() and digits.isdigit():
        return int(text)
    return None


def query_int(query: dict[str, list[str]], name: str) -> int | None:
    """The last value of a query parameter as a number in ASCII digits, or None when absent or not one."""
    values = query.get(name)
    return ascii_int(values[-1]) if values else None
