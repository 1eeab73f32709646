"""A finding names its interaction where vcrpy saved it, in every record mode and option that makes
vcrpy write the cassette: a differential test against the file itself. Each scenario lays a cassette
(or none, and maybe a file the marker names as well), lets a test marked ``@pytest.mark.vcr(
record_mode=..., drop_unused_requests=..., allow_playback_repeats=...)`` replay some of their
interactions and record others against a fake whose every fetch breaks ``binding.url-sid``, then
reads each file with vcrpy's own loader: every interaction the plugin judged (the JSON report) and
every finding that failed a test names, at its ``#index``, the interaction of that file with its
method and URL, and the plugin's results for the file are those of ``binding-contracts check`` on it
(nothing vcrpy dropped as it saved is judged, nothing it saved is left out)."""

from __future__ import annotations

import inspect
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import version
from itertools import count
from pathlib import Path
from typing import Any

import pytest
import requests

# Imported before the in-process runs: pytester drops the modules a run imported, and vcrpy imported
# afresh beside the yaml module already loaded cannot load a cassette.
import vcr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from vcr.cassette import Cassette
from vcr.persisters.filesystem import FilesystemPersister
from vcr.serializers import yamlserializer

from binding_contracts.cli import run as cli
from binding_contracts.fake import FakeBindingAPI

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.slow

ITEMS = 8
"""The requests a scenario draws from: item ``j`` fetches binding ``j`` (its url broken by the
fake), or, every third, reads a page of ``j + 1`` bindings (kept by the contract)."""

MARKER_REWRITES = tuple(int(part) for part in version("pytest-recording").split(".")[:2]) >= (0, 14)
"""Whether ``rewrite`` may be given in a marker: pytest-recording before 0.14 hands it on to vcrpy,
which refuses it (``--record-mode=rewrite`` works in every release)."""
MODES = ("once", "new_episodes", "all", "none", *(("rewrite",) if MARKER_REWRITES else ()))
"""vcrpy's record modes, and pytest-recording's ``rewrite`` (the file removed, then new episodes)."""

SOURCE = re.compile(r"^(?P<path>\S+)#(?P<index>\d+) (?P<method>[A-Z]+) (?P<uri>\S+?)(?=: |$)")


@dataclass(frozen=True)
class Scenario:
    mode: str
    drop_unused: bool
    repeats: bool
    loaded: tuple[int, ...]
    """The items the laid cassette holds, in its order (none: no file)."""
    requested: tuple[int, ...]
    """The items the test requests, in order."""
    named: tuple[int, ...] = ()
    """The items of a file the marker names, which pytest-recording reads after the cassette's own
    (none: no name)."""
    hook: bool = False
    """A ``before_save_interaction`` hook leaves the pages out of what vcrpy saves (vcrpy 9)."""

    def test(self, name: str) -> str:
        names = f"'named_{name}.yaml', " if self.named else ""
        hook = ", before_save_interaction=no_pages" if self.hook else ""
        marker = (
            f"@pytest.mark.vcr({names}record_mode={self.mode!r}, drop_unused_requests={self.drop_unused}, "
            f"allow_playback_repeats={self.repeats}{hook})"
        )
        return f"{marker}\ndef {name}():\n    for j in {self.requested!r}:\n        get(j)\n"


@pytest.fixture(scope="module")
def api() -> Iterator[FakeBindingAPI]:
    with FakeBindingAPI(seed=5, auth=False, services=1, bindings=ITEMS) as fake:
        fake.inject("fetch-binding=break:binding.url-sid")
        yield fake


@pytest.fixture(scope="module")
def urls(api: FakeBindingAPI) -> list[str]:
    svc = next(iter(api.store.services))
    base = f"{api.base_url}/v2/Services/{svc}/Bindings"
    sids = [b["sid"] for b in requests.get(f"{base}?PageSize={ITEMS}", timeout=5).json()["bindings"]]
    return [f"{base}?PageSize={j + 1}" if j % 3 == 2 else f"{base}/{sids[j]}" for j in range(ITEMS)]


