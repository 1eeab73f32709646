"""Rules every kind shares (an undocumented member, the deprecated host) and the error body's, each
rule's quiet-proof after it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from ..._json import join, pointer
from ...report import Severity, brief, shorten
from ...spec.kinds import ITEMS_KEY, KIND_TABLE, KINDS, PAGE_KINDS
from ...spec.routes import split_url
from ...spec.schemas import known_properties
from ...spec.urls import DEPRECATED_HOSTS
from ..proof import Seen, clean_path, proves
from ..rule import Context, Finding, rule
from .item import BINDING_KINDS, integer, text


@rule(
    "field.unknown",
    KINDS,
    "a member the schema does not document (an error with strict_fields)",
    severity="warning",
    shape="spelt",
    reads=(),
)
def unknown_field(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    severity: Severity = "error" if ctx.strict_fields else "warning"
    for role, names in known_properties(kind).items():
        obj = doc.get(role) if role else doc
        if isinstance(obj, dict) and not names.issuperset(obj):
            base = join("", role) if role else ""
            for name in obj:
                if name not in names:
                    yield Finding(
                        join(base, name),
                        f"member {shorten(name)} is not documented for {kind}",
                        severity=severity,
                    )


@proves(unknown_field)
def fields_proven(seen: Seen) -> bool:
    return seen.known


_URL_MEMBERS = ("url", "user", "first_page_url", "previous_page_url", "next_page_url")


def _urls(
    doc: dict[str, Any], where: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every url of a document and where it is (its pointer's tokens: written only when reported)."""
    for key in _URL_MEMBERS:
        value = doc.get(key)
        if isinstance(value, str):
            yield (*where, key), value
    for nested in ("links", "meta"):
        value = doc.get(nested)
        if isinstance(value, dict):
            yield from _urls(value, (*where, nested))
    items = doc.get(ITEMS_KEY)
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield from _urls(item, (*where, ITEMS_KEY, i))


def _may_name_deprecated_host(doc: dict[str, Any]) -> bool:
    """Whether any text of the document may name a deprecated host, as :func:`_on_deprecated_host`
    first asks of each url: its JSON text, lower-cased, looked at once (a page's hundred urls cost
    a walk each otherwise). orjson writes a string as it is but for quotes, backslashes and control
    characters, which no host name holds; a document it cannot write is walked."""
    try:
        lowered = orjson.dumps(doc).decode().lower()
    except TypeError:  # orjson.JSONEncodeError
        return True
    return any(host in lowered for host in DEPRECATED_HOSTS)


def _on_deprecated_host(url: str) -> bool:
    """Whether a url's host is a deprecated one: only a url whose text names one is split (a host is
    lower-cased as the text it is part of is)."""
    lowered = url.lower()
    if not any(host in lowered for host in DEPRECATED_HOSTS):
        return False
    return (split_url(url).hostname or "") in DEPRECATED_HOSTS


@rule(
    "url.deprecated-host",
    tuple(KIND_TABLE),
    "urls on the deprecated IP Messaging host (reported once per document)",
    severity="warning",
    per_item=False,
    shape="spelt",
    reads=("url", "links"),
    compares=False,
)
def deprecated_host(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    if not _may_name_deprecated_host(doc):
        return
    old = [(where, u) for where, u in _urls(doc) if _on_deprecated_host(u)]
    if old:
        more = f" (and {len(old) - 1} other url(s))" if len(old) > 1 else ""
        host = split_url(old[0][1]).hostname
        yield Finding(pointer(old[0][0]), f"{brief(host)} is the deprecated IP Messaging host{more}")


@proves(deprecated_host, kinds=BINDING_KINDS)
def item_hosts_proven(seen: Seen) -> bool:
    """Every member is documented, and url and links.user are on a plain current host (a page's
    url.deprecated-host also reads its items: :attr:`.Rule.per_item`)."""
    doc = seen.doc
    if not seen.known or clean_path(doc["url"]) is None:
        return False
    return "links" not in seen.documented[""] or clean_path(doc["links"]["user"]) is not None


@proves(deprecated_host, kinds=PAGE_KINDS)
def page_hosts_proven(seen: Seen) -> bool:
    """Every member is documented, and each meta url is null or on a plain current host."""
    meta = seen.doc["meta"]
    urls = (meta["url"], meta["first_page_url"], meta["previous_page_url"], meta["next_page_url"])
    return seen.known and all(u is None or clean_path(u) is not None for u in urls)


@rule("error.more-info-code", ("error",), "more_info names the error's code")
def more_info_code(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    code, more_info = integer(doc.get("code")), text(doc, "more_info")
    named = split_url(more_info).path.rstrip("/").rsplit("/", 1)[-1] if more_info else None
    if code is not None and named is not None and named != str(code):
        yield Finding("/more_info", f"more_info {shorten(more_info)} does not name code {brief(code)}")


@rule(
    "error.status-match",
    ("error",),
    "the body's status equals the HTTP status (when the status is known)",
    needs="request",
)
def status_match(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    status = integer(doc.get("status"))
    if ctx.status is not None and status is not None and status != ctx.status:
        yield Finding("/status", f"body status {brief(status)} but the HTTP status is {brief(ctx.status)}")
