"""check() and validate(): the one entry through which every payload is judged (detect_kind() is
:mod:`.detect`'s, the rules are run by :mod:`.engine`)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from .._inputs import long_numbers, parse_screened, parse_text
from ..errors import ContractViolation, InputError, UsageError
from ..report import Report, Violation
from ..spec.kinds import KIND_TABLE
from ..spec.profiles import PROFILES, ProfileArg, holds_strict, schema_only
from ..spec.schemas import check_kind, check_profile
from . import engine, jsonvalue, subjects
from .catalogue import Context, Request
from .detect import KindNotDetected as KindNotDetected
from .detect import detect_kind as detect_kind
from .fastpath import members, shapes
from .fastpath.scan import BACKSLASH
from .schema.compiled import member_violations
from .schema.compiled import violations as compiled_violations
from .subjects import as_payload, as_request, bounded_text, check_context

_NO_CONTEXT = Context()


def check(
    payload: Any,
    kind: str = "auto",
    profile: ProfileArg = "strict",
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
    (what an HTTP client hands over, and the fastest to check: with no request, status or walk, a
    body that fits the text shape that last fitted its kind, or any kind's for ``"auto"``, is judged
    without being parsed) or ``str`` (``response.text``); text that is not JSON is reported as
    ``response.json``, text longer than 256 MiB (:data:`.subjects.MAX_PAYLOAD_BYTES`) is
    :class:`UsageError`. An HTTP response or an object JSON has no value for raises
    :class:`UsageError` saying what to pass.
    Inside the document too, a value that is not JSON (a set, bytes, a tuple, a ``Decimal``, NaN, a
    cycle; the pages of ``previous``/``walk`` alike) is :class:`UsageError` naming it and its pointer
    (a mapping is read as the dict it holds), the only exception ``check`` raises. Nesting past 64
    levels is ``response.json``, as the same document's text is.
    ``kind`` is one of :data:`KINDS` or ``"auto"``. ``profile`` is ``"strict"`` (schema
    plus semantic rules and warnings), ``"published"`` (Twilio's OpenAPI to the letter:
    the schema layer only), or the path of a profile file (strict, members loosened; one that
    cannot be used is :class:`UsageError`). ``strict_fields`` makes undocumented members errors.
    ``request``/``status`` (the request answered — a :class:`Request`, a ``(method, url)`` pair,
    a ``requests.PreparedRequest`` or an ``httpx.Request`` — and its HTTP status) turn on the
    request-aware rules; ``previous`` (the page whose next_page_url led here) or ``walk``
    (every page before this one in the listing, oldest first) the sequence rules.
    ``source`` labels every violation (a file name, a cassette interaction).
    """
    alone = request is None and status is None and previous is None and walk is None
    # one of PROFILES, as its name (a Path or another object compares unequal)
    name = "strict" if profile == "strict" else "published" if profile == "published" else None
    written, tried, fitted = None, False, None
    if type(payload) is bytes and alone:
        # the common case first, before any argument is looked at twice: a body that fits the shape
        # that fitted last for its kind (anything else: _check_text)
        if len(payload) > subjects.MAX_PAYLOAD_BYTES:
            bounded_text(payload)  # UsageError
        if name is not None:
            fitted = shapes.fitting(payload, kind)
            if fitted is not None and not (payload.isascii() or _utf8(payload)):
                fitted = None
            tried = fitted is None
    elif type(payload) is dict and alone:
        # check(response.json()): orjson's writing of a document made of JSON's own types, matched
        # as its bytes would be (anything else: check_parsed, which says what is not JSON)
        written = jsonvalue.written(payload)
        fitted = shapes.fitting(written, kind) if name is not None and written is not None else None
    else:
        payload, request, previous, walk = _arguments(payload, request, status, previous, walk)
    if fitted is not None and name is not None:  # vouched for by its text: the report, built here
        if not fitted[1]:
            return Report.clean(kind=fitted[0], profile=name, source=source)
        return engine.text_report(fitted[1], fitted[0], name, source)
    if type(payload) is bytes or type(payload) is str:  # JSON text (a str: one no UTF-8 encodes)
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
            tried=tried,
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
        parsed=written is not None,
        text=written,
        long=False,  # orjson wrote it: it writes no integer past 64 bits, and no infinity
    )