_RUNS = count()


def run(pytester: pytest.Pytester, urls: list[str], scenarios: list[Scenario]) -> None:
    """The scenarios as the tests of one pytest run in a folder of their own; then every cassette
    they left held to what the plugin reported of it."""
    root = pytester.path / f"run{next(_RUNS)}"
    folder = root / "cassettes" / "test_saving"
    folder.mkdir(parents=True)
    names = [f"test_s{k}" for k in range(len(scenarios))]
    for name, scenario in zip(names, scenarios, strict=True):
        for file, items in ((name, scenario.loaded), (f"named_{name}", scenario.named)):
            if items:
                with vcr.VCR(record_mode="all").use_cassette(str(folder / f"{file}.yaml")):
                    for j in items:
                        requests.get(urls[j], timeout=5)
    head = (
        f"import pytest, requests\n\nURLS = {urls!r}\n\ndef get(j):\n    requests.get(URLS[j], timeout=5)\n\n"
        "def no_pages(request, response):\n"
        "    return None if 'PageSize=' in request.uri else (request, response)\n"
    )
    tests = [scenario.test(name) for name, scenario in zip(names, scenarios, strict=True)]
    (root / "test_saving.py").write_text("\n\n".join([head, *tests]))
    report, junit = root / "r.json", root / "junit.xml"
    result = pytester.runpytest_inprocess(
        str(root),
        f"--rootdir={root}",
        "-p",
        "no:cacheprovider",
        "--binding-contracts",
        f"--binding-contracts-report={report}",
        f"--junitxml={junit}",
    )
    assert not result.parseoutcomes().get("errors"), result.stdout.str()
    assert "was saved otherwise" not in result.stdout.str()  # each as named after the body

    judged: dict[Path, list[Any]] = {}
    for checked in json.loads(report.read_text())["results"] if report.exists() else []:
        path, _ = names_its_interaction(checked["source"])
        judged.setdefault(path, []).append(checked)
    failing = set()
    for name, scenario in zip(names, scenarios, strict=True):
        for file in (name, f"named_{name}"):
            saved = (folder / f"{file}.yaml").resolve()
            if not saved.is_file():
                assert saved not in judged, scenario
                continue
            out = io.StringIO()
            cli(["check", "--format", "json", str(saved)], out, io.StringIO())
            expected = json.loads(out.getvalue())["results"]
            assert judged.get(saved, []) == expected, (file, scenario)
            if any(not r["ok"] for r in expected):
                failing.add(name)

    for case in ET.parse(junit).getroot().iter("testcase"):
        failure = case.find("failure")
        assert (failure is not None) == (case.get("name") in failing), (case.get("name"), result.stdout.str())
        for line in (failure.text or "").splitlines() if failure is not None else []:
            if SOURCE.match(line):
                path, _ = names_its_interaction(line)
                assert path.name in (f"{case.get('name')}.yaml", f"named_{case.get('name')}.yaml"), line


def names_its_interaction(source: str) -> tuple[Path, int]:
    """The file and index a source names, after checking, with vcrpy's loader, that the file holds
    there an interaction of the method and URL the source quotes."""
    found = SOURCE.match(source)
    assert found, source
    path, index = Path(found["path"]).resolve(), int(found["index"])
    saved, _ = FilesystemPersister.load_cassette(str(path), serializer=yamlserializer)
    assert index < len(saved), f"{source}: the file holds {len(saved)} interactions"
    assert (saved[index].method, saved[index].uri) == (found["method"], found["uri"]), source
    return path, index


LAID = (0, 1, 2, 3, 4)


