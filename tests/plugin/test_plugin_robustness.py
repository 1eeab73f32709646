"""--binding-contracts-robustness on a planted-bug consumer (robustness/consumer.py, its tests in
robustness/suite.py): each bug found, shrunk to the one variation that breaks it, in its own row;
the consumer with its bugs fixed breaks no row. Run under xdist, as the table is merged from workers;
the failing worlds' cassettes replay the failure with vcrpy alone."""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest
import requests
import vcr

from binding_contracts.generation.worlds import CLASSES

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent / "robustness"
BUGS = {
    "test_message_type_counts": "null",
    "test_credentials": "missing",
    "test_platforms": "unknown-enum",
    "test_records": "undocumented",
    "test_newest": "empty",
    "test_all_sids": "page-boundary",
    "test_endpoints": "deleted",
    "test_count": "429",
    "test_total": "5xx",
    "test_identities": "truncated",
    "test_remove": "blank",
    "test_quick_count": "delay",
}
"""Each planted bug's test, and the one variation class that breaks it."""
EXAMPLES = "30"


def run(
    pytester: pytest.Pytester, buggy: bool, *args: str
) -> tuple[pytest.RunResult, dict[str, dict[str, str]]]:
    text = (HERE / "consumer.py").read_text(encoding="utf-8")
    pytester.makepyfile(consumer=text.replace("BUGGY = True", f"BUGGY = {buggy}"))
    shutil.copy(HERE / "suite.py", pytester.path / "test_suite.py")
    result = pytester.runpytest_subprocess(
        "-p",
        "no:cacheprovider",
        "-n",
        "2",
        "--binding-contracts-robustness",
        "-o",
        f"binding_contracts_robustness_examples={EXAMPLES}",
        *args,
    )
    return result, table(result.stdout.lines)


def table(lines: list[str]) -> dict[str, dict[str, str]]:
    """The robustness table as printed: test name -> column head -> cell."""
    start = next(i for i, line in enumerate(lines) if line.startswith("test ") and "|" in line)
    heads = [h.strip().rstrip(" *") for h in lines[start].split("|")[1:]]
    rows = {}
    for line in lines[start + 1 :]:
        if "|" not in line:
            break
        name, *cells = (c.strip() for c in line.split("|"))
        rows[name.split("::")[-1]] = dict(zip(heads, cells, strict=True))
    return rows


def test_each_planted_bug_breaks_its_own_row_shrunk_to_one_variation(pytester: pytest.Pytester) -> None:
    cassettes = pytester.path / "failures"
    result, rows = run(pytester, True, f"--binding-contracts-robustness-cassettes={cassettes}")
    assert set(rows) == set(BUGS)
    for test, cls in BUGS.items():
        broke = {head for head, cell in rows[test].items() if cell == "BROKE"}
        assert broke == {CLASSES[cls]}, f"{test}: {rows[test]}"
    out = result.stdout.str()
    for test, cls in BUGS.items():
        section = out.split(f"test_suite.py::{test} broke on {CLASSES[cls]}", 1)[1]
        world = re.search(r"world: World\(.*?; variations: (.*)\)\n", section)
        assert world is not None, test
        assert ";" not in world.group(1), f"{test}: {world.group(1)}"
    # a test fails on a class the published spec allows; the session fails with them
    failed = {
        test
        for test, cls in BUGS.items()
        if cls in ("null", "missing", "undocumented", "empty", "page-boundary", "deleted")
    }
    result.assert_outcomes(failed=len(failed), passed=len(BUGS) - len(failed))
    assert {p.name for p in cassettes.iterdir()} == {
        f"test_{t.removeprefix('test_')}-{c}.yaml" for t, c in BUGS.items()
    }
    replay_total(cassettes / "test_total-5xx.yaml")


def replay_total(cassette: Path) -> None:
    """The 5xx failure replayed by vcrpy against the buggy consumer: no fake, no Hypothesis."""
    consumer = buggy_consumer()
    service = re.search(r"Services/(IS[0-9a-f]{32})", cassette.read_text(encoding="utf-8"))
    assert service is not None
    with (
        vcr.use_cassette(str(cassette), record_mode="none"),
        requests.Session() as session,
        pytest.raises(requests.HTTPError, match="500"),
    ):
        consumer.total(session, "https://chat.twilio.com", service.group(1))


