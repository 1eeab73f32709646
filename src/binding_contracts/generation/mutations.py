"""Targeted invalid payloads: a valid payload broken in one named way, that rule its only finding.

Every payload rule of the catalogue can be broken alone in at least one kind; the rules that need
more than a payload (a request, a listing walk, the HTTP exchange) are in :data:`NOT_BREAKABLE_ALONE`
with the reason.
Rules that need more than a payload, never targeted: ``cassette.pii``, ``cassette.secret``,
``delete.empty-body``,
``request.filter-binding-type``, ``request.filter-identity``, ``request.page-size``,
``request.service``, ``request.sid``, ``request.user``, ``response.json``, ``response.status``,
``sequence.deleted-fetched``, ``sequence.meta-url``, ``sequence.page-number``,
``sequence.unique-sids``.

What a kind cannot break, because its schema has nothing of the sort:

====================================  =========================================================
kind                                  rules not targetable, and why
====================================  =========================================================
``error``                             ``schema.pattern``, ``schema.enum``, ``schema.minLength``:
                                      the envelope has no SID, no enum and no required text
``binding``, ``user-binding``         ``schema.minimum``, ``schema.maximum``: a binding holds no
                                      number
``binding-page``,                     ``schema.maximum``: nothing in page meta or items has one
``user-binding-page``                 (page_size's bound is the semantic ``page.size-max``)
====================================  =========================================================

(:func:`untargetable_rules` gives the same list from the schemas as they are.) Special cases:

- Warnings (``binding.identity-reserved``, ``binding.unknown-message-type``, ``field.unknown``,
  ``url.deprecated-host``) are targetable: the mutant passes ``check()`` with that warning as its only
  finding (``field.unknown`` is an error under ``strict_fields=True``).
- ``error.status-match`` compares the body with the HTTP status: :attr:`Mutant.status` carries the
  status to check with (``check(m.payload, m.kind, status=m.status)``, or ``m.report()``).
- ``kind.undetected`` is a finding of ``kind="auto"`` alone: its mutant is a payload of the kind that
  auto can no longer tell (a binding without sid, binding_type and links; a page's meta alone; an
  error without status); check it with :attr:`Mutant.check_kind`, which is ``"auto"``.
- ``schema.minLength`` in a ``binding`` empties the endpoint: an empty identity would also empty
  links.user and break ``binding.links-user-service``.

Pins fix the valid payload a mutation starts from; the mutation then changes what it must, pinned or
not. A pin that leaves no room for it (``page_size=1`` for ``page.unique-sids``) raises at build time.
Identities are drawn without URI-reserved characters, so no warning comes along (unless pinned).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Final

from ..checking.catalogue import RULES, Rule
from ..checking.entry import check, check_parsed
from ..checking.rule import id_of
from ..checking.rules import document as document_rules
from ..checking.rules.item import user_member
from ..errors import UsageError, did_you_mean
from ..report import Report
from ..spec import facts
from ..spec.kinds import ITEMS_KEY, URL_TEMPLATE_OF_KIND, USER_PAGE_KINDS, article, service_member
from ..spec.routes import match_url
from ..spec.schemas import check_kind, check_profile, raw_schemas, schema_file
from . import drawing
from .breakers import document as document_breakers  # noqa: F401  (register the breakers)
from .breakers import item as item_breakers  # noqa: F401
from .breakers import page as page_breakers  # noqa: F401
from .breakers.schema import REGISTRY, Base, Breakage
from .builders import ITEM_KIND, PAGE_SHARED, page
from .drawing import Needs
from .pins import resolve
from .source import Source, choice

_BEYOND_A_PAYLOAD: Final = {
    "request": "it compares the body with the request it answered; a payload alone cannot break it "
    "(check(..., request=Request(method, url)) with a request the body does not answer does)",
    "sequence": "it compares a page with the pages before it in a listing walk; one payload alone "
    "cannot break it",
    "interaction": "it judges the HTTP exchange itself (status, raw body, a fetch after a delete), "
    "not a JSON payload",
}
STATUS_RULE: Final = id_of(document_rules.status_match)
"""The one rule a payload breaks only with the HTTP status it is checked with (:attr:`Mutant.status`)."""
NOT_BREAKABLE_ALONE: Final[dict[str, str]] = {
    rule_id: _BEYOND_A_PAYLOAD[rule.needs]
    for rule_id, rule in RULES.items()
    if rule.needs in _BEYOND_A_PAYLOAD and rule_id != STATUS_RULE
}
"""Rules a payload alone cannot break, with the reason: the request-aware, sequence and interaction
rules (``error.status-match`` excepted: its :attr:`Mutant.status` carries the HTTP status)."""

DETECTION_RULES: Final = frozenset({"kind.undetected"})
PUBLISHED_RULES: Final = frozenset({"schema.pattern", "schema.enum", "schema.format", "kind.undetected"})
"""The rules a payload can break alone under the published profile. That profile judges the schema
alone, without ``required``, the strict-only keywords (an identity's ``minLength``, a page's
``minimum``) and with null allowed where Twilio's spec allows it (schema.type's breaker writes
null); kind.undetected is ``kind="auto"``'s in every profile. A kind whose schema the published
profile keeps as it is (the error envelope) breaks every schema rule there."""
_NOT_LIFTED: Final = frozenset({id_of(document_rules.deprecated_host), "kind.undetected"})
"""Rules about a whole document, never broken through one item of a page."""


@dataclass(frozen=True)
class Mutant:
    """A payload of ``kind`` broken so that ``rule`` is its only finding."""

    payload: Any
    rule: str
    kind: str
    status: int | None = None
    """The HTTP status to check with: set for ``error.status-match`` alone."""
    profile: str = "strict"
    """The profile under which ``rule`` is the payload's only finding."""

    @property
    def check_kind(self) -> str:
        """The kind to check with: ``"auto"`` for ``kind.undetected``, else :attr:`kind`."""
        return "auto" if self.rule in DETECTION_RULES else self.kind

    def report(self) -> Report:
        """``check()`` of the payload, with the kind and status it is meant to be checked with."""
        return check(self.payload, self.check_kind, self.profile, status=self.status)


