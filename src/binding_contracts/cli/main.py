"""The ``binding-contracts`` command: argparse, and ``run(argv, stdout, stderr) -> exit code``.

Exit status: 0 all valid (warnings allowed), 1 a contract violation (or spec drift), 2 usage or
unreadable input. Bad input is one line on stderr, never a traceback. Commands: validate
(here), check, drift, fixtures, serve, migrate-check, redact, observe (each in its own module of this
package).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from types import ModuleType
from typing import IO, Final, NoReturn

from .. import __version__
from .._inputs import parse_screened, read_bytes
from ..checking.entry import check_parsed
from ..errors import BindingContractsError
from ..report import Report
from ..reporting.located import Located
from ..spec.kinds import KINDS
from ..spec.profiles import ProfileArg
from ..spec.schemas import check_profile
from .common import BAD_INPUT, PROG, Parser, UsageExit, add_profile, emit, print_error, read_each
from .formats import LOCATED, add_format, place_payload, print_failure, rules_tool
from .formats import emit as emit_located
from .jobs import add_jobs, portable_profile

COMMANDS: Final = {
    "check": "check",
    "drift": "drift",
    "serve": "serve",
    "fixtures": "fixtures",
    "migrate-check": "migrate",
    "redact": "redact",
    "observe": "observe",
    "stale": "stale",
}
"""The commands that live in modules of their own, imported only when named (start-up time)."""


def _module(command: str) -> ModuleType:
    return importlib.import_module(f".{COMMANDS[command]}", __package__)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of ``command`` alone (the others' modules left unimported)."""
    parser = Parser(
        prog=PROG,
        description="Contract checks for the Binding APIs of Twilio's Chat v2 and Conversations v1.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    v = commands.add_parser("validate", help="check JSON payload files against the contract")
    v.add_argument("paths", nargs="+", metavar="PATH", help="JSON files, or - for stdin")
    v.add_argument("--kind", default="auto", choices=("auto", *KINDS), help="default: auto")
    add_profile(v)
    add_format(v, ("text", "json"))
    v.add_argument("--strict-fields", action="store_true", help="undocumented members are errors")
    add_jobs(v)
    for name in COMMANDS:
        if command in (None, name):
            _module(name).add_parser(commands)
    return parser


def run(
    argv: Sequence[str],
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    stdin: IO[bytes] | None = None,
) -> int:
    """Run the command line ``argv``; return the exit status."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    named = argv[0] if argv and argv[0] in ("validate", *COMMANDS) else None
    try:
        args = build_parser(named).parse_args(list(argv))
    except UsageExit as exc:
        print_error(exc, err)
        return BAD_INPUT
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    try:
        if getattr(args, "spec", None):
            from ..drift import profile_from_spec

            args.profile = profile_from_spec(args.spec)  # a bad spec: one error line, as drift's
        if not isinstance(getattr(args, "profile", ""), str):
            args.profile = check_profile(args.profile)  # a profile file, read once: one error line
        if args.command == "fixtures":
            return int(_module("fixtures").run(args, out))
        if args.command == "drift":
            return int(_module("drift").run(args, out, err))
        if args.command == "serve":
            return int(_module("serve").serve(args, out, err=err))
        if args.command == "migrate-check":
            return int(_module("migrate-check").run(args, out))
        if args.command == "observe":
            return int(_module("observe").run(args, out, err))
        if args.command == "check":
            return int(_module("check").check_cassettes(args, out, err))
        if args.command == "redact":
            return int(_module("redact").run(args, out, err))
        if args.command == "stale":
            return int(_module("stale").run(args, out, err))
        return _validate(args, out, err, stdin)
    except BindingContractsError as exc:
        print_error(exc, err)
        print_failure(args, exc, out)
        return BAD_INPUT


@dataclass(frozen=True)
class _Payloads:
    """How ``validate`` judges each file (sent to the processes of ``--jobs``)."""

    kind: str
    profile: ProfileArg
    strict_fields: bool
    locate: bool
    """Whether findings are placed on their line and column (the text and CI formats)."""


def _judge(path: str, how: _Payloads, stdin: IO[bytes] | None = None) -> tuple[Report, list[Located]]:
    source, data = read_bytes(path, stdin)
    doc, long = parse_screened(source, data)  # InputError: an unreadable file (exit 2), not a finding
    profile = check_profile(how.profile)
    report = check_parsed(
        doc, how.kind, profile, strict_fields=how.strict_fields, source=source, text=data, long=long
    )
    located = how.locate and bool(report.violations or report.warnings)
    return report, place_payload(report, data) if located else []


def _validate(args: argparse.Namespace, out: IO[str], err: IO[str], stdin: IO[bytes] | None) -> int:
    how = _Payloads(args.kind, portable_profile(args.profile), args.strict_fields, args.format in LOCATED)
    if "-" in args.paths:  # standard input is this process's: read here, every file with it
        judged, failures = read_each(args.paths, partial(_judge, how=how, stdin=stdin), err)
    else:
        judged, failures = read_each(args.paths, partial(_judge, how=how), err, args.jobs)
    reports = [report for report, _ in judged]
    if args.format in LOCATED:
        return emit_located(judged, failures, args.format, _summary(reports)[1], rules_tool(), out)
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


CLOSED_PIPE: Final = 141
"""The exit status when the reader of stdout went away (``... | head``): a shell's for SIGPIPE."""
INTERRUPTED: Final = 130
"""The exit status after Ctrl-C (SIGINT) stopped a command before it was done: a shell's for SIGINT.
``serve`` stopped by Ctrl-C once it serves has done its job, and exits 0."""


GC_THRESHOLD: Final = 50_000
"""Allocations between two young collections in a command's process (Python's default: 700). A
command keeps every file's results to its end, and at the default each collection of the older
generations walks all of them again: a quarter of ``validate``'s time on 10,000 files. Cycles are
still collected, a few megabytes later."""


def main() -> NoReturn:
    # what the imports made lives as long as the process: no collection need look at it again
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
    try:
        status = run(sys.argv[1:], sys.stdout, sys.stderr, sys.stdin.buffer)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader has all it wanted: stop quietly, as `head` expects of a Unix command. Python's
        # own flush of stdout at exit would fail again, so stdout now goes nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = CLOSED_PIPE
    except KeyboardInterrupt:
        # one line, as every error: a command stopped halfway (reading, loading) is no bug to trace
        print("binding-contracts: interrupted", file=sys.stderr)
        status = INTERRUPTED
    sys.exit(status)
