"""``--jobs N``: the same output, byte for byte, and the same exit status as one process."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from binding_contracts.cli.jobs import in_order
from binding_contracts.strategies import invalid_payloads, payloads
from clirun import call
from conftest import ROOT, example

FORMATS = ("text", "json", "junit", "github", "sarif", "gitlab")


def interaction(doc: dict[str, Any]) -> dict[str, Any]:
    """A vcrpy interaction: a GET of the binding's url, answered with ``doc``."""
    return {
        "request": {"method": "GET", "uri": doc.get("url", ""), "body": None, "headers": {}},
        "response": {
            "status": {"code": 200, "message": "OK"},
            "headers": {"Content-Type": ["application/json"]},
            "body": {"string": json.dumps(doc, ensure_ascii=False)},
        },
    }


def cassette(docs: list[dict[str, Any]]) -> str:
    return yaml.safe_dump({"version": 1, "interactions": [interaction(d) for d in docs]}, allow_unicode=True)


bodies = st.one_of(payloads("binding"), invalid_payloads("binding").map(lambda m: m.payload))
cassettes = st.lists(st.lists(bodies, min_size=1, max_size=3).map(cassette), min_size=2, max_size=5)


def same_with_two_jobs(*argv: str) -> tuple[int, str, str]:
    one = call(*argv, "--jobs", "1")
    two = call(*argv, "--jobs", "2")
    assert two == one
    return one


@pytest.mark.parametrize("fmt", FORMATS)
def test_check_of_the_bundled_cassettes_with_an_unreadable_one_is_the_same_with_two_jobs(
    tmp_path: Path, fmt: str
) -> None:
    folder = shutil.copytree(ROOT / "cassettes", tmp_path / "cassettes")
    (folder / "broken.yaml").write_text("interactions: [", encoding="utf-8")
    status, out, err = same_with_two_jobs("check", str(folder), "--format", fmt)
    assert status == 2
    assert "broken.yaml" in err
    assert out


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=cassettes)
def test_check_of_generated_cassettes_is_the_same_with_two_jobs(
    tmp_path_factory: Any, texts: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("generated")
    for n, text in enumerate(texts):
        (folder / f"c{n:02}.yaml").write_text(text, encoding="utf-8")
    for fmt in FORMATS:
        status, out, _ = same_with_two_jobs("check", str(folder), "--format", fmt)
        assert status in (0, 1)
        assert out


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "gitlab"])
def test_validate_is_the_same_with_two_jobs(tmp_path: Path, fmt: str) -> None:
    paths = []
    for name in ("binding", "user-binding", "binding-page", "error-404"):
        good = tmp_path / f"{name}.json"
        good.write_text(json.dumps(example(name)), encoding="utf-8")
        broken = tmp_path / f"{name}-broken.json"
        broken.write_text(json.dumps({**example(name), "sid": "nope"}), encoding="utf-8")
        paths += [str(good), str(broken)]
    paths.insert(3, str(tmp_path / "missing.json"))
    status, out, err = same_with_two_jobs("validate", *paths, "--format", fmt)
    assert out
    assert status == 2
    assert "missing.json" in err


def test_validate_reads_standard_input_in_its_own_process_whatever_the_jobs() -> None:
    data = json.dumps(example("binding")).encode()
    assert call("validate", "-", "--jobs", "2", stdin=data)[0] == 0


@pytest.mark.parametrize("jobs", ["-1", "two", ""])
def test_a_jobs_count_that_is_no_whole_number_is_a_usage_error(jobs: str) -> None:
    status, out, err = call("validate", "x.json", "--jobs", jobs)
    assert status == 2
    assert out == ""
    assert "--jobs" in err
    assert len(err.splitlines()) == 1


def test_zero_jobs_is_one_per_core(tmp_path: Path) -> None:
    good = tmp_path / "b.json"
    good.write_text(json.dumps(example("binding")), encoding="utf-8")
    assert call("validate", str(good), str(good), "--jobs", "0")[0] == 0


def _after_a_while(item: tuple[int, float]) -> tuple[int, int]:
    """An item's result after its delay, and the process that judged it."""
    time.sleep(item[1])
    return item[0], os.getpid()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    delays=st.lists(st.sampled_from([0.0, 0.0, 0.0005, 0.003]), min_size=0, max_size=60),
    jobs=st.integers(min_value=1, max_value=3),
)
def test_results_come_in_the_items_order_whichever_process_finished_first(
    delays: list[float], jobs: int
) -> None:
    items = list(enumerate(delays))
    results = list(in_order(_after_a_while, items, jobs))
    assert [n for n, _ in results] == list(range(len(items)))
    processes = {pid for _, pid in results}
    assert len(processes) <= max(1, min(jobs, len(items)))
    if jobs == 1 or len(items) <= 1:  # no pool: this process
        assert processes <= {os.getpid()}
