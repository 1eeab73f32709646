"""The ``drift`` command: compare Twilio OpenAPI specs with schemas/ and print the drift.

Exit status: 0 no drift, 1 drift (a difference the baselines do not accept), 2 bad input.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import IO, Any

from ..drift import Baseline, DriftReport, check_spec_file, load_baseline
from ..spec.kinds import APIS
from .common import emit, read_each
from .formats import CI_FORMATS, add_format, drift_tool, place_drift
from .formats import emit as emit_located


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
    reports, failures = read_each(args.specs, lambda path: check_spec_file(path, baseline, args.profile), err)
    if args.format in CI_FORMATS:
        results = [(r, place_drift(r)) for r in reports]
        return emit_located(results, failures, args.format, _summary(reports)[1], drift_tool(), out)
    return emit(reports, failures, args.format, _summary(reports), out)


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
