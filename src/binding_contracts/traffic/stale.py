"""Recordings judged against a newer revision of Twilio's spec (``binding-contracts stale``): what the
spec now contradicts in each recorded exchange (``stale.request``, and the response's findings under
the spec's profile), and what it now allows that no recording shows (``stale.uncovered``).
docs/freshness.md says why and how."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Final

from .._inputs import parse_json
from .._json import escape
from ..errors import InputError
from ..report import Report, Violation
from ..spec import facts
from ..spec.kinds import ITEMS_KEY, KIND_TABLE, PAGE_ITEM_KIND
from ..spec.openapi_profile import OpenAPIProfile
from ..spec.routes import QUERY_PARAMETERS, query_int, route
from ..spec.urls import API_OF_TEMPLATE
from .interactions import Interaction, Session, check_interaction
from .observe import Observed, observe_interaction

REQUEST: Final = "stale.request"
"""A recorded request the spec would refuse (a PageSize over its maximum, a BindingType it lacks)."""
MEMBER: Final = "stale.member"
"""A recorded member the spec no longer documents (the API no longer sends it)."""
UNCOVERED: Final = "stale.uncovered"
"""What the spec allows that no recording shows (a binding type, a null, a page-size cap)."""
STALE_RULES: Final = {
    REQUEST: "a recorded request the spec now refuses",
    MEMBER: "a recorded member the spec no longer documents",
    UNCOVERED: "the spec allows what no recording shows: a case to record or test",
}


@dataclass(frozen=True)
class StaleInteraction:
    """One recorded Binding exchange judged under the spec: its report and when it was recorded."""

    report: Report
    recorded: datetime | None

    def age_days(self, now: datetime) -> int | None:
        return None if self.recorded is None else (now - self.recorded).days


@dataclass
class Coverage:
    """What the recordings show, for :func:`uncovered`: the members seen (by ``observe``) and the
    PageSize each API's reads asked."""

    observed: Observed = field(default_factory=Observed)
    page_sizes: dict[str, Counter[int]] = field(default_factory=dict)
    """API name -> the PageSize values its recorded reads asked."""


def judge_cassette(
    interactions: Iterable[Interaction],
    spec: OpenAPIProfile,
    profile: str,
    coverage: Coverage,
    now: datetime,
) -> list[StaleInteraction]:
    """Each Binding interaction of a cassette judged under the spec's profile (``profile``, the name
    :func:`~binding_contracts.drift.profile_from_spec` gave ``spec``), its request against the spec's
    parameters; what it shows is added to ``coverage``. A finding's source names the interaction and,
    when its response has a ``Date``, when it was recorded and how long before ``now``."""
    session = Session()
    out: list[StaleInteraction] = []
    for it in interactions:
        if not _described(it, spec):
            continue
        observe_interaction(it, coverage.observed)
        report = check_interaction(it, profile=profile, strict_fields=False, session=session)
        if report is None:
            continue
        findings = [*report.findings, *_refused(it, spec, coverage), *_undocumented(it, spec, report.kind)]
        recorded = recorded_at(it.recorded)
        if findings:
            source = (report.source or it.source or it.request_line) + _age(recorded, now)
            aged = [replace(v, source=source) for v in findings]
            report = Report.of(aged, kind=report.kind, profile=profile, source=source)
        out.append(StaleInteraction(report, recorded))
    return out


def _described(it: Interaction, spec: OpenAPIProfile) -> bool:
    """Whether an interaction is one of the APIs the spec describes (the others are not judged)."""
    r = route(it.method, it.url)
    return r is not None and API_OF_TEMPLATE[r.match.template].name in spec.apis


def _age(recorded: datetime | None, now: datetime) -> str:
    if recorded is None:
        return " (no Date recorded)"
    return f" (recorded {recorded:%Y-%m-%d}, {(now - recorded).days} days ago)"


