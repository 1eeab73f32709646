"""The fastest yes: a document whose JSON text fits the one shape in which nothing can be wrong.

A shape is a regular expression over the JSON text, built once per kind and member order: every SID
of its pattern, dates of one fixed UTC width, binding and message types from the documented lists,
no escaped string, and urls written from the kind's templates on a current host, the SIDs in them
back-references to the members that name them. What a regular expression cannot hold is checked on
its groups: dates in order, links.user naming the identity after percent-decoding, page numbers in
the meta urls, page size bounds, items of the page's service and user, unique sids. A page's
items are found by one ``split`` of the text after its head (each right after the one before), and
what is left must fit its tail.

A document that fits is valid in every profile, and no rule that needs only the payload finds
anything in it but binding.identity-reserved (a warning), whose places are returned. Anything else
(another member, an escape, a deprecated host, February 29...) is not vouched for, and the other
paths judge it; the reference path stays the judge, and tests require the same report.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, Final
from urllib.parse import parse_qs, unquote_to_bytes

from ...spec.kinds import ITEMS_KEY, KIND_TABLE, Kind
from ...spec.routes import ascii_int, query_int
from ...spec.schemas import defs, known_properties
from ...spec.urls import DEPRECATED_HOSTS, SEGMENT_CHARACTERS, TEMPLATE_TEXT
from ..rules.item import URI_RESERVED

_WS: Final = r"[ \t\n\r]*"
_DATE: Final = (
    r"(?!0000)[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)"
    r"|(?:0[13578]|1[02])-31)T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z"
)
"""RFC 3339 date-times of the one width Twilio writes (February 29 left to the other paths): two of
them compare as text."""
_TEXT: Final = r'[^\x00-\x1f"\\]+'
"""A JSON string with nothing escaped (the text is UTF-8 that a JSON parser read or wrote)."""
_SEGMENT: Final = rf"(?:[{SEGMENT_CHARACTERS}]++|%[0-9A-Fa-f]{{2}})++"
"""A path segment as a url writes it; the identity it names is compared after percent-decoding."""
_QUERY: Final = r"(?:[A-Za-z0-9._~=&+-]++|%[0-9A-Fa-f]{2})*+"
"""Runs of plain characters are taken whole and never given back (possessive): what follows a
segment or a query (a quote, a slash) is never one of them, and a failing text fails at once."""
_DEPRECATED: Final = "|".join(re.escape(h) for h in sorted(DEPRECATED_HOSTS))
_ORIGIN: Final = rf"https?://(?!(?i:{_DEPRECATED})[:/])[A-Za-z0-9.-]+(?::[0-9]{{1,5}})?"
_RESERVED: Final = re.compile(b"[" + re.escape("".join(sorted(URI_RESERVED)).encode()) + b"]")
_CACHE_SIZE: Final = 256

Where = tuple[str | int, ...]
"""Where in a document an object sits: ``()`` the document, ``("bindings", 3)`` an item."""
Found = tuple[tuple[Where, bytes], ...]
"""The identities with URI-reserved characters of a document that fits, and where they are."""


def _sid(definition: str) -> str:
    pattern = str(defs()[definition]["pattern"])
    return pattern.removeprefix("^").removesuffix("$")


def _one_of(values: list[str]) -> str:
    return "(?:" + "|".join(re.escape(v) for v in values) + ")"


def _object(order: tuple[str, ...], member: Callable[[str], str]) -> str:
    pairs = (f'"{re.escape(k)}"{_WS}:{_WS}{member(k)}' for k in order)
    return r"\{" + _WS + f"{_WS},{_WS}".join(pairs) + _WS + r"\}"


class _Unwritten(LookupError):
    """A member the schemas document that no shape knows how to write (a member added to a schema):
    documents with it have no shape, and the other paths judge them."""


def _written(order: tuple[str, ...], member: Callable[[str], str]) -> str | None:
    try:
        return _object(order, member)
    except _Unwritten:
        return None


def _exactly(order: tuple[str, ...] | None, names: frozenset[str]) -> bool:
    return order is not None and len(order) == len(names) and names.issuperset(order)


class _Builder:
    """Writes one object's pattern: a value named twice is captured once, then referred back to."""

    def __init__(self) -> None:
        self.defined: set[str] = set()

    def var(self, name: str, pattern: str) -> str:
        if name in self.defined:
            return f"(?P={name})"
        self.defined.add(name)
        return f"(?P<{name}>{pattern})"

    def url(self, template: str, *, query: str | None = None, user: str | None = None) -> str:
        """A url of ``template``, each placeholder a captured value, as a JSON string; the user is
        named by ``user`` (a pattern) when given, else by a user sid."""
        parts = re.split(r"\{(\w+)\}", TEMPLATE_TEXT[template])
        out = [self.var("origin", _ORIGIN)]
        for i, part in enumerate(parts):
            if i % 2 == 0:
                out.append(re.escape(part))
            elif part in ("ServiceSid", "ChatServiceSid"):
                out.append(self.var("service", _sid("service_sid")))
            elif part == "UserSid":
                out.append(self.var("user", user or _sid("user_sid")))
            elif part == "Identity":
                out.append(self.var("segment", _SEGMENT))
            else:
                out.append(self.var("sid", _sid("binding_sid")))
        if query is not None:
            out.append(rf"(?:\?(?P<{query}>{_QUERY}))?")
        return '"' + "".join(out) + '"'


