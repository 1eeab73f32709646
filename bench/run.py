"""Every benchmark of the project in one table: operation, ours, reference, ratio, target, met?

Medians of several runs; each ratio is taken against a reference measured in the same run, on this
machine. Run with `make bench` (its own venv, see bench/README.md); never part of `make test`.
"""

from __future__ import annotations

import argparse
import math
import platform
import tempfile
from collections.abc import Callable
from pathlib import Path

import bench_check

Row = tuple[str, float, "float | None", str]

# Target of each row, in row order: (text, passes(ours, reference)). A ratio is ours / reference.
TARGETS: dict[str, tuple[str, Callable[[float, float | None], bool]]] = {
    "check(dict):": ("<= 1.5x", lambda o, r: o / r <= 1.5 if r else False),
    "check(): one valid": ("<= 4x", lambda o, r: o / r <= 4 if r else False),
    "check(): pretty": ("<= 1.5x", lambda o, r: o / r <= 1.5 if r else False),
    "check(): a page": ("<= 4x", lambda o, r: o / r <= 4 if r else False),
    "check(): a binding with 3": ("<= 10x", lambda o, r: o / r <= 10 if r else False),
    "binding-contracts check,": (">= 0.5x", lambda o, r: o / r >= 0.5 if r else False),
    "  peak memory": ("< 3x", lambda o, r: o / r < 3 if r else False),
    'payloads("binding") in': (">= 1.0x", lambda o, r: o / r >= 1.0 if r else False),
    'payloads("binding") vs': (">= 10x", lambda o, r: o / r >= 10 if r else False),
    "  share of": ("100%", lambda o, r: o >= 100),
    'payloads("binding", profile=': (">= 0.5x", lambda o, r: o / r >= 0.5 if r else False),
    "fake.binding()": (">= 0.8x", lambda o, r: o / r >= 0.8 if r else False),
    "binding-contracts fixtures": (">= 0.8x", lambda o, r: o / r >= 0.8 if r else False),
    "pytest,": ("<= 1.05x", lambda o, r: o / r <= 1.05 if r else False),
    "binding-contracts validate": ("<= 10x", lambda o, r: o / r <= 10 if r else False),
    "fake: fetch": (">= 0.5x", lambda o, r: o / r >= 0.5 if r else False),
    "check scaling: peak": ("< 3x", lambda o, r: o / r < 3 if r else False),
    "check scaling:": ("0.8x-1.25x", lambda o, r: 0.8 <= o / r <= 1.25 if r else False),
    "check --jobs 2": (">= 1.6x", lambda o, r: o / r >= 1.6 if r else False),
    "validate --jobs 2": (">= 1.6x", lambda o, r: o / r >= 1.6 if r else False),
    "usage recording:": ("<= 5 us", lambda o, r: o <= 5e-6),
    "api_worlds() @given": (">= 50/s", lambda o, r: o >= 50),
}


def _target(name: str) -> tuple[str, Callable[[float, float | None], bool]] | None:
    return next((t for prefix, t in TARGETS.items() if name.startswith(prefix)), None)


def _value(value: float, unit: str) -> str:
    if unit == "us":
        return f"{value * 1e6:,.1f} us"
    if unit == "s":
        return f"{value * 1e3:,.0f} ms" if value < 1 else f"{value:,.2f} s"
    return f"{value:,.1f} {unit}" if value < 100 else f"{value:,.0f} {unit}"


def render(rows: list[Row]) -> str:
    head = ("operation", "ours", "reference", "ratio", "target", "met?")
    lines = [head]
    for name, ours, ref, unit in rows:
        target = _target(name)
        ratio = f"{ours / ref:.2f}x" if ref else "-"
        met = ("yes" if target[1](ours, ref) else "NO") if target and not math.isnan(ours) else "-"
        shown_ref = _value(ref, unit) if ref else "-"
        lines.append((name, _value(ours, unit), shown_ref, ratio, target[0] if target else "-", met))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = []
    for n, line in enumerate(lines):
        cells = [line[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(line[1:], widths[1:], strict=True)]
        out.append("  ".join(cells))
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement; medians are reported")
    parser.add_argument(
        "--only", choices=["check"], help="only these rows (check: the check() rows, no start-up row)"
    )
    args = parser.parse_args()
    rows: list[Row] = [*bench_check.check_rows(runs=args.runs)]
    if args.only == "check":
        print(f"Python {platform.python_version()}, medians of {args.runs} runs")
        print(render(rows))
        return
    # the other rows need the bench extra (hypothesis-jsonschema, vcrpy): imported only for them
    import bench_cassette
    import bench_fake
    import bench_generation
    import bench_pytest
    import bench_scaling
    import bench_usage
    import bench_worlds
    import hypothesis

    with tempfile.TemporaryDirectory() as tmp:
        rows += bench_cassette.cassette_rows(Path(tmp), runs=min(args.runs, 3))
    rows += bench_generation.rows(runs=args.runs)
    rows += bench_generation.published_rows(runs=args.runs)
    rows += bench_fake.measure()[:1]
    rows.append(bench_worlds.row(runs=min(args.runs, 3)))
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(bench_pytest.pytest_row(Path(tmp), runs=args.runs))
    rows.append(bench_check.startup_row())
    with tempfile.TemporaryDirectory() as tmp:
        rows += bench_scaling.size_rows(Path(tmp), runs=min(args.runs, 3))
    with tempfile.TemporaryDirectory() as tmp:
        rows += bench_scaling.jobs_rows(Path(tmp), runs=args.runs)
    rows += bench_usage.usage_rows(runs=args.runs)
    versions = f"Python {platform.python_version()}, Hypothesis {hypothesis.__version__}"
    print(f"{versions}, medians of {args.runs} runs")
    print(render(rows))


if __name__ == "__main__":
    main()
