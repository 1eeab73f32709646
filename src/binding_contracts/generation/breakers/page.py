"""Breakers of a page's rules (meta against itself and the items)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, Final

from ...checking.rules import page as judged
from ...spec import facts
from ...spec.kinds import ITEMS_KEY, PAGE_KINDS, USER_PAGE_KINDS
from .. import realism
from ..builders import ITEM_KIND, PageParts, item, other_version, page, page_url
from ..drawing import Needs
from ..source import Source, choice
from .item import other_sid
from .schema import Base, Broken, breaker, doc_of, relative

META_URLS: Final = ("first_page_url", "previous_page_url", "url", "next_page_url")


def base_page(base: Base) -> PageParts:
    """The parts of the valid payload a breaker starts from, as a page's."""
    parts: PageParts = base.parts
    return parts


def rebuilt(base: Base, **changes: Any) -> Broken:
    return Broken(page(replace(base_page(base), **changes)))


def with_meta(base: Base, name: str, value: Any) -> Broken:
    doc = doc_of(base)
    doc["meta"][name] = value
    return Broken(doc)


def with_item(base: Base, index: int, **changes: Any) -> Broken:
    p = base_page(base)
    doc = doc_of(base)
    doc[ITEMS_KEY][index] = item(ITEM_KIND[p.kind], replace(p.items[index], **changes))
    return Broken(doc)


def _meta_urls(base: Base, change: Any) -> Broken:
    doc = doc_of(base)
    meta = doc["meta"]
    for name in META_URLS:
        if meta[name] is not None:
            meta[name] = change(meta[name])
    return Broken(doc)


@breaker("schema.format", PAGE_KINDS)
def relative_meta_urls(source: Source, base: Base) -> Broken:
    # every meta url relative, so that they still name one listing
    return _meta_urls(base, relative)


@breaker("schema.minimum", PAGE_KINDS, when=lambda k: "minimum" in facts.member(k, "meta", "page").schema)
def negative_page(source: Source, base: Base) -> Broken:
    return rebuilt(base, page=-source.integer(1, 3))


@breaker(judged.page_key, PAGE_KINDS)
def other_items_key(source: Source, base: Base) -> Broken:
    keys = [k for k in ("items", "user_bindings", "results", "data") if k != ITEMS_KEY]
    return rebuilt(base, key=choice(source, keys))


@breaker(judged.size_min, PAGE_KINDS)
def size_too_small(source: Source, base: Base) -> Broken:
    low, _, _ = facts.page_size_bounds(base.kind)
    return rebuilt(base, page_size=low - source.integer(1, 2))


@breaker(judged.size_max, PAGE_KINDS)
def size_too_large(source: Source, base: Base) -> Broken:
    _, high, _ = facts.page_size_bounds(base.kind)
    return rebuilt(base, page_size=high + source.integer(1, high))


@breaker(judged.items_max, PAGE_KINDS, needs=Needs(overfull=True))
def too_many_items(source: Source, base: Base) -> Broken:
    return Broken(doc_of(base))


@breaker(judged.url_path, PAGE_KINDS, needs=Needs(min_items=1))
def listing_elsewhere(source: Source, base: Base) -> Broken:
    return _meta_urls(base, other_version)


def _item_of_another(source: Source, base: Base, member: str) -> Broken:
    """One item of another service (or user), its own urls consistent with that."""
    p = base_page(base)
    i = source.integer(0, len(p.items) - 1)
    return with_item(base, i, **{member: other_sid(source, getattr(p.items[i], member))})


@breaker(judged.item_service, PAGE_KINDS, needs=Needs(min_items=1))
def item_of_another_service(source: Source, base: Base) -> Broken:
    return _item_of_another(source, base, "service_sid")


@breaker(judged.item_user, USER_PAGE_KINDS, needs=Needs(min_items=1))
def item_of_another_user(source: Source, base: Base) -> Broken:
    p = base_page(base)
    if p.identity is None:
        return _item_of_another(source, base, "user_sid")
    # the page names its user by identity: one item of another identity (a plain one: no warning)
    i = source.integer(0, len(p.items) - 1)
    drawn = realism.identity(source, plain=True)
    return with_item(base, i, identity=drawn if drawn != p.identity else drawn + "2")


@breaker(judged.unique_sids, PAGE_KINDS, needs=Needs(min_items=2))
def repeated_sid(source: Source, base: Base) -> Broken:
    p = base_page(base)
    later = source.integer(1, len(p.items) - 1)
    return with_item(base, later, sid=p.items[source.integer(0, later - 1)].sid)


@breaker(judged.first_no_previous, PAGE_KINDS, needs=Needs(page="first"))
def first_page_with_previous(source: Source, base: Base) -> Broken:
    return with_meta(base, "previous_page_url", page_url(base_page(base), 0))


def _wrong_page_url(source: Source, p: PageParts, number: int, wrong: int) -> str:
    """The url of page ``number`` gone wrong: page ``wrong`` instead, another page size, another listing."""
    mistakes: tuple[Callable[[], str], ...] = (
        lambda: page_url(p, wrong),
        lambda: page_url(p, number, size=p.page_size + source.integer(1, 5)),
        lambda: page_url(replace(p, service_sid=other_sid(source, p.service_sid)), number),
    )
    return choice(source, mistakes)()


@breaker(judged.meta_url, PAGE_KINDS)
def meta_url_of_another_page(source: Source, base: Base) -> Broken:
    p = base_page(base)
    mistakes: tuple[Callable[[], str], ...] = (
        lambda: page_url(p, p.page + source.integer(1, 3), p.token),
        lambda: page_url(p, p.page, p.token, size=p.page_size + source.integer(1, 5)),
    )
    return with_meta(base, "url", choice(source, mistakes)())


@breaker(judged.first_page_url, PAGE_KINDS)
def first_page_url_elsewhere(source: Source, base: Base) -> Broken:
    return with_meta(base, "first_page_url", _wrong_page_url(source, base_page(base), 0, 1))


@breaker(judged.previous_page_url, PAGE_KINDS, needs=Needs(page="later"))
def previous_page_url_wrong(source: Source, base: Base) -> Broken:
    p = base_page(base)
    if choice(source, (False, True)):
        return with_meta(base, "previous_page_url", None)
    return with_meta(base, "previous_page_url", _wrong_page_url(source, p, p.page - 1, p.page))


@breaker(judged.next_page_url, PAGE_KINDS)
def next_page_url_wrong(source: Source, base: Base) -> Broken:
    p = base_page(base)
    # Page=page is the classic: a next_page_url that loops back to the page itself
    return with_meta(base, "next_page_url", _wrong_page_url(source, p, p.page + 1, p.page))


@breaker("kind.undetected", PAGE_KINDS)
def meta_alone(source: Source, base: Base) -> Broken:
    return Broken(doc_of(base)["meta"])  # a caller that handed over page["meta"] instead of the page
