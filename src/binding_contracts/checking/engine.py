"""The rule engine: which rules run on a document (its kind, a page's items, what the context can
meet), less those its quiet-proofs show have nothing to find, and their findings as violations.

Everything here is derived from the rule declarations (:class:`.rule.Rule`): a rule's ``needs``
says when it can find anything at all (:func:`applicable`), its ``per_item`` whether it runs on a
page's items and whether its page-wide judgement reads them (:func:`_spanning`), its ``shape`` what
a text that fitted a shape still reports (:func:`reported`). No rule id is written here.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache, lru_cache
from typing import Any

import orjson

from .._json import join
from ..report import Report, Violation
from ..spec.kinds import ITEMS_KEY, PAGE_ITEM_KIND
from ..spec.profiles import schema_only
from .catalogue import Context, Rule, rules_of
from .fastpath import proofs, shapes
from .fastpath.scan import Found

_NO_CONTEXT = Context()


def applicable(kind: str, items: bool, ctx: Context, *, payload: bool = True) -> list[Rule]:
    """The rules of ``kind`` (only the per-item ones for ``items``) whose needs the context meets: a
    ``request`` rule when the request or the HTTP status is known, a ``sequence`` rule in a walk
    (without them such a rule has nothing to compare and finds nothing); the rules that need only
    the payload unless ``payload`` is False. The list is shared: read it, never change it."""
    return _applicable(
        kind, items, ctx.request is not None or ctx.status is not None, bool(ctx.walk), payload
    )


@cache
def _applicable(kind: str, items: bool, request: bool, walk: bool, payload: bool) -> list[Rule]:
    met = {"payload": payload, "request": request, "sequence": walk}
    return [r for r in rules_of(kind) if (r.per_item or not items) and met.get(r.needs, False)]


@cache
def _spanning(kind: str) -> frozenset[str]:
    """The rules that need only the payload and run once on a page of ``kind``, yet apply to its items'
    kind too: they judge the items as well, so they are proven quiet on the page only where proven on
    every item."""
    item_kind = PAGE_ITEM_KIND.get(kind)
    return frozenset(
        r.id for r in rules_of(kind) if r.needs == "payload" and not r.per_item and item_kind in r.kinds
    )


Proving = bool | frozenset[int]
"""Where quiet-proofs are tried: True, a schema-valid document and its items; a set of item
indices, a page whose schema violations are all inside those items: its other items only; False,
nowhere."""


def broken_items(found: list[Violation], kind: str) -> Proving:
    """What a page whose schema violations are ``found`` may prove (:data:`Proving`): its items but
    those holding a violation, when every violation is inside an item (each other item is then a
    schema-valid document of the items' kind: the page's schema refers its items to that kind's);
    False for any other document."""
    if kind not in PAGE_ITEM_KIND or not found:
        return not found
    inside = f"/{ITEMS_KEY}/"
    broken = set()
    for v in found:
        index = v.path[len(inside) :].split("/", 1)[0] if v.path.startswith(inside) else ""
        if not (index.isascii() and index.isdigit()):
            return False
        broken.add(int(index))
    return frozenset(broken)


def _item_quiet(item: dict[str, Any], kind: str) -> proofs.Quiet:
    """The rules proven quiet on a schema-valid item of a page: every rule its text shape holds but
    those it reports (:func:`reported`) when orjson's writing of it fits that shape (a third of the
    cost of its quiet-proofs), else those its quiet-proofs prove."""
    try:
        text = orjson.dumps(item)
    except TypeError:  # orjson.JSONEncodeError: a value it does not write (an integer past 64 bits)
        return proofs.quiet(item, kind)
    return _held(kind) if shapes.vouches(item, text, kind) is not None else proofs.quiet(item, kind)


@cache
def _held(kind: str) -> proofs.Quiet:
    """The rules of ``kind`` a text that fits its shape vouches for, but those it reports."""
    return frozenset(r.id for r in rules_of(kind) if r.needs == "payload" and r.shape in ("spelt", "groups"))


def semantic(doc: dict[str, Any], kind: str, ctx: Context, prove: Proving) -> Iterator[Violation]:
    """Every applicable rule's findings on the document and on each item, but those of the rules
    proven quiet (``prove``: on a schema-valid document, or a page's schema-valid items,
    :func:`.fastpath.proofs.quiet`)."""
    found: list[Violation] = []
    doubtful: set[str] = set()
    item_kind = PAGE_ITEM_KIND.get(kind)
    items = doc.get(ITEMS_KEY)
    if item_kind is not None and isinstance(items, list):
        item_rules, spanning = applicable(item_kind, True, ctx), _spanning(kind)
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            valid = prove is True or (prove is not False and i not in prove)
            quiet = _item_quiet(item, item_kind) if valid else proofs.NONE
            if not spanning <= quiet:
                doubtful.update(spanning - quiet)
            found.extend(run(item_rules, item, item_kind, ctx, quiet, (ITEMS_KEY, i)))
    quiet = proofs.quiet(doc, kind) if prove is True else proofs.NONE
    if doubtful:
        quiet = quiet - doubtful
    yield from run(applicable(kind, False, ctx), doc, kind, ctx, quiet, ())
    yield from found


def beyond_payload(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Violation]:
    """The findings of the rules that need more than the payload (the request, the pages before) on
    a document whose text vouched for it: the payload rules are quiet there (:func:`reported` finds
    what the text still reports), so an item is visited only by a kind with such per-item rules."""
    item_kind = PAGE_ITEM_KIND.get(kind)
    found: list[Violation] = []
    if item_kind is not None and (item_rules := applicable(item_kind, True, ctx, payload=False)):
        for i, item in enumerate(doc[ITEMS_KEY]):
            found.extend(run(item_rules, item, item_kind, ctx, proofs.NONE, (ITEMS_KEY, i)))
    yield from run(applicable(kind, False, ctx, payload=False), doc, kind, ctx, proofs.NONE, ())
    yield from found


def run(
    rules: list[Rule],
    doc: dict[str, Any],
    kind: str,
    ctx: Context,
    quiet: proofs.Quiet,
    where: tuple[str | int, ...],
) -> Iterator[Violation]:
    """The findings of ``rules`` but the ``quiet`` ones on ``doc`` (at ``where`` in the document)."""
    at = join("", *where) if where else ""
    for r in rules:
        if r.id in quiet:
            continue
        assert r.func is not None
        for f in r.func(doc, kind, ctx):
            path = at + f.path
            yield Violation.found(r.id, path, f.message, f.severity or r.severity, f.value)


_Said = tuple[tuple[str, str, str], ...]
"""What the reported rules find on one identity: (rule id, path, message) each."""


@lru_cache(maxsize=1024)
def _said(kind: str, identity: bytes) -> _Said:
    """The findings of the rules of ``kind`` that a shape reports, run on ``identity`` alone (kept:
    a rule is a function of its input, and a listing names the same users page after page)."""
    alone = {"identity": identity.decode()}
    return tuple(
        (r.id, f.path, f.message)
        for r in rules_of(kind)
        if r.shape == "reported" and r.func is not None
        for f in r.func(alone, kind, _NO_CONTEXT)
    )


def reported(found: Found, kind: str, source: str | None) -> list[Violation]:
    """The warnings of the rules a shape reports (``shape="reported"``, warnings only: see
    :func:`.fastpath.shapes.declined`) at each place a vouched-for text returned: each such rule runs
    on the identity alone, in document order."""
    warnings = []
    for where, identity in found:
        at = f"/{where[0]}/{where[1]}" if where else ""  # a page's items key needs no escaping
        for rule_id, path, message in _said(PAGE_ITEM_KIND[kind] if where else kind, identity):
            warnings.append(Violation.warning(rule_id, at + path, message, source))
    return warnings


def with_source(v: Violation, source: str) -> Violation:
    return Violation(v.rule, v.path, v.message, v.severity, v.value, source)


def text_report(found: Found, kind: str, profile: str, source: str | None) -> Report:
    """The report of a document its text vouched for: the identity warnings (strict profile: the
    published one has no warnings), in document order."""
    warnings = reported(found, kind, source) if found and not schema_only(profile) else None
    return Report.clean(kind=kind, profile=profile, source=source, warnings=warnings)


def vouched_report(
    doc: dict[str, Any], kind: str, profile: str, ctx: Context, found: Found, source: str | None
) -> Report:
    """The report of a document its text vouched for: the identity warnings, and what the rules
    that need the request or the pages before find (the strict profile only)."""
    if schema_only(profile) or (ctx.request is None and ctx.status is None and not ctx.walk):
        return text_report(found, kind, profile, source)
    beyond = beyond_payload(doc, kind, ctx)
    if source is not None:
        beyond = (with_source(v, source) for v in beyond)
    findings = [*reported(found, kind, source), *beyond]
    return Report.of(findings, kind=kind, profile=profile, source=source)
