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
    """Examples per second of a @given loop over ``strategy`` (generation only: no shrinking, no
    database; derandomized, so that every run draws the same examples and only the machine varies)."""
    seen: list[Any] = []

    @settings(
        max_examples=examples,
        derandomize=True,
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


def bare_binding(fake: Faker) -> dict[str, Any]:
    """A binding's members as a hand-written factory draws them from the same Faker: SIDs by hexify,
    dates by iso8601, a sha256 device token, a user name, the enums by random_element(s), the urls
    written from the SIDs. No rule is held: the floor a provider that holds them is measured against."""
    sid, account, service = (fake.hexify(prefix + "^" * 32) for prefix in ("BS", "AC", "IS"))
    identity = fake.user_name()
    base = f"https://chat.twilio.com/v2/Services/{service}"
    return {
        "sid": sid,
        "account_sid": account,
        "service_sid": service,
        "credential_sid": fake.hexify("CR" + "^" * 32),
        "date_created": fake.iso8601() + "Z",
        "date_updated": fake.iso8601() + "Z",
        "endpoint": fake.sha256(),
        "identity": identity,
        "binding_type": fake.random_element(("gcm", "apn", "fcm")),
        "message_types": fake.random_elements(("new_message", "added_to_channel"), unique=True),
        "url": f"{base}/Bindings/{sid}",
        "links": {"user": f"{base}/Users/{identity}"},
    }


def bare_faker_rate(count: int) -> float:
    fake = Faker()
    fake.seed_instance(0)
    start = time.perf_counter()
    for _ in range(count):
        bare_binding(fake)
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


def fixtures_rate(count: int = 20_000) -> float:
    """Bindings per second that ``binding-contracts fixtures --count`` writes (as jsonl, to a null sink)."""
    cli = str(Path(sys.executable).with_name("binding-contracts"))
    argv = [cli, "fixtures", "--kind", "binding", "--count", str(count), "--format", "jsonl"]
    return count / _timed(argv)


_BARE_JSONL = """
import json, sys
from faker import Faker
from bench_generation import bare_binding
fake = Faker()
fake.seed_instance(0)
write = sys.stdout.write
for _ in range(int(sys.argv[1])):
    write(json.dumps(bare_binding(fake)) + "\\n")
"""


def bare_fixtures_rate(count: int = 20_000) -> float:
    """The same count of :func:`bare_binding` dicts written as jsonl by a fresh process, as the command
    is: start-up, drawing and writing measured alike."""
    return count / _timed([sys.executable, "-c", _BARE_JSONL, str(count)], cwd=Path(__file__).parent)


def _timed(argv: list[str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=cwd)
    return time.perf_counter() - start


def rows(runs: int = 5, examples: int = 200) -> list[tuple[str, float, float | None, str]]:
    """Rows for bench/run.py: payloads("binding") against the bare strategy and from_schema, the share
    of our examples that pass check(), and the Faker provider and fixtures command against bare Faker
    dicts of the same members."""
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
        (
            "fake.binding() vs a bare Faker dict of its members",
            median_of(runs, lambda: faker_rate(20_000)),
            median_of(runs, lambda: bare_faker_rate(20_000)),
            "/s",
        ),
        (
            "binding-contracts fixtures --count 20000 vs bare Faker dicts as jsonl",
            median_of(3, fixtures_rate),
            median_of(3, bare_fixtures_rate),
            "/s",
        ),
    ]


def published_rows(runs: int = 5, examples: int = 500) -> list[tuple[str, float, float | None, str]]:
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
