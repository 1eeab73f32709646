"""The fault ``break:RULE``: the answer the fake would have given, from its own store, broken by the
mutation catalogue's breaker of that rule and checked, with the request known, to add that rule's
findings and no other (a page keeps its items, filters, paging and meta urls; an item rule breaks
one item of it)."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, Final

from ..checking.entry import check
from ..generation.breakers.schema import Base, Breakage
from ..generation.builders import ITEM_KIND, PAGE_SHARED, STRICT, BindingParts, PageParts, item, page
from ..generation.mutations import DETECTION_RULES, breakages, in_profile
from ..generation.source import RandomSource, choice
from ..spec.kinds import ITEMS_KEY
from ..traffic.interactions import Interaction, Session, check_interaction

ATTEMPTS: Final = 8
"""Draws tried per breaker before a fault is served unapplied (a drawn identity may be one the
request names, say)."""


@dataclass(frozen=True)
class Answer:
    """A successful answer as parts: an item (``BindingParts``) or a page (``PageParts``) of
    ``kind``, to the request ``method url``, judged under ``profile``."""

    kind: str
    parts: BindingParts | PageParts
    method: str
    url: str
    profile: str = "strict"

    def body(self) -> dict[str, Any]:
        if isinstance(self.parts, PageParts):
            return page(self.parts)
        return item(self.kind, self.parts)

    def findings(self, body: Any, rule: str) -> set[tuple[str, str]]:
        """The (rule, pointer) pairs of ``body`` as the answer to this request, as a cassette check
        or a checking client judges it (``kind.undetected``: as ``check(body)`` judges it, the
        only place that rule is judged), under the answer's profile, or ``strict`` where that
        profile does not judge ``rule`` (``published`` judges the schema alone)."""
        profile = self.profile if in_profile(self.kind, rule, self.profile) else "strict"
        if rule in DETECTION_RULES:
            report = check(body, "auto", profile)
        else:
            exchange = Interaction(self.method, self.url, 200, json.dumps(body))
            judged = check_interaction(exchange, profile=profile, session=Session())
            assert judged is not None  # the fake answers Binding operations alone
            report = judged
        return {(v.rule, v.path) for v in report.findings}


def misfit(b: Breakage, parts: BindingParts | PageParts) -> str | None:
    """Why the answer ``parts`` leaves the breaker ``b`` nothing to break, or None."""
    if not isinstance(parts, PageParts):
        return None
    needs, count = b.needs, len(parts.items)
    if needs.overfull:
        return f"it needs more items than the page size {parts.page_size}, and the store's page has {count}"
    if needs.min_items > count:
        return f"it needs {needs.min_items} item(s) on the page, and the store's page has {count}"
    if needs.page == "first" and parts.page != 0:
        return f"it breaks page 0, and this is page {parts.page}"
    if needs.page == "later" and parts.page == 0:
        return "it breaks a page after the first, and this is page 0"
    return None


def broken(answer: Answer, rule: str) -> tuple[dict[str, Any] | None, str]:
    """``(body, "")``: the answer's body with ``rule`` broken and nothing else; ``(None, reason)``
    when no breaker of ``rule`` can do that to this answer (the rule does not apply to its kind,
    the page has too few items, the request names what the breaker would change). The same
    answer and rule give the same body every time."""
    variants = breakages(answer.kind, rule)
    if not variants:
        return None, f"{rule} cannot be broken in {answer.kind} answers"
    fitting = [b for b in variants if misfit(b, answer.parts) is None]
    if not fitting:
        return None, str(misfit(variants[0], answer.parts))
    before = answer.findings(answer.body(), rule)
    also: set[str] = set()
    for body in _drawn(answer, fitting):
        added = {found for found, _ in answer.findings(body, rule) - before}
        if added == {rule}:
            return body, ""
        also |= added - {rule}
    if not also:
        return None, "breaking it in this answer adds no finding of it"
    return None, f"breaking it in this answer also breaks {', '.join(sorted(also))}"


def _drawn(answer: Answer, fitting: list[Breakage]) -> Iterator[dict[str, Any]]:
    """Bodies broken by the fitting breakers, drawn in turn: of the answer as it is, then (when it is
    loosened: a published fake, the fault ``nulls``) of its strict form, the breakers being written
    for a body with every member (one left null or out gives them nothing to change)."""
    plain = strict(answer.parts)
    for parts in [answer.parts] if plain == answer.parts else [answer.parts, plain]:
        source = RandomSource(random.Random(f"{answer.kind}:{fitting[0].rule}"))
        for _ in range(ATTEMPTS * len(fitting)):
            try:  # a member the loosening left null or out: nothing there to break, or no JSON made
                body = _one(source, answer.kind, parts, choice(source, fitting))
                json.dumps(body)
            except (KeyError, TypeError, AttributeError):
                continue
            yield body


def _one(source: RandomSource, kind: str, parts: BindingParts | PageParts, b: Breakage) -> dict[str, Any]:
    if not b.lifted:
        return dict(b.func(source, Base(kind, parts)).payload)
    assert isinstance(parts, PageParts)  # a lifted breaker breaks one item of a page
    index = source.integer(0, len(parts.items) - 1)
    one = b.func(source, Base(ITEM_KIND[kind], parts.items[index], PAGE_SHARED)).payload
    doc = page(parts)
    doc[ITEMS_KEY][index] = one
    return doc


def strict(parts: BindingParts | PageParts) -> BindingParts | PageParts:
    """``parts`` with no member loosened."""
    if isinstance(parts, PageParts):
        return replace(parts, items=tuple(replace(i, loose=STRICT) for i in parts.items))
    return replace(parts, loose=STRICT)
