"""The tally of a run over cassettes, which the pytest plugin and ``binding-contracts check`` both
keep and print: interactions checked per operation, rules fired, cassettes without Binding traffic.
Internal, no compatibility promise; what it renders is the commands' and the plugin's output."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._printable import printable

if TYPE_CHECKING:
    from ..errors import InputError
    from ..report import Report
    from .interactions import Interaction

# The plugin's controller imports this module under pytest-xdist to sum its workers' tallies, and
# checks nothing itself: the checking modules are imported by check_cassette(), when it is called.

__all__ = ["CheckedCassette", "Tally", "check_cassette"]


@dataclass(frozen=True)
class CheckedCassette:
    """One cassette's interactions judged in order: a report for each Binding interaction."""

    path: str
    reports: list[Report]
    operations: Mapping[str, int]
    """The Binding interactions judged, by operation."""
    ignored: int
    """Interactions that are no Binding operation."""


def check_cassette(
    path: str,
    interactions: Iterable[Interaction | InputError],
    *,
    profile: str,
    strict_fields: bool,
    require_redacted: bool = False,
) -> CheckedCassette:
    """Judge a cassette's interactions in order, with one session for its walks and deletions. An
    interaction that could not be read (an :class:`InputError`) is a ``response.json`` finding;
    ``require_redacted``: PII not pseudonymised is ``cassette.pii``."""
    from ..errors import InputError
    from ..report import Report, Violation
    from .interactions import Session, check_interaction

    session, ignored = Session(), 0
    reports: list[Report] = []
    for interaction in interactions:
        if isinstance(interaction, InputError):
            finding = Violation("response.json", "", interaction.problem, source=interaction.source)
            reports.append(Report.of([finding], kind=None, profile=profile, source=interaction.source))
            continue
        report = check_interaction(
            interaction,
            profile=profile,
            strict_fields=strict_fields,
            session=session,
            require_redacted=require_redacted,
        )
        if report is None:
            ignored += 1
        else:
            reports.append(report)
    return CheckedCassette(path, reports, dict(session.counts), ignored)


def _counts(counter: Mapping[str, int], times: str = " ") -> str:
    return ", ".join(f"{key}{times}{n}" for key, n in sorted(counter.items()))