def recorded_at(header: str | None) -> datetime | None:
    """The time an HTTP ``Date`` header names (UTC), or None when there is none or it is unreadable."""
    if not header:
        return None
    try:
        when = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _refused(it: Interaction, spec: OpenAPIProfile, coverage: Coverage) -> Iterator[Violation]:
    """The query parameters of a recorded read that the spec refuses."""
    r = route(it.method, it.url)
    if r is None or r.operation not in QUERY_PARAMETERS or r.kind is None:
        return
    kind = KIND_TABLE[r.kind]
    item_kind = kind.item_kind or r.kind
    size = query_int(r.match.query, "PageSize")
    bounds = spec.page_size.get(kind.api.name)
    if size is not None:
        coverage.page_sizes.setdefault(kind.api.name, Counter())[size] += 1
    if size is not None and bounds is not None:
        if bounds.maximum is not None and size > bounds.maximum:
            yield _request(it, f"PageSize={size}, over the spec's maximum {bounds.maximum}")
        if bounds.minimum is not None and size < bounds.minimum:
            yield _request(it, f"PageSize={size}, under the spec's minimum {bounds.minimum}")
    member = spec.members.get(item_kind, {}).get("binding_type")
    for value in r.match.query.get("BindingType", ()):
        if member is not None and member.enum is not None and value not in member.enum:
            allowed = ", ".join(member.enum)
            yield _request(it, f"BindingType={value}, not one of the spec's {allowed}")


def _undocumented(it: Interaction, spec: OpenAPIProfile, kind: str | None) -> Iterator[Violation]:
    """The members of a recorded body (of each item, for a page) that the spec no longer documents."""
    item_kind = PAGE_ITEM_KIND.get(kind or "", kind)
    documented = spec.members.get(item_kind or "")
    if documented is None or it.body is None or not kind:
        return
    try:
        body = it.body.encode("utf-8", "surrogatepass") if isinstance(it.body, str) else it.body
        doc = parse_json(it.source or it.request_line, body)
    except InputError:
        return  # the report already says so (response.json)
    items = doc.get(ITEMS_KEY) if kind != item_kind and isinstance(doc, dict) else [doc]
    for i, item in enumerate(items if isinstance(items, list) else ()):
        base = f"/{ITEMS_KEY}/{i}" if kind != item_kind else ""
        for name in item if isinstance(item, dict) else ():
            if name not in documented and name in facts.properties(item_kind or ""):
                message = f"{item_kind}.{name} is no longer in the spec: re-record it"
                yield Violation(MEMBER, f"{base}/{escape(name)}", message, source=it.source)


def _request(it: Interaction, what: str) -> Violation:
    return Violation(REQUEST, "", f"the recorded request asks {what}: re-record it", source=it.source)


Gap = tuple[Violation, tuple[str, str] | None]
"""A case the recordings lack, and the (kind, member) it is about (None: a PageSize cap)."""


def uncovered(spec: OpenAPIProfile, coverage: Coverage) -> list[Gap]:
    """What the spec allows that the recordings never show, for the kinds and APIs they hold: each
    value of a member's enum never recorded; a member it lets be null that the ``published`` profile
    (schemas/' ``x-twilio-nullable``) does not, never recorded null; a PageSize cap that no recorded
    read asked for.
    Warnings, each at the spec's pointer (``source`` the spec file)."""
    found: list[Gap] = []
    seen = coverage.observed.members
    for kind, members in sorted(spec.members.items()):
        if kind not in seen:
            continue
        for name, fact in members.items():
            shown = seen[kind].get(name)
            for value in fact.enum or ():
                if shown is None or not shown.values.get(value):
                    gap = _uncovered(fact.pointer, f"{kind}.{name} may be {value!r}, never recorded")
                    found.append((gap, (kind, name)))
            newly = fact.nullable and name not in facts.nullable(kind)
            if newly and (shown is None or not shown.null):
                gap = _uncovered(fact.pointer, f"{kind}.{name} may now be null, never recorded null")
                found.append((gap, (kind, name)))
    for api, bounds in sorted(spec.page_size.items()):
        asked = coverage.page_sizes.get(api)
        if asked and bounds.maximum is not None and not any(n >= bounds.maximum for n in asked):
            most = max(asked)
            capped = f"{api} reads are capped at PageSize={bounds.maximum}; no recorded read asks that many"
            found.append((_uncovered(bounds.pointer, f"{capped} (at most {most})"), None))
    return found


def _uncovered(pointer: str, message: str) -> Violation:
    return Violation(UNCOVERED, pointer, message, "warning")


def stale_summary(judged: Sequence[StaleInteraction], gaps: Sequence[object]) -> dict[str, int]:
    return {
        "interactions": len(judged),
        "stale": sum(not j.report.ok for j in judged),
        "contradicted": sum(len(j.report.violations) for j in judged),
        "uncovered": len(gaps),
    }
