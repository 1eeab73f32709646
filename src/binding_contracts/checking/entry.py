"""check(), validate() and detect_kind(): the one entry through which every payload is judged."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import orjson

from .._inputs import long_numbers, parse_json
from .._json import join
from ..errors import ContractViolation, InputError, UsageError
from ..report import Report, Violation
from ..spec.kinds import CHAT, CONVERSATIONS, ITEMS_KEY, KIND_TABLE, PAGE_ITEM_KIND, URL_TEMPLATE_OF_KIND
from ..spec.profiles import PROFILES
from ..spec.routes import PathMatch, match_url
from ..spec.schemas import check_kind, check_profile
from ..spec.urls import templates_of
from . import jsonvalue
from .catalogue import RULES, Context, Request, Rule, rules_for
from .fastpath import proofs, shapes
from .rules.item import reserved_message
from .schema.compiled import violations as compiled_violations
from .subjects import as_payload, as_request, bounded_text, check_context

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

    ``payload`` is a parsed JSON document (a dict or another mapping), or JSON text as ``bytes``
    (what an HTTP client hands over: the fastest to check, as a valid body need not be parsed at all)
    or ``str`` (``response.text``); text that is not JSON is reported as ``response.json``, text
    longer than 256 MiB (:data:`.subjects.MAX_PAYLOAD_BYTES`) is :class:`UsageError`. An HTTP
    response or an object JSON has no value for raises :class:`UsageError` saying what to pass.
    Inside the document too, a value that is not JSON (a set, bytes, a tuple, a ``Decimal``, NaN, a
    cycle; the pages of ``previous``/``walk`` alike) is :class:`UsageError` naming it and its pointer
    (a mapping is read as the dict it holds), the only exception ``check`` raises. Nesting past 64
    levels is ``response.json``, as the same document's text is.
    ``kind`` is one of :data:`KINDS` or ``"auto"``. ``profile`` is ``"strict"`` (schema
    plus semantic rules and warnings) or ``"published"`` (Twilio's OpenAPI to the letter:
    the schema layer only). ``strict_fields`` makes undocumented members errors.
    ``request``/``status`` (the request answered — a :class:`Request`, a ``(method, url)`` pair,
    a ``requests.PreparedRequest`` or an ``httpx.Request`` — and its HTTP status) turn on the
    request-aware rules; ``previous`` (the page whose next_page_url led here) or ``walk``
    (every page before this one in the listing, oldest first) the sequence rules.
    ``source`` labels every violation (a file name, a cassette interaction).
    """
    if type(payload) is bytes:
        bounded_text(payload)  # at most MAX_PAYLOAD_BYTES
    elif type(payload) is not dict:
        payload = as_payload(payload)  # str is JSON text; a response or a set raises UsageError
    if request is not None and type(request) is not Request:
        request = as_request(request)
    if status is not None or previous is not None or walk is not None:
        check_context(status, previous, walk)
    if previous is not None:
        previous = _page(previous)
    if walk is not None:
        walk = [_page(page) for page in walk]
    if type(payload) is bytes and request is None and status is None and previous is None and walk is None:
        # the common case first, before any argument is looked at twice: a body that fits the shape
        # that fitted last for its kind (anything else: _check_text)
        shape = shapes.recent(kind)
        if shape is not None and profile in PROFILES and _utf8(payload):
            found = shape.fits(payload)
            if found is not None:
                return _text_report(found, kind, profile, source)
    if type(payload) is bytes:
        return _check_text(
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


def _page(page: Any) -> Any:
    """A page before this one as the sequence rules read it (:func:`.jsonvalue.admit`)."""
    try:
        return jsonvalue.admit(page)[0]
    except InputError as exc:
        raise UsageError(f"Got a page before this one that {exc.problem}") from None


def _check_text(
    data: bytes,
    kind: str,
    profile: str,
    *,
    strict_fields: bool,
    request: Request | None,
    status: int | None,
    previous: Mapping[str, Any] | None,
    walk: Sequence[Mapping[str, Any]] | None,
    source: str | None,
) -> Report:
    """:func:`check` of JSON text that :func:`check` could not judge from its text alone: parsed,
    then :func:`check_parsed` with the text known."""
    check_profile(profile)
    if kind != "auto":
        check_kind(kind)
    try:
        doc = parse_json(source or "payload", data)
    except InputError as exc:
        return _unread(exc, kind, profile, source)
    return check_parsed(
        doc,
        kind,
        profile,
        strict_fields=strict_fields,
        request=request,
        status=status,
        previous=previous,
        walk=walk,
        source=source,
        text=data,
    )


def _unread(exc: InputError, kind: str, profile: str, source: str | None) -> Report:
    """The report of a payload that is not JSON the contract reads (not JSON text, nested too deep)."""
    unread = Violation("response.json", "", f"the payload {exc.problem}", source=source)
    return Report.of([unread], kind=None if kind == "auto" else kind, profile=profile, source=source)


def _text_report(found: shapes.Found, kind: str, profile: str, source: str | None) -> Report:
    """The report of a document its text vouched for: the identity warnings (strict profile: the
    published one has no warnings), in document order."""
    warnings = list(_identity_warnings(found, kind, source)) if found and profile == "strict" else None
    return Report.clean(kind=kind, profile=profile, source=source, warnings=warnings)


def _identity_warnings(found: shapes.Found, kind: str, source: str | None) -> Iterator[Violation]:
    """binding.identity-reserved at each place a vouched-for text has an identity with a reserved
    character (the rule's own message)."""
    for where, identity in found:
        message = reserved_message(identity.decode())
        if message is not None:
            path = f"/{ITEMS_KEY}/{where[1]}/identity" if where else "/identity"
            yield Violation.warning("binding.identity-reserved", path, message, source)


def _utf8(data: bytes) -> bool:
    """Whether JSON text is UTF-8 (a shape lets any byte past ASCII through: a parser would not)."""
    if data.isascii():
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _written(payload: Any, parsed: bool) -> bytes | None:
    """The JSON text orjson writes for a payload made of JSON's own types, else None."""
    if not parsed:
        return None
    try:
        return orjson.dumps(payload)
    except (TypeError, orjson.JSONEncodeError):
        return None


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
    text: bytes | None = None,
) -> Report:
    """:func:`check` of a document fresh from a JSON parser (``parsed``: it holds JSON's own types
    only, so the fast path need not look at them first; otherwise :func:`.jsonvalue.admit` looks, and
    raises :class:`UsageError` on a value that is not JSON).

    The fast path (:mod:`.compiled`, :mod:`.guards`) vouches for the valid case; the reference path
    (jsonschema, then every rule not proven quiet) reports whatever it does not vouch for.
    ``fast=False`` takes the reference path alone, against which the fast path is tested. ``text``
    is the JSON text the payload was parsed from (by orjson), when there is one: the shapes of
    :mod:`.textual` are matched against it instead of against orjson's writing of the payload."""
    check_profile(profile)
    if kind != "auto":
        check_kind(kind)
    if parsed and text is not None and long_numbers(text):
        parsed = False  # an integer past 64 bits or an infinity: jsonvalue.admit tells the fast path
    if not parsed:
        try:
            payload, parsed = jsonvalue.admit(payload)
        except InputError as exc:
            return _unread(exc, kind, profile, source)
    if kind == "auto":
        try:
            kind = detect_kind(payload, request.url if request else None)
        except KindNotDetected as exc:
            undetected = Violation("kind.undetected", "", str(exc), source=source)
            return Report.of([undetected], kind=None, profile=profile, source=source)
    pages = tuple(walk) if walk is not None else ((previous,) if previous is not None else ())
    ctx = Context(request=request, status=status, walk=pages, strict_fields=strict_fields)
    if fast and kind in KIND_TABLE and type(payload) is dict:
        data = text if text is not None else _written(payload, parsed)
        shaped = shapes.vouches(payload, data, kind) if data is not None else None
        if shaped is not None:
            return _vouched(payload, kind, profile, ctx, shaped, source)
    # jsonschema-rs finds the schema violations (none: the fast path); when it cannot say, jsonschema
    found = compiled_violations(payload, kind, profile, parsed=parsed) if fast else None
    fast = found == []
    if found is None:
        from .schema.reference import schema_violations  # jsonschema: imported only when needed

        found = list(schema_violations(payload, kind, profile))
    findings: list[Violation] = found
    if profile == "strict" and isinstance(payload, dict):
        findings.extend(_semantic(payload, kind, ctx, proofs.quiet if fast else _unproven))
    if not findings:
        return Report.clean(kind=kind, profile=profile, source=source)
    if source is not None:
        findings = [_with_source(v, source) for v in findings]
    return Report.of(findings, kind=kind, profile=profile, source=source)