@dataclass
class Tally:
    """What a run over cassettes found. Tallies of parts of a run (a test, a pytest-xdist worker)
    add up to the tally of the whole run, in any grouping (:meth:`update`, ``+``)."""

    cassettes: int = 0
    """Cassettes read (the plugin: opened by a checked test, once per test)."""
    unreadable: int = 0
    checked: int = 0
    """Binding interactions checked: one report each."""
    violating: int = 0
    """Reports that fail: an error, or a warning when warnings are errors."""
    ignored: int = 0
    operations: Counter[str] = field(default_factory=Counter)
    rules_fired: Counter[str] = field(default_factory=Counter)
    """Failing findings by rule: the errors, and the warnings when warnings are errors."""
    warnings: Counter[str] = field(default_factory=Counter)
    """Warnings only reported, by rule."""
    traffic: dict[str, bool] = field(default_factory=dict)
    """Every cassette seen, first seen first: whether it held a Binding interaction."""
    results: list[dict[str, Any]] = field(default_factory=list)
    """The reports as JSON, when they are kept."""

    @property
    def violations(self) -> int:
        """Failing findings, all rules together."""
        return sum(self.rules_fired.values())

    @property
    def without_binding_traffic(self) -> list[str]:
        """The cassettes that held no Binding interaction, first seen first."""
        return [path for path, busy in self.traffic.items() if not busy]

    def add(self, cassette: CheckedCassette, *, promote: bool = False, keep: bool = False) -> None:
        """Count a checked cassette; ``promote``: its warnings fail, and count where the errors do;
        ``keep``: hold each report as JSON (the JSON outputs list them)."""
        self.cassettes += 1
        self.checked += len(cassette.reports)
        self.ignored += cassette.ignored
        self.operations.update(cassette.operations)
        self.traffic[cassette.path] = self.traffic.get(cassette.path, False) or bool(cassette.reports)
        for report in cassette.reports:
            failing = report.findings if promote else report.violations
            self.violating += bool(failing)
            self.rules_fired.update(v.rule for v in failing)
            self.warnings.update(() if promote else (v.rule for v in report.warnings))
            if keep:
                self.results.append(report.to_dict())

    def add_unreadable(self) -> None:
        """Count a cassette that could not be read."""
        self.cassettes += 1
        self.unreadable += 1

    def update(self, other: Tally) -> None:
        """Add another tally's counts to this one."""
        self.cassettes += other.cassettes
        self.unreadable += other.unreadable
        self.checked += other.checked
        self.violating += other.violating
        self.ignored += other.ignored
        self.operations.update(other.operations)
        self.rules_fired.update(other.rules_fired)
        self.warnings.update(other.warnings)
        for path, busy in other.traffic.items():
            self.traffic[path] = self.traffic.get(path, False) or busy
        self.results.extend(other.results)

    def __add__(self, other: Tally) -> Tally:
        total = Tally.from_wire(self.to_wire())
        total.update(other)
        return total

    def to_wire(self) -> dict[str, Any]:
        """Plain JSON types (pytest-xdist sends a worker's report as them); :meth:`from_wire` reads it."""
        return {
            "cassettes": self.cassettes,
            "unreadable": self.unreadable,
            "checked": self.checked,
            "violating": self.violating,
            "ignored": self.ignored,
            "operations": dict(self.operations),
            "rules_fired": dict(self.rules_fired),
            "warnings": dict(self.warnings),
            "traffic": dict(self.traffic),
            "results": list(self.results),
        }

    @classmethod
    def from_wire(cls, wire: Mapping[str, Any]) -> Tally:
        return cls(
            cassettes=wire["cassettes"],
            unreadable=wire["unreadable"],
            checked=wire["checked"],
            violating=wire["violating"],
            ignored=wire["ignored"],
            operations=Counter(wire["operations"]),
            rules_fired=Counter(wire["rules_fired"]),
            warnings=Counter(wire["warnings"]),
            traffic=dict(wire["traffic"]),
            results=list(wire["results"]),
        )

    # --- binding-contracts check

    def summary(self) -> dict[str, Any]:
        """The ``summary`` of ``check --format json``."""
        return {
            "cassettes": self.cassettes,
            "unreadable": self.unreadable,
            "interactions_checked": self.checked,
            "operations": dict(sorted(self.operations.items())),
            "ignored": self.ignored,
            "violating": self.violating,
            "rules_fired": dict(sorted(self.rules_fired.items())),
            "warnings": dict(sorted(self.warnings.items())),
            "without_binding_traffic": self.without_binding_traffic,
        }

    def summary_text(self) -> str:
        """The last lines of ``check``'s text output."""
        fired = f": {_counts(self.rules_fired, ' x')}" if self.rules_fired else ""
        lines = [
            f"{self.cassettes} cassette(s), {self.checked} Binding interaction(s) checked "
            f"({_counts(self.operations) or 'none'}), {self.ignored} other(s) ignored",
            f"{self.violating} violating the contract{fired}",
        ]
        if self.warnings:
            lines.append("warnings: " + _counts(self.warnings, " x"))
        if self.without_binding_traffic:
            lines.append(printable("no Binding traffic: " + ", ".join(self.without_binding_traffic)))
        return "\n".join(lines)

    # --- the pytest plugin; cassettes sorted, as xdist's workers finish tests in no fixed order

    def session_lines(self) -> list[str]:
        """The lines of the plugin's "binding contracts" section at the end of a session."""
        lines = [
            f"interactions checked: {self.checked} ({_counts(self.operations) or 'none'});"
            f" other(s) ignored: {self.ignored}",
            "rules fired: " + (_counts(self.rules_fired, " x") or "none"),
        ]
        if self.warnings:
            lines.append("warnings: " + _counts(self.warnings, " x"))
        if self.without_binding_traffic:
            names = ", ".join(sorted(self.without_binding_traffic))
            lines.append(printable(f"cassettes with no Binding traffic: {names}"))
        return lines

    def session_report(self) -> dict[str, Any]:
        """The plugin's JSON report (``--binding-contracts-report``)."""
        return {
            "operations": dict(sorted(self.operations.items())),
            "ignored": self.ignored,
            "rules_fired": dict(sorted(self.rules_fired.items())),
            "warnings": dict(sorted(self.warnings.items())),
            "without_binding_traffic": sorted(self.without_binding_traffic),
            "results": self.results,
        }
