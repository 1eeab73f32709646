"""A pytest suite of 200 tests replaying vcrpy cassettes, with the plugin checking every test
(``--binding-contracts``) against the same suite with the plugin off (``-p no:binding_contracts``).

The suite and its cassettes are written by the bench into a temporary directory.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Final

import orjson
import yaml
from faker import Faker

from binding_contracts.factories import BindingProvider

Row = tuple[str, float, float, str]
TESTS = 200

TEST_FILE = textwrap.dedent(
    """
    import pytest
    import requests
    import vcr

    @pytest.mark.parametrize("n", range({tests}))
    def test_replay(n):
        with vcr.use_cassette(f"cassettes/c{{n}}.yaml", record_mode="none"):
            url = open(f"cassettes/c{{n}}.url").read()
            assert requests.get(url).json()["meta"]["key"] == "bindings"
    """
)


def write_suite(root: Path, tests: int = TESTS) -> None:
    fake = Faker()
    fake.add_provider(BindingProvider)
    fake.seed_instance(0)
    (root / "cassettes").mkdir()
    for n in range(tests):
        page = fake.binding_page(count=5, page_size=50)
        url = page["meta"]["url"]
        cassette = {
            "version": 1,
            "interactions": [
                {
                    "request": {"body": None, "headers": {}, "method": "GET", "uri": url},
                    "response": {
                        "body": {"string": orjson.dumps(page).decode()},
                        "headers": {"Content-Type": ["application/json"]},
                        "status": {"code": 200, "message": "OK"},
                    },
                }
            ],
        }
        (root / "cassettes" / f"c{n}.yaml").write_text(yaml.safe_dump(cassette), encoding="utf-8")
        (root / "cassettes" / f"c{n}.url").write_text(url, encoding="utf-8")
    (root / "test_replay.py").write_text(TEST_FILE.format(tests=tests), encoding="utf-8")
    (root / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")


_ENV: Final = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""The suites' environment: pytest keeps the bytecode of the modules it rewrites (the test file,
every ``pytest11`` plugin's package, Hypothesis among them), as on any run after a project's first.
With ``PYTHONDONTWRITEBYTECODE`` set it compiles them again at every start: 0.8 s of a 2.7 s suite
here, most of it Hypothesis', which no plugin option changes."""


def _run(root: Path, *options: str) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *options],
        cwd=root,
        check=False,
        capture_output=True,
        text=True,
        env=_ENV,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the generated suite failed:\n{done.stdout[-2000:]}")
    return time.perf_counter() - start


def pytest_row(root: Path, runs: int = 3) -> Row:
    write_suite(root)
    _run(root, "--binding-contracts")  # pytest writes the bytecode of what it rewrites
    _run(root, "-p", "no:binding_contracts")
    on, off = [], []
    for _ in range(runs):
        on.append(_run(root, "--binding-contracts"))
        off.append(_run(root, "-p", "no:binding_contracts"))
    return (
        f"pytest, {TESTS} tests replaying cassettes, wall",
        statistics.median(on),
        statistics.median(off),
        "s",
    )
