"""Matching a text against a shape's patterns (:mod:`.patterns`) and checking what a regular
expression cannot hold on its groups: dates in order, links.user naming the identity after
percent-decoding, page numbers in the meta urls, page size bounds, items of the page's service and
user, unique sids. A page's items are found by one ``split`` of the text after its head (each right
after the one before), and what is left must fit its tail."""

from __future__ import annotations

import operator
import re
from functools import cache
from typing import Any, Final
from urllib.parse import parse_qs, unquote_to_bytes

import orjson

from ...spec import facts
from ...spec.kinds import ITEMS_KEY, Kind
from ...spec.routes import ascii_int, query_int
from ..rules.item import URI_RESERVED
from .patterns import WS, Compiled, sid_pattern

BACKSLASH: Final = ord("\\")
"""Looked for in bytes as an int: ``92 in data`` is a search of C, where ``b"\\\\" in data`` first
takes a buffer of its argument (about 0.2 us, more than the search in a short text)."""
RESERVED: Final = re.compile(b"[" + re.escape("".join(sorted(URI_RESERVED)).encode()) + b"]")

JSON_SPACE: Final = b" \t\n\r"
"""What JSON text may hold before and after its value (a file's last newline, CRLF line ends): a text
is matched without it, so that a compact body fits its compact pattern."""

Where = tuple[str | int, ...]
"""Where in a document an object sits: ``()`` the document, ``("bindings", 3)`` an item."""
Found = tuple[tuple[Where, bytes], ...]
"""The identities with URI-reserved characters of a document that fits, and where they are."""


class ItemShape:
    """One binding's pattern for one member order, and the checks on its groups."""

    compact, spaced = Compiled("pattern"), Compiled("pattern", spaced=True)
    compact_more, spaced_more = Compiled("more"), Compiled("more", spaced=True)
    """One item of a page, and the comma after it when another follows."""

    def __init__(self, kind: Kind, pattern: str) -> None:
        self.kind = kind.name
        self.pattern, self.more = pattern, f"{pattern}{WS}(?P<more>,{WS})?"
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
        text = text.strip(JSON_SPACE)  # the text itself when there is nothing to strip
        m = self.compact.fullmatch(text) or self.spaced.fullmatch(text)
        if m is None:
            return None
        created, updated, identity, segment = m.group(*self.own)
        if BACKSLASH in identity:  # written with escapes (patterns.TEXT)
            identity, segment = unescaped_identity(identity, segment)
        if created > updated or (segment != identity and not names_identity(segment, identity)):
            return None
        return () if identity.isalnum() or not RESERVED.search(identity) else (((), identity),)

    def hold(self, items: _Items) -> bool:
        """Whether the groups of a page's items hold: dates in order, links.user naming the identity."""
        if any(map(operator.gt, items.column("created"), items.column("updated"))):
            return False
        identities = items.identities()
        segments = identities if self.groups[6] == "identity" else items.column(self.groups[6])
        return segments == identities or all(  # names_identity called only where they differ
            names_identity(segment, identity)
            for segment, identity in zip(segments, identities, strict=True)
            if segment != identity
        )


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

    def identities(self) -> list[bytes]:
        """The identity of every item, decoded (:func:`unescaped`)."""
        found = self.column("identity")
        if BACKSLASH not in b"".join(found):  # none written with escapes (patterns.TEXT)
            return found
        return [unescaped(i) if BACKSLASH in i else i for i in found]

    def column(self, name: str) -> list[bytes]:
        """One group of every item, in order."""
        return self.parts[self.index[name] :: self.stride] if len(self.parts) > 1 else []


class PageShape:
    """One page's patterns: its meta, and the text before and after the items."""

    head, spaced_head = Compiled("head_pattern"), Compiled("head_pattern", spaced=True)
    tail, spaced_tail = Compiled("tail_pattern"), Compiled("tail_pattern", spaced=True)

    def __init__(self, kind: Kind, order: tuple[str, ...], meta: str, item: ItemShape | None) -> None:
        self.kind = kind.name
        self.item = item
        self.user = kind.user
        self.max_size = facts.page_size_bounds(kind.name)[1]
        items_first = order[0] == ITEMS_KEY
        key = f'"{ITEMS_KEY}"{WS}:{WS}\\[{WS}'
        if items_first:
            head, tail = rf"{WS}\{{{WS}{key}", rf"\]{WS},{WS}\"meta\"{WS}:{WS}{meta}{WS}\}}{WS}"
        else:
            head, tail = rf"{WS}\{{{WS}\"meta\"{WS}:{WS}{meta}{WS},{WS}{key}", rf"\]{WS}\}}{WS}"
        self.meta_first = not items_first
        self.head_pattern, self.tail_pattern = head, tail

    def fits(self, text: bytes) -> Found | None:
        text = text.strip(JSON_SPACE)
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
        identities = items.identities()
        if not RESERVED.search(b"\0".join(identities)):
            return ()
        return tuple(
            ((ITEMS_KEY, i), identity) for i, identity in enumerate(identities) if RESERVED.search(identity)
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
    return re.compile(sid_pattern("user_sid").encode())


def _lists_user(segment: bytes, items: _Items) -> bool:
    """Whether every item belongs to the user a page's meta urls name: by user sid, or by identity
    (after percent-decoding, as :func:`..rules.item.user_member` decides)."""
    named = unquote_to_bytes(segment) if b"%" in segment else segment
    if _user_sid().fullmatch(named):
        return not set(items.column("user")) - {named}
    return all(identity == named for identity in items.identities())


def unescaped_identity(identity: bytes, segment: bytes | None) -> tuple[bytes, bytes | None]:
    """An escaped identity group decoded, with the segment group read beside it: the identity's own
    group when equal to it (a kind without links names its identity for its segment; a url's
    segment holds no backslash), else the segment as it is."""
    decoded = unescaped(identity)
    return decoded, decoded if segment == identity else segment


def unescaped(text: bytes) -> bytes:
    """A string's text as :data:`.patterns.TEXT` matched it, its escapes decoded, as UTF-8."""
    return str(orjson.loads(b'"' + text + b'"')).encode()


def names_identity(segment: bytes, identity: bytes) -> bool:
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


_Items.NONE = _Items(re.compile(b""), [b""])
