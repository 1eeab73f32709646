"""URL templates and the one writer of every URL the library emits (:func:`build_url`,
:func:`url_of`, :func:`page_query`); reading a URL back is :mod:`.routes`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Final
from urllib.parse import quote, unquote, urlencode

from .kinds import APIS, CHAT, KIND_TABLE, Api

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
"""The path templates of Chat v2's and Conversations v1's Binding resources, placeholders as Twilio's
spec names them."""

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


def path_parameters(template: str) -> tuple[str, ...]:
    """The placeholders of a template, in order: ``("ServiceSid", "Sid")``."""
    return tuple(re.findall(r"\{(\w+)\}", TEMPLATE_TEXT[template]))


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
    """The URL of a template with its segments percent-encoded: the inverse of
    :func:`~.routes.match_url`, and the one function that writes a Binding API URL.

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
    received: Mapping[str, str] | None = None,
) -> str:
    """:func:`build_url` with the segments named by what they name (service, user, sid), whatever
    the API calls its placeholders; ``received`` holds the segments by what they name as a request
    wrote them (:attr:`.routes.PathMatch.raw`), which a url echoing that request repeats."""
    roles = {"service": service, "sid": sid, "user": user}
    placeholders = path_parameters(template)
    segments = {p: roles[ROLE_OF_PLACEHOLDER[p]] for p in placeholders}
    raw = received or {}
    as_received = {p: raw[ROLE_OF_PLACEHOLDER[p]] for p in placeholders if ROLE_OF_PLACEHOLDER[p] in raw}
    return build_url(
        template,
        origin,
        query,
        received=as_received,
        **{p: v for p, v in segments.items() if v is not None},
    )


def page_query(
    page_size: int, page: int, token: str | None = None, filters: Iterable[tuple[str, str]] = ()
) -> str:
    """The query of a page url as Twilio writes it: the read's filters in request order, then
    ``PageSize``, ``Page`` and (when there is one) ``PageToken``, form-encoded."""
    pairs = [*filters, ("PageSize", str(page_size)), ("Page", str(page))]
    if token is not None:
        pairs.append(("PageToken", token))
    return urlencode(pairs)


def error_docs(code: int) -> str:
    """The ``more_info`` of an error body: Twilio's page for ``code``."""
    return ERROR_DOCS.format(code=code)
