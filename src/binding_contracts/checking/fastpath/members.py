"""A binding whose text does not fit its shape, read member by member: which members fit their own
piece of the shape, and which rules those members prove quiet.

The pattern is the shape's (:func:`.patterns.item_pattern`, for the document's member order) with
each member's value let through whatever it is: the member's own piece first, else any JSON string,
number, literal or array of those, captured in a group of its own. A text that fits it (after a
JSON parser read it) holds exactly the documented members, in that order; a member whose piece
matched is valid in every profile a shape vouches for, and the relations its piece spells (the
SIDs a url repeats, back-references to the members that name them) hold with the members whose
pieces matched too. What a regular expression cannot hold is checked on the groups, as
:class:`.scan.ItemShape` checks it: where it does not hold, the members it relates are counted among
those that do not fit.

So only the members that do not fit are given to the schema, and only the rules that read one of
them run (:attr:`.rule.Rule.reads`; a rule that does not say always runs): the report is the one
the whole document would draw, and the reference path stays the judge in the tests.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import repeat
from operator import is_not
from typing import Any, Final

from ...spec.kinds import KIND_TABLE, Kind
from ..catalogue import rules_of
from .patterns import NAMED, WS, item_pattern
from .scan import BACKSLASH, JSON_SPACE, RESERVED, ItemShape, names_identity, unescaped_identity
from .shapes import HELD, declined, signature

_STRING: Final = r'"(?:[^"\\]++|\\.)*+"'
_SCALAR: Final = rf"(?:{_STRING}|-?[0-9][0-9.eE+-]*+|true|false|null)"
ANY: Final = rf"(?:{_SCALAR}|\[{WS}(?:{_SCALAR}{WS}(?:,{WS})?)*+\])"
"""Any value a binding's member may wrongly hold but an object: the text was read by a JSON parser
first, so this need only tell where a value ends."""


class Members(ItemShape):
    """One member order's pattern that lets each member's value through, and the name of the
    document's member each value's groups belong to."""

    def __init__(self, kind: Kind, pattern: str, groups: tuple[tuple[str, str, str], ...]) -> None:
        super().__init__(kind, pattern)
        self.values = groups
        self.names = tuple(g for _, own, other in groups for g in (own, other))
        self.payload_rules = [
            r for r in rules_of(kind.name) if r.needs == "payload" and r.shape in HELD and r.reads is not None
        ]

    def unfit(self, text: bytes) -> Unfit | None:
        """The members of ``text`` that fit no piece, those that fit their piece only on its own,
        and the ids of the rules those that fit leave quiet; None when the text is not this member
        order's."""
        text = text.strip(JSON_SPACE)
        m = self.compact.fullmatch(text) or self.spaced.fullmatch(text)
        if m is None:
            return None
        created, updated, identity, segment = m.group(*self.own)
        if identity is not None and BACKSLASH in identity:  # as ItemShape.fits reads it
            identity, segment = unescaped_identity(identity, segment)
        key = (
            *map(is_not, m.group(*self.names), repeat(None)),  # which of each member's groups matched
            created is not None and updated is not None and created > updated,
            segment is not None and identity is not None and not names_identity(segment, identity),
            identity is None or RESERVED.search(identity) is not None,
        )
        return _judged(self, key)


@lru_cache(maxsize=1024)
def _judged(members: Members, key: tuple[bool, ...]) -> Unfit:
    """What :meth:`Members.unfit` returns for the groups that matched (``key``): each member's
    alone and loose groups, then whether the dates are out of order, whether links.user names
    another identity, and whether the identity may hold a URI-reserved character."""
    loose, alone = set(), set()
    for (name, _, _), own, other in zip(members.values, key[0::2], key[1::2], strict=False):
        if other:
            loose.add(name)
        elif own:
            alone.add(name)
    disordered, other_user, reserved = key[-3:]
    if disordered:
        alone.update(("date_created", "date_updated"))
    if other_user:
        alone.update(("links", "identity"))
    alone -= loose
    either = loose | alone
    quiet = frozenset(
        r.id
        for r in members.payload_rules
        if (either if r.compares else loose).isdisjoint(r.reads or ())
        and not (r.shape == "reported" and reserved)
    )
    return frozenset(loose), frozenset(alone), quiet


Unfit = tuple[frozenset[str], frozenset[str], frozenset[str]]
"""The members that fit no piece, those that fit their piece alone, the ids of the rules quiet."""


@lru_cache(maxsize=256)
def _members(kind: str, sig: tuple[Any, ...]) -> Members | None:
    """The member-wise pattern of ``kind`` for a signature (built once, kept for the next document)."""
    entry = KIND_TABLE[kind]
    if entry.item_kind is not None or declined(entry.name):
        return None
    pieces: list[str] = []  # each member's value on its own, in the order the pattern writes them

    def alone(name: str, pattern: str) -> str:
        pieces.append(NAMED.sub("(?:", pattern))
        return pattern

    groups: list[tuple[str, str, str]] = []

    def wrap(name: str, pattern: str) -> str:
        own, other = f"alone{len(groups)}", f"loose{len(groups)}"
        piece = pieces[len(groups)]
        groups.append((name, own, other))
        return f"(?:{pattern}|(?P<{own}>{piece})|(?P<{other}>{ANY}))"

    if item_pattern(entry, sig[0], sig[1], alone, alone=True) is None:
        return None
    pattern = item_pattern(entry, sig[0], sig[1], wrap)
    return Members(entry, pattern, tuple(groups)) if pattern is not None else None


def unfit(doc: Any, text: bytes, kind: str) -> Unfit | None:
    """For ``text``, the JSON text of ``doc`` (a binding of ``kind`` as a JSON parser read it): the
    members that fit no piece of the kind's shape, those that fit their piece only on its own (not
    naming what the members it refers to name), and the rules proven quiet by what fits; None when
    the text is no binding with exactly the documented members, each an object, an array, a string,
    a number or a literal where the shape wants one."""
    entry = KIND_TABLE.get(kind)
    if entry is None or entry.item_kind is not None or type(doc) is not dict:
        return None
    sig = signature(doc, entry)
    if sig is None:  # pragma: no cover  (a page's: no binding's signature is None)
        return None
    found = _members(kind, sig)
    return found.unfit(text) if found is not None else None
