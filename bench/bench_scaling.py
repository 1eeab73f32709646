"""How cost grows: ``binding-contracts check`` on cassettes of 1, 10 and 100 MB (speed per MB against
the 1 MB cassette's, peak memory against the file), and ``check`` and ``validate`` on trees of 10,000
small files in 2 processes (``--jobs 2``) against one.

Every file is written by the bench into a temporary directory from the Faker provider and not kept.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

import orjson
import yaml
from bench_cassette import measure_check, write_cassette
from faker import Faker

from binding_contracts.factories import BindingProvider

Row = tuple[str, float, "float | None", str]
PAGES_PER_MB = 24.4
"""Pages of 50 bindings in a megabyte of the bench's cassette (1000 pages write 41 MB)."""
SIZES_MB = (1, 10, 100)
TREE = 10_000
CLI = str(Path(sys.executable).with_name("binding-contracts"))


SMALL_RUNS = 9
"""Runs of the one-page and 1 MB cassettes (each under half a second): past start-up the 1 MB
cassette is a tenth of a second of work, which the noise of a shared machine moves by a third in
three runs."""


def size_rows(tmp: Path, runs: int = 3) -> list[Row]:
    """MB/s of ``check`` on each size against the 1 MB cassette's, and the largest one's peak memory.

    Each speed is taken over the time past start-up: the wall time of ``check`` on a cassette of one
    page (the interpreter, the imports, the first compilations) is measured in the same run and taken
    off every size's, so that the rows say how the cost of the cassette itself grows, which a fixed
    0.3 s would hide on 1 MB and not on 100."""
    start_path = tmp / "start.yaml"
    write_cassette(start_path, pages=1)
    speeds: dict[int, float] = {}
    peak, largest, start = 0.0, 0.0, 0.0
    for mb in SIZES_MB:
        path = tmp / f"{mb}mb.yaml"
        size = write_cassette(path, pages=max(1, round(mb * PAGES_PER_MB))) / 1e6
        if mb == SIZES_MB[0]:
            # start-up and the smallest size in turn: a load that comes and goes weighs on both
            pairs = [
                (measure_check(start_path, 1)[0], measure_check(path, 1))
                for _ in range(max(runs, SMALL_RUNS))
            ]
            start = statistics.median(p[0] for p in pairs)
            wall, peak = statistics.median(p[1][0] for p in pairs), statistics.median(p[1][1] for p in pairs)
        else:
            wall, peak = measure_check(path, runs)
        speeds[mb], largest = size / max(wall - start, 1e-3), size
        path.unlink()
    start_path.unlink()
    base = speeds[SIZES_MB[0]]
    rows: list[Row] = [
        (f"check scaling: {mb} MB cassette vs {SIZES_MB[0]} MB, speed past start-up", speed, base, "MB/s")
        for mb, speed in speeds.items()
        if mb != SIZES_MB[0]
    ]
    rows.append((f"check scaling: peak memory ({largest:.0f} MB file)", peak, largest, "MB"))
    return rows


def write_tree(root: Path, count: int = TREE) -> tuple[Path, Path]:
    """``count`` cassettes of one fetch each and ``count`` payload files, 100 to a folder."""
    fake = Faker()
    fake.add_provider(BindingProvider)
    fake.seed_instance(1)
    cassettes, payloads = root / "cassettes", root / "payloads"
    for n in range(count):
        folder = f"{n // 100:03}"
        doc = fake.binding()
        text = orjson.dumps(doc).decode()
        interaction = {
            "request": {"body": None, "headers": {}, "method": "GET", "uri": doc["url"]},
            "response": {
                "body": {"string": text},
                "headers": {"Content-Type": ["application/json"]},
                "status": {"code": 200, "message": "OK"},
            },
        }
        for base, name, content in (
            (
                cassettes,
                f"{n:05}.yaml",
                yaml.dump({"interactions": [interaction], "version": 1}, Dumper=yaml.CSafeDumper),
            ),
            (payloads, f"{n:05}.json", json.dumps(doc, indent=2)),
        ):
            (base / folder).mkdir(parents=True, exist_ok=True)
            (base / folder / name).write_text(content, encoding="utf-8")
    return cassettes, payloads


def jobs_rows(tmp: Path, runs: int = 3) -> list[Row]:
    """Files/s of ``check`` and ``validate`` over the trees with ``--jobs 2`` against ``--jobs 1``."""
    from bench_cassette import wall

    cassettes, payloads = write_tree(tmp)
    files = sorted(str(p) for p in payloads.rglob("*.json"))
    rows: list[Row] = []
    for name, argv in (
        (f"check --jobs 2, {TREE:,} small cassettes, vs --jobs 1", [CLI, "check", str(cassettes)]),
        (f"validate --jobs 2, {TREE:,} payload files, vs --jobs 1", [CLI, "validate", *files]),
    ):
        one = statistics.median(wall([*argv, "--jobs", "1"]) for _ in range(runs))
        two = statistics.median(wall([*argv, "--jobs", "2"]) for _ in range(runs))
        rows.append((name, TREE / two, TREE / one, "files/s"))
    return rows