def buggy_consumer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("robustness_consumer", HERE / "consumer.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("robustness_consumer", module)
    spec.loader.exec_module(module)
    return module


def test_the_fixed_consumer_breaks_no_row(pytester: pytest.Pytester) -> None:
    result, rows = run(pytester, False)
    assert set(rows) == set(BUGS)
    assert all(cell == "survived" for row in rows.values() for cell in row.values()), rows
    assert result.ret == 0


def test_fail_on_any_fails_on_faults_beyond_the_spec_too(pytester: pytest.Pytester) -> None:
    result, rows = run(
        pytester, True, "--binding-contracts-robustness-fail-on=any", "-k", "test_total or test_count"
    )
    assert rows["test_total"][CLASSES["5xx"]] == "BROKE"
    result.assert_outcomes(failed=2)


QUICK = """
import json
import pytest
import requests
from hypothesis import given, strategies as st

@pytest.mark.binding_robustness(variations=["blank"], max_examples=10)
def test_reads(binding_robustness_api):
    api = binding_robustness_api
    auth = (api.account_sid, api.auth_token)
    for service in api.world.services:
        r = requests.get(f"{api.base_url}/v2/Services/{service}/Bindings", auth=auth)
        json.loads(r.text)

@pytest.mark.binding_robustness
@given(st.integers())
def test_drawn_twice(binding_robustness_api, n):
    pass
"""


def test_without_the_option_a_marked_test_fails_with_its_minimal_world(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_quick=QUICK)
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--binding-contracts-robustness-cassettes=out"
    )
    result.assert_outcomes(failed=2)
    out = result.stdout.str()
    assert "variations: blank body 200 on any operation request #0)" in out
    assert "-> 200   [blank body 200 on any operation request #0]" in out
    assert "draws its worlds itself; drop @given" in out
    assert "binding robustness" not in out  # no table without the option
    assert (pytester.path / "out" / "test_reads-all.yaml").is_file()


@pytest.mark.parametrize(
    ("ini", "message"),
    [
        ("binding_contracts_robustness_fail_on = sometimes", "expected one of spec, any, never"),
        ("binding_contracts_robustness_examples = many", "expected a whole number of examples"),
    ],
)
def test_a_bad_setting_is_one_line_and_no_run(pytester: pytest.Pytester, ini: str, message: str) -> None:
    pytester.makeini(f"[pytest]\n{ini}\n")
    pytester.makepyfile(test_it="def test_it():\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert message in result.stderr.str()
    assert "Traceback" not in result.stderr.str()


def test_an_async_marked_test_is_refused(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_it="""
        import pytest

        @pytest.mark.binding_robustness
        async def test_it(binding_robustness_api):
            pass
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:asyncio", "-p", "no:anyio")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*run your coroutine with asyncio.run() in it*"])


ONCE = """
import pytest

failed = set()

@pytest.mark.binding_robustness(variations=["null", "missing"], max_examples=5)
def test_once(binding_robustness_api):
    # fails the first time it meets any world of a class, never again: Hypothesis cannot make the
    # failure again with the same world
    cls = binding_robustness_api.world.variations[0].cls if binding_robustness_api.world.variations else ""
    if cls not in failed:
        failed.add(cls)
        raise TimeoutError("the machine was busy")
"""


@pytest.mark.parametrize(("fail_on", "outcome"), [("spec", "passed"), ("any", "failed")])
def test_a_failure_no_world_makes_again_is_flaky_not_broken(
    pytester: pytest.Pytester, fail_on: str, outcome: str
) -> None:
    pytester.makepyfile(test_once=ONCE)
    result = pytester.runpytest_subprocess(
        "-p",
        "no:cacheprovider",
        "--binding-contracts-robustness",
        f"--binding-contracts-robustness-fail-on={fail_on}",
        "--binding-contracts-robustness-cassettes=out",
    )
    result.assert_outcomes(**{outcome: 1})
    rows = table(result.stdout.lines)
    assert rows["test_once"] == {CLASSES["null"]: "flaky", CLASSES["missing"]: "flaky"}
    said = "broke on null member (flaky: not again with the same world) (spec):"
    result.stdout.fnmatch_lines([f"*test_once {said}"])
    assert not (pytester.path / "out").exists()  # no cassette replays what no world makes again
