"""``binding-contracts stale``: vcrpy cassettes judged against a newer revision of Twilio's spec.

Exit status: 0 nothing the spec contradicts (what it allows that no recording shows is reported, as
warnings), 1 a recorded exchange the spec contradicts, 2 bad input.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import IO, Any

from .. import __version__
from .._inputs import MAX_BYTES, read_file
from ..errors import InputError
from ..report import Report, render_junit
from ..reporting.located import Located, RuleInfo, Tool
from ..spec.openapi_profile import openapi_profile
from ..traffic.cassettes import find, load
from ..traffic.stale import STALE_RULES, Coverage, StaleInteraction, judge_cassette, stale_summary, uncovered
from .common import BAD_INPUT, OK, PROG, VIOLATION, print_error
from .formats import CI_FORMATS, HOME, LOCATED, add_format, place_cassette, place_payload, print_located, rules_tool


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


def stale_tool() -> Tool:
    """This tool as SARIF describes it for ``stale``: the catalogue's rules and the two of staleness."""
    base = rules_tool()
    extra = tuple(
        RuleInfo(rule, summary, "warning" if rule.endswith("uncovered") else "error", f"{HOME}docs/freshness.md")
        for rule, summary in STALE_RULES.items()
    )
    return Tool(PROG, __version__, HOME, (*base.rules, *extra))


def run(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    spec = openapi_profile(args.profile)
    assert spec is not None  # main read --spec into args.profile
    files = list(find(args.paths))
    if not files:
        raise InputError(", ".join(args.paths), "holds no cassette (*.yaml, *.yml, *.json)")
    now, coverage, unreadable = datetime.now(UTC), Coverage(), 0
    judged: list[StaleInteraction] = []
    placed: list[Located] = []
    for path in files:
        try:
            cassette = load(path)
        except InputError as exc:
            print_error(exc, err)
            unreadable += 1
            continue
        found = judge_cassette(cassette.interactions, spec, args.profile, coverage, now)
        judged += found
        if args.format in LOCATED:
            placed += place_cassette(path, cassette.interactions, [j.report for j in found])
    gaps = Report.of(uncovered(spec, coverage), kind=None, profile=args.profile, source=spec.source)
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
    return VIOLATION if summary["stale"] else OK


def _result(judged: StaleInteraction, now: datetime) -> dict[str, Any]:
    recorded = judged.recorded
    return {
        **judged.report.to_dict(),
        "recorded": recorded.isoformat() if recorded else None,
        "age_days": judged.age_days(now),
    }
