"""check() from bytes to verdict against orjson.loads of the same bytes, check() of the parsed dict
against check() of its bytes, and the CLI's start-up.

Rows of (operation, ours, reference, unit): seconds per call for the checks, wall seconds for
``binding-contracts validate`` on one small file against ``python3 -c pass``.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
from faker import Faker

from binding_contracts import check
from binding_contracts.factories import BindingProvider

Row = tuple[str, float, float, str]


def per_call(fn: Callable[[], Any], seconds: float = 0.3) -> float:
    """Seconds per call: the best of 5 timed batches sized to about ``seconds`` each."""
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds / 10:
        fn()
        n += 1
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(n * 10):
            fn()
        best = min(best, (time.perf_counter() - start) / (n * 10))
    return best


def _verdict(data: bytes | dict[str, Any], kind: str) -> Callable[[], bool]:
    return lambda: check(data, kind).ok


def _loads(data: bytes) -> Callable[[], object]:
    """orjson.loads of ``data``, called through a Python function as :func:`_verdict` calls check():
    the harness costs both sides alike."""
    return lambda: orjson.loads(data)


def samples() -> dict[str, bytes]:
    fake = Faker()
    fake.add_provider(BindingProvider)
    fake.seed_instance(0)
    valid = fake.binding(identity="kim")
    broken = {
        **valid,
        "sid": "BS123",  # schema.pattern
        "date_created": "2016-10-21 11:37:03",  # schema.format
        "url": valid["url"].replace(valid["sid"], "BS" + "f" * 32),  # binding.url-sid
    }
    page = fake.binding_page(count=50, page_size=50)
    items = page["bindings"]
    one_broken = {
        **page,
        "bindings": [*items[:7], {**items[7], "date_created": "2016-10-21 11:37:03"}, *items[8:]],
    }
    named = (("one", valid), ("broken", broken), ("page", page), ("page-broken", one_broken))
    return {name: orjson.dumps(doc) for name, doc in named}


def _pretty(data: bytes) -> bytes:
    """The same document pretty-printed as servers and files write it: 2-space indent, a last newline."""
    return orjson.dumps(orjson.loads(data), option=orjson.OPT_INDENT_2) + b"\n"


def _medians(ours: Callable[[], Any], reference: Callable[[], Any], runs: int) -> tuple[float, float]:
    """Medians of ``runs`` measurements of each, taken in turn (a load that comes and goes on a shared
    machine weighs on both alike)."""
    pairs = [(per_call(ours), per_call(reference)) for _ in range(runs)]
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def check_rows(runs: int = 1) -> list[Row]:
    """check() of bytes against orjson.loads of the same bytes, with the kind named and with
    ``kind="auto"`` (the default), compact and pretty-printed; check() of the parsed dict against
    check() of its bytes (the same kind argument); medians of ``runs`` in turn."""
    docs = samples()
    assert len(check(docs["broken"], "binding").violations) == 3
    assert len(check(docs["page-broken"], "binding-page").violations) == 1
    rows = []
    for label, name, kind in (
        ("check(): one valid binding, bytes -> verdict", "one", "binding"),
        ("check(): one valid binding, bytes, kind auto", "one", "auto"),
        ("check(): a page of 50 bindings", "page", "binding-page"),
        ("check(): a page of 50 bindings, kind auto", "page", "auto"),
        ("check(): a binding with 3 violations", "broken", "binding"),
        ("check(): a binding with 3 violations, kind auto", "broken", "auto"),
        ("check(): one broken item in a page of 50 (no target)", "page-broken", "binding-page"),
    ):
        data = docs[name]
        rows.append((label, *_medians(_verdict(data, kind), _loads(data), runs), "us"))
    for label, name in (
        ("check(): pretty + newline vs compact, one binding, kind auto", "one"),
        ("check(): pretty + newline vs compact, a page of 50, kind auto", "page"),
    ):
        pretty = _pretty(docs[name])
        rows.append((label, *_medians(_verdict(pretty, "auto"), _verdict(docs[name], "auto"), runs), "us"))
    for label, name, kind in (
        ("check(dict): one valid binding vs its bytes", "one", "binding"),
        ("check(dict): one valid binding, kind auto vs its bytes", "one", "auto"),
        ("check(dict): a page of 50 vs its bytes", "page", "binding-page"),
        ("check(dict): a page of 50, kind auto vs its bytes", "page", "auto"),
    ):
        data = docs[name]
        doc = orjson.loads(data)
        rows.append((label, *_medians(_verdict(doc, kind), _verdict(data, kind), runs), "us"))
    return rows


def _wall(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=False, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def startup_row(runs: int = 15) -> Row:
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "one.json"
        one.write_bytes(samples()["one"])
        cli = Path(sys.executable).with_name("binding-contracts")
        ours = _wall([str(cli), "validate", str(one)], runs)
        reference = _wall([sys.executable, "-c", "pass"], runs)
    return ("binding-contracts validate one.json, wall", ours, reference, "s")


if __name__ == "__main__":
    print(json.dumps([*check_rows(), startup_row()], indent=1))
