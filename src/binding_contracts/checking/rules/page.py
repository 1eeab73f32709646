"""Semantic rules of a read page: meta consistent with itself and with the items."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

from ...report import brief, shorten
from ...spec import facts
from ...spec.kinds import (
    ITEMS_KEY,
    PAGE_KINDS,
    URL_TEMPLATE_OF_KIND,
    USER_PAGE_KINDS,
    service_member,
)
from ...spec.routes import PathMatch, ascii_int, match_url, query_int, split_url
from ...spec.urls import TEMPLATE_TEXT
from ..rule import Context, Finding, rule
from .item import as_named, integer, text, user_contradicted


def meta(doc: dict[str, Any]) -> dict[str, Any]:
    value = doc.get("meta")
    return value if isinstance(value, dict) else {}


def items(doc: dict[str, Any]) -> list[Any]:
    value = doc.get(ITEMS_KEY)
    return value if isinstance(value, list) else []


def list_url(doc: dict[str, Any], kind: str) -> PathMatch | None:
    url = text(meta(doc), "url")
    return match_url(url, URL_TEMPLATE_OF_KIND[kind]) if url is not None else None


@rule("page.key", PAGE_KINDS, f"meta.key names the items key ({ITEMS_KEY!r})", shape="spelt")
def page_key(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    key = text(meta(doc), "key")
    if key is not None and key != ITEMS_KEY:
        yield Finding("/meta/key", f"meta.key is {shorten(key)} but the items are under {ITEMS_KEY!r}")


@rule("page.size-min", PAGE_KINDS, "meta.page_size is at least the PageSize minimum (1)", shape="spelt")
def size_min(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    size, low = integer(meta(doc).get("page_size")), facts.page_size_bounds(kind)[0]
    if size is not None and size < low:
        yield Finding("/meta/page_size", f"page_size {brief(size)} is below the PageSize minimum {low}")


@rule(
    "page.size-max",
    PAGE_KINDS,
    "meta.page_size is at most the PageSize maximum (Chat 50, Conversations 100)",
    shape="groups",
)
def size_max(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    size, high = integer(meta(doc).get("page_size")), facts.page_size_bounds(kind)[1]
    if size is not None and size > high:
        yield Finding("/meta/page_size", f"page_size {brief(size)} is above the PageSize maximum {high}")


@rule("page.items-max", PAGE_KINDS, "a page holds no more items than its page_size", shape="groups")
def items_max(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    size, count = integer(meta(doc).get("page_size")), len(items(doc))
    if size is not None and count > size > 0:
        yield Finding(f"/{ITEMS_KEY}", f"{count} items on a page whose page_size is {brief(size)}")


@rule("page.url-path", PAGE_KINDS, "meta.url is the list URL of the page's kind", shape="spelt")
def url_path(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    url = text(meta(doc), "url")
    if url is not None and list_url(doc, kind) is None:
        template = TEMPLATE_TEXT[URL_TEMPLATE_OF_KIND[kind]]
        yield Finding("/meta/url", f"meta.url path {shorten(split_url(url).path)} does not fit {template}")


def _items_name(doc: dict[str, Any], kind: str, part: str, member: str) -> Iterator[Finding]:
    m = list_url(doc, kind)
    listed = getattr(m, part) if m is not None else None
    if listed is None:
        return
    for i, item in enumerate(items(doc)):
        own = text(item, member) if isinstance(item, dict) else None
        if own is not None and own != listed:
            yield Finding(
                f"/{ITEMS_KEY}/{i}/{member}",
                f"item {member} is {brief(own)} but the page lists {part} {brief(listed)}",
            )


@rule("page.item-service", PAGE_KINDS, "every item belongs to the service the page lists", shape="groups")
def item_service(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    yield from _items_name(doc, kind, "service", service_member(kind))


@rule(
    "page.item-user",
    USER_PAGE_KINDS,
    "every item belongs to the user the page lists (by user_sid, or by identity after percent-decoding)",
    shape="groups",
)
def item_user(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    m = list_url(doc, kind)
    listed = m.user if m is not None else None
    if listed is None:
        return
    for i, item in enumerate(items(doc)):
        member = user_contradicted(listed, item) if isinstance(item, dict) else None
        if member is not None:
            yield Finding(
                f"/{ITEMS_KEY}/{i}/{member}",
                f"item {member} is {as_named(item[member])} but the page lists user {as_named(listed)}",
            )


@rule("page.unique-sids", PAGE_KINDS, "no sid appears twice on a page", shape="groups")
def unique_sids(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    first: dict[str, int] = {}
    for i, item in enumerate(items(doc)):
        sid = text(item, "sid") if isinstance(item, dict) else None
        if sid is None:
            continue
        if sid in first:
            yield Finding(
                f"/{ITEMS_KEY}/{i}/sid", f"sid {brief(sid)} already appears at /{ITEMS_KEY}/{first[sid]}"
            )
        else:
            first[sid] = i


@rule("page.first-no-previous", PAGE_KINDS, "page 0 has no previous_page_url", shape="groups")
def first_no_previous(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    m = meta(doc)
    previous = m.get("previous_page_url")
    if integer(m.get("page")) == 0 and previous is not None:
        yield Finding("/meta/previous_page_url", f"page 0 has previous_page_url {shorten(previous)}")


def _same_list(url: str, reference: str) -> bool:
    a, b = split_url(url), split_url(reference)
    return (a.scheme, a.netloc.lower(), a.path.rstrip("/")) == (
        b.scheme,
        b.netloc.lower(),
        b.path.rstrip("/"),
    )


def _consistent(doc: dict[str, Any], key: str, page: int | None) -> Iterator[Finding]:
    """The meta url ``key`` is the page ``page`` of the same listing at the same page size."""
    m = meta(doc)
    url, own = text(m, key), text(m, "url")
    if url is None:
        return
    where, query = f"/meta/{key}", _query(url)
    if key != "url" and own is not None and not _same_list(url, own):
        yield Finding(where, f"{key} {shorten(url)} is not the listing of meta.url {shorten(own)}")
    named, size = query_int(query, "Page"), integer(m.get("page_size"))
    for name in ("Page", "PageSize"):
        spelt = query.get(name)
        if spelt and ascii_int(spelt[-1]) is None:  # not absent: a number no client can read back
            yield Finding(
                where, f"{key} names {name}={shorten(spelt[-1])}, which is not a number in ASCII digits"
            )
    if page is not None and named is not None and named != page:
        yield Finding(where, f"{key} names Page={named} but expected Page={brief(page)}")
    named_size = query_int(query, "PageSize")
    if size is not None and named_size is not None and named_size != size:
        yield Finding(where, f"{key} names PageSize={named_size} but page_size is {brief(size)}")


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(split_url(url).query, keep_blank_values=True)


@rule(
    "page.meta-url",
    PAGE_KINDS,
    "meta.url names this page's Page and PageSize, in ASCII digits",
    shape="groups",
)
def meta_url(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    yield from _consistent(doc, "url", integer(meta(doc).get("page")))


@rule(
    "page.first-page-url",
    PAGE_KINDS,
    "first_page_url is Page=0 of the same listing, at the same PageSize",
    shape="groups",
)
def first_page_url(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    yield from _consistent(doc, "first_page_url", 0)


@rule(
    "page.previous-page-url",
    PAGE_KINDS,
    "a page after the first has a previous_page_url, Page=page-1 of the same listing",
    shape="groups",
)
def previous_page_url(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    m = meta(doc)
    page = integer(m.get("page"))
    if page is None or page == 0:
        return
    if "previous_page_url" in m and m["previous_page_url"] is None:
        yield Finding("/meta/previous_page_url", f"page {brief(page)} has no previous_page_url")
    yield from _consistent(doc, "previous_page_url", page - 1)


@rule("page.next-page-url", PAGE_KINDS, "next_page_url is Page=page+1 of the same listing", shape="groups")
def next_page_url(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Finding]:
    page = integer(meta(doc).get("page"))
    yield from _consistent(doc, "next_page_url", page + 1 if page is not None else None)
