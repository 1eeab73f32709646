"""check_interaction(): one HTTP exchange judged with its request known, and a Session that
carries listing walks and deletions from one exchange to the next."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final

from .._inputs import parse_screened
from ..checking.entry import check_parsed
from ..checking.rule import Request
from ..checking.rules.request import page_key
from ..errors import InputError
from ..report import Part, Report, Violation
from ..spec.kinds import ITEMS_KEY
from ..spec.routes import OPERATIONS, Route, route
from .leaks import hidden, masked_text
from .pseudonyms import unredacted

__all__ = [
    "EMPTY_BODIES",
    "SUCCESS",
    "Interaction",
    "Session",
    "check_interaction",
]

SUCCESS: Final = {"GET": 200, "DELETE": 204}
EMPTY_BODIES: Final = ("", "null")


@dataclass(frozen=True)
class Interaction:
    """One request and its response, as a cassette or a live client saw it."""

    method: str
    url: str
    status: int
    body: bytes | str | None = None
    source: str | None = None
    body_problem: str | None = None
    """Why the body could not be read as the client would (a corrupt or truncated gzip body)."""
    leaks: tuple[Violation, ...] = ()
    """The credentials the exchange's record holds (``cassette.secret``), found where it was read."""
    request_body: bytes | str | None = None
    """The request's body as the record holds it (where ``cassette.pii`` looks for PII too)."""
    recorded: str | None = None
    """The response's ``Date`` header as recorded, when it has one (vcrpy keeps no time of its own)."""
    secrets: tuple[str, ...] = ()
    """The values of ``leaks``: a finding that quotes the record shows them masked (:func:`.leaks.hidden`)."""

    @property
    def request_line(self) -> str:
        return f"{self.method.upper()} {self.url}"


@dataclass
class Session:
    """Sequence state across the interactions of one cassette or one live client.

    A read whose URL is a pending next_page_url continues that walk (a client may stop
    early: an unfinished walk is no violation). A 204 delete remembers the sid, so a later
    fetch of it that answers 200 is reported.
    """

    walks: dict[Any, list[tuple[Mapping[str, Any], ...]]] = field(default_factory=dict)
    """The pending walks by the page their next_page_url names (:func:`page_key`), oldest first."""
    deleted: set[tuple[str, str]] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)

    def walk_for(self, url: str) -> tuple[Mapping[str, Any], ...]:
        key = page_key(url)
        pending = self.walks.get(key)
        if not pending:
            return ()
        pages = pending.pop(0)
        if not pending:
            del self.walks[key]
        return pages

    def continue_walk(self, pages: tuple[Mapping[str, Any], ...], page: Mapping[str, Any]) -> None:
        meta = page.get("meta")
        next_url = meta.get("next_page_url") if isinstance(meta, Mapping) else None
        if isinstance(next_url, str):
            self.walks.setdefault(page_key(next_url), []).append((*pages, walked(page)))


def walked(page: Mapping[str, Any]) -> dict[str, Any]:
    """What a pending walk keeps of a page: what the walk's rules read of the pages before (its
    ``meta``, and the ``sid`` of each item), not the page. A cassette may hold thousands of pages
    whose next page it never reads: each is kept until the cassette ends. A rule that reads more
    of the pages before is taught here (``tests/traffic/test_walked.py`` holds the two equal)."""
    kept: dict[str, Any] = {"meta": page.get("meta")} if "meta" in page else {}
    listed = page.get(ITEMS_KEY)
    if isinstance(listed, list):
        kept[ITEMS_KEY] = [
            {"sid": item["sid"]} if isinstance(item, dict) and "sid" in item else None for item in listed
        ]
    return kept


def check_interaction(
    interaction: Interaction,
    *,
    profile: str = "strict",
    strict_fields: bool = False,
    session: Session | None = None,
    require_redacted: bool = False,
) -> Report | None:
    """The report of a Binding exchange, or None when the request is no Binding operation and its
    record holds nothing it must not.

    Success bodies are checked as the kind the operation returns, with the request known;
    4xx/5xx bodies as Twilio's error envelope, with the HTTP status known. The credentials the
    record holds are reported whatever the request (``cassette.secret``), and with
    ``require_redacted`` the identities and endpoints not pseudonymised (``cassette.pii``).
    """
    it = interaction
    report = _check_exchange(it, profile=profile, strict_fields=strict_fields, session=session)
    if report is not None and it.secrets:  # whatever a rule quotes of the record, its secrets masked
        report = _masked(report, it.secrets)
    pii = unredacted(it.url, it.body, it.source, it.request_body) if require_redacted else []
    leaks = [*it.leaks, *pii]
    if not leaks:
        return report
    if report is None:
        return Report.of(leaks, kind=None, profile=profile, source=it.source)
    return Report.of([*leaks, *report.findings], kind=report.kind, profile=profile, source=report.source)


