"""``binding-contracts observe``: what cassettes and payload files show of each kind's members, and
the profile file that accepts them (``--write-profile``)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import IO, Any

from .._files import replace_file
from .._printable import json_text, printable
from ..errors import InputError
from ..traffic.observe import Observed, observe_paths
from .common import BAD_INPUT, OK, print_error


def add_parser(commands: Any) -> None:
    o = commands.add_parser("observe", help="what recorded traffic shows of each kind's members")
    o.add_argument(
        "paths", nargs="+", metavar="PATH", help="cassettes, JSON payload files or directories (recursive)"
    )
    o.add_argument("--format", default="text", choices=("text", "json"), help="default: text")
    o.add_argument(
        "--write-profile",
        metavar="FILE",
        help="write the profile file accepting the traffic: strict but where members were null or missing",
    )


def run(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    """Print the members observed; exit 0, or 2 when a file was refused (as ``check`` refuses it)."""
    observed = Observed()
    refused = 0
    for exc in observe_paths(args.paths, observed):
        print_error(exc, err)
        refused += 1
    if not observed.files and not refused:
        raise InputError(", ".join(args.paths), "holds no cassette or JSON payload (*.yaml, *.yml, *.json)")
    for line in observed.unread:
        print(printable(f"left out: {line}"), file=err)
    if args.format == "json":
        print(json_text(observed.to_dict()), file=out)
    else:
        print(observed.render_text(), file=out)
    if args.write_profile and not refused:
        profile, kept = observed.profile(args.write_profile)
        for line in kept:
            print(printable(f"not loosened: {line}"), file=err)
        replace_file(Path(args.write_profile), json.dumps(profile.to_json(), indent=2) + "\n")
    return BAD_INPUT if refused else OK