def fixed(mode: str, drop_unused: bool, repeats: bool) -> list[Scenario]:
    """The scenarios of one mode and options: over a laid cassette, some of it requested in another
    order (twice with repeats), and for the modes that record, new items between; for ``once``,
    ``all`` and ``rewrite``, new items with no cassette laid; and a cassette and a file the marker
    names, items of both requested."""
    replayed = (3, 1, 3) if repeats else (3, 1)
    if mode in ("none", "once"):
        over = Scenario(mode, drop_unused, repeats, LAID, replayed)
    else:
        over = Scenario(mode, drop_unused, repeats, LAID, (3, 6, 1, 7, 6))
    fresh = Scenario(mode, drop_unused, repeats, (), (6, 1, 7, 1))
    requested = (5, 1) if mode in ("none", "once") else (5, 7, 0)
    named = Scenario(mode, drop_unused, repeats, (0, 1), requested, named=(5, 6), hook=HOOKS)
    return [over, named] if mode in ("none", "new_episodes") else [over, fresh, named]


COMBINATIONS = [(m, d, r) for m in MODES for d in (False, True) for r in (False, True)]

HOOKS = "before_save_interaction" in inspect.signature(Cassette.__init__).parameters
"""Whether vcrpy runs hooks on each interaction it saves (vcrpy 9; pyproject allows 8.4)."""


def test_every_record_mode_and_option_names_each_interaction_where_vcrpy_saved_it(
    pytester: pytest.Pytester, urls: list[str]
) -> None:
    run(pytester, urls, [s for combination in COMBINATIONS for s in fixed(*combination)])


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    mode = draw(st.sampled_from(MODES))
    drop_unused, repeats = draw(st.booleans()), draw(st.booleans())
    items = draw(st.permutations(range(ITEMS)))
    own, named = draw(st.integers(0, 5)), draw(st.sampled_from([0, 0, 1, 2]))
    loaded, laid = tuple(items[:own]), items[: own + named]
    if mode == "none" or (mode == "once" and laid):  # nothing may be recorded: only the laid items
        pool = st.lists(st.sampled_from(laid), max_size=6, unique=not repeats) if laid else st.just([])
        requested = draw(pool)
    else:
        requested = draw(st.lists(st.integers(0, ITEMS - 1), max_size=6))
    hook = HOOKS and draw(st.booleans())
    return Scenario(
        mode, drop_unused, repeats, loaded, tuple(requested), tuple(items[own : own + named]), hook
    )


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=st.lists(scenarios(), min_size=1, max_size=8))
def test_drawn_scenarios_name_each_interaction_where_vcrpy_saved_it(
    pytester: pytest.Pytester, urls: list[str], batch: list[Scenario]
) -> None:
    run(pytester, urls, batch)


def test_a_cassette_saved_otherwise_than_when_the_body_ended_is_flagged(
    pytester: pytest.Pytester, urls: list[str]
) -> None:
    """A fixture's teardown that records through the test's cassette changes what vcrpy saves after
    the plugin named the interactions: the test says so."""
    folder = pytester.path / "cassettes" / "test_late"
    folder.mkdir(parents=True)
    with vcr.VCR(record_mode="all").use_cassette(str(folder / "test_late.yaml")):
        for j in (0, 1):
            requests.get(urls[j], timeout=5)
    pytester.makepyfile(
        test_late=f"""
import pytest, requests

@pytest.fixture
def late(vcr):
    yield
    requests.get({urls[0]!r}, timeout=5)

@pytest.mark.vcr(record_mode="all")
def test_late(late):
    requests.get({urls[1]!r}, timeout=5)

@pytest.mark.vcr(record_mode="all")
def test_on_time():
    requests.get({urls[1]!r}, timeout=5)
"""
    )
    shutil.copy(folder / "test_late.yaml", folder / "test_on_time.yaml")
    args = ("-p", "no:cacheprovider", "--binding-contracts", "-W", "always::pytest.PytestWarning")
    result = pytester.runpytest_inprocess(*args)
    result.assert_outcomes(failed=2, warnings=1)
    result.stdout.fnmatch_lines(["*test_late.yaml was saved otherwise than when the test's body ended*"])
    assert "test_on_time.yaml was saved otherwise" not in result.stdout.str()
