"""``binding-contracts check``: every Binding interaction of vcrpy cassettes, judged in order."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from typing import IO, Any

from ..errors import InputError
from ..report import Report, render_junit
from ..spec.profiles import PROFILES
from ..traffic.cassettes import find, load
from ..traffic.interactions import Session, check_interaction
from .common import BAD_INPUT, OK, VIOLATION, print_error


def add_parser(commands: Any) -> None:
    c = commands.add_parser("check", help="check the Binding interactions of vcrpy cassettes")
    c.add_argument("paths", nargs="+", metavar="PATH", help="cassette files or directories (recursive)")
    c.add_argument("--profile", default="strict", choices=PROFILES, help="default: strict")
    c.add_argument("--format", default="text", choices=("text", "json", "junit"), help="default: text")
    c.add_argument("--strict-fields", action="store_true", help="undocumented members are errors")


def check_cassettes(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    """Check every cassette found; exit 0 ok, 1 a violation, 2 unreadable input."""
    files = list(find(args.paths))
    if not files:
        raise InputError(", ".join(args.paths), "holds no cassette (*.yaml, *.yml, *.json)")
    reports: list[Report] = []
    operations: Counter[str] = Counter()
    ignored, silent, unreadable = 0, [], 0
    progress = err.isatty() and len(files) > 1
    for n, path in enumerate(files, 1):
        if progress:
            print(f"\rchecked {n - 1}/{len(files)} cassettes", end="", file=err, flush=True)
        try:
            cassette = load(path)
        except InputError as exc:
            if progress:
                print(file=err)
            print_error(exc, err)
            unreadable += 1
            continue
        session = Session()
        before = len(reports)
        for interaction in cassette.interactions:
            report = check_interaction(
                interaction, profile=args.profile, strict_fields=args.strict_fields, session=session
            )
            if report is None:
                ignored += 1
            else:
                reports.append(report)
        operations.update(session.counts)
        if len(reports) == before:
            silent.append(path)
    if progress:
        print(f"\rchecked {len(files)}/{len(files)} cassettes", file=err)
    summary = _summary(reports, operations, ignored, silent, len(files), unreadable)
    if args.format == "json":
        print(json.dumps({"results": [r.to_dict() for r in reports], "summary": summary}, indent=2), file=out)
    elif args.format == "junit":
        print(render_junit(reports), file=out)
    else:
        for report in reports:
            for finding in report.findings:
                print(finding.line(), file=out)
        print(_summary_text(summary), file=out)
    if unreadable:
        return BAD_INPUT
    return OK if all(r.ok for r in reports) else VIOLATION


def _summary(
    reports: list[Report],
    operations: Counter[str],
    ignored: int,
    silent: list[str],
    files: int,
    unreadable: int,
) -> dict[str, Any]:
    fired = Counter(v.rule for r in reports for v in r.violations)
    warned = Counter(v.rule for r in reports for v in r.warnings)
    return {
        "cassettes": files,
        "unreadable": unreadable,
        "interactions_checked": len(reports),
        "operations": dict(sorted(operations.items())),
        "ignored": ignored,
        "violating": sum(not r.ok for r in reports),
        "rules_fired": dict(sorted(fired.items())),
        "warnings": dict(sorted(warned.items())),
        "without_binding_traffic": silent,
    }


def _summary_text(s: dict[str, Any]) -> str:
    ops = ", ".join(f"{k} {v}" for k, v in s["operations"].items()) or "none"
    lines = [
        f"{s['cassettes']} cassette(s), {s['interactions_checked']} Binding interaction(s) checked "
        f"({ops}), {s['ignored']} other(s) ignored",
        f"{s['violating']} violating the contract"
        + (f": {', '.join(f'{k} x{v}' for k, v in s['rules_fired'].items())}" if s["rules_fired"] else ""),
    ]
    if s["warnings"]:
        lines.append("warnings: " + ", ".join(f"{k} x{v}" for k, v in s["warnings"].items()))
    if s["without_binding_traffic"]:
        lines.append("no Binding traffic: " + ", ".join(s["without_binding_traffic"]))
    return "\n".join(lines)
