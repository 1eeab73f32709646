"""The ``binding-contracts`` command: argparse, and ``run(argv, stdout, stderr) -> exit code``.

Exit status: 0 all valid (warnings allowed), 1 a contract violation (or spec drift), 2 usage or
unreadable input. Bad input is one line on stderr, never a traceback. Commands: validate
(here), check, drift, fixtures, serve, migrate-check (each in its ``cli_*`` module).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import IO, NoReturn

from . import cli_check, cli_drift, cli_fixtures, cli_migrate, cli_serve
from .cli_common import BAD_INPUT, PROG, Parser, UsageExit, emit, print_error, read_each
from .contract import check
from .errors import BindingContractsError
from .inputs import read_json
from .report import Report
from .resources import KINDS
from .schemas import PROFILES


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog=PROG,
        description="Contract checks for the Binding APIs of Twilio's Chat v2 and Conversations v1.",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    v = commands.add_parser("validate", help="check JSON payload files against the contract")
    v.add_argument("paths", nargs="+", metavar="PATH", help="JSON files, or - for stdin")
    v.add_argument("--kind", default="auto", choices=("auto", *KINDS), help="default: auto")
    v.add_argument("--profile", default="strict", choices=PROFILES, help="default: strict")
    v.add_argument("--format", default="text", choices=("text", "json"), help="default: text")
    v.add_argument("--strict-fields", action="store_true", help="undocumented members are errors")
    cli_check.add_parser(commands)
    cli_drift.add_parser(commands)
    cli_serve.add_parser(commands)
    cli_fixtures.add_parser(commands)
    cli_migrate.add_parser(commands)
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
    except UsageExit as exc:
        print_error(exc, err)
        return BAD_INPUT
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    try:
        if args.command == "fixtures":
            return cli_fixtures.run(args, out)
        if args.command == "drift":
            return cli_drift.run(args, out, err)
        if args.command == "serve":
            return cli_serve.serve(args, out)
        if args.command == "migrate-check":
            return cli_migrate.run(args, out)
        if args.command == "check":
            return cli_check.check_cassettes(args, out, err)
        return _validate(args, out, err, stdin)
    except BindingContractsError as exc:
        print_error(exc, err)
        return BAD_INPUT


def _validate(args: argparse.Namespace, out: IO[str], err: IO[str], stdin: IO[bytes] | None) -> int:
    def judge(path: str) -> Report:
        source, doc = read_json(path, stdin)
        return check(doc, args.kind, args.profile, strict_fields=args.strict_fields, source=source)

    reports, failures = read_each(args.paths, judge, err)
    return emit(reports, failures, args.format, _summary(reports), out)


def _summary(reports: Sequence[Report]) -> tuple[dict[str, int], str]:
    """The counts of the JSON summary, and the text summary line."""
    s = {
        "checked": len(reports),
        "ok": sum(r.ok for r in reports),
        "errors": sum(len(r.violations) for r in reports),
        "warnings": sum(len(r.warnings) for r in reports),
    }
    line = (
        f"{s['checked']} checked: {s['ok']} ok, {s['checked'] - s['ok']} violating the contract "
        f"({s['errors']} error(s), {s['warnings']} warning(s))"
    )
    return s, line


def main() -> NoReturn:
    sys.exit(run(sys.argv[1:], sys.stdout, sys.stderr, sys.stdin.buffer))
