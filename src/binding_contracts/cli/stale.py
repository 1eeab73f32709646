"""``binding-contracts stale``: vcrpy cassettes judged against a newer revision of Twilio's spec.

Exit status: 0 nothing the spec contradicts (what it allows that no recording shows is reported, as
warnings), 1 a recorded exchange the spec contradicts, 2 bad input.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import IO, Any

from .. import __version__
from .._inputs import MAX_BYTES, read_file
from ..errors import InputError, UsageError
from ..report import Report, Violation, render_junit
from ..reporting.located import Located, RuleInfo, Tool
from ..spec.openapi_profile import openapi_profile
from ..traffic.cassette_files import find, load
from ..traffic.stale import (
    REQUEST,
    STALE_RULES,
    Coverage,
    StaleInteraction,
    judge_cassette,
    stale_summary,
    uncovered,
)
from .common import BAD_INPUT, OK, PROG, VIOLATION, print_error
from .formats import (
    CI_FORMATS,
    LOCATED,
    add_format,
    place_cassette,
    place_payload,
    print_located,
    rules_tool,
)
from .usage import Ranking, add_usage, pointer_member, ranking


def add_parser(commands: Any) -> None:
    s = commands.add_parser(
        "stale",
        help="judge vcrpy cassettes against a newer Twilio spec",
        description="Judge the Binding interactions of vcrpy cassettes against one revision of Twilio's "
        "OpenAPI: what it now contradicts in each recorded exchange (exit 1), and what it now allows "
        "that no recording shows (warnings). Exit 0 nothing contradicted, 1 contradicted, 2 bad input.",
    )
    s.add_argument("paths", nargs="+", metavar="PATH", help="cassette files or directories (recursive)")
    s.add_argument("--spec", required=True, metavar="FILE", help="the Twilio OpenAPI file to judge against")
    add_format(s, ("text", "json", "junit"))
    add_usage(s)


def stale_tool() -> Tool:
    """This tool as SARIF describes it for ``stale``: the catalogue's rules and the two of staleness."""
    base = rules_tool()
    extra = tuple(
        RuleInfo(
            rule,
            summary,
            "warning" if rule.endswith("uncovered") else "error",
            f"{summary}: a recording judged against a revision of Twilio's spec.",
            f"**{summary}** (`{rule}`)\n\nKeeping recordings fresh: `docs/freshness.md`.",
        )
        for rule, summary in STALE_RULES.items()
    )
    return Tool(PROG, __version__, (*base.rules, *extra))


def run(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    spec = openapi_profile(args.profile)  # main reads --spec into args.profile
    if spec is None:
        raise UsageError("stale needs --spec FILE, a Twilio OpenAPI file")
    files = list(find(args.paths))
    if not files:
        raise InputError(", ".join(args.paths), "holds no cassette (*.yaml, *.yml, *.json)")
    now, coverage, unreadable, ranked = datetime.now(UTC), Coverage(), 0, ranking(args)
    judged: list[StaleInteraction] = []
    placed: list[Located] = []
    failing = 0
    for path in files:
        try:
            cassette = load(path)
        except InputError as exc:
            print_error(exc, err)
            unreadable += 1
            continue
        found = [
            _marked(j, ranked)
            for j in judge_cassette(cassette.interactions, spec, args.profile, coverage, now)
        ]
        failing += sum(_counted(j.report, ranked) for j in found)
        judged += found
        if args.format in LOCATED:
            placed += place_cassette(path, cassette.interactions, [j.report for j in found])
    marked = [replace(v, message=v.message + ranked.mark(member)) for v, member in uncovered(spec, coverage)]
    gaps = Report.of(marked, kind=None, profile=args.profile, source=spec.source)
    if args.format in LOCATED and gaps.findings:
        placed += place_payload(gaps, read_file(spec.source, MAX_BYTES, "a JSON file"))
    summary = stale_summary(judged, gaps.findings)
    line = (
        f"{len(files)} cassette(s), {summary['interactions']} Binding interaction(s) judged against "
        f"{spec.source}: {summary['stale']} contradicted by it ({summary['contradicted']} finding(s)), "
        f"{summary['uncovered']} case(s) it allows that no recording shows"
        + (f", {unreadable} unreadable" if unreadable else "")
    )
    if args.format == "json":
        results = [_result(j, now) for j in judged]
        doc = {"results": results, "uncovered": gaps.to_dict()["warnings"], "summary": summary}
        print(json.dumps(doc, indent=2), file=out)
    elif args.format == "junit":
        print(render_junit([*(j.report for j in judged), gaps]), file=out)
    elif args.format in CI_FORMATS:
        print_located(placed, args.format, line, out, stale_tool())
    else:
        for finding in placed:
            print(finding.text(), file=out)
        print(line, file=out)
    if unreadable:
        return BAD_INPUT
    return VIOLATION if failing else OK


def _marked(judged: StaleInteraction, ranked: Ranking) -> StaleInteraction:
    """An interaction's findings, each marked by who reads the member it is about."""
    report = judged.report
    if ranked.usage is None or not report.findings:
        return judged
    found = [replace(v, message=v.message + ranked.mark(_member(report, v))) for v in report.findings]
    again = Report.of(found, kind=report.kind, profile=report.profile, source=report.source)
    return replace(judged, report=again)


def _member(report: Report, v: Violation) -> tuple[str, str] | None:
    return None if v.rule == REQUEST else pointer_member(report.kind, v.path)


def _counted(report: Report, ranked: Ranking) -> bool:
    """Whether an interaction fails the run: an error about a member the code reads, or any error
    (``--fail-on any``); a recorded request the spec refuses always does (the code sent it)."""
    return any(ranked.counts(_member(report, v), always=v.rule == REQUEST) for v in report.violations)


def _result(judged: StaleInteraction, now: datetime) -> dict[str, Any]:
    recorded = judged.recorded
    return {
        **judged.report.to_dict(),
        "recorded": recorded.isoformat() if recorded else None,
        "age_days": judged.age_days(now),
    }