def _item(kind: Kind, order: tuple[str, ...], links: tuple[str, ...] | None) -> str | None:
    """The pattern of one binding of ``kind`` whose members come in ``order``, or None when its
    members are not exactly the documented ones."""
    api, b = kind.api, _Builder()
    known = known_properties(kind.name)
    if not _exactly(order, known[""]) or (kind.links and not _exactly(links, known["links"])):
        return None
    message_type = _one_of(defs()[api.message_types]["enum"])
    user_template = api.user_template or ""

    def member(name: str) -> str:
        if name == "sid":
            return '"' + b.var("sid", _sid("binding_sid")) + '"'
        if name == api.service_member:
            return '"' + b.var("service", _sid("service_sid")) + '"'
        if name == "user_sid":
            return '"' + b.var("user", _sid("user_sid")) + '"'
        if name in ("account_sid", "credential_sid"):
            return '"' + _sid(name) + '"'
        if name in ("date_created", "date_updated"):
            return f'"(?P<{name[5:]}>{_DATE})"'
        if name in ("endpoint", "identity"):
            return f'"(?P<{name}>{_TEXT})"'
        if name == "binding_type":
            return '"' + _one_of(defs()[api.binding_types]["enum"]) + '"'
        if name == "message_types":
            return rf"\[{_WS}(?:\"{message_type}\"(?:{_WS},{_WS}\"{message_type}\")*)?{_WS}\]"
        if name == "url":
            return b.url(kind.template)
        if name == "links" and links is not None:
            return _object(links, link)
        raise _Unwritten(name)

    def link(name: str) -> str:
        if name == "user":
            return b.url(user_template)
        raise _Unwritten(name)

    return _written(order, member)


_META_URLS: Final = ("url", "first_page_url", "previous_page_url", "next_page_url")
_META: Final = {
    "page": "(?P<page>0|[1-9][0-9]{0,8})",
    "page_size": "(?P<size>[1-9][0-9]{0,8})",
    "key": f'"{ITEMS_KEY}"',
}


def _meta(kind: Kind, order: tuple[str, ...] | None) -> str | None:
    """The pattern of a page's meta whose members come in ``order``."""
    if not _exactly(order, known_properties(kind.name)["meta"]):
        return None
    b = _Builder()

    def member(name: str) -> str:
        if name in _META:
            return _META[name]
        if name not in _META_URLS:
            raise _Unwritten(name)
        # a page echoes the request: its user is named by sid or by identity (a segment)
        url = b.url(kind.template, query=f"q_{name}", user=_SEGMENT)
        return url if name in ("url", "first_page_url") else f"(?:null|(?P<has_{name}>{url}))"

    return _written(order or (), member)


class _Compiled:
    """A pattern of a shape compiled when first read (compiling one costs milliseconds, and a page's
    check never reads a lone item's, nor most texts the whitespace variants), from the pattern text
    the shape keeps under ``source``: compact (no whitespace between tokens) or ``spaced`` (JSON
    whitespace allowed between any tokens)."""

    def __init__(self, source: str, *, spaced: bool = False) -> None:
        self.source, self.spaced = source, spaced

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, shape: object, owner: type | None = None) -> re.Pattern[bytes]:
        text = str(getattr(shape, self.source))
        pattern = re.compile((text if self.spaced else text.replace(_WS, "")).encode())
        shape.__dict__[self.name] = pattern  # read from the instance from now on
        return pattern


