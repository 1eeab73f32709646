"""The ``drift`` command: compare Twilio OpenAPI specs with schemas/ and print the drift.

Exit status: 0 no drift, 1 drift (a difference the baselines do not accept), 2 bad input.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import IO, Any

from ..drift import Baseline, DriftReport, check_spec_file, load_baseline
from ..spec.kinds import APIS
from .common import emit, read_each
from .formats import CI_FORMATS, add_format, drift_tool, place_drift
from .formats import emit as emit_located
from .usage import Ranking, add_usage, ranking, subject_member


def add_parser(commands: argparse._SubParsersAction[Any]) -> None:
    d = commands.add_parser(
        "drift",
        help="compare Twilio OpenAPI specs with schemas/",
        description="Compare the Binding parts of Twilio OpenAPI specs with schemas/: "
        + "; ".join(f"{api.title} ({', '.join(api.hosts)})" for api in APIS)
        + ". Exit 0 no drift, 1 drift, 2 bad input.",
    )
    d.add_argument("specs", nargs="+", metavar="SPEC.json", help="OpenAPI 3 JSON files")
    add_format(d, ("text", "json"))
    d.set_defaults(profile="published")
    d.add_argument(
        "--spec",
        metavar="FILE",
        help="compare with this revision of the spec instead of schemas/ (what changed since it)",
    )
    add_usage(d)
    d.add_argument(
        "--baseline",
        action="append",
        default=[],
        metavar="FILE",
        help="differences accepted on top of the shipped baseline (repeatable)",
    )


def run(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    baseline = Baseline()
    for path in args.baseline:
        baseline = baseline | load_baseline(path)
    ranked = ranking(args)
    reports, failures = read_each(args.specs, lambda path: check_spec_file(path, baseline, args.profile), err)
    results = [_Ranked(r, ranked) for r in reports]
    if args.format in CI_FORMATS:
        located = [(r, r.placed()) for r in results]
        return emit_located(located, failures, args.format, _summary(reports)[1], drift_tool(), out)
    return emit(results, failures, args.format, _summary(reports), out)


@dataclass(frozen=True)
class _Ranked:
    """A spec's drift with each difference marked by the usage given (none: as it is), and failing
    by ``--fail-on``."""

    report: DriftReport
    ranking: Ranking

    @property
    def ok(self) -> bool:
        return not any(self.ranking.counts(subject_member(d.subject)) for d in self.report.differences)

    def render_text(self) -> str:
        if self.report.ok:
            return self.report.render_text()
        return "\n".join(
            d.line() + self.ranking.mark(subject_member(d.subject)) for d in self.report.differences
        )

    def to_dict(self) -> dict[str, Any]:
        doc = self.report.to_dict()
        doc["ok"] = self.ok
        for shown, d in zip(doc["differences"], self.report.differences, strict=True):
            tests = self.ranking.read_by(subject_member(d.subject))
            if tests is not None:
                shown["read_by"] = list(tests)
        return doc

    def placed(self) -> list[Any]:
        located = place_drift(self.report)
        out = []
        for found, d in zip(located, self.report.differences, strict=True):
            member = subject_member(d.subject)
            marked = replace(found, message=found.message + self.ranking.mark(member))
            # a change that does not count is shown, as a warning: it does not fail the run
            out.append(marked if self.ranking.counts(member) else replace(marked, level="warning"))
        return out


def _summary(reports: Sequence[DriftReport]) -> tuple[dict[str, int], str]:
    """The counts of the JSON summary, and the text summary line."""
    s = {
        "compared": len(reports),
        "ok": sum(r.ok for r in reports),
        "breaking": sum(r.count("breaking") for r in reports),
        "additive": sum(r.count("additive") for r in reports),
        "accepted": sum(len(r.accepted) for r in reports),
    }
    line = (
        f"{s['compared']} spec(s) compared: {s['ok']} without drift, {s['compared'] - s['ok']} drifting "
        f"({s['breaking']} breaking, {s['additive']} additive difference(s); "
        f"{s['accepted']} accepted by the baseline)"
    )
    return s, line