def _arguments(
    payload: Any,
    request: Any,
    status: int | None,
    previous: Mapping[str, Any] | None,
    walk: Sequence[Mapping[str, Any]] | None,
) -> tuple[Any, Request | None, Mapping[str, Any] | None, Sequence[Mapping[str, Any]] | None]:
    """:func:`check`'s arguments as the paths read them: JSON text bounded, another payload admitted
    (:func:`.subjects.as_payload`), the request a :class:`Request`, the pages before admitted; what
    cannot be read raises :class:`UsageError`."""
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
    return payload, request, previous, walk


def _page(page: Any) -> Any:
    """A page before this one as the sequence rules read it (:func:`.jsonvalue.admit`)."""
    try:
        return jsonvalue.admit(page)[0]
    except InputError as exc:
        raise UsageError(f"Got a page before this one that {exc.problem}") from None


def _check_text(
    data: bytes | str,
    kind: str,
    profile: ProfileArg,
    *,
    strict_fields: bool,
    request: Request | None,
    status: int | None,
    previous: Mapping[str, Any] | None,
    walk: Sequence[Mapping[str, Any]] | None,
    source: str | None,
    tried: bool = False,
) -> Report:
    """:func:`check` of JSON text that :func:`check` could not judge from its text alone: parsed,
    then :func:`check_parsed` with the text known (a ``str`` holding a lone surrogate: parsed as
    ``json.loads`` parses it, then judged as the document is); ``tried``: the shape that fitted last
    (:func:`.shapes.fitting`) did not fit it."""
    profile = check_profile(profile)
    if kind != "auto":
        check_kind(kind)
    text = data if isinstance(data, bytes) else None
    try:
        doc, long = (
            parse_screened(source or "payload", data)
            if isinstance(data, bytes)
            else (parse_text(source or "payload", data), True)
        )
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
        parsed=text is not None,  # lone surrogates: jsonvalue.admit tells the fast path
        text=text,
        long=long,
        tried=tried,
    )


def _unread(exc: InputError, kind: str, profile: str, source: str | None) -> Report:
    """The report of a payload that is not JSON the contract reads (not JSON text, nested too deep)."""
    unread = Violation("response.json", "", f"the payload {exc.problem}", source=source)
    return Report.of([unread], kind=None if kind == "auto" else kind, profile=profile, source=source)


def _utf8(data: bytes) -> bool:
    """Whether JSON text is UTF-8 (a shape lets any byte past ASCII through: a parser would not)."""
    if data.isascii():
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_SURROGATE_ESCAPE: Final = re.compile(rb"\\u[dD][89abcdefABCDEF]")
"""An escape that may spell a lone surrogate (or half of a pair): a parser hands over a str that
jsonschema-rs must never be given (before 0.42 it crashed on one), so the document is looked at."""


def _surrogate_escapes(text: bytes) -> bool:
    # one byte looked for as an int is memchr (fastpath.scan.BACKSLASH); two (b"\\u") a loop
    return BACKSLASH in text and _SURROGATE_ESCAPE.search(text) is not None


