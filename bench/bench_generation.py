"""Examples per second: binding_contracts.strategies.payloads against hypothesis_jsonschema.from_schema.

Both draw from the same schema file in the same run, in the same kind of @given loop; the baseline's
examples are also checked with check(), to show how many of them the contract accepts. Medians of
several runs; ratios against the baseline measured in the same run. Run with `make bench`.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import hypothesis
from faker import Faker
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from binding_contracts import Report, Violation, check
from binding_contracts.factories import BindingProvider
from binding_contracts.spec.schemas import raw_schemas, registry, schema_file
from binding_contracts.strategies import payloads

KINDS = ("binding", "binding-page")


def inlined(kind: str) -> dict[str, Any]:
    """The strict schema of ``kind`` with every ``$ref`` replaced by its target: from_schema resolves
    no reference into another file. Annotations (``x-…``) and ``$id``/``$schema`` are left out."""
    doc = raw_schemas()[schema_file(kind)]
    return _inline(doc, registry("strict").resolver(base_uri=doc["$id"]))


def _inline(node: Any, resolver: Any) -> Any:
    if isinstance(node, list):
        return [_inline(n, resolver) for n in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    if "$ref" in node:
        resolved = resolver.lookup(node["$ref"])
        out.update(_inline(resolved.contents, resolved.resolver))
    for key, value in node.items():
        if key in ("$ref", "$id", "$schema") or key.startswith("x-"):
            continue
        out[key] = _inline(value, resolver)
    return out


def rate(strategy: st.SearchStrategy[Any], examples: int) -> tuple[float, list[Any]]:
    """Examples per second of a @given loop over ``strategy`` (generation only: no shrinking, no database)."""
    seen: list[Any] = []

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def loop(example: Any) -> None:
        seen.append(example)

    start = time.perf_counter()
    loop()
    return len(seen) / (time.perf_counter() - start), seen


def faker_rate(count: int) -> float:
    fake = Faker()
    fake.add_provider(BindingProvider)
    fake.seed_instance(0)
    start = time.perf_counter()
    for _ in range(count):
        fake.binding()
    return count / (time.perf_counter() - start)


def schema_errors(report: Report) -> list[Violation]:
    return [v for v in report.violations if v.rule.startswith("schema.")]


def median_of(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def bare_strategy() -> st.SearchStrategy[dict[str, Any]]:
    """The engine's floor: a fixed_dictionaries of the binding's 12 keys, plain text or sampled values."""
    keys = list(raw_schemas()[schema_file("binding")]["properties"])
    text = st.text(max_size=40)
    values: dict[str, st.SearchStrategy[Any]] = dict.fromkeys(keys, text)
    values["binding_type"] = st.sampled_from(["gcm", "apn", "fcm"])
    values["message_types"] = st.sampled_from([["new_message"], []])
    values["links"] = st.sampled_from([{"user": "https://chat.twilio.com/v2/Services/IS/Users/u"}])
    return st.fixed_dictionaries(values)


def fixtures_rate(count: int = 100_000) -> float:
    """Bindings per second that ``binding-contracts fixtures --count`` writes (as jsonl, to a null sink);
    10,000 is the most the command writes at once."""
    cli = str(Path(sys.executable).with_name("binding-contracts"))
    argv = [cli, "fixtures", "--kind", "binding", "--count", str(count), "--format", "jsonl"]
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    return count / (time.perf_counter() - start)


def rows(runs: int = 5, examples: int = 200) -> list[tuple[str, float, float | None, str]]:
    """Rows for bench/run.py: payloads("binding") against the bare strategy and from_schema, the share
    of our examples that pass check(), and the Faker provider and fixtures command rates."""
    ours, bare, theirs, passing = [], [], [], []
    baseline = from_schema(inlined("binding"))
    for _ in range(runs):
        speed, seen = rate(payloads("binding"), examples)
        ours.append(speed)
        passing.append(sum(check(e, "binding").ok for e in seen) / len(seen))
        bare.append(rate(bare_strategy(), examples)[0])
        theirs.append(rate(baseline, examples)[0])
    o = statistics.median(ours)
    return [
        ('payloads("binding") in @given vs bare fixed_dictionaries', o, statistics.median(bare), "ex/s"),
        ('payloads("binding") vs from_schema', o, statistics.median(theirs), "ex/s"),
        ('  share of payloads("binding") passing check()', min(passing) * 100, None, "%"),
        ("fake.binding()", median_of(runs, lambda: faker_rate(20_000)), None, "/s"),
        ("binding-contracts fixtures --count 100000", median_of(3, fixtures_rate), None, "/s"),
    ]


def published_rows(runs: int = 5, examples: int = 200) -> list[tuple[str, float, float | None, str]]:
    """Rows for bench/run.py: payloads("binding", profile="published") against the strict strategy in
    the same run, the share of its examples that pass check(profile="published") (all must), and the
    share that are also strict-valid (what the published profile adds is the rest)."""
    published, strict, passing, strict_valid = [], [], [], []
    for _ in range(runs):
        speed, seen = rate(payloads("binding", profile="published"), examples)
        published.append(speed)
        strict.append(rate(payloads("binding"), examples)[0])
        passing.append(sum(check(e, "binding", "published").ok for e in seen) / len(seen))
        strict_valid.append(sum(check(e, "binding").ok for e in seen) / len(seen))
    p, s = statistics.median(published), statistics.median(strict)
    return [
        ('payloads("binding", profile="published") vs strict', p, s, "ex/s"),
        ('  share of published payloads passing check(profile="published")', min(passing) * 100, None, "%"),
        ("  published payloads also strict-valid", statistics.median(strict_valid) * 100, None, "%"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement; the median is reported")
    parser.add_argument("--examples", type=int, default=200, help="examples per run")
    args = parser.parse_args()
    versions = f"Python {platform.python_version()}, Hypothesis {hypothesis.__version__}"
    print(f"{versions}, {args.runs} runs x {args.examples} examples, medians")
    print(f"{'':<14}{'ours':>9}{'from_schema':>13}{'':>8}{'from_schema examples passing':>31}")
    print(f"{'kind':<14}{'ex/s':>9}{'ex/s':>13}{'ratio':>8}{'check()':>12}{'the schema layer':>19}")
    for kind in KINDS:
        ours, theirs, passing, schema_valid = [], [], [], []
        baseline = from_schema(inlined(kind))
        for _ in range(args.runs):
            ours.append(rate(payloads(kind), args.examples)[0])
            speed, examples = rate(baseline, args.examples)
            theirs.append(speed)
            reports = [check(e, kind) for e in examples]
            passing.append(sum(r.ok for r in reports) / len(reports))
            schema_valid.append(sum(not schema_errors(r) for r in reports) / len(reports))
        o, t = statistics.median(ours), statistics.median(theirs)
        share, valid = statistics.median(passing), statistics.median(schema_valid)
        print(f"{kind:<14}{o:>9,.0f}{t:>13,.0f}{o / t:>7.1f}x{share:>12.1%}{valid:>19.1%}")
    print(f"fake.binding(): {median_of(args.runs, lambda: faker_rate(20_000)):,.0f} bindings/s")


if __name__ == "__main__":
    main()
