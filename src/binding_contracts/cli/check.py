"""``binding-contracts check``: every Binding interaction of vcrpy cassettes, judged in order."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from functools import partial
from typing import IO, Any

from .._printable import json_text
from ..errors import InputError
from ..report import Report, clip, render_junit
from ..reporting.located import Located, Unread
from ..spec.profiles import ProfileArg
from ..spec.schemas import check_profile
from ..traffic.cassette_files import find, load
from ..traffic.tally import CheckedCassette, Tally, check_cassette
from .common import BAD_INPUT, ERROR_CAP, OK, VIOLATION, add_profile, print_error
from .formats import CI_FORMATS, LOCATED, add_format, place_cassette, print_located
from .jobs import add_jobs, in_order, portable_profile


def add_parser(commands: Any) -> None:
    c = commands.add_parser("check", help="check the Binding interactions of vcrpy cassettes")
    c.add_argument("paths", nargs="+", metavar="PATH", help="cassette files or directories (recursive)")
    add_profile(c)
    add_format(c, ("text", "json", "junit"))
    c.add_argument("--strict-fields", action="store_true", help="undocumented members are errors")
    c.add_argument(
        "--require-redacted",
        action="store_true",
        help="identities and endpoints not pseudonymised are errors (cassette.pii)",
    )
    add_jobs(c)


@dataclass(frozen=True)
class _Options:
    profile: ProfileArg
    strict_fields: bool
    require_redacted: bool
    locate: bool
    """Whether findings are placed on their line and column (the text and CI formats)."""


@dataclass(frozen=True)
class _Judged:
    """One cassette's outcome: checked (with its findings placed, when asked), or unreadable."""

    outcome: CheckedCassette | InputError
    placed: list[Located] = field(default_factory=list)


def _judge(path: str, options: _Options) -> _Judged:
    try:
        cassette = load(path)
    except InputError as exc:
        return _Judged(exc)
    checked = check_cassette(
        path,
        cassette.interactions,
        profile=check_profile(options.profile),
        strict_fields=options.strict_fields,
        require_redacted=options.require_redacted,
    )
    placed = (
        place_cassette(path, cassette.interactions, checked.reports, cassette.layout)
        if options.locate
        else []
    )
    return _Judged(checked, placed)


def check_cassettes(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    """Check every cassette found; exit 0 ok, 1 a violation, 2 unreadable input."""
    files = list(find(args.paths))
    if not files:
        raise InputError(", ".join(args.paths), "holds no cassette (*.yaml, *.yml, *.json)")
    reports: list[Report] = []
    placed: list[Located] = []
    unread: list[Unread] = []
    tally = Tally()
    progress = err.isatty() and len(files) > 1
    options = _Options(
        portable_profile(args.profile), args.strict_fields, args.require_redacted, args.format in LOCATED
    )
    for n, judged in enumerate(in_order(partial(_judge, options=options), files, args.jobs), 1):
        if progress:
            print(f"\rchecked {n - 1}/{len(files)} cassettes", end="", file=err, flush=True)
        checked = judged.outcome
        if isinstance(checked, InputError):
            if progress:
                print(file=err)
            exc = checked
            print_error(exc, err)
            tally.add_unreadable()
            unread.append(Unread(exc.source, clip(str(exc), ERROR_CAP)))
            continue
        tally.add(checked)
        reports.extend(checked.reports)
        placed += judged.placed
    if progress:
        print(f"\rchecked {len(files)}/{len(files)} cassettes", file=err)
    if args.format == "json":
        results = [r.to_dict() for r in reports]
        print(json_text({"results": results, "summary": tally.summary()}), file=out)
    elif args.format == "junit":
        print(render_junit(reports), file=out)
    elif args.format in CI_FORMATS:
        print_located(placed, args.format, tally.summary_text(), out, unread=unread)
    else:
        for finding in placed:
            print(finding.text(), file=out)
        print(tally.summary_text(), file=out)
    if tally.unreadable:
        return BAD_INPUT
    return VIOLATION if tally.violating else OK
