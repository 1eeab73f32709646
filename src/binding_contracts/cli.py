"""The ``binding-contracts`` command: argparse, and ``run(argv, stdout, stderr) -> exit code``.

Commands: ``validate`` (here) and ``fixtures`` (:mod:`.cli_fixtures`).
Exit status: 0 all valid (warnings allowed), 1 a contract violation, 2 usage or unreadable
input. Bad input is one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import IO, Any, NoReturn

from . import cli_fixtures
from .contract import check
from .errors import BindingContractsError, InputError
from .inputs import read_json
from .report import Report
from .resources import KINDS
from .schemas import PROFILES

PROG = "binding-contracts"
OK, VIOLATION, BAD_INPUT = 0, 1, 2


class _Usage(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _Usage(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Contract checks for Twilio's Chat v2 Binding API.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    v = commands.add_parser("validate", help="check JSON payload files against the contract")
    v.add_argument("paths", nargs="+", metavar="PATH", help="JSON files, or - for stdin")
    v.add_argument("--kind", default="auto", choices=("auto", *KINDS), help="default: auto")
    v.add_argument("--profile", default="strict", choices=PROFILES, help="default: strict")
    v.add_argument("--format", default="text", choices=("text", "json"), help="default: text")
    v.add_argument("--strict-fields", action="store_true", help="undocumented members are errors")
    cli_fixtures.add_parser(commands)
    return parser


def run(
    argv: Sequence[str],
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    stdin: IO[bytes] | None = None,
) -> int:
    """Run the command line ``argv``; return the exit status."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    try:
        args = build_parser().parse_args(list(argv))
    except _Usage as exc:
        print(f"{PROG}: error: {exc}", file=err)
        return BAD_INPUT
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    try:
        if args.command == "fixtures":
            return cli_fixtures.run(args, out)
        return int(_validate(args, out, err, stdin))
    except BindingContractsError as exc:
        print(f"{PROG}: error: {exc}", file=err)
        return BAD_INPUT


def _validate(args: argparse.Namespace, out: IO[str], err: IO[str], stdin: IO[bytes] | None) -> int:
    reports: list[Report] = []
    failures: list[dict[str, Any]] = []
    for path in args.paths:
        try:
            source, doc = read_json(path, stdin)
        except InputError as exc:
            print(f"{PROG}: error: {exc}", file=err)
            failures.append({"source": exc.source, "error": exc.problem})
            continue
        reports.append(check(doc, args.kind, args.profile, strict_fields=args.strict_fields, source=source))
    if args.format == "json":
        body = {"results": [r.to_dict() for r in reports] + failures, "summary": _summary(reports)}
        print(json.dumps(body, indent=2, ensure_ascii=False), file=out)
    else:
        for report in reports:
            print(report.render_text(), file=out)
        print(_summary_line(reports, len(failures)), file=out)
    if failures:
        return BAD_INPUT
    return OK if all(r.ok for r in reports) else VIOLATION


def _summary(reports: Sequence[Report]) -> dict[str, int]:
    return {
        "checked": len(reports),
        "ok": sum(r.ok for r in reports),
        "errors": sum(len(r.violations) for r in reports),
        "warnings": sum(len(r.warnings) for r in reports),
    }


def _summary_line(reports: Sequence[Report], unreadable: int) -> str:
    s = _summary(reports)
    line = (
        f"{s['checked']} checked: {s['ok']} ok, {s['checked'] - s['ok']} violating the contract "
        f"({s['errors']} error(s), {s['warnings']} warning(s))"
    )
    return line + (f", {unreadable} unreadable" if unreadable else "")


def main() -> NoReturn:
    sys.exit(run(sys.argv[1:], sys.stdout, sys.stderr, sys.stdin.buffer))
