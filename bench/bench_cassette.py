"""``binding-contracts check`` on a 40 MB cassette of 1000 page interactions, against PyYAML's
CSafeLoader parsing the same file alone; and the check's peak memory (``/usr/bin/time -v``).

The cassette is written by the bench into a temporary directory from the Faker provider's pages.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson
import yaml
from faker import Faker

from binding_contracts.factories import BindingProvider

Row = tuple[str, float, float, str]
PAGES = 1000


def write_cassette(path: Path, pages: int = PAGES) -> int:
    """A vcrpy cassette of ``pages`` reads of 50 bindings each; returns its size in bytes."""
    fake = Faker()
    fake.add_provider(BindingProvider)
    fake.seed_instance(0)
    interactions: list[dict[str, Any]] = []
    for n in range(pages):
        page = fake.binding_page(count=50, page_size=50, page=n % 5)
        interactions.append(
            {
                "request": {"body": None, "headers": {}, "method": "GET", "uri": page["meta"]["url"]},
                "response": {
                    "body": {"string": orjson.dumps(page).decode()},
                    "headers": {"Content-Type": ["application/json"]},
                    "status": {"code": 200, "message": "OK"},
                },
            }
        )
    with path.open("w", encoding="utf-8") as f:
        yaml.dump({"interactions": interactions, "version": 1}, f, Dumper=yaml.CSafeDumper, width=1_000_000)
    return path.stat().st_size


def wall(argv: list[str]) -> float:
    """Wall time of a command, its output discarded."""
    return _run(argv)[0]


def _run(argv: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(argv, check=False, capture_output=True, text=True)
    return time.perf_counter() - start, done.stderr


def measure_check(path: Path, runs: int) -> tuple[float, float]:
    """Median wall time (s) and peak memory (MB, ``/usr/bin/time -v``) of ``check`` on ``path``."""
    cli = str(Path(sys.executable).with_name("binding-contracts"))
    timed = ["/usr/bin/time", "-v", cli, "check", str(path)]
    walls, peaks = [], []
    for _ in range(runs):
        seconds, err = _run(timed)
        walls.append(seconds)
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
        peaks.append(int(found.group(1)) / 1e3 if found else float("nan"))
    return statistics.median(walls), statistics.median(peaks)


def cassette_rows(tmp: Path, runs: int = 3) -> list[Row]:
    path = tmp / "big.yaml"
    size = write_cassette(path)
    mb = size / 1e6
    parse = []
    for _ in range(runs):
        start = time.perf_counter()
        with path.open("rb") as f:
            yaml.load(f, Loader=yaml.CSafeLoader)
        parse.append(time.perf_counter() - start)
    seconds, peak = measure_check(path, runs)
    ours, reference = mb / seconds, mb / statistics.median(parse)
    return [
        (f"binding-contracts check, {mb:.0f} MB cassette", ours, reference, "MB/s"),
        (f"  peak memory of that check ({mb:.0f} MB file)", peak, mb, "MB"),
    ]