def _masked(report: Report, known: tuple[str, ...]) -> Report:
    def each(found: list[Violation]) -> list[Violation]:
        return [v if (m := hidden(v.message, known)) == v.message else replace(v, message=m) for v in found]

    return replace(report, violations=each(report.violations), warnings=each(report.warnings))


def _check_exchange(
    it: Interaction, *, profile: str, strict_fields: bool, session: Session | None
) -> Report | None:
    r = route(it.method, it.url)
    if r is None:
        return None
    session = session if session is not None else Session()
    session.counts[r.operation] = session.counts.get(r.operation, 0) + 1
    if it.status >= 400:
        return _error_answer(it, profile, strict_fields)
    return _success_answer(it, r, session, profile, strict_fields)


def _finder(it: Interaction) -> tuple[list[Violation], Callable[..., None]]:
    """The findings of the exchange itself (pointer ``""``), and how to add one (with the part of
    the interaction it is about, when that is not the response body)."""
    found: list[Violation] = []

    def add(rule: str, message: str, part: Part | None = None) -> None:
        found.append(Violation(rule, "", message, source=it.source, part=part))

    return found, add


def _error_answer(it: Interaction, profile: str, strict_fields: bool) -> Report:
    """A 4xx/5xx answer: its body judged as Twilio's error envelope, with the HTTP status known."""
    found, add = _finder(it)
    raw = _raw(it)
    doc, long = _body(it, raw, add)
    if doc is _UNREADABLE:
        return _report(found, "error", profile, it.source)
    request = Request(it.method.upper(), it.url)
    return check_parsed(
        doc,
        "error",
        profile,
        strict_fields=strict_fields,
        request=request,
        status=it.status,
        source=it.source,
        text=raw,
        long=long,
    )


def _success_answer(it: Interaction, r: Route, session: Session, profile: str, strict_fields: bool) -> Report:
    """A 2xx/3xx answer: its status for the operation, then its body as the kind the operation
    returns, with the request, the walk of a listing and the deletes before it known."""
    found, add = _finder(it)
    expected = SUCCESS.get(r.method) if r.operation != "other" else None
    if it.status != expected:
        add(
            "response.status",
            f"{it.request_line} answered {it.status}, expected "
            f"{expected if expected else 'an error (the API has no such operation)'}",
            _STATUS,
        )
    if r.kind is None:  # delete (or an undocumented method)
        _delete(it, r, session, add)
        return _report(found, None, profile, it.source)
    raw = _raw(it)
    doc, long = _body(it, raw, add)
    if doc is _UNREADABLE:
        return _report(found, r.kind, profile, it.source)
    gone = r.match.sid is not None and (r.match.service, r.match.sid) in session.deleted
    if r.operation.startswith("fetch") and gone and it.status == 200:
        add("sequence.deleted-fetched", f"{r.match.sid} was deleted earlier but the fetch answered 200")
    walk = session.walk_for(it.url) if r.operation.startswith("read") else ()
    report = check_parsed(
        doc,
        r.kind,
        profile,
        strict_fields=strict_fields,
        request=Request(it.method.upper(), it.url),
        walk=walk,
        source=it.source,
        text=raw,
        long=long,
    )
    if r.operation.startswith("read") and isinstance(doc, Mapping):
        session.continue_walk(walk, doc)
    return Report.of([*found, *report.findings], kind=r.kind, profile=profile, source=it.source)


_UNREADABLE: Final = object()
_STATUS: Final = Part("/response/status/code")


def _is_empty(body: bytes | str | None) -> bool:
    if body is None:
        return True
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    return text.strip() in EMPTY_BODIES


def _raw(it: Interaction) -> bytes:
    return it.body.encode("utf-8", "surrogatepass") if isinstance(it.body, str) else (it.body or b"")


def _body(it: Interaction, raw: bytes, add: Any) -> tuple[Any, bool]:
    """The answer's body parsed, and whether the standard library read it
    (:func:`.parse_screened`); else :data:`_UNREADABLE` with its finding added."""
    if it.body_problem is not None:
        add("response.json", f"{it.request_line} answered {it.status} with a body that {it.body_problem}")
        return _UNREADABLE, True
    try:
        return parse_screened(it.source or it.request_line, raw)
    except InputError as exc:
        add("response.json", f"{it.request_line} answered {it.status} with a body that {exc.problem}")
        return _UNREADABLE, True


def _delete(it: Interaction, r: Route, session: Session, add: Any) -> None:
    if not _is_empty(it.body):
        text = it.body.decode("utf-8", "replace") if isinstance(it.body, bytes) else str(it.body)
        shown = masked_text(text, it.secrets)[:40]  # masked first: a cut never shows a secret's start
        add("delete.empty-body", f"{it.request_line} answered with a body: {shown!r}")
    if it.status == 204 and r.match.sid is not None and r.operation in OPERATIONS:
        session.deleted.add((r.match.service, r.match.sid))


def _report(found: list[Violation], kind: str | None, profile: str, source: str | None) -> Report:
    return Report.of(found, kind=kind, profile=profile, source=source)
