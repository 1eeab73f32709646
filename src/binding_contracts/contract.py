"""check(), validate() and detect_kind(): the one entry through which every payload is judged."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from . import guards, invariants, page_invariants, request_invariants  # noqa: F401  (registers the rules)
from ._json import join
from .compiled import vouches
from .errors import ContractViolation, UsageError
from .report import Report, Violation
from .resources import (
    CHAT,
    CONVERSATIONS,
    ITEMS_KEY,
    PAGE_ITEM_KIND,
    URL_TEMPLATE_OF_KIND,
    PathMatch,
    match_url,
    templates_of,
)
from .rules import RULES, Context, Request, Rule, rules_for
from .schemas import check_kind, check_profile

_KIND_OF_TEMPLATE = {template: kind for kind, template in URL_TEMPLATE_OF_KIND.items()}
_CONVERSATIONS_MEMBER, _CHAT_MEMBER = CONVERSATIONS.service_member, CHAT.service_member
"""Each API's name for the service: the member that tells a Conversations binding from a Chat one
before the urls do (a url may be the very thing that is wrong)."""


class KindNotDetected(UsageError):
    """``kind="auto"`` could not tell what a payload is."""


def detect_kind(payload: Any, url: str | None = None) -> str:
    """The kind of a payload, from its shape and, where known, the request URL.

    An error envelope is recognised by its shape first (an answer to any request may be
    one); otherwise the request URL decides, then the payload's own urls and members.
    Raises :class:`KindNotDetected` when nothing fits.
    """
    if not isinstance(payload, Mapping):
        raise KindNotDetected(f"Got a JSON {type(payload).__name__}, but every kind is an object")
    if "status" in payload and "message" in payload and "sid" not in payload:
        return "error"
    if url is not None:
        m = match_url(url)
        if m is not None and m.template in _KIND_OF_TEMPLATE:
            return _KIND_OF_TEMPLATE[m.template]
    if "meta" in payload or ITEMS_KEY in payload:
        meta = payload.get("meta")
        own = meta.get("url") if isinstance(meta, Mapping) else None
        m = match_url(own) if isinstance(own, str) else None
        items = payload.get(ITEMS_KEY)
        listed = [i for i in items if isinstance(i, Mapping)] if isinstance(items, list) else []
        chat = any(_CHAT_MEMBER in i for i in listed)
        if any(_CONVERSATIONS_MEMBER in i for i in listed) or (_conversations(m) and not chat):
            return "conversations-binding-page"
        user_list = m is not None and m.template == "user-binding-list"
        return "user-binding-page" if user_list or any("user_sid" in i for i in listed) else "binding-page"
    if "user_sid" in payload:
        return "user-binding"
    if _CONVERSATIONS_MEMBER in payload:
        return "conversations-binding"
    if "sid" in payload or "binding_type" in payload or "links" in payload:
        own = payload.get("url")
        m = match_url(own) if isinstance(own, str) else None
        return "conversations-binding" if _conversations(m) and _CHAT_MEMBER not in payload else "binding"
    raise KindNotDetected("Got an object with none of the members that tell a kind (sid, meta, status)")


def _conversations(m: PathMatch | None) -> bool:
    """Whether a payload's own url is one of Conversations' (its items or its list)."""
    return m is not None and m.template in templates_of(CONVERSATIONS)


def check(
    payload: Any,
    kind: str = "auto",
    profile: str = "strict",
    *,
    strict_fields: bool = False,
    request: Request | None = None,
    status: int | None = None,
    previous: Mapping[str, Any] | None = None,
    walk: Sequence[Mapping[str, Any]] | None = None,
    source: str | None = None,
) -> Report:
    """Judge a payload against the contract; never raises on a bad payload.

    ``kind`` is one of :data:`KINDS` or ``"auto"``. ``profile`` is ``"strict"`` (schema
    plus semantic rules and warnings) or ``"published"`` (Twilio's OpenAPI to the letter:
    the schema layer only). ``strict_fields`` makes undocumented members errors.
    ``request``/``status`` (the request answered and its HTTP status) turn on the
    request-aware rules; ``previous`` (the page whose next_page_url led here) or ``walk``
    (every page before this one in the listing, oldest first) the sequence rules.
    ``source`` labels every violation (a file name, a cassette interaction).
    """
    return check_parsed(
        payload,
        kind,
        profile,
        strict_fields=strict_fields,
        request=request,
        status=status,
        previous=previous,
        walk=walk,
        source=source,
        parsed=False,
    )


def check_parsed(
    payload: Any,
    kind: str = "auto",
    profile: str = "strict",
    *,
    strict_fields: bool = False,
    request: Request | None = None,
    status: int | None = None,
    previous: Mapping[str, Any] | None = None,
    walk: Sequence[Mapping[str, Any]] | None = None,
    source: str | None = None,
    parsed: bool = True,
    fast: bool = True,
) -> Report:
    """:func:`check` of a document fresh from a JSON parser (``parsed``: it holds JSON's own types
    only, so the fast path need not look at them first).

    The fast path (:mod:`.compiled`, :mod:`.guards`) vouches for the valid case; the reference path
    (jsonschema, then every rule not proven quiet) reports whatever it does not vouch for.
    ``fast=False`` takes the reference path alone, against which the fast path is tested."""
    check_profile(profile)
    if kind != "auto":
        check_kind(kind)
    else:
        try:
            kind = detect_kind(payload, request.url if request else None)
        except KindNotDetected as exc:
            found = Violation("kind.undetected", "", str(exc), source=source)
            return Report.of([found], kind=None, profile=profile, source=source)
    pages = tuple(walk) if walk is not None else ((previous,) if previous is not None else ())
    ctx = Context(request=request, status=status, walk=pages, strict_fields=strict_fields)
    fast = fast and vouches(payload, kind, profile, parsed=parsed)
    findings: list[Violation] = []
    if not fast:
        from .validation import schema_violations  # jsonschema: imported only when needed

        findings.extend(schema_violations(payload, kind, profile))
    if profile == "strict" and isinstance(payload, dict):
        findings.extend(_semantic(payload, kind, ctx, fast))
    if not findings:
        return Report(kind=kind, profile=profile, source=source)
    if source is not None:
        findings = [_with_source(v, source) for v in findings]
    return Report.of(findings, kind=kind, profile=profile, source=source)


def validate(
    payload: Any,
    kind: str = "auto",
    profile: str = "strict",
    *,
    strict_fields: bool = False,
    request: Request | None = None,
    status: int | None = None,
    previous: Mapping[str, Any] | None = None,
    walk: Sequence[Mapping[str, Any]] | None = None,
    source: str | None = None,
) -> Report:
    """:func:`check`, raising :class:`ContractViolation` (an ``AssertionError``) unless ok."""
    report = check(
        payload,
        kind,
        profile,
        strict_fields=strict_fields,
        request=request,
        status=status,
        previous=previous,
        walk=walk,
        source=source,
    )
    if not report.ok:
        raise ContractViolation(report)
    return report


_RULES: dict[tuple[str, bool, int], list[Rule]] = {}


def _rules(kind: str, items: bool) -> list[Rule]:
    """:func:`rules_for` (only the per-item ones for ``items``), kept until a rule is registered."""
    key = (kind, items, len(RULES))
    found = _RULES.get(key)
    if found is None:
        found = _RULES[key] = [r for r in rules_for(kind) if r.per_item or not items]
    return found


def _semantic(doc: dict[str, Any], kind: str, ctx: Context, valid: bool) -> Iterator[Violation]:
    """Every rule's findings; on a schema-valid document (``valid``), rules proven quiet are skipped."""
    found: list[Violation] = []
    all_current = True
    item_kind = PAGE_ITEM_KIND.get(kind)
    items = doc.get(ITEMS_KEY)
    if item_kind is not None and isinstance(items, list):
        item_rules = _rules(item_kind, True)
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            quiet, current = guards.quiet(item, item_kind, ctx) if valid else (guards.NONE, False)
            all_current = all_current and current
            found.extend(_run(item_rules, item, item_kind, ctx, quiet, (ITEMS_KEY, i)))
    quiet, current = guards.quiet(doc, kind, ctx) if valid else (guards.NONE, False)
    if not (current and all_current):
        quiet = quiet - {"url.deprecated-host"}
    yield from _run(_rules(kind, False), doc, kind, ctx, quiet, ())
    yield from found


def _run(
    rules: list[Rule],
    doc: dict[str, Any],
    kind: str,
    ctx: Context,
    quiet: guards.Quiet,
    where: tuple[str | int, ...],
) -> Iterator[Violation]:
    for r in rules:
        if r.id in quiet:
            continue
        assert r.func is not None
        for f in r.func(doc, kind, ctx):
            path = join("", *where) + f.path
            yield Violation(r.id, path, f.message, f.severity or r.severity, f.value)


def _with_source(v: Violation, source: str) -> Violation:
    return Violation(v.rule, v.path, v.message, v.severity, v.value, source)