def why_not_alone(m: Mutant, report: Report | None = None) -> str | None:
    """Why ``m.rule`` is not the only finding of its mutant (``report``: :meth:`Mutant.report`), or
    None when it is. A semantic rule whose findings come with a schema rule's at the same place is
    one the schema already implies (an empty ``endpoint`` breaks ``schema.minLength`` first): no
    payload breaks it alone, so it has no place among the rules; a test that draws the mutants
    (tests/generation/test_mutations.py, docs/render_rules.py) refuses it with this reason."""
    report = m.report() if report is None else report
    own = {v.path for v in report.findings if v.rule == m.rule}
    others = sorted({(v.rule, v.path) for v in report.findings if v.rule != m.rule})
    if own and not others:
        return None
    if not own:
        reference = check_parsed(
            m.payload, m.check_kind, m.profile, status=m.status, parsed=False, fast=False
        )
        if m.rule in {v.rule for v in reference.findings}:
            return (
                f"the reference path finds {m.rule} in its mutant and check() does not: the text "
                "shapes do not hold the rule as its @rule(..., shape=...) says (checking/rule.py)"
            )
        return f"its mutant does not break {m.rule}: it finds {others or 'nothing'}"

    def near(path: str) -> bool:
        return any(path == p or path.startswith(p + "/") or p.startswith(path + "/") for p in own)

    implied = [f"{rule} at {path!r}" for rule, path in others if rule.startswith("schema.") and near(path)]
    if implied and not m.rule.startswith("schema."):
        return (
            f"the schema already implies {m.rule}: where it finds something, {', '.join(implied)} "
            "fires too, so no payload breaks it alone; a semantic rule must judge what the schema "
            "cannot (drop the rule, or change the schema and say so)"
        )
    return f"its mutant breaks {m.rule} and also {others}: its breaker must change less"


