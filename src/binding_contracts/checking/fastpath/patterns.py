"""The pattern text of a shape (:mod:`.shapes`): the regular expressions that spell a binding and a
page's meta out, member by member, for one member order, and their compiling when first read."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Final

from ...spec import facts
from ...spec.kinds import ITEMS_KEY, Kind
from ...spec.schemas import defs, known_properties
from ...spec.urls import DEPRECATED_HOSTS, SEGMENT_CHARACTERS, TEMPLATE_TEXT

WS: Final = r"[ \t\n\r]*"
DATE: Final = (
    r"(?!0000)[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)"
    r"|(?:0[13578]|1[02])-31"
    r"|02-29(?<=(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29))"
    r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z"
)
"""RFC 3339 date-times of the one width Twilio writes: two of them compare as text. February 29, the
last of the days tried, is taken when the year before it is a leap year of the Gregorian calendar (a
year divisible by 4, a century's by 400; looked at behind it, so that no other day pays for it).
What else RFC 3339 allows (a leap second, lower-case ``t`` and ``z``, fractions, offsets) fits no
shape and is judged by the other paths, which ask :func:`~binding_contracts.spec.formats.is_date_time`."""
PLAIN: Final = r'[^\x00-\x1f"\\]+'
"""A JSON string with nothing escaped (the text is UTF-8 that a JSON parser read or wrote)."""
_ESCAPE: Final = (
    r"\\u(?:(?![dD][89a-fA-F])[0-9a-fA-F]{4}|[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2})"
)
"""A character's ``\\u`` escape: a surrogate only in a pair."""
TEXT: Final = rf'(?=[^"]){PLAIN[:-1]}*+(?:{_ESCAPE}{PLAIN[:-1]}*+)*+'
"""A JSON string of one character or more, as it is or with characters written as ``\\u`` escapes
(``json.dumps`` writes every one past ASCII so): a surrogate only in a pair, as no lone one is text.
Any other escape fits no shape. The identity's: its group is read decoded (:func:`.scan.unescaped`)."""
SEGMENT: Final = rf"(?:[{SEGMENT_CHARACTERS}]++|%[0-9A-Fa-f]{{2}})++"
"""A path segment as a url writes it; the identity it names is compared after percent-decoding."""
QUERY: Final = r"(?:[A-Za-z0-9._~=&+-]++|%[0-9A-Fa-f]{2})*+"
"""Runs of plain characters are taken whole and never given back (possessive): what follows a
segment or a query (a quote, a slash) is never one of them, and a failing text fails at once."""
_DEPRECATED: Final = "|".join(re.escape(h) for h in sorted(DEPRECATED_HOSTS))
ORIGIN: Final = rf"https?://(?!(?i:{_DEPRECATED})[:/])[A-Za-z0-9.-]+(?::[0-9]{{1,5}})?"


NAMED: Final = re.compile(r"\(\?P<\w+>")
"""The opening of a named group in a pattern's text."""


def sid_pattern(definition: str) -> str:
    pattern = str(defs()[definition]["pattern"])
    return pattern.removeprefix("^").removesuffix("$")


def _one_of(values: Iterable[str]) -> str:
    return "(?:" + "|".join(re.escape(v) for v in values) + ")"


def _object(order: tuple[str, ...], member: Callable[[str], str]) -> str:
    pairs = (f'"{re.escape(k)}"{WS}:{WS}{member(k)}' for k in order)
    return r"\{" + WS + f"{WS},{WS}".join(pairs) + WS + r"\}"


class _Unwritten(LookupError):
    """A member the schemas document that no shape knows how to write (a member added to a schema):
    documents with it have no shape, and the other paths judge them."""


def _written(order: tuple[str, ...], member: Callable[[str], str]) -> str | None:
    try:
        return _object(order, member)
    except _Unwritten:
        return None


def exactly(order: tuple[str, ...] | None, names: frozenset[str]) -> bool:
    return order is not None and len(order) == len(names) and names.issuperset(order)


class _Builder:
    """Writes one object's pattern: a value named twice is captured once, then referred back to."""

    def __init__(self, *, apart: bool = False, alone: bool = False) -> None:
        self.defined: set[str] = set()
        self.apart, self.alone = apart or alone, alone
        """``apart``: each url's origin is matched on its own (no rule relates the origins of two
        urls: a shape repeats the first, a member's piece must not need another member's);
        ``alone``: every value is matched on its own, none captured nor referred back to."""

    def var(self, name: str, pattern: str) -> str:
        if self.alone:
            return f"(?:{pattern})"
        if name in self.defined:
            return f"(?P={name})"
        self.defined.add(name)
        return f"(?P<{name}>{pattern})"

    def url(self, template: str, *, query: str | None = None, user: str | None = None) -> str:
        """A url of ``template``, each placeholder a captured value, as a JSON string; the user is
        named by ``user`` (a pattern) when given, else by a user sid."""
        parts = re.split(r"\{(\w+)\}", TEMPLATE_TEXT[template])
        out = [ORIGIN if self.apart else self.var("origin", ORIGIN)]
        for i, part in enumerate(parts):
            if i % 2 == 0:
                out.append(re.escape(part))
            elif part in ("ServiceSid", "ChatServiceSid"):
                out.append(self.var("service", sid_pattern("service_sid")))
            elif part == "UserSid":
                out.append(self.var("user", user or sid_pattern("user_sid")))
            elif part == "Identity":
                out.append(self.var("segment", SEGMENT))
            else:
                out.append(self.var("sid", sid_pattern("binding_sid")))
        if query is not None:
            out.append(rf"(?:\?(?P<{query}>{QUERY}))?")
        return '"' + "".join(out) + '"'


Wrap = Callable[[str, str], str]
"""What a member's pattern is written as, from the name of the document's member it is part of
(``links`` for ``links.user``) and the pattern itself (:mod:`.members` lets any value through)."""


def _as_is(name: str, pattern: str) -> str:
    return pattern


def item_pattern(
    kind: Kind,
    order: tuple[str, ...],
    links: tuple[str, ...] | None,
    wrap: Wrap = _as_is,
    *,
    alone: bool = False,
) -> str | None:
    """The pattern of one binding of ``kind`` whose members come in ``order``, or None when its
    members are not exactly the documented ones; each member's value pattern as ``wrap`` writes it.
    ``alone``: each member's value on its own, the SIDs a url repeats not referred back to the
    members naming them (a piece may still capture a group: :data:`NAMED` finds them)."""
    api, b = kind.api, _Builder(apart=wrap is not _as_is, alone=alone)
    known = known_properties(kind.name)
    if not exactly(order, known[""]) or (kind.links and not exactly(links, known["links"])):
        return None
    message_type = _one_of(facts.enum(api.message_types))
    user_template = api.user_template or ""

    def member(name: str) -> str:
        if name == "sid":
            return '"' + b.var("sid", sid_pattern("binding_sid")) + '"'
        if name == api.service_member:
            return '"' + b.var("service", sid_pattern("service_sid")) + '"'
        if name == "user_sid":
            return '"' + b.var("user", sid_pattern("user_sid")) + '"'
        if name in ("account_sid", "credential_sid"):
            return '"' + sid_pattern(name) + '"'
        if name in ("date_created", "date_updated"):
            return f'"(?P<{name[5:]}>{DATE})"'
        if name == "endpoint":  # a device's token: ASCII, never escaped
            return f'"(?P<endpoint>{PLAIN})"'
        if name == "identity":
            return f'"(?P<identity>{TEXT})"'
        if name == "binding_type":
            return '"' + _one_of(facts.enum(api.binding_types)) + '"'
        if name == "message_types":
            return rf"\[{WS}(?:\"{message_type}\"(?:{WS},{WS}\"{message_type}\")*)?{WS}\]"
        if name == "url":
            return b.url(kind.template)
        if name == "links" and links is not None:
            return _object(links, lambda name: wrap("links", link(name)))
        raise _Unwritten(name)

    def link(name: str) -> str:
        if name == "user":
            return b.url(user_template)
        raise _Unwritten(name)

    return _written(order, lambda name: wrap(name, member(name)))


_META_URLS: Final = ("url", "first_page_url", "previous_page_url", "next_page_url")
_META: Final = {
    "page": "(?P<page>0|[1-9][0-9]{0,8})",
    "page_size": "(?P<size>[1-9][0-9]{0,8})",
    "key": f'"{ITEMS_KEY}"',
}


def meta_pattern(kind: Kind, order: tuple[str, ...] | None) -> str | None:
    """The pattern of a page's meta whose members come in ``order``."""
    if not exactly(order, known_properties(kind.name)["meta"]):
        return None
    b = _Builder()

    def member(name: str) -> str:
        if name in _META:
            return _META[name]
        if name not in _META_URLS:
            raise _Unwritten(name)
        # a page echoes the request: its user is named by sid or by identity (a segment)
        url = b.url(kind.template, query=f"q_{name}", user=SEGMENT)
        return url if name in ("url", "first_page_url") else f"(?:null|(?P<has_{name}>{url}))"

    return _written(order or (), member)


_TAKEN_WS: Final = r"[ \t\n\r]*+"
""":data:`WS` as a compiled spaced pattern holds it: taken whole, never given back (what follows
whitespace between two tokens is never whitespace), which spares the engine its backtracking states."""


class Compiled:
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
        pattern = re.compile(text.replace(WS, _TAKEN_WS if self.spaced else "").encode())
        shape.__dict__[self.name] = pattern  # read from the instance from now on
        return pattern
