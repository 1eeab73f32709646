"""Cheap proofs that semantic rules stay quiet on a schema-valid document: the rules so proven are
skipped, every other rule runs as written. A proof may give up (the rule then runs), never lie."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, Final
from urllib.parse import urlsplit

from ...spec.kinds import URL_TEMPLATE_OF_KIND
from ...spec.schemas import defs, known_properties
from ...spec.urls import DEPRECATED_HOSTS, build_url, url_of
from ..rule import Context
from ..rules.item import URI_RESERVED

Quiet = frozenset[str]
NONE: Final[Quiet] = frozenset()
_ORIGIN: Final = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?")
_REQUEST: Final = ("request.sid", "request.service", "request.user")
_PAGE_REQUEST: Final = ("request.filter-binding-type", "request.filter-identity", "request.page-size")
_SEQUENCE: Final = ("sequence.meta-url", "sequence.page-number", "sequence.unique-sids")
_OWN_URL: Final = ("binding.url-path", "binding.url-sid", "binding.url-service", "binding.url-user")
_LINKS: Final = ("binding.links-user-service", "binding.links-user-identity")
_origins: dict[str, bool] = {}


def _clean_origin(url: str) -> str | None:
    """The scheme and host of a URL whose host is plain and not deprecated, with the rest of it."""
    cut = url.find("/v2/")
    if cut < 0:
        return None
    origin = url[:cut]
    clean = _origins.get(origin)
    if clean is None:
        clean = _ORIGIN.fullmatch(origin) is not None and urlsplit(origin).hostname not in DEPRECATED_HOSTS
        if len(_origins) > 256:
            _origins.clear()
        _origins[origin] = clean
    return url[cut:] if clean else None


@cache
def _known(kind: str) -> dict[str, frozenset[str]]:
    return known_properties(kind)


@cache
def _known_message_types() -> frozenset[str]:
    return frozenset(defs()["known_message_type"]["enum"])


def _user_path(service: str, identity: str) -> str | None:
    """The path of the User URL naming ``identity``, as the library writes it (None when it cannot)."""
    try:
        return build_url("user", "", ServiceSid=service, Identity=identity)
    except UnicodeEncodeError:  # a lone surrogate
        return None


def _fields_known(doc: Mapping[str, Any], kind: str) -> bool:
    for role, names in _known(kind).items():
        obj = doc.get(role) if role else doc
        if isinstance(obj, dict) and not names.issuperset(obj):
            return False
    return True


def binding(doc: dict[str, Any], kind: str, ctx: Context) -> tuple[Quiet, bool]:
    """The quiet rules of a schema-valid (user) binding, and whether url.deprecated-host would find
    nothing in it (its url on a current host, no undocumented member that could hold a url)."""
    quiet: set[str] = set()
    sid, service, identity = doc["sid"], doc["service_sid"], doc["identity"]
    path = _clean_origin(doc["url"])
    known = _fields_known(doc, kind)
    own = url_of(URL_TEMPLATE_OF_KIND[kind], "", service=service, sid=sid, user=doc.get("user_sid"))
    if path is not None and path == own:
        quiet.update(_OWN_URL)
    if "links" in _known(kind)[""]:
        user = _clean_origin(doc["links"]["user"])
        if user is not None and user == _user_path(service, identity):
            quiet.update(_LINKS)
    # Two UTC times of the one fixed width compare as text.
    created, updated = doc["date_created"], doc["date_updated"]
    same_shape = len(created) == len(updated) == 20 and created[10] == updated[10] == "T"
    if same_shape and created[-1] == updated[-1] == "Z" and created <= updated:
        quiet.add("binding.dates-ordered")
    if URI_RESERVED.isdisjoint(identity):
        quiet.add("binding.identity-reserved")
    if _known_message_types().issuperset(doc["message_types"]):
        quiet.add("binding.unknown-message-type")
    if known:
        quiet.add("field.unknown")
    # url.deprecated-host looks at url and links.user (and at the url members of meta and items:
    # unknown here)
    links_current = "links" not in _known(kind)[""] or _clean_origin(doc["links"]["user"]) is not None
    current = known and path is not None and links_current
    if current:
        quiet.add("url.deprecated-host")
    if ctx.request is None:
        quiet.update(_REQUEST)
    return frozenset(quiet), current


def page(doc: dict[str, Any], kind: str, ctx: Context) -> tuple[Quiet, bool]:
    """The quiet page-level rules of a schema-valid page, and whether its own urls are all on a current
    host (url.deprecated-host also needs every item's; items are proven one by one)."""
    quiet: set[str] = set()
    meta = doc["meta"]
    urls = (meta["url"], meta["first_page_url"], meta["previous_page_url"], meta["next_page_url"])
    known = _fields_known(doc, kind)
    current = known and all(u is None or _clean_origin(u) is not None for u in urls)
    if known:
        quiet.add("field.unknown")
    if current:
        quiet.add("url.deprecated-host")
    if ctx.request is None:
        quiet.update(_REQUEST)
        quiet.update(_PAGE_REQUEST)
    if not ctx.walk:
        quiet.update(_SEQUENCE)
    return frozenset(quiet), current


PROOFS: Final[dict[str, Callable[[dict[str, Any], str, Context], tuple[Quiet, bool]]]] = {
    "binding": binding,
    "user-binding": binding,
    "binding-page": page,
    "user-binding-page": page,
}
"""The proofs by kind; a kind without one (an error body) runs every rule."""


def quiet(doc: dict[str, Any], kind: str, ctx: Context) -> tuple[Quiet, bool]:
    proof = PROOFS.get(kind)
    return proof(doc, kind, ctx) if proof is not None else (NONE, False)