def breakages(kind: str, rule: str) -> list[Breakage]:
    """Every way to break ``rule`` in a ``kind``; a page also breaks its items' rules in one item."""
    own = [b for b in REGISTRY.get((kind, rule), []) if b.when(kind)]
    item_kind = ITEM_KIND.get(kind)
    if item_kind is not None and rule not in _NOT_LIFTED:
        for b in REGISTRY.get((item_kind, rule), []):
            if b.when(item_kind):
                needs = replace(b.needs, min_items=max(1, b.needs.min_items))
                own.append(replace(b, needs=needs, lifted=True))
    return own


def _applies(rule: Rule, kind: str) -> bool:
    item_kind = ITEM_KIND.get(kind)
    return kind in rule.kinds or (item_kind in rule.kinds and rule.per_item)


def targetable_rules(kind: str, profile: str = "strict") -> tuple[str, ...]:
    """The rule ids :func:`invalid_payloads` can break alone in a ``kind`` under ``profile``, sorted."""
    check_kind(kind)
    check_profile(profile)
    return tuple(r for r in sorted(RULES) if breakages(kind, r) and in_profile(kind, r, profile))


def in_profile(kind: str, rule: str, profile: str) -> bool:
    """Whether ``profile`` judges ``rule`` in a ``kind`` (see :data:`PUBLISHED_RULES`)."""
    if profile == "strict" or rule in PUBLISHED_RULES:
        return True
    as_strict = raw_schemas()[schema_file(kind)].get("x-published") == "as-strict"
    return as_strict and rule.startswith("schema.")


def untargetable_rules(kind: str) -> dict[str, str]:
    """The rules that apply to a ``kind`` but cannot be broken alone in it, with the reason."""
    check_kind(kind)
    out: dict[str, str] = {}
    for rule_id in sorted(RULES):
        if _applies(RULES[rule_id], kind) and not breakages(kind, rule_id):
            keyword = rule_id.removeprefix("schema.")
            out[rule_id] = NOT_BREAKABLE_ALONE.get(
                rule_id, f"nothing in {article(kind)} has {keyword!r} in schemas/"
            )
    return out


def conflict(needs: Needs, pins: Mapping[str, Any]) -> str | None:
    """Why ``pins`` leave no room for a mutation with ``needs``, or None."""
    size, number = pins.get("page_size"), pins.get("page")
    if size is not None and needs.min_items > size:
        return f"it needs {needs.min_items} item(s) on the page, more than page_size={size} holds"
    if number is not None and needs.page == "first" and number != 0:
        return f"it breaks page 0, and page={number} is pinned"
    if number is not None and needs.page == "later" and number == 0:
        return "it breaks a page after the first, and page=0 is pinned"
    status, (details_max, _) = pins.get("status"), facts.error_details()
    if status is not None and needs.client_error and status > details_max:
        return f"it needs a status up to {details_max}, and status={status} is pinned"
    return None


def plan(kind: str, rule: str, pins: Mapping[str, Any], profile: str = "strict") -> tuple[Breakage, ...]:
    """The ways to break ``rule`` in a ``kind`` that fit the (checked) ``pins``; raises
    :class:`UsageError` when there is none."""
    check_kind(kind)
    if rule not in RULES:
        hint = did_you_mean(rule, RULES)
        raise UsageError(f"Got rule={rule!r}, but it is not a rule id of binding_contracts.RULES{hint}")
    if not in_profile(kind, rule, check_profile(profile)):
        rules = ", ".join(targetable_rules(kind, profile))
        raise UsageError(
            f"Got rule={rule!r} with profile={profile!r}, but that profile does not judge it in "
            f"{article(kind)}; it breaks {rules}"
        )
    variants = breakages(kind, rule)
    if not variants:
        reason = untargetable_rules(kind).get(rule, f"{rule} does not apply to {article(kind)}")
        raise UsageError(f"Got rule={rule!r} for {article(kind)}, but it cannot be broken there: {reason}")
    fitting = tuple(b for b in variants if conflict(b.needs, pins) is None)
    if not fitting:
        raise UsageError(
            f"Got rule={rule!r} and pins that break it nowhere: {conflict(variants[0].needs, pins)}"
        )
    return fitting