class ItemShape:
    """One binding's pattern for one member order, and the checks on its groups."""

    compact, spaced = _Compiled("pattern"), _Compiled("pattern", spaced=True)
    compact_more, spaced_more = _Compiled("more"), _Compiled("more", spaced=True)
    """One item of a page, and the comma after it when another follows."""

    def __init__(self, kind: Kind, pattern: str) -> None:
        self.pattern, self.more = pattern, f"{pattern}{_WS}(?P<more>,{_WS})?"
        # the same eight groups for every kind: a kind without links names its identity for its
        # segment, one without a user its service for its user
        self.groups = (
            "sid",
            "service",
            "user" if kind.user else "service",
            "created",
            "updated",
            "identity",
            "segment" if kind.links else "identity",
        )

        self.own = self.groups[3:]

    def fits(self, text: bytes) -> Found | None:
        """Whether the text fits and its groups hold: dates in order, links.user naming the identity."""
        m = self.compact.fullmatch(text) or self.spaced.fullmatch(text)
        if m is None:
            return None
        created, updated, identity, segment = m.group(*self.own)
        if created > updated or (segment != identity and not _names(segment, identity)):
            return None
        return (((), identity),) if _RESERVED.search(identity) else ()

    def hold(self, items: _Items) -> bool:
        """Whether the groups of a page's items hold: dates in order, links.user naming the identity."""
        if any(map(operator.gt, items.column("created"), items.column("updated"))):
            return False
        segments, identities = items.column(self.groups[6]), items.column("identity")
        return segments == identities or all(map(_names, segments, identities))


class _Items:
    """A page's items as one ``split`` of the text after the page's head found them: the groups of
    each item by name, and the text after the last one."""

    NONE: _Items

    def __init__(self, pattern: re.Pattern[bytes], parts: list[Any]) -> None:
        self.index, self.stride, self.parts = pattern.groupindex, pattern.groups + 1, parts
        self.rest: bytes = parts[-1]

    @classmethod
    def split(cls, pattern: re.Pattern[bytes], text: bytes) -> _Items | None:
        """The items at the start of ``text``, one right after the other, a comma between two and none
        after the last; None unless there is at least one and they are so."""
        if pattern.match(text) is None:
            return None  # most texts that do not fit fail on their first item: not searched further
        parts = pattern.split(text)
        found = cls(pattern, parts)
        more = found.column("more")
        if not more or any(parts[0 : -1 : found.stride]) or more[-1] is not None or None in more[:-1]:
            return None
        return found

    def column(self, name: str) -> list[bytes]:
        """One group of every item, in order."""
        return self.parts[self.index[name] :: self.stride] if len(self.parts) > 1 else []


class PageShape:
    """One page's patterns: its meta, and the text before and after the items."""

    head, spaced_head = _Compiled("head_pattern"), _Compiled("head_pattern", spaced=True)
    tail, spaced_tail = _Compiled("tail_pattern"), _Compiled("tail_pattern", spaced=True)

    def __init__(self, kind: Kind, order: tuple[str, ...], meta: str, item: ItemShape | None) -> None:
        self.item = item
        self.user = kind.user
        self.max_size = int(defs()[kind.api.page_size]["maximum"])
        items_first = order[0] == ITEMS_KEY
        key = f'"{ITEMS_KEY}"{_WS}:{_WS}\\[{_WS}'
        if items_first:
            head, tail = rf"{_WS}\{{{_WS}{key}", rf"\]{_WS},{_WS}\"meta\"{_WS}:{_WS}{meta}{_WS}\}}{_WS}"
        else:
            head, tail = rf"{_WS}\{{{_WS}\"meta\"{_WS}:{_WS}{meta}{_WS},{_WS}{key}", rf"\]{_WS}\}}{_WS}"
        self.meta_first = not items_first
        self.head_pattern, self.tail_pattern = head, tail

    def fits(self, text: bytes) -> Found | None:
        compact = True
        head = self.head.match(text)
        if head is None:
            compact, head = False, self.spaced_head.match(text)
            if head is None:
                return None
        rest, items = text[head.end() :], _Items.NONE
        if self.item is not None and rest[:1] != b"]":
            found = _Items.split(self.item.compact_more if compact else self.item.spaced_more, rest)
            if found is None or not self.item.hold(found):
                return None
            rest, items = found.rest, found
        tail = (self.tail if compact else self.spaced_tail).fullmatch(rest)
        meta = head if self.meta_first else tail
        if tail is None or meta is None or not self._meta(meta, items.column("sid")):
            return None
        if set(items.column("service")) - {meta["service"]}:
            return None
        if self.user and not _lists_user(meta["user"], items):
            return None
        identities = items.column("identity")
        if not _RESERVED.search(b"\0".join(identities)):
            return ()
        return tuple(
            ((ITEMS_KEY, i), identity) for i, identity in enumerate(identities) if _RESERVED.search(identity)
        )

    def _meta(self, m: re.Match[bytes], sids: list[bytes]) -> bool:
        page, size = int(m["page"]), int(m["size"])
        if size > self.max_size or len(sids) > size or len(set(sids)) != len(sids):
            return False
        if (m["has_previous_page_url"] is not None) != (page > 0):
            return False  # page 0 has no previous page; a later one has one
        expected = (
            ("url", page),
            ("first_page_url", 0),
            ("previous_page_url", page - 1),
            ("next_page_url", page + 1),
        )
        for name, number in expected:
            query = m[f"q_{name}"]
            if query is not None and not _query_names(query, number, size):
                return False
        return True