def _vouched(
    doc: dict[str, Any], kind: str, profile: str, ctx: Context, found: shapes.Found, source: str | None
) -> Report:
    """The report of a document its text vouched for: the identity warnings, and what the rules
    that need the request or the pages before find (the strict profile only)."""
    if profile != "strict" or (ctx.request is None and ctx.status is None and not ctx.walk):
        return _text_report(found, kind, profile, source)
    beyond = _beyond_payload(doc, kind, ctx)
    if source is not None:
        beyond = (_with_source(v, source) for v in beyond)
    findings = [*_identity_warnings(found, kind, source), *beyond]
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


Proof = Callable[[dict[str, Any], str, Context], tuple[proofs.Quiet, bool]]
"""What a check knows of an object before its rules run: the rules proven quiet on it, and whether
its urls are all on a current host."""


def _unproven(doc: dict[str, Any], kind: str, ctx: Context) -> tuple[proofs.Quiet, bool]:
    return proofs.NONE, False


def _semantic(doc: dict[str, Any], kind: str, ctx: Context, prove: Proof) -> Iterator[Violation]:
    """Every rule's findings but those of the rules ``prove`` shows quiet on the document and on
    each item (:func:`proofs.quiet` on a schema-valid document, nothing on another)."""
    found: list[Violation] = []
    all_current = True
    item_kind = PAGE_ITEM_KIND.get(kind)
    items = doc.get(ITEMS_KEY)
    if item_kind is not None and isinstance(items, list):
        item_rules = _rules(item_kind, True)
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            quiet, current = prove(item, item_kind, ctx)
            all_current = all_current and current
            found.extend(_run(item_rules, item, item_kind, ctx, quiet, (ITEMS_KEY, i)))
    quiet, current = prove(doc, kind, ctx)
    if not (current and all_current):
        quiet = quiet - {"url.deprecated-host"}
    yield from _run(_rules(kind, False), doc, kind, ctx, quiet, ())
    yield from found


def _beyond_payload(doc: dict[str, Any], kind: str, ctx: Context) -> Iterator[Violation]:
    """The findings of the rules that need more than the payload (the request, the pages before) on
    a document whose text vouched for it: the payload rules are quiet there (the identity warning
    is found from the text itself), so an item is visited only by a kind with such per-item rules."""
    item_kind = PAGE_ITEM_KIND.get(kind)
    found: list[Violation] = []
    if item_kind is not None and (item_rules := _context_rules(item_kind, True)):
        for i, item in enumerate(doc[ITEMS_KEY]):
            found.extend(_run(item_rules, item, item_kind, ctx, proofs.NONE, (ITEMS_KEY, i)))
    yield from _run(_context_rules(kind, False), doc, kind, ctx, proofs.NONE, ())
    yield from found


def _context_rules(kind: str, items: bool) -> list[Rule]:
    return [r for r in _rules(kind, items) if r.needs != "payload"]


def _run(
    rules: list[Rule],
    doc: dict[str, Any],
    kind: str,
    ctx: Context,
    quiet: proofs.Quiet,
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