def plans(
    kind: str, rule: str | None, pins: Mapping[str, Any], profile: str = "strict"
) -> dict[str, tuple[Breakage, ...]]:
    """:func:`plan` of ``rule``, or of every targetable rule that fits the pins when ``rule`` is None."""
    if rule is not None:
        return {rule: plan(kind, rule, pins, profile)}
    out: dict[str, tuple[Breakage, ...]] = {}
    for rule_id in targetable_rules(kind, profile):
        fitting = tuple(b for b in breakages(kind, rule_id) if conflict(b.needs, pins) is None)
        if fitting:
            out[rule_id] = fitting
    if not out:  # pragma: no cover - every kind has rules that need nothing of the pins
        raise UsageError(f"Got pins that leave no rule of {article(kind)} to break: {dict(pins)}")
    return out


def mutate(
    source: Source,
    kind: str,
    variants: tuple[Breakage, ...],
    pins: Mapping[str, Any],
    profile: str = "strict",
) -> Mutant:
    """One mutant, drawn from ``source``: a valid payload under ``pins``, broken by one of ``variants``.
    A mutant of the published profile starts from a strict payload too, so that the one member
    broken is the only one a reader of it need look at."""
    b = choice(source, variants)
    needs = replace(b.needs, plain=True)
    if not b.lifted:
        broken = b.func(source, Base(kind, drawing.parts(source, kind, pins, needs)))
        return Mutant(broken.payload, b.rule, kind, broken.status, profile)
    parts = drawing.page(source, kind, pins, needs)
    index = source.integer(0, len(parts.items) - 1)
    broken = b.func(source, Base(ITEM_KIND[kind], parts.items[index], PAGE_SHARED))
    if parts.identity is not None and _identity(broken.payload) != parts.identity:
        # a page naming its user by identity would also break page.item-user: it names the user by sid
        parts = replace(parts, identity=None)
    doc = page(parts)
    doc[ITEMS_KEY][index] = broken.payload
    return Mutant(doc, b.rule, kind, broken.status, profile)


def break_rule(payload: Mapping[str, Any], kind: str, rule: str, seed: int = 0) -> dict[str, Any]:
    """A payload like ``payload`` (its sids, service, identity, page and page size, as far as
    pins reach) broken so that ``rule`` is its only finding: the fake API's fault injection.

    The mutant starts from ``payload``'s members as pins; a member that cannot be pinned as
    it is (a url spelled another way) is left to be drawn.
    """
    from random import Random

    from .source import RandomSource

    for candidate in _pins_like(payload, kind):
        try:
            pins = resolve(kind, candidate)
            variants = plan(kind, rule, pins)
        except UsageError:
            continue
        mutant = mutate(RandomSource(Random(seed)), kind, variants, pins)
        return dict(mutant.payload)
    raise UsageError(f"Got rule={rule!r}, but it cannot be broken in {article(kind)}")


def _user_path(meta: Any, kind: str) -> dict[str, Any]:
    """The pins that name a user's page's user as its meta.url does (by sid, or by identity)."""
    url = meta.get("url") if isinstance(meta, Mapping) and kind in USER_PAGE_KINDS else None
    m = match_url(url, URL_TEMPLATE_OF_KIND[kind]) if isinstance(url, str) else None
    if m is None or m.user is None:
        return {}
    if user_member(m.user) == "user_sid":
        return {"user_path": "sid", "user_sid": m.user}
    return {"user_path": "identity", "identity": m.user}


def _identity(item: Any) -> Any:
    return item.get("identity") if isinstance(item, dict) else None


def _pins_like(payload: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    """Pins from the most faithful to none, to try in turn."""
    if kind in ITEM_KIND:  # a page kind
        meta = payload.get("meta") if isinstance(payload.get("meta"), Mapping) else {}
        items = payload.get(ITEMS_KEY) or [{}]
        first = items[0] if isinstance(items[0], Mapping) else {}
        shared = {k: first[k] for k in (service_member(kind), "user_sid", "account_sid") if k in first}
        paging = {k: meta[k] for k in ("page", "page_size") if isinstance(meta, Mapping) and k in meta}
        return [{**paging, **shared, **_user_path(meta, kind)}, shared, {}]
    whole = {k: v for k, v in payload.items() if k in facts.properties(kind)}
    plain = {k: v for k, v in whole.items() if k not in ("url", "links")}
    return [whole, plain, {}]