def check_parsed(
    payload: Any,
    kind: str = "auto",
    profile: ProfileArg = "strict",
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
    long: bool | None = None,
    tried: bool = False,
) -> Report:
    """:func:`check` of a document fresh from a JSON parser (``parsed``, with the ``text`` it was read
    from: it holds JSON's own types only, so the fast path need not look at them first, unless the
    text spells a number past 64 bits or a surrogate; otherwise :mod:`.jsonvalue` looks, at C speed
    where it can (:func:`.jsonvalue.written`), and raises :class:`UsageError` on a value that is not
    JSON).

    The fast path (:mod:`.fastpath.shapes`, :mod:`.schema.compiled`, :mod:`.fastpath.proofs`)
    vouches for the valid case; the reference path (jsonschema, then every rule not proven quiet)
    reports whatever it does not vouch for. ``fast=False`` takes the reference path alone, against
    which the fast path is tested. ``text`` is the JSON text the payload was parsed from (by
    orjson), when there is one: the shapes are matched against it instead of against orjson's
    writing of the payload. ``long`` and ``tried``: what the caller saw of that text already,
    whether the payload may hold a number orjson did not read exactly (:func:`.parse_screened`
    says so of the text it reads; None: :func:`.long_numbers` looks) and that the shape of its kind
    that fitted last did not fit it (:func:`.shapes.fitting`)."""
    if profile not in PROFILES:  # the two names as they are; anything else read and checked
        profile = check_profile(profile)
    if kind != "auto":
        check_kind(kind)
    if parsed and (
        text is None or (long_numbers(text) if long is None else long) or _surrogate_escapes(text)
    ):
        # no text to tell, an integer past 64 bits, an infinity, a lone surrogate: jsonvalue tells
        parsed = False
    own = None
    if not parsed:
        own = jsonvalue.written(payload)  # the common case: JSON's own types, written by orjson
        parsed, text = own is not None, text if text is not None else own
    if not parsed:
        try:
            payload, parsed = jsonvalue.walked(payload)
        except InputError as exc:
            return _unread(exc, kind, profile, source)
    # its kind not named: its text (or, a document without one, its writing) may fit the shape that
    # fitted last, which tells its kind (unless ``tried``: it did not fit a moment ago)
    probe = own if own is not None else text if parsed and not tried else None
    auto = kind == "auto" and request is None and fast
    fitted = shapes.fitting(probe, kind) if probe is not None and auto else None
    if fitted is not None:
        kind = fitted[0]
    elif kind == "auto":
        try:
            kind = detect_kind(payload, request.url if request else None)
        except KindNotDetected as exc:
            undetected = Violation("kind.undetected", "", str(exc), source=source)
            return Report.of([undetected], kind=None, profile=profile, source=source)
    if request is None and status is None and walk is None and previous is None and not strict_fields:
        ctx = _NO_CONTEXT  # the common case: nothing but the payload known
    else:
        pages = tuple(walk) if walk is not None else ((previous,) if previous is not None else ())
        ctx = Context(request=request, status=status, walk=pages, strict_fields=strict_fields)
    if fitted is not None and holds_strict(profile):
        return engine.vouched_report(payload, kind, profile, ctx, fitted[1], source)
    if fast and kind in KIND_TABLE and type(payload) is dict and holds_strict(profile):
        shaped = shapes.vouches(payload, text, kind, tried=tried) if parsed and text is not None else None
        if shaped is not None:
            return engine.vouched_report(payload, kind, profile, ctx, shaped, source)
        read = members.unfit(payload, text, kind) if parsed and text is not None else None
        found = member_violations(payload, kind, profile, read[0]) if read is not None else None
        if read is not None and found is not None:
            # a binding that fits its shape but for some members: the schema violations of those
            # that fit no piece, and the findings of the rules that read one that does not fit
            if not schema_only(profile):
                found.extend(engine.run(engine.applicable(kind, False, ctx), payload, kind, ctx, read[2], ()))
            return _reported(found, kind, profile, source)
    return _judged(payload, kind, profile, ctx, source, parsed=parsed, fast=fast)


def _judged(
    payload: Any, kind: str, profile: str, ctx: Context, source: str | None, *, parsed: bool, fast: bool
) -> Report:
    """The report of a document no shape vouched for: the schema's findings, then (strict profile)
    every applicable rule's but those proven quiet, proofs being tried on a schema-valid document
    only."""
    # jsonschema-rs finds the schema violations (none: the fast path); when it cannot say, jsonschema
    found = compiled_violations(payload, kind, profile, parsed=parsed) if fast else None
    # proofs on what is schema-valid (a profile file's valid document may hold a null)
    prove = engine.broken_items(found, kind) if found is not None and profile in PROFILES else False
    if found is None:
        from .schema.reference import schema_violations  # jsonschema: imported only when needed

        found = list(schema_violations(payload, kind, profile))
    findings: list[Violation] = found
    if not schema_only(profile) and isinstance(payload, dict):
        findings.extend(engine.semantic(payload, kind, ctx, prove=prove))
    return _reported(findings, kind, profile, source)


def _reported(findings: list[Violation], kind: str, profile: str, source: str | None) -> Report:
    """The report of a document's findings (each labelled with ``source``)."""
    if not findings:
        return Report.clean(kind=kind, profile=profile, source=source)
    if source is not None:
        findings = [engine.with_source(v, source) for v in findings]
    return Report.of(findings, kind=kind, profile=profile, source=source)


def validate(
    payload: Any,
    kind: str = "auto",
    profile: ProfileArg = "strict",
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