@cache
def _user_sid() -> re.Pattern[bytes]:
    return re.compile(_sid("user_sid").encode())


def _lists_user(segment: bytes, items: _Items) -> bool:
    """Whether every item belongs to the user a page's meta urls name: by user sid, or by identity
    (after percent-decoding, as :func:`.invariants.user_member` decides)."""
    named = unquote_to_bytes(segment) if b"%" in segment else segment
    if _user_sid().fullmatch(named):
        return not set(items.column("user")) - {named}
    return all(identity == named for identity in items.column("identity"))


def _names(segment: bytes, identity: bytes) -> bool:
    """Whether a links.user segment names the identity (compared after percent-decoding)."""
    return segment == identity or unquote_to_bytes(segment) == identity


@cache
def _query_names(query: bytes, page: int, size: int) -> bool:
    """Whether a meta url's query names no other Page and PageSize than the given ones, each in ASCII
    digits when named (a ``Page=x`` is a finding of the page rules, not an absent Page)."""
    parsed = parse_qs(query.decode("ascii"), keep_blank_values=True)
    if any(ascii_int(parsed[name][-1]) is None for name in ("Page", "PageSize") if parsed.get(name)):
        return False
    named_page, named_size = query_int(parsed, "Page"), query_int(parsed, "PageSize")
    return (named_page is None or named_page == page) and (named_size is None or named_size == size)


def _keys(value: object) -> tuple[str, ...] | None:
    return tuple(value) if type(value) is dict else None


def signature(doc: Mapping[str, Any], kind: Kind) -> tuple[Any, ...] | None:
    """The member orders a shape is built for: the document's, and its nested objects'."""
    if kind.item_kind is None:
        return (tuple(doc), _keys(doc.get("links")))
    items = doc.get(ITEMS_KEY)
    if type(items) is not list:
        return None
    first = items[0] if items else None
    links = first.get("links") if type(first) is dict else None
    return (tuple(doc), _keys(doc.get("meta")), _keys(first) if items else None, _keys(links))


_Items.NONE = _Items(re.compile(b""), [b""])

Shape = ItemShape | PageShape
_shapes: dict[tuple[str, tuple[Any, ...]], Shape | None] = {}
_recent: dict[str, Shape] = {}
"""The shape that fitted last, by kind: tried first, as the next document is most often alike."""


def _build(entry: Kind, sig: tuple[Any, ...]) -> Shape | None:
    if entry.item_kind is None:
        pattern = _item(entry, sig[0], sig[1])
        return ItemShape(entry, pattern) if pattern is not None else None
    order, meta_order, item_order, links = sig
    if not _exactly(order, known_properties(entry.name)[""]):
        return None
    meta = _meta(entry, meta_order)
    item_kind = KIND_TABLE[entry.item_kind]
    item = _item(item_kind, item_order, links) if item_order is not None else None
    if meta is None or (item_order is not None and item is None):
        return None
    return PageShape(entry, order, meta, ItemShape(item_kind, item) if item is not None else None)


def shape(kind: str, sig: tuple[Any, ...]) -> Shape | None:
    """The shape of ``kind`` for a signature (built once, kept for the next document)."""
    key = (kind, sig)
    if key not in _shapes:
        if len(_shapes) >= _CACHE_SIZE:
            _shapes.clear()
        _shapes[key] = _build(KIND_TABLE[kind], sig)
    return _shapes[key]


def recent(kind: str) -> Shape | None:
    """The shape of ``kind`` that fitted last (None for a kind without shapes, or none yet)."""
    return _recent.get(kind) if type(kind) is str else None


def vouches(doc: Any, text: bytes, kind: str) -> Found | None:
    """None unless ``text`` (the JSON text of ``doc`` as read, or as orjson writes it) fits a shape
    of ``kind``; then no schema keyword and no rule that needs only the payload finds anything in
    ``doc``, in any profile, but binding.identity-reserved at the places returned.

    A shape that fits vouches by itself (it spells out every member in order), so the one that
    fitted last is tried before the document's member order is looked at; ``doc`` may be None
    when only that one is to be tried."""
    last = _recent.get(kind)
    if last is not None:
        found = last.fits(text)
        if found is not None:
            return found
    entry = KIND_TABLE.get(kind)
    if entry is None or type(doc) is not dict:
        return None
    sig = signature(doc, entry)
    own = shape(kind, sig) if sig is not None else None
    if own is None or own is last:
        return None
    found = own.fits(text)
    if found is not None:
        _recent[kind] = own
    return found
