"""Reading a URL back: URL -> template and segments (:func:`match_url`, the inverse of
:func:`.urls.build_url`), request -> Binding operation (:func:`route`), and the numbers a query names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

from .kinds import CHAT, CONVERSATIONS, Api
from .urls import ROLE_OF_PLACEHOLDER, TEMPLATE_TEXT

# Segments match anything but '/': whether a segment is a well-formed SID is the rules' business,
# so a malformed request is still recognised.
_SEG = r"[^/]+"


def _pattern(text: str) -> re.Pattern[str]:
    regex = re.sub(r"\\\{(\w+)\\\}", lambda m: f"(?P<{ROLE_OF_PLACEHOLDER[m[1]]}>{_SEG})", re.escape(text))
    return re.compile(f"^{regex}/?$")


_TEMPLATES: Final = {name: _pattern(text) for name, text in TEMPLATE_TEXT.items()}


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


def parse_url(url: str) -> SplitResult | None:
    """``urlsplit(url)``, or None for a URL it refuses: the one place a URL is split, as the text of
    any URL is data from a payload, a cassette or a user. ``urlsplit`` raises ``ValueError`` on a
    bracketed host that is no IPv6 address (``https://[x]/``), an unbalanced bracket, or a host that
    NFKC normalisation gives a ``/ ? # @ :``; ruff's banned-api (pyproject.toml) keeps every other
    module from calling it."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def split_url(url: str) -> SplitResult:
    """:func:`parse_url`, or for a URL it refuses the whole text as a path: a rule reports such a
    URL instead of failing on it."""
    return parse_url(url) or SplitResult("", "", url, "", "")


def match_url(url: str, template: str | None = None) -> PathMatch | None:
    """The template ``url``'s path fits (or ``template``'s only), or None.

    Kept for the next call (several rules look at one url): treat the match as read-only."""
    return _match_url(url, template)


@lru_cache(maxsize=1024)
def _match_url(url: str, template: str | None) -> PathMatch | None:
    parts = parse_url(url)
    if parts is None:
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
